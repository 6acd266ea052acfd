/**
 * The compiler's proof, both ways, that each spec and its public Args interface name the same settings:
 * `satisfies` in the spec shows the spec accepts nothing the interface does not; these show the
 * interface has no setting the spec forgets. A mismatch fails `tsc` (npm run build).
 */
import { strict as assert } from "node:assert";
import type { z } from "zod";
import type { GitLabAgentArgs } from "../../components/agent/gitlab-agent";
import type { agentArgsSpec } from "../../components/agent/spec";
import type { GitLabRunnerArgs } from "../../components/runner/gitlab-runner";
import { runnerArgsSpec } from "../../components/runner/spec";
import type { AppArgs } from "../../components/apps/app";
import type { AppGatewayArgs } from "../../components/apps/app-gateway";
import type { appGatewayArgsSpec } from "../../components/apps/gateway";
import type { ReviewAppArgs } from "../../components/apps/review-app";
import type { appArgsSpec, reviewAppArgsSpec } from "../../components/apps/spec";
import type { CreatedVpcArgs, ExistingVpcArgs } from "../../components/network/aws-network";
import type { createdVpcSpec, existingVpcSpec } from "../../components/network/spec";
import type { EksClusterArgs } from "../../components/cluster/eks-config";
import type { ExistingClusterArgs } from "../../components/cluster/kubernetes-cluster";
import type { eksClusterArgsSpec, existingClusterArgsSpec } from "../../components/cluster/spec";
import type { AcmeDns01IssuerArgs } from "../../components/dns/acme-dns01";
import type { Route53DnsArgs } from "../../components/dns/route53-dns";
import type { acmeDns01IssuerArgsSpec, route53DnsArgsSpec } from "../../components/dns/spec";
import type { RailsSecretsArgs } from "../../components/gitlab/rails-secrets";
import type { railsSecretsArgsSpec } from "../../components/gitlab/rails-secrets-spec";

type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;

const runner: SameKeys<z.input<typeof runnerArgsSpec>, GitLabRunnerArgs> = true;
const agent: SameKeys<z.input<typeof agentArgsSpec>, GitLabAgentArgs> = true;
const app: SameKeys<z.input<typeof appArgsSpec>, AppArgs> = true;
const reviewApp: SameKeys<z.input<typeof reviewAppArgsSpec>, ReviewAppArgs> = true;
const appGateway: SameKeys<z.input<typeof appGatewayArgsSpec>, AppGatewayArgs> = true;
const createdVpc: SameKeys<z.input<typeof createdVpcSpec>, CreatedVpcArgs> = true;
const existingVpc: SameKeys<z.input<typeof existingVpcSpec>, ExistingVpcArgs> = true;
const existingCluster: SameKeys<z.input<typeof existingClusterArgsSpec>, ExistingClusterArgs> = true;
const eksCluster: SameKeys<z.input<typeof eksClusterArgsSpec>, EksClusterArgs> = true;
const route53Dns: SameKeys<z.input<typeof route53DnsArgsSpec>, Route53DnsArgs> = true;
const acmeDns01Issuer: SameKeys<z.input<typeof acmeDns01IssuerArgsSpec>, AcmeDns01IssuerArgs> = true;
const railsSecrets: SameKeys<z.input<typeof railsSecretsArgsSpec>, RailsSecretsArgs> = true;

describe("specs and Args interfaces", () => {
    it("name the same settings (checked by the compiler)", () => {
        assert.deepEqual(
            [
                runner,
                agent,
                app,
                reviewApp,
                appGateway,
                createdVpc,
                existingVpc,
                existingCluster,
                eksCluster,
                route53Dns,
                acmeDns01Issuer,
                railsSecrets,
            ],
            Array.from({ length: 12 }, () => true),
        );
        assert.deepEqual(Object.keys(runnerArgsSpec.shape).length > 10, true);
    });
});
