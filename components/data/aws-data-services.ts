import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { OidcIdentity } from "../cluster/eks-config";
import { irsaAssumeRolePolicy, roleArnAfterPolicy } from "../cluster/irsa";
import {
    KMS_DELETION_WINDOW_DAYS,
    POSTGRES_DEFAULT_DATABASE,
    POSTGRES_DEFAULT_PORT,
    RDS_DEFAULT_USERNAME,
    REDIS_DEFAULT_PORT,
} from "../defaults";
import { assertValid } from "../errors";
import { parseArgs } from "../internal/spec-kit";
import type { AwsNetworkRef } from "../network/aws-network";
import { AwsBuckets, type AwsObjectStorageSettings } from "./aws-buckets";
import { AwsGitalyBackups, type AwsGitalyBackupSettings } from "./aws-gitaly-backups";
import { finalSnapshotIdentifier } from "./aws-naming";
import { buildObjectStoragePolicy } from "./aws-policies";
import { AwsPostgres, type AwsPostgresSettings } from "./aws-postgres";
import { AwsRedis, type AwsRedisSettings } from "./aws-redis";
import { awsDataServicesRules, awsDataServicesSpec, resolveAwsDataServices } from "./spec";
import {
    GITLAB_BUCKET_TYPES,
    type GitLabBucketType,
    type GitLabDataServices,
    type ObjectStorageConnection,
    type PostgresConnection,
    type RedisConnection,
} from "./connection";

/** Arguments of {@link AwsDataServices}. */
export interface AwsDataServicesArgs {
    /** Prefix of bucket names and snapshot identifiers, e.g. `defaultNamePrefix(project, stack)` (aws-naming.ts). */
    namePrefix: string;
    /** The AWS region of the stack (GitLab's object storage connection names it). */
    region: string;
    /** The VPC: private subnets and the "GitLab data clients" security group, not the cluster. */
    network: AwsNetworkRef;
    /** The EKS cluster's OIDC provider; only the IRSA role depends on it. */
    oidc: OidcIdentity;
    /**
     * Namespace GitLab is installed into (IRSA trust).
     * @default "gitlab" (`GITLAB_DEFAULT_NAMESPACE`)
     */
    gitlabNamespace?: string;
    /**
     * GitLab's Helm release name; chart-created service accounts are `<release>-<component>`.
     * @default "gitlab" (`GITLAB_DEFAULT_RELEASE_NAME`)
     */
    gitlabReleaseName?: string;
    /** The RDS PostgreSQL database. @default - see {@link AwsPostgresSettings} */
    postgres?: AwsPostgresSettings;
    /** The ElastiCache Redis replication group. @default - see {@link AwsRedisSettings} */
    redis?: AwsRedisSettings;
    /** The S3 buckets, one per GitLab object type. @default - see {@link AwsObjectStorageSettings} */
    objectStorage?: AwsObjectStorageSettings;
    /** Snapshots of Gitaly's volumes with AWS Backup. @default - see {@link AwsGitalyBackupSettings} */
    gitalyBackups?: AwsGitalyBackupSettings;
    /**
     * Pulumi `protect` on the database, Redis, buckets and KMS key, and RDS deletion protection. Turn it
     * off (then `pulumi up`) right before a deliberate teardown, or for throwaway stacks.
     * @default true
     */
    protect?: boolean;
    /**
     * Final snapshots of PostgreSQL and Redis when they are deleted, with the KMS key kept on delete
     * (`retainOnDelete`) so the snapshots, encrypted with it, stay restorable. `false` only for
     * throwaway stacks: destroy then leaves nothing behind.
     * @default true
     */
    finalSnapshots?: boolean;
}

/**
 * GitLab's data services on AWS, the production path: RDS PostgreSQL, ElastiCache Redis, one S3 bucket
 * per object type, a customer-managed KMS key (rotation on) encrypting all three, and an IRSA role for
 * GitLab's object-storage service accounts, so no static keys exist. Everything but the IRSA role
 * needs only the VPC, never the EKS cluster, and is created while the control plane comes up.
 * Implements {@link GitLabDataServices}: pass it to GitLab as is.
 */
export class AwsDataServices extends pulumi.ComponentResource implements GitLabDataServices {
    public readonly postgres: PostgresConnection;
    public readonly redis: RedisConnection;
    /** The cache-only Redis, when `redis.split` is on. */
    public readonly redisCache?: RedisConnection;
    public readonly objectStorage: ObjectStorageConnection;
    /** The IRSA role GitLab's service accounts assume. */
    public readonly roleArn: pulumi.Output<string>;
    /** What the alarms watch (components/monitoring). */
    public readonly monitoring: {
        readonly postgresInstanceId: pulumi.Output<string>;
        readonly postgresAllocatedStorageGiB: number;
        readonly redisReplicationGroupId: pulumi.Output<string>;
        readonly redisNodeCount: number;
    };
    /** What restores start from: the RDS instance, the point-in-time window and the Gitaly snapshot vault. */
    public readonly backups: {
        readonly postgresInstance: pulumi.Output<string>;
        readonly postgresPointInTimeDays: number;
        readonly gitalyVault: pulumi.Output<string>;
        readonly gitalySnapshotSchedule: string;
        readonly gitalySnapshotRetentionDays: number;
    };

