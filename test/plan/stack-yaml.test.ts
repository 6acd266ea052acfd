/** A stack file with a YAML syntax error is refused naming the file, line and column. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackConfig } from "../../tools/plan/stack-files";
import { ROOT } from "../helpers/pulumi";

describe("stack files: YAML syntax errors", () => {
    it("names the file, line and column", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-yaml-"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.bad.yaml"),
            'config:\n  gitlab-platform:cluster:\n    type: existing\n   kubernetesVersion: "1.34"\n',
        );
        const file = path.join(dir, "Pulumi.bad.yaml");
        assert.throws(
            () => readStackConfig(dir, "bad"),
            (err: Error) =>
                err.message ===
                `${file}:4:1: YAML syntax error: All mapping items must start at the same column (expected valid YAML)`,
        );
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
