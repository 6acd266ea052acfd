/** GitLab runners on Kubernetes: the component, its config.toml and values builders. */
export { GitLabRunner, type GitLabRunnerArgs, type RunnerCacheArgs, type RunnerScope } from "./gitlab-runner";
export { buildRunnerConfigToml, TOKEN_ROTATION_FLAG, type CacheToml, type ContainerResources, type JobResources, type NodePoolPlacement, type RunnerTomlInput } from "./config-toml";
export { resolveGitLabRunner, validateGitLabRunner, validateRunnerSet, type ResolvedGitLabRunnerArgs, type RunnerDeclaration } from "./resolve";
export { buildRunnerValues, FORBIDDEN_RUNNER_VALUES, RUNNER_RBAC_RULES, type RunnerValuesInput } from "./values";
export { buildJobNetworkPolicy, type JobNetworkPolicy } from "./job-network-policy";
