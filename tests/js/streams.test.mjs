// Stream frames (python/djust/streams.py) applied by static/djust/client.js, on linkedom.
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

const ids = (root) => Array.from(root.querySelector("[dj-stream]").children, (el) => el.id + ":" + el.textContent);
const update = (fields) => ({ name: "m", html: "", at: {}, deletes: [], reset: false, limit: null, ...fields });

test("new items go at the end, the start or a position; known ids are updated in place", () => {
  const root = rootOf('<ul dj-stream="m">\n<li id="a">a</li><li id="b">b</li>\n</ul>');
  const b = root.querySelector("#b");
  djust.applyStream(root, update({ html: '<li id="c">c</li><li id="z">z</li>', at: { c: -1, z: 0 } }));
  assert.deepEqual(ids(root), ["z:z", "a:a", "b:b", "c:c"]);
  djust.applyStream(root, update({ html: '<li id="b">B</li><li id="m">m</li>', at: { b: -1, m: 2 } }));
  assert.deepEqual(ids(root), ["z:z", "a:a", "m:m", "b:B", "c:c"]);
  assert.notEqual(root.querySelector("#b"), b, "updated in place: same position, new content");
});

test("deletes, reset and limit", () => {
  const root = rootOf('<ul dj-stream="m"><li id="a">a</li><li id="b">b</li><li id="c">c</li></ul>');
  djust.applyStream(root, update({ deletes: ["b", "missing"] }));
  assert.deepEqual(ids(root), ["a:a", "c:c"]);
  djust.applyStream(root, update({ html: '<li id="d">d</li><li id="e">e</li>', at: { d: -1, e: -1 }, limit: -3 }));
  assert.deepEqual(ids(root), ["c:c", "d:d", "e:e"], "-3 keeps the last three");
  djust.applyStream(root, update({ html: '<li id="f">f</li>', at: { f: 0 }, limit: 2 }));
  assert.deepEqual(ids(root), ["f:f", "c:c"], "2 keeps the first two");
  djust.applyStream(root, update({ html: '<li id="g">g</li>', at: { g: -1 }, reset: true }));
  assert.deepEqual(ids(root), ["g:g"]);
});

test("a thousand inserts in a row keep the DOM at the limit and stay fast", () => {
  const root = rootOf('<ul dj-stream="m"></ul>');
  const start = performance.now();
  for (let i = 0; i < 1000; i++) {
    djust.applyStream(root, update({ html: `<li id="i${i}">${i}</li>`, at: { ["i" + i]: -1 }, limit: -100 }));
  }
  assert.equal(root.querySelector("[dj-stream]").children.length, 100);
  assert.equal(ids(root)[0], "i900:900");
  assert.ok(performance.now() - start < 5000);
});

test("a frame for a stream the page does not show is ignored", () => {
  const root = rootOf("<p>x</p>");
  djust.applyStream(root, update({ name: "other", html: '<li id="a">a</li>' }));
  assert.equal(root.innerHTML, "<p>x</p>");
});

test("dj-viewport-bottom/top send their event once per edge child as it scrolls into view", () => {
  const { document } = parseHTML(
    '<!doctype html><html><body><div dj-view="T" dj-root><ul dj-stream="m" dj-viewport-top="newer" dj-viewport-bottom="older" data-feed="f"><li id="a">a</li><li id="b">b</li></ul></div></body></html>',
  );
  const observed = [];
  let callback;
  globalThis.IntersectionObserver = class {
    constructor(fn) {
      callback = fn;
    }
    observe(el) {
      observed.push(el.id);
    }
    unobserve() {}
    disconnect() {
      observed.length = 0;
    }
  };
  const host = document.querySelector("[dj-view]");
  const sent = [];
  const view = { element: host, root: host, pushEvent: (name, params) => sent.push([name, params]) };
  djust.views.push(view);
  try {
    djust.watchEdges(view);
    assert.deepEqual(observed, ["a", "b"]);
    const [a, b] = host.querySelectorAll("li");
    callback([{ target: b, isIntersecting: true }]);
    callback([{ target: b, isIntersecting: true }]);
    callback([{ target: a, isIntersecting: false }]);
    assert.deepEqual(sent, [["older", { feed: "f" }]]);
    djust.applyStream(host, { name: "m", html: '<li id="c">c</li>', at: { c: -1 }, deletes: [], reset: false, limit: null });
    djust.watchEdges(view);
    assert.deepEqual(observed, ["a", "c"], "b already sent: only the new last child is watched");
    callback([{ target: a, isIntersecting: true }]);
    assert.deepEqual(sent.at(-1), ["newer", { feed: "f" }]);
  } finally {
    djust.views.length = 0;
    delete globalThis.IntersectionObserver;
  }
});
