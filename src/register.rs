//! A map for the book's large registers (members, parcels, contracts, greenhouses).
//!
//! A county book registers a million parcels and a quarter of a million members and
//! contracts, almost always in the order of their ids. A `BTreeMap` filled in key order
//! leaves its nodes a little under half full (a node that overflows at its right end splits
//! in the middle, and the left half is never filled again), so about half of a register's
//! memory held nothing. A [`Register`] keeps its items in one list in key order, filled to
//! the end, and the few that arrive out of order in a small `BTreeMap` beside it, merged into
//! the list when they grow to a quarter of it. Lookups are a binary search of the list and a
//! search of the small map; iteration walks both in key order. A value that holds its own key
//! (a member, a parcel, a contract's or a greenhouse's record: [`Item::OWN`]) is its list's
//! only copy of the key (a million parcel ids are 24 MB); other values' keys are kept in a
//! list of their own. A register looked up once per worker of every timesheet (the members)
//! also keeps a hash index of the list (`Register<K, V, true>`): 8 bytes a key instead of a
//! binary search's twenty reads.

use std::collections::{btree_map, BTreeMap};
use std::fmt;
use std::hash::Hash;
use std::iter::Peekable;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::ledger::hashing::{IdIndex, RunKey};
use crate::{ContractId, ContractRecord, GreenhouseId, Member, MemberId, Parcel, ParcelId};

/// Keys of the list per key in its sample ([`Register::samples`]).
const BLOCK: usize = 64;

/// What a register's values say of their keys.
pub(crate) trait Item<K> {
    /// Whether every value holds its own key ([`Item::own_key`]): the register then keeps
    /// no copy of the key beside it (and [`Register::insert`]'s key must be the value's).
    const OWN: bool = false;

    /// The key the value holds, with [`Item::OWN`]; `None` otherwise.
    fn own_key(&self) -> Option<&K> {
        None
    }
}

impl Item<MemberId> for Member {
    const OWN: bool = true;
    fn own_key(&self) -> Option<&MemberId> {
        Some(&self.id)
    }
}

impl Item<ParcelId> for Parcel {
    const OWN: bool = true;
    fn own_key(&self) -> Option<&ParcelId> {
        Some(&self.id)
    }
}

impl Item<ContractId> for ContractRecord {
    const OWN: bool = true;
    fn own_key(&self) -> Option<&ContractId> {
        Some(&self.contract.id)
    }
}

impl Item<GreenhouseId> for crate::GreenhouseRecord {
    const OWN: bool = true;
    fn own_key(&self) -> Option<&GreenhouseId> {
        Some(&self.greenhouse.id)
    }
}

impl<K, T> Item<K> for Few<T> {}

/// A map from `K` to `V`, iterated in key order; see the module docs. `INDEXED` keeps a hash
/// index of the list's keys.
#[derive(Clone)]
pub(crate) struct Register<K, V, const INDEXED: bool = false> {
    /// The keys of `values` in strictly increasing order, unless the values hold their own
    /// ([`Item::OWN`]): then it is empty, and [`Register::key_at`] reads a value's.
    keys: Vec<K>,
    /// Every [`BLOCK`]th key of `keys` (`keys[0]`, `keys[64]`, …): a binary search of these
    /// (a list 64 times shorter, which stays in the processor's caches) and then of one
    /// block of 64 keys reads a few cache lines where a search of the whole list misses the
    /// cache at most of its twenty steps.
    samples: Vec<K>,
    /// The values, in strictly increasing order of their keys.
    values: Vec<V>,
    /// Items whose keys are below the last key of `keys`, not in it.
    late: BTreeMap<K, V>,
    /// With `INDEXED`, the position of every key of `keys`; empty otherwise.
    index: IdIndex<K>,
    /// Where the last search found its key: tried (and the position after it) before
    /// searching, since a book's events mostly name keys in order (a contract's parcels,
    /// each greenhouse's harvest and sale, the year's close member by member).
    recent: Recent,
}

/// Where a register's last searches found their keys: two guesses, each checked by
/// comparing keys (so any value is safe). Two guesses because two threads may walk one
/// register at once, each through its own half (the close's members, shared between two
/// threads): with one guess, each thread's search moved it away from the other's, and
/// nearly every look-up missed. Each guess has a cache line of its own, so that one
/// thread's moving its guess does not take the line from the other. Atomic so that a
/// shared register stays `Sync`; relaxed, since they order nothing.
#[derive(Debug, Default)]
struct Recent([Guess; 2]);

