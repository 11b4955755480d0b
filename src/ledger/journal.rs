//! [`Journal`]: the append-only, hash-chained book of entries, with running balances.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::thread::ScopedJoinHandle;

use time::Date;

use super::balances::{Series, Sums};
use super::chart::Node;
use super::hashing::IdIndex;
use super::stored::Store;
use super::{
    AccountCode, Chart, Digest, Entries, Entry, EntryId, EntryRef, LedgerError, Name, Posting,
    Side, MAX_YEAR, MIN_YEAR,
};
use crate::{Result, Yuan};

/// What [`Journal::post`] did with an entry.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, Posted};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let mut journal = Journal::new();
/// let entry = Entry::new("E1", date!(2019 - 01 - 05), "capital paid in")
///     .debit(AccountCode::new("102")?, Yuan::from_yuan(1000)?)
///     .credit(AccountCode::new("301")?, Yuan::from_yuan(1000)?);
/// assert!(matches!(journal.post(entry.clone())?, Posted::Recorded { .. }));
/// assert_eq!(journal.post(entry)?, Posted::AlreadyPosted);
/// assert_eq!(journal.len(), 1);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Posted {
    /// The entry was appended; `digest` is its digest, now the head of the chain.
    Recorded {
        /// The entry's digest.
        digest: Digest,
    },
    /// An entry with the same id and the same content was already in the journal; nothing
    /// changed.
    AlreadyPosted,
}

/// Debits and credits of an account over a period.
///
/// # Example
///
/// ```
/// use landpool::ledger::Movement;
/// use landpool::Yuan;
/// let movement = Movement { debits: Yuan::from_fen(500), credits: Yuan::from_fen(200) };
/// assert_eq!(movement.net(), Yuan::from_fen(300));
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Movement {
    /// The sum of the debits.
    pub debits: Yuan,
    /// The sum of the credits.
    pub credits: Yuan,
}

impl Movement {
    /// Debits minus credits.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::Movement;
    /// use landpool::Yuan;
    /// assert_eq!(Movement { debits: Yuan::ZERO, credits: Yuan::from_fen(1) }.net(), Yuan::from_fen(-1));
    /// ```
    pub fn net(&self) -> Yuan {
        // Both sums are between 0 and Yuan::MAX, so the difference fits.
        Yuan::from_fen(self.debits.fen().saturating_sub(self.credits.fen()))
    }

    fn from_sums(sums: Sums) -> Movement {
        Movement {
            debits: Yuan::from_fen(sums.debits),
            credits: Yuan::from_fen(sums.credits),
        }
    }
}

/// The journal (日记账 / 凭证簿): an append-only list of balanced entries, hash-chained with
/// SHA-256, with the chart of accounts it books to, the closed years, and running balances.
///
/// See the [module documentation](super) for the rules and the digest encoding.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let code = |c: &str| AccountCode::new(c);
/// let mut journal = Journal::new();
/// journal.open_account(code("301.M001")?, "张三", "Zhang San")?;
/// journal.post(
///     Entry::new("E1", date!(2019 - 01 - 05), "股金 Zhang San")
///         .debit(code("102")?, Yuan::from_yuan(5000)?)
///         .credit(code("301.M001")?, Yuan::from_yuan(5000)?),
/// )?;
/// assert_eq!(journal.closing_balance(&code("102")?)?, Yuan::from_yuan(5000)?);
/// // Credit balances are negative; the parent rolls up its sub-accounts.
/// assert_eq!(journal.balance(&code("301")?, date!(2019 - 12 - 31))?, Yuan::from_yuan(-5000)?);
/// assert_eq!(journal.balance(&code("301")?, date!(2019 - 01 - 04))?, Yuan::ZERO);
/// journal.verify()?;
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Clone)]
pub struct Journal {
    chart: Chart,
    /// The entries, their postings kept apart (8 bytes each).
    entries: Store,
    /// The entries' digests, in order, once chained: a book's own postings (its events' plans)
    /// leave them to be chained from the entries when first read, which a replay that only
    /// reports balances never does; an entry posted through the public methods, which return
    /// its digest, chains them first and keeps them up from then on.
    digests: OnceLock<Vec<Digest>>,
    index: IdIndex,
    /// Original id → index of the entry that reversed it.
    reversed_by: HashMap<EntryId, usize>,
    /// Running totals per chart node (same indices as the chart's nodes); a parent's series
    /// holds its whole subtree.
    series: Vec<Series>,
    /// Running totals of the whole journal.
    total: Series,
    closed: BTreeSet<i32>,
    /// Reused buffer for canonical encodings.
    scratch: Vec<u8>,
    /// Reused buffer for the chart nodes of an entry's postings.
    nodes: Vec<usize>,
    /// Reused buffer for the sums of an entry's postings by the accounts above theirs.
    parents: Vec<(usize, i64, i64)>,
    /// Reused working lists of `post_batch`.
    batch_buffers: BatchBuffers,
}

impl Journal {
    /// An empty journal on the 2021 standard chart.
    ///
    /// # Example
    ///
    /// ```
    /// let journal = landpool::ledger::Journal::new();
    /// assert!(journal.is_empty());
    /// assert_eq!(journal.chart().len(), 50);
    /// assert_eq!(journal.digest(), landpool::ledger::Digest::ZERO);
    /// ```
    pub fn new() -> Journal {
        let chart = Chart::standard();
        let series = chart
            .nodes()
            .iter()
            .map(|node| Series::under(node.parent()))
            .collect();
        Journal {
            chart,
            entries: Store::default(),
            digests: OnceLock::new(),
            index: IdIndex::default(),
            reversed_by: HashMap::new(),
            series,
            total: Series::default(),
            closed: BTreeSet::new(),
            scratch: Vec::with_capacity(256),
            nodes: Vec::with_capacity(8),
            parents: Vec::new(),
            batch_buffers: BatchBuffers::default(),
        }
    }

    /// An empty journal on the 2021 standard chart with room for `entries` entries, so that
    /// loading a known number of entries does not grow its tables step by step. The number
    /// is a hint: room that cannot be had (more than memory holds) is not reserved, and the
    /// journal grows as it is posted to.
    ///
    /// # Example
    ///
    /// ```
    /// let journal = landpool::ledger::Journal::with_capacity(1_000);
    /// assert!(journal.is_empty());
    /// ```
    pub fn with_capacity(entries: usize) -> Journal {
        let mut journal = Journal::new();
        // Posted to through the methods that return each digest, its digests are kept from
        // the first entry: room is made for them too.
        journal.digests = OnceLock::from(Vec::new());
        journal.reserve(entries);
        journal
    }

    /// Makes room for `additional` more entries, as far as it can be had: the number is a
    /// hint, and room beyond what memory (or a list) holds is not reserved rather than a
    /// panic or an abort.
    pub(crate) fn reserve(&mut self, additional: usize) {
        // Digests not chained yet are not made room for: they are chained, when read, into a
        // list of their own number.
        let reserved = self.entries.try_reserve(additional)
            && self
                .digests
                .get_mut()
                .is_none_or(|digests| digests.try_reserve(additional).is_ok());
        if reserved {
            self.index.try_reserve(additional);
        }
    }

