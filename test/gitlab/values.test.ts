import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { GITLAB_BUCKET_TYPES, type GitLabDataServices } from "../../components/data/connection";
import { GITLAB_SIZE_PRESETS, GITLAB_SIZES, type GitLabSize } from "../../components/defaults";
import type { GitLabArgs } from "../../components/gitlab/gitlab";
import { InvalidArgsError, problemLine } from "../../components/errors";
import { checkGitLab, gitlabArgsSpec, resolveGitLab, type GitLabRouting } from "../../components/gitlab/settings";
import { RAILS_OBJECT_TYPES, buildGitLabValues, deepMerge } from "../../components/gitlab/values";

// Credentials are plain sentinel strings dressed as Outputs: if the builder ever copied one into the
// values, it would show up verbatim in the JSON below.
const SENTINELS = [
    "SENTINEL-PG-PASSWORD",
    "SENTINEL-REDIS-PASSWORD",
    "SENTINEL-ACCESS-KEY-ID",
    "SENTINEL-SECRET-KEY",
    "SENTINEL-ROOT",
];
const sentinel = (v: string) => v as unknown as pulumi.Output<string>;

function data(overrides: Partial<GitLabDataServices["objectStorage"]> = {}, redisPassword = true): GitLabDataServices {
    return {
        postgres: {
            host: "db.example.internal",
            port: 5432,
            database: "gitlabhq_production",
            username: "gitlab",
            password: sentinel(SENTINELS[0]),
        },
        redis: {
            host: "redis.example.internal",
            port: 6379,
            tls: true,
            ...(redisPassword ? { password: sentinel(SENTINELS[1]) } : {}),
        },
        objectStorage: {
            provider: "aws",
            region: "eu-central-1",
            buckets: Object.fromEntries(GITLAB_BUCKET_TYPES.map((t) => [t, `acme-${t.toLowerCase()}`])) as Record<
                (typeof GITLAB_BUCKET_TYPES)[number],
                string
            >,
            auth: { type: "accessKey", accessKeyId: sentinel(SENTINELS[2]), secretAccessKey: sentinel(SENTINELS[3]) },
            ...overrides,
        },
    };
}

function args(overrides: Partial<GitLabArgs> = {}): GitLabArgs {
    return {
        domain: "example.com",
        data: data(),
        tls: { certManagerIssuerEmail: "admin@example.com" },
        rootPassword: sentinel(SENTINELS[4]),
        ...overrides,
    };
}

const values = (a: GitLabArgs) => buildGitLabValues(resolveGitLab(gitlabArgsSpec.parse(a)));
const at = (v: unknown, path: string): unknown =>
    path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);

/** Every key the 10.x render refuses to proceed without (docs/DOMAIN.md, chart checkConfig templates). */
const REQUIRED = {
    "global.psql.host": "db.example.internal",
    "global.psql.password.secret": "gitlab-postgres-password",
    "global.psql.password.key": "password",
    "global.redis.host": "redis.example.internal",
    "registry.storage.secret": "gitlab-registry-storage",
    "registry.storage.key": "config",
    "gitlab.toolbox.backups.objectStorage.config.secret": "gitlab-backup-storage",
    "gitlab.toolbox.backups.objectStorage.config.key": "config",
    "global.appConfig.object_store.enabled": true,
    "global.appConfig.object_store.connection.secret": "gitlab-object-storage",
    "global.appConfig.object_store.connection.key": "connection",
    "global.registry.bucket": "acme-registry",
    "global.appConfig.backups.bucket": "acme-backups",
    "global.appConfig.backups.tmpBucket": "acme-tmp",
    "global.initialRootPassword.secret": "gitlab-initial-root-password",
    // The stack's own rails secrets (RailsSecrets), never the chart-generated ones.
    "global.railsSecrets.secret": "gitlab-rails-secret",
    // The toolbox backup CronJob is on by default (the chart leaves it off).
    "gitlab.toolbox.backups.cron.enabled": true,
    "gitlab.toolbox.backups.cron.schedule": "0 1 * * *",
    "global.hosts.domain": "example.com",
    "global.hosts.https": true,
    // Bundled services are gone in 10.x: explicitly off.
    "postgresql.install": false,
    "redis.install": false,
    "global.minio.enabled": false,
    "gitlab-runner.install": false,
};

