//! Hash maps for the hot paths of posting.
//!
//! Posting an entry looks up its id and its accounts. With the standard library's SipHash
//! every lookup hashes the key again, and the id index rehashes every id each time it grows.
//! Two cheaper maps serve instead:
//!
//! - [`IdIndex`] hashes an entry id once with SipHash (keyed at random per journal, so ids
//!   chosen to collide cannot slow it down) and keeps 32 bits of that hash with the entry's
//!   position in an 8-byte slot, so that growing the table never hashes an id again. Ids
//!   whose hash bits coincide are told apart by comparing the entries' ids.
//! - [`CodeIndex`] hashes account codes with a small multiply-rotate hash and a final mix. Codes
//!   are short, checked, kept inside the value, and only the cooperative's own chart holds
//!   them.

use std::collections::hash_map::RandomState;

use compact_str::CompactString;
use hashbrown::HashTable;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

use super::stored::Store;
use super::{AccountCode, EntryId};

/// Entry id → position in the journal.
///
/// The table holds 8-byte slots: 32 bits of the id's hash and the entry's position. The id
/// itself is not copied; a probe whose hash bits match compares the id of the entry at that
/// position. Half the size of a map from a 64-bit hash to a `usize`, so more of a
/// million-entry index stays in the cache, and growing it never hashes an id again.
///
/// The journal keys it by [`EntryId`]; a book keys its event log by event id the same way.
///
/// Ids whose type says so ([`RunKey`]: members', greenhouses' and events' ids, not
/// entries') and that end in a number are kept in [`Runs`] instead while they come in the
/// order of their numbers; the table keeps the others.
#[derive(Debug, Clone)]
pub(crate) struct IdIndex<K = EntryId> {
    state: RandomState,
    table: HashTable<Slot>,
    /// Ids at positions beyond `u32::MAX` (a journal of more than four billion entries).
    far: HashMap<K, usize>,
    runs: Runs,
}

impl<K> Default for IdIndex<K> {
    fn default() -> IdIndex<K> {
        IdIndex {
            state: RandomState::default(),
            table: HashTable::default(),
            far: HashMap::new(),
            runs: Runs::default(),
        }
    }
}

/// The text by which an [`IdIndex`] may keep a key in [`Runs`]; `None` for keys always kept
/// in its table.
pub(crate) trait RunKey {
    /// The key's text, if runs may keep it.
    fn run_text(&self) -> Option<&str>;
}

