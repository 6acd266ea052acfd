/**
 * Arbitrary JSON as stack configuration: the program either accepts it or fails with the one clear
 * ConfigError (every line `<key>: <message>`, no stack trace); it never crashes.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { CONFIG_KEYS, ConfigError, SECRET_KEYS } from "../../config";
import { record } from "../helpers/pulumi";
import { parse } from "./support";

// The program as the CLI loads it: index.ts exports the program function.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require("../../index") as () => Promise<unknown>;

const key = fc.oneof(fc.constantFrom(...CONFIG_KEYS), fc.string({ minLength: 1, maxLength: 12 }));
const config = fc.dictionary(key, fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 });
// A key path (plain names, [indexes], or "quoted" odd keys), then the problem and what was expected.
const PROBLEM_LINE =
    /^(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*")(?:\.(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*")|\[\d+\])*: [^\n]+\((?:expected|did you mean) [^\n]+\)$/;

function assertClearError(err: unknown): void {
    if (!ConfigError.is(err)) throw err;
    assert.ok(err.problems.length > 0);
    for (const line of err.problems) {
        assert.doesNotMatch(line, /\n\s+at /, "no stack trace");
        assert.match(line, PROBLEM_LINE, line);
    }
}

describe("stack configuration: arbitrary input", () => {
    it("the validator accepts or raises one ConfigError, never anything else", () => {
        fc.assert(
            fc.property(config, fc.subarray([...SECRET_KEYS]), (values, secretKeys) => {
                try {
                    parse(values, secretKeys);
                } catch (err) {
                    assertClearError(err);
                }
            }),
            { numRuns: 400 },
        );
    });

    it("the whole program, run as the CLI runs it, accepts or raises one ConfigError", async () => {
        await fc.assert(
            fc.asyncProperty(config, async (values) => {
                try {
                    await record(program, { config: values, preview: true });
                } catch (err) {
                    assertClearError(err);
                }
            }),
            { numRuns: 40 },
        );
    });
});
