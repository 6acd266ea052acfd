/**
 * The render layer: plans a stack offline, then renders every `kubernetes:helm.sh/v3:Release` with the real
 * helm (`helm template`) using exactly the plan's values, release name, namespace and the stack's Kubernetes
 * version, and runs the checks on what renders. Pure orchestration over {@link renderPlan} so tests can feed a
 * changed plan without planning again.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parseAllDocuments } from "yaml";
import type { PlannedResource } from "../plan/engine";
import type { Plan } from "../plan/format";
import { planStack } from "../plan/plan-stack";
import { chartFacts, chartName, resolveChart, type ChartFacts, type ChartRef } from "./charts";
import type { Finding } from "./findings";
import { cacheDir, helmBinary, runHelm } from "./helm";
import { replaceMasks, type Replaced } from "./placeholders";
import { podSecurityFindings, type PssLevel } from "./pod-security";
import { runnerConfigFindings } from "./runner-config";
import { schemaFindings } from "./schema";
import { secretFindings, type KnownSecret } from "./secrets";
import { unknownKeyFindings, type AllowedKey } from "./unknown-keys";
import type { K8sObject } from "./workloads";

export const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";

/**
 * Charts allowed to stay unrendered when no package can be found (a warning, not an error), each with its
 * reason. Reviewed list; `--strict` turns these into errors too.
 */
export const NOT_RENDERED_ALLOWED: readonly { chart: string; reason: string }[] = [
    {
        chart: "gitlab-agent",
        reason: "no upstream package of the gitlab-agent chart is kept in ../shared/charts (see its README); rendered when charts.gitlab.io answers",
    },
    // The prod platform's cluster add-ons (issues 18, 19): no package in ../shared/charts either; their values
    // are covered by the components' own tests until a package is kept there or their repositories answer.
    {
        chart: "cluster-autoscaler",
        reason: "no package in ../shared/charts; rendered when kubernetes.github.io/autoscaler answers",
    },
    {
        chart: "external-dns",
        reason: "no package in ../shared/charts; rendered when kubernetes-sigs.github.io/external-dns answers",
    },
    {
        chart: "gateway-crds-helm",
        reason: "no package in ../shared/charts (CRDs only, no workloads); rendered when docker.io/envoyproxy answers",
    },
];

export interface RenderOptions {
    /** `GITLAB_PLATFORM_CHART_CACHE`. */
    chartCache?: string;
    /** Skip `helm pull` (CI has no network). */
    offline?: boolean;
    /** Where rendered manifests and the values used are written. */
    outDir?: string;
    /** Every unrendered release is an error, even an allowed one. */
    strict?: boolean;
    /** Reviewed unknown-key exceptions (defaults to ALLOWED_UNKNOWN_KEYS). */
    allowedKeys?: readonly AllowedKey[];
    helm?: string;
    env?: NodeJS.ProcessEnv;
}

export interface ReleaseReport {
    /** `<namespace>/<release name>`. */
    release: string;
    chart: string;
    pinnedVersion: string;
    rendered?: { version: string; pinned: boolean; from: string; objects: number; ms: number };
    notRendered?: string;
    /** Masked plan values replaced by dummies. */
    replaced: Replaced[];
    schemaChecked?: number;
    schemaSkipped?: string[];
}

export interface RenderReport {
    stack: string;
    kubeVersion: string;
    releases: ReleaseReport[];
    findings: Finding[];
}

/** Secret key names seen at registration (values dropped at once), by resource name. */
export type SecretKeys = Map<string, ReadonlySet<string> | undefined>;

