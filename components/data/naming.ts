/**
 * Pure checks of names that reach external services: host names, ports, bucket names. Each returns
 * `undefined` when the value is fine, else the tail of a `<field>: <problem> (expected ...)` message.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Whether `value` is a dotted IPv4 address. */
export function isIPv4(value: string): boolean {
    return IPV4.test(value);
}

/** A DNS name (RFC 1123 labels, at most 253 characters) or an IPv4 address; no scheme, port or path. */
export function hostnameProblem(value: string): string | undefined {
    if (/^[a-z]+:\/\//i.test(value) || /[:/]/.test(value))
        return "not a host name (expected a DNS name or IPv4 address, without scheme, port or path)";
    if (isIPv4(value)) return undefined;
    const name = value.endsWith(".") ? value.slice(0, -1) : value;
    if (name.length === 0 || name.length > 253 || !name.split(".").every((l) => DNS_LABEL.test(l))) {
        return "not a host name (expected a DNS name or IPv4 address, without scheme, port or path)";
    }
    return undefined;
}

/** A public DNS domain with at least two labels, lower case (GitLab derives gitlab.<domain> etc.). */
export function domainProblem(value: string): string | undefined {
    if (
        value !== value.toLowerCase() ||
        isIPv4(value) ||
        hostnameProblem(value) !== undefined ||
        !value.includes(".") ||
        value.endsWith(".")
    ) {
        return "not a DNS domain (expected a lower-case domain such as example.com, without scheme or trailing dot)";
    }
    if (value.length > 253 - "registry.".length)
        return "too long (expected at most 244 characters, so that registry.<domain> stays a valid name)";
    return undefined;
}

/** A TCP port number. */
export function portProblem(value: number): string | undefined {
    return Number.isInteger(value) && value >= 1 && value <= 65535
        ? undefined
        : "not a TCP port (expected an integer from 1 to 65535)";
}

const S3_FORBIDDEN_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_FORBIDDEN_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * Amazon S3 general purpose bucket naming rules: 3-63 characters of lower-case letters, digits, dots and
 * hyphens, starting and ending with a letter or digit, no `..`, not an IP address, none of the reserved
 * prefixes and suffixes.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function s3BucketNameProblem(name: string): string | undefined {
    const expected =
        "(expected 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit)";
    if (name.length < 3 || name.length > 63) return `has ${name.length} characters ${expected}`;
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return `has a character S3 does not allow ${expected}`;
    if (name.includes("..")) return "has two adjacent dots (expected single dots between labels)";
    if (isIPv4(name)) return "looks like an IP address (expected a name, not an address)";
    const prefix = S3_FORBIDDEN_PREFIXES.find((p) => name.startsWith(p));
    if (prefix) return `starts with the reserved prefix ${prefix} (expected another prefix)`;
    const suffix = S3_FORBIDDEN_SUFFIXES.find((s) => name.endsWith(s));
    if (suffix) return `ends with the reserved suffix ${suffix} (expected another suffix)`;
    return undefined;
}

/**
 * Google Cloud Storage bucket naming rules: 3-63 characters (222 with dots, 63 per dotted part) of
 * lower-case letters, digits, hyphens, underscores and dots, starting and ending with a letter or digit,
 * not an IP address, not starting with `goog`, not containing `google`.
 * @see https://cloud.google.com/storage/docs/buckets#naming
 */
export function gcsBucketNameProblem(name: string): string | undefined {
    const expected =
        "(expected 3-63 lower-case letters, digits, hyphens, underscores or dots, starting and ending with a letter or digit)";
    const max = name.includes(".") ? 222 : 63;
    if (name.length < 3 || name.length > max || name.split(".").some((p) => p.length > 63))
        return `has a length Cloud Storage does not allow ${expected}`;
    if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(name)) return `has a character Cloud Storage does not allow ${expected}`;
    if (isIPv4(name)) return "looks like an IP address (expected a name, not an address)";
    if (name.startsWith("goog") || name.includes("google"))
        return "uses the reserved word goog/google (expected another name)";
    return undefined;
}

/** Bucket name rules of the provider. */
export function bucketNameProblem(name: string, provider: "aws" | "google"): string | undefined {
    return provider === "aws" ? s3BucketNameProblem(name) : gcsBucketNameProblem(name);
}
