/**
 * Groups, projects, namespaces and application settings for the fake GitLab (gitlab-server.ts), and a
 * fresh instance: only the root user (an administrator) and one token with the `api` scope, seeded with
 * the groups and projects a test names.
 *
 * Shapes checked against docs.gitlab.com/api (groups, projects, namespaces, settings; GitLab 18.x,
 * December 2026): a taken path answers 400 with `{"message":{"path":["has already been taken"]}}`; a
 * missing one 404 `Group Not Found` / `Project Not Found`; DELETE answers 202 `{"message":"202 Accepted"}`
 * and marks the object for deletion (`marked_for_deletion_on`); a second DELETE with
 * `permanently_remove=true` and the matching `full_path` removes it (top-level groups stay until the
 * retention period ends: 400); a group with projects or subgroups is deleted with them.
 */
import { FakeGitLab, type ServerExtension } from "./gitlab-server";

interface GroupRecord {
    id: number;
    name: string;
    path: string;
    full_path: string;
    full_name: string;
    parent_id: number | null;
    description: string;
    visibility: string;
    created_at: string;
    marked_for_deletion_on: string | null;
}
interface ProjectRecord {
    id: number;
    name: string;
    path: string;
    path_with_namespace: string;
    namespace_id: number;
    description: string;
    visibility: string;
    default_branch: string;
    created_at: string;
    marked_for_deletion_on: string | null;
}
type Out = { status: number; body?: unknown };

const ok = (body: unknown, status = 200): Out => ({ status, body });
const missing = (what: string): Out => ({ status: 404, body: { message: `404 ${what} Not Found` } });
const taken = (): Out => ({
    status: 400,
    body: { message: { path: ["has already been taken"], name: ["has already been taken"] } },
});
const bool = (v: unknown, dflt: boolean): boolean => (v === undefined ? dflt : v === true || v === "true");
const PATH = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/** The endpoints, with their own state, linked to the server's project list (so agents, files and tokens work on new projects). */
export class NamespacesExtension implements ServerExtension {
    readonly groups = new Map<number, GroupRecord>();
    readonly projects = new Map<number, ProjectRecord>();
    /** Application settings this project manages, as GitLab names them. */
    readonly settings: Record<string, unknown> = {
        organization_cluster_agent_authorization_enabled: false,
        default_branch_name: "main",
    };
    /** IDs far above the server's own, so both can hand them out. */
    private nextId = 10_000;

    constructor(private readonly server: FakeGitLab) {}

    /** Creates a group (and its parents) or a project directly, as seeding does. */
    seedGroup(fullPath: string): GroupRecord {
        const existing = this.groupByPath(fullPath);
        if (existing) return existing;
        const parts = fullPath.split("/");
        const parent = parts.length > 1 ? this.seedGroup(parts.slice(0, -1).join("/")) : undefined;
        const out = this.createGroup({ name: parts.at(-1), path: parts.at(-1), parent_id: parent?.id });
        return out.body as GroupRecord;
    }

    seedProject(fullPath: string): ProjectRecord {
        const parts = fullPath.split("/");
        const group = this.seedGroup(parts.slice(0, -1).join("/"));
        return this.createProject({
            name: parts.at(-1),
            path: parts.at(-1),
            namespace_id: group.id,
            initialize_with_readme: true,
        }).body as ProjectRecord;
    }

    groupByPath(fullPath: string): GroupRecord | undefined {
        return [...this.groups.values()].find((g) => g.full_path === fullPath);
    }

    projectByPath(fullPath: string): ProjectRecord | undefined {
        return [...this.projects.values()].find((p) => p.path_with_namespace === fullPath);
    }

    /** Everything that exists and is not marked for deletion, as full paths (groups end in `/`). */
    live(): string[] {
        return [
            ...[...this.groups.values()].filter((g) => !g.marked_for_deletion_on).map((g) => `${g.full_path}/`),
            ...[...this.projects.values()].filter((p) => !p.marked_for_deletion_on).map((p) => p.path_with_namespace),
        ].sort();
    }

