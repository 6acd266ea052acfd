/**
 * Where the GitLab API token and base URL come from, with the real `@pulumi/gitlab` provider's names:
 * the stack config `gitlab:token` / `gitlab:baseUrl` (handed to a dynamic provider's `configure`), else
 * the environment variables `GITLAB_TOKEN` / `GITLAB_BASE_URL`. There is NO default URL (the upstream
 * provider falls back to GitLab.com, which would send a self-managed estate's token there): a missing URL
 * is an error naming both settings. Never resource inputs and never state: the token is read inside the
 * provider process, per call.
 * @see https://www.pulumi.com/registry/packages/gitlab/installation-configuration/
 */

/** A resolved connection. `baseUrl` ends in `/api/v4` without a slash; `host` is the part before it. */
export interface GitLabConnection {
    baseUrl: string;
    host: string;
    token: string;
}

/** Values found in the stack config (via `configure`) and in the environment. */
export interface ConnectionSources {
    /** From the stack config: `gitlab:token`, `gitlab:baseUrl`. */
    config?: { token?: string; baseUrl?: string };
    /** Environment variables (`GITLAB_TOKEN`, `GITLAB_BASE_URL`). */
    env?: Record<string, string | undefined>;
}

/** A missing or malformed connection setting; the message names the setting and never a value. */
export class GitLabConnectionError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "GitLabConnectionError";
        // Set again: in the provider closure Pulumi serializes, \`super(message)\` becomes \`Error.call(this, ...)\`,
        // which sets nothing on \`this\`, and the engine would report "undefined" (seen by npm run simulate).
        this.message = message;
    }
}

/**
 * `https://gitlab.example.com`, `.../api/v4` and `.../api/v4/` all become `{ host, baseUrl }`; the API
 * suffix is added when absent, as the upstream provider's Go client does.
 */
export function normalizeBaseUrl(raw: string): { baseUrl: string; host: string } {
    let url: URL;
    try {
        url = new URL(raw.trim());
    } catch {
        url = new URL("invalid:");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new GitLabConnectionError(
            "gitlab:baseUrl / GITLAB_BASE_URL: not an http(s) URL (expected e.g. https://gitlab.example.com/api/v4)",
        );
    }
    // The token travels in a header: plain http would hand it to anyone on the path. Loopback is the one
    // exception (a local GitLab or a test double never leaves the host).
    if (url.protocol === "http:" && !isLoopback(url.hostname)) {
        throw new GitLabConnectionError(
            `gitlab:baseUrl / GITLAB_BASE_URL: plain http to ${url.hostname} would send the token unencrypted (expected an https:// URL; http:// only for localhost, 127.0.0.0/8 or [::1])`,
        );
    }
    if (url.username !== "" || url.password !== "") {
        throw new GitLabConnectionError(
            "gitlab:baseUrl / GITLAB_BASE_URL: contains credentials (expected a URL without user:password@; the token goes in gitlab:token)",
        );
    }
    const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v4$/, "");
    const host = `${url.origin}${path}`;
    return { host, baseUrl: `${host}/api/v4` };
}

/** Whether a URL host is the loopback interface (`localhost`, `127.0.0.0/8`, `::1`). */
export function isLoopback(hostname: string): boolean {
    const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Resolves the connection: stack config first, then the environment; no default for either. */
export function resolveConnection(sources: ConnectionSources): GitLabConnection {
    const env = sources.env ?? {};
    const token = nonEmpty(sources.config?.token) ?? nonEmpty(env.GITLAB_TOKEN);
    if (token === undefined) {
        throw new GitLabConnectionError(
            "GitLab API token missing: set the stack config gitlab:token (as a secret) or the GITLAB_TOKEN environment variable (expected an access token with the `api` scope; a token with only `create_runner` can create runners but not read, edit or delete them)",
        );
    }
    const raw = nonEmpty(sources.config?.baseUrl) ?? nonEmpty(env.GITLAB_BASE_URL);
    if (raw === undefined) {
        throw new GitLabConnectionError(
            "GitLab API URL missing: set the stack config gitlab:baseUrl or the GITLAB_BASE_URL environment variable (expected e.g. https://gitlab.example.com/api/v4; there is no default, so the token is never sent to a GitLab you did not name)",
        );
    }
    return { ...normalizeBaseUrl(raw), token };
}

function nonEmpty(value: string | undefined): string | undefined {
    return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}
