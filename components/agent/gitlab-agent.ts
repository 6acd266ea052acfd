import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    GITLAB_AGENT_CHART_NAME,
    GITLAB_AGENT_CHART_VERSION,
    GITLAB_CHART_REPOSITORY,
    type AgentTokenSlot,
} from "../defaults";
import { assertValid } from "../errors";
import { ClusterAgent } from "../gitlab-api/cluster-agent";
import { ClusterAgentToken } from "../gitlab-api/cluster-agent-token";
import { RepositoryFile } from "../gitlab-api/repository-file";
import type { AgentAccessArgs } from "./access";
import { buildAgentConfigFile } from "./config-file";
import { buildAgentRbac, type AgentRbacPlan } from "./rbac";
import { parseArgs } from "../internal/spec-kit";
import { kasAddressProblems, resolveGitLabAgent, tokenSlotsOf, validateGitLabAgent } from "./resolve";
import { agentArgsSpec } from "./spec";
import { buildAgentValues } from "./values";

/**
 * Arguments of {@link GitLabAgent}. The access settings (`ciAccess`, `userAccess`, `flux`) are written
 * to the agent's configuration file and also shape its Kubernetes RBAC.
 * @see https://docs.gitlab.com/user/clusters/agent/install/
 */
export interface GitLabAgentArgs extends AgentAccessArgs {
    /** ID or full path of the project that registers the agent and holds `.gitlab/agents/<name>/config.yaml`. */
    project: pulumi.Input<string>;
    /**
     * The agent's name in GitLab: a DNS label of at most 63 characters.
     * @default - the component name
     */
    agentName?: string;
    /**
     * The project's default branch, where GitLab reads the configuration file.
     * @default "main" ({@link AGENT_DEFAULT_CONFIG_BRANCH})
     */
    configBranch?: string;
    /**
     * The agent server (KAS) address: `wss://kas.<domain>` with the GitLab chart, `wss://<host>/-/kubernetes-agent/`
     * on Linux packages, `wss://kas.gitlab.com` on GitLab.com.
     * @see https://docs.gitlab.com/administration/clusters/kas/
     */
    kasAddress: pulumi.Input<string>;
    /**
     * PEM CA certificate to verify KAS with (chart `config.kasCaCert`), for a private CA.
     * @default - the system trust store
     */
    kasCaCert?: string;
    /** Namespace of agentk. @default "gitlab-agent" ({@link AGENT_DEFAULT_NAMESPACE}) */
    namespace?: string;
    /** Create {@link namespace}; `false` when it exists already. @default true */
    createNamespace?: boolean;
    /** agentk replicas. @default 2 ({@link AGENT_DEFAULT_REPLICAS}) */
    replicas?: number;
    /**
     * Token slots that exist (GitLab allows two active tokens per agent). Rotate blue/green: add the
     * other slot, switch {@link activeTokenSlot} to it, then remove the old slot (its token is revoked).
     * @default - only the active slot
     */
    tokenSlots?: AgentTokenSlot[];
    /** The slot whose token agentk uses. @default "blue" ({@link AGENT_DEFAULT_TOKEN_SLOT}) */
    activeTokenSlot?: AgentTokenSlot;
    /**
     * Bind the agent to `cluster-admin` instead of the RBAC derived from its access settings.
     * @default false - read-only cluster-wide plus what the configured access needs
     */
    clusterAdmin?: boolean;
    /**
     * Namespaces (existing) where the agent's own service account gets {@link namespaceClusterRole}, beyond
     * the `defaultNamespace`s of entries using agent identity.
     * @default []
     */
    managedNamespaces?: string[];
    /** ClusterRole bound per managed or default namespace. @default "admin" ({@link AGENT_NAMESPACE_CLUSTER_ROLE}) */
    namespaceClusterRole?: string;
    /**
     * ClusterRoles GitLab environment templates may bind when `resourceManagement` is on.
     * @default ["admin"] ({@link AGENT_RESOURCE_MANAGEMENT_ROLES}, what GitLab's default template binds)
     */
    resourceManagementRoles?: string[];
    /**
     * The resource that creates `flux.namespace` (e.g. `Flux.namespaceResource`): the Role for Flux
     * receivers there waits for it.
     * @default - none; the namespace must already exist
     */
    fluxNamespaceResource?: pulumi.Resource;
}

/**
 * The GitLab agent for Kubernetes: registered in GitLab, configured by a committed `config.yaml`,
 * authenticated by a blue/green-rotated token kept in a Secret, and installed with the pinned
 * `gitlab-agent` chart under RBAC derived from its access settings (never bound to `cluster-admin` unless
 * asked). Note that `ciJob` access requires unrestricted impersonation, which is cluster-admin in effect
 * for the agent's own service account: see {@link CiAccessAs}.
 */
export class GitLabAgent extends pulumi.ComponentResource {
    /** The agent's numeric ID in GitLab. */
    public readonly agentId: pulumi.Output<number>;
    /** The namespace agentk runs in. */
    public readonly namespace: string;
    /** The agent's name; CI jobs select the kube context `<agent project path>:<agent name>`. */
    public readonly agentName: string;

