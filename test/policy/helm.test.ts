import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GITLAB_BUCKET_TYPES, type GitLabDataServices } from "../../components/data/connection";
import { GitLab } from "../../components/gitlab/gitlab";
import { gitlabExternalDataServices, helmChartVersionPinned, helmValuesNoInlineCredentials } from "../../policy/helm";
import type { PlannedResource } from "../../tools/plan/engine";
import { record } from "../helpers/pulumi";
import { messages, resource } from "./support";

const RELEASE = "kubernetes:helm.sh/v3:Release";

const data: () => GitLabDataServices = () => ({
    postgres: {
        host: "db.example.internal",
        port: 5432,
        database: "gitlabhq_production",
        username: "gitlab",
        password: pulumi.secret("pg"),
    },
    redis: { host: "redis.example.internal", port: 6379, tls: true, password: pulumi.secret("redis") },
    objectStorage: {
        provider: "aws",
        region: "eu-central-1",
        buckets: Object.fromEntries(
            GITLAB_BUCKET_TYPES.map((t) => [t, `acme-${t.toLowerCase()}`]),
        ) as GitLabDataServices["objectStorage"]["buckets"],
        auth: { type: "iamRole", roleArn: "arn:aws:iam::123456789012:role/gitlab" },
    },
});

const releases = new Map<string, Promise<PlannedResource>>();

/** The GitLab component's Helm release, as the offline plan shows it (recorded once per values). */
function gitlabRelease(values?: Record<string, unknown>): Promise<PlannedResource> {
    const key = JSON.stringify(values ?? null);
    if (!releases.has(key)) releases.set(key, recordGitLabRelease(values));
    return releases.get(key)!;
}

async function recordGitLabRelease(values?: Record<string, unknown>): Promise<PlannedResource> {
    const rec = await record(
        () => {
            new GitLab("gitlab", {
                domain: "example.com",
                data: data(),
                tls: { certManagerIssuerEmail: "admin@example.com" },
                ...(values ? { values } : {}),
            });
        },
        { preview: true },
    );
    return rec.one(RELEASE, "gitlab-release");
}

describe("policy gitlab-external-data-services", () => {
    it("passes the GitLab component's release: bundled services off, every external reference set", async () => {
        assert.deepEqual(await messages(gitlabExternalDataServices, await gitlabRelease()), []);
    });

    it("names each bundled service a values override turns back on", async () => {
        const release = await gitlabRelease({
            postgresql: { install: true },
            redis: { install: true },
            global: { minio: { enabled: true } },
        });
        assert.deepEqual(await messages(gitlabExternalDataServices, release), [
            "values.postgresql.install: true installs the bundled PostgreSQL (expected false: an external PostgreSQL through global.psql.*)",
            "values.redis.install: true installs the bundled Redis (expected false: an external Redis through global.redis.*)",
            "values.global.minio.enabled: true installs the bundled MinIO (expected false: external object storage through global.appConfig.object_store.*)",
        ]);
    });

    it("on a 9.x chart, where the bundled services are the default, requires them off explicitly and the external keys set", async () => {
        const release = resource(RELEASE, {
            chart: "gitlab",
            version: "9.11.10",
            repositoryOpts: { repo: "https://charts.gitlab.io/" },
            values: { global: { hosts: { domain: "example.com" } } },
        });
        assert.deepEqual(await messages(gitlabExternalDataServices, release), [
            "values.postgresql.install: not set, so chart 9.11.10 installs the bundled PostgreSQL (expected false: an external PostgreSQL through global.psql.*)",
            "values.redis.install: not set, so chart 9.11.10 installs the bundled Redis (expected false: an external Redis through global.redis.*)",
            "values.global.minio.enabled: not set, so chart 9.11.10 installs the bundled MinIO (expected false: external object storage through global.appConfig.object_store.*)",
            "values.global.psql.host: not set (expected the external PostgreSQL host)",
            "values.global.psql.password.secret: not set (expected the name of the Secret holding the PostgreSQL password)",
            "values.global.redis.host: not set (expected the external Redis host)",
            "values.global.appConfig.object_store.connection.secret: not set (expected the name of the Secret holding the object storage connection)",
            "values.registry.storage.secret: not set (expected the name of the Secret holding the registry storage driver config)",
        ]);
    });

    it("accepts global.redis.redisYmlOverride instead of global.redis.host, and ignores other charts", async () => {
        const values = {
            global: {
                psql: { host: "db", password: { secret: "pg", key: "password" } },
                redis: { redisYmlOverride: { cache: { url: "rediss://cache" } } },
                appConfig: { object_store: { connection: { secret: "os" } } },
            },
            registry: { storage: { secret: "registry" } },
        };
        assert.deepEqual(
            await messages(
                gitlabExternalDataServices,
                resource(RELEASE, { chart: "gitlab", version: "10.2.3", values }),
            ),
            [],
        );
        assert.deepEqual(
            await messages(
                gitlabExternalDataServices,
                resource(RELEASE, { chart: "gitlab-runner", version: "0.91.0", values: {} }),
            ),
            [],
        );
    });
});

