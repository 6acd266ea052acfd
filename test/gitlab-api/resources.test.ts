import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import {
    ClusterAgent,
    ClusterAgentToken,
    ProjectDeployToken,
    ProjectVariable,
    RepositoryFile,
    UserRunner,
} from "../../components";
import { UNKNOWN } from "../../components/gitlab-api/provider-kit";
import { RecordingMonitor } from "../../tools/plan/engine";
import { record } from "../helpers/pulumi";
import { startGitLabServer } from "../helpers/gitlab-server";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- what the dynamic-provider host loads providers with
const requireFromString = require("require-from-string") as (code: string) => {
    handler(): pulumi.dynamic.ResourceProvider;
};

const API_TOKEN = "glpat-in-the-program-environment-0001";

/** Declares one of each resource, the way a component would wire them. */
function declareAll(): void {
    const agent = new ClusterAgent("agent", { project: "group/app", name: "prod" });
    new ClusterAgentToken("agent-token", {
        project: "group/app",
        agentId: agent.agentId,
        name: "blue",
        description: "agentk",
    });
    new UserRunner("runner", { runnerType: "group_type", groupId: 12, tagLists: ["k8s"], description: "k8s runner" });
    new ProjectDeployToken("registry", { project: "group/app", name: "flux", scopes: ["read_registry"] });
    new RepositoryFile("agent-config", {
        project: "group/app",
        branch: "main",
        filePath: ".gitlab/agents/prod/config.yaml",
        content: "ci_access: {}\n",
        commitMessage: "agent config",
    });
    new ProjectVariable("context", { project: "group/app", key: "KUBE_CONTEXT", value: "group/app:prod" });
}

/** Records the run while capturing each registration's additionalSecretOutputs (what the engine is told). */
async function recordWithSecretOutputs() {
    const secretOutputs = new Map<string, string[]>();
    const original = RecordingMonitor.prototype.registerResource;
    RecordingMonitor.prototype.registerResource = function (req, callback) {
        const r = req as unknown as { getName(): string; getAdditionalsecretoutputsList(): string[] };
        if (r.getName() !== "gitlab-platform-test") secretOutputs.set(r.getName(), r.getAdditionalsecretoutputsList());
        return original.call(this, req, callback);
    };
    const saved = process.env.GITLAB_TOKEN;
    process.env.GITLAB_TOKEN = API_TOKEN;
    try {
        // Like an engine after create: the agent reports its ID, so the token's input depends on it.
        const mocks: pulumi.runtime.Mocks = {
            newResource: (args) => ({
                id: `${args.name}-id`,
                state: args.type.endsWith(":ClusterAgent") ? { ...args.inputs, agentId: 42 } : args.inputs,
            }),
            call: (args) => args.inputs,
        };
        return { rec: await record(declareAll, { mocks }), secretOutputs };
    } finally {
        RecordingMonitor.prototype.registerResource = original;
        if (saved === undefined) delete process.env.GITLAB_TOKEN;
        else process.env.GITLAB_TOKEN = saved;
    }
}

describe("GitLab API dynamic resources under mocks", () => {
    let run: Awaited<ReturnType<typeof recordWithSecretOutputs>>;
    before(async () => {
        run = await recordWithSecretOutputs();
    });

    it("register with the dynamic type tokens named after @pulumi/gitlab's resources", () => {
        assert.deepEqual(
            run.rec.resources
                .filter((r) => r.custom)
                .map((r) => `${r.type}/${r.name}`)
                .sort(),
            [
                "pulumi-nodejs:dynamic/gitlab:ClusterAgent/agent",
                "pulumi-nodejs:dynamic/gitlab:ClusterAgentToken/agent-token",
                "pulumi-nodejs:dynamic/gitlab:ProjectDeployToken/registry",
                "pulumi-nodejs:dynamic/gitlab:ProjectVariable/context",
                "pulumi-nodejs:dynamic/gitlab:RepositoryFile/agent-config",
                "pulumi-nodejs:dynamic/gitlab:UserRunner/runner",
            ],
        );
    });

    it("pass the declared inputs, the variable's value as a secret, and depend on the agent for its token", () => {
        const strip = (name: string) => {
            const { __provider: _p, ...inputs } = run.rec.one(`pulumi-nodejs:dynamic/gitlab:${name}`).inputs;
            return inputs;
        };
        assert.deepEqual(strip("ProjectVariable"), { key: "KUBE_CONTEXT", project: "group/app", value: "[secret]" });
        assert.deepEqual(strip("UserRunner"), {
            description: "k8s runner",
            groupId: 12,
            runnerType: "group_type",
            tagLists: ["k8s"],
        });
        assert.deepEqual(strip("RepositoryFile"), {
            branch: "main",
            commitMessage: "agent config",
            content: "ci_access: {}\n",
            filePath: ".gitlab/agents/prod/config.yaml",
            project: "group/app",
        });
        const token = run.rec.one("pulumi-nodejs:dynamic/gitlab:ClusterAgentToken");
        assert.equal(token.inputs.agentId, 42);
        assert.deepEqual(token.dependsOn, [run.rec.one("pulumi-nodejs:dynamic/gitlab:ClusterAgent").urn]);
    });

    it("ask the engine to keep every token (and the variable value) secret", () => {
        assert.deepEqual(Object.fromEntries(run.secretOutputs), {
            agent: [],
            "agent-token": ["token"],
            runner: ["token"],
            registry: ["token"],
            "agent-config": [],
            context: ["value"],
        });
    });

    it("carry no API token: not in inputs, not in the serialized provider code", () => {
        const everything = JSON.stringify(run.rec.resources);
        assert.ok(!everything.includes(API_TOKEN));
        for (const r of run.rec.resources.filter((x) => x.custom)) {
            assert.equal(typeof r.inputs.__provider, "string");
            assert.ok(
                !/GITLAB_TOKEN\s*[:=]\s*["']/.test(r.inputs.__provider as string),
                `${r.name}: no captured token value`,
            );
        }
    });

    it("deserialize as the dynamic-provider host does, configure from the stack config and work", async () => {
        assert.equal(UNKNOWN, unknownValue, "validators recognise the SDK's unknown sentinel");
        const server = await startGitLabServer();
        try {
            const provider = requireFromString(
                run.rec.one("pulumi-nodejs:dynamic/gitlab:ClusterAgent").inputs.__provider as string,
            ).handler();
            const config: Record<string, string> = { "gitlab:token": server.token, "gitlab:baseUrl": server.url };
            await provider.configure!({ config: { get: (k) => config[k], require: (k) => config[k] } });
            assert.deepEqual(
                (await provider.check!({}, { project: "group/app", name: "Prod" })).failures?.map((f) => f.property),
                ["name"],
            );
            const created = await provider.create({ project: "group/app", name: "prod" });
            assert.equal(created.id, `group/app:${created.outs.agentId}`);
            assert.equal(server.requests[0].headers["private-token"], server.token);
        } finally {
            await server.close();
        }
    });
});
