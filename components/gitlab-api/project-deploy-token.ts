import { DeployTokens, type DeployTokenScope } from "@gitbeaker/rest";
import * as pulumi from "@pulumi/pulumi";
import { hasStatus } from "./http";
import {
    checkResult,
    configureFrom,
    diffBySpec,
    expect,
    gitlabClient,
    known,
    projectProblem,
    sameSet,
    splitId,
    type ConfiguredConnection,
    type ProviderSettings,
} from "./provider-kit";
import { GITLAB_API_REPLACE_KEYS } from "./replace-keys";

/**
 * Scopes a project deploy token may have.
 * @see https://docs.gitlab.com/user/project/deploy_tokens/#scope
 */
export const DEPLOY_TOKEN_SCOPES = [
    "read_repository",
    "read_registry",
    "write_registry",
    "read_virtual_registry",
    "write_virtual_registry",
    "read_package_registry",
    "write_package_registry",
] as const;
/** One of `DEPLOY_TOKEN_SCOPES`. */
export type DeployTokenScopeName = (typeof DEPLOY_TOKEN_SCOPES)[number];

/** Inputs of the ProjectDeployToken provider (resolved, plain). */
export interface ProjectDeployTokenInputs {
    project: string;
    name: string;
    scopes: DeployTokenScopeName[];
    expiresAt?: string;
    username?: string;
}

/** State of a ProjectDeployToken. `token` (`gldt-...`) exists only in state, secret. */
export interface ProjectDeployTokenOutputs extends ProjectDeployTokenInputs {
    deployTokenId: number;
    token: string;
    username: string;
    expired?: boolean;
    revoked?: boolean;
}

/** Problems with ProjectDeployToken inputs, each `<field>: <problem> (expected ...)`. */
export function validateProjectDeployToken(inputs: Partial<ProjectDeployTokenInputs>): string[] {
    const problems = projectProblem(inputs.project);
    const { name, scopes, expiresAt, username } = inputs;
    if (name === undefined || (known(name) && (typeof name !== "string" || name.trim() === "")))
        problems.push("name: missing (expected a non-empty name)");
    if (scopes === undefined || (known(scopes) && (!Array.isArray(scopes) || scopes.length === 0))) {
        problems.push(`scopes: missing or empty (expected one or more of ${DEPLOY_TOKEN_SCOPES.join(", ")})`);
    } else if (Array.isArray(scopes)) {
        const bad = scopes.filter((s) => known(s) && !DEPLOY_TOKEN_SCOPES.includes(s));
        if (bad.length > 0)
            problems.push(
                `scopes: ${bad.map((s) => JSON.stringify(s)).join(", ")} not allowed (expected a subset of ${DEPLOY_TOKEN_SCOPES.join(", ")})`,
            );
    }
    if (known(expiresAt) && (typeof expiresAt !== "string" || Number.isNaN(Date.parse(expiresAt)))) {
        problems.push(
            `expiresAt: ${JSON.stringify(expiresAt)} is not a date (expected RFC 3339, e.g. 2027-01-31T00:00:00Z)`,
        );
    }
    if (known(username) && (typeof username !== "string" || !/^[\w.+-]{1,255}$/.test(username))) {
        problems.push(
            `username: ${JSON.stringify(username)} is not a username (expected letters, digits, '_', '.', '+' or '-')`,
        );
    }
    return problems;
}

function outputsOf(project: string, body: unknown, token: string): ProjectDeployTokenOutputs {
    const what = "deploy token";
    const t = expect.object(body, what);
    return {
        project,
        name: expect.string(t, "name", what),
        scopes: expect.strings(t, "scopes", what) as DeployTokenScopeName[],
        expiresAt: expect.optString(t, "expires_at", what),
        username: expect.string(t, "username", what),
        deployTokenId: expect.id(t, "id", what),
        token,
        expired: expect.optBoolean(t, "expired", what),
        revoked: expect.optBoolean(t, "revoked", what),
    };
}

/** Same instant, whatever the notation (`...Z` vs `....000Z`). */
function sameTime(a: unknown, b: unknown): boolean {
    return a === b || (typeof a === "string" && typeof b === "string" && Date.parse(a) === Date.parse(b));
}

/**
 * The ProjectDeployToken provider. GitLab cannot edit a deploy token, so every input replaces it; the
 * replacement is created before the old token is deleted, so consumers can switch without a gap. A
 * revoked token reads as gone. A create is not replayed after an ambiguous failure (see retry.ts).
 */
