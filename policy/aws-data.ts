/**
 * AWS data services (RDS, ElastiCache, S3, KMS): encrypted at rest and in transit, backed up, hard to
 * delete by accident, highly available where the stack's config asks for it.
 * Input names checked in @pulumi/aws 7.48.0 (`InstanceArgs`, `ReplicationGroupArgs`, `ParameterGroupArgs`,
 * `BucketPublicAccessBlockArgs`, `BucketVersioningArgs`, `KeyArgs`).
 */
import { RDS_MIN_BACKUP_RETENTION_DAYS } from "../components/defaults";
import { resourcePolicy, stackPolicy, type ResourceView, type StackViolation } from "./lib/define";
import {
    ELASTICACHE_REPLICATION_GROUP,
    KMS_KEY,
    RDS_CLUSTER,
    RDS_CLUSTER_PARAMETER_GROUP,
    RDS_INSTANCE,
    RDS_PARAMETER_GROUP,
    S3_BUCKETS,
    S3_PUBLIC_ACCESS_BLOCK,
    S3_VERSIONING,
} from "./lib/types";
import { at, listAt, stringAt, UNKNOWN, type PlainMap } from "./lib/values";

/** `<field>: not set|is <value> (expected true: <why>)`, or nothing when the field is true or unknown. */
function mustBeTrue(props: PlainMap, field: string, why: string): string[] {
    const v = at(props, [field]);
    if (v === true || v === UNKNOWN) return [];
    return [`${field}: ${v === undefined ? "not set" : `is ${JSON.stringify(v)}`} (expected true: ${why})`];
}

const isPostgres = (engine: string | undefined) => engine !== undefined && /postgres/.test(engine);

export const awsDataEncryptedAtRest = resourcePolicy(
    {
        name: "aws-data-encrypted-at-rest",
        description: "RDS databases and ElastiCache replication groups encrypt their storage.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Set storageEncrypted: true (RDS) or atRestEncryptionEnabled: true (ElastiCache), ideally with a customer-managed kmsKeyId. Encryption cannot be added to an existing RDS instance in place: restore from an encrypted snapshot copy.",
    },
    [RDS_INSTANCE, RDS_CLUSTER, ELASTICACHE_REPLICATION_GROUP],
    (r) => {
        if (r.type !== ELASTICACHE_REPLICATION_GROUP)
            return mustBeTrue(r.props, "storageEncrypted", "the storage, backups and snapshots are encrypted");
        // The provider documents the default as true for engine valkey and false for redis.
        if (stringAt(r.props, ["engine"]) === "valkey" && at(r.props, ["atRestEncryptionEnabled"]) === undefined)
            return [];
        return mustBeTrue(r.props, "atRestEncryptionEnabled", "snapshots and swap are encrypted");
    },
);

/** The `rds.force_ssl` parameter of a PostgreSQL parameter group: what is wrong with it, if anything. */
function forceSslProblem(group: PlainMap): string[] {
    if (!isPostgres(stringAt(group, ["family"]))) return [];
    const param = listAt(group, ["parameters"]).find(
        (p) => typeof p === "object" && p !== null && !Array.isArray(p) && p.name === "rds.force_ssl",
    );
    const value = param && typeof param === "object" && !Array.isArray(param) ? param.value : undefined;
    if (value === UNKNOWN || String(value) === "1") return [];
    const now = value === undefined ? "not set" : `is ${JSON.stringify(value)}`;
    return [`parameters: rds.force_ssl ${now} (expected "1": clients must connect with TLS)`];
}

export const awsDataEncryptedInTransit = resourcePolicy(
    {
        name: "aws-data-encrypted-in-transit",
        description: "Connections to PostgreSQL (RDS) and Redis (ElastiCache) must use TLS.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "ElastiCache: transitEncryptionEnabled: true with transitEncryptionMode required (GitLab then uses scheme rediss). RDS PostgreSQL: " +
            "attach a parameter group that sets rds.force_ssl to 1 (GitLab connects with sslmode prefer, so TLS is used once the server requires it).",
    },
    [RDS_INSTANCE, RDS_CLUSTER, RDS_PARAMETER_GROUP, RDS_CLUSTER_PARAMETER_GROUP, ELASTICACHE_REPLICATION_GROUP],
    (r) => {
        if (r.type === ELASTICACHE_REPLICATION_GROUP) {
            const mode = stringAt(r.props, ["transitEncryptionMode"]);
            return [
                ...mustBeTrue(r.props, "transitEncryptionEnabled", "clients connect with TLS"),
                ...(mode === "preferred"
                    ? [
                          `transitEncryptionMode: "preferred" still accepts plaintext connections (expected "required" or unset)`,
                      ]
                    : []),
            ];
        }
        if (r.type === RDS_PARAMETER_GROUP || r.type === RDS_CLUSTER_PARAMETER_GROUP) return forceSslProblem(r.props);
        const groupField = r.type === RDS_CLUSTER ? "dbClusterParameterGroupName" : "parameterGroupName";
        if (!isPostgres(stringAt(r.props, ["engine"])) || at(r.props, [groupField]) !== undefined) return [];
        return [
            `${groupField}: not set, so the engine's default parameter group applies (expected a parameter group that sets rds.force_ssl to 1)`,
        ];
    },
);

