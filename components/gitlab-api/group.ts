import * as pulumi from "@pulumi/pulumi";
import { hasStatus } from "./http";
import {
    changedBody,
    createOnce,
    deleteTwoStep,
    encodePath,
    PATH_SEGMENT,
    restClient,
    VISIBILITY_LEVELS,
    type VisibilityLevel,
} from "./namespace-kit";
import {
    checkResult,
    configureFrom,
    diffBySpec,
    known,
    type ConfiguredConnection,
    type ProviderSettings,
} from "./provider-kit";

/** Inputs of the Group provider (resolved, plain). */
export interface GroupInputs {
    name: string;
    path: string;
    parentId?: number;
    description?: string;
    visibilityLevel?: VisibilityLevel;
    permanentlyRemoveOnDelete?: boolean;
}

/** State of a Group. */
export interface GroupOutputs extends GroupInputs {
    groupId: number;
    fullPath: string;
    fullName: string;
    webUrl: string;
}

/** Problems with Group inputs, each `<field>: <problem> (expected ...)`; unknown values are skipped. */
export function validateGroup(inputs: Partial<GroupInputs>): string[] {
    const problems: string[] = [];
    const { name, path, parentId, visibilityLevel } = inputs;
    if (name === undefined || (known(name) && (typeof name !== "string" || name.trim() === "" || name.length > 255))) {
        problems.push("name: missing or too long (expected a display name of 1-255 characters)");
    }
    if (path === undefined) problems.push('path: missing (expected a URL path segment such as "apps")');
    else if (
        known(path) &&
        (typeof path !== "string" || path.length > 255 || !PATH_SEGMENT.test(path) || /\.(git|atom)$/.test(path))
    ) {
        problems.push(
            `path: ${JSON.stringify(path)} is not a group path (expected letters, digits, '_', '-' or '.', starting and ending with a letter or digit)`,
        );
    }
    if (known(parentId) && (!Number.isInteger(parentId) || (parentId as number) <= 0))
        problems.push(`parentId: ${JSON.stringify(parentId)} is not a group ID (expected a positive integer)`);
    if (known(visibilityLevel) && !VISIBILITY_LEVELS.includes(visibilityLevel as VisibilityLevel)) {
        problems.push(
            `visibilityLevel: ${JSON.stringify(visibilityLevel)} is not a visibility (expected one of ${VISIBILITY_LEVELS.join(", ")})`,
        );
    }
    return problems;
}

function outputsOf(inputs: GroupInputs, g: Record<string, unknown>): GroupOutputs {
    return {
        ...inputs,
        name: String(g.name),
        path: String(g.path),
        ...(g.description !== undefined && inputs.description !== undefined
            ? { description: String(g.description) }
            : {}),
        ...(inputs.visibilityLevel !== undefined ? { visibilityLevel: g.visibility as VisibilityLevel } : {}),
        groupId: Number(g.id),
        fullPath: String(g.full_path),
        fullName: String(g.full_name ?? g.name),
        webUrl: String(g.web_url ?? ""),
    };
}

/**
 * The Group provider. `create` never adopts a group that exists (only the group its own lost-answer POST
 * made); changing `parentId` replaces (a transfer is not managed); `delete` marks the group for
 * deletion, and removes it now when `permanentlyRemoveOnDelete` (subgroups only, GitLab 18).
 */
