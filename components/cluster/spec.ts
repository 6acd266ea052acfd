/**
 * The cluster component's spec: every setting of {@link KubernetesClusterArgs} once, with its shape (the
 * zod schemas), so a misspelled or missing key is refused with a "did you mean" before anything is
 * declared. The documentation is the JSDoc of `ExistingClusterArgs` and `EksClusterArgs`; `satisfies`
 * makes the compiler prove the schemas accept nothing the interfaces do not. Defaults are applied once,
 * by {@link resolveEksCluster} (most depend on the cluster's name or workload); the Kubernetes version's
 * shape and window are {@link kubernetesVersionSpec}, the other rules {@link validateEksCluster}. The
 * stack spec (config/cluster.ts) picks {@link existingClusterArgsSpec} and {@link eksClusterSettingsSpec}
 * for the `cluster` key. Also the OIDC identity every IRSA consumer of the cluster receives
 * ({@link oidcIdentitySpec}).
 */
import { z } from "zod";
import { EKS_WORKLOADS, SUPPORTED_KUBERNETES_VERSIONS, type KubernetesVersion } from "../defaults";
import { input } from "../internal/spec-kit";
import { awsNetworkRefSpec } from "../network/spec";
import type { EksClusterArgs, EksClusterSettings, EksNodeGroupSpec, OidcIdentity } from "./eks-config";
import type { ExistingClusterArgs, KubernetesClusterArgs } from "./kubernetes-cluster";

/** The cluster's OIDC provider, as `KubernetesCluster.oidc` gives it (Pulumi inputs, checked by type only). */
export const oidcIdentitySpec = z.custom<OidcIdentity>(
    (v) => typeof v === "object" && v !== null && "providerArn" in v,
    { message: "not an OIDC identity (expected the EKS cluster's oidc: providerArn and issuer)" },
);

/**
 * A Kubernetes minor version inside the supported window ({@link SUPPORTED_KUBERNETES_VERSIONS}): the one
 * place the window is checked, for the component and for every `cluster` variant of the stack file.
 */
export const kubernetesVersionSpec = z.custom<KubernetesVersion>(
    (v) => (SUPPORTED_KUBERNETES_VERSIONS as readonly unknown[]).includes(v),
    { message: `outside the supported window (expected one of: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})` },
);
const kubernetesVersion = kubernetesVersionSpec;

/** A cluster that already exists, reached through a kubeconfig. */
export const existingClusterArgsSpec = z.strictObject({
    type: z.literal("existing"),
    kubeconfig: z.string().min(1).optional(),
    kubeconfigContent: input(z.string()).optional(),
    context: z.string().min(1).optional(),
    kubernetesVersion,
}) satisfies z.ZodType<unknown, ExistingClusterArgs>;

/** One managed node group; its defaults depend on the workload, applied by {@link resolveEksCluster}. */
const nodeGroupSpec = z.strictObject({
    instanceTypes: z.array(z.string()),
    minSize: z.number(),
    maxSize: z.number(),
    capacityType: z.enum(["ON_DEMAND", "SPOT"]).optional(),
    diskSizeGiB: z.number().optional(),
}) satisfies z.ZodType<unknown, EksNodeGroupSpec>;

/** The settings of a new EKS cluster with a node group per workload: its args without the network it is wired to. */
export const eksClusterSettingsSpec = z.strictObject({
    type: z.literal("eks"),
    kubernetesVersion,
    region: z.string(),
    clusterName: z.string().optional(),
    publicAccessCidrs: z.array(z.string()).optional(),
    nodeGroups: z.partialRecord(z.enum(EKS_WORKLOADS), nodeGroupSpec).optional(),
    requireGitLabCapacity: z.boolean().optional(),
    adminPrincipalArns: z.array(z.string()).optional(),
    deletionProtection: z.boolean().optional(),
    logRetentionDays: z.number().optional(),
}) satisfies z.ZodType<unknown, EksClusterSettings>;

/** A new EKS cluster, wired to its VPC. */
export const eksClusterArgsSpec = eksClusterSettingsSpec.extend({
    network: awsNetworkRefSpec,
}) satisfies z.ZodType<unknown, EksClusterArgs>;

/** The component's whole args: one variant per way a cluster comes to be. */
export const kubernetesClusterArgsSpec = z.discriminatedUnion("type", [
    existingClusterArgsSpec,
    eksClusterArgsSpec,
]) satisfies z.ZodType<unknown, KubernetesClusterArgs>;
