import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { Introspection } from "./introspect";

/**
 * The one error a bad stack configuration produces. It extends `pulumi.RunError`, so the Pulumi CLI
 * prints the message alone, without a stack trace. Every problem is one line,
 * `<key>: <what is wrong> (expected ...)`; secret values are never quoted.
 */
export class ConfigError extends pulumi.RunError {
    /** True for every ConfigError, also across module copies (`instanceof` alone is not enough). */
    public readonly isConfigError = true;

    constructor(
        /** The problems, one `<key>: <message>` line each, sorted by key. */
        public readonly problems: readonly string[],
        scope: string,
    ) {
        super(`Invalid stack configuration for ${scope}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }

    /** Whether `err` is a ConfigError (works across duplicated module instances). */
    static is(err: unknown): err is ConfigError {
        return typeof err === "object" && err !== null && (err as { isConfigError?: unknown }).isConfigError === true;
    }
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
    const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diag = prev[0];
        prev[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = prev[j];
            prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = above;
        }
    }
    return prev[b.length];
}

/** The closest known key to `key`, when it is close enough to be a typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of known) {
        const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** A one-line explanation for an unknown key: a suggestion for a typo, else the known keys. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
    const suggestion = closestKey(key, known);
    return suggestion !== undefined
        ? `unknown key (did you mean "${suggestion}"?)`
        : `unknown key (expected one of: ${[...known].sort().join(", ")})`;
}

/** Renders a zod path as the user writes it in a stack file: `gitlab.postgres.port`, `runners[1].name`. */
export function renderPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const part of path) {
        // Keys that are not plain identifiers are quoted, so an odd key cannot garble the line.
        const name = /^[A-Za-z0-9_-]+$/.test(String(part)) ? String(part) : JSON.stringify(String(part));
        if (typeof part === "number") out += `[${part}]`;
        else out += out === "" ? name : `.${name}`;
    }
    return out;
}

function typeName(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    return typeof value;
}

/**
 * Turns one zod issue into `<key>: <what is wrong> (expected ...)` lines. `knownKeysAt` gives the keys
 * an object accepts at a path, for suggestions on unknown keys. Values are never quoted, so a
 * secret that lands in the wrong place is not echoed.
 */
export function describeIssue(issue: z.core.$ZodIssue, schema: Introspection): string[] {
    const where = renderPath(issue.path);
    // Messages written in the schemas (refine, regex) already read "<what> (expected ...)".
    if (issue.message && !/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message)) return [`${where}: ${issue.message}`];
    switch (issue.code) {
        case "unrecognized_keys":
            return issue.keys.map(
                (key) => `${renderPath([...issue.path, key])}: ${unknownKeyMessage(key, schema.knownKeysAt(issue.path))}`,
            );
        case "invalid_type": {
            const input = (issue as { input?: unknown }).input;
            return input === undefined
                ? [`${where}: missing required key (expected ${issue.expected})`]
                : [`${where}: wrong type ${typeName(input)} (expected ${issue.expected})`];
        }
        case "invalid_value":
            return [`${where}: not an allowed value (expected one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")})`];
        case "too_small":
            return [
                issue.origin === "string" && Number(issue.minimum) === 1
                    ? `${where}: must not be empty (expected a non-empty string)`
                    : `${where}: too small (expected ${issue.origin === "array" ? "at least " + String(issue.minimum) + " items" : (issue.inclusive ? ">= " : "> ") + String(issue.minimum)})`,
            ];
        case "too_big":
            return [
                `${where}: too large (expected ${issue.origin === "array" || issue.origin === "string" ? "at most " + String(issue.maximum) + (issue.origin === "string" ? " characters" : " items") : (issue.inclusive ? "<= " : "< ") + String(issue.maximum)})`,
            ];
        case "invalid_format":
            return [`${where}: malformed ${issue.format} (expected a valid ${issue.format})`];
        case "invalid_union": {
            const allowed = schema.allowedValuesAt(issue.path);
            // A discriminated union reports the whole object as input, at the discriminator's path.
            const whole = (issue as { input?: unknown }).input;
            const last = issue.path[issue.path.length - 1];
            const isDiscriminator = allowed.length > 0 && whole !== null && typeof whole === "object" && !Array.isArray(whole) && typeof last === "string";
            const input = isDiscriminator ? (whole as Record<string, unknown>)[last as string] : whole;
            if (allowed.length > 0) {
                return [`${where}: ${input === undefined ? "missing required key" : "not an allowed value"} (expected one of: ${allowed.map((v) => JSON.stringify(v)).join(", ")})`];
            }
            // A plain union (`string | number`): name the types its branches expect.
            const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
            const expected = branches.map((b) => (b.length === 1 && b[0].code === "invalid_type" && b[0].path.length === 0 ? b[0].expected : undefined));
            if (expected.length > 0 && expected.every((e) => e !== undefined)) {
                const types = [...new Set(expected)].join(" or ");
                return [input === undefined ? `${where}: missing required key (expected ${types})` : `${where}: wrong type ${typeName(input)} (expected ${types})`];
            }
            return [`${where}: does not match any allowed form (expected one of the documented shapes, see Pulumi.yaml)`];
        }
        default:
            return [`${where}: ${issue.message}`];
    }
}
