/**
 * Bad configurations, each with the exact problems it must report. The messages are the user
 * interface of a broken stack file, so they are asserted word for word.
 */
import { strict as assert } from "node:assert";
import { reviewSlug } from "../../components/apps/naming";
import { parse, problemsOf, VALID } from "./support";

const cluster = VALID.cluster;

interface Row {
    name: string;
    values: Record<string, unknown>;
    secretKeys?: string[];
    /** Other providers' keys the program reads (`gitlab:baseUrl`). */
    raw?: { gitlabBaseUrl?: string };
    /** Exact lines, or a pattern where a line lists every known key (which grows with the project). */
    problems: (string | RegExp)[];
}

export const CLUSTER_ROWS: Row[] = [
    { name: "missing required key", values: {}, problems: ["cluster: missing required key (expected object)"] },
    {
        name: "wrong type for an object",
        values: { cluster: "existing" },
        problems: ["cluster: wrong type string (expected object)"],
    },
    {
        name: "missing discriminator",
        values: { cluster: { kubernetesVersion: "1.34" } },
        problems: [/^cluster\.type: missing required key \(expected one of: "existing"(, "eks")?(, "platform")?\)$/],
    },
    {
        name: "unknown cluster type (gke is not treated as an existing cluster)",
        values: { cluster: { ...cluster, type: "gke" } },
        problems: ['cluster.type: not an allowed value (expected one of: "existing", "eks", "platform")'],
    },
    {
        name: "typo in a nested key",
        values: { cluster: { ...cluster, contxt: "x" } },
        problems: ['cluster.contxt: unknown key (did you mean "context"?)'],
    },
    {
        // The component's own spec, picked by the stack: the same "did you mean" as KubernetesCluster's
        // (test/config/component-args.test.ts), at the key the stack file wrote.
        name: "typo in a node group setting of an EKS cluster",
        values: {
            cluster: {
                type: "eks",
                kubernetesVersion: "1.35",
                region: "eu-central-1",
                network: { type: "create", availabilityZones: ["eu-central-1a", "eu-central-1b"] },
                nodeGroups: { runners: { instanceTypes: ["m7i.xlarge"], minSize: 0, maxSise: 4 } },
            },
        },
        problems: [
            'cluster.nodeGroups.runners.maxSise: unknown key (did you mean "maxSize"?)',
            "cluster.nodeGroups.runners.maxSize: missing required key (expected number)",
        ],
    },
    {
        name: "typo in a top-level key",
        values: { ...VALID, clustr: { type: "existing" } },
        problems: ['clustr: unknown key (did you mean "cluster"?)'],
    },
    {
        name: "unknown key with no close match",
        values: { ...VALID, zzzzzzzzzz: 1 },
        problems: [/^zzzzzzzzzz: unknown key \(expected one of: [a-zA-Z, ]*\bcluster, /],
    },
    {
        name: "Kubernetes version below the window",
        values: { cluster: { ...cluster, kubernetesVersion: "1.31" } },
        problems: ["cluster.kubernetesVersion: outside the supported window (expected one of: 1.33, 1.34, 1.35)"],
    },
    {
        name: "Kubernetes version above the window",
        values: { cluster: { ...cluster, kubernetesVersion: "1.36.1" } },
        problems: ["cluster.kubernetesVersion: outside the supported window (expected one of: 1.33, 1.34, 1.35)"],
    },
    {
        name: "Kubernetes version as an unquoted number",
        values: { cluster: { ...cluster, kubernetesVersion: 1.34 } },
        problems: ["cluster.kubernetesVersion: wrong type number (expected string)"],
    },
    {
        name: "Kubernetes version malformed",
        values: { cluster: { ...cluster, kubernetesVersion: "latest" } },
        problems: ['cluster.kubernetesVersion: not a Kubernetes version (expected a quoted minor such as "1.34")'],
    },
    {
        name: "empty context",
        values: { cluster: { ...cluster, context: "" } },
        problems: ["cluster.context: must not be empty (expected a non-empty string)"],
    },
    {
        name: "secret stored in plaintext",
        values: { ...VALID, kubeconfig: "apiVersion: v1" },
        problems: ["kubeconfig: stored in plaintext (expected a secret: pulumi config set --secret kubeconfig ...)"],
    },
    {
        name: "kubeconfig path and content together",
        values: { cluster: { ...cluster, kubeconfig: "/etc/kube/config" }, kubeconfig: "apiVersion: v1" },
        secretKeys: ["kubeconfig"],
        problems: [
            "cluster.kubeconfig: set together with the kubeconfig secret (expected exactly one of a path or inline content)",
        ],
    },
    {
        name: "several problems at once, sorted by key",
        values: { clustr: 1, cluster: { ...cluster, kubernetesVersion: "1.20", contxt: "x" } },
        problems: [
            'cluster.contxt: unknown key (did you mean "context"?)',
            "cluster.kubernetesVersion: outside the supported window (expected one of: 1.33, 1.34, 1.35)",
            'clustr: unknown key (did you mean "cluster"?)',
        ],
    },
];

const data = {
    type: "existing",
    postgres: { host: "postgres.internal", username: "gitlab" },
    redis: { host: "redis.internal", tls: true },
    objectStorage: { provider: "aws", region: "eu-central-1", bucketPrefix: "acme-gitlab-dev" },
};
const gitlab = { domain: "dev.example.org", tls: { certManagerIssuerEmail: "ops@example.org" } };
const withGitLab = { ...VALID, data, gitlab, postgresPassword: "x" };
const S = ["postgresPassword"];

export const GITLAB_ROWS: Row[] = [
    {
        name: "malformed domain",
        values: { ...withGitLab, gitlab: { ...gitlab, domain: "https://Dev.Example.org/" } },
        secretKeys: S,
        problems: [
            "gitlab.domain: not a DNS domain (expected a lower-case domain such as example.com, without scheme or trailing dot)",
        ],
    },
    {
        name: "malformed e-mail",
        values: { ...withGitLab, gitlab: { ...gitlab, tls: { certManagerIssuerEmail: "ops-at-example.org" } } },
        secretKeys: S,
        problems: ["gitlab.tls.certManagerIssuerEmail: not an e-mail address (expected e.g. admin@example.com)"],
    },
    {
        name: "malformed URL",
        values: {
            ...withGitLab,
            data: { ...data, objectStorage: { ...data.objectStorage, endpoint: "minio.internal:9000/bucket" } },
        },
        secretKeys: S,
        // One round: the setting's own problem and the credentials it implies, together.
        problems: [
            "data.objectStorage.endpoint: not a base URL (expected https://host[:port])",
            "objectStorageAccessKeyId: missing (expected static keys with an S3-compatible endpoint, which has no IAM roles)",
        ],
    },
    {
        name: "port out of range",
        values: { ...withGitLab, data: { ...data, postgres: { ...data.postgres, port: 70000 } } },
        secretKeys: S,
        problems: ["data.postgres.port: not a TCP port (expected an integer from 1 to 65535)"],
    },
    {
        name: "missing PostgreSQL host",
        values: { ...withGitLab, data: { ...data, postgres: { username: "gitlab" } } },
        secretKeys: S,
        problems: ["data.postgres.host: missing required key (expected string)"],
    },
    {
        name: "bucket prefix S3 refuses",
        values: {
            ...withGitLab,
            data: { ...data, objectStorage: { ...data.objectStorage, bucketPrefix: "Acme_GitLab" } },
        },
        secretKeys: S,
        problems: [
            "data.objectStorage.bucketPrefix: bucket Acme_GitLab-lfs has a character S3 does not allow (expected 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit)",
        ],
    },
    {
        name: "size outside the presets",
        values: { ...withGitLab, gitlab: { ...gitlab, size: "xl" } },
        secretKeys: S,
        problems: ['gitlab.size: not an allowed value (expected one of: "dev", "s", "m", "l")'],
    },
    {
        name: "a chart version the package does not know (reported once, by the gitlab key's rule)",
        values: { ...withGitLab, gitlab: { ...gitlab, chartVersion: "10.9.9" } },
        secretKeys: S,
        problems: [
            "gitlab.chartVersion: 10.9.9 is not a chart version this package knows (expected one of: 9.10.0, 9.11.0, 10.2.3)",
        ],
    },
    {
        name: "a backup schedule that is not a cron expression",
        values: { ...withGitLab, gitlab: { ...gitlab, backups: { schedule: "daily" } } },
        secretKeys: S,
        problems: [
            "gitlab.backups.schedule: not a cron expression (expected five fields, e.g. 0 1 * * * for 01:00 daily)",
        ],
    },
    {
        name: "cert-manager without an issuer e-mail",
        values: { ...withGitLab, gitlab: { ...gitlab, tls: {} } },
        secretKeys: S,
        problems: [
            "gitlab.tls.certManagerIssuerEmail: missing (expected an e-mail address for Let's Encrypt through cert-manager, or tls.secretName for your own certificate)",
        ],
    },
    {
        name: "GitLab without its data services",
        values: { ...VALID, gitlab },
        problems: [
            "gitlab: set without data (expected the data key describing GitLab's PostgreSQL, Redis and object storage)",
        ],
    },
    {
        name: "required secret missing",
        values: { ...VALID, data, gitlab },
        problems: ["postgresPassword: missing (expected the PostgreSQL password as a secret)"],
    },
];

const onGitLabCom = { ...VALID, gitlabUrl: "https://gitlab.com/" };

export const DEPLOY_ROWS: Row[] = [
    {
        name: "agent name longer than a DNS label",
        values: { ...onGitLabCom, agent: { project: "g/p", kasAddress: "wss://kas.gitlab.com", name: "a".repeat(64) } },
        problems: [
            `agent.name: "${"a".repeat(64)}" is not a valid agent name (expected a DNS label: lowercase letters, digits and '-', not at either end, at most 63 characters)`,
        ],
    },
    {
        name: "agent without a KAS address or an installed GitLab",
        values: { ...VALID, agent: { project: "g/p" } },
        problems: [
            "agent.kasAddress: missing (expected the KAS address, e.g. wss://kas.gitlab.com, or the gitlab key to install GitLab)",
        ],
    },
    {
        name: "agent project of the wrong type",
        values: { ...onGitLabCom, agent: { project: true, kasAddress: "wss://kas.gitlab.com" } },
        problems: ["agent.project: wrong type boolean (expected string or number)"],
    },
    {
        name: "runners with nothing to register with",
        values: { ...VALID, runners: [{ name: "general", scope: { type: "instance" } }] },
        problems: [
            "runners: set without a GitLab to register with (expected gitlabUrl, or the gitlab key to install one)",
        ],
    },
    {
        name: "malformed GitLab URL",
        values: { ...VALID, gitlabUrl: "gitlab.com" },
        problems: ["gitlabUrl: not a GitLab base URL (expected https://<host>/, e.g. https://gitlab.com/)"],
    },
    {
        name: "Flux source with two refs",
        values: {
            ...onGitLabCom,
            flux: {
                syncs: [
                    {
                        name: "web",
                        project: "g/p",
                        url: "oci://registry.example.com/g/p/web",
                        ref: { tag: "v1", digest: `sha256:${"a".repeat(64)}` },
                    },
                ],
            },
        },
        problems: ["flux.syncs[0].ref: sets tag and digest of tag, semver, digest (expected exactly one)"],
    },
    {
        name: "app image without tag or digest",
        values: { ...onGitLabCom, apps: [{ name: "web", image: "nginx" }] },
        problems: [
            'apps[0].image: "nginx" has neither a tag nor a digest (expected repository:tag or repository@sha256:<digest>, e.g. "nginx:1.2.3")',
        ],
    },
];

const kas = "wss://kas.gitlab.com";
const sync = { name: "web", project: "g/p", url: "oci://registry.example.com/g/p/web", ref: { tag: "v1" } };
const longBranch = "feature/" + "a-very-long-branch-name-".repeat(3);
const longSlug = reviewSlug(longBranch);

/** Mistakes a new user made with held-out stack files: each refused, named where they wrote it. */
export const HELD_OUT_ROWS: Row[] = [
    {
        name: "empty agent project path",
        values: { ...onGitLabCom, agent: { project: "", kasAddress: kas } },
        problems: ["agent.project: empty (expected the project's full path, e.g. group/project, or its numeric id)"],
    },
    {
        name: "empty sync project path",
        values: { ...onGitLabCom, flux: { syncs: [{ ...sync, project: "" }] } },
        problems: [
            "flux.syncs[0].project: empty (expected the project's full path, e.g. group/project, or its numeric id)",
        ],
    },
    {
        name: "app memory in MB (not a Kubernetes quantity)",
        values: {
            ...onGitLabCom,
            apps: [{ name: "web", image: "nginx:1.27", resources: { limits: { memory: "512MB" } } }],
        },
        problems: [
            'apps[0].resources.limits.memory: "512MB" is not a Kubernetes quantity (expected e.g. 500m, 2, 512Mi, 4Gi, 1e3)',
        ],
    },
    {
        name: "namespace Default",
        values: { ...onGitLabCom, apps: [{ name: "web", namespace: "Default", image: "nginx:1.27" }] },
        problems: [
            `apps[0].namespace: "Default" is not a namespace name (expected a DNS label: lowercase letters, digits and '-', at most 63 characters)`,
        ],
    },
    {
        name: "semver range not-a-range",
        values: { ...onGitLabCom, flux: { syncs: [{ ...sync, ref: { semver: "not-a-range" } }] } },
        problems: [
            'flux.syncs[0].ref.semver: "not-a-range" is not a semver range (expected e.g. ">=1.0.0 <2.0.0", "~1.2" or "1.x")',
        ],
    },
    {
        name: "gitlab:baseUrl that is not a URL",
        values: { ...VALID },
        raw: { gitlabBaseUrl: "not a url" },
        problems: ["gitlab:baseUrl: not a URL (expected https://<host>/api/v4, e.g. https://gitlab.com/api/v4)"],
    },
    {
        name: "KAS address over http",
        values: { ...onGitLabCom, agent: { project: "g/p", kasAddress: "http://gitlab.example.com" } },
        problems: [
            "agent.kasAddress: not a KAS address (expected wss://kas.<domain> or wss://<gitlab-host>/-/kubernetes-agent/)",
        ],
    },
    {
        name: "a ci_access group path, named as written",
        values: { ...onGitLabCom, agent: { project: "g/p", kasAddress: kas, ciAccess: { groups: [{ id: "" }] } } },
        problems: ['agent.ciAccess.groups[0].id: "" is not a path (expected a group path such as group/subgroup)'],
    },
    {
        name: "a ci_access group id of the wrong type, named as written",
        values: { ...onGitLabCom, agent: { project: "g/p", kasAddress: kas, ciAccess: { groups: [{ id: 5 }] } } },
        problems: ["agent.ciAccess.groups[0].id: wrong type number (expected string)"],
    },
    {
        name: "misspelled runner setting",
        values: { ...onGitLabCom, runners: [{ name: "ci", scope: { type: "instance" }, concurent: 4 }] },
        problems: ['runners[0].concurent: unknown key (did you mean "concurrent"?)'],
    },
    {
        name: "two syncs of one name (one URN twice)",
        values: {
            ...onGitLabCom,
            flux: {
                syncs: [
                    { ...sync, secretName: "a" },
                    { ...sync, secretName: "b" },
                ],
            },
        },
        problems: [`flux.syncs[1].name: "web" is also syncs[0]'s name (expected unique sync names)`],
    },
    {
        name: "two apps of one name (one URN twice)",
        values: {
            ...onGitLabCom,
            namespaces: ["other"],
            apps: [
                { name: "web", image: "nginx:1.27" },
                { name: "web", namespace: "other", image: "nginx:1.27" },
            ],
        },
        problems: [`apps[1].name: "web" is also apps[0]'s name (expected unique app names)`],
    },
    {
        name: "one namespace claimed by a runner and the agent",
        values: {
            ...onGitLabCom,
            agent: { project: "g/p", kasAddress: kas },
            runners: [{ name: "ci", namespace: "gitlab-agent", scope: { type: "instance" } }],
        },
        problems: [
            "runners[0].namespace: namespace gitlab-agent is also claimed by the agent (agent.namespace) (expected each namespace claimed once)",
        ],
    },
    {
        name: "one host routed twice",
        values: {
            ...onGitLabCom,
            apps: [
                {
                    name: "web",
                    image: "nginx:1.27",
                    exposure: { type: "ingress", host: "app.example.com", className: "nginx" },
                },
                {
                    name: "api",
                    image: "nginx:1.27",
                    exposure: { type: "ingress", host: "app.example.com", className: "nginx" },
                },
            ],
        },
        problems: [
            "apps[1].exposure.host: host app.example.com is also claimed by app web (apps[0].exposure.host) (expected each host claimed once)",
        ],
    },
    {
        name: "a review branch named like another branch's hashed slug",
        values: {
            ...onGitLabCom,
            reviewApps: {
                domain: "review.example.com",
                route: { type: "ingress", className: "nginx" },
                apps: [
                    { branch: longBranch, image: "nginx:1.27" },
                    { branch: longSlug, image: "nginx:1.27" },
                ],
            },
        },
        problems: [
            `reviewApps.apps[1].branch: "${longSlug}" has the slug ${longSlug} of apps[0] ("${longBranch}") (expected branches with distinct review slugs)`,
        ],
    },
    {
        name: "the same review branch twice",
        values: {
            ...onGitLabCom,
            reviewApps: {
                domain: "review.example.com",
                route: { type: "ingress", className: "nginx" },
                apps: [
                    { branch: "main", image: "nginx:1.27" },
                    { branch: "main", image: "nginx:1.28" },
                ],
            },
        },
        problems: [
            'reviewApps.apps[1].branch: "main" has the slug main of apps[0] ("main") (expected branches with distinct review slugs)',
        ],
    },
    {
        name: "one round: an unknown key, a per-key rule and a cross-key rule together",
        values: { ...VALID, clustr: 1, runners: [{ name: "ci", scope: { type: "instance" }, concurrent: 0 }] },
        problems: [
            'clustr: unknown key (did you mean "cluster"?)',
            "runners: set without a GitLab to register with (expected gitlabUrl, or the gitlab key to install one)",
            "runners[0].concurrent: 0 (expected a whole number of at least 1)",
        ],
    },
];

/** The settings the Flux, GitLab and data specs hold, as the stack picks them: one round, exact messages. */
export const SPEC_ROWS: Row[] = [
    {
        name: "two syncs on the default registry Secret in one namespace",
        values: {
            ...onGitLabCom,
            flux: {
                syncs: [
                    { ...sync, name: "a" },
                    { ...sync, name: "b" },
                ],
            },
        },
        problems: [
            "flux.syncs[1].secretName: the default gitlab-registry-auth is also syncs[0]'s registry Secret in flux-system (expected a registry Secret name per sync, e.g. <name>-registry-auth)",
        ],
    },
    {
        name: "two syncs writing one named registry Secret",
        values: {
            ...onGitLabCom,
            flux: {
                syncs: [
                    { ...sync, name: "a", secretName: "shared" },
                    { ...sync, name: "b", secretName: "shared" },
                ],
            },
        },
        problems: [
            "flux.syncs[1].secretName: shared is also syncs[0]'s registry Secret in flux-system (expected one registry Secret per sync)",
        ],
    },
    {
        name: "a Flux version range",
        values: { ...VALID, flux: { version: "2.9.x" } },
        problems: [
            'flux.version: "2.9.x" is not an exact version (expected X.Y.Z, e.g. "2.9.4"; ranges such as "2.9.x" upgrade Flux behind your back)',
        ],
    },
    {
        name: "a misspelled Kustomization setting of a sync",
        values: { ...onGitLabCom, flux: { syncs: [{ ...sync, kustomizaton: { prune: false } }] } },
        problems: ['flux.syncs[0].kustomizaton: unknown key (did you mean "kustomization"?)'],
    },
    {
        name: "a Flux cluster type outside the operator's",
        values: { ...VALID, flux: { clusterType: "eks" } },
        problems: [
            'flux.clusterType: not an allowed value (expected one of: "kubernetes", "aws", "azure", "gcp", "openshift")',
        ],
    },
    {
        name: "an unknown GitLab edition (reported once)",
        values: { ...withGitLab, gitlab: { ...gitlab, edition: "premium" } },
        secretKeys: S,
        problems: ['gitlab.edition: not an allowed value (expected one of: "ee", "ce")'],
    },
    {
        name: "both TLS modes",
        values: {
            ...withGitLab,
            gitlab: { ...gitlab, tls: { certManagerIssuerEmail: "ops@example.org", secretName: "wildcard-tls" } },
        },
        secretKeys: S,
        problems: [
            "gitlab.tls: both certManagerIssuerEmail and secretName set (expected exactly one TLS mode: cert-manager or your own certificate)",
        ],
    },
    {
        name: "a GitLab namespace that is not a DNS label",
        values: { ...withGitLab, gitlab: { ...gitlab, namespace: "GitLab" } },
        secretKeys: S,
        problems: ["gitlab.namespace: not a namespace name (expected a lower-case DNS label of at most 63 characters)"],
    },
    {
        name: "a misspelled bucket type",
        values: {
            ...withGitLab,
            data: { ...data, objectStorage: { ...data.objectStorage, buckets: { artifact: "acme-artifacts" } } },
        },
        secretKeys: S,
        problems: ['data.objectStorage.buckets.artifact: unknown key (did you mean "artifacts"?)'],
    },
    {
        name: "a misspelled Redis setting of existing data",
        values: { ...withGitLab, data: { ...data, redis: { ...data.redis, prot: 6380 } } },
        secretKeys: S,
        problems: ['data.redis.prot: unknown key (did you mean "port"?)'],
    },
    {
        name: "an invalid PostgreSQL database name",
        values: { ...withGitLab, data: { ...data, postgres: { ...data.postgres, database: "gitlab-prod" } } },
        secretKeys: S,
        problems: [
            "data.postgres.database: not a PostgreSQL identifier (expected letters, digits and _, at most 63 characters)",
        ],
    },
    {
        name: "AWS data mistakes named by the stack, with the cross-key rule, in one round (not by the component later)",
        values: {
            ...VALID,
            data: {
                type: "aws",
                postgres: { instanceClass: "db.t4g.micro", allocatedStorageGiB: 200, maxAllocatedStorageGiB: 100 },
                redis: { nodeType: "m7g.large", split: true },
            },
        },
        problems: [
            'data.postgres.instanceClass: "db.t4g.micro" is burstable (expected a db.m, db.r or db.c class for production)',
            "data.postgres.maxAllocatedStorageGiB: 100 is below allocatedStorageGiB 200 (expected a ceiling >= the initial size)",
            'data.redis.nodeType: "m7g.large" is not an ElastiCache node type (expected e.g. cache.m7g.large)',
            "data.type: aws needs cluster.type eks (expected an EKS cluster: the IRSA role trusts its OIDC provider)",
        ],
    },
    {
        name: "a misspelled Redis setting: reported alone, as the key's rules wait for its shape",
        values: { ...VALID, data: { type: "aws", redis: { nodeCount: 7, splt: true } } },
        problems: ['data.redis.splt: unknown key (did you mean "split"?)'],
    },
    {
        name: "an AWS data range",
        values: { ...VALID, data: { type: "aws", objectStorage: { tmpExpirationDays: 0 } } },
        problems: [
            "data.objectStorage.tmpExpirationDays: 0 (expected an integer from 1 to 365)",
            "data.type: aws needs cluster.type eks (expected an EKS cluster: the IRSA role trusts its OIDC provider)",
        ],
    },
];

const web = { name: "web", image: "docker.io/nginxinc/nginx-unprivileged:1.30.4-alpine" };
const onPlatform = {
    cluster: { type: "platform", kubernetesVersion: "1.35" },
    platformStack: "prod",
    namespaces: ["web"],
};
const platformGitLab = {
    cluster: { ...cluster },
    data: {
        type: "existing",
        postgres: { host: "pg.example.internal", username: "gitlab" },
        redis: { host: "redis.example.internal" },
        objectStorage: { provider: "aws", region: "eu-central-1", bucketPrefix: "gl" },
    },
    postgresPassword: "x",
    gitlab: { domain: "example.com", tls: { certManagerIssuerEmail: "ops@example.com" } },
};

/** A platform stack on EKS with a Route 53 zone: the stack declares the DNS-01 ClusterIssuer. */
const eksPlatform = {
    cluster: {
        type: "eks",
        kubernetesVersion: "1.35",
        region: "eu-central-1",
        network: { type: "create", cidr: "10.40.0.0/16", availabilityZones: ["eu-central-1a", "eu-central-1b"] },
    },
    data: { type: "aws" },
    gitlab: { domain: "example.com", tls: { certManagerIssuerEmail: "ops@example.com" } },
    dns: { hostedZone: { type: "create" } },
};

/** Apps that cannot be reached: refused, naming the key (issue 18, item 6). */
export const EXPOSURE_ROWS: Row[] = [
    {
        name: "an Ingress without a class (served by no controller)",
        values: { ...onGitLabCom, apps: [{ ...web, exposure: { type: "ingress", host: "web.example.com" } }] },
        problems: ["apps[0].exposure.className: missing required key (expected string)"],
    },
    {
        name: "review apps without a route",
        values: {
            ...onGitLabCom,
            reviewApps: { domain: "review.example.com", apps: [{ branch: "main", image: web.image }] },
        },
        problems: ["reviewApps.route: missing required key (expected object)"],
    },
    {
        name: "an HTTPRoute with no gateway and no platform stack to take one from",
        values: { ...onGitLabCom, apps: [{ ...web, exposure: { type: "httpRoute", host: "web.example.com" } }] },
        problems: [
            "apps[0].exposure.gateway: missing, and there is no platformStack whose app Gateway to use (expected {name, namespace} of a Gateway, or an ingress exposure with className)",
        ],
    },
    {
        name: "a review route with no gateway and no platform stack",
        values: {
            ...onGitLabCom,
            reviewApps: {
                domain: "review.example.com",
                route: { type: "httpRoute" },
                apps: [{ branch: "main", image: web.image }],
            },
        },
        problems: [
            "reviewApps.route.gateway: missing, and there is no platformStack whose app Gateway to use (expected {name, namespace} of a Gateway with a *.<domain> listener, or {type: ingress, className})",
        ],
    },
    {
        name: "an app on the platform's app Gateway in a namespace the Gateway does not admit",
        values: { ...onPlatform, apps: [{ ...web, exposure: { type: "httpRoute", host: "web.apps.example.com" } }] },
        raw: { gitlabBaseUrl: "https://gitlab.example.com/api/v4" },
        problems: [
            'apps[0].namespace: default is not admitted by the app Gateway (expected a namespace listed in namespaces: this stack labels those gitlab-platform/app-routes: "true")',
        ],
    },
    {
        name: "a LoadBalancer app on EKS without NLB annotations (a Classic ELB)",
        values: { ...onPlatform, apps: [{ ...web, namespace: "web", exposure: { type: "loadBalancer" } }] },
        raw: { gitlabBaseUrl: "https://gitlab.example.com/api/v4" },
        problems: [
            "apps[0].exposure.annotations: no service.beta.kubernetes.io/aws-load-balancer-type, so EKS would give the Service a Classic ELB (expected nlb, or external with the AWS Load Balancer Controller, e.g. the annotations of defaults.AWS_NLB_SERVICE_ANNOTATIONS)",
        ],
    },
    {
        name: "an app Gateway with acme certificates but no dns key",
        values: { ...platformGitLab, appGateway: { domains: ["apps.example.com"], tls: { type: "acme" } } },
        secretKeys: ["postgresPassword"],
        problems: [
            "appGateway.tls.type: acme needs the dns key on an EKS cluster: the stack's DNS-01 ClusterIssuer answers in its Route 53 zone (expected dns: {hostedZone: ...}, or tls type selfSigned, issuer or secret)",
        ],
    },
    {
        name: "an app Gateway with acme certificates for a domain the DNS-01 role cannot answer for",
        values: {
            ...eksPlatform,
            appGateway: {
                domains: ["apps.example.com", "apps.example.org", "example.com", "notexample.com"],
                tls: { type: "acme" },
            },
        },
        problems: [
            'appGateway.domains[1]: "apps.example.org" is outside example.com, the only domain whose _acme-challenge records the DNS-01 ClusterIssuer\'s role may write (expected example.com or a name ending in .example.com)',
            'appGateway.domains[3]: "notexample.com" is outside example.com, the only domain whose _acme-challenge records the DNS-01 ClusterIssuer\'s role may write (expected example.com or a name ending in .example.com)',
        ],
    },
    {
        name: "an app Gateway with the removed route53 form (acme took its place)",
        values: {
            ...eksPlatform,
            appGateway: { domains: ["apps.example.com"], tls: { type: "route53", email: "ops@example.com" } },
        },
        problems: [
            'appGateway.tls.type: not an allowed value (expected one of: "acme", "selfSigned", "issuer", "secret")',
        ],
    },
    {
        name: "an app Gateway without GitLab's Envoy Gateway, and a wildcard domain",
        values: { ...VALID, appGateway: { domains: ["*.apps.example.com"], tls: { type: "selfSigned" } } },
        problems: [
            'appGateway.domains[0]: "*.apps.example.com" is not a DNS name (expected the domain the apps live under, e.g. apps.example.com, without "*.")',
            "appGateway: set without gitlab routing gateway (expected the gitlab key with routing gateway: the app Gateway uses the Envoy Gateway the GitLab chart installs)",
        ],
    },
];

/** Every row, across the areas of the configuration. */
/**
 * The Kubernetes quantity grammar (see `parseQuantity`), one rule for app and runner resources: every
 * decimal SI suffix (n, u, m, none, k, M, G, T, P, E), every binary one (Ki..Ei), decimal exponents,
 * signs and bare fractions accepted; units Kubernetes does not know, wrong case, a bare suffix, a
 * fractional exponent and negative amounts refused.
 */
const ACCEPTED_QUANTITIES = [
    "100n",
    "250u",
    "500m",
    "2",
    "1k",
    "512M",
    "4G",
    "1T",
    "1P",
    "1E",
    "128Ki",
    "512Mi",
    "4Gi",
    "1Ti",
    "1Pi",
    "1Ei",
    "1e3",
    "1.5E2",
    "2e-1",
    "+1",
    ".5",
    "1.",
    "0.5Gi",
];
const REFUSED_QUANTITIES = ["512MB", "1 core", "1KI", "1mi", "Mi", "1e", "1e1.5", "1.5.2", "-1", "0x10", "1,5"];
const quantityLine = (path: string, v: string) =>
    `${path}: "${v}" is not a Kubernetes quantity (expected e.g. 500m, 2, 512Mi, 4Gi, 1e3)`;
const appWith = (resources: Record<string, unknown>) => ({
    ...onGitLabCom,
    apps: [{ name: "web", image: "nginx:1.27", resources }],
});
const runnerWith = (v: string) => ({
    ...onGitLabCom,
    runners: [{ name: "ci", scope: { type: "instance" }, resources: { build: { memoryRequest: v, memoryLimit: v } } }],
});

export const QUANTITY_ROWS: Row[] = [
    ...ACCEPTED_QUANTITIES.flatMap((v): Row[] => [
        { name: `app memory ${v} accepted`, values: appWith({ limits: { memory: v } }), problems: [] },
        { name: `app CPU ${v} accepted`, values: appWith({ requests: { cpu: v } }), problems: [] },
        { name: `runner memory ${v} accepted`, values: runnerWith(v), problems: [] },
    ]),
    ...REFUSED_QUANTITIES.flatMap((v): Row[] => [
        {
            name: `app memory ${v} refused`,
            values: appWith({ limits: { memory: v } }),
            problems: [quantityLine("apps[0].resources.limits.memory", v)],
        },
        {
            name: `app CPU ${v} refused`,
            values: appWith({ requests: { cpu: v } }),
            problems: [quantityLine("apps[0].resources.requests.cpu", v)],
        },
        {
            name: `runner memory ${v} refused`,
            values: runnerWith(v),
            problems: [
                quantityLine("runners[0].resources.build.memoryLimit", v),
                quantityLine("runners[0].resources.build.memoryRequest", v),
            ],
        },
    ]),
];

export const ROWS: Row[] = [
    ...CLUSTER_ROWS,
    ...GITLAB_ROWS,
    ...DEPLOY_ROWS,
    ...HELD_OUT_ROWS,
    ...SPEC_ROWS,
    ...EXPOSURE_ROWS,
    ...QUANTITY_ROWS,
];

export function runTable(rows: readonly Row[]): void {
    for (const row of rows) {
        it(row.name, () => {
            // A row expecting no problems is a value the rules must accept.
            if (row.problems.length === 0) return void parse(row.values, row.secretKeys, row.raw);
            const problems = problemsOf(row.values, row.secretKeys, row.raw);
            assert.equal(problems.length, row.problems.length, `problems: ${JSON.stringify(problems)}`);
            row.problems.forEach((expected, i) => {
                if (expected instanceof RegExp) assert.match(problems[i], expected);
                else assert.equal(problems[i], expected);
            });
        });
    }
}

describe("stack configuration: bad input, exact messages", () => {
    runTable(ROWS);

    it("accepts the minimal valid configuration and resolves it", () => {
        const cfg = parse(VALID);
        assert.deepEqual(cfg.cluster, { type: "existing", context: "gitlab-dev", kubernetesVersion: "1.34" });
    });

    it("normalises a patch version to its minor", () => {
        assert.equal(parse({ cluster: { ...cluster, kubernetesVersion: "1.35.2" } }).cluster.kubernetesVersion, "1.35");
    });
});
