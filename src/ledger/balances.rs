//! Running balances: per account, date-sorted cumulative totals.
//!
//! Each account (and each parent, for its whole subtree) keeps one point per date it has
//! postings on: the cumulative debits and credits of all postings dated on or before that date.
//! A balance at a date is one binary search. Posting in date order appends to (or adds to the
//! last point of) the series; posting out of date order inserts a point and adds the amount
//! to every later point of the account, which costs as many points as the account has after
//! the entry's date (found by walking back from the last, over those same points).
//!
//! Totals never overflow: the journal refuses an entry that would make the journal's total
//! debits exceed [`Yuan::MAX`](crate::Yuan::MAX), and every account's totals are part of it.

use time::Date;

/// Cumulative totals through a date, in fen: 20 bytes, packed to the date's 4-byte
/// alignment rather than padded to the totals' 8 (a million-event book keeps millions of
/// points; the fields are only ever copied, never borrowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(4))]
struct Point {
    date: Date,
    debits: i64,
    credits: i64,
}

impl Point {
    /// The cumulative totals.
    fn sums(&self) -> Sums {
        Sums {
            debits: self.debits,
            credits: self.credits,
        }
    }
}

/// Debits and credits over a span, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Sums {
    pub(crate) debits: i64,
    pub(crate) credits: i64,
}

/// The running totals of one account.
///
/// The last point is kept beside the list rather than in it: posting on the last date
/// (the commonest posting) then changes only this header, not the list, which for most of a
/// large book's accounts is not in the cache; and an account with one date has no list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Series {
    /// Every point but the last, in date order, each dated before `last_date`.
    earlier: Vec<Point>,
    /// The last point's date; `None` while nothing was posted (and then the totals below
    /// are zero).
    last_date: Option<Date>,
    /// The chart position of the account's parent, [`NO_PARENT`] for none: posting adds each
    /// amount to the accounts above too, and reading the parent here, where the amount is
    /// added anyway, saves reading the account's chart node (another line of memory).
    parent: u32,
    /// The last point's cumulative debits.
    last_debits: i64,
    /// The last point's cumulative credits.
    last_credits: i64,
}

/// Room for this many points when a series' list gets its first.
const EARLIER_FIRST: usize = 4;

/// [`Series::parent`] of a standard account.
const NO_PARENT: u32 = u32::MAX;

impl Default for Series {
    fn default() -> Series {
        Series::under(None)
    }
}

impl Series {
    /// The series of an account whose parent is at `parent` in the chart (which keeps
    /// positions below [`MAX_ACCOUNTS`](super::MAX_ACCOUNTS), within 32 bits).
    pub(crate) fn under(parent: Option<usize>) -> Series {
        Series {
            earlier: Vec::new(),
            last_date: None,
            parent: parent
                .and_then(|p| u32::try_from(p).ok())
                .unwrap_or(NO_PARENT),
            last_debits: 0,
            last_credits: 0,
        }
    }

    /// The chart position of the account's parent.
    pub(crate) fn parent(&self) -> Option<usize> {
        (self.parent != NO_PARENT).then_some(self.parent as usize)
    }

    /// Whether nothing was ever posted here.
    pub(crate) fn is_empty(&self) -> bool {
        self.last_date.is_none()
    }

    /// The last point, if any.
    fn last(&self) -> Option<Point> {
        self.last_date.map(|date| Point {
            date,
            debits: self.last_debits,
            credits: self.last_credits,
        })
    }

