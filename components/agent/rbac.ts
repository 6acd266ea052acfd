/**
 * The agent's Kubernetes RBAC, derived from its access configuration instead of the chart's default
 * `cluster-admin` binding (gitlab-agent chart `templates/clusterrolebinding.yaml` binds
 * `rbac.useExistingRole | default "cluster-admin"` cluster-wide whenever `rbac.create` is true, so the
 * component sets `rbac.create: false` and declares these objects itself). Pure: plain data out.
 *
 * What the agent gets, and why:
 * - cluster-wide read-only on workloads, networking, events and Flux objects (never Secrets): the
 *   GitLab Kubernetes dashboard, `user_access` with agent identity, the Flux module's watches;
 * - `impersonate` on exactly what the configured `accessAs` modes need (`ciJob`, `user`: any user and
 *   group plus the documented `agent.gitlab.com/*` extras; `impersonate`: only the named identity);
 * - leases and events in its own namespace (two replicas elect a leader);
 * - `admin` (ClusterRole, bound per namespace) in each `defaultNamespace` of an entry, for the identity
 *   that entry uses (the agent's service account for `agent`, the CI job's group for `ciJob`; a static
 *   `impersonate` identity keeps whatever RBAC it already has), and in `managedNamespaces`;
 * - for `resourceManagement`: namespaces, service accounts and role bindings cluster-wide, plus `bind`
 *   on the ClusterRoles environment templates reference;
 * - with `flux`: `Receiver`s and Secrets in Flux's namespace (immediate reconciliation on push).
 * `clusterAdmin: true` replaces the read-only ClusterRole with a binding to `cluster-admin`.
 * @see https://docs.gitlab.com/user/clusters/agent/ci_cd_workflow/#restrict-project-and-group-access-by-using-impersonation
 * @see https://docs.gitlab.com/user/clusters/agent/user_access/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
 */
import type { AgentAccessArgs, CiAccessEntry } from "./access";

/** A Kubernetes RBAC rule. */
export interface RbacRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
    resourceNames?: string[];
}

/** A binding subject. */
export interface RbacSubject {
    kind: "ServiceAccount" | "Group" | "User";
    name: string;
    namespace?: string;
    apiGroup?: string;
}

/** A RoleBinding to a ClusterRole inside one namespace. */
export interface NamespaceBinding {
    namespace: string;
    clusterRole: string;
    subjects: RbacSubject[];
}

/** Every RBAC object of one agent. */
export interface AgentRbacPlan {
    /** Object name shared by all of them (`gitlab-agent-<agent name>`). */
    name: string;
    /** agentk's service account, the subject of its own bindings. */
    serviceAccount: RbacSubject;
    /** Cluster-wide rules; absent when bound to `cluster-admin`. */
    clusterRules?: RbacRule[];
    /** The ClusterRole the agent's service account is bound to cluster-wide. */
    clusterRoleRef: string;
    /** Rules in the agent's own namespace. */
    agentNamespaceRules: RbacRule[];
    /** Per-namespace bindings, sorted by namespace. */
    namespaceBindings: NamespaceBinding[];
    /** Rules in Flux's namespace; absent without `flux`. */
    flux?: { namespace: string; rules: RbacRule[] };
}

/** Resolved input of {@link buildAgentRbac}. */
export interface AgentRbacInput extends AgentAccessArgs {
    agentName: string;
    namespace: string;
    serviceAccountName: string;
    clusterAdmin: boolean;
    managedNamespaces: string[];
    fluxNamespace: string;
    namespaceClusterRole: string;
    resourceManagementRoles: string[];
}

const READ = ["get", "list", "watch"];
const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete"];

/** Cluster-wide read-only rules: what the dashboard and the Flux module look at; Secrets excluded. */
export const AGENT_READ_ONLY_RULES: readonly RbacRule[] = [
    {
        apiGroups: [""],
        resources: [
            "configmaps",
            "endpoints",
            "events",
            "limitranges",
            "namespaces",
            "nodes",
            "persistentvolumeclaims",
            "persistentvolumes",
            "pods",
            "pods/log",
            "replicationcontrollers",
            "resourcequotas",
            "serviceaccounts",
            "services",
        ],
        verbs: READ,
    },
    { apiGroups: ["apps"], resources: ["daemonsets", "deployments", "replicasets", "statefulsets"], verbs: READ },
    { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: READ },
    { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: READ },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: READ },
    { apiGroups: ["gateway.networking.k8s.io"], resources: ["gateways", "httproutes"], verbs: READ },
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: READ },
    {
        apiGroups: [
            "source.toolkit.fluxcd.io",
            "kustomize.toolkit.fluxcd.io",
            "helm.toolkit.fluxcd.io",
            "notification.toolkit.fluxcd.io",
        ],
        resources: ["*"],
        verbs: READ,
    },
];

