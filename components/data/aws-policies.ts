/**
 * Pure IAM and bucket policy documents of the AWS data services. Bucket ARNs derive from the names
 * (`arn:<partition>:s3:::<name>`), so the documents are complete at plan time.
 */
import type { PolicyDocument } from "../cluster/irsa";

/** ARN of a bucket by name. */
export function bucketArn(partition: string, bucket: string): string {
    return `arn:${partition}:s3:::${bucket}`;
}

/**
 * Denies every request to the bucket that does not use TLS.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export function buildTlsOnlyBucketPolicy(partition: string, bucket: string): PolicyDocument {
    const arn = bucketArn(partition, bucket);
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** S3 actions on the buckets themselves: listing and multipart bookkeeping (the registry driver needs both). */
export const OBJECT_STORAGE_BUCKET_ACTIONS = [
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:ListBucketMultipartUploads",
] as const;

/** S3 actions on objects: read, write, delete, multipart parts. */
export const OBJECT_STORAGE_OBJECT_ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListMultipartUploadParts",
    "s3:AbortMultipartUpload",
] as const;

/**
 * GitLab's object storage permissions: exactly its buckets, and the KMS key only through S3 in the
 * region (SSE-KMS needs GenerateDataKey to write and Decrypt to read).
 * @see https://docs.gitlab.com/charts/advanced/external-object-storage/aws-iam-roles/
 * @see https://distribution.github.io/distribution/storage-drivers/s3/
 */
export function buildObjectStoragePolicy(
    partition: string,
    region: string,
    buckets: readonly string[],
    kmsKeyArn: string,
): PolicyDocument {
    const arns = buckets.map((b) => bucketArn(partition, b));
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "Buckets", Effect: "Allow", Action: [...OBJECT_STORAGE_BUCKET_ACTIONS], Resource: arns },
            {
                Sid: "Objects",
                Effect: "Allow",
                Action: [...OBJECT_STORAGE_OBJECT_ACTIONS],
                Resource: arns.map((a) => `${a}/*`),
            },
            {
                Sid: "BucketKey",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: kmsKeyArn,
                Condition: {
                    StringEquals: {
                        "kms:ViaService": `s3.${region}.${partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}`,
                    },
                },
            },
        ],
    };
}
