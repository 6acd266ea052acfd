import { strict as assert } from "node:assert";
import { isLoopback, normalizeBaseUrl, resolveConnection } from "../../components/gitlab-api/connection";

describe("gitlab-api connection (pure)", () => {
    it("takes the stack config first, then the environment; no default URL", () => {
        const env = { GITLAB_TOKEN: "env-token", GITLAB_BASE_URL: "https://env.example.com" };
        assert.deepEqual(
            resolveConnection({ config: { token: "cfg-token", baseUrl: "https://cfg.example.com/api/v4/" }, env }),
            {
                token: "cfg-token",
                host: "https://cfg.example.com",
                baseUrl: "https://cfg.example.com/api/v4",
            },
        );
        assert.deepEqual(resolveConnection({ config: {}, env }), {
            token: "env-token",
            host: "https://env.example.com",
            baseUrl: "https://env.example.com/api/v4",
        });
        // Contract (issue 15): a stack without a URL once sent its token to https://gitlab.com silently.
        assert.throws(
            () => resolveConnection({ env: { GITLAB_TOKEN: "t" } }),
            /^GitLabConnectionError: GitLab API URL missing: set the stack config gitlab:baseUrl or the GITLAB_BASE_URL environment variable/,
        );
        assert.equal(
            resolveConnection({
                config: { token: "  " },
                env: { GITLAB_TOKEN: "env", GITLAB_BASE_URL: "https://g.example.com" },
            }).token,
            "env",
        );
    });

    it("normalizes base URLs with or without /api/v4, under a path prefix too", () => {
        const table: [string, string][] = [
            ["https://gitlab.example.com", "https://gitlab.example.com/api/v4"],
            ["https://gitlab.example.com/", "https://gitlab.example.com/api/v4"],
            ["https://gitlab.example.com/api/v4/", "https://gitlab.example.com/api/v4"],
            ["http://127.0.0.1:8080/gitlab/api/v4", "http://127.0.0.1:8080/gitlab/api/v4"],
            ["http://localhost:3000", "http://localhost:3000/api/v4"],
            ["http://[::1]:3000/", "http://[::1]:3000/api/v4"],
            ["https://example.com/gitlab", "https://example.com/gitlab/api/v4"],
        ];
        for (const [raw, expected] of table) assert.equal(normalizeBaseUrl(raw).baseUrl, expected, raw);
    });

    it("names the settings when the token is missing or the URL is wrong, never a value", () => {
        assert.throws(
            () => resolveConnection({ env: {} }),
            /GitLab API token missing: set the stack config gitlab:token \(as a secret\) or the GITLAB_TOKEN environment variable/,
        );
        assert.throws(
            () => resolveConnection({ env: { GITLAB_TOKEN: "secret-value", GITLAB_BASE_URL: "gitlab.example.com" } }),
            (e: Error) =>
                /GITLAB_BASE_URL: not an http\(s\) URL/.test(e.message) && !e.message.includes("secret-value"),
        );
    });

    it("refuses plain http except to loopback, and credentials in the URL (contract: http was accepted anywhere)", () => {
        for (const raw of ["http://gitlab.example.com", "http://10.0.0.5/api/v4", "http://127.example.com"]) {
            assert.throws(
                () => normalizeBaseUrl(raw),
                /plain http to .* would send the token unencrypted \(expected an https:\/\/ URL/,
                raw,
            );
        }
        assert.throws(
            () => normalizeBaseUrl("https://user:pw@gitlab.example.com"),
            (e: Error) => /contains credentials/.test(e.message) && !e.message.includes("pw"),
        );
        assert.deepEqual(
            ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "gitlab.example.com", "128.0.0.1"].map(isLoopback),
            [true, true, true, true, true, false, false],
        );
    });
});
