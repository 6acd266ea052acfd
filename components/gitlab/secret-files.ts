/**
 * Pure builders of the credential files GitLab reads from Kubernetes Secrets: the Fog connection of
 * Rails object storage, the registry's storage-driver configuration and the toolbox's s3cmd file for
 * backups. Inputs are plain strings (resolved inside `apply`), so each builder is tested without Pulumi.
 */
import { stringify } from "yaml";

/** Where and how object storage is reached, with credentials resolved. */
export interface StorageFileInputs {
    provider: "aws" | "google";
    region: string;
    googleProject?: string;
    /** S3-compatible endpoint; absent for AWS itself. */
    endpoint?: string;
    /** Static keys; absent when an IAM role (IRSA) or Workload Identity is used. */
    keys?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The consolidated object-storage connection (Fog YAML). AWS: `provider: AWS` with keys or
 * `use_iam_profile: true` (IRSA; then no endpoint). Google: Workload Identity, so the key fields are null.
 * @see https://docs.gitlab.com/charts/advanced/external-object-storage/aws-iam-roles/
 * @see https://docs.gitlab.com/charts/advanced/external-object-storage/gke-workload-identity/
 */
export function fogConnection(i: StorageFileInputs): string {
    if (i.provider === "google") {
        return stringify({
            provider: "Google",
            google_project: i.googleProject,
            google_client_email: null,
            google_json_key_string: null,
        });
    }
    return stringify({
        provider: "AWS",
        region: i.region,
        ...(i.keys
            ? { aws_access_key_id: i.keys.accessKeyId, aws_secret_access_key: i.keys.secretAccessKey }
            : { use_iam_profile: true }),
        ...(i.endpoint ? { endpoint: i.endpoint, path_style: true } : {}),
    });
}

/**
 * The container registry's storage-driver configuration: `s3` (bucket, region, v4auth; keys only when
 * static) or `gcs` (bucket; Application Default Credentials through Workload Identity).
 * @see https://docs.gitlab.com/charts/charts/registry/#storage
 */
export function registryStorageConfig(i: StorageFileInputs, bucket: string): string {
    if (i.provider === "google") return stringify({ gcs: { bucket } });
    return stringify({
        s3: {
            bucket,
            region: i.region,
            v4auth: true,
            ...(i.keys ? { accesskey: i.keys.accessKeyId, secretkey: i.keys.secretAccessKey } : {}),
            ...(i.endpoint ? { regionendpoint: i.endpoint } : {}),
        },
    });
}

/**
 * The toolbox's s3cmd configuration for backups to S3; without keys s3cmd uses the pod's IAM role.
 * @see https://docs.gitlab.com/charts/advanced/external-object-storage/#backups-storage-example
 */
export function s3cmdConfig(i: StorageFileInputs): string {
    const lines = ["[default]"];
    if (i.keys) lines.push(`access_key = ${i.keys.accessKeyId}`, `secret_key = ${i.keys.secretAccessKey}`);
    lines.push(`bucket_location = ${i.region}`);
    if (i.endpoint) {
        const url = new URL(i.endpoint);
        lines.push(
            `host_base = ${url.host}`,
            `host_bucket = ${url.host}`,
            `use_https = ${url.protocol === "https:" ? "True" : "False"}`,
        );
    }
    return lines.join("\n") + "\n";
}
