import { strict as assert } from "node:assert";
import {
    repositoryFileProvider,
    validateRepositoryFile,
    type RepositoryFileInputs,
} from "../../components/gitlab-api/repository-file";
import { rejection, useGitLab } from "./fixture";

describe("RepositoryFile provider", () => {
    const h = useGitLab();
    const provider = () => repositoryFileProvider(h.settings());
    const file = (more: Partial<RepositoryFileInputs> = {}): RepositoryFileInputs => ({
        project: "group/app",
        branch: "main",
        filePath: ".gitlab/agents/prod/config.yaml",
        content: "ci_access: {}\n",
        encoding: "text",
        commitMessage: "agent config",
        ...more,
    });
    const stored = () => [...h.server.files.values()].map((f) => f.content.toString("utf8"));

    it("validates paths, encodings and commit messages with field-named messages", async () => {
        assert.deepEqual(validateRepositoryFile(file()), []);
        assert.deepEqual(
            validateRepositoryFile({
                ...file({ filePath: "/etc/passwd", encoding: "base64", content: "not base64!" }),
                commitMessage: undefined,
                createCommitMessage: "c",
            }),
            [
                "filePath: \"/etc/passwd\" is not a repository path (expected a relative path without a leading '/' or './' and without '..')",
                "content: not valid base64 (expected base64 when encoding is base64)",
                "commitMessage: missing (expected commitMessage, or all of createCommitMessage, updateCommitMessage and deleteCommitMessage)",
            ],
        );
        const checked = await provider().check!({} as never, { ...file(), encoding: undefined as never });
        assert.equal(checked.inputs!.encoding, "text", "check applies the default encoding");
    });

    it("updates on content, replaces on path, and compares content as bytes across encodings", async () => {
        const p = provider();
        const olds = file();
        assert.equal(
            (
                await p.diff!(
                    "id",
                    olds,
                    file({ content: Buffer.from("ci_access: {}\n").toString("base64"), encoding: "base64" }),
                )
            ).changes,
            false,
        );
        assert.deepEqual(await p.diff!("id", olds, file({ content: "x" })), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await p.diff!("id", olds, file({ filePath: "other.yaml" })), {
            changes: true,
            replaces: ["filePath"],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await p.diff!("id", olds, file({ project: "1" })), {
            changes: true,
            replaces: ["project"],
            deleteBeforeReplace: true,
        });
    });

    it("creates, updates, reads and deletes a file under a URL-encoded path", async () => {
        const p = provider();
        const created = await p.create(file());
        assert.equal(created.id, "group/app:main:.gitlab/agents/prod/config.yaml");
        assert.equal(
            h.server.requests[0].path,
            "/projects/group%2Fapp/repository/files/.gitlab%2Fagents%2Fprod%2Fconfig.yaml",
        );
        assert.equal(created.outs!.content, "ci_access: {}\n");
        assert.equal(created.outs!.fileName, "config.yaml");
        const updated = await p.update!(created.id, created.outs!, file({ content: "ci_access: {projects: []}\n" }));
        assert.deepEqual(stored(), ["ci_access: {projects: []}\n"]);
        assert.notEqual(updated.outs!.lastCommitId, created.outs!.lastCommitId);
        await p.delete!(created.id, updated.outs!);
        assert.equal(h.server.files.size, 0);
        const del = h.server.requestsTo("DELETE", /config\.yaml$/)[0];
        assert.deepEqual(del.query, { branch: "main", commit_message: "agent config" });
        await p.delete!(created.id, updated.outs!); // GitLab: 400 "A file with this name doesn't exist": done
    });

    it("refuses to take over an existing file, even with the same content (contract: it was adopted); adopt or overwriteOnCreate take it", async () => {
        const p = provider();
        await p.create(file());
        const refused = await rejection(p.create(file()));
        assert.match(
            refused.message,
            /^RepositoryFile \.gitlab\/agents\/prod\/config\.yaml on branch main of project group\/app already exists and this stack did not create it/,
        );
        assert.ok(
            refused.message.includes(
                "pulumi import gitlab:index/repositoryFile:RepositoryFile <resource name> 'group/app:main:.gitlab/agents/prod/config.yaml'",
            ),
        );
        const again = await p.create(file({ adopt: true }));
        assert.equal(again.outs!.content, "ci_access: {}\n");
        assert.equal(h.server.requestsTo("PUT", /config\.yaml$/).length, 0, "identical content: no commit");
        await p.create(file({ content: "managed\n", overwriteOnCreate: true }));
        assert.deepEqual(stored(), ["managed\n"]);
    });

    it("deletes an imported file, whose state holds no commit message (contract: DELETE went without commit_message)", async () => {
        const p = provider();
        await p.create(file());
        const imported = await p.read!("group/app:main:.gitlab/agents/prod/config.yaml", undefined as never);
        assert.equal(imported.props!.commitMessage, undefined);
        await p.delete!("group/app:main:.gitlab/agents/prod/config.yaml", imported.props!);
        assert.equal(h.server.files.size, 0);
        assert.equal(
            h.server.requestsTo("DELETE", /config\.yaml$/)[0].query.commit_message,
            "Delete file managed by gitlab-platform: .gitlab/agents/prod/config.yaml",
        );
    });

    it("the fake GitLab refuses a DELETE without commit_message, as GitLab does", async () => {
        await provider().create(file());
        const res = await fetch(
            `${h.server.url}/projects/1/repository/files/${encodeURIComponent(".gitlab/agents/prod/config.yaml")}?branch=main`,
            { method: "DELETE", headers: { "PRIVATE-TOKEN": h.server.token } },
        );
        assert.deepEqual([res.status, await res.json()], [400, { error: "commit_message is missing" }]);
    });

    it("serializes commits to one project and retries when another writer moved the branch (contract: concurrent commits failed)", async () => {
        h.server.commitDelayMs = 30;
        const p = repositoryFileProvider({ ...h.settings(), commitRetryDelayMs: 5 });
        const paths = ["a.yaml", "b.yaml", "c.yaml"];
        await Promise.all(paths.map((filePath) => p.create(file({ filePath }))));
        assert.equal(h.server.files.size, 3);
        assert.deepEqual(
            h.server.requestsTo("POST", /files\//).map((r) => r.status),
            [201, 201, 201],
            "one commit at a time: no conflict",
        );
        // Another writer (a person, another stack) holds the branch: the provider waits and retries.
        const other = fetch(`${h.server.url}/projects/1/repository/files/other.yaml`, {
            method: "POST",
            headers: { "PRIVATE-TOKEN": h.server.token, "content-type": "application/json" },
            body: JSON.stringify({ branch: "main", content: "x", commit_message: "by hand" }),
        });
        await new Promise((resolve) => setTimeout(resolve, 5));
        await p.update!("id", file({ filePath: "a.yaml" }), file({ filePath: "a.yaml", content: "changed\n" }));
        await other;
        const statuses = h.server.requestsTo("PUT", /a\.yaml$/).map((r) => r.status);
        assert.equal(statuses[0], 400, "the branch was busy");
        assert.equal(statuses.at(-1), 200, "retried until the branch was free");
    });

    it("removing executeFilemode is a change back to a plain file (contract: it was ignored)", async () => {
        const p = provider();
        const created = await p.create(file({ executeFilemode: true }));
        assert.deepEqual(await p.diff!(created.id, created.outs!, file()), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        await p.update!(created.id, created.outs!, file());
        assert.deepEqual(
            [...h.server.files.values()].map((f) => f.execute_filemode),
            [false],
        );
    });

    it("detects drift and deletion on refresh; an update recreates a file deleted by hand", async () => {
        const p = provider();
        const created = await p.create(file());
        h.server.files.forEach((f) => (f.content = Buffer.from("edited in the UI\n")));
        const refreshed = await p.read!(created.id, created.outs);
        assert.equal(refreshed.props!.content, "edited in the UI\n");
        assert.equal((await p.diff!(created.id, refreshed.props!, file())).changes, true);
        h.server.files.clear();
        assert.deepEqual(await p.read!(created.id, created.outs), {});
        await p.update!(created.id, created.outs!, file());
        assert.deepEqual(stored(), ["ci_access: {}\n"]);
    });
});
