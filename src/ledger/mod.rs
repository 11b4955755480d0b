//! The double-entry ledger: chart of accounts, journal with hash chain, balances, trial
//! balance, plain-text export. It knows nothing about land or greenhouses: the cooperative's
//! code books balanced entries through it.
//!
//! ## The rules
//!
//! - **Chart.** [`Chart::standard`] is the full 2021 cooperative chart (农民专业合作社会计制度,
//!   财会〔2021〕37号): code, Chinese and English name, class and normal side of each of its 50
//!   accounts. A cooperative opens sub-accounts under it with [`Journal::open_account`]
//!   (per member under 114, 301, 221 and 222; 501 by crop, 521 by greenhouse, 332 各项分配 and
//!   未分配盈余, …). A sub-account takes its parent's class and normal side. Only accounts
//!   without sub-accounts (末级科目) take postings, and an account that has postings of its
//!   own cannot get sub-accounts, so a parent's balance is always exactly the sum of its
//!   sub-accounts'. An unknown code or an unopened sub-account is refused.
//! - **Entries.** An [`Entry`] has an id chosen by the caller, a date, a memo, and from
//!   [`MIN_POSTINGS`] to [`MAX_POSTINGS`] postings with amounts above zero whose debits equal
//!   their credits exactly. [`Journal::post`] checks everything first and changes nothing when
//!   it refuses; the error names the rule, the entry id and the amounts. The same id with the
//!   same content again is a no-op that says so ([`Posted::AlreadyPosted`]); the same id with
//!   other content is an error. The journal keeps what it posted in a compact form (an
//!   entry's postings apart from it, 8 bytes each) and lends it back as views:
//!   [`Journal::entries`] ([`Entries`] of [`EntryRef`]s, whose [`Postings`] are
//!   [`PostingRef`]s) and [`Journal::get`]; a view equals the [`Entry`] posted and
//!   [`EntryRef::to_entry`] copies it.
//! - **Corrections** are reversing entries ([`Journal::reverse`]) that name the entry they
//!   reverse: their postings are the original's with debit and credit swapped, dated on or
//!   after the original. Nothing is edited or deleted; an entry is reversed at most once.
//! - **Years.** The fiscal year is the calendar year. [`Journal::close_year`] closes one; a
//!   closed year refuses new entries dated in it.
//! - **Balances** ([`Journal::balance`], [`Journal::movement`], [`Journal::trial_balance`])
//!   are read from running totals kept per account (date-sorted cumulative totals, one binary
//!   search per read), never by replaying the journal. Entries may be posted out of date order.
//!   Positive balances are debit balances, negative ones credit balances.
//! - **Limits.** Everything has a bound, checked with an error: [`MAX_POSTINGS`] postings per
//!   entry, [`MAX_MEMO_BYTES`], [`MAX_ENTRY_ID_BYTES`], [`MAX_ACCOUNT_CODE_BYTES`],
//!   [`MAX_ACCOUNT_DEPTH`], [`MAX_ACCOUNT_NAME_BYTES`], [`MAX_ACCOUNTS`], and dates in the years
//!   [`MIN_YEAR`] to [`MAX_YEAR`]. No total can overflow: an entry that would take the
//!   journal's total debits past [`Yuan::MAX`](crate::Yuan::MAX) is refused.
//!
//! ## The hash chain
//!
//! The journal is append-only and hash-chained with SHA-256. Entry number `i` (from 0, in
//! posting order) has the digest
//!
//! ```text
//! digest[i] = SHA-256( digest[i-1] ‖ canonical(entry[i]) )        digest[-1] = 32 zero bytes
//! ```
//!
//! where `‖` is concatenation, `digest[i-1]` is the raw 32 bytes (not hex), and
//! `canonical(entry)` is these bytes, UTF-8, every line ending in a single LF (`0x0A`), no
//! other white space than shown:
//!
//! ```text
//! landpool-entry-v1
//! id:<id>
//! date:<YYYY-MM-DD>
//! memo:<n>:<memo>
//! reverses:<original id, or nothing>
//! postings:<k>
//! <D|C> <account code> <amount>        (k lines, one per posting, in the entry's order)
//! ```
//!
//! - `<n>` is the memo's length in bytes (UTF-8) and `<k>` the number of postings, both in
//!   decimal without leading zeros; the memo follows its length as it is.
//! - `D` is a debit and `C` a credit; the account code is as written (`114.M001`).
//! - `<amount>` is yuan with exactly two decimals and no separators or sign (`1000.00`,
//!   `0.05`), as [`Yuan`](crate::Yuan)'s `Display` writes it.
//!
//! For example the entry `E1` of 2019-01-05, memo `股金` (6 bytes), debit 102 1000.00, credit
//! 301.M001 1000.00, is encoded as
//! `"landpool-entry-v1\nid:E1\ndate:2019-01-05\nmemo:6:股金\nreverses:\npostings:2\nD 102 1000.00\nC 301.M001 1000.00\n"`
//! ([`Entry::canonical_bytes`]), and as the first entry its digest is SHA-256 of 32 zero
//! bytes followed by those bytes ([`Digest::chain`]). [`Journal::digest`] is the head of the
//! chain, [`Journal::verify`] recomputes it and names the first entry whose digest fails, and
//! reading a serialized journal recomputes it too. The chain covers the entries; the names of
//! sub-accounts and the list of closed years are stored beside it, not in it. A book's
//! journal chains its digests when they are first read, not as its events post entries
//! ([`Journal::digests`]): a replay that reports balances never needs them.
//!
//! ## serde
//!
//! A [`Journal`] serializes to `{"version":1,"accounts":[…],"closed_years":[…],"entries":[…],
//! "head":"…"}` (amounts as strings, dates `"YYYY-MM-DD"`, enums snake_case, digests as
//! lowercase hex). Reading it back replays every entry through [`Journal::post`] and checks
//! every digest, so an unbalanced or altered entry is refused rather than trusted.
//!
//! ## Plain text
//!
//! [`Journal::to_hledger`] and [`Journal::to_beancount`] write the journal for
//! `hledger -s -f FILE balance` and `bean-check FILE`, which report the same balances as the
//! library, to the fen.
//!
//! # Example
//!
//! ```
//! use landpool::ledger::{AccountCode, Entry, Journal};
//! use landpool::Yuan;
//! use time::macros::date;
//!
//! let code = |c: &str| AccountCode::new(c);
//! let mut journal = Journal::new();
//! journal.open_account(code("301.M001")?, "张三", "Zhang San")?;
//! journal.open_account(code("501.GRAPE")?, "葡萄", "Grapes")?;
//! journal.post(Entry::new("E1", date!(2019 - 01 - 05), "股金")
//!     .debit(code("102")?, Yuan::from_yuan(1000)?)
//!     .credit(code("301.M001")?, Yuan::from_yuan(1000)?))?;
//! journal.post(Entry::new("E2", date!(2019 - 08 - 20), "葡萄销售")
//!     .debit(code("101")?, Yuan::from_yuan(300)?)
//!     .credit(code("501.GRAPE")?, Yuan::from_yuan(300)?))?;
//! assert_eq!(journal.closing_balance(&code("501")?)?, Yuan::from_yuan(-300)?);
//! let tb = journal.trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
//! assert_eq!(tb.totals.debits, Yuan::from_yuan(1300)?);
//! journal.close_year(2019)?;
//!
//! let json = serde_json::to_string(&journal).unwrap();
//! let back: Journal = serde_json::from_str(&json).unwrap();
//! assert_eq!(back.digest(), journal.digest());
//! # Ok::<(), landpool::Error>(())
//! ```

