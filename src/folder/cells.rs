//! Reading cells: dates as `2019-03-15` or `2019/3/15`, amounts with or without thousands
//! separators and ¥, areas, numbers, percentages, ids and words in Chinese or English. Each
//! parser says what it expected, so a bad cell becomes a problem naming its file, line and
//! column.

use std::borrow::Cow;
use std::str::FromStr;

use rust_decimal::Decimal;
use time::{Date, Month};

use super::problem::{Problem, ProblemKind, Problems};
use super::schema::{key, FileKind};
use super::text::{Record, Table};
use crate::{Mu, Yuan};

/// What a cell should have held.
#[derive(Debug, Clone)]
pub(crate) struct Bad {
    pub(crate) kind: ProblemKind,
    pub(crate) expected: String,
}

fn bad<T>(kind: ProblemKind, expected: impl Into<String>) -> Result<T, Bad> {
    Err(Bad {
        kind,
        expected: expected.into(),
    })
}

/// The cells of one row, with the problems they have.
pub(crate) struct Cells<'a> {
    pub(crate) table: &'a Table,
    pub(crate) record: &'a Record,
    pub(crate) problems: &'a mut Problems,
}

impl<'a> Cells<'a> {
    pub(crate) fn line(&self) -> u64 {
        self.record.line
    }

