/** Medians and growth exponents of the scale benchmark. */
import { strict as assert } from "node:assert";
import { affineCost, growthExponent, linearFit, marginalExponent, median } from "../../tools/bench/growth";

const close = (actual: number, expected: number) =>
    assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≉ ${expected}`);
const sizes = [10, 100, 1000];

describe("bench: growth", () => {
    it("takes the median of odd and even counts", () => {
        assert.equal(median([5, 1, 3]), 3);
        assert.equal(median([4, 1, 3, 2]), 2.5);
        assert.throws(() => median([]), /no values/);
    });

    it("fits a line exactly through collinear points", () => {
        const { slope, intercept } = linearFit([1, 2, 3], [5, 7, 9]);
        close(slope, 2);
        close(intercept, 3);
        assert.throws(() => linearFit([1, 1], [2, 3]), /all x are equal/);
    });

    it("finds the exponent of a power law", () => {
        close(growthExponent(sizes.map((n) => ({ n, value: 3 * n }))), 1);
        close(growthExponent(sizes.map((n) => ({ n, value: 0.5 * n * n }))), 2);
    });

    it("removes the fixed cost in the marginal exponent", () => {
        const linear = sizes.map((n) => ({ n, value: 2.5 + 0.01 * n }));
        assert.ok(growthExponent(linear) < 0.8, "a fixed cost hides linear growth in the plain exponent");
        close(marginalExponent(linear), 1);
        close(marginalExponent(sizes.map((n) => ({ n, value: 2.5 + 1e-4 * (n - 10) ** 2 }))), 2);
        assert.ok(
            Number.isNaN(
                marginalExponent([
                    { n: 10, value: 3 },
                    { n: 100, value: 2 },
                    { n: 1000, value: 4 },
                ]),
            ),
        );
        assert.throws(() => marginalExponent(linear.slice(0, 2)), /three or more/);
    });

    it("splits a cost into fixed and per-item parts", () => {
        const { fixed, perItem } = affineCost(sizes.map((n) => ({ n, value: 2.5 + 0.01 * n })));
        close(fixed, 2.5);
        close(perItem, 0.01);
    });
});