mod account;
pub(crate) mod balances;
mod chart;
mod digest;
mod entry;
mod error;
mod export;
mod form;
pub(crate) mod hashing;
mod journal;
mod stored;
mod trial;

pub use account::{Account, AccountClass, AccountCode, Name, Side};
pub use chart::Chart;
pub use digest::Digest;
pub(crate) use entry::{iso_date, push_decimal};
pub use entry::{Entry, EntryId, Memo, Posting};
pub use error::LedgerError;
pub use form::JOURNAL_FORMAT_VERSION;
pub(crate) use journal::{check_year, span};

/// Reads a string and makes a checked value of it with `make` (an id or a code), without
/// first copying the text into a `String` of its own when the input lends it.
pub(crate) fn deserialize_text<'de, D, T>(
    deserializer: D,
    make: fn(&str) -> crate::Result<T>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Text<T>(fn(&str) -> crate::Result<T>);

    impl<T> serde::de::Visitor<'_> for Text<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
            (self.0)(text).map_err(E::custom)
        }
    }

    deserializer.deserialize_str(Text(make))
}
pub use journal::{Journal, Movement, Posted};
pub(crate) use stored::{read_amount, stored_amount};
pub use stored::{Entries, EntriesIter, EntryRef, PostingRef, Postings, PostingsIter};
pub use trial::{TrialBalance, TrialBalanceRow, TrialBalanceTotals};
pub(crate) use trial::{TrialLine, PARALLEL_ROWS_MIN};

