/**
 * The resolved form of {@link AwsDataServicesArgs} and its pure validation, kept beside the component
 * so its file stays about declaring resources.
 */
import { RDS_MIN_BACKUP_RETENTION_DAYS } from "../defaults";
import type { OidcIdentity } from "../cluster/eks-config";
import { awsRegionProblem, type AwsNetworkRef } from "../network/aws-network";
import type { AwsObjectStorageSettings } from "./aws-buckets";
import { validateGitalyBackupSettings, type AwsGitalyBackupSettings } from "./aws-gitaly-backups";
import { validateNamePrefix } from "./aws-naming";
import type { AwsPostgresSettings } from "./aws-postgres";
import type { AwsRedisSettings } from "./aws-redis";
import type { GitLabBucketType } from "./connection";
import { isDnsLabel } from "../internal/validation";
import type { Problem } from "../errors";

/** `AwsDataServicesArgs` with every default applied. */
export interface ResolvedAwsDataServices {
    namePrefix: string;
    region: string;
    partition: string;
    network: AwsNetworkRef;
    oidc: OidcIdentity;
    gitlabNamespace: string;
    gitlabReleaseName: string;
    protect: boolean;
    finalSnapshots: boolean;
    postgres: Required<AwsPostgresSettings>;
    redis: Required<AwsRedisSettings>;
    objectStorage: Required<AwsObjectStorageSettings>;
    gitalyBackups: Required<AwsGitalyBackupSettings>;
    bucketNames: Record<GitLabBucketType, string>;
    /** GitLab's object-storage service accounts, `<release>-<component>`. */
    serviceAccounts: string[];
}

/** `field: value (expected integer a..b)` when out of range. */
function intRange(field: string, value: number, min: number, max: number): Problem[] {
    return Number.isInteger(value) && value >= min && value <= max
        ? []
        : [{ path: field, message: `${value} (expected an integer from ${min} to ${max})` }];
}

/** Problems of the resolved arguments, `<field>: <problem> (expected ...)`. Pure; runs before any child exists. */
export function validateAwsDataServices(r: ResolvedAwsDataServices): Problem[] {
    const problems: Problem[] = [...validateNamePrefix(r.namePrefix)];
    const regionProblem = awsRegionProblem(r.region);
    if (regionProblem) problems.push({ path: "region", message: `${regionProblem}` });
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

    const pg = r.postgres;
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
    if (pg.maxAllocatedStorageGiB < pg.allocatedStorageGiB) {
        problems.push({
            path: "postgres.maxAllocatedStorageGiB",
            message: `${pg.maxAllocatedStorageGiB} is below allocatedStorageGiB ${pg.allocatedStorageGiB} (expected a ceiling >= the initial size)`,
        });
    }
    problems.push(
        ...intRange("postgres.backupRetentionDays", pg.backupRetentionDays, RDS_MIN_BACKUP_RETENTION_DAYS, 35),
    );

    const rd = r.redis;
    if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(rd.nodeType))
        problems.push({
            path: "redis.nodeType",
            message: `"${rd.nodeType}" is not an ElastiCache node type (expected e.g. cache.m7g.large)`,
        });
    problems.push(...intRange("redis.nodeCount", rd.nodeCount, 2, 6));
    problems.push(...intRange("redis.snapshotRetentionDays", rd.snapshotRetentionDays, 1, 35));

    problems.push(...intRange("objectStorage.tmpExpirationDays", r.objectStorage.tmpExpirationDays, 1, 365));
    problems.push(
        ...intRange(
            "objectStorage.noncurrentVersionExpirationDays",
            r.objectStorage.noncurrentVersionExpirationDays,
            1,
            3650,
        ),
    );
    problems.push(...validateGitalyBackupSettings(r.gitalyBackups));
    return problems;
}
