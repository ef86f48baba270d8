// ESLint for the browser client and its tests:
// `npx eslint eslint.config.mjs static/djust tests/js tests/vdom/patch_check.js tools`.
import js from "@eslint/js";
import globals from "globals";

const style = {
  "no-var": "error",
  "prefer-const": "error",
  eqeqeq: ["error", "smart"],
  curly: ["error", "multi-line"],
  "no-implicit-globals": "error",
  "no-shadow": "error",
  "no-unused-vars": ["error", { caughtErrors: "none" }],
  "object-shorthand": "error",
  "prefer-arrow-callback": "error",
  "no-throw-literal": "error",
};

export default [
  // *.min.js: made by `npm run minify` (tools/minify_client.mjs) from the linted sources.
  { ignores: ["node_modules/", "target/", ".venv/", "**/*.min.js"] },
  js.configs.recommended,
  {
    files: ["static/djust/**/*.js", "python/djust/static/djust/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, ...globals.commonjs },
    },
    rules: { ...style, strict: ["error", "function"] },
  },
  {
    // One arrow function, run in Chromium by tests/vdom/test_patches_in_chromium.py.
    files: ["tests/vdom/patch_check.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: globals.browser },
    rules: style,
  },
  {
    files: ["tests/js/**/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.node,
    },
    rules: style,
  },
  {
    files: ["tools/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
    rules: style,
  },
  {
    files: ["eslint.config.mjs"],
    languageOptions: { sourceType: "module" },
  },
];
