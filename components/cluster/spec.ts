/**
 * The cluster component's spec: every setting of {@link KubernetesClusterArgs} once, with its shape (the
 * zod schemas), so a misspelled or missing key is refused with a "did you mean" before anything is
 * declared. The documentation is the JSDoc of `ExistingClusterArgs` and `EksClusterArgs`; `satisfies`
 * makes the compiler prove the schemas accept nothing the interfaces do not. Defaults are applied once,
 * by {@link resolveEksCluster} (most depend on the cluster's name or workload); the rules are
 * {@link validateEksCluster} and {@link validateKubernetesVersion}. Also the OIDC identity every IRSA
 * consumer of the cluster receives ({@link oidcIdentitySpec}).
 */
import { z } from "zod";
import { EKS_WORKLOADS, type KubernetesVersion } from "../defaults";
import { input } from "../internal/spec-kit";
import { awsNetworkRefSpec } from "../network/spec";
import type { EksClusterArgs, EksNodeGroupSpec, OidcIdentity } from "./eks-config";
import type { ExistingClusterArgs, KubernetesClusterArgs } from "./kubernetes-cluster";

/** The cluster's OIDC provider, as `KubernetesCluster.oidc` gives it (Pulumi inputs, checked by type only). */
export const oidcIdentitySpec = z.custom<OidcIdentity>(
    (v) => typeof v === "object" && v !== null && "providerArn" in v,
    { message: "not an OIDC identity (expected the EKS cluster's oidc: providerArn and issuer)" },
);

/** A minor version as a string; whether it is inside the supported window is the rule's to say. */
const kubernetesVersion = z.custom<KubernetesVersion>((v) => typeof v === "string", {
    message: 'not a Kubernetes version (expected a quoted minor such as "1.34")',
});

/** A cluster that already exists, reached through a kubeconfig. */
export const existingClusterArgsSpec = z.strictObject({
    type: z.literal("existing"),
    kubeconfig: z.string().optional(),
    kubeconfigContent: input(z.string()).optional(),
    context: z.string().optional(),
    kubernetesVersion,
}) satisfies z.ZodType<unknown, ExistingClusterArgs>;

const nodeGroupSpec = z.strictObject({
    instanceTypes: z.array(z.string()),
    minSize: z.number(),
    maxSize: z.number(),
    capacityType: z.enum(["ON_DEMAND", "SPOT"]).optional(),
    diskSizeGiB: z.number().optional(),
}) satisfies z.ZodType<unknown, EksNodeGroupSpec>;

/** A new EKS cluster with a node group per workload. */
export const eksClusterArgsSpec = z.strictObject({
    type: z.literal("eks"),
    kubernetesVersion,
    region: z.string(),
    network: awsNetworkRefSpec,
    clusterName: z.string().optional(),
    publicAccessCidrs: z.array(z.string()).optional(),
    nodeGroups: z.partialRecord(z.enum(EKS_WORKLOADS), nodeGroupSpec).optional(),
    requireGitLabCapacity: z.boolean().optional(),
    adminPrincipalArns: z.array(z.string()).optional(),
    deletionProtection: z.boolean().optional(),
    logRetentionDays: z.number().optional(),
}) satisfies z.ZodType<unknown, EksClusterArgs>;

/** The component's whole args: one variant per way a cluster comes to be. */
export const kubernetesClusterArgsSpec = z.discriminatedUnion("type", [
    existingClusterArgsSpec,
    eksClusterArgsSpec,
]) satisfies z.ZodType<unknown, KubernetesClusterArgs>;
