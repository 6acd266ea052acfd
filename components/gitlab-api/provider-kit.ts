/**
 * What every GitLab dynamic provider shares: the connection (read in the provider process, per call),
 * gitbeaker client options running on our HTTP layer, `check` results from `validateXxx` messages, and
 * a `diff` that says which changes replace and which update.
 */
import type * as pulumi from "@pulumi/pulumi";
import { GitLabConnectionError, resolveConnection, type GitLabConnection } from "./connection";
import { GITLAB_API_REQUEST_TIMEOUT_BOUNDS_MS } from "./defaults";
import { gitbeakerRequesterFn, type HttpOptions, type Requester } from "./http";

/**
 * The value of an input not known yet (a preview with unresolved outputs); the SDK's
 * `runtime/rpc` `unknownValue`. Validators skip it.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value is set and known. */
export function known(value: unknown): boolean {
    return value !== undefined && value !== null && value !== UNKNOWN;
}

/** How a provider is built. The resources use `{}`; tests pass a fake environment and tiny backoff. */
export interface ProviderSettings {
    /**
     * Retry bounds and hooks of the HTTP layer.
     * @default - the named defaults `GITLAB_API_*` in components/defaults.ts
     */
    http?: HttpOptions;
    /**
     * Where `GITLAB_TOKEN` and `GITLAB_BASE_URL` are read from.
     * @default - `process.env` of the provider process, read at each call
     */
    env?: Record<string, string | undefined>;
    /**
     * Attempts of one commit on a branch conflict (RepositoryFile).
     * @default - {@link GITLAB_FILE_COMMIT_ATTEMPTS} in components/defaults.ts
     */
    commitAttempts?: number;
    /**
     * First wait before retrying a commit after a branch conflict, in ms.
     * @default - {@link GITLAB_FILE_COMMIT_RETRY_DELAY_MS} in components/defaults.ts
     */
    commitRetryDelayMs?: number;
}

/** What the provider's `configure` found in the stack config. Empty when serialized; filled in the provider process. */
export interface ConfiguredConnection {
    token?: string;
    baseUrl?: string;
}

/** Options for a gitbeaker resource class: our requester, no gitbeaker-side timeout (ours applies). */
export interface ClientOptions {
    host: string;
    requesterFn: (service: { url: string }) => Requester;
    queryTimeout: null;
}

/** The `configure` step: remembers `gitlab:token` / `gitlab:baseUrl` from the stack config. */
export function configureFrom(
    configured: ConfiguredConnection,
): (req: pulumi.dynamic.ConfigureRequest) => Promise<void> {
    return async (req) => {
        configured.token = req.config.get("gitlab:token");
        configured.baseUrl = req.config.get("gitlab:baseUrl");
    };
}

/**
 * The per-attempt timeout from `GITLAB_API_REQUEST_TIMEOUT_MS` in the environment, if set: a whole number
 * of milliseconds within {@link GITLAB_API_REQUEST_TIMEOUT_BOUNDS_MS}, else a named error.
 */
export function requestTimeoutFromEnv(env: Record<string, string | undefined>): number | undefined {
    const raw = env.GITLAB_API_REQUEST_TIMEOUT_MS?.trim();
    if (raw === undefined || raw === "") return undefined;
    const [min, max] = GITLAB_API_REQUEST_TIMEOUT_BOUNDS_MS;
    const ms = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(ms >= min && ms <= max))
        throw new GitLabConnectionError(
            `GITLAB_API_REQUEST_TIMEOUT_MS: ${JSON.stringify(raw)} is not a timeout (expected a whole number of milliseconds from ${min} to ${max})`,
        );
    return ms;
}

/** The connection, the HTTP options and gitbeaker client options for one provider call. */
export function gitlabClient(
    settings: ProviderSettings,
    configured: ConfiguredConnection,
): { connection: GitLabConnection; http: HttpOptions; client: ClientOptions } {
    const env = settings.env ?? process.env;
    const connection = resolveConnection({ config: configured, env });
    const envTimeout = requestTimeoutFromEnv(env);
    const http = envTimeout === undefined ? (settings.http ?? {}) : { ...settings.http, requestTimeoutMs: envTimeout };
    return {
        connection,
        http,
        client: {
            host: connection.host,
            requesterFn: gitbeakerRequesterFn(connection, http),
            queryTimeout: null,
        },
    };
}

