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

test("insert puts parsed nodes before the child at the path, or at the end", () => {
  const root = rootOf("<ul><li>a</li><li>d</li></ul>");
  djust.applyPatches(root, [
    ["insert", [0, 1], "<li>b</li><li>c</li>"],
    ["insert", [0, 4], "<li>e</li>"],
  ]);
  assert.equal(root.innerHTML, "<ul><li>a</li><li>b</li><li>c</li><li>d</li><li>e</li></ul>");
});

test("remove takes out a run of siblings", () => {
  const root = rootOf("<ul><li>a</li><li>b</li><li>c</li><li>d</li></ul>");
  djust.applyPatches(root, [["remove", [0, 1], 2]]);
  assert.equal(root.innerHTML, "<ul><li>a</li><li>d</li></ul>");
});

test("move keeps the node itself, forwards and backwards", () => {
  const root = rootOf("<ul><li>a</li><li>b</li><li>c</li><li>d</li></ul>");
  const [a, b, c, d] = root.firstChild.childNodes;
  djust.applyPatches(root, [["move", [0, 0], 3]]);
  assert.equal(root.innerHTML, "<ul><li>b</li><li>c</li><li>d</li><li>a</li></ul>");
  djust.applyPatches(root, [["move", [0, 2], 0]]);
  assert.equal(root.innerHTML, "<ul><li>d</li><li>b</li><li>c</li><li>a</li></ul>");
  assert.deepEqual([...root.firstChild.childNodes], [d, b, c, a]);
});

test("text patches set comment data too", () => {
  const root = rootOf("<!--a--><p>x</p>");
  djust.applyPatches(root, [["text", [0], "b"]]);
  assert.equal(root.innerHTML, "<!--b--><p>x</p>");
});

test("the server's value, checked and selected reach the properties", () => {
  const root = rootOf(
    '<input value="a"><input type="checkbox"><select><option>1</option><option>2</option></select>',
  );
  const [text, box, select] = root.childNodes;
  text.value = "typed";
  djust.applyPatches(root, [
    ["attr", [0], "value", "server"],
    ["attr", [1], "checked", ""],
    ["attr", [2, 1], "selected", ""],
  ]);
  assert.equal(text.value, "server");
  assert.equal(box.checked, true);
  assert.equal(select.childNodes[1].selected, true);
  djust.applyPatches(root, [["rmattr", [1], "checked"], ["rmattr", [0], "value"]]);
  assert.equal(box.checked, false);
  assert.equal(text.value, "");
});

test("a textarea shows the server's new text", () => {
  const root = rootOf("<textarea>old</textarea>");
  const area = root.firstChild;
  area.value = "typed";
  djust.applyPatches(root, [["text", [0, 0], "new"]]);
  assert.equal(area.value, "new");
  djust.applyPatches(root, [["remove", [0, 0], 1]]);
  assert.equal(area.value, "");
});

test("callbacks hear of each element added, removed and updated, once", () => {
  const root = rootOf('<ul><li id="a">a</li><li id="b"><b id="bb">b</b></li></ul><p id="p">x</p>');
  const heard = { added: [], removed: [], updated: [] };
  const callbacks = {};
  for (const kind of Object.keys(heard)) callbacks[kind] = (el) => heard[kind].push(el.id);
  djust.applyPatches(
    root,
    [
      ["insert", [0, 2], '<li id="c"><i id="ci">c</i></li>'],
      ["remove", [0, 1], 1],
      ["attr", [0, 0], "class", "x"],
      ["text", [0, 0, 0], "A"],
      ["attr", [1], "title", "t"],
      ["move", [0, 1], 0],
    ],
    callbacks,
  );
  assert.deepEqual(heard.removed, ["b", "bb"]);
  assert.deepEqual(heard.added, ["c", "ci"]);
  // The list (no id) for its children, #a for an attribute and its text, #p for an attribute.
  assert.deepEqual(heard.updated, ["", "a", "p"]);
  assert.ok(!heard.updated.includes("c"), "an element added is not also updated");
});

test("patches that do not fit the DOM raise PatchError", () => {
  const cases = [
    ["remove", [0], 5],
    ["remove", [0], 0],
    ["move", [0], 3],
    ["move", [4], 0],
    ["insert", [3], "<b></b>"],
    ["insert", [], "<b></b>"],
    ["replace", [], "<b></b>"],
    ["text", [0], "x"],
    ["attr", [0, 0], "a", "b"],
    ["text", "0", "x"],
    ["text", [0.5], "x"],
  ];
  for (const patch of cases) {
    const root = rootOf("<p>a</p><p>b</p>");
    assert.throws(() => djust.applyPatches(root, [patch]), djust.PatchError, JSON.stringify(patch));
  }
});

test("event params come from data-* and dj-value-* in snake_case", () => {
  const root = rootOf('<button dj-click="delete" data-item-id="7" dj-value-mode="soft">x</button>');
  assert.deepEqual(djust.eventParams(root.firstChild), { item_id: "7", mode: "soft" });
});
