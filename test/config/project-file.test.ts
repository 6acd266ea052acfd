/** Pulumi.yaml declares exactly the stack spec's keys (config/stack.ts): types, descriptions, secrets. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { parse as parseYaml } from "yaml";
import { CONFIG_KEYS } from "../../config";
import { STACK_KEYS, STACK_SECRETS } from "../../config/stack";
import { ROOT } from "../helpers/pulumi";

interface Declaration {
    type?: string;
    description?: string;
    secret?: boolean;
    default?: unknown;
    items?: { type?: string };
}

const project = parseYaml(fs.readFileSync(`${ROOT}/Pulumi.yaml`, "utf8")) as {
    name: string;
    config: Record<string, Declaration>;
};

describe("Pulumi.yaml against the stack spec", () => {
    it("is the gitlab-platform project on the nodejs runtime", () => {
        assert.equal(project.name, "gitlab-platform");
    });

    it("declares every key of the stack spec, and no other", () => {
        assert.deepEqual(Object.keys(project.config).sort(), [...CONFIG_KEYS].sort());
    });

    it("declares each structured key with the spec's type and description, not secret", () => {
        for (const [key, spec] of Object.entries(STACK_KEYS)) {
            const decl = project.config[key];
            assert.equal(decl.type, spec.type, `${key}: type`);
            if (spec.type === "array")
                assert.equal(
                    decl.items?.type,
                    ("itemType" in spec ? spec.itemType : undefined) ?? "object",
                    `${key}: items`,
                );
            assert.equal(
                decl.description,
                spec.description,
                `${key}: description (config/stack.ts states it; Pulumi.yaml repeats it)`,
            );
            assert.notEqual(decl.secret, true, `${key}: secret`);
        }
    });

    it("declares each secret key secret, untyped (so the empty default passes), with the spec's description", () => {
        for (const [key, description] of Object.entries(STACK_SECRETS)) {
            const decl = project.config[key];
            assert.equal(decl.secret, true, `${key}: secret flag`);
            assert.equal(decl.type, undefined, `${key}: type`);
            assert.equal(decl.description, description, `${key}: description`);
        }
    });

    it("gives optional keys only 'not set' defaults, and the required ones none, so real defaults live in the specs", () => {
        for (const [key, decl] of Object.entries(project.config)) {
            const required = (STACK_KEYS as Record<string, { required?: boolean }>)[key]?.required === true;
            assert.equal("default" in decl, !required, `${key}: default present`);
            if (!("default" in decl)) continue;
            const d = decl.default;
            const empty = d === "" || (typeof d === "object" && d !== null && Object.keys(d).length === 0);
            assert.ok(empty, `${key}: default ${JSON.stringify(d)}`);
        }
    });

    it("can fail: a description that drifts from the spec is caught", () => {
        const drifted = { ...project.config.runners, description: "changed" };
        assert.notEqual(drifted.description, STACK_KEYS.runners.description);
    });
});
