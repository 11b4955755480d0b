//! The crate's one public error type.

use rust_decimal::Decimal;

use crate::ledger::LedgerError;

/// Everything that can go wrong in `landpool`.
///
/// Each variant says what was wrong, where, and what was expected. The enum is
/// `#[non_exhaustive]`: later releases add variants as new operations arrive, so match
/// with a wildcard arm.
///
/// # Example
///
/// ```
/// use landpool::{Error, Yuan};
///
/// let err = "12.345".parse::<Yuan>().unwrap_err();
/// assert!(matches!(err, Error::ParseAmount { .. }));
/// assert_eq!(
///     err.to_string(),
///     "cannot read \"12.345\" as an amount in yuan: more than two decimals (the fen is the smallest unit)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Text that should hold an amount in yuan does not.
    #[error("cannot read {input:?} as an amount in yuan: {reason}")]
    ParseAmount {
        /// The text as given.
        input: String,
        /// What was wrong with it, and what was expected.
        reason: &'static str,
    },

    /// Text that should hold an area in mu does not.
    #[error("cannot read {input:?} as an area in mu: {reason}")]
    ParseArea {
        /// The text as given.
        input: String,
        /// What was wrong with it, and what was expected.
        reason: &'static str,
    },

    /// A decimal has more places than the unit it is converted to can hold, and no rounding
    /// strategy was given.
    #[error("{value} has more than {places} decimal places; give a rounding strategy to round it to the {unit}")]
    TooManyDecimals {
        /// The value as given.
        value: Decimal,
        /// How many places the target unit holds.
        places: u32,
        /// The smallest unit of the target (`fen`, `0.0001 mu`).
        unit: &'static str,
    },

    /// An arithmetic result does not fit the type that must hold it.
    #[error("overflow in {operation}: the result does not fit")]
    Overflow {
        /// The operation that overflowed, with its operands where they help.
        operation: String,
    },

    /// A division by zero was asked for.
    #[error("division by zero in {operation}")]
    DivideByZero {
        /// The operation that divided, with its operands where they help.
        operation: String,
    },

    /// JSON that could not be read or written.
    #[error("{context}: {message}")]
    Json {
        /// What was being read or written (a file and line, an event id).
        context: String,
        /// What the JSON reader or writer said.
        message: String,
    },

    /// An identifier (of a member, parcel, contract or event) is not acceptable.
    #[error("{kind} id {id:?} is not valid: {reason}")]
    InvalidId {
        /// What the identifier names (`member`, `parcel`, …).
        kind: &'static str,
        /// The identifier as given (at most 80 characters of it).
        id: String,
        /// What was wrong.
        reason: &'static str,
    },

    /// An area was negative.
    #[error("area {value} mu is negative; an area must be zero or more")]
    NegativeArea {
        /// The value as given.
        value: Decimal,
    },

    /// A split was asked for with no weights.
    #[error("cannot split {total} over an empty list of weights")]
    EmptyWeights {
        /// The total to split, as text.
        total: String,
    },

    /// A weight in a split was negative.
    #[error("weight #{index} is {weight}; weights must be zero or more")]
    NegativeWeight {
        /// Position of the weight in the list (from 0).
        index: usize,
        /// The weight as given.
        weight: Decimal,
    },

    /// All weights in a split were zero, so no part can take the total.
    #[error("cannot split {total}: all {count} weights are zero")]
    ZeroWeights {
        /// The total to split, as text.
        total: String,
        /// How many weights were given.
        count: usize,
    },

    /// The cooperative's registers refused something; the [`PoolError`](crate::PoolError) says
    /// what and where.
    #[error(transparent)]
    Pool(#[from] crate::pool::PoolError),

    /// A statement given to a summary (汇总) of several cooperatives' statements does not
    /// fit the others: it is of another day or year than the first, not of the statement's
    /// form, or (a balance sheet) does not balance.
    #[error("cannot add the {statement} at index {index} to the summary: {reason}")]
    SummaryMismatch {
        /// Which statement: `balance sheet`, `surplus statement` or `members' equity
        /// statement`.
        statement: &'static str,
        /// Its index in the statements given.
        index: usize,
        /// What is wrong with it, and what was expected.
        reason: String,
    },

    /// A summary (汇总) was asked of no statements.
    #[error("a summary needs at least one {statement}; none was given")]
    EmptySummary {
        /// Which statement: `balance sheet`, `surplus statement` or `members' equity
        /// statement`.
        statement: &'static str,
    },

    /// The ledger refused something; the [`LedgerError`] says which rule broke.
    #[error(transparent)]
    Ledger(#[from] LedgerError),

    /// A file could not be created, opened, locked, read, written or synced.
    #[error("{path}: {operation}: {message}")]
    Io {
        /// The file (or directory).
        path: String,
        /// What was being done (`opening`, `locking`, `reading`, …).
        operation: &'static str,
        /// The kind of the I/O error, for callers that act on it.
        kind: std::io::ErrorKind,
        /// What the operating system said.
        message: String,
    },

    /// The event log refused something or found a bad line; the
    /// [`LogError`](crate::LogError) says what and where.
    #[error(transparent)]
    Log(#[from] crate::log::LogError),

    /// A book folder has problems (every one of them listed, with its file, line and
    /// column), or an event cannot be written as one; the
    /// [`FolderError`](crate::folder::FolderError) says what and where.
    #[error(transparent)]
    Folder(#[from] crate::folder::FolderError),
}

/// `Result` with [`Error`] as the error type.
///
/// # Example
///
/// ```
/// fn half(text: &str) -> landpool::Result<landpool::Yuan> {
///     let amount: landpool::Yuan = text.parse()?;
///     Ok(landpool::Yuan::from_fen(amount.fen() / 2))
/// }
/// assert_eq!(half("3.00").unwrap().to_string(), "1.50");
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// [`Error::Io`] for `operation` on `path` failing with `error`.
pub(crate) fn io_error(
    path: &std::path::Path,
    operation: &'static str,
    error: &std::io::Error,
) -> Error {
    Error::Io {
        path: path.display().to_string(),
        operation,
        kind: error.kind(),
        message: error.to_string(),
    }
}
