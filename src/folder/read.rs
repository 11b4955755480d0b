//! Reading a book folder's files into events, collecting every problem of every file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rust_decimal::Decimal;
use time::Date;

use super::cells::{
    amount_not_negative, amount_positive, choice, count, date, date_in, excel_date, id, month_day,
    number_not_negative, number_positive, percent, price_not_negative, price_positive, split_list,
    text, year, Bad, Cells, ID_AS_DATE,
};
use super::problem::{Column, Problem, ProblemKind, Problems};
use super::schema::{key, left_alone, names, saved_in_another_format, FileKind};
use super::text::{decode, table, table_in, Space, Table};
use super::words::*;
use super::{Settings, SETTINGS};
use crate::ledger::AccountCode;
use crate::{
    Accrue, AssetId, Book, Contract, ContractId, ContractKind, ContractLine, CostTarget, CropId,
    DistributionPolicy, Event, GrantId, GrantUse, Greenhouse, GreenhouseId, Loan, LoanId, Member,
    MemberId, MemberKind, Parcel, ParcelId, Pay, PaymentTerms, RentTerms, Task, VolumeWeights,
    WageAccount, WorkRecord, Worker,
};

/// An event read from a row, before the folder's events are put in order.
#[derive(Debug, Clone)]
pub(crate) struct Staged {
    pub(crate) event: Event,
    pub(crate) kind: FileKind,
    /// The file's name in the folder.
    pub(crate) file: String,
    pub(crate) line: u64,
    /// The row's place in its file (the first row's, for an event of several rows).
    pub(crate) seq: usize,
    /// For a timesheet, the line of each of its records (empty for other events).
    pub(crate) record_lines: RecordLines,
    /// The amount the row gives for a figure the book works out and the event does not
    /// hold (a distribution's payout), checked against the book's when the folder runs.
    pub(crate) stated: Option<Stated>,
}

/// An amount a row gives for a figure the book works out itself, and the column it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stated {
    pub(crate) amount: crate::Yuan,
    pub(crate) column: super::Column,
}

/// The lines of a timesheet's records in its file, kept as runs of records on consecutive
/// lines: a timesheet's rows usually follow one another, so a timesheet of any length
/// takes one run, while rows of several timesheets mixed in one file take a run each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RecordLines {
    /// The first record of each run (from 0) and its line.
    runs: Vec<(usize, u64)>,
}

impl RecordLines {
    /// Notes that record `record` (from 0, the one after the last noted) is on `line`.
    fn push(&mut self, record: usize, line: u64) {
        let continues = self.runs.last().is_some_and(|&(first, first_line)| {
            let since = u64::try_from(record.saturating_sub(first)).ok();
            since.and_then(|n| first_line.checked_add(n)) == Some(line)
        });
        if !continues {
            self.runs.push((record, line));
        }
    }

    /// The line of record `record` (from 0), if it was noted.
    pub(crate) fn line(&self, record: usize) -> Option<u64> {
        let run = self.runs.partition_point(|&(first, _)| first <= record);
        let (first, line) = *self.runs.get(run.checked_sub(1)?)?;
        line.checked_add(u64::try_from(record.checked_sub(first)?).ok()?)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// What ids name, for references between files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Member,
    Parcel,
    Contract,
    Greenhouse,
    Asset,
    Loan,
    Account,
}

impl Target {
    fn file(self) -> FileKind {
        match self {
            Target::Member => FileKind::Members,
            Target::Parcel => FileKind::Parcels,
            Target::Contract => FileKind::Contracts,
            Target::Greenhouse => FileKind::Greenhouses,
            Target::Asset => FileKind::Assets,
            Target::Loan => FileKind::Loans,
            Target::Account => FileKind::Accounts,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Target::Member => "member",
            Target::Parcel => "parcel",
            Target::Contract => "contract",
            Target::Greenhouse => "greenhouse",
            Target::Asset => "asset",
            Target::Loan => "loan",
            Target::Account => "sub-account",
        }
    }
}

/// A word a cell may hold instead of ids (`全部大棚 all_greenhouses`, `管理 administration`):
/// matched as a header names its column (`schema::names`: the Chinese, the English or both,
/// case, spaces and `_` aside), or by an older Chinese spelling. Its keys are made once, not
/// for every row of a file of half a million.
struct CellWord {
    word: (&'static str, &'static str),
    also: &'static str,
    keys: std::sync::OnceLock<[String; 4]>,
}

impl CellWord {
    const fn new(word: (&'static str, &'static str), also: &'static str) -> CellWord {
        CellWord {
            word,
            also,
            keys: std::sync::OnceLock::new(),
        }
    }

    /// Whether `text` is this word.
    fn means(&self, text: &str) -> bool {
        let keys = self.keys.get_or_init(|| {
            let (zh, en) = (key(self.word.0), key(self.word.1));
            [format!("{zh}{en}"), zh, en, key(self.also)]
        });
        // An id (`GH01`, in a labour file's every row) is its own key in lower case, and
        // is compared without making it.
        if text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return !text.is_empty() && keys.iter().any(|k| k.eq_ignore_ascii_case(text));
        }
        let text = key(text);
        !text.is_empty() && keys.contains(&text)
    }
}

static ALL_GREENHOUSES_WORD: CellWord = CellWord::new(ALL_GREENHOUSES, "所有大棚");
static ADMINISTRATION_WORD: CellWord = CellWord::new(ADMINISTRATION, "管理费用");

/// The ids each file defines, to check the references of later files against, and the
/// last days of the members who leave and of the greenhouses taken out of use, to check the
/// rows of later files against.
#[derive(Debug, Default)]
struct Ids {
    /// The ids each file defines, with the line of each. An id is kept inside the table
    /// (ids are short), so that looking up each of a half million labour rows' ids reads
    /// the table's memory and not also a text elsewhere.
    defined: ByKind<Target, HashMap<compact_str::CompactString, u64>>,
    /// The ids made only of digits each file defines, by their digits without leading
    /// zeros (the first id defined for each), for the hint when a reference is not found
    /// because Excel dropped the leading zeros of one of the two.
    digits: ByKind<Target, HashMap<String, String>>,
    /// The files read (by their names in the folder), whose ids are known.
    loaded: ByKind<FileKind, String>,
    /// The files the folder does not have, where that is no problem of its own (every
    /// file but `policy.csv` and `members.csv` may be left out; a workbook given instead of
    /// its CSV file is a problem already).
    absent: std::collections::BTreeSet<FileKind>,
    /// Member id -> the last day of membership and the line of its row in the members file.
    left: HashMap<String, (Date, u64)>,
    /// Greenhouse id -> its last day in use and the line of its row in the greenhouses file.
    retired: HashMap<String, (Date, u64)>,
    /// Contracts of members who leave that run past the leaving, each with the problem it
    /// is unless a swap of the land changes file moves its area (the book's rule is on the
    /// area a contract still has on its last day, which only the book knows then).
    running_past_leaving: Vec<(String, Problem)>,
    /// Contract id -> its member and whether it takes the land in as shares (入股), for the
    /// capital returns of the payments file (contracts whose terms were read, and those of
    /// the earlier book).
    holders: HashMap<String, (MemberId, bool)>,
    /// The ids the earlier years' book holds (see [`earlier::Earlier`]): references to them
    /// are good though the folder's registers need not list them.
    earlier: ByKind<Target, HashSet<String>>,
}

/// A map keyed by a kind of file or of id: a handful of fixed keys, hashed without
/// SipHash's cost (a town's labour file looks a file and its ids up four times a row).
pub(super) type ByKind<K, V> =
    HashMap<K, V, std::hash::BuildHasherDefault<crate::ledger::hashing::CodeHasher>>;

impl Ids {
    /// The problem with a row of a file after the members file booked on `day` to member
    /// `member`'s sub-accounts (`what`, such as "a payment"), when the member has left by
    /// then: the book takes nothing on a leaver's accounts after their last day.
    fn after_leaving(
        &self,
        c: &mut Cells,
        en: &'static str,
        member: &MemberId,
        day: Date,
        what: &str,
    ) -> Option<()> {
        match self.left.get(member.as_str()) {
            Some(&(left, line)) if day > left => {
                let file = self
                    .loaded
                    .get(&FileKind::Members)
                    .map_or(FileKind::Members.name(), String::as_str);
                c.problem(
                    en,
                    ProblemKind::BadDate,
                    format!(
                        "the last day of member {member} is {left} (退社日期 left, {file} line {line}); {what} booked on {day} is after it: nothing is booked to a member's accounts after their last day"
                    ),
                );
                None
            }
            _ => Some(()),
        }
    }

    /// The problem with a row of a file after the greenhouses file dated `day`, which uses
    /// greenhouse `greenhouse` (`what`, such as "a harvest"), when the greenhouse is out of
    /// use on that day.
    fn after_retirement(
        &self,
        c: &mut Cells,
        en: &'static str,
        greenhouse: &GreenhouseId,
        day: Date,
        what: &str,
    ) -> Option<()> {
        match self.retired.get(greenhouse.as_str()) {
            Some(&(retired, line)) if day > retired => {
                let file = self
                    .loaded
                    .get(&FileKind::Greenhouses)
                    .map_or(FileKind::Greenhouses.name(), String::as_str);
                c.problem(
                    en,
                    ProblemKind::BadDate,
                    format!(
                        "greenhouse {greenhouse} is out of use after {retired} (拆除日期 retired, {file} line {line}); {what} on {day} is after it: date it on or before {retired}, or take the greenhouse out of use later"
                    ),
                );
                None
            }
            _ => Some(()),
        }
    }
}

impl Ids {
    /// Records that the row defines `id`; a second row with the same id is a problem.
    fn define(&mut self, c: &mut Cells, en: &'static str, target: Target, id: &str) {
        let ids = self.defined.entry(target).or_default();
        match ids.get(id) {
            Some(&first) => c.problem(
                en,
                ProblemKind::DuplicateId,
                format!(
                    "{} id {id:?} is already on line {first}; each {} has one row",
                    target.what(),
                    target.what()
                ),
            ),
            None => {
                ids.insert(id.into(), c.line());
                if let Some(value) = without_leading_zeros(id) {
                    self.digits
                        .entry(target)
                        .or_default()
                        .entry(value.to_string())
                        .or_insert_with(|| id.to_string());
                }
            }
        }
    }

    /// Checks that `id` is defined by its file or held by the earlier years' book (a file
    /// the folder left out defines none; one that could not be read is not looked in).
    fn want(&self, c: &mut Cells, en: &'static str, target: Target, id: &str) {
        let Some(file) = self.loaded.get(&target.file()) else {
            // A file the folder does not have defines none of its ids: a reference to one
            // is a problem unless the earlier years' book holds it. (A file that is there
            // but could not be read, or has no id column, has problems of its own, as has
            // a file every folder must have.)
            let kind = target.file();
            if self.absent.contains(&kind) && !self.in_earlier(target, id) {
                c.problem(
                    en,
                    ProblemKind::UnknownReference,
                    format!(
                        "no {what} {id:?}: the folder has no {} ({}); add it, with a row for the {what}",
                        kind.name(),
                        kind.zh_name(),
                        what = target.what(),
                    ),
                );
            }
            return;
        };
        let known = self
            .defined
            .get(&target)
            .is_some_and(|ids| ids.contains_key(id))
            || self.in_earlier(target, id);
        if !known {
            let what = target.what();
            // Not matched: only named, since the two could be different ids.
            let same_digits = without_leading_zeros(id).and_then(|value| {
                self.digits
                    .get(&target)
                    .and_then(|digits| digits.get(value))
            });
            let message = match same_digits {
                Some(other) => format!(
                    "no {what} {id:?} in {file}, but there is {what} {other:?}: Excel drops the leading zeros of an id made only of digits when it saves a file; write the id the same way in every file, and format the column as Text in Excel so that it keeps them"
                ),
                None if excel_date(id) => format!("no {what} {id:?} in {file}: {ID_AS_DATE}"),
                None => format!("no {what} {id:?} in {file}"),
            };
            c.problem(en, ProblemKind::UnknownReference, message);
        }
    }
}

