/**
 * The GitLab tutorial's Flux example ("Get started deploying to Kubernetes", docs.gitlab.com
 * user/clusters/agent/getting_started_deployments), paraphrased as data with the GA source API
 * (v1 replaces the tutorial's deprecated v1beta2).
 */
export const SEED_REGISTRY = "registry.gitlab.example.org";
export const SEED_SOURCE = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "OCIRepository",
    metadata: { name: "nginx-example", namespace: "flux-system" },
    spec: {
        interval: "1m",
        url: `oci://${SEED_REGISTRY}/my-group/optional-subgroup/my-repository/nginx-example`,
        ref: { tag: "latest" },
        secretRef: { name: "gitlab-registry-auth" },
    },
};
export const SEED_KUSTOMIZATION = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "nginx-example", namespace: "flux-system" },
    spec: {
        interval: "1m",
        targetNamespace: "default",
        path: ".",
        sourceRef: { kind: "OCIRepository", name: "nginx-example" },
        prune: true,
    },
};
