import { Runners, Users } from "@gitbeaker/rest";
import * as pulumi from "@pulumi/pulumi";
import { hasStatus } from "./http";
import {
    checkResult,
    configureFrom,
    diffBySpec,
    expect,
    gitlabClient,
    known,
    sameSet,
    withUnset,
    type ConfiguredConnection,
    type ProviderSettings,
} from "./provider-kit";
import { GITLAB_API_REPLACE_KEYS } from "./replace-keys";

/** Runner scopes (`runner_type` of `POST /user/runners`). */
export const RUNNER_TYPES = ["instance_type", "group_type", "project_type"] as const;
/** One of `RUNNER_TYPES`. */
export type RunnerType = (typeof RUNNER_TYPES)[number];

/** Which jobs a runner takes: any ref, or only protected branches and tags. */
export const RUNNER_ACCESS_LEVELS = ["not_protected", "ref_protected"] as const;

/** GitLab's lower bound of a runner's `maximum_timeout`, in seconds (10 minutes). */
export const RUNNER_MIN_MAXIMUM_TIMEOUT = 600;

/** Inputs of the UserRunner provider (resolved, plain). */
export interface UserRunnerInputs {
    runnerType: RunnerType;
    groupId?: number;
    projectId?: number;
    description?: string;
    paused?: boolean;
    locked?: boolean;
    untagged?: boolean;
    tagLists?: string[];
    accessLevel?: (typeof RUNNER_ACCESS_LEVELS)[number];
    maximumTimeout?: number;
    maintenanceNote?: string;
}

/** State of a UserRunner; the resource ID is the runner ID. `token` (`glrt-...`) is secret. */
export interface UserRunnerOutputs extends UserRunnerInputs {
    token: string;
}

/** Problems with UserRunner inputs, each `<field>: <problem> (expected ...)`. */
export function validateUserRunner(inputs: Partial<UserRunnerInputs>): string[] {
    const problems: string[] = [];
    const { runnerType: type, groupId, projectId, tagLists, accessLevel, maximumTimeout, maintenanceNote } = inputs;
    const positive = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
    if (type === undefined || (known(type) && !RUNNER_TYPES.includes(type))) {
        problems.push(`runnerType: ${JSON.stringify(type)} is not a runner type (expected ${RUNNER_TYPES.join(", ")})`);
    }
    if (type === "group_type" && groupId === undefined)
        problems.push("groupId: missing (expected the group's numeric ID when runnerType is group_type)");
    if (type === "project_type" && projectId === undefined)
        problems.push("projectId: missing (expected the project's numeric ID when runnerType is project_type)");
    if (known(type) && type !== "group_type" && groupId !== undefined)
        problems.push(`groupId: set for a ${type} runner (expected groupId only with runnerType group_type)`);
    if (known(type) && type !== "project_type" && projectId !== undefined)
        problems.push(`projectId: set for a ${type} runner (expected projectId only with runnerType project_type)`);
    if (known(groupId) && !positive(groupId))
        problems.push(`groupId: ${JSON.stringify(groupId)} is not an ID (expected a positive integer)`);
    if (known(projectId) && !positive(projectId))
        problems.push(`projectId: ${JSON.stringify(projectId)} is not an ID (expected a positive integer)`);
    if (known(tagLists)) {
        if (!Array.isArray(tagLists)) problems.push("tagLists: not a list (expected a list of tag names)");
        else
            tagLists.forEach(
                (t, i) =>
                    known(t) &&
                    (typeof t !== "string" || t.trim() === "" || t.includes(",")) &&
                    problems.push(
                        `tagLists[${i}]: ${JSON.stringify(t)} is not a tag (expected a non-empty name without commas)`,
                    ),
            );
    }
    if (known(accessLevel) && !RUNNER_ACCESS_LEVELS.includes(accessLevel as never)) {
        problems.push(
            `accessLevel: ${JSON.stringify(accessLevel)} is not an access level (expected ${RUNNER_ACCESS_LEVELS.join(" or ")})`,
        );
    }
    if (
        known(maximumTimeout) &&
        !(Number.isInteger(maximumTimeout) && (maximumTimeout as number) >= RUNNER_MIN_MAXIMUM_TIMEOUT)
    ) {
        problems.push(
            `maximumTimeout: ${JSON.stringify(maximumTimeout)} is too short (expected whole seconds, at least ${RUNNER_MIN_MAXIMUM_TIMEOUT})`,
        );
    }
    if (known(maintenanceNote) && String(maintenanceNote).length > 1024)
        problems.push("maintenanceNote: too long (expected at most 1024 characters)");
    return problems;
}

