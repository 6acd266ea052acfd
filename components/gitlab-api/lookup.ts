/**
 * Lookups of groups and projects a stack uses but does not own, with the names and semantics of
 * `@pulumi/gitlab`'s data sources `getGroup` (by `fullPath`) and `getProject` (by `pathWithNamespace`):
 * `create` only reads (`GET /groups/:id`, `GET /projects/:id` with the URL-encoded full path) and fails
 * with a {@link GitLabObjectNotFoundError} when the object is missing or marked for deletion; `delete`
 * does nothing, since the object is not the stack's. As dynamic resources they run in the engine's
 * `create` step, so the check happens on `pulumi up` (a preview never calls `create`) and dependents
 * (`dependsOn`) are created only after it passed.
 *
 * Checked against docs.gitlab.com/api/groups#get-a-single-group and api/projects#get-a-single-project
 * (GitLab 18.x, December 2026): a missing or invisible object answers 404 `Group Not Found` /
 * `Project Not Found`; an object pending deletion carries `marked_for_deletion_on`.
 */
import * as pulumi from "@pulumi/pulumi";
import { encodePath, PATH_SEGMENT, restClient } from "./namespace-kit";
import {
    checkResult,
    configureFrom,
    diffBySpec,
    known,
    type ConfiguredConnection,
    type ProviderSettings,
} from "./provider-kit";

/** What is looked up. */
type LookupKind = "group" | "project";

/** Inputs of a lookup (resolved, plain): `fullPath` for a group, `pathWithNamespace` for a project. */
export interface LookupInputs {
    fullPath?: string;
    pathWithNamespace?: string;
}

/** State of a lookup: the inputs, and the object's numeric ID and web URL. */
export interface LookupOutputs extends LookupInputs {
    groupId?: number;
    projectId?: number;
    name: string;
    webUrl: string;
}

/** A group or project the stack needs is not in GitLab; the message names it and what to do. */
export class GitLabObjectNotFoundError extends Error {
    constructor(kind: LookupKind, fullPath: string, why: string) {
        const key = kind === "group" ? "getGroup" : "getProject";
        const message =
            `${key}: ${kind} "${fullPath}" ${why} (expected an existing ${kind} with this full path that the token's user can see: ` +
            `create it first, or let the stack create it by declaring it instead of naming it as existing)`;
        super(message);
        this.name = "GitLabObjectNotFoundError";
        // Set again: the serialized provider closure turns `super(message)` into `Error.call(this, ...)` (see http.ts).
        this.message = message;
    }
}

const FIELD: Record<LookupKind, "fullPath" | "pathWithNamespace"> = {
    group: "fullPath",
    project: "pathWithNamespace",
};

/** Problems with lookup inputs, each `<field>: <problem> (expected ...)`; unknown values are skipped. */
export function validateLookup(kind: LookupKind, inputs: LookupInputs): string[] {
    const field = FIELD[kind];
    const value = inputs[field];
    if (value === undefined) return [`${field}: missing (expected the ${kind}'s full path, e.g. "apps/web")`];
    if (known(value) && (typeof value !== "string" || !value.split("/").every((s) => PATH_SEGMENT.test(s))))
        return [`${field}: ${JSON.stringify(value)} is not a full path (expected e.g. "apps" or "apps/web")`];
    return [];
}

/** The provider of {@link GetGroup} (`kind` group) or {@link GetProject} (`kind` project). */
export function lookupProvider(
    kind: LookupKind,
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<LookupInputs, LookupOutputs> {
    const configured: ConfiguredConnection = {};
    const field = FIELD[kind];
    const collection = kind === "group" ? "groups" : "projects";
    const outputsOf = (o: Record<string, unknown>): LookupOutputs => ({
        [field]: String(kind === "group" ? o.full_path : o.path_with_namespace),
        ...(kind === "group" ? { groupId: Number(o.id) } : { projectId: Number(o.id) }),
        name: String(o.name),
        webUrl: String(o.web_url ?? ""),
    });
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            return checkResult(news, validateLookup(kind, news));
        },
        async diff(_id, olds, news) {
            return diffBySpec<LookupInputs>(olds, news, { replace: [field], update: [] });
        },
        async create(inputs) {
            const fullPath = String(inputs[field]);
            const rest = restClient(settings, configured);
            const found = await rest.find(`${collection}/${encodePath(fullPath)}`);
            if (found === undefined) throw new GitLabObjectNotFoundError(kind, fullPath, "does not exist in GitLab");
            if (found.marked_for_deletion_on)
                throw new GitLabObjectNotFoundError(
                    kind,
                    fullPath,
                    `is marked for deletion in GitLab (since ${String(found.marked_for_deletion_on)})`,
                );
            return { id: String(found.id), outs: outputsOf(found) };
        },
        async read(id) {
            // Gone, or pending deletion: the engine drops it from the state (pulumi refresh).
            const found = await restClient(settings, configured).find(`${collection}/${id}`);
            return found === undefined || found.marked_for_deletion_on ? {} : { id, props: outputsOf(found) };
        },
        // Not the stack's object: forgetting it is all a delete does.
        async delete() {},
    };
}

const GROUP_PROVIDER = lookupProvider("group");
const PROJECT_PROVIDER = lookupProvider("project");

/**
 * Arguments of {@link GetGroup}: `@pulumi/gitlab`'s `getGroup` argument.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/getgroup/
 */
export interface GetGroupArgs {
    /** The group's full path, e.g. `apps` or `apps/team`. */
    fullPath: pulumi.Input<string>;
}

/**
 * An existing group, checked on `pulumi up` (`GET /groups/:full_path`): a missing group fails the
 * update with {@link GitLabObjectNotFoundError} before anything depending on it is created. Never
 * writes to GitLab; destroying it leaves the group alone. Needs a token that can read the group.
 */
export class GetGroup extends pulumi.dynamic.Resource {
    declare public readonly fullPath: pulumi.Output<string>;
    /** The numeric group ID. */
    declare public readonly groupId: pulumi.Output<number>;
    declare public readonly webUrl: pulumi.Output<string>;

    constructor(name: string, args: GetGroupArgs, opts?: pulumi.CustomResourceOptions) {
        const props = { fullPath: args.fullPath, groupId: undefined, name: undefined, webUrl: undefined };
        super(GROUP_PROVIDER, name, props, opts, "gitlab", "getGroup");
    }
}

/**
 * Arguments of {@link GetProject}: `@pulumi/gitlab`'s `getProject` argument.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/getproject/
 */
export interface GetProjectArgs {
    /** The project's full path, e.g. `apps/web`. */
    pathWithNamespace: pulumi.Input<string>;
}

/**
 * An existing project, checked on `pulumi up` (`GET /projects/:full_path`): a missing project fails the
 * update with {@link GitLabObjectNotFoundError} before anything depending on it is created. Never
 * writes to GitLab; destroying it leaves the project alone. Needs a token that can read the project.
 */
export class GetProject extends pulumi.dynamic.Resource {
    declare public readonly pathWithNamespace: pulumi.Output<string>;
    /** The numeric project ID. */
    declare public readonly projectId: pulumi.Output<number>;
    declare public readonly webUrl: pulumi.Output<string>;

    constructor(name: string, args: GetProjectArgs, opts?: pulumi.CustomResourceOptions) {
        const props = {
            pathWithNamespace: args.pathWithNamespace,
            projectId: undefined,
            name: undefined,
            webUrl: undefined,
        };
        super(PROJECT_PROVIDER, name, props, opts, "gitlab", "getProject");
    }
}