impl Ids {
    /// Whether the earlier years' book holds `id` of `target`.
    fn in_earlier(&self, target: Target, id: &str) -> bool {
        self.earlier
            .get(&target)
            .is_some_and(|ids| ids.contains(id))
    }
}

/// An id made only of ASCII digits without its leading zeros (`"0"` for zeros only), as
/// Excel saves it when it reads the cell as a number; `None` for any other id.
fn without_leading_zeros(id: &str) -> Option<&str> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = id.trim_start_matches('0');
    Some(if value.is_empty() { "0" } else { value })
}

/// A folder's files read: its settings, where the close comes from, its events unordered.
pub(crate) struct Read {
    pub(crate) settings: Settings,
    /// The name of the policy file in the folder.
    pub(crate) policy_file: String,
    /// The line of the close setting (or of the year).
    pub(crate) close_line: u64,
    /// The line of each setting `policy.csv` gives, and its value column, for problems
    /// found after the files are read.
    pub(crate) setting_lines: HashMap<&'static str, u64>,
    pub(crate) value_column: Option<Column>,
    /// The earlier years' book, for a later year's folder.
    pub(crate) earlier: Option<Earlier>,
    pub(crate) staged: Vec<Staged>,
}

/// Where the book of a folder's earlier years comes from, when `policy.csv` names its log
/// (上年账簿 prior_log).
pub(crate) enum Prior<'p> {
    /// Nowhere: the folder is read from its files' contents, and a log it names is a
    /// problem.
    Unavailable,
    /// The log is opened relative to the folder's directory.
    Dir(&'p Path),
    /// The caller's book, whether the policy names a log or not.
    Book(Box<Book>),
}

