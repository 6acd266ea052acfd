import { isDnsLabel } from "../internal/validation";
import type { Problem } from "../errors";
/**
 * Who may use the agent and as whom: typed access settings (the content of the agent's configuration
 * file, camelCase here, snake_case in the file) and their validation. Pure.
 * @see https://docs.gitlab.com/user/clusters/agent/ci_cd_workflow/
 * @see https://docs.gitlab.com/user/clusters/agent/user_access/
 * @see https://docs.gitlab.com/user/clusters/agent/gitops/
 */

/** One extra impersonation attribute (Kubernetes user `extra`). */
export interface ImpersonationExtra {
    /** The attribute key. */
    key: string;
    /** Its values; at least one. */
    values: string[];
}

/**
 * The identity CI jobs' requests reach the Kubernetes API with (`access_as`).
 * - `agent`: the agent's own service account (its RBAC is the ceiling for every authorized job);
 * - `ciJob`: an identity per job (`gitlab:ci_job:<id>`, groups `gitlab:project:<id>`, `gitlab:group:<id>`, ...);
 * - `impersonate`: a fixed cluster identity (`username`, optional `uid`, `groups`, `extra`).
 * Impersonation (`ciJob`, `impersonate`) is a GitLab Premium feature.
 *
 * Security: `ciJob` needs the agent to impersonate any user and any group (job user names and
 * environment groups are not known in advance, and RBAC cannot deny a name), so whoever controls the
 * agent's service account could impersonate `system:masters`: cluster-admin in effect. Each job's own
 * permissions stay what its groups are bound to. For least privilege give entries `accessAs: {type: agent}`
 * (namespace-scoped bindings for the agent itself) or a fixed `impersonate` identity.
 * @see https://docs.gitlab.com/user/clusters/agent/ci_cd_workflow/#restrict-project-and-group-access-by-using-impersonation
 */
export type CiAccessAs =
    | { type: "agent" }
    | { type: "ciJob" }
    | { type: "impersonate"; username: string; uid?: string; groups?: string[]; extra?: ImpersonationExtra[] };

/** One project or group authorized to use the agent from CI/CD (`ci_access.projects[]` / `groups[]`). */
export interface CiAccessEntry {
    /** Full path of the project or group, e.g. `platform/apps/web`; same top-level group as the agent's project. */
    id: string;
    /**
     * Numeric id of the project or group. Used only for cluster RBAC: with `ciJob` access the namespace
     * binding names the precise group `gitlab:project:<id>` (`gitlab:group:<id>`). Not written to the file.
     * @default - none; the binding names `gitlab:ci_job`, i.e. any CI job allowed to use this agent
     */
    numericId?: number;
    /**
     * Namespace of the job's kube context (`default_namespace`). Not a security boundary by itself; the
     * component grants full access there to the identity this entry uses (agent or CI job), so the
     * namespace must exist (created by the app or Flux components, or beforehand).
     * @default - none; the context has no namespace and no namespace access is granted
     */
    defaultNamespace?: string;
    /**
     * Only jobs deploying to these environments may use the agent (`environments`, `*` wildcards).
     * @default - none; every job of the project or group
     */
    environments?: string[];
    /**
     * Only jobs on protected branches may use the agent (`protected_branches_only`; behind a GitLab
     * feature flag on self-managed).
     * @default false
     */
    protectedBranchesOnly?: boolean;
    /**
     * The identity of the job's requests.
     * @default { type: "ciJob" } - each job is its own identity, so cluster RBAC decides per project
     */
    accessAs?: CiAccessAs;
    /**
     * GitLab-managed Kubernetes resources for this entry's environments (`resource_management.enabled`,
     * Premium). Requires `accessAs` `ciJob`.
     * @default false
     * @see https://docs.gitlab.com/user/clusters/agent/managed_kubernetes_resources/
     */
    resourceManagement?: boolean;
}

/** Projects and groups whose CI/CD jobs may use the agent (`ci_access`). */
export interface CiAccessArgs {
    /** Projects whose jobs may use the agent (`ci_access.projects`). @default [] */
    projects?: CiAccessEntry[];
    /** Groups whose projects' jobs may use the agent, subgroups included (`ci_access.groups`). @default [] */
    groups?: CiAccessEntry[];
}

/**
 * Members of these projects and groups may reach the cluster through GitLab (`user_access`): the
 * Kubernetes dashboard, `glab cluster agent`, personal access tokens with `k8s_proxy` scope.
 */
