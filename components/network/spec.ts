/**
 * The network component's spec: every setting of {@link AwsNetworkArgs} once, with its shape and default
 * (the zod schemas), so a misspelled key is refused with a "did you mean" before anything is declared.
 * The documentation is the JSDoc of `CreatedVpcArgs` and `ExistingVpcArgs`; `satisfies` makes the
 * compiler prove the schemas accept nothing the interfaces do not. The rules are
 * {@link validateAwsNetwork}; the stack spec (config/cluster.ts) picks {@link networkSettingsSpec} for
 * `cluster.network`.
 */
import { z } from "zod";
import { AWS_NAT_GATEWAYS_DEFAULT, AWS_VPC_DEFAULT_CIDR } from "../defaults";
import type { AwsNetworkArgs, AwsNetworkRef, CreatedVpcArgs, ExistingVpcArgs } from "./aws-network";

/** A VPC the component creates; zones are explicit so planning needs no AWS call. */
export const createdVpcSpec = z.strictObject({
    type: z.literal("create"),
    cidr: z.string().default(AWS_VPC_DEFAULT_CIDR),
    availabilityZones: z.array(z.string()),
    natGateways: z.enum(["perAz", "single"]).default(AWS_NAT_GATEWAYS_DEFAULT),
}) satisfies z.ZodType<unknown, CreatedVpcArgs>;

/** A VPC that exists, with private subnets (NAT egress) in at least two zones. */
export const existingVpcSpec = z.strictObject({
    type: z.literal("existing"),
    vpcId: z.string(),
    privateSubnetIds: z.array(z.string()),
    availabilityZones: z.array(z.string()).optional(),
}) satisfies z.ZodType<unknown, ExistingVpcArgs>;

/** The network settings a stack file holds (`cluster.network`): everything but the region. */
export const networkSettingsSpec = z.discriminatedUnion("type", [createdVpcSpec, existingVpcSpec]);

const region = { region: z.string() };

/** The component's whole args: the network settings and the stack's region. */
export const awsNetworkArgsSpec = z.discriminatedUnion("type", [
    createdVpcSpec.extend(region),
    existingVpcSpec.extend(region),
]) satisfies z.ZodType<unknown, AwsNetworkArgs>;

/** {@link AwsNetworkArgs} with every default applied. */
export type ResolvedAwsNetwork = z.output<typeof awsNetworkArgsSpec>;

/** What a component wired into the VPC receives: `AwsNetwork.ref` (its ids are Pulumi inputs, checked by type only). */
export const awsNetworkRefSpec = z.custom<AwsNetworkRef>(
    (v) => typeof v === "object" && v !== null && Array.isArray((v as { privateSubnetIds?: unknown }).privateSubnetIds),
    { message: "not a network (expected AwsNetwork.ref: vpcId, privateSubnetIds, dataClientsSecurityGroupId)" },
);
