//! The statements as one `.xlsx` workbook: each table's columns laid out from its CSV, its
//! sheets written (see [`super::xlsx`]) on two threads.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{Scope, ScopedJoinHandle};

use time::Date;

use super::problem::FolderError;
use super::scan::{Irregular, Scan};
use super::xlsx::{self, Rows, Run, Style};
use crate::Result;

/// The widest a column is made, in characters.
const MAX_WIDTH: usize = 48;

/// The most significant digits a number cell keeps exactly (an Excel number is a binary
/// double); a longer number stays text so that the cell equals the CSV.
const MAX_DIGITS: usize = 15;

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// Numbers with two decimals, shown as `#,##0.00`.
    Money,
    /// Whole numbers.
    Whole,
    /// Other numbers (areas, mu × days), shown as Excel's General.
    Number,
}

/// Whether `text` is a plain decimal number, as the statements write them: an optional
/// minus, digits without a leading zero (unless the only digit), an optional fraction.
fn number(text: &str) -> Option<(usize, usize)> {
    let body = text.as_bytes();
    let body = body.strip_prefix(b"-").unwrap_or(body);
    // The whole part runs to the first byte that is not a digit: the end, or a point
    // followed by at least one digit and only digits.
    let whole = body.iter().take_while(|b| b.is_ascii_digit()).count();
    let fraction = match body.get(whole..) {
        Some([]) => 0,
        Some([b'.', rest @ ..]) if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit) => {
            rest.len()
        }
        _ => return None,
    };
    let leading_zero = body.first() == Some(&b'0');
    let ok = whole > 0 && (whole == 1 || !leading_zero);
    // A whole part of `0` is no significant digit.
    let significant = match leading_zero {
        true => fraction,
        false => whole.saturating_add(fraction),
    };
    (ok && significant <= MAX_DIGITS).then_some((whole, fraction))
}

/// Whether a header names an identifier column (codes, member ids), which stays text even
/// when its cells look like numbers.
fn identifier(header: &str) -> bool {
    let lower = header.to_lowercase();
    ["编码", "编号", "code", "member", " id"]
        .iter()
        .any(|word| lower.contains(word))
}

/// A column's kind from its header and all its cells.
#[cfg(test)]
fn kind(header: &str, cells: &[&str]) -> Kind {
    let mut column = Column::new(header);
    for cell in cells {
        column.see(cell);
    }
    column.kind()
}

/// How wide a text shows: two for a CJK or full-width character, one for others.
fn width(text: &str) -> usize {
    if text.is_ascii() {
        return text.len();
    }
    text.chars()
        .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
        .sum()
}

/// How wide `text` shows in `#,##0.00` if it is a number with a whole part of `whole`
/// digits (`1234567.50` as `1,234,567.50`), and as it is if not.
fn money_width(text: &str, number: Option<(usize, usize)>) -> usize {
    match number {
        Some((whole, _)) => width(text).saturating_add(whole.saturating_sub(1) / 3),
        None => width(text),
    }
}

/// A [`FolderError::Workbook`] about the sheet `sheet`.
fn problem(sheet: &str, message: impl Into<String>) -> crate::Error {
    FolderError::Workbook {
        sheet: sheet.to_string(),
        message: message.into(),
    }
    .into()
}

/// A workbook of CSV tables, one sheet each (`(sheet name, CSV text)`): the header row bold
/// and frozen, numbers as numbers (amounts with two decimals as `#,##0.00`, whole numbers
/// as `0`), identifier columns (codes, member ids) and everything else as text, columns as
/// wide as their contents; a text the CSV writer put after an apostrophe because a
/// spreadsheet would take it for a formula (`'=…`) is written as the text itself, which a
/// workbook never runs. The document's creation time is `created`, so that the same
/// statements give the same bytes. A table longer than a sheet (1,048,575 rows under its
/// header) continues on sheets named `NAME (2)`, `NAME (3)`, …; a workbook of no tables
/// has one empty sheet, `Sheet1`.
///
/// Each sheet's rows are written and deflated as they are read, in runs of 65,536 rows
/// shared between as many threads as there are processors, so memory holds the CSV text,
/// the deflated workbook and a few rows a thread, however long the tables.
///
/// # Errors
///
/// [`FolderError::Workbook`] when a sheet's name is not allowed (empty, more than 31
/// characters, one of `[]:*?/\`, a control character, an apostrophe first or last,
/// `History`, or the name of an earlier sheet, case aside), a table has more than 16,384 columns or a cell more than 32,767
/// characters, a CSV cannot be read, or the workbook is larger than 4 GiB.
///
/// # Example
///
/// ```
/// use time::macros::date;
///
/// let csv = "\u{feff}项目 Item,金额 Amount\r\n租金,1350.00\r\n";
/// let bytes = landpool::folder::workbook(&[("租金 Rent", csv)], date!(2019 - 12 - 31))?;
/// assert!(bytes.starts_with(b"PK"));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn workbook(sheets: &[(&str, &str)], created: Date) -> Result<Vec<u8>> {
    workbook_split(sheets, created, MAX_DATA_ROWS, RUN_ROWS)
}

/// The data rows a sheet holds under its header: Excel's 1,048,576 rows less one.
const MAX_DATA_ROWS: usize = 1_048_575;

/// A table's CSV text without its byte-order mark.
fn unmarked(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The CSV records of `text` (a table's CSV without its byte-order mark, or a part of it
/// that begins with a record), read one at a time.
fn records<'a>(
    name: &'a str,
    text: &'a str,
) -> impl Iterator<Item = Result<csv::StringRecord>> + 'a {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records()
        .map(move |record| {
            record.map_err(|e| problem(name, format!("the CSV cannot be read: {e}")))
        })
}