export function groupProvider(
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<GroupInputs, GroupOutputs> {
    const configured: ConfiguredConnection = {};
    const api = () => restClient(settings, configured);
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            return checkResult(news, validateGroup(news));
        },
        async diff(_id, olds, news) {
            return diffBySpec<GroupInputs>(olds, news, {
                replace: ["parentId"],
                update: ["name", "path", "description", "visibilityLevel", "permanentlyRemoveOnDelete"],
            });
        },
        async create(inputs) {
            const rest = api();
            const parent = inputs.parentId !== undefined ? await rest.get(`groups/${inputs.parentId}`) : undefined;
            const fullPath = parent ? `${String(parent.full_path)}/${inputs.path}` : inputs.path;
            const group = await createOnce(rest, {
                what: "Group",
                resourceType: "gitlab:index/group:Group",
                collection: "groups",
                lookup: `groups/${encodePath(fullPath)}`,
                fullPath,
                body: {
                    name: inputs.name,
                    path: inputs.path,
                    parent_id: inputs.parentId,
                    description: inputs.description,
                    visibility: inputs.visibilityLevel,
                },
            });
            const outs = outputsOf(inputs, group);
            return { id: String(outs.groupId), outs };
        },
        async read(id, props) {
            try {
                const group = await api().get(`groups/${id}`);
                if (group.marked_for_deletion_on) return {};
                return { id, props: outputsOf((props ?? {}) as GroupInputs, group) };
            } catch (e) {
                if (hasStatus(e, 404)) return {};
                throw e;
            }
        },
        async update(id, olds, news) {
            const body = changedBody<GroupInputs>(olds, news, {
                name: "name",
                path: "path",
                description: "description",
                visibilityLevel: "visibility",
            });
            const rest = api();
            const group =
                Object.keys(body).length > 0 ? await rest.put(`groups/${id}`, body) : await rest.get(`groups/${id}`);
            return { outs: outputsOf(news, group) };
        },
        async delete(id, props) {
            await deleteTwoStep(api(), `groups/${id}`, props.fullPath, props.permanentlyRemoveOnDelete === true);
        },
    };
}

/**
 * Arguments of {@link Group}; the names of `gitlab.Group` in `@pulumi/gitlab`.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/group/
 */
export interface GroupArgs {
    /** The group's display name. */
    name: pulumi.Input<string>;
    /** The group's URL path segment (`apps` in `https://gitlab.example.com/apps`). */
    path: pulumi.Input<string>;
    /**
     * The parent group's ID, for a subgroup. Changing it replaces the group.
     * @default - none: a top-level group (GitLab.com allows creating those only in its UI)
     */
    parentId?: pulumi.Input<number>;
    /** The group's description. @default - GitLab's: empty */
    description?: pulumi.Input<string>;
    /** `private`, `internal` or `public`. @default - GitLab's instance default (private on a fresh instance) */
    visibilityLevel?: pulumi.Input<VisibilityLevel>;
    /**
     * On delete, remove the group at once instead of leaving it marked for deletion for GitLab's retention
     * period (GitLab 18 allows it for subgroups only).
     * @default false
     */
    permanentlyRemoveOnDelete?: pulumi.Input<boolean>;
}

const PROVIDER = groupProvider();

/**
 * A GitLab group (`POST /groups`). The resource ID is the numeric group ID (the real provider's import
 * format). Needs a token with the `api` scope whose user may create groups (an administrator on a
 * fresh instance; top-level groups on GitLab.com cannot be created through the API).
 * @see https://docs.gitlab.com/api/groups/
 */
export class Group extends pulumi.dynamic.Resource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly path: pulumi.Output<string>;
    /** The numeric group ID (`parentId` of subgroups, `namespaceId` of projects). */
    declare public readonly groupId: pulumi.Output<number>;
    /** `parent/child`: how other resources name the group. */
    declare public readonly fullPath: pulumi.Output<string>;
    declare public readonly fullName: pulumi.Output<string>;
    declare public readonly webUrl: pulumi.Output<string>;

    constructor(name: string, args: GroupArgs, opts?: pulumi.CustomResourceOptions) {
        const { name: groupName, path, parentId, description, visibilityLevel, permanentlyRemoveOnDelete } = args;
        const props = {
            name: groupName,
            path,
            parentId,
            description,
            visibilityLevel,
            permanentlyRemoveOnDelete,
            groupId: undefined,
            fullPath: undefined,
            fullName: undefined,
            webUrl: undefined,
        };
        super(PROVIDER, name, props, opts, "gitlab", "Group");
    }
}
