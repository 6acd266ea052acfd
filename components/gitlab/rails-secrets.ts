/**
 * GitLab's rails secrets owned by the stack. Without them a restored database cannot decrypt CI/CD
 * variables, 2FA secrets or runner tokens, and the chart's shared-secrets job would otherwise generate
 * them inside the cluster where no backup sees them. The Secret's content follows the layout the
 * chart's shared-secrets job writes (checked against chart 9.10.0,
 * `templates/shared-secrets/_generate_secrets.sh.tpl`): that job reads an existing
 * `<release>-rails-secret`, keeps every key it finds and re-applies the same document, so the stack's
 * Secret stays authoritative.
 * @see https://docs.gitlab.com/charts/installation/secrets/#gitlab-rails-secret
 * @see https://docs.gitlab.com/charts/backup-restore/backup/#back-up-the-secrets
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { parse } from "yaml";
import { GITLAB_RAILS_ENV, GITLAB_RAILS_SECRETS_KEY } from "../defaults";
import { isPlainObject } from "../internal/validation";
import { assertValid, problemLine, type Problem } from "../errors";
import { parseArgs } from "../internal/spec-kit";
import { railsSecretsArgsSpec, railsSecretsRules } from "./rails-secrets-spec";

/** The values of GitLab's `config/secrets.yml`, by the key GitLab reads. */
export interface RailsSecretValues {
    /** 128 hex characters (`SecureRandom.hex(64)`). */
    readonly secret_key_base: string;
    readonly otp_key_base: string;
    readonly db_key_base: string;
    readonly encrypted_settings_key_base: string;
    /** An RSA private key, PEM. */
    readonly openid_connect_signing_key: string;
    /** Active Record encryption keys: lists, the last encrypts, all decrypt (rotation). */
    readonly active_record_encryption_primary_key: readonly string[];
    readonly active_record_encryption_deterministic_key: readonly string[];
    readonly active_record_encryption_key_derivation_salt: string;
}

/** Every key of {@link RailsSecretValues}, in the order the chart writes them. */
export const RAILS_SECRET_KEYS = [
    "secret_key_base",
    "otp_key_base",
    "db_key_base",
    "encrypted_settings_key_base",
    "openid_connect_signing_key",
    "active_record_encryption_primary_key",
    "active_record_encryption_deterministic_key",
    "active_record_encryption_key_derivation_salt",
] as const satisfies readonly (keyof RailsSecretValues)[];

const LIST_KEYS: ReadonlySet<string> = new Set([
    "active_record_encryption_primary_key",
    "active_record_encryption_deterministic_key",
]);

/** Builds `secrets.yml` in the chart job's layout (so its re-apply changes nothing). Pure. */
export function buildRailsSecretsYaml(v: RailsSecretValues, env: string = GITLAB_RAILS_ENV): string {
    const indent = (text: string, by: string) =>
        text
            .trimEnd()
            .split("\n")
            .map((l) => by + l)
            .join("\n");
    return [
        `${env}:`,
        `  secret_key_base: ${v.secret_key_base}`,
        `  otp_key_base: ${v.otp_key_base}`,
        `  db_key_base: ${v.db_key_base}`,
        `  encrypted_settings_key_base: ${v.encrypted_settings_key_base}`,
        "  openid_connect_signing_key: |",
        indent(v.openid_connect_signing_key, "    "),
        "  active_record_encryption_primary_key:",
        ...v.active_record_encryption_primary_key.map((k) => `    - ${k}`),
        "  active_record_encryption_deterministic_key:",
        ...v.active_record_encryption_deterministic_key.map((k) => `    - ${k}`),
        `  active_record_encryption_key_derivation_salt: ${v.active_record_encryption_key_derivation_salt}`,
    ].join("\n");
}

/**
 * Checks a `secrets.yml` brought from elsewhere (a restore, an install adopted into the stack). Problems
 * name keys, never values. Pure.
 * @param field how the user set the content, e.g. the stack key `gitlabRailsSecrets`
 */
export function validateRailsSecretsYaml(text: string, field: string, env: string = GITLAB_RAILS_ENV): Problem[] {
    let doc: unknown;
    try {
        doc = parse(text);
    } catch {
        return [
            {
                path: field,
                message: `not YAML (expected the secrets.yml of GitLab's rails secret, e.g. from \`pulumi stack output --show-secrets railsSecrets\`)`,
            },
        ];
    }
    const block = isPlainObject(doc) ? doc[env] : undefined;
    if (!isPlainObject(block))
        return [{ path: field, message: `no ${env} section (expected secrets.yml with a top-level ${env}: map)` }];
    const problems: Problem[] = [];
    for (const key of RAILS_SECRET_KEYS) {
        const value = block[key];
        const ok = LIST_KEYS.has(key)
            ? Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === "string" && x.length > 0)
            : typeof value === "string" && value.length > 0;
        if (!ok)
            problems.push({
                path: field,
                message: `${env}.${key} missing or empty (expected ${LIST_KEYS.has(key) ? "a non-empty list of keys" : "a non-empty string"})`,
            });
    }
    return problems;
}