    /// The points dated after `date`, in order.
    fn points_after(&self, date: Date) -> impl Iterator<Item = Point> + '_ {
        let after = self.earlier.partition_point(|p| p.date <= date);
        self.earlier
            .get(after..)
            .unwrap_or(&[])
            .iter()
            .copied()
            .chain(self.last().filter(|last| last.date > date))
    }

    /// The totals of the list's point before position `at` (zero at the first).
    fn sums_before(&self, at: usize) -> Sums {
        at.checked_sub(1)
            .and_then(|i| self.earlier.get(i))
            .map_or(Sums::default(), Point::sums)
    }

    /// Totals over all dates.
    pub(crate) fn total(&self) -> Sums {
        Sums {
            debits: self.last_debits,
            credits: self.last_credits,
        }
    }

    /// Totals of everything dated on or before `date`.
    pub(crate) fn through(&self, date: Date) -> Sums {
        if self.last_date.is_none_or(|last| last <= date) {
            return self.total();
        }
        let after = self.earlier.partition_point(|p| p.date <= date);
        self.sums_before(after)
    }

    /// The least credit balance (credits less debits, in fen) the account has on `date` or
    /// on any later date with postings, and the first date it is reached on: what a payment
    /// dated `date` can take from a payable without leaving a later-dated debit beyond what
    /// is owed by its own date.
    pub(crate) fn least_credit_balance_from(&self, date: Date) -> (i64, Date) {
        let on = self.through(date);
        let mut least = (on.credits.saturating_sub(on.debits), date);
        for point in self.points_after(date) {
            let balance = point.credits.saturating_sub(point.debits);
            if balance < least.0 {
                least = (balance, point.date);
            }
        }
        least
    }

    /// The dates after `date` with postings, in order.
    pub(crate) fn dates_after(&self, date: Date) -> impl Iterator<Item = Date> + '_ {
        self.points_after(date).map(|p| p.date)
    }

    /// The dates on or after `date` with postings, in order.
    pub(crate) fn dates_from(&self, date: Date) -> impl Iterator<Item = Date> + '_ {
        let from = self.earlier.partition_point(|p| p.date < date);
        self.earlier
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .map(|p| p.date)
            .chain(self.last_date.filter(|last| *last >= date))
    }

    /// Totals of everything dated before `date`.
    pub(crate) fn before(&self, date: Date) -> Sums {
        match date.previous_day() {
            Some(day) => self.through(day),
            None => Sums::default(),
        }
    }

    /// Adds `debits` and `credits` (fen, not negative) dated `date`. The journal has checked
    /// that no total can overflow; the saturating adds only keep this free of panics.
    pub(crate) fn add(&mut self, date: Date, debits: i64, credits: i64) {
        let last = match self.last_date {
            None => {
                self.last_date = Some(date);
                self.last_debits = debits;
                self.last_credits = credits;
                return;
            }
            Some(last) => last,
        };
        if last < date {
            // A new last point; the old one joins the list.
            crate::tight::push_from(
                &mut self.earlier,
                EARLIER_FIRST,
                Point {
                    date: last,
                    debits: self.last_debits,
                    credits: self.last_credits,
                },
            );
            self.last_date = Some(date);
        }
        // Every point on or after `date` grows by the amounts: the last point always.
        self.last_debits = self.last_debits.saturating_add(debits);
        self.last_credits = self.last_credits.saturating_add(credits);
        if last <= date {
            return;
        }
        // Dated before the last point: the list's points from `date` on grow too, found by
        // walking back from the end (they are the ones the walk changes, usually few, so a
        // binary search would read more of the list than it saves).
        let mut at = self.earlier.len();
        while let Some(point) = at.checked_sub(1).and_then(|i| self.earlier.get_mut(i)) {
            if point.date < date {
                break;
            }
            point.debits = point.debits.saturating_add(debits);
            point.credits = point.credits.saturating_add(credits);
            if point.date == date {
                return;
            }
            at = at.saturating_sub(1);
        }
        // No point on `date`: one goes in at `at`, the totals before it and the amounts.
        let before = self.sums_before(at);
        crate::tight::insert(
            &mut self.earlier,
            at,
            Point {
                date,
                debits: before.debits.saturating_add(debits),
                credits: before.credits.saturating_add(credits),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_point_takes_twenty_bytes() {
        assert_eq!(std::mem::size_of::<Point>(), 20);
        assert_eq!(std::mem::align_of::<Point>(), 4);
    }

    #[test]
    fn out_of_order_posting() {
        let mut s = Series::default();
        s.add(date!(2019 - 03 - 01), 100, 0);
        s.add(date!(2019 - 03 - 01), 0, 40);
        s.add(date!(2019 - 05 - 01), 10, 0);
        s.add(date!(2019 - 01 - 01), 0, 7);
        s.add(date!(2019 - 04 - 01), 1, 0);
        s.add(date!(2019 - 03 - 01), 1000, 0);
        let at = |d| {
            let t = s.through(d);
            (t.debits, t.credits)
        };
        assert_eq!(at(date!(2018 - 12 - 31)), (0, 0));
        assert_eq!(at(date!(2019 - 01 - 01)), (0, 7));
        assert_eq!(at(date!(2019 - 02 - 28)), (0, 7));
        assert_eq!(at(date!(2019 - 03 - 01)), (1100, 47));
        assert_eq!(at(date!(2019 - 04 - 15)), (1101, 47));
        assert_eq!(at(date!(2019 - 12 - 31)), (1111, 47));
        assert_eq!(
            s.before(date!(2019 - 03 - 01)),
            Sums {
                debits: 0,
                credits: 7
            }
        );
        assert_eq!(
            s.total(),
            Sums {
                debits: 1111,
                credits: 47
            }
        );
        assert_eq!(s.earlier.len() + 1, 4);
    }

    proptest::proptest! {
        /// Running totals equal a fold over the additions, in any order of dates.
        #[test]
        fn totals_are_folds(
            adds in proptest::collection::vec((0i32..60, 0i64..1000, 0i64..1000), 0..80),
            query in -1i32..62,
        ) {
            let day = |d: i32| {
                Date::from_julian_day(date!(2019 - 01 - 01).to_julian_day() + d).unwrap_or(Date::MIN)
            };
            let mut s = Series::default();
            for &(d, dr, cr) in &adds {
                s.add(day(d), dr, cr);
            }
            let expected = adds.iter().filter(|a| a.0 <= query).fold((0, 0), |t, a| (t.0 + a.1, t.1 + a.2));
            let got = s.through(day(query));
            proptest::prop_assert_eq!((got.debits, got.credits), expected);
            // Points stay sorted by date, one per date, the last after every other.
            let points: Vec<Point> = s.earlier.iter().copied().chain(s.last()).collect();
            proptest::prop_assert!(points.windows(2).all(|w| w[0].date < w[1].date));
            let mut dates: Vec<i32> = adds.iter().map(|a| a.0).collect();
            dates.sort_unstable();
            dates.dedup();
            proptest::prop_assert_eq!(points.len(), dates.len());
            // An empty series is the default one, whatever it was asked.
            if adds.is_empty() {
                proptest::prop_assert_eq!(&s, &Series::default());
            }
            // The dates after the query are the dates added after it.
            let after: Vec<Date> = dates.iter().filter(|&&d| d > query).map(|&d| day(d)).collect();
            proptest::prop_assert_eq!(&s.dates_after(day(query)).collect::<Vec<_>>(), &after);
            // And from it, the query's own date too when it has postings.
            let from: Vec<Date> = dates.iter().filter(|&&d| d >= query).map(|&d| day(d)).collect();
            proptest::prop_assert_eq!(&s.dates_from(day(query)).collect::<Vec<_>>(), &from);
            // The least credit balance from the query on, against every date's balance.
            let balance = |d: Date| { let t = s.through(d); t.credits - t.debits };
            let least = after.iter().fold((balance(day(query)), day(query)), |least, &d| {
                if balance(d) < least.0 { (balance(d), d) } else { least }
            });
            proptest::prop_assert_eq!(s.least_credit_balance_from(day(query)), least);
            // The same additions in another order make the same series.
            let mut reordered = Series::default();
            for &(d, dr, cr) in adds.iter().rev() {
                reordered.add(day(d), dr, cr);
            }
            proptest::prop_assert_eq!(&reordered, &s);
            // The total is every addition.
            let all = adds.iter().fold((0, 0), |t, a| (t.0 + a.1, t.1 + a.2));
            proptest::prop_assert_eq!((s.total().debits, s.total().credits), all);
        }
    }
}
