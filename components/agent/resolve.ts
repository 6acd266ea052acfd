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
import { isDnsLabel, projectProblems } from "../internal/validation";
import type { Problem } from "../errors";

/**
 * The agent's settings: {@link GitLabAgentArgs} without the wiring a stack cannot state in its file
 * (the KAS address may come from the GitLab the stack installs; the Flux namespace's resource).
 */
export type AgentSettings = Omit<GitLabAgentArgs, "kasAddress" | "fluxNamespaceResource">;

/** {@link AgentSettings} with every default applied. */
export interface ResolvedGitLabAgentArgs extends Required<
    Omit<AgentSettings, "kasCaCert" | "ciAccess" | "userAccess" | "flux">
> {
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
export function resolveGitLabAgent(name: string, args: AgentSettings): ResolvedGitLabAgentArgs {
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
export function validateGitLabAgent(args: ResolvedGitLabAgentArgs): Problem[] {
    const problems: Problem[] = [];
    problems.push(...projectProblems(args.project));
    if (!isDnsLabel(args.agentName)) {
        problems.push({
            path: "agentName",
            message: `"${args.agentName}" is not a valid agent name (expected a DNS label: lowercase letters, digits and '-', not at either end, at most 63 characters)`,
        });
    }
    if (!isDnsLabel(args.namespace))
        problems.push({
            path: "namespace",
            message: `"${args.namespace}" is not a namespace name (expected a DNS label)`,
        });
    if (args.configBranch.trim() === "" || /\s/.test(args.configBranch))
        problems.push({
            path: "configBranch",
            message: `"${args.configBranch}" (expected a branch name without spaces)`,
        });
    if (!Number.isInteger(args.replicas) || args.replicas < 1)
        problems.push({ path: "replicas", message: `${args.replicas} (expected a whole number of at least 1)` });
    const slots: readonly string[] = AGENT_TOKEN_SLOTS;
    for (const slot of [args.activeTokenSlot, ...args.tokenSlots]) {
        if (!slots.includes(slot))
            problems.push({ path: "tokenSlots", message: `unknown slot "${slot}" (expected "blue" or "green")` });
    }
    if (args.tokenSlots.length === 0)
        problems.push({
            path: "tokenSlots",
            message: `empty (expected the active slot "${args.activeTokenSlot}", plus the other one while rotating)`,
        });
    if (new Set(args.tokenSlots).size !== args.tokenSlots.length)
        problems.push({
            path: "tokenSlots",
            message: `${args.tokenSlots.join(", ")} repeats a slot (expected each slot once; GitLab allows two tokens per agent)`,
        });
    if (!args.tokenSlots.includes(args.activeTokenSlot)) {
        problems.push({
            path: "activeTokenSlot",
            message: `"${args.activeTokenSlot}" has no token (expected one of tokenSlots: ${args.tokenSlots.join(", ") || "none"})`,
        });
    }
    if (args.kasCaCert !== undefined && !args.kasCaCert.includes("-----BEGIN CERTIFICATE-----")) {
        problems.push({
            path: "kasCaCert",
            message: "not a PEM certificate (expected -----BEGIN CERTIFICATE----- ...)",
        });
    }
    args.managedNamespaces.forEach((ns, i) => {
        if (!isDnsLabel(ns))
            problems.push({
                path: `managedNamespaces[${i}]`,
                message: `"${ns}" is not a namespace name (expected a DNS label)`,
            });
    });
    if (args.managedNamespaces.includes(args.namespace)) {
        problems.push({
            path: "managedNamespaces",
            message: `includes the agent's own namespace "${args.namespace}" (expected application namespaces only: admin there could read the agent token)`,
        });
    }
    if (args.resourceManagementRoles.some((r) => r.trim() === ""))
        problems.push({ path: "resourceManagementRoles", message: "empty role name (expected ClusterRole names)" });
    if (args.namespaceClusterRole.trim() === "")
        problems.push({
            path: "namespaceClusterRole",
            message: "empty (expected a ClusterRole name such as admin or edit)",
        });
    problems.push(...validateAgentAccess(args));
    return problems;
}

/**
 * The KAS address, when known: agentk speaks WebSocket or gRPC, over TLS unless the address says
 * otherwise (`ws://`, `grpc://`); an `http(s)://` URL is the GitLab URL, not KAS. Pure.
 */
export function kasAddressProblems(kasAddress: unknown): Problem[] {
    if (typeof kasAddress !== "string") return [];
    return /^(wss?|grpcs?):\/\/[^\s/]+(\/[^\s]*)?$/.test(kasAddress)
        ? []
        : [
              {
                  path: "kasAddress",
                  message: "not a KAS address (expected wss://kas.<domain> or wss://<gitlab-host>/-/kubernetes-agent/)",
              },
          ];
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
export function validateClusterAgents(agents: readonly ClusterAgentDeclaration[]): Problem[] {
    if (agents.length <= 1) return [];
    const names = agents.map((a) => a.args.agentName ?? a.name);
    return [
        {
            path: "agents",
            message: `${agents.length} agents for one cluster (${names.join(", ")}) (expected one: authorize more projects and groups in its ciAccess instead)`,
        },
    ];
}

/** The slots that exist after this update, as their typed union. */
export function tokenSlotsOf(args: ResolvedGitLabAgentArgs): AgentTokenSlot[] {
    return AGENT_TOKEN_SLOTS.filter((s) => args.tokenSlots.includes(s));
}