/// Implements [`RunKey`] for keys always kept in the table.
macro_rules! always_hashed {
    ($($(#[$attr:meta])* $key:ty),*) => {
        $($(#[$attr])* impl RunKey for $key {
            fn run_text(&self) -> Option<&str> {
                None
            }
        })*
    };
}

// Entries' ids are the caller's, with numbers that skip (the events that post no entry)
// and stems of their own (an event's second and later entries): the table keeps them.
always_hashed!(
    EntryId,
    #[cfg(test)]
    u16,
    #[cfg(test)]
    u32
);

#[cfg(test)]
impl RunKey for String {
    fn run_text(&self) -> Option<&str> {
        Some(self)
    }
}

/// One id in [`IdIndex`]: 32 bits of its hash and its position.
#[derive(Debug, Clone, Copy)]
struct Slot {
    tag: u32,
    position: u32,
}

/// The 32 bits of an id's 64-bit hash that its slot keeps.
fn tag_of(hash: u64) -> u32 {
    // Truncation on purpose: both halves folded into one.
    (hash ^ (hash >> 32)) as u32
}

/// The table's hash of a slot, from its tag alone: an odd multiplier keeps the low bits
/// (which pick the bucket) a one-to-one function of the tag's and mixes every tag bit into
/// the top ones (which the table compares first).
fn spread(tag: u32) -> u64 {
    u64::from(tag).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl IdIndex<EntryId> {
    /// The position of `id` (whose hash is `hash`) among `entries`.
    pub(crate) fn get(&self, entries: &Store, id: &EntryId, hash: u64) -> Option<usize> {
        self.find(id, Some(hash), |position| {
            entries.id_at(position) == Some(id)
        })
    }
}

impl<K: Hash + Eq + Clone + RunKey> IdIndex<K> {
    /// The hash of `id` to pass to [`IdIndex::find`] and [`IdIndex::insert`].
    pub(crate) fn hash(&self, id: &K) -> u64 {
        self.state.hash_one(id)
    }

    /// How many ids the index holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.table
            .len()
            .saturating_add(self.far.len())
            .saturating_add(self.runs.len())
    }

    /// [`IdIndex::probe_order_into`] into a new list.
    #[cfg(test)]
    pub(crate) fn probe_order(&self, hashes: &[u64]) -> Vec<(u64, usize, u64)> {
        let mut order = Vec::with_capacity(hashes.len());
        self.probe_order_into(hashes, &mut order);
        order
    }

    /// Sets `order` to the batch indices `0..hashes.len()`, each with the key of the bucket
    /// where its hash's probe starts in the table as it is now, ordered by that key (ties in
    /// their own order). Looking the ids up or inserting them in that order walks the table
    /// from one end to the other instead of jumping about it, and ids with equal hashes come
    /// together. The order only affects speed: the table's own layout (a power-of-two number
    /// of buckets, about 8/7 of its capacity, and a probe that starts at the hash's low bits)
    /// is assumed, not relied on.
    pub(crate) fn probe_order_into(&self, hashes: &[u64], order: &mut Vec<(u64, usize, u64)>) {
        /// Below this many ids a comparison sort is cheaper than the radix sort's passes.
        const RADIX_MIN: usize = 1024;
        let mask = self.key_mask();
        let key = |hash: u64| spread(tag_of(hash)) & mask;
        order.clear();
        if hashes.len() >= RADIX_MIN {
            if let Ok(mut items) = hashes
                .iter()
                .enumerate()
                .map(|(i, &hash)| Ok((key(hash) << 32) | u64::from(u32::try_from(i)?)))
                .collect::<Result<Vec<u64>, std::num::TryFromIntError>>()
            {
                radix_sort_high(&mut items, 64_u32.saturating_sub(mask.leading_zeros()));
                // Truncation on purpose: the high 32 bits hold the key, the low 32 the index.
                // The hashes are gathered here, in a loop of independent loads, so that the
                // lookups that follow read them in order.
                order.extend(items.into_iter().map(|item| {
                    let i = item as u32 as usize;
                    (item >> 32, i, hashes.get(i).copied().unwrap_or(0))
                }));
                return;
            }
        }
        order.extend(
            hashes
                .iter()
                .enumerate()
                .map(|(i, &hash)| (key(hash), i, hash)),
        );
        order.sort_unstable();
    }

    /// The bits of a slot's table hash that pick its first bucket (at most 32 of them).
    fn key_mask(&self) -> u64 {
        let buckets = (self.table.capacity() / 7)
            .saturating_mul(8)
            .max(1)
            .next_power_of_two();
        u64::try_from(buckets).unwrap_or(u64::MAX).wrapping_sub(1) & 0xffff_ffff
    }

    /// Makes room for `additional` more ids.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.table.reserve(additional, |slot| spread(slot.tag));
    }

    /// Makes room for `additional` more ids if it can be had; `false` when it cannot (more
    /// than memory or the table holds), and nothing is reserved.
    pub(crate) fn try_reserve(&mut self, additional: usize) -> bool {
        self.table
            .try_reserve(additional, |slot| spread(slot.tag))
            .is_ok()
    }

    /// The position of `id` (whose hash is `hash`, or `None` to hash it here if need be),
    /// where `is_at` says whether `id` is the id at a position the index holds.
    pub(crate) fn find(
        &self,
        id: &K,
        hash: Option<u64>,
        is_at: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        if let Some(text) = id.run_text() {
            match self.runs.get(text) {
                Held::At(position) => return is_at(position).then_some(position),
                Held::Absent => return None,
                Held::Elsewhere => {}
            }
        }
        let tag = tag_of(hash.unwrap_or_else(|| self.hash(id)));
        let found = self.table.find(spread(tag), |slot| {
            slot.tag == tag && is_at(slot.position as usize)
        });
        match found {
            Some(slot) => Some(slot.position as usize),
            None if self.far.is_empty() => None,
            None => self.far.get(id).copied(),
        }
    }

    /// Whether `id` is one the runs never keep (it does not end in a number after a short
    /// stem), so that [`IdIndex::find`] and [`IdIndex::insert`] would both hash it: a caller
    /// that does both hashes it once and passes the hash. Any other id is passed no hash; in
    /// the rare case that its run does not keep it, each hashes it as it needs to.
    pub(crate) fn needs_hash(&self, id: &K) -> bool {
        id.run_text().and_then(numbered).is_none()
    }

    /// Records that `id` (not in the index yet, with hash `hash`, or `None` to hash it here
    /// if need be) is at `position`.
    pub(crate) fn insert(&mut self, id: &K, hash: Option<u64>, position: usize) {
        if id
            .run_text()
            .is_some_and(|text| self.runs.insert(text, position))
        {
            return;
        }
        match u32::try_from(position) {
            Ok(position) => {
                let tag = tag_of(hash.unwrap_or_else(|| self.hash(id)));
                self.table
                    .insert_unique(spread(tag), Slot { tag, position }, |slot| spread(slot.tag));
            }
            Err(_) => {
                self.far.insert(id.clone(), position);
            }
        }
    }

    /// Records that `id` (in the index at `from`, with hash `hash`, or `None` to hash it
    /// here if need be) is now at `to`: its run's place or its slot is changed in place, or,
    /// for a position beyond 32 bits, it is forgotten and entered again.
    pub(crate) fn moved(&mut self, id: &K, hash: Option<u64>, from: usize, to: usize) {
        if id
            .run_text()
            .is_some_and(|text| self.runs.moved(text, from, to))
        {
            return;
        }
        let hash = hash.unwrap_or_else(|| self.hash(id));
        let tag = tag_of(hash);
        if let (Ok(from), Ok(to)) = (u32::try_from(from), u32::try_from(to)) {
            if let Some(slot) = self
                .table
                .find_mut(spread(tag), |slot| slot.tag == tag && slot.position == from)
            {
                slot.position = to;
                return;
            }
        }
        match self.table.find_entry(spread(tag), |slot| {
            slot.tag == tag && slot.position as usize == from
        }) {
            Ok(entry) => {
                entry.remove();
            }
            Err(_) => {
                self.far.remove(id);
            }
        }
        self.insert(id, Some(hash), to);
    }
}

/// Ids numbered 0, 1, 2, … in the order they were added, found by id through an
/// [`IdIndex`] over the list itself: 8 bytes an id beside the list, where a map from id to
/// number would copy every id into its own table.
#[derive(Debug, Clone)]
pub(crate) struct Numbered<K> {
    ids: Vec<K>,
    index: IdIndex<K>,
}

impl<K> Default for Numbered<K> {
    fn default() -> Numbered<K> {
        Numbered {
            ids: Vec::new(),
            index: IdIndex::default(),
        }
    }
}

impl<K: PartialEq> PartialEq for Numbered<K> {
    /// The same ids in the same order (the index follows from them).
    fn eq(&self, other: &Numbered<K>) -> bool {
        self.ids == other.ids
    }
}

impl<K: Hash + Eq + Clone + RunKey> Numbered<K> {
    /// How many ids it holds.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// The id numbered `number`.
    pub(crate) fn get(&self, number: usize) -> Option<&K> {
        self.ids.get(number)
    }

    /// The number of `id`.
    pub(crate) fn number(&self, id: &K) -> Option<usize> {
        let ids = &self.ids;
        self.index.find(id, None, |at| ids.get(at) == Some(id))
    }

    /// [`Numbered::number`], trying the number `guess` first, if there is one: when `id`
    /// has it (a caller reading ids in the order they were numbered guesses the number after
    /// the last), it is found without hashing.
    pub(crate) fn number_guessing(&self, id: &K, guess: Option<usize>) -> Option<usize> {
        guess
            .filter(|&at| self.ids.get(at) == Some(id))
            .or_else(|| self.number(id))
    }

    /// Adds `id` with the next number and returns it; an id already there keeps its number.
    pub(crate) fn add(&mut self, id: K) -> usize {
        // Ids the runs keep are never hashed.
        let hash = self.index.needs_hash(&id).then(|| self.index.hash(&id));
        let ids = &self.ids;
        if let Some(number) = self.index.find(&id, hash, |at| ids.get(at) == Some(&id)) {
            return number;
        }
        let number = self.ids.len();
        self.index.insert(&id, hash, number);
        self.ids.push(id);
        number
    }
}

/// Sorts `items` by their high 32 bits, of which only the low `key_bits` may be set: a
/// stable least-significant-digit radix sort, 11 bits a pass.
fn radix_sort_high(items: &mut Vec<u64>, key_bits: u32) {
    const DIGIT: u32 = 11;
    let mut buffer = vec![0u64; items.len()];
    let mut shift = 32;
    while shift < 32_u32.saturating_add(key_bits) {
        let digit = |item: u64| ((item >> shift) & ((1 << DIGIT) - 1)) as usize;
        let mut starts = [0usize; 1 << DIGIT];
        for &item in items.iter() {
            if let Some(count) = starts.get_mut(digit(item)) {
                *count = count.saturating_add(1);
            }
        }
        let mut total = 0usize;
        for start in starts.iter_mut() {
            let count = *start;
            *start = total;
            total = total.saturating_add(count);
        }
        for &item in items.iter() {
            if let Some(start) = starts.get_mut(digit(item)) {
                if let Some(slot) = buffer.get_mut(*start) {
                    *slot = item;
                }
                *start = start.saturating_add(1);
            }
        }
        std::mem::swap(items, &mut buffer);
        shift = shift.saturating_add(DIGIT);
    }
}

/// A multiply-rotate hash (as in rustc's FxHasher) with a final 64-bit mix.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CodeHasher(u64);

impl CodeHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        // The finaliser of MurmurHash3, so that the low bits depend on every input bit.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        // Whole words read at fixed offsets (overlapping for lengths that are not a multiple
        // of eight) rather than a byte loop: codes are mostly 3 to 12 bytes long.
        let word = |at: usize| {
            bytes
                .get(at..)
                .and_then(|rest| rest.first_chunk::<8>())
                .map_or(0, |w| u64::from_le_bytes(*w))
        };
        let half = |at: usize| {
            bytes
                .get(at..)
                .and_then(|rest| rest.first_chunk::<4>())
                .map_or(0, |w| u64::from(u32::from_le_bytes(*w)))
        };
        let len = bytes.len();
        self.add(len as u64);
        match len {
            0..=3 => {
                for &b in bytes {
                    self.add(u64::from(b));
                }
            }
            4..=7 => self.add(half(0) | (half(len.saturating_sub(4)) << 32)),
            8..=16 => {
                self.add(word(0));
                self.add(word(len.saturating_sub(8)));
            }
            _ => {
                let mut chunks = bytes.chunks_exact(8);
                for chunk in &mut chunks {
                    self.add(
                        chunk
                            .first_chunk::<8>()
                            .map_or(0, |w| u64::from_le_bytes(*w)),
                    );
                }
                self.add(word(len.saturating_sub(8)));
            }
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }
}

