//! How the journal keeps its entries, and the views of them it lends.
//!
//! An [`Entry`] as built and posted holds its postings in a list of its own, 40 bytes a
//! posting (the account's code, the side, the amount) plus the list's own allocation. The
//! journal keeps every entry for good, and a county book has millions of postings, so it
//! keeps them apart: each entry's id, date and memo in one list, and the postings of all
//! entries in two flat lists, 8 bytes a posting (the account's chart node with the side in
//! its top bit, and the amount in fen in 32 bits, the rare amount of 42,949,672.95 yuan or
//! more in a side list). [`Journal::entries`](super::Journal::entries) and
//! [`Journal::get`](super::Journal::get) lend views of them: [`EntryRef`] and
//! [`PostingRef`], which borrow the account codes from the journal's chart.

use std::collections::BTreeMap;
use std::fmt;
use std::iter::FusedIterator;
use std::ops::Range;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use time::Date;

use super::{AccountCode, Chart, Entry, EntryId, Memo, Posting, Side};
use crate::Yuan;

/// The side bit of a stored posting's node: set for a credit.
const CREDIT: u32 = 1 << 31;

/// The node stored for an account the chart does not hold (never the case for an entry the
/// journal posted: its accounts are in the chart for good).
const NO_NODE: u32 = CREDIT - 1;

/// The code a view shows for [`NO_NODE`].
static NO_ACCOUNT: AccountCode = AccountCode::UNKNOWN;

/// The stored amount of a posting whose amount in fen does not fit below it (42,949,672.95
/// yuan or more, or below zero, which no posted entry has): its amount is in
/// [`Store::large`].
const LARGE: u32 = u32::MAX;

/// Everything of an entry but its postings and the entry it reverses: 48 bytes.
#[derive(Debug, Clone)]
struct Head {
    id: EntryId,
    memo: Memo,
    /// Where its postings start in the posting lists, as [`stored_amount`] keeps a value in
    /// 32 bits: from the 4,294,967,295th posting on it is [`LARGE`], and the start is in
    /// [`Store::far`].
    first: u32,
    date: Date,
}

/// The journal's entries. No `==`: postings name chart nodes, whose order depends on the
/// order the accounts were opened in; journals compare their entries' views.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    heads: Vec<Head>,
    /// Each posting's chart node, with [`CREDIT`] set for a credit.
    nodes: Vec<u32>,
    /// Each posting's amount in fen, or [`LARGE`] when it does not fit in fewer than 32
    /// bits (almost every posting's does: the million-event book has 8.2 million postings,
    /// and 32 bits instead of 64 keep 33 MB less).
    amounts: Vec<u32>,
    /// The amounts stored as [`LARGE`], each with its posting's position, in order.
    large: Vec<(usize, i64)>,
    /// The starts stored as [`LARGE`] ([`Head::first`]), each with its entry's position, in
    /// order (none below four billion postings).
    far: Vec<(usize, i64)>,
    /// The original of each reversing entry, by the reversing entry's position (few entries
    /// reverse one, so the others keep no room for it).
    reverses: BTreeMap<usize, EntryId>,
}

impl Store {
    /// How many entries.
    pub(crate) fn len(&self) -> usize {
        self.heads.len()
    }

    /// Room for `additional` more entries, if memory has it (the hint of
    /// [`Journal::with_capacity`](super::Journal::with_capacity)).
    pub(crate) fn try_reserve(&mut self, additional: usize) -> bool {
        self.heads.try_reserve(additional).is_ok()
    }

    /// How many entries there is room for.
    #[cfg(test)]
    pub(crate) fn capacity(&self) -> usize {
        self.heads.capacity()
    }

