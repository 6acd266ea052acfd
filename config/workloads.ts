/**
 * The platform / workloads split (issue 17): the keys a workloads stack adds, and the rules that make a
 * first `pulumi up` of each stack succeed on its own.
 *
 * - `platformStack`: the platform stack this one reads (GitLab URL, KAS address, registry host, cluster
 *   access) through a `pulumi.StackReference`.
 * - `gitlabObjects`: the groups and projects the workloads reference, declared (created by this stack)
 *   or named as existing, and whether this stack may switch on cross-top-level-group CI access.
 * - `namespaces`: namespaces this stack creates, for apps and Flux `targetNamespace`s.
 *
 * GitLab facts (docs.gitlab.com, GitLab 18.x, December 2026): agent CI/CD access to a group or project
 * in another top-level group than the agent's configuration project is ignored unless the instance
 * setting `organization_cluster_agent_authorization_enabled` is on (user/clusters/agent/ci_cd_workflow,
 * api/settings).
 */
import { z } from "zod";
import type { Problem } from "../components/errors";
import type { GitLabObjectsArgs } from "../components/gitlab-api/gitlab-objects";

/** A DNS label (a Kubernetes namespace name). */
const dnsLabel = z
    .string()
    .regex(/^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/, { message: "not a namespace name (expected a DNS label)" });

/** A GitLab full path: `group`, `group/sub`, `group/project`. */
const fullPath = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)*$/, {
    message: "not a GitLab full path (expected e.g. apps or apps/web)",
});

/** `Pulumi.<stack>.yaml` `platformStack`: a stack name, `org/project/stack` or `project/stack`. */
export const platformStackSchema = z.string().regex(/^[\w.-]+(?:\/[\w.-]+){0,2}$/, {
    message: "not a stack name (expected e.g. dev, or acme/gitlab-platform/dev)",
});

export const gitlabObjectsSchema = z.strictObject({
    /** Groups this stack creates, as full paths (parents first or implied by a listed parent). */
    groups: z.array(fullPath).optional(),
    /** Projects this stack creates, as full paths; their group must be listed in `groups` or `existing`. */
    projects: z.array(fullPath).optional(),
    /**
     * Groups and projects that exist already (GitLab.com, or made by hand); never created or deleted,
     * but checked to exist on `pulumi up`, as a project when the agent or a Flux sync names it as its
     * project or the agent grants it CI access as a project, else as a group.
     */
    existing: z.array(fullPath).optional(),
    /**
     * Manage the instance setting `organization_cluster_agent_authorization_enabled` (administrator
     * token), needed when the agent grants CI access outside its project's top-level group.
     */
    manageCrossGroupCiAccess: z.boolean().optional(),
});
export type GitLabObjectsConfig = z.output<typeof gitlabObjectsSchema>;

export const namespacesSchema = z.array(dnsLabel);

/** What the rules read: the parsed keys they span. */
export interface WorkloadsView {
    gitlab?: unknown;
    gitlabUrl?: string;
    platformStack?: string;
    cluster: { type: string };
    gitlabObjects?: GitLabObjectsConfig;
    namespaces?: string[];
    agent?: {
        project: string | number;
        ciAccess?: { projects?: { id: string }[]; groups?: { id: string }[] };
        namespace?: string;
        createNamespace?: boolean;
    };
    runners?: unknown[];
    flux?: { syncs?: { project: string | number; kustomization?: { targetNamespace?: string } }[] };
    apps?: { name: string; namespace?: string }[];
}

/** Whether the stack declares GitLab API objects (agent, runner tokens, deploy tokens, groups, projects). */
export function declaresGitLabApiObjects(c: WorkloadsView): boolean {
    return (
        c.agent !== undefined ||
        (c.runners ?? []).length > 0 ||
        (c.flux?.syncs ?? []).length > 0 ||
        c.gitlabObjects !== undefined
    );
}

const topLevel = (path: string): string => path.split("/")[0];

