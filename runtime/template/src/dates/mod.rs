//! Dates and times as Django formats them: the `date`/`time` format characters
//! (`django.utils.dateformat`), `timesince`/`timeuntil`, and the calendar arithmetic under
//! them. The host gives the values ([`DateTime`], already in the current time zone) and the
//! active language's names and formats ([`DateLocale`]); the rest happens here.

mod calendar;
mod format;
mod locale;
mod since;

use std::sync::Arc;

pub(crate) use format::{format, Formatter, Outcome};
pub use locale::{DateLocale, TimeUnit};
pub(crate) use since::{timesince, SinceOutcome};

/// Which of Python's `datetime` types a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateKind {
    /// A `datetime.date`.
    Date,
    /// A `datetime.datetime`.
    DateTime,
    /// A `datetime.time`.
    Time,
}

/// What Django's formatter reads from an aware datetime's time zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    /// `utcoffset()`, in whole seconds.
    pub offset: i32,
    /// `tzname()`.
    pub name: Arc<str>,
    /// `bool(dst())`.
    pub dst: bool,
    /// Whether the wall time is ambiguous or imaginary in its zone: Django's formatter then
    /// has no time zone (`O`, `T`, `Z`, `I`, `e` print nothing).
    pub ambiguous: bool,
    /// Whether the zone's offset is the same at every instant (a `datetime.timezone`), so
    /// other instants can be placed in it without asking the host.
    pub fixed: bool,
    /// Whether the fields above are known. A host that converted the wall time without
    /// reading the zone (reading it costs more than the conversion, and most formats never
    /// print it) leaves them unknown: the characters that print them then go to the host.
    pub known: bool,
}

/// A `date`, `datetime` or `time` value: its wall-clock fields and, for an aware datetime,
/// its zone. A `time` has year 1, January 1st; a `date` has midnight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTime {
    /// The Python type.
    pub kind: DateKind,
    /// The year, 1 to 9999.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month.
    pub day: u8,
    /// The hour, 0 to 23.
    pub hour: u8,
    /// The minute.
    pub minute: u8,
    /// The second.
    pub second: u8,
    /// The microsecond.
    pub microsecond: u32,
    /// The zone of an aware datetime; `None` for naive values.
    pub zone: Option<Zone>,
}

impl DateTime {
    /// A naive `datetime`.
    pub fn naive(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> DateTime {
        DateTime {
            kind: DateKind::DateTime,
            year,
            month,
            day,
            hour,
            minute,
            second,
            microsecond: 0,
            zone: None,
        }
    }

    /// A `date`.
    pub fn date(year: i32, month: u8, day: u8) -> DateTime {
        DateTime {
            kind: DateKind::Date,
            ..DateTime::naive(year, month, day, 0, 0, 0)
        }
    }

    /// A naive `time`.
    pub fn time(hour: u8, minute: u8, second: u8, microsecond: u32) -> DateTime {
        DateTime {
            kind: DateKind::Time,
            microsecond,
            ..DateTime::naive(1, 1, 1, hour, minute, second)
        }
    }

    /// The same wall time with a zone (an aware datetime).
    pub fn with_zone(self, zone: Zone) -> DateTime {
        DateTime {
            zone: Some(zone),
            ..self
        }
    }

    /// Microseconds since 1970-01-01 00:00 of the wall time (the zone ignored).
    pub fn wall_micros(&self) -> i64 {
        let days = calendar::days_from_civil(self.year, self.month, self.day);
        let seconds = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        seconds * 1_000_000 + i64::from(self.microsecond)
    }

    /// The wall time `micros` microseconds since 1970-01-01, other fields kept.
    pub fn from_wall_micros(&self, micros: i64) -> DateTime {
        let seconds = micros.div_euclid(1_000_000);
        let days = seconds.div_euclid(86_400);
        let in_day = seconds.rem_euclid(86_400);
        let (year, month, day) = calendar::civil_from_days(days);
        DateTime {
            year,
            month,
            day,
            hour: (in_day / 3600) as u8,
            minute: (in_day / 60 % 60) as u8,
            second: (in_day % 60) as u8,
            microsecond: micros.rem_euclid(1_000_000) as u32,
            ..self.clone()
        }
    }
}