export const awsDataBackups = resourcePolicy<{ minDays: number }>(
    {
        name: "aws-data-backups",
        description:
            "RDS keeps automated backups and ElastiCache keeps snapshots for at least the configured number of days.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Set backupRetentionPeriod (RDS) or snapshotRetentionLimit (ElastiCache) to at least the policy's minDays.",
        configSchema: {
            properties: {
                minDays: {
                    type: "integer",
                    minimum: 1,
                    default: RDS_MIN_BACKUP_RETENTION_DAYS,
                    description: "Minimum retention of automated backups, in days.",
                },
            },
        },
    },
    [RDS_INSTANCE, RDS_CLUSTER, ELASTICACHE_REPLICATION_GROUP],
    (r, config) => {
        const field = r.type === ELASTICACHE_REPLICATION_GROUP ? "snapshotRetentionLimit" : "backupRetentionPeriod";
        const days = at(r.props, [field]);
        if (days === UNKNOWN || (typeof days === "number" && days >= config.minDays)) return [];
        return [
            `${field}: ${days === undefined ? "not set" : `${JSON.stringify(days)} days`} (expected at least ${config.minDays} days)`,
        ];
    },
);

export const awsDataDeletionProtection = resourcePolicy(
    {
        name: "aws-data-deletion-protection",
        description: "RDS databases have deletion protection on.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Set deletionProtection: true; turning it off becomes a reviewed change of its own before any deletion.",
    },
    [RDS_INSTANCE, RDS_CLUSTER],
    (r) => mustBeTrue(r.props, "deletionProtection", "the database cannot be deleted by accident"),
);

export const awsDataFinalSnapshot = resourcePolicy(
    {
        name: "aws-data-final-snapshot",
        description: "Deleting an RDS database or ElastiCache replication group leaves a final snapshot.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps: "Set finalSnapshotIdentifier (and leave skipFinalSnapshot unset or false on RDS).",
    },
    [RDS_INSTANCE, RDS_CLUSTER, ELASTICACHE_REPLICATION_GROUP],
    (r) => {
        const problems: string[] = [];
        if (r.type !== ELASTICACHE_REPLICATION_GROUP && at(r.props, ["skipFinalSnapshot"]) === true) {
            problems.push("skipFinalSnapshot: true deletes the database without a snapshot (expected false or unset)");
        }
        if (at(r.props, ["finalSnapshotIdentifier"]) === undefined)
            problems.push("finalSnapshotIdentifier: not set (expected the name of the snapshot taken on deletion)");
        return problems;
    },
);

export const awsDataMultiAz = resourcePolicy(
    {
        name: "aws-data-multi-az",
        description: "RDS and ElastiCache keep a standby in a second availability zone with automatic failover.",
        severity: "medium",
        enforcementLevel: "advisory",
        remediationSteps:
            "Set multiAz: true (RDS), or multiAzEnabled: true with automaticFailoverEnabled: true and at least two nodes (ElastiCache).",
    },
    [RDS_INSTANCE, ELASTICACHE_REPLICATION_GROUP],
    (r) =>
        r.type === RDS_INSTANCE
            ? mustBeTrue(r.props, "multiAz", "a standby in another zone takes over on failure")
            : [
                  ...mustBeTrue(r.props, "multiAzEnabled", "a replica in another zone takes over on failure"),
                  ...mustBeTrue(r.props, "automaticFailoverEnabled", "a replica is promoted without manual action"),
              ],
);

export const awsKmsKeyRotation = resourcePolicy(
    {
        name: "aws-kms-key-rotation",
        description: "Customer-managed symmetric KMS keys rotate their key material automatically.",
        severity: "medium",
        enforcementLevel: "advisory",
        remediationSteps: "Set enableKeyRotation: true (yearly by default, rotationPeriodInDays to change it).",
    },
    [KMS_KEY],
    (r) => {
        const spec = stringAt(r.props, ["customerMasterKeySpec"]);
        if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return [];
        return mustBeTrue(r.props, "enableKeyRotation", "AWS rotates the key material");
    },
);

