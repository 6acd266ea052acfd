/**
 * A consumer of @gitlab-platform/components: a team's existing cluster connected to GitLab.com with
 * the GitLab agent, one project runner and Flux syncing one OCI artifact from the GitLab registry.
 * The package is installed from the registry like any other dependency; nothing is copied.
 *
 * The program is the exported function (Pulumi runs it), so that it reads its configuration only when run.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    Flux,
    GitLabAgent,
    GitLabRunner,
    KubernetesCluster,
    OciSync,
    type KubernetesVersion,
} from "@gitlab-platform/components";

export = async () => {
    const config = new pulumi.Config();
    const stack = pulumi.getStack();

    // The cluster exists already: the component only builds the Kubernetes provider everything else uses.
    const cluster = new KubernetesCluster(stack, {
        type: "existing",
        context: config.get("kubeContext") || undefined,
        kubernetesVersion: config.require("kubernetesVersion") as KubernetesVersion,
    });
    const k8s = { provider: cluster.provider };

    // The agent registers with GitLab.com's agent server; the group's CI/CD jobs deploy through it.
    const agent = new GitLabAgent(
        stack,
        {
            project: config.require("agentProject"),
            kasAddress: "wss://kas.gitlab.com",
            ciAccess: { groups: [{ id: config.require("deployGroup") }] },
        },
        k8s,
    );

    // One runner for the team's project, on the cluster's general nodes.
    const runner = new GitLabRunner(
        "team-apps",
        {
            gitlabUrl: "https://gitlab.com/",
            scope: { type: "project", projectId: config.requireNumber("runnerProjectId") },
            tags: ["team-apps", "kubernetes"],
            useRunnerNodePool: false,
        },
        k8s,
    );

    // Flux, and the manifests artifact the project's pipeline pushes to its registry.
    const flux = new Flux("flux", {}, k8s);
    new OciSync(
        "manifests",
        {
            project: config.require("agentProject"),
            url: config.require("manifestsUrl"),
            ref: { tag: config.require("manifestsTag") },
            flux,
        },
        k8s,
    );

    return { agentId: agent.agentId, runnerId: runner.runnerId, fluxVersion: flux.version };
};
