//! `django.utils.dateformat`: the `date` and `time` format characters over a [`DateTime`].
//!
//! Python evaluates the format characters left to right and the first failure decides:
//! an `AttributeError` (a `time` asked for its month) makes the filter print nothing; a
//! `TypeError` (a `date` asked for its hour) escapes the `date` filter. Both are
//! [`Outcome`]s here, as is what only the host knows (the default time zone of a naive
//! datetime, the system clock's zone behind `U`).

use std::fmt::Write;

use super::calendar;
use super::locale::DateLocale;
use super::{DateKind, DateTime, Zone};

/// Which of Django's formatters runs: `DateFormat` (the `date` filter) knows every
/// character, `TimeFormat` (the `time` filter) only the time ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Formatter {
    /// `DateFormat`.
    Date,
    /// `TimeFormat`.
    Time,
}

/// Why a format did not give text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Python raised `AttributeError`: the filters print nothing.
    Empty,
    /// Python raised `TypeError`: `time` prints nothing, `date` lets it out.
    TypeError,
    /// The result depends on what only the host knows: run Django's own filter.
    Host,
}

/// The characters `re_formatchars` matches.
const FORMAT_CHARS: &str = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ";

/// The characters `TimeFormat` defines (a `date` may not use them).
const TIME_CHARS: &str = "aAefgGhHiOPsTuZ";

/// The characters that print an aware datetime's zone (its offset, name or DST).
const ZONE_CHARS: &str = "ceIOrTUZ";

/// `Formatter.format(format_string)`.
pub(crate) fn format(
    value: &DateTime,
    format_string: &str,
    locale: &DateLocale,
    formatter: Formatter,
) -> Result<String, Outcome> {
    let piece = Piece {
        value,
        locale,
        // Django's formatter keeps the zone unless the wall time is ambiguous in it.
        zone: value.zone.as_ref().filter(|zone| !zone.ambiguous),
    };
    let mut out = String::with_capacity(format_string.len() * 2);
    let mut previous = '\0';
    let mut escaped = false;
    for c in format_string.chars() {
        let is_format = previous != '\\' && FORMAT_CHARS.contains(c);
        previous = c;
        if is_format {
            // A backslash just before a format char is not possible here (it would not be
            // one), so no escape is pending.
            piece.write(c, formatter, &mut out)?;
            continue;
        }
        // `re_escaped.sub(r"\1", piece)`: a backslash and any character but a newline
        // give that character.
        if escaped {
            escaped = false;
            if c != '\n' {
                out.push(c);
                continue;
            }
            out.push('\\');
        }
        if c == '\\' {
            escaped = true;
        } else {
            out.push(c);
        }
    }
    if escaped {
        out.push('\\');
    }
    Ok(out)
}

/// The value a format is applied to, and what its characters read.
struct Piece<'a> {
    value: &'a DateTime,
    locale: &'a DateLocale,
    /// `self.timezone` of Django's formatter, for aware datetimes.
    zone: Option<&'a Zone>,
}

