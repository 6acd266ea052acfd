/**
 * The Flux components' spec: every setting of {@link FluxArgs} and {@link OciSyncArgs} once, with its
 * shape and default (the zod schemas), and their rules ({@link fluxRules}, {@link ociSyncRules},
 * {@link ociSyncSetRules}), returning {@link Problem}s. The documentation is the JSDoc of the Args
 * interfaces; `satisfies` makes the compiler prove each schema accepts nothing its interface does not.
 * The stack spec (config/flux.ts) picks these settings for the `flux` key; the components parse their
 * args with the same schemas before they register.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
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
import type { Problem } from "../errors";
import { input } from "../internal/spec-kit";
import { isDnsLabel, isDnsSubdomain, isSemverRange, projectProblems } from "../internal/validation";
import type { FluxArgs } from "./flux";
import type { FluxComponent } from "./manifests";
import type { OciSyncArgs } from "./oci-sync";
import { validateRotation } from "./rotation";

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** The Flux install: every setting of {@link FluxArgs}, each default applied here. */
export const fluxSpec = z.strictObject({
    namespace: z.string().default(FLUX_NAMESPACE),
    version: z.string().default(FLUX_VERSION),
    chartVersion: z.string().default(FLUX_OPERATOR_CHART_VERSION),
    registry: z.string().default(FLUX_REGISTRY),
    helmController: z.boolean().default(false),
    clusterType: z.enum(["kubernetes", "aws", "azure", "gcp", "openshift"]).default("kubernetes"),
    size: z.enum(["small", "medium", "large"]).default("small"),
    multitenant: z.boolean().default(false),
    networkPolicy: z.boolean().default(true),
}) satisfies z.ZodType<unknown, FluxArgs>;

/** {@link FluxArgs} with every default applied. */
export type ResolvedFlux = z.output<typeof fluxSpec>;

/** The rules of the Flux install; paths relative to its args. Pure. */
export function fluxRules(r: ResolvedFlux): Problem[] {
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

/** The controllers a resolved install runs, in the operator's documented order. Pure. */
export function fluxComponents(r: Pick<ResolvedFlux, "helmController">): FluxComponent[] {
    const components: FluxComponent[] = ["source-controller", "kustomize-controller"];
    if (r.helmController) components.push("helm-controller");
    components.push("notification-controller");
    return components;
}

const ref = z.strictObject({
    tag: z.string().optional(),
    semver: z.string().optional(),
    digest: z.string().optional(),
});

const verify = z.strictObject({
    provider: z.enum(["cosign", "notation"]),
    secretName: z.string().optional(),
    matchOIDCIdentity: z.array(z.strictObject({ issuer: z.string(), subject: z.string() })).optional(),
});

const rotation = z
    .strictObject({
        periodDays: z.number().default(DEPLOY_TOKEN_ROTATION_PERIOD_DAYS),
        validityDays: z.number().default(DEPLOY_TOKEN_VALIDITY_DAYS),
    })
    .prefault({});

const kustomization = z
    .strictObject({
        path: z.string().default("."),
        prune: z.boolean().default(true),
        targetNamespace: z.string().optional(),
        interval: z.string().default(OCI_SYNC_KUSTOMIZATION_INTERVAL),
        wait: z.boolean().optional(),
        timeout: z.string().optional(),
        retryInterval: z.string().optional(),
        dependsOn: z.array(z.strictObject({ name: z.string(), namespace: z.string().optional() })).optional(),
    })
    .prefault({});

/**
 * The settings a stack file can hold for one sync: everything but the project (a stack file may give a
 * number), the component's name, the OCIRepository provider and the wiring (`now`, `flux`).
 */
export const ociSyncSettingsSpec = z.strictObject({
    url: z.string(),
    ref,
    namespace: z.string().default(FLUX_NAMESPACE),
    interval: z.string().default(OCI_SYNC_SOURCE_INTERVAL),
    timeout: z.string().optional(),
    verify: verify.optional(),
    secretName: z.string().default(REGISTRY_AUTH_SECRET_NAME),
    rotation,
    kustomization,
}) satisfies z.ZodType<unknown, Omit<OciSyncArgs, "project" | "name" | "provider" | "now" | "flux">>;

/** The component's whole args. */
export const ociSyncArgsSpec = ociSyncSettingsSpec.extend({
    project: input(z.string()),
    name: z.string().optional(),
    provider: z.literal("generic").optional(),
    now: z.date().optional(),
    flux: z
        .custom<pulumi.Resource>((v) => pulumi.Resource.isInstance(v), {
            message: "not a Pulumi resource (expected the Flux component)",
        })
        .optional(),
}) satisfies z.ZodType<unknown, OciSyncArgs>;

/** A sync's settings with every default applied; `name` is the component's name unless given. */
export type ResolvedOciSync = z.output<typeof ociSyncSettingsSpec> & {
    name: string;
    project?: pulumi.Input<string>;
    provider?: "generic";
};

/** The rules of one sync; paths relative to its args (`ref.semver`, `kustomization.path`). Pure. */
export function ociSyncRules(r: ResolvedOciSync): Problem[] {
    const problems: Problem[] = [...projectProblems(r.project)];
    const label = (field: string, v: string | undefined) => {
        if (v !== undefined && !isDnsLabel(v))
            problems.push({
                path: field,
                message: `"${v}" is not a DNS label (expected lowercase alphanumerics and "-", at most 63)`,
            });
    };
    const duration = (field: string, v: string | undefined) => {
        if (v !== undefined && !DURATION.test(v))
            problems.push({ path: field, message: `"${v}" is not a Go duration (expected e.g. "1m", "90s", "1h30m")` });
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

/**
 * Rules across the syncs of one stack, as `[i]`-relative problems: names differ (a sync's name is its
 * component's, so two of one name would be one URN twice), and no registry Secret is written by two
 * syncs in one namespace. Pure.
 */
export function ociSyncSetRules(syncs: readonly ResolvedOciSync[]): Problem[] {
    const problems: Problem[] = [];
    syncs.forEach((s, i) => {
        const first = syncs.findIndex((o) => o.name === s.name);
        if (first < i)
            problems.push({
                path: `[${i}].name`,
                message: `"${s.name}" is also syncs[${first}]'s name (expected unique sync names)`,
            });
        const sharer = syncs.findIndex((o) => o.namespace === s.namespace && o.secretName === s.secretName);
        if (sharer < i)
            problems.push({
                path: `[${i}].secretName`,
                message:
                    s.secretName === REGISTRY_AUTH_SECRET_NAME
                        ? `the default ${s.secretName} is also syncs[${sharer}]'s registry Secret in ${s.namespace} (expected a registry Secret name per sync, e.g. <name>-registry-auth)`
                        : `${s.secretName} is also syncs[${sharer}]'s registry Secret in ${s.namespace} (expected one registry Secret per sync)`,
            });
    });
    return problems;
}
