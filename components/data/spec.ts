/**
 * The data services' spec: every setting of {@link AwsDataServicesArgs} and
 * {@link ExistingDataServicesArgs} once, with its shape and default (the zod schemas), and their rules,
 * returning {@link Problem}s. The documentation is the JSDoc of the Args interfaces; `satisfies` makes
 * the compiler prove each schema accepts nothing its interface does not. The stack spec (config/data.ts,
 * config/aws.ts) picks the settings for the `data` key and runs the same rules; the component and
 * `existingDataServices` parse their args with the same schemas before anything is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
    ELASTICACHE_DEFAULT_NODE_COUNT,
    ELASTICACHE_DEFAULT_NODE_TYPE,
    ELASTICACHE_SNAPSHOT_RETENTION_DAYS,
    GITALY_SNAPSHOT_RETENTION_DAYS,
    GITALY_SNAPSHOT_SCHEDULE,
    GITLAB_DEFAULT_NAMESPACE,
    GITLAB_DEFAULT_RELEASE_NAME,
    GITLAB_OBJECT_STORAGE_COMPONENTS,
    POSTGRES_DEFAULT_DATABASE,
    POSTGRES_DEFAULT_PORT,
    RDS_DEFAULT_ALLOCATED_STORAGE_GIB,
    RDS_DEFAULT_BACKUP_RETENTION_DAYS,
    RDS_DEFAULT_INSTANCE_CLASS,
    RDS_DEFAULT_MAX_ALLOCATED_STORAGE_GIB,
    RDS_MIN_BACKUP_RETENTION_DAYS,
    REDIS_DEFAULT_PORT,
    S3_NONCURRENT_VERSION_EXPIRATION_DAYS,
    S3_TMP_EXPIRATION_DAYS,
} from "../defaults";
import { awsPartition } from "../cluster/eks-config";
import { oidcIdentitySpec } from "../cluster/spec";
import type { Problem } from "../errors";
import { isDnsLabel } from "../internal/validation";
import { awsRegionProblem } from "../network/aws-network";
import { awsNetworkRefSpec } from "../network/spec";
import type { AwsDataServicesArgs } from "./aws-data-services";
import { validateGitalyBackupSettings } from "./aws-gitaly-backups";
import { gitlabBucketNames, validateNamePrefix } from "./aws-naming";
import { GITLAB_BUCKET_TYPES, type GitLabBucketType } from "./connection";
import type { ExistingDataServicesArgs, ExistingDataSettings } from "./existing";

// ---- data services created on AWS ----

/**
 * The settings a stack file can hold for the AWS data services (RDS, ElastiCache, S3, Gitaly snapshots),
 * each default applied here. Ranges are rules ({@link awsDataSettingsRules}), so every problem of one
 * object is reported together.
 */
export const awsDataSettingsSpec = z.strictObject({
    postgres: z
        .strictObject({
            instanceClass: z.string().default(RDS_DEFAULT_INSTANCE_CLASS),
            allocatedStorageGiB: z.number().default(RDS_DEFAULT_ALLOCATED_STORAGE_GIB),
            maxAllocatedStorageGiB: z.number().default(RDS_DEFAULT_MAX_ALLOCATED_STORAGE_GIB),
            backupRetentionDays: z.number().default(RDS_DEFAULT_BACKUP_RETENTION_DAYS),
            performanceInsights: z.boolean().default(false),
        })
        .prefault({}),
    redis: z
        .strictObject({
            nodeType: z.string().default(ELASTICACHE_DEFAULT_NODE_TYPE),
            nodeCount: z.number().default(ELASTICACHE_DEFAULT_NODE_COUNT),
            snapshotRetentionDays: z.number().default(ELASTICACHE_SNAPSHOT_RETENTION_DAYS),
            split: z.boolean().default(false),
        })
        .prefault({}),
    objectStorage: z
        .strictObject({
            tmpExpirationDays: z.number().default(S3_TMP_EXPIRATION_DAYS),
            noncurrentVersionExpirationDays: z.number().default(S3_NONCURRENT_VERSION_EXPIRATION_DAYS),
        })
        .prefault({}),
    gitalyBackups: z
        .strictObject({
            schedule: z.string().default(GITALY_SNAPSHOT_SCHEDULE),
            retentionDays: z.number().default(GITALY_SNAPSHOT_RETENTION_DAYS),
        })
        .prefault({}),
    protect: z.boolean().default(true),
    finalSnapshots: z.boolean().default(true),
}) satisfies z.ZodType<
    unknown,
    Omit<AwsDataServicesArgs, "namePrefix" | "region" | "network" | "oidc" | "gitlabNamespace" | "gitlabReleaseName">