    /// The cell's text, trimmed; empty when the file has no such column. It borrows the
    /// file's rows, not these cells, so a problem can be pushed while it is held.
    pub(crate) fn text(&self, en: &'static str) -> &'a str {
        let (table, record): (&'a Table, &'a Record) = (self.table, self.record);
        table.cell(record, en).unwrap_or("")
    }

    /// A problem with the cell of column `en`.
    pub(crate) fn problem(
        &mut self,
        en: &'static str,
        kind: ProblemKind,
        message: impl Into<String>,
    ) {
        let column = self.table.column(en);
        self.problems.push(Problem {
            file: self.table.file.clone(),
            line: Some(self.record.line),
            column: (column.number > 0).then_some(column),
            kind,
            message: message.into(),
        });
    }

    /// A problem with the whole row.
    pub(crate) fn row_problem(&mut self, kind: ProblemKind, message: impl Into<String>) {
        self.problems.push(Problem::row(
            &self.table.file,
            self.record.line,
            kind,
            message,
        ));
    }

    /// A cell that must be filled. `None` after a problem, or when the file lacks the column
    /// (a problem the header row already has).
    pub(crate) fn req<T>(
        &mut self,
        en: &'static str,
        parse: impl FnOnce(&str) -> Result<T, Bad>,
    ) -> Option<T> {
        let text = self.table.cell(self.record, en)?;
        if text.is_empty() {
            let expected = match parse("") {
                Err(bad) => bad.expected,
                Ok(_) => "a value".to_string(),
            };
            self.problem(
                en,
                ProblemKind::MissingValue,
                format!("the cell is empty; expected {expected}"),
            );
            return None;
        }
        self.parsed(en, text, parse)
    }

    /// A cell that may be empty: `Some(None)` when it is (or the file lacks the column),
    /// `None` after a problem.
    pub(crate) fn opt<T>(
        &mut self,
        en: &'static str,
        parse: impl FnOnce(&str) -> Result<T, Bad>,
    ) -> Option<Option<T>> {
        let text = self.text(en);
        if text.is_empty() {
            return Some(None);
        }
        self.parsed(en, text, parse).map(Some)
    }

    /// A cell that this row needs although the column is optional.
    pub(crate) fn needed<T>(
        &mut self,
        en: &'static str,
        why: &str,
        parse: impl FnOnce(&str) -> Result<T, Bad>,
    ) -> Option<T> {
        let text = self.text(en);
        if text.is_empty() {
            let expected = match parse("") {
                Err(bad) => bad.expected,
                Ok(_) => "a value".to_string(),
            };
            if self.table.has(en) {
                self.problem(
                    en,
                    ProblemKind::MissingValue,
                    format!("the cell is empty; {why} needs {expected}"),
                );
            } else {
                let name = self.table.column(en).name;
                self.row_problem(
                    ProblemKind::MissingColumn,
                    format!("{why} needs column \"{name}\" ({expected})"),
                );
            }
            return None;
        }
        self.parsed(en, text, parse)
    }

    /// A cell that must be empty for this row.
    pub(crate) fn unused(&mut self, en: &'static str, why: &str) -> Option<()> {
        if self.text(en).is_empty() {
            Some(())
        } else {
            self.problem(
                en,
                ProblemKind::BadText,
                format!("{why} takes no value here; leave the cell empty"),
            );
            None
        }
    }

    fn parsed<T>(
        &mut self,
        en: &'static str,
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, Bad>,
    ) -> Option<T> {
        let lost = self.table.gbk && text.contains('?') && names_someone(self.table.kind, en);
        match parse(text) {
            Ok(_) if lost => {
                self.problem(
                    en,
                    ProblemKind::BadText,
                    format!("{:?} has a ?: {LOST_IN_GBK}", shorten(text)),
                );
                None
            }
            Ok(value) => Some(value),
            Err(bad) => {
                let mut message = format!("expected {}, found {:?}", bad.expected, shorten(text));
                if let Some(hint) = hint(&bad.kind, &bad.expected, text) {
                    message.push_str(": ");
                    message.push_str(&hint);
                }
                self.problem(en, bad.kind, message);
                None
            }
        }
    }
}

/// Why a name read from a GBK file may hold a `?`.
const LOST_IN_GBK: &str = "the file is GBK text (what Excel and WPS save as \"CSV\"), which has no place for some rare characters (such as 䶮 or 𠮷) and saves each as ?: characters may have been lost; save the sheet as \"CSV UTF-8\", which keeps every character, and check the cell";

/// Whether column `en` of a file of `kind` holds a name (of a person, a village, a buyer,
/// the cooperative): where a rare character is likely, and a `?` is not.
fn names_someone(kind: FileKind, en: &'static str) -> bool {
    let names: &[&str] = match kind {
        FileKind::Policy => &["value"],
        FileKind::Accounts => &["name_zh"],
        FileKind::Members => &["name", "village"],
        FileKind::Parcels => &["village"],
        FileKind::Loans => &["lender"],
        FileKind::Greenhouses | FileKind::Assets => &["name"],
        FileKind::Grants => &["source"],
        FileKind::Labour => &["non_member"],
        FileKind::Sales => &["buyer"],
        FileKind::Payments => &["party"],
        FileKind::Contracts
        | FileKind::GrainPrices
        | FileKind::LandChanges
        | FileKind::Costs
        | FileKind::Harvests
        | FileKind::Adjustments => &[],
    };
    names.contains(&en)
}

/// Why a cell refused as `kind` may hold what it does, when a spreadsheet is the likely
/// cause: a long number Excel wrote in scientific notation where an id should be.
fn hint(kind: &ProblemKind, expected: &str, text: &str) -> Option<String> {
    if *kind == ProblemKind::BadId && scientific(text) {
        return Some("Excel shows a long number in scientific notation and saves it so, its digits lost; format the column as Text in Excel and type the ids again".to_string());
    }
    if *kind == ProblemKind::BadId && excel_date(text) {
        return Some(ID_AS_DATE.to_string());
    }
    if matches!(kind, ProblemKind::BadAmount | ProblemKind::BadNumber)
        && compact(text).trim_start_matches(['¥', '￥']) == "-"
    {
        return Some("Excel's accounting format (会计专用) shows 0 as -, and saves it so; write the number, or format the column as a number".to_string());
    }
    // A month and day (a contract's pay_by) that Excel made a whole date, or its serial
    // number: formatting the column as a date, as a date cell's hint says, is what made it.
    if *kind == ProblemKind::BadDate
        && expected == MONTH_DAY
        && (date(text).is_ok() || excel_serial(text))
    {
        return Some(MONTH_DAY_AS_DATE.to_string());
    }
    if *kind == ProblemKind::BadDate {
        if let Some(hint) = date_hint(text) {
            return Some(hint);
        }
    }
    let mut wide: Vec<char> = Vec::new();
    for c in text.chars().filter(|&c| full_width(c)) {
        if !wide.contains(&c) {
            wide.push(c);
        }
    }
    if wide.is_empty() {
        return None;
    }
    let mut shown: Vec<String> = wide
        .iter()
        .take(3)
        .map(|c| format!("{c:?}").replace('\'', "\""))
        .collect();
    if wide.len() > 3 {
        shown.push("…".to_string());
    }
    Some(format!(
        "it has full-width characters ({}), which look like letters, digits or punctuation but are not; type them half-width (半角, with English punctuation)",
        shown.join(", ")
    ))
}

/// Whether `c` is a full-width form of an ASCII character (`２`, `Ｈ`, `／`), the
/// ideographic space, or the ideographic comma or full stop (`、`, `。`, what a Chinese
/// input method types for `/` and `.`).
fn full_width(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}'..='\u{3002}')
}

