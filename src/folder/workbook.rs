//! The statements as one `.xlsx` workbook, written with `rust_xlsxwriter`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{Scope, ScopedJoinHandle};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet};
use time::Date;

use super::problem::FolderError;
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
    let body = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok = !whole.is_empty()
        && digits(whole)
        && digits(fraction)
        && (whole == "0" || !whole.starts_with('0'))
        && !(body.contains('.') && fraction.is_empty());
    let significant = whole
        .trim_start_matches('0')
        .len()
        .saturating_add(fraction.len());
    (ok && significant <= MAX_DIGITS).then_some((whole.len(), fraction.len()))
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
    text.chars()
        .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
        .sum()
}

/// `1234567.50` as Excel shows it in `#,##0.00`: `1,234,567.50`.
fn shown_width(text: &str, kind: Kind) -> usize {
    match (kind, number(text)) {
        (Kind::Money, Some((whole, _))) => width(text).saturating_add(whole.saturating_sub(1) / 3),
        _ => width(text),
    }
}

fn xlsx(sheet: &str) -> impl Fn(rust_xlsxwriter::XlsxError) -> crate::Error + '_ {
    move |e| {
        FolderError::Workbook {
            sheet: sheet.to_string(),
            message: e.to_string(),
        }
        .into()
    }
}

/// A workbook of CSV tables, one sheet each (`(sheet name, CSV text)`): the header row bold
/// and frozen, numbers as numbers (amounts with two decimals as `#,##0.00`, whole numbers
/// as `0`), identifier columns (codes, member ids) and everything else as text, columns as
/// wide as their contents. The document's creation time is `created`, so that the same
/// statements give the same bytes.
///
/// # Errors
///
/// [`FolderError::Workbook`] when a sheet name is not allowed (more than 31 characters,
/// `[]:*?/\`) or the workbook cannot be written, including when a temporary file cannot be
/// made: each sheet's rows go to a temporary file in the system's temporary directory
/// (`std::env::temp_dir()`, `TMPDIR` on Unix) while the workbook is assembled, so that
/// memory does not grow with the tables.
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
    workbook_split(sheets, created, MAX_DATA_ROWS)
}

/// The data rows a sheet holds under its header: Excel's 1,048,576 rows less one.
const MAX_DATA_ROWS: usize = 1_048_575;

