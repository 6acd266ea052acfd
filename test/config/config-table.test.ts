/**
 * Bad configurations, each with the exact problems it must report. The messages are the user
 * interface of a broken stack file, so they are asserted word for word.
 */
import { strict as assert } from "node:assert";
import { parse, problemsOf, VALID } from "./support";

const cluster = VALID.cluster;

interface Row {
    name: string;
    values: Record<string, unknown>;
    secretKeys?: string[];
    /** Exact lines, or a pattern where a line lists every known key (which grows with the project). */
    problems: (string | RegExp)[];
}

export const CLUSTER_ROWS: Row[] = [
    { name: "missing required key", values: {}, problems: ["cluster: missing required key (expected object)"] },
    { name: "wrong type for an object", values: { cluster: "existing" }, problems: ["cluster: wrong type string (expected object)"] },
    {
        name: "missing discriminator",
        values: { cluster: { kubernetesVersion: "1.34" } },
        problems: [/^cluster\.type: missing required key \(expected one of: "existing"(, "eks")?(, "platform")?\)$/],
    },
    {
        name: "unknown cluster type",
        values: { cluster: { ...cluster, type: "gke" } },
        problems: [/^cluster\.type: not an allowed value \(expected one of: "existing"(, "eks")?(, "platform")?\)$/],
    },
    {
        name: "typo in a nested key",
        values: { cluster: { ...cluster, contxt: "x" } },
        problems: ['cluster.contxt: unknown key (did you mean "context"?)'],
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
        problems: ["cluster.kubeconfig: set together with the kubeconfig secret (expected exactly one of a path or inline content)"],
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
        problems: ["gitlab.domain: not a DNS domain (expected a lower-case domain such as example.com, without scheme or trailing dot)"],
    },
    {
        name: "malformed e-mail",
        values: { ...withGitLab, gitlab: { ...gitlab, tls: { certManagerIssuerEmail: "ops-at-example.org" } } },
        secretKeys: S,
        problems: ["gitlab.tls.certManagerIssuerEmail: not an e-mail address (expected e.g. admin@example.com)"],
    },
    {
        name: "malformed URL",
        values: { ...withGitLab, data: { ...data, objectStorage: { ...data.objectStorage, endpoint: "minio.internal:9000/bucket" } } },
        secretKeys: S,
        problems: ["data.objectStorage.endpoint: not a base URL (expected https://host[:port])"],
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
        values: { ...withGitLab, data: { ...data, objectStorage: { ...data.objectStorage, bucketPrefix: "Acme_GitLab" } } },
        secretKeys: S,
        problems: ["data.objectStorage.bucketPrefix: bucket Acme_GitLab-lfs has a character S3 does not allow (expected 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit)"],
    },
    {
        name: "size outside the presets",
        values: { ...withGitLab, gitlab: { ...gitlab, size: "xl" } },
        secretKeys: S,
        problems: ['gitlab.size: not an allowed value (expected one of: "dev", "s", "m", "l")'],
    },
    {
        name: "cert-manager without an issuer e-mail",
        values: { ...withGitLab, gitlab: { ...gitlab, tls: {} } },
        secretKeys: S,
        problems: ["gitlab.tls.certManagerIssuerEmail: missing (expected an e-mail address for Let's Encrypt through cert-manager, or tls.secretName for your own certificate)"],
    },
    {
        name: "GitLab without its data services",
        values: { ...VALID, gitlab },
        problems: ["gitlab: set without data (expected the data key describing GitLab's PostgreSQL, Redis and object storage)"],
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
        problems: [`agent.name: "${"a".repeat(64)}" is not a valid agent name (expected a DNS label: lowercase letters, digits and '-', not at either end, at most 63 characters)`],
    },
    {
        name: "agent without a KAS address or an installed GitLab",
        values: { ...VALID, agent: { project: "g/p" } },
        problems: ["agent.kasAddress: missing (expected the KAS address, e.g. wss://kas.gitlab.com, or the gitlab key to install GitLab)"],
    },
    {
        name: "agent project of the wrong type",
        values: { ...onGitLabCom, agent: { project: true, kasAddress: "wss://kas.gitlab.com" } },
        problems: ["agent.project: wrong type boolean (expected string or number)"],
    },
    {
        name: "runners with nothing to register with",
        values: { ...VALID, runners: [{ name: "general", scope: { type: "instance" } }] },
        problems: ["runners: set without a GitLab to register with (expected gitlabUrl, or the gitlab key to install one)"],
    },
    {
        name: "malformed GitLab URL",
        values: { ...VALID, gitlabUrl: "gitlab.com" },
        problems: ["gitlabUrl: not a GitLab base URL (expected https://<host>/, e.g. https://gitlab.com/)"],
    },
    {
        name: "Flux source with two refs",
        values: { ...onGitLabCom, flux: { syncs: [{ name: "web", project: "g/p", url: "oci://registry.example.com/g/p/web", ref: { tag: "v1", digest: `sha256:${"a".repeat(64)}` } }] } },
        problems: ["flux.syncs[0].ref: sets tag and digest of tag, semver, digest (expected exactly one)"],
    },
    {
        name: "app image without tag or digest",
        values: { ...onGitLabCom, apps: [{ name: "web", image: "nginx" }] },
        problems: ['apps[0].image: "nginx" has neither a tag nor a digest (expected repository:tag or repository@sha256:<digest>, e.g. "nginx:1.2.3")'],
    },
];

/** Every row, across the areas of the configuration. */
export const ROWS: Row[] = [...CLUSTER_ROWS, ...GITLAB_ROWS, ...DEPLOY_ROWS];

export function runTable(rows: readonly Row[]): void {
    for (const row of rows) {
        it(row.name, () => {
            const problems = problemsOf(row.values, row.secretKeys);
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
