/**
 * docs/restore.md names stack outputs, config keys, resources and chart values; each must exist in the
 * offline plan of `prod` (or be accepted by the config reader), and every `pulumi stack output` and
 * `pulumi config set` command in it must name a real output or key.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { CONFIG_KEYS, ConfigError, parseStackConfig, type SecretKey } from "../../config";
import type { Plan } from "../../tools/plan/format";
import { plan, ROOT } from "../helpers/pulumi";

const DOC = fs.readFileSync(`${ROOT}/docs/restore.md`, "utf8");

interface Row {
    kind: string;
    name: string;
    detail: string;
}

/** The rows of the "What this document relies on" table. */
export function reliesOn(doc: string): Row[] {
    const section = doc.split("## What this document relies on")[1] ?? "";
    return section
        .split("\n")
        .filter((l) => /^\| (output|config|resource|value) \|/.test(l))
        .map((l) => {
            const [kind, name, detail] = l
                .split("|")
                .slice(1, 4)
                .map((c) => c.trim());
            return { kind, name, detail };
        });
}

/** The first argument that is not a flag (nor a flag's value) of every `<command> ...` in the document. */
export function commandArgs(doc: string, command: string): string[] {
    const found: string[] = [];
    for (const line of doc.split("\n")) {
        const i = line.indexOf(command);
        if (i < 0 || line.includes("`")) continue; // prose mentions the commands in backticks
        const words = line
            .slice(i + command.length)
            .split(/\s+/)
            .filter(Boolean);
        for (let w = 0; w < words.length; w++) {
            if (words[w] === "-s" || words[w] === "--stack") w++;
            else if (!words[w].startsWith("-")) {
                found.push(words[w].replace(/[^A-Za-z0-9.]/g, ""));
                break;
            }
        }
    }
    return found;
}

const at = (v: unknown, path: string): unknown =>
    path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], v);

/** Problems of one row against a plan; empty when the row holds. */
export function rowProblems(row: Row, p: Plan): string[] {
    switch (row.kind) {
        case "output": {
            const v = at(p.outputs, row.name);
            if (v === undefined) return [`output ${row.name}: not in the plan's outputs`];
            if (row.detail === "secret" && v !== "[secret]") return [`output ${row.name}: not secret`];
            return [];
        }
        case "resource":
            return p.resources.some((r) => r.type === row.name && r.name === row.detail)
                ? []
                : [`resource ${row.name} ${row.detail}: not in the plan`];
        case "value": {
            const release = p.resources.find(
                (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "gitlab-release",
            );
            const v = at(release?.inputs.values, row.name);
            return String(v) === row.detail
                ? []
                : [`value ${row.name}: ${JSON.stringify(v)} in the plan, the document says ${row.detail}`];
        }
        default:
            return [];
    }
}

const PROD = (parseYaml(fs.readFileSync(`${ROOT}/Pulumi.prod.yaml`, "utf8")) as { config: Record<string, unknown> })
    .config;

/** Whether the config reader accepts `path` set to `value` on top of the prod stack. */
function configProblems(path: string, value: string, secret: boolean): string[] {
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(PROD))
        if (k.startsWith("gitlab-platform:")) values[k.slice("gitlab-platform:".length)] = v;
    const [top, ...rest] = path.split(".");
    if (!CONFIG_KEYS.includes(top)) return [`config ${path}: ${top} is not a stack key`];
    if (rest.length === 0) values[top] = value;
    else {
        let o = (values[top] = structuredClone(values[top] ?? {})) as Record<string, unknown>;
        for (const k of rest.slice(0, -1))
            o = (o[k] = (o[k] as Record<string, unknown>) ?? {}) as Record<string, unknown>;
        o[rest[rest.length - 1]] = /^\d+$/.test(value) ? Number(value) : value;
    }
    try {
        parseStackConfig({
            values,
            secretKeys: new Set(secret ? [top] : []),
            secret: (k: SecretKey) => pulumi.secret(String(values[k])),
            project: "gitlab-platform",
            stack: "prod",
            awsRegion: "eu-central-1",
        });
        return [];
    } catch (err) {
        if (ConfigError.is(err)) return err.problems.filter((p) => p.startsWith(path)).map((p) => `config ${p}`);
        throw err;
    }
}

describe("docs/restore.md", () => {
    let p: Plan;
    before(async function () {
        this.timeout(120_000);
        p = await plan("prod");
    });

    const rows = reliesOn(DOC);
    it("lists what it relies on", () => {
        assert.ok(rows.length >= 20, `${rows.length} rows`);
        for (const kind of ["output", "config", "resource", "value"])
            assert.ok(
                rows.some((r) => r.kind === kind),
                kind,
            );
    });

    for (const row of rows) {
        it(`${row.kind} ${row.name}${row.detail ? ` (${row.detail})` : ""} exists`, () => {
            const problems =
                row.kind === "config"
                    ? configProblems(
                          row.name,
                          row.detail === "secret" ? "production: {}" : row.detail || "x",
                          row.detail === "secret",
                      )
                    : rowProblems(row, p);
            assert.deepEqual(problems, []);
        });
    }

    it("names only real outputs in `pulumi stack output` and real keys in `pulumi config set`", () => {
        const outputs = commandArgs(DOC, "pulumi stack output");
        assert.deepEqual([...new Set(outputs)].sort(), ["backups", "railsSecrets"]);
        for (const o of outputs) assert.ok(o in p.outputs, `pulumi stack output ${o}: no such output`);
        const keys = [...commandArgs(DOC, "pulumi config set"), ...commandArgs(DOC, "pulumi config rm")];
        assert.deepEqual([...new Set(keys)].sort(), ["gitlab", "gitlabRailsSecrets"]);
        for (const k of keys) assert.ok(CONFIG_KEYS.includes(k), `pulumi config ${k}: no such key`);
    });

    it("catches a row the plan does not have (negative)", () => {
        assert.deepEqual(rowProblems({ kind: "output", name: "backups.nothing", detail: "" }, p), [
            "output backups.nothing: not in the plan's outputs",
        ]);
        assert.equal(
            rowProblems({ kind: "resource", name: "aws:backup/vault:Vault", detail: "elsewhere" }, p).length,
            1,
        );
        assert.equal(rowProblems({ kind: "value", name: "global.railsSecrets.secret", detail: "other" }, p).length, 1);
        assert.equal(configProblems("gitlab.backups.scheduel", "x", false).length, 1);
        assert.equal(configProblems("nosuchkey", "x", false).length, 1);
        assert.deepEqual(commandArgs("pulumi stack output -s prod --show-secrets nothing > x", "pulumi stack output"), [
            "nothing",
        ]);
    });
});