    constructor(name: string, args: AwsDataServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const r = resolveAwsDataServices(parseArgs("AwsDataServices", awsDataServicesSpec, args));
        assertValid("AwsDataServices", awsDataServicesRules(r));
        super("gitlab-platform:data:AwsDataServices", name, {}, opts);
        const o = { parent: this };
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `GitLab data services of ${r.namePrefix}: RDS, ElastiCache, S3`,
                enableKeyRotation: true,
                deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
            },
            { ...o, protect: r.protect, retainOnDelete: r.finalSnapshots },
        );
        new aws.kms.Alias(`${name}-key`, { name: `alias/${r.namePrefix}-gitlab-data`, targetKeyId: key.keyId }, o);

        const snapshot = (service: "postgres" | "redis" | "redis-cache") =>
            r.finalSnapshots ? finalSnapshotIdentifier(r.namePrefix, service) : undefined;
        const db = new AwsPostgres(
            `${name}-postgres`,
            {
                ...r.postgres,
                network: r.network,
                kmsKeyArn: key.arn,
                protect: r.protect,
                finalSnapshotIdentifier: snapshot("postgres"),
            },
            o,
        );
        const { split, ...redisSettings } = r.redis;
        const redisArgs = { ...redisSettings, network: r.network, kmsKeyArn: key.arn, protect: r.protect };
        const cache = new AwsRedis(
            `${name}-redis`,
            { ...redisArgs, role: split ? "persistent" : "combined", finalSnapshotIdentifier: snapshot("redis") },
            o,
        );
        // The cache gets a final snapshot too (cheap; the pack's aws-data-final-snapshot rule holds for every group).
        const cacheOnly = split
            ? new AwsRedis(
                  `${name}-redis-cache`,
                  { ...redisArgs, role: "cache", finalSnapshotIdentifier: snapshot("redis-cache") },
                  o,
              )
            : undefined;
        const store = new AwsBuckets(
            `${name}-buckets`,
            {
                ...r.objectStorage,
                names: r.bucketNames,
                partition: r.partition,
                kmsKeyArn: key.arn,
                protect: r.protect,
            },
            o,
        );

        const role = new aws.iam.Role(
            `${name}-gitlab`,
            {
                description: `GitLab object storage (IRSA) for ${r.gitlabNamespace}/${r.serviceAccounts.join(",")}`,
                assumeRolePolicy: irsaAssumeRolePolicy(r.oidc, r.gitlabNamespace, r.serviceAccounts),
            },
            o,
        );
        const storagePolicy = new aws.iam.RolePolicy(
            `${name}-gitlab-object-storage`,
            {
                role: role.id,
                policy: key.arn.apply((arn) =>
                    JSON.stringify(buildObjectStoragePolicy(r.partition, r.region, Object.values(r.bucketNames), arn)),
                ),
            },
            o,
        );
        this.roleArn = roleArnAfterPolicy(role, storagePolicy);
        const gitaly = new AwsGitalyBackups(
            `${name}-gitaly-backups`,
            {
                ...r.gitalyBackups,
                namePrefix: r.namePrefix,
                partition: r.partition,
                kmsKeyArn: key.arn,
                gitlabNamespace: r.gitlabNamespace,
                gitlabReleaseName: r.gitlabReleaseName,
                protect: r.protect,
            },
            o,
        );
        this.monitoring = {
            postgresInstanceId: db.instance.identifier,
            postgresAllocatedStorageGiB: r.postgres.allocatedStorageGiB,
            redisReplicationGroupId: cache.replicationGroup.id,
            redisNodeCount: r.redis.nodeCount,
        };
        this.backups = {
            postgresInstance: db.instance.identifier,
            postgresPointInTimeDays: r.postgres.backupRetentionDays,
            gitalyVault: gitaly.vaultName,
            gitalySnapshotSchedule: r.gitalyBackups.schedule,
            gitalySnapshotRetentionDays: r.gitalyBackups.retentionDays,
        };

        this.postgres = {
            host: db.instance.address,
            port: POSTGRES_DEFAULT_PORT,
            database: POSTGRES_DEFAULT_DATABASE,
            username: RDS_DEFAULT_USERNAME,
            password: db.password,
        };
        this.redis = {
            host: cache.replicationGroup.primaryEndpointAddress,
            port: REDIS_DEFAULT_PORT,
            tls: true,
            password: cache.authToken,
        };
        if (cacheOnly)
            this.redisCache = {
                host: cacheOnly.replicationGroup.primaryEndpointAddress,
                port: REDIS_DEFAULT_PORT,
                tls: true,
                password: cacheOnly.authToken,
            };
        const bucketOutputs = Object.fromEntries(
            GITLAB_BUCKET_TYPES.map((t) => [t, store.buckets[t].bucket]),
        ) as Record<GitLabBucketType, pulumi.Output<string>>;
        this.objectStorage = {
            provider: "aws",
            region: r.region,
            buckets: bucketOutputs,
            auth: { type: "iamRole", roleArn: this.roleArn },
        };
        this.registerOutputs({ postgresHost: this.postgres.host, redisHost: this.redis.host, roleArn: this.roleArn });
    }
}
