//! Contracts whose rent is charged to a greenhouse's operating-expense account
//! (`521.<greenhouse>`), the greenhouse's retirement, and re-pointing a contract's charge.

use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;
use time::Date;

mod common;
use common::{code, id, yuan};

type TestResult = Result<(), Error>;

/// A book with households M001 and M002 (joined 2019-01-01); M001's contract C001 pools
/// 10 mu (P001) from 2019 through 2028, charged to 401; GH01, 7 mu of grapes, built on
/// 2019-03-10; M002's contract C002 puts 2 mu (P002) into the pool from 2019-04-01 through
/// 2021-12-31 at 1000 a mu, its rent charged to GH01's account `521.GH01`.
struct Fixture {
    book: Book,
    next: u32,
}

impl Fixture {
    fn new() -> Fixture {
        let mut f = Fixture {
            book: Book::new(),
            next: 0,
        };
        for member in ["M001", "M002"] {
            f.ok(Event::MemberJoined {
                member: Member {
                    id: id(member),
                    name: format!("户主{member}").into(),
                    kind: MemberKind::Household { persons: 4 },
                    village: "高格庄".into(),
                    joined: date!(2019 - 01 - 01),
                    left: None,
                },
            });
        }
        for (parcel, owner, area) in [("P001", "M001", "10"), ("P002", "M002", "2")] {
            f.ok(Event::ParcelRegistered {
                parcel: Parcel {
                    id: id(parcel),
                    owner: id(owner),
                    area: id(area),
                    village: "高格庄".into(),
                    land_class: "水浇地".into(),
                    registered: date!(2019 - 01 - 01),
                    retired: None,
                },
            });
        }
        f.sign(
            "C001",
            "M001",
            "P001",
            "10",
            (date!(2019 - 01 - 01), date!(2028 - 12 - 31)),
            "401",
        );
        f.ok(Event::GreenhouseBuilt {
            greenhouse: Greenhouse {
                id: id("GH01"),
                name: "1号棚".into(),
                area: id("7"),
                crop: id("GRAPE"),
                built: date!(2019 - 03 - 10),
                cost: yuan("100000"),
                residual: yuan("4000"),
                life_months: 120,
            },
            paid_from: CostPayment::Bank,
        });
        f.sign(
            "C002",
            "M002",
            "P002",
            "2",
            (date!(2019 - 04 - 01), date!(2021 - 12 - 31)),
            "521.GH01",
        );
        f
    }

    fn sign(
        &mut self,
        contract: &str,
        member: &str,
        parcel: &str,
        area: &str,
        (start, end): (Date, Date),
        charge_to: &str,
    ) {
        self.ok(Event::ContractSigned {
            contract: Box::new(Contract {
                id: id(contract),
                member: id(member),
                lines: vec![ContractLine {
                    parcel: id(parcel),
                    area: id(area),
                }],
                start,
                end,
                kind: ContractKind::Transfer {
                    rent: RentTerms::Fixed {
                        yuan_per_mu: dec!(1000),
                    },
                },
                pro_rating: ProRating::ActualDays,
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: code(charge_to),
            }),
        });
    }

    fn apply(&mut self, event: Event) -> Result<Applied, Error> {
        self.next += 1;
        self.book.apply(id(&format!("e{}", self.next)), event)
    }

    fn ok(&mut self, event: Event) -> Applied {
        self.apply(event).unwrap_or_else(|e| panic!("{e}"))
    }

    fn balance(&self, account: &str) -> Yuan {
        self.book
            .journal()
            .closing_balance(&code(account))
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

fn retire(date: Date) -> Event {
    Event::GreenhouseRetired {
        greenhouse: id("GH01"),
        date,
        proceeds: Yuan::ZERO,
        into: CashAccount::Cash,
    }
}

fn accrue(from: Date, to: Date, date: Date) -> Event {
    Event::RentAccrued {
        from,
        to,
        contracts: Accrue::Contracts(vec![id("C002")]),
        date,
    }
}

/// The defect: GH01 is taken out of use after 10 July 2019 while C002 still charges its
/// rent to `521.GH01` through 2021; the rest of 2019's rent and 2020's then go to the retired
/// greenhouse's account, dated after its last day, and no event can move them elsewhere.
#[test]
fn no_rent_is_charged_to_a_greenhouse_after_its_last_day() -> TestResult {
    let mut f = Fixture::new();
    f.ok(accrue(
        date!(2019 - 04 - 01),
        date!(2019 - 06 - 30),
        date!(2019 - 06 - 30),
    ));
    assert_eq!(f.balance("521.GH01"), yuan("498.63"));
    let retired = f.apply(retire(date!(2019 - 07 - 10))).is_ok();
    let _ = f.apply(accrue(
        date!(2019 - 07 - 01),
        date!(2019 - 12 - 31),
        date!(2019 - 12 - 31),
    ));
    let _ = f.apply(accrue(
        date!(2020 - 01 - 01),
        date!(2020 - 12 - 31),
        date!(2020 - 03 - 01),
    ));
    let after = f
        .book
        .journal()
        .movement(&code("521.GH01"), date!(2019 - 07 - 11), Date::MAX)?;
    assert!(
        !retired || (after.debits, after.credits) == (Yuan::ZERO, Yuan::ZERO),
        "521.GH01 took {} after its last day",
        after.debits
    );
    Ok(())
}