/** `check`'s answer: the resolved inputs, and one failure per `<field>: <problem>` message. */
export function checkResult<T>(inputs: T, problems: readonly string[]): pulumi.dynamic.CheckResult<T> {
    return { inputs, failures: problems.map((reason) => ({ property: reason.split(":")[0], reason })) };
}

/** The project problem, if any: a numeric ID or a full path such as `group/sub/project`. */
export function projectProblem(project: unknown, field = "project"): string[] {
    if (!known(project))
        return project === UNKNOWN
            ? []
            : [`${field}: missing (expected a numeric project ID or a full path such as "group/project")`];
    if (typeof project !== "string" || !/^(?:\d+|[\w.-]+(?:\/[\w.-]+)+)$/.test(project)) {
        return [
            `${field}: ${JSON.stringify(project)} is not a project (expected a numeric project ID or a full path such as "group/project")`,
        ];
    }
    return [];
}

/** How the diff of one resource treats its inputs. */
export interface DiffSpec<T> {
    /** Inputs whose change replaces the resource. */
    replace: (keyof T & string)[];
    /** Inputs changed in place. */
    update: (keyof T & string)[];
    /**
     * What GitLab holds when an optional input is absent. Removing such an input from the program is a
     * change back to this value (not "unmanaged"); `withUnset` fills it in for the update call. Inputs
     * not listed here stay unmanaged when absent.
     */
    unset?: Partial<Record<keyof T & string, unknown>>;
    /** Replacing because of these deletes first (the new object could adopt the old one, then lose it). */
    deleteFirstOn?: (keyof T & string)[];
    /** Custom equality per input (sets, dates, bytes). */
    equal?: Partial<Record<keyof T & string, (a: unknown, b: unknown, olds: T, news: T) => boolean>>;
}

/** Absent, null and "" are one value to GitLab's optional text fields. */
function blank(v: unknown): boolean {
    return v === undefined || v === null || v === "";
}

/**
 * Compares new inputs with old outputs. An absent input listed in `spec.unset` compares as GitLab's value
 * for it, so removing it from the program is a change; other absent inputs are not managed.
 */
export function diffBySpec<T extends object>(olds: T, news: T, spec: DiffSpec<T>): pulumi.dynamic.DiffResult {
    const o = olds as Record<string, unknown>;
    const n = withUnset(news, spec.unset) as Record<string, unknown>;
    const given = news as Record<string, unknown>;
    const differs = (k: keyof T & string): boolean => {
        if (n[k] === undefined) return false;
        if (blank(o[k]) && (blank(n[k]) || given[k] === undefined)) return false;
        const eq = spec.equal?.[k];
        return eq ? !eq(o[k], n[k], olds, news) : JSON.stringify(o[k]) !== JSON.stringify(n[k]);
    };
    const replaces = spec.replace.filter(differs);
    const updates = spec.update.filter(differs);
    return {
        changes: replaces.length + updates.length > 0,
        replaces,
        deleteBeforeReplace: replaces.some((k) => spec.deleteFirstOn?.includes(k)),
    };
}

/** `inputs` with every absent input of `unset` set to GitLab's value for it (what an update must send). */
export function withUnset<T extends object>(inputs: T, unset: Partial<Record<keyof T & string, unknown>> = {}): T {
    const out = { ...inputs } as Record<string, unknown>;
    for (const [k, v] of Object.entries(unset)) if (out[k] === undefined) out[k] = v;
    return out as T;
}

/** Set equality for string lists (tags, scopes): order and duplicates do not matter. */
export function sameSet(a: unknown, b: unknown): boolean {
    const norm = (v: unknown): string => JSON.stringify([...new Set(Array.isArray(v) ? v.map(String) : [])].sort());
    return norm(a) === norm(b);
}

/** Splits a composite ID (`project:agentId:tokenId`) into `parts` fields; the last keeps any further colons. */
export function splitId(id: string, parts: number): string[] {
    const fields = id.split(":");
    return [...fields.slice(0, parts - 1), fields.slice(parts - 1).join(":")];
}

/** A GitLab answer without the shape the provider stores; never stored as "undefined" or NaN. */
export class GitLabResponseError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "GitLabResponseError";
    }
}

type Body = Record<string, unknown>;

