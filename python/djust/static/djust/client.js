/*
 * djust client runtime. Connects each [dj-view] element to its LiveView on the server over a
 * WebSocket, sends dj-* events, and applies the DOM patches the server answers with.
 * Plain JavaScript: no dependencies, no build step.
 */
(function (global) {
  "use strict";

  /* ---------------------------------------------------------------- protocol constants */
  // Mirrors runtime/protocol/src/constants.rs; tests/js/protocol.test.mjs keeps them in step.

  const MSG = Object.freeze({
    MOUNT: "mount",
    EVENT: "event",
    PING: "ping",
    MOUNTED: "mounted",
    PATCH: "patch",
    ERROR: "error",
    PONG: "pong",
  });

  const OP = Object.freeze({
    TEXT: "text",
    ATTR: "attr",
    RMATTR: "rmattr",
    REPLACE: "replace",
    HTML: "html",
  });

  /* ---------------------------------------------------------------------- DOM patches */

  class PatchError extends Error {}

  function nodeAt(root, path) {
    let node = root;
    for (const index of path) {
      node = node.childNodes[index];
      if (!node) throw new PatchError("no node at path [" + path.join(",") + "]");
    }
    return node;
  }

  // Parsed in a <template>, which accepts any content (table rows included) and never runs scripts.
  function parseFragment(doc, html) {
    const template = doc.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function applyPatch(root, patch) {
    const [op, path] = patch;
    const node = nodeAt(root, path);
    switch (op) {
      case OP.TEXT:
        node.data = patch[2];
        break;
      case OP.ATTR:
        node.setAttribute(patch[2], patch[3]);
        break;
      case OP.RMATTR:
        node.removeAttribute(patch[2]);
        break;
      case OP.REPLACE:
        if (node === root) throw new PatchError("the root itself cannot be replaced");
        node.replaceWith(parseFragment(root.ownerDocument, patch[2]));
        break;
      case OP.HTML:
        node.replaceChildren(parseFragment(root.ownerDocument, patch[2]));
        break;
      default:
        throw new PatchError("unknown patch operation " + JSON.stringify(op));
    }
  }

  /** Applies a server patch list to the children of `root`, in order. */
  function applyPatches(root, patches) {
    for (const patch of patches) applyPatch(root, patch);
  }

  /* --------------------------------------------------------------------- event params */

  function snakeCase(name) {
    return name.replace(/-/g, "_").replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
  }

  /** The params an element sends with its event: its data-* and dj-value-* attributes. */
  function eventParams(element) {
    const params = {};
    for (const attr of element.attributes) {
      if (attr.name.startsWith("data-")) params[snakeCase(attr.name.slice(5))] = attr.value;
    }
    for (const attr of element.attributes) {
      if (attr.name.startsWith("dj-value-")) params[snakeCase(attr.name.slice(9))] = attr.value;
    }
    return params;
  }

  /* ------------------------------------------------------------------------ the view */

  const RECONNECT_MIN_MS = 250;
  const RECONNECT_MAX_MS = 10000;
  // Keeps idle sockets alive through proxies that drop silent connections.
  const HEARTBEAT_MS = 30000;

  /** One server-side LiveView bound to a [dj-view] element and its [dj-root] region. */
  class View {
    constructor(element, config) {
      this.element = element;
      this.root = element.hasAttribute("dj-root") ? element : element.querySelector("[dj-root]") || element;
      this.token = element.getAttribute("dj-view");
      this.config = config;
      this.socket = null;
      this.nextRef = 1;
      this.mountedOnce = false;
      this.retries = 0;
    }

    connect() {
      const scheme = global.location.protocol === "https:" ? "wss:" : "ws:";
      const socket = new global.WebSocket(scheme + "//" + global.location.host + this.config.wsPath);
      this.socket = socket;
      socket.onopen = () => {
        this.send({
          t: MSG.MOUNT,
          token: this.token,
          url: global.location.pathname + global.location.search,
          reconnect: this.mountedOnce,
        });
      };
      socket.onmessage = (message) => this.receive(message.data);
      socket.onclose = () => {
        if (this.socket !== socket) return;
        clearInterval(this.heartbeat);
        this.element.removeAttribute("dj-connected");
        this.scheduleReconnect();
      };
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => this.send({ t: MSG.PING, ref: this.nextRef++ }), HEARTBEAT_MS);
    }

    scheduleReconnect() {
      const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.retries);
      this.retries += 1;
      // Full jitter: a restarted server is not hit by every page at the same instant.
      setTimeout(() => this.connect(), Math.random() * ceiling);
    }

    send(message) {
      if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(message));
    }

    pushEvent(name, params) {
      this.send({ t: MSG.EVENT, ref: this.nextRef++, name: name, params: params });
    }

    receive(data) {
      let message;
      try {
        message = JSON.parse(data);
      } catch (err) {
        console.error("[djust] unreadable frame from server", data);
        return;
      }
      switch (message.t) {
        case MSG.MOUNTED:
          if (typeof message.html === "string") this.root.innerHTML = message.html;
          this.mountedOnce = true;
          this.retries = 0;
          this.element.setAttribute("dj-connected", "");
          break;
        case MSG.PATCH:
          try {
            applyPatches(this.root, message.patches);
          } catch (err) {
            // The DOM no longer matches the server's tree: remount to get a fresh copy.
            console.error("[djust] could not apply patches, resynchronising", err);
            this.socket.close();
          }
          break;
        case MSG.ERROR:
          console.error("[djust] " + message.code + ": " + message.message);
          break;
        case MSG.PONG:
          break;
        default:
          console.warn("[djust] unknown frame type", message.t);
      }
    }
  }

  /* --------------------------------------------------------------------------- boot */

  const views = [];

  function viewFor(element) {
    const host = element.closest("[dj-view]");
    return host ? views.find((view) => view.element === host) : undefined;
  }

  function onClick(event) {
    const target = event.target.closest ? event.target.closest("[dj-click]") : null;
    if (!target) return;
    const view = viewFor(target);
    if (!view) return;
    event.preventDefault();
    view.pushEvent(target.getAttribute("dj-click"), eventParams(target));
  }

  function readConfig(script) {
    const data = (script && script.dataset) || {};
    return { wsPath: data.wsPath || "/ws/live/" };
  }

  function start(config) {
    for (const element of global.document.querySelectorAll("[dj-view]")) {
      const view = new View(element, config);
      views.push(view);
      view.connect();
    }
    global.document.addEventListener("click", onClick);
  }

  const api = { applyPatches, eventParams, PatchError, MSG, OP, views, hooks: {} };

  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    global.djust = Object.assign(global.djust || {}, api);
    const config = readConfig(global.document.currentScript);
    if (global.document.readyState === "loading") {
      global.document.addEventListener("DOMContentLoaded", () => start(config));
    } else {
      start(config);
    }
  }
})(typeof window !== "undefined" ? window : globalThis);
