/**
 * The stack spec: every key a stack file may set in this project's namespace, composed from the
 * components' specs. Each key states, once: its schema (picked and renamed from the component spec),
 * its Pulumi.yaml type and description (test/config/project-file.test.ts holds Pulumi.yaml to them),
 * the defaults only the stack knows (names derived from project and stack), and its rules. Rules that
 * span keys are {@link crossRules}. To add a key: see docs/configuration.md.
 */
import { z } from "zod";
import { defaultNamePrefix } from "../components/data/aws-naming";
import { AGENT_DEFAULT_NAMESPACE, RUNNER_NAMESPACE_PREFIX } from "../components/defaults";
import { under, type Problem } from "../components/errors";
import { reviewSlug } from "../components/apps/naming";
import { agentRules, agentSchema } from "./agent";
import {
    appGatewayKeyRules,
    appGatewaySchema,
    appsCrossRules,
    appsRules,
    appsSchema,
    reviewAppsRules,
    reviewAppsSchema,
} from "./apps";
import { awsDataCrossRules } from "./aws";
import { clusterSchema, eksClusterRules } from "./cluster";
import { dataSchema } from "./data";
import { fluxKeyRules, fluxSchema } from "./flux";
import { gitlabSchema } from "./gitlab";
import { runnersRules, runnersSchema } from "./runners";
import { dnsCrossRules, dnsSchema } from "./dns";
import { alarmsSchema } from "./monitoring";
import { gitlabUpgradeProblems } from "./upgrade";
import { gitlabObjectsSchema, namespacesSchema, platformStackSchema, workloadsProblems } from "./workloads";
import { awsDataSettingsRules } from "../components/data/spec";
import { zoneIdProblems } from "../components/dns/route53-dns";
import { validateAlarmSubscribers } from "../components/monitoring/spec";
import { gitlabSettingsRules } from "../components/gitlab/settings";
import { credentialProblems, validateExistingDataSettings } from "../components/data/existing";

/** What the stack's own defaults and rules may look at besides the key's value. */
export interface StackContext {
    readonly project: string;
    readonly stack: string;
    /** Whether a key is set in the stack file (whatever its validity). */
    readonly has: (key: string) => boolean;
}

/** One stack key: schema, Pulumi.yaml declaration, stack-derived defaults and rules (paths below the key). */
export interface StackKey<S extends z.ZodType = z.ZodType, R = z.output<S>> {
    readonly schema: S;
    /** The Pulumi.yaml `type`. */
    readonly type: "object" | "array" | "string";
    /** The Pulumi.yaml `items.type` of an array key. @default "object" */
    readonly itemType?: "object" | "string";
    readonly description: string;
    readonly required?: boolean;
    /** Defaults that depend on the project, the stack or other keys, applied once (`(v) => v` when none). */
    readonly resolve: (value: z.output<S>, ctx: StackContext) => R;
    readonly rules?: (value: R, ctx: StackContext) => Problem[];
}

const key = <S extends z.ZodType, R = z.output<S>>(k: StackKey<S, R>): StackKey<S, R> => k;

/** `https://host[:port][/]`: GitLab's base URL. */
const gitlabBaseUrl = z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/, {
    message: "not a GitLab base URL (expected https://<host>/, e.g. https://gitlab.com/)",
});

