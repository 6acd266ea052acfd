/** The day-2 stack keys (rails secrets, backups, upgrades, alarms) through the config reader. */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parseStackConfig, type SecretKey } from "../../config";

const CLUSTER = { type: "existing", context: "gitlab-dev", kubernetesVersion: "1.34" };
const DATA = {
    type: "existing",
    postgres: { host: "db.example.internal", username: "gitlab" },
    redis: { host: "redis.example.internal", tls: true },
    objectStorage: { provider: "aws", region: "eu-central-1", bucketPrefix: "acme-gitlab" },
};
const GITLAB = { domain: "example.com", tls: { certManagerIssuerEmail: "admin@example.com" } };

function parse(values: Record<string, unknown>, secretKeys: string[] = Object.keys(values)) {
    return parseStackConfig({
        values,
        secretKeys: new Set(secretKeys),
        secret: (key: SecretKey) => pulumi.secret(String(values[key])),
    });
}

function problems(values: Record<string, unknown>, secretKeys?: string[]): readonly string[] {
    try {
        parse(values, secretKeys);
    } catch (err) {
        if (ConfigError.is(err)) return err.problems;
        throw err;
    }
    throw new Error("expected a ConfigError");
}

const valid = (extra: Record<string, unknown> = {}) => ({
    cluster: CLUSTER,
    data: DATA,
    gitlab: GITLAB,
    postgresPassword: "pg",
    ...extra,
});

describe("config: day-2 keys", () => {
    it("reads gitlabRailsSecrets as a secret Output for the GitLab component", async () => {
        const cfg = parse(valid({ gitlabRailsSecrets: "production:\n  db_key_base: x\n" }));
        assert.equal(await pulumi.isSecret(cfg.gitlab!.railsSecrets!), true);
    });

    it("passes the backup settings to the GitLab component", () => {
        assert.deepEqual(
            parse(valid({ gitlab: { ...GITLAB, backups: { schedule: "30 2 * * *", volumeSize: "200Gi" } } })).gitlab!
                .backups,
            { schedule: "30 2 * * *", volumeSize: "200Gi" },
        );
    });

    it("leaves the rails secrets to the stack when the key is unset", () => {
        assert.equal(parse(valid()).gitlab!.railsSecrets, undefined);
    });

    const cases: Array<[string, Record<string, unknown>, string, string[]?]> = [
        [
            "rails secrets in plaintext",
            valid({ gitlabRailsSecrets: "production: {}" }),
            "gitlabRailsSecrets: stored in plaintext (expected a secret: pulumi config set --secret gitlabRailsSecrets ...)",
            ["postgresPassword"],
        ],
        [
            "rails secrets without gitlab",
            { cluster: CLUSTER, gitlabRailsSecrets: "x" },
            "gitlabRailsSecrets: set without gitlab (expected the gitlab key too, or no rails secrets)",
        ],
        ["a non-boolean protect", valid({ gitlab: { ...GITLAB, protect: "yes" } }), "gitlab.protect: "],
        [
            "a bad backup schedule",
            valid({ gitlab: { ...GITLAB, backups: { schedule: "daily" } } }),
            "gitlab.backups.schedule: not a cron expression (expected five fields, e.g. 0 1 * * * for 01:00 daily)",
        ],
        [
            "alarms without AWS data services",
            valid({ alarms: { emails: ["oncall@example.com"] } }),
            "alarms: set without data.type aws (expected the AWS data services whose alarms it subscribes to)",
        ],
        [
            "a bad alarm subscriber",
            valid({ alarms: { emails: ["oncall"] } }),
            "alarms.emails[0]: not an e-mail address (expected e.g. oncall@example.com)",
        ],
        [
            "an unknown backups key",
            valid({ gitlab: { ...GITLAB, backups: { scheduel: "0 1 * * *" } } }),
            "gitlab.backups.scheduel: unknown key",
        ],
    ];
    for (const [what, values, message, secretKeys] of cases) {
        it(`refuses ${what}`, () => {
            const found = problems(values, secretKeys);
            assert.ok(
                found.some((p) => p.startsWith(message)),
                found.join("\n"),
            );
        });
    }
});
