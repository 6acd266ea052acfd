/**
 * Runs components or the whole program under the recording mock engine and queries what they declared.
 * Every run resets the Pulumi runtime, so tests are independent.
 */
import type * as pulumi from "@pulumi/pulumi";
import { specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { recordProgram, type PlannedResource, type RecordedRun } from "../../tools/plan/engine";
import type { Plan } from "../../tools/plan/format";
import { planStack } from "../../tools/plan/plan-stack";

export const ROOT = `${__dirname}/../..`;

/** A recorded run with queries. */
export class Recorded {
    constructor(readonly run: RecordedRun) {}

    get resources(): PlannedResource[] {
        return this.run.resources;
    }

    /** Every resource of a type. */
    ofType(type: string): PlannedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource with this type and name; fails the test when absent or ambiguous. */
    one(type: string, name?: string): PlannedResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            throw new Error(
                `expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${this.resources.map((r) => `${r.type}/${r.name}`).join(", ")}`,
            );
        }
        return found[0];
    }

    /** The resource with this URN. */
    byUrn(urn: string): PlannedResource {
        const r = this.resources.find((x) => x.urn === urn);
        if (!r) throw new Error(`no resource ${urn}`);
        return r;
    }

    /** `type/name` of the direct children of a resource, sorted. */
    childrenOf(parent: PlannedResource): string[] {
        return this.resources
            .filter((r) => r.parent === parent.urn)
            .map((r) => `${r.type}/${r.name}`)
            .sort();
    }
}

export interface RunOptions {
    /** Config by bare key (the project namespace is added). Objects are JSON-encoded as the CLI does. */
    config?: Record<string, unknown>;
    /** Bare keys to mark secret. */
    secretKeys?: string[];
    /** Preview semantics (unknown computed outputs). Default false: an update, with ids. */
    preview?: boolean;
    mocks?: pulumi.runtime.Mocks;
}

/** Runs `fn` (which declares resources) as a stack under recording mocks. */
export async function record(fn: () => unknown, opts: RunOptions = {}): Promise<Recorded> {
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.config ?? {}))
        config[`gitlab-platform:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    const run = await recordProgram(fn, {
        project: "gitlab-platform",
        stack: "test",
        config,
        secretKeys: (opts.secretKeys ?? []).map((k) => `gitlab-platform:${k}`),
        preview: opts.preview ?? false,
        mocks: opts.mocks,
    });
    return new Recorded(run);
}

/** The offline plan of a stack of this repository, with optional overrides (bare keys). */
export async function plan(
    stack: string,
    overrides: Record<string, unknown> = {},
    secretOverrides: string[] = [],
): Promise<Plan & { recorded: Recorded }> {
    const o: Record<string, string> = {};
    for (const [k, v] of Object.entries(overrides))
        o[`gitlab-platform:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    const p = await planStack({
        dir: ROOT,
        stack,
        overrides: o,
        overrideSecretKeys: secretOverrides.map((k) => `gitlab-platform:${k}`),
    });
    return { ...p, recorded: new Recorded({ resources: p.resources, outputs: p.outputs, reads: p.reads }) };
}

/**
 * Unwraps the SDK's serialized secrets (`{ <sig>: <secret sig>, value }`) into plain values, for mocks
 * that must see what the engine receives (the plan itself only ever shows "[secret]").
 */
export function revealSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(revealSecrets);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (specialSigKey in obj) return revealSecrets(obj.value);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, revealSecrets(v)]));
}
