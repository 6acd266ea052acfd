import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesVersion } from "../defaults";

/**
 * Arguments of {@link KubernetesCluster} for a cluster that already exists.
 * @see https://www.pulumi.com/registry/packages/kubernetes/api-docs/provider/
 */
export interface ExistingClusterArgs {
    /** Selects the existing-cluster path. */
    type: "existing";
    /**
     * Path to a kubeconfig file.
     * @default - the Kubernetes provider's ambient default: `$KUBECONFIG`, else `~/.kube/config`
     */
    kubeconfig?: string;
    /**
     * Inline kubeconfig content, as a secret. Exclusive with `kubeconfig`.
     * @default - none; `kubeconfig` or the ambient default is used
     */
    kubeconfigContent?: pulumi.Input<string>;
    /**
     * The kubeconfig context to use.
     * @default - the kubeconfig's current context
     */
    context?: string;
    /** The cluster's Kubernetes minor version; must be inside {@link SUPPORTED_KUBERNETES_VERSIONS}. */
    kubernetesVersion: KubernetesVersion;
}

/** Arguments of {@link KubernetesCluster}: one variant per way a cluster comes to be. */
export type KubernetesClusterArgs = ExistingClusterArgs;

/**
 * A Kubernetes cluster this stack deploys into, exposed as a ready `k8s.Provider` that every later
 * component receives through its options, plus the facts other components check against.
 */
export class KubernetesCluster extends pulumi.ComponentResource {
    /** The provider every Kubernetes resource of the stack uses. */
    public readonly provider: k8s.Provider;
    /** The cluster's Kubernetes minor version. */
    public readonly kubernetesVersion: KubernetesVersion;

    constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:cluster:KubernetesCluster", name, {}, opts);
        this.kubernetesVersion = args.kubernetesVersion;
        this.provider = new k8s.Provider(
            `${name}-provider`,
            {
                kubeconfig: args.kubeconfigContent ?? args.kubeconfig,
                context: args.context,
            },
            { parent: this },
        );
        this.registerOutputs({ kubernetesVersion: this.kubernetesVersion });
    }
}
