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
 *
 * As strict as GitLab where the providers once relied on leniency: a file DELETE without
 * `commit_message` is refused (400 `commit_message is missing`, lib/api/files.rb requires it); two
 * commits to one branch at once make the second fail with Gitaly's `Could not update refs/heads/<b>.
 * Please refresh and try again.` (set `commitDelayMs` to widen the window); masked values follow
 * gitlabhq's Ci::Maskable (Base64 alphabet plus `@:.~`, 8+ characters; any non-space when raw);
 * `masked_and_hidden` hides a value from every later answer (value null); a runner's GET names its
 * owner in `groups` / `projects`. A fault can answer with a redirect (`redirectTo`).
 *
 * Endpoints live in a route table (`route(method, template, handler)`): templates such as
 * `projects/:id/variables/:key`, so further endpoints (groups, projects) are added without touching
 * the dispatcher.
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
    /**
     * Accept the request and never answer (the client's timeout ends it): `before` handling (nothing
     * happened) or `after` it (done, the answer never sent).
     */
    hang?: "before" | "after";
    /** Answer `302 Found` (or `status` when it is a 3xx) with this `Location`, before handling. */
    redirectTo?: string;
}

/** What a route handler gets: the decoded path segments, parameters from query and body, the project. */
export interface RouteContext {
    method: string;
    /** Decoded segments after `/api/v4/`. */
    seg: string[];
    /** Query and body parameters together. */
    params: Json;
    /** The project named by `projects/:id/...` (ID or full path), when the template starts so. */
    project?: Project;
}

/** A route handler's answer. */
export type RouteHandler = (ctx: RouteContext) => Reply | Promise<Reply>;

export interface Project {
    id: number;
    path: string;
    branches: Set<string>;
}
interface Agent {
    id: number;
    projectId: number;
    name: string;
    created_at: string;
}
interface AgentToken {
    id: number;
    agent_id: number;
    name: string;
    description: string | null;
    status: "active" | "revoked";
    created_at: string;
}
export type Json = Record<string, unknown>;

const TEXT: Record<number, string> = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
};
const DEPLOY_SCOPES = [
    "read_repository",
    "read_registry",
    "write_registry",
    "read_virtual_registry",
    "write_virtual_registry",
    "read_package_registry",
    "write_package_registry",
];

/** An answer: status and JSON body. */
export class Reply {
    constructor(
        readonly status: number,
        readonly body?: unknown,
    ) {}
}
/** A {@link Reply}. */
export const reply = (status: number, body?: unknown): Reply => new Reply(status, body);
const notFound = (what: string): Reply => reply(404, { message: `404 ${what} Not Found` });
const bool = (v: unknown, dflt: boolean): boolean => (v === undefined ? dflt : v === true || v === "true");

/**
 * Extra endpoints mounted on the server (e.g. test/helpers/gitlab-server-namespaces.ts), asked first;
 * `seg` are the decoded path segments after `/api/v4`, `params` query and body merged. Undefined: not mine.
 */
export interface ServerExtension {
    route(
        method: string,
        seg: string[],
        params: Record<string, unknown>,
    ): { status: number; body?: unknown } | undefined;
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
    /** How long a commit (file POST/PUT/DELETE) holds its branch; another commit meanwhile conflicts. */
    commitDelayMs = 0;
    /** Branches with a commit in flight, `${projectId}:${branch}`. */
    private readonly committing = new Set<string>();
    /** Route table: method, template segments (`:` matches any one segment), handler. */
    private readonly routes: { method: string; parts: string[]; handler: RouteHandler }[] = [];
    private faults: (Fault & { left: number })[] = [];
    private nextId = 1;
    private timers = new Set<NodeJS.Timeout>();
    private readonly server = http.createServer((req, res) => void this.serve(req, res));

    constructor() {
        this.registerRoutes();
    }

    /**
     * Adds or replaces an endpoint: `route("GET", "groups/:id", handler)`. A template starting with
     * `projects/:id` resolves the project first (404 when unknown) and hands it to the handler.
     */
    route(method: string, template: string, handler: RouteHandler): void {
        const parts = template.split("/").map((s) => (s.startsWith(":") ? ":" : s));
        const same = this.routes.findIndex((r) => r.method === method && r.parts.join("/") === parts.join("/"));
        if (same >= 0) this.routes.splice(same, 1);
        this.routes.push({ method, parts, handler });
    }

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
        const record: RecordedRequest = {
            method: req.method ?? "GET",
            path: rawPath.replace(/^\/api\/v4/, ""),
            query: Object.fromEntries(new URLSearchParams(rawQuery)),
            headers: { ...req.headers },
            body,
        };
        this.requests.push(record);

        const fault = this.faults.find(
            (f) => f.left > 0 && (!f.method || f.method === record.method) && (!f.path || f.path.test(record.path)),
        );
        if (fault) {
            fault.left--;
            record.fault = fault.drop
                ? `drop ${fault.drop}`
                : fault.hang
                  ? `hang ${fault.hang}`
                  : fault.redirectTo
                    ? `redirect ${fault.redirectTo}`
                    : fault.status
                      ? `status ${fault.status}`
                      : `delay ${fault.delayMs}`;
        }
        if (fault?.delayMs) await new Promise<void>((resolve) => this.timers.add(setTimeout(resolve, fault.delayMs)));
        if (fault?.drop === "before") return void req.socket.destroy();
        // The socket stays open and silent until the client gives up (or close() ends it).
        if (fault?.hang === "before") return;
        let out: Reply;
        let headers: Record<string, string> = {};
        if (fault?.redirectTo) {
            out = reply(fault.status && fault.status >= 300 && fault.status < 400 ? fault.status : 302, fault.body);
            headers = { ...fault.headers, location: fault.redirectTo };
        } else if (fault?.status) {
            out = reply(fault.status, fault.body ?? { message: `${fault.status} ${TEXT[fault.status] ?? "Error"}` });
            headers = fault.headers ?? {};
        } else {
            const params = { ...record.query, ...(typeof body === "object" ? (body as Json) : {}) };
            out = this.authorize(record) ?? (await this.dispatch(record.method, rawPath, params));
        }
        if (fault?.drop === "after") return void req.socket.destroy();
        if (fault?.hang === "after") return;
        record.status = out.status;
        const text = out.body === undefined ? "" : JSON.stringify(out.body);
        res.writeHead(out.status, { ...(text ? { "content-type": "application/json" } : {}), ...headers });
        res.end(text);
    }

    private authorize(r: RecordedRequest): Reply | undefined {
        const bearer = (r.headers.authorization ?? "").replace(/^Bearer /, "");
        if (r.headers["private-token"] !== this.token && bearer !== this.token)
            return reply(401, { message: "401 Unauthorized" });
        const need =
            r.method === "POST" && r.path === "/user/runners"
                ? ["api", "create_runner"]
                : r.method === "GET"
                  ? ["api", "read_api"]
                  : ["api"];
        if (need.some((s) => this.scopes.includes(s))) return undefined;
        return reply(403, {
            error: "insufficient_scope",
            error_description: "The request requires higher privileges than provided by the access token.",
            scope: need.join(" "),
        });
    }

    private async dispatch(method: string, rawPath: string, params: Json): Promise<Reply> {
        // Split before decoding: a repository file path is one URL-encoded segment (`a%2Fb.yaml`).
        const seg = rawPath.split("/").filter(Boolean).slice(2).map(decodeURIComponent);
        for (const ext of this.extensions) {
            const out = ext.route(method, seg, params);
            if (out) return reply(out.status, out.body);
        }
        const literals = (parts: string[]) => parts.filter((x) => x !== ":").length;
        const handler = this.routes
            .filter(
                (r) =>
                    r.method === method &&
                    r.parts.length === seg.length &&
                    r.parts.every((x, i) => x === ":" || x === seg[i]),
            )
            .sort((a, b) => literals(b.parts) - literals(a.parts))[0]?.handler;
        if (!handler) return reply(404, { error: "404 Not Found" });
        let project: Project | undefined;
        if (seg[0] === "projects") {
            project = this.projects.find((x) => String(x.id) === seg[1] || x.path === seg[1]);
            if (!project) return notFound("Project");
        }
        return handler({ method, seg, params, project });
    }

    private registerRoutes(): void {
        const any = (methods: string[], template: string, handler: RouteHandler) =>
            methods.forEach((m) => this.route(m, template, handler));
        this.route("POST", "user/runners", ({ params }) => this.createRunner(params));
        any(["GET", "PUT", "DELETE"], "runners/:id", ({ method, seg, params }) =>
            this.runner(method, Number(seg[1]), params),
        );
        this.route("GET", "projects/:id/cluster_agents", ({ project }) =>
            reply(
                200,
                [...this.agents.values()].filter((a) => a.projectId === project!.id).map((a) => this.agentJson(a)),
            ),
        );
        this.route("POST", "projects/:id/cluster_agents", ({ project, params }) => this.createAgent(project!, params));
        any(["GET", "DELETE"], "projects/:id/cluster_agents/:agent_id", ({ method, project, seg }) => {
            const agent = this.agents.get(Number(seg[3]));
            if (!agent || agent.projectId !== project!.id) return notFound("Agent");
            if (method === "GET") return reply(200, this.agentJson(agent));
            this.agents.delete(agent.id);
            return reply(204);
        });
        any(["GET", "POST"], "projects/:id/cluster_agents/:agent_id/tokens", ({ method, project, seg, params }) =>
            this.agentToken(method, project!, Number(seg[3]), undefined, params),
        );
        any(
            ["GET", "DELETE"],
            "projects/:id/cluster_agents/:agent_id/tokens/:token_id",
            ({ method, project, seg, params }) => this.agentToken(method, project!, Number(seg[3]), seg[5], params),
        );
        this.route("GET", "projects/:id/deploy_tokens", ({ project, params }) =>
            reply(
                200,
                [...this.deployTokens.values()]
                    .filter(
                        (t) =>
                            t.projectId === project!.id && (!bool(params.active, false) || (!t.revoked && !t.expired)),
                    )
                    .map(({ projectId: _p, ...t }) => t),
            ),
        );
        this.route("POST", "projects/:id/deploy_tokens", ({ project, params }) =>
            this.createDeployToken(project!, params),
        );
        any(["GET", "DELETE"], "projects/:id/deploy_tokens/:token_id", ({ method, project, seg }) => {
            const token = this.deployTokens.get(Number(seg[3]));
            if (!token || token.projectId !== project!.id) return notFound("Deploy Token");
            if (method === "DELETE") return (this.deployTokens.delete(token.id as number), reply(204));
            const { projectId: _p, ...json } = token;
            return reply(200, json);
        });
        this.route("GET", "projects/:id/variables", ({ project }) =>
            reply(
                200,
                (this.variables.get(project!.id) ?? []).map((v) => this.variableJson(v)),
            ),
        );
        this.route("POST", "projects/:id/variables", ({ project, params }) => this.createVariable(project!, params));
        any(["GET", "PUT", "DELETE"], "projects/:id/variables/:key", ({ method, project, seg, params }) =>
            this.variable(method, project!, seg[3], params),
        );
        any(
            ["GET", "POST", "PUT", "DELETE"],
            "projects/:id/repository/files/:file_path",
            ({ method, project, seg, params }) => this.file(method, project!, seg[4], params),
        );
    }

    private agentJson(a: Agent): Json {
        const project = this.projects.find((p) => p.id === a.projectId);
        return {
            id: a.id,
            name: a.name,
            config_project: { id: project?.id, path_with_namespace: project?.path },
            created_at: a.created_at,
            created_by_user_id: 1,
        };
    }

    private createAgent(project: Project, p: Json): Reply {
        const name = p.name;
        if (typeof name !== "string") return reply(400, { error: "name is missing" });
        const problems: string[] = [];
        if (!/^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/.test(name))
            problems.push("Name can contain only lowercase letters, digits, and '-', but cannot start or end with '-'");
        if (name.length > 63) problems.push("Name is too long (maximum is 63 characters)");
        if ([...this.agents.values()].some((a) => a.projectId === project.id && a.name === name))
            problems.push("Name has already been taken");
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
            if (active.length >= 2)
                return reply(400, { message: "400 Bad request - An agent can have only two active tokens at a time" });
            const t: AgentToken = {
                id: this.id(),
                agent_id: agentId,
                name: p.name,
                description: (p.description as string) ?? null,
                status: "active",
                created_at: new Date().toISOString(),
            };
            this.agentTokens.set(t.id, t);
            return reply(201, { ...t, created_by_user_id: 1, last_used_at: null, token: this.secret("glagent-") });
        }
        const t = this.agentTokens.get(Number(tokenId));
        if (!t || t.agent_id !== agentId) return notFound("AgentToken");
        if (method === "DELETE") return ((t.status = "revoked"), reply(204));
        return t.status === "revoked"
            ? notFound("AgentToken")
            : reply(200, { ...t, created_by_user_id: 1, last_used_at: null });
    }

    private createRunner(p: Json): Reply {
        const type = p.runner_type;
        if (type === undefined) return reply(400, { error: "runner_type is missing" });
        if (!["instance_type", "group_type", "project_type"].includes(String(type)))
            return reply(400, { error: "runner_type does not have a valid value" });
        if (type === "group_type" && p.group_id === undefined)
            return reply(400, { message: "400 Bad request - group_id is missing" });
        if (type === "project_type" && p.project_id === undefined)
            return reply(400, { message: "400 Bad request - project_id is missing" });
        const id = this.id();
        this.runners.set(id, {
            id,
            runner_type: type,
            description: p.description ?? "",
            paused: bool(p.paused, false),
            locked: bool(p.locked, false),
            run_untagged: bool(p.run_untagged, true),
            tag_list: (p.tag_list as string[]) ?? [],
            access_level: p.access_level ?? "not_protected",
            maximum_timeout: p.maximum_timeout ?? null,
            maintenance_note: p.maintenance_note ?? null,
            is_shared: type === "instance_type",
            // GET /runners/:id names the owner: the group of a group runner, the projects of a project runner.
            groups: type === "group_type" ? [{ id: Number(p.group_id), name: `group-${p.group_id}` }] : [],
            projects: type === "project_type" ? [{ id: Number(p.project_id), name: `project-${p.project_id}` }] : [],
        });
        return reply(201, { id, token: this.secret("glrt-"), token_expires_at: null });
    }

    private runner(method: string, id: number, p: Json): Reply {
        const runner = this.runners.get(id);
        if (!runner) return notFound("Runner");
        if (method === "DELETE") return (this.runners.delete(id), reply(204));
        if (method === "PUT") {
            for (const k of [
                "description",
                "paused",
                "locked",
                "run_untagged",
                "tag_list",
                "access_level",
                "maximum_timeout",
                "maintenance_note",
            ])
                if (p[k] !== undefined) runner[k] = p[k];
        }
        return method === "GET" || method === "PUT" ? reply(200, runner) : reply(405);
    }

    private createDeployToken(project: Project, p: Json): Reply {
        const scopes = p.scopes as string[] | undefined;
        if (typeof p.name !== "string") return reply(400, { error: "name is missing" });
        if (!Array.isArray(scopes) || scopes.length === 0) return reply(400, { error: "scopes is missing" });
        if (scopes.some((s) => !DEPLOY_SCOPES.includes(s)))
            return reply(400, { error: "scopes does not have a valid value" });
        const id = this.id();
        const token = {
            id,
            projectId: project.id,
            name: p.name,
            username: (p.username as string) ?? `gitlab+deploy-token-${id}`,
            expires_at: p.expires_at ?? null,
            scopes,
            revoked: false,
            expired: false,
        };
        this.deployTokens.set(id, token);
        const { projectId: _p, ...json } = token;
        return reply(201, { ...json, token: this.secret("gldt-") });
    }

    private async file(method: string, project: Project, path: string, p: Json): Promise<Reply> {
        const branch = String(p.branch ?? p.ref ?? "");
        if (!branch) return reply(400, { error: method === "GET" ? "ref is missing" : "branch is missing" });
        const key = `${project.id}:${branch}:${path}`;
        const existing = this.files.get(key);
        if (method === "GET") {
            if (!existing || !project.branches.has(branch)) return notFound("File");
            const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
            return reply(200, {
                file_name: path.split("/").pop(),
                file_path: path,
                size: existing.content.length,
                encoding: "base64",
                content: existing.content.toString("base64"),
                content_sha256: sha(existing.content),
                ref: branch,
                blob_id: sha(existing.content).slice(0, 40),
                commit_id: existing.commit,
                last_commit_id: existing.commit,
                execute_filemode: existing.execute_filemode,
            });
        }
        // GitLab requires commit_message on POST, PUT and DELETE alike (lib/api/files.rb: requires :commit_message).
        if (typeof p.commit_message !== "string" || p.commit_message === "")
            return reply(400, { error: "commit_message is missing" });
        const ref = `${project.id}:${branch}`;
        if (this.committing.has(ref))
            return reply(400, { message: `Could not update refs/heads/${branch}. Please refresh and try again.` });
        this.committing.add(ref);
        try {
            if (this.commitDelayMs > 0)
                await new Promise<void>((resolve) => this.timers.add(setTimeout(resolve, this.commitDelayMs)));
            return this.commit(method, project, branch, path, p);
        } finally {
            this.committing.delete(ref);
        }
    }

    private commit(method: string, project: Project, branch: string, path: string, p: Json): Reply {
        const key = `${project.id}:${branch}:${path}`;
        const existing = this.files.get(key);
        if (!project.branches.has(branch)) {
            if (method !== "POST" || !p.start_branch)
                return reply(400, { message: "You can only create or edit files when you are on a branch" });
            project.branches.add(branch);
        }
        if (method === "POST" && existing) return reply(400, { message: "A file with this name already exists" });
        if ((method === "PUT" || method === "DELETE") && !existing)
            return reply(400, { message: "A file with this name doesn't exist" });
        if (method === "DELETE") return (this.files.delete(key), reply(204));
        const content =
            p.encoding === "base64"
                ? Buffer.from(String(p.content ?? ""), "base64")
                : Buffer.from(String(p.content ?? ""), "utf8");
        this.files.set(key, {
            content,
            execute_filemode: bool(p.execute_filemode, existing?.execute_filemode ?? false),
            commit: randomBytes(20).toString("hex"),
        });
        return reply(method === "POST" ? 201 : 200, { file_path: path, branch });
    }

    /** A variable as GitLab shows it: a hidden variable's value is never shown again. */
    private variableJson(v: Json): Json {
        return v.hidden === true ? { ...v, value: null } : v;
    }

    /** gitlabhq Ci::Maskable: expanded masked values in the Base64 alphabet plus `@:.~`; raw ones any non-space; 8+. */
    private static maskable(value: string, raw: boolean): boolean {
        return (raw ? /^\S{8,}$/ : /^[a-zA-Z0-9_+=/@:.~-]{8,}$/).test(value);
    }

    private createVariable(project: Project, p: Json): Reply {
        if (typeof p.key !== "string") return reply(400, { error: "key is missing" });
        if (typeof p.value !== "string") return reply(400, { error: "value is missing" });
        if (!/^[A-Za-z0-9_]{1,255}$/.test(p.key))
            return reply(400, { message: { key: ["can contain only letters, digits and '_'."] } });
        const scope = (p.environment_scope as string) ?? "*";
        const list = this.variables.get(project.id) ?? [];
        if (list.some((v) => v.key === p.key && v.environment_scope === scope))
            return reply(400, { message: { key: [`(${p.key}) has already been taken`] } });
        const hidden = bool(p.masked_and_hidden, false);
        const masked = hidden || bool(p.masked, false);
        const raw = bool(p.raw, false);
        if (masked && !FakeGitLab.maskable(p.value, raw)) return reply(400, { message: { value: ["is invalid"] } });
        const variable = {
            key: p.key,
            value: p.value,
            variable_type: p.variable_type ?? "env_var",
            protected: bool(p.protected, false),
            masked,
            hidden,
            raw,
            environment_scope: scope,
            description: p.description ?? null,
        };
        this.variables.set(project.id, [...list, variable]);
        return reply(201, this.variableJson(variable));
    }

    private variable(method: string, project: Project, key: string, p: Json): Reply {
        const filter = (p["filter[environment_scope]"] ?? (p.filter as Json | undefined)?.environment_scope) as
            string | undefined;
        const list = this.variables.get(project.id) ?? [];
        const hits = list.filter((v) => v.key === key && (filter === undefined || v.environment_scope === filter));
        if (hits.length === 0) return notFound("Variable");
        if (hits.length > 1)
            return reply(409, {
                message:
                    "There are multiple variables with provided parameters. Please use 'filter[environment_scope]'",
            });
        const v = hits[0];
        if (method === "DELETE")
            return (
                this.variables.set(
                    project.id,
                    list.filter((x) => x !== v),
                ),
                reply(204)
            );
        if (method === "PUT") {
            const next = { ...v };
            for (const k of ["value", "variable_type", "description"]) if (p[k] !== undefined) next[k] = p[k];
            for (const k of ["protected", "masked", "raw"]) if (p[k] !== undefined) next[k] = bool(p[k], false);
            if (v.hidden === true && next.masked === false)
                return reply(400, { message: { masked: ["cannot be disabled for a hidden variable"] } });
            if (next.masked === true && !FakeGitLab.maskable(String(next.value), next.raw === true))
                return reply(400, { message: { value: ["is invalid"] } });
            Object.assign(v, next);
        }
        return reply(200, this.variableJson(v));
    }
}

/** Starts a fake GitLab; close it in `after`. */
export async function startGitLabServer(): Promise<FakeGitLab> {
    return new FakeGitLab().start();
}
