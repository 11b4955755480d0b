//! Regression tests for what the fuzz targets (`fuzz/`) found.

use landpool::ledger::LedgerError;
use landpool::{Book, DistributionPolicy, Error, Event};
use rust_decimal_macros::dec;

/// `event_log` (and so `Book::apply`): a year-end close of a year the journal does not keep
/// (before 1900 or after 9999) was taken on a book with no entries in that year, and the year
/// was left open (a debug assertion failed). It is refused, and the book is unchanged.
#[test]
fn closing_a_year_the_journal_does_not_keep_is_refused() -> Result<(), Error> {
    let policy = DistributionPolicy::standard(dec!(10), dec!(60));
    for year in [1009, 1899, 10_000, i32::MIN, i32::MAX] {
        let mut book = Book::new();
        let refused = book.apply(
            "close".parse()?,
            Event::YearClosed {
                year,
                policy: policy.clone(),
            },
        );
        assert_eq!(
            refused,
            Err(Error::Ledger(LedgerError::YearOutOfRange {
                year,
                min_year: 1900,
                max_year: 9999,
            }))
        );
        assert_eq!(book, Book::new());
    }
    // The edges of the range still close (an empty year).
    for year in [1900, 9999] {
        let mut book = Book::new();
        book.apply(
            "close".parse()?,
            Event::YearClosed {
                year,
                policy: policy.clone(),
            },
        )?;
        assert!(book.journal().is_closed(year));
        assert!(book.distribution(year).is_some());
    }
    Ok(())
}
