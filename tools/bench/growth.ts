/** Statistics of the benchmark: medians, and how a cost grows with N (log-log slopes, affine fit). Pure. */

/** The median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
    if (values.length === 0) throw new Error("median: no values");
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A measured cost at size N. */
export interface Point {
    n: number;
    value: number;
}

/** Least-squares slope and intercept of y against x. */
export function linearFit(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
    if (xs.length !== ys.length || xs.length < 2) throw new Error("linearFit: need two or more (x, y) pairs");
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < xs.length; i++) {
        sxy += (xs[i] - mx) * (ys[i] - my);
        sxx += (xs[i] - mx) ** 2;
    }
    if (sxx === 0) throw new Error("linearFit: all x are equal");
    const slope = sxy / sxx;
    return { slope, intercept: my - slope * mx };
}

/**
 * The growth exponent k of value ~ N^k: the slope of log(value) against log(N). With a fixed cost
 * (process start, module loading) it is below 1 even when the variable cost is linear.
 */
export function growthExponent(points: readonly Point[]): number {
    return linearFit(
        points.map((p) => Math.log(p.n)),
        points.map((p) => Math.log(p.value)),
    ).slope;
}

/**
 * The growth exponent of the cost beyond the smallest size: the slope of log(value - value₀) against
 * log(N - N₀), N₀ being the smallest N. The fixed cost cancels, so linear growth gives 1 and quadratic 2.
 * NaN when a larger N does not cost more than the smallest.
 */
export function marginalExponent(points: readonly Point[]): number {
    const sorted = [...points].sort((a, b) => a.n - b.n);
    const [base, ...rest] = sorted;
    if (!base || rest.length < 2) throw new Error("marginalExponent: need three or more sizes");
    if (rest.some((p) => p.value <= base.value)) return Number.NaN;
    return growthExponent(rest.map((p) => ({ n: p.n - base.n, value: p.value - base.value })));
}

/** Fixed and per-item cost: the affine fit value = fixed + perItem × N. */
export function affineCost(points: readonly Point[]): { fixed: number; perItem: number } {
    const { slope, intercept } = linearFit(
        points.map((p) => p.n),
        points.map((p) => p.value),
    );
    return { fixed: intercept, perItem: slope };
}
