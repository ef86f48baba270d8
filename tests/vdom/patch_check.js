// Run in Chromium by tests/vdom/test_patches_in_chromium.py through page.evaluate: for each case
// {old, new, patches, read}, check that the server read both pages as the browser does (`read`:
// its HTML of each root, parsed here in the root's context), build the old page's [dj-root]
// with the browser's parser, simulate a user (typing, toggling, focus), apply the server's
// patches with client.js's applyPatches (window.__djustInternals, which the test injects: a page
// does not get it), and compare with the browser's own parse of the new page.
// Returns {checked, skipped, failures}.
(cases) => {
  const parser = new DOMParser();
  const failures = [];
  let checked = 0;
  let skipped = 0;

  const rootOf = (html) => parser.parseFromString(html, "text/html").querySelector("[dj-root]");
  const elements = (root) => [root, ...root.querySelectorAll("*")];
  const childrenOf = (node) =>
    node.localName === "template" ? node.content.childNodes : node.childNodes;

  function describe(node) {
    if (node.nodeType !== 1) return node.nodeName + " " + JSON.stringify(node.data);
    const attrs = [...node.attributes].map((a) => `${a.namespaceURI || ""}|${a.name}=${a.value}`);
    return `<${node.namespaceURI} ${node.localName} ${attrs.join(" ")}>`;
  }

  /** The first place (a path and both nodes) where two trees' children differ, or null. */
  function firstDifference(a, b) {
    const pending = [[a, b, []]];
    while (pending.length) {
      const [x, y, path] = pending.pop();
      const xs = childrenOf(x);
      const ys = childrenOf(y);
      if (xs.length !== ys.length) {
        return { path, found: [...xs].map(describe), wanted: [...ys].map(describe) };
      }
      for (let i = 0; i < xs.length; i++) {
        const [p, q] = [xs[i], ys[i]];
        if (describe(p) !== describe(q)) return { path: [...path, i], found: describe(p), wanted: describe(q) };
        if (p.nodeType === 1) pending.push([p, q, [...path, i]]);
      }
    }
    return null;
  }

  // As reparses_exactly in runtime/vdom: some trees no markup rebuilds in context (nested
  // selects, tables in selects). No HTML patch can recreate those, in any framework.
  function reparsesExactly(root) {
    for (const element of elements(root)) {
      const context = document.createElementNS(element.namespaceURI, element.localName);
      context.innerHTML = element.innerHTML;
      if (firstDifference(element, context)) return false;
    }
    return true;
  }

  // The server writes one more newline after <pre>, <textarea> and <listing> when their text
  // starts with one (the parser eats the first, so a reparse keeps the text); innerHTML does not.
  const asInnerHTML = (html) => html.replace(/(<(?:pre|textarea|listing)\b[^>]*>)\n/g, "$1");

  // The data-key / dj-key rule of runtime/vdom/src/diff/keys.rs.
  const KEY_EVENTS = ["dj-keydown", "dj-keyup", "dj-window-keydown", "dj-window-keyup"];
  function identityKey(node) {
    if (node.nodeType !== 1) return null;
    if (node.hasAttribute("data-key")) return node.getAttribute("data-key");
    if (KEY_EVENTS.some((name) => node.hasAttribute(name))) return null;
    return node.getAttribute("dj-key");
  }

  /** For each element, its children by key (tag + key), keys repeated among siblings left out. */
  function keyedChildren(root) {
    const byParent = new Map();
    for (const parent of elements(root)) {
      const counts = new Map();
      const children = new Map();
      for (const child of parent.childNodes) {
        const key = identityKey(child);
        if (key === null) continue;
        const id = child.localName + " " + key;
        counts.set(id, (counts.get(id) || 0) + 1);
        children.set(id, child);
      }
      for (const [id, count] of counts) if (count > 1) children.delete(id);
      byParent.set(parent, children);
    }
    return byParent;
  }

  /** Plays a user: types into text fields, toggles checkboxes, focuses the first field. */
  function actLikeAUser(root) {
    const acts = [];
    let focused = null;
    elements(root).forEach((element, i) => {
      const kind = element.localName === "textarea" ? "textarea"
        : element.localName === "input" && element.type === "text" ? "text"
        : element.localName === "input" && element.type === "checkbox" ? "checkbox" : null;
      if (!kind) return;
      const act = { element, kind, before: state(element, kind, "server") };
      if (kind === "checkbox") element.checked = !element.checked;
      else element.value = "typed " + i;
      act.typed = state(element, kind, "user");
      acts.push(act);
      if (!focused && kind !== "checkbox") {
        element.focus();
        if (document.activeElement === element) {
          element.setSelectionRange(1, 3);
          focused = element;
        }
      }
    });
    return { acts, focused };
  }

  /** What the server said (attribute / text) or what the user sees (property) of a field. */
  function state(element, kind, whose) {
    if (kind === "checkbox") return whose === "server" ? element.hasAttribute("checked") : element.checked;
    if (kind === "textarea") return whose === "server" ? element.textContent : element.value;
    return whose === "server" ? element.getAttribute("value") : element.value;
  }

  for (const [n, c] of cases.entries()) {
    const root = rootOf(c.old);
    const wanted = rootOf(c.new);
    if (!reparsesExactly(wanted)) {
      skipped++;
      continue;
    }
    const problems = [];
    // The server's tree of each root, written out, is the browser's: names in their case.
    for (const [side, read, browsers] of [["old", c.read[0], root], ["new", c.read[1], wanted]]) {
      if (asInnerHTML(read) !== browsers.innerHTML) {
        problems.push(`the server read the ${side} page as ${JSON.stringify(read)}`);
      }
    }
    document.body.append(root);
    const oldElements = new Set(elements(root));
    const keyed = keyedChildren(root);
    const user = actLikeAUser(root);
    try {
      window.__djustInternals.applyPatches(root, c.patches);
    } catch (err) {
      problems.push("applyPatches threw " + err);
    }
    if (!problems.length) {
      const difference = firstDifference(root, wanted);
      if (difference) problems.push("the DOM differs: " + JSON.stringify(difference));
      if (root.innerHTML !== wanted.innerHTML) problems.push("innerHTML differs");
    }
    if (!problems.length) {
      // Keyed children present before and after keep their DOM node.
      const keyedAfter = keyedChildren(root);
      for (const [parent, before] of keyed) {
        if (!parent.isConnected || !keyedAfter.has(parent)) continue;
        for (const [id, child] of keyedAfter.get(parent)) {
          if (before.has(id) && before.get(id) !== child) {
            problems.push(`keyed child ${id} of ${describe(parent)} was rebuilt, not kept`);
          }
        }
      }
      // What the user typed survives unless the server changed that field.
      for (const act of user.acts) {
        const { element, kind } = act;
        if (!element.isConnected || !oldElements.has(element)) continue;
        const server = state(element, kind, "server");
        const expected = server === act.before ? act.typed
          : kind === "text" ? (server === null ? "" : server) : server;
        const seen = state(element, kind, "user");
        if (seen !== expected) {
          problems.push(`${kind} field ${describe(element)} shows ${JSON.stringify(seen)}, ` +
            `expected ${JSON.stringify(expected)}`);
        }
      }
      const focused = user.focused;
      if (focused && focused.isConnected && document.activeElement !== focused) {
        problems.push("the focused field lost focus: " + describe(focused));
      }
      // The caret stays where it was, unless the server changed the text under it.
      const typed = focused && user.acts.find((act) => act.element === focused).typed;
      if (focused && focused.isConnected && focused.value === typed
          && (focused.selectionStart !== 1 || focused.selectionEnd !== 3)) {
        problems.push("the caret moved in " + describe(focused));
      }
    }
    if (problems.length) failures.push({ case: n, problems, old: c.old, new: c.new, patches: c.patches });
    root.remove();
    checked++;
  }
  return { checked, skipped, failures: failures.slice(0, 5), failed: failures.length };
}
