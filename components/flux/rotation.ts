/**
 * Deploy-token rotation as a pure schedule. GitLab cannot rotate a deploy token, so rotation is done by
 * minting a new one per period: time is cut into fixed periods of `periodDays` counted from the Unix
 * epoch (UTC), and period `g` owns token generation `g`, valid from the start of its period for
 * `validityDays`. At any time two generations are declared: the current one, which the registry Secret
 * uses, and the previous one, kept (still valid) so that nothing that read the old credentials a moment
 * ago fails; the generation before that leaves the program and Pulumi revokes it after the Secret has
 * switched. The schedule depends only on the date, so repeated deployments within a period change nothing.
 */
import type { Problem } from "../errors";

const DAY_MS = 24 * 60 * 60 * 1000;

/** How deploy tokens are rotated. */
export interface TokenRotation {
    /** Days between two token generations. */
    periodDays: number;
    /** Days a token is valid from the start of its period; at least two periods. */
    validityDays: number;
}

/** One token generation of the schedule. */
export interface TokenGeneration {
    /** Generation number: whole periods since 1970-01-01 UTC. */
    generation: number;
    /** First day of the generation's period (`YYYY-MM-DD`, UTC). */
    startsOn: string;
    /** When GitLab expires the token (`YYYY-MM-DDT00:00:00Z`). */
    expiresAt: string;
}

/** Checks a rotation; one `<field>: ...` message per problem, fields prefixed with `field`. Pure. */
export function validateRotation(r: TokenRotation, field = "rotation"): Problem[] {
    const problems: Problem[] = [];
    if (!Number.isInteger(r.periodDays) || r.periodDays < 1) {
        problems.push({
            path: `${field}.periodDays`,
            message: `${r.periodDays} is not a positive whole number of days (expected e.g. 30)`,
        });
    } else if (!Number.isInteger(r.validityDays) || r.validityDays < 2 * r.periodDays) {
        problems.push({
            path: `${field}.validityDays`,
            message: `${r.validityDays} is shorter than two periods (expected a whole number >= ${2 * r.periodDays}, so the previous token stays valid while the current one is in use)`,
        });
    }
    return problems;
}

function generationAt(g: number, r: TokenRotation): TokenGeneration {
    const start = g * r.periodDays * DAY_MS;
    return {
        generation: g,
        startsOn: new Date(start).toISOString().slice(0, 10),
        expiresAt: `${new Date(start + r.validityDays * DAY_MS).toISOString().slice(0, 10)}T00:00:00Z`,
    };
}

/**
 * The token generations to declare at `now`: `current` (the Secret uses it) and `previous` (kept until
 * it leaves the window). Pure; `r` must pass {@link validateRotation}.
 */
export function tokenGenerations(now: Date, r: TokenRotation): { current: TokenGeneration; previous: TokenGeneration } {
    const g = Math.floor(now.getTime() / DAY_MS / r.periodDays);
    return { current: generationAt(g, r), previous: generationAt(g - 1, r) };
}