/// What the cells of one column seen so far say about its [`Kind`] and width.
#[derive(Debug, Clone)]
struct Column {
    /// The header names an identifier.
    identifier: bool,
    /// Some non-empty cell is not a number.
    text: bool,
    /// Some non-empty cell.
    filled: bool,
    /// Every number so far has two decimals.
    all_two: bool,
    /// Every number so far is whole.
    all_whole: bool,
    /// The widest cell (or header) as text.
    widest: usize,
    /// The widest cell (or header) if the column is money (numbers with separators).
    widest_money: usize,
}

impl Column {
    fn new(header: &str) -> Column {
        Column {
            identifier: identifier(header),
            text: false,
            filled: false,
            all_two: true,
            all_whole: true,
            widest: width(header),
            widest_money: width(header),
        }
    }

    fn see(&mut self, cell: &str) {
        let number = number(cell);
        self.widest = self.widest.max(width(cell));
        self.widest_money = self.widest_money.max(money_width(cell, number));
        if cell.is_empty() {
            return;
        }
        self.filled = true;
        match number {
            Some((_, places)) => {
                self.all_two &= places == 2;
                self.all_whole &= places == 0;
            }
            None => self.text = true,
        }
    }

    fn kind(&self) -> Kind {
        if self.identifier || self.text || !self.filled {
            Kind::Text
        } else if self.all_two {
            Kind::Money
        } else if self.all_whole {
            Kind::Whole
        } else {
            Kind::Number
        }
    }

    /// The column's width in Excel's characters.
    fn shown(&self) -> u32 {
        let widest = match self.kind() {
            Kind::Money => self.widest_money,
            _ => self.widest,
        };
        u32::try_from(widest.saturating_add(2).clamp(6, MAX_WIDTH)).unwrap_or(10)
    }
}

/// The most data rows in one run of a sheet's rows ([`xlsx::Rows`]): the unit of work of
/// the threads that fill a workbook, small enough that two threads share a long table.
const RUN_ROWS: usize = 1 << 16;

/// A table laid out: each column's [`Column`] (from every cell, so that all the sheets of
/// a long table agree), the number of data rows, and where each run of rows begins in the
/// text without its byte-order mark (runs of [`RUN_ROWS`] from the start of each sheet).
struct Layout {
    columns: Vec<Column>,
    rows: usize,
    starts: Vec<usize>,
    /// The table was read by [`Scan`] (and its runs are read again the same way), not by
    /// the `csv` crate.
    scanned: bool,
}

/// A [`Layout`] being made, record by record.
struct Laying {
    laid: Layout,
    /// A record has been taken: the header.
    header: bool,
    per_sheet: usize,
    per_run: usize,
}

impl Laying {
    fn new(per_sheet: usize, per_run: usize, scanned: bool) -> Laying {
        Laying {
            laid: Layout {
                columns: Vec::new(),
                rows: 0,
                starts: Vec::new(),
                scanned,
            },
            header: false,
            per_sheet,
            per_run,
        }
    }

    /// Takes the record that begins at `start`: the header if it is the first, else a
    /// data row.
    fn take<'c>(&mut self, start: usize, cells: impl Iterator<Item = &'c str>) {
        let laid = &mut self.laid;
        if !self.header {
            self.header = true;
            laid.columns = cells.map(Column::new).collect();
            return;
        }
        if (laid.rows.checked_rem(self.per_sheet).unwrap_or(0)).is_multiple_of(self.per_run) {
            laid.starts.push(start);
        }
        laid.rows = laid.rows.saturating_add(1);
        for (col, cell) in cells.enumerate() {
            match laid.columns.get_mut(col) {
                Some(column) => column.see(cell),
                None => {
                    let mut column = Column::new("");
                    column.see(cell);
                    laid.columns.push(column);
                }
            }
        }
    }
}

/// Lays out the table `text` (CSV) of the sheet `name`, `per_sheet` data rows a sheet, in
/// runs of `per_run` rows: read by [`Scan`] if `scan` and it reads the table, else by the
/// `csv` crate.
fn layout(name: &str, text: &str, per_sheet: usize, per_run: usize, scan: bool) -> Result<Layout> {
    let text = unmarked(text);
    let scanned = match scan {
        true => scanned_layout(text, per_sheet, per_run).ok(),
        false => None,
    };
    let laid = match scanned {
        Some(laid) => laid,
        None => {
            let mut laying = Laying::new(per_sheet, per_run, false);
            for record in records(name, text) {
                let record = record?;
                let start = record.position().map_or(0, csv::Position::byte);
                laying.take(usize::try_from(start).unwrap_or(usize::MAX), record.iter());
            }
            laying.laid
        }
    };
    if laid.columns.len() > xlsx::MAX_COLUMNS {
        return Err(problem(
            name,
            format!(
                "{} columns, more than Excel's {}",
                laid.columns.len(),
                xlsx::MAX_COLUMNS
            ),
        ));
    }
    Ok(laid)
}

/// [`layout`] of `text` (without its byte-order mark) read by [`Scan`].
fn scanned_layout(
    text: &str,
    per_sheet: usize,
    per_run: usize,
) -> std::result::Result<Layout, Irregular> {
    let mut laying = Laying::new(per_sheet, per_run, true);
    let mut scan = Scan::new(text);
    let mut cells = Vec::new();
    while let Some(start) = scan.next_into(&mut cells)? {
        laying.take(start, cells.iter().map(|cell| &**cell));
    }
    Ok(laying.laid)
}

