import type * as pulumi from "@pulumi/pulumi";
import {
    EKS_AMI_TYPES,
    EKS_CONTROL_PLANE_LOG_TYPES,
    EKS_DEFAULT_NODE_GROUPS,
    EKS_GITLAB_WORKLOADS,
    EKS_INSTANCE_TYPES,
    EKS_LOG_RETENTION_DAYS,
    EKS_NODE_DISK_SIZE_GIB,
    EKS_WORKLOADS,
    GITLAB_MIN_CLUSTER_MEMORY_GB,
    GITLAB_MIN_CLUSTER_VCPU,
    type EksWorkload,
    type KubernetesVersion,
} from "../defaults";
import { awsRegionProblem, type AwsNetworkRef } from "../network/aws-network";
import type { Problem } from "../errors";

/**
 * The shape of one EKS managed node group.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html
 */
export interface EksNodeGroupSpec {
    /** Instance types, all of one CPU architecture, each in {@link EKS_INSTANCE_TYPES}. */
    instanceTypes: string[];
    /** Fewest nodes the cluster autoscaler keeps. */
    minSize: number;
    /** Most nodes the cluster autoscaler may add. */
    maxSize: number;
    /**
     * `ON_DEMAND` or `SPOT` (cheaper, interruptible: fine for runners, not for GitLab itself).
     * @default "ON_DEMAND"
     */
    capacityType?: "ON_DEMAND" | "SPOT";
    /**
     * Root volume size per node, GiB.
     * @default 100 ({@link EKS_NODE_DISK_SIZE_GIB})
     */
    diskSizeGiB?: number;
}

/** Arguments of the `eks` variant of {@link KubernetesCluster}: a new EKS cluster with node groups per workload. */
export interface EksClusterArgs {
    /** Selects the EKS path. */
    type: "eks";
    /** The cluster's Kubernetes minor version; must be inside `SUPPORTED_KUBERNETES_VERSIONS` (defaults.ts). */
    kubernetesVersion: KubernetesVersion;
    /** The AWS region (the kubeconfig's token command and the ARN partition derive from it). */
    region: string;
    /** The VPC: private subnets for the control plane and nodes, the data-clients group nodes carry. */
    network: AwsNetworkRef;
    /**
     * The EKS cluster's name, unique per account and region.
     * @default - the component's name
     */
    clusterName?: string;
    /**
     * Opens the API server's public endpoint to these CIDRs (the private endpoint is always on). Open it
     * when `pulumi up` runs outside the VPC; never to 0.0.0.0/0.
     * @default - public endpoint off: the API server is reachable from inside the VPC only
     * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
     */
    publicAccessCidrs?: string[];
    /**
     * Node groups by workload; a given group replaces the default of that workload entirely.
     * @default - {@link EKS_DEFAULT_NODE_GROUPS}, sized for GitLab's Cloud Native First "S"
     */
    nodeGroups?: Partial<Record<EksWorkload, EksNodeGroupSpec>>;
    /**
     * Reject node groups whose minimum capacity is below GitLab's documented minimum (8 vCPU, 30 GB);
     * set when the stack installs GitLab on this cluster.
     * @default false
     */
    requireGitLabCapacity?: boolean;
    /**
     * IAM principals (roles or users) granted cluster admin through EKS access entries, e.g. a CI role.
     * The identity that runs `pulumi up` is admin anyway (EKS's creator bootstrap).
     * @default []
     */
    adminPrincipalArns?: string[];
    /**
     * EKS deletion protection, and Pulumi `protect` on the key encrypting the cluster's Secrets: the
     * cluster (and the Gitaly volumes it holds) cannot be deleted by accident. Set false, then
     * `pulumi up`, right before a deliberate teardown.
     * @default true
     */
    deletionProtection?: boolean;
    /**
     * Retention of the control plane logs, days.
     * @default 90 ({@link EKS_LOG_RETENTION_DAYS})
     */
    logRetentionDays?: number;
}

/** vCPUs and memory. */
export interface Capacity {
    vcpu: number;
    memoryGiB: number;
}

/** Total node capacity at the autoscaler's bounds: the floor with every group at min size (smallest type), the ceiling at max size (largest type). */
export interface NodeCapacity {
    min: Capacity;
    max: Capacity;
    byNodeGroup: Record<string, { min: Capacity; max: Capacity }>;
}

