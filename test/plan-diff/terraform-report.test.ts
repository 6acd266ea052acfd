import { strict as assert } from "node:assert";
import { terraformReport } from "../../tools/terraform-report";

describe("terraform report (GitLab's MR widget) from a plan diff", () => {
    it("counts a replacement as a create and a delete", () => {
        assert.deepEqual(terraformReport({ add: 2, update: 3, replace: 1, remove: 4, unchanged: 9 }), {
            create: 3,
            update: 3,
            delete: 5,
        });
        assert.deepEqual(terraformReport({ add: 0, update: 0, replace: 0, remove: 0 }), {
            create: 0,
            update: 0,
            delete: 0,
        });
    });

    it("refuses a summary that is not one, naming the field", () => {
        assert.throws(
            () => terraformReport({ add: 1, update: 0, replace: "1", remove: 0 }),
            /^Error: summary\.replace: "1" is not a count/,
        );
        assert.throws(() => terraformReport(undefined), /^Error: summary\.add: undefined is not a count/);
    });
});
