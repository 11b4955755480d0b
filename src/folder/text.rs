//! Reading a file of a book folder: bytes to text (UTF-8 with or without a byte-order mark,
//! or GBK), text to a table of rows with its columns found by their headers.

use std::borrow::Cow;

use super::problem::{Column, Problem, ProblemKind, Problems};
use super::scan::{Irregular, Scan};
use super::schema::{header, names, names_but_units, unit, Col, FileKind};

/// The largest file a book folder may hold: 64 MiB.
pub(crate) const MAX_FILE_BYTES: usize = 64 << 20;

/// The most rows a file may hold.
pub(crate) const MAX_ROWS: usize = 2_000_000;

/// The most rows above the header row looked at for it, when the first row names no
/// column (a title above the header).
const MAX_TITLE_ROWS: usize = 5;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file's text, detected without being told: a UTF-8 byte-order mark means UTF-8; else
/// text that is valid UTF-8 is UTF-8; else it is read as GBK (what Excel on Chinese Windows
/// saves), and it is an error if it is not valid GBK either, or if some of its lines are
/// Chinese in UTF-8 (a file mixing the two, which either way would garble some rows). Binary files, workbooks saved
/// under a `.csv` name, UTF-16 text and empty files are refused with a problem that says so.
/// The text comes with whether it was read as GBK, in which a character GBK has no place for
/// was saved as `?` (see [`Table::gbk`]).
pub(crate) fn decode<'b>(
    file: &str,
    bytes: &'b [u8],
    problems: &mut Problems,
) -> Option<(Cow<'b, str>, bool)> {
    let refuse = |problems: &mut Problems, kind, message: String| {
        problems.push(Problem::file(file, kind, message));
        None
    };
    if bytes.len() > MAX_FILE_BYTES {
        return refuse(
            problems,
            ProblemKind::TooLarge,
            format!(
                "the file has {} bytes; a book folder's file may have at most {MAX_FILE_BYTES}",
                bytes.len()
            ),
        );
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return refuse(
            problems,
            ProblemKind::NotText,
            "this is a zip file (an .xlsx workbook named .csv?), not CSV text; save the sheet as \"CSV UTF-8\" or \"CSV\"".into(),
        );
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return refuse(
            problems,
            ProblemKind::Encoding,
            "this is UTF-16 text (Excel's \"Unicode text\"); save the sheet as \"CSV UTF-8\" or \"CSV\"".into(),
        );
    }
    // `contains` looks for the byte a word at a time; its offset is found only when it is there.
    if let Some(offset) = bytes
        .contains(&0)
        .then(|| bytes.iter().position(|&b| b == 0))
        .flatten()
    {
        return refuse(
            problems,
            ProblemKind::NotText,
            format!("this is a binary file (a zero byte at offset {offset}), not CSV text"),
        );
    }
    let mut gbk = false;
    let text = if let Some(rest) = bytes.strip_prefix(BOM) {
        match std::str::from_utf8(rest) {
            Ok(text) => Cow::Borrowed(text),
            Err(e) => {
                let line = lines(rest)
                    .position(|(start, end)| (start..=end).contains(&e.valid_up_to()))
                    .map_or(1, |at| {
                        u64::try_from(at).unwrap_or(u64::MAX).saturating_add(1)
                    });
                problems.push(Problem::row(
                    file,
                    line,
                    ProblemKind::Encoding,
                    format!(
                        "the file starts with a UTF-8 byte-order mark but this line is not UTF-8 text (byte {} of the file is not); retype it, or save the whole file again as \"CSV UTF-8\"",
                        e.valid_up_to().saturating_add(BOM.len())
                    ),
                ));
                return None;
            }
        }
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) if mixed_encodings(file, bytes, problems) => return None,
            Err(_) => match encoding_rs::GBK
                .decode_without_bom_handling_and_without_replacement(bytes)
            {
                Some(text) => {
                    gbk = true;
                    Cow::Owned(text.into_owned())
                }
                None => {
                    return refuse(
                        problems,
                        ProblemKind::Encoding,
                        "the file is neither UTF-8 nor GBK text; save it as \"CSV UTF-8\"".into(),
                    )
                }
            },
        }
    };
    if let Some((line, c)) = control_character(&text) {
        problems.push(Problem::row(
            file,
            line,
            ProblemKind::NotText,
            format!(
                "this is a binary file (control character U+{:04X} on line {line}), not CSV text",
                u32::from(c)
            ),
        ));
        return None;
    }
    if text.trim().is_empty() {
        return refuse(
            problems,
            ProblemKind::Empty,
            "the file is empty; expected a header row naming its columns, then one row per record"
                .into(),
        );
    }
    Some((text, gbk))
}

/// The lines of `bytes` as `(start, end)` byte offsets, one at a time, the end's line break
/// left out: a line ends at `\n`, `\r\n` or a lone `\r`, counted as the records' lines are.
/// (Neither byte is ever part of a character in UTF-8 or GBK.)
fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = Some(0);
    let mut iter = bytes.iter().enumerate().peekable();
    std::iter::from_fn(move || {
        let from = start?;
        while let Some((at, &byte)) = iter.next() {
            let ends = match byte {
                b'\n' => true,
                b'\r' => iter.peek().map(|&(_, &next)| next) != Some(b'\n'),
                _ => false,
            };
            if ends {
                start = Some(at.saturating_add(1));
                return Some((from, at));
            }
        }
        start = None;
        Some((from, bytes.len()))
    })
}

/// Whether `line` is Chinese text in UTF-8: valid UTF-8 holding a CJK ideograph, with no
/// character outside the ranges Chinese text uses (Latin-1, general punctuation, enclosed
/// numbers, CJK symbols and ideographs, full-width forms). GBK text is seldom that by
/// chance: its two-byte characters read as UTF-8 break off, or give Cyrillic, Arabic, …
/// But some runs of common characters are (甯风安 in GBK is 帷簲 in UTF-8): a line that is
/// GBK text of common characters (GB2312) and as UTF-8 has characters outside them is GBK.
fn chinese_utf8(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    if gb2312(line) && text.chars().any(|c| !c.is_ascii() && !common(c)) {
        return false;
    }
    let ideograph = |c: char| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}');
    text.chars().any(ideograph)
        && text.chars().all(|c| {
            c.is_ascii()
                || ideograph(c)
                || matches!(
                    c,
                    '\u{A0}'..='\u{FF}'
                        | '\u{2000}'..='\u{206F}'
                        | '\u{2100}'..='\u{214F}'
                        | '\u{2460}'..='\u{24FF}'
                        | '\u{3000}'..='\u{33FF}'
                        | '\u{FE30}'..='\u{FE4F}'
                        | '\u{FF00}'..='\u{FFEF}'
                )
        })
}

