/**
 * Secrets and configuration: Secret data is a Pulumi secret (encrypted in the state), ConfigMaps hold no
 * credentials.
 *
 * How secrecy is visible: `@pulumi/policy` unwraps secrets before a policy sees them, so inside a
 * policy a secret and a plain value look alike. Two signals remain and this check accepts either:
 * the value is the offline plan's "[secret]" marker (the gate sends plan secrets as protocol secrets
 * holding that marker), or the field is listed in the resource's `additionalSecretOutputs` option, which
 * the engine sends with every resource (@pulumi/kubernetes' `core.v1.Secret` wraps `data`/`stringData`
 * in `pulumi.secret` and lists both there).
 */
import { findCredentials } from "./lib/credentials";
import { resourcePolicy } from "./lib/define";
import { CONFIG_MAP, SECRET_TYPE } from "./lib/types";
import { at, isMap, renderPath, SECRET, UNKNOWN } from "./lib/values";

export const k8sSecretDataSecret = resourcePolicy(
    {
        name: "k8s-secret-data-secret",
        description: "Kubernetes Secret data is a Pulumi secret, so the state and previews never show it.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Declare the Secret with @pulumi/kubernetes' core.v1.Secret and pass values from pulumi.secret(...) or config.requireSecret(...); " +
            "for objects made another way, add data/stringData to the additionalSecretOutputs resource option.",
    },
    [SECRET_TYPE],
    (r) =>
        (["data", "stringData"] as const).flatMap((field) => {
            const value = at(r.props, [field]);
            if (value === undefined || value === null || value === SECRET || value === UNKNOWN) return [];
            if (r.additionalSecretOutputs.includes(field)) return [];
            if (!isMap(value)) return [`${field}: not marked secret (expected pulumi.secret(...) values)`];
            return Object.entries(value)
                .filter(([, v]) => v !== SECRET && v !== UNKNOWN)
                .map(([key]) => `${renderPath([field, key])}: not marked secret (expected pulumi.secret(...) values)`);
        }),
);

export const k8sConfigMapNoCredentials = resourcePolicy(
    {
        name: "k8s-configmap-no-credentials",
        description: "ConfigMaps hold no password, token, key or secret value.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Move the value into a Secret (stringData from pulumi.secret(...)) and mount or reference that instead; rotate a credential that was committed.",
    },
    [CONFIG_MAP],
    (r) =>
        (["data", "binaryData"] as const).flatMap((field) =>
            findCredentials(at(r.props, [field]), { secretMarker: true }, [field]).map((f) => {
                const where = renderPath(f.path);
                if (f.kind === "token") return `${where}: contains ${f.token} (expected it in a Secret)`;
                if (f.kind === "secret") return `${where}: a secret value in a ConfigMap (expected it in a Secret)`;
                return `${where}: a credential in a ConfigMap (expected it in a Secret)`;
            }),
        ),
);

/** The secrets and configuration policies. */
export const SECRET_POLICIES = [k8sSecretDataSecret, k8sConfigMapNoCredentials];
