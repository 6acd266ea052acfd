/**
 * Where the GitLab API token and base URL come from, with the real `@pulumi/gitlab` provider's names:
 * the stack config `gitlab:token` / `gitlab:baseUrl` (handed to a dynamic provider's `configure`), else
 * the environment variables `GITLAB_TOKEN` / `GITLAB_BASE_URL`, else GitLab.com. Never resource inputs
 * and never state: the token is read inside the provider process, per call.
 * @see https://www.pulumi.com/registry/packages/gitlab/installation-configuration/
 */
import { GITLAB_API_DEFAULT_BASE_URL } from "./defaults";

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
        throw new GitLabConnectionError("gitlab:baseUrl / GITLAB_BASE_URL: not an http(s) URL (expected e.g. https://gitlab.example.com/api/v4)");
    }
    const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v4$/, "");
    const host = `${url.origin}${path}`;
    return { host, baseUrl: `${host}/api/v4` };
}

/** Resolves the connection: stack config first, then the environment, then GitLab.com for the URL. */
export function resolveConnection(sources: ConnectionSources): GitLabConnection {
    const env = sources.env ?? {};
    const token = nonEmpty(sources.config?.token) ?? nonEmpty(env.GITLAB_TOKEN);
    if (token === undefined) {
        throw new GitLabConnectionError(
            "GitLab API token missing: set the stack config gitlab:token (as a secret) or the GITLAB_TOKEN environment variable (expected an access token with the `api` scope; `create_runner` suffices for UserRunner)",
        );
    }
    const raw = nonEmpty(sources.config?.baseUrl) ?? nonEmpty(env.GITLAB_BASE_URL) ?? GITLAB_API_DEFAULT_BASE_URL;
    return { ...normalizeBaseUrl(raw), token };
}

function nonEmpty(value: string | undefined): string | undefined {
    return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}