    route(method: string, seg: string[], p: Record<string, unknown>): Out | undefined {
        const [kind, ref, ...rest] = seg;
        if (kind === "application" && ref === "settings" && rest.length === 0) {
            if (method === "GET") return ok(this.settings);
            if (method === "PUT") return (Object.assign(this.settings, p), ok(this.settings));
            return undefined;
        }
        if (kind === "namespaces" && ref !== undefined && rest.length === 0 && method === "GET") {
            const g = this.findGroup(ref);
            return g
                ? ok({
                      id: g.id,
                      name: g.name,
                      path: g.path,
                      kind: "group",
                      full_path: g.full_path,
                      parent_id: g.parent_id,
                  })
                : missing("Namespace");
        }
        if (kind === "groups" && rest.length === 0) {
            if (ref === undefined)
                return method === "POST"
                    ? this.createGroup(p)
                    : method === "GET"
                      ? ok([...this.groups.values()])
                      : undefined;
            const g = this.findGroup(ref);
            if (!g) return missing("Group");
            if (method === "GET") return ok(g);
            if (method === "PUT") return this.updateGroup(g, p);
            if (method === "DELETE") return this.deleteGroup(g, p);
            return undefined;
        }
        if (kind === "projects" && rest.length === 0) {
            if (ref === undefined) return method === "POST" ? this.createProject(p) : undefined;
            const proj = this.findProject(ref);
            if (!proj)
                return this.server.projects.some((x) => String(x.id) === ref || x.path === ref)
                    ? undefined
                    : missing("Project");
            if (method === "GET") return ok(proj);
            if (method === "PUT") return this.updateProject(proj, p);
            if (method === "DELETE") return this.deleteProject(proj, p);
        }
        return undefined;
    }

    private findGroup(ref: string): GroupRecord | undefined {
        return /^\d+$/.test(ref) ? this.groups.get(Number(ref)) : this.groupByPath(ref);
    }

    private findProject(ref: string): ProjectRecord | undefined {
        return /^\d+$/.test(ref) ? this.projects.get(Number(ref)) : this.projectByPath(ref);
    }

    private createGroup(p: Record<string, unknown>): Out {
        if (typeof p.name !== "string") return { status: 400, body: { error: "name is missing" } };
        if (typeof p.path !== "string") return { status: 400, body: { error: "path is missing" } };
        if (!PATH.test(p.path))
            return { status: 400, body: { message: { path: ["can contain only letters, digits, '_', '-' and '.'"] } } };
        const parent =
            p.parent_id !== undefined && p.parent_id !== null ? this.groups.get(Number(p.parent_id)) : undefined;
        if (p.parent_id !== undefined && p.parent_id !== null && !parent) return missing("Parent Group");
        const fullPath = parent ? `${parent.full_path}/${p.path}` : p.path;
        if (this.groupByPath(fullPath) || this.projectByPath(fullPath)) return taken();
        const g: GroupRecord = {
            id: this.nextId++,
            name: p.name,
            path: p.path,
            full_path: fullPath,
            full_name: parent ? `${parent.full_name} / ${p.name}` : p.name,
            parent_id: parent?.id ?? null,
            description: String(p.description ?? ""),
            visibility: String(p.visibility ?? "private"),
            created_at: new Date().toISOString(),
            marked_for_deletion_on: null,
        };
        this.groups.set(g.id, g);
        return ok({ ...g, web_url: `http://gitlab.fake/groups/${g.full_path}` }, 201);
    }

    private updateGroup(g: GroupRecord, p: Record<string, unknown>): Out {
        for (const k of ["name", "description", "visibility"] as const) if (p[k] !== undefined) g[k] = String(p[k]);
        if (p.path !== undefined && p.path !== g.path) {
            const parent = g.parent_id ? this.groups.get(g.parent_id) : undefined;
            const fullPath = parent ? `${parent.full_path}/${p.path}` : String(p.path);
            if (this.groupByPath(fullPath)) return taken();
            g.path = String(p.path);
            g.full_path = fullPath;
        }
        return ok(g);
    }

    private deleteGroup(g: GroupRecord, p: Record<string, unknown>): Out {
        if (bool(p.permanently_remove, false)) {
            if (p.full_path !== g.full_path)
                return {
                    status: 400,
                    body: { message: "`full_path` is incorrect. You must enter the complete path for the group." },
                };
            if (!g.marked_for_deletion_on)
                return { status: 400, body: { message: "Group must be marked for deletion first." } };
            if (g.parent_id === null)
                return {
                    status: 400,
                    body: { message: "`permanently_remove` option is only available for subgroups." },
                };
            this.removeGroupTree(g);
            return ok({ message: "202 Accepted" }, 202);
        }
        if (g.marked_for_deletion_on)
            return { status: 400, body: { message: "Group has been already marked for deletion" } };
        g.marked_for_deletion_on = new Date().toISOString().slice(0, 10);
        return ok({ message: "202 Accepted" }, 202);
    }

