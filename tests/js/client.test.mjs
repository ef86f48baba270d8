// Unit tests for the client runtime outside the DOM patches: the view's connection and frames,
// hooks, loading states, rate limits and key filters — on linkedom, with a fake WebSocket.
import { test, beforeEach, afterEach, mock } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { parseHTML } from "linkedom";

const require = createRequire(import.meta.url);
const djust = require("../../static/djust/client.js");

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen();
  }
  serverSends(frame) {
    this.onmessage({ data: typeof frame === "string" ? frame : JSON.stringify(frame) });
  }
  drop() {
    this.readyState = 3;
    this.onclose();
  }
}

let errors;
let history;
let windowEvents;
let originalError;

function page(inner) {
  const { document } = parseHTML(
    `<!doctype html><html><body><div dj-view="TOKEN"><div dj-root>${inner}</div></div></body></html>`,
  );
  globalThis.document = document;
  return document;
}

function liveView(inner, config = {}) {
  const document = page(inner);
  const view = new djust.View(document.querySelector("[dj-view]"), { wsPath: "/ws/live/", ...config });
  view.connect();
  return { view, document, socket: FakeSocket.all.at(-1) };
}

function mountedView(inner) {
  const live = liveView(inner);
  live.socket.open();
  live.socket.serverSends({ t: "mounted" });
  return live;
}

beforeEach(() => {
  FakeSocket.all = [];
  errors = [];
  history = [];
  windowEvents = [];
  originalError = console.error;
  console.error = (...args) => errors.push(args.map(String).join(" "));
  globalThis.WebSocket = FakeSocket;
  globalThis.location = { protocol: "http:", host: "example.test", pathname: "/counter/", search: "?a=1" };
  globalThis.history = {
    pushState: (state, _title, url) => history.push(["push", state, url]),
    replaceState: (state, _title, url) => history.push(["replace", state, url]),
  };
  globalThis.dispatchEvent = (event) => windowEvents.push(event);
  mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
});

afterEach(() => {
  console.error = originalError;
  mock.timers.reset();
  for (const name of ["WebSocket", "location", "history", "dispatchEvent", "document"]) delete globalThis[name];
});

test("connects to the configured path and mounts with the token and the page's URL", () => {
  const { socket } = liveView("<p>0</p>", { wsPath: "/custom/ws/" });
  assert.equal(socket.url, "ws://example.test/custom/ws/");
  socket.open();
  assert.deepEqual(socket.sent, [{ t: "mount", token: "TOKEN", url: "/counter/?a=1", reconnect: false }]);
});

test("mounted marks the view connected and replaces the root when the server sends HTML", () => {
  const { view, socket, document } = liveView("<p>old</p>");
  socket.open();
  socket.serverSends({ t: "mounted", html: "<p>new</p>", title: "New title" });
  assert.equal(view.root.innerHTML, "<p>new</p>");
  assert.ok(view.element.hasAttribute("dj-connected"));
  assert.equal(document.title, "New title");
});

test("events made before the mount wait for it, then go out in order with fresh refs", () => {
  const { view, socket } = liveView("<p>0</p>");
  view.pushEvent("a", {});
  socket.open();
  view.pushEvent("b", { x: 1 }, { target: "comp" });
  assert.deepEqual(socket.sent.map((f) => f.t), ["mount"]);
  socket.serverSends({ t: "mounted" });
  assert.deepEqual(socket.sent.slice(1), [
    { t: "event", ref: 1, name: "a", params: {}, target: null },
    { t: "event", ref: 2, name: "b", params: { x: 1 }, target: "comp" },
  ]);
});

test("a patch frame is applied to the root and calls the event's reply", () => {
  const { view, socket } = mountedView("<h1>Count: 0</h1>");
  let reply;
  const ref = view.pushEvent("inc", {}, { reply: (frame) => (reply = frame) });
  socket.serverSends({ t: "patch", ref, patches: [["text", [0, 0], "Count: 1"]] });
  assert.equal(view.root.innerHTML, "<h1>Count: 1</h1>");
  assert.equal(reply.t, "patch");
});

