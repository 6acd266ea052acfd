/**
 * The composition root: read the stack's configuration (validated, every default resolved, in
 * config.ts), then wire the components it switches on, in the order of the three ways GitLab meets
 * Kubernetes, and export a few outputs. No defaults and no decisions live here.
 */
import { loadConfig } from "./config";
import { reviewAppArgs, reviewAppName } from "./config/apps";
import { fluxArgs, ociSyncArgs } from "./config/flux";
import { App, AwsDataServices, AwsNetwork, existingDataServices, Flux, GitLab, GitLabAgent, GitLabRunner, KubernetesCluster, OciSync, ReviewApp } from "./components";

export = async () => {
    const cfg = loadConfig();

    // The cluster everything runs in; on AWS its VPC first (the data services need only the VPC).
    const c = cfg.cluster;
    const network = c.type === "eks" ? new AwsNetwork(cfg.stack, { ...c.network, region: c.region }) : undefined;
    // network exists exactly when the cluster is eks.
    const cluster = new KubernetesCluster(cfg.stack, c.type === "eks" ? { ...c, network: network!.ref } : c);
    const k8s = { provider: cluster.provider };

    // 3. GitLab runs on Kubernetes: its external services, then the official chart.
    const d = cfg.data;
    const data =
        d?.type === "aws" && c.type === "eks" && network && cluster.oidc
            ? new AwsDataServices(`${cfg.stack}-data`, {
                  ...d,
                  region: c.region,
                  network: network.ref,
                  oidc: cluster.oidc,
                  gitlabNamespace: cfg.gitlab?.namespace,
                  gitlabReleaseName: cfg.gitlab?.releaseName,
              })
            : d?.type === "existing"
              ? existingDataServices(d)
              : undefined;
    const gitlab = cfg.gitlab && data ? new GitLab("gitlab", { ...cfg.gitlab, data }, k8s) : undefined;
    // GitLab API objects of this GitLab wait for its release.
    const afterGitLab = { ...k8s, dependsOn: gitlab ? [gitlab] : [] };

    // 1. GitLab deploys to Kubernetes: Flux syncing registry artifacts, the agent, apps, review apps.
    const flux = cfg.flux ? new Flux("flux", fluxArgs(cfg.flux), k8s) : undefined;
    if (flux) for (const sync of cfg.flux?.syncs ?? []) new OciSync(sync.name, ociSyncArgs(sync, flux), afterGitLab);
    const kasAddress = cfg.agent?.kasAddress ?? gitlab?.kasAddress;
    const agent = cfg.agent && kasAddress ? newAgent(cfg.agent, kasAddress) : undefined;
    function newAgent({ name, ...settings }: NonNullable<typeof cfg.agent>, kas: NonNullable<typeof kasAddress>): GitLabAgent {
        return new GitLabAgent(name, { ...settings, agentName: name, kasAddress: kas, fluxNamespaceResource: flux?.namespaceResource }, afterGitLab);
    }
    for (const app of cfg.apps) new App(app.name, app, k8s);
    for (const review of cfg.reviewApps ? reviewAppArgs(cfg.reviewApps) : []) new ReviewApp(reviewAppName(review.branch), review, k8s);

    // 2. Kubernetes runs GitLab's runners, registered with the installed GitLab or the configured one.
    const gitlabUrl = gitlab?.url ?? cfg.gitlabUrl;
    const runners = gitlabUrl ? cfg.runners.map(({ name, ...settings }) => new GitLabRunner(name, { ...settings, gitlabUrl }, afterGitLab)) : [];

    return {
        kubernetesVersion: cluster.kubernetesVersion,
        // rootPassword is secret: `pulumi stack output --show-secrets rootPassword`.
        ...(gitlab ? { gitlabUrl: gitlab.url, kasAddress: gitlab.kasAddress, registryHost: gitlab.registryHost, rootPassword: gitlab.rootPassword } : {}),
        ...(agent ? { agentId: agent.agentId } : {}),
        runnerIds: runners.map((r) => r.runnerId),
    };
};