/// Whether `line` is GB2312 text in GBK: ASCII, and pairs of bytes from 0xA1 (a lead byte
/// up to 0xF7, a trail byte up to 0xFE).
fn gb2312(line: &[u8]) -> bool {
    let mut bytes = line.iter();
    while let Some(&b) = bytes.next() {
        if b.is_ascii() {
            continue;
        }
        match bytes.next() {
            Some(&trail) if (0xA1..=0xF7).contains(&b) && (0xA1..=0xFE).contains(&trail) => {}
            _ => return false,
        }
    }
    true
}

/// Whether `c` is one of the common characters of GB2312, which GBK writes as a pair of
/// bytes from 0xA1.
fn common(c: char) -> bool {
    let mut buffer = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buffer));
    !unmappable && gb2312(&bytes) && bytes.len() == 2
}

/// For a file that is not valid UTF-8 (and has no byte-order mark): whether some of its
/// lines are Chinese text in UTF-8 and others are not UTF-8 (GBK, most likely), a row
/// pasted from a file of the other encoding. Read in either encoding, the rows of the other
/// would be garbled without a word, so the file is refused, naming the first line that is
/// not in the encoding most of its lines are in.
fn mixed_encodings(file: &str, bytes: &[u8], problems: &mut Problems) -> bool {
    // The first line of each kind, and how many lines of each there are.
    let (mut utf8, mut other) = ((None, 0usize), (None, 0usize));
    for (at, (start, end)) in lines(bytes).enumerate() {
        let line = bytes.get(start..end).unwrap_or_default();
        let number = u64::try_from(at).unwrap_or(u64::MAX).saturating_add(1);
        if line.is_ascii() {
            continue;
        }
        let seen = if std::str::from_utf8(line).is_err() {
            &mut other
        } else if chinese_utf8(line) {
            &mut utf8
        } else {
            continue;
        };
        seen.0 = seen.0.or(Some(number));
        seen.1 = seen.1.saturating_add(1);
    }
    let ((Some(first_utf8), utf8_lines), (Some(first_other), other_lines)) = (utf8, other) else {
        return false;
    };
    let problem = if utf8_lines >= other_lines {
        Problem::row(
            file,
            first_other,
            ProblemKind::Encoding,
            format!(
                "this line is not UTF-8 text, while the rest of the file is (line {first_utf8} is): it was saved in another encoding (GBK?) and would be garbled; retype it, or save the whole file again as \"CSV UTF-8\""
            ),
        )
    } else {
        Problem::row(
            file,
            first_utf8,
            ProblemKind::Encoding,
            format!(
                "this line is UTF-8 text, while the rest of the file is GBK (line {first_other} is): read as GBK it would be garbled; retype it, or save the whole file again as \"CSV UTF-8\""
            ),
        )
    };
    problems.push(problem);
    true
}

/// The first control character other than tab, line feed and carriage return, with its line
/// (a line ends at `\n`, `\r\n` or a lone `\r`, as Excel for Mac's "CSV (Macintosh)" ends
/// them, counted as the records' lines are).
fn control_character(text: &str) -> Option<(u64, char)> {
    if !may_hold_control(text.as_bytes()) {
        return None;
    }
    control_character_by_char(text)
}

/// Whether UTF-8 `bytes` may hold a control character other than a tab or a line end: a
/// C0 byte, DEL, or a C1 character (`0xC2` then `0x80..=0x9F`). Bytes are looked at a span
/// at a time, without a branch for each, and a span that holds one of those bytes, or
/// `0xC2` (also the first byte of `¥` and `·`), is looked at byte by byte.
fn may_hold_control(bytes: &[u8]) -> bool {
    const SPAN: usize = 64;
    let odd =
        |b: u8| (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') || b == 0x7F || b == 0xC2;
    let mut at = 0usize;
    for span in bytes.chunks(SPAN) {
        if span.iter().fold(false, |any, &b| any | odd(b)) {
            for (i, &b) in span.iter().enumerate() {
                let c1 = b == 0xC2
                    && matches!(
                        bytes.get(at.saturating_add(i).saturating_add(1)),
                        Some(0x80..=0x9F)
                    );
                if c1 || (b != 0xC2 && odd(b)) {
                    return true;
                }
            }
        }
        at = at.saturating_add(span.len());
    }
    false
}

/// [`control_character`], a character at a time.
fn control_character_by_char(text: &str) -> Option<(u64, char)> {
    let mut line = 1u64;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
            line = line.saturating_add(1);
        } else if c.is_control() && c != '\t' && c != '\r' {
            return Some((line, c));
        }
    }
    None
}

/// The cells of a file's rows, trimmed, one after another in one text, with where each
/// ends: a file's rows take two allocations, not two a row (a town's labour file has half a
/// million rows), and a row is freed with its file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    text: String,
    /// Where each cell ends in `text` (a file has at most [`MAX_FILE_BYTES`]).
    ends: Vec<u32>,
}

/// A row of a file: its line (from 1) and where its cells are in its table's [`Store`].
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) line: u64,
    /// Where its first cell starts in the store's text.
    start: u32,
    /// How many cells it has.
    count: u32,
    /// Its first cell's place among the store's ends.
    first: usize,
}

impl Store {
    /// Row `record`'s cells in this store.
    fn row<'s>(&'s self, record: &'s Record) -> Row<'s> {
        Row {
            record,
            store: self,
        }
    }
}

/// A row's cells, read from its table's store.
#[derive(Debug, Clone, Copy)]
struct Row<'s> {
    record: &'s Record,
    store: &'s Store,
}

impl<'s> Row<'s> {
    /// The cell at `at` (from 0), empty past the row's last.
    fn cell(self, at: usize) -> &'s str {
        self.cell_range(at)
            .and_then(|range| self.store.text.get(range))
            .unwrap_or("")
    }

    /// Where the cell at `at` is in the store's text; `None` past the row's last.
    fn cell_range(self, at: usize) -> Option<std::ops::Range<usize>> {
        let Record {
            start,
            count,
            first,
            ..
        } = *self.record;
        if u32::try_from(at).ok()? >= count {
            return None;
        }
        let end = *self.store.ends.get(first.checked_add(at)?)?;
        let begin = match at.checked_sub(1) {
            None => start,
            Some(before) => *self.store.ends.get(first.checked_add(before)?)?,
        };
        Some(usize::try_from(begin).ok()?..usize::try_from(end).ok()?)
    }

    /// The row's cells.
    fn cells(self) -> impl Iterator<Item = &'s str> + Clone {
        let count = usize::try_from(self.record.count).unwrap_or(0);
        (0..count).map(move |at| self.cell(at))
    }
}

/// A file read into rows, with each of its kind's columns found (or not) in the header row.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) kind: FileKind,
    /// The file's name in the folder.
    pub(crate) file: String,
    /// Per column of the kind, its index in the file's rows.
    pub(crate) index: Vec<Option<usize>>,
    /// The header row as the file has it.
    pub(crate) headers: Vec<String>,
    /// The data rows that are not empty.
    pub(crate) rows: Vec<Record>,
    /// The rows' cells.
    store: Store,
    /// Whether the file was read as GBK (what Excel and WPS save as "CSV" on a Chinese
    /// Windows), which has no place for some rare characters and saves each as `?`.
    pub(crate) gbk: bool,
    /// The columns asked for, by where the asking name is (see [`Table::col`]).
    found: ColumnsFound,
}

