import { strict as assert } from "node:assert";
import { tokenGenerations, validateRotation } from "../../components/flux/rotation";
import { lines } from "../helpers/problems";

describe("deploy-token rotation schedule", () => {
    const rotation = { periodDays: 30, validityDays: 60 };

    it("cuts time into fixed periods from the epoch: generation, start and expiry", () => {
        // 2026-11-22 is day 20779 since 1970-01-01; 20779 / 30 = 692.6 -> generation 692, starting day 20760.
        const table: [string, { current: [number, string, string]; previous: [number, string, string] }][] = [
            [
                "2026-11-22T12:00:00Z",
                {
                    current: [692, "2026-11-03", "2027-01-02T00:00:00Z"],
                    previous: [691, "2026-10-04", "2026-12-03T00:00:00Z"],
                },
            ],
            // The first instant of a period belongs to it; the last one to the one before.
            [
                "2026-11-03T00:00:00Z",
                {
                    current: [692, "2026-11-03", "2027-01-02T00:00:00Z"],
                    previous: [691, "2026-10-04", "2026-12-03T00:00:00Z"],
                },
            ],
            [
                "2026-11-02T23:59:59Z",
                {
                    current: [691, "2026-10-04", "2026-12-03T00:00:00Z"],
                    previous: [690, "2026-09-04", "2026-11-03T00:00:00Z"],
                },
            ],
        ];
        for (const [now, want] of table) {
            const { current, previous } = tokenGenerations(new Date(now), rotation);
            assert.deepStrictEqual([current.generation, current.startsOn, current.expiresAt], want.current, now);
            assert.deepStrictEqual([previous.generation, previous.startsOn, previous.expiresAt], want.previous, now);
        }
    });

    it("is stable within a period and moves one generation at the boundary", () => {
        const a = tokenGenerations(new Date("2026-11-03T00:00:00Z"), rotation);
        const b = tokenGenerations(new Date("2026-12-02T23:00:00Z"), rotation);
        const c = tokenGenerations(new Date("2026-12-03T00:00:00Z"), rotation);
        assert.deepStrictEqual(a, b);
        assert.equal(c.current.generation, a.current.generation + 1);
        assert.deepStrictEqual(c.previous, a.current);
    });

    it("keeps both declared tokens valid at any time", () => {
        for (let day = 0; day < 120; day += 7) {
            const now = new Date(Date.UTC(2026, 10, 1) + day * 86_400_000);
            const { current, previous } = tokenGenerations(now, rotation);
            assert.ok(new Date(previous.expiresAt) > now, `previous expired at ${now.toISOString()}`);
            assert.ok(new Date(current.expiresAt) > new Date(previous.expiresAt));
        }
    });

    it("refuses periods that are not whole days and windows shorter than two periods", () => {
        assert.deepStrictEqual(lines(validateRotation(rotation)), []);
        assert.deepStrictEqual(lines(validateRotation({ periodDays: 0, validityDays: 60 })), [
            "rotation.periodDays: 0 is not a positive whole number of days (expected e.g. 30)",
        ]);
        assert.deepStrictEqual(lines(validateRotation({ periodDays: 7.5, validityDays: 60 }, "sync.rotation")), [
            "sync.rotation.periodDays: 7.5 is not a positive whole number of days (expected e.g. 30)",
        ]);
        assert.deepStrictEqual(lines(validateRotation({ periodDays: 30, validityDays: 45 })), [
            "rotation.validityDays: 45 is shorter than two periods (expected a whole number >= 60, so the previous token stays valid while the current one is in use)",
        ]);
    });
});
