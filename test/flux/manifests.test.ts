import { strict as assert } from "node:assert";
import {
    dockerConfigJson,
    fluxInstanceManifest,
    kustomizationManifest,
    ociRepositoryManifest,
    registryHost,
    type OciRepositoryManifestArgs,
} from "../../components/flux/manifests";
import { SEED_KUSTOMIZATION, SEED_REGISTRY, SEED_SOURCE } from "./seed";

describe("flux manifests", () => {
    it("reproduces the tutorial's OCIRepository field for field", () => {
        const built = ociRepositoryManifest({
            name: "nginx-example",
            namespace: "flux-system",
            url: `oci://${SEED_REGISTRY}/my-group/optional-subgroup/my-repository/nginx-example`,
            ref: { tag: "latest" },
            interval: "1m",
            secretName: "gitlab-registry-auth",
        });
        assert.deepStrictEqual(built, SEED_SOURCE);
    });

    it("reproduces the tutorial's Kustomization field for field", () => {
        const built = kustomizationManifest({
            name: "nginx-example",
            namespace: "flux-system",
            sourceName: "nginx-example",
            path: ".",
            prune: true,
            interval: "1m",
            targetNamespace: "default",
        });
        assert.deepStrictEqual(built, SEED_KUSTOMIZATION);
    });

    it("emits each optional OCIRepository field only when set", () => {
        const cases: { extra: Partial<OciRepositoryManifestArgs>; spec: Record<string, unknown> }[] = [
            { extra: { ref: { semver: ">=1.0.0 <2.0.0" } }, spec: { ref: { semver: ">=1.0.0 <2.0.0" } } },
            {
                extra: { ref: { digest: `sha256:${"a".repeat(64)}` } },
                spec: { ref: { digest: `sha256:${"a".repeat(64)}` } },
            },
            { extra: { provider: "generic" }, spec: { provider: "generic" } },
            { extra: { timeout: "60s" }, spec: { timeout: "60s" } },
            { extra: { verify: { provider: "cosign" } }, spec: { verify: { provider: "cosign" } } },
            {
                extra: {
                    verify: {
                        provider: "cosign",
                        secretName: "cosign-pub",
                        matchOIDCIdentity: [{ issuer: "^https://gitlab.com$", subject: "^project_path:g/p:.*$" }],
                    },
                },
                spec: {
                    verify: {
                        provider: "cosign",
                        secretRef: { name: "cosign-pub" },
                        matchOIDCIdentity: [{ issuer: "^https://gitlab.com$", subject: "^project_path:g/p:.*$" }],
                    },
                },
            },
        ];
        for (const c of cases) {
            const built = ociRepositoryManifest({
                name: "a",
                namespace: "flux-system",
                url: "oci://r.example/g/p/a",
                ref: { tag: "v1" },
                interval: "5m",
                ...c.extra,
            });
            assert.deepStrictEqual(built.spec, {
                interval: "5m",
                url: "oci://r.example/g/p/a",
                ref: { tag: "v1" },
                ...c.spec,
            });
        }
    });

    it("emits wait, timeout, retryInterval and dependsOn of a Kustomization only when set", () => {
        const base = {
            name: "k",
            namespace: "flux-system",
            sourceName: "s",
            path: "./deploy",
            prune: false,
            interval: "10m",
        };
        assert.deepStrictEqual(kustomizationManifest(base).spec, {
            interval: "10m",
            path: "./deploy",
            prune: false,
            sourceRef: { kind: "OCIRepository", name: "s" },
        });
        assert.deepStrictEqual(kustomizationManifest({ ...base, dependsOn: [] }).spec.dependsOn, undefined);
        assert.deepStrictEqual(
            kustomizationManifest({
                ...base,
                wait: true,
                timeout: "5m",
                retryInterval: "2m",
                dependsOn: [{ name: "infra" }, { name: "crds", namespace: "platform" }],
            }).spec,
            {
                interval: "10m",
                path: "./deploy",
                prune: false,
                sourceRef: { kind: "OCIRepository", name: "s" },
                wait: true,
                timeout: "5m",
                retryInterval: "2m",
                dependsOn: [{ name: "infra" }, { name: "crds", namespace: "platform" }],
            },
        );
    });

    it("builds the FluxInstance with an exact version and the waitFor annotation", () => {
        assert.deepStrictEqual(
            fluxInstanceManifest({
                namespace: "flux-system",
                version: "2.9.4",
                registry: "ghcr.io/fluxcd",
                components: ["source-controller", "kustomize-controller", "notification-controller"],
                clusterType: "aws",
                size: "small",
                multitenant: false,
                networkPolicy: true,
                waitFor: "condition=Ready",
            }),
            {
                apiVersion: "fluxcd.controlplane.io/v1",
                kind: "FluxInstance",
                metadata: {
                    name: "flux",
                    namespace: "flux-system",
                    annotations: { "pulumi.com/waitFor": "condition=Ready" },
                },
                spec: {
                    distribution: { version: "2.9.4", registry: "ghcr.io/fluxcd" },
                    components: ["source-controller", "kustomize-controller", "notification-controller"],
                    cluster: { type: "aws", size: "small", multitenant: false, networkPolicy: true },
                },
            },
        );
    });

    it("takes the registry host from an oci:// URL, port included", () => {
        const table: [string, string][] = [
            ["oci://registry.gitlab.example.org/g/p/a", "registry.gitlab.example.org"],
            ["oci://registry.example.com:5050/g/p", "registry.example.com:5050"],
        ];
        for (const [url, host] of table) assert.equal(registryHost(url), host);
    });

    it("builds a docker config with username, password and the base64 auth", () => {
        const json = JSON.parse(
            dockerConfigJson("registry.example.com", "gitlab+deploy-token-1", "gldt-secret"),
        ) as unknown;
        assert.deepStrictEqual(json, {
            auths: {
                "registry.example.com": {
                    username: "gitlab+deploy-token-1",
                    password: "gldt-secret",
                    auth: Buffer.from("gitlab+deploy-token-1:gldt-secret").toString("base64"),
                },
            },
        });
    });
});
