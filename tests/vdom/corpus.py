"""Random pairs of renders (old HTML, new HTML) for the browser property test.

Deterministic for a seed. Each pair shares structure where a template would (the same element
rendered twice with other attributes, text or children) and differs where a template's data
would: text edits, attribute churn on form fields, keyed lists reordered with items added,
removed and repeated, unkeyed siblings among keyed ones, nested lists, and the markup whose
parsing is easy to get wrong (tables without tbody, SVG and MathML, templates, pre/textarea
newlines, comments, void elements, entities, whitespace-only text, misnested formatting).
SVG and MathML pairs share structure too (an icon whose path or viewBox changes), with names
written in any case, and a page may have CR LF line ends.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

CONTAINERS = [
    "div",
    "span",
    "p",
    "b",
    "i",
    "em",
    "a",
    "ul",
    "li",
    "section",
    "label",
    "h2",
    "table",
    "tr",
    "td",
    "pre",
    "template",
    "select",
    "option",
    "form",
    "button",
]
VOID = ["br", "img", "hr", "input", "wbr"]
ATTRIBUTES = [
    "class",
    "id",
    "title",
    "data-x",
    "hidden",
    "value",
    "checked",
    "selected",
    "aria-label",
    "dj-click",
]
TEXTS = [
    "a",
    "b",
    "x y",
    " ",
    "\n",
    "\n  ",
    "&amp;",
    "&lt;b&gt;",
    "&nbsp;",
    "&#169;",
    "\u00e9",
    "'",
    '"',
    "a  b",
    "\ttab",
    "1 < 2",
]
FOREIGN = [
    '<svg viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/><path d="M0 0L1 1"/></svg>',
    '<svg><foreignObject width="5"><p>in svg</p></foreignObject></svg>',
    '<svg><use xlink:href="#a"/><linearGradient gradientUnits="userSpaceOnUse"/></svg>',
    "<math><mi>x</mi><mo>=</mo><mn>1</mn></math>",
    "<template><tr><td>t</td></tr></template>",
    "<table><tr><td>implied</td></tr></table>",
    "<pre>\n\nleading</pre>",
    "<textarea>\nline</textarea>",
    "<b>1<p>2</b>3</p>",
    "<select><option>1</option><option selected>2</option></select>",
    '<input type="checkbox" checked>',
    '<input value="v">',
]
# SVG as templates write it: names in their own case or another, self-closing leaves.
SVG_CONTAINERS = [
    "g",
    "clipPath",
    "CLIPPATH",
    "linearGradient",
    "lineargradient",
    "text",
    "defs",
    "symbol",
    "mask",
]
SVG_LEAVES = ["path", "circle", "rect", "use", "stop", "feGaussianBlur", "fegaussianblur"]
# Attribute names (some written in another case) and values valid for them: Chromium logs an
# error for an invalid one, which fails a browser test.
SVG_ATTRIBUTES = {
    "viewBox": ["0 0 24 24", "0 0 16 16"],
    "viewbox": ["0 0 24 24"],
    "d": ["M0 0h24v24H0z", "M1 1L2 2"],
    "fill": ["none", "red", "url(#a)"],
    "class": ["a", "a b", ""],
    "preserveAspectRatio": ["none", "xMidYMid meet"],
    "xlink:href": ["#a", "#b"],
    "xml:lang": ["en", "fr"],
    "xlink:foo": ["1", "2"],
    "xml:base": ["/a/"],
    "xmlns:xlink": ["http://www.w3.org/1999/xlink"],
    "gradientUnits": ["userSpaceOnUse", "objectBoundingBox"],
    "stroke-width": ["1", "2"],
    "refX": ["0", "3"],
}

LISTS = {
    "ul": ("<ul>", "</ul>", "li"),
    "div": ('<div class="list">', "</div>", "div"),
    "table": ("<table><tbody>", "</tbody></table>", "tr"),
}
# Page shapes, each with the kind of list its root holds (None: any content).
PAGES = [
    (
        "<!DOCTYPE html><html><head><title>t</title></head><body><nav>n</nav>"
        '<main dj-root class="r">{}</main><footer>f</footer></body></html>',
        None,
    ),
    ("<!DOCTYPE html><html><body><ul dj-root>{}</ul></body></html>", "ul"),
    ("<!DOCTYPE html><html><body><table><tbody dj-root>{}</tbody></table></body></html>", "table"),
]


class Corpus:
    """A generator of render pairs from one seed."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def text(self) -> str:
        return "".join(self.r.choice(TEXTS) for _ in range(self.r.randint(1, 2)))

    def attrs(self) -> str:
        chosen = self.r.sample(ATTRIBUTES, self.r.randint(0, 2))
        values = ["", "a", "b", "a b", "&amp;", "&quot;x"]
        return "".join(f' {name}="{self.r.choice(values)}"' for name in chosen)

    def html(self, depth: int) -> str:
        roll = self.r.random()
        if depth == 0 or roll < 0.35:
            return self.text()
        if roll < 0.42:
            return f"<!--{self.r.choice(['c', '', ' - '])}-->"
        if roll < 0.52:
            return f"<{self.r.choice(VOID)}{self.attrs()}>"
        if roll < 0.62:
            return self.r.choice(FOREIGN)
        tag = self.r.choice(CONTAINERS)
        inner = "".join(self.html(depth - 1) for _ in range(self.r.randint(0, 3)))
        return f"<{tag}{self.attrs()}>{inner}</{tag}>"

    def pair(self, depth: int) -> tuple[str, str]:
        roll = self.r.random()
        if depth == 0 or roll < 0.25:
            same = self.html(depth)
            return same, same
        if roll < 0.35:
            return self.html(depth), self.html(depth)
        if roll < 0.42:
            return self.html(depth), ""
        if roll < 0.49:
            return "", self.html(depth)
        if roll < 0.57:
            text = self.text()
            return text, text + "x"
        if roll < 0.65:
            return self.form_field()
        if roll < 0.73:
            return self.svg_pair(depth) if self.r.random() < 0.8 else self.math_pair()
        if roll < 0.85:
            tag = self.r.choice(CONTAINERS)
            old_attrs = self.attrs()
            new_attrs = old_attrs if self.r.random() < 0.5 else self.attrs()
            children = [self.pair(depth - 1) for _ in range(self.r.randint(0, 4))]
            return (
                f"<{tag}{old_attrs}>{''.join(c[0] for c in children)}</{tag}>",
                f"<{tag}{new_attrs}>{''.join(c[1] for c in children)}</{tag}>",
            )
        return self.keyed_list(depth)

    def form_field(self) -> tuple[str, str]:
        """A field rendered twice, its server-side value, checked state or text changed or not."""
        kind = self.r.choice(["text", "checkbox", "textarea"])
        if kind == "textarea":
            texts = ["", "a", "\nb", "typed"]
            old, new = self.r.choice(texts), self.r.choice(texts)
            return f"<textarea>{old}</textarea>", f"<textarea>{new}</textarea>"
        states = ["", " checked", ' value="a"', ' value="b"', ' value=""', ' checked value="b"']
        type_ = ' type="checkbox"' if kind == "checkbox" else self.r.choice(["", ' type="text"'])
        old, new = self.r.choice(states), self.r.choice(states)
        return f"<input{type_}{old}>", f"<input{type_}{new}>"

    def svg_attrs(self) -> str:
        chosen = self.r.sample(sorted(SVG_ATTRIBUTES), self.r.randint(0, 2))
        return "".join(f' {name}="{self.r.choice(SVG_ATTRIBUTES[name])}"' for name in chosen)

    def svg_pair(self, depth: int) -> tuple[str, str]:
        """An inline SVG rendered twice: attributes, leaves and text changed here and there."""
        old_attrs = self.svg_attrs()
        new_attrs = old_attrs if self.r.random() < 0.6 else self.svg_attrs()
        children = [self.svg_child_pair(depth - 1) for _ in range(self.r.randint(0, 4))]
        return (
            f"<svg{old_attrs}>{''.join(c[0] for c in children)}</svg>",
            f"<svg{new_attrs}>{''.join(c[1] for c in children)}</svg>",
        )

    def svg_child_pair(self, depth: int) -> tuple[str, str]:
        roll = self.r.random()
        if roll < 0.35:
            leaf = self.r.choice(SVG_LEAVES)
            old_attrs = self.svg_attrs()
            new_attrs = old_attrs if self.r.random() < 0.6 else self.svg_attrs()
            return f"<{leaf}{old_attrs}/>", f"<{leaf}{new_attrs}/>"
        if roll < 0.45:
            text = self.text()
            return text, text if self.r.random() < 0.5 else self.text()
        if roll < 0.52:
            old = "" if self.r.random() < 0.5 else f"<{self.r.choice(SVG_LEAVES)}/>"
            return (old, "") if self.r.random() < 0.5 else ("", old)
        if roll < 0.62 or depth <= 0:
            # An HTML integration point: HTML inside the SVG.
            point = self.r.choice(["foreignObject", "foreignobject", "desc", "title"])
            inner = self.pair(max(depth - 1, 0))
            return (f"<{point}>{inner[0]}</{point}>", f"<{point}>{inner[1]}</{point}>")
        tag = self.r.choice(SVG_CONTAINERS)
        old_attrs = self.svg_attrs()
        new_attrs = old_attrs if self.r.random() < 0.6 else self.svg_attrs()
        children = [self.svg_child_pair(depth - 1) for _ in range(self.r.randint(0, 3))]
        close = tag if self.r.random() < 0.8 else tag.lower()
        return (
            f"<{tag}{old_attrs}>{''.join(c[0] for c in children)}</{close}>",
            f"<{tag}{new_attrs}>{''.join(c[1] for c in children)}</{close}>",
        )

    def math_pair(self) -> tuple[str, str]:
        """A formula rendered twice, its numbers and operators changed or not."""

        def formula() -> str:
            n = self.r.choice(["1", "2", "x"])
            return (
                f'<math display="block"><mrow><mi>y</mi><mo>=</mo><mn>{n}</mn></mrow>'
                f"<mtext>{self.text()}</mtext></math>"
            )

        old = formula()
        return old, old if self.r.random() < 0.4 else formula()

    def keyed_list(self, depth: int, kind: str | None = None) -> tuple[str, str]:
        """A list rendered twice: items reordered, some added or removed, keys repeated."""
        open_tag, close_tag, item_tag = LISTS[kind or self.r.choice(list(LISTS))]
        items = []
        for _ in range(self.r.randint(0, 9)):
            key = None if self.r.random() < 0.15 else self.r.randint(0, 11)
            attribute = self.r.choice(["data-key", "dj-key"])
            keyed = f' {attribute}="k{key}"' if key is not None else ""
            content = self.pair(depth - 1)
            newline = "\n" if self.r.random() < 0.5 else ""
            cell = ("<td>", "</td>") if item_tag == "tr" else ("", "")
            render = [
                f"<{item_tag}{keyed}>{cell[0]}{content[side]}{cell[1]}</{item_tag}>{newline}"
                for side in (0, 1)
            ]
            items.append((render, self.r.random() < 0.85, self.r.random() < 0.85))
        old_order = list(range(len(items)))
        self.r.shuffle(old_order)
        new_order = list(old_order)
        if self.r.random() < 0.7:
            self.r.shuffle(new_order)
        old = "".join(items[i][0][0] for i in old_order if items[i][1])
        new = "".join(items[i][0][1] for i in new_order if items[i][2])
        return open_tag + old + close_tag, open_tag + new + close_tag

    def page_pair(self) -> tuple[str, str]:
        page, kind = self.r.choice(PAGES)
        if kind is not None:
            # A list root: its content is a keyed list's items.
            old, new = self.keyed_list(2, kind)
            open_tag, close_tag, _ = LISTS[kind]
            strip = slice(len(open_tag), -len(close_tag))
            old, new = page.format(old[strip]), page.format(new[strip])
        else:
            parts = [self.pair(3) for _ in range(self.r.randint(1, 4))]
            old = page.format("".join(p[0] for p in parts))
            new = page.format("".join(p[1] for p in parts))
        if self.r.random() < 0.25:
            # Line ends as a Windows editor leaves them: the parser reads them as LF.
            old, new = old.replace("\n", "\r\n"), new.replace("\n", "\r\n")
        return old, new


def pairs(seed: int, count: int) -> Iterator[tuple[str, str]]:
    """``count`` page render pairs, the same for the same seed."""
    corpus = Corpus(seed)
    for _ in range(count):
        yield corpus.page_pair()