/// Account code → chart node.
///
/// A code that ends in a number is found in the chart's [`Runs`] when they hold it (a
/// large chart's codes are mostly members', greenhouses' and contracts' sub-accounts of a
/// standard account, opened in the order of their numbers). Every other code is in a hash
/// table of 8-byte slots, like [`IdIndex`]'s: 32 hash bits and the node's position; a probe
/// whose bits match compares the code of the node at that position, which posting reads
/// anyway (to check that the account is a leaf). Codes are hashed with [`CodeHasher`] (codes
/// are short, checked, and only the cooperative's own chart holds them).
#[derive(Debug, Clone, Default)]
pub(crate) struct CodeIndex {
    table: HashTable<Slot>,
    runs: Runs,
}

impl CodeIndex {
    /// The hash of a code, from its text: a code and its text (looked up without making a
    /// code of it) hash alike.
    fn hash(code: &str) -> u64 {
        BuildHasherDefault::<CodeHasher>::default().hash_one(code)
    }

    /// The position of the code whose text is `code`, where `code_at` gives the code at
    /// each position the index holds.
    pub(crate) fn get<'a>(
        &self,
        code: &str,
        code_at: impl Fn(usize) -> Option<&'a AccountCode>,
    ) -> Option<usize> {
        let is_code = |position: usize| {
            code_at(position)
                .is_some_and(|at| crate::text::same_bytes(at.as_str().as_bytes(), code.as_bytes()))
        };
        match self.runs.get(code) {
            Held::At(position) => return is_code(position).then_some(position),
            Held::Absent => return None,
            Held::Elsewhere => {}
        }
        let tag = tag_of(CodeIndex::hash(code));
        self.table
            .find(spread(tag), |slot| {
                slot.tag == tag && is_code(slot.position as usize)
            })
            .map(|slot| slot.position as usize)
    }

    /// Records that `code` (not in the index yet) is at `position`, which the chart keeps
    /// below [`MAX_ACCOUNTS`](super::MAX_ACCOUNTS) and so within 32 bits.
    pub(crate) fn insert(&mut self, code: &AccountCode, position: u32) {
        if self.runs.insert(code.as_str(), position as usize) {
            return;
        }
        let tag = tag_of(CodeIndex::hash(code.as_str()));
        self.table
            .insert_unique(spread(tag), Slot { tag, position }, |slot| spread(slot.tag));
    }

    /// Forgets `code`, which is at `position`.
    pub(crate) fn remove(&mut self, code: &AccountCode, position: usize) {
        if self.runs.remove(code.as_str(), position) {
            return;
        }
        let tag = tag_of(CodeIndex::hash(code.as_str()));
        if let Ok(entry) = self.table.find_entry(spread(tag), |slot| {
            slot.tag == tag && slot.position as usize == position
        }) {
            entry.remove();
        }
    }
}

