/**
 * The faults a simulation injects into the fake GitLab, per phase. Each kind stands for a failure a
 * real GitLab (or the load balancer in front of it) produces; the providers' HTTP layer must absorb
 * each one and the end state must be the one a run without faults reaches:
 * - `429`: rate limited, with `Retry-After` (honoured);
 * - `5xx`: 503 on creates, 502 and 504 on reads, updates and deletes (replay-safe requests only: a 502
 *   after a token-minting POST is not retried, by design, see components/gitlab-api/retry.ts);
 * - `drop-after`: the connection dies after GitLab acted (a create of a group or project, a delete): the
 *   retry must find the object its first attempt made (a group or project whose `created_at` is not older
 *   than the create, see createOnce in components/gitlab-api/namespace-kit.ts). Not on an agent
 *   registration or a file commit: the provider cannot prove such an object its own there, and stops
 *   with the adopt hint instead (test/gitlab-api contract tests);
 * - `drop-before`: the connection dies before GitLab acted (never on a token-minting POST: the client
 *   cannot tell it from `drop-after` there, so it refuses to retry, by design);
 * - `timeout`: GitLab accepts a request and never answers, before acting (a read) or after it (a group
 *   create, a group delete, the instance setting): the client's per-attempt timeout ends the attempt and
 *   the replay-safe request is retried, finding what the first attempt did. The simulation shortens the
 *   timeout to {@link SIMULATED_REQUEST_TIMEOUT_MS} (GITLAB_API_REQUEST_TIMEOUT_MS) so this costs seconds.
 */
import type { Fault } from "../../test/helpers/gitlab-server";

export const FAULT_KINDS = ["429", "5xx", "drop-after", "drop-before", "timeout"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The providers' per-attempt timeout while `timeout` faults are injected: long enough for every answered
 * request on a loaded machine, short enough that each unanswered one costs little.
 */
export const SIMULATED_REQUEST_TIMEOUT_MS = 4_000;

/** The faults of one phase, in matching order. */
export function faultSchedule(kinds: readonly FaultKind[], phase: "up" | "destroy"): Fault[] {
    const on = (k: FaultKind) => kinds.includes(k);
    const faults: Fault[] = [];
    // Timeouts first: where another fault matches the same request, the unanswered attempt is the one that acted.
    if (phase === "up") {
        if (on("timeout"))
            faults.push(
                { method: "GET", path: /^\/namespaces\//, hang: "before" },
                { method: "POST", path: /^\/groups$/, hang: "after" },
                { method: "PUT", path: /^\/application\/settings$/, hang: "after" },
            );
        if (on("429"))
            faults.push(
                { status: 429, headers: { "retry-after": "1" }, times: 1 },
                { method: "POST", path: /\/cluster_agents$/, status: 429, headers: { "retry-after": "0" } },
            );
        if (on("5xx")) {
            faults.push(
                { method: "POST", path: /^\/projects$/, status: 503 },
                { method: "GET", path: /^\/namespaces\//, status: 502 },
                { method: "PUT", path: /^\/application\/settings$/, status: 504 },
                { method: "POST", path: /^\/user\/runners$/, status: 503 },
            );
        }
        if (on("drop-after")) {
            faults.push(
                { method: "POST", path: /^\/groups$/, drop: "after" },
                { method: "POST", path: /^\/projects$/, drop: "after" },
            );
        }
        if (on("drop-before"))
            faults.push(
                { method: "POST", path: /^\/groups$/, drop: "before" },
                { method: "GET", path: /\/cluster_agents$/, drop: "before" },
            );
    } else {
        if (on("timeout")) faults.push({ method: "DELETE", path: /^\/groups\//, hang: "after" });
        if (on("429")) faults.push({ method: "DELETE", status: 429, headers: { "retry-after": "0" } });
        if (on("5xx"))
            faults.push(
                { method: "DELETE", path: /\/runners\//, status: 503 },
                { method: "DELETE", path: /\/deploy_tokens\//, status: 502 },
            );
        if (on("drop-after"))
            faults.push(
                { method: "DELETE", path: /\/cluster_agents\/\d+$/, drop: "after" },
                { method: "DELETE", path: /^\/groups\//, drop: "after" },
            );
        if (on("drop-before")) faults.push({ method: "DELETE", path: /\/repository\/files\//, drop: "before" });
    }
    return faults;
}