/// The CSV records of a table (without its byte-order mark), read one at a time.
fn records<'a>(
    name: &'a str,
    text: &'a str,
) -> impl Iterator<Item = Result<csv::StringRecord>> + 'a {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes())
        .into_records()
        .map(move |record| {
            record.map_err(|e| {
                FolderError::Workbook {
                    sheet: name.to_string(),
                    message: format!("the CSV cannot be read: {e}"),
                }
                .into()
            })
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
        self.widest = self.widest.max(width(cell));
        self.widest_money = self.widest_money.max(shown_width(cell, Kind::Money));
        if cell.is_empty() {
            return;
        }
        self.filled = true;
        match number(cell) {
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

/// Each column's layout (from every cell, so that all the sheets of a long table agree),
/// and the number of data rows.
fn layout(name: &str, text: &str) -> Result<(Vec<Column>, usize)> {
    let mut columns: Vec<Column> = Vec::new();
    let mut rows = 0usize;
    for (at, record) in records(name, text).enumerate() {
        let record = record?;
        if at == 0 {
            columns = record.iter().map(Column::new).collect();
            continue;
        }
        rows = rows.saturating_add(1);
        for (col, cell) in record.iter().enumerate() {
            match columns.get_mut(col) {
                Some(column) => column.see(cell),
                None => {
                    let mut column = Column::new("");
                    column.see(cell);
                    columns.push(column);
                }
            }
        }
    }
    Ok((columns, rows))
}

/// [`workbook`], with at most `per_sheet` data rows on a sheet: a longer table continues
/// on sheets named `NAME (2)`, `NAME (3)`, …, each with the header row.
fn workbook_split(sheets: &[(&str, &str)], created: Date, per_sheet: usize) -> Result<Vec<u8>> {
    let mut book = Sheets::new(created, per_sheet)?;
    for (name, text) in sheets {
        let job = book.job(name, Cow::Borrowed(*text), layout(name, text)?)?;
        book.push(job.fill()?);
    }
    book.finish()
}

/// A workbook made one table at a time.
///
/// Sheets are written row by row in `rust_xlsxwriter`'s constant-memory mode (each row goes
/// to a temporary file as soon as the next begins), and each table's CSV is read twice, once
/// for its columns' kinds and widths and once to write it, so that memory holds the CSV
/// text, the finished workbook and one row, however long the tables. Number cells take
/// their column's format (set once per column) rather than one of their own, and the zip
/// is deflated at level 2 (the library's default, 6, makes a file about a fifth smaller in
/// much more time; level 3, a large workbook 2% smaller in a tenth more time).
///
/// A table becomes a [`Job`]: its sheets made, named and given their columns and header row
/// here, then filled with the table's rows on any thread, and pushed in the order of the
/// tables. The formats are numbered when the workbook is begun, so the bytes do not depend
/// on which table is made first or which thread fills it.
struct Sheets {
    book: Workbook,
    bold: Format,
    money: Format,
    whole: Format,
    per_sheet: usize,
}

impl Sheets {
    fn new(created: Date, per_sheet: usize) -> Result<Sheets> {
        let mut book = Workbook::new();
        let date = ExcelDateTime::from_ymd(
            u16::try_from(created.year()).unwrap_or(2000),
            u8::from(created.month()),
            created.day(),
        )
        .map_err(xlsx("properties"))?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&date));
        book.set_zip_compression_level(2);
        let mut sheets = Sheets {
            book,
            bold: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            money: Format::new().set_num_format("#,##0.00"),
            whole: Format::new().set_num_format("0"),
            per_sheet: per_sheet.max(1),
        };
        // The formats are numbered in the workbook in the order they are first used. A
        // constant-memory sheet numbers them in the workbook as soon as it uses them, so a
        // sheet that is never added numbers the three here, in this order, whichever table
        // is made first.
        let mut numbering = sheets
            .book
            .new_worksheet_with_constant_memory()
            .map_err(xlsx("formats"))?;
        for (col, format) in [&sheets.bold, &sheets.money, &sheets.whole]
            .into_iter()
            .enumerate()
        {
            let c = u16::try_from(col).unwrap_or_default();
            numbering
                .set_column_format(c, format)
                .map_err(xlsx("formats"))?;
        }
        Ok(sheets)
    }

    /// The sheets of the table `text` (CSV) named `name`, laid out as `laid_out`, with
    /// their columns and header rows, to be filled.
    fn job<'a>(
        &mut self,
        name: &str,
        text: Cow<'a, str>,
        (columns, rows): (Vec<Column>, usize),
    ) -> Result<Job<'a>> {
        let too_many = |what: &str| FolderError::Workbook {
            sheet: name.to_string(),
            message: format!("too many {what}"),
        };
        let parts = rows.div_ceil(self.per_sheet).max(1);
        let header = records(name, &text).next().transpose()?.unwrap_or_default();
        let mut sheets = Vec::with_capacity(parts);
        for part in 0..parts {
            let sheet_name = match part {
                0 => name.to_string(),
                _ => format!("{name} ({})", part.saturating_add(1)),
            };
            let on = xlsx(&sheet_name);
            let mut sheet = self
                .book
                .new_worksheet_with_constant_memory()
                .map_err(&on)?;
            sheet.set_name(&sheet_name).map_err(&on)?;
            for (col, column) in columns.iter().enumerate() {
                let c = u16::try_from(col).map_err(|_| too_many("columns"))?;
                sheet.set_column_width(c, column.shown()).map_err(&on)?;
                // A number cell written without a format takes its column's, looked up
                // by the column's number: cheaper than hashing a format for every cell.
                match column.kind() {
                    Kind::Money => sheet.set_column_format(c, &self.money).map_err(&on)?,
                    Kind::Whole => sheet.set_column_format(c, &self.whole).map_err(&on)?,
                    Kind::Text | Kind::Number => &mut sheet,
                };
            }
            sheet.set_freeze_panes(1, 0).map_err(&on)?;
            for col in 0..columns.len() {
                let c = u16::try_from(col).map_err(|_| too_many("columns"))?;
                let head = header.get(col).unwrap_or("");
                sheet
                    .write_string_with_format(0, c, head, &self.bold)
                    .map_err(&on)?;
            }
            drop(on);
            sheets.push((sheet_name, sheet));
        }
        Ok(Job {
            name: name.to_string(),
            text,
            kinds: columns.iter().map(Column::kind).collect(),
            sheets,
            per_sheet: self.per_sheet,
        })
    }

    /// Adds a table's filled sheets, after those of the tables before it.
    fn push(&mut self, sheets: Vec<Worksheet>) {
        for sheet in sheets {
            self.book.push_worksheet(sheet);
        }
    }

    fn finish(mut self) -> Result<Vec<u8>> {
        self.book.save_to_buffer().map_err(xlsx("the workbook"))
    }
}

