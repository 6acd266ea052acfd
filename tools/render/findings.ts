/** What the render checks report: one finding per problem, naming the release, the object and the fix. */
export type Severity = "error" | "warning";

export interface Finding {
    severity: Severity;
    /** Which check found it: helm, secret, pod-security, schema, values, runner-config, chart. */
    check: string;
    /** `<namespace>/<release>`. */
    release: string;
    /** `Kind/name`, or the values key, or `-`. */
    object: string;
    message: string;
    fix: string;
}

export function formatFinding(f: Finding): string {
    return `${f.severity.toUpperCase()} [${f.check}] ${f.release} ${f.object}: ${f.message}\n    fix: ${f.fix}`;
}
