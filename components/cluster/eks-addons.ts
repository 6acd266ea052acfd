import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { OidcIdentity } from "./eks-config";
import { irsaAssumeRolePolicy } from "./irsa";

/** The EBS CSI controller's service account, as the EKS add-on installs it. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;

/** The default StorageClass name of an EKS cluster made here. */
export const EKS_DEFAULT_STORAGE_CLASS = "gp3";

/**
 * The cluster's default StorageClass: encrypted gp3 through the EBS CSI driver (EKS marks no class
 * default on new clusters), bound where the pod lands, expandable, and `Retain`, so deleting a claim
 * (or the GitLab release) never deletes Gitaly's repositories; released volumes stay billed until an
 * operator deletes them. Pure.
 * @see https://kubernetes.io/docs/concepts/storage/storage-classes/
 */
export function buildDefaultStorageClass(): {
    metadata: { name: string; annotations: Record<string, string> };
    provisioner: string;
    parameters: Record<string, string>;
    reclaimPolicy: string;
    volumeBindingMode: string;
    allowVolumeExpansion: boolean;
} {
    return {
        metadata: {
            name: EKS_DEFAULT_STORAGE_CLASS,
            annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true" },
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
    };
}

/** Arguments of {@link EksWorkloadAddons}. */
export interface EksWorkloadAddonsArgs {
    /** The cluster's name output. */
    clusterName: pulumi.Input<string>;
    /** The cluster's OIDC provider, for the EBS CSI driver's IRSA role. */
    oidc: OidcIdentity;
    /** ARN partition (`aws`, `aws-cn`, `aws-us-gov`). */
    partition: string;
    /** The node groups: CoreDNS and the CSI controller need nodes to become active. */
    waitFor: pulumi.Resource[];
}

/**
 * The managed add-ons that need running nodes: CoreDNS (a Deployment, degraded until nodes exist), the
 * EBS CSI driver (with its own IRSA role), which provisions the volumes Gitaly and other stateful chart
 * components claim, and the Kubernetes Metrics Server (an EKS community add-on), without which every
 * HorizontalPodAutoscaler the GitLab chart renders holds at its minimum. Add-on versions are EKS's
 * default for the cluster version.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/community-addons.html
 */
export class EksWorkloadAddons extends pulumi.ComponentResource {
    public readonly addons: aws.eks.Addon[];

    constructor(name: string, args: EksWorkloadAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:cluster:EksWorkloadAddons", name, {}, opts);
        const o = { parent: this };
        const csiRole = new aws.iam.Role(
            `${name}-ebs-csi`,
            {
                assumeRolePolicy: irsaAssumeRolePolicy(args.oidc, EBS_CSI_SERVICE_ACCOUNT.namespace, [
                    EBS_CSI_SERVICE_ACCOUNT.name,
                ]),
            },
            o,
        );
        const csiPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-ebs-csi`,
            {
                role: csiRole.name,
                policyArn: `arn:${args.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`,
            },
            o,
        );
        const coredns = new aws.eks.Addon(
            `${name}-coredns`,
            { clusterName: args.clusterName, addonName: "coredns", resolveConflictsOnCreate: "OVERWRITE" },
            { ...o, dependsOn: args.waitFor },
        );
        const ebsCsi = new aws.eks.Addon(
            `${name}-aws-ebs-csi-driver`,
            {
                clusterName: args.clusterName,
                addonName: "aws-ebs-csi-driver",
                serviceAccountRoleArn: csiRole.arn,
                resolveConflictsOnCreate: "OVERWRITE",
            },
            { ...o, dependsOn: [csiPolicy, ...args.waitFor] },
        );
        const metricsServer = new aws.eks.Addon(
            `${name}-metrics-server`,
            { clusterName: args.clusterName, addonName: "metrics-server", resolveConflictsOnCreate: "OVERWRITE" },
            { ...o, dependsOn: args.waitFor },
        );
        this.addons = [coredns, ebsCsi, metricsServer];
        this.registerOutputs({});
    }
}
