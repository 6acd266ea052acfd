/**
 * The `agent` key: the one GitLab agent of this stack's cluster (GitLab recommends one agent per
 * cluster, so the key is an object, not a list). Picked from the agent's spec; the stack file calls
 * `agentName` `name` and may give the project as a number. The GitLab API token is the provider's
 * (`gitlab:token` or GITLAB_TOKEN).
 */
import { z } from "zod";
import { kasAddressProblems, resolveGitLabAgent, validateGitLabAgent } from "../components/agent/resolve";
import { agentSettingsShape } from "../components/agent/spec";
import type { Problem } from "../components/errors";

const { agentName: _agentName, ...settings } = agentSettingsShape;

export const agentSchema = z.strictObject({
    ...settings,
    /** The agent's name in GitLab; defaults to the stack name (config.ts resolves it). */
    name: z.string().optional(),
    /** The agent's project, as `group/project` or numeric id. */
    project: z.union([z.string(), z.number()]).transform(String),
    /** KAS address; defaults to the GitLab component's when the stack installs GitLab. */
    kasAddress: z.string().optional(),
});

export type AgentConfig = z.output<typeof agentSchema>;

/** The agent's rules over the stack's form; the component's `agentName` is reported as `name`. */
export function agentRules(agent: AgentConfig, stack: string): Problem[] {
    const { name, kasAddress, ...rest } = agent;
    const problems = [
        ...validateGitLabAgent(resolveGitLabAgent(stack, { ...rest, agentName: name ?? stack })),
        ...kasAddressProblems(kasAddress),
    ];
    return problems.map((p) => (p.path === "agentName" ? { ...p, path: "name" } : p));
}