    constructor(name: string, args: GitLabAgentArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const checked = parseArgs("GitLabAgent", agentArgsSpec, args);
        const r = resolveGitLabAgent(name, checked);
        assertValid("GitLabAgent", [...validateGitLabAgent(r), ...kasAddressProblems(checked.kasAddress)]);
        super("gitlab-platform:agent:GitLabAgent", name, {}, opts);
        this.namespace = r.namespace;
        this.agentName = r.agentName;

        // Component dependsOn is not inherited by children: the GitLab API calls wait for it explicitly
        // (e.g. a GitLab release installed by the same stack).
        const api = { parent: this, dependsOn: opts?.dependsOn };
        const agent = new ClusterAgent(`${name}-agent`, { project: r.project, name: r.agentName }, api);
        const configFile = new RepositoryFile(
            `${name}-config`,
            {
                project: r.project,
                branch: r.configBranch,
                filePath: r.configFilePath,
                content: buildAgentConfigFile(r),
                commitMessage: `Configure GitLab agent ${r.agentName} (managed by Pulumi)`,
            },
            api,
        );
        // Both slots may exist at once; the Secret follows the active one. Removing a slot revokes its
        // token only after the Secret (and agentk) moved on, since Pulumi deletes after updates.
        const tokens = new Map(
            tokenSlotsOf(r).map((slot) => [
                slot,
                new ClusterAgentToken(
                    `${name}-token-${slot}`,
                    {
                        project: r.project,
                        agentId: agent.agentId,
                        name: `${r.agentName}-${slot}`,
                        description: `agentk token, ${slot} slot (managed by Pulumi)`,
                    },
                    { parent: this },
                ),
            ]),
        );
        const activeToken = tokens.get(r.activeTokenSlot)!;

        const ns = r.createNamespace
            ? new k8s.core.v1.Namespace(
                  `${name}-namespace`,
                  {
                      metadata: {
                          name: r.namespace,
                          labels: {
                              "app.kubernetes.io/managed-by": "pulumi",
                              "pod-security.kubernetes.io/enforce": "restricted",
                          },
                      },
                  },
                  { parent: this },
              )
            : undefined;
        const namespace = ns ? ns.metadata.name : pulumi.output(r.namespace);
        const secret = new k8s.core.v1.Secret(
            `${name}-token-secret`,
            {
                metadata: { name: `${r.releaseName}-token`, namespace },
                type: "Opaque",
                stringData: { token: pulumi.secret(activeToken.token) },
            },
            { parent: this },
        );

        const rbac = buildAgentRbac({ ...r, serviceAccountName: r.releaseName });
        const bindings = this.declareRbac(name, rbac, namespace, checked.fluxNamespaceResource);
        const values = buildAgentValues({
            ...r,
            kasAddress: checked.kasAddress,
            serviceAccountName: r.releaseName,
            secretName: secret.metadata.name,
        });
        new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: r.releaseName,
                chart: GITLAB_AGENT_CHART_NAME,
                version: GITLAB_AGENT_CHART_VERSION,
                repositoryOpts: { repo: GITLAB_CHART_REPOSITORY },
                namespace,
                values,
            },
            // agentk starts with its permissions in place and its configuration committed.
            { parent: this, dependsOn: [...bindings, configFile] },
        );

        this.agentId = agent.agentId;
        this.registerOutputs({ agentId: this.agentId, namespace: this.namespace });
    }

    /** Declares the RBAC objects of the plan; returns the bindings the release waits for. */
    private declareRbac(
        name: string,
        rbac: AgentRbacPlan,
        namespace: pulumi.Input<string>,
        fluxNamespace: pulumi.Resource | undefined,
    ): pulumi.Resource[] {
        const opts = { parent: this };
        const roleRef = (kind: "ClusterRole" | "Role", roleName: pulumi.Input<string>) => ({
            apiGroup: "rbac.authorization.k8s.io",
            kind,
            name: roleName,
        });
        const subjects = [rbac.serviceAccount];
        const clusterRole = rbac.clusterRules
            ? new k8s.rbac.v1.ClusterRole(
                  `${name}-cluster-role`,
                  { metadata: { name: rbac.name }, rules: rbac.clusterRules },
                  opts,
              )
            : undefined;
        const bindings: pulumi.Resource[] = [
            new k8s.rbac.v1.ClusterRoleBinding(
                `${name}-cluster-role-binding`,
                {
                    metadata: { name: rbac.name },
                    roleRef: roleRef("ClusterRole", clusterRole?.metadata.name ?? rbac.clusterRoleRef),
                    subjects,
                },
                opts,
            ),
        ];
        const role = new k8s.rbac.v1.Role(
            `${name}-role`,
            { metadata: { name: rbac.name, namespace }, rules: rbac.agentNamespaceRules },
            opts,
        );
        bindings.push(
            new k8s.rbac.v1.RoleBinding(
                `${name}-role-binding`,
                { metadata: { name: rbac.name, namespace }, roleRef: roleRef("Role", role.metadata.name), subjects },
                opts,
            ),
        );
        for (const b of rbac.namespaceBindings) {
            bindings.push(
                new k8s.rbac.v1.RoleBinding(
                    `${name}-${b.namespace}-role-binding`,
                    {
                        metadata: { name: rbac.name, namespace: b.namespace },
                        roleRef: roleRef("ClusterRole", b.clusterRole),
                        subjects: b.subjects,
                    },
                    opts,
                ),
            );
        }
        if (rbac.flux) {
            const inFluxNamespace = { ...opts, dependsOn: fluxNamespace ? [fluxNamespace] : [] };
            const flux = new k8s.rbac.v1.Role(
                `${name}-flux-role`,
                { metadata: { name: rbac.name, namespace: rbac.flux.namespace }, rules: rbac.flux.rules },
                inFluxNamespace,
            );
            bindings.push(
                new k8s.rbac.v1.RoleBinding(
                    `${name}-flux-role-binding`,
                    {
                        metadata: { name: rbac.name, namespace: rbac.flux.namespace },
                        roleRef: roleRef("Role", flux.metadata.name),
                        subjects,
                    },
                    inFluxNamespace,
                ),
            );
        }
        return bindings;
    }
}
