import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { GitLabDataServices } from "../data/connection";
import {
    ENVOY_GATEWAY_CRDS_CHART,
    ENVOY_GATEWAY_CRDS_VERSION,
    GATEWAY_API_CRDS_URL,
    GITLAB_CHART_NAME,
    GITLAB_CHART_REPOSITORY,
    GITLAB_CHART_RELEASES,
    GITLAB_POD_SECURITY_LEVEL,
    GITLAB_RELEASE_TIMEOUT_SECONDS,
    GITLAB_ROOT_PASSWORD_LENGTH,
    type GitLabSize,
} from "../defaults";
import type { AlertmanagerSnsArgs } from "./alertmanager-values";
import type { GitLabBackupArgs } from "./backups";
import { RailsSecrets } from "./rails-secrets";
import { GITLAB_PREVIOUS_VERSION_ANNOTATION, GITLAB_VERSION_ANNOTATION } from "./upgrade-path";
import { fogConnection, registryStorageConfig, s3cmdConfig, type StorageFileInputs } from "./secret-files";
import { checkGitLab, type GitLabEdition, type GitLabRouting, type SecretRef } from "./settings";
import { buildGitLabValues } from "./values";
import { gitlabGatewayName, readGatewayAddress } from "./gateway-address";

/** How GitLab's HTTPS certificates come to be: exactly one of the two fields. */
export interface GitLabTlsArgs {
    /**
     * Let's Encrypt through the chart's cert-manager: the ACME account e-mail (`certmanager-issuer.email`).
     * @default - none; required unless `secretName` is set
     * @see https://docs.gitlab.com/charts/installation/tls/
     */
    certManagerIssuerEmail?: string;
    /**
     * Your own certificate: an existing `kubernetes.io/tls` Secret in the GitLab namespace, a wildcard for
     * `*.<domain>`. cert-manager is then neither installed nor configured.
     * @default - none; cert-manager issues certificates
     */
    secretName?: string;
}

/**
 * Arguments of {@link GitLab}.
 * @see https://docs.gitlab.com/charts/installation/command-line-options/
 */
