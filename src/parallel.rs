//! Work shared between this thread and a second one.
//!
//! A book's largest operations (a trial balance of every account, the close's member shares,
//! a month's depreciation of every greenhouse) are each one call, made after the log's
//! reading thread has finished: the second processor would be idle. These helpers give it
//! half the work, and keep the results (and the first error) those of one pass in order. A
//! second thread that cannot start leaves its work to this one; none of the work can panic.

use std::sync::{Mutex, PoisonError};

use crate::Result;

/// Whether the machine has a second processor to share work with.
fn two_processors() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

/// `a` on this thread and `b` on a second one named `name` (with `parallel` and a second
/// processor), both results in that order. Otherwise, or when the thread cannot start, `b`
/// runs here after `a`.
pub(crate) fn join<A, B: Send>(
    parallel: bool,
    name: &str,
    a: impl FnOnce() -> A,
    b: impl Fn() -> B + Sync,
) -> (A, B) {
    if !(parallel && two_processors()) {
        let a = a();
        return (a, b());
    }
    let b = &b;
    let (a, second) = std::thread::scope(|scope| {
        let second = std::thread::Builder::new()
            .name(name.into())
            .spawn_scoped(scope, b)
            .ok();
        let a = a();
        (a, second.and_then(|thread| thread.join().ok()))
    });
    // The thread cannot panic; if it did not start or could not be joined, `b` runs here.
    (a, second.unwrap_or_else(b))
}

/// `a` on this thread, given a way to take the result of `b`, which runs meanwhile on a
/// second thread named `name` (with `parallel` and a second processor): taking it waits for
/// it. Otherwise, or when the thread cannot start, `b` runs here when its result is taken.
/// The result is given once; taking it again gives `None`. A result not taken is dropped
/// once `b` has finished.
pub(crate) fn ahead<B: Send, R>(
    parallel: bool,
    name: &str,
    b: impl Fn() -> B + Sync,
    a: impl FnOnce(&mut dyn FnMut() -> Option<B>) -> R,
) -> R {
    let b = &b;
    if !(parallel && two_processors()) {
        let mut taken = false;
        return a(&mut || (!std::mem::replace(&mut taken, true)).then(b));
    }
    std::thread::scope(|scope| {
        let mut thread = std::thread::Builder::new()
            .name(name.into())
            .spawn_scoped(scope, b)
            .ok();
        let mut taken = false;
        a(&mut || {
            if std::mem::replace(&mut taken, true) {
                return None;
            }
            // The thread cannot panic; if it did not start or could not be joined, `b` runs
            // here.
            Some(
                thread
                    .take()
                    .and_then(|thread| thread.join().ok())
                    .unwrap_or_else(b),
            )
        })
    })
}

/// `make` over `items`, in two halves with the second on a second thread when there are at
/// least `parallel_min` items and a second processor: the first half's result and the
/// second's, or the whole's and `None` on one thread. `make` is told whether its part starts
/// at the first item. The first half's error comes first, as on one thread.
pub(crate) fn in_halves<T: Sync, R: Send>(
    items: &[T],
    parallel_min: usize,
    make: impl Fn(&[T], bool) -> Result<R> + Sync,
) -> Result<(R, Option<R>)> {
    // A list of nothing takes no memory.
    let mut nothing = vec![(); items.len()];
    let half = halfway(items);
    in_halves_into(
        items,
        &mut nothing,
        half,
        parallel_min,
        |part, _, is_first| make(part, is_first),
    )
}

/// Where [`in_halves`] and [`in_halves_into`] split `items`: the second half starts here.
pub(crate) fn halfway<T>(items: &[T]) -> usize {
    items.len() / 2
}

/// [`in_halves`], each part of `items` (split at [`halfway`]) with a part of `out` to write
/// into: the first `out_half` places for the first half, the rest for the second. On one
/// thread (or with `out_half` beyond `out`), all of `items` with all of `out`.
pub(crate) fn in_halves_into<T: Sync, O: Send, R: Send>(
    items: &[T],
    out: &mut [O],
    out_half: usize,
    parallel_min: usize,
    make: impl Fn(&[T], &mut [O], bool) -> Result<R> + Sync,
) -> Result<(R, Option<R>)> {
    let (head, tail) = halves_into(items, out, out_half, parallel_min, make);
    Ok((head?, tail.transpose()?))
}