/// One of [`Recent`]'s guesses, alone on its cache line.
#[derive(Debug, Default)]
#[repr(align(64))]
struct Guess(AtomicUsize);

impl Guess {
    fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    fn set(&self, at: usize) {
        self.0.store(at, Ordering::Relaxed);
    }
}

impl Clone for Recent {
    fn clone(&self) -> Recent {
        let [first, second] = &self.0;
        Recent([
            Guess(AtomicUsize::new(first.get())),
            Guess(AtomicUsize::new(second.get())),
        ])
    }
}

impl<K, V, const INDEXED: bool> Default for Register<K, V, INDEXED> {
    fn default() -> Register<K, V, INDEXED> {
        Register {
            keys: Vec::new(),
            samples: Vec::new(),
            values: Vec::new(),
            late: BTreeMap::new(),
            index: IdIndex::default(),
            recent: Recent::default(),
        }
    }
}

impl<K: Ord + Hash + Clone + RunKey, V: Item<K>, const INDEXED: bool> Register<K, V, INDEXED> {
    /// How many items it holds.
    pub(crate) fn len(&self) -> usize {
        self.values.len().saturating_add(self.late.len())
    }

    /// Whether it holds nothing.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty() && self.late.is_empty()
    }

    /// The key of the list's value at `at`.
    fn key_at(&self, at: usize) -> Option<&K> {
        if V::OWN {
            self.values.get(at).and_then(Item::own_key)
        } else {
            self.keys.get(at)
        }
    }

    /// The list's last key.
    fn last_key(&self) -> Option<&K> {
        self.key_at(self.values.len().checked_sub(1)?)
    }

    /// The position of `key` in the list.
    fn position(&self, key: &K) -> Option<usize> {
        if INDEXED {
            self.index
                .find(key, None, |at| self.key_at(at) == Some(key))
        } else {
            // Keys registered in order are looked up mostly in order too: a key above the
            // last is not in the list, and the key the last search found, or the one after
            // it, is found without searching.
            if self.last_key().is_none_or(|last| last < key) {
                return None;
            }
            let [first, second] = &self.recent.0;
            let guesses = [first.get(), second.get()];
            for (guess, recent) in guesses.into_iter().zip([first, second]) {
                if self.key_at(guess) == Some(key) {
                    return Some(guess);
                }
                let next = guess.wrapping_add(1);
                if self.key_at(next) == Some(key) {
                    recent.set(next);
                    return Some(next);
                }
            }
            let at = self.search(key)?;
            // The guess nearer the key found moves to it: the other is another walk's.
            let [near_first, near_second] = guesses.map(|guess| guess.abs_diff(at));
            if near_first <= near_second {
                first.set(at);
            } else {
                second.set(at);
            }
            Some(at)
        }
    }

    /// The position of `key` in the list (at most the last key), by searching the samples
    /// and then one block: a key at or above the last sample (a key just registered) is in
    /// the last block, found without searching the samples.
    fn search(&self, key: &K) -> Option<usize> {
        let last_block = self.samples.len().checked_sub(1)?;
        let block = match self.samples.get(last_block) {
            Some(sample) if sample <= key => last_block,
            // The block whose first key is the last at or below `key`.
            _ => self
                .samples
                .partition_point(|sample| sample <= key)
                .checked_sub(1)?,
        };
        let start = block.saturating_mul(BLOCK);
        let end = start.saturating_add(BLOCK).min(self.values.len());
        let at = if V::OWN {
            let block = self.values.get(start..end)?;
            block.binary_search_by(|value| value.own_key().cmp(&Some(key)))
        } else {
            self.keys.get(start..end)?.binary_search(key)
        };
        Some(start.saturating_add(at.ok()?))
    }

    /// The value under `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        match self.position(key) {
            Some(at) => self.values.get(at),
            None => self.late.get(key),
        }
    }

    /// The value under `key`, with its position in the register's list of keys if it is
    /// there (the position of a key stays the same until late keys are merged in).
    pub(crate) fn get_listed(&self, key: &K) -> Option<(Option<usize>, &V)> {
        match self.position(key) {
            Some(at) => self.values.get(at).map(|v| (Some(at), v)),
            None => self.late.get(key).map(|v| (None, v)),
        }
    }

    /// [`Register::get_listed`], trying the list's position `guess` first, if there is one:
    /// when the key is there (a caller reading keys in the register's order guesses the
    /// position after the last), it is found without searching or hashing.
    pub(crate) fn get_listed_guessing(
        &self,
        key: &K,
        guess: Option<usize>,
    ) -> Option<(Option<usize>, &V)> {
        if let Some(at) = guess.filter(|&at| self.key_at(at) == Some(key)) {
            return self.values.get(at).map(|v| (Some(at), v));
        }
        self.get_listed(key)
    }

    /// How many keys the register's list holds: positions from
    /// [`Register::get_listed`] are below it.
    pub(crate) fn listed_len(&self) -> usize {
        self.values.len()
    }

    /// The value under `key`, to change (a value's own key, [`Item::OWN`], must stay as it
    /// is).
    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        match self.position(key) {
            Some(at) => self.values.get_mut(at),
            None => self.late.get_mut(key),
        }
    }

    /// Whether `key` is registered.
    pub(crate) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// Registers `value` under `key` (the value's own key, if it holds one: [`Item::OWN`]);
    /// returns the value it replaces.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        // Late keys are below the list's last key, so a key above it is in neither: the
        // usual case (ids registered in order) costs one comparison.
        if self.last_key().is_none_or(|last| *last < key) {
            if INDEXED {
                self.index.insert(&key, None, self.values.len());
            } else if self.values.len().is_multiple_of(BLOCK) {
                self.samples.push(key.clone());
            }
            if !V::OWN {
                self.keys.push(key);
            }
            self.values.push(value);
            return None;
        }
        if let Some(at) = self.position(&key) {
            return self.values.get_mut(at).map(|v| std::mem::replace(v, value));
        }
        // A key that belongs among the list's last block of keys is put in its place there,
        // moving at most a block of keys one place on (a register whose first key sorts
        // after the rest, as a collective's `V…` after its households' `H…`, would
        // otherwise keep every later key among the late ones).
        // (Late keys are all below it: each was below the tail's first key when it came,
        // and the tail only moves on.)
        let tail = self.values.len().saturating_sub(BLOCK);
        if self.key_at(tail).is_some_and(|first| *first < key) && !self.late.contains_key(&key) {
            self.insert_in_tail(tail, key, value);
            return None;
        }
        let replaced = self.late.insert(key, value);
        if self.late.len().saturating_mul(4) > self.values.len() {
            self.merge_late();
        }
        replaced
    }

    /// Inserts `key` (not in the register, above the key at `tail` and below the last)
    /// into the list at its place after `tail`, keeping the hash index or the samples.
    fn insert_in_tail(&mut self, tail: usize, key: K, value: V) {
        let len = self.values.len();
        // The tail is in key order: its first key not below `key` is found by halving (six
        // comparisons for a block, where walking it compared each of its keys).
        let (mut at, mut end) = (tail, len);
        while at < end {
            let middle = at.saturating_add(end.saturating_sub(at) / 2);
            if self.key_at(middle).is_some_and(|k| *k < key) {
                at = middle.saturating_add(1);
            } else {
                end = middle;
            }
        }
        if INDEXED {
            // The keys from `at` on each move one place on.
            for from in (at..len).rev() {
                if let Some(moved) = self.key_at(from).cloned() {
                    self.index.moved(&moved, None, from, from.saturating_add(1));
                }
            }
            self.index.insert(&key, None, at);
        }
        if !V::OWN {
            self.keys.insert(at, key);
        }
        self.values.insert(at, value);
        if !INDEXED {
            // The samples of the blocks that start at `at` or after it, made again.
            self.sample_from(at.div_ceil(BLOCK));
        }
    }

    /// The samples from the `first`-th on, made again from the list.
    fn sample_from(&mut self, first: usize) {
        self.samples.truncate(first);
        let from = first.saturating_mul(BLOCK);
        let samples: Vec<K> = (from..self.values.len())
            .step_by(BLOCK)
            .filter_map(|at| self.key_at(at).cloned())
            .collect();
        self.samples.extend(samples);
    }

    /// Moves the late items into the list, in key order.
    fn merge_late(&mut self) {
        if self.late.is_empty() {
            return;
        }
        let late = std::mem::take(&mut self.late);
        let total = self.values.len().saturating_add(late.len());
        // The list and the late items (a `BTreeMap`, taken in key order) are two sorted runs
        // one after the other: the standard stable sort finds the two and merges them, in
        // time linear in the items and touching a buffer only as large as the shorter run.
        // (An unstable sort needs no buffer but sorts them anew: a million contracts' records
        // took a fifth of the first rent accrual after them.)
        if V::OWN {
            let mut values = std::mem::take(&mut self.values);
            values.reserve(late.len());
            values.extend(late.into_values());
            values.sort_by(|a, b| a.own_key().cmp(&b.own_key()));
            self.values = values;
        } else {
            let mut items: Vec<(K, V)> = Vec::with_capacity(total);
            let (keys, values) = (
                std::mem::take(&mut self.keys),
                std::mem::take(&mut self.values),
            );
            items.extend(keys.into_iter().zip(values));
            items.extend(late);
            items.sort_by(|(a, _), (b, _)| a.cmp(b));
            (self.keys, self.values) = items.into_iter().unzip();
        }
        if !INDEXED {
            self.sample_from(0);
        }
        if INDEXED {
            let mut index = IdIndex::default();
            index.reserve(self.values.len());
            for at in 0..self.values.len() {
                if let Some(key) = self.key_at(at) {
                    index.insert(key, None, at);
                }
            }
            self.index = index;
        }
    }

    /// The items in key order.
    pub(crate) fn iter(&self) -> Iter<'_, K, V> {
        Merged {
            sorted: Listed {
                keys: &self.keys,
                values: self.values.iter(),
            }
            .peekable(),
            late: self.late.iter().peekable(),
        }
    }

    /// The values in key order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// The values in key order, to change (the late items merged into the list first).
    /// A value's key must stay as it is.
    pub(crate) fn values_mut(&mut self) -> std::slice::IterMut<'_, V> {
        self.merge_late();
        self.values.iter_mut()
    }
}

