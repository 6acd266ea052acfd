/**
 * The human side of the plan diff, for merge-request notes: counts, each change with its property paths and
 * replacement reasons, and a Mermaid graph of the changed part (GitLab renders ```mermaid blocks).
 */
import type { ChangeKind, GraphNode, PlanDiff, PropertyChange, ResourceChange } from "./diff";
import type { ChangeImpact, GateVerdict, ImpactFinding } from "./impact";
import type { ImpactClass } from "./impact-rules";

/** Values longer than this are cut in table cells; the JSON output keeps them whole. */
export const MAX_VALUE_CHARS = 120;
/** Above this many nodes the graph is left out: it would be unreadable. */
export const MAX_GRAPH_NODES = 60;

const SYMBOL: Record<ChangeKind, string> = { replace: "±", remove: "-", update: "~", add: "+" };
const HEADING: Record<ChangeKind, string> = {
    replace: "To replace",
    remove: "To remove",
    update: "To update",
    add: "To add",
};

/** `urn:pulumi:dev::proj::a:b:Parent$kubernetes:core/v1:Namespace::web` -> `kubernetes:core/v1:Namespace::web`. */
export function shortUrn(urn: string): string {
    const name = urn.lastIndexOf("::");
    const qualifiedType = urn.slice(urn.lastIndexOf("::", name - 1) + 2, name);
    return `${qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1)}::${urn.slice(name + 2)}`;
}

