/**
 * GitLab API resources as Pulumi dynamic resources over `@gitbeaker/rest`, named as in `@pulumi/gitlab`
 * (`pulumi-nodejs:dynamic/gitlab:<Type>`), so moving to that package is an import, not a redesign.
 */
export { ClusterAgent, clusterAgentProvider, validateClusterAgent, type ClusterAgentArgs } from "./cluster-agent";
export { ClusterAgentToken, clusterAgentTokenProvider, validateClusterAgentToken, type ClusterAgentTokenArgs } from "./cluster-agent-token";
export { UserRunner, userRunnerProvider, validateUserRunner, type UserRunnerArgs, type RunnerType } from "./user-runner";
export { ProjectDeployToken, projectDeployTokenProvider, validateProjectDeployToken, type ProjectDeployTokenArgs, type DeployTokenScopeName } from "./project-deploy-token";
export { RepositoryFile, repositoryFileProvider, validateRepositoryFile, type RepositoryFileArgs } from "./repository-file";
export { ProjectVariable, projectVariableProvider, validateProjectVariable, type ProjectVariableArgs } from "./project-variable";
export { Group, groupProvider, validateGroup, type GroupArgs } from "./group";
export { Project, projectProvider, validateProject, type ProjectArgs } from "./project";
export { ApplicationSettings, applicationSettingsProvider, validateApplicationSettings, type ApplicationSettingsArgs } from "./application-settings";
export { GitLabObjects, validateGitLabObjects, type GitLabObjectsArgs } from "./gitlab-objects";
export { AlreadyExistsError, type VisibilityLevel } from "./namespace-kit";
export { GitLabApiError, type HttpOptions } from "./http";
export { GitLabConnectionError } from "./connection";
export type { RetryPolicy } from "./retry";
export type { ProviderSettings } from "./provider-kit";
