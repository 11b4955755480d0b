//! Entries (记账凭证): id, date, memo and balanced postings.

use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;

use super::{
    AccountCode, LedgerError, Side, MAX_ENTRY_ID_BYTES, MAX_MEMO_BYTES, MAX_POSTINGS, MAX_YEAR,
    MIN_POSTINGS, MIN_YEAR,
};
use crate::{Result, Yuan};

/// The id of an entry, chosen by the caller: the idempotency key of [`Journal::post`].
///
/// Converting from text never fails ([`From<&str>`], [`From<String>`]); the id is checked when
/// the entry is posted (or here with [`EntryId::new`]): 1 to [`MAX_ENTRY_ID_BYTES`] characters
/// from `A-Z a-z 0-9` and `- _ . : / # @ +` (so that an id can be written into a plain-text
/// journal as it is).
///
/// [`Journal::post`]: super::Journal::post
///
/// # Example
///
/// ```
/// use landpool::ledger::EntryId;
///
/// let id = EntryId::new("rent/2019/M001")?;
/// assert_eq!(id.to_string(), "rent/2019/M001");
/// assert_eq!(EntryId::from("rent/2019/M001"), id);
/// assert!(EntryId::new("").is_err());
/// assert!(EntryId::new("two words").is_err());
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId(CompactString);

impl EntryId {
    /// The id `text`, checked.
    ///
    /// # Errors
    ///
    /// [`LedgerError::InvalidEntryId`] saying what is wrong with the text.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::EntryId::new("E-001")?.as_str(), "E-001");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn new(text: &str) -> Result<EntryId> {
        let id = EntryId(CompactString::new(text));
        id.check()?;
        Ok(id)
    }

    /// The id as text.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::EntryId::from("E1").as_str(), "E1");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks the id's syntax.
    pub(crate) fn check(&self) -> Result<()> {
        let reason = if self.0.is_empty() {
            Some("the id is empty")
        } else if self.0.len() > MAX_ENTRY_ID_BYTES {
            Some("longer than 128 bytes")
        } else if !self.0.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'_' | b'.' | b':' | b'/' | b'#' | b'@' | b'+')
        }) {
            Some("only A-Z, a-z, 0-9 and - _ . : / # @ + are allowed")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(LedgerError::InvalidEntryId {
                id: self.0.chars().take(80).collect(),
                reason,
            }
            .into()),
            None => Ok(()),
        }
    }
}

impl From<&str> for EntryId {
    fn from(text: &str) -> EntryId {
        EntryId(CompactString::new(text))
    }
}