/** Checks each field a provider stores from a GitLab response; `what` names the call in errors. */
export const expect = {
    /** A JSON object (not an array, not text). */
    object(body: unknown, what: string): Body {
        if (body === null || typeof body !== "object" || Array.isArray(body)) {
            throw new GitLabResponseError(`${what}: GitLab answered ${shape(body)} (expected a JSON object)`);
        }
        return body as Body;
    },
    /** A JSON array of objects. */
    array(body: unknown, what: string): Body[] {
        if (!Array.isArray(body))
            throw new GitLabResponseError(`${what}: GitLab answered ${shape(body)} (expected a JSON array)`);
        return body.map((item, i) => expect.object(item, `${what}[${i}]`));
    },
    /** A positive integer ID. */
    id(body: Body, key: string, what: string): number {
        const v = body[key];
        if (!(typeof v === "number" && Number.isInteger(v) && v > 0))
            throw new GitLabResponseError(`${what}: field ${key} is ${shape(v)} (expected a positive integer)`);
        return v;
    },
    /** A non-empty string (names, minted tokens: a token field missing must never be stored as "undefined"). */
    string(body: Body, key: string, what: string): string {
        const v = body[key];
        if (typeof v !== "string" || v === "")
            throw new GitLabResponseError(`${what}: field ${key} is ${shape(v)} (expected a non-empty string)`);
        return v;
    },
    /** A string, or absent/null (undefined). */
    optString(body: Body, key: string, what: string): string | undefined {
        const v = body[key];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "string")
            throw new GitLabResponseError(`${what}: field ${key} is ${shape(v)} (expected a string or null)`);
        return v;
    },
    /** A boolean, or absent (undefined). */
    optBoolean(body: Body, key: string, what: string): boolean | undefined {
        const v = body[key];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "boolean")
            throw new GitLabResponseError(`${what}: field ${key} is ${shape(v)} (expected true or false)`);
        return v;
    },
    /** A number, or absent/null (undefined). */
    optNumber(body: Body, key: string, what: string): number | undefined {
        const v = body[key];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "number" || !Number.isFinite(v))
            throw new GitLabResponseError(`${what}: field ${key} is ${shape(v)} (expected a number or null)`);
        return v;
    },
    /** A list of strings, absent/null as []. */
    strings(body: Body, key: string, what: string): string[] {
        const v = body[key];
        if (v === undefined || v === null) return [];
        if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
            throw new GitLabResponseError(`${what}: field ${key} is ${shape(v)} (expected a list of strings)`);
        return v as string[];
    },
};

/** What a value is, for an error message: its JSON type, never its content (it could be a secret). */
function shape(v: unknown): string {
    if (v === undefined) return "missing";
    if (v === null) return "null";
    if (Array.isArray(v)) return v.length === 0 ? "an empty array" : "an array";
    if (typeof v === "string") return v === "" ? "an empty string" : "a string";
    return `a ${typeof v}`;
}

/**
 * The refusal to take over an object this stack did not create. Dynamic resources cannot be imported
 * (`pulumi import` and the `import` option both fail for them: pulumi/pulumi#16175), so the way in is
 * the resource's `adopt: true`; the `pulumi import` command given is the one for `@pulumi/gitlab`, whose
 * resource IDs these providers share.
 */
export function takeoverError(kind: string, description: string, id: string, upstreamType: string | undefined): Error {
    const importHint = upstreamType
        ? `; or, with @pulumi/gitlab, import it: pulumi import ${upstreamType} <resource name> '${id}' (a dynamic resource cannot be imported: pulumi/pulumi#16175)`
        : "";
    return new Error(
        `${kind} ${description} already exists and this stack did not create it (ID ${id}): refusing to take it over, since another stack ` +
            `or a person owns it and destroying this resource would delete it (expected another name, the object removed first, or ` +
            `adopt: true on this resource to manage it from this stack${importHint})`,
    );
}

/** Where {@link serialized} keeps its queues: a plain object, so closure serialization carries it empty. */
export interface LockTable {
    queues?: Map<string, Promise<unknown>>;
}

/**
 * Runs `fn` after every earlier call with the same key on the same table has finished. The dynamic
 * provider host deserializes one provider per distinct serialized code and caches it, so a table at
 * module level of a resource's file is shared by every resource of that type in the stack.
 */
export function serialized<R>(table: LockTable, key: string, fn: () => Promise<R>): Promise<R> {
    const queues = (table.queues ??= new Map());
    const before = queues.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.then(
        () => undefined,
        () => undefined,
    );
    queues.set(key, tail);
    void tail.then(() => queues.get(key) === tail && queues.delete(key));
    return run;
}