/// A table's CSV text, borrowed or shared between the threads that fill its sheets.
#[derive(Clone)]
enum TableText<'a> {
    Borrowed(&'a str),
    Shared(Arc<String>),
}

impl std::ops::Deref for TableText<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            TableText::Borrowed(text) => text,
            TableText::Shared(text) => text,
        }
    }
}

/// Where a run of rows goes: the table's place among the workbook's tables, the sheet's
/// among the table's, the run's among the sheet's.
type RunKey = (usize, usize, usize);

/// A run of a sheet's rows, to be written on any thread.
struct Piece<'a> {
    key: RunKey,
    /// The sheet's name.
    name: String,
    /// The whole table.
    text: TableText<'a>,
    /// Where the run's first data row begins in the text without its byte-order mark.
    start: usize,
    /// The run's data rows.
    rows: usize,
    /// The sheet's row number (from 0, the header row) of the run's first data row.
    first: usize,
    kinds: Arc<[Kind]>,
    columns: Arc<[xlsx::Column]>,
    /// The table was laid out by [`Scan`]: its rows are read by it again.
    scanned: bool,
}

impl Piece<'_> {
    /// Writes the run's rows, and the header row before them if the run is its sheet's
    /// first.
    fn fill(&self) -> Result<Run> {
        let on = |message: String| problem(&self.name, message);
        let text = unmarked(&self.text);
        let mut sheet = Rows::new(&self.columns);
        let mut written = 0usize;
        if self.scanned {
            let again = || on("the CSV reads differently a second time".into());
            let mut cells = Vec::new();
            if self.first == 1 {
                Scan::new(text).next_into(&mut cells).map_err(|_| again())?;
                self.header(&mut sheet, cells.iter().map(|cell| &**cell))?;
            }
            let mut scan = Scan::from(text, self.start);
            while written < self.rows {
                if scan.next_into(&mut cells).map_err(|_| again())?.is_none() {
                    break;
                }
                self.row(&mut sheet, written, cells.iter().map(|cell| &**cell))?;
                written = written.saturating_add(1);
            }
        } else {
            if self.first == 1 {
                let header = records(&self.name, text)
                    .next()
                    .transpose()?
                    .unwrap_or_default();
                self.header(&mut sheet, header.iter())?;
            }
            let body = text.get(self.start..).unwrap_or_default();
            for record in records(&self.name, body).take(self.rows) {
                self.row(&mut sheet, written, record?.iter())?;
                written = written.saturating_add(1);
            }
        }
        // The run begins where the layout found its first row; a run that reads fewer
        // rows than the layout counted would leave a gap in the sheet.
        if written != self.rows {
            return Err(on(format!(
                "rows {} to {} could not be read again ({written} of {})",
                self.first,
                self.first.saturating_add(self.rows).saturating_sub(1),
                self.rows
            )));
        }
        sheet.finish().map_err(on)
    }

    /// Writes the header row, a cell for each of the table's columns: each the text as it
    /// was before the CSV writer guarded it, as the data rows' text cells are.
    fn header<'c>(&self, sheet: &mut Rows, cells: impl Iterator<Item = &'c str>) -> Result<()> {
        let mut cells = cells;
        for col in 0..self.columns.len() {
            let text = crate::report::csv::unguard(cells.next().unwrap_or(""));
            sheet
                .header(col, text)
                .map_err(|message| problem(&self.name, message))?;
        }
        Ok(())
    }

    /// Writes the run's data row numbered `at` (from 0).
    fn row<'c>(
        &self,
        sheet: &mut Rows,
        at: usize,
        cells: impl Iterator<Item = &'c str>,
    ) -> Result<()> {
        let on = |message: String| problem(&self.name, message);
        let row =
            u32::try_from(self.first.saturating_add(at)).map_err(|_| on("too many rows".into()))?;
        for (col, cell) in cells.enumerate() {
            if cell.is_empty() {
                continue;
            }
            let kind = self.kinds.get(col).copied().unwrap_or(Kind::Text);
            match (kind, number(cell)) {
                (Kind::Money | Kind::Whole | Kind::Number, Some(_)) => {
                    sheet.number(row, col, cell).map_err(on)?;
                }
                // Text as it was before the CSV writer guarded it against being taken for a
                // formula: a workbook's text cells are never run.
                _ => sheet
                    .text(row, col, crate::report::csv::unguard(cell))
                    .map_err(on)?,
            }
        }
        Ok(())
    }
}

/// A sheet's name, its columns and how many runs of rows it has.
type Named = (String, Arc<[xlsx::Column]>, usize);

/// The tables of a workbook being made: each table's sheets by its place.
struct Tables {
    created: Date,
    per_sheet: usize,
    per_run: usize,
    /// Each table's name and its sheets, by place.
    tables: BTreeMap<usize, (String, Vec<Named>)>,
    /// Every sheet's name so far, in lower case.
    names: BTreeSet<String>,
    /// Tables are read by [`Scan`] where it reads them (always, but in tests that compare
    /// it with the `csv` crate).
    scan: bool,
}

impl Tables {
    fn new(created: Date, per_sheet: usize, per_run: usize) -> Tables {
        Tables {
            created,
            per_sheet: per_sheet.max(1),
            per_run: per_run.max(1),
            tables: BTreeMap::new(),
            names: BTreeSet::new(),
            scan: true,
        }
    }

