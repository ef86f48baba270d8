//! The proleptic Gregorian calendar as Python's `datetime` and `calendar` modules count it:
//! day numbers, weekdays, ISO weeks, leap years.

/// Whether `year` is a leap year (`calendar.isleap`).
pub(crate) fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` of `year` (`calendar.monthrange(year, month)[1]`).
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number since 1970-01-01 (the inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Python's dates stay within years 1..=9999, far inside these types.
    (year as i32, month as u8, day as u8)
}

/// `date.weekday()`: Monday is 0, Sunday 6.
pub(crate) fn weekday(year: i32, month: u8, day: u8) -> u8 {
    // 1970-01-01 was a Thursday (3).
    (days_from_civil(year, month, day) + 3).rem_euclid(7) as u8
}

/// The day of the year, 1 to 366 (`timetuple().tm_yday`).
pub(crate) fn day_of_year(year: i32, month: u8, day: u8) -> u16 {
    (days_from_civil(year, month, day) - days_from_civil(year, 1, 1) + 1) as u16
}

/// `date.isocalendar()`'s year and week.
pub(crate) fn iso_week(year: i32, month: u8, day: u8) -> (i32, u8) {
    let days = days_from_civil(year, month, day);
    // The ISO year is the year of this week's Thursday.
    let thursday = days - i64::from(weekday(year, month, day)) + 3;
    let (iso_year, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
    (iso_year, week as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_over_python_s_whole_range() {
        for days in (days_from_civil(1, 1, 1)..=days_from_civil(9999, 12, 31)).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn weeks_and_days_follow_python() {
        // datetime.date(2024, 2, 29).weekday() == 3, isocalendar() == (2024, 9, 4)
        assert_eq!(weekday(2024, 2, 29), 3);
        assert_eq!(iso_week(2024, 2, 29), (2024, 9));
        // date(2021, 1, 3).isocalendar() == (2020, 53, 7); date(2024, 12, 30) is in 2025-W01
        assert_eq!(iso_week(2021, 1, 3), (2020, 53));
        assert_eq!(iso_week(2024, 12, 30), (2025, 1));
        assert_eq!(day_of_year(2024, 12, 31), 366);
        assert_eq!(day_of_year(2023, 3, 1), 60);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert!(!is_leap(2100));
    }
}