/** How the stack uses each path it names: as a group, a project, or both, with the first key naming it. */
function pathUses(
    c: Pick<WorkloadsView, "agent" | "flux">,
    objects?: GitLabObjectsConfig,
): Map<string, { group?: string; project?: string }> {
    const uses = new Map<string, { group?: string; project?: string }>();
    const use = (kind: "group" | "project", key: string, ref: string | number) => {
        if (!isPath(ref)) return;
        const u = uses.get(ref) ?? {};
        u[kind] ??= key;
        uses.set(ref, u);
    };
    // The group a declared group or project is created in (an existing one is looked up for its ID).
    for (const key of ["groups", "projects"] as const)
        objects?.[key]?.forEach((p, i) =>
            use("group", `gitlabObjects.${key}[${i}]`, p.split("/").slice(0, -1).join("/")),
        );
    if (c.agent) use("project", "agent.project", c.agent.project);
    c.agent?.ciAccess?.projects?.forEach((e, i) => use("project", `agent.ciAccess.projects[${i}].id`, e.id));
    c.agent?.ciAccess?.groups?.forEach((e, i) => use("group", `agent.ciAccess.groups[${i}].id`, e.id));
    c.flux?.syncs?.forEach((s, i) => use("project", `flux.syncs[${i}].project`, s.project));
    return uses;
}

/**
 * `gitlabObjects` as {@link GitLabObjectsArgs}: `existing` split into the groups and the projects to look
 * up, by how the stack uses each path (the rules below refuse a path used both ways or not at all).
 */
export function gitlabObjectsArgs(
    objects: GitLabObjectsConfig,
    c: Pick<WorkloadsView, "agent" | "flux">,
): GitLabObjectsArgs {
    const { existing = [], ...rest } = objects;
    const uses = pathUses(c, objects);
    const isProject = (p: string) => uses.get(p)?.project !== undefined;
    return {
        ...rest,
        ...(existing.length > 0
            ? {
                  existingGroups: existing.filter((p) => !isProject(p)),
                  existingProjects: existing.filter(isProject),
              }
            : {}),
    };
}
// An empty or malformed reference is the key's own rule's to report.
const isPath = (ref: string | number): ref is string => typeof ref === "string" && ref !== "" && !/^\d+$/.test(ref);
// A namespace that is not a DNS label is reported by the key's own rule, not again here.
const isNamespaceName = (ns: string): boolean => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns);

/**
 * Cross-key rules of the split. `tokenSet`: `gitlab:token` (or GITLAB_TOKEN) is available.
 * Returns `<key>: <problem> (expected ...)` lines.
 */
