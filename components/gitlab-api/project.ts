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

/** Inputs of the Project provider (resolved, plain). */
export interface ProjectInputs {
    name: string;
    path: string;
    namespaceId: number;
    description?: string;
    visibilityLevel?: VisibilityLevel;
    defaultBranch?: string;
    initializeWithReadme?: boolean;
    permanentlyDeleteOnDestroy?: boolean;
}

/** State of a Project. */
export interface ProjectOutputs extends ProjectInputs {
    projectId: number;
    pathWithNamespace: string;
    webUrl: string;
}

/** Problems with Project inputs, each `<field>: <problem> (expected ...)`; unknown values are skipped. */
export function validateProject(inputs: Partial<ProjectInputs>): string[] {
    const problems: string[] = [];
    const { name, path, namespaceId, visibilityLevel, defaultBranch } = inputs;
    if (name === undefined || (known(name) && (typeof name !== "string" || name.trim() === "" || name.length > 255))) {
        problems.push("name: missing or too long (expected a display name of 1-255 characters)");
    }
    if (path === undefined) problems.push('path: missing (expected a URL path segment such as "web")');
    else if (
        known(path) &&
        (typeof path !== "string" || path.length > 255 || !PATH_SEGMENT.test(path) || /\.(git|atom)$/.test(path))
    ) {
        problems.push(
            `path: ${JSON.stringify(path)} is not a project path (expected letters, digits, '_', '-' or '.', starting and ending with a letter or digit)`,
        );
    }
    if (namespaceId === undefined)
        problems.push("namespaceId: missing (expected the ID of the group the project lives in)");
    else if (known(namespaceId) && (!Number.isInteger(namespaceId) || namespaceId <= 0))
        problems.push(
            `namespaceId: ${JSON.stringify(namespaceId)} is not a namespace ID (expected a positive integer)`,
        );
    if (known(visibilityLevel) && !VISIBILITY_LEVELS.includes(visibilityLevel as VisibilityLevel)) {
        problems.push(
            `visibilityLevel: ${JSON.stringify(visibilityLevel)} is not a visibility (expected one of ${VISIBILITY_LEVELS.join(", ")})`,
        );
    }
    if (known(defaultBranch) && (typeof defaultBranch !== "string" || !/^[\w./-]{1,255}$/.test(defaultBranch))) {
        problems.push(`defaultBranch: ${JSON.stringify(defaultBranch)} is not a branch name (expected e.g. "main")`);
    }
    return problems;
}

function outputsOf(inputs: ProjectInputs, p: Record<string, unknown>): ProjectOutputs {
    return {
        ...inputs,
        name: String(p.name),
        path: String(p.path),
        ...(inputs.visibilityLevel !== undefined ? { visibilityLevel: p.visibility as VisibilityLevel } : {}),
        ...(inputs.defaultBranch !== undefined ? { defaultBranch: String(p.default_branch) } : {}),
        projectId: Number(p.id),
        pathWithNamespace: String(p.path_with_namespace),
        webUrl: String(p.web_url ?? ""),
    };
}

/**
 * The Project provider. `create` never adopts a project that exists (only the one its own lost-answer
 * POST made); changing `namespaceId` replaces it (a transfer is not managed); with
 * `initializeWithReadme` (the default here) the default branch exists at once, so files can be committed
 * to it; `delete` marks the project for deletion, and removes it now when `permanentlyDeleteOnDestroy`.
 */
