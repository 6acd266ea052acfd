import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parse } from "yaml";
import { GITLAB_BUCKET_TYPES, type GitLabDataServices } from "../../components/data/connection";
import {
    GATEWAY_API_CRDS_URL,
    GITLAB_CHART_REPOSITORY,
    GITLAB_CHART_VERSION,
    GITLAB_RELEASE_TIMEOUT_SECONDS,
} from "../../components/defaults";
import { InvalidArgsError } from "../../components/errors";
import { GitLab, type GitLabArgs } from "../../components/gitlab/gitlab";
import { checkGitLab } from "../../components/gitlab/settings";
import { record, type Recorded } from "../helpers/pulumi";
import { validateAll } from "../helpers/schema";
import { lines } from "../helpers/problems";

const TYPE = "gitlab-platform:gitlab:GitLab";

function data(overrides: Partial<GitLabDataServices["objectStorage"]> = {}): GitLabDataServices {
    return {
        postgres: {
            host: "db.example.internal",
            port: 5432,
            database: "gitlabhq_production",
            username: "gitlab",
            password: pulumi.secret("pg-sentinel"),
        },
        redis: { host: "redis.example.internal", port: 6379, tls: true, password: pulumi.secret("redis-sentinel") },
        objectStorage: {
            provider: "aws",
            region: "eu-central-1",
            buckets: Object.fromEntries(
                GITLAB_BUCKET_TYPES.map((t) => [t, `acme-${t.toLowerCase()}`]),
            ) as GitLabDataServices["objectStorage"]["buckets"],
            auth: {
                type: "accessKey",
                accessKeyId: pulumi.secret("AKIA-sentinel"),
                secretAccessKey: pulumi.secret("secret-sentinel"),
            },
            ...overrides,
        },
    };
}