test("error frames are logged with the handler name, also after the event's patch", () => {
  const { view, socket } = mountedView("<p>0</p>");
  const first = view.pushEvent("explode", {});
  socket.serverSends({ t: "patch", ref: first, patches: [] });
  socket.serverSends({ t: "error", ref: first, code: "handler_error", message: "explode() raised X" });
  const second = view.pushEvent("nope", {});
  socket.serverSends({ t: "error", ref: second, code: "unknown_event", message: "no handler" });
  socket.serverSends({ t: "error", ref: null, code: "malformed_frame", message: "bad" });
  assert.deepEqual(errors, [
    "[djust] handler_error in explode: explode() raised X",
    "[djust] unknown_event in nope: no handler",
    "[djust] malformed_frame: bad",
  ]);
  view.pushEvent("still_live", {});
  assert.equal(socket.sent.at(-1).name, "still_live");
});

test("an unreadable frame or an unknown type is reported and ignored", () => {
  const { socket, view } = mountedView("<p>0</p>");
  const warn = console.warn;
  const warnings = [];
  console.warn = (...args) => warnings.push(args.join(" "));
  try {
    socket.serverSends("{not json");
    socket.serverSends({ t: "teleport" });
  } finally {
    console.warn = warn;
  }
  assert.match(errors[0], /unreadable frame/);
  assert.match(warnings[0], /unknown frame type teleport/);
  assert.ok(view.element.hasAttribute("dj-connected"));
});

test("a patch that does not fit the DOM closes the socket to resynchronise", () => {
  const { socket } = mountedView("<p>0</p>");
  socket.serverSends({ t: "patch", ref: null, patches: [["text", [9, 9], "x"]] });
  assert.equal(socket.readyState, 3);
  assert.match(errors[0], /resynchronising/);
  mock.timers.tick(300);
  const next = FakeSocket.all.at(-1);
  assert.notEqual(next, socket);
  next.open();
  assert.equal(next.sent[0].reconnect, true);
});

test("a lost socket is reopened with growing, jittered delays and a reconnect mount", () => {
  const random = mock.method(Math, "random", () => 0.999);
  try {
    const { socket } = mountedView("<p>0</p>");
    socket.drop();
    assert.equal(FakeSocket.all.length, 1);
    mock.timers.tick(250);
    assert.equal(FakeSocket.all.length, 2, "first retry within 250 ms");
    FakeSocket.all[1].drop();
    mock.timers.tick(500);
    assert.equal(FakeSocket.all.length, 3, "second retry within 500 ms");
    FakeSocket.all[2].open();
    assert.deepEqual(FakeSocket.all[2].sent[0], { t: "mount", token: "TOKEN", url: "/counter/?a=1", reconnect: true });
  } finally {
    random.mock.restore();
  }
});

test("backoff is full jitter under an exponential ceiling capped at 10 s", () => {
  for (let retries = 0; retries < 20; retries++) {
    const ceiling = Math.min(10000, 250 * 2 ** retries);
    for (let i = 0; i < 50; i++) {
      const delay = djust.backoff(retries);
      assert.ok(delay >= 0 && delay < ceiling, `${delay} for ${retries}`);
    }
  }
});

test("the heartbeat pings, and drops a link whose ping went unanswered", () => {
  const { socket, view } = mountedView("<p>0</p>");
  mock.timers.tick(30000);
  assert.deepEqual(socket.sent.at(-1), { t: "ping", ref: 1 });
  socket.serverSends({ t: "pong", ref: 1 });
  mock.timers.tick(30000);
  assert.equal(socket.sent.at(-1).t, "ping");
  assert.equal(socket.readyState, 1, "answered pings keep the socket");
  mock.timers.tick(30000);
  assert.equal(socket.readyState, 3, "an unanswered ping closes it");
  assert.ok(!view.element.hasAttribute("dj-connected"));
});