/// Keys that end in a number (`301.H000123`: the stem `301.H` and 123 in six digits; an id
/// `H000123` or `syn-000123`), kept by stem and number: for each stem and digit count a
/// [`Run`], the positions of its keys by number in a list. 4 bytes a key and no hashing of
/// the key, and keys looked up in the order of their numbers (members, greenhouses, events
/// as they come) read the list in order, where a hash table is read at random and misses
/// the processor's caches at almost every look-up. The index that keeps the runs keeps
/// every other key in its own table ([`Held::Elsewhere`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Runs {
    /// The runs, by stem and digit count.
    runs: hashbrown::HashMap<(CompactString, u8), Run, BuildHasherDefault<CodeHasher>>,
}

/// A stem and digit count to look a run up by, without copying the stem into the
/// `CompactString` the map's keys hold: it hashes as the key `(stem, digits)` does.
#[derive(Hash)]
struct StemKey<'a>(&'a str, u8);

impl hashbrown::Equivalent<(CompactString, u8)> for StemKey<'_> {
    fn equivalent(&self, key: &(CompactString, u8)) -> bool {
        key.1 == self.1 && crate::text::same_bytes(key.0.as_bytes(), self.0.as_bytes())
    }
}

/// The keys of one stem and digit count whose numbers are from `start` to just below
/// `start + positions.len()`: every such key the index holds is here (an empty place is a
/// key not held), though its position may be kept in the index's table ([`IN_TABLE`]). A
/// run only grows at its end, and only while it stays about half full ([`Run::takes`]); once
/// a key of its stem past the end goes to the table the run never grows again, so that the
/// keys in the table stay out of its range (as keys below `start` always are).
#[derive(Debug, Clone)]
struct Run {
    start: u64,
    /// Each number's position plus one; 0 for none, [`IN_TABLE`] for a position the table
    /// keeps (one that does not fit the list's 32 bits).
    positions: Vec<u32>,
    /// How many places are taken.
    taken: usize,
    /// Whether a key of the stem past the end went to the table.
    closed: bool,
}

/// A run's place for a key whose position its index's table keeps.
const IN_TABLE: u32 = u32::MAX;

/// At most this many runs: the numbered stems of a chart or of ids are a few per kind.
const MAX_RUNS: usize = 256;

/// Empty places a run may hold beyond its taken ones.
const RUN_SLACK: usize = 64;

/// Most digits of a run's numbers (below 10⁹).
const MAX_RUN_DIGITS: usize = 9;

/// Where [`Runs::get`] says a key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// At this position (to be checked against the key there).
    At(usize),
    /// Not held: its run covers its number and has no position for it.
    Absent,
    /// Not in a run: the index's table says.
    Elsewhere,
}

/// Longest stem of a run: one kept inside a `CompactString`, so that looking a stem up
/// allocates nothing (a longer one, such as most of a UUID, is left to the table).
const MAX_RUN_STEM: usize = 24;

/// `text` as a stem, its trailing digits' count and their number, when it ends in one to
/// [`MAX_RUN_DIGITS`] digits after a stem of at most [`MAX_RUN_STEM`] bytes.
pub(crate) fn numbered(text: &str) -> Option<(&str, u8, u64)> {
    // Bytes, not characters: the digits are ASCII, so the stem ends at a character's end.
    // One pass from the end reads the digits' count and value. At most nine digits are
    // read (a tenth refuses the text), so the number stays below 10⁹ and the scale at most
    // 10⁹: neither can wrap.
    let bytes = text.as_bytes();
    let (mut number, mut scale, mut digits) = (0_u64, 1_u64, 0_usize);
    for &byte in bytes.iter().rev() {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        if digits == MAX_RUN_DIGITS {
            return None;
        }
        number = number.wrapping_add(u64::from(digit).wrapping_mul(scale));
        scale = scale.wrapping_mul(10);
        digits = digits.wrapping_add(1);
    }
    let stem_len = bytes.len().checked_sub(digits)?;
    if digits == 0 || stem_len > MAX_RUN_STEM {
        return None;
    }
    Some((text.get(..stem_len)?, u8::try_from(digits).ok()?, number))
}

impl Run {
    /// The place of `number` in the list, if it is within the run.
    fn place(&self, number: u64) -> Option<usize> {
        let place = usize::try_from(number.checked_sub(self.start)?).ok()?;
        (place < self.positions.len()).then_some(place)
    }

