/**
 * GetGroup and GetProject (gitlabObjects.existing): on create they only read, a missing object or one
 * pending deletion fails with a named error, and delete leaves GitLab as it was.
 */
import { strict as assert } from "node:assert";
import { lookupProvider, validateLookup } from "../../components/gitlab-api/lookup";
import { rejection, useFreshGitLab } from "./fixture";

describe("GetGroup and GetProject lookups (fresh GitLab)", () => {
    const h = useFreshGitLab();
    const settings = h.settings;
    const writes = () => h.gl.server.requests.filter((r) => r.method !== "GET");

    it("validates the path with the data sources' field names", () => {
        assert.deepEqual(validateLookup("group", { fullPath: "apps/team" }), []);
        assert.deepEqual(validateLookup("group", {}), [
            'fullPath: missing (expected the group\'s full path, e.g. "apps/web")',
        ]);
        assert.deepEqual(validateLookup("project", { pathWithNamespace: "apps//web" }), [
            'pathWithNamespace: "apps//web" is not a full path (expected e.g. "apps" or "apps/web")',
        ]);
    });

    it("finds an existing group and project by full path, reading only", async () => {
        const project = h.gl.namespaces.seedProject("acme/infra/cluster");
        const group = h.gl.namespaces.groupByPath("acme/infra")!;
        const g = await lookupProvider("group", settings()).create({ fullPath: "acme/infra" });
        assert.equal(g.id, String(group.id));
        assert.equal(g.outs!.groupId, group.id);
        assert.equal(g.outs!.fullPath, "acme/infra");
        const p = await lookupProvider("project", settings()).create({ pathWithNamespace: "acme/infra/cluster" });
        assert.equal(p.id, String(project.id));
        assert.equal(p.outs!.projectId, project.id);
        assert.equal(p.outs!.pathWithNamespace, "acme/infra/cluster");
        assert.deepEqual(
            h.gl.server.requests.map((r) => `${r.method} ${r.path}`),
            ["GET /groups/acme%2Finfra", "GET /projects/acme%2Finfra%2Fcluster"],
        );
    });

    it("a missing group or project fails with a named error and writes nothing", async () => {
        h.gl.namespaces.seedGroup("acme");
        const g = await rejection(lookupProvider("group", settings()).create({ fullPath: "acme/infra" }));
        assert.equal(g.name, "GitLabObjectNotFoundError");
        assert.match(g.message, /^getGroup: group "acme\/infra" does not exist in GitLab \(expected an existing group/);
        const p = await rejection(lookupProvider("project", settings()).create({ pathWithNamespace: "acme/web" }));
        assert.match(
            p.message,
            /^getProject: project "acme\/web" does not exist in GitLab \(expected an existing project/,
        );
        assert.deepEqual(writes(), []);
        // A group is not a project: the project lookup of a group's path fails too.
        await rejection(lookupProvider("project", settings()).create({ pathWithNamespace: "acme" }));
    });

    it("an object pending deletion counts as missing; refresh drops a vanished one", async () => {
        const project = h.gl.namespaces.seedProject("acme/web");
        const provider = lookupProvider("project", settings());
        const found = await provider.create({ pathWithNamespace: "acme/web" });
        assert.deepEqual((await provider.read!(found.id, found.outs)).id, found.id);
        h.gl.namespaces.projects.get(project.id)!.marked_for_deletion_on = "2026-12-01";
        const err = await rejection(provider.create({ pathWithNamespace: "acme/web" }));
        assert.match(err.message, /project "acme\/web" is marked for deletion in GitLab \(since 2026-12-01\)/);
        assert.deepEqual(await provider.read!(found.id, found.outs), {});
    });

    it("delete leaves the object alone; a changed path replaces the lookup", async () => {
        h.gl.namespaces.seedGroup("acme");
        const provider = lookupProvider("group", settings());
        const found = await provider.create({ fullPath: "acme" });
        const before = h.gl.namespaces.live();
        await provider.delete!(found.id, found.outs!);
        assert.deepEqual(h.gl.namespaces.live(), before);
        assert.deepEqual(writes(), []);
        assert.deepEqual((await provider.diff!(found.id, found.outs!, { fullPath: "acme" })).changes, false);
        assert.deepEqual((await provider.diff!(found.id, found.outs!, { fullPath: "other" })).replaces, ["fullPath"]);
    });
});
