/**
 * The `flux` key: Flux installed by the Flux Operator, and one OciSync per GitLab registry artifact.
 * Shapes here; the rules are the components' own `validateFlux` / `validateOciSync`, plus the rules
 * that span syncs (names, registry Secrets).
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { under, type Problem } from "../components/errors";
import type { FluxArgs } from "../components/flux/flux";
import type { OciSyncArgs } from "../components/flux/oci-sync";
import { resolveFlux, resolveOciSync, validateFlux, validateOciSync } from "../components/flux/resolve";
import { projectProblems } from "../components/internal/validation";

const duration = z.string();

const syncSchema = z.strictObject({
    /** Name of the OCIRepository and Kustomization. */
    name: z.string(),
    /** The GitLab project (id or full path) whose registry holds the artifact; deploy tokens are created there. */
    project: z.union([z.string(), z.number()]).transform(String),
    /** `oci://<registry>/<path>`, without tag. */
    url: z.string(),
    ref: z.strictObject({ tag: z.string().optional(), semver: z.string().optional(), digest: z.string().optional() }),
    namespace: z.string().optional(),
    interval: duration.optional(),
    timeout: duration.optional(),
    secretName: z.string().optional(),
    verify: z
        .strictObject({
            provider: z.enum(["cosign", "notation"]),
            secretName: z.string().optional(),
            matchOIDCIdentity: z.array(z.strictObject({ issuer: z.string(), subject: z.string() })).optional(),
        })
        .optional(),
    rotation: z.strictObject({ periodDays: z.number().optional(), validityDays: z.number().optional() }).optional(),
    kustomization: z
        .strictObject({
            path: z.string().optional(),
            prune: z.boolean().optional(),
            targetNamespace: z.string().optional(),
            interval: duration.optional(),
            wait: z.boolean().optional(),
            timeout: duration.optional(),
            retryInterval: duration.optional(),
            dependsOn: z.array(z.strictObject({ name: z.string(), namespace: z.string().optional() })).optional(),
        })
        .optional(),
}) satisfies z.ZodType<
    unknown,
    Omit<OciSyncArgs, "project" | "flux" | "now" | "provider"> & { project: string | number }
>;

export const fluxSchema = z.strictObject({
    namespace: z.string().optional(),
    version: z.string().optional(),
    chartVersion: z.string().optional(),
    registry: z.string().optional(),
    helmController: z.boolean().optional(),
    clusterType: z.enum(["kubernetes", "aws", "azure", "gcp", "openshift"]).optional(),
    size: z.enum(["small", "medium", "large"]).optional(),
    multitenant: z.boolean().optional(),
    networkPolicy: z.boolean().optional(),
    syncs: z.array(syncSchema).optional(),
}) satisfies z.ZodType<unknown, FluxArgs & { syncs?: unknown }>;

export type FluxConfig = z.output<typeof fluxSchema>;

/** Flux's rules, each sync's, and those across syncs; paths below `flux`. */
export function fluxRules(flux: FluxConfig): Problem[] {
    const { syncs = [], ...install } = flux;
    const problems = validateFlux(resolveFlux(install));
    const resolved = syncs.map((s) => resolveOciSync(s.name, s));
    syncs.forEach((s, i) =>
        problems.push(...under(`syncs[${i}]`, [...projectProblems(s.project), ...validateOciSync(resolved[i])])),
    );
    resolved.forEach((s, i) => {
        const first = resolved.findIndex((o) => o.name === s.name);
        // The sync's name is its component's name: two of one name would be one URN twice.
        if (first < i)
            problems.push({
                path: `syncs[${i}].name`,
                message: `"${s.name}" is also syncs[${first}]'s name (expected unique sync names)`,
            });
        if (syncs[i].secretName === undefined && syncs.length > 1) {
            problems.push({
                path: `syncs[${i}].secretName`,
                message:
                    "missing with several syncs (expected a registry Secret name per sync, e.g. <name>-registry-auth)",
            });
        } else if (resolved.findIndex((o) => o.namespace === s.namespace && o.secretName === s.secretName) < i) {
            problems.push({
                path: `syncs[${i}].secretName`,
                message: "used by an earlier sync in the same namespace (expected one registry Secret per sync)",
            });
        }
    });
    return problems;
}

/** The Flux install's component arguments (the syncs are separate components). */
export function fluxArgs(flux: FluxConfig): FluxArgs {
    const { syncs: _syncs, ...install } = flux;
    return install;
}

/** One OciSync's component arguments. */
export function ociSyncArgs(sync: NonNullable<FluxConfig["syncs"]>[number], flux: pulumi.Resource): OciSyncArgs {
    return { ...sync, flux };
}