/// Why a date cell refused may hold what it does: a date with a time after it, Excel's
/// serial number of a day, or a date with the year last (in a regional format, whose order
/// of day and month is not known, so it is never guessed).
fn date_hint(text: &str) -> Option<String> {
    let (first, time) = text
        .split_once(|c: char| c.is_whitespace() || c == 'T')
        .unwrap_or((text, ""));
    if let (Ok(day), false) = (date(first), time.is_empty()) {
        return Some(format!(
            "it has a time after the date (Excel writes one when the cell is formatted as a date and time); the cell takes the date only, such as {}/{}/{}",
            day.year(),
            u8::from(day.month()),
            day.day()
        ));
    }
    if excel_serial(text) {
        // Excel numbers days from 1899-12-31 as 1, counting a 29 February 1900 that was
        // not: from 61 (1 March 1900) on, day n is n days after 1899-12-30.
        let serial: i64 = text.parse().ok()?;
        let day = time::macros::date!(1899 - 12 - 30).checked_add(time::Duration::days(serial))?;
        return Some(format!(
            "{text} is the number Excel keeps for the day {}, which it writes when a date cell is formatted as a number; format the column as a date",
            write_date(day)
        ));
    }
    if excel_date(text) {
        return Some("this is how Excel writes a day it took for a date (1-Mar for 3月1日), and it takes 03-01 or 2019-03-01 for one again; write a month and day as 3月1日 and a date as 2019年3月1日, which Excel keeps as they are".to_string());
    }
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let [a, b, year] = parts.as_slice() else {
        return None;
    };
    if !(digits(a, 1, 2) && digits(b, 1, 2) && digits(year, 4, 4)) {
        return None;
    }
    // The days it may be, month first and day first, as Excel keeps them.
    let mut days: Vec<String> = Vec::new();
    for (month, day) in [(a, b), (b, a)] {
        let written = format!(
            "{year}年{}月{}日",
            month.trim_start_matches('0'),
            day.trim_start_matches('0')
        );
        if date(&written).is_ok() && !days.contains(&written) {
            days.push(written);
        }
    }
    let write = if days.is_empty() {
        "write it year first".to_string()
    } else {
        format!(
            "write it as {}, which Excel keeps as it is",
            days.join(" or ")
        )
    };
    Some(format!(
        "the year comes first; a date with the year last is in a regional format (Excel writes dates so on some computers), in which 3/5/2019 is 5 March on some computers and 3 May on others; {write}"
    ))
}

/// The hint for an id Excel saved as a date.
pub(crate) const ID_AS_DATE: &str = "Excel takes an id such as 3-1 for a date and saves the date; format the column as Text in Excel and type the ids again";

/// Whether `text` is a date as Excel saves a cell it took for one: `3月1日` or
/// `2019年3月1日` (Chinese Windows), `1-Mar` or `Mar-01` (English Windows).
pub(crate) fn excel_date(text: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if text.contains('月') {
        return month_day(text).is_ok() || date(text).is_ok();
    }
    let Some((a, b)) = text.split_once('-') else {
        return false;
    };
    let number = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let month = |s: &str| MONTHS.contains(&s.to_ascii_lowercase().as_str());
    (number(a) && month(b)) || (month(a) && number(b))
}

/// Whether `text` is a number in scientific notation as Excel shows one: `1.23457E+11`,
/// `1E+15` (a digit, optional decimals, `E` or `e`, an optional sign, digits).
fn scientific(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['E', 'e']) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    whole.len() == 1 && digits(whole) && digits(fraction) && digits(exponent)
}

/// At most 40 characters of a cell, for messages.
pub(crate) fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(40).collect();
        short.push('…');
        short
    }
}

const DATE: &str = "a date such as 2019-03-15 or 2019/3/15";

/// The `N` parts of `parts`, or `None` when there are fewer or more.
fn exactly<'a, const N: usize>(mut parts: impl Iterator<Item = &'a str>) -> Option<[&'a str; N]> {
    let mut out = [""; N];
    for slot in &mut out {
        *slot = parts.next()?;
    }
    match parts.next() {
        Some(_) => None,
        None => Some(out),
    }
}

/// A date: `2019-03-15`, `2019/3/15` (as Excel writes it), `2019.3.15` or `2019年3月15日`.
pub(crate) fn date(text: &str) -> Result<Date, Bad> {
    let Some((year, month, day)) = date_numbers(text) else {
        return bad(ProblemKind::BadDate, DATE);
    };
    Month::try_from(month)
        .ok()
        .and_then(|month| Date::from_calendar_date(year, month, day).ok())
        .map_or_else(
            || {
                bad(
                    ProblemKind::BadDate,
                    format!("{DATE} (there is no {year}-{month:02}-{day:02})"),
                )
            },
            Ok,
        )
}

