//! What a season's run writes: every statement as CSV (UTF-8 with a byte-order mark), all of
//! them in one `.xlsx` workbook (feature `xlsx`), receipts as text and as a printable HTML
//! page, the journal for hledger and beancount, and the event log.

use crate::error::io_error;
use std::path::Path;
use std::sync::Arc;

use super::Settings;
use crate::report::csv::Spilled as _;
use crate::report::{self, HouseholdIncome};
use crate::text::IoText;
use crate::{Book, Error, Result};

/// A file a run writes: its name and its bytes.
///
/// # Example
///
/// One of the files of [`statements`] (and [`outputs`]):
///
/// ```
/// use landpool::folder::{statements, BookFolder};
/// use landpool::report;
///
/// let folder = BookFolder::reference()?;
/// let book = folder.run()?;
/// let files = statements(&book, folder.settings())?;
/// let sheet = files.iter().find(|f| f.name == "balance_sheet.csv").ok_or("no balance sheet")?;
/// // The bytes are the statement's CSV text, byte-order mark first.
/// assert!(sheet.bytes.starts_with(report::BOM.as_bytes()));
/// assert_eq!(sheet.bytes, report::balance_sheet(&book, 2019)?.to_csv().into_bytes());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The file's name (`balance_sheet.csv`).
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// The receipts' files, as text and as a printable page, after the tables and the workbook.
const RECEIPTS: [&str; 2] = ["receipts.txt", "receipts.html"];

/// The statements' sheets in the workbook: the CSV file and the sheet's name.
const SHEETS: [(&str, &str); 7] = [
    ("balance_sheet.csv", "资产负债表 Balance sheet"),
    ("surplus_distribution.csv", "盈余及盈余分配表 Surplus"),
    ("member_equity.csv", "成员权益变动表 Equity"),
    ("member_accounts.csv", "成员账户 Member accounts"),
    ("trial_balance.csv", "试算平衡表 Trial balance"),
    ("household_income.csv", "农户收入 Household income"),
    ("asset_register.csv", "固定资产明细 Asset register"),
];

/// The statements of `settings.year` of `book`, in memory: `balance_sheet.csv`,
/// `surplus_distribution.csv`, `member_equity.csv`, `member_accounts.csv`,
/// `trial_balance.csv`, `household_income.csv`, `asset_register.csv` (UTF-8 with a
/// byte-order mark), `statements.xlsx` (those seven as sheets; with the `xlsx` feature, on
/// by default),
/// `receipts.txt` (the text of [`report::receipts`] after a byte-order mark, with CRLF line
/// ends, as the tables have) and `receipts.html`. [`outputs`] adds the journal exports and
/// the event log.
///
/// # Errors
///
/// The errors of the [statements](crate::report); [`super::FolderError::Workbook`] if the
/// workbook cannot be made.
///
/// # Example
///
/// ```
/// use landpool::folder::{statements, BookFolder};
///
/// let folder = BookFolder::reference()?;
/// let book = folder.run()?;
/// let files = statements(&book, folder.settings())?;
/// assert_eq!(files.len(), if cfg!(feature = "xlsx") { 10 } else { 9 });
/// assert_eq!(files.last().map(|f| f.name.as_str()), Some("receipts.html"));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn statements(book: &Book, settings: &Settings) -> Result<Vec<Output>> {
    let (cooperative, year) = (settings.cooperative.as_str(), settings.year);
    let (made, (receipts_txt, receipts_html)) = make_statements(book, settings, |incomes| {
        Ok((
            report::receipts_of(incomes, year, cooperative, report::ReceiptsForm::File),
            receipts_html_of(incomes, year, cooperative),
        ))
    })?;
    let mut out: Vec<Output> = made.into_iter().map(Made::into_output).collect();
    for (name, text) in RECEIPTS.into_iter().zip([receipts_txt, receipts_html]) {
        out.push(Output {
            name: name.to_string(),
            bytes: text.into_bytes(),
        });
    }
    Ok(out)
}

/// Writes the files [`statements`] makes into `dir` (created if need be), with the same
/// bytes, and returns their names in the same order. The receipts go to their files as
/// they are made instead of being held in memory (a county's are hundreds of megabytes),
/// while the tables and the workbook are made. Every file is written under a temporary
/// name (`.receipts.txt.part`), synced to the disk, and renamed once all of them are
/// written, the folder synced after: a run that fails before then replaces none of the
/// folder's files, no temporary file is left behind, and a crash never leaves a file cut
/// short under its name.
///
/// # Errors
///
/// As [`statements`]; [`crate::Error::Io`], naming the file, when the folder cannot be
/// created or a file cannot be written, synced or renamed, or the folder synced.
///
/// # Example
///
/// ```
/// use landpool::folder::{statements, write_statements, BookFolder};
///
/// let folder = BookFolder::reference()?;
/// let book = folder.run()?;
/// let dir = std::env::temp_dir().join(format!("landpool-doc-statements-{}", std::process::id()));
/// let names = write_statements(&book, folder.settings(), &dir)?;
/// // The same files, byte for byte, as the statements made in memory.
/// for file in statements(&book, folder.settings())? {
///     assert_eq!(std::fs::read(dir.join(&file.name)).ok(), Some(file.bytes));
/// }
/// assert_eq!(names.last().map(String::as_str), Some("receipts.html"));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn write_statements(
    book: &Book,
    settings: &Settings,
    dir: impl AsRef<Path>,
) -> Result<Vec<String>> {
    let dir = dir.as_ref();
    let (mut parts, names) = statement_parts(book, settings, dir)?;
    parts.rename_all()?;
    Ok(names)
}

/// The files of [`write_statements`] written into `dir` under their temporary names, not
/// yet renamed, and their names.
fn statement_parts<'a>(
    book: &Book,
    settings: &Settings,
    dir: &'a Path,
) -> Result<(Parts<'a>, Vec<String>)> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "creating the folder", &e))?;
    let (cooperative, year) = (settings.cooperative.as_str(), settings.year);
    // Files not renamed when a `Parts` is dropped are removed: every way out but the last
    // leaves the folder as it was.
    let [txt, html] = RECEIPTS;
    let (tables, mut parts) = make_statements(book, settings, |incomes| {
        let mut receipts = Parts::new(dir);
        receipts.write_with(txt, |out| {
            report::write_receipts(out, incomes, year, cooperative, report::ReceiptsForm::File)
        })?;
        receipts.write_with(html, |out| {
            write_receipts_html(out, incomes, year, cooperative)
        })?;
        Ok(receipts)
    })?;
    // The tables are text and the workbook bytes: each goes to its file as it is, the
    // largest first, shared between this thread and a second one (hundreds of megabytes
    // for a county; the other processor is free by now).
    let mut by_size: Vec<&Made> = tables.iter().collect();
    by_size.sort_by_key(|made| std::cmp::Reverse(made.len()));
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    let (mut my_bytes, mut their_bytes) = (0_usize, 0_usize);
    for made in by_size {
        if my_bytes <= their_bytes {
            my_bytes = my_bytes.saturating_add(made.len());
            mine.push(made);
        } else {
            their_bytes = their_bytes.saturating_add(made.len());
            theirs.push(made);
        }
    }
    let write_all = |parts: &mut Parts<'_>, made: &[&Made]| -> Result<()> {
        made.iter().try_for_each(|made| {
            parts.write_with(&made.name, |out| {
                made.pieces
                    .iter()
                    .try_for_each(|piece| out.write_bytes(piece))
            })
        })
    };
    parts.write_shared(
        |parts| write_all(parts, &mine),
        |parts| write_all(parts, &theirs),
    )?;
    let mut names: Vec<String> = tables.into_iter().map(|made| made.name).collect();
    names.extend(RECEIPTS.map(String::from));
    Ok((parts, names))
}

/// The files [`outputs`] adds to the statements, in its order.
const JOURNALS_AND_EVENTS: [&str; 6] = [
    "general_ledger.csv",
    "journal.csv",
    "vouchers.html",
    "journal.hledger",
    "journal.beancount",
    "events.jsonl",
];

/// The general ledger (总账) and the journal listing (序时账) of `settings.year`.
fn year_books<'b>(
    book: &'b Book,
    settings: &Settings,
) -> Result<(report::GeneralLedger, report::JournalListing<'b>)> {
    let (first, last) = crate::book::year_bounds(settings.year)?;
    Ok((
        report::general_ledger(book, first, last)?,
        report::journal_listing(book, first, last)?,
    ))
}