const baseArgs = (): GitLabArgs => ({
    domain: "example.com",
    data: data(),
    tls: { certManagerIssuerEmail: "admin@example.com" },
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

/** Runs the component under mocks that also keep each resource's raw (unmasked) inputs. */
async function run(args: GitLabArgs): Promise<{ rec: Recorded; raw: Map<string, Record<string, unknown>> }> {
    const raw = new Map<string, Record<string, unknown>>();
    const rec = await record(
        () => {
            const gitlab = new GitLab("gitlab", args);
            return {
                url: gitlab.url,
                kasAddress: gitlab.kasAddress,
                registryHost: gitlab.registryHost,
                namespace: gitlab.namespace,
                releaseName: gitlab.releaseName,
                rootPassword: gitlab.rootPassword,
                railsSecrets: gitlab.railsSecrets,
            };
        },
        {
            mocks: {
                newResource: (a) => {
                    raw.set(a.name, unwrap(a.inputs) as Record<string, unknown>);
                    const state =
                        a.type === "random:index/randomPassword:RandomPassword"
                            ? { ...a.inputs, result: "generated-sentinel" }
                            : a.inputs;
                    return { id: `${a.name}-id`, state };
                },
                call: (a) => a.inputs,
            },
        },
    );
    return { rec, raw };
}

const SECRETS_AWS_KEYS = {
    "gitlab-postgres-password": ["password"],
    "gitlab-redis-password": ["password"],
    "gitlab-object-storage": ["connection"],
    "gitlab-registry-storage": ["config"],
    "gitlab-backup-storage": ["config"],
    "gitlab-initial-root-password": ["password"],
};

describe("GitLab (Gateway API, cert-manager, AWS keys, generated root password)", () => {
    let rec: Recorded;
    let raw: Map<string, Record<string, unknown>>;
    before(async () => ({ rec, raw } = await run(baseArgs())));

    it("declares exactly its namespace, Secrets, CRDs, password and release", () => {
        assert.deepEqual(rec.childrenOf(rec.one(TYPE, "gitlab")), [
            "gitlab-platform:gitlab:RailsSecrets/gitlab-rails-secrets",
            "kubernetes:core/v1:Namespace/gitlab-namespace",
            ...Object.keys(SECRETS_AWS_KEYS)
                .map((n) => `kubernetes:core/v1:Secret/${n}`)
                .sort(),
            "kubernetes:helm.sh/v3:Release/gitlab-envoy-gateway-crds",
            "kubernetes:helm.sh/v3:Release/gitlab-release",
            "kubernetes:yaml/v2:ConfigFile/gitlab-gateway-api-crds",
            "random:index/randomPassword:RandomPassword/gitlab-root-password",
        ]);
    });

    it("keeps every credential in Secrets with exact keys, all data secret", () => {
        for (const [name, keys] of Object.entries(SECRETS_AWS_KEYS)) {
            const s = rec.one("kubernetes:core/v1:Secret", name);
            assert.equal(s.inputs.stringData, "[secret]", name);
            assert.deepEqual(s.inputs.metadata, { name, namespace: "gitlab" }, name);
            assert.deepEqual(Object.keys(raw.get(name)!.stringData as object), keys, name);
        }
        const content = (name: string, key: string) => (raw.get(name)!.stringData as Record<string, string>)[key];
        assert.equal(content("gitlab-postgres-password", "password"), "pg-sentinel");
        assert.equal(content("gitlab-initial-root-password", "password"), "generated-sentinel");
        assert.deepEqual(parse(content("gitlab-object-storage", "connection")), {
            provider: "AWS",
            region: "eu-central-1",
            aws_access_key_id: "AKIA-sentinel",
            aws_secret_access_key: "secret-sentinel",
        });
        assert.equal(parse(content("gitlab-registry-storage", "config")).s3.bucket, "acme-registry");
        assert.match(content("gitlab-backup-storage", "config"), /^\[default\]\naccess_key = AKIA-sentinel\n/);
    });

    it("installs the pinned Gateway API CRDs before the release", () => {
        const crds = rec.one("kubernetes:yaml/v2:ConfigFile", "gitlab-gateway-api-crds");
        assert.deepEqual(crds.inputs, { file: GATEWAY_API_CRDS_URL });
        assert.equal(
            GATEWAY_API_CRDS_URL,
            "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/experimental-install.yaml",
        );
        const release = rec.one("kubernetes:helm.sh/v3:Release", "gitlab-release");
        assert.ok(release.dependsOn.includes(crds.urn));
        assert.equal(rec.ofType("kubernetes:helm.sh/v3:Release").length, 2);
    });

    it("installs the pinned Envoy Gateway CRDs as templates (upgraded with the stack), after Gateway API's, before GitLab", () => {
        const eg = rec.one("kubernetes:helm.sh/v3:Release", "gitlab-envoy-gateway-crds");
        assert.deepEqual(eg.inputs, {
            compat: "true", // set by the SDK on every helm.v3.Release
            name: "gitlab-envoy-gateway-crds",
            namespace: "gitlab",
            chart: "oci://docker.io/envoyproxy/gateway-crds-helm",
            version: "v1.8.2",
            values: { crds: { gatewayAPI: { enabled: false }, envoyGateway: { enabled: true } } },
        });
        assert.ok(eg.dependsOn.includes(rec.one("kubernetes:yaml/v2:ConfigFile", "gitlab-gateway-api-crds").urn));
        assert.ok(rec.one("kubernetes:helm.sh/v3:Release", "gitlab-release").dependsOn.includes(eg.urn));
    });

    it("releases the pinned chart with a long timeout, after every Secret", () => {
        const release = rec.one("kubernetes:helm.sh/v3:Release", "gitlab-release");
        assert.equal(release.inputs.chart, "gitlab");
        assert.equal(release.inputs.version, GITLAB_CHART_VERSION);
        assert.match(GITLAB_CHART_VERSION, /^10\.\d+\.\d+$/);
        assert.deepEqual(release.inputs.repositoryOpts, { repo: GITLAB_CHART_REPOSITORY });
        assert.equal(GITLAB_CHART_REPOSITORY, "https://charts.gitlab.io/");
        assert.equal(release.inputs.timeout, GITLAB_RELEASE_TIMEOUT_SECONDS);
        assert.ok(GITLAB_RELEASE_TIMEOUT_SECONDS >= 900);
        assert.equal(release.inputs.name, "gitlab");
        assert.equal(release.inputs.namespace, "gitlab");
        for (const name of Object.keys(SECRETS_AWS_KEYS))
            assert.ok(release.dependsOn.includes(rec.one("kubernetes:core/v1:Secret", name).urn), name);
        const json = JSON.stringify(release.inputs.values);
        for (const s of ["pg-sentinel", "redis-sentinel", "AKIA-sentinel", "secret-sentinel", "generated-sentinel"])
            assert.ok(!json.includes(s), s);
    });

    it("enforces the baseline Pod Security Standard on its namespace", () => {
        assert.deepEqual(rec.one("kubernetes:core/v1:Namespace").inputs.metadata, {
            name: "gitlab",
            labels: { "pod-security.kubernetes.io/enforce": "baseline" },
            // What runs, for the policy pack's upgrade-path check; no previous version on a first install.
            annotations: { "gitlab-platform.io/gitlab-version": "19.2.3" },
        });
    });

    it("exports its addresses, and the root password only as a secret", () => {
        assert.deepEqual(rec.run.outputs, {
            url: "https://gitlab.example.com",
            kasAddress: "wss://kas.example.com",
            registryHost: "registry.example.com",
            namespace: "gitlab",
            releaseName: "gitlab",
            rootPassword: "[secret]",
            railsSecrets: "[secret]",
        });
    });

    it("declares only objects the official Kubernetes schemas accept", async () => {
        assert.equal(await validateAll(rec.resources), 8);
    });
});

describe("GitLab variants", () => {
    it("NGINX routing installs no Gateway API CRDs", async () => {
        const { rec } = await run({ ...baseArgs(), routing: "nginx" });
        assert.equal(rec.ofType("kubernetes:yaml/v2:ConfigFile").length, 0);
        assert.deepEqual(
            rec.ofType("kubernetes:helm.sh/v3:Release").map((r) => r.name),
            ["gitlab-release"],
        );
        const values = rec.one("kubernetes:helm.sh/v3:Release").inputs.values as { global: { ingress: object } };
        assert.deepEqual(values.global.ingress, { enabled: true, configureCertmanager: true });
    });

    it("leaves the Gateway API CRDs alone when the cluster manages them", async () => {
        const { rec } = await run({ ...baseArgs(), installGatewayApiCrds: false });
        assert.equal(rec.ofType("kubernetes:yaml/v2:ConfigFile").length, 0);
        assert.deepEqual(
            rec.ofType("kubernetes:helm.sh/v3:Release").map((r) => r.name),
            ["gitlab-release"],
        );
        assert.equal(
            (rec.one("kubernetes:helm.sh/v3:Release").inputs.values as { global: { gatewayApi: { enabled: boolean } } })
                .global.gatewayApi.enabled,
            true,
        );
    });

    it("Google with Workload Identity and a given root password: no s3cmd Secret, no generated password", async () => {
        const { rec, raw } = await run({
            ...baseArgs(),
            rootPassword: pulumi.secret("given-sentinel"),
            data: data({
                provider: "google",
                googleProject: "acme",
                region: "europe-west1",
                auth: { type: "iamRole" },
            }),
        });
        const children = rec.childrenOf(rec.one(TYPE));
        assert.ok(!children.includes("kubernetes:core/v1:Secret/gitlab-backup-storage"));
        assert.deepEqual(
            rec.ofType("random:index/randomPassword:RandomPassword").map((r) => r.name),
            [
                "gitlab-rails-secrets-ar-primary-key",
                "gitlab-rails-secrets-ar-deterministic-key",
                "gitlab-rails-secrets-ar-key-derivation-salt",
            ],
        );
        assert.equal(
            (raw.get("gitlab-initial-root-password")!.stringData as Record<string, string>).password,
            "given-sentinel",
        );
        assert.deepEqual(parse((raw.get("gitlab-registry-storage")!.stringData as Record<string, string>).config), {
            gcs: { bucket: "acme-registry" },
        });
        assert.equal(rec.run.outputs.rootPassword, "[secret]");
    });

    it("Redis without a password gets no Redis Secret", async () => {
        const d = data();
        delete d.redis.password;
        const { rec } = await run({ ...baseArgs(), data: d });
        assert.equal(
            rec.ofType("kubernetes:core/v1:Secret").some((s) => s.name === "gitlab-redis-password"),
            false,
        );
    });

    it("records the previous GitLab version on the namespace, and refuses a jump over a required stop", async () => {
        const { rec } = await run({ ...baseArgs(), deployedGitLabVersion: "18.11.2" });
        assert.deepEqual(
            (rec.one("kubernetes:core/v1:Namespace").inputs.metadata as { annotations: object }).annotations,
            {
                "gitlab-platform.io/gitlab-version": "19.2.3",
                "gitlab-platform.io/previous-gitlab-version": "18.11.2",
            },
        );
        await assert.rejects(
            run({ ...baseArgs(), deployedGitLabVersion: "18.7.0" }),
            (err: unknown) =>
                err instanceof InvalidArgsError &&
                err.message.includes(
                    "chartVersion: 10.2.3 (GitLab 19.2.3) skips required upgrade stops from the deployed GitLab 18.7.0 (expected to deploy 18.8",
                ),
        );
    });

    it("refuses bad arguments before declaring any child", async () => {
        const declared: string[] = [];
        await assert.rejects(
            record(() => new GitLab("gitlab", { ...baseArgs(), domain: "https://example.com" }), {
                mocks: {
                    newResource: (a) => (declared.push(a.type), { id: "x", state: a.inputs }),
                    call: (a) => a.inputs,
                },
            }),
            (err: unknown) => err instanceof InvalidArgsError && err.message.includes("domain: not a DNS domain"),
        );
        assert.deepEqual(
            declared.filter((t) => t !== TYPE && t !== "pulumi:pulumi:Stack"),
            [],
        );
    });
});

/** The problem lines `checkGitLab` (the component's first step) throws; none when the args pass. */
function validateGitLab(a: GitLabArgs): string[] {
    try {
        checkGitLab(a);
        return [];
    } catch (err) {
        if (err instanceof InvalidArgsError) return lines(err.problems);
        throw err;
    }
}

describe("checkGitLab", () => {
    const cases: Array<[string, Partial<GitLabArgs>, string]> = [
        [
            "a missing issuer e-mail with cert-manager",
            { tls: {} },
            "tls.certManagerIssuerEmail: missing (expected an e-mail address for Let's Encrypt through cert-manager, or tls.secretName for your own certificate)",
        ],
        [
            "both TLS modes",
            { tls: { certManagerIssuerEmail: "a@example.com", secretName: "wildcard-tls" } },
            "tls: both certManagerIssuerEmail and secretName set (expected exactly one TLS mode: cert-manager or your own certificate)",
        ],
        [
            "a malformed e-mail",
            { tls: { certManagerIssuerEmail: "admin" } },
            "tls.certManagerIssuerEmail: not an e-mail address (expected e.g. admin@example.com)",
        ],
        [
            "a bad domain",
            { domain: "gitlab.example.com/" },
            "domain: not a DNS domain (expected a lower-case domain such as example.com, without scheme or trailing dot)",
        ],
        [
            "a single-label domain",
            { domain: "localhost" },
            "domain: not a DNS domain (expected a lower-case domain such as example.com, without scheme or trailing dot)",
        ],
        [
            "a missing domain",
            { domain: "" },
            "domain: missing (expected the DNS domain GitLab serves, e.g. example.com for gitlab.example.com)",
        ],
        [
            "a missing PostgreSQL host",
            { data: { ...data(), postgres: { ...data().postgres, host: "" } } },
            "data.postgres.host: missing (expected the PostgreSQL server's host name)",
        ],
        [
            "a missing Redis host",
            { data: { ...data(), redis: { ...data().redis, host: "" } } },
            "data.redis.host: missing (expected the Redis server's host name)",
        ],
        [
            "a bad PostgreSQL port",
            { data: { ...data(), postgres: { ...data().postgres, port: 0 } } },
            "data.postgres.port: not a TCP port (expected an integer from 1 to 65535)",
        ],
        [
            "a missing bucket",
            { data: data({ buckets: { ...data().objectStorage.buckets, registry: "" } }) },
            "data.objectStorage.buckets.registry: missing (expected a bucket name)",
        ],
        [
            "Google with static keys",
            { data: data({ provider: "google", googleProject: "acme" }) },
            "data.objectStorage.auth: static keys with provider google (expected iamRole: Workload Identity)",
        ],
        [
            "an endpoint with IRSA",
            { data: data({ endpoint: "https://s3.example.com", auth: { type: "iamRole" } }) },
            "data.objectStorage.endpoint: set with an IAM role (expected no endpoint: IRSA needs AWS's own STS endpoints)",
        ],
        [
            "an unknown size",
            { size: "xl" as never },
            'size: not an allowed value (expected one of: "dev", "s", "m", "l")',
        ],
        [
            "an unknown routing",
            { routing: "traefik" as never },
            'routing: not an allowed value (expected one of: "gateway", "nginx")',
        ],
        [
            "a bad TLS Secret name",
            { tls: { secretName: "Wildcard_TLS" } },
            "tls.secretName: not a Secret name (expected a lower-case DNS subdomain such as gitlab-wildcard-tls)",
        ],
        [
            "a bad external IP",
            { externalIP: "lb.example.com" },
            "externalIP: not an IPv4 address (expected the load balancer's static address, e.g. 203.0.113.10)",
        ],
        [
            "a long release name",
            { releaseName: "g".repeat(54) },
            "releaseName: not a Helm release name (expected a lower-case DNS label of at most 53 characters)",
        ],
        [
            "no data",
            { data: undefined as never },
            "data: missing (expected GitLab's external services: postgres, redis and objectStorage)",
        ],
    ];
    for (const [what, overrides, message] of cases) {
        it(`reports ${what}`, () => {
            const problems = validateGitLab({ ...baseArgs(), ...overrides });
            assert.ok(problems.includes(message), problems.join("\n"));
        });
    }

    it("accepts the base arguments", () => {
        assert.deepEqual(validateGitLab(baseArgs()), []);
    });
});