/** The runner settings GitLab edits in place (`PUT /runners/:id`), in gitbeaker's camelCase. */
function editable(i: UserRunnerInputs) {
    return {
        description: i.description,
        paused: i.paused,
        locked: i.locked,
        runUntagged: i.untagged,
        tagList: i.tagLists,
        accessLevel: i.accessLevel,
        maximumTimeout: i.maximumTimeout,
        maintenanceNote: i.maintenanceNote,
    };
}

/** GitLab's values of the optional runner settings when the program does not set them. */
const UNSET = {
    description: "",
    paused: false,
    locked: false,
    untagged: true,
    tagLists: [],
    accessLevel: "not_protected",
    maintenanceNote: "",
} as const;

/**
 * State from `GET /runners/:id`. The owner comes back from GitLab too (`groups[0].id` of a group runner,
 * `projects[0].id` of a project runner: the owner is the first project, see docs/api/runners.md), so an
 * imported runner does not show a replacement for lack of `groupId` / `projectId`.
 */
function outputsOf(body: unknown, prior: Partial<UserRunnerOutputs>): UserRunnerOutputs {
    const what = "runner";
    const r = expect.object(body, what);
    const type = expect.string(r, "runner_type", what);
    if (!RUNNER_TYPES.includes(type as RunnerType))
        throw new Error(`${what}: field runner_type is not one of ${RUNNER_TYPES.join(", ")}`);
    const owner = (key: "groups" | "projects"): number | undefined => {
        if (r[key] === undefined || r[key] === null) return prior[key === "groups" ? "groupId" : "projectId"];
        const list = expect.array(r[key], `${what} ${key}`);
        return list.length === 0 ? undefined : expect.id(list[0], "id", `${what} ${key}[0]`);
    };
    const access = expect.optString(r, "access_level", what);
    return {
        runnerType: type as RunnerType,
        groupId: type === "group_type" ? owner("groups") : undefined,
        projectId: type === "project_type" ? owner("projects") : undefined,
        description: expect.optString(r, "description", what),
        paused: expect.optBoolean(r, "paused", what),
        locked: expect.optBoolean(r, "locked", what),
        untagged: expect.optBoolean(r, "run_untagged", what),
        tagLists: expect.strings(r, "tag_list", what),
        accessLevel: access as UserRunnerInputs["accessLevel"],
        maximumTimeout: expect.optNumber(r, "maximum_timeout", what),
        maintenanceNote: expect.optString(r, "maintenance_note", what),
        token: prior.token ?? "",
    };
}

/**
 * The UserRunner provider (`POST /user/runners`, then `/runners/:id`). The scope and owner replace the
 * runner; description, tags, paused and the other settings update in place. A create is not replayed
 * after an ambiguous failure: it would mint a second runner (see retry.ts).
 */
export function userRunnerProvider(
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<UserRunnerInputs, UserRunnerOutputs> {
    const configured: ConfiguredConnection = {};
    const client = () => gitlabClient(settings, configured).client;
    const show = async (id: string, prior: Partial<UserRunnerOutputs>) =>
        outputsOf(await new Runners(client()).show(Number(id)), prior);
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            return checkResult(news, validateUserRunner(news));
        },
        async diff(_id, olds, news) {
            return diffBySpec<UserRunnerInputs>(olds, news, {
                replace: [...GITLAB_API_REPLACE_KEYS.UserRunner],
                update: [
                    "description",
                    "paused",
                    "locked",
                    "untagged",
                    "tagLists",
                    "accessLevel",
                    "maximumTimeout",
                    "maintenanceNote",
                ],
                unset: UNSET,
                equal: { tagLists: sameSet },
            });
        },
        async create(inputs) {
            const created = expect.object(
                await new Users(client()).createCIRunner(inputs.runnerType, {
                    groupId: inputs.groupId,
                    projectId: inputs.projectId,
                    ...editable(inputs),
                }),
                "new runner",
            );
            const id = String(expect.id(created, "id", "new runner"));
            // A missing token must fail the create, never be stored as "undefined" (the runner then exists
            // without a usable token: the message says which one to delete).
            const token = (() => {
                try {
                    return expect.string(created, "token", "new runner");
                } catch (e) {
                    throw new Error(
                        `${(e as Error).message}; runner ${id} was created without a usable token: delete it in GitLab (Admin > Runners or the API) and run again`,
                        { cause: e },
                    );
                }
            })();
            const minted = { ...inputs, token };
            // The runner exists and its token is shown only now: never lose it to a failed follow-up read.
            return { id, outs: await show(id, minted).catch(() => minted) };
        },
        async read(id, props) {
            try {
                return { id, props: await show(id, props ?? {}) };
            } catch (e) {
                if (hasStatus(e, 404)) return {};
                throw e;
            }
        },
        async update(id, olds, news) {
            await new Runners(client()).edit(Number(id), editable(withUnset(news, UNSET)));
            return { outs: await show(id, { ...news, token: olds.token }) };
        },
        async delete(id) {
            try {
                await new Runners(client()).remove({ runnerId: Number(id) });
            } catch (e) {
                if (!hasStatus(e, 404)) throw e;
            }
        },
    };
}

