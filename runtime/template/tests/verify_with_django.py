"""Checks the fixture expectations in tests/fixtures/ against the real Django.

Run it with a Python that has Django 5.2 installed (in a scratch virtualenv, not the repo's):

    python -m venv /tmp/dj && /tmp/dj/bin/pip install 'django==5.2.*'
    /tmp/dj/bin/python runtime/template/tests/verify_with_django.py           # check
    /tmp/dj/bin/python runtime/template/tests/verify_with_django.py --write   # fill in

A fixture is a JSON context, a line `---`, the template, a line `===`, and what Django renders
(the file's final newline is not part of it). An expected error is written
`!error KIND LINE:COLUMN` followed by the message on the next lines. `--write` replaces the
expectation of every fixture with what Django does; review the diff before committing.

Errors of kind Unsupported mean "djust hands this to Django", so those fixtures are skipped.
Two messages are compared in part: "not a registered tag library" lists Django's own libraries
too (only its first line is compared), and VariableDoesNotExist ends with the repr of
Django's context stack, which djust does not reproduce (compared up to " in "). Kept in step
with tests/support/ (the JSON special objects and the `testtags` and `other` libraries).
"""

import json
import pathlib
import sys
import types

import django
from django.conf import settings

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def make_libraries():
    from django import template
    from django.utils.safestring import mark_safe

    testtags = template.Library()

    def text(value):
        # The Rust side prints only these types (see tests/support/objects.rs).
        return str(value) if isinstance(value, (str, int, type(None))) else "?"

    @testtags.simple_tag
    def echo(*args, **kwargs):
        parts = [text(a) for a in args] + [f"{k}={text(v)}" for k, v in kwargs.items()]
        return "[" + " ".join(parts) + "]"

    @testtags.simple_tag
    def bold(value):
        return mark_safe(f"<b>{text(value)}</b>")

    @testtags.simple_tag
    def count(*args, **kwargs):
        return len(args) + len(kwargs)

    @testtags.simple_tag
    def fail():
        raise ValueError("boom")

    @testtags.simple_tag
    def nothing():
        return None

    @testtags.simple_tag
    def big():
        return 1e16

    @testtags.simple_tag
    def letters():
        return ["a", "<b>"]

    other = template.Library()

    @other.simple_tag
    def greet(who="world"):
        return f"Hello, {who}!"

    for name, library in [("fixture_testtags", testtags), ("fixture_other", other)]:
        module = types.ModuleType(name)
        module.register = library
        sys.modules[name] = module


class TestObject:
    """The host object of `{"__object__": {...}, "__str__": "..."}`."""

    def __init__(self, attributes, text):
        for key, value in attributes.items():
            setattr(self, key, value)
        self._text = text

    def __str__(self):
        return self._text


def special(obj):
    from django.utils.safestring import mark_safe

    if list(obj) == ["__safe__"]:
        return mark_safe(obj["__safe__"])
    if list(obj) == ["__float__"]:
        return float(obj["__float__"])
    if "__object__" in obj:
        return TestObject(obj["__object__"], obj.get("__str__", ""))
    return obj


def split(text):
    context, rest = text.split("\n---\n", 1)
    source, expected = rest.split("\n===\n", 1)
    if expected.endswith("\n"):
        expected = expected[:-1]
    return context, source, expected


def kind_of(error):
    from django.template import TemplateSyntaxError
    from django.template.base import VariableDoesNotExist

    if isinstance(error, TemplateSyntaxError):
        return "Syntax"
    if isinstance(error, VariableDoesNotExist):
        return "VariableDoesNotExist"
    if str(error) == "boom":
        return "Host"
    return "Render"


def run(source, context):
    from django.template import Context, engines

    engine = engines["django"].engine
    try:
        return engine.from_string(source).render(Context(context))
    except Exception as error:  # noqa: BLE001 - every failure becomes an expectation
        debug = getattr(error, "template_debug", None)
        line = column = 0
        if debug:
            line = debug["line"]
            start = debug["start"]
            column = start - (source.rfind("\n", 0, start) + 1) + 1
        return f"!error {kind_of(error)} {line}:{column}\n{error}"


def main():
    settings.configure(
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "debug": True,
                    "libraries": {
                        "testtags": "fixture_testtags",
                        "other": "fixture_other",
                    },
                },
            }
        ]
    )
    django.setup()
    make_libraries()
    write = "--write" in sys.argv
    failures = skipped = 0
    paths = sorted(FIXTURES.glob("*.txt"))
    for path in paths:
        context_text, source, expected = split(path.read_bytes().decode())
        context = json.loads(context_text, object_hook=special)
        actual = run(source, context)
        if expected.startswith("!error Unsupported"):
            skipped += 1
            continue
        same = actual == expected
        if not same and "is not a registered tag library" in expected:
            same = actual.split("\n", 2)[:2] == expected.split("\n", 2)[:2]
        if not same and expected.startswith("!error VariableDoesNotExist"):
            same = actual.split(" in ", 1)[0] == expected.split(" in ", 1)[0]
        if same:
            continue
        if write:
            path.write_bytes(f"{context_text}\n---\n{source}\n===\n{actual}\n".encode())
            print(f"{path.name}: written")
        else:
            failures += 1
            print(f"{path.name}: expected\n{expected!r}\nDjango gives\n{actual!r}\n")
    print(f"{len(paths) - failures - skipped} passed, {failures} failed, {skipped} skipped")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
