/** The offline plan format (docs/ARCHITECTURE.md): extend, never break. */
import type { PlannedRead, PlannedResource } from "./engine";

/** How a secret value appears in a plan. */
export const SECRET = "[secret]";
/** How a value known only after the update appears in a plan. */
export const UNKNOWN = "[unknown]";

export interface Plan {
    version: 1;
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    /** Existing objects the program reads (not declared, so no diff shows them). */
    reads?: PlannedRead[];
}