/// A date (as [`date`] reads it) in `year`, the year the folder keeps, when its policy
/// gave one: the rows of the year's files are booked on their dates, and a row of another
/// year would be left out of the year's statements.
pub(crate) fn date_in(year: Option<i32>) -> impl Fn(&str) -> Result<Date, Bad> {
    move |text| {
        let day = date(text)?;
        match year {
            Some(year) if day.year() != year => bad(
                ProblemKind::BadDate,
                format!("a date in {year}, the year of policy.csv"),
            ),
            _ => Ok(day),
        }
    }
}

/// The year, month and day of a date cell in a form [`date`] takes, not yet checked to make
/// a day; `None` for any other text.
fn date_numbers(text: &str) -> Option<(i32, u8, u8)> {
    // A folder writes its dates `2019-03-15`: read as the events' dates are, unsplit.
    if let Some((false, year, month, day)) = crate::iso_date::numbers(text) {
        return Some((
            i32::from(year),
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        ));
    }
    let text = text.trim_end_matches('日');
    let [year, month, day] = exactly(text.split(['-', '/', '.', '年', '月']))?;
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(year, 4, 4) || !digits(month, 1, 2) || !digits(day, 1, 2) {
        return None;
    }
    Some((year.parse().ok()?, month.parse().ok()?, day.parse().ok()?))
}

/// A date as a folder writes it: `2019-03-15`.
pub(crate) fn write_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

const MONTH_DAY: &str = "a month and day such as 03-01 or 3/1";

/// Why a month-and-day cell holds a whole date or a day's number.
const MONTH_DAY_AS_DATE: &str = "the cell takes a month and day only, the same every year; Excel writes a whole date (with this year), or its number, when it took the cell for a date or the column is formatted as a date: write it as 3月1日 in a column formatted as Text, which Excel keeps as it is";

/// Whether `text` may be Excel's serial number of a day (five digits, as days from 1900
/// are in the years a book keeps).
fn excel_serial(text: &str) -> bool {
    text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A month and day: `03-01`, `3/1`, `3月1日`.
pub(crate) fn month_day(text: &str) -> Result<(u8, u8), Bad> {
    let text = text.trim_end_matches('日');
    let Some([month, day]) = exactly(text.split(['-', '/', '.', '月'])) else {
        return bad(ProblemKind::BadDate, MONTH_DAY);
    };
    let (Ok(month), Ok(day)) = (month.parse::<u8>(), day.parse::<u8>()) else {
        return bad(ProblemKind::BadDate, MONTH_DAY);
    };
    // 2000 is a leap year, so 02-29 is a day that exists in some years.
    match Month::try_from(month).map(|m| Date::from_calendar_date(2000, m, day)) {
        Ok(Ok(_)) => Ok((month, day)),
        _ => bad(ProblemKind::BadDate, MONTH_DAY),
    }
}

/// Removes the white space a number may hold: around it, and after a currency sign or a
/// sign (`¥ 1,000.00`, `- 5`). White space anywhere else is kept as one space, so that the
/// number is refused: `5 01` is not 501, and `¥ 1 000.00` is not allowed.
fn compact(text: &str) -> Cow<'_, str> {
    let text = text.trim();
    // Most cells have no white space left once trimmed: they are used as they are.
    if !text.contains(char::is_whitespace) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.ends_with(['¥', '￥', '-', '+']) {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    Cow::Owned(out)
}

fn yuan(text: &str) -> Result<Yuan, String> {
    Yuan::from_str(&compact(text)).map_err(|e| match e {
        crate::Error::ParseAmount { reason, .. } => reason.to_string(),
        other => other.to_string(),
    })
}

/// An amount in yuan above zero: `1409.50`, `1,409.50`, `¥1,409.50`.
pub(crate) fn amount_positive(text: &str) -> Result<Yuan, Bad> {
    const EXPECTED: &str =
        "an amount in yuan above zero, with at most two decimals, such as 1,409.50 or ¥1409.50";
    match yuan(text) {
        Ok(amount) if amount.fen() > 0 => Ok(amount),
        _ => bad(ProblemKind::BadAmount, EXPECTED),
    }
}

/// An amount in yuan of zero or more.
pub(crate) fn amount_not_negative(text: &str) -> Result<Yuan, Bad> {
    const EXPECTED: &str =
        "an amount in yuan of zero or more, with at most two decimals, such as 1,409.50 or ¥1409.50";
    match yuan(text) {
        Ok(amount) if amount.fen() >= 0 => Ok(amount),
        _ => bad(ProblemKind::BadAmount, EXPECTED),
    }
}

/// A decimal number, with optional thousands separators, and ¥ when `yuan` (a price, a
/// rate: a ¥ in a cell of kilograms, days or a percentage says it holds money, and is
/// refused); no exponent; `None` for one a `Decimal` cannot hold exactly (more than 28
/// significant digits), and for a first group of 0 before a separator (`0,125`, a decimal
/// comma).
fn decimal(text: &str, yuan: bool) -> Option<Decimal> {
    let text = compact(text);
    let text = match text.strip_prefix('¥').or_else(|| text.strip_prefix('￥')) {
        Some(rest) if yuan => rest,
        Some(_) => return None,
        None => &text,
    };
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match body.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    if !whole.contains(',') {
        // No thousands separators: `text` is the number as it is to be read.
        if !digits(whole) {
            return None;
        }
        return crate::exact_decimal::parse(text).ok();
    }
    // A first group starting with 0 (`0,125`) is a decimal comma, not a thousand: refused,
    // as amounts refuse it.
    let mut groups = whole.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && !g.starts_with('0') && digits(g));
    if !first_ok || !groups.all(|g| g.len() == 3 && digits(g)) {
        return None;
    }
    let mut plain = String::with_capacity(text.len());
    plain.push_str(sign);
    plain.extend(whole.split(','));
    if let Some(fraction) = fraction {
        plain.push('.');
        plain.push_str(fraction);
    }
    crate::exact_decimal::parse(&plain).ok()
}

