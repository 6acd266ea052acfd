import { strict as assert } from "node:assert";
import { problemLine } from "../../components/errors";
import * as pulumi from "@pulumi/pulumi";
import { specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parse } from "yaml";
import {
    RAILS_SECRET_KEYS,
    RailsSecrets,
    buildRailsSecretsYaml,
    validateRailsSecretsYaml,
    type RailsSecretValues,
} from "../../components/gitlab/rails-secrets";
import { record, type Recorded } from "../helpers/pulumi";

const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow-sentinel\nAQAB-sentinel\n-----END RSA PRIVATE KEY-----\n";
const VALUES: RailsSecretValues = {
    secret_key_base: "a".repeat(128),
    otp_key_base: "b".repeat(128),
    db_key_base: "c".repeat(128),
    encrypted_settings_key_base: "d".repeat(128),
    openid_connect_signing_key: PEM,
    active_record_encryption_primary_key: ["P".repeat(32)],
    active_record_encryption_deterministic_key: ["D".repeat(32)],
    active_record_encryption_key_derivation_salt: "S".repeat(32),
};

describe("buildRailsSecretsYaml", () => {
    it("writes every key GitLab reads under production, in the chart job's layout", () => {
        const text = buildRailsSecretsYaml(VALUES);
        const doc = parse(text) as { production: Record<string, unknown> };
        assert.deepEqual(Object.keys(doc), ["production"]);
        assert.deepEqual(Object.keys(doc.production), [...RAILS_SECRET_KEYS]);
        assert.deepEqual(doc.production, {
            ...VALUES,
            active_record_encryption_primary_key: ["P".repeat(32)],
            active_record_encryption_deterministic_key: ["D".repeat(32)],
        });
        // The job (chart 9.10 _generate_secrets.sh.tpl) indents the PEM as a literal block and writes lists as "- key".
        assert.ok(
            text.includes(
                "  openid_connect_signing_key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIEow-sentinel\n",
            ),
        );
        assert.ok(text.includes("  active_record_encryption_primary_key:\n    - PPPP"));
        assert.ok(!text.endsWith("\n"), "the job's `|-` block strips the final newline");
    });

    it("round-trips through its own check", () => {
        assert.deepEqual(validateRailsSecretsYaml(buildRailsSecretsYaml(VALUES), "gitlabRailsSecrets"), []);
    });
});

describe("validateRailsSecretsYaml", () => {
    const cases: Array<[string, string, string]> = [
        ["text that is not YAML", "production: [unclosed", "gitlabRailsSecrets: not YAML"],
        [
            "another environment",
            "development:\n  secret_key_base: x\n",
            "gitlabRailsSecrets: no production section (expected secrets.yml with a top-level production: map)",
        ],
        [
            "a missing key",
            buildRailsSecretsYaml(VALUES).replace(/ {2}db_key_base: c+\n/, ""),
            "gitlabRailsSecrets: production.db_key_base missing or empty (expected a non-empty string)",
        ],
        [
            "a key as a string where GitLab wants a list",
            buildRailsSecretsYaml(VALUES).replace(
                "active_record_encryption_primary_key:\n    - " + "P".repeat(32),
                "active_record_encryption_primary_key: single",
            ),
            "gitlabRailsSecrets: production.active_record_encryption_primary_key missing or empty (expected a non-empty list of keys)",
        ],
    ];
    for (const [what, text, message] of cases) {
        it(`refuses ${what}, naming the key and never a value`, () => {
            const problems = validateRailsSecretsYaml(text, "gitlabRailsSecrets").map(problemLine);
            assert.ok(
                problems.some((p) => p.startsWith(message)),
                problems.join("\n"),
            );
            for (const p of problems) assert.ok(!p.includes("c".repeat(16)) && !p.includes("sentinel"), p);
        });
    }
});

/** Drops the SDK's secret wrappers from raw mock inputs. */
function unwrap(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwrap);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (specialSigKey in o) return unwrap(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
    }
    return v;
}

/** Mocks that compute what the random and tls providers would, and keep raw inputs. */
async function run(
    args: Partial<ConstructorParameters<typeof RailsSecrets>[1]> = {},
): Promise<{ rec: Recorded; raw: Map<string, Record<string, unknown>> }> {
    const raw = new Map<string, Record<string, unknown>>();
    const rec = await record(
        () => {
            const r = new RailsSecrets("gitlab-rails-secrets", {
                namespace: "gitlab",
                secretName: "gitlab-rails-secret",
                ...args,
            });
            return { content: r.content };
        },
        {
            mocks: {
                newResource: (a) => {
                    raw.set(a.name, unwrap(a.inputs) as Record<string, unknown>);
                    const computed: Record<string, unknown> =
                        a.type === "random:index/randomBytes:RandomBytes"
                            ? { hex: `${a.name.slice(-4)}`.padEnd(128, "0") }
                            : a.type === "random:index/randomPassword:RandomPassword"
                              ? { result: `${a.name.slice(-4)}`.padEnd(32, "x") }
                              : a.type === "tls:index/privateKey:PrivateKey"
                                ? { privateKeyPem: PEM }
                                : {};
                    return { id: `${a.name}-id`, state: { ...a.inputs, ...computed } };
                },
                call: (a) => a.inputs,
            },
        },
    );
    return { rec, raw };
}

