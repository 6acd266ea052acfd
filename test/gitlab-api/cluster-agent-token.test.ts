import { strict as assert } from "node:assert";
import { clusterAgentProvider } from "../../components/gitlab-api/cluster-agent";
import { clusterAgentTokenProvider, validateClusterAgentToken } from "../../components/gitlab-api/cluster-agent-token";
import { assertNoSecrets, rejection, useGitLab } from "./fixture";

describe("ClusterAgentToken provider", () => {
    const h = useGitLab();
    const provider = () => clusterAgentTokenProvider(h.settings());
    const agent = async () =>
        (await clusterAgentProvider(h.settings()).create({ project: "group/app", name: "prod" })).outs!.agentId;

    it("validates inputs with field-named messages", () => {
        assert.deepEqual(validateClusterAgentToken({ project: "1", agentId: 3, name: "t", description: "d" }), []);
        assert.deepEqual(validateClusterAgentToken({ project: "1", agentId: 0, name: "" }), [
            "agentId: 0 is not an agent ID (expected a positive integer, e.g. ClusterAgent.agentId)",
            "name: missing or too long (expected 1 to 255 characters)",
        ]);
    });

    it("replaces on every input change (GitLab cannot edit a token), creating before revoking", async () => {
        const olds = { project: "1", agentId: 3, name: "blue", description: "d", token: "x", tokenId: 9 };
        assert.deepEqual(
            await provider().diff!("id", olds, { project: "1", agentId: 3, name: "green", description: "d" }),
            { changes: true, replaces: ["name"], deleteBeforeReplace: false },
        );
        assert.deepEqual(
            await provider().diff!("id", olds, { project: "1", agentId: 3, name: "blue", description: "d" }),
            { changes: false, replaces: [], deleteBeforeReplace: false },
        );
    });

    it("creates a token with a POST (not gitbeaker's GET), reads it back, revokes it on delete", async () => {
        const agentId = await agent();
        const p = provider();
        const created = await p.create({ project: "group/app", agentId, name: "blue", description: "first" });
        const outs = created.outs!;
        assert.match(outs.token, /^glagent-/);
        assert.equal(created.id, `group/app:${agentId}:${outs.tokenId}`);
        assert.deepEqual(
            h.server.requestsTo("POST", /\/tokens$/).map((r) => r.body),
            [{ name: "blue", description: "first" }],
        );
        const read = await p.read!(created.id, outs);
        assert.equal(read.props!.token, outs.token, "the value GitLab shows once is kept from state");
        assert.equal(read.props!.status, "active");
        await p.delete!(created.id, outs);
        assert.equal(h.server.agentTokens.get(outs.tokenId)!.status, "revoked");
        assert.deepEqual(await p.read!(created.id, outs), {}, "a revoked token reads as gone");
        await p.delete!(created.id, outs); // revoking again is fine (GitLab answers 204)
    });

    it("refuses a third active token with GitLab's message, and rotates blue/green within the limit", async () => {
        const agentId = await agent();
        const p = provider();
        const blue = await p.create({ project: "group/app", agentId, name: "blue" });
        const green = await p.create({ project: "group/app", agentId, name: "green" });
        const third = await rejection(p.create({ project: "group/app", agentId, name: "extra" }));
        assert.match(
            third.message,
            /^GitLab API POST \/projects\/group%2Fapp\/cluster_agents\/\d+\/tokens: 400 Bad Request: 400 Bad request - An agent can have only two active tokens at a time \(expected at most one other active token on agent \d+/,
        );
        // Rotation: green is live, consumers switch to it, blue is revoked, the next generation fits again.
        await p.delete!(blue.id, blue.outs!);
        const next = await p.create({ project: "group/app", agentId, name: "blue-2" });
        const active = [...h.server.agentTokens.values()].filter((t) => t.status === "active").map((t) => t.name);
        assert.deepEqual(active, ["green", "blue-2"]);
        assertNoSecrets(h.server, [third.message, ...h.logs]);
        assert.notEqual(next.outs!.token, green.outs!.token);
    });

    it("does not replay a create whose response was lost (it would orphan a token)", async () => {
        const agentId = await agent();
        h.server.inject({ method: "POST", path: /\/tokens$/, drop: "after" });
        const err = await rejection(provider().create({ project: "group/app", agentId, name: "blue" }));
        assert.match(err.message, /not retried: this request mints a token/);
        assert.equal(h.server.requestsTo("POST", /\/tokens$/).length, 1);
    });

    it("treats a deleted agent as a deleted token", async () => {
        const agentId = await agent();
        const p = provider();
        const created = await p.create({ project: "group/app", agentId, name: "blue" });
        h.server.agents.clear();
        assert.deepEqual(await p.read!(created.id, created.outs), {});
        await p.delete!(created.id, created.outs!);
    });
});
