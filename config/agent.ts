import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { resolveGitLabAgent, validateGitLabAgent } from "../components/agent/resolve";
import type { GitLabAgentArgs } from "../components/agent/gitlab-agent";
import { AGENT_TOKEN_SLOTS } from "../components/defaults";
import { addProblems } from "./gitlab";

const accessAs = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("agent") }),
    z.strictObject({ type: z.literal("ciJob") }),
    z.strictObject({
        type: z.literal("impersonate"),
        username: z.string(),
        uid: z.string().optional(),
        groups: z.array(z.string()).optional(),
        extra: z.array(z.strictObject({ key: z.string(), values: z.array(z.string()) })).optional(),
    }),
]);

const ciAccessEntry = z.strictObject({
    id: z.string(),
    numericId: z.number().optional(),
    defaultNamespace: z.string().optional(),
    environments: z.array(z.string()).optional(),
    protectedBranchesOnly: z.boolean().optional(),
    accessAs: accessAs.optional(),
    resourceManagement: z.boolean().optional(),
});

/**
 * The `agent` key: the one GitLab agent of this stack's cluster (GitLab recommends one agent per
 * cluster, so the key is an object, not a list). Types here; the rules are the component's own
 * `validateGitLabAgent`. The GitLab API token is the provider's (`gitlab:token` or GITLAB_TOKEN).
 */
export const agentSchema = z
    .strictObject({
        /** The agent's project, as `group/project` or numeric id. */
        project: z.union([z.string(), z.number()]),
        /** The agent's name in GitLab. */
        name: z.string().optional(),
        /** KAS address; defaults to the GitLab component's when the stack installs GitLab. */
        kasAddress: z.string().optional(),
        kasCaCert: z.string().optional(),
        configBranch: z.string().optional(),
        namespace: z.string().optional(),
        createNamespace: z.boolean().optional(),
        replicas: z.number().optional(),
        tokenSlots: z.array(z.enum(AGENT_TOKEN_SLOTS)).optional(),
        activeTokenSlot: z.enum(AGENT_TOKEN_SLOTS).optional(),
        clusterAdmin: z.boolean().optional(),
        managedNamespaces: z.array(z.string()).optional(),
        namespaceClusterRole: z.string().optional(),
        resourceManagementRoles: z.array(z.string()).optional(),
        ciAccess: z.strictObject({ projects: z.array(ciAccessEntry).optional(), groups: z.array(ciAccessEntry).optional() }).optional(),
        userAccess: z
            .strictObject({ accessAs: z.enum(["agent", "user"]).optional(), projects: z.array(z.string()).optional(), groups: z.array(z.string()).optional() })
            .optional(),
        flux: z.strictObject({ webhookReceiverUrl: z.string().optional(), namespace: z.string().optional() }).optional(),
    })
    .superRefine((agent, ctx) => {
        if (agent.kasAddress !== undefined && !/^(wss?|grpcs?):\/\/[^\s/]+(\/[^\s]*)?$/.test(agent.kasAddress)) {
            ctx.addIssue({ code: "custom", path: ["kasAddress"], message: "not a KAS address (expected wss://kas.<domain> or wss://<gitlab-host>/-/kubernetes-agent/)" });
        }
        const { name, project, ...rest } = agent;
        const args: GitLabAgentArgs = { ...rest, agentName: name, project: String(project), kasAddress: agent.kasAddress ?? "wss://unset" };
        // The component names its name field agentName; the stack file calls it name.
        addProblems(ctx, validateGitLabAgent(resolveGitLabAgent("agent", args)).map((p) => p.replace(/^agentName:/, "name:")));
    });

export type AgentConfig = z.output<typeof agentSchema>;

/** Component arguments for the configured agent; `kasAddress` falls back to the installed GitLab's. */
export function agentArgs(agent: AgentConfig, fallbackKasAddress: pulumi.Input<string> | undefined): GitLabAgentArgs {
    const { name, project, kasAddress, ...rest } = agent;
    const kas = kasAddress ?? fallbackKasAddress;
    // config.ts guarantees one of the two (agent.kasAddress, or gitlab installed by the stack).
    if (kas === undefined) throw new Error("agent.kasAddress: missing (expected the KAS address or an installed GitLab)");
    return { ...rest, ...(name !== undefined ? { agentName: name } : {}), project: String(project), kasAddress: kas };
}
