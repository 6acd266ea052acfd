/** Problems as the lines users read, for exact assertions. */
import { InvalidArgsError, problemLine, type Problem } from "../../components/errors";
import { record } from "./pulumi";

/** `<path>: <message>` per problem. */
export const lines = (problems: readonly Problem[]): string[] => problems.map(problemLine);

/** The problem lines of the InvalidArgsError `make` throws (components check their args before registering). */
export function argProblems(make: () => unknown): string[] {
    try {
        make();
    } catch (err) {
        if (err instanceof InvalidArgsError) return lines(err.problems);
        throw err;
    }
    throw new Error("expected an InvalidArgsError, but the arguments were accepted");
}

/**
 * Runs `make` as a stack under recording mocks and returns the problem lines of the InvalidArgsError it
 * throws, with the types of every resource registered meanwhile (the stack itself left out): empty when
 * the component refused before registering anything, itself included.
 */
export async function refusedBeforeRegistering(
    make: () => unknown,
): Promise<{ problems: string[]; registered: string[] }> {
    let problems: string[] = [];
    const rec = await record(() => {
        problems = argProblems(make);
    });
    return { problems, registered: rec.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack") };
}
