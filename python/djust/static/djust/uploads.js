/*
 * djust uploads: files from <input type="file" dj-upload="name"> and dj-drop-target="name"
 * elements, sent in chunks over the view's connection; image previews (dj-upload-preview="ref")
 * and cancel buttons (dj-upload-cancel="ref"). {% djust_scripts %} loads it only on pages whose
 * view allows an upload; python/djust/uploads.py describes the frames. Plugs into client.js
 * through window.djustParts.
 */
(function (global) {
  "use strict";

  const ATTR = Object.freeze({
    UPLOAD: "dj-upload",
    DROP: "dj-drop-target",
    PREVIEW: "dj-upload-preview",
    CANCEL: "dj-upload-cancel",
  });
  const MSG = Object.freeze({ UPLOAD: "upload", CHUNK: "upload_chunk", CANCEL: "upload_cancel", ACK: "upload_ack" });

  // ref → { file, name, view, url, sentAt, done, socket }
  const entries = new Map();

  const newRef = () =>
    Array.from(global.crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");

  function base64(bytes) {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return global.btoa(text);
  }

  /** Declares files to the server; each is sent once the server's ack accepts it. */
  function declare(view, name, list, resume) {
    if (!list.length) return;
    const declared = list.map(([ref, entry]) => ({ ref, name: entry.file.name, type: entry.file.type, size: entry.file.size }));
    view.send({ t: MSG.UPLOAD, ref: view.nextRef++, name, entries: declared, resume: Boolean(resume) });
  }

  function choose(view, name, files) {
    const list = [];
    for (const file of files) {
      const entry = { file, name, view, sentAt: -1, socket: view.socket };
      if (/^image\//.test(file.type) && global.URL && global.URL.createObjectURL) entry.url = global.URL.createObjectURL(file);
      const ref = newRef();
      entries.set(ref, entry);
      list.push([ref, entry]);
    }
    declare(view, name, list);
  }

  function forget(ref) {
    const entry = entries.get(ref);
    entries.delete(ref);
    if (entry && entry.url) global.URL.revokeObjectURL(entry.url);
  }

  /** The server's answer for some entries: refused, done, or "send from offset". */
  function ack(view, message) {
    for (const ref of Object.keys(message.entries)) {
      const state = message.entries[ref];
      const entry = entries.get(ref);
      if (!entry) continue;
      // Refused: nothing more is sent; the entry stays until cancelled (its errors show).
      entry.done = Boolean(state.error) || state.offset >= entry.file.size;
      // An ack for the chunk already on its way (a duplicate, a resume) sends nothing more.
      if (entry.done || state.offset === entry.sentAt) continue;
      entry.sentAt = state.offset;
      sendChunk(view, ref, entry, state);
    }
  }

  async function sendChunk(view, ref, entry, state) {
    const bytes = new Uint8Array(await entry.file.slice(state.offset, state.offset + state.chunk_size).arrayBuffer());
    if (!entries.has(ref) || !view.connected) return; // cancelled, or resumed after the reconnect
    const socket = view.socket;
    if (state.binary && socket && socket.readyState === 1) {
      const header = new global.TextEncoder().encode(JSON.stringify({ entry: ref, offset: state.offset }));
      const frame = new Uint8Array(2 + header.length + bytes.length);
      new DataView(frame.buffer).setUint16(0, header.length);
      frame.set(header, 2);
      frame.set(bytes, 2 + header.length);
      return socket.send(frame);
    }
    view.send({ t: MSG.CHUNK, entry: ref, offset: state.offset, data: base64(bytes) });
  }

  /** After each change to a view's root: previews on their images; after a reconnect, the
   * unfinished entries are declared again and go on where the server has them. */
  function changed(view) {
    for (const img of view.root.querySelectorAll("[" + ATTR.PREVIEW + "]")) {
      const entry = entries.get(img.getAttribute(ATTR.PREVIEW));
      if (entry && entry.url && img.getAttribute("src") !== entry.url) img.setAttribute("src", entry.url);
    }
    const resumed = new Map();
    for (const [ref, entry] of entries) {
      if (entry.view !== view || entry.done || entry.socket === view.socket || !view.connected) continue;
      entry.socket = view.socket;
      entry.sentAt = -1;
      if (!resumed.has(entry.name)) resumed.set(entry.name, []);
      resumed.get(entry.name).push([ref, entry]);
    }
    for (const [name, list] of resumed) declare(view, name, list, true);
  }

  function plug(core) {
    core.frames[MSG.ACK] = ack;
    core.changed.push(changed);
    const doc = global.document;
    doc.addEventListener("change", (event) => {
      const input = event.target;
      if (!input.hasAttribute || !input.hasAttribute(ATTR.UPLOAD) || !input.files) return;
      const view = core.viewFor(input);
      if (view) choose(view, input.getAttribute(ATTR.UPLOAD), Array.from(input.files));
      input.value = "";
    });
    const zone = (event) => event.target.closest && event.target.closest("[" + ATTR.DROP + "]");
    doc.addEventListener("dragover", (event) => {
      if (zone(event)) event.preventDefault();
    });
    doc.addEventListener("drop", (event) => {
      const target = zone(event);
      const view = target && core.viewFor(target);
      if (!view) return;
      event.preventDefault();
      choose(view, target.getAttribute(ATTR.DROP), Array.from(event.dataTransfer.files));
    });
    doc.addEventListener("click", (event) => {
      const button = event.target.closest && event.target.closest("[" + ATTR.CANCEL + "]");
      const ref = button && button.getAttribute(ATTR.CANCEL);
      const entry = ref && entries.get(ref);
      if (!entry) return;
      event.preventDefault();
      forget(ref);
      entry.view.send({ t: MSG.CANCEL, name: entry.name, entry: ref });
    });
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { plug, entries, ack, changed, choose, base64, ATTR, MSG };
  } else {
    (global.djustParts = global.djustParts || []).push(plug);
  }
})(typeof window !== "undefined" ? window : globalThis);
