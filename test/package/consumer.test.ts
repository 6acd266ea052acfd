/**
 * The package as another team meets it: `npm run build:dist`, `npm pack`, the tarball installed into a copy
 * of examples/consumer, that program type-checked against the shipped `.d.ts` and planned offline.
 *
 * Speed and fidelity: the consumer installs the tarball and its runtime dependencies with npm from the
 * local cache (`--prefer-offline`), but not the peers (`--legacy-peer-deps`): node_modules/@pulumi/* and
 * @types/node are then symlinked to this repository's copies. That saves installing @pulumi/aws (hundreds
 * of MB) and is also required, since the plan engine (tools/plan) records through the @pulumi/pulumi it
 * loaded itself: a symlink resolves to the same real path, hence the same module instance. The plan runs
 * with NODE_PATH=<consumer>/node_modules so that Pulumi's closure serializer, loaded from this repository,
 * still finds the installed package.json (its `exports`) exactly as it would in a consumer's own install.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules, createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
    FLUX_VERSION,
    GITLAB_AGENT_CHART_NAME,
    GITLAB_AGENT_CHART_VERSION,
    GITLAB_CHART_REPOSITORY,
    GITLAB_RUNNER_CHART_NAME,
    GITLAB_RUNNER_CHART_VERSION,
} from "../../components/defaults";
import type { PlannedResource } from "../../tools/plan/engine";
import type { Plan } from "../../tools/plan/format";
import { ROOT } from "../helpers/pulumi";

const run = promisify(execFile);
const PEERS = ["@pulumi/aws", "@pulumi/kubernetes", "@pulumi/pulumi", "@pulumi/random", "@pulumi/tls"];
const CONSUMER = path.join(ROOT, "examples/consumer");

/** npm as a child of `npm test`: without the parent's npm_* variables (its prefix would point here). */
function npm(args: string[], cwd: string) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_")));
    return run("npm", args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
}

/** The package.json fields this test reads. */
interface Manifest {
    name: string;
    version: string;
    private?: boolean;
    type?: string;
    main?: string;
    types?: string;
    exports?: Record<string, unknown>;
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
    devDependencies: Record<string, string>;
}

interface PackResult {
    filename: string;
    files: { path: string }[];
}

