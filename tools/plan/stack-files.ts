/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the CLI hands config to a program: full keys,
 * scalars as text, structure as JSON text, project-level defaults applied. `secure:` values are not
 * decrypted: they become an opaque placeholder and the key is marked secret.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";

export interface StackConfigFiles {
    project: string;
    main: string;
    config: Record<string, string>;
    secretKeys: string[];
}

/** Stands in for an encrypted value; never shown, since secret values render as "[secret]". */
export const SECRET_PLACEHOLDER = "offline-plan-secret-value";

function isSecure(value: unknown): boolean {
    return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length === 1 &&
        typeof (value as Record<string, unknown>).secure === "string"
    );
}

/** Replaces nested `secure:` values; reports whether any were found. */
function stripSecure(value: unknown): { value: unknown; secret: boolean } {
    if (isSecure(value)) return { value: SECRET_PLACEHOLDER, secret: true };
    if (Array.isArray(value)) {
        const items = value.map(stripSecure);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            const r = stripSecure(v);
            out[k] = r.value;
            secret ||= r.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

function toConfigText(value: unknown): string {
    return typeof value === "string"
        ? value
        : value !== null && typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
}

/** Parses a YAML file; a syntax error names the file, line and column (`Pulumi.dev.yaml:12:5: ...`). */
function readYaml(file: string): unknown {
    const lineCounter = new LineCounter();
    const doc = parseDocument(fs.readFileSync(file, "utf8"), { lineCounter, prettyErrors: false });
    const error = doc.errors[0];
    if (error) {
        const at = lineCounter.linePos(error.pos[0]);
        throw new Error(
            `${file}:${at.line}:${at.col}: YAML syntax error: ${error.message.split("\n")[0]} (expected valid YAML)`,
        );
    }
    return doc.toJS();
}

/** Loads the project and stack files under `dir`. Throws a plain Error naming the file when unreadable. */
export function readStackConfig(dir: string, stack: string): StackConfigFiles {
    const projectFile = path.join(dir, "Pulumi.yaml");
    const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile))
        throw new Error(`no stack file ${stackFile} (expected Pulumi.<stack>.yaml beside Pulumi.yaml)`);
    const project = readYaml(projectFile) as { name: string; main?: string; config?: Record<string, unknown> };
    const stackDoc = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown> };
    if (
        stackDoc.config !== undefined &&
        (typeof stackDoc.config !== "object" || stackDoc.config === null || Array.isArray(stackDoc.config))
    ) {
        throw new Error(`${stackFile}: config must be a map of keys to values`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const fullKey = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);

    // Project-level declarations: a `default` applies when the stack does not set the key.
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        const d = decl as { default?: unknown } | string | number | boolean;
        const value = typeof d === "object" && d !== null ? d.default : d;
        if (value !== undefined) config[fullKey(key)] = toConfigText(value);
    }
    for (const [key, raw] of Object.entries(stackDoc.config ?? {})) {
        const { value, secret } = stripSecure(raw);
        config[fullKey(key)] = toConfigText(value);
        if (secret) secretKeys.push(fullKey(key));
    }
    return { project: project.name, main: path.resolve(dir, project.main ?? "."), config, secretKeys };
}
