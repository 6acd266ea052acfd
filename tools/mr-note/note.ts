/**
 * The body of a merge-request note: a hidden marker that lets the next pipeline find and update the same
 * note, the report, and a footer naming the job. Pure.
 */

/**
 * GitLab refuses notes longer than 1,000,000 characters (gitlab-foss commit 5af535d9, "Limit the size of
 * issuable description and comments"; later documented as 1 MB). Bodies are cut well below, counted in UTF-8
 * bytes so that neither reading of the limit can be exceeded.
 */
export const NOTE_BODY_LIMIT_BYTES = 900_000;

export type NoteKind = "plan" | "preview";

export interface NoteInput {
    kind: NoteKind;
    stack: string;
    /** The report, Markdown. */
    markdown: string;
    /** `CI_JOB_URL`: linked in the footer and, when the report is cut, as where to find all of it. */
    jobUrl?: string;
    /** `CI_COMMIT_SHORT_SHA` or `CI_COMMIT_SHA`. */
    commit?: string;
    /** @default NOTE_BODY_LIMIT_BYTES */
    limitBytes?: number;
}

/** `<!-- gitlab-platform:plan:dev -->`: first line of every note this tool writes. */
export function noteMarker(kind: NoteKind, stack: string): string {
    if (!/^[A-Za-z0-9._/-]+$/.test(stack))
        throw new Error(`stack: "${stack}" is not a stack name (expected letters, digits, ".", "_", "-", "/")`);
    return `<!-- gitlab-platform:${kind}:${stack} -->`;
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** Closes a code fence or `<details>` left open where a report was cut, so the rest still renders. */
function closeOpenBlocks(text: string): string {
    let out = text;
    const fences = out.match(/^ {0,3}(`{3,}|~{3,})/gm) ?? [];
    if (fences.length % 2 === 1) out += `\n${fences[fences.length - 1].trim()}`;
    const open = (out.match(/<details[\s>]/g) ?? []).length - (out.match(/<\/details>/g) ?? []).length;
    for (let i = 0; i < open; i++) out += "\n</details>";
    return out;
}

/** Cuts `text` at a line boundary so that it fits in `budget` bytes. */
function cutToBytes(text: string, budget: number): string {
    const lines = text.split("\n");
    let used = 0;
    let n = 0;
    for (; n < lines.length && used + bytes(lines[n]) + 1 <= budget; n++) used += bytes(lines[n]) + 1;
    return lines.slice(0, n).join("\n");
}

/** Marker, report and footer; a report too long for a note is cut, with a pointer to the job's artifacts. */
export function composeNote(input: NoteInput): string {
    const marker = noteMarker(input.kind, input.stack);
    const limit = input.limitBytes ?? NOTE_BODY_LIMIT_BYTES;
    const job = input.jobUrl ? `[${input.kind} job](${input.jobUrl})` : `${input.kind} job`;
    const footer = `\n\n<sub>Written by the ${job}${input.commit ? ` for ${input.commit}` : ""}; each pipeline updates this note.</sub>\n`;
    const report = input.markdown.replace(/\s+$/, "");
    const whole = `${marker}\n${report}${footer}`;
    if (bytes(whole) <= limit) return whole;

    const where = input.jobUrl ? `the [job's artifacts](${input.jobUrl}/artifacts/browse)` : "the job's artifacts";
    const notice = `\n\n> **Cut short**: the whole report (${bytes(report)} bytes) is longer than a note may be; it is in ${where}.`;
    // Room for the closing fence/details the cut may need.
    const budget = limit - bytes(marker) - 1 - bytes(notice) - bytes(footer) - 64;
    if (budget <= 0)
        throw new Error(`limitBytes: ${limit} leaves no room for the report (expected at least ${limit - budget + 1})`);
    return `${marker}\n${closeOpenBlocks(cutToBytes(report, budget))}${notice}${footer}`;
}

/** A plain-text report (such as `pulumi preview` output) as Markdown: a heading and a fence longer than any inside. */
export function textAsMarkdown(title: string, text: string, language = "diff"): string {
    const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
    const fence = "`".repeat(longest + 1);
    return `### ${title}\n\n${fence}${language}\n${text.replace(/\s+$/, "")}\n${fence}\n`;
}