/** The structured (non-secret) keys. */
export const STACK_KEYS = {
    cluster: key({
        schema: clusterSchema,
        type: "object",
        required: true,
        description:
            'The cluster to deploy into. {type: existing, kubeconfig?: path, context?, kubernetesVersion: "1.33"|"1.34"|"1.35"} | {type: eks, kubernetesVersion, region (= aws:region), network: {type: create, cidr?, availabilityZones, natGateways?: perAz|single} | {type: existing, vpcId, privateSubnetIds}, publicAccessCidrs?, nodeGroups?: {webservice|sidekiq|supporting|gitaly|runners: {instanceTypes, minSize, maxSize, capacityType?, diskSizeGiB?}}, adminPrincipalArns?, deletionProtection?: true, logRetentionDays?: 90} | {type: platform, kubernetesVersion} (a workloads stack on the platform stack\'s cluster, through its secret kubeconfig output; needs platformStack)',
        resolve: (c, ctx) =>
            c.type === "eks"
                ? {
                      ...c,
                      clusterName: c.clusterName ?? defaultNamePrefix(ctx.project, ctx.stack),
                      requireGitLabCapacity: ctx.has("gitlab"),
                  }
                : c,
        rules: (c) => (c.type === "eks" ? eksClusterRules(c) : []),
    }),
    data: key({
        schema: dataSchema,
        type: "object",
        description:
            "GitLab's external services. {type: aws, namePrefix?: <project>-<stack>, postgres?: {instanceClass, allocatedStorageGiB, backupRetentionDays?: 14}, redis?: {nodeType?: cache.m7g.large, nodeCount?: 2, snapshotRetentionDays?: 7, split?: false (a cache-only Redis, allkeys-lru, beside the persistent one, noeviction)}, objectStorage?: {tmpExpirationDays}, gitalyBackups?: {schedule?: 'cron(0 3 * * ? *)', retentionDays?: 14} (AWS Backup snapshots of Gitaly's volumes), protect?: true, finalSnapshots?: true} (needs cluster.type eks) | {type: existing, postgres: {host, port?: 5432, database?: gitlabhq_production, username}, redis: {host, port?: 6379, tls?: false}, objectStorage: {provider: aws|google, region, googleProject?, endpoint?, bucketPrefix?, buckets?: {lfs, artifacts, uploads, packages, externalDiffs, terraformState, ciSecureFiles, dependencyProxy, registry, backups, tmp}, roleArn?}}",
        resolve: (d, ctx) =>
            d.type === "aws" ? { ...d, namePrefix: d.namePrefix ?? defaultNamePrefix(ctx.project, ctx.stack) } : d,
        rules: (d) => (d.type === "existing" ? validateExistingDataSettings(d) : awsDataSettingsRules(d)),
    }),
    gitlab: key({
        schema: gitlabSchema,
        type: "object",
        resolve: (g) => g,
        rules: (g) => gitlabSettingsRules(g),
        description:
            "GitLab on Kubernetes with the official chart (needs data). {domain, tls: {certManagerIssuerEmail} | {secretName}, edition?: ee|ce, size?: dev|s|m|l, routing?: gateway|nginx, installGatewayApiCrds?: true, externalIP?, namespace?: gitlab, releaseName?: gitlab, protect?: true (Pulumi protect on the rails secrets), backups?: {enabled?: true, schedule?: '0 1 * * *', volumeSize?: 100Gi} (toolbox backup CronJob to the backups bucket), chartVersion?: 10.2.3 (one of GITLAB_CHART_RELEASES; a jump over a required upgrade stop from the recorded gitlabVersion output is refused), values?: {...}}",
    }),
    gitlabUrl: key({
        schema: gitlabBaseUrl,
        type: "string",
        description:
            "The GitLab instance runners register with (https://<host>/), when this stack does not install GitLab (then its own URL is used).",
        resolve: (u) => u,
    }),
    agent: key({
        schema: agentSchema,
        type: "object",
        description:
            "The cluster's GitLab agent (one per cluster); it commits .gitlab/agents/<name>/config.yaml to configBranch of its project. {project, name?: <stack>, kasAddress?: the installed GitLab's, kasCaCert?, configBranch?: main, namespace?: gitlab-agent, createNamespace?: true, ciAccess?: {projects?, groups?: [{id, numericId?, defaultNamespace?, environments?, protectedBranchesOnly?, accessAs?: {type: ciJob|agent|impersonate}, resourceManagement?}]}, userAccess?: {accessAs?, projects?, groups?}, flux?: {webhookReceiverUrl?, namespace?}, tokenSlots?: [blue], activeTokenSlot?: blue, clusterAdmin?: false, managedNamespaces?, namespaceClusterRole?: admin, resourceManagementRoles?: [admin], replicas?: 2}",
        resolve: (a, ctx) => ({ ...a, name: a.name ?? ctx.stack }),
        rules: (a, ctx) => agentRules(a, ctx.stack),
    }),
    runners: key({
        schema: runnersSchema,
        type: "array",
        description:
            "GitLab runners on the cluster, each with its own token and release. [{name, scope: {type: instance} | {type: group, groupId} | {type: project, projectId}, description?, tags?, runUntagged?, locked?: true, paused?: false, accessLevel?, maximumTimeout?, namespace?: gitlab-runner-<name>, createNamespace?: true, concurrent?: 10, jobImage?, privileged?: false, resources?: {build|helper|service: {cpuRequest, cpuLimit, memoryRequest, memoryLimit}}, useRunnerNodePool?: true, isolateJobs?: true (a NetworkPolicy: job pods reach cluster DNS and the internet, nothing private or link-local, no ingress), cache?: {type: s3, bucket, region, endpoint?, path?, roleArn?}, featureFlags?}]",
        resolve: (v) => v,
        rules: runnersRules,
    }),
    flux: key({
        schema: fluxSchema,
        type: "object",
        description:
            "Flux through the Flux Operator, and OCI artifacts it syncs from the GitLab registry. {clusterType?: kubernetes, size?: small, helmController?: false, multitenant?: false, networkPolicy?: true, syncs?: [{name, project, url: oci://..., ref: {tag|semver|digest}, namespace?: flux-system, interval?: 1m, timeout?, secretName?: gitlab-registry-auth (required per sync when there are several), verify?: {provider: cosign|notation, ...}, rotation?: {periodDays?: 30, validityDays?: 60} (deploy at least once per period, e.g. a scheduled pipeline), kustomization?: {path?: ., prune?: true, targetNamespace?, interval?, wait?, timeout?, dependsOn?}}]}",
        resolve: (v) => v,
        rules: fluxKeyRules,
    }),
    apps: key({
        schema: appsSchema,
        type: "array",
        description:
            "Long-lived apps (Deployment + Service). [{name, namespace?, image: with tag or digest, replicas?: 1, containerPort?: 8080, exposure?: {type: clusterIP} | {type: httpRoute, host, gateway?: {name, namespace?, sectionName?} (default: the platform stack's appGateway output)} | {type: ingress, host, className, tlsSecretName?} | {type: loadBalancer, annotations?}, resources?}]",
        resolve: (v) => v,
        rules: appsRules,
    }),
    reviewApps: key({
        schema: reviewAppsSchema,
        type: "object",
        description:
            "Review apps declared from the stack, one namespace per branch. {domain, route: {type: httpRoute, gateway?: {name, namespace?} (default: the platform stack's appGateway output)} | {type: ingress, className, tlsSecretName?}, quota?, containerLimits?, apps: [{branch, image, ...app fields}]}",
        resolve: (v) => v,
        rules: reviewAppsRules,
    }),
    appGateway: key({
        schema: appGatewaySchema,
        type: "object",
        description:
            "Platform stacks: the Gateway apps and review apps are reached through, on GitLab's Envoy Gateway (needs gitlab routing gateway), exported as the appGateway output. {domains: [one HTTPS listener for *.<domain> each, and one on port 80 that only redirects to HTTPS], tls: {type: acme} (Let's Encrypt through the stack's DNS-01 ClusterIssuer, the one GitLab's Gateway names: needs the dns key on EKS, every domain at or below gitlab.domain) | {type: selfSigned} | {type: issuer, kind: Issuer|ClusterIssuer, name} | {type: secret, secretName}, name?: apps, namespace?: app-gateway, gatewayClassName?: gitlab-gw}",
        resolve: (v) => v,
        rules: appGatewayKeyRules,
    }),
    dns: key({
        schema: dnsSchema,
        type: "object",
        description:
            "Route 53 DNS for every host GitLab and the apps serve, published by external-dns with its own IRSA role (needs cluster.type eks and gitlab). {hostedZone: {type: create} | {type: existing, zoneId: Z...}, protect?: true}. Outputs: dnsZoneId, dnsNameServers (created zones: delegate the domain to them).",
        resolve: (v) => v,
        rules: (d) =>
            d.hostedZone.type === "existing" ? under("hostedZone", zoneIdProblems(d.hostedZone.zoneId)) : [],
    }),
    alarms: key({
        schema: alarmsSchema,
        type: "object",
        description:
            "Subscribers of the SNS topic the CloudWatch alarms (RDS CPU, free storage, connections, replica lag; ElastiCache memory, evictions, replication lag; unhealthy targets of the GitLab gateway's NLB, region-wide until its name is known) notify; the alarms exist whenever data.type is aws. {emails?: [...], httpsEndpoints?: [...]} (each subscriber confirms once).",
        resolve: (v) => v,
        rules: (a) => validateAlarmSubscribers(a),
    }),
    platformStack: key({
        schema: platformStackSchema,
        type: "string",
        description:
            "Workloads stacks: the platform stack (dev, or org/gitlab-platform/dev) read through a StackReference for gitlabUrl, kasAddress, registryHost and, with cluster.type platform, its secret kubeconfig output.",
        resolve: (v) => v,
    }),
    gitlabObjects: key({
        schema: gitlabObjectsSchema,
        type: "object",
        description:
            "Groups and projects the workloads name. {groups?: [full paths, created parents first; a parent may be existing], projects?: [full paths, created in a declared or existing group], existing?: [full paths that exist already], manageCrossGroupCiAccess?: false (turn on organization_cluster_agent_authorization_enabled, administrator token)}",
        resolve: (v) => v,
    }),
    namespaces: key({
        schema: namespacesSchema,
        type: "array",
        itemType: "string",
        description:
            "Namespaces this stack creates, for apps and Flux targetNamespaces (both must be created or default).",
        resolve: (v) => v,
    }),
};

