// Unit tests for the patch applier and event params of static/djust/client.js, on linkedom.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { parseHTML } from "linkedom";

const require = createRequire(import.meta.url);
const djust = require("../../static/djust/client.js");

function rootOf(inner) {
  const { document } = parseHTML(`<!doctype html><html><body><div dj-root>${inner}</div></body></html>`);
  return document.querySelector("[dj-root]");
}

test("text patch sets the data of the text node at the path", () => {
  const root = rootOf("<h1>Count: 0</h1><p>x</p>");
  const h1 = root.childNodes[0];
  djust.applyPatches(root, [["text", [0, 0], "Count: 1"]]);
  assert.equal(root.innerHTML, "<h1>Count: 1</h1><p>x</p>");
  assert.equal(root.childNodes[0], h1, "the element is kept, only its text changes");
});

test("attr and rmattr set and remove attributes", () => {
  const root = rootOf('<a class="x" href="/a">a</a>');
  djust.applyPatches(root, [
    ["attr", [0], "class", "y z"],
    ["rmattr", [0], "href"],
  ]);
  assert.equal(root.innerHTML, '<a class="y z">a</a>');
});

test("replace swaps one node for parsed HTML, html replaces the children", () => {
  const root = rootOf("<p>a</p><ul><li>1</li></ul>");
  djust.applyPatches(root, [
    ["replace", [0], "<h2>b</h2>"],
    ["html", [1], "<li>1</li><li>2</li>"],
  ]);
  assert.equal(root.innerHTML, "<h2>b</h2><ul><li>1</li><li>2</li></ul>");
});

test("replace keeps table rows whole", () => {
  const { document } = parseHTML("<table><tbody dj-root><tr><td>1</td></tr></tbody></table>");
  const root = document.querySelector("[dj-root]");
  djust.applyPatches(root, [["replace", [0], "<tr><td>2</td></tr>"]]);
  assert.equal(root.innerHTML, "<tr><td>2</td></tr>");
});

test("a path that does not exist raises PatchError and names the path", () => {
  const root = rootOf("<p>a</p>");
  assert.throws(() => djust.applyPatches(root, [["text", [5, 0], "x"]]), (err) => {
    assert.ok(err instanceof djust.PatchError);
    assert.match(err.message, /\[5,0\]/);
    return true;
  });
});

test("an unknown operation raises PatchError", () => {
  const root = rootOf("<p>a</p>");
  assert.throws(() => djust.applyPatches(root, [["explode", [0]]]), djust.PatchError);
});

test("event params come from data-* and dj-value-* in snake_case", () => {
  const root = rootOf('<button dj-click="delete" data-item-id="7" dj-value-mode="soft">x</button>');
  assert.deepEqual(djust.eventParams(root.firstChild), { item_id: "7", mode: "soft" });
});
