/**
 * The composition root: read the stack's configuration (validated, every default resolved, in
 * config.ts), then wire the components it switches on, in the order of the three ways GitLab meets
 * Kubernetes, and export a few outputs. No defaults and no decisions live here.
 */
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkGitLabUpgrade, loadConfig } from "./config";
import { appArgs, appGatewayArgs, platformGatewayRef, reviewAppArgs, reviewAppName } from "./config/apps";
import { dataArgs } from "./config/data";
import { fluxArgs, ociSyncArgs } from "./config/flux";
import { GITLAB_VERSION_OUTPUT, readDeployedGitLabVersion } from "./config/upgrade";
import {
    AcmeDns01Issuer,
    acmeDns01IssuerName,
    App,
    AppGateway,
    AwsAlarms,
    AwsDataServices,
    AwsNetwork,
    defaults,
    existingDataServices,
    Flux,
    GitLab,
    GitLabAgent,
    GitLabObjects,
    GitLabRunner,
    KubernetesCluster,
    OciSync,
    ReviewApp,
    Route53Dns,
} from "./components";
import { awsPartition } from "./components/cluster/eks-config";
import { firstTokenCommand } from "./components/gitlab-api/first-token";

export = async () => {
    const cfg = loadConfig();
    // Against the GitLab version this stack deployed last: an upgrade that skips a required stop stops here.
    const deployedGitLabVersion = cfg.gitlab ? await readDeployedGitLabVersion() : undefined;
    checkGitLabUpgrade(cfg, deployedGitLabVersion);

    // The cluster everything runs in; on AWS its VPC first (the data services need only the VPC).
    const c = cfg.cluster;
    // A workloads stack reads the platform stack's GitLab and cluster.
    const platform = cfg.platformStack ? new pulumi.StackReference(cfg.platformStack) : undefined;
    const fromPlatform = (key: string) => platform!.requireOutput(key) as pulumi.Output<string>;
    const network = c.type === "eks" ? new AwsNetwork(cfg.stack, { ...c.network, region: c.region }) : undefined;
    const cluster = new KubernetesCluster(
        cfg.stack,
        // network exists exactly when the cluster is eks.
        c.type === "eks"
            ? { ...c, network: network!.ref }
            : c.type === "platform"
              ? {
                    type: "existing",
                    kubernetesVersion: c.kubernetesVersion,
                    kubeconfigContent: pulumi.secret(fromPlatform("kubeconfig")),
                }
              : c,
    );
    const k8s = { provider: cluster.provider };

    // 3. GitLab runs on Kubernetes: its external services, then the official chart.
    const d = cfg.data;
    const data =
        d?.type === "aws" && c.type === "eks" && network && cluster.oidc
            ? new AwsDataServices(`${cfg.stack}-data`, {
                  ...dataArgs(d),
                  region: c.region,
                  network: network.ref,
                  oidc: cluster.oidc,
                  gitlabNamespace: cfg.gitlab?.namespace,
                  gitlabReleaseName: cfg.gitlab?.releaseName,
              })
            : d?.type === "existing"
              ? existingDataServices(dataArgs(d))
              : undefined;
    // Signals: CloudWatch alarms on RDS, ElastiCache and the gateway's NLB, to one SNS topic; GitLab's in-cluster
    // alerts reach the same topic through the chart's Alertmanager and its IRSA role (both before the release).
    // The NLB is known only after GitLab's release: its hostname is handed over once GitLab is declared.
    const [gatewayHostname, setGatewayHostname] = pulumi.deferredOutput<string | undefined>();
    const alarms =
        data instanceof AwsDataServices && d?.type === "aws"
            ? new AwsAlarms(`${cfg.stack}-alarms`, {
                  namePrefix: d.namePrefix,
                  ...data.monitoring,
                  ...cfg.alarms,
                  ...(cfg.gitlab ? { gatewayLoadBalancerHostname: gatewayHostname } : {}),
                  ...(cfg.gitlab && cluster.oidc && c.type === "eks"
                      ? {
                            alertmanager: {
                                oidc: cluster.oidc,
                                namespace: cfg.gitlab.namespace,
                                releaseName: cfg.gitlab.releaseName,
                                region: c.region,
                            },
                        }
                      : {}),
              })
            : undefined;
    // Route 53 records for every host the gateway's routes name, published by external-dns; with the zone,
    // cert-manager answers DNS-01 challenges in it (TLS before the names resolve).
    const dns01Email = cfg.gitlab?.routing === "gateway" ? cfg.gitlab.tls.certManagerIssuerEmail : undefined;
    const dns =
        cfg.dns && cfg.gitlab && data && c.type === "eks" && cluster.oidc
            ? new Route53Dns(
                  `${cfg.stack}-dns`,
                  {
                      domain: cfg.gitlab.domain,
                      hostedZone: cfg.dns.hostedZone,
                      clusterName: c.clusterName,
                      oidc: cluster.oidc,
                      partition: awsPartition(c.region),
                      supportingPool: defaults.GITLAB_SIZE_PRESETS[cfg.gitlab.size].nodePools,
                      ...(cfg.dns.protect !== undefined ? { protect: cfg.dns.protect } : {}),
                      ...(dns01Email
                          ? { certManager: { namespace: cfg.gitlab.namespace, releaseName: cfg.gitlab.releaseName } }
                          : {}),
                  },
                  k8s,
              )
            : undefined;
    const certManagerDns01 =
        cfg.gitlab && dns?.certManagerRoleArn && dns01Email
            ? {
                  clusterIssuer: acmeDns01IssuerName(cfg.gitlab.namespace, cfg.gitlab.releaseName),
                  roleArn: dns.certManagerRoleArn,
              }
            : undefined;
    // On EKS the gateway's Service becomes a cross-zone Network Load Balancer.
    const loadBalancerAnnotations = c.type === "eks" ? { ...defaults.AWS_NLB_SERVICE_ANNOTATIONS } : undefined;
    const gitlab =
        cfg.gitlab && data
            ? new GitLab(
                  "gitlab",
                  {
                      ...cfg.gitlab,
                      data,
                      ...(loadBalancerAnnotations ? { loadBalancerAnnotations } : {}),
                      ...(deployedGitLabVersion !== undefined ? { deployedGitLabVersion } : {}),
                      ...(certManagerDns01 ? { certManagerDns01 } : {}),
                      ...(alarms?.alertmanager ? { alertmanager: alarms.alertmanager } : {}),
                  },
                  k8s,
              )
            : undefined;
    setGatewayHostname(gitlab?.loadBalancerHostname ?? pulumi.output(undefined));
    // The one DNS-01 ClusterIssuer: GitLab's Gateway names it, the app Gateway's wildcard certificate
    // (`appGateway.tls.type: acme`) too. Its CRD comes with the chart's cert-manager.
    const acmeIssuer =
        certManagerDns01 && dns && gitlab && dns01Email && c.type === "eks" && cfg.gitlab
            ? new AcmeDns01Issuer(
                  `${cfg.stack}-acme-dns01`,
                  {
                      issuerName: certManagerDns01.clusterIssuer,
                      domain: cfg.gitlab.domain,
                      email: dns01Email,
                      zoneId: dns.zoneId,
                      region: c.region,
                  },
                  { ...k8s, dependsOn: [gitlab] },
              )
            : undefined;
    // The Gateway apps and review apps are reached through, on GitLab's Envoy Gateway (a workloads stack reads its ref).
    const appGateway =
        cfg.appGateway && gitlab
            ? new AppGateway("apps", appGatewayArgs(cfg.appGateway, acmeIssuer), { ...k8s, dependsOn: [gitlab] })
            : undefined;
    // The groups and projects the GitLab API objects below name exist first.
    const objects = cfg.gitlabObjects ? new GitLabObjects("gitlab", cfg.gitlabObjects) : undefined;
    const afterGitLab = { ...k8s, dependsOn: [...(gitlab ? [gitlab] : []), ...(objects ? [objects] : [])] };
    // Labelled so the platform's app Gateway admits their HTTPRoutes (apps and Flux-deployed workloads).
    const namespaces = cfg.namespaces.map(
        (ns) =>
            new kubernetes.core.v1.Namespace(
                `namespace-${ns}`,
                { metadata: { name: ns, labels: { [defaults.APP_ROUTES_LABEL]: "true" } } },
                k8s,
            ),
    );

    // 1. GitLab deploys to Kubernetes: Flux syncing registry artifacts, the agent, apps, review apps.
    const flux = cfg.flux ? new Flux("flux", fluxArgs(cfg.flux), k8s) : undefined;
    if (flux) for (const sync of cfg.flux?.syncs ?? []) new OciSync(sync.name, ociSyncArgs(sync, flux), afterGitLab);
    const kasAddress =
        cfg.agent?.kasAddress ?? gitlab?.kasAddress ?? (platform ? fromPlatform("kasAddress") : undefined);
    const agent = cfg.agent && kasAddress ? newAgent(cfg.agent, kasAddress) : undefined;
    function newAgent(
        { name, ...settings }: NonNullable<typeof cfg.agent>,
        kas: NonNullable<typeof kasAddress>,
    ): GitLabAgent {
        return new GitLabAgent(
            name,
            { ...settings, agentName: name, kasAddress: kas, fluxNamespaceResource: flux?.namespaceResource },
            afterGitLab,
        );
    }
    // Apps and review apps: a route that names no gateway attaches to the platform stack's app Gateway.
    const gatewayRef = platform ? platformGatewayRef(platform.getOutput("appGateway"), cfg.platformStack!) : undefined;
    for (const app of cfg.apps) new App(app.name, appArgs(app, gatewayRef), { ...k8s, dependsOn: namespaces });
    for (const review of cfg.reviewApps ? reviewAppArgs(cfg.reviewApps, gatewayRef) : [])
        new ReviewApp(reviewAppName(review.branch), review, k8s);

    // 2. Kubernetes runs GitLab's runners, registered with the installed GitLab, the configured one or the platform stack's.
    const gitlabUrl = gitlab?.url ?? cfg.gitlabUrl ?? (platform ? fromPlatform("gitlabUrl") : undefined);
    const runners = gitlabUrl
        ? cfg.runners.map(({ name, ...settings }) => new GitLabRunner(name, { ...settings, gitlabUrl }, afterGitLab))
        : [];

    return {
        kubernetesVersion: cluster.kubernetesVersion,
        // rootPassword is secret: `pulumi stack output --show-secrets rootPassword`.
        ...(gitlab
            ? {
                  gitlabUrl: gitlab.url,
                  kasAddress: gitlab.kasAddress,
                  registryHost: gitlab.registryHost,
                  rootPassword: gitlab.rootPassword,
                  // What the zone's records point at (external-dns writes them); absent until the NLB has a name.
                  ...(gitlab.loadBalancerHostname ? { gitlabLoadBalancerHostname: gitlab.loadBalancerHostname } : {}),
              }
            : {}),
        // Secret too; a restore needs it with the backups (docs/restore.md).
        ...(gitlab ? { railsSecrets: gitlab.railsSecrets, [GITLAB_VERSION_OUTPUT]: gitlab.version } : {}),
        // Where a restore starts from (docs/restore.md).
        ...(gitlab && data
            ? {
                  backups: {
                      toolbox: gitlab.backups,
                      bucket: data.objectStorage.buckets.backups,
                      ...(data instanceof AwsDataServices ? data.backups : {}),
                  },
              }
            : {}),
        ...(dns ? { dnsZoneId: dns.zoneId, ...(dns.nameServers ? { dnsNameServers: dns.nameServers } : {}) } : {}),
        // What a workloads stack reads: how to reach the cluster (secret), and the one command giving it its first API token.
        ...(cluster.kubeconfig ? { kubeconfig: cluster.kubeconfig } : {}),
        ...(gitlab && cfg.gitlab
            ? {
                  workloadsTokenCommand: firstTokenCommand({
                      namespace: cfg.gitlab.namespace,
                      releaseName: cfg.gitlab.releaseName,
                      workloadsStack: `${cfg.stack}-workloads`,
                      ...(c.type === "existing" && c.context ? { kubeContext: c.context } : {}),
                  }),
              }
            : {}),
        // The app Gateway's own NLB, what the apps' records point at; absent until it has a name.
        ...(appGateway
            ? { appGateway: appGateway.ref, appGatewayLoadBalancerHostname: appGateway.loadBalancerHostname }
            : {}),
        ...(agent ? { agentId: agent.agentId } : {}),
        ...(alarms ? { alarmsTopicArn: alarms.topicArn } : {}),
        runnerIds: runners.map((r) => r.runnerId),
    };
};
