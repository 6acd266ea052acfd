import type * as pulumi from "@pulumi/pulumi";

/**
 * The connection interface of GitLab's external data services. Both the `existing` path (endpoints
 * from configuration) and the `aws` path (RDS, ElastiCache, S3 created by the stack) produce it, and
 * the GitLab component consumes only this. Credentials are secret Outputs, never plain strings.
 */

/** External PostgreSQL (17 for chart 10.x). */
export interface PostgresConnection {
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    /** @default "gitlabhq_production" */
    database: pulumi.Input<string>;
    username: pulumi.Input<string>;
    /** Secret. */
    password: pulumi.Output<string>;
}

/** External Redis (6+). */
export interface RedisConnection {
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    /** TLS in transit (`rediss`). */
    tls: boolean;
    /** AUTH password or token, secret; absent when the server has no auth. */
    password?: pulumi.Output<string>;
}

/** The object types GitLab stores, one bucket each, plus registry, backups and the backup tmp bucket. */
export const GITLAB_BUCKET_TYPES = [
    "lfs",
    "artifacts",
    "uploads",
    "packages",
    "externalDiffs",
    "terraformState",
    "ciSecureFiles",
    "dependencyProxy",
    "registry",
    "backups",
    "tmp",
] as const;
/** One of {@link GITLAB_BUCKET_TYPES}. */
export type GitLabBucketType = (typeof GITLAB_BUCKET_TYPES)[number];

/** How GitLab authenticates to object storage. */
export type ObjectStorageAuth =
    /** IAM role of the pod (IRSA on EKS): no static keys exist. */
    | { type: "iamRole"; roleArn?: pulumi.Input<string> }
    /** Static access keys, secret. */
    | { type: "accessKey"; accessKeyId: pulumi.Output<string>; secretAccessKey: pulumi.Output<string> };

/** S3-compatible (or Google) object storage with one bucket per type. */
export interface ObjectStorageConnection {
    provider: "aws" | "google";
    /** Region (AWS) or location (Google). */
    region: string;
    /** Google project, for `provider: google`. */
    googleProject?: string;
    /** S3-compatible endpoint for non-AWS S3 services; absent for AWS itself. */
    endpoint?: string;
    /** Bucket name per type. */
    buckets: Record<GitLabBucketType, pulumi.Input<string>>;
    auth: ObjectStorageAuth;
}

/** Everything GitLab needs outside the cluster. */
export interface GitLabDataServices {
    postgres: PostgresConnection;
    /** The combined Redis, or the persistent one when {@link redisCache} is set. */
    redis: RedisConnection;
    /**
     * A separate cache-only Redis (`global.redis.cache`), as the reference architectures split them.
     * @default - none; the cache lives in {@link redis}
     */
    redisCache?: RedisConnection;
    objectStorage: ObjectStorageConnection;
}
