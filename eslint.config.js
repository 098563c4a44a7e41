import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "scratch/**", "demo-output/**", "fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // The engine is pure: no filesystem, no processes, no network, no GitHub.
    files: ["src/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*", "fs", "fs/*", "child_process", "http", "https", "net", "path", "os"], message: "The engine is pure: pass data in from a door (cli, app)." },
            { group: ["probot", "@octokit/*"], message: "The engine knows nothing about GitHub." },
            { group: ["**/cli/**", "**/app/**", "**/demo/**"], message: "The engine must not depend on its doors." },
          ],
        },
      ],
    },
  },
);
