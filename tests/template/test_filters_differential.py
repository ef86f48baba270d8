"""Every builtin filter, over every kind of value, rendered by Django and by djust: the same
bytes, or the same error."""

from __future__ import annotations

import pytest

from tests.template.differential import check, make_engines
from tests.template.values import VALUES

# The arguments each filter is tried with (template syntax; None: no argument).
ARGUMENTS: dict[str, list[str | None]] = {
    "add": ["1", '"2"', '"x"', "list", "2.5", "float"],
    "addslashes": [None],
    "capfirst": [None],
    "center": ["9", '"3"'],
    "cut": ['" "', '"l"', '";"'],
    "date": [None, '"Y-m-d"', '"D, d M Y H:i"', '"N j, Y P"', '"c"'],
    "default": ['"dflt"', "zero"],
    "default_if_none": ['"dflt"'],
    "dictsort": ['"n"', '"s"', '"0"'],
    "dictsortreversed": ['"n"'],
    "divisibleby": ["2", '"3"'],
    "escape": [None],
    "escapejs": [None],
    "escapeseq": [None],
    "filesizeformat": [None],
    "first": [None],
    "floatformat": [None, "2", '"-3"', '"0"', '"2g"', '"u"', '"x"', "-1", '"3ug"'],
    "force_escape": [None],
    "get_digit": ["1", '"2"', "9"],
    "iriencode": [None],
    "join": ['", "', '"<br>"'],
    "json_script": [None, '"data-id"'],
    "last": [None],
    "length": [None],
    "linebreaks": [None],
    "linebreaksbr": [None],
    "linenumbers": [None],
    "ljust": ["8"],
    "lower": [None],
    "make_list": [None],
    "phone2numeric": [None],
    "pluralize": [None, '"es"', '"y,ies"', '"a,b,c"'],
    "pprint": [None],
    "rjust": ["8"],
    "safe": [None],
    "safeseq": [None],
    "slice": ['":2"', '"1:"', '"::-1"', '"x"', '"-2:"'],
    "slugify": [None],
    "stringformat": ['"s"', '"05d"', '".2f"', '"x"', '"r"', '"E"', '"-6s"'],
    "striptags": [None],
    "time": [None, '"H:i"'],
    "timesince": [None],
    "timeuntil": [None],
    "title": [None],
    "truncatechars": ["5", "1", "0", '"x"'],
    "truncatechars_html": ["6"],
    "truncatewords": ["1", "3"],
    "truncatewords_html": ["2"],
    "unordered_list": [None],
    "upper": [None],
    "urlencode": [None, '""'],
    "urlize": [None],
    "urlizetrunc": ["10"],
    "wordcount": [None],
    "wordwrap": ["5"],
    "yesno": [None, '"yeah,no"', '"y,n,m"'],
}

ENGINES = make_engines()
ENGINES_RAW = make_engines(autoescape=False)


def cases():
    for name, arguments in sorted(ARGUMENTS.items()):
        for argument in arguments:
            expression = name if argument is None else f"{name}:{argument}"
            yield pytest.param(expression, id=expression)


@pytest.mark.parametrize("expression", list(cases()))
def test_filter_matches_django_for_every_value(expression):
    context = dict(VALUES)
    for key in VALUES:
        check(ENGINES, f"{{{{ {key}|{expression} }}}}", context)


@pytest.mark.parametrize(
    "name",
    [
        "join",
        "linebreaks",
        "linebreaksbr",
        "linenumbers",
        "unordered_list",
        "urlize",
        "escape",
        "safe",
    ],
)
def test_autoescape_off_reaches_the_filters(name):
    expression = 'join:"<br>"' if name == "join" else name
    for key in ("html", "safe", "strs", "multi", "nested", "url"):
        check(ENGINES_RAW, f"{{{{ {key}|{expression} }}}}", VALUES)
        check(
            ENGINES,
            f"{{% autoescape off %}}{{{{ {key}|{expression} }}}}{{% endautoescape %}}",
            VALUES,
        )


def test_random_picks_from_one_item():
    check(ENGINES, "{{ one_item|random }}{{ empty|random }}", {"one_item": ["<x>"], "empty": []})


@pytest.mark.parametrize(
    "chain",
    [
        "upper|lower|capfirst",
        "safe|upper",
        "safe|lower",
        "escape|safe",
        "force_escape|escape",
        'default:"<x>"|upper',
        "length|add:1|stringformat:'03d'",
        "make_list|join:'-'",
        "first|upper",
        "slice:':1'|join:','",
        "striptags|truncatewords:2",
        "title|slugify",
        "floatformat:2|add:1",
        "linebreaksbr|safe",
        "escapejs|safe",
    ],
)
def test_filter_chains(chain):
    for key in ("html", "safe", "text", "float", "strs", "multi", "none"):
        check(ENGINES, f"{{{{ {key}|{chain} }}}}", VALUES)


