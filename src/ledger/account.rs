//! Account codes, classes, sides and accounts.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    deserialize_text, LedgerError, MAX_ACCOUNT_CODE_BYTES, MAX_ACCOUNT_DEPTH, MAX_SEGMENT_BYTES,
};
use crate::Result;

/// The code of an account: a standard 3-digit code of the 2021 chart, optionally followed by
/// sub-account segments, as in `102`, `114.M001`, `332.01`, `501.GRAPE.A`.
///
/// Syntax (checked by [`AccountCode::new`]): the root is exactly three ASCII digits; each
/// further segment follows a `.` and has 1 to [`MAX_SEGMENT_BYTES`] characters from
/// `A-Z a-z 0-9 -`, the first an upper-case letter or a digit (so that every segment is also a
/// valid beancount account component); at most [`MAX_ACCOUNT_DEPTH`] segments in all and
/// [`MAX_ACCOUNT_CODE_BYTES`] bytes. Whether the code is in a chart is the
/// [`Chart`](super::Chart)'s business, not the code's.
///
/// Codes order segment by segment, so an account comes right before its sub-accounts:
/// `114` < `114.M001` < `114.M001.A` < `114.M002` < `121`.
///
/// # Example
///
/// ```
/// use landpool::ledger::AccountCode;
///
/// let member = AccountCode::new("114")?.sub("M001")?;
/// assert_eq!(member.to_string(), "114.M001");
/// assert_eq!(member.standard(), "114");
/// assert_eq!(member.parent(), Some(AccountCode::new("114")?));
/// assert!(AccountCode::new("14").is_err());
/// assert!(AccountCode::new("114.m001").is_err());
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Eq)]
pub struct AccountCode(CompactString);

crate::text::short_text_eq!(AccountCode);

impl AccountCode {
    /// The code a journal's view shows for a chart node it cannot find (never the case for
    /// an entry the journal posted).
    pub(crate) const UNKNOWN: AccountCode = AccountCode(CompactString::const_new("000"));

    /// The code `text`, checked for syntax only.
    ///
    /// # Errors
    ///
    /// [`LedgerError::InvalidAccountCode`] saying what is wrong with the text.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// assert_eq!(AccountCode::new("332.01")?.as_str(), "332.01");
    /// assert!(AccountCode::new("332.").is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn new(text: &str) -> Result<AccountCode> {
        check_code(text).map_err(|reason| LedgerError::InvalidAccountCode {
            code: text.chars().take(80).collect(),
            reason,
        })?;
        Ok(AccountCode(CompactString::new(text)))
    }

    /// The code as text.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::AccountCode::new("102")?.as_str(), "102");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The standard 3-digit code this code starts with.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::AccountCode::new("221.M007")?.standard(), "221");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn standard(&self) -> &str {
        self.0.split('.').next().unwrap_or("")
    }

    /// The code of the parent account; `None` for a standard code.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// assert_eq!(AccountCode::new("501.GRAPE.A")?.parent(), Some(AccountCode::new("501.GRAPE")?));
    /// assert_eq!(AccountCode::new("501")?.parent(), None);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn parent(&self) -> Option<AccountCode> {
        split_last_segment(&self.0).map(|(parent, _)| AccountCode(CompactString::new(parent)))
    }

    /// The code of the sub-account `suffix` of this account.
    ///
    /// # Errors
    ///
    /// [`LedgerError::InvalidAccountCode`] when `suffix` is not a valid segment, or the code
    /// would be too deep or too long.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// assert_eq!(AccountCode::new("114")?.sub("M001")?.as_str(), "114.M001");
    /// assert!(AccountCode::new("114")?.sub("a b").is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn sub(&self, suffix: &str) -> Result<AccountCode> {
        // Made in place: a code of up to 24 bytes needs no allocation, and its parent's is
        // copied whole (a copy of 24 bytes when it is that short).
        let mut code = self.0.clone();
        code.push('.');
        code.push_str(suffix);
        // `self` is a valid code: a suffix that is one valid segment (so holds no '.') and
        // keeps the code within its depth and length makes a valid code without checking
        // `self` again. Anything else is checked whole, for its error or, for a suffix of
        // several segments, for its code.
        if check_segment(suffix.as_bytes()).is_ok()
            && code.len() <= MAX_ACCOUNT_CODE_BYTES
            && self.level() < MAX_ACCOUNT_DEPTH
        {
            return Ok(AccountCode(code));
        }
        AccountCode::new(&code)
    }

    /// How many segments the code has: 1 for a standard code, 2 for its sub-accounts, …
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::AccountCode::new("114.M001")?.level(), 2);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn level(&self) -> usize {
        self.0
            .bytes()
            .filter(|&b| b == b'.')
            .count()
            .saturating_add(1)
    }

    /// The last segment: the standard code for a standard account, the sub-account's own
    /// suffix otherwise.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::AccountCode::new("114.M001")?.last_segment(), "M001");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn last_segment(&self) -> &str {
        split_last_segment(&self.0).map_or(&self.0, |(_, last)| last)
    }

    /// Whether `self` is `other` or one of its sub-accounts, at any depth.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// let parent = AccountCode::new("114")?;
    /// assert!(AccountCode::new("114.M001")?.is_within(&parent));
    /// assert!(parent.is_within(&parent));
    /// assert!(!AccountCode::new("113")?.is_within(&parent));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn is_within(&self, other: &AccountCode) -> bool {
        match self.0.strip_prefix(other.0.as_str()) {
            Some(rest) => rest.is_empty() || rest.starts_with('.'),
            None => false,
        }
    }
}

