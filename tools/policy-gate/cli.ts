/**
 * The command line of the policy gate (tools/policy-gate.ts runs it): argument parsing, choosing the
 * plan and the config file, printing, writing reports, and the exit code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { Plan } from "../plan/format";
import { planStack } from "../plan/plan-stack";
import { renderMarkdown, renderText } from "./report";
import { runPolicyGate } from "./run-gate";
import { readPlan, writeFile } from "../plan/files";

export const USAGE =
    "usage: npm run policy -- (--stack <name> [--dir DIR] | --plan FILE) [--config FILE] [--json FILE] [--md FILE] [--compile bundle|ts-node] [--pack DIR]";

/** Where output goes (the process's streams, or a test's buffers). */
export interface Output {
    stdout(text: string): void;
    stderr(text: string): void;
}

/**
 * Runs the gate as `npm run policy` does. Returns the exit code: 0 no mandatory violation, 1 mandatory
 * violations, 2 anything else (usage, unreadable files, invalid config, a program or pack error).
 */
export async function main(argv: string[], out: Output): Promise<number> {
    let args;
    try {
        args = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                dir: { type: "string", default: "." },
                plan: { type: "string" },
                config: { type: "string" },
                json: { type: "string" },
                md: { type: "string" },
                compile: { type: "string", default: "bundle" },
                pack: { type: "string", default: "policy" },
            },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (err) {
        out.stderr(`policy: ${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (!args.stack === !args.plan) {
        out.stderr(`policy: give exactly one of --stack and --plan\n${USAGE}\n`);
        return 2;
    }
    if (args.compile !== "bundle" && args.compile !== "ts-node") {
        out.stderr(`policy: --compile ${args.compile} is not bundle or ts-node\n${USAGE}\n`);
        return 2;
    }
    try {
        const plan: Plan = args.plan
            ? readPlan(args.plan)
            : await planStack({ dir: path.resolve(args.dir!), stack: args.stack! });
        const defaultConfig = path.join(args.pack!, "config", `${plan.stack}.json`);
        const configFile = args.config ?? (fs.existsSync(defaultConfig) ? defaultConfig : undefined);
        const result = await runPolicyGate({ plan, packDir: args.pack!, configFile, compile: args.compile });
        out.stdout(renderText(result));
        if (args.json) writeFile(args.json, JSON.stringify(result, null, 2) + "\n");
        if (args.md) writeFile(args.md, renderMarkdown(result));
        return result.passed ? 0 : 1;
    } catch (err) {
        out.stderr(`policy: ${err instanceof Error ? err.message : String(err)}\n`);
        return 2;
    }
}
