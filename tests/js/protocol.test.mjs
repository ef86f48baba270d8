// The client's wire names against runtime/protocol/src/constants.rs, the server's single source.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

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