impl From<String> for EntryId {
    fn from(text: String) -> EntryId {
        EntryId(CompactString::from(text))
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl Serialize for EntryId {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for EntryId {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<EntryId, D::Error> {
        super::deserialize_text(deserializer, EntryId::new)
    }
}

/// An entry's memo (摘要): one line of text, shared rather than copied when an entry is
/// cloned or when many entries carry the same memo (every entry of a timesheet does).
///
/// It reads as a `&str` (it dereferences to one), compares equal to the same `str` or
/// `String`, converts from both, and is a plain string in serde. The memo is checked when
/// its entry is posted: at most [`MAX_MEMO_BYTES`] bytes, no control characters.
///
/// # Example
///
/// ```
/// use landpool::ledger::Memo;
///
/// let memo = Memo::from("劳务费 labour pay");
/// let same = memo.clone(); // no copy of the text
/// assert_eq!(same, "劳务费 labour pay");
/// assert_eq!(memo.as_str(), "劳务费 labour pay");
/// assert!(memo.starts_with("劳务费"));
/// assert_eq!(serde_json::to_string(&memo).unwrap(), r#""劳务费 labour pay""#);
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Memo(Arc<str>);

impl Memo {
    /// The memo as text.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Memo::from("rent").as_str(), "rent");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::text::str_like!(Memo, "a memo (text)");

impl From<&str> for Memo {
    fn from(text: &str) -> Memo {
        Memo(Arc::from(text))
    }
}

impl From<String> for Memo {
    fn from(text: String) -> Memo {
        Memo(Arc::from(text))
    }
}

impl From<Memo> for String {
    fn from(memo: Memo) -> String {
        memo.as_str().to_string()
    }
}

/// One line of an entry: an amount debited or credited to an account.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Posting, Side};
/// use landpool::Yuan;
///
/// let posting = Posting { account: AccountCode::new("102")?, side: Side::Debit, amount: Yuan::from_fen(100) };
/// assert_eq!(
///     serde_json::to_string(&posting).unwrap(),
///     r#"{"account":"102","side":"debit","amount":"1.00"}"#
/// );
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Posting {
    /// The account; must be a leaf of the chart when the entry is posted.
    pub account: AccountCode,
    /// Debit or credit.
    pub side: Side,
    /// The amount; must be more than zero when the entry is posted.
    pub amount: Yuan,
}

/// An entry (记账凭证): an id, a date, a memo (摘要) and at least two postings whose debits
/// equal their credits; a reversing entry also names the entry it reverses.
///
/// Build one with [`Entry::new`], [`Entry::debit`] and [`Entry::credit`]; nothing is checked
/// until [`Journal::post`](super::Journal::post).
///
/// serde: `{"id":…,"date":"YYYY-MM-DD","memo":…,"postings":[…],"reverses":null}`; unknown
/// fields are refused.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let entry = Entry::new("E1", date!(2019 - 03 - 01), "rent paid")
///     .debit(AccountCode::new("401")?, Yuan::from_yuan(1000)?)
///     .credit(AccountCode::new("102")?, Yuan::from_yuan(1000)?);
/// assert_eq!(entry.postings.len(), 2);
/// assert_eq!(entry.reverses, None);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The caller's id for the entry (its idempotency key).
    pub id: EntryId,
    /// The date it is booked on.
    #[serde(with = "date_text")]
    pub date: Date,
    /// What it is for (摘要): one line, at most [`MAX_MEMO_BYTES`] bytes.
    pub memo: Memo,
    /// The postings, in the order given.
    pub postings: Vec<Posting>,
    /// The entry this one reverses, for a correction.
    pub reverses: Option<EntryId>,
}

impl Entry {
    /// An entry with no postings yet.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::Entry;
    /// use time::macros::date;
    /// let entry = Entry::new("E1", date!(2019 - 01 - 01), "opening");
    /// assert!(entry.postings.is_empty());
    /// ```
    pub fn new(id: impl Into<EntryId>, date: Date, memo: impl Into<Memo>) -> Entry {
        Entry {
            id: id.into(),
            date,
            memo: memo.into(),
            postings: Vec::new(),
            reverses: None,
        }
    }

    /// The entry with a debit of `amount` to `account` added.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Side};
    /// use landpool::Yuan;
    /// use time::macros::date;
    /// let entry = Entry::new("E1", date!(2019 - 01 - 01), "").debit(AccountCode::new("101")?, Yuan::from_fen(5));
    /// assert_eq!(entry.postings[0].side, Side::Debit);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn debit(self, account: AccountCode, amount: Yuan) -> Entry {
        self.posting(account, Side::Debit, amount)
    }

    /// The entry with a credit of `amount` to `account` added.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Side};
    /// use landpool::Yuan;
    /// use time::macros::date;
    /// let entry = Entry::new("E1", date!(2019 - 01 - 01), "").credit(AccountCode::new("301")?, Yuan::from_fen(5));
    /// assert_eq!(entry.postings[0].side, Side::Credit);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn credit(self, account: AccountCode, amount: Yuan) -> Entry {
        self.posting(account, Side::Credit, amount)
    }

    /// The entry with a posting added.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Side};
    /// use landpool::Yuan;
    /// use time::macros::date;
    /// let entry = Entry::new("E1", date!(2019 - 01 - 01), "").posting(AccountCode::new("101")?, Side::Debit, Yuan::from_fen(5));
    /// assert_eq!(entry.postings.len(), 1);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn posting(mut self, account: AccountCode, side: Side, amount: Yuan) -> Entry {
        // Most entries have two postings: room for two at the first, doubling after.
        crate::tight::push_from(
            &mut self.postings,
            2,
            Posting {
                account,
                side,
                amount,
            },
        );
        self
    }

