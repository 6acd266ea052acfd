/**
 * Defaults and validation of the Flux components, pure: `resolveXxx(args)` applies every default once,
 * `validateXxx(resolved)` returns one `<field>: <problem> (expected ...)` message per problem.
 */
import {
    DEPLOY_TOKEN_ROTATION_PERIOD_DAYS,
    DEPLOY_TOKEN_VALIDITY_DAYS,
    FLUX_NAMESPACE,
    FLUX_OPERATOR_CHART_VERSION,
    FLUX_REGISTRY,
    FLUX_VERSION,
    OCI_SYNC_KUSTOMIZATION_INTERVAL,
    OCI_SYNC_SOURCE_INTERVAL,
    REGISTRY_AUTH_SECRET_NAME,
} from "../defaults";
import type { FluxArgs } from "./flux";
import type { FluxComponent, OciRef, OciVerify } from "./manifests";
import type { OciSyncArgs, OciSyncKustomization } from "./oci-sync";
import { validateRotation, type TokenRotation } from "./rotation";
import { isDnsLabel, isDnsSubdomain, isSemverRange } from "../internal/validation";
import type { Problem } from "../errors";

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** {@link FluxArgs} with every default applied. */
export type ResolvedFluxArgs = Required<FluxArgs>;

/** Applies the defaults of {@link FluxArgs}. Pure. */
export function resolveFlux(args: FluxArgs = {}): ResolvedFluxArgs {
    return {
        namespace: args.namespace ?? FLUX_NAMESPACE,
        version: args.version ?? FLUX_VERSION,
        chartVersion: args.chartVersion ?? FLUX_OPERATOR_CHART_VERSION,
        registry: args.registry ?? FLUX_REGISTRY,
        helmController: args.helmController ?? false,
        clusterType: args.clusterType ?? "kubernetes",
        size: args.size ?? "small",
        multitenant: args.multitenant ?? false,
        networkPolicy: args.networkPolicy ?? true,
    };
}

/** Checks resolved {@link FluxArgs}; one message per problem. Pure. */
export function validateFlux(r: ResolvedFluxArgs): Problem[] {
    const problems: Problem[] = [];
    if (!isDnsLabel(r.namespace))
        problems.push({
            path: "namespace",
            message: `"${r.namespace}" is not a DNS label (expected lowercase alphanumerics and "-", at most 63)`,
        });
    if (!EXACT_VERSION.test(r.version))
        problems.push({
            path: "version",
            message: `"${r.version}" is not an exact version (expected X.Y.Z, e.g. "${FLUX_VERSION}"; ranges such as "2.9.x" upgrade Flux behind your back)`,
        });
    if (!EXACT_VERSION.test(r.chartVersion))
        problems.push({
            path: "chartVersion",
            message: `"${r.chartVersion}" is not an exact version (expected X.Y.Z, e.g. "${FLUX_OPERATOR_CHART_VERSION}")`,
        });
    if (r.registry.trim() === "" || r.registry.includes("://"))
        problems.push({
            path: "registry",
            message: `"${r.registry}" is not a registry path (expected host/path without scheme, e.g. "${FLUX_REGISTRY}")`,
        });
    return problems;
}

/** The controllers a resolved configuration runs, in the operator's documented order. Pure. */
export function fluxComponents(r: ResolvedFluxArgs): FluxComponent[] {
    const components: FluxComponent[] = ["source-controller", "kustomize-controller"];
    if (r.helmController) components.push("helm-controller");
    components.push("notification-controller");
    return components;
}

/** {@link OciSyncArgs} with defaults applied (project and now left as given). */
export interface ResolvedOciSync {
    name: string;
    namespace: string;
    url: string;
    ref: OciRef;
    interval: string;
    timeout?: string;
    provider?: "generic";
    verify?: OciVerify;
    secretName: string;
    rotation: TokenRotation;
    kustomization: Required<Pick<OciSyncKustomization, "path" | "prune" | "interval">> &
        Omit<OciSyncKustomization, "path" | "prune" | "interval">;
}

