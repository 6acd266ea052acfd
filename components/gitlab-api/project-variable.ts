import { ProjectVariables } from "@gitbeaker/rest";
import * as pulumi from "@pulumi/pulumi";
import { GITLAB_VARIABLE_DEFAULT_ENVIRONMENT_SCOPE, GITLAB_VARIABLE_DEFAULT_TYPE } from "./defaults";
import { hasMessage, hasStatus } from "./http";
import { checkResult, configureFrom, diffBySpec, gitlabClient, known, projectProblem, splitId, type ConfiguredConnection, type ProviderSettings } from "./provider-kit";
import { GITLAB_API_REPLACE_KEYS } from "./replace-keys";

/** A CI/CD variable key: letters, digits and '_', at most 255 characters. */
export const VARIABLE_KEY_PATTERN = /^[A-Za-z0-9_]{1,255}$/;

/** Variable types: an environment variable, or a file whose path the variable holds. */
export const VARIABLE_TYPES = ["env_var", "file"] as const;

/** GitLab masks only values of at least this many characters. */
export const MASKED_MIN_LENGTH = 8;

/** Inputs of the ProjectVariable provider (resolved, plain). `value` is secret. */
export interface ProjectVariableInputs {
    project: string;
    key: string;
    value: string;
    environmentScope: string;
    variableType: (typeof VARIABLE_TYPES)[number];
    protected?: boolean;
    masked?: boolean;
    raw?: boolean;
    description?: string;
}

/** State of a ProjectVariable: what GitLab holds (`value` secret). */
export type ProjectVariableOutputs = ProjectVariableInputs;

/** Defaults applied once, in `check`. */
export function resolveProjectVariable(inputs: ProjectVariableInputs): ProjectVariableInputs {
    return {
        ...inputs,
        environmentScope: inputs.environmentScope ?? GITLAB_VARIABLE_DEFAULT_ENVIRONMENT_SCOPE,
        variableType: inputs.variableType ?? GITLAB_VARIABLE_DEFAULT_TYPE,
    };
}

/** Problems with ProjectVariable inputs, each `<field>: <problem> (expected ...)`. Never quotes the value. */
export function validateProjectVariable(inputs: Partial<ProjectVariableInputs>): string[] {
    const problems = projectProblem(inputs.project);
    const { key, value, environmentScope, variableType, masked } = inputs;
    if (key === undefined || (known(key) && (typeof key !== "string" || !VARIABLE_KEY_PATTERN.test(key)))) {
        problems.push(`key: ${JSON.stringify(key)} is not a variable key (expected letters, digits and '_', at most 255 characters)`);
    }
    if (value === undefined || (known(value) && typeof value !== "string")) problems.push("value: missing (expected a string)");
    if (masked === true && known(value) && typeof value === "string" && (value.length < MASKED_MIN_LENGTH || /\s/.test(value))) {
        problems.push(`value: cannot be masked (expected at least ${MASKED_MIN_LENGTH} characters and no whitespace when masked is true)`);
    }
    if (known(environmentScope) && (typeof environmentScope !== "string" || environmentScope.trim() === "")) problems.push("environmentScope: empty (expected \"*\" or an environment name or pattern)");
    if (known(variableType) && !VARIABLE_TYPES.includes(variableType as never)) problems.push(`variableType: ${JSON.stringify(variableType)} is not a variable type (expected env_var or file)`);
    return problems;
}

function outputsOf(project: string, v: Record<string, unknown>): ProjectVariableOutputs {
    return {
        project,
        key: String(v.key),
        value: String(v.value ?? ""),
        environmentScope: String(v.environment_scope ?? GITLAB_VARIABLE_DEFAULT_ENVIRONMENT_SCOPE),
        variableType: (v.variable_type as ProjectVariableInputs["variableType"]) ?? GITLAB_VARIABLE_DEFAULT_TYPE,
        protected: v.protected as boolean | undefined,
        masked: v.masked as boolean | undefined,
        raw: v.raw as boolean | undefined,
        description: (v.description as string | null) ?? undefined,
    };
}

/**
 * The ProjectVariable provider. Every call names the environment scope (`filter[environment_scope]`),
 * so keys defined for several environments never hit GitLab's 409. `create` adopts an existing
 * variable of the same key and scope and sets it to the declared value.
 */
