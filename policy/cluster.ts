/**
 * The cluster: a Kubernetes version GitLab's chart supports, enough nodes for GitLab, one GitLab agent.
 * The supported window, the instance-type table and GitLab's minimum come from components/defaults.ts,
 * the same constants the components validate against.
 */
import {
    EKS_INSTANCE_TYPES,
    GITLAB_MIN_CLUSTER_MEMORY_GB,
    GITLAB_MIN_CLUSTER_VCPU,
    SUPPORTED_KUBERNETES_VERSIONS,
} from "../components/defaults";
import { resourcePolicy, stackPolicy, type ResourceView, type StackViolation } from "./lib/define";
import {
    chartName,
    CLUSTER_COMPONENT,
    EKS_CLUSTER,
    EKS_COMPONENT_CLUSTER,
    EKS_MANAGED_NODE_GROUP,
    EKS_NODE_GROUP,
    GITLAB_COMPONENT,
    HELM_RELEASE,
} from "./lib/types";
import { at, isMap, listAt, UNKNOWN } from "./lib/values";

/** Where each resource type states its Kubernetes version. */
const VERSION_FIELDS: Readonly<Record<string, { field: string; required: boolean }>> = {
    [CLUSTER_COMPONENT]: { field: "kubernetesVersion", required: false },
    [EKS_CLUSTER]: { field: "version", required: true },
    [EKS_COMPONENT_CLUSTER]: { field: "version", required: true },
    // A node group without a version follows its cluster's.
    [EKS_NODE_GROUP]: { field: "version", required: false },
    [EKS_MANAGED_NODE_GROUP]: { field: "version", required: false },
};

