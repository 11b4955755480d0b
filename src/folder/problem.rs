//! What can be wrong with a book folder: one [`Problem`] per bad file, row or cell, all of
//! them collected in a [`FolderError`].

use std::fmt;

use crate::{Error, EventId};

/// The most problems one [`FolderError`] lists; the rest are counted.
///
/// # Example
///
/// ```
/// use landpool::folder::{BookFolder, FolderError, MAX_PROBLEMS};
/// use landpool::Error;
///
/// assert_eq!(MAX_PROBLEMS, 200);
/// // 250 members, each with a bad number of persons: 250 problems.
/// let mut members = String::from("member,name,persons,village,joined\n");
/// for n in 1..=250 {
///     members.push_str(&format!("H{n:03},王建国,x,高格庄,2019/1/1\n"));
/// }
/// let files = vec![
///     ("policy.csv".to_string(), "setting,value\ncooperative,示例\nyear,2019\nclose,no\n".as_bytes().to_vec()),
///     ("members.csv".to_string(), members.into_bytes()),
/// ];
/// let Err(Error::Folder(FolderError::Invalid { problems, more })) = BookFolder::from_files(&files)
/// else {
///     return Err("expected the folder's problems".into());
/// };
/// // The first 200 are listed (rows 2 to 201), the other 50 counted.
/// assert_eq!((problems.len(), more), (200, 50));
/// assert_eq!(problems.last().and_then(|problem| problem.line), Some(201));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const MAX_PROBLEMS: usize = 200;

/// Which kind of problem a [`Problem`] is, for callers that act on it.
///
/// # Example
///
/// ```
/// use landpool::folder::{Problem, ProblemKind};
///
/// let problem = Problem::file("members.csv", ProblemKind::Empty, "the file is empty");
/// assert_eq!(problem.kind, ProblemKind::Empty);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A file every book folder needs is not there.
    MissingFile,
    /// A `.csv` file whose name is not one of the book folder's files.
    UnknownFile,
    /// The same file twice (under its English and its Chinese name).
    DuplicateFile,
    /// The file is not text: a binary file, a workbook saved under a `.csv` name; or a sheet
    /// of one of the folder's files saved only as a workbook or as text (`labour.xlsx`
    /// without `labour.csv`), which a run does not read.
    NotText,
    /// The file is text in an encoding that is not UTF-8 or GBK.
    Encoding,
    /// The file is empty, or has a header row and nothing to say what it is.
    Empty,
    /// The file is larger than a book folder's file may be.
    TooLarge,
    /// A column the file needs is not in its header row.
    MissingColumn,
    /// A header cell that is not one of the file's columns.
    UnknownColumn,
    /// The same column twice in the header row.
    DuplicateColumn,
    /// A row with more cells than the header row has columns.
    ExtraCells,
    /// A cell that must be filled is empty.
    MissingValue,
    /// A cell that should hold a date does not.
    BadDate,
    /// A cell that should hold an amount in yuan does not.
    BadAmount,
    /// A cell that should hold an area in mu does not (or holds a negative or zero area).
    BadArea,
    /// A cell that should hold a number (a rate, a quantity, a percentage) does not.
    BadNumber,
    /// A cell that should hold an id (of a member, a parcel, …) holds text that cannot be one.
    BadId,
    /// A cell that should hold one of a few words (银行 bank, 现金 cash, …) holds another.
    BadChoice,
    /// A cell that is not allowed for this row (a quantity for a fixed rent, …), or text
    /// that is too long.
    BadText,
    /// An id that names nothing in the folder: a member not in `members.csv`, a parcel not
    /// in `parcels.csv`, …
    UnknownReference,
    /// An id given to two rows.
    DuplicateId,
    /// Rows of one contract (or one setting) that disagree.
    Inconsistent,
    /// The event log of the earlier years that `policy.csv` names (上年账簿 prior_log)
    /// cannot be used: it is not there, damaged or empty, its last year is not closed or
    /// not before the folder's, or the folder's event ids are in it already.
    EarlierBook,
    /// A register row carried forward from the earlier years (a member, a parcel, a
    /// contract, a greenhouse, …) that says otherwise than their book.
    ChangedRegister,
    /// An amount a row gives for a figure the book works out itself (the `金额 amount` of a
    /// `分配兑付 settle_distribution` row of `payments.csv`, what the distribution pays out)
    /// is not the book's: what the event, applied in its place, made.
    DiffersFromBook {
        /// The event's id.
        event: EventId,
        /// The book's figure.
        book: crate::Yuan,
    },
    /// The book refused an event made from this row; the error says why.
    Rejected {
        /// The event's id.
        event: EventId,
        /// What the book said.
        error: Box<Error>,
    },
}