def test_project_filters_are_called_back():
    source = (
        "{% load corpus_tags %}{{ text|double }}|{{ html|wrap }}|{{ safe|wrap:'b' }}|"
        "{{ html|shout }}|{{ list|double|length }}"
    )
    check(ENGINES, source, VALUES)
    check(ENGINES_RAW, source, VALUES)


WRAP_PIECES = [
    "word",
    "a",
    "longerwordthanwidth",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\xa0",
    "é",
    "\u3000",
]


@pytest.mark.parametrize("seed", range(4))
def test_wordwrap_runs_natively_as_djangos_textwrap(seed, monkeypatch):
    import random

    from djust.template.host import Callbacks

    host_calls = []
    original = Callbacks.call_filter

    def counting(self, library, name, *args):
        host_calls.append(name)
        return original(self, library, name, *args)

    monkeypatch.setattr(Callbacks, "call_filter", counting)
    rng = random.Random(seed)
    texts = {
        f"t{i}": "".join(rng.choice(WRAP_PIECES) for _ in range(rng.randrange(0, 30)))
        for i in range(40)
    }
    for width in (1, 3, 7, '"12"', 40):
        source = "|".join(f"{{{{ {name}|wordwrap:{width} }}}}" for name in texts)
        check(ENGINES, source, texts)
        check(ENGINES_RAW, source, texts)
    assert "wordwrap" not in host_calls
    # Widths Python refuses are Django's to raise.
    check(ENGINES, "{{ text|wordwrap:0 }}{{ text|wordwrap:'x' }}", {"text": "a b"})


def test_the_slug_table_is_this_python_s_unicodedata():
    """slugify's table of NFKD forms is Python's own: regenerated, it is the same file."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "runtime/template/scripts/slug_table.py"
    spec = importlib.util.spec_from_file_location("slug_table", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.TARGET.read_text(encoding="utf-8") == module.render()


@pytest.mark.parametrize("seed", range(4))
def test_slugify_runs_natively_on_any_text(seed, monkeypatch):
    import random
    import sys

    from djust.template.host import Callbacks

    host_calls = []
    original = Callbacks.call_filter

    def counting(self, library, name, *args):
        host_calls.append(name)
        return original(self, library, name, *args)

    monkeypatch.setattr(Callbacks, "call_filter", counting)
    rng = random.Random(seed)
    pieces = ["a", "Z", "9", " ", "-", "_", "--", "\t", "!", "é", "ß", "Æ", "½", "ﬁ", "Ａ", "—"]

    def any_char():
        code = rng.randrange(0x80, sys.maxunicode + 1)
        return chr(code) if not 0xD800 <= code <= 0xDFFF else "x"

    texts = {
        f"t{i}": "".join(
            rng.choice(pieces) if rng.random() < 0.7 else any_char()
            for _ in range(rng.randrange(0, 25))
        )
        for i in range(60)
    }
    source = "|".join(f"{{{{ {name}|slugify }}}}" for name in texts)
    check(ENGINES, source, texts)
    check(ENGINES, "{{ a|title|slugify }}", {"a": "Ünïcödé straße"})
    assert "slugify" not in host_calls


def test_the_case_table_is_this_python_s_unicode_database():
    """title's tables are Python's own: regenerated, they are the same file."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "runtime/template/scripts/case_table.py"
    spec = importlib.util.spec_from_file_location("case_table", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.TARGET.read_text(encoding="utf-8") == module.render()


TITLE_SAMPLES = [
    "ünïcödé straße ß",
    "ǆemal ǉubljana ǲ",
    "ΣΊΣΥΦΟΣ ΟΔΟΣ Σ ΑΣ' ΑΣ.Β",
    "ﬁsh ﬂour ﬀ ŉ ǰ",
    "ვეფხისტყაოსანი",
    "l'éTé 3RD ٣RD ४TH",
    "İstanbul ıi",
    "ᾳ ᾼ ῳ",
    "日本語 テキスト",
    "o'NEIL ʼN",
]


@pytest.mark.parametrize("seed", range(4))
def test_title_runs_natively_on_any_text(seed, monkeypatch):
    import random
    import sys

    from djust.template.host import Callbacks

    host_calls = []
    original = Callbacks.call_filter

    def counting(self, library, name, *args):
        host_calls.append(name)
        return original(self, library, name, *args)

    monkeypatch.setattr(Callbacks, "call_filter", counting)
    rng = random.Random(seed)
    pieces = ["a", "Z", "'", "1", " ", "Σ", "σ", "é", "ß", "ǆ", "\u0301", ".", "٣", "A"]

    def any_char():
        code = rng.randrange(0x80, sys.maxunicode + 1)
        return chr(code) if not 0xD800 <= code <= 0xDFFF else "x"

    texts = {f"s{i}": text for i, text in enumerate(TITLE_SAMPLES)}
    texts.update(
        {
            f"t{i}": "".join(
                rng.choice(pieces) if rng.random() < 0.7 else any_char()
                for _ in range(rng.randrange(0, 25))
            )
            for i in range(60)
        }
    )
    source = "|".join(f"{{{{ {name}|title }}}}" for name in texts)
    check(ENGINES, source, texts)
    assert "title" not in host_calls