/** Applies the defaults of {@link OciSyncArgs}. Pure. */
export function resolveOciSync(name: string, args: Omit<OciSyncArgs, "project" | "now" | "flux">): ResolvedOciSync {
    const k = args.kustomization ?? {};
    return {
        name: args.name ?? name,
        namespace: args.namespace ?? FLUX_NAMESPACE,
        url: args.url,
        ref: args.ref,
        interval: args.interval ?? OCI_SYNC_SOURCE_INTERVAL,
        timeout: args.timeout,
        provider: args.provider,
        verify: args.verify,
        secretName: args.secretName ?? REGISTRY_AUTH_SECRET_NAME,
        rotation: {
            periodDays: args.rotation?.periodDays ?? DEPLOY_TOKEN_ROTATION_PERIOD_DAYS,
            validityDays: args.rotation?.validityDays ?? DEPLOY_TOKEN_VALIDITY_DAYS,
        },
        kustomization: {
            ...k,
            path: k.path ?? ".",
            prune: k.prune ?? true,
            interval: k.interval ?? OCI_SYNC_KUSTOMIZATION_INTERVAL,
        },
    };
}

/** Checks resolved {@link OciSyncArgs}; one message per problem. Pure. */
export function validateOciSync(r: ResolvedOciSync): Problem[] {
    const problems: Problem[] = [];
    const label = (field: string, v: string | undefined) => {
        if (v !== undefined && !isDnsLabel(v))
            problems.push({
                path: `${field}`,
                message: `"${v}" is not a DNS label (expected lowercase alphanumerics and "-", at most 63)`,
            });
    };
    const duration = (field: string, v: string | undefined) => {
        if (v !== undefined && !DURATION.test(v))
            problems.push({
                path: `${field}`,
                message: `"${v}" is not a Go duration (expected e.g. "1m", "90s", "1h30m")`,
            });
    };
    label("name", r.name);
    label("namespace", r.namespace);
    label("kustomization.targetNamespace", r.kustomization.targetNamespace);
    if (!isDnsSubdomain(r.secretName))
        problems.push({
            path: "secretName",
            message: `"${r.secretName}" is not a DNS subdomain (expected e.g. "${REGISTRY_AUTH_SECRET_NAME}")`,
        });
    const path = r.url.replace(/^oci:\/\//, "");
    const last = path.split("/").pop() ?? "";
    if (!r.url.startsWith("oci://") || !/^[^/\s]+\/\S+$/.test(path)) {
        problems.push({
            path: "url",
            message: `"${r.url}" is not an OCI repository URL (expected oci://<registry>/<path>, e.g. oci://registry.gitlab.com/group/project/app)`,
        });
    } else if (last.includes(":") || last.includes("@")) {
        problems.push({
            path: "url",
            message: `"${r.url}" carries a tag or digest (expected the repository only; put the tag, semver range or digest in ref)`,
        });
    }
    const refs = (["tag", "semver", "digest"] as const).filter((k) => r.ref[k] !== undefined);
    if (refs.length !== 1)
        problems.push({
            path: "ref",
            message: `sets ${refs.length === 0 ? "none" : refs.join(" and ")} of tag, semver, digest (expected exactly one)`,
        });
    if (r.ref.digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(r.ref.digest))
        problems.push({
            path: "ref.digest",
            message: `"${r.ref.digest}" is not a sha256 digest (expected sha256: and 64 lowercase hex characters)`,
        });
    if (r.ref.tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(r.ref.tag))
        problems.push({ path: "ref.tag", message: `"${r.ref.tag}" is not a tag (expected e.g. "latest" or "1.4.2")` });
    if (r.ref.semver !== undefined && !isSemverRange(r.ref.semver))
        problems.push({
            path: "ref.semver",
            message: `"${r.ref.semver}" is not a semver range (expected e.g. ">=1.0.0 <2.0.0", "~1.2" or "1.x")`,
        });
    duration("interval", r.interval);
    duration("timeout", r.timeout);
    duration("kustomization.interval", r.kustomization.interval);
    duration("kustomization.timeout", r.kustomization.timeout);
    duration("kustomization.retryInterval", r.kustomization.retryInterval);
    const p = r.kustomization.path;
    if (p.startsWith("/") || p.split("/").includes(".."))
        problems.push({
            path: "kustomization.path",
            message: `"${p}" leaves the artifact (expected a relative path such as "." or "./deploy")`,
        });
    problems.push(...validateRotation(r.rotation));
    return problems;
}