    /// The entry marked as the reversal of `original`.
    ///
    /// Its postings must be the original's with debit and credit swapped, in the same order,
    /// when it is posted; [`Journal::reverse`](super::Journal::reverse) builds such an entry
    /// for you.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{Entry, EntryId};
    /// use time::macros::date;
    /// let entry = Entry::new("E2", date!(2019 - 01 - 02), "reverses E1").reversing("E1");
    /// assert_eq!(entry.reverses, Some(EntryId::from("E1")));
    /// ```
    pub fn reversing(mut self, original: impl Into<EntryId>) -> Entry {
        self.reverses = Some(original.into());
        self
    }

    /// The sum of the debits and the sum of the credits.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] when a sum leaves the range of [`Yuan`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry};
    /// use landpool::Yuan;
    /// use time::macros::date;
    /// let entry = Entry::new("E1", date!(2019 - 01 - 01), "")
    ///     .debit(AccountCode::new("101")?, Yuan::from_fen(5))
    ///     .credit(AccountCode::new("301")?, Yuan::from_fen(5));
    /// assert_eq!(entry.totals()?, (Yuan::from_fen(5), Yuan::from_fen(5)));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn totals(&self) -> Result<(Yuan, Yuan)> {
        totals(self.postings.iter().map(|p| (&p.account, p.side, p.amount)))
    }

    /// The canonical encoding of the entry that its digest covers (see the
    /// [module documentation](super#the-hash-chain)).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let entry = Entry::new("E1", date!(2019 - 01 - 05), "股金")
    ///     .debit(AccountCode::new("102")?, Yuan::from_fen(100_000))
    ///     .credit(AccountCode::new("301.M001")?, Yuan::from_fen(100_000));
    /// assert_eq!(
    ///     String::from_utf8(entry.canonical_bytes()).unwrap(),
    ///     "landpool-entry-v1\nid:E1\ndate:2019-01-05\nmemo:6:股金\nreverses:\npostings:2\nD 102 1000.00\nC 301.M001 1000.00\n"
    /// );
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        self.encode_into(&mut out);
        out
    }

    /// Appends the canonical encoding to `out`.
    pub(crate) fn encode_into(&self, out: &mut Vec<u8>) {
        encode(
            out,
            &self.id,
            self.date,
            &self.memo,
            self.reverses.as_ref(),
            self.postings.iter().map(|p| (&p.account, p.side, p.amount)),
        );
    }

    /// The checks that need nothing but the entry: id, memo, date range, posting count,
    /// positive amounts, balance. Returns the total of the debits.
    pub(crate) fn check_shape(&self) -> Result<Yuan> {
        check_shape(
            &self.id,
            self.date,
            &self.memo,
            self.reverses.as_ref(),
            self.postings.iter().map(|p| (&p.account, p.side, p.amount)),
        )
    }
}

