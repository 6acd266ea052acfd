/**
 * Name and quantity rules several components check. One definition each, so every component accepts
 * and refuses the same values.
 */

import type { Problem } from "../errors";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/**
 * The Kubernetes quantity grammar (k8s.io/apimachinery pkg/api/resource/quantity.go, checked against
 * v0.34): `<sign>?<number><suffix>`, where a number is `1`, `1.5`, `1.` or `.5`, and the suffix is a
 * binary SI one (Ki..Ei), a decimal SI one (n, u, m, none, k, M, G, T, P, E) or a decimal exponent
 * (`e3`, `E-2`). A suffix is tried before an exponent, so `1E` is one exa.
 */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;
const FACTOR: Record<string, number> = {
    "": 1,
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};

/**
 * A DNS-1123 label (Kubernetes namespace and object names, GitLab agent names): lowercase letters,
 * digits and `-`, alphanumeric at both ends, at most `max` characters.
 */
export function isDnsLabel(value: string, max = 63): boolean {
    return value.length <= max && DNS_LABEL.test(value);
}

/** A DNS-1035 label (Service and Deployment names): as {@link isDnsLabel}, starting with a letter. */
export function isDns1035Label(value: string): boolean {
    return value.length <= 63 && DNS_1035_LABEL.test(value);
}

/** A lower-case DNS name of at least two labels, e.g. `review.example.com`. */
export function isDnsName(value: string): boolean {
    const labels = value.split(".");
    return value.length <= 253 && labels.length >= 2 && labels.every((l) => isDnsLabel(l));
}

/** A Kubernetes quantity (`500m`, `2`, `256Mi`, `1e3`) as a number, or undefined when it is not one. */
export function parseQuantity(value: string): number | undefined {
    const m = QUANTITY.exec(value);
    if (!m) return undefined;
    return m[3] !== undefined ? Number(m[1]) * 10 ** Number(m[3]) : Number(m[1]) * FACTOR[m[2] ?? ""];
}

/** A quantity for a container's requests and limits: the grammar above, and not negative. */
export function parseResourceQuantity(value: string): number | undefined {
    const n = parseQuantity(value);
    return n !== undefined && n >= 0 ? n : undefined;
}

/** An e-mail address as the ACME account and alarm subscriptions take it: `local@domain.tld`, no spaces. */
export function isEmail(value: string): boolean {
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** A DNS-1123 subdomain (Secret and most object names): dot-separated labels, at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
    return value.length <= 253 && value.split(".").every((l) => isDnsLabel(l));
}

/** A plain `{...}` object (not an array, class instance or null), e.g. chart values to merge. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Problems of CPU/memory quantities by key (`{cpu: "500m", memory: "512MB"}`), each at `<field>.<key>`:
 * one grammar, one message, for apps, review apps and runners alike.
 */
export function quantityProblems(field: string, quantities: object): Problem[] {
    const problems: Problem[] = [];
    for (const [key, value] of Object.entries(quantities) as [string, unknown][]) {
        if (typeof value === "string" && parseResourceQuantity(value) === undefined) {
            problems.push({
                path: `${field}.${key}`,
                message: `"${value}" is not a Kubernetes quantity (expected e.g. 500m, 2, 512Mi, 4Gi, 1e3)`,
            });
        }
    }
    return problems;
}

/**
 * A GitLab project named by id or full path, when known: not empty, no surrounding `/`, no spaces.
 * An Output (not yet known) is not checked.
 */
export function projectProblems(project: unknown, path = "project"): Problem[] {
    if (typeof project !== "string") return [];
    if (project.trim() === "")
        return [{ path, message: "empty (expected the project's full path, e.g. group/project, or its numeric id)" }];
    if (!/^(\d+|[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+)$/.test(project)) {
        return [{ path, message: `"${project}" is not a project path (expected group/project, or the numeric id)` }];
    }
    return [];
}

const SEMVER_VERSION = String.raw`v?(0|[1-9]\d*|[xX*])(\.(0|[1-9]\d*|[xX*])){0,2}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?`;
const SEMVER_COMPARATOR = new RegExp(String.raw`^(=|!=|>=|<=|>|<|~>|~|\^)?\s*${SEMVER_VERSION}$`);
const SEMVER_HYPHEN = new RegExp(String.raw`^${SEMVER_VERSION}\s+-\s+${SEMVER_VERSION}$`);

/**
 * A semver range as Flux reads it (Masterminds/semver v3 constraints, checked against v3.4): ranges
 * joined by `||`, each comparators joined by spaces or commas (`>=1.0.0 <2.0.0`, `~1.2`, `^1`, `1.x`),
 * or a hyphen range (`1.0 - 2.0`).
 */
export function isSemverRange(range: string): boolean {
    const alternatives = range.split("||").map((a) => a.trim());
    return alternatives.every((a) => {
        if (a === "") return false;
        if (SEMVER_HYPHEN.test(a)) return true;
        // Operators may be separated from their version by spaces: join them before splitting.
        const comparators = a
            .replace(/(=|!=|>=|<=|>|<|~>|~|\^)\s+/g, "$1")
            .split(/[\s,]+/)
            .filter((c) => c !== "");
        return comparators.length > 0 && comparators.every((c) => SEMVER_COMPARATOR.test(c));
    });
}