>;

/** The AWS settings with every default applied. */
export type AwsDataSettings = z.output<typeof awsDataSettingsSpec>;

/** The component's whole args: the settings, names, and what the stack wires in. */
export const awsDataServicesSpec = awsDataSettingsSpec.extend({
    namePrefix: z.string(),
    region: z.string(),
    network: awsNetworkRefSpec,
    oidc: oidcIdentitySpec,
    gitlabNamespace: z.string().default(GITLAB_DEFAULT_NAMESPACE),
    gitlabReleaseName: z.string().default(GITLAB_DEFAULT_RELEASE_NAME),
}) satisfies z.ZodType<unknown, AwsDataServicesArgs>;

/** {@link AwsDataServicesArgs} with every default applied, and what follows from them. */
export type ResolvedAwsDataServices = z.output<typeof awsDataServicesSpec> & {
    partition: string;
    bucketNames: Record<GitLabBucketType, string>;
    /** GitLab's object-storage service accounts, `<release>-<component>`. */
    serviceAccounts: string[];
};

/** Derives the partition, bucket names and GitLab's service accounts from the parsed args. Pure. */
export function resolveAwsDataServices(a: z.output<typeof awsDataServicesSpec>): ResolvedAwsDataServices {
    return {
        ...a,
        partition: awsPartition(a.region),
        bucketNames: gitlabBucketNames(a.namePrefix),
        serviceAccounts: GITLAB_OBJECT_STORAGE_COMPONENTS.map((c) => `${a.gitlabReleaseName}-${c}`),
    };
}

/** `field: value (expected integer a..b)` when out of range. */
function intRange(field: string, value: number, min: number, max: number): Problem[] {
    return Number.isInteger(value) && value >= min && value <= max
        ? []
        : [{ path: field, message: `${value} (expected an integer from ${min} to ${max})` }];
}

/** The rules of the AWS settings (the stack's `data` key runs them too); paths relative to the settings. Pure. */
export function awsDataSettingsRules(s: AwsDataSettings): Problem[] {
    const problems: Problem[] = [];
    const pg = s.postgres;
    if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(pg.instanceClass))
        problems.push({
            path: "postgres.instanceClass",
            message: `"${pg.instanceClass}" is not an RDS instance class (expected e.g. db.m7g.large)`,
        });
    if (/^db\.t\d/.test(pg.instanceClass))
        problems.push({
            path: "postgres.instanceClass",
            message: `"${pg.instanceClass}" is burstable (expected a db.m, db.r or db.c class for production)`,
        });
    problems.push(...intRange("postgres.allocatedStorageGiB", pg.allocatedStorageGiB, 20, 65536));
    problems.push(...intRange("postgres.maxAllocatedStorageGiB", pg.maxAllocatedStorageGiB, 20, 65536));
    if (pg.maxAllocatedStorageGiB < pg.allocatedStorageGiB) {
        problems.push({
            path: "postgres.maxAllocatedStorageGiB",
            message: `${pg.maxAllocatedStorageGiB} is below allocatedStorageGiB ${pg.allocatedStorageGiB} (expected a ceiling >= the initial size)`,
        });
    }
    problems.push(
        ...intRange("postgres.backupRetentionDays", pg.backupRetentionDays, RDS_MIN_BACKUP_RETENTION_DAYS, 35),
    );

    const rd = s.redis;
    if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(rd.nodeType))
        problems.push({
            path: "redis.nodeType",
            message: `"${rd.nodeType}" is not an ElastiCache node type (expected e.g. cache.m7g.large)`,
        });
    problems.push(...intRange("redis.nodeCount", rd.nodeCount, 2, 6));
    problems.push(...intRange("redis.snapshotRetentionDays", rd.snapshotRetentionDays, 1, 35));

    problems.push(...intRange("objectStorage.tmpExpirationDays", s.objectStorage.tmpExpirationDays, 1, 365));
    problems.push(
        ...intRange(
            "objectStorage.noncurrentVersionExpirationDays",
            s.objectStorage.noncurrentVersionExpirationDays,
            1,
            3650,
        ),
    );
    problems.push(...validateGitalyBackupSettings(s.gitalyBackups));
    return problems;
}

