/**
 * Helm values of the `gitlab-agent` chart. Pure. The token never appears here: the chart mounts the
 * Secret named by `config.secretName` (key `token`). Keys checked against the chart's `values.yaml`
 * and templates (gitlab-org/charts/gitlab-agent 2.x: `config.secretName`, `config.kasAddress`,
 * `config.kasCaCert`, `config.operational_container_scanning.enabled`, `rbac.create`,
 * `serviceAccount.{create,name}`, `replicas`, `podAnnotations`, `securityContext`).
 * @see https://gitlab.com/gitlab-org/charts/gitlab-agent/-/blob/main/values.yaml
 */
import type * as pulumi from "@pulumi/pulumi";

/** Pod annotation naming the token slot in use: switching slots changes the pod template, so pods restart and read the new token. */
const TOKEN_SLOT_ANNOTATION = "gitlab-platform/agent-token-slot";

/** Resolved input of {@link buildAgentValues}. */
export interface AgentValuesInput {
    kasAddress: pulumi.Input<string>;
    kasCaCert?: string;
    secretName: pulumi.Input<string>;
    serviceAccountName: string;
    replicas: number;
    activeTokenSlot: string;
}

/** Builds the chart values. */
export function buildAgentValues(input: AgentValuesInput): Record<string, unknown> {
    return {
        replicas: input.replicas,
        config: {
            kasAddress: input.kasAddress,
            secretName: input.secretName,
            ...(input.kasCaCert !== undefined ? { kasCaCert: input.kasCaCert } : {}),
            // Operational container scanning adds a ClusterRole reading every Secret in the cluster.
            operational_container_scanning: { enabled: false },
        },
        // The chart's RBAC is a cluster-wide binding to cluster-admin; the component declares its own.
        rbac: { create: false },
        serviceAccount: { create: true, name: input.serviceAccountName },
        podAnnotations: { [TOKEN_SLOT_ANNOTATION]: input.activeTokenSlot },
        // The chart's own hardening example (values.yaml comment), plus a seccomp profile.
        podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
        securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: 1000,
        },
    };
}
