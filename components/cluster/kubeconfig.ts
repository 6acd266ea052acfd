/**
 * Pure builder of the kubeconfig the EKS path hands to its `k8s.Provider`. Authentication runs
 * `aws eks get-token` (AWS CLI v2 on the machine running Pulumi) at each connection, so the
 * kubeconfig holds no credential and short-lived tokens are never stored in state.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-kubeconfig.html
 */

/** What the kubeconfig needs from the cluster. */
export interface EksKubeconfigInput {
    clusterName: string;
    /** The API server URL (`https://...eks.amazonaws.com`). */
    endpoint: string;
    /** Base64 PEM of the cluster CA. */
    certificateAuthorityData: string;
    region: string;
}

/** The kubeconfig document (serialise with JSON.stringify; YAML is a superset). */
export function buildEksKubeconfig(c: EksKubeconfigInput): Record<string, unknown> {
    const name = c.clusterName;
    return {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name, cluster: { server: c.endpoint, "certificate-authority-data": c.certificateAuthorityData } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
        "current-context": name,
        users: [
            {
                name,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", name, "--region", c.region, "--output", "json"],
                        interactiveMode: "Never",
                    },
                },
            },
        ],
    };
}
