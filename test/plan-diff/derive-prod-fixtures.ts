/**
 * Regenerates test/fixtures/plans/impact/prod-{base,name-prefix}.json from the real offline plans of
 * Pulumi.prod.yaml, without and with `data.namePrefix` (about 25 s, so not part of the test run):
 *
 *   npx tsx test/plan-diff/derive-prod-fixtures.ts
 *
 * Both plans keep only the data services, GitLab's release and their ancestors, so the fixtures stay small.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { Plan } from "../../tools/plan/format";
import { planStack } from "../../tools/plan/plan-stack";

const ROOT = path.join(__dirname, "../..");
const OUT = path.join(ROOT, "test/fixtures/plans/impact");
export const NAME_PREFIX = "acme-gitlab-prod";

function subset(p: Plan): Plan {
    const byUrn = new Map(p.resources.map((r) => [r.urn, r]));
    const keep = new Set<string>();
    const ancestors = (urn: string): string[] => {
        const out: string[] = [];
        for (let u = byUrn.get(urn)?.parent ?? null; u; u = byUrn.get(u)?.parent ?? null) out.push(byUrn.get(u)!.type);
        return out;
    };
    const isData = (r: Plan["resources"][number]) =>
        r.type === "gitlab-platform:data:AwsDataServices" ||
        ancestors(r.urn).includes("gitlab-platform:data:AwsDataServices");
    const wanted = p.resources.filter(
        (r) => isData(r) || (r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "gitlab"),
    );
    for (const r of wanted)
        for (let u: string | null = r.urn; u && !keep.has(u); u = byUrn.get(u)?.parent ?? null) keep.add(u);
    const resources = p.resources
        .filter((r) => keep.has(r.urn))
        .map((r) => ({
            ...r,
            dependsOn: r.dependsOn.filter((d) => keep.has(d)),
            provider: r.provider && keep.has(r.provider) ? r.provider : null,
        }));
    return { ...p, resources, outputs: {} };
}

async function main(): Promise<void> {
    const doc = parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")) as {
        config: Record<string, Record<string, unknown>>;
    };
    const data = { ...doc.config["gitlab-platform:data"], namePrefix: NAME_PREFIX };
    const base = await planStack({ dir: ROOT, stack: "prod" });
    const head = await planStack({
        dir: ROOT,
        stack: "prod",
        overrides: { "gitlab-platform:data": JSON.stringify(data) },
    });
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, "prod-base.json"), JSON.stringify(subset(base), null, 1) + "\n");
    fs.writeFileSync(path.join(OUT, "prod-name-prefix.json"), JSON.stringify(subset(head), null, 1) + "\n");
}

if (require.main === module) {
    main().then(
        () => console.log(`wrote ${OUT}/prod-base.json and prod-name-prefix.json`),
        (err: unknown) => {
            console.error(err);
            process.exit(1);
        },
    );
}
