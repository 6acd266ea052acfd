import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesCluster } from "../../components";
import { buildClusterAutoscalerValues } from "../../components/cluster/cluster-autoscaler";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../components/defaults";
import { InvalidArgsError } from "../../components/errors";
import { record, type Recorded } from "../helpers/pulumi";
import { validateAll } from "../helpers/schema";
import { ISSUER, NETWORK_REF, OIDC_PROVIDER_ARN, awsMocks, eksArgs, policyOf } from "../aws/support";

const T = {
    cluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    addon: "aws:eks/addon:Addon",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    asgTag: "aws:autoscaling/tag:Tag",
};

describe("KubernetesCluster (eks)", () => {
    let rec: Recorded;
    let cluster: KubernetesCluster;
    const urn = (type: string, name: string) => rec.one(type, name).urn;

    before(async () => {
        rec = await record(
            () => {
                cluster = new KubernetesCluster("prod", eksArgs({ requireGitLabCapacity: true }));
            },
            { mocks: awsMocks },
        );
    });

    it("declares the control plane, a node group per workload, the workload add-ons, the provider and a default StorageClass", () => {
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:cluster:KubernetesCluster", "prod")), [
            "gitlab-platform:cluster:ClusterAutoscaler/prod-autoscaler",
            "gitlab-platform:cluster:EksControlPlane/prod-control-plane",
            "gitlab-platform:cluster:EksNodeGroup/prod-gitaly",
            "gitlab-platform:cluster:EksNodeGroup/prod-runners",
            "gitlab-platform:cluster:EksNodeGroup/prod-sidekiq",
            "gitlab-platform:cluster:EksNodeGroup/prod-supporting",
            "gitlab-platform:cluster:EksNodeGroup/prod-webservice",
            "gitlab-platform:cluster:EksWorkloadAddons/prod-addons",
            "kubernetes:storage.k8s.io/v1:StorageClass/prod-gp3",
            "pulumi:providers:kubernetes/prod-provider",
        ]);
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:cluster:EksControlPlane")), [
            "aws:cloudwatch/logGroup:LogGroup/prod-control-plane-logs",
            "aws:eks/addon:Addon/prod-control-plane-kube-proxy",
            "aws:eks/addon:Addon/prod-control-plane-vpc-cni",
            "aws:eks/cluster:Cluster/prod-control-plane-eks",
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider/prod-control-plane-oidc",
            "aws:iam/role:Role/prod-control-plane-cluster",
            "aws:iam/role:Role/prod-control-plane-node",
            "aws:iam/rolePolicy:RolePolicy/prod-control-plane-cluster-secrets-key",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment/prod-control-plane-cluster",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment/prod-control-plane-node-AmazonEC2ContainerRegistryPullOnly",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment/prod-control-plane-node-AmazonEKSWorkerNodePolicy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment/prod-control-plane-node-AmazonEKS_CNI_Policy",
            "aws:kms/key:Key/prod-control-plane-secrets",
        ]);
    });

    it("pins the version, keeps the endpoint private, encrypts Secrets with a rotating key and logs with retention", () => {
        const eks = rec.one(T.cluster);
        assert.deepEqual(eks.inputs, {
            name: "gitlab-platform-prod",
            version: "1.35",
            roleArn: "arn:aws:iam:eu-central-1:123456789012:prod-control-plane-cluster",
            vpcConfig: {
                subnetIds: NETWORK_REF.privateSubnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: false,
            },
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
            encryptionConfig: {
                provider: { keyArn: "arn:aws:kms:eu-central-1:123456789012:key/prod-control-plane-secrets" },
                resources: ["secrets"],
            },
            enabledClusterLogTypes: ["api", "audit", "authenticator"],
            bootstrapSelfManagedAddons: false,
            upgradePolicy: { supportType: "STANDARD" },
            deletionProtection: true,
        });
        assert.ok(
            eks.dependsOn.includes(urn("aws:cloudwatch/logGroup:LogGroup", "prod-control-plane-logs")),
            "the log group exists before EKS would create one",
        );
        assert.deepEqual(rec.one("aws:cloudwatch/logGroup:LogGroup").inputs, {
            name: "/aws/eks/gitlab-platform-prod/cluster",
            retentionInDays: 90,
        });
        assert.ok(
            eks.dependsOn.includes(urn("aws:iam/rolePolicy:RolePolicy", "prod-control-plane-cluster-secrets-key")),
            "the role may use the key first",
        );
        assert.deepEqual(
            policyOf(rec.one("aws:iam/rolePolicy:RolePolicy", "prod-control-plane-cluster-secrets-key"), "policy")
                .Statement,
            [
                {
                    Effect: "Allow",
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                    Resource: "arn:aws:kms:eu-central-1:123456789012:key/prod-control-plane-secrets",
                },
            ],
        );
        assert.deepEqual(rec.one("aws:kms/key:Key").inputs, {
            description: "Envelope encryption of Kubernetes Secrets in EKS cluster gitlab-platform-prod",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
        });
        assert.equal(rec.one("aws:kms/key:Key").protect, true, "protected like the cluster");
    });

    it("registers the OIDC provider for IRSA with the STS audience and exposes it as a fact", async () => {
        assert.deepEqual(rec.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").inputs, {
            url: `https://${ISSUER}`,
            clientIdLists: ["sts.amazonaws.com"],
        });
        const [arn, issuer] = await new Promise<string[]>((resolve) =>
            pulumi.all([cluster.oidc!.providerArn, cluster.oidc!.issuer]).apply(resolve),
        );
        assert.deepEqual([arn, issuer], [OIDC_PROVIDER_ARN, ISSUER]);
        assert.deepEqual(cluster.nodeCapacity?.min, { vcpu: 100, memoryGiB: 304 });
        assert.deepEqual(cluster.nodeCapacity?.max, { vcpu: 232, memoryGiB: 608 });
    });

    it("gives every node group its instance types, scaling bounds, workload label, autoscaler tags; taints runners and Gitaly", () => {
        const expected = {
            webservice: {
                instanceTypes: ["c7i.4xlarge"],
                scalingConfig: { minSize: 3, maxSize: 5, desiredSize: 3 },
                taints: [],
            },
            sidekiq: {
                instanceTypes: ["m7i.2xlarge"],
                scalingConfig: { minSize: 2, maxSize: 4, desiredSize: 2 },
                taints: [],
            },
            gitaly: {
                instanceTypes: ["m7i.2xlarge"],
                scalingConfig: { minSize: 3, maxSize: 3, desiredSize: 3 },
                taints: [{ key: "workload", value: "gitaly", effect: "NO_SCHEDULE" }],
            },
            supporting: {
                instanceTypes: ["m7i.xlarge"],
                scalingConfig: { minSize: 3, maxSize: 4, desiredSize: 3 },
                taints: [],
            },
            runners: {
                instanceTypes: ["c7i.2xlarge"],
                scalingConfig: { minSize: 0, maxSize: 10, desiredSize: 0 },
                taints: [{ key: "workload", value: "runners", effect: "NO_SCHEDULE" }],
            },
        };
        for (const [workload, e] of Object.entries(expected)) {
            const ng = rec.one(T.nodeGroup, `prod-${workload}-nodes`);
            assert.deepEqual(ng.inputs.instanceTypes, e.instanceTypes);
            assert.deepEqual(ng.inputs.scalingConfig, e.scalingConfig);
            assert.deepEqual(ng.inputs.labels, { workload });
            assert.deepEqual(ng.inputs.taints, e.taints);
            assert.equal(ng.inputs.amiType, "AL2023_x86_64_STANDARD");
            assert.deepEqual(ng.inputs.subnetIds, NETWORK_REF.privateSubnetIds);
            assert.deepEqual(ng.inputs.launchTemplate, { id: `prod-${workload}-lt-id`, version: "1" });
            const tags = ng.inputs.tags as Record<string, string>;
            assert.equal(tags["k8s.io/cluster-autoscaler/enabled"], "true");
            assert.equal(tags["k8s.io/cluster-autoscaler/gitlab-platform-prod"], "owned");
            // The node-template tags also go on the Auto Scaling group itself (scale from zero).
            const asgTags = rec
                .ofType(T.asgTag)
                .filter((t) => t.parent === rec.one("gitlab-platform:cluster:EksNodeGroup", `prod-${workload}`).urn);
            assert.deepEqual(
                asgTags.map((t) => t.inputs).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
                Object.entries(tags)
                    .filter(([k]) => k.includes("node-template"))
                    .map(([key, value]) => ({
                        autoscalingGroupName: `eks-prod-${workload}-nodes-asg`,
                        tag: { key, value, propagateAtLaunch: false },
                    })),
            );
        }
    });

    it("launches nodes with IMDSv2 at hop limit 1 (pods cannot reach it), an encrypted gp3 root volume, and the cluster group", () => {
        for (const lt of rec.ofType(T.launchTemplate)) {
            assert.deepEqual(lt.inputs.metadataOptions, {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
            });
            assert.deepEqual(lt.inputs.blockDeviceMappings, [
                {
                    deviceName: "/dev/xvda",
                    ebs: { volumeSize: 100, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
                },
            ]);
        }
    });

    it("gives the data-clients group to GitLab's Rails and supporting node groups only: runner nodes (untrusted CI jobs) and Gitaly cannot reach RDS or ElastiCache", () => {
        const groups = Object.fromEntries(
            rec.ofType(T.launchTemplate).map((lt) => [lt.name, lt.inputs.vpcSecurityGroupIds]),
        );
        const gitlab = ["sg-0cluster0000000000", NETWORK_REF.dataClientsSecurityGroupId];
        assert.deepEqual(groups, {
            "prod-webservice-lt": gitlab,
            "prod-sidekiq-lt": gitlab,
            "prod-supporting-lt": gitlab,
            "prod-gitaly-lt": ["sg-0cluster0000000000"],
            "prod-runners-lt": ["sg-0cluster0000000000"],
        });
    });

    it("installs metrics-server as an EKS add-on once nodes exist, so the chart's HPAs can scale", () => {
        assert.deepEqual(rec.one(T.addon, "prod-addons-metrics-server").inputs, {
            clusterName: "gitlab-platform-prod",
            addonName: "metrics-server",
            resolveConflictsOnCreate: "OVERWRITE",
        });
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:cluster:EksWorkloadAddons")), [
            "aws:eks/addon:Addon/prod-addons-aws-ebs-csi-driver",
            "aws:eks/addon:Addon/prod-addons-coredns",
            "aws:eks/addon:Addon/prod-addons-metrics-server",
            "aws:iam/role:Role/prod-addons-ebs-csi",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment/prod-addons-ebs-csi",
        ]);
    });

    it("runs the cluster autoscaler (pinned chart, image of the cluster's minor) with a least-privilege IRSA role", () => {
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:cluster:ClusterAutoscaler")), [
            "aws:iam/role:Role/prod-autoscaler-role",
            "aws:iam/rolePolicy:RolePolicy/prod-autoscaler-policy",
            "kubernetes:helm.sh/v3:Release/prod-autoscaler-release",
        ]);
        const trust = policyOf(rec.one(T.role, "prod-autoscaler-role"), "assumeRolePolicy");
        assert.deepEqual(trust.Statement[0].Condition, {
            StringEquals: {
                [`${ISSUER}:aud`]: "sts.amazonaws.com",
                [`${ISSUER}:sub`]: ["system:serviceaccount:kube-system:cluster-autoscaler"],
            },
        });
        const statements = policyOf(rec.one("aws:iam/rolePolicy:RolePolicy", "prod-autoscaler-policy"), "policy")
            .Statement as Record<string, unknown>[];
        const byId = Object.fromEntries(statements.map((s) => [s.Sid, s]));
        assert.deepEqual(Object.keys(byId), ["Discover", "NodeGroups", "ScaleOwnGroups"]);
        for (const s of statements)
            for (const a of s.Action as string[])
                assert.ok(
                    /^(autoscaling|ec2|eks):(Describe|Get|SetDesiredCapacity|TerminateInstanceInAutoScalingGroup)/.test(
                        a,
                    ),
                    a,
                );
        // Only read actions on "*"; the two that change capacity need this cluster's ownership tag.
        assert.ok((byId.Discover.Action as string[]).every((a) => /:(Describe|Get)/.test(a)));
        assert.deepEqual(byId.ScaleOwnGroups, {
            Sid: "ScaleOwnGroups",
            Effect: "Allow",
            Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/gitlab-platform-prod": "owned" } },
        });
        assert.equal(byId.NodeGroups.Resource, "arn:aws:eks:eu-central-1:*:nodegroup/gitlab-platform-prod/*/*");
        const release = rec.one("kubernetes:helm.sh/v3:Release", "prod-autoscaler-release");
        assert.deepEqual(
            [
                release.inputs.chart,
                release.inputs.version,
                release.inputs.repositoryOpts,
                release.inputs.namespace,
                release.provider?.includes("prod-provider"),
            ],
            ["cluster-autoscaler", "9.59.0", { repo: "https://kubernetes.github.io/autoscaler" }, "kube-system", true],
        );
        assert.deepEqual(release.inputs.values, {
            cloudProvider: "aws",
            awsRegion: "eu-central-1",
            autoDiscovery: { clusterName: "gitlab-platform-prod" },
            image: { tag: "v1.35.2" },
            rbac: {
                serviceAccount: {
                    create: true,
                    name: "cluster-autoscaler",
                    annotations: {
                        "eks.amazonaws.com/role-arn": "arn:aws:iam:eu-central-1:123456789012:prod-autoscaler-role",
                    },
                },
            },
            extraArgs: {
                "balance-similar-node-groups": true,
                expander: "least-waste",
                "skip-nodes-with-system-pods": false,
            },
            nodeSelector: { workload: "supporting" },
        });
        assert.ok(
            release.dependsOn.includes(urn("aws:iam/rolePolicy:RolePolicy", "prod-autoscaler-policy")),
            "the role can act before the pod starts",
        );
    });

    it("picks the autoscaler image of each supported minor (the autoscaler's minor must equal the cluster's)", () => {
        const tags = SUPPORTED_KUBERNETES_VERSIONS.map(
            (v) =>
                (
                    buildClusterAutoscalerValues({
                        clusterName: "c",
                        region: "eu-west-1",
                        kubernetesVersion: v,
                        roleArn: "r",
                    }).image as { tag: string }
                ).tag,
        );
        assert.deepEqual(tags, ["v1.33.6", "v1.34.5", "v1.35.2"]);
        for (const [i, v] of SUPPORTED_KUBERNETES_VERSIONS.entries()) assert.ok(tags[i].startsWith(`v${v}.`), v);
    });

    it("turns on the VPC CNI's network policy agent, so the runners' NetworkPolicies are enforced", () => {
        assert.deepEqual(
            JSON.parse(rec.one(T.addon, "prod-control-plane-vpc-cni").inputs.configurationValues as string),
            { enableNetworkPolicy: "true" },
        );
        assert.equal(rec.one(T.addon, "prod-control-plane-kube-proxy").inputs.configurationValues, undefined);
    });

    it("orders the bring-up: networking add-ons and node policies, then nodes, then CoreDNS and the CSI driver, then the provider", () => {
        const prerequisites = [
            urn(T.addon, "prod-control-plane-vpc-cni"),
            urn(T.addon, "prod-control-plane-kube-proxy"),
            ...["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly"].map((p) =>
                urn(T.attachment, `prod-control-plane-node-${p}`),
            ),
        ];
        const nodeGroups = rec.ofType(T.nodeGroup);
        for (const ng of nodeGroups)
            for (const p of prerequisites) assert.ok(ng.dependsOn.includes(p), `${ng.name} waits for ${p}`);
        for (const addon of ["prod-addons-coredns", "prod-addons-aws-ebs-csi-driver", "prod-addons-metrics-server"]) {
            for (const ng of nodeGroups)
                assert.ok(rec.one(T.addon, addon).dependsOn.includes(ng.urn), `${addon} waits for ${ng.name}`);
        }
        const provider = rec.one("pulumi:providers:kubernetes", "prod-provider");
        assert.ok(provider.dependsOn.includes(urn(T.addon, "prod-addons-coredns")));
        assert.ok(provider.dependsOn.includes(urn(T.addon, "prod-addons-aws-ebs-csi-driver")));
    });

    it("builds the provider's kubeconfig from the cluster, authenticating through aws eks get-token", () => {
        const kc = JSON.parse(rec.one("pulumi:providers:kubernetes", "prod-provider").inputs.kubeconfig as string) as {
            clusters: { cluster: { server: string } }[];
            users: { user: { exec: { args: string[] } } }[];
        };
        assert.equal(kc.clusters[0].cluster.server, "https://EXAMPLE.gr7.eu-central-1.eks.amazonaws.com");
        assert.deepEqual(kc.users[0].user.exec.args, [
            "eks",
            "get-token",
            "--cluster-name",
            "gitlab-platform-prod",
            "--region",
            "eu-central-1",
            "--output",
            "json",
        ]);
    });

    it("gives the EBS CSI driver a role only its controller service account can assume", () => {
        const role = rec.one(T.role, "prod-addons-ebs-csi");
        assert.deepEqual(policyOf(role, "assumeRolePolicy").Statement[0].Condition, {
            StringEquals: {
                [`${ISSUER}:aud`]: "sts.amazonaws.com",
                [`${ISSUER}:sub`]: ["system:serviceaccount:kube-system:ebs-csi-controller-sa"],
            },
        });
        assert.equal(
            rec.one(T.attachment, "prod-addons-ebs-csi").inputs.policyArn,
            "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
        );
        assert.equal(
            rec.one(T.addon, "prod-addons-aws-ebs-csi-driver").inputs.serviceAccountRoleArn,
            "arn:aws:iam:eu-central-1:123456789012:prod-addons-ebs-csi",
        );
    });

    it("declares an encrypted, retained gp3 default StorageClass through the cluster's provider, valid against the schema", async () => {
        const sc = rec.one("kubernetes:storage.k8s.io/v1:StorageClass");
        assert.equal(sc.provider, rec.one("pulumi:providers:kubernetes", "prod-provider").urn);
        assert.deepEqual(sc.inputs.parameters, { type: "gp3", encrypted: "true" });
        assert.equal(sc.inputs.reclaimPolicy, "Retain");
        assert.equal(await validateAll(rec.resources), 1);
    });

    it("opens the public endpoint only to the given CIDRs, and grants admins through access entries", async () => {
        const open = await record(
            () => {
                new KubernetesCluster(
                    "prod",
                    eksArgs({
                        publicAccessCidrs: ["203.0.113.0/24"],
                        adminPrincipalArns: ["arn:aws:iam::123456789012:role/ci"],
                    }),
                );
            },
            { mocks: awsMocks },
        );
        assert.deepEqual((open.one(T.cluster).inputs.vpcConfig as Record<string, unknown>).publicAccessCidrs, [
            "203.0.113.0/24",
        ]);
        assert.equal((open.one(T.cluster).inputs.vpcConfig as Record<string, unknown>).endpointPublicAccess, true);
        assert.deepEqual(open.one("aws:eks/accessEntry:AccessEntry").inputs, {
            clusterName: "gitlab-platform-prod",
            principalArn: "arn:aws:iam::123456789012:role/ci",
            type: "STANDARD",
        });
        assert.deepEqual(open.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").inputs, {
            clusterName: "gitlab-platform-prod",
            principalArn: "arn:aws:iam::123456789012:role/ci",
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            accessScope: { type: "cluster" },
        });
    });

    it("rejects a cluster too small for GitLab before declaring anything, naming the node groups", async () => {
        const small = { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 2 };
        const bad = await record(
            () =>
                assert.throws(
                    () =>
                        new KubernetesCluster(
                            "prod",
                            eksArgs({
                                requireGitLabCapacity: true,
                                nodeGroups: { webservice: small, sidekiq: small, supporting: small },
                            }),
                        ),
                    (err: unknown) =>
                        err instanceof InvalidArgsError &&
                        /^GitLab's node groups webservice, sidekiq, supporting offer 6 vCPU and 24 GiB/.test(
                            err.problems[0].message,
                        ),
                ),
            { mocks: awsMocks },
        );
        assert.deepEqual(
            bad.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type),
            [],
        );
    });
});