/** Arguments of {@link RailsSecrets}. */
export interface RailsSecretsArgs {
    /** The namespace of GitLab. */
    namespace: pulumi.Input<string>;
    /** The Secret's name (`global.railsSecrets.secret`); the chart's own default name `<release>-rails-secret`. */
    secretName: string;
    /**
     * An existing `secrets.yml` (secret), when restoring another stack's GitLab or adopting an install
     * whose secrets the chart generated.
     * @default - every value generated by the stack
     */
    content?: pulumi.Input<string>;
    /**
     * Pulumi `protect` on the Secret and on every generator: replacing one would make every encrypted
     * column unreadable.
     * @default true
     */
    protect?: boolean;
}

/**
 * The Secret holding GitLab's `secrets.yml`, generated once by the stack (random bytes, random
 * alphanumerics and an RSA key, all secret in state) or taken from `content`.
 */
export class RailsSecrets extends pulumi.ComponentResource {
    /** The `secrets.yml` content, secret: back it up with the database. */
    public readonly content: pulumi.Output<string>;
    /** The Secret's name. */
    public readonly secretName: string;

    constructor(name: string, args: RailsSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: an unknown key or a bad name declares nothing.
        const a = parseArgs("RailsSecrets", railsSecretsArgsSpec, args);
        assertValid("RailsSecrets", railsSecretsRules(a));
        super("gitlab-platform:gitlab:RailsSecrets", name, {}, opts);
        const o = { parent: this, protect: a.protect };
        let content: pulumi.Output<string>;
        if (a.content !== undefined) {
            content = pulumi.secret(
                pulumi.output(a.content).apply((text) => {
                    const problems = validateRailsSecretsYaml(text, "gitlabRailsSecrets");
                    if (problems.length > 0)
                        throw new Error(
                            `Invalid rails secrets for ${name}:\n  - ${problems.map(problemLine).join("\n  - ")}`,
                        );
                    return text;
                }),
            );
        } else {
            const secretOutputs = { additionalSecretOutputs: ["hex", "base64"] };
            // 64 random bytes as 128 hex characters, as the chart's job and `SecureRandom.hex(64)` make them.
            const hex = (role: string) =>
                new random.RandomBytes(`${name}-${role}`, { length: 64 }, { ...o, ...secretOutputs }).hex;
            // 32 alphanumerics, as Rails' `db:encryption:init` and the chart's job make them.
            const alnum = (role: string) =>
                new random.RandomPassword(`${name}-${role}`, { length: 32, special: false }, o).result;
            const signing = new tls.PrivateKey(
                `${name}-openid-connect-signing-key`,
                { algorithm: "RSA", rsaBits: 2048 },
                o,
            );
            const parts = pulumi.all([
                hex("secret-key-base"),
                hex("otp-key-base"),
                hex("db-key-base"),
                hex("encrypted-settings-key-base"),
                signing.privateKeyPem,
                alnum("ar-primary-key"),
                alnum("ar-deterministic-key"),
                alnum("ar-key-derivation-salt"),
            ]);
            content = pulumi.secret(
                parts.apply((p) =>
                    // A real engine always knows these after create; only a mock engine leaves computed outputs absent.
                    p.some((v) => v === undefined)
                        ? (undefined as unknown as string)
                        : buildRailsSecretsYaml({
                              secret_key_base: p[0],
                              otp_key_base: p[1],
                              db_key_base: p[2],
                              encrypted_settings_key_base: p[3],
                              openid_connect_signing_key: p[4],
                              active_record_encryption_primary_key: [p[5]],
                              active_record_encryption_deterministic_key: [p[6]],
                              active_record_encryption_key_derivation_salt: p[7],
                          }),
                ),
            );
        }
        // Named as the chart names its own: on a cluster where the chart already generated one, creating this
        // fails ("already exists") instead of silently replacing keys the database was encrypted with.
        new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: { name: a.secretName, namespace: a.namespace },
                type: "Opaque",
                stringData: { [GITLAB_RAILS_SECRETS_KEY]: content },
            },
            o,
        );
        this.content = content;
        this.secretName = a.secretName;
        this.registerOutputs({ secretName: this.secretName });
    }
}
