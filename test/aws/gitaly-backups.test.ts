import { strict as assert } from "node:assert";
import { AwsDataServices } from "../../components";
import {
    AwsGitalyBackups,
    gitalyVolumeSelection,
    validateGitalyBackupSettings as validateGitalyBackupSettingsProblems,
} from "../../components/data/aws-gitaly-backups";
import { awsDataSettingsSpec } from "../../components/data/spec";
import { InvalidArgsError } from "../../components/errors";
import { record, type Recorded } from "../helpers/pulumi";
import { DATA_KEY_ARN, awsMocks, dataArgs } from "./support";
import { problemLine } from "../../components/errors";

/** Problems as `<path>: <message>` lines, as the assertions below state them. */
const validateGitalyBackupSettings = (...a: Parameters<typeof validateGitalyBackupSettingsProblems>): string[] =>
    validateGitalyBackupSettingsProblems(...a).map(problemLine);

describe("Gitaly volume snapshots (pure)", () => {
    it("defaults to daily at 03:00 UTC, kept 14 days like the RDS window", () => {
        const gitaly = (s?: object) => awsDataSettingsSpec.parse({ gitalyBackups: s }).gitalyBackups;
        assert.deepEqual(gitaly(undefined), { schedule: "cron(0 3 * * ? *)", retentionDays: 14 });
        assert.deepEqual(gitaly({ retentionDays: 30 }), {
            schedule: "cron(0 3 * * ? *)",
            retentionDays: 30,
        });
    });

    it("selects only Gitaly's claims of the release, in GitLab's namespace (conditions are ANDed)", () => {
        assert.deepEqual(gitalyVolumeSelection("gitlab", "gitlab"), {
            stringEquals: [{ key: "aws:ResourceTag/kubernetes.io/created-for/pvc/namespace", value: "gitlab" }],
            stringLikes: [
                { key: "aws:ResourceTag/kubernetes.io/created-for/pvc/name", value: "repo-data-gitlab-gitaly-*" },
            ],
        });
    });

    const cases: Array<[string, object, string]> = [
        [
            "a Kubernetes cron instead of an AWS one",
            { schedule: "0 3 * * *" },
            "gitalyBackups.schedule: not an AWS Backup cron expression (expected e.g. cron(0 3 * * ? *), six fields, UTC)",
        ],
        [
            "a rate expression",
            { schedule: "rate(1 day)" },
            "gitalyBackups.schedule: not an AWS Backup cron expression (expected e.g. cron(0 3 * * ? *), six fields, UTC)",
        ],
        [
            "zero days",
            { retentionDays: 0 },
            "gitalyBackups.retentionDays: out of range (expected whole days from 1 to 36500)",
        ],
        [
            "fractional days",
            { retentionDays: 1.5 },
            "gitalyBackups.retentionDays: out of range (expected whole days from 1 to 36500)",
        ],
    ];
    for (const [what, settings, message] of cases) {
        it(`refuses ${what}`, () => assert.deepEqual(validateGitalyBackupSettings(settings), [message]));
    }
    it("accepts the defaults and a custom schedule", () => {
        assert.deepEqual(validateGitalyBackupSettings({}), []);
        assert.deepEqual(validateGitalyBackupSettings({ schedule: "cron(30 2 ? * SUN *)", retentionDays: 35 }), []);
    });
});

describe("AwsGitalyBackups", () => {
    let rec: Recorded;
    before(async () => {
        rec = await record(() => new AwsDataServices("prod-data", dataArgs()), { mocks: awsMocks });
    });

    it("declares exactly a vault, a plan, the AWS Backup role with its two managed policies, and the selection", () => {
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:data:AwsGitalyBackups")), [
            "aws:backup/plan:Plan/prod-data-gitaly-backups-plan",
            "aws:backup/selection:Selection/prod-data-gitaly-backups-selection",
            "aws:backup/vault:Vault/prod-data-gitaly-backups-vault",
            "aws:iam/role:Role/prod-data-gitaly-backups-role",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment/prod-data-gitaly-backups-backup",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment/prod-data-gitaly-backups-restores",
        ]);
    });

    it("encrypts the protected vault with the data key", () => {
        const vault = rec.one("aws:backup/vault:Vault");
        assert.deepEqual(vault.inputs, { name: "gitlab-platform-prod-gitaly", kmsKeyArn: DATA_KEY_ARN });
        assert.equal(vault.protect, true);
    });

    it("snapshots daily and deletes after the retention", () => {
        assert.deepEqual(rec.one("aws:backup/plan:Plan").inputs, {
            name: "gitlab-platform-prod-gitaly",
            rules: [
                {
                    ruleName: "gitaly-volumes",
                    targetVaultName: "gitlab-platform-prod-gitaly",
                    schedule: "cron(0 3 * * ? *)",
                    startWindow: 60,
                    completionWindow: 360,
                    lifecycle: { deleteAfter: 14 },
                },
            ],
        });
    });

    it("selects EBS volumes by Gitaly's claim tags, through a role only AWS Backup can assume", () => {
        const sel = rec.one("aws:backup/selection:Selection");
        assert.deepEqual(sel.inputs.resources, ["arn:aws:ec2:*:*:volume/*"]);
        assert.deepEqual(sel.inputs.conditions, [gitalyVolumeSelection("gitlab", "gitlab")]);
        assert.equal(sel.inputs.planId, "prod-data-gitaly-backups-plan-id");
        const role = rec.one("aws:iam/role:Role", "prod-data-gitaly-backups-role");
        assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement, [
            { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        assert.deepEqual(
            rec
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => a.name.startsWith("prod-data-gitaly"))
                .map((a) => a.inputs.policyArn),
            [
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
            ],
        );
    });

    it("follows the release name and the settings", async () => {
        const r = await record(
            () =>
                new AwsDataServices(
                    "d",
                    dataArgs({
                        gitlabReleaseName: "code",
                        gitalyBackups: { schedule: "cron(0 4 * * ? *)", retentionDays: 30 },
                        protect: false,
                    }),
                ),
            { mocks: awsMocks },
        );
        assert.deepEqual(r.one("aws:backup/selection:Selection").inputs.conditions, [
            gitalyVolumeSelection("gitlab", "code"),
        ]);
        const rule = (r.one("aws:backup/plan:Plan").inputs.rules as Array<Record<string, unknown>>)[0];
        assert.equal(rule.schedule, "cron(0 4 * * ? *)");
        assert.deepEqual(rule.lifecycle, { deleteAfter: 30 });
        assert.equal(r.one("aws:backup/vault:Vault").protect, false);
    });

    it("refuses a bad schedule before declaring anything", async () => {
        await assert.rejects(
            record(() => new AwsDataServices("d", dataArgs({ gitalyBackups: { schedule: "daily" } })), {
                mocks: awsMocks,
            }),
            (err: unknown) =>
                err instanceof InvalidArgsError &&
                err.message.includes("gitalyBackups.schedule: not an AWS Backup cron expression"),
        );
    });

    it("is a class of the package", () => assert.equal(typeof AwsGitalyBackups, "function"));
});
