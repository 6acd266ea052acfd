import * as pulumi from "@pulumi/pulumi";
import { restClient } from "./namespace-kit";
import {
    checkResult,
    configureFrom,
    diffBySpec,
    known,
    type ConfiguredConnection,
    type ProviderSettings,
} from "./provider-kit";

/**
 * Inputs of the ApplicationSettings provider: the instance settings this project manages, named as the
 * application settings API's keys in camelCase (as `gitlab.ApplicationSettings` in `@pulumi/gitlab` names them).
 */
export interface ApplicationSettingsInputs {
    /**
     * `organization_cluster_agent_authorization_enabled`: agents may grant CI/CD access to groups and
     * projects in other top-level groups (ignored otherwise).
     */
    organizationClusterAgentAuthorizationEnabled?: boolean;
}

/** State: the managed values and what they were before this resource set them (restored on delete). */
export interface ApplicationSettingsOutputs extends ApplicationSettingsInputs {
    previous: Record<string, unknown>;
}

/** The API key of each managed input. */
const API_KEYS: Record<keyof ApplicationSettingsInputs, string> = {
    organizationClusterAgentAuthorizationEnabled: "organization_cluster_agent_authorization_enabled",
};

/** Problems with the inputs, each `<field>: <problem> (expected ...)`. */
export function validateApplicationSettings(inputs: Partial<ApplicationSettingsInputs>): string[] {
    const v = inputs.organizationClusterAgentAuthorizationEnabled;
    return known(v) && typeof v !== "boolean"
        ? [
              `organizationClusterAgentAuthorizationEnabled: ${JSON.stringify(v)} is not a boolean (expected true or false)`,
          ]
        : [];
}

function body(inputs: ApplicationSettingsInputs): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, apiKey] of Object.entries(API_KEYS) as [keyof ApplicationSettingsInputs, string][])
        if (inputs[key] !== undefined) out[apiKey] = inputs[key];
    return out;
}

/**
 * The ApplicationSettings provider (`PUT /application/settings`, administrator only). There is one
 * settings object per instance, so the ID is constant; `delete` puts back the values found before
 * `create`, leaving the instance as the stack found it.
 * @see https://docs.gitlab.com/api/settings/
 */
export function applicationSettingsProvider(
    settings: ProviderSettings = {},
): pulumi.dynamic.ResourceProvider<ApplicationSettingsInputs, ApplicationSettingsOutputs> {
    const configured: ConfiguredConnection = {};
    const api = () => restClient(settings, configured);
    return {
        configure: configureFrom(configured),
        async check(_olds, news) {
            return checkResult(news, validateApplicationSettings(news));
        },
        async diff(_id, olds, news) {
            return diffBySpec<ApplicationSettingsInputs>(olds, news, {
                replace: [],
                update: ["organizationClusterAgentAuthorizationEnabled"],
            });
        },
        async create(inputs) {
            const rest = api();
            const current = await rest.get("application/settings");
            const wanted = body(inputs);
            const previous = Object.fromEntries(Object.keys(wanted).map((k) => [k, current[k]]));
            if (Object.keys(wanted).length > 0) await rest.put("application/settings", wanted);
            return { id: "application-settings", outs: { ...inputs, previous } };
        },
        async read(id, props) {
            const current = await api().get("application/settings");
            const state: ApplicationSettingsInputs = {};
            for (const [key, apiKey] of Object.entries(API_KEYS) as [keyof ApplicationSettingsInputs, string][]) {
                if (props?.[key] !== undefined) state[key] = current[apiKey] as boolean;
            }
            return { id, props: { ...state, previous: props?.previous ?? {} } };
        },
        async update(_id, olds, news) {
            const wanted = body(news);
            const rest = api();
            const current = await rest.get("application/settings");
            // A key managed for the first time remembers its value from before.
            const previous = {
                ...Object.fromEntries(Object.keys(wanted).map((k) => [k, current[k]])),
                ...olds.previous,
            };
            if (Object.keys(wanted).length > 0) await rest.put("application/settings", wanted);
            return { outs: { ...news, previous } };
        },
        async delete(_id, props) {
            const restore = Object.fromEntries(Object.entries(props.previous ?? {}).filter(([, v]) => v !== undefined));
            if (Object.keys(restore).length > 0) await api().put("application/settings", restore);
        },
    };
}

/** Arguments of {@link ApplicationSettings}. */
export interface ApplicationSettingsArgs {
    /**
     * Let agents grant CI/CD access across top-level groups (`organization_cluster_agent_authorization_enabled`).
     * @default - unmanaged (the instance keeps its value; GitLab's default is false)
     */
    organizationClusterAgentAuthorizationEnabled?: pulumi.Input<boolean>;
}

const PROVIDER = applicationSettingsProvider();

/**
 * Instance-wide GitLab settings this project needs (administrator token). Only the settings named in
 * the args are touched; destroying the resource restores the values it found.
 * @see https://docs.gitlab.com/api/settings/
 */
export class ApplicationSettings extends pulumi.dynamic.Resource {
    declare public readonly organizationClusterAgentAuthorizationEnabled: pulumi.Output<boolean | undefined>;

    constructor(name: string, args: ApplicationSettingsArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            PROVIDER,
            name,
            {
                organizationClusterAgentAuthorizationEnabled: args.organizationClusterAgentAuthorizationEnabled,
                previous: undefined,
            },
            opts,
            "gitlab",
            "ApplicationSettings",
        );
    }
}
