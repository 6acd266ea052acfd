import type * as pulumi from "@pulumi/pulumi";
import type { FluxArgs } from "../components/flux/flux";
import type { OciSyncArgs } from "../components/flux/oci-sync";
import { z } from "zod";
import { resolveFlux, resolveOciSync, validateFlux, validateOciSync } from "../components/flux/resolve";
import { addProblems } from "./gitlab";

const duration = z.string();

const syncSchema = z.strictObject({
    /** Name of the OCIRepository and Kustomization. */
    name: z.string(),
    /** The GitLab project (id or full path) whose registry holds the artifact; deploy tokens are created there. */
    project: z.union([z.string(), z.number()]),
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
});

/**
 * The `flux` key: Flux installed by the Flux Operator, and one OciSync per GitLab registry artifact.
 * Types here; the rules are the components' own `validateFlux` / `validateOciSync`.
 */
export const fluxSchema = z
    .strictObject({
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
    })
    .superRefine((flux, ctx) => {
        const { syncs, ...install } = flux;
        addProblems(ctx, validateFlux(resolveFlux(install)));
        (syncs ?? []).forEach((sync, i) => {
            const { project: _project, ...rest } = sync;
            addProblems(ctx, validateOciSync(resolveOciSync(sync.name, rest)).map((p) => `syncs.${i}.${p}`));
        });
        const names = (syncs ?? []).map((s) => `${s.namespace ?? ""}/${s.secretName ?? ""}`);
        (syncs ?? []).forEach((s, i) => {
            if (s.secretName === undefined && (syncs ?? []).length > 1) {
                ctx.addIssue({ code: "custom", path: ["syncs", i, "secretName"], message: "missing with several syncs (expected a registry Secret name per sync, e.g. <name>-registry-auth)" });
            } else if (names.indexOf(names[i]) !== i) {
                ctx.addIssue({ code: "custom", path: ["syncs", i, "secretName"], message: "used by an earlier sync in the same namespace (expected one registry Secret per sync)" });
            }
        });
    });

export type FluxConfig = z.output<typeof fluxSchema>;

/** The Flux install's component arguments (the syncs are separate components). */
export function fluxArgs(flux: FluxConfig): FluxArgs {
    const { syncs: _syncs, ...install } = flux;
    return install;
}

/** One OciSync's component arguments. */
export function ociSyncArgs(sync: NonNullable<FluxConfig["syncs"]>[number], flux: pulumi.Resource): OciSyncArgs {
    return { ...sync, project: String(sync.project), flux };
}
