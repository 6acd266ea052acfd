/** Shared helpers for configuration tests: run the pure validator on raw values. */
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, ConfigError, type RawConfig, type SecretKey } from "../../config";

/** Parses raw values (bare keys); keys listed in `secretKeys` count as stored with --secret. */
export function parse(values: Record<string, unknown>, secretKeys: string[] = [], raw: Partial<RawConfig> = {}) {
    return parseStackConfig({
        ...raw,
        values,
        secretKeys: new Set(secretKeys),
        secret: (key: SecretKey) => pulumi.secret(String(values[key])),
    });
}

/** The problem lines of the ConfigError that `values` raise; fails when they are accepted. */
export function problemsOf(
    values: Record<string, unknown>,
    secretKeys: string[] = [],
    raw: Partial<RawConfig> = {},
): readonly string[] {
    try {
        parse(values, secretKeys, raw);
    } catch (err) {
        if (ConfigError.is(err)) return err.problems;
        throw err;
    }
    throw new Error("expected a ConfigError, but the configuration was accepted");
}

/** A minimal valid configuration. */
export const VALID = {
    cluster: { type: "existing", context: "gitlab-dev", kubernetesVersion: "1.34" },
};