/// The checks that need nothing but an entry's parts (those of an owned [`Entry`] or of a
/// journal's view of one): id, memo, date range, posting count, positive amounts, balance.
/// Returns the total of the debits.
pub(crate) fn check_shape<'a>(
    id: &EntryId,
    date: Date,
    memo: &Memo,
    reverses: Option<&EntryId>,
    postings: impl ExactSizeIterator<Item = (&'a AccountCode, Side, Yuan)> + Clone,
) -> Result<Yuan> {
    id.check()?;
    let entry = || id.0.to_string();
    if let Some(original) = reverses {
        original.check()?;
    }
    if memo.len() > MAX_MEMO_BYTES {
        return Err(LedgerError::InvalidMemo {
            entry: entry(),
            reason: "longer than 1024 bytes",
        }
        .into());
    }
    if has_control(memo) {
        return Err(LedgerError::InvalidMemo {
            entry: entry(),
            reason: "holds control characters (a memo is one line of text)",
        }
        .into());
    }
    let year = date.year();
    if !super::keeps_year(year) {
        return Err(LedgerError::DateOutOfRange {
            entry: entry(),
            date,
            min_year: MIN_YEAR,
            max_year: MAX_YEAR,
        }
        .into());
    }
    let count = postings.len();
    if !(MIN_POSTINGS..=MAX_POSTINGS).contains(&count) {
        return Err(LedgerError::PostingCount {
            entry: entry(),
            count,
            min: MIN_POSTINGS,
            max: MAX_POSTINGS,
        }
        .into());
    }
    for (index, (account, _, amount)) in postings.clone().enumerate() {
        if !amount.is_positive() {
            return Err(LedgerError::NonPositiveAmount {
                entry: entry(),
                posting: index,
                account: account.to_string(),
                amount,
            }
            .into());
        }
    }
    let (debits, credits) = totals(postings).map_err(|_| LedgerError::AmountOverflow {
        entry: entry(),
        what: "the sum of the entry's debits or credits",
    })?;
    if debits != credits {
        // Both sums are positive, so the difference fits.
        let difference = debits.checked_sub(credits).unwrap_or(Yuan::ZERO);
        return Err(LedgerError::Unbalanced {
            entry: entry(),
            debits,
            credits,
            difference,
        }
        .into());
    }
    Ok(debits)
}

/// The sums of the debits and of the credits of `postings`.
fn totals<'a>(
    postings: impl Iterator<Item = (&'a AccountCode, Side, Yuan)>,
) -> Result<(Yuan, Yuan)> {
    let mut debits = Yuan::ZERO;
    let mut credits = Yuan::ZERO;
    for (_, side, amount) in postings {
        match side {
            Side::Debit => debits = debits.checked_add(amount)?,
            Side::Credit => credits = credits.checked_add(amount)?,
        }
    }
    Ok((debits, credits))
}

/// Appends the canonical encoding of an entry to `out` (see [`Entry::canonical_bytes`]):
/// the one encoding of an owned [`Entry`] and of a journal's view of one.
pub(crate) fn encode<'a>(
    out: &mut Vec<u8>,
    id: &EntryId,
    date: Date,
    memo: &Memo,
    reverses: Option<&EntryId>,
    postings: impl ExactSizeIterator<Item = (&'a AccountCode, Side, Yuan)>,
) {
    out.extend_from_slice(b"landpool-entry-v1\nid:");
    out.extend_from_slice(id.0.as_bytes());
    out.extend_from_slice(b"\ndate:");
    push_date(out, date);
    out.extend_from_slice(b"\nmemo:");
    push_decimal(out, memo.len() as u64);
    out.push(b':');
    out.extend_from_slice(memo.as_bytes());
    out.extend_from_slice(b"\nreverses:");
    if let Some(original) = reverses {
        out.extend_from_slice(original.0.as_bytes());
    }
    out.extend_from_slice(b"\npostings:");
    push_decimal(out, postings.len() as u64);
    out.push(b'\n');
    for (account, side, amount) in postings {
        out.extend_from_slice(match side {
            Side::Debit => b"D ",
            Side::Credit => b"C ",
        });
        out.extend_from_slice(account.as_str().as_bytes());
        out.push(b' ');
        amount.push_bytes(out);
        out.push(b'\n');
    }
}

/// Writes `YYYY-MM-DD` (the year has four digits for the years the ledger keeps).
fn push_date(out: &mut Vec<u8>, date: Date) {
    out.extend_from_slice(&iso_date(date.year().clamp(0, 9999).unsigned_abs(), date));
}