/// `code` split at its last `.`: the parent's code and the last segment; `None` for a code
/// of one segment. The dot is found by a plain search of the bytes (codes are ASCII and
/// short), which costs less than a search for a character.
pub(crate) fn split_last_segment(code: &str) -> Option<(&str, &str)> {
    let dot = code.as_bytes().iter().rposition(|&b| b == b'.')?;
    Some((code.get(..dot)?, code.get(dot.checked_add(1)?..)?))
}

/// Checks the syntax of an account code.
fn check_code(text: &str) -> std::result::Result<(), &'static str> {
    if text.len() > MAX_ACCOUNT_CODE_BYTES {
        return Err("longer than 64 bytes");
    }
    // Bytes split at each '.' (a plain loop, where splitting the text at a character
    // searches for it with `memchr`): a segment's checks read only ASCII bytes, so a byte of a
    // multi-byte character anywhere fails them as the character did.
    let mut segments = text.as_bytes().split(|&b| b == b'.');
    let root = segments.next().unwrap_or_default();
    if root.len() != 3 || !root.iter().all(|b| b.is_ascii_digit()) {
        return Err("the code must start with a 3-digit standard code such as 102 or 114");
    }
    let mut depth = 1usize;
    for segment in segments {
        depth = depth.saturating_add(1);
        if depth > MAX_ACCOUNT_DEPTH {
            return Err(
                "more than 4 levels (a standard code and at most 3 levels of sub-accounts)",
            );
        }
        check_segment(segment)?;
    }
    Ok(())
}

/// Why `segment` (its bytes) is not a valid sub-account segment, if it is not.
fn check_segment(segment: &[u8]) -> std::result::Result<(), &'static str> {
    if segment.is_empty() {
        return Err("an empty segment; each '.' must be followed by a sub-account code");
    }
    if segment.len() > MAX_SEGMENT_BYTES {
        return Err("a sub-account segment is longer than 24 characters");
    }
    let first_ok = segment
        .first()
        .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !first_ok {
        return Err("a sub-account segment must start with an upper-case letter A-Z or a digit");
    }
    if !segment
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err("a sub-account segment may hold only A-Z, a-z, 0-9 and '-'");
    }
    Ok(())
}