    /// The chart of accounts.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Journal};
    /// assert!(Journal::new().chart().contains(&AccountCode::new("531")?));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn chart(&self) -> &Chart {
        &self.chart
    }

    /// Opens the sub-account `code` under its parent, with a Chinese and an English name.
    ///
    /// Opening an account that is already open with the same names (a standard account or a
    /// sub-account) does nothing.
    ///
    /// # Errors
    ///
    /// - [`LedgerError::ParentNotOpen`]: the parent is not in the chart (open it first);
    /// - [`LedgerError::UnknownAccount`]: the code, or the 3-digit code it starts with, is
    ///   not in the 2021 chart (named in the error);
    /// - [`LedgerError::ParentHasPostings`]: the parent already has postings of its own (only
    ///   accounts without sub-accounts take postings);
    /// - [`LedgerError::AccountNameConflict`]: the account is open with other names;
    /// - [`LedgerError::InvalidAccountName`], [`LedgerError::TooManyAccounts`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Journal};
    /// let mut journal = Journal::new();
    /// let code = AccountCode::new("332.01")?;
    /// journal.open_account(code.clone(), "各项分配", "Distributions")?;
    /// journal.open_account(code.clone(), "各项分配", "Distributions")?; // no-op
    /// assert!(journal.open_account(code, "未分配盈余", "Undistributed surplus").is_err());
    /// assert!(journal.open_account(AccountCode::new("114.M1.A")?, "x", "x").is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn open_account(&mut self, code: AccountCode, name_zh: &str, name_en: &str) -> Result<()> {
        let (name_zh, name_en) = Name::pair(name_zh, name_en);
        self.open_named(&code, name_zh, name_en)
    }

    /// [`Journal::open_account`] with the names as made, kept as they are.
    fn open_named(&mut self, code: &AccountCode, name_zh: Name, name_en: Name) -> Result<()> {
        let series = &self.series;
        let parent_allows = |parent: usize, parent_node: &Node| {
            let has_own_postings =
                parent_node.children == 0 && series.get(parent).is_some_and(|s| !s.is_empty());
            if has_own_postings {
                return Err(LedgerError::ParentHasPostings {
                    code: code.to_string(),
                    parent: parent_node.account.code.to_string(),
                }
                .into());
            }
            Ok(())
        };
        if self
            .chart
            .open_named(code, name_zh, name_en, parent_allows)?
        {
            let parent = self.chart.nodes().last().and_then(Node::parent);
            self.series.push(Series::under(parent));
        }
        Ok(())
    }

    /// Posts `entry`: checks every rule first and changes nothing when one fails; otherwise
    /// appends the entry to the chain and updates the running balances.
    ///
    /// Posting an entry whose id is already in the journal with the same content does
    /// nothing and returns [`Posted::AlreadyPosted`].
    ///
    /// # Errors
    ///
    /// - [`LedgerError::IdConflict`]: the id was posted before with other content;
    /// - [`LedgerError::InvalidEntryId`], [`LedgerError::InvalidMemo`],
    ///   [`LedgerError::DateOutOfRange`], [`LedgerError::PostingCount`];
    /// - [`LedgerError::NonPositiveAmount`]: an amount is zero or negative;
    /// - [`LedgerError::Unbalanced`]: debits and credits differ;
    /// - [`LedgerError::YearClosed`]: the entry is dated in a closed year;
    /// - [`LedgerError::PostingToUnknownAccount`], [`LedgerError::PostingToParentAccount`];
    /// - [`LedgerError::UnknownOriginal`], [`LedgerError::AlreadyReversed`],
    ///   [`LedgerError::ReversalMismatch`], [`LedgerError::ReversalBeforeOriginal`]: for a
    ///   reversing entry;
    /// - [`LedgerError::AmountOverflow`]: the journal's total debits would exceed
    ///   [`Yuan::MAX`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError};
    /// use landpool::{Error, Yuan};
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// let entry = Entry::new("E1", date!(2019 - 02 - 01), "seedlings")
    ///     .debit(AccountCode::new("401")?, Yuan::from_fen(120_000))
    ///     .credit(AccountCode::new("101")?, Yuan::from_fen(120_000));
    /// journal.post(entry.clone())?;
    /// let mut other = entry.clone();
    /// other.memo = "fertiliser".into();
    /// assert!(matches!(journal.post(other), Err(Error::Ledger(LedgerError::IdConflict { field: "memo", .. }))));
    /// let stray = Entry::new("E2", date!(2019 - 02 - 01), "")
    ///     .debit(AccountCode::new("114.M9")?, Yuan::from_fen(1))
    ///     .credit(AccountCode::new("101")?, Yuan::from_fen(1));
    /// assert!(matches!(journal.post(stray), Err(Error::Ledger(LedgerError::PostingToUnknownAccount { .. }))));
    /// assert_eq!(journal.len(), 1);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn post(&mut self, entry: Entry) -> Result<Posted> {
        let hash = self.index.hash(&entry.id);
        if let Some(existing) = self.index.get(&self.entries, &entry.id, hash) {
            return match self
                .entries()
                .get(existing)
                .and_then(|e| first_difference(e, &entry))
            {
                None => Ok(Posted::AlreadyPosted),
                Some(field) => Err(LedgerError::IdConflict {
                    entry: entry.id.to_string(),
                    field,
                }
                .into()),
            };
        }
        let mut nodes = std::mem::take(&mut self.nodes);
        let checked = self.check(&entry, &mut nodes, &mut RecentAccounts::default());
        let result = checked.map(|amount| Posted::Recorded {
            digest: self.append(entry, amount, &nodes, hash),
        });
        self.nodes = nodes;
        result
    }

    /// Posts the reversal of `original`: an entry `id` dated `date` whose postings are the
    /// original's with debit and credit swapped, marked as reversing it.
    ///
    /// Calling it again with the same arguments returns [`Posted::AlreadyPosted`].
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownOriginal`] when `original` is not in the journal,
    /// [`LedgerError::AlreadyReversed`] when another entry reversed it already, and the
    /// errors of [`Journal::post`] (a closed year, a date before the original's, …).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, EntryId, Journal, Posted};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// let cash = AccountCode::new("101")?;
    /// journal.post(Entry::new("E1", date!(2019 - 02 - 01), "wrong amount")
    ///     .debit(AccountCode::new("523")?, Yuan::from_fen(9_900))
    ///     .credit(cash.clone(), Yuan::from_fen(9_900)))?;
    /// let original = EntryId::from("E1");
    /// journal.reverse(&original, "E1-R".into(), date!(2019 - 02 - 03), "reverses E1")?;
    /// assert_eq!(journal.closing_balance(&cash)?, Yuan::ZERO);
    /// assert_eq!(journal.reverse(&original, "E1-R".into(), date!(2019 - 02 - 03), "reverses E1")?, Posted::AlreadyPosted);
    /// assert!(journal.reverse(&original, "E1-R2".into(), date!(2019 - 02 - 03), "again").is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn reverse(
        &mut self,
        original: &EntryId,
        id: EntryId,
        date: Date,
        memo: &str,
    ) -> Result<Posted> {
        let Some(source) = self.get(original) else {
            return Err(LedgerError::UnknownOriginal {
                entry: id.to_string(),
                original: original.to_string(),
            }
            .into());
        };
        let postings = source
            .postings()
            .iter()
            .map(|p| Posting {
                account: p.account.clone(),
                side: p.side.opposite(),
                amount: p.amount,
            })
            .collect();
        self.post(Entry {
            id,
            date,
            memo: memo.into(),
            postings,
            reverses: Some(original.clone()),
        })
    }

    /// The entry with id `id`, as a view (see [`Journal::entries`]).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{EntryId, Journal};
    /// assert!(Journal::new().get(&EntryId::from("E1")).is_none());
    /// ```
    pub fn get(&self, id: &EntryId) -> Option<EntryRef<'_>> {
        self.position(id).and_then(|i| self.entries().get(i))
    }

    fn position(&self, id: &EntryId) -> Option<usize> {
        self.index.get(&self.entries, id, self.index.hash(id))
    }

    /// The digest of the entry with id `id`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{EntryId, Journal};
    /// assert!(Journal::new().digest_of(&EntryId::from("E1")).is_none());
    /// ```
    pub fn digest_of(&self, id: &EntryId) -> Option<Digest> {
        self.position(id)
            .and_then(|i| self.digests().get(i))
            .copied()
    }

    /// The id of the entry that reversed `id`, if any.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{EntryId, Journal};
    /// assert!(Journal::new().reversed_by(&EntryId::from("E1")).is_none());
    /// ```
    pub fn reversed_by(&self, id: &EntryId) -> Option<&EntryId> {
        self.reversed_by
            .get(id)
            .and_then(|&i| self.entries.id_at(i))
    }

    /// The entries in the order they were posted, as views ([`EntryRef`]): the journal keeps
    /// each entry's postings in a compact form (8 bytes a posting) and lends them with the
    /// account codes of its chart. [`EntryRef::to_entry`] (or [`Entries::to_vec`]) makes
    /// owned entries of them.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// assert!(journal.entries().is_empty());
    /// let entry = Entry::new("E1", date!(2019 - 03 - 01), "rent paid")
    ///     .debit(AccountCode::new("401")?, Yuan::from_fen(100))
    ///     .credit(AccountCode::new("102")?, Yuan::from_fen(100));
    /// journal.post(entry.clone())?;
    /// let debits: i64 = journal
    ///     .entries()
    ///     .iter()
    ///     .flat_map(|e| e.postings())
    ///     .filter(|p| p.side == landpool::ledger::Side::Debit)
    ///     .map(|p| p.amount.fen())
    ///     .sum();
    /// assert_eq!(debits, 100);
    /// assert_eq!(journal.entries().to_vec(), vec![entry]);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn entries(&self) -> Entries<'_> {
        self.entries.entries(&self.chart)
    }

    /// The digests of the entries, in the order they were posted.
    ///
    /// A journal posted to through [`Journal::post`], [`Journal::post_batch`] or
    /// [`Journal::open_and_post`], which return each digest, keeps its digests as it goes. A
    /// [`Book`](crate::Book)'s journal, posted to by the book's events, chains them from its
    /// entries when they are first read (here, by [`Journal::digest`],
    /// [`Journal::digest_of`] or [`Journal::verify`], or comparing two journals) and keeps
    /// them up from then on: a replay that only reports balances never hashes its entries.
    /// The digests are the same either way.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal, Posted};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// assert!(journal.digests().is_empty());
    /// let entry = Entry::new("E1", date!(2019 - 02 - 01), "seedlings")
    ///     .debit(AccountCode::new("401")?, Yuan::from_fen(100))
    ///     .credit(AccountCode::new("101")?, Yuan::from_fen(100));
    /// let posted = journal.post(entry)?;
    /// assert_eq!(posted, Posted::Recorded { digest: journal.digest() });
    /// assert_eq!(journal.digests(), [journal.digest()]);
    /// assert_ne!(journal.digest(), landpool::ledger::Digest::ZERO);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn digests(&self) -> &[Digest] {
        self.chained()
    }

    /// The entries' digests, chained from the entries now if they were not yet.
    fn chained(&self) -> &Vec<Digest> {
        self.digests.get_or_init(|| {
            let mut buffer = Vec::with_capacity(256);
            let mut previous = Digest::ZERO;
            self.entries()
                .iter()
                .map(|entry| {
                    previous = chain_step(previous, &mut buffer, |out| entry.encode_into(out));
                    previous
                })
                .collect()
        })
    }

    /// How many entries the journal holds.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Journal::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the journal has no entries.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::ledger::Journal::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }

    /// The head of the chain: the last entry's digest ([`Digest::ZERO`] when empty).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Journal::new().digest(), landpool::ledger::Digest::ZERO);
    /// ```
    pub fn digest(&self) -> Digest {
        self.chained().last().copied().unwrap_or(Digest::ZERO)
    }

    /// The balance of `code` (with its sub-accounts) at the end of `at`: debits minus credits
    /// of all entries dated on or before `at`. Positive is a debit balance, negative a credit
    /// balance.
    ///
    /// One binary search over the account's running totals; the journal is not replayed.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownAccount`] when `code` is not in the chart.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError};
    /// use landpool::{Error, Yuan};
    /// use time::macros::date;
    ///
    /// let (cash, bank) = (AccountCode::new("101")?, AccountCode::new("102")?);
    /// let mut journal = Journal::new();
    /// journal.post(Entry::new("E1", date!(2019 - 03 - 01), "withdraw")
    ///     .debit(cash.clone(), Yuan::from_fen(500)).credit(bank.clone(), Yuan::from_fen(500)))?;
    /// assert_eq!(journal.balance(&cash, date!(2019 - 02 - 28))?, Yuan::ZERO);
    /// assert_eq!(journal.balance(&cash, date!(2019 - 03 - 01))?, Yuan::from_fen(500));
    /// assert_eq!(journal.balance(&bank, date!(2019 - 03 - 01))?, Yuan::from_fen(-500));
    /// let unopened = journal.balance(&AccountCode::new("101.M9")?, date!(2019 - 03 - 01));
    /// assert!(matches!(unopened, Err(Error::Ledger(LedgerError::UnknownAccount { .. }))));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn balance(&self, code: &AccountCode, at: Date) -> Result<Yuan> {
        Ok(Movement::from_sums(self.series_of(code)?.through(at)).net())
    }

    /// The balance of `code` (with its sub-accounts) over all entries.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownAccount`] when `code` is not in the chart.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError};
    /// use landpool::{Error, Yuan};
    /// use time::macros::date;
    ///
    /// let (cash, bank) = (AccountCode::new("101")?, AccountCode::new("102")?);
    /// let mut journal = Journal::new();
    /// journal.post(Entry::new("E1", date!(2019 - 03 - 01), "withdraw")
    ///     .debit(cash.clone(), Yuan::from_fen(500)).credit(bank.clone(), Yuan::from_fen(500)))?;
    /// journal.post(Entry::new("E2", date!(2020 - 04 - 01), "deposit")
    ///     .debit(bank.clone(), Yuan::from_fen(200)).credit(cash.clone(), Yuan::from_fen(200)))?;
    /// assert_eq!(journal.closing_balance(&cash)?, Yuan::from_fen(300));
    /// assert_eq!(journal.closing_balance(&bank)?, Yuan::from_fen(-300));
    /// let unopened = journal.closing_balance(&AccountCode::new("101.M9")?);
    /// assert!(matches!(unopened, Err(Error::Ledger(LedgerError::UnknownAccount { .. }))));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn closing_balance(&self, code: &AccountCode) -> Result<Yuan> {
        Ok(Movement::from_sums(self.series_of(code)?.total()).net())
    }

    /// The debits and credits of `code` (with its sub-accounts) over the entries dated from
    /// `from` to `to`, both included.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownAccount`] when `code` is not in the chart;
    /// [`LedgerError::InvalidRange`] when `from` is after `to`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal, Movement};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// let (cash, bank) = (AccountCode::new("101")?, AccountCode::new("102")?);
    /// journal.post(Entry::new("E1", date!(2019 - 03 - 01), "withdraw")
    ///     .debit(cash.clone(), Yuan::from_fen(500)).credit(bank.clone(), Yuan::from_fen(500)))?;
    /// journal.post(Entry::new("E2", date!(2019 - 04 - 01), "deposit")
    ///     .debit(bank.clone(), Yuan::from_fen(200)).credit(cash.clone(), Yuan::from_fen(200)))?;
    /// let march = journal.movement(&cash, date!(2019 - 03 - 01), date!(2019 - 03 - 31))?;
    /// assert_eq!(march, Movement { debits: Yuan::from_fen(500), credits: Yuan::ZERO });
    /// let year = journal.movement(&cash, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert_eq!(year.net(), Yuan::from_fen(300));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn movement(&self, code: &AccountCode, from: Date, to: Date) -> Result<Movement> {
        check_range(from, to)?;
        let series = self.series_of(code)?;
        Ok(Movement::from_sums(span(series, from, to)))
    }

    /// Each sub-account of `code` (one level down, in code order) with its last segment and
    /// its debits and credits (fen) over the entries dated from `from` to `to`, both
    /// included: one walk through the chart for reports that read an account of each member.
    pub(crate) fn sub_account_sums<'a>(
        &'a self,
        code: &AccountCode,
        from: Date,
        to: Date,
    ) -> impl Iterator<Item = (&'a str, i64, i64)> + 'a {
        self.chart
            .child_nodes(code)
            .filter(move |_| from <= to)
            .filter_map(move |(index, node)| {
                let sums = span(self.series.get(index)?, from, to);
                Some((node.account.code.last_segment(), sums.debits, sums.credits))
            })
    }

    /// The debits and credits of the whole journal over the entries dated from `from` to
    /// `to`, both included (the debits always equal the credits).
    ///
    /// # Errors
    ///
    /// [`LedgerError::InvalidRange`] when `from` is after `to`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::Journal;
    /// use time::macros::date;
    /// let m = Journal::new().total_movement(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert!(m.debits.is_zero());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn total_movement(&self, from: Date, to: Date) -> Result<Movement> {
        check_range(from, to)?;
        Ok(Movement::from_sums(span(&self.total, from, to)))
    }

    /// Closes the fiscal (calendar) year `year`, and with it every year before it: entries
    /// dated in `year` or earlier are refused from now on (a closed period is never edited;
    /// corrections are booked in an open year). Closing a closed year again does nothing.
    ///
    /// # Errors
    ///
    /// [`LedgerError::YearOutOfRange`] for a year outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// journal.close_year(2019)?;
    /// assert!(journal.is_closed(2019));
    /// let late = Entry::new("E1", date!(2019 - 12 - 31), "late invoice")
    ///     .debit(AccountCode::new("523")?, Yuan::from_fen(100))
    ///     .credit(AccountCode::new("211")?, Yuan::from_fen(100));
    /// assert!(journal.post(late).is_err());
    /// // A year before a closed year is closed too.
    /// let older = Entry::new("E2", date!(2017 - 06 - 30), "found in an old drawer")
    ///     .debit(AccountCode::new("523")?, Yuan::from_fen(100))
    ///     .credit(AccountCode::new("211")?, Yuan::from_fen(100));
    /// assert!(journal.post(older).is_err());
    /// assert!(journal.is_closed(2017));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn close_year(&mut self, year: i32) -> Result<()> {
        check_year(year)?;
        self.closed.insert(year);
        Ok(())
    }

    /// Whether `year` is closed: it, or a year after it, was closed with
    /// [`Journal::close_year`].
    ///
    /// # Example
    ///
    /// ```
    /// let mut journal = landpool::ledger::Journal::new();
    /// assert!(!journal.is_closed(2019));
    /// journal.close_year(2019)?;
    /// assert!(journal.is_closed(2018) && journal.is_closed(2019) && !journal.is_closed(2020));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn is_closed(&self, year: i32) -> bool {
        self.latest_closed().is_some_and(|latest| year <= latest)
    }

    /// The latest year closed with [`Journal::close_year`], if any: every year up to it is
    /// closed.
    ///
    /// # Example
    ///
    /// ```
    /// let mut journal = landpool::ledger::Journal::new();
    /// assert_eq!(journal.latest_closed(), None);
    /// journal.close_year(2019)?;
    /// assert_eq!(journal.latest_closed(), Some(2019));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn latest_closed(&self) -> Option<i32> {
        self.closed.last().copied()
    }

    /// The years closed with [`Journal::close_year`], in order (the years before each are
    /// closed too, see [`Journal::is_closed`]).
    ///
    /// # Example
    ///
    /// ```
    /// let mut journal = landpool::ledger::Journal::new();
    /// journal.close_year(2020)?;
    /// journal.close_year(2019)?;
    /// assert_eq!(journal.closed_years().collect::<Vec<_>>(), [2019, 2020]);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn closed_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.closed.iter().copied()
    }

    /// Recomputes the hash chain from the entries and checks every entry's rules that need
    /// nothing but the entry (balanced, positive amounts, limits).
    ///
    /// # Errors
    ///
    /// [`LedgerError::ChainBroken`] naming the first entry whose recorded digest differs from
    /// the recomputed one; the error of the first entry that breaks a rule.
    ///
    /// # Example
    ///
    /// A journal read from its JSON form was checked as it was read (an edited entry is
    /// refused there); `verify` checks one held in memory again, here after a posting:
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// journal.post(
    ///     Entry::new("E1", date!(2019 - 01 - 05), "cash to the bank")
    ///         .debit(AccountCode::new("102")?, Yuan::from_yuan(500)?)
    ///         .credit(AccountCode::new("101")?, Yuan::from_yuan(500)?),
    /// )?;
    /// assert_eq!(journal.verify(), Ok(()));
    /// let json = serde_json::to_string(&journal)?.replace("500.00", "600.00");
    /// let edited = serde_json::from_str::<Journal>(&json).map_err(|e| e.to_string());
    /// assert!(edited.is_err_and(|e| e.contains("E1")), "the edited entry is named");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(&self) -> Result<()> {
        // Digests not chained yet are chained here, as they are checked: they are the chain.
        let kept = self.digests.get();
        let mut chained = Vec::with_capacity(if kept.is_none() { self.len() } else { 0 });
        let mut previous = Digest::ZERO;
        let mut buffer = Vec::with_capacity(256);
        for (index, entry) in self.entries().iter().enumerate() {
            entry.check_shape()?;
            let expected = chain_step(previous, &mut buffer, |out| entry.encode_into(out));
            let found = match kept {
                Some(kept) => kept.get(index).copied().unwrap_or(Digest::ZERO),
                None => {
                    chained.push(expected);
                    expected
                }
            };
            if expected != found {
                return Err(LedgerError::ChainBroken {
                    index,
                    entry: entry.id.to_string(),
                    expected,
                    found,
                }
                .into());
            }
            previous = found;
        }
        if kept.is_none() {
            // Chained on another thread meanwhile, the digests are these same ones.
            let _ = self.digests.set(chained);
        }
        Ok(())
    }

    /// Marks the chart's nodes of `code` and of every account within it (its sub-accounts
    /// at every level), for [`Postings::marked`](super::Postings::marked): only `code`'s
    /// own node for an account without sub-accounts.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownAccount`] when `code` is not in the chart.
    pub(crate) fn nodes_within(&self, code: &AccountCode) -> Result<Vec<bool>> {
        let nodes = self.chart.nodes();
        let target = self
            .chart
            .index_of(code)
            .ok_or_else(|| LedgerError::UnknownAccount {
                code: code.to_string(),
            })?;
        let mut within = vec![false; nodes.len()];
        if let Some(mark) = within.get_mut(target) {
            *mark = true;
        }
        if nodes.get(target).is_some_and(|node| node.children > 0) {
            for (index, mark) in within.iter_mut().enumerate() {
                // Up the parents: a chart is a few levels deep.
                let mut at = nodes.get(index).and_then(|node| node.parent());
                while let Some(parent) = at {
                    if parent == target {
                        *mark = true;
                        break;
                    }
                    at = nodes.get(parent).and_then(|node| node.parent());
                }
            }
        }
        Ok(within)
    }

    /// The running totals of `code`.
    pub(crate) fn series_of(&self, code: &AccountCode) -> Result<&Series> {
        self.chart
            .index_of(code)
            .and_then(|i| self.series.get(i))
            .ok_or_else(|| {
                LedgerError::UnknownAccount {
                    code: code.to_string(),
                }
                .into()
            })
    }

    /// The running totals of chart node `node`.
    pub(crate) fn series_at(&self, node: usize) -> Option<&Series> {
        self.series.get(node)
    }

    /// [`Journal::balance`] of the account at chart node `node` (from
    /// [`Chart::leaf_nodes_within`](super::Chart::leaf_nodes_within), say), read from its
    /// running totals without looking its code up; `None` for a node the chart does not
    /// have.
    pub(crate) fn balance_at_node(&self, node: usize, at: Date) -> Option<Yuan> {
        self.series
            .get(node)
            .map(|series| Movement::from_sums(series.through(at)).net())
    }

    /// Checks every rule for `entry` (whose id is not in the journal yet); fills `nodes` with
    /// the chart node of each posting and returns the entry's total debits (= credits).
    /// `recent` holds the accounts of the entry checked before in the same batch (each
    /// already found in the chart and a leaf), so that an account posted to at the same place
    /// in entry after entry is looked up once.
    fn check<'e>(
        &self,
        entry: &'e Entry,
        nodes: &mut Vec<usize>,
        recent: &mut RecentAccounts<'e>,
    ) -> Result<Yuan> {
        let amount = entry.check_shape()?;
        let id = || entry.id.to_string();
        if let Some(latest) = self.latest_closed().filter(|&l| entry.date.year() <= l) {
            return Err(LedgerError::YearClosed {
                entry: id(),
                date: entry.date,
                year: latest,
            }
            .into());
        }
        nodes.clear();
        for (posting, p) in entry.postings.iter().enumerate() {
            if let Some(node) = recent.get(posting, &p.account) {
                nodes.push(node);
                continue;
            }
            let guessed = recent.guess(p.side).filter(|&guess| {
                self.chart
                    .nodes()
                    .get(guess)
                    .is_some_and(|n| n.account.code == p.account)
            });
            let Some(node) = guessed.or_else(|| self.chart.index_of(&p.account)) else {
                return Err(LedgerError::PostingToUnknownAccount {
                    entry: id(),
                    posting,
                    account: p.account.to_string(),
                }
                .into());
            };
            recent.found(p.side, node);
            if self.chart.nodes().get(node).is_some_and(|n| n.children > 0) {
                return Err(LedgerError::PostingToParentAccount {
                    entry: id(),
                    posting,
                    account: p.account.to_string(),
                }
                .into());
            }
            recent.set(posting, &p.account, node);
            nodes.push(node);
        }
        if let Some(original) = &entry.reverses {
            self.check_reversal(entry, original)?;
        }
        if self
            .total
            .total()
            .debits
            .checked_add(amount.fen())
            .is_none()
        {
            return Err(LedgerError::AmountOverflow {
                entry: id(),
                what: "the journal's total debits",
            }
            .into());
        }
        Ok(amount)
    }

    fn check_reversal(&self, entry: &Entry, original: &EntryId) -> Result<()> {
        let id = || entry.id.to_string();
        let Some(source) = self.get(original) else {
            return Err(LedgerError::UnknownOriginal {
                entry: id(),
                original: original.to_string(),
            }
            .into());
        };
        if let Some(by) = self.reversed_by(original) {
            return Err(LedgerError::AlreadyReversed {
                entry: id(),
                original: original.to_string(),
                reversed_by: by.to_string(),
            }
            .into());
        }
        if entry.date < source.date {
            return Err(LedgerError::ReversalBeforeOriginal {
                entry: id(),
                date: entry.date,
                original: original.to_string(),
                original_date: source.date,
            }
            .into());
        }
        let mismatch = |reason: String| -> crate::Error {
            LedgerError::ReversalMismatch {
                entry: id(),
                original: original.to_string(),
                reason,
            }
            .into()
        };
        if entry.postings.len() != source.postings().len() {
            return Err(mismatch(format!(
                "has {} postings where the original has {}",
                entry.postings.len(),
                source.postings().len()
            )));
        }
        for (index, (mine, theirs)) in entry.postings.iter().zip(source.postings()).enumerate() {
            let mirrored = mine.account == *theirs.account
                && mine.amount == theirs.amount
                && mine.side == theirs.side.opposite();
            if !mirrored {
                return Err(mismatch(format!(
                    "posting #{index} is {:?} {} {} where the mirror of the original is {:?} {} {}",
                    mine.side,
                    mine.account,
                    mine.amount,
                    theirs.side.opposite(),
                    theirs.account,
                    theirs.amount
                )));
            }
        }
        Ok(())
    }

    /// Appends a checked entry (`amount` its total debits, `nodes` its postings' chart nodes,
    /// `hash` the hash of its id); returns its digest.
    fn append(&mut self, entry: Entry, amount: Yuan, nodes: &[usize], hash: u64) -> Digest {
        // The head chains the digests kept so far, if they were not yet.
        let digest = entry_digest(self.digest(), &entry, &mut self.scratch);
        let position = self.entries.len();
        self.record(&entry, amount, nodes, position);
        self.index.insert(&entry.id, Some(hash), position);
        self.entries.push(entry, nodes);
        if let Some(digests) = self.digests.get_mut() {
            digests.push(digest);
        }
        digest
    }

    /// What appending a checked entry changes besides the entries, their digests and the id
    /// index: the running balances and the reversals, for the entry that will sit at
    /// `position`.
    fn record(&mut self, entry: &Entry, amount: Yuan, nodes: &[usize], position: usize) {
        // Every posting's amount goes to its account and to each account above it. The
        // accounts above are few and shared (an entry of a thousand postings to members'
        // sub-accounts has one: their parent), so their amounts are summed first, in
        // `parents`, and each added once. A parent is looked for among the last few summed
        // only, so that an entry whose postings have many different parents costs no more
        // than adding each amount as it comes. Every posting of an entry has its date, and
        // the journal has checked that no total can overflow, so the order of the additions
        // does not change a total.
        const SEARCHED: usize = 8;
        let mut parents = std::mem::take(&mut self.parents);
        parents.clear();
        for (posting, &leaf) in entry.postings.iter().zip(nodes) {
            let (debit, credit) = match posting.side {
                Side::Debit => (posting.amount.fen(), 0),
                Side::Credit => (0, posting.amount.fen()),
            };
            if let Some(series) = self.series.get_mut(leaf) {
                series.add(entry.date, debit, credit);
            }
            // The series keeps its account's parent (one read instead of two).
            let mut node = self.series.get(leaf).and_then(Series::parent);
            // The chart is at most MAX_ACCOUNT_DEPTH levels deep.
            while let Some(i) = node {
                let recent = parents.len().saturating_sub(SEARCHED);
                let summed = parents
                    .get_mut(recent..)
                    .and_then(|last| last.iter_mut().rev().find(|(p, _, _)| *p == i));
                match summed {
                    Some((_, debits, credits)) => {
                        *debits = debits.saturating_add(debit);
                        *credits = credits.saturating_add(credit);
                    }
                    None => parents.push((i, debit, credit)),
                }
                node = self.series.get(i).and_then(Series::parent);
            }
        }
        for &(i, debits, credits) in &parents {
            if let Some(series) = self.series.get_mut(i) {
                series.add(entry.date, debits, credits);
            }
        }
        self.parents = parents;
        self.total.add(entry.date, amount.fen(), amount.fen());
        if let Some(original) = &entry.reverses {
            self.reversed_by.insert(original.clone(), position);
        }
    }
}

