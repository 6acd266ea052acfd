import { RepositoryFiles } from "@gitbeaker/rest";
import * as pulumi from "@pulumi/pulumi";
import {
    GITLAB_FILE_COMMIT_ATTEMPTS,
    GITLAB_FILE_COMMIT_RETRY_DELAY_MS,
    GITLAB_FILE_DEFAULT_DELETE_COMMIT_MESSAGE,
    GITLAB_FILE_DEFAULT_ENCODING,
} from "./defaults";
import { hasMessage, hasStatus } from "./http";
import {
    checkResult,
    configureFrom,
    diffBySpec,
    expect,
    gitlabClient,
    known,
    projectProblem,
    serialized,
    splitId,
    takeoverError,
    withUnset,
    type ConfiguredConnection,
    type LockTable,
    type ProviderSettings,
} from "./provider-kit";
import { GITLAB_API_REPLACE_KEYS } from "./replace-keys";

/** How `content` is written: as text, or base64 of arbitrary bytes. */
export const FILE_ENCODINGS = ["text", "base64"] as const;

/** Inputs of the RepositoryFile provider (resolved, plain). */
export interface RepositoryFileInputs {
    project: string;
    branch: string;
    filePath: string;
    content: string;
    encoding: (typeof FILE_ENCODINGS)[number];
    commitMessage?: string;
    createCommitMessage?: string;
    updateCommitMessage?: string;
    deleteCommitMessage?: string;
    authorName?: string;
    authorEmail?: string;
    executeFilemode?: boolean;
    startBranch?: string;
    overwriteOnCreate?: boolean;
    /** Take over a file at this path that this stack did not create. */
    adopt?: boolean;
}

/** State of a RepositoryFile: inputs plus what GitLab reports of the committed blob. */
export interface RepositoryFileOutputs extends RepositoryFileInputs {
    blobId?: string;
    commitId?: string;
    lastCommitId?: string;
    contentSha256?: string;
    fileName?: string;
    ref?: string;
    size?: number;
}

/** Defaults applied once, in `check`. */
export function resolveRepositoryFile(inputs: RepositoryFileInputs): RepositoryFileInputs {
    return { ...inputs, encoding: inputs.encoding ?? GITLAB_FILE_DEFAULT_ENCODING };
}

/** Problems with RepositoryFile inputs, each `<field>: <problem> (expected ...)`. */
export function validateRepositoryFile(inputs: Partial<RepositoryFileInputs>): string[] {
    const problems = projectProblem(inputs.project);
    const { branch, filePath, content, encoding, authorEmail } = inputs;
    if (branch === undefined || (known(branch) && (typeof branch !== "string" || branch.trim() === "")))
        problems.push('branch: missing (expected a branch name such as "main")');
    if (
        filePath === undefined ||
        (known(filePath) &&
            (typeof filePath !== "string" ||
                filePath === "" ||
                /^(\/|\.\/)/.test(filePath) ||
                filePath.split("/").includes("..")))
    ) {
        problems.push(
            `filePath: ${JSON.stringify(filePath)} is not a repository path (expected a relative path without a leading '/' or './' and without '..')`,
        );
    }
    if (content === undefined) problems.push("content: missing (expected the file's content)");
    if (known(encoding) && !FILE_ENCODINGS.includes(encoding as never))
        problems.push(`encoding: ${JSON.stringify(encoding)} is not an encoding (expected text or base64)`);
    if (encoding === "base64" && known(content) && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(String(content)))
        problems.push("content: not valid base64 (expected base64 when encoding is base64)");
    const messages = [inputs.createCommitMessage, inputs.updateCommitMessage, inputs.deleteCommitMessage];
    if (inputs.commitMessage === undefined && messages.some((m) => m === undefined)) {
        problems.push(
            "commitMessage: missing (expected commitMessage, or all of createCommitMessage, updateCommitMessage and deleteCommitMessage)",
        );
    }
    if (known(authorEmail) && !/^[^@\s]+@[^@\s]+$/.test(String(authorEmail)))
        problems.push(`authorEmail: ${JSON.stringify(authorEmail)} is not an e-mail address (expected name@domain)`);
    return problems;
}