export function projectProvider(
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<ProjectInputs, ProjectOutputs> {
    const configured: ConfiguredConnection = {};
    const api = () => restClient(settings, configured);
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            return checkResult(news, validateProject(news));
        },
        async diff(_id, olds, news) {
            return diffBySpec<ProjectInputs>(olds, news, {
                replace: ["namespaceId"],
                update: [
                    "name",
                    "path",
                    "description",
                    "visibilityLevel",
                    "defaultBranch",
                    "permanentlyDeleteOnDestroy",
                ],
            });
        },
        async create(inputs) {
            const rest = api();
            const namespace = await rest.find(`namespaces/${inputs.namespaceId}`);
            if (namespace === undefined)
                throw new Error(
                    `namespaceId: no namespace ${inputs.namespaceId} in GitLab (expected the ID of an existing group)`,
                );
            const fullPath = `${String(namespace.full_path)}/${inputs.path}`;
            const project = await createOnce(rest, {
                what: "Project",
                resourceType: "gitlab:index/project:Project",
                collection: "projects",
                lookup: `projects/${encodePath(fullPath)}`,
                fullPath,
                body: {
                    name: inputs.name,
                    path: inputs.path,
                    namespace_id: inputs.namespaceId,
                    description: inputs.description,
                    visibility: inputs.visibilityLevel,
                    default_branch: inputs.defaultBranch,
                    initialize_with_readme: inputs.initializeWithReadme ?? true,
                },
            });
            const outs = outputsOf(inputs, project);
            return { id: String(outs.projectId), outs };
        },
        async read(id, props) {
            try {
                const project = await api().get(`projects/${id}`);
                if (project.marked_for_deletion_on) return {};
                return { id, props: outputsOf((props ?? {}) as ProjectInputs, project) };
            } catch (e) {
                if (hasStatus(e, 404)) return {};
                throw e;
            }
        },
        async update(id, olds, news) {
            const body = changedBody<ProjectInputs>(olds, news, {
                name: "name",
                path: "path",
                description: "description",
                visibilityLevel: "visibility",
                defaultBranch: "default_branch",
            });
            const rest = api();
            const project =
                Object.keys(body).length > 0
                    ? await rest.put(`projects/${id}`, body)
                    : await rest.get(`projects/${id}`);
            return { outs: outputsOf(news, project) };
        },
        async delete(id, props) {
            await deleteTwoStep(
                api(),
                `projects/${id}`,
                props.pathWithNamespace,
                props.permanentlyDeleteOnDestroy === true,
            );
        },
    };
}

/**
 * Arguments of {@link Project}; the names of `gitlab.Project` in `@pulumi/gitlab`.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/project/
 */
export interface ProjectArgs {
    /** The project's display name. */
    name: pulumi.Input<string>;
    /** The project's URL path segment (`web` in `apps/web`). */
    path: pulumi.Input<string>;
    /** The ID of the group the project lives in (a {@link Group}'s `groupId`). Changing it replaces the project. */
    namespaceId: pulumi.Input<number>;
    /** The project's description. @default - GitLab's: empty */
    description?: pulumi.Input<string>;
    /** `private`, `internal` or `public`. @default - GitLab's instance default (private on a fresh instance) */
    visibilityLevel?: pulumi.Input<VisibilityLevel>;
    /** The default branch. @default - GitLab's instance default (`main`) */
    defaultBranch?: pulumi.Input<string>;
    /**
     * Create the repository with a README, so the default branch exists for the files the stack commits
     * (an agent's configuration file). Read at creation only.
     * @default true
     */
    initializeWithReadme?: pulumi.Input<boolean>;
    /**
     * On destroy, remove the project at once instead of leaving it marked for deletion for GitLab's
     * retention period.
     * @default false
     */
    permanentlyDeleteOnDestroy?: pulumi.Input<boolean>;
}

const PROVIDER = projectProvider();

/**
 * A GitLab project (`POST /projects`). The resource ID is the numeric project ID (the real provider's
 * import format). Needs a token with the `api` scope whose user may create projects in the group.
 * @see https://docs.gitlab.com/api/projects/
 */
export class Project extends pulumi.dynamic.Resource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly path: pulumi.Output<string>;
    declare public readonly namespaceId: pulumi.Output<number>;
    declare public readonly projectId: pulumi.Output<number>;
    /** `group/project`: how the agent, deploy tokens and files name the project. */
    declare public readonly pathWithNamespace: pulumi.Output<string>;
    declare public readonly webUrl: pulumi.Output<string>;

    constructor(name: string, args: ProjectArgs, opts?: pulumi.CustomResourceOptions) {
        const {
            name: projectName,
            path,
            namespaceId,
            description,
            visibilityLevel,
            defaultBranch,
            initializeWithReadme,
            permanentlyDeleteOnDestroy,
        } = args;
        const props = {
            name: projectName,
            path,
            namespaceId,
            description,
            visibilityLevel,
            defaultBranch,
            initializeWithReadme: initializeWithReadme ?? true,
            permanentlyDeleteOnDestroy,
            projectId: undefined,
            pathWithNamespace: undefined,
            webUrl: undefined,
        };
        super(PROVIDER, name, props, opts, "gitlab", "Project");
    }
}
