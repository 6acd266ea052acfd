import { strict as assert } from "node:assert";
import { resolveConnection, type GitLabConnection } from "../../components/gitlab-api/connection";
import { sendGitLabRequest, type Clock, type GitLabApiError, type HttpOptions } from "../../components/gitlab-api/http";
import { gitlabClient, requestTimeoutFromEnv } from "../../components/gitlab-api/provider-kit";
import { resolveRetryPolicy } from "../../components/gitlab-api/retry";
import { startGitLabServer } from "../helpers/gitlab-server";
import { FAST, assertNoSecrets, rejection, useGitLab } from "./fixture";

/** A clock whose sleeps cost no time but are recorded (and advance `now`). */
function fakeClock(start = Date.parse("2026-11-22T10:00:00Z")): Clock & { sleeps: number[] } {
    let now = start;
    const sleeps: number[] = [];
    return {
        sleeps,
        now: () => now,
        sleep: async (ms) => {
            sleeps.push(ms);
            now += ms;
        },
    };
}

describe("gitlab-api HTTP layer against the fake GitLab", () => {
    const h = useGitLab();
    const conn = (): GitLabConnection =>
        resolveConnection({ env: { GITLAB_TOKEN: h.server.token, GITLAB_BASE_URL: h.server.url } });
    const opts = (more: HttpOptions = {}): HttpOptions => ({ ...FAST, log: (l) => h.logs.push(l), ...more });
    const get = (path: string, more?: HttpOptions) => sendGitLabRequest(conn(), { method: "GET", path }, opts(more));
    const agentsPath = /\/cluster_agents$/;

    it("retries a 429 after the Retry-After seconds, then succeeds", async () => {
        const clock = fakeClock();
        h.server.inject({ path: agentsPath, status: 429, headers: { "Retry-After": "2" } });
        const res = await get("projects/1/cluster_agents", { clock, maxElapsedMs: 60_000 });
        assert.equal(res.status, 200);
        assert.deepEqual(clock.sleeps, [2_000]);
        assert.deepEqual(
            h.server.requestsTo("GET", agentsPath).map((r) => r.status),
            [429, 200],
        );
        assert.deepEqual(h.logs, [
            "gitlab-api: GET /projects/1/cluster_agents: 429 Too Many Requests: 429 Too Many Requests; attempt 2/3 in 2000 ms",
        ]);
    });

    it("honours a Retry-After given as an HTTP date", async () => {
        const clock = fakeClock(Date.parse("2026-11-22T10:00:00Z"));
        h.server.inject({ status: 429, headers: { "Retry-After": "Sun, 22 Nov 2026 10:00:01 GMT" } });
        await get("projects/1/cluster_agents", { clock, maxElapsedMs: 60_000 });
        assert.deepEqual(clock.sleeps, [1_000]);
    });

    it("retries 503 with jittered exponential backoff, then succeeds", async () => {
        const clock = fakeClock();
        h.server.inject({ status: 503, times: 2 });
        const res = await get("projects/1/variables", {
            clock,
            maxAttempts: 4,
            baseDelayMs: 100,
            maxDelayMs: 1_000,
            random: () => 0.5,
        });
        assert.equal(res.status, 200);
        assert.deepEqual(clock.sleeps, [50, 100]);
        assert.equal(h.server.requests.length, 3);
    });

    it("retries gateway errors (502, 504) on replay-safe requests", async () => {
        h.server.inject({ status: 502 });
        h.server.inject({ status: 504 });
        assert.equal((await get("projects/1/variables")).status, 200);
        assert.deepEqual(
            h.server.requests.map((r) => r.status),
            [502, 504, 200],
        );
    });

    it("gives up after maxAttempts with an error naming the bound and the last status", async () => {
        h.server.inject({ status: 503, times: 10 });
        const err = (await rejection(get("projects/1/variables"))) as GitLabApiError;
        assert.match(
            err.message,
            /^GitLab API GET \/projects\/1\/variables: gave up after 3 attempts in \d+ ms \(bounds: 3 attempts, 2000 ms\); last: 503 Service Unavailable/,
        );
        assert.equal(err.status, 503);
        assert.equal(err.attempts, 3);
        assert.equal(h.server.requests.length, 3);
    });

    it("gives up at once when Retry-After exceeds the time budget", async () => {
        const clock = fakeClock();
        h.server.inject({ status: 429, headers: { "Retry-After": "120" }, times: 5 });
        const err = await rejection(get("projects/1/variables", { clock, maxAttempts: 5, maxElapsedMs: 10_000 }));
        assert.match(
            err.message,
            /gave up after 1 attempts in 0 ms: the next wait of 120000 ms \(Retry-After\) exceeds the time budget \(bounds: 5 attempts, 10000 ms\)/,
        );
        assert.deepEqual(clock.sleeps, []);
    });

    it("times out a slow attempt, retries it, and gives up when every attempt is slow", async () => {
        h.server.inject({ method: "GET", delayMs: 200 });
        assert.equal((await get("projects/1/variables", { requestTimeoutMs: 50 })).status, 200);
        h.server.inject({ method: "GET", delayMs: 200, times: 2 });
        const err = await rejection(get("projects/1/variables", { requestTimeoutMs: 50, maxAttempts: 2 }));
        assert.match(err.message, /gave up after 2 attempts .*; last: request timed out after 50 ms$/);
    });

    it("bounds every attempt: 30 s by default, GITLAB_API_REQUEST_TIMEOUT_MS within 1-120 s, else a named error", () => {
        const policy = resolveRetryPolicy();
        assert.equal(policy.requestTimeoutMs, 30_000);
        assert.ok(policy.requestTimeoutMs <= policy.maxElapsedMs);
        assert.equal(requestTimeoutFromEnv({}), undefined);
        assert.equal(requestTimeoutFromEnv({ GITLAB_API_REQUEST_TIMEOUT_MS: " 1500 " }), 1500);
        for (const bad of ["0", "999", "120001", "30s", "-5", "1e4"])
            assert.throws(
                () => requestTimeoutFromEnv({ GITLAB_API_REQUEST_TIMEOUT_MS: bad }),
                new RegExp(
                    `^GitLabConnectionError: GITLAB_API_REQUEST_TIMEOUT_MS: "${bad}" is not a timeout \\(expected a whole number of milliseconds from 1000 to 120000\\)$`,
                ),
            );
    });

    it("a request GitLab accepts and never answers ends at the provider's timeout and is retried", async () => {
        const { connection, http } = gitlabClient(
            {
                env: {
                    GITLAB_TOKEN: h.server.token,
                    GITLAB_BASE_URL: h.server.url,
                    GITLAB_API_REQUEST_TIMEOUT_MS: "1000",
                },
                http: opts({ requestTimeoutMs: 60_000, maxElapsedMs: 10_000 }),
            },
            {},
        );
        assert.equal(http.requestTimeoutMs, 1000);
        h.server.inject({ method: "GET", hang: "before" });
        const started = Date.now();
        const res = await sendGitLabRequest(connection, { method: "GET", path: "projects/1/variables" }, http);
        assert.equal(res.status, 200);
        assert.ok(Date.now() - started >= 1000, "waited for the timeout");
        assert.deepEqual(
            h.server.requests.map((r) => r.fault ?? String(r.status)),
            ["hang before", "200"],
        );
        assert.match(
            h.logs[0],
            /^gitlab-api: GET \/projects\/1\/variables: request timed out after 1000 ms; attempt 2\/3/,
        );
    });

    it("retries a dropped connection on a replay-safe request", async () => {
        h.server.inject({ drop: "before" });
        assert.equal(
            (await get("runners/1").catch((e: Error) => e.message)).toString().includes("404 Runner Not Found"),
            true,
        );
        assert.equal(h.server.requests.length, 2);
        assert.match(
            h.logs[0],
            /^gitlab-api: GET \/runners\/1: network error (UND_ERR_SOCKET|ECONNRESET) .*; attempt 2\/3 in \d ms$/,
        );
    });

    it("never replays a token-minting POST after a dropped connection or a 502", async () => {
        const post = () =>
            sendGitLabRequest(
                conn(),
                { method: "POST", path: "user/runners", body: { runnerType: "instance_type" } },
                opts(),
            );
        h.server.inject({ drop: "after" });
        const dropped = await rejection(post());
        assert.match(
            dropped.message,
            /not retried: this request mints a token and may have reached GitLab, so look for an orphaned token/,
        );
        assert.equal(h.server.runners.size, 1, "the runner was created, its token lost: exactly why no replay");
        h.server.inject({ status: 502 });
        assert.match(
            (await rejection(post())).message,
            /^GitLab API POST \/user\/runners: 502 Bad Gateway: 502 Bad Gateway; not retried: this request mints a token/,
        );
        assert.equal(h.server.requestsTo("POST", /^\/user\/runners$/).length, 2);
        h.server.inject({ status: 503 });
        assert.equal((await post()).status, 201, "503 is answered before GitLab acts: retried");
    });

    it("never follows a redirect: a 3xx is an error naming the Location's origin, the token goes nowhere else (contract: followed)", async () => {
        const elsewhere = await startGitLabServer();
        try {
            const target = `${elsewhere.url}/projects/1/cluster_agents?private=x`;
            h.server.inject({ method: "POST", status: 302, redirectTo: target });
            const err = await rejection(
                sendGitLabRequest(
                    conn(),
                    { method: "POST", path: "projects/1/cluster_agents", body: { name: "prod" } },
                    opts(),
                ),
            );
            assert.equal(
                err.message,
                `GitLab API POST /projects/1/cluster_agents: 302 redirect to ${new URL(elsewhere.url).origin}, not followed: the token is never sent on (expected the API root itself in gitlab:baseUrl / GITLAB_BASE_URL, e.g. https:// instead of http://, or the right host and path prefix)`,
            );
            assert.equal((err as GitLabApiError).status, 302);
            assert.equal(elsewhere.requests.length, 0, "the other origin saw no request (and no token)");
            assert.equal(h.server.requests.length, 1, "not retried");
            h.server.inject({ status: 301, redirectTo: "/elsewhere/api/v4/projects" });
            assert.match(
                (await rejection(get("projects"))).message,
                /: 301 redirect to http:\/\/127\.0\.0\.1:\d+ \(same origin, another path\), not followed/,
            );
        } finally {
            await elsewhere.close();
        }
    });

    it("explains 401 and 403, naming the scope the endpoint needs", async () => {
        const wrong = { ...conn(), token: "glpat-wrong-token-123456" };
        const unauthorized = await rejection(
            sendGitLabRequest(wrong, { method: "GET", path: "projects/1/variables" }, opts()),
        );
        assert.match(
            unauthorized.message,
            /401 Unauthorized: GitLab rejected the token \(expected a valid, unexpired access token with the `api` scope in GITLAB_TOKEN or the stack config gitlab:token; GitLab said: 401 Unauthorized\)/,
        );
        h.server.scopes = ["read_api"];
        const runner = await rejection(
            sendGitLabRequest(
                conn(),
                { method: "POST", path: "user/runners", body: { runnerType: "instance_type" } },
                opts(),
            ),
        );
        assert.match(
            runner.message,
            /^GitLab API POST \/user\/runners: 403 Forbidden: the token lacks the `create_runner` scope \(expected a token with the `create_runner` scope; GitLab said: insufficient_scope: /,
        );
        const agent = await rejection(
            sendGitLabRequest(
                conn(),
                { method: "POST", path: "projects/1/cluster_agents", body: { name: "a" } },
                opts(),
            ),
        );
        assert.match(agent.message, /403 Forbidden: the token lacks the `api` scope/);
        h.server.inject({ status: 403, body: { message: "403 Forbidden" } });
        assert.match(
            (await rejection(get("projects/1/variables"))).message,
            /403 Forbidden: the token may not do this \(expected a token with the `api` scope whose user has the Maintainer or Owner role on the target; GitLab said: 403 Forbidden\)/,
        );
        assertNoSecrets(h.server, [unauthorized.message, runner.message, agent.message]);
        assert.ok(!unauthorized.message.includes("glpat-wrong-token-123456"));
    });

    it("carries GitLab's message for 400 and 409, flattening field maps", async () => {
        const create = (key: string) =>
            sendGitLabRequest(
                conn(),
                { method: "POST", path: "projects/1/variables", body: { key, value: "v" } },
                opts(),
            );
        await create("A");
        const err = (await rejection(create("A"))) as GitLabApiError;
        assert.equal(
            err.message,
            "GitLab API POST /projects/1/variables: 400 Bad Request: key: (A) has already been taken",
        );
        assert.equal(err.gitlabMessage, "key: (A) has already been taken");
        h.server.inject({
            status: 409,
            body: {
                message:
                    "There are multiple variables with provided parameters. Please use 'filter[environment_scope]'",
            },
        });
        assert.match(
            (await rejection(get("projects/1/variables/A"))).message,
            /409 Conflict: There are multiple variables/,
        );
    });

    it("reports a refused connection at once, naming the base URL", async () => {
        const url = h.server.url;
        await h.server.close();
        await h.server.start(); // a new random port: the old URL now refuses
        const dead = { ...conn(), baseUrl: url };
        const err = await rejection(sendGitLabRequest(dead, { method: "GET", path: "projects/1/variables" }, opts()));
        assert.match(
            err.message,
            new RegExp(`network error ECONNREFUSED .*; is ${url.replace(/[.]/g, "\\.")} the right GitLab API URL\\?$`),
        );
    });

    it("sends the token only in the PRIVATE-TOKEN header and redacts it wherever GitLab echoes it", async () => {
        h.server.inject({
            status: 503,
            times: 3,
            body: { message: `upstream rejected PRIVATE-TOKEN ${h.server.token}` },
        });
        const err = await rejection(get("projects/1/variables"));
        assert.match(err.message, /upstream rejected PRIVATE-TOKEN \[REDACTED\]/);
        for (const r of h.server.requests) {
            assert.equal(r.headers["private-token"], h.server.token);
            assert.ok(!`${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.body)}`.includes(h.server.token));
        }
        assert.equal(h.logs.length, 2);
        assertNoSecrets(h.server, [
            ...h.logs,
            err.message,
            err.stack ?? "",
            (err as GitLabApiError).gitlabMessage ?? "",
        ]);
    });
});