/// One table's sheets, made, to be filled with its rows (see [`Sheets`]).
struct Job<'a> {
    name: String,
    text: Cow<'a, str>,
    kinds: Vec<Kind>,
    /// Each sheet with its name.
    sheets: Vec<(String, Worksheet)>,
    per_sheet: usize,
}

impl Job<'_> {
    /// Writes the table's rows into its sheets, `per_sheet` rows each.
    fn fill(self) -> Result<Vec<Worksheet>> {
        let too_many = |what: &str| FolderError::Workbook {
            sheet: self.name.clone(),
            message: format!("too many {what}"),
        };
        let mut records = records(&self.name, &self.text);
        // The header row was written when the sheets were made.
        records.next().transpose()?;
        let mut filled = Vec::with_capacity(self.sheets.len());
        for (sheet_name, mut sheet) in self.sheets {
            let on = xlsx(&sheet_name);
            for at in 0..self.per_sheet {
                let Some(record) = records.next().transpose()? else {
                    break;
                };
                let r = u32::try_from(at.saturating_add(1)).map_err(|_| too_many("rows"))?;
                for (col, cell) in record.iter().enumerate() {
                    let c = u16::try_from(col).map_err(|_| too_many("columns"))?;
                    let kind = self.kinds.get(col).copied().unwrap_or(Kind::Text);
                    match (kind, cell.parse::<f64>()) {
                        (_, _) if cell.is_empty() => {}
                        (Kind::Money | Kind::Whole | Kind::Number, Ok(value)) => {
                            sheet.write_number(r, c, value).map_err(&on)?;
                        }
                        _ => {
                            sheet.write_string(r, c, cell).map_err(&on)?;
                        }
                    }
                }
            }
            filled.push(sheet);
        }
        Ok(filled)
    }
}

/// A numbered table waiting to be filled, and where its filled sheets go.
type Queue = Mutex<mpsc::Receiver<(usize, Job<'static>)>>;
/// Filled tables by number.
type Filled = Mutex<Vec<(usize, Result<Vec<Worksheet>>)>>;

/// A [`workbook`] made while the caller makes its tables. Each table handed to
/// [`Background::add`] is laid out (its columns' kinds and widths, a first reading of its
/// CSV) and its sheets are made on the caller's thread; a second thread fills them with the
/// table's rows, the largest part of the work, while the caller goes on, and the caller
/// fills what is left in [`Background::finish`] before the workbook is assembled.
pub(crate) struct Background<'scope> {
    sheets: Sheets,
    sender: Option<mpsc::Sender<(usize, Job<'static>)>>,
    queue: Arc<Queue>,
    filled: Arc<Filled>,
    thread: Option<ScopedJoinHandle<'scope, ()>>,
    /// The names of the tables added, by their place in the workbook.
    names: BTreeMap<usize, String>,
}

impl<'scope> Background<'scope> {
    /// Starts the thread (named `landpool-workbook`) in `scope`. If it cannot start, the
    /// tables are filled by [`Background::finish`].
    ///
    /// # Errors
    ///
    /// [`FolderError::Workbook`] if the workbook cannot be begun.
    pub(crate) fn start<'env>(scope: &'scope Scope<'scope, 'env>, created: Date) -> Result<Self> {
        let sheets = Sheets::new(created, MAX_DATA_ROWS)?;
        let (sender, receiver) = mpsc::channel();
        let queue = Arc::new(Mutex::new(receiver));
        let filled: Arc<Filled> = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (queue, filled) = (Arc::clone(&queue), Arc::clone(&filled));
            std::thread::Builder::new()
                .name("landpool-workbook".into())
                .spawn_scoped(scope, move || fill_queued(&queue, &filled))
                .ok()
        };
        Ok(Background {
            sheets,
            sender: Some(sender),
            queue,
            filled,
            thread,
            names: BTreeMap::new(),
        })
    }

    /// Lays out the table `text` (CSV) for the sheet `name`, makes its sheets and queues
    /// them to be filled. Tables may be added in any order: `place` is the table's place
    /// among the workbook's tables (from 0).
    ///
    /// # Errors
    ///
    /// [`FolderError::Workbook`] when the CSV cannot be read or a sheet cannot be made (a
    /// name Excel does not allow).
    pub(crate) fn add(&mut self, place: usize, name: &str, text: &str) -> Result<()> {
        let laid_out = layout(name, text)?;
        let job = self
            .sheets
            .job(name, Cow::Owned(text.to_string()), laid_out)?;
        let number = place;
        self.names.insert(place, name.to_string());
        match &self.sender {
            Some(sender) => {
                if let Err(mpsc::SendError((number, job))) = sender.send((number, job)) {
                    // Only when no one can receive it: fill it here.
                    lock(&self.filled).push((number, job.fill()));
                }
            }
            None => lock(&self.filled).push((number, job.fill())),
        }
        Ok(())
    }

    /// The finished workbook: the tables not yet filled are filled here, and the sheets
    /// assembled in the order of the tables.
    ///
    /// # Errors
    ///
    /// As [`workbook`], for the first table (in their order) that could not be written.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>> {
        drop(self.sender.take());
        fill_queued(&self.queue, &self.filled);
        if let Some(thread) = self.thread.take() {
            // The thread cannot panic; if it did, its table is reported missing below.
            let _ = thread.join();
        }
        let mut filled = std::mem::take(&mut *lock(&self.filled));
        filled.sort_by_key(|(number, _)| *number);
        let mut filled = filled.into_iter();
        for (&number, name) in &self.names {
            match filled.next() {
                Some((at, sheets)) if at == number => self.sheets.push(sheets?),
                _ => {
                    return Err(FolderError::Workbook {
                        sheet: name.clone(),
                        message: "the thread filling the sheet stopped".into(),
                    }
                    .into())
                }
            }
        }
        self.sheets.finish()
    }
}

