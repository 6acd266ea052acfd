/**
 * The agent configuration file `.gitlab/agents/<name>/config.yaml`, rendered from the access settings
 * as GitLab reads it from the project's default branch. Pure; validate first (`validateAgentAccess`).
 * @see https://docs.gitlab.com/user/clusters/agent/install/#create-an-agent-configuration-file
 */
import { stringify } from "yaml";
import type { AgentAccessArgs, CiAccessAs, CiAccessEntry } from "./access";

function renderAccessAs(as: CiAccessAs): Record<string, unknown> {
    switch (as.type) {
        case "agent":
            return { agent: {} };
        case "ciJob":
            return { ci_job: {} };
        case "impersonate":
            return {
                impersonate: {
                    username: as.username,
                    ...(as.uid !== undefined ? { uid: as.uid } : {}),
                    ...(as.groups?.length ? { groups: as.groups } : {}),
                    ...(as.extra?.length ? { extra: as.extra.map((x) => ({ key: x.key, val: x.values })) } : {}),
                },
            };
    }
}

function renderEntry(e: CiAccessEntry): Record<string, unknown> {
    return {
        id: e.id,
        ...(e.defaultNamespace !== undefined ? { default_namespace: e.defaultNamespace } : {}),
        ...(e.environments !== undefined ? { environments: e.environments } : {}),
        ...(e.protectedBranchesOnly !== undefined ? { protected_branches_only: e.protectedBranchesOnly } : {}),
        access_as: renderAccessAs(e.accessAs ?? { type: "ciJob" }),
        ...(e.resourceManagement ? { resource_management: { enabled: true } } : {}),
    };
}

/** Renders `config.yaml`. */
export function buildAgentConfigFile(args: AgentAccessArgs): string {
    const doc: Record<string, unknown> = {};
    const { ciAccess, userAccess, flux } = args;
    if (ciAccess) {
        doc.ci_access = {
            ...(ciAccess.projects?.length ? { projects: ciAccess.projects.map(renderEntry) } : {}),
            ...(ciAccess.groups?.length ? { groups: ciAccess.groups.map(renderEntry) } : {}),
        };
    }
    if (userAccess) {
        doc.user_access = {
            access_as: { [userAccess.accessAs ?? "agent"]: {} },
            ...(userAccess.projects?.length ? { projects: userAccess.projects.map((id) => ({ id })) } : {}),
            ...(userAccess.groups?.length ? { groups: userAccess.groups.map((id) => ({ id })) } : {}),
        };
    }
    if (flux?.webhookReceiverUrl !== undefined) doc.flux = { webhook_receiver_url: flux.webhookReceiverUrl };
    return `# Managed by Pulumi (gitlab-platform); manual edits are overwritten.\n${stringify(doc)}`;
}
