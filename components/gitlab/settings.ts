/**
 * The pure steps before {@link GitLab} declares anything: `validateGitLab` (every problem, one line
 * each) and `resolveGitLab` (defaults applied once, Secret names fixed).
 */
import type * as pulumi from "@pulumi/pulumi";
import {
    GITLAB_CHART_VERSION,
    GITLAB_DEFAULT_NAMESPACE,
    GITLAB_DEFAULT_RELEASE_NAME,
    GITLAB_RAILS_SECRETS_KEY,
    GITLAB_SIZES,
    type GitLabSize,
} from "../defaults";
import { GITLAB_BUCKET_TYPES, type GitLabDataServices } from "../data/connection";
import { domainProblem, hostnameProblem, isIPv4, portProblem } from "../data/naming";
import { resolveGitLabBackups, validateGitLabBackups, type ResolvedGitLabBackups } from "./backups";
import type { GitLabArgs } from "./gitlab";
import { isDnsLabel, isDnsSubdomain, isPlainObject } from "../internal/validation";
import type { Problem } from "../errors";
import { upgradePathProblems } from "./upgrade-path";

/** GitLab editions the chart installs (`global.edition`). */
export const GITLAB_EDITIONS = ["ee", "ce"] as const;
/** One of {@link GITLAB_EDITIONS}. */
export type GitLabEdition = (typeof GITLAB_EDITIONS)[number];

/** How traffic reaches GitLab: the chart's 10.x default (Gateway API + bundled Envoy Gateway) or NGINX Ingress. */
export const GITLAB_ROUTINGS = ["gateway", "nginx"] as const;
/** One of {@link GITLAB_ROUTINGS}. */
export type GitLabRouting = (typeof GITLAB_ROUTINGS)[number];

/** The plain settings of {@link GitLabArgs}: everything but the data services and the root password. */
export type GitLabSettings = Omit<GitLabArgs, "data" | "rootPassword" | "railsSecrets" | "deployedGitLabVersion">;

/** A key inside a Kubernetes Secret, as the chart references it. */
export interface SecretRef {
    readonly name: string;
    readonly key: string;
}

/** The Secrets GitLab declares; optional ones exist only when their credential does. */
export interface GitLabSecretRefs {
    readonly postgresPassword: SecretRef;
    readonly redisPassword?: SecretRef;
    /** The cache-only Redis's password, when a separate cache instance has one. */
    readonly redisCachePassword?: SecretRef;
    readonly objectStorage: SecretRef;
    readonly registryStorage: SecretRef;
    /** The s3cmd file for backups; absent for Google (Workload Identity needs none). */
    readonly backupStorage?: SecretRef;
    readonly rootPassword: SecretRef;
    /** GitLab's rails secrets (`secrets.yml`), owned by the stack. */
    readonly railsSecrets: SecretRef;
}

