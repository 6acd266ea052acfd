/**
 * The package's contract with the stacks that use it (docs/stability.md): the names components/index.ts
 * exports and the type token of every resource class. A rename fails here until public-api.json is updated
 * on purpose, in the same merge request as the `aliases` that keep existing stacks' resources and the
 * CHANGELOG entry. To accept a deliberate change: `UPDATE_PUBLIC_API=1 npx mocha test/package/public-api.test.ts`.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { ROOT } from "../helpers/pulumi";

const FROZEN = path.join(__dirname, "public-api.json");

interface PublicApi {
    /** Every name components/index.ts exports (values and types), sorted. */
    exports: string[];
    /** Every type token a resource class of the package registers, sorted. */
    typeTokens: string[];
}

/**
 * The names the barrel exports, read by the TypeScript checker. Packages under node_modules are left
 * unresolved: export names do not depend on them, and not loading @pulumi/aws's types keeps this under a second.
 */
function exportedNames(): string[] {
    const options: ts.CompilerOptions = {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2023,
        noLib: true,
        types: [],
        noEmit: true,
    };
    const host = ts.createCompilerHost(options);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (file) => !file.includes(`${path.sep}node_modules${path.sep}`) && fileExists(file);
    const entry = path.join(ROOT, "components/index.ts");
    const program = ts.createProgram([entry], options, host);
    const checker = program.getTypeChecker();
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    return checker
        .getExportsOfModule(module)
        .map((s) => s.name)
        .sort();
}

/** A type token found in a source file, with the classes that file declares. */
interface TokenSite {
    token: string;
    file: string;
    classes: string[];
}

/** Type tokens as the constructors pass them: components' `super("gitlab-platform:...")`, dynamic resources' module and type. */
function typeTokenSites(): TokenSite[] {
    const sites: TokenSite[] = [];
    for (const file of fs.globSync("components/**/*.ts", { cwd: ROOT })) {
        const text = fs.readFileSync(path.join(ROOT, file), "utf8");
        const classes = [...text.matchAll(/export class (\w+)/g)].map((m) => m[1]!);
        for (const m of text.matchAll(/super\(\s*"(gitlab-platform:[^"]+)"/g))
            sites.push({ token: m[1]!, file, classes });
        for (const m of text.matchAll(/super\(\s*PROVIDER,[^;]*?"(\w+)",\s*"(\w+)",?\s*\);/g))
            sites.push({ token: `pulumi-nodejs:dynamic/${m[1]}:${m[2]}`, file, classes });
    }
    return sites;
}

function diff(frozen: string[], current: string[]): string {
    const removed = frozen.filter((n) => !current.includes(n));
    const added = current.filter((n) => !frozen.includes(n));
    return `removed: ${removed.join(", ") || "-"}; added: ${added.join(", ") || "-"}`;
}

describe("public API contract (test/package/public-api.json)", () => {
    const sites = typeTokenSites();
    const current: PublicApi = { exports: exportedNames(), typeTokens: [...new Set(sites.map((s) => s.token))].sort() };
    if (process.env.UPDATE_PUBLIC_API === "1") fs.writeFileSync(FROZEN, JSON.stringify(current, null, 2) + "\n");
    const frozen = JSON.parse(fs.readFileSync(FROZEN, "utf8")) as PublicApi;

    it("exports exactly the frozen names from components/index.ts", () => {
        assert.ok(current.exports.length > 50, `read ${current.exports.length} exports`);
        assert.deepEqual(
            current.exports,
            frozen.exports,
            `the public names changed (${diff(frozen.exports, current.exports)}); see docs/stability.md`,
        );
    });

    it("registers exactly the frozen type tokens", () => {
        assert.deepEqual(
            current.typeTokens,
            frozen.typeTokens,
            `type tokens changed (${diff(frozen.typeTokens, current.typeTokens)}); a changed token replaces resources unless aliased, see docs/stability.md`,
        );
    });

    it("names each component token gitlab-platform:<folder>:<class declared in that file>, each token once", () => {
        assert.equal(sites.length, current.typeTokens.length, "a token registered by two classes");
        for (const { token, file, classes } of sites) {
            const [pkg, module, type] = token.split(":");
            if (pkg === "gitlab-platform") assert.equal(module, file.split("/")[1], `${token} in ${file}`);
            assert.ok(classes.includes(type!), `${token}: no class ${type} in ${file}`);
            assert.ok(current.exports.includes(type!), `${token}: ${type} is not exported by components/index.ts`);
        }
    });
});