/** Keys holding credentials (read with `getSecret`, refused when stored in plaintext), with their descriptions. */
export const STACK_SECRETS = {
    kubeconfig: "Inline kubeconfig content for an existing cluster (secret), instead of cluster.kubeconfig.",
    postgresPassword: "Password of data.postgres.username (secret); required with data.type existing.",
    redisPassword: "Redis AUTH password or token (secret); leave unset when the Redis server has no AUTH.",
    objectStorageAccessKeyId:
        "Static object-storage access key id (secret), with objectStorageSecretAccessKey; unset to use an IAM role.",
    objectStorageSecretAccessKey:
        "Static object-storage secret access key (secret), with objectStorageAccessKeyId; unset to use an IAM role.",
    gitlabRootPassword:
        "GitLab's initial root password (secret); generated (and exported by the component) when unset.",
    gitlabRailsSecrets:
        "GitLab's rails secrets, the secrets.yml content (secret): another stack's railsSecrets output when restoring (docs/restore.md); generated by the stack and exported as railsSecrets when unset.",
};

export type SecretKey = keyof typeof STACK_SECRETS;

/** The validated, resolved value of each structured key (absent when unset or invalid). */
export type StackValues = {
    -readonly [K in keyof typeof STACK_KEYS]?: (typeof STACK_KEYS)[K] extends StackKey<z.ZodType, infer R> ? R : never;
};

