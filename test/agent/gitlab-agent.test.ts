import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { GitLabAgent, type GitLabAgentArgs } from "../../components/agent/gitlab-agent";
import { resolveGitLabAgent, validateClusterAgents, validateGitLabAgent } from "../../components/agent/resolve";
import { InvalidArgsError } from "../../components/errors";
import { revealSecrets, record, type Recorded } from "../helpers/pulumi";
import { validateAll } from "../helpers/schema";
import { lines } from "../helpers/problems";

const AGENT = "pulumi-nodejs:dynamic/gitlab:ClusterAgent";
const TOKEN = "pulumi-nodejs:dynamic/gitlab:ClusterAgentToken";
const FILE = "pulumi-nodejs:dynamic/gitlab:RepositoryFile";
const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";

/** Plaintext Secret inputs as the engine receives them (the plan shows "[secret]"). */
const secretInputs = new Map<string, Record<string, unknown>>();
/** GitLab's side, mocked: the agent gets ID 7, each token a value naming its resource. */
const mocks: pulumi.runtime.Mocks = {
    newResource: ({ type, name, inputs }) => {
        if (type === SECRET) secretInputs.set(name, revealSecrets(inputs) as Record<string, unknown>);
        const state =
            type === AGENT
                ? { ...inputs, agentId: 7 }
                : type === TOKEN
                  ? { ...inputs, token: `glagent-${name}`, tokenId: 1 }
                  : inputs;
        return { id: `${name}-id`, state };
    },
    call: (args) => args.inputs,
};

const args: GitLabAgentArgs = {
    project: "platform/agents",
    kasAddress: "wss://kas.gitlab.example.com",
    ciAccess: { projects: [{ id: "platform/apps/web", numericId: 150, defaultNamespace: "web" }] },
    userAccess: { groups: ["platform"] },
};
const run = (a: Partial<GitLabAgentArgs> = {}) => record(() => new GitLabAgent("prod", { ...args, ...a }), { mocks });
const release = (rec: Recorded) => rec.one(RELEASE, "prod-release");
const values = (rec: Recorded) =>
    release(rec).inputs.values as {
        config: Record<string, unknown>;
        rbac: unknown;
        podAnnotations: Record<string, string>;
        replicas: number;
    };

