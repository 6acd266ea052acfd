/**
 * The deployment critical path of a plan: how long a first `pulumi up` takes when every resource starts
 * as soon as what it waits for is created, against the lower bound of a graph that keeps only the
 * NECESSARY dependencies. Pure.
 *
 * Steps: custom resources, plus remote components (a non-custom resource with no children in the plan
 * and a type of another package, e.g. `kubernetes:yaml/v2:ConfigFile`, which the provider expands).
 * The program's own components are not steps, their children are.
 *
 * A step waits for (the actual graph): its `dependsOn` (the SDK already expands component dependencies
 * and adds the resources whose outputs an input consumes), its provider, and a custom parent; a
 * component among them stands for its step descendants.
 *
 * Necessary (the lower-bound graph): step A needs step B when B is among A's transitive dependencies
 * and B's kind is one A's kind consumes ({@link NEEDS}), plus edges the program must have whether or
 * not it declares them ({@link requiredEdges}). An actual edge that is neither is needless; one on the
 * critical path serializes the deployment for nothing, and is reported with the time it costs.
 */
import type { PlannedResource } from "../plan/engine";
import { isGitLabChart, latencyRule, LATENCY_RULES, type LatencyRule } from "./latency";

/** What a step is, for the necessity rules. */
export type StepKind =
    | "provider"
    | "random"
    | "gitlab-api"
    | "network"
    | "sg-rule"
    | "kms"
    | "iam"
    | "object-storage"
    | "database"
    | "cache"
    | "logs"
    | "eks-cluster"
    | "eks-access"
    | "eks-nodegroup"
    | "eks-addon-bootstrap"
    | "eks-addon"
    | "aws-other"
    | "k8s-object"
    | "k8s-workload"
    | "k8s-custom"
    | "manifest-bundle"
    | "helm-release"
    | "gitlab-release"
    | "other";

/** Kubernetes API groups served by the API server itself (everything else is a custom resource). */
const BUILT_IN_GROUPS = new Set([
    "core",
    "apps",
    "batch",
    "autoscaling",
    "policy",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "apiextensions.k8s.io",
    "admissionregistration.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "node.k8s.io",
    "certificates.k8s.io",
    "events.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "resource.k8s.io",
]);

