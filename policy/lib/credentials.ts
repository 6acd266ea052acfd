/**
 * Recognising credentials in configuration data (Helm values, ConfigMaps): by the key that holds them
 * and by the shape of well-known token formats. Matches are reported by path and kind, never by value.
 *
 * Token prefixes: GitLab documents `glpat-` (personal/project/group access tokens), `glrt-`/`glrtr-`
 * (runner authentication tokens), `gldt-` (deploy tokens), `glptt-` (pipeline trigger tokens),
 * `glagent-` (agent tokens), `gloas-` (OAuth application secrets) and `GR1348941` (runner registration
 * tokens); AWS access key IDs start with `AKIA` (long-term) or `ASIA` (temporary).
 * @see https://docs.gitlab.com/security/tokens/#token-prefixes
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
import { isMap, SECRET, UNKNOWN, type Plain } from "./values";

/** Token formats, each a name for messages and a pattern. */
export const TOKEN_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
    { name: "a GitLab access token (glpat-)", pattern: /\bglpat-[0-9A-Za-z_.-]{20,}/ },
    { name: "a GitLab runner token (glrt-)", pattern: /\bglrtr?-[0-9A-Za-z_.-]{20,}/ },
    { name: "a GitLab deploy token (gldt-)", pattern: /\bgldt-[0-9A-Za-z_.-]{20,}/ },
    { name: "a GitLab pipeline trigger token (glptt-)", pattern: /\bglptt-[0-9A-Za-z_.-]{20,}/ },
    { name: "a GitLab agent token (glagent-)", pattern: /\bglagent-[0-9A-Za-z_.-]{20,}/ },
    { name: "a GitLab OAuth application secret (gloas-)", pattern: /\bgloas-[0-9A-Za-z_.-]{20,}/ },
    { name: "a GitLab runner registration token (GR1348941)", pattern: /\bGR1348941[0-9A-Za-z_-]{20,}/ },
    { name: "an AWS access key ID (AKIA/ASIA)", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { name: "a private key", pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
];

/**
 * Key names that hold a credential themselves (compared without `-`/`_`, case-insensitively, by suffix):
 * `password`, `runnerToken`, `secret_access_key`, `apiKey`... Keys naming a Secret (`secret`,
 * `secretName`, `existingSecret`, `key`, `tokenSecret`) are references, not credentials.
 */
const CREDENTIAL_KEY_SUFFIXES = [
    "password",
    "passwd",
    "token",
    "secretkey",
    "secretaccesskey",
    "accesskey",
    "apikey",
    "privatekey",
    "clientsecret",
];

/** Whether a key names a credential. */
export function isCredentialKey(key: string): boolean {
    const k = key.replace(/[-_.]/g, "").toLowerCase();
    return CREDENTIAL_KEY_SUFFIXES.some((s) => k.endsWith(s));
}

/** The first token format a text contains, or `undefined`. */
export function tokenKind(text: string): string | undefined {
    return TOKEN_PATTERNS.find((t) => t.pattern.test(text))?.name;
}

/** A credential found in a tree. */
export interface CredentialFinding {
    path: (string | number)[];
    /** `key`: a credential-named key holds a string; `token`: a value has a token's shape; `secret`: a secret value. */
    kind: "key" | "token" | "secret";
    /** For `token`: which format. */
    token?: string;
}

/**
 * Every credential in a tree: strings under credential-named keys (the unknown marker excepted), values
 * shaped like tokens anywhere (also inside multi-line text such as TOML), and, when `secretMarker` is
 * true, values that are secrets ({@link SECRET}) anywhere.
 */
export function findCredentials(
    tree: Plain | undefined,
    opts: { secretMarker: boolean },
    path: (string | number)[] = [],
): CredentialFinding[] {
    if (typeof tree === "string") {
        if (tree === UNKNOWN) return [];
        const key = path.at(-1);
        if (tree === SECRET)
            return typeof key === "string" && isCredentialKey(key)
                ? [{ path, kind: "key" }]
                : opts.secretMarker
                  ? [{ path, kind: "secret" }]
                  : [];
        const token = tokenKind(tree);
        if (token) return [{ path, kind: "token", token }];
        if (typeof key === "string" && isCredentialKey(key) && tree.length > 0) return [{ path, kind: "key" }];
        return [];
    }
    if (Array.isArray(tree)) return tree.flatMap((v, i) => findCredentials(v, opts, [...path, i]));
    if (isMap(tree)) return Object.entries(tree).flatMap(([k, v]) => findCredentials(v, opts, [...path, k]));
    return [];
}