/** GitLab's value of the optional file settings when the program does not set them. */
const UNSET = { executeFilemode: false } as const;

/** The file's bytes as its encoding describes them (whitespace in base64 ignored). */
function bytesOf(content: unknown, encoding: unknown): Buffer {
    return encoding === "base64"
        ? Buffer.from(String(content ?? "").replace(/\s/g, ""), "base64")
        : Buffer.from(String(content ?? ""), "utf8");
}

function outputsOf(inputs: RepositoryFileInputs, body: unknown): RepositoryFileOutputs {
    const what = "repository file";
    const f = expect.object(body, what);
    const bytes = Buffer.from(expect.optString(f, "content", what) ?? "", "base64");
    return {
        ...inputs,
        content: inputs.encoding === "base64" ? bytes.toString("base64") : bytes.toString("utf8"),
        executeFilemode: expect.optBoolean(f, "execute_filemode", what) ?? inputs.executeFilemode,
        blobId: expect.optString(f, "blob_id", what),
        commitId: expect.optString(f, "commit_id", what),
        lastCommitId: expect.optString(f, "last_commit_id", what),
        contentSha256: expect.optString(f, "content_sha256", what),
        fileName: expect.optString(f, "file_name", what),
        ref: expect.optString(f, "ref", what),
        size: expect.optNumber(f, "size", what),
    };
}

/**
 * GitLab's answer when the branch moved while it committed (Gitaly's `Could not update refs/heads/<b>.
 * Please refresh and try again.`, seen in gitlab-org/gitaly's operation tests): nothing was written.
 */
const BRANCH_MOVED = /could not update refs\/heads\/|please refresh and try again/i;

/** Commits in flight, per project: one table for every RepositoryFile of the stack (see `serialized`). */
const COMMIT_LOCKS: LockTable = {};

/**
 * `commit` serialized per project within this process (GitLab cannot take two commits to one branch at
 * once) and retried, with a doubling wait, when another writer moved the branch meanwhile.
 */
async function committing<R>(
    key: string,
    commit: () => Promise<R>,
    attempts = GITLAB_FILE_COMMIT_ATTEMPTS,
    delayMs = GITLAB_FILE_COMMIT_RETRY_DELAY_MS,
): Promise<R> {
    return serialized(COMMIT_LOCKS, key, async () => {
        for (let attempt = 1; ; attempt++) {
            try {
                return await commit();
            } catch (e) {
                const moved = hasMessage(e, 400, BRANCH_MOVED) || hasMessage(e, 409, BRANCH_MOVED);
                if (!moved || attempt >= attempts) throw e;
                await new Promise((resolve) => setTimeout(resolve, delayMs * 2 ** (attempt - 1)));
            }
        }
    });
}

/**
 * The RepositoryFile provider. Content, encoding and file mode update with a commit; project, branch
 * and path replace. `create` meeting an existing file refuses to take it over, whatever its content,
 * unless `adopt` (or upstream's `overwriteOnCreate`) is true. Commits to one project are serialized
 * and retried on branch conflicts; a delete without a stored message (an imported file) uses
 * {@link GITLAB_FILE_DEFAULT_DELETE_COMMIT_MESSAGE}, since GitLab requires one.
 */
