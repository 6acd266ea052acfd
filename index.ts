/**
 * The composition root: read the stack's configuration, build the components it switches on, export a
 * few outputs. No logic lives here; see components/ for what each piece declares.
 */
import { loadConfig } from "./config";
import { KubernetesCluster } from "./components";

export = async () => {
    const cfg = loadConfig();

    const cluster = new KubernetesCluster(cfg.stack, cfg.cluster);

    return {
        kubernetesVersion: cluster.kubernetesVersion,
    };
};
