/**
 * The DNS components' specs: every setting of {@link Route53DnsArgs} and {@link AcmeDns01IssuerArgs}
 * once, with its shape and default (the zod schemas), so a misspelled or missing key is refused with a
 * "did you mean" before anything is declared. The documentation is the JSDoc of the Args interfaces;
 * `satisfies` makes the compiler prove the schemas accept nothing the interfaces do not. The rules are
 * {@link validateRoute53Dns} and {@link validateAcmeDns01Issuer}; the stack spec (config/dns.ts) picks
 * {@link hostedZoneSpec} for `dns.hostedZone`.
 */
import { z } from "zod";
import { oidcIdentitySpec } from "../cluster/spec";
import { input } from "../internal/spec-kit";
import type { AcmeDns01IssuerArgs } from "./acme-dns01";
import type { HostedZoneArgs, Route53DnsArgs } from "./route53-dns";

/** The domain's hosted zone: created, or one that exists (its id checked by {@link zoneIdProblems}). */
export const hostedZoneSpec = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("create") }),
    z.strictObject({ type: z.literal("existing"), zoneId: z.string() }),
]) satisfies z.ZodType<unknown, HostedZoneArgs>;

/** The Route 53 component's whole args, its constant defaults applied here. */
export const route53DnsArgsSpec = z.strictObject({
    domain: z.string(),
    hostedZone: hostedZoneSpec,
    clusterName: z.string(),
    oidc: oidcIdentitySpec,
    partition: z.string(),
    supportingPool: z.boolean().default(false),
    protect: z.boolean().default(true),
    certManager: z.strictObject({ namespace: z.string(), releaseName: z.string() }).optional(),
}) satisfies z.ZodType<unknown, Route53DnsArgs>;

/** The ClusterIssuer's whole args (the ACME directory's default is the manifest builder's, applied there once). */
export const acmeDns01IssuerArgsSpec = z.strictObject({
    issuerName: z.string(),
    domain: z.string(),
    email: z.string(),
    zoneId: input(z.string()),
    region: z.string(),
    server: z.string().optional(),
}) satisfies z.ZodType<unknown, AcmeDns01IssuerArgs>;