/// Reads a folder's files (name and bytes) into its settings and its events, unordered;
/// with an earlier years' book, a register row it holds is left out (see
/// [`FileReader::carry_forward`]).
pub(crate) fn read_files(
    files: &[(String, Vec<u8>)],
    prior: Prior<'_>,
) -> Result<Read, crate::Error> {
    let mut problems = Problems::default();
    let mut found: BTreeMap<FileKind, (&str, &[u8])> = BTreeMap::new();
    // Sheets of the folder's files saved as workbooks or text, which are not read.
    let mut unread: Vec<(&str, FileKind)> = Vec::new();
    for (name, bytes) in files {
        if left_alone(name) {
            if let Some(kind) = saved_in_another_format(name) {
                unread.push((name, kind));
            }
            continue;
        }
        match FileKind::from_file_name(name) {
            Some(kind) => {
                if let Some((first, _)) = found.get(&kind) {
                    problems.push(Problem::file(
                        name,
                        ProblemKind::DuplicateFile,
                        format!("{first} is the same file; keep one of them"),
                    ));
                } else {
                    found.insert(kind, (name, bytes));
                }
            }
            None => {
                let names: Vec<&str> = FileKind::ALL.iter().map(|k| k.name()).collect();
                problems.push(Problem::file(
                    name,
                    ProblemKind::UnknownFile,
                    format!(
                        "not a file of a book folder; the files are {} (or their Chinese names)",
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    // A workbook beside its CSV file is the sheet the CSV is saved from (as README.txt
    // advises); without it, the rows the accountant typed would be silently left out.
    for (name, kind) in &unread {
        if !found.contains_key(kind) {
            let csv = match name.rsplit_once('.') {
                Some((stem, _)) => format!("{stem}.csv"),
                None => kind.name().to_string(),
            };
            problems.push(Problem::file(
                name,
                ProblemKind::NotText,
                format!(
                    "a run reads CSV files only, and {csv} is not there: save this sheet as {csv} (文件 > 另存为 > CSV UTF-8, File > Save As > CSV UTF-8) in the book folder"
                ),
            ));
        }
    }
    for kind in [FileKind::Policy, FileKind::Members] {
        if !found.contains_key(&kind) && !unread.iter().any(|(_, k)| *k == kind) {
            problems.push(kind.missing());
        }
    }
    let absent = FileKind::ALL
        .iter()
        .copied()
        .filter(|kind| {
            !matches!(kind, FileKind::Policy | FileKind::Members)
                && !found.contains_key(kind)
                && !unread.iter().any(|(_, k)| k == kind)
        })
        .collect();
    // The largest file (a town's labour file is two thirds of its folder) is decoded and
    // split into rows on a second thread while the files before it are read here.
    let largest = found
        .iter()
        .max_by_key(|(_, (_, bytes))| bytes.len())
        .filter(|(_, (_, bytes))| bytes.len() >= PREPARED_AHEAD_MIN)
        .map(|(&kind, &(name, bytes))| (kind, name, bytes));
    let Some((kind, name, bytes)) = largest else {
        return read_tables(found, absent, prior, None, &mut || None, problems);
    };
    // Its rows go into room made here (see `Space::for_bytes`), taken once by the thread.
    let space = std::sync::Mutex::new(Some(Space::for_bytes(bytes)));
    let ahead = || {
        let space = space
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .unwrap_or_default();
        prepare(kind, name, bytes, space)
    };
    crate::parallel::ahead(true, "landpool-folder", ahead, |take| {
        read_tables(found, absent, prior, Some(kind), take, problems)
    })
}

/// A labour file of at least this many rows is read in two halves at once.
const LABOUR_PARALLEL_MIN: usize = 20_000;

/// Files of at least this many bytes are read into rows on a second thread.
const PREPARED_AHEAD_MIN: usize = 1 << 20;

/// A file decoded and split into rows, with the problems found doing so.
fn prepare(kind: FileKind, name: &str, bytes: &[u8], space: Space) -> (Option<Table>, Problems) {
    let mut problems = Problems::part();
    let table = decode(name, bytes, &mut problems).and_then(|(text, gbk)| {
        let mut table = table_in(kind, name, &text, &mut problems, space)?;
        table.gbk = gbk;
        Some(table)
    });
    (table, problems)
}

/// [`read_files`] from the folder's files found: each decoded and split into rows (the
/// file of kind `ahead` by `take`, which gives it once), then read in order. `absent`: the
/// files the folder may leave out and does, in which a reference finds no id.
fn read_tables(
    found: BTreeMap<FileKind, (&str, &[u8])>,
    absent: std::collections::BTreeSet<FileKind>,
    prior: Prior<'_>,
    ahead: Option<FileKind>,
    take: &mut dyn FnMut() -> Option<(Option<Table>, Problems)>,
    mut problems: Problems,
) -> Result<Read, crate::Error> {
    let mut ids = Ids::default();
    let mut staged = Vec::new();
    let mut settings = None;
    let mut setting_lines = HashMap::new();
    let mut value_column = None;
    let mut prior = Some(prior);
    let mut earlier: Option<Earlier> = None;
    ids.absent = absent;
    for (kind, (name, bytes)) in found {
        let prepared = if ahead == Some(kind) { take() } else { None };
        let (table, found) =
            prepared.unwrap_or_else(|| prepare(kind, name, bytes, Space::default()));
        problems.append(found);
        let Some(table) = table else {
            continue;
        };
        // A file's ids are known only if its id column is: without it, every reference to
        // one of its ids would be reported as not in the file, which it is.
        let id_column = match kind {
            FileKind::Accounts => Some("code"),
            FileKind::Members => Some("member"),
            FileKind::Parcels => Some("parcel"),
            FileKind::Contracts => Some("contract"),
            FileKind::Loans => Some("loan"),
            FileKind::Greenhouses => Some("greenhouse"),
            FileKind::Assets => Some("asset"),
            _ => None,
        };
        if id_column.is_none_or(|en| table.has(en)) {
            ids.loaded.insert(kind, name.to_string());
        }
        let start = staged.len();
        let mut file = FileReader {
            year: settings
                .as_ref()
                .map(|(settings, _): &(Settings, u64)| settings.year),
            table: &table,
            problems: &mut problems,
            ids: &mut ids,
            staged: &mut staged,
            earlier: earlier.as_ref(),
        };
        match kind {
            FileKind::Policy => {
                let Some((read, close_line, lines)) = file.policy() else {
                    continue;
                };
                let prior = prior.take().unwrap_or(Prior::Unavailable);
                let opened = file.earlier_book(&read, &lines, prior);
                value_column = Some(table.column("value"));
                settings = Some((read, close_line));
                setting_lines = lines;
                match opened {
                    Ok(opened) => earlier = opened,
                    // Without the earlier book, the registers carried forward cannot be
                    // told from new rows: the other files wait for the log to be put right.
                    Err(()) => break,
                }
                if let Some(earlier) = &earlier {
                    ids.earlier = earlier.known.clone();
                    for (contract, member, land_shares) in earlier.holders() {
                        ids.holders.insert(contract, (member, land_shares));
                    }
                }
                continue;
            }
            FileKind::Accounts => file.accounts(),
            FileKind::Members => file.members(),
            FileKind::Parcels => file.parcels(),
            FileKind::Contracts => file.contracts(),
            FileKind::GrainPrices => file.grain_prices(),
            FileKind::Loans => file.loans(),
            FileKind::LandChanges => file.land_changes(),
            FileKind::Greenhouses => file.greenhouses(),
            FileKind::Assets => file.assets(),
            FileKind::Grants => file.grants(),
            FileKind::Costs => file.costs(),
            FileKind::Labour => file.labour(),
            FileKind::Harvests => file.harvests(),
            FileKind::Sales => file.sales(),
            FileKind::Adjustments => file.adjustments(),
            FileKind::Payments => file.payments(),
        }
        if kind.is_register() || matches!(kind, FileKind::Greenhouses | FileKind::Assets) {
            file.carry_forward(start);
        }
    }
    // A contract that runs past its member's leaving is a problem unless a swap moves its
    // area or a row ends it early, and then the book says whether any is left on its last
    // day, or whether it ends by the leaving.
    let swapped: std::collections::HashSet<&str> = staged
        .iter()
        .flat_map(|s| match &s.event {
            Event::AreaSwapped { first, second, .. } => vec![first.as_str(), second.as_str()],
            Event::ContractEnded { contract, .. } => vec![contract.as_str()],
            _ => Vec::new(),
        })
        .collect();
    for (contract, problem) in std::mem::take(&mut ids.running_past_leaving) {
        // A contract of the earlier years was judged by their book.
        if !swapped.contains(contract.as_str()) && !ids.in_earlier(Target::Contract, &contract) {
            problems.push(problem);
        }
    }
    problems.into_result()?;
    match settings {
        Some((settings, close_line)) => Ok(Read {
            settings,
            policy_file: ids
                .loaded
                .get(&FileKind::Policy)
                .cloned()
                .unwrap_or_else(|| FileKind::Policy.name().to_string()),
            close_line,
            setting_lines,
            value_column,
            earlier,
            staged,
        }),
        // Not reached: a policy without settings has problems.
        None => Err(super::problem::FolderError::Invalid {
            problems: vec![Problem::file(
                FileKind::Policy.name(),
                ProblemKind::MissingFile,
                "the file is missing",
            )],
            more: 0,
        }
        .into()),
    }
}

/// Reads a folder's `policy.csv` (its name in the folder, `name`, and bytes) alone into its
/// settings, checked as [`read_files`] checks them; the earlier years' log it may name is
/// not opened.
pub(crate) fn read_policy(name: &str, bytes: &[u8]) -> Result<Settings, crate::Error> {
    let mut problems = Problems::default();
    let mut ids = Ids::default();
    let mut staged = Vec::new();
    let settings = match decode(name, bytes, &mut problems) {
        Some((text, gbk)) => match table(FileKind::Policy, name, &text, &mut problems) {
            Some(mut table) => {
                table.gbk = gbk;
                FileReader {
                    year: None,
                    table: &table,
                    problems: &mut problems,
                    ids: &mut ids,
                    staged: &mut staged,
                    earlier: None,
                }
                .policy()
                .map(|(settings, _, _)| settings)
            }
            None => None,
        },
        None => None,
    };
    problems.into_result()?;
    // Not reached: a policy without settings has problems.
    settings.ok_or_else(|| {
        super::problem::FolderError::Invalid {
            problems: vec![Problem::file(
                name,
                ProblemKind::Empty,
                "the file holds no settings",
            )],
            more: 0,
        }
        .into()
    })
}

/// A greenhouse's retirement as its row gives it: its last day in use, what its remains
/// fetch and the account they are paid into.
type Retirement = (Date, crate::Yuan, crate::CashAccount);

/// How the retirement cells of a row name what it is (see `FileReader::retirement`).
#[derive(Clone, Copy)]
struct RetiredWords {
    /// Who alone has proceeds, for the problem of proceeds in a row still in use.
    only: &'static str,
    /// The day it came into use, for the problem of a retirement before it.
    start: &'static str,
}

const RETIRED_GREENHOUSE: RetiredWords = RetiredWords {
    only: "only a greenhouse taken out of use (with 拆除日期 retired) has",
    start: "the greenhouse was built,",
};

const RETIRED_ASSET: RetiredWords = RetiredWords {
    only: "only an asset taken out of use (with 处置日期 retired) has",
    start: "the asset was put into use,",
};

/// A contract being read: its first row, its terms if they parsed, its lines so far (each
/// `None` if its row had a problem) and the parcels they name.
struct PendingContract {
    first_row: usize,
    contract: Option<Contract>,
    lines: Vec<Option<ContractLine>>,
    parcels: Vec<String>,
}

struct FileReader<'a> {
    /// The year the folder keeps (policy.csv is read first), if its policy gave one: the
    /// rows of the files after the registers must be dated in it.
    year: Option<i32>,
    table: &'a Table,
    problems: &'a mut Problems,
    ids: &'a mut Ids,
    staged: &'a mut Vec<Staged>,
    /// The earlier years' book, for a later year's folder.
    earlier: Option<&'a Earlier>,
}

/// The cells of row `$row`, borrowing only the reader's problems.
macro_rules! cells {
    ($self:ident, $row:expr) => {{
        let table = $self.table;
        let problems = &mut *$self.problems;
        table.rows.get($row).map(|record| Cells {
            table,
            record,
            problems,
        })
    }};
}

/// Declares `let`s for several parsed cells and goes on only when all parsed.
macro_rules! all {
    ($($name:ident),+ $(,)?) => {
        #[allow(unused_parens)]
        let ($(Some($name)),+) = ($($name),+) else { continue };
    };
}

mod earlier;
mod land_changes;

pub(crate) use earlier::last_day;
use earlier::Carried;
pub(crate) use earlier::{register_key, Earlier};

impl FileReader<'_> {
    fn stage(&mut self, line: u64, seq: usize, event: Event) {
        self.staged.push(Staged {
            event,
            kind: self.table.kind,
            file: self.table.file.clone(),
            line,
            seq,
            record_lines: RecordLines::default(),
            stated: None,
        });
    }

    /// The rows of the table with their cells, one at a time.
    fn rows(&self) -> std::ops::Range<usize> {
        0..self.table.rows.len()
    }

    /// An id cell that refers to `target`: parsed and checked against its file.
    fn reference<T: std::str::FromStr>(
        c: &mut Cells,
        ids: &Ids,
        en: &'static str,
        target: Target,
        example: &'static str,
    ) -> Option<T> {
        let value: T = c.req(en, id(target.what(), example))?;
        // An id is the text it was read from.
        let text = c.text(en);
        ids.want(c, en, target, text);
        Some(value)
    }

    /// A setting's value, parsed in its own row: `Some(None)` when an optional setting is
    /// not given, `None` after a problem.
    fn setting<T>(
        &mut self,
        values: &HashMap<&'static str, u64>,
        en: &'static str,
        required: bool,
        parse: impl FnOnce(&str) -> Result<T, Bad>,
    ) -> Option<Option<T>> {
        let Some(line) = values.get(en) else {
            if required {
                if let Some((_, zh, about)) = SETTINGS.iter().find(|(e, _, _)| *e == en) {
                    self.problems.push(Problem::file(
                        &self.table.file,
                        ProblemKind::MissingValue,
                        format!("missing setting \"{zh} {en}\" ({about})"),
                    ));
                }
                return None;
            }
            return Some(None);
        };
        let record = self.table.rows.iter().find(|r| r.line == *line)?;
        let mut c = Cells {
            table: self.table,
            record,
            problems: self.problems,
        };
        if required {
            c.req("value", parse).map(Some)
        } else {
            c.opt("value", parse)
        }
    }

    fn policy(&mut self) -> Option<(Settings, u64, HashMap<&'static str, u64>)> {
        let mut values: HashMap<&'static str, u64> = HashMap::new();
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let name = c.text("setting").to_string();
            let Some(&(en, zh, _)) = SETTINGS.iter().find(|(en, zh, _)| names(&name, zh, en))
            else {
                let list: Vec<String> = SETTINGS
                    .iter()
                    .map(|(en, zh, _)| format!("{zh} {en}"))
                    .collect();
                let message = if name.is_empty() {
                    format!("the cell is empty; expected a setting: {}", list.join(", "))
                } else {
                    format!("unknown setting; the settings are {}", list.join(", "))
                };
                c.problem("setting", ProblemKind::BadChoice, message);
                continue;
            };
            if let Some(first) = values.get(en) {
                c.problem(
                    "setting",
                    ProblemKind::DuplicateId,
                    format!("setting \"{zh} {en}\" is already on line {first}"),
                );
                continue;
            }
            values.insert(en, c.line());
        }
        let cooperative = self.setting(&values, "cooperative", true, text);
        let title = self.setting(&values, "title", false, text);
        let the_year = self.setting(&values, "year", true, year);
        let prefix = self.setting(&values, "event_prefix", false, event_prefix);
        let close = self.setting(&values, "close", false, choice(YES_NO));
        let closing = matches!(close, Some(None | Some(true)));
        let reserve = self.setting(&values, "reserve_percent", closing, percent);
        let welfare = self.setting(&values, "welfare_percent", false, percent);
        let patronage = self.setting(&values, "patronage_percent", closing, percent);
        let base = self.setting(&values, "patronage_base", false, choice(PATRONAGE_BASES));
        let land = self.setting(&values, "volume_land_weight", false, number_not_negative);
        let labour = self.setting(&values, "volume_labour_weight", false, number_not_negative);
        let collective = self.setting(&values, "collective_percent", false, percent);
        let convert = self.setting(&values, "convert_to_capital_percent", false, percent);
        let cover = self.setting(&values, "cover_loss_from_reserve", false, choice(YES_NO));
        let prior_log = self.setting(&values, "prior_log", false, text);
        let (
            Some(Some(cooperative)),
            Some(title),
            Some(Some(the_year)),
            Some(prefix),
            Some(_),
            Some(reserve),
            Some(welfare),
            Some(patronage),
            Some(base),
            Some(land),
            Some(labour),
            Some(collective),
            Some(convert),
            Some(cover),
            Some(prior_log),
        ) = (
            cooperative,
            title,
            the_year,
            prefix,
            close,
            reserve,
            welfare,
            patronage,
            base,
            land,
            labour,
            collective,
            convert,
            cover,
            prior_log,
        )
        else {
            return None;
        };
        let close_line = values
            .get("close")
            .or_else(|| values.get("year"))
            .copied()
            .unwrap_or(1);
        let policy = if closing {
            let policy = DistributionPolicy {
                reserve_percent: reserve.unwrap_or_default(),
                welfare_percent: welfare.unwrap_or_default(),
                patronage_percent: patronage.unwrap_or_default(),
                base: base.unwrap_or(crate::PatronageBase::ThisYear),
                volume: VolumeWeights {
                    land_mu_days: land.unwrap_or(Decimal::ONE),
                    labour_pay: labour.unwrap_or_default(),
                },
                collective_percent: collective.unwrap_or_default(),
                convert_to_capital_percent: convert.unwrap_or_default(),
                cover_loss_from_reserve: cover.unwrap_or(false),
            };
            if let Err(broken) = policy.broken_rule() {
                let (field, e) = *broken;
                // The value cell of the setting that breaks the rule, or the file when its
                // row is absent (volume weights left to their defaults).
                let en = match field {
                    "volume" if !values.contains_key("volume_land_weight") => {
                        "volume_labour_weight"
                    }
                    "volume" => "volume_land_weight",
                    field => field,
                };
                let record = values
                    .get(en)
                    .and_then(|line| self.table.rows.iter().find(|r| r.line == *line));
                match record {
                    Some(record) => Cells {
                        table: self.table,
                        record,
                        problems: self.problems,
                    }
                    .problem("value", ProblemKind::BadNumber, e.to_string()),
                    None => self.problems.push(Problem::file(
                        &self.table.file,
                        ProblemKind::BadNumber,
                        e.to_string(),
                    )),
                }
                return None;
            }
            Some(policy)
        } else {
            None
        };
        Some((
            Settings {
                title: title.unwrap_or_else(|| format!("{cooperative}, {the_year}")),
                cooperative,
                year: the_year,
                event_prefix: prefix.unwrap_or_else(|| the_year.to_string()),
                close: policy,
                prior_log,
            },
            close_line,
            values,
        ))
    }

    fn accounts(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let code = c.req("code", |t| {
                AccountCode::new(t).map_err(|_| Bad {
                    kind: ProblemKind::BadId,
                    expected: "a sub-account code: a standard code, a dot and a segment of A-Z, digits and '-', such as 521.RENT".into(),
                })
            });
            if let Some(code) = &code {
                self.ids
                    .define(&mut c, "code", Target::Account, code.as_str());
            }
            let name_zh = c.req("name_zh", text);
            let name_en = c.req("name_en", text);
            let line = c.line();
            all!(code, name_zh, name_en);
            self.stage(
                line,
                row,
                Event::AccountOpened {
                    code,
                    name_zh,
                    name_en,
                },
            );
        }
    }

    fn members(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let member: Option<MemberId> = c.req("member", id("member", "H01"));
            if let Some(member) = &member {
                self.ids
                    .define(&mut c, "member", Target::Member, member.as_str());
            }
            let name = c.req("name", text);
            let sort = c
                .opt("kind", choice(MEMBER_KINDS))
                .map(|k| k.unwrap_or(MemberSort::Household));
            let kind = match sort {
                Some(MemberSort::Household) => c
                    .needed("persons", "a household", count(1))
                    .map(|persons| MemberKind::Household { persons }),
                Some(MemberSort::Collective) => c
                    .unused("persons", "a collective")
                    .map(|()| MemberKind::Collective),
                Some(MemberSort::LegalPerson) => c
                    .unused("persons", "a legal person")
                    .map(|()| MemberKind::LegalPerson),
                None => None,
            };
            let village = c.req("village", text);
            let joined = c.req("joined", date);
            // The leaving is one of the year's transactions: it is dated in the year, unless
            // the earlier years' book has it (and then it must be the same).
            let left_year = match (&member, self.earlier) {
                (Some(member), Some(earlier)) if earlier.has_left(member.as_str()) => None,
                _ => self.year,
            };
            let left = match (c.opt("left", date_in(left_year)), joined) {
                (Some(Some(left)), Some(joined)) if left < joined => {
                    c.problem(
                        "left",
                        ProblemKind::BadDate,
                        format!(
                            "the last day of membership, {left}, is before the day the member joined, {joined}; expected a day on or after it"
                        ),
                    );
                    None
                }
                (left, _) => left,
            };
            let line = c.line();
            all!(member, name, kind, village, joined, left);
            if let Some(left) = left {
                self.ids
                    .left
                    .insert(member.as_str().to_string(), (left, line));
            }
            self.stage(
                line,
                row,
                Event::MemberJoined {
                    member: Member {
                        id: member.clone(),
                        name: name.into(),
                        kind,
                        village: village.into(),
                        joined,
                        left: None,
                    },
                },
            );
            if let Some(date) = left {
                // Ordered by its date among the year's transactions (see `super::order`).
                self.stage(line, row, Event::MemberLeft { member, date });
            }
        }
    }

    fn parcels(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let parcel: Option<ParcelId> = c.req("parcel", id("parcel", "P01-1"));
            if let Some(parcel) = &parcel {
                self.ids
                    .define(&mut c, "parcel", Target::Parcel, parcel.as_str());
            }
            let owner: Option<MemberId> =
                Self::reference(&mut c, self.ids, "owner", Target::Member, "H01");
            let area = c.req("area", super::cells::area);
            let village = c.req("village", text);
            let land_class = c.req("land_class", text);
            let registered = c.req("registered", date);
            let line = c.line();
            all!(parcel, owner, area, village, land_class, registered);
            self.stage(
                line,
                row,
                Event::ParcelRegistered {
                    parcel: Parcel {
                        id: parcel,
                        owner,
                        area,
                        village: village.into(),
                        land_class: land_class.into(),
                        registered,
                        retired: None,
                    },
                },
            );
        }
    }

    fn contracts(&mut self) {
        /// The columns a contract's rows share.
        const TERMS: [&str; 19] = [
            "member",
            "start",
            "end",
            "kind",
            "rent_terms",
            "yuan_per_mu",
            "step_percent",
            "step_every_years",
            "crop",
            "unit",
            "quantity_per_mu",
            "reset_every_years",
            "shares_per_mu",
            "value_per_share",
            "guaranteed_per_share",
            "pro_rating",
            "payment",
            "pay_by",
            "charge_to",
        ];
        let mut order: Vec<String> = Vec::new();
        let mut contracts: HashMap<String, PendingContract> = HashMap::new();
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let Some(contract) = c.req("contract", id::<ContractId>("contract", "LZ01")) else {
                continue;
            };
            let parcel: Option<ParcelId> =
                Self::reference(&mut c, self.ids, "parcel", Target::Parcel, "P01-1");
            let area = c.req("area", super::cells::area);
            let line = match (parcel, area) {
                (Some(parcel), Some(area)) => Some(ContractLine { parcel, area }),
                _ => None,
            };
            if let Some(PendingContract {
                first_row,
                contract: terms,
                lines,
                parcels,
            }) = contracts.get_mut(contract.as_str())
            {
                let first_row = *first_row;
                let first_parsed = terms.is_some();
                let parcel_text = c.text("parcel").to_string();
                if !parcel_text.is_empty() && parcels.contains(&parcel_text) {
                    c.problem(
                        "parcel",
                        ProblemKind::DuplicateId,
                        format!("parcel {parcel_text:?} is already in contract {contract}; give each parcel of a contract one row"),
                    );
                }
                parcels.push(parcel_text);
                lines.push(line);
                // The terms are the first row's; the others repeat them or leave them empty.
                // (When the first row's terms have problems, those are reported instead.)
                let Some(first) = self.table.rows.get(first_row).filter(|_| first_parsed) else {
                    continue;
                };
                for en in TERMS {
                    let here = c.text(en);
                    let there = self.table.cell(first, en).unwrap_or("");
                    if !here.is_empty() && !same_term(en, here, there) {
                        c.problem(
                            en,
                            ProblemKind::Inconsistent,
                            format!(
                                "the first row of contract {contract} (line {}) has {there:?}; the rows of a contract share its terms: repeat them or leave the cell empty",
                                first.line
                            ),
                        );
                    }
                }
                continue;
            }
            self.ids
                .define(&mut c, "contract", Target::Contract, contract.as_str());
            let parsed = Self::contract_terms(&mut c, self.ids, contract.clone());
            if let Some(terms) = &parsed {
                Self::past_leaving(self.ids, &c, terms);
                self.ids.holders.insert(
                    contract.as_str().to_string(),
                    (
                        terms.member.clone(),
                        matches!(terms.kind, ContractKind::LandShares { .. }),
                    ),
                );
            }
            order.push(contract.as_str().to_string());
            contracts.insert(
                contract.as_str().to_string(),
                PendingContract {
                    first_row: row,
                    contract: parsed,
                    lines: vec![line],
                    parcels: vec![c.text("parcel").to_string()],
                },
            );
        }
        for name in order {
            let Some(PendingContract {
                first_row: row,
                contract: Some(mut contract),
                lines,
                ..
            }) = contracts.remove(&name)
            else {
                continue;
            };
            let Some(lines) = lines.into_iter().collect::<Option<Vec<_>>>() else {
                continue;
            };
            contract.lines = lines;
            let line = self.table.rows.get(row).map_or(0, |r| r.line);
            self.stage(
                line,
                row,
                Event::ContractSigned {
                    contract: Box::new(contract),
                },
            );
        }
    }

    /// Notes a contract that runs past the last day of its member, who leaves: the book
    /// refuses the leaving while a contract of theirs still runs (with area) after it.
    fn past_leaving(ids: &mut Ids, c: &Cells, contract: &Contract) {
        let Some(&(left, member_line)) = ids.left.get(contract.member.as_str()) else {
            return;
        };
        if contract.end <= left {
            return;
        }
        let members = ids
            .loaded
            .get(&FileKind::Members)
            .map_or(FileKind::Members.name(), String::as_str);
        let column = c.table.column("end");
        let problem = Problem {
            file: c.table.file.clone(),
            line: Some(c.line()),
            column: (column.number > 0).then_some(column),
            kind: ProblemKind::BadDate,
            message: format!(
                "contract {} runs to {}, past {left}, the last day of member {} ({members} line {member_line}); a member leaves only once their contracts have ended: end the contract by {left} (its 终止日期 end, or a 合同解除 end row of land_changes.csv dated {left} or before), or leave the member's 退社日期 left empty",
                contract.id, contract.end, contract.member
            ),
        };
        ids.running_past_leaving
            .push((contract.id.as_str().to_string(), problem));
    }

    /// The terms of a contract from its first row (its lines are added after).
    fn contract_terms(c: &mut Cells, ids: &Ids, contract: ContractId) -> Option<Contract> {
        let member: Option<MemberId> = Self::reference(c, ids, "member", Target::Member, "H01");
        let start = c.req("start", date);
        let end = c.req("end", date);
        let sort = c
            .opt("kind", choice(CONTRACT_KINDS))
            .map(|k| k.unwrap_or(ContractSort::Transfer));
        let kind = match sort {
            Some(ContractSort::Transfer) => {
                Self::rent_terms(c).map(|rent| ContractKind::Transfer { rent })
            }
            Some(ContractSort::LandShares) => {
                let why = "a land-share contract";
                let unused = [
                    "rent_terms",
                    "yuan_per_mu",
                    "step_percent",
                    "step_every_years",
                    "crop",
                    "unit",
                    "quantity_per_mu",
                    "reset_every_years",
                ]
                .map(|en| c.unused(en, why));
                let shares_per_mu = c.needed("shares_per_mu", why, number_positive);
                let value_per_share = c.needed("value_per_share", why, amount_not_negative);
                let guaranteed_per_share =
                    c.needed("guaranteed_per_share", why, price_not_negative);
                match (
                    unused.iter().all(Option::is_some),
                    shares_per_mu,
                    value_per_share,
                    guaranteed_per_share,
                ) {
                    (
                        true,
                        Some(shares_per_mu),
                        Some(value_per_share),
                        Some(guaranteed_per_share),
                    ) => Some(ContractKind::LandShares {
                        shares_per_mu,
                        value_per_share,
                        guaranteed_per_share,
                    }),
                    _ => None,
                }
            }
            None => None,
        };
        let pro_rating = c
            .opt("pro_rating", choice(PRO_RATING))
            .map(|p| p.unwrap_or(crate::ProRating::ActualDays));
        let payment = c.req("payment", choice(PAYMENT_TERMS));
        let pay_by = c.req("pay_by", month_day);
        let charge_to = c.req("charge_to", |t| {
            AccountCode::new(t).map_err(|_| Bad {
                kind: ProblemKind::BadId,
                expected: "an account code such as 521.RENT or 401".into(),
            })
        });
        let (member, start, end, kind, pro_rating, payment, (month, day), charge_to) = (
            member?,
            start?,
            end?,
            kind?,
            pro_rating?,
            payment?,
            pay_by?,
            charge_to?,
        );
        let payment = match payment {
            PaymentSort::InAdvance => PaymentTerms::InAdvance { month, day },
            PaymentSort::InArrears => PaymentTerms::InArrears { month, day },
        };
        Some(Contract {
            id: contract,
            member,
            lines: Vec::new(),
            start,
            end,
            kind,
            pro_rating,
            payment,
            charge_to,
        })
    }

    fn rent_terms(c: &mut Cells) -> Option<RentTerms> {
        let sort = c
            .opt("rent_terms", choice(RENT_TERMS))
            .map(|t| t.unwrap_or(TermsSort::Fixed))?;
        let shares = ["shares_per_mu", "value_per_share", "guaranteed_per_share"]
            .map(|en| c.unused(en, "a transfer contract"));
        let terms = match sort {
            TermsSort::Fixed => {
                let why = "fixed rent";
                let unused = [
                    "step_percent",
                    "step_every_years",
                    "crop",
                    "unit",
                    "quantity_per_mu",
                    "reset_every_years",
                ]
                .map(|en| c.unused(en, why));
                let yuan_per_mu = c.needed("yuan_per_mu", why, price_not_negative);
                unused.iter().all(Option::is_some).then_some(())?;
                RentTerms::Fixed {
                    yuan_per_mu: yuan_per_mu?,
                }
            }
            TermsSort::Stepped => {
                let why = "stepped rent";
                let unused = ["crop", "unit", "quantity_per_mu", "reset_every_years"]
                    .map(|en| c.unused(en, why));
                let yuan_per_mu = c.needed("yuan_per_mu", why, price_not_negative);
                let step_percent = c.needed("step_percent", why, number_not_negative);
                let every_years = c.needed("step_every_years", why, count(1));
                unused.iter().all(Option::is_some).then_some(())?;
                RentTerms::Stepped {
                    yuan_per_mu: yuan_per_mu?,
                    step_percent: step_percent?,
                    every_years: every_years?,
                }
            }
            TermsSort::GrainIndexed => {
                let why = "grain-indexed rent";
                let unused =
                    ["yuan_per_mu", "step_percent", "step_every_years"].map(|en| c.unused(en, why));
                let crop = c.needed("crop", why, text);
                let unit = c.needed("unit", why, choice(GRAIN_UNITS));
                let quantity_per_mu = c.needed("quantity_per_mu", why, number_positive);
                let reset_every_years = c.needed("reset_every_years", why, count(1));
                unused.iter().all(Option::is_some).then_some(())?;
                RentTerms::GrainIndexed {
                    crop: crop?,
                    unit: unit?,
                    quantity_per_mu: quantity_per_mu?,
                    reset_every_years: reset_every_years?,
                }
            }
        };
        shares.iter().all(Option::is_some).then_some(terms)
    }

    fn grain_prices(&mut self) {
        let mut seen: HashMap<(String, crate::GrainUnit, Date), u64> = HashMap::new();
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let crop = c.req("crop", text);
            let unit = c.req("unit", choice(GRAIN_UNITS));
            let day = c.req("date", date);
            let price = c.req("price", price_positive);
            let line = c.line();
            all!(crop, unit, day, price);
            if let Some(first) = seen.get(&(crop.clone(), unit, day)) {
                c.row_problem(
                    ProblemKind::DuplicateId,
                    format!(
                        "the price of {crop} per {} on {day} is already on line {first}",
                        unit.name()
                    ),
                );
                continue;
            }
            seen.insert((crop.clone(), unit, day), line);
            self.stage(
                line,
                row,
                Event::GrainPriceRecorded {
                    crop,
                    unit,
                    date: day,
                    price,
                },
            );
        }
    }

    fn loans(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let loan: Option<LoanId> = c.req("loan", id("loan", "L2019-01"));
            if let Some(loan) = &loan {
                self.ids.define(&mut c, "loan", Target::Loan, loan.as_str());
            }
            let lender = c.req("lender", text);
            let term = c.req("term", choice(LOAN_TERMS));
            let amount = c.req("amount", amount_positive);
            let rate = c.req("rate_percent", percent);
            let day_count = c.req("day_count", choice(DAY_COUNTS));
            let signed = c.req("signed", date);
            let maturity = c.req("maturity", date);
            let list = c.text("raised_for").to_string();
            let mut raised_for = Some(Vec::new());
            for item in split_list(&list) {
                match id::<MemberId>("member", "H01")(item) {
                    Ok(member) => {
                        self.ids
                            .want(&mut c, "raised_for", Target::Member, member.as_str());
                        if let Some(list) = raised_for.as_mut() {
                            list.push(member);
                        }
                    }
                    Err(bad) => {
                        c.problem(
                            "raised_for",
                            bad.kind,
                            format!(
                                "expected member ids separated by spaces or 、, found {item:?}"
                            ),
                        );
                        raised_for = None;
                    }
                }
            }
            let line = c.line();
            all!(loan, lender, term, amount, rate, day_count, signed, maturity, raised_for);
            self.stage(
                line,
                row,
                Event::LoanSigned {
                    loan: Loan {
                        id: loan,
                        lender,
                        term,
                        amount,
                        annual_rate_percent: rate,
                        day_count,
                        signed,
                        maturity,
                        raised_for,
                    },
                },
            );
        }
    }

    fn greenhouses(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let greenhouse: Option<GreenhouseId> = c.req("greenhouse", id("greenhouse", "GH01"));
            if let Some(greenhouse) = &greenhouse {
                self.ids.define(
                    &mut c,
                    "greenhouse",
                    Target::Greenhouse,
                    greenhouse.as_str(),
                );
            }
            let name = c.req("name", text);
            let area = c.req("area", super::cells::area);
            let crop: Option<CropId> = c.req("crop", id("crop", "GRAPE"));
            // A greenhouse of the earlier years' book was built then, and may have been taken
            // out of use then: its row must say what that book holds.
            let (built_year, retired_year) = match (&greenhouse, self.earlier) {
                (Some(greenhouse), Some(earlier))
                    if earlier.knows(Target::Greenhouse, greenhouse.as_str()) =>
                {
                    let retired = earlier.has_retired(greenhouse.as_str());
                    (None, if retired { None } else { self.year })
                }
                _ => (self.year, self.year),
            };
            let built = c.req("built", date_in(built_year));
            let cost = c.req("cost", amount_positive);
            let residual = c.req("residual", amount_not_negative);
            let life_months = c.req("life_months", count(1));
            let paid_from = c.req("paid_from", choice(COST_PAYMENT));
            let retirement = Self::retirement(&mut c, retired_year, built, RETIRED_GREENHOUSE);
            let line = c.line();
            all!(
                greenhouse,
                name,
                area,
                crop,
                built,
                cost,
                residual,
                life_months,
                paid_from,
                retirement
            );
            if let Some((date, _, _)) = retirement {
                self.ids
                    .retired
                    .insert(greenhouse.as_str().to_string(), (date, line));
            }
            self.stage(
                line,
                row,
                Event::GreenhouseBuilt {
                    greenhouse: Greenhouse {
                        id: greenhouse.clone(),
                        name: name.into(),
                        area,
                        crop,
                        built,
                        cost,
                        residual,
                        life_months,
                    },
                    paid_from,
                },
            );
            if let Some((date, proceeds, into)) = retirement {
                // Ordered by its date among the year's transactions (see `super::order`).
                self.stage(
                    line,
                    row,
                    Event::GreenhouseRetired {
                        greenhouse,
                        date,
                        proceeds,
                        into,
                    },
                );
            }
        }
    }

    fn assets(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let asset: Option<AssetId> = c.req("asset", id("asset", "V01"));
            if let Some(asset) = &asset {
                self.ids
                    .define(&mut c, "asset", Target::Asset, asset.as_str());
            }
            let name = c.req("name", text);
            let kind = c.req("kind", choice(ASSET_KINDS));
            // An asset of the earlier years' book was put into use then, and may have been
            // taken out of use then: its row must say what that book holds.
            let (in_use_year, retired_year) = match (&asset, self.earlier) {
                (Some(asset), Some(earlier)) if earlier.knows(Target::Asset, asset.as_str()) => {
                    let retired = earlier.has_retired_asset(asset.as_str());
                    (None, if retired { None } else { self.year })
                }
                _ => (self.year, self.year),
            };
            let in_use = c.req("in_use", date_in(in_use_year));
            let cost = c.req("cost", amount_positive);
            let residual = c.req("residual", amount_not_negative);
            let method = match c.opt("method", choice(DEPRECIATION_METHODS)) {
                Some(Some(MethodSort::UnitsOfWork)) => {
                    let why = "an asset depreciated by units of work";
                    let unused = c.unused("life_months", why);
                    let total = c.needed("total_units", why, number_positive);
                    unused
                        .and(total)
                        .map(|total_units| crate::DepreciationMethod::UnitsOfWork { total_units })
                }
                Some(_) => {
                    let why = "an asset depreciated straight-line";
                    let unused = c.unused("total_units", why);
                    let life = c.needed("life_months", why, count(1));
                    unused
                        .and(life)
                        .map(|life_months| crate::DepreciationMethod::StraightLine { life_months })
                }
                None => None,
            };
            let greenhouse = c.opt("greenhouse", id::<GreenhouseId>("greenhouse", "GH01"));
            if let Some(Some(greenhouse)) = &greenhouse {
                self.ids.want(
                    &mut c,
                    "greenhouse",
                    Target::Greenhouse,
                    greenhouse.as_str(),
                );
            }
            let paid_from = c.req("paid_from", choice(COST_PAYMENT));
            let retirement = Self::retirement(&mut c, retired_year, in_use, RETIRED_ASSET);
            let line = c.line();
            all!(
                asset, name, kind, in_use, cost, residual, method, greenhouse, paid_from,
                retirement
            );
            self.stage(
                line,
                row,
                Event::AssetAcquired {
                    asset: crate::Asset {
                        id: asset.clone(),
                        name: name.into(),
                        kind,
                        in_use,
                        cost,
                        residual,
                        depreciation: method,
                        greenhouse,
                    },
                    paid_from,
                },
            );
            if let Some((date, proceeds, into)) = retirement {
                // Ordered by its date among the year's transactions (see `super::order`).
                self.stage(
                    line,
                    row,
                    Event::AssetRetired {
                        asset,
                        date,
                        proceeds,
                        into,
                    },
                );
            }
        }
    }

    /// A greenhouse's or an asset's row's retirement: `Some(None)` for one still in use
    /// (the retirement's cells empty), `None` after a problem.
    fn retirement(
        c: &mut Cells,
        year: Option<i32>,
        built: Option<Date>,
        words: RetiredWords,
    ) -> Option<Option<Retirement>> {
        if c.text("retired").is_empty() {
            let why = words.only;
            let unused = [
                c.unused("proceeds", &format!("{why} proceeds; this row")),
                c.unused(
                    "proceeds_account",
                    &format!("{why} a proceeds account; this row"),
                ),
            ];
            return unused.iter().all(Option::is_some).then_some(None);
        }
        let retired = match (c.opt("retired", date_in(year)), built) {
            (Some(Some(retired)), Some(built)) if retired < built => {
                c.problem(
                    "retired",
                    ProblemKind::BadDate,
                    format!(
                        "the last day in use, {retired}, is before the day {} {built}; expected a day on or after it",
                        words.start
                    ),
                );
                None
            }
            (retired, _) => retired.flatten(),
        };
        let proceeds = c
            .opt("proceeds", amount_not_negative)
            .map(Option::unwrap_or_default);
        let into = c
            .opt("proceeds_account", choice(CASH))
            .map(|a| a.unwrap_or(crate::CashAccount::Bank));
        Some(Some((retired?, proceeds?, into?)))
    }

    fn grants(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let day = c.req("date", date_in(self.year));
            let kind = c.req("kind", choice(GRANT_KINDS));
            let amount = c.req("amount", amount_positive);
            let account = c
                .opt("account", choice(CASH))
                .map(|a| a.unwrap_or(crate::CashAccount::Bank));
            let line = c.line();
            let event = match kind {
                Some(GrantKind::Received) => {
                    let why = "a grant received";
                    let grant: Option<GrantId> = c.needed("grant", why, id("grant", "G2019-01"));
                    let source = c.needed("source", why, text);
                    let purpose = c.needed("purpose", why, text);
                    all!(day, amount, account, grant, source, purpose);
                    Event::GrantReceived {
                        grant,
                        purpose,
                        source,
                        date: day,
                        amount,
                        into: account,
                    }
                }
                Some(GrantKind::SpentOnAsset) => {
                    let why = "a grant spent on an asset";
                    let grant: Option<GrantId> = c.needed("grant", why, id("grant", "G2019-01"));
                    let asset = c.needed("purpose", why, text);
                    let unused = [c.unused("source", why), c.unused("account", why)];
                    all!(day, amount, grant, asset);
                    if unused.iter().any(Option::is_none) {
                        continue;
                    }
                    Event::GrantSpent {
                        grant,
                        date: day,
                        amount,
                        on: GrantUse::Asset { asset },
                    }
                }
                Some(GrantKind::SpentOnExpense) => {
                    let why = "a grant spent on an expense";
                    let grant: Option<GrantId> = c.needed("grant", why, id("grant", "G2019-01"));
                    let purpose = c.needed("purpose", why, text);
                    let unused = c.unused("source", why);
                    all!(day, amount, account, grant, purpose);
                    if unused.is_none() {
                        continue;
                    }
                    Event::GrantSpent {
                        grant,
                        date: day,
                        amount,
                        on: GrantUse::Expense {
                            purpose,
                            from: account,
                        },
                    }
                }
                Some(GrantKind::Donation) => {
                    let why = "a donation";
                    let donor = c.needed("source", why, text);
                    let unused = [c.unused("grant", why), c.unused("purpose", why)];
                    all!(day, amount, account, donor);
                    if unused.iter().any(Option::is_none) {
                        continue;
                    }
                    Event::DonationReceived {
                        donor,
                        date: day,
                        amount,
                        into: account,
                    }
                }
                None => continue,
            };
            self.stage(line, row, event);
        }
    }

    /// A greenhouse id cell that must name a greenhouse of `greenhouses.csv`.
    fn greenhouse_ref(
        c: &mut Cells,
        ids: &Ids,
        en: &'static str,
        item: &str,
    ) -> Option<GreenhouseId> {
        match id::<GreenhouseId>("greenhouse", "GH01")(item) {
            Ok(greenhouse) => {
                ids.want(c, en, Target::Greenhouse, greenhouse.as_str());
                Some(greenhouse)
            }
            Err(bad) => {
                c.problem(
                    en,
                    bad.kind,
                    format!("expected {}, found {item:?}", bad.expected),
                );
                None
            }
        }
    }

    fn costs(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let day = c.req("date", date_in(self.year));
            let kind = c.req("kind", choice(COST_KINDS));
            let amount = c.req("amount", amount_positive);
            let target = match c.text("charged_to").to_string() {
                t if t.is_empty() => {
                    c.req("charged_to", |_| -> Result<(), Bad> {
                        Err(Bad { kind: ProblemKind::MissingValue, expected: "a greenhouse id, several ids, 全部大棚 all_greenhouses or 管理 administration".into() })
                    });
                    None
                }
                t if ALL_GREENHOUSES_WORD.means(&t) => Some(CostTarget::AllGreenhouses),
                t if ADMINISTRATION_WORD.means(&t) => Some(CostTarget::Administration),
                t => {
                    let items = split_list(&t);
                    let parsed: Vec<Option<GreenhouseId>> = items
                        .iter()
                        .map(|item| Self::greenhouse_ref(&mut c, self.ids, "charged_to", item))
                        .collect();
                    match parsed.into_iter().collect::<Option<Vec<_>>>() {
                        Some(list) if list.len() == 1 => {
                            list.into_iter().next().map(CostTarget::Greenhouse)
                        }
                        Some(list) => Some(CostTarget::SharedByArea(list)),
                        None => None,
                    }
                }
            };
            let payment = c.req("payment", choice(COST_PAYMENT));
            let memo = c.opt("memo", text).map(Option::unwrap_or_default);
            let line = c.line();
            all!(day, kind, amount, target, payment, memo);
            let charged: &[GreenhouseId] = match &target {
                CostTarget::Greenhouse(greenhouse) => std::slice::from_ref(greenhouse),
                CostTarget::SharedByArea(list) => list,
                _ => &[],
            };
            let out_of_use = charged
                .iter()
                .map(|gh| self.ids.after_retirement(&mut c, "date", gh, day, "a cost"))
                .collect::<Vec<_>>();
            if out_of_use.iter().any(Option::is_none) {
                continue;
            }
            self.stage(
                line,
                row,
                Event::CostIncurred {
                    date: day,
                    kind,
                    amount,
                    target,
                    payment,
                    memo,
                },
            );
        }
    }

    fn labour(&mut self) {
        // Each row is read on its own, the two halves of a large file at once, each with
        // problems of its own, added here in order. The rows read are kept in a list made
        // here: memory a second thread allocates stays with its own heap when freed.
        let (table, ids, year) = (self.table, &*self.ids, self.year);
        let rows = &table.rows;
        let mut read: Vec<Option<(Date, u64, WorkRecord)>> =
            std::iter::repeat_with(|| None).take(rows.len()).collect();
        let (first, second) = crate::parallel::halves_into(
            rows,
            &mut read,
            crate::parallel::halfway(rows),
            LABOUR_PARALLEL_MIN,
            |part, out, _| {
                let mut problems = Problems::part();
                for (record, out) in part.iter().zip(out) {
                    let mut c = Cells {
                        table,
                        record,
                        problems: &mut problems,
                    };
                    *out = Self::work_row(&mut c, ids, year);
                }
                problems
            },
        );
        self.problems.append(first);
        if let Some(second) = second {
            self.problems.append(second);
        }
        // Timesheet date -> (first row, first line, records, their lines); in the order
        // first seen.
        let mut sheets: Vec<(Date, usize, u64, Vec<WorkRecord>, RecordLines)> = Vec::new();
        // Timesheet date -> its position in `sheets` (a file may hold many dates).
        let mut sheet_at: HashMap<Date, usize> = HashMap::new();
        for (row, read) in read.into_iter().enumerate() {
            // A row with problems is left out (see `work_row`).
            let Some((sheet, line, record)) = read else {
                continue;
            };
            match sheet_at.get(&sheet).and_then(|&at| sheets.get_mut(at)) {
                Some((.., records, lines)) => {
                    lines.push(records.len(), line);
                    records.push(record);
                }
                None => {
                    sheet_at.insert(sheet, sheets.len());
                    let mut lines = RecordLines::default();
                    lines.push(0, line);
                    sheets.push((sheet, row, line, vec![record], lines));
                }
            }
        }
        for (sheet, row, line, records, lines) in sheets {
            self.stage(
                line,
                row,
                Event::WorkRecorded {
                    date: sheet,
                    records,
                },
            );
            if let Some(staged) = self.staged.last_mut() {
                staged.record_lines = lines;
            }
        }
    }

    /// A row of the labour file: its timesheet's date, its line and its work record, or
    /// `None` after its problems.
    fn work_row(c: &mut Cells, ids: &Ids, year: Option<i32>) -> Option<(Date, u64, WorkRecord)> {
        // The timesheet is booked on its date, the day worked's when it has none: that
        // is the date that must be in the year, and the pay's.
        let no_sheet_date = c.text("sheet_date").is_empty();
        let day_year = if no_sheet_date { year } else { None };
        let day = c.req("date", date_in(day_year));
        let member_text = c.text("member");
        let other_text = c.text("non_member");
        let worker = match (member_text.is_empty(), other_text.is_empty()) {
            (false, true) => Self::reference::<MemberId>(c, ids, "member", Target::Member, "H01")
                .map(Worker::Member),
            (true, false) => c
                .req("non_member", |t| {
                    if t.len() > crate::pool::MAX_WORKER_NAME_BYTES {
                        Err(Bad {
                            kind: ProblemKind::BadText,
                            expected: format!(
                                "a name of at most {} bytes",
                                crate::pool::MAX_WORKER_NAME_BYTES
                            ),
                        })
                    } else {
                        text(t)
                    }
                })
                .map(Worker::NonMember),
            (true, true) => {
                c.row_problem(
                    ProblemKind::MissingValue,
                    "no worker; fill the member id or the non-member's name",
                );
                None
            }
            (false, false) => {
                c.problem("non_member", ProblemKind::BadText, "the row has a member id too; fill one of the member id and the non-member's name");
                None
            }
        };
        let task = match c.text("task") {
            t if ADMINISTRATION_WORD.means(t) => Some(Task::Administration),
            "" => c.req("task", |_| -> Result<Task, Bad> {
                Err(Bad {
                    kind: ProblemKind::MissingValue,
                    expected: "a greenhouse id or 管理 administration".into(),
                })
            }),
            t => Self::greenhouse_ref(c, ids, "task", t).map(Task::Greenhouse),
        };
        let basis = c.req("basis", choice(BASES));
        let quantity = c.req("quantity", number_not_negative);
        let rate = c.req("rate", price_not_negative);
        let kind = c.req("kind", choice(WORK_KINDS));
        let sheet = c.opt("sheet_date", date_in(year));
        let line = c.line();
        let sheet = match (sheet, day) {
            (Some(Some(sheet)), Some(day)) if sheet < day => {
                c.problem("sheet_date", ProblemKind::BadDate, format!("the timesheet date {sheet} is before the day worked, {day}; a timesheet is entered on or after the days it covers"));
                None
            }
            (Some(sheet), Some(day)) => Some(sheet.unwrap_or(day)),
            _ => None,
        };
        let (
            Some(day),
            Some(worker),
            Some(task),
            Some(basis),
            Some(quantity),
            Some(rate),
            Some(kind),
            Some(sheet),
        ) = (day, worker, task, basis, quantity, rate, kind, sheet)
        else {
            // A row with problems leaves its timesheet incomplete, but then the folder
            // is refused as a whole, so no incomplete timesheet is ever applied.
            return None;
        };
        if let Task::Greenhouse(greenhouse) = &task {
            ids.after_retirement(c, "date", greenhouse, day, "work")?;
        }
        if let Worker::Member(member) = &worker {
            let en = if no_sheet_date { "date" } else { "sheet_date" };
            ids.after_leaving(c, en, member, sheet, "their pay for work")?;
        }
        let pay = Pay::from_basis(basis, quantity, rate);
        Some((
            sheet,
            line,
            WorkRecord {
                worker,
                date: day,
                task,
                pay,
                kind,
            },
        ))
    }

    fn harvests(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let day = c.req("date", date_in(self.year));
            let greenhouse: Option<GreenhouseId> =
                Self::reference(&mut c, self.ids, "greenhouse", Target::Greenhouse, "GH01");
            let kg = c.req("kg", number_positive);
            let grade = c.opt("grade", text).map(Option::unwrap_or_default);
            let line = c.line();
            all!(day, greenhouse, kg, grade);
            if self
                .ids
                .after_retirement(&mut c, "date", &greenhouse, day, "a harvest")
                .is_none()
            {
                continue;
            }
            self.stage(
                line,
                row,
                Event::Harvested {
                    greenhouse,
                    date: day,
                    kg,
                    grade: grade.into(),
                },
            );
        }
    }

    fn sales(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let day = c.req("date", date_in(self.year));
            let greenhouse: Option<GreenhouseId> =
                Self::reference(&mut c, self.ids, "greenhouse", Target::Greenhouse, "GH01");
            let kg = c.req("kg", number_positive);
            let price_per_kg = c.req("price_per_kg", price_positive);
            let buyer = c.req("buyer", text);
            let payment = c.req("payment", choice(SALE_PAYMENT));
            let line = c.line();
            all!(day, greenhouse, kg, price_per_kg, buyer, payment);
            self.stage(
                line,
                row,
                Event::ProduceSold {
                    greenhouse,
                    date: day,
                    kg,
                    price_per_kg,
                    buyer: buyer.into(),
                    payment,
                },
            );
        }
    }

    fn adjustments(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let day = c.req("date", date_in(self.year));
            let kind = c.req("kind", choice(ADJUSTMENT_KINDS));
            let line = c.line();
            let event = match kind {
                Some(AdjustmentKind::RentAccrual) => {
                    let why = "a rent accrual";
                    let no_units = c.unused("units", why);
                    let from = c.needed("from", why, date);
                    let to = c.opt("to", date);
                    let refs = c.text("refs").to_string();
                    let mut contracts = Some(Vec::new());
                    for item in split_list(&refs) {
                        match id::<ContractId>("contract", "LZ01")(item) {
                            Ok(contract) => {
                                self.ids
                                    .want(&mut c, "refs", Target::Contract, contract.as_str());
                                if let Some(list) = contracts.as_mut() {
                                    list.push(contract);
                                }
                            }
                            Err(bad) => {
                                c.problem("refs", bad.kind, format!("expected contract ids separated by spaces or 、 (or nothing, for every contract), found {item:?}"));
                                contracts = None;
                            }
                        }
                    }
                    all!(day, from, to, contracts);
                    if no_units.is_none() {
                        continue;
                    }
                    let contracts = if contracts.is_empty() {
                        Accrue::All
                    } else {
                        Accrue::Contracts(contracts)
                    };
                    Event::RentAccrued {
                        from,
                        to: to.unwrap_or(day),
                        contracts,
                        date: day,
                    }
                }
                Some(AdjustmentKind::Depreciation) => {
                    let why = "depreciation";
                    let unused = [
                        c.unused("from", why),
                        c.unused("to", why),
                        c.unused("refs", why),
                        c.unused("units", why),
                    ];
                    all!(day);
                    if unused.iter().any(Option::is_none) {
                        continue;
                    }
                    Event::DepreciationBooked {
                        year: day.year(),
                        month: u8::from(day.month()),
                    }
                }
                Some(AdjustmentKind::Interest) => {
                    let why = "an interest accrual";
                    let unused = [
                        c.unused("from", why),
                        c.unused("to", why),
                        c.unused("units", why),
                    ];
                    let loan = c.needed("refs", why, id::<LoanId>("loan", "L2019-01"));
                    if let Some(loan) = &loan {
                        self.ids.want(&mut c, "refs", Target::Loan, loan.as_str());
                    }
                    all!(day, loan);
                    if unused.iter().any(Option::is_none) {
                        continue;
                    }
                    Event::LoanInterestAccrued { loan, through: day }
                }
                Some(AdjustmentKind::AssetWork) => {
                    let why = "units of work";
                    let unused = [c.unused("from", why), c.unused("to", why)];
                    let asset = c.needed("refs", why, id::<AssetId>("asset", "T01"));
                    if let Some(asset) = &asset {
                        self.ids.want(&mut c, "refs", Target::Asset, asset.as_str());
                    }
                    let units = c.needed("units", why, number_positive);
                    all!(day, asset, units);
                    if unused.iter().any(Option::is_none) {
                        continue;
                    }
                    Event::AssetWorkRecorded {
                        asset,
                        year: day.year(),
                        month: u8::from(day.month()),
                        units,
                    }
                }
                None => continue,
            };
            self.stage(line, row, event);
        }
    }

    fn payments(&mut self) {
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let day = c.req("date", date_in(self.year));
            let kind = c.req("kind", choice(PAYMENT_KINDS));
            let line = c.line();
            let Some(kind) = kind else { continue };
            let account = if kind == PaymentKind::ConvertReserve {
                c.unused(
                    "account",
                    "a conversion of reserve to capital moves no money (Dr 322, Cr 301); this row",
                )
                .map(|()| crate::CashAccount::Bank)
            } else {
                c.opt("account", choice(CASH))
                    .map(|a| a.unwrap_or(crate::CashAccount::Bank))
            };
            let interest = if kind == PaymentKind::LoanRepaid {
                c.opt("interest", amount_not_negative)
                    .map(Option::unwrap_or_default)
            } else {
                c.unused("interest", "only a loan repayment has interest; this row")
                    .map(|()| crate::Yuan::ZERO)
            };
            // A distribution's payout is what the year's close gave each member, which the
            // book works out: an amount the row gives (copied from the bank statement) is
            // checked against the book's when the folder runs, and not kept in the event.
            let stated = if kind == PaymentKind::SettleDistribution {
                c.opt("amount", amount_not_negative)
            } else {
                Some(None)
            };
            let amount = if kind == PaymentKind::LoanRepaid {
                c.req("amount", amount_not_negative)
            } else if kind == PaymentKind::SettleDistribution {
                stated.map(|_| crate::Yuan::ZERO)
            } else {
                c.req("amount", amount_positive)
            };
            let stated = stated.flatten().map(|amount| Stated {
                amount,
                column: c.table.column("amount"),
            });
            let member = |c: &mut Cells, ids: &Ids| {
                Self::reference::<MemberId>(c, ids, "party", Target::Member, "H01")
            };
            let loan = |c: &mut Cells, ids: &Ids| {
                Self::reference::<LoanId>(c, ids, "party", Target::Loan, "L2019-01")
            };
            let source = if matches!(kind, PaymentKind::Capital | PaymentKind::CapitalReturned) {
                c.opt("capital_source", choice(CAPITAL_SOURCES))
                    .map(Option::unwrap_or_default)
            } else {
                c.unused(
                    "capital_source",
                    "only a capital contribution or return has a source; this row",
                )
                .map(|()| crate::CapitalSource::Other)
            };
            // The land-share contract whose capital a return pays back.
            let contract = if kind == PaymentKind::CapitalReturned {
                if c.text("contract").is_empty() {
                    Some(None)
                } else {
                    Self::reference::<ContractId>(
                        &mut c,
                        self.ids,
                        "contract",
                        Target::Contract,
                        "RG01",
                    )
                    .map(Some)
                }
            } else {
                c.unused(
                    "contract",
                    "only a capital return names a contract; this row",
                )
                .map(|()| None)
            };
            let contract_read = contract.is_some();
            let premium = if kind == PaymentKind::Capital {
                c.opt("premium", amount_not_negative)
                    .map(Option::unwrap_or_default)
            } else {
                c.unused(
                    "premium",
                    "only a capital contribution has a premium; this row",
                )
                .map(|()| crate::Yuan::ZERO)
            };
            let event = match kind {
                PaymentKind::Capital => {
                    let member = member(&mut c, self.ids);
                    all!(day, account, amount, member, source, premium);
                    Event::CapitalContributed {
                        member,
                        date: day,
                        amount,
                        into: account,
                        source,
                        premium,
                    }
                }
                PaymentKind::CapitalReturned => {
                    let member = member(&mut c, self.ids);
                    all!(day, account, amount, member, source, contract);
                    if let Some(contract) = &contract {
                        if Self::capital_contract(&mut c, self.ids, &member, contract, source)
                            .is_none()
                        {
                            continue;
                        }
                    }
                    Event::CapitalReturned {
                        member,
                        date: day,
                        amount,
                        from: account,
                        contract,
                        source,
                    }
                }
                PaymentKind::Rent => {
                    let member = member(&mut c, self.ids);
                    all!(day, account, amount, member);
                    Event::RentPaid {
                        member,
                        date: day,
                        amount,
                        from: account,
                    }
                }
                PaymentKind::LabourWages | PaymentKind::StaffWages => {
                    let member = member(&mut c, self.ids);
                    all!(day, account, amount, member);
                    let wage = if kind == PaymentKind::LabourWages {
                        WageAccount::Labour
                    } else {
                        WageAccount::Staff
                    };
                    Event::WagesPaid {
                        worker: Worker::Member(member),
                        account: wage,
                        date: day,
                        amount,
                        from: account,
                    }
                }
                PaymentKind::NonMemberLabourWages | PaymentKind::NonMemberStaffWages => {
                    let name = c.req("party", text);
                    all!(day, account, amount, name);
                    let wage = if kind == PaymentKind::NonMemberLabourWages {
                        WageAccount::Labour
                    } else {
                        WageAccount::Staff
                    };
                    Event::WagesPaid {
                        worker: Worker::NonMember(name),
                        account: wage,
                        date: day,
                        amount,
                        from: account,
                    }
                }
                PaymentKind::LoanDrawn => {
                    let loan = loan(&mut c, self.ids);
                    all!(day, account, amount, loan);
                    Event::LoanDrawn {
                        loan,
                        date: day,
                        amount,
                        into: account,
                    }
                }
                PaymentKind::LoanRepaid => {
                    let loan = loan(&mut c, self.ids);
                    all!(day, account, amount, loan, interest);
                    Event::LoanRepaid {
                        loan,
                        date: day,
                        principal: amount,
                        interest,
                        from: account,
                    }
                }
                PaymentKind::InterestSubsidy => {
                    let loan = loan(&mut c, self.ids);
                    all!(day, account, amount, loan);
                    Event::InterestSubsidyReceived {
                        loan,
                        date: day,
                        amount,
                        into: account,
                    }
                }
                PaymentKind::Receivable => {
                    let buyer = c.req("party", text);
                    all!(day, account, amount, buyer);
                    Event::ReceivableCollected {
                        buyer: buyer.into(),
                        date: day,
                        amount,
                        into: account,
                    }
                }
                PaymentKind::SettleDistribution => {
                    let year = Self::distribution_year(&mut c, self.year, self.earlier);
                    // The book works out the payout; an amount the row gives is `stated`.
                    all!(day, account, amount, year);
                    let _ = amount;
                    Event::DistributionSettled {
                        year,
                        date: day,
                        from: account,
                    }
                }
                PaymentKind::RefundReserve => {
                    let member = member(&mut c, self.ids);
                    all!(day, account, amount, member);
                    Event::ReserveShareRefunded {
                        member,
                        date: day,
                        amount,
                        from: account,
                    }
                }
                PaymentKind::ConvertReserve => {
                    let member = member(&mut c, self.ids);
                    // The account cell was checked empty: a conversion moves no money.
                    all!(day, account, amount, member);
                    let _ = account;
                    Event::ReserveConverted {
                        member,
                        date: day,
                        amount,
                    }
                }
            };
            if interest.is_none() || source.is_none() || !contract_read {
                continue;
            }
            // A capital return and a reserve share paid back are not among these: a leaver
            // is paid back their capital and reserve share after their last day (law art. 28).
            let paid = match &event {
                Event::CapitalContributed { member, date, .. }
                | Event::RentPaid { member, date, .. }
                | Event::WagesPaid {
                    worker: Worker::Member(member),
                    date,
                    ..
                } => Some((member, *date, "a payment")),
                Event::ReserveConverted { member, date, .. } => Some((
                    member,
                    *date,
                    "a conversion of reserve to capital (a leaver's reserve share is paid back whole, 退还公积金 refund_reserve)",
                )),
                _ => None,
            };
            if let Some((member, day, what)) = paid {
                if self
                    .ids
                    .after_leaving(&mut c, "date", member, day, what)
                    .is_none()
                {
                    continue;
                }
            }
            self.stage(line, row, event);
            if let (Some(stated), Some(staged)) = (stated, self.staged.last_mut()) {
                staged.stated = Some(stated);
            }
        }
    }
}

