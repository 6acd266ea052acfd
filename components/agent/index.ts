/** The GitLab agent for Kubernetes: the component, its configuration file, RBAC and values builders. */
export { GitLabAgent, type GitLabAgentArgs } from "./gitlab-agent";
export {
    validateAgentAccess,
    MAX_AUTHORIZED_ENTRIES,
    type AgentAccessArgs,
    type AgentFluxArgs,
    type CiAccessArgs,
    type CiAccessAs,
    type CiAccessEntry,
    type ImpersonationExtra,
    type UserAccessArgs,
} from "./access";
export { buildAgentConfigFile } from "./config-file";
export { buildAgentRbac, AGENT_IMPERSONATION_EXTRAS, AGENT_READ_ONLY_RULES, type AgentRbacInput, type AgentRbacPlan, type NamespaceBinding, type RbacRule, type RbacSubject } from "./rbac";
export { resolveGitLabAgent, validateClusterAgents, validateGitLabAgent, type ClusterAgentDeclaration, type ResolvedGitLabAgentArgs } from "./resolve";
export { buildAgentValues, TOKEN_SLOT_ANNOTATION, type AgentValuesInput } from "./values";
