import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RUNNER_NODE_POOL, TAINTED_NODE_POOLS, WORKLOAD_LABEL_KEY } from "../defaults";
import type { ResolvedNodeGroup } from "./eks-config";

/** The Kubernetes taint effect of the runners pool in the EKS API's spelling. */
const EKS_TAINT_EFFECTS = {
    NoSchedule: "NO_SCHEDULE",
    NoExecute: "NO_EXECUTE",
    PreferNoSchedule: "PREFER_NO_SCHEDULE",
} as const;

/** Labels and taints of a workload's nodes, as Kubernetes sees them. Pure. */
export function nodeGroupPlacement(workload: string): {
    labels: Record<string, string>;
    taints: { key: string; value: string; effect: keyof typeof EKS_TAINT_EFFECTS }[];
} {
    const labels = { [WORKLOAD_LABEL_KEY]: workload };
    const taints = TAINTED_NODE_POOLS.includes(workload)
        ? [{ key: WORKLOAD_LABEL_KEY, value: workload, effect: RUNNER_NODE_POOL.taintEffect }]
        : [];
    return { labels, taints };
}

/**
 * Tags the cluster autoscaler reads: auto-discovery (`enabled`, `<cluster>: owned`) and the node-template
 * labels and taints that let it scale a group up from zero nodes.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 */
export function autoscalerTags(
    clusterName: string,
    workload: string,
): { discovery: Record<string, string>; template: Record<string, string> } {
    const { labels, taints } = nodeGroupPlacement(workload);
    const template: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) template[`k8s.io/cluster-autoscaler/node-template/label/${k}`] = v;
    for (const t of taints)
        template[`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`] = `${t.value}:${t.effect}`;
    return {
        discovery: {
            "k8s.io/cluster-autoscaler/enabled": "true",
            [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
        },
        template,
    };
}

/** Arguments of {@link EksNodeGroup}. */
export interface EksNodeGroupArgs {
    /** The resolved node group. */
    group: ResolvedNodeGroup;
    /** The EKS cluster's name as known before creation (autoscaler tags). */
    clusterName: string;
    /** The EKS cluster: its name and the security group EKS created for it. */
    cluster: aws.eks.Cluster;
    /** ARN of the IAM role the nodes run as (created with the control plane). */
    nodeRoleArn: pulumi.Input<string>;
    /** The private subnets the nodes are placed in. */
    subnetIds: pulumi.Input<string>[];
    /**
     * The "GitLab data clients" group (reaches RDS and ElastiCache), carried besides the EKS cluster
     * security group by the nodes of GitLab's own workloads; runner nodes run untrusted CI jobs and get none.
     * @default - none: the nodes cannot reach the data services
     */
    dataClientsSecurityGroupId?: pulumi.Input<string>;
    /**
     * Resources the node group must wait for (node role policies, networking add-ons).
     * @default []
     */
    waitFor?: pulumi.Resource[];
}

/**
 * One EKS managed node group with its launch template: IMDSv2 only with a hop limit of 1 (pods use
 * IRSA, never the node's role), an encrypted gp3 root volume, and the cluster security group plus,
 * when given, the data-clients group. The autoscaler owns the desired size, so Pulumi ignores its changes.
 */
export class EksNodeGroup extends pulumi.ComponentResource {
    public readonly nodeGroup: aws.eks.NodeGroup;

    constructor(name: string, args: EksNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:cluster:EksNodeGroup", name, {}, opts);
        const g = args.group;
        const o = { parent: this };
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-lt`,
            {
                description: `EKS nodes of the ${g.workload} workload`,
                // Security groups here replace the EKS default, so the cluster group is listed explicitly.
                vpcSecurityGroupIds: [
                    args.cluster.vpcConfig.clusterSecurityGroupId,
                    ...(args.dataClientsSecurityGroupId !== undefined ? [args.dataClientsSecurityGroupId] : []),
                ],
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeSize: g.diskSizeGiB,
                            volumeType: "gp3",
                            encrypted: "true",
                            deleteOnTermination: "true",
                        },
                    },
                ],
                updateDefaultVersion: true,
            },
            o,
        );
        const { labels, taints } = nodeGroupPlacement(g.workload);
        const tags = autoscalerTags(args.clusterName, g.workload);
        this.nodeGroup = new aws.eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: args.cluster.name,
                nodeRoleArn: args.nodeRoleArn,
                subnetIds: args.subnetIds,
                instanceTypes: g.instanceTypes,
                capacityType: g.capacityType,
                amiType: g.amiType,
                scalingConfig: { minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.minSize },
                labels,
                taints: taints.map((t) => ({ key: t.key, value: t.value, effect: EKS_TAINT_EFFECTS[t.effect] })),
                launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                updateConfig: { maxUnavailablePercentage: 33 },
                tags: { ...tags.discovery, ...tags.template },
            },
            { ...o, dependsOn: args.waitFor ?? [], ignoreChanges: ["scalingConfig.desiredSize"] },
        );
        // Managed node groups do not copy their tags to the Auto Scaling group; the template tags must be on it.
        const asgName = this.nodeGroup.resources.apply((rs) => rs?.[0]?.autoscalingGroups?.[0]?.name ?? "");
        for (const [key, value] of Object.entries(tags.template)) {
            new aws.autoscaling.Tag(
                `${name}-${key.split("/").slice(-2).join("-")}`,
                { autoscalingGroupName: asgName, tag: { key, value, propagateAtLaunch: false } },
                o,
            );
        }
        this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName });
    }
}