/** What the cross-key rules see besides the values. */
export interface CrossContext extends StackContext {
    /** The AWS provider's region (`aws:region`). */
    readonly awsRegion?: string;
    /** The GitLab provider's base URL (`gitlab:baseUrl`). */
    readonly gitlabBaseUrl?: string;
    /** Whether `gitlab:baseUrl` is set; undefined when the caller does not know, which skips {@link gitlabApiUrlProblems}. */
    readonly gitlabBaseUrlSet?: boolean;
    /** Whether a GitLab API token is available (`gitlab:token` or GITLAB_TOKEN). @default true */
    readonly tokenSet?: boolean;
    /** The GitLab version this stack last deployed (its `gitlabVersion` output), for the upgrade path. */
    readonly deployedGitLabVersion?: string;
}

const DATA_SECRETS = [
    "postgresPassword",
    "redisPassword",
    "objectStorageAccessKeyId",
    "objectStorageSecretAccessKey",
] as const;

/** Rules that span keys; absolute paths. Each runs on the keys that parsed, presence from the stack file. */
export function crossRules(v: StackValues, ctx: CrossContext): Problem[] {
    const problems: Problem[] = [];
    const has = ctx.has;
    if (v.cluster?.type === "existing" && v.cluster.kubeconfig !== undefined && has("kubeconfig")) {
        problems.push({
            path: "cluster.kubeconfig",
            message: "set together with the kubeconfig secret (expected exactly one of a path or inline content)",
        });
    }
    if (has("runners") && !has("gitlab") && !has("gitlabUrl") && !has("platformStack")) {
        problems.push({
            path: "runners",
            message: "set without a GitLab to register with (expected gitlabUrl, or the gitlab key to install one)",
        });
    }
    if (has("gitlab") && has("gitlabUrl"))
        problems.push({
            path: "gitlabUrl",
            message: "set together with gitlab (expected one: the installed GitLab's URL is used)",
        });
    if (v.agent !== undefined && v.agent.kasAddress === undefined && !has("gitlab") && !has("platformStack")) {
        problems.push({
            path: "agent.kasAddress",
            message:
                "missing (expected the KAS address, e.g. wss://kas.gitlab.com, or the gitlab key to install GitLab)",
        });
    }
    if (has("gitlab") && !has("data"))
        problems.push({
            path: "gitlab",
            message:
                "set without data (expected the data key describing GitLab's PostgreSQL, Redis and object storage)",
        });
    if (!has("gitlab") && has("gitlabRootPassword"))
        problems.push({
            path: "gitlabRootPassword",
            message: "set without gitlab (expected the gitlab key too, or no root password)",
        });
    if (!has("gitlab") && has("gitlabRailsSecrets"))
        problems.push({
            path: "gitlabRailsSecrets",
            message: "set without gitlab (expected the gitlab key too, or no rails secrets)",
        });
    if (has("alarms") && (!has("data") || (v.data !== undefined && v.data.type !== "aws"))) {
        problems.push({
            path: "alarms",
            message: "set without data.type aws (expected the AWS data services whose alarms it subscribes to)",
        });
    }
    if (has("dns")) problems.push(...dnsCrossRules(v.cluster, has("gitlab")));
    if (v.gitlab !== undefined)
        problems.push(...gitlabUpgradeProblems(v.gitlab.chartVersion, v.data?.type, ctx.deployedGitLabVersion));
    if (v.cluster !== undefined) {
        problems.push(
            ...workloadsProblems(
                {
                    ...v,
                    cluster: v.cluster,
                    gitlab: has("gitlab") ? (v.gitlab ?? {}) : undefined,
                    runners: v.runners,
                    namespaces: v.namespaces ? [...v.namespaces] : undefined,
                },
                ctx.tokenSet ?? true,
            ),
        );
    }
    problems.push(...gitlabApiUrlProblems(v, ctx));
    // The GitLab provider's own key (read by the API resources), e.g. https://gitlab.example.com/api/v4.
    if (
        ctx.gitlabBaseUrl !== undefined &&
        ctx.gitlabBaseUrl !== "" &&
        !/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/\S*)?$/.test(ctx.gitlabBaseUrl)
    ) {
        problems.push({
            path: "gitlab:baseUrl",
            message: "not a URL (expected https://<host>/api/v4, e.g. https://gitlab.com/api/v4)",
        });
    }
    const d = v.data;
    if (d?.type === "aws") {
        problems.push(...awsDataCrossRules(v.cluster, ctx.awsRegion, d.namePrefix));
        for (const k of DATA_SECRETS)
            if (has(k))
                problems.push({
                    path: k,
                    message:
                        "set with data.type aws (expected none: the stack generates its credentials and uses an IAM role)",
                });
    } else if (!has("data")) {
        for (const k of DATA_SECRETS)
            if (has(k))
                problems.push({
                    path: k,
                    message: "set without data (expected the data key describing the service it belongs to)",
                });
    } else if (d?.type === "existing") {
        const present = {
            postgresPassword: has("postgresPassword"),
            redisPassword: has("redisPassword"),
            objectStorageAccessKeyId: has("objectStorageAccessKeyId"),
            objectStorageSecretAccessKey: has("objectStorageSecretAccessKey"),
        };
        problems.push(...credentialProblems(present, d, { credentials: "", settings: "data" }));
    }
    problems.push(
        ...appsCrossRules({
            ...v,
            ...(has("platformStack") ? { platformStack: v.platformStack ?? "" } : {}),
            clusterType: v.cluster?.type,
        }),
    );
    problems.push(...claimRules(v));
    return problems;
}

