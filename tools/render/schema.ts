/**
 * Rendered objects of built-in kinds validated against the official schemas of `kubernetes-models`
 * (ESM-only, loaded with dynamic import()); Flux kinds against `@kubernetes-models/flux-cd`. Other custom
 * resources (cert-manager, Gateway API, Envoy Gateway) have no schema package installed here: they are
 * counted as not schema-checked, never failed.
 */
import type { Finding } from "./findings";
import { objectName, type K8sObject } from "./workloads";

type ModelClass = new (data: unknown) => { validate(): void };
const cache = new Map<string, Promise<Record<string, unknown> | undefined>>();

function load(spec: string): Promise<Record<string, unknown> | undefined> {
    let p = cache.get(spec);
    if (!p) {
        p = import(spec).then(
            (m) => m as Record<string, unknown>,
            () => undefined,
        );
        cache.set(spec, p);
    }
    return p;
}

/** The model class for an apiVersion and kind, or undefined when no schema package covers it. */
export async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const spec = group.endsWith("fluxcd.io")
        ? `@kubernetes-models/flux-cd/${group}/${version}`
        : group === ""
          ? `kubernetes-models/${version}`
          : group.includes(".") && !group.endsWith(".k8s.io")
            ? undefined
            : `kubernetes-models/${group}/${version}`;
    if (!spec) return undefined;
    const mod = await load(spec);
    return typeof mod?.[kind] === "function" ? (mod[kind] as ModelClass) : undefined;
}

/** Schema findings, and how many objects were checked and skipped (no schema package). */
export async function schemaFindings(
    release: string,
    objects: readonly K8sObject[],
): Promise<{ findings: Finding[]; checked: number; skipped: string[] }> {
    const findings: Finding[] = [];
    const skipped = new Set<string>();
    let checked = 0;
    for (const obj of objects) {
        if (!obj.apiVersion || !obj.kind) {
            findings.push({
                severity: "error",
                check: "schema",
                release,
                object: objectName(obj),
                message: "rendered object has no apiVersion or kind",
                fix: "fix the chart values that produce it",
            });
            continue;
        }
        const Model = await modelFor(obj.apiVersion, obj.kind);
        if (!Model) {
            skipped.add(`${obj.apiVersion} ${obj.kind}`);
            continue;
        }
        checked++;
        try {
            new Model(obj).validate();
        } catch (err) {
            findings.push({
                severity: "error",
                check: "schema",
                release,
                object: objectName(obj),
                message: `does not match the ${obj.apiVersion} ${obj.kind} schema: ${(err as Error).message.split("\n").slice(0, 3).join(" ")}`,
                fix: "correct the chart value that produces this field (type, name or required field)",
            });
        }
    }
    return { findings, checked, skipped: [...skipped].sort() };
}