/// A number above zero (kilograms, shares), without ¥.
pub(crate) fn number_positive(text: &str) -> Result<Decimal, Bad> {
    match decimal(text, false) {
        Some(value) if value > Decimal::ZERO => Ok(value),
        _ => bad(ProblemKind::BadNumber, "a number above zero, such as 8.00"),
    }
}

/// A number of zero or more (days, a weight), without ¥.
pub(crate) fn number_not_negative(text: &str) -> Result<Decimal, Bad> {
    match decimal(text, false) {
        Some(value) if !value.is_sign_negative() || value.is_zero() => Ok(value),
        _ => bad(
            ProblemKind::BadNumber,
            "a number of zero or more, such as 12.5",
        ),
    }
}

/// A price or rate in yuan above zero, with or without ¥; more than two decimals allowed.
pub(crate) fn price_positive(text: &str) -> Result<Decimal, Bad> {
    match decimal(text, true) {
        Some(value) if value > Decimal::ZERO => Ok(value),
        _ => bad(
            ProblemKind::BadNumber,
            "a price in yuan above zero, such as 8.00 or ¥8.00",
        ),
    }
}

/// A price or rate in yuan of zero or more, with or without ¥.
pub(crate) fn price_not_negative(text: &str) -> Result<Decimal, Bad> {
    match decimal(text, true) {
        Some(value) if !value.is_sign_negative() || value.is_zero() => Ok(value),
        _ => bad(
            ProblemKind::BadNumber,
            "a price in yuan of zero or more, such as 150 or ¥1,000",
        ),
    }
}

/// A percentage from 0 to 100, with or without `%`: `10`, `10%`, `4.35`.
pub(crate) fn percent(text: &str) -> Result<Decimal, Bad> {
    let text = text.trim_end_matches(['%', '％']);
    match decimal(text, false) {
        Some(value)
            if (!value.is_sign_negative() || value.is_zero()) && value <= Decimal::ONE_HUNDRED =>
        {
            Ok(value)
        }
        _ => bad(
            ProblemKind::BadNumber,
            "a percentage from 0 to 100, such as 10 or 4.35%",
        ),
    }
}

/// An area in mu above zero, to 0.0001 mu.
pub(crate) fn area(text: &str) -> Result<Mu, Bad> {
    const EXPECTED: &str = "an area in mu above zero, such as 2.35";
    match Mu::from_str(&compact(text)) {
        Ok(area) if area > Mu::default() => Ok(area),
        _ => bad(ProblemKind::BadArea, EXPECTED),
    }
}

/// An area in mu of zero or more, to 0.0001 mu.
pub(crate) fn area_not_negative(text: &str) -> Result<Mu, Bad> {
    const EXPECTED: &str = "an area in mu of zero or more, such as 0.5";
    Mu::from_str(&compact(text)).map_err(|_| Bad {
        kind: ProblemKind::BadArea,
        expected: EXPECTED.into(),
    })
}