/** `Extra` keys the agent sets when impersonating CI jobs and GitLab users (docs: ci_cd_workflow, user_access). */
export const AGENT_IMPERSONATION_EXTRAS = [
    "agent.gitlab.com/access_type",
    "agent.gitlab.com/ci_job_id",
    "agent.gitlab.com/ci_pipeline_id",
    "agent.gitlab.com/config_project_id",
    "agent.gitlab.com/environment_slug",
    "agent.gitlab.com/environment_tier",
    "agent.gitlab.com/id",
    "agent.gitlab.com/project_id",
    "agent.gitlab.com/username",
] as const;

function entries(input: AgentAccessArgs): { entry: CiAccessEntry; kind: "project" | "group" }[] {
    return [
        ...(input.ciAccess?.projects ?? []).map((entry) => ({ entry, kind: "project" as const })),
        ...(input.ciAccess?.groups ?? []).map((entry) => ({ entry, kind: "group" as const })),
    ];
}

function impersonationRules(input: AgentRbacInput): RbacRule[] {
    const all = entries(input).map((e) => e.entry.accessAs ?? { type: "ciJob" as const });
    const rules: RbacRule[] = [];
    if (all.some((a) => a.type === "ciJob") || input.userAccess?.accessAs === "user") {
        rules.push({ apiGroups: [""], resources: ["groups", "users"], verbs: ["impersonate"] });
        rules.push({
            apiGroups: ["authentication.k8s.io"],
            resources: AGENT_IMPERSONATION_EXTRAS.map((k) => `userextras/${k}`),
            verbs: ["impersonate"],
        });
    }
    for (const a of all) {
        if (a.type !== "impersonate") continue;
        const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(a.username);
        rules.push(
            sa
                ? { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"], resourceNames: [sa[2]] }
                : { apiGroups: [""], resources: ["users"], verbs: ["impersonate"], resourceNames: [a.username] },
        );
        if (a.groups?.length)
            rules.push({
                apiGroups: [""],
                resources: ["groups"],
                verbs: ["impersonate"],
                resourceNames: [...a.groups],
            });
        if (a.uid !== undefined)
            rules.push({
                apiGroups: ["authentication.k8s.io"],
                resources: ["uids"],
                verbs: ["impersonate"],
                resourceNames: [a.uid],
            });
        for (const x of a.extra ?? [])
            rules.push({
                apiGroups: ["authentication.k8s.io"],
                resources: [`userextras/${x.key}`],
                verbs: ["impersonate"],
                resourceNames: [...x.values],
            });
    }
    return rules;
}

/** Builds the RBAC plan of one agent. Pure. */
export function buildAgentRbac(input: AgentRbacInput): AgentRbacPlan {
    const name = `gitlab-agent-${input.agentName}`;
    const sa: RbacSubject = { kind: "ServiceAccount", name: input.serviceAccountName, namespace: input.namespace };
    const bindings = new Map<string, RbacSubject[]>();
    const bind = (ns: string, subject: RbacSubject) => {
        const list = bindings.get(ns) ?? [];
        if (!list.some((s) => s.kind === subject.kind && s.name === subject.name)) list.push(subject);
        bindings.set(ns, list);
    };
    for (const ns of input.managedNamespaces) bind(ns, sa);
    for (const { entry, kind } of entries(input)) {
        const as = entry.accessAs ?? { type: "ciJob" };
        if (entry.defaultNamespace === undefined || as.type === "impersonate") continue;
        if (as.type === "agent") bind(entry.defaultNamespace, sa);
        else {
            const group = entry.numericId !== undefined ? `gitlab:${kind}:${entry.numericId}` : "gitlab:ci_job";
            bind(entry.defaultNamespace, { kind: "Group", name: group, apiGroup: "rbac.authorization.k8s.io" });
        }
    }
    const resourceManagement = entries(input).some((e) => e.entry.resourceManagement);
    const clusterRules: RbacRule[] = [
        ...AGENT_READ_ONLY_RULES.map((r) => ({ ...r })),
        ...impersonationRules(input),
        ...(resourceManagement
            ? [
                  { apiGroups: [""], resources: ["namespaces", "serviceaccounts"], verbs: WRITE },
                  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: WRITE },
                  {
                      apiGroups: ["rbac.authorization.k8s.io"],
                      resources: ["clusterroles"],
                      verbs: ["bind"],
                      resourceNames: [...input.resourceManagementRoles],
                  },
              ]
            : []),
    ];
    return {
        name,
        serviceAccount: sa,
        clusterRules: input.clusterAdmin ? undefined : clusterRules,
        clusterRoleRef: input.clusterAdmin ? "cluster-admin" : name,
        agentNamespaceRules: [
            { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: WRITE },
            { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
        ],
        namespaceBindings: [...bindings.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([namespace, subjects]) => ({ namespace, clusterRole: input.namespaceClusterRole, subjects })),
        flux: input.flux
            ? {
                  namespace: input.fluxNamespace,
                  rules: [
                      { apiGroups: ["notification.toolkit.fluxcd.io"], resources: ["receivers"], verbs: WRITE },
                      { apiGroups: [""], resources: ["secrets"], verbs: WRITE },
                  ],
              }
            : undefined,
    };
}
