/**
 * Values keys that neither the chart nor any subchart uses have no effect. A key counts as known when the
 * chart's default values (subcharts under their key, globals merged) have it, when it sits below a default
 * that is an empty map or null (a free-form map such as nodeSelector or annotations), or when a template
 * reads a field of that name (many chart keys are undocumented in values.yaml). Keys the project sets on
 * purpose for the newer pinned chart are allowed by {@link ALLOWED_UNKNOWN_KEYS}, each with its reason.
 */
import type { ChartFacts } from "./charts";
import type { Finding } from "./findings";

/** A reviewed exception: a values key the rendered chart does not know, set on purpose. */
export interface AllowedKey {
    chart: string;
    key: string;
    reason: string;
}

/** Reviewed list. Keep each entry's reason current; remove an entry when the rendered chart knows the key. */
export const ALLOWED_UNKNOWN_KEYS: readonly AllowedKey[] = [
    {
        chart: "gitlab",
        key: "gatewayApiResources",
        reason: 'the Gateway, its listeners and the EnvoyProxy spec moved from global.gatewayApi.* to the top-level gatewayApiResources in chart 9.11.0 (CHANGELOG: "Gateway API: Unglobalize Gateway API resources", charts MR 4862); checked present in the 10.x values.yaml (gatewayApiResources.{class,gateway.{annotations,listeners},envoy.proxySpec}) and the 10.x gateway-api docs. The packaged 9.10.0 at hand predates it, so its render shows chart-default Envoy (1 replica, no PDB)',
    },
    {
        chart: "gitlab",
        key: "prometheus.alertmanager.config.route.group_by",
        reason: "Alertmanager's own route setting, not a chart key: the alertmanager chart (1.30.0, bundled by prometheus 27.52.0 in gitlab 9.10.0; unchanged in alertmanager chart 1.42.0) writes `config` minus `enabled` verbatim into alertmanager.yml (templates/configmap.yaml, toYaml), so every key of the Alertmanager configuration file takes effect although the chart's default route names only the receiver and intervals. Checked in the 9.10.0 render's ConfigMap",
    },
];

/** Maps whose keys are the user's own (labels, selectors, annotations), whatever defaults they ship with. */
const FREE_FORM_MAPS = new Set([
    "nodeSelector",
    "labels",
    "annotations",
    "podLabels",
    "podAnnotations",
    "commonLabels",
    "matchLabels",
    "extraEnv",
]);

function isMap(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Every identifier a template reads as `.name` (field access), once. */
export function templateFields(templates: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const t of templates) for (const m of t.matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)/g)) out.add(m[1]);
    // `index .Values "key-with-dash"` and `dig "key"` forms.
    for (const t of templates) for (const m of t.matchAll(/"([A-Za-z_][A-Za-z0-9_.-]*)"/g)) out.add(m[1]);
    return out;
}

/** Leaf paths of `values` that the chart does not use. */
export function unknownKeys(values: unknown, facts: ChartFacts, fields = templateFields(facts.templates)): string[] {
    const out: string[] = [];
    const walk = (v: unknown, d: unknown, at: string[]) => {
        if (!isMap(v)) return;
        for (const [k, child] of Object.entries(v)) {
            const p = [...at, k];
            const hasDefault = isMap(d) && k in d;
            const def = hasDefault ? (d as Record<string, unknown>)[k] : undefined;
            if (hasDefault) {
                // Below an empty map or null the chart takes anything (labels, selectors, free-form config).
                if (def === null || !isMap(def) || Object.keys(def).length === 0 || FREE_FORM_MAPS.has(k)) continue;
                walk(child, def, p);
                continue;
            }
            if (fields.has(k)) {
                continue; // read by a template, under a name values.yaml does not document
            }
            out.push(p.join("."));
        }
    };
    walk(values, facts.defaults, []);
    return out;
}

/** Warnings for unknown keys, minus the reviewed exceptions. */
export function unknownKeyFindings(
    release: string,
    values: unknown,
    facts: ChartFacts,
    allowed: readonly AllowedKey[] = ALLOWED_UNKNOWN_KEYS,
): Finding[] {
    return unknownKeys(values, facts)
        .filter((key) => !allowed.some((a) => a.chart === facts.name && a.key === key))
        .map((key) => ({
            severity: "warning" as const,
            check: "values",
            release,
            object: key,
            message: `chart ${facts.name} ${facts.version} and its subcharts do not use this values key: it has no effect`,
            fix: `check the key's spelling and place against the chart's values; if it is meant for a newer chart version, add it with the reason to ALLOWED_UNKNOWN_KEYS (tools/render/unknown-keys.ts)`,
        }));
}
