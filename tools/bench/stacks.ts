/**
 * Generated stacks for the scale benchmark: the dev stack with N review apps (`reviewApps.apps`) and N
 * agent `ciAccess.projects` entries, written to a temporary project directory whose Pulumi.yaml points
 * `main` at the repository's index.ts (as test/fixtures/stacks/Pulumi.yaml does). Pure apart from
 * {@link writeScaledProject}.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";

/** The project and stack keys the scaled stack changes. */
const REVIEW_APPS = "gitlab-platform:reviewApps";
const AGENT = "gitlab-platform:agent";

type Doc = { config?: Record<string, unknown> } & Record<string, unknown>;

/** The most projects, and separately groups, one agent authorizes (components/agent/access.ts, GitLab 17.0+). */
export const MAX_AGENT_ENTRIES = 500;

/**
 * The base stack document with `n` review apps and `n` agent `ciAccess` entries in all (the base's
 * groups included), each new one with its own default namespace so the agent's RBAC grows with N too:
 * `projects` up to GitLab's 500 per agent, the rest as more `groups`. Everything else stays as in the base. Throws when the base has
 * no `reviewApps` or `agent` key to scale, or N exceeds what one agent can authorize.
 */
export function scaleStack(base: Doc, n: number): Doc {
    if (!Number.isInteger(n) || n < 1) throw new Error(`scale: ${n} is not a positive integer`);
    const config = { ...(base.config ?? {}) };
    const review = config[REVIEW_APPS] as { route?: unknown; apps?: { branch: string; image: string }[] } | undefined;
    const agent = config[AGENT] as
        { project: string; ciAccess?: { projects?: unknown[]; groups?: unknown[] } } | undefined;
    if (!review?.apps?.length) throw new Error(`scale: the base stack has no ${REVIEW_APPS}.apps to scale`);
    if (!agent) throw new Error(`scale: the base stack has no ${AGENT} to scale`);
    // Every generated review app is reached the way the base's are (an HTTPRoute on the app Gateway in
    // dev-workloads): a base without a route would measure apps nobody can reach.
    if (review.route === undefined) throw new Error(`scale: the base stack's ${REVIEW_APPS} has no route`);
    const baseGroups = agent.ciAccess?.groups ?? [];
    // N entries in all, the base's groups included: projects first, then groups, 500 of each at most.
    const projects = Math.min(n - baseGroups.length, MAX_AGENT_ENTRIES);
    const extraGroups = n - baseGroups.length - projects;
    if (projects < 0 || baseGroups.length + extraGroups > MAX_AGENT_ENTRIES)
        throw new Error(`scale: ${n} agent entries do not fit one agent (${baseGroups.length} base groups)`);
    const image = review.apps[0].image;
    const group = agent.project.split("/")[0];
    config[REVIEW_APPS] = {
        ...review,
        apps: Array.from({ length: n }, (_, i) => ({ branch: `feature/bench-${i}`, image })),
    };
    config[AGENT] = {
        ...agent,
        ciAccess: {
            ...agent.ciAccess,
            projects: Array.from({ length: projects }, (_, i) => ({
                id: `${group}/bench-${i}`,
                defaultNamespace: `bench-${i}`,
            })),
            groups: [
                ...baseGroups,
                ...Array.from({ length: extraGroups }, (_, i) => ({
                    id: `${group}/bench-group-${i}`,
                    defaultNamespace: `bench-group-${i}`,
                })),
            ],
        },
    };
    // A workloads stack names every group and project it references: the generated ones exist already.
    const objects = config["gitlab-platform:gitlabObjects"] as { existing?: string[] } | undefined;
    if (objects) {
        const generated = [
            ...Array.from({ length: projects }, (_, i) => `${group}/bench-${i}`),
            ...Array.from({ length: extraGroups }, (_, i) => `${group}/bench-group-${i}`),
        ];
        config["gitlab-platform:gitlabObjects"] = { ...objects, existing: [...(objects.existing ?? []), ...generated] };
    }
    return { ...base, config };
}

/** A temporary project: Pulumi.yaml (the repository's, `main` pointing at its index.ts) and the stack files. */
export interface ScaledProject {
    dir: string;
    /** Stack name per N. */
    stacks: Map<number, string>;
    /** Removes the directory. */
    dispose(): void;
}

/** The repository's Pulumi.yaml with `main` made absolute, so the project runs from any directory. */
export function relocatedProject(projectYaml: string, repoRoot: string): string {
    const project = parse(projectYaml) as Record<string, unknown>;
    project.main = path.resolve(repoRoot, typeof project.main === "string" ? project.main : ".");
    return stringify(project);
}

/** Writes `Pulumi.scale-<n>.yaml` for each N under a new temporary directory. */
export function writeScaledProject(repoRoot: string, baseStack: string, sizes: readonly number[]): ScaledProject {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-platform-bench-"));
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        relocatedProject(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8"), repoRoot),
    );
    const base = parse(fs.readFileSync(path.join(repoRoot, `Pulumi.${baseStack}.yaml`), "utf8")) as Doc;
    const stacks = new Map<number, string>();
    for (const n of sizes) {
        const stack = `scale-${n}`;
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify(scaleStack(base, n)));
        stacks.set(n, stack);
    }
    return { dir, stacks, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
