//! Python's dates as the template engine reads them: `_core.DateLocale` (one language's date
//! names and formats, built once per language by the Python glue), and the fields of
//! `date`/`datetime`/`time` values read straight from the objects, with the current time
//! zone applied in Rust when it has a fixed offset (UTC, most of all).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use djust_template::{DateKind, DateTime, Error, Value, Zone};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyDate, PyDateAccess, PyDateTime, PyDelta, PyDeltaAccess, PyTime, PyTimeAccess, PyTzInfo,
    PyTzInfoAccess,
};

use crate::errors::PyHostError;
use crate::values::PyValue;

fn host(err: PyErr) -> Error {
    Error::host(PyHostError(err))
}

/// One language's date names and formats (`djust_template::DateLocale`).
#[pyclass(module = "djust._core", frozen)]
pub struct DateLocale {
    pub(crate) inner: Arc<djust_template::DateLocale>,
}

/// Twelve (or seven) names as an array; Python gives lists.
fn names<const N: usize>(what: &str, list: Vec<String>) -> PyResult<[String; N]> {
    list.try_into().map_err(|list: Vec<String>| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "{what} needs {N} names, got {}. Instead of a partial list, pass every name.",
            list.len()
        ))
    })
}

#[pymethods]
impl DateLocale {
    /// `months`..`weekdays_abbr` as `django.utils.dates` has them (`months_3_title` is
    /// `MONTHS_3[m].title()`), the words of `a`/`A`/`P`, `timesince`'s `", "`, and
    /// `formats`: what `get_format(name)` gives for every name it does not return unchanged
    /// (`None` where that is not a string), and `unlocalized`: the settings' date formats
    /// (`get_format(name, use_l10n=False)`).
    #[new]
    #[pyo3(signature = (*, months, months_3, months_3_title, months_ap, months_alt, weekdays, weekdays_abbr, am, pm, am_upper, pm_upper, midnight, noon, comma, formats, unlocalized))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        months: Vec<String>,
        months_3: Vec<String>,
        months_3_title: Vec<String>,
        months_ap: Vec<String>,
        months_alt: Vec<String>,
        weekdays: Vec<String>,
        weekdays_abbr: Vec<String>,
        am: String,
        pm: String,
        am_upper: String,
        pm_upper: String,
        midnight: String,
        noon: String,
        comma: String,
        formats: HashMap<String, Option<String>>,
        unlocalized: HashMap<String, Option<String>>,
    ) -> PyResult<Self> {
        Ok(DateLocale {
            inner: Arc::new(djust_template::DateLocale {
                months: names("months", months)?,
                months_3: names("months_3", months_3)?,
                months_3_title: names("months_3_title", months_3_title)?,
                months_ap: names("months_ap", months_ap)?,
                months_alt: names("months_alt", months_alt)?,
                weekdays: names("weekdays", weekdays)?,
                weekdays_abbr: names("weekdays_abbr", weekdays_abbr)?,
                am,
                pm,
                am_upper,
                pm_upper,
                midnight,
                noon,
                comma,
                formats,
                unlocalized,
                counts: Mutex::default(),
            }),
        })
    }
}

/// The current time zone of a render, as `callbacks.time_zone()` describes it.
#[derive(Clone, Debug)]
pub(crate) struct CurrentZone {
    /// `settings.USE_TZ`.
    pub(crate) use_tz: bool,
    /// The zone when its offset never changes: converting to it is arithmetic.
    pub(crate) fixed: Option<Zone>,
    /// The zone itself (`get_current_timezone()`), to convert to when it is not fixed.
    pub(crate) tz: Option<Arc<Py<PyAny>>>,
}

/// What the Python glue works out for a datetime the engine cannot place itself:
/// `(year, month, day, hour, minute, second, microsecond, offset, tzname, dst, ambiguous,
/// fixed)`, the zone fields `None` for a naive result.
pub(crate) type DatetimeFacts = (
    i32,
    u8,
    u8,
    u8,
    u8,
    u8,
    u32,
    Option<i32>,
    Option<String>,
    bool,
    bool,
    bool,
);

