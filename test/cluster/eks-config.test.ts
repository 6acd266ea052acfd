import { strict as assert } from "node:assert";
import { autoscalerTags, nodeGroupPlacement } from "../../components/cluster/eks-node-group";
import {
    awsPartition,
    nodeCapacity,
    resolveEksCluster,
    validateEksCluster,
    type EksClusterArgs,
} from "../../components/cluster/eks-config";
import { buildEksKubeconfig } from "../../components/cluster/kubeconfig";
import { buildIrsaTrustPolicy } from "../../components/cluster/irsa";
import { eksArgs } from "../aws/support";
import { lines } from "../helpers/problems";

const problemsOf = (args: EksClusterArgs) => lines(validateEksCluster(resolveEksCluster("prod", args)));
const small = { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 3 };

describe("EKS cluster arguments: resolveEksCluster", () => {
    it("applies the named defaults: five node groups (Gitaly's own), AL2023 by architecture, private endpoint, protection on", () => {
        const r = resolveEksCluster(
            "prod",
            eksArgs({
                clusterName: undefined,
                nodeGroups: {
                    runners: { instanceTypes: ["c7g.2xlarge"], minSize: 0, maxSize: 5, capacityType: "SPOT" },
                },
            }),
        );
        assert.equal(r.clusterName, "prod");
        assert.equal(r.partition, "aws");
        assert.deepEqual(r.publicAccessCidrs, []);
        assert.equal(r.deletionProtection, true);
        assert.equal(r.logRetentionDays, 90);
        assert.deepEqual(
            r.nodeGroups.map((g) => [
                g.workload,
                g.instanceTypes.join("+"),
                g.minSize,
                g.maxSize,
                g.capacityType,
                g.amiType,
                g.diskSizeGiB,
            ]),
            [
                ["webservice", "c7i.4xlarge", 3, 5, "ON_DEMAND", "AL2023_x86_64_STANDARD", 100],
                ["sidekiq", "m7i.2xlarge", 2, 4, "ON_DEMAND", "AL2023_x86_64_STANDARD", 100],
                ["gitaly", "m7i.2xlarge", 3, 3, "ON_DEMAND", "AL2023_x86_64_STANDARD", 100],
                ["supporting", "m7i.xlarge", 3, 4, "ON_DEMAND", "AL2023_x86_64_STANDARD", 100],
                ["runners", "c7g.2xlarge", 0, 5, "SPOT", "AL2023_ARM_64_STANDARD", 100],
            ],
        );
    });

    it("derives the ARN partition from the region, without an AWS call", () => {
        assert.deepEqual(["eu-central-1", "cn-north-1", "us-gov-west-1"].map(awsPartition), [
            "aws",
            "aws-cn",
            "aws-us-gov",
        ]);
    });
});

describe("EKS cluster arguments: validateEksCluster", () => {
    const rows: { name: string; args: EksClusterArgs; problems: string[] }[] = [
        { name: "the defaults", args: eksArgs({ requireGitLabCapacity: true }), problems: [] },
        {
            name: "a cluster too small for GitLab names its node groups",
            args: eksArgs({
                requireGitLabCapacity: true,
                nodeGroups: { webservice: small, sidekiq: small, supporting: { ...small, minSize: 0 } },
            }),
            problems: [
                "nodeGroups: GitLab's node groups webservice, sidekiq, supporting offer 4 vCPU and 16 GiB at minimum size (expected at least 8 vCPU and 30 GB, GitLab's documented minimum: raise minSize or use larger instance types)",
            ],
        },
        {
            name: "the same small cluster without GitLab",
            args: eksArgs({ nodeGroups: { webservice: small, sidekiq: small, supporting: { ...small, minSize: 0 } } }),
            problems: [],
        },
        {
            name: "enough vCPU but too little memory: 24 GiB is under 30 GB (27.9 GiB)",
            args: eksArgs({
                requireGitLabCapacity: true,
                nodeGroups: {
                    webservice: { instanceTypes: ["c7i.2xlarge"], minSize: 1, maxSize: 2 },
                    sidekiq: { instanceTypes: ["c7i.xlarge"], minSize: 1, maxSize: 2 },
                    supporting: { ...small, minSize: 0 },
                },
            }),
            problems: [
                "nodeGroups: GitLab's node groups webservice, sidekiq, supporting offer 12 vCPU and 24 GiB at minimum size (expected at least 8 vCPU and 30 GB, GitLab's documented minimum: raise minSize or use larger instance types)",
            ],
        },
        {
            name: "an unknown instance type, mixed architectures, min above max",
            args: eksArgs({
                nodeGroups: {
                    webservice: { instanceTypes: ["t3.micro"], minSize: 1, maxSize: 2 },
                    sidekiq: { instanceTypes: ["m7i.xlarge", "m7g.xlarge"], minSize: 3, maxSize: 2 },
                },
            }),
            problems: [
                "nodeGroups.webservice.instanceTypes: t3.micro not in the instance-type table (expected one of: m7i.large, m7i.xlarge, m7i.2xlarge, m7i.4xlarge, c7i.large, c7i.xlarge, c7i.2xlarge, c7i.4xlarge, r7i.large, r7i.xlarge, r7i.2xlarge, m7g.large, m7g.xlarge, m7g.2xlarge, c7g.xlarge, c7g.2xlarge)",
                "nodeGroups.sidekiq.instanceTypes: mixes x86_64 and arm64 (expected one CPU architecture per node group)",
                "nodeGroups.sidekiq.minSize: 3 is above maxSize 2 (expected minSize <= maxSize)",
            ],
        },
        {
            name: "a public endpoint open to the internet, a malformed CIDR",
            args: eksArgs({ publicAccessCidrs: ["0.0.0.0/0", "203.0.113.0"] }),
            problems: [
                'publicAccessCidrs: "0.0.0.0/0" opens the API server to the whole internet (expected the CIDRs of your CI and operators)',
                'publicAccessCidrs: "203.0.113.0" is not an IPv4 CIDR (expected a.b.c.d/p)',
            ],
        },
        {
            name: "bad region, cluster name, retention and admin ARN",
            args: eksArgs({
                region: "europe",
                clusterName: "-prod",
                logRetentionDays: 45,
                adminPrincipalArns: ["arn:aws:iam::123:role/x"],
            }),
            problems: [
                'region: "europe" is not an AWS region (expected a name such as eu-central-1)',
                'clusterName: "-prod" is not an EKS cluster name (expected 1-100 letters, digits, hyphens, underscores, starting with a letter or digit)',
                "logRetentionDays: 45 is not a CloudWatch retention period (expected one of: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
                'adminPrincipalArns: "arn:aws:iam::123:role/x" is not an IAM role or user ARN (expected arn:aws:iam::<account>:role/<name>)',
            ],
        },
    ];
    for (const row of rows) it(row.name, () => assert.deepEqual(problemsOf(row.args), row.problems));
});

