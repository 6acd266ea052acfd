/**
 * The pure Helm values builder of the GitLab chart 10.x: external PostgreSQL, Redis and object storage
 * referenced by Secret name and key only, bundled services off, routing, TLS, sizing, then the caller's
 * own values merged last. Sources: docs.gitlab.com/charts (advanced/external-db, external-redis,
 * external-object-storage, charts/globals) and the chart's checkConfig templates.
 */
import { GITLAB_SIZE_PRESETS, WORKLOAD_LABEL_KEY, WORKLOAD_LABELS, type GitLabWorkloadSize } from "../defaults";
import type { GitLabBucketType, RedisConnection } from "../data/connection";
import { certManagerServiceAccount } from "../dns/acme-dns01";
import { buildAlertmanagerValues } from "./alertmanager-values";
import { buildGitLabAlertRules, CERT_MANAGER_SCRAPE_ANNOTATIONS } from "./alert-rules";
import { buildBackupCronValues } from "./backups";
import { buildGatewayValues } from "./gateway-values";
import { buildGitalyValues } from "./gitaly-values";
import type { ResolvedGitLab, SecretRef } from "./settings";
import { isPlainObject } from "../internal/validation";

/** The Rails object types, each with its own bucket in the consolidated object-storage form. */
export const RAILS_OBJECT_TYPES = [
    "lfs",
    "artifacts",
    "uploads",
    "packages",
    "externalDiffs",
    "terraformState",
    "ciSecureFiles",
    "dependencyProxy",
] as const satisfies readonly GitLabBucketType[];

/**
 * Merges `override` into `base` the way Helm merges values files: maps recursively, everything else
 * (lists, scalars, Outputs) replaced. Returns a new object; neither argument changes.
 */
export function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) {
        const current = out[key];
        out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
    }
    return out;
}

const ref = (r: SecretRef) => ({ secret: r.name, key: r.key });

function nodeSelector(nodePools: boolean, workload: string): Record<string, unknown> {
    return nodePools ? { nodeSelector: { [WORKLOAD_LABEL_KEY]: workload } } : {};
}

function workload(w: GitLabWorkloadSize): Record<string, unknown> {
    return {
        minReplicas: w.minReplicas,
        maxReplicas: w.maxReplicas,
        resources: { requests: { ...w.requests }, ...(w.memoryLimit ? { limits: { memory: w.memoryLimit } } : {}) },
    };
}

/** A separate Redis instance (`global.redis.<instance>`): host, port, scheme and its own password. */
function redisInstance(c: RedisConnection, password: SecretRef | undefined): Record<string, unknown> {
    return {
        host: c.host,
        port: c.port,
        scheme: c.tls ? "rediss" : "redis",
        password: password ? { enabled: true, ...ref(password) } : { enabled: false },
    };
}