/**
 * Issue 15: the GitLab API resources have no default URL (the upstream provider's GitLab.com default
 * would send a self-managed estate's token there). A stack that declares them (agent registration,
 * runners, Flux syncs with deploy tokens) must name its GitLab API in `gitlab:baseUrl`. One rule, one key.
 */
export function gitlabApiUrlProblems(
    v: Pick<StackValues, "agent" | "runners" | "flux">,
    ctx: Pick<CrossContext, "gitlabBaseUrlSet">,
): Problem[] {
    if (ctx.gitlabBaseUrlSet !== false) return [];
    const users = [
        ...(v.agent !== undefined ? ["agent"] : []),
        ...((v.runners ?? []).length > 0 ? ["runners"] : []),
        ...((v.flux?.syncs ?? []).length > 0 ? ["flux.syncs"] : []),
    ];
    if (users.length === 0) return [];
    return [
        {
            path: "gitlab:baseUrl",
            message: `missing, but ${users.join(", ")} declare GitLab API resources (expected the GitLab API URL, e.g. pulumi config set gitlab:baseUrl https://gitlab.example.com/api/v4; there is no default, so the token is never sent to a GitLab the stack did not name)`,
        },
    ];
}

/** A thing one part of the stack claims for itself: a namespace it creates, or a host it routes. */
interface Claim {
    readonly path: string;
    readonly what: string;
}

