import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { validateAgentAccess, type AgentAccessArgs } from "../../components/agent/access";
import { buildAgentConfigFile } from "../../components/agent/config-file";
import { lines } from "../helpers/problems";

const parsed = (args: AgentAccessArgs) => parse(buildAgentConfigFile(args)) as Record<string, unknown>;

describe("agent config file: buildAgentConfigFile", () => {
    it("authorizes projects with ci_job impersonation by default, and keeps default_namespace and environments", () => {
        const doc = parsed({
            ciAccess: {
                projects: [
                    { id: "platform/apps/web", defaultNamespace: "web", environments: ["staging", "review/*"] },
                    { id: "platform/apps/api" },
                ],
            },
        });
        assert.deepEqual(doc, {
            ci_access: {
                projects: [
                    {
                        id: "platform/apps/web",
                        default_namespace: "web",
                        environments: ["staging", "review/*"],
                        access_as: { ci_job: {} },
                    },
                    { id: "platform/apps/api", access_as: { ci_job: {} } },
                ],
            },
        });
    });

    it("authorizes groups with agent identity, protected branches and resource management", () => {
        const doc = parsed({
            ciAccess: {
                groups: [
                    { id: "platform", accessAs: { type: "agent" }, protectedBranchesOnly: true },
                    { id: "platform/review", resourceManagement: true },
                ],
            },
        });
        assert.deepEqual(doc, {
            ci_access: {
                groups: [
                    { id: "platform", protected_branches_only: true, access_as: { agent: {} } },
                    { id: "platform/review", access_as: { ci_job: {} }, resource_management: { enabled: true } },
                ],
            },
        });
    });

    it("renders a static impersonation identity with uid, groups and extra (key/val)", () => {
        const doc = parsed({
            ciAccess: {
                projects: [
                    {
                        id: "ops/deploy",
                        accessAs: {
                            type: "impersonate",
                            username: "system:serviceaccount:prod:deployer",
                            uid: "42",
                            groups: ["deployers"],
                            extra: [{ key: "team", values: ["ops"] }],
                        },
                    },
                ],
            },
        });
        assert.deepEqual((doc.ci_access as { projects: unknown[] }).projects[0], {
            id: "ops/deploy",
            access_as: {
                impersonate: {
                    username: "system:serviceaccount:prod:deployer",
                    uid: "42",
                    groups: ["deployers"],
                    extra: [{ key: "team", val: ["ops"] }],
                },
            },
        });
    });

    it("renders user_access (agent by default, user when asked) and the Flux webhook receiver", () => {
        assert.deepEqual(
            parsed({
                userAccess: { projects: ["platform/apps/web"], groups: ["platform"] },
                flux: { webhookReceiverUrl: "http://webhook-receiver.flux.svc.cluster.local" },
            }),
            {
                user_access: {
                    access_as: { agent: {} },
                    projects: [{ id: "platform/apps/web" }],
                    groups: [{ id: "platform" }],
                },
                flux: { webhook_receiver_url: "http://webhook-receiver.flux.svc.cluster.local" },
            },
        );
        assert.deepEqual(parsed({ userAccess: { accessAs: "user", groups: ["platform"] } }).user_access, {
            access_as: { user: {} },
            groups: [{ id: "platform" }],
        });
    });

    it("never writes numericId (it only shapes cluster RBAC) and marks the file as managed", () => {
        const text = buildAgentConfigFile({ ciAccess: { projects: [{ id: "a/b", numericId: 150 }] } });
        assert.match(text, /^# Managed by Pulumi/);
        assert.doesNotMatch(text, /150|numeric/i);
    });

    it("renders an empty document when nothing is configured", () => {
        assert.deepEqual(parsed({}), {});
    });
});

describe("agent config file: validateAgentAccess", () => {
    const cases: { name: string; args: AgentAccessArgs; problems: string[] }[] = [
        {
            name: "a valid configuration",
            args: { ciAccess: { projects: [{ id: "a/b", defaultNamespace: "apps" }] }, userAccess: { groups: ["a"] } },
            problems: [],
        },
        {
            name: "empty ci_access",
            args: { ciAccess: { projects: [], groups: [] } },
            problems: ["ciAccess: no projects or groups (expected at least one entry, or leave ciAccess out)"],
        },
        {
            name: "empty user_access",
            args: { userAccess: {} },
            problems: ["userAccess: no projects or groups (expected at least one, or leave userAccess out)"],
        },
        {
            name: "a project id without namespace and a duplicate",
            args: { ciAccess: { projects: [{ id: "web" }, { id: "a/b" }, { id: "a/b" }] } },
            problems: [
                'ciAccess.projects[0].id: "web" is not a path (expected a project path such as group/project)',
                "ciAccess.projects: a/b listed twice (expected each once; only one entry would apply)",
            ],
        },
        {
            name: "a bad default namespace and blank environment",
            args: { ciAccess: { groups: [{ id: "g", defaultNamespace: "Apps_1", environments: ["prod", " "] }] } },
            problems: [
                'ciAccess.groups[0].defaultNamespace: "Apps_1" is not a namespace name (expected a DNS label)',
                'ciAccess.groups[0].environments[1]: " " (expected an environment name or pattern without spaces)',
            ],
        },
        {
            name: "empty environments",
            args: { ciAccess: { groups: [{ id: "g", environments: [] }] } },
            problems: ["ciAccess.groups[0].environments: empty (expected at least one environment, or leave it out)"],
        },
        {
            name: "impersonation without a username",
            args: { ciAccess: { projects: [{ id: "a/b", accessAs: { type: "impersonate", username: "" } }] } },
            problems: ["ciAccess.projects[0].accessAs.username: empty (expected the identity to impersonate)"],
        },
        {
            name: "ci_job with impersonation fields (mixed modes)",
            args: { ciAccess: { projects: [{ id: "a/b", accessAs: { type: "ciJob", username: "x" } as never }] } },
            problems: [
                "ciAccess.projects[0].accessAs.username: not valid with type ciJob (expected only with type impersonate)",
            ],
        },
        {
            name: "an unknown access mode",
            args: { ciAccess: { projects: [{ id: "a/b", accessAs: { type: "user" } as never }] } },
            problems: [
                'ciAccess.projects[0].accessAs.type: unknown value "user" (expected "agent", "ciJob" or "impersonate")',
            ],
        },
        {
            name: "resource management with agent identity",
            args: { ciAccess: { projects: [{ id: "a/b", accessAs: { type: "agent" }, resourceManagement: true }] } },
            problems: [
                'ciAccess.projects[0].resourceManagement: needs per-job identities, got accessAs agent (expected accessAs { type: "ciJob" }: environment templates bind the CI job\'s groups)',
            ],
        },
        {
            name: "a non-integer numeric id",
            args: { ciAccess: { projects: [{ id: "a/b", numericId: 1.5 }] } },
            problems: ["ciAccess.projects[0].numericId: 1.5 (expected a positive integer)"],
        },
        {
            name: "an unknown user access mode",
            args: { userAccess: { accessAs: "ciJob" as never, groups: ["g"] } },
            problems: ['userAccess.accessAs: unknown value "ciJob" (expected "agent" or "user")'],
        },
        {
            name: "a Flux receiver that is no URL",
            args: { flux: { webhookReceiverUrl: "webhook-receiver" } },
            problems: [
                'flux.webhookReceiverUrl: "webhook-receiver" is neither a URL nor a service proxy path (expected http(s)://... or /api/v1/namespaces/<ns>/services/<svc>/proxy)',
            ],
        },
        {
            name: "a Flux service proxy path",
            args: {
                flux: { webhookReceiverUrl: "/api/v1/namespaces/flux-system/services/http:webhook-receiver:80/proxy" },
            },
            problems: [],
        },
    ];
    for (const c of cases) {
        it(`reports ${c.name}`, () => assert.deepEqual(lines(validateAgentAccess(c.args)), c.problems));
    }

    it("limits each list to 500 entries", () => {
        const projects = Array.from({ length: 501 }, (_, i) => ({ id: `g/p${i}` }));
        assert.deepEqual(lines(validateAgentAccess({ ciAccess: { projects } })), [
            "ciAccess.projects: 501 entries (expected at most 500)",
        ]);
    });
});
