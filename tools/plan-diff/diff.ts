/**
 * The plan diff: two offline plans (tools/plan/format.ts) in, what an update would change out. Pure.
 *
 * Resources are matched by URN. A removed and an added resource with the same name and either the same type
 * (its parent's type changed) or the same class name in another module or API version are one resource whose
 * URN changed: shown as one replacement, or as an update for a Kubernetes kind whose API version changed
 * (@pulumi/kubernetes declares aliases between the API versions of a kind). Secrets are masked in plans, so
 * two masked values at the same path are counted as "not compared" rather than guessed at.
 */
import type { PlannedResource } from "../plan/engine";
import type { Plan } from "../plan/format";
import { classifyImpact, type ImpactReport } from "./impact";
import { inputReplaceReasons, KUBERNETES_PROVIDER, kubernetesObjectType, providerSwitchReasons } from "./replace";
import { diffValues, formatPath, type ValueChange } from "./values";

export type ChangeKind = "add" | "remove" | "update" | "replace";

export interface PropertyChange {
    /** `spec.template.spec.containers[1].image`; for options: `parent`, `provider`, `dependsOn`, `protect`, `custom`. */
    path: string;
    kind: "add" | "remove" | "update";
    old?: unknown;
    new?: unknown;
    /** Either side is secret: both values are shown as `"[secret]"`. */
    secret?: true;
    /** The new value is known only during the update. */
    unknown?: true;
}

export interface ResourceChange {
    kind: ChangeKind;
    /** The head URN (the base URN for a removal). */
    urn: string;
    /** The base URN, when the type or the parent's type changed it. */
    oldUrn?: string;
    type: string;
    name: string;
    parent: string | null;
    inputs: PropertyChange[];
    options: PropertyChange[];
    replaceReasons: string[];
}

export interface TypeCount {
    type: string;
    add: number;
    update: number;
    replace: number;
    remove: number;
}
export interface GraphNode {
    urn: string;
    type: string;
    name: string;
    kind: ChangeKind | "context";
}
export interface GraphEdge {
    from: string;
    to: string;
    kind: "parent" | "dependsOn";
}

export interface PlanDiff {
    version: 1;
    project: string;
    stack: string;
    summary: { add: number; update: number; replace: number; remove: number; unchanged: number };
    byType: TypeCount[];
    /** Replacements first, then removals, updates, additions; by URN within each. */
    changes: ResourceChange[];
    /** Secret values masked on both sides at the same path: a change to them is invisible offline. */
    uncomparedSecrets: number;
    /** The changed resources, their ancestors and what they depend on, for a picture of the change. */
    graph: { nodes: GraphNode[]; edges: GraphEdge[] };
    /** The impact of each change (impact.ts): data loss, blocked, disruptive, unknown, safe; the gate's verdict once judged. */
    impact: ImpactReport;
}

const KIND_ORDER: ChangeKind[] = ["replace", "remove", "update", "add"];

function toPropertyChange(c: ValueChange, path = formatPath(c.segments)): PropertyChange {
    const out: PropertyChange = { path, kind: c.kind };
    if ("old" in c) out.old = c.old;
    if ("new" in c) out.new = c.new;
    if (c.secret) out.secret = true;
    if (c.unknown) out.unknown = true;
    return out;
}

/** Resource options that changed; `moved` maps base URNs of moved resources to their head URNs. */
function optionChanges(a: PlannedResource, b: PlannedResource, moved: Map<string, string>): PropertyChange[] {
    const out: PropertyChange[] = [];
    const now = (urn: string | null) => (urn === null ? null : (moved.get(urn) ?? urn));
    if (a.custom !== b.custom) out.push({ path: "custom", kind: "update", old: a.custom, new: b.custom });
    if (now(a.parent) !== b.parent) out.push({ path: "parent", kind: "update", old: a.parent, new: b.parent });
    if (a.protect !== b.protect) out.push({ path: "protect", kind: "update", old: a.protect, new: b.protect });
    if (now(a.provider) !== b.provider)
        out.push({ path: "provider", kind: "update", old: a.provider, new: b.provider });
    const before = new Set(a.dependsOn.map(now));
    const after = new Set(b.dependsOn);
    for (const u of b.dependsOn) if (!before.has(u)) out.push({ path: "dependsOn", kind: "add", new: u });
    for (const u of a.dependsOn) if (!after.has(now(u)!)) out.push({ path: "dependsOn", kind: "remove", old: u });
    return out;
}

