import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EKS_GITLAB_WORKLOADS, type KubernetesVersion } from "../defaults";
import { assertValid } from "../errors";
import { parseArgs } from "../internal/spec-kit";
import { ClusterAutoscaler } from "./cluster-autoscaler";
import { EksWorkloadAddons, buildDefaultStorageClass } from "./eks-addons";
import {
    nodeCapacity,
    resolveEksCluster,
    validateEksCluster,
    type EksClusterArgs,
    type NodeCapacity,
    type OidcIdentity,
} from "./eks-config";
import { EksControlPlane } from "./eks-control-plane";
import { EksNodeGroup } from "./eks-node-group";
import { buildEksKubeconfig } from "./kubeconfig";
import { kubernetesClusterArgsSpec } from "./spec";

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
    /** The cluster's Kubernetes minor version; must be inside `SUPPORTED_KUBERNETES_VERSIONS` (defaults.ts). */
    kubernetesVersion: KubernetesVersion;
}

/** Arguments of {@link KubernetesCluster}: one variant per way a cluster comes to be. */
export type KubernetesClusterArgs = ExistingClusterArgs | EksClusterArgs;

/**
 * A Kubernetes cluster this stack deploys into, exposed as a ready `k8s.Provider` that every later
 * component receives through its options, plus the facts other components check against.
 *
 * The `eks` path declares the cluster with `@pulumi/aws` resources, not `@pulumi/eks`: in 4.3.0 both
 * `eks.Cluster` and `eks.ManagedNodeGroup` are remote (multi-language) components, so previews, the
 * offline plan and policies see one opaque resource with neither children nor outputs (the kubeconfig
 * a provider needs stays unknown under mocks), they need the eks provider plugin at run time, and they
 * add things we would turn off (a default node group, aws-auth, storage classes). Declared directly,
 * every security-relevant input (encryption, endpoint access, IMDS, taints) is visible and tested,
 * and the ordering (networking add-ons, then nodes, then CoreDNS/CSI, then the provider) is explicit.
 */
export class KubernetesCluster extends pulumi.ComponentResource {
    /** The provider every Kubernetes resource of the stack uses. */
    public readonly provider: k8s.Provider;
    /** The cluster's Kubernetes minor version. */
    public readonly kubernetesVersion: KubernetesVersion;
    /** Total node capacity at min and max size (`eks` only; an existing cluster is not inspected). */
    public readonly nodeCapacity?: NodeCapacity;
    /** The OIDC provider for IAM roles for service accounts (`eks` only). */
    public readonly oidc?: OidcIdentity;
    /** The cluster autoscaler's IAM role (`eks` only). */
    public readonly autoscalerRoleArn?: pulumi.Output<string>;
    /** The EKS cluster's name (`eks` only). */
    public readonly clusterName?: pulumi.Output<string>;
    /** How to reach the cluster, secret: the EKS kubeconfig, or the inline content given; absent for a path or context. */
    public readonly kubeconfig?: pulumi.Output<string>;

    constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // The facts are registered as the component's inputs, so policies and the plan can check them.
        // Checked before the component registers: bad args declare nothing.
        const a = parseArgs("KubernetesCluster", kubernetesClusterArgsSpec, args);
        const eks = a.type === "eks" ? { ...resolveEksCluster(name, a), network: a.network } : undefined;
        const capacity = eks ? nodeCapacity(eks.nodeGroups) : undefined;
        if (eks) assertValid("KubernetesCluster", validateEksCluster(eks));
        super(
            "gitlab-platform:cluster:KubernetesCluster",
            name,
            {
                type: a.type,
                kubernetesVersion: a.kubernetesVersion,
                ...(capacity ? { nodeCapacity: capacity } : {}),
            },
            opts,
        );
        this.kubernetesVersion = a.kubernetesVersion;
        if (a.type === "eks") {
            const r = eks!; // resolved above for the same type
            this.nodeCapacity = capacity;
            const cp = new EksControlPlane(`${name}-control-plane`, r, { parent: this });
            const groups = r.nodeGroups.map(
                (group) =>
                    new EksNodeGroup(
                        `${name}-${group.workload}`,
                        {
                            group,
                            clusterName: r.clusterName,
                            cluster: cp.cluster,
                            nodeRoleArn: cp.nodeRole.arn,
                            subnetIds: r.network.privateSubnetIds,
                            // CI job nodes never carry the group that RDS and ElastiCache admit.
                            ...(EKS_GITLAB_WORKLOADS.includes(group.workload)
                                ? { dataClientsSecurityGroupId: r.network.dataClientsSecurityGroupId }
                                : {}),
                            waitFor: cp.nodePrerequisites,
                        },
                        { parent: this },
                    ),
            );
            this.oidc = { providerArn: cp.oidcProvider.arn, issuer: cp.oidcIssuer };
            this.clusterName = cp.cluster.name;
            const addons = new EksWorkloadAddons(
                `${name}-addons`,
                {
                    clusterName: cp.cluster.name,
                    oidc: this.oidc,
                    partition: r.partition,
                    waitFor: groups.map((g) => g.nodeGroup),
                },
                { parent: this },
            );
            const kubeconfig = pulumi
                .all([cp.cluster.name, cp.cluster.endpoint, cp.cluster.certificateAuthority])
                .apply(([clusterName, endpoint, ca]) =>
                    JSON.stringify(
                        buildEksKubeconfig({
                            clusterName,
                            endpoint,
                            certificateAuthorityData: ca?.data ?? "",
                            region: r.region,
                        }),
                    ),
                );
            // Every Kubernetes resource of the stack waits for nodes, DNS and volume provisioning.
            this.provider = new k8s.Provider(
                `${name}-provider`,
                { kubeconfig },
                { parent: this, dependsOn: addons.addons },
            );
            this.kubeconfig = pulumi.secret(kubeconfig);
            new k8s.storage.v1.StorageClass(`${name}-gp3`, buildDefaultStorageClass(), {
                parent: this,
                provider: this.provider,
            });
            // Node groups at zero (the runners) and HPAs above their floor grow only with an autoscaler.
            const autoscaler = new ClusterAutoscaler(
                `${name}-autoscaler`,
                {
                    clusterName: r.clusterName,
                    region: r.region,
                    partition: r.partition,
                    kubernetesVersion: r.kubernetesVersion,
                    oidc: this.oidc,
                },
                { parent: this, provider: this.provider },
            );
            this.autoscalerRoleArn = autoscaler.roleArn;
        } else {
            if (a.kubeconfigContent !== undefined) this.kubeconfig = pulumi.secret(a.kubeconfigContent);
            this.provider = new k8s.Provider(
                `${name}-provider`,
                {
                    kubeconfig: a.kubeconfigContent ?? a.kubeconfig,
                    context: a.context,
                },
                { parent: this },
            );
        }
        this.registerOutputs({ kubernetesVersion: this.kubernetesVersion });
    }
}