describe("EKS node capacity", () => {
    it("sums the floor at min size (smallest type) and the ceiling at max size (largest type)", () => {
        const r = resolveEksCluster(
            "prod",
            eksArgs({
                nodeGroups: { runners: { instanceTypes: ["c7i.xlarge", "c7i.2xlarge"], minSize: 0, maxSize: 10 } },
            }),
        );
        const c = nodeCapacity(r.nodeGroups);
        assert.deepEqual(c.byNodeGroup.runners, { min: { vcpu: 0, memoryGiB: 0 }, max: { vcpu: 80, memoryGiB: 160 } });
        assert.deepEqual(c.byNodeGroup.webservice, {
            min: { vcpu: 48, memoryGiB: 96 },
            max: { vcpu: 80, memoryGiB: 160 },
        });
        assert.deepEqual(c.byNodeGroup.gitaly, { min: { vcpu: 24, memoryGiB: 96 }, max: { vcpu: 24, memoryGiB: 96 } });
        // About the RA's S (96 vCPU: 48 webservice, 12 Sidekiq, 24 Gitaly, 12 supporting); Sidekiq has 4 more.
        assert.deepEqual(c.min, { vcpu: 48 + 16 + 24 + 12, memoryGiB: 96 + 64 + 96 + 48 });
        assert.deepEqual(c.max, { vcpu: 80 + 32 + 24 + 16 + 80, memoryGiB: 160 + 128 + 96 + 64 + 160 });
    });
});

describe("EKS node placement and autoscaler tags", () => {
    it("labels every pool with the shared workload key and taints the runners and Gitaly pools", () => {
        assert.deepEqual(nodeGroupPlacement("webservice"), { labels: { workload: "webservice" }, taints: [] });
        assert.deepEqual(nodeGroupPlacement("gitaly"), {
            labels: { workload: "gitaly" },
            taints: [{ key: "workload", value: "gitaly", effect: "NoSchedule" }],
        });
        assert.deepEqual(nodeGroupPlacement("runners"), {
            labels: { workload: "runners" },
            taints: [{ key: "workload", value: "runners", effect: "NoSchedule" }],
        });
    });

    it("tags for discovery and for scaling up from zero with labels and taints", () => {
        assert.deepEqual(autoscalerTags("gitlab-platform-prod", "runners"), {
            discovery: {
                "k8s.io/cluster-autoscaler/enabled": "true",
                "k8s.io/cluster-autoscaler/gitlab-platform-prod": "owned",
            },
            template: {
                "k8s.io/cluster-autoscaler/node-template/label/workload": "runners",
                "k8s.io/cluster-autoscaler/node-template/taint/workload": "runners:NoSchedule",
            },
        });
    });
});

describe("EKS kubeconfig and IRSA documents", () => {
    it("authenticates with aws eks get-token for the cluster and region, holding no credential", () => {
        const kc = buildEksKubeconfig({
            clusterName: "c1",
            endpoint: "https://x.eks.amazonaws.com",
            certificateAuthorityData: "Q0E=",
            region: "eu-west-1",
        }) as {
            clusters: { cluster: Record<string, string> }[];
            users: { user: { exec: { command: string; args: string[] } } }[];
        };
        assert.deepEqual(kc.clusters[0].cluster, {
            server: "https://x.eks.amazonaws.com",
            "certificate-authority-data": "Q0E=",
        });
        assert.equal(kc.users[0].user.exec.command, "aws");
        assert.deepEqual(kc.users[0].user.exec.args, [
            "eks",
            "get-token",
            "--cluster-name",
            "c1",
            "--region",
            "eu-west-1",
            "--output",
            "json",
        ]);
        assert.deepEqual(Object.keys(kc.users[0].user), ["exec"], "no token, password or client key in the kubeconfig");
    });

    it("trusts exactly the named service accounts with the STS audience, whatever the issuer's scheme", () => {
        const doc = buildIrsaTrustPolicy(
            "arn:aws:iam::1:oidc-provider/o.example/id/X",
            "https://o.example/id/X",
            "kube-system",
            ["a", "b"],
        );
        assert.deepEqual(doc.Statement[0].Condition, {
            StringEquals: {
                "o.example/id/X:aud": "sts.amazonaws.com",
                "o.example/id/X:sub": ["system:serviceaccount:kube-system:a", "system:serviceaccount:kube-system:b"],
            },
        });
        assert.deepEqual(doc.Statement[0].Principal, { Federated: "arn:aws:iam::1:oidc-provider/o.example/id/X" });
    });
});
