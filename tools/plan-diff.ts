/**
 * `npm run plan:diff -- <base.json> <head.json> [--md FILE] [--json FILE]`
 * What an update from the base plan to the head plan would change (both written by `npm run plan`): added,
 * removed, updated and replaced resources with property paths, replacement reasons and a graph. Markdown goes
 * to stdout unless --md or --json is given. Exit codes: 0 diffed (changes or not), 2 usage or unreadable input.
 */
import { parseArgs } from "node:util";
import { readPlan, writeFile } from "./plan/files";
import { diffPlans } from "./plan-diff/diff";
import { planDiffMarkdown } from "./plan-diff/markdown";

const USAGE = "usage: npm run plan:diff -- <base.json> <head.json> [--md FILE] [--json FILE]";

function main(): number {
    let parsed;
    try {
        parsed = parseArgs({ options: { md: { type: "string" }, json: { type: "string" } }, allowPositionals: true, strict: true });
    } catch (err) {
        console.error(`plan:diff: ${(err as Error).message}\n${USAGE}`);
        return 2;
    }
    if (parsed.positionals.length !== 2) {
        console.error(`plan:diff: expected two plan files, got ${parsed.positionals.length}\n${USAGE}`);
        return 2;
    }
    try {
        const [base, head] = parsed.positionals.map(readPlan);
        if (base.resources.length > 0 && base.stack !== head.stack) {
            throw new Error(`the plans are of different stacks (base ${base.stack}, head ${head.stack})`);
        }
        const diff = diffPlans(base, head);
        const markdown = planDiffMarkdown(diff);
        if (parsed.values.json) writeFile(parsed.values.json, JSON.stringify(diff, null, 2) + "\n");
        if (parsed.values.md) writeFile(parsed.values.md, markdown);
        if (!parsed.values.json && !parsed.values.md) process.stdout.write(markdown);
        else {
            const s = diff.summary;
            console.log(`plan:diff: ${diff.stack}: ${s.replace} to replace, ${s.remove} to remove, ${s.update} to update, ${s.add} to add, ${s.unchanged} unchanged`);
        }
        return 0;
    } catch (err) {
        console.error(`plan:diff: ${(err as Error).message}`);
        return 2;
    }
}

process.exitCode = main();