export interface GitLabArgs {
    /** DNS domain: GitLab serves `gitlab.<domain>`, `registry.<domain>` and `kas.<domain>` (`global.hosts.domain`). */
    domain: string;
    /** PostgreSQL, Redis and object storage outside the cluster (existing endpoints or cloud services). */
    data: GitLabDataServices;
    /** HTTPS certificates: cert-manager with Let's Encrypt, or your own TLS Secret. */
    tls: GitLabTlsArgs;
    /**
     * Enterprise (`ee`, works unlicensed as Free) or Community (`ce`) edition (`global.edition`).
     * @default "ee"
     * @see https://docs.gitlab.com/charts/installation/deployment/#deploy-the-community-edition
     */
    edition?: GitLabEdition;
    /**
     * Sizing preset ({@link GITLAB_SIZE_PRESETS}): `dev`, or Cloud Native First S/M/L with nodeSelectors
     * `workload: webservice|sidekiq|supporting` that node pools must carry.
     * @default "dev"
     * @see https://docs.gitlab.com/administration/reference_architectures/cloud_native_first/
     */
    size?: GitLabSize;
    /**
     * `gateway`: the 10.x default, Gateway API with the bundled Envoy Gateway (CRDs installed first).
     * `nginx`: the deprecated bundled NGINX Ingress controller.
     * @default "gateway"
     * @see https://docs.gitlab.com/charts/charts/envoygateway/
     */
    routing?: GitLabRouting;
    /**
     * Whether to apply the pinned Gateway API CRDs ({@link GATEWAY_API_CRDS_URL}) and Envoy Gateway CRDs
     * ({@link ENVOY_GATEWAY_CRDS_CHART}) before the release with `gateway` routing, so that a version bump
     * upgrades them (Helm never upgrades a chart's `crds/`). Turn off when the cluster already manages them.
     * @default true
     */
    installGatewayApiCrds?: boolean;
    /**
     * Annotations of the gateway's load balancer Service (the Envoy proxy's), e.g.
     * `AWS_NLB_SERVICE_ANNOTATIONS` (defaults.ts) on EKS. `gateway` routing only.
     * @default {}
     */
    loadBalancerAnnotations?: Record<string, string>;
    /**
     * Certificates through DNS-01 instead of the chart's HTTP-01 issuer (`gateway` routing with
     * `tls.certManagerIssuerEmail`): the ClusterIssuer the Gateway names (`AcmeDns01Issuer`) and the IRSA
     * role of the bundled cert-manager's service account (`Route53Dns.certManagerRoleArn`).
     * @default - HTTP-01 through the Gateway
     */
    certManagerDns01?: { clusterIssuer: string; roleArn: pulumi.Input<string> };
    /**
     * Route the in-cluster alerts (the chart's Prometheus, alert-rules.ts) to an SNS topic: turns on the
     * chart's bundled Alertmanager with the topic as its only receiver, on an IRSA role (on AWS:
     * `AwsAlarms.alertmanager`). Give the role and the topic before the release: they are its inputs.
     * @default - Alertmanager off (the chart's default): firing alerts only show in Prometheus
     */
    alertmanager?: AlertmanagerSnsArgs;
    /**
     * Static IPv4 address of the load balancer (`global.hosts.externalIP`).
     * @default - the cloud assigns one
     */
    externalIP?: string;
    /**
     * Namespace created for GitLab.
     * @default "gitlab" ({@link GITLAB_DEFAULT_NAMESPACE})
     */
    namespace?: string;
    /**
     * Helm release name; the chart's object names derive from it.
     * @default "gitlab" ({@link GITLAB_DEFAULT_RELEASE_NAME})
     */
    releaseName?: string;
    /**
     * Initial root password, secret.
     * @default - generated by a `random.RandomPassword` and exported as the `rootPassword` output
     */
    rootPassword?: pulumi.Input<string>;
    /**
     * GitLab's rails secrets (`secrets.yml`, secret) to use instead of generating them: the old stack's
     * `railsSecrets` output when restoring, or the chart-generated `<release>-rails-secret` when adopting
     * an install.
     * @default - generated once by the stack ({@link RailsSecrets}) and exported as the `railsSecrets` output
     */
    railsSecrets?: pulumi.Input<string>;
    /**
     * The chart version to deploy, one of {@link GITLAB_CHART_RELEASES}. Move it one required upgrade stop
     * at a time: the stack refuses a jump over a stop (see `upgrade-path.ts`).
     * @default "10.2.3" (`GITLAB_CHART_VERSION`)
     */
    chartVersion?: string;
    /**
     * The GitLab version this stack deployed last (the program reads its own `gitlabVersion` output). The
     * component refuses a `chartVersion` that skips a required upgrade stop from it, and records both on
     * the namespace for the policy pack.
     * @default - unknown: a first install, nothing to check
     */
    deployedGitLabVersion?: string;
    /**
     * The toolbox's scheduled backup to the backups bucket.
     * @default - on, daily at 01:00 ({@link GitLabBackupArgs})
     */
    backups?: GitLabBackupArgs;
    /**
     * Pulumi `protect` on the rails secrets and their generators. Turn off only right before removing
     * GitLab, after backing up the `railsSecrets` output.
     * @default true
     */
    protect?: boolean;
    /**
     * Escape hatch: chart values deep-merged over the generated ones, last (maps merge, lists and scalars
     * replace). Never put credentials here: reference a Secret by name and key.
     * @default {}
     */
    values?: Record<string, unknown>;
}

/**
 * GitLab on Kubernetes with the official chart: its namespace, the Secrets holding every credential
 * (the chart only sees their names), the Gateway API CRDs when routing through Gateway API, and the
 * Helm release. Providers come through the options.
 */
