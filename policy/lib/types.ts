/**
 * Resource type tokens the policies look at, as the providers register them (checked in
 * @pulumi/kubernetes 4.34.2, @pulumi/aws 7.48.0 and @pulumi/eks 4.3.0 `__pulumiType`), and small readers
 * shared by several domains.
 */
import type { ResourceView } from "./define";
import { at, stringAt, type PlainMap } from "./values";

export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
export const HELM_CHART_V4 = "kubernetes:helm.sh/v4:Chart";

export const SERVICE = "kubernetes:core/v1:Service";
export const SECRET_TYPE = "kubernetes:core/v1:Secret";
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
export const CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
export const ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";

/** Workloads and where their pod spec sits. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
    "kubernetes:core/v1:Pod": ["spec"],
};
export const WORKLOAD_TYPES = Object.keys(POD_SPEC_PATHS);

/** Flux: sources (`source.toolkit.fluxcd.io` v1 and the deprecated v1beta2) and Kustomizations. */
export const FLUX_SOURCE =
    /^kubernetes:source\.toolkit\.fluxcd\.io\/v1(?:beta2)?:(?:OCIRepository|GitRepository|HelmRepository|Bucket)$/;
export const FLUX_OCI_REPOSITORY = /^kubernetes:source\.toolkit\.fluxcd\.io\/v1(?:beta2)?:OCIRepository$/;
export const FLUX_KUSTOMIZATION = /^kubernetes:kustomize\.toolkit\.fluxcd\.io\/v1(?:beta2)?:Kustomization$/;

export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
export const RDS_CLUSTER_PARAMETER_GROUP = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
export const ELASTICACHE_REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
/** `s3.Bucket` (the v7 name) and `s3.BucketV2` (deprecated alias of the same resource). */
export const S3_BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const S3_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const S3_VERSIONING = [
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
];
export const KMS_KEY = "aws:kms/key:Key";
export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
/** @pulumi/eks components (remote: their inputs are registered like a custom resource's). */
export const EKS_COMPONENT_CLUSTER = "eks:index:Cluster";
export const EKS_MANAGED_NODE_GROUP = "eks:index:ManagedNodeGroup";

/** This project's components. */
export const CLUSTER_COMPONENT = "gitlab-platform:cluster:KubernetesCluster";
export const GITLAB_COMPONENT = "gitlab-platform:gitlab:GitLab";

/**
 * The chart a Helm release installs, by name: `gitlab` from `chart: "gitlab"`, `"gitlab/gitlab"` or
 * `"oci://registry.example.com/charts/gitlab:1.2.3"`.
 */
export function chartName(props: PlainMap): string | undefined {
    const chart = stringAt(props, ["chart"]);
    if (chart === undefined) return undefined;
    const last =
        chart
            .replace(/^oci:\/\//, "")
            .split("/")
            .at(-1) ?? "";
    return last.replace(/:.*$/, "").replace(/-\d+\.\d+\.\d+\.tgz$/, "");
}

/** A Helm release's `values`, as a map. */
export function helmValues(props: PlainMap): PlainMap {
    const v = at(props, ["values"]);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : {};
}

/** `namespace/name` of a Kubernetes object (`?` for parts unknown at preview). */
export function objectRef(props: PlainMap): string {
    const ns =
        stringAt(props, ["metadata", "namespace"]) ??
        (at(props, ["metadata", "namespace"]) === undefined ? "default" : "?");
    return `${ns}/${stringAt(props, ["metadata", "name"]) ?? "?"}`;
}

/** Whether a resource is named in an allow list, by `namespace/name` or by its Pulumi resource name. */
export function isAllowed(r: ResourceView, allowed: readonly string[]): boolean {
    return allowed.includes(r.name) || allowed.includes(objectRef(r.props));
}
