//! Dates of caller data read strictly as `YYYY-MM-DD`: the serde reader of every date field
//! of events and of the registers they carry (members, parcels, contracts, greenhouses,
//! loans, work records).
//!
//! `time`'s own serde reader takes a year with a `+` sign (`"+2019-01-01"`) and a date given
//! as a list `[year, day of the year]`, neither of which is the stable JSON form, and its
//! refusals (`the 'month' component could not be parsed`) name neither the field nor the
//! text. This module reads exactly the text the events' writer writes: a four-digit year,
//! `-`, a two-digit month, `-`, a two-digit day, and nothing else (no sign, no time, no
//! white space), for a day that exists. The one other text that writer writes, a year
//! before 1 with its minus sign (`"-0001-01-01"`), is read back too, so that no book that
//! could be logged makes a log that cannot be read. Anything else is refused with the
//! field, the text and the form expected.
//!
//! Use it as `#[serde(deserialize_with = "crate::iso_date::field::date")]` (one function per
//! field name: serde does not tell a field's reader the field's name), or
//! `crate::iso_date::field::left_or_null` for an `Option<Date>`.
//!
//! The same fields are written by [`write`] (or [`write_or_null`]): the text `time`'s serde
//! writer writes, made without its general formatter and the allocation it makes for each
//! date, since every event applied is written as canonical JSON to be hashed.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use time::{Date, Month};

/// The form every date is written in, for error messages.
const EXPECTED: &str = "a date written YYYY-MM-DD, such as \"2019-03-15\" (a four-digit year, a two-digit month and day, nothing before or after)";

/// Reads `text` as `YYYY-MM-DD` (or `-YYYY-MM-DD` for a year before 1), strictly.
///
/// # Errors
///
/// Why the text is not such a date: not in the form, or a day that does not exist.
pub(crate) fn parse(text: &str) -> Result<Date, String> {
    let form = || format!("{text:?} is not {EXPECTED}");
    let Some((negative, year, month, day)) = numbers(text) else {
        return Err(form());
    };
    // `-0000` is not how the year 0 is written.
    if negative && year == 0 {
        return Err(form());
    }
    let year = if negative {
        i32::from(year).wrapping_neg()
    } else {
        i32::from(year)
    };
    let month = u8::try_from(month)
        .ok()
        .and_then(|month| Month::try_from(month).ok())
        .ok_or_else(|| format!("{text:?} is not a day: there is no month {month}"))?;
    let day = u8::try_from(day).unwrap_or(u8::MAX);
    Date::from_calendar_date(year, month, day).map_err(|_| {
        format!(
            "{text:?} is not a day: {month} {year} has {} days",
            month.length(year)
        )
    })
}

/// Whether `text` is written `-YYYY-MM-DD` (a year before 1) rather than `YYYY-MM-DD`, and
/// its year, month and day as written, not yet checked to make a day; `None` for text in
/// neither form.
pub(crate) fn numbers(text: &str) -> Option<(bool, u16, u16, u16)> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let number = |range: std::ops::Range<usize>| -> Option<u16> {
        let part = digits.get(range)?;
        part.iter().try_fold(0_u16, |number, &b| {
            if b.is_ascii_digit() {
                number
                    .checked_mul(10)?
                    .checked_add(u16::from(b.wrapping_sub(b'0')))
            } else {
                None
            }
        })
    };
    if digits.len() != 10 || digits.get(4) != Some(&b'-') || digits.get(7) != Some(&b'-') {
        return None;
    }
    Some((negative, number(0..4)?, number(5..7)?, number(8..10)?))
}

/// Writes `date` as `time`'s serde form does (`YYYY-MM-DD`), without the general
/// formatter for the years 0 to 9999 (`time`'s own writer for any other): the serde writer
/// of the events' date fields, whose canonical JSON is hashed for each event applied.
pub(crate) fn write<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    match text(*date).as_ref().map(|text| std::str::from_utf8(text)) {
        Some(Ok(text)) => serializer.serialize_str(text),
        _ => date.serialize(serializer),
    }
}

