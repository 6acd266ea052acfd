import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { dnsLabel, reviewNamespaceName, reviewSlug } from "../../components/apps/naming";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const hash8 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex").slice(0, 8);

describe("review naming", () => {
    it("keeps a name that already is a DNS label and hashes every name it had to change", () => {
        const table: [string, string][] = [
            ["main", "main"],
            ["fix-login-42", "fix-login-42"],
            ["feature/login", `feature-login-${hash8("feature/login")}`],
            ["Feature-Login", `feature-login-${hash8("Feature-Login")}`],
            ["--weird--", `weird-${hash8("--weird--")}`],
            ["123-hotfix", "123-hotfix"],
        ];
        for (const [branch, want] of table) assert.equal(dnsLabel(branch), want, branch);
    });

    it("transliterates accented and special letters and strips what has no ASCII form", () => {
        const table: [string, string][] = [
            ["feature/café-ünïcödé", `feature-cafe-unicode-${hash8("feature/café-ünïcödé")}`],
            ["straße-øl-łódź", `strasse-ol-lodz-${hash8("straße-øl-łódź")}`],
            ["修复/登录", hash8("修复/登录")],
            ["fix/日本語-login", `fix-login-${hash8("fix/日本語-login")}`],
            ["🚀", hash8("🚀")],
        ];
        for (const [branch, want] of table) assert.equal(dnsLabel(branch), want, branch);
    });

    it("gives names that need a letter first an x in front (and a hash, since the name changed)", () => {
        assert.equal(dnsLabel("123-hotfix", { letterStart: true }), `x-123-hotfix-${hash8("123-hotfix")}`);
        assert.equal(dnsLabel("hotfix", { letterStart: true }), "hotfix");
        assert.equal(dnsLabel("日本", { letterStart: true }), `x-${hash8("日本")}`);
    });

    it("cuts long names to the limit with the hash of the full name", () => {
        const long = `feature/${"a".repeat(100)}`;
        const label = dnsLabel(long);
        assert.equal(label.length, 63);
        assert.equal(label, `feature-${"a".repeat(46)}-${hash8(long)}`);
        // A name of exactly 63 valid characters is kept; one more and it is cut and hashed.
        assert.equal(dnsLabel("b".repeat(63)), "b".repeat(63));
        assert.equal(dnsLabel("b".repeat(64)), `${"b".repeat(54)}-${hash8("b".repeat(64))}`);
    });

    it("gives two long branches sharing their first 63 characters different names", () => {
        const prefix = `feature/${"shared-prefix-".repeat(5)}`;
        assert.ok(prefix.length >= 63);
        const a = reviewSlug(`${prefix}one`);
        const b = reviewSlug(`${prefix}two`);
        assert.notEqual(a, b);
        assert.equal(a.slice(0, -9), b.slice(0, -9), "same readable part, different hash");
        assert.notEqual(reviewNamespaceName(`${prefix}one`), reviewNamespaceName(`${prefix}two`));
    });

    it("keeps review-<slug> a DNS label of at most 63 characters", () => {
        const ns = reviewNamespaceName(`release/${"x".repeat(200)}`);
        assert.ok(ns.startsWith("review-release-x"));
        assert.equal(ns.length, 63);
        assert.equal(reviewSlug("main"), "main");
        assert.equal(reviewNamespaceName("main"), "review-main");
    });

    it("always yields a DNS label, stable for the same input (any string)", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary", maxLength: 120 }), fc.boolean(), (branch, letterStart) => {
                const label = dnsLabel(branch, { letterStart });
                assert.ok(label.length >= 1 && label.length <= 63, label);
                assert.match(label, DNS_LABEL);
                if (letterStart) assert.match(label, /^[a-z]/);
                assert.equal(dnsLabel(branch, { letterStart }), label);
                const ns = reviewNamespaceName(branch);
                assert.ok(ns.length <= 63 && DNS_LABEL.test(ns), ns);
            }),
            { numRuns: 150 },
        );
    });
});
