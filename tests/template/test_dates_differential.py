"""The ``date``, ``time``, ``timesince`` and ``timeuntil`` filters, run natively by djust,
against Django's: every format character and named format, over naive and aware datetimes,
dates and times, in several languages and current time zones — the same bytes, and no call
to Django's filter where the engine is meant to format the value itself."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from djust.template.host import Callbacks
from tests.template.differential import check, make_engines

ENGINES = make_engines()

UTC = datetime.UTC
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
MINUS_0430 = datetime.timezone(datetime.timedelta(hours=-4, minutes=-30))

DATES = {
    "naive": datetime.datetime(2024, 2, 29, 13, 5, 9, 123),
    "midnight": datetime.datetime(2021, 1, 3, 0, 0),
    "noon": datetime.datetime(2019, 12, 30, 12, 0, 59),
    "one_am": datetime.datetime(2003, 10, 11, 1, 30),
    "year_one": datetime.datetime(1, 1, 1, 23, 7),
    "utc": datetime.datetime(2024, 7, 1, 22, 45, 0, tzinfo=UTC),
    "utc_new_year": datetime.datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
    "fixed": datetime.datetime(1999, 12, 31, 21, 0, 5, 7, tzinfo=MINUS_0430),
    "paris_summer": datetime.datetime(2024, 6, 15, 8, 0, tzinfo=PARIS),
    "paris_fold": datetime.datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=PARIS),
    "ny_winter": datetime.datetime(2023, 1, 15, 17, 59, tzinfo=NEW_YORK),
    "date": datetime.date(2024, 2, 29),
    "date_sunday": datetime.date(2022, 1, 2),
    "time": datetime.time(9, 5, 3),
    "time_micro": datetime.time(23, 0, 0, 500),
    "time_midnight": datetime.time(0, 0),
}

# Every format character alone, then mixes, escapes and Django's examples.
FORMATS = [
    *"aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ",
    "Y-m-d H:i",
    "D, d M Y H:i",
    "N j, Y P",
    "l jS \\o\\f F Y h:i:s A",
    "\\Y\\e\\s: Y",
    "\\\\Y",
    "W o L t z w",
    "c | e | T | O | Z | I",
    "r",
    "U",
    "g:i a / G:i / f / P",
    "b E N M",
    "",
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "literal text only, no characters? -",
]

LANGUAGES = ["en", "de", "fr", "ja"]
ZONES = ["UTC", "Europe/Paris", "America/New_York"]

# Characters whose value depends on the default time zone of a naive datetime or on the
# system clock's zone: those go to Django's filter for naive values and dates.
HOST_CHARS = re.compile(r"(?<!\\)[OTZIrU]")
# Characters that print an aware value's zone: in a current zone whose offset varies, the
# engine converts the wall time itself but leaves the zone to Django's filter.
ZONE_CHARS = re.compile(r"(?<!\\)[ceIOrTUZ]")


@pytest.fixture
def host_filters(monkeypatch):
    """Counts the filters djust hands to Django's own function, by name."""
    calls: Counter[str] = Counter()
    original = Callbacks.call_filter

    def counting(self, library, name, value, args, autoescape):
        calls[name] += 1
        return original(self, library, name, value, args, autoescape)

    monkeypatch.setattr(Callbacks, "call_filter", counting)
    return calls


def render_all(filter_name: str, fmt: str | None) -> None:
    argument = "" if fmt is None else ":" + repr(fmt).replace("\\\\", "\\")
    # One template per format: every value, one per line.
    source = "\n".join(f"{name}={{{{ {name}|{filter_name}{argument} }}}}" for name in DATES)
    check(ENGINES, source, DATES)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_date_matches_django(language, zone, host_filters):
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        for fmt in [None, *FORMATS]:
            render_all("date", fmt)
    unread = HOST_CHARS if zone == "UTC" else ZONE_CHARS
    native_formats = [f for f in FORMATS if not unread.search(f)]
    assert native_formats
    for fmt in native_formats:
        host_filters.clear()
        with translation.override(language), timezone.override(ZoneInfo(zone)):
            source = "".join(
                f"{{{{ {name}|date:{fmt!r} }}}}"
                for name, value in DATES.items()
                if isinstance(value, datetime.datetime)
            )
            check(ENGINES, source.replace("\\\\", "\\"), DATES)
        assert host_filters["date"] == 0, f"{fmt!r} went to Django's filter"


