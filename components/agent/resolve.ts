/**
 * Defaults and validation of {@link GitLabAgentArgs}: pure, run before any child is declared.
 */
import {
    AGENT_DEFAULT_CONFIG_BRANCH,
    AGENT_DEFAULT_NAMESPACE,
    AGENT_DEFAULT_REPLICAS,
    AGENT_DEFAULT_TOKEN_SLOT,
    AGENT_NAMESPACE_CLUSTER_ROLE,
    AGENT_RELEASE_NAME,
    AGENT_RESOURCE_MANAGEMENT_ROLES,
    AGENT_TOKEN_SLOTS,
    FLUX_NAMESPACE,
    type AgentTokenSlot,
} from "../defaults";
import { validateAgentAccess } from "./access";
import type { GitLabAgentArgs } from "./gitlab-agent";
import { isDnsLabel } from "../validation";

/** {@link GitLabAgentArgs} with every default applied. */
export interface ResolvedGitLabAgentArgs extends Required<Omit<GitLabAgentArgs, "kasCaCert" | "ciAccess" | "userAccess" | "flux" | "fluxNamespaceResource">> {
    kasCaCert?: string;
    ciAccess?: GitLabAgentArgs["ciAccess"];
    userAccess?: GitLabAgentArgs["userAccess"];
    flux?: GitLabAgentArgs["flux"];
    /** Flux's namespace (from `flux.namespace`). */
    fluxNamespace: string;
    /** Helm release and service account name of agentk. */
    releaseName: string;
    /** Path of the configuration file in the project. */
    configFilePath: string;
}

/** Applies defaults once. `name` is the component name, the agent name unless `agentName` is set. */
export function resolveGitLabAgent(name: string, args: GitLabAgentArgs): ResolvedGitLabAgentArgs {
    const agentName = args.agentName ?? name;
    const activeTokenSlot = args.activeTokenSlot ?? AGENT_DEFAULT_TOKEN_SLOT;
    return {
        ...args,
        agentName,
        configBranch: args.configBranch ?? AGENT_DEFAULT_CONFIG_BRANCH,
        namespace: args.namespace ?? AGENT_DEFAULT_NAMESPACE,
        createNamespace: args.createNamespace ?? true,
        replicas: args.replicas ?? AGENT_DEFAULT_REPLICAS,
        activeTokenSlot,
        tokenSlots: args.tokenSlots ?? [activeTokenSlot],
        clusterAdmin: args.clusterAdmin ?? false,
        managedNamespaces: args.managedNamespaces ?? [],
        resourceManagementRoles: args.resourceManagementRoles ?? [...AGENT_RESOURCE_MANAGEMENT_ROLES],
        namespaceClusterRole: args.namespaceClusterRole ?? AGENT_NAMESPACE_CLUSTER_ROLE,
        fluxNamespace: args.flux?.namespace ?? FLUX_NAMESPACE,
        releaseName: AGENT_RELEASE_NAME,
        configFilePath: `.gitlab/agents/${agentName}/config.yaml`,
    };
}

/** Problems of resolved args, one `<field>: <what is wrong> (expected ...)` line each. */
export function validateGitLabAgent(args: ResolvedGitLabAgentArgs): string[] {
    const problems: string[] = [];
    if (!isDnsLabel(args.agentName)) {
        problems.push(`agentName: "${args.agentName}" is not a valid agent name (expected a DNS label: lowercase letters, digits and '-', not at either end, at most 63 characters)`);
    }
    if (!isDnsLabel(args.namespace)) problems.push(`namespace: "${args.namespace}" is not a namespace name (expected a DNS label)`);
    if (args.configBranch.trim() === "" || /\s/.test(args.configBranch)) problems.push(`configBranch: "${args.configBranch}" (expected a branch name without spaces)`);
    if (!Number.isInteger(args.replicas) || args.replicas < 1) problems.push(`replicas: ${args.replicas} (expected a whole number of at least 1)`);
    const slots: readonly string[] = AGENT_TOKEN_SLOTS;
    for (const slot of [args.activeTokenSlot, ...args.tokenSlots]) {
        if (!slots.includes(slot)) problems.push(`tokenSlots: unknown slot "${slot}" (expected "blue" or "green")`);
    }
    if (args.tokenSlots.length === 0) problems.push(`tokenSlots: empty (expected the active slot "${args.activeTokenSlot}", plus the other one while rotating)`);
    if (new Set(args.tokenSlots).size !== args.tokenSlots.length) problems.push(`tokenSlots: ${args.tokenSlots.join(", ")} repeats a slot (expected each slot once; GitLab allows two tokens per agent)`);
    if (!args.tokenSlots.includes(args.activeTokenSlot)) {
        problems.push(`activeTokenSlot: "${args.activeTokenSlot}" has no token (expected one of tokenSlots: ${args.tokenSlots.join(", ") || "none"})`);
    }
    if (args.kasCaCert !== undefined && !args.kasCaCert.includes("-----BEGIN CERTIFICATE-----")) {
        problems.push("kasCaCert: not a PEM certificate (expected -----BEGIN CERTIFICATE----- ...)");
    }
    args.managedNamespaces.forEach((ns, i) => {
        if (!isDnsLabel(ns)) problems.push(`managedNamespaces[${i}]: "${ns}" is not a namespace name (expected a DNS label)`);
    });
    if (args.managedNamespaces.includes(args.namespace)) {
        problems.push(`managedNamespaces: includes the agent's own namespace "${args.namespace}" (expected application namespaces only: admin there could read the agent token)`);
    }
    if (args.resourceManagementRoles.some((r) => r.trim() === "")) problems.push("resourceManagementRoles: empty role name (expected ClusterRole names)");
    if (args.namespaceClusterRole.trim() === "") problems.push("namespaceClusterRole: empty (expected a ClusterRole name such as admin or edit)");
    problems.push(...validateAgentAccess(args));
    return problems;
}

/** One agent declared for a cluster, by component name. */
export interface ClusterAgentDeclaration {
    name: string;
    args: GitLabAgentArgs;
}

/**
 * "A cluster gets one agent" (GitLab's recommendation: authorize more projects and groups instead of
 * installing more agents). Pure check over every agent declared for one cluster.
 * @see https://docs.gitlab.com/user/clusters/agent/install/
 */
export function validateClusterAgents(agents: readonly ClusterAgentDeclaration[]): string[] {
    if (agents.length <= 1) return [];
    const names = agents.map((a) => a.args.agentName ?? a.name);
    return [`agents: ${agents.length} agents for one cluster (${names.join(", ")}) (expected one: authorize more projects and groups in its ciAccess instead)`];
}

/** The slots that exist after this update, as their typed union. */
export function tokenSlotsOf(args: ResolvedGitLabAgentArgs): AgentTokenSlot[] {
    return AGENT_TOKEN_SLOTS.filter((s) => args.tokenSlots.includes(s));
}
