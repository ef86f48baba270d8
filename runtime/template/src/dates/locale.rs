//! One language's names and formats for dates, as Django's catalogs and format modules give
//! them: read once per language by the host, then shared by every render in that language.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The units `timesince` counts in, largest first (Django's `TIME_STRINGS` keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// `%(num)d year`.
    Year,
    /// `%(num)d month`.
    Month,
    /// `%(num)d week`.
    Week,
    /// `%(num)d day`.
    Day,
    /// `%(num)d hour`.
    Hour,
    /// `%(num)d minute`.
    Minute,
}

impl TimeUnit {
    /// Every unit, in Django's order.
    pub const ALL: [TimeUnit; 6] = [
        TimeUnit::Year,
        TimeUnit::Month,
        TimeUnit::Week,
        TimeUnit::Day,
        TimeUnit::Hour,
        TimeUnit::Minute,
    ];

    /// The English singular and plural messages, as `ngettext` is called with them.
    pub fn messages(self) -> (&'static str, &'static str) {
        match self {
            TimeUnit::Year => ("%(num)d year", "%(num)d years"),
            TimeUnit::Month => ("%(num)d month", "%(num)d months"),
            TimeUnit::Week => ("%(num)d week", "%(num)d weeks"),
            TimeUnit::Day => ("%(num)d day", "%(num)d days"),
            TimeUnit::Hour => ("%(num)d hour", "%(num)d hours"),
            TimeUnit::Minute => ("%(num)d minute", "%(num)d minutes"),
        }
    }
}

/// The active language's date vocabulary (`django.utils.dates`, the `a`/`A`/`P` words) and
/// its date formats (`get_format`), as the formatter uses them.
#[derive(Debug, Default)]
pub struct DateLocale {
    /// `MONTHS`, January first (`F`).
    pub months: [String; 12],
    /// `MONTHS_3` (`b`).
    pub months_3: [String; 12],
    /// `MONTHS_3[m].title()` (`M`): Python's `str.title`, done by the host.
    pub months_3_title: [String; 12],
    /// `MONTHS_AP` (`N`).
    pub months_ap: [String; 12],
    /// `MONTHS_ALT` (`E`).
    pub months_alt: [String; 12],
    /// `WEEKDAYS`, Monday first (`l`).
    pub weekdays: [String; 7],
    /// `WEEKDAYS_ABBR` (`D`).
    pub weekdays_abbr: [String; 7],
    /// `_("a.m.")`, `_("p.m.")`, `_("AM")`, `_("PM")`, `_("midnight")`, `_("noon")`.
    pub am: String,
    /// See `am`.
    pub pm: String,
    /// See `am`.
    pub am_upper: String,
    /// See `am`.
    pub pm_upper: String,
    /// See `am`.
    pub midnight: String,
    /// See `am`.
    pub noon: String,
    /// `gettext(", ")`, what `timesince` joins its parts with.
    pub comma: String,
    /// What `get_format(name)` gives for the names it does not return unchanged: the
    /// format string, or `None` where it is not a string (the host's filter then runs).
    pub formats: HashMap<String, Option<String>>,
    /// What `get_format(name, use_l10n=False)` gives for the settings' date formats
    /// (`{% localize off %}`).
    pub unlocalized: HashMap<String, Option<String>>,
    /// `timesince`'s translated counts (`ngettext(...) % {"num": n}`), filled as met.
    pub counts: Mutex<HashMap<(TimeUnit, i64), Arc<str>>>,
}

impl DateLocale {
    /// The format `date:name` uses: `get_format(name)`; `Some(None)` where that is not a
    /// string.
    pub(crate) fn resolve<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        match self.formats.get(name) {
            Some(found) => found.as_deref(),
            None => Some(name),
        }
    }

    /// English with Django's default settings (what a render without Django uses).
    pub fn english() -> DateLocale {
        let strings = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let twelve =
            |names: &[&str]| -> [String; 12] { strings(names).try_into().unwrap_or_default() };
        let seven =
            |names: &[&str]| -> [String; 7] { strings(names).try_into().unwrap_or_default() };
        let months_3 = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let formats = [
            ("DATE_FORMAT", "N j, Y"),
            ("DATETIME_FORMAT", "N j, Y, P"),
            ("TIME_FORMAT", "P"),
            ("YEAR_MONTH_FORMAT", "F Y"),
            ("MONTH_DAY_FORMAT", "F j"),
            ("SHORT_DATE_FORMAT", "m/d/Y"),
            ("SHORT_DATETIME_FORMAT", "m/d/Y P"),
        ];
        let formats: HashMap<String, Option<String>> = formats
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Some((*value).to_owned())))
            .collect();
        DateLocale {
            months: twelve(&[
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ]),
            months_3: twelve(&months_3),
            months_3_title: twelve(&[
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ]),
            months_ap: twelve(&[
                "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
                "Nov.", "Dec.",
            ]),
            months_alt: twelve(&[
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ]),
            weekdays: seven(&[
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ]),
            weekdays_abbr: seven(&["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
            am: "a.m.".into(),
            pm: "p.m.".into(),
            am_upper: "AM".into(),
            pm_upper: "PM".into(),
            midnight: "midnight".into(),
            noon: "noon".into(),
            comma: ", ".into(),
            unlocalized: formats.clone(),
            formats,
            counts: Mutex::default(),
        }
    }
}
