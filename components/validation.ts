/**
 * Name and quantity rules several components check. One definition each, so every component accepts
 * and refuses the same values.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const FACTOR: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

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

/** A Kubernetes quantity (`500m`, `2`, `256Mi`) as a number, or undefined when it is not one. */
export function parseQuantity(value: string): number | undefined {
    const m = QUANTITY.exec(value);
    return m ? Number(m[1]) * FACTOR[m[2] ?? ""] : undefined;
}

/** A DNS-1123 subdomain (Secret and most object names): dot-separated labels, at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
    return value.length <= 253 && value.split(".").every((l) => isDnsLabel(l));
}

/** A plain `{...}` object (not an array, class instance or null), e.g. chart values to merge. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