    /// Room for `additional` more entries.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.heads.reserve(additional);
    }

    /// The id of the entry at `position`.
    pub(crate) fn id_at(&self, position: usize) -> Option<&EntryId> {
        self.heads.get(position).map(|head| &head.id)
    }

    /// Appends `entry`, whose postings are at the chart nodes `nodes` (one for each, as the
    /// journal's checks found them).
    pub(crate) fn push(&mut self, entry: Entry, nodes: &[usize]) {
        let Entry {
            id,
            date,
            memo,
            postings,
            reverses,
        } = entry;
        let first = self.nodes.len();
        // Each list extended at once, from slices: one check of its room, then a plain loop.
        let postings = postings.get(..nodes.len()).unwrap_or(&postings);
        self.nodes.extend(
            postings
                .iter()
                .zip(nodes)
                .map(|(posting, &node)| stored_node(node, posting.side)),
        );
        let large = &mut self.large;
        self.amounts
            .extend(postings.iter().enumerate().map(|(k, posting)| {
                stored_amount(posting.amount.fen(), first.saturating_add(k), large)
            }));
        if let Some(original) = reverses {
            self.reverses.insert(self.heads.len(), original);
        }
        self.push_head(id, memo, first, date);
    }

    /// Appends an entry's head, its postings starting at `first` in the posting lists.
    fn push_head(&mut self, id: EntryId, memo: Memo, first: usize, date: Date) {
        let first = stored_amount(
            i64::try_from(first).unwrap_or(i64::MAX),
            self.heads.len(),
            &mut self.far,
        );
        self.heads.push(Head {
            id,
            memo,
            first,
            date,
        });
    }

    /// Where the postings of the entry at `position` start in the posting lists.
    fn first_of(&self, position: usize) -> Option<usize> {
        let first = read_amount(self.heads.get(position)?.first, &self.far, position)?;
        usize::try_from(first).ok()
    }

    /// The postings of the entry at `position`, as a range of the posting lists.
    fn postings_of(&self, position: usize) -> Option<Range<usize>> {
        let first = self.first_of(position)?;
        let next = position.saturating_add(1);
        let end = match self.heads.get(next) {
            Some(_) => self.first_of(next)?,
            None => self.nodes.len(),
        };
        Some(first..end)
    }

    /// The view of the entry at `position`, its accounts' codes from `chart`.
    fn view<'a>(&'a self, chart: &'a Chart, position: usize) -> Option<EntryRef<'a>> {
        let head = self.heads.get(position)?;
        let range = self.postings_of(position)?;
        Some(EntryRef {
            id: &head.id,
            date: head.date,
            memo: &head.memo,
            reverses: self.reverses.get(&position),
            postings: Postings {
                chart,
                first: range.start,
                nodes: self.nodes.get(range.clone())?,
                amounts: self.amounts.get(range)?,
                large: &self.large,
            },
        })
    }

    /// The entries, viewed with the codes of `chart`.
    pub(crate) fn entries<'a>(&'a self, chart: &'a Chart) -> Entries<'a> {
        Entries { store: self, chart }
    }

    /// Puts `entry` in place of the entry at `position`, as it is, unchecked: for the tests
    /// that damage a journal. An account not in `chart` is shown as `000`.
    #[cfg(test)]
    pub(crate) fn replace_for_tests(&mut self, chart: &Chart, position: usize, entry: Entry) {
        let Some(range) = self.postings_of(position) else {
            return;
        };
        let nodes: Vec<u32> = entry
            .postings
            .iter()
            .map(|p| stored_node(chart.index_of(&p.account).unwrap_or(usize::MAX), p.side))
            .collect();
        let mut amounts: Vec<i64> = (0..self.amounts.len())
            .filter_map(|at| amount_at(&self.amounts, &self.large, at, at))
            .collect();
        amounts.splice(range.clone(), entry.postings.iter().map(|p| p.amount.fen()));
        self.large.clear();
        self.amounts = (amounts.into_iter().enumerate())
            .map(|(at, fen)| stored_amount(fen, at, &mut self.large))
            .collect();
        let shift = nodes.len() as i64 - range.len() as i64;
        self.nodes.splice(range.clone(), nodes);
        let firsts: Vec<i64> = (0..self.heads.len())
            .map(|at| {
                let first = self.first_of(at).unwrap_or(0) as i64;
                if at > position {
                    first + shift
                } else {
                    first
                }
            })
            .collect();
        self.far.clear();
        for (at, first) in firsts.into_iter().enumerate() {
            let stored = stored_amount(first, at, &mut self.far);
            if let Some(head) = self.heads.get_mut(at) {
                head.first = stored;
            }
        }
        match entry.reverses {
            Some(original) => self.reverses.insert(position, original),
            None => self.reverses.remove(&position),
        };
        if let Some(head) = self.heads.get_mut(position) {
            head.id = entry.id;
            head.memo = entry.memo;
            head.date = entry.date;
        }
    }
}

/// The stored form of a posting's amount of `fen`, the posting at `position` in the
/// store: the amount itself, or [`LARGE`] with the amount added to `large` (positions are
/// pushed in increasing order, so that [`read_amount`] can search them). An entry's head
/// keeps where its postings start, and the labour register a record's pay, the same way.
pub(crate) fn stored_amount(fen: i64, position: usize, large: &mut Vec<(usize, i64)>) -> u32 {
    match u32::try_from(fen) {
        Ok(small) if small != LARGE => small,
        _ => {
            large.push((position, fen));
            LARGE
        }
    }
}

