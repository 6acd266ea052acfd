/**
 * A simulated first `pulumi up` of one stack: a fresh fake GitLab on 127.0.0.1 (root and one token, a
 * bystander group and project that must stay untouched), the platform stack's outputs for the
 * StackReference (its own program run in update mode), then up, a second up that must change nothing,
 * and a destroy that must leave nothing the stack made. Faults can be injected into every phase.
 */
import * as path from "node:path";
import { startFreshGitLab, type FreshGitLab } from "../../test/helpers/gitlab-server-namespaces";
import { gitlabObjectsArgs } from "../../config/workloads";
import { readStackConfig } from "../plan/stack-files";
import { simulateDestroy, simulateProgram, type SimRun, type SimState, type Step } from "./engine";
import { faultSchedule, SIMULATED_REQUEST_TIMEOUT_MS, type FaultKind } from "./faults";

export interface SimulateOptions {
    /** Directory holding Pulumi.yaml and the stack files. */
    dir: string;
    stack: string;
    /** Faults to inject (none by default). */
    faults?: FaultKind[];
    /** Receives progress lines. */
    log?: (line: string) => void;
    /** Test hooks: change the world between phases, to prove each check can fail. */
    hooks?: SimulateHooks;
}

/** Where tests step in. */
export interface SimulateHooks {
    /** More objects in the fresh GitLab (full paths), besides the bystanders and the stack's existing ones. */
    seed?: { groups?: string[]; projects?: string[] };
    /** Paths of `gitlabObjects.existing` left out of the fresh GitLab (a missing existing object). */
    withhold?: string[];
    /** Runs after the first up. */
    afterUp?: (gl: FreshGitLab) => void;
    /** Config overrides (full keys) for the second up: a changed program. */
    secondUpConfig?: Record<string, string>;
    /** Runs when a phase failed, before the fake GitLab stops (to see what the failed run wrote). */
    onError?: (gl: FreshGitLab) => void;
    /** Runs on the state before the destroy (e.g. to lose an entry). */
    beforeDestroy?: (state: SimState) => void;
}

/** One phase of the report. */
export interface Phase {
    name: "platform outputs" | "up" | "second up" | "destroy";
    ms: number;
    resources?: number;
    created?: number;
    unchanged?: number;
    changed?: number;
    deleted?: number;
}

export interface SimulationReport {
    stack: string;
    phases: Phase[];
    /** What existed in GitLab after the first up, beyond the fresh instance: `<kind> <what>` lines. */
    inventory: string[];
    /** Problems found (drift, leftovers, leaks, touched bystanders); empty when the simulation passed. */
    problems: string[];
    /** Requests the fake GitLab served, and how many of them had a fault injected. */
    requests: number;
    faulted: number;
    /** Retry lines the providers logged (redacted). */
    retries: string[];
}

/** The bystanders: objects that existed before the stack and must be exactly as they were afterwards. */
const BYSTANDERS = { groups: ["bystander"], projects: ["bystander/keep"] };

/**
 * What the stack names in `gitlabObjects.existing`, split as the program splits it: a real GitLab has
 * these before the first up, so the fresh one is seeded with them. Unparsable values seed nothing (the
 * program's config check reports them).
 */
function existingObjects(files: { project: string; config: Record<string, string> }): {
    groups: string[];
    projects: string[];
} {
    const read = (key: string): unknown => {
        const text = files.config[`${files.project}:${key}`];
        try {
            return text === undefined ? undefined : (JSON.parse(text) as unknown);
        } catch {
            return undefined;
        }
    };
    const objects = read("gitlabObjects") as Parameters<typeof gitlabObjectsArgs>[0] | undefined;
    if (objects === undefined || typeof objects !== "object" || !Array.isArray(objects.existing ?? []))
        return { groups: [], projects: [] };
    const args = gitlabObjectsArgs(objects, {
        agent: read("agent") as Parameters<typeof gitlabObjectsArgs>[1]["agent"],
        flux: read("flux") as Parameters<typeof gitlabObjectsArgs>[1]["flux"],
    });
    return { groups: args.existingGroups ?? [], projects: args.existingProjects ?? [] };
}

