/**
 * Policy pack configuration (`--policy-pack-config` files), read and reconciled the way the CLI does it
 * (pkg/resource/analyzer/config.go): every policy starts with its own level and its schema's defaults,
 * `"all": "<level>"` sets every level, then each policy's entry overrides (a string is a level, an
 * object holds `enforcementLevel` and properties). The gate is stricter than the CLI in one respect:
 * unknown policy names and properties are errors, so a typo in a config file cannot pass unnoticed.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

export const LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type Level = (typeof LEVELS)[number];

/** A policy as GetAnalyzerInfo describes it. */
export interface PolicyDescription {
    name: string;
    enforcementLevel: Level;
    properties: Record<string, PolicyConfigJSONSchema>;
    required: string[];
}

/** One policy's reconciled config, as Configure sends it. */
export interface PolicyConfig {
    enforcementLevel: Level;
    properties: Record<string, unknown>;
}

/** A config file entry: a level, properties, or both. */
export interface ConfigEntry {
    enforcementLevel?: Level;
    properties: Record<string, unknown>;
}

/** A config file that cannot be used; `problems` has one `<key>: <what is wrong> (expected ...)` line each. */
export class PolicyConfigError extends Error {
    constructor(
        readonly file: string,
        readonly problems: string[],
    ) {
        super(`invalid policy pack config ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PolicyConfigError";
    }
}

const isLevel = (v: unknown): v is Level => typeof v === "string" && (LEVELS as readonly string[]).includes(v);
const expectedLevel = `expected one of: ${LEVELS.join(", ")}`;

/** Parses a config file's text into entries by policy name (`all` included). */
export function parsePolicyConfig(text: string, file: string): Map<string, ConfigEntry> {
    const entries = new Map<string, ConfigEntry>();
    if (text.trim() === "") return entries;
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new PolicyConfigError(file, [
            `(file): not JSON: ${(err as Error).message} (expected an object of policy names)`,
        ]);
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc))
        throw new PolicyConfigError(file, ["(file): not an object (expected an object of policy names)"]);
    const problems: string[] = [];
    for (const [key, value] of Object.entries(doc)) {
        if (key === "environments") {
            problems.push("environments: ESC environments need the Pulumi CLI (expected policy entries only)");
        } else if (typeof value === "string") {
            if (isLevel(value)) entries.set(key, { enforcementLevel: value, properties: {} });
            else problems.push(`${key}: ${JSON.stringify(value)} is not an enforcement level (${expectedLevel})`);
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
                problems.push(
                    `${key}.enforcementLevel: ${JSON.stringify(enforcementLevel)} is not an enforcement level (${expectedLevel})`,
                );
            } else {
                entries.set(key, { ...(enforcementLevel !== undefined ? { enforcementLevel } : {}), properties });
            }
        } else {
            problems.push(
                `${key}: ${JSON.stringify(value)} is neither a level nor an object (expected "mandatory" or {"enforcementLevel": ..., <properties>})`,
            );
        }
    }
    if (problems.length > 0) throw new PolicyConfigError(file, problems);
    return entries;
}

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

/** Checks a value against the JSON-schema subset policy configs use: type, enum, minimum, items. */
export function schemaProblems(schema: PolicyConfigJSONSchema, value: unknown, field: string): string[] {
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (types.length > 0 && !types.some((t) => t === actual || (t === "number" && actual === "integer"))) {
        return [
            `${field}: ${JSON.stringify(value)} is ${actual === "integer" ? "a number" : `a ${actual}`} (expected ${types.join(" or ")})`,
        ];
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        return [
            `${field}: ${JSON.stringify(value)} is not allowed (expected one of: ${schema.enum.map((e) => JSON.stringify(e)).join(", ")})`,
        ];
    }
    if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) {
        return [`${field}: ${value} is below the minimum (expected at least ${schema.minimum})`];
    }
    if (Array.isArray(value) && schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
        const items = schema.items;
        return value.flatMap((v, i) => schemaProblems(items, v, `${field}[${i}]`));
    }
    return [];
}

/**
 * The config Configure receives for every policy, and the problems that make the file unusable
 * (unknown policies or properties, values outside a schema, missing required properties).
 */
export function reconcilePolicyConfig(
    policies: readonly PolicyDescription[],
    given: ReadonlyMap<string, ConfigEntry>,
): { config: Map<string, PolicyConfig>; problems: string[] } {
    const config = new Map<string, PolicyConfig>();
    for (const p of policies) {
        const defaults = Object.fromEntries(
            Object.entries(p.properties).flatMap(([k, s]) => (s.default !== undefined ? [[k, s.default]] : [])),
        );
        config.set(p.name, { enforcementLevel: p.enforcementLevel, properties: defaults });
    }
    const problems: string[] = [];
    const all = given.get("all");
    if (all?.enforcementLevel) for (const c of config.values()) c.enforcementLevel = all.enforcementLevel;
    if (all && Object.keys(all.properties).length > 0)
        problems.push(
            `all: ${Object.keys(all.properties).join(", ")} set for every policy (expected only a level for "all")`,
        );
    const names = policies.map((p) => p.name);
    for (const [name, entry] of given) {
        if (name === "all") continue;
        const policy = policies.find((p) => p.name === name);
        const current = config.get(name);
        if (!policy || !current) {
            problems.push(`${name}: no such policy in the pack${suggest(name, names)}`);
            continue;
        }
        if (entry.enforcementLevel) current.enforcementLevel = entry.enforcementLevel;
        for (const [key, value] of Object.entries(entry.properties)) {
            const schema = policy.properties[key];
            if (!schema) {
                const known = Object.keys(policy.properties);
                problems.push(
                    `${name}.${key}: unknown property (expected ${known.length > 0 ? `one of: ${known.join(", ")}` : "no properties: the policy takes only a level"})`,
                );
                continue;
            }
            problems.push(...schemaProblems(schema, value, `${name}.${key}`));
            current.properties[key] = value;
        }
    }
    for (const p of policies) {
        for (const key of p.required)
            if (config.get(p.name)!.properties[key] === undefined)
                problems.push(`${p.name}.${key}: not set (expected a value: the policy requires it)`);
    }
    return { config, problems };
}

/** ` (did you mean "x"?)` for a near miss, else the list of names. */
function suggest(name: string, names: readonly string[]): string {
    const near = names.map((n) => ({ n, d: distance(name, n) })).sort((a, b) => a.d - b.d)[0];
    return near && near.d <= 3 ? ` (did you mean "${near.n}"?)` : ` (expected one of: ${names.join(", ")}, or "all")`;
}

function distance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++)
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
    }
    return prev[b.length];
}
