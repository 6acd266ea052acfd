/**
 * The GitLab component's spec: every setting of {@link GitLabArgs} once, with its shape and default
 * ({@link gitlabSettingsSpec}, {@link gitlabArgsSpec}), and its rules ({@link gitlabSettingsRules},
 * {@link gitlabDataProblems}), returning {@link Problem}s; {@link checkGitLab} runs them all and
 * {@link resolveGitLab} derives what follows from the release name (Secret names, the TLS mode). The
 * documentation is the JSDoc of `GitLabArgs`; `satisfies` makes the compiler prove the schemas accept
 * nothing the interface does not. The stack spec (config/gitlab.ts) picks the settings for `gitlab`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
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
import { awsRegionProblem } from "../network/aws-network";
import type { AlertmanagerSnsArgs } from "./alertmanager-values";
import { gitlabBackupsSpec, validateGitLabBackups, type ResolvedGitLabBackups } from "./backups";
import type { GitLabArgs } from "./gitlab";
import { input, parseArgs } from "../internal/spec-kit";
import { isDnsLabel, isDnsSubdomain, isEmail } from "../internal/validation";
import { assertValid, type Problem } from "../errors";
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
export type GitLabSettings = Omit<
    GitLabArgs,
    "data" | "rootPassword" | "railsSecrets" | "deployedGitLabVersion" | "certManagerDns01" | "alertmanager"
>;

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
    readonly alertmanager?: AlertmanagerSnsArgs;
}

/** The plain settings: everything a stack file can hold, each default applied here. */
export const gitlabSettingsSpec = z.strictObject({
    domain: z.string(),
    tls: z.strictObject({
        certManagerIssuerEmail: z.string().optional(),
        secretName: z.string().optional(),
    }),
    edition: z.enum(GITLAB_EDITIONS).default("ee"),
    size: z.enum(GITLAB_SIZES).default("dev"),
    routing: z.enum(GITLAB_ROUTINGS).default("gateway"),
    installGatewayApiCrds: z.boolean().default(true),
    loadBalancerAnnotations: z.record(z.string(), z.string()).default({}),
    externalIP: z.string().optional(),
    namespace: z.string().default(GITLAB_DEFAULT_NAMESPACE),
    releaseName: z.string().default(GITLAB_DEFAULT_RELEASE_NAME),
    chartVersion: z.string().default(GITLAB_CHART_VERSION),
    backups: gitlabBackupsSpec,
    protect: z.boolean().default(true),
    values: z.record(z.string(), z.unknown()).default({}),
}) satisfies z.ZodType<unknown, GitLabSettings>;

/** {@link GitLabSettings} with every default applied. */
export type ResolvedGitLabSettings = z.output<typeof gitlabSettingsSpec>;

/** The component's whole args: the settings, the data services, and the secrets and history it is given. */
export const gitlabArgsSpec = gitlabSettingsSpec.extend({
    data: z.custom<GitLabDataServices>((v) => typeof v === "object" && v !== null, {
        error: (issue) =>
            issue.input === undefined
                ? "missing (expected GitLab's external services: postgres, redis and objectStorage)"
                : "not data services (expected an object with postgres, redis and objectStorage)",
    }),
    rootPassword: input(z.string()).optional(),
    railsSecrets: input(z.string()).optional(),
    deployedGitLabVersion: z.string().optional(),
    certManagerDns01: z.strictObject({ clusterIssuer: z.string(), roleArn: input(z.string()) }).optional(),
    alertmanager: z
        .strictObject({ topicArn: input(z.string()), region: z.string(), roleArn: input(z.string()) })
        .optional(),
}) satisfies z.ZodType<unknown, GitLabArgs>;

/**
 * The rules of the plain settings (the stack's `gitlab` key runs them too); paths relative to the args.
 * With the GitLab version deployed last, `chartVersion` is also checked against the upgrade path. Pure.
 */
export function gitlabSettingsRules(
    s: Omit<ResolvedGitLabSettings, "loadBalancerAnnotations">,
    deployedGitLabVersion?: string,
): Problem[] {
    const problems: Problem[] = [];
    if (!s.domain)
        problems.push({
            path: "domain",
            message: "missing (expected the DNS domain GitLab serves, e.g. example.com for gitlab.example.com)",
        });
    else {
        const p = domainProblem(s.domain);
        if (p) problems.push({ path: "domain", message: p });
    }
    const email = s.tls.certManagerIssuerEmail;
    const secretName = s.tls.secretName;
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
    if (email !== undefined && !isEmail(email))
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
    if (s.externalIP !== undefined && !isIPv4(s.externalIP))
        problems.push({
            path: "externalIP",
            message: "not an IPv4 address (expected the load balancer's static address, e.g. 203.0.113.10)",
        });
    if (!isDnsLabel(s.namespace)) {
        problems.push({
            path: "namespace",
            message: "not a namespace name (expected a lower-case DNS label of at most 63 characters)",
        });
    }
    // Helm limits release names to 53 characters (DNS label minus room for suffixes).
    if (!isDnsLabel(s.releaseName, 53)) {
        problems.push({
            path: "releaseName",
            message: "not a Helm release name (expected a lower-case DNS label of at most 53 characters)",
        });
    }
    problems.push(...validateGitLabBackups(s.backups));
    problems.push(...upgradePathProblems(deployedGitLabVersion, s.chartVersion, "chartVersion"));
    return problems;
}

/** A string Input that is known here and empty (validation looks only at what is known). */
function knownEmpty(v: pulumi.Input<string> | undefined): boolean {
    return v === undefined || v === "";
}