@pytest.mark.parametrize("language", LANGUAGES)
def test_time_matches_django(language, host_filters):
    with translation.override(language), timezone.override(PARIS):
        for fmt in [None, *FORMATS]:
            render_all("time", fmt)
        host_filters.clear()
        check(ENGINES, "{{ utc|time:'H:i' }}{{ time|time }}{{ naive|time:'P' }}", DATES)
    with translation.override(language), timezone.override(UTC):
        check(ENGINES, "{{ utc|time:'H:i e T O Z' }}", DATES)
    assert host_filters["time"] == 0


def test_settings_formats_are_followed(settings):
    settings.DATE_FORMAT = "d.m.Y"
    settings.SHORT_DATE_FORMAT = r"\S\h\o\r\t Y"
    with translation.override(None):
        check(ENGINES, "{{ naive|date }}|{{ date|date:'SHORT_DATE_FORMAT' }}", DATES)


def test_utc_values_render_natively_in_a_fixed_zone(host_filters, settings):
    with timezone.override(UTC):
        check(ENGINES, "{{ utc|date:'c e T O Z I U r' }} {{ fixed|date:'r U' }}", DATES)
    with timezone.override(MINUS_0430):
        check(ENGINES, "{{ utc|date:'c e T O Z I U r' }}", DATES)
    assert host_filters["date"] == 0
    settings.USE_TZ = False
    check(ENGINES, "{{ utc|date:'c e T O Z I U r' }} {{ paris_fold|date:'c T I' }}", DATES)
    assert host_filters["date"] == 0


def test_naive_values_in_the_default_zone_go_to_django(host_filters):
    check(ENGINES, "{{ naive|date:'O T Z I U r' }}{{ date|date:'U r' }}", DATES)
    assert host_filters["date"] == 2


def test_errors_are_djangos():
    # A date asked for a time character raises TypeError, which the date filter lets out.
    check(ENGINES, "{{ date|date:'H' }}", DATES)
    check(ENGINES, "{{ date|time:'H' }}{{ time|date:'Y' }}{{ time|date:'c' }}", DATES)
    check(ENGINES, "{{ time|date:'r' }}", DATES)
    check(ENGINES, "{{ none|date }}{{ empty|date }}{{ text|date }}", {"none": None, "empty": ""})