    private removeGroupTree(g: GroupRecord): void {
        for (const child of [...this.groups.values()].filter((c) => c.parent_id === g.id)) this.removeGroupTree(child);
        for (const proj of [...this.projects.values()].filter((x) => x.namespace_id === g.id)) this.removeProject(proj);
        this.groups.delete(g.id);
    }

    private createProject(p: Record<string, unknown>): Out {
        if (typeof p.name !== "string" && typeof p.path !== "string")
            return { status: 400, body: { error: "name, path are missing, at least one parameter must be provided" } };
        const path = String(p.path ?? p.name);
        if (!PATH.test(path))
            return { status: 400, body: { message: { path: ["can contain only letters, digits, '_', '-' and '.'"] } } };
        const ns = p.namespace_id !== undefined ? this.groups.get(Number(p.namespace_id)) : undefined;
        if (!ns) return missing("Namespace");
        const fullPath = `${ns.full_path}/${path}`;
        if (this.projectByPath(fullPath) || this.server.projects.some((x) => x.path === fullPath)) return taken();
        const branch = String(p.default_branch ?? this.settings.default_branch_name);
        const proj: ProjectRecord = {
            id: this.nextId++,
            name: String(p.name ?? path),
            path,
            path_with_namespace: fullPath,
            namespace_id: ns.id,
            description: String(p.description ?? ""),
            visibility: String(p.visibility ?? "private"),
            default_branch: branch,
            created_at: new Date().toISOString(),
            marked_for_deletion_on: null,
        };
        this.projects.set(proj.id, proj);
        // The server's own project list: agents, deploy tokens, files and variables live there.
        this.server.projects.push({
            id: proj.id,
            path: fullPath,
            branches: new Set(bool(p.initialize_with_readme, false) ? [branch] : []),
        });
        return ok({ ...proj, web_url: `http://gitlab.fake/${fullPath}` }, 201);
    }

    private updateProject(proj: ProjectRecord, p: Record<string, unknown>): Out {
        for (const k of ["name", "description", "visibility", "default_branch"] as const)
            if (p[k] !== undefined) proj[k] = String(p[k]);
        return ok(proj);
    }

    private deleteProject(proj: ProjectRecord, p: Record<string, unknown>): Out {
        if (bool(p.permanently_remove, false)) {
            if (p.full_path !== proj.path_with_namespace)
                return {
                    status: 400,
                    body: { message: "`full_path` is incorrect. You must enter the complete path for the project." },
                };
            if (!proj.marked_for_deletion_on)
                return { status: 400, body: { message: "Project must be marked for deletion first." } };
            this.removeProject(proj);
            return ok({ message: "202 Accepted" }, 202);
        }
        if (proj.marked_for_deletion_on)
            return { status: 400, body: { message: "Project has been already marked for deletion" } };
        proj.marked_for_deletion_on = new Date().toISOString().slice(0, 10);
        return ok({ message: "202 Accepted" }, 202);
    }

    private removeProject(proj: ProjectRecord): void {
        this.projects.delete(proj.id);
        const i = this.server.projects.findIndex((x) => x.id === proj.id);
        if (i >= 0) this.server.projects.splice(i, 1);
    }
}

/** What a fresh instance starts with besides root and its token. */
export interface Seed {
    /** Group full paths (parents created too). */
    groups?: string[];
    /** Project full paths (their groups created too), each with a default branch. */
    projects?: string[];
}

/** A fresh fake GitLab: root only (an administrator), one `api` token, no projects but the seeded ones. */
export interface FreshGitLab {
    server: FakeGitLab;
    namespaces: NamespacesExtension;
}

/** Starts a fresh instance on 127.0.0.1 and a free port; close `server` when done. */
export async function startFreshGitLab(seed: Seed = {}): Promise<FreshGitLab> {
    const server = new FakeGitLab();
    server.projects.length = 0; // the built-in sample project does not exist on a fresh instance
    const namespaces = new NamespacesExtension(server);
    server.extensions.push(namespaces);
    for (const g of seed.groups ?? []) namespaces.seedGroup(g);
    for (const p of seed.projects ?? []) namespaces.seedProject(p);
    await server.start();
    return { server, namespaces };
}
