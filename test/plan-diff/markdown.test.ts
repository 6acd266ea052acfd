/** The plan diff's Markdown (for MR notes) and its command line. */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Plan } from "../../tools/plan/format";
import { diffPlans, type PlanDiff } from "../../tools/plan-diff/diff";
import {
    MAX_GRAPH_NODES,
    MAX_VALUE_CHARS,
    mermaidGraph,
    planDiffMarkdown,
    shortUrn,
} from "../../tools/plan-diff/markdown";
import { ROOT } from "../helpers/pulumi";

const run = promisify(execFile);
const FIXTURES = path.join(__dirname, "../fixtures/plans");
const load = (name: string): Plan => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Plan;
const FOOTER =
    "<sub>Predicted offline from the program and the stack files, without credentials; `pulumi preview` is authoritative.</sub>\n";
const SECRET_NOTE =
    "> 1 secret value is masked in both plans and could not be compared: a change to a secret's value alone does not show here.";

describe("plan diff: Markdown", () => {
    it("says so when nothing changes", () => {
        assert.equal(
            planDiffMarkdown(diffPlans(load("base"), load("base"))),
            [
                "### Plan diff: `gitlab-platform` / `dev`",
                "",
                "**No changes**: the head plan declares the same 10 resources, with the same inputs and options, as the base.",
                "",
                SECRET_NOTE,
                "",
                FOOTER,
            ].join("\n"),
        );
    });

    it("renders counts, the property table and the graph of an update", () => {
        assert.equal(
            planDiffMarkdown(diffPlans(load("base"), load("update"))),
            [
                "### Plan diff: `gitlab-platform` / `dev`",
                "",
                "**Impact**: every change is safe by the impact table (`tools/plan-diff/impact-rules.ts`).",
                "",
                "#### Impact",
                "",
                "| impact | changes |",
                "| --- | ---: |",
                "| Data loss | 0 |",
                "| Blocked | 0 |",
                "| Disruptive | 0 |",
                "| Impact unknown | 0 |",
                "| Safe | 1 |",
                "",
                "<sub>A change counts under each impact it has; a protected stateful resource that would be replaced is both data loss and blocked.</sub>",
                "",
                "#### Changes",
                "",
                "**0 to replace, 0 to remove, 1 to update, 0 to add**; 9 unchanged.",
                "",
                "| type | replace | remove | update | add |",
                "| --- | ---: | ---: | ---: | ---: |",
                "| `kubernetes:apps/v1:Deployment` | 0 | 0 | 1 | 0 |",
                "",
                "#### To update (1)",
                "",
                "##### ~ `web-deployment` · `kubernetes:apps/v1:Deployment`",
                "",
                "| property | before | after |",
                "| --- | --- | --- |",
                "| `spec.replicas` | `2` | `3` |",
                "",
                "#### Graph of the change",
                "",
                "```mermaid",
                "flowchart TD",
                '  r0["~ web-deployment<br/>kubernetes:apps/v1:Deployment"]',
                '  r1["web-ns<br/>kubernetes:core/v1:Namespace"]',
                '  r2["web-secret<br/>kubernetes:core/v1:Secret"]',
                '  r3["web<br/>gitlab-platform:apps:App"]',
                '  r4["gitlab-platform-dev<br/>pulumi:pulumi:Stack"]',
                "  r0 -. depends on .-> r1",
                "  r0 -. depends on .-> r2",
                "  r3 --> r0",
                "  r4 --> r3",
                "  classDef update fill:#fff8c5,stroke:#9a6700",
                "  class r0 update",
                "  classDef context fill:#f6f8fa,stroke:#8c959f,color:#57606a",
                "  class r1,r2,r3,r4 context",
                "```",
                "",
                SECRET_NOTE,
                "",
                FOOTER,
            ].join("\n"),
        );
    });

    it("lists replacement reasons, hides secrets, lists additions and removals by name", () => {
        const md = planDiffMarkdown(diffPlans(load("base"), load("secret")));
        assert.ok(md.includes("Replaced because:\n- `stringData` of a Secret changed: "));
        assert.ok(md.includes("| `stringData.token` | — | *secret* |"));
        assert.ok(md.includes("| `spec.template.spec.containers[0].env[0].value` | *secret* | *secret* |"));
        assert.ok(
            planDiffMarkdown(diffPlans(load("base"), load("remove"))).includes(
                "#### To remove (1)\n\n- `web-svc` · `kubernetes:core/v1:Service`\n",
            ),
        );
        const moved = planDiffMarkdown(diffPlans(load("base"), load("replace-urn")));
        assert.ok(
            moved.includes(
                "URN changes from `urn:pulumi:dev::gitlab-platform::gitlab-platform:apps:App$kubernetes:apps/v1:Deployment::web-deployment` to ",
            ),
        );
    });

    it("lists a cascade of replacements without property changes once, under their shared reason", () => {
        const md = planDiffMarkdown(diffPlans(load("base"), load("replace-provider")));
        assert.ok(
            md.includes(
                [
                    "##### ± 6 resources with no property change",
                    "",
                    "Replaced because:",
                    "- its provider `dev-provider` may be replaced (see there), and Pulumi replaces every resource of a replaced provider",
                    "",
                    "They are:",
                    "",
                    "- `web-deployment` · `kubernetes:apps/v1:Deployment`",
                    "- `web-config` · `kubernetes:core/v1:ConfigMap`",
                    "- `web-ns` · `kubernetes:core/v1:Namespace`",
                    "- `web-secret` · `kubernetes:core/v1:Secret`",
                    "- `web-svc` · `kubernetes:core/v1:Service`",
                    "- `web-cache` · `kubernetes:helm.sh/v3:Release`",
                    "",
                ].join("\n"),
            ),
            md,
        );
        assert.equal(md.split("#### Changes")[1].match(/may be replaced \(see there\)/g)?.length, 1);
    });

    it("cuts long values and escapes table pipes and backticks", () => {
        const diff = diffPlans(load("base"), load("base"));
        const long = "x".repeat(MAX_VALUE_CHARS + 10);
        diff.changes = [
            {
                kind: "update",
                urn: "urn:pulumi:dev::p::t:m:T::n",
                type: "t:m:T",
                name: "n",
                parent: null,
                replaceReasons: [],
                options: [],
                inputs: [{ path: "a", kind: "update", old: long, new: "a|b`c" }],
            },
        ];
        diff.summary.update = 1;
        const md = planDiffMarkdown(diff);
        assert.ok(md.includes(`| \`a\` | \`"${"x".repeat(MAX_VALUE_CHARS - 1)}…\` | \`\` "a\\|b\`c" \`\` |`), md);
    });

    it("escapes Mermaid labels and leaves out graphs too large to read", () => {
        const graph: PlanDiff["graph"] = {
            nodes: [{ urn: "u1", type: "t:m:T", name: 'a "q" <b> #1', kind: "add" }],
            edges: [],
        };
        assert.equal(mermaidGraph(graph)[2], '  r0["+ a #quot;q#quot; #lt;b#gt; #35;1<br/>t:m:T"]');
        const diff = diffPlans(load("base"), load("update"));
        diff.graph.nodes = Array.from({ length: MAX_GRAPH_NODES + 1 }, (_, i) => ({
            urn: `u${i}`,
            type: "t",
            name: `n${i}`,
            kind: "context" as const,
        }));
        assert.ok(
            planDiffMarkdown(diff).includes(
                `Left out: ${MAX_GRAPH_NODES + 1} resources are involved (more than ${MAX_GRAPH_NODES}); the JSON diff has the graph.`,
            ),
        );
    });

    it("shortens URNs to type and name", () => {
        assert.equal(
            shortUrn("urn:pulumi:dev::p::a:b:Parent$kubernetes:core/v1:Namespace::web"),
            "kubernetes:core/v1:Namespace::web",
        );
        assert.equal(shortUrn("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"), "pulumi:pulumi:Stack::p-dev");
    });
});

