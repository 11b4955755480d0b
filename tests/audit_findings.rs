//! What the audit and the fuzzers found, each kept as a regression test.

use landpool::ledger::AccountCode;
use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;

fn ok<T>(result: Result<T, Error>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn id<T: std::str::FromStr<Err = Error>>(text: &str) -> T {
    ok(text.parse())
}

/// A household with 1.35 mu under a grain-indexed contract for 2019 (500 jin of wheat per
/// mu, the price of 1 January).
fn grain_book() -> Book {
    let mut book = Book::new();
    ok(book.apply(
        id("join"),
        Event::MemberJoined {
            member: Member {
                id: id("M001"),
                name: "王建国".into(),
                kind: MemberKind::Household { persons: 4 },
                village: "高格庄".into(),
                joined: date!(2019 - 01 - 01),
                left: None,
            },
        },
    ));
    ok(book.apply(
        id("parcel"),
        Event::ParcelRegistered {
            parcel: Parcel {
                id: id("P001"),
                owner: id("M001"),
                area: id("1.35"),
                village: "高格庄".into(),
                land_class: "水浇地".into(),
                registered: date!(2019 - 01 - 01),
                retired: None,
            },
        },
    ));
    ok(book.apply(
        id("price"),
        Event::GrainPriceRecorded {
            crop: "wheat".into(),
            unit: GrainUnit::Jin,
            date: date!(2019 - 01 - 01),
            price: dec!(1.15),
        },
    ));
    ok(book.apply(
        id("sign"),
        Event::ContractSigned {
            contract: Contract {
                id: id("C001"),
                member: id("M001"),
                lines: vec![ContractLine {
                    parcel: id("P001"),
                    area: id("1.35"),
                }],
                start: date!(2019 - 01 - 01),
                end: date!(2019 - 12 - 31),
                kind: ContractKind::Transfer {
                    rent: RentTerms::GrainIndexed {
                        crop: "wheat".into(),
                        unit: GrainUnit::Jin,
                        quantity_per_mu: dec!(500),
                        reset_every_years: 1,
                    },
                },
                pro_rating: ProRating::ActualDays,
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: ok(AccountCode::new("401")),
            },
        },
    ));
    book
}

fn price(value: rust_decimal::Decimal) -> Event {
    Event::GrainPriceRecorded {
        crop: "wheat".into(),
        unit: GrainUnit::Jin,
        date: date!(2019 - 01 - 01),
        price: value,
    }
}

/// Found by the audit's rent rule: recording another price for a day whose price rent had
/// already been accrued at changed the rate behind rent already booked (the first half of
/// 2019 was booked at 1.15 a jin, and the audit recomputed it at the new price). A price that
/// accrued rent may have read is now refused; the same price again, or a price before any
/// accrual, is still taken.
#[test]
fn a_grain_price_used_by_accrued_rent_cannot_be_changed() {
    let mut book = grain_book();
    // Before any accrual the price may still be corrected.
    ok(book.apply(id("price-fix"), price(dec!(1.20))));
    ok(book.apply(
        id("rent-h1"),
        Event::RentAccrued {
            from: date!(2019 - 01 - 01),
            to: date!(2019 - 06 - 30),
            contracts: Accrue::All,
            date: date!(2019 - 06 - 30),
        },
    ));
    let refused = book.apply(id("price-again"), price(dec!(2.30)));
    assert!(
        matches!(refused, Err(Error::Pool(PoolError::NotAllowed { .. }))),
        "{refused:?}"
    );
    // The same price again changes nothing and is taken.
    ok(book.apply(id("price-same"), price(dec!(1.20))));
    ok(book.apply(
        id("rent-h2"),
        Event::RentAccrued {
            from: date!(2019 - 07 - 01),
            to: date!(2019 - 12 - 31),
            contracts: Accrue::All,
            date: date!(2019 - 12 - 31),
        },
    ));
    let violations = audit::check(&book);
    assert!(violations.is_empty(), "{violations:?}");
    // 1.35 mu × 500 jin × 1.20 = 810.00 for the year.
    let account = ok(book.member_account(&id("M001"), date!(2019 - 12 - 31)));
    assert_eq!(account.current, id::<Yuan>("810.00"));
}