/** A snapshot of what a fresh GitLab holds, as comparable lines. */
function inventory(gl: FreshGitLab): string[] {
    const s = gl.server;
    return [
        ...gl.namespaces.live().map((p) => (p.endsWith("/") ? `group ${p.slice(0, -1)}` : `project ${p}`)),
        ...[...s.agents.values()].map((a) => `agent ${s.projects.find((p) => p.id === a.projectId)?.path}/${a.name}`),
        ...[...s.agentTokens.values()].filter((t) => t.status === "active").map((t) => `agent-token ${t.name}`),
        ...[...s.runners.values()].map((r) => `runner ${String(r.runner_type)} ${String(r.description)}`),
        ...[...s.deployTokens.values()]
            .filter((t) => !t.revoked)
            .map((t) => `deploy-token ${String(t.name).replace(/-\d{4}-\d{2}-\d{2}$/, "-<date>")}`),
        ...[...s.files.keys()].map(
            (k) =>
                `file ${s.projects.find((p) => p.id === Number(k.split(":")[0]))?.path}:${k.split(":").slice(1).join(":")}`,
        ),
        ...[...s.variables.entries()].flatMap(([pid, vars]) => vars.map((v) => `variable ${pid}:${String(v.key)}`)),
        ...Object.entries(gl.namespaces.settings).map(([k, v]) => `setting ${k}=${JSON.stringify(v)}`),
    ].sort();
}

/** Loads the program module of a project directory. */
function loadProgram(main: string): () => unknown {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.resolve(main)) as unknown;
    return typeof exported === "function" ? (exported as () => unknown) : () => exported;
}

function summarize(run: SimRun, name: Phase["name"], ms: number): Phase {
    const count = (op: Step["op"]) => run.steps.filter((s) => s.op === op).length;
    return {
        name,
        ms,
        resources: run.resources.length,
        created: count("create"),
        unchanged: count("same"),
        changed: count("update") + count("replace"),
    };
}

