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

  /* ---------------------------------------------------------------------- DOM patches */
  // Applies the server's patches (docs/protocol.md, "Patches") to the children of a root.
  // Mirrors runtime/vdom: paths index childNodes; HTML is parsed in its parent's context.

  const OP = Object.freeze({
    TEXT: "text",
    ATTR: "attr",
    RMATTR: "rmattr",
    REPLACE: "replace",
    HTML: "html",
    INSERT: "insert",
    REMOVE: "remove",
    MOVE: "move",
  });

  class PatchError extends Error {}
  PatchError.prototype.name = "PatchError";

  const FOREIGN_ATTR_NS = {
    xlink: "http://www.w3.org/1999/xlink",
    xml: "http://www.w3.org/XML/1998/namespace",
    xmlns: "http://www.w3.org/2000/xmlns/",
  };

  function fail(what, path) {
    throw new PatchError(what + " at path [" + path + "]");
  }

  function isIndex(n) {
    return Number.isInteger(n) && n >= 0;
  }

  /** The node reached by the first `depth` indices of `path`. */
  function nodeAt(root, path, depth) {
    let node = root;
    for (let i = 0; i < depth; i++) {
      node = isIndex(path[i]) && node.localName !== "template" ? node.childNodes[path[i]] : null;
      if (!node) fail("no node", path);
    }
    return node;
  }

  function elementAt(root, path, depth) {
    const node = nodeAt(root, path, depth);
    if (node.nodeType !== 1) fail("not an element", path);
    return node;
  }

  let inertDocument = null;

  /** Nodes parsed from HTML as the innerHTML setter of `parent` would, in a fragment. */
  function parseIn(parent, html) {
    const doc = parent.ownerDocument;
    // Made in an inert document: no custom element constructor runs, no script executes.
    const inert = doc.implementation
      ? (inertDocument = inertDocument || doc.implementation.createHTMLDocument(""))
      : doc;
    const context = inert.createElementNS(parent.namespaceURI, parent.localName);
    context.innerHTML = html;
    const fragment = doc.createDocumentFragment();
    fragment.append(...context.childNodes);
    return fragment;
  }

  /** The attribute's namespace on a foreign element (`xlink:href` in SVG), if any. */
  function attrNamespace(element, name) {
    const colon = name.indexOf(":");
    return colon > 0 && element.namespaceURI !== "http://www.w3.org/1999/xhtml"
      ? FOREIGN_ATTR_NS[name.slice(0, colon)]
      : undefined;
  }

  // A field the user has touched shows its property, not its attribute (or text). When the
  // server changes value, checked, selected or a textarea's text, the property follows; when
  // a patch list only rewrites them unchanged (attribute order), what the user typed stays.
  const FORM_STATE = { input: ["value", "checked"], option: ["selected"], textarea: ["text"] };
  // Inputs whose value property is the attribute itself (setting it would add one).
  const VALUE_IS_ATTRIBUTE = /^(checkbox|radio|hidden|submit|reset|button|image|file)$/;

  function formState(element, name) {
    return name === "text" ? element.textContent : element.getAttribute(name);
  }

  /** Remembers a field's server-side state before the first patch that touches it. */
  function noteFormState(element, name, touched) {
    const names = FORM_STATE[element.localName];
    if (!names || !names.includes(name)) return;
    const before = touched.get(element) || new Map();
    if (!before.has(name)) before.set(name, formState(element, name));
    touched.set(element, before);
  }

  function syncFormState(touched) {
    for (const [element, before] of touched) {
      for (const [name, old] of before) {
        const now = formState(element, name);
        if (now === old) continue;
        if (name === "text") element.value = now;
        else if (name === "checked") element.checked = now !== null;
        else if (name === "selected") element.selected = now !== null;
        else if (!VALUE_IS_ATTRIBUTE.test(element.type)) element.value = now === null ? "" : now;
      }
    }
  }

  function setAttr(element, name, value, touched) {
    noteFormState(element, name, touched);
    const ns = attrNamespace(element, name);
    if (ns) element.setAttributeNS(ns, name, value);
    else element.setAttribute(name, value);
  }

  function removeAttr(element, name, touched) {
    noteFormState(element, name, touched);
    const ns = attrNamespace(element, name);
    if (ns) element.removeAttributeNS(ns, name.slice(name.indexOf(":") + 1));
    else element.removeAttribute(name);
  }

  /** The node and every element inside it, in document order, into `list`. */
  function collectElements(node, list) {
    if (!list || node.nodeType !== 1) return;
    list.push(node);
    for (const element of node.querySelectorAll("*")) list.push(element);
  }

  function moveChild(parent, child, before) {
    // moveBefore keeps focus, selection, iframes and animations; after insertBefore, focus and
    // caret are restored by applyPatches.
    if (parent.moveBefore && child.isConnected) {
      try {
        parent.moveBefore(child, before);
        return;
      } catch (err) {
        // Not movable atomically (another document, say): an ordinary insert follows.
      }
    }
    parent.insertBefore(child, before);
  }

  function applyPatch(root, patch, changes, touched) {
    const op = patch[0];
    const path = patch[1];
    if (!Array.isArray(path)) throw new PatchError("patch " + JSON.stringify(op) + " has no path");
    const added = changes && changes.added;
    const removed = changes && changes.removed;
    // Before an element's children change: note a textarea's text, tell the callbacks.
    const childrenChange = (parent) => {
      noteFormState(parent, "text", touched);
      if (changes) changes.updated.add(parent);
    };
    switch (op) {
      case OP.TEXT: {
        const node = nodeAt(root, path, path.length);
        if (node.nodeType !== 3 && node.nodeType !== 8) fail("not a text node", path);
        childrenChange(node.parentNode);
        node.data = patch[2];
        return;
      }
      case OP.ATTR:
      case OP.RMATTR: {
        const element = elementAt(root, path, path.length);
        if (op === OP.ATTR) setAttr(element, patch[2], patch[3], touched);
        else removeAttr(element, patch[2], touched);
        if (changes) changes.updated.add(element);
        return;
      }
      case OP.HTML: {
        const element = elementAt(root, path, path.length);
        childrenChange(element);
        if (element.localName === "template") {
          element.innerHTML = patch[2];
        } else {
          for (const child of element.childNodes) collectElements(child, removed);
          const fragment = parseIn(element, patch[2]);
          for (const child of fragment.childNodes) collectElements(child, added);
          element.replaceChildren(fragment);
        }
        return;
      }
    }
    // The rest change a child list: the path names a child of `parent`.
    const last = path.length - 1;
    if (last < 0) fail("the root cannot be the target of " + JSON.stringify(op), path);
    const parent = elementAt(root, path, last);
    const index = path[last];
    const children = parent.childNodes;
    const child = isIndex(index) ? children[index] : undefined;
    childrenChange(parent);
    switch (op) {
      case OP.INSERT: {
        if (!isIndex(index) || index > children.length) fail("no place to insert", path);
        const fragment = parseIn(parent, patch[2]);
        for (const node of fragment.childNodes) collectElements(node, added);
        parent.insertBefore(fragment, children[index] || null);
        break;
      }
      case OP.REPLACE: {
        if (!child) fail("no node", path);
        collectElements(child, removed);
        const fragment = parseIn(parent, patch[2]);
        for (const node of fragment.childNodes) collectElements(node, added);
        parent.replaceChild(fragment, child);
        break;
      }
      case OP.REMOVE: {
        const count = patch[2];
        if (!child || !isIndex(count) || count < 1 || index + count > children.length) {
          fail("cannot remove " + JSON.stringify(count) + " nodes", path);
        }
        for (let i = 0; i < count; i++) {
          const node = parent.childNodes[index];
          collectElements(node, removed);
          parent.removeChild(node);
        }
        break;
      }
      case OP.MOVE: {
        const to = patch[2];
        if (!child || !isIndex(to) || to >= children.length) fail("cannot move to " + to, path);
        // `to` is the index once the node is out: the node now there is the one to go before.
        moveChild(parent, child, children[to < index ? to : to + 1] || null);
        break;
      }
      default:
        throw new PatchError("unknown patch operation " + JSON.stringify(op));
    }
  }

  /** Focus and caret inside `root`, to restore after patches that moved the field. */
  function saveFocus(root) {
    const active = root.ownerDocument.activeElement;
    if (!active || active === root || !root.contains(active)) return null;
    const saved = { element: active, value: active.value };
    try {
      saved.start = active.selectionStart;
      saved.end = active.selectionEnd;
      saved.direction = active.selectionDirection;
    } catch (err) {
      // Not a text field (a checkbox, a button): focus alone is restored.
    }
    return saved;
  }

  function restoreFocus(saved) {
    const element = saved && saved.element;
    if (!element || !element.isConnected || element.ownerDocument.activeElement === element) return;
    element.focus({ preventScroll: true });
    if (typeof saved.start === "number" && element.value === saved.value) {
      element.setSelectionRange(saved.start, saved.end, saved.direction);
    }
  }

  function report(changes, callbacks) {
    const addedNow = new Set(changes.added);
    for (const element of changes.removed) {
      if (!addedNow.has(element) && callbacks.removed) callbacks.removed(element);
    }
    for (const element of changes.added) {
      if (element.isConnected && callbacks.added) callbacks.added(element);
    }
    for (const element of changes.updated) {
      if (element.isConnected && !addedNow.has(element) && callbacks.updated) {
        callbacks.updated(element);
      }
    }
  }

  /**
   * Applies a server patch list to the children of `root`, in order. `callbacks` (optional):
   * `{added(element), removed(element), updated(element)}`, each called once per element the
   * patches inserted, removed, or changed in place (attributes or direct children).
   * Throws PatchError when the DOM does not match the patches.
   */
  function applyPatches(root, patches, callbacks) {
    const changes = callbacks ? { added: [], removed: [], updated: new Set() } : null;
    const touched = new Map();
    const focus = saveFocus(root);
    try {
      for (const patch of patches) {
        try {
          applyPatch(root, patch, changes, touched);
        } catch (err) {
          throw err instanceof PatchError ? err : new PatchError(String(err));
        }
      }
    } finally {
      syncFormState(touched);
      restoreFocus(focus);
      if (changes) report(changes, callbacks);
    }
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
