import { strict as assert } from "node:assert";
import { GITLAB_API_DEFAULT_BASE_URL } from "../../components/defaults";
import { normalizeBaseUrl, resolveConnection } from "../../components/gitlab-api/connection";

describe("gitlab-api connection (pure)", () => {
    it("takes the stack config first, then the environment, then GitLab.com", () => {
        const env = { GITLAB_TOKEN: "env-token", GITLAB_BASE_URL: "https://env.example.com" };
        assert.deepEqual(resolveConnection({ config: { token: "cfg-token", baseUrl: "https://cfg.example.com/api/v4/" }, env }), {
            token: "cfg-token",
            host: "https://cfg.example.com",
            baseUrl: "https://cfg.example.com/api/v4",
        });
        assert.deepEqual(resolveConnection({ config: {}, env }), { token: "env-token", host: "https://env.example.com", baseUrl: "https://env.example.com/api/v4" });
        assert.equal(resolveConnection({ env: { GITLAB_TOKEN: "t" } }).baseUrl, GITLAB_API_DEFAULT_BASE_URL);
        assert.equal(resolveConnection({ config: { token: "  " }, env: { GITLAB_TOKEN: "env" } }).token, "env");
    });

    it("normalizes base URLs with or without /api/v4, under a path prefix too", () => {
        const table: [string, string][] = [
            ["https://gitlab.example.com", "https://gitlab.example.com/api/v4"],
            ["https://gitlab.example.com/", "https://gitlab.example.com/api/v4"],
            ["https://gitlab.example.com/api/v4/", "https://gitlab.example.com/api/v4"],
            ["http://127.0.0.1:8080/gitlab/api/v4", "http://127.0.0.1:8080/gitlab/api/v4"],
            ["https://example.com/gitlab", "https://example.com/gitlab/api/v4"],
        ];
        for (const [raw, expected] of table) assert.equal(normalizeBaseUrl(raw).baseUrl, expected, raw);
    });

    it("names the settings when the token is missing or the URL is wrong, never a value", () => {
        assert.throws(() => resolveConnection({ env: {} }), /GitLab API token missing: set the stack config gitlab:token \(as a secret\) or the GITLAB_TOKEN environment variable/);
        assert.throws(
            () => resolveConnection({ env: { GITLAB_TOKEN: "secret-value", GITLAB_BASE_URL: "gitlab.example.com" } }),
            (e: Error) => /GITLAB_BASE_URL: not an http\(s\) URL/.test(e.message) && !e.message.includes("secret-value"),
        );
    });
});