/// The positions among a kind's columns of the names asked for, kept by where each name's
/// text is: a reader asks for each cell of a row by name, and comparing texts for each of
/// the 9 million cells of a town's folder took a tenth of reading it. The names are
/// `'static`, so a name's place and length stand for its text for as long as the program
/// runs. Each slot packs a place (below 2^48, as on every 64-bit machine's user memory), a
/// length and a position below 256 into one atomic word, so that the two halves of a file
/// read at once share the slots; a name that does not fit is compared each time. A name
/// is kept in the first free of [`PROBES`] slots from the one its place picks; when all
/// are taken, it is compared again and takes the first.
#[derive(Debug, Default)]
struct ColumnsFound {
    slots: [std::sync::atomic::AtomicU64; SLOTS],
}

/// How many names [`ColumnsFound`] keeps at most, and the bits that pick a slot.
const SLOTS: usize = 1 << SLOT_BITS;
const SLOT_BITS: u32 = 5;

/// How many slots a name may be kept in, from the one its place picks.
const PROBES: usize = 4;

/// A copy starts with no names kept: they are found again as they are asked for.
impl Clone for ColumnsFound {
    fn clone(&self) -> ColumnsFound {
        ColumnsFound::default()
    }
}

impl ColumnsFound {
    /// The position of `en` among `columns`, from its slot or found and kept.
    fn find(&self, columns: &[Col], en: &'static str) -> Option<usize> {
        use std::sync::atomic::Ordering::Relaxed;
        let place = u64::try_from(en.as_ptr() as usize).unwrap_or(u64::MAX);
        let len = u64::try_from(en.len()).unwrap_or(u64::MAX);
        if place >= 1 << 48 || len >= 1 << 8 {
            return columns.iter().position(|col| col.en == en);
        }
        // The place's bits mixed into the top ones (Fibonacci hashing), which pick the first
        // slot to look in: names may lie at places whose low bits are alike.
        let mixed = (place ^ len).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            >> u64::BITS.saturating_sub(SLOT_BITS);
        let first = usize::try_from(mixed).unwrap_or(0);
        let key = (place << 16) | (len << 8);
        // Nearly every name is kept in its first slot: looked at before the others.
        let kept = self.slots.get(first).map_or(0, |slot| slot.load(Relaxed));
        if kept & !0xFF == key {
            return Some(usize::from(u8::try_from(kept & 0xFF).unwrap_or(u8::MAX)));
        }
        // A name is kept in the first of its `PROBES` slots that is free, so that names
        // whose first slots coincide do not take it from each other row after row.
        let slots = (0..PROBES).filter_map(|step| self.slots.get(first.wrapping_add(step) % SLOTS));
        let mut free = None;
        for slot in slots.clone() {
            let kept = slot.load(Relaxed);
            // An empty slot is 0, and no name is at place 0.
            if kept & !0xFF == key {
                return Some(usize::from(u8::try_from(kept & 0xFF).unwrap_or(u8::MAX)));
            }
            if kept == 0 && free.is_none() {
                free = Some(slot);
            }
        }
        let at = columns.iter().position(|col| col.en == en)?;
        // With every slot taken, the first is given to this name.
        if let (Some(slot), Ok(small)) = (free.or(slots.clone().next()), u8::try_from(at)) {
            slot.store(key | u64::from(small), Relaxed);
        }
        Some(at)
    }
}

impl Table {
    /// The position of the column named `en` among the kind's columns.
    pub(crate) fn col(&self, en: &'static str) -> Option<(usize, &'static Col)> {
        let columns = self.kind.columns();
        let at = self.found.find(columns, en)?;
        Some((at, columns.get(at)?))
    }

    /// The column `en` as a problem names it: its number and header in the file, or its own
    /// name when the file does not have it.
    pub(crate) fn column(&self, en: &'static str) -> Column {
        match self.col(en) {
            Some((i, col)) => match self.index.get(i).copied().flatten() {
                Some(at) => Column {
                    number: at.saturating_add(1),
                    name: self.headers.get(at).cloned().unwrap_or_default(),
                },
                None => Column {
                    number: 0,
                    name: header(col),
                },
            },
            None => Column {
                number: 0,
                name: en.to_string(),
            },
        }
    }

    /// The cell of column `en` in `record`, trimmed; `None` when the file has no such column.
    pub(crate) fn cell<'t>(&'t self, record: &'t Record, en: &'static str) -> Option<&'t str> {
        let (i, _) = self.col(en)?;
        let at = self.index.get(i).copied().flatten()?;
        let row = self.store.row(record);
        // Without the apostrophe the folder's writer puts before a text a spreadsheet would
        // take for a formula.
        Some(crate::report::csv::unguard(row.cell(at)))
    }

    /// Whether the file has column `en`.
    pub(crate) fn has(&self, en: &'static str) -> bool {
        self.col(en)
            .and_then(|(i, _)| self.index.get(i).copied().flatten())
            .is_some()
    }
}

/// Line numbers of records from their byte offsets, counted as a text editor counts them:
/// a line ends at `\n`, `\r\n` or a lone `\r`. (The CSV reader's own line numbers are off
/// for files with `\r\n` line ends, and its offsets point at the end of the previous
/// record.) Records come in order, so the count goes forward only.
struct Lines<'t> {
    bytes: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        Lines {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the record whose offset the reader gives as `byte`: the first byte at or
    /// after it that does not end a line starts the record.
    fn at(&mut self, byte: u64) -> u64 {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while self
            .bytes
            .get(start)
            .is_some_and(|&b| b == b'\r' || b == b'\n')
        {
            start = start.saturating_add(1);
        }
        // The bytes from the last record to this one: every `\n` ends a line, and every
        // `\r` not followed by one. (The byte at `start` is neither, so the last `\r` of
        // the span is followed by one only within it.)
        let span = self.bytes.get(self.at..start).unwrap_or_default();
        // Most spans are a row and its line end: found a block of bytes at a time.
        let mut ends = memchr::memchr_iter(b'\n', span).count();
        if memchr::memchr(b'\r', span).is_some() {
            ends = ends.saturating_add(
                span.iter()
                    .enumerate()
                    .filter(|&(at, &b)| {
                        b == b'\r' && span.get(at.saturating_add(1)) != Some(&b'\n')
                    })
                    .count(),
            );
        }
        self.line = self
            .line
            .saturating_add(u64::try_from(ends).unwrap_or(u64::MAX));
        self.at = self.at.max(start);
        self.line
    }
}