/// Accounts given with their names as text, each pair of names made as it is opened.
fn named(
    accounts: &[(AccountCode, String, String)],
) -> impl Iterator<Item = (&AccountCode, Name, Name)> + '_ {
    accounts.iter().map(|(code, name_zh, name_en)| {
        let (name_zh, name_en) = Name::pair(name_zh, name_en);
        (code, name_zh, name_en)
    })
}

/// The chain step for `entry` after `previous`: the digest of `previous`'s 32 bytes and the
/// entry's canonical encoding, built in `buffer` (reused between calls).
fn entry_digest(previous: Digest, entry: &Entry, buffer: &mut Vec<u8>) -> Digest {
    chain_step(previous, buffer, |out| entry.encode_into(out))
}

/// The chain step after `previous` for the canonical encoding `encode` writes, built in
/// `buffer` after room for `previous`'s 32 bytes.
fn chain_step(previous: Digest, buffer: &mut Vec<u8>, encode: impl FnOnce(&mut Vec<u8>)) -> Digest {
    buffer.clear();
    buffer.resize(32, 0);
    encode(buffer);
    previous.chain_reserved(buffer)
}

/// Appends `more` to `list`; takes `more` itself when `list` is empty.
fn append_all<T>(list: &mut Vec<T>, mut more: Vec<T>) {
    if list.is_empty() {
        std::mem::swap(list, &mut more);
    } else {
        list.append(&mut more);
    }
}

/// What [`Journal::plan_and_record`] returns: each entry's plan, the chart nodes of the new
/// entries' postings and the chained digests, if any.
type Recorded = (Vec<EntryPlan>, Vec<usize>, Option<Vec<Digest>>);

/// Batches of at least this many entries (or twice as many postings: a timesheet's few
/// entries of a thousand postings each) have their digests chained on a second thread while
/// the calling thread checks them and updates the balances.
const PARALLEL_CHAIN_MIN: usize = 4096;

/// A batch of twice this many postings (this many entries of two postings, or a few large
/// ones) has its second half checked on a second thread (below this the thread costs more
/// than it saves).
const PARALLEL_CHECK_MIN: usize = 16_384;

/// How many postings `entries` hold.
fn postings_in(entries: &[Entry]) -> usize {
    entries
        .iter()
        .fold(0usize, |n, entry| n.saturating_add(entry.postings.len()))
}

/// Where to split `entries` (which hold `postings` postings) so that each part has about
/// half of the postings: the first entry reached once half of them are before it, kept
/// within 1..len so that neither part is empty (for two or more entries).
fn half_of_postings(entries: &[Entry], postings: usize) -> usize {
    let last = entries.len().saturating_sub(1).max(1);
    let mut before = 0usize;
    entries
        .iter()
        .position(|entry| {
            let reached = before >= postings / 2;
            before = before.saturating_add(entry.postings.len());
            reached
        })
        .unwrap_or(last)
        .clamp(1, last)
}

/// The digests of `entries` chained from `head`, as if every one were appended; `None` as
/// soon as `stop` is set (checked every 1,024 entries).
fn chain_all(head: Digest, entries: &[Entry], stop: &AtomicBool) -> Option<Vec<Digest>> {
    let mut digests = Vec::with_capacity(entries.len());
    let mut buffer = Vec::with_capacity(256);
    let mut previous = head;
    for (i, entry) in entries.iter().enumerate() {
        if i.is_multiple_of(1024) && stop.load(Ordering::Relaxed) {
            return None;
        }
        previous = entry_digest(previous, entry, &mut buffer);
        digests.push(previous);
    }
    Some(digests)
}

