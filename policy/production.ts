/**
 * Production on AWS that serves its users (issue 18): Redis that never evicts GitLab's persistent data,
 * node pools at zero that something can grow, and CI job pods fenced off the data services and the
 * instance metadata service.
 */
import { resourcePolicy, stackPolicy, type ResourceView, type StackViolation } from "./lib/define";
import { chartName, ELASTICACHE_REPLICATION_GROUP, HELM_RELEASE } from "./lib/types";
import { at, isMap, listAt, stringAt } from "./lib/values";

const ELASTICACHE_PARAMETER_GROUP = "aws:elasticache/parameterGroup:ParameterGroup";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

/** The tag AwsRedis puts on its parameter group: what the instance holds (`combined`, `persistent`, `cache`). */
export const REDIS_ROLE_TAG = "gitlab-platform/redis-role";

export const awsRedisNoEviction = resourcePolicy(
    {
        name: "aws-redis-no-eviction",
        description:
            "GitLab's ElastiCache Redis uses its own parameter group, and every group but a cache-only one sets maxmemory-policy noeviction.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Give the replication group its own parameter group (AwsRedis does) with `maxmemory-policy` = `noeviction`; only a group tagged " +
            `\`${REDIS_ROLE_TAG}: cache\` (a cache-only instance, data.redis.split) may evict (allkeys-lru). ElastiCache's default groups evict with volatile-lru.`,
    },
    [ELASTICACHE_REPLICATION_GROUP, ELASTICACHE_PARAMETER_GROUP],
    (r) => {
        if (r.type === ELASTICACHE_REPLICATION_GROUP) {
            // Absent and unknown look alike in a preview (the name of a group created alongside is unknown), so
            // only a named default group is refused; the group's own check below covers created groups.
            const group = stringAt(r.props, ["parameterGroupName"]);
            return group?.startsWith("default.")
                ? [
                      `parameterGroupName: ${group} evicts with volatile-lru (expected a group with maxmemory-policy noeviction)`,
                  ]
                : [];
        }
        if (
            !(stringAt(r.props, ["family"]) ?? "").startsWith("redis") &&
            !(stringAt(r.props, ["family"]) ?? "").startsWith("valkey")
        )
            return [];
        const role = stringAt(r.props, ["tags", REDIS_ROLE_TAG]);
        if (role === "cache") return [];
        const policy = listAt(r.props, ["parameters"]).find((p) => isMap(p) && p.name === "maxmemory-policy");
        const value = isMap(policy) ? stringAt(policy, ["value"]) : undefined;
        return value === "noeviction"
            ? []
            : [
                  `parameters.maxmemory-policy: ${value ?? "not set (the family default, volatile-lru)"} on a ${role ?? "untagged"} Redis (expected noeviction)`,
              ];
    },
);

/** Charts that grow node groups. */
const AUTOSCALER_CHARTS = ["cluster-autoscaler", "karpenter"];

export const nodePoolAtZeroNeedsAutoscaler = stackPolicy(
    {
        name: "node-pool-at-zero-needs-autoscaler",
        description:
            "An EKS node group whose minimum size is 0 sits beside a node autoscaler (cluster-autoscaler or Karpenter release), or nothing ever runs on it.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Keep KubernetesCluster's cluster autoscaler (EKS path), install Karpenter, or give the node group a minSize of at least 1.",
    },
    (resources) => {
        const autoscaled = resources.some(
            (r) => r.type === HELM_RELEASE && AUTOSCALER_CHARTS.includes(chartName(r.props) ?? ""),
        );
        if (autoscaled) return [];
        return resources
            .filter((r) => r.type === NODE_GROUP && at(r.props, ["scalingConfig", "minSize"]) === 0)
            .map((r) => ({
                urn: r.urn,
                message: `node group ${r.name}: minSize 0 and no cluster-autoscaler or karpenter release in the stack (expected an autoscaler, or minSize >= 1)`,
            }));
    },
);

/** Destinations a CI job must never reach: the instance metadata service and the VPC (databases, Redis). */
const MUST_DENY = ["169.254.169.254", "10.0.0.0"];

/** Whether `cidr` (a.b.c.d/p) contains address `ip`. */
function contains(cidr: string, ip: string): boolean {
    const [base, bits] = cidr.split("/");
    const n = (a: string) => a.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
    const prefix = Number(bits);
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(base ?? "") || !(prefix >= 0 && prefix <= 32)) return false;
    const size = 2 ** (32 - prefix);
    return Math.floor(n(base) / size) === Math.floor(n(ip) / size);
}

/** Whether a NetworkPolicy limits egress of selected pods and keeps every address in {@link MUST_DENY} out of reach. */
function fencesJobs(policy: ResourceView): boolean {
    const spec = at(policy.props, ["spec"]);
    if (!listAt(spec, ["policyTypes"]).includes("Egress")) return false;
    const peers = listAt(spec, ["egress"]).flatMap((rule) => listAt(rule, ["to"]));
    return MUST_DENY.every((ip) =>
        peers.every((peer) => {
            const block = at(peer, ["ipBlock"]);
            if (!isMap(block)) return true; // pod/namespace selectors never match host addresses
            const cidr = stringAt(block, ["cidr"]) ?? "";
            if (!contains(cidr, ip)) return true;
            return listAt(block, ["except"]).some((e) => typeof e === "string" && contains(e, ip));
        }),
    );
}

export const runnerJobsFenced = stackPolicy(
    {
        name: "runner-jobs-fenced",
        description:
            "Each gitlab-runner release's namespace has a NetworkPolicy that keeps job pods off the instance metadata service and the VPC's private addresses.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Keep GitLabRunner's `isolateJobs` (default true): it declares a NetworkPolicy for the job pods allowing cluster DNS and the internet but no private or " +
            "link-local range. On EKS the VPC CNI's network policy agent enforces it; runner nodes also carry no data-clients security group.",
    },
    (resources) => {
        const fenced = new Set(
            resources
                .filter((r) => r.type === NETWORK_POLICY && fencesJobs(r))
                .map((r) => stringAt(r.props, ["metadata", "namespace"])),
        );
        const problems: StackViolation[] = [];
        for (const r of resources) {
            if (r.type !== HELM_RELEASE || chartName(r.props) !== "gitlab-runner") continue;
            const ns = stringAt(r.props, ["namespace"]) ?? "default";
            if (!fenced.has(ns))
                problems.push({
                    urn: r.urn,
                    message: `namespace ${ns}: no NetworkPolicy keeps job pods off 169.254.169.254 and 10.0.0.0/8 (expected GitLabRunner's isolateJobs policy)`,
                });
        }
        return problems;
    },
);

/** The production policies. */
export const PRODUCTION_POLICIES = [awsRedisNoEviction, nodePoolAtZeroNeedsAutoscaler, runnerJobsFenced];
