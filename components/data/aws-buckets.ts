import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { S3_ABORT_MULTIPART_DAYS } from "../defaults";
import { GITLAB_BUCKET_TYPES, type GitLabBucketType } from "./connection";
import { buildTlsOnlyBucketPolicy } from "./aws-policies";

/** User-facing settings of GitLab's S3 buckets. */
export interface AwsObjectStorageSettings {
    /**
     * Days after which objects in the backup `tmp` bucket expire.
     * @default 7 (`S3_TMP_EXPIRATION_DAYS`)
     */
    tmpExpirationDays?: number;
    /**
     * Days a replaced or deleted object version is kept (versioning is on for every bucket).
     * @default 30 (`S3_NONCURRENT_VERSION_EXPIRATION_DAYS`)
     */
    noncurrentVersionExpirationDays?: number;
}

/** Arguments of {@link AwsBuckets}: resolved settings plus what the parent provides. */
export interface AwsBucketsArgs extends Required<AwsObjectStorageSettings> {
    /** Bucket name per type (see aws-naming.ts). */
    names: Record<GitLabBucketType, string>;
    /** ARN partition, for the bucket policies. */
    partition: string;
    /** The customer-managed key of the data services (SSE-KMS with S3 Bucket Keys). */
    kmsKeyArn: pulumi.Input<string>;
    /** Pulumi `protect` on the buckets. */
    protect: boolean;
}

/** Lifecycle rules of a bucket: unfinished uploads and old versions go; tmp objects expire. Pure. */
export function lifecycleRules(
    type: GitLabBucketType,
    s: Required<AwsObjectStorageSettings>,
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: S3_ABORT_MULTIPART_DAYS },
        },
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: s.noncurrentVersionExpirationDays },
        },
    ];
    if (type === "tmp")
        rules.push({
            id: "expire-tmp-objects",
            status: "Enabled",
            filter: {},
            expiration: { days: s.tmpExpirationDays },
        });
    return rules;
}

/**
 * One private S3 bucket per GitLab object type: SSE-KMS with the data key, versioning, every public
 * access block on, ACLs disabled (BucketOwnerEnforced), a TLS-only bucket policy, lifecycle rules.
 * No `forceDestroy`: a bucket with objects is never deleted by Pulumi.
 * @see https://docs.gitlab.com/charts/advanced/external-object-storage/
 */
export class AwsBuckets extends pulumi.ComponentResource {
    public readonly buckets: Record<GitLabBucketType, aws.s3.Bucket>;

    constructor(name: string, args: AwsBucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:data:AwsBuckets", name, {}, opts);
        const o = { parent: this };
        const buckets: Partial<Record<GitLabBucketType, aws.s3.Bucket>> = {};
        for (const type of GITLAB_BUCKET_TYPES) {
            const n = `${name}-${type}`;
            const bucketName = args.names[type];
            const bucket = new aws.s3.Bucket(
                n,
                { bucket: bucketName, forceDestroy: false },
                { ...o, protect: args.protect },
            );
            // The settings that keep a bucket private, encrypted and versioned are protected with it, so that a
            // destroy (or --exclude-protected) cannot strip them from a bucket that stays.
            const kept = { ...o, protect: args.protect };
            const publicAccess = new aws.s3.BucketPublicAccessBlock(
                `${n}-public-access`,
                {
                    bucket: bucket.id,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
                kept,
            );
            new aws.s3.BucketOwnershipControls(
                `${n}-ownership`,
                { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
                kept,
            );
            new aws.s3.BucketServerSideEncryptionConfiguration(
                `${n}-encryption`,
                {
                    bucket: bucket.id,
                    rules: [
                        {
                            applyServerSideEncryptionByDefault: {
                                sseAlgorithm: "aws:kms",
                                kmsMasterKeyId: args.kmsKeyArn,
                            },
                            bucketKeyEnabled: true,
                        },
                    ],
                },
                kept,
            );
            const versioning = new aws.s3.BucketVersioning(
                `${n}-versioning`,
                { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
                kept,
            );
            // Rules on noncurrent versions need versioning in place first.
            new aws.s3.BucketLifecycleConfiguration(
                `${n}-lifecycle`,
                { bucket: bucket.id, rules: lifecycleRules(type, args) },
                { ...kept, dependsOn: [versioning] },
            );
            new aws.s3.BucketPolicy(
                `${n}-tls-only`,
                { bucket: bucket.id, policy: JSON.stringify(buildTlsOnlyBucketPolicy(args.partition, bucketName)) },
                { ...kept, dependsOn: [publicAccess] },
            );
            buckets[type] = bucket;
        }
        this.buckets = buckets as Record<GitLabBucketType, aws.s3.Bucket>;
        this.registerOutputs({});
    }
}
