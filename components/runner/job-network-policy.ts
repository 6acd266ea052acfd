/**
 * The NetworkPolicy that fences CI job pods in: untrusted code runs there, so job pods may resolve names
 * through the cluster DNS and reach the internet (GitLab's public URL, registries, package mirrors), but
 * nothing inside the VPC (RDS, ElastiCache, GitLab's pods, the API server, other nodes) and nothing
 * link-local (the instance metadata service, the EKS Pod Identity agent). No ingress at all. Enforced on
 * EKS by the VPC CNI's network policy agent (`VPC_CNI_CONFIGURATION` in defaults.ts). Pure.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import type * as k8s from "@pulumi/kubernetes";
import { RUNNER_JOB_DENIED_EGRESS_CIDRS, RUNNER_JOB_LABEL } from "../defaults";

/** The manifest of a job pods' egress policy (`metadata` without namespace: the caller sets it). */
export interface JobNetworkPolicy {
    metadata: { name: string; labels: Record<string, string> };
    spec: k8s.types.input.networking.v1.NetworkPolicySpec;
}

/** Builds the policy for the job pods of one runner. */
export function buildJobNetworkPolicy(releaseName: string): JobNetworkPolicy {
    return {
        metadata: { name: `${releaseName}-jobs`, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
        spec: {
            podSelector: { matchLabels: { [RUNNER_JOB_LABEL.key]: RUNNER_JOB_LABEL.value } },
            policyTypes: ["Ingress", "Egress"],
            ingress: [],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                        },
                    ],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
                { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...RUNNER_JOB_DENIED_EGRESS_CIDRS] } }] },
            ],
        },
    };
}
