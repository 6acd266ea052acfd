import { strict as assert } from "node:assert";
import { clusterAgentProvider, validateClusterAgent } from "../../components/gitlab-api/cluster-agent";
import { UNKNOWN } from "../../components/gitlab-api/provider-kit";
import { assertNoSecrets, rejection, useGitLab } from "./fixture";

describe("ClusterAgent provider", () => {
    const h = useGitLab();
    const provider = () => clusterAgentProvider(h.settings());

    it("validates inputs with field-named messages, skipping unknown values", () => {
        assert.deepEqual(validateClusterAgent({ project: "group/app", name: "prod-1" }), []);
        assert.deepEqual(validateClusterAgent({ project: UNKNOWN, name: UNKNOWN }), []);
        assert.deepEqual(validateClusterAgent({ project: "group/app:x", name: "-Prod" }), [
            'project: "group/app:x" is not a project (expected a numeric project ID or a full path such as "group/project")',
            "name: \"-Prod\" is not a valid agent name (expected lowercase letters, digits and '-', not at either end, at most 63 characters)",
        ]);
        assert.equal(validateClusterAgent({ project: "7", name: "a".repeat(64) }).length, 1);
        assert.deepEqual(validateClusterAgent({ project: "7", name: "a".repeat(63) }), []);
    });

    it("check returns failures keyed by property", async () => {
        const result = await provider().check!({} as never, { project: "7", name: "Bad_Name" });
        assert.deepEqual(
            result.failures?.map((f) => f.property),
            ["name"],
        );
    });

    it("diff replaces on project or name, deleting first when the project reference changes", async () => {
        const olds = { project: "group/app", name: "prod", agentId: 4 };
        const p = provider();
        assert.deepEqual(await p.diff!("id", olds, { project: "group/app", name: "prod" }), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await p.diff!("id", olds, { project: "group/app", name: "prod2" }), {
            changes: true,
            replaces: ["name"],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await p.diff!("id", olds, { project: "1", name: "prod" }), {
            changes: true,
            replaces: ["project"],
            deleteBeforeReplace: true,
        });
    });

    it("creates, reads and deletes an agent; a project path works like an ID", async () => {
        const p = provider();
        const created = await p.create({ project: "group/app", name: "prod" });
        assert.equal(created.id, `group/app:${created.outs!.agentId}`);
        assert.deepEqual(
            { ...created.outs, createdAt: undefined },
            {
                project: "group/app",
                name: "prod",
                agentId: created.outs!.agentId,
                createdAt: undefined,
                createdByUserId: 1,
            },
        );
        assert.equal(h.server.requests[0].path, "/projects/group%2Fapp/cluster_agents");
        const read = await p.read!(created.id, created.outs);
        assert.deepEqual(read, { id: created.id, props: created.outs });
        await p.delete!(created.id, created.outs!);
        assert.equal(h.server.agents.size, 0);
    });

    it("refuses to take over an agent it did not create, naming it and the way in (contract: it was adopted)", async () => {
        const p = provider();
        const first = await p.create({ project: "1", name: "prod" });
        const err = await rejection(p.create({ project: "1", name: "prod" }));
        const id = `1:${first.outs!.agentId}`;
        assert.match(err.message, /^ClusterAgent "prod" in project 1 already exists and this stack did not create it/);
        assert.ok(
            err.message.includes(`adopt: true on this resource`) &&
                err.message.includes(`pulumi import gitlab:index/clusterAgent:ClusterAgent <resource name> '${id}'`),
            err.message,
        );
        assert.equal(h.server.agents.size, 1);
        // destroying the refused resource cannot delete the first stack's agent: it was never created
        assert.deepEqual(h.server.requestsTo("DELETE", /cluster_agents/), []);
    });

    it("takes an existing agent over only with adopt: true", async () => {
        const p = provider();
        const first = await p.create({ project: "1", name: "prod" });
        const adopted = await p.create({ project: "1", name: "prod", adopt: true });
        assert.equal(adopted.id, first.id);
        assert.equal(adopted.outs!.adopt, true);
        assert.deepEqual(h.server.requests.map((r) => `${r.method} ${r.path} ${r.status}`).slice(1), [
            "POST /projects/1/cluster_agents 400",
            "GET /projects/1/cluster_agents 200",
        ]);
    });

    it("does not replay the register POST after a lost answer: the error says to check and adopt", async () => {
        h.server.inject({ method: "POST", drop: "after" });
        const err = await rejection(provider().create({ project: "1", name: "prod" }));
        assert.match(
            err.message,
            /not retried: this request creates an object and may have reached GitLab; .*adopt: true once/,
        );
        assert.equal(h.server.requestsTo("POST", /cluster_agents$/).length, 1);
    });

    it("refuses a malformed answer instead of storing it (contract: [] became agent NaN)", async () => {
        h.server.inject({ method: "POST", status: 201, body: [] });
        const err = await rejection(provider().create({ project: "1", name: "prod" }));
        assert.equal(err.message, "cluster agent: GitLab answered an empty array (expected a JSON object)");
        h.server.inject({ method: "POST", status: 201, body: { id: "7", name: "prod" } });
        assert.equal(
            (await rejection(provider().create({ project: "1", name: "prod" }))).message,
            "cluster agent: field id is a string (expected a positive integer)",
        );
    });

    it("detects deletion on refresh and treats deleting a deleted agent as done", async () => {
        const p = provider();
        const created = await p.create({ project: "1", name: "prod" });
        h.server.agents.clear();
        assert.deepEqual(await p.read!(created.id, created.outs), {});
        await p.delete!(created.id, created.outs!);
        assert.equal(h.server.requests.at(-1)?.status, 404);
    });

    it("reads the token and URL from the stack config given to configure", async () => {
        const p = clusterAgentProvider({ env: {}, http: h.settings().http });
        const config = { "gitlab:token": h.server.token, "gitlab:baseUrl": h.server.url } as Record<string, string>;
        await p.configure!({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
        assert.equal((await p.create({ project: "1", name: "prod" })).outs!.name, "prod");
        const unconfigured = await rejection(clusterAgentProvider({ env: {} }).create({ project: "1", name: "x" }));
        assert.match(unconfigured.message, /GitLab API token missing/);
    });

    it("refuses a base URL that is missing (contract: fell back to gitlab.com)", async () => {
        const err = await rejection(
            clusterAgentProvider({ env: { GITLAB_TOKEN: h.server.token } }).create({ project: "1", name: "x" }),
        );
        assert.match(
            err.message,
            /^GitLab API URL missing: set the stack config gitlab:baseUrl or the GITLAB_BASE_URL environment variable/,
        );
    });

    it("retries a 503 on register and logs nothing secret", async () => {
        h.server.inject({ method: "POST", status: 503, times: 2 });
        await provider().create({ project: "1", name: "prod" });
        assert.equal(h.logs.length, 2);
        assertNoSecrets(h.server, h.logs);
    });
});
