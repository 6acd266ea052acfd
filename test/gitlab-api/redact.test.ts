import { strict as assert } from "node:assert";
import { redact } from "../../components/gitlab-api/redact";

describe("gitlab-api redaction (pure)", () => {
    it("removes GitLab tokens, credential headers and registered literals", () => {
        const table: [string, string[], string][] = [
            ["token glpat-AbC_12.3-x9 rejected", [], "token [REDACTED] rejected"],
            [
                "runner glrt-t1_abcdefgh, deploy gldt-zzzz, agent glagent-0a1b",
                [],
                "runner [REDACTED], deploy [REDACTED], agent [REDACTED]",
            ],
            ["instance prefix SIE-glpat-abc123", [], "instance prefix SIE-[REDACTED]"],
            ["registration GR1348941abcdef", [], "registration [REDACTED]"],
            ["PRIVATE-TOKEN: s3cr3t-value", [], "PRIVATE-TOKEN: [REDACTED]"],
            ['{"private-token":"s3cr3t"}', [], '{"private-token":"[REDACTED]"}'],
            ["Authorization: Bearer abc.def", [], "Authorization: [REDACTED]"],
            [
                "legacy token 20charsAAAAAAAAAAAAAA in text",
                ["20charsAAAAAAAAAAAAAA"],
                "legacy token [REDACTED] in text",
            ],
            ["short literals stay: ab", ["ab"], "short literals stay: ab"],
            ["global-variables and gl-foo stay", [], "global-variables and gl-foo stay"],
        ];
        for (const [input, secrets, expected] of table) assert.equal(redact(input, secrets), expected, input);
    });
});