/// The fewest postings an entry has.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError, MIN_POSTINGS};
/// use landpool::{Error, Yuan};
/// use time::macros::date;
///
/// assert_eq!(MIN_POSTINGS, 2);
/// // A debit alone is not an entry.
/// let half = Entry::new("E1", date!(2019 - 02 - 01), "seedlings")
///     .debit(AccountCode::new("401")?, Yuan::from_fen(120_000));
/// let mut journal = Journal::new();
/// assert!(matches!(
///     journal.post(half.clone()),
///     Err(Error::Ledger(LedgerError::PostingCount { count: 1, min: 2, .. }))
/// ));
/// journal.post(half.credit(AccountCode::new("101")?, Yuan::from_fen(120_000)))?;
/// assert_eq!(journal.len(), 1);
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MIN_POSTINGS: usize = 2;
/// The most postings an entry has (enough for a distribution to a thousand members).
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError, MAX_POSTINGS};
/// use landpool::{Error, Yuan};
/// use time::macros::date;
///
/// assert_eq!(MAX_POSTINGS, 1024);
/// // 1023 debits of one fen and one credit: 1024 postings, the most an entry has.
/// let (cash, bank) = (AccountCode::new("101")?, AccountCode::new("102")?);
/// let debits = |id: &str, count: usize| {
///     (0..count).fold(Entry::new(id, date!(2019 - 02 - 01), "withdrawals"), |entry, _| {
///         entry.debit(cash.clone(), Yuan::from_fen(1))
///     })
/// };
/// let mut journal = Journal::new();
/// journal.post(debits("E1", 1023).credit(bank.clone(), Yuan::from_fen(1023)))?;
/// // One posting more is refused.
/// let too_many = debits("E2", 1024).credit(bank.clone(), Yuan::from_fen(1024));
/// assert!(matches!(
///     journal.post(too_many),
///     Err(Error::Ledger(LedgerError::PostingCount { count: 1025, max: 1024, .. }))
/// ));
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_POSTINGS: usize = 1024;
/// The longest memo, in bytes of UTF-8 (about 340 Chinese characters).
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError, MAX_MEMO_BYTES};
/// use landpool::{Error, Yuan};
/// use time::macros::date;
///
/// assert_eq!(MAX_MEMO_BYTES, 1024);
/// let entry = |id: &str, memo: String| {
///     Ok::<_, landpool::Error>(Entry::new(id, date!(2019 - 02 - 01), memo)
///         .debit(AccountCode::new("401")?, Yuan::from_fen(100))
///         .credit(AccountCode::new("101")?, Yuan::from_fen(100)))
/// };
/// let mut journal = Journal::new();
/// // 341 Chinese characters of 3 bytes each: 1023 bytes.
/// journal.post(entry("E1", "租".repeat(341))?)?;
/// // 342 of them are 1026 bytes: refused.
/// assert!(matches!(
///     journal.post(entry("E2", "租".repeat(342))?),
///     Err(Error::Ledger(LedgerError::InvalidMemo { .. }))
/// ));
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_MEMO_BYTES: usize = 1024;
/// The longest entry id, in bytes.
///
/// # Example
///
/// ```
/// use landpool::ledger::{EntryId, MAX_ENTRY_ID_BYTES};
///
/// assert_eq!(MAX_ENTRY_ID_BYTES, 128);
/// assert_eq!(EntryId::new(&"E".repeat(128))?.as_str().len(), 128);
/// assert!(EntryId::new(&"E".repeat(129)).is_err());
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_ENTRY_ID_BYTES: usize = 128;
/// The longest account code, in bytes.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, LedgerError, MAX_ACCOUNT_CODE_BYTES};
/// use landpool::Error;
///
/// assert_eq!(MAX_ACCOUNT_CODE_BYTES, 64);
/// // Four levels, each sub-account segment within its 24 bytes: 64 bytes in all.
/// let (a, b) = ("A".repeat(24), "B".repeat(24));
/// let longest = format!("101.{a}.{b}.{}", "C".repeat(10));
/// assert_eq!(AccountCode::new(&longest)?.as_str().len(), 64);
/// // One byte more is refused.
/// let longer = format!("101.{a}.{b}.{}", "C".repeat(11));
/// assert!(matches!(
///     AccountCode::new(&longer),
///     Err(Error::Ledger(LedgerError::InvalidAccountCode { reason: "longer than 64 bytes", .. }))
/// ));
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_ACCOUNT_CODE_BYTES: usize = 64;
/// The most segments in an account code: the standard code and three levels of sub-accounts.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, MAX_ACCOUNT_DEPTH};
///
/// assert_eq!(MAX_ACCOUNT_DEPTH, 4);
/// assert_eq!(AccountCode::new("114.M001.A.B")?.level(), 4);
/// assert!(AccountCode::new("114.M001.A.B.C").is_err());
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_ACCOUNT_DEPTH: usize = 4;
/// The longest sub-account segment of a code, in bytes.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, MAX_SEGMENT_BYTES};
///
/// assert_eq!(MAX_SEGMENT_BYTES, 24);
/// let code = AccountCode::new(&format!("114.{}", "M".repeat(24)))?;
/// assert_eq!(code.last_segment().len(), 24);
/// assert!(AccountCode::new(&format!("114.{}", "M".repeat(25))).is_err());
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_SEGMENT_BYTES: usize = 24;
/// The longest account name, in bytes of UTF-8.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Journal, LedgerError, MAX_ACCOUNT_NAME_BYTES};
/// use landpool::Error;
///
/// assert_eq!(MAX_ACCOUNT_NAME_BYTES, 256);
/// let mut journal = Journal::new();
/// // 85 Chinese characters of 3 bytes each: 255 bytes.
/// journal.open_account(AccountCode::new("523.01")?, &"办".repeat(85), "Office")?;
/// // 86 of them are 258 bytes: refused.
/// assert!(matches!(
///     journal.open_account(AccountCode::new("523.02")?, &"办".repeat(86), "Office"),
///     Err(Error::Ledger(LedgerError::InvalidAccountName { .. }))
/// ));
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_ACCOUNT_NAME_BYTES: usize = 256;
/// The most accounts a chart holds, the standard ones included.
///
/// # Example
///
/// ```
/// use landpool::ledger::{Chart, MAX_ACCOUNTS};
///
/// assert_eq!(MAX_ACCOUNTS, 2_000_000);
/// // The 50 standard accounts of the 2021 chart count towards it.
/// assert_eq!(Chart::standard().len(), 50);
/// ```
pub const MAX_ACCOUNTS: usize = 2_000_000;
/// The first year the ledger keeps.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError, MIN_YEAR};
/// use landpool::{Error, Yuan};
/// use time::macros::date;
///
/// assert_eq!(MIN_YEAR, 1900);
/// let entry = |id: &str, date| {
///     Ok::<_, landpool::Error>(Entry::new(id, date, "cash")
///         .debit(AccountCode::new("101")?, Yuan::from_fen(100))
///         .credit(AccountCode::new("102")?, Yuan::from_fen(100)))
/// };
/// let mut journal = Journal::new();
/// journal.post(entry("E1", date!(1900 - 01 - 01))?)?;
/// assert!(matches!(
///     journal.post(entry("E2", date!(1899 - 12 - 31))?),
///     Err(Error::Ledger(LedgerError::DateOutOfRange { min_year: 1900, .. }))
/// ));
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MIN_YEAR: i32 = 1900;
/// The last year the ledger keeps.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError, MAX_YEAR};
/// use landpool::{Error, Yuan};
/// use time::macros::date;
///
/// assert_eq!(MAX_YEAR, 9999);
/// let entry = |id: &str, date| {
///     Ok::<_, landpool::Error>(Entry::new(id, date, "cash")
///         .debit(AccountCode::new("101")?, Yuan::from_fen(100))
///         .credit(AccountCode::new("102")?, Yuan::from_fen(100)))
/// };
/// let mut journal = Journal::new();
/// journal.post(entry("E1", date!(9999 - 12 - 31))?)?;
/// // A date out of range is refused, the error naming the years kept.
/// assert!(matches!(
///     journal.post(entry("E2", date!(1899 - 12 - 31))?),
///     Err(Error::Ledger(LedgerError::DateOutOfRange { min_year: 1900, max_year: 9999, .. }))
/// ));
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_YEAR: i32 = 9999;

/// Whether `year` is one the books keep ([`MIN_YEAR`]..=[`MAX_YEAR`]): the one test every
/// entry date, event date and work record's date is held to.
pub(crate) fn keeps_year(year: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&year)
}