/// A whole number from `min` up.
pub(crate) fn count(min: u32) -> impl Fn(&str) -> Result<u32, Bad> {
    move |text| match text.parse::<u32>() {
        Ok(n) if n >= min => Ok(n),
        _ => bad(
            ProblemKind::BadNumber,
            format!("a whole number of {min} or more, such as {}", min.max(3)),
        ),
    }
}

/// A year: four digits.
pub(crate) fn year(text: &str) -> Result<i32, Bad> {
    match text.parse::<i32>() {
        Ok(year) if (1900..=9999).contains(&year) && text.len() == 4 => Ok(year),
        _ => bad(ProblemKind::BadNumber, "a year such as 2019"),
    }
}

/// An id of type `T` (a member, a parcel, …), named `what` in messages.
pub(crate) fn id<T: FromStr>(
    what: &'static str,
    example: &'static str,
) -> impl Fn(&str) -> Result<T, Bad> {
    move |text| {
        T::from_str(text).map_err(|_| Bad {
            kind: ProblemKind::BadId,
            expected: format!(
                "a {what} id of ASCII letters, digits and '-', starting with A-Z or a digit, such as {example}"
            ),
        })
    }
}

/// The most characters a text cell (a name, a memo) may have.
pub(crate) const MAX_TEXT_CHARS: usize = 200;

/// Any text of at most [`MAX_TEXT_CHARS`] characters.
pub(crate) fn text(text: &str) -> Result<String, Bad> {
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        bad(
            ProblemKind::BadText,
            format!("text of 1 to {MAX_TEXT_CHARS} characters"),
        )
    } else {
        Ok(text.to_string())
    }
}

/// A word a cell may hold for a value: its Chinese and English forms and other spellings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word<T: 'static> {
    pub(crate) value: T,
    pub(crate) zh: &'static str,
    pub(crate) en: &'static str,
    pub(crate) aliases: &'static [&'static str],
}

pub(crate) const fn word<T>(value: T, zh: &'static str, en: &'static str) -> Word<T> {
    Word {
        value,
        zh,
        en,
        aliases: &[],
    }
}

pub(crate) const fn word_or<T>(
    value: T,
    zh: &'static str,
    en: &'static str,
    aliases: &'static [&'static str],
) -> Word<T> {
    Word {
        value,
        zh,
        en,
        aliases,
    }
}

/// One of `words`, by its Chinese or English form or an alias, case and `_`/space aside.
pub(crate) fn choice<T: Copy>(words: &'static [Word<T>]) -> impl Fn(&str) -> Result<T, Bad> {
    move |text| {
        // The words as a folder is written, without normalising.
        if let Some(w) = words.iter().find(|w| text == w.zh || text == w.en) {
            return Ok(w.value);
        }
        let k = key(text);
        words
            .iter()
            .find(|w| {
                k == key(w.zh)
                    || k == key(w.en)
                    || k == format!("{}{}", key(w.zh), key(w.en))
                    || w.aliases.iter().any(|a| k == key(a))
            })
            .map(|w| w.value)
            .ok_or_else(|| Bad {
                kind: ProblemKind::BadChoice,
                expected: one_of(words),
            })
    }
}

/// `one of 银行 bank, 现金 cash`.
pub(crate) fn one_of<T>(words: &[Word<T>]) -> String {
    let list: Vec<String> = words.iter().map(|w| format!("{} {}", w.zh, w.en)).collect();
    format!("one of {}", list.join(", "))
}