SINCE_PAIRS = [
    # (d, now): the leap-year case, month ends, leap days, hours and minutes.
    (datetime.datetime(2020, 3, 1), datetime.datetime(2021, 2, 28)),
    (datetime.datetime(2019, 3, 1), datetime.datetime(2020, 2, 29)),
    (datetime.datetime(2024, 2, 29), datetime.datetime(2025, 2, 28)),
    (datetime.datetime(2024, 2, 29), datetime.datetime(2028, 2, 29)),
    (datetime.datetime(2024, 1, 31), datetime.datetime(2024, 3, 1)),
    (datetime.datetime(2024, 1, 31, 10), datetime.datetime(2024, 2, 29, 9)),
    (datetime.datetime(2023, 5, 5, 12), datetime.datetime(2023, 5, 5, 12, 59, 59)),
    (datetime.datetime(2023, 5, 5, 12), datetime.datetime(2023, 5, 20, 13, 1)),
    (datetime.datetime(2000, 1, 1), datetime.datetime(2024, 7, 1, 5)),
    (datetime.datetime(2024, 1, 1, 0, 0, 30), datetime.datetime(2024, 1, 1)),
    (datetime.date(2020, 2, 29), datetime.date(2021, 3, 1)),
    (datetime.date(2020, 2, 29), datetime.datetime(2020, 3, 2, 6)),
    (
        datetime.datetime(2024, 1, 1, tzinfo=UTC),
        datetime.datetime(2024, 1, 1, 3, 0, tzinfo=MINUS_0430),
    ),
    (
        datetime.datetime(2023, 12, 31, 20, tzinfo=MINUS_0430),
        datetime.datetime(2024, 11, 30, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_timesince_and_timeuntil_match_django(language, host_filters):
    source = (
        "{{ d|timesince:now }}|{{ now|timeuntil:d }}|{{ d|timeuntil:now }}|{{ now|timesince:d }}"
    )
    with translation.override(language):
        for d, now in SINCE_PAIRS:
            check(ENGINES, source, {"d": d, "now": now})
    assert host_filters["timesince"] == 0
    assert host_filters["timeuntil"] == 0


def test_timesince_across_zones_and_kinds(host_filters):
    aware = datetime.datetime(2024, 1, 1, tzinfo=PARIS)
    naive = datetime.datetime(2024, 1, 1)
    for d, now in [(aware, naive), (naive, aware), (aware, aware + datetime.timedelta(days=40))]:
        check(ENGINES, "{{ d|timesince:now }}{{ d|timeuntil:now }}", {"d": d, "now": now})
    check(ENGINES, "{{ t|timesince:d }}", {"t": datetime.time(1), "d": naive})


def test_timesince_without_an_argument_uses_the_clock(host_filters):
    long_ago = {
        "d": datetime.datetime(2001, 1, 1, tzinfo=UTC),
        "naive": datetime.datetime(2003, 2, 28, 12),
        "date": datetime.date(1999, 12, 31),
        "future": datetime.datetime(2101, 3, 1),
    }
    source = (
        "{{ d|timesince }}|{{ d|timeuntil }}|{{ naive|timesince }}|{{ date|timesince }}|"
        "{{ future|timeuntil }}|{{ future|timesince }}"
    )
    check(ENGINES, source, long_ago)
    assert host_filters["timesince"] == 0
    assert host_filters["timeuntil"] == 0


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_printed_dates_match_django(language, zone):
    """``{{ value }}``: Django's ``localize`` (``DATETIME_FORMAT``, ``DATE_FORMAT``,
    ``TIME_FORMAT`` of the active language) after ``template_localtime``."""
    source = " ".join(f"{{{{ {name} }}}}" for name in DATES)
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        check(ENGINES, source, DATES)
        check(ENGINES, f"{{% load l10n %}}{{% localize off %}}{source}{{% endlocalize %}}", DATES)


def test_printed_dates_follow_the_settings_formats(settings):
    settings.DATETIME_FORMAT = "Y-m-d H:i:s e"
    settings.DATE_FORMAT = "j F Y"
    source = "{{ utc }} {{ naive }} {{ date }} {{ time }}"
    with translation.override("de"):
        check(ENGINES, f"{{% load l10n %}}{{% localize off %}}{source}{{% endlocalize %}}", DATES)
        check(ENGINES, source, DATES)


def test_conversions_past_python_s_years_raise_as_in_django():
    values = {
        "first": datetime.datetime(1, 1, 1, 1, tzinfo=UTC),
        "last": datetime.datetime(9999, 12, 31, 23, tzinfo=UTC),
    }
    with timezone.override(MINUS_0430):
        check(ENGINES, "{{ first|date:'Y' }}", values)
        check(ENGINES, "{{ last|date:'Y' }}{{ first|timesince:last }}", values)
    with timezone.override(datetime.timezone(datetime.timedelta(hours=5))):
        check(ENGINES, "{{ last|date:'Y' }}|{{ first }}", values)


def test_fixed_zones_are_recognised_and_remembered_within_bounds():
    from djust.template import dates

    assert dates.fixed_zone(UTC) == (0, "UTC")
    assert dates.fixed_zone(ZoneInfo("UTC")) == (0, "UTC")
    assert dates.fixed_zone(ZoneInfo("Etc/GMT+5")) == (-18000, "-05")
    assert dates.fixed_zone(MINUS_0430) == (-16200, "UTC-04:30")
    assert dates.fixed_zone(PARIS) is None
    for minutes in range(600):
        zone = datetime.timezone(datetime.timedelta(minutes=minutes))
        assert dates.fixed_zone(zone) == (minutes * 60, zone.tzname(None))
    assert len(dates._fixed_zones) <= dates._FIXED_ZONES_KEPT
