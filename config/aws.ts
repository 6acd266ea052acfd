/**
 * The `data` key's `aws` variant: GitLab's data services created on AWS (RDS PostgreSQL, ElastiCache
 * Redis, S3, IRSA) by `AwsDataServices`. Every field is optional; the component applies the defaults in
 * components/defaults.ts. Types and ranges here; the naming rules are the component's.
 */
import { z } from "zod";
import { RDS_MIN_BACKUP_RETENTION_DAYS } from "../components/defaults";
import { validateNamePrefix } from "../components/data/aws-naming";
import type { Problem } from "../components/errors";

export const awsDataSchema = z.strictObject({
    type: z.literal("aws"),
    /** Prefix of bucket names and snapshot identifiers; the program defaults it to `<project>-<stack>`. */
    namePrefix: z.string().optional(),
    postgres: z
        .strictObject({
            instanceClass: z.string().optional(),
            allocatedStorageGiB: z.int().min(20).max(65536).optional(),
            maxAllocatedStorageGiB: z.int().min(20).max(65536).optional(),
            backupRetentionDays: z.int().min(RDS_MIN_BACKUP_RETENTION_DAYS).max(35).optional(),
            performanceInsights: z.boolean().optional(),
        })
        .optional(),
    redis: z
        .strictObject({
            nodeType: z.string().optional(),
            nodeCount: z.int().min(2).max(6).optional(),
            snapshotRetentionDays: z.int().min(1).max(35).optional(),
            /** A cache instance (allkeys-lru) beside the persistent one (noeviction). */
            split: z.boolean().optional(),
        })
        .optional(),
    objectStorage: z
        .strictObject({
            tmpExpirationDays: z.int().min(1).max(365).optional(),
            noncurrentVersionExpirationDays: z.int().min(1).max(3650).optional(),
        })
        .optional(),
    /** Gitaly volume snapshots with AWS Backup: AWS cron schedule (UTC) and days kept. */
    gitalyBackups: z
        .strictObject({
            schedule: z.string().optional(),
            retentionDays: z.int().min(1).max(36500).optional(),
        })
        .optional(),
    /** Pulumi protect and RDS deletion protection; `false` right before a deliberate teardown. */
    protect: z.boolean().optional(),
    /** Final snapshots (and the KMS key kept on delete); `false` only for throwaway stacks. */
    finalSnapshots: z.boolean().optional(),
});

export type AwsDataConfig = z.output<typeof awsDataSchema>;

/**
 * Cross-key rules of the AWS data path: it needs the EKS cluster (the IRSA role trusts its OIDC
 * provider) in the AWS provider's region, and a valid name prefix (the one config.ts resolved).
 * @param awsRegion the `aws:region` config value, when set
 */
export function awsDataCrossRules(
    cluster: { type: string; region?: string } | undefined,
    awsRegion: string | undefined,
    namePrefix: string,
): Problem[] {
    const problems: Problem[] = [];
    if (cluster !== undefined && cluster.type !== "eks")
        problems.push({
            path: "data.type",
            message: "aws needs cluster.type eks (expected an EKS cluster: the IRSA role trusts its OIDC provider)",
        });
    if (cluster?.type === "eks" && awsRegion !== undefined && cluster.region !== awsRegion) {
        problems.push({
            path: "cluster.region",
            message: `${cluster.region} differs from aws:region ${awsRegion} (expected the region the AWS provider deploys to)`,
        });
    }
    problems.push(...validateNamePrefix(namePrefix).map((p) => ({ path: `data.${p.path}`, message: p.message })));
    return problems;
}
