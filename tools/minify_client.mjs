// Writes the minified copies pages load: static/djust/<name>.min.js for each client script.
// Run `npm run minify` after editing a client script; tests/test_client_budget.py checks that
// each copy is current (its first line names the SHA-256 of the source it was made from) and
// that the core stays within its gzipped budget. The server falls back to the source, compacted,
// when a copy is stale, so a forgotten run costs bytes, never behaviour.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { minify } from "terser";

const STATIC = new URL("../python/djust/static/djust/", import.meta.url);
const SCRIPTS = ["client.js", "uploads.js"];

/** The first line of a minified copy: which source it was made from. */
export function header(source) {
  return "// djust minified from sha256:" + createHash("sha256").update(source, "utf8").digest("hex");
}

export async function minified(source) {
  const result = await minify(source, {
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  return header(source) + "\n" + result.code + "\n";
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  for (const name of SCRIPTS) {
    const path = new URL(name, STATIC);
    if (!existsSync(path)) continue;
    const out = new URL(name.replace(/\.js$/, ".min.js"), STATIC);
    if (process.argv.includes("--stdout")) {
      process.stdout.write(await minified(readFileSync(path, "utf8")));
      break;
    }
    writeFileSync(out, await minified(readFileSync(path, "utf8")));
  }
}
