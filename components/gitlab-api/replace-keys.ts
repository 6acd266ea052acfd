/**
 * The inputs whose change replaces each GitLab API resource (GitLab cannot edit them in place). The
 * providers' `diff` and the plan diff's replacement hints read this one table.
 */
export const GITLAB_API_REPLACE_KEYS = {
    ClusterAgent: ["project", "name"],
    ClusterAgentToken: ["project", "agentId", "name", "description"],
    ProjectDeployToken: ["project", "name", "scopes", "expiresAt", "username"],
    ProjectVariable: ["project", "key", "environmentScope", "hidden"],
    RepositoryFile: ["project", "branch", "filePath"],
    UserRunner: ["runnerType", "groupId", "projectId"],
} as const;
