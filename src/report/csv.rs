//! A small CSV writer: RFC 4180 quoting, CRLF line ends, UTF-8 with a byte-order mark.

/// The UTF-8 byte-order mark that makes Excel and WPS read a CSV file as UTF-8.
///
/// # Example
///
/// ```
/// use landpool::report::{Csv, BOM};
///
/// assert_eq!(BOM.as_bytes(), [0xEF, 0xBB, 0xBF]);
/// // Every CSV file the crate writes starts with it.
/// let csv = Csv::new(&["项目 Item"]).finish();
/// assert_eq!(csv.strip_prefix(BOM), Some("项目 Item\r\n"));
/// ```
pub const BOM: &str = "\u{feff}";

/// A CSV table being written: rows of cells, quoted where needed. A text Excel or WPS
/// would take for a formula (beginning with `=`, `+`, `-` or `@` and not a number) is
/// written after an apostrophe, so that it opens as text; numbers such as `-3.20` are
/// written as they are.
///
/// # Example
///
/// ```
/// let mut csv = landpool::report::Csv::new(&["项目 Item", "金额 Amount"]);
/// csv.row(&["租金, rent", "1350.00"]);
/// csv.row(&["=HYPERLINK(1)", "-3.20"]);
/// assert_eq!(
///     csv.finish(),
///     "\u{feff}项目 Item,金额 Amount\r\n\"租金, rent\",1350.00\r\n'=HYPERLINK(1),-3.20\r\n"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct Csv {
    text: String,
}

/// A table without a header row: its file's text starts with the byte-order mark, as every
/// table's does.
///
/// # Example
///
/// ```
/// let mut csv = landpool::report::Csv::default();
/// csv.row(&["张三", "-12.30"]);
/// assert_eq!(csv.finish(), "\u{feff}张三,-12.30\r\n");
/// ```
impl Default for Csv {
    fn default() -> Csv {
        Csv {
            text: String::from(BOM),
        }
    }
}

impl Csv {
    /// Rows to be appended to another table's (see [`Csv::write_rows`]): no byte-order
    /// mark, no header.
    pub(crate) fn continuation() -> Csv {
        Csv {
            text: String::new(),
        }
    }

    /// A table with a header row.
    ///
    /// # Example
    ///
    /// ```
    /// let csv = landpool::report::Csv::new(&["户主 Head", "面积, mu"]);
    /// assert_eq!(csv.finish(), "\u{feff}户主 Head,\"面积, mu\"\r\n");
    /// ```
    pub fn new(header: &[&str]) -> Csv {
        let mut csv = Csv {
            text: String::from(BOM),
        };
        csv.row(header);
        csv
    }

    /// Appends a row.
    ///
    /// # Example
    ///
    /// ```
    /// let mut csv = landpool::report::Csv::new(&["memo", "amount"]);
    /// csv.row(&["plain", "1.00"]);
    /// csv.row(&[String::from("say \"hi\""), String::from("line\nbreak")]);
    /// assert_eq!(
    ///     csv.finish(),
    ///     "\u{feff}memo,amount\r\nplain,1.00\r\n\"say \"\"hi\"\"\",\"line\nbreak\"\r\n"
    /// );
    /// ```
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            push_cell(&mut self.text, cell.as_ref());
        }
        self.text.push_str("\r\n");
    }

    /// Appends a row of [`Cell`]s: the same text as [`Csv::row_display`] with the same
    /// values.
    pub(crate) fn row_cells(&mut self, cells: &[&dyn Cell]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            cell.write_cell(&mut self.text);
        }
        self.text.push_str("\r\n");
    }

    /// Appends the rows `write` writes (each ending in CRLF, cells quoted by [`push_cell`]).
    pub(crate) fn write_rows(&mut self, write: impl FnOnce(&mut String)) {
        write(&mut self.text);
    }

    /// Appends a row of cells of any types that display themselves (amounts, ids, numbers,
    /// text), each written straight into the table, without a string made for it: the
    /// same text as [`Csv::row`] with each cell's `to_string()`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Yuan;
    /// let mut csv = landpool::report::Csv::new(&["户 Household", "人口 Persons", "租金 Rent"]);
    /// csv.row_display(&[&"张三, 李四", &3, &Yuan::from_fen(135_000)]);
    /// assert_eq!(
    ///     csv.finish(),
    ///     "\u{feff}户 Household,人口 Persons,租金 Rent\r\n\"张三, 李四\",3,1350.00\r\n"
    /// );
    /// ```
    pub fn row_display(&mut self, cells: &[&dyn std::fmt::Display]) {
        use std::fmt::Write as _;
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            let start = self.text.len();
            // Writing into a `String` cannot fail; a `Display` that reports an error leaves
            // what it wrote, as `to_string` would have panicked instead.
            let _ = write!(self.text, "{cell}");
            // Quoted as `Csv::row` quotes a cell, when it needs to be.
            if self.text.get(start..).is_some_and(|written| {
                written.contains([',', '"', '\n', '\r']) || formula_like(written)
            }) {
                let written = self.text.split_off(start);
                push_cell(&mut self.text, &written);
            }
        }
        self.text.push_str("\r\n");
    }

    /// The whole file's text, starting with the byte-order mark.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::report::{Csv, BOM};
    /// let text = Csv::new(&["a", "b"]).finish();
    /// assert!(text.starts_with(BOM));
    /// assert_eq!(text, "\u{feff}a,b\r\n");
    /// ```
    pub fn finish(self) -> String {
        self.text
    }
}

