/**
 * Measurements: one offline plan per fresh child process (tools/bench/child.ts, which runs the plan CLI),
 * its wall time seen from here and its own peak RSS and CPU time; the machine and its load.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { median } from "./growth";

/** One plan run. */
export interface Run {
    wallMs: number;
    cpuMs: number;
    peakRssMb: number;
    resources: number;
    /** 1-minute load average when the run started. */
    load1: number;
}

/** Runs of one stack, summarized by medians. */
export interface Case {
    label: string;
    stack: string;
    runs: Run[];
    resources: number;
    wallMs: number;
    cpuMs: number;
    peakRssMb: number;
    resourcesPerSecond: number;
    /** The plan JSON of the last run. */
    planFile: string;
}

/** A stack that did not plan: the CLI's exit code and first error lines. */
export interface Failure {
    label: string;
    stack: string;
    code: number;
    message: string;
}

const CHILD = path.join(__dirname, "child.ts");

/** Plans `stack` from `dir` once, in a fresh process, writing the plan JSON to `planFile`. */
export function runPlan(repoRoot: string, dir: string, stack: string, planFile: string): Promise<Run | Failure> {
    const usageFile = `${planFile}.usage.json`;
    fs.rmSync(usageFile, { force: true });
    const load1 = os.loadavg()[0];
    const started = performance.now();
    const child = spawn(
        process.execPath,
        ["--import", "tsx", CHILD, "--stack", stack, "--dir", dir, "--json", planFile],
        {
            cwd: repoRoot,
            env: { ...process.env, BENCH_USAGE_FILE: usageFile },
            stdio: ["ignore", "pipe", "pipe"],
        },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    return new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code) => {
            const wallMs = performance.now() - started;
            if (code !== 0) {
                resolve({
                    label: stack,
                    stack,
                    code: code ?? -1,
                    message: stderr
                        .split("\n")
                        .filter((l) => l.trim() && !l.startsWith("npm warn"))
                        .slice(0, 4)
                        .join(" / "),
                });
                return;
            }
            const usage = JSON.parse(fs.readFileSync(usageFile, "utf8")) as {
                maxRssKb: number;
                userMicros: number;
                systemMicros: number;
            };
            const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as { resources: unknown[] };
            resolve({
                wallMs,
                cpuMs: (usage.userMicros + usage.systemMicros) / 1000,
                peakRssMb: usage.maxRssKb / 1024,
                resources: plan.resources.length,
                load1,
            });
        });
    });
}

export function isFailure<T extends object>(r: T | Failure): r is Failure {
    return (r as Failure).code !== undefined;
}

/** `runs` fresh-process plans of one stack, summarized by medians; a failure of the first run stops it. */
export async function measureCase(
    repoRoot: string,
    dir: string,
    stack: string,
    label: string,
    runs: number,
    workDir: string,
    log: (s: string) => void,
): Promise<Case | Failure> {
    const planFile = path.join(workDir, `${label}.plan.json`);
    const results: Run[] = [];
    for (let i = 0; i < runs; i++) {
        const r = await runPlan(repoRoot, dir, stack, planFile);
        if (isFailure(r)) return { ...r, label };
        results.push(r);
        log(
            `  ${label} run ${i + 1}/${runs}: ${(r.wallMs / 1000).toFixed(2)} s wall, ${(r.cpuMs / 1000).toFixed(2)} s CPU, ${r.peakRssMb.toFixed(0)} MB, ${r.resources} resources, load ${r.load1.toFixed(2)}`,
        );
    }
    const wallMs = median(results.map((r) => r.wallMs));
    return {
        label,
        stack,
        runs: results,
        resources: results[0].resources,
        wallMs,
        cpuMs: median(results.map((r) => r.cpuMs)),
        peakRssMb: median(results.map((r) => r.peakRssMb)),
        resourcesPerSecond: results[0].resources / (wallMs / 1000),
        planFile,
    };
}

/** The machine the numbers come from. */
export interface Machine {
    cpus: number;
    cpuModel: string;
    memory: string;
    node: string;
    platform: string;
}

export function machine(): Machine {
    const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
    const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
    const free = spawnSync("free", ["-h"], { encoding: "utf8" });
    const memLine = free.status === 0 ? free.stdout.split("\n").find((l) => l.startsWith("Mem:")) : undefined;
    const memory = memLine
        ? `${memLine.trim().split(/\s+/)[1]} total, ${memLine.trim().split(/\s+/)[6] ?? "?"} available (free -h)`
        : `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
    return {
        cpus: os.availableParallelism(),
        cpuModel: model.trim(),
        memory,
        node: process.version,
        platform: `${os.type()} ${os.release()} ${os.arch()}`,
    };
}

/** Wall time and exit code of a shell command (e.g. `npm test`). */
export function timeCommand(
    command: string,
    cwd: string,
): Promise<{ command: string; wallMs: number; code: number; load1: number }> {
    const load1 = os.loadavg()[0];
    const started = performance.now();
    const child = spawn("sh", ["-c", command], { cwd, stdio: "ignore" });
    return new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code) => resolve({ command, wallMs: performance.now() - started, code: code ?? -1, load1 }));
    });
}