/// The amount in fen of the `index`-th of `amounts`, the posting at `position` in the store.
fn amount_at(
    amounts: &[u32],
    large: &[(usize, i64)],
    index: usize,
    position: usize,
) -> Option<i64> {
    read_amount(*amounts.get(index)?, large, position)
}

/// The amount in fen stored as `stored` ([`stored_amount`]) at `position`; `None` for a
/// [`LARGE`] that `large` does not hold.
pub(crate) fn read_amount(stored: u32, large: &[(usize, i64)], position: usize) -> Option<i64> {
    match stored {
        LARGE => {
            let at = large.binary_search_by_key(&position, |&(at, _)| at).ok()?;
            large.get(at).map(|&(_, fen)| fen)
        }
        small => Some(i64::from(small)),
    }
}

/// The stored form of a posting to chart node `node` on `side`.
fn stored_node(node: usize, side: Side) -> u32 {
    // A chart has at most MAX_ACCOUNTS (2,000,000) nodes, far below the side bit.
    let node = u32::try_from(node)
        .ok()
        .filter(|&n| n < NO_NODE)
        .unwrap_or(NO_NODE);
    match side {
        Side::Debit => node,
        Side::Credit => node | CREDIT,
    }
}

/// What a view used like a slice (`$view`, whose `get(index)` gives an `$item`) and its
/// iterator (`$iter`, with the view and the range of indices still to give) have alike:
/// `Debug` as a list, `IntoIterator` by value and by reference, and the iterator's traits.
macro_rules! indexed_view {
    ($view:ident, $iter:ident, $item:ident) => {
        impl fmt::Debug for $view<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }

        impl<'a> IntoIterator for $view<'a> {
            type Item = $item<'a>;
            type IntoIter = $iter<'a>;

            fn into_iter(self) -> $iter<'a> {
                self.iter()
            }
        }

        impl<'a> IntoIterator for &$view<'a> {
            type Item = $item<'a>;
            type IntoIter = $iter<'a>;

            fn into_iter(self) -> $iter<'a> {
                self.iter()
            }
        }

        impl<'a> Iterator for $iter<'a> {
            type Item = $item<'a>;

            fn next(&mut self) -> Option<$item<'a>> {
                self.range.next().and_then(|i| self.view.get(i))
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                self.range.size_hint()
            }

            fn nth(&mut self, n: usize) -> Option<$item<'a>> {
                self.range.nth(n).and_then(|i| self.view.get(i))
            }
        }

        impl DoubleEndedIterator for $iter<'_> {
            fn next_back(&mut self) -> Option<Self::Item> {
                self.range.next_back().and_then(|i| self.view.get(i))
            }
        }

        impl ExactSizeIterator for $iter<'_> {}

        impl FusedIterator for $iter<'_> {}
    };
}

indexed_view!(Entries, EntriesIter, EntryRef);
indexed_view!(Postings, PostingsIter, PostingRef);

/// The entries of a journal, in the order they were posted: a view lent by
/// [`Journal::entries`](super::Journal::entries), used like a slice of [`EntryRef`]s.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let mut journal = Journal::new();
/// journal.post(Entry::new("E1", date!(2019 - 03 - 01), "rent paid")
///     .debit(AccountCode::new("401")?, Yuan::from_yuan(1000)?)
///     .credit(AccountCode::new("102")?, Yuan::from_yuan(1000)?))?;
/// let entries = journal.entries();
/// assert_eq!(entries.len(), 1);
/// assert_eq!(entries.get(0).map(|e| e.id.as_str()), Some("E1"));
/// assert!(entries.get(1).is_none());
/// for entry in entries {
///     assert_eq!(entry.memo.as_str(), "rent paid");
/// }
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Entries<'a> {
    store: &'a Store,
    chart: &'a Chart,
}

