/**
 * `npm run render -- --stack <name> [--out DIR] [--offline] [--strict]`
 * Renders every Helm release of the stack's offline plan with the real helm and checks what renders (see
 * tools/render/render-stack.ts). Charts: `helm pull` of the pinned version, else the newest package in
 * `$GITLAB_PLATFORM_CHART_CACHE`. Exit codes: 0 no errors (warnings listed), 1 errors found, 2 usage or a
 * failure to plan or run helm.
 */
import { parseCli, runCli } from "./cli-args";
import * as path from "node:path";
import { formatFinding } from "./render/findings";
import { formatReport, renderStack } from "./render/render-stack";

const USAGE = "usage: npm run render -- --stack <name> [--out DIR] [--offline] [--strict] [--dir DIR]";

async function main(): Promise<number> {
    const parsed = parseCli({
        tool: "render",
        usage: USAGE,
        options: {
            stack: { type: "string" },
            out: { type: "string" },
            dir: { type: "string", default: "." },
            offline: { type: "boolean", default: false },
            strict: { type: "boolean", default: false },
        },
        required: ["stack"],
    });
    if (!parsed) return 2;
    const args = { ...parsed.values, stack: parsed.values.stack! };
    const started = Date.now();
    try {
        const chartCache = process.env.GITLAB_PLATFORM_CHART_CACHE
            ? path.resolve(process.env.GITLAB_PLATFORM_CHART_CACHE)
            : undefined;
        const report = await renderStack(path.resolve(args.dir), args.stack, {
            chartCache,
            offline: args.offline,
            strict: args.strict,
            outDir: args.out ? path.resolve(args.out) : undefined,
        });
        console.log(formatReport(report));
        for (const f of report.findings) console.log(formatFinding(f));
        const errors = report.findings.filter((f) => f.severity === "error").length;
        const warnings = report.findings.length - errors;
        console.log(
            `render: ${args.stack}: ${report.releases.filter((r) => r.rendered).length}/${report.releases.length} releases rendered, ${errors} errors, ${warnings} warnings (${Date.now() - started} ms)`,
        );
        return errors > 0 ? 1 : 0;
    } catch (err) {
        console.error(`render: ${err instanceof Error ? err.message : String(err)}`);
        return 2;
    }
}

runCli("render", main);