/// How a datetime is read: straight from the object, or through the Python glue.
pub(crate) enum Reading {
    /// The value, read in Rust.
    Read(DateTime),
    /// Not a value the engine formats (Django's filter runs).
    Foreign,
    /// An aware datetime the glue must place (`localtime`: in the current zone).
    AskHost { localtime: bool },
}

/// Reads `value` if it is exactly a `date`, `datetime` or naive `time`; `zone` gives the
/// current time zone (asked only for an aware datetime).
pub(crate) fn read(
    py: Python<'_>,
    value: &Value,
    localtime: bool,
    zone: impl FnOnce() -> Result<CurrentZone, Error>,
) -> Result<Reading, Error> {
    let Value::Object(object) = value else {
        return Ok(Reading::Foreign);
    };
    let Some(PyValue(obj)) = object.as_any().downcast_ref::<PyValue>() else {
        return Ok(Reading::Foreign);
    };
    let obj = obj.bind(py);
    if let Ok(dt) = obj.cast_exact::<PyDateTime>() {
        let wall = DateTime {
            kind: DateKind::DateTime,
            year: dt.get_year(),
            month: dt.get_month(),
            day: dt.get_day(),
            hour: dt.get_hour(),
            minute: dt.get_minute(),
            second: dt.get_second(),
            microsecond: dt.get_microsecond(),
            zone: None,
        };
        let Some(tzinfo) = dt.get_tzinfo() else {
            return Ok(Reading::Read(wall));
        };
        return read_aware(dt, &tzinfo, wall, localtime, zone);
    }
    read_date_or_time(obj).map_err(host)
}

/// A `date`, or a naive `time`.
fn read_date_or_time(obj: &Bound<'_, PyAny>) -> PyResult<Reading> {
    if let Ok(date) = obj.cast_exact::<PyDate>() {
        return Ok(Reading::Read(DateTime::date(
            date.get_year(),
            date.get_month(),
            date.get_day(),
        )));
    }
    if let Ok(time) = obj.cast_exact::<PyTime>() {
        if time.get_tzinfo().is_some() {
            return Ok(Reading::Foreign);
        }
        return Ok(Reading::Read(DateTime::time(
            time.get_hour(),
            time.get_minute(),
            time.get_second(),
            time.get_microsecond(),
        )));
    }
    Ok(Reading::Foreign)
}

/// An aware datetime: placed in the current zone (with `localtime` and `USE_TZ`): by
/// arithmetic when that zone is fixed, else by `astimezone` (one C call; the zone's name,
/// offset and DST are left unread, as most formats never print them). Without `localtime`,
/// kept in its own zone when that is a `datetime.timezone`.
fn read_aware(
    dt: &Bound<'_, PyDateTime>,
    tzinfo: &Bound<'_, PyTzInfo>,
    wall: DateTime,
    localtime: bool,
    zone: impl FnOnce() -> Result<CurrentZone, Error>,
) -> Result<Reading, Error> {
    let ask = Reading::AskHost { localtime };
    // Databases give datetimes in `timezone.utc`: its offset needs no call.
    let offset = if tzinfo.is(&*PyTzInfo::utc(dt.py()).map_err(host)?) {
        0
    } else {
        let offset = dt.call_method0("utcoffset").map_err(host)?;
        let Some(offset) = offset_seconds(&offset).map_err(host)? else {
            return Ok(ask);
        };
        offset
    };
    if localtime {
        let current = zone()?;
        if current.use_tz {
            let Some(target) = current.fixed else {
                return match &current.tz {
                    Some(tz) => in_zone(dt, tz).map_err(host),
                    None => Ok(ask),
                };
            };
            let utc = wall.wall_micros() - i64::from(offset) * 1_000_000;
            let local = wall.from_wall_micros(utc + i64::from(target.offset) * 1_000_000);
            if !(1..=9999).contains(&local.year) {
                // Python's astimezone raises OverflowError here: the glue lets it out.
                return Ok(ask);
            }
            return Ok(Reading::Read(local.with_zone(target)));
        }
    }
    own_fixed_zone(dt, tzinfo, wall, offset).map_err(host)
}