export function projectVariableProvider(settings: ProviderSettings = {}): pulumi.dynamic.ResourceProvider<ProjectVariableInputs, ProjectVariableOutputs> {
    const configured: ConfiguredConnection = {};
    const variables = () => new ProjectVariables(gitlabClient(settings, configured).client);
    const attributes = (i: ProjectVariableInputs) => ({ protected: i.protected, masked: i.masked, raw: i.raw, variableType: i.variableType, description: i.description });
    const filter = (i: Pick<ProjectVariableInputs, "environmentScope">) => ({ environment_scope: i.environmentScope });
    const edit = async (api: ProjectVariables, i: ProjectVariableInputs) => outputsOf(i.project, await api.edit(i.project, i.key, i.value, { ...attributes(i), filter: filter(i) }));
    const create = async (api: ProjectVariables, i: ProjectVariableInputs) => outputsOf(i.project, await api.create(i.project, i.key, i.value, { ...attributes(i), environmentScope: i.environmentScope }));
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            const inputs = resolveProjectVariable(news);
            return checkResult(inputs, validateProjectVariable(inputs));
        },
        async diff(_id, olds, news) {
            return diffBySpec<ProjectVariableInputs>(olds, resolveProjectVariable(news), {
                replace: [...GITLAB_API_REPLACE_KEYS.ProjectVariable],
                update: ["value", "variableType", "protected", "masked", "raw", "description"],
                deleteFirstOn: ["project"],
            });
        },
        async create(inputs) {
            const api = variables();
            let outs: ProjectVariableOutputs;
            try {
                outs = await create(api, inputs);
            } catch (e) {
                if (!hasMessage(e, 400, /already been taken/i)) throw e;
                outs = await edit(api, inputs);
            }
            return { id: `${inputs.project}:${inputs.key}:${inputs.environmentScope}`, outs };
        },
        async read(id, props) {
            const [project, key, environmentScope] = props?.key ? [props.project, props.key, props.environmentScope] : splitId(id, 3);
            try {
                return { id, props: outputsOf(project, await variables().show(project, key, { filter: filter({ environmentScope }) })) };
            } catch (e) {
                if (hasStatus(e, 404)) return {};
                throw e;
            }
        },
        async update(_id, _olds, news) {
            const api = variables();
            try {
                return { outs: await edit(api, news) };
            } catch (e) {
                // Deleted behind Pulumi's back since the last refresh: create it again.
                if (!hasStatus(e, 404)) throw e;
                return { outs: await create(api, news) };
            }
        },
        async delete(_id, props) {
            try {
                await variables().remove(props.project, props.key, { filter: filter(props) });
            } catch (e) {
                if (!hasStatus(e, 404)) throw e;
            }
        },
    };
}

/**
 * Arguments of {@link ProjectVariable}; the names of `gitlab.ProjectVariable` in `@pulumi/gitlab`.
 * @see https://www.pulumi.com/registry/packages/gitlab/api-docs/projectvariable/
 */
export interface ProjectVariableArgs {
    /** ID or full path of the project. */
    project: pulumi.Input<string>;
    /** The variable's key. Changing it replaces the variable. */
    key: pulumi.Input<string>;
    /** The value; stored as a secret in inputs and state. */
    value: pulumi.Input<string>;
    /** Environments that see it. @default {@link GITLAB_VARIABLE_DEFAULT_ENVIRONMENT_SCOPE} */
    environmentScope?: pulumi.Input<string>;
    /** `env_var` or `file`. @default {@link GITLAB_VARIABLE_DEFAULT_TYPE} */
    variableType?: pulumi.Input<"env_var" | "file">;
    /** Only for protected branches and tags. @default - GitLab's: false */
    protected?: pulumi.Input<boolean>;
    /** Masked in job logs (value of 8+ characters, no whitespace). @default - GitLab's: false */
    masked?: pulumi.Input<boolean>;
    /** Whether `$` references in the value stay unexpanded. @default - GitLab's: false */
    raw?: pulumi.Input<boolean>;
    /** What the variable is for, shown in the CI/CD settings. @default - none */
    description?: pulumi.Input<string>;
}

const PROVIDER = projectVariableProvider();

/**
 * A project CI/CD variable (`/projects/:id/variables`). The value is secret as input and output.
 * @see https://docs.gitlab.com/api/project_level_variables/
 */
export class ProjectVariable extends pulumi.dynamic.Resource {
    declare public readonly project: pulumi.Output<string>;
    declare public readonly key: pulumi.Output<string>;
    /** The secret value. */
    declare public readonly value: pulumi.Output<string>;
    declare public readonly environmentScope: pulumi.Output<string>;
    declare public readonly variableType: pulumi.Output<string>;
    declare public readonly protected: pulumi.Output<boolean>;
    declare public readonly masked: pulumi.Output<boolean>;

    constructor(name: string, args: ProjectVariableArgs, opts?: pulumi.CustomResourceOptions) {
        const { project, key, environmentScope, variableType, masked, raw, description } = args;
        const props = { project, key, value: pulumi.secret(args.value), environmentScope, variableType, protected: args.protected, masked, raw, description };
        super(PROVIDER, name, props, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["value"] }), "gitlab", "ProjectVariable");
    }
}