/** Builds the chart values of one resolved GitLab. Pure: the same input gives the same values. */
export function buildGitLabValues(r: ResolvedGitLab): Record<string, unknown> {
    const preset = GITLAB_SIZE_PRESETS[r.size];
    const pools = preset.nodePools;
    const supporting = nodeSelector(pools, WORKLOAD_LABELS.supporting);
    const gateway = r.routing === "gateway";
    const certManager = r.tls.mode === "certManager";
    const dns01 = gateway && certManager ? r.certManagerDns01 : undefined;
    const { postgres, redis, objectStorage: os } = r.data;
    const s = r.secrets;
    const roleArn = os.auth.type === "iamRole" ? os.auth.roleArn : undefined;
    const identityAnnotation = os.provider === "aws" ? "eks.amazonaws.com/role-arn" : "iam.gke.io/gcp-service-account";
    const ownTlsRef =
        r.tls.mode === "secret" ? { mode: "Terminate", certificateRefs: [{ name: r.tls.secretName }] } : undefined;

    const values: Record<string, unknown> = {
        global: {
            edition: r.edition,
            hosts: {
                domain: r.domain,
                https: true,
                ...(r.externalIP !== undefined ? { externalIP: r.externalIP } : {}),
            },
            // 10.x default routing; `gatewayApi` sits beside `ingress`, never inside it.
            // The chart's own Gateway issuer is HTTP-01 only; with DNS-01 the Gateway names the stack's ClusterIssuer.
            gatewayApi: {
                enabled: gateway,
                installEnvoy: gateway,
                configureCertmanager: gateway && certManager && dns01 === undefined,
            },
            ingress: {
                enabled: !gateway,
                configureCertmanager: !gateway && certManager,
                ...(!gateway && r.tls.mode === "secret"
                    ? { tls: { enabled: true, secretName: r.tls.secretName } }
                    : {}),
            },
            psql: {
                host: postgres.host,
                port: postgres.port,
                database: postgres.database,
                username: postgres.username,
                password: ref(s.postgresPassword),
            },
            redis: {
                host: redis.host,
                port: redis.port,
                scheme: redis.tls ? "rediss" : "redis",
                auth: s.redisPassword ? { enabled: true, ...ref(s.redisPassword) } : { enabled: false },
                ...(r.data.redisCache ? { cache: redisInstance(r.data.redisCache, s.redisCachePassword) } : {}),
            },
            minio: { enabled: false },
            initialRootPassword: ref(s.rootPassword),
            // The stack's own rails secrets (RailsSecrets), so a restore has them: the chart only reads it.
            railsSecrets: { secret: s.railsSecrets.name },
            appConfig: {
                object_store: { enabled: true, proxy_download: true, connection: ref(s.objectStorage) },
                ...Object.fromEntries(
                    RAILS_OBJECT_TYPES.map((t) => [t, { enabled: true, bucket: os.buckets[t], connection: {} }]),
                ),
                backups: { bucket: os.buckets.backups, tmpBucket: os.buckets.tmp },
            },
            registry: { bucket: os.buckets.registry },
            ...(roleArn !== undefined
                ? { serviceAccount: { enabled: true, create: true, annotations: { [identityAnnotation]: roleArn } } }
                : {}),
            ...supporting,
        },
        installCertmanager: certManager,
        ...(certManager ? { "certmanager-issuer": { email: r.tls.issuerEmail } } : {}),
        ...(certManager
            ? {
                  certmanager: {
                      // The bundled cert-manager (v1.19.4 in chart 9.10) serves Gateway API only when told to; without
                      // it the Gateway's certificates are never issued. Chart 10.x turns it on by default (charts MR
                      // 5010); set explicitly either way. Checked with `npm run render` against chart 9.10.0.
                      config: {
                          apiVersion: "controller.config.cert-manager.io/v1alpha1",
                          kind: "ControllerConfiguration",
                          enableGatewayAPI: gateway,
                      },
                      ...(pools
                          ? { ...supporting, webhook: supporting, cainjector: supporting, startupapicheck: supporting }
                          : {}),
                      // Scraped by the chart's Prometheus, for the certificate-expiry alert.
                      podAnnotations: { ...CERT_MANAGER_SCRAPE_ANNOTATIONS },
                      // DNS-01 through Route 53: the controller's service account assumes the zone-scoped IRSA role.
                      ...(dns01
                          ? {
                                serviceAccount: {
                                    name: certManagerServiceAccount(r.releaseName),
                                    annotations: { "eks.amazonaws.com/role-arn": dns01.roleArn },
                                },
                            }
                          : {}),
                  },
              }
            : {}),
        "nginx-ingress": {
            enabled: !gateway,
            ...(pools && !gateway ? { controller: supporting, defaultBackend: supporting } : {}),
        },
        ...(gateway && pools ? { "envoy-gateway": { deployment: { pod: supporting } } } : {}),
        ...(gateway && ownTlsRef
            ? {
                  gatewayApiResources: {
                      gateway: {
                          listeners: {
                              "gitlab-web": { tls: ownTlsRef },
                              "registry-web": { tls: ownTlsRef },
                              "kas-web": { tls: ownTlsRef },
                          },
                      },
                  },
              }
            : {}),
        // cert-manager's gateway-shim issues the listeners' certificates from the issuer the Gateway names
        // (10.x docs, "Option 1": `gatewayApiResources.gateway.annotations`).
        ...(dns01
            ? {
                  gatewayApiResources: {
                      gateway: { annotations: { "cert-manager.io/cluster-issuer": dns01.clusterIssuer } },
                  },
              }
            : {}),
        // The chart's own Prometheus scrapes GitLab; these rules alert on it (alert-rules.ts says why here),
        // and its Alertmanager sends them to the SNS topic when there is one (alertmanager-values.ts).
        prometheus: {
            ...(pools ? { server: supporting } : {}),
            serverFiles: { "alerting_rules.yml": buildGitLabAlertRules() },
            alertmanager: buildAlertmanagerValues(
                r.alertmanager,
                r.releaseName,
                supporting,
                preset.alertmanagerReplicas,
            ),
        },
        // 10.x removed these bundled charts; `false` is harmless and refuses an accidental re-enable.
        postgresql: { install: false },
        redis: { install: false },
        "gitlab-runner": { install: false },
        registry: { storage: ref(s.registryStorage) },
        gitlab: {
            toolbox: {
                backups: {
                    cron: buildBackupCronValues(r.backups),
                    objectStorage: {
                        backend: os.provider === "aws" ? "s3" : "gcs",
                        ...(s.backupStorage ? { config: ref(s.backupStorage) } : {}),
                    },
                },
            },
            webservice: {
                ...workload(preset.webservice),
                workerProcesses: preset.webservice.workerProcesses,
                ...nodeSelector(pools, WORKLOAD_LABELS.webservice),
            },
            sidekiq: { ...workload(preset.sidekiq), ...nodeSelector(pools, WORKLOAD_LABELS.sidekiq) },
        },
    };
    // Envoy replicas, PDB, zone spread, load balancer annotations and route timeouts (gateway-values.ts).
    const routing = gateway
        ? buildGatewayValues({
              replicas: preset.gatewayReplicas,
              pod: supporting,
              serviceAnnotations: r.loadBalancerAnnotations,
          })
        : {};
    // Gitaly pods, Guaranteed QoS and dedicated nodes of the reference sizes (gitaly-values.ts).
    const gitaly = preset.gitaly ? buildGitalyValues(preset.gitaly) : {};
    return deepMerge(deepMerge(deepMerge(values, routing), gitaly), r.values);
}
