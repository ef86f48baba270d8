//! `django.utils.timesince.timesince`: the years, months, weeks, days, hours and minutes
//! between two datetimes, counted on the calendar as Django 5.2 counts them.

use super::locale::TimeUnit;
use super::{DateKind, DateTime};

/// What `timesince` gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SinceOutcome {
    /// The counts to print, at most two adjacent units (`[(Minute, 0)]` for "0 minutes").
    Parts(Vec<(TimeUnit, i64)>),
    /// Python raised `TypeError` (a naive and an aware datetime): the filters print nothing.
    Empty,
    /// Only the host can tell (a `time`, or a zone whose offset varies).
    Host,
}

/// Days in each month as Django's pivot uses them (February always has 28).
const MONTHS_DAYS: [u8; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Seconds in a week, a day, an hour, a minute.
const CHUNKS: [i64; 4] = [604_800, 86_400, 3600, 60];

/// How many units `timesince` prints at most (its `depth`).
const DEPTH: usize = 2;

/// `timesince(d, now, reversed)`.
pub(crate) fn timesince(d: &DateTime, now: &DateTime, reversed: bool) -> SinceOutcome {
    let (Some(d), Some(now)) = (as_datetime(d), as_datetime(now)) else {
        return SinceOutcome::Host;
    };
    // Compared datetimes must be in the same time zone: `now.astimezone(d.tzinfo)`.
    let now = match (&d.zone, &now.zone) {
        (None, None) => now,
        (Some(zone), Some(now_zone)) if zone.fixed && zone.known && now_zone.known => {
            let utc = now.wall_micros() - i64::from(now_zone.offset) * 1_000_000;
            let converted = now.from_wall_micros(utc + i64::from(zone.offset) * 1_000_000);
            if !(1..=9999).contains(&converted.year) {
                // Python's astimezone raises OverflowError: the host lets it out.
                return SinceOutcome::Host;
            }
            DateTime {
                zone: Some(zone.clone()),
                ..converted
            }
        }
        (Some(_), Some(_)) => return SinceOutcome::Host,
        // `now - d` of a naive and an aware datetime raises TypeError.
        _ => return SinceOutcome::Empty,
    };
    let (d, now) = if reversed { (now, d) } else { (d, now) };
    // Both are now in one zone, so the difference is that of their wall times.
    let delta = now.wall_micros() - d.wall_micros();
    if delta.div_euclid(1_000_000) <= 0 {
        return SinceOutcome::Parts(vec![(TimeUnit::Minute, 0)]);
    }
    let mut total_months = (i64::from(now.year) - i64::from(d.year)) * 12
        + (i64::from(now.month) - i64::from(d.month));
    let time_of = |v: &DateTime| (v.hour, v.minute, v.second, v.microsecond);
    if d.day > now.day || (d.day == now.day && time_of(&d) > time_of(&now)) {
        total_months -= 1;
    }
    let (years, months) = (total_months.div_euclid(12), total_months.rem_euclid(12));
    let pivot = if years != 0 || months != 0 {
        let mut year = i64::from(d.year) + years;
        let mut month = i64::from(d.month) + months;
        if month > 12 {
            month -= 12;
            year += 1;
        }
        let month = month as u8;
        DateTime {
            year: year as i32,
            month,
            day: MONTHS_DAYS[usize::from(month - 1)].min(d.day),
            // The pivot drops the microseconds.
            microsecond: 0,
            ..d.clone()
        }
    } else {
        d.clone()
    };
    let mut remaining = now.wall_micros() - pivot.wall_micros();
    let mut partials = vec![years, months];
    for chunk in CHUNKS {
        let chunk = chunk * 1_000_000;
        let count = remaining.div_euclid(chunk);
        partials.push(count);
        remaining -= chunk * count;
    }
    let Some(first) = partials.iter().position(|&count| count != 0) else {
        return SinceOutcome::Parts(vec![(TimeUnit::Minute, 0)]);
    };
    let parts = TimeUnit::ALL
        .iter()
        .zip(&partials)
        .skip(first)
        .take(DEPTH)
        .take_while(|(_, &count)| count != 0)
        .map(|(&unit, &count)| (unit, count))
        .collect();
    SinceOutcome::Parts(parts)
}

/// `d` as `timesince` compares it: a date is midnight of that day; a time has no date
/// (Python raises `AttributeError`, which escapes the filter: the host raises it).
fn as_datetime(value: &DateTime) -> Option<DateTime> {
    match value.kind {
        DateKind::DateTime => Some(value.clone()),
        DateKind::Date => Some(DateTime::naive(value.year, value.month, value.day, 0, 0, 0)),
        DateKind::Time => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Zone;
    use std::sync::Arc;

    fn since(d: &DateTime, now: &DateTime) -> Vec<(TimeUnit, i64)> {
        match timesince(d, now, false) {
            SinceOutcome::Parts(parts) => parts,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_day_short_of_a_year_across_a_leap_day() {
        // Django 5.2 (checked with django.utils.timesince): 2020-03-01 to 2021-02-28 is
        // "11 months, 3 weeks"; 2019-03-01 to 2020-02-29 and 2023-12-25 to 2024-12-24 are
        // "11 months, 4 weeks".
        let month_weeks = |months, weeks| [(TimeUnit::Month, months), (TimeUnit::Week, weeks)];
        let a = DateTime::naive(2020, 3, 1, 0, 0, 0);
        let b = DateTime::naive(2021, 2, 28, 0, 0, 0);
        assert_eq!(since(&a, &b), month_weeks(11, 3));
        let c = DateTime::naive(2019, 3, 1, 0, 0, 0);
        let d = DateTime::naive(2020, 2, 29, 0, 0, 0);
        assert_eq!(since(&c, &d), month_weeks(11, 4));
        let e = DateTime::naive(2023, 12, 25, 0, 0, 0);
        let f = DateTime::naive(2024, 12, 24, 0, 0, 0);
        assert_eq!(since(&e, &f), month_weeks(11, 4));
    }

    #[test]
    fn units_stop_at_the_first_zero_after_the_first_count() {
        let a = DateTime::naive(2024, 1, 1, 0, 0, 0);
        let b = DateTime::naive(2025, 1, 1, 2, 0, 0);
        assert_eq!(since(&a, &b), [(TimeUnit::Year, 1)]);
        let c = DateTime::naive(2024, 1, 1, 23, 59, 30);
        assert_eq!(
            since(&a, &c),
            [(TimeUnit::Hour, 23), (TimeUnit::Minute, 59)]
        );
        assert_eq!(since(&c, &a), [(TimeUnit::Minute, 0)]);
        assert_eq!(since(&a, &a), [(TimeUnit::Minute, 0)]);
    }

    #[test]
    fn zones_must_agree() {
        let utc = Zone {
            offset: 0,
            name: Arc::from("UTC"),
            dst: false,
            ambiguous: false,
            fixed: true,
            known: true,
        };
        let plus2 = Zone {
            offset: 7200,
            name: Arc::from("X"),
            fixed: true,
            ..utc.clone()
        };
        let a = DateTime::naive(2024, 1, 1, 0, 0, 0).with_zone(utc.clone());
        let b = DateTime::naive(2024, 1, 1, 3, 0, 0).with_zone(plus2);
        assert_eq!(since(&a, &b), [(TimeUnit::Hour, 1)]);
        let naive = DateTime::naive(2024, 1, 1, 3, 0, 0);
        assert_eq!(timesince(&a, &naive, false), SinceOutcome::Empty);
        let varying = DateTime::naive(2024, 1, 1, 0, 0, 0).with_zone(Zone {
            fixed: false,
            ..utc
        });
        assert_eq!(timesince(&varying, &b, false), SinceOutcome::Host);
        assert_eq!(
            timesince(&DateTime::time(1, 0, 0, 0), &a, false),
            SinceOutcome::Host
        );
    }
}