impl Journal {
    /// The kept entries, for the tests of how they are kept.
    #[cfg(test)]
    pub(crate) fn store_for_tests(&self) -> &Store {
        &self.entries
    }

    /// Edits the entry with id `id` in place, unchecked, to damage a journal in the tests:
    /// nothing else (the running totals, the index, the digests) follows the edit.
    #[cfg(test)]
    pub(crate) fn edit_entry_for_tests(&mut self, id: &str, edit: impl FnOnce(&mut Entry)) {
        let Some(position) = self.position(&EntryId::from(id)) else {
            panic!("no entry {id} to edit");
        };
        let Some(mut entry) = self.entries().get(position).map(|e| e.to_entry()) else {
            panic!("no entry at {position}");
        };
        edit(&mut entry);
        self.entries.replace_for_tests(&self.chart, position, entry);
    }
}

impl Default for Journal {
    fn default() -> Journal {
        Journal::new()
    }
}

impl std::fmt::Debug for Journal {
    /// A summary: the number of accounts and entries, the closed years and the head digest.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("accounts", &self.chart.len())
            .field("entries", &self.entries.len())
            .field("closed_years", &self.closed)
            .field("head", &self.digest())
            .finish()
    }
}

impl PartialEq for Journal {
    /// Two journals are equal when they have the same chart, entries, digests and closed
    /// years (the running balances follow from these).
    fn eq(&self, other: &Journal) -> bool {
        self.digests() == other.digests()
            && self.entries().iter().eq(other.entries().iter())
            && self.chart == other.chart
            && self.closed == other.closed
    }
}

impl Eq for Journal {}

fn check_range(from: Date, to: Date) -> Result<()> {
    if from > to {
        return Err(LedgerError::InvalidRange { from, to }.into());
    }
    Ok(())
}

/// Totals dated from `from` to `to` inclusive (`from` ≤ `to`).
pub(crate) fn span(series: &Series, from: Date, to: Date) -> Sums {
    let end = series.through(to);
    let start = series.before(from);
    // Cumulative totals only grow with the date, so these do not go below zero.
    Sums {
        debits: end.debits.saturating_sub(start.debits),
        credits: end.credits.saturating_sub(start.credits),
    }
}

/// The first field in which a posted entry and one with the same id differ.
fn first_difference(a: EntryRef<'_>, b: &Entry) -> Option<&'static str> {
    if a.date != b.date {
        Some("date")
    } else if *a.memo != b.memo {
        Some("memo")
    } else if a.postings() != *b.postings {
        Some("postings")
    } else if a.reverses != b.reverses.as_ref() {
        Some("reverses")
    } else {
        None
    }
}

/// Batches: several accounts or entries at once, all or nothing.
impl Journal {
    /// Opens several sub-accounts, all or nothing: when one is refused, those opened before it
    /// in the batch are closed again and the journal is as it was.
    ///
    /// # Errors
    ///
    /// As [`Journal::open_account`], for the first account refused.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Journal};
    /// let mut journal = Journal::new();
    /// let good = (AccountCode::new("114.M1")?, "成员往来—甲".to_string(), "member current — M1".to_string());
    /// let bad = (AccountCode::new("999.X")?, "x".to_string(), "x".to_string());
    /// assert!(journal.open_accounts(&[good.clone(), bad]).is_err());
    /// assert!(!journal.chart().contains(&good.0));
    /// journal.open_accounts(&[good.clone()])?;
    /// assert!(journal.chart().contains(&good.0));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn open_accounts(&mut self, accounts: &[(AccountCode, String, String)]) -> Result<()> {
        self.open_all(named(accounts))
    }

    /// Opens `accounts`, their names made already, all or nothing (see
    /// [`Journal::open_accounts`]).
    fn open_all<C: std::borrow::Borrow<AccountCode>>(
        &mut self,
        accounts: impl IntoIterator<Item = (C, Name, Name)>,
    ) -> Result<()> {
        let before = self.chart.len();
        for (code, name_zh, name_en) in accounts {
            if let Err(error) = self.open_named(code.borrow(), name_zh, name_en) {
                self.unopen_to(before);
                return Err(error);
            }
        }
        Ok(())
    }

    /// Opens `accounts` and posts `entries`, all or nothing (see [`Journal::open_and_post`]),
    /// saying what became of each entry only if `report`.
    fn open_all_and_post<C: std::borrow::Borrow<AccountCode>>(
        &mut self,
        accounts: impl IntoIterator<Item = (C, Name, Name)>,
        entries: Vec<Entry>,
        report: bool,
    ) -> Result<Vec<Posted>> {
        let before = self.chart.len();
        self.open_all(accounts)?;
        let posted = self.post_all(entries, report);
        if posted.is_err() {
            self.unopen_to(before);
        }
        posted
    }

    /// Opens `accounts` and posts `entries`, all or nothing: if an entry is refused, the
    /// accounts opened by this call are closed again.
    ///
    /// # Errors
    ///
    /// As [`Journal::open_accounts`] and [`Journal::post_batch`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// let crop = AccountCode::new("501.GRAPE")?;
    /// let bad = Entry::new("S1", date!(2019 - 08 - 01), "sale")
    ///     .debit(AccountCode::new("102")?, Yuan::from_fen(100))
    ///     .credit(crop.clone(), Yuan::from_fen(99));
    /// let accounts = [(crop.clone(), "经营收入—葡萄".to_string(), "operating revenue — grape".to_string())];
    /// assert!(journal.open_and_post(&accounts, vec![bad]).is_err());
    /// assert!(!journal.chart().contains(&crop));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn open_and_post(
        &mut self,
        accounts: &[(AccountCode, String, String)],
        entries: Vec<Entry>,
    ) -> Result<Vec<Posted>> {
        self.open_all_and_post(named(accounts), entries, true)
    }

    /// [`Journal::open_and_post`] of sub-accounts whose names are made already (a book's
    /// plans make them so, each pair in the one allocation the chart keeps): all or nothing,
    /// as there.
    pub(crate) fn open_named_and_post(
        &mut self,
        accounts: Vec<(AccountCode, Name, Name)>,
        entries: Vec<Entry>,
    ) -> Result<()> {
        self.open_all_and_post(accounts, entries, false).map(drop)
    }

    /// [`Journal::post_batch`] of a batch holding a reversal, whose checks read the entries
    /// before it, in the journal or earlier in the batch: the entries are posted one by one
    /// on a copy of the journal, kept only if every one is (a copy of the journal's size;
    /// the book never makes reversals, so its batches never come here).
    fn post_one_by_one(&mut self, entries: Vec<Entry>) -> Result<Vec<Posted>> {
        let mut copy = self.clone();
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        let mut posted = Vec::with_capacity(entries.len());
        for entry in entries {
            // An id twice in the batch is refused unless the journal held it before the
            // batch: then each copy is posted already (or differs), as in a batch without a
            // reversal.
            if !seen.insert(entry.id.clone()) && self.position(&entry.id).is_none() {
                return Err(LedgerError::IdConflict {
                    entry: entry.id.to_string(),
                    field: "id (twice in one batch)",
                }
                .into());
            }
            posted.push(copy.post(entry)?);
        }
        *self = copy;
        Ok(posted)
    }

    /// Closes the sub-accounts opened after the chart had `len` accounts (they have no
    /// postings: they were opened by the batch being undone).
    fn unopen_to(&mut self, len: usize) {
        while self.chart.len() > len {
            self.chart.unopen_last();
            self.series.pop();
        }
    }

    /// Posts several entries, all or nothing: every entry is checked against the journal
    /// before any is posted. Entries already in the journal with the same content are skipped
    /// and reported as [`Posted::AlreadyPosted`].
    ///
    /// The fastest way to post many entries. A batch of 4,096 entries or 8,192 postings or
    /// more, on a machine with more than one core, has its digests chained on a second
    /// (scoped) thread while the calling thread checks the entries and updates the balances;
    /// from 32,768 postings the second half of the batch (by postings) is checked on another.
    /// The result is the same journal, digest for digest, and the same first error, as
    /// posting the entries one by one. A batch holding a reversal is posted one by one (on a
    /// copy of the journal, kept only if every entry is): a reversal may reverse an entry
    /// earlier in the batch.
    ///
    /// # Errors
    ///
    /// As [`Journal::post`], for the first entry refused; [`LedgerError::IdConflict`] also
    /// when two entries of the batch share an id that is not in the journal yet (an entry
    /// already posted that the batch holds twice is [`Posted::AlreadyPosted`] twice).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// let ok = Entry::new("E1", date!(2019 - 02 - 01), "seedlings")
    ///     .debit(AccountCode::new("401")?, Yuan::from_fen(100))
    ///     .credit(AccountCode::new("101")?, Yuan::from_fen(100));
    /// let unbalanced = Entry::new("E2", date!(2019 - 02 - 01), "oops")
    ///     .debit(AccountCode::new("401")?, Yuan::from_fen(100))
    ///     .credit(AccountCode::new("101")?, Yuan::from_fen(99));
    /// assert!(journal.post_batch(vec![ok.clone(), unbalanced]).is_err());
    /// assert!(journal.is_empty());
    /// assert_eq!(journal.post_batch(vec![ok])?.len(), 1);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn post_batch(&mut self, entries: Vec<Entry>) -> Result<Vec<Posted>> {
        self.post_all(entries, true)
    }

    /// [`Journal::post_batch`], saying what became of each entry only if `report` (an empty
    /// list otherwise, for a caller that does not read it).
    fn post_all(&mut self, entries: Vec<Entry>, report: bool) -> Result<Vec<Posted>> {
        // Nothing to check, record or chain: most of a large book's events post nothing (a
        // parcel registered, a member's details), and each would otherwise set up a batch.
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        if entries.iter().any(|entry| entry.reverses.is_some()) {
            return self.post_one_by_one(entries);
        }
        // The digests are chained (the kept ones first, if they were not yet) when the caller
        // is told them or the journal keeps them already; otherwise they are left to be
        // chained when first read.
        let chaining = report || self.digests.get().is_some();
        let head = if chaining {
            self.digest()
        } else {
            Digest::ZERO
        };
        let stop = AtomicBool::new(false);
        let parallel = chaining
            && (entries.len() >= PARALLEL_CHAIN_MIN
                || postings_in(&entries) >= PARALLEL_CHAIN_MIN.saturating_mul(2))
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        // A large batch's digests are chained on a second thread from the start, on the
        // assumption that every entry is new and valid; the result is used only if so.
        let (plans, nodes, chained) = if parallel {
            std::thread::scope(|scope| {
                let chain = std::thread::Builder::new()
                    .name("landpool-chain".into())
                    .spawn_scoped(scope, || chain_all(head, &entries, &stop))
                    .ok();
                self.plan_and_record(&entries, &stop, chain)
            })?
        } else {
            self.plan_and_record(&entries, &stop, None)?
        };
        if let Some(digests) = chained {
            // Every entry is new and its digest known: whole lists move at once (and an
            // empty journal takes the batch's own list).
            let posted = if report {
                digests
                    .iter()
                    .map(|&digest| Posted::Recorded { digest })
                    .collect()
            } else {
                Vec::new()
            };
            for (entry, plan) in entries.into_iter().zip(&plans) {
                if let Some((_, first)) = plan {
                    self.store(entry, *first, &nodes);
                }
            }
            if let Some(kept) = self.digests.get_mut() {
                append_all(kept, digests);
            }
            self.keep_buffers(plans, nodes);
            return Ok(posted);
        }
        let mut previous = head;
        let mut posted = Vec::with_capacity(if report { entries.len() } else { 0 });
        for (entry, plan) in entries.into_iter().zip(&plans) {
            let Some((_, first)) = plan else {
                if report {
                    posted.push(Posted::AlreadyPosted);
                }
                continue;
            };
            if chaining {
                previous = entry_digest(previous, &entry, &mut self.scratch);
                if let Some(kept) = self.digests.get_mut() {
                    kept.push(previous);
                }
                if report {
                    posted.push(Posted::Recorded { digest: previous });
                }
            }
            self.store(entry, *first, &nodes);
        }
        self.keep_buffers(plans, nodes);
        Ok(posted)
    }

    /// Keeps `entry` of a batch whose postings' chart nodes are `nodes` from `first` on.
    fn store(&mut self, entry: Entry, first: usize, nodes: &[usize]) {
        let last = first.saturating_add(entry.postings.len());
        self.entries
            .push(entry, nodes.get(first..last).unwrap_or_default());
    }

    /// A small batch's lists of plans and chart nodes serve the next batch.
    fn keep_buffers(&mut self, plans: Vec<EntryPlan>, nodes: Vec<usize>) {
        if plans.capacity() <= PARALLEL_CHAIN_MIN {
            self.batch_buffers.plans = plans;
        }
        if nodes.capacity() <= KEPT_NODES_MAX {
            self.batch_buffers.nodes = nodes;
        }
    }

    /// The part of [`Journal::post_batch`] that runs while `chain` (if any) computes the
    /// batch's digests: plans the batch, updates the running balances and the reversals,
    /// and collects the chain if every entry is new. Sets `stop` when the chain will not
    /// be used. Returns each entry's plan, the chart nodes of the new entries' postings (from
    /// where each plan says) and the chained digests.
    fn plan_and_record(
        &mut self,
        entries: &[Entry],
        stop: &AtomicBool,
        chain: Option<ScopedJoinHandle<'_, Option<Vec<Digest>>>>,
    ) -> Result<Recorded> {
        let plans = match self.plan_batch(entries) {
            Ok(plans) => plans,
            Err(error) => {
                stop.store(true, Ordering::Relaxed);
                return Err(error);
            }
        };
        let all_new = plans.plans.iter().all(Option::is_some);
        if !all_new {
            stop.store(true, Ordering::Relaxed);
        }
        self.entries.reserve(plans.fresh);
        // Without a chain from the thread the digests are appended one by one.
        if !(all_new && chain.is_some()) {
            if let Some(kept) = self.digests.get_mut() {
                kept.reserve(plans.fresh);
            }
        }
        let mut position = self.entries.len();
        for (entry, plan) in entries.iter().zip(&plans.plans) {
            if let Some((amount, first)) = *plan {
                let last = first.saturating_add(entry.postings.len());
                let entry_nodes = plans.nodes.get(first..last).unwrap_or_default();
                self.record(entry, amount, entry_nodes, position);
                position = position.saturating_add(1);
            }
        }
        // A thread that cannot be joined (it cannot panic) leaves the chaining to the caller.
        let chained = chain
            .and_then(|thread| thread.join().ok())
            .flatten()
            .filter(|_| all_new);
        Ok((plans.plans, plans.nodes, chained))
    }

    /// Checks every entry of a batch against the journal and the batch itself, then enters
    /// the new entries' ids in the id index at the positions they will take. A refused batch
    /// enters none: the journal is as it was.
    fn plan_batch(&mut self, entries: &[Entry]) -> Result<BatchPlan> {
        let mut buffers = std::mem::take(&mut self.batch_buffers);
        let mut plan = BatchPlan {
            plans: std::mem::take(&mut buffers.plans),
            nodes: std::mem::take(&mut buffers.nodes),
            fresh: 0,
        };
        plan.plans.clear();
        plan.plans.reserve(entries.len());
        plan.nodes.clear();
        plan.nodes.reserve(entries.len().saturating_mul(2));
        self.index.reserve(entries.len());
        buffers.hashes.clear();
        buffers
            .hashes
            .extend(entries.iter().map(|e| self.index.hash(&e.id)));
        self.index
            .probe_order_into(&buffers.hashes, &mut buffers.order);
        let result = self.plan_in_probe_order(entries, &mut buffers, &mut plan);
        // A small batch's buffers serve the next one; a large batch's are let go.
        if entries.len() <= PARALLEL_CHAIN_MIN {
            self.batch_buffers = buffers;
        }
        result.map(|()| plan)
    }

    /// The work of [`Journal::plan_batch`]: the ids are looked up in the order of the
    /// table's buckets (`buffers.order`, from [`IdIndex::probe_order_into`], with each id's
    /// hash), which also puts ids that appear twice next to each other; the entries are
    /// checked in the batch's order; and the new ids go into the index, again in bucket
    /// order, only once every entry has passed. A refused batch leaves the index untouched.
    fn plan_in_probe_order(
        &mut self,
        entries: &[Entry],
        buffers: &mut BatchBuffers,
        plan: &mut BatchPlan,
    ) -> Result<()> {
        let base = self.entries.len();
        let journal: &Journal = self;
        let postings = postings_in(entries);
        let parallel = entries.len() >= 2
            && postings >= PARALLEL_CHECK_MIN.saturating_mul(2)
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        if parallel {
            let stop = AtomicBool::new(false);
            std::thread::scope(|scope| {
                // The second half of a large batch (by postings) is checked on a second
                // thread meanwhile.
                let split = half_of_postings(entries, postings);
                let helper = std::thread::Builder::new()
                    .name("landpool-check".into())
                    .spawn_scoped(scope, {
                        let stop = &stop;
                        move || journal.check_from(entries, split, stop)
                    })
                    .ok();
                let helper = Helper {
                    split,
                    thread: helper,
                    checked: None,
                };
                let result = journal.plan_entries(entries, buffers, plan, helper);
                if result.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
                result
            })?;
        } else {
            // No scope for no thread (a scope is an allocation, an event's worth of them).
            let alone = Helper {
                split: entries.len(),
                thread: None,
                checked: None,
            };
            journal.plan_entries(entries, buffers, plan, alone)?;
        }
        let all_new = plan.fresh == entries.len();
        let BatchBuffers { order, found, .. } = buffers;
        for &(_, i, hash) in order.iter() {
            // When every entry is new, each takes the position after the journal's end given
            // by its place in the batch, and `found` need not be read at random.
            let position = if all_new {
                Some(base.saturating_add(i))
            } else {
                match found.get(i) {
                    Some(Found::New(position)) => Some(*position),
                    _ => None,
                }
            };
            if let (Some(position), Some(entry)) = (position, entries.get(i)) {
                self.index.insert(&entry.id, Some(hash), position);
            }
        }
        Ok(())
    }

    /// The reading part of [`Journal::plan_in_probe_order`]: looks the ids up and checks
    /// every entry, filling `found` and `plan`. `helper` has the checks of the batch from its
    /// `split` on, if a second thread made them.
    fn plan_entries(
        &self,
        entries: &[Entry],
        buffers: &mut BatchBuffers,
        plan: &mut BatchPlan,
        mut helper: Helper<'_>,
    ) -> Result<()> {
        let base = self.entries.len();
        let BatchBuffers {
            hashes: _,
            order,
            found,
            run,
            entry_nodes,
            plans: _,
            nodes: _,
        } = buffers;
        found.clear();
        found.resize(entries.len(), Found::New(0));
        // Entries of the current run of equal bucket keys whose ids are new: (index, hash).
        run.clear();
        let mut run_key = None;
        let existing = &self.entries;
        for &(key, i, hash) in order.iter() {
            let Some(entry) = entries.get(i) else {
                continue;
            };
            if run_key != Some(key) {
                run.clear();
                run_key = Some(key);
            }
            let is_at = |p: usize| existing.id_at(p) == Some(&entry.id);
            let result = if let Some(p) = self.index.find(&entry.id, Some(hash), is_at) {
                Found::Posted(p)
            } else if run.iter().any(|&(j, h)| {
                h == hash && entries.get(j).is_some_and(|other| other.id == entry.id)
            }) {
                // The run keeps the batch's order: the earlier entry is already in it.
                Found::Twice
            } else {
                run.push((i, hash));
                // Where `found` says so already: most ids of a batch are new, and leaving
                // their slots alone saves a write to a random place in it per entry.
                continue;
            };
            if let Some(slot) = found.get_mut(i) {
                *slot = result;
            }
        }
        let mut recent = RecentAccounts::default();
        let mut total = self.total.total().debits;
        for (i, entry) in entries.iter().enumerate() {
            match found.get(i).copied() {
                Some(Found::Posted(p)) => {
                    match self
                        .entries()
                        .get(p)
                        .and_then(|e| first_difference(e, entry))
                    {
                        None => {
                            plan.plans.push(None);
                            continue;
                        }
                        Some(field) => {
                            return Err(LedgerError::IdConflict {
                                entry: entry.id.to_string(),
                                field,
                            }
                            .into())
                        }
                    }
                }
                Some(Found::Twice) | None => {
                    return Err(LedgerError::IdConflict {
                        entry: entry.id.to_string(),
                        field: "id (twice in one batch)",
                    }
                    .into())
                }
                Some(Found::New(_)) => {}
            }
            let amount = match helper.take(i, entry_nodes) {
                Some(checked) => checked?,
                None => self.check(entry, entry_nodes, &mut recent)?,
            };
            total = total
                .checked_add(amount.fen())
                .ok_or_else(|| LedgerError::AmountOverflow {
                    entry: entry.id.to_string(),
                    what: "the journal's total debits",
                })?;
            if let Some(slot) = found.get_mut(i) {
                *slot = Found::New(base.saturating_add(plan.fresh));
            }
            plan.fresh = plan.fresh.saturating_add(1);
            plan.plans.push(Some((amount, plan.nodes.len())));
            // One at a time: a copy of a slice this short is a call to memcpy otherwise.
            for &node in entry_nodes.iter() {
                plan.nodes.push(node);
            }
        }
        Ok(())
    }

    /// [`Journal::check`] of each entry of `entries` from `start` on, in order, up to the
    /// first error or until `stop` is set.
    fn check_from(&self, entries: &[Entry], start: usize, stop: &AtomicBool) -> Checked {
        let rest = entries.get(start..).unwrap_or_default();
        let mut checked = Checked {
            amounts: Vec::with_capacity(rest.len()),
            ends: Vec::with_capacity(rest.len()),
            nodes: Vec::with_capacity(rest.len().saturating_mul(2)),
            error: None,
        };
        let mut recent = RecentAccounts::default();
        let mut entry_nodes = Vec::new();
        for (k, entry) in rest.iter().enumerate() {
            if k % 1024 == 0 && stop.load(Ordering::Relaxed) {
                break;
            }
            match self.check(entry, &mut entry_nodes, &mut recent) {
                Ok(amount) => {
                    checked.amounts.push(amount);
                    checked.nodes.extend_from_slice(&entry_nodes);
                    checked.ends.push(checked.nodes.len());
                }
                Err(error) => {
                    checked.error = Some(error);
                    break;
                }
            }
        }
        checked
    }
}

