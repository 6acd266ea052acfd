/** docs/BENCHMARKS.md from the benchmark's results (docs/benchmarks.json has the same data). Pure. */
import type { CriticalPath, PathStep } from "./critical-path";
import { NEEDLESS_WAIT_REPORT_SECONDS, NEEDS } from "./critical-path";
import type { Case, Failure, Machine } from "./measure";
import { LATENCY_RULES } from "./latency";

/** Growth of one cost with N. */
export interface Growth {
    metric: string;
    /** Slope of log(cost) against log(N) over all sizes. */
    exponent: number;
    /** The same beyond the smallest size (fixed cost removed): 1 for linear growth. */
    marginalExponent: number;
    fixed: number;
    perN: number;
    unit: string;
}

/** Everything one benchmark run produced. */
export interface BenchResults {
    date: string;
    command: string;
    machine: Machine;
    /** Load averages (1, 5, 15 min) before and after. */
    loadBefore: number[];
    loadAfter: number[];
    stacks: (Case | Failure)[];
    scale: { base: string; sizes: number[]; cases: (Case | Failure)[]; growth: Growth[] };
    criticalPaths: { stack: string; result: CriticalPath }[];
    /** `npm test`, timed step by step (its script's `&&` parts). */
    npmTest?: {
        script: string;
        wallMs: number;
        code: number;
        parts: { command: string; wallMs: number; code: number; load1: number }[];
    };
    /** `npm run simulate` per workloads stack (up, second up, destroy against the fake GitLab), and with faults. */
    simulate?: { command: string; wallMs: number; code: number; load1: number }[];
    /** `npm run render` per stack (plan + every Helm release through the real helm + checks), from `--render-only`. */
    render?: RenderBench;
}

/** Render layer timings: every run of each stack, fresh processes. */
export interface RenderBench {
    date: string;
    command: string;
    chartCache: string;
    load1: number;
    stacks: { stack: string; wallMs: number[]; code: number }[];
}