    /// The place the run can grow to for `number` (past its end): when it is not closed and
    /// stays at least half full, but for [`RUN_SLACK`] places.
    fn takes(&self, number: u64) -> Option<usize> {
        let place = usize::try_from(number.checked_sub(self.start)?).ok()?;
        let len = place.checked_add(1)?;
        let room = self
            .taken
            .saturating_add(1)
            .saturating_mul(2)
            .saturating_add(RUN_SLACK);
        (!self.closed && place >= self.positions.len() && len <= room).then_some(place)
    }
}

/// A position as a run keeps it: plus one, [`IN_TABLE`] when that does not fit below it.
fn run_value(position: usize) -> u32 {
    position
        .checked_add(1)
        .and_then(|value| u32::try_from(value).ok())
        .filter(|&value| value != IN_TABLE)
        .unwrap_or(IN_TABLE)
}

impl Runs {
    /// Where the key `text` is.
    pub(crate) fn get(&self, text: &str) -> Held {
        if self.runs.is_empty() {
            return Held::Elsewhere;
        }
        let Some((stem, digits, number)) = numbered(text) else {
            return Held::Elsewhere;
        };
        let Some(run) = self.runs.get(&StemKey(stem, digits)) else {
            return Held::Elsewhere;
        };
        match run.place(number).map(|place| run.positions.get(place)) {
            Some(None | Some(&IN_TABLE)) => Held::Elsewhere,
            Some(Some(0)) => Held::Absent,
            Some(Some(&value)) => Held::At(value.saturating_sub(1) as usize),
            // Past the end of a run that never closed: a key of its stem past its end went
            // to the table only by closing it, so none is there (the next event's id, an
            // account about to be opened).
            None if !run.closed && number >= run.start => Held::Absent,
            None => Held::Elsewhere,
        }
    }

    /// Records that the key `text` (not held yet) is at `position`; `false` when the
    /// index's table is to keep it (no run for its stem, out of its run's range, or a
    /// position beyond 32 bits).
    pub(crate) fn insert(&mut self, text: &str, position: usize) -> bool {
        let Some((stem, digits, number)) = numbered(text) else {
            return false;
        };
        let value = run_value(position);
        // The stem's run, looked up by the text's own stem: its key is copied only for a
        // new run.
        let open = self.runs.len() < MAX_RUNS;
        let run = match self.runs.get_mut(&StemKey(stem, digits)) {
            Some(run) => run,
            None if open => {
                self.runs.insert(
                    (CompactString::from(stem), digits),
                    Run {
                        start: number,
                        positions: vec![value],
                        taken: 1,
                        closed: false,
                    },
                );
                return value != IN_TABLE;
            }
            None => return false,
        };
        let place = match run.place(number) {
            Some(place) => place,
            // Below the run: never in its range, the run stays open.
            None if number < run.start => return false,
            None => match run.takes(number) {
                Some(place) => {
                    run.positions.resize(place.saturating_add(1), 0);
                    place
                }
                None => {
                    run.closed = true;
                    return false;
                }
            },
        };
        match run.positions.get_mut(place) {
            Some(slot) => {
                if *slot == 0 {
                    run.taken = run.taken.saturating_add(1);
                }
                *slot = value;
                value != IN_TABLE
            }
            None => false,
        }
    }

    /// Forgets the key `text` if it is at `position`; `false` when the index's table keeps
    /// it.
    pub(crate) fn remove(&mut self, text: &str, position: usize) -> bool {
        let Some((slot, taken)) = self.place_mut(text) else {
            return false;
        };
        match *slot {
            IN_TABLE => false,
            value if value != 0 && value == run_value(position) => {
                *slot = 0;
                *taken = taken.saturating_sub(1);
                true
            }
            _ => true,
        }
    }

    /// The place of the key `text` in the run that covers its number, with the run's count
    /// of taken places.
    fn place_mut(&mut self, text: &str) -> Option<(&mut u32, &mut usize)> {
        let (stem, digits, number) = numbered(text)?;
        let run = self.runs.get_mut(&StemKey(stem, digits))?;
        let place = run.place(number)?;
        let Run {
            positions, taken, ..
        } = run;
        Some((positions.get_mut(place)?, taken))
    }

    /// Records that the key `text` (held at `from`) is now at `to`; `false` when the
    /// index's table is to change (it keeps the key, or is to keep it at `to`).
    pub(crate) fn moved(&mut self, text: &str, from: usize, to: usize) -> bool {
        let Some((slot, _)) = self.place_mut(text) else {
            return false;
        };
        if *slot == IN_TABLE {
            return false;
        }
        // Not at `from` (or not held): nothing moves.
        if *slot != run_value(from) {
            return true;
        }
        *slot = run_value(to);
        *slot != IN_TABLE
    }

    /// How many keys the runs hold (with those whose positions the table keeps).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.runs.values().map(|run| run.taken).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Entry;
    use time::macros::date;

    /// A journal's store of `entries` (without their postings: the index reads ids only).
    fn store_of(entries: &[Entry]) -> Store {
        let mut store = Store::default();
        for entry in entries {
            store.push(entry.clone(), &[]);
        }
        store
    }

