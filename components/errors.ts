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
        /** The problems, each naming the field. */
        public readonly problems: readonly Problem[],
    ) {
        super(`Invalid arguments for ${component}:\n${problems.map((p) => `  - ${problemLine(p)}`).join("\n")}`);
        this.name = "InvalidArgsError";
    }
}

/** Throws {@link InvalidArgsError} when `problems` is not empty. */
export function assertValid(component: string, problems: readonly Problem[]): void {
    if (problems.length > 0) throw new InvalidArgsError(component, problems);
}

/**
 * One thing wrong with a setting: `path` names it as the user writes it, relative to the object that
 * was checked (`scope.groupId`, `ciAccess.groups[0].id`; empty for the object itself), and `message`
 * says what is wrong and what was expected. Callers nest problems with {@link under}, never by
 * rewriting message text.
 */
export interface Problem {
    readonly path: string;
    readonly message: string;
}

/** `a` + `b` as a user writes a nested path: `runners` + `[0]` = `runners[0]`, `agent` + `name` = `agent.name`. */
export function joinPath(a: string, b: string): string {
    if (a === "") return b;
    if (b === "") return a;
    return b.startsWith("[") ? `${a}${b}` : `${a}.${b}`;
}

/** The problems of a nested object, with paths from the outer object. */
export function under(prefix: string, problems: readonly Problem[]): Problem[] {
    return problems.map((p) => ({ path: joinPath(prefix, p.path), message: p.message }));
}

/** One problem as a line: `<path>: <message>`. */
export function problemLine(p: Problem): string {
    return p.path === "" ? p.message : `${p.path}: ${p.message}`;
}
