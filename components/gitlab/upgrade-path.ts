/**
 * GitLab's upgrade path as a pure check: a deploy that would jump over a required upgrade stop is
 * refused before anything is declared, naming the stops to go through, instead of the chart's
 * pre-upgrade hook failing in the middle of `pulumi up`.
 *
 * Required stops (docs.gitlab.com/update/upgrade_paths, checked December 2026): GitLab 17 stops at
 * 17.3, 17.5, 17.8 and 17.11; from 17.5 on stops fall at every x.2, x.5, x.8 and x.11. The chart
 * enforces the previous stop in its `_runcheck.tpl` (chart 9.10.0: `MIN_VERSION=18.8`).
 * @see https://docs.gitlab.com/update/upgrade_paths/
 */
import { GITLAB_CHART_RELEASES } from "../defaults";
import type { Problem } from "../errors";

/** A `major.minor.patch` GitLab version. */
export interface Version {
    readonly major: number;
    readonly minor: number;
    readonly patch: number;
}

/** Parses `18.10.0` or `v18.10.0`; `undefined` when it is not a version. Pure. */
export function parseVersion(text: string): Version | undefined {
    const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
    return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

const key = (v: { major: number; minor: number }) => v.major * 1000 + v.minor;

/** The stops listed for GitLab 17 before the x.2/x.5/x.8/x.11 rule took over at 17.5. */
const GITLAB_17_STOPS = [3, 5, 8, 11];
/** The minors every major from 18 on stops at. */
const SCHEDULED_STOP_MINORS = [2, 5, 8, 11];

/** Required upgrade stops (`major.minor`) of one GitLab major. Pure. */
export function requiredStops(major: number): string[] {
    if (major < 17) return [];
    return (major === 17 ? GITLAB_17_STOPS : SCHEDULED_STOP_MINORS).map((minor) => `${major}.${minor}`);
}

/** The required stops strictly between two GitLab versions, in order (`major.minor`). Pure. */
export function skippedStops(from: Version, to: Version): string[] {
    const stops: string[] = [];
    for (let major = from.major; major <= to.major; major++) {
        for (const stop of requiredStops(major)) {
            const [ma, mi] = stop.split(".").map(Number);
            if (key({ major: ma, minor: mi }) > key(from) && key({ major: ma, minor: mi }) < key(to)) stops.push(stop);
        }
    }
    return stops;
}

/** Annotations on GitLab's namespace recording what it runs and what ran before (the policy pack reads them). */
export const GITLAB_VERSION_ANNOTATION = "gitlab-platform.io/gitlab-version";
export const GITLAB_PREVIOUS_VERSION_ANNOTATION = "gitlab-platform.io/previous-gitlab-version";

/**
 * The problems of going from the GitLab version a stack deployed to the one a chart version ships:
 * downgrades, and every required stop strictly between the two, listed in order. Pure.
 * @param field the stack key naming the target, for messages (e.g. `gitlab.chartVersion`)
 */
export function upgradePathProblems(
    deployed: string | undefined,
    chartVersion: string,
    field = "gitlab.chartVersion",
): Problem[] {
    const release = GITLAB_CHART_RELEASES[chartVersion];
    if (!release) {
        return [
            {
                path: field,
                message: `${chartVersion} is not a chart version this package knows (expected one of: ${Object.keys(GITLAB_CHART_RELEASES).join(", ")})`,
            },
        ];
    }
    if (deployed === undefined) return [];
    const from = parseVersion(deployed);
    const to = parseVersion(release.gitlab)!;
    if (!from)
        return [
            {
                path: field,
                message: `the deployed GitLab version ${JSON.stringify(deployed)} in the stack's gitlabVersion output is not a version (expected major.minor.patch)`,
            },
        ];
    if (key(to) < key(from) || (key(to) === key(from) && to.patch < from.patch)) {
        return [
            {
                path: field,
                message: `${chartVersion} ships GitLab ${release.gitlab}, older than the deployed ${deployed} (expected no downgrade: GitLab does not support them; restore a backup instead)`,
            },
        ];
    }
    const stops = skippedStops(from, to);
    if (stops.length === 0) return [];
    const charts = stops.map((s) => {
        const chart = Object.entries(GITLAB_CHART_RELEASES).find(([, r]) => r.gitlab.startsWith(`${s}.`))?.[0];
        return chart ? `${s} (chart ${chart})` : `${s} (no chart in GITLAB_CHART_RELEASES yet)`;
    });
    return [
        {
            path: field,
            message: `${chartVersion} (GitLab ${release.gitlab}) skips required upgrade stop${stops.length > 1 ? "s" : ""} from the deployed GitLab ${deployed} (expected to deploy ${charts.join(", then ")} first, letting background migrations finish after each: https://docs.gitlab.com/update/upgrade_paths/)`,
        },
    ];
}

/**
 * A chart release's documented prerequisites the stack can check: the PostgreSQL major version. Pure.
 * @param postgresMajor the major version of the stack's PostgreSQL, when the stack knows it
 */
export function upgradePrerequisiteProblems(
    chartVersion: string,
    postgresMajor: number | undefined,
    field = "gitlab.chartVersion",
): Problem[] {
    const release = GITLAB_CHART_RELEASES[chartVersion];
    if (!release || postgresMajor === undefined || postgresMajor >= release.minPostgresMajor) return [];
    return [
        {
            path: field,
            message: `${chartVersion} (GitLab ${release.gitlab}) needs PostgreSQL ${release.minPostgresMajor} or newer, the stack's is ${postgresMajor} (expected the database upgraded first)`,
        },
    ];
}