describe("plan diff: command line", () => {
    const tsx = path.join(ROOT, "node_modules/.bin/tsx");
    const strip = (s: string) => s.replace(/^npm warn.*\n/gm, "");
    // The gate reads merge request variables: a test run inside a merge request pipeline must not see them.
    const NO_CI = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !k.startsWith("CI_") && k !== "GITLAB_USER_LOGIN"),
    );

    it("writes the Markdown and the JSON, and exits 2 on bad input", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
        try {
            const [base, head] = [path.join(FIXTURES, "base.json"), path.join(FIXTURES, "secret.json")];
            const ok = await run(
                tsx,
                ["tools/plan-diff.ts", base, head, "--md", `${dir}/d.md`, "--json", `${dir}/d.json`],
                { cwd: ROOT, env: NO_CI },
            );
            assert.equal(ok.stdout, "plan:diff: dev: 1 to replace, 0 to remove, 1 to update, 0 to add, 8 unchanged\n");
            const expected = diffPlans(load("base"), load("secret"));
            expected.impact.gate = { required: false, optedIn: false, label: "allow-data-loss", fails: false };
            assert.deepEqual(JSON.parse(fs.readFileSync(`${dir}/d.json`, "utf8")), expected);
            assert.equal(fs.readFileSync(`${dir}/d.md`, "utf8"), planDiffMarkdown(expected));

            fs.writeFileSync(`${dir}/not-a-plan.json`, '{"hello": 1}');
            const bad = await run(tsx, ["tools/plan-diff.ts", base, `${dir}/not-a-plan.json`], { cwd: ROOT }).then(
                () => assert.fail("expected exit code 2"),
                (e: { code: number; stderr: string }) => e,
            );
            assert.equal(bad.code, 2);
            assert.equal(
                strip(bad.stderr),
                `plan:diff: ${dir}/not-a-plan.json: not an offline plan (expected {"version": 1, "stack": ..., "resources": [...]} from npm run plan)\n`,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
