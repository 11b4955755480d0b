//! Running balances: per account, date-sorted cumulative totals.
//!
//! Each account (and each parent, for its whole subtree) keeps one point per date it has
//! postings on: the cumulative debits and credits of all postings dated on or before that date.
//! A balance at a date is one binary search. Posting in date order appends to (or adds to the
//! last point of) the series; posting out of date order inserts a point and adds the amount
//! to every later point of the account, which costs as many points as the account has after
//! the entry's date.
//!
//! Totals never overflow: the journal refuses an entry that would make the journal's total
//! debits exceed [`Yuan::MAX`](crate::Yuan::MAX), and every account's totals are part of it.

use time::Date;

/// Cumulative totals through a date, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Point {
    date: Date,
    debits: i64,
    credits: i64,
}

/// Debits and credits over a span, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Sums {
    pub(crate) debits: i64,
    pub(crate) credits: i64,
}

/// The running totals of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Series {
    points: Vec<Point>,
    /// A copy of the last point's date and totals (meaningless while there are none):
    /// adding reads the running totals here, beside the list's length, instead of at the
    /// list's end, which for most of a large book's accounts is not in the cache (that read
    /// was half the cost of posting to running balances).
    last_date: Date,
    /// The chart position of the account's parent, [`NO_PARENT`] for none: posting adds each
    /// amount to the accounts above too, and reading the parent here, where the amount is
    /// added anyway, saves reading the account's chart node (another line of memory).
    parent: u32,
    last_debits: i64,
    last_credits: i64,
}

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
            points: Vec::new(),
            last_date: Date::MIN,
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
        self.points.is_empty()
    }

    /// Totals over all dates.
    pub(crate) fn total(&self) -> Sums {
        if self.points.is_empty() {
            return Sums::default();
        }
        Sums {
            debits: self.last_debits,
            credits: self.last_credits,
        }
    }

    /// Totals of everything dated on or before `date`.
    pub(crate) fn through(&self, date: Date) -> Sums {
        let after = self.points.partition_point(|p| p.date <= date);
        after
            .checked_sub(1)
            .and_then(|i| self.points.get(i))
            .map_or(Sums::default(), |p| Sums {
                debits: p.debits,
                credits: p.credits,
            })
    }

    /// The least credit balance (credits less debits, in fen) the account has on `date` or
    /// on any later date with postings, and the first date it is reached on: what a payment
    /// dated `date` can take from a payable without leaving a later-dated debit beyond what
    /// is owed by its own date.
    pub(crate) fn least_credit_balance_from(&self, date: Date) -> (i64, Date) {
        let on = self.through(date);
        let mut least = (on.credits.saturating_sub(on.debits), date);
        let after = self.points.partition_point(|p| p.date <= date);
        for point in self.points.get(after..).unwrap_or(&[]) {
            let balance = point.credits.saturating_sub(point.debits);
            if balance < least.0 {
                least = (balance, point.date);
            }
        }
        least
    }

    /// The dates after `date` with postings, in order.
    pub(crate) fn dates_after(&self, date: Date) -> impl Iterator<Item = Date> + '_ {
        let after = self.points.partition_point(|p| p.date <= date);
        self.points
            .get(after..)
            .unwrap_or(&[])
            .iter()
            .map(|p| p.date)
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
        let total = self.total();
        if self.points.is_empty() || self.last_date < date {
            let point = Point {
                date,
                debits: total.debits.saturating_add(debits),
                credits: total.credits.saturating_add(credits),
            };
            crate::tight::push(&mut self.points, point);
            self.copy_last(point);
        } else if self.last_date == date {
            if let Some(point) = self.points.last_mut() {
                point.debits = point.debits.saturating_add(debits);
                point.credits = point.credits.saturating_add(credits);
                let point = *point;
                self.copy_last(point);
            }
        } else {
            let at = self.points.partition_point(|p| p.date < date);
            let exists = self.points.get(at).is_some_and(|p| p.date == date);
            if !exists {
                let before = self.through(date);
                crate::tight::insert(
                    &mut self.points,
                    at,
                    Point {
                        date,
                        debits: before.debits,
                        credits: before.credits,
                    },
                );
            }
            for point in self.points.iter_mut().skip(at) {
                point.debits = point.debits.saturating_add(debits);
                point.credits = point.credits.saturating_add(credits);
            }
            if let Some(&point) = self.points.last() {
                self.copy_last(point);
            }
        }
    }

    /// Keeps `point`, the last, beside the list.
    fn copy_last(&mut self, point: Point) {
        self.last_date = point.date;
        self.last_debits = point.debits;
        self.last_credits = point.credits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

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
        assert_eq!(s.points.len(), 4);
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
            // Points stay sorted by date, one per date.
            proptest::prop_assert!(s.points.windows(2).all(|w| w[0].date < w[1].date));
            // The copy of the last point is the last point; the total is every addition.
            let last = s.points.last().map(|p| (p.date, p.debits, p.credits));
            let copy = (s.last_date, s.last_debits, s.last_credits);
            proptest::prop_assert_eq!(last, (!s.points.is_empty()).then_some(copy));
            let all = adds.iter().fold((0, 0), |t, a| (t.0 + a.1, t.1 + a.2));
            proptest::prop_assert_eq!((s.total().debits, s.total().credits), all);
        }
    }
}
