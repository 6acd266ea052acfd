import { strict as assert } from "node:assert";
import { AwsDataServices, GitLabRunner, KubernetesCluster } from "../../components";
import { awsRedisNoEviction, nodePoolAtZeroNeedsAutoscaler, runnerJobsFenced } from "../../policy/production";
import { awsMocks, dataArgs, eksArgs } from "../aws/support";
import { record } from "../helpers/pulumi";
import { findings, messages, resource } from "./support";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const PG = "aws:elasticache/parameterGroup:ParameterGroup";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("policy aws-redis-no-eviction", () => {
    it("passes AwsDataServices' Redis, combined and split (the cache may evict)", async () => {
        for (const redis of [{}, { split: true }]) {
            const rec = await record(() => new AwsDataServices("prod-data", dataArgs({ redis })), {
                mocks: awsMocks,
                preview: true,
            });
            for (const r of rec.resources.filter((x) => x.type === RG || x.type === PG))
                assert.deepEqual(await messages(awsRedisNoEviction, r), [], r.name);
        }
    });

    it("refuses ElastiCache's evicting default group and an evicting group that is not cache-only", async () => {
        assert.deepEqual(await messages(awsRedisNoEviction, resource(RG, { parameterGroupName: "default.redis7" })), [
            "parameterGroupName: default.redis7 evicts with volatile-lru (expected a group with maxmemory-policy noeviction)",
        ]);
        assert.deepEqual(
            await messages(awsRedisNoEviction, resource(RG, { parameterGroupName: "gitlab-redis-params" })),
            [],
        );
        const lru = { family: "redis7", parameters: [{ name: "maxmemory-policy", value: "allkeys-lru" }] };
        assert.deepEqual(
            await messages(
                awsRedisNoEviction,
                resource(PG, { ...lru, tags: { "gitlab-platform/redis-role": "persistent" } }),
            ),
            ["parameters.maxmemory-policy: allkeys-lru on a persistent Redis (expected noeviction)"],
        );
        assert.deepEqual(await messages(awsRedisNoEviction, resource(PG, { family: "redis7", parameters: [] })), [
            "parameters.maxmemory-policy: not set (the family default, volatile-lru) on a untagged Redis (expected noeviction)",
        ]);
        assert.deepEqual(
            await messages(
                awsRedisNoEviction,
                resource(PG, { ...lru, tags: { "gitlab-platform/redis-role": "cache" } }),
            ),
            [],
        );
    });
});

describe("policy node-pool-at-zero-needs-autoscaler", () => {
    it("passes the EKS cluster component (its cluster autoscaler grows the runners pool from zero)", async () => {
        const rec = await record(() => new KubernetesCluster("prod", eksArgs()), { mocks: awsMocks, preview: true });
        assert.deepEqual(await findings(nodePoolAtZeroNeedsAutoscaler, rec.resources), []);
    });

    it("reports a node group at zero with no autoscaler release, and not one with a floor", async () => {
        const zero = resource(
            "aws:eks/nodeGroup:NodeGroup",
            { scalingConfig: { minSize: 0, maxSize: 5, desiredSize: 0 } },
            { name: "runners" },
        );
        const floor = resource(
            "aws:eks/nodeGroup:NodeGroup",
            { scalingConfig: { minSize: 2, maxSize: 5, desiredSize: 2 } },
            { name: "web" },
        );
        assert.deepEqual(await findings(nodePoolAtZeroNeedsAutoscaler, [zero, floor]), [
            "runners: node group runners: minSize 0 and no cluster-autoscaler or karpenter release in the stack (expected an autoscaler, or minSize >= 1)",
        ]);
        const karpenter = resource(RELEASE, { chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.8.0" });
        assert.deepEqual(await findings(nodePoolAtZeroNeedsAutoscaler, [zero, karpenter]), []);
    });
});

describe("policy runner-jobs-fenced", () => {
    const args = { gitlabUrl: "https://gitlab.example.com/", scope: { type: "instance" as const } };

    it("passes GitLabRunner's default (isolateJobs) and reports a runner without it", async () => {
        const rec = await record(
            () => {
                new GitLabRunner("fenced", args);
                new GitLabRunner("open", { ...args, isolateJobs: false });
            },
            { preview: true },
        );
        assert.deepEqual(await findings(runnerJobsFenced, rec.resources), [
            "open-release: namespace gitlab-runner-open: no NetworkPolicy keeps job pods off 169.254.169.254 and 10.0.0.0/8 (expected GitLabRunner's isolateJobs policy)",
        ]);
    });

    it("does not count a policy whose ipBlock lets the metadata service or the VPC through", async () => {
        const runner = resource(
            RELEASE,
            { chart: "gitlab-runner", version: "0.91.0", namespace: "ci" },
            { name: "ci-release" },
        );
        const leaky = (except: string[]) =>
            resource(NP, {
                metadata: { name: "jobs", namespace: "ci" },
                spec: {
                    podSelector: {},
                    policyTypes: ["Egress"],
                    egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except } }] }],
                },
            });
        assert.equal(
            (await findings(runnerJobsFenced, [runner, leaky(["10.0.0.0/8"])])).length,
            1,
            "metadata service reachable",
        );
        assert.equal(
            (await findings(runnerJobsFenced, [runner, leaky(["169.254.0.0/16"])])).length,
            1,
            "VPC reachable",
        );
        assert.deepEqual(await findings(runnerJobsFenced, [runner, leaky(["10.0.0.0/8", "169.254.169.254/32"])]), []);
        const ingressOnly = resource(NP, {
            metadata: { name: "jobs", namespace: "ci" },
            spec: { podSelector: {}, policyTypes: ["Ingress"] },
        });
        assert.equal((await findings(runnerJobsFenced, [runner, ingressOnly])).length, 1, "egress unrestricted");
    });
});