impl<'a> Entries<'a> {
    /// How many entries.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Journal::new().entries().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.store.len()
    }

    /// Whether there are none.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::ledger::Journal::new().entries().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.store.len() == 0
    }

    /// The entry posted `index`-th (from 0); `None` past the end.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::ledger::Journal::new().entries().get(0).is_none());
    /// ```
    pub fn get(&self, index: usize) -> Option<EntryRef<'a>> {
        self.store.view(self.chart, index)
    }

    /// The first entry posted.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::ledger::Journal::new().entries().first().is_none());
    /// ```
    pub fn first(&self) -> Option<EntryRef<'a>> {
        self.get(0)
    }

    /// The last entry posted.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::ledger::Journal::new().entries().last().is_none());
    /// ```
    pub fn last(&self) -> Option<EntryRef<'a>> {
        self.len().checked_sub(1).and_then(|last| self.get(last))
    }

    /// The entries in order.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Journal::new().entries().iter().count(), 0);
    /// ```
    pub fn iter(&self) -> EntriesIter<'a> {
        EntriesIter {
            view: *self,
            range: 0..self.len(),
        }
    }

    /// The entries as owned [`Entry`]s (each with its own list of postings: for a few, not
    /// for a whole county journal).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::ledger::Journal::new().entries().to_vec().is_empty());
    /// ```
    pub fn to_vec(&self) -> Vec<Entry> {
        self.iter().map(|entry| entry.to_entry()).collect()
    }
}

/// Serialized as a sequence of entries, each in [`Entry`]'s form.
impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The iterator of [`Entries::iter`], front to back or back to front.
///
/// # Example
///
/// ```
/// let journal = landpool::ledger::Journal::new();
/// let mut entries = journal.entries().iter();
/// assert_eq!(entries.len(), 0);
/// assert!(entries.next_back().is_none());
/// ```
#[derive(Debug, Clone)]
pub struct EntriesIter<'a> {
    view: Entries<'a>,
    range: Range<usize>,
}

/// A posted entry, as the journal keeps it: its id, date, memo and the entry it reverses as
/// fields, its postings through [`EntryRef::postings`]. [`EntryRef::to_entry`] makes an
/// owned [`Entry`] of it; an `EntryRef` equals an `Entry` with the same content.
///
/// serde: the form of [`Entry`].
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, EntryId, Journal, Side};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let mut journal = Journal::new();
/// let entry = Entry::new("E1", date!(2019 - 03 - 01), "rent paid")
///     .debit(AccountCode::new("401")?, Yuan::from_yuan(1000)?)
///     .credit(AccountCode::new("102")?, Yuan::from_yuan(1000)?);
/// journal.post(entry.clone())?;
/// let posted = journal.get(&EntryId::from("E1")).ok_or("not posted")?;
/// assert_eq!(posted.date, date!(2019 - 03 - 01));
/// assert_eq!(posted.reverses, None);
/// assert_eq!(posted.postings().len(), 2);
/// assert_eq!(posted.postings().get(1).map(|p| p.side), Some(Side::Credit));
/// assert_eq!(posted, entry);
/// assert_eq!(posted.to_entry(), entry);
/// assert_eq!(serde_json::to_string(&posted)?, serde_json::to_string(&entry)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct EntryRef<'a> {
    /// The id.
    pub id: &'a EntryId,
    /// The date.
    pub date: Date,
    /// The memo (摘要).
    pub memo: &'a Memo,
    /// The entry it reverses, for a reversing entry.
    pub reverses: Option<&'a EntryId>,
    postings: Postings<'a>,
}

impl<'a> EntryRef<'a> {
    /// The postings, in the entry's order.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// journal.post(Entry::new("E1", date!(2019 - 03 - 01), "rent paid")
    ///     .debit(AccountCode::new("401")?, Yuan::from_fen(100))
    ///     .credit(AccountCode::new("102")?, Yuan::from_fen(100)))?;
    /// let posted = journal.get(&EntryId::from("E1")).ok_or("not posted")?;
    /// let accounts: Vec<&str> = posted.postings().iter().map(|p| p.account.as_str()).collect();
    /// assert_eq!(accounts, ["401", "102"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn postings(&self) -> Postings<'a> {
        self.postings
    }

    /// An owned [`Entry`] with the same content.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// let entry = Entry::new("E1", date!(2019 - 03 - 01), "rent paid")
    ///     .debit(AccountCode::new("401")?, Yuan::from_fen(100))
    ///     .credit(AccountCode::new("102")?, Yuan::from_fen(100));
    /// journal.post(entry.clone())?;
    /// assert_eq!(journal.get(&EntryId::from("E1")).map(|e| e.to_entry()), Some(entry));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_entry(&self) -> Entry {
        Entry {
            id: self.id.clone(),
            date: self.date,
            memo: self.memo.clone(),
            postings: self.postings.iter().map(|p| p.to_posting()).collect(),
            reverses: self.reverses.cloned(),
        }
    }

    /// The canonical encoding the journal's digest chain hashes, as
    /// [`Entry::canonical_bytes`] gives it for the entry as posted.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// let entry = Entry::new("E1", date!(2019 - 03 - 01), "rent paid")
    ///     .debit(AccountCode::new("401")?, Yuan::from_fen(100))
    ///     .credit(AccountCode::new("102")?, Yuan::from_fen(100));
    /// journal.post(entry.clone())?;
    /// let posted = journal.get(&EntryId::from("E1")).map(|e| e.canonical_bytes());
    /// assert_eq!(posted, Some(entry.canonical_bytes()));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        self.encode_into(&mut out);
        out
    }

    /// [`Entry::check_shape`](super::Entry) of the entry as the journal keeps it.
    pub(crate) fn check_shape(&self) -> crate::Result<Yuan> {
        super::entry::check_shape(
            self.id,
            self.date,
            self.memo,
            self.reverses,
            self.postings.iter().map(|p| (p.account, p.side, p.amount)),
        )
    }

    /// Appends the canonical encoding to `out`.
    pub(crate) fn encode_into(&self, out: &mut Vec<u8>) {
        super::entry::encode(
            out,
            self.id,
            self.date,
            self.memo,
            self.reverses,
            self.postings.iter().map(|p| (p.account, p.side, p.amount)),
        );
    }
}