type Mode = { routing: GitLabRouting; tls: GitLabArgs["tls"]; expect: Record<string, unknown> };
const MODES: Record<string, Mode> = {
    "Gateway API + cert-manager": {
        routing: "gateway",
        tls: { certManagerIssuerEmail: "admin@example.com" },
        expect: {
            "global.gatewayApi": { enabled: true, installEnvoy: true, configureCertmanager: true },
            "global.ingress": { enabled: false, configureCertmanager: false },
            "nginx-ingress": { enabled: false },
            installCertmanager: true,
            "certmanager-issuer": { email: "admin@example.com" },
            "certmanager.config.enableGatewayAPI": true,
            "gatewayApiResources.gateway": undefined,
        },
    },
    "Gateway API + own TLS Secret": {
        routing: "gateway",
        tls: { secretName: "wildcard-tls" },
        expect: {
            "global.gatewayApi": { enabled: true, installEnvoy: true, configureCertmanager: false },
            "global.ingress": { enabled: false, configureCertmanager: false },
            installCertmanager: false,
            "certmanager-issuer": undefined,
            certmanager: undefined,
            "gatewayApiResources.gateway.listeners": Object.fromEntries(
                ["gitlab-web", "registry-web", "kas-web"].map((l) => [
                    l,
                    { tls: { mode: "Terminate", certificateRefs: [{ name: "wildcard-tls" }] } },
                ]),
            ),
        },
    },
    "NGINX + cert-manager": {
        routing: "nginx",
        tls: { certManagerIssuerEmail: "admin@example.com" },
        expect: {
            "global.gatewayApi": { enabled: false, installEnvoy: false, configureCertmanager: false },
            "global.ingress": { enabled: true, configureCertmanager: true },
            "nginx-ingress.enabled": true,
            installCertmanager: true,
            "certmanager-issuer": { email: "admin@example.com" },
            "certmanager.config.enableGatewayAPI": false,
        },
    },
    "NGINX + own TLS Secret": {
        routing: "nginx",
        tls: { secretName: "wildcard-tls" },
        expect: {
            "global.gatewayApi": { enabled: false, installEnvoy: false, configureCertmanager: false },
            "global.ingress": {
                enabled: true,
                configureCertmanager: false,
                tls: { enabled: true, secretName: "wildcard-tls" },
            },
            installCertmanager: false,
            "certmanager-issuer": undefined,
            gatewayApiResources: undefined,
        },
    },
};