export interface UserAccessArgs {
    /**
     * `agent`: requests use the agent's service account; `user`: impersonate the GitLab user
     * (`gitlab:user:<username>`, groups `gitlab:project_role:<id>:<role>`; Premium).
     * @default "agent"
     */
    accessAs?: "agent" | "user";
    /** Project paths. @default [] */
    projects?: string[];
    /** Group paths (descendants included). @default [] */
    groups?: string[];
}

/** The Flux integration of the agent (`flux`). */
export interface AgentFluxArgs {
    /**
     * Where the agent calls Flux's notification-controller `Receiver` on a push (`flux.webhook_receiver_url`):
     * an in-cluster URL, or a service proxy path `/api/v1/namespaces/<ns>/services/<svc>/proxy`.
     * @default - the agent's default, `http://webhook-receiver.flux-system.svc.cluster.local`
     */
    webhookReceiverUrl?: string;
    /**
     * The namespace Flux runs in; the agent may manage `Receiver`s and their Secrets there.
     * @default "flux-system" ({@link FLUX_NAMESPACE})
     */
    namespace?: string;
}

/** Everything the configuration file says: the agent's access settings. */
export interface AgentAccessArgs {
    /**
     * Projects and groups whose CI/CD jobs may use the agent.
     * @default - no CI/CD access
     * @see https://docs.gitlab.com/user/clusters/agent/ci_cd_workflow/
     */
    ciAccess?: CiAccessArgs;
    /**
     * Projects and groups whose members may reach the cluster through GitLab.
     * @default - no user access
     * @see https://docs.gitlab.com/user/clusters/agent/user_access/
     */
    userAccess?: UserAccessArgs;
    /**
     * How the agent notifies Flux of new commits and artifacts.
     * @default - the agent's Flux defaults
     * @see https://docs.gitlab.com/user/clusters/agent/gitops/
     */
    flux?: AgentFluxArgs;
}

/** The most projects (and, separately, groups) one agent can authorize (GitLab 17.0+). */
export const MAX_AUTHORIZED_ENTRIES = 500;

const PATH_SEGMENT = "[A-Za-z0-9_][A-Za-z0-9_.-]*";
const GROUP_PATH = new RegExp(`^${PATH_SEGMENT}(/${PATH_SEGMENT})*$`);
const PROJECT_PATH = new RegExp(`^${PATH_SEGMENT}(/${PATH_SEGMENT})+$`);
const SERVICE_PROXY_PATH = /^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy\/?$/;
const ACCESS_KEYS: Record<string, readonly string[]> = {
    agent: ["type"],
    ciJob: ["type"],
    impersonate: ["type", "username", "uid", "groups", "extra"],
};

/** Problems of the access settings, one `<field>: <what is wrong> (expected ...)` line each. */
export function validateAgentAccess(args: AgentAccessArgs): Problem[] {
    const problems: Problem[] = [];
    const { ciAccess, userAccess, flux } = args;
    if (ciAccess) {
        if ((ciAccess.projects ?? []).length + (ciAccess.groups ?? []).length === 0) {
            problems.push({
                path: "ciAccess",
                message: "no projects or groups (expected at least one entry, or leave ciAccess out)",
            });
        }
        for (const kind of ["projects", "groups"] as const) {
            const entries = ciAccess[kind] ?? [];
            problems.push(
                ...checkList(
                    `ciAccess.${kind}`,
                    entries.map((e) => e.id),
                    kind,
                    "id",
                ),
            );
            entries.forEach((e, i) => problems.push(...checkEntry(`ciAccess.${kind}[${i}]`, e)));
        }
    }
    if (userAccess) {
        if (userAccess.accessAs !== undefined && !["agent", "user"].includes(userAccess.accessAs)) {
            problems.push({
                path: "userAccess.accessAs",
                message: `unknown value "${String(userAccess.accessAs)}" (expected "agent" or "user")`,
            });
        }
        if ((userAccess.projects ?? []).length + (userAccess.groups ?? []).length === 0) {
            problems.push({
                path: "userAccess",
                message: "no projects or groups (expected at least one, or leave userAccess out)",
            });
        }
        problems.push(...checkList("userAccess.projects", userAccess.projects ?? [], "projects"));
        problems.push(...checkList("userAccess.groups", userAccess.groups ?? [], "groups"));
    }
    const url = flux?.webhookReceiverUrl;
    if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url) && !SERVICE_PROXY_PATH.test(url)) {
        problems.push({
            path: "flux.webhookReceiverUrl",
            message: `"${url}" is neither a URL nor a service proxy path (expected http(s)://... or /api/v1/namespaces/<ns>/services/<svc>/proxy)`,
        });
    }
    if (flux?.namespace !== undefined && !isDnsLabel(flux.namespace)) {
        problems.push({
            path: "flux.namespace",
            message: `"${flux.namespace}" is not a namespace name (expected a DNS label)`,
        });
    }
    return problems;
}