/** Resources whose deletion loses data. */
export const STATEFUL_TYPES = [RDS_INSTANCE, RDS_CLUSTER, ELASTICACHE_REPLICATION_GROUP, ...S3_BUCKETS, KMS_KEY];

export const awsStatefulProtected = resourcePolicy(
    {
        name: "aws-stateful-protected",
        description: "Stateful resources (databases, caches, buckets, keys) carry the protect resource option.",
        severity: "high",
        enforcementLevel: "advisory",
        remediationSteps:
            "Declare them with { protect: true } (or the `protect` argument of the data components); removing one then takes an explicit " +
            "`pulumi state unprotect` first, so a refactoring or a bad merge cannot delete data.",
    },
    STATEFUL_TYPES,
    (r) =>
        r.protect
            ? []
            : ["opts.protect: false (expected true: a deletion or replacement must be an explicit decision)"],
);

/** The companion resources (public access block, versioning) that point at a bucket: by dependency or by bucket name. */
function companionsOf(bucket: ResourceView, all: ResourceView[], types: readonly string[]): ResourceView[] {
    const name = stringAt(bucket.props, ["bucket"]);
    return all.filter(
        (c) =>
            types.includes(c.type) &&
            (c.dependencies.includes(bucket.urn) || (name !== undefined && stringAt(c.props, ["bucket"]) === name)),
    );
}

const BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];

export const awsS3PublicAccessBlocked = stackPolicy(
    {
        name: "aws-s3-public-access-blocked",
        description: "Every S3 bucket has a public access block with all four settings on and no public ACL.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Declare an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true; remove public ACLs.",
    },
    (resources) =>
        resources
            .filter((b) => S3_BUCKETS.includes(b.type))
            .flatMap((bucket): StackViolation[] => {
                const out: StackViolation[] = [];
                const acl = stringAt(bucket.props, ["acl"]);
                if (acl !== undefined && PUBLIC_ACLS.includes(acl))
                    out.push({
                        urn: bucket.urn,
                        message: `acl: "${acl}" grants public access (expected private or unset)`,
                    });
                const blocks = companionsOf(bucket, resources, [S3_PUBLIC_ACCESS_BLOCK]);
                if (blocks.length === 0)
                    out.push({
                        urn: bucket.urn,
                        message:
                            "no BucketPublicAccessBlock for this bucket (expected one with all four settings true)",
                    });
                for (const block of blocks) {
                    const off = BLOCK_FLAGS.filter(
                        (f) => at(block.props, [f]) !== true && at(block.props, [f]) !== UNKNOWN,
                    );
                    if (off.length > 0)
                        out.push({
                            urn: block.urn,
                            message: `${off.join(", ")}: not true (expected ${BLOCK_FLAGS.join(", ")} all true)`,
                        });
                }
                return out;
            }),
);

export const awsS3Versioning = stackPolicy(
    {
        name: "aws-s3-versioning",
        description: "Every S3 bucket keeps object versions, so an overwrite or deletion can be undone.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            'Declare an aws.s3.BucketVersioning for the bucket with versioningConfiguration.status "Enabled" (expire noncurrent versions with a lifecycle rule).',
    },
    (resources) =>
        resources
            .filter((b) => S3_BUCKETS.includes(b.type))
            .flatMap((bucket): StackViolation[] => {
                if (at(bucket.props, ["versioning", "enabled"]) === true) return [];
                const versionings = companionsOf(bucket, resources, S3_VERSIONING);
                if (versionings.length === 0)
                    return [
                        {
                            urn: bucket.urn,
                            message:
                                'no BucketVersioning for this bucket (expected one with versioningConfiguration.status "Enabled")',
                        },
                    ];
                return versionings.flatMap((v) => {
                    const status = at(v.props, ["versioningConfiguration", "status"]);
                    return status === "Enabled" || status === UNKNOWN
                        ? []
                        : [
                              {
                                  urn: v.urn,
                                  message: `versioningConfiguration.status: ${JSON.stringify(status ?? null)} (expected "Enabled")`,
                              },
                          ];
                });
            }),
);

/** The AWS data policies. */
export const AWS_DATA_POLICIES = [
    awsDataEncryptedAtRest,
    awsDataEncryptedInTransit,
    awsDataBackups,
    awsDataDeletionProtection,
    awsDataFinalSnapshot,
    awsDataMultiAz,
    awsKmsKeyRotation,
    awsStatefulProtected,
    awsS3PublicAccessBlocked,
    awsS3Versioning,
];