impl Ord for AccountCode {
    /// Segment by segment: `.` sorts before every character a segment may hold.
    fn cmp(&self, other: &AccountCode) -> Ordering {
        let key = |b: Option<&u8>| match b {
            Some(b'.') => 0,
            Some(&b) => b,
            None => 0,
        };
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        match first_difference(a, b) {
            Some(i) => key(a.get(i)).cmp(&key(b.get(i))),
            None => a.len().cmp(&b.len()),
        }
    }
}

/// The first position at which `a` and `b` differ, within the shorter of the two; eight
/// bytes at a time (codes in one chart share long prefixes such as `301.H0000`, and the
/// chart's code index compares them some twenty times for each account opened).
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let mut at = 0usize;
    while let (Some(x), Some(y)) = (
        a.get(at..).and_then(|rest| rest.first_chunk::<8>()),
        b.get(at..).and_then(|rest| rest.first_chunk::<8>()),
    ) {
        let diff = u64::from_le_bytes(*x) ^ u64::from_le_bytes(*y);
        if diff != 0 {
            // Little-endian: the lowest set bit is in the first differing byte (< 8).
            return Some(at.saturating_add((diff.trailing_zeros() / 8) as usize));
        }
        at = at.saturating_add(8);
    }
    let (a, b) = (
        a.get(at..).unwrap_or_default(),
        b.get(at..).unwrap_or_default(),
    );
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .map(|i| at.saturating_add(i))
}

impl PartialOrd for AccountCode {
    fn partial_cmp(&self, other: &AccountCode) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl FromStr for AccountCode {
    type Err = crate::Error;

    fn from_str(text: &str) -> Result<AccountCode> {
        AccountCode::new(text)
    }
}

impl Serialize for AccountCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AccountCode {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<AccountCode, D::Error> {
        deserialize_text(deserializer, AccountCode::new)
    }
}

/// The five classes of the 2021 cooperative chart (资产、负债、所有者权益、成本、损益).
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountClass, Side};
/// assert_eq!(AccountClass::Liability.usual_side(), Side::Credit);
/// assert_eq!(AccountClass::Cost.name_zh(), "成本类");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountClass {
    /// 资产类: codes 1xx.
    Asset,
    /// 负债类: codes 2xx.
    Liability,
    /// 所有者权益类: codes 3xx.
    Equity,
    /// 成本类: code 401.
    Cost,
    /// 损益类: codes 5xx.
    ProfitAndLoss,
}

impl AccountClass {
    /// The class's Chinese name as the 2021 system writes it.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::AccountClass::Equity.name_zh(), "所有者权益类");
    /// ```
    pub fn name_zh(self) -> &'static str {
        match self {
            AccountClass::Asset => "资产类",
            AccountClass::Liability => "负债类",
            AccountClass::Equity => "所有者权益类",
            AccountClass::Cost => "成本类",
            AccountClass::ProfitAndLoss => "损益类",
        }
    }

    /// The side most accounts of the class carry their balance on (the accounts that
    /// differ, such as 152 累计折旧 or 521 经营支出, say so in their own
    /// [`Account::normal_side`]).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountClass, Side};
    /// assert_eq!(AccountClass::Asset.usual_side(), Side::Debit);
    /// ```
    pub fn usual_side(self) -> Side {
        match self {
            AccountClass::Asset | AccountClass::Cost => Side::Debit,
            AccountClass::Liability | AccountClass::Equity | AccountClass::ProfitAndLoss => {
                Side::Credit
            }
        }
    }
}

/// Debit (借) or credit (贷).
///
/// # Example
///
/// ```
/// use landpool::ledger::Side;
/// assert_eq!(Side::Debit.opposite(), Side::Credit);
/// assert_eq!(serde_json::to_string(&Side::Credit)?, "\"credit\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// 借方.
    Debit,
    /// 贷方.
    Credit,
}