/// Writes the files [`outputs`] makes into `dir` (created if need be), with the same bytes,
/// and returns their names in the same order: the statements as [`write_statements`] writes
/// them, then the year's general ledger (总账), its journal listing (序时账) and its vouchers
/// (记账凭证), the journal for hledger and for beancount and the event log, each but the
/// general ledger written to its file as it is made rather than held in memory (for a
/// town's year, 260 MB of the last three). Every file is written under a temporary name
/// and renamed once all of them are written, as [`write_statements`] does: a run that
/// fails replaces none of the folder's files and leaves no temporary file behind.
///
/// # Errors
///
/// [`crate::LogError::EventsLeft`], before anything is written, when the book does not keep
/// its events (one opened leaving them in its log); [`crate::LogError::EventTooLarge`] when
/// an event's line would be longer than a log reads; otherwise as [`write_statements`].
///
/// # Example
///
/// ```
/// use landpool::folder::{outputs, write_all_outputs, BookFolder};
///
/// let folder = BookFolder::reference()?;
/// let book = folder.run()?;
/// let dir = std::env::temp_dir().join(format!("landpool-doc-all-{}", std::process::id()));
/// let names = write_all_outputs(&book, folder.settings(), &dir)?;
/// // The same files, byte for byte and in the same order, as the outputs made in memory.
/// let made = outputs(&book, folder.settings())?;
/// assert_eq!(names, made.iter().map(|file| file.name.clone()).collect::<Vec<_>>());
/// for file in made {
///     assert_eq!(std::fs::read(dir.join(&file.name)).ok(), Some(file.bytes));
/// }
/// assert_eq!(names.last().map(String::as_str), Some("events.jsonl"));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn write_all_outputs(
    book: &Book,
    settings: &Settings,
    dir: impl AsRef<Path>,
) -> Result<Vec<String>> {
    if !book.keeps_events() {
        return Err(crate::LogError::EventsLeft {
            events: book.event_count(),
            needed: "folder::write_all_outputs (events.jsonl)",
        }
        .into());
    }
    let dir = dir.as_ref();
    let (general, listing) = year_books(book, settings)?;
    let (mut parts, mut names) = statement_parts(book, settings, dir)?;
    let [ledger, listed, vouchers, hledger, beancount, events] = JOURNALS_AND_EVENTS;
    let cooperative = settings.cooperative.as_str();
    let journals = |parts: &mut Parts<'_>| -> Result<()> {
        let journal = book.journal();
        parts.write_with(ledger, |out| {
            std::fmt::Write::write_str(out, &general.to_csv())
        })?;
        parts.write_with(listed, |out| listing.write_spilled(out))?;
        parts.write_with(vouchers, |out| listing.vouchers_html_into(cooperative, out))?;
        parts.write_with(hledger, |out| journal.hledger_into(out))?;
        parts.write_with(beancount, |out| journal.beancount_into(out))
    };
    let event_log = |parts: &mut Parts<'_>| -> Result<()> {
        // The writer's own errors are `write_with`'s; an event's is kept here.
        let mut refused = None;
        let written = parts.write_with(events, |out| {
            let lines = write_event_lines(book.events(), crate::EventLog::MAX_LINE_BYTES, |line| {
                out.write_bytes(line)
            });
            lines.unwrap_or_else(|error| {
                refused = Some(error);
                Err(std::fmt::Error)
            })
        });
        match refused {
            Some(error) => Err(error),
            None => written,
        }
    };
    // The journals on this thread and the events on a second (each about half the bytes).
    parts.write_shared(journals, event_log)?;
    parts.rename_all()?;
    names.extend(JOURNALS_AND_EVENTS.map(String::from));
    Ok(names)
}

/// A file [`make_statements`] made: a table's text in one piece, or the workbook in the
/// pieces it was made in ([`super::xlsx::Package`]), which [`write_statements`] writes to
/// its file one after another rather than joined first.
struct Made {
    name: String,
    pieces: Vec<Vec<u8>>,
}

impl Made {
    /// The file `name` of `bytes`.
    fn one(name: &str, bytes: Vec<u8>) -> Made {
        Made {
            name: name.to_string(),
            pieces: vec![bytes],
        }
    }

    /// The file `name` of the workbook `package`.
    #[cfg(feature = "xlsx")]
    fn package(name: &str, package: super::xlsx::Package) -> Made {
        Made {
            name: name.to_string(),
            pieces: package.into_pieces(),
        }
    }

    /// Bytes in all.
    fn len(&self) -> usize {
        self.pieces.iter().map(Vec::len).sum()
    }

    /// The file as an [`Output`], its pieces joined.
    fn into_output(self) -> Output {
        Output {
            name: self.name,
            bytes: joined(self.pieces),
        }
    }
}

/// `pieces` as one list of bytes: the only piece itself, when there is one.
pub(super) fn joined(mut pieces: Vec<Vec<u8>>) -> Vec<u8> {
    if pieces.len() == 1 {
        return pieces.pop().unwrap_or_default();
    }
    let mut bytes = Vec::with_capacity(pieces.iter().map(Vec::len).sum());
    for piece in &pieces {
        bytes.extend_from_slice(piece);
    }
    bytes
}

/// The tables and the workbook of [`statements`], and what `receipts` made of the household
/// incomes on a thread of its own (on this one at the end if the thread cannot start).
fn make_statements<R: Send>(
    book: &Book,
    settings: &Settings,
    receipts: impl Fn(&[HouseholdIncome]) -> Result<R> + Sync,
) -> Result<(Vec<Made>, R)> {
    let year = settings.year;
    #[cfg(feature = "xlsx")]
    let created =
        time::Date::from_calendar_date(year, time::Month::December, 31).map_err(|_| {
            Error::Overflow {
                operation: format!("the last day of {year}"),
            }
        })?;
    // The household incomes, then the receipts, are made on a thread of their own from the
    // start, while the tables are made on this thread (the workbook's threads have nothing
    // to fill until the first table is made); the incomes are handed over for their table
    // as soon as they are made. The workbook's runs of rows are written on a thread for each
    // other processor, each as soon as its table is made; the largest tables are made
    // first, so that their sheets are written while the others are made. Errors are those
    // of one pass in this order: the incomes', the tables', the receipts'.
    std::thread::scope(|scope| {
        let (handed, handed_over) = std::sync::mpsc::sync_channel::<Arc<Vec<HouseholdIncome>>>(1);
        let receipts = &receipts;
        let receipts_thread = std::thread::Builder::new()
            .name("landpool-receipts".into())
            .spawn_scoped(scope, move || {
                let incomes = match report::household_income(book, year) {
                    Ok(incomes) => Arc::new(incomes),
                    Err(error) => return Err(error),
                };
                // This thread goes on to the receipts whether or not the tables wait.
                let _ = handed.send(Arc::clone(&incomes));
                Ok(receipts(&incomes))
            })
            .ok();
        // Without the thread (it could not start), the incomes are made here first.
        let here = match receipts_thread {
            Some(_) => None,
            None => Some(Arc::new(report::household_income(book, year)?)),
        };
        let incomes_for_table = || -> Result<Arc<Vec<HouseholdIncome>>> {
            if let Some(incomes) = &here {
                return Ok(Arc::clone(incomes));
            }
            match handed_over.recv() {
                Ok(incomes) => Ok(incomes),
                // The thread stopped before handing them over: they are made again here
                // (its own error, if it had one, is the one reported).
                Err(_) => Ok(Arc::new(report::household_income(book, year)?)),
            }
        };
        let tables = (|| -> Result<Vec<Made>> {
            #[cfg(feature = "xlsx")]
            let mut workbook = super::workbook::Background::start(scope, created);
            // Each table is shared with the workbook's threads, not copied, and had back once
            // the workbook is finished.
            let mut texts: [Option<Arc<String>>; 7] = Default::default();
            let mut made = |place: usize, text: String| -> Result<()> {
                let text = Arc::new(text);
                #[cfg(feature = "xlsx")]
                if let Some((_, sheet)) = SHEETS.get(place) {
                    workbook.add(place, sheet, Arc::clone(&text))?;
                }
                if let Some(slot) = texts.get_mut(place) {
                    *slot = Some(text);
                }
                Ok(())
            };
            // Places in SHEETS: the trial balance (4) and the member accounts (3) are the
            // largest tables, so they are made first.
            made(
                4,
                report::statements::trial_balance_csv_one_writer(book, year)?,
            )?;
            made(
                3,
                report::MemberAccountRow::to_csv(&report::member_accounts(book, year)?),
            )?;
            made(5, HouseholdIncome::to_csv(&incomes_for_table()?))?;
            made(0, report::balance_sheet(book, year)?.to_csv())?;
            made(1, report::surplus_statement(book, year)?.to_csv())?;
            made(2, report::member_equity(book, year)?.to_csv())?;
            made(6, report::asset_register(book, year)?.to_csv())?;
            #[cfg(feature = "xlsx")]
            let workbook = workbook.finish()?;
            let out: Vec<Made> = SHEETS
                .iter()
                .zip(texts)
                .map(|((name, _), text)| {
                    let text = text
                        .map(|text| {
                            Arc::try_unwrap(text).unwrap_or_else(|shared| (*shared).clone())
                        })
                        .unwrap_or_default();
                    Made::one(name, text.into_bytes())
                })
                .collect();
            #[cfg(feature = "xlsx")]
            let out = {
                let mut out = out;
                out.push(Made::package("statements.xlsx", workbook));
                out
            };
            Ok(out)
        })();
        let made = match (receipts_thread.and_then(|thread| thread.join().ok()), here) {
            (Some(made), _) => made?,
            (None, Some(incomes)) => receipts(&incomes),
            (None, None) => receipts(&report::household_income(book, year)?),
        };
        // A table's error comes before the receipts' (what they made is dropped).
        let tables = tables?;
        Ok((tables, made?))
    })
}

