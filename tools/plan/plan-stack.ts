/** Evaluates a Pulumi TypeScript program for one stack, offline, and returns its plan. */
import * as path from "node:path";
import { recordProgram, type RunOptions } from "./engine";
import type { Plan } from "./format";
import { readStackConfig } from "./stack-files";

export interface PlanStackOptions {
    /** Directory holding Pulumi.yaml and the stack files. */
    dir: string;
    stack: string;
    /** Extra or overriding config (full keys), e.g. from tests. */
    overrides?: Record<string, string>;
    /** Keys of `overrides` to treat as secrets. */
    overrideSecretKeys?: string[];
    /** See {@link RunOptions.onRegister}. */
    onRegister?: RunOptions["onRegister"];
}

/** Loads the program: a module whose export is the program function (or its outputs). */
function loadProgram(main: string): () => unknown {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.resolve(main)) as unknown;
    return typeof exported === "function" ? (exported as () => unknown) : () => exported;
}

export async function planStack(opts: PlanStackOptions): Promise<Plan> {
    const files = readStackConfig(opts.dir, opts.stack);
    const program = loadProgram(files.main);
    const run = await recordProgram(program, {
        project: files.project,
        stack: opts.stack,
        config: { ...files.config, ...opts.overrides },
        secretKeys: [...files.secretKeys, ...(opts.overrideSecretKeys ?? [])],
        preview: true,
        onRegister: opts.onRegister,
    });
    return {
        version: 1,
        project: files.project,
        stack: opts.stack,
        resources: run.resources,
        outputs: run.outputs,
        reads: run.reads,
    };
}
