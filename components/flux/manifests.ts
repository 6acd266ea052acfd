/**
 * Pure builders of the Flux objects this package declares: the FluxInstance, an OCIRepository, a
 * Kustomization and the docker-registry Secret payload. No Pulumi here; each returns a plain object that a
 * component hands to `k8s.apiextensions.CustomResource` (or `k8s.core.v1.Secret`) unchanged. Optional
 * fields are emitted only when set, so a caller who passes the GitLab tutorial's values gets exactly the
 * tutorial's objects.
 */

/** A Flux object as `k8s.apiextensions.CustomResource` takes it. */
export interface FluxObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
}

/** Which artifact of an OCI repository to pull: exactly one of the three. */
export interface OciRef {
    /** An exact tag, e.g. `latest` or `1.4.2`. */
    tag?: string;
    /** A semver range over tags, e.g. `>=1.0.0 <2.0.0`. */
    semver?: string;
    /** A digest, `sha256:<64 hex>`: immutable. */
    digest?: string;
}

/** Signature verification of the artifact. */
export interface OciVerify {
    /** `cosign` or `notation`. */
    provider: "cosign" | "notation";
    /** Secret with the trusted public keys; absent means keyless (Sigstore OIDC) for cosign. */
    secretName?: string;
    /** Keyless identities to accept (regular expressions). */
    matchOIDCIdentity?: { issuer: string; subject: string }[];
}

/** Resolved inputs of {@link ociRepositoryManifest}. */
export interface OciRepositoryManifestArgs {
    /** `metadata.name`. */
    name: string;
    /** `metadata.namespace`. */
    namespace: string;
    /** `spec.url`: `oci://<registry>/<repository>`, without tag. @see https://fluxcd.io/flux/components/source/ocirepositories/#url */
    url: string;
    /** `spec.ref`: exactly one of tag, semver, digest. @see https://fluxcd.io/flux/components/source/ocirepositories/#reference */
    ref: OciRef;
    /** `spec.interval`, a Go duration. */
    interval: string;
    /** `spec.secretRef.name`: the docker-registry Secret. @default - no secret (anonymous pulls) */
    secretName?: string;
    /** `spec.provider`. @default - omitted; Flux's default is `generic` */
    provider?: "generic" | "aws" | "azure" | "gcp";
    /** `spec.timeout`. @default - omitted; Flux's default is 60s */
    timeout?: string;
    /** `spec.verify`. @default - omitted; no signature verification */
    verify?: OciVerify;
}

/**
 * An `OCIRepository` (`source.toolkit.fluxcd.io/v1`, GA since Flux 2.6).
 * @see https://fluxcd.io/flux/components/source/ocirepositories/
 */
export function ociRepositoryManifest(a: OciRepositoryManifestArgs): FluxObject {
    const ref: Record<string, string> = {};
    if (a.ref.tag !== undefined) ref.tag = a.ref.tag;
    if (a.ref.semver !== undefined) ref.semver = a.ref.semver;
    if (a.ref.digest !== undefined) ref.digest = a.ref.digest;
    const spec: Record<string, unknown> = { interval: a.interval, url: a.url, ref };
    if (a.secretName !== undefined) spec.secretRef = { name: a.secretName };
    if (a.provider !== undefined) spec.provider = a.provider;
    if (a.timeout !== undefined) spec.timeout = a.timeout;
    if (a.verify !== undefined) {
        const verify: Record<string, unknown> = { provider: a.verify.provider };
        if (a.verify.secretName !== undefined) verify.secretRef = { name: a.verify.secretName };
        if (a.verify.matchOIDCIdentity !== undefined)
            verify.matchOIDCIdentity = a.verify.matchOIDCIdentity.map((m) => ({ ...m }));
        spec.verify = verify;
    }
    return {
        apiVersion: "source.toolkit.fluxcd.io/v1",
        kind: "OCIRepository",
        metadata: { name: a.name, namespace: a.namespace },
        spec,
    };
}

/** Resolved inputs of {@link kustomizationManifest}. */
export interface KustomizationManifestArgs {
    /** `metadata.name`. */
    name: string;
    /** `metadata.namespace`. */
    namespace: string;
    /** Name of the OCIRepository in the same namespace (`spec.sourceRef`). */
    sourceName: string;
    /** `spec.path` inside the artifact. */
    path: string;
    /** `spec.prune`: delete objects that left the artifact. */
    prune: boolean;
    /** `spec.interval`, a Go duration. */
    interval: string;
    /** `spec.targetNamespace`. @default - omitted; the namespaces written in the manifests */
    targetNamespace?: string;
    /** `spec.wait`. @default - omitted; Flux's default is false */
    wait?: boolean;
    /** `spec.timeout`. @default - omitted; Flux's default is the interval */
    timeout?: string;
    /** `spec.retryInterval`. @default - omitted; Flux's default is the interval */
    retryInterval?: string;
    /** `spec.dependsOn`; an empty list is omitted. @default - omitted */
    dependsOn?: { name: string; namespace?: string }[];
}

