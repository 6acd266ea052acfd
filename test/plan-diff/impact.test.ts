/** Impact classes, the note's lead and the data-loss gate, on fixture plan pairs (test/fixtures/plans/impact). */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { Plan } from "../../tools/plan/format";
import { composeNote } from "../../tools/mr-note/note";
import { diffPlans } from "../../tools/plan-diff/diff";
import { CHECKED_VERSIONS, classifyImpact, gateVerdict } from "../../tools/plan-diff/impact";
import { forceNewInputs, IMPACT_TABLE, isOwnComponent, propertyRule } from "../../tools/plan-diff/impact-rules";
import { planDiffMarkdown } from "../../tools/plan-diff/markdown";
import { ROOT } from "../helpers/pulumi";

const FIXTURES = path.join(__dirname, "../fixtures/plans/impact");
const load = (name: string): Plan => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Plan;
const GATE =
    "**Gate**: the plan job fails on this change. To go ahead on purpose, add the label `allow-data-loss` to the merge request and run the pipeline again.";

/** The note's lead: the lines between the title and the impact table, then the items of each impact class. */
function note(head: string, base = "base", env: Record<string, string> = {}): string[] {
    const d = diffPlans(load(base), load(head));
    d.impact.gate = gateVerdict(d.impact, env);
    const md = planDiffMarkdown(d);
    return md
        .split("#### Changes")[0]
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("| ") && !l.startsWith("<sub>A change"));
}