impl Piece<'_> {
    fn write(&self, c: char, formatter: Formatter, out: &mut String) -> Result<(), Outcome> {
        let is_time_char = TIME_CHARS.contains(c);
        if formatter == Formatter::Time && !is_time_char {
            // `TimeFormat` has no such method.
            return Err(Outcome::Empty);
        }
        let v = self.value;
        if v.kind == DateKind::Date && is_time_char {
            return Err(Outcome::TypeError);
        }
        if v.zone.as_ref().is_some_and(|zone| !zone.known) && ZONE_CHARS.contains(c) {
            return Err(Outcome::Host);
        }
        // What a `time` lacks: its date.
        let has_date = v.kind != DateKind::Time;
        let date_only = |out: &mut String, f: &dyn Fn(&mut String)| {
            if has_date {
                f(out);
                Ok(())
            } else {
                Err(Outcome::Empty)
            }
        };
        let month = usize::from(v.month.clamp(1, 12) - 1);
        let weekday = || usize::from(calendar::weekday(v.year, v.month, v.day));
        let l = self.locale;
        let hour12 = if v.hour % 12 == 0 { 12 } else { v.hour % 12 };
        match c {
            'a' => out.push_str(if v.hour > 11 { &l.pm } else { &l.am }),
            'A' => out.push_str(if v.hour > 11 {
                &l.pm_upper
            } else {
                &l.am_upper
            }),
            'e' => {
                // Naive values have no tzname; aware ones theirs (when the zone is kept).
                if let Some(zone) = self.zone {
                    out.push_str(&zone.name);
                }
            }
            'f' => write_f(v, out),
            'g' => push_int(out, hour12),
            'G' => push_int(out, v.hour),
            'h' => push_02(out, u32::from(hour12)),
            'H' => push_02(out, u32::from(v.hour)),
            'i' => push_02(out, u32::from(v.minute)),
            'O' => {
                if let Some(zone) = self.zone_for_time(v)? {
                    let seconds = zone.offset;
                    let sign = if seconds < 0 { '-' } else { '+' };
                    let seconds = seconds.unsigned_abs();
                    out.push(sign);
                    push_02(out, seconds / 3600);
                    push_02(out, (seconds / 60) % 60);
                }
            }
            'P' => {
                if v.minute == 0 && v.hour == 0 {
                    out.push_str(&l.midnight);
                } else if v.minute == 0 && v.hour == 12 {
                    out.push_str(&l.noon);
                } else {
                    write_f(v, out);
                    out.push(' ');
                    out.push_str(if v.hour > 11 { &l.pm } else { &l.am });
                }
            }
            's' => push_02(out, u32::from(v.second)),
            'T' => {
                if let Some(zone) = self.zone_for_time(v)? {
                    out.push_str(&zone.name);
                }
            }
            'u' => {
                let _ = write!(out, "{:06}", v.microsecond);
            }
            'Z' => {
                if let Some(zone) = self.zone_for_time(v)? {
                    push_int(out, zone.offset);
                }
            }
            'b' => date_only(out, &|out| out.push_str(&l.months_3[month]))?,
            'c' => write_iso(v, out),
            'd' => date_only(out, &|out| push_02(out, u32::from(v.day)))?,
            'D' => date_only(out, &|out| out.push_str(&l.weekdays_abbr[weekday()]))?,
            'E' => date_only(out, &|out| out.push_str(&l.months_alt[month]))?,
            'F' => date_only(out, &|out| out.push_str(&l.months[month]))?,
            'I' => {
                if v.kind == DateKind::DateTime {
                    match (self.zone, &v.zone) {
                        (Some(zone), _) => out.push(if zone.dst { '1' } else { '0' }),
                        // The default time zone's DST at a naive time: the host knows.
                        (None, None) => return Err(Outcome::Host),
                        (None, Some(_)) => {}
                    }
                }
            }
            'j' => date_only(out, &|out| push_int(out, v.day))?,
            'l' => date_only(out, &|out| out.push_str(&l.weekdays[weekday()]))?,
            'L' => date_only(out, &|out| {
                out.push_str(if calendar::is_leap(v.year) {
                    "True"
                } else {
                    "False"
                });
            })?,
            'm' => date_only(out, &|out| push_02(out, u32::from(v.month)))?,
            'M' => date_only(out, &|out| out.push_str(&l.months_3_title[month]))?,
            'n' => date_only(out, &|out| push_int(out, v.month))?,
            'N' => date_only(out, &|out| out.push_str(&l.months_ap[month]))?,
            'o' => date_only(out, &|out| {
                push_int(out, calendar::iso_week(v.year, v.month, v.day).0);
            })?,
            'r' => self.write_rfc5322(out)?,
            'S' => date_only(out, &|out| out.push_str(ordinal_suffix(v.day)))?,
            't' => date_only(out, &|out| {
                push_int(out, calendar::days_in_month(v.year, v.month));
            })?,
            'U' => self.write_timestamp(out)?,
            'w' => date_only(out, &|out| push_int(out, (weekday() + 1) % 7))?,
            'W' => date_only(out, &|out| {
                push_int(out, calendar::iso_week(v.year, v.month, v.day).1);
            })?,
            'y' => date_only(out, &|out| push_02(out, (v.year % 100) as u32))?,
            'Y' => date_only(out, &|out| {
                let _ = write!(out, "{:04}", v.year);
            })?,
            'z' => date_only(out, &|out| {
                push_int(out, calendar::day_of_year(v.year, v.month, v.day));
            })?,
            _ => return Err(Outcome::Host),
        }
        Ok(())
    }

    /// `self.timezone` for `O`, `T`, `Z`: a naive datetime's is the default time zone,
    /// which only the host knows; dates and times have none.
    fn zone_for_time(&self, v: &DateTime) -> Result<Option<&Zone>, Outcome> {
        match (v.kind, &v.zone) {
            (DateKind::DateTime, None) => Err(Outcome::Host),
            _ => Ok(self.zone),
        }
    }

    /// `r`: `email.utils.format_datetime` of an aware datetime (English names, `%z`).
    fn write_rfc5322(&self, out: &mut String) -> Result<(), Outcome> {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let v = self.value;
        // A time cannot be combined with midnight; a date or a naive datetime is placed in
        // the default time zone, which the host knows.
        let zone = match (v.kind, &v.zone) {
            (DateKind::Time, _) => return Err(Outcome::TypeError),
            (DateKind::DateTime, Some(zone)) => zone,
            _ => return Err(Outcome::Host),
        };
        let weekday = usize::from(calendar::weekday(v.year, v.month, v.day));
        let _ = write!(
            out,
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} ",
            DAYS[weekday],
            v.day,
            MONTHS[usize::from(v.month.clamp(1, 12) - 1)],
            v.year,
            v.hour,
            v.minute,
            v.second
        );
        write_offset(zone.offset, "", out);
        Ok(())
    }

    /// `U`: `int(value.timestamp())`; a naive value's timestamp is in the system's zone,
    /// which the host knows.
    fn write_timestamp(&self, out: &mut String) -> Result<(), Outcome> {
        let v = self.value;
        let zone = match (v.kind, &v.zone) {
            (DateKind::Time, _) => return Err(Outcome::TypeError),
            (DateKind::DateTime, Some(zone)) => zone,
            _ => return Err(Outcome::Host),
        };
        let micros = v.wall_micros() - i64::from(zone.offset) * 1_000_000;
        // int() of the float truncates toward zero.
        let seconds = if micros >= 0 {
            micros / 1_000_000
        } else {
            -((-micros) / 1_000_000)
        };
        push_int(out, seconds);
        Ok(())
    }
}

