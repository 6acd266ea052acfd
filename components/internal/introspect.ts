/**
 * Looks into a zod schema at a path, so error messages can list the keys an object accepts (for "did
 * you mean") and the values a discriminator allows.
 */
import type { z } from "zod";

interface Def {
    type: string;
    shape?: Record<string, z.ZodType>;
    options?: z.ZodType[];
    element?: z.ZodType;
    innerType?: z.ZodType;
    in?: z.ZodType;
    values?: unknown[];
    keyType?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/** Unwraps optional, default, nullable and pipe wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
    let s = schema;
    for (;;) {
        const d = defOf(s);
        if (
            (d.type === "optional" || d.type === "default" || d.type === "nullable" || d.type === "prefault") &&
            d.innerType
        )
            s = d.innerType;
        else if (d.type === "pipe" && d.in) s = d.in;
        else return s;
    }
}

/** The values of an enum schema (zod keeps them as `entries`). */
const enumValues = (d: Def): unknown[] =>
    d.values ?? Object.values((d as unknown as { entries?: Record<string, unknown> }).entries ?? {});

/** The object schemas a (possibly union) schema stands for; a record keyed by an enum counts as one. */
function objectsOf(schema: z.ZodType): Def[] {
    const d = defOf(unwrap(schema));
    if (d.type === "object") return [d];
    if (d.type === "record" && d.keyType && defOf(d.keyType).type === "enum") {
        const value = (d as unknown as { valueType: z.ZodType }).valueType;
        return [
            { type: "object", shape: Object.fromEntries(enumValues(defOf(d.keyType)).map((k) => [String(k), value])) },
        ];
    }
    if (d.type === "union" && d.options) return d.options.flatMap(objectsOf);
    return [];
}

/** The schemas found at `path` (several when unions branch). */
function schemasAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
    let current = [root];
    for (const part of path) {
        const next: z.ZodType[] = [];
        for (const s of current) {
            const d = defOf(unwrap(s));
            if (typeof part === "number" && d.type === "array" && d.element) next.push(d.element);
            for (const o of objectsOf(s))
                if (typeof part === "string" && o.shape && part in o.shape) next.push(o.shape[part]);
        }
        current = next;
    }
    return current;
}

/** What a schema accepts at a path: for "did you mean" suggestions and allowed-value lists. */
export interface Introspection {
    /** Keys an object at `path` accepts. */
    knownKeysAt(path: readonly PropertyKey[]): readonly string[];
    /** Literal values allowed at `path` (e.g. a union's discriminator). */
    allowedValuesAt(path: readonly PropertyKey[]): readonly unknown[];
}

/** Looks into `root` (a zod schema) by path. */
export function schemaIntrospection(root: z.ZodType): Introspection {
    return {
        knownKeysAt: (path) => [
            ...new Set(
                schemasAt(root, path)
                    .flatMap(objectsOf)
                    .flatMap((o) => Object.keys(o.shape ?? {})),
            ),
        ],
        allowedValuesAt: (path) => {
            const values = schemasAt(root, path).flatMap((s) => {
                const d = defOf(unwrap(s));
                return d.type === "literal" || d.type === "enum" ? enumValues(d) : [];
            });
            return [...new Set(values)];
        },
    };
}