const lastSegment = (type: string) => type.slice(type.lastIndexOf(":") + 1);

/** Pairs removed and added resources that are the same resource under a new URN; ambiguous cases stay apart. */
function pairMoves(removed: PlannedResource[], added: PlannedResource[]): Array<[PlannedResource, PlannedResource]> {
    const pairs: Array<[PlannedResource, PlannedResource]> = [];
    const taken = new Set<string>();
    for (const old of removed) {
        const byType = added.filter((a) => !taken.has(a.urn) && a.name === old.name && a.type === old.type);
        const byClass = added.filter(
            (a) =>
                !taken.has(a.urn) &&
                a.name === old.name &&
                a.type !== old.type &&
                lastSegment(a.type) === lastSegment(old.type),
        );
        const match =
            byType.length === 1 ? byType[0] : byType.length === 0 && byClass.length === 1 ? byClass[0] : undefined;
        if (match) {
            taken.add(match.urn);
            pairs.push([old, match]);
        }
    }
    return pairs;
}

function moveReasons(old: PlannedResource, head: PlannedResource): { kind: ChangeKind; reasons: string[] } {
    if (old.type !== head.type) {
        const a = kubernetesObjectType(old.type);
        const b = kubernetesObjectType(head.type);
        if (a && b && a.kind === b.kind) return { kind: "update", reasons: [] };
        const consequence = head.custom
            ? "Pulumi creates the new resource and deletes the old one unless the program declares an alias"
            : "for a component nothing is recreated itself, but the URNs of its children change with it";
        return {
            kind: "replace",
            reasons: [`type changed from \`${old.type}\` to \`${head.type}\`, and with it the URN: ${consequence}`],
        };
    }
    return {
        kind: "replace",
        reasons: [
            "its parent's type changed, and with it the URN: Pulumi creates the new resource and deletes the old one unless the program declares an alias",
        ],
    };
}

function buildGraph(
    changes: ResourceChange[],
    base: Map<string, PlannedResource>,
    head: Map<string, PlannedResource>,
): PlanDiff["graph"] {
    const nodes = new Map<string, GraphNode>();
    const edges = new Map<string, GraphEdge>();
    const lookup = (urn: string) => head.get(urn) ?? base.get(urn);
    for (const c of changes) nodes.set(c.urn, { urn: c.urn, type: c.type, name: c.name, kind: c.kind });
    const addContext = (urn: string) => {
        const r = lookup(urn);
        if (r && !nodes.has(urn)) nodes.set(urn, { urn, type: r.type, name: r.name, kind: "context" });
        return r !== undefined;
    };
    for (const c of changes) {
        const r = c.kind === "remove" ? base.get(c.urn)! : head.get(c.urn)!;
        for (let child = r; child.parent !== null && addContext(child.parent); child = lookup(child.parent)!) {
            edges.set(`${child.parent}>${child.urn}`, { from: child.parent, to: child.urn, kind: "parent" });
        }
        for (const dep of r.dependsOn)
            if (addContext(dep)) edges.set(`${r.urn}~${dep}`, { from: r.urn, to: dep, kind: "dependsOn" });
    }
    const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return {
        nodes: [...nodes.values()].sort((a, b) => order(a.urn, b.urn)),
        edges: [...edges.entries()].sort(([a], [b]) => order(a, b)).map(([, e]) => e),
    };
}

