import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertValid } from "../errors";
import { parseArgs } from "../internal/spec-kit";
import { ProjectDeployToken } from "../gitlab-api/project-deploy-token";
import {
    dockerConfigJson,
    kustomizationManifest,
    ociRepositoryManifest,
    registryHost,
    type OciRef,
    type OciVerify,
} from "./manifests";
import { ociSyncArgsSpec, ociSyncRules } from "./spec";
import { tokenGenerations, type TokenRotation } from "./rotation";

/**
 * What the Kustomization applies from the artifact.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/
 */
export interface OciSyncKustomization {
    /** Directory inside the artifact. @default "." */
    path?: string;
    /** Delete objects that left the artifact. @default true */
    prune?: boolean;
    /** Namespace the objects land in. @default - the namespaces written in the manifests */
    targetNamespace?: string;
    /** Re-apply (drift correction) interval, a Go duration. @default "10m" (`OCI_SYNC_KUSTOMIZATION_INTERVAL`) */
    interval?: string;
    /** Wait for every applied object to become ready. @default - Flux's default (false) */
    wait?: boolean;
    /** Timeout of apply and health checks. @default - Flux's default (the interval) */
    timeout?: string;
    /** Retry interval after a failure. @default - Flux's default (the interval) */
    retryInterval?: string;
    /** Kustomizations (in the same namespace unless given) that must be ready first. @default [] */
    dependsOn?: { name: string; namespace?: string }[];
}

/** Arguments of {@link OciSync}. */
export interface OciSyncArgs {
    /**
     * ID or full path of the GitLab project whose registry holds the artifact; the deploy token is minted there.
     * @see https://docs.gitlab.com/user/project/deploy_tokens/
     */
    project: pulumi.Input<string>;
    /**
     * The artifact repository, without tag: `oci://<registry>/<project path>/<name>`, as `flux push artifact` wrote it.
     * @see https://fluxcd.io/flux/components/source/ocirepositories/#url
     */
    url: string;
    /**
     * Which artifact to pull: exactly one of `tag`, `semver`, `digest`.
     * @see https://fluxcd.io/flux/components/source/ocirepositories/#reference
     */
    ref: OciRef;
    /** Name of the OCIRepository and the Kustomization. @default - the component's name */
    name?: string;
    /** Namespace of the Secret, the OCIRepository and the Kustomization. @default "flux-system" */
    namespace?: string;
    /** Registry poll interval, a Go duration. @default "1m" (`OCI_SYNC_SOURCE_INTERVAL`) */
    interval?: string;
    /** Timeout of registry operations. @default - Flux's default (60s) */
    timeout?: string;
    /** Authentication provider of the OCIRepository. @default - Flux's default, `generic` (the Secret) */
    provider?: "generic";
    /**
     * Signature verification (cosign keyless or with keys, or notation).
     * @default - none
     * @see https://fluxcd.io/flux/components/source/ocirepositories/#verification
     */
    verify?: OciVerify;
    /**
     * The docker-registry Secret. Several OciSyncs in one namespace need distinct names.
     * @default "gitlab-registry-auth" (`REGISTRY_AUTH_SECRET_NAME`)
     * @see https://fluxcd.io/flux/components/source/ocirepositories/#secret-reference
     */
    secretName?: string;
    /**
     * Deploy-token rotation: a new `read_registry` token every `periodDays`, each valid `validityDays`
     * (at least two periods). Deploy at least once per period (a scheduled pipeline) so the Secret moves on.
     * @default {periodDays: 30, validityDays: 60}
     */
    rotation?: Partial<TokenRotation>;
    /**
     * The time the rotation schedule is evaluated at (tests pin it).
     * @default - now, at deployment
     */
    now?: Date;
    /**
     * The Kustomization.
     * @default - path ".", prune on, interval "10m"
     * @see https://fluxcd.io/flux/components/kustomize/kustomizations/
     */
    kustomization?: OciSyncKustomization;
    /**
     * The Flux installation (the `Flux` component) the Secret and the Flux objects wait for: its namespace and CRDs.
     * @default - none; Flux is installed already
     */
    flux?: pulumi.Resource;
}

/**
 * Flux pulling one GitLab project's OCI artifact: a rotating `read_registry` deploy token, the
 * docker-registry Secret built from it, an OCIRepository and a Kustomization. Two token generations
 * exist at a time (see rotation.ts); the Secret depends on the current one, so a new token is created
 * before the Secret switches to it, and the generation that leaves the program is revoked afterwards.
 * Give it the `Flux` component (`flux` argument) when both are declared in one stack.
 */
export class OciSync extends pulumi.ComponentResource {
    /** Name of the OCIRepository and Kustomization. */
    public readonly name: string;
    /** Name of the docker-registry Secret. */
    public readonly secretName: string;
    /** Generation of the token the Secret uses. */
    public readonly tokenGeneration: number;

    constructor(name: string, args: OciSyncArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const { name: syncName, now, flux, ...settings } = parseArgs("OciSync", ociSyncArgsSpec, args);
        const r = { ...settings, name: syncName ?? name };
        assertValid("OciSync", ociSyncRules(r));
        super("gitlab-platform:flux:OciSync", name, {}, opts);
        this.name = r.name;
        this.secretName = r.secretName;

        const { current, previous } = tokenGenerations(now ?? new Date(), r.rotation);
        this.tokenGeneration = current.generation;
        const token = (g: typeof current) =>
            new ProjectDeployToken(
                `${name}-token-g${g.generation}`,
                {
                    project: r.project,
                    name: `flux-${r.name}-${g.startsOn}`,
                    scopes: ["read_registry"],
                    expiresAt: g.expiresAt,
                },
                // Children do not inherit the component's dependsOn: the GitLab API must exist (e.g. its release).
                { parent: this, dependsOn: opts?.dependsOn },
            );
        // The previous generation stays declared (and valid) for one more period; the one before leaves the
        // program and Pulumi deletes (revokes) it only after the Secret has been updated.
        token(previous);
        const active = token(current);

        const server = registryHost(r.url);
        const secret = new k8s.core.v1.Secret(
            `${name}-registry-auth`,
            {
                metadata: {
                    name: r.secretName,
                    namespace: r.namespace,
                    labels: { "app.kubernetes.io/managed-by": "pulumi" },
                },
                type: "kubernetes.io/dockerconfigjson",
                stringData: {
                    ".dockerconfigjson": pulumi.secret(
                        pulumi.all([active.username, active.token]).apply(([u, t]) => dockerConfigJson(server, u, t)),
                    ),
                },
            },
            { parent: this, dependsOn: flux ? [flux, active] : [active] },
        );
        const source = new k8s.apiextensions.CustomResource(
            `${name}-source`,
            ociRepositoryManifest({
                name: r.name,
                namespace: r.namespace,
                url: r.url,
                ref: r.ref,
                interval: r.interval,
                secretName: r.secretName,
                provider: r.provider,
                timeout: r.timeout,
                verify: r.verify,
            }),
            { parent: this, dependsOn: [secret] },
        );
        new k8s.apiextensions.CustomResource(
            `${name}-kustomization`,
            kustomizationManifest({ name: r.name, namespace: r.namespace, sourceName: r.name, ...r.kustomization }),
            { parent: this, dependsOn: [source] },
        );
        this.registerOutputs({ name: this.name, secretName: this.secretName, tokenGeneration: this.tokenGeneration });
    }
}