test("a socket that never opens switches the page to HTTP", () => {
  const { view, socket } = liveView("<p>0</p>");
  const warn = mock.method(console, "warn", () => {});
  try {
    socket.drop();
  } finally {
    warn.mock.restore();
  }
  assert.equal(view.http, true);
  assert.ok(view.element.hasAttribute("dj-connected"));
  mock.timers.tick(20000);
  assert.equal(FakeSocket.all.length, 1, "no reconnect attempts");
});

test("server commands: live_patch updates history, push_event reaches hooks and window", () => {
  const heard = [];
  djust.hooks.Chart = {
    mounted() {
      this.handleEvent("highlight", (payload) => heard.push(["hook", this.el.id, payload]));
    },
  };
  try {
    const { socket } = mountedView('<div id="c" dj-hook="Chart"></div>');
    socket.serverSends({ t: "live_patch", to: "/counter/?page=2", replace: false });
    socket.serverSends({ t: "live_patch", to: "/counter/?page=3", replace: true });
    socket.serverSends({ t: "push_event", event: "highlight", payload: { id: 3 } });
  } finally {
    delete djust.hooks.Chart;
  }
  assert.deepEqual(history.map(([kind, , url]) => [kind, url]), [
    ["push", "/counter/?page=2"],
    ["replace", "/counter/?page=3"],
  ]);
  assert.deepEqual(heard, [["hook", "c", { id: 3 }]]);
  assert.equal(windowEvents[0].type, "djust:highlight");
  assert.deepEqual(windowEvents[0].detail, { id: 3 });
});

test("live_redirect sends navigate; its mounted answer swaps the root, token and history", () => {
  const { view, socket } = mountedView("<p>list</p>");
  socket.serverSends({ t: "live_redirect", to: "/items/7/", replace: false });
  assert.deepEqual(socket.sent.at(-1), { t: "navigate", ref: 1, url: "/items/7/" });
  const before = view.navId;
  socket.serverSends({ t: "mounted", html: "<p>item 7</p>", title: "Item 7", token: "NEW" });
  assert.equal(view.root.innerHTML, "<p>item 7</p>");
  assert.equal(view.token, "NEW");
  assert.equal(view.element.getAttribute("dj-view"), "NEW");
  assert.notEqual(view.navId, before);
  assert.deepEqual(history.at(-1), ["push", { dj: view.navId }, "/items/7/"]);
});

test("hooks: mounted for new elements, destroyed for removed ones, errors contained", () => {
  const calls = [];
  djust.hooks.Probe = {
    mounted() {
      calls.push("mounted:" + this.el.id);
    },
    destroyed() {
      calls.push("destroyed:" + this.el.id);
    },
  };
  djust.hooks.Broken = {
    mounted() {
      throw new Error("oops");
    },
  };
  try {
    const { view, socket } = mountedView('<p id="a" dj-hook="Probe"></p><p id="b" dj-hook="Broken"></p>');
    assert.deepEqual(calls, ["mounted:a"]);
    assert.match(errors[0], /hook Broken\.mounted\(\) failed/);
    socket.serverSends({ t: "patch", ref: null, patches: [["html", [], '<p id="c" dj-hook="Probe"></p>']] });
    assert.deepEqual(calls, ["mounted:a", "destroyed:a", "mounted:c"]);
    assert.equal(view.hooks.size, 1);
  } finally {
    delete djust.hooks.Probe;
    delete djust.hooks.Broken;
  }
});

test("an unknown hook name is reported once, with how to register it", () => {
  mountedView('<p dj-hook="Nowhere"></p>');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /no hook named Nowhere: register it with window\.djust\.hooks\.Nowhere/);
});