impl fmt::Debug for EntryRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntryRef")
            .field("id", self.id)
            .field("date", &self.date)
            .field("memo", self.memo)
            .field("postings", &self.postings)
            .field("reverses", &self.reverses)
            .finish()
    }
}

impl PartialEq for EntryRef<'_> {
    fn eq(&self, other: &EntryRef<'_>) -> bool {
        self.id == other.id
            && self.date == other.date
            && self.memo == other.memo
            && self.reverses == other.reverses
            && self.postings == other.postings
    }
}

impl Eq for EntryRef<'_> {}

impl PartialEq<Entry> for EntryRef<'_> {
    fn eq(&self, other: &Entry) -> bool {
        *self.id == other.id
            && self.date == other.date
            && *self.memo == other.memo
            && self.reverses == other.reverses.as_ref()
            && self.postings == *other.postings
    }
}

impl PartialEq<EntryRef<'_>> for Entry {
    fn eq(&self, other: &EntryRef<'_>) -> bool {
        other == self
    }
}

impl Serialize for EntryRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Entry", 5)?;
        state.serialize_field("id", self.id)?;
        state.serialize_field("date", &DateText(self.date))?;
        state.serialize_field("memo", self.memo)?;
        state.serialize_field("postings", &self.postings)?;
        state.serialize_field("reverses", &self.reverses)?;
        state.end()
    }
}

/// A date in the form of [`Entry`]'s dates.
struct DateText(Date);

impl Serialize for DateText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::entry::date_text::serialize(&self.0, serializer)
    }
}

/// The postings of an [`EntryRef`], used like a slice of [`PostingRef`]s.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, EntryId, Journal, Side};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let mut journal = Journal::new();
/// journal.post(Entry::new("E1", date!(2019 - 03 - 01), "rent paid")
///     .debit(AccountCode::new("401")?, Yuan::from_fen(100))
///     .credit(AccountCode::new("102")?, Yuan::from_fen(100)))?;
/// let postings = journal.get(&EntryId::from("E1")).ok_or("not posted")?.postings();
/// assert_eq!(postings.len(), 2);
/// assert!(!postings.is_empty());
/// let first = postings.get(0).ok_or("no posting")?;
/// assert_eq!((first.account.as_str(), first.side, first.amount), ("401", Side::Debit, Yuan::from_fen(100)));
/// assert!(postings.get(2).is_none());
/// let credits: i64 = postings.iter().filter(|p| p.side == Side::Credit).map(|p| p.amount.fen()).sum();
/// assert_eq!(credits, 100);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Postings<'a> {
    chart: &'a Chart,
    /// The position of the first posting in the store.
    first: usize,
    nodes: &'a [u32],
    amounts: &'a [u32],
    /// The store's amounts that do not fit in `amounts`.
    large: &'a [(usize, i64)],
}