/// Everything a season's run writes for `settings.year` of `book`, in memory, so that
/// nothing is written unless all of it could be made: `balance_sheet.csv`,
/// `surplus_distribution.csv`, `member_equity.csv`, `member_accounts.csv`,
/// `trial_balance.csv`, `household_income.csv`, `asset_register.csv` (UTF-8 with a
/// byte-order mark), `statements.xlsx` (those seven as sheets; with the `xlsx` feature, on
/// by default),
/// `receipts.txt`, `receipts.html`, `general_ledger.csv` (the year's general ledger, 总账,
/// from [`crate::report::general_ledger`]), `journal.csv` (the year's journal listing,
/// 序时账, from [`crate::report::journal_listing`]), `vouchers.html` (its entries as
/// printable vouchers, 记账凭证), `journal.hledger`, `journal.beancount` and `events.jsonl`.
///
/// # Errors
///
/// The errors of the [statements](crate::report); [`crate::Error::Json`] if an event
/// cannot be encoded; [`crate::LogError::EventTooLarge`] if an event's line of
/// `events.jsonl` would be longer than [`crate::EventLog::MAX_LINE_BYTES`] (a timesheet of
/// millions of work records on one date), which no reader of the log would take;
/// [`crate::LogError::EventsLeft`] for a book that left its events in its log
/// ([`Book::leave_events`]), before anything is made ([`statements`] and
/// [`write_statements`] make everything else for such a book);
/// [`super::FolderError::Workbook`] if the workbook cannot be made.
///
/// # Example
///
/// ```
/// use landpool::folder::{outputs, BookFolder};
///
/// let folder = BookFolder::reference()?;
/// let book = folder.run()?;
/// let files = outputs(&book, folder.settings())?;
/// let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
/// assert_eq!(names[0], "balance_sheet.csv");
/// assert!(names.contains(&"receipts.html"));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn outputs(book: &Book, settings: &Settings) -> Result<Vec<Output>> {
    if !book.keeps_events() {
        return Err(crate::LogError::EventsLeft {
            events: book.event_count(),
            needed: "folder::outputs (events.jsonl)",
        }
        .into());
    }
    let mut out = statements(book, settings)?;
    let text = |name: &str, text: String| Output {
        name: name.to_string(),
        bytes: text.into_bytes(),
    };
    let [ledger, listed, vouchers, hledger, beancount, events] = JOURNALS_AND_EVENTS;
    let (general, listing) = year_books(book, settings)?;
    out.push(text(ledger, general.to_csv()));
    out.push(text(listed, listing.to_csv()));
    out.push(text(vouchers, listing.vouchers_html(&settings.cooperative)));
    out.push(text(hledger, book.journal().to_hledger()));
    out.push(text(beancount, book.journal().to_beancount()));
    let mut bytes = Vec::new();
    let Ok(()) = write_event_lines(book.events(), crate::EventLog::MAX_LINE_BYTES, |line| {
        bytes.extend_from_slice(line);
        Ok::<(), std::convert::Infallible>(())
    })?;
    out.push(Output {
        name: events.to_string(),
        bytes,
    });
    Ok(out)
}

/// Hands `events` to `out` as the lines of an event log, a line at a time, each no longer
/// than `max_line` bytes: a longer one would make a log that [`crate::EventLog::read`]
/// refuses. An event's error is the outer one, `out`'s first error the inner one.
fn write_event_lines<E>(
    events: &[crate::LoggedEvent],
    max_line: usize,
    mut out: impl FnMut(&[u8]) -> std::result::Result<(), E>,
) -> Result<std::result::Result<(), E>> {
    let mut line = Vec::new();
    for logged in events {
        line.clear();
        logged.write_line(&mut line).map_err(|e| Error::Json {
            context: format!("encoding event {}", logged.id),
            message: e.to_string(),
        })?;
        if line.len() > max_line {
            return Err(crate::LogError::EventTooLarge {
                path: "events.jsonl".to_string(),
                seq: logged.seq,
                id: logged.id.to_string(),
                max: u64::try_from(max_line).unwrap_or(u64::MAX),
            }
            .into());
        }
        line.push(b'\n');
        if let Err(error) = out(&line) {
            return Ok(Err(error));
        }
    }
    Ok(Ok(()))
}

/// Writes `outputs` into `dir` (created if need be), replacing files of the same names.
/// Every file is written under a temporary name (`.name.part`), synced to the disk, and
/// renamed once all of them are written, the folder synced after: a run that fails before
/// then replaces none of the folder's files, no temporary file is left behind, and a crash
/// never leaves a file cut short under its name.
///
/// # Errors
///
/// [`super::FolderError::OutputName`], before anything is written, when a name is not a
/// plain file name (empty, `.` or `..`, longer than 255 bytes, holding `/`, `\`, `:` or
/// NUL, a Windows device name such as `NUL.csv`, or ending in a dot or a space);
/// [`crate::Error::Io`], naming the file, when the folder cannot be created or a file
/// cannot be written, synced or renamed, or the folder synced.
///
/// # Example
///
/// ```
/// use landpool::folder::{write_outputs, FolderError, Output};
/// use landpool::Error;
///
/// let dir = std::env::temp_dir().join(format!("landpool-doc-out-{}", std::process::id()));
/// write_outputs(&dir, &[Output { name: "a.txt".into(), bytes: b"a".to_vec() }])?;
/// assert_eq!(std::fs::read(dir.join("a.txt")).ok(), Some(b"a".to_vec()));
/// let outside = Output { name: "../a.txt".into(), bytes: b"b".to_vec() };
/// assert!(matches!(
///     write_outputs(&dir, &[outside]),
///     Err(Error::Folder(FolderError::OutputName { .. }))
/// ));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn write_outputs(dir: &Path, outputs: &[Output]) -> Result<()> {
    for output in outputs {
        check_output_name(&output.name)?;
    }
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "creating the folder", &e))?;
    let mut parts = Parts::new(dir);
    for output in outputs {
        parts.write_with(&output.name, |out| out.write_bytes(&output.bytes))?;
    }
    parts.rename_all()
}

/// Checks that `name` is one plain file name (see [`super::FolderError::OutputName`]).
fn check_output_name(name: &str) -> Result<()> {
    /// The longest file name most file systems hold, in bytes.
    const MAX_NAME_BYTES: usize = 255;
    let reason = if name.is_empty() {
        Some("it is empty")
    } else if name == "." || name == ".." {
        Some("it names a folder, not a file")
    } else if name.len() > MAX_NAME_BYTES {
        Some("it is longer than 255 bytes")
    } else if name.contains(['/', '\\', '\0']) {
        Some("it holds '/', '\\' or NUL: an output is a file in the folder, not in another")
    } else if name.contains(':') {
        // On Windows `C:x` is a file in drive C's current folder, and `x:y` a stream of `x`.
        Some("it holds ':', which on Windows names a drive or a file's stream, not a file in the folder")
    } else if windows_device(name) {
        Some("Windows reserves it for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9, whatever follows the first dot)")
    } else if name.ends_with(['.', ' ']) {
        Some("it ends in a dot or a space, which Windows drops from a file's name")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(super::FolderError::OutputName {
            name: name.chars().take(80).collect(),
            reason,
        }
        .into()),
        None => Ok(()),
    }
}

/// Whether Windows opens a device rather than a file for `name`: CON, PRN, AUX, NUL, COM1-9
/// or LPT1-9 in any case, alone or before a dot.
fn windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    let upper = stem.to_ascii_uppercase();
    matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper
                .as_bytes()
                .get(3)
                .is_some_and(|b| (b'1'..=b'9').contains(b)))
}

