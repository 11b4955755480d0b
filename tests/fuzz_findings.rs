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

/// One household "A" with a 2-mu parcel pooled under a land-share contract for 2019 with
/// `shares_per_mu` shares a mu, worth nothing (so signing books no capital).
fn land_share_book(shares_per_mu: rust_decimal::Decimal) -> Result<Book, Error> {
    use landpool::ledger::AccountCode;
    use landpool::{
        Contract, ContractKind, ContractLine, Member, MemberKind, Parcel, PaymentTerms, ProRating,
        Yuan,
    };
    use time::macros::date;
    let mut book = Book::new();
    book.apply(
        "join".parse()?,
        Event::MemberJoined {
            member: Member {
                id: "A".parse()?,
                name: "户主A".into(),
                kind: MemberKind::Household { persons: 3 },
                village: "高格庄".into(),
                joined: date!(2015 - 01 - 01),
                left: None,
            },
        },
    )?;
    book.apply(
        "parcel".parse()?,
        Event::ParcelRegistered {
            parcel: Parcel {
                id: "PA".parse()?,
                owner: "A".parse()?,
                area: "2".parse()?,
                village: "高格庄".into(),
                land_class: "水浇地".into(),
                registered: date!(2015 - 01 - 01),
                retired: None,
            },
        },
    )?;
    book.apply(
        "sign".parse()?,
        Event::ContractSigned {
            contract: Box::new(Contract {
                id: "CA".parse()?,
                member: "A".parse()?,
                lines: vec![ContractLine {
                    parcel: "PA".parse()?,
                    area: "2".parse()?,
                }],
                start: date!(2019 - 01 - 01),
                end: date!(2019 - 12 - 31),
                kind: ContractKind::LandShares {
                    shares_per_mu,
                    value_per_share: Yuan::ZERO,
                    guaranteed_per_share: rust_decimal::Decimal::ZERO,
                },
                pro_rating: ProRating::ActualDays,
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: AccountCode::new("401")?,
            }),
        },
    )?;
    Ok(book)
}

/// `clippy::arithmetic_side_effects` (issue 8): a land-share contract with a huge number of
/// shares per mu (worth nothing, so signing it books no capital) made `Book::member_account`
/// and `Book::land_share_days` panic on `Decimal` overflow (area × shares per mu). They
/// return `Error::Overflow` naming the member and contract; ordinary figures are unchanged.
#[test]
fn huge_shares_per_mu_is_an_overflow_error_not_a_panic() -> Result<(), Error> {
    use time::macros::date;
    let book = land_share_book(rust_decimal::Decimal::MAX)?;
    let member = "A".parse()?;
    match book.member_account(&member, date!(2019 - 06 - 30)) {
        Err(Error::Overflow { operation }) => {
            assert!(operation.contains("member A"), "{operation}");
            assert!(operation.contains("contract CA"), "{operation}");
        }
        other => panic!("expected an overflow error, got {other:?}"),
    }
    assert!(matches!(
        book.land_share_days(2019),
        Err(Error::Overflow { .. })
    ));
    // The same contract with 1.5 shares a mu: 3 shares, held all 365 days of 2019.
    let book = land_share_book(dec!(1.5))?;
    assert_eq!(
        book.member_account(&member, date!(2019 - 06 - 30))?
            .land_shares,
        dec!(3.00)
    );
    assert_eq!(
        book.land_share_days(2019)?.get(&member),
        Some(&dec!(1095.00))
    );
    Ok(())
}

/// `clippy::arithmetic_side_effects` (issue 8): a close whose policy gives the land volume
/// a weight near `Decimal::MAX` overflowed `weight × mu-days` and panicked. The close is
/// refused with an error and the book is unchanged.
#[test]
fn a_huge_volume_weight_is_refused_at_the_close_not_a_panic() -> Result<(), Error> {
    let mut book = land_share_book(dec!(1))?;
    let before = book.clone();
    let mut policy = DistributionPolicy::standard(dec!(10), dec!(60));
    policy.volume.land_mu_days = rust_decimal::Decimal::MAX;
    policy.volume.labour_pay = rust_decimal::Decimal::ZERO;
    let refused = book.apply("close".parse()?, Event::YearClosed { year: 2019, policy });
    match refused {
        Err(Error::Overflow { operation }) => {
            assert!(operation.contains("member A"), "{operation}");
        }
        other => panic!("expected an overflow error, got {other:?}"),
    }
    assert_eq!(book, before);
    Ok(())
}