export function diffPlans(base: Plan, head: Plan): PlanDiff {
    const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
    const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
    const changes: ResourceChange[] = [];
    let uncomparedSecrets = 0;
    let unchanged = 0;
    const inputDiff = (a: unknown, b: unknown) => {
        const d = diffValues(a, b);
        uncomparedSecrets += d.uncomparedSecrets;
        return d.changes;
    };

    // First pass: resources in both plans (and the moves), with their own replacement reasons.
    const compared: Array<{
        old: PlannedResource;
        now: PlannedResource;
        inputs: ValueChange[];
        move?: ReturnType<typeof moveReasons>;
    }> = [];
    for (const now of head.resources) {
        const old = baseByUrn.get(now.urn);
        if (old) compared.push({ old, now, inputs: inputDiff(old.inputs, now.inputs) });
    }
    const removed = base.resources.filter((r) => !headByUrn.has(r.urn));
    const added = head.resources.filter((r) => !baseByUrn.has(r.urn));
    const moves = pairMoves(removed, added);
    for (const [old, now] of moves)
        compared.push({ old, now, inputs: inputDiff(old.inputs, now.inputs), move: moveReasons(old, now) });

    const reasonsOf = new Map<string, string[]>();
    for (const { old, now, inputs, move } of compared) {
        const reasons = [...(move?.reasons ?? [])];
        if (old.custom !== now.custom) reasons.push("it changes between a component and a custom resource");
        if (now.custom && old.custom) {
            reasons.push(...inputReplaceReasons(now, inputs, now.provider ? headByUrn.get(now.provider) : undefined));
            if (old.provider !== now.provider && old.provider && now.provider) {
                reasons.push(
                    ...providerSwitchReasons(
                        baseByUrn.get(old.provider),
                        headByUrn.get(now.provider),
                        (a, b) => diffValues(a, b).changes,
                    ),
                );
            }
        }
        reasonsOf.set(now.urn, reasons);
    }
    // Second pass: a replaced provider takes every resource it manages with it.
    const replacedProviders = new Set(
        compared
            .filter(({ now }) => now.type === KUBERNETES_PROVIDER && reasonsOf.get(now.urn)!.length > 0)
            .map(({ now }) => now.urn),
    );
    for (const { old, now } of compared) {
        if (!now.provider || now.provider !== old.provider || !replacedProviders.has(now.provider)) continue;
        const provider = headByUrn.get(now.provider)!.name;
        reasonsOf.get(now.urn)!.push(
            now.custom
                ? `its provider \`${provider}\` may be replaced (see there), and Pulumi replaces every resource of a replaced provider`
                : // A remote component (Helm v4 chart, YAML v2) is one resource in the plan; its children are not listed.
                  `the resources it declares through provider \`${provider}\`, which may be replaced (see there), are replaced with it (the offline plan does not list them)`,
        );
    }

    const movedTo = new Map(moves.map(([a, b]) => [a.urn, b.urn]));
    for (const { old, now, inputs, move } of compared) {
        const options = optionChanges(old, now, movedTo);
        const replaceReasons = reasonsOf.get(now.urn)!;
        if (!move && inputs.length === 0 && options.length === 0 && replaceReasons.length === 0) {
            unchanged++;
            continue;
        }
        const kind: ChangeKind = replaceReasons.length > 0 ? "replace" : (move?.kind ?? "update");
        const change: ResourceChange = {
            kind,
            urn: now.urn,
            type: now.type,
            name: now.name,
            parent: now.parent,
            inputs: inputs.map((c) => toPropertyChange(c)),
            options,
            replaceReasons,
        };
        if (move) change.oldUrn = old.urn;
        changes.push(change);
    }
    const moved = new Set([...movedTo.keys(), ...movedTo.values()]);
    const whole = (r: PlannedResource, kind: "add" | "remove"): ResourceChange => ({
        kind,
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent,
        inputs: [],
        options: [],
        replaceReasons: [],
    });
    for (const r of added) if (!moved.has(r.urn)) changes.push(whole(r, "add"));
    for (const r of removed) if (!moved.has(r.urn)) changes.push(whole(r, "remove"));
    changes.sort(
        (a, b) =>
            KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0),
    );

    const byType = new Map<string, TypeCount>();
    const summary = { add: 0, update: 0, replace: 0, remove: 0, unchanged };
    for (const c of changes) {
        const t = byType.get(c.type) ?? { type: c.type, add: 0, update: 0, replace: 0, remove: 0 };
        t[c.kind]++;
        summary[c.kind]++;
        byType.set(c.type, t);
    }
    return {
        version: 1,
        project: head.project || base.project,
        stack: head.stack || base.stack,
        summary,
        byType: [...byType.values()].sort((a, b) => (a.type < b.type ? -1 : 1)),
        changes,
        uncomparedSecrets,
        graph: buildGraph(changes, baseByUrn, headByUrn),
        impact: classifyImpact({ changes }, base, head),
    };
}