/// What the checks of a batch remember of the accounts they found.
///
/// The account (a leaf of the chart) and chart node of each of the first postings of the
/// entry checked last: entries in a batch often post to the same accounts in the same
/// places (an accrual's 401 first; a member's account for each of its contracts).
///
/// And, for each side, the chart nodes of the last postings found by look-up: a timesheet
/// credits its workers in the order of the register, whose accounts were opened in that
/// order when they joined, so the next credit's account is often as many nodes after this
/// one as this one was after the last (the same for the greenhouses' cost accounts on the
/// debit side). When each worker's records name several greenhouses in turn, the cost
/// accounts come in interleaved runs instead (a worker at the 1st, 1,145th and 2,289th, the
/// next at the 2nd, 1,146th and 2,290th, …): the next is then a step on from the one
/// `period` postings back. Each side keeps the period that last foretold its node (1 to
/// [`MAX_PERIOD`]). The node there is tried first (a comparison of codes, the nodes read at
/// a steady stride) and the hash look-up made only when it is another account.
#[derive(Debug, Default)]
struct RecentAccounts<'e> {
    postings: [Option<(&'e AccountCode, usize)>; 4],
    /// Debit side, credit side.
    strides: [Stride; 2],
}

/// The longest period of interleaved runs a side's guess follows.
const MAX_PERIOD: usize = 4;

/// The nodes found last on one side, and the period of the runs they follow.
#[derive(Debug, Default, Clone, Copy)]
struct Stride {
    /// The last `2 × MAX_PERIOD` nodes found, the latest first; `found` of them are set.
    nodes: [usize; 2 * MAX_PERIOD],
    found: usize,
    /// The period that foretold the last node, less one (0 for a steady stride).
    period: usize,
}

impl Stride {
    /// The node the runs of `period` (from 1) foretell next: the one `period` nodes back, as
    /// far on from it as it was from the one `period` nodes before it.
    fn foretold(&self, period: usize) -> Option<usize> {
        if self.found < period.checked_mul(2)? {
            return None;
        }
        let back = *self.nodes.get(period.checked_sub(1)?)?;
        let before = *self.nodes.get(period.checked_mul(2)?.checked_sub(1)?)?;
        let (back, before) = (isize::try_from(back).ok()?, isize::try_from(before).ok()?);
        let next = back.checked_add(back.checked_sub(before)?)?;
        usize::try_from(next).ok()
    }
}

impl<'e> RecentAccounts<'e> {
    /// The node of `account` if the last entry had it at `posting`.
    fn get(&self, posting: usize, account: &AccountCode) -> Option<usize> {
        match self.postings.get(posting) {
            Some(Some((recent, node))) if *recent == account => Some(*node),
            _ => None,
        }
    }

    fn set(&mut self, posting: usize, account: &'e AccountCode, node: usize) {
        if let Some(slot) = self.postings.get_mut(posting) {
            *slot = Some((account, node));
        }
    }

    /// The place of `side`'s stride in `strides`.
    fn side(side: Side) -> usize {
        match side {
            Side::Debit => 0,
            Side::Credit => 1,
        }
    }

    /// The node a posting on `side` may be at: a step on in the runs of the side's period.
    fn guess(&self, side: Side) -> Option<usize> {
        let stride = self.strides.get(Self::side(side))?;
        stride.foretold(stride.period.saturating_add(1))
    }

    /// Records that a posting on `side` was found at `node`, and the shortest period that
    /// would have foretold it (the side's period stays as it was when none would have).
    fn found(&mut self, side: Side, node: usize) {
        let Some(stride) = self.strides.get_mut(Self::side(side)) else {
            return;
        };
        if stride.foretold(stride.period.saturating_add(1)) != Some(node) {
            if let Some(period) =
                (1..=MAX_PERIOD).find(|&period| stride.foretold(period) == Some(node))
            {
                stride.period = period.saturating_sub(1);
            }
        }
        stride.nodes.rotate_right(1);
        if let Some(latest) = stride.nodes.first_mut() {
            *latest = node;
        }
        stride.found = stride.found.saturating_add(1).min(stride.nodes.len());
    }
}

/// The checks of the last part of a batch, made on a second thread
/// ([`Journal::check_from`]): the total and chart nodes of each entry up to the first error,
/// and that error.
struct Checked {
    amounts: Vec<Yuan>,
    /// Where each entry's nodes end in `nodes`.
    ends: Vec<usize>,
    nodes: Vec<usize>,
    error: Option<crate::Error>,
}

/// The second thread checking a batch from `split` on, if any, and what it found once
/// joined.
struct Helper<'scope> {
    split: usize,
    thread: Option<ScopedJoinHandle<'scope, Checked>>,
    checked: Option<Checked>,
}