/// A cell of a table that writes its own text into a row, quoted where needed: the same text
/// as [`Csv::row_display`] writes for it, without the formatting machinery (a county's tables
/// have millions of cells).
pub(crate) trait Cell {
    /// Appends the cell's text to the row being written in `out`.
    fn write_cell(&self, out: &mut String);
}

impl Cell for String {
    fn write_cell(&self, out: &mut String) {
        push_cell(out, self);
    }
}

impl Cell for crate::MemberId {
    fn write_cell(&self, out: &mut String) {
        push_cell(out, self.as_str());
    }
}

impl Cell for crate::Yuan {
    fn write_cell(&self, out: &mut String) {
        // Digits, a point and a sign: never quoted.
        self.push_to(out);
    }
}

impl Cell for u32 {
    fn write_cell(&self, out: &mut String) {
        use std::fmt::Write as _;
        // Writing into a `String` cannot fail.
        let _ = write!(out, "{self}");
    }
}

impl Cell for rust_decimal::Decimal {
    fn write_cell(&self, out: &mut String) {
        use std::fmt::Write as _;
        // Digits, a point and a sign: never quoted. Writing into a `String` cannot fail.
        let _ = write!(out, "{self}");
    }
}

/// A table whose text is made a piece at a time: into one string ([`Spilled::whole_text`]),
/// or handed on to a writer whenever it holds a few tens of kilobytes
/// ([`Spilled::write_spilled`], [`Spilled::write_io`]), so that a county's hundreds of
/// megabytes are never held.
pub(crate) trait Spilled {
    /// About how many bytes the whole text takes, for the string that holds it.
    fn size_hint(&self) -> usize;

    /// Writes the text into `text`, handing it to `spill` (which empties it) each time it
    /// holds `spill_at` bytes or more; `spill`'s first error is returned.
    fn write_text<E>(
        &self,
        text: &mut String,
        spill_at: usize,
        spill: impl FnMut(&mut String) -> Result<(), E>,
    ) -> Result<(), E>;

    /// The whole text.
    fn whole_text(&self) -> String {
        let mut text = String::with_capacity(self.size_hint());
        // Nothing is spilled, so nothing can fail.
        let Ok(()) = self.write_text(&mut text, usize::MAX, |_| {
            Ok::<(), std::convert::Infallible>(())
        });
        text
    }

    /// Writes the text into `out`, [`SPILL_AT`] bytes or so at a time.
    fn write_spilled(&self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        let mut text = String::with_capacity(SPILL_AT.saturating_add(4096));
        self.write_text(&mut text, SPILL_AT, |text| {
            out.write_str(text)?;
            text.clear();
            Ok::<(), std::fmt::Error>(())
        })?;
        out.write_str(&text)
    }

    /// Writes the text into `out` as [`Spilled::write_spilled`] does; `out`'s first error
    /// is returned.
    fn write_io(&self, out: impl std::io::Write) -> std::io::Result<()> {
        crate::text::IoText::write_all(out, |text| self.write_spilled(text))
    }
}

/// How much text [`Spilled::write_spilled`] gathers before handing it to its writer.
const SPILL_AT: usize = 1 << 16;