/// `YYYY-MM-DD` of `date` with the year `year` (which must be at most 9999), as `time`
/// writes dates: the ledger's encoding and the timesheets' JSON write millions of them.
// Each digit is `value % 10` (< 10) added to b'0': no overflow.
#[allow(clippy::arithmetic_side_effects)]
pub(crate) fn iso_date(year: u32, date: Date) -> [u8; 10] {
    let month = u32::from(u8::from(date.month()));
    let day = u32::from(date.day());
    let digit = |value: u32| b'0' + (value % 10) as u8;
    [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ]
}

/// Appends `value` in decimal digits, as `u64`'s `Display` writes it.
// Each digit is `rest % 10` (< 10) added to b'0'; `rest` only shrinks: no overflow.
#[allow(clippy::arithmetic_side_effects)]
pub(crate) fn push_decimal(out: &mut Vec<u8>, value: u64) {
    let mut digits = [0u8; 20];
    let mut rest = value;
    let mut start = digits.len();
    loop {
        start = start.saturating_sub(1);
        if let Some(digit) = digits.get_mut(start) {
            *digit = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 || start == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(start..).unwrap_or_default());
}

/// serde for dates as `YYYY-MM-DD`.
pub(crate) mod date_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::macros::format_description;
    use time::Date;

    /// Writes `YYYY-MM-DD`.
    pub(crate) fn serialize<S: Serializer>(
        date: &Date,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(10);
        super::push_date(&mut out, *date);
        serializer.serialize_str(std::str::from_utf8(&out).unwrap_or_default())
    }

    /// Reads `YYYY-MM-DD`, strictly.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    /// Parses `YYYY-MM-DD`.
    pub(crate) fn parse(text: &str) -> std::result::Result<Date, String> {
        let format = format_description!("[year]-[month]-[day]");
        if text.len() != 10 {
            return Err(format!(
                "cannot read {text:?} as a date: expected YYYY-MM-DD"
            ));
        }
        Date::parse(text, format)
            .map_err(|e| format!("cannot read {text:?} as a date (YYYY-MM-DD): {e}"))
    }
}