/// How many of `bytes` are `wanted`, counted a byte-sized count at a time (no chunk has more
/// than 255), which the compiler does 16 or 32 bytes to an instruction.
fn count_bytes(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(usize::from(u8::MAX))
        .map(|chunk| {
            usize::from(
                chunk
                    .iter()
                    .fold(0u8, |n, &b| n.wrapping_add(u8::from(wanted(b)))),
            )
        })
        .sum()
}

/// Where a quoted cell opens that is never closed, as the byte of its quote and the cell's
/// column (from 0) in its record. The `csv` reader takes the rest of the file into such a
/// cell without a word, so that the rows after it would be lost. Records are read as the
/// `csv` reader reads them: a quote opens a cell only as its first character, `""` in a
/// quoted cell is a quote, and records end at `\n`, `\r\n` or a lone `\r`.
fn unclosed_quote(text: &str) -> Option<(usize, usize)> {
    #[derive(Clone, Copy)]
    enum State {
        StartRecord,
        StartCell,
        Cell,
        Quoted,
        QuoteInQuoted,
    }
    // Most files have no quote at all, which `contains` finds a word at a time.
    if !text.as_bytes().contains(&b'"') {
        return None;
    }
    let mut state = State::StartRecord;
    let mut column = 0usize;
    let mut opened = (0, 0);
    for (at, &b) in text.as_bytes().iter().enumerate() {
        let line_end = b == b'\r' || b == b'\n';
        if let State::StartRecord = state {
            if line_end {
                continue;
            }
            column = 0;
            state = State::StartCell;
        }
        state = match (state, b) {
            (State::StartCell, b'"') => {
                opened = (at, column);
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) | (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b',') => {
                column = column.saturating_add(1);
                State::StartCell
            }
            (_, b'\r' | b'\n') => State::StartRecord,
            _ => State::Cell,
        };
    }
    matches!(state, State::Quoted).then_some(opened)
}

/// Trims white space, including the full-width space (U+3000) and non-breaking spaces.
pub(crate) fn trim(text: &str) -> &str {
    // Most cells start and end with an ASCII character that is not white space, and are
    // their own trimmed text (`char::is_whitespace`'s ASCII characters are these six).
    let kept = |b: Option<&u8>| {
        b.is_some_and(|&b| b.is_ascii() && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' '))
    };
    let bytes = text.as_bytes();
    if bytes.is_empty() || kept(bytes.first()) && kept(bytes.last()) {
        return text;
    }
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// Reads `text` as a CSV table of `kind`. Problems with the header row (missing, unknown or
/// repeated columns) and with rows (too many cells) are collected; the table is returned
/// whenever there is a header row, so that the cells of the columns it has are all checked.
pub(crate) fn table(
    kind: FileKind,
    file: &str,
    text: &str,
    problems: &mut Problems,
) -> Option<Table> {
    table_in(kind, file, text, problems, Space::default())
}

/// Room for a file's rows, made before they are read (see [`Space::for_bytes`]).
#[derive(Debug, Default)]
pub(crate) struct Space {
    store: Store,
    records: Vec<Record>,
}

impl Space {
    /// Room for the rows of a file of `bytes`, enough for all of them: its cells' text is no
    /// longer than the file (in UTF-8), it has no more cells than its commas and line ends
    /// and one more, and no more rows than its line ends and one more (neither byte is ever
    /// part of a character in UTF-8 or GBK). Made by the thread that lets the rows go, it
    /// stays with that thread's heap: a file read into it on a second thread frees its
    /// memory for the first thread's later use.
    pub(crate) fn for_bytes(bytes: &[u8]) -> Space {
        let separators = count_bytes(bytes, |b| b == b',');
        let line_ends = count_bytes(bytes, |b| b == b'\n' || b == b'\r');
        let rows = line_ends.saturating_add(1);
        Space {
            store: Store {
                text: String::with_capacity(bytes.len()),
                ends: Vec::with_capacity(separators.saturating_add(rows)),
            },
            records: Vec::with_capacity(rows),
        }
    }
}

/// A file beyond what a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TooLarge {
    /// More than [`MAX_FILE_BYTES`] bytes of cells.
    Bytes,
    /// More than [`MAX_ROWS`] rows.
    Rows,
}

/// Notes that `file` is `too` large; no table.
fn too_large(too: TooLarge, file: &str, problems: &mut Problems) -> Option<Table> {
    let message = match too {
        TooLarge::Bytes => format!("the file has more than {MAX_FILE_BYTES} bytes of cells"),
        TooLarge::Rows => format!("the file has more than {MAX_ROWS} rows"),
    };
    problems.push(Problem::file(file, ProblemKind::TooLarge, message));
    None
}

/// The rows of a file as they are read: their cells trimmed into the store.
struct Rows<'s, 't> {
    store: &'s mut Store,
    records: &'s mut Vec<Record>,
    lines: Lines<'t>,
}

impl<'t> Rows<'_, 't> {
    /// Takes the row that begins at byte `start` of the text (or at the line ends before
    /// it), with its `cells`: kept if a cell is not empty or it is the first row.
    fn take<'c>(
        &mut self,
        start: usize,
        cells: impl Iterator<Item = &'c str>,
    ) -> Result<(), TooLarge> {
        let line = self.lines.at(u64::try_from(start).unwrap_or(u64::MAX));
        let store = &mut *self.store;
        let from = store.text.len();
        let Ok(text_start) = u32::try_from(from) else {
            return Err(TooLarge::Bytes);
        };
        let first = store.ends.len();
        for cell in cells {
            store.text.push_str(trim(cell));
            let Ok(end) = u32::try_from(store.text.len()) else {
                return Err(TooLarge::Bytes);
            };
            store.ends.push(end);
        }
        let Ok(count) = u32::try_from(store.ends.len().saturating_sub(first)) else {
            return Err(TooLarge::Bytes);
        };
        if self.records.is_empty() || store.text.len() > from {
            self.records.push(Record {
                line,
                start: text_start,
                count,
                first,
            });
        } else {
            store.ends.truncate(first);
        }
        if self.records.len() > MAX_ROWS {
            return Err(TooLarge::Rows);
        }
        Ok(())
    }

    /// Forgets every row taken, to read `text` again from its start.
    fn clear(&mut self, text: &'t str) {
        self.store.text.clear();
        self.store.ends.clear();
        self.records.clear();
        self.lines = Lines::new(text);
    }
}

/// Why a file's rows were not all read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unread {
    /// The file is beyond what a table holds.
    TooLarge(TooLarge),
    /// The `csv` crate could not read the row on `line`.
    NotCsv { line: u64, reason: String },
}

