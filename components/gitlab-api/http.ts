/**
 * The ONE place where the GitLab API layer talks HTTP: retries (retry.ts), per-attempt timeouts, error
 * messages that name the missing scope or carry GitLab's own message, and redaction (redact.ts). The
 * gitbeaker resource classes run on it through their `requesterFn` hook, so gitbeaker builds endpoints
 * and this module owns every byte on the wire.
 */
import type { GitLabConnection } from "./connection";
import { redact } from "./redact";
import {
    RETRYABLE_NETWORK_CODES,
    backoffDelayMs,
    isReplaySafe,
    replayHazard,
    isRetryableStatus,
    parseRetryAfterMs,
    resolveRetryPolicy,
    type RetryPolicy,
} from "./retry";

/** Time source of the retry loop; tests pass a fake one so `Retry-After: 120` costs no real time. */
export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

/** Overrides of the HTTP behaviour: retry bounds and hooks. */
export interface HttpOptions extends Partial<RetryPolicy> {
    /**
     * Receives one redacted line per retry.
     * @default - `console.warn` (the dynamic provider's stderr, kept in the engine's log)
     */
    log?: (line: string) => void;
    /** Time source of the retry loop. @default - wall clock and `setTimeout` */
    clock?: Clock;
    /** Jitter source in [0, 1). @default Math.random */
    random?: () => number;
}

/** A failed GitLab API call. Its message is redacted and reads `GitLab API <METHOD> <path>: <why>`. */
export class GitLabApiError extends Error {
    constructor(
        message: string,
        /** The HTTP status of the last response; undefined for network failures and timeouts. */
        readonly status: number | undefined,
        /** GitLab's own `message`/`error` text, flattened and redacted. */
        readonly gitlabMessage: string | undefined,
        /** How many attempts were made. */
        readonly attempts: number,
    ) {
        super(message);
        this.name = "GitLabApiError";
        // Set again: in the provider closure Pulumi serializes, \`super(message)\` becomes \`Error.call(this, ...)\`,
        // which sets nothing on \`this\`, and the engine would report "undefined" (seen by npm run simulate).
        this.message = message;
    }
}

/** Whether `e` is a GitLab API failure with this status (duck-typed: closures are serialized apart). */
export function hasStatus(e: unknown, status: number): boolean {
    return (e as { name?: string })?.name === "GitLabApiError" && (e as GitLabApiError).status === status;
}

/** Whether `e` is a GitLab API failure whose GitLab message matches `pattern`. */
export function hasMessage(e: unknown, status: number, pattern: RegExp): boolean {
    return hasStatus(e, status) && pattern.test((e as GitLabApiError).gitlabMessage ?? "");
}

/** One response, as gitbeaker's requester contract expects it. */
export interface ApiResponse {
    status: number;
    headers: Record<string, string>;
    body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint
}

/** One request; `path` is relative to the API root (`projects/1/variables`), segments already encoded. */
export interface ApiRequest {
    method: string;
    path: string;
    query?: Record<string, unknown>;
    body?: Record<string, unknown>;
    signal?: AbortSignal;
}

const SYSTEM_CLOCK: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

const STATUS_TEXT: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
};

/** `runnerType` -> `runner_type`, applied to request keys (gitbeaker hands them over camelCased). */
function snake(key: string): string {
    return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

function snakeKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(snakeKeys);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
        Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [snake(k), snakeKeys(v)]),
    );
}

/** Query string in Rails style: `filter[environment_scope]=*`, `tag_list[]=a`. */
export function encodeQuery(params: Record<string, unknown> = {}): string {
    const pairs: string[] = [];
    const add = (key: string, value: unknown): void => {
        if (value === undefined || value === null) return;
        if (Array.isArray(value)) value.forEach((v) => add(`${key}[]`, v));
        else if (typeof value === "object") Object.entries(value).forEach(([k, v]) => add(`${key}[${snake(k)}]`, v));
        else pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    };
    Object.entries(params).forEach(([k, v]) => add(snake(k), v));
    return pairs.join("&");
}

/** GitLab's `message` (string, list or field map) or `error` (+ description), as one line. */
export function gitlabMessageOf(body: unknown): string | undefined {
    if (body === null || body === undefined) return undefined;
    if (typeof body === "string") return body.trim() === "" ? undefined : body.trim().slice(0, 500);
    const b = body as { message?: unknown; error?: unknown; error_description?: unknown };
    const flat = (m: unknown): string =>
        typeof m === "string"
            ? m
            : Array.isArray(m)
              ? m.map(flat).join(", ")
              : m && typeof m === "object"
                ? Object.entries(m)
                      .map(([k, v]) => `${k}: ${flat(v)}`)
                      .join("; ")
                : String(m);
    if (b.message !== undefined) return flat(b.message);
    if (b.error !== undefined)
        return b.error_description ? `${flat(b.error)}: ${flat(b.error_description)}` : flat(b.error);
    return undefined;
}

