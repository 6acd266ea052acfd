/**
 * Container image references: `[registry[:port]/]repository[:tag][@sha256:<digest>]`. An App deploys a
 * fixed version, so a reference needs a tag or a digest, and the moving tag `latest` is refused unless
 * the caller opts in.
 * @see https://github.com/distribution/reference/blob/main/reference.go
 */
import type { Problem } from "../errors";

/** The parts of an image reference. */
export interface ImageReference {
    /** Everything before the tag and digest, e.g. `registry.example.com/group/app`. */
    repository: string;
    tag?: string;
    digest?: string;
}

const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Splits an image reference. Pure; does not validate the parts. */
export function parseImage(image: string): ImageReference {
    const at = image.indexOf("@");
    const digest = at >= 0 ? image.slice(at + 1) : undefined;
    const name = at >= 0 ? image.slice(0, at) : image;
    const colon = name.lastIndexOf(":");
    // A colon before the last "/" belongs to the registry port, not to a tag.
    if (colon > name.lastIndexOf("/")) return { repository: name.slice(0, colon), tag: name.slice(colon + 1), digest };
    return { repository: name, digest };
}

/** Checks an image reference for {@link App}; messages name `field`. Pure. */
export function validateImage(image: string, allowLatest: boolean, field = "image"): Problem[] {
    const ref = parseImage(image.trim());
    if (image.trim() === "" || ref.repository === "" || /\s/.test(image)) {
        return [
            {
                path: field,
                message: `"${image}" is not an image reference (expected repository:tag or repository@sha256:<digest>)`,
            },
        ];
    }
    const problems: Problem[] = [];
    if (ref.tag === undefined && ref.digest === undefined) {
        problems.push({
            path: `${field}`,
            message: `"${image}" has neither a tag nor a digest (expected repository:tag or repository@sha256:<digest>, e.g. "${ref.repository}:1.2.3")`,
        });
    }
    if (ref.tag !== undefined && !TAG.test(ref.tag))
        problems.push({
            path: `${field}`,
            message: `tag "${ref.tag}" is not a valid tag (expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`,
        });
    if (ref.digest !== undefined && !DIGEST.test(ref.digest))
        problems.push({
            path: `${field}`,
            message: `digest "${ref.digest}" is not a sha256 digest (expected sha256: and 64 lowercase hex characters)`,
        });
    if (ref.tag === "latest" && ref.digest === undefined && !allowLatest) {
        problems.push({
            path: `${field}`,
            message: `"${image}" uses the moving tag "latest" (expected an exact tag or a digest; set allowLatest: true to accept it)`,
        });
    }
    return problems;
}
