/** The command-line parser every `npm run <tool>` shares: one round of problems, usage line, exit 2. */
import { strict as assert } from "node:assert";
import { parseCli, usageError } from "../../tools/cli-args";

describe("tools/cli-args", () => {
    const errors: string[] = [];
    const error = console.error;
    beforeEach(() => {
        errors.length = 0;
        console.error = (...a: unknown[]) => void errors.push(a.join(" "));
    });
    afterEach(() => (console.error = error));
    const spec = {
        tool: "plan",
        usage: "usage: npm run plan -- --stack <name>",
        options: { stack: { type: "string" }, dir: { type: "string", default: "." } } as const,
        required: ["stack" as const],
    };

    it("parses options with their defaults", () => {
        const parsed = parseCli(spec, ["--stack", "dev"]);
        assert.deepEqual({ ...parsed?.values }, { stack: "dev", dir: "." });
        assert.deepEqual(errors, []);
    });

    it("reports every problem in one round with the usage line, and returns undefined", () => {
        assert.equal(parseCli(spec, ["extra"]), undefined);
        assert.deepEqual(errors, [
            'plan: --stack is required; unexpected argument "extra"\nusage: npm run plan -- --stack <name>',
        ]);
        errors.length = 0;
        assert.equal(parseCli(spec, ["--stak", "dev"]), undefined);
        assert.match(errors[0], /^plan: Unknown option '--stak'/);
        errors.length = 0;
        assert.equal(parseCli({ ...spec, required: [], positionals: 2 }, ["a"]), undefined);
        assert.equal(errors[0], "plan: expected 2 arguments, got 1\nusage: npm run plan -- --stack <name>");
    });

    it("a tool's own check prints the same way and gives exit code 2", () => {
        assert.equal(usageError(spec, ["--faults: unknown x"]), 2);
        assert.deepEqual(errors, ["plan: --faults: unknown x\nusage: npm run plan -- --stack <name>"]);
    });
});