describe("plan diff: impact classes, one fixture pair each", () => {
    it("data loss: an unprotected bucket removed from the program", () => {
        assert.deepEqual(note("data-loss"), [
            "### Plan diff: `gitlab-platform` / `prod`",
            "**Data loss**: 1 S3 bucket would be deleted.",
            GATE,
            "#### Impact",
            "##### Data loss (1)",
            "- - `prod-data-buckets-lfs` · `aws:s3/bucket:Bucket`: removed from the program: deleting it loses every object in it (GitLab's artifacts, uploads, LFS objects, packages, registry images or backups)",
            "  - **Instead**: keep the physical name (set the old name explicitly, e.g. `data.namePrefix` back to the value in the base), or rename with `aliases` in the program so Pulumi keeps the resource; if a new bucket is really wanted, create it beside the old one, copy the objects (`aws s3 sync`, all versions), point GitLab at it, and only then delete the old one with `retainOnDelete` or by hand",
            "  - <sub>Source: @pulumi/aws 7.48.0; Amazon S3: deleting a bucket</sub>",
        ]);
    });

    it("blocked: a protected resource removed, which `pulumi up` refuses to delete", () => {
        assert.deepEqual(note("blocked"), [
            "### Plan diff: `gitlab-platform` / `prod`",
            "**Blocked**: `pulumi up` would stop on 1 protected resource it may not replace or delete.",
            GATE,
            "#### Impact",
            "##### Blocked (1)",
            "- - `prod-data-buckets-lfs-tls-only` · `aws:s3/bucketPolicy:BucketPolicy`: it is protected: `pulumi up` refuses to delete it and stops",
            "  - **Instead**: keep it in the program, or lift `protect` first in a separate, reviewed change (and keep its data with `retainOnDelete`)",
            "  - <sub>Source: Pulumi `protect` (a replacement needs the old or the new state unprotected, pulumi/pulumi#8873)</sub>",
        ]);
    });

    it("disruptive: an RDS instance class change reboots or fails over the database", () => {
        assert.deepEqual(note("disruptive"), [
            "### Plan diff: `gitlab-platform` / `prod`",
            "**Disruptive**: 1 change would restart, fail over, roll or interrupt something: RDS database `prod-data-postgres-db`.",
            "#### Impact",
            "##### Disruptive (1)",
            "- ~ `prod-data-postgres-db` · `aws:rds/instance:Instance` `instanceClass`: an instance class change reboots the instance (Multi-AZ: the standby is changed, then a failover of about a minute or two)",
            "  - <sub>Source: @pulumi/aws 7.48.0; Amazon RDS: modifying a DB instance</sub>",
        ]);
        const d = diffPlans(load("base"), load("disruptive"));
        assert.deepEqual(
            d.impact.changes.map((c) => `${c.class} ${c.name}`),
            ["disruptive prod-data-postgres-db"],
        );
        assert.equal(gateVerdict(d.impact, {}).fails, false, "disruptive alone does not fail the gate");
    });

    it("safe: a backup retention change", () => {
        assert.deepEqual(note("safe"), [
            "### Plan diff: `gitlab-platform` / `prod`",
            "**Impact**: every change is safe by the impact table (`tools/plan-diff/impact-rules.ts`).",
            "#### Impact",
        ]);
        const d = diffPlans(load("base"), load("safe"));
        assert.deepEqual(d.impact.summary, { "data-loss": 0, blocked: 0, disruptive: 0, unknown: 0, safe: 1 });
    });

    it("impact unknown: a type and a property the table does not know are never called safe", () => {
        assert.deepEqual(note("unknown"), [
            "### Plan diff: `gitlab-platform` / `prod`",
            "**Impact unknown**: the impact table does not cover 2 changes; read them yourself.",
            "#### Impact",
            "##### Impact unknown (2)",
            "- ~ `prod-data-postgres-db` · `aws:rds/instance:Instance`: the impact table has no rule for `storageThroughput` of aws:rds/instance:Instance",
            "  - <sub>Source: tools/plan-diff/impact-rules.ts</sub>",
            "- ~ `jobs` · `aws:sqs/queue:Queue`: the impact table has no rule for aws:sqs/queue:Queue",
            "  - <sub>Source: tools/plan-diff/impact-rules.ts</sub>",
        ]);
    });

    it("data loss without a delete: GitLab's release pointed at another database", () => {
        assert.deepEqual(note("repoint"), [
            "### Plan diff: `gitlab-platform` / `prod`",
            "**Data loss**: GitLab would be repointed to another database.",
            GATE,
            "#### Impact",
            "##### Data loss (1)",
            '- ~ `gitlab-release` · `kubernetes:helm.sh/v3:Release`: GitLab would be repointed to another database than the one holding its data, so it would come up without it: `values.global.psql.host` `"db.internal.example"` → `"db2.internal.example"` (another server or database)',
            "  - **Instead**: keep GitLab on the current database; to move, migrate the data first (backup and restore, or replication) and switch in a maintenance window",
            "  - <sub>Source: GitLab chart values (components/gitlab/values.ts): `global.psql`, `global.redis`, `global.appConfig.*.bucket`, `global.registry.bucket`</sub>",
        ]);
    });

    it("a replacement of a protected resource is blocked only while both states are protected (pulumi/pulumi#8873)", () => {
        const base = load("base");
        const bucket = (protect: boolean, name: string): Plan => ({
            ...base,
            resources: base.resources.map((r) =>
                r.type === "aws:s3/bucket:Bucket" ? { ...r, protect, inputs: { ...r.inputs, bucket: name } } : r,
            ),
        });
        const classes = (a: Plan, b: Plan) =>
            diffPlans(a, b)
                .impact.changes.filter((c) => c.type === "aws:s3/bucket:Bucket")
                .flatMap((c) => c.findings.map((f) => f.class));
        assert.deepEqual(classes(bucket(true, "a"), bucket(true, "b")), ["data-loss", "blocked"]);
        assert.deepEqual(classes(bucket(true, "a"), bucket(false, "b")), ["data-loss"]);
        assert.deepEqual(classes(bucket(false, "a"), bucket(false, "b")), ["data-loss"]);
    });

    it("a Secret GitLab's release names as its rails secrets holds data the chart cannot generate again", () => {
        const base = load("base");
        const secret = {
            urn: "urn:pulumi:prod::gitlab-platform::kubernetes:core/v1:Secret::rails",
            type: "kubernetes:core/v1:Secret",
            name: "rails",
            custom: true,
            parent: null,
            provider: null,
            dependsOn: [],
            protect: false,
            inputs: { kind: "Secret", metadata: { name: "gitlab-rails-secret" }, stringData: "[secret]" },
        };
        const withRails = (resources: Plan["resources"]) =>
            resources.map((r) =>
                r.type === "kubernetes:helm.sh/v3:Release"
                    ? {
                          ...r,
                          inputs: {
                              ...r.inputs,
                              values: {
                                  ...(r.inputs.values as object),
                                  global: {
                                      ...(r.inputs.values as { global: object }).global,
                                      railsSecrets: { secret: "gitlab-rails-secret" },
                                  },
                              },
                          },
                      }
                    : r,
            );
        const a: Plan = { ...base, resources: [...withRails(base.resources), secret] };
        const b: Plan = { ...base, resources: withRails(base.resources) };
        const d = diffPlans(a, b);
        const rails = d.impact.changes.find((c) => c.name === "rails")!;
        assert.equal(rails.class, "data-loss");
        assert.match(rails.findings[0].why, /^removed from the program: deleting it loses GitLab's rails secrets/);
    });
});

describe("plan diff: the prod namePrefix change (fixtures derived from the real plans of Pulumi.prod.yaml)", () => {
    it("leads the note with 11 protected buckets replaced and GitLab repointed to empty storage", () => {
        const d = diffPlans(load("prod-base"), load("prod-name-prefix"));
        d.impact.gate = gateVerdict(d.impact, {});
        const body = composeNote({ kind: "plan", stack: "prod", markdown: planDiffMarkdown(d) });
        assert.deepEqual(body.split("\n").slice(0, 8), [
            "<!-- gitlab-platform:plan:prod -->",
            "### Plan diff: `gitlab-platform` / `prod`",
            "",
            "**Data loss**: 11 protected S3 buckets would be replaced; GitLab would be repointed to new, empty storage (11 buckets).",
            "",
            "**Blocked**: `pulumi up` would stop on 11 protected resources it may not replace or delete.",
            "",
            GATE,
        ]);
        assert.deepEqual(d.impact.summary, { "data-loss": 12, blocked: 11, disruptive: 0, unknown: 0, safe: 15 });
        // The widget counts (summary) stay what the diff counts; the impact is beside them.
        assert.deepEqual(d.summary, { add: 0, update: 15, replace: 12, remove: 0, unchanged: 72 });
    });
});

describe("plan diff: the data-loss gate", () => {
    const report = classifyImpact(diffPlans(load("base"), load("data-loss")), load("base"), load("data-loss"));

    it("requires the merge request label allow-data-loss, and names who ran the pipeline that carries it", () => {
        assert.deepEqual(gateVerdict(report, {}), {
            required: true,
            optedIn: false,
            label: "allow-data-loss",
            fails: true,
        });
        assert.deepEqual(
            gateVerdict(report, { CI_MERGE_REQUEST_LABELS: "backend,allow-data-losses" }).fails,
            true,
            "a similar label is not the opt-in",
        );
        assert.deepEqual(
            gateVerdict(report, {
                CI_MERGE_REQUEST_LABELS: "backend,allow-data-loss",
                GITLAB_USER_LOGIN: "alice",
                CI_MERGE_REQUEST_IID: "42",
            }),
            {
                required: true,
                optedIn: true,
                label: "allow-data-loss",
                fails: false,
                by: "alice",
                mergeRequest: "!42",
            },
        );
        const safe = classifyImpact(diffPlans(load("base"), load("safe")), load("base"), load("safe"));
        assert.equal(gateVerdict(safe, {}).required, false);
    });

    it("the note says who opted in", () => {
        assert.deepEqual(
            note("data-loss", "base", {
                CI_MERGE_REQUEST_LABELS: "allow-data-loss",
                GITLAB_USER_LOGIN: "alice",
                CI_MERGE_REQUEST_IID: "42",
            }).slice(1, 3),
            [
                "**Data loss**: 1 S3 bucket would be deleted.",
                "**Opted in**: the merge request !42 carries the label `allow-data-loss`; this pipeline was started by @alice. The label's history on the merge request shows who added it.",
            ],
        );
    });

    it("as a command: --gate exits 1 without the opt-in, after writing the reports", async function () {
        this.timeout(60_000);
        const tsx = path.join(ROOT, "node_modules/.bin/tsx");
        const env = Object.fromEntries(
            Object.entries(process.env).filter(([k]) => !k.startsWith("CI_") && k !== "GITLAB_USER_LOGIN"),
        );
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-gate-"));
        const args = [
            "tools/plan-diff.ts",
            path.join(FIXTURES, "prod-base.json"),
            path.join(FIXTURES, "prod-name-prefix.json"),
            "--md",
            `${dir}/d.md`,
            "--json",
            `${dir}/d.json`,
            "--gate",
        ];
        try {
            const refused = await promisify(execFile)(tsx, args, { cwd: ROOT, env }).then(
                () => assert.fail("expected exit code 1"),
                (e: { code: number; stderr: string }) => e,
            );
            assert.equal(refused.code, 1);
            assert.match(
                refused.stderr,
                /plan:diff: gate: data loss or blocked changes \(see the impact section\); add the merge request label allow-data-loss to go ahead on purpose/,
            );
            assert.ok(
                fs.readFileSync(`${dir}/d.md`, "utf8").includes(GATE),
                "the note was written before the gate refused",
            );
            const json = JSON.parse(fs.readFileSync(`${dir}/d.json`, "utf8")) as {
                impact: { gate: { fails: boolean }; changes: Array<{ class: string }> };
            };
            assert.equal(json.impact.gate.fails, true);
            assert.equal(json.impact.changes.filter((c) => c.class === "data-loss").length, 12);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("plan diff: the impact table", () => {
    it("names a source for every type, and was checked against the pinned provider versions", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
            devDependencies?: Record<string, string>;
            dependencies?: Record<string, string>;
        };
        for (const [name, version] of Object.entries(CHECKED_VERSIONS)) {
            assert.equal(
                pkg.devDependencies?.[name] ?? pkg.dependencies?.[name],
                version,
                `${name}: re-check impact-rules.ts against the new version, then update CHECKED_VERSIONS`,
            );
        }
        for (const [type, rule] of Object.entries(IMPACT_TABLE)) {
            assert.ok(rule.source.length > 0 && rule.noun.length > 0, type);
            assert.ok(rule.holds !== undefined || rule.removal !== undefined, `${type}: says what a removal does`);
        }
    });

    it("has a rule for every input of the data services and GitLab's release in the prod plan", () => {
        const missing: string[] = [];
        for (const r of [...load("prod-base").resources, ...load("prod-name-prefix").resources]) {
            if (isOwnComponent(r.type)) continue;
            const rule = IMPACT_TABLE[r.type];
            if (!rule) {
                missing.push(r.type);
                continue;
            }
            const walk = (v: unknown, p: string): void => {
                if (p && propertyRule(rule, p)) return;
                if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0)
                    for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
                else missing.push(`${r.type} ${p}`);
            };
            walk(r.inputs, "");
        }
        assert.deepEqual([...new Set(missing)], []);
    });

    it("knows the stateful resources and the disruptive properties the issue names", () => {
        for (const t of [
            "aws:s3/bucket:Bucket",
            "aws:rds/instance:Instance",
            "aws:elasticache/replicationGroup:ReplicationGroup",
            "aws:kms/key:Key",
            "kubernetes:core/v1:PersistentVolumeClaim",
            "aws:eks/cluster:Cluster",
        ]) {
            assert.ok(IMPACT_TABLE[t].holds, `${t} holds data`);
        }
        const impact = (type: string, p: string) => propertyRule(IMPACT_TABLE[type], p)?.rule.impact;
        assert.equal(impact("aws:rds/instance:Instance", "instanceClass"), "disruptive");
        assert.equal(impact("aws:rds/instance:Instance", "engineVersion"), "disruptive");
        assert.equal(impact("aws:elasticache/replicationGroup:ReplicationGroup", "nodeType"), "disruptive");
        assert.equal(impact("aws:eks/cluster:Cluster", "version"), "disruptive");
        assert.equal(impact("aws:eks/nodeGroup:NodeGroup", "launchTemplate.version"), "disruptive");
        assert.equal(impact("aws:eks/nodeGroup:NodeGroup", "instanceTypes"), "replace");
        assert.equal(impact("kubernetes:helm.sh/v3:Release", "version"), "disruptive");
        assert.equal(impact("kubernetes:apps/v1:Deployment", "spec.template.spec.containers[0].image"), "disruptive");
        assert.equal(impact("kubernetes:apps/v1:Deployment", "spec.replicas"), "safe");
        assert.equal(impact("aws:rds/instance:Instance", "storageThroughput"), undefined, "unlisted: impact unknown");
        assert.deepEqual(forceNewInputs("aws:s3/bucket:Bucket"), ["bucket", "bucketPrefix", "objectLockEnabled"]);
        assert.equal(
            forceNewInputs("kubernetes:core/v1:Secret"),
            undefined,
            "Kubernetes replacements come from replace.ts",
        );
    });
});
