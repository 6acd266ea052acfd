/** Reading and writing offline plan files, shared by the plan, diff, policy and bench tools. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Plan } from "./format";

/** Writes a report, creating its directory. */
export function writeFile(file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, content);
}

/** Reads an offline plan, refusing anything that is not one. */
export function readPlan(file: string): Plan {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
    }
    const p = parsed as Partial<Plan> | null;
    if (!p || p.version !== 1 || !Array.isArray(p.resources) || typeof p.stack !== "string") {
        throw new Error(
            `${file}: not an offline plan (expected {"version": 1, "stack": ..., "resources": [...]} from npm run plan)`,
        );
    }
    return { version: 1, project: p.project ?? "", stack: p.stack, resources: p.resources, outputs: p.outputs ?? {} };
}
