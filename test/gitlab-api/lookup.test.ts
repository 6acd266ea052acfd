/**
 * GetGroup and GetProject (gitlabObjects.existing): on create they only read, a missing object or one
 * pending deletion fails with a named error, and delete leaves GitLab as it was.
 */
import { strict as assert } from "node:assert";
import { lookupProvider, validateLookup } from "../../components/gitlab-api/lookup";
import type { ProviderSettings } from "../../components/gitlab-api/provider-kit";
import { startFreshGitLab, type FreshGitLab } from "../helpers/gitlab-server-namespaces";
import { assertNoSecrets, FAST, rejection } from "./fixture";

describe("GetGroup and GetProject lookups (fresh GitLab)", () => {
    let gl: FreshGitLab;
    const logs: string[] = [];
    const settings = (): ProviderSettings => ({
        env: { GITLAB_TOKEN: gl.server.token, GITLAB_BASE_URL: gl.server.url },
        http: { ...FAST, log: (l) => logs.push(l) },
    });
    beforeEach(async () => {
        gl = await startFreshGitLab();
        logs.length = 0;
    });
    afterEach(async () => {
        try {
            assertNoSecrets(gl.server, logs);
        } finally {
            await gl.server.close();
        }
    });
    const writes = () => gl.server.requests.filter((r) => r.method !== "GET");

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
        const project = gl.namespaces.seedProject("acme/infra/cluster");
        const group = gl.namespaces.groupByPath("acme/infra")!;
        const g = await lookupProvider("group", settings()).create({ fullPath: "acme/infra" });
        assert.equal(g.id, String(group.id));
        assert.equal(g.outs!.groupId, group.id);
        assert.equal(g.outs!.fullPath, "acme/infra");
        const p = await lookupProvider("project", settings()).create({ pathWithNamespace: "acme/infra/cluster" });
        assert.equal(p.id, String(project.id));
        assert.equal(p.outs!.projectId, project.id);
        assert.equal(p.outs!.pathWithNamespace, "acme/infra/cluster");
        assert.deepEqual(
            gl.server.requests.map((r) => `${r.method} ${r.path}`),
            ["GET /groups/acme%2Finfra", "GET /projects/acme%2Finfra%2Fcluster"],
        );
    });

    it("a missing group or project fails with a named error and writes nothing", async () => {
        gl.namespaces.seedGroup("acme");
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
        const project = gl.namespaces.seedProject("acme/web");
        const provider = lookupProvider("project", settings());
        const found = await provider.create({ pathWithNamespace: "acme/web" });
        assert.deepEqual((await provider.read!(found.id, found.outs)).id, found.id);
        gl.namespaces.projects.get(project.id)!.marked_for_deletion_on = "2026-12-01";
        const err = await rejection(provider.create({ pathWithNamespace: "acme/web" }));
        assert.match(err.message, /project "acme\/web" is marked for deletion in GitLab \(since 2026-12-01\)/);
        assert.deepEqual(await provider.read!(found.id, found.outs), {});
    });

    it("delete leaves the object alone; a changed path replaces the lookup", async () => {
        gl.namespaces.seedGroup("acme");
        const provider = lookupProvider("group", settings());
        const found = await provider.create({ fullPath: "acme" });
        const before = gl.namespaces.live();
        await provider.delete!(found.id, found.outs!);
        assert.deepEqual(gl.namespaces.live(), before);
        assert.deepEqual(writes(), []);
        assert.deepEqual((await provider.diff!(found.id, found.outs!, { fullPath: "acme" })).changes, false);
        assert.deepEqual((await provider.diff!(found.id, found.outs!, { fullPath: "other" })).replaces, ["fullPath"]);
    });
});
