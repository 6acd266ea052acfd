/**
 * A local stand-in for GitLab's merge-request notes API (docs.gitlab.com/api/notes), on 127.0.0.1 and a
 * random port: list with offset pagination (page, per_page up to 100, sort; Link and X-* headers as GitLab
 * sends them), create, update. Authenticates with PRIVATE-TOKEN and can be told to fail.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeNote {
    id: number;
    body: string;
    system: boolean;
    author: { username: string };
}

export interface RecordedRequest {
    method: string;
    path: string;
    query: Record<string, string>;
}

export interface FakeGitLabOptions {
    token: string;
    projectId: string;
    mergeRequestIid: number;
}

export class FakeGitLab {
    readonly notes: FakeNote[] = [];
    readonly requests: RecordedRequest[] = [];
    /** Answer every request with this status (and a GitLab-style JSON message) instead. */
    failWith?: { status: number; message: string };
    private server?: http.Server;
    private nextId = 1;

    constructor(readonly options: FakeGitLabOptions) {}

    addNote(body: string, extra: Partial<FakeNote> = {}): FakeNote {
        const note = { id: this.nextId++, body, system: false, author: { username: "someone" }, ...extra };
        this.notes.push(note);
        return note;
    }

    /** Starts listening; resolves to the API base URL (the value of CI_API_V4_URL). */
    async start(): Promise<string> {
        this.server = http.createServer((req, res) => {
            let raw = "";
            req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
            req.on("end", () => this.handle(req, raw, res));
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `${this.origin()}/api/v4`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    private origin(): string {
        return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    }

    private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
        const url = new URL(req.url ?? "/", this.origin());
        this.requests.push({
            method: req.method ?? "",
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
        });
        const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
            res.writeHead(status, { "content-type": "application/json", ...headers });
            res.end(JSON.stringify(body));
        };
        if (this.failWith) return send(this.failWith.status, { message: this.failWith.message });
        if (req.headers["private-token"] !== this.options.token) return send(401, { message: "401 Unauthorized" });
        const { projectId, mergeRequestIid } = this.options;
        const m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(url.pathname);
        if (!m || decodeURIComponent(m[1]) !== projectId || Number(m[2]) !== mergeRequestIid)
            return send(404, { message: "404 Not found" });
        const noteId = m[3] === undefined ? undefined : Number(m[3]);

        if (req.method === "GET" && noteId === undefined) return this.list(url, send);
        if (req.method === "POST" && noteId === undefined) {
            const body = (JSON.parse(raw) as { body?: string }).body;
            if (!body) return send(400, { message: "400 Bad request - body is missing" });
            return send(201, this.addNote(body, { author: { username: "bot" } }));
        }
        if (req.method === "PUT" && noteId !== undefined) {
            const note = this.notes.find((n) => n.id === noteId);
            if (!note) return send(404, { message: "404 Note Not Found" });
            note.body = (JSON.parse(raw) as { body: string }).body;
            return send(200, note);
        }
        return send(405, { message: "405 Method Not Allowed" });
    }

    private list(url: URL, send: (status: number, body: unknown, headers?: Record<string, string>) => void): void {
        const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 20), 100);
        const page = Number(url.searchParams.get("page") ?? 1);
        const sorted = [...this.notes].sort((a, b) =>
            url.searchParams.get("sort") === "asc" ? a.id - b.id : b.id - a.id,
        );
        const totalPages = Math.max(1, Math.ceil(sorted.length / perPage));
        const link = (p: number, rel: string) => {
            const u = new URL(url);
            u.searchParams.set("page", String(p));
            u.searchParams.set("per_page", String(perPage));
            return `<${u.toString()}>; rel="${rel}"`;
        };
        const links = [
            page > 1 ? link(page - 1, "prev") : "",
            page < totalPages ? link(page + 1, "next") : "",
            link(1, "first"),
            link(totalPages, "last"),
        ];
        send(200, sorted.slice((page - 1) * perPage, page * perPage), {
            link: links.filter(Boolean).join(", "),
            "x-page": String(page),
            "x-per-page": String(perPage),
            "x-total": String(sorted.length),
            "x-total-pages": String(totalPages),
            "x-next-page": page < totalPages ? String(page + 1) : "",
            "x-prev-page": page > 1 ? String(page - 1) : "",
        });
    }
}