    #[test]
    fn a_stem_key_hashes_and_compares_as_the_key_it_stands_for() {
        let state = BuildHasherDefault::<CodeHasher>::default();
        for (stem, digits) in [("301.H", 6u8), ("", 1), ("syn-", 6), ("GH", 9)] {
            let key = (CompactString::from(stem), digits);
            assert_eq!(state.hash_one(StemKey(stem, digits)), state.hash_one(&key));
            assert!(hashbrown::Equivalent::equivalent(
                &StemKey(stem, digits),
                &key
            ));
            assert!(!hashbrown::Equivalent::equivalent(
                &StemKey(stem, digits + 1),
                &key
            ));
        }
        let mut runs = Runs::default();
        assert!(runs.insert("301.H000123", 4));
        assert!(runs.insert("301.H000125", 7));
        assert_eq!(runs.get("301.H000123"), Held::At(4));
        assert_eq!(runs.get("301.H000125"), Held::At(7));
        assert_eq!(runs.get("301.H000124"), Held::Absent);
        assert_eq!(runs.get("302.H000123"), Held::Elsewhere);
    }

    proptest::proptest! {
        /// A text's stem, digit count and number are what splitting off its trailing
        /// digits and parsing them gives, for numbers of up to nine digits after a stem of
        /// up to 24 bytes; anything else is not numbered.
        #[test]
        fn numbered_reads_the_trailing_digits(text in "[A-Z0-9.股-]{0,30}") {
            let stem = text.trim_end_matches(|c: char| c.is_ascii_digit());
            let digits = &text[stem.len()..];
            let expected = (!digits.is_empty() && digits.len() <= MAX_RUN_DIGITS && stem.len() <= MAX_RUN_STEM)
                .then(|| (stem, digits.len() as u8, digits.parse::<u64>().unwrap_or(u64::MAX)));
            proptest::prop_assert_eq!(numbered(&text), expected, "{}", text);
        }
    }