/// A column of a file, as its header row names it.
///
/// # Example
///
/// ```
/// let column = landpool::folder::Column { number: 3, name: "面积 area".into() };
/// assert_eq!(column.to_string(), "column 3 \"面积 area\"");
/// // A column without a header is named by its number.
/// let column = landpool::folder::Column { number: 9, name: String::new() };
/// assert_eq!(column.to_string(), "column 9");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The column's number, from 1 (A is 1).
    pub number: usize,
    /// The header cell as the file has it (or the column's own name when it is missing);
    /// empty for a column the header row does not name.
    pub name: String,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name.is_empty() {
            // A column without a header (beyond the header row's last, say).
            true => write!(f, "column {}", self.number),
            false => write!(f, "column {} {:?}", self.number, self.name),
        }
    }
}

/// One thing wrong with a book folder: where (file, line, column) and what was expected.
///
/// Its text is one line: `members.csv, line 5, column 6 "入社日期 joined": expected a date
/// such as 2019-03-15 or 2019/3/15, found "2019-13-01"`. Lines count from 1, the header row
/// being line 1, as a text editor counts them (a row of a spreadsheet is the same line
/// unless a cell holds a line break).
///
/// # Example
///
/// ```
/// use landpool::folder::{Column, Problem, ProblemKind};
///
/// let problem = Problem {
///     file: "parcels.csv".into(),
///     line: Some(4),
///     column: Some(Column { number: 3, name: "面积 area".into() }),
///     kind: ProblemKind::BadArea,
///     message: "expected an area in mu above zero, such as 2.35, found \"-1\"".into(),
/// };
/// assert_eq!(
///     problem.to_string(),
///     "parcels.csv, line 4, column 3 \"面积 area\": expected an area in mu above zero, such as 2.35, found \"-1\""
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, by the name it has in the folder.
    pub file: String,
    /// The line, from 1, when the problem is in a row.
    pub line: Option<u64>,
    /// The column, when the problem is in a cell or a column.
    pub column: Option<Column>,
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// What was wrong and what was expected.
    pub message: String,
}