describe("buildGitLabValues", () => {
    for (const [mode, m] of Object.entries(MODES)) {
        for (const size of GITLAB_SIZES) {
            describe(`${mode}, size ${size}`, () => {
                const v = values(args({ routing: m.routing, tls: m.tls, size }));
                it("fills every key the 10.x render requires, with bundled services off", () => {
                    for (const [path, expected] of Object.entries(REQUIRED))
                        assert.deepEqual(at(v, path), expected, path);
                    for (const type of RAILS_OBJECT_TYPES) {
                        assert.deepEqual(
                            at(v, `global.appConfig.${type}`),
                            { enabled: true, bucket: `acme-${type.toLowerCase()}`, connection: {} },
                            type,
                        );
                    }
                });
                it("routes and terminates TLS as the mode says", () => {
                    for (const [path, expected] of Object.entries(m.expect))
                        assert.deepEqual(at(v, path), expected, path);
                });
                it("holds no credential, only Secret names and keys", () => {
                    const json = JSON.stringify(v);
                    for (const s of SENTINELS) assert.ok(!json.includes(s), `${s} leaked into the values`);
                    assert.doesNotMatch(json, /"(password|accesskey|secretkey|aws_secret_access_key|token)":"[^"]/i);
                });
            });
        }
    }

    const sizes: Array<[GitLabSize, object, object, boolean]> = [
        [
            "dev",
            {
                minReplicas: 1,
                maxReplicas: 2,
                workerProcesses: 2,
                resources: { requests: { cpu: "300m", memory: "2.5G" } },
            },
            { minReplicas: 1, maxReplicas: 1, resources: { requests: { cpu: "900m", memory: "2G" } } },
            false,
        ],
        [
            "s",
            {
                minReplicas: 12,
                maxReplicas: 18,
                workerProcesses: 2,
                resources: { requests: { cpu: "2", memory: "3G" }, limits: { memory: "4G" } },
            },
            {
                minReplicas: 8,
                maxReplicas: 12,
                resources: { requests: { cpu: "900m", memory: "2G" }, limits: { memory: "4G" } },
            },
            true,
        ],
        [
            "m",
            {
                minReplicas: 28,
                maxReplicas: 42,
                workerProcesses: 2,
                resources: { requests: { cpu: "2", memory: "3G" }, limits: { memory: "4G" } },
            },
            {
                minReplicas: 16,
                maxReplicas: 24,
                resources: { requests: { cpu: "900m", memory: "2G" }, limits: { memory: "4G" } },
            },
            true,
        ],
        [
            "l",
            {
                minReplicas: 56,
                maxReplicas: 84,
                workerProcesses: 2,
                resources: { requests: { cpu: "2", memory: "3G" }, limits: { memory: "4G" } },
            },
            {
                minReplicas: 32,
                maxReplicas: 48,
                resources: { requests: { cpu: "900m", memory: "2G" }, limits: { memory: "4G" } },
            },
            true,
        ],
    ];
    for (const [size, webservice, sidekiq, pools] of sizes) {
        it(`sizes ${size} after the Cloud Native First tables${pools ? ", on labelled node pools" : ", without node pools"}`, () => {
            const v = values(args({ size }));
            const selector = (w: string) => (pools ? { nodeSelector: { workload: w } } : {});
            const { deployments: _routes, ...web } = at(v, "gitlab.webservice") as Record<string, unknown>;
            assert.deepEqual(web, { ...webservice, ...selector("webservice") });
            assert.deepEqual(at(v, "gitlab.sidekiq"), { ...sidekiq, ...selector("sidekiq") });
            assert.deepEqual(at(v, "global.nodeSelector"), pools ? { workload: "supporting" } : undefined);
            assert.deepEqual(
                at(v, "envoy-gateway.deployment.pod.nodeSelector"),
                pools ? { workload: "supporting" } : undefined,
            );
            assert.deepEqual(at(v, "certmanager.webhook.nodeSelector"), pools ? { workload: "supporting" } : undefined);
            assert.equal(JSON.stringify(v).includes("nodeSelector"), pools);
            assert.equal(GITLAB_SIZE_PRESETS[size].nodePools, pools);
        });
    }

    it("runs Gitaly as the RA does for S/M/L: 3 pods (one storage each), request = limit, on tainted dedicated nodes, one per node", () => {
        for (const [size, cpu, memory] of [
            ["s", "7", "30G"],
            ["m", "15", "62G"],
            ["l", "31", "126G"],
        ] as const) {
            const v = values(args({ size }));
            assert.deepEqual(at(v, "global.gitaly.internal.names"), ["default", "storage1", "storage2"], size);
            assert.deepEqual(
                at(v, "gitlab.gitaly"),
                {
                    resources: { requests: { cpu, memory }, limits: { cpu, memory } },
                    nodeSelector: { workload: "gitaly" },
                    tolerations: [{ key: "workload", operator: "Equal", value: "gitaly", effect: "NoSchedule" }],
                    antiAffinity: "hard",
                    affinity: { podAntiAffinity: { topologyKey: "kubernetes.io/hostname" } },
                },
                size,
            );
        }
        const dev = values(args({ size: "dev" }));
        assert.equal(at(dev, "gitlab.gitaly"), undefined, "dev keeps the chart's single Gitaly");
        assert.equal(at(dev, "global.gitaly"), undefined);
    });

    it("runs the Envoy proxy on as many replicas as the preset says, spread over zones, with a PDB (one replica only for dev)", () => {
        for (const [size, replicas] of [
            ["dev", 1],
            ["s", 3],
            ["m", 3],
            ["l", 3],
        ] as const) {
            const k = at(values(args({ size })), "gatewayApiResources.envoy.proxySpec.provider.kubernetes") as Record<
                string,
                Record<string, unknown>
            >;
            assert.equal(k.envoyDeployment.replicas, replicas, size);
            assert.deepEqual(k.envoyPDB, replicas > 1 ? { minAvailable: replicas - 1 } : undefined, size);
            const pod = k.envoyDeployment.pod as Record<string, unknown>;
            assert.deepEqual(pod.nodeSelector, size === "dev" ? undefined : { workload: "supporting" }, size);
            assert.deepEqual(
                (pod.topologySpreadConstraints as Record<string, unknown>[]).map((c) => [
                    c.topologyKey,
                    c.maxSkew,
                    c.labelSelector,
                    c.matchLabelKeys,
                ]),
                ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((t) => [
                    t,
                    1,
                    { matchLabels: { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy" } },
                    // Each Gateway's proxies spread on their own, not with the app Gateway's (same class).
                    ["gateway.envoyproxy.io/owning-gateway-namespace", "gateway.envoyproxy.io/owning-gateway-name"],
                ]),
            );
        }
        assert.equal(
            at(values(args({ routing: "nginx", size: "s" })), "gatewayApiResources"),
            undefined,
            "no Envoy with NGINX",
        );
    });

    it("annotates the Envoy Service for the cloud's load balancer only when asked", () => {
        const nlb = {
            "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
            "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
        };
        assert.deepEqual(
            at(
                values(args({ loadBalancerAnnotations: nlb })),
                "gatewayApiResources.envoy.proxySpec.provider.kubernetes.envoyService",
            ),
            { annotations: nlb },
        );
        assert.equal(
            at(values(args()), "gatewayApiResources.envoy.proxySpec.provider.kubernetes.envoyService"),
            undefined,
        );
    });

    it("lifts the chart's 15 s timeout on / (HTTPS git, LFS, artifacts, archives) in the webservice route", () => {
        const rules = at(values(args()), "gitlab.webservice.deployments.default.gatewayRoute.rules") as {
            name: string;
            matches: unknown[];
            timeouts: unknown;
        }[];
        assert.deepEqual(
            rules.map((r) => [r.name, r.timeouts]),
            [
                ["root", { request: "0s", backendRequest: "0s" }],
                ["long-running", { request: "0s", backendRequest: "0s" }],
            ],
        );
        assert.deepEqual(rules[0].matches, [{ path: { type: "PathPrefix", value: "/" } }]);
        // Chart 10.1.2+ lists the HTTP git paths in long-running too; replacing the list must keep them.
        assert.deepEqual(
            (rules[1].matches as { path: { value: string } }[]).map((m) => m.path.value),
            ["^/.*/ssh-receive-pack$", "^/.*/ssh-upload-pack$", "^/.*/git-receive-pack$", "^/.*/git-upload-pack$"],
        );
        assert.ok(!JSON.stringify(rules).includes("15s"));
        assert.equal(
            at(values(args()), "gitlab.webservice.deployments.default.ingress.path"),
            "/",
            "the chart's base-path rule still holds",
        );
        assert.equal(
            at(values(args({ routing: "nginx" })), "gitlab.webservice.deployments"),
            undefined,
            "NGINX keeps its own 600 s read timeout",
        );
    });

    it("defaults to the EE edition, size dev and Gateway API; CE on request", () => {
        const v = values(args());
        assert.equal(at(v, "global.edition"), "ee");
        assert.equal(at(v, "global.gatewayApi.enabled"), true);
        assert.equal(at(v, "gitlab.webservice.minReplicas"), 1);
        assert.equal(at(values(args({ edition: "ce" })), "global.edition"), "ce");
    });

    it("uses rediss and AUTH by Secret when Redis has TLS and a password; no AUTH without one", () => {
        assert.deepEqual(at(values(args()), "global.redis"), {
            host: "redis.example.internal",
            port: 6379,
            scheme: "rediss",
            auth: { enabled: true, secret: "gitlab-redis-password", key: "password" },
        });
        assert.deepEqual(at(values(args({ data: data({}, false) })), "global.redis.auth"), { enabled: false });
    });

    it("points the cache at a separate Redis (global.redis.cache) with its own password Secret when one is given", () => {
        const split = {
            ...data(),
            redisCache: { host: "cache.example.internal", port: 6380, tls: true, password: sentinel("SENTINEL-CACHE") },
        };
        const v = values(args({ data: split }));
        assert.deepEqual(at(v, "global.redis.cache"), {
            host: "cache.example.internal",
            port: 6380,
            scheme: "rediss",
            password: { enabled: true, secret: "gitlab-redis-cache-password", key: "password" },
        });
        assert.equal(
            at(v, "global.redis.host"),
            "redis.example.internal",
            "persistent data stays on the main instance",
        );
        assert.ok(!JSON.stringify(v).includes("SENTINEL-CACHE"), "the cache password never reaches the values");
        assert.equal(at(values(args()), "global.redis.cache"), undefined);
    });

    it("annotates the chart's service accounts for IRSA when a role is given", () => {
        const roleArn = "arn:aws:iam::123456789012:role/gitlab";
        const v = values(args({ data: data({ auth: { type: "iamRole", roleArn } }) }));
        assert.deepEqual(at(v, "global.serviceAccount"), {
            enabled: true,
            create: true,
            annotations: { "eks.amazonaws.com/role-arn": roleArn },
        });
        assert.equal(at(values(args()), "global.serviceAccount"), undefined);
    });

    it("backs up to GCS through Workload Identity for Google (no s3cmd Secret)", () => {
        const v = values(
            args({
                data: data({
                    provider: "google",
                    googleProject: "acme",
                    auth: { type: "iamRole", roleArn: "gitlab@acme.iam.gserviceaccount.com" },
                }),
            }),
        );
        assert.deepEqual(at(v, "gitlab.toolbox.backups.objectStorage"), { backend: "gcs" });
        assert.deepEqual(at(v, "global.serviceAccount.annotations"), {
            "iam.gke.io/gcp-service-account": "gitlab@acme.iam.gserviceaccount.com",
        });
    });

    it("sets the external IP only when given", () => {
        assert.equal(at(values(args({ externalIP: "203.0.113.10" })), "global.hosts.externalIP"), "203.0.113.10");
        assert.equal(at(values(args()), "global.hosts.externalIP"), undefined);
    });

    it("merges the escape hatch last: maps deep, lists and scalars replaced", () => {
        const v = values(
            args({
                values: {
                    gitlab: { webservice: { minReplicas: 5 } },
                    global: { hosts: { ssh: "ssh.example.com" } },
                    "gitlab-runner": { install: true },
                    extra: [1],
                },
            }),
        );
        assert.equal(at(v, "gitlab.webservice.minReplicas"), 5);
        assert.equal(at(v, "gitlab.webservice.maxReplicas"), 2);
        assert.equal(at(v, "global.hosts.ssh"), "ssh.example.com");
        assert.equal(at(v, "global.hosts.domain"), "example.com");
        assert.equal(at(v, "gitlab-runner.install"), true);
        assert.deepEqual(at(v, "extra"), [1]);
    });
});

describe("deepMerge", () => {
    it("merges maps recursively and replaces everything else, without mutating its arguments", () => {
        const base = { a: { b: 1, c: [1, 2] }, d: "x" };
        const over = { a: { c: [3] }, e: { f: true } };
        assert.deepEqual(deepMerge(base, over), { a: { b: 1, c: [3] }, d: "x", e: { f: true } });
        assert.deepEqual(base, { a: { b: 1, c: [1, 2] }, d: "x" });
        assert.deepEqual(deepMerge({ a: { b: 1 } }, { a: null }), { a: null });
    });
});

describe("buildGitLabValues with cert-manager DNS-01 (Route 53)", () => {
    const dns01 = { clusterIssuer: "gitlab-gitlab-acme-dns01", roleArn: "arn:aws:iam::123456789012:role/cm" };

    it("turns the chart's HTTP-01 issuer off, names the stack's ClusterIssuer on the Gateway, gives cert-manager its role", () => {
        const v = values(args({ certManagerDns01: dns01 }));
        assert.deepEqual(at(v, "global.gatewayApi"), {
            enabled: true,
            installEnvoy: true,
            configureCertmanager: false,
        });
        assert.deepEqual(at(v, "gatewayApiResources.gateway.annotations"), {
            "cert-manager.io/cluster-issuer": "gitlab-gitlab-acme-dns01",
        });
        assert.equal(at(v, "installCertmanager"), true, "the bundled cert-manager still issues");
        assert.equal(at(v, "certmanager.config.enableGatewayAPI"), true, "its gateway-shim reads the Gateway");
        assert.deepEqual(at(v, "certmanager.serviceAccount"), {
            name: "gitlab-certmanager",
            annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/cm" },
        });
    });

    it("keeps HTTP-01 and no role without it", () => {
        const v = values(args());
        assert.equal(at(v, "global.gatewayApi.configureCertmanager"), true);
        assert.equal(at(v, "certmanager.serviceAccount"), undefined);
        assert.equal(at(v, "gatewayApiResources.gateway"), undefined);
    });

    it("is refused with an own certificate or NGINX routing, naming the key", () => {
        const lines = (a: GitLabArgs): string[] => {
            try {
                checkGitLab(a);
                return [];
            } catch (e) {
                if (!(e instanceof InvalidArgsError)) throw e;
                return e.problems.map(problemLine);
            }
        };
        assert.deepEqual(lines(args({ certManagerDns01: dns01, tls: { secretName: "wildcard-tls" } })), [
            "certManagerDns01: set with tls.secretName (expected gateway routing with tls.certManagerIssuerEmail: the DNS-01 ClusterIssuer is named by the chart's Gateway)",
        ]);
        assert.deepEqual(lines(args({ certManagerDns01: dns01, routing: "nginx" })), [
            "certManagerDns01: set with routing nginx (expected gateway routing with tls.certManagerIssuerEmail: the DNS-01 ClusterIssuer is named by the chart's Gateway)",
        ]);
        assert.deepEqual(lines(args({ certManagerDns01: dns01 })), []);
    });
});

describe("buildGitLabValues with the SNS topic (the bundled Alertmanager)", () => {
    const TOPIC = "arn:aws:sns:eu-central-1:123456789012:gitlab-platform-prod-alarms";
    const ROLE = "arn:aws:iam::123456789012:role/prod-alarms-alertmanager";
    const target = { topicArn: TOPIC, region: "eu-central-1", roleArn: ROLE };
    const lines = (a: GitLabArgs): string[] => {
        try {
            checkGitLab(a);
            return [];
        } catch (e) {
            if (!(e instanceof InvalidArgsError)) throw e;
            return e.problems.map(problemLine);
        }
    };

    it("turns Alertmanager on with the topic as its only receiver, signed for the topic's region", () => {
        const v = values(args({ alertmanager: target }));
        assert.equal(at(v, "prometheus.alertmanager.enabled"), true);
        assert.deepEqual(at(v, "prometheus.alertmanager.config"), {
            route: {
                receiver: "sns",
                group_by: ["alertname"],
                group_wait: "30s",
                group_interval: "5m",
                repeat_interval: "4h",
            },
            receivers: [
                {
                    name: "sns",
                    sns_configs: [
                        {
                            topic_arn: TOPIC,
                            sigv4: { region: "eu-central-1" },
                            subject: "[{{ .Status | toUpper }}] GitLab: {{ .GroupLabels.alertname }}",
                            send_resolved: true,
                        },
                    ],
                },
            ],
        });
        // Nothing but the region in sigv4: credentials come from the IRSA role, never from the values.
        assert.doesNotMatch(JSON.stringify(at(v, "prometheus.alertmanager")), /access_key|secret_key|role_arn/);
    });

    it("puts the IRSA role on the service account the role trusts, without a volume, closed", () => {
        const v = values(args({ alertmanager: target, releaseName: "gl" }));
        assert.deepEqual(at(v, "prometheus.alertmanager.serviceAccount"), {
            create: true,
            name: "gl-alertmanager",
            annotations: { "eks.amazonaws.com/role-arn": ROLE },
        });
        assert.deepEqual(at(v, "prometheus.alertmanager.persistence"), { enabled: false });
        assert.deepEqual(at(v, "prometheus.alertmanager.securityContext.capabilities"), { drop: ["ALL"] });
        assert.equal(at(v, "prometheus.alertmanager.securityContext.allowPrivilegeEscalation"), false);
    });

    it("runs on the supporting pool with the sizes that have node pools", () => {
        const v = values(args({ alertmanager: target, size: "s" }));
        assert.deepEqual(at(v, "prometheus.alertmanager.nodeSelector"), at(v, "prometheus.server.nodeSelector"));
        assert.notEqual(at(v, "prometheus.alertmanager.nodeSelector"), undefined);
    });

    it("runs two replicas spread one per zone with a PDB for every size with node pools", () => {
        for (const size of ["s", "m", "l"] as const) {
            const v = values(args({ alertmanager: target, size, releaseName: "gl" }));
            assert.equal(at(v, "prometheus.alertmanager.replicaCount"), 2, size);
            assert.deepEqual(at(v, "prometheus.alertmanager.podDisruptionBudget"), { minAvailable: 1 }, size);
            assert.deepEqual(
                at(v, "prometheus.alertmanager.topologySpreadConstraints"),
                [
                    {
                        maxSkew: 1,
                        topologyKey: "topology.kubernetes.io/zone",
                        whenUnsatisfiable: "DoNotSchedule",
                        // The chart's selector labels: the spread counts this release's Alertmanager pods only.
                        labelSelector: {
                            matchLabels: {
                                "app.kubernetes.io/name": "alertmanager",
                                "app.kubernetes.io/instance": "gl",
                            },
                        },
                    },
                ],
                size,
            );
        }
    });

    it("runs one replica for dev, without a PDB that would block every drain and without a spread", () => {
        const am = at(values(args({ alertmanager: target, size: "dev" })), "prometheus.alertmanager") as Record<
            string,
            unknown
        >;
        assert.equal(am.replicaCount, 1);
        assert.equal(am.podDisruptionBudget, undefined);
        assert.equal(am.topologySpreadConstraints, undefined);
    });

    it("keeps Alertmanager off without a topic (the chart's default, said explicitly)", () => {
        assert.deepEqual(at(values(args()), "prometheus.alertmanager"), { enabled: false });
    });

    it("refuses a target that cannot work, naming each key", () => {
        assert.deepEqual(
            lines(args({ alertmanager: { topicArn: "gitlab-alarms", region: "eu-central-1", roleArn: "admin" } })),
            [
                '"gitlab-alarms" is not an SNS topic ARN (expected arn:aws:sns:<region>:<account>:<topic>)',
                '"admin" is not an IAM role ARN (expected arn:aws:iam::<account>:role/<name>)',
            ].map((m, i) => `alertmanager.${i === 0 ? "topicArn" : "roleArn"}: ${m}`),
        );
        assert.deepEqual(lines(args({ alertmanager: { ...target, region: "us-east-1" } })), [
            "alertmanager.topicArn: a topic in eu-central-1, not us-east-1 (expected the topic of alertmanager.region: SigV4 signs for one region)",
        ]);
        assert.deepEqual(
            lines(args({ alertmanager: { topicArn: TOPIC, roleArn: ROLE, regoin: "eu-central-1" } as never })),
            [
                "alertmanager.region: missing required key (expected string)",
                'alertmanager.regoin: unknown key (did you mean "region"?)',
            ],
        );
        assert.deepEqual(lines(args({ alertmanager: target })), []);
    });
});