describe("policy helm-chart-version-pinned", () => {
    it("passes the GitLab component's exactly pinned chart", async () => {
        assert.deepEqual(await messages(helmChartVersionPinned, await gitlabRelease()), []);
    });

    it("refuses a missing version, ranges, wildcards and partial versions", async () => {
        const table: [unknown, string][] = [
            [
                undefined,
                "version: not set, so Helm installs the newest gitlab-runner (expected an exact version such as 1.2.3)",
            ],
            ["~0.91.0", 'version: "~0.91.0" is not one exact version (expected x.y.z without a range or wildcard)'],
            ["0.91.x", 'version: "0.91.x" is not one exact version (expected x.y.z without a range or wildcard)'],
            [
                ">=0.90.0 <1.0.0",
                'version: ">=0.90.0 <1.0.0" is not one exact version (expected x.y.z without a range or wildcard)',
            ],
            ["0.91", 'version: "0.91" is not one exact version (expected x.y.z without a range or wildcard)'],
        ];
        for (const [version, message] of table) {
            const release = resource(RELEASE, {
                chart: "gitlab-runner",
                ...(version === undefined ? {} : { version }),
                repositoryOpts: { repo: "https://charts.gitlab.io/" },
            });
            assert.deepEqual(await messages(helmChartVersionPinned, release), [message], String(version));
        }
    });

    it("accepts exact versions with a v prefix or a pre-release, v4 Charts, and local chart directories", async () => {
        assert.deepEqual(
            await messages(helmChartVersionPinned, resource(RELEASE, { chart: "envoy-gateway", version: "v1.8.2" })),
            [],
        );
        assert.deepEqual(
            await messages(helmChartVersionPinned, resource(RELEASE, { chart: "app", version: "1.0.0-rc.1" })),
            [],
        );
        assert.deepEqual(await messages(helmChartVersionPinned, resource(RELEASE, { chart: "./charts/app" })), []);
        assert.deepEqual(
            await messages(
                helmChartVersionPinned,
                resource(
                    "kubernetes:helm.sh/v4:Chart",
                    { chart: "oci://ghcr.io/org/chart", version: "2.0.0" },
                    { custom: false },
                ),
            ),
            [],
        );
    });
});

describe("policy helm-values-no-inline-credentials", () => {
    it("passes the GitLab component's release, whose credentials are Secret references", async () => {
        assert.deepEqual(await messages(helmValuesNoInlineCredentials, await gitlabRelease()), []);
    });

    it("names credentials put inline through the component's values escape hatch, by path, without their value", async () => {
        const release = await gitlabRelease({
            global: { smtp: { password: "hunter2" } },
            gitlab: { webservice: { extraEnv: { NOTE: "glpat-AbCdEfGhIjKlMnOpQrSt" } } },
        });
        assert.deepEqual(await messages(helmValuesNoInlineCredentials, release), [
            "values.gitlab.webservice.extraEnv.NOTE: contains a GitLab access token (glpat-) (expected it in a Secret the chart references by name)",
            "values.global.smtp.password: a credential inline (expected a Secret reference: the Secret's name and key)",
        ]);
    });

    it("refuses secrets inline too: a pulumi.secret in values still lands in the release", async () => {
        const rec = await record(
            () => {
                new k8s.helm.v3.Release("agent", {
                    chart: "gitlab-agent",
                    version: "2.20.0",
                    values: {
                        config: {
                            token: pulumi.secret("glagent-AbCdEfGhIjKlMnOpQrSt"),
                            kasAddress: "wss://kas.example.com",
                        },
                        extra: pulumi.secret("x"),
                    },
                });
            },
            { preview: true },
        );
        assert.deepEqual(await messages(helmValuesNoInlineCredentials, rec.one(RELEASE)), [
            "values.config.token: a credential inline (expected a Secret reference: the Secret's name and key)",
            "values.extra: a secret value inline (expected a Secret reference: the Secret's name and key)",
        ]);
    });

    it("finds a runner token inside the runner's config.toml template", async () => {
        const release = resource(RELEASE, {
            chart: "gitlab-runner",
            version: "0.91.0",
            values: { runners: { config: '[[runners]]\n  token = "glrt-t1_AbCdEfGhIjKlMnOpQrSt"\n' } },
        });
        assert.deepEqual(await messages(helmValuesNoInlineCredentials, release), [
            "values.runners.config: contains a GitLab runner token (glrt-) (expected it in a Secret the chart references by name)",
        ]);
    });
});