    /// Lays out the table `text` named `name`, at `place` among the tables, and returns
    /// its runs of rows to be written.
    fn add<'a>(&mut self, place: usize, name: &str, text: TableText<'a>) -> Result<Vec<Piece<'a>>> {
        let laid = layout(name, &text, self.per_sheet, self.per_run, self.scan)?;
        let kinds: Arc<[Kind]> = laid.columns.iter().map(Column::kind).collect();
        let columns: Arc<[xlsx::Column]> = laid
            .columns
            .iter()
            .map(|column| xlsx::Column {
                width: column.shown(),
                style: match column.kind() {
                    Kind::Money => Style::Money,
                    Kind::Whole => Style::Whole,
                    Kind::Text | Kind::Number => Style::Plain,
                },
            })
            .collect();
        let count = laid.rows.div_ceil(self.per_sheet).max(1);
        let mut names = Vec::with_capacity(count);
        for part in 0..count {
            let sheet = match part {
                0 => name.to_string(),
                _ => format!("{name} ({})", part.saturating_add(1)),
            };
            xlsx::check_name(&sheet).map_err(|message| problem(&sheet, message))?;
            let lower = sheet.to_lowercase();
            if self.names.contains(&lower) || names.iter().any(|(_, l)| *l == lower) {
                return Err(problem(&sheet, "an earlier sheet has this name"));
            }
            names.push((sheet, lower));
        }
        let mut pieces = Vec::with_capacity(laid.starts.len().max(1));
        let mut starts = laid.starts.iter().copied();
        let mut sheets = Vec::with_capacity(count);
        for (part, (sheet, lower)) in names.into_iter().enumerate() {
            let before = part.saturating_mul(self.per_sheet);
            let rows = laid.rows.saturating_sub(before).min(self.per_sheet);
            let runs = rows.div_ceil(self.per_run).max(1);
            for run in 0..runs {
                let done = run.saturating_mul(self.per_run);
                pieces.push(Piece {
                    key: (place, part, run),
                    name: sheet.clone(),
                    text: text.clone(),
                    start: starts.next().unwrap_or(usize::MAX),
                    rows: rows.saturating_sub(done).min(self.per_run),
                    first: done.saturating_add(1),
                    kinds: Arc::clone(&kinds),
                    columns: Arc::clone(&columns),
                    scanned: laid.scanned,
                });
            }
            self.names.insert(lower);
            sheets.push((sheet, Arc::clone(&columns), runs));
        }
        self.tables.insert(place, (name.to_string(), sheets));
        Ok(pieces)
    }

    /// The workbook of the tables added, their runs of rows written as `filled` (by
    /// [`RunKey`]) says.
    fn finish(self, filled: BTreeMap<RunKey, Result<Run>>) -> Result<xlsx::Package> {
        let mut filled = filled;
        let mut sheets = Vec::new();
        for (place, (table, parts)) in self.tables {
            for (part, (name, columns, runs)) in parts.into_iter().enumerate() {
                let mut written = Vec::with_capacity(runs);
                for run in 0..runs {
                    let rows = filled
                        .remove(&(place, part, run))
                        .ok_or_else(|| problem(&table, "the thread filling the sheet stopped"))??;
                    written.push(rows);
                }
                sheets.push(xlsx::Sheet {
                    name,
                    columns: columns.to_vec(),
                    runs: written,
                    frozen: true,
                });
            }
        }
        xlsx::package(sheets, self.created).map_err(|message| problem("the workbook", message))
    }
}

/// [`workbook`], with at most `per_sheet` data rows on a sheet (a longer table continues
/// on sheets named `NAME (2)`, `NAME (3)`, …, each with the header row), written in runs
/// of `per_run` rows.
fn workbook_split(
    sheets: &[(&str, &str)],
    created: Date,
    per_sheet: usize,
    per_run: usize,
) -> Result<Vec<u8>> {
    workbook_of(Tables::new(created, per_sheet, per_run), sheets)
}

/// The workbook of `sheets` laid out and written as `tables` says.
fn workbook_of(tables: Tables, sheets: &[(&str, &str)]) -> Result<Vec<u8>> {
    let mut tables = tables;
    let mut pieces = Vec::new();
    for (place, (name, text)) in sheets.iter().enumerate() {
        pieces.extend(tables.add(place, name, TableText::Borrowed(text))?);
    }
    pieces.sort_by_key(|piece| std::cmp::Reverse(piece.rows));
    tables
        .finish(fill_all(&pieces))
        .map(xlsx::Package::into_bytes)
}

/// The processors besides the caller's.
fn other_processors() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .saturating_sub(1)
}

/// Writes `pieces` on as many threads as there are processors (each thread takes the next
/// piece not yet taken; a thread that cannot start leaves its share to the others and to
/// this one).
fn fill_all(pieces: &[Piece<'_>]) -> BTreeMap<RunKey, Result<Run>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut filled = Vec::new();
        loop {
            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(piece) = pieces.get(at) else {
                return filled;
            };
            filled.push((piece.key, piece.fill()));
        }
    };
    let helpers = other_processors().min(pieces.len().saturating_sub(1));
    std::thread::scope(|scope| {
        let started: Vec<_> = (0..helpers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("landpool-workbook".into())
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut filled: BTreeMap<RunKey, Result<Run>> = work().into_iter().collect();
        for thread in started {
            // The threads cannot panic; a piece of one that did is reported missing.
            if let Ok(theirs) = thread.join() {
                filled.extend(theirs);
            }
        }
        filled
    })
}

/// Runs of rows waiting to be written.
type Queue = Mutex<mpsc::Receiver<Piece<'static>>>;
/// Runs of rows written, by [`RunKey`].
type Written = Mutex<BTreeMap<RunKey, Result<Run>>>;

/// A [`workbook`] made while the caller makes its tables. Each table handed to
/// [`Background::add`] is laid out (its columns' kinds and widths, a first reading of its
/// CSV) on the caller's thread; the other threads write and deflate its runs of rows, the
/// largest part of the work, while the caller goes on, and the caller writes what is left
/// in [`Background::finish`], beside them, before the workbook is assembled.
pub(crate) struct Background<'scope> {
    tables: Tables,
    sender: Option<mpsc::Sender<Piece<'static>>>,
    queue: Arc<Queue>,
    filled: Arc<Written>,
    threads: Vec<ScopedJoinHandle<'scope, ()>>,
}