/** {@link GitLabArgs} with every default applied. */
export interface ResolvedGitLab {
    readonly domain: string;
    readonly externalIP?: string;
    readonly edition: GitLabEdition;
    readonly size: GitLabSize;
    readonly routing: GitLabRouting;
    readonly installGatewayApiCrds: boolean;
    readonly tls:
        | { readonly mode: "certManager"; readonly issuerEmail: string }
        | { readonly mode: "secret"; readonly secretName: string };
    readonly namespace: string;
    readonly releaseName: string;
    readonly data: GitLabDataServices;
    readonly secrets: GitLabSecretRefs;
    readonly protect: boolean;
    readonly backups: ResolvedGitLabBackups;
    readonly chartVersion: string;
    readonly values: Record<string, unknown>;
    readonly loadBalancerAnnotations: Record<string, string>;
    readonly certManagerDns01?: { readonly clusterIssuer: string; readonly roleArn: pulumi.Input<string> };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Formats like the config reader's enum message, so the same problem found twice reads the same. */
function oneOf(values: readonly string[]): string {
    return `not an allowed value (expected one of: ${values.map((v) => JSON.stringify(v)).join(", ")})`;
}

/** Checks the plain settings (shared with the config reader). */
export function validateGitLabSettings(s: GitLabSettings): Problem[] {
    const problems: Problem[] = [];
    if (!s.domain)
        problems.push({
            path: "domain",
            message: "missing (expected the DNS domain GitLab serves, e.g. example.com for gitlab.example.com)",
        });
    else {
        const p = domainProblem(s.domain);
        if (p) problems.push({ path: "domain", message: `${p}` });
    }
    const tls = s.tls ?? {};
    const email = tls.certManagerIssuerEmail;
    const secretName = tls.secretName;
    if (email !== undefined && secretName !== undefined) {
        problems.push({
            path: "tls",
            message:
                "both certManagerIssuerEmail and secretName set (expected exactly one TLS mode: cert-manager or your own certificate)",
        });
    } else if (email === undefined && secretName === undefined) {
        problems.push({
            path: "tls.certManagerIssuerEmail",
            message:
                "missing (expected an e-mail address for Let's Encrypt through cert-manager, or tls.secretName for your own certificate)",
        });
    }
    if (email !== undefined && !EMAIL.test(email))
        problems.push({
            path: "tls.certManagerIssuerEmail",
            message: "not an e-mail address (expected e.g. admin@example.com)",
        });
    if (secretName !== undefined && !isDnsSubdomain(secretName)) {
        problems.push({
            path: "tls.secretName",
            message: "not a Secret name (expected a lower-case DNS subdomain such as gitlab-wildcard-tls)",
        });
    }
    if (s.certManagerDns01 !== undefined && (secretName !== undefined || s.routing === "nginx"))
        problems.push({
            path: "certManagerDns01",
            message: `set with ${secretName !== undefined ? "tls.secretName" : "routing nginx"} (expected gateway routing with tls.certManagerIssuerEmail: the DNS-01 ClusterIssuer is named by the chart's Gateway)`,
        });
    if (s.edition !== undefined && !(GITLAB_EDITIONS as readonly string[]).includes(s.edition))
        problems.push({ path: "edition", message: `${oneOf(GITLAB_EDITIONS)}` });
    if (s.size !== undefined && !(GITLAB_SIZES as readonly string[]).includes(s.size))
        problems.push({ path: "size", message: `${oneOf(GITLAB_SIZES)}` });
    if (s.routing !== undefined && !(GITLAB_ROUTINGS as readonly string[]).includes(s.routing))
        problems.push({ path: "routing", message: `${oneOf(GITLAB_ROUTINGS)}` });
    if (s.externalIP !== undefined && !isIPv4(s.externalIP))
        problems.push({
            path: "externalIP",
            message: "not an IPv4 address (expected the load balancer's static address, e.g. 203.0.113.10)",
        });
    if (s.namespace !== undefined && !isDnsLabel(s.namespace)) {
        problems.push({
            path: "namespace",
            message: "not a namespace name (expected a lower-case DNS label of at most 63 characters)",
        });
    }
    // Helm limits release names to 53 characters (DNS label minus room for suffixes).
    if (s.releaseName !== undefined && !isDnsLabel(s.releaseName, 53)) {
        problems.push({
            path: "releaseName",
            message: "not a Helm release name (expected a lower-case DNS label of at most 53 characters)",
        });
    }
    if (s.values !== undefined && !isPlainObject(s.values))
        problems.push({ path: "values", message: "not a map (expected chart values as an object)" });
    problems.push(...validateGitLabBackups(s.backups));
    if (s.chartVersion !== undefined) problems.push(...upgradePathProblems(undefined, s.chartVersion, "chartVersion"));
    return problems;
}

/** A string Input that is known here and empty (validation looks only at what is known). */
function knownEmpty(v: pulumi.Input<string> | undefined): boolean {
    return v === undefined || v === "";
}

/** Checks everything, including what GitLab needs from its data services. */
export function validateGitLab(args: GitLabArgs): Problem[] {
    const problems = validateGitLabSettings(args);
    const d = args.data;
    if (d === undefined)
        return [
            ...problems,
            {
                path: "data",
                message: "missing (expected GitLab's external services: postgres, redis and objectStorage)",
            },
        ];
    const host = (field: string, v: pulumi.Input<string> | undefined, what: string) => {
        if (knownEmpty(v)) problems.push({ path: `${field}`, message: `missing (expected the ${what} host name)` });
        else if (typeof v === "string" && hostnameProblem(v))
            problems.push({ path: `${field}`, message: `${hostnameProblem(v)}` });
    };
    const port = (field: string, v: pulumi.Input<number> | undefined) => {
        if (typeof v === "number" && portProblem(v)) problems.push({ path: `${field}`, message: `${portProblem(v)}` });
    };
    host("data.postgres.host", d.postgres?.host, "PostgreSQL server's");
    port("data.postgres.port", d.postgres?.port);
    if (knownEmpty(d.postgres?.username))
        problems.push({ path: "data.postgres.username", message: "missing (expected the database user)" });
    if (knownEmpty(d.postgres?.database))
        problems.push({
            path: "data.postgres.database",
            message: "missing (expected the database name, e.g. gitlabhq_production)",
        });
    if (d.postgres?.password === undefined)
        problems.push({
            path: "data.postgres.password",
            message: "missing (expected the PostgreSQL password as a secret Output)",
        });
    host("data.redis.host", d.redis?.host, "Redis server's");
    port("data.redis.port", d.redis?.port);
    if (d.redisCache !== undefined) {
        host("data.redisCache.host", d.redisCache.host, "cache Redis server's");
        port("data.redisCache.port", d.redisCache.port);
    }
    const os = d.objectStorage;
    if (os === undefined)
        return [
            ...problems,
            { path: "data.objectStorage", message: "missing (expected object storage with one bucket per type)" },
        ];
    if (!os.region)
        problems.push({
            path: "data.objectStorage.region",
            message: "missing (expected the buckets' region or location)",
        });
    if (os.provider === "google" && !os.googleProject)
        problems.push({
            path: "data.objectStorage.googleProject",
            message: "missing (expected the Google project id)",
        });
    if (os.provider === "google" && os.auth?.type === "accessKey") {
        problems.push({
            path: "data.objectStorage.auth",
            message: "static keys with provider google (expected iamRole: Workload Identity)",
        });
    }
    if (os.endpoint !== undefined && os.auth?.type === "iamRole") {
        problems.push({
            path: "data.objectStorage.endpoint",
            message: "set with an IAM role (expected no endpoint: IRSA needs AWS's own STS endpoints)",
        });
    }
    for (const type of GITLAB_BUCKET_TYPES) {
        if (knownEmpty(os.buckets?.[type]))
            problems.push({ path: `data.objectStorage.buckets.${type}`, message: "missing (expected a bucket name)" });
    }
    return problems;
}

/** Applies defaults and names the Secrets after the release (`<release>-postgres-password`, ...). */
export function resolveGitLab(args: GitLabArgs): ResolvedGitLab {
    const releaseName = args.releaseName ?? GITLAB_DEFAULT_RELEASE_NAME;
    const ref = (suffix: string, key: string): SecretRef => ({ name: `${releaseName}-${suffix}`, key });
    const os = args.data.objectStorage;
    return {
        domain: args.domain,
        ...(args.externalIP !== undefined ? { externalIP: args.externalIP } : {}),
        edition: args.edition ?? "ee",
        size: args.size ?? "dev",
        routing: args.routing ?? "gateway",
        installGatewayApiCrds: args.installGatewayApiCrds ?? true,
        tls:
            args.tls.secretName !== undefined
                ? { mode: "secret", secretName: args.tls.secretName }
                : { mode: "certManager", issuerEmail: args.tls.certManagerIssuerEmail! },
        namespace: args.namespace ?? GITLAB_DEFAULT_NAMESPACE,
        releaseName,
        data: args.data,
        secrets: {
            postgresPassword: ref("postgres-password", "password"),
            ...(args.data.redis.password !== undefined ? { redisPassword: ref("redis-password", "password") } : {}),
            ...(args.data.redisCache?.password !== undefined
                ? { redisCachePassword: ref("redis-cache-password", "password") }
                : {}),
            objectStorage: ref("object-storage", "connection"),
            registryStorage: ref("registry-storage", "config"),
            ...(os.provider === "aws" ? { backupStorage: ref("backup-storage", "config") } : {}),
            rootPassword: ref("initial-root-password", "password"),
            // The chart's own default name: see RailsSecrets for why.
            railsSecrets: ref("rails-secret", GITLAB_RAILS_SECRETS_KEY),
        },
        protect: args.protect ?? true,
        backups: resolveGitLabBackups(args.backups),
        chartVersion: args.chartVersion ?? GITLAB_CHART_VERSION,
        values: args.values ?? {},
        loadBalancerAnnotations: args.loadBalancerAnnotations ?? {},
        ...(args.certManagerDns01 ? { certManagerDns01: args.certManagerDns01 } : {}),
    };
}