/// Reads the rows of `text` into `rows`: by [`Scan`], whose cells are slices of the text,
/// if `scan` and it reads the text; else (a quoted cell with text after its closing quote,
/// or one never closed) by the `csv` crate, which reads the same rows wherever `Scan` reads
/// them.
fn read_rows<'t>(text: &'t str, rows: &mut Rows<'_, 't>, scan: bool) -> Result<(), Unread> {
    if scan {
        let mut scan = Scan::new(text);
        let mut cells = Vec::new();
        loop {
            match scan.next_into(&mut cells) {
                Ok(Some(start)) => rows
                    .take(start, cells.iter().map(|c| &**c))
                    .map_err(Unread::TooLarge)?,
                Ok(None) => return Ok(()),
                Err(Irregular) => break,
            }
        }
        rows.clear(text);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let start = record.position().map_or(0, csv::Position::byte);
                let start = usize::try_from(start).unwrap_or(usize::MAX);
                rows.take(start, record.iter()).map_err(Unread::TooLarge)?;
            }
            Err(e) => {
                return Err(Unread::NotCsv {
                    line: rows.lines.at(e.position().map_or(0, csv::Position::byte)),
                    reason: e.to_string(),
                })
            }
        }
    }
}

/// [`table`], the rows read into `space`.
pub(crate) fn table_in(
    kind: FileKind,
    file: &str,
    text: &str,
    problems: &mut Problems,
    space: Space,
) -> Option<Table> {
    let Space {
        mut store,
        mut records,
    } = space;
    let mut rows = Rows {
        store: &mut store,
        records: &mut records,
        lines: Lines::new(text),
    };
    match read_rows(text, &mut rows, true) {
        Ok(()) => {}
        Err(Unread::TooLarge(too)) => return too_large(too, file, problems),
        Err(Unread::NotCsv { line, reason }) => {
            problems.push(Problem::row(
                file,
                line,
                ProblemKind::NotText,
                format!("cannot read this row as CSV: {reason}"),
            ));
            return None;
        }
    }
    if let Some((at, column)) = unclosed_quote(text) {
        let mut lines = Lines::new(text);
        let line = lines.at(u64::try_from(at).unwrap_or(u64::MAX));
        let last =
            lines.at(u64::try_from(text.trim_end().len().saturating_sub(1)).unwrap_or(u64::MAX));
        // The header cell of the column, unless the quote is in the header row itself.
        let name = match records.first() {
            Some(head) if head.line < line => store.row(head).cell(column).to_string(),
            _ => String::new(),
        };
        problems.push(Problem {
            column: Some(Column {
                number: column.saturating_add(1),
                name,
            }),
            ..Problem::row(
                file,
                line,
                ProblemKind::NotText,
                format!(
                    "a quote opens this cell and is never closed, so the rest of the file (to line {last}) would be read into it; close the quote or remove it (a quote inside a quoted cell is written twice: \"\")"
                ),
            )
        });
        return None;
    }
    // The data rows are kept in the list they were read into, the header row taken out.
    let Some(head) = records.first().cloned() else {
        problems.push(Problem::file(file, ProblemKind::Empty, "the file is empty"));
        return None;
    };
    records.remove(0);
    let columns = kind.columns();
    let expected = || columns.iter().map(header).collect::<Vec<_>>().join(", ");
    if store.row(&head).cells().all(str::is_empty) {
        problems.push(Problem::row(
            file,
            head.line,
            ProblemKind::Empty,
            format!(
                "the first row is empty; expected a header row with the columns {}",
                expected()
            ),
        ));
        return None;
    }
    // A title row (or rows) above the header row, as a sheet kept in Excel may have: one
    // problem naming the header row, rather than one for every column and row.
    // (A header row below names two columns at least, not one a data row's word might.)
    let columns_named = |record: &Record| {
        store
            .row(record)
            .cells()
            .filter(|cell| {
                columns
                    .iter()
                    .any(|col| names_but_units(cell, col.zh, col.en))
            })
            .count()
    };
    if columns_named(&head) == 0 {
        let below = records
            .iter()
            .take(MAX_TITLE_ROWS)
            .enumerate()
            .find(|(_, record)| columns_named(record) >= 2);
        if let Some((at, header_row)) = below {
            // The rows above the header row that are not empty.
            let rows = at.saturating_add(1);
            problems.push(Problem::row(
                file,
                head.line,
                ProblemKind::UnknownColumn,
                format!(
                    "this row names none of the columns of {}, and line {} does: a file starts with its header row; delete the row{} above it (a title, as a sheet may have)",
                    kind.name(),
                    header_row.line,
                    if rows == 1 { "" } else { "s" },
                ),
            ));
            return None;
        }
    }
    // A header row of one cell with other separators in it (a sheet saved as tab-separated
    // text, or typed with a Chinese input method): one problem saying so, rather than one
    // per column it lacks, and no rows read, since none of them can be. Empty cells after it
    // (`成员编号;姓名,,,`, as a sheet with other rows wider than the header saves it) do not
    // make it a header of columns.
    let headers: Vec<String> = store.row(&head).cells().map(String::from).collect();
    let mut filled = headers
        .iter()
        .enumerate()
        .filter(|(_, cell)| !cell.is_empty());
    if let (Some((at, cell)), None) = (filled.next(), filled.next()) {
        let hint = if cell.contains('，') || cell.contains('；') {
            Some("the header row is one cell with full-width commas (，) in it; separate the cells with half-width commas (,)")
        } else if cell.contains('\t') || cell.contains(';') {
            Some("the header row is one cell with tabs or semicolons in it; save the sheet as CSV (comma-separated)")
        } else {
            None
        };
        if let Some(hint) = hint {
            problems.push(Problem {
                column: Some(Column {
                    number: at.saturating_add(1),
                    name: cell.clone(),
                }),
                ..Problem::row(file, head.line, ProblemKind::UnknownColumn, hint)
            });
            return None;
        }
    }
    let mut index: Vec<Option<usize>> = vec![None; columns.len()];
    // Columns named with a unit that is not theirs.
    let mut in_another_unit: Vec<usize> = Vec::new();
    for (at, cell) in headers.iter().enumerate() {
        if cell.is_empty() {
            continue;
        }
        let column = Column {
            number: at.saturating_add(1),
            name: cell.clone(),
        };
        match columns.iter().position(|col| names(cell, col.zh, col.en)) {
            Some(i) => match index.get_mut(i) {
                Some(slot @ None) => *slot = Some(at),
                Some(Some(first)) => problems.push(Problem {
                    column: Some(column),
                    ..Problem::row(
                        file,
                        head.line,
                        ProblemKind::DuplicateColumn,
                        format!(
                            "this column is already column {}; a file has each column once",
                            first.saturating_add(1)
                        ),
                    )
                }),
                None => {}
            },
            None => {
                let other_unit = columns
                    .iter()
                    .position(|col| names_but_units(cell, col.zh, col.en))
                    .and_then(|i| {
                        let col = columns.get(i)?;
                        Some((i, header(col), unit(col.zh, col.en)?))
                    });
                let hint = if let Some((i, header, unit)) = other_unit {
                    // Its problem is this one, not a missing column.
                    in_another_unit.push(i);
                    format!("the unit in brackets is not the column's: \"{header}\" is in {unit}; convert the values to {unit} and name the column \"{header}\", or leave the unit out")
                } else {
                    format!(
                        "unknown column; the columns of {} are {}",
                        kind.name(),
                        expected()
                    )
                };
                problems.push(Problem {
                    column: Some(column),
                    ..Problem::row(file, head.line, ProblemKind::UnknownColumn, hint)
                });
            }
        }
    }
    for (i, (col, found)) in columns.iter().zip(&index).enumerate() {
        if col.required && found.is_none() && !in_another_unit.contains(&i) {
            problems.push(Problem::row(
                file,
                head.line,
                ProblemKind::MissingColumn,
                format!("missing column \"{}\" ({})", header(col), col.about),
            ));
        }
    }
    let named = |at: usize| headers.get(at).is_some_and(|c| !c.is_empty());
    records.retain(|record| {
        if let Some(problem) = not_a_record(kind, file, &headers, &index, store.row(record)) {
            problems.push(problem);
            return false;
        }
        let stray: Vec<usize> = store
            .row(record)
            .cells()
            .enumerate()
            .filter(|(at, cell)| !cell.is_empty() && !named(*at))
            .map(|(at, _)| at.saturating_add(1))
            .collect();
        if let Some(&first) = stray.first() {
            problems.push(Problem::row(
                file,
                record.line,
                ProblemKind::ExtraCells,
                format!(
                    "{} cell{} in column{} without a header (the first is column {first}); every filled cell needs a column name in the header row",
                    stray.len(),
                    if stray.len() == 1 { "" } else { "s" },
                    if stray.len() == 1 { "" } else { "s" },
                ),
            ));
        }
        true
    });
    Some(Table {
        kind,
        file: file.to_string(),
        index,
        headers,
        rows: records,
        store,
        gbk: false,
        found: ColumnsFound::default(),
    })
}