export function workloadsProblems(c: WorkloadsView, tokenSet: boolean): Problem[] {
    const problems: Problem[] = [];
    const api = declaresGitLabApiObjects(c);
    if (c.gitlab !== undefined && api) {
        for (const key of ["agent", "runners", "flux.syncs", "gitlabObjects"] as const) {
            const set =
                key === "agent"
                    ? c.agent !== undefined
                    : key === "runners"
                      ? (c.runners ?? []).length > 0
                      : key === "flux.syncs"
                        ? (c.flux?.syncs ?? []).length > 0
                        : c.gitlabObjects !== undefined;
            if (set) {
                problems.push({
                    path: key,
                    message:
                        "declares GitLab API objects against the GitLab this stack installs, which has no API token, DNS name or groups before this stack's first up " +
                        "(expected them in a workloads stack, e.g. dev-workloads, that reads this one through platformStack)",
                });
            }
        }
    }
    if (c.platformStack !== undefined && c.gitlab !== undefined)
        problems.push({
            path: "platformStack",
            message: "set in a stack that installs GitLab (expected it only in a workloads stack)",
        });
    if (c.platformStack !== undefined && c.gitlabUrl !== undefined)
        problems.push({
            path: "gitlabUrl",
            message: "set together with platformStack (expected one: the platform stack's GitLab URL is used)",
        });
    if (c.cluster.type === "platform" && c.platformStack === undefined)
        problems.push({
            path: "cluster.type",
            message:
                "platform needs platformStack (expected the platform stack whose kubeconfig output this stack uses)",
        });
    if (api && !tokenSet) {
        problems.push({
            path: "gitlab:token",
            message:
                "missing (expected a secret GitLab API token: run the command in the platform stack's output workloadsTokenCommand, " +
                "or pulumi config set --secret gitlab:token ..., or set GITLAB_TOKEN)",
        });
    }

    // Every group and project the workloads name is declared or named as existing.
    const objects = c.gitlabObjects;
    if (objects !== undefined || c.platformStack !== undefined) {
        const groups = new Set(objects?.groups ?? []);
        const projects = new Set(objects?.projects ?? []);
        const existing = new Set(objects?.existing ?? []);
        const known = (p: string) => groups.has(p) || projects.has(p) || existing.has(p);
        const parentOk = (p: string) => {
            const parent = p.split("/").slice(0, -1).join("/");
            // A declared object's parent is declared too (created first) or existing (looked up): its ID is needed.
            return parent === "" || groups.has(parent) || existing.has(parent);
        };
        (objects?.groups ?? []).forEach((g, i) => {
            if (!parentOk(g))
                problems.push({
                    path: `gitlabObjects.groups[${i}]`,
                    message: `"${g}" has a parent group that is neither declared nor existing (expected it in gitlabObjects.groups or gitlabObjects.existing)`,
                });
        });
        (objects?.projects ?? []).forEach((p, i) => {
            if (!p.includes("/"))
                problems.push({
                    path: `gitlabObjects.projects[${i}]`,
                    message: `"${p}" has no group (expected group/project)`,
                });
            else if (!parentOk(p))
                problems.push({
                    path: `gitlabObjects.projects[${i}]`,
                    message: `"${p}" is in a group that is neither declared nor existing (expected it in gitlabObjects.groups or gitlabObjects.existing)`,
                });
        });
        const need = (key: string, ref: string | number) => {
            if (isPath(ref) && !known(ref))
                problems.push({
                    path: key,
                    message: `"${ref}" is neither declared nor named as existing (expected it in gitlabObjects.projects, gitlabObjects.groups or gitlabObjects.existing)`,
                });
        };
        const declared = new Set([...groups, ...projects]);
        const uses = pathUses(c, objects);
        (objects?.existing ?? []).forEach((p, i, all) => {
            const key = `gitlabObjects.existing[${i}]`;
            const u = uses.get(p);
            if (all.indexOf(p) < i)
                problems.push({ path: key, message: `"${p}" is named twice (expected each existing path once)` });
            else if (declared.has(p))
                problems.push({
                    path: key,
                    message: `"${p}" is also declared (expected it either in gitlabObjects.groups or gitlabObjects.projects, created by this stack, or named as existing, not both)`,
                });
            else if (u === undefined)
                problems.push({
                    path: key,
                    message: `"${p}" is used by nothing in this stack (expected a group or project the agent, its CI access or a Flux sync names, or the group of a declared one, so it can be checked as one)`,
                });
            else if (u.group !== undefined && u.project !== undefined)
                problems.push({
                    path: key,
                    message: `"${p}" is used as a group (${u.group}) and as a project (${u.project}) (expected one: a GitLab path is either)`,
                });
        });
        if (c.agent) need("agent.project", c.agent.project);
        c.agent?.ciAccess?.projects?.forEach((e, i) => need(`agent.ciAccess.projects[${i}].id`, e.id));
        c.agent?.ciAccess?.groups?.forEach((e, i) => need(`agent.ciAccess.groups[${i}].id`, e.id));
        c.flux?.syncs?.forEach((s, i) => need(`flux.syncs[${i}].project`, s.project));
    }

    // CI access outside the agent project's top-level group works only with the instance setting on.
    if (c.agent && isPath(c.agent.project) && objects?.manageCrossGroupCiAccess !== true) {
        const home = topLevel(c.agent.project);
        const entries = [
            ...(c.agent.ciAccess?.projects ?? []).map((e, i) => [`agent.ciAccess.projects[${i}].id`, e.id] as const),
            ...(c.agent.ciAccess?.groups ?? []).map((e, i) => [`agent.ciAccess.groups[${i}].id`, e.id] as const),
        ];
        for (const [key, id] of entries) {
            if (isPath(id) && topLevel(id) !== home) {
                problems.push({
                    path: key,
                    message:
                        `"${id}" is outside the top-level group "${home}" of the agent's project, and GitLab ignores such access unless the instance setting ` +
                        `organization_cluster_agent_authorization_enabled is on (expected gitlabObjects.manageCrossGroupCiAccess: true with an administrator token, or a group or project under "${home}")`,
                });
            }
        }
    }

    // Namespaces workloads land in exist on the first up: created by this stack, or default.
    const created = new Set(["default", ...(c.namespaces ?? [])]);
    c.flux?.syncs?.forEach((s, i) => {
        const ns = s.kustomization?.targetNamespace;
        if (ns !== undefined && isNamespaceName(ns) && !created.has(ns)) {
            problems.push({
                path: `flux.syncs[${i}].kustomization.targetNamespace`,
                message: `"${ns}" is not created by this stack (expected it in namespaces, or default)`,
            });
        }
    });
    c.apps?.forEach((a, i) => {
        if (a.namespace !== undefined && isNamespaceName(a.namespace) && !created.has(a.namespace))
            problems.push({
                path: `apps[${i}].namespace`,
                message: `"${a.namespace}" is not created by this stack (expected it in namespaces, or default)`,
            });
    });
    return problems;
}
