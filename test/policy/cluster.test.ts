import { strict as assert } from "node:assert";
import { GitLabAgent, type GitLabAgentArgs } from "../../components/agent/gitlab-agent";
import { KubernetesCluster } from "../../components";
import { gitlabNodeCapacity, gitlabOneAgentPerCluster, kubernetesVersionSupported } from "../../policy/cluster";
import type { PlannedResource } from "../../tools/plan/engine";
import { awsMocks, eksArgs } from "../aws/support";
import { record } from "../helpers/pulumi";
import { findings, messages, resource } from "./support";

const EKS = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const GITLAB_RELEASE = resource(
    RELEASE,
    { chart: "gitlab", version: "10.2.3", values: {} },
    { name: "gitlab-release" },
);

const clusters = new Map<string, Promise<PlannedResource[]>>();

/** The cluster component's EKS resources, as the offline plan shows them (recorded once per overrides). */
function eks(overrides: Parameters<typeof eksArgs>[0] = {}): Promise<PlannedResource[]> {
    const key = JSON.stringify(overrides);
    if (!clusters.has(key)) clusters.set(key, recordEks(overrides));
    return clusters.get(key)!;
}

async function recordEks(overrides: Parameters<typeof eksArgs>[0]): Promise<PlannedResource[]> {
    const rec = await record(
        () => {
            new KubernetesCluster("prod", eksArgs(overrides));
        },
        { mocks: awsMocks, preview: true },
    );
    return rec.resources;
}

describe("policy kubernetes-version-supported", () => {
    it("passes the cluster component's EKS cluster and node groups", async () => {
        const resources = await eks();
        for (const r of resources.filter((x) => x.type === EKS || x.type === NODE_GROUP))
            assert.deepEqual(await messages(kubernetesVersionSupported, r), [], r.name);
    });

    it("refuses versions outside the window, and an EKS cluster without one", async () => {
        assert.deepEqual(await messages(kubernetesVersionSupported, resource(EKS, { version: "1.31" })), [
            'version: "1.31" is outside the supported window (expected one of 1.33, 1.34, 1.35)',
        ]);
        assert.deepEqual(await messages(kubernetesVersionSupported, resource(EKS, {})), [
            "version: not set, so EKS picks its current default (expected one of 1.33, 1.34, 1.35)",
        ]);
        assert.deepEqual(await messages(kubernetesVersionSupported, resource(NODE_GROUP, { version: "1.32.5" })), [
            'version: "1.32.5" is outside the supported window (expected one of 1.33, 1.34, 1.35)',
        ]);
        assert.deepEqual(await messages(kubernetesVersionSupported, resource(NODE_GROUP, {})), []);
    });

    it("reads the cluster component's declared version when the component registers it as an input", async () => {
        const component = resource(
            "gitlab-platform:cluster:KubernetesCluster",
            { kubernetesVersion: "1.36" },
            { custom: false },
        );
        assert.deepEqual(await messages(kubernetesVersionSupported, component), [
            'kubernetesVersion: "1.36" is outside the supported window (expected one of 1.33, 1.34, 1.35)',
        ]);
    });
});

