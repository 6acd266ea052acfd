import { strict as assert } from "node:assert";
import {
    AGENT_IMPERSONATION_EXTRAS,
    AGENT_READ_ONLY_RULES,
    buildAgentRbac,
    type AgentRbacInput,
} from "../../components/agent/rbac";

const base: AgentRbacInput = {
    agentName: "prod",
    namespace: "gitlab-agent",
    serviceAccountName: "gitlab-agent",
    clusterAdmin: false,
    managedNamespaces: [],
    fluxNamespace: "flux-system",
    namespaceClusterRole: "admin",
    resourceManagementRoles: ["admin"],
};
const sa = { kind: "ServiceAccount", name: "gitlab-agent", namespace: "gitlab-agent" };

describe("agent RBAC: buildAgentRbac", () => {
    it("grants read-only cluster access without Secrets, and leases/events in its own namespace", () => {
        const plan = buildAgentRbac(base);
        assert.equal(plan.name, "gitlab-agent-prod");
        assert.equal(plan.clusterRoleRef, "gitlab-agent-prod");
        assert.deepEqual(plan.clusterRules, AGENT_READ_ONLY_RULES);
        for (const rule of plan.clusterRules!) {
            assert.deepEqual(rule.verbs, ["get", "list", "watch"]);
            assert.ok(!rule.resources.includes("secrets"), "no Secrets cluster-wide");
        }
        assert.deepEqual(
            plan.agentNamespaceRules.map((r) => r.resources),
            [["leases"], ["events"]],
        );
        assert.deepEqual(plan.namespaceBindings, []);
        assert.equal(plan.flux, undefined);
    });

    it("binds cluster-admin only when asked", () => {
        const plan = buildAgentRbac({ ...base, clusterAdmin: true });
        assert.equal(plan.clusterRoleRef, "cluster-admin");
        assert.equal(plan.clusterRules, undefined);
    });

    it("gives admin in default namespaces: to the agent for agent access, to the CI job's group for ci_job, nothing for a static identity", () => {
        const plan = buildAgentRbac({
            ...base,
            managedNamespaces: ["shared"],
            ciAccess: {
                projects: [
                    { id: "a/web", numericId: 150, defaultNamespace: "web" },
                    { id: "a/legacy", defaultNamespace: "legacy", accessAs: { type: "agent" } },
                    { id: "a/ops", defaultNamespace: "ops", accessAs: { type: "impersonate", username: "ops-bot" } },
                ],
                groups: [{ id: "a/team", defaultNamespace: "web" }],
            },
        });
        assert.deepEqual(plan.namespaceBindings, [
            { namespace: "legacy", clusterRole: "admin", subjects: [sa] },
            { namespace: "shared", clusterRole: "admin", subjects: [sa] },
            {
                namespace: "web",
                clusterRole: "admin",
                subjects: [
                    { kind: "Group", name: "gitlab:project:150", apiGroup: "rbac.authorization.k8s.io" },
                    { kind: "Group", name: "gitlab:ci_job", apiGroup: "rbac.authorization.k8s.io" },
                ],
            },
        ]);
    });

    it("lets the agent impersonate CI jobs (users, groups, documented extras) only when ci_job is used", () => {
        const withCiJob = buildAgentRbac({ ...base, ciAccess: { projects: [{ id: "a/b" }] } });
        const impersonate = withCiJob.clusterRules!.filter((r) => r.verbs.includes("impersonate"));
        assert.deepEqual(impersonate, [
            { apiGroups: [""], resources: ["groups", "users"], verbs: ["impersonate"] },
            {
                apiGroups: ["authentication.k8s.io"],
                resources: AGENT_IMPERSONATION_EXTRAS.map((k) => `userextras/${k}`),
                verbs: ["impersonate"],
            },
        ]);
        const agentOnly = buildAgentRbac({
            ...base,
            ciAccess: { projects: [{ id: "a/b", accessAs: { type: "agent" } }] },
            userAccess: { groups: ["a"] },
        });
        assert.ok(!agentOnly.clusterRules!.some((r) => r.verbs.includes("impersonate")));
        const users = buildAgentRbac({ ...base, userAccess: { accessAs: "user", groups: ["a"] } });
        assert.equal(users.clusterRules!.filter((r) => r.verbs.includes("impersonate")).length, 2);
    });

    it("limits static impersonation to the named identity (service account, groups, uid, extra)", () => {
        const plan = buildAgentRbac({
            ...base,
            ciAccess: {
                projects: [
                    {
                        id: "a/b",
                        accessAs: {
                            type: "impersonate",
                            username: "system:serviceaccount:prod:deployer",
                            groups: ["deployers"],
                            uid: "7",
                            extra: [{ key: "team", values: ["ops"] }],
                        },
                    },
                ],
            },
        });
        assert.deepEqual(
            plan.clusterRules!.filter((r) => r.verbs.includes("impersonate")),
            [
                {
                    apiGroups: [""],
                    resources: ["serviceaccounts"],
                    verbs: ["impersonate"],
                    resourceNames: ["deployer"],
                },
                { apiGroups: [""], resources: ["groups"], verbs: ["impersonate"], resourceNames: ["deployers"] },
                {
                    apiGroups: ["authentication.k8s.io"],
                    resources: ["uids"],
                    verbs: ["impersonate"],
                    resourceNames: ["7"],
                },
                {
                    apiGroups: ["authentication.k8s.io"],
                    resources: ["userextras/team"],
                    verbs: ["impersonate"],
                    resourceNames: ["ops"],
                },
            ],
        );
    });

    it("adds namespace management and bind on the template roles for resource management", () => {
        const plan = buildAgentRbac({
            ...base,
            resourceManagementRoles: ["admin", "edit"],
            ciAccess: { groups: [{ id: "a", resourceManagement: true }] },
        });
        const extra = plan.clusterRules!.slice(-3);
        assert.deepEqual(
            extra.map((r) => [r.resources, r.resourceNames]),
            [
                [["namespaces", "serviceaccounts"], undefined],
                [["rolebindings"], undefined],
                [["clusterroles"], ["admin", "edit"]],
            ],
        );
        assert.deepEqual(extra[2].verbs, ["bind"]);
    });

    it("manages Flux receivers and their Secrets in Flux's namespace only with flux configured", () => {
        const plan = buildAgentRbac({ ...base, flux: {}, fluxNamespace: "flux" });
        assert.equal(plan.flux?.namespace, "flux");
        assert.deepEqual(
            plan.flux?.rules.map((r) => r.resources),
            [["receivers"], ["secrets"]],
        );
    });
});
