/**
 * `npm run mr-note -- --stack <name> --file <markdown> [--file ...] [--text <file> [--title T]] [--kind plan|preview]`
 * Posts the report as one note per stack and kind on the merge request of this pipeline, or updates the note
 * an earlier pipeline wrote (found by its hidden marker). Without GITLAB_TOKEN (forks) or outside a merge
 * request pipeline it says why and exits 0: the report stays a job artifact. A --file that an earlier step did
 * not write is named in the note instead. Exit codes: 0 posted or skipped, 1 GitLab refused or could not be
 * reached, 2 usage or unreadable files.
 */
import * as fs from "node:fs";
import { parseCli, runCli, usageError } from "./cli-args";
import { NoteError, publishNote } from "./mr-note/gitlab";
import { type NoteKind, noteMarker, textAsMarkdown } from "./mr-note/note";

const USAGE =
    "usage: npm run mr-note -- --stack <name> --file <markdown> [--file ...] [--text <file> [--title T]] [--kind plan|preview]";

async function main(): Promise<number> {
    const spec = { tool: "mr-note", usage: USAGE };
    const parsed = parseCli({
        ...spec,
        options: {
            stack: { type: "string" },
            file: { type: "string", multiple: true },
            text: { type: "string" },
            title: { type: "string" },
            kind: { type: "string", default: "plan" },
        },
    });
    if (!parsed) return 2;
    const values = parsed.values;
    const problems: string[] = [];
    if (!values.stack) problems.push("--stack is required");
    if (!values.file?.length && !values.text) problems.push("--file or --text is required");
    if (values.kind !== "plan" && values.kind !== "preview")
        problems.push(`--kind: "${values.kind}" is not a note kind (expected plan or preview)`);
    else if (values.stack) {
        try {
            noteMarker(values.kind, values.stack);
        } catch (err) {
            problems.push(`--${(err as Error).message}`);
        }
    }
    if (problems.length > 0) return usageError(spec, problems);
    const kind = values.kind as NoteKind;
    let markdown: string;
    try {
        const sections = (values.file ?? []).map((f) => {
            if (fs.existsSync(f)) return fs.readFileSync(f, "utf8").replace(/\s+$/, "");
            // An earlier step failed before writing its report: say so in the note rather than post nothing.
            console.warn(`mr-note: ${f} does not exist; the note says so`);
            return `> \`${f}\` was not written: an earlier step of the job failed; its log says why.`;
        });
        if (values.text)
            sections.push(
                textAsMarkdown(values.title ?? `pulumi ${kind}: ${values.stack}`, fs.readFileSync(values.text, "utf8")),
            );
        markdown = sections.join("\n\n");
    } catch (err) {
        console.error(`mr-note: ${(err as Error).message}`);
        return 2;
    }
    try {
        const result = await publishNote(process.env, { kind, stack: values.stack!, markdown });
        if (result.action === "skipped") console.log(`mr-note: skipped: ${result.reason}`);
        else
            console.log(
                `mr-note: ${result.action} note ${result.noteId} (${kind}, ${values.stack}) on merge request !${process.env.CI_MERGE_REQUEST_IID}`,
            );
        return 0;
    } catch (err) {
        const message = err instanceof NoteError ? err.message : `unexpected failure: ${String(err)}`;
        const token = process.env.GITLAB_TOKEN;
        console.error(`mr-note: ${token ? message.split(token).join("[masked]") : message}`);
        return err instanceof NoteError ? 1 : 2;
    }
}

runCli("mr-note", main);