function code(text: string): string {
    const cut = text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
    const escaped = cut.replace(/\|/g, "\\|");
    return escaped.includes("`") ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

function cell(value: unknown, side: "old" | "new", p: PropertyChange): string {
    if (value === undefined) return "—";
    if (p.secret) return "*secret*";
    if (side === "new" && p.unknown) return "*known during the update*";
    if (typeof value === "string" && value.startsWith("urn:pulumi:")) return code(shortUrn(value));
    return code(JSON.stringify(value));
}

function propertyRows(c: ResourceChange): string[] {
    const rows = [
        ...c.inputs.map((p) => `| ${code(p.path)} | ${cell(p.old, "old", p)} | ${cell(p.new, "new", p)} |`),
        ...c.options.map((p) => `| ${code(p.path)} *(option)* | ${cell(p.old, "old", p)} | ${cell(p.new, "new", p)} |`),
    ];
    return rows.length === 0 ? [] : ["| property | before | after |", "| --- | --- | --- |", ...rows, ""];
}

function resourceSection(c: ResourceChange): string[] {
    const lines = [`##### ${SYMBOL[c.kind]} \`${c.name}\` · \`${c.type}\``, ""];
    if (c.oldUrn) lines.push(`URN changes from \`${c.oldUrn}\` to \`${c.urn}\`.`, "");
    if (c.replaceReasons.length > 0) lines.push("Replaced because:", ...c.replaceReasons.map((r) => `- ${r}`), "");
    return [...lines, ...propertyRows(c)];
}

const listItem = (c: ResourceChange) => `- \`${c.name}\` · \`${c.type}\``;

function mermaidLabel(n: GraphNode): string {
    const esc = (s: string) =>
        s.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
    const mark = n.kind === "context" ? "" : `${SYMBOL[n.kind]} `;
    return `"${esc(mark + n.name)}<br/>${esc(n.type)}"`;
}

/** A Mermaid flowchart of the changed part: parents as solid edges, dependencies dotted. */
export function mermaidGraph(graph: PlanDiff["graph"]): string[] {
    const id = new Map(graph.nodes.map((n, i) => [n.urn, `r${i}`]));
    const lines = ["```mermaid", "flowchart TD"];
    for (const n of graph.nodes) lines.push(`  ${id.get(n.urn)}[${mermaidLabel(n)}]`);
    for (const e of graph.edges)
        lines.push(
            e.kind === "parent"
                ? `  ${id.get(e.from)} --> ${id.get(e.to)}`
                : `  ${id.get(e.from)} -. depends on .-> ${id.get(e.to)}`,
        );
    const styles: Record<GraphNode["kind"], string> = {
        add: "fill:#dafbe1,stroke:#1a7f37",
        remove: "fill:#ffebe9,stroke:#cf222e",
        update: "fill:#fff8c5,stroke:#9a6700",
        replace: "fill:#ffe2cc,stroke:#bc4c00",
        context: "fill:#f6f8fa,stroke:#8c959f,color:#57606a",
    };
    for (const kind of Object.keys(styles) as Array<GraphNode["kind"]>) {
        const members = graph.nodes.filter((n) => n.kind === kind).map((n) => id.get(n.urn));
        if (members.length > 0)
            lines.push(`  classDef ${kind} ${styles[kind]}`, `  class ${members.join(",")} ${kind}`);
    }
    return [...lines, "```"];
}

const CLASS_TITLE: Record<ImpactClass, string> = {
    "data-loss": "Data loss",
    blocked: "Blocked",
    disruptive: "Disruptive",
    unknown: "Impact unknown",
    safe: "Safe",
};

/** The gate's sentence: what fails and how to opt in, or who opted in. */
export function gateLine(gate: GateVerdict): string | undefined {
    if (!gate.required) return undefined;
    if (gate.optedIn) {
        const mr = gate.mergeRequest ? `merge request ${gate.mergeRequest}` : "merge request";
        const by = gate.by ? `; this pipeline was started by @${gate.by}` : "";
        return `**Opted in**: the ${mr} carries the label \`${gate.label}\`${by}. The label's history on the merge request shows who added it.`;
    }
    return `**Gate**: the plan job fails on this change. To go ahead on purpose, add the label \`${gate.label}\` to the merge request and run the pipeline again.`;
}

/** Impacts of one class, changes with the same reason grouped into one item. */
function impactItems(cls: ImpactClass, impacts: readonly ChangeImpact[]): string[] {
    const groups = new Map<string, { f: ImpactFinding; kind: ChangeKind; members: ChangeImpact[] }>();
    for (const i of impacts) {
        for (const f of i.findings.filter((x) => x.class === cls)) {
            const key = JSON.stringify([i.kind, f.property, f.why, f.instead]);
            const g = groups.get(key) ?? { f, kind: i.kind, members: [] };
            g.members.push(i);
            groups.set(key, g);
        }
    }
    const lines: string[] = [];
    for (const { f, kind, members } of groups.values()) {
        const oneType = members.every((m) => m.type === members[0].type);
        const names =
            members
                .slice(0, 12)
                .map((m) => (oneType ? `\`${m.name}\`` : `\`${m.name}\` · \`${m.type}\``))
                .join(", ") + (members.length > 12 ? ", …" : "");
        const who =
            (members.length === 1 ? names : `${members.length} × (${names})`) +
            (oneType ? ` · \`${members[0].type}\`` : "");
        const prop = f.property && !f.why.includes(`\`${f.property.split(", ")[0]}\``) ? ` \`${f.property}\`` : "";
        lines.push(`- ${SYMBOL[kind]} ${who}${prop}: ${f.why}`);
        if (f.instead) lines.push(`  - **Instead**: ${f.instead}`);
        lines.push(`  - <sub>Source: ${f.source}</sub>`);
    }
    return lines;
}

/** The lead of the note: the impact sentences, the gate, then the impact section. */
function impactSection(diff: PlanDiff): string[] {
    const impact = diff.impact;
    const lines: string[] = [];
    if (impact.headline.length === 0)
        lines.push("**Impact**: every change is safe by the impact table (`tools/plan-diff/impact-rules.ts`).", "");
    for (const h of impact.headline) lines.push(h, "");
    const gate = impact.gate && gateLine(impact.gate);
    if (gate) lines.push(gate, "");
    lines.push("#### Impact", "", "| impact | changes |", "| --- | ---: |");
    for (const cls of Object.keys(CLASS_TITLE) as ImpactClass[])
        lines.push(`| ${CLASS_TITLE[cls]} | ${impact.summary[cls]} |`);
    lines.push(
        "",
        "<sub>A change counts under each impact it has; a protected stateful resource that would be replaced is both data loss and blocked.</sub>",
        "",
    );
    for (const cls of ["data-loss", "blocked", "disruptive", "unknown"] as const) {
        if (impact.summary[cls] === 0) continue;
        lines.push(`##### ${CLASS_TITLE[cls]} (${impact.summary[cls]})`, "", ...impactItems(cls, impact.changes), "");
    }
    return lines;
}

export function planDiffMarkdown(diff: PlanDiff): string {
    const s = diff.summary;
    const total = s.add + s.update + s.replace + s.remove;
    const lines = [`### Plan diff: \`${diff.project}\` / \`${diff.stack}\``, ""];
    if (total === 0) {
        lines.push(
            `**No changes**: the head plan declares the same ${s.unchanged} resources, with the same inputs and options, as the base.`,
            "",
        );
    } else {
        lines.push(...impactSection(diff));
        lines.push("#### Changes", "");
        lines.push(
            `**${s.replace} to replace, ${s.remove} to remove, ${s.update} to update, ${s.add} to add**; ${s.unchanged} unchanged.`,
            "",
        );
        lines.push("| type | replace | remove | update | add |", "| --- | ---: | ---: | ---: | ---: |");
        for (const t of diff.byType)
            lines.push(`| \`${t.type}\` | ${t.replace} | ${t.remove} | ${t.update} | ${t.add} |`);
        lines.push("");
        for (const kind of ["replace", "remove", "update", "add"] as const) {
            const group = diff.changes.filter((c) => c.kind === kind);
            if (group.length === 0) continue;
            lines.push(`#### ${HEADING[kind]} (${group.length})`, "");
            if (kind === "add" || kind === "remove") {
                lines.push(...group.map(listItem), "");
                continue;
            }
            const detailed = group.filter((c) => c.inputs.length > 0 || c.options.length > 0 || c.oldUrn);
            for (const c of detailed) lines.push(...resourceSection(c));
            // Replacements without a property change of their own (a cascade): one list per reason.
            const cascades = new Map<string, ResourceChange[]>();
            for (const c of group.filter((x) => !detailed.includes(x)))
                cascades.set(c.replaceReasons.join("\n"), [...(cascades.get(c.replaceReasons.join("\n")) ?? []), c]);
            for (const [reasons, cs] of cascades) {
                lines.push(
                    `##### ${SYMBOL[kind]} ${cs.length} ${cs.length === 1 ? "resource" : "resources"} with no property change`,
                    "",
                );
                lines.push(
                    "Replaced because:",
                    ...reasons.split("\n").map((r) => `- ${r}`),
                    "",
                    "They are:",
                    "",
                    ...cs.map(listItem),
                    "",
                );
            }
        }
        lines.push("#### Graph of the change", "");
        if (diff.graph.nodes.length > MAX_GRAPH_NODES) {
            lines.push(
                `Left out: ${diff.graph.nodes.length} resources are involved (more than ${MAX_GRAPH_NODES}); the JSON diff has the graph.`,
                "",
            );
        } else {
            lines.push(...mermaidGraph(diff.graph), "");
        }
    }
    if (diff.uncomparedSecrets > 0) {
        const n = diff.uncomparedSecrets;
        lines.push(
            `> ${n} secret ${n === 1 ? "value is" : "values are"} masked in both plans and could not be compared: a change to a secret's value alone does not show here.`,
            "",
        );
    }
    lines.push(
        "<sub>Predicted offline from the program and the stack files, without credentials; `pulumi preview` is authoritative.</sub>",
    );
    return lines.join("\n") + "\n";
}
