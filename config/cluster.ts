import { z } from "zod";
import { resolveEksCluster, validateEksCluster } from "../components/cluster/eks-config";
import {
    EKS_INSTANCE_TYPES,
    EKS_WORKLOADS,
    SUPPORTED_KUBERNETES_VERSIONS,
    type KubernetesVersion,
} from "../components/defaults";
import { validateAwsNetwork } from "../components/network/aws-network";
import { networkSettingsSpec } from "../components/network/spec";
import type { Problem } from "../components/errors";

/** `1.34` or `1.34.2`, inside the supported window; normalised to the minor (`1.34`). */
export const kubernetesVersion = z
    .string()
    .regex(/^1\.\d{1,2}(\.\d{1,3})?$/, { message: 'not a Kubernetes version (expected a quoted minor such as "1.34")' })
    .transform((v) => v.split(".").slice(0, 2).join("."))
    .refine((v) => (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(v), {
        message: `outside the supported window (expected one of: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`,
    })
    .transform((v) => v as KubernetesVersion);

/** A cluster that already exists, reached through a kubeconfig. */
export const existingCluster = z.strictObject({
    type: z.literal("existing"),
    /** Path to a kubeconfig file; the `kubeconfig` secret key holds inline content instead. */
    kubeconfig: z.string().min(1).optional(),
    /** The kubeconfig context to use. */
    context: z.string().min(1).optional(),
    /** The cluster's Kubernetes minor version, declared (an existing cluster is not inspected at plan time). */
    kubernetesVersion,
});

/** One managed node group; instance types come from the instance-type table. */
const nodeGroup = z.strictObject({
    instanceTypes: z.array(z.enum(Object.keys(EKS_INSTANCE_TYPES) as [string, ...string[]])),
    minSize: z.int(),
    maxSize: z.int(),
    capacityType: z.enum(["ON_DEMAND", "SPOT"]).optional(),
    diskSizeGiB: z.int().optional(),
});

/**
 * A new EKS cluster with its VPC (`network`) and a node group per workload. Types here; the rules are
 * the components' `validateEksCluster` and `validateAwsNetwork`, reported at their keys.
 */
const eksCluster = z.strictObject({
    type: z.literal("eks"),
    kubernetesVersion,
    /** The AWS region; must equal `aws:region`. */
    region: z.string(),
    /** EKS cluster name; the program defaults it to `<project>-<stack>`. */
    clusterName: z.string().optional(),
    /** The VPC: the network component's own spec, its defaults applied once there. */
    network: networkSettingsSpec,
    /** CIDRs allowed to reach the public API endpoint; absent: private endpoint only. */
    publicAccessCidrs: z.array(z.string()).optional(),
    nodeGroups: z
        .strictObject(
            Object.fromEntries(EKS_WORKLOADS.map((w) => [w, nodeGroup.optional()])) as Record<
                (typeof EKS_WORKLOADS)[number],
                z.ZodOptional<typeof nodeGroup>
            >,
        )
        .optional(),
    adminPrincipalArns: z.array(z.string()).optional(),
    deletionProtection: z.boolean().optional(),
    logRetentionDays: z.int().optional(),
});

export type EksClusterConfig = z.output<typeof eksCluster>;

/**
 * The components' rules over an `eks` cluster: the cluster's (with the name config.ts resolved, and
 * GitLab's minimum capacity when the stack installs GitLab) and its network's. The Kubernetes version
 * is the schema's own check and the region is reported once, by the network rules.
 */
export function eksClusterRules(
    c: EksClusterConfig & { clusterName: string; requireGitLabCapacity: boolean },
): Problem[] {
    const { network, ...settings } = c;
    const cluster = validateEksCluster(resolveEksCluster(c.clusterName, settings));
    return [
        ...cluster.filter((p) => p.path !== "kubernetesVersion" && p.path !== "region"),
        ...validateAwsNetwork({ ...network, region: c.region }),
    ];
}

/** The cluster of the platform stack (`platformStack`), reached through its secret `kubeconfig` output. */
export const platformCluster = z.strictObject({
    type: z.literal("platform"),
    /** The cluster's Kubernetes minor version, as the platform stack declares it. */
    kubernetesVersion,
});

export const clusterSchema = z.discriminatedUnion("type", [existingCluster, eksCluster, platformCluster]);