export class GitLab extends pulumi.ComponentResource {
    /** `https://gitlab.<domain>`. */
    public readonly url: pulumi.Output<string>;
    /** The agent server (KAS) address agents connect to: `wss://kas.<domain>`. */
    public readonly kasAddress: pulumi.Output<string>;
    /** The container registry host: `registry.<domain>`. */
    public readonly registryHost: pulumi.Output<string>;
    /** The namespace GitLab runs in. */
    public readonly namespace: pulumi.Output<string>;
    /** The Helm release name. */
    public readonly releaseName: pulumi.Output<string>;
    /** The initial root password, secret. */
    public readonly rootPassword: pulumi.Output<string>;
    /** What this deploys: the chart version and the GitLab version it ships (the stack records it). */
    public readonly version: { readonly chart: string; readonly gitlab: string };
    /** The toolbox backup schedule: `{ enabled, schedule }`. */
    public readonly backups: { readonly enabled: boolean; readonly schedule: string };
    /** GitLab's rails secrets (`secrets.yml`), secret: what a restore needs besides the backups. */
    public readonly railsSecrets: pulumi.Output<string>;
    /**
     * `gateway` routing: the address of the Gateway's load balancer (on EKS the NLB's DNS name), what the
     * zone's records point at; `undefined` until the load balancer has one, and without `gateway` routing.
     * Read from the Gateway's `status.addresses` after the release (see `readGatewayAddress`).
     */
    public readonly loadBalancerHostname?: pulumi.Output<string | undefined>;

