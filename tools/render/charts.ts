/**
 * Where a release's chart comes from: `helm pull` of the pinned chart and version (HTTP repository or OCI)
 * into the local chart cache when the repository answers, otherwise the newest package of that chart in
 * the directory named by `GITLAB_PLATFORM_CHART_CACHE`. Also reads a chart package (a gzipped tar) to give
 * the checks the chart's default values, subchart aliases and templates.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "fflate";
import { parse as parseYaml } from "yaml";
import { runHelm } from "./helm";

/** The chart of one `helm.v3.Release` as the plan pins it. */
export interface ChartRef {
    chart: string;
    version: string;
    repo?: string;
}

export type ChartSource =
    | { found: true; file: string; version: string; pinned: boolean; from: "pulled" | "chart cache" }
    | { found: false; reason: string };

/** `oci://host/path/flux-operator` -> `flux-operator`; `gitlab` -> `gitlab`. */
export function chartName(ref: ChartRef): string {
    return ref.chart.replace(/\/+$/, "").split("/").pop()!;
}

/** Compares two semantic versions (a pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
    const split = (v: string) => {
        const [core, pre] = v.replace(/^v/, "").split(/-(.*)/s);
        return { nums: core.split(".").map((n) => Number.parseInt(n, 10) || 0), pre: pre ?? "" };
    };
    const x = split(a);
    const y = split(b);
    for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
        const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
        if (d !== 0) return d;
    }
    if (x.pre === y.pre) return 0;
    if (!x.pre) return 1;
    if (!y.pre) return -1;
    return x.pre < y.pre ? -1 : 1;
}

/** The packages of chart `name` in `dir`, newest first. */
export function packagesIn(dir: string, name: string): { file: string; version: string }[] {
    if (!fs.existsSync(dir)) return [];
    const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(v?\\d+\\.\\d+\\.\\d+[^/]*)\\.tgz$`);
    return fs
        .readdirSync(dir)
        .flatMap((f) => {
            const m = pattern.exec(f);
            return m ? [{ file: path.join(dir, f), version: m[1] }] : [];
        })
        .sort((a, b) => compareVersions(b.version, a.version));
}

export interface ResolveOptions {
    helm: string;
    /** Where pulled charts are kept. */
    pullDir: string;
    /** `GITLAB_PLATFORM_CHART_CACHE`: upstream packages to fall back to. */
    chartCache?: string;
    /** Skip `helm pull` (no network expected). */
    offline: boolean;
    pullTimeoutMs?: number;
}

/** Finds the package to render for `ref`; the reason says every place that was tried. */
export async function resolveChart(ref: ChartRef, opts: ResolveOptions): Promise<ChartSource> {
    const name = chartName(ref);
    const tried: string[] = [];
    const pulled = path.join(opts.pullDir, `${name}-${ref.version}.tgz`);
    if (fs.existsSync(pulled)) return { found: true, file: pulled, version: ref.version, pinned: true, from: "pulled" };
    if (!opts.offline) {
        fs.mkdirSync(opts.pullDir, { recursive: true });
        const args =
            ref.chart.startsWith("oci://") || !ref.repo ? ["pull", ref.chart] : ["pull", ref.chart, "--repo", ref.repo];
        const res = await runHelm(opts.helm, [...args, "--version", ref.version, "--destination", opts.pullDir], {
            timeoutMs: opts.pullTimeoutMs ?? 15_000,
        });
        if (res.code === 0 && fs.existsSync(pulled))
            return { found: true, file: pulled, version: ref.version, pinned: true, from: "pulled" };
        tried.push(
            `helm pull ${ref.repo ? `${ref.repo} ` : ""}${ref.chart} ${ref.version}: ${firstLine(res.stderr) || `exit ${res.code}`}`,
        );
    } else {
        tried.push("helm pull skipped (--offline)");
    }
    if (opts.chartCache) {
        const newest = packagesIn(opts.chartCache, name)[0];
        if (newest)
            return {
                found: true,
                file: newest.file,
                version: newest.version,
                pinned: newest.version === ref.version,
                from: "chart cache",
            };
        tried.push(`no ${name}-<version>.tgz in ${opts.chartCache}`);
    } else {
        tried.push("GITLAB_PLATFORM_CHART_CACHE is not set");
    }
    return { found: false, reason: tried.join("; ") };
}

function firstLine(text: string): string {
    return text.trim().split("\n").filter(Boolean).pop() ?? "";
}

/** The files of a gzipped tar (ustar with PAX or GNU long names), by path. */
export function readTgz(gz: Buffer): Map<string, Buffer> {
    const tar = Buffer.from(gunzipSync(new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength)));
    const out = new Map<string, Buffer>();
    let longName: string | undefined;
    for (let off = 0; off + 512 <= tar.length;) {
        const header = tar.subarray(off, off + 512);
        if (header.every((b) => b === 0)) break;
        const str = (s: number, n: number) =>
            header
                .subarray(s, s + n)
                .toString("utf8")
                .replace(/\0.*$/s, "");
        const size = Number.parseInt(str(124, 12).trim() || "0", 8);
        const type = str(156, 1);
        const prefix = str(345, 155);
        const name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
        const body = tar.subarray(off + 512, off + 512 + size);
        longName = undefined;
        if (type === "L") longName = body.toString("utf8").replace(/\0.*$/s, "");
        else if (type === "x") longName = /\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
        else if (type === "0" || type === "") out.set(name, Buffer.from(body));
        off += 512 + Math.ceil(size / 512) * 512;
    }
    return out;
}

/** A chart as the checks see it: default values (subcharts under their key), and template texts. */
export interface ChartFacts {
    name: string;
    version: string;
    /** Default values with every subchart's defaults placed under its alias or name, globals merged. */
    defaults: Record<string, unknown>;
    /** Every template and helper text of the chart and its subcharts. */
    templates: string[];
}

function isMap(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Deep merge, `over` winning on scalars. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = isMap(out[k]) && isMap(v) ? merge(out[k], v) : v;
    return out;
}

/** Reads the chart facts of a package (subcharts shipped as directories or as nested .tgz). */
export function chartFacts(file: string): ChartFacts {
    return factsOf(readTgz(fs.readFileSync(file)));
}

function factsOf(files: Map<string, Buffer>): ChartFacts {
    const root = [...files.keys()].find((f) => /^[^/]+\/Chart\.yaml$/.test(f))!.split("/")[0];
    return factsAt(files, root);
}

function factsAt(files: Map<string, Buffer>, dir: string): ChartFacts {
    const load = (p: string) => (files.has(p) ? (parseYaml(files.get(p)!.toString("utf8")) as unknown) : undefined);
    const meta = (load(`${dir}/Chart.yaml`) ?? {}) as {
        name: string;
        version: string;
        dependencies?: { name: string; alias?: string }[];
    };
    let defaults = (load(`${dir}/values.yaml`) ?? {}) as Record<string, unknown>;
    if (!isMap(defaults)) defaults = {};
    const templates = [...files.entries()]
        .filter(([f]) => f.startsWith(`${dir}/templates/`) && !f.slice(dir.length + 11).includes("/charts/"))
        .map(([, b]) => b.toString("utf8"));
    const subdirs = new Set<string>();
    const nested: Map<string, Buffer>[] = [];
    for (const f of files.keys()) {
        const rest = f.startsWith(`${dir}/charts/`) ? f.slice(dir.length + 8) : undefined;
        if (!rest) continue;
        const m = /^([^/]+)\/Chart\.yaml$/.exec(rest);
        if (m) subdirs.add(`${dir}/charts/${m[1]}`);
        if (/^[^/]+\.tgz$/.test(rest)) nested.push(readTgz(files.get(f)!));
    }
    const subs = [...[...subdirs].map((d) => factsAt(files, d)), ...nested.map(factsOf)];
    let globals = isMap(defaults.global) ? defaults.global : {};
    for (const sub of subs) {
        const key = meta.dependencies?.find((d) => d.name === sub.name)?.alias ?? sub.name;
        const { global: subGlobal, ...subDefaults } = sub.defaults;
        defaults[key] = merge(subDefaults, isMap(defaults[key]) ? defaults[key] : {});
        if (isMap(subGlobal)) globals = merge(subGlobal, globals);
        templates.push(...sub.templates);
    }
    defaults.global = globals;
    return { name: meta.name, version: meta.version, defaults, templates };
}
