import * as pulumi from "@pulumi/pulumi";
import { problemLine, type Problem } from "../components/errors";

/**
 * The one error a bad stack configuration produces. It extends `pulumi.RunError`, so the Pulumi CLI
 * prints the message alone, without a stack trace, and exits 1 before any resource is declared. Every
 * problem is one line, `<key>: <what is wrong> (expected ...)`; secret values are never quoted.
 */
export class ConfigError extends pulumi.RunError {
    /** True for every ConfigError, also across module copies (`instanceof` alone is not enough). */
    public readonly isConfigError = true;
    /** The problems, one `<key>: <message>` line each, sorted by key. */
    public readonly problems: readonly string[];

    constructor(problems: readonly Problem[], scope: string) {
        const lines = [...new Set(problems.map(problemLine))].sort();
        super(`Invalid stack configuration for ${scope}:\n${lines.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
        this.problems = lines;
    }

    /** Whether `err` is a ConfigError (works across duplicated module instances). */
    static is(err: unknown): err is ConfigError {
        return typeof err === "object" && err !== null && (err as { isConfigError?: unknown }).isConfigError === true;
    }
}