/** What GitLab needs from its data services, as far as it is known before deployment; paths below `data`. Pure. */
export function gitlabDataProblems(d: GitLabDataServices): Problem[] {
    const problems: Problem[] = [];
    const host = (field: string, v: pulumi.Input<string> | undefined, what: string) => {
        if (knownEmpty(v)) problems.push({ path: field, message: `missing (expected the ${what} host name)` });
        else if (typeof v === "string" && hostnameProblem(v))
            problems.push({ path: field, message: `${hostnameProblem(v)}` });
    };
    const port = (field: string, v: pulumi.Input<number> | undefined) => {
        if (typeof v === "number" && portProblem(v)) problems.push({ path: field, message: `${portProblem(v)}` });
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

/** {@link GitLabArgs} parsed by {@link gitlabArgsSpec}: every constant default applied. */
export type ParsedGitLabArgs = z.output<typeof gitlabArgsSpec>;

/**
 * The component's first step: its args parsed, every rule run (the settings', the data services', and
 * the upgrade path from the deployed version), and the rest resolved. Pure.
 * @throws InvalidArgsError listing every problem, before anything is declared.
 */
export function checkGitLab(args: GitLabArgs): ResolvedGitLab {
    const a = parseArgs("GitLab", gitlabArgsSpec, args);
    assertValid("GitLab", [
        ...gitlabSettingsRules(a, a.deployedGitLabVersion),
        ...gitlabDataProblems(a.data),
        ...dns01Problems(a),
        ...alertmanagerProblems(a.alertmanager),
    ]);
    return resolveGitLab(a);
}

/** DNS-01 certificates need what the ClusterIssuer is named for: gateway routing and cert-manager's issuer. */
function dns01Problems(a: ParsedGitLabArgs): Problem[] {
    if (a.certManagerDns01 === undefined || (a.tls.secretName === undefined && a.routing === "gateway")) return [];
    const clash = a.tls.secretName !== undefined ? "tls.secretName" : "routing nginx";
    return [
        {
            path: "certManagerDns01",
            message: `set with ${clash} (expected gateway routing with tls.certManagerIssuerEmail: the DNS-01 ClusterIssuer is named by the chart's Gateway)`,
        },
    ];
}

/** An SNS topic's ARN: `arn:<partition>:sns:<region>:<account>:<name>`. */
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** An IAM role's ARN: `arn:<partition>:iam::<account>:role/<path/name>`. */
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** The Alertmanager target, as far as it is known here: a region, a topic in it, a role. Pure. */
export function alertmanagerProblems(t: AlertmanagerSnsArgs | undefined): Problem[] {
    if (t === undefined) return [];
    const problems: Problem[] = [];
    const region = awsRegionProblem(t.region);
    if (region) problems.push({ path: "alertmanager.region", message: region });
    if (typeof t.topicArn === "string") {
        const m = SNS_TOPIC_ARN.exec(t.topicArn);
        if (!m)
            problems.push({
                path: "alertmanager.topicArn",
                message: `"${t.topicArn}" is not an SNS topic ARN (expected arn:aws:sns:<region>:<account>:<topic>)`,
            });
        else if (!region && m[1] !== t.region)
            problems.push({
                path: "alertmanager.topicArn",
                message: `a topic in ${m[1]}, not ${t.region} (expected the topic of alertmanager.region: SigV4 signs for one region)`,
            });
    }
    if (typeof t.roleArn === "string" && !IAM_ROLE_ARN.test(t.roleArn))
        problems.push({
            path: "alertmanager.roleArn",
            message: `"${t.roleArn}" is not an IAM role ARN (expected arn:aws:iam::<account>:role/<name>)`,
        });
    return problems;
}

/** Derives what follows from the parsed args: the TLS mode and the Secrets named after the release. Pure. */
export function resolveGitLab(a: ParsedGitLabArgs): ResolvedGitLab {
    const ref = (suffix: string, key: string): SecretRef => ({ name: `${a.releaseName}-${suffix}`, key });
    const os = a.data.objectStorage;
    return {
        domain: a.domain,
        ...(a.externalIP !== undefined ? { externalIP: a.externalIP } : {}),
        edition: a.edition,
        size: a.size,
        routing: a.routing,
        installGatewayApiCrds: a.installGatewayApiCrds,
        tls:
            a.tls.secretName !== undefined
                ? { mode: "secret", secretName: a.tls.secretName }
                : { mode: "certManager", issuerEmail: a.tls.certManagerIssuerEmail ?? "" },
        namespace: a.namespace,
        releaseName: a.releaseName,
        data: a.data,
        secrets: {
            postgresPassword: ref("postgres-password", "password"),
            ...(a.data.redis.password !== undefined ? { redisPassword: ref("redis-password", "password") } : {}),
            ...(a.data.redisCache?.password !== undefined
                ? { redisCachePassword: ref("redis-cache-password", "password") }
                : {}),
            objectStorage: ref("object-storage", "connection"),
            registryStorage: ref("registry-storage", "config"),
            ...(os.provider === "aws" ? { backupStorage: ref("backup-storage", "config") } : {}),
            rootPassword: ref("initial-root-password", "password"),
            // The chart's own default name: see RailsSecrets for why.
            railsSecrets: ref("rails-secret", GITLAB_RAILS_SECRETS_KEY),
        },
        protect: a.protect,
        backups: a.backups,
        chartVersion: a.chartVersion,
        values: a.values,
        loadBalancerAnnotations: a.loadBalancerAnnotations,
        ...(a.certManagerDns01 ? { certManagerDns01: a.certManagerDns01 } : {}),
        ...(a.alertmanager ? { alertmanager: a.alertmanager } : {}),
    };
}
