/**
 * The agent's spec: the shape of every setting of {@link GitLabAgentArgs}, once. Defaults and rules are
 * `resolveGitLabAgent` / `validateGitLabAgent` / `kasAddressProblems` beside it (resolve.ts); the
 * documentation is the JSDoc of `GitLabAgentArgs`, and `satisfies` makes the compiler prove this schema
 * accepts nothing the interface does not. The stack spec (config/agent.ts) picks and renames from it.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AGENT_TOKEN_SLOTS } from "../defaults";
import { input } from "../internal/spec-kit";
import type { GitLabAgentArgs } from "./gitlab-agent";

const accessAs = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("agent") }),
    z.strictObject({ type: z.literal("ciJob") }),
    z.strictObject({
        type: z.literal("impersonate"),
        username: z.string(),
        uid: z.string().optional(),
        groups: z.array(z.string()).optional(),
        extra: z.array(z.strictObject({ key: z.string(), values: z.array(z.string()) })).optional(),
    }),
]);

const ciAccessEntry = z.strictObject({
    id: z.string(),
    numericId: z.number().optional(),
    defaultNamespace: z.string().optional(),
    environments: z.array(z.string()).optional(),
    protectedBranchesOnly: z.boolean().optional(),
    accessAs: accessAs.optional(),
    resourceManagement: z.boolean().optional(),
});

/** Every setting but the wiring (`project` and `kasAddress` may be Outputs, `fluxNamespaceResource` a resource). */
export const agentSettingsShape = {
    agentName: z.string().optional(),
    kasCaCert: z.string().optional(),
    configBranch: z.string().optional(),
    namespace: z.string().optional(),
    createNamespace: z.boolean().optional(),
    replicas: z.number().optional(),
    tokenSlots: z.array(z.enum(AGENT_TOKEN_SLOTS)).optional(),
    activeTokenSlot: z.enum(AGENT_TOKEN_SLOTS).optional(),
    clusterAdmin: z.boolean().optional(),
    managedNamespaces: z.array(z.string()).optional(),
    namespaceClusterRole: z.string().optional(),
    resourceManagementRoles: z.array(z.string()).optional(),
    ciAccess: z
        .strictObject({ projects: z.array(ciAccessEntry).optional(), groups: z.array(ciAccessEntry).optional() })
        .optional(),
    userAccess: z
        .strictObject({
            accessAs: z.enum(["agent", "user"]).optional(),
            projects: z.array(z.string()).optional(),
            groups: z.array(z.string()).optional(),
        })
        .optional(),
    flux: z.strictObject({ webhookReceiverUrl: z.string().optional(), namespace: z.string().optional() }).optional(),
};

/** The component's whole args. */
export const agentArgsSpec = z.strictObject({
    ...agentSettingsShape,
    project: input(z.string()),
    kasAddress: input(z.string()),
    fluxNamespaceResource: z
        .custom<pulumi.Resource>((v) => pulumi.Resource.isInstance(v), {
            message: "not a Pulumi resource (expected e.g. Flux.namespaceResource)",
        })
        .optional(),
}) satisfies z.ZodType<unknown, GitLabAgentArgs>;
