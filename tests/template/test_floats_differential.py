"""Floats printed by Django and by djust over thousands of values of every magnitude: djust
writes Python's repr with its own shortest-digits code and rounds for ``floatformat`` itself,
so the bytes are compared value by value, in a locale with a decimal comma too."""

from __future__ import annotations

import random
import struct

import pytest
from django.test import override_settings
from django.utils import translation

from tests.template.differential import check, make_engines

ENGINES = make_engines()

EDGES = [
    0.0,
    -0.0,
    1e-4,
    9.999999999999999e-05,
    1e-6,
    1e15,
    1e16,
    9999999999999998.0,
    0.1 + 0.2,
    2.675,
    1.005,
    0.5,
    1.5,
    2.5,
    -2.5,
    5e-324,
    1.7976931348623157e308,
    123456789.125,
    -0.0049,
    0.0005,
]


def sample(seed: int, count: int) -> list[float]:
    """Floats of every magnitude: random bit patterns, uniform ones, and decimal-looking ones."""
    rnd = random.Random(seed)
    values = list(EDGES)
    while len(values) < count:
        kind = rnd.random()
        if kind < 0.3:
            value = struct.unpack("<d", rnd.getrandbits(64).to_bytes(8, "little"))[0]
        elif kind < 0.6:
            value = rnd.uniform(-1e6, 1e6)
        elif kind < 0.8:
            value = round(rnd.uniform(-1000, 1000), rnd.randint(0, 6))
        else:
            value = rnd.random() * 10 ** rnd.randint(-8, 17)
        if value == value:  # NaN prints as "nan" either way; keep the sample about digits
            values.append(value)
    return values


TEMPLATE = (
    "{% for f in floats %}{{ f }}|{{ f|floatformat }}|{{ f|floatformat:2 }}|"
    "{{ f|floatformat:'-3' }}|{{ f|floatformat:'0' }}|{{ f|floatformat:'2g' }}\n"
    "{% endfor %}"
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_floats_print_as_django_prints_them(seed):
    check(ENGINES, TEMPLATE, {"floats": sample(seed, 3000)})


@pytest.mark.parametrize("thousands", [False, True])
def test_floats_in_a_locale_with_a_decimal_comma(thousands):
    with override_settings(USE_THOUSAND_SEPARATOR=thousands), translation.override("de"):
        check(ENGINES, TEMPLATE, {"floats": sample(4, 1000)})


DECIMALS = [
    "0",
    "-0",
    "0.00",
    "-0.004",
    "1234.5678",
    "10",
    "1E+3",
    "1.5E-7",
    "-2.5",
    "2.675",
    "99999999999999999999999999999.995",
    "0.0000000000000000000000000000001",
    "NaN",
    "-Infinity",
]
FLOATFORMAT_ARGUMENTS = ["", ":2", ":0", ":-2", ':"3g"', ':"-1u"', ':"2ug"', ":30", ':"x"']


@pytest.mark.parametrize("language", ["en", "de"])
def test_decimals_round_natively_as_django_rounds_them(language, monkeypatch):
    from decimal import Decimal

    from djust.template.host import Callbacks

    host_calls = []
    original = Callbacks.call_filter

    def counting(self, library, name, *args):
        host_calls.append(name)
        return original(self, library, name, *args)

    monkeypatch.setattr(Callbacks, "call_filter", counting)
    context = {f"d{i}": Decimal(text) for i, text in enumerate(DECIMALS)}
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=True):
        for argument in FLOATFORMAT_ARGUMENTS:
            source = " ".join(f"{{{{ {name}|floatformat{argument} }}}}" for name in context)
            check(ENGINES, source, context)
    assert "floatformat" not in host_calls
