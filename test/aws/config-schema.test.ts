/** The `cluster` eks variant (config/cluster.ts) and the `data` aws variant (config/aws.ts). */
import { strict as assert } from "node:assert";
import type { z } from "zod";
import { awsDataCrossChecks, awsDataSchema } from "../../config/aws";
import { clusterSchema, eksGitLabCapacityProblems, type EksClusterConfig } from "../../config/cluster";

const EKS = {
    type: "eks",
    kubernetesVersion: "1.35",
    region: "eu-central-1",
    network: { type: "create", availabilityZones: ["eu-central-1a", "eu-central-1b"] },
};

/** `path: message` lines of a failed parse. */
function problems(schema: z.ZodType, input: unknown): string[] {
    const r = schema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("config: cluster eks variant", () => {
    it("accepts the minimal EKS cluster and normalises the version", () => {
        const parsed = clusterSchema.parse({ ...EKS, kubernetesVersion: "1.35.2" }) as EksClusterConfig;
        assert.equal(parsed.kubernetesVersion, "1.35");
        assert.deepEqual(eksGitLabCapacityProblems(parsed), []);
    });

    it("reports the components' rules at their keys", () => {
        assert.deepEqual(
            problems(clusterSchema, {
                ...EKS,
                network: { type: "create", cidr: "10.0.0.0/8", availabilityZones: ["eu-west-1a", "eu-west-1b"] },
                publicAccessCidrs: ["0.0.0.0/0"],
                nodeGroups: { sidekiq: { instanceTypes: ["m7i.xlarge"], minSize: 5, maxSize: 2 } },
            }),
            [
                'publicAccessCidrs: "0.0.0.0/0" opens the API server to the whole internet (expected the CIDRs of your CI and operators)',
                "nodeGroups.sidekiq.minSize: 5 is above maxSize 2 (expected minSize <= maxSize)",
                "network.availabilityZones: eu-west-1a, eu-west-1b not zones of eu-central-1 (expected eu-central-1a, eu-central-1b, ...)",
                "network.cidr: prefix /8 is outside the supported range (expected /16 to /20)",
            ],
        );
    });

    it("refuses instance types outside the table and unknown workloads", () => {
        const p = problems(clusterSchema, { ...EKS, nodeGroups: { praefect: { instanceTypes: ["m7i.xlarge"], minSize: 1, maxSize: 2 }, runners: { instanceTypes: ["t3.large"], minSize: 0, maxSize: 2 } } });
        assert.equal(p.length, 2);
        assert.match(p.join("\n"), /nodeGroups: Unrecognized key: "praefect"/);
        assert.match(p.join("\n"), /nodeGroups\.runners\.instanceTypes\.0: Invalid option/);
    });

    it("states GitLab's capacity problem for config.ts's cross-key check", () => {
        const small = { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 2 };
        const parsed = clusterSchema.parse({ ...EKS, nodeGroups: { webservice: small, sidekiq: small, supporting: small } }) as EksClusterConfig;
        assert.deepEqual(eksGitLabCapacityProblems(parsed), [
            "cluster.nodeGroups: GitLab's node groups webservice, sidekiq, supporting offer 6 vCPU and 24 GiB at minimum size (expected at least 8 vCPU and 30 GB, GitLab's documented minimum: raise minSize or use larger instance types)",
        ]);
    });
});

describe("config: data aws variant", () => {
    it("accepts type aws alone (every default from components/defaults.ts)", () => {
        assert.deepEqual(awsDataSchema.parse({ type: "aws" }), { type: "aws" });
    });

    it("refuses backups under 7 days, one Redis node, an invalid name prefix", () => {
        assert.deepEqual(
            problems(awsDataSchema, { type: "aws", namePrefix: "Prod", postgres: { backupRetentionDays: 1 }, redis: { nodeCount: 1 } }),
            [
                "postgres.backupRetentionDays: Too small: expected number to be >=7",
                "redis.nodeCount: Too small: expected number to be >=2",
                'namePrefix: "Prod" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)',
            ],
        );
    });

    it("cross-checks: EKS required, same region as the AWS provider, a valid default prefix", () => {
        assert.deepEqual(awsDataCrossChecks({ type: "existing" }, undefined, "gitlab-platform-prod"), [
            "data.type: aws needs cluster.type eks (expected an EKS cluster: the IRSA role trusts its OIDC provider)",
        ]);
        assert.deepEqual(awsDataCrossChecks({ type: "eks", region: "eu-central-1" }, "us-east-1", "gitlab-platform-Prod"), [
            "cluster.region: eu-central-1 differs from aws:region us-east-1 (expected the region the AWS provider deploys to)",
            'data.namePrefix: "gitlab-platform-Prod" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)',
        ]);
    });
});
