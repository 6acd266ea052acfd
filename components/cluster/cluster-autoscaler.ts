import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    CLUSTER_AUTOSCALER_CHART_NAME,
    CLUSTER_AUTOSCALER_CHART_REPOSITORY,
    CLUSTER_AUTOSCALER_CHART_VERSION,
    CLUSTER_AUTOSCALER_IMAGE_TAGS,
    CLUSTER_AUTOSCALER_NAMESPACE,
    CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
    WORKLOAD_LABEL_KEY,
    WORKLOAD_LABELS,
    type KubernetesVersion,
} from "../defaults";
import type { OidcIdentity } from "./eks-config";
import { irsaAssumeRolePolicy, type PolicyDocument } from "./irsa";

/**
 * The autoscaler's IAM policy, least privilege: read-only discovery where AWS offers no resource scoping,
 * `eks:DescribeNodegroup` (scale-from-zero templates) on this cluster's node groups only, and the two
 * mutating actions only on Auto Scaling groups EKS tagged as owned by this cluster. Pure.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 */
export function buildClusterAutoscalerPolicy(partition: string, region: string, clusterName: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Discover",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
            {
                Sid: "NodeGroups",
                Effect: "Allow",
                Action: ["eks:DescribeNodegroup"],
                Resource: `arn:${partition}:eks:${region}:*:nodegroup/${clusterName}/*/*`,
            },
            {
                Sid: "ScaleOwnGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ],
    };
}

/** What the autoscaler's chart values need. */
export interface ClusterAutoscalerValuesInput {
    clusterName: string;
    region: string;
    kubernetesVersion: KubernetesVersion;
    roleArn: pulumi.Input<string>;
}

/**
 * Chart values: auto-discovery of this cluster's groups, the image of the cluster's minor, the IRSA role
 * on its service account, balanced zones (the GitLab pools span three), and the controller on the
 * supporting pool (never on the Spot runners it scales down). Pure.
 */
export function buildClusterAutoscalerValues(i: ClusterAutoscalerValuesInput): Record<string, unknown> {
    return {
        cloudProvider: "aws",
        awsRegion: i.region,
        autoDiscovery: { clusterName: i.clusterName },
        image: { tag: CLUSTER_AUTOSCALER_IMAGE_TAGS[i.kubernetesVersion] },
        rbac: {
            serviceAccount: {
                create: true,
                name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
                annotations: { "eks.amazonaws.com/role-arn": i.roleArn },
            },
        },
        extraArgs: {
            "balance-similar-node-groups": true,
            expander: "least-waste",
            "skip-nodes-with-system-pods": false,
        },
        nodeSelector: { [WORKLOAD_LABEL_KEY]: WORKLOAD_LABELS.supporting },
    };
}

/** Arguments of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerArgs {
    /** The EKS cluster's name as known before creation (discovery tags, IAM scoping). */
    clusterName: string;
    /** The cluster's region. */
    region: string;
    /** ARN partition. */
    partition: string;
    /** The cluster's minor version: selects the autoscaler image. */
    kubernetesVersion: KubernetesVersion;
    /** The cluster's OIDC provider, for the IRSA role. */
    oidc: OidcIdentity;
}

/**
 * The Kubernetes cluster autoscaler for the EKS managed node groups: they already carry its discovery
 * and node-template tags (scale from zero), so adding nodes for pending pods and removing idle ones
 * needs only this controller and its IRSA role. Give it the cluster's Kubernetes provider.
 * Why not Karpenter here: the pools are managed node groups sized per workload, which the autoscaler
 * drives without a second node lifecycle (EC2NodeClass, interruption queue, node access entries).
 */
export class ClusterAutoscaler extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:cluster:ClusterAutoscaler", name, {}, opts);
        const o = { parent: this };
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Cluster autoscaler of EKS cluster ${args.clusterName} (IRSA)`,
                assumeRolePolicy: irsaAssumeRolePolicy(args.oidc, CLUSTER_AUTOSCALER_NAMESPACE, [
                    CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
                ]),
            },
            o,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: JSON.stringify(buildClusterAutoscalerPolicy(args.partition, args.region, args.clusterName)),
            },
            o,
        );
        new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: "cluster-autoscaler",
                namespace: CLUSTER_AUTOSCALER_NAMESPACE,
                chart: CLUSTER_AUTOSCALER_CHART_NAME,
                version: CLUSTER_AUTOSCALER_CHART_VERSION,
                repositoryOpts: { repo: CLUSTER_AUTOSCALER_CHART_REPOSITORY },
                values: buildClusterAutoscalerValues({
                    clusterName: args.clusterName,
                    region: args.region,
                    kubernetesVersion: args.kubernetesVersion,
                    roleArn: role.arn,
                }),
            },
            { ...o, dependsOn: [policy] },
        );
        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