describe("the package installed into another Pulumi program (examples/consumer)", function () {
    this.timeout(240_000);
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;
    let work: string;
    let consumer: string;
    let packed: PackResult;
    let shipped: Manifest;
    let plan: Plan;
    const timings: Record<string, number> = {};
    const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
        const start = Date.now();
        try {
            return await fn();
        } finally {
            timings[step] = Date.now() - start;
        }
    };

    before(async () => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-platform-package-"));
        await timed("build:dist", () => npm(["run", "--silent", "build:dist"], ROOT));
        // The build above is what prepack runs; skipping scripts keeps --json output clean.
        const { stdout } = await timed("pack", () =>
            npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], ROOT),
        );
        packed = (JSON.parse(stdout) as PackResult[])[0]!;
        const tarball = path.join(work, packed.filename);

        consumer = path.join(work, "consumer");
        fs.cpSync(CONSUMER, consumer, {
            recursive: true,
            filter: (src) => !/[/\\](node_modules|package-lock\.json)$/.test(src),
        });
        const manifest = JSON.parse(fs.readFileSync(path.join(consumer, "package.json"), "utf8")) as Record<
            string,
            unknown
        >;
        // The registry version becomes the tarball; peers and dev tools come from this repository (see top).
        manifest.dependencies = { [root.name]: `file:${tarball}` };
        delete manifest.devDependencies;
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify(manifest, null, 2));
        await timed("npm install", () =>
            npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--legacy-peer-deps"], consumer),
        );
        // After the install: npm removes packages it did not place itself.
        for (const dep of [...PEERS, "@types/node"]) {
            fs.mkdirSync(path.dirname(path.join(consumer, "node_modules", dep)), { recursive: true });
            fs.symlinkSync(path.join(ROOT, "node_modules", dep), path.join(consumer, "node_modules", dep), "dir");
        }
        shipped = JSON.parse(
            fs.readFileSync(path.join(consumer, "node_modules", root.name, "package.json"), "utf8"),
        ) as Manifest;

        // The type check and the offline plan are independent: side by side.
        const planFile = path.join(work, "plan.json");
        await Promise.all([
            timed("tsc consumer", () =>
                run(
                    process.execPath,
                    [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"],
                    { cwd: consumer },
                ),
            ),
            timed("plan consumer", () =>
                run(
                    path.join(ROOT, "node_modules/.bin/tsx"),
                    ["tools/plan.ts", "--dir", consumer, "--stack", "gitlab-com", "--json", planFile],
                    {
                        cwd: ROOT,
                        env: { ...process.env, NODE_PATH: path.join(consumer, "node_modules") },
                    },
                ),
            ),
        ]);
        plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as Plan;
    });

    after(() => {
        if (work) fs.rmSync(work, { recursive: true, force: true });
        console.log(`      timings (ms): ${JSON.stringify(timings)}`);
    });

    it("ships the compiled components, their declarations, the README and the CHANGELOG, nothing else", () => {
        const files = packed.files.map((f) => f.path).sort();
        const outside = files.filter((f) => !f.startsWith("dist/"));
        assert.deepEqual(
            outside,
            [
                "CHANGELOG.md",
                "README.md",
                "package.json",
                ...(fs.existsSync(path.join(ROOT, "LICENSE")) ? ["LICENSE"] : []),
            ].sort(),
        );
        assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts"));
        assert.deepEqual(
            files.filter((f) => !/\.(js|d\.ts)$/.test(f) && f.startsWith("dist/")),
            [],
        );
        // One .js and one .d.ts per source file under components/, and no program, tool or test code.
        const sources = fs
            .globSync("components/**/*.ts", { cwd: ROOT })
            .map((f) => f.replace(/^components\//, "dist/").replace(/\.ts$/, ""));
        assert.deepEqual(
            files
                .filter((f) => f.endsWith(".js"))
                .map((f) => f.replace(/\.js$/, ""))
                .sort(),
            sources.sort(),
        );
    });

    it("declares the package contract: scoped name, semver, CommonJS entry points, peers as caret ranges, exact runtime dependencies", () => {
        assert.equal(shipped.name, "@gitlab-platform/components");
        assert.match(String(shipped.version), /^\d+\.\d+\.\d+$/);
        assert.equal(shipped.private, undefined);
        assert.equal(shipped.type, undefined, "CommonJS output");
        assert.equal(shipped.main, "dist/index.js");
        assert.equal(shipped.types, "dist/index.d.ts");
        assert.deepEqual(shipped.exports?.["."], {
            types: "./dist/index.d.ts",
            require: "./dist/index.js",
            default: "./dist/index.js",
        });
        assert.deepEqual(Object.keys(shipped.peerDependencies).sort(), PEERS);
        for (const [name, range] of Object.entries(shipped.peerDependencies)) {
            assert.equal(
                range,
                `^${root.devDependencies[name]}`,
                `${name}: the peer range starts at the version this repository builds and tests with`,
            );
        }
        for (const [name, version] of Object.entries(shipped.dependencies))
            assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned exactly`);
    });

    it("requires and references only Node built-ins, its dependencies and its peers, in code and declarations", () => {
        // A declaration importing a dev dependency would not fail consumers with skipLibCheck: it would quietly be `any`.
        const allowed = new Set([...Object.keys(shipped.dependencies), ...PEERS]);
        const dist = path.join(consumer, "node_modules", root.name, "dist");
        const undeclared = new Set<string>();
        for (const file of fs.globSync("**/*.{js,d.ts}", { cwd: dist })) {
            for (const [, spec] of fs
                .readFileSync(path.join(dist, file), "utf8")
                .matchAll(/(?:require\(|import\(|from )"([^"]+)"/g)) {
                if (spec!.startsWith(".") || spec!.startsWith("node:") || builtinModules.includes(spec!)) continue;
                const pkg = spec!.startsWith("@") ? spec!.split("/").slice(0, 2).join("/") : spec!.split("/")[0]!;
                if (!allowed.has(pkg)) undeclared.add(`${file}: ${spec}`);
            }
        }
        assert.deepEqual([...undeclared], []);
    });

    it("lists the peers in the example's own package.json, at versions inside the peer ranges", () => {
        const example = JSON.parse(fs.readFileSync(path.join(CONSUMER, "package.json"), "utf8")) as {
            name: string;
            dependencies: Record<string, string>;
        };
        assert.notEqual(example.name, root.name);
        assert.equal(example.dependencies[root.name], root.version, "exact pin, as every dependency of this project");
        for (const peer of PEERS)
            assert.equal(
                example.dependencies[peer],
                root.devDependencies[peer],
                `${peer} in examples/consumer/package.json`,
            );
    });

    it("plans exactly the GitLab.com components the consumer declares, from the installed package", () => {
        const components = plan.resources
            .filter((r) => r.type.startsWith("gitlab-platform:"))
            .map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(components.sort(), [
            "gitlab-platform:agent:GitLabAgent gitlab-com",
            "gitlab-platform:cluster:KubernetesCluster gitlab-com",
            "gitlab-platform:flux:Flux flux",
            "gitlab-platform:flux:OciSync manifests",
            "gitlab-platform:runner:GitLabRunner team-apps",
        ]);
        assert.equal(plan.project, "team-apps");
        assert.deepEqual(plan.outputs, { agentId: "[unknown]", fluxVersion: FLUX_VERSION, runnerId: "[unknown]" });
    });

    const only = (type: string, parentType: string): PlannedResource => {
        const found = plan.resources.filter((r) => r.type === type && r.parent?.includes(`$${parentType}::`));
        assert.equal(found.length, 1, `one ${type} under ${parentType}`);
        return found[0]!;
    };

    it("installs the agent's pinned chart against kas.gitlab.com, through the cluster's provider", () => {
        const provider = plan.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        assert.deepEqual(provider.inputs, { context: "team-apps-prod" });
        const release = only("kubernetes:helm.sh/v3:Release", "gitlab-platform:agent:GitLabAgent");
        assert.equal(release.inputs.chart, GITLAB_AGENT_CHART_NAME);
        assert.equal(release.inputs.version, GITLAB_AGENT_CHART_VERSION);
        assert.deepEqual(release.inputs.repositoryOpts, { repo: GITLAB_CHART_REPOSITORY });
        assert.equal(
            (release.inputs.values as { config: { kasAddress: string } }).config.kasAddress,
            "wss://kas.gitlab.com",
        );
        for (const r of plan.resources.filter((r) => r.type.startsWith("kubernetes:")))
            assert.equal(r.provider, provider.urn, `${r.name} uses the cluster's provider`);
        const tokenSecret = only("kubernetes:core/v1:Secret", "gitlab-platform:agent:GitLabAgent");
        assert.equal(tokenSecret.inputs.stringData, "[secret]");
    });

    it("creates the project runner through the GitLab API and installs its pinned chart", () => {
        const runner = only("pulumi-nodejs:dynamic/gitlab:UserRunner", "gitlab-platform:runner:GitLabRunner");
        const { __provider: _code, ...inputs } = runner.inputs;
        assert.deepEqual(inputs, {
            accessLevel: "not_protected",
            description: "team-apps",
            locked: true,
            paused: false,
            projectId: 4242,
            runnerType: "project_type",
            tagLists: ["team-apps", "kubernetes"],
            untagged: false,
        });
        const release = only("kubernetes:helm.sh/v3:Release", "gitlab-platform:runner:GitLabRunner");
        assert.deepEqual(
            [release.inputs.chart, release.inputs.version],
            [GITLAB_RUNNER_CHART_NAME, GITLAB_RUNNER_CHART_VERSION],
        );
        assert.equal((release.inputs.values as { gitlabUrl: string }).gitlabUrl, "https://gitlab.com/");
    });

    it("syncs the OCI artifact with Flux from the GitLab registry", () => {
        const source = only("kubernetes:source.toolkit.fluxcd.io/v1:OCIRepository", "gitlab-platform:flux:OciSync");
        assert.deepEqual((source.inputs as { spec: unknown }).spec, {
            interval: "1m",
            ref: { tag: "production" },
            secretRef: { name: "gitlab-registry-auth" },
            url: "oci://registry.gitlab.com/acme/team-apps/cluster-management/manifests",
        });
        only("kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization", "gitlab-platform:flux:OciSync");
        only("kubernetes:fluxcd.controlplane.io/v1:FluxInstance", "gitlab-platform:flux:Flux");
    });

    it("serializes the GitLab API providers so that the consumer's dynamic provider process can load them", () => {
        // A dynamic provider's code is shipped as text that `require`s modules by package path; with the
        // package in node_modules these are deep paths into dist/, which package.json `exports` must allow.
        const consumerRequire = createRequire(path.join(consumer, "index.ts"));
        const dynamic = plan.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
        assert.equal(dynamic.length, 6);
        const required = new Set(
            dynamic.flatMap((r) =>
                [...String(r.inputs.__provider).matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!),
            ),
        );
        assert.ok(
            [...required].some((m) => m.startsWith(`${root.name}/dist/gitlab-api/`)),
            [...required].join(", "),
        );
        for (const spec of required)
            assert.doesNotThrow(() => consumerRequire.resolve(spec), `the consumer cannot require ${spec}`);
    });
});