/** Runs the simulation; never throws for a failed check (see `problems`), only for a broken setup or program error. */
export async function simulateStack(opts: SimulateOptions): Promise<SimulationReport> {
    const log = opts.log ?? (() => undefined);
    const files = readStackConfig(opts.dir, opts.stack);
    const program = loadProgram(files.main);
    const hooks = opts.hooks ?? {};
    const existing = existingObjects(files);
    const kept = (paths: string[]) => paths.filter((p) => !(hooks.withhold ?? []).includes(p));
    const gl = await startFreshGitLab({
        groups: [...BYSTANDERS.groups, ...kept(existing.groups), ...(hooks.seed?.groups ?? [])],
        projects: [...BYSTANDERS.projects, ...kept(existing.projects), ...(hooks.seed?.projects ?? [])],
    });
    const retries: string[] = [];
    // Unanswered requests end at the providers' per-attempt timeout, shortened so they cost seconds.
    const timeoutEnv = process.env.GITLAB_API_REQUEST_TIMEOUT_MS;
    if (opts.faults?.includes("timeout"))
        process.env.GITLAB_API_REQUEST_TIMEOUT_MS = String(SIMULATED_REQUEST_TIMEOUT_MS);
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void retries.push(args.map(String).join(" "));
    const report: SimulationReport = {
        stack: opts.stack,
        phases: [],
        inventory: [],
        problems: [],
        requests: 0,
        faulted: 0,
        retries,
    };
    try {
        const before = inventory(gl);
        // The providers talk to the fake GitLab only: its URL and token replace the stack's.
        const config = { ...files.config, "gitlab:baseUrl": gl.server.url, "gitlab:token": gl.server.token };
        const secretKeys = [...new Set([...files.secretKeys, "gitlab:token"])];

        // The platform stack's outputs, from its own program in update mode (no GitLab API objects there).
        const stackReferences: Record<string, { outputs: Record<string, unknown>; secretOutputNames: string[] }> = {};
        const platformStack = files.config[`${files.project}:platformStack`];
        if (platformStack) {
            const started = Date.now();
            const pf = readStackConfig(opts.dir, platformStack.split("/").pop()!);
            const platform = await simulateProgram(program, {
                project: pf.project,
                stack: platformStack,
                config: pf.config,
                secretKeys: pf.secretKeys,
            });
            if (platform.steps.length > 0)
                report.problems.push(
                    `platform stack ${platformStack}: declares ${platform.steps.length} GitLab API objects (expected none: they belong to the workloads stack)`,
                );
            stackReferences[platformStack] = {
                outputs: platform.rawOutputs,
                secretOutputNames: platform.secretOutputNames,
            };
            report.phases.push({
                name: "platform outputs",
                ms: Date.now() - started,
                resources: platform.resources.length,
            });
            log(`platform outputs: ${platformStack}: ${Object.keys(platform.rawOutputs).sort().join(", ")}`);
        }
        const run = (prior?: SimRun["state"], overrides: Record<string, string> = {}) =>
            simulateProgram(program, {
                project: files.project,
                stack: opts.stack,
                config: { ...config, ...overrides },
                secretKeys,
                stackReferences,
                prior,
            });

        for (const f of faultSchedule(opts.faults ?? [], "up")) gl.server.inject(f);
        let started = Date.now();
        const up = await run();
        report.phases.push(summarize(up, "up", Date.now() - started));
        log(
            `up: ${up.resources.length} resources, ${up.steps.length} GitLab API objects created in ${Date.now() - started} ms`,
        );
        const afterUp = inventory(gl);
        report.inventory = afterUp.filter((l) => !before.includes(l));
        hooks.afterUp?.(gl);
        const expected = inventory(gl);

        started = Date.now();
        const again = await run(up.state, hooks.secondUpConfig);
        report.phases.push(summarize(again, "second up", Date.now() - started));
        for (const s of again.steps.filter((x) => x.op !== "same"))
            report.problems.push(`second up: ${s.op} of ${s.urn} (drift in ${(s.diffs ?? []).join(", ") || "?"})`);
        const firstInputs = new Map(up.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
        for (const r of again.resources) {
            if (r.type.startsWith("pulumi-nodejs:dynamic")) continue; // compared by their providers' diff above
            if (firstInputs.get(r.urn) !== JSON.stringify(r.inputs))
                report.problems.push(`second up: ${r.urn} declared with other inputs than in the first up`);
        }
        if (again.resources.length !== up.resources.length)
            report.problems.push(
                `second up: ${again.resources.length} resources declared (first up: ${up.resources.length})`,
            );
        if (JSON.stringify(inventory(gl)) !== JSON.stringify(expected))
            report.problems.push("second up: GitLab changed although nothing should have");
        log(
            `second up: ${again.steps.filter((s) => s.op === "same").length}/${again.steps.length} unchanged in ${Date.now() - started} ms`,
        );

        hooks.beforeDestroy?.(again.state);
        for (const f of faultSchedule(opts.faults ?? [], "destroy")) gl.server.inject(f);
        started = Date.now();
        const deleted = await simulateDestroy(again.state, config, files.project);
        report.phases.push({ name: "destroy", ms: Date.now() - started, deleted: deleted.length });
        log(`destroy: ${deleted.length} GitLab API objects deleted in ${Date.now() - started} ms`);
        const leftover = inventory(gl).filter((l) => !before.includes(l));
        for (const l of leftover) report.problems.push(`destroy: left behind: ${l}`);
        for (const l of before.filter((x) => !inventory(gl).includes(x)))
            report.problems.push(`destroy: touched what the stack did not make: ${l} is gone or changed`);

        // No token the fake GitLab knows appears in the recorded plan, the outputs or any log line.
        const secrets = [gl.server.token, ...gl.server.minted];
        const texts = [
            JSON.stringify(up.resources),
            JSON.stringify(up.outputs),
            JSON.stringify(again.resources),
            ...retries,
        ];
        for (const s of secrets)
            if (texts.some((t) => t.includes(s)))
                report.problems.push(
                    `a token (${s.slice(0, 7)}...) appears in plaintext in the recording, outputs or logs`,
                );
        const unused = gl.server.requests.filter((r) => r.fault !== undefined).length;
        report.requests = gl.server.requests.length;
        report.faulted = unused;
        return report;
    } catch (e) {
        hooks.onError?.(gl);
        throw e;
    } finally {
        console.warn = warn;
        if (timeoutEnv === undefined) delete process.env.GITLAB_API_REQUEST_TIMEOUT_MS;
        else process.env.GITLAB_API_REQUEST_TIMEOUT_MS = timeoutEnv;
        await gl.server.close();
    }
}
