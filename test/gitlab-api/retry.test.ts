import { strict as assert } from "node:assert";
import {
    GITLAB_API_BASE_DELAY_MS,
    GITLAB_API_MAX_ATTEMPTS,
    GITLAB_API_MAX_DELAY_MS,
    GITLAB_API_MAX_ELAPSED_MS,
    GITLAB_API_REQUEST_TIMEOUT_MS,
} from "../../components/defaults";
import {
    backoffDelayMs,
    isReplaySafe,
    isRetryableStatus,
    parseRetryAfterMs,
    resolveRetryPolicy,
} from "../../components/gitlab-api/retry";

describe("gitlab-api retry policy (pure)", () => {
    it("defaults every bound to its named constant and lets each be overridden", () => {
        assert.deepEqual(resolveRetryPolicy(), {
            maxAttempts: GITLAB_API_MAX_ATTEMPTS,
            maxElapsedMs: GITLAB_API_MAX_ELAPSED_MS,
            baseDelayMs: GITLAB_API_BASE_DELAY_MS,
            maxDelayMs: GITLAB_API_MAX_DELAY_MS,
            requestTimeoutMs: GITLAB_API_REQUEST_TIMEOUT_MS,
        });
        assert.deepEqual(resolveRetryPolicy({ maxAttempts: 0, baseDelayMs: 1 }), {
            ...resolveRetryPolicy(),
            maxAttempts: 0,
            baseDelayMs: 1,
        });
    });

    it("backs off exponentially with full jitter, capped", () => {
        const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
        const table: [retry: number, random: number, expected: number][] = [
            [1, 0, 0],
            [1, 0.999, 99],
            [2, 0.5, 100],
            [3, 0.5, 200],
            [4, 0.999, 799],
            [5, 0.999, 999], // 1600 capped at 1000
            [30, 0.5, 500],
        ];
        for (const [retry, random, expected] of table)
            assert.equal(
                backoffDelayMs(retry, policy, () => random),
                expected,
                `retry ${retry} random ${random}`,
            );
    });

    it("reads Retry-After as seconds or an HTTP date", () => {
        const now = Date.parse("2026-11-22T10:00:00Z");
        const table: [string | undefined, number | undefined][] = [
            [undefined, undefined],
            ["", undefined],
            ["0", 0],
            ["2", 2_000],
            [" 120 ", 120_000],
            ["Sun, 22 Nov 2026 10:00:30 GMT", 30_000],
            ["Sun, 22 Nov 2026 09:00:00 GMT", 0],
            ["soon", undefined],
        ];
        for (const [header, expected] of table)
            assert.equal(parseRetryAfterMs(header, now), expected, `Retry-After ${JSON.stringify(header)}`);
    });

    it("retries 429/503 for every request, 502/504 only for replay-safe ones", () => {
        const table: [number, boolean, boolean][] = [
            [429, false, true],
            [503, false, true],
            [502, true, true],
            [502, false, false],
            [504, true, true],
            [504, false, false],
            [500, true, false],
            [400, true, false],
            [404, true, false],
        ];
        for (const [status, safe, expected] of table)
            assert.equal(isRetryableStatus(status, safe), expected, `${status} replay-safe=${safe}`);
    });

    it("never replays POSTs that mint a token shown once or create a named object", () => {
        const table: [string, string, boolean][] = [
            ["GET", "/runners/5", true],
            ["PUT", "/runners/5", true],
            ["DELETE", "/projects/1/cluster_agents/2/tokens/3", true],
            ["PUT", "/projects/1/repository/files/a%2Fb.yaml", true],
            ["POST", "/projects/group%2Fapp/cluster_agents", false],
            ["POST", "/projects/1/repository/files/a%2Fb.yaml", false],
            ["POST", "/projects/1/variables", false],
            ["POST", "/user/runners", false],
            ["POST", "/projects/1/cluster_agents/2/tokens", false],
            ["post", "/projects/group%2Fapp/deploy_tokens", false],
        ];
        for (const [method, path, expected] of table)
            assert.equal(isReplaySafe(method, path), expected, `${method} ${path}`);
    });
});
