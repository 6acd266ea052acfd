import { Agents } from "@gitbeaker/rest";
import * as pulumi from "@pulumi/pulumi";
import { hasMessage, hasStatus } from "./http";
import {
    checkResult,
    configureFrom,
    diffBySpec,
    expect,
    gitlabClient,
    known,
    projectProblem,
    splitId,
    takeoverError,
    type ConfiguredConnection,
    type ProviderSettings,
} from "./provider-kit";
import { GITLAB_API_REPLACE_KEYS } from "./replace-keys";

/**
 * An agent name: lowercase letters, digits and '-', not at either end, at most 63 characters (a DNS
 * label), as GitLab's `Clusters::Agent` validation requires.
 * @see https://docs.gitlab.com/user/clusters/agent/install/#create-an-agent-configuration-file
 */
export const AGENT_NAME_PATTERN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** Inputs of the ClusterAgent provider (resolved, plain). */
export interface ClusterAgentInputs {
    project: string;
    name: string;
    /** Take over an agent of this name that this stack did not create. */
    adopt?: boolean;
}

/** State of a ClusterAgent: its inputs and what GitLab computed. */
export interface ClusterAgentOutputs extends ClusterAgentInputs {
    agentId: number;
    createdAt?: string;
    createdByUserId?: number;
}

/** Problems with ClusterAgent inputs, each `<field>: <problem> (expected ...)`; unknown values are skipped. */
export function validateClusterAgent(inputs: Partial<ClusterAgentInputs>): string[] {
    const problems = projectProblem(inputs.project);
    const name = inputs.name;
    if (name === undefined) problems.push('name: missing (expected a DNS label such as "production")');
    else if (known(name) && (typeof name !== "string" || name.length > 63 || !AGENT_NAME_PATTERN.test(name))) {
        problems.push(
            `name: ${JSON.stringify(name)} is not a valid agent name (expected lowercase letters, digits and '-', not at either end, at most 63 characters)`,
        );
    }
    if (known(inputs.adopt) && typeof inputs.adopt !== "boolean")
        problems.push("adopt: not a boolean (expected true or false)");
    return problems;
}

function outputsOf(inputs: Pick<ClusterAgentInputs, "project" | "adopt">, body: unknown): ClusterAgentOutputs {
    const what = "cluster agent";
    const agent = expect.object(body, what);
    return {
        project: inputs.project,
        name: expect.string(agent, "name", what),
        agentId: expect.id(agent, "id", what),
        createdAt: expect.optString(agent, "created_at", what),
        createdByUserId: expect.optNumber(agent, "created_by_user_id", what),
        ...(inputs.adopt === undefined ? {} : { adopt: inputs.adopt }),
    };
}

/**
 * The ClusterAgent provider. `create` meeting an agent of the same name refuses to take it over (another
 * stack's agent would be deleted with this resource) unless `adopt` is true; the register POST is never
 * replayed after an ambiguous failure (retry.ts), so the provider never mistakes its own lost create for
 * someone else's. Replacing because `project` changed deletes first, since the new agent could be the
 * old one under another project reference.
 */
export function clusterAgentProvider(
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<ClusterAgentInputs, ClusterAgentOutputs> {
    const configured: ConfiguredConnection = {};
    const agents = () => new Agents(gitlabClient(settings, configured).client);
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            return checkResult(news, validateClusterAgent(news));
        },
        async diff(_id, olds, news) {
            return diffBySpec<ClusterAgentInputs>(olds, news, {
                replace: [...GITLAB_API_REPLACE_KEYS.ClusterAgent],
                update: [],
                deleteFirstOn: ["project"],
            });
        },
        async create(inputs) {
            const api = agents();
            let agent: unknown;
            try {
                agent = await api.register(inputs.project, inputs.name);
            } catch (e) {
                if (!hasMessage(e, 400, /already been taken/i)) throw e;
                const existing = expect
                    .array(await api.all(inputs.project), "cluster agent list")
                    .find((a) => a.name === inputs.name);
                if (existing === undefined) throw e;
                const id = `${inputs.project}:${expect.id(existing, "id", "cluster agent")}`;
                if (inputs.adopt !== true)
                    throw takeoverError(
                        "ClusterAgent",
                        `"${inputs.name}" in project ${inputs.project}`,
                        id,
                        "gitlab:index/clusterAgent:ClusterAgent",
                    );
                agent = existing;
            }
            const outs = outputsOf(inputs, agent);
            return { id: `${inputs.project}:${outs.agentId}`, outs };
        },
        async read(id, props) {
            const [project, agentId] =
                props?.project && props.agentId ? [props.project, String(props.agentId)] : splitId(id, 2);
            try {
                const agent = await agents().show(project, Number(agentId));
                return { id, props: outputsOf({ project, adopt: props?.adopt }, agent) };
            } catch (e) {
                if (hasStatus(e, 404)) return {};
                throw e;
            }
        },
        async delete(_id, props) {
            try {
                await agents().unregister(props.project, props.agentId);
            } catch (e) {
                if (!hasStatus(e, 404)) throw e;
            }
        },
    };
}

/**
 * Arguments of {@link ClusterAgent}; the names of `gitlab.ClusterAgent` in `@pulumi/gitlab`.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/clusteragent/
 */
export interface ClusterAgentArgs {
    /** ID or full path of the project that holds the agent's configuration (`.gitlab/agents/<name>/`). */
    project: pulumi.Input<string>;
    /** The agent's name: a DNS label of at most 63 characters. Changing it replaces the agent. */
    name: pulumi.Input<string>;
    /**
     * Take over an existing agent of this name (one registered by hand or by a create whose answer was
     * lost). Without it, a create that meets an existing agent fails naming it: this resource would
     * otherwise delete another stack's agent on destroy.
     * @default false
     */
    adopt?: pulumi.Input<boolean>;
}

const PROVIDER = clusterAgentProvider();

/**
 * A GitLab agent for Kubernetes registered in a project (`POST /projects/:id/cluster_agents`).
 * Requires the Maintainer role on the project and a token with the `api` scope.
 * @see https://docs.gitlab.com/api/cluster_agents/
 */
export class ClusterAgent extends pulumi.dynamic.Resource {
    declare public readonly project: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string>;
    /** The agent's numeric ID (input of {@link ClusterAgentToken}). */
    declare public readonly agentId: pulumi.Output<number>;
    declare public readonly createdAt: pulumi.Output<string>;
    declare public readonly createdByUserId: pulumi.Output<number>;

    constructor(name: string, args: ClusterAgentArgs, opts?: pulumi.CustomResourceOptions) {
        const props = {
            project: args.project,
            name: args.name,
            adopt: args.adopt,
            agentId: undefined,
            createdAt: undefined,
            createdByUserId: undefined,
        };
        super(PROVIDER, name, props, opts, "gitlab", "ClusterAgent");
    }
}