/// `dt.astimezone(tz)`: its wall time, the zone left unread.
fn in_zone(dt: &Bound<'_, PyDateTime>, tz: &Py<PyAny>) -> PyResult<Reading> {
    let converted = dt.call_method1("astimezone", (tz.bind(dt.py()),))?;
    let Ok(local) = converted.cast_exact::<PyDateTime>() else {
        return Ok(Reading::AskHost { localtime: true });
    };
    let wall = DateTime {
        kind: DateKind::DateTime,
        year: local.get_year(),
        month: local.get_month(),
        day: local.get_day(),
        hour: local.get_hour(),
        minute: local.get_minute(),
        second: local.get_second(),
        microsecond: local.get_microsecond(),
        zone: None,
    };
    Ok(Reading::Read(wall.with_zone(Zone {
        offset: 0,
        name: Arc::from(""),
        dst: false,
        ambiguous: false,
        fixed: false,
        known: false,
    })))
}

/// An aware datetime in its own zone when that is a `datetime.timezone` (known to keep its
/// offset and name); else the glue places it.
fn own_fixed_zone(
    dt: &Bound<'_, PyDateTime>,
    tzinfo: &Bound<'_, PyTzInfo>,
    wall: DateTime,
    offset: i32,
) -> PyResult<Reading> {
    let ask = Reading::AskHost { localtime: false };
    static TIMEZONE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let timezone_type = TIMEZONE.import(dt.py(), "datetime", "timezone")?;
    if !tzinfo.get_type().is(timezone_type) {
        return Ok(ask);
    }
    let name: Option<String> = dt.call_method0("tzname")?.extract()?;
    let Some(name) = name else {
        return Ok(ask);
    };
    Ok(Reading::Read(wall.with_zone(Zone {
        offset,
        name: Arc::from(name),
        dst: false,
        ambiguous: false,
        fixed: true,
        known: true,
    })))
}

/// `datetime.datetime.now()`, naive, in the system's zone.
pub(crate) fn local_now(py: Python<'_>) -> PyResult<DateTime> {
    static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let now = DATETIME
        .import(py, "datetime", "datetime")?
        .call_method0("now")?;
    let now = now.cast::<PyDateTime>()?;
    Ok(DateTime {
        microsecond: now.get_microsecond(),
        ..DateTime::naive(
            now.get_year(),
            now.get_month(),
            now.get_day(),
            now.get_hour(),
            now.get_minute(),
            now.get_second(),
        )
    })
}

/// A `utcoffset()` result in whole seconds; `None` for `None` or a sub-second offset.
pub(crate) fn offset_seconds(offset: &Bound<'_, PyAny>) -> PyResult<Option<i32>> {
    let Ok(delta) = offset.cast::<PyDelta>() else {
        return Ok(None);
    };
    if delta.get_microseconds() != 0 {
        return Ok(None);
    }
    Ok(Some(delta.get_days() * 86_400 + delta.get_seconds()))
}

/// A datetime from the glue's facts.
pub(crate) fn from_facts(facts: DatetimeFacts) -> DateTime {
    let (year, month, day, hour, minute, second, microsecond, offset, name, dst, ambiguous, fixed) =
        facts;
    let wall = DateTime {
        kind: DateKind::DateTime,
        year,
        month,
        day,
        hour,
        minute,
        second,
        microsecond,
        zone: None,
    };
    match (offset, name) {
        (Some(offset), Some(name)) => wall.with_zone(Zone {
            offset,
            name: Arc::from(name),
            dst,
            ambiguous,
            fixed,
            known: true,
        }),
        _ => wall,
    }
}