/** The cluster's OIDC identity provider, for IAM roles for service accounts (IRSA). */
export interface OidcIdentity {
    /** ARN of the IAM OIDC provider. */
    providerArn: pulumi.Input<string>;
    /** The issuer without `https://` (`oidc.eks.<region>.amazonaws.com/id/<id>`), the condition key prefix. */
    issuer: pulumi.Input<string>;
}

/** A node group with every default applied. */
export interface ResolvedNodeGroup extends Required<EksNodeGroupSpec> {
    workload: EksWorkload;
    amiType: string;
}

/** The settings of an EKS cluster: its args without the network it is wired to. */
export type EksClusterSettings = Omit<EksClusterArgs, "network">;

/** {@link EksClusterArgs} with every default applied. */
export type ResolvedEksCluster = ResolvedEksClusterSettings & Pick<EksClusterArgs, "network">;

/** {@link EksClusterSettings} with every default applied. */
export interface ResolvedEksClusterSettings extends Omit<EksClusterSettings, "nodeGroups"> {
    clusterName: string;
    partition: string;
    publicAccessCidrs: string[];
    nodeGroups: ResolvedNodeGroup[];
    requireGitLabCapacity: boolean;
    adminPrincipalArns: string[];
    deletionProtection: boolean;
    logRetentionDays: number;
    logTypes: string[];
}