export const kubernetesVersionSupported = resourcePolicy(
    {
        name: "kubernetes-version-supported",
        description: `Clusters and node groups run a Kubernetes minor the GitLab chart supports (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}).`,
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Set the version to one of the supported minors (SUPPORTED_KUBERNETES_VERSIONS in components/defaults.ts) and upgrade one minor at a time; " +
            "when the chart's window moves, move the constant and the clusters together.",
    },
    Object.keys(VERSION_FIELDS),
    (r) => {
        const { field, required } = VERSION_FIELDS[r.type];
        const version = at(r.props, [field]);
        if (version === UNKNOWN) return [];
        const expected = `expected one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`;
        if (version === undefined || version === "")
            return required ? [`${field}: not set, so EKS picks its current default (${expected})`] : [];
        const minor = String(version).split(".").slice(0, 2).join(".");
        return (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(minor)
            ? []
            : [`${field}: ${JSON.stringify(version)} is outside the supported window (${expected})`];
    },
);

/** vCPUs and memory. */
export interface Capacity {
    vcpu: number;
    memoryGiB: number;
}

/** What the policy config may add to the instance-type table. */
type InstanceTable = Record<string, Capacity>;

/** The capacity of one node group: nodes it starts with times its smallest instance type. */
function groupCapacity(group: ResourceView, table: InstanceTable): { capacity?: Capacity; problem?: string } {
    // EKS managed node groups: instanceTypes defaults to ["t3.medium"] (provider docs), desiredSize is the starting size.
    const types = listAt(group.props, ["instanceTypes"]);
    const names = (types.length > 0 ? types : ["t3.medium"]).filter(
        (t): t is string => typeof t === "string" && t !== UNKNOWN,
    );
    const size = at(group.props, ["scalingConfig", "desiredSize"]) ?? at(group.props, ["scalingConfig", "minSize"]);
    if (typeof size !== "number" || names.length === 0)
        return { problem: `node group ${group.name}: size or instance types unknown at preview` };
    const unknown = names.filter((n) => table[n] === undefined);
    if (unknown.length > 0)
        return {
            problem: `node group ${group.name}: instance type ${unknown.join(", ")} not in the policy's table (expected it in the policy config's instanceTypes)`,
        };
    const smallest = names
        .map((n) => table[n])
        .reduce((a, b) => (b.vcpu < a.vcpu || (b.vcpu === a.vcpu && b.memoryGiB < a.memoryGiB) ? b : a));
    return { capacity: { vcpu: size * smallest.vcpu, memoryGiB: size * smallest.memoryGiB } };
}

/** Whether a node group repels pods without tolerations (GitLab's pods have none). */
function isTainted(group: ResourceView): boolean {
    return listAt(group.props, ["taints"]).some(
        (t) => isMap(t) && (t.effect === "NO_SCHEDULE" || t.effect === "NO_EXECUTE"),
    );
}

const GIB_PER_GB = 1e9 / 2 ** 30;
const fmt = (n: number) => String(Math.round(n * 10) / 10);

export const gitlabNodeCapacity = stackPolicy<{ minVcpu: number; minMemoryGB: number; instanceTypes: InstanceTable }>(
    {
        name: "gitlab-node-capacity",
        description: `When GitLab is installed, the cluster's schedulable nodes offer at least GitLab's minimum (${GITLAB_MIN_CLUSTER_VCPU} vCPU, ${GITLAB_MIN_CLUSTER_MEMORY_GB} GB).`,
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Size the untainted EKS node groups (desiredSize x smallest instance type) to at least the minimum, or, for an existing cluster, " +
            "declare its capacity on the cluster component (nodeCapacity.min: {vcpu, memoryGiB}) so the check can see it.",
        configSchema: {
            properties: {
                minVcpu: {
                    type: "number",
                    minimum: 0,
                    default: GITLAB_MIN_CLUSTER_VCPU,
                    description: "Minimum vCPUs.",
                },
                minMemoryGB: {
                    type: "number",
                    minimum: 0,
                    default: GITLAB_MIN_CLUSTER_MEMORY_GB,
                    description: "Minimum memory, GB (10^9 bytes).",
                },
                instanceTypes: {
                    type: "object",
                    default: {},
                    description:
                        'Instance types beyond the table in components/defaults.ts: {"<type>": {"vcpu": n, "memoryGiB": m}}.',
                },
            },
        },
    },
    (resources, config) => {
        const gitlab =
            resources.find((r) => r.type === GITLAB_COMPONENT) ??
            resources.find((r) => r.type === HELM_RELEASE && chartName(r.props) === "gitlab");
        if (!gitlab) return [];
        const table: InstanceTable = { ...EKS_INSTANCE_TYPES, ...config.instanceTypes };
        const groups = resources.filter(
            (r) => (r.type === EKS_NODE_GROUP || r.type === EKS_MANAGED_NODE_GROUP) && !isTainted(r),
        );
        const anchor = gitlab.urn;
        let total: Capacity | undefined;
        const problems: StackViolation[] = [];
        if (groups.length > 0) {
            total = { vcpu: 0, memoryGiB: 0 };
            for (const g of groups) {
                const { capacity, problem } = groupCapacity(g, table);
                if (problem) problems.push({ urn: g.urn, message: problem });
                if (capacity)
                    total = { vcpu: total.vcpu + capacity.vcpu, memoryGiB: total.memoryGiB + capacity.memoryGiB };
            }
        } else {
            const declared = resources
                .map((r) => (r.type === CLUSTER_COMPONENT ? at(r.props, ["nodeCapacity", "min"]) : undefined))
                .find(isMap);
            if (declared && typeof declared.vcpu === "number" && typeof declared.memoryGiB === "number")
                total = { vcpu: declared.vcpu, memoryGiB: declared.memoryGiB };
        }
        const minimum = `${fmt(config.minVcpu)} vCPU / ${fmt(config.minMemoryGB)} GB`;
        if (!total) {
            return [
                {
                    urn: anchor,
                    message: `cluster capacity unknown: no EKS node group and no nodeCapacity declared on ${CLUSTER_COMPONENT} (expected at least ${minimum})`,
                },
            ];
        }
        if (total.vcpu < config.minVcpu || total.memoryGiB < config.minMemoryGB * GIB_PER_GB) {
            problems.push({
                urn: anchor,
                message: `cluster capacity ${fmt(total.vcpu)} vCPU / ${fmt(total.memoryGiB / GIB_PER_GB)} GB is below GitLab's minimum (expected at least ${minimum})`,
            });
        }
        return problems;
    },
);

export const gitlabOneAgentPerCluster = stackPolicy(
    {
        name: "gitlab-one-agent-per-cluster",
        description:
            "Each cluster runs one GitLab agent (gitlab-agent release); projects and groups share it through its access configuration.",
        severity: "medium",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Keep one agent per cluster and grant further projects or groups access with ci_access / user_access in its config file.",
    },
    (resources) => {
        const byCluster = new Map<string, ResourceView[]>();
        for (const r of resources) {
            if (r.type !== HELM_RELEASE || chartName(r.props) !== "gitlab-agent") continue;
            const cluster = r.providerUrn ?? "the default provider";
            byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), r]);
        }
        return [...byCluster.values()].flatMap(([first, ...extra]) =>
            extra.map((r) => ({
                urn: r.urn,
                message: `a second GitLab agent in the cluster of ${first.name} (expected one agent per cluster, shared through its access configuration)`,
            })),
        );
    },
);

/** The cluster policies. */
export const CLUSTER_POLICIES = [kubernetesVersionSupported, gitlabNodeCapacity, gitlabOneAgentPerCluster];