/// [`in_halves_into`] for work that cannot fail: both results, the second `None` on one
/// thread.
pub(crate) fn halves_into<T: Sync, O: Send, R: Send>(
    items: &[T],
    out: &mut [O],
    out_half: usize,
    parallel_min: usize,
    make: impl Fn(&[T], &mut [O], bool) -> R + Sync,
) -> (R, Option<R>) {
    if !(items.len() >= parallel_min && out_half <= out.len() && two_processors()) {
        return (make(items, out, true), None);
    }
    let (first, second) = items.split_at(halfway(items));
    let (first_out, second_out) = out.split_at_mut(out_half);
    // Lent to the second half's `make`, which runs once, here or on the second thread.
    let second_out = Mutex::new(second_out);
    let (head, tail) = join(
        true,
        "landpool-half",
        || make(first, first_out, true),
        || {
            let mut out = second_out.lock().unwrap_or_else(PoisonError::into_inner);
            make(second, &mut out, false)
        },
    );
    (head, Some(tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn failed(at: usize) -> Error {
        Error::Overflow {
            operation: format!("item {at}"),
        }
    }

    #[test]
    fn join_gives_both_results_in_order_whether_or_not_it_shares() {
        for parallel in [false, true] {
            let (a, b) = join(
                parallel,
                "test",
                || (0..1000).sum::<u64>(),
                || (1000..2000).sum::<u64>(),
            );
            assert_eq!((a, b), (499_500, 1_499_500), "parallel {parallel}");
        }
    }

    #[test]
    fn work_ahead_is_given_once_when_taken_whether_or_not_it_shares() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        for parallel in [false, true] {
            let runs = AtomicUsize::new(0);
            let work = || {
                runs.fetch_add(1, Ordering::Relaxed);
                (1000..2000).sum::<u64>()
            };
            let (here, first, again) = ahead(parallel, "test", work, |take| {
                let here = (0..1000).sum::<u64>();
                (here, take(), take())
            });
            assert_eq!(
                (here, first, again),
                (499_500, Some(1_499_500), None),
                "parallel {parallel}"
            );
            assert_eq!(runs.load(Ordering::Relaxed), 1, "parallel {parallel}");
        }
        // Not taken: on one thread the work is never done; shared, it is done and dropped.
        for parallel in [false, true] {
            let runs = AtomicUsize::new(0);
            let done = ahead(
                parallel,
                "test",
                || runs.fetch_add(1, Ordering::Relaxed),
                |_| "done",
            );
            assert_eq!(done, "done");
            let expected = usize::from(parallel && two_processors());
            assert_eq!(
                runs.load(Ordering::Relaxed),
                expected,
                "parallel {parallel}"
            );
        }
    }

    #[test]
    fn halves_cover_every_item_once_and_the_first_error_is_the_first_halfs() {
        let items: Vec<usize> = (0..101).collect();
        for parallel_min in [0, 101, 102] {
            let (head, tail) = in_halves(&items, parallel_min, |part, is_first| {
                Ok((is_first, part.to_vec()))
            })
            .unwrap_or_else(|e| panic!("{e}"));
            assert!(head.0);
            let mut all = head.1;
            if let Some((is_first, rest)) = tail {
                assert!(!is_first);
                assert_eq!(all.len(), 50);
                all.extend(rest);
            } else {
                assert_eq!(parallel_min, 102);
            }
            assert_eq!(all, items);
        }
        // Both halves fail: the first half's error is the one returned.
        let both = in_halves(&items, 0, |part, _| -> Result<()> {
            Err(failed(part.first().copied().unwrap_or(usize::MAX)))
        });
        assert_eq!(
            both.err().map(|e| e.to_string()),
            Some(failed(0).to_string())
        );
        // Only the second fails: its error is returned.
        let second = in_halves(&items, 0, |part, is_first| -> Result<()> {
            if is_first {
                Ok(())
            } else {
                Err(failed(part.first().copied().unwrap_or(usize::MAX)))
            }
        });
        assert_eq!(
            second.err().map(|e| e.to_string()),
            Some(failed(50).to_string())
        );
    }

    #[test]
    fn each_half_writes_its_own_places() {
        let items: Vec<u32> = (1..=7).collect();
        let mut out = vec![0_u32; 9];
        // The first half (three items) writes its squares into the first four places, the
        // second half into the last five.
        let written = in_halves_into(&items, &mut out, 4, 0, |part, out, _| {
            for (item, place) in part.iter().zip(out.iter_mut()) {
                *place = item * item;
            }
            Ok(part.len())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written, (3, Some(4)));
        assert_eq!(out, [1, 4, 9, 0, 16, 25, 36, 49, 0]);
        // Places beyond `out`: all of it on one thread.
        let mut out = vec![0_u32; 7];
        let written = in_halves_into(&items, &mut out, 8, 0, |part, out, _| {
            for (item, place) in part.iter().zip(out.iter_mut()) {
                *place = *item;
            }
            Ok(part.len())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(written, (7, None));
        assert_eq!(out, items);
    }
}
