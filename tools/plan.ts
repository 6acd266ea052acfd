/**
 * `npm run plan -- --stack <name> [--json FILE] [--md FILE] [--dir DIR]`
 * The offline plan: the real program evaluated against a recording mock engine with preview semantics,
 * no cloud credentials needed. Exit codes: 0 planned, 1 invalid configuration (the config error only),
 * 2 anything else (usage, unreadable files, a program error).
 */
import * as path from "node:path";
import { ConfigError } from "../config/errors";
import { parseCli, runCli } from "./cli-args";
import { writeFile } from "./plan/files";
import { planMarkdown } from "./plan/markdown";
import { planStack } from "./plan/plan-stack";

async function main(): Promise<number> {
    const parsed = parseCli({
        tool: "plan",
        usage: "usage: npm run plan -- --stack <name> [--json FILE] [--md FILE] [--dir DIR]",
        options: {
            stack: { type: "string" },
            json: { type: "string" },
            md: { type: "string" },
            dir: { type: "string", default: "." },
        },
        required: ["stack"],
    });
    if (!parsed) return 2;
    const args = parsed.values;
    try {
        const plan = await planStack({ dir: path.resolve(args.dir), stack: args.stack! });
        const markdown = planMarkdown(plan);
        if (args.json) writeFile(args.json, JSON.stringify(plan, null, 2) + "\n");
        if (args.md) writeFile(args.md, markdown);
        if (!args.json && !args.md) process.stdout.write(markdown);
        else console.log(`plan: ${plan.project}/${plan.stack}: ${plan.resources.length} resources`);
        return 0;
    } catch (err) {
        if (ConfigError.is(err)) {
            console.error(err.message);
            return 1;
        }
        console.error(`plan: ${err instanceof Error ? err.message : String(err)}`);
        return 2;
    }
}

runCli("plan", main);
