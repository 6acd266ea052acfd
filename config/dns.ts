/**
 * The `dns` key: Route 53 DNS for the hosts the stack serves, through external-dns (EKS only). Shape here;
 * the zone id rule is the component's `validateRoute53Dns`, the cross-key rules are {@link dnsCrossRules}.
 */
import { z } from "zod";
import { hostedZoneSpec } from "../components/dns/spec";
import type { Problem } from "../components/errors";

export const dnsSchema = z.strictObject({
    /** The hosted zone of `gitlab.domain`: `{type: create}` or `{type: existing, zoneId}`. */
    hostedZone: hostedZoneSpec,
    /** Pulumi protect on a created zone (default true). */
    protect: z.boolean().optional(),
});

export type DnsConfig = z.output<typeof dnsSchema>;

/** Cross-key rules: Route 53 with IRSA needs the EKS cluster, and records need GitLab's domain. Absolute paths. */
export function dnsCrossRules(cluster: { type: string } | undefined, hasGitLab: boolean): Problem[] {
    const problems: Problem[] = [];
    if (cluster !== undefined && cluster.type !== "eks") {
        problems.push({
            path: "dns",
            message: `set with cluster.type ${cluster.type} (expected an EKS cluster: external-dns assumes its IAM role through the cluster's OIDC provider)`,
        });
    }
    if (!hasGitLab)
        problems.push({
            path: "dns",
            message: "set without gitlab (expected the gitlab key: its domain names the records)",
        });
    return problems;
}
