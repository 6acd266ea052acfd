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
        assert.deepEqual(result.failures?.map((f) => f.property), ["name"]);
    });

    it("diff replaces on project or name, deleting first when the project reference changes", async () => {
        const olds = { project: "group/app", name: "prod", agentId: 4 };
        const p = provider();
        assert.deepEqual(await p.diff!("id", olds, { project: "group/app", name: "prod" }), { changes: false, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await p.diff!("id", olds, { project: "group/app", name: "prod2" }), { changes: true, replaces: ["name"], deleteBeforeReplace: false });
        assert.deepEqual(await p.diff!("id", olds, { project: "1", name: "prod" }), { changes: true, replaces: ["project"], deleteBeforeReplace: true });
    });

    it("creates, reads and deletes an agent; a project path works like an ID", async () => {
        const p = provider();
        const created = await p.create({ project: "group/app", name: "prod" });
        assert.equal(created.id, `group/app:${created.outs!.agentId}`);
        assert.deepEqual({ ...created.outs, createdAt: undefined }, { project: "group/app", name: "prod", agentId: created.outs!.agentId, createdAt: undefined, createdByUserId: 1 });
        assert.equal(h.server.requests[0].path, "/projects/group%2Fapp/cluster_agents");
        const read = await p.read!(created.id, created.outs);
        assert.deepEqual(read, { id: created.id, props: created.outs });
        await p.delete!(created.id, created.outs!);
        assert.equal(h.server.agents.size, 0);
    });

    it("adopts an agent that already exists (a retried create) instead of failing", async () => {
        const p = provider();
        const first = await p.create({ project: "1", name: "prod" });
        const again = await p.create({ project: "1", name: "prod" });
        assert.equal(again.id, first.id);
        assert.equal(h.server.agents.size, 1);
        assert.deepEqual(h.server.requests.map((r) => `${r.method} ${r.path} ${r.status}`), [
            "POST /projects/1/cluster_agents 201",
            "POST /projects/1/cluster_agents 400",
            "GET /projects/1/cluster_agents 200",
        ]);
    });

    it("survives a lost response on create: the retry adopts what the first attempt made", async () => {
        h.server.inject({ method: "POST", drop: "after" });
        const created = await provider().create({ project: "1", name: "prod" });
        assert.equal(h.server.agents.size, 1);
        assert.equal(created.outs!.agentId, [...h.server.agents.keys()][0]);
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

    it("retries a 503 on register and logs nothing secret", async () => {
        h.server.inject({ method: "POST", status: 503, times: 2 });
        await provider().create({ project: "1", name: "prod" });
        assert.equal(h.logs.length, 2);
        assertNoSecrets(h.server, h.logs);
    });
});