/// The items of a register's list, each with its key.
pub(crate) struct Listed<'a, K, V> {
    /// The keys not yet reached, unless the values hold their own ([`Item::OWN`]).
    keys: &'a [K],
    values: std::slice::Iter<'a, V>,
}

impl<'a, K, V: Item<K>> Iterator for Listed<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<(&'a K, &'a V)> {
        let value = self.values.next()?;
        let key = if V::OWN {
            value.own_key()?
        } else {
            let (key, rest) = self.keys.split_first()?;
            self.keys = rest;
            key
        };
        Some((key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.values.size_hint()
    }
}

/// The items of a [`Register`] in key order.
pub(crate) type Iter<'a, K, V> = Merged<Listed<'a, K, V>, btree_map::Iter<'a, K, V>>;

/// The items of a register's list and of its late items, merged in key order.
pub(crate) struct Merged<A: Iterator, B: Iterator> {
    sorted: Peekable<A>,
    late: Peekable<B>,
}

impl<'a, K, T, A, B> Iterator for Merged<A, B>
where
    K: Ord + 'a,
    A: Iterator<Item = (&'a K, T)>,
    B: Iterator<Item = (&'a K, T)>,
{
    type Item = (&'a K, T);

    fn next(&mut self) -> Option<(&'a K, T)> {
        let list_first = match (self.sorted.peek(), self.late.peek()) {
            (Some((a, _)), Some((b, _))) => a < b,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        if list_first {
            self.sorted.next()
        } else {
            self.late.next()
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (a, b) = (self.sorted.size_hint(), self.late.size_hint());
        let low = a.0.saturating_add(b.0);
        (low, a.1.zip(b.1).and_then(|(x, y)| x.checked_add(y)))
    }
}

impl<K: Ord + Hash + Clone + RunKey, V: PartialEq + Item<K>, const INDEXED: bool> PartialEq
    for Register<K, V, INDEXED>
{
    /// Equal when they hold the same items (however they are split between the list and the
    /// late items).
    fn eq(&self, other: &Register<K, V, INDEXED>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<K: Ord + Hash + Clone + RunKey + fmt::Debug, V: fmt::Debug + Item<K>, const INDEXED: bool>
    fmt::Debug for Register<K, V, INDEXED>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A list that is usually of one item (the contracts on a parcel, the contracts of a member),
/// kept without an allocation of its own until it has a second.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Few<T> {
    /// One item.
    One([T; 1]),
    /// Any number of items.
    Many(Vec<T>),
}

impl<T> Few<T> {
    /// A list of `item` alone.
    pub(crate) fn one(item: T) -> Few<T> {
        Few::One([item])
    }

    /// The items, in the order pushed.
    pub(crate) fn as_slice(&self) -> &[T] {
        match self {
            Few::One(one) => one,
            Few::Many(many) => many,
        }
    }

    /// Adds `item` at the end.
    pub(crate) fn push(&mut self, item: T) {
        match self {
            Few::Many(many) => crate::tight::push(many, item),
            Few::One(_) => {
                let mut many = Vec::with_capacity(2);
                if let Few::One([first]) = std::mem::replace(self, Few::Many(Vec::new())) {
                    many.push(first);
                }
                many.push(item);
                *self = Few::Many(many);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::hashing::RunKey;
    use proptest::prelude::*;

    impl<K> Item<K> for u8 {}
    impl<K> Item<K> for u32 {}
    impl<K> Item<K> for usize {}
    impl<K> Item<K> for () {}

    /// A value that holds its own key.
    #[derive(Debug, Clone, PartialEq)]
    struct Owned<K>(K, u8);

    impl<K> Item<K> for Owned<K> {
        const OWN: bool = true;
        fn own_key(&self) -> Option<&K> {
            Some(&self.0)
        }
    }

    #[test]
    fn keys_in_order_fill_one_list() {
        let mut register: Register<u32, u32> = Register::default();
        for key in 0..1000u32 {
            assert_eq!(register.insert(key, key * 2), None);
        }
        assert!(register.late.is_empty());
        assert_eq!(register.keys.len(), 1000);
        assert_eq!(register.get(&500), Some(&1000));
        assert_eq!(register.insert(500, 7), Some(1000));
        assert_eq!(register.get(&500), Some(&7));
        assert_eq!(register.get(&1000), None);
    }

    #[test]
    fn late_keys_are_found_and_merged() {
        late_keys_in::<false>();
        late_keys_in::<true>();
    }

    fn late_keys_in<const INDEXED: bool>() {
        let mut register: Register<u32, (), INDEXED> = Register::default();
        for key in (0..100u32).map(|k| k * 10) {
            register.insert(key, ());
        }
        register.insert(5, ());
        register.insert(15, ());
        assert_eq!(register.late.len(), 2);
        assert!(register.contains_key(&15));
        assert!(!register.contains_key(&25));
        register.insert(5000, ());
        assert_eq!(register.late.len(), 2);
        let keys: Vec<u32> = register.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys.get(..4), Some([0, 5, 10, 15].as_slice()));
        assert_eq!(keys.last(), Some(&5000));
        assert_eq!(keys.len(), 103);
        // Late keys are merged into the list when they reach a quarter of it.
        for key in (0..23u32).map(|k| k * 10 + 7) {
            register.insert(key, ());
        }
        assert_eq!((register.late.len(), register.keys.len()), (25, 101));
        register.insert(237, ());
        assert!(register.late.is_empty());
        assert_eq!(register.keys.len(), 127);
        assert!(register
            .keys
            .windows(2)
            .all(|w| matches!(w, [a, b] if a < b)));
        assert_eq!(register.values.len(), 127);
        // Every key is found after the merge (the index, if any, rebuilt).
        for key in [0, 5, 7, 15, 227, 237, 990, 5000] {
            assert!(register.contains_key(&key), "{key}");
        }
        assert!(!register.contains_key(&25));
    }

    #[test]
    fn keys_within_the_last_block_go_in_at_their_place() {
        within_the_last_block::<false>();
        within_the_last_block::<true>();
    }

    /// Keys 0, 10, …, 990 and 5000 in order (101 keys: the last block of 64 starts at 370),
    /// then 371, 975, 989 and 4999, each above the first key of the last block when it
    /// comes: each goes into the list at its place, none among the late.
    fn within_the_last_block<const INDEXED: bool>() {
        let mut register: Register<u32, u32, INDEXED> = Register::default();
        for key in (0..100u32).map(|k| k * 10).chain([5000]) {
            register.insert(key, key);
        }
        for key in [371, 975, 989, 4999] {
            assert_eq!(register.insert(key, key + 1), None, "{key}");
        }
        assert!(register.late.is_empty());
        let tail: Vec<u32> = register.keys.get(37..).unwrap_or_default().to_vec();
        let mut expected: Vec<u32> = (37..100u32).map(|k| k * 10).collect();
        expected.extend([371, 975, 989, 4999, 5000]);
        expected.sort_unstable();
        assert_eq!(tail, expected);
        assert_eq!(register.get_listed(&370), Some((Some(37), &370)));
        assert_eq!(register.get_listed(&371), Some((Some(38), &372)));
        assert_eq!(register.get_listed(&380), Some((Some(39), &380)));
        assert_eq!(register.get_listed(&975), Some((Some(99), &976)));
        assert_eq!(register.get_listed(&980), Some((Some(100), &980)));
        assert_eq!(register.get_listed(&989), Some((Some(101), &990)));
        assert_eq!(register.get_listed(&4999), Some((Some(103), &5000)));
        assert_eq!(register.get_listed(&5000), Some((Some(104), &5000)));
    }

    #[test]
    fn keys_below_a_first_key_that_sorts_last_stay_in_the_list() {
        below_a_last_first_key::<false>();
        below_a_last_first_key::<true>();
    }

    /// A collective `V000001` registered before its households `H000000`, `H000001`, …:
    /// each household goes in before the collective, in the list, not among the late keys.
    fn below_a_last_first_key<const INDEXED: bool>() {
        let mut register: Register<String, usize, INDEXED> = Register::default();
        register.insert("V000001".to_string(), 0);
        for n in 0..1000 {
            assert_eq!(register.insert(format!("H{n:06}"), n + 1), None);
        }
        assert!(register.late.is_empty());
        assert_eq!(register.keys.len(), 1001);
        assert_eq!(register.keys.last().map(String::as_str), Some("V000001"));
        for n in [0, 1, 63, 64, 65, 500, 999] {
            let key = format!("H{n:06}");
            assert_eq!(
                register.get_listed(&key),
                Some((Some(n), &(n + 1))),
                "{key}"
            );
        }
        assert_eq!(
            register.get_listed(&"V000001".to_string()),
            Some((Some(1000), &0))
        );
        let every: Vec<String> = if INDEXED {
            Vec::new()
        } else {
            register.keys.iter().step_by(BLOCK).cloned().collect()
        };
        assert_eq!(register.samples, every);
        // A key already there is replaced, not added; one far below the end is late.
        assert_eq!(register.insert("H000999".to_string(), 7), Some(1000));
        assert_eq!(register.insert("H000000-A".to_string(), 8), None);
        assert_eq!(register.late.len(), 1);
        assert_eq!(register.get(&"H000000-A".to_string()), Some(&8));
    }

    #[test]
    fn a_guessed_position_is_tried_first_and_a_wrong_guess_searches() {
        let mut register: Register<u32, u32, true> = Register::default();
        for key in (0..100u32).map(|k| k * 10) {
            register.insert(key, key + 1);
        }
        register.insert(5, 6);
        for guess in [
            None,
            Some(0),
            Some(3),
            Some(4),
            Some(99),
            Some(100),
            Some(usize::MAX),
        ] {
            // Right, wrong or past the end: the answer is get_listed's.
            assert_eq!(
                register.get_listed_guessing(&30, guess),
                Some((Some(3), &31))
            );
            assert_eq!(register.get_listed_guessing(&5, guess), Some((None, &6)));
            assert_eq!(register.get_listed_guessing(&7, guess), None);
        }
        assert_eq!(
            register.get_listed_guessing(&990, Some(99)),
            Some((Some(99), &991))
        );
    }

    #[test]
    fn keys_looked_up_in_any_order_after_the_last_found() {
        let mut register: Register<u32, u32> = Register::default();
        for key in (0..1000).map(|k| k * 2) {
            register.insert(key, key + 1);
        }
        // Upwards (each the one after the last found), downwards and in strides: present
        // keys found with their values, absent ones (between two present) not.
        let upwards: Vec<u32> = (0..2000).collect();
        let downwards: Vec<u32> = (0..2000).rev().collect();
        let strides: Vec<u32> = (0..2000).map(|k| (k * 7) % 2000).collect();
        for order in [upwards, downwards, strides] {
            for key in order {
                let expected = (key % 2 == 0).then_some(key + 1);
                assert_eq!(register.get(&key).copied(), expected, "key {key}");
            }
        }
        // A key registered before the last found moves it on: the remembered position now
        // holds another key, and both are still found.
        assert_eq!(register.get(&1996), Some(&1997));
        register.insert(1995, 7);
        assert_eq!(register.get(&1996), Some(&1997));
        assert_eq!(register.get(&1995), Some(&7));
        assert_eq!(register.get(&1994), Some(&1995));
        assert_eq!(register.get(&1997), None);
        // A clone remembers the same position and finds the same keys.
        let clone = register.clone();
        assert_eq!(clone.get(&1998), Some(&1999));
        assert_eq!(clone, register);
    }

    #[test]
    fn two_walks_through_one_register_each_keep_their_guess() {
        let mut register: Register<u32, u32> = Register::default();
        for key in 0..1000u32 {
            register.insert(key, key + 1);
        }
        let guesses = |register: &Register<u32, u32>| {
            let [first, second] = &register.recent.0;
            [first.get(), second.get()]
        };
        // Two walks in step, one through each half: after each pair of look-ups, one guess
        // is where each walk is, so neither walk's next key needs a search.
        for step in 0..500u32 {
            assert_eq!(register.get(&step), Some(&(step + 1)));
            assert_eq!(register.get(&(500 + step)), Some(&(501 + step)));
            let mut found = guesses(&register);
            found.sort_unstable();
            let step = usize::try_from(step).unwrap_or(usize::MAX);
            assert_eq!(found, [step, 500 + step], "step {step}");
        }
        // A jump moves the nearer guess only: 900 is nearer the second walk's 999.
        assert_eq!(register.get(&900), Some(&901));
        let mut found = guesses(&register);
        found.sort_unstable();
        assert_eq!(found, [499, 900]);
        // A clone keeps both guesses.
        assert_eq!(guesses(&register.clone()), guesses(&register));
    }

    #[test]
    fn few_keeps_one_item_without_a_list() {
        let mut few = Few::one("a");
        assert!(matches!(few, Few::One(_)));
        assert_eq!(few.as_slice(), ["a"]);
        few.push("b");
        few.push("c");
        assert_eq!(few.as_slice(), ["a", "b", "c"]);
        assert!(std::mem::size_of::<Few<String>>() <= 32);
    }

    proptest! {
        /// Whatever the order of inserts, a register answers as a `BTreeMap` does.
        #[test]
        fn behaves_as_a_btree_map(ops in proptest::collection::vec((0u16..400, any::<u8>()), 0..600)) {
            let register: Register<u16, u8> = Register::default();
            behaves_as(register, ops)?;
        }

        /// So does a long one filled mostly in key order (many blocks of samples), with
        /// some keys late and some looked up that are not there.
        #[test]
        fn a_long_register_behaves_as_a_btree_map(
            late in proptest::collection::vec(0u16..4000, 0..300),
            step in 1u16..4,
        ) {
            let mut ops: Vec<(u16, u8)> = (0..4000u16).step_by(usize::from(step)).map(|k| (k, 1)).collect();
            ops.extend(late.into_iter().map(|k| (k, 2)));
            let register: Register<u16, u8> = Register::default();
            behaves_as(register, ops)?;
        }

        /// So does one that keeps a hash index.
        #[test]
        fn an_indexed_register_behaves_as_a_btree_map(ops in proptest::collection::vec((0u16..400, any::<u8>()), 0..600)) {
            let register: Register<u16, u8, true> = Register::default();
            behaves_as(register, ops)?;
        }

        /// So does one whose values hold their own keys, short or long, with or without a
        /// hash index (ids in two widths).
        #[test]
        fn a_register_of_values_that_hold_their_keys_behaves_as_a_btree_map(
            ops in proptest::collection::vec((0u16..400, any::<u8>()), 0..600),
            late in proptest::collection::vec(0u16..4000, 0..300),
            step in 1u16..4,
        ) {
            let owned = |key: &u16, value: u8| Owned(*key, value);
            let change = |v: &mut Owned<u16>| v.1 = v.1.wrapping_add(1);
            behaves_as_items(Register::<u16, Owned<u16>>::default(), ops.clone(), |n| n, owned, change)?;
            let mut long: Vec<(u16, u8)> = (0..4000u16).step_by(usize::from(step)).map(|k| (k, 1)).collect();
            long.extend(late.into_iter().map(|k| (k, 2)));
            behaves_as_items(Register::<u16, Owned<u16>>::default(), long, |n| n, owned, change)?;
            behaves_as_items(
                Register::<String, Owned<String>, true>::default(),
                ops,
                |n| if n % 5 == 0 { format!("H{n}") } else { format!("H{n:04}") },
                |key, value| Owned(key.clone(), value),
                |v| v.1 = v.1.wrapping_add(1),
            )?;
        }

        /// So does one that keeps numbered ids in runs (ids in two widths, in order, at
        /// random, late and moved by keys registered before them).
        #[test]
        fn an_indexed_register_of_numbered_ids_behaves_as_a_btree_map(
            ops in proptest::collection::vec((0u16..400, any::<u8>()), 0..600),
            in_order in 0u16..300,
        ) {
            let register: Register<String, u8, true> = Register::default();
            let mut all: Vec<(u16, u8)> = (0..in_order).map(|n| (n, 1)).collect();
            all.extend(ops);
            behaves_as_keyed(register, all, |n| {
                if n % 5 == 0 { format!("H{n}") } else { format!("H{n:04}") }
            })?;
        }
    }

    fn behaves_as<const INDEXED: bool>(
        register: Register<u16, u8, INDEXED>,
        ops: Vec<(u16, u8)>,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        behaves_as_keyed(register, ops, |n| n)
    }

    /// [`behaves_as`] with the numbers made keys by `key`.
    fn behaves_as_keyed<K, const INDEXED: bool>(
        register: Register<K, u8, INDEXED>,
        ops: Vec<(u16, u8)>,
        key: impl Fn(u16) -> K,
    ) -> Result<(), proptest::test_runner::TestCaseError>
    where
        K: Ord + Hash + Clone + RunKey + fmt::Debug,
    {
        behaves_as_items(
            register,
            ops,
            key,
            |_, value| value,
            |v| *v = v.wrapping_add(1),
        )
    }

    /// [`behaves_as_keyed`] with the numbers made values by `make` and values changed by
    /// `change`.
    fn behaves_as_items<K, V, const INDEXED: bool>(
        mut register: Register<K, V, INDEXED>,
        ops: Vec<(u16, u8)>,
        key: impl Fn(u16) -> K,
        make: impl Fn(&K, u8) -> V,
        change: impl Fn(&mut V),
    ) -> Result<(), proptest::test_runner::TestCaseError>
    where
        K: Ord + Hash + Clone + RunKey + fmt::Debug,
        V: Item<K> + PartialEq + Clone + fmt::Debug,
    {
        {
            let mut model = BTreeMap::new();
            for (number, value) in ops {
                let key = key(number);
                prop_assert_eq!(
                    register.insert(key.clone(), make(&key, value)),
                    model.insert(key.clone(), make(&key, value))
                );
                prop_assert_eq!(register.len(), model.len());
                if value % 7 == 0 {
                    if let Some(v) = register.get_mut(&key) {
                        change(v);
                    }
                    if let Some(v) = model.get_mut(&key) {
                        change(v);
                    }
                }
            }
            for key in (0u16..4100).map(&key) {
                prop_assert_eq!(register.get(&key), model.get(&key));
                let listed = register.get_listed(&key);
                prop_assert_eq!(listed.map(|(_, v)| v), model.get(&key));
                if let Some((Some(position), _)) = listed {
                    prop_assert!(position < register.listed_len());
                    prop_assert_eq!(register.key_at(position), Some(&key));
                }
                prop_assert_eq!(register.contains_key(&key), model.contains_key(&key));
            }
            prop_assert!(register.iter().eq(model.iter()));
            prop_assert!(register.values().eq(model.values()));
            // The samples are every BLOCKth key of the list (an indexed register keeps none),
            // and the list keeps no keys of its own for values that hold theirs.
            let every: Vec<K> = if INDEXED {
                Vec::new()
            } else {
                (0..register.listed_len())
                    .step_by(BLOCK)
                    .filter_map(|at| register.key_at(at).cloned())
                    .collect()
            };
            prop_assert_eq!(&register.samples, &every);
            prop_assert_eq!(
                register.keys.is_empty(),
                V::OWN || register.listed_len() == 0
            );
            for v in register.values_mut() {
                change(v);
                change(v);
            }
            for v in model.values_mut() {
                change(v);
                change(v);
            }
            prop_assert!(register.iter().eq(model.iter()));
            prop_assert!(register.late.is_empty());
            prop_assert_eq!(register.is_empty(), model.is_empty());
            // Equality does not depend on how the items are split.
            let mut rebuilt = Register::default();
            for (k, v) in &model {
                rebuilt.insert(k.clone(), v.clone());
            }
            prop_assert!(rebuilt == register);
        }
        Ok(())
    }
}
