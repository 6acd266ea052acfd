/**
 * Pure IAM policy documents for IAM roles for service accounts (IRSA): a role that exactly the named
 * Kubernetes service accounts may assume through the cluster's OIDC provider.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
import * as pulumi from "@pulumi/pulumi";
import type { OidcIdentity } from "./eks-config";

/** An IAM policy document. */
export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Record<string, unknown>[];
}

/** The audience EKS's pod identity webhook requests tokens for. */
export const IRSA_AUDIENCE = "sts.amazonaws.com";

/** `system:serviceaccount:<namespace>:<name>`, the subject of a service account's token. */
export function serviceAccountSubject(namespace: string, name: string): string {
    return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * Trust policy letting only `serviceAccounts` in `namespace` assume the role: exact `sub` match (no
 * wildcard) and the STS audience.
 * @param providerArn ARN of the cluster's IAM OIDC provider
 * @param issuer the OIDC issuer without `https://`
 */
export function buildIrsaTrustPolicy(
    providerArn: string,
    issuer: string,
    namespace: string,
    serviceAccounts: readonly string[],
): PolicyDocument {
    const host = issuer.replace(/^https:\/\//, "");
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${host}:aud`]: IRSA_AUDIENCE,
                        [`${host}:sub`]: serviceAccounts.map((sa) => serviceAccountSubject(namespace, sa)),
                    },
                },
            },
        ],
    };
}

/** {@link buildIrsaTrustPolicy} for the cluster's OIDC identity, as a role's `assumeRolePolicy` (JSON). */
export function irsaAssumeRolePolicy(
    oidc: OidcIdentity,
    namespace: string,
    serviceAccounts: readonly string[],
): pulumi.Output<string> {
    return pulumi
        .all([oidc.providerArn, oidc.issuer])
        .apply(([arn, issuer]) => JSON.stringify(buildIrsaTrustPolicy(arn, issuer, namespace, serviceAccounts)));
}

/**
 * A role's ARN that resolves only once its inline policy exists: whoever is handed it (a Helm release, a
 * service account annotation) cannot start using the role before it may do anything.
 */
export function roleArnAfterPolicy(
    role: { arn: pulumi.Output<string> },
    policy: { id: pulumi.Output<string> },
): pulumi.Output<string> {
    return pulumi.all([role.arn, policy.id]).apply(([arn]) => arn);
}

/** Trust policy for an AWS service principal (`eks.amazonaws.com`, `ec2.amazonaws.com`). */
export function buildServiceTrustPolicy(
    service: string,
    actions: readonly string[] = ["sts:AssumeRole"],
): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: [...actions] }],
    };
}
