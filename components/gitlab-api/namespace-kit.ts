/**
 * What the Group and Project providers share: plain REST calls through the one HTTP layer, the
 * "create, never adopt" rule with its one exception (our own retried POST), and GitLab 18's two-step
 * deletion (mark for deletion, then `permanently_remove` with the full path).
 *
 * Facts checked against docs.gitlab.com/api/groups and /api/projects (GitLab 18.x, December 2026):
 * DELETE marks a group or project for deletion on every tier since 18.0; a second DELETE with
 * `permanently_remove=true&full_path=<path>` removes an object already marked (top-level groups only
 * through the retention period); a taken path answers 400 `... has already been taken`.
 */
import { hasMessage, hasStatus, sendGitLabRequest, type GitLabApiError } from "./http";
import { gitlabClient, type ConfiguredConnection, type ProviderSettings } from "./provider-kit";

/** Visibility of a group or project (`@pulumi/gitlab`'s `visibilityLevel`). */
export type VisibilityLevel = "private" | "internal" | "public";
export const VISIBILITY_LEVELS: readonly VisibilityLevel[] = ["private", "internal", "public"];

/** A GitLab path segment: letters, digits, '_', '-', '.', not starting or ending with a special character. */
export const PATH_SEGMENT = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/** An object that exists and was not made by this resource. */
export class AlreadyExistsError extends Error {
    constructor(what: string, fullPath: string, id: unknown, resourceType: string) {
        const message =
            `${what} "${fullPath}" already exists in GitLab (id ${String(id)}) and was not created by this stack: refusing to adopt it. ` +
            `Name it as existing in the stack config instead, or take it over explicitly with the resource option ` +
            `\`import: "${String(id)}"\` (with @pulumi/gitlab: pulumi import ${resourceType} <name> ${String(id)}).`;
        super(message);
        this.name = "AlreadyExistsError";
        // Set again: the serialized provider closure turns `super(message)` into `Error.call(this, ...)` (see http.ts).
        this.message = message;
    }
}

type Json = Record<string, unknown>;

/** A tiny REST client bound to one provider call's connection. */
export function restClient(settings: ProviderSettings, configured: ConfiguredConnection) {
    const { connection, http } = gitlabClient(settings, configured);
    const send = async (method: string, path: string, body?: Json, query?: Json): Promise<Json> =>
        (await sendGitLabRequest(connection, { method, path, body, query }, http)).body as Json;
    return {
        get: (path: string) => send("GET", path),
        post: (path: string, body: Json) => send("POST", path, body),
        put: (path: string, body: Json) => send("PUT", path, body),
        delete: (path: string, query?: Json) => send("DELETE", path, undefined, query),
        /** GET that answers undefined on 404. */
        async find(path: string): Promise<Json | undefined> {
            try {
                return await send("GET", path);
            } catch (e) {
                if (hasStatus(e, 404)) return undefined;
                throw e;
            }
        },
    };
}
/** The client {@link restClient} returns. */
export type RestClient = ReturnType<typeof restClient>;

/** `group/sub` -> `group%2Fsub`, the form GitLab accepts in place of a numeric ID. */
export function encodePath(fullPath: string): string {
    return encodeURIComponent(fullPath);
}

/**
 * Creates with POST, refusing an object that already exists. A 400 "has already been taken" after more
 * than one attempt means our own earlier attempt may have reached GitLab (its answer was lost): the object
 * found by its full path is ours only if GitLab's `created_at` is not older than this create (with a
 * minute for clock skew). Any other collision is refused.
 */
export async function createOnce(
    api: RestClient,
    opts: { what: string; resourceType: string; collection: string; lookup: string; fullPath: string; body: Json },
): Promise<Json> {
    const before = await api.find(opts.lookup);
    if (before !== undefined) throw new AlreadyExistsError(opts.what, opts.fullPath, before.id, opts.resourceType);
    const startedAt = Date.now();
    try {
        return await api.post(opts.collection, opts.body);
    } catch (e) {
        const retried = ((e as GitLabApiError).attempts ?? 1) > 1;
        if (!retried || !hasMessage(e, 400, /already been taken/i)) throw e;
        const found = await api.find(opts.lookup);
        if (found === undefined) throw e;
        // Ours only if GitLab made it after this create began: one made by someone else between the
        // lookup above and the POST is refused like any existing object (never taken over).
        const createdAt = typeof found.created_at === "string" ? Date.parse(found.created_at) : NaN;
        if (!(createdAt >= startedAt - CREATED_AT_SKEW_MS))
            throw new AlreadyExistsError(opts.what, opts.fullPath, found.id, opts.resourceType);
        return found;
    }
}

/** How far GitLab's clock may run behind this machine's for {@link createOnce} to still recognise its own object. */
const CREATED_AT_SKEW_MS = 60_000;

/**
 * Deletes as GitLab 18 does: DELETE marks for deletion; with `permanentlyRemove`, a second DELETE with
 * the full path removes it now. An object already gone is done.
 */
export async function deleteTwoStep(
    api: RestClient,
    path: string,
    fullPath: string,
    permanentlyRemove: boolean,
): Promise<void> {
    try {
        await api.delete(path);
    } catch (e) {
        if (hasStatus(e, 404)) return;
        // A retried DELETE whose first attempt reached GitLab finds the object marked already.
        if (!hasMessage(e, 400, /already (been )?marked for deletion/i)) throw e;
    }
    if (!permanentlyRemove) return;
    try {
        await api.delete(path, { permanently_remove: true, full_path: fullPath });
    } catch (e) {
        if (!hasStatus(e, 404)) throw e;
    }
}

/** The fields of `olds` -> `news` that changed, as GitLab's snake_case request body. */
export function changedBody<T extends object>(
    olds: T,
    news: T,
    fields: Partial<Record<keyof T & string, string>>,
): Json {
    const body: Json = {};
    for (const [key, apiKey] of Object.entries(fields) as [keyof T & string, string][]) {
        const value = news[key];
        if (value !== undefined && JSON.stringify(value) !== JSON.stringify(olds[key])) body[apiKey] = value;
    }
    return body;
}