/** The render section of docs/BENCHMARKS.md. */
export function renderSection(r: RenderBench): string[] {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return [
        "## Render layer (`npm run render`)",
        "",
        `\`${r.command}\` on ${r.date.slice(0, 10)}, charts from \`${r.chartCache}\` (offline), load ${r.load1.toFixed(2)} at start. Each run`,
        "is a fresh `tsx tools/render.ts --stack <stack> --offline`: the offline plan, chart packages read, every release through",
        "`helm template`, and all checks. `npm run test:render` (both stacks in one process, run by `.ci/run` after `npm test`)",
        "shares the chart reading between stacks.",
        "",
        "| stack | runs | median wall | all runs | exit |",
        "| --- | ---: | ---: | --- | ---: |",
        ...r.stacks.map(
            (x) =>
                `| ${x.stack} | ${x.wallMs.length} | ${s(median(x.wallMs))} s | ${x.wallMs.map(s).join(", ")} s | ${x.code} |`,
        ),
        "",
    ];
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const mins = (sec: number) => `${Math.floor(sec / 60)} min ${String(Math.round(sec % 60)).padStart(2, "0")} s`;
const short = (urn: string) => urn.split("::").slice(-1)[0];
const typeOf = (urn: string) => urn.split("::").slice(-2, -1)[0]?.split("$").slice(-1)[0] ?? "";
const isFailure = (c: Case | Failure): c is Failure => (c as Failure).code !== undefined;

function caseRows(cases: readonly (Case | Failure)[], first: (c: Case | Failure) => string): string[] {
    return cases.map((c) =>
        isFailure(c)
            ? `| ${first(c)} | does not plan (exit ${c.code}): ${c.message.replace(/\|/g, "\\|")} | | | | | |`
            : `| ${first(c)} | ${c.resources} | ${s(c.wallMs)} s | ${s(c.cpuMs)} s | ${c.peakRssMb.toFixed(0)} MB | ${c.resourcesPerSecond.toFixed(0)} | ${c.runs.length} (load ${Math.min(...c.runs.map((r) => r.load1)).toFixed(1)}-${Math.max(...c.runs.map((r) => r.load1)).toFixed(1)}) |`,
    );
}

function pathTable(path: readonly PathStep[]): string[] {
    return [
        "| # | resource | type | latency rule | seconds | finishes at |",
        "| ---: | --- | --- | --- | ---: | ---: |",
        ...path.map(
            (p, i) =>
                `| ${i + 1} | \`${short(p.urn)}\` | \`${p.type}\` | ${p.rule} | ${p.seconds} | ${mins(p.finish)} |`,
        ),
    ];
}

function criticalPathSection(stack: string, cp: CriticalPath): string[] {
    const lines = [
        `### Stack \`${stack}\``,
        "",
        `${cp.steps} steps, ${cp.edges} dependencies. Estimated \`pulumi up\` (longest weighted path through the actual graph): **${mins(cp.estimateSeconds)}**; lower bound (longest path through the necessary graph): **${mins(cp.lowerBoundSeconds)}**; ratio **${cp.ratio.toFixed(2)}**.`,
        "",
        "Critical path:",
        "",
        ...pathTable(cp.path),
        "",
    ];
    if (cp.needless.length > 0) {
        lines.push(
            "Needless dependencies on the critical path (removing each, in this order, saves the time shown):",
            "",
            "| waits | for | saves |",
            "| --- | --- | ---: |",
        );
        for (const e of cp.needless) lines.push(`| \`${e.from}\` | \`${e.to}\` | ${mins(e.savedSeconds)} |`);
    } else {
        lines.push("No needless dependency lengthens the critical path.");
    }
    lines.push("");
    if (cp.missing.length > 0) {
        lines.push(
            "Necessary dependencies the program does NOT declare (not even transitively): the first `pulumi up` would create these too early (and the lower bound counts them):",
            "",
            "| resource | must wait for |",
            "| --- | --- |",
            ...cp.missing.map(
                (e) => `| \`${short(e.from)}\` (\`${typeOf(e.from)}\`) | \`${short(e.to)}\` (\`${typeOf(e.to)}\`) |`,
            ),
            "",
        );
    }
    if (cp.needlessWaits.length > 0) {
        const shown = cp.needlessWaits.slice(0, 12);
        lines.push(
            `Off the critical path, ${cp.needlessWaits.length} ${cp.needlessWaits.length === 1 ? "step starts" : "steps start"} at least ${NEEDLESS_WAIT_REPORT_SECONDS} s later than their necessary dependencies allow (the dependency holding each back most${cp.needlessWaits.length > shown.length ? `; the first ${shown.length}` : ""}):`,
            "",
            "| step | waits needlessly for | starts later by |",
            "| --- | --- | ---: |",
            ...shown.map(
                (w) =>
                    `| \`${short(w.from)}\` (\`${typeOf(w.from)}\`) | \`${short(w.to)}\` (\`${typeOf(w.to)}\`) | ${mins(w.delaySeconds)} |`,
            ),
            "",
        );
    }
    if (cp.ratio < 1)
        lines.push("The ratio is below 1 because of the missing dependencies above: the estimate is optimistic.", "");
    return lines;
}

export function benchMarkdown(r: BenchResults): string {
    const m = r.machine;
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
    const lines: string[] = [
        "# Benchmarks",
        "",
        `Generated by \`${r.command}\` (tools/bench.ts) on ${r.date}; the data is in docs/benchmarks.json. Each figure is the median over fresh`,
        "processes (`node --import tsx tools/bench/child.ts`, which runs the plan CLI tools/plan.ts, i.e. what `npm run plan` runs without the npm",
        "and tsx wrapper processes). Wall time is measured from outside the process; peak RSS (`process.resourceUsage().maxRSS`) and CPU time",
        "(user + system) are reported by the process itself. CPU time depends little on the machine's load; wall time does.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        `| CPUs (\`nproc\`) | ${m.cpus} |`,
        `| CPU model | ${m.cpuModel} |`,
        `| memory | ${m.memory} |`,
        `| Node | ${m.node} |`,
        `| OS | ${m.platform} |`,
        `| load average (1 / 5 / 15 min) | before ${load(r.loadBefore)}, after ${load(r.loadAfter)} |`,
        "",
        "The machine is shared: other sessions ran builds and tests at the same time, so wall times carry their load (each row shows the",
        "1-minute load average range at the start of its runs). The run recorded here was started when `uptime` showed the lowest load seen.",
        "",
        "## Offline plan",
        "",
        "| stack | resources | wall | CPU | peak RSS | resources/s | runs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ...caseRows(r.stacks, (c) => `\`${c.stack}\``),
        "",
        `## Scale: N review apps and N agent CI/CD entries`,
        "",
        `Generated stacks: Pulumi.${r.scale.base}.yaml with \`reviewApps.apps\` of N branches and N \`agent.ciAccess\` entries, each with its`,
        "own `defaultNamespace` (so the agent's RBAC grows too): `projects` up to GitLab's limit of 500 per agent, then `groups`. They are",
        "written to a temporary directory whose Pulumi.yaml points `main` at the repository's index.ts.",
        "",
        "| N | resources | wall | CPU | peak RSS | resources/s | runs |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ...caseRows(r.scale.cases, (c) => c.label.replace(/^scale-/, "")),
        "",
    ];
    if (r.scale.growth.length > 0) {
        lines.push(
            "Growth with N. The exponent is the slope of log(cost) against log(N); it is below 1 because of the fixed cost (process start,",
            "module loading). The marginal exponent removes it (slope of log(cost − cost at the smallest N) against log(N − smallest N)):",
            "1 is linear growth, 2 quadratic. Fixed and per-N costs are the affine least-squares fit.",
            "",
            "| cost | exponent | marginal exponent | fixed | per N |",
            "| --- | ---: | ---: | ---: | ---: |",
            ...r.scale.growth.map(
                (g) =>
                    `| ${g.metric} | ${g.exponent.toFixed(2)} | ${Number.isNaN(g.marginalExponent) ? "n/a" : g.marginalExponent.toFixed(2)} | ${`${g.fixed.toFixed(2)} ${g.unit}`.trim()} | ${`${g.perN.toFixed(4)} ${g.unit}`.trim()} |`,
            ),
            "",
        );
    }
    lines.push(
        "## Deployment critical path",
        "",
        "From each plan's dependency graph: the steps are custom resources (and remote components such as `kubernetes:yaml/v2:ConfigFile`,",
        "which the provider expands); the program's components are not steps, their children are. A step waits for its `dependsOn` (the",
        "SDK already expands a component into its children and adds the resources whose outputs an input consumes), its provider and a",
        "custom parent, and starts as soon as they are created (`pulumi up` runs independent steps in parallel, unbounded by default).",
        "Each step takes its latency from the model below; the estimate is the longest weighted path. The lower bound is the same through",
        "the graph of NECESSARY dependencies: step A needs step B when B is among A's (transitive) dependencies and B's kind is one A's kind",
        "consumes (table below), plus dependencies a correct program needs whether it declares them or not: GitLab API objects wait for",
        "the GitLab release the stack installs, that release for the stack's databases and caches, Helm releases, workloads and awaited",
        "custom resources for the node groups, Kubernetes objects for the Namespace they live in when the stack declares it.",
        "A dependency on the critical path that is not necessary serializes the deployment for nothing; it is listed with the time it costs.",
        "",
    );
    if (r.criticalPaths.length === 0) lines.push("No stack planned, so no critical path.", "");
    for (const { stack, result } of r.criticalPaths) lines.push(...criticalPathSection(stack, result));
    lines.push(
        "### Latency model",
        "",
        "One figure per rule, the middle of its range; the first matching rule applies. `estimate` marks a judgement, not a measurement.",
        "",
        "| rule | seconds | range | source |",
        "| --- | ---: | --- | --- |",
        ...LATENCY_RULES.map((rule) => `| ${rule.label} | ${rule.seconds} | ${rule.range} | ${rule.source} |`),
        "",
        "### Necessary dependencies by kind",
        "",
        "| kind | necessarily waits for (when among its dependencies) |",
        "| --- | --- |",
        ...Object.entries(NEEDS).map(
            ([kind, kinds]) =>
                `| ${kind} | ${kind === "other" ? "everything (unknown types are not judged)" : kinds.length ? kinds.join(", ") : "nothing"} |`,
        ),
        "",
        "Kinds come from the type: `network` is `aws:ec2/*` (VPC, subnets, gateways, routes, security groups; launch templates are `aws-other`), `sg-rule`",
        "security group rules (nothing needs a rule to exist, only to carry traffic, so workloads and node groups need them), `eks-addon-bootstrap`",
        "the add-ons nodes need to become Ready (vpc-cni, kube-proxy, eks-pod-identity-agent), `k8s-object` built-in API groups, `k8s-workload`",
        "Deployments, StatefulSets, DaemonSets and Jobs, `k8s-custom` other API groups (custom resources), `gitlab-release` the Helm release of",
        "the `gitlab` chart.",
        "",
    );
    if (r.simulate) {
        lines.push(
            "## Simulated first up",
            "",
            "`npm run simulate` (tools/simulate.ts): the program in update mode twice (up, then a second up that must change nothing) and a",
            "destroy, the GitLab API resources executed against a fresh fake GitLab on 127.0.0.1, the platform stack's program run first for",
            "the StackReference. One process each, wall time from outside (tsx start and module loading included):",
            "",
            "| command | wall | exit | load at start |",
            "| --- | ---: | ---: | ---: |",
            ...r.simulate.map((p) => `| \`${p.command}\` | ${s(p.wallMs)} s | ${p.code} | ${p.load1.toFixed(2)} |`),
            "",
        );
    }
    if (r.npmTest) {
        lines.push(
            "## npm test",
            "",
            `\`npm test\` (\`${r.npmTest.script}\`): **${s(r.npmTest.wallMs)} s** wall in all, exit code ${r.npmTest.code}, timed step by step:`,
            "",
            "| step | wall | exit | load at start |",
            "| --- | ---: | ---: | ---: |",
            ...r.npmTest.parts.map(
                (p) => `| \`${p.command}\` | ${s(p.wallMs)} s | ${p.code} | ${p.load1.toFixed(2)} |`,
            ),
            "",
        );
    }
    if (r.render) lines.push(...renderSection(r.render));
    lines.push(...FINDINGS);
    return lines.join("\n") + "\n";
}

/**
 * What profiling found and what was changed (static: the before/after figures were measured once, with
 * the engine of the last commit and the current one side by side on the same machine and stacks).
 */
const FINDINGS = [
    "## Profile findings and fixes",
    "",
    "Profiled with `node --cpu-prof` (and `--trace-gc`, heap snapshots) on the dev stack and the N=1000 stack.",
    "",
    "1. **Stack traces (fixed, tools/plan/sdk-internals.ts).** The SDK captures a stack for every resource construction",
    "   (`Resource.callsites`, with `Error.stackTraceLimit` raised to infinity, for the resource's `sourcePosition`) and for every",
    "   SDK promise (`debuggablePromise`, about twenty per resource, read only by the promise-leak report). Under tsx every frame of",
    "   every capture is source-mapped: it was half the CPU time at N=1000 (`prepareStackTraceWithSourceMaps`, `findSourceMap`,",
    "   `pathToFileURL`) and a good part of the garbage. While the plan records, `Resource.callsites` returns no frames and",
    "   `debuggablePromise` runs with `Error.stackTraceLimit` 0 (leak tracking unchanged; left alone under PULUMI_DEBUG_PROMISE_LEAKS).",
    "   The plan format never had source positions; every plan is byte-identical.",
    "2. **Mock monitor round trips (fixed, tools/plan/engine.ts).** With the built-in preview and update mocks (state = inputs), the",
    "   SDK's mock monitor deserialized each request's properties, handed them to the mocks, serialized them back (an async walk) and",
    "   rebuilt a protobuf Struct; the recording monitor now answers with the request's own properties, converted once. The plans",
    "   hold the same resources with the same content; only the registration order of some independent resources differs (it is a",
    "   timing artifact in both engines). Custom mocks (component tests that pass `mocks`) keep the SDK's path.",
    "",
    "Before / after (same machine, same symlinked checkout, engine of the last commit against the current one, runs interleaved,",
    "load 2-4 during the runs):",
    "",
    "| stack | resources | wall before | wall after | CPU before | CPU after | peak RSS before | peak RSS after |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    "| dev | 48 | 3.6-4.4 s | 3.2-3.7 s | 3.3-3.9 s | 3.0-3.5 s | 267-275 MB | 254-263 MB |",
    "| prod | 210 | 4.0-4.2 s | 3.6-4.1 s | 3.8-4.0 s | 3.4-3.7 s | 297-301 MB | 277-285 MB |",
    "| N=100 | 939 | 5.9-6.5 s | 4.5-5.6 s | 5.7-6.2 s | 5.1 s | 396 MB | 337-347 MB |",
    "| N=1000 | 9039 | 27.6-29.0 s | 13.7-15.2 s | 27.9-29.8 s | 13.2-15.9 s | 1.83-1.88 GB | 1.23-1.40 GB |",
    "",
    "What remains, and why it was left:",
    "",
    "- **Fixed cost, about 2.5 s of a dev plan**: loading the SDK (about 1 s with tsx; `@pulumi/pulumi` eagerly loads its automation",
    "  API and `@npmcli/arborist`, about 0.25 s, used only by `computeCodePaths`), loading the program's modules (about 0.5 s) and",
    "  serializing the GitLab dynamic providers (about 1.2 s). The SDK caches a serialized provider per provider object",
    "  (`cacheDynamicProviders()` is true by default, and each gitlab-api class passes one module-level provider), so it is one",
    "  serialization per provider type (five in the dev stack), not per resource: about 0.4 s once (TypeScript and the inspector",
    "  session the closure serializer loads) and about 0.2 s per type. Some 60% of the 105-115 functions serialized per provider are",
    "  esbuild's export getters (each imported binding the provider's code uses is a getter on a module object); binding the",
    "  imported helpers to module-level constants, or one provider for all five types, would cut it, at the cost of restructuring",
    "  components/gitlab-api (not done).",
    "- **Memory at scale, linear**: the program declares every resource synchronously, so all registrations are in flight together;",
    "  the SDK holds them (some 120 promises, 240 closures and debug-context strings per resource). The live heap when the program",
    "  returns grows linearly: 108 MB at N=100 and 445 MB at N=1000 over a 66 MB baseline (x9.0 for x9.6 resources); it peaks",
    "  at about 580-630 MB at N=1000 while responses are processed, and falls to 172 MB once all are. Peak RSS is about twice the live",
    "  peak because V8 lets the heap grow to its next mark-compact limit meanwhile, so it moves with GC timing (the three N=1000",
    "  runs above differ by up to 180 MB) and its marginal exponent is a little above 1. `--max-semi-space-size` changed little",
    "  (about 10%), so it was not adopted.",
    "",
];
