/** The note body: marker, footer, cutting long reports without breaking their Markdown. */
import { strict as assert } from "node:assert";
import { composeNote, NOTE_BODY_LIMIT_BYTES, noteMarker, textAsMarkdown } from "../../tools/mr-note/note";

const JOB = "https://gitlab.example.com/group/project/-/jobs/42";

describe("MR note body", () => {
    it("starts with a hidden marker per kind and stack", () => {
        assert.equal(noteMarker("plan", "dev"), "<!-- gitlab-platform:plan:dev -->");
        assert.equal(
            noteMarker("preview", "acme/gitlab-platform/prod"),
            "<!-- gitlab-platform:preview:acme/gitlab-platform/prod -->",
        );
        assert.throws(
            () => noteMarker("plan", "dev -->"),
            /^Error: stack: "dev -->" is not a stack name \(expected letters, digits, "\.", "_", "-", "\/"\)$/,
        );
    });

    it("wraps the report with the marker and a footer naming the job and commit", () => {
        assert.equal(
            composeNote({
                kind: "plan",
                stack: "dev",
                markdown: "### Plan diff\n\nbody\n\n",
                jobUrl: JOB,
                commit: "abc1234",
            }),
            `<!-- gitlab-platform:plan:dev -->\n### Plan diff\n\nbody\n\n<sub>Written by the [plan job](${JOB}) for abc1234; each pipeline updates this note.</sub>\n`,
        );
    });

    it("keeps the whole report when it fits, and a safe bound below GitLab's 1,000,000-character limit", () => {
        assert.ok(NOTE_BODY_LIMIT_BYTES < 1_000_000);
        const markdown = "x".repeat(1000);
        assert.ok(composeNote({ kind: "plan", stack: "dev", markdown, limitBytes: 1200 }).includes(markdown));
    });

    it("cuts a long report at a line, closes an open fence and details, and links the artifacts", () => {
        const markdown = [
            "# report",
            "<details><summary>all</summary>",
            "",
            "```mermaid",
            ...Array.from({ length: 400 }, (_, i) => `  r${i} --> r${i + 1}`),
            "```",
            "</details>",
        ].join("\n");
        const note = composeNote({ kind: "plan", stack: "dev", markdown, jobUrl: JOB, limitBytes: 2000 });
        assert.ok(Buffer.byteLength(note) <= 2000, `${Buffer.byteLength(note)} bytes`);
        const [head, tail] = note.split("\n> **Cut short**");
        assert.match(
            head,
            /\n {2}r\d+ --> r\d+\n```\n<\/details>\n$/,
            "ends with the last whole line, then the closings",
        );
        assert.equal(
            tail,
            `: the whole report (${Buffer.byteLength(markdown)} bytes) is longer than a note may be; it is in the [job's artifacts](${JOB}/artifacts/browse).\n\n<sub>Written by the [plan job](${JOB}); each pipeline updates this note.</sub>\n`,
        );
    });

    it("counts bytes, not characters, when cutting", () => {
        const markdown = Array.from({ length: 200 }, () => "é".repeat(20)).join("\n");
        const note = composeNote({ kind: "plan", stack: "dev", markdown, limitBytes: 1500 });
        assert.ok(Buffer.byteLength(note) <= 1500);
        assert.ok(note.includes("Cut short"));
    });

    it("fences plain text with a fence longer than any inside it", () => {
        assert.equal(
            textAsMarkdown("pulumi preview: dev", "+ create\n```\nnested\n"),
            "### pulumi preview: dev\n\n````diff\n+ create\n```\nnested\n````\n",
        );
        assert.equal(textAsMarkdown("t", "plain"), "### t\n\n```diff\nplain\n```\n");
    });
});
