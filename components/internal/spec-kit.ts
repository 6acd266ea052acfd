/**
 * What every component spec uses, and the package does not publish: zod helpers for Pulumi inputs, the
 * translation of zod issues into {@link Problem}s (paths as the user writes them), and the check a
 * component runs on its args before it declares anything.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { InvalidArgsError, type Problem } from "../errors";
import { schemaIntrospection, type Introspection } from "./introspect";

/** The message of the branch of {@link input} that only an Output passes; never shown to users. */
const OUTPUT_BRANCH = "pulumi-output";

/**
 * A setting that is a `pulumi.Input<T>`: a plain value checked by `plain`, or an Output (checked when
 * known, by the component). A stack file can only hold the plain value, so errors describe `plain`.
 */
export function input<S extends z.ZodType>(plain: S) {
    return z.union([
        plain,
        z.custom<pulumi.Output<z.output<S>>>((v) => pulumi.Output.isInstance(v), { message: OUTPUT_BRANCH }),
    ]);
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
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
function closestKey(key: string, known: readonly string[]): string | undefined {
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
 * Turns one zod issue into problems `<path>: <what is wrong> (expected ...)`. Values are never quoted,
 * so a secret that lands in the wrong place is not echoed.
 */
function describeIssue(
    issue: z.core.$ZodIssue,
    schema: Introspection,
    base: readonly PropertyKey[],
    within: readonly PropertyKey[] = [],
): Problem[] {
    // `within`: where the issue sits in the checked schema (for lookups); `base` is only printed before it.
    const fullPath = [...within, ...issue.path];
    const at = (message: string): Problem[] => [{ path: renderPath([...base, ...fullPath]), message }];
    // Messages written in the specs (refine, regex) already read "<what> (expected ...)".
    if (issue.message && !/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message)) return at(issue.message);
    switch (issue.code) {
        case "unrecognized_keys":
            return issue.keys.map((key) => ({
                path: renderPath([...base, ...fullPath, key]),
                message: unknownKeyMessage(key, schema.knownKeysAt(fullPath)),
            }));
        case "invalid_type": {
            const input = (issue as { input?: unknown }).input;
            return at(
                input === undefined
                    ? `missing required key (expected ${issue.expected})`
                    : `wrong type ${typeName(input)} (expected ${issue.expected})`,
            );
        }
        case "invalid_value":
            return at(
                `not an allowed value (expected one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")})`,
            );
        case "too_small":
            return at(
                issue.origin === "string" && Number(issue.minimum) === 1
                    ? "must not be empty (expected a non-empty string)"
                    : `too small (expected ${issue.origin === "array" ? "at least " + String(issue.minimum) + " items" : (issue.inclusive ? ">= " : "> ") + String(issue.minimum)})`,
            );
        case "too_big":
            return at(
                `too large (expected ${issue.origin === "array" || issue.origin === "string" ? "at most " + String(issue.maximum) + (issue.origin === "string" ? " characters" : " items") : (issue.inclusive ? "<= " : "< ") + String(issue.maximum)})`,
            );
        case "invalid_format":
            return at(`malformed ${issue.format} (expected a valid ${issue.format})`);
        case "invalid_union": {
            const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
            // An `input(...)` setting: describe the plain branch, which is all a stack file can hold.
            const plain = branches.filter((b) => !(b.length === 1 && b[0].message === OUTPUT_BRANCH));
            if (plain.length === 1 && plain.length < branches.length)
                return plain[0].flatMap((i) => describeIssue(i, schema, base, fullPath));
            const allowed = schema.allowedValuesAt(fullPath);
            // A discriminated union reports the whole object as input, at the discriminator's path.
            const whole = (issue as { input?: unknown }).input;
            const last = fullPath[fullPath.length - 1];
            const isDiscriminator =
                allowed.length > 0 &&
                whole !== null &&
                typeof whole === "object" &&
                !Array.isArray(whole) &&
                typeof last === "string";
            const input = isDiscriminator ? (whole as Record<string, unknown>)[last] : whole;
            if (allowed.length > 0) {
                return at(
                    `${input === undefined ? "missing required key" : "not an allowed value"} (expected one of: ${allowed.map((v) => JSON.stringify(v)).join(", ")})`,
                );
            }
            // A plain union (`string | number`): name the types its branches expect.
            const expected = branches.map((b) =>
                b.length === 1 && b[0].code === "invalid_type" && b[0].path.length === 0 ? b[0].expected : undefined,
            );
            if (expected.length > 0 && expected.every((e) => e !== undefined)) {
                const types = [...new Set(expected)].join(" or ");
                return at(
                    input === undefined
                        ? `missing required key (expected ${types})`
                        : `wrong type ${typeName(input)} (expected ${types})`,
                );
            }
            return at("does not match any allowed form (expected one of the documented shapes)");
        }
        default:
            return at(issue.message);
    }
}

/** The problems of a failed parse, paths printed below `base` (e.g. `["runners", 0]`). */
export function issueProblems(error: z.ZodError, schema: z.ZodType, base: readonly PropertyKey[] = []): Problem[] {
    const look = schemaIntrospection(schema);
    return error.issues.flatMap((i) => describeIssue(i, look, base));
}

/**
 * A component's first step: its args checked against its spec, defaults applied. A missing args
 * object, an unknown (e.g. misspelled) key or a malformed value throws {@link InvalidArgsError} before
 * any child exists.
 */
export function parseArgs<S extends z.ZodType>(component: string, spec: S, args: unknown): z.output<S> {
    if (args === undefined || args === null) {
        throw new InvalidArgsError(component, [
            { path: "", message: `no arguments (expected the ${component}Args object)` },
        ]);
    }
    const parsed = spec.safeParse(args, { reportInput: true });
    if (!parsed.success) throw new InvalidArgsError(component, issueProblems(parsed.error, spec));
    return parsed.data;
}
