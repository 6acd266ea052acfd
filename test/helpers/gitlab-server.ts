/**
 * A stand-in for GitLab's REST API on 127.0.0.1 (random port), for contract tests of the dynamic
 * providers. It speaks the documented endpoints the providers use, answers with GitLab's status codes
 * and message shapes, injects faults on demand (statuses for the next N requests, delays, dropped
 * connections, rate limits with Retry-After) and records every request.
 *
 * Shapes checked against docs.gitlab.com/api (cluster_agents, users#create-a-runner-linked-to-a-user,
 * runners, deploy_tokens, repository_files, project_level_variables) and GitLab's request specs:
 * agent-token limit `400 Bad request - An agent can have only two active tokens at a time`, a revoked
 * token 404s on GET and 204s on DELETE, token lists show active tokens only; duplicate agent names give
 * `400 Bad request - ["Name has already been taken"]`; file conflicts `A file with this name already
 * exists` / `... doesn't exist` (400); duplicate variables `{"message":{"key":["(K) has already been
 * taken"]}}` (400) and ambiguous keys 409; missing scope 403 `insufficient_scope`.
 */
import { createHash, randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface RecordedRequest {
    method: string;
    /** Raw path after `/api/v4`, still URL-encoded (`/projects/group%2Fapp/variables`). */
    path: string;
    query: Record<string, string>;
    headers: http.IncomingHttpHeaders;
    body: unknown;
    status?: number;
    fault?: string;
}

/** A switchable failure, applied to the next `times` matching requests before normal handling. */
export interface Fault {
    /** Only this method. @default - any */
    method?: string;
    /** Only raw paths (after `/api/v4`) matching this. @default - any (a global fault) */
    path?: RegExp;
    /** How many matching requests it applies to. @default 1 */
    times?: number;
    /** Answer with this status instead of handling (body: `message`, or GitLab's default text). */
    status?: number;
    body?: unknown;
    headers?: Record<string, string>;
    /** Wait this long first. */
    delayMs?: number;
    /** Destroy the socket: `before` handling (nothing happened) or `after` it (done, answer lost). */
    drop?: "before" | "after";
}

interface Project { id: number; path: string; branches: Set<string> }
interface Agent { id: number; projectId: number; name: string; created_at: string }
interface AgentToken { id: number; agent_id: number; name: string; description: string | null; status: "active" | "revoked"; created_at: string }
type Json = Record<string, unknown>;

const TEXT: Record<number, string> = { 400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };
const DEPLOY_SCOPES = ["read_repository", "read_registry", "write_registry", "read_virtual_registry", "write_virtual_registry", "read_package_registry", "write_package_registry"];

class Reply {
    constructor(readonly status: number, readonly body?: unknown) {}
}
const reply = (status: number, body?: unknown): Reply => new Reply(status, body);
const notFound = (what: string): Reply => reply(404, { message: `404 ${what} Not Found` });
const bool = (v: unknown, dflt: boolean): boolean => (v === undefined ? dflt : v === true || v === "true");

/**
 * Extra endpoints mounted on the server (e.g. test/helpers/gitlab-server-namespaces.ts), asked first;
 * `seg` are the decoded path segments after `/api/v4`, `params` query and body merged. Undefined: not mine.
 */
export interface ServerExtension {
    route(method: string, seg: string[], params: Record<string, unknown>): { status: number; body?: unknown } | undefined;
}

/** The fake GitLab. Mutate its maps to create drift; `inject` faults; read `requests`. */
export class FakeGitLab {
    /** Mounted extensions, asked before the built-in routes. */
    readonly extensions: ServerExtension[] = [];
    /** API root, `http://127.0.0.1:<port>/api/v4`. */
    url = "";
    /** The only accepted `PRIVATE-TOKEN`. */
    token = "glpat-fake-server-token-0123456789";
    /** Scopes of {@link token}: `api` (everything), `read_api` (GETs), `create_runner` (`POST /user/runners`). */
    scopes = ["api"];
    readonly requests: RecordedRequest[] = [];
    /** Every token value the server handed out (agent, runner, deploy tokens), for leak checks. */
    readonly minted: string[] = [];
    readonly projects: Project[] = [{ id: 1, path: "group/app", branches: new Set(["main"]) }];
    readonly agents = new Map<number, Agent>();
    readonly agentTokens = new Map<number, AgentToken>();
    readonly runners = new Map<number, Json>();
    readonly deployTokens = new Map<number, Json & { projectId: number }>();
    /** `${projectId}:${branch}:${path}` -> file. */
    readonly files = new Map<string, { content: Buffer; execute_filemode: boolean; commit: string }>();
    readonly variables = new Map<number, Json[]>();
    private faults: (Fault & { left: number })[] = [];
    private nextId = 1;
    private timers = new Set<NodeJS.Timeout>();
    private readonly server = http.createServer((req, res) => void this.serve(req, res));

    /** Starts listening on 127.0.0.1 and a random port. */
    async start(): Promise<this> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v4`;
        return this;
    }

    async close(): Promise<void> {
        this.timers.forEach(clearTimeout);
        this.server.closeAllConnections();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    /** Adds a fault; several are matched in order. */
    inject(fault: Fault): void {
        this.faults.push({ ...fault, left: fault.times ?? 1 });
    }

    /** Requests matching a method and raw-path pattern. */
    requestsTo(method: string, path: RegExp): RecordedRequest[] {
        return this.requests.filter((r) => r.method === method && path.test(r.path));
    }

    private id(): number {
        return this.nextId++;
    }

    private secret(prefix: string): string {
        const value = `${prefix}${randomBytes(12).toString("hex")}`;
        this.minted.push(value);
        return value;
    }

    private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const [rawPath, rawQuery = ""] = (req.url ?? "").split("?");
        const raw = Buffer.concat(chunks).toString("utf8");
        let body: unknown = raw === "" ? {} : raw;
        if (raw !== "" && (req.headers["content-type"] ?? "").includes("json")) body = JSON.parse(raw);
        else if (raw !== "") body = Object.fromEntries(new URLSearchParams(raw));
        const record: RecordedRequest = { method: req.method ?? "GET", path: rawPath.replace(/^\/api\/v4/, ""), query: Object.fromEntries(new URLSearchParams(rawQuery)), headers: { ...req.headers }, body };
        this.requests.push(record);

        const fault = this.faults.find((f) => f.left > 0 && (!f.method || f.method === record.method) && (!f.path || f.path.test(record.path)));
        if (fault) {
            fault.left--;
            record.fault = fault.drop ? `drop ${fault.drop}` : fault.status ? `status ${fault.status}` : `delay ${fault.delayMs}`;
        }
        if (fault?.delayMs) await new Promise<void>((resolve) => this.timers.add(setTimeout(resolve, fault.delayMs)));
        if (fault?.drop === "before") return void req.socket.destroy();
        let out: Reply;
        let headers: Record<string, string> = {};
        if (fault?.status) {
            out = reply(fault.status, fault.body ?? { message: `${fault.status} ${TEXT[fault.status] ?? "Error"}` });
            headers = fault.headers ?? {};
        } else {
            const params = { ...record.query, ...(typeof body === "object" ? (body as Json) : {}) };
            out = this.authorize(record) ?? this.route(record.method, rawPath, params);
        }
        if (fault?.drop === "after") return void req.socket.destroy();
        record.status = out.status;
        const text = out.body === undefined ? "" : JSON.stringify(out.body);
        res.writeHead(out.status, { ...(text ? { "content-type": "application/json" } : {}), ...headers });
        res.end(text);
    }

    private authorize(r: RecordedRequest): Reply | undefined {
        const bearer = (r.headers.authorization ?? "").replace(/^Bearer /, "");
        if (r.headers["private-token"] !== this.token && bearer !== this.token) return reply(401, { message: "401 Unauthorized" });
        const need = r.method === "POST" && r.path === "/user/runners" ? ["api", "create_runner"] : r.method === "GET" ? ["api", "read_api"] : ["api"];
        if (need.some((s) => this.scopes.includes(s))) return undefined;
        return reply(403, { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope: need.join(" ") });
    }

    private route(method: string, rawPath: string, p: Json): Reply {
        const seg = rawPath.split("/").filter(Boolean).slice(2).map(decodeURIComponent);
        const key = `${method} ${seg.map((s, i) => (i % 2 === 1 ? ":" : s)).join("/")}`;
        for (const ext of this.extensions) {
            const out = ext.route(method, seg, p);
            if (out) return reply(out.status, out.body);
        }
        if (seg.join("/") === "user/runners" && method === "POST") return this.createRunner(p);
        if (seg[0] === "runners" && seg.length === 2) return this.runner(method, Number(seg[1]), p);
        if (seg[0] !== "projects") return reply(404, { error: "404 Not Found" });
        const project = this.projects.find((x) => String(x.id) === seg[1] || x.path === seg[1]);
        if (!project) return notFound("Project");
        if (seg[2] === "repository" && seg[3] === "files" && seg.length === 5) return this.file(method, project, seg[4], p);
        switch (key) {
            case "GET projects/:/cluster_agents":
                return reply(200, [...this.agents.values()].filter((a) => a.projectId === project.id).map((a) => this.agentJson(a)));
            case "POST projects/:/cluster_agents":
                return this.createAgent(project, p);
            case "GET projects/:/cluster_agents/:":
            case "DELETE projects/:/cluster_agents/:": {
                const agent = this.agents.get(Number(seg[3]));
                if (!agent || agent.projectId !== project.id) return notFound("Agent");
                if (method === "GET") return reply(200, this.agentJson(agent));
                this.agents.delete(agent.id);
                return reply(204);
            }
            case "GET projects/:/cluster_agents/:/tokens":
            case "POST projects/:/cluster_agents/:/tokens":
            case "GET projects/:/cluster_agents/:/tokens/:":
            case "DELETE projects/:/cluster_agents/:/tokens/:":
                return this.agentToken(method, project, Number(seg[3]), seg[5], p);
            case "GET projects/:/deploy_tokens":
                return reply(200, [...this.deployTokens.values()].filter((t) => t.projectId === project.id).map(({ projectId: _p, ...t }) => t));
            case "POST projects/:/deploy_tokens":
                return this.createDeployToken(project, p);
            case "GET projects/:/deploy_tokens/:":
            case "DELETE projects/:/deploy_tokens/:": {
                const token = this.deployTokens.get(Number(seg[3]));
                if (!token || token.projectId !== project.id) return notFound("Deploy Token");
                if (method === "DELETE") return this.deployTokens.delete(token.id as number), reply(204);
                const { projectId: _p, ...json } = token;
                return reply(200, json);
            }
            case "GET projects/:/variables":
                return reply(200, this.variables.get(project.id) ?? []);
            case "POST projects/:/variables":
                return this.createVariable(project, p);
            case "GET projects/:/variables/:":
            case "PUT projects/:/variables/:":
            case "DELETE projects/:/variables/:":
                return this.variable(method, project, seg[3], p);
            default:
                return reply(404, { error: "404 Not Found" });
        }
    }

    private agentJson(a: Agent): Json {
        const project = this.projects.find((p) => p.id === a.projectId);
        return { id: a.id, name: a.name, config_project: { id: project?.id, path_with_namespace: project?.path }, created_at: a.created_at, created_by_user_id: 1 };
    }

    private createAgent(project: Project, p: Json): Reply {
        const name = p.name;
        if (typeof name !== "string") return reply(400, { error: "name is missing" });
        const problems: string[] = [];
        if (!/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/.test(name)) problems.push("Name can contain only lowercase letters, digits, and '-', but cannot start or end with '-'");
        if (name.length > 63) problems.push("Name is too long (maximum is 63 characters)");
        if ([...this.agents.values()].some((a) => a.projectId === project.id && a.name === name)) problems.push("Name has already been taken");
        if (problems.length > 0) return reply(400, { message: `400 Bad request - ${JSON.stringify(problems)}` });
        const agent: Agent = { id: this.id(), projectId: project.id, name, created_at: new Date().toISOString() };
        this.agents.set(agent.id, agent);
        return reply(201, this.agentJson(agent));
    }

    private agentToken(method: string, project: Project, agentId: number, tokenId: string | undefined, p: Json): Reply {
        const agent = this.agents.get(agentId);
        if (!agent || agent.projectId !== project.id) return notFound("Agent");
        const active = [...this.agentTokens.values()].filter((t) => t.agent_id === agentId && t.status === "active");
        if (tokenId === undefined && method === "GET") return reply(200, active);
        if (tokenId === undefined) {
            if (typeof p.name !== "string") return reply(400, { error: "name is missing" });
            if (active.length >= 2) return reply(400, { message: "400 Bad request - An agent can have only two active tokens at a time" });
            const t: AgentToken = { id: this.id(), agent_id: agentId, name: p.name, description: (p.description as string) ?? null, status: "active", created_at: new Date().toISOString() };
            this.agentTokens.set(t.id, t);
            return reply(201, { ...t, created_by_user_id: 1, last_used_at: null, token: this.secret("glagent-") });
        }
        const t = this.agentTokens.get(Number(tokenId));
        if (!t || t.agent_id !== agentId) return notFound("AgentToken");
        if (method === "DELETE") return (t.status = "revoked"), reply(204);
        return t.status === "revoked" ? notFound("AgentToken") : reply(200, { ...t, created_by_user_id: 1, last_used_at: null });
    }

    private createRunner(p: Json): Reply {
        const type = p.runner_type;
        if (type === undefined) return reply(400, { error: "runner_type is missing" });
        if (!["instance_type", "group_type", "project_type"].includes(String(type))) return reply(400, { error: "runner_type does not have a valid value" });
        if (type === "group_type" && p.group_id === undefined) return reply(400, { message: "400 Bad request - group_id is missing" });
        if (type === "project_type" && p.project_id === undefined) return reply(400, { message: "400 Bad request - project_id is missing" });
        const id = this.id();
        this.runners.set(id, {
            id, runner_type: type, description: p.description ?? "", paused: bool(p.paused, false), locked: bool(p.locked, false),
            run_untagged: bool(p.run_untagged, true), tag_list: (p.tag_list as string[]) ?? [], access_level: p.access_level ?? "not_protected",
            maximum_timeout: p.maximum_timeout ?? null, maintenance_note: p.maintenance_note ?? null, is_shared: type === "instance_type",
        });
        return reply(201, { id, token: this.secret("glrt-"), token_expires_at: null });
    }

    private runner(method: string, id: number, p: Json): Reply {
        const runner = this.runners.get(id);
        if (!runner) return notFound("Runner");
        if (method === "DELETE") return this.runners.delete(id), reply(204);
        if (method === "PUT") {
            for (const k of ["description", "paused", "locked", "run_untagged", "tag_list", "access_level", "maximum_timeout", "maintenance_note"]) if (p[k] !== undefined) runner[k] = p[k];
        }
        return method === "GET" || method === "PUT" ? reply(200, runner) : reply(405);
    }

    private createDeployToken(project: Project, p: Json): Reply {
        const scopes = p.scopes as string[] | undefined;
        if (typeof p.name !== "string") return reply(400, { error: "name is missing" });
        if (!Array.isArray(scopes) || scopes.length === 0) return reply(400, { error: "scopes is missing" });
        if (scopes.some((s) => !DEPLOY_SCOPES.includes(s))) return reply(400, { error: "scopes does not have a valid value" });
        const id = this.id();
        const token = { id, projectId: project.id, name: p.name, username: (p.username as string) ?? `gitlab+deploy-token-${id}`, expires_at: p.expires_at ?? null, scopes, revoked: false, expired: false };
        this.deployTokens.set(id, token);
        const { projectId: _p, ...json } = token;
        return reply(201, { ...json, token: this.secret("gldt-") });
    }

    private file(method: string, project: Project, path: string, p: Json): Reply {
        const branch = String(p.branch ?? p.ref ?? "");
        if (!branch) return reply(400, { error: method === "GET" ? "ref is missing" : "branch is missing" });
        const key = `${project.id}:${branch}:${path}`;
        const existing = this.files.get(key);
        if (method === "GET") {
            if (!existing || !project.branches.has(branch)) return notFound("File");
            const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
            return reply(200, {
                file_name: path.split("/").pop(), file_path: path, size: existing.content.length, encoding: "base64", content: existing.content.toString("base64"),
                content_sha256: sha(existing.content), ref: branch, blob_id: sha(existing.content).slice(0, 40), commit_id: existing.commit, last_commit_id: existing.commit, execute_filemode: existing.execute_filemode,
            });
        }
        if (!project.branches.has(branch)) {
            if (method !== "POST" || !p.start_branch) return reply(400, { message: "You can only create or edit files when you are on a branch" });
            project.branches.add(branch);
        }
        if (method !== "DELETE" && typeof p.commit_message !== "string") return reply(400, { error: "commit_message is missing" });
        if (method === "POST" && existing) return reply(400, { message: "A file with this name already exists" });
        if ((method === "PUT" || method === "DELETE") && !existing) return reply(400, { message: "A file with this name doesn't exist" });
        if (method === "DELETE") return this.files.delete(key), reply(204);
        const content = p.encoding === "base64" ? Buffer.from(String(p.content ?? ""), "base64") : Buffer.from(String(p.content ?? ""), "utf8");
        this.files.set(key, { content, execute_filemode: bool(p.execute_filemode, existing?.execute_filemode ?? false), commit: randomBytes(20).toString("hex") });
        return reply(method === "POST" ? 201 : 200, { file_path: path, branch });
    }

    private createVariable(project: Project, p: Json): Reply {
        if (typeof p.key !== "string") return reply(400, { error: "key is missing" });
        if (typeof p.value !== "string") return reply(400, { error: "value is missing" });
        if (!/^[A-Za-z0-9_]{1,255}$/.test(p.key)) return reply(400, { message: { key: ["can contain only letters, digits and '_'."] } });
        const scope = (p.environment_scope as string) ?? "*";
        const list = this.variables.get(project.id) ?? [];
        if (list.some((v) => v.key === p.key && v.environment_scope === scope)) return reply(400, { message: { key: [`(${p.key}) has already been taken`] } });
        const variable = { key: p.key, value: p.value, variable_type: p.variable_type ?? "env_var", protected: bool(p.protected, false), masked: bool(p.masked, false), hidden: false, raw: bool(p.raw, false), environment_scope: scope, description: p.description ?? null };
        this.variables.set(project.id, [...list, variable]);
        return reply(201, variable);
    }

    private variable(method: string, project: Project, key: string, p: Json): Reply {
        const filter = (p["filter[environment_scope]"] ?? (p.filter as Json | undefined)?.environment_scope) as string | undefined;
        const list = this.variables.get(project.id) ?? [];
        const hits = list.filter((v) => v.key === key && (filter === undefined || v.environment_scope === filter));
        if (hits.length === 0) return notFound("Variable");
        if (hits.length > 1) return reply(409, { message: "There are multiple variables with provided parameters. Please use 'filter[environment_scope]'" });
        const v = hits[0];
        if (method === "DELETE") return this.variables.set(project.id, list.filter((x) => x !== v)), reply(204);
        if (method === "PUT") for (const k of ["value", "variable_type", "protected", "masked", "raw", "description"]) if (p[k] !== undefined) v[k] = p[k];
        return reply(200, v);
    }
}

/** Starts a fake GitLab; close it in `after`. */
export async function startGitLabServer(): Promise<FakeGitLab> {
    return new FakeGitLab().start();
}