/// `f`: 12-hour hours, and minutes unless zero.
fn write_f(v: &DateTime, out: &mut String) {
    let hour = if v.hour % 12 == 0 { 12 } else { v.hour % 12 };
    push_int(out, hour);
    if v.minute != 0 {
        out.push(':');
        push_02(out, u32::from(v.minute));
    }
}

/// `c`: `isoformat()`.
fn write_iso(v: &DateTime, out: &mut String) {
    if v.kind != DateKind::Time {
        let _ = write!(out, "{:04}-{:02}-{:02}", v.year, v.month, v.day);
    }
    if v.kind == DateKind::Date {
        return;
    }
    if v.kind == DateKind::DateTime {
        out.push('T');
    }
    let _ = write!(out, "{:02}:{:02}:{:02}", v.hour, v.minute, v.second);
    if v.microsecond != 0 {
        let _ = write!(out, ".{:06}", v.microsecond);
    }
    if let Some(zone) = &v.zone {
        write_offset(zone.offset, ":", out);
    }
}

/// A UTC offset as `isoformat` (`separator` ":") or `%z` (`""`) print it: hours and
/// minutes, seconds only when there are some.
fn write_offset(offset: i32, separator: &str, out: &mut String) {
    let sign = if offset < 0 { '-' } else { '+' };
    let seconds = offset.unsigned_abs();
    let _ = write!(
        out,
        "{sign}{:02}{separator}{:02}",
        seconds / 3600,
        (seconds / 60) % 60
    );
    if seconds % 60 != 0 {
        let _ = write!(out, "{separator}{:02}", seconds % 60);
    }
}

/// `S`: the English ordinal suffix of a day.
fn ordinal_suffix(day: u8) -> &'static str {
    match day {
        11..=13 => "th",
        _ => match day % 10 {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        },
    }
}

