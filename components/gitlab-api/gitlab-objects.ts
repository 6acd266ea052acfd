import * as pulumi from "@pulumi/pulumi";
import { assertValid, type Problem } from "../errors";
import { ApplicationSettings } from "./application-settings";
import { Group } from "./group";
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
     * Switch on the instance setting `organization_cluster_agent_authorization_enabled` (administrator
     * token), so agents may grant CI/CD access across top-level groups; destroying restores the old value.
     * @default false
     */
    manageCrossGroupCiAccess?: boolean;
}

/** Problems with the arguments, each `<field>: <problem> (expected ...)`. */
export function validateGitLabObjects(args: GitLabObjectsArgs): Problem[] {
    const problems: Problem[] = [];
    const groups = new Set(args.groups ?? []);
    (args.groups ?? []).forEach((g, i) => {
        const parent = g.split("/").slice(0, -1).join("/");
        if (parent !== "" && !groups.has(parent))
            problems.push({
                path: `groups[${i}]`,
                message: `"${g}" needs its parent "${parent}" in groups (expected parents declared too)`,
            });
    });
    (args.projects ?? []).forEach((p, i) => {
        const group = p.split("/").slice(0, -1).join("/");
        if (!groups.has(group))
            problems.push({
                path: `projects[${i}]`,
                message: `"${p}" needs its group "${group}" in groups (expected the group declared too)`,
            });
    });
    return problems;
}

/**
 * The GitLab prerequisites of a workloads stack: the groups and projects its agent, runners and Flux
 * syncs name, and optionally the instance setting for cross-group agent CI access. Give it to the GitLab
 * API resources as `dependsOn`, so they run after these exist.
 */
export class GitLabObjects extends pulumi.ComponentResource {
    /** Created groups by full path. */
    public readonly groups: Readonly<Record<string, Group>>;
    /** Created projects by full path. */
    public readonly projects: Readonly<Record<string, Project>>;

    constructor(name: string, args: GitLabObjectsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:gitlab-api:GitLabObjects", name, {}, opts);
        assertValid("GitLabObjects", validateGitLabObjects(args));
        const groups: Record<string, Group> = {};
        // Parents first: sorted by depth.
        for (const path of [...(args.groups ?? [])].sort((a, b) => a.split("/").length - b.split("/").length)) {
            const segments = path.split("/");
            const parent = groups[segments.slice(0, -1).join("/")];
            groups[path] = new Group(
                `${name}-group-${path.replace(/[/.]/g, "-")}`,
                { name: segments.at(-1)!, path: segments.at(-1)!, ...(parent ? { parentId: parent.groupId } : {}) },
                { parent: this },
            );
        }
        const projects: Record<string, Project> = {};
        for (const path of args.projects ?? []) {
            const segments = path.split("/");
            projects[path] = new Project(
                `${name}-project-${path.replace(/[/.]/g, "-")}`,
                {
                    name: segments.at(-1)!,
                    path: segments.at(-1)!,
                    namespaceId: groups[segments.slice(0, -1).join("/")].groupId,
                },
                { parent: this },
            );
        }
        if (args.manageCrossGroupCiAccess)
            new ApplicationSettings(
                `${name}-cross-group-ci-access`,
                { organizationClusterAgentAuthorizationEnabled: true },
                { parent: this },
            );
        this.groups = groups;
        this.projects = projects;
        this.registerOutputs({});
    }
}
