//! A table's CSV records read straight from its text, for a book folder's files and the
//! workbook's tables: cells are slices of the text (only a quoted cell with a doubled quote
//! in it is copied), where the `csv` crate copies every cell into a record and checks its
//! UTF-8 again. It reads what the statements and any RFC 4180 writer write: cells separated
//! by `,`, quoted cells with `""` for a quote, records ended by `\r`, `\n` or `\r\n`, blank
//! lines skipped, exactly as the `csv` crate reads them (with `flexible(true)` and no
//! headers). Text it might not read the same way (a quoted cell with text after its closing
//! quote, or one never closed; a record that begins with a byte-order mark, which the `csv`
//! crate drops where it starts reading) is [`Irregular`]: the caller reads that table with
//! the `csv` crate.

use std::borrow::Cow;

/// A byte-order mark.
const MARK: &[u8] = "\u{feff}".as_bytes();

/// The text has a record this reader leaves to the `csv` crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Irregular;

/// The records of a CSV text, one at a time.
#[derive(Debug, Clone)]
pub(super) struct Scan<'a> {
    text: &'a str,
    /// Where the next record (or the blank lines before it) begins.
    at: usize,
}

impl<'a> Scan<'a> {
    /// The records of `text` from its beginning.
    pub(super) fn new(text: &'a str) -> Scan<'a> {
        Scan::from(text, 0)
    }

    /// The records of `text` from the byte `at`: the beginning of a record (or of the
    /// line end or blank lines before it) that an earlier reading found.
    pub(super) fn from(text: &'a str, at: usize) -> Scan<'a> {
        Scan { text, at }
    }

    /// Reads the next record into `cells` (cleared first) and returns where it begins in
    /// the text; `None` when there are no more records.
    ///
    /// # Errors
    ///
    /// [`Irregular`] for a record that begins with a byte-order mark, or a quoted cell
    /// followed by anything but `,`, a line end or the end of the text, or not closed;
    /// `cells` then holds part of the record.
    pub(super) fn next_into(
        &mut self,
        cells: &mut Vec<Cow<'a, str>>,
    ) -> Result<Option<usize>, Irregular> {
        let (text, bytes) = (self.text, self.text.as_bytes());
        let line_end = |b: &u8| matches!(b, b'\r' | b'\n');
        // Blank lines (and the line end of the record before) are skipped.
        let mut at = bytes
            .get(self.at..)
            .and_then(|rest| rest.iter().position(|b| !line_end(b)))
            .map_or(bytes.len(), |skipped| self.at.saturating_add(skipped));
        self.at = at;
        if at >= bytes.len() {
            return Ok(None);
        }
        if bytes.get(at..).is_some_and(|rest| rest.starts_with(MARK)) {
            return Err(Irregular);
        }
        let start = at;
        cells.clear();
        // Where the record's line ends (at the text's end for the last): an unquoted cell
        // ends at the first comma before it, or at it. A quoted cell may hold line ends:
        // after one that ends beyond this line end, the next is looked for from there.
        let line_end_from = |from: usize| {
            bytes
                .get(from..)
                .and_then(|rest| memchr::memchr2(b'\r', b'\n', rest))
                .map_or(bytes.len(), |len| from.saturating_add(len))
        };
        let mut end_of_line = line_end_from(at);
        loop {
            if bytes.get(at) == Some(&b'"') {
                let (cell, after) = quoted(text, at.saturating_add(1))?;
                cells.push(cell);
                at = after;
                if at > end_of_line {
                    end_of_line = line_end_from(at);
                }
                match bytes.get(at) {
                    Some(b',') => at = at.saturating_add(1),
                    None | Some(b'\r' | b'\n') => break,
                    Some(_) => return Err(Irregular),
                }
            } else {
                let end = bytes
                    .get(at..end_of_line)
                    .and_then(|rest| memchr::memchr(b',', rest))
                    .map_or(end_of_line, |len| at.saturating_add(len));
                cells.push(Cow::Borrowed(text.get(at..end).ok_or(Irregular)?));
                at = end;
                match bytes.get(at) {
                    Some(b',') => at = at.saturating_add(1),
                    _ => break,
                }
            }
        }
        self.at = at;
        Ok(Some(start))
    }
}

/// The quoted cell whose text begins at `from` (just after its opening quote), and where
/// its closing quote ends.
fn quoted(text: &str, from: usize) -> Result<(Cow<'_, str>, usize), Irregular> {
    let bytes = text.as_bytes();
    let mut owned: Option<String> = None;
    let mut from = from;
    loop {
        let quote = bytes
            .get(from..)
            .and_then(|rest| memchr::memchr(b'"', rest))
            .map(|len| from.saturating_add(len))
            .ok_or(Irregular)?;
        let after = quote.saturating_add(1);
        if bytes.get(after) == Some(&b'"') {
            // A doubled quote: the text up to and with one quote, then on after both.
            owned
                .get_or_insert_with(String::new)
                .push_str(text.get(from..after).ok_or(Irregular)?);
            from = after.saturating_add(1);
            continue;
        }
        let last = text.get(from..quote).ok_or(Irregular)?;
        let cell = match owned {
            Some(mut owned) => {
                owned.push_str(last);
                Cow::Owned(owned)
            }
            None => Cow::Borrowed(last),
        };
        return Ok((cell, after));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every record of `text` and where it begins, or `Irregular`.
    fn scanned(text: &str) -> Result<Vec<(usize, Vec<String>)>, Irregular> {
        let mut scan = Scan::new(text);
        let mut cells = Vec::new();
        let mut records = Vec::new();
        while let Some(start) = scan.next_into(&mut cells)? {
            records.push((start, cells.iter().map(|c| c.to_string()).collect()));
        }
        Ok(records)
    }

    /// Every record of `text` as the `csv` crate reads it.
    fn read_by_csv(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .into_records()
            .map(|record| {
                let record = record.unwrap_or_else(|e| panic!("{e}"));
                record.iter().map(str::to_string).collect()
            })
            .collect()
    }

    /// The records of `scanned` without where they begin, each checked to be the first
    /// record read from where it begins.
    fn cells_of(text: &str, scanned: Vec<(usize, Vec<String>)>) -> Vec<Vec<String>> {
        let mut cells = Vec::new();
        for (start, record) in &scanned {
            let first = Scan::from(text, *start).next_into(&mut cells);
            assert_eq!(first, Ok(Some(*start)), "{text:?}");
            let again: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
            assert_eq!(&again, record, "{text:?} from {start}");
        }
        scanned.into_iter().map(|(_, record)| record).collect()
    }

    #[test]
    fn records_are_read_as_written() {
        let text =
            "项目 Item,\"金额, Amount\"\r\n\r\n\"say \"\"hi\"\"\",\n,\"\"\rlast,\"two\r\nlines\"";
        let records = scanned(text).unwrap_or_else(|_| panic!("irregular"));
        let expected: Vec<(usize, Vec<String>)> = vec![
            (0, vec!["项目 Item".into(), "金额, Amount".into()]),
            (32, vec!["say \"hi\"".into(), String::new()]),
            (46, vec![String::new(), String::new()]),
            (50, vec!["last".into(), "two\r\nlines".into()]),
        ];
        assert_eq!(records, expected);
        assert_eq!(cells_of(text, records), read_by_csv(text));
        // A byte-order mark in a record is text; one that begins a record is left to
        // the csv crate (which drops it where it starts reading).
        assert_eq!(
            scanned("a,\u{feff}b"),
            Ok(vec![(0, vec!["a".into(), "\u{feff}b".into()])])
        );
        assert_eq!(scanned("\u{feff}a"), Err(Irregular));
        assert_eq!(scanned("a\n\u{feff}b"), Err(Irregular));
        assert_eq!(scanned(""), Ok(Vec::new()));
        assert_eq!(scanned("\r\n\n"), Ok(Vec::new()));
        assert_eq!(
            scanned("a,"),
            Ok(vec![(0, vec!["a".into(), String::new()])])
        );
        // A quote inside an unquoted cell is text.
        assert_eq!(scanned("a\"b"), Ok(vec![(0, vec!["a\"b".into()])]));
        // Left to the csv crate: text after a closing quote, a quote never closed.
        assert_eq!(scanned("\"a\"b,c"), Err(Irregular));
        assert_eq!(scanned("a,\"b"), Err(Irregular));
        assert_eq!(scanned("\"a\" ,b"), Err(Irregular));
    }

    proptest! {
        /// On any text of the bytes CSV gives meaning to, the reader reads what the `csv`
        /// crate reads, record for record and where each begins, or leaves the text to it.
        #[test]
        fn records_are_what_the_csv_crate_reads(text in "[a,\"\r\n 股\u{feff}]{0,40}") {
            if let Ok(records) = scanned(&text) {
                prop_assert_eq!(cells_of(&text, records), read_by_csv(&text), "{:?}", text);
            }
        }

        /// What a CSV writer writes is always read here, never left to the `csv` crate
        /// (unless a record begins with a byte-order mark).
        #[test]
        fn written_tables_are_read_here(
            rows in prop::collection::vec(
                prop::collection::vec("[a-z,\"\r\n 股金.0-9]{0,8}", 0..5),
                0..6,
            ),
            crlf in any::<bool>(),
        ) {
            let mut writer = csv::WriterBuilder::new()
                .flexible(true)
                .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                .from_writer(Vec::new());
            for row in &rows {
                writer.write_record(row).unwrap_or_else(|e| panic!("{e}"));
            }
            let bytes = writer.into_inner().unwrap_or_else(|e| panic!("{e}"));
            let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
            let records = scanned(&text);
            prop_assert!(records.is_ok(), "{:?}", text);
            let records = records.unwrap_or_default();
            prop_assert_eq!(cells_of(&text, records), read_by_csv(&text));
        }
    }
}
