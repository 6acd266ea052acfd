/** The critical-path analysis on small hand-built plans: steps, kinds, longest paths, necessity, blame. */
import { strict as assert } from "node:assert";
import { analyseCriticalPath, buildSteps, longestPath, requiredEdges, stepKind } from "../../tools/bench/critical-path";
import { latencyRule } from "../../tools/bench/latency";
import type { PlannedResource } from "../../tools/plan/engine";

const P = "gitlab-platform";
const urn = (type: string, name: string) => `urn:pulumi:s::${P}::${type}::${name}`;

/** A plan resource; `deps` and `parent` by name, resolved against `all` by {@link plan}. */
interface Spec {
    type: string;
    name: string;
    custom?: boolean;
    parent?: string;
    provider?: string;
    deps?: string[];
    inputs?: Record<string, unknown>;
}

function plan(specs: Spec[]): PlannedResource[] {
    const byName = new Map(specs.map((s) => [s.name, urn(s.type, s.name)]));
    const ref = (n: string) => byName.get(n) ?? assert.fail(`no ${n}`);
    return specs.map((s) => ({
        urn: ref(s.name),
        type: s.type,
        name: s.name,
        custom: s.custom ?? true,
        parent: s.parent ? ref(s.parent) : null,
        provider: s.provider ? ref(s.provider) : null,
        dependsOn: (s.deps ?? []).map(ref),
        protect: false,
        inputs: s.inputs ?? {},
    }));
}

const T = {
    stack: "pulumi:pulumi:Stack",
    component: `${P}:data:AwsDataServices`,
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    eks: "aws:eks/cluster:Cluster",
    nodes: "aws:eks/nodeGroup:NodeGroup",
    rds: "aws:rds/instance:Instance",
    k8sProvider: "pulumi:providers:kubernetes",
    release: "kubernetes:helm.sh/v3:Release",
    secret: "kubernetes:core/v1:Secret",
    namespace: "kubernetes:core/v1:Namespace",
    token: "pulumi-nodejs:dynamic/gitlab:ClusterAgentToken",
    crds: "kubernetes:yaml/v2:ConfigFile",
};

/** Network → (EKS → nodes, provider) and (RDS) → GitLab release → API token → agent Secret. */
function estate(extra: { rdsWaitsForEks?: boolean; tokenWaitsForGitLab?: boolean } = {}): Spec[] {
    return [
        { type: T.stack, name: "stack", custom: false },
        { type: T.vpc, name: "vpc", parent: "stack" },
        { type: T.subnet, name: "subnet", parent: "stack", deps: ["vpc"] },
        { type: T.eks, name: "eks", parent: "stack", deps: ["subnet"] },
        { type: T.nodes, name: "nodes", parent: "stack", deps: ["eks", "subnet"] },
        { type: T.component, name: "data", parent: "stack", custom: false },
        {
            type: T.rds,
            name: "rds",
            parent: "data",
            deps: ["subnet", ...(extra.rdsWaitsForEks ? ["eks"] : [])],
            inputs: { multiAz: true },
        },
        { type: T.k8sProvider, name: "k8s", parent: "stack", deps: ["eks"] },
        { type: T.namespace, name: "ns", parent: "stack", provider: "k8s", inputs: { metadata: { name: "gitlab" } } },
        {
            type: T.release,
            name: "gitlab",
            parent: "stack",
            provider: "k8s",
            deps: ["ns", "data", "nodes"],
            inputs: { chart: "gitlab", namespace: "gitlab" },
        },
        { type: T.token, name: "token", parent: "stack", deps: extra.tokenWaitsForGitLab === false ? [] : ["gitlab"] },
        {
            type: T.secret,
            name: "secret",
            parent: "stack",
            provider: "k8s",
            deps: ["ns", "token"],
            inputs: { metadata: { namespace: "gitlab" } },
        },
    ];
}