/**
 * The token scope an endpoint needs. `create_runner` covers exactly one call, `POST /user/runners`;
 * reading, editing and deleting that runner (`/runners/:id`) need `api`, like everything else here.
 * @see https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes
 */
export function requiredScope(path: string, method = "GET"): string {
    return method.toUpperCase() === "POST" && /^\/?user\/runners(?:$|[?])/.test(path) ? "create_runner" : "api";
}

function describeStatus(status: number, method: string, path: string, said: string | undefined): string {
    const head = `${status} ${STATUS_TEXT[status] ?? "HTTP error"}`;
    const scope = requiredScope(path, method);
    const gitlab = said ? `; GitLab said: ${said}` : "";
    if (status === 401)
        return `${head}: GitLab rejected the token (expected a valid, unexpired access token with the \`${scope}\` scope in GITLAB_TOKEN or the stack config gitlab:token${gitlab})`;
    if (status === 403 && /insufficient_scope/.test(said ?? ""))
        return `${head}: the token lacks the \`${scope}\` scope (expected a token with the \`${scope}\` scope${gitlab})`;
    if (status === 403)
        return `${head}: the token may not do this (expected a token with the \`${scope}\` scope whose user has the Maintainer or Owner role on the target${gitlab})`;
    return said ? `${head}: ${said}` : head;
}

/** A 3xx, refused: names where it pointed (origin only: a Location's path or query may carry secrets). */
function describeRedirect(res: ApiResponse, requested: string): string {
    const location = res.headers.location;
    let target = "no Location header";
    if (location !== undefined) {
        try {
            const to = new URL(location, requested);
            target = to.origin === new URL(requested).origin ? `${to.origin} (same origin, another path)` : to.origin;
        } catch {
            target = "an unparsable Location";
        }
    }
    return `${res.status} redirect to ${target}, not followed: the token is never sent on (expected the API root itself in gitlab:baseUrl / GITLAB_BASE_URL, e.g. https:// instead of http://, or the right host and path prefix)`;
}

type Attempt =
    { response: ApiResponse } | { failure: "timeout" | "network" | "aborted"; detail: string; code?: string };

async function attemptOnce(
    url: string,
    init: RequestInit,
    timeoutMs: number,
    external: AbortSignal | undefined,
): Promise<Attempt> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
        // Never follow a redirect: fetch would resend PRIVATE-TOKEN to whatever origin it names and turn a
        // 302'd POST into a GET. A 3xx comes back as a response and is refused in sendGitLabRequest.
        const res = await fetch(url, {
            ...init,
            redirect: "manual",
            signal: external ? AbortSignal.any([timeout, external]) : timeout,
        });
        const text = await res.text();
        const headers: Record<string, string> = {};
        res.headers.forEach((v, k) => (headers[k] = v));
        let body: unknown = text === "" ? null : text;
        if (text !== "" && (headers["content-type"] ?? "").includes("json")) {
            try {
                body = JSON.parse(text);
            } catch {
                body = text;
            }
        }
        return { response: { status: res.status, headers, body } };
    } catch (e) {
        if (external?.aborted) return { failure: "aborted", detail: "the caller aborted the request" };
        if (timeout.aborted) return { failure: "timeout", detail: `request timed out after ${timeoutMs} ms` };
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const code = cause?.code ?? (e as { code?: string }).code;
        return {
            failure: "network",
            code,
            detail: `network error ${code ?? "?"} (${cause?.message ?? (e as Error).message})`,
        };
    }
}

/**
 * Sends one API request with the retry policy: 429 and 503 are retried for every request, 502, 504,
 * timeouts and socket failures only for replay-safe ones (see `isReplaySafe`), each wait honouring
 * `Retry-After` or else backing off with full jitter, until `maxAttempts` or `maxElapsedMs` runs out.
 */