/// Fills tables from `queue` until it is empty and its sender gone.
fn fill_queued(queue: &Queue, filled: &Filled) {
    loop {
        // The lock is held while waiting: the other filler waits its turn, and both stop
        // when the sender is gone and nothing is left.
        let next = match queue.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok((number, job)) = next else {
            return;
        };
        let sheets = job.fill();
        lock(filled).push((number, sheets));
    }
}

/// The filled tables, locked (a lock poisoned by a panic still holds what was filled).
fn lock(filled: &Filled) -> std::sync::MutexGuard<'_, Vec<(usize, Result<Vec<Worksheet>>)>> {
    filled
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(shown_width("1234567.50", Kind::Money), 12);
        assert_eq!(width("资产 A"), 6);
    }

    #[test]
    fn a_workbook_filled_on_two_threads_is_the_workbook_made_on_one() {
        let csv = "\u{feff}编号 Code,金额 Amount,行次 Line\r\nA,1.00,1\r\nB,2.50,2\r\n";
        let text = "\u{feff}项目 Item,说明 Note\r\n租金,按亩计\r\n";
        let created = time::macros::date!(2019 - 12 - 31);
        let alone = workbook(&[("表 T", csv), ("表 U", text), ("表 V", csv)], created);
        assert!(alone.is_ok());
        // Added in any order, numbered by their place.
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            let made = std::thread::scope(|scope| {
                let mut background = Background::start(scope, created)?;
                for place in order {
                    let (name, table) = [("表 T", csv), ("表 U", text), ("表 V", csv)][place];
                    background.add(place, name, table)?;
                }
                background.finish()
            });
            assert_eq!(made.ok(), alone.as_ref().ok().cloned(), "{order:?}");
        }
    }

    #[test]
    fn a_workbook_made_on_two_threads_reports_a_bad_sheet() {
        let csv = "\u{feff}编号 Code,金额 Amount\r\nA,1.00\r\n";
        let created = time::macros::date!(2019 - 12 - 31);
        let made = std::thread::scope(|scope| {
            let mut background = Background::start(scope, created)?;
            background.add(0, "表 T", csv)?;
            background.add(1, "bad [name]", csv)?;
            background.finish()
        });
        let Err(crate::Error::Folder(problem)) = made else {
            panic!("{made:?}")
        };
        assert!(problem.to_string().contains("bad [name]"), "{problem}");
        // Places order the tables; they need not be contiguous.
        let gap = std::thread::scope(|scope| {
            let mut background = Background::start(scope, created)?;
            background.add(0, "表 T", csv)?;
            background.add(2, "表 V", csv)?;
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
            workbook_split(&sheets, time::macros::date!(2019 - 12 - 31), 2).unwrap_or_default();
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
