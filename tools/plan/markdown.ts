/** The human side of the offline plan: counts per type and the resource tree, for terminals and MR notes. */
import type { Plan } from "./format";

export function planMarkdown(plan: Plan): string {
    const counts = new Map<string, number>();
    for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const children = new Map<string | null, typeof plan.resources>();
    for (const r of plan.resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const lines: string[] = [
        `# Offline plan: ${plan.project} / ${plan.stack}`,
        "",
        `${plan.resources.length} resources (${plan.resources.filter((r) => r.custom).length} custom, ${plan.resources.filter((r) => !r.custom).length} components), ${plan.resources.filter((r) => r.protect).length} protected.`,
        "",
        "## Resources by type",
        "",
        "| type | count |",
        "| --- | ---: |",
        ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `| \`${type}\` | ${n} |`),
        "",
        "## Resource tree",
        "",
    ];
    const walk = (parent: string | null, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            lines.push(`${"  ".repeat(depth)}- \`${r.type}\` **${r.name}**${r.protect ? " (protected)" : ""}`);
            walk(r.urn, depth + 1);
        }
    };
    walk(null, 0);
    const outputs = Object.keys(plan.outputs);
    if (outputs.length > 0) {
        lines.push("", "## Outputs", "", "| output | value |", "| --- | --- |");
        for (const key of outputs.sort()) lines.push(`| ${key} | \`${JSON.stringify(plan.outputs[key])}\` |`);
    }
    return lines.join("\n") + "\n";
}