/** The component's rules: the settings', plus its names, region and subnets. Pure; runs before any child exists. */
export function awsDataServicesRules(r: ResolvedAwsDataServices): Problem[] {
    const problems: Problem[] = [...validateNamePrefix(r.namePrefix)];
    const regionProblem = awsRegionProblem(r.region);
    if (regionProblem) problems.push({ path: "region", message: regionProblem });
    if (!isDnsLabel(r.gitlabNamespace))
        problems.push({
            path: "gitlabNamespace",
            message: `"${r.gitlabNamespace}" is not a namespace name (expected a DNS label)`,
        });
    if (!isDnsLabel(r.gitlabReleaseName))
        problems.push({
            path: "gitlabReleaseName",
            message: `"${r.gitlabReleaseName}" is not a release name (expected a DNS label)`,
        });
    if (r.network.privateSubnetIds.length < 2)
        problems.push({
            path: "network.privateSubnetIds",
            message: "fewer than two subnets (expected subnets in at least two zones, for Multi-AZ)",
        });
    return [...problems, ...awsDataSettingsRules(r)];
}

// ---- data services that exist already ----

/** Bucket names per type, each optional (a prefix derives the rest); a misspelled type is an unknown key. */
const buckets = z.partialRecord(z.enum(GITLAB_BUCKET_TYPES), z.string());

/** Everything about the existing services but credentials, each default applied here. */
export const existingDataSettingsSpec = z.strictObject({
    postgres: z.strictObject({
        host: z.string(),
        port: z.number().default(POSTGRES_DEFAULT_PORT),
        database: z.string().default(POSTGRES_DEFAULT_DATABASE),
        username: z.string(),
    }),
    redis: z.strictObject({
        host: z.string(),
        port: z.number().default(REDIS_DEFAULT_PORT),
        tls: z.boolean().default(false),
    }),
    objectStorage: z.strictObject({
        provider: z.enum(["aws", "google"]),
        region: z.string(),
        googleProject: z.string().optional(),
        endpoint: z.string().optional(),
        bucketPrefix: z.string().optional(),
        buckets: buckets.default({}),
        roleArn: z.string().optional(),
    }),
}) satisfies z.ZodType<unknown, ExistingDataSettings>;

/** The existing services' settings with every default applied. */
export type ResolvedExistingDataSettings = z.output<typeof existingDataSettingsSpec>;

/** A credential: a secret Output (never a plain string, which would land in the state unencrypted). */
const credential = (what: string) =>
    z.custom<pulumi.Output<string>>((v) => pulumi.Output.isInstance(v), {
        error: (issue) =>
            issue.input === undefined
                ? `missing (expected the ${what} as a secret)`
                : `not an Output (expected the ${what} as a secret Output, e.g. config.requireSecret(...))`,
    });

/** The function's whole args: the settings and the credentials. */
export const existingDataServicesSpec = existingDataSettingsSpec.extend({
    credentials: z.strictObject({
        postgresPassword: credential("PostgreSQL password"),
        redisPassword: credential("Redis password").optional(),
        objectStorageAccessKeyId: credential("object-storage access key id").optional(),
        objectStorageSecretAccessKey: credential("object-storage secret access key").optional(),
    }),
}) satisfies z.ZodType<unknown, ExistingDataServicesArgs>;