/// Whether `text` holds a control character (`char::is_control`: U+0000-U+001F and
/// U+007F-U+009F), found in its bytes without decoding them: the first two ranges are single
/// bytes, the last is 0xC2 followed by 0x80-0x9F (0xC2 only ever starts a character).
fn has_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().any(|&b| b < 0x20 || b == 0x7f)
        || bytes
            .windows(2)
            .any(|pair| matches!(pair, [0xc2, 0x80..=0x9f]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn code(text: &str) -> AccountCode {
        AccountCode::new(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// A memo reads, compares, prints and serializes as the text it holds, and clones share
    /// that text.
    #[test]
    fn a_memo_is_its_text() {
        let text = String::from("劳务费 labour pay, timesheet \"T1\"");
        let memo = Memo::from(&text);
        let copy = memo.clone();
        assert!(Arc::ptr_eq(&memo.0, &copy.0));
        assert_eq!(memo, text);
        assert_eq!(text, memo);
        assert_eq!(memo, text.as_str());
        assert_eq!(text.as_str(), memo);
        assert_eq!(*text.as_str(), *memo);
        assert_eq!(format!("{memo:?}"), format!("{text:?}"));
        assert_eq!(format!("[{memo:>4}]"), format!("[{text:>4}]"));
        assert_eq!(format!("[{:>4}]", Memo::from("ab")), "[  ab]");
        assert_eq!(String::from(memo.clone()), text);
        assert_eq!(Memo::default(), "");
        // Plain JSON text both ways, escaped or not (an escape makes serde_json hand over an
        // owned string rather than a borrowed one).
        let json = serde_json::to_string(&memo).unwrap_or_default();
        assert_eq!(json, serde_json::to_string(&text).unwrap_or_default());
        let back: Memo = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, memo);
        let plain: Memo = serde_json::from_str("\"股金\"").unwrap_or_default();
        assert_eq!(plain, "股金");
        assert!(serde_json::from_str::<Memo>("12").is_err());
        let mut sorted = [Memo::from("b"), Memo::from("a")];
        sorted.sort();
        assert_eq!(sorted, [Memo::from("a"), Memo::from("b")]);
    }

    /// The byte test agrees with `char::is_control` on every character, alone and between
    /// Chinese text.
    #[test]
    fn control_characters_found_in_bytes() {
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            let alone = c.to_string();
            let within = format!("土地{c}流转");
            assert_eq!(
                has_control(&alone),
                c.is_control(),
                "U+{:04X}",
                u32::from(c)
            );
            assert_eq!(
                has_control(&within),
                c.is_control(),
                "U+{:04X}",
                u32::from(c)
            );
        }
        assert!(!has_control("土地流转费 rent C1-0 2019-01-01~2019-12-31"));
    }

    fn sample() -> Entry {
        Entry::new("E1", date!(2019 - 01 - 05), "memo")
            .debit(code("102"), Yuan::from_fen(150))
            .credit(code("301"), Yuan::from_fen(100))
            .credit(code("321"), Yuan::from_fen(50))
    }

    #[test]
    fn shape_checks() {
        assert_eq!(sample().check_shape().ok(), Some(Yuan::from_fen(150)));
        let mut e = sample();
        e.postings.truncate(1);
        assert!(matches!(
            e.check_shape(),
            Err(crate::Error::Ledger(LedgerError::PostingCount {
                count: 1,
                ..
            }))
        ));
        let mut e = sample();
        e.postings[2].amount = Yuan::ZERO;
        assert!(matches!(
            e.check_shape(),
            Err(crate::Error::Ledger(LedgerError::NonPositiveAmount {
                posting: 2,
                ..
            }))
        ));
        let mut e = sample();
        e.memo = "a\nb".into();
        assert!(e.check_shape().is_err());
        let mut e = sample();
        e.memo = "字".repeat(342).into();
        assert!(e.check_shape().is_err());
        let mut e = sample();
        e.date = date!(1899 - 12 - 31);
        assert!(e.check_shape().is_err());
        let mut e = sample();
        e.id = EntryId::from("a b");
        assert!(e.check_shape().is_err());
        let mut e = sample();
        e.postings[0].amount = Yuan::MAX;
        e.postings[1].amount = Yuan::MAX;
        assert!(matches!(
            e.check_shape(),
            Err(crate::Error::Ledger(LedgerError::AmountOverflow { .. }))
        ));
    }

    #[test]
    fn encoding() {
        let text =
            String::from_utf8(sample().reversing("E0").canonical_bytes()).unwrap_or_default();
        assert_eq!(
            text,
            "landpool-entry-v1\nid:E1\ndate:2019-01-05\nmemo:4:memo\nreverses:E0\npostings:3\n\
             D 102 1.50\nC 301 1.00\nC 321 0.50\n"
        );
        let mut out = Vec::new();
        Yuan::from_fen(-5).push_bytes(&mut out);
        Yuan::MAX.push_bytes(&mut out);
        push_decimal(&mut out, u64::MAX);
        assert_eq!(
            String::from_utf8(out).unwrap_or_default(),
            format!("-0.05{}{}", Yuan::MAX, u64::MAX)
        );
    }

    #[test]
    fn serde_form() {
        let json = serde_json::to_string(&sample()).unwrap_or_default();
        assert!(json.starts_with(r#"{"id":"E1","date":"2019-01-05","memo":"memo","postings":[{"account":"102","side":"debit","amount":"1.50"}"#), "{json}");
        assert!(json.ends_with(r#""reverses":null}"#), "{json}");
        let back: Option<Entry> = serde_json::from_str(&json).ok();
        assert_eq!(back, Some(sample()));
        assert!(serde_json::from_str::<Entry>(&json.replace("2019-01-05", "2019-1-5")).is_err());
        assert!(serde_json::from_str::<Entry>(&json.replace("\"memo\":", "\"mem0\":")).is_err());
    }
}