    constructor(name: string, args: GitLabArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const r = checkGitLab(args);
        super("gitlab-platform:gitlab:GitLab", name, {}, opts);
        const gitlabVersion = GITLAB_CHART_RELEASES[r.chartVersion].gitlab;
        const { postgres, redis, objectStorage: os } = r.data;

        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: r.namespace,
                    labels: { "pod-security.kubernetes.io/enforce": GITLAB_POD_SECURITY_LEVEL },
                    annotations: {
                        [GITLAB_VERSION_ANNOTATION]: gitlabVersion,
                        ...(args.deployedGitLabVersion !== undefined
                            ? { [GITLAB_PREVIOUS_VERSION_ANNOTATION]: args.deployedGitLabVersion }
                            : {}),
                    },
                },
            },
            { parent: this },
        );
        const secret = (role: string, ref: SecretRef, value: pulumi.Input<string>) =>
            new k8s.core.v1.Secret(
                `${name}-${role}`,
                {
                    metadata: { name: ref.name, namespace: namespace.metadata.name },
                    type: "Opaque",
                    stringData: { [ref.key]: pulumi.secret(value) },
                },
                { parent: this },
            );

        // Credential files are rendered from the resolved secrets inside apply; only the text is built there.
        const keys =
            os.auth.type === "accessKey"
                ? pulumi.all([os.auth.accessKeyId, os.auth.secretAccessKey])
                : pulumi.output(undefined);
        const storage = pulumi.all([keys, os.buckets.registry]).apply(([k, bucket]) => {
            const inputs: StorageFileInputs = {
                provider: os.provider,
                region: os.region,
                ...(os.googleProject !== undefined ? { googleProject: os.googleProject } : {}),
                ...(os.endpoint !== undefined ? { endpoint: os.endpoint } : {}),
                ...(k ? { keys: { accessKeyId: k[0], secretAccessKey: k[1] } } : {}),
            };
            return {
                fog: fogConnection(inputs),
                registry: registryStorageConfig(inputs, bucket),
                s3cmd: s3cmdConfig(inputs),
            };
        });

        const rootPassword =
            args.rootPassword !== undefined
                ? pulumi.secret(args.rootPassword)
                : pulumi.secret(
                      new random.RandomPassword(
                          `${name}-root-password`,
                          {
                              length: GITLAB_ROOT_PASSWORD_LENGTH,
                              special: false,
                              minLower: 1,
                              minUpper: 1,
                              minNumeric: 1,
                          },
                          { parent: this },
                      ).result,
                  );

        const s = r.secrets;
        const secrets = [
            secret("postgres-password", s.postgresPassword, postgres.password),
            ...(s.redisPassword && redis.password ? [secret("redis-password", s.redisPassword, redis.password)] : []),
            ...(s.redisCachePassword && r.data.redisCache?.password
                ? [secret("redis-cache-password", s.redisCachePassword, r.data.redisCache.password)]
                : []),
            secret("object-storage", s.objectStorage, storage.fog),
            secret("registry-storage", s.registryStorage, storage.registry),
            ...(s.backupStorage ? [secret("backup-storage", s.backupStorage, storage.s3cmd)] : []),
            secret("initial-root-password", s.rootPassword, rootPassword),
        ];
        const rails = new RailsSecrets(
            `${name}-rails-secrets`,
            {
                namespace: namespace.metadata.name,
                secretName: s.railsSecrets.name,
                protect: r.protect,
                ...(args.railsSecrets !== undefined ? { content: args.railsSecrets } : {}),
            },
            { parent: this },
        );

        // The chart's Gateway, HTTPRoutes and TCPRoute need the Gateway API CRDs, and Helm installs CRDs only
        // on a first install and never upgrades them, so they are applied here, pinned, before the release.
        // `yaml.v2.ConfigFile` takes the release URL and is a remote component: the Kubernetes provider
        // fetches and applies the file, so the program itself (and the offline plan) never needs network.
        const crds =
            r.routing === "gateway" && r.installGatewayApiCrds
                ? new k8s.yaml.v2.ConfigFile(
                      `${name}-gateway-api-crds`,
                      { file: GATEWAY_API_CRDS_URL },
                      { parent: this },
                  )
                : undefined;
        // Envoy Gateway's own CRDs likewise: Envoy Gateway's CRD chart renders them as templates, so a version
        // bump here upgrades them; the bundled copies in the GitLab chart's crds/ are then skipped as existing.
        const envoyCrds = crds
            ? new k8s.helm.v3.Release(
                  `${name}-envoy-gateway-crds`,
                  {
                      name: `${r.releaseName}-envoy-gateway-crds`,
                      namespace: namespace.metadata.name,
                      chart: ENVOY_GATEWAY_CRDS_CHART,
                      version: ENVOY_GATEWAY_CRDS_VERSION,
                      values: { crds: { gatewayAPI: { enabled: false }, envoyGateway: { enabled: true } } },
                  },
                  { parent: this, dependsOn: [crds] },
              )
            : undefined;

        const release = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: r.releaseName,
                namespace: namespace.metadata.name,
                chart: GITLAB_CHART_NAME,
                version: r.chartVersion,
                repositoryOpts: { repo: GITLAB_CHART_REPOSITORY },
                timeout: GITLAB_RELEASE_TIMEOUT_SECONDS,
                values: buildGitLabValues(r),
            },
            // Secret names reach the values as plain strings, so the ordering is explicit.
            {
                parent: this,
                dependsOn: [...secrets, rails, ...(crds ? [crds] : []), ...(envoyCrds ? [envoyCrds] : [])],
            },
        );

        if (r.routing === "gateway") {
            // A read, not a resource: the chart owns the Gateway. Its id comes from the release's `status`,
            // which the Kubernetes provider reports as unknown in the preview of an install or upgrade, and
            // the engine skips a read whose id is unknown (pulumi `ReadStep.Apply`): the preview of a first
            // `up` never looks for a Gateway that does not exist yet. In the update the read runs once the
            // release is done, when the chart's Gateway exists; it runs again on every `up`, so an address
            // the load balancer gets later appears with the next one.
            this.loadBalancerHostname = readGatewayAddress(
                `${name}-gateway`,
                pulumi.interpolate`${release.status.namespace}/${gitlabGatewayName(r.releaseName)}`,
                { parent: this, dependsOn: [release] },
            );
        }
        this.url = pulumi.output(`https://gitlab.${r.domain}`);
        this.kasAddress = pulumi.output(`wss://kas.${r.domain}`);
        this.registryHost = pulumi.output(`registry.${r.domain}`);
        this.namespace = namespace.metadata.name;
        this.releaseName = release.name;
        this.rootPassword = rootPassword;
        this.railsSecrets = rails.content;
        this.backups = { enabled: r.backups.enabled, schedule: r.backups.schedule };
        this.version = { chart: r.chartVersion, gitlab: gitlabVersion };
        this.registerOutputs({
            url: this.url,
            kasAddress: this.kasAddress,
            registryHost: this.registryHost,
            namespace: this.namespace,
            releaseName: this.releaseName,
            rootPassword: this.rootPassword,
            railsSecrets: this.railsSecrets,
            loadBalancerHostname: this.loadBalancerHostname,
        });
    }
}
