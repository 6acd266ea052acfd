/**
 * The retry policy of the GitLab API layer as pure functions: which failures are retried, how long to
 * wait (exponential backoff with full jitter, or the server's `Retry-After`), and which requests may be
 * replayed at all. `http.ts` applies it; tests exercise it without a network.
 */
import {
    GITLAB_API_BASE_DELAY_MS,
    GITLAB_API_MAX_ATTEMPTS,
    GITLAB_API_MAX_DELAY_MS,
    GITLAB_API_MAX_ELAPSED_MS,
    GITLAB_API_REQUEST_TIMEOUT_MS,
} from "./defaults";

/** Bounds of the retry loop. Every request is bounded in attempts AND in total time. */
export interface RetryPolicy {
    /** Attempts per request, the first included. @default {@link GITLAB_API_MAX_ATTEMPTS} */
    maxAttempts: number;
    /** Total time one request may take across attempts and waits, in ms. @default {@link GITLAB_API_MAX_ELAPSED_MS} */
    maxElapsedMs: number;
    /** Backoff base: the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. @default {@link GITLAB_API_BASE_DELAY_MS} */
    baseDelayMs: number;
    /** Cap of one backoff wait (not of a server's `Retry-After`). @default {@link GITLAB_API_MAX_DELAY_MS} */
    maxDelayMs: number;
    /** Timeout of one attempt, in ms (shortened to the remaining budget). @default {@link GITLAB_API_REQUEST_TIMEOUT_MS} */
    requestTimeoutMs: number;
}

/** The policy with every bound set, from named defaults and the caller's overrides. */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
    return {
        maxAttempts: overrides.maxAttempts ?? GITLAB_API_MAX_ATTEMPTS,
        maxElapsedMs: overrides.maxElapsedMs ?? GITLAB_API_MAX_ELAPSED_MS,
        baseDelayMs: overrides.baseDelayMs ?? GITLAB_API_BASE_DELAY_MS,
        maxDelayMs: overrides.maxDelayMs ?? GITLAB_API_MAX_DELAY_MS,
        requestTimeoutMs: overrides.requestTimeoutMs ?? GITLAB_API_REQUEST_TIMEOUT_MS,
    };
}

/**
 * Statuses GitLab (or its load balancer) answers before handling a request: rate limited (Rack::Attack)
 * and unavailable. Retried for every request.
 */
export const RETRY_ALWAYS_STATUSES: readonly number[] = [429, 503];

/** Gateway errors: the request may have reached GitLab. Retried only for replay-safe requests. */
export const RETRY_IF_REPLAY_SAFE_STATUSES: readonly number[] = [502, 504];

/**
 * Socket-level failures worth another attempt (resets, hang-ups, timeouts). Refused connections and
 * unknown hosts are not in the list: they almost always mean a wrong base URL, and retrying would only
 * delay that message.
 */
export const RETRYABLE_NETWORK_CODES: readonly string[] = [
    "ECONNRESET",
    "EPIPE",
    "ETIMEDOUT",
    "ECONNABORTED",
    "EAI_AGAIN",
    "UND_ERR_SOCKET",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_HEADERS_TIMEOUT",
    "UND_ERR_BODY_TIMEOUT",
];

/**
 * POSTs that mint a secret shown only once (runner, agent and deploy tokens). Replaying one after an
 * ambiguous failure (reset, timeout, 502/504) could mint a second, orphaned token (and an agent allows
 * only two), so those are retried only on {@link RETRY_ALWAYS_STATUSES}.
 */
const MINTING_POST = [/\/user\/runners$/, /\/cluster_agents\/\d+\/tokens$/, /\/deploy_tokens$/];

/**
 * POSTs that create a named object (agent, variable, repository file). A replay after an ambiguous
 * failure would meet the object the first attempt may have made, which the provider cannot tell from
 * someone else's and must refuse to take over; so these are not replayed either.
 */
const CREATING_POST = [/\/cluster_agents$/, /\/variables$/, /\/repository\/files\/[^/]+$/];

/** Why a POST is not replayed after an ambiguous failure, or undefined when it may be. */
export function replayHazard(method: string, path: string): string | undefined {
    if (method.toUpperCase() !== "POST") return undefined;
    const bare = path.split("?")[0];
    if (MINTING_POST.some((re) => re.test(bare)))
        return "this request mints a token and may have reached GitLab, so look for an orphaned token before trying again";
    if (CREATING_POST.some((re) => re.test(bare))) {
        return "this request creates an object and may have reached GitLab; if it did, the next run refuses to take it over, so check for it and set adopt: true once, or remove it";
    }
    return undefined;
}

/** Whether a request may be sent again after a failure that leaves its outcome unknown. */
export function isReplaySafe(method: string, path: string): boolean {
    return replayHazard(method, path) === undefined;
}

/** Whether a response status is retried for this request. */
export function isRetryableStatus(status: number, replaySafe: boolean): boolean {
    return RETRY_ALWAYS_STATUSES.includes(status) || (replaySafe && RETRY_IF_REPLAY_SAFE_STATUSES.includes(status));
}

/** The wait before retry number `retry` (1 = first retry): full jitter over a capped exponential. */
export function backoffDelayMs(
    retry: number,
    policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
    random: () => number = Math.random,
): number {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
    return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` in ms: delta-seconds or an HTTP date (RFC 9110 section 10.2.3). Undefined when absent or
 * unparsable; 0 for a date in the past.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
    if (value === null || value === undefined || value.trim() === "") return undefined;
    const text = value.trim();
    if (/^\d+$/.test(text)) return Number(text) * 1000;
    const date = Date.parse(text);
    if (Number.isNaN(date)) return undefined;
    return Math.max(0, date - nowMs);
}