/**
 * Arguments of {@link UserRunner}; the names of `gitlab.UserRunner` in `@pulumi/gitlab`.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/userrunner/
 */
export interface UserRunnerArgs {
    /** The runner's scope: `instance_type`, `group_type` or `project_type`. Changing it replaces the runner. */
    runnerType: pulumi.Input<RunnerType>;
    /**
     * The group of a `group_type` runner.
     * @default - none; required when `runnerType` is `group_type`
     */
    groupId?: pulumi.Input<number>;
    /**
     * The project of a `project_type` runner.
     * @default - none; required when `runnerType` is `project_type`
     */
    projectId?: pulumi.Input<number>;
    /** The runner's description, shown in GitLab's runner list. @default - GitLab's: empty */
    description?: pulumi.Input<string>;
    /** Whether the runner takes no new jobs. @default - GitLab's: false */
    paused?: pulumi.Input<boolean>;
    /** Whether a project runner is locked to its project. @default - GitLab's: false */
    locked?: pulumi.Input<boolean>;
    /** Whether the runner takes jobs without tags. @default - GitLab's: true */
    untagged?: pulumi.Input<boolean>;
    /** The runner's tags (a set: order does not matter). @default - none */
    tagLists?: pulumi.Input<pulumi.Input<string>[]>;
    /** `not_protected` or `ref_protected`. @default - GitLab's: not_protected */
    accessLevel?: pulumi.Input<"not_protected" | "ref_protected">;
    /** Longest job the runner runs, in seconds (at least 600). @default - GitLab's: the project's timeout */
    maximumTimeout?: pulumi.Input<number>;
    /** Free-form maintenance note (up to 1024 characters). @default - none */
    maintenanceNote?: pulumi.Input<string>;
}

const PROVIDER = userRunnerProvider();

/**
 * A runner created with the runner-creation workflow (`POST /user/runners`); its authentication token
 * (`glrt-...`) is a secret output, for the runner chart's Secret. The resource ID is the runner ID.
 * Needs a token with the `api` scope: `create_runner` covers only the create, not the reads, edits and
 * the delete on `/runners/:id` that the resource also makes.
 * @see https://docs.gitlab.com/api/users/#create-a-runner-linked-to-a-user
 */
export class UserRunner extends pulumi.dynamic.Resource {
    declare public readonly runnerType: pulumi.Output<RunnerType>;
    declare public readonly description: pulumi.Output<string>;
    declare public readonly paused: pulumi.Output<boolean>;
    declare public readonly tagLists: pulumi.Output<string[]>;
    /** The secret runner authentication token. */
    declare public readonly token: pulumi.Output<string>;

    constructor(name: string, args: UserRunnerArgs, opts?: pulumi.CustomResourceOptions) {
        const {
            runnerType,
            groupId,
            projectId,
            description,
            paused,
            locked,
            untagged,
            tagLists,
            accessLevel,
            maximumTimeout,
            maintenanceNote,
        } = args;
        const props = {
            runnerType,
            groupId,
            projectId,
            description,
            paused,
            locked,
            untagged,
            tagLists,
            accessLevel,
            maximumTimeout,
            maintenanceNote,
            token: undefined,
        };
        super(
            PROVIDER,
            name,
            props,
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token"] }),
            "gitlab",
            "UserRunner",
        );
    }
}
