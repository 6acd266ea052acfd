import * as pulumi from "@pulumi/pulumi";
import { assertValid, type Problem } from "../errors";
import { ApplicationSettings } from "./application-settings";
import { Group } from "./group";
import { GetGroup, GetProject } from "./lookup";
import { Project } from "./project";

/** Arguments of {@link GitLabObjects}. */
export interface GitLabObjectsArgs {
    /**
     * Groups to create, as full paths; a subgroup's parent must be listed too (it is created first).
     * @default []
     */
    groups?: string[];
    /**
     * Projects to create, as full paths, each in a group listed in `groups`. Each gets a default branch
     * (a README commit), so files can be committed to it at once.
     * @default []
     */
    projects?: string[];
    /**
     * Groups that exist already, as full paths: checked on `pulumi up` (never created, changed or
     * deleted); a missing one fails the update before anything is created.
     * @default []
     */
    existingGroups?: string[];
    /**
     * Projects that exist already, as full paths: checked like `existingGroups`.
     * @default []
     */
    existingProjects?: string[];
    /**
     * Switch on the instance setting `organization_cluster_agent_authorization_enabled` (administrator
     * token), so agents may grant CI/CD access across top-level groups; destroying restores the old value.
     * @default false
     */
    manageCrossGroupCiAccess?: boolean;
}

/** Problems with the arguments, each `<field>: <problem> (expected ...)`. */
export function validateGitLabObjects(args: GitLabObjectsArgs): Problem[] {
    const problems: Problem[] = [];
    // A parent is created here first, or looked up: either way its ID is known before the child is created.
    const groups = new Set([...(args.groups ?? []), ...(args.existingGroups ?? [])]);
    (args.groups ?? []).forEach((g, i) => {
        const parent = g.split("/").slice(0, -1).join("/");
        if (parent !== "" && !groups.has(parent))
            problems.push({
                path: `groups[${i}]`,
                message: `"${g}" needs its parent "${parent}" in groups or existingGroups (expected parents declared too)`,
            });
    });
    (args.projects ?? []).forEach((p, i) => {
        const group = p.split("/").slice(0, -1).join("/");
        if (!groups.has(group))
            problems.push({
                path: `projects[${i}]`,
                message: `"${p}" needs its group "${group}" in groups or existingGroups (expected the group declared too)`,
            });
    });
    const declared = new Set([...(args.groups ?? []), ...(args.projects ?? [])]);
    const seen = new Set<string>();
    for (const key of ["existingGroups", "existingProjects"] as const)
        (args[key] ?? []).forEach((p, i) => {
            if (declared.has(p))
                problems.push({
                    path: `${key}[${i}]`,
                    message: `"${p}" is also declared (expected each path either created or existing, not both)`,
                });
            else if (seen.has(p))
                problems.push({
                    path: `${key}[${i}]`,
                    message: `"${p}" is named twice (expected each existing path once, as a group or a project)`,
                });
            seen.add(p);
        });
    return problems;
}

/**
 * The GitLab prerequisites of a workloads stack: the groups and projects its agent, runners and Flux
 * syncs name (created, or looked up when they exist already), and optionally the instance setting for
 * cross-group agent CI access. Give it to the GitLab API resources as `dependsOn`, so they run after
 * these exist. The lookups run first: a missing existing group or project fails the update before this
 * stack writes anything to GitLab.
 */
export class GitLabObjects extends pulumi.ComponentResource {
    /** Created groups by full path. */
    public readonly groups: Readonly<Record<string, Group>>;
    /** Created projects by full path. */
    public readonly projects: Readonly<Record<string, Project>>;
    /** Lookups of the existing groups and projects, by full path. */
    public readonly existing: Readonly<Record<string, GetGroup | GetProject>>;

    constructor(name: string, args: GitLabObjectsArgs, opts?: pulumi.ComponentResourceOptions) {
        assertValid("GitLabObjects", validateGitLabObjects(args));
        super("gitlab-platform:gitlab-api:GitLabObjects", name, {}, opts);
        const resourceName = (kind: string, path: string) => `${name}-${kind}-${path.replace(/[/.]/g, "-")}`;
        const existing: Record<string, GetGroup | GetProject> = {};
        for (const path of args.existingGroups ?? [])
            existing[path] = new GetGroup(resourceName("existing-group", path), { fullPath: path }, { parent: this });
        for (const path of args.existingProjects ?? [])
            existing[path] = new GetProject(
                resourceName("existing-project", path),
                { pathWithNamespace: path },
                { parent: this },
            );
        // Nothing is written before every lookup passed.
        const afterLookups = { parent: this, dependsOn: Object.values(existing) };
        const groups: Record<string, Group> = {};
        // A parent's ID: a group created here, or an existing one looked up.
        const groupId = (path: string) => groups[path]?.groupId ?? (existing[path] as GetGroup | undefined)?.groupId;
        // Parents first: sorted by depth.
        for (const path of [...(args.groups ?? [])].sort((a, b) => a.split("/").length - b.split("/").length)) {
            const segments = path.split("/");
            const parentId = groupId(segments.slice(0, -1).join("/"));
            groups[path] = new Group(
                resourceName("group", path),
                { name: segments.at(-1)!, path: segments.at(-1)!, ...(parentId ? { parentId } : {}) },
                afterLookups,
            );
        }
        const projects: Record<string, Project> = {};
        for (const path of args.projects ?? []) {
            const segments = path.split("/");
            projects[path] = new Project(
                resourceName("project", path),
                {
                    name: segments.at(-1)!,
                    path: segments.at(-1)!,
                    namespaceId: groupId(segments.slice(0, -1).join("/"))!,
                },
                afterLookups,
            );
        }
        if (args.manageCrossGroupCiAccess)
            new ApplicationSettings(
                `${name}-cross-group-ci-access`,
                { organizationClusterAgentAuthorizationEnabled: true },
                afterLookups,
            );
        this.groups = groups;
        this.projects = projects;
        this.existing = existing;
        this.registerOutputs({});
    }
}
