/**
 * The `cluster` key: picked from the cluster component's spec (components/cluster/spec.ts) and, for an
 * EKS cluster's VPC, the network's (components/network/spec.ts). Each setting's shape, default and rules
 * live there; the stack adds only what is its own: the inline kubeconfig is the `kubeconfig` secret, the
 * EKS cluster's name and GitLab's minimum capacity are derived (config/stack.ts), and a workloads stack
 * may run on the platform stack's cluster (`type: platform`).
 */
import { z } from "zod";
import { resolveEksCluster, validateEksCluster } from "../components/cluster/eks-config";
import { eksClusterSettingsSpec, existingClusterArgsSpec, kubernetesVersionSpec } from "../components/cluster/spec";
import { validateAwsNetwork } from "../components/network/aws-network";
import { networkSettingsSpec } from "../components/network/spec";
import type { Problem } from "../components/errors";

/**
 * The stack file's form of the version: a quoted minor or patch (`1.34`, `1.34.2`), normalised to the
 * minor, then the component's window.
 */
const kubernetesVersion = z
    .string()
    .regex(/^1\.\d{1,2}(\.\d{1,3})?$/, { message: 'not a Kubernetes version (expected a quoted minor such as "1.34")' })
    .transform((v) => v.split(".").slice(0, 2).join("."))
    .pipe(kubernetesVersionSpec);

/** A cluster that already exists, reached through a kubeconfig path or context (inline content is the `kubeconfig` secret). */
const existingCluster = existingClusterArgsSpec.omit({ kubeconfigContent: true }).extend({ kubernetesVersion });

/** A new EKS cluster with its VPC (`network`: the network component's settings, everything but the region). */
const eksCluster = eksClusterSettingsSpec
    .omit({ requireGitLabCapacity: true })
    .extend({ kubernetesVersion, network: networkSettingsSpec });

export type EksClusterConfig = z.output<typeof eksCluster>;

/** The problems of both, once each: the region is a rule of the cluster and of its network. */
function once(problems: readonly Problem[]): Problem[] {
    return problems.filter((p, i) => problems.findIndex((o) => o.path === p.path && o.message === p.message) === i);
}

/**
 * The components' rules over an `eks` cluster: the cluster's (with the name and GitLab's minimum
 * capacity config/stack.ts derived) and its network's, at their keys.
 */
export function eksClusterRules(
    c: EksClusterConfig & { clusterName: string; requireGitLabCapacity: boolean },
): Problem[] {
    const { network, ...settings } = c;
    return once([
        ...validateEksCluster(resolveEksCluster(c.clusterName, settings)),
        ...validateAwsNetwork({ ...network, region: c.region }),
    ]);
}

/** The cluster of the platform stack (`platformStack`), reached through its secret `kubeconfig` output. */
const platformCluster = z.strictObject({
    type: z.literal("platform"),
    /** The cluster's Kubernetes minor version, as the platform stack declares it. */
    kubernetesVersion,
});

export const clusterSchema = z.discriminatedUnion("type", [existingCluster, eksCluster, platformCluster]);
