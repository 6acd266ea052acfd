/**
 * The `flux` key: Flux installed by the Flux Operator, and one OciSync per GitLab registry artifact.
 * Picked from the Flux components' spec (components/flux/spec.ts), plus each sync's name and the
 * stack's form of its project; the rules are the spec's, each sync's and those across syncs.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { under, type Problem } from "../components/errors";
import type { FluxArgs } from "../components/flux/flux";
import type { OciSyncArgs } from "../components/flux/oci-sync";
import { fluxRules, fluxSpec, ociSyncRules, ociSyncSetRules, ociSyncSettingsSpec } from "../components/flux/spec";

const syncEntry = ociSyncSettingsSpec.extend({
    /** Names the component, the OCIRepository and the Kustomization. */
    name: z.string(),
    /** The GitLab project (id or full path) whose registry holds the artifact; deploy tokens are created there. */
    project: z.union([z.string(), z.number()]).transform(String),
});

export const fluxSchema = fluxSpec.extend({ syncs: z.array(syncEntry).default([]) });

export type FluxConfig = z.output<typeof fluxSchema>;

/** Flux's rules, each sync's, and those across syncs; paths below `flux`. */
export function fluxKeyRules(flux: FluxConfig): Problem[] {
    const { syncs, ...install } = flux;
    return [
        ...fluxRules(install),
        ...syncs.flatMap((s, i) => under(`syncs[${i}]`, ociSyncRules(s))),
        ...under("syncs", ociSyncSetRules(syncs)),
    ];
}

/** The Flux install's component arguments (the syncs are separate components). */
export function fluxArgs(flux: FluxConfig): FluxArgs {
    const { syncs: _syncs, ...install } = flux;
    return install;
}

/** One OciSync's component arguments. */
export function ociSyncArgs(sync: FluxConfig["syncs"][number], flux: pulumi.Resource): OciSyncArgs {
    return { ...sync, flux };
}