/// Files being written into a folder under temporary names (`.name.part`), renamed to
/// their names together at the end; any not renamed are removed when this is dropped (a
/// run that failed part-way leaves nothing behind).
struct Parts<'a> {
    dir: &'a Path,
    /// The names written, in order, and whether each was renamed already.
    written: Vec<(String, bool)>,
}

impl<'a> Parts<'a> {
    /// None written yet into `dir`.
    fn new(dir: &'a Path) -> Parts<'a> {
        Parts {
            dir,
            written: Vec::new(),
        }
    }

    fn part_path(&self, name: &str) -> std::path::PathBuf {
        part_path(self.dir, name)
    }

    /// Writes the file `name` under its temporary name through `write`, which writes its
    /// text in pieces into a buffered file.
    fn write_with(
        &mut self,
        name: &str,
        write: impl FnOnce(&mut FileText) -> std::fmt::Result,
    ) -> Result<()> {
        let path = self.part_path(name);
        let file = std::fs::File::create(&path).map_err(|e| io_error(&path, "creating", &e))?;
        if !self.written.iter().any(|(written, _)| written == name) {
            self.written.push((name.to_string(), false));
        }
        let mut out = IoText::new(file, 1 << 20);
        let wrote = write(&mut out);
        out.finish(wrote)
            .map_err(|e| io_error(&path, "writing", &e))?;
        // On the disk before it takes its name (see `durable`).
        super::durable::sync_file(out.out.get_ref(), &path)
    }

    /// Writes files through `mine` on this thread and through `theirs` on a second one
    /// (`parallel::join`), the second's files then counted among these. With either's
    /// error, the files `theirs` wrote are removed, and the error is `mine`'s if both fail.
    fn write_shared(
        &mut self,
        mine: impl FnOnce(&mut Parts<'a>) -> Result<()>,
        theirs: impl Fn(&mut Parts<'a>) -> Result<()> + Sync,
    ) -> Result<()> {
        let dir = self.dir;
        let (written, second) = crate::parallel::join(
            true,
            "landpool-files",
            || mine(self),
            || {
                let mut second = Parts::new(dir);
                theirs(&mut second).map(|()| second)
            },
        );
        written?;
        self.written.append(&mut second?.written);
        Ok(())
    }

    /// Renames every file written (and synced) to its name, then syncs the folder. Every
    /// file a name is taken by is checked first ([`replaceable`]): none is replaced unless
    /// all can be.
    fn rename_all(&mut self) -> Result<()> {
        let dir = self.dir;
        for (name, _) in self.written.iter().filter(|(_, renamed)| !*renamed) {
            replaceable(&dir.join(name))?;
        }
        for (name, renamed) in self.written.iter_mut().filter(|(_, renamed)| !*renamed) {
            super::durable::rename(&part_path(dir, name), &dir.join(&*name))?;
            *renamed = true;
        }
        super::durable::sync_dir(dir)
    }
}

/// Checks that what is at `path`, if anything, can be replaced by a file renamed over it:
/// not a folder, and on Windows a file that can be opened for writing. On Windows a file
/// Excel or WPS shows is held open and cannot be (nor can a read-only one), and a rename
/// over it fails; checked for every file before the first is renamed, an accountant who runs
/// the year again with `balance_sheet.csv` open in Excel is told so and finds every file as
/// it was, rather than the files before it replaced and those after it not. Elsewhere a
/// rename replaces any file but a folder, read-only or open alike, so no file is opened:
/// a read-only one would be refused for nothing, and a named pipe would hold the write
/// until something read it. A symbolic link is replaced itself, whatever it points to.
fn replaceable(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path, "replacing it", &e)),
        Ok(found) if found.is_dir() => Err(io_error(
            path,
            "replacing it",
            &std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "a folder has the file's name; move or rename the folder and run again",
            ),
        )),
        Ok(found) if found.file_type().is_symlink() => Ok(()),
        Ok(_) if !cfg!(windows) => Ok(()),
        Ok(_) => std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map(drop)
            .map_err(|e| {
                io_error(
                    path,
                    "replacing it (if Excel or WPS has it open, close it and run again)",
                    &e,
                )
            }),
    }
}

/// The temporary name in `dir` of the file `name` while it is written.
fn part_path(dir: &Path, name: &str) -> std::path::PathBuf {
    dir.join(format!(".{name}.part"))
}

impl Drop for Parts<'_> {
    fn drop(&mut self) {
        for (name, renamed) in &self.written {
            if !renamed {
                // Nothing more can be done about a file that cannot be removed.
                let _ = std::fs::remove_file(self.part_path(name));
            }
        }
    }
}

/// A buffered file written as text.
type FileText = IoText<std::fs::File>;

/// `text` as HTML shows it (see [`crate::text::write_html`]).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a `String` cannot fail.
    let _ = crate::text::write_html(&mut out, text);
    out
}

/// The receipts of [`report::receipts`] as one printable HTML page: a receipt per page for
/// each household, each amount in figures and in Chinese capitals (大写金额, with the 人民币
/// prefix a form without a printed currency name needs), and lines to sign.
///
/// # Errors
///
/// As [`report::household_income`].
///
/// # Example
///
/// ```
/// let folder = landpool::folder::BookFolder::reference()?;
/// let html = landpool::folder::receipts_html(&folder.run()?, 2019, "嘉瑞丰")?;
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("人民币捌仟叁佰伍拾元整"));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn receipts_html(book: &Book, year: i32, cooperative: &str) -> Result<String> {
    Ok(receipts_html_of(
        &report::household_income(book, year)?,
        year,
        cooperative,
    ))
}

/// [`receipts_html`] of household incomes already computed.
fn receipts_html_of(incomes: &[HouseholdIncome], year: i32, cooperative: &str) -> String {
    // About 1,150 bytes a receipt.
    let mut out = String::with_capacity(incomes.len().saturating_mul(1200).saturating_add(1024));
    // Writing into a `String` cannot fail.
    let _ = write_receipts_html(&mut out, incomes, year, cooperative);
    out
}

/// What a receipt's payer line says before the cooperative's name.
const PAYER: &str = "付款单位 Payer: ";

/// What a receipt's payee line says before the head's name and the member's id.
const PAYEE: &str = "收款人 Payee: ";

/// How wide `text` prints, in columns of half an em: two for a CJK or full-width character
/// (from U+2E80 on), for an ASCII capital, and for the lower-case `m` and `w` and the signs
/// `@`, `%`, `&` and `#` (each wider than half an em in a proportional font), one for
/// others.
fn print_columns(text: &str) -> usize {
    text.chars().fold(0, |columns: usize, c| {
        let wide = c >= '\u{2E80}'
            || c.is_ascii_uppercase()
            || matches!(c, 'm' | 'w' | '@' | '%' | '&' | '#');
        columns.saturating_add(if wide { 2 } else { 1 })
    })
}

/// The columns of the payer or payee line a receipt prints in each of its sizes (the
/// class added to `name`, the columns it holds): two lines of 10 pt or 8 pt, three of 7 pt,
/// each line the 181 mm inside a receipt less two columns (where a line breaks before a
/// character that does not fit). A longer line is printed in 7 pt and cut to its three
/// lines with an ellipsis, so that the receipt still fits its page.
const NAME_SIZES: [(&str, usize); 3] = [("", 200), (" long", 252), (" longer", 432)];

/// The class of the `name` line `text` (its label and name, as printed) is printed in:
/// the largest size it fits in.
fn name_size(text: &str) -> &'static str {
    let columns = print_columns(text);
    NAME_SIZES
        .iter()
        .find(|(_, most)| columns <= *most)
        .map_or(" longer", |(class, _)| class)
}

