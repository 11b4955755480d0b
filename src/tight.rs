//! Growth of the many short lists a book keeps.
//!
//! A county book holds millions of lists of one to a few items: each account's running
//! totals, each entry's postings, each greenhouse's harvests. The standard growth gives a
//! list room for four items at its first push (for items of up to a kilobyte), so a list of
//! one leaves three quarters of its allocation unused. These pushes grow a full list to twice
//! its length instead, starting from the room the caller names: still amortised constant
//! time, with no room left over for the lists that stay short.

/// Pushes `item` onto `list`; a full list grows to twice its length, or to `first` items
/// when it is empty (at least one).
pub(crate) fn push_from<T>(list: &mut Vec<T>, first: usize, item: T) {
    reserve_one(list, first);
    list.push(item);
}

/// Pushes `item` onto `list`; a full list grows to twice its length (one item when empty).
pub(crate) fn push<T>(list: &mut Vec<T>, item: T) {
    push_from(list, 1, item);
}

/// Inserts `item` at `index` of `list` (at most its length); grows as [`push`] does.
pub(crate) fn insert<T>(list: &mut Vec<T>, index: usize, item: T) {
    reserve_one(list, 1);
    list.insert(index, item);
}

/// Makes room for one more item: to twice the length of a full list, `first` for an empty one.
fn reserve_one<T>(list: &mut Vec<T>, first: usize) {
    if list.len() == list.capacity() {
        let more = if list.is_empty() {
            first.max(1)
        } else {
            list.len()
        };
        list.reserve_exact(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_have_no_room_left_over() {
        let mut list: Vec<u64> = Vec::new();
        push(&mut list, 1);
        assert_eq!((list.len(), list.capacity()), (1, 1));
        push(&mut list, 2);
        assert_eq!((list.len(), list.capacity()), (2, 2));
        push(&mut list, 3);
        assert_eq!((list.len(), list.capacity()), (3, 4));
        insert(&mut list, 0, 0);
        assert_eq!(list, [0, 1, 2, 3]);
        assert_eq!(list.capacity(), 4);
        insert(&mut list, 2, 9);
        assert_eq!(list, [0, 1, 9, 2, 3]);
        assert_eq!(list.capacity(), 8);

        let mut postings: Vec<u8> = Vec::new();
        push_from(&mut postings, 2, 7);
        assert_eq!((postings.len(), postings.capacity()), (1, 2));
        push_from(&mut postings, 2, 8);
        assert_eq!(postings.capacity(), 2);
        push_from(&mut postings, 2, 9);
        assert_eq!(
            (postings.as_slice(), postings.capacity()),
            ([7, 8, 9].as_slice(), 4)
        );
    }

    #[test]
    fn long_lists_grow_by_doubling() {
        let mut list = Vec::new();
        let mut growths = 0;
        for i in 0..100_000u32 {
            let before = list.capacity();
            push(&mut list, i);
            if list.capacity() != before {
                growths += 1;
            }
        }
        assert_eq!(list.len(), 100_000);
        assert!((list.iter().copied()).eq(0..100_000));
        // 1, 2, 4, ..., 131,072: eighteen allocations.
        assert_eq!(growths, 18);
    }
}
