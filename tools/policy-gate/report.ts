/**
 * The gate's result and its three renderings: terminal text, JSON, and Markdown for merge requests.
 * Violations are grouped by severity (critical first), then enforcement (mandatory first).
 */
import type { Severity } from "@pulumi/policy";

export type ViolationSeverity = Severity | "unspecified";

/** One policy violation, with the policy's remediation. */
export interface GateViolation {
    policy: string;
    severity: ViolationSeverity;
    enforcementLevel: "mandatory" | "advisory";
    /** The resource; null for a stack-wide finding. */
    urn: string | null;
    /** `type` and `name` of the resource, from its URN. */
    resource: { type: string; name: string } | null;
    message: string;
    description: string;
    remediation: string;
}

export interface GateResult {
    version: 1;
    project: string;
    stack: string;
    pack: { name: string; version: string };
    /** The policy config file applied, relative to the working directory; null for the pack's defaults. */
    config: string | null;
    passed: boolean;
    summary: { resources: number; policies: number; mandatory: number; advisory: number };
    violations: GateViolation[];
}

export const SEVERITY_ORDER: readonly ViolationSeverity[] = ["critical", "high", "medium", "low", "unspecified"];
const LEVEL_ORDER = ["mandatory", "advisory"] as const;

/** Violations in report order: severity, enforcement, policy, resource, message. */
export function sortViolations(vs: readonly GateViolation[]): GateViolation[] {
    return [...vs].sort(
        (a, b) =>
            SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
            LEVEL_ORDER.indexOf(a.enforcementLevel) - LEVEL_ORDER.indexOf(b.enforcementLevel) ||
            a.policy.localeCompare(b.policy) ||
            (a.urn ?? "").localeCompare(b.urn ?? "") ||
            a.message.localeCompare(b.message),
    );
}

function plural(n: number, word: string, many = `${word}s`): string {
    return `${n} ${n === 1 ? word : many}`;
}

function headline(r: GateResult): string {
    return r.passed
        ? `passed: no mandatory violation${r.summary.advisory > 0 ? `, ${plural(r.summary.advisory, "advisory violation")}` : ""}`
        : `failed: ${plural(r.summary.mandatory, "mandatory violation")}${r.summary.advisory > 0 ? `, ${plural(r.summary.advisory, "advisory violation")}` : ""}`;
}

function resourceLabel(v: GateViolation): string {
    return v.resource ? `${v.resource.type} ${v.resource.name}` : "(stack)";
}

/** Terminal output: by severity, then enforcement and policy, each violation with its URN, each policy's fix once. */
export function renderText(r: GateResult): string {
    const lines = [
        `Policy gate ${r.project}/${r.stack}: pack ${r.pack.name}@${r.pack.version}, config ${r.config ?? "(pack defaults)"}`,
        `${plural(r.summary.policies, "policy", "policies")} over ${plural(r.summary.resources, "resource")}`,
    ];
    for (const severity of SEVERITY_ORDER) {
        const group = r.violations.filter((v) => v.severity === severity);
        if (group.length === 0) continue;
        lines.push("", severity.toUpperCase());
        const byPolicy = new Map<string, GateViolation[]>();
        for (const v of group)
            byPolicy.set(`${v.enforcementLevel} ${v.policy}`, [
                ...(byPolicy.get(`${v.enforcementLevel} ${v.policy}`) ?? []),
                v,
            ]);
        for (const vs of byPolicy.values()) {
            lines.push(`  [${vs[0].enforcementLevel}] ${vs[0].policy} (${vs.length})`);
            for (const v of vs) {
                lines.push(`    - ${v.urn ?? "(stack)"}`);
                lines.push(...v.message.split("\n").map((l) => `      ${l}`));
            }
            lines.push(`    fix: ${vs[0].remediation}`);
        }
    }
    lines.push("", `Result: ${headline(r)}`);
    return lines.join("\n") + "\n";
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
}

/** Markdown for a merge request note. */
export function renderMarkdown(r: GateResult): string {
    const icon = r.passed ? "✅" : "❌";
    const out = [
        `### ${icon} Policy gate \`${r.project}/${r.stack}\`: ${headline(r)}`,
        "",
        `Pack \`${r.pack.name}@${r.pack.version}\`, config \`${r.config ?? "pack defaults"}\`, ${plural(r.summary.policies, "policy", "policies")} over ${plural(r.summary.resources, "resource")}.`,
    ];
    if (r.violations.length > 0) {
        out.push("", "| Severity | Level | Policy | Resource | Violation |", "| --- | --- | --- | --- | --- |");
        for (const v of r.violations) {
            out.push(
                `| ${v.severity} | ${v.enforcementLevel} | \`${v.policy}\` | ${cell(resourceLabel(v))} | ${cell(v.message)} |`,
            );
        }
        const policies = [...new Map(r.violations.map((v) => [v.policy, v])).values()];
        out.push("", "<details><summary>How to fix</summary>", "");
        for (const v of policies) out.push(`- **\`${v.policy}\`** (${v.description}): ${v.remediation}`);
        out.push("", "</details>");
    }
    return out.join("\n") + "\n";
}
