/**
 * `npm run bench [-- --runs 5 --sizes 10,100,1000 --scale-runs 5,5,3 --stacks dev,prod --no-npm-test --quick --render]`
 * `npm run bench -- --render-only [--runs 3 --stacks dev,prod]`: only `npm run render` per stack (charts from
 * GITLAB_PLATFORM_CHART_CACHE, offline), written into the render section of the earlier results.
 * Offline plan time and memory of the stacks and of generated stacks of growing size, the deployment
 * critical path of each stack, and the time of `npm test`. Writes docs/BENCHMARKS.md and docs/benchmarks.json.
 */
import { parseCli, runCli } from "./cli-args";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { analyseCriticalPath } from "./bench/critical-path";
import { affineCost, growthExponent, marginalExponent } from "./bench/growth";
import { isFailure, machine, measureCase, timeCommand, type Case, type Failure } from "./bench/measure";
import { benchMarkdown, type BenchResults, type Growth, type RenderBench } from "./bench/report";
import { writeScaledProject } from "./bench/stacks";
import type { Plan } from "./plan/format";

const ROOT = path.resolve(__dirname, "..");
const log = (line: string) => process.stderr.write(`${line}\n`);
const list = (text: string) =>
    text
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);

/** The stacks of the repository: every Pulumi.<stack>.yaml beside Pulumi.yaml. */
function repoStacks(): string[] {
    return fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function growthOf(cases: readonly (Case | Failure)[], sizes: readonly number[]): Growth[] {
    const ok = cases.map((c, i) => ({ c, n: sizes[i] })).filter((x): x is { c: Case; n: number } => !isFailure(x.c));
    if (ok.length < 3) return [];
    const metrics: [string, string, (c: Case) => number][] = [
        ["wall time", "s", (c) => c.wallMs / 1000],
        ["CPU time", "s", (c) => c.cpuMs / 1000],
        ["peak RSS", "MB", (c) => c.peakRssMb],
        ["resources", "", (c) => c.resources],
    ];
    return metrics.map(([metric, unit, f]) => {
        const points = ok.map(({ c, n }) => ({ n, value: f(c) }));
        const { fixed, perItem } = affineCost(points);
        return {
            metric,
            unit,
            exponent: growthExponent(points),
            marginalExponent: marginalExponent(points),
            fixed,
            perN: perItem,
        };
    });
}

/** Times `npm run simulate` (without the npm wrapper) per stack, then the first one with every fault kind. */
async function timeSimulations(stacks: readonly string[]): Promise<NonNullable<BenchResults["simulate"]>> {
    const out: NonNullable<BenchResults["simulate"]> = [];
    const commands = [
        ...stacks.map((s) => `--stack ${s}`),
        ...(stacks.length > 0 ? [`--stack ${stacks[0]} --faults all`] : []),
    ];
    for (const args of commands) {
        const command = `node --import tsx tools/simulate.ts ${args}`;
        log(`  ${command} ...`);
        const r = await timeCommand(command, ROOT);
        log(`  ${command}: ${(r.wallMs / 1000).toFixed(1)} s, exit ${r.code}`);
        out.push({ ...r, command: `npm run simulate -- ${args}` });
    }
    return out;
}

async function main(): Promise<number> {
    const parsed = parseCli({
        tool: "bench",
        usage: "usage: npm run bench [-- --runs N --sizes 10,100 --scale-runs 5,5 --stacks a,b --no-npm-test --quick --only-simulate --render --render-only --md FILE --json FILE]",
        options: {
            runs: { type: "string", default: "5" },
            sizes: { type: "string", default: "10,100,1000" },
            "scale-runs": { type: "string", default: "5,5,3" },
            stacks: { type: "string" },
            base: { type: "string", default: "dev-workloads" },
            "no-npm-test": { type: "boolean", default: false },
            /** Only time `npm run simulate` of the workloads stacks and add it to the earlier results (JSON), re-rendering the Markdown. */
            "only-simulate": { type: "boolean", default: false },
            quick: { type: "boolean", default: false },
            /** Re-render the Markdown from the JSON of an earlier run, without measuring. */
            render: { type: "boolean", default: false },
            /** Time only `npm run render` per stack and update that section of the earlier results. */
            "render-only": { type: "boolean", default: false },
            md: { type: "string", default: "docs/BENCHMARKS.md" },
            json: { type: "string", default: "docs/benchmarks.json" },
        },
    });
    if (!parsed) return 2;
    const a = parsed.values;
    if (a.render) {
        const earlier = JSON.parse(fs.readFileSync(path.resolve(ROOT, a.json!), "utf8")) as BenchResults;
        fs.writeFileSync(path.resolve(ROOT, a.md!), benchMarkdown(earlier));
        log(`bench: rendered ${a.md} from ${a.json}`);
        return 0;
    }
    if (a["render-only"]) {
        const earlier = JSON.parse(fs.readFileSync(path.resolve(ROOT, a.json!), "utf8")) as BenchResults;
        const chartCache = process.env.GITLAB_PLATFORM_CHART_CACHE ?? "../shared/charts";
        const render: RenderBench = {
            date: new Date().toISOString(),
            command: ["npm run bench", ...process.argv.slice(2)].join(" "),
            chartCache,
            load1: os.loadavg()[0],
            stacks: [],
        };
        for (const stack of a.stacks ? list(a.stacks) : ["dev", "prod"]) {
            const wallMs: number[] = [];
            let code = 0;
            for (let i = 0; i < Number(a.runs); i++) {
                const run = await timeCommand(
                    `GITLAB_PLATFORM_CHART_CACHE='${chartCache}' npx tsx tools/render.ts --stack '${stack}' --offline`,
                    ROOT,
                );
                log(`  render ${stack}: ${(run.wallMs / 1000).toFixed(1)} s, exit ${run.code}`);
                wallMs.push(run.wallMs);
                code = code || run.code;
            }
            render.stacks.push({ stack, wallMs, code });
        }
        const results = { ...earlier, render };
        fs.writeFileSync(path.resolve(ROOT, a.json!), JSON.stringify(results, null, 2) + "\n");
        fs.writeFileSync(path.resolve(ROOT, a.md!), benchMarkdown(results));
        log(`bench: wrote the render section of ${a.md} and ${a.json}`);
        return 0;
    }
    if (a["only-simulate"]) {
        const earlier = JSON.parse(fs.readFileSync(path.resolve(ROOT, a.json!), "utf8")) as BenchResults;
        earlier.simulate = await timeSimulations(
            a.stacks ? list(a.stacks) : repoStacks().filter((x) => x.endsWith("-workloads")),
        );
        fs.writeFileSync(path.resolve(ROOT, a.json!), JSON.stringify(earlier, null, 2) + "\n");
        fs.writeFileSync(path.resolve(ROOT, a.md!), benchMarkdown(earlier));
        log(`bench: added the simulations to ${a.md} and ${a.json}`);
        return 0;
    }
    const runs = a.quick ? 1 : Number(a.runs);
    const sizes = (a.quick ? ["10", "100"] : list(a.sizes!)).map(Number);
    const scaleRuns = a.quick ? sizes.map(() => 1) : list(a["scale-runs"]!).map(Number);
    const stacks = a.stacks ? list(a.stacks) : repoStacks();
    const command = ["npm run bench", ...process.argv.slice(2)].join(" ");
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-platform-bench-runs-"));
    const started = performance.now();
    const loadBefore = os.loadavg();
    log(
        `bench: ${stacks.join(", ")} x${runs}; scale N=${sizes.join(", ")}; load ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`,
    );

    const stackCases: (Case | Failure)[] = [];
    for (const stack of stacks) stackCases.push(await measureCase(ROOT, ROOT, stack, stack, runs, work, log));

    const scaled = writeScaledProject(ROOT, a.base!, sizes);
    const scaleCases: (Case | Failure)[] = [];
    try {
        for (const [i, n] of sizes.entries())
            scaleCases.push(
                await measureCase(
                    ROOT,
                    scaled.dir,
                    scaled.stacks.get(n)!,
                    `scale-${n}`,
                    scaleRuns[i] ?? scaleRuns[scaleRuns.length - 1],
                    work,
                    log,
                ),
            );
    } finally {
        scaled.dispose();
    }

    const criticalPaths = stackCases
        .filter((c): c is Case => !isFailure(c))
        .map((c) => {
            const plan = JSON.parse(fs.readFileSync(c.planFile, "utf8")) as Plan;
            return { stack: c.stack, result: analyseCriticalPath(plan.resources, plan.project) };
        });
    for (const { stack, result } of criticalPaths)
        log(
            `  critical path ${stack}: ${result.estimateSeconds} s estimated, ${result.lowerBoundSeconds} s lower bound, ratio ${result.ratio.toFixed(2)}`,
        );

    let npmTest: BenchResults["npmTest"];
    if (!a["no-npm-test"] && !a.quick) {
        // `npm test` step by step: its script is `npm run build && npm run lint && npm run test:unit`.
        const script = (
            JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
        ).scripts.test;
        const parts = [];
        for (const command of script.split("&&").map((c) => c.trim())) {
            log(`  ${command} ...`);
            const part = await timeCommand(command, ROOT);
            log(`  ${command}: ${(part.wallMs / 1000).toFixed(1)} s, exit ${part.code}`);
            parts.push(part);
            if (part.code !== 0) break;
        }
        npmTest = {
            script,
            wallMs: parts.reduce((t, p) => t + p.wallMs, 0),
            code: parts.find((p) => p.code !== 0)?.code ?? 0,
            parts,
        };
    }

    const simulate = a.quick ? undefined : await timeSimulations(stacks.filter((x) => x.endsWith("-workloads")));

    const results: BenchResults = {
        date: new Date().toISOString(),
        command,
        machine: machine(),
        loadBefore,
        loadAfter: os.loadavg(),
        stacks: stackCases,
        scale: { base: a.base!, sizes, cases: scaleCases, growth: growthOf(scaleCases, sizes) },
        criticalPaths,
        npmTest,
        simulate,
    };
    const forJson = JSON.parse(
        JSON.stringify(results, (key, value: unknown) => (key === "planFile" ? undefined : value)),
    ) as unknown;
    fs.mkdirSync(path.dirname(path.resolve(ROOT, a.md!)), { recursive: true });
    fs.writeFileSync(path.resolve(ROOT, a.json!), JSON.stringify(forJson, null, 2) + "\n");
    fs.writeFileSync(path.resolve(ROOT, a.md!), benchMarkdown(results));
    fs.rmSync(work, { recursive: true, force: true });
    log(`bench: wrote ${a.md} and ${a.json} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return 0;
}

runCli("bench", main);
