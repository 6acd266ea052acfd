/**
 * The generated API reference (`npm run docs`) is only as good as the JSDoc under components/: the lint
 * rules of eslint.config.mjs for components/ (every exported class, interface, type alias and function
 * documented; every `*Args` property with a description and, when optional, a `@default`), run through
 * ESLint's Node API without type information so that this stays fast. Also: the CHANGELOG states the
 * chart versions the released code pins.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import * as defaults from "../../components/defaults";
import { ROOT } from "../helpers/pulumi";

const JSDOC_RULES = ["jsdoc/require-jsdoc", "gitlab-platform/args-jsdoc"];

/** ESLint with only the components/ JSDoc block of the project's config, on a parser without types. */
async function jsdocLinter(): Promise<ESLint> {
    const config = (await import(pathToFileURL(path.join(ROOT, "eslint.config.mjs")).href)) as {
        default: Linter.Config[];
    };
    const blocks = config.default.filter((c) => JSDOC_RULES.some((rule) => c.rules?.[rule] !== undefined));
    assert.equal(blocks.length, 1, "one config block holds the JSDoc rules");
    assert.deepEqual(blocks[0]!.files, ["components/**/*.ts"], "the JSDoc rules apply to components/ only");
    assert.deepEqual(Object.keys(blocks[0]!.rules!).sort(), [...JSDOC_RULES].sort());
    return new ESLint({
        cwd: ROOT,
        overrideConfigFile: true,
        overrideConfig: [
            // The typescript-eslint plugin only so that inline `eslint-disable` comments naming its rules resolve.
            {
                files: ["**/*.ts"],
                languageOptions: { parser: tseslint.parser as Linter.Parser },
                plugins: { "@typescript-eslint": tseslint.plugin as ESLint.Plugin },
                linterOptions: { reportUnusedDisableDirectives: "off" },
            },
            blocks[0]!,
        ],
    });
}

const messages = (results: ESLint.LintResult[]) =>
    results.flatMap((r) =>
        r.messages.map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`),
    );

describe("API documentation", function () {
    this.timeout(60_000);
    let eslint: ESLint;
    before(async () => {
        eslint = await jsdocLinter();
    });

    it("documents every exported declaration and every *Args property of components/", async () => {
        const problems = messages(await eslint.lintFiles(["components/**/*.ts"]));
        assert.deepEqual(problems, []);
    });

    it("reports a missing comment, a comment without description and an optional field without @default", async () => {
        const code = [
            "/** Arguments of the example. */",
            "export interface ExampleArgs {",
            "    /** Documented. @default 1 */",
            "    fine?: number;",
            "    bare: string;",
            "    /** @default - none */",
            "    tagOnly?: string;",
            "    /** No default given. */",
            "    noDefault?: boolean;",
            "}",
            "/** A union. */",
            'export type VariantArgs = { /** Kind. */ type: "a"; /** Size. @default 2 */ size?: number } | { type: "b" };',
            "/** Internal, resolved: not checked. */",
            "export interface ResolvedExampleArgs {",
            "    anything: string;",
            "}",
            "export class Undocumented {}",
            "export function undocumented(): void {}",
            "",
        ].join("\n");
        const results = await eslint.lintText(code, { filePath: path.join(ROOT, "components/example/example.ts") });
        assert.deepEqual(
            results[0]!.messages.map((m) => `${m.line} ${m.ruleId} ${m.message}`),
            [
                "5 gitlab-platform/args-jsdoc ExampleArgs.bare: no JSDoc comment (expected a description, and `@default <value>` or `@default - <why>` when optional)",
                "7 gitlab-platform/args-jsdoc ExampleArgs.tagOnly: the JSDoc comment has no description (expected one before its tags)",
                "9 gitlab-platform/args-jsdoc ExampleArgs.noDefault: optional, but its JSDoc has no `@default` (expected `@default <value>` or `@default - <why>`)",
                "12 gitlab-platform/args-jsdoc VariantArgs.type: no JSDoc comment (expected a description, and `@default <value>` or `@default - <why>` when optional)",
                "17 jsdoc/require-jsdoc Missing JSDoc comment.",
                "18 jsdoc/require-jsdoc Missing JSDoc comment.",
            ],
        );
    });

    it("states in CHANGELOG.md, for the package's version, every chart version the code pins", () => {
        const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
        const changelog = fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
        const section = changelog.split(/^## /m).find((s) => s.startsWith(`[${version}]`));
        assert.ok(section, `CHANGELOG.md has no "## [${version}]" section`);
        const pins: Record<string, string> = {
            GITLAB_CHART_VERSION: defaults.GITLAB_CHART_VERSION,
            GITLAB_AGENT_CHART_VERSION: defaults.GITLAB_AGENT_CHART_VERSION,
            GITLAB_RUNNER_CHART_VERSION: defaults.GITLAB_RUNNER_CHART_VERSION,
            FLUX_OPERATOR_CHART_VERSION: defaults.FLUX_OPERATOR_CHART_VERSION,
            FLUX_VERSION: defaults.FLUX_VERSION,
            GATEWAY_API_CRDS_VERSION: defaults.GATEWAY_API_CRDS_VERSION,
        };
        for (const [name, value] of Object.entries(pins))
            assert.ok(section.includes(`\`${name}\` ${value}`), `CHANGELOG ${version} lacks "\`${name}\` ${value}"`);
    });
});
