/** The note tool against a local server speaking GitLab's merge-request notes API. */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { NOTES_PER_PAGE, NoteError, publishNote, targetFromEnv } from "../../tools/mr-note/gitlab";
import { ROOT } from "../helpers/pulumi";
import { FakeGitLab } from "./fake-gitlab";

const run = promisify(execFile);
const TOKEN = "glpat-Sentinel-Zq8xV3-never-print";
const MARKER = "<!-- gitlab-platform:plan:dev -->";

describe("MR note: GitLab notes API", () => {
    let gitlab: FakeGitLab;
    let env: Record<string, string>;

    beforeEach(async () => {
        gitlab = new FakeGitLab({ token: TOKEN, projectId: "42", mergeRequestIid: 7 });
        const api = await gitlab.start();
        env = {
            CI_API_V4_URL: api,
            CI_PROJECT_ID: "42",
            CI_MERGE_REQUEST_IID: "7",
            CI_JOB_URL: "https://gitlab.example.com/g/p/-/jobs/9",
            CI_COMMIT_SHORT_SHA: "abc1234",
            GITLAB_TOKEN: TOKEN,
        };
    });
    afterEach(() => gitlab.stop());

    const noteOf = (markdown: string) =>
        `${MARKER}\n${markdown}\n\n<sub>Written by the [plan job](https://gitlab.example.com/g/p/-/jobs/9) for abc1234; each pipeline updates this note.</sub>\n`;

    it("creates the note when the merge request has none of its own", async () => {
        gitlab.addNote("LGTM");
        gitlab.addNote(`> quoting ${MARKER}`);
        const result = await publishNote(env, { kind: "plan", stack: "dev", markdown: "first" });
        assert.deepEqual(result, { action: "created", noteId: 3 });
        assert.equal(gitlab.notes[2].body, noteOf("first"));
        assert.deepEqual(
            gitlab.requests.map((r) => `${r.method} ${r.path}`),
            ["GET /api/v4/projects/42/merge_requests/7/notes", "POST /api/v4/projects/42/merge_requests/7/notes"],
        );
        assert.deepEqual(gitlab.requests[0].query, {
            sort: "asc",
            order_by: "created_at",
            per_page: String(NOTES_PER_PAGE),
        });
    });

    it("updates its own note in place, found on a later page, and leaves the other stack's note alone", async () => {
        for (let i = 0; i < 230; i++) gitlab.addNote(`comment ${i}`);
        gitlab.addNote("<!-- gitlab-platform:plan:prod -->\nprod");
        gitlab.addNote("system: added 1 commit", { system: true });
        const mine = gitlab.addNote(noteOf("old"));
        for (let i = 0; i < 5; i++) gitlab.addNote(`later ${i}`);

        const result = await publishNote(env, { kind: "plan", stack: "dev", markdown: "new" });
        assert.deepEqual(result, { action: "updated", noteId: mine.id });
        assert.equal(mine.body, noteOf("new"));
        assert.equal(gitlab.notes.find((n) => n.id === 231)!.body, "<!-- gitlab-platform:plan:prod -->\nprod");
        assert.deepEqual(
            gitlab.requests.map((r) => `${r.method} ${r.path} ${r.query.page ?? 1}`),
            [
                "GET /api/v4/projects/42/merge_requests/7/notes 1",
                "GET /api/v4/projects/42/merge_requests/7/notes 2",
                "GET /api/v4/projects/42/merge_requests/7/notes 3",
                `PUT /api/v4/projects/42/merge_requests/7/notes/${mine.id} 1`,
            ],
        );
        assert.equal(gitlab.notes.length, 238, "no new note");
    });

    it("skips without a token (forks) or outside a merge request, before any request", async () => {
        const { GITLAB_TOKEN: _token, ...fork } = env;
        assert.deepEqual(await publishNote(fork, { kind: "plan", stack: "dev", markdown: "x" }), {
            action: "skipped",
            reason: "GITLAB_TOKEN is not set (as in merge requests from forks, or when the variable is protected and the branch is not): the note is not posted; the report stays in the job's artifacts",
        });
        const { CI_MERGE_REQUEST_IID: _iid, ...branch } = env;
        assert.deepEqual(await publishNote(branch, { kind: "plan", stack: "dev", markdown: "x" }), {
            action: "skipped",
            reason: "not a merge request pipeline (CI_MERGE_REQUEST_IID is not set): there is no merge request to write on",
        });
        assert.deepEqual(gitlab.requests, []);
    });

    it("refuses incomplete or malformed CI variables with the variable's name", () => {
        const { CI_PROJECT_ID: _p, ...noProject } = env;
        assert.throws(
            () => targetFromEnv(noProject),
            new NoteError("CI_PROJECT_ID not set (expected GitLab's predefined CI variables)"),
        );
        assert.throws(
            () => targetFromEnv({ ...env, CI_API_V4_URL: "https://gitlab.example.com" }),
            /^NoteError: CI_API_V4_URL: "https:\/\/gitlab.example.com" does not end in \/api\/v4/,
        );
        assert.throws(
            () => targetFromEnv({ ...env, CI_MERGE_REQUEST_IID: "seven" }),
            /CI_MERGE_REQUEST_IID: "seven" is not a merge request number/,
        );
    });

    const failures: Array<[number, string, string]> = [
        [
            401,
            "401 Unauthorized",
            "GitLab answered 401 Unauthorized to GET /api/v4/projects/42/merge_requests/7/notes: GitLab rejected the token in GITLAB_TOKEN (revoked, expired or mistyped)",
        ],
        [
            403,
            "403 Forbidden",
            "GitLab answered 403 Forbidden to GET /api/v4/projects/42/merge_requests/7/notes: the token in GITLAB_TOKEN may not write notes here (it needs the api scope and at least the Reporter role in the project)",
        ],
        [
            500,
            "500 Internal Server Error",
            "GitLab answered 500 Internal Server Error to GET /api/v4/projects/42/merge_requests/7/notes: GitLab failed to answer (server error); run the job again",
        ],
    ];
    for (const [status, message, expected] of failures) {
        it(`turns a ${status} into a clear error without the token`, async () => {
            gitlab.failWith = { status, message: `${message} (token ${TOKEN})` };
            const err = await publishNote(env, { kind: "plan", stack: "dev", markdown: "x" }).then(
                () => assert.fail("expected a failure"),
                (e: unknown) => e,
            );
            assert.ok(err instanceof NoteError);
            assert.equal(err.message, expected);
            assert.ok(!JSON.stringify({ message: err.message, stack: err.stack }).includes(TOKEN));
        });
    }

    it("reports a wrong token and an unreachable GitLab plainly", async () => {
        const wrong = await publishNote(
            { ...env, GITLAB_TOKEN: "glpat-wrong" },
            { kind: "plan", stack: "dev", markdown: "x" },
        ).catch((e: Error) => e);
        assert.match(String(wrong), /^NoteError: GitLab answered 401 Unauthorized to GET /);
        await gitlab.stop();
        const down = await publishNote(env, { kind: "plan", stack: "dev", markdown: "x" }).catch((e: Error) => e);
        assert.equal(String(down), `NoteError: could not talk to GitLab at ${env.CI_API_V4_URL}: ECONNREFUSED`);
    });

    it("runs as a command: skips without a token, exits 1 with the masked error otherwise", async () => {
        const tsx = path.join(ROOT, "node_modules/.bin/tsx");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mr-note-"));
        try {
            fs.writeFileSync(`${dir}/dev.md`, "### report\n");
            const args = ["tools/mr-note.ts", "--stack", "dev", "--file", `${dir}/dev.md`];
            // This test may itself run in a CI job (the pipeline's validate job): none of the job's own variables.
            const clean = Object.fromEntries(
                Object.entries(process.env).filter(([k]) => k !== "GITLAB_TOKEN" && !k.startsWith("CI_")),
            );
            const { GITLAB_TOKEN: _t, ...fork } = env;
            gitlab.failWith = { status: 403, message: "403 Forbidden" };
            const [skipped, failed] = await Promise.all([
                run(tsx, args, { cwd: ROOT, env: { ...clean, ...fork } }),
                run(tsx, args, { cwd: ROOT, env: { ...clean, ...env } }).then(
                    () => assert.fail("expected exit code 1"),
                    (e: { code: number; stdout: string; stderr: string }) => e,
                ),
            ]);
            assert.match(skipped.stdout, /^mr-note: skipped: GITLAB_TOKEN is not set /);
            assert.equal(failed.code, 1);
            assert.match(
                failed.stderr,
                /mr-note: GitLab answered 403 Forbidden to GET \/api\/v4\/projects\/42\/merge_requests\/7\/notes: /,
            );
            assert.ok(!failed.stderr.includes(TOKEN) && !failed.stdout.includes(TOKEN));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
