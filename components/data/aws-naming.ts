/**
 * Pure naming of the AWS data services: one S3 bucket per GitLab object type, `<prefix>-<type>`, and
 * the final snapshot identifiers. The prefix defaults to `<project>-<stack>`.
 *
 * Why names never collide: prefixes are lower-case words joined by single hyphens, and no type's slug
 * ends with `-<another slug>` ({@link slugSuffixClashes} checks this), so `<p1>-<t1>` equals
 * `<p2>-<t2>` only when `p1 = p2` and `t1 = t2`. Within one project, distinct stacks give distinct
 * prefixes. Stack names are not lower-cased silently: `Prod` and `prod` would share buckets, so a
 * prefix with upper-case letters is rejected instead (set `namePrefix` explicitly).
 */
import { GITLAB_BUCKET_TYPES, type GitLabBucketType } from "./connection";
import { s3BucketNameProblem } from "./naming";
import type { Problem } from "../errors";

/** `externalDiffs` -> `external-diffs`. */
export function bucketTypeSlug(type: GitLabBucketType): string {
    return type.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The default prefix of a stack's AWS names. */
export function defaultNamePrefix(project: string, stack: string): string {
    return `${project}-${stack}`;
}

/** Bucket name of each type for a prefix. Pure. */
export function gitlabBucketNames(prefix: string): Record<GitLabBucketType, string> {
    return Object.fromEntries(GITLAB_BUCKET_TYPES.map((t) => [t, `${prefix}-${bucketTypeSlug(t)}`])) as Record<
        GitLabBucketType,
        string
    >;
}

/** Pairs of types where one slug is a hyphen-suffix of the other (would let two prefixes collide). */
export function slugSuffixClashes(types: readonly GitLabBucketType[] = GITLAB_BUCKET_TYPES): string[] {
    const clashes: string[] = [];
    for (const a of types)
        for (const b of types)
            if (
                a !== b &&
                (bucketTypeSlug(a) === bucketTypeSlug(b) || bucketTypeSlug(a).endsWith(`-${bucketTypeSlug(b)}`))
            )
                clashes.push(`${a}/${b}`);
    return clashes;
}

/** Names two or more (prefix, type) pairs share, across all the given prefixes. Pure. */
export function bucketNameCollisions(prefixes: readonly string[]): string[] {
    const owners = new Map<string, string[]>();
    for (const prefix of prefixes) {
        for (const [type, name] of Object.entries(gitlabBucketNames(prefix)))
            owners.set(name, [...(owners.get(name) ?? []), `${prefix}:${type}`]);
    }
    return [...owners.entries()].filter(([, o]) => o.length > 1).map(([name, o]) => `${name} (${o.join(", ")})`);
}

/** Longest slug, which bounds the prefix length (S3 names have at most 63 characters). */
const LONGEST_SLUG = Math.max(...GITLAB_BUCKET_TYPES.map((t) => bucketTypeSlug(t).length));

/** Problems of a name prefix, `namePrefix: <problem> (expected ...)`. Pure. */
export function validateNamePrefix(prefix: string): Problem[] {
    const max = 63 - LONGEST_SLUG - 1;
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(prefix)) {
        return [
            {
                path: "namePrefix",
                message: `"${prefix}" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)`,
            },
        ];
    }
    if (prefix.length > max)
        return [
            {
                path: "namePrefix",
                message: `"${prefix}" has ${prefix.length} characters (expected at most ${max}, so that ${prefix}-${"x".repeat(LONGEST_SLUG)} fits S3's 63)`,
            },
        ];
    return Object.values(gitlabBucketNames(prefix)).flatMap((name) => {
        const problem = s3BucketNameProblem(name);
        return problem ? [{ path: "namePrefix", message: `bucket name ${name} ${problem}` }] : [];
    });
}

/**
 * Identifier of the snapshot RDS or ElastiCache takes when the stack deletes the resource. Derived from
 * the prefix, so a second destroy of the same stack fails until the old snapshot is renamed or deleted
 * (never silently overwritten).
 */
export function finalSnapshotIdentifier(prefix: string, service: "postgres" | "redis" | "redis-cache"): string {
    return `${prefix}-${service}-final`;
}
