// The client's wire names against runtime/protocol/src/constants.rs, the server's single source.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const djust = require("../../static/djust/client.js");
const rust = readFileSync(new URL("../../runtime/protocol/src/constants.rs", import.meta.url), "utf8");

/** `pub const NAME: &str = "value";` → { NAME: "value" } */
function stringConstants(source) {
  const found = {};
  for (const [, name, value] of source.matchAll(/pub const (\w+): &str = "([^"]*)";/g)) found[name] = value;
  return found;
}

/** The names listed in `pub const GROUP: [&str; N] = [A, B, ...];` */
function group(source, name) {
  const match = source.match(new RegExp("pub const " + name + ": \\[&str; \\d+\\] = \\[([^\\]]*)\\]"));
  assert.ok(match, "constants.rs has no " + name);
  return match[1].split(",").map((s) => s.trim()).filter(Boolean);
}

const constants = stringConstants(rust);

test("every message type the client names is the server's, under the same name", () => {
  for (const [name, value] of Object.entries(djust.MSG)) {
    assert.equal(constants[name], value, "MSG." + name);
  }
});

test("the client knows every message type the protocol defines, both ways", () => {
  const types = [...group(rust, "CLIENT_MESSAGE_TYPES"), ...group(rust, "SERVER_MESSAGE_TYPES")];
  assert.deepEqual(Object.keys(djust.MSG).sort(), types.sort());
});

test("the frames the client builds use the protocol's keys", () => {
  assert.equal(constants.TYPE_KEY, "t");
  assert.equal(constants.REF_KEY, "ref");
});

/** The `KINDS` array of `impl Patch` in runtime/vdom/src (wherever that file now lives). */
function patchKinds() {
  const files = readdirSync(new URL("../../runtime/vdom/src/", import.meta.url), { recursive: true })
    .filter((name) => name.endsWith(".rs"))
    .map((name) => readFileSync(new URL("../../runtime/vdom/src/" + name, import.meta.url), "utf8"));
  const found = files
    .map((source) => source.match(/pub const KINDS: \[&'static str; \d+\] = \[([^\]]*)\]/))
    .filter(Boolean);
  assert.equal(found.length, 1, "exactly one `pub const KINDS` in runtime/vdom/src");
  return [...found[0][1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

test("the client's patch operations are the differ's patch kinds, in the same order", () => {
  const kinds = patchKinds();
  assert.ok(kinds.length > 0);
  assert.deepEqual(Object.values(djust.OP), kinds);
  assert.match(rust, /pub const PATCH_KINDS: &\[&str\] = &djust_vdom::Patch::KINDS;/);
});

test("every attribute the client reads is the server's, under the same name", () => {
  for (const [name, value] of Object.entries(djust.ATTR)) {
    assert.equal(constants[name], value, "ATTR." + name);
  }
});

test("the client knows every shared attribute but those only the server reads", () => {
  // data-key (a keyed child's identity) matters to the differ alone.
  const serverOnly = ["DATA_KEY"];
  const shared = [...group(rust, "ATTRIBUTES"), "DJ_VALUE_PREFIX"].filter((n) => !serverOnly.includes(n));
  assert.deepEqual(Object.keys(djust.ATTR).sort(), shared.sort());
});

test("every error code the client names is one the server sends", () => {
  const codes = group(rust, "ERROR_CODES").map((name) => constants[name]);
  for (const [name, value] of Object.entries(djust.CODE)) {
    assert.equal(constants[name], value, "CODE." + name);
    assert.ok(codes.includes(value), value + " is in ERROR_CODES");
  }
  // And no code appears in client.js as a bare string outside its CODE table.
  const source = readFileSync(new URL("../../static/djust/client.js", import.meta.url), "utf8");
  for (const code of codes) {
    const uses = source.split('"' + code + '"').length - 1;
    assert.ok(uses <= 1, code + " is written " + uses + " times in client.js: use CODE");
  }
});

test("the close codes the client acts on are the server's", () => {
  const codes = Object.fromEntries(
    [...rust.matchAll(/pub const CLOSE_(\w+): u16 = (\d+);/g)].map(([, name, value]) => [name, Number(value)]),
  );
  for (const [name, value] of Object.entries(djust.CLOSE)) assert.equal(codes[name], value, "CLOSE." + name);
});
