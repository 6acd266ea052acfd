export { GitLab, type GitLabArgs, type GitLabTlsArgs } from "./gitlab";
export {
    GITLAB_EDITIONS,
    GITLAB_ROUTINGS,
    resolveGitLab,
    validateGitLab,
    validateGitLabSettings,
    type GitLabEdition,
    type GitLabRouting,
    type GitLabSecretRefs,
    type GitLabSettings,
    type ResolvedGitLab,
} from "./settings";
export { buildGitLabValues } from "./values";
export { buildRailsSecretsYaml, RAILS_SECRET_KEYS, RailsSecrets, validateRailsSecretsYaml, type RailsSecretsArgs, type RailsSecretValues } from "./rails-secrets";
export { buildBackupCronValues, resolveGitLabBackups, validateGitLabBackups, type GitLabBackupArgs, type ResolvedGitLabBackups } from "./backups";
export {
    GITLAB_PREVIOUS_VERSION_ANNOTATION,
    GITLAB_VERSION_ANNOTATION,
    parseVersion,
    requiredStops,
    skippedStops,
    upgradePathProblems,
    upgradePrerequisiteProblems,
    type Version,
} from "./upgrade-path";