function isMap(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Records the key names of every Secret's data/stringData, never the values. */
export function secretKeyRecorder(): {
    keys: SecretKeys;
    onRegister: (type: string, name: string, inputs: Record<string, unknown>) => void;
} {
    const keys: SecretKeys = new Map();
    return {
        keys,
        onRegister: (type, name, inputs) => {
            if (type !== "kubernetes:core/v1:Secret") return;
            const names = new Set<string>();
            let open = false;
            for (const field of ["data", "stringData"]) {
                let v = inputs[field];
                if (isMap(v) && v[specialSigKey] === specialSecretSig) v = v.value;
                if (v === undefined) continue;
                if (isMap(v)) Object.keys(v).forEach((k) => names.add(k));
                else open = true; // unknown at plan time: any key may be there
            }
            keys.set(name, open ? undefined : names);
        },
    };
}

/** Plans `stack` (in `dir`) and renders it. */
export async function renderStack(
    dir: string,
    stack: string,
    opts: RenderOptions = {},
): Promise<RenderReport & { plan: Plan; secretKeys: SecretKeys }> {
    const recorder = secretKeyRecorder();
    const plan = await planStack({ dir, stack, onRegister: recorder.onRegister });
    const report = await renderPlan(plan, recorder.keys, opts);
    return { ...report, plan, secretKeys: recorder.keys };
}

function namespaceLevels(plan: Plan): Map<string, PssLevel> {
    const out = new Map<string, PssLevel>();
    for (const r of plan.resources) {
        if (r.type !== "kubernetes:core/v1:Namespace") continue;
        const meta = (r.inputs.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
        const level = meta.labels?.["pod-security.kubernetes.io/enforce"];
        if (meta.name) out.set(meta.name, level === "restricted" || level === "baseline" ? level : "privileged");
    }
    return out;
}

function planSecrets(plan: Plan, keys: SecretKeys): KnownSecret[] {
    return plan.resources.flatMap((r: PlannedResource) => {
        if (r.type !== "kubernetes:core/v1:Secret") return [];
        const meta = (r.inputs.metadata ?? {}) as { name?: string; namespace?: string };
        if (!meta.name) return [];
        let names: ReadonlySet<string> | undefined;
        const direct = [r.inputs.data, r.inputs.stringData].filter(isMap);
        if (direct.length > 0) names = new Set(direct.flatMap((d) => Object.keys(d)));
        else names = keys.has(r.name) ? keys.get(r.name) : undefined;
        return [
            { namespace: meta.namespace ?? "default", name: meta.name, keys: names, origin: `plan resource ${r.name}` },
        ];
    });
}

const factsCache = new Map<string, ChartFacts>();
function factsOf(file: string): ChartFacts {
    let f = factsCache.get(file);
    if (!f) factsCache.set(file, (f = chartFacts(file)));
    return f;
}

/** Renders every Helm release of `plan` and checks what renders. */
export async function renderPlan(plan: Plan, secretKeys: SecretKeys, opts: RenderOptions = {}): Promise<RenderReport> {
    const env = opts.env ?? process.env;
    const helm = opts.helm ?? helmBinary(env);
    const kubeVersion = String(plan.outputs.kubernetesVersion ?? "");
    if (!/^\d+\.\d+(\.\d+)?$/.test(kubeVersion))
        throw new Error(
            `stack ${plan.stack} has no kubernetesVersion output (got ${JSON.stringify(plan.outputs.kubernetesVersion)})`,
        );
    const levels = namespaceLevels(plan);
    const known = planSecrets(plan, secretKeys);
    const findings: Finding[] = [];
    const releases: ReleaseReport[] = [];
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "render-"));
    try {
        for (const r of plan.resources.filter((x) => x.type === RELEASE_TYPE)) {
            const inputs = r.inputs as {
                chart: string;
                version: string;
                name?: string;
                namespace?: string;
                values?: unknown;
                repositoryOpts?: { repo?: string };
            };
            const ref: ChartRef = { chart: inputs.chart, version: inputs.version, repo: inputs.repositoryOpts?.repo };
            const name = inputs.name ?? r.name;
            const namespace = inputs.namespace ?? "default";
            const release = `${namespace}/${name}`;
            const report: ReleaseReport = { release, chart: chartName(ref), pinnedVersion: ref.version, replaced: [] };
            releases.push(report);
            const source = await resolveChart(ref, {
                helm,
                pullDir: path.join(cacheDir(env), "charts"),
                chartCache: opts.chartCache,
                offline: opts.offline ?? false,
            });
            if (!source.found) {
                report.notRendered = source.reason;
                const allowed = NOT_RENDERED_ALLOWED.find((a) => a.chart === report.chart);
                findings.push({
                    severity: allowed && !opts.strict ? "warning" : "error",
                    check: "chart",
                    release,
                    object: `chart ${report.chart} ${ref.version}`,
                    message: `NOT RENDERED: no package found (${source.reason})${allowed ? `; allowed: ${allowed.reason}` : ""}`,
                    fix: `make the chart repository reachable, or put ${report.chart}-<version>.tgz into GITLAB_PLATFORM_CHART_CACHE`,
                });
                continue;
            }
            const facts = factsOf(source.file);
            const masked = replaceMasks(inputs.values ?? {}, facts.defaults);
            report.replaced = masked.replaced;
            const valuesFile = path.join(opts.outDir ?? work, `${namespace}-${name}.values.json`);
            if (opts.outDir) fs.mkdirSync(opts.outDir, { recursive: true });
            fs.writeFileSync(valuesFile, JSON.stringify(masked.values, null, 2) + "\n");
            const started = Date.now();
            const res = await runHelm(helm, [
                "template",
                name,
                source.file,
                "--namespace",
                namespace,
                "--kube-version",
                kubeVersion,
                "--values",
                valuesFile,
            ]);
            const ms = Date.now() - started;
            if (res.code !== 0) {
                findings.push({
                    severity: "error",
                    check: "helm",
                    release,
                    object: `chart ${facts.name} ${facts.version}`,
                    message: `helm template failed: ${res.stderr.trim().split("\n").slice(-3).join(" ")}`,
                    fix: "set the values the chart's own check asks for (the message above names them)",
                });
                report.rendered = { version: source.version, pinned: source.pinned, from: source.from, objects: 0, ms };
                continue;
            }
            if (opts.outDir) fs.writeFileSync(path.join(opts.outDir, `${namespace}-${name}.yaml`), res.stdout);
            const objects = parseAllDocuments(res.stdout)
                .map((d) => d.toJS() as K8sObject | null)
                .filter((o): o is K8sObject => isMap(o));
            report.rendered = {
                version: source.version,
                pinned: source.pinned,
                from: source.from,
                objects: objects.length,
                ms,
            };
            findings.push(...unknownKeyFindings(release, inputs.values ?? {}, facts, opts.allowedKeys));
            findings.push(...secretFindings(release, objects, namespace, known));
            findings.push(...podSecurityFindings(release, objects, namespace, (ns) => levels.get(ns) ?? "privileged"));
            const schema = await schemaFindings(release, objects);
            findings.push(...schema.findings);
            report.schemaChecked = schema.checked;
            report.schemaSkipped = schema.skipped;
            if (facts.name === "gitlab-runner") findings.push(...runnerConfigFindings(release, inputs.values));
        }
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
    return { stack: plan.stack, kubeVersion, releases, findings };
}

/** The human report: one line per release, then the findings. */
export function formatReport(report: RenderReport): string {
    const lines = [`render: ${report.stack} (Kubernetes ${report.kubeVersion})`];
    for (const r of report.releases) {
        if (r.rendered) {
            const pin = r.rendered.pinned ? "pinned version" : `NOT the pinned ${r.pinnedVersion}`;
            lines.push(
                `  ${r.release}: rendered chart ${r.chart} ${r.rendered.version} (${pin}, from ${r.rendered.from}), ${r.rendered.objects} objects, ${r.rendered.ms} ms`,
            );
        } else {
            lines.push(`  ${r.release}: NOT RENDERED chart ${r.chart} ${r.pinnedVersion}`);
        }
        if (r.replaced.length > 0)
            lines.push(
                `    placeholders replaced by dummies: ${r.replaced.map((p) => `${p.path} (${p.mask})`).join(", ")}`,
            );
        if (r.schemaSkipped?.length)
            lines.push(
                `    schema-checked ${r.schemaChecked} objects; no schema package for: ${r.schemaSkipped.join(", ")}`,
            );
    }
    return lines.join("\n");
}