/** Two parts of the stack claiming one namespace or one host would fight over one object. */
function claimRules(v: StackValues): Problem[] {
    const namespaces = new Map<string, Claim[]>();
    const hosts = new Map<string, Claim[]>();
    const claim = (map: Map<string, Claim[]>, name: string, c: Claim) => map.set(name, [...(map.get(name) ?? []), c]);
    if (v.gitlab !== undefined) {
        claim(namespaces, v.gitlab.namespace, { path: "gitlab.namespace", what: "GitLab" });
        for (const h of ["gitlab", "registry", "kas"])
            claim(hosts, `${h}.${v.gitlab.domain}`, { path: "gitlab.domain", what: "GitLab" });
    }
    if (v.agent !== undefined && v.agent.createNamespace !== false)
        claim(namespaces, v.agent.namespace ?? AGENT_DEFAULT_NAMESPACE, { path: "agent.namespace", what: "the agent" });
    if (v.flux !== undefined) claim(namespaces, v.flux.namespace, { path: "flux.namespace", what: "Flux" });
    (v.runners ?? []).forEach((r, i) => {
        // Runners sharing one namespace are the runner set's own rule; here, one claim per namespace.
        if (r.createNamespace)
            claim(namespaces, r.namespace ?? `${RUNNER_NAMESPACE_PREFIX}${r.name}`, {
                path: `runners[${i}].namespace`,
                what: `runner ${r.name}`,
            });
    });
    (v.apps ?? []).forEach((a, i) => {
        if (a.exposure?.type === "ingress" || a.exposure?.type === "httpRoute")
            claim(hosts, a.exposure.host, { path: `apps[${i}].exposure.host`, what: `app ${a.name}` });
    });
    (v.reviewApps?.apps ?? []).forEach((a, i) => {
        const slug = reviewSlug(a.branch);
        claim(namespaces, `review-${slug}`, {
            path: `reviewApps.apps[${i}].branch`,
            what: `the review app of ${a.branch}`,
        });
        claim(hosts, `${slug}.${v.reviewApps!.domain}`, {
            path: `reviewApps.apps[${i}].branch`,
            what: `the review app of ${a.branch}`,
        });
    });
    const problems: Problem[] = [];
    for (const [kind, map] of [
        ["namespace", namespaces],
        ["host", hosts],
    ] as const) {
        for (const [name, claims] of map) {
            const distinct = claims.filter((c, i) => claims.findIndex((o) => o.path === c.path) === i);
            for (const c of distinct.slice(1)) {
                // Review slugs colliding with each other are reported by the review apps' own rule.
                if (c.path.startsWith("reviewApps.") && distinct[0].path.startsWith("reviewApps.")) continue;
                problems.push({
                    path: c.path,
                    message: `${kind} ${name} is also claimed by ${distinct[0].what} (${distinct[0].path}) (expected each ${kind} claimed once)`,
                });
            }
        }
    }
    return problems;
}
