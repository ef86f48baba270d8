"""Localization and translation: numbers and dates in the active language and time zone,
thousand separators, ``{% localize %}``, and the i18n tags, rendered by Django and by djust."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from tests.template.differential import check, make_engines
from tests.template.values import VALUES

ENGINES = make_engines()

NUMBERS = (
    "{{ big }} {{ float }} {{ half }} {{ decimal }} {{ huge }} {{ tiny }} {{ neg }} "
    "{{ big|floatformat:2 }} {{ decimal|floatformat }} {{ float|floatformat:'3g' }} "
    "{{ big|floatformat:'u' }} {{ big|filesizeformat }} {{ huge|filesizeformat }} "
    "{{ list }} {{ true }}"
)
DATES = (
    "{{ date }} {{ datetime }} {{ time }} {{ date|date }} "
    "{{ datetime|date:'DATETIME_FORMAT' }} {{ datetime|time }} {{ date|date:'l jS F Y' }}"
)
L10N_TAGS = (
    "{% load l10n %}{{ big|localize }} {{ big|unlocalize }} {{ float|unlocalize }} "
    "{% localize off %}{{ big }} {{ float }} {{ huge }} {{ decimal }} {{ date }}"
    "{% endlocalize %}{% localize on %}{{ big }}{% endlocalize %}"
)
I18N = (
    "{% load i18n %}{% translate 'Yes' %} {% trans 'No' context 'answer' %} "
    "{% trans 'Home' as home %}{{ home }} "
    "{% blocktranslate %}Hello {{ text }}{% endblocktranslate %} "
    "{% blocktrans count counter=list|length %}One item{% plural %}{{ counter }} items"
    "{% endblocktrans %} {% get_current_language as LANG %}{{ LANG }} {{ _('Yes') }} "
    "{{ true|yesno }} {{ text|truncatechars:4 }}"
)


@pytest.mark.parametrize("language", ["en", "de", "fr", "pl", "ar", "hi"])
@pytest.mark.parametrize("thousands", [False, True])
@pytest.mark.parametrize("source", [NUMBERS, DATES, L10N_TAGS, I18N])
def test_localized_output_matches_django(language, thousands, source):
    with override_settings(USE_THOUSAND_SEPARATOR=thousands), translation.override(language):
        check(ENGINES, source, VALUES)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/Sao_Paulo"])
def test_datetimes_in_the_current_time_zone(zone):
    with timezone.override(zone):
        check(ENGINES, DATES + " {{ datetime|timesince:datetime }}", VALUES)


@override_settings(
    DECIMAL_SEPARATOR="!",
    THOUSAND_SEPARATOR="~",
    NUMBER_GROUPING=(3, 2, 0),
    USE_THOUSAND_SEPARATOR=True,
)
def test_unlocalized_formats_come_from_settings():
    with translation.override("de"):
        check(ENGINES, "{{ big|floatformat:'2u' }} {{ big|floatformat:'2gu' }} {{ big }}", VALUES)
    with translation.override(None):
        check(ENGINES, NUMBERS, VALUES)
