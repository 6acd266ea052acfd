/**
 * The composition root: read the stack's configuration, build the components it switches on, export a
 * few outputs. No logic lives here; see components/ for what each piece declares.
 */
import { loadConfig } from "./config";
import { existingDataServices, GitLab, KubernetesCluster } from "./components";

export = async () => {
    const cfg = loadConfig();

    const cluster = new KubernetesCluster(cfg.stack, cfg.cluster);

    // GitLab's external services: existing endpoints from configuration (declares nothing).
    const data = cfg.data ? existingDataServices(cfg.data) : undefined;
    const gitlab = cfg.gitlab && data ? new GitLab("gitlab", { ...cfg.gitlab, data }, { provider: cluster.provider }) : undefined;

    return {
        kubernetesVersion: cluster.kubernetesVersion,
        ...(gitlab ? { gitlabUrl: gitlab.url, kasAddress: gitlab.kasAddress } : {}),
    };
};
