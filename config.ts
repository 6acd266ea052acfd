/**
 * The only reader of stack configuration. `loadConfig()` reads every `gitlab-platform:*` key, checks
 * the whole of it before any resource is declared, resolves defaults, and returns one typed
 * `StackConfig`. Bad input raises ONE `ConfigError` listing every problem.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { clusterSchema } from "./config/cluster";
import { ConfigError, describeIssue, renderPath, unknownKeyMessage } from "./config/errors";
import { schemaIntrospection } from "./config/introspect";

export { ConfigError } from "./config/errors";

/** The project name, i.e. the config namespace this program owns. */
export const PROJECT = "gitlab-platform";

/** Keys holding credentials: read with `getSecret`, refused when stored in plaintext. */
export const SECRET_KEYS = ["kubeconfig"] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** The structured (non-secret) keys and their schemas. */
const plainSchema = z.strictObject({
    cluster: clusterSchema,
});

/** Every key a stack file may set in this project's namespace. */
export const CONFIG_KEYS: readonly string[] = [...Object.keys(plainSchema.shape), ...SECRET_KEYS].sort();

type Plain = z.output<typeof plainSchema>;

/** The validated, defaulted configuration of one stack. */
export interface StackConfig {
    readonly project: string;
    readonly stack: string;
    readonly cluster: Plain["cluster"] & {
        /** Inline kubeconfig content, secret; set instead of a kubeconfig path. */
        readonly kubeconfigContent?: pulumi.Output<string>;
    };
}

/** Raw input: plain values as parsed from the stack file, plus which keys were stored as secrets. */
export interface RawConfig {
    /** Values by bare key (no namespace), JSON-decoded where the stack file held structure. */
    readonly values: Readonly<Record<string, unknown>>;
    /** Bare keys stored as `secure:` values. */
    readonly secretKeys: ReadonlySet<string>;
    /** Reads a secret key as a secret Output. */
    readonly secret: (key: SecretKey) => pulumi.Output<string>;
}

/**
 * Validates raw configuration and resolves defaults. Pure: no Pulumi runtime needed.
 * @throws ConfigError listing every problem, one `<key>: <message>` line each.
 */
export function parseStackConfig(raw: RawConfig, scope = `${PROJECT}`): Omit<StackConfig, "project" | "stack"> {
    const problems: string[] = [];
    const plainInput: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw.values)) {
        const known = (SECRET_KEYS as readonly string[]).includes(key) || key in plainSchema.shape;
        if (known && isUnset(value)) continue;
        if ((SECRET_KEYS as readonly string[]).includes(key)) {
            if (!raw.secretKeys.has(key)) {
                problems.push(`${key}: stored in plaintext (expected a secret: pulumi config set --secret ${key} ...)`);
            } else if (typeof value !== "string" || value.length === 0) {
                problems.push(`${key}: empty secret (expected a non-empty string)`);
            }
        } else if (key in plainSchema.shape) {
            plainInput[key] = value;
        } else {
            problems.push(`${renderPath([key])}: ${unknownKeyMessage(key, CONFIG_KEYS)}`);
        }
    }
    const parsed = plainSchema.safeParse(plainInput, { reportInput: true });
    if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, schemaIntrospection(plainSchema)));
    }
    if (parsed.success) problems.push(...crossChecks(parsed.data, raw));
    if (problems.length > 0) throw new ConfigError([...new Set(problems)].sort(), scope);

    const plain = parsed.data!;
    const has = (key: SecretKey) => !isUnset(raw.values[key]);
    return {
        cluster: { ...plain.cluster, ...(has("kubeconfig") ? { kubeconfigContent: raw.secret("kubeconfig") } : {}) },
    };
}

/** The project file's defaults mean "not set": an empty string, object or list. */
function isUnset(value: unknown): boolean {
    if (value === undefined || value === "") return true;
    if (Array.isArray(value)) return value.length === 0;
    return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

/** Rules that span keys. */
function crossChecks(plain: Plain, raw: RawConfig): string[] {
    const problems: string[] = [];
    if (plain.cluster.type === "existing" && plain.cluster.kubeconfig !== undefined && !isUnset(raw.values.kubeconfig)) {
        problems.push("cluster.kubeconfig: set together with the kubeconfig secret (expected exactly one of a path or inline content)");
    }
    return problems;
}

/** `isConfigSecret` is exported by the SDK's runtime but not declared in its typings. */
type RuntimeWithSecretKeys = typeof pulumi.runtime & { isConfigSecret(fullKey: string): boolean };

/** Decodes a raw config string: structured values arrive as JSON text, scalars as plain text. */
function decode(text: string): unknown {
    const t = text.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
        try {
            return JSON.parse(t);
        } catch {
            return text;
        }
    }
    return text;
}

/** Reads and validates this stack's configuration. Call once, from `index.ts`, before declaring resources. */
export function loadConfig(): StackConfig {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const config = new pulumi.Config(PROJECT);
    const prefix = `${PROJECT}:`;
    const values: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        const isSecret = (pulumi.runtime as RuntimeWithSecretKeys).isConfigSecret(fullKey);
        if (isSecret) secretKeys.add(key);
        // Secret keys are never decoded or inspected beyond presence and type.
        values[key] = (SECRET_KEYS as readonly string[]).includes(key) ? text : decode(text);
    }
    const resolved = parseStackConfig(
        { values, secretKeys, secret: (key) => config.requireSecret(key) },
        `${PROJECT} (stack ${stack})`,
    );
    return { project, stack, ...resolved };
}