/// The Chinese word a folder writes for `value`.
pub(crate) fn zh<T: PartialEq>(words: &'static [Word<T>], value: &T) -> &'static str {
    words
        .iter()
        .find(|w| w.value == *value)
        .map_or("", |w| w.zh)
}

/// A list of ids in one cell, separated by spaces, commas, `、` or `;`.
pub(crate) fn split_list(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    /// The readers of numbers and dates as they were before they borrowed their cells
    /// rather than copying them, split them without a list, and read a number without
    /// thousands separators as it is: the oracle of the property below.
    mod former {
        use super::super::*;

        pub(super) fn compact(text: &str) -> String {
            let mut out = String::with_capacity(text.len());
            let mut space = false;
            for c in text.trim().chars() {
                if c.is_whitespace() {
                    space = true;
                    continue;
                }
                if space && !out.ends_with(['¥', '￥', '-', '+']) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
            out
        }

        pub(super) fn decimal(text: &str, yuan: bool) -> Option<Decimal> {
            let text = compact(text);
            let text = match text.strip_prefix('¥').or_else(|| text.strip_prefix('￥')) {
                Some(rest) if yuan => rest,
                Some(_) => return None,
                None => &text,
            };
            let (sign, body) = match text.strip_prefix('-') {
                Some(rest) => ("-", rest),
                None => ("", text),
            };
            let (whole, fraction) = match body.split_once('.') {
                Some((whole, fraction)) => (whole, Some(fraction)),
                None => (body, None),
            };
            let groups: Vec<&str> = whole.split(',').collect();
            let grouped_ok = groups.len() == 1
                || (groups
                    .first()
                    .is_some_and(|g| (1..=3).contains(&g.len()) && !g.starts_with('0'))
                    && groups.iter().skip(1).all(|g| g.len() == 3));
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if !grouped_ok
                || !groups.iter().all(|g| digits(g))
                || fraction.is_some_and(|f| !digits(f))
            {
                return None;
            }
            let plain = match fraction {
                Some(fraction) => format!("{sign}{}.{fraction}", groups.concat()),
                None => format!("{sign}{}", groups.concat()),
            };
            crate::exact_decimal::parse(&plain).ok()
        }

        pub(super) fn date(text: &str) -> Result<Date, Bad> {
            let text = text.trim_end_matches('日');
            let parts: Vec<&str> = text.split(['-', '/', '.', '年', '月']).collect();
            let [year, month, day] = parts.as_slice() else {
                return bad(ProblemKind::BadDate, DATE);
            };
            let digits = |s: &str, min: usize, max: usize| {
                (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
            };
            if !digits(year, 4, 4) || !digits(month, 1, 2) || !digits(day, 1, 2) {
                return bad(ProblemKind::BadDate, DATE);
            }
            let (Ok(year), Ok(month), Ok(day)) =
                (year.parse::<i32>(), month.parse::<u8>(), day.parse::<u8>())
            else {
                return bad(ProblemKind::BadDate, DATE);
            };
            Month::try_from(month)
                .ok()
                .and_then(|month| Date::from_calendar_date(year, month, day).ok())
                .map_or_else(
                    || {
                        bad(
                            ProblemKind::BadDate,
                            format!("{DATE} (there is no {year}-{month:02}-{day:02})"),
                        )
                    },
                    Ok,
                )
        }

        pub(super) fn parts(text: &str, at: &[char]) -> Vec<String> {
            text.split(at).map(str::to_string).collect()
        }
    }

    /// Cells made of the characters numbers and dates are written with, and others.
    fn cell_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(
            proptest::sample::select(vec![
                "0", "1", "5", "9", "12", "125", "000", ",", ".", "-", "+", "¥", "￥", " ", "\t",
                "\u{3000}", "/", "年", "月", "日", "e", "x", "2019", "%",
            ]),
            0..9,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest::proptest! {
        #[test]
        fn numbers_and_dates_read_as_they_were(text in cell_text()) {
            proptest::prop_assert_eq!(compact(&text).into_owned(), former::compact(&text));
            let same = |text: &str| (
                date(text).map_err(|b| (b.kind, b.expected)),
                former::date(text).map_err(|b| (b.kind, b.expected)),
            );
            let (now, before) = same(&text);
            proptest::prop_assert_eq!(now, before);
            for yuan in [false, true] {
                proptest::prop_assert_eq!(decimal(&text, yuan), former::decimal(&text, yuan));
            }
            // Split into exactly as many parts as a list of them would hold.
            let at = ['-', '/', '.', '年', '月'];
            let list = former::parts(&text, &at);
            let three: Option<[&str; 3]> = exactly(text.split(at));
            proptest::prop_assert_eq!(
                three.map(|p| p.map(str::to_string).to_vec()),
                (list.len() == 3).then_some(list.clone())
            );
            let two: Option<[&str; 2]> = exactly(text.split(at));
            proptest::prop_assert_eq!(
                two.map(|p| p.map(str::to_string).to_vec()),
                (list.len() == 2).then_some(list)
            );
        }

        #[test]
        fn dates_as_a_folder_writes_them_read_as_they_were(
            text in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{3,5}-[0-9]{1,3}-[0-9]{1,3}",
        ) {
            let now = date(&text).map_err(|b| (b.kind, b.expected));
            let before = former::date(&text).map_err(|b| (b.kind, b.expected));
            proptest::prop_assert_eq!(now, before);
        }
    }

    #[test]
    fn dates_in_the_forms_people_type() {
        for text in [
            "2019-03-15",
            "2019/3/15",
            "2019.03.15",
            "2019年3月15日",
            "2019-3-15",
        ] {
            assert_eq!(date(text).ok(), Some(date!(2019 - 03 - 15)), "{text}");
        }
        for text in [
            "",
            "15/3/2019",
            "3/15/2019",
            "2019-02-30",
            "2019-13-01",
            "20190315",
            "2019-03-15x",
            "१९१९-03-15",
        ] {
            assert!(date(text).is_err(), "{text}");
        }
        assert_eq!(write_date(date!(2019 - 03 - 05)), "2019-03-05");
        assert_eq!(month_day("03-01").ok(), Some((3, 1)));
        assert_eq!(month_day("2月29日").ok(), Some((2, 29)));
        assert!(month_day("2-30").is_err());
    }

    #[test]
    fn scientific_notation_is_recognised_as_excel_shows_it() {
        for text in ["1.23457E+11", "1E+15", "3.7e+17", "1.5E-05"] {
            assert!(scientific(text), "{text}");
        }
        for text in [
            "E+11", "12.3E+4", "1.E+5", "1.2E", "H1E5", "1.23457", "1.2E+1x",
        ] {
            assert!(!scientific(text), "{text}");
        }
    }

    #[test]
    fn amounts_and_numbers() {
        assert_eq!(amount_positive("¥1,409.50").ok(), "1409.50".parse().ok());
        assert_eq!(amount_positive(" ¥ 1,409.5 ").ok(), "1409.50".parse().ok());
        assert!(amount_positive("0").is_err());
        assert!(amount_positive("abc").is_err());
        assert!(amount_positive("1,40.00").is_err());
        assert_eq!(amount_not_negative("0").ok(), Some(Yuan::ZERO));
        assert_eq!(number_positive("1,234.5").ok(), Some(dec!(1234.5)));
        assert_eq!(
            number_positive("17857.2500").map(|d| d.to_string()).ok(),
            Some("17857.2500".into())
        );
        assert!(number_positive("1e5").is_err());
        // Read exactly or refused: 32 decimals would be rounded to 28.
        assert!(number_positive("0.33333333333333333333333333333333").is_err());
        assert_eq!(
            number_positive("0.3333333333333333333333333333").ok(),
            Some(dec!(0.3333333333333333333333333333))
        );
        assert!(number_positive("-1").is_err());
        assert!(number_positive("12,34").is_err());
        assert_eq!(percent("10%").ok(), Some(dec!(10)));
        assert!(percent("101").is_err());
        assert!(area("-1.5").is_err());
        assert!(area("0").is_err());
        assert_eq!(
            area("7.1429").map(|a| a.to_string()).ok(),
            Some("7.1429".into())
        );
        // White space inside a number is refused, not dropped: `5 01` is not 501 mu.
        assert!(area("5 01").is_err());
        assert!(area_not_negative("5 01").is_err());
        assert!(amount_positive("1 000.00").is_err());
        assert!(amount_positive("1, 000.00").is_err());
        assert!(number_positive("12 .5").is_err());
        assert!(percent("1 0").is_err());
        // Around it, and after a currency sign or a sign, it is allowed.
        assert_eq!(amount_positive("\t¥ 1,000.00 ").ok(), "1000".parse().ok());
        assert_eq!(
            area(" 2.35 ").map(|a| a.to_string()).ok(),
            Some("2.35".into())
        );
        assert_eq!(percent("4.35 %").ok(), Some(dec!(4.35)));
        // A first group of 0 before a thousands separator is a decimal comma (0,125 kg is
        // an eighth of a kilogram where a comma is the decimal point), not 125: refused, as
        // amounts refuse it.
        for text in ["0,125", "00,500", "0,125.5", "¥0,150"] {
            assert!(number_positive(text).is_err(), "{text}");
            assert!(number_not_negative(text).is_err(), "{text}");
            assert!(amount_positive(text).is_err(), "{text}");
        }
        assert!(percent("0,050").is_err());
        // A ¥ says a cell holds money: a price or rate, not kilograms, days or a percentage.
        assert!(number_positive("¥17,857.25").is_err());
        assert!(number_not_negative("￥86").is_err());
        assert!(percent("¥10").is_err());
        assert_eq!(price_positive("¥8.00").ok(), Some(dec!(8.00)));
        assert_eq!(price_not_negative("￥1,000").ok(), Some(dec!(1000)));
        assert!(price_positive("0,150").is_err());
        assert_eq!(number_positive("1,000").ok(), Some(dec!(1000)));
        assert_eq!(number_positive("0125").ok(), Some(dec!(125)));
        assert_eq!(
            split_list("H01、H02, H03  H04"),
            ["H01", "H02", "H03", "H04"]
        );
    }
}
