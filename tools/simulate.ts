/**
 * `npm run simulate -- --stack <name> [--faults 429,5xx,drop-after,drop-before,timeout|all] [--json FILE]`
 * A simulated first `pulumi up`: the real program in update mode, Kubernetes and cloud resources
 * recorded, the GitLab API resources executed against a fresh fake GitLab on 127.0.0.1 (root and one
 * token), then a second up that must change nothing and a destroy that must leave nothing behind.
 * Nothing outside the machine is contacted. Exit codes: 0 passed, 1 a check failed (drift, leftover,
 * leak) or the program failed, 2 usage.
 */
import * as path from "node:path";
import { ConfigError } from "../config/errors";
import { parseCli, runCli, usageError } from "./cli-args";
import { writeFile } from "./plan/files";
import { FAULT_KINDS, type FaultKind } from "./simulate/faults";
import { simulateStack } from "./simulate/simulate-stack";

const USAGE = `usage: npm run simulate -- --stack <name> [--faults ${FAULT_KINDS.join(",")}|all] [--json FILE] [--dir DIR]`;

async function main(): Promise<number> {
    const spec = { tool: "simulate", usage: USAGE };
    const parsed = parseCli({
        ...spec,
        options: {
            stack: { type: "string" },
            faults: { type: "string" },
            json: { type: "string" },
            dir: { type: "string", default: "." },
        },
        required: ["stack"],
    });
    if (!parsed) return 2;
    const args = { ...parsed.values, stack: parsed.values.stack! };
    const faults = args.faults === "all" ? [...FAULT_KINDS] : (args.faults?.split(",").filter(Boolean) ?? []);
    const bad = faults.filter((f) => !(FAULT_KINDS as readonly string[]).includes(f));
    if (bad.length > 0)
        return usageError(spec, [
            `--faults: unknown ${bad.join(", ")} (expected some of ${FAULT_KINDS.join(", ")}, or all)`,
        ]);
    try {
        const report = await simulateStack({
            dir: path.resolve(args.dir),
            stack: args.stack,
            faults: faults as FaultKind[],
            log: (l) => console.log(`simulate: ${l}`),
        });
        for (const p of report.phases) console.log(`simulate: ${p.name}: ${JSON.stringify({ ...p, name: undefined })}`);
        console.log(`simulate: GitLab after the first up: ${report.inventory.join("; ")}`);
        console.log(
            `simulate: ${report.requests} requests served, ${report.faulted} with an injected fault, ${report.retries.length} retries logged`,
        );
        if (args.json) writeFile(args.json, JSON.stringify(report, null, 2) + "\n");
        if (report.problems.length > 0) {
            console.error(
                `simulate: FAILED (${report.problems.length} problems):\n${report.problems.map((p) => `  - ${p}`).join("\n")}`,
            );
            return 1;
        }
        console.log(`simulate: ${args.stack}: passed`);
        return 0;
    } catch (err) {
        if (ConfigError.is(err)) {
            console.error(err.message);
            return 1;
        }
        const message = (err as { message?: unknown })?.message;
        console.error(`simulate: FAILED: ${typeof message === "string" ? message : JSON.stringify(err)}`);
        return 1;
    }
}

runCli("simulate", main);
