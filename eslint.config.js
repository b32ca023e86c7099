import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/", "**/dist/", "web/dist/", "data/", "bench/results/", "test-results/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Tests handle whatever the wire delivers; typing every payload there adds noise, not safety.
    files: ["test/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["bench/**", "scripts/**", "packages/*/scripts/**", "examples/**", "src/server/cli/**"],
    rules: { "no-console": "off" },
  },
  {
    // Plain JavaScript that runs before TypeScript can (scripts/build-server.mjs) sees Node's globals.
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