/// Appends `cell` to a row being written in `out`, quoted (with its quotes doubled) if it
/// holds a comma, a quote or a line break: RFC 4180, as [`Csv::row`] writes every cell. A
/// text Excel or WPS would take for a formula (see [`formula_like`]) is written after an
/// apostrophe, so that it opens as the text it is.
pub(crate) fn push_cell(out: &mut String, cell: &str) {
    let guard = formula_like(cell);
    // By bytes: each of the four is one byte in UTF-8, and no other character's bytes are
    // theirs. (A search for any of four `char`s decodes every character: twice as slow on
    // a county's tables of Chinese names.)
    if cell
        .bytes()
        .any(|byte| matches!(byte, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        if guard {
            out.push('\'');
        }
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        if guard {
            out.push('\'');
        }
        out.push_str(cell);
    }
}

/// Whether a spreadsheet would take `cell` for a formula, or `cell` could be read back as
/// one that was guarded: it begins with `=`, `+`, `-` or `@` (or a tab or carriage return)
/// and is not a number such as `-3.20` or `+5`, or it is such a text after apostrophes.
/// Such a cell is written after an apostrophe (OWASP's advice against formula injection);
/// [`unguard`] takes it off again.
///
/// ```text
/// =HYPERLINK("…")  →  '=HYPERLINK("…")      -3.20  →  -3.20      '=x  →  ''=x
/// ```
pub(crate) fn formula_like(cell: &str) -> bool {
    let mut rest = cell;
    while let Some(after) = rest.strip_prefix('\'') {
        rest = after;
    }
    match rest.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !is_number(rest),
        _ => false,
    }
}

/// A cell as it was before [`push_cell`] guarded it: without the apostrophe put before a
/// [`formula_like`] text.
pub(crate) fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => cell,
    }
}

