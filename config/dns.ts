/**
 * The `dns` key: Route 53 DNS for the hosts the stack serves, through external-dns (EKS only). Types here;
 * the rules are the component's `validateRoute53Dns`.
 */
import { z } from "zod";

export const dnsSchema = z.strictObject({
    /** The hosted zone of `gitlab.domain`: `{type: create}` or `{type: existing, zoneId}`. */
    hostedZone: z.discriminatedUnion("type", [z.strictObject({ type: z.literal("create") }), z.strictObject({ type: z.literal("existing"), zoneId: z.string() })]),
    /** Pulumi protect on a created zone (default true). */
    protect: z.boolean().optional(),
});

export type DnsConfig = z.output<typeof dnsSchema>;

/** Cross-key rules for config.ts: Route 53 with IRSA needs the EKS cluster, and records need GitLab's domain. */
export function dnsCrossChecks(cluster: { type: string }, hasGitLab: boolean, zoneIdProblems: string[]): string[] {
    const problems: string[] = [];
    if (cluster.type !== "eks") problems.push("dns: set with cluster.type existing (expected an EKS cluster: external-dns assumes its IAM role through the cluster's OIDC provider)");
    if (!hasGitLab) problems.push("dns: set without gitlab (expected the gitlab key: its domain names the records)");
    return [...problems, ...zoneIdProblems];
}