fn push_int(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

fn push_02(out: &mut String, n: u32) {
    if n < 10 {
        out.push('0');
    }
    push_int(out, n);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn en(value: &DateTime, format_string: &str) -> Result<String, Outcome> {
        format(
            value,
            format_string,
            &DateLocale::english(),
            Formatter::Date,
        )
    }

    fn paris(dst: bool) -> Zone {
        Zone {
            offset: if dst { 7200 } else { 3600 },
            name: Arc::from(if dst { "CEST" } else { "CET" }),
            dst,
            ambiguous: false,
            fixed: false,
            known: true,
        }
    }

    #[test]
    fn every_character_of_a_naive_datetime_without_a_zone() {
        let dt = DateTime {
            microsecond: 123,
            ..DateTime::naive(2024, 2, 29, 13, 5, 9)
        };
        // Django: format(datetime(2024, 2, 29, 13, 5, 9, 123), ...)
        assert_eq!(
            en(
                &dt,
                r"a A b c d D e E f F g G h H i j l L m M n N o P s S t u w W y Y z"
            )
            .ok(),
            Some(
                "p.m. PM feb 2024-02-29T13:05:09.000123 29 Thu  February 1:05 February 1 13 01 \
                 13 05 29 Thursday True 02 Feb 2 Feb. 2024 1:05 p.m. 09 th 29 000123 4 9 24 \
                 2024 60"
                    .into()
            )
        );
        for zone_char in ["O", "T", "Z", "I", "U", "r"] {
            assert_eq!(en(&dt, zone_char), Err(Outcome::Host), "{zone_char}");
        }
    }

    #[test]
    fn aware_datetimes_print_their_zone() {
        let dt = DateTime::naive(2024, 7, 1, 0, 0, 0).with_zone(paris(true));
        assert_eq!(
            en(&dt, "O T Z I e P c U r").ok(),
            Some(
                "+0200 CEST 7200 1 CEST midnight 2024-07-01T00:00:00+02:00 1719784800 \
                 Mon, 01 Jul 2024 00:00:00 +0200"
                    .into()
            )
        );
        let west = DateTime::naive(1969, 12, 31, 12, 0, 0).with_zone(Zone {
            offset: -16_200,
            name: Arc::from("X"),
            dst: false,
            ambiguous: false,
            fixed: true,
            known: true,
        });
        assert_eq!(en(&west, "O Z U").ok(), Some("-0430 -16200 -27000".into()));
        let ambiguous = DateTime::naive(2024, 10, 27, 2, 30, 0).with_zone(Zone {
            ambiguous: true,
            ..paris(false)
        });
        assert_eq!(
            en(&ambiguous, "[O][T][Z][I][e]").ok(),
            Some("[][][][][]".into())
        );
        let unread = DateTime::naive(2024, 7, 1, 9, 0, 0).with_zone(Zone {
            known: false,
            ..paris(true)
        });
        assert_eq!(
            en(&unread, "Y-m-d H:i P").ok(),
            Some("2024-07-01 09:00 9 a.m.".into())
        );
        for zone_char in ["c", "e", "I", "O", "r", "T", "U", "Z"] {
            assert_eq!(en(&unread, zone_char), Err(Outcome::Host), "{zone_char}");
        }
    }

    #[test]
    fn escapes_follow_djangos_regular_expressions() {
        let dt = DateTime::naive(2003, 10, 7, 11, 39, 0);
        assert_eq!(en(&dt, r"jS \o\f F").ok(), Some("7th of October".into()));
        assert_eq!(en(&dt, r"\\Y").ok(), Some(r"\Y".into()));
        assert_eq!(en(&dt, "Y\\").ok(), Some("2003\\".into()));
        assert_eq!(en(&dt, "\\\nY").ok(), Some("\\\n2003".into()));
        assert_eq!(
            en(&dt, r"\n\o\o\n: P").ok(),
            Some("noon: 11:39 a.m.".into())
        );
    }

    #[test]
    fn dates_and_times_fail_as_python_does() {
        let date = DateTime::date(2024, 2, 29);
        assert_eq!(en(&date, "Y-m-d I").ok(), Some("2024-02-29 ".into()));
        assert_eq!(en(&date, "c").ok(), Some("2024-02-29".into()));
        assert_eq!(en(&date, "Y H"), Err(Outcome::TypeError));
        assert_eq!(en(&date, "U"), Err(Outcome::Host));
        let time = DateTime::time(9, 30, 0, 0);
        assert_eq!(en(&time, "H:i c O").ok(), Some("09:30 09:30:00 ".into()));
        assert_eq!(en(&time, "H Y r"), Err(Outcome::Empty));
        assert_eq!(en(&time, "r Y"), Err(Outcome::TypeError));
        let locale = DateLocale::english();
        let time_of = |v: &DateTime, f: &str| format(v, f, &locale, Formatter::Time);
        assert_eq!(time_of(&time, "H:i").ok(), Some("09:30".into()));
        assert_eq!(time_of(&time, "H Y"), Err(Outcome::Empty));
        assert_eq!(time_of(&date, "- -").ok(), Some("- -".into()));
        assert_eq!(time_of(&date, "H"), Err(Outcome::TypeError));
    }
}