impl FileReader<'_> {
    /// A problem with the value of setting `en` of `policy.csv` (the value cell of its row),
    /// or of setting `fallback` when `en` is not given, or with the file when neither is.
    fn setting_problem(
        &mut self,
        lines: &HashMap<&'static str, u64>,
        [en, fallback]: [&str; 2],
        message: String,
    ) {
        let record = lines
            .get(en)
            .or_else(|| lines.get(fallback))
            .and_then(|line| self.table.rows.iter().find(|r| r.line == *line));
        match record {
            Some(record) => Cells {
                table: self.table,
                record,
                problems: self.problems,
            }
            .problem("value", ProblemKind::EarlierBook, message),
            None => self.problems.push(Problem::file(
                &self.table.file,
                ProblemKind::EarlierBook,
                message,
            )),
        }
    }

    /// The book of the earlier years, when `policy.csv` names their log (上年账簿
    /// prior_log) or the caller gives it: replayed from the log, and checked to end in a
    /// closed year before the folder's. `Err` after a problem with it.
    fn earlier_book(
        &mut self,
        settings: &Settings,
        lines: &HashMap<&'static str, u64>,
        prior: Prior<'_>,
    ) -> Result<Option<Earlier>, ()> {
        let named = settings.prior_log.as_deref();
        let (book, shown) = match (prior, named) {
            (Prior::Book(book), named) => (
                *book,
                named.map_or_else(
                    || "given by the caller".to_string(),
                    |log| format!("{log:?}"),
                ),
            ),
            (_, None) => return Ok(None),
            (Prior::Unavailable, Some(log)) => {
                self.setting_problem(
                    lines,
                    ["prior_log", "year"],
                    format!(
                        "the earlier years' event log {log:?} cannot be opened from the folder's files alone: read the folder from its directory (BookFolder::read, season DIR), or give the earlier book (BookFolder::from_files_after)"
                    ),
                );
                return Err(());
            }
            (Prior::Dir(dir), Some(log)) => {
                let path = dir.join(log);
                match open_log(&path) {
                    Ok(book) => (book, format!("{log:?}")),
                    Err(why) => {
                        self.setting_problem(
                            lines,
                            ["prior_log", "year"],
                            format!(
                                "the earlier years' event log {log:?} ({}) {why}",
                                path.display()
                            ),
                        );
                        return Err(());
                    }
                }
            }
        };
        let year = settings.year;
        let Some(last) = last_day(&book) else {
            self.setting_problem(
                lines,
                ["prior_log", "year"],
                format!(
                    "the earlier book ({shown}) has no dated event and no closed year: expected the event log of the earlier years, ending in a closed year"
                ),
            );
            return Err(());
        };
        let mut fine = Ok(());
        if last.year() >= year {
            self.setting_problem(
                lines,
                ["year", "year"],
                format!(
                    "the earlier book ({shown}) has events up to {last}, so this folder's year, {year}, does not come after its years: expected a year after {} (or the log of the years before {year})",
                    last.year()
                ),
            );
            fine = Err(());
        }
        if book.journal().latest_closed() != Some(last.year()) {
            self.setting_problem(
                lines,
                ["prior_log", "year"],
                format!(
                    "the earlier book ({shown}) does not close its last year, {}: a year starts from the closing balances of the year before, so close it first (年终结账 close 是 yes in its policy.csv) and name the events.jsonl of that run",
                    last.year()
                ),
            );
            fine = Err(());
        }
        fine.map(|()| Some(Earlier::new(book, shown)))
    }

    /// Leaves out of the events this file staged (from `start` on) those the earlier years'
    /// book holds already, and makes a problem of each row that says otherwise than it: a
    /// register carried forward (members, parcels, contracts, …, and greenhouses) is
    /// applied once, in the year it was added.
    fn carry_forward(&mut self, start: usize) {
        let Some(earlier) = self.earlier else {
            return;
        };
        let ours = self.staged.split_off(start.min(self.staged.len()));
        // The members (greenhouses) whose rows give a leaving (a retirement).
        let filled: HashSet<String> = ours
            .iter()
            .filter_map(|s| match &s.event {
                Event::MemberLeft { member, .. } => Some(member.as_str().to_string()),
                Event::GreenhouseRetired { greenhouse, .. } => {
                    Some(greenhouse.as_str().to_string())
                }
                Event::AssetRetired { asset, .. } => Some(asset.as_str().to_string()),
                _ => None,
            })
            .collect();
        let mut reported: HashSet<u64> = HashSet::new();
        for staged in ours {
            let difference = match earlier.carried(&staged.event) {
                Carried::New => {
                    self.staged.push(staged);
                    continue;
                }
                Carried::Same => {
                    // Left (taken out of use) in the earlier years: the row says so too.
                    let id = earlier::register_key(&staged.event).map(|(_, id)| id);
                    let fill = earlier.fill_of(&staged.event);
                    match (fill.first(), id) {
                        (Some((en, was)), Some(id)) if !filled.contains(&id) => {
                            earlier::Difference {
                                en,
                                header: column_header(self.table.kind, en),
                                row: 0,
                                was: was.clone(),
                                now: String::new(),
                                also: Vec::new(),
                            }
                        }
                        _ => continue,
                    }
                }
                Carried::Differs(difference) => difference,
            };
            if reported.insert(staged.line) {
                self.carried_problem(&staged, &difference, earlier);
            }
        }
    }

    /// The problem with a row carried forward that says otherwise than the earlier book.
    fn carried_problem(
        &mut self,
        staged: &Staged,
        difference: &earlier::Difference,
        earlier: &Earlier,
    ) {
        let (what, id, contract) = match &staged.event {
            Event::AccountOpened { code, .. } => ("sub-account", code.to_string(), None),
            Event::MemberJoined { member } => ("member", member.id.to_string(), None),
            Event::MemberLeft { member, .. } => ("member", member.to_string(), None),
            Event::ParcelRegistered { parcel } => ("parcel", parcel.id.to_string(), None),
            Event::ContractSigned { contract } => (
                "contract",
                contract.id.to_string(),
                Some(contract.id.as_str()),
            ),
            Event::GrainPriceRecorded { crop, date, .. } => {
                ("the price of", format!("{crop} on {date}"), None)
            }
            Event::LoanSigned { loan } => ("loan", loan.id.to_string(), None),
            Event::GreenhouseBuilt { greenhouse, .. } => {
                ("greenhouse", greenhouse.id.to_string(), None)
            }
            Event::GreenhouseRetired { greenhouse, .. } => {
                ("greenhouse", greenhouse.to_string(), None)
            }
            Event::AssetAcquired { asset, .. } => ("asset", asset.id.to_string(), None),
            Event::AssetRetired { asset, .. } => ("asset", asset.to_string(), None),
            _ => ("entry", String::new(), None),
        };
        let en = difference.en;
        let how = match (self.table.kind, en) {
            (FileKind::Members, "left") => {
                "a leaving recorded in the earlier years stays as it is: copy the cell as it was"
            }
            (FileKind::Members, _) => {
                "a member's row stays as they joined (their leaving is its 退社日期 left cell, in this year); a new member is a row with an id of their own"
            }
            (FileKind::Greenhouses, "retired" | "proceeds" | "proceeds_account") => {
                "a greenhouse taken out of use in the earlier years stays so: copy the cells as they were"
            }
            (FileKind::Greenhouses, _) => {
                "a greenhouse's row stays as it was built (taking it out of use is its 拆除日期 retired cell, in this year); a new greenhouse is a row with an id of its own"
            }
            (FileKind::Assets, "retired" | "proceeds" | "proceeds_account") => {
                "an asset taken out of use in the earlier years stays so: copy the cells as they were"
            }
            (FileKind::Assets, _) => {
                "an asset's row stays as it was put into use (taking it out of use is its 处置日期 retired cell, in this year); a new asset is a row with an id of its own"
            }
            (FileKind::Parcels, _) => {
                "a parcel is changed by a split or a merge in land_changes.csv (土地变更.csv), not by editing its row"
            }
            (FileKind::Contracts, _) => {
                "a contract's area moves by a swap in land_changes.csv (土地变更.csv); its other terms change with a new contract (rows with a contract id of their own) after this one ends"
            }
            (FileKind::Accounts, _) => {
                "a sub-account keeps the code and names it was opened with; a new one is a row with a code of its own"
            }
            (FileKind::Loans, _) => {
                "a loan keeps the terms it was signed with; a new loan is a row with an id of its own"
            }
            _ => "a price recorded stays as it is; a new price is a row with another date",
        };
        let also = match difference.also.as_slice() {
            [] => String::new(),
            also => format!(" (and differs in {})", also.join(", ")),
        };
        let message = format!(
            "{what} {id} is in the earlier book ({}) with {} {:?}, but this row has {:?}{also}: a register row carried forward from the earlier years says what their book holds, or is left out; {how}",
            earlier.shown, difference.header, difference.was, difference.now
        );
        // A contract's later parcel: the line of its own row.
        let line = contract
            .filter(|_| difference.row > 0)
            .and_then(|id| {
                self.table
                    .rows
                    .iter()
                    .filter(|r| self.table.cell(r, "contract").map(str::trim) == Some(id))
                    .nth(difference.row)
                    .map(|r| r.line)
            })
            .unwrap_or(staged.line);
        let Some(record) = self.table.rows.iter().find(|r| r.line == line) else {
            self.problems.push(Problem::row(
                &self.table.file,
                line,
                ProblemKind::ChangedRegister,
                message,
            ));
            return;
        };
        let mut c = Cells {
            table: self.table,
            record,
            problems: self.problems,
        };
        if en.is_empty() {
            c.row_problem(ProblemKind::ChangedRegister, message);
        } else {
            c.problem(en, ProblemKind::ChangedRegister, message);
        }
    }

    /// The year whose distribution a `settle_distribution` row of `payments.csv` pays, in
    /// its `party` cell (`2019` or `2019年`): a year before the folder's (`folder_year`),
    /// which the earlier years' book closed and has not paid out. `None` after a problem.
    fn distribution_year(
        c: &mut Cells,
        folder_year: Option<i32>,
        earlier: Option<&Earlier>,
    ) -> Option<i32> {
        let year = c.req("party", |text: &str| {
            year(text.strip_suffix('年').unwrap_or(text)).map_err(|_| Bad {
                kind: ProblemKind::BadNumber,
                expected: "the year whose distribution is paid, such as 2019".into(),
            })
        })?;
        if let Some(folder_year) = folder_year {
            if year >= folder_year {
                c.problem(
                    "party",
                    ProblemKind::BadNumber,
                    format!(
                        "expected a year before {folder_year}, the year of policy.csv, found {year}: a year's distribution is paid out in a later year, whose folder names the log of the year closed (上年账簿 prior_log)"
                    ),
                );
                return None;
            }
        }
        let Some(earlier) = earlier else {
            c.problem(
                "party",
                ProblemKind::UnknownReference,
                format!(
                    "{year}'s distribution is not in this folder's books: a folder pays out the distribution of a year its earlier years' book closed, and this one has none (上年账簿 prior_log in policy.csv names the event log of the year closed)"
                ),
            );
            return None;
        };
        match earlier.book.distribution(year) {
            Some(distribution) if distribution.settled => {
                c.problem(
                    "party",
                    ProblemKind::UnknownReference,
                    format!(
                        "{year}'s distribution is paid out already in the earlier book ({}): each year's distribution is paid out once",
                        earlier.shown
                    ),
                );
                None
            }
            Some(_) => Some(year),
            None => {
                let unsettled: Vec<String> = earlier
                    .book
                    .unsettled_years()
                    .map(|year| year.to_string())
                    .collect();
                let expected = match unsettled.as_slice() {
                    [] => "none is left to pay out".to_string(),
                    [one] => format!("expected {one}"),
                    many => format!("expected one of {}", many.join(", ")),
                };
                c.problem(
                    "party",
                    ProblemKind::UnknownReference,
                    format!(
                        "the earlier book ({}) does not close {year}, so it has no distribution of {year} to pay out: {expected}, a year it closed and has not paid out",
                        earlier.shown
                    ),
                );
                None
            }
        }
    }

    /// Checks the contract of a capital return to `member` (from `source`): the member's own
    /// land-share contract, whose capital is other sources. Whether it has ended by the
    /// return, and how much of its capital is left, the book judges.
    fn capital_contract(
        c: &mut Cells,
        ids: &Ids,
        member: &MemberId,
        contract: &ContractId,
        source: crate::CapitalSource,
    ) -> Option<()> {
        let mut fine = Some(());
        if let Some((holder, land_shares)) = ids.holders.get(contract.as_str()) {
            if holder != member {
                c.problem(
                    "contract",
                    ProblemKind::Inconsistent,
                    format!(
                        "contract {contract} is member {holder}'s, not {member}'s; a capital return names a land-share contract of the member paid back"
                    ),
                );
                fine = None;
            } else if !land_shares {
                c.problem(
                    "contract",
                    ProblemKind::Inconsistent,
                    format!(
                        "contract {contract} is a transfer (流转), not a land-share contract (入股): it holds no capital; leave the contract empty to return money capital"
                    ),
                );
                fine = None;
            }
        }
        if source == crate::CapitalSource::PovertyRelief {
            c.problem(
                "capital_source",
                ProblemKind::Inconsistent,
                format!(
                    "the capital of contract {contract} is land-use rights taken in as shares, not poverty-relief assets: leave the source empty (其他 other)"
                ),
            );
            fine = None;
        }
        fine
    }
}

