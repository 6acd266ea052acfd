/**
 * What every GitLab dynamic provider shares: the connection (read in the provider process, per call),
 * gitbeaker client options running on our HTTP layer, `check` results from `validateXxx` messages, and
 * a `diff` that says which changes replace and which update.
 */
import type * as pulumi from "@pulumi/pulumi";
import { resolveConnection, type GitLabConnection } from "./connection";
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
export function configureFrom(configured: ConfiguredConnection): (req: pulumi.dynamic.ConfigureRequest) => Promise<void> {
    return async (req) => {
        configured.token = req.config.get("gitlab:token");
        configured.baseUrl = req.config.get("gitlab:baseUrl");
    };
}

/** The connection and gitbeaker client options for one provider call. */
export function gitlabClient(settings: ProviderSettings, configured: ConfiguredConnection): { connection: GitLabConnection; client: ClientOptions } {
    const connection = resolveConnection({ config: configured, env: settings.env ?? process.env });
    return { connection, client: { host: connection.host, requesterFn: gitbeakerRequesterFn(connection, settings.http), queryTimeout: null } };
}

/** `check`'s answer: the resolved inputs, and one failure per `<field>: <problem>` message. */
export function checkResult<T>(inputs: T, problems: readonly string[]): pulumi.dynamic.CheckResult<T> {
    return { inputs, failures: problems.map((reason) => ({ property: reason.split(":")[0], reason })) };
}

/** The project problem, if any: a numeric ID or a full path such as `group/sub/project`. */
export function projectProblem(project: unknown, field = "project"): string[] {
    if (!known(project)) return project === UNKNOWN ? [] : [`${field}: missing (expected a numeric project ID or a full path such as "group/project")`];
    if (typeof project !== "string" || !/^(?:\d+|[\w.-]+(?:\/[\w.-]+)+)$/.test(project)) {
        return [`${field}: ${JSON.stringify(project)} is not a project (expected a numeric project ID or a full path such as "group/project")`];
    }
    return [];
}

/** How the diff of one resource treats its inputs. */
export interface DiffSpec<T> {
    /** Inputs whose change replaces the resource. */
    replace: (keyof T & string)[];
    /** Inputs changed in place. */
    update: (keyof T & string)[];
    /** Replacing because of these deletes first (the new object could adopt the old one, then lose it). */
    deleteFirstOn?: (keyof T & string)[];
    /** Custom equality per input (sets, dates, bytes). */
    equal?: Partial<Record<keyof T & string, (a: unknown, b: unknown, olds: T, news: T) => boolean>>;
}

/** Compares new inputs with old outputs. An input left unset is not managed and never differs. */
export function diffBySpec<T extends object>(olds: T, news: T, spec: DiffSpec<T>): pulumi.dynamic.DiffResult {
    const o = olds as Record<string, unknown>;
    const n = news as Record<string, unknown>;
    const differs = (k: keyof T & string): boolean => {
        if (n[k] === undefined) return false;
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