/** EKS add-ons that nodes need to become Ready (installed before node groups); the others need nodes. */
const BOOTSTRAP_ADDONS = new Set(["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]);

/** The kind of a step, from its type (and, for Helm releases and add-ons, its chart or add-on name). */
export function stepKind(r: PlannedResource): StepKind {
    const t = r.type;
    if (t.startsWith("pulumi:providers:")) return "provider";
    if (t.startsWith("random:")) return "random";
    if (t.startsWith("pulumi-nodejs:dynamic/gitlab:")) return "gitlab-api";
    if (t.startsWith("aws:vpc/securityGroup") || t === "aws:ec2/securityGroupRule:SecurityGroupRule") return "sg-rule";
    // A launch template carries node settings (often the cluster's security group): not network plumbing.
    if (t === "aws:ec2/launchTemplate:LaunchTemplate") return "aws-other";
    if (t.startsWith("aws:ec2/")) return "network";
    if (t.startsWith("aws:kms/")) return "kms";
    if (t.startsWith("aws:iam/")) return "iam";
    if (t.startsWith("aws:s3/")) return "object-storage";
    if (t.startsWith("aws:rds/")) return "database";
    if (t.startsWith("aws:elasticache/")) return "cache";
    if (t.startsWith("aws:cloudwatch/")) return "logs";
    if (t === "aws:eks/cluster:Cluster") return "eks-cluster";
    if (t === "aws:eks/nodeGroup:NodeGroup") return "eks-nodegroup";
    if (t === "aws:eks/addon:Addon")
        return BOOTSTRAP_ADDONS.has(String((r.inputs as { addonName?: unknown }).addonName))
            ? "eks-addon-bootstrap"
            : "eks-addon";
    if (t.startsWith("aws:eks/")) return "eks-access";
    if (t.startsWith("aws:")) return "aws-other";
    if (t.startsWith("kubernetes:helm.sh/v3:Release")) return isGitLabChart(r) ? "gitlab-release" : "helm-release";
    if (t.startsWith("kubernetes:") && !r.custom) return "manifest-bundle";
    const k8s = /^kubernetes:([^/]+)\/[^:]+:(\w+)$/.exec(t);
    if (k8s) {
        if (!BUILT_IN_GROUPS.has(k8s[1])) return "k8s-custom";
        return /^(Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|Pod)$/.test(k8s[2])
            ? "k8s-workload"
            : "k8s-object";
    }
    return "other";
}

/** What a Kubernetes object may consume: the API, other objects, generated values, tokens, cloud identifiers, endpoints. */
const K8S_OBJECT: readonly StepKind[] = [
    "provider",
    "eks-cluster",
    "k8s-object",
    "random",
    "gitlab-api",
    "iam",
    "kms",
    "object-storage",
    "database",
    "cache",
];
/** Workloads also need nodes (and the add-ons nodes and pods need) and the network paths their pods use. */
const K8S_WORKLOAD: readonly StepKind[] = [
    ...K8S_OBJECT,
    "eks-nodegroup",
    "eks-addon-bootstrap",
    "eks-addon",
    "sg-rule",
];

/**
 * Which kinds each kind necessarily waits for, when they are among its dependencies: it consumes their
 * outputs or cannot be created (or become ready) before they exist. `other` steps are always needed
 * and need everything (unknown types are not judged).
 */
export const NEEDS: Readonly<Record<StepKind, readonly StepKind[]>> = {
    provider: ["eks-cluster", "eks-access", "iam", "random"],
    random: [],
    "gitlab-api": ["gitlab-api", "gitlab-release", "random"],
    network: ["network", "logs", "iam", "kms"],
    "sg-rule": ["network", "eks-cluster"],
    kms: ["iam", "kms"],
    iam: ["iam", "kms", "object-storage", "eks-cluster"],
    "object-storage": ["object-storage", "kms", "iam"],
    database: ["database", "network", "kms", "iam", "random", "logs"],
    cache: ["cache", "network", "kms", "iam", "random", "logs"],
    logs: ["kms", "iam"],
    "eks-cluster": ["network", "iam", "kms", "logs"],
    "eks-access": ["eks-cluster", "eks-access", "iam"],
    "eks-nodegroup": ["eks-cluster", "network", "iam", "eks-addon-bootstrap", "eks-access", "sg-rule"],
    "eks-addon-bootstrap": ["eks-cluster", "iam", "eks-access"],
    "eks-addon": ["eks-cluster", "iam", "eks-access", "eks-nodegroup", "eks-addon-bootstrap"],
    "aws-other": ["network", "iam", "kms", "eks-cluster", "eks-nodegroup", "aws-other", "object-storage"],
    "k8s-object": K8S_OBJECT,
    "k8s-workload": K8S_WORKLOAD,
    "k8s-custom": [...K8S_WORKLOAD, "k8s-custom", "manifest-bundle", "helm-release"],
    "manifest-bundle": ["provider", "eks-cluster", "k8s-object", "k8s-custom", "manifest-bundle", "helm-release"],
    "helm-release": [...K8S_WORKLOAD, "k8s-custom", "manifest-bundle", "helm-release"],
    "gitlab-release": [...K8S_WORKLOAD, "k8s-custom", "manifest-bundle", "helm-release"],
    other: [],
};

/** Whether a step of kind `a` necessarily waits for a dependency of kind `b`. */
export function needs(a: StepKind, b: StepKind): boolean {
    return a === "other" || b === "other" || NEEDS[a].includes(b);
}

/** One step of the deployment. */
export interface Step {
    urn: string;
    type: string;
    name: string;
    kind: StepKind;
    seconds: number;
    rule: string;
    /** Direct predecessors in the actual graph (steps this one waits for). */
    preds: string[];
}

/** The steps of a plan, with their actual dependencies. */
export function buildSteps(
    resources: readonly PlannedResource[],
    project: string,
    rules: readonly LatencyRule[] = LATENCY_RULES,
): Map<string, Step> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, string[]>();
    for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
    const isStep = (r: PlannedResource) =>
        r.custom || (!children.has(r.urn) && r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith(`${project}:`));
    const expanded = new Map<string, string[]>();
    const expand = (urn: string): string[] => {
        const r = byUrn.get(urn);
        if (!r) return [];
        if (isStep(r)) return [urn];
        let out = expanded.get(urn);
        if (!out) {
            out = [...new Set((children.get(urn) ?? []).flatMap(expand))];
            expanded.set(urn, out);
        }
        return out;
    };
    const steps = new Map<string, Step>();
    for (const r of resources) {
        if (!isStep(r)) continue;
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        const direct = [...r.dependsOn, ...(r.provider ? [r.provider] : []), ...(parent?.custom ? [parent.urn] : [])];
        const preds = [...new Set(direct.flatMap(expand))].filter((u) => u !== r.urn).sort();
        const rule = latencyRule(r, rules);
        steps.set(r.urn, {
            urn: r.urn,
            type: r.type,
            name: r.name,
            kind: stepKind(r),
            seconds: rule.seconds,
            rule: rule.label,
            preds,
        });
    }
    return steps;
}

/** A dependency: `from` waits for `to`. */
export interface Edge {
    from: string;
    to: string;
}

/** The longest weighted path: total seconds, the path (first step first) and each step's finish time. */
export interface LongestPath {
    seconds: number;
    path: string[];
    finish: Map<string, number>;
}

/** Node-weighted longest path through a DAG given as predecessor lists. Throws on a cycle. */
export function longestPath(
    weights: ReadonlyMap<string, number>,
    preds: ReadonlyMap<string, readonly string[]>,
): LongestPath {
    const finish = new Map<string, number>();
    const via = new Map<string, string | undefined>();
    const state = new Map<string, 1 | 2>();
    for (const start of weights.keys()) {
        if (state.has(start)) continue;
        // Iterative DFS: a node is finished once all its predecessors are.
        const stack: string[] = [start];
        while (stack.length > 0) {
            const node = stack[stack.length - 1];
            if (state.get(node) === 2) {
                stack.pop();
                continue;
            }
            const ps = (preds.get(node) ?? []).filter((p) => weights.has(p));
            if (state.get(node) !== 1) {
                state.set(node, 1);
                const pending = ps.filter((p) => state.get(p) !== 2);
                for (const p of pending) if (state.get(p) === 1) throw new Error(`dependency cycle through ${p}`);
                if (pending.length > 0) {
                    stack.push(...pending);
                    continue;
                }
            }
            let best = 0;
            let from: string | undefined;
            for (const p of ps) {
                const f = finish.get(p);
                if (f === undefined) throw new Error(`dependency cycle through ${p}`);
                if (f > best || (f === best && from === undefined)) {
                    best = f;
                    from = p;
                }
            }
            finish.set(node, best + (weights.get(node) ?? 0));
            via.set(node, from);
            state.set(node, 2);
            stack.pop();
        }
    }
    let end: string | undefined;
    for (const [node, f] of finish) if (end === undefined || f > finish.get(end)!) end = node;
    const path: string[] = [];
    for (let n = end; n !== undefined; n = via.get(n)) path.unshift(n);
    return { seconds: end === undefined ? 0 : finish.get(end)!, path, finish };
}

/** Every step's transitive predecessors in the actual graph. */
function closures(steps: ReadonlyMap<string, Step>): Map<string, Set<string>> {
    const memo = new Map<string, Set<string>>();
    const order = longestPath(
        new Map([...steps.keys()].map((u) => [u, 0])),
        new Map([...steps].map(([u, s]) => [u, s.preds])),
    );
    // Finish order of a zero-weight longest path is a topological order: insertion into `finish`.
    for (const urn of order.finish.keys()) {
        const all = new Set<string>();
        for (const p of steps.get(urn)!.preds) {
            if (!steps.has(p)) continue;
            all.add(p);
            for (const q of memo.get(p) ?? []) all.add(q);
        }
        memo.set(urn, all);
    }
    return memo;
}

/**
 * Edges a correct program has whether it declares them or not: GitLab API objects after the GitLab
 * release the stack installs; the GitLab release after the stack's databases and caches; Helm releases,
 * workloads and awaited custom resources after the node groups; Kubernetes objects after the Namespace
 * they live in, when the stack declares it.
 */
export function requiredEdges(resources: readonly PlannedResource[], steps: ReadonlyMap<string, Step>): Edge[] {
    const ofKind = (...kinds: StepKind[]) =>
        [...steps.values()].filter((s) => kinds.includes(s.kind)).map((s) => s.urn);
    const edges: Edge[] = [];
    const add = (froms: string[], tos: string[]) => {
        for (const from of froms) for (const to of tos) if (from !== to) edges.push({ from, to });
    };
    add(ofKind("gitlab-api"), ofKind("gitlab-release"));
    add(ofKind("gitlab-release"), ofKind("database", "cache"));
    const awaited = resources
        .filter(
            (r) => steps.get(r.urn)?.kind === "k8s-custom" && JSON.stringify(r.inputs).includes("pulumi.com/waitFor"),
        )
        .map((r) => r.urn);
    add([...ofKind("helm-release", "gitlab-release", "k8s-workload"), ...awaited], ofKind("eks-nodegroup"));
    const namespaces = new Map<string, string>();
    for (const r of resources) {
        const name = (r.inputs as { metadata?: { name?: unknown } }).metadata?.name;
        if (r.type === "kubernetes:core/v1:Namespace" && typeof name === "string") namespaces.set(name, r.urn);
    }
    for (const r of resources) {
        if (!steps.has(r.urn) || !r.type.startsWith("kubernetes:") || r.type === "kubernetes:core/v1:Namespace")
            continue;
        const inputs = r.inputs as { namespace?: unknown; metadata?: { namespace?: unknown } };
        const ns = inputs.metadata?.namespace ?? inputs.namespace;
        const nsUrn = typeof ns === "string" ? namespaces.get(ns) : undefined;
        if (nsUrn) add([r.urn], [nsUrn]);
    }
    return edges;
}

/** One step of a reported path. */
export interface PathStep {
    urn: string;
    type: string;
    rule: string;
    seconds: number;
    /** When it finishes, seconds from the start. */
    finish: number;
}

/** An actual edge on the critical path that no rule makes necessary, and what removing it saves. */
export interface NeedlessEdge extends Edge {
    savedSeconds: number;
}

/** A needless dependency that makes a step start later than its necessary ones allow (off the critical path too). */
export interface NeedlessWait extends Edge {
    /** How much later `from` starts because of it. */
    delaySeconds: number;
}

/** Needless waits of at least this many seconds are reported. */
export const NEEDLESS_WAIT_REPORT_SECONDS = 30;

/** The critical-path analysis of one plan. */
export interface CriticalPath {
    steps: number;
    edges: number;
    /** Longest weighted path through the actual graph: the estimated `pulumi up` time. */
    estimateSeconds: number;
    /** Longest weighted path through the necessary graph. */
    lowerBoundSeconds: number;
    /** estimate / lower bound; 1 when nothing is serialized needlessly. */
    ratio: number;
    path: PathStep[];
    lowerBoundPath: PathStep[];
    /** Needless edges, greedily removed from the critical path until the estimate reaches the bound. */
    needless: NeedlessEdge[];
    /** Necessary edges ({@link requiredEdges}) the program does not have, even transitively. */
    missing: Edge[];
    /**
     * Steps that start at least {@link NEEDLESS_WAIT_REPORT_SECONDS} later than their necessary
     * dependencies allow, each with the needless dependency that holds it back most; longest first.
     */
    needlessWaits: NeedlessWait[];
}

function pathSteps(
    path: readonly string[],
    steps: ReadonlyMap<string, Step>,
    finish: ReadonlyMap<string, number>,
): PathStep[] {
    return path.map((urn) => {
        const s = steps.get(urn)!;
        return { urn, type: s.type, rule: s.rule, seconds: s.seconds, finish: finish.get(urn) ?? 0 };
    });
}

/** The critical path of a plan's resources (see the module comment). */
export function analyseCriticalPath(
    resources: readonly PlannedResource[],
    project: string,
    rules: readonly LatencyRule[] = LATENCY_RULES,
): CriticalPath {
    const steps = buildSteps(resources, project, rules);
    const weights = new Map([...steps].map(([u, s]) => [u, s.seconds]));
    const actualPreds = new Map([...steps].map(([u, s]) => [u, s.preds]));
    const actual = longestPath(weights, actualPreds);

    const closure = closures(steps);
    const required = requiredEdges(resources, steps);
    const missing = required.filter((e) => !closure.get(e.from)?.has(e.to));
    const requiredOf = new Map<string, Set<string>>();
    for (const e of required) requiredOf.set(e.from, (requiredOf.get(e.from) ?? new Set()).add(e.to));
    const necessaryPreds = new Map<string, string[]>();
    for (const [urn, s] of steps) {
        const kept = [...(closure.get(urn) ?? [])].filter(
            (p) => needs(s.kind, steps.get(p)!.kind) || requiredOf.get(urn)?.has(p),
        );
        necessaryPreds.set(urn, [...new Set([...kept, ...(requiredOf.get(urn) ?? [])])]);
    }
    const bound = longestPath(weights, necessaryPreds);

    // Blame: remove needless edges of the current critical path, the costliest first.
    const needless: NeedlessEdge[] = [];
    const pruned = new Map([...actualPreds].map(([u, ps]) => [u, [...ps]]));
    let current = actual;
    for (let round = 0; round < 50 && current.seconds > bound.seconds; round++) {
        let best: NeedlessEdge | undefined;
        let bestResult: LongestPath | undefined;
        for (let i = 1; i < current.path.length; i++) {
            const to = current.path[i - 1];
            const from = current.path[i];
            const s = steps.get(from)!;
            if (needs(s.kind, steps.get(to)!.kind) || requiredOf.get(from)?.has(to)) continue;
            const trial = new Map(pruned);
            trial.set(
                from,
                pruned.get(from)!.filter((p) => p !== to),
            );
            const result = longestPath(weights, trial);
            const saved = current.seconds - result.seconds;
            if (saved > 0 && (!best || saved > best.savedSeconds)) {
                best = { from, to, savedSeconds: saved };
                bestResult = result;
            }
        }
        if (!best || !bestResult) break;
        pruned.set(
            best.from,
            pruned.get(best.from)!.filter((p) => p !== best.to),
        );
        needless.push(best);
        current = bestResult;
    }
    const isNecessary = (from: string, to: string) =>
        needs(steps.get(from)!.kind, steps.get(to)!.kind) || (requiredOf.get(from)?.has(to) ?? false);
    const needlessWaits: NeedlessWait[] = [];
    for (const [urn, s] of steps) {
        const preds = s.preds.filter((p) => steps.has(p));
        const start = Math.max(0, ...preds.map((p) => actual.finish.get(p)!));
        const necessaryStart = Math.max(
            0,
            ...preds.filter((p) => isNecessary(urn, p)).map((p) => actual.finish.get(p)!),
        );
        if (start - necessaryStart < NEEDLESS_WAIT_REPORT_SECONDS) continue;
        const culprit = preds
            .filter((p) => !isNecessary(urn, p))
            .reduce((a, b) => (actual.finish.get(b)! > actual.finish.get(a)! ? b : a));
        needlessWaits.push({ from: urn, to: culprit, delaySeconds: start - necessaryStart });
    }
    needlessWaits.sort((x, y) => y.delaySeconds - x.delaySeconds || x.from.localeCompare(y.from));
    return {
        steps: steps.size,
        edges: [...steps.values()].reduce((n, s) => n + s.preds.length, 0),
        estimateSeconds: actual.seconds,
        lowerBoundSeconds: bound.seconds,
        ratio: bound.seconds > 0 ? actual.seconds / bound.seconds : 1,
        path: pathSteps(actual.path, steps, actual.finish),
        lowerBoundPath: pathSteps(bound.path, steps, bound.finish),
        needless,
        missing,
        needlessWaits,
    };
}