/// The header of column `en` of `kind`'s file, Chinese and English.
fn column_header(kind: FileKind, en: &'static str) -> String {
    kind.columns()
        .iter()
        .find(|col| col.en == en)
        .map_or_else(|| en.to_string(), super::schema::header)
}

/// The book an event log replays, or what is wrong with the log: not there, damaged, cut
/// short or empty.
fn open_log(path: &Path) -> Result<Book, String> {
    match crate::EventLog::read(path) {
        Ok((book, read)) => {
            if let Some(reason) = read.torn_reason {
                return Err(format!(
                    "ends in a line that is not a whole event ({reason}): expected a whole event log, as a season's run writes events.jsonl; copy it again"
                ));
            }
            if book.events().is_empty() {
                return Err("holds no events: expected the event log of the earlier years, the events.jsonl of their run".to_string());
            }
            Ok(book)
        }
        Err(crate::Error::Io {
            kind: std::io::ErrorKind::NotFound,
            ..
        }) => Err("is not there: expected the event log of the earlier years (the events.jsonl of their run), copied into this folder or named by its path from it, such as ../2019-out/events.jsonl".to_string()),
        Err(e) => Err(format!(
            "cannot be read as the event log of the earlier years: {e}"
        )),
    }
}

/// Whether `here`, a cell of a contract's later row, gives the same term `en` as `there`, the
/// cell of its first row: the same value read by the column's reader (`2029/1/15` and
/// `2029-01-15`, `1,000.00` and `1000`, `预付` and `in_advance`), or for ids and names the
/// same text. (Comparing the texts' keys, as headers are compared, took `2029-11-5` for
/// `2029-1-15` and member `H-01` for `H01`: keys drop dashes.)
fn same_term(en: &'static str, here: &str, there: &str) -> bool {
    fn same<T: PartialEq>(parse: impl Fn(&str) -> Result<T, Bad>, a: &str, b: &str) -> bool {
        matches!((parse(a), parse(b)), (Ok(a), Ok(b)) if a == b)
    }
    if here == there {
        return true;
    }
    match en {
        "start" | "end" => same(date, here, there),
        "pay_by" => same(month_day, here, there),
        "value_per_share" => same(amount_not_negative, here, there),
        "yuan_per_mu" | "guaranteed_per_share" => same(price_not_negative, here, there),
        "step_percent" | "quantity_per_mu" | "shares_per_mu" => {
            same(number_not_negative, here, there)
        }
        "step_every_years" | "reset_every_years" => same(count(0), here, there),
        "kind" => same(choice(CONTRACT_KINDS), here, there),
        "rent_terms" => same(choice(RENT_TERMS), here, there),
        "unit" => same(choice(GRAIN_UNITS), here, there),
        "pro_rating" => same(choice(PRO_RATING), here, there),
        "payment" => same(choice(PAYMENT_TERMS), here, there),
        // Ids (member, charge_to) and names (crop) are the same only as the same text.
        _ => false,
    }
}