impl<'a> Postings<'a> {
    /// How many postings.
    ///
    /// # Example
    ///
    /// See [`Postings`].
    ///
    /// ```
    /// # use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
    /// # use landpool::Yuan;
    /// # use time::macros::date;
    /// # let mut journal = Journal::new();
    /// # journal.post(Entry::new("E1", date!(2019 - 03 - 01), "")
    /// #     .debit(AccountCode::new("401")?, Yuan::from_fen(1))
    /// #     .credit(AccountCode::new("102")?, Yuan::from_fen(1)))?;
    /// assert_eq!(journal.entries().get(0).map(|e| e.postings().len()), Some(2));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.nodes.len().min(self.amounts.len())
    }

    /// Whether there are none (never, for an entry the journal posted).
    ///
    /// # Example
    ///
    /// ```
    /// # use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
    /// # use landpool::Yuan;
    /// # use time::macros::date;
    /// # let mut journal = Journal::new();
    /// # journal.post(Entry::new("E1", date!(2019 - 03 - 01), "")
    /// #     .debit(AccountCode::new("401")?, Yuan::from_fen(1))
    /// #     .credit(AccountCode::new("102")?, Yuan::from_fen(1)))?;
    /// assert_eq!(journal.entries().get(0).map(|e| e.postings().is_empty()), Some(false));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `index`-th posting (from 0); `None` past the end.
    ///
    /// # Example
    ///
    /// See [`Postings`].
    ///
    /// ```
    /// # use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
    /// # use landpool::Yuan;
    /// # use time::macros::date;
    /// # let mut journal = Journal::new();
    /// # journal.post(Entry::new("E1", date!(2019 - 03 - 01), "")
    /// #     .debit(AccountCode::new("401")?, Yuan::from_fen(1))
    /// #     .credit(AccountCode::new("102")?, Yuan::from_fen(1)))?;
    /// let entry = journal.entries().get(0).ok_or("no entry")?;
    /// assert_eq!(entry.postings().get(1).map(|p| p.account.as_str()), Some("102"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, index: usize) -> Option<PostingRef<'a>> {
        let node = *self.nodes.get(index)?;
        let fen = amount_at(
            self.amounts,
            self.large,
            index,
            self.first.checked_add(index)?,
        )?;
        let account = usize::try_from(node & !CREDIT)
            .ok()
            .and_then(|n| self.chart.nodes().get(n))
            .map_or(&NO_ACCOUNT, |n| &n.account.code);
        Some(PostingRef {
            account,
            side: if node & CREDIT == 0 {
                Side::Debit
            } else {
                Side::Credit
            },
            amount: Yuan::from_fen(fen),
        })
    }

    /// The postings whose account's chart node is marked in `within`, in order, for the
    /// crate's ledgers of an account: the mark is read before anything else of a posting.
    pub(crate) fn marked<'m>(&self, within: &'m [bool]) -> impl Iterator<Item = PostingRef<'a>> + 'm
    where
        'a: 'm,
    {
        let view = *self;
        view.nodes
            .iter()
            .enumerate()
            .filter(move |(_, node)| {
                usize::try_from(**node & !CREDIT)
                    .ok()
                    .and_then(|n| within.get(n))
                    .is_some_and(|marked| *marked)
            })
            .filter_map(move |(index, _)| view.get(index))
    }

    /// Each posting with the position of its account among the chart's nodes, for the
    /// crate's writers: they need not look the account's code up again.
    pub(crate) fn with_nodes(&self) -> impl Iterator<Item = (usize, PostingRef<'a>)> + '_ {
        (0..self.len()).filter_map(|index| {
            let node = usize::try_from(*self.nodes.get(index)? & !CREDIT).ok()?;
            Some((node, self.get(index)?))
        })
    }

    /// The first posting.
    ///
    /// # Example
    ///
    /// ```
    /// # use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
    /// # use landpool::Yuan;
    /// # use time::macros::date;
    /// # let mut journal = Journal::new();
    /// # journal.post(Entry::new("E1", date!(2019 - 03 - 01), "")
    /// #     .debit(AccountCode::new("401")?, Yuan::from_fen(1))
    /// #     .credit(AccountCode::new("102")?, Yuan::from_fen(1)))?;
    /// let entry = journal.entries().get(0).ok_or("no entry")?;
    /// assert_eq!(entry.postings().first().map(|p| p.account.as_str()), Some("401"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn first(&self) -> Option<PostingRef<'a>> {
        self.get(0)
    }

    /// The last posting.
    ///
    /// # Example
    ///
    /// ```
    /// # use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
    /// # use landpool::Yuan;
    /// # use time::macros::date;
    /// # let mut journal = Journal::new();
    /// # journal.post(Entry::new("E1", date!(2019 - 03 - 01), "")
    /// #     .debit(AccountCode::new("401")?, Yuan::from_fen(1))
    /// #     .credit(AccountCode::new("102")?, Yuan::from_fen(1)))?;
    /// let entry = journal.entries().get(0).ok_or("no entry")?;
    /// assert_eq!(entry.postings().last().map(|p| p.account.as_str()), Some("102"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn last(&self) -> Option<PostingRef<'a>> {
        self.len().checked_sub(1).and_then(|last| self.get(last))
    }

    /// The postings in order.
    ///
    /// # Example
    ///
    /// See [`Postings`].
    ///
    /// ```
    /// # use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
    /// # use landpool::Yuan;
    /// # use time::macros::date;
    /// # let mut journal = Journal::new();
    /// # journal.post(Entry::new("E1", date!(2019 - 03 - 01), "")
    /// #     .debit(AccountCode::new("401")?, Yuan::from_fen(1))
    /// #     .credit(AccountCode::new("102")?, Yuan::from_fen(1)))?;
    /// let entry = journal.entries().get(0).ok_or("no entry")?;
    /// assert_eq!(entry.postings().iter().map(|p| p.amount.fen()).sum::<i64>(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter(&self) -> PostingsIter<'a> {
        PostingsIter {
            view: *self,
            range: 0..self.len(),
        }
    }
}

