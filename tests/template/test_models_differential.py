"""Real model instances, related managers and QuerySets from the test database, rendered by
Django and by djust."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.template.differential import check, make_engines
from tests.template.models import Author, Book

ENGINES = make_engines()


@pytest.fixture
def library(db):
    ada = Author.objects.create(name="Ada <Lovelace>", born=datetime.date(1815, 12, 10))
    bob = Author.objects.create(name="Bob", born=None)
    when = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC)
    Book.objects.create(
        author=ada, title="Notes & Sketches", price=Decimal("12.50"), pages=99, published=when
    )
    Book.objects.create(author=ada, title="Engines", price=Decimal("7.00"), pages=250)
    Book.objects.create(author=bob, title="Bob's Book", price=Decimal("0.99"), pages=10)
    return {
        "ada": ada,
        "bob": bob,
        "authors": Author.objects.all(),
        "books": Book.objects.select_related("author"),
        "first": Book.objects.first(),
    }


MODEL_CASES = [
    "{{ ada }} {{ ada.name }} {{ ada.born }} {{ ada.born|date:'Y-m-d' }} {{ ada.pk }}",
    "{{ ada.shout }} [{{ ada.erase }}] {{ ada.missing }}",
    "{% for a in authors %}{{ a.name }}:{% for b in a.book_set.all %}{{ b.title }},"
    "{% empty %}none{% endfor %};{% endfor %}",
    "{% for b in books %}{{ forloop.counter }}. {{ b.title|upper }} by {{ b.author.name }} "
    "({{ b.price }}, {{ b.price|floatformat:1 }}, {{ b.pages|add:1 }}){% endfor %}",
    "{{ books|length }} {{ authors.count }} {{ ada.book_set.count }}",
    "{% if ada.book_set.exists %}has books{% endif %}{% if bob.born %}born{% else %}?{% endif %}",
    "{% for b in books %}{% ifchanged b.author %}<h2>{{ b.author }}</h2>{% endifchanged %}"
    "{{ b }} {% endfor %}",
    "{% regroup books by author.name as groups %}{% for g in groups %}{{ g.grouper }}="
    "{{ g.list|length }} {% endfor %}",
    "{% with first.author as author %}{{ author.name }} {{ author.book_set.all|length }}"
    "{% endwith %}",
    "{{ first.published }} {{ first.published|date:'D d M Y H:i' }} "
    "{{ first.price|stringformat:'s' }}",
    "{% if first.price > 10 %}pricey{% endif %}{% if first in books %}in{% endif %}",
    "{{ books.0.title }} {{ authors.1 }} {{ books|first }} {{ books|last }}",
    "{% for b in books %}{{ b.title|truncatechars:6 }}|{{ b.price|add:'1' }}|{% endfor %}",
    "{{ authors|join:', ' }} {{ books|slice:':2'|length }}",
    "{% for a in authors %}{{ a|default:'-' }}{{ a.born|default_if_none:'unknown' }} {% endfor %}",
    "{{ books|dictsort:'pages'|first }} {{ books|dictsortreversed:'price'|first }}",
]


@pytest.mark.parametrize("source", MODEL_CASES)
def test_models_render_as_in_django(library, source):
    check(ENGINES, source, library)


def test_a_queryset_is_evaluated_once(library):
    _, ours = ENGINES
    template = ours.from_string(
        "{% for b in books %}{{ b.title }}{% endfor %}{{ books|length }}"
        "{% for b in books %}{{ b.pages }}{% endfor %}"
    )
    context = {"books": Book.objects.all()}
    with CaptureQueriesContext(connection) as queries:
        template.render(context)
    assert len(queries) == 1