/// Whether `cell` is the label of a total row, as a sheet kept in Excel has at its foot or
/// between its rows: `合计`, `小计`, `总计`, `共计`, `累计` (or a few characters before one,
/// `本月合计`), `total`, `subtotal` or `sum`, spaced out, with a colon or a unit in brackets.
fn total_label(cell: &str) -> bool {
    const WORDS: [&str; 5] = ["合计", "小计", "总计", "共计", "累计"];
    let key = super::schema::key(cell);
    let key = key.trim_end_matches([':', '：']);
    (WORDS.iter().any(|word| key.ends_with(word)) && key.chars().count() <= 6)
        || ["total", "totals", "subtotal", "grandtotal", "sum"].contains(&key)
}

/// The columns that hold ids or references (of a member, parcel, contract, greenhouse,
/// loan, grant or account), never a sum.
const ID_COLUMNS: [&str; 12] = [
    "member",
    "parcel",
    "contract",
    "other_contract",
    "greenhouse",
    "loan",
    "grant",
    "party",
    "refs",
    "charged_to",
    "account",
    "lender",
];

/// Whether `cell` is a number as a sum under an amount or area column is written: digits
/// with `,` and `.`, a sign, a currency sign or 元 (`¥1,300.50`, `-20`, `300元`).
fn a_number(cell: &str) -> bool {
    let text = cell.trim();
    let text = text.strip_suffix('元').unwrap_or(text);
    let text = text.trim_start_matches(['¥', '￥', '-', '+']);
    text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

/// The problem with a row that is not a record: a total row (a cell labels it one, a
/// required cell is empty, and the label is in a required column or the first required
/// column, the id or the date, is empty or holds the label: the later rows of a contract
/// leave its terms empty, and a memo may say 电费合计; or no label, only numbers, and that
/// first required column empty) or a row with only a note. Read as records, they would give a problem for each required cell they leave
/// empty, none saying what the row is.
fn not_a_record(
    kind: FileKind,
    file: &str,
    headers: &[String],
    index: &[Option<usize>],
    row: Row<'_>,
) -> Option<Problem> {
    let columns = kind.columns();
    let at = |en: &str| {
        columns
            .iter()
            .position(|col| col.en == en)
            .and_then(|i| index.get(i).copied().flatten())
    };
    let cell = |at: usize| row.cell(at);
    let column = |at: usize| Column {
        number: at.saturating_add(1),
        name: headers.get(at).cloned().unwrap_or_default(),
    };
    let required_empty = columns
        .iter()
        .zip(index)
        .any(|(col, found)| col.required && found.is_some_and(|at| cell(at).is_empty()));
    // A label in a required column (`合计` where a kind of cost goes) makes a total row
    // whatever the first column holds (a date, say); in another column (a memo, a note:
    // `电费合计`), only a row whose first required column is empty or the label.
    let required = |at: usize| {
        columns
            .iter()
            .zip(index)
            .any(|(col, found)| col.required && *found == Some(at))
    };
    if required_empty {
        let first = columns
            .iter()
            .zip(index)
            .find_map(|(col, found)| found.filter(|_| col.required));
        let first_free = first.is_none_or(|at| cell(at).is_empty() || total_label(cell(at)));
        let label = row
            .cells()
            .enumerate()
            .position(|(at, c)| total_label(c) && (first_free || required(at)));
        if let Some(label) = label {
            return Some(Problem::row(
                file,
                row.record.line,
                ProblemKind::BadText,
                format!(
                    "this row looks like a total row ({:?} in {}): a book folder takes no totals (a run adds up the rows itself); delete the row",
                    cell(label),
                    column(label)
                ),
            ));
        }
        // A total row without a label: sums under the amount columns, nothing else, and
        // the first required column (the id or the date) empty.
        let mut filled = row
            .cells()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty());
        // A number in a column of ids (a greenhouse `1`, a member `001` that lost its
        // zeros) makes it a record missing its date, not a sum.
        let of_ids = |at: usize| {
            columns
                .iter()
                .zip(index)
                .any(|(col, found)| *found == Some(at) && ID_COLUMNS.contains(&col.en))
        };
        if let (Some(first), Some((sum, _))) = (first, filled.clone().next()) {
            if cell(first).trim().is_empty() && filled.all(|(at, c)| a_number(c) && !of_ids(at)) {
                return Some(Problem::row(
                    file,
                    row.record.line,
                    ProblemKind::BadText,
                    format!(
                        "this row looks like a total row: it holds only numbers ({:?} in {}) and {} is empty; a book folder takes no totals (a run adds up the rows itself): delete the row, or fill in the record's empty cells",
                        cell(sum),
                        column(sum),
                        column(first)
                    ),
                ));
            }
        }
    }
    let note = at("note")?;
    let only_note = row
        .cells()
        .enumerate()
        .all(|(i, c)| (i == note) != c.is_empty());
    only_note.then(|| {
        Problem::row(
            file,
            row.record.line,
            ProblemKind::MissingValue,
            format!(
                "this row has only a note ({}), and notes are not read: every row is a record; delete the row, or put the note on the row of the record it is about",
                column(note)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_sums_are_written() {
        for yes in ["300", "1,300.50", "¥300.00", "￥-20", "300元", " 5 ", "0.5"] {
            assert!(a_number(yes), "{yes}");
        }
        for no in [
            "",
            "-",
            "¥",
            "2019/7/1",
            "2019-07-01",
            "H01",
            "合计",
            "3 mu",
            "1e5",
        ] {
            assert!(!a_number(no), "{no}");
        }
    }

    fn lines_of(text: &str) -> Vec<u64> {
        let mut problems = Problems::default();
        table(FileKind::Harvests, "h.csv", text, &mut problems)
            .map(|t| {
                std::iter::once(1)
                    .chain(t.rows.iter().map(|r| r.line))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn lines_are_counted_as_an_editor_counts_them() {
        let header = "date,greenhouse,kg";
        assert_eq!(
            lines_of(&format!("{header}\r\na,b,c\r\nd,e,f\r\n")),
            [1, 2, 3]
        );
        assert_eq!(lines_of(&format!("{header}\na,b,c\n\nd,e,f\n")), [1, 2, 4]);
        assert_eq!(
            lines_of(&format!("{header}\r\n\"a\r\nb\",b,c\r\n\r\nd,e,f")),
            [1, 2, 5]
        );
        assert_eq!(lines_of(&format!("{header}\ra,b,c\rd,e,f\r")), [1, 2, 3]);
        assert_eq!(lines_of(&format!("{header}\r\n,,\r\nd,e,f\r\n")), [1, 3]);
    }

    /// The line of each offset as the records' lines were counted before they were
    /// counted a span at a time: byte by byte.
    fn lines_byte_by_byte(text: &str, offsets: &[u64]) -> Vec<u64> {
        let bytes = text.as_bytes();
        let (mut at, mut line) = (0usize, 1u64);
        let mut found = Vec::new();
        for &byte in offsets {
            let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
            while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            while at < start {
                let ends = match bytes.get(at) {
                    Some(b'\n') => true,
                    Some(b'\r') => bytes.get(at + 1) != Some(&b'\n'),
                    _ => false,
                };
                line += u64::from(ends);
                at += 1;
            }
            found.push(line);
        }
        found
    }

    #[test]
    fn rows_keep_their_cells_trimmed_whatever_their_widths() {
        let mut problems = Problems::default();
        let text = "date,greenhouse,kg,note\n 2019-03-01 ,GH01,\u{3000}5\u{3000},\n\n,,,\n\"2019-03-02\",\" G,H \"\n2019-03-03,GH03,7,\"a \"\"b\"\"\",,\n";
        let table = table(FileKind::Harvests, "h.csv", text, &mut problems)
            .unwrap_or_else(|| panic!("{problems:?}"));
        let rows: Vec<(u64, Vec<&str>)> = table
            .rows
            .iter()
            .map(|r| (r.line, table.store.row(r).cells().collect()))
            .collect();
        assert_eq!(
            rows,
            [
                (2, vec!["2019-03-01", "GH01", "5", ""]),
                (5, vec!["2019-03-02", "G,H"]),
                (6, vec!["2019-03-03", "GH03", "7", "a \"b\"", "", ""]),
            ]
        );
        let second = table.rows.get(1).unwrap_or_else(|| panic!("no row"));
        assert_eq!(table.store.row(second).cell(2), "");
        assert_eq!(table.store.row(second).cell(usize::MAX), "");
        assert_eq!(table.cell(second, "greenhouse"), Some("G,H"));
        assert_eq!(table.cell(second, "kg"), Some(""));
        assert_eq!(table.headers, ["date", "greenhouse", "kg", "note"]);
    }

    #[test]
    fn room_made_for_a_files_rows_holds_them_all() {
        let text = "date,greenhouse,kg,note\r\n2019-03-01,GH01,5,\"a,b\"\n\n 2019-03-02 ,GH02,6\r2019-03-03,\"G\r\nH\",7,,,\n";
        let space = Space::for_bytes(text.as_bytes());
        let room = (
            space.store.text.capacity(),
            space.store.ends.capacity(),
            space.records.capacity(),
        );
        let mut problems = Problems::default();
        let read = |space| {
            let mut problems = Problems::default();
            table_in(FileKind::Harvests, "h.csv", text, &mut problems, space)
                .unwrap_or_else(|| panic!("{problems:?}"))
        };
        let (made, grown) = (read(space), read(Space::default()));
        let cells = |t: &Table| -> Vec<(u64, Vec<String>)> {
            t.rows
                .iter()
                .map(|r| (r.line, t.store.row(r).cells().map(String::from).collect()))
                .collect()
        };
        let expected: Vec<(u64, Vec<String>)> = [
            (2, vec!["2019-03-01", "GH01", "5", "a,b"]),
            (4, vec!["2019-03-02", "GH02", "6"]),
            (5, vec!["2019-03-03", "G\r\nH", "7", "", "", ""]),
        ]
        .into_iter()
        .map(|(line, row)| (line, row.into_iter().map(String::from).collect()))
        .collect();
        assert_eq!(cells(&made), expected);
        assert_eq!(cells(&grown), expected);
        // Nothing grew: the room was enough.
        assert_eq!(
            (
                made.store.text.capacity(),
                made.store.ends.capacity(),
                made.rows.capacity()
            ),
            room
        );
        assert!(
            room.0 >= text.len() && room.1 >= 17 && room.2 >= 5,
            "{room:?}"
        );
        assert!(table(FileKind::Harvests, "h.csv", text, &mut problems).is_some());
    }

    #[test]
    fn a_column_is_found_by_any_text_of_its_name() {
        let mut problems = Problems::default();
        let header = "date,member,non_member,task,basis,quantity,rate,kind,sheet_date,note";
        let table = table(
            FileKind::Labour,
            "labour.csv",
            &format!("{header}\n2019-03-01,H01,,GH01,按天,1,100,季节工,,x\n"),
            &mut problems,
        )
        .unwrap_or_else(|| panic!("{problems:?}"));
        let row = table.rows.first().unwrap_or_else(|| panic!("no row"));
        // The schema's own texts, the same names in texts of their own (leaked, so
        // `'static`), and each asked for many times over, in turns that share slots.
        let own: Vec<&'static str> = header
            .split(',')
            .map(|name| &*Box::leak(name.to_string().into_boxed_str()))
            .collect();
        for _ in 0..3 {
            for (at, name) in own.iter().enumerate() {
                let (found, col) = table.col(name).unwrap_or_else(|| panic!("{name}"));
                assert_eq!((found, col.en), (at, *name));
                assert_eq!(table.col(col.en).map(|(i, _)| i), Some(at));
            }
            assert_eq!(table.cell(row, "member"), Some("H01"));
            assert_eq!(table.cell(row, own[7]), Some("季节工"));
            assert_eq!(table.cell(row, "sheet_date"), Some(""));
            assert!(table.col("worker").is_none());
            assert!(table.col("").is_none());
        }
    }

    /// The rows of `text` as [`read_rows`] reads them (by [`Scan`] if `scan`): each row's
    /// line and cells.
    fn rows_read(text: &str, scan: bool) -> Result<Vec<(u64, Vec<String>)>, Unread> {
        let (mut store, mut records) = (Store::default(), Vec::new());
        let mut rows = Rows {
            store: &mut store,
            records: &mut records,
            lines: Lines::new(text),
        };
        read_rows(text, &mut rows, scan)?;
        Ok(records
            .iter()
            .map(|record| {
                let cells = store.row(record).cells().map(str::to_string).collect();
                (record.line, cells)
            })
            .collect())
    }

    #[test]
    fn rows_are_read_with_their_lines_and_trimmed_cells() {
        let text = "项目, 金额 \r\n\r\n\"a, b\",\"say \"\"hi\"\"\"\n,\n\rlast,\"two\nlines\"\nend";
        let expected = vec![
            (1, vec!["项目".to_string(), "金额".to_string()]),
            (3, vec!["a, b".to_string(), "say \"hi\"".to_string()]),
            (6, vec!["last".to_string(), "two\nlines".to_string()]),
            (8, vec!["end".to_string()]),
        ];
        // The empty row on line 4 is left out; the first row is kept even when empty.
        assert_eq!(rows_read(text, true), Ok(expected.clone()));
        assert_eq!(rows_read(text, false), Ok(expected));
        assert_eq!(
            rows_read(",\na", true),
            Ok(vec![
                (1, vec![String::new(), String::new()]),
                (2, vec!["a".to_string()])
            ])
        );
        // Text after a closing quote is read as the `csv` crate reads it, on every row.
        let irregular = "a,b\n\"c\"d,e\n\nf";
        let expected = vec![
            (1, vec!["a".to_string(), "b".to_string()]),
            (2, vec!["cd".to_string(), "e".to_string()]),
            (4, vec!["f".to_string()]),
        ];
        assert_eq!(rows_read(irregular, true), Ok(expected));
    }

    proptest::proptest! {
        /// Counting a span's line ends at once counts them as counting byte by byte does,
        /// over spans longer than a count of a byte's size can hold.
        #[test]
        fn lines_counted_a_span_at_a_time_are_counted_as_byte_by_byte(
            text in "[a\r\n]{0,1500}",
            mut offsets in proptest::collection::vec(0..1600u64, 0..8),
        ) {
            offsets.sort_unstable();
            let mut lines = Lines::new(&text);
            let found: Vec<u64> = offsets.iter().map(|&at| lines.at(at)).collect();
            proptest::prop_assert_eq!(found, lines_byte_by_byte(&text, &offsets));
        }

        /// A control character is found, on its line, as looking at each character finds
        /// it, among the bytes a span at a time passes over (`¥` and `·` start with the
        /// byte that starts a C1 control character too).
        #[test]
        fn control_characters_are_found_as_char_by_char(
            text in "[a中¥·\t\r\n\u{0}\u{1}\u{1f}\u{7f}\u{80}\u{9f}\u{a0}]{0,3}",
            filler in 0usize..200,
        ) {
            // The characters after a run of plain ones, so that they fall on the ends of
            // spans too.
            let text = format!("{}{text}", "x".repeat(filler));
            proptest::prop_assert_eq!(control_character(&text), control_character_by_char(&text));
        }

        /// A cell is trimmed of what `char::is_whitespace` calls white space and of
        /// byte-order marks, whatever its ends are.
        #[test]
        fn cells_are_trimmed_of_white_space_at_either_end(
            text in "[ \t\u{b}\u{c}\r\n\u{3000}\u{a0}\u{feff}\u{85}a中,]{0,8}",
        ) {
            let expected = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
            proptest::prop_assert_eq!(trim(&text), expected);
        }

        /// Rows are read by `Scan` as the `csv` crate reads them: the same rows, lines and
        /// trimmed cells, on any text of the bytes CSV gives meaning to.
        #[test]
        fn rows_are_read_as_the_csv_crate_reads_them(text in "[a,\"\r\n 股\u{3000}]{0,40}") {
            proptest::prop_assert_eq!(rows_read(&text, true), rows_read(&text, false), "{:?}", text);
        }

        /// A quote is found unclosed exactly when the `csv` reader would take text after the
        /// end into the last cell: `\nz` after the text is then not a record of its own.
        #[test]
        fn a_quote_is_unclosed_when_the_csv_reader_reads_on(text in "[a,\"\r\n]{0,24}") {
            let records: Vec<Vec<String>> = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(format!("{text}\nz").as_bytes())
                .records()
                .filter_map(Result::ok)
                .map(|r| r.iter().map(str::to_string).collect())
                .collect();
            let swallowed = records.last().is_none_or(|last| last != &["z"]);
            let found = unclosed_quote(&text);
            proptest::prop_assert_eq!(found.is_some(), swallowed, "{:?}", text);
            if let Some((at, _)) = found {
                proptest::prop_assert_eq!(text.as_bytes().get(at), Some(&b'"'));
            }
        }
    }

    #[test]
    fn text_is_detected() {
        let mut problems = Problems::default();
        let gbk = encoding_rs::GBK.encode("日期,大棚\r\n").0;
        assert_eq!(
            decode("a.csv", &gbk, &mut problems),
            Some((Cow::Owned("日期,大棚\r\n".to_string()), true))
        );
        assert_eq!(
            decode("a.csv", "\u{feff}日期".as_bytes(), &mut problems),
            Some((Cow::Borrowed("日期"), false))
        );
        assert_eq!(
            decode("a.csv", "日期".as_bytes(), &mut problems),
            Some((Cow::Borrowed("日期"), false))
        );
        assert!(problems.is_empty());
        for bytes in [
            &b""[..],
            b"\xEF\xBB\xBF \r\n",
            b"\xFF\xFEa\x00",
            b"PK\x03\x04",
            b"a\x00b",
            b"\xEF\xBB\xBF\xFF",
            b"\x81\x20",
            b"a\x01b",
        ] {
            assert!(decode("a.csv", bytes, &mut problems).is_none(), "{bytes:?}");
        }
    }

    #[test]
    fn a_control_character_is_reported_on_its_line_whatever_ends_the_lines() {
        for end in ["\n", "\r\n", "\r"] {
            let text = [
                "日期 date,重量 kg",
                "2019-07-01,10",
                "2019-07-02,1\u{1}1",
                "",
            ]
            .join(end);
            let mut problems = Problems::default();
            assert!(decode("harvests.csv", text.as_bytes(), &mut problems).is_none());
            let Err(crate::Error::Folder(crate::folder::FolderError::Invalid { problems, .. })) =
                problems.into_result()
            else {
                panic!("no problem for {end:?}");
            };
            let found: Vec<(Option<u64>, &str)> = problems
                .iter()
                .map(|p| (p.line, p.message.as_str()))
                .collect();
            assert_eq!(
                found,
                [(
                    Some(3),
                    "this is a binary file (control character U+0001 on line 3), not CSV text"
                )],
                "{end:?}"
            );
        }
    }
}