export function repositoryFileProvider(
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<RepositoryFileInputs, RepositoryFileOutputs> {
    const configured: ConfiguredConnection = {};
    const files = () => new RepositoryFiles(gitlabClient(settings, configured).client);
    const options = (i: RepositoryFileInputs) => ({
        encoding: i.encoding,
        authorName: i.authorName,
        authorEmail: i.authorEmail,
        executeFilemode: i.executeFilemode,
        startBranch: i.startBranch,
    });
    const retry = { attempts: settings.commitAttempts, delayMs: settings.commitRetryDelayMs };
    const write = async (api: RepositoryFiles, i: RepositoryFileInputs, how: "create" | "update"): Promise<void> => {
        const message =
            (how === "create" ? i.createCommitMessage : i.updateCommitMessage) ?? (i.commitMessage as string);
        const args = [i.project, i.filePath, i.branch, i.content, message, options(withUnset(i, UNSET))] as const;
        await committing(
            i.project,
            () => (how === "create" ? api.create(...args) : api.edit(...args)),
            retry.attempts,
            retry.delayMs,
        );
    };
    const readBack = async (api: RepositoryFiles, i: RepositoryFileInputs) =>
        outputsOf(i, await api.show(i.project, i.filePath, i.branch));
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            const inputs = resolveRepositoryFile(news);
            return checkResult(inputs, validateRepositoryFile(inputs));
        },
        async diff(_id, olds, news) {
            return diffBySpec<RepositoryFileInputs>(olds, resolveRepositoryFile(news), {
                replace: [...GITLAB_API_REPLACE_KEYS.RepositoryFile],
                // Content compares as bytes, so a change of encoding alone commits nothing.
                update: ["content", "executeFilemode"],
                unset: UNSET,
                deleteFirstOn: ["project"],
                equal: { content: (a, b, o, n) => bytesOf(a, o.encoding).equals(bytesOf(b, n.encoding)) },
            });
        },
        async create(inputs) {
            const api = files();
            try {
                await write(api, inputs, "create");
            } catch (e) {
                if (!hasMessage(e, 400, /already exists/i)) throw e;
                const id = `${inputs.project}:${inputs.branch}:${inputs.filePath}`;
                if (inputs.adopt !== true && inputs.overwriteOnCreate !== true) {
                    throw takeoverError(
                        "RepositoryFile",
                        `${inputs.filePath} on branch ${inputs.branch} of project ${inputs.project}`,
                        id,
                        "gitlab:index/repositoryFile:RepositoryFile",
                    );
                }
                const live = expect.object(
                    await api.show(inputs.project, inputs.filePath, inputs.branch),
                    "repository file",
                );
                const same = Buffer.from(expect.optString(live, "content", "repository file") ?? "", "base64").equals(
                    bytesOf(inputs.content, inputs.encoding),
                );
                if (!same) await write(api, inputs, "update");
            }
            return { id: `${inputs.project}:${inputs.branch}:${inputs.filePath}`, outs: await readBack(api, inputs) };
        },
        async read(id, props) {
            const [project, branch, filePath] = props?.filePath
                ? [props.project, props.branch, props.filePath]
                : splitId(id, 3);
            const inputs = {
                encoding: GITLAB_FILE_DEFAULT_ENCODING,
                content: "",
                ...props,
                project,
                branch,
                filePath,
            } as RepositoryFileInputs;
            try {
                return { id, props: await readBack(files(), inputs) };
            } catch (e) {
                if (hasStatus(e, 404)) return {};
                throw e;
            }
        },
        async update(_id, _olds, news) {
            const api = files();
            try {
                await write(api, news, "update");
            } catch (e) {
                // Deleted behind Pulumi's back since the last refresh: write it again.
                if (!hasMessage(e, 400, /doesn't exist|does not exist/i)) throw e;
                await write(api, news, "create");
            }
            return { outs: await readBack(api, news) };
        },
        async delete(_id, props) {
            const message =
                props.deleteCommitMessage ??
                props.commitMessage ??
                `${GITLAB_FILE_DEFAULT_DELETE_COMMIT_MESSAGE}: ${props.filePath}`;
            try {
                const api = files();
                const author = { authorName: props.authorName, authorEmail: props.authorEmail };
                await committing(
                    props.project,
                    () => api.remove(props.project, props.filePath, props.branch, message, author),
                    retry.attempts,
                    retry.delayMs,
                );
            } catch (e) {
                if (!hasStatus(e, 404) && !hasMessage(e, 400, /doesn't exist|does not exist/i)) throw e;
            }
        },
    };
}

/**
 * Arguments of {@link RepositoryFile}; the names of `gitlab.RepositoryFile` in `@pulumi/gitlab`.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/repositoryfile/
 */
export interface RepositoryFileArgs {
    /** ID or full path of the project. */
    project: pulumi.Input<string>;
    /** The branch to commit to. */
    branch: pulumi.Input<string>;
    /** Path of the file from the repository root, without a leading `/` or `./`. */
    filePath: pulumi.Input<string>;
    /** The file's content (text, or base64 when `encoding` is `base64`). */
    content: pulumi.Input<string>;
    /** `text` or `base64`. @default {@link GITLAB_FILE_DEFAULT_ENCODING} */
    encoding?: pulumi.Input<"text" | "base64">;
    /** Commit message of every change. @default - none; required unless all three specific messages are set */
    commitMessage?: pulumi.Input<string>;
    /** Commit message when the file is created. @default - `commitMessage` */
    createCommitMessage?: pulumi.Input<string>;
    /** Commit message when the file changes. @default - `commitMessage` */
    updateCommitMessage?: pulumi.Input<string>;
    /** Commit message when the file is deleted. @default - `commitMessage` */
    deleteCommitMessage?: pulumi.Input<string>;
    /** Commit author's name. @default - the token's user */
    authorName?: pulumi.Input<string>;
    /** Commit author's e-mail. @default - the token's user's */
    authorEmail?: pulumi.Input<string>;
    /** Whether the file is executable. @default - GitLab's: false */
    executeFilemode?: pulumi.Input<boolean>;
    /** Branch to start `branch` from when it does not exist yet. @default - none */
    startBranch?: pulumi.Input<string>;
    /** Upstream's name for {@link adopt}: a create may take over (and overwrite) an existing file. @default false */
    overwriteOnCreate?: pulumi.Input<boolean>;
    /**
     * Take over an existing file at this path, committing the declared content. Without it (or
     * `overwriteOnCreate`), a create that meets one fails naming it, even when the content matches.
     * @default false
     */
    adopt?: pulumi.Input<boolean>;
}

const PROVIDER = repositoryFileProvider();

/**
 * A file committed to a branch through the Repository Files API, e.g. the agent's
 * `.gitlab/agents/<name>/config.yaml`. Deleting the resource deletes the file with a commit.
 * @see https://docs.gitlab.com/api/repository_files/
 */
export class RepositoryFile extends pulumi.dynamic.Resource {
    declare public readonly project: pulumi.Output<string>;
    declare public readonly branch: pulumi.Output<string>;
    declare public readonly filePath: pulumi.Output<string>;
    declare public readonly content: pulumi.Output<string>;
    /** The commit that last changed the file. */
    declare public readonly lastCommitId: pulumi.Output<string>;
    declare public readonly contentSha256: pulumi.Output<string>;

    constructor(name: string, args: RepositoryFileArgs, opts?: pulumi.CustomResourceOptions) {
        const {
            project,
            branch,
            filePath,
            content,
            encoding,
            commitMessage,
            createCommitMessage,
            updateCommitMessage,
            deleteCommitMessage,
        } = args;
        const { authorName, authorEmail, executeFilemode, startBranch, overwriteOnCreate, adopt } = args;
        const props = {
            project,
            branch,
            filePath,
            content,
            encoding,
            commitMessage,
            createCommitMessage,
            updateCommitMessage,
            deleteCommitMessage,
            authorName,
            authorEmail,
            executeFilemode,
            startBranch,
            overwriteOnCreate,
            adopt,
            lastCommitId: undefined,
            contentSha256: undefined,
        };
        super(PROVIDER, name, props, opts, "gitlab", "RepositoryFile");
    }
}
