/**
 * Starts the policy pack the way the Pulumi CLI does and stops it again, always.
 *
 * The CLI (through the Node.js language host's RunPlugin, pulumi-language-nodejs main.go) runs
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine address> <pack directory>` with the pack directory
 * as working directory and PULUMI_NODEJS_PROJECT/STACK/DRY_RUN set. run-policy-pack drops the engine
 * address, registers ts-node (type-checking) and requires the program; `new PolicyPack(...)` reads the
 * version from `./package.json`, starts the analyzer gRPC server on 127.0.0.1 and prints its port on
 * stdout. The pack never dials the engine, so the gate passes a placeholder address.
 *
 * `compile: "ts-node"` is exactly that. `compile: "bundle"` (the default) first bundles the pack's own
 * TypeScript into one CommonJS file with esbuild (packages stay external, resolved from the repository's
 * node_modules) and hands run-policy-pack that file: same entry point, same process and protocol, no
 * type-checking compile (a cold ts-node cache costs 10 s and more; `npm run build` type-checks the pack).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as esbuildApi from "esbuild";

/** How the pack's TypeScript is compiled. */
export type PackCompile = "bundle" | "ts-node";

export interface PackProcessOptions {
    /** Directory with PulumiPolicy.yaml, package.json and index.ts. */
    packDir: string;
    compile: PackCompile;
    /** Sent as PULUMI_NODEJS_PROJECT / PULUMI_NODEJS_STACK, as the language host does. */
    project: string;
    stack: string;
    /** Milliseconds to wait for the port. */
    startTimeoutMs: number;
    /** Called with the process id right after the spawn (tests check it is gone afterwards). */
    onSpawn?: (pid: number) => void;
}

/** A running pack process. */
export interface PackProcess {
    readonly pid: number;
    readonly port: number;
    /** Everything the pack wrote to stderr so far. */
    stderr(): string;
    /** Stops the process (SIGTERM, SIGKILL after a grace period) and removes the bundle; safe to call twice. */
    stop(): Promise<void>;
}

/** Placeholder for the engine address argument: the pack never connects to it. */
const ENGINE_ADDRESS = "127.0.0.1:0";

/**
 * Loaded into the pack before run-policy-pack: the pack exits when its stdin (a pipe from the gate)
 * closes, so even a gate killed with SIGKILL leaves no analyzer server behind.
 */
const ORPHAN_GUARD = `data:text/javascript,${encodeURIComponent("process.stdin.on('end', () => process.exit(1)).resume();")}`;
const KILL_GRACE_MS = 2000;
const STALE_BUNDLE_MS = 60 * 60 * 1000;

const requireFromHere = createRequire(__filename);

/** Bundles the pack's entry point into `<packDir>/../node_modules/.cache/policy-gate/<unique>/index.js`. */
function bundle(packDir: string): { entry: string; cleanup: () => void } {
    // esbuild comes with tsx (a pinned devDependency); resolved through it, so its version is the one tsx uses.
    const esbuild = createRequire(requireFromHere.resolve("tsx/package.json"))("esbuild") as typeof esbuildApi;
    const cacheRoot = path.join(path.dirname(path.resolve(packDir)), "node_modules", ".cache", "policy-gate");
    fs.mkdirSync(cacheRoot, { recursive: true });
    // Bundles left by a gate killed with SIGKILL: gone after an hour.
    for (const old of fs.readdirSync(cacheRoot)) {
        const at = path.join(cacheRoot, old);
        if (Date.now() - fs.statSync(at).mtimeMs > STALE_BUNDLE_MS) fs.rmSync(at, { recursive: true, force: true });
    }
    const dir = fs.mkdtempSync(path.join(cacheRoot, "pack-"));
    const entry = path.join(dir, "index.js");
    const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
    try {
        esbuild.buildSync({
            entryPoints: [path.join(packDir, "index.ts")],
            bundle: true,
            packages: "external",
            platform: "node",
            format: "cjs",
            target: "node22",
            sourcemap: "inline",
            outfile: entry,
            logLevel: "silent",
        });
    } catch (err) {
        cleanup();
        throw new Error(`cannot bundle the policy pack: ${(err as Error).message}`, { cause: err });
    }
    return { entry, cleanup };
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve(true);
        });
    });
}

/**
 * Starts the pack and resolves once it printed its port. On any failure (compile error, early exit,
 * timeout) the process is stopped before the promise rejects.
 */
export async function startPackProcess(opts: PackProcessOptions): Promise<PackProcess> {
    const packDir = path.resolve(opts.packDir);
    // Resolved from the pack's directory, as the language host's locateModule does: the pack's own SDK.
    const runPolicyPack = path.dirname(
        createRequire(path.join(packDir, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js"),
    );
    const built = opts.compile === "bundle" ? bundle(packDir) : undefined;
    const program = built ? built.entry : ".";
    const child = spawn(process.execPath, ["--import", ORPHAN_GUARD, runPolicyPack, ENGINE_ADDRESS, program], {
        cwd: packDir,
        env: {
            ...process.env,
            PULUMI_NODEJS_PROJECT: opts.project,
            PULUMI_NODEJS_STACK: opts.stack,
            PULUMI_NODEJS_DRY_RUN: "true",
        },
        stdio: ["pipe", "pipe", "pipe"],
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    // If this process ends without stop() (a crash, process.exit), the pack and its bundle go with it.
    const killOnExit = () => {
        child.kill("SIGKILL");
        built?.cleanup();
    };
    process.once("exit", killOnExit);

    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> =>
        (stopped ??= (async () => {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGTERM");
                if (!(await waitForExit(child, KILL_GRACE_MS))) {
                    child.kill("SIGKILL");
                    await waitForExit(child, KILL_GRACE_MS);
                }
            }
            process.removeListener("exit", killOnExit);
            built?.cleanup();
        })());

    try {
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const timer = setTimeout(
                () => reject(new Error(`policy pack did not print its port within ${opts.startTimeoutMs} ms`)),
                opts.startTimeoutMs,
            );
            child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
                stdout += chunk;
                const line = stdout.split("\n").find((l) => /^\d+$/.test(l.trim()));
                if (line !== undefined) {
                    clearTimeout(timer);
                    resolve(Number(line.trim()));
                }
            });
            child.once("error", (err) => {
                clearTimeout(timer);
                reject(err);
            });
            child.once("exit", (code, signal) => {
                clearTimeout(timer);
                reject(new Error(`policy pack exited (${signal ?? `code ${code}`}) before it printed its port`));
            });
        });
        return { pid: child.pid!, port, stderr: () => stderr, stop };
    } catch (err) {
        await stop();
        const detail = stderr.trim() ? `\n${stderr.trim().split("\n").slice(-20).join("\n")}` : "";
        throw new Error(`${(err as Error).message}${detail}`, { cause: err });
    }
}