/// A number as a spreadsheet reads one: a sign, digits (with thousands separators), a
/// fraction, a percent sign.
fn is_number(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let body = body.strip_suffix('%').unwrap_or(body);
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    whole.starts_with(|c: char| c.is_ascii_digit())
        && whole.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Checks for the tables that implement [`Spilled`].
#[cfg(test)]
pub(crate) mod spilled_checks {
    use super::Spilled;
    use std::io;

    /// A writer that fails once it is given more than `room` bytes in all.
    struct Full {
        room: usize,
    }

    impl io::Write for Full {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if bytes.len() > self.room {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
            }
            self.room -= bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// `table`'s text is the same whole, spilled at 1, 100 and 4096 bytes (in more than one
    /// piece each time), written a piece at a time and written to an I/O writer; a writer
    /// that fails after `room` bytes (fewer than the text's) has its error returned.
    pub(crate) fn assert_written_alike(table: &impl Spilled, room: usize) {
        let whole = table.whole_text();
        assert!(whole.len() > room.max(4096), "{} bytes", whole.len());
        for spill_at in [1, 100, 4096] {
            let mut spilled = String::new();
            let mut pieces = 0;
            let mut text = String::new();
            table
                .write_text(&mut text, spill_at, |text| {
                    spilled.push_str(text);
                    text.clear();
                    pieces += 1;
                    Ok::<(), std::convert::Infallible>(())
                })
                .unwrap();
            spilled.push_str(&text);
            assert_eq!(spilled, whole);
            assert!(pieces > 1, "spilled at {spill_at} in {pieces} pieces");
        }
        let mut written = String::new();
        table.write_spilled(&mut written).unwrap();
        assert_eq!(written, whole);
        let mut file = Vec::new();
        table.write_io(&mut file).unwrap();
        assert_eq!(file, whole.as_bytes());
        let failed = table.write_io(Full { room });
        assert_eq!(
            failed.map_err(|e| e.kind()),
            Err(io::ErrorKind::StorageFull)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_a_spreadsheet_would_run_is_written_after_an_apostrophe() {
        let written = |cell: &str| {
            let mut out = String::new();
            push_cell(&mut out, cell);
            out
        };
        for (cell, expected) in [
            ("=1+1", "'=1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("+x", "'+x"),
            ("-", "'-"),
            ("-x", "'-x"),
            ("\tx", "'\tx"),
            ("=a,b", "\"'=a,b\""),
            ("'=x", "''=x"),
            ("'abc", "'abc"),
            ("-3.20", "-3.20"),
            ("+5", "+5"),
            ("-1,234.50", "\"-1,234.50\""),
            ("50%", "50%"),
            ("张三", "张三"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(written(cell), expected, "{cell:?}");
        }
    }

    /// A table made without a header row is a file as [`Csv::finish`] says: it starts with
    /// the byte-order mark, without which WPS and Excel read its Chinese as GBK.
    #[test]
    fn a_table_without_a_header_starts_with_the_byte_order_mark() {
        assert_eq!(Csv::default().finish(), BOM);
        let mut csv = Csv::default();
        csv.row(&["张三", "-12.30"]);
        assert_eq!(csv.finish(), "\u{feff}张三,-12.30\r\n");
    }

    proptest::proptest! {
        /// Guarding is undone by reading: whatever a text is, the text written (before RFC
        /// quoting) reads back as it, and never starts as a formula a spreadsheet would run.
        #[test]
        fn a_guarded_text_reads_back_as_it_was(cell in "['=+@\\t0-9.,%a-]{0,6}") {
            let guarded = if formula_like(&cell) { format!("'{cell}") } else { cell.clone() };
            proptest::prop_assert_eq!(unguard(&guarded), cell.as_str());
            let first = guarded.chars().next();
            proptest::prop_assert!(
                !matches!(first, Some('=' | '@' | '\t'))
                    && (!matches!(first, Some('+' | '-')) || is_number(&guarded)),
                "{:?}", guarded
            );
        }

        /// A row of displayed cells is the row of their strings.
        #[test]
        fn displayed_cells_are_written_as_their_strings(
            cells in proptest::collection::vec("[a-z,\"\\r\\n 张]{0,6}", 0..6),
            numbers in proptest::collection::vec(-100_000i64..100_000, 0..4),
        ) {
            let mut by_text = Csv::new(&["h"]);
            let mut by_display = Csv::new(&["h"]);
            let yuan: Vec<crate::Yuan> = numbers.iter().map(|&n| crate::Yuan::from_fen(n)).collect();
            let mut texts: Vec<String> = cells.clone();
            texts.extend(yuan.iter().map(ToString::to_string));
            texts.extend(numbers.iter().map(ToString::to_string));
            let mut shown: Vec<&dyn std::fmt::Display> = cells.iter().map(|c| c as &dyn std::fmt::Display).collect();
            shown.extend(yuan.iter().map(|y| y as &dyn std::fmt::Display));
            shown.extend(numbers.iter().map(|n| n as &dyn std::fmt::Display));
            by_text.row(&texts);
            by_display.row_display(&shown);
            proptest::prop_assert_eq!(by_display.finish(), by_text.finish());
        }

        /// A row of cells that write themselves is the row of the same values displayed.
        #[test]
        fn cells_are_written_as_they_display(
            cells in proptest::collection::vec("[a-z,\"\\r\\n 张]{0,6}", 0..4),
            fen in proptest::collection::vec(proptest::num::i64::ANY, 0..4),
            counts in proptest::collection::vec(proptest::num::u32::ANY, 0..3),
            mantissas in proptest::collection::vec((-1_000_000_000_i64..1_000_000_000, 0_u32..8), 0..3),
            member in "[A-Z][0-9]{1,6}",
        ) {
            let yuan: Vec<crate::Yuan> = fen.iter().map(|&n| crate::Yuan::from_fen(n)).collect();
            let decimals: Vec<rust_decimal::Decimal> = mantissas
                .iter()
                .map(|&(m, scale)| rust_decimal::Decimal::new(m, scale))
                .collect();
            let member: crate::MemberId = member
                .parse()
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}")))?;
            let mut shown: Vec<&dyn std::fmt::Display> = vec![&member];
            let mut written: Vec<&dyn Cell> = vec![&member];
            for cell in &cells {
                shown.push(cell);
                written.push(cell);
            }
            shown.extend(yuan.iter().map(|y| y as &dyn std::fmt::Display));
            written.extend(yuan.iter().map(|y| y as &dyn Cell));
            shown.extend(counts.iter().map(|n| n as &dyn std::fmt::Display));
            written.extend(counts.iter().map(|n| n as &dyn Cell));
            shown.extend(decimals.iter().map(|d| d as &dyn std::fmt::Display));
            written.extend(decimals.iter().map(|d| d as &dyn Cell));
            let mut by_display = Csv::new(&["h"]);
            let mut by_cells = Csv::new(&["h"]);
            by_display.row_display(&shown);
            by_cells.row_cells(&written);
            proptest::prop_assert_eq!(by_cells.finish(), by_display.finish());
        }
    }
}
