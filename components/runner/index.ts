/** GitLab runners on Kubernetes: the component, its spec, config.toml and values builders. */
export { GitLabRunner, type GitLabRunnerArgs, type RunnerCacheArgs, type RunnerScope } from "./gitlab-runner";
export { buildRunnerConfigToml, TOKEN_ROTATION_FLAG, type CacheToml, type ContainerResources, type JobResources, type NodePoolPlacement, type RunnerTomlInput } from "./config-toml";
export { resolveRunner, runnerArgsSpec, runnerRules, runnerSetRules, runnerSettingsSpec, type ResolvedRunner } from "./spec";
export { buildRunnerValues, FORBIDDEN_RUNNER_VALUES, RUNNER_RBAC_RULES, type RunnerValuesInput } from "./values";
