/**
 * Named defaults of the GitLab API dynamic resources, re-exported by components/defaults.ts. Kept in this
 * small module so the serialized providers carry only these values (see the note there).
 */

/** The API root when neither `gitlab:baseUrl` nor `GITLAB_BASE_URL` is set (the real provider's default). */
export const GITLAB_API_DEFAULT_BASE_URL = "https://gitlab.com/api/v4";

/** Attempts per API request, the first included, on 429/502/503/504, timeouts and socket resets. */
export const GITLAB_API_MAX_ATTEMPTS = 5;

/** Total time one API request may take across attempts and waits: a bounded wait, never a hang. */
export const GITLAB_API_MAX_ELAPSED_MS = 120_000;

/** Backoff base: retry n waits a random time up to `base * 2^(n-1)` (full jitter). */
export const GITLAB_API_BASE_DELAY_MS = 500;

/** Cap of one backoff wait (a server's `Retry-After` is honoured as given, within the total budget). */
export const GITLAB_API_MAX_DELAY_MS = 20_000;

/** Timeout of one attempt. */
export const GITLAB_API_REQUEST_TIMEOUT_MS = 30_000;

/** CI/CD variable scope when none is given: all environments (GitLab's default). */
export const GITLAB_VARIABLE_DEFAULT_ENVIRONMENT_SCOPE = "*";

/** CI/CD variable type when none is given (GitLab's default). */
export const GITLAB_VARIABLE_DEFAULT_TYPE = "env_var";

/** Repository file content encoding when none is given (the real provider's default). */
export const GITLAB_FILE_DEFAULT_ENCODING = "text";
