import { ProjectVariables } from "@gitbeaker/rest";
import * as pulumi from "@pulumi/pulumi";
import { GITLAB_VARIABLE_DEFAULT_ENVIRONMENT_SCOPE, GITLAB_VARIABLE_DEFAULT_TYPE } from "./defaults";
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
    withUnset,
    type ConfiguredConnection,
    type ProviderSettings,
} from "./provider-kit";
import { GITLAB_API_REPLACE_KEYS } from "./replace-keys";

/** A CI/CD variable key: letters, digits and '_', at most 255 characters. */
export const VARIABLE_KEY_PATTERN = /^[A-Za-z0-9_]{1,255}$/;

/** Variable types: an environment variable, or a file whose path the variable holds. */
export const VARIABLE_TYPES = ["env_var", "file"] as const;

/** GitLab masks only values of at least this many characters. */
export const MASKED_MIN_LENGTH = 8;

/**
 * What GitLab accepts as a masked value (gitlabhq `app/models/concerns/ci/maskable.rb`, checked on
 * master as indexed in 2026-12): an expanded (`raw: false`) masked value is 8+ characters of the Base64
 * alphabet (RFC 4648, both variants) plus `@`, `:`, `.` and `~`; a raw masked value is any 8+
 * characters without whitespace.
 */
export const MASKED_VALUE_PATTERN = /^[A-Za-z0-9_+=/@:.~-]{8,}$/;
/** A masked raw value: 8+ characters, none of them whitespace. */
export const MASKED_RAW_VALUE_PATTERN = /^\S{8,}$/;

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
    /** Masked and hidden: the value never shows again, in the UI or the API (GitLab 17.4+). */
    hidden?: boolean;
    description?: string;
    /** Take over a variable of this key and scope that this stack did not create. */
    adopt?: boolean;
}

/** State of a ProjectVariable: what GitLab holds (`value` secret). */
export type ProjectVariableOutputs = ProjectVariableInputs;

/** Defaults applied once, in `check`. */
export function resolveProjectVariable(inputs: ProjectVariableInputs): ProjectVariableInputs {
    return {
        ...inputs,
        environmentScope: inputs.environmentScope ?? GITLAB_VARIABLE_DEFAULT_ENVIRONMENT_SCOPE,
        variableType: inputs.variableType ?? GITLAB_VARIABLE_DEFAULT_TYPE,
        // A hidden variable is masked: say so, so that the diff against GitLab's `masked: true` is clean.
        ...(inputs.hidden === true && inputs.masked === undefined ? { masked: true } : {}),
    };
}

/** Problems with ProjectVariable inputs, each `<field>: <problem> (expected ...)`. Never quotes the value. */
export function validateProjectVariable(inputs: Partial<ProjectVariableInputs>): string[] {
    const problems = projectProblem(inputs.project);
    const { key, value, environmentScope, variableType, masked, raw, hidden } = inputs;
    if (key === undefined || (known(key) && (typeof key !== "string" || !VARIABLE_KEY_PATTERN.test(key)))) {
        problems.push(
            `key: ${JSON.stringify(key)} is not a variable key (expected letters, digits and '_', at most 255 characters)`,
        );
    }
    if (value === undefined || (known(value) && typeof value !== "string"))
        problems.push("value: missing (expected a string)");
    const maskedAtAll = masked === true || hidden === true;
    if (maskedAtAll && known(value) && typeof value === "string") {
        if (raw === true && !MASKED_RAW_VALUE_PATTERN.test(value)) {
            problems.push(
                `value: cannot be masked (expected at least ${MASKED_MIN_LENGTH} characters and no whitespace when masked is true and raw is true)`,
            );
        } else if (raw !== true && !MASKED_VALUE_PATTERN.test(value)) {
            problems.push(
                `value: cannot be masked (expected at least ${MASKED_MIN_LENGTH} characters, only letters, digits and + / = _ - @ : . ~ when masked is true; set raw: true to allow other non-space characters)`,
            );
        }
    }
    if (hidden === true && masked === false)
        problems.push(
            "hidden: set with masked: false (expected masked: true or unset: a hidden variable is always masked)",
        );
    if (known(environmentScope) && (typeof environmentScope !== "string" || environmentScope.trim() === ""))
        problems.push('environmentScope: empty (expected "*" or an environment name or pattern)');
    if (known(variableType) && !VARIABLE_TYPES.includes(variableType as never))
        problems.push(
            `variableType: ${JSON.stringify(variableType)} is not a variable type (expected env_var or file)`,
        );
    return problems;
}

/** GitLab's values of the optional flags when the program does not set them. */
const UNSET = { protected: false, masked: false, raw: false, description: "" } as const;

/**
 * State from GitLab's answer. A hidden variable's value is never returned (null): the state keeps the
 * value this provider last wrote (`prior`), so its drift cannot be seen, only its deletion.
 */