/// An event id prefix: the ids are `PREFIX-00001`, `PREFIX-00002`, ….
fn event_prefix(text: &str) -> Result<String, Bad> {
    if text.len() <= 50 && crate::EventId::new(&format!("{text}-00001")).is_ok() {
        Ok(text.to_string())
    } else {
        Err(Bad {
            kind: ProblemKind::BadId,
            expected: "an event id prefix of at most 50 ASCII letters, digits, '-' and '_', starting with a letter or a digit, such as jrf-2019".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::RecordLines;

    /// Records on consecutive lines share a run; a record after a gap (another timesheet's
    /// rows, a cell with a line break) starts one; every record's line is found.
    #[test]
    fn record_lines_are_kept_in_runs_and_found_exactly() {
        let lines = [2, 3, 4, 9, 10, 12, 13, 14, 40];
        let mut kept = RecordLines::default();
        for (record, &line) in lines.iter().enumerate() {
            kept.push(record, line);
        }
        assert_eq!(kept.runs, [(0, 2), (3, 9), (5, 12), (8, 40)]);
        let found: Vec<Option<u64>> = (0..lines.len()).map(|r| kept.line(r)).collect();
        let expected: Vec<Option<u64>> = lines.iter().map(|&l| Some(l)).collect();
        assert_eq!(found, expected);
        // Past the last record noted, the last run goes on: the caller asks only for
        // records the timesheet has.
        assert_eq!(kept.line(9), Some(41));
        assert_eq!(RecordLines::default().line(0), None);
    }
}