impl Problem {
    /// A problem with a whole file.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::{Problem, ProblemKind};
    /// let problem = Problem::file("policy.csv", ProblemKind::MissingFile, "the file is missing");
    /// assert_eq!(problem.to_string(), "policy.csv: the file is missing");
    /// ```
    pub fn file(file: &str, kind: ProblemKind, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_string(),
            line: None,
            column: None,
            kind,
            message: message.into(),
        }
    }

    /// A problem with a row.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::{Problem, ProblemKind};
    /// let problem = Problem::row("costs.csv", 7, ProblemKind::ExtraCells, "2 cells beyond the last column");
    /// assert_eq!(problem.to_string(), "costs.csv, line 7: 2 cells beyond the last column");
    /// ```
    pub fn row(file: &str, line: u64, kind: ProblemKind, message: impl Into<String>) -> Problem {
        Problem {
            line: Some(line),
            ..Problem::file(file, kind, message)
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What went wrong reading, running or writing a book folder.
///
/// # Example
///
/// ```
/// use landpool::folder::{FolderError, Problem, ProblemKind};
///
/// let error = FolderError::Invalid {
///     problems: vec![Problem::file("policy.csv", ProblemKind::MissingFile, "the file is missing")],
///     more: 0,
/// };
/// assert_eq!(error.to_string(), "1 problem in the book folder:\npolicy.csv: the file is missing");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FolderError {
    /// The folder's files have problems, or the book refused an event made from them. Every
    /// problem of every file is listed (up to [`MAX_PROBLEMS`]), one per line.
    #[error("{}", list(problems, *more))]
    Invalid {
        /// The problems, in the order of the files and their lines.
        problems: Vec<Problem>,
        /// How many more there were beyond those listed.
        more: usize,
    },
    /// An event that a book folder has no file for (a manual entry, a parcel split, …), or
    /// whose form cannot be written as rows and read back the same.
    #[error("cannot write {what} in a book folder: {reason}")]
    NotWritable {
        /// The event (its kind, and its id when it has one).
        what: String,
        /// Why not.
        reason: String,
    },
    /// The statements workbook could not be made.
    #[error("cannot make the workbook's sheet {sheet:?}: {message}")]
    Workbook {
        /// The sheet being written.
        sheet: String,
        /// What the workbook writer said.
        message: String,
    },
    /// [`BookFolder::next_year`](super::BookFolder::next_year) cannot start a year after the
    /// earlier book it was given: the book has no dated event and no closed year, its last
    /// year is not closed, or that year is not the one of the earlier folder's settings (the
    /// log of another folder's run).
    #[error("cannot make the next year's book folder: {reason}")]
    NoNextYear {
        /// The earlier book's last year (of its latest entry, dated event or closed year);
        /// `None` for a book with none.
        last_year: Option<i32>,
        /// The last year the earlier book closed; `None` for none.
        closed: Option<i32>,
        /// What was wrong, and what to do.
        reason: String,
    },
    /// An output's name is not the name of a file in the folder it is written into.
    #[error("cannot write an output named {name:?}: {reason}")]
    OutputName {
        /// The name given (at most 80 characters of it).
        name: String,
        /// Why not: a name is one file name of 1 to 255 bytes, not `.` or `..`, without `/`,
        /// `\`, `:` or NUL, not a name Windows keeps for a device (`CON`, `PRN`, `AUX`,
        /// `NUL`, `COM1`–`COM9`, `LPT1`–`LPT9`, alone or before a dot) and not ending in a
        /// dot or a space.
        reason: &'static str,
    },
}

impl FolderError {
    /// The problems listed, if this is [`FolderError::Invalid`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::FolderError;
    /// let error = FolderError::NotWritable { what: "x".into(), reason: "y".into() };
    /// assert!(error.problems().is_empty());
    /// ```
    pub fn problems(&self) -> &[Problem] {
        match self {
            FolderError::Invalid { problems, .. } => problems,
            FolderError::NotWritable { .. }
            | FolderError::Workbook { .. }
            | FolderError::NoNextYear { .. }
            | FolderError::OutputName { .. } => &[],
        }
    }
}

fn list(problems: &[Problem], more: usize) -> String {
    let total = problems.len().saturating_add(more);
    let mut text = format!(
        "{total} problem{} in the book folder:",
        if total == 1 { "" } else { "s" }
    );
    for problem in problems {
        text.push('\n');
        text.push_str(&problem.to_string());
    }
    if more > 0 {
        text.push_str(&format!("\n… and {more} more"));
    }
    text
}

/// What a problem said once for several rows adds: `; so do the rows on lines 4, 5 and 6`,
/// naming up to [`LINES_NAMED`] lines and counting the rest.
fn also_on(lines: &[u64]) -> String {
    let mut sorted = lines.to_vec();
    sorted.sort_unstable();
    let named: Vec<String> = sorted
        .iter()
        .take(LINES_NAMED)
        .map(u64::to_string)
        .collect();
    let rest = sorted.len().saturating_sub(named.len());
    let list = match (named.split_last(), rest) {
        (Some((last, [])), 0) => last.clone(),
        (Some((last, init)), 0) => format!("{} and {last}", init.join(", ")),
        (_, rest) => format!("{} and {rest} more", named.join(", ")),
    };
    if sorted.len() == 1 {
        format!("; so does the row on line {list}")
    } else {
        format!("; so do the rows on lines {list}")
    }
}

/// Problems as they are found, kept up to [`MAX_PROBLEMS`].
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    more: usize,
    /// For a row's problem of a missing column said again on later rows of its file (every
    /// household of a `members.csv` without `人口 persons`): its place in `list` and the
    /// later rows' lines. It is listed once, naming them, so that one missing column does
    /// not fill the list and hide other problems.
    again: Vec<(usize, Vec<u64>)>,
    /// Whether these are a part's, to be appended to others' (see [`Problems::part`]).
    part: bool,
    /// How many of `list` count towards [`MAX_PROBLEMS`].
    counted: usize,
}

/// The most lines of rows a repeated problem names; it counts the rest.
const LINES_NAMED: usize = 10;