impl Helper<'_> {
    /// The check of entry `i` if the second thread made it: its total, with its nodes in
    /// `nodes`, or its error. `None` for entries before the split, after the thread's first
    /// error, or when there is no thread (the caller checks those itself).
    fn take(&mut self, i: usize, nodes: &mut Vec<usize>) -> Option<Result<Yuan>> {
        let k = i.checked_sub(self.split)?;
        if let Some(thread) = self.thread.take() {
            // A thread that cannot be joined (it cannot panic) leaves the checks to the
            // caller.
            self.checked = thread.join().ok();
        }
        let checked = self.checked.as_mut()?;
        if let Some(&amount) = checked.amounts.get(k) {
            let from = k
                .checked_sub(1)
                .and_then(|p| checked.ends.get(p))
                .copied()
                .unwrap_or(0);
            let to = checked.ends.get(k).copied().unwrap_or(from);
            nodes.clear();
            nodes.extend_from_slice(checked.nodes.get(from..to).unwrap_or_default());
            return Some(Ok(amount));
        }
        if k == checked.amounts.len() {
            return checked.error.take().map(Err);
        }
        None
    }
}

/// What the id lookup of [`Journal::plan_batch`] found for an entry of the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// A new id; after the checks, the position it takes.
    New(usize),
    /// The id of the journal's entry at this position.
    Posted(usize),
    /// The id of an earlier entry of the batch.
    Twice,
}

/// Working lists of [`Journal::plan_batch`], kept between small batches so that a book
/// applying one small event after another does not allocate them each time.
#[derive(Debug, Clone, Default)]
struct BatchBuffers {
    /// Per entry, the hash of its id.
    hashes: Vec<u64>,
    /// The entries in the order of the id index's buckets: (bucket key, index, hash).
    order: Vec<(u64, usize, u64)>,
    /// Per entry, what the lookup found.
    found: Vec<Found>,
    /// Entries of one run of equal bucket keys: (index, hash).
    run: Vec<(usize, u64)>,
    /// The chart nodes of one entry's postings, as checked.
    entry_nodes: Vec<usize>,
    /// [`BatchPlan::plans`] and [`BatchPlan::nodes`] of the last small batch, for the next.
    plans: Vec<EntryPlan>,
    nodes: Vec<usize>,
}

/// The most chart nodes of a batch whose list serves the next batch (a timesheet's entries
/// have hundreds of thousands; their list is let go).
const KEPT_NODES_MAX: usize = 4 * PARALLEL_CHAIN_MIN;

/// An entry of a batch as planned: its total and where its postings' chart nodes start in
/// [`BatchPlan::nodes`]; `None` for an entry already posted.
type EntryPlan = Option<(Yuan, usize)>;

/// What [`Journal::plan_batch`] found: per entry, its total and where its postings' chart
/// nodes start in `nodes` (`None` for an entry already posted); how many entries are new.
struct BatchPlan {
    plans: Vec<EntryPlan>,
    nodes: Vec<usize>,
    fresh: usize,
}

