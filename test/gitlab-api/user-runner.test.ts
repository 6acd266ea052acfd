import { strict as assert } from "node:assert";
import { userRunnerProvider, validateUserRunner } from "../../components/gitlab-api/user-runner";
import { UNKNOWN } from "../../components/gitlab-api/provider-kit";
import { assertNoSecrets, rejection, useGitLab } from "./fixture";

describe("UserRunner provider", () => {
    const h = useGitLab();
    const provider = () => userRunnerProvider(h.settings());

    it("validates type, owner consistency and settings with field-named messages", () => {
        const table: [Parameters<typeof validateUserRunner>[0], string[]][] = [
            [{ runnerType: "instance_type" }, []],
            [
                {
                    runnerType: "group_type",
                    groupId: 12,
                    tagLists: ["k8s"],
                    maximumTimeout: 3600,
                    accessLevel: "ref_protected",
                },
                [],
            ],
            [{ runnerType: "project_type", projectId: UNKNOWN as never }, []],
            [
                { runnerType: "shared" as never },
                ['runnerType: "shared" is not a runner type (expected instance_type, group_type, project_type)'],
            ],
            [
                { runnerType: "group_type" },
                ["groupId: missing (expected the group's numeric ID when runnerType is group_type)"],
            ],
            [
                { runnerType: "project_type", groupId: 3, projectId: 4 },
                ["groupId: set for a project_type runner (expected groupId only with runnerType group_type)"],
            ],
            [
                { runnerType: "instance_type", projectId: 4 },
                ["projectId: set for a instance_type runner (expected projectId only with runnerType project_type)"],
            ],
            [
                {
                    runnerType: "instance_type",
                    tagLists: ["ok", "a,b", ""],
                    maximumTimeout: 60,
                    accessLevel: "all" as never,
                },
                [
                    'tagLists[1]: "a,b" is not a tag (expected a non-empty name without commas)',
                    'tagLists[2]: "" is not a tag (expected a non-empty name without commas)',
                    'accessLevel: "all" is not an access level (expected not_protected or ref_protected)',
                    "maximumTimeout: 60 is too short (expected whole seconds, at least 600)",
                ],
            ],
        ];
        for (const [inputs, expected] of table)
            assert.deepEqual(validateUserRunner(inputs), expected, JSON.stringify(inputs));
    });

    it("replaces on scope or owner, updates description, tags (as a set) and paused in place", async () => {
        const olds = {
            runnerType: "group_type" as const,
            groupId: 12,
            description: "a",
            tagLists: ["x", "y"],
            paused: false,
            token: "t",
        };
        const p = provider();
        assert.deepEqual(
            await p.diff!("5", olds, { runnerType: "group_type", groupId: 12, description: "a", tagLists: ["y", "x"] }),
            { changes: false, replaces: [], deleteBeforeReplace: false },
        );
        assert.deepEqual(
            await p.diff!("5", olds, {
                runnerType: "group_type",
                groupId: 12,
                description: "b",
                tagLists: ["x"],
                paused: true,
            }),
            { changes: true, replaces: [], deleteBeforeReplace: false },
        );
        assert.deepEqual(await p.diff!("5", olds, { runnerType: "instance_type" }), {
            changes: true,
            replaces: ["runnerType"],
            deleteBeforeReplace: false,
        });
    });

    it("creates a runner (token once), updates it in place, detects drift and deletion", async () => {
        const p = provider();
        const created = await p.create({
            runnerType: "project_type",
            projectId: 1,
            description: "k8s",
            tagLists: ["k8s", "linux"],
            untagged: false,
            maximumTimeout: 3600,
        });
        const outs = created.outs!;
        assert.match(outs.token, /^glrt-/);
        assert.equal(created.id, String([...h.server.runners.keys()][0]));
        assert.deepEqual(h.server.requestsTo("POST", /^\/user\/runners$/)[0].body, {
            runner_type: "project_type",
            project_id: 1,
            description: "k8s",
            run_untagged: false,
            tag_list: ["k8s", "linux"],
            maximum_timeout: 3600,
        });
        assert.deepEqual(
            { ...outs, token: "-" },
            {
                runnerType: "project_type",
                projectId: 1,
                groupId: undefined,
                description: "k8s",
                paused: false,
                locked: false,
                untagged: false,
                tagLists: ["k8s", "linux"],
                accessLevel: "not_protected",
                maximumTimeout: 3600,
                maintenanceNote: undefined,
                token: "-",
            },
        );

        const updated = await p.update!(created.id, outs, {
            runnerType: "project_type",
            projectId: 1,
            description: "k8s-2",
            tagLists: ["k8s"],
            paused: true,
        });
        assert.equal(updated.outs!.token, outs.token);
        assert.deepEqual(
            [updated.outs!.description, updated.outs!.tagLists, updated.outs!.paused],
            ["k8s-2", ["k8s"], true],
        );

        h.server.runners.get(Number(created.id))!.tag_list = ["changed-by-hand"];
        const refreshed = await p.read!(created.id, updated.outs);
        assert.deepEqual(refreshed.props!.tagLists, ["changed-by-hand"]);
        assert.equal(
            (
                await p.diff!(created.id, refreshed.props!, {
                    runnerType: "project_type",
                    projectId: 1,
                    tagLists: ["k8s"],
                })
            ).changes,
            true,
            "drift shows as an update",
        );

        h.server.runners.clear();
        assert.deepEqual(await p.read!(created.id, outs), {});
        await p.delete!(created.id, outs); // already gone: done
        assertNoSecrets(h.server, h.logs);
    });

    it("names the create_runner scope when the token cannot create runners", async () => {
        h.server.scopes = ["read_api"];
        const err = await rejection(provider().create({ runnerType: "instance_type" }));
        assert.match(err.message, /403 Forbidden: the token lacks the `create_runner` scope/);
    });

    it("reads the owner back, so an imported runner shows no replacement (contract: groupId/projectId came back empty)", async () => {
        const p = provider();
        const group = await p.create({ runnerType: "group_type", groupId: 12, description: "g" });
        const imported = await p.read!(group.id, undefined as never);
        assert.equal(imported.props!.groupId, 12);
        assert.deepEqual(
            await p.diff!(group.id, imported.props!, { runnerType: "group_type", groupId: 12, description: "g" }),
            { changes: false, replaces: [], deleteBeforeReplace: false },
        );
        const project = await p.create({ runnerType: "project_type", projectId: 1 });
        assert.equal((await p.read!(project.id, undefined as never)).props!.projectId, 1);
    });

    it("removing an optional setting is a change back to GitLab's default (contract: it was ignored)", async () => {
        const p = provider();
        const created = await p.create({
            runnerType: "instance_type",
            description: "x",
            paused: true,
            tagLists: ["k8s"],
        });
        assert.deepEqual(await p.diff!(created.id, created.outs!, { runnerType: "instance_type" }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        await p.update!(created.id, created.outs!, { runnerType: "instance_type" });
        const r = h.server.runners.get(Number(created.id))!;
        assert.deepEqual([r.description, r.paused, r.tag_list], ["", false, []]);
    });

    it('never stores a missing minted token as "undefined" (contract: it did)', async () => {
        h.server.inject({ method: "POST", path: /^\/user\/runners$/, status: 201, body: { id: 99 } });
        const err = await rejection(provider().create({ runnerType: "instance_type" }));
        assert.equal(
            err.message,
            "new runner: field token is missing (expected a non-empty string); runner 99 was created without a usable token: delete it in GitLab (Admin > Runners or the API) and run again",
        );
    });

    it("names the api scope for what create_runner does not cover: reading and deleting the runner", async () => {
        h.server.scopes = ["create_runner"];
        const p = provider();
        const created = await p.create({ runnerType: "instance_type" });
        assert.match(created.outs!.token, /^glrt-/, "create_runner can create");
        const err = await rejection(p.delete!(created.id, created.outs!));
        assert.match(err.message, /^GitLab API DELETE \/runners\/\d+: 403 Forbidden: the token lacks the `api` scope/);
    });

    it("keeps the minted token even when the follow-up read fails", async () => {
        h.server.inject({ method: "GET", path: /^\/runners\//, status: 500 });
        const created = await provider().create({ runnerType: "instance_type", description: "x" });
        assert.match(created.outs!.token, /^glrt-/);
        assert.equal(created.outs!.description, "x");
    });
});