test("loading: the sender, elements inside it, and elements naming the event; nested events", () => {
  const document = page(`
    <button id="save" dj-loading.disable dj-loading.class="busy dim"><i id="icon" dj-loading.show></i></button>
    <p id="named" dj-loading="save other" dj-loading.hide style="display: flex"></p>
    <p id="elsewhere" dj-loading.hide></p>`);
  const root = document.querySelector("[dj-root]");
  const save = document.getElementById("save");
  const icon = document.getElementById("icon");
  const named = document.getElementById("named");
  const undoFirst = djust.startLoading(root, "save", save);
  const undoSecond = djust.startLoading(root, "save", save);
  assert.ok(save.hasAttribute("disabled"));
  assert.deepEqual([...save.classList].sort(), ["busy", "dim", "dj-loading"]);
  assert.equal(icon.style.display, "block");
  assert.equal(named.style.display, "none");
  assert.equal(document.getElementById("elsewhere").style.display, "", "not in scope");
  undoFirst();
  assert.ok(save.hasAttribute("disabled"), "still loading: the second event is in flight");
  undoSecond();
  assert.ok(!save.hasAttribute("disabled"));
  assert.deepEqual([...save.classList], []);
  assert.equal(icon.style.display, "");
  assert.equal(named.style.display, "flex");
});

test("loading keeps an element disabled that was disabled before", () => {
  const document = page('<button id="b" disabled dj-loading.disable></button>');
  const button = document.getElementById("b");
  djust.startLoading(document.querySelector("[dj-root]"), "x", button)();
  assert.ok(button.hasAttribute("disabled"));
});

test("debounce sends the last call once the element is quiet; blur-debounce waits for a flush", () => {
  const { document } = parseHTML('<input id="a" dj-debounce="300"><input id="b" dj-debounce="blur"><i id="c"></i>');
  const [a, b, c] = ["a", "b", "c"].map((id) => document.getElementById(id));
  const sent = [];
  djust.rateLimit(a, "input", () => sent.push("a1"));
  mock.timers.tick(200);
  djust.rateLimit(a, "input", () => sent.push("a2"));
  mock.timers.tick(299);
  assert.deepEqual(sent, []);
  mock.timers.tick(1);
  assert.deepEqual(sent, ["a2"]);
  djust.rateLimit(b, "input", () => sent.push("b1"));
  djust.rateLimit(b, "input", () => sent.push("b2"));
  mock.timers.tick(5000);
  assert.deepEqual(sent, ["a2"]);
  djust.flushDebounced(a);
  assert.deepEqual(sent, ["a2"], "flushing another element leaves b alone");
  djust.flushDebounced(b);
  assert.deepEqual(sent, ["a2", "b2"]);
  // An event without a rate limit sends what is pending first.
  djust.rateLimit(a, "input", () => sent.push("a3"));
  djust.rateLimit(c, "click", () => sent.push("c1"));
  assert.deepEqual(sent, ["a2", "b2", "a3", "c1"]);
});

test("throttle sends the first call at once and the latest one per interval", () => {
  const { document } = parseHTML('<button dj-throttle="100"></button>');
  const button = document.querySelector("button");
  const sent = [];
  for (let i = 1; i <= 5; i++) djust.rateLimit(button, "click", () => sent.push(i));
  assert.deepEqual(sent, [1]);
  mock.timers.tick(100);
  assert.deepEqual(sent, [1, 5]);
  mock.timers.tick(100);
  assert.deepEqual(sent, [1, 5], "nothing new: the window closes");
  djust.rateLimit(button, "click", () => sent.push(6));
  assert.deepEqual(sent, [1, 5, 6]);
});

test("dj-key filters key events, ignoring case; no filter lets every key through", () => {
  const { document } = parseHTML('<input id="f" dj-key="Enter"><input id="any">');
  const filtered = document.getElementById("f");
  assert.ok(djust.keyMatches(filtered, { key: "Enter" }));
  assert.ok(djust.keyMatches(filtered, { key: "enter" }));
  assert.ok(!djust.keyMatches(filtered, { key: "a" }));
  assert.ok(!djust.keyMatches(filtered, {}));
  assert.ok(djust.keyMatches(document.getElementById("any"), { key: "x" }));
});