describe("RailsSecrets (generated)", () => {
    let rec: Recorded;
    let raw: Map<string, Record<string, unknown>>;
    before(async () => ({ rec, raw } = await run()));

    it("declares exactly its generators and the Secret, every one protected", () => {
        const parent = rec.one("gitlab-platform:gitlab:RailsSecrets");
        assert.deepEqual(rec.childrenOf(parent), [
            "kubernetes:core/v1:Secret/gitlab-rails-secrets-secret",
            "random:index/randomBytes:RandomBytes/gitlab-rails-secrets-db-key-base",
            "random:index/randomBytes:RandomBytes/gitlab-rails-secrets-encrypted-settings-key-base",
            "random:index/randomBytes:RandomBytes/gitlab-rails-secrets-otp-key-base",
            "random:index/randomBytes:RandomBytes/gitlab-rails-secrets-secret-key-base",
            "random:index/randomPassword:RandomPassword/gitlab-rails-secrets-ar-deterministic-key",
            "random:index/randomPassword:RandomPassword/gitlab-rails-secrets-ar-key-derivation-salt",
            "random:index/randomPassword:RandomPassword/gitlab-rails-secrets-ar-primary-key",
            "tls:index/privateKey:PrivateKey/gitlab-rails-secrets-openid-connect-signing-key",
        ]);
        for (const r of rec.resources.filter((x) => x.parent === parent.urn)) assert.equal(r.protect, true, r.name);
    });

    it("generates 64 random bytes (128 hex), 32 alphanumerics and a 2048-bit RSA key, as the chart's job does", () => {
        for (const r of rec.ofType("random:index/randomBytes:RandomBytes")) assert.deepEqual(r.inputs, { length: 64 });
        for (const r of rec.ofType("random:index/randomPassword:RandomPassword"))
            assert.deepEqual(r.inputs, { length: 32, special: false });
        assert.deepEqual(rec.one("tls:index/privateKey:PrivateKey").inputs, { algorithm: "RSA", rsaBits: 2048 });
    });

    it("puts secrets.yml in the chart-named Secret, secret in the plan and in the output", () => {
        const s = rec.one("kubernetes:core/v1:Secret");
        assert.deepEqual(s.inputs.metadata, { name: "gitlab-rails-secret", namespace: "gitlab" });
        assert.equal(s.inputs.stringData, "[secret]");
        assert.equal(rec.run.outputs.content, "[secret]");
        const text = (raw.get("gitlab-rails-secrets-secret")!.stringData as Record<string, string>)["secrets.yml"];
        assert.deepEqual(validateRailsSecretsYaml(text, "content"), []);
        const doc = parse(text) as { production: Record<string, unknown> };
        assert.equal(doc.production.db_key_base, "base".padEnd(128, "0")); // the mock hex of ...-db-key-base
        assert.equal(doc.production.openid_connect_signing_key, PEM);
        assert.deepEqual(doc.production.active_record_encryption_primary_key, ["-key".padEnd(32, "x")]);
    });

    it("is unprotected only when asked", async () => {
        const { rec: r } = await run({ protect: false });
        assert.ok(
            r.resources
                .filter((x) => x.type !== "gitlab-platform:gitlab:RailsSecrets" && x.type !== "pulumi:pulumi:Stack")
                .every((x) => x.protect === false),
        );
    });
});

describe("RailsSecrets (restored content)", () => {
    it("generates nothing and stores the given secrets.yml", async () => {
        const given = buildRailsSecretsYaml(VALUES);
        const { rec, raw } = await run({ content: pulumi.secret(given) });
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:gitlab:RailsSecrets")), [
            "kubernetes:core/v1:Secret/gitlab-rails-secrets-secret",
        ]);
        assert.equal(
            (raw.get("gitlab-rails-secrets-secret")!.stringData as Record<string, string>)["secrets.yml"],
            given,
        );
        assert.equal(rec.one("kubernetes:core/v1:Secret").inputs.stringData, "[secret]");
    });

    it("refuses an incomplete secrets.yml, naming the key and not the value", async () => {
        const broken = buildRailsSecretsYaml(VALUES).replace(/ {2}otp_key_base: b+\n/, "");
        await assert.rejects(run({ content: pulumi.secret(broken) }), (err: Error) => {
            assert.match(err.message, /gitlabRailsSecrets: production\.otp_key_base missing or empty/);
            assert.ok(!err.message.includes("c".repeat(32)));
            return true;
        });
    });
});