impl Problems {
    pub(crate) fn push(&mut self, problem: Problem) {
        if problem.kind == ProblemKind::MissingColumn {
            if let Some(line) = problem.line {
                let first = self.list.iter().position(|earlier| {
                    earlier.kind == problem.kind
                        && earlier.line.is_some()
                        && earlier.file == problem.file
                        && earlier.message == problem.message
                });
                if let Some(first) = first {
                    match self.again.iter_mut().find(|(at, _)| *at == first) {
                        Some((_, lines)) => lines.push(line),
                        None => self.again.push((first, vec![line])),
                    }
                    return;
                }
            }
        }
        // A part keeps every first row of a missing column, which may be said again by the
        // problems it is appended to, and then takes no place of its own.
        let counts =
            !(self.part && problem.kind == ProblemKind::MissingColumn && problem.line.is_some());
        if !counts {
            self.list.push(problem);
        } else if self.counted < MAX_PROBLEMS {
            self.list.push(problem);
            self.counted = self.counted.saturating_add(1);
        } else {
            self.more = self.more.saturating_add(1);
        }
    }

    /// Problems found apart from the others (a file read on another thread, half of a
    /// file's rows), to be appended to them with [`Problems::append`]: all that the others
    /// could keep of them is kept.
    pub(crate) fn part() -> Problems {
        Problems {
            part: true,
            ..Problems::default()
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty() && self.more == 0
    }

    /// Pushes `later`'s problems after these, as if each had been pushed here in its turn:
    /// problems found apart (in a [`Problems::part`]) are kept as one list would keep
    /// them.
    pub(crate) fn append(&mut self, later: Problems) {
        let Problems {
            list, more, again, ..
        } = later;
        let mut repeated = Vec::new();
        for (at, lines) in again {
            if let Some(first) = list.get(at) {
                repeated.extend(lines.into_iter().map(|line| Problem {
                    line: Some(line),
                    ..first.clone()
                }));
            }
        }
        for problem in list.into_iter().chain(repeated) {
            self.push(problem);
        }
        // A part counts those past the most it keeps of the problems that take a place
        // each, and they are past the most these keep too.
        self.more = self.more.saturating_add(more);
    }

    /// `Ok(())` when there are none, the whole list as an error otherwise: the files in the
    /// order their first problems were found, each file's problems by line and column (a
    /// file's rows are split before their cells are checked, so a row's problem can be
    /// found before the cells of the rows above it).
    pub(crate) fn into_result(self) -> Result<(), Error> {
        if self.is_empty() {
            return Ok(());
        }
        let mut list = self.list;
        for (at, lines) in self.again {
            if let Some(problem) = list.get_mut(at) {
                problem.message.push_str(&also_on(&lines));
            }
        }
        let mut files: Vec<&str> = Vec::new();
        let mut keyed: Vec<(usize, u64, usize, Problem)> = Vec::with_capacity(list.len());
        for problem in &list {
            let file = match files.iter().position(|f| *f == problem.file) {
                Some(at) => at,
                None => {
                    files.push(&problem.file);
                    files.len().saturating_sub(1)
                }
            };
            let column = problem.column.as_ref().map_or(0, |c| c.number);
            keyed.push((file, problem.line.unwrap_or(0), column, problem.clone()));
        }
        // Stable: problems of one cell stay in the order they were found.
        keyed.sort_by_key(|(file, line, column, _)| (*file, *line, *column));
        Err(FolderError::Invalid {
            problems: keyed.into_iter().map(|(.., problem)| problem).collect(),
            more: self.more,
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The list kept, as its error says it.
    fn said(problems: Problems) -> String {
        match problems.into_result() {
            Ok(()) => String::new(),
            Err(e) => format!("{e:?}"),
        }
    }

    proptest! {
        /// Problems found apart and appended are kept as one list pushed in order keeps
        /// them: the repeats of a missing column named on its first row, the most kept and
        /// the count of the rest.
        #[test]
        fn appended_problems_are_kept_as_pushed_in_order(
            found in prop::collection::vec(
                (0..2usize, 1..40u64, prop::bool::weighted(0.2), 0..3usize),
                0..450,
            ),
            // Most splits early, where the later part holds more than the most kept.
            split in prop_oneof![0..450usize, 0..40usize],
        ) {
            let problem = |&(file, line, missing, message): &(usize, u64, bool, usize)| {
                let kind = if missing { ProblemKind::MissingColumn } else { ProblemKind::BadText };
                Problem::row(["a.csv", "b.csv"][file % 2], line, kind, format!("message {message}"))
            };
            let mut in_order = Problems::default();
            for found in &found {
                in_order.push(problem(found));
            }
            let (first, later) = found.split_at(split.min(found.len()));
            let mut apart = Problems::default();
            for found in first {
                apart.push(problem(found));
            }
            let mut rest = Problems::part();
            for found in later {
                rest.push(problem(found));
            }
            apart.append(rest);
            prop_assert_eq!(said(apart), said(in_order));
        }
    }
}