test("readConfig takes the script's data attributes, with defaults", () => {
  assert.deepEqual(djust.readConfig(null), {
    wsPath: "/ws/live/",
    transport: "websocket",
    csrfCookie: "csrftoken",
    csrfHeader: "X-CSRFToken",
    csrfToken: undefined,
    debugVdom: false,
  });
  const config = djust.readConfig({
    dataset: { wsPath: "/x/", transport: "http", csrfToken: "t", debugVdom: "true" },
  });
  assert.equal(config.wsPath, "/x/");
  assert.equal(config.transport, "http");
  assert.equal(config.csrfToken, "t");
  assert.equal(config.debugVdom, true);
});

test("over HTTP, frames are POSTed one at a time with the token, state and CSRF header", async () => {
  const posts = [];
  let answer = 0;
  globalThis.fetch = async (url, init) => {
    posts.push({ url, headers: init.headers, body: JSON.parse(init.body) });
    answer += 1;
    if (answer === 3) return { ok: false, status: 403 };
    return {
      ok: true,
      json: async () => ({
        frames: [{ t: "patch", ref: answer, patches: [["text", [0, 0], "n" + answer]] }],
        state: "S" + answer,
      }),
    };
  };
  try {
    const { view, document } = liveView("<p>n0</p>", { transport: "http", csrfCookie: "csrftoken", csrfHeader: "X-CSRFToken" });
    document.cookie = "csrftoken=abc%2F1";
    view.pushEvent("a", {});
    view.pushEvent("b", { x: 1 });
    view.pushEvent("c", {});
    await view.posting;
    assert.equal(FakeSocket.all.length, 0, "no socket at all");
    assert.deepEqual(posts.map((p) => [p.url, p.body.name, p.body.token, p.body.state ?? null]), [
      ["/counter/?a=1", "a", "TOKEN", null],
      ["/counter/?a=1", "b", "TOKEN", "S1"],
      ["/counter/?a=1", "c", "TOKEN", "S2"],
    ]);
    assert.equal(posts[0].headers["X-CSRFToken"], "abc/1");
    assert.equal(view.root.innerHTML, "<p>n2</p>");
    assert.equal(view.state, "S2", "a refused POST keeps the last state");
    assert.match(errors[0], /the server refused c: HTTP 403/);
    assert.equal(view.pending.size, 0);
  } finally {
    delete globalThis.fetch;
  }
});

test("in a page, window.djust is the hooks registry alone, and hooks registered first work", () => {
  // The script as a page runs it: no `module`, the window as the global object.
  const source = readFileSync(new URL("../../static/djust/client.js", import.meta.url), "utf8");
  const { document } = parseHTML(
    '<!doctype html><html><body><div dj-view="TOKEN" dj-root><p id="c" dj-hook="Chart"></p></div></body></html>',
  );
  const mounted = [];
  const chart = {
    mounted() {
      mounted.push(this.el.id);
    },
  };
  const win = {
    document,
    console,
    WebSocket: FakeSocket,
    location: globalThis.location,
    history: globalThis.history,
    addEventListener() {},
    setTimeout,
    clearTimeout,
    setInterval: () => 0,
    clearInterval() {},
    djust: { hooks: { Chart: chart } },
  };
  win.window = win;
  vm.runInNewContext(source, win);
  assert.deepEqual(Object.keys(win.djust), ["hooks"]);
  assert.equal(win.djust.hooks.Chart, chart);
  const socket = FakeSocket.all.at(-1);
  socket.open();
  assert.equal(socket.sent[0].token, "TOKEN");
  socket.serverSends({ t: "mounted" });
  assert.deepEqual(mounted, ["c"]);
  assert.deepEqual(errors, []);
});