/** Checks a list of paths; `key` names the path inside each item (`id` for ci_access entries), when items are objects. */
function checkList(field: string, ids: readonly string[], kind: "projects" | "groups", key?: string): Problem[] {
    const problems: Problem[] = [];
    if (ids.length > MAX_AUTHORIZED_ENTRIES) {
        problems.push({
            path: `${field}`,
            message: `${ids.length} entries (expected at most ${MAX_AUTHORIZED_ENTRIES})`,
        });
    }
    const pattern = kind === "projects" ? PROJECT_PATH : GROUP_PATH;
    const expected =
        kind === "projects" ? "a project path such as group/project" : "a group path such as group/subgroup";
    ids.forEach((id, i) => {
        if (typeof id !== "string" || !pattern.test(id))
            problems.push({
                path: key ? `${field}[${i}].${key}` : `${field}[${i}]`,
                message: `"${String(id)}" is not a path (expected ${expected})`,
            });
    });
    const dupes = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    if (dupes.length > 0)
        problems.push({
            path: `${field}`,
            message: `${dupes.join(", ")} listed twice (expected each once; only one entry would apply)`,
        });
    return problems;
}

function checkEntry(field: string, e: CiAccessEntry): Problem[] {
    const problems: Problem[] = [];
    if (e.numericId !== undefined && !(Number.isInteger(e.numericId) && e.numericId > 0)) {
        problems.push({ path: `${field}.numericId`, message: `${e.numericId} (expected a positive integer)` });
    }
    if (e.defaultNamespace !== undefined && !isDnsLabel(e.defaultNamespace)) {
        problems.push({
            path: `${field}.defaultNamespace`,
            message: `"${e.defaultNamespace}" is not a namespace name (expected a DNS label)`,
        });
    }
    const envs = e.environments;
    if (envs !== undefined) {
        if (envs.length === 0)
            problems.push({
                path: `${field}.environments`,
                message: "empty (expected at least one environment, or leave it out)",
            });
        envs.forEach((env, i) => {
            if (typeof env !== "string" || env.trim() === "" || /\s/.test(env))
                problems.push({
                    path: `${field}.environments[${i}]`,
                    message: `"${String(env)}" (expected an environment name or pattern without spaces)`,
                });
        });
    }
    const as = e.accessAs ?? { type: "ciJob" };
    const allowed = ACCESS_KEYS[as.type];
    if (!allowed) {
        problems.push({
            path: `${field}.accessAs.type`,
            message: `unknown value "${String(as.type)}" (expected "agent", "ciJob" or "impersonate")`,
        });
        return problems;
    }
    for (const key of Object.keys(as)) {
        if (!allowed.includes(key))
            problems.push({
                path: `${field}.accessAs.${key}`,
                message: `not valid with type ${as.type} (expected only with type impersonate)`,
            });
    }
    if (as.type === "impersonate") {
        if (typeof as.username !== "string" || as.username.trim() === "")
            problems.push({
                path: `${field}.accessAs.username`,
                message: "empty (expected the identity to impersonate)",
            });
        (as.groups ?? []).forEach((g, i) => {
            if (typeof g !== "string" || g.trim() === "")
                problems.push({ path: `${field}.accessAs.groups[${i}]`, message: "empty (expected a group name)" });
        });
        (as.extra ?? []).forEach((x, i) => {
            if (!x.key)
                problems.push({
                    path: `${field}.accessAs.extra[${i}].key`,
                    message: "empty (expected an attribute key)",
                });
            if (!Array.isArray(x.values) || x.values.length === 0)
                problems.push({
                    path: `${field}.accessAs.extra[${i}].values`,
                    message: "empty (expected at least one value)",
                });
        });
    }
    if (e.resourceManagement && as.type !== "ciJob") {
        problems.push({
            path: `${field}.resourceManagement`,
            message: `needs per-job identities, got accessAs ${as.type} (expected accessAs { type: "ciJob" }: environment templates bind the CI job's groups)`,
        });
    }
    return problems;
}
