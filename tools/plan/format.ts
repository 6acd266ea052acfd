/** The offline plan format (ARCHITECTURE.md): extend, never break. */
import type { PlannedResource } from "./engine";

export interface Plan {
    version: 1;
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
}