/// `date` as `YYYY-MM-DD`, the text `time`'s serde writer writes for it, for a year from 0
/// to 9999; `None` for any other year, which the hand-written writers leave to serde.
pub(crate) fn text(date: Date) -> Option<[u8; 10]> {
    let year = u32::try_from(date.year())
        .ok()
        .filter(|&year| year <= 9999)?;
    Some(crate::ledger::iso_date(year, date))
}

/// [`write`] for an optional date: `null` for none.
pub(crate) fn write_or_null<S: Serializer>(
    date: &Option<Date>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    /// A date written by [`write`].
    struct Written(Date);
    impl Serialize for Written {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            write(&self.0, serializer)
        }
    }
    match date {
        Some(date) => serializer.serialize_some(&Written(*date)),
        None => serializer.serialize_none(),
    }
}

/// Reads the date field `field` (named in errors).
pub(crate) fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
    field: &'static str,
) -> Result<Date, D::Error> {
    deserializer.deserialize_str(DateVisitor { field })
}

/// Reads the date field `field` (named in errors), or `null`.
pub(crate) fn read_or_null<'de, D: Deserializer<'de>>(
    deserializer: D,
    field: &'static str,
) -> Result<Option<Date>, D::Error> {
    deserializer.deserialize_option(OptionVisitor { field })
}

/// Reads a date as a string, strictly, naming its field in errors.
struct DateVisitor {
    field: &'static str,
}

impl Visitor<'_> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the date `{}` as a string, {EXPECTED}", self.field)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
        parse(text).map_err(|why| E::custom(format_args!("invalid date `{}`: {why}", self.field)))
    }
}

/// Reads `null` or a date as [`DateVisitor`] does.
struct OptionVisitor {
    field: &'static str,
}

impl<'de> Visitor<'de> for OptionVisitor {
    type Value = Option<Date>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the date `{}` as a string, {EXPECTED}, or null",
            self.field
        )
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<Date>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Date>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Date>, D::Error> {
        read(deserializer, self.field).map(Some)
    }
}

/// One reader per date field name, for `#[serde(deserialize_with = …)]`.
pub(crate) mod field {
    use serde::Deserializer;
    use time::Date;

