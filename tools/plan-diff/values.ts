/**
 * Property-level comparison of two offline-plan values (JSON with `"[secret]"` and `"[unknown]"` masks).
 * Objects are compared key by key and arrays index by index, so a change is reported at the deepest path
 * where the two sides differ; a value present on one side only is reported whole at its path.
 */

/** The masks of the offline plan format (README "The offline plan format", tools/plan/engine.ts). */
import { SECRET as SECRET_MASK, UNKNOWN as UNKNOWN_MASK } from "../plan/format";

export { SECRET_MASK, UNKNOWN_MASK };

export type Segment = string | number;

/** One difference between the two sides, with values already safe to show (secrets masked). */
export interface ValueChange {
    segments: Segment[];
    kind: "add" | "remove" | "update";
    /** Base value; absent for `add`. `"[secret]"` when either side is secret. */
    old?: unknown;
    /** Head value; absent for `remove`. `"[secret]"` when either side is secret. */
    new?: unknown;
    /** Either side is a secret: the values are hidden, only the fact of the change is known. */
    secret: boolean;
    /** The head value is only known after the update (`"[unknown]"`). */
    unknown: boolean;
}

export interface ValueDiff {
    changes: ValueChange[];
    /** Secret values present, and masked, at the same path on both sides: they cannot be compared offline. */
    uncomparedSecrets: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
    if (isObject(a) && isObject(b)) {
        const keys = Object.keys(a);
        return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
    }
    return false;
}

/** How many secret masks a value holds (a whole secret object counts once). */
export function countSecrets(v: unknown): number {
    if (v === SECRET_MASK) return 1;
    if (Array.isArray(v)) return v.reduce((n: number, x) => n + countSecrets(x), 0);
    if (isObject(v)) return Object.values(v).reduce((n: number, x) => n + countSecrets(x), 0);
    return 0;
}

/** `spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(segments: readonly Segment[]): string {
    let out = "";
    for (const s of segments) {
        if (typeof s === "number") out += `[${s}]`;
        else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) out += out === "" ? s : `.${s}`;
        else out += `[${JSON.stringify(s)}]`;
    }
    return out;
}

function change(segments: Segment[], oldValue: unknown, newValue: unknown): ValueChange {
    const kind = oldValue === undefined ? "add" : newValue === undefined ? "remove" : "update";
    const secret = oldValue === SECRET_MASK || newValue === SECRET_MASK;
    const hide = (v: unknown) => (v === undefined ? undefined : secret ? SECRET_MASK : v);
    const c: ValueChange = { segments, kind, secret, unknown: !secret && newValue === UNKNOWN_MASK };
    if (oldValue !== undefined) c.old = hide(oldValue);
    if (newValue !== undefined) c.new = hide(newValue);
    return c;
}

function walk(a: unknown, b: unknown, segments: Segment[], out: ValueDiff): void {
    if (deepEqual(a, b)) {
        out.uncomparedSecrets += countSecrets(a);
        return;
    }
    if (isObject(a) && isObject(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        for (const k of keys) walk(a[k], b[k], [...segments, k], out);
        return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], [...segments, i], out);
        return;
    }
    out.changes.push(change(segments, a, b));
}

/** Compares two values (usually a resource's inputs); `undefined` stands for "absent". */
export function diffValues(oldValue: unknown, newValue: unknown): ValueDiff {
    const out: ValueDiff = { changes: [], uncomparedSecrets: 0 };
    walk(oldValue, newValue, [], out);
    return out;
}
