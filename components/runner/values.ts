/**
 * Helm values of the `gitlab-runner` chart. Pure. The runner token reaches the chart only as the Secret
 * named by `runners.secret` (keys `runner-token`, `runner-registration-token`). Runner settings that
 * belong to the runner object in GitLab (tags, locked, protected, run-untagged, maximum timeout) are set
 * on the `UserRunner`: with an authentication token, Runner 18+ refuses to register when the chart passes
 * them ({@link FORBIDDEN_RUNNER_VALUES}).
 * @see https://docs.gitlab.com/runner/install/kubernetes/
 * @see https://docs.gitlab.com/ci/runners/new_creation_workflow/
 */
import type * as pulumi from "@pulumi/pulumi";

/** Values paths that must never be set (registration-token workflow only). */
export const FORBIDDEN_RUNNER_VALUES = [
    "runnerRegistrationToken",
    "runnerToken",
    "runners.locked",
    "runners.tags",
    "runners.maximumTimeout",
    "runners.runUntagged",
    "runners.protected",
] as const;

/**
 * The manager's namespaced Role: the Kubernetes API permissions the kubernetes executor needs without
 * optional features (gitlab-runner docs "Configure runner API permissions", v19.3.0), instead of the
 * chart's default `*` on every core resource.
 * @see https://docs.gitlab.com/runner/executors/kubernetes/#configure-runner-api-permissions
 */
export const RUNNER_RBAC_RULES = [
    { apiGroups: [""], resources: ["pods"], verbs: ["create", "delete", "get", "list", "watch"] },
    { apiGroups: [""], resources: ["pods/attach", "pods/exec"], verbs: ["create", "delete", "get", "patch"] },
    { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list"] },
    { apiGroups: [""], resources: ["secrets"], verbs: ["create", "delete", "get", "update"] },
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get"] },
    { apiGroups: [""], resources: ["services"], verbs: ["create", "get"] },
    { apiGroups: [""], resources: ["events"], verbs: ["list", "watch"] },
] as const;

/** Resolved input of {@link buildRunnerValues}. */
export interface RunnerValuesInput {
    gitlabUrl: pulumi.Input<string>;
    concurrent: number;
    tokenSecretName: pulumi.Input<string>;
    configToml: pulumi.Input<string>;
    serviceAccountName: string;
    /** Secret with the cache credentials (`accesskey`/`secretkey` or `gcs-application-credentials-file`). */
    cacheSecretName?: pulumi.Input<string>;
    /** Annotations of the manager's service account (workload identity for the cache). */
    serviceAccountAnnotations?: Record<string, pulumi.Input<string>>;
}

/** Builds the chart values. */
export function buildRunnerValues(input: RunnerValuesInput): Record<string, unknown> {
    return {
        gitlabUrl: input.gitlabUrl,
        concurrent: input.concurrent,
        // A namespaced Role and RoleBinding in the job namespace, never cluster-wide.
        rbac: {
            create: true,
            clusterWideAccess: false,
            rules: RUNNER_RBAC_RULES.map((r) => ({
                ...r,
                apiGroups: [...r.apiGroups],
                resources: [...r.resources],
                verbs: [...r.verbs],
            })),
        },
        serviceAccount: {
            create: true,
            name: input.serviceAccountName,
            ...(input.serviceAccountAnnotations ? { annotations: input.serviceAccountAnnotations } : {}),
        },
        runners: {
            secret: input.tokenSecretName,
            config: input.configToml,
            ...(input.cacheSecretName !== undefined ? { cache: { secretName: input.cacheSecretName } } : {}),
        },
    };
}