/**
 * A `Kustomization` (`kustomize.toolkit.fluxcd.io/v1`) applying a path of an OCIRepository.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/
 */
export function kustomizationManifest(a: KustomizationManifestArgs): FluxObject {
    const spec: Record<string, unknown> = {
        interval: a.interval,
        path: a.path,
        prune: a.prune,
        sourceRef: { kind: "OCIRepository", name: a.sourceName },
    };
    if (a.targetNamespace !== undefined) spec.targetNamespace = a.targetNamespace;
    if (a.wait !== undefined) spec.wait = a.wait;
    if (a.timeout !== undefined) spec.timeout = a.timeout;
    if (a.retryInterval !== undefined) spec.retryInterval = a.retryInterval;
    if (a.dependsOn !== undefined && a.dependsOn.length > 0) spec.dependsOn = a.dependsOn.map((d) => ({ ...d }));
    return {
        apiVersion: "kustomize.toolkit.fluxcd.io/v1",
        kind: "Kustomization",
        metadata: { name: a.name, namespace: a.namespace },
        spec,
    };
}

/** Flux controllers a FluxInstance can run (Flux Operator API, `spec.components`). */
export type FluxComponent =
    "source-controller" | "kustomize-controller" | "helm-controller" | "notification-controller";

/** Resolved inputs of {@link fluxInstanceManifest}. */
export interface FluxInstanceManifestArgs {
    /** `metadata.namespace`: the operator's namespace. */
    namespace: string;
    /** `spec.distribution.version`, exact. @see https://fluxoperator.dev/docs/crd/fluxinstance/#distribution-version */
    version: string;
    /** `spec.distribution.registry`. */
    registry: string;
    /** `spec.components`. @see https://fluxoperator.dev/docs/crd/fluxinstance/#components-configuration */
    components: FluxComponent[];
    /** `spec.cluster.type`. @see https://fluxoperator.dev/docs/crd/fluxinstance/#cluster-type */
    clusterType: "kubernetes" | "aws" | "azure" | "gcp" | "openshift";
    /** `spec.cluster.size`. @see https://fluxoperator.dev/docs/crd/fluxinstance/#cluster-size */
    size: "small" | "medium" | "large";
    /** `spec.cluster.multitenant`. */
    multitenant: boolean;
    /** `spec.cluster.networkPolicy`. */
    networkPolicy: boolean;
    /** Readiness condition the Pulumi Kubernetes provider waits for (`pulumi.com/waitFor`). @default - no annotation; Pulumi's own readiness rules */
    waitFor?: string;
}

/**
 * The `FluxInstance` (`fluxcd.controlplane.io/v1`): the operator accepts exactly one, named `flux`, in its
 * own namespace. The distribution version is exact, so Flux changes only when this package changes.
 * @see https://fluxoperator.dev/docs/crd/fluxinstance/
 */
export function fluxInstanceManifest(a: FluxInstanceManifestArgs): FluxObject {
    const metadata: FluxObject["metadata"] = { name: "flux", namespace: a.namespace };
    if (a.waitFor !== undefined) metadata.annotations = { "pulumi.com/waitFor": a.waitFor };
    return {
        apiVersion: "fluxcd.controlplane.io/v1",
        kind: "FluxInstance",
        metadata,
        spec: {
            distribution: { version: a.version, registry: a.registry },
            components: [...a.components],
            cluster: { type: a.clusterType, size: a.size, multitenant: a.multitenant, networkPolicy: a.networkPolicy },
        },
    };
}

/** The registry host of an `oci://host[:port]/path` URL. */
export function registryHost(ociUrl: string): string {
    return ociUrl.replace(/^oci:\/\//, "").split("/")[0];
}

/**
 * The `.dockerconfigjson` payload of a `kubernetes.io/dockerconfigjson` Secret for one registry.
 * @see https://kubernetes.io/docs/concepts/configuration/secret/#docker-config-secrets
 */
export function dockerConfigJson(server: string, username: string, password: string): string {
    const auth = Buffer.from(`${username}:${password}`).toString("base64");
    return JSON.stringify({ auths: { [server]: { username, password, auth } } });
}