function outputsOf(
    prior: Pick<ProjectVariableInputs, "project" | "value" | "adopt">,
    body: unknown,
): ProjectVariableOutputs {
    const what = "project variable";
    const v = expect.object(body, what);
    const hidden = expect.optBoolean(v, "hidden", what);
    const type = expect.optString(v, "variable_type", what) ?? GITLAB_VARIABLE_DEFAULT_TYPE;
    if (!VARIABLE_TYPES.includes(type as never)) throw new Error(`${what}: field variable_type is not env_var or file`);
    return {
        project: prior.project,
        key: expect.string(v, "key", what),
        value: hidden === true ? prior.value : (expect.optString(v, "value", what) ?? ""),
        environmentScope: expect.optString(v, "environment_scope", what) ?? GITLAB_VARIABLE_DEFAULT_ENVIRONMENT_SCOPE,
        variableType: type as ProjectVariableInputs["variableType"],
        protected: expect.optBoolean(v, "protected", what),
        masked: expect.optBoolean(v, "masked", what),
        raw: expect.optBoolean(v, "raw", what),
        hidden,
        description: expect.optString(v, "description", what),
        ...(prior.adopt === undefined ? {} : { adopt: prior.adopt }),
    };
}

/**
 * The ProjectVariable provider. Every call names the environment scope (`filter[environment_scope]`),
 * so keys defined for several environments never hit GitLab's 409. `create` meeting a variable of the
 * same key and scope refuses to overwrite it unless `adopt` is true. Removing an optional flag from
 * the program sets it back to GitLab's default. `hidden` replaces (GitLab cannot unhide a variable).
 */
export function projectVariableProvider(
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<ProjectVariableInputs, ProjectVariableOutputs> {
    const configured: ConfiguredConnection = {};
    const variables = () => new ProjectVariables(gitlabClient(settings, configured).client);
    const attributes = (i: ProjectVariableInputs) => ({
        protected: i.protected,
        masked: i.hidden === true ? true : i.masked,
        raw: i.raw,
        variableType: i.variableType,
        description: i.description,
    });
    const filter = (i: Pick<ProjectVariableInputs, "environmentScope">) => ({ environment_scope: i.environmentScope });
    const edit = async (api: ProjectVariables, i: ProjectVariableInputs) =>
        outputsOf(
            i,
            await api.edit(i.project, i.key, i.value, { ...attributes(withUnset(i, UNSET)), filter: filter(i) }),
        );
    const create = async (api: ProjectVariables, i: ProjectVariableInputs) => {
        const hiding = i.hidden === true ? { masked: undefined, maskedAndHidden: true } : {};
        return outputsOf(
            i,
            await api.create(i.project, i.key, i.value, {
                ...attributes(i),
                ...hiding,
                environmentScope: i.environmentScope,
            }),
        );
    };
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
                unset: { ...UNSET, hidden: false },
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
                const id = `${inputs.project}:${inputs.key}:${inputs.environmentScope}`;
                if (inputs.adopt !== true) {
                    throw takeoverError(
                        "ProjectVariable",
                        `${inputs.key} (environment scope ${inputs.environmentScope}) in project ${inputs.project}`,
                        id,
                        "gitlab:index/projectVariable:ProjectVariable",
                    );
                }
                outs = await edit(api, inputs);
            }
            return { id: `${inputs.project}:${inputs.key}:${inputs.environmentScope}`, outs };
        },
        async read(id, props) {
            const [project, key, environmentScope] = props?.key
                ? [props.project, props.key, props.environmentScope]
                : splitId(id, 3);
            try {
                const prior = { project, value: props?.value ?? "", adopt: props?.adopt };
                return {
                    id,
                    props: outputsOf(
                        prior,
                        await variables().show(project, key, { filter: filter({ environmentScope }) }),
                    ),
                };
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
    /**
     * Masked in job logs. GitLab then requires 8+ characters from the Base64 alphabet plus `@ : . ~`
     * (any non-space characters when `raw` is true). @default - GitLab's: false
     */
    masked?: pulumi.Input<boolean>;
    /**
     * Masked and hidden: after creation the value never shows again, in the UI or the API (GitLab 17.4+,
     * `masked_and_hidden`). GitLab cannot unhide a variable, so changing this replaces it; drift of a
     * hidden value cannot be seen. @default false
     */
    hidden?: pulumi.Input<boolean>;
    /** Whether `$` references in the value stay unexpanded. @default - GitLab's: false */
    raw?: pulumi.Input<boolean>;
    /** What the variable is for, shown in the CI/CD settings. @default - none */
    description?: pulumi.Input<string>;
    /**
     * Take over an existing variable of this key and scope, setting it to the declared value. Without it,
     * a create that meets one fails naming it: this resource would overwrite and later delete it.
     * @default false
     */
    adopt?: pulumi.Input<boolean>;
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
        const { project, key, environmentScope, variableType, masked, raw, hidden, description, adopt } = args;
        const props = {
            project,
            key,
            value: pulumi.secret(args.value),
            environmentScope,
            variableType,
            protected: args.protected,
            masked,
            raw,
            hidden,
            description,
            adopt,
        };
        super(
            PROVIDER,
            name,
            props,
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["value"] }),
            "gitlab",
            "ProjectVariable",
        );
    }
}
