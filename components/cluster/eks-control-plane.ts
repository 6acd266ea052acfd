import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KMS_DELETION_WINDOW_DAYS, VPC_CNI_CONFIGURATION } from "../defaults";
import type { ResolvedEksCluster } from "./eks-config";
import { buildServiceTrustPolicy } from "./irsa";

/** Arguments of {@link EksControlPlane}: the resolved, validated cluster arguments of {@link KubernetesCluster}. */
export type EksControlPlaneArgs = Pick<
    ResolvedEksCluster,
    | "clusterName"
    | "kubernetesVersion"
    | "partition"
    | "network"
    | "publicAccessCidrs"
    | "adminPrincipalArns"
    | "deletionProtection"
    | "logRetentionDays"
    | "logTypes"
>;

/**
 * The EKS control plane and the identities around it: cluster role, a KMS key for envelope encryption
 * of Kubernetes Secrets, the control plane log group (with retention), the cluster (API
 * authentication through access entries, standard support only), the IAM OIDC provider for IRSA, the
 * node role, admin access entries, and the add-ons nodes need before they can become Ready
 * (vpc-cni, kube-proxy). Declared with `@pulumi/aws` directly: see kubernetes-cluster.ts for why.
 */
export class EksControlPlane extends pulumi.ComponentResource {
    public readonly cluster: aws.eks.Cluster;
    public readonly oidcProvider: aws.iam.OpenIdConnectProvider;
    /** The issuer without `https://`. */
    public readonly oidcIssuer: pulumi.Output<string>;
    public readonly nodeRole: aws.iam.Role;
    /** Resources node groups must wait for: node role policies and the networking add-ons. */
    public readonly nodePrerequisites: pulumi.Resource[];

    constructor(name: string, args: EksControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:cluster:EksControlPlane", name, {}, opts);
        const o = { parent: this };
        const policy = (p: string) => `arn:${args.partition}:iam::aws:policy/${p}`;

        const role = new aws.iam.Role(
            `${name}-cluster`,
            {
                assumeRolePolicy: JSON.stringify(
                    buildServiceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
                ),
            },
            o,
        );
        const rolePolicy = new aws.iam.RolePolicyAttachment(
            `${name}-cluster`,
            { role: role.name, policyArn: policy("AmazonEKSClusterPolicy") },
            o,
        );
        const secretsKey = new aws.kms.Key(
            `${name}-secrets`,
            {
                description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${args.clusterName}`,
                enableKeyRotation: true,
                deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
            },
            // Losing this key makes every Secret of the cluster unreadable: protected like the cluster.
            { ...o, protect: args.deletionProtection },
        );
        // The cluster role uses the key for envelope encryption (the key policy delegates to IAM).
        const keyUse = new aws.iam.RolePolicy(
            `${name}-cluster-secrets-key`,
            {
                role: role.id,
                policy: secretsKey.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                                Resource: arn,
                            },
                        ],
                    }),
                ),
            },
            o,
        );
        // Created before the cluster so EKS does not create it first without retention.
        const logs = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/eks/${args.clusterName}/cluster`, retentionInDays: args.logRetentionDays },
            o,
        );

        const publicAccess = args.publicAccessCidrs.length > 0;
        this.cluster = new aws.eks.Cluster(
            `${name}-eks`,
            {
                name: args.clusterName,
                version: args.kubernetesVersion,
                roleArn: role.arn,
                vpcConfig: {
                    subnetIds: args.network.privateSubnetIds,
                    endpointPrivateAccess: true,
                    endpointPublicAccess: publicAccess,
                    ...(publicAccess ? { publicAccessCidrs: args.publicAccessCidrs } : {}),
                },
                // Access entries only (no aws-auth ConfigMap); the creator is admin so `pulumi up` can install GitLab.
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
                enabledClusterLogTypes: args.logTypes,
                // Networking add-ons are managed below as EKS add-ons. Their versions are EKS's default for the
                // cluster version at creation; EKS does not move them on a cluster upgrade (update them then).
                bootstrapSelfManagedAddons: false,
                // STANDARD: EKS upgrades the cluster when standard support ends instead of charging extended support.
                upgradePolicy: { supportType: "STANDARD" },
                deletionProtection: args.deletionProtection,
            },
            { ...o, dependsOn: [rolePolicy, keyUse, logs] },
        );
        this.oidcIssuer = this.cluster.identities.apply((ids) =>
            (ids?.[0]?.oidcs?.[0]?.issuer ?? "").replace(/^https:\/\//, ""),
        );
        this.oidcProvider = new aws.iam.OpenIdConnectProvider(
            `${name}-oidc`,
            {
                url: this.cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? ""),
                clientIdLists: ["sts.amazonaws.com"],
            },
            o,
        );

        for (const arn of args.adminPrincipalArns) {
            const key = arn
                .split("/")
                .pop()!
                .replace(/[^A-Za-z0-9-]/g, "-");
            const entry = new aws.eks.AccessEntry(
                `${name}-admin-${key}`,
                { clusterName: this.cluster.name, principalArn: arn, type: "STANDARD" },
                o,
            );
            new aws.eks.AccessPolicyAssociation(
                `${name}-admin-${key}`,
                {
                    clusterName: this.cluster.name,
                    principalArn: entry.principalArn,
                    policyArn: `arn:${args.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
                    accessScope: { type: "cluster" },
                },
                o,
            );
        }

        this.nodeRole = new aws.iam.Role(
            `${name}-node`,
            { assumeRolePolicy: JSON.stringify(buildServiceTrustPolicy("ec2.amazonaws.com")) },
            o,
        );
        const nodePolicies = [
            "AmazonEKSWorkerNodePolicy",
            "AmazonEKS_CNI_Policy",
            "AmazonEC2ContainerRegistryPullOnly",
        ].map(
            (p) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-node-${p}`,
                    { role: this.nodeRole.name, policyArn: policy(p) },
                    o,
                ),
        );
        // Without vpc-cni and kube-proxy nodes never become Ready; both are daemon sets, active with zero nodes.
        // The VPC CNI's network policy agent enforces NetworkPolicy (off by default: policies would be ignored).
        const networking = ["vpc-cni", "kube-proxy"].map(
            (addon) =>
                new aws.eks.Addon(
                    `${name}-${addon}`,
                    {
                        clusterName: this.cluster.name,
                        addonName: addon,
                        resolveConflictsOnCreate: "OVERWRITE",
                        ...(addon === "vpc-cni" ? { configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION) } : {}),
                    },
                    o,
                ),
        );
        this.nodePrerequisites = [...nodePolicies, ...networking];
        this.registerOutputs({ clusterName: this.cluster.name, oidcProviderArn: this.oidcProvider.arn });
    }
}
