/**
 * The compiler's proof, both ways, that each spec and its public Args interface name the same settings:
 * `satisfies` in the spec shows the spec accepts nothing the interface does not; these show the
 * interface has no setting the spec forgets. A mismatch fails `tsc` (npm run build).
 */
import { strict as assert } from "node:assert";
import type { z } from "zod";
import type { GitLabAgentArgs } from "../../components/agent/gitlab-agent";
import type { agentArgsSpec } from "../../components/agent/spec";
import type { GitLabRunnerArgs } from "../../components/runner/gitlab-runner";
import { runnerArgsSpec } from "../../components/runner/spec";

type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;

const runner: SameKeys<z.input<typeof runnerArgsSpec>, GitLabRunnerArgs> = true;
const agent: SameKeys<z.input<typeof agentArgsSpec>, GitLabAgentArgs> = true;

describe("specs and Args interfaces", () => {
    it("name the same settings (checked by the compiler)", () => {
        assert.deepEqual([runner, agent], [true, true]);
        assert.deepEqual(Object.keys(runnerArgsSpec.shape).length > 10, true);
    });
});
