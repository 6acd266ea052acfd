// Lint: typescript-eslint's recommended type-aware rules over the program, components, tools and tests,
// and, for components/ (the published package), the JSDoc every public declaration and args field needs.
import js from "@eslint/js";
import jsdoc from "eslint-plugin-jsdoc";
import tseslint from "typescript-eslint";

/** A JSDoc block's description: its text before the first tag (`@default` may follow on the same line). */
function jsdocDescription(block) {
    const text = block.value
        .replace(/^\*/, "")
        .split("\n")
        .map((line) => line.replace(/^\s*\*?\s?/, ""))
        .join("\n");
    return text.split(/(?:^|\s)@\w+/)[0].trim();
}

/** Properties of the `*Args` types consumers pass (not the internal `Resolved*Args`), union variants included. */
const ARGS_TYPE = "[id.name=/Args$/]:not([id.name=/^Resolved/])";
const ARGS_PROPERTIES = [
    `TSInterfaceDeclaration${ARGS_TYPE} > TSInterfaceBody > TSPropertySignature`,
    `TSTypeAliasDeclaration${ARGS_TYPE} > TSTypeLiteral > TSPropertySignature`,
    `TSTypeAliasDeclaration${ARGS_TYPE} > TSUnionType > TSTypeLiteral > TSPropertySignature`,
];

/**
 * Every property of an `*Args` type has a JSDoc description, and every optional one a `@default` (STYLE.md).
 * A local rule because jsdoc/require-tags only sees tags at the start of a line, and the one-line form
 * `/** What it is. @default x *\/` is the house style.
 */
const argsJsdoc = {
    meta: {
        type: "suggestion",
        docs: {
            description:
                "Every property of a `*Args` type has a JSDoc description, and every optional one a `@default`.",
        },
        schema: [],
        messages: {
            missing:
                "{{args}}.{{name}}: no JSDoc comment (expected a description, and `@default <value>` or `@default - <why>` when optional)",
            noDescription: "{{args}}.{{name}}: the JSDoc comment has no description (expected one before its tags)",
            noDefault:
                "{{args}}.{{name}}: optional, but its JSDoc has no `@default` (expected `@default <value>` or `@default - <why>`)",
        },
    },
    create(context) {
        const check = (node) => {
            const owner = context.sourceCode
                .getAncestors(node)
                .findLast((a) => a.type === "TSInterfaceDeclaration" || a.type === "TSTypeAliasDeclaration");
            const data = { args: owner.id.name, name: node.key.name ?? String(node.key.value) };
            const block = context.sourceCode
                .getCommentsBefore(node)
                .findLast((c) => c.type === "Block" && c.value.startsWith("*"));
            if (!block) return context.report({ node, messageId: "missing", data });
            if (jsdocDescription(block) === "") context.report({ node, messageId: "noDescription", data });
            if (node.optional && !/(^|\s)@default(\s|$)/.test(block.value))
                context.report({ node, messageId: "noDefault", data });
        };
        return Object.fromEntries(ARGS_PROPERTIES.map((selector) => [selector, check]));
    },
};

export default tseslint.config(
    {
        ignores: [
            "node_modules/**",
            "dist/**",
            "docs/api/**",
            "plan/**",
            "policy/node_modules/**",
            "examples/**/node_modules/**",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
            ],
            "@typescript-eslint/consistent-type-imports": "error",
            eqeqeq: ["error", "always"],
            "no-console": ["error", { allow: ["error", "warn", "log"] }],
        },
    },
    {
        // The published API (components/index.ts re-exports it): what typedoc renders must be documented.
        files: ["components/**/*.ts"],
        plugins: { jsdoc, "gitlab-platform": { rules: { "args-jsdoc": argsJsdoc } } },
        rules: {
            "jsdoc/require-jsdoc": [
                "error",
                {
                    publicOnly: true,
                    require: { ClassDeclaration: true, FunctionDeclaration: true },
                    contexts: ["TSInterfaceDeclaration", "TSTypeAliasDeclaration"],
                },
            ],
            "gitlab-platform/args-jsdoc": "error",
        },
    },
    { files: ["**/*.mjs"], ...tseslint.configs.disableTypeChecked },
);
