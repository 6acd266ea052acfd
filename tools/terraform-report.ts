/**
 * GitLab's Terraform MR widget report from a plan diff: `{ "create": n, "update": n, "delete": n }`, the
 * format of `artifacts:reports:terraform` (docs.gitlab.com user/infrastructure/iac/mr_integration, 17.4;
 * GitLab's own template builds it with jq from `terraform show --json`). A replacement deletes one
 * resource and creates another, so it counts on both sides: create = add + replace, delete = remove +
 * replace. Usage: `tsx tools/terraform-report.ts <plan diff JSON> <report JSON>`; exit 2 on bad input.
 */
import * as fs from "node:fs";

/** The counts of a plan diff's `summary` (tools/plan-diff). */
export interface DiffSummary {
    add: number;
    update: number;
    replace: number;
    remove: number;
}

/** GitLab's Terraform report. */
export interface TerraformReport {
    create: number;
    update: number;
    delete: number;
}

/** The report for one stack's plan diff; throws naming the field when the summary is not one. */
export function terraformReport(summary: unknown): TerraformReport {
    const s = (summary ?? {}) as Record<string, unknown>;
    const count = (key: keyof DiffSummary): number => {
        const v = s[key];
        if (!(typeof v === "number" && Number.isInteger(v) && v >= 0))
            throw new Error(
                `summary.${key}: ${JSON.stringify(v)} is not a count (expected a plan diff JSON from npm run plan:diff)`,
            );
        return v;
    };
    return {
        create: count("add") + count("replace"),
        update: count("update"),
        delete: count("remove") + count("replace"),
    };
}

function main(args: string[]): number {
    const [input, output] = args;
    if (!input || !output) {
        console.error("usage: tsx tools/terraform-report.ts <plan diff JSON> <report JSON>");
        return 2;
    }
    try {
        const diff = JSON.parse(fs.readFileSync(input, "utf8")) as { summary?: unknown };
        fs.writeFileSync(output, `${JSON.stringify(terraformReport(diff.summary))}\n`);
        return 0;
    } catch (e) {
        console.error(`terraform-report: ${input}: ${(e as Error).message}`);
        return 2;
    }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
