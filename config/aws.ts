/**
 * The `data` key's `aws` variant: GitLab's data services created on AWS (RDS PostgreSQL, ElastiCache
 * Redis, S3, IRSA) by `AwsDataServices`. Picked from the data services' spec (components/data/spec.ts),
 * whose defaults and rules it shares; the name prefix is the stack's to default (`<project>-<stack>`).
 */
import { z } from "zod";
import { validateNamePrefix } from "../components/data/aws-naming";
import { awsDataSettingsSpec } from "../components/data/spec";
import type { Problem } from "../components/errors";

export const awsDataSchema = awsDataSettingsSpec.extend({
    type: z.literal("aws"),
    /** Prefix of bucket names and snapshot identifiers; the program defaults it to `<project>-<stack>`. */
    namePrefix: z.string().optional(),
});

export type AwsDataConfig = z.output<typeof awsDataSchema>;

/**
 * Cross-key rules of the AWS data path: it needs the EKS cluster (the IRSA role trusts its OIDC
 * provider) in the AWS provider's region, and a valid name prefix (the one config.ts resolved).
 * @param awsRegion the `aws:region` config value, when set
 */
export function awsDataCrossRules(
    cluster: { type: string; region?: string } | undefined,
    awsRegion: string | undefined,
    namePrefix: string,
): Problem[] {
    const problems: Problem[] = [];
    if (cluster !== undefined && cluster.type !== "eks")
        problems.push({
            path: "data.type",
            message: "aws needs cluster.type eks (expected an EKS cluster: the IRSA role trusts its OIDC provider)",
        });
    if (cluster?.type === "eks" && awsRegion !== undefined && cluster.region !== awsRegion) {
        problems.push({
            path: "cluster.region",
            message: `${cluster.region} differs from aws:region ${awsRegion} (expected the region the AWS provider deploys to)`,
        });
    }
    problems.push(...validateNamePrefix(namePrefix).map((p) => ({ path: `data.${p.path}`, message: p.message })));
    return problems;
}