impl Side {
    /// The other side.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Side::Credit.opposite(), landpool::ledger::Side::Debit);
    /// ```
    pub fn opposite(self) -> Side {
        match self {
            Side::Debit => Side::Credit,
            Side::Credit => Side::Debit,
        }
    }

    /// 借 or 贷.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Side::Debit.name_zh(), "借");
    /// ```
    pub fn name_zh(self) -> &'static str {
        match self {
            Side::Debit => "借",
            Side::Credit => "贷",
        }
    }
}

/// An account's name (科目名称, or its English name): text shared rather than copied, so
/// that a trial balance of a county's million sub-accounts names each row without copying
/// two strings for it. The chart keeps an account's two names in one allocation, so they
/// take no more memory than two strings.
///
/// It reads as a `&str` (it dereferences to one), compares equal to the same `str` or
/// `String`, converts from both and back into a `String`, and is a plain string in serde.
///
/// # Example
///
/// ```
/// use landpool::ledger::Name;
///
/// let name = Name::from("应付劳务费—张三");
/// let row_name = name.clone(); // no copy of the text
/// assert_eq!(row_name, "应付劳务费—张三");
/// assert!(name.starts_with("应付劳务费"));
/// assert_eq!(serde_json::to_string(&name).unwrap(), r#""应付劳务费—张三""#);
/// ```
#[derive(Clone, Default)]
pub struct Name {
    /// The text this name is a part of: its own, or the account's two names together (one
    /// allocation for both, no larger than two strings').
    text: std::sync::Arc<str>,
    /// Where the name is in `text`; an `end` of [`Name::WHOLE`] is all of it (a name of
    /// 4 GiB or more).
    start: u32,
    end: u32,
}

impl Name {
    /// The name as text.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Name::from("库存现金").as_str(), "库存现金");
    /// ```
    pub fn as_str(&self) -> &str {
        if self.end == Name::WHOLE {
            return &self.text;
        }
        self.text
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    const WHOLE: u32 = u32::MAX;

    /// An account's Chinese and English names, kept in one allocation. Names longer than
    /// 4 GiB together (never a checked account name) get one each.
    pub(crate) fn pair(zh: &str, en: &str) -> (Name, Name) {
        Name::pair_of(&[zh], &[en])
    }

    /// [`Name::pair`] of names each made of pieces put together (the parent's name and a
    /// member's, say): the pieces are gathered in a buffer the thread keeps, so the pair
    /// takes the one allocation it keeps.
    pub(crate) fn pair_of(zh: &[&str], en: &[&str]) -> (Name, Name) {
        let [pair] = Name::pairs_of([(zh, en)]);
        pair
    }

    /// Several accounts' name pairs, each made of pieces as with [`Name::pair_of`], kept in
    /// one allocation between them: a member's six sub-accounts take one where they took
    /// six (a county chart has a million and a half of them). Names 4 GiB or more long
    /// together (never checked account names) get one allocation each.
    pub(crate) fn pairs_of<const N: usize>(pairs: [(&[&str], &[&str]); N]) -> [(Name, Name); N] {
        let Some(marks) = Name::marks(&pairs) else {
            return pairs.map(|(zh, en)| (Name::from(zh.concat()), Name::from(en.concat())));
        };
        let text: std::sync::Arc<str> = NAME_BUFFER.with(|spare| {
            let mut all = spare.take();
            all.clear();
            pairs
                .iter()
                .flat_map(|(zh, en)| zh.iter().chain(en.iter()))
                .for_each(|piece| all.push_str(piece));
            let text = std::sync::Arc::from(all.as_str());
            // Room for a member's six pairs of checked names is kept; the room longer names
            // took is not.
            if all.capacity() <= NAME_BUFFER_KEPT {
                spare.set(all);
            }
            text
        });
        marks.map(|(start, middle, end)| {
            (
                Name {
                    text: text.clone(),
                    start,
                    end: middle,
                },
                Name {
                    text: text.clone(),
                    start: middle,
                    end,
                },
            )
        })
    }

    /// Where each pair's names start, meet and end in the text of [`Name::pairs_of`],
    /// worked out before it is made; `None` if a position does not fit in 32 bits or is
    /// [`Name::WHOLE`].
    fn marks<const N: usize>(pairs: &[(&[&str], &[&str]); N]) -> Option<[(u32, u32, u32); N]> {
        let after = |at: u32, pieces: &[&str]| -> Option<u32> {
            let end = pieces.iter().try_fold(at, |at, piece| {
                at.checked_add(u32::try_from(piece.len()).ok()?)
            })?;
            (end != Name::WHOLE).then_some(end)
        };
        let mut marks = [(0_u32, 0_u32, 0_u32); N];
        let mut at = 0_u32;
        for ((zh, en), mark) in pairs.iter().zip(marks.iter_mut()) {
            let middle = after(at, zh)?;
            let end = after(middle, en)?;
            *mark = (at, middle, end);
            at = end;
        }
        Some(marks)
    }
}

/// The most room [`Name::pair_of`]'s and [`Name::pairs_of`]'s buffer keeps between uses:
/// six pairs of names of the most bytes an account's name may have (a member's six
/// sub-accounts).
const NAME_BUFFER_KEPT: usize = 12 * super::MAX_ACCOUNT_NAME_BYTES;

thread_local! {
    /// [`Name::pair_of`]'s and [`Name::pairs_of`]'s buffer between uses on this thread.
    static NAME_BUFFER: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

crate::text::str_like!(Name, "an account name (text)");

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name {
            end: u32::try_from(text.len()).unwrap_or(Name::WHOLE),
            text: std::sync::Arc::from(text),
            start: 0,
        }
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        // The text is copied into its shared allocation either way.
        Name::from(text.as_str())
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.as_str().to_string()
    }
}

