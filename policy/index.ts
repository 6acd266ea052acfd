/**
 * The policy pack. The Pulumi CLI runs this module through `@pulumi/pulumi/cmd/run-policy-pack`
 * (`pulumi preview --policy-pack policy`), and so does `npm run policy` (tools/policy-gate.ts);
 * constructing the PolicyPack starts the analyzer server and prints its port. The policies live in one
 * module per domain (see policies.ts) so tests import them without starting a server.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "./policies";

new PolicyPack(PACK_NAME, {
    description:
        "GitLab on Kubernetes: external data services, pinned charts, no inline credentials, hardened workloads, protected AWS data, Flux hygiene.",
    displayName: "GitLab platform",
    policies: [...POLICIES],
});
