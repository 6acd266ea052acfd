/** The `cluster` eks variant and the `data` aws variant, through the stack spec (config/stack.ts). */
import { strict as assert } from "node:assert";
import { awsDataCrossRules } from "../../config/aws";
import { parse, problemsOf } from "../config/support";

const EKS = {
    type: "eks",
    kubernetesVersion: "1.35",
    region: "eu-central-1",
    network: { type: "create", availabilityZones: ["eu-central-1a", "eu-central-1b"] },
};
const lines = (ps: readonly { path: string; message: string }[]) => ps.map((p) => `${p.path}: ${p.message}`);

describe("config: cluster eks variant", () => {
    it("accepts the minimal EKS cluster, normalises the version and names it <project>-<stack>", () => {
        const c = parse({ cluster: { ...EKS, kubernetesVersion: "1.35.2" } }).cluster;
        assert.equal(c.kubernetesVersion, "1.35");
        assert.equal(c.type === "eks" ? c.clusterName : undefined, "gitlab-platform-stack");
    });

    it("reports the components' rules at their keys", () => {
        assert.deepEqual(
            problemsOf({
                cluster: {
                    ...EKS,
                    network: { type: "create", cidr: "10.0.0.0/8", availabilityZones: ["eu-west-1a", "eu-west-1b"] },
                    publicAccessCidrs: ["0.0.0.0/0"],
                    nodeGroups: { sidekiq: { instanceTypes: ["m7i.xlarge"], minSize: 5, maxSize: 2 } },
                },
            }),
            [
                "cluster.network.availabilityZones: eu-west-1a, eu-west-1b not zones of eu-central-1 (expected eu-central-1a, eu-central-1b, ...)",
                "cluster.network.cidr: prefix /8 is outside the supported range (expected /16 to /20)",
                "cluster.nodeGroups.sidekiq.minSize: 5 is above maxSize 2 (expected minSize <= maxSize)",
                'cluster.publicAccessCidrs: "0.0.0.0/0" opens the API server to the whole internet (expected the CIDRs of your CI and operators)',
            ],
        );
    });

    it("refuses unknown workloads and instance types outside the table (the component's spec and rule)", () => {
        const group = { instanceTypes: ["m7i.xlarge"], minSize: 1, maxSize: 2 };
        assert.deepEqual(problemsOf({ cluster: { ...EKS, nodeGroups: { praefect: group } } }), [
            "cluster.nodeGroups.praefect: unknown key (expected one of: gitaly, runners, sidekiq, supporting, webservice)",
        ]);
        const p = problemsOf({
            cluster: { ...EKS, nodeGroups: { runners: { ...group, instanceTypes: ["t3.large"], minSize: 0 } } },
        });
        assert.equal(p.length, 1);
        assert.match(
            p[0],
            /^cluster\.nodeGroups\.runners\.instanceTypes: t3\.large not in the instance-type table \(expected one of: /,
        );
    });

    it("checks GitLab's minimum capacity when the stack installs GitLab", () => {
        const small = { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 2 };
        const p = problemsOf({
            cluster: { ...EKS, nodeGroups: { webservice: small, sidekiq: small, supporting: small } },
            gitlab: { domain: "example.org", tls: { secretName: "tls" } },
        });
        assert.ok(
            p.includes(
                "cluster.nodeGroups: GitLab's node groups webservice, sidekiq, supporting offer 6 vCPU and 24 GiB at minimum size (expected at least 8 vCPU and 30 GB, GitLab's documented minimum: raise minSize or use larger instance types)",
            ),
            p.join("\n"),
        );
    });
});

describe("config: data aws variant", () => {
    it("accepts type aws alone (every default from components/defaults.ts, applied by the spec)", () => {
        assert.deepEqual(parse({ cluster: EKS, data: { type: "aws" } }).data, {
            type: "aws",
            namePrefix: "gitlab-platform-stack",
            postgres: {
                instanceClass: "db.m7g.large",
                allocatedStorageGiB: 100,
                maxAllocatedStorageGiB: 1000,
                backupRetentionDays: 14,
                performanceInsights: false,
            },
            redis: { nodeType: "cache.m7g.large", nodeCount: 2, snapshotRetentionDays: 7, split: false },
            objectStorage: { tmpExpirationDays: 7, noncurrentVersionExpirationDays: 30 },
            gitalyBackups: { schedule: "cron(0 3 * * ? *)", retentionDays: 14 },
            protect: true,
            finalSnapshots: true,
        });
    });

    it("refuses backups under 7 days, one Redis node, an invalid name prefix", () => {
        assert.deepEqual(
            problemsOf({
                cluster: EKS,
                data: {
                    type: "aws",
                    namePrefix: "Prod",
                    postgres: { backupRetentionDays: 1 },
                    redis: { nodeCount: 1 },
                },
            }),
            // One round: the ranges are the spec's rules, reported with the name prefix.
            [
                'data.namePrefix: "Prod" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)',
                "data.postgres.backupRetentionDays: 1 (expected an integer from 7 to 35)",
                "data.redis.nodeCount: 1 (expected an integer from 2 to 6)",
            ],
        );
        assert.deepEqual(problemsOf({ cluster: EKS, data: { type: "aws", namePrefix: "Prod" } }), [
            'data.namePrefix: "Prod" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)',
        ]);
    });

    it("cross-checks: EKS required, same region as the AWS provider, a valid default prefix", () => {
        assert.deepEqual(lines(awsDataCrossRules({ type: "existing" }, undefined, "gitlab-platform-prod")), [
            "data.type: aws needs cluster.type eks (expected an EKS cluster: the IRSA role trusts its OIDC provider)",
        ]);
        assert.deepEqual(
            lines(awsDataCrossRules({ type: "eks", region: "eu-central-1" }, "us-east-1", "gitlab-platform-Prod")),
            [
                "cluster.region: eu-central-1 differs from aws:region us-east-1 (expected the region the AWS provider deploys to)",
                'data.namePrefix: "gitlab-platform-Prod" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)',
            ],
        );
    });
});
