/**
 * The GitLab agent and runners: nothing bound to `cluster-admin`, no privileged job pods.
 * - The gitlab-agent chart binds its service account to `rbac.useExistingRole`, default `cluster-admin`,
 *   whenever `rbac.create` is true, its default (chart templates/clusterrolebinding.yaml, values.yaml).
 * - The gitlab-runner chart passes `runners.config` to the runner as its config.toml template; the
 *   kubernetes executor runs job pods privileged when `[runners.kubernetes] privileged = true`.
 * @see https://docs.gitlab.com/user/clusters/agent/install/
 * @see https://docs.gitlab.com/runner/executors/kubernetes/
 */
import { parse } from "smol-toml";
import { allowListSchema, resourcePolicy } from "./lib/define";
import {
    chartName,
    CLUSTER_ROLE_BINDING,
    HELM_RELEASE,
    helmValues,
    isAllowed,
    objectRef,
    ROLE_BINDING,
} from "./lib/types";
import { at, stringAt } from "./lib/values";

export const k8sNoClusterAdmin = resourcePolicy<{ allowed: string[] }>(
    {
        name: "k8s-no-cluster-admin",
        description:
            "Nothing is bound to cluster-admin: no (Cluster)RoleBinding to it, and no gitlab-agent release with the chart's default RBAC.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Bind a ClusterRole or Role with only the rules needed (the GitLabAgent component derives them from its access configuration); " +
            "for the gitlab-agent chart set rbac.create: false and declare RBAC beside the release, or rbac.useExistingRole naming a narrower role. " +
            "A binding that must stay goes on this policy's `allowed` list (`namespace/name` or Pulumi resource name).",
        configSchema: allowListSchema(
            "Bindings or releases (`namespace/name` or Pulumi resource name) allowed to grant cluster-admin.",
        ),
    },
    [CLUSTER_ROLE_BINDING, ROLE_BINDING, HELM_RELEASE],
    (r, config) => {
        if (isAllowed(r, config.allowed)) return [];
        if (r.type === HELM_RELEASE) {
            if (chartName(r.props) !== "gitlab-agent") return [];
            const values = helmValues(r.props);
            const create = at(values, ["rbac", "create"]);
            const role = stringAt(values, ["rbac", "useExistingRole"]);
            if (create === false || (role !== undefined && role !== "cluster-admin")) return [];
            return [
                `values.rbac.create: ${create === undefined ? "not set (the chart's default is true)" : "true"}, so the chart binds the agent to ${role ?? "cluster-admin"} cluster-wide (expected rbac.create: false with RBAC declared beside the release)`,
            ];
        }
        if (
            stringAt(r.props, ["roleRef", "kind"]) !== "ClusterRole" ||
            stringAt(r.props, ["roleRef", "name"]) !== "cluster-admin"
        )
            return [];
        const scope = r.type === ROLE_BINDING ? `namespace ${objectRef(r.props).split("/")[0]}` : "the cluster";
        return [
            `roleRef.name: cluster-admin grants full control of ${scope} (expected a role with only the rules needed)`,
        ];
    },
);

/** Whether a runner config.toml template runs job pods privileged; unparsable text is searched line by line. */
export function runsPrivileged(configToml: string): boolean {
    try {
        const doc = parse(configToml) as { runners?: { kubernetes?: { privileged?: unknown } }[] };
        return (Array.isArray(doc.runners) ? doc.runners : []).some(
            (runner) => runner?.kubernetes?.privileged === true,
        );
    } catch {
        // A template with Go template syntax is not TOML; fall back to the setting's own line.
        return /^\s*privileged\s*=\s*true\s*(#.*)?$/m.test(configToml);
    }
}

export const gitlabRunnerUnprivileged = resourcePolicy<{ allowed: string[] }>(
    {
        name: "gitlab-runner-unprivileged",
        description: "GitLab runners start unprivileged job pods, unless the release is on the policy's allowed list.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Set privileged = false in [runners.kubernetes] (the GitLabRunner component's default) and build images without a Docker daemon " +
            "(BuildKit rootless, Kaniko). A dedicated, isolated runner that needs it goes on this policy's `allowed` list (release namespace/name or Pulumi resource name).",
        configSchema: allowListSchema(
            "Runner releases (`namespace/name` or Pulumi resource name) allowed to run privileged job pods.",
        ),
    },
    [HELM_RELEASE],
    (r, config) => {
        if (chartName(r.props) !== "gitlab-runner") return [];
        const ref = `${stringAt(r.props, ["namespace"]) ?? "?"}/${stringAt(r.props, ["name"]) ?? "?"}`;
        if (isAllowed(r, config.allowed) || config.allowed.includes(ref)) return [];
        const values = helmValues(r.props);
        const toml = stringAt(values, ["runners", "config"]);
        const problems: string[] = [];
        if (toml !== undefined && runsPrivileged(toml))
            problems.push(
                "values.runners.config: [runners.kubernetes] privileged = true runs job pods privileged (expected false)",
            );
        if (at(values, ["runners", "privileged"]) === true)
            problems.push("values.runners.privileged: true runs job pods privileged (expected false)");
        return problems;
    },
);

/** The agent and runner policies. */
export const AGENT_RUNNER_POLICIES = [k8sNoClusterAdmin, gitlabRunnerUnprivileged];
