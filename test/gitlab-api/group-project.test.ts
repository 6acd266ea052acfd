import { strict as assert } from "node:assert";
import {
    applicationSettingsProvider,
    validateApplicationSettings,
} from "../../components/gitlab-api/application-settings";
import { groupProvider, validateGroup } from "../../components/gitlab-api/group";
import { projectProvider, validateProject } from "../../components/gitlab-api/project";
import { UNKNOWN } from "../../components/gitlab-api/provider-kit";
import { rejection, useFreshGitLab } from "./fixture";

describe("Group, Project and ApplicationSettings providers (fresh GitLab)", () => {
    const h = useFreshGitLab();
    const settings = h.settings;

    it("validates inputs with field-named messages, skipping unknown values", () => {
        assert.deepEqual(validateGroup({ name: "Apps", path: "apps" }), []);
        assert.deepEqual(validateGroup({ name: UNKNOWN, path: UNKNOWN, parentId: UNKNOWN as never }), []);
        assert.deepEqual(validateGroup({ name: "", path: "-apps", parentId: 0, visibilityLevel: "secret" as never }), [
            "name: missing or too long (expected a display name of 1-255 characters)",
            "path: \"-apps\" is not a group path (expected letters, digits, '_', '-' or '.', starting and ending with a letter or digit)",
            "parentId: 0 is not a group ID (expected a positive integer)",
            'visibilityLevel: "secret" is not a visibility (expected one of private, internal, public)',
        ]);
        assert.deepEqual(validateProject({ name: "Web", path: "web", namespaceId: 3 }), []);
        assert.deepEqual(validateProject({ name: "Web", path: "web.git" }), [
            "path: \"web.git\" is not a project path (expected letters, digits, '_', '-' or '.', starting and ending with a letter or digit)",
            "namespaceId: missing (expected the ID of the group the project lives in)",
        ]);
        assert.deepEqual(
            validateApplicationSettings({ organizationClusterAgentAuthorizationEnabled: "yes" as never }).length,
            1,
        );
    });

    it("creates a group, a subgroup and a project in it; the project's default branch exists", async () => {
        const groups = groupProvider(settings());
        const apps = await groups.create({ name: "Apps", path: "apps" });
        assert.equal(apps.id, String(apps.outs!.groupId));
        assert.equal(apps.outs!.fullPath, "apps");
        const team = await groups.create({ name: "Team", path: "team", parentId: apps.outs!.groupId });
        assert.equal(team.outs!.fullPath, "apps/team");
        const web = await projectProvider(settings()).create({
            name: "Web",
            path: "web",
            namespaceId: team.outs!.groupId,
        });
        assert.equal(web.outs!.pathWithNamespace, "apps/team/web");
        assert.deepEqual([...h.gl.server.projects.find((p) => p.path === "apps/team/web")!.branches], ["main"]);
        assert.deepEqual(h.gl.namespaces.live(), ["apps/", "apps/team/", "apps/team/web"]);
    });

    it("refuses a group or project that already exists, naming it and the import ID, and touches nothing", async () => {
        h.gl.namespaces.seedProject("apps/web");
        const existing = h.gl.namespaces.groupByPath("apps")!;
        const err = await rejection(groupProvider(settings()).create({ name: "Apps", path: "apps" }));
        assert.match(
            err.message,
            new RegExp(
                `Group "apps" already exists in GitLab \\(id ${existing.id}\\).*refusing to adopt.*import: "${existing.id}"`,
            ),
        );
        const perr = await rejection(
            projectProvider(settings()).create({ name: "Web", path: "web", namespaceId: existing.id }),
        );
        assert.match(perr.message, /Project "apps\/web" already exists/);
        assert.equal(h.gl.server.requestsTo("POST", /./).length, 0);
    });

    it("a create whose answer was lost is retried and keeps the object its first attempt made", async () => {
        h.gl.server.inject({ method: "POST", path: /^\/groups$/, drop: "after" });
        const created = await groupProvider(settings()).create({ name: "Apps", path: "apps" });
        assert.equal(h.gl.namespaces.groups.size, 1);
        assert.equal(created.outs!.groupId, [...h.gl.namespaces.groups.keys()][0]);
        assert.deepEqual(
            h.gl.server.requests.map((r) => `${r.method} ${r.path} ${r.status ?? r.fault}`),
            ["GET /groups/apps 404", "POST /groups drop after", "POST /groups 400", "GET /groups/apps 200"],
        );
    });

    it("a project in a namespace that does not exist fails naming namespaceId", async () => {
        const err = await rejection(
            projectProvider(settings()).create({ name: "Web", path: "web", namespaceId: 4242 }),
        );
        assert.match(err.message, /^namespaceId: no namespace 4242 in GitLab/);
    });

    it("diff: renames update in place, a new parent or namespace replaces; no change is no change", async () => {
        const g = groupProvider(settings());
        const olds = { name: "Apps", path: "apps", groupId: 5, fullPath: "apps", fullName: "Apps", webUrl: "" };
        assert.deepEqual(await g.diff!("5", olds, { name: "Apps", path: "apps" }), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await g.diff!("5", olds, { name: "Applications", path: "apps" }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await g.diff!("5", olds, { name: "Apps", path: "apps", parentId: 9 }), {
            changes: true,
            replaces: ["parentId"],
            deleteBeforeReplace: false,
        });
        const p = projectProvider(settings());
        const polds = {
            name: "Web",
            path: "web",
            namespaceId: 5,
            initializeWithReadme: true,
            projectId: 6,
            pathWithNamespace: "apps/web",
            webUrl: "",
        };
        assert.equal(
            (await p.diff!("6", polds, { name: "Web", path: "web", namespaceId: 5, initializeWithReadme: true }))
                .changes,
            false,
        );
        assert.deepEqual((await p.diff!("6", polds, { name: "Web", path: "web", namespaceId: 7 })).replaces, [
            "namespaceId",
        ]);
    });

    it("updates in place, reads back, and sees deletion (marked or gone) on refresh", async () => {
        const g = groupProvider(settings());
        const created = await g.create({ name: "Apps", path: "apps", description: "a" });
        const updated = await g.update!(created.id, created.outs!, { name: "Apps", path: "apps", description: "b" });
        assert.equal(updated.outs!.description, "b");
        assert.equal(h.gl.server.requestsTo("PUT", /^\/groups\/\d+$/).length, 1);
        const read = await g.read!(created.id, updated.outs);
        assert.equal(read.props!.description, "b");
        await g.delete!(created.id, updated.outs as never);
        assert.deepEqual(await g.read!(created.id, updated.outs), {});
        assert.deepEqual(h.gl.namespaces.live(), []);
    });

    it("delete marks for deletion; permanently removes on request; a deleted object is done", async () => {
        const groups = groupProvider(settings());
        const apps = await groups.create({ name: "Apps", path: "apps" });
        const sub = await groups.create({
            name: "Sub",
            path: "sub",
            parentId: apps.outs!.groupId,
            permanentlyRemoveOnDelete: true,
        });
        const projects = projectProvider(settings());
        const web = await projects.create({
            name: "Web",
            path: "web",
            namespaceId: apps.outs!.groupId,
            permanentlyDeleteOnDestroy: true,
        });
        await projects.delete!(web.id, web.outs!);
        assert.equal(h.gl.namespaces.projects.size, 0);
        assert.equal(h.gl.server.projects.length, 0);
        await groups.delete!(sub.id, sub.outs!);
        assert.equal(h.gl.namespaces.groups.size, 1);
        await groups.delete!(apps.id, apps.outs!);
        assert.ok(h.gl.namespaces.groups.get(apps.outs!.groupId)!.marked_for_deletion_on);
        await groups.delete!(sub.id, sub.outs!); // gone already: 404 is done
    });

    it("retries 429 and 5xx on every call and logs nothing secret", async () => {
        h.gl.server.inject({ status: 429, headers: { "retry-after": "0" } });
        h.gl.server.inject({ method: "POST", status: 503 });
        h.gl.server.inject({ method: "PUT", status: 502 });
        const g = groupProvider(settings());
        const created = await g.create({ name: "Apps", path: "apps" });
        await g.update!(created.id, created.outs!, { name: "Apps 2", path: "apps" });
        assert.equal(h.gl.namespaces.groupByPath("apps")!.name, "Apps 2");
        assert.equal(h.logs.length, 3);
    });

    it("ApplicationSettings sets the instance setting and restores the value it found on delete", async () => {
        const p = applicationSettingsProvider(settings());
        const created = await p.create({ organizationClusterAgentAuthorizationEnabled: true });
        assert.equal(h.gl.namespaces.settings.organization_cluster_agent_authorization_enabled, true);
        assert.deepEqual(created.outs!.previous, { organization_cluster_agent_authorization_enabled: false });
        assert.deepEqual((await p.read!(created.id, created.outs)).props, created.outs);
        assert.equal(
            (await p.diff!(created.id, created.outs!, { organizationClusterAgentAuthorizationEnabled: true })).changes,
            false,
        );
        await p.delete!(created.id, created.outs!);
        assert.equal(h.gl.namespaces.settings.organization_cluster_agent_authorization_enabled, false);
    });

    it("a non-administrator token is refused by the settings API with a scope-naming error", async () => {
        h.gl.server.scopes = ["read_api"];
        const err = await rejection(
            applicationSettingsProvider(settings()).create({ organizationClusterAgentAuthorizationEnabled: true }),
        );
        assert.match(err.message, /403.*`api` scope/);
    });
});