/// Refuses a year outside the ones the journal keeps ([`MIN_YEAR`]..=[`MAX_YEAR`]).
pub(crate) fn check_year(year: i32) -> Result<()> {
    if super::keeps_year(year) {
        Ok(())
    } else {
        Err(LedgerError::YearOutOfRange {
            year,
            min_year: MIN_YEAR,
            max_year: MAX_YEAR,
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::TrialLine;
    use time::macros::date;

    fn code(text: &str) -> AccountCode {
        AccountCode::new(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn accounts_opened_with_made_names_are_all_or_nothing_with_their_entries() {
        let mut j = journal();
        let before = j.clone();
        let named = |c: &str, zh: &str, en: &str| {
            let (zh, en) = Name::pair(zh, en);
            (code(c), zh, en)
        };
        let crop = || named("501.GRAPE", "经营收入—葡萄", "operating revenue — grape");
        let sale = |fen| {
            Entry::new("S1", date!(2019 - 02 - 01), "sale")
                .debit(code("102"), Yuan::from_fen(100))
                .credit(code("501.GRAPE"), Yuan::from_fen(fen))
        };
        // An unbalanced entry: neither the account nor the entry stays.
        let refused = j.open_named_and_post(vec![crop()], vec![sale(99)]);
        assert!(matches!(
            refused,
            Err(crate::Error::Ledger(LedgerError::Unbalanced { .. }))
        ));
        assert_eq!(j, before);
        assert!(!j.chart().contains(&code("501.GRAPE")));
        // A second account refused (its name conflicts with the first's): neither is open.
        let conflict = named("501.GRAPE", "经营收入—苹果", "operating revenue — apple");
        assert!(j
            .open_named_and_post(vec![crop(), conflict], Vec::new())
            .is_err());
        assert_eq!(j, before);
        // Accepted: opened with the names as made, the same as opening them as text.
        j.open_named_and_post(vec![crop()], vec![sale(100)])
            .unwrap_or_else(|e| panic!("{e}"));
        let mut as_text = before.clone();
        as_text
            .open_and_post(
                &[(
                    code("501.GRAPE"),
                    "经营收入—葡萄".to_string(),
                    "operating revenue — grape".to_string(),
                )],
                vec![sale(100)],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(j, as_text);
        assert_eq!(
            j.chart()
                .get(&code("501.GRAPE"))
                .map(|a| a.name_en.as_str()),
            Some("operating revenue — grape")
        );
    }

    /// The balance read by a leaf's chart node is the balance read by its code, on every
    /// day around its postings; a node the chart does not have reads as `None`.
    #[test]
    fn a_balance_read_by_node_is_the_balance_read_by_code() {
        let mut j = journal();
        for (id, day, member, fen) in [
            ("M1", date!(2019 - 03 - 01), "114.A", 500_i64),
            ("M2", date!(2019 - 03 - 02), "114.B", -700),
            ("M3", date!(2019 - 06 - 30), "114.A", -900),
        ] {
            j.open_account(code(member), "成员往来—甲", "member current — A")
                .unwrap_or_else(|e| panic!("{e}"));
            let (debit, credit) = if fen > 0 {
                (code(member), code("102"))
            } else {
                (code("102"), code(member))
            };
            let amount = Yuan::from_fen(fen.abs());
            j.post(
                Entry::new(id, day, "往来")
                    .debit(debit, amount)
                    .credit(credit, amount),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let leaves: Vec<(usize, String)> = j
            .chart()
            .leaf_nodes_within(&code("114"))
            .map(|(node, account)| (node, account.code.as_str().to_string()))
            .collect();
        assert_eq!(leaves.len(), 2);
        for day in [
            date!(2019 - 02 - 28),
            date!(2019 - 03 - 01),
            date!(2019 - 03 - 02),
            date!(2019 - 06 - 29),
            date!(2019 - 06 - 30),
        ] {
            for (node, text) in &leaves {
                assert_eq!(
                    j.balance_at_node(*node, day),
                    j.balance(&code(text), day).ok(),
                    "{text} {day}"
                );
            }
        }
        let first = leaves.first().map(|(node, _)| *node);
        assert_eq!(
            first.and_then(|node| j.balance_at_node(node, date!(2019 - 06 - 30))),
            Some(Yuan::from_fen(-400))
        );
        assert_eq!(
            j.balance_at_node(j.chart().len(), date!(2019 - 06 - 30)),
            None
        );
    }

    #[test]
    fn an_empty_batch_posts_nothing_and_the_next_batch_posts_as_before() {
        let mut j = journal();
        let before = j.clone();
        let head = j.digest();
        assert_eq!(j.post_batch(Vec::new()).ok(), Some(Vec::new()));
        // Accounts opened with no entries: opened, and nothing posted.
        let (zh, en) = Name::pair("经营收入—葡萄", "operating revenue — grape");
        j.open_named_and_post(vec![(code("501.GRAPE"), zh, en)], Vec::new())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(j.chart().contains(&code("501.GRAPE")));
        assert_eq!(
            (j.digest(), j.entries().len()),
            (head, before.entries().len())
        );
        // The batch after posts and chains as on the journal that never saw the empty one.
        let sale = Entry::new("S1", date!(2019 - 02 - 01), "sale")
            .debit(code("102"), Yuan::from_fen(100))
            .credit(code("501.GRAPE"), Yuan::from_fen(100));
        let mut direct = before.clone();
        direct
            .open_and_post(
                &[(
                    code("501.GRAPE"),
                    "经营收入—葡萄".to_string(),
                    "operating revenue — grape".to_string(),
                )],
                Vec::new(),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let posted = j.post_batch(vec![sale.clone()]);
        let expected = direct.post_batch(vec![sale]);
        assert_eq!(posted.ok(), expected.ok());
        assert_ne!(j.digest(), head);
        assert_eq!(j, direct);
    }

    fn journal() -> Journal {
        let mut j = Journal::new();
        for (i, memo) in ["a", "b", "c"].iter().enumerate() {
            let entry = Entry::new(format!("E{i}"), date!(2019 - 01 - 01), *memo)
                .debit(
                    AccountCode::new("101").unwrap_or_else(|e| panic!("{e}")),
                    Yuan::from_fen(100),
                )
                .credit(
                    AccountCode::new("102").unwrap_or_else(|e| panic!("{e}")),
                    Yuan::from_fen(100),
                );
            j.post(entry).unwrap_or_else(|e| panic!("{e}"));
        }
        j
    }

    /// `n` valid entries over a few accounts and dates, the last reversing `journal()`'s E1.
    fn batch(n: usize) -> Vec<Entry> {
        let accounts = [code("101"), code("102"), code("401"), code("523")];
        let mut entries: Vec<Entry> = (0..n)
            .map(|i| {
                let day = date!(2019 - 01 - 01)
                    .checked_add(time::Duration::days((i % 300) as i64))
                    .unwrap_or_else(|| panic!("date"));
                let amount = Yuan::from_fen(1 + (i as i64 * 7919) % 100_000);
                Entry::new(format!("B{i}"), day, format!("entry {i}"))
                    .debit(accounts[i % 4].clone(), amount)
                    .credit(accounts[(i + 1) % 4].clone(), amount)
            })
            .collect();
        // A reversal of an entry of `journal()`.
        let original = journal()
            .entries()
            .get(1)
            .map(|e| e.to_entry())
            .unwrap_or_else(|| panic!("no entry 1"));
        if let Some(last) = entries.last_mut() {
            let mut reversal = Entry::new("B-R", date!(2019 - 12 - 31), "reverses E1");
            reversal.reverses = Some(original.id.clone());
            reversal.postings = original.postings.clone();
            for posting in &mut reversal.postings {
                posting.side = posting.side.opposite();
            }
            *last = reversal;
        }
        entries
    }

    /// Everything a reader of the journal can see: entries, digests, head, balances.
    type Seen = (Vec<Entry>, Vec<Digest>, Digest, Vec<(AccountCode, Yuan)>);

    /// What a reader of `j` can see, to compare two journals.
    fn seen(j: &Journal) -> Seen {
        let balances = ["101", "102", "401", "523"]
            .iter()
            .map(|c| {
                let code = AccountCode::new(c).unwrap_or_else(|e| panic!("{e}"));
                let balance = j.closing_balance(&code).unwrap_or_else(|e| panic!("{e}"));
                (code, balance)
            })
            .collect();
        (
            j.entries().to_vec(),
            j.digests().to_vec(),
            j.digest(),
            balances,
        )
    }

    #[test]
    fn a_large_batch_chains_as_entries_posted_one_by_one() {
        let entries = batch(PARALLEL_CHAIN_MIN + 500);
        let mut one_by_one = journal();
        for entry in entries.clone() {
            one_by_one.post(entry).unwrap_or_else(|e| panic!("{e}"));
        }
        let mut batched = journal();
        let posted = batched
            .post_batch(entries.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(seen(&batched), seen(&one_by_one));
        assert_eq!(posted.len(), entries.len());
        assert_eq!(
            posted.last(),
            Some(&Posted::Recorded {
                digest: one_by_one.digest()
            })
        );
        assert_eq!(
            batched.reversed_by(&EntryId::from("E1")),
            Some(&EntryId::from("B-R"))
        );
        assert_eq!(batched.verify(), Ok(()));
        // Again, with entries already posted among new ones.
        let mut more = batch(2 * PARALLEL_CHAIN_MIN);
        more.truncate(2 * PARALLEL_CHAIN_MIN - 1);
        let mut again = batched.clone();
        let posted = again
            .post_batch(more.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        for entry in more.iter().skip(PARALLEL_CHAIN_MIN + 499) {
            one_by_one
                .post(entry.clone())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(seen(&again), seen(&one_by_one));
        assert_eq!(posted.first(), Some(&Posted::AlreadyPosted));
        assert_eq!(
            posted
                .iter()
                .filter(|p| **p == Posted::AlreadyPosted)
                .count(),
            PARALLEL_CHAIN_MIN + 499
        );
        assert_eq!(again.verify(), Ok(()));
    }

    #[test]
    fn a_large_batch_refused_at_its_end_changes_nothing() {
        let mut entries = batch(PARALLEL_CHAIN_MIN + 10);
        if let Some(last) = entries.last_mut() {
            last.postings[0].amount = Yuan::from_fen(1);
            last.postings[1].amount = Yuan::from_fen(2);
        }
        let mut j = journal();
        let before = seen(&j);
        assert!(matches!(
            j.post_batch(entries),
            Err(crate::Error::Ledger(LedgerError::Unbalanced { .. }))
        ));
        assert_eq!(seen(&j), before);
        assert_eq!((j.len(), j.index.len()), (3, 3));
        // The refused batch entered no ids in the index: the valid entries post.
        let mut valid = batch(PARALLEL_CHAIN_MIN + 10);
        valid.pop();
        let count = valid.len();
        j.post_batch(valid.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(j.len(), 3 + count);
        for (i, entry) in valid.iter().enumerate() {
            assert_eq!(j.get(&entry.id).map(|e| e.to_entry()).as_ref(), Some(entry));
            assert_eq!(j.position(&entry.id), Some(3 + i));
        }
    }

    /// A large batch (whose accounts are remembered from entry to entry) refuses the first
    /// entry, in the batch's order, posting to an unknown or a parent account, with the posting
    /// named, and books members' accounts exactly.
    #[test]
    fn a_large_batch_names_its_first_bad_account() {
        let mut j = journal();
        for member in ["M001", "M002"] {
            j.open_account(code(&format!("114.{member}")), member, member)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let mut entries = batch(PARALLEL_CHAIN_MIN + 10);
        for (i, entry) in entries.iter_mut().enumerate().take(PARALLEL_CHAIN_MIN) {
            entry.postings[1].account = code(if i % 2 == 0 { "114.M001" } else { "114.M002" });
        }
        let before = seen(&j);
        // The batch with the account of posting `p` of entry `i` changed, for each change.
        let changed = |changes: &[(usize, usize, &str)]| {
            let mut changed = entries.clone();
            for &(i, p, account) in changes {
                changed[i].postings[p].account = code(account);
            }
            changed
        };
        assert!(matches!(
            j.post_batch(changed(&[(4000, 1, "114"), (4005, 0, "114.M003")])),
            Err(crate::Error::Ledger(LedgerError::PostingToParentAccount { entry, posting: 1, account }))
                if entry == "B4000" && account == "114"
        ));
        assert!(matches!(
            j.post_batch(changed(&[(4005, 0, "114.M003"), (4006, 1, "114")])),
            Err(crate::Error::Ledger(LedgerError::PostingToUnknownAccount { entry, posting: 0, account }))
                if entry == "B4005" && account == "114.M003"
        ));
        assert_eq!(seen(&j), before);
        j.post_batch(entries).unwrap_or_else(|e| panic!("{e}"));
        let owed = |m: &str| {
            j.closing_balance(&code(m))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let credits = |parity: usize| {
            (0..PARALLEL_CHAIN_MIN)
                .filter(|i| i % 2 == parity)
                .map(|i| 1 + (i as i64 * 7919) % 100_000)
                .sum::<i64>()
        };
        // 114 is an asset account: credits make its balance negative.
        assert_eq!(owed("114.M001"), Yuan::from_fen(-credits(0)));
        assert_eq!(owed("114.M002"), Yuan::from_fen(-credits(1)));
    }

    /// An entry's amounts reach every account above theirs once each, however many
    /// different parents its postings have and in whatever order they come.
    #[test]
    fn parents_sum_their_sub_accounts_in_any_order() {
        let mut j = Journal::new();
        // Twelve parents under 501 (more than are searched), two sub-accounts each.
        let groups: Vec<String> = (0..12).map(|g| format!("501.G{g:02}")).collect();
        for group in &groups {
            j.open_account(code(group), "n", "n")
                .unwrap_or_else(|e| panic!("{e}"));
            for sub in ["A", "B"] {
                j.open_account(code(&format!("{group}.{sub}")), "n", "n")
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        // Credits to the groups' sub-accounts in a scattered order, one debit to 102.
        let mut entry = Entry::new("S1", date!(2019 - 05 - 31), "sales");
        let mut total = 0_i64;
        for k in 0..60_i64 {
            let group = &groups[(k * 7 % 12) as usize];
            let sub = if k % 3 == 0 { "A" } else { "B" };
            let fen = 100 + k;
            total += fen;
            entry = entry.credit(code(&format!("{group}.{sub}")), Yuan::from_fen(fen));
        }
        entry = entry.debit(code("102"), Yuan::from_fen(total));
        let credits = entry.postings.clone();
        j.post_batch(vec![entry]).unwrap_or_else(|e| panic!("{e}"));
        let balance = |c: &str| {
            j.closing_balance(&code(c))
                .unwrap_or_else(|e| panic!("{e}"))
                .fen()
        };
        let posted = |prefix: &str| -> i64 {
            credits
                .iter()
                .filter(|p| p.side == Side::Credit && p.account.is_within(&code(prefix)))
                .map(|p| p.amount.fen())
                .sum()
        };
        for group in &groups {
            // Income accounts: credits make their balance negative.
            assert_eq!(balance(group), -posted(group), "{group}");
            for sub in ["A", "B"] {
                let sub = format!("{group}.{sub}");
                assert_eq!(balance(&sub), -posted(&sub), "{sub}");
            }
        }
        assert_eq!(balance("501"), -total);
        assert_eq!(balance("102"), total);
        let movement = j
            .trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(movement.totals.debits.fen(), total);
        assert_eq!(movement.totals.credits.fen(), total);
    }

    #[test]
    fn strides_guess_a_step_on_from_the_last_two_found() {
        let mut recent = RecentAccounts::default();
        assert_eq!(recent.guess(Side::Credit), None);
        recent.found(Side::Credit, 60);
        assert_eq!(recent.guess(Side::Credit), None);
        recent.found(Side::Credit, 66);
        assert_eq!(recent.guess(Side::Credit), Some(72));
        // Each side keeps its own.
        assert_eq!(recent.guess(Side::Debit), None);
        recent.found(Side::Debit, 9);
        recent.found(Side::Debit, 8);
        assert_eq!(recent.guess(Side::Debit), Some(7));
        assert_eq!(recent.guess(Side::Credit), Some(72));
        // A step back past the first node guesses nothing.
        recent.found(Side::Credit, 40);
        recent.found(Side::Credit, 2);
        assert_eq!(recent.guess(Side::Credit), None);
    }

    #[test]
    fn strides_follow_interleaved_runs_once_a_period_foretold_a_node() {
        let mut recent = RecentAccounts::default();
        // Two runs in turn (a worker at two greenhouses, the next worker at the next two).
        for node in [100, 500, 101, 501] {
            recent.found(Side::Debit, node);
        }
        // A steady stride is tried until a period of two would have foretold a node.
        assert_eq!(recent.guess(Side::Debit), Some(901));
        recent.found(Side::Debit, 102);
        assert_eq!(recent.guess(Side::Debit), Some(502));
        recent.found(Side::Debit, 502);
        assert_eq!(recent.guess(Side::Debit), Some(103));
        // Three runs in turn, on the other side.
        for node in [10, 57, 93, 11, 58, 94, 12] {
            recent.found(Side::Credit, node);
        }
        assert_eq!(recent.guess(Side::Credit), Some(59));
        recent.found(Side::Credit, 59);
        assert_eq!(recent.guess(Side::Credit), Some(95));
        // Back to a steady stride: guessed again once it would have foretold a node.
        for node in [200, 201] {
            recent.found(Side::Credit, node);
        }
        assert_eq!(recent.guess(Side::Credit), Some(60));
        recent.found(Side::Credit, 202);
        assert_eq!(recent.guess(Side::Credit), Some(203));
        // A node no period foretells leaves the period as it was.
        recent.found(Side::Credit, 7);
        recent.found(Side::Credit, 8);
        assert_eq!(recent.guess(Side::Credit), Some(9));
        assert_eq!(recent.guess(Side::Debit), Some(103));
    }

    /// Postings found at a steady stride are guessed; a guess that lands on another account
    /// (or past the chart) is only a guess: each posting still goes to its own account, and
    /// an unknown account or a parent is refused as before.
    #[test]
    fn a_wrong_guess_finds_the_account_by_its_code() {
        let mut j = Journal::new();
        let members: Vec<String> = (0..20).map(|m| format!("114.M{m:02}")).collect();
        for member in &members {
            j.open_account(code(member), member, member)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        // Credits to M00, M02, M04 (a stride of two), then M05 (M06 guessed), M07 (M06
        // guessed again), M19 (M09 guessed), then M17 (guessed past the chart's end).
        let credited = [0_usize, 2, 4, 5, 7, 19, 17];
        let mut entry = Entry::new("W1", date!(2019 - 05 - 31), "wages");
        for (k, &m) in credited.iter().enumerate() {
            entry = entry
                .debit(code("101"), Yuan::from_fen(100 * (k as i64 + 1)))
                .credit(code(&members[m]), Yuan::from_fen(100 * (k as i64 + 1)));
        }
        j.post_batch(vec![entry]).unwrap_or_else(|e| panic!("{e}"));
        for (m, member) in members.iter().enumerate() {
            let expected = credited
                .iter()
                .position(|&c| c == m)
                .map_or(0, |k| -100 * (k as i64 + 1));
            assert_eq!(
                j.closing_balance(&code(member))
                    .unwrap_or_else(|e| panic!("{e}")),
                Yuan::from_fen(expected),
                "{member}"
            );
        }
        // The same stride then an unknown account, and then the parent, where M06 is guessed.
        for (account, unknown) in [("114.M99", true), ("114", false)] {
            let before = j.clone();
            let mut bad = Entry::new("W2", date!(2019 - 06 - 30), "wages");
            for m in ["114.M00", "114.M02", "114.M04", account] {
                bad = bad
                    .debit(code("101"), Yuan::from_fen(1))
                    .credit(code(m), Yuan::from_fen(1));
            }
            let result = j.post_batch(vec![bad]);
            let posting = 7;
            match result {
                Err(crate::Error::Ledger(LedgerError::PostingToUnknownAccount {
                    posting: p,
                    account: a,
                    ..
                })) if unknown => assert_eq!((p, a.as_str()), (posting, account)),
                Err(crate::Error::Ledger(LedgerError::PostingToParentAccount {
                    posting: p,
                    account: a,
                    ..
                })) if !unknown => assert_eq!((p, a.as_str()), (posting, account)),
                other => panic!("{account}: {other:?}"),
            }
            assert_eq!(j, before);
        }
    }

    /// A few entries of many postings (a timesheet's vouchers) count by their postings: the
    /// batch is split where half its postings are, its digests are chained and its second
    /// half checked on second threads, and the journal is the one posting them one by one
    /// makes; a bad posting in the second half is named as one checked in order would be.
    #[test]
    fn a_batch_of_few_large_entries_is_split_by_postings() {
        let large = |i: usize, postings: usize| {
            let mut entry = Entry::new(format!("V{i}"), date!(2019 - 05 - 31), "vouchers");
            for p in 0..postings / 2 {
                let amount = Yuan::from_fen(1 + ((i * 1000 + p) as i64 * 7919) % 10_000);
                entry = entry
                    .debit(code(["401", "523"][p % 2]), amount)
                    .credit(code(["101", "102"][p % 2]), amount);
            }
            entry
        };
        let sizes =
            |entries: &[Entry]| entries.iter().map(|e| e.postings.len()).collect::<Vec<_>>();
        let uneven = vec![large(0, 2), large(1, 1000), large(2, 2), large(3, 2)];
        assert_eq!(sizes(&uneven), [2, 1000, 2, 2]);
        assert_eq!(half_of_postings(&uneven, postings_in(&uneven)), 2);
        let two = vec![large(0, 1000), large(1, 1000)];
        assert_eq!(half_of_postings(&two, postings_in(&two)), 1);
        let one = vec![large(0, 1000)];
        assert_eq!(half_of_postings(&one, postings_in(&one)), 1);

        // 40 entries of 1,000 postings: 40,000 postings, past both thresholds.
        let entries: Vec<Entry> = (0..40).map(|i| large(i, 1000)).collect();
        assert!(entries.len() < PARALLEL_CHAIN_MIN);
        assert!(postings_in(&entries) >= 2 * PARALLEL_CHECK_MIN);
        let mut batched = journal();
        batched
            .post_batch(entries.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut one_by_one = journal();
        for entry in entries.clone() {
            one_by_one.post(entry).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(batched.digest(), one_by_one.digest());
        assert_eq!(batched.digests(), one_by_one.digests());
        assert_eq!(seen(&batched), seen(&one_by_one));
        // A posting to an account not in the chart in entry 30 (second half) and entry 35:
        // 30's is named.
        let mut bad = entries;
        bad[35].postings[7].account = code("999");
        bad[30].postings[3].account = code("999");
        let mut j = journal();
        let before = seen(&j);
        let error = j.post_batch(bad).err();
        assert!(
            matches!(
                &error,
                Some(crate::Error::Ledger(LedgerError::PostingToUnknownAccount { entry, posting: 3, .. }))
                    if entry == "V30"
            ),
            "{error:?}"
        );
        assert_eq!(seen(&j), before);
    }

    /// A batch large enough to be checked on two threads posts and refuses exactly as one
    /// checked on one: the first bad entry in the batch's order is named, whichever half it
    /// is in, and an entry already posted is skipped even where checking it again would fail.
    #[test]
    fn a_batch_checked_on_two_threads_is_checked_in_order() {
        let n = 2 * PARALLEL_CHECK_MIN + 10;
        let split = n / 2;
        let old = Entry::new("OLD", date!(2018 - 06 - 30), "last year")
            .debit(code("101"), Yuan::from_fen(5))
            .credit(code("102"), Yuan::from_fen(5));
        let mut base = journal();
        base.post(old.clone()).unwrap_or_else(|e| panic!("{e}"));
        base.close_year(2018).unwrap_or_else(|e| panic!("{e}"));
        let unbalance = |entry: &mut Entry| entry.postings[1].amount = Yuan::from_fen(1_000_001);
        let refused = |entries: Vec<Entry>| {
            let mut j = base.clone();
            let before = seen(&j);
            let error = j.post_batch(entries).err();
            assert_eq!(seen(&j), before);
            match error {
                Some(crate::Error::Ledger(LedgerError::Unbalanced { entry, .. })) => entry,
                other => panic!("{other:?}"),
            }
        };
        // Errors in both halves: the first half's; in the second half only: its first.
        let mut entries = batch(n);
        unbalance(&mut entries[split + 7]);
        unbalance(&mut entries[split + 3]);
        assert_eq!(refused(entries.clone()), format!("B{}", split + 3));
        unbalance(&mut entries[100]);
        assert_eq!(refused(entries), "B100");
        // The entry already posted (in a year now closed) where the second thread's checks
        // stop: skipped, and the entries after it are still checked.
        let mut entries = batch(n);
        entries[split + 5] = old.clone();
        let mut one_by_one = base.clone();
        for entry in entries.clone() {
            one_by_one.post(entry).unwrap_or_else(|e| panic!("{e}"));
        }
        let mut batched = base.clone();
        let posted = batched
            .post_batch(entries.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(posted[split + 5], Posted::AlreadyPosted);
        assert_eq!(posted.len(), n);
        assert_eq!(seen(&batched), seen(&one_by_one));
        assert_eq!(batched.verify(), Ok(()));
        unbalance(&mut entries[split + 6]);
        assert_eq!(refused(entries), format!("B{}", split + 6));
    }

    #[test]
    fn a_small_batch_refused_enters_no_ids() {
        let mut entries = batch(10);
        entries[9].postings[0].amount = Yuan::from_fen(1);
        let mut j = journal();
        let before = seen(&j);
        assert!(j.post_batch(entries.clone()).is_err());
        assert_eq!(seen(&j), before);
        assert_eq!(j.index.len(), 3);
        entries.pop();
        j.post_batch(entries).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((j.len(), j.index.len()), (12, 12));
    }

    #[test]
    fn an_id_twice_in_a_large_batch_is_refused_and_changes_nothing() {
        let mut entries = batch(PARALLEL_CHAIN_MIN + 10);
        let mut twin = entries[7].clone();
        twin.memo = "a different entry with the same id".into();
        entries.insert(PARALLEL_CHAIN_MIN, twin);
        // The same entry twice is refused as well: a batch holds each id once.
        let mut same = batch(PARALLEL_CHAIN_MIN + 10);
        same.push(same[3].clone());
        for entries in [entries, same] {
            let mut j = journal();
            let before = seen(&j);
            assert!(matches!(
                j.post_batch(entries),
                Err(crate::Error::Ledger(LedgerError::IdConflict {
                    field: "id (twice in one batch)",
                    ..
                }))
            ));
            assert_eq!(seen(&j), before);
            assert_eq!(j.index.len(), 3);
            assert_eq!(j.get(&EntryId::from("B7")), None);
            assert_eq!(
                j.get(&EntryId::from("E2")).map(|e| e.memo.as_str()),
                Some("c")
            );
        }
    }

    /// The capacity is a hint from the caller: room that cannot be had (more than memory
    /// or than a list can hold) is not reserved, and the journal works as an empty one.
    #[test]
    fn a_capacity_beyond_memory_is_not_reserved() {
        for capacity in [usize::MAX, usize::MAX / 2, 1 << 48] {
            let mut j = Journal::with_capacity(capacity);
            assert!(j.is_empty());
            assert_eq!(j.entries.capacity(), 0, "{capacity}");
            j.post(
                Entry::new("E1", date!(2019 - 01 - 01), "a")
                    .debit(code("101"), Yuan::from_fen(100))
                    .credit(code("102"), Yuan::from_fen(100)),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(j.closing_balance(&code("101")), Ok(Yuan::from_fen(100)));
        }
        let j = Journal::with_capacity(1_000);
        assert!(j.entries.capacity() >= 1_000);
        assert!(j.digests.get().is_some_and(|d| d.capacity() >= 1_000));
    }

    #[test]
    fn verify_names_the_first_altered_entry() {
        let mut j = journal();
        assert_eq!(j.verify(), Ok(()));
        j.edit_entry_for_tests("E1", |e| e.memo = "altered".into());
        j.edit_entry_for_tests("E2", |e| e.memo = "altered too".into());
        assert!(matches!(
            j.verify(),
            Err(crate::Error::Ledger(LedgerError::ChainBroken { index: 1, ref entry, .. })) if entry == "E1"
        ));
        let mut j = journal();
        if let Some(digest) = j.digests.get_mut().and_then(|d| d.get_mut(2)) {
            *digest = Digest::ZERO;
        }
        assert!(matches!(
            j.verify(),
            Err(crate::Error::Ledger(LedgerError::ChainBroken {
                index: 2,
                ..
            }))
        ));
    }

    /// Entries posted as a book posts them (reporting nothing) leave the digests to be
    /// chained when first read: read, they are those of the same entries posted one by one,
    /// and every later posting keeps them up.
    #[test]
    fn digests_left_unchained_are_chained_when_read_and_kept_up_after() {
        let entry = |i: usize| {
            let fen = i64::try_from(i).unwrap_or(0) + 1;
            Entry::new(format!("L{i}"), date!(2019 - 03 - 01), "lazy")
                .debit(
                    code(if i.is_multiple_of(2) { "101" } else { "401" }),
                    Yuan::from_fen(fen),
                )
                .credit(code("102"), Yuan::from_fen(fen))
        };
        let entries = |range: std::ops::Range<usize>| range.map(entry).collect::<Vec<_>>();
        let ok = |posted: Result<()>| posted.unwrap_or_else(|e| panic!("{e}"));
        // Large enough for the batch that keeps them up to chain them on a second thread.
        let (first, second) = (2, 2 + PARALLEL_CHAIN_MIN + 10);
        let mut eager = Journal::new();
        for e in entries(0..second + 1) {
            eager.post(e).unwrap_or_else(|e| panic!("{e}"));
        }
        let mut lazy = Journal::new();
        ok(lazy.open_named_and_post(Vec::new(), entries(0..first)));
        assert!(lazy.digests.get().is_none());
        let mut checked = lazy.clone();
        let mut posted_to = lazy.clone();
        assert_eq!(lazy.digest(), eager.digests()[first - 1]);
        assert_eq!(lazy.digests(), &eager.digests()[..first]);
        ok(lazy.open_named_and_post(Vec::new(), entries(first..second)));
        ok(lazy.open_named_and_post(Vec::new(), entries(second..second + 1)));
        assert_eq!(lazy.digests.get().map(Vec::len), Some(second + 1));
        assert_eq!(lazy.digests(), eager.digests());
        assert_eq!(
            lazy.digest_of(&EntryId::from("L5")),
            eager.digest_of(&EntryId::from("L5"))
        );
        assert_eq!(lazy, eager);
        // `verify` chains them as it checks them.
        assert_eq!(checked.verify(), Ok(()));
        assert_eq!(
            checked.digests.get().map(Vec::as_slice),
            Some(&eager.digests()[..first])
        );
        ok(checked.open_named_and_post(Vec::new(), entries(first..first + 1)));
        assert_eq!(checked.digests.get().map(Vec::len), Some(first + 1));
        // A posting that returns its digest chains those before it first.
        assert_eq!(
            posted_to.post(entry(first)),
            Ok(Posted::Recorded {
                digest: eager.digests()[first]
            })
        );
        assert_eq!(posted_to.digests(), &eager.digests()[..=first]);
    }

    /// `verify` checks each entry's own rules on the entry as the journal keeps it (its
    /// postings apart from it), and names the first that breaks one.
    #[test]
    fn verify_checks_each_kept_entry_by_its_rules() {
        let mut j = journal();
        j.edit_entry_for_tests("E1", |e| {
            e.postings[1].amount = Yuan::ZERO;
            e.postings[0].amount = Yuan::ZERO;
        });
        j.edit_entry_for_tests("E2", |e| e.postings.truncate(1));
        assert!(matches!(
            j.verify(),
            Err(crate::Error::Ledger(LedgerError::NonPositiveAmount { ref entry, posting: 0, ref account, .. }))
                if entry == "E1" && account == "101"
        ));
        let mut j = journal();
        j.edit_entry_for_tests("E2", |e| e.postings.truncate(1));
        assert!(matches!(
            j.verify(),
            Err(crate::Error::Ledger(LedgerError::PostingCount { ref entry, count: 1, .. })) if entry == "E2"
        ));
        let mut j = journal();
        j.edit_entry_for_tests("E0", |e| e.postings[1].amount = Yuan::from_fen(99));
        assert!(matches!(
            j.verify(),
            Err(crate::Error::Ledger(LedgerError::Unbalanced { ref entry, .. })) if entry == "E0"
        ));
    }

    #[test]
    fn the_trial_balance_checks_its_invariants() {
        let mut j = journal();
        assert!(j
            .trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))
            .is_ok());
        // Corrupt the running totals of 101 (node 0): the check fails instead of lying.
        j.series[0].add(date!(2019 - 01 - 01), 1, 0);
        let err = j.trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31));
        assert!(matches!(
            err,
            Err(crate::Error::Ledger(
                LedgerError::TrialBalanceMismatch { .. }
            ))
        ));
    }

    #[test]
    fn a_parent_line_that_is_not_the_sum_of_its_sub_accounts_is_an_error() -> crate::Result<()> {
        let mut j = Journal::new();
        for m in ["M1", "M2", "M3"] {
            let code = AccountCode::new(&format!("301.{m}"))?;
            j.open_account(code.clone(), "股金", "share capital")?;
            j.post(
                Entry::new(format!("E{m}"), date!(2019 - 02 - 01), "capital")
                    .debit(AccountCode::new("102")?, Yuan::from_fen(100))
                    .credit(code, Yuan::from_fen(100)),
            )?;
        }
        let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
        // Balanced as posted, on one thread and on two.
        for parallel_min in [usize::MAX, 0] {
            let (lines, totals) = j.trial_lines::<TrialLine>(from, to, parallel_min)?;
            assert_eq!(lines.len(), 5);
            assert_eq!(totals.credits, Yuan::from_fen(300));
        }
        // 301.M2's running totals gain a credit its parent 301 does not have.
        let Some(node) = j.chart().index_of(&AccountCode::new("301.M2")?) else {
            panic!("301.M2 is open");
        };
        j.series[node].add(date!(2019 - 03 - 01), 0, 7);
        for parallel_min in [usize::MAX, 0] {
            match j.trial_lines::<TrialLine>(from, to, parallel_min) {
                Err(crate::Error::Ledger(LedgerError::TrialBalanceMismatch {
                    what,
                    left,
                    right,
                    ..
                })) => {
                    assert_eq!(what, "301 credits against the sum of its sub-accounts");
                    assert_eq!((left, right), (Yuan::from_fen(300), Yuan::from_fen(307)));
                }
                other => panic!("expected a roll-up mismatch, got {other:?}"),
            }
        }
        Ok(())
    }

    /// The entry `E{id}` of the property tests' batches, with `postings` debits: variant 0
    /// differs from the others (a conflict on a repeated id), 9 is unbalanced, the rest are
    /// the same entry.
    fn drawn_entry(id: u8, variant: u8, postings: usize) -> Entry {
        let fen = i64::from(id) + 1 + i64::from(variant == 0);
        let mut entry = Entry::new(format!("E{id}"), date!(2019 - 01 - 01), "m");
        for _ in 0..postings {
            entry = entry.debit(code("101"), Yuan::from_fen(fen));
        }
        let credit = fen * postings as i64 - i64::from(variant == 9);
        entry.credit(code("102"), Yuan::from_fen(credit))
    }

    proptest::proptest! {
        /// Small batches one after another (each reusing the lists the one before left):
        /// each does what posting its entries one by one on a copy does, kept only if every
        /// one is posted, and says so entry by entry.
        #[test]
        fn batches_in_a_row_post_as_entries_one_by_one(
            batches in proptest::collection::vec(
                proptest::collection::vec((0u8..12, 0u8..10, 1usize..4), 1..5),
                1..12,
            ),
        ) {
            let mut batched = Journal::new();
            let mut one_by_one = Journal::new();
            for batch in &batches {
                let entries: Vec<Entry> =
                    batch.iter().map(|&(id, variant, n)| drawn_entry(id, variant, n)).collect();
                let mut copy = one_by_one.clone();
                let mut seen = std::collections::HashSet::new();
                let expected: Result<Vec<Posted>> = entries
                    .iter()
                    .map(|e| {
                        if !seen.insert(e.id.clone()) && one_by_one.get(&e.id).is_none() {
                            return Err(LedgerError::IdConflict {
                                entry: e.id.to_string(),
                                field: "id (twice in one batch)",
                            }
                            .into());
                        }
                        copy.post(e.clone())
                    })
                    .collect();
                let got = batched.post_batch(entries);
                proptest::prop_assert_eq!(got.is_ok(), expected.is_ok());
                if let (Ok(got), Ok(expected)) = (got, expected) {
                    proptest::prop_assert_eq!(got, expected);
                    one_by_one = copy;
                }
                proptest::prop_assert_eq!(&batched, &one_by_one);
                proptest::prop_assert_eq!(batched.digests(), one_by_one.digests());
            }
        }

        /// Batches posted as a book posts them (reporting nothing, the digests left until
        /// read), their digests read after some batches and not others, keep the journal a
        /// journal posting the same batches with `post_batch` keeps: the same batches taken
        /// and refused, the same digests whenever they are read, and an equal journal.
        #[test]
        fn digests_read_at_any_point_are_those_of_batches_posted_with_their_digests(
            batches in proptest::collection::vec(
                (proptest::collection::vec((0u8..12, 0u8..10, 1usize..4), 1..5), 0u8..3),
                1..12,
            ),
        ) {
            let mut lazy = Journal::new();
            let mut eager = Journal::new();
            for (batch, read) in &batches {
                let entries: Vec<Entry> =
                    batch.iter().map(|&(id, variant, n)| drawn_entry(id, variant, n)).collect();
                let was = lazy.clone();
                let taken = lazy.open_named_and_post(Vec::new(), entries.clone());
                proptest::prop_assert_eq!(taken.is_ok(), eager.post_batch(entries).is_ok());
                if taken.is_err() {
                    // Unchanged, compared without reading the digests (which would chain them).
                    proptest::prop_assert_eq!(lazy.entries().to_vec(), was.entries().to_vec());
                    proptest::prop_assert_eq!(lazy.digests.get(), was.digests.get());
                }
                // Read after one batch in three.
                if *read == 0 {
                    proptest::prop_assert_eq!(lazy.digests(), eager.digests());
                    proptest::prop_assert_eq!(lazy.digest(), eager.digest());
                }
            }
            proptest::prop_assert_eq!(lazy.verify(), Ok(()));
            proptest::prop_assert_eq!(&lazy, &eager);
        }
    }
}
