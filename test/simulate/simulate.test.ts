/**
 * `npm run simulate`: the committed workloads stacks pass a simulated first up, second up and destroy
 * against a fresh fake GitLab (dev-workloads with faults injected, reaching the same end state), and
 * every check of the simulation fails when its condition is broken.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { FAULT_KINDS } from "../../tools/simulate/faults";
import { simulateStack } from "../../tools/simulate/simulate-stack";

const ROOT = path.resolve(__dirname, "../..");
const FIXTURES = path.join(ROOT, "test/fixtures/stacks");

/** What a fresh GitLab holds after dev-workloads' first up (deploy-token dates masked). */
const DEV_WORKLOADS_INVENTORY = [
    "agent platform/gitlab-platform/dev-workloads",
    "agent-token dev-workloads-blue",
    "deploy-token flux-web-<date>",
    "deploy-token flux-web-<date>",
    "file platform/gitlab-platform:main:.gitlab/agents/dev-workloads/config.yaml",
    "group apps",
    "group platform",
    "project apps/web",
    "project platform/gitlab-platform",
    "runner instance_type general",
    "setting organization_cluster_agent_authorization_enabled=true",
];

describe("simulated first up (npm run simulate)", function () {
    this.timeout(180_000);

    it("dev-workloads with faults (429, 5xx, timeouts, dropped connections) reaches the end state of a clean run", async () => {
        const report = await simulateStack({ dir: ROOT, stack: "dev-workloads", faults: [...FAULT_KINDS] });
        assert.deepEqual(report.problems, []);
        assert.deepEqual(report.inventory, DEV_WORKLOADS_INVENTORY);
        assert.ok(report.faulted >= 10, `only ${report.faulted} faults hit`);
        // Four requests were accepted and never answered: each ended at the (shortened) per-attempt timeout.
        assert.equal(report.retries.filter((l) => /: request timed out after 4000 ms; attempt 2\//.test(l)).length, 4);
        const phases = Object.fromEntries(report.phases.map((p) => [p.name, p]));
        assert.equal(phases.up.created, 11);
        assert.equal(phases["second up"].unchanged, 11);
        assert.equal(phases.destroy.deleted, 11);
    });

    it("prod-workloads: platform outputs through the StackReference, up, unchanged second up, clean destroy", async () => {
        const report = await simulateStack({ dir: ROOT, stack: "prod-workloads" });
        assert.deepEqual(report.problems, []);
        assert.ok(report.inventory.includes("runner instance_type heavy"));
        assert.ok(report.inventory.includes("group apps") && report.inventory.includes("project apps/web"));
        assert.equal(report.phases[0].name, "platform outputs");
    });

    describe("existing groups and projects (gitlabObjects.existing)", () => {
        const existing = (hooks: Parameters<typeof simulateStack>[0]["hooks"]) =>
            simulateStack({ dir: FIXTURES, stack: "sim-existing", hooks });

        it("are looked up, never created, changed or deleted; the stack's own objects come and go", async () => {
            const report = await existing({});
            assert.deepEqual(report.problems, []);
            assert.deepEqual(report.inventory, [
                "agent acme/infra/cluster/sim",
                "agent-token sim-blue",
                "file acme/infra/cluster:main:.gitlab/agents/sim/config.yaml",
                "group acme-new",
                "project acme-new/web",
            ]);
            const phases = Object.fromEntries(report.phases.map((p) => [p.name, p]));
            assert.equal(phases.up.created, 7, "2 lookups, a group, a project, the agent, its token, its file");
            assert.equal(phases["second up"].unchanged, 7);
        });

        it("a missing one fails the up with a named error before anything is written to GitLab", async () => {
            let after: string[] = [];
            await assert.rejects(
                existing({
                    withhold: ["acme/infra/cluster"],
                    onError: (gl) => {
                        after = gl.server.requests.filter((r) => r.method !== "GET").map((r) => r.path);
                    },
                }),
                (e: Error) =>
                    e.message ===
                    'GitLab API step failed: getProject: project "acme/infra/cluster" does not exist in GitLab (expected an existing project with this full path that the token\'s user can see: create it first, or let the stack create it by declaring it instead of naming it as existing)',
            );
            assert.deepEqual(after, [], "no group, project, agent, token or file was created");
        });
    });

    describe("each check can fail (small fixture stack)", () => {
        const small = (hooks: Parameters<typeof simulateStack>[0]["hooks"]) =>
            simulateStack({ dir: FIXTURES, stack: "sim-small", hooks });

        it("passes as declared", async () => {
            const report = await small({});
            assert.deepEqual(report.problems, []);
            assert.deepEqual(report.inventory, [
                "agent team/cluster/sim",
                "agent-token sim-blue",
                "file team/cluster:main:.gitlab/agents/sim/config.yaml",
                "group team",
                "project team/cluster",
            ]);
        });

        it("a group that exists already is refused, never adopted", async () => {
            await assert.rejects(
                small({ seed: { groups: ["team"] } }),
                /Group "team" already exists in GitLab \(id \d+\) and was not created by this stack: refusing to adopt it/,
            );
        });

        it("a second up that changes something is drift", async () => {
            const agent = {
                project: "team/cluster",
                name: "sim",
                kasAddress: "wss://kas.sim.example",
                ciAccess: { projects: [{ id: "team/cluster" }] },
            };
            const report = await small({ secondUpConfig: { "gitlab-platform:agent": JSON.stringify(agent) } });
            assert.ok(
                report.problems.some((p) =>
                    /^second up: update of .*RepositoryFile::sim-config \(drift in content\)/.test(p),
                ),
                report.problems.join("\n"),
            );
        });

        it("an object the destroy does not delete is a leftover", async () => {
            const report = await small({
                beforeDestroy: (state) => {
                    const urn = state.order.find((u) => u.endsWith("ClusterAgentToken::sim-token-blue"))!;
                    state.dynamic.delete(urn);
                    state.order.splice(state.order.indexOf(urn), 1);
                },
            });
            assert.deepEqual(report.problems, ["destroy: left behind: agent-token sim-blue"]);
        });

        it("an object the stack did not make must stay as it was", async () => {
            const report = await small({
                afterUp: (gl) => {
                    const keep = gl.namespaces.projectByPath("bystander/keep")!;
                    gl.namespaces.projects.delete(keep.id);
                },
            });
            assert.deepEqual(report.problems, [
                "destroy: touched what the stack did not make: project bystander/keep is gone or changed",
            ]);
        });
    });
});