    macro_rules! dates {
        ($($name:ident),* ; $($optional:ident = $field:literal),*) => {
            $(
                #[doc = concat!("Reads the date field `", stringify!($name), "`.")]
                pub(crate) fn $name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
                    super::read(deserializer, stringify!($name))
                }
            )*
            $(
                #[doc = concat!("Reads the date field `", $field, "`, or `null`.")]
                pub(crate) fn $optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
                    super::read_or_null(deserializer, $field)
                }
            )*
        };
    }

    dates!(date, from, to, through, joined, start, end, built, signed, maturity, registered, in_use;
        left_or_null = "left", retired_or_null = "retired", date_or_null = "date");
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// Dates are written as `time`'s serde form writes them, over its whole range, alone
    /// and as an optional date.
    #[test]
    fn dates_are_written_as_time_writes_them() {
        #[derive(Serialize)]
        struct Fast(#[serde(serialize_with = "write")] Date);
        #[derive(Serialize)]
        struct FastOption(#[serde(serialize_with = "write_or_null")] Option<Date>);
        let mut date = Date::MIN;
        let mut checked = 0;
        loop {
            let fast = serde_json::to_string(&Fast(date)).ok();
            assert_eq!(fast, serde_json::to_string(&date).ok(), "{date}");
            let fast = serde_json::to_string(&FastOption(Some(date))).ok();
            assert_eq!(fast, serde_json::to_string(&Some(date)).ok(), "{date}");
            checked += 1;
            match date.checked_add(time::Duration::days(97)) {
                Some(next) => date = next,
                None => break,
            }
        }
        assert!(checked > 75_300, "{checked}");
        for date in [Date::MAX, date!(2019 - 12 - 31), date!(0000 - 01 - 01)] {
            assert_eq!(
                serde_json::to_string(&Fast(date)).ok(),
                serde_json::to_string(&date).ok()
            );
        }
        assert_eq!(
            serde_json::to_string(&FastOption(None)).ok().as_deref(),
            Some("null")
        );
        assert_eq!(
            serde_json::to_string(&Fast(date!(2019 - 03 - 05)))
                .ok()
                .as_deref(),
            Some("\"2019-03-05\"")
        );
    }

    /// Every date from year -9999 to 9999 reads back from the text `time` writes for it
    /// (the events' form), and nothing else near it does.
    #[test]
    fn the_written_form_reads_back_and_only_it() {
        let mut day = Date::MIN;
        let mut checked = 0;
        loop {
            let written = serde_json::to_string(&day).unwrap_or_default();
            let text = written.trim_matches('"');
            assert_eq!(parse(text), Ok(day), "{text}");
            checked += 1;
            match day.checked_add(time::Duration::days(37)) {
                Some(next) => day = next,
                None => break,
            }
        }
        assert!(checked > 197_000, "{checked}");
        assert_eq!(parse("0000-01-01"), Ok(date!(0000 - 01 - 01)));
        assert_eq!(parse("9999-12-31"), Ok(date!(9999 - 12 - 31)));
        assert_eq!(parse("-0001-12-31"), Ok(date!(-0001 - 12 - 31)));
    }

    #[test]
    fn other_spellings_are_refused_with_the_text_and_the_form() {
        for text in [
            "+2019-01-01",
            "-0000-01-01",
            "--2019-01-01",
            "+201-01-01",
            "02019-01-01",
            "+02019-01-01",
            "2019-1-01",
            "2019-01-1",
            "2019-1-1",
            "219-01-01",
            "2019-01-01x",
            "2019-01-01T00:00",
            "2019-01-01 ",
            " 2019-01-01",
            "2019/01/01",
            "2019-001",
            "20190101",
            "2019-+1-01",
            "2019-01-+1",
            "２０１９-01-01",
            "",
        ] {
            assert_eq!(
                parse(text),
                Err(format!("{text:?} is not {EXPECTED}")),
                "{text}"
            );
        }
        assert_eq!(
            parse("2019-13-01"),
            Err("\"2019-13-01\" is not a day: there is no month 13".to_string())
        );
        assert_eq!(
            parse("2019-00-01"),
            Err("\"2019-00-01\" is not a day: there is no month 0".to_string())
        );
        assert_eq!(
            parse("2019-02-29"),
            Err("\"2019-02-29\" is not a day: February 2019 has 28 days".to_string())
        );
        assert_eq!(
            parse("2019-04-00"),
            Err("\"2019-04-00\" is not a day: April 2019 has 30 days".to_string())
        );
        assert_eq!(parse("2020-02-29"), Ok(date!(2020 - 02 - 29)));
    }

    #[test]
    fn a_field_is_named_and_only_a_string_or_null_is_read() {
        #[derive(Debug, serde::Deserialize)]
        struct Both {
            #[serde(deserialize_with = "field::start")]
            start: Date,
            #[serde(deserialize_with = "field::left_or_null")]
            left: Option<Date>,
        }
        let read = |json: &str| serde_json::from_str::<Both>(json).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"start":"2019-01-01","left":null}"#).map(|b| (b.start, b.left)),
            Ok((date!(2019 - 01 - 01), None))
        );
        assert_eq!(
            read(r#"{"start":"2019-01-01","left":"2020-06-30"}"#).map(|b| (b.start, b.left)),
            Ok((date!(2019 - 01 - 01), Some(date!(2020 - 06 - 30))))
        );
        assert_eq!(
            read(r#"{"start":"+2019-01-01","left":null}"#).map(|b| b.start),
            Err(format!(
                "invalid date `start`: \"+2019-01-01\" is not {EXPECTED} at line 1 column 22"
            ))
        );
        assert_eq!(
            read(r#"{"start":"2019-01-01","left":"2019-1-1"}"#).map(|b| b.start),
            Err(format!(
                "invalid date `left`: \"2019-1-1\" is not {EXPECTED} at line 1 column 39"
            ))
        );
        // `time` reads a list as (year, day of the year): not the JSON form.
        assert_eq!(
            read(r#"{"start":[2019,1],"left":null}"#).map(|b| b.start),
            Err(format!(
                "invalid type: sequence, expected the date `start` as a string, {EXPECTED} at line 1 column 9"
            ))
        );
        assert!(read(r#"{"start":20190101,"left":null}"#).is_err());
        assert!(read(r#"{"start":"2019-01-01","left":1}"#).is_err());
    }
}
