/** Pulumi.yaml declares exactly the keys config.ts reads, secrets as secrets. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { parse as parseYaml } from "yaml";
import { CONFIG_KEYS, SECRET_KEYS } from "../../config";
import { ROOT } from "../helpers/pulumi";

interface Declaration {
    type?: string;
    description?: string;
    secret?: boolean;
    default?: unknown;
}

const project = parseYaml(fs.readFileSync(`${ROOT}/Pulumi.yaml`, "utf8")) as { name: string; config: Record<string, Declaration> };

describe("Pulumi.yaml", () => {
    it("is the gitlab-platform project on the nodejs runtime", () => {
        assert.equal(project.name, "gitlab-platform");
    });

    it("declares every key config.ts reads, and no other", () => {
        assert.deepEqual(Object.keys(project.config).sort(), [...CONFIG_KEYS].sort());
    });

    it("describes every key, marks secrets secret, and types every non-secret key", () => {
        for (const [key, decl] of Object.entries(project.config)) {
            assert.ok(decl.description && decl.description.length > 20, `${key}: description`);
            const isSecret = (SECRET_KEYS as readonly string[]).includes(key);
            assert.equal(decl.secret === true, isSecret, `${key}: secret flag`);
            if (!isSecret) assert.ok(["object", "string", "integer", "boolean", "array"].includes(decl.type ?? ""), `${key}: type`);
        }
    });

    it("gives optional keys only 'not set' defaults, so real defaults live in one place (config.ts)", () => {
        for (const [key, decl] of Object.entries(project.config)) {
            if (!("default" in decl)) continue;
            const d = decl.default;
            const empty = d === "" || (typeof d === "object" && d !== null && Object.keys(d).length === 0);
            assert.ok(empty, `${key}: default ${JSON.stringify(d)}`);
        }
    });
});