/** The ARN partition of a region, derived without an AWS call. */
export function awsPartition(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/** Applies defaults once. Pure. */
export function resolveEksCluster(name: string, args: EksClusterSettings): ResolvedEksClusterSettings {
    const nodeGroups = EKS_WORKLOADS.map((workload): ResolvedNodeGroup => {
        const spec = args.nodeGroups?.[workload] ?? {
            ...EKS_DEFAULT_NODE_GROUPS[workload],
            instanceTypes: [...EKS_DEFAULT_NODE_GROUPS[workload].instanceTypes],
        };
        const arch = EKS_INSTANCE_TYPES[spec.instanceTypes[0]]?.arch ?? "x86_64";
        return {
            workload,
            instanceTypes: spec.instanceTypes,
            minSize: spec.minSize,
            maxSize: spec.maxSize,
            capacityType: spec.capacityType ?? "ON_DEMAND",
            diskSizeGiB: spec.diskSizeGiB ?? EKS_NODE_DISK_SIZE_GIB,
            amiType: EKS_AMI_TYPES[arch],
        };
    });
    return {
        ...args,
        clusterName: args.clusterName ?? name,
        partition: awsPartition(args.region),
        publicAccessCidrs: args.publicAccessCidrs ?? [],
        nodeGroups,
        requireGitLabCapacity: args.requireGitLabCapacity ?? false,
        adminPrincipalArns: args.adminPrincipalArns ?? [],
        deletionProtection: args.deletionProtection ?? true,
        logRetentionDays: args.logRetentionDays ?? EKS_LOG_RETENTION_DAYS,
        logTypes: [...EKS_CONTROL_PLANE_LOG_TYPES],
    };
}

/** Capacity of node groups whose instance types are all in the table. Pure. */
export function nodeCapacity(groups: readonly ResolvedNodeGroup[]): NodeCapacity {
    const byNodeGroup: NodeCapacity["byNodeGroup"] = {};
    const total = { min: { vcpu: 0, memoryGiB: 0 }, max: { vcpu: 0, memoryGiB: 0 } };
    for (const g of groups) {
        const facts = g.instanceTypes.map((t) => EKS_INSTANCE_TYPES[t]).filter((f) => f !== undefined);
        if (facts.length === 0) continue;
        const smallest = facts.reduce((a, b) =>
            b.vcpu < a.vcpu || (b.vcpu === a.vcpu && b.memoryGiB < a.memoryGiB) ? b : a,
        );
        const largest = facts.reduce((a, b) =>
            b.vcpu > a.vcpu || (b.vcpu === a.vcpu && b.memoryGiB > a.memoryGiB) ? b : a,
        );
        const entry = {
            min: { vcpu: g.minSize * smallest.vcpu, memoryGiB: g.minSize * smallest.memoryGiB },
            max: { vcpu: g.maxSize * largest.vcpu, memoryGiB: g.maxSize * largest.memoryGiB },
        };
        byNodeGroup[g.workload] = entry;
        for (const bound of ["min", "max"] as const) {
            total[bound].vcpu += entry[bound].vcpu;
            total[bound].memoryGiB += entry[bound].memoryGiB;
        }
    }
    return { ...total, byNodeGroup };
}

/** Retention periods CloudWatch Logs accepts, days. */
export const CLOUDWATCH_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** GB (10^9 bytes, as GitLab states its minimum) to GiB. */
const gbToGiB = (gb: number): number => (gb * 1e9) / 2 ** 30;

/**
 * Problems of the arguments, `<field>: <problem> (expected ...)`. Pure; runs before any child exists. The
 * Kubernetes version is checked by the spec (`kubernetesVersionSpec`).
 */
export function validateEksCluster(r: ResolvedEksClusterSettings): Problem[] {
    const problems: Problem[] = [];
    const regionProblem = awsRegionProblem(r.region);
    if (regionProblem) problems.push({ path: "region", message: `${regionProblem}` });
    if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(r.clusterName)) {
        problems.push({
            path: "clusterName",
            message: `"${r.clusterName}" is not an EKS cluster name (expected 1-100 letters, digits, hyphens, underscores, starting with a letter or digit)`,
        });
    }
    for (const cidr of r.publicAccessCidrs) {
        if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr))
            problems.push({ path: "publicAccessCidrs", message: `"${cidr}" is not an IPv4 CIDR (expected a.b.c.d/p)` });
        else if (cidr.endsWith("/0"))
            problems.push({
                path: "publicAccessCidrs",
                message: `"${cidr}" opens the API server to the whole internet (expected the CIDRs of your CI and operators)`,
            });
    }
    for (const g of r.nodeGroups) {
        const field = `nodeGroups.${g.workload}`;
        const unknown = g.instanceTypes.filter((t) => EKS_INSTANCE_TYPES[t] === undefined);
        if (g.instanceTypes.length === 0)
            problems.push({ path: `${field}.instanceTypes`, message: "empty (expected at least one instance type)" });
        if (unknown.length > 0)
            problems.push({
                path: `${field}.instanceTypes`,
                message: `${unknown.join(", ")} not in the instance-type table (expected one of: ${Object.keys(EKS_INSTANCE_TYPES).join(", ")})`,
            });
        const arches = new Set(g.instanceTypes.map((t) => EKS_INSTANCE_TYPES[t]?.arch).filter((a) => a !== undefined));
        if (arches.size > 1)
            problems.push({
                path: `${field}.instanceTypes`,
                message: `mixes ${[...arches].join(" and ")} (expected one CPU architecture per node group)`,
            });
        if (!Number.isInteger(g.minSize) || g.minSize < 0)
            problems.push({ path: `${field}.minSize`, message: `${g.minSize} (expected an integer >= 0)` });
        if (!Number.isInteger(g.maxSize) || g.maxSize < 1)
            problems.push({ path: `${field}.maxSize`, message: `${g.maxSize} (expected an integer >= 1)` });
        else if (g.minSize > g.maxSize)
            problems.push({
                path: `${field}.minSize`,
                message: `${g.minSize} is above maxSize ${g.maxSize} (expected minSize <= maxSize)`,
            });
        if (!Number.isInteger(g.diskSizeGiB) || g.diskSizeGiB < 20)
            problems.push({ path: `${field}.diskSizeGiB`, message: `${g.diskSizeGiB} (expected an integer >= 20)` });
    }
    if (r.requireGitLabCapacity) {
        const gitlabGroups = r.nodeGroups.filter((g) => EKS_GITLAB_WORKLOADS.includes(g.workload));
        const floor = nodeCapacity(gitlabGroups).min;
        if (floor.vcpu < GITLAB_MIN_CLUSTER_VCPU || floor.memoryGiB < gbToGiB(GITLAB_MIN_CLUSTER_MEMORY_GB)) {
            const names = gitlabGroups.map((g) => g.workload).join(", ");
            problems.push({
                path: "nodeGroups",
                message:
                    `GitLab's node groups ${names} offer ${floor.vcpu} vCPU and ${floor.memoryGiB} GiB at minimum size ` +
                    `(expected at least ${GITLAB_MIN_CLUSTER_VCPU} vCPU and ${GITLAB_MIN_CLUSTER_MEMORY_GB} GB, GitLab's documented minimum: raise minSize or use larger instance types)`,
            });
        }
    }
    if (!(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(r.logRetentionDays)) {
        problems.push({
            path: "logRetentionDays",
            message: `${r.logRetentionDays} is not a CloudWatch retention period (expected one of: ${CLOUDWATCH_RETENTION_DAYS.join(", ")})`,
        });
    }
    for (const arn of r.adminPrincipalArns) {
        if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/.test(arn))
            problems.push({
                path: "adminPrincipalArns",
                message: `"${arn}" is not an IAM role or user ARN (expected arn:aws:iam::<account>:role/<name>)`,
            });
    }
    return problems;
}
