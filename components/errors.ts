import * as pulumi from "@pulumi/pulumi";

/**
 * Bad component arguments: thrown by a component's pure `validate...` function before any child is
 * declared. Extends `pulumi.RunError`, so the CLI shows the message without a stack trace. Each problem
 * reads `<field>: <what is wrong> (expected ...)`.
 */
export class InvalidArgsError extends pulumi.RunError {
    constructor(
        /** The component type or name the arguments belong to. */
        public readonly component: string,
        /** One line per problem, naming the field. */
        public readonly problems: readonly string[],
    ) {
        super(`Invalid arguments for ${component}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "InvalidArgsError";
    }
}

/** Throws {@link InvalidArgsError} when `problems` is not empty. */
export function assertValid(component: string, problems: readonly string[]): void {
    if (problems.length > 0) throw new InvalidArgsError(component, problems);
}