export async function sendGitLabRequest(
    conn: GitLabConnection,
    req: ApiRequest,
    options: HttpOptions = {},
): Promise<ApiResponse> {
    const policy = resolveRetryPolicy(options);
    const clock = options.clock ?? SYSTEM_CLOCK;
    const log = options.log ?? ((line: string) => console.warn(line));
    const method = req.method.toUpperCase();
    const path = `/${req.path.replace(/^\/+/, "")}`;
    const scrub = (text: string): string => redact(text, [conn.token]);
    const fail = (
        why: string,
        status: number | undefined,
        said: string | undefined,
        attempts: number,
    ): GitLabApiError =>
        new GitLabApiError(
            scrub(`GitLab API ${method} ${path}: ${why}`),
            status,
            said === undefined ? undefined : scrub(said),
            attempts,
        );
    const query = encodeQuery(req.query);
    const url = `${conn.baseUrl}${path}${query ? `?${query}` : ""}`;
    const headers: Record<string, string> = { "PRIVATE-TOKEN": conn.token, accept: "application/json" };
    const body = req.body === undefined ? undefined : JSON.stringify(snakeKeys(req.body));
    if (body !== undefined) headers["content-type"] = "application/json";
    const replaySafe = isReplaySafe(method, path);
    const unsafeNote = `not retried: ${replayHazard(method, path)}`;
    const started = clock.now();
    for (let attempt = 1; ; attempt++) {
        const remaining = policy.maxElapsedMs - (clock.now() - started);
        const outcome = await attemptOnce(
            url,
            { method, headers, body },
            Math.max(1, Math.min(policy.requestTimeoutMs, remaining)),
            req.signal,
        );
        let what: string;
        let retryAfterMs: number | undefined;
        let status: number | undefined;
        let said: string | undefined;
        if ("response" in outcome) {
            const res = outcome.response;
            if (res.status >= 300 && res.status < 400)
                throw fail(describeRedirect(res, url), res.status, undefined, attempt);
            if (res.status < 400) return res;
            status = res.status;
            said = gitlabMessageOf(res.body);
            what = describeStatus(res.status, method, path, said);
            if (!isRetryableStatus(res.status, replaySafe)) {
                const note = isRetryableStatus(res.status, true) ? `; ${unsafeNote}` : "";
                throw fail(`${what}${note}`, status, said, attempt);
            }
            retryAfterMs = parseRetryAfterMs(res.headers["retry-after"], clock.now());
        } else {
            what = outcome.detail;
            if (outcome.failure === "aborted") throw fail(what, undefined, undefined, attempt);
            const retryable = outcome.failure === "timeout" || RETRYABLE_NETWORK_CODES.includes(outcome.code ?? "");
            if (!retryable)
                throw fail(`${what}; is ${conn.baseUrl} the right GitLab API URL?`, undefined, undefined, attempt);
            if (!replaySafe) throw fail(`${what}; ${unsafeNote}`, undefined, undefined, attempt);
        }
        const elapsed = clock.now() - started;
        const bounds = `bounds: ${policy.maxAttempts} attempts, ${policy.maxElapsedMs} ms`;
        if (attempt >= policy.maxAttempts)
            throw fail(
                `gave up after ${attempt} attempts in ${elapsed} ms (${bounds}); last: ${what}`,
                status,
                said,
                attempt,
            );
        const delay = retryAfterMs ?? backoffDelayMs(attempt, policy, options.random);
        if (elapsed + delay >= policy.maxElapsedMs) {
            throw fail(
                `gave up after ${attempt} attempts in ${elapsed} ms: the next wait of ${delay} ms${retryAfterMs === undefined ? "" : " (Retry-After)"} exceeds the time budget (${bounds}); last: ${what}`,
                status,
                said,
                attempt,
            );
        }
        log(
            scrub(
                `gitlab-api: ${method} ${path}: ${what}; attempt ${attempt + 1}/${policy.maxAttempts} in ${delay} ms`,
            ),
        );
        await clock.sleep(delay);
    }
}

/** The requester contract of gitbeaker's resource classes (`requesterFn` option). */
type RequesterMethod = (
    endpoint: string,
    options?: { body?: unknown; searchParams?: Record<string, unknown>; signal?: AbortSignal },
) => Promise<ApiResponse>;
/** A gitbeaker requester: one method per HTTP verb. */
export type Requester = Record<"get" | "post" | "put" | "patch" | "delete", RequesterMethod>;

/**
 * A gitbeaker `requesterFn` sending through {@link sendGitLabRequest}. DELETE parameters travel in the
 * query string (GitLab reads them there; a body on DELETE is not portable through proxies).
 */
export function gitbeakerRequesterFn(
    conn: GitLabConnection,
    options: HttpOptions = {},
): (service: { url: string }) => Requester {
    return (service) => {
        const apiRoot = conn.baseUrl;
        const base = service.url.replace(/\/+$/, "");
        const prefix = base.length > apiRoot.length ? `${base.slice(apiRoot.length + 1)}/` : "";
        const send =
            (method: string): RequesterMethod =>
            (endpoint, opts = {}) => {
                const body = opts.body as Record<string, unknown> | undefined;
                const hasBody = body !== undefined && Object.keys(body).length > 0;
                const query = method === "DELETE" && hasBody ? { ...opts.searchParams, ...body } : opts.searchParams;
                return sendGitLabRequest(
                    conn,
                    {
                        method,
                        path: `${prefix}${endpoint}`,
                        query,
                        body: method !== "DELETE" && hasBody ? body : undefined,
                        signal: opts.signal,
                    },
                    options,
                );
            };
        return { get: send("GET"), post: send("POST"), put: send("PUT"), patch: send("PATCH"), delete: send("DELETE") };
    };
}
