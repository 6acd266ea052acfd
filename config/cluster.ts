import { z } from "zod";
import { SUPPORTED_KUBERNETES_VERSIONS, type KubernetesVersion } from "../components/defaults";

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

export const clusterSchema = z.discriminatedUnion("type", [existingCluster]);
