import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { GitLabAgent, type GitLabAgentArgs } from "../../components/agent/gitlab-agent";
import { GitLabRunner, type GitLabRunnerArgs } from "../../components/runner/gitlab-runner";
import { gitlabRunnerUnprivileged, k8sNoClusterAdmin, runsPrivileged } from "../../policy/agent-runner";
import type { PlannedResource } from "../../tools/plan/engine";
import { record } from "../helpers/pulumi";
import { findings, messages, resource } from "./support";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const BINDINGS = [
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
];

async function plan(declare: () => void, mocks?: pulumi.runtime.Mocks): Promise<PlannedResource[]> {
    return (await record(declare, { preview: true, ...(mocks ? { mocks } : {}) })).resources;
}

describe("policy k8s-no-cluster-admin", () => {
    const agentArgs: GitLabAgentArgs = {
        project: "platform/agents",
        kasAddress: "wss://kas.gitlab.example.com",
        ciAccess: { projects: [{ id: "platform/apps/web", numericId: 150, defaultNamespace: "web" }] },
    };

    it("passes the GitLabAgent component: chart RBAC off, its own bindings to narrower roles", async () => {
        const resources = await plan(() => {
            new GitLabAgent("prod", agentArgs);
        });
        assert.ok(
            resources.some((r) => BINDINGS.includes(r.type)),
            "the agent declares bindings",
        );
        assert.deepEqual(await findings(k8sNoClusterAdmin, resources), []);
    });

    it("reports the binding the component makes with clusterAdmin: true, unless the binding is allowed", async () => {
        const resources = await plan(() => {
            new GitLabAgent("prod", { ...agentArgs, clusterAdmin: true });
        });
        assert.deepEqual(await findings(k8sNoClusterAdmin, resources), [
            "prod-cluster-role-binding: roleRef.name: cluster-admin grants full control of the cluster (expected a role with only the rules needed)",
        ]);
        assert.deepEqual(await findings(k8sNoClusterAdmin, resources, { allowed: ["prod-cluster-role-binding"] }), []);
    });

    it("reports a RoleBinding to cluster-admin with its namespace, and a gitlab-agent release with the chart's default RBAC", async () => {
        const binding = resource(BINDINGS[1], {
            metadata: { name: "ci", namespace: "web" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
            subjects: [],
        });
        assert.deepEqual(await messages(k8sNoClusterAdmin, binding), [
            "roleRef.name: cluster-admin grants full control of namespace web (expected a role with only the rules needed)",
        ]);
        const chartDefault = resource(RELEASE, {
            chart: "gitlab-agent",
            version: "2.20.0",
            values: { config: { secretName: "agent-token" } },
        });
        assert.deepEqual(await messages(k8sNoClusterAdmin, chartDefault), [
            "values.rbac.create: not set (the chart's default is true), so the chart binds the agent to cluster-admin cluster-wide (expected rbac.create: false with RBAC declared beside the release)",
        ]);
        const narrower = resource(RELEASE, {
            chart: "gitlab-agent",
            version: "2.20.0",
            values: { rbac: { create: true, useExistingRole: "gitlab-agent-read" } },
        });
        assert.deepEqual(await messages(k8sNoClusterAdmin, narrower), []);
    });
});

describe("policy gitlab-runner-unprivileged", () => {
    const runnerArgs: GitLabRunnerArgs = {
        gitlabUrl: "https://gitlab.example.com/",
        scope: { type: "group", groupId: 42 },
        tags: ["k8s"],
    };
    const mocks: pulumi.runtime.Mocks = {
        newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }),
        call: (a) => a.inputs,
    };

    it("passes the GitLabRunner component's default, unprivileged job pods", async () => {
        const resources = await plan(() => {
            new GitLabRunner("shared", runnerArgs);
        }, mocks);
        assert.deepEqual(await findings(gitlabRunnerUnprivileged, resources), []);
    });

    it("reports the component's privileged: true, unless the release is allowed", async () => {
        const resources = await plan(() => {
            new GitLabRunner("docker", { ...runnerArgs, privileged: true, tags: ["docker"] });
        }, mocks);
        assert.deepEqual(await findings(gitlabRunnerUnprivileged, resources), [
            "docker-release: values.runners.config: [runners.kubernetes] privileged = true runs job pods privileged (expected false)",
        ]);
        assert.deepEqual(await findings(gitlabRunnerUnprivileged, resources, { allowed: ["docker-release"] }), []);
    });

    it("reads config.toml templates that are not TOML by the setting's own line", () => {
        assert.equal(runsPrivileged("[[runners]]\n  [runners.kubernetes]\n    privileged = true\n"), true);
        assert.equal(runsPrivileged("[[runners]]\n  [runners.kubernetes]\n    privileged = false\n"), false);
        assert.equal(
            runsPrivileged(
                "[[runners]]\n{{- if .Values.dind }}\n  [runners.kubernetes]\n    privileged = true # docker-in-docker\n{{- end }}\n",
            ),
            true,
        );
    });
});
