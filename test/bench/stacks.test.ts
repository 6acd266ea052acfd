/** The generated stacks of the scale benchmark. */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { parse } from "yaml";
import { relocatedProject, scaleStack } from "../../tools/bench/stacks";

const base = {
    config: {
        "gitlab-platform:cluster": { type: "existing" },
        "gitlab-platform:agent": { project: "platform/gitlab-platform", ciAccess: { groups: [{ id: "apps" }] } },
        "gitlab-platform:reviewApps": {
            domain: "review.example",
            route: { type: "httpRoute" },
            apps: [{ branch: "feature/a", image: "registry.example/web:1" }],
        },
    },
};

type Scaled = {
    config: Record<
        string,
        {
            apps?: { branch: string; image: string }[];
            ciAccess?: { projects: { id: string; defaultNamespace: string }[]; groups: { id: string }[] };
        }
    >;
};

describe("bench: scaled stacks", () => {
    it("declares N review apps and N agent entries, the base's groups included", () => {
        const s = scaleStack(base, 10) as Scaled;
        assert.equal(s.config["gitlab-platform:reviewApps"].apps!.length, 10);
        assert.deepEqual(s.config["gitlab-platform:reviewApps"].apps![9], {
            branch: "feature/bench-9",
            image: "registry.example/web:1",
        });
        const access = s.config["gitlab-platform:agent"].ciAccess!;
        assert.equal(access.projects.length, 9);
        assert.deepEqual(access.projects[0], { id: "platform/bench-0", defaultNamespace: "bench-0" });
        assert.deepEqual(access.groups, [{ id: "apps" }]);
        assert.deepEqual(s.config["gitlab-platform:cluster"], { type: "existing" });
    });

    it("keeps projects within GitLab's 500 per agent and puts the rest in groups", () => {
        const access = (scaleStack(base, 1000) as Scaled).config["gitlab-platform:agent"].ciAccess!;
        assert.equal(access.projects.length, 500);
        assert.equal(access.groups.length, 500);
        assert.deepEqual(access.groups[1], { id: "platform/bench-group-0", defaultNamespace: "bench-group-0" });
        assert.throws(() => scaleStack(base, 1001), /do not fit one agent/);
    });

    it("refuses a base without review apps or an agent, and sizes below 1", () => {
        assert.throws(() => scaleStack({ config: {} }, 10), /no gitlab-platform:reviewApps.apps/);
        const unrouted = {
            config: {
                ...base.config,
                "gitlab-platform:reviewApps": { ...base.config["gitlab-platform:reviewApps"], route: undefined },
            },
        };
        assert.throws(() => scaleStack(unrouted, 10), /has no route/);
        assert.throws(() => scaleStack(base, 0), /not a positive integer/);
    });

    it("points the relocated project's main at the repository's program", () => {
        const p = parse(relocatedProject("name: gitlab-platform\nruntime: nodejs\nmain: index.ts\n", "/repo")) as {
            name: string;
            main: string;
        };
        assert.equal(p.name, "gitlab-platform");
        assert.equal(p.main, path.resolve("/repo", "index.ts"));
    });
});
