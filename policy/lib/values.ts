/**
 * Reading resource properties the same way under the Pulumi CLI and under the offline gate.
 *
 * `@pulumi/policy` hands a policy its properties behind a proxy that throws `UnknownValueError` when a
 * value is unknown (a preview), and with every secret already unwrapped. {@link plainProps} copies them
 * into plain data where an unknown value reads as {@link UNKNOWN}, so a policy never aborts half-way.
 * The offline plan marks secrets as {@link SECRET}; the gate sends them as real protocol secrets whose
 * value is that marker, so policies see exactly what the plan shows.
 */
import { UnknownValueError } from "@pulumi/policy";

/** How a secret value reads in the offline plan (and, through the gate, inside a policy). */
export const SECRET = "[secret]";
/** How a value unknown until the update reads after {@link plainProps}, as in the offline plan. */
export const UNKNOWN = "[unknown]";

/** A plain property tree. */
export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };
/** A plain property map. */
export type PlainMap = { [key: string]: Plain };

function read(container: Record<string | number, unknown>, key: string | number): unknown {
    try {
        return container[key];
    } catch (err) {
        if (err instanceof UnknownValueError) return UNKNOWN;
        throw err;
    }
}

/**
 * Copies (possibly proxied) properties into plain data: unknown values become {@link UNKNOWN}, objects
 * that are not plain data (assets, archives) become `null`.
 */
export function plainProps(value: unknown): Plain {
    if (value === null || value === undefined) return null;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    if (Array.isArray(value))
        return Array.from({ length: value.length }, (_, i) =>
            plainProps(read(value as unknown as Record<number, unknown>, i)),
        );
    if (typeof value === "object") {
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto !== Object.prototype && proto !== null) return null;
        const out: PlainMap = {};
        for (const key of Object.keys(value)) {
            const v = read(value as Record<string, unknown>, key);
            if (v !== undefined) out[key] = plainProps(v);
        }
        return out;
    }
    return null;
}

/** Whether a value is a map (not a list, not null). */
export function isMap(value: unknown): value is PlainMap {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` below `root`, or `undefined` when any step is missing or not a map/list. */
export function at(root: Plain | undefined, path: readonly (string | number)[]): Plain | undefined {
    let cur: Plain | undefined = root;
    for (const step of path) {
        if (typeof step === "number") {
            if (!Array.isArray(cur)) return undefined;
            cur = cur[step];
        } else {
            if (!isMap(cur)) return undefined;
            cur = cur[step];
        }
    }
    return cur;
}

/** The list at `path`, or an empty list. */
export function listAt(root: Plain | undefined, path: readonly (string | number)[]): Plain[] {
    const v = at(root, path);
    return Array.isArray(v) ? v : [];
}

/** A string at `path`, or `undefined` (also for the unknown marker). */
export function stringAt(root: Plain | undefined, path: readonly (string | number)[]): string | undefined {
    const v = at(root, path);
    return typeof v === "string" && v !== UNKNOWN ? v : undefined;
}

/** Whether a value is set: not absent, null or the empty string. Unknown values count as set. */
export function isSet(value: Plain | undefined): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** Renders a path the way violation messages name fields: `a.b[0].c`, odd keys quoted (`a["x.io/y"]`). */
export function renderPath(path: readonly (string | number)[]): string {
    return path
        .map((p, i) =>
            typeof p === "number"
                ? `[${p}]`
                : /^[A-Za-z_$][\w$-]*$/.test(p)
                  ? i === 0
                      ? p
                      : `.${p}`
                  : `[${JSON.stringify(p)}]`,
        )
        .join("");
}
