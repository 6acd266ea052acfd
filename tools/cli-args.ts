/**
 * What every `npm run <tool>` command shares: strict argument parsing whose mistakes print
 * `<tool>: <problem>` and the usage line (exit 2), required options and positionals checked in one
 * round, and the process exit from `main`'s code (an unexpected rejection exits 2).
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** How one tool reads its command line. */
export interface CliSpec<O extends ParseArgsOptionsConfig> {
    /** The tool's name, the prefix of every message (`plan`, `render`). */
    tool: string;
    /** The usage line printed after a mistake. */
    usage: string;
    options: O;
    /** Options that must be given. @default [] */
    required?: (keyof O & string)[];
    /** How many positional arguments, exactly. @default 0 (none allowed) */
    positionals?: number;
}

/** The parsed command line: `values` as `util.parseArgs` types them. */
export type CliArgs<O extends ParseArgsOptionsConfig> = ReturnType<
    typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
>;

/**
 * Parses `argv` (this process's arguments by default). On a mistake prints every problem with the usage
 * line to stderr and returns undefined: the caller returns exit code 2.
 */
export function parseCli<O extends ParseArgsOptionsConfig>(
    spec: CliSpec<O>,
    argv: string[] = process.argv.slice(2),
): CliArgs<O> | undefined {
    let parsed: CliArgs<O>;
    try {
        parsed = parseArgs({ args: argv, options: spec.options, strict: true, allowPositionals: true });
    } catch (err) {
        usageError(spec, [(err as Error).message]);
        return undefined;
    }
    const values = parsed.values as Record<string, unknown>;
    const problems = (spec.required ?? []).filter((k) => values[k] === undefined).map((k) => `--${k} is required`);
    const wanted = spec.positionals ?? 0;
    if (parsed.positionals.length !== wanted)
        problems.push(
            wanted === 0
                ? `unexpected argument ${JSON.stringify(parsed.positionals[0])}`
                : `expected ${wanted} arguments, got ${parsed.positionals.length}`,
        );
    if (problems.length === 0) return parsed;
    usageError(spec, problems);
    return undefined;
}

/** Prints `<tool>: <problems>` and the usage line; returns 2, the usage exit code. */
export function usageError(spec: Pick<CliSpec<ParseArgsOptionsConfig>, "tool" | "usage">, problems: string[]): 2 {
    console.error(`${spec.tool}: ${problems.join("; ")}\n${spec.usage}`);
    return 2;
}

/** Runs `main` and exits with its code; an unexpected rejection prints `<tool>: <error>` and exits 2. */
export function runCli(tool: string, main: () => Promise<number> | number): void {
    Promise.resolve()
        .then(main)
        .then(
            (code) => process.exit(code),
            (err: unknown) => {
                console.error(`${tool}: ${String(err)}`);
                process.exit(2);
            },
        );
}
