/**
 * Helm releases: GitLab's chart with every stateful service outside the cluster, exact chart versions,
 * and no credential inline in values (credentials reach charts as Secret references only).
 * Sources: docs.gitlab.com/charts (advanced/external-db, external-redis, external-object-storage,
 * releases/10_0: 10.x removed the bundled PostgreSQL, Redis and MinIO; 9.x installs them unless told not to).
 */
import { findCredentials } from "./lib/credentials";
import { resourcePolicy } from "./lib/define";
import { chartName, HELM_CHART_V4, HELM_RELEASE, helmValues } from "./lib/types";
import { at, isSet, renderPath, stringAt, UNKNOWN } from "./lib/values";

/** A bundled service of the GitLab chart and its external replacement. */
const BUNDLED = [
    {
        path: ["postgresql", "install"],
        service: "the bundled PostgreSQL",
        instead: "an external PostgreSQL through global.psql.*",
    },
    { path: ["redis", "install"], service: "the bundled Redis", instead: "an external Redis through global.redis.*" },
    {
        path: ["global", "minio", "enabled"],
        service: "the bundled MinIO",
        instead: "external object storage through global.appConfig.object_store.*",
    },
] as const;

/** Values the chart needs for external services, each with what belongs there. */
const REQUIRED = [
    { path: ["global", "psql", "host"], what: "the external PostgreSQL host" },
    { path: ["global", "psql", "password", "secret"], what: "the name of the Secret holding the PostgreSQL password" },
    { path: ["global", "redis", "host"], what: "the external Redis host" },
    {
        path: ["global", "appConfig", "object_store", "connection", "secret"],
        what: "the name of the Secret holding the object storage connection",
    },
    {
        path: ["registry", "storage", "secret"],
        what: "the name of the Secret holding the registry storage driver config",
    },
] as const;

export const gitlabExternalDataServices = resourcePolicy(
    {
        name: "gitlab-external-data-services",
        description: "The GitLab chart runs with PostgreSQL, Redis and object storage outside the cluster.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Set postgresql.install: false, redis.install: false and global.minio.enabled: false, and point global.psql.*, global.redis.* " +
            "and global.appConfig.object_store.connection / registry.storage at external services through Secret references " +
            "(the GitLab component does this from its `data` argument).",
    },
    [HELM_RELEASE],
    (r) => {
        if (chartName(r.props) !== "gitlab") return [];
        const values = helmValues(r.props);
        const version = stringAt(r.props, ["version"]);
        const major = Number(/^v?(\d+)\./.exec(version ?? "")?.[1] ?? Number.NaN);
        const problems: string[] = [];
        for (const b of BUNDLED) {
            const v = at(values, b.path);
            const field = `values.${renderPath(b.path)}`;
            if (v === true || v === "true")
                problems.push(`${field}: true installs ${b.service} (expected false: ${b.instead})`);
            else if (v === undefined && major < 10)
                problems.push(
                    `${field}: not set, so chart ${version} installs ${b.service} (expected false: ${b.instead})`,
                );
        }
        const redisYml = isSet(at(values, ["global", "redis", "redisYmlOverride"]));
        for (const q of REQUIRED) {
            if (q.path[1] === "redis" && redisYml) continue;
            if (!isSet(at(values, q.path))) problems.push(`values.${renderPath(q.path)}: not set (expected ${q.what})`);
        }
        return problems;
    },
);

/** `1.2.3`, `v1.2.3`, `1.2.3-rc.1`: one exact version; ranges, wildcards and partial versions are not. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export const helmChartVersionPinned = resourcePolicy(
    {
        name: "helm-chart-version-pinned",
        description: "Every Helm chart is pinned to one exact version.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Set `version` to an exact chart version (x.y.z) kept as a named constant in components/defaults.ts; bump it deliberately, " +
            "never through a range or by leaving it empty (Helm then installs whatever is newest).",
    },
    [HELM_RELEASE, HELM_CHART_V4],
    (r) => {
        const chart = stringAt(r.props, ["chart"]);
        // A chart directory in the repository is versioned with the repository itself.
        if (chart !== undefined && /^\.{0,2}\//.test(chart)) return [];
        const version = at(r.props, ["version"]);
        if (version === UNKNOWN) return [];
        if (!isSet(version))
            return [
                `version: not set, so Helm installs the newest ${chart ?? "chart"} (expected an exact version such as 1.2.3)`,
            ];
        if (typeof version !== "string" || !EXACT_VERSION.test(version)) {
            return [
                `version: ${JSON.stringify(version)} is not one exact version (expected x.y.z without a range or wildcard)`,
            ];
        }
        return [];
    },
);

export const helmValuesNoInlineCredentials = resourcePolicy(
    {
        name: "helm-values-no-inline-credentials",
        description: "Helm values hold no password, token or key: credentials reach charts as Secret references.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Put the credential in a Kubernetes Secret (stringData from pulumi.secret(...)) and give the chart only the Secret's name and key " +
            "(e.g. global.psql.password: {secret: <name>, key: <key>}, runners.secret, config.secretName). Rotate any credential that was committed.",
    },
    [HELM_RELEASE, HELM_CHART_V4],
    (r) =>
        findCredentials(helmValues(r.props), { secretMarker: true }, []).map((f) => {
            const field = `values.${renderPath(f.path)}`;
            if (f.kind === "token")
                return `${field}: contains ${f.token} (expected it in a Secret the chart references by name)`;
            if (f.kind === "secret")
                return `${field}: a secret value inline (expected a Secret reference: the Secret's name and key)`;
            return `${field}: a credential inline (expected a Secret reference: the Secret's name and key)`;
        }),
);

/** The Helm policies. */
export const HELM_POLICIES = [gitlabExternalDataServices, helmChartVersionPinned, helmValuesNoInlineCredentials];
