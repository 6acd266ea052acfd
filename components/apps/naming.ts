/**
 * Branch names to Kubernetes names. A branch name may hold anything Git allows (slashes, capitals,
 * unicode, hundreds of characters); a namespace name is a DNS-1123 label: lowercase alphanumerics and
 * "-", starting and ending alphanumeric, at most 63 characters. The mapping is pure and stable, and
 * whenever it had to change or shorten the name it appends a short hash of the original, so two
 * branches never share a name (`feature/a` vs `feature-a`, or two long names with a common prefix).
 */
import { createHash } from "node:crypto";
import { REVIEW_NAMESPACE_PREFIX, REVIEW_SLUG_MAX_LENGTH } from "../defaults";

/** Hex characters of the SHA-256 of the original name appended when the name had to change. */
export const NAME_HASH_LENGTH = 8;

/** Letters that Unicode decomposition does not reduce to ASCII, spelled the usual way. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
    ß: "ss",
    æ: "ae",
    œ: "oe",
    ø: "o",
    đ: "d",
    ð: "d",
    þ: "th",
    ł: "l",
    ı: "i",
    ŋ: "ng",
    ħ: "h",
};

/** Options of {@link dnsLabel}. */
export interface DnsLabelOptions {
    /** Longest result; at most 63. @default 63 */
    maxLength?: number;
    /**
     * Start with a letter (DNS-1035 names such as Services need one); a leading digit gets an `x` in front.
     * @default false
     */
    letterStart?: boolean;
}

/** Lowercase, ASCII-only, "-" for every run of anything else, no "-" at either end. */
function simplify(input: string): string {
    const folded = input
        .toLowerCase()
        .replace(/[ßæœøđðþłıŋħ]/g, (c) => TRANSLITERATIONS[c])
        .normalize("NFKD")
        .replace(/\p{M}/gu, "");
    return folded.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * A DNS-1123 label for `input`. Identity for a name that already is one (and fits); otherwise the
 * simplified name, cut to leave room, plus `-` and `NAME_HASH_LENGTH` hex characters of the
 * SHA-256 of `input`. Pure.
 */
export function dnsLabel(input: string, options: DnsLabelOptions = {}): string {
    const maxLength = Math.min(options.maxLength ?? 63, 63);
    let body = simplify(input);
    if (options.letterStart && !/^[a-z]/.test(body)) body = `x${body === "" ? "" : `-${body}`}`;
    if (body !== "" && body === input && body.length <= maxLength) return body;
    const hash = createHash("sha256").update(input, "utf8").digest("hex").slice(0, NAME_HASH_LENGTH);
    const room = maxLength - NAME_HASH_LENGTH - 1;
    const head = body.slice(0, Math.max(room, 0)).replace(/-+$/, "");
    if (head === "") return options.letterStart ? `x${hash}`.slice(0, maxLength) : hash;
    return `${head}-${hash}`;
}

/**
 * The review slug of a branch: a DNS label short enough that `review-<slug>` is one too. It is the
 * host label of the review app (`<slug>.<review domain>`) and the value of its slug label. Pure.
 */
export function reviewSlug(branch: string): string {
    return dnsLabel(branch, { maxLength: REVIEW_SLUG_MAX_LENGTH });
}

/** The namespace of a branch's review app: `review-<slug>`. Pure. */
export function reviewNamespaceName(branch: string): string {
    return `${REVIEW_NAMESPACE_PREFIX}${reviewSlug(branch)}`;
}