/// Writes [`receipts_html`] of household incomes already computed into `out`, receipt by
/// receipt (a file's writer need not hold them all).
fn write_receipts_html(
    out: &mut impl std::fmt::Write,
    incomes: &[HouseholdIncome],
    year: i32,
    cooperative: &str,
) -> std::fmt::Result {
    let style = HouseholdIncome::RECEIPT_STYLE;
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>收款凭证 Receipts {year} — {}</title>\n<style>\n\
         body {{ font-family: \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", serif; \
         font-size: 10pt; line-height: 1.25; margin: 0; }}\n\
         .receipt {{ box-sizing: border-box; width: 192mm; margin: 10mm auto; padding: 5mm; \
         border: 1px solid #000; break-after: page; page-break-after: always; }}\n\
         h1 {{ text-align: center; font-size: 14pt; letter-spacing: 0.3em; margin: 0 0 2mm; }}\n\
         .meta {{ display: flex; justify-content: space-between; margin: 0.5mm 0; }}\n\
         .name {{ display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; \
         overflow: hidden; overflow-wrap: anywhere; max-height: 9mm; }}\n\
         .name.long {{ font-size: 8pt; }}\n\
         .name.longer {{ font-size: 7pt; line-height: 1.2; -webkit-line-clamp: 3; }}\n\
         table {{ width: 100%; table-layout: fixed; border-collapse: collapse; margin: 2mm 0; }}\n\
         th, td {{ box-sizing: border-box; border: 1px solid #000; padding: 1mm 1.5mm; }}\n\
         th:nth-child(1) {{ width: 50mm; }}\n\
         th:nth-child(2) {{ width: 46mm; }}\n\
         td.amount {{ text-align: right; font-family: monospace; font-size: 9pt; white-space: nowrap; }}\n\
         .sign {{ display: flex; justify-content: space-between; margin-top: 5mm; }}\n\
         @page {{ size: A5 landscape; margin: 8mm; }}\n\
         @media print {{ .receipt {{ margin: 0 auto; }} }}\n\
         </style>\n</head>\n<body>\n",
        escape(cooperative)
    )?;
    let payer_line = format!("{PAYER}{cooperative}");
    let payer = escape(cooperative);
    let payer_size = name_size(&payer_line);
    for (number, income) in incomes.iter().enumerate() {
        let payee_line = format!("{PAYEE}{} ({})", income.name, income.member);
        write!(
            out,
            "<section class=\"receipt\">\n<h1>收款凭证</h1>\n\
             <div class=\"meta\"><span>Receipt</span><span>No. {year}-{:04}</span></div>\n\
             <div class=\"meta name{payer_size}\">{PAYER}{payer}</div>\n\
             <div class=\"meta name{}\">{PAYEE}{} ({})</div>\n",
            number.saturating_add(1),
            name_size(&payee_line),
            escape(&income.name),
            escape(income.member.as_str())
        )?;
        out.write_str(
            "<table>\n<tr><th>项目 Item</th><th>金额 Amount</th><th>大写 In words</th></tr>\n",
        )?;
        for (zh, en, amount, words) in income.shown_items() {
            writeln!(
                out,
                "<tr><td>{zh} {en}</td><td class=\"amount\">¥{amount}</td><td>{words}</td></tr>"
            )?;
        }
        write!(
            out,
            "<tr><th>合计 Total</th><td class=\"amount\">¥{}</td><td>{}</td></tr>\n</table>\n",
            income.total,
            income.total.to_chinese_upper_with(style)
        )?;
        out.write_str(
            "<div class=\"sign\"><span>收款人签字 Signature: ____________</span>\
             <span>经手人 Handled by: ____________</span></div>\n</section>\n",
        )?;
    }
    out.write_str("</body>\n</html>\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Yuan;

    /// A folder of its own for a test, empty.
    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("landpool-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// The folder's file names, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|entry| {
                entry
                    .unwrap_or_else(|e| panic!("{e}"))
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    /// `events` as the lines of an event log, each no longer than `max_line` bytes.
    fn event_lines(events: &[crate::LoggedEvent], max_line: usize) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        let Ok(()) = write_event_lines(events, max_line, |line| {
            bytes.extend_from_slice(line);
            Ok::<(), std::convert::Infallible>(())
        })?;
        Ok(bytes)
    }

    /// `events.jsonl` holds one line per event, each as the log writes it; an event whose
    /// line would be longer than a log's line may be is refused, naming it, rather than
    /// written into a file no reader of the log would take (found by review: the run wrote
    /// the file without the log's limit).
    #[test]
    fn events_jsonl_holds_no_line_longer_than_a_log_reads() {
        let folder = crate::folder::BookFolder::reference().unwrap_or_else(|e| panic!("{e}"));
        let book = folder.run().unwrap_or_else(|e| panic!("{e}"));
        let events = book.events();
        let lines: Vec<String> = events
            .iter()
            .map(|logged| serde_json::to_string(logged).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        let whole = event_lines(events, usize::MAX).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(whole, format!("{}\n", lines.join("\n")).into_bytes());
        let longest = lines.iter().map(String::len).max().unwrap_or_default();
        // The first event with a line that long is the one refused.
        let at = lines
            .iter()
            .position(|line| line.len() == longest)
            .unwrap_or_else(|| panic!("the reference book has events"));
        assert_eq!(
            event_lines(events, longest).unwrap_or_else(|e| panic!("{e}")),
            whole
        );
        // Written as they are made, the lines before it are handed over, and no more.
        let mut handed = 0;
        let refused = write_event_lines(events, longest - 1, |_| {
            handed += 1;
            Ok::<(), std::convert::Infallible>(())
        });
        assert!(refused.is_err());
        assert_eq!(handed, at);
        let refused = event_lines(events, longest - 1);
        let logged = &events[at];
        match refused {
            Err(Error::Log(crate::LogError::EventTooLarge { path, seq, id, max })) => {
                assert_eq!(path, "events.jsonl");
                assert_eq!(seq, logged.seq);
                assert_eq!(id, logged.id.to_string());
                assert_eq!(max, (longest - 1) as u64);
            }
            other => panic!("expected EventTooLarge, got {other:?}"),
        }
    }

    /// The rule of `selector` in the receipts page's style sheet, up to its closing brace.
    fn css_rule(html: &str, selector: &str) -> String {
        let start = html
            .find(&format!("{selector} {{"))
            .unwrap_or_else(|| panic!("no {selector} rule"));
        let rest = html.get(start..).unwrap_or_default();
        rest.get(..rest.find('}').unwrap_or(0))
            .unwrap_or_default()
            .to_string()
    }

    /// The `index`th value of `property` in a rule (`margin: 0 0 2mm` has three), in mm for
    /// a length in mm, pt or px, as it is for a number without a unit (a line height); `None`
    /// if the rule does not set the property.
    fn css_value(rule: &str, property: &str, index: usize) -> Option<f64> {
        let at = rule.find(&format!(" {property}: "))?;
        let value = rule.get(at + property.len() + 3..).unwrap_or_default();
        let value = value.get(..value.find(';').unwrap_or(value.len()))?;
        let word = value.split_whitespace().nth(index)?;
        let (number, mm_per_unit) = if let Some(mm) = word.strip_suffix("mm") {
            (mm, 1.0)
        } else if let Some(pt) = word.strip_suffix("pt") {
            (pt, 25.4 / 72.0)
        } else if let Some(px) = word.strip_suffix("px") {
            (px, 25.4 / 96.0)
        } else {
            (word, 1.0)
        };
        let number: f64 = number
            .parse()
            .unwrap_or_else(|_| panic!("{property} in {rule}"));
        Some(number * mm_per_unit)
    }

    /// [`css_value`] of a property the rule must set.
    fn css_length(rule: &str, property: &str, index: usize) -> f64 {
        css_value(rule, property, index).unwrap_or_else(|| panic!("no {property} in {rule}"))
    }

    /// The longest texts a receipt may print, each at the limit of what may hold it, with
    /// every item paid in the longest amount: a cooperative's name of 200 characters (the
    /// most a text cell of a book folder holds), a head's name of 78 (234 bytes: the name
    /// goes into the member's accounts' names, `应付盈余返还—<name>`, of at most 256 bytes)
    /// and a member id of 24 capitals (the most an id has); the second household has the
    /// id H001. Printed with the reference cooperative's full name instead, the first
    /// household's payee line took three lines in 10 pt, and its receipt two pages.
    fn longest_receipts() -> (String, String, Vec<HouseholdIncome>) {
        let full = "莱西市嘉瑞丰果蔬专业合作社";
        let cooperative: String = full.chars().cycle().take(200).collect();
        let name: String = "王建国".chars().cycle().take(78).collect();
        assert_eq!(name.len(), 234);
        let most = Yuan::from_fen(-1_777_777_777_777_777_777);
        let income = |member: &str| HouseholdIncome {
            member: member.parse().unwrap_or_else(|e| panic!("{e}")),
            name: name.clone(),
            persons: 1,
            rent: most,
            guaranteed: most,
            patronage: most,
            remaining: most,
            labour: most,
            total: most,
            per_person: most,
        };
        let id = format!("H{}", "W".repeat(23));
        let incomes = vec![income(&id), income("H001")];
        (cooperative, full.to_string(), incomes)
    }

    /// The payer and payee lines of a receipts page, in order: the class after `name` and
    /// the text.
    fn name_lines(html: &str) -> Vec<(String, String)> {
        html.lines()
            .filter_map(|line| {
                let rest = line.strip_prefix("<div class=\"meta")?;
                let (class, text) = rest.split_once("\">")?;
                let text = text.strip_suffix("</div>")?;
                let text = text
                    .strip_prefix("<span>")
                    .and_then(|text| text.strip_suffix("</span>"))
                    .unwrap_or(text);
                let class = class.strip_prefix(" name").unwrap_or(class);
                (text.starts_with(PAYER) || text.starts_with(PAYEE))
                    .then(|| (class.to_string(), text.to_string()))
            })
            .collect()
    }

    /// A receipt's box, border and padding included, fits the printable width of the A5
    /// landscape page it is printed on (210 mm less two 8 mm margins): with the content box
    /// of 180 mm, the padding and border made it 196.5 mm, clipped or shrunk when printed
    /// (found by review).
    #[test]
    fn a_receipt_fits_the_width_of_its_page() {
        let html = receipts_html_of(&[], 2019, "嘉瑞丰");
        let page = css_rule(&html, "@page");
        assert!(page.contains("size: A5 landscape"), "{page}");
        let printable = 210.0 - 2.0 * css_length(&page, "margin", 0);
        let receipt = css_rule(&html, ".receipt");
        assert!(receipt.contains("box-sizing: border-box"), "{receipt}");
        assert!(css_length(&receipt, "width", 0) <= printable, "{receipt}");
    }

    /// A receipt with the most rows it can have (the heading, the five items, the total)
    /// fits the printable height of its A5 landscape page (148 mm less two 8 mm margins,
    /// 132 mm), as the sum of the heights the style sheet fixes: padding, border, the title,
    /// the three lines above the table (each one line: a payer or payee line holds about 50
    /// characters), the table's rows of up to two lines each and its margins, the signature
    /// line (margins taken as not collapsing, an upper bound). The style sheet sets the font
    /// size and line height; without them, the browser's 12 pt and a line height of 1 (no
    /// more than "normal" is in the fonts named) are taken. The old style (18 pt title, 2 mm
    /// cell padding, 8 mm receipt padding, no fixed column widths) came to 151 mm even so,
    /// and Chromium printed each of the reference cooperative's 28 receipts on two pages
    /// (found by printing them).
    ///
    /// The amounts in capitals, up to 42 characters, take at most two lines in the column
    /// the fixed widths leave them, and the longest amount in figures fits its column on one
    /// line (a monospace figure is 0.6 em wide, as in Courier New and DejaVu Sans Mono).
    #[test]
    fn a_receipt_fits_the_height_of_its_page() {
        let html = receipts_html_of(&[], 2019, "嘉瑞丰");
        let page = css_rule(&html, "@page");
        assert!(page.contains("size: A5 landscape"), "{page}");
        let printable = 148.0 - 2.0 * css_length(&page, "margin", 0);
        assert_eq!(printable, 132.0);
        let body = css_rule(&html, "body");
        let font = css_value(&body, "font-size", 0).unwrap_or(12.0 * 25.4 / 72.0);
        let line_height = css_value(&body, "line-height", 0).unwrap_or(1.0);
        let line = font * line_height;
        let receipt = css_rule(&html, ".receipt");
        let padding = css_length(&receipt, "padding", 0);
        let border = css_length(&receipt, "border", 0);
        let h1 = css_rule(&html, "h1");
        let title = css_length(&h1, "font-size", 0) * line_height + css_length(&h1, "margin", 2);
        let meta = css_length(&css_rule(&html, ".meta"), "margin", 0);
        let table = css_length(&css_rule(&html, "table"), "margin", 0);
        let cells = css_rule(&html, "th, td");
        let (cell_padding, cell_border) = (
            css_length(&cells, "padding", 0),
            css_length(&cells, "border", 0),
        );
        let amount = css_rule(&html, "td.amount");
        let amount_font = css_value(&amount, "font-size", 0).unwrap_or(font);
        let row = |lines: f64| (lines * line).max(amount_font * line_height) + 2.0 * cell_padding;
        // A household paid every item: five rows between the heading and the total.
        let paid = Yuan::from_fen(1);
        let income = HouseholdIncome {
            member: "H001".parse().unwrap_or_else(|e| panic!("{e}")),
            name: "张三".to_string(),
            persons: 1,
            rent: paid,
            guaranteed: paid,
            patronage: paid,
            remaining: paid,
            labour: paid,
            total: Yuan::from_fen(5),
            per_person: Yuan::from_fen(5),
        };
        let items = income.shown_items().count() as f64;
        assert_eq!(items, 5.0);
        let rows = row(1.0) + items * row(2.0) + row(2.0) + (items + 3.0) * cell_border;
        let sign = css_length(&css_rule(&html, ".sign"), "margin-top", 0) + line;
        let content = css_length(&receipt, "width", 0) - 2.0 * (padding + border);
        // The payer and payee lines of the longest texts, in the size their class gives
        // them: as many lines as their columns of half an em fill, no more than the rule
        // lets show (every character shown: no line cut off).
        let rule = |selector: &str| {
            html.contains(&format!("{selector} {{"))
                .then(|| css_rule(&html, selector))
        };
        let (cooperative, full, incomes) = longest_receipts();
        let mut names = Vec::new();
        for cooperative in [&cooperative, &full] {
            let longest = receipts_html_of(&incomes, 2019, cooperative);
            let lines = name_lines(&longest);
            assert_eq!(lines.len(), 4, "{longest}");
            names.push([lines[0].clone(), lines[1].clone()]);
            names.push([lines[2].clone(), lines[3].clone()]);
        }
        let name_height = |(class, text): &(String, String)| {
            let base = rule(".name");
            let sized = rule(&format!(".name{}", class.replace(' ', "."))).or(base.clone());
            let value = |property: &str| {
                [&sized, &base]
                    .into_iter()
                    .flatten()
                    .find_map(|rule| css_value(rule, property, 0))
            };
            let size = value("font-size").unwrap_or(font);
            let height = size * value("line-height").unwrap_or(line_height);
            let lines = (print_columns(text) as f64 * size / 2.0 / content).ceil();
            let shown = value("-webkit-line-clamp").unwrap_or(f64::INFINITY);
            assert!(
                lines <= shown,
                "{text} takes {lines} lines, {shown} are shown"
            );
            let most = value("max-height").unwrap_or(f64::INFINITY);
            assert!(
                shown * height <= most,
                "{class}: {shown} lines over {most} mm"
            );
            (lines * height).min(most)
        };
        for [payer, payee] in &names {
            let height = 2.0 * (padding + border)
                + title
                + (line + 2.0 * meta)
                + name_height(payer)
                + name_height(payee)
                + 4.0 * meta
                + 2.0 * table
                + rows
                + sign;
            assert!(
                height <= printable,
                "a receipt with {payer:?} and {payee:?} is {height:.1} mm high"
            );
        }

        // The columns: two fixed, the amount in capitals in what they leave.
        let tables = css_rule(&html, "table");
        assert!(tables.contains("table-layout: fixed"), "{tables}");
        assert!(cells.contains("box-sizing: border-box"), "{cells}");
        let cell_inside = 2.0 * css_length(&cells, "padding", 1);
        let item_column = css_length(&css_rule(&html, "th:nth-child(1)"), "width", 0);
        let amount_column = css_length(&css_rule(&html, "th:nth-child(2)"), "width", 0);
        let words_column = content - item_column - amount_column;
        let longest_words = Yuan::from_fen(-1_777_777_777_777_777_777)
            .to_chinese_upper_with(HouseholdIncome::RECEIPT_STYLE)
            .chars()
            .count();
        assert_eq!(longest_words, 42);
        let per_line = ((words_column - cell_inside) / font).floor();
        assert!(
            longest_words as f64 <= 2.0 * per_line,
            "{per_line} characters a line"
        );
        let longest_figure = format!("¥{}", Yuan::MIN).chars().count();
        assert_eq!(longest_figure, 22);
        assert!(longest_figure as f64 * 0.6 * amount_font <= amount_column - cell_inside);
    }

    #[test]
    fn written_statements_are_the_statements_and_nothing_else() -> Result<()> {
        let folder = super::super::BookFolder::reference()?;
        let book = folder.run()?;
        let dir = scratch("write-statements");
        let names = write_statements(&book, folder.settings(), &dir)?;
        let in_memory = statements(&book, folder.settings())?;
        let expected: Vec<&str> = in_memory.iter().map(|file| file.name.as_str()).collect();
        assert_eq!(names, expected);
        for file in &in_memory {
            assert_eq!(
                std::fs::read(dir.join(&file.name)).ok().as_ref(),
                Some(&file.bytes)
            );
        }
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names_in(&dir), sorted);
        // Written again over the same files: the same.
        write_statements(&book, folder.settings(), &dir)?;
        assert_eq!(names_in(&dir), sorted);
        std::fs::remove_dir_all(&dir).ok();
        Ok(())
    }

    #[test]
    fn outputs_are_written_whole_or_not_at_all() -> Result<()> {
        let output = |name: &str, bytes: &[u8]| Output {
            name: name.to_string(),
            bytes: bytes.to_vec(),
        };
        let dir = scratch("write-outputs");
        write_outputs(
            &dir,
            &[output("a.csv", b"old a"), output("b.csv", b"old b")],
        )?;
        // A temporary name taken: neither file is replaced, no temporary file is left.
        std::fs::create_dir_all(dir.join(".b.csv.part")).map_err(|e| io_error(&dir, "test", &e))?;
        let new = [output("a.csv", b"new a"), output("b.csv", b"new b")];
        match write_outputs(&dir, &new) {
            Err(Error::Io {
                path, operation, ..
            }) => {
                assert_eq!(path, dir.join(".b.csv.part").display().to_string());
                assert_eq!(operation, "creating");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            names_in(&dir),
            [".b.csv.part", "a.csv", "b.csv"].map(String::from)
        );
        assert_eq!(
            std::fs::read(dir.join("a.csv")).ok(),
            Some(b"old a".to_vec())
        );
        std::fs::remove_dir_all(dir.join(".b.csv.part")).map_err(|e| io_error(&dir, "test", &e))?;
        write_outputs(&dir, &new)?;
        assert_eq!(names_in(&dir), ["a.csv", "b.csv"].map(String::from));
        assert_eq!(
            std::fs::read(dir.join("b.csv")).ok(),
            Some(b"new b".to_vec())
        );
        // Names that are not one plain file name are refused before anything is written.
        for name in [
            "",
            ".",
            "..",
            "../c.csv",
            "sub/c.csv",
            "sub\\c.csv",
            "c\0.csv",
            &"c".repeat(256),
            // Found by review: on Windows `dir.join("C:c.csv")` is `C:c.csv`, a file in the
            // current folder of drive C, and `c.csv:x` an alternate stream of `c.csv`.
            "C:c.csv",
            "c.csv:x",
            // Found by review: Windows opens a device for these names, whatever follows
            // the first dot, and drops a trailing dot or space from a file's name.
            "nul.csv",
            "CON",
            "Com1.txt",
            "lpt9.csv.part",
            "aux",
            "c.csv.",
            "c.csv ",
        ] {
            let refused = write_outputs(&dir, &[output("c.csv", b"c"), output(name, b"x")]);
            assert!(
                matches!(
                    refused,
                    Err(Error::Folder(super::super::FolderError::OutputName { .. }))
                ),
                "{name:?}: {refused:?}"
            );
            assert_eq!(
                names_in(&dir),
                ["a.csv", "b.csv"].map(String::from),
                "{name:?}"
            );
        }
        std::fs::remove_dir_all(&dir).ok();
        Ok(())
    }

    #[test]
    fn a_failed_write_replaces_nothing_and_leaves_nothing_behind() -> Result<()> {
        let folder = super::super::BookFolder::reference()?;
        let book = folder.run()?;
        // A temporary name taken by a folder: on the receipts' thread (its first or second
        // file), or for a table (written after the receipts, on either of two threads).
        let taken_names: Vec<String> = statements(&book, folder.settings())?
            .iter()
            .map(|file| format!(".{}.part", file.name))
            .collect();
        assert_eq!(
            taken_names.len(),
            if cfg!(feature = "xlsx") { 10 } else { 9 }
        );
        for taken in taken_names.iter().map(String::as_str) {
            let dir = scratch("write-statements-fails");
            std::fs::create_dir_all(dir.join(taken)).map_err(|e| io_error(&dir, "test", &e))?;
            std::fs::write(dir.join("balance_sheet.csv"), "old")
                .map_err(|e| io_error(&dir, "test", &e))?;
            match write_statements(&book, folder.settings(), &dir) {
                Err(Error::Io {
                    path, operation, ..
                }) => {
                    assert_eq!(path, dir.join(taken).display().to_string());
                    assert_eq!(operation, "creating");
                }
                other => panic!("{taken}: {other:?}"),
            }
            assert_eq!(
                names_in(&dir),
                [taken, "balance_sheet.csv"].map(String::from),
                "{taken}"
            );
            assert_eq!(
                std::fs::read(dir.join("balance_sheet.csv")).ok(),
                Some(b"old".to_vec())
            );
            std::fs::remove_dir_all(&dir).ok();
        }
        // A folder that cannot be made (a file is in the way).
        let file = scratch("write-statements-file");
        std::fs::write(&file, "x").map_err(|e| io_error(&file, "test", &e))?;
        assert!(matches!(
            write_statements(&book, folder.settings(), &file),
            Err(Error::Io {
                operation: "creating the folder",
                ..
            })
        ));
        std::fs::remove_file(&file).ok();
        Ok(())
    }

    /// A file that cannot be replaced (here a folder with a statement's name; on Windows, a
    /// statement open in Excel) is found before any file is renamed: every statement is
    /// left as it was, none half replaced, and nothing is left behind. Before, the files
    /// renamed before it were replaced and those after it were not.
    #[test]
    fn a_file_that_cannot_be_replaced_stops_the_write_before_any_is_replaced() -> Result<()> {
        let folder = super::super::BookFolder::reference()?;
        let book = folder.run()?;
        let names: Vec<String> = statements(&book, folder.settings())?
            .into_iter()
            .map(|file| file.name)
            .collect();
        // Each name in turn, the first and the last of the renames among them.
        for blocked in &names {
            let dir = scratch("write-statements-blocked");
            std::fs::create_dir_all(dir.join(blocked).join("inside"))
                .map_err(|e| io_error(&dir, "test", &e))?;
            let old: Vec<(String, Vec<u8>)> = names
                .iter()
                .filter(|name| *name != blocked)
                .map(|name| (name.clone(), format!("old {name}").into_bytes()))
                .collect();
            for (name, bytes) in &old {
                std::fs::write(dir.join(name), bytes).map_err(|e| io_error(&dir, "test", &e))?;
            }
            match write_statements(&book, folder.settings(), &dir) {
                Err(Error::Io {
                    path,
                    operation,
                    kind,
                    message,
                }) => {
                    assert_eq!(path, dir.join(blocked).display().to_string());
                    assert_eq!(operation, "replacing it");
                    assert_eq!(kind, std::io::ErrorKind::IsADirectory);
                    assert_eq!(
                        message,
                        "a folder has the file's name; move or rename the folder and run again"
                    );
                }
                other => panic!("{blocked}: {other:?}"),
            }
            for (name, bytes) in &old {
                assert_eq!(
                    std::fs::read(dir.join(name)).ok().as_ref(),
                    Some(bytes),
                    "{blocked}: {name}"
                );
            }
            let mut expected = names.clone();
            expected.sort();
            assert_eq!(names_in(&dir), expected, "{blocked}");
            std::fs::remove_dir_all(&dir).ok();
        }
        // write_outputs, as the season example writes a year's files, alike.
        let dir = scratch("write-outputs-blocked");
        std::fs::create_dir_all(dir.join("b.csv")).map_err(|e| io_error(&dir, "test", &e))?;
        std::fs::write(dir.join("a.csv"), "old").map_err(|e| io_error(&dir, "test", &e))?;
        let output = |name: &str| Output {
            name: name.to_string(),
            bytes: b"new".to_vec(),
        };
        assert!(matches!(
            write_outputs(&dir, &[output("a.csv"), output("b.csv")]),
            Err(Error::Io {
                operation: "replacing it",
                ..
            })
        ));
        assert_eq!(std::fs::read(dir.join("a.csv")).ok(), Some(b"old".to_vec()));
        assert_eq!(names_in(&dir), ["a.csv", "b.csv"]);
        std::fs::remove_dir_all(&dir).ok();
        Ok(())
    }

    /// On Linux and macOS a rename replaces a file whatever it is: a statement made
    /// read-only (kept as last year's record, or copied from a read-only share) was
    /// replaced before [`replaceable`], and must be still, as must a named pipe with a
    /// statement's name. Found by review: `replaceable` opened every file for writing, on
    /// every system, so a read-only statement stopped the write (`PermissionDenied`) though
    /// the rename would replace it, and a named pipe held the write forever (opening a pipe
    /// for writing waits for a reader). The read-only case cannot fail for a user who may
    /// write any file (root); the pipe's can.
    #[cfg(unix)]
    #[test]
    fn a_read_only_file_or_a_pipe_is_replaced_on_unix() -> Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("write-outputs-read-only");
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, "test", &e))?;
        let old = dir.join("a.csv");
        std::fs::write(&old, "old").map_err(|e| io_error(&old, "test", &e))?;
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o444))
            .map_err(|e| io_error(&old, "test", &e))?;
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("b.csv"))
            .status()
            .map_err(|e| io_error(&dir, "test: mkfifo", &e))?;
        assert!(made.success(), "mkfifo: {made}");
        let output = |name: &str| Output {
            name: name.to_string(),
            bytes: format!("new {name}").into_bytes(),
        };
        let outputs = [output("a.csv"), output("b.csv")];
        let (done, wait) = std::sync::mpsc::channel();
        let writing = dir.clone();
        let writer = std::thread::spawn(move || {
            let _ = done.send(write_outputs(&writing, &outputs));
        });
        let written = match wait.recv_timeout(std::time::Duration::from_secs(10)) {
            Ok(written) => written,
            Err(_) => {
                // Opening the pipe for reading lets the write that waits on it go on.
                let _ = std::fs::File::open(dir.join("b.csv"));
                let _ = writer.join();
                panic!("the write waited on the pipe for 10 s");
            }
        };
        let _ = writer.join();
        written?;
        assert_eq!(std::fs::read(&old).ok(), Some(b"new a.csv".to_vec()));
        assert_eq!(
            std::fs::read(dir.join("b.csv")).ok(),
            Some(b"new b.csv".to_vec())
        );
        assert_eq!(names_in(&dir), ["a.csv", "b.csv"]);
        std::fs::remove_dir_all(&dir).ok();
        Ok(())
    }

    /// `receipts.txt` is opened in Notepad and WPS on Chinese Windows: without a UTF-8
    /// byte-order mark, Notepad before Windows 10 1903 reads it as GBK (mojibake), and
    /// without CRLF line ends, Notepad before Windows 10 1809 shows each receipt as one
    /// line. The file is the receipts' text with both, as the CSV tables are.
    #[test]
    fn the_receipts_text_file_has_a_byte_order_mark_and_crlf_line_ends() -> Result<()> {
        let folder = super::super::BookFolder::reference()?;
        let book = folder.run()?;
        let settings = folder.settings();
        let files = statements(&book, settings)?;
        let txt = files
            .iter()
            .find(|file| file.name == "receipts.txt")
            .map(|file| String::from_utf8_lossy(&file.bytes).into_owned())
            .unwrap_or_default();
        let text = report::receipts(&book, settings.year, &settings.cooperative)?;
        assert_eq!(txt, format!("\u{feff}{}", text.replace('\n', "\r\n")));
        assert!(txt.starts_with("\u{feff}收款凭证 Receipt  No. 2019-0001\r\n付款单位 Payer: "));
        // Written into a folder: the same bytes.
        let dir = scratch("receipts-txt");
        write_statements(&book, settings, &dir)?;
        assert_eq!(
            std::fs::read(dir.join("receipts.txt")).ok(),
            Some(txt.into_bytes())
        );
        std::fs::remove_dir_all(&dir).ok();
        Ok(())
    }

    /// A cooperative's name written on two lines in policy.csv (Alt+Enter in Excel) keeps
    /// the receipts file's CRLF line ends: no bare line feed, which Notepad before Windows 10
    /// does not break the line at.
    #[test]
    fn a_name_on_two_lines_keeps_the_receipts_files_crlf_line_ends() {
        let income = HouseholdIncome {
            member: "H001".parse().unwrap_or_else(|e| panic!("{e}")),
            name: "张三".to_string(),
            persons: 1,
            rent: Yuan::ZERO,
            guaranteed: Yuan::ZERO,
            patronage: Yuan::from_fen(1_000),
            remaining: Yuan::ZERO,
            labour: Yuan::ZERO,
            total: Yuan::from_fen(1_000),
            per_person: Yuan::from_fen(1_000),
        };
        assert_eq!(
            report::receipts_of(
                &[income],
                2019,
                "嘉瑞丰\n果蔬\r\n合作社\r",
                report::ReceiptsForm::File
            ),
            "\u{feff}收款凭证 Receipt  No. 2019-0001\r\n\
             付款单位 Payer: 嘉瑞丰\r\n果蔬\r\n合作社\r\n\r\n\
             收款人 Payee: 张三 (H001)\r\n\
             \u{20} 盈余返还 patronage return: ¥10.00  人民币壹拾元整\r\n\
             合计 Total: ¥10.00\r\n\
             金额大写 In words: 人民币壹拾元整\r\n\
             收款人签字 Signature: ____________    经手人 Handled by: ____________\r\n\r\n"
        );
    }

    #[test]
    fn an_html_receipt_escapes_names_and_lists_its_amounts() {
        let income = HouseholdIncome {
            member: "H002".parse().unwrap_or_else(|e| panic!("{e}")),
            name: "李<四> & \"五\"".to_string(),
            persons: 1,
            rent: Yuan::ZERO,
            guaranteed: Yuan::ZERO,
            patronage: Yuan::from_fen(1_000),
            remaining: Yuan::ZERO,
            labour: Yuan::from_fen(30_050),
            total: Yuan::from_fen(31_050),
            per_person: Yuan::from_fen(31_050),
        };
        let html = receipts_html_of(&[income], 2019, "A&B 合作社");
        let body = html
            .split_once("<body>\n")
            .map(|(head, body)| {
                assert!(head.contains("<title>收款凭证 Receipts 2019 — A&amp;B 合作社</title>"));
                body
            })
            .unwrap_or_default();
        assert_eq!(
            body,
            "<section class=\"receipt\">\n<h1>收款凭证</h1>\n\
             <div class=\"meta\"><span>Receipt</span><span>No. 2019-0001</span></div>\n\
             <div class=\"meta name\">付款单位 Payer: A&amp;B 合作社</div>\n\
             <div class=\"meta name\">收款人 Payee: 李&lt;四&gt; &amp; &quot;五&quot; (H002)</div>\n\
             <table>\n<tr><th>项目 Item</th><th>金额 Amount</th><th>大写 In words</th></tr>\n\
             <tr><td>盈余返还 patronage return</td><td class=\"amount\">¥10.00</td><td>人民币壹拾元整</td></tr>\n\
             <tr><td>务工收入 wages</td><td class=\"amount\">¥300.50</td><td>人民币叁佰元零伍角整</td></tr>\n\
             <tr><th>合计 Total</th><td class=\"amount\">¥310.50</td><td>人民币叁佰壹拾元零伍角整</td></tr>\n</table>\n\
             <div class=\"sign\"><span>收款人签字 Signature: ____________</span>\
             <span>经手人 Handled by: ____________</span></div>\n</section>\n\
             </body>\n</html>\n"
        );
    }

    /// A payer or payee line too long for two lines of 10 pt is printed in 8 pt (two
    /// lines), or in 7 pt (three lines), and cut with an ellipsis past that, so that every
    /// receipt fits its page ([`a_receipt_fits_the_height_of_its_page`] sums the heights):
    /// before, a name of three lines or more pushed the receipt onto a second page.
    #[test]
    fn a_long_name_is_printed_smaller() {
        let (cooperative, full, incomes) = longest_receipts();
        let name: String = "王建国".chars().cycle().take(78).collect();
        let html = receipts_html_of(&incomes, 2019, &cooperative);
        let payer =
            format!("<div class=\"meta name longer\">付款单位 Payer: {cooperative}</div>\n");
        assert_eq!(html.matches(&payer).count(), 2, "{html}");
        assert!(html.contains(&format!(
            "{payer}<div class=\"meta name long\">收款人 Payee: {name} (HWWWWWWWWWWWWWWWWWWWWWWW)</div>\n"
        )));
        assert!(html.contains(&format!(
            "{payer}<div class=\"meta name\">收款人 Payee: {name} (H001)</div>\n"
        )));
        let html = receipts_html_of(&incomes[1..], 2019, &full);
        assert!(html.contains(
            "<div class=\"meta name\">付款单位 Payer: 莱西市嘉瑞丰果蔬专业合作社</div>\n"
        ));
        // The sizes' limits, in columns: a CJK character or an ASCII capital is two.
        assert_eq!(print_columns("付款单位 Payer: "), 17);
        assert_eq!(print_columns(PAYEE), 15);
        // So are the wide lower-case letters and signs; narrow ones are one.
        assert_eq!(print_columns("mw@%&#"), 12);
        assert_eq!(print_columns("anu-v.1"), 7);
        for (columns, class) in [
            (1, ""),
            (200, ""),
            (201, " long"),
            (252, " long"),
            (253, " longer"),
            (432, " longer"),
            (433, " longer"),
            (10_000, " longer"),
        ] {
            let even = "字".repeat(columns / 2);
            let text = if columns % 2 == 1 {
                format!("{even}a")
            } else {
                even
            };
            assert_eq!(name_size(&text), class, "{columns} columns");
            let text = if columns % 2 == 1 {
                format!("{}a", "A".repeat(columns / 2))
            } else {
                "A".repeat(columns / 2)
            };
            assert_eq!(name_size(&text), class, "{columns} columns");
        }
    }
}
