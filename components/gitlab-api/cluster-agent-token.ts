import { Agents } from "@gitbeaker/rest";
import * as pulumi from "@pulumi/pulumi";
import { GitLabApiError, hasMessage, hasStatus } from "./http";
import {
    checkResult,
    configureFrom,
    diffBySpec,
    expect,
    gitlabClient,
    known,
    projectProblem,
    splitId,
    type ConfiguredConnection,
    type ProviderSettings,
} from "./provider-kit";
import { GITLAB_API_REPLACE_KEYS } from "./replace-keys";

/** Inputs of the ClusterAgentToken provider (resolved, plain). */
export interface ClusterAgentTokenInputs {
    project: string;
    agentId: number;
    name: string;
    description?: string;
}

/** State of a ClusterAgentToken. `token` exists only in state, secret, as GitLab shows it once. */
export interface ClusterAgentTokenOutputs extends ClusterAgentTokenInputs {
    tokenId: number;
    token: string;
    status?: string;
    createdAt?: string;
    createdByUserId?: number;
    lastUsedAt?: string | null;
}

/** Problems with ClusterAgentToken inputs, each `<field>: <problem> (expected ...)`. */
export function validateClusterAgentToken(inputs: Partial<ClusterAgentTokenInputs>): string[] {
    const problems = projectProblem(inputs.project);
    const { agentId, name, description } = inputs;
    if (agentId === undefined || (known(agentId) && !(Number.isInteger(agentId) && agentId > 0))) {
        problems.push(
            `agentId: ${JSON.stringify(agentId)} is not an agent ID (expected a positive integer, e.g. ClusterAgent.agentId)`,
        );
    }
    if (name === undefined || (known(name) && (typeof name !== "string" || name.length < 1 || name.length > 255))) {
        problems.push("name: missing or too long (expected 1 to 255 characters)");
    }
    if (known(description) && (typeof description !== "string" || description.length > 1024)) {
        problems.push("description: too long (expected at most 1024 characters)");
    }
    return problems;
}

function outputsOf(project: string, body: unknown, token: string): ClusterAgentTokenOutputs {
    const what = "agent token";
    const t = expect.object(body, what);
    return {
        project,
        agentId: expect.id(t, "agent_id", what),
        name: expect.string(t, "name", what),
        description: expect.optString(t, "description", what),
        tokenId: expect.id(t, "id", what),
        token,
        status: expect.optString(t, "status", what),
        createdAt: expect.optString(t, "created_at", what),
        createdByUserId: expect.optNumber(t, "created_by_user_id", what),
        lastUsedAt: expect.optString(t, "last_used_at", what) ?? null,
    };
}

/**
 * The ClusterAgentToken provider. Every input replaces (GitLab cannot edit a token), and a replacement
 * creates the new token before revoking the old one: blue/green rotation inside GitLab's limit of two
 * active tokens per agent. `create` is not retried after an ambiguous failure (see retry.ts).
 */
export function clusterAgentTokenProvider(
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<ClusterAgentTokenInputs, ClusterAgentTokenOutputs> {
    const configured: ConfiguredConnection = {};
    const agents = () => new Agents(gitlabClient(settings, configured).client);
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            return checkResult(news, validateClusterAgentToken(news));
        },
        async diff(_id, olds, news) {
            return diffBySpec<ClusterAgentTokenInputs>(olds, news, {
                replace: [...GITLAB_API_REPLACE_KEYS.ClusterAgentToken],
                update: [],
                unset: { description: "" },
            });
        },
        async create(inputs) {
            const api = agents();
            // gitbeaker 43.8.0's Agents.createToken sends GET, not POST (jdalrymple/gitbeaker#3807): call the
            // documented POST /projects/:id/cluster_agents/:agent_id/tokens through the same requester.
            const path = `projects/${encodeURIComponent(inputs.project)}/cluster_agents/${inputs.agentId}/tokens`;
            try {
                const res = await api.requester.post(path, {
                    body: { name: inputs.name, description: inputs.description },
                });
                const body = expect.object(res.body, "new agent token");
                const outs = outputsOf(inputs.project, body, expect.string(body, "token", "new agent token"));
                return { id: `${inputs.project}:${outs.agentId}:${outs.tokenId}`, outs };
            } catch (e) {
                if (!hasMessage(e, 400, /two active tokens/i)) throw e;
                const err = e as GitLabApiError;
                throw new GitLabApiError(
                    `${err.message} (expected at most one other active token on agent ${inputs.agentId}: a replacement creates the new token before revoking the old, so revoke unmanaged tokens first)`,
                    err.status,
                    err.gitlabMessage,
                    err.attempts,
                );
            }
        },
        async read(id, props) {
            const [project, agentId, tokenId] = props?.tokenId
                ? [props.project, String(props.agentId), String(props.tokenId)]
                : splitId(id, 3);
            try {
                const t = await agents().showToken(project, Number(agentId), Number(tokenId));
                return { id, props: outputsOf(project, t, props?.token ?? "") };
            } catch (e) {
                // GitLab answers 404 for a revoked token as for a missing one: either way it is gone.
                if (hasStatus(e, 404)) return {};
                throw e;
            }
        },
        async delete(_id, props) {
            try {
                await agents().removeToken(props.project, props.agentId, props.tokenId);
            } catch (e) {
                if (!hasStatus(e, 404)) throw e;
            }
        },
    };
}

/**
 * Arguments of {@link ClusterAgentToken}; the names of `gitlab.ClusterAgentToken` in `@pulumi/gitlab`.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/clusteragenttoken/
 */
export interface ClusterAgentTokenArgs {
    /** ID or full path of the agent's project. */
    project: pulumi.Input<string>;
    /** The agent's ID ({@link ClusterAgent.agentId}). */
    agentId: pulumi.Input<number>;
    /** The token's name; change it (e.g. a generation suffix) to rotate the token. */
    name: pulumi.Input<string>;
    /**
     * The token's description.
     * @default - none
     */
    description?: pulumi.Input<string>;
}

const PROVIDER = clusterAgentTokenProvider();

/**
 * A token agentk authenticates with (`glagent-...`), created through
 * `POST /projects/:id/cluster_agents/:agent_id/tokens`; revoked on delete. The value is a secret output.
 * @see https://docs.gitlab.com/api/cluster_agents/#create-an-agent-token
 */
export class ClusterAgentToken extends pulumi.dynamic.Resource {
    declare public readonly project: pulumi.Output<string>;
    declare public readonly agentId: pulumi.Output<number>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly description: pulumi.Output<string | undefined>;
    /** The secret token value. */
    declare public readonly token: pulumi.Output<string>;
    declare public readonly tokenId: pulumi.Output<number>;
    declare public readonly status: pulumi.Output<string>;
    declare public readonly createdAt: pulumi.Output<string>;

    constructor(name: string, args: ClusterAgentTokenArgs, opts?: pulumi.CustomResourceOptions) {
        const props = {
            project: args.project,
            agentId: args.agentId,
            name: args.name,
            description: args.description,
            token: undefined,
            tokenId: undefined,
            status: undefined,
            createdAt: undefined,
        };
        super(
            PROVIDER,
            name,
            props,
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token"] }),
            "gitlab",
            "ClusterAgentToken",
        );
    }
}
