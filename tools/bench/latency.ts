/**
 * How long `pulumi up` spends creating one resource of a type: a documented model (seconds), with the
 * sources of the figures. One figure per rule (the middle of the observed range); the range and the
 * source are in {@link LATENCY_RULES} and docs/BENCHMARKS.md. Figures without a measurement behind them
 * are marked `estimate`. Pure.
 */
import type { PlannedResource } from "../plan/engine";

/** One rule of the model: the first rule whose `match` accepts a resource gives its latency. */
export interface LatencyRule {
    /** Short name shown in reports. */
    label: string;
    /** Seconds used by the model. */
    seconds: number;
    /** The observed or documented range, as text. */
    range: string;
    /** Where the figure comes from; "estimate" when it is a judgement. */
    source: string;
    match(r: PlannedResource): boolean;
}

const type = (prefix: string) => (r: PlannedResource) => r.type.startsWith(prefix);
const chartOf = (r: PlannedResource): string => String((r.inputs as { chart?: unknown }).chart ?? "");
const annotationsOf = (r: PlannedResource): Record<string, unknown> =>
    ((r.inputs as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations ?? {}) as Record<
        string,
        unknown
    >;

/** The GitLab chart (charts.gitlab.io `gitlab`), as opposed to the agent's and runner's charts. */
export function isGitLabChart(r: PlannedResource): boolean {
    return r.type === "kubernetes:helm.sh/v3:Release" && /(^|\/)gitlab$/.test(chartOf(r));
}

/** The model, most specific rules first. */
export const LATENCY_RULES: readonly LatencyRule[] = [
    {
        label: "EKS control plane",
        seconds: 600,
        range: "8-15 min",
        source: "aws/containers-roadmap#1227 (15 min average, being reduced); a 2024 apply log: 8m33s (DevopsArtFactory/terraform-provisioning#46)",
        match: type("aws:eks/cluster:Cluster"),
    },
    {
        label: "EKS managed node group",
        seconds: 240,
        range: "3-5 min",
        source: "apply logs: 2m50s (umotif-public/terraform-aws-eks-node-group#7), 3m36s (eksctl-io/eksctl#482)",
        match: type("aws:eks/nodeGroup:NodeGroup"),
    },
    { label: "EKS add-on", seconds: 60, range: "0.5-2 min", source: "estimate", match: type("aws:eks/addon:Addon") },
    {
        label: "EKS access entry / pod identity",
        seconds: 5,
        range: "seconds",
        source: "estimate",
        match: type("aws:eks/"),
    },
    {
        label: "RDS instance (Multi-AZ)",
        seconds: 1080,
        range: "15-20 min (5-10 min single-AZ)",
        source: "hashicorp/terraform#498 (creation event logs, single- vs Multi-AZ)",
        match: (r) => r.type === "aws:rds/instance:Instance" && (r.inputs as { multiAz?: unknown }).multiAz === true,
    },
    {
        label: "RDS instance (single-AZ)",
        seconds: 450,
        range: "5-10 min",
        source: "hashicorp/terraform#498",
        match: type("aws:rds/instance:Instance"),
    },
    {
        label: "ElastiCache replication group",
        seconds: 750,
        range: "10-15 min",
        source: "estimate; acceptance-test runs of 6-13 min (hashicorp/terraform#8275), default create timeout raised to 60 min (hashicorp/terraform-provider-aws#4093)",
        match: type("aws:elasticache/replicationGroup:ReplicationGroup"),
    },
    {
        label: "NAT gateway",
        seconds: 120,
        range: "1-2 min",
        source: "estimate; the AWS CLI waiter `ec2 wait nat-gateway-available` polls every 15 s up to 10 min",
        match: type("aws:ec2/natGateway:NatGateway"),
    },
    {
        label: "VPC, subnet, route, gateway, security group",
        seconds: 5,
        range: "seconds",
        source: "estimate; apply logs show 1-40 s",
        match: type("aws:ec2/"),
    },
    { label: "VPC security group rule", seconds: 2, range: "seconds", source: "estimate", match: type("aws:vpc/") },
    { label: "KMS key", seconds: 5, range: "seconds", source: "estimate", match: type("aws:kms/") },
    { label: "S3 bucket and its settings", seconds: 3, range: "seconds", source: "estimate", match: type("aws:s3/") },
    {
        label: "IAM role, policy, OIDC provider",
        seconds: 3,
        range: "seconds",
        source: "estimate (IAM is eventually consistent: a few seconds)",
        match: type("aws:iam/"),
    },
    {
        label: "RDS / ElastiCache subnet and parameter groups",
        seconds: 3,
        range: "seconds",
        source: "estimate",
        match: (r) => r.type.startsWith("aws:rds/") || r.type.startsWith("aws:elasticache/"),
    },
    { label: "CloudWatch log group", seconds: 2, range: "seconds", source: "estimate", match: type("aws:cloudwatch/") },
    { label: "other AWS resource", seconds: 5, range: "seconds", source: "estimate", match: type("aws:") },
    {
        label: "Helm release of GitLab",
        seconds: 450,
        range: "5-10 min (its timeout)",
        source: "docs.gitlab.com/charts/installation/deployment (`helm upgrade --install ... --timeout 600s`); gitlab-org/gitlab-environment-toolkit#445 (5 min too short for a first install)",
        match: isGitLabChart,
    },
    {
        label: "other Helm release",
        seconds: 90,
        range: "1-2 min",
        source: "estimate (image pulls, then pods ready)",
        match: type("kubernetes:helm.sh/"),
    },
    {
        label: "awaited custom resource (pulumi.com/waitFor)",
        seconds: 60,
        range: "0.5-2 min",
        source: "estimate (e.g. a FluxInstance Ready once Flux's controllers run)",
        match: (r) => r.type.startsWith("kubernetes:") && annotationsOf(r)["pulumi.com/waitFor"] !== undefined,
    },
    {
        label: "Kubernetes workload (rollout awaited)",
        seconds: 30,
        range: "10-60 s",
        source: "estimate (Pulumi awaits Deployments/StatefulSets until ready)",
        match: (r) =>
            /^kubernetes:apps\/v1:(Deployment|StatefulSet|DaemonSet)$/.test(r.type) ||
            r.type === "kubernetes:batch/v1:Job",
    },
    { label: "Kubernetes object", seconds: 2, range: "seconds", source: "estimate", match: type("kubernetes:") },
    {
        label: "GitLab API object",
        seconds: 1,
        range: "~1 s",
        source: "estimate (one or two REST calls)",
        match: type("pulumi-nodejs:dynamic/"),
    },
    {
        label: "provider, random value",
        seconds: 0,
        range: "none (no cloud call)",
        source: "local",
        match: (r) => r.type.startsWith("pulumi:providers:") || r.type.startsWith("random:"),
    },
];

/** The fallback for a type no rule knows. */
export const UNKNOWN_LATENCY: LatencyRule = {
    label: "unknown type",
    seconds: 5,
    range: "?",
    source: "estimate",
    match: () => true,
};

/** The rule that applies to a resource. */
export function latencyRule(r: PlannedResource, rules: readonly LatencyRule[] = LATENCY_RULES): LatencyRule {
    return rules.find((rule) => rule.match(r)) ?? UNKNOWN_LATENCY;
}
