// static/djust/uploads.js: declares files, sends chunks as the server's acks ask (binary on a
// socket that takes them, base64 otherwise), resumes after a reconnect, shows previews.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { parseHTML } from "linkedom";

const require = createRequire(import.meta.url);
const uploads = require("../../static/djust/uploads.js");
const core = require("../../static/djust/client.js");

function fakeView(socket) {
  const { document } = parseHTML('<!doctype html><html><body><div dj-root><img dj-upload-preview="x"></div></body></html>');
  return { root: document.querySelector("[dj-root]"), sent: [], nextRef: 1, connected: true, socket, send(frame) { this.sent.push(frame); } };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => uploads.entries.clear());

test("a chosen file is declared, then sent chunk by chunk as each ack asks, in base64 without binary", async () => {
  const view = fakeView(null);
  uploads.choose(view, "avatar", [new File(["abcdefghij"], "n.txt", { type: "text/plain" })]);
  const [declared] = view.sent;
  assert.equal(declared.t, "upload");
  assert.deepEqual(declared.entries.map((e) => [e.name, e.size]), [["n.txt", 10]]);
  const ref = declared.entries[0].ref;
  assert.match(ref, /^[0-9a-f]{16}$/);
  uploads.ack(view, { entries: { [ref]: { offset: 0, chunk_size: 4, binary: false } } });
  await settle();
  assert.deepEqual(view.sent[1], { t: "upload_chunk", entry: ref, offset: 0, data: Buffer.from("abcd").toString("base64") });
  // A duplicate ack for the chunk already on its way sends nothing more.
  uploads.ack(view, { entries: { [ref]: { offset: 0, chunk_size: 4, binary: false } } });
  uploads.ack(view, { entries: { [ref]: { offset: 4, chunk_size: 4, binary: false } } });
  uploads.ack(view, { entries: { [ref]: { offset: 4, chunk_size: 4, binary: false } } });
  await settle();
  assert.deepEqual(view.sent.slice(2).map((f) => [f.offset, Buffer.from(f.data, "base64").toString()]), [[4, "efgh"]]);
  uploads.ack(view, { entries: { [ref]: { offset: 10, chunk_size: 4, binary: false } } });
  await settle();
  assert.equal(view.sent.length, 3, "done: nothing more");
});

test("on a socket that takes them, chunks are binary frames with a length-prefixed JSON header", async () => {
  const frames = [];
  const view = fakeView({ readyState: 1, send: (data) => frames.push(data) });
  uploads.choose(view, "avatar", [new File([new Uint8Array([1, 2, 3])], "b.bin")]);
  const ref = view.sent[0].entries[0].ref;
  uploads.ack(view, { entries: { [ref]: { offset: 0, chunk_size: 1024, binary: true } } });
  await settle();
  const frame = frames[0];
  const length = new DataView(frame.buffer).getUint16(0);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(frame.subarray(2, 2 + length))), { entry: ref, offset: 0 });
  assert.deepEqual(Array.from(frame.subarray(2 + length)), [1, 2, 3]);
});

test("a refused entry sends nothing; after a reconnect unfinished entries are declared again", async () => {
  const view = fakeView({ readyState: 1, send() {} });
  uploads.choose(view, "avatar", [new File(["x"], "a.txt"), new File(["yy"], "b.txt")]);
  const [a, b] = view.sent[0].entries.map((e) => e.ref);
  uploads.ack(view, { entries: { [a]: { error: "too large" }, [b]: { offset: 0, chunk_size: 1, binary: false } } });
  await settle();
  assert.deepEqual(view.sent.slice(1).map((f) => f.entry), [b]);
  view.socket = { readyState: 1, send() {} }; // a new socket: the reconnect
  uploads.changed(view);
  const again = view.sent.at(-1);
  assert.equal(again.t, "upload");
  assert.equal(again.resume, true);
  assert.deepEqual(again.entries.map((e) => e.ref), [b]);
});

test("an image's preview is put on its dj-upload-preview element", () => {
  const view = fakeView(null);
  uploads.entries.set("x", { file: new File(["x"], "a.png"), view, url: "blob:x", socket: null, done: true });
  uploads.changed(view);
  assert.equal(view.root.querySelector("img").getAttribute("src"), "blob:x");
});

test("plugged into the core, the ack frame reaches the part whichever script ran first", () => {
  const seen = [];
  globalThis.djustParts = [(parts) => seen.push(Object.keys(parts).sort())];
  try {
    core.plugParts();
    globalThis.djustParts.push((parts) => seen.push(typeof parts.frames));
    assert.deepEqual(seen, [["changed", "frames", "trigger", "viewFor", "views"], "object"]);
    globalThis.document = parseHTML("<!doctype html><html><body></body></html>").document;
    const parts = { frames: {}, changed: [] };
    uploads.plug(parts);
    assert.equal(parts.frames.upload_ack, uploads.ack);
    assert.deepEqual(parts.changed, [uploads.changed]);
  } finally {
    delete globalThis.djustParts;
    delete globalThis.document;
  }
});