describe("GitLabAgent", () => {
    it("registers the agent, commits its config, creates one token, and installs agentk under its own RBAC", async () => {
        const rec = await run();
        const component = rec.one("gitlab-platform:agent:GitLabAgent", "prod");
        assert.deepEqual(rec.childrenOf(component), [
            "kubernetes:core/v1:Namespace/prod-namespace",
            "kubernetes:core/v1:Secret/prod-token-secret",
            "kubernetes:helm.sh/v3:Release/prod-release",
            `${RBAC}:ClusterRole/prod-cluster-role`,
            `${RBAC}:ClusterRoleBinding/prod-cluster-role-binding`,
            `${RBAC}:Role/prod-role`,
            `${RBAC}:RoleBinding/prod-role-binding`,
            `${RBAC}:RoleBinding/prod-web-role-binding`,
            `${AGENT}/prod-agent`,
            `${TOKEN}/prod-token-blue`,
            `${FILE}/prod-config`,
        ]);
        const agent = rec.one(AGENT);
        assert.deepEqual([agent.inputs.project, agent.inputs.name], ["platform/agents", "prod"]);
        const token = rec.one(TOKEN);
        assert.deepEqual(
            [token.inputs.project, token.inputs.agentId, token.inputs.name],
            ["platform/agents", 7, "prod-blue"],
        );
        assert.equal(await validateAll(rec.resources), 7);
    });

    it("commits .gitlab/agents/<name>/config.yaml built from the access settings", async () => {
        const file = (await run()).one(FILE, "prod-config");
        assert.deepEqual(
            [file.inputs.project, file.inputs.branch, file.inputs.filePath],
            ["platform/agents", "main", ".gitlab/agents/prod/config.yaml"],
        );
        assert.deepEqual(parse(file.inputs.content as string), {
            ci_access: { projects: [{ id: "platform/apps/web", default_namespace: "web", access_as: { ci_job: {} } }] },
            user_access: { access_as: { agent: {} }, groups: [{ id: "platform" }] },
        });
    });

    it("installs the pinned chart with the token only as a Secret reference", async () => {
        const rec = await run();
        const r = release(rec);
        assert.deepEqual(
            [r.inputs.chart, r.inputs.version, r.inputs.repositoryOpts, r.inputs.namespace, r.inputs.name],
            ["gitlab-agent", "2.29.0", { repo: "https://charts.gitlab.io/" }, "gitlab-agent", "gitlab-agent"],
        );
        const v = values(rec);
        assert.equal(v.replicas, 2);
        assert.deepEqual(v.config, {
            kasAddress: "wss://kas.gitlab.example.com",
            secretName: "gitlab-agent-token",
            operational_container_scanning: { enabled: false },
        });
        assert.deepEqual(v.rbac, { create: false });
        assert.doesNotMatch(
            JSON.stringify(r.inputs),
            /glagent-|\[secret\]/,
            "no token, nothing secret, in the release",
        );

        const secret = rec.one(SECRET, "prod-token-secret");
        assert.deepEqual(secret.inputs.metadata, { name: "gitlab-agent-token", namespace: "gitlab-agent" });
        assert.equal(secret.inputs.stringData, "[secret]");
        assert.deepEqual(secretInputs.get("prod-token-secret")?.stringData, { token: "glagent-prod-token-blue" });
        assert.ok(
            r.dependsOn.includes(rec.one(FILE).urn) && r.dependsOn.includes(secret.urn),
            "agentk waits for its config and token",
        );
    });

    it("binds no cluster-admin by default: read-only ClusterRole, admin only in the default namespace, for the CI job's group", async () => {
        const rec = await run();
        const crb = rec.one(`${RBAC}:ClusterRoleBinding`);
        assert.deepEqual(crb.inputs.roleRef, {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "gitlab-agent-prod",
        });
        assert.deepEqual(crb.inputs.subjects, [
            { kind: "ServiceAccount", name: "gitlab-agent", namespace: "gitlab-agent" },
        ]);
        assert.doesNotMatch(JSON.stringify(rec.resources.filter((r) => r.type.startsWith(RBAC))), /cluster-admin/);
        const web = rec.one(`${RBAC}:RoleBinding`, "prod-web-role-binding");
        assert.deepEqual(
            [web.inputs.metadata, web.inputs.roleRef, web.inputs.subjects],
            [
                { name: "gitlab-agent-prod", namespace: "web" },
                { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" },
                [{ kind: "Group", name: "gitlab:project:150", apiGroup: "rbac.authorization.k8s.io" }],
            ],
        );
        assert.ok(release(rec).dependsOn.includes(crb.urn), "agentk starts with its permissions bound");
    });

    it("creates the Role and binding in Flux's namespace only after that namespace", async () => {
        const rec = await record(
            () => {
                const flux = new k8s.core.v1.Namespace("flux-install", { metadata: { name: "flux" } });
                new GitLabAgent("prod", { ...args, flux: { namespace: "flux" }, fluxNamespaceResource: flux });
            },
            { mocks },
        );
        const install = rec.one("kubernetes:core/v1:Namespace", "flux-install");
        for (const r of [
            rec.one(`${RBAC}:Role`, "prod-flux-role"),
            rec.one(`${RBAC}:RoleBinding`, "prod-flux-role-binding"),
        ]) {
            assert.ok(r.dependsOn.includes(install.urn), `${r.name} waits for the Flux namespace`);
        }
        assert.ok(
            !rec.one(`${RBAC}:Role`, "prod-role").dependsOn.includes(install.urn),
            "the agent's own RBAC does not wait for Flux",
        );
    });

    it("binds cluster-admin only with clusterAdmin: true", async () => {
        const rec = await run({ clusterAdmin: true });
        assert.equal(rec.ofType(`${RBAC}:ClusterRole`).length, 0);
        assert.deepEqual(rec.one(`${RBAC}:ClusterRoleBinding`).inputs.roleRef, {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "cluster-admin",
        });
    });

    it("with Flux, agent identity and a static identity: Receivers in Flux's namespace, admin for the agent, impersonation limited", async () => {
        const rec = await run({
            flux: { namespace: "flux" },
            managedNamespaces: ["shared"],
            ciAccess: {
                projects: [{ id: "platform/apps/legacy", defaultNamespace: "legacy", accessAs: { type: "agent" } }],
                groups: [{ id: "ops", accessAs: { type: "impersonate", username: "ops-bot" } }],
            },
        });
        const component = rec.one("gitlab-platform:agent:GitLabAgent", "prod");
        const rbacChildren = rec.childrenOf(component).filter((c) => c.startsWith(RBAC));
        assert.deepEqual(rbacChildren, [
            `${RBAC}:ClusterRole/prod-cluster-role`,
            `${RBAC}:ClusterRoleBinding/prod-cluster-role-binding`,
            `${RBAC}:Role/prod-flux-role`,
            `${RBAC}:Role/prod-role`,
            `${RBAC}:RoleBinding/prod-flux-role-binding`,
            `${RBAC}:RoleBinding/prod-legacy-role-binding`,
            `${RBAC}:RoleBinding/prod-role-binding`,
            `${RBAC}:RoleBinding/prod-shared-role-binding`,
        ]);
        assert.deepEqual(
            (rec.one(`${RBAC}:Role`, "prod-flux-role").inputs.metadata as { namespace: string }).namespace,
            "flux",
        );
        const impersonation = (
            rec.one(`${RBAC}:ClusterRole`).inputs.rules as { verbs: string[]; resourceNames?: string[] }[]
        ).filter((r) => r.verbs.includes("impersonate"));
        assert.deepEqual(
            impersonation.map((r) => r.resourceNames),
            [["ops-bot"]],
        );
        assert.equal(await validateAll(rec.resources), 10);
    });

    describe("blue/green token rotation", () => {
        const secretDeps = (rec: Recorded) => rec.one(SECRET, "prod-token-secret").dependsOn;
        const tokenUrn = (rec: Recorded, slot: string) => rec.one(TOKEN, `prod-token-${slot}`).urn;

        it("step 1: a second slot is created while the Secret stays on the first", async () => {
            const rec = await run({ tokenSlots: ["blue", "green"], activeTokenSlot: "blue" });
            assert.deepEqual(
                rec
                    .ofType(TOKEN)
                    .map((t) => t.inputs.name)
                    .sort(),
                ["prod-blue", "prod-green"],
            );
            assert.ok(
                secretDeps(rec).includes(tokenUrn(rec, "blue")) && !secretDeps(rec).includes(tokenUrn(rec, "green")),
            );
            assert.deepEqual(secretInputs.get("prod-token-secret")?.stringData, { token: "glagent-prod-token-blue" });
        });

        it("step 2: switching the active slot moves the Secret to the other token, both tokens still declared", async () => {
            const rec = await run({ tokenSlots: ["blue", "green"], activeTokenSlot: "green" });
            assert.equal(rec.ofType(TOKEN).length, 2, "the old token is not deleted before the Secret moved on");
            assert.ok(
                secretDeps(rec).includes(tokenUrn(rec, "green")) && !secretDeps(rec).includes(tokenUrn(rec, "blue")),
            );
            assert.deepEqual(secretInputs.get("prod-token-secret")?.stringData, { token: "glagent-prod-token-green" });
            assert.equal(
                values(rec).podAnnotations["gitlab-platform/agent-token-slot"],
                "green",
                "pods restart onto the new token",
            );
        });

        it("step 3: dropping the old slot leaves one token", async () => {
            const rec = await run({ tokenSlots: ["green"], activeTokenSlot: "green" });
            assert.deepEqual(
                rec.ofType(TOKEN).map((t) => t.name),
                ["prod-token-green"],
            );
        });

        it("refuses an active slot without a token, and repeated slots", async () => {
            await assert.rejects(
                run({ tokenSlots: ["blue"], activeTokenSlot: "green" }),
                (err: unknown) =>
                    err instanceof InvalidArgsError &&
                    lines(err.problems).join("\n") ===
                        'activeTokenSlot: "green" has no token (expected one of tokenSlots: blue)',
            );
            assert.deepEqual(
                lines(validateGitLabAgent(resolveGitLabAgent("prod", { ...args, tokenSlots: ["blue", "blue"] }))),
                ["tokenSlots: blue, blue repeats a slot (expected each slot once; GitLab allows two tokens per agent)"],
            );
        });
    });

    it("validates the agent name, namespaces and access settings before declaring anything", async () => {
        const problems = lines(
            validateGitLabAgent(
                resolveGitLabAgent("Prod_Agent", {
                    ...args,
                    managedNamespaces: ["gitlab-agent"],
                    ciAccess: { projects: [] },
                    kasCaCert: "not a cert",
                }),
            ),
        );
        assert.deepEqual(problems, [
            `agentName: "Prod_Agent" is not a valid agent name (expected a DNS label: lowercase letters, digits and '-', not at either end, at most 63 characters)`,
            "kasCaCert: not a PEM certificate (expected -----BEGIN CERTIFICATE----- ...)",
            'managedNamespaces: includes the agent\'s own namespace "gitlab-agent" (expected application namespaces only: admin there could read the agent token)',
            "ciAccess: no projects or groups (expected at least one entry, or leave ciAccess out)",
        ]);
        assert.deepEqual(lines(validateGitLabAgent(resolveGitLabAgent("a".repeat(64), args))).length, 1);
        const rec = await record(() => assert.throws(() => new GitLabAgent("Bad Name", args), InvalidArgsError), {
            mocks,
        });
        assert.equal(rec.ofType(AGENT).length, 0, "nothing declared");
    });

    it("makes the GitLab API calls wait for the component's dependsOn (a GitLab installed by the same stack)", async () => {
        const rec = await record(
            () => {
                const gitlab = new k8s.helm.v3.Release("gitlab", { chart: "gitlab" });
                new GitLabAgent("prod", args, { dependsOn: [gitlab] });
            },
            { mocks },
        );
        const gitlab = rec.one(RELEASE, "gitlab").urn;
        assert.ok(rec.one(AGENT).dependsOn.includes(gitlab) && rec.one(FILE).dependsOn.includes(gitlab));
    });

    it("allows one agent per cluster", () => {
        assert.deepEqual(lines(validateClusterAgents([{ name: "prod", args }])), []);
        assert.deepEqual(
            lines(
                validateClusterAgents([
                    { name: "prod", args },
                    { name: "extra", args: { ...args, agentName: "ci" } },
                ]),
            ),
            [
                "agents: 2 agents for one cluster (prod, ci) (expected one: authorize more projects and groups in its ciAccess instead)",
            ],
        );
    });
});