export function projectDeployTokenProvider(
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<ProjectDeployTokenInputs, ProjectDeployTokenOutputs> {
    const configured: ConfiguredConnection = {};
    const tokens = () => new DeployTokens(gitlabClient(settings, configured).client);
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            return checkResult(news, validateProjectDeployToken(news));
        },
        async diff(_id, olds, news) {
            return diffBySpec<ProjectDeployTokenInputs>(olds, news, {
                replace: [...GITLAB_API_REPLACE_KEYS.ProjectDeployToken],
                update: [],
                // Removing expiresAt asks for a token that never expires: a replacement.
                unset: { expiresAt: null },
                equal: { scopes: sameSet, expiresAt: sameTime },
            });
        },
        async create(inputs) {
            const api = tokens();
            // GitLab lets deploy tokens share a name; a second one would leave consumers of the first
            // guessing. An active token of this name that this stack does not hold is refused (GitLab shows
            // a token's value only once, so it cannot be adopted or imported with its value).
            const listed = expect.array(
                await api.all({ projectId: inputs.project, active: true } as never),
                "deploy token list",
            );
            const clash = listed.find((t) => t.name === inputs.name && t.revoked !== true && t.expired !== true);
            if (clash !== undefined) {
                const id = expect.id(clash, "id", "deploy token");
                throw new Error(
                    `ProjectDeployToken "${inputs.name}" in project ${inputs.project} already exists and this stack did not create it (deploy token ID ${id}): ` +
                        "refusing to mint a second token of that name (expected another name, or that token revoked first: GitLab shows a token's value only at creation, so it cannot be adopted or imported with its value)",
                );
            }
            const created = expect.object(
                await api.create(inputs.name, inputs.scopes as DeployTokenScope[], {
                    projectId: inputs.project,
                    expires_at: inputs.expiresAt,
                    username: inputs.username,
                }),
                "new deploy token",
            );
            const outs = outputsOf(inputs.project, created, expect.string(created, "token", "new deploy token"));
            return { id: `${inputs.project}:${outs.deployTokenId}`, outs };
        },
        async read(id, props) {
            const [project, tokenId] = props?.deployTokenId
                ? [props.project, String(props.deployTokenId)]
                : splitId(id, 2);
            try {
                const t = await tokens().show(Number(tokenId), { projectId: project });
                return t.revoked ? {} : { id, props: outputsOf(project, t, props?.token ?? "") };
            } catch (e) {
                if (hasStatus(e, 404)) return {};
                throw e;
            }
        },
        async delete(_id, props) {
            try {
                await tokens().remove(props.deployTokenId, { projectId: props.project });
            } catch (e) {
                if (!hasStatus(e, 404)) throw e;
            }
        },
    };
}

/**
 * Arguments of {@link ProjectDeployToken}; the names of `gitlab.ProjectDeployToken` in `@pulumi/gitlab`.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/projectdeploytoken/
 */
export interface ProjectDeployTokenArgs {
    /** ID or full path of the project. */
    project: pulumi.Input<string>;
    /** The token's name; change it (e.g. a generation suffix) to rotate. */
    name: pulumi.Input<string>;
    /** What the token may do, e.g. `["read_registry"]` for Flux pulling OCI artifacts. */
    scopes: pulumi.Input<pulumi.Input<DeployTokenScopeName>[]>;
    /**
     * When the token expires (RFC 3339). Changing it replaces the token.
     * @default - never expires
     */
    expiresAt?: pulumi.Input<string>;
    /**
     * The username the token authenticates as.
     * @default - GitLab's: `gitlab+deploy-token-<id>`
     */
    username?: pulumi.Input<string>;
}

const PROVIDER = projectDeployTokenProvider();

/**
 * A project deploy token (`POST /projects/:id/deploy_tokens`), e.g. for registry pulls. `token` is a
 * secret output; `username` is what a docker-registry Secret pairs it with.
 * @see https://docs.gitlab.com/api/deploy_tokens/#create-a-project-deploy-token
 */
export class ProjectDeployToken extends pulumi.dynamic.Resource {
    declare public readonly project: pulumi.Output<string>;
    declare public readonly name: pulumi.Output<string>;
    declare public readonly scopes: pulumi.Output<DeployTokenScopeName[]>;
    declare public readonly expiresAt: pulumi.Output<string | undefined>;
    /** The username to log in with (GitLab's default when none was given). */
    declare public readonly username: pulumi.Output<string>;
    /** The secret token value. */
    declare public readonly token: pulumi.Output<string>;
    declare public readonly deployTokenId: pulumi.Output<number>;
    declare public readonly expired: pulumi.Output<boolean>;
    declare public readonly revoked: pulumi.Output<boolean>;

    constructor(name: string, args: ProjectDeployTokenArgs, opts?: pulumi.CustomResourceOptions) {
        const { project, scopes, expiresAt, username } = args;
        const props = {
            project,
            name: args.name,
            scopes,
            expiresAt,
            username,
            token: undefined,
            deployTokenId: undefined,
            expired: undefined,
            revoked: undefined,
        };
        super(
            PROVIDER,
            name,
            props,
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token"] }),
            "gitlab",
            "ProjectDeployToken",
        );
    }
}
