/**
 * The two shapes every policy of this pack takes: a resource policy (one resource at a time) and a stack
 * policy (all resources at once). Both carry the metadata `@pulumi/policy` 1.21 transmits to the CLI and
 * to the gate through `GetAnalyzerInfo`: `severity` and `remediationSteps` are native `Policy` fields.
 * The check itself is a plain function over plain data, so tests and the gate see the same messages.
 */
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { plainProps, type PlainMap } from "./values";

/** What every policy of the pack declares. */
export interface PolicyMeta {
    /** Kebab-case identifier, unique in the pack; the key in `--policy-pack-config` files. */
    name: string;
    /** One sentence: what the policy requires. */
    description: string;
    /** How bad a violation is: `critical` > `high` > `medium` > `low`. */
    severity: Severity;
    /** The level when no config file says otherwise. */
    enforcementLevel: Exclude<EnforcementLevel, "remediate">;
    /** What to change so the violation goes away. */
    remediationSteps: string;
    /** Settable properties, each with a `default` (the CLI fills defaults in; the checks apply them too). */
    configSchema?: PolicyConfigSchema;
}

/** A policy of this pack: the `@pulumi/policy` shape with the metadata fields made required. */
export type PackPolicy = (ResourceValidationPolicy | StackValidationPolicy) &
    Required<Pick<PolicyMeta, "severity" | "remediationSteps" | "enforcementLevel">>;

/** One resource as checks see it: plain properties, unknown values as "[unknown]". */
export interface ResourceView {
    type: string;
    /** The resource's name in its URN. */
    name: string;
    urn: string;
    props: PlainMap;
    /** `protect` resource option. */
    protect: boolean;
    /** Output names the program asked to keep secret. */
    additionalSecretOutputs: string[];
    /** URN of the resource's provider, when the engine sent it. */
    providerUrn?: string;
    /** URNs this resource depends on (explicitly or through its inputs); stack checks only. */
    dependencies: string[];
}

/** A violation found by a stack check: the resource it concerns (if one) and the message. */
export interface StackViolation {
    urn?: string;
    message: string;
}

/** The policy's config: the schema defaults, overridden by what the engine sent. */
function configOf<C>(schema: PolicyConfigSchema | undefined, given: object): C {
    const defaults: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
        if (prop.default !== undefined) defaults[key] = prop.default;
    }
    return { ...defaults, ...given } as C;
}

function asMap(value: unknown): PlainMap {
    const plain = plainProps(value);
    return typeof plain === "object" && plain !== null && !Array.isArray(plain) ? plain : {};
}

function viewOf(args: ResourceValidationArgs | PolicyResource, dependencies: string[]): ResourceView {
    return {
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: asMap(args.props),
        protect: args.opts.protect,
        additionalSecretOutputs: [...args.opts.additionalSecretOutputs],
        ...(args.provider ? { providerUrn: args.provider.urn } : {}),
        dependencies,
    };
}

/**
 * A policy checking one resource at a time. `types` lists the exact type tokens it applies to, or is a
 * predicate over the token. `check` returns one message per problem (empty: compliant).
 */
export function resourcePolicy<C extends object = Record<string, never>>(
    meta: PolicyMeta,
    types: readonly string[] | ((type: string) => boolean),
    check: (resource: ResourceView, config: C) => string[],
): PackPolicy {
    const applies = typeof types === "function" ? types : (t: string) => types.includes(t);
    const validate = (args: ResourceValidationArgs, report: ReportViolation): void => {
        if (!applies(args.type)) args.notApplicable(`applies to other resource types than ${args.type}`);
        const config = configOf<C>(meta.configSchema, args.getConfig<C>());
        for (const message of check(viewOf(args, []), config)) report(message);
    };
    // One exact type: let the server skip other types without calling the function.
    if (typeof types !== "function" && types.length === 1)
        (validate as { __pulumiType?: string }).__pulumiType = types[0];
    return { ...meta, validateResource: validate };
}

/** A policy over the whole stack: `check` sees every resource and returns the violations. */
export function stackPolicy<C extends object = Record<string, never>>(
    meta: PolicyMeta,
    check: (resources: ResourceView[], config: C) => StackViolation[],
): PackPolicy {
    return {
        ...meta,
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            const config = configOf<C>(meta.configSchema, args.getConfig<C>());
            const views = args.resources.map((r) =>
                viewOf(
                    r,
                    r.dependencies.map((d) => d.urn),
                ),
            );
            for (const v of check(views, config)) report(v.message, v.urn);
        },
    };
}

/** A config property listing allowed items (resource names or `namespace/name`). */
export function allowListSchema(description: string): PolicyConfigSchema {
    return { properties: { allowed: { type: "array", items: { type: "string" }, default: [], description } } };
}
