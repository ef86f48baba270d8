/*
 * djust client runtime. Connects each [dj-view] element to its LiveView on the server over a
 * WebSocket (or HTTP POSTs when there is none), sends dj-* events, and applies the DOM patches
 * the server answers with. Plain JavaScript: no dependencies, no build step.
 */
(function (global) {
  "use strict";

  /* ---------------------------------------------------------------- protocol constants */
  // Mirrors runtime/protocol/src/constants.rs; tests/js/protocol.test.mjs keeps them in step.

  const MSG = Object.freeze({
    MOUNT: "mount",
    EVENT: "event",
    PING: "ping",
    PARAMS: "params",
    NAVIGATE: "navigate",
    MOUNTED: "mounted",
    PATCH: "patch",
    ERROR: "error",
    PONG: "pong",
    PUSH_EVENT: "push_event",
    LIVE_PATCH: "live_patch",
    LIVE_REDIRECT: "live_redirect",
    REDIRECT: "redirect",
  });

  // The error codes the client acts on.
  const CODE = Object.freeze({
    INVALID_TOKEN: "invalid_token",
    INVALID_URL: "invalid_url",
  });

  // The HTML attributes the server's pages and the client share, under constants.rs's names.
  const ATTR = Object.freeze({
    DJ_VIEW: "dj-view",
    DJ_ROOT: "dj-root",
    DJ_CONNECTED: "dj-connected",
    DJ_CLICK: "dj-click",
    DJ_INPUT: "dj-input",
    DJ_CHANGE: "dj-change",
    DJ_SUBMIT: "dj-submit",
    DJ_KEYDOWN: "dj-keydown",
    DJ_KEYUP: "dj-keyup",
    DJ_WINDOW_KEYDOWN: "dj-window-keydown",
    DJ_WINDOW_KEYUP: "dj-window-keyup",
    DJ_KEY: "dj-key",
    DJ_FOCUS: "dj-focus",
    DJ_BLUR: "dj-blur",
    DJ_TARGET: "dj-target",
    DJ_PATCH: "dj-patch",
    DJ_NAVIGATE: "dj-navigate",
    DJ_REPLACE: "dj-replace",
    DJ_HOOK: "dj-hook",
    DJ_DEBOUNCE: "dj-debounce",
    DJ_THROTTLE: "dj-throttle",
    DJ_LOADING: "dj-loading",
    DJ_LOADING_CLASS: "dj-loading.class",
    DJ_LOADING_DISABLE: "dj-loading.disable",
    DJ_LOADING_SHOW: "dj-loading.show",
    DJ_LOADING_HIDE: "dj-loading.hide",
    DATA_COMPONENT_ID: "data-component-id",
    DJ_VALUE_PREFIX: "dj-value-",
  });

  /** A CSS selector for elements with any of the attributes `names`. */
  const withAttr = (...names) => names.map((name) => "[" + name.replace(/\./g, "\\.") + "]").join(",");

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

  // The attributes the HTML parser puts in a namespace on SVG and MathML elements (its
  // "adjust foreign attributes" table); any other name, colon or not, has no namespace.
  const XLINK = "http://www.w3.org/1999/xlink";
  const XML = "http://www.w3.org/XML/1998/namespace";
  const XMLNS = "http://www.w3.org/2000/xmlns/";
  const FOREIGN_ATTR_NS = {
    "xlink:actuate": XLINK, "xlink:arcrole": XLINK, "xlink:href": XLINK, "xlink:role": XLINK,
    "xlink:show": XLINK, "xlink:title": XLINK, "xlink:type": XLINK,
    "xml:lang": XML, "xml:space": XML, xmlns: XMLNS, "xmlns:xlink": XMLNS,
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
    return element.namespaceURI !== "http://www.w3.org/1999/xhtml" ? FOREIGN_ATTR_NS[name] : undefined;
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
        keepJs(element, patch[2]);
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
      const prefix = ATTR.DJ_VALUE_PREFIX;
      if (attr.name.startsWith(prefix)) params[snakeCase(attr.name.slice(prefix.length))] = attr.value;
    }
    return params;
  }

  const checkable = (el) => el.type === "checkbox" || el.type === "radio";

  /** What a field sends as `value`: a checkbox its checked state, a multiple select a list. */
  function fieldValue(el) {
    if (el.type === "checkbox") return el.checked;
    if (el.multiple) return Array.from(el.selectedOptions, (o) => o.value);
    return el.value;
  }

  /** A form's fields as a dict, as the browser would submit them; repeated names give lists,
   * files are left out. */
  function formValues(form, submitter) {
    const values = {};
    for (const [name, value] of new global.FormData(form, submitter)) {
      if (typeof value !== "string") continue;
      const had = values[name];
      values[name] = had === undefined ? value : [].concat(had, value);
    }
    return values;
  }

  /** Whether a key event passes the element's dj-key filter (any key when it has none). */
  function keyMatches(el, event) {
    const want = el.getAttribute(ATTR.DJ_KEY);
    return !want || want.toLowerCase() === String(event.key).toLowerCase();
  }

  /* --------------------------------------------------------------------- JS commands */
  // A binding whose value is a JSON array (djust.js.JS) runs its ops here, with no round trip.
  // What they set is remembered per element and set again when a server patch rewrites that
  // attribute, so it survives later patches. `to` selects in the document; else the element.

  const jsState = new WeakMap(); // element → { cls: Map(class → on), attrs: Map(name → value or null), display }

  function jsOf(el) {
    let state = jsState.get(el);
    if (!state) jsState.set(el, (state = { cls: new Map(), attrs: new Map() }));
    return state;
  }

  /** After a patch changed attribute `name` of `el`: what JS commands set there wins again. */
  function keepJs(el, name) {
    const state = jsState.get(el);
    if (!state) return;
    if (name === "class") for (const [cls, on] of state.cls) el.classList.toggle(cls, on);
    if (name === "style" && state.display !== undefined) el.style.display = state.display;
    if (state.attrs.has(name)) setJsAttr(el, name, state.attrs.get(name));
  }

  function setJsAttr(el, name, value) {
    if (value === null) el.removeAttribute(name);
    else el.setAttribute(name, value);
    jsOf(el).attrs.set(name, value);
  }

  function setClass(el, cls, on) {
    el.classList.toggle(cls, on);
    jsOf(el).cls.set(cls, on);
  }

  function display(el, value) {
    el.style.display = value;
    jsOf(el).display = value;
  }

  const hidden = (el) =>
    (global.getComputedStyle ? global.getComputedStyle(el).display : el.style.display) === "none";

  const JS_OPS = {
    show: (el, a) => display(el, a.display || "block"),
    hide: (el) => display(el, "none"),
    toggle: (el, a) => display(el, hidden(el) ? a.display || "block" : "none"),
    add_class: (el, a) => a.names.forEach((cls) => setClass(el, cls, true)),
    remove_class: (el, a) => a.names.forEach((cls) => setClass(el, cls, false)),
    toggle_class: (el, a) => a.names.forEach((cls) => setClass(el, cls, !el.classList.contains(cls))),
    set_attr: (el, a) => setJsAttr(el, a.name, a.value),
    remove_attr: (el, a) => setJsAttr(el, a.name, null),
    transition(el, a) {
      a.names.forEach((cls) => setClass(el, cls, true));
      setTimeout(() => a.names.forEach((cls) => jsOf(el).cls.delete(cls) && el.classList.remove(cls)), a.time);
    },
    dispatch: (el, a) =>
      el.dispatchEvent(new (el.ownerDocument.defaultView || global).CustomEvent(a.event, { detail: a.detail || {}, bubbles: a.bubbles !== false })),
    focus: (el) => el.focus(),
  };

  /** Runs the JS command chain `text` from element `el`; `send(event, value, target)` pushes. */
  function runJs(el, text, send) {
    try {
      for (const [op, args] of JSON.parse(text)) {
        if (op === "push") {
          send(args.event, args.value, args.target);
          continue;
        }
        if (!JS_OPS[op]) throw new Error("unknown JS command " + op);
        const targets = args.to ? Array.from(global.document.querySelectorAll(args.to)) : [el];
        for (const target of op === "focus" ? targets.slice(0, 1) : targets) JS_OPS[op](target, args);
      }
    } catch (err) {
      console.error("[djust] JS command failed: " + text, err);
    }
  }

  /* --------------------------------------------------------------------- rate control */

  // Per element and binding: a pending debounced send, or a throttle window.
  const rates = new WeakMap();
  const debounced = new Set();

  /** Send now, or later as the element's dj-debounce ("300" or "blur") or dj-throttle says. */
  function rateLimit(el, kind, send) {
    const debounce = el.getAttribute(ATTR.DJ_DEBOUNCE);
    const throttle = el.getAttribute(ATTR.DJ_THROTTLE);
    if (debounce === null && throttle === null) {
      // What the user did earlier reaches the server first.
      flushDebounced();
      return send();
    }
    const states = rates.get(el) || {};
    rates.set(el, states);
    const state = states[kind] || (states[kind] = {});
    if (debounce !== null) {
      clearTimeout(state.timer);
      state.fire = () => {
        clearTimeout(state.timer);
        debounced.delete(state);
        state.fire = null;
        send();
      };
      debounced.add(state);
      if (debounce !== "blur") state.timer = setTimeout(state.fire, Number(debounce) || 0);
      return;
    }
    if (state.timer) {
      state.trailing = send;
      return;
    }
    send();
    const tick = () => {
      const trailing = state.trailing;
      state.trailing = null;
      state.timer = trailing ? setTimeout(tick, Number(throttle)) : null;
      if (trailing) trailing();
    };
    state.timer = setTimeout(tick, Number(throttle));
  }

  function flushDebounced(el) {
    for (const state of debounced) {
      if (!el || Object.values(rates.get(el) || {}).includes(state)) state.fire();
    }
  }

  /* ------------------------------------------------------------------- loading states */

  const LOADING = withAttr(ATTR.DJ_LOADING_DISABLE, ATTR.DJ_LOADING_CLASS, ATTR.DJ_LOADING_SHOW, ATTR.DJ_LOADING_HIDE);
  const loading = new WeakMap();

  /** Puts one element in its loading state (class dj-loading, then its dj-loading.*
   * modifiers) until the returned function is called; overlapping events nest. */
  function holdLoading(el) {
    let state = loading.get(el);
    if (!state) {
      const cls = (el.getAttribute(ATTR.DJ_LOADING_CLASS) || "").split(/\s+/).filter(Boolean);
      state = { count: 0, disabled: el.hasAttribute("disabled"), display: el.style.display, cls };
      loading.set(el, state);
      el.classList.add("dj-loading", ...cls);
      if (el.hasAttribute(ATTR.DJ_LOADING_DISABLE)) el.setAttribute("disabled", "");
      if (el.hasAttribute(ATTR.DJ_LOADING_SHOW)) el.style.display = el.getAttribute(ATTR.DJ_LOADING_SHOW) || "block";
      if (el.hasAttribute(ATTR.DJ_LOADING_HIDE)) el.style.display = "none";
    }
    state.count += 1;
    return () => {
      if (--state.count) return;
      loading.delete(el);
      el.classList.remove("dj-loading", ...state.cls);
      if (!state.disabled) el.removeAttribute("disabled");
      el.style.display = state.display;
    };
  }

  /** Starts the loading state of event `name` sent by element `sender`: the sender itself,
   * elements inside it, and elements naming the event in dj-loading="name …". Returns the undo. */
  function startLoading(root, name, sender) {
    const held = sender ? [holdLoading(sender)] : [];
    for (const el of root.querySelectorAll(LOADING)) {
      const names = el.getAttribute(ATTR.DJ_LOADING);
      const scoped = names ? names.split(/\s+/).includes(name) : sender && sender.contains(el);
      if (scoped && el !== sender) held.push(holdLoading(el));
    }
    return () => held.forEach((undo) => undo());
  }

  /* ---------------------------------------------------------------------------- hooks */

  /** A hook instance for `el`: the registered definition plus el, pushEvent and handleEvent. */
  function createHook(view, el, definition) {
    const listeners = [];
    const hook = Object.assign(Object.create(definition), {
      el,
      pushEvent: (name, payload, reply) => view.pushEvent(name, payload || {}, { reply }),
      pushEventTo: (target, name, payload, reply) =>
        view.pushEvent(name, payload || {}, { target, reply }),
      handleEvent: (name, fn) => listeners.push([name, fn]),
    });
    return { hook, listeners };
  }

  function callHook(entry, method) {
    const fn = entry.hook && entry.hook[method];
    if (typeof fn !== "function") return;
    try {
      fn.call(entry.hook);
    } catch (err) {
      console.error("[djust] hook " + entry.name + "." + method + "() failed", err);
    }
  }

  /* -------------------------------------------------------------------------- streams */
  // A dj-stream container's children are not in the server's tree: its new items come in a
  // `stream` frame (python/djust/streams.py), keyed by their id. dj-viewport-top/bottom on a
  // container send their event when its first/last child scrolls into view.
  // Not yet in runtime/protocol/src/constants.rs, so kept apart from MSG and ATTR.
  const STREAM = Object.freeze({
    FRAME: "stream",
    ATTR: "dj-stream",
    TOP: "dj-viewport-top",
    BOTTOM: "dj-viewport-bottom",
  });

  /** Applies one stream's update: reset, deletes, inserts or in-place updates, then limit. */
  function applyStream(root, update) {
    const box = root.querySelector("[" + STREAM.ATTR + '="' + update.name + '"]');
    if (!box) return;
    const child = (id) => {
      const el = id && box.ownerDocument.getElementById(id);
      return el && el.parentNode === box ? el : null;
    };
    if (update.reset) box.replaceChildren();
    for (const id of update.deletes) if (child(id)) child(id).remove();
    for (const el of Array.from(parseIn(box, update.html).children)) {
      const old = child(el.id);
      const at = update.at[el.id];
      if (old) old.replaceWith(el);
      else box.insertBefore(el, at >= 0 ? box.children[at] || null : null);
    }
    const limit = update.limit;
    while (limit && box.children.length > Math.abs(limit)) {
      box.children[limit < 0 ? 0 : box.children.length - 1].remove();
    }
  }

  // Edge children that already sent their event: each sends once.
  const edgesSent = new WeakSet();

  /** Watches the first/last child of each dj-viewport-top/bottom container in `view`. */
  function watchEdges(view) {
    if (!global.IntersectionObserver) return;
    if (!view.edges) {
      view.edges = new global.IntersectionObserver((entries) => {
        for (const entry of entries) {
          const el = entry.target;
          const box = el.parentElement;
          if (!entry.isIntersecting || !box || edgesSent.has(el)) continue;
          edgesSent.add(el);
          view.edges.unobserve(el);
          for (const [attr, edge] of [[STREAM.TOP, box.firstElementChild], [STREAM.BOTTOM, box.lastElementChild]]) {
            if (edge === el && box.hasAttribute(attr)) trigger(box, attr, box.getAttribute(attr), eventParams(box));
          }
        }
      });
    }
    view.edges.disconnect();
    for (const box of view.root.querySelectorAll(withAttr(STREAM.TOP, STREAM.BOTTOM))) {
      for (const edge of [box.hasAttribute(STREAM.TOP) && box.firstElementChild, box.hasAttribute(STREAM.BOTTOM) && box.lastElementChild]) {
        if (edge && !edgesSent.has(edge)) view.edges.observe(edge);
      }
    }
  }

  /* ------------------------------------------------------------------------ the view */

  // Close codes the server ends a socket with (runtime/protocol/src/constants.rs).
  const CLOSE = Object.freeze({
    FORBIDDEN_ORIGIN: 4403,
    RELOAD: 4500,
  });

  const RECONNECT_MIN_MS = 250;
  const RECONNECT_MAX_MS = 10000;
  // Keeps idle sockets alive through proxies that drop silent connections; a ping still
  // unanswered at the next beat means the link is dead.
  const HEARTBEAT_MS = 30000;
  // Events sent while offline wait for the connection, up to this many.
  const MAX_QUEUED = 100;
  const HTTP_TRIES = 4;

  /** Full-jitter exponential backoff: a restarted server is not hit by every page at once. */
  function backoff(retries) {
    return Math.random() * Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** retries);
  }

  const here = () => global.location.pathname + global.location.search;
  const newNavId = () => Math.random().toString(36).slice(2);

  function fieldKey(el) {
    const name = el.name || el.id;
    if (!name) return null;
    return (el.form ? el.form.id || "form" : "") + "|" + name + (checkable(el) ? "=" + el.value : "");
  }

  const FIELDS = "input:not([type=file]):not([type=hidden]),textarea,select";
  const readField = (el) =>
    checkable(el) ? el.checked : el.multiple ? Array.from(el.options, (o) => o.selected).join() : el.value;

  function writeField(el, value) {
    if (checkable(el)) el.checked = value;
    else if (el.multiple) value.split(",").forEach((s, i) => el.options[i] && (el.options[i].selected = s === "true"));
    else el.value = value;
  }

  /** One server-side LiveView bound to a [dj-view] element and its [dj-root] region. */
  class View {
    constructor(element, config) {
      this.element = element;
      this.root = element.hasAttribute(ATTR.DJ_ROOT) ? element : element.querySelector(withAttr(ATTR.DJ_ROOT)) || element;
      this.token = element.getAttribute(ATTR.DJ_VIEW);
      this.config = config;
      this.http = config.transport === "http";
      this.socket = null;
      this.nextRef = 1;
      this.pending = new Map(); // ref → { name, done, reply }
      this.queue = [];
      this.hooks = new Map(); // element → { name, hook, listeners }
      this.connected = false;
      this.mountedOnce = false;
      this.retries = 0;
      this.navId = newNavId();
      this.posting = Promise.resolve();
    }

    /* connection */

    connect() {
      if (this.http) return this.joined();
      const scheme = global.location.protocol === "https:" ? "wss:" : "ws:";
      const socket = new global.WebSocket(scheme + "//" + global.location.host + this.config.wsPath);
      let opened = false;
      this.socket = socket;
      socket.onopen = () => {
        opened = true;
        this.awaitingPong = false;
        socket.send(JSON.stringify({ t: MSG.MOUNT, token: this.token, url: here(), reconnect: this.mountedOnce }));
      };
      socket.onmessage = (message) => this.receive(message.data);
      socket.onclose = (event) => {
        if (this.socket !== socket) return;
        if (event && event.code === CLOSE.RELOAD) {
          // The view failed again and again: a fresh page, after a random 5-10 s so that a
          // broken deploy is not hit by every open page at once.
          this.socket = null;
          console.error("[djust] the view failed repeatedly; reloading the page");
          return setTimeout(() => global.location.reload(), 5000 + Math.random() * 5000);
        }
        if (event && event.code === CLOSE.FORBIDDEN_ORIGIN) {
          this.socket = null;
          return console.error("[djust] the server refuses sockets from this page's origin; add its host to ALLOWED_HOSTS");
        }
        if (!opened && !this.mountedOnce) {
          // The socket cannot be opened at all (a proxy refusing upgrades): go on over HTTP.
          console.warn("[djust] no WebSocket at " + this.config.wsPath + "; sending events over HTTP");
          this.socket = null;
          this.http = true;
          return this.joined();
        }
        this.dropped();
      };
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => {
        if (this.awaitingPong) return this.dropped();
        this.awaitingPong = true;
        if (socket.readyState === 1) socket.send(JSON.stringify({ t: MSG.PING, ref: this.nextRef++ }));
      }, HEARTBEAT_MS);
    }

    /** The socket is gone: tell the hooks, clear loading states, try again later. */
    dropped() {
      const socket = this.socket;
      this.socket = null;
      clearInterval(this.heartbeat);
      if (socket) {
        socket.onclose = socket.onmessage = null;
        if (socket.readyState < 2) socket.close();
      }
      if (this.connected) {
        this.connected = false;
        this.element.removeAttribute(ATTR.DJ_CONNECTED);
        for (const entry of this.hooks.values()) callHook(entry, "disconnected");
      }
      this.navigating = null;
      // Sent but unanswered: the server may or may not have run them; stop showing them busy.
      for (const ref of this.pending.keys()) this.settle(ref);
      this.reconnectTimer = setTimeout(() => this.connect(), backoff(this.retries++));
    }

    /** Reconnect now (the browser says it is back online) instead of waiting. */
    reconnectNow() {
      if (this.http || this.socket) return;
      clearTimeout(this.reconnectTimer);
      this.connect();
    }

    /** Live without a socket: events go out as POSTs. */
    joined() {
      this.connected = true;
      this.mountedOnce = true;
      this.element.setAttribute(ATTR.DJ_CONNECTED, "");
      this.syncHooks();
      this.flushQueue();
    }

    /* sending */

    /** Sends event `name`; `options`: el (the element that sent it, for loading states),
     * target (a component id), reply (called with the answering frame). Returns its ref. */
    pushEvent(name, params, options) {
      const { el, target, reply } = options || {};
      const ref = this.nextRef++;
      this.pending.set(ref, { name, reply, done: startLoading(this.root, name, el) });
      this.send({ t: MSG.EVENT, ref, name, params, target: target || null });
      return ref;
    }

    /** Sends a params or navigate frame; `from` is the URL the page showed before it. */
    sendUrl(type, url, from) {
      const ref = this.nextRef++;
      this.pending.set(ref, { name: type + " " + url, from, done() {} });
      this.send({ t: type, ref, url });
    }

    send(frame) {
      if (this.http && this.connected) return this.post(frame);
      if (this.connected && this.socket && this.socket.readyState === 1) {
        return this.socket.send(JSON.stringify(frame));
      }
      if (this.queue.length < MAX_QUEUED) return this.queue.push(frame);
      console.error("[djust] offline with " + MAX_QUEUED + " events waiting: dropped " + (frame.name || frame.t));
      this.settle(frame.ref);
    }

    flushQueue() {
      const queued = this.queue.splice(0);
      for (const frame of queued) this.send(frame);
    }

    /** HTTP fallback: one POST at a time, in order, each carrying the last state snapshot. */
    post(frame) {
      this.posting = this.posting
        .then(() => this.postNow(frame))
        .catch((err) => {
          console.error("[djust] unreadable reply to " + (frame.name || frame.t), err);
          this.settle(frame.ref);
        });
      return this.posting;
    }

    async postNow(frame) {
      const config = this.config;
      const cookie = global.document.cookie.match("(?:^|; )" + config.csrfCookie + "=([^;]*)");
      const headers = { "Content-Type": "application/json" };
      headers[config.csrfHeader] = config.csrfToken || (cookie ? decodeURIComponent(cookie[1]) : "");
      for (let attempt = 1; ; attempt++) {
        const body = JSON.stringify(Object.assign({ token: this.token, state: this.state, resync: this.resync }, frame));
        let response;
        try {
          response = await global.fetch(here(), { method: "POST", headers, body, credentials: "same-origin" });
        } catch (err) {
          if (attempt < HTTP_TRIES) {
            await new Promise((resolve) => setTimeout(resolve, backoff(attempt + 2)));
            continue;
          }
          console.error("[djust] could not reach the server for " + (frame.name || frame.t), err);
          return this.settle(frame.ref);
        }
        if (!response.ok) {
          console.error("[djust] the server refused " + (frame.name || frame.t) + ": HTTP " + response.status);
          return this.settle(frame.ref);
        }
        const reply = await response.json();
        this.resync = undefined;
        if (reply.state) this.state = reply.state;
        for (const message of reply.frames) this.handle(message);
        return;
      }
    }

    /* receiving */

    receive(data) {
      this.awaitingPong = false;
      let message;
      try {
        message = JSON.parse(data);
      } catch (err) {
        console.error("[djust] unreadable frame from server", data);
        return;
      }
      this.handle(message);
    }

    handle(message) {
      switch (message.t) {
        case MSG.MOUNTED:
          return this.mounted(message);
        case MSG.PATCH:
          this.settle(message.ref, message);
          return this.patch(message.patches);
        case MSG.ERROR: {
          // A handler that raised answers with its patch first, then this error.
          const entry = this.pending.get(message.ref) || (this.settled && this.settled.ref === message.ref && this.settled);
          this.settle(message.ref, message);
          console.error("[djust] " + message.code + (entry ? " in " + entry.name : "") + ": " + message.message);
          // A page whose token no longer works (expired, new SECRET_KEY) needs a fresh one.
          if (message.code === CODE.INVALID_TOKEN && this.mountedOnce && !this.http) global.location.reload();
          // The view does not serve the URL dj-patch moved to: the address bar goes back to
          // the view's own URL (where the HTTP fallback POSTs its next events).
          if (message.code === CODE.INVALID_URL && entry && entry.from) {
            global.history.replaceState(global.history.state, "", entry.from);
          }
          return;
        }
        case MSG.PONG:
          return this.settle(message.ref);
        case MSG.PUSH_EVENT:
          for (const entry of this.hooks.values()) {
            for (const [name, fn] of entry.listeners) {
              if (name !== message.event) continue;
              try {
                fn(message.payload);
              } catch (err) {
                console.error("[djust] hook " + entry.name + " handleEvent(" + name + ") failed", err);
              }
            }
          }
          return global.dispatchEvent(new global.CustomEvent("djust:" + message.event, { detail: message.payload }));
        case MSG.LIVE_PATCH:
          return this.history(message.to, message.replace);
        case MSG.LIVE_REDIRECT:
          return this.navigate(message.to, message.replace);
        case MSG.REDIRECT:
          return global.location[this.navigating && this.navigating.pop ? "replace" : "assign"](message.to);
        case STREAM.FRAME:
          for (const update of message.streams) applyStream(this.root, update);
          return this.syncHooks();
        default:
          if (parts.frames[message.t]) return parts.frames[message.t](this, message);
          console.warn("[djust] unknown frame type", message.t);
      }
    }

    settle(ref, message) {
      const entry = this.pending.get(ref);
      if (!entry) return;
      this.pending.delete(ref);
      this.settled = Object.assign(entry, { ref });
      entry.done();
      if (entry.reply) entry.reply(message);
    }

    mounted(message) {
      const nav = this.navigating;
      const reconnected = this.mountedOnce && !nav;
      this.navigating = null;
      if (message.token) {
        this.token = message.token;
        this.element.setAttribute(ATTR.DJ_VIEW, message.token);
      }
      if (typeof message.title === "string") global.document.title = message.title;
      if (nav) {
        this.navId = nav.pop ? nav.pop : newNavId();
        if (!nav.pop) this.history(nav.url, nav.replace);
      }
      const saved = reconnected && this.readForm();
      if (typeof message.html === "string") this.replaceRoot(message.html, reconnected);
      // A new view starts at the top, as a new page would.
      if (nav && !nav.pop && global.scrollTo) global.scrollTo(0, 0);
      this.mountedOnce = true;
      this.retries = 0;
      this.connected = true;
      this.element.setAttribute(ATTR.DJ_CONNECTED, "");
      this.syncHooks(reconnected);
      if (saved) this.recoverForm(saved);
      this.flushQueue();
    }

    patch(patches) {
      const updated = [];
      if (this.config.debugVdom) console.debug("[djust] patches", patches);
      try {
        applyPatches(this.root, patches, {
          updated: (el) => this.hooks.has(el) && updated.push(this.hooks.get(el)),
        });
      } catch (err) {
        // The DOM no longer matches the server's tree: get a fresh copy of the root.
        console.error("[djust] could not apply patches, resynchronising", err);
        return this.resynchronise();
      }
      this.syncHooks();
      for (const entry of updated) if (this.hooks.get(entry.hook.el) === entry) callHook(entry, "updated");
    }

    resynchronise() {
      if (!this.http) return this.dropped();
      this.resync = true;
      this.send({ t: MSG.PING, ref: this.nextRef++ });
    }

    /** Replaces the root's children, keeping focus and caret, the scroll positions of elements
     * with an id, and the hooks of elements whose id and hook survive. */
    replaceRoot(html, reconnected) {
      const doc = global.document;
      const active = doc.activeElement;
      const focus = active && this.root.contains(active) && (active.id || fieldKey(active));
      const caret = focus && [active.selectionStart, active.selectionEnd];
      const kept = new Map();
      for (const entry of this.hooks.values()) if (entry.hook.el.id) kept.set(entry.hook.el.id, entry);
      const scrolled = [];
      for (const el of this.root.querySelectorAll("[id]")) {
        if (el.scrollTop || el.scrollLeft) scrolled.push([el.id, el.scrollTop, el.scrollLeft]);
      }
      this.root.innerHTML = html;
      for (const [id, top, left] of scrolled) {
        const el = doc.getElementById(id);
        if (el) el.scrollTo(left, top);
      }
      for (const [id, entry] of kept) {
        const el = doc.getElementById(id);
        if (!reconnected || !el || !this.root.contains(el) || el.getAttribute(ATTR.DJ_HOOK) !== entry.name) continue;
        this.hooks.delete(entry.hook.el);
        entry.hook.el = el;
        this.hooks.set(el, entry);
      }
      if (!focus) return;
      for (const el of this.root.querySelectorAll("[id],[name]")) {
        if (el.id !== focus && fieldKey(el) !== focus) continue;
        el.focus();
        if (caret[0] != null && el.setSelectionRange) {
          try {
            el.setSelectionRange(caret[0], caret[1]);
          } catch (err) {
            // Not a text field: nothing to restore.
          }
        }
        break;
      }
    }

    /* form recovery */

    readForm() {
      const saved = new Map();
      for (const el of this.root.querySelectorAll(FIELDS)) {
        const key = fieldKey(el);
        if (key) saved.set(key, readField(el));
      }
      return saved;
    }

    /** After a reconnect: puts back what the user typed, and sends it to the server through the
     * fields' own dj-change/dj-input bindings, so nothing typed is lost. */
    recoverForm(saved) {
      const sent = new Set();
      for (const el of this.root.querySelectorAll(FIELDS)) {
        const key = fieldKey(el);
        if (!saved.has(key) || String(readField(el)) === String(saved.get(key))) continue;
        writeField(el, saved.get(key));
        for (const type of ["change", "input"]) {
          const bound = el.closest(withAttr(FIELD_EVENTS[type]));
          if (bound && !sent.has(bound)) {
            sent.add(bound);
            el.dispatchEvent(new global.Event(type, { bubbles: true }));
          }
        }
      }
    }

    /* hooks */

    /** Mounts hooks on new [dj-hook] elements, destroys those whose element left. */
    syncHooks(reconnected) {
      // After every change to the root: the stream edges to watch are the current ones.
      watchEdges(this);
      for (const fn of parts.changed) fn(this);
      for (const [el, entry] of this.hooks) {
        if (!this.root.contains(el) || el.getAttribute(ATTR.DJ_HOOK) !== entry.name) {
          this.hooks.delete(el);
          callHook(entry, "destroyed");
        }
      }
      for (const el of this.root.querySelectorAll(withAttr(ATTR.DJ_HOOK))) {
        const entry = this.hooks.get(el);
        if (entry) {
          if (reconnected) callHook(entry, "reconnected");
          continue;
        }
        const name = el.getAttribute(ATTR.DJ_HOOK);
        const definition = (global.djust || api).hooks[name];
        if (!definition) console.error("[djust] no hook named " + name + ": register it with window.djust.hooks." + name + " = { mounted() {…} }");
        const created = Object.assign({ name }, definition ? createHook(this, el, definition) : { hook: { el }, listeners: [] });
        this.hooks.set(el, created);
        callHook(created, "mounted");
      }
    }

    /* navigation */

    history(url, replace) {
      global.history[replace ? "replaceState" : "pushState"]({ dj: this.navId }, "", url);
    }

    /** dj-patch: the same view at another URL; the server runs handle_params. */
    patchUrl(url, replace) {
      const from = here();
      this.history(url, replace);
      this.sendUrl(MSG.PARAMS, here(), from);
    }

    /** dj-navigate: another LiveView over the same connection (a page load without one). */
    navigate(url, replace, pop) {
      if (this.http || !this.connected) return pop ? global.location.reload() : global.location.assign(url);
      this.navigating = { url, replace, pop };
      this.sendUrl(MSG.NAVIGATE, url);
    }
  }

  /* ----------------------------------------------------------------------- bindings */

  // Each DOM event the client listens for, and the attribute naming its server event.
  const FIELD_EVENTS = { input: ATTR.DJ_INPUT, change: ATTR.DJ_CHANGE };
  const KEY_EVENTS = { keydown: ATTR.DJ_KEYDOWN, keyup: ATTR.DJ_KEYUP };
  const WINDOW_KEY_EVENTS = { keydown: ATTR.DJ_WINDOW_KEYDOWN, keyup: ATTR.DJ_WINDOW_KEYUP };

  const views = [];

  function viewFor(element) {
    const host = element.closest(withAttr(ATTR.DJ_VIEW));
    return host ? views.find((view) => view.element === host) : undefined;
  }

  const closest = (target, selector) => (target && target.closest ? target.closest(selector) : null);

  /** An event from element `el` for its view, through the element's rate limits. */
  function trigger(el, kind, name, params) {
    const view = viewFor(el);
    if (!view || !name) return;
    const component = closest(el, withAttr(ATTR.DATA_COMPONENT_ID));
    const target = el.getAttribute(ATTR.DJ_TARGET) || (component && component.getAttribute(ATTR.DATA_COMPONENT_ID));
    const send = (event, value, to) => view.pushEvent(event, Object.assign({}, params, value), { el, target: to || target });
    // A JS command chain (djust.js.JS) runs here; its `push` ops send events.
    rateLimit(el, kind, () => (name[0] === "[" ? runJs(el, name, send) : send(name)));
  }

  function onClick(event) {
    const el = closest(event.target, withAttr(ATTR.DJ_CLICK, ATTR.DJ_PATCH, ATTR.DJ_NAVIGATE));
    const view = el && viewFor(el);
    if (!view) return;
    const nav = el.hasAttribute(ATTR.DJ_PATCH) ? ATTR.DJ_PATCH : el.hasAttribute(ATTR.DJ_NAVIGATE) ? ATTR.DJ_NAVIGATE : null;
    if (nav) {
      // Let the browser open links in a new tab or window as asked.
      if (event.button || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const url = new URL(el.getAttribute(nav) || el.getAttribute("href"), global.location.href);
      if (url.origin !== global.location.origin) return;
      event.preventDefault();
      const to = url.pathname + url.search + url.hash;
      const replace = el.hasAttribute(ATTR.DJ_REPLACE);
      return nav === ATTR.DJ_PATCH ? view.patchUrl(to, replace) : view.navigate(to, replace);
    }
    if (el.tagName === "A" || el.tagName === "BUTTON") event.preventDefault();
    trigger(el, "click", el.getAttribute(ATTR.DJ_CLICK), eventParams(el));
  }

  function onField(event) {
    const attr = FIELD_EVENTS[event.type];
    const el = closest(event.target, withAttr(attr));
    if (!el) return;
    const values = el.tagName === "FORM" ? formValues(el) : { value: fieldValue(el) };
    trigger(el, event.type, el.getAttribute(attr), Object.assign(eventParams(el), values));
  }

  function onSubmit(event) {
    const form = event.target;
    if (!form.hasAttribute || !form.hasAttribute(ATTR.DJ_SUBMIT) || !viewFor(form)) return;
    event.preventDefault();
    flushDebounced();
    const values = Object.assign(eventParams(form), formValues(form, event.submitter));
    trigger(form, "submit", form.getAttribute(ATTR.DJ_SUBMIT), values);
  }

  function keyParams(el, event) {
    const params = Object.assign(eventParams(el), { key: event.key });
    if (typeof el.value === "string") params.value = el.value;
    return params;
  }

  function onKey(event) {
    const attr = KEY_EVENTS[event.type];
    const el = closest(event.target, withAttr(attr));
    if (el && keyMatches(el, event)) trigger(el, event.type, el.getAttribute(attr), keyParams(el, event));
  }

  function onWindowKey(event) {
    const attr = WINDOW_KEY_EVENTS[event.type];
    for (const view of views) {
      for (const el of view.root.querySelectorAll(withAttr(attr))) {
        if (keyMatches(el, event)) trigger(el, attr, el.getAttribute(attr), keyParams(el, event));
      }
    }
  }

  function onFocus(event) {
    const el = event.target;
    if (!el || !el.getAttribute) return;
    const attr = event.type === "focusin" ? ATTR.DJ_FOCUS : ATTR.DJ_BLUR;
    // Leaving a field sends what it debounced.
    if (attr === ATTR.DJ_BLUR) flushDebounced(el);
    const params = eventParams(el);
    if (typeof el.value === "string") params.value = el.value;
    if (el.hasAttribute(attr)) trigger(el, attr, el.getAttribute(attr), params);
  }

  /** Back and forward: the same view replays handle_params, another view is mounted. */
  function onPopState(event) {
    const id = event.state && event.state.dj;
    const view = views.find((v) => v.navId === id);
    if (view) view.sendUrl(MSG.PARAMS, here());
    else if (id && views.length) views[0].navigate(here(), false, id);
  }

  /* --------------------------------------------------------------------------- boot */

  function readConfig(script) {
    const data = (script && script.dataset) || {};
    return {
      wsPath: data.wsPath || "/ws/live/",
      transport: data.transport || "websocket",
      csrfCookie: data.csrfCookie || "csrftoken",
      csrfHeader: data.csrfHeader || "X-CSRFToken",
      csrfToken: data.csrfToken,
      debugVdom: data.debugVdom === "true",
    };
  }

  function start(config) {
    const doc = global.document;
    for (const element of doc.querySelectorAll(withAttr(ATTR.DJ_VIEW))) views.push(new View(element, config));
    if (views.length) global.history.replaceState(Object.assign({}, global.history.state, { dj: views[0].navId }), "");
    doc.addEventListener("click", onClick);
    doc.addEventListener("input", onField);
    doc.addEventListener("change", onField);
    doc.addEventListener("submit", onSubmit);
    doc.addEventListener("focusin", onFocus);
    doc.addEventListener("focusout", onFocus);
    for (const type of Object.keys(KEY_EVENTS)) {
      doc.addEventListener(type, onKey);
      global.addEventListener(type, onWindowKey);
    }
    global.addEventListener("popstate", onPopState);
    global.addEventListener("online", () => views.forEach((view) => view.reconnectNow()));
    for (const view of views) view.connect();
  }

  // What optional scripts (static/djust/uploads.js) plug into: frame handlers by type, and
  // functions called with the view after each change to its root. A page's script queues
  // itself with `(window.djustParts = window.djustParts || []).push((core) => ...)`, before or
  // after this one loads.
  const parts = { views, viewFor, trigger, frames: {}, changed: [] };

  function plugParts() {
    const queued = global.djustParts || [];
    global.djustParts = { push: (fn) => fn(parts) };
    for (const fn of queued) fn(parts);
  }

  // Everything, for the unit tests (through module.exports); a page gets only `hooks`.
  const api = {
    applyPatches,
    PatchError,
    MSG,
    OP,
    CLOSE,
    CODE,
    ATTR,
    views,
    hooks: (global.djust && global.djust.hooks) || {},
    eventParams,
    keyMatches,
    startLoading,
    rateLimit,
    flushDebounced,
    backoff,
    View,
    start,
    readConfig,
    runJs,
    applyStream,
    watchEdges,
    STREAM,
    parts,
    plugParts,
  };

  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    // The page's window.djust is the hooks registry only, which it may fill before this script.
    global.djust = Object.assign(global.djust || {}, { hooks: api.hooks });
    const config = readConfig(global.document.currentScript);
    plugParts();
    if (global.document.readyState === "loading") {
      global.document.addEventListener("DOMContentLoaded", () => start(config));
    } else {
      start(config);
    }
  }
})(typeof window !== "undefined" ? window : globalThis);