impl PartialEq for Postings<'_> {
    /// Equal when they hold equal postings in the same order.
    fn eq(&self, other: &Postings<'_>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Postings<'_> {}

impl PartialEq<[Posting]> for Postings<'_> {
    /// Equal when they hold equal postings in the same order.
    fn eq(&self, other: &[Posting]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == *b)
    }
}

/// Serialized as a sequence of postings, each in [`Posting`]'s form.
impl Serialize for Postings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for posting in self.iter() {
            seq.serialize_element(&posting)?;
        }
        seq.end()
    }
}

/// The iterator of [`Postings::iter`], front to back or back to front.
///
/// # Example
///
/// ```
/// # use landpool::ledger::{AccountCode, Entry, EntryId, Journal};
/// # use landpool::Yuan;
/// # use time::macros::date;
/// # let mut journal = Journal::new();
/// # journal.post(Entry::new("E1", date!(2019 - 03 - 01), "")
/// #     .debit(AccountCode::new("401")?, Yuan::from_fen(1))
/// #     .credit(AccountCode::new("102")?, Yuan::from_fen(1)))?;
/// let entry = journal.entries().get(0).ok_or("no entry")?;
/// let mut postings = entry.postings().iter();
/// assert_eq!(postings.len(), 2);
/// assert_eq!(postings.next_back().map(|p| p.account.as_str()), Some("102"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PostingsIter<'a> {
    view: Postings<'a>,
    range: Range<usize>,
}

/// A posting of an [`EntryRef`]: the account (its code borrowed from the journal's chart),
/// the side and the amount. Equals a [`Posting`] with the same content.
///
/// serde: the form of [`Posting`].
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, Posting, Side};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let mut journal = Journal::new();
/// journal.post(Entry::new("E1", date!(2019 - 03 - 01), "")
///     .debit(AccountCode::new("401")?, Yuan::from_fen(100))
///     .credit(AccountCode::new("102")?, Yuan::from_fen(100)))?;
/// let entry = journal.entries().get(0).ok_or("no entry")?;
/// let posting = entry.postings().get(0).ok_or("no posting")?;
/// let owned = Posting { account: AccountCode::new("401")?, side: Side::Debit, amount: Yuan::from_fen(100) };
/// assert_eq!(posting, owned);
/// assert_eq!(posting.to_posting(), owned);
/// assert_eq!(serde_json::to_string(&posting)?, r#"{"account":"401","side":"debit","amount":"1.00"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PostingRef<'a> {
    /// The account.
    pub account: &'a AccountCode,
    /// Debit or credit.
    pub side: Side,
    /// The amount.
    pub amount: Yuan,
}

impl PostingRef<'_> {
    /// An owned [`Posting`] with the same content.
    ///
    /// # Example
    ///
    /// See [`PostingRef`].
    ///
    /// ```
    /// # use landpool::ledger::{AccountCode, Entry, Journal};
    /// # use landpool::Yuan;
    /// # use time::macros::date;
    /// # let mut journal = Journal::new();
    /// # journal.post(Entry::new("E1", date!(2019 - 03 - 01), "")
    /// #     .debit(AccountCode::new("401")?, Yuan::from_fen(1))
    /// #     .credit(AccountCode::new("102")?, Yuan::from_fen(1)))?;
    /// let entry = journal.entries().get(0).ok_or("no entry")?;
    /// let owned = entry.postings().get(1).map(|p| p.to_posting()).ok_or("no posting")?;
    /// assert_eq!(owned.account.as_str(), "102");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_posting(&self) -> Posting {
        Posting {
            account: self.account.clone(),
            side: self.side,
            amount: self.amount,
        }
    }
}

