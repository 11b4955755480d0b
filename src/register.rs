//! A map for the book's large registers (members, parcels, contracts, greenhouses).
//!
//! A county book registers a million parcels and a quarter of a million members and
//! contracts, almost always in the order of their ids. A `BTreeMap` filled in key order
//! leaves its nodes a little under half full (a node that overflows at its right end splits
//! in the middle, and the left half is never filled again), so about half of a register's
//! memory held nothing. A [`Register`] keeps its items in one list in key order, filled to
//! the end, and the few that arrive out of order in a small `BTreeMap` beside it, merged into
//! the list when they grow to a quarter of it. Lookups are a binary search of the list and a
//! search of the small map; iteration walks both in key order.

use std::collections::{btree_map, BTreeMap};
use std::fmt;
use std::iter::Peekable;

/// A map from `K` to `V`, iterated in key order; see the module docs.
#[derive(Clone)]
pub(crate) struct Register<K, V> {
    /// Items in strictly increasing key order.
    sorted: Vec<(K, V)>,
    /// Items whose keys are below the last key of `sorted`, not in it.
    late: BTreeMap<K, V>,
}

impl<K, V> Default for Register<K, V> {
    fn default() -> Register<K, V> {
        Register {
            sorted: Vec::new(),
            late: BTreeMap::new(),
        }
    }
}

impl<K: Ord, V> Register<K, V> {
    /// How many items it holds.
    pub(crate) fn len(&self) -> usize {
        self.sorted.len().saturating_add(self.late.len())
    }

    /// Whether it holds nothing.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.sorted.is_empty() && self.late.is_empty()
    }

    /// The position of `key` in `sorted`.
    fn position(&self, key: &K) -> Option<usize> {
        self.sorted.binary_search_by(|(k, _)| k.cmp(key)).ok()
    }

    /// The value under `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        match self.position(key) {
            Some(at) => self.sorted.get(at).map(|(_, v)| v),
            None => self.late.get(key),
        }
    }

    /// The value under `key`, to change.
    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        match self.position(key) {
            Some(at) => self.sorted.get_mut(at).map(|(_, v)| v),
            None => self.late.get_mut(key),
        }
    }

    /// Whether `key` is registered.
    pub(crate) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// Registers `value` under `key`; returns the value it replaces.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        // Late keys are below the list's last key, so a key above it is in neither: the
        // usual case (ids registered in order) costs one comparison.
        if self.sorted.last().is_none_or(|(last, _)| *last < key) {
            self.sorted.push((key, value));
            return None;
        }
        if let Some(at) = self.position(&key) {
            return self
                .sorted
                .get_mut(at)
                .map(|(_, v)| std::mem::replace(v, value));
        }
        let replaced = self.late.insert(key, value);
        if self.late.len().saturating_mul(4) > self.sorted.len() {
            self.merge_late();
        }
        replaced
    }

    /// Moves the late items into the list, in key order.
    fn merge_late(&mut self) {
        if self.late.is_empty() {
            return;
        }
        let late = std::mem::take(&mut self.late);
        self.sorted.reserve_exact(late.len());
        self.sorted.extend(late);
        // Keys are unique, so an unstable sort keeps the order of the keys, and it needs no
        // buffer beside the list.
        self.sorted.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    }

    /// The items in key order.
    pub(crate) fn iter(&self) -> Iter<'_, K, V> {
        Merged {
            sorted: self.sorted.iter().map(pair_ref as _).peekable(),
            late: self.late.iter().peekable(),
        }
    }

    /// The values in key order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// The items in key order, values to change.
    pub(crate) fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        Merged {
            sorted: self.sorted.iter_mut().map(pair_mut as _).peekable(),
            late: self.late.iter_mut().peekable(),
        }
    }
}

fn pair_ref<K, V>((k, v): &(K, V)) -> (&K, &V) {
    (k, v)
}

fn pair_mut<K, V>((k, v): &mut (K, V)) -> (&K, &mut V) {
    (k, v)
}

type ListIter<'a, K, V> =
    std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

type ListIterMut<'a, K, V> =
    std::iter::Map<std::slice::IterMut<'a, (K, V)>, fn(&'a mut (K, V)) -> (&'a K, &'a mut V)>;

/// The items of a [`Register`] in key order.
pub(crate) type Iter<'a, K, V> = Merged<ListIter<'a, K, V>, btree_map::Iter<'a, K, V>>;

/// The items of a [`Register`] in key order, values to change.
pub(crate) type IterMut<'a, K, V> = Merged<ListIterMut<'a, K, V>, btree_map::IterMut<'a, K, V>>;

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

impl<K: Ord, V: PartialEq> PartialEq for Register<K, V> {
    /// Equal when they hold the same items (however they are split between the list and the
    /// late items).
    fn eq(&self, other: &Register<K, V>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<K: Ord + fmt::Debug, V: fmt::Debug> fmt::Debug for Register<K, V> {
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
    use proptest::prelude::*;

    #[test]
    fn keys_in_order_fill_one_list() {
        let mut register = Register::default();
        for key in 0..1000u32 {
            assert_eq!(register.insert(key, key * 2), None);
        }
        assert!(register.late.is_empty());
        assert_eq!(register.sorted.len(), 1000);
        assert_eq!(register.get(&500), Some(&1000));
        assert_eq!(register.insert(500, 7), Some(1000));
        assert_eq!(register.get(&500), Some(&7));
        assert_eq!(register.get(&1000), None);
    }

    #[test]
    fn late_keys_are_found_and_merged() {
        let mut register = Register::default();
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
        assert_eq!((register.late.len(), register.sorted.len()), (25, 101));
        register.insert(237, ());
        assert!(register.late.is_empty());
        assert_eq!(register.sorted.len(), 127);
        assert!(register
            .sorted
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.0 < b.0)));
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
            let mut register = Register::default();
            let mut model = BTreeMap::new();
            for (key, value) in ops {
                prop_assert_eq!(register.insert(key, value), model.insert(key, value));
                prop_assert_eq!(register.len(), model.len());
                if value % 7 == 0 {
                    if let Some(v) = register.get_mut(&key) {
                        *v = v.wrapping_add(1);
                    }
                    if let Some(v) = model.get_mut(&key) {
                        *v = v.wrapping_add(1);
                    }
                }
            }
            for key in 0u16..400 {
                prop_assert_eq!(register.get(&key), model.get(&key));
                prop_assert_eq!(register.contains_key(&key), model.contains_key(&key));
            }
            prop_assert!(register.iter().eq(model.iter()));
            prop_assert!(register.values().eq(model.values()));
            for (_, v) in register.iter_mut() {
                *v = v.wrapping_mul(3);
            }
            for v in model.values_mut() {
                *v = v.wrapping_mul(3);
            }
            prop_assert!(register.iter().eq(model.iter()));
            prop_assert_eq!(register.is_empty(), model.is_empty());
            // Equality does not depend on how the items are split.
            let mut rebuilt = Register::default();
            for (k, v) in &model {
                rebuilt.insert(*k, *v);
            }
            prop_assert!(rebuilt == register);
        }
    }
}
