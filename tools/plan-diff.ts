/**
 * `npm run plan:diff -- <base.json> <head.json> [--md FILE] [--json FILE] [--gate]`
 * What an update from the base plan to the head plan would change (both written by `npm run plan`): the impact
 * of each change first (data loss, blocked, disruptive, unknown, safe), then added, removed, updated and replaced
 * resources with property paths, replacement reasons and a graph. Markdown goes to stdout unless --md or --json
 * is given. The data-loss gate reads the merge request's labels (`CI_MERGE_REQUEST_LABELS`): the label
 * `allow-data-loss` opts in. Exit codes: 0 diffed (changes or not); 1 with --gate, data loss or blocked changes
 * without the opt-in (the reports are written first); 2 usage or unreadable input.
 */
import { parseCli } from "./cli-args";
import { readPlan, writeFile } from "./plan/files";
import { diffPlans } from "./plan-diff/diff";
import { gateVerdict } from "./plan-diff/impact";
import { planDiffMarkdown } from "./plan-diff/markdown";

const USAGE = "usage: npm run plan:diff -- <base.json> <head.json> [--md FILE] [--json FILE] [--gate]";

function main(): number {
    const parsed = parseCli({
        tool: "plan:diff",
        usage: USAGE,
        options: { md: { type: "string" }, json: { type: "string" }, gate: { type: "boolean", default: false } },
        positionals: 2,
    });
    if (!parsed) return 2;
    try {
        const [base, head] = parsed.positionals.map(readPlan);
        if (base.resources.length > 0 && base.stack !== head.stack) {
            throw new Error(`the plans are of different stacks (base ${base.stack}, head ${head.stack})`);
        }
        const diff = diffPlans(base, head);
        const gate = gateVerdict(diff.impact, process.env);
        diff.impact.gate = gate;
        const markdown = planDiffMarkdown(diff);
        if (parsed.values.json) writeFile(parsed.values.json, JSON.stringify(diff, null, 2) + "\n");
        if (parsed.values.md) writeFile(parsed.values.md, markdown);
        if (!parsed.values.json && !parsed.values.md) process.stdout.write(markdown);
        else {
            const s = diff.summary;
            console.log(
                `plan:diff: ${diff.stack}: ${s.replace} to replace, ${s.remove} to remove, ${s.update} to update, ${s.add} to add, ${s.unchanged} unchanged`,
            );
        }
        const i = diff.impact.summary;
        console.error(
            `plan:diff: impact: ${i["data-loss"]} data loss, ${i.blocked} blocked, ${i.disruptive} disruptive, ${i.unknown} unknown`,
        );
        if (gate.required && gate.optedIn)
            console.error(
                `plan:diff: data loss or blocked changes, allowed by the merge request label ${gate.label}${gate.by ? ` (pipeline of @${gate.by})` : ""}`,
            );
        if (parsed.values.gate && gate.fails) {
            console.error(
                `plan:diff: gate: data loss or blocked changes (see the impact section); add the merge request label ${gate.label} to go ahead on purpose`,
            );
            return 1;
        }
        return 0;
    } catch (err) {
        console.error(`plan:diff: ${(err as Error).message}`);
        return 2;
    }
}

process.exitCode = main();
