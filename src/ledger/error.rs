//! [`LedgerError`]: every rule of the ledger that can refuse something.

use time::Date;

use crate::Yuan;

use super::Digest;

/// What the ledger refused, and why.
///
/// Each variant names the rule that broke and carries what an accountant needs to find the
/// problem: the entry id, the account code, the amounts. It converts into
/// [`crate::Error::Ledger`], which is what the ledger's methods return. The enum is
/// `#[non_exhaustive]`: match with a wildcard arm.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError};
/// use landpool::{Error, Yuan};
/// use time::macros::date;
///
/// let mut journal = Journal::new();
/// let entry = Entry::new("E1", date!(2019 - 01 - 05), "deposit")
///     .debit(AccountCode::new("102")?, Yuan::from_fen(10_000))
///     .credit(AccountCode::new("301")?, Yuan::from_fen(9_000));
/// let err = journal.post(entry).unwrap_err();
/// assert!(matches!(err, Error::Ledger(LedgerError::Unbalanced { .. })));
/// assert_eq!(
///     err.to_string(),
///     "entry \"E1\" does not balance: debits 100.00, credits 90.00 (difference 10.00)"
/// );
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// An account code does not follow the syntax `NNN[.SEG]*`.
    #[error("invalid account code {code:?}: {reason}")]
    InvalidAccountCode {
        /// The code as given.
        code: String,
        /// What was wrong, and what was expected.
        reason: &'static str,
    },

    /// An account code that is not in the chart (not a standard 2021 code, or a sub-account
    /// that was never opened).
    #[error("account {code} is not in the chart of accounts (an unknown standard code or an unopened sub-account)")]
    UnknownAccount {
        /// The code as given.
        code: String,
    },

    /// A sub-account was opened under a parent that is not in the chart, under a standard
    /// code that is (a code under one the chart lacks is [`LedgerError::UnknownAccount`]).
    #[error("cannot open {code}: its parent {parent} is not in the chart; open the parent first")]
    ParentNotOpen {
        /// The code to open.
        code: String,
        /// Its parent.
        parent: String,
    },

    /// A sub-account was opened under an account that already has entries of its own.
    #[error("cannot open {code}: its parent {parent} already has postings, and only accounts without sub-accounts take postings")]
    ParentHasPostings {
        /// The code to open.
        code: String,
        /// Its parent.
        parent: String,
    },

    /// An account was opened again with other names.
    #[error("account {code} is already open as {existing_zh:?} / {existing_en:?}, not {given_zh:?} / {given_en:?}")]
    AccountNameConflict {
        /// The code.
        code: String,
        /// The Chinese name it has.
        existing_zh: String,
        /// The English name it has.
        existing_en: String,
        /// The Chinese name given now.
        given_zh: String,
        /// The English name given now.
        given_en: String,
    },

    /// An account name is empty, too long or holds control characters.
    #[error("invalid name {name:?} for account {code}: {reason}")]
    InvalidAccountName {
        /// The account code.
        code: String,
        /// The name as given.
        name: String,
        /// What was wrong, and what was expected.
        reason: &'static str,
    },

    /// The chart already holds as many accounts as it may.
    #[error("cannot open {code}: the chart already holds {max} accounts")]
    TooManyAccounts {
        /// The code to open.
        code: String,
        /// The limit.
        max: usize,
    },

    /// An entry id is empty, too long or holds characters outside the allowed set.
    #[error("invalid entry id {id:?}: {reason}")]
    InvalidEntryId {
        /// The id as given.
        id: String,
        /// What was wrong, and what was expected.
        reason: &'static str,
    },

    /// An entry's memo is too long or holds control characters.
    #[error("entry {entry:?}: invalid memo: {reason}")]
    InvalidMemo {
        /// The entry id.
        entry: String,
        /// What was wrong, and what was expected.
        reason: &'static str,
    },

    /// An entry's date is outside the years the ledger keeps.
    #[error(
        "entry {entry:?} is dated {date}; dates must be in the years {min_year} to {max_year}"
    )]
    DateOutOfRange {
        /// The entry id.
        entry: String,
        /// The date as given.
        date: Date,
        /// The first year kept.
        min_year: i32,
        /// The last year kept.
        max_year: i32,
    },

    /// An entry has fewer postings than a double entry needs, or more than the limit.
    #[error("entry {entry:?} has {count} postings; an entry has from {min} to {max}")]
    PostingCount {
        /// The entry id.
        entry: String,
        /// How many postings it has.
        count: usize,
        /// The fewest allowed.
        min: usize,
        /// The most allowed.
        max: usize,
    },

    /// A posting's amount is zero or negative.
    #[error(
        "entry {entry:?}, posting #{posting} ({account}): amount {amount} must be more than zero"
    )]
    NonPositiveAmount {
        /// The entry id.
        entry: String,
        /// Position of the posting in the entry (from 0).
        posting: usize,
        /// The account of the posting.
        account: String,
        /// The amount as given.
        amount: Yuan,
    },

    /// A posting names an account that is not in the chart.
    #[error("entry {entry:?}, posting #{posting}: account {account} is not in the chart of accounts (an unknown standard code or an unopened sub-account)")]
    PostingToUnknownAccount {
        /// The entry id.
        entry: String,
        /// Position of the posting in the entry (from 0).
        posting: usize,
        /// The account code as given.
        account: String,
    },

    /// A posting names an account that has sub-accounts; only leaf accounts take postings.
    #[error("entry {entry:?}, posting #{posting}: account {account} has sub-accounts; post to one of them")]
    PostingToParentAccount {
        /// The entry id.
        entry: String,
        /// Position of the posting in the entry (from 0).
        posting: usize,
        /// The account code as given.
        account: String,
    },

    /// An entry's debits and credits differ.
    #[error("entry {entry:?} does not balance: debits {debits}, credits {credits} (difference {difference})")]
    Unbalanced {
        /// The entry id.
        entry: String,
        /// The sum of its debits.
        debits: Yuan,
        /// The sum of its credits.
        credits: Yuan,
        /// Debits minus credits.
        difference: Yuan,
    },

    /// The amounts of an entry, or the journal's running totals with it, exceed what a
    /// [`Yuan`] holds.
    #[error("entry {entry:?}: {what} would exceed the largest amount a Yuan holds")]
    AmountOverflow {
        /// The entry id.
        entry: String,
        /// Which sum overflowed.
        what: &'static str,
    },

    /// An entry is dated in a closed year: the latest closed year or one before it.
    #[error("entry {entry:?} is dated {date}, on or before the end of {year}, which is closed (closing a year closes every year before it); book the correction in an open year")]
    YearClosed {
        /// The entry id.
        entry: String,
        /// The entry's date.
        date: Date,
        /// The latest closed year.
        year: i32,
    },

    /// An entry id was posted before with other content.
    #[error("entry id {entry:?} was already posted with other content (its {field} differs); ids identify one entry for good")]
    IdConflict {
        /// The entry id.
        entry: String,
        /// The first field that differs (`date`, `memo`, `postings`, `reverses`).
        field: &'static str,
    },

    /// A reversing entry names an entry that is not in the journal.
    #[error("entry {entry:?} reverses {original:?}, which is not in the journal")]
    UnknownOriginal {
        /// The reversing entry's id.
        entry: String,
        /// The id it names.
        original: String,
    },

    /// A reversing entry names an entry that was already reversed.
    #[error("entry {entry:?} reverses {original:?}, which entry {reversed_by:?} already reversed")]
    AlreadyReversed {
        /// The reversing entry's id.
        entry: String,
        /// The id it names.
        original: String,
        /// The entry that reversed it before.
        reversed_by: String,
    },

    /// A reversing entry's postings are not the original's with debit and credit swapped.
    #[error("entry {entry:?} reverses {original:?} but {reason}")]
    ReversalMismatch {
        /// The reversing entry's id.
        entry: String,
        /// The id it names.
        original: String,
        /// How it differs from the mirror image of the original.
        reason: String,
    },

    /// A reversing entry is dated before the entry it reverses.
    #[error("entry {entry:?} dated {date} reverses {original:?} dated {original_date}; a reversal cannot come before the original")]
    ReversalBeforeOriginal {
        /// The reversing entry's id.
        entry: String,
        /// Its date.
        date: Date,
        /// The id it names.
        original: String,
        /// The original's date.
        original_date: Date,
    },

    /// A date range whose start is after its end.
    #[error("date range {from} to {to} is empty: the start is after the end")]
    InvalidRange {
        /// Start of the range.
        from: Date,
        /// End of the range.
        to: Date,
    },

    /// A year outside the range the ledger keeps.
    #[error("year {year} is outside the years the ledger keeps ({min_year} to {max_year})")]
    YearOutOfRange {
        /// The year as given.
        year: i32,
        /// The first year kept.
        min_year: i32,
        /// The last year kept.
        max_year: i32,
    },

    /// An entry's digest does not match the chain (the journal was altered).
    #[error("hash chain broken at entry #{index} ({entry:?}): expected digest {expected}, found {found}")]
    ChainBroken {
        /// Position of the entry in the journal (from 0).
        index: usize,
        /// The entry id.
        entry: String,
        /// The digest recomputed from the previous digest and the entry.
        expected: Digest,
        /// The digest recorded.
        found: Digest,
    },

    /// The journal's recorded head digest is not the last entry's digest.
    #[error("journal head digest {found} does not match the chain, which ends at {expected}")]
    HeadMismatch {
        /// The digest the chain ends at.
        expected: Digest,
        /// The digest recorded.
        found: Digest,
    },

    /// A serialized journal holds the same entry twice.
    #[error("entry #{index} ({entry:?}) appears twice in the serialized journal")]
    DuplicateEntry {
        /// Position of the second copy (from 0).
        index: usize,
        /// The entry id.
        entry: String,
    },

    /// A serialized journal in a version this release cannot read.
    #[error("serialized journal has version {version}; this release reads version {supported}")]
    UnsupportedVersion {
        /// The version found.
        version: u32,
        /// The version this release reads.
        supported: u32,
    },

    /// Text that should be a digest (64 lowercase hex digits) is not.
    #[error("cannot read {text:?} as a digest: {reason}")]
    InvalidDigest {
        /// The text as given (cut to 80 characters).
        text: String,
        /// What was wrong, and what was expected.
        reason: &'static str,
    },

    /// The trial balance does not balance: an invariant of the ledger failed.
    #[error("trial balance {from} to {to} does not balance: {what}: {left} against {right}")]
    TrialBalanceMismatch {
        /// Start of the period.
        from: Date,
        /// End of the period.
        to: Date,
        /// Which check failed.
        what: String,
        /// The left side of the check.
        left: Yuan,
        /// The right side of the check.
        right: Yuan,
    },
}
