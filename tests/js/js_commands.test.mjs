// JS commands (djust.js.JS) in static/djust/client.js: run with no round trip, kept across
// server patches, harmless when a selector matches nothing — on linkedom.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { parseHTML } from "linkedom";

const require = createRequire(import.meta.url);
const djust = require("../../static/djust/client.js");

let errors;
let originalError;

beforeEach(() => {
  errors = [];
  originalError = console.error;
  console.error = (...args) => errors.push(args.map(String).join(" "));
});

afterEach(() => {
  console.error = originalError;
  delete globalThis.document;
});

function page(inner) {
  const { document } = parseHTML(`<!doctype html><html><body><div dj-root>${inner}</div></body></html>`);
  globalThis.document = document;
  return { document, root: document.querySelector("[dj-root]") };
}

const chain = (...ops) => JSON.stringify(ops);

test("show, hide and toggle set display on the elements `to` selects", () => {
  const { document } = page('<div id="a" style="display:none"></div><p class="m"></p><p class="m"></p><b id="me"></b>');
  const me = document.getElementById("me");
  djust.runJs(me, chain(["show", { to: "#a", display: "flex" }], ["hide", { to: ".m" }]), () => {});
  assert.equal(document.getElementById("a").style.display, "flex");
  for (const p of document.querySelectorAll(".m")) assert.equal(p.style.display, "none");
  djust.runJs(me, chain(["toggle", { to: ".m" }], ["toggle", {}]), () => {});
  for (const p of document.querySelectorAll(".m")) assert.equal(p.style.display, "block");
  assert.equal(me.style.display, "none", "without `to`, the element itself");
  assert.deepEqual(errors, []);
});

test("classes and attributes: add, remove, toggle, set, remove", () => {
  const { document } = page('<div id="a" class="x y" aria-hidden="true"></div>');
  const a = document.getElementById("a");
  djust.runJs(
    a,
    chain(
      ["add_class", { names: ["open", "big"] }],
      ["remove_class", { names: ["x"] }],
      ["toggle_class", { names: ["y", "z"] }],
      ["set_attr", { name: "aria-expanded", value: "true" }],
      ["remove_attr", { name: "aria-hidden" }],
    ),
    () => {},
  );
  assert.deepEqual([...a.classList].sort(), ["big", "open", "z"]);
  assert.equal(a.getAttribute("aria-expanded"), "true");
  assert.equal(a.hasAttribute("aria-hidden"), false);
});

test("what JS commands set survives later patches that rewrite those attributes", () => {
  const { document, root } = page('<div id="a" class="card" style="color:red" title="t">x</div>');
  const a = document.getElementById("a");
  djust.runJs(
    a,
    chain(["add_class", { names: ["open"] }], ["hide", {}], ["set_attr", { name: "data-x", value: "1" }], ["remove_attr", { name: "title" }]),
    () => {},
  );
  djust.applyPatches(root, [
    ["attr", [0], "class", "card selected"],
    ["attr", [0], "style", "color:blue"],
    ["attr", [0], "data-x", "server"],
    ["attr", [0], "title", "back"],
    ["text", [0, 0], "y"],
  ]);
  assert.deepEqual([...a.classList].sort(), ["card", "open", "selected"]);
  assert.equal(a.style.display, "none");
  assert.match(a.getAttribute("style"), /color: ?blue/);
  assert.equal(a.getAttribute("data-x"), "1");
  assert.equal(a.hasAttribute("title"), false);
  assert.equal(a.textContent, "y");
  // A class the commands removed stays removed when the server sends it again.
  djust.runJs(a, chain(["remove_class", { names: ["card"] }]), () => {});
  djust.applyPatches(root, [["attr", [0], "class", "card again"]]);
  assert.deepEqual([...a.classList].sort(), ["again", "open"]);
});