impl<'scope> Background<'scope> {
    /// Starts the threads (named `landpool-workbook`) in `scope`: one for each processor
    /// but the caller's, at least one. Those that cannot start leave their share to the
    /// others and to [`Background::finish`].
    pub(crate) fn start<'env>(scope: &'scope Scope<'scope, 'env>, created: Date) -> Self {
        Background::of(scope, Tables::new(created, MAX_DATA_ROWS, RUN_ROWS))
    }

    /// [`Background::start`] for `tables`.
    fn of<'env>(scope: &'scope Scope<'scope, 'env>, tables: Tables) -> Self {
        let (sender, receiver) = mpsc::channel();
        let queue = Arc::new(Mutex::new(receiver));
        let filled: Arc<Written> = Arc::new(Mutex::new(BTreeMap::new()));
        let helpers = other_processors().max(1);
        let threads = (0..helpers)
            .filter_map(|_| {
                let (queue, filled) = (Arc::clone(&queue), Arc::clone(&filled));
                std::thread::Builder::new()
                    .name("landpool-workbook".into())
                    .spawn_scoped(scope, move || fill_queued(&queue, &filled))
                    .ok()
            })
            .collect();
        Background {
            tables,
            sender: Some(sender),
            queue,
            filled,
            threads,
        }
    }

    /// Lays out the table `text` (CSV) for the sheet `name` and queues its sheets to be
    /// filled. Tables may be added in any order: `place` is the table's place among the
    /// workbook's tables (from 0). The text is shared, not copied: the caller has it back
    /// to itself once the workbook is finished.
    ///
    /// # Errors
    ///
    /// [`FolderError::Workbook`] when the CSV cannot be read or a sheet's name is not
    /// allowed (see [`workbook`]).
    pub(crate) fn add(&mut self, place: usize, name: &str, text: Arc<String>) -> Result<()> {
        let pieces = self.tables.add(place, name, TableText::Shared(text))?;
        for piece in pieces {
            let unsent = match &self.sender {
                Some(sender) => sender.send(piece).err().map(|mpsc::SendError(piece)| piece),
                None => Some(piece),
            };
            // Only when no one can receive it: fill it here.
            if let Some(piece) = unsent {
                let run = piece.fill();
                lock(&self.filled).insert(piece.key, run);
            }
        }
        Ok(())
    }

    /// The finished workbook: the sheets not yet filled are filled here, and the sheets
    /// assembled in the order of the tables.
    ///
    /// # Errors
    ///
    /// As [`workbook`], for the first sheet (in their order) that could not be written.
    pub(crate) fn finish(mut self) -> Result<xlsx::Package> {
        drop(self.sender.take());
        fill_queued(&self.queue, &self.filled);
        for thread in std::mem::take(&mut self.threads) {
            // The threads cannot panic; a run of one that did is reported missing.
            let _ = thread.join();
        }
        let filled = std::mem::take(&mut *lock(&self.filled));
        self.tables.finish(filled)
    }
}

/// Fills sheets from `queue` until it is empty and its sender gone.
fn fill_queued(queue: &Queue, filled: &Written) {
    loop {
        // The lock is held while waiting: the other filler waits its turn, and both stop
        // when the sender is gone and nothing is left.
        let next = match queue.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(piece) = next else {
            return;
        };
        let run = piece.fill();
        lock(filled).insert(piece.key, run);
    }
}