describe("policy gitlab-node-capacity", () => {
    it("passes GitLab on the cluster component's default EKS node groups (the tainted runner group not counted)", async () => {
        assert.deepEqual(await findings(gitlabNodeCapacity, [...(await eks()), GITLAB_RELEASE]), []);
    });

    it("reports node groups below GitLab's minimum of 8 vCPU / 30 GB", async () => {
        const small = { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 3 };
        const resources = await eks({ nodeGroups: { webservice: small, sidekiq: small, supporting: small } });
        assert.deepEqual(await findings(gitlabNodeCapacity, [...resources, GITLAB_RELEASE]), [
            "gitlab-release: cluster capacity 6 vCPU / 25.8 GB is below GitLab's minimum (expected at least 8 vCPU / 30 GB)",
        ]);
    });

    it("says so when the capacity cannot be known: an existing cluster, or an instance type outside the table", async () => {
        const existing = await record(
            () => {
                new KubernetesCluster("dev", { type: "existing", context: "gitlab-dev", kubernetesVersion: "1.34" });
            },
            { preview: true },
        );
        assert.deepEqual(await findings(gitlabNodeCapacity, [...existing.resources, GITLAB_RELEASE]), [
            "gitlab-release: cluster capacity unknown: no EKS node group and no nodeCapacity declared on gitlab-platform:cluster:KubernetesCluster (expected at least 8 vCPU / 30 GB)",
        ]);
        const group = resource(
            NODE_GROUP,
            { instanceTypes: ["x8g.4xlarge"], scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 2 } },
            { name: "big" },
        );
        assert.deepEqual(await findings(gitlabNodeCapacity, [group, GITLAB_RELEASE]), [
            "big: node group big: instance type x8g.4xlarge not in the policy's table (expected it in the policy config's instanceTypes)",
            "gitlab-release: cluster capacity 0 vCPU / 0 GB is below GitLab's minimum (expected at least 8 vCPU / 30 GB)",
        ]);
        assert.deepEqual(
            await findings(gitlabNodeCapacity, [group, GITLAB_RELEASE], {
                instanceTypes: { "x8g.4xlarge": { vcpu: 16, memoryGiB: 256 } },
            }),
            [],
        );
    });

    it("takes a capacity the cluster component declares, and checks nothing without GitLab", async () => {
        const declared = (vcpu: number, memoryGiB: number) =>
            resource(
                "gitlab-platform:cluster:KubernetesCluster",
                { nodeCapacity: { min: { vcpu, memoryGiB } } },
                { custom: false },
            );
        assert.deepEqual(await findings(gitlabNodeCapacity, [declared(16, 64), GITLAB_RELEASE]), []);
        assert.deepEqual(await findings(gitlabNodeCapacity, [declared(4, 16), GITLAB_RELEASE]), [
            "gitlab-release: cluster capacity 4 vCPU / 17.2 GB is below GitLab's minimum (expected at least 8 vCPU / 30 GB)",
        ]);
        assert.deepEqual(await findings(gitlabNodeCapacity, [declared(4, 16)]), []);
    });
});

describe("policy gitlab-one-agent-per-cluster", () => {
    const args: GitLabAgentArgs = { project: "platform/agents", kasAddress: "wss://kas.gitlab.example.com" };

    it("passes one GitLabAgent, and reports a second one in the same cluster", async () => {
        const one = await record(
            () => {
                new GitLabAgent("prod", args);
            },
            { preview: true },
        );
        assert.deepEqual(await findings(gitlabOneAgentPerCluster, one.resources), []);
        const two = await record(
            () => {
                new GitLabAgent("prod", args);
                new GitLabAgent("other", args);
            },
            { preview: true },
        );
        assert.deepEqual(await findings(gitlabOneAgentPerCluster, two.resources), [
            "other-release: a second GitLab agent in the cluster of prod-release (expected one agent per cluster, shared through its access configuration)",
        ]);
    });

    it("counts agents per provider, i.e. per cluster", async () => {
        const agent = (name: string, provider: string) =>
            resource(RELEASE, { chart: "gitlab-agent", name, version: "2.20.0" }, { name, provider });
        const providers = [
            "urn:pulumi:test::gitlab-platform::pulumi:providers:kubernetes::a",
            "urn:pulumi:test::gitlab-platform::pulumi:providers:kubernetes::b",
        ];
        const plannedProviders = providers.map((urn) => ({
            ...resource("pulumi:providers:kubernetes", {}, { name: urn.split("::").at(-1) }),
            urn,
        }));
        assert.deepEqual(
            await findings(gitlabOneAgentPerCluster, [
                ...plannedProviders,
                agent("a", providers[0]),
                agent("b", providers[1]),
            ]),
            [],
        );
    });
});
