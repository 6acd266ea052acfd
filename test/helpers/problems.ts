/** Problems as the lines users read, for exact assertions. */
import { InvalidArgsError, problemLine, type Problem } from "../../components/errors";

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