describe("bench: critical path", () => {
    it("classifies steps by type", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            ["aws:ec2/natGateway:NatGateway", {}, "network"],
            ["aws:ec2/launchTemplate:LaunchTemplate", {}, "aws-other"],
            ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", {}, "sg-rule"],
            ["aws:eks/addon:Addon", { addonName: "vpc-cni" }, "eks-addon-bootstrap"],
            ["aws:eks/addon:Addon", { addonName: "coredns" }, "eks-addon"],
            ["aws:eks/accessEntry:AccessEntry", {}, "eks-access"],
            ["kubernetes:helm.sh/v3:Release", { chart: "gitlab" }, "gitlab-release"],
            ["kubernetes:helm.sh/v3:Release", { chart: "gitlab-agent" }, "helm-release"],
            ["kubernetes:apps/v1:Deployment", {}, "k8s-workload"],
            ["kubernetes:networking.k8s.io/v1:Ingress", {}, "k8s-object"],
            ["kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", {}, "k8s-custom"],
            ["kubernetes:fluxcd.controlplane.io/v1:FluxInstance", {}, "k8s-custom"],
            ["pulumi-nodejs:dynamic/gitlab:UserRunner", {}, "gitlab-api"],
            ["random:index/randomPassword:RandomPassword", {}, "random"],
            ["something:else:Thing", {}, "other"],
        ];
        for (const [type, inputs, kind] of cases) {
            const r = plan([{ type, name: "x", inputs }])[0];
            assert.equal(stepKind(r), kind, type);
        }
        assert.equal(stepKind(plan([{ type: T.crds, name: "crds", custom: false }])[0]), "manifest-bundle");
    });

    it("takes each step's latency from the first matching rule", () => {
        const [multi, single, gitlab, agent, awaited] = plan([
            { type: T.rds, name: "a", inputs: { multiAz: true } },
            { type: T.rds, name: "b" },
            { type: T.release, name: "c", inputs: { chart: "gitlab" } },
            { type: T.release, name: "d", inputs: { chart: "gitlab-agent" } },
            {
                type: "kubernetes:fluxcd.controlplane.io/v1:FluxInstance",
                name: "e",
                inputs: { metadata: { annotations: { "pulumi.com/waitFor": "condition=Ready" } } },
            },
        ]);
        assert.deepEqual(
            [multi, single, gitlab, agent, awaited].map((r) => latencyRule(r).seconds),
            [1080, 450, 450, 90, 60],
        );
    });

    it("makes steps of custom resources and remote components, and expands component dependencies", () => {
        const steps = buildSteps(
            plan([
                { type: T.stack, name: "stack", custom: false },
                { type: T.component, name: "data", parent: "stack", custom: false },
                { type: T.rds, name: "rds", parent: "data" },
                { type: T.crds, name: "crds", parent: "stack", custom: false },
                { type: T.k8sProvider, name: "k8s", parent: "stack" },
                { type: T.release, name: "gitlab", parent: "stack", provider: "k8s", deps: ["data", "crds"] },
                { type: T.secret, name: "child-of-custom", parent: "gitlab", provider: "k8s" },
            ]),
            P,
        );
        assert.deepEqual([...steps.keys()].map((u) => u.split("::").pop()).sort(), [
            "child-of-custom",
            "crds",
            "gitlab",
            "k8s",
            "rds",
        ]);
        assert.deepEqual(
            steps.get(urn(T.release, "gitlab"))!.preds,
            [urn(T.k8sProvider, "k8s"), urn(T.rds, "rds"), urn(T.crds, "crds")].sort(),
        );
        assert.deepEqual(
            steps.get(urn(T.secret, "child-of-custom"))!.preds,
            [urn(T.k8sProvider, "k8s"), urn(T.release, "gitlab")].sort(),
        );
    });

    it("finds the node-weighted longest path and refuses cycles", () => {
        const w = new Map([
            ["a", 1],
            ["b", 5],
            ["c", 2],
            ["d", 1],
        ]);
        const lp = longestPath(
            w,
            new Map([
                ["b", ["a"]],
                ["c", ["a"]],
                ["d", ["b", "c"]],
            ]),
        );
        assert.equal(lp.seconds, 7);
        assert.deepEqual(lp.path, ["a", "b", "d"]);
        assert.deepEqual([...lp.finish.entries()].sort(), [
            ["a", 1],
            ["b", 6],
            ["c", 3],
            ["d", 7],
        ]);
        assert.throws(
            () =>
                longestPath(
                    w,
                    new Map([
                        ["a", ["b"]],
                        ["b", ["a"]],
                    ]),
                ),
            /cycle/,
        );
    });

    it("reports ratio 1 when every dependency on the critical path is necessary", () => {
        const cp = analyseCriticalPath(plan(estate()), P);
        // vpc 5 + subnet 5 + RDS Multi-AZ 1080 + GitLab 450 + token 1 + Secret 2
        assert.equal(cp.estimateSeconds, 1543);
        assert.equal(cp.lowerBoundSeconds, 1543);
        assert.equal(cp.ratio, 1);
        assert.deepEqual(
            cp.path.map((p) => p.urn.split("::").pop()),
            ["vpc", "subnet", "rds", "gitlab", "token", "secret"],
        );
        assert.deepEqual(
            cp.path.map((p) => p.finish),
            [5, 10, 1090, 1540, 1541, 1543],
        );
        assert.deepEqual(cp.needless, []);
        assert.deepEqual(cp.missing, []);
    });

    it("names the needless dependency that serializes the deployment, and what it costs", () => {
        const cp = analyseCriticalPath(plan(estate({ rdsWaitsForEks: true })), P);
        // The database waits for the EKS control plane (600 s) it does not need.
        assert.equal(cp.estimateSeconds, 2143);
        assert.equal(cp.lowerBoundSeconds, 1543);
        assert.equal(cp.ratio.toFixed(3), "1.389");
        assert.deepEqual(cp.needless, [{ from: urn(T.rds, "rds"), to: urn(T.eks, "eks"), savedSeconds: 600 }]);
    });

    it("reports necessary dependencies the program lacks, and counts them in the lower bound", () => {
        const cp = analyseCriticalPath(plan(estate({ tokenWaitsForGitLab: false })), P);
        assert.deepEqual(cp.missing, [{ from: urn(T.token, "token"), to: urn(T.release, "gitlab") }]);
        assert.equal(cp.lowerBoundSeconds, 1543);
        // The token (and its Secret) no longer wait for GitLab: the estimate ends with the release.
        assert.equal(cp.estimateSeconds, 1540);
        assert.ok(cp.ratio < 1);
    });

    it("requires Kubernetes objects to wait for the Namespace the stack declares for them", () => {
        const resources = plan([
            { type: T.namespace, name: "ns", inputs: { metadata: { name: "apps" } } },
            { type: T.secret, name: "in-ns", inputs: { metadata: { namespace: "apps" } } },
            { type: T.secret, name: "elsewhere", inputs: { metadata: { namespace: "other" } } },
            { type: T.release, name: "release", inputs: { chart: "x", namespace: "apps" } },
        ]);
        const edges = requiredEdges(resources, buildSteps(resources, P));
        assert.deepEqual(edges, [
            { from: urn(T.secret, "in-ns"), to: urn(T.namespace, "ns") },
            { from: urn(T.release, "release"), to: urn(T.namespace, "ns") },
        ]);
    });

    it("lists steps held back by a needless dependency off the critical path", () => {
        // The cluster's Kubernetes provider waits for the node group: every object starts 240 s late.
        const specs = estate().map((s) => (s.name === "k8s" ? { ...s, deps: ["eks", "nodes"] } : s));
        const cp = analyseCriticalPath(plan(specs), P);
        assert.equal(cp.ratio, 1);
        assert.deepEqual(cp.needlessWaits, [
            { from: urn(T.k8sProvider, "k8s"), to: urn(T.nodes, "nodes"), delaySeconds: 240 },
        ]);
    });
});