impl PartialEq<Posting> for PostingRef<'_> {
    fn eq(&self, other: &Posting) -> bool {
        *self.account == other.account && self.side == other.side && self.amount == other.amount
    }
}

impl PartialEq<PostingRef<'_>> for Posting {
    fn eq(&self, other: &PostingRef<'_>) -> bool {
        other == self
    }
}

impl Serialize for PostingRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Posting", 3)?;
        state.serialize_field("account", self.account)?;
        state.serialize_field("side", &self.side)?;
        state.serialize_field("amount", &self.amount)?;
        state.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Journal;
    use time::macros::date;

    #[test]
    fn amounts_of_32_bits_and_larger_come_back_as_posted() -> crate::Result<()> {
        let code = |c: &str| AccountCode::new(c);
        // `fits + 1` is the largest amount kept in 32 bits.
        let fits = i64::from(LARGE) - 2;
        let amounts = [1, fits, i64::from(LARGE), 1 << 40, fits];
        let mut journal = Journal::new();
        let mut posted = Vec::new();
        for (k, &fen) in amounts.iter().enumerate() {
            // Two debits of 1 fen and `fen`, one credit of both, so each entry has a small
            // amount and a large one at different positions.
            let entry = Entry::new(format!("E{k}"), date!(2019 - 01 - 01), "")
                .debit(code("101")?, Yuan::from_fen(1))
                .debit(code("102")?, Yuan::from_fen(fen))
                .credit(code("201")?, Yuan::from_fen(fen + 1));
            journal.post(entry.clone())?;
            posted.push(entry);
        }
        // Only the amounts that do not fit below LARGE are kept aside, by position.
        assert_eq!(
            journal.store_for_tests().large,
            [
                (7, i64::from(LARGE)),
                (8, i64::from(LARGE) + 1),
                (10, 1 << 40),
                (11, (1 << 40) + 1),
            ]
        );
        let amounts_of =
            |e: EntryRef<'_>| -> Vec<i64> { e.postings().iter().map(|p| p.amount.fen()).collect() };
        for (entry, fen) in journal.entries().iter().zip(amounts) {
            assert_eq!(amounts_of(entry), [1, fen, fen + 1]);
        }
        assert_eq!(journal.entries().to_vec(), posted);
        journal.verify()?;
        // An entry replaced in place (as the tests that damage a journal do) moves the large
        // amounts after it and drops its own.
        journal.edit_entry_for_tests("E2", |e| {
            e.postings[1].amount = Yuan::from_fen(5);
            e.postings[2].amount = Yuan::from_fen(6);
        });
        assert_eq!(
            journal.store_for_tests().large,
            [(10, 1 << 40), (11, (1 << 40) + 1)]
        );
        let amounts: Vec<Vec<i64>> = journal.entries().iter().map(amounts_of).collect();
        assert_eq!(
            amounts,
            [
                vec![1, 1, 2],
                vec![1, fits, fits + 1],
                vec![1, 5, 6],
                vec![1, 1 << 40, (1 << 40) + 1],
                vec![1, fits, fits + 1],
            ]
        );
        Ok(())
    }

    /// An entry's head keeps where its postings start in 32 bits; from the
    /// 4,294,967,295th posting on the start is kept aside by the entry's position and read
    /// back exactly.
    #[test]
    fn starts_from_four_billion_postings_on_come_back_as_stored() {
        let mut store = Store::default();
        let day = date!(2019 - 01 - 01);
        let starts = [
            0,
            2,
            usize::MAX >> 34,
            u32::MAX as usize,
            1 << 33,
            (1 << 33) + 2,
        ];
        for (k, &first) in starts.iter().enumerate() {
            store.push_head(EntryId::from(format!("E{k}")), Memo::from(""), first, day);
        }
        assert_eq!(std::mem::size_of::<Head>(), 48);
        assert_eq!(
            store.far,
            [(3, i64::from(u32::MAX)), (4, 1 << 33), (5, (1 << 33) + 2)]
        );
        let read: Vec<Option<usize>> = (0..starts.len()).map(|at| store.first_of(at)).collect();
        assert_eq!(read, starts.map(Some));
        assert_eq!(store.postings_of(4), Some((1 << 33)..(1 << 33) + 2));
        assert_eq!(store.postings_of(1), Some(2..usize::MAX >> 34));
        assert_eq!(store.first_of(6), None);
    }
}
