"""What the Rust engine needs from Django to format dates itself: the active language's
names and formats (built once per language), the current time zone when its offset never
changes, and the placing of datetimes in zones only Python can convert."""

from __future__ import annotations

import datetime
import re
from typing import Any

from djust import _core

# (year, month, day, hour, minute, second, microsecond, utcoffset seconds, tzname, dst,
# ambiguous, fixed): a datetime as the engine's formatter reads it.
DatetimeFacts = tuple[int, int, int, int, int, int, int, int | None, str | None, bool, bool, bool]

# tzdata zones that are one fixed offset by definition (UTC and the Etc/GMT±N family).
_FIXED_ZONE_KEY = re.compile(
    r"(Etc/)?(UTC|UCT|GMT|GMT0|GMT[+-]0|Universal|Zulu|Greenwich)|Etc/GMT[+-]\d{1,2}"
)

# What fixed_zone() found, by zone object (kept alive here so its id stays its own); a
# project making a new zone object per request cannot grow it past this size.
_fixed_zones: dict[int, tuple[Any, tuple[int, str] | None]] = {}
_FIXED_ZONES_KEPT = 256


def fixed_zone(tz: Any) -> tuple[int, str] | None:
    """``(offset seconds, name)`` of a zone whose offset and name never change (a
    ``datetime.timezone``, ``ZoneInfo("UTC")``...); ``None`` for the others."""
    known = _fixed_zones.get(id(tz))
    if known is not None and known[0] is tz:
        return known[1]
    found: tuple[int, str] | None = None
    key = getattr(tz, "key", None)
    if type(tz) is datetime.timezone or (
        isinstance(key, str) and _FIXED_ZONE_KEY.fullmatch(key) is not None
    ):
        sample = datetime.datetime(2000, 1, 1, tzinfo=tz)
        offset = sample.utcoffset()
        name = sample.tzname()
        if offset is not None and name is not None and not offset.microseconds:
            found = (offset.days * 86400 + offset.seconds, name)
    if len(_fixed_zones) >= _FIXED_ZONES_KEPT:
        _fixed_zones.clear()
    _fixed_zones[id(tz)] = (tz, found)
    return found


def datetime_facts(value: datetime.datetime, localtime: bool) -> DatetimeFacts | None:
    """An aware datetime as Django's formatter reads it, after ``template_localtime`` when
    ``localtime``; ``None`` where the engine should run Django's filter instead."""
    from django.utils.timezone import _datetime_ambiguous_or_imaginary, template_localtime

    if localtime:
        value = template_localtime(value)
    fields = (
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )
    tz = value.tzinfo
    if tz is None:
        return (*fields, None, None, False, False, False)
    offset = value.utcoffset()
    name = value.tzname()
    if offset is None or name is None or offset.microseconds:
        return None
    return (
        *fields,
        offset.days * 86400 + offset.seconds,
        name,
        bool(value.dst()),
        _datetime_ambiguous_or_imaginary(value, tz),
        type(tz) is datetime.timezone,
    )


def date_locale() -> _core.DateLocale:
    """The active language's date names (``django.utils.dates``), the words of the ``a``,
    ``A``, ``P`` format characters, and every format ``get_format`` resolves."""
    from django.utils import dates
    from django.utils.formats import FORMAT_SETTINGS, get_format, get_format_modules
    from django.utils.translation import gettext

    def names(table: dict[int, Any]) -> list[str]:
        return [str(table[i]) for i in sorted(table)]

    # get_format() looks a name up in the language's format modules, then in the settings
    # for FORMAT_SETTINGS; any other name comes back unchanged.
    format_names = set(FORMAT_SETTINGS)
    for module in get_format_modules():
        format_names.update(dir(module))
    formats: dict[str, str | None] = {}
    for name in format_names:
        value = get_format(name)
        if value is name or value == name:
            continue
        formats[name] = _string_or_none(value)
    return _core.DateLocale(
        months=names(dates.MONTHS),
        months_3=names(dates.MONTHS_3),
        months_3_title=[name.title() for name in names(dates.MONTHS_3)],
        months_ap=names(dates.MONTHS_AP),
        months_alt=names(dates.MONTHS_ALT),
        weekdays=names(dates.WEEKDAYS),
        weekdays_abbr=names(dates.WEEKDAYS_ABBR),
        am=gettext("a.m."),
        pm=gettext("p.m."),
        am_upper=gettext("AM"),
        pm_upper=gettext("PM"),
        midnight=gettext("midnight"),
        noon=gettext("noon"),
        comma=gettext(", "),
        formats=formats,
        unlocalized={
            name: _string_or_none(get_format(name, use_l10n=False))
            for name in ("DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT")
        },
    )


def _string_or_none(value: Any) -> str | None:
    return str(value) if isinstance(value, str) else None