    #[test]
    fn numbered_ids_keep_their_numbers() {
        let mut numbered: Numbered<EntryId> = Numbered::default();
        assert_eq!(numbered.number(&EntryId::from("G1")), None);
        let ids: Vec<EntryId> = (0..5000)
            .map(|i| EntryId::from(format!("G{i}").as_str()))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(numbered.add(id.clone()), i);
        }
        // Adding one again keeps its number and adds nothing.
        assert_eq!(numbered.add(ids[17].clone()), 17);
        assert_eq!(numbered.len(), 5000);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(numbered.number(id), Some(i));
            assert_eq!(numbered.get(i), Some(id));
        }
        assert_eq!(numbered.number(&EntryId::from("G5000")), None);
        for guess in [
            None,
            Some(0),
            Some(16),
            Some(17),
            Some(18),
            Some(4999),
            Some(5000),
            Some(usize::MAX),
        ] {
            assert_eq!(numbered.number_guessing(&ids[17], guess), Some(17));
            assert_eq!(
                numbered.number_guessing(&EntryId::from("G5000"), guess),
                None
            );
        }
        assert_eq!(numbered.get(5000), None);
        // Equal when the ids and their order are, whatever the index's hash keys.
        let mut again: Numbered<EntryId> = Numbered::default();
        for id in &ids {
            again.add(id.clone());
        }
        assert_eq!(again, numbered);
        again.add(EntryId::from("G5000"));
        assert_ne!(again, numbered);
    }

    #[test]
    fn id_index_survives_hash_collisions() {
        let entries: Vec<Entry> = ["A", "B", "C"]
            .iter()
            .map(|id| Entry::new(*id, date!(2019 - 01 - 01), ""))
            .collect();
        let mut index: IdIndex = IdIndex::default();
        // Force every id onto the same hash.
        for (i, e) in entries.iter().enumerate() {
            index.insert(&e.id, Some(7), i);
        }
        let store = store_of(&entries);
        for (i, e) in entries.iter().enumerate() {
            assert_eq!(index.get(&store, &e.id, 7), Some(i));
        }
        assert_eq!(index.get(&store, &EntryId::from("D"), 7), None);
        let a = EntryId::from("A");
        assert_eq!(index.get(&store, &a, index.hash(&a)), None);
        // Hashes that differ only where the tag folds them together.
        let mut index: IdIndex = IdIndex::default();
        index.insert(&entries[0].id, Some(0x0000_0001_0000_0000), 0);
        index.insert(&entries[1].id, Some(0x0000_0000_0000_0001), 1);
        assert_eq!(
            index.get(&store, &entries[0].id, 0x0000_0001_0000_0000),
            Some(0)
        );
        assert_eq!(
            index.get(&store, &entries[1].id, 0x0000_0000_0000_0001),
            Some(1)
        );
    }

    #[test]
    fn probe_order_sorts_by_bucket_and_keeps_ties_in_order() {
        let mut index: IdIndex = IdIndex::default();
        index.reserve(5000);
        let hashes: Vec<u64> = (0..5000u64)
            .map(|i| i.wrapping_mul(0x2545_f491_4f6c_dd1d) % 97)
            .collect();
        let order = index.probe_order(&hashes);
        assert_eq!(order.len(), hashes.len());
        let mut seen = vec![false; hashes.len()];
        for &(_, i, hash) in &order {
            seen[i] = true;
            assert_eq!(hash, hashes[i]);
        }
        assert!(seen.iter().all(|&s| s));
        let buckets = (index.table.capacity() / 7 * 8).next_power_of_two() as u64;
        assert!(buckets >= 5000);
        let key = |i: usize| spread(tag_of(hashes[i])) & (buckets - 1);
        for &(k, i, _) in &order {
            assert_eq!(k, key(i));
        }
        for pair in order.windows(2) {
            assert!(pair[0].0 <= pair[1].0);
            if pair[0].0 == pair[1].0 {
                assert!(pair[0].1 < pair[1].1, "ties keep their order");
            }
        }
        // A short list takes the comparison sort, with the same order.
        let short = index.probe_order(&hashes[..300]);
        let long_prefix: Vec<(u64, usize, u64)> =
            order.iter().copied().filter(|&(_, i, _)| i < 300).collect();
        assert_eq!(short, long_prefix);
        let mut items = vec![(3 << 32) | 1, (1 << 32) | 2, 3 << 32, (2 << 32) | 5];
        radix_sort_high(&mut items, 2);
        assert_eq!(
            items,
            vec![(1 << 32) | 2, (2 << 32) | 5, (3 << 32) | 1, 3 << 32]
        );
    }

    #[test]
    fn id_index_keeps_positions_beyond_32_bits() {
        let entries = vec![Entry::new("A", date!(2019 - 01 - 01), "")];
        let mut index: IdIndex = IdIndex::default();
        let far = EntryId::from("FAR");
        let position = usize::try_from(u64::from(u32::MAX) + 5).unwrap_or(usize::MAX);
        index.insert(&entries[0].id, Some(index.hash(&entries[0].id)), 0);
        index.insert(&far, Some(index.hash(&far)), position);
        let store = store_of(&entries);
        assert_eq!(index.get(&store, &far, index.hash(&far)), Some(position));
        assert_eq!(
            index.get(&store, &entries[0].id, index.hash(&entries[0].id)),
            Some(0)
        );
        assert_eq!(
            index.get(&store, &EntryId::from("B"), index.hash(&EntryId::from("B"))),
            None
        );
    }

    /// An id moved to another position is found there and no longer at the old one, also
    /// when it moves beyond 32 bits and back.
    #[test]
    fn a_moved_id_is_found_at_its_new_position() {
        let ids: Vec<EntryId> = ["A", "B", "C"].into_iter().map(EntryId::from).collect();
        let mut index: IdIndex = IdIndex::default();
        for (at, id) in ids.iter().enumerate() {
            index.insert(id, Some(index.hash(id)), at);
        }
        let far = usize::try_from(u64::from(u32::MAX) + 9).unwrap_or(usize::MAX);
        // Where each id is now, for the look-ups' `is_at`.
        let mut at: Vec<(usize, &EntryId)> = vec![(0, &ids[0]), (1, &ids[1]), (2, &ids[2])];
        for (k, from, to) in [(1, 1, 3), (2, 2, far), (2, far, 4), (1, 3, 1)] {
            index.moved(&ids[k], Some(index.hash(&ids[k])), from, to);
            at[k].0 = to;
            for (position, id) in &at {
                let is_at = |p: usize| at.iter().any(|(q, other)| *q == p && other == id);
                assert_eq!(
                    index.find(id, Some(index.hash(id)), is_at),
                    Some(*position),
                    "{id}"
                );
            }
            assert_eq!(index.len(), 3);
        }
    }

    /// An index of `codes` (each at its position) as the chart keeps one.
    fn index_of(codes: &[AccountCode]) -> CodeIndex {
        let mut index = CodeIndex::default();
        for (position, code) in codes.iter().enumerate() {
            index.insert(code, u32::try_from(position).unwrap_or(u32::MAX));
        }
        index
    }

    fn code(text: &str) -> AccountCode {
        AccountCode::new(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn numbered_codes_are_kept_in_runs_and_others_in_the_table() {
        // Six sub-accounts of each of 1000 members, opened member by member, and codes that
        // do not end in a number.
        let mut codes = Vec::new();
        for member in 0..1000 {
            for standard in ["114", "212", "213", "221", "222", "301"] {
                codes.push(code(&format!("{standard}.H{member:06}")));
            }
        }
        codes.push(code("521.RENT"));
        codes.push(code("501.GRAPE"));
        let index = index_of(&codes);
        assert_eq!(index.runs.runs.len(), 6);
        assert_eq!(index.table.len(), 2);
        let at = |p: usize| codes.get(p);
        for (position, c) in codes.iter().enumerate() {
            assert_eq!(index.get(c.as_str(), at), Some(position), "{c}");
        }
        for absent in [
            "114.H001000",
            "114.H00999",
            "114.H0999",
            "301.H",
            "521.RENTS",
            "114.M000001",
        ] {
            assert_eq!(index.get(code(absent).as_str(), at), None, "{absent}");
        }
    }

    #[test]
    fn a_run_never_grows_over_a_code_in_the_table() {
        // 0 starts the run; 500 is too far past its end and goes to the table, which closes
        // the run; 1 to 599 then fill the run's range as far as it reached (0 only) and go
        // to the table past it; 7 below a run that starts at 10 goes to the table too.
        let mut codes = vec![code("301.H000000"), code("301.H000500")];
        codes.extend(
            (1..600)
                .filter(|&n| n != 500)
                .map(|n| code(&format!("301.H{n:06}"))),
        );
        codes.extend([
            code("212.H10"),
            code("212.H11"),
            code("212.H07"),
            code("212.H12"),
        ]);
        let index = index_of(&codes);
        let at = |p: usize| codes.get(p);
        for (position, c) in codes.iter().enumerate() {
            assert_eq!(index.get(c.as_str(), at), Some(position), "{c}");
        }
        let run = |stem: &str, digits: u8| &index.runs.runs[&(CompactString::from(stem), digits)];
        assert!(run("301.H", 6).closed);
        assert_eq!(run("301.H", 6).positions, [1]);
        assert!(!run("212.H", 2).closed);
        assert_eq!(run("212.H", 2).positions.len(), 3);
        assert_eq!(index.table.len(), 600);
    }

    #[test]
    fn past_the_end_of_an_open_run_is_absent_and_of_a_closed_one_elsewhere() {
        let mut runs = Runs::default();
        // 301.H: 10 to 12, open. 212.H: 0, then 500 too far past its end (the table's),
        // which closes it.
        for (position, text) in ["301.H010", "301.H011", "301.H012"].into_iter().enumerate() {
            assert!(runs.insert(text, position));
        }
        assert!(runs.insert("212.H000", 3));
        assert!(!runs.insert("212.H500", 4));
        assert_eq!(runs.get("301.H011"), Held::At(1));
        // Past the open run's end: nowhere, without asking the table.
        assert_eq!(runs.get("301.H013"), Held::Absent);
        assert_eq!(runs.get("301.H999"), Held::Absent);
        // Below its start: the table may hold it.
        assert_eq!(runs.get("301.H009"), Held::Elsewhere);
        // Past the closed run's end: the table holds 500, and may hold others.
        assert_eq!(runs.get("212.H500"), Held::Elsewhere);
        assert_eq!(runs.get("212.H001"), Held::Elsewhere);
        assert_eq!(runs.get("212.H000"), Held::At(3));
        // No run for the stem or digit count, or no number.
        assert_eq!(runs.get("301.H0013"), Held::Elsewhere);
        assert_eq!(runs.get("114.H010"), Held::Elsewhere);
        assert_eq!(runs.get("521.RENT"), Held::Elsewhere);
    }

    #[test]
    fn only_short_stems_and_numbers_make_runs() {
        assert_eq!(numbered("301.H000123"), Some(("301.H", 6, 123)));
        assert_eq!(numbered("syn-7"), Some(("syn-", 1, 7)));
        assert_eq!(numbered("101"), Some(("", 3, 101)));
        assert_eq!(numbered("521.RENT"), None);
        assert_eq!(numbered("H1234567890"), None);
        assert_eq!(numbered("H123456789"), Some(("H", 9, 123_456_789)));
        assert_eq!(numbered("G-090"), Some(("G-", 3, 90)));
        assert_eq!(numbered("000"), Some(("", 3, 0)));
        assert_eq!(numbered("1234567890"), None);
        assert_eq!(numbered(""), None);
        assert_eq!(numbered("地块7"), Some(("地块", 1, 7)));
        let stem = "e".repeat(MAX_RUN_STEM);
        assert_eq!(numbered(&format!("{stem}1")), Some((stem.as_str(), 1, 1)));
        assert_eq!(numbered(&format!("{stem}e1")), None);
        assert_eq!(numbered("550e8400-e29b-41d4-a716-44665544a123"), None);
    }

    #[test]
    fn a_removed_code_is_not_found() {
        let codes: Vec<AccountCode> = (0..10).map(|n| code(&format!("301.H{n:06}"))).collect();
        let mut index = index_of(&codes);
        index.insert(&code("521.RENT"), 10);
        let mut all = codes.clone();
        all.push(code("521.RENT"));
        let at = |p: usize| all.get(p);
        index.remove(&all[9], 9);
        index.remove(&all[10], 10);
        // Removing with another position leaves the code.
        index.remove(&all[3], 4);
        assert_eq!(index.get(all[9].as_str(), at), None);
        assert_eq!(index.get(all[10].as_str(), at), None);
        assert_eq!(index.get(all[3].as_str(), at), Some(3));
        index.insert(&all[9], 9);
        assert_eq!(index.get(all[9].as_str(), at), Some(9));
    }

    proptest::proptest! {
        /// Whatever codes are opened in whatever order (numbers in order, at random, below a
        /// run's start, in other widths, codes without a number) and removed, the index finds
        /// each code at its position and no code it does not hold.
        #[test]
        fn the_code_index_behaves_as_a_map(
            ops in proptest::collection::vec((0u8..5, 0usize..5, 0u64..300, proptest::bool::ANY), 0..300),
        ) {
            let stems = ["301.H", "212.H", "521.GH", "4", "332."];
            let mut index = CodeIndex::default();
            let mut codes: Vec<AccountCode> = Vec::new();
            let mut model: HashMap<AccountCode, usize> = HashMap::new();
            let mut next = [0u64; 5];
            for (op, stem, number, wide) in ops {
                let number = match op {
                    // The next number of the stem.
                    0 | 1 => {
                        next[stem] += 1;
                        next[stem]
                    }
                    _ => number,
                };
                let text = match (stems[stem], wide) {
                    ("4", _) => format!("4{:02}", number % 100),
                    (stem, true) => format!("{stem}{number:06}"),
                    (stem, false) => format!("{stem}{number}"),
                };
                let Ok(c) = AccountCode::new(&text) else { continue };
                match op {
                    0..=2 if !model.contains_key(&c) => {
                        index.insert(&c, u32::try_from(codes.len()).unwrap_or(u32::MAX));
                        model.insert(c.clone(), codes.len());
                        codes.push(c.clone());
                    }
                    3 => {
                        if let Some(position) = model.remove(&c) {
                            index.remove(&c, position);
                        }
                    }
                    _ => {}
                }
                let at = |p: usize| codes.get(p);
                proptest::prop_assert_eq!(index.get(c.as_str(), at), model.get(&c).copied(), "{}", c);
            }
            let at = |p: usize| codes.get(p);
            for c in &codes {
                proptest::prop_assert_eq!(index.get(c.as_str(), at), model.get(c).copied(), "{}", c);
            }
        }
    }

    #[test]
    fn code_hashes_differ() {
        let build = BuildHasherDefault::<CodeHasher>::default();
        let codes = [
            "101",
            "102",
            "114.M001",
            "114.M002",
            "114.M0010",
            "114.M001.A",
        ];
        let mut hashes: Vec<u64> = codes
            .iter()
            .map(|c| build.hash_one(AccountCode::new(c).ok()))
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), codes.len());
    }
}