/// An account of the chart: its code, names, class and normal side.
///
/// A sub-account has its parent's class and normal side.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountClass, AccountCode, Chart, Side};
///
/// let chart = Chart::standard();
/// let depreciation = chart.get(&AccountCode::new("152")?).expect("in the chart");
/// assert_eq!(depreciation.name_zh, "累计折旧");
/// assert_eq!(depreciation.name_en, "Accumulated depreciation");
/// assert_eq!(depreciation.class, AccountClass::Asset);
/// assert_eq!(depreciation.normal_side, Side::Credit);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
// The code first, in the same cache line as a chart node's count of sub-accounts: posting
// reads both (the code to confirm a look-up, the count to check for a leaf).
#[repr(C)]
pub struct Account {
    /// The code.
    pub code: AccountCode,
    /// The Chinese name (科目名称).
    pub name_zh: Name,
    /// The English name.
    pub name_en: Name,
    /// The class.
    pub class: AccountClass,
    /// The side its balance is normally on (余额方向).
    pub normal_side: Side,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accounts_two_names_share_one_text_and_read_as_their_own() {
        use std::collections::HashSet;
        let (zh, en) = Name::pair("应付劳务费—张三", "labour payable — M001");
        assert_eq!(zh, "应付劳务费—张三");
        assert_eq!(en.as_str(), "labour payable — M001");
        assert!(std::sync::Arc::ptr_eq(&zh.text, &en.text));
        // Equal, hashed and ordered by their text, however they are held.
        let own = Name::from("应付劳务费—张三");
        assert_eq!(zh, own);
        assert_eq!(HashSet::from([zh.clone(), own.clone()]).len(), 1);
        assert!(en < zh && Name::default() < en);
        assert_eq!(
            format!("{zh}|{en:?}"),
            "应付劳务费—张三|\"labour payable — M001\""
        );
        assert_eq!(String::from(en.clone()), "labour payable — M001");
        let (empty_zh, empty_en) = Name::pair("", "");
        assert_eq!((empty_zh.as_str(), empty_en.as_str()), ("", ""));
        assert_eq!(
            serde_json::to_string(&[&zh, &en]).ok(),
            Some(r#"["应付劳务费—张三","labour payable — M001"]"#.to_string())
        );
    }

    #[test]
    fn names_made_of_pieces_are_the_pieces_put_together_in_one_text() {
        let (zh, en) = Name::pair_of(
            &["应付劳务费", "—", "张三"],
            &["labour payable", " — ", "M001"],
        );
        assert_eq!(zh.as_str(), "应付劳务费—张三");
        assert_eq!(en.as_str(), "labour payable — M001");
        assert!(std::sync::Arc::ptr_eq(&zh.text, &en.text));
        assert_eq!(&*zh.text, "应付劳务费—张三labour payable — M001");
        // The thread's buffer keeps nothing of the last pair: a shorter pair after a longer
        // one, and names of no pieces at all.
        let (zh, en) = Name::pair_of(&["库存现金"], &["cash"]);
        assert_eq!((zh.as_str(), en.as_str()), ("库存现金", "cash"));
        assert_eq!(&*zh.text, "库存现金cash");
        let (zh, en) = Name::pair_of(&[], &["", "x"]);
        assert_eq!((zh.as_str(), en.as_str()), ("", "x"));
        assert_eq!(Name::pair("a", "b"), Name::pair_of(&["a"], &["b"]));
        // A pair longer than two checked names is made, and its room not kept.
        let long = "长".repeat(400);
        let (zh, en) = Name::pair_of(&[&long], &["x"]);
        assert_eq!((zh.as_str(), en.as_str()), (long.as_str(), "x"));
        let kept = NAME_BUFFER.with(|spare| {
            let buffer = spare.take();
            let room = buffer.capacity();
            spare.set(buffer);
            room
        });
        assert!(kept <= NAME_BUFFER_KEPT, "{kept}");
    }

    #[test]
    fn several_pairs_share_one_text_and_each_name_reads_as_its_own() {
        let [(a_zh, a_en), (b_zh, b_en), (c_zh, c_en)] = Name::pairs_of([
            (
                &["成员往来", "—", "张三"][..],
                &["member current account", " — ", "H1"][..],
            ),
            (&[][..], &[""][..]),
            (&["股金—", "张三"][..], &["share capital — ", "H1"][..]),
        ]);
        assert_eq!(
            [&a_zh, &a_en, &b_zh, &b_en, &c_zh, &c_en].map(Name::as_str),
            [
                "成员往来—张三",
                "member current account — H1",
                "",
                "",
                "股金—张三",
                "share capital — H1"
            ]
        );
        for name in [&a_en, &b_zh, &b_en, &c_zh, &c_en] {
            assert!(std::sync::Arc::ptr_eq(&a_zh.text, &name.text));
        }
        assert_eq!(
            &*a_zh.text,
            "成员往来—张三member current account — H1股金—张三share capital — H1"
        );
        // The same names, equal and ordered as names made one pair at a time.
        let (zh, en) = Name::pair_of(&["股金—", "张三"], &["share capital — ", "H1"]);
        assert_eq!((c_zh.clone(), c_en.clone()), (zh, en));
        assert!(b_zh < a_en && a_en < c_en && a_zh < c_zh);
        // The positions are worked out before the text is made. When they do not fit in 32
        // bits (`marks` gives `None`), the pairs are made one at a time; no text that long
        // is made here, only the positions of pieces that long.
        let long = "x".repeat(1 << 20);
        let pieces: Vec<&str> = std::iter::repeat_n(long.as_str(), 4095).collect();
        let ab = |a: &[&str], b: &[&str]| Name::marks(&[(a, &["ab"][..]), (b, &["c"][..])]);
        let most = 4095_u32 << 20;
        assert_eq!(ab(&["长"], &[]), Some([(0, 3, 5), (5, 5, 6)]));
        assert_eq!(
            ab(&pieces, &[]),
            Some([(0, most, most + 2), (most + 2, most + 2, most + 3)])
        );
        let end = u32::MAX - 1 - (most + 3);
        let filler = "y".repeat(end as usize);
        assert!(ab(&pieces, &[&filler]).is_some());
        // A last position of `WHOLE` (u32::MAX), and one past it.
        let filler = "y".repeat(end as usize + 1);
        assert_eq!(ab(&pieces, &[&filler]), None);
        assert_eq!(ab(&pieces, &[&filler, "z"]), None);
        assert_eq!(ab(&[&filler, &filler], &pieces), None);
    }

    proptest::proptest! {
        /// `sub` checks only the new segment; it must agree with checking the whole code,
        /// in the code made and in the error given.
        #[test]
        fn a_sub_account_code_is_the_whole_code_checked(
            parent in "[0-9]{3}(\\.[A-Z0-9][A-Za-z0-9-]{0,23}){0,3}",
            suffix in "[A-Za-z0-9. -]{0,30}|[A-Z]{20,30}|\\.?[A-Z0-9]{1,3}|[A-Z0-9][a-z0-9-]{6,21}",
        ) {
            // The last kind of suffix puts codes either side of the 24 bytes a code holds
            // without an allocation of its own.
            // Parents the generator makes past 64 bytes are not codes.
            let Ok(parent) = AccountCode::new(&parent) else {
                return Ok(());
            };
            let whole = AccountCode::new(&format!("{parent}.{suffix}"));
            let by_sub = parent.sub(&suffix);
            proptest::prop_assert_eq!(
                by_sub.as_ref().map_err(ToString::to_string),
                whole.as_ref().map_err(ToString::to_string)
            );
        }
    }

    proptest::proptest! {
        /// Codes order segment by segment, each segment by its bytes, whatever their length
        /// (the comparison reads eight bytes at a time).
        #[test]
        fn codes_order_segment_by_segment(
            a in "1[0-9]{2}(\\.[A-Z0-9][A-Za-z0-9-]{0,14}){0,3}",
            b in "1[0-9]{2}(\\.[A-Z0-9][A-Za-z0-9-]{0,14}){0,3}",
            shared in "[0-9]{3}(\\.[A-Z0-9][A-Z0-9-]{0,11}){0,2}",
        ) {
            // Pairs that share a long prefix, which the pairs drawn apart rarely do.
            let pairs = [
                (a.clone(), b.clone()),
                (format!("{shared}.{}", &a[..1]), format!("{shared}.{}", &b[..1])),
                (format!("{shared}{}", &a[3..]), format!("{shared}{}", &b[3..])),
                (a.clone(), format!("{a}{}", &b[3..])),
            ];
            for (a, b) in pairs {
                let (Ok(x), Ok(y)) = (AccountCode::new(&a), AccountCode::new(&b)) else {
                    continue;
                };
                let segments = |code: &str| -> Vec<Vec<u8>> {
                    code.split('.').map(|s| s.as_bytes().to_vec()).collect()
                };
                proptest::prop_assert_eq!(x.cmp(&y), segments(&a).cmp(&segments(&b)), "{} {}", a, b);
                proptest::prop_assert_eq!(y.cmp(&x), segments(&b).cmp(&segments(&a)));
            }
        }
    }

    #[test]
    fn sub_account_codes_either_side_of_the_inline_length() -> crate::Result<()> {
        let parent = AccountCode::new("114.H000001")?;
        // 11 + 1 + 12 = 24 bytes, then 25 and 26.
        for suffix in ["ABCDEFGHIJKL", "ABCDEFGHIJKLM", "ABCDEFGHIJKLMN"] {
            let code = parent.sub(suffix)?;
            assert_eq!(code.as_str(), format!("114.H000001.{suffix}"));
            assert_eq!(code, AccountCode::new(&format!("114.H000001.{suffix}"))?);
            assert_eq!(code.level(), 3);
            assert_eq!(code.last_segment(), suffix);
        }
        assert_eq!(
            AccountCode::new("213")?.sub("H000123")?.as_str(),
            "213.H000123"
        );
        // Depth and segments are checked whatever the code's length.
        let deep = AccountCode::new("114.A.B.C")?;
        assert!(deep.sub("D").is_err());
        assert!(parent.sub("bad").is_err());
        assert!(parent.sub("").is_err());
        Ok(())
    }

    #[test]
    fn first_differences() {
        for (a, b, at) in [
            ("", "", None),
            ("301.H000001", "301.H000001", None),
            ("301.H000001", "301.H000002", Some(10)),
            ("301.H0000011", "301.H0000012", Some(11)),
            ("301.H00", "301.H00-A", None),
            ("2", "301", Some(0)),
            ("12345678", "12345679", Some(7)),
            ("123456789ABCDEFGH", "123456789ABCDEFGX", Some(16)),
        ] {
            assert_eq!(first_difference(a.as_bytes(), b.as_bytes()), at, "{a} {b}");
        }
    }

    #[test]
    fn a_sub_account_past_the_depth_or_length_is_refused() {
        let deep = code("521.GH01.X.Y");
        assert_eq!(deep.level(), 4);
        let error = deep.sub("Z").map(|_| ()).unwrap_err().to_string();
        assert!(error.contains("more than 4 levels"), "{error}");
        let long = code("521.AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBB");
        assert_eq!(long.as_str().len(), 53);
        assert_eq!(
            long.sub("CCCCCCCCCC").map(|c| c.as_str().len()).ok(),
            Some(64)
        );
        let error = long.sub("CCCCCCCCCCC").map(|_| ()).unwrap_err().to_string();
        assert!(error.contains("longer than 64 bytes"), "{error}");
        assert_eq!(code("114").sub("M001.A").map(|c| c.level()).ok(), Some(3));
    }

    fn code(text: &str) -> AccountCode {
        AccountCode::new(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn syntax() {
        for good in [
            "101",
            "114.M001",
            "332.01",
            "501.GRAPE.A-1",
            "521.GH01.X.Y",
            "999",
        ] {
            assert!(AccountCode::new(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "1",
            "1014",
            "10a",
            "114.",
            ".114",
            "114..A",
            "114.a",
            "114.-A",
            "114.A_B",
            "114.A B",
            "114.A.B.C.D",
            "114.ABCDEFGHIJKLMNOPQRSTUVWXY",
            "１１４",
        ] {
            assert!(
                matches!(
                    AccountCode::new(bad),
                    Err(crate::Error::Ledger(LedgerError::InvalidAccountCode { .. }))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn order_keeps_subtrees_together() {
        let mut codes = [
            code("121"),
            code("114.M-1"),
            code("114.M.A"),
            code("114"),
            code("114.M"),
            code("114.M0"),
        ];
        codes.sort();
        let text: Vec<&str> = codes.iter().map(AccountCode::as_str).collect();
        assert_eq!(
            text,
            ["114", "114.M", "114.M.A", "114.M-1", "114.M0", "121"]
        );
    }

    #[test]
    fn parents_and_levels() {
        let deep = code("501.GRAPE.A");
        assert_eq!(deep.level(), 3);
        assert_eq!(deep.last_segment(), "A");
        assert_eq!(
            deep.parent().map(|p| p.to_string()),
            Some("501.GRAPE".into())
        );
        assert!(deep.is_within(&code("501")));
        assert!(!code("501.GRAPEX").is_within(&code("501.GRAPE")));
        assert_eq!(
            serde_json::to_string(&deep).ok().as_deref(),
            Some("\"501.GRAPE.A\"")
        );
        assert!(serde_json::from_str::<AccountCode>("\"5\"").is_err());
    }
}
