/**
 * Named defaults of the GitLab API dynamic resources, re-exported by components/defaults.ts. Kept in this
 * small module so the serialized providers carry only these values (see the note there).
 */

/** Attempts per API request, the first included, on 429/502/503/504, timeouts and socket resets. */
export const GITLAB_API_MAX_ATTEMPTS = 5;

/** Total time one API request may take across attempts and waits: a bounded wait, never a hang. */
export const GITLAB_API_MAX_ELAPSED_MS = 120_000;

/** Backoff base: retry n waits a random time up to `base * 2^(n-1)` (full jitter). */
export const GITLAB_API_BASE_DELAY_MS = 500;

/** Cap of one backoff wait (a server's `Retry-After` is honoured as given, within the total budget). */
export const GITLAB_API_MAX_DELAY_MS = 20_000;

/**
 * Timeout of one attempt: a GitLab that accepts a request and never answers costs at most this, then
 * the attempt is retried (replay-safe requests) or fails. `GITLAB_API_REQUEST_TIMEOUT_MS` in the
 * provider's environment overrides it within {@link GITLAB_API_REQUEST_TIMEOUT_BOUNDS_MS}.
 */
export const GITLAB_API_REQUEST_TIMEOUT_MS = 30_000;

/** The range `GITLAB_API_REQUEST_TIMEOUT_MS` may set: never unbounded, never longer than a request's total budget. */
export const GITLAB_API_REQUEST_TIMEOUT_BOUNDS_MS = [1_000, GITLAB_API_MAX_ELAPSED_MS] as const;

/** CI/CD variable scope when none is given: all environments (GitLab's default). */
export const GITLAB_VARIABLE_DEFAULT_ENVIRONMENT_SCOPE = "*";

/** CI/CD variable type when none is given (GitLab's default). */
export const GITLAB_VARIABLE_DEFAULT_TYPE = "env_var";

/** Repository file content encoding when none is given (the real provider's default). */
export const GITLAB_FILE_DEFAULT_ENCODING = "text";

/** Commit message of a file deletion when the state holds none (an imported or adopted file). */
export const GITLAB_FILE_DEFAULT_DELETE_COMMIT_MESSAGE = "Delete file managed by gitlab-platform";

/** Attempts of one commit when GitLab answers that the branch moved meanwhile (another writer). */
export const GITLAB_FILE_COMMIT_ATTEMPTS = 5;

/** Wait before retrying a commit after a branch conflict, doubled each time. */
export const GITLAB_FILE_COMMIT_RETRY_DELAY_MS = 250;
