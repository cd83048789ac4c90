// ESLint: typescript-eslint's recommended rules over every TypeScript file of the project
// (`npm run lint`; .ci/run runs it). Formatting is Prettier's job (`npm run format:check`).
import tseslint from "typescript-eslint";

export default tseslint.config({ ignores: ["node_modules/**", "bin/**", "**/*.js", "**/*.cjs", "**/*.mjs"] }, ...tseslint.configs.recommended, {
    rules: {
        // Plan JSON, Pulumi inputs and Kubernetes objects are untyped by nature; `any` stays visible in review.
        "@typescript-eslint/no-explicit-any": "off",
        "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
        "max-len": ["error", { code: 160, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
});
