/** The `gitlab` and `data` stack keys and their secrets, and the day-2 keys (rails secrets, backups, upgrades, alarms), through the config reader. */
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

describe("config: gitlab and data", () => {
    it("reads a valid stack: settings as given, the spec's defaults applied once, every credential a secret Output", async () => {
        const cfg = parse(
            valid({
                redisPassword: "r",
                objectStorageAccessKeyId: "a",
                objectStorageSecretAccessKey: "b",
                gitlabRootPassword: "root",
            }),
        );
        assert.deepEqual(cfg.gitlab && { ...cfg.gitlab, rootPassword: undefined }, {
            edition: "ee",
            size: "dev",
            routing: "gateway",
            installGatewayApiCrds: true,
            namespace: "gitlab",
            releaseName: "gitlab",
            chartVersion: "10.2.3",
            backups: { enabled: true, schedule: "0 1 * * *", volumeSize: "100Gi" },
            protect: true,
            values: {},
            ...GITLAB,
            rootPassword: undefined,
        });
        assert.ok(cfg.data?.type === "existing");
        assert.equal(cfg.data.postgres.host, "db.example.internal");
        const c = cfg.data.credentials;
        for (const o of [
            c.postgresPassword,
            c.redisPassword!,
            c.objectStorageAccessKeyId!,
            c.objectStorageSecretAccessKey!,
            cfg.gitlab!.rootPassword!,
        ]) {
            assert.equal(await pulumi.isSecret(o), true);
        }
    });

    it("leaves optional credentials absent", () => {
        const cfg = parse(valid());
        assert.ok(cfg.data?.type === "existing");
        assert.deepEqual(Object.keys(cfg.data.credentials), ["postgresPassword"]);
        assert.equal(cfg.gitlab!.rootPassword, undefined);
    });

    it("needs neither key: a stack without GitLab is valid", () => {
        const cfg = parse({ cluster: CLUSTER });
        assert.equal(cfg.gitlab, undefined);
        assert.equal(cfg.data, undefined);
    });

    const cases: Array<[string, Record<string, unknown>, string, string[]?]> = [
        [
            "gitlab without data",
            { cluster: CLUSTER, gitlab: GITLAB },
            "gitlab: set without data (expected the data key describing GitLab's PostgreSQL, Redis and object storage)",
        ],
        [
            "data without the PostgreSQL password",
            { cluster: CLUSTER, data: DATA },
            "postgresPassword: missing (expected the PostgreSQL password as a secret)",
        ],
        [
            "a password in plaintext",
            valid(),
            "postgresPassword: stored in plaintext (expected a secret: pulumi config set --secret postgresPassword ...)",
            [],
        ],
        [
            "a secret without its service",
            { cluster: CLUSTER, redisPassword: "r" },
            "redisPassword: set without data (expected the data key describing the service it belongs to)",
        ],
        [
            "a root password without gitlab",
            { cluster: CLUSTER, gitlabRootPassword: "x" },
            "gitlabRootPassword: set without gitlab (expected the gitlab key too, or no root password)",
        ],
        [
            "one access key only",
            valid({ objectStorageAccessKeyId: "a" }),
            "objectStorageSecretAccessKey: missing (expected both access key id and secret access key, or neither)",
        ],
        [
            "keys together with a role",
            valid({
                data: {
                    ...DATA,
                    objectStorage: { ...DATA.objectStorage, roleArn: "arn:aws:iam::123456789012:role/gitlab" },
                },
                objectStorageAccessKeyId: "a",
                objectStorageSecretAccessKey: "b",
            }),
            "data.objectStorage.roleArn: set together with access keys (expected either an IAM role or static keys)",
        ],
        [
            "cert-manager without e-mail",
            valid({ gitlab: { domain: "example.com", tls: {} } }),
            "gitlab.tls.certManagerIssuerEmail: missing (expected an e-mail address for Let's Encrypt through cert-manager, or tls.secretName for your own certificate)",
        ],
        [
            "both TLS modes",
            valid({
                gitlab: {
                    domain: "example.com",
                    tls: { certManagerIssuerEmail: "a@example.com", secretName: "wildcard" },
                },
            }),
            "gitlab.tls: both certManagerIssuerEmail and secretName set (expected exactly one TLS mode: cert-manager or your own certificate)",
        ],
        [
            "a bad domain",
            valid({ gitlab: { ...GITLAB, domain: "https://example.com" } }),
            "gitlab.domain: not a DNS domain (expected a lower-case domain such as example.com, without scheme or trailing dot)",
        ],
        [
            "an unknown size",
            valid({ gitlab: { ...GITLAB, size: "xl" } }),
            'gitlab.size: not an allowed value (expected one of: "dev", "s", "m", "l")',
        ],
        [
            "a missing PostgreSQL host",
            valid({ data: { ...DATA, postgres: { username: "gitlab" } } }),
            "data.postgres.host: missing required key (expected string)",
        ],
        [
            "an empty PostgreSQL host",
            valid({ data: { ...DATA, postgres: { host: "", username: "gitlab" } } }),
            "data.postgres.host: missing (expected a DNS name or IPv4 address)",
        ],
        [
            "a port out of range",
            valid({ data: { ...DATA, redis: { host: "r.example", port: 99999 } } }),
            "data.redis.port: not a TCP port (expected an integer from 1 to 65535)",
        ],
        [
            "a port as text",
            valid({ data: { ...DATA, redis: { host: "r.example", port: "6379" } } }),
            "data.redis.port: wrong type string (expected number)",
        ],
        [
            "an invalid bucket prefix",
            valid({ data: { ...DATA, objectStorage: { ...DATA.objectStorage, bucketPrefix: "Acme" } } }),
            "data.objectStorage.bucketPrefix: bucket Acme-lfs has a character S3 does not allow (expected 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit)",
        ],
        [
            "an unknown data type",
            valid({ data: { ...DATA, type: "azure" } }),
            'data.type: not an allowed value (expected one of: "existing", "aws")',
        ],
    ];
    for (const [what, values, message, secretKeys] of cases) {
        it(`refuses ${what}`, () => {
            const found = problems(values, secretKeys);
            assert.ok(found.includes(message), found.join("\n"));
        });
    }

    it("reports an enum problem once, not once per layer", () => {
        const found = problems(valid({ gitlab: { ...GITLAB, routing: "traefik" } }));
        assert.equal(found.filter((p) => p.startsWith("gitlab.routing:")).length, 1, found.join("\n"));
    });
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
            { enabled: true, schedule: "30 2 * * *", volumeSize: "200Gi" },
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