/// The filled sheets, locked (a lock poisoned by a panic still holds what was filled).
fn lock(filled: &Written) -> std::sync::MutexGuard<'_, BTreeMap<RunKey, Result<Run>>> {
    filled
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Read;

    /// The workbook as `rust_xlsxwriter` makes it from the same layout (the writer this
    /// module replaced, in its constant-memory mode): the reference for the XML.
    fn reference(sheets: &[(&str, &str)], created: Date, per_sheet: usize) -> Vec<u8> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook};
        let mut book = Workbook::new();
        let date = ExcelDateTime::from_ymd(
            u16::try_from(created.year()).unwrap_or(2000),
            u8::from(created.month()),
            created.day(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        book.set_properties(&DocProperties::new().set_creation_datetime(&date));
        let bold = Format::new()
            .set_bold()
            .set_border_bottom(FormatBorder::Thin);
        let money = Format::new().set_num_format("#,##0.00");
        let whole = Format::new().set_num_format("0");
        // The formats numbered in this order whichever table comes first.
        let mut numbering = book
            .new_worksheet_with_constant_memory()
            .unwrap_or_else(|e| panic!("{e}"));
        for (col, format) in [&bold, &money, &whole].into_iter().enumerate() {
            let c = u16::try_from(col).unwrap_or_default();
            let _ = numbering.set_column_format(c, format);
        }
        let mut made = Vec::new();
        for (name, text) in sheets {
            let laid = layout(name, text, per_sheet, 1, false).unwrap_or_else(|e| panic!("{e}"));
            let mut rows = records(name, unmarked(text)).map(|r| r.unwrap_or_default());
            let header = rows.next().unwrap_or_default();
            let parts = laid.rows.div_ceil(per_sheet).max(1);
            for part in 0..parts {
                let mut sheet = book
                    .new_worksheet_with_constant_memory()
                    .unwrap_or_else(|e| panic!("{e}"));
                let sheet_name = match part {
                    0 => name.to_string(),
                    _ => format!("{name} ({})", part + 1),
                };
                sheet
                    .set_name(&sheet_name)
                    .unwrap_or_else(|e| panic!("{e}"));
                for (col, column) in laid.columns.iter().enumerate() {
                    let c = u16::try_from(col).unwrap_or_default();
                    let _ = sheet.set_column_width(c, column.shown());
                    let _ = match column.kind() {
                        Kind::Money => sheet.set_column_format(c, &money),
                        Kind::Whole => sheet.set_column_format(c, &whole),
                        Kind::Text | Kind::Number => Ok(&mut sheet),
                    };
                }
                let _ = sheet.set_freeze_panes(1, 0);
                for col in 0..laid.columns.len() {
                    let c = u16::try_from(col).unwrap_or_default();
                    let _ = sheet.write_string_with_format(
                        0,
                        c,
                        crate::report::csv::unguard(header.get(col).unwrap_or("")),
                        &bold,
                    );
                }
                for at in 0..per_sheet {
                    let Some(record) = rows.next() else { break };
                    let r = u32::try_from(at + 1).unwrap_or_default();
                    for (col, cell) in record.iter().enumerate() {
                        let c = u16::try_from(col).unwrap_or_default();
                        let kind = laid.columns.get(col).map_or(Kind::Text, Column::kind);
                        let _ = match (kind, cell.parse::<f64>()) {
                            (_, _) if cell.is_empty() => Ok(&mut sheet),
                            (Kind::Money | Kind::Whole | Kind::Number, Ok(value)) => {
                                sheet.write_number(r, c, value)
                            }
                            // Text as it was before the CSV writer guarded it.
                            _ => sheet.write_string(r, c, crate::report::csv::unguard(cell)),
                        };
                    }
                }
                made.push(sheet);
            }
        }
        for sheet in made {
            book.push_worksheet(sheet);
        }
        book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
    }

    /// Each part of a zip by name, in the zip's order, uncompressed.
    fn parts(bytes: &[u8]) -> Vec<(String, String)> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .unwrap_or_else(|e| panic!("not a zip: {e}"));
        (0..zip.len())
            .map(|at| {
                let mut file = zip.by_index(at).unwrap_or_else(|e| panic!("{e}"));
                let mut text = String::new();
                file.read_to_string(&mut text)
                    .unwrap_or_else(|e| panic!("part {at}: {e}"));
                (file.name().map(|n| n.to_string()).unwrap_or_default(), text)
            })
            .collect()
    }

    /// A cell of a generated table: numbers of every width the statements write, text
    /// with what XML and Excel escape, blanks.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => (-99_999_999i64..99_999_999, 0u32..100)
                .prop_map(|(whole, cents)| format!("{whole}.{cents:02}")),
            2 => (0u64..1_000_000).prop_map(|n| n.to_string()),
            1 => (0u64..100_000, 1u32..4).prop_map(|(n, places)| {
                let scale = 10u64.pow(places);
                format!("{}.{:0width$}", n / scale, n % scale, width = places as usize)
            }),
            1 => Just(String::new()),
            1 => Just("-0.00".to_string()),
            1 => Just("007".to_string()),
            1 => Just("1234567890123456.00".to_string()),
            3 => "[a-z 股金租_x0-9A-F&<>\"'\t\n\u{1}\u{fffe}]{0,12}",
            1 => Just("_x0041_ and _x12G4_".to_string()),
            1 => Just(" lead".to_string()),
            // A text the CSV writer guarded: the workbook holds it without the apostrophe.
            1 => Just("'=SUM(A1)".to_string()),
        ]
    }

    /// A table as the statements write it: a header, rows (some shorter or longer).
    fn table() -> impl Strategy<Value = String> {
        let header = prop::collection::vec(
            prop_oneof![
                Just("金额 Amount".to_string()),
                Just("编号 Code".to_string()),
                Just("行次 Line".to_string()),
                // A header the CSV writer guarded: the workbook holds it without the apostrophe.
                Just("'+/- Change".to_string()),
                Just(String::new()),
                "[a-z 项目]{1,8}",
            ],
            0..5,
        );
        let rows = prop::collection::vec(prop::collection::vec(cell(), 0..6), 0..8);
        (header, rows, any::<bool>()).prop_map(|(header, rows, mark)| {
            let mut writer = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new());
            if !header.is_empty() || !rows.is_empty() {
                let _ = writer.write_record(&header);
            }
            for row in &rows {
                let _ = writer.write_record(row);
            }
            let text =
                String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default();
            if mark {
                format!("\u{feff}{text}")
            } else {
                text
            }
        })
    }

    /// `number` as first written, on text: the model of the byte scanner.
    fn number_model(text: &str) -> Option<(usize, usize)> {
        let body = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let ok = !whole.is_empty()
            && digits(whole)
            && digits(fraction)
            && (whole == "0" || !whole.starts_with('0'))
            && !(body.contains('.') && fraction.is_empty());
        let significant = whole.trim_start_matches('0').len() + fraction.len();
        (ok && significant <= MAX_DIGITS).then_some((whole.len(), fraction.len()))
    }

    proptest! {
        #[test]
        fn numbers_are_recognised_as_the_model_recognises_them(
            text in "-?[0-9]{0,17}(\\.[0-9]{0,4})?(\\.[0-9])?[a ]?",
        ) {
            prop_assert_eq!(number(&text), number_model(&text), "{:?}", text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every part of the workbook (its sheets' XML, names, widths, styles, the
        /// document's parts) is what rust_xlsxwriter writes for the same tables.
        #[test]
        fn the_workbook_is_what_rust_xlsxwriter_writes(
            tables in prop::collection::vec(table(), 0..4),
            per_sheet in 1usize..5,
            per_run in 1usize..4,
            day in 1u8..29,
        ) {
            let created = Date::from_calendar_date(2019, time::Month::March, day)
                .unwrap_or_else(|e| panic!("{e}"));
            let names = ["表 T", "Sheet & <2>", "成员账户 Member accounts", "x_x0041_y"];
            let sheets: Vec<(&str, &str)> = names
                .iter()
                .zip(&tables)
                .map(|(name, text)| (*name, text.as_str()))
                .collect();
            let ours = workbook_split(&sheets, created, per_sheet, per_run)
                .unwrap_or_else(|e| panic!("{e}"));
            let theirs = reference(&sheets, created, per_sheet);
            let (ours, theirs) = (parts(&ours), parts(&theirs));
            prop_assert_eq!(ours.len(), theirs.len());
            for ((name, xml), (their_name, their_xml)) in ours.iter().zip(&theirs) {
                prop_assert_eq!(name, their_name);
                prop_assert!(xml == their_xml, "{}:\n{}\n{}", name, xml, their_xml);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Tables read by [`Scan`] make the workbook the `csv` crate's reading makes, and
        /// tables it leaves to the `csv` crate (a quoted cell with text after it, or not
        /// closed) are read by that: the same bytes or the same error either way.
        #[test]
        fn tables_read_here_make_the_workbook_the_csv_crate_makes(
            tables in prop::collection::vec(
                prop_oneof![table(), "[a1.,\"\r\n 股\u{feff}]{0,30}"],
                0..4,
            ),
            per_sheet in 1usize..5,
            per_run in 1usize..4,
        ) {
            let created = time::macros::date!(2019 - 12 - 31);
            let names = ["T1", "T2", "T3", "T4"];
            let sheets: Vec<(&str, &str)> = names
                .iter()
                .zip(&tables)
                .map(|(name, text)| (*name, text.as_str()))
                .collect();
            let scanned = workbook_split(&sheets, created, per_sheet, per_run);
            let mut by_csv = Tables::new(created, per_sheet, per_run);
            by_csv.scan = false;
            let by_csv = workbook_of(by_csv, &sheets);
            prop_assert_eq!(format!("{scanned:?}"), format!("{by_csv:?}"));
        }
    }

    #[test]
    fn columns_are_typed_by_their_cells() {
        assert_eq!(kind("金额 Amount", &["1.00", "-2.50", ""]), Kind::Money);
        assert_eq!(kind("行次 Line", &["1", "2"]), Kind::Whole);
        assert_eq!(kind("交易量(亩·日)", &["2263", "3047.75"]), Kind::Number);
        assert_eq!(kind("科目编码 Code", &["101", "102"]), Kind::Text);
        assert_eq!(kind("项目", &["股金", "1.00"]), Kind::Text);
        assert_eq!(kind("x", &["007"]), Kind::Text);
        assert_eq!(kind("x", &["1234567890123456.00"]), Kind::Text);
        assert_eq!(kind("x", &[""]), Kind::Text);
        assert_eq!(money_width("1234567.50", number("1234567.50")), 12);
        assert_eq!(money_width("股金", None), 4);
        assert_eq!(width("资产 A"), 6);
    }

    #[test]
    fn a_workbook_filled_on_two_threads_is_the_workbook_made_on_one() {
        let csv = "\u{feff}编号 Code,金额 Amount,行次 Line\r\nA,1.00,1\r\nB,2.50,2\r\n";
        let text = "\u{feff}项目 Item,说明 Note\r\n租金,按亩计\r\n";
        let created = time::macros::date!(2019 - 12 - 31);
        let tables = [("表 T", csv), ("表 U", text), ("表 V", csv)];
        let alone = workbook(&tables, created);
        assert!(alone.is_ok());
        // Tables longer than a sheet, sheets in runs of one row.
        let split = workbook_split(&tables, created, 1, 1);
        assert!(split.is_ok());
        // Added in any order, numbered by their place.
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            let made = std::thread::scope(|scope| {
                let mut background = Background::start(scope, created);
                for place in order {
                    let (name, table) = [("表 T", csv), ("表 U", text), ("表 V", csv)][place];
                    background.add(place, name, Arc::new(table.to_string()))?;
                }
                background.finish().map(xlsx::Package::into_bytes)
            });
            assert_eq!(made.ok(), alone.as_ref().ok().cloned(), "{order:?}");
            let made = std::thread::scope(|scope| {
                let mut background = Background::of(scope, Tables::new(created, 1, 1));
                for place in order {
                    let (name, table) = tables[place];
                    background.add(place, name, Arc::new(table.to_string()))?;
                }
                background.finish().map(xlsx::Package::into_bytes)
            });
            assert_eq!(made.ok(), split.as_ref().ok().cloned(), "{order:?}");
        }
    }

    #[test]
    fn a_run_that_cannot_read_its_rows_again_is_an_error_not_a_gap() {
        let csv = "\u{feff}编号 Code,金额 Amount\r\nA,1.00\r\nB,2.50\r\nC,3.00\r\n";
        let created = time::macros::date!(2019 - 12 - 31);
        let mut tables = Tables::new(created, 10, 2);
        let pieces = tables
            .add(0, "表 T", TableText::Borrowed(csv))
            .unwrap_or_default();
        // Two runs: rows 1-2 and row 3, each readable from where the layout found it.
        assert_eq!(pieces.len(), 2);
        assert!(pieces.iter().all(|piece| piece.fill().is_ok()));
        let Some(mut last) = pieces.into_iter().nth(1) else {
            panic!("no second run");
        };
        last.start = csv.len();
        let Err(problem) = last.fill() else {
            panic!("a run read nothing and was taken for whole");
        };
        assert!(
            problem
                .to_string()
                .contains("rows 3 to 3 could not be read again (0 of 1)"),
            "{problem}"
        );
    }

    #[test]
    fn a_workbook_made_on_two_threads_reports_a_bad_sheet() {
        let csv = "\u{feff}编号 Code,金额 Amount\r\nA,1.00\r\n";
        let created = time::macros::date!(2019 - 12 - 31);
        let made = std::thread::scope(|scope| {
            let mut background = Background::start(scope, created);
            background.add(0, "表 T", Arc::new(csv.to_string()))?;
            background.add(1, "bad [name]", Arc::new(csv.to_string()))?;
            background.finish()
        });
        let Err(crate::Error::Folder(problem)) = made else {
            panic!("{made:?}")
        };
        assert!(problem.to_string().contains("bad [name]"), "{problem}");
        // Names are compared as Excel compares them, case aside.
        let twice = workbook(&[("Rent A", csv), ("rent a", csv)], created);
        let Err(crate::Error::Folder(problem)) = twice else {
            panic!("{twice:?}")
        };
        assert!(problem.to_string().contains("\"rent a\""), "{problem}");
        // Places order the tables; they need not be contiguous.
        let gap = std::thread::scope(|scope| {
            let mut background = Background::start(scope, created);
            background.add(0, "表 T", Arc::new(csv.to_string()))?;
            background.add(2, "表 V", Arc::new(csv.to_string()))?;
            background.finish()
        });
        assert!(gap.is_ok(), "places need not be contiguous: {gap:?}");
    }

    #[test]
    fn a_table_longer_than_a_sheet_continues_on_numbered_sheets() {
        use calamine::{open_workbook_from_rs, Reader, Xlsx};
        let csv = "\u{feff}编号 Code,金额 Amount\r\nA,1.00\r\nB,2.50\r\nC,1234567.89\r\n";
        let sheets = [("表 T", csv), ("空 E", "")];
        let bytes =
            workbook_split(&sheets, time::macros::date!(2019 - 12 - 31), 2, 1).unwrap_or_default();
        let opened: Result<Xlsx<_>, _> = open_workbook_from_rs(std::io::Cursor::new(bytes));
        let Ok(mut book) = opened else {
            panic!("the workbook does not open");
        };
        assert_eq!(book.sheet_names(), ["表 T", "表 T (2)", "空 E"]);
        // Cells as text (a number cell as Excel's value, shown without its format).
        let mut cells = |name: &str| -> Vec<Vec<String>> {
            book.worksheet_range(name)
                .map(|range| {
                    range
                        .rows()
                        .map(|row| row.iter().map(ToString::to_string).collect())
                        .collect()
                })
                .unwrap_or_default()
        };
        let header = ["编号 Code", "金额 Amount"];
        assert_eq!(cells("表 T"), [header, ["A", "1"], ["B", "2.5"]]);
        assert_eq!(cells("表 T (2)"), [header, ["C", "1234567.89"]]);
        assert!(cells("空 E").is_empty());
    }
}

#[cfg(test)]
mod guarded_cells {
    use super::*;

    /// Every cell of a sheet as text, header row first.
    fn cells(bytes: Vec<u8>, sheet: &str) -> Vec<Vec<String>> {
        use calamine::{open_workbook_from_rs, Reader, Xlsx};
        let opened: std::result::Result<Xlsx<_>, _> =
            open_workbook_from_rs(std::io::Cursor::new(bytes));
        let Ok(mut book) = opened else {
            panic!("the workbook does not open");
        };
        book.worksheet_range(sheet)
            .map(|range| {
                range
                    .rows()
                    .map(|row| row.iter().map(ToString::to_string).collect())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A header the CSV writer guarded against being taken for a formula is, like any other
    /// text cell, the text itself in the workbook (which never runs a text cell), not the
    /// text after the CSV's apostrophe.
    #[test]
    fn a_guarded_header_is_written_as_its_text() {
        let mut csv = crate::report::Csv::new(&["+/- 增减 Change", "=备注 Note", "金额 Amount"]);
        csv.row(&["-", "=HYPERLINK(\"x\")", "-12.30"]);
        let text = csv.finish();
        assert_eq!(
            text,
            "\u{feff}'+/- 增减 Change,'=备注 Note,金额 Amount\r\n'-,\"'=HYPERLINK(\"\"x\"\")\",-12.30\r\n"
        );
        let bytes = workbook(&[("T", &text)], time::macros::date!(2019 - 12 - 31))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            cells(bytes, "T"),
            [
                ["+/- 增减 Change", "=备注 Note", "金额 Amount"],
                ["-", "=HYPERLINK(\"x\")", "-12.3"],
            ]
        );
    }
}
