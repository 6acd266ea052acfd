/**
 * Keeps credentials out of every log line and error message the GitLab API layer produces. Three nets:
 * the literal secrets the caller registers (the API token, whatever its shape), GitLab's prefixed token
 * formats, and header-like `PRIVATE-TOKEN: ...` / `Authorization: Bearer ...` fragments.
 */

/** What a redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

/**
 * GitLab token prefixes: personal/project/group access (`glpat-`), OAuth secrets (`gloas-`), deploy
 * (`gldt-`), runner authentication and registration (`glrt-`, `glrtr-`, `GR1348941`), CI job (`glcbt-`),
 * pipeline trigger (`glptt-`), feed (`glft-`), incoming mail (`glimt-`), agent (`glagent-`), SCIM
 * (`glsoat-`), feature-flag client (`glffct-`).
 * @see https://docs.gitlab.com/security/tokens/#token-prefixes
 */
const TOKEN_PATTERN =
    /\b(?:(?:glpat|gloas|gldt|glrtr|glrt|glcbt|glptt|glft|glimt|glagent|glsoat|glffct)-|GR1348941)[A-Za-z0-9_.-]+/g;

/** `PRIVATE-TOKEN: x`, `"private-token":"x"`, `Authorization: Bearer x`, `JOB-TOKEN=x` and the like. */
const HEADER_PATTERN = /\b(private-token|authorization|job-token)(["']?\s*[:=]\s*["']?)(?:bearer\s+)?[^\s"',;}]+/gi;

/** Literal secrets shorter than this are not registered (replacing "a" everywhere would garble text). */
const MIN_LITERAL_LENGTH = 4;

/** Replaces credentials in `text`; `secrets` are literal values to remove as well (the API token). */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
    let out = text;
    for (const secret of secrets) {
        if (secret !== undefined && secret.length >= MIN_LITERAL_LENGTH) out = out.split(secret).join(REDACTED);
    }
    return out
        .replace(TOKEN_PATTERN, REDACTED)
        .replace(HEADER_PATTERN, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
}
