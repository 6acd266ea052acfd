/**
 * Snapshots of Gitaly's EBS volumes on a schedule with AWS Backup. The Git repositories live on those
 * volumes, not in PostgreSQL or S3, so they need their own recovery point; the toolbox's
 * `backup-utility` copies them too, but a volume snapshot restores a large instance in minutes and
 * needs no running GitLab.
 * @see https://docs.gitlab.com/charts/backup-restore/
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../errors";

/** User-facing settings of the Gitaly volume snapshots. */
export interface AwsGitalyBackupSettings {
    /**
     * When snapshots run: an AWS Backup cron expression, in UTC.
     * @default "cron(0 3 * * ? *)" (`GITALY_SNAPSHOT_SCHEDULE`): daily 03:00, after the toolbox backup
     * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html
     */
    schedule?: string;
    /**
     * Days each snapshot is kept.
     * @default 14 (`GITALY_SNAPSHOT_RETENTION_DAYS`), the RDS point-in-time window, so repositories and
     * database can be restored to the same day
     */
    retentionDays?: number;
}

/** Arguments of {@link AwsGitalyBackups}: resolved settings plus what the parent provides. */
export interface AwsGitalyBackupsArgs extends Required<AwsGitalyBackupSettings> {
    /** Prefix of the vault and plan names. */
    namePrefix: string;
    /** ARN partition, for the managed policies. */
    partition: string;
    /** The data services' customer-managed key: the vault encrypts recovery points with it. */
    kmsKeyArn: pulumi.Input<string>;
    /** GitLab's namespace, where Gitaly's claims live. */
    gitlabNamespace: string;
    /** GitLab's Helm release: Gitaly's claims are `repo-data-<release>-gitaly-<n>`. */
    gitlabReleaseName: string;
    /** Pulumi `protect` on the vault (deleting it needs its recovery points gone first anyway). */
    protect: boolean;
}

/** AWS Backup cron expression (six fields inside `cron(...)`). */
const AWS_CRON = /^cron\((\S+\s+){5}\S+\)$/;

/** Checks the settings; messages name the field below `data.gitalyBackups`. Pure. */
export function validateGitalyBackupSettings(s: AwsGitalyBackupSettings): Problem[] {
    const problems: Problem[] = [];
    if (s.schedule !== undefined && !AWS_CRON.test(s.schedule)) {
        problems.push({
            path: "gitalyBackups.schedule",
            message: "not an AWS Backup cron expression (expected e.g. cron(0 3 * * ? *), six fields, UTC)",
        });
    }
    if (
        s.retentionDays !== undefined &&
        (!Number.isInteger(s.retentionDays) || s.retentionDays < 1 || s.retentionDays > 36500)
    ) {
        problems.push({
            path: "gitalyBackups.retentionDays",
            message: "out of range (expected whole days from 1 to 36500)",
        });
    }
    return problems;
}

/**
 * Which volumes the plan backs up: EBS volumes whose EBS CSI tags (added with `--extra-create-metadata`,
 * on in the EKS add-on) say they were created for Gitaly's claims in GitLab's namespace. Conditions are
 * ANDed, so no other claim of the namespace is selected. Pure.
 * @see https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/tagging.md
 */
export function gitalyVolumeSelection(
    namespace: string,
    releaseName: string,
): aws.types.input.backup.SelectionCondition {
    return {
        stringEquals: [{ key: "aws:ResourceTag/kubernetes.io/created-for/pvc/namespace", value: namespace }],
        stringLikes: [
            { key: "aws:ResourceTag/kubernetes.io/created-for/pvc/name", value: `repo-data-${releaseName}-gitaly-*` },
        ],
    };
}

/** The trust policy of the role AWS Backup assumes. Pure. */
export function backupServiceTrustPolicy(): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
    };
}

/** AWS Backup: a KMS-encrypted vault, a daily plan with retention, and the selection of Gitaly's volumes. */
export class AwsGitalyBackups extends pulumi.ComponentResource {
    /** The vault holding the recovery points (restore from it: docs/restore.md). */
    public readonly vaultName: pulumi.Output<string>;
    /** The backup plan's id. */
    public readonly planId: pulumi.Output<string>;

    constructor(name: string, args: AwsGitalyBackupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:data:AwsGitalyBackups", name, {}, opts);
        const o = { parent: this };
        const vault = new aws.backup.Vault(
            `${name}-vault`,
            { name: `${args.namePrefix}-gitaly`, kmsKeyArn: args.kmsKeyArn },
            { ...o, protect: args.protect },
        );
        const plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                name: `${args.namePrefix}-gitaly`,
                rules: [
                    {
                        ruleName: "gitaly-volumes",
                        targetVaultName: vault.name,
                        schedule: args.schedule,
                        startWindow: 60,
                        completionWindow: 360,
                        lifecycle: { deleteAfter: args.retentionDays },
                    },
                ],
            },
            o,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `AWS Backup of ${args.namePrefix} Gitaly volumes`,
                assumeRolePolicy: JSON.stringify(backupServiceTrustPolicy()),
            },
            o,
        );
        for (const [suffix, policy] of [
            ["backup", "AWSBackupServiceRolePolicyForBackup"],
            ["restores", "AWSBackupServiceRolePolicyForRestores"],
        ]) {
            new aws.iam.RolePolicyAttachment(
                `${name}-${suffix}`,
                { role: role.name, policyArn: `arn:${args.partition}:iam::aws:policy/service-role/${policy}` },
                o,
            );
        }
        new aws.backup.Selection(
            `${name}-selection`,
            {
                name: `${args.namePrefix}-gitaly`,
                planId: plan.id,
                iamRoleArn: role.arn,
                resources: [`arn:${args.partition}:ec2:*:*:volume/*`],
                conditions: [gitalyVolumeSelection(args.gitlabNamespace, args.gitlabReleaseName)],
            },
            o,
        );
        this.vaultName = vault.name;
        this.planId = plan.id;
        this.registerOutputs({ vaultName: this.vaultName, planId: this.planId });
    }
}
