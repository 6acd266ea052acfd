/**
 * Posts or updates one note per marker on a merge request through GitLab's notes API
 * (GET/POST /projects/:id/merge_requests/:iid/notes, PUT .../notes/:note_id; docs.gitlab.com/api/notes),
 * with @gitbeaker/rest and the job's predefined variables. The CI job token may not write notes, so the
 * token comes from GITLAB_TOKEN; it never appears in a message.
 */
import { MergeRequestNotes } from "@gitbeaker/rest";
import { composeNote, type NoteKind, noteMarker } from "./note";

/** Where and as whom to write, from GitLab's predefined CI variables and GITLAB_TOKEN. */
export interface NoteTarget {
    /** `CI_API_V4_URL`, e.g. `https://gitlab.example.com/api/v4`. */
    apiUrl: string;
    /** `CI_PROJECT_ID`: the project the merge request belongs to. */
    projectId: string;
    /** `CI_MERGE_REQUEST_IID`. */
    mergeRequestIid: number;
    token: string;
}

export type TargetFromEnv = { target: NoteTarget } | { skip: string };

/** Notes are fetched this many per page (GitLab's maximum). */
export const NOTES_PER_PAGE = 100;
/** A request GitLab has not answered after this long fails the job. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** An error whose message is safe to print: no token, and what to do about it. */
export class NoteError extends Error {
    override name = "NoteError";
}

/** Reads the target from the environment; a missing token or merge request is a reason to skip, not an error. */
export function targetFromEnv(env: Record<string, string | undefined>): TargetFromEnv {
    if (!env.GITLAB_TOKEN) {
        return {
            skip: "GITLAB_TOKEN is not set (as in merge requests from forks, or when the variable is protected and the branch is not): the note is not posted; the report stays in the job's artifacts",
        };
    }
    if (!env.CI_MERGE_REQUEST_IID)
        return {
            skip: "not a merge request pipeline (CI_MERGE_REQUEST_IID is not set): there is no merge request to write on",
        };
    const missing = ["CI_API_V4_URL", "CI_PROJECT_ID"].filter((k) => !env[k]);
    if (missing.length > 0)
        throw new NoteError(`${missing.join(", ")} not set (expected GitLab's predefined CI variables)`);
    if (!/\/api\/v4\/?$/.test(env.CI_API_V4_URL!))
        throw new NoteError(
            `CI_API_V4_URL: "${env.CI_API_V4_URL}" does not end in /api/v4 (expected e.g. https://gitlab.example.com/api/v4)`,
        );
    const iid = Number(env.CI_MERGE_REQUEST_IID);
    if (!Number.isInteger(iid) || iid <= 0)
        throw new NoteError(`CI_MERGE_REQUEST_IID: "${env.CI_MERGE_REQUEST_IID}" is not a merge request number`);
    return {
        target: {
            apiUrl: env.CI_API_V4_URL!,
            projectId: env.CI_PROJECT_ID!,
            mergeRequestIid: iid,
            token: env.GITLAB_TOKEN,
        },
    };
}

const HINTS: Record<number, string> = {
    401: "GitLab rejected the token in GITLAB_TOKEN (revoked, expired or mistyped)",
    403: "the token in GITLAB_TOKEN may not write notes here (it needs the api scope and at least the Reporter role in the project)",
    404: "the project or merge request was not found, or the token cannot see it",
};

/** Turns a gitbeaker or network failure into a NoteError that says what failed and never shows the token. */
export function describeFailure(err: unknown, target: NoteTarget): NoteError {
    const mask = (s: string) => (target.token ? s.split(target.token).join("[masked]") : s);
    const cause = (err as { cause?: { request?: Request; response?: Response; description?: string } }).cause;
    if (cause?.response && cause.request) {
        const { status, statusText } = cause.response;
        const where = `${cause.request.method} ${new URL(cause.request.url).pathname}`;
        const hint =
            HINTS[status] ??
            (status >= 500
                ? "GitLab failed to answer (server error); run the job again"
                : `GitLab refused the request: ${cause.description ?? ""}`);
        return new NoteError(mask(`GitLab answered ${status} ${statusText} to ${where}: ${hint}`));
    }
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === "GitbeakerTimeoutError")
        return new NoteError(`GitLab at ${target.apiUrl} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
    const detail = e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
    return new NoteError(mask(`could not talk to GitLab at ${target.apiUrl}: ${detail}`));
}

export interface NoteResult {
    action: "created" | "updated";
    noteId: number;
}

/**
 * Updates the oldest note of the merge request whose body starts with `marker`, or creates one. Every page
 * of notes is read (gitbeaker follows the Link header), so an old note is found however long the thread.
 */
export async function upsertNote(target: NoteTarget, marker: string, body: string): Promise<NoteResult> {
    if (!body.startsWith(marker)) throw new NoteError("the note body must start with its marker");
    const host = target.apiUrl.replace(/\/api\/v4\/?$/, "");
    const notes = new MergeRequestNotes({ host, token: target.token, queryTimeout: REQUEST_TIMEOUT_MS });
    try {
        const all = await notes.all(target.projectId, target.mergeRequestIid, {
            sort: "asc",
            orderBy: "created_at",
            perPage: NOTES_PER_PAGE,
        });
        const mine = all.find((n) => !n.system && typeof n.body === "string" && n.body.startsWith(marker));
        if (mine) {
            await notes.edit(target.projectId, target.mergeRequestIid, mine.id, { body });
            return { action: "updated", noteId: mine.id };
        }
        const created = await notes.create(target.projectId, target.mergeRequestIid, body);
        return { action: "created", noteId: created.id };
    } catch (err) {
        throw describeFailure(err, target);
    }
}

export type PublishResult = NoteResult | { action: "skipped"; reason: string };

/**
 * The whole step, testable: composes the note for `kind`/`stack` from the job's environment and writes it to
 * the merge request at `env.CI_API_V4_URL`, or says why it is skipped.
 */
export async function publishNote(
    env: Record<string, string | undefined>,
    input: { kind: NoteKind; stack: string; markdown: string },
): Promise<PublishResult> {
    const body = composeNote({
        ...input,
        jobUrl: env.CI_JOB_URL,
        commit: env.CI_COMMIT_SHORT_SHA ?? env.CI_COMMIT_SHA,
    });
    const found = targetFromEnv(env);
    if ("skip" in found) return { action: "skipped", reason: found.skip };
    return upsertNote(found.target, noteMarker(input.kind, input.stack), body);
}
