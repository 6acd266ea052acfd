import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    POSTGRES_DEFAULT_DATABASE,
    POSTGRES_DEFAULT_PORT,
    RDS_DEFAULT_USERNAME,
    RDS_POSTGRES_ENGINE_VERSION,
    RDS_POSTGRES_PARAMETER_FAMILY,
} from "../defaults";
import type { AwsNetworkRef } from "../network/aws-network";

/** User-facing settings of GitLab's RDS PostgreSQL. */
export interface AwsPostgresSettings {
    /**
     * RDS instance class.
     * @default "db.m7g.large" (`RDS_DEFAULT_INSTANCE_CLASS`)
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html
     */
    instanceClass?: string;
    /**
     * Initial gp3 storage, GiB.
     * @default 100 (`RDS_DEFAULT_ALLOCATED_STORAGE_GIB`)
     */
    allocatedStorageGiB?: number;
    /**
     * Ceiling of storage autoscaling, GiB.
     * @default 1000 (`RDS_DEFAULT_MAX_ALLOCATED_STORAGE_GIB`)
     */
    maxAllocatedStorageGiB?: number;
    /**
     * Days of automated backups (point-in-time recovery), 7 to 35.
     * @default 14 (`RDS_DEFAULT_BACKUP_RETENTION_DAYS`)
     */
    backupRetentionDays?: number;
    /**
     * Performance Insights (7 days, the free tier), encrypted with the data key.
     * @default false
     */
    performanceInsights?: boolean;
}

/** Arguments of {@link AwsPostgres}: resolved settings plus what the parent provides. */
export interface AwsPostgresArgs extends Required<AwsPostgresSettings> {
    /** The VPC, its private subnets and the data-clients security group the database admits. */
    network: AwsNetworkRef;
    /** The customer-managed key of the data services. */
    kmsKeyArn: pulumi.Input<string>;
    /** Snapshot taken when the database is deleted; `undefined` skips it (throwaway stacks). */
    finalSnapshotIdentifier: string | undefined;
    /** Pulumi `protect` and RDS deletion protection. */
    protect: boolean;
}

/** Parameters GitLab's database gets beyond the family defaults: TLS required for every connection. */
export const GITLAB_POSTGRES_PARAMETERS = [{ name: "rds.force_ssl", value: "1" }] as const;

/**
 * GitLab's RDS PostgreSQL 17: Multi-AZ, KMS-encrypted storage, backups, deletion protection and a final
 * snapshot, private subnets only, reachable on 5432 from the "GitLab data clients" group alone, and a
 * generated master password that only ever exists as a secret.
 * @see https://docs.gitlab.com/charts/advanced/external-db/
 */
export class AwsPostgres extends pulumi.ComponentResource {
    public readonly instance: aws.rds.Instance;
    /** The master password, secret. */
    public readonly password: pulumi.Output<string>;

    constructor(name: string, args: AwsPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:data:AwsPostgres", name, {}, opts);
        const o = { parent: this };
        const subnets = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { description: "GitLab PostgreSQL: private subnets", subnetIds: args.network.privateSubnetIds },
            o,
        );
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.network.vpcId, description: "GitLab PostgreSQL: admits the GitLab data clients group only" },
            o,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-data-clients`,
            {
                securityGroupId: sg.id,
                referencedSecurityGroupId: args.network.dataClientsSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: POSTGRES_DEFAULT_PORT,
                toPort: POSTGRES_DEFAULT_PORT,
                description: "PostgreSQL from GitLab data clients",
            },
            o,
        );
        const params = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: RDS_POSTGRES_PARAMETER_FAMILY,
                description: "GitLab PostgreSQL",
                parameters: [...GITLAB_POSTGRES_PARAMETERS],
            },
            o,
        );
        // RDS refuses / " @ and spaces in passwords; letters and digits also need no escaping in URLs.
        const password = new random.RandomPassword(`${name}-password`, { length: 40, special: false }, o);
        this.password = pulumi.secret(password.result);
        this.instance = new aws.rds.Instance(
            `${name}-db`,
            {
                engine: "postgres",
                engineVersion: RDS_POSTGRES_ENGINE_VERSION,
                autoMinorVersionUpgrade: true,
                instanceClass: args.instanceClass,
                storageType: "gp3",
                allocatedStorage: args.allocatedStorageGiB,
                maxAllocatedStorage: args.maxAllocatedStorageGiB,
                storageEncrypted: true,
                kmsKeyId: args.kmsKeyArn,
                multiAz: true,
                dbName: POSTGRES_DEFAULT_DATABASE,
                username: RDS_DEFAULT_USERNAME,
                password: this.password,
                port: POSTGRES_DEFAULT_PORT,
                dbSubnetGroupName: subnets.name,
                vpcSecurityGroupIds: [sg.id],
                parameterGroupName: params.name,
                publiclyAccessible: false,
                backupRetentionPeriod: args.backupRetentionDays,
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: false,
                deletionProtection: args.protect,
                skipFinalSnapshot: args.finalSnapshotIdentifier === undefined,
                ...(args.finalSnapshotIdentifier !== undefined
                    ? { finalSnapshotIdentifier: args.finalSnapshotIdentifier }
                    : {}),
                performanceInsightsEnabled: args.performanceInsights,
                ...(args.performanceInsights
                    ? { performanceInsightsKmsKeyId: args.kmsKeyArn, performanceInsightsRetentionPeriod: 7 }
                    : {}),
            },
            { ...o, protect: args.protect },
        );
        this.registerOutputs({ address: this.instance.address });
    }
}