test("an element the server replaces starts afresh: nothing is carried to its successor", () => {
  const { document, root } = page('<div id="a" class="card">x</div>');
  djust.runJs(document.getElementById("a"), chain(["add_class", { names: ["open"] }]), () => {});
  djust.applyPatches(root, [["replace", [0], '<div id="a" class="card">new</div>']]);
  assert.equal(document.getElementById("a").className, "card");
});

test("transition adds the classes for its time, then takes them away", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { document } = page('<div id="a" class="card"></div>');
  const a = document.getElementById("a");
  djust.runJs(a, chain(["transition", { names: ["fade"], time: 300 }]), () => {});
  assert.ok(a.classList.contains("fade"));
  t.mock.timers.tick(299);
  assert.ok(a.classList.contains("fade"));
  t.mock.timers.tick(1);
  assert.equal(a.className, "card");
});

test("dispatch fires a CustomEvent with detail; focus focuses the first match", () => {
  const { document } = page('<input id="i1" class="f"><input id="i2" class="f"><div id="d"></div>');
  const seen = [];
  document.addEventListener("opened", (event) => seen.push([event.target.id, event.detail]));
  const focused = [];
  for (const input of document.querySelectorAll(".f")) input.focus = () => focused.push(input.id);
  djust.runJs(document.getElementById("d"), chain(["dispatch", { event: "opened", detail: { n: 1 } }], ["focus", { to: ".f" }]), () => {});
  assert.deepEqual(seen, [["d", { n: 1 }]]);
  assert.deepEqual(focused, ["i1"]);
});

test("push sends the event with the binding's params plus its value, in chain order", () => {
  const { document } = page('<button id="b"></button><div id="m"></div>');
  const sent = [];
  const m = document.getElementById("m");
  djust.runJs(
    document.getElementById("b"),
    chain(["push", { event: "save", value: { id: 7 }, target: "cart" }], ["hide", { to: "#m" }]),
    (event, value, target) => sent.push([event, value, target, m.style.display]),
  );
  assert.deepEqual(sent, [["save", { id: 7 }, "cart", ""]]);
  assert.equal(m.style.display, "none");
});

test("a selector that matches nothing, or is not a selector, changes nothing and breaks nothing", () => {
  const { document, root } = page('<div id="a" class="x"></div>');
  const before = root.innerHTML;
  djust.runJs(document.getElementById("a"), chain(["add_class", { names: ["y"], to: "#missing" }], ["hide", { to: ".nope" }]), () => {});
  assert.equal(root.innerHTML, before);
  assert.deepEqual(errors, []);
  djust.runJs(document.getElementById("a"), chain(["hide", { to: "[[[" }]), () => {});
  assert.equal(root.innerHTML, before);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /JS command failed/);
});

test("a click on a binding holding a chain runs it and sends its push through the view", () => {
  const { document } = page("");
  document.body.innerHTML =
    '<div dj-view="T" dj-root><button id="b" dj-click=\'[["add_class",{"names":["on"],"to":"#p"}],["push",{"event":"inc","value":{"by":2}}]]\' data-row="3">+</button><p id="p"></p></div>';
  const element = document.querySelector("[dj-view]");
  const view = new djust.View(element, { transport: "http" });
  const sent = [];
  view.pushEvent = (name, params, options) => sent.push([name, params, options.el.id]);
  djust.views.push(view);
  try {
    globalThis.location = { href: "http://example.test/", origin: "http://example.test" };
    globalThis.history = { replaceState() {}, pushState() {} };
    globalThis.addEventListener = () => {};
    djust.start({ transport: "http" });
    document.getElementById("b").dispatchEvent(new document.defaultView.Event("click", { bubbles: true }));
    assert.ok(document.getElementById("p").classList.contains("on"));
    assert.deepEqual(sent, [["inc", { row: "3", by: 2 }, "b"]]);
  } finally {
    djust.views.length = 0;
    for (const name of ["location", "history", "addEventListener"]) delete globalThis[name];
  }
});
