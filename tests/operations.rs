//! Operations: greenhouses, depreciation, sales, costs, labour, loans, grants; exact figures,
//! bad input that changes nothing, and a property test tying revenue per greenhouse to 501.

use landpool::ledger::Side;
use landpool::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use time::macros::date;
use time::Date;

mod common;
use common::{code, id, yuan};

type TestResult = Result<(), Error>;

struct Fixture {
    book: Book,
    next: u32,
}

impl Fixture {
    /// A book whose pool holds `area` mu from 2019-01-01 through 2028-12-31 (one household's
    /// contract), with households M001..M003 (M003 joins on 2019-07-01).
    fn with_pool(area: &str) -> Fixture {
        let mut f = Fixture {
            book: Book::new(),
            next: 0,
        };
        for (member, joined) in [
            ("M001", date!(2019 - 01 - 01)),
            ("M002", date!(2019 - 01 - 01)),
            ("M003", date!(2019 - 07 - 01)),
        ] {
            f.join(member, joined);
        }
        f.ok(Event::ParcelRegistered {
            parcel: Parcel {
                id: id("P001"),
                owner: id("M001"),
                area: id(area),
                village: "高格庄".into(),
                land_class: "水浇地".into(),
                registered: date!(2019 - 01 - 01),
                retired: None,
            },
        });
        f.ok(Event::ContractSigned {
            contract: Box::new(Contract {
                id: id("C001"),
                member: id("M001"),
                lines: vec![ContractLine {
                    parcel: id("P001"),
                    area: id(area),
                }],
                start: date!(2019 - 01 - 01),
                end: date!(2028 - 12 - 31),
                kind: ContractKind::Transfer {
                    rent: RentTerms::Fixed {
                        yuan_per_mu: dec!(1000),
                    },
                },
                pro_rating: ProRating::ActualDays,
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: code("401"),
            }),
        });
        f
    }

    /// [`Fixture::with_pool`] of 10 mu with GH01, 7 mu of grapes built on 10 March 2019 at
    /// 100,000 (residual 4,000, ten years: 800.00 a month).
    fn with_grape_greenhouse() -> Fixture {
        let mut f = Fixture::with_pool("10");
        f.greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 03 - 10));
        f
    }

    /// Household `member` (of four) joins on `joined`.
    fn join(&mut self, member: &str, joined: Date) {
        self.ok(Event::MemberJoined {
            member: Member {
                id: id(member),
                name: format!("户主{member}").into(),
                kind: MemberKind::Household { persons: 4 },
                village: "高格庄".into(),
                joined,
                left: None,
            },
        });
    }

    fn apply(&mut self, event: Event) -> Result<Applied, Error> {
        self.next += 1;
        self.book.apply(id(&format!("op{}", self.next)), event)
    }

    fn ok(&mut self, event: Event) -> Applied {
        self.apply(event).unwrap_or_else(|e| panic!("{e}"))
    }

    fn greenhouse(&mut self, gh: &str, area: Mu, crop: &str, built: Date) {
        self.ok(Event::GreenhouseBuilt {
            greenhouse: greenhouse(gh, area, crop, built),
            paid_from: CostPayment::Bank,
        });
    }

    /// Applies a bad event, checks it is refused with the expected error and changes nothing.
    fn refused(&mut self, event: Event, expected: impl Fn(&Error) -> bool) {
        let before = self.book.clone();
        let err = self
            .apply(event)
            .err()
            .unwrap_or_else(|| panic!("event op{} was accepted", self.next));
        assert!(expected(&err), "unexpected error: {err}");
        assert!(self.book == before, "a refused event changed the book");
    }

    /// The id the next event applied gets.
    fn next_id(&self) -> EventId {
        id(&format!("op{}", self.next + 1))
    }

    /// Applies a bad event, checks it is refused with exactly `expected`, whose message is
    /// `message`, and changes nothing.
    fn refused_with(&mut self, event: Event, expected: PoolError, message: &str) {
        let expected = Error::Pool(expected);
        assert_eq!(expected.to_string(), message);
        self.refused(event, |e| *e == expected);
    }

    fn balance_on(&self, account: &str, date: Date) -> Yuan {
        self.book
            .journal()
            .balance(&code(account), date)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn balance(&self, account: &str) -> Yuan {
        self.book
            .journal()
            .closing_balance(&code(account))
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

fn greenhouse(gh: &str, area: Mu, crop: &str, built: Date) -> Greenhouse {
    Greenhouse {
        id: id(gh),
        name: format!("{gh}号棚").into(),
        area,
        crop: id(crop),
        built,
        cost: yuan("100000"),
        residual: yuan("4000"),
        life_months: 120,
    }
}

fn work(member: &str, date: Date, gh: &str, days: Decimal, rate: Decimal) -> WorkRecord {
    WorkRecord {
        worker: Worker::Member(id(member)),
        date,
        task: Task::Greenhouse(id(gh)),
        pay: Pay::Days { days, rate },
        kind: WorkKind::Seasonal,
    }
}

#[test]
fn twenty_eight_greenhouses_on_two_hundred_mu() -> TestResult {
    let mut f = Fixture::with_pool("200");
    let areas = "200".parse::<Mu>()?.split(&[Decimal::ONE; 28])?;
    assert_eq!(Mu::checked_sum(areas.clone())?, "200".parse()?);
    for (i, area) in areas.iter().enumerate() {
        f.greenhouse(
            &format!("GH{:02}", i + 1),
            *area,
            "GRAPE",
            date!(2019 - 03 - 10),
        );
    }
    assert_eq!(f.book.greenhouses().count(), 28);
    assert_eq!(
        f.book.greenhouse_area(date!(2019 - 03 - 10))?,
        "200".parse()?
    );
    assert_eq!(f.book.greenhouse_area(date!(2019 - 03 - 09))?, Mu::ZERO);
    // 28 greenhouses at 100,000.00 each on 151.
    assert_eq!(f.balance("151"), yuan("2800000"));
    // Not one ten-thousandth of a mu more.
    f.refused(
        Event::GreenhouseBuilt {
            greenhouse: greenhouse(
                "GH29",
                Mu::from_ten_thousandths(1),
                "GRAPE",
                date!(2019 - 06 - 01),
            ),
            paid_from: CostPayment::Bank,
        },
        |e| {
            matches!(
                e,
                Error::Pool(PoolError::GreenhouseAreaExceedsPool { used, pooled, .. })
                    if used.to_string() == "200.00" && pooled.to_string() == "200.00"
            )
        },
    );
    Ok(())
}

#[test]
fn a_greenhouse_built_earlier_must_fit_on_later_build_dates() -> TestResult {
    let mut f = Fixture::with_pool("10");
    f.greenhouse("GH01", id("6"), "GRAPE", date!(2019 - 05 - 01));
    // 5 mu fit on 2019-03-01, but not from 2019-05-01, when GH01 is in use as well.
    f.refused(
        Event::GreenhouseBuilt {
            greenhouse: greenhouse("GH02", id("5"), "GRAPE", date!(2019 - 03 - 01)),
            paid_from: CostPayment::Bank,
        },
        |e| {
            matches!(e, Error::Pool(PoolError::GreenhouseAreaExceedsPool { date, .. })
                if *date == date!(2019 - 05 - 01))
        },
    );
    // Before the pool holds land, nothing fits.
    f.refused(
        Event::GreenhouseBuilt {
            greenhouse: greenhouse("GH03", id("1"), "GRAPE", date!(2018 - 12 - 31)),
            paid_from: CostPayment::Bank,
        },
        |e| matches!(e, Error::Pool(PoolError::GreenhouseAreaExceedsPool { .. })),
    );
    Ok(())
}

#[test]
fn grapes_sold_at_eight_yuan() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    f.ok(Event::Harvested {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 01),
        kg: dec!(3500),
        grade: "一级".into(),
    });
    f.ok(Event::ProduceSold {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 02),
        kg: dec!(3500),
        price_per_kg: dec!(8.00),
        buyer: "青岛果品批发市场".into(),
        payment: SalePayment::Credit,
    });
    assert_eq!(f.balance("501.GRAPE"), yuan("-28000.00"));
    assert_eq!(f.balance("113"), yuan("28000.00"));
    assert_eq!(f.book.receivable("青岛果品批发市场"), yuan("28000.00"));
    // Everything harvested is sold: one kilogram more is refused.
    f.refused(
        Event::ProduceSold {
            greenhouse: id("GH01"),
            date: date!(2019 - 08 - 03),
            kg: dec!(1),
            price_per_kg: dec!(8.00),
            buyer: "散客".into(),
            payment: SalePayment::Cash,
        },
        |e| {
            matches!(e, Error::Pool(PoolError::SaleExceedsHarvest { available, .. })
                if available.is_zero())
        },
    );
    // A back-dated sale would leave the later sale without grapes.
    f.ok(Event::Harvested {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 10),
        kg: dec!(100),
        grade: "二级".into(),
    });
    f.refused(
        Event::ProduceSold {
            greenhouse: id("GH01"),
            date: date!(2019 - 08 - 01),
            kg: dec!(50),
            price_per_kg: dec!(6),
            buyer: "散客".into(),
            payment: SalePayment::Cash,
        },
        |e| {
            matches!(e, Error::Pool(PoolError::SaleExceedsHarvest { on, .. })
                if *on == date!(2019 - 08 - 02))
        },
    );
    // 100 kg × 6.335 = 633.50 (one rounding of the exact product).
    f.ok(Event::ProduceSold {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 11),
        kg: dec!(100),
        price_per_kg: dec!(6.335),
        buyer: "散客".into(),
        payment: SalePayment::Cash,
    });
    assert_eq!(f.balance("501.GRAPE"), yuan("-28633.50"));
    // The buyer pays; collecting more than owed is refused.
    f.ok(Event::ReceivableCollected {
        buyer: "青岛果品批发市场".into(),
        date: date!(2019 - 09 - 01),
        amount: yuan("28000"),
        into: CashAccount::Bank,
    });
    assert_eq!(f.balance("113"), Yuan::ZERO);
    f.refused(
        Event::ReceivableCollected {
            buyer: "青岛果品批发市场".into(),
            date: date!(2019 - 09 - 02),
            amount: yuan("0.01"),
            into: CashAccount::Bank,
        },
        |e| {
            matches!(e, Error::Pool(PoolError::CollectionExceedsReceivable { available, on, .. })
                if available.is_zero() && *on == date!(2019 - 09 - 02))
        },
    );
    Ok(())
}

/// A buyer's payment is checked as of its date: not before the credit sale it pays for, and
/// never so that a later-dated payment pays more than was owed by its own date.
#[test]
fn a_collection_is_checked_as_of_its_date() -> TestResult {
    let mut f = Fixture::with_pool("10");
    let buyer = "青岛果品批发市场";
    f.greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 03 - 10));
    f.ok(Event::Harvested {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 01),
        kg: dec!(1500),
        grade: "一级".into(),
    });
    let sale = |date: Date, kg: Decimal| Event::ProduceSold {
        greenhouse: id("GH01"),
        date,
        kg,
        price_per_kg: dec!(8),
        buyer: buyer.into(),
        payment: SalePayment::Credit,
    };
    let collect = |date: Date, amount: &str| Event::ReceivableCollected {
        buyer: buyer.into(),
        date,
        amount: yuan(amount),
        into: CashAccount::Bank,
    };
    f.ok(sale(date!(2019 - 09 - 01), dec!(1000)));
    // Paid two months before the sale: 113 应收款 would be in credit on 1 July.
    let event = f.next_id();
    f.refused_with(
        collect(date!(2019 - 07 - 01), "8000"),
        PoolError::CollectionExceedsReceivable {
            buyer: buyer.into(),
            event: event.clone(),
            date: date!(2019 - 07 - 01),
            asked: yuan("8000"),
            available: Yuan::ZERO,
            on: date!(2019 - 07 - 01),
        },
        &format!("collection {event} of 8000.00 from {buyer} on 2019-07-01: {buyer} owes only 0.00 for produce bought on credit as of 2019-07-01; a buyer pays for a sale on or after its date, and only once"),
    );
    f.ok(collect(date!(2019 - 12 - 01), "8000"));
    // As of 1 October 8,000.00 is owed, but a payment then would leave the one of
    // 1 December paying for nothing.
    let event = f.next_id();
    f.refused_with(
        collect(date!(2019 - 10 - 01), "5000"),
        PoolError::CollectionExceedsReceivable {
            buyer: buyer.into(),
            event: event.clone(),
            date: date!(2019 - 10 - 01),
            asked: yuan("5000"),
            available: Yuan::ZERO,
            on: date!(2019 - 12 - 01),
        },
        &format!("collection {event} of 5000.00 from {buyer} on 2019-10-01: {buyer} owes only 0.00 for produce bought on credit as of 2019-12-01; a buyer pays for a sale on or after its date, and only once"),
    );
    // A second sale on 1 November (4,000.00) makes room for a payment of 4,000.00 on
    // 1 October: 8,000.00 is owed that day, and 4,000.00 on 1 December after both payments.
    f.ok(sale(date!(2019 - 11 - 01), dec!(500)));
    f.ok(collect(date!(2019 - 10 - 01), "4000"));
    assert_eq!(f.balance_on("113", date!(2019 - 10 - 01)), yuan("4000.00"));
    assert_eq!(f.balance_on("113", date!(2019 - 11 - 01)), yuan("8000.00"));
    assert_eq!(f.balance("113"), Yuan::ZERO);
    assert_eq!(f.book.receivable(buyer), Yuan::ZERO);
    // Owing nothing on any date, the buyer can pay nothing more.
    let event = f.next_id();
    f.refused_with(
        collect(date!(2019 - 11 - 15), "0.01"),
        PoolError::CollectionExceedsReceivable {
            buyer: buyer.into(),
            event: event.clone(),
            date: date!(2019 - 11 - 15),
            asked: yuan("0.01"),
            available: Yuan::ZERO,
            on: date!(2019 - 12 - 01),
        },
        &format!("collection {event} of 0.01 from {buyer} on 2019-11-15: {buyer} owes only 0.00 for produce bought on credit as of 2019-12-01; a buyer pays for a sale on or after its date, and only once"),
    );
    Ok(())
}

#[test]
fn a_shared_cost_split_by_area() -> TestResult {
    let mut f = Fixture::with_pool("20");
    f.greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 03 - 10));
    f.greenhouse("GH02", id("7"), "GRAPE", date!(2019 - 03 - 10));
    f.greenhouse("GH03", id("6"), "TOMATO", date!(2019 - 03 - 10));
    f.ok(Event::CostIncurred {
        date: date!(2019 - 04 - 01),
        kind: CostKind::Film,
        amount: yuan("10000"),
        target: CostTarget::SharedByArea(vec![id("GH01"), id("GH02"), id("GH03")]),
        payment: CostPayment::Payable,
        memo: "棚膜".into(),
    });
    assert_eq!(f.balance("521.GH01"), yuan("3500.00"));
    assert_eq!(f.balance("521.GH02"), yuan("3500.00"));
    assert_eq!(f.balance("521.GH03"), yuan("3000.00"));
    assert_eq!(f.balance("211"), yuan("-10000.00"));
    // 100.00 over all three (7 : 7 : 6 of 20 mu): 35.00, 35.00, 30.00.
    f.ok(Event::CostIncurred {
        date: date!(2019 - 04 - 02),
        kind: CostKind::WaterAndPower,
        amount: yuan("100"),
        target: CostTarget::AllGreenhouses,
        payment: CostPayment::Bank,
        memo: String::new(),
    });
    assert_eq!(f.balance("521.GH03"), yuan("3030.00"));
    // 0.01 over 7 : 7 : 6: the fen goes to the first of the largest remainders.
    f.ok(Event::CostIncurred {
        date: date!(2019 - 04 - 03),
        kind: CostKind::Other,
        amount: yuan("0.01"),
        target: CostTarget::AllGreenhouses,
        payment: CostPayment::Cash,
        memo: String::new(),
    });
    assert_eq!(f.balance("521"), yuan("10100.01"));
    f.ok(Event::CostIncurred {
        date: date!(2019 - 04 - 03),
        kind: CostKind::ExpertFees,
        amount: yuan("2000"),
        target: CostTarget::Administration,
        payment: CostPayment::Bank,
        memo: "专家指导".into(),
    });
    assert_eq!(f.balance("523"), yuan("2000.00"));
    // A greenhouse not yet built, or listed twice, is refused.
    f.refused(
        Event::CostIncurred {
            date: date!(2019 - 03 - 01),
            kind: CostKind::Seedlings,
            amount: yuan("1"),
            target: CostTarget::Greenhouse(id("GH01")),
            payment: CostPayment::Bank,
            memo: String::new(),
        },
        |e| matches!(e, Error::Pool(PoolError::GreenhouseNotBuilt { .. })),
    );
    f.refused(
        Event::CostIncurred {
            date: date!(2019 - 05 - 01),
            kind: CostKind::Seedlings,
            amount: yuan("1"),
            target: CostTarget::SharedByArea(vec![id("GH01"), id("GH01")]),
            payment: CostPayment::Bank,
            memo: String::new(),
        },
        |e| matches!(e, Error::Pool(PoolError::NotAllowed { .. })),
    );
    Ok(())
}

#[test]
fn depreciation_starts_the_month_after_and_catches_up() -> TestResult {
    let month = |f: &mut Fixture, year: i32, month: u8| -> Applied {
        f.ok(Event::DepreciationBooked { year, month })
    };
    // Booking December straight away books April to December: 9 × 800.00.
    let mut f = Fixture::with_grape_greenhouse();
    month(&mut f, 2019, 12);
    assert_eq!(f.balance("152"), yuan("-7200.00"));
    assert_eq!(f.balance("521.GH01"), yuan("7200.00"));
    let record = f
        .book
        .greenhouse(&id("GH01"))
        .ok_or(PoolError::UnknownGreenhouse {
            greenhouse: id("GH01"),
        })?;
    assert_eq!(record.depreciated_months, 9);
    assert_eq!(record.carrying_amount()?, yuan("92800.00"));
    // Again: nothing more.
    let again = month(&mut f, 2019, 12);
    assert!(matches!(again, Applied::Recorded { ref entries, .. } if entries.is_empty()));
    assert_eq!(f.balance("152"), yuan("-7200.00"));

    // Month by month: March books nothing, April 800.00, then December catches up 6,400.00.
    let mut g = Fixture::with_grape_greenhouse();
    let march = month(&mut g, 2019, 3);
    assert!(matches!(march, Applied::Recorded { ref entries, .. } if entries.is_empty()));
    month(&mut g, 2019, 4);
    assert_eq!(g.balance("152"), yuan("-800.00"));
    let april =
        g.book
            .journal()
            .movement(&code("152"), date!(2019 - 04 - 30), date!(2019 - 04 - 30))?;
    assert_eq!(april.credits, yuan("800.00"));
    month(&mut g, 2019, 12);
    assert_eq!(g.balance("152"), yuan("-7200.00"));
    let december =
        g.book
            .journal()
            .movement(&code("152"), date!(2019 - 12 - 31), date!(2019 - 12 - 31))?;
    assert_eq!(december.credits, yuan("6400.00"));
    // A month that is not one.
    g.refused(
        Event::DepreciationBooked {
            year: 2019,
            month: 13,
        },
        |e| matches!(e, Error::Pool(PoolError::BadNumber { .. })),
    );
    Ok(())
}

#[test]
fn depreciation_adds_up_exactly_and_stops() -> TestResult {
    // 100,000.00 over 7 months: 14,285.714… a month; cumulative rounding gives
    // 14285.71, 14285.72, 14285.71, 14285.72, 14285.71, 14285.72, 14285.71.
    let mut f = Fixture::with_pool("10");
    f.ok(Event::GreenhouseBuilt {
        greenhouse: Greenhouse {
            life_months: 7,
            residual: Yuan::ZERO,
            ..greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 01 - 15))
        },
        paid_from: CostPayment::Bank,
    });
    let expected = [
        "14285.71", "14285.72", "14285.71", "14285.72", "14285.71", "14285.72", "14285.71",
    ];
    for (m, charge) in (2..=8).zip(expected) {
        f.ok(Event::DepreciationBooked {
            year: 2019,
            month: m,
        });
        let last = Date::from_calendar_date(
            2019,
            time::Month::try_from(m).map_err(|_| PoolError::NotAllowed {
                what: "month".into(),
                reason: String::new(),
            })?,
            1,
        )
        .map_err(|_| PoolError::NotAllowed {
            what: "date".into(),
            reason: String::new(),
        })?;
        let moved = f
            .book
            .journal()
            .movement(&code("152"), last, date!(2019 - 12 - 31))?;
        assert_eq!(moved.credits, yuan(charge), "month {m}");
    }
    assert_eq!(f.balance("152"), yuan("-100000.00"));
    // Fully depreciated: later months book nothing.
    let later = f.ok(Event::DepreciationBooked {
        year: 2020,
        month: 6,
    });
    assert!(matches!(later, Applied::Recorded { ref entries, .. } if entries.is_empty()));
    assert_eq!(f.balance("152"), yuan("-100000.00"));
    Ok(())
}

#[test]
fn a_timesheet_books_one_entry_with_a_credit_per_worker() -> TestResult {
    let mut f = Fixture::with_pool("20");
    f.greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 03 - 10));
    f.greenhouse("GH02", id("7"), "GRAPE", date!(2019 - 03 - 10));
    let applied = f.ok(Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records: vec![
            // 12.5 days at 120.00 = 1,500.00 to M001 on 213.
            work(
                "M001",
                date!(2019 - 05 - 15),
                "GH01",
                dec!(12.5),
                dec!(120.00),
            ),
            WorkRecord {
                worker: Worker::Member(id("M002")),
                date: date!(2019 - 05 - 20),
                task: Task::Greenhouse(id("GH02")),
                pay: Pay::Pieces {
                    pieces: dec!(350),
                    rate: dec!(0.4),
                },
                kind: WorkKind::Temporary,
            },
            WorkRecord {
                worker: Worker::Member(id("M002")),
                date: date!(2019 - 05 - 31),
                task: Task::Administration,
                pay: Pay::Days {
                    days: dec!(22),
                    rate: dec!(100),
                },
                kind: WorkKind::Staff,
            },
            WorkRecord {
                worker: Worker::NonMember("李四".into()),
                date: date!(2019 - 05 - 21),
                task: Task::Greenhouse(id("GH01")),
                pay: Pay::Hours {
                    hours: dec!(7.5),
                    rate: dec!(16),
                },
                kind: WorkKind::Temporary,
            },
            WorkRecord {
                worker: Worker::NonMember("赵五".into()),
                date: date!(2019 - 05 - 22),
                task: Task::Greenhouse(id("GH02")),
                pay: Pay::Hours {
                    hours: dec!(4),
                    rate: dec!(16),
                },
                kind: WorkKind::Temporary,
            },
        ],
    });
    // One entry: the cost accounts' debits summed, a credit per worker and payable (the
    // non-members together), in the order the timesheet first names them.
    assert_eq!(
        postings_of(&f, &applied),
        [
            "debit 521.GH01 1620.00",
            "debit 521.GH02 204.00",
            "debit 523 2200.00",
            "credit 213.M001 1500.00",
            "credit 213.M002 140.00",
            "credit 212.M002 2200.00",
            "credit 213.NONMEMBER 184.00",
        ]
    );
    assert_eq!(f.balance("213.M001"), yuan("-1500.00"));
    assert_eq!(f.balance("213.M002"), yuan("-140.00"));
    assert_eq!(f.balance("212.M002"), yuan("-2200.00"));
    assert_eq!(f.balance("213.NONMEMBER"), yuan("-184.00"));
    assert_eq!(f.balance("521.GH01"), yuan("1620.00"));
    assert_eq!(f.balance("521.GH02"), yuan("204.00"));
    assert_eq!(f.balance("523"), yuan("2200.00"));
    let year = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
    assert_eq!(
        f.book.labour_income(&id("M001"), year.0, year.1)?,
        yuan("1500.00")
    );
    assert_eq!(
        f.book.labour_income(&id("M002"), year.0, year.1)?,
        yuan("2340.00")
    );
    assert_eq!(
        f.book
            .labour_income(&id("M002"), date!(2019 - 05 - 21), year.1)?,
        yuan("2200.00")
    );
    let all = f.book.labour_incomes(year.0, year.1)?;
    let figures: Vec<(String, Option<u32>, String)> = all
        .iter()
        .map(|i| (i.member.to_string(), i.persons, i.income.to_string()))
        .collect();
    assert_eq!(
        figures,
        [
            ("M001".to_string(), Some(4), "1500.00".to_string()),
            ("M002".to_string(), Some(4), "2340.00".to_string()),
            ("M003".to_string(), Some(4), "0.00".to_string()),
        ]
    );
    assert_eq!(
        f.book.non_member_labour(year.0, year.1)?,
        [
            ("李四".to_string(), yuan("120.00")),
            ("赵五".to_string(), yuan("64.00"))
        ]
    );
    assert_eq!(f.book.work_of(&Worker::Member(id("M002"))).len(), 2);
    assert_eq!(
        f.book
            .member_account(&id("M001"), date!(2019 - 12 - 31))?
            .labour_payable,
        yuan("1500.00")
    );
    // A member's account shows both payables: M002's temporary work on 213 and staff work
    // on 212.
    let m002 = f.book.member_account(&id("M002"), date!(2019 - 12 - 31))?;
    assert_eq!(
        (m002.labour_payable, m002.wages_payable),
        (yuan("140.00"), yuan("2200.00"))
    );

    // Paying wages: Dr 213 / Cr 102; paying more than owed is refused.
    f.ok(Event::WagesPaid {
        worker: Worker::Member(id("M001")),
        account: WageAccount::Labour,
        date: date!(2019 - 06 - 05),
        amount: yuan("1500"),
        from: CashAccount::Bank,
    });
    assert_eq!(f.balance("213.M001"), Yuan::ZERO);
    f.refused(
        Event::WagesPaid {
            worker: Worker::Member(id("M002")),
            account: WageAccount::Staff,
            date: date!(2019 - 06 - 05),
            amount: yuan("2200.01"),
            from: CashAccount::Bank,
        },
        |e| matches!(e, Error::Pool(PoolError::NotAllowed { .. })),
    );
    // Paid before it was owed.
    f.refused(
        Event::WagesPaid {
            worker: Worker::Member(id("M002")),
            account: WageAccount::Staff,
            date: date!(2019 - 05 - 30),
            amount: yuan("1"),
            from: CashAccount::Bank,
        },
        |e| matches!(e, Error::Pool(PoolError::NotAllowed { .. })),
    );
    f.ok(Event::WagesPaid {
        worker: Worker::NonMember("李四".into()),
        account: WageAccount::Labour,
        date: date!(2019 - 06 - 05),
        amount: yuan("120"),
        from: CashAccount::Cash,
    });
    assert_eq!(f.balance("213.NONMEMBER"), yuan("-64.00"));
    Ok(())
}

/// A worker's records are gathered into one entry wherever they sit in the timesheet, for
/// members registered in id order, a member registered after a higher id (kept apart in the
/// register until merged), and non-members.
#[test]
fn a_timesheet_gathers_each_workers_scattered_records() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    for member in ["M000", "M010"] {
        f.join(member, date!(2019 - 01 - 01));
    }
    let day = date!(2019 - 06 - 10);
    let applied = f.ok(Event::WorkRecorded {
        date: date!(2019 - 06 - 30),
        records: vec![
            work("M002", day, "GH01", dec!(1), dec!(120)),
            work("M000", day, "GH01", dec!(2), dec!(120)),
            work("M010", day, "GH01", dec!(3), dec!(120)),
            work("M002", day, "GH01", dec!(0.5), dec!(120)),
            WorkRecord {
                worker: Worker::NonMember("李四".into()),
                ..work("M001", day, "GH01", dec!(1), dec!(100))
            },
            work("M000", day, "GH01", dec!(1), dec!(100)),
            WorkRecord {
                worker: Worker::NonMember("赵五".into()),
                ..work("M001", day, "GH01", dec!(1), dec!(90))
            },
            work("M002", day, "GH01", dec!(1), dec!(100)),
        ],
    });
    // One entry: a credit for each of M002, M000, M010 and the non-members.
    assert_eq!(
        postings_of(&f, &applied),
        [
            "debit 521.GH01 1170.00",
            "credit 213.M002 280.00",
            "credit 213.M000 340.00",
            "credit 213.M010 360.00",
            "credit 213.NONMEMBER 190.00",
        ]
    );
    assert_eq!(f.balance("213.M002"), yuan("-280.00"));
    assert_eq!(f.balance("213.M000"), yuan("-340.00"));
    assert_eq!(f.balance("213.M010"), yuan("-360.00"));
    assert_eq!(f.balance("213.NONMEMBER"), yuan("-190.00"));
    assert_eq!(f.balance("521.GH01"), yuan("1170.00"));
    let year = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
    assert_eq!(
        f.book.labour_income(&id("M000"), year.0, year.1)?,
        yuan("340.00")
    );
    assert_eq!(
        f.book.labour_income(&id("M002"), year.0, year.1)?,
        yuan("280.00")
    );
    Ok(())
}

/// Checks `event` (a timesheet) is refused for its record at `record` (counting from 1)
/// with exactly `inner`, the whole message being `message`, and changes nothing.
fn refused_record(f: &mut Fixture, event: Event, record: usize, inner: Error, message: &str) {
    let expected = PoolError::WorkRecordRefused {
        timesheet: f.next_id(),
        record,
        error: Box::new(inner),
    };
    f.refused_with(event, expected, message);
}

/// Every fault of a work record names the timesheet and the record's position in it,
/// counting from 1 (the record that is the second in its timesheet is record 2), with the
/// fault itself kept as its own typed error.
#[test]
fn work_by_someone_who_is_not_a_member_is_refused() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    let ok = |member: &str| work(member, date!(2019 - 06 - 10), "GH01", dec!(1), dec!(120));
    // M003 joins on 2019-07-01: June's work is refused, the whole timesheet with it.
    let next = f.next_id();
    refused_record(
        &mut f,
        Event::WorkRecorded {
            date: date!(2019 - 06 - 30),
            records: vec![ok("M001"), ok("M003")],
        },
        2,
        PoolError::WorkByNonMember {
            member: id("M003"),
            date: date!(2019 - 06 - 10),
        }
        .into(),
        &format!(
            "timesheet {next}, record 2 (counting from 1): work of M003 on 2019-06-10: M003 is \
             not a member that day; record the worker as a non-member worker instead"
        ),
    );
    // An id that is not in the register at all, third in its timesheet.
    let next = f.next_id();
    refused_record(
        &mut f,
        Event::WorkRecorded {
            date: date!(2019 - 06 - 30),
            records: vec![ok("M001"), ok("M002"), ok("M404")],
        },
        3,
        PoolError::UnknownMember { member: id("M404") }.into(),
        &format!("timesheet {next}, record 3 (counting from 1): no member M404 in the register"),
    );
    // An unknown greenhouse.
    let next = f.next_id();
    refused_record(
        &mut f,
        Event::WorkRecorded {
            date: date!(2019 - 06 - 30),
            records: vec![WorkRecord {
                task: Task::Greenhouse(id("GH09")),
                ..ok("M001")
            }],
        },
        1,
        PoolError::UnknownGreenhouse {
            greenhouse: id("GH09"),
        }
        .into(),
        &format!(
            "timesheet {next}, record 1 (counting from 1): no greenhouse GH09 in the register"
        ),
    );
    // Recorded as a non-member worker, the same work is accepted.
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 06 - 30),
        records: vec![WorkRecord {
            worker: Worker::NonMember("户主M003".into()),
            ..ok("M003")
        }],
    });
    assert_eq!(f.balance("213.NONMEMBER"), yuan("-120.00"));
    // Negative days, rates or hours.
    let hours = WorkRecord {
        pay: Pay::Hours {
            hours: dec!(-0.5),
            rate: dec!(15),
        },
        ..ok("M001")
    };
    for (record, what, value) in [
        (
            work("M001", date!(2019 - 06 - 10), "GH01", dec!(-1), dec!(120)),
            "days",
            dec!(-1),
        ),
        (
            work("M001", date!(2019 - 06 - 10), "GH01", dec!(1), dec!(-120)),
            "rate",
            dec!(-120),
        ),
        (hours, "hours", dec!(-0.5)),
    ] {
        let next = f.next_id();
        refused_record(
            &mut f,
            Event::WorkRecorded {
                date: date!(2019 - 06 - 30),
                records: vec![ok("M002"), record],
            },
            2,
            PoolError::BadNumber {
                what: what.into(),
                expected: "zero or more",
                value,
            }
            .into(),
            &format!(
                "timesheet {next}, record 2 (counting from 1): {what} must be zero or more, got {value}"
            ),
        );
    }
    // Work dated after the timesheet.
    let next = f.next_id();
    refused_record(
        &mut f,
        Event::WorkRecorded {
            date: date!(2019 - 06 - 30),
            records: vec![work(
                "M001",
                date!(2019 - 07 - 01),
                "GH01",
                dec!(1),
                dec!(1),
            )],
        },
        1,
        PoolError::NotAllowed {
            what: "work on 2019-07-01".into(),
            reason: "cannot be booked in a timesheet dated 2019-06-30, before the day worked"
                .into(),
        }
        .into(),
        &format!(
            "timesheet {next}, record 1 (counting from 1): work on 2019-07-01: cannot be booked \
             in a timesheet dated 2019-06-30, before the day worked"
        ),
    );
    // A greenhouse not yet built.
    let next = f.next_id();
    refused_record(
        &mut f,
        Event::WorkRecorded {
            date: date!(2019 - 06 - 30),
            records: vec![ok("M001"), ok("M002"), ok("M001"), {
                work("M001", date!(2019 - 03 - 01), "GH01", dec!(1), dec!(1))
            }],
        },
        4,
        PoolError::GreenhouseNotBuilt {
            greenhouse: id("GH01"),
            date: date!(2019 - 03 - 01),
            built: date!(2019 - 03 - 10),
        }
        .into(),
        &format!(
            "timesheet {next}, record 4 (counting from 1): greenhouse GH01 is not in use on \
             2019-03-01: it was built on 2019-03-10"
        ),
    );
    Ok(())
}

/// A member whose id is `NONMEMBER` has their pay in 213.NONMEMBER, where non-members' pay
/// would go: a timesheet with non-members' work is refused, and so are wages paid to a
/// non-member, which would otherwise be taken from that member's pay.
#[test]
fn wages_paid_to_a_non_member_are_refused_when_a_member_holds_their_account() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    f.join("NONMEMBER", date!(2019 - 01 - 01));
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records: vec![work(
            "NONMEMBER",
            date!(2019 - 05 - 10),
            "GH01",
            dec!(1),
            dec!(100),
        )],
    });
    let reason = "member NONMEMBER has the id that non-members' pay is booked under; \
                  record their work as member work";
    f.refused_with(
        Event::WorkRecorded {
            date: date!(2019 - 05 - 31),
            records: vec![WorkRecord {
                worker: Worker::NonMember("李四".into()),
                ..work("M001", date!(2019 - 05 - 10), "GH01", dec!(1), dec!(100))
            }],
        },
        PoolError::NotAllowed {
            what: format!("timesheet {}", f.next_id()),
            reason: reason.into(),
        },
        &format!("timesheet {}: {reason}", f.next_id()),
    );
    f.refused_with(
        Event::WagesPaid {
            worker: Worker::NonMember("李四".into()),
            account: WageAccount::Labour,
            date: date!(2019 - 06 - 30),
            amount: yuan("100"),
            from: CashAccount::Bank,
        },
        PoolError::NotAllowed {
            what: format!("wages paid {}", f.next_id()),
            reason: reason.into(),
        },
        &format!("wages paid {}: {reason}", f.next_id()),
    );
    assert_eq!(f.balance("213.NONMEMBER"), yuan("-100.00"));
    f.ok(Event::WagesPaid {
        worker: Worker::Member(id("NONMEMBER")),
        account: WageAccount::Labour,
        date: date!(2019 - 06 - 30),
        amount: yuan("100"),
        from: CashAccount::Bank,
    });
    assert_eq!(f.balance("213.NONMEMBER"), Yuan::ZERO);
    Ok(())
}

/// A record whose pay does not fit in a `Yuan` is refused naming the timesheet and the
/// record, as every other fault of a record is.
#[test]
fn a_record_whose_pay_does_not_fit_is_named() {
    let mut f = Fixture::with_grape_greenhouse();
    let day = date!(2019 - 05 - 10);
    let event = Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records: vec![
            work("M001", day, "GH01", dec!(1), dec!(100)),
            work("M002", day, "GH01", dec!(1000000000000000), dec!(1000000)),
        ],
    };
    let next = f.next_id();
    refused_record(
        &mut f,
        event,
        2,
        Error::Overflow {
            operation: "pay of 1000000000000000 days × 1000000".into(),
        },
        &format!(
            "timesheet {next}, record 2 (counting from 1): overflow in pay of \
             1000000000000000 days × 1000000: the result does not fit"
        ),
    );
}

/// A non-member's name is 1 to 64 bytes wherever it is given: a timesheet and wages paid
/// refuse an empty or overlong name alike (the payment's memo would carry it), and accept
/// one of exactly 64 bytes.
#[test]
fn a_non_members_name_is_checked_in_wages_paid_as_in_timesheets() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    // 21 three-byte characters and one byte: 64 bytes.
    let longest = format!("{}a", "王".repeat(21));
    assert_eq!(longest.len(), 64);
    let record = |name: &str| WorkRecord {
        worker: Worker::NonMember(name.into()),
        ..work("M001", date!(2019 - 05 - 10), "GH01", dec!(10), dec!(100))
    };
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records: vec![record(&longest)],
    });
    let too_long = format!("{longest}b");
    let next = f.next_id();
    refused_record(
        &mut f,
        Event::WorkRecorded {
            date: date!(2019 - 05 - 31),
            records: vec![record("李四"), record(&too_long)],
        },
        2,
        PoolError::NotAllowed {
            what: "worker name".into(),
            reason: "give a name of 1 to 64 bytes".into(),
        }
        .into(),
        &format!(
            "timesheet {next}, record 2 (counting from 1): worker name: give a name of 1 to 64 bytes"
        ),
    );
    let paid = |name: &str| Event::WagesPaid {
        worker: Worker::NonMember(name.into()),
        account: WageAccount::Labour,
        date: date!(2019 - 06 - 05),
        amount: yuan("10"),
        from: CashAccount::Cash,
    };
    for name in [too_long.as_str(), "", "  "] {
        f.refused_with(
            paid(name),
            PoolError::NotAllowed {
                what: format!("wages paid {}: worker name", f.next_id()),
                reason: "give a name of 1 to 64 bytes".into(),
            },
            &format!(
                "wages paid {}: worker name: give a name of 1 to 64 bytes",
                f.next_id()
            ),
        );
    }
    f.ok(paid(&longest));
    assert_eq!(f.balance("213.NONMEMBER"), yuan("-990.00"));
    Ok(())
}

/// Wages paid are checked against what is owed on the payment date and on every later
/// date: a payment dated before one already booked may not take what that one settled,
/// even when later work makes the closing balance large enough again.
#[test]
fn wages_paid_may_not_leave_a_later_payment_beyond_what_was_owed() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    let paid = |date: Date, amount: &str| Event::WagesPaid {
        worker: Worker::Member(id("M001")),
        account: WageAccount::Labour,
        date,
        amount: yuan(amount),
        from: CashAccount::Bank,
    };
    // May's 1,000.00, paid in full on 30 June; July's 1,000.00.
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records: vec![work(
            "M001",
            date!(2019 - 05 - 10),
            "GH01",
            dec!(10),
            dec!(100),
        )],
    });
    f.ok(paid(date!(2019 - 06 - 30), "1000"));
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 07 - 31),
        records: vec![work(
            "M001",
            date!(2019 - 07 - 10),
            "GH01",
            dec!(10),
            dec!(100),
        )],
    });
    // On 5 June 1,000.00 is owed and 1,000.00 at the end, but the payment of 30 June has
    // taken it all by then: a fen more on 5 June would leave 213.M001 in debit until July.
    f.refused_with(
        paid(date!(2019 - 06 - 05), "0.01"),
        PoolError::NotAllowed {
            what: format!(
                "wages paid {}: 0.01 from 213.M001 on 2019-06-05",
                f.next_id()
            ),
            reason: "only 0.00 is owed on 213.M001 (as of 2019-06-30)".into(),
        },
        &format!(
            "wages paid {}: 0.01 from 213.M001 on 2019-06-05: \
             only 0.00 is owed on 213.M001 (as of 2019-06-30)",
            f.next_id()
        ),
    );
    assert_eq!(f.balance_on("213.M001", date!(2019 - 06 - 30)), Yuan::ZERO);
    // After July's work, 1,000.00 is owed from 31 July on.
    f.refused_with(
        paid(date!(2019 - 07 - 31), "1000.01"),
        PoolError::NotAllowed {
            what: format!(
                "wages paid {}: 1000.01 from 213.M001 on 2019-07-31",
                f.next_id()
            ),
            reason: "only 1000.00 is owed on 213.M001 (as of 2019-07-31)".into(),
        },
        &format!(
            "wages paid {}: 1000.01 from 213.M001 on 2019-07-31: \
             only 1000.00 is owed on 213.M001 (as of 2019-07-31)",
            f.next_id()
        ),
    );
    f.ok(paid(date!(2019 - 07 - 31), "1000"));
    assert_eq!(f.balance("213.M001"), Yuan::ZERO);
    Ok(())
}

#[test]
fn bad_harvests_and_sales_change_nothing() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    f.ok(Event::Harvested {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 01),
        kg: dec!(100),
        grade: "一级".into(),
    });
    f.refused(
        Event::Harvested {
            greenhouse: id("GH01"),
            date: date!(2019 - 08 - 01),
            kg: dec!(-5),
            grade: "一级".into(),
        },
        |e| matches!(e, Error::Pool(PoolError::BadNumber { .. })),
    );
    for (kg, price) in [(dec!(-1), dec!(8)), (dec!(1), dec!(-8)), (dec!(0), dec!(8))] {
        f.refused(
            Event::ProduceSold {
                greenhouse: id("GH01"),
                date: date!(2019 - 08 - 02),
                kg,
                price_per_kg: price,
                buyer: "散客".into(),
                payment: SalePayment::Cash,
            },
            |e| matches!(e, Error::Pool(PoolError::BadNumber { .. })),
        );
    }
    f.refused(
        Event::ProduceSold {
            greenhouse: id("GH01"),
            date: date!(2019 - 07 - 31),
            kg: dec!(1),
            price_per_kg: dec!(8),
            buyer: "散客".into(),
            payment: SalePayment::Cash,
        },
        |e| matches!(e, Error::Pool(PoolError::SaleExceedsHarvest { .. })),
    );
    f.refused(
        Event::Harvested {
            greenhouse: id("GH09"),
            date: date!(2019 - 08 - 01),
            kg: dec!(1),
            grade: "一级".into(),
        },
        |e| matches!(e, Error::Pool(PoolError::UnknownGreenhouse { .. })),
    );
    Ok(())
}

fn loan(day_count: DayCount, raised_for: Vec<MemberId>) -> Loan {
    Loan {
        id: id("L2019-01"),
        lender: "莱西农商银行".into(),
        term: LoanTerm::Short,
        amount: yuan("500000"),
        annual_rate_percent: dec!(4.35),
        day_count,
        signed: date!(2019 - 01 - 01),
        maturity: date!(2020 - 01 - 01),
        raised_for,
    }
}

/// A book with the loan drawn in full on 2019-01-01.
fn drawn(day_count: DayCount) -> Fixture {
    let mut f = Fixture::with_pool("10");
    f.ok(Event::LoanSigned {
        loan: loan(day_count, vec![id("M001"), id("M002")]),
    });
    f.ok(Event::LoanDrawn {
        loan: id("L2019-01"),
        date: date!(2019 - 01 - 01),
        amount: yuan("500000"),
        into: CashAccount::Bank,
    });
    f
}

#[test]
fn a_subsidised_loan_for_2019() -> TestResult {
    let mut f = drawn(DayCount::Act365);
    assert_eq!(f.balance("201.L2019-01"), yuan("-500000.00"));
    f.ok(Event::LoanInterestAccrued {
        loan: id("L2019-01"),
        through: date!(2019 - 12 - 31),
    });
    // 500,000.00 × 4.35% × 365 / 365 (ACT/365).
    assert_eq!(f.balance("524"), yuan("21750.00"));
    assert_eq!(f.balance("215"), yuan("-21750.00"));
    // A 50% interest subsidy (贴息).
    f.ok(Event::InterestSubsidyReceived {
        loan: id("L2019-01"),
        date: date!(2019 - 12 - 31),
        amount: yuan("10875"),
        into: CashAccount::Bank,
    });
    assert_eq!(f.balance("524"), yuan("10875.00"));
    let record = f.book.loan(&id("L2019-01")).ok_or(PoolError::UnknownLoan {
        loan: id("L2019-01"),
    })?;
    assert_eq!(record.net_interest()?, yuan("10875.00"));
    assert_eq!(
        record.loan.raised_for,
        vec![id::<MemberId>("M001"), id("M002")]
    );
    // A subsidy beyond the interest is refused.
    f.refused(
        Event::InterestSubsidyReceived {
            loan: id("L2019-01"),
            date: date!(2019 - 12 - 31),
            amount: yuan("10875.01"),
            into: CashAccount::Bank,
        },
        |e| {
            matches!(e, Error::Pool(PoolError::SubsidyExceedsInterest { available, on, .. })
                if *available == yuan("10875") && *on == date!(2019 - 12 - 31))
        },
    );
    // Interest paid and principal repaid on 2020-01-01: that day bears no interest.
    f.ok(Event::LoanRepaid {
        loan: id("L2019-01"),
        date: date!(2020 - 01 - 01),
        principal: yuan("500000"),
        interest: yuan("21750"),
        from: CashAccount::Bank,
    });
    assert_eq!(f.balance("201"), Yuan::ZERO);
    assert_eq!(f.balance("215"), Yuan::ZERO);
    let after = f.ok(Event::LoanInterestAccrued {
        loan: id("L2019-01"),
        through: date!(2020 - 12 - 31),
    });
    assert!(matches!(after, Applied::Recorded { ref entries, .. } if entries.is_empty()));
    assert_eq!(f.balance("524"), yuan("10875.00"));
    Ok(())
}

#[test]
fn the_three_day_counts_for_the_same_loan() -> TestResult {
    let through = |f: &mut Fixture, date: Date| {
        f.ok(Event::LoanInterestAccrued {
            loan: id("L2019-01"),
            through: date,
        });
    };
    // ACT/360: 500,000.00 × 4.35% × 365 / 360 = 22,052.083… → 22,052.08.
    let mut f = drawn(DayCount::Act360);
    through(&mut f, date!(2019 - 12 - 31));
    assert_eq!(f.balance("524"), yuan("22052.08"));
    // Actual/actual (ISDA): a common year is 365 of 365 days: 21,750.00; and 2020 (366 days,
    // leap) is 366 of 366: 21,750.00 again, where ACT/365 gives 21,809.59 for 2020.
    let mut g = drawn(DayCount::ActualActual);
    through(&mut g, date!(2019 - 12 - 31));
    assert_eq!(g.balance("524"), yuan("21750.00"));
    through(&mut g, date!(2020 - 12 - 31));
    assert_eq!(g.balance("524"), yuan("43500.00"));
    let mut h = drawn(DayCount::Act365);
    through(&mut h, date!(2019 - 12 - 31));
    through(&mut h, date!(2020 - 12 - 31));
    assert_eq!(h.balance("524"), yuan("43559.59"));
    // Accrued month by month (ACT/360), cumulative rounding makes the months add up to the
    // year's figure: 22,052.08.
    let mut m = drawn(DayCount::Act360);
    for month in 1..=12_u8 {
        let month = time::Month::try_from(month).map_err(|_| PoolError::NotAllowed {
            what: "month".into(),
            reason: String::new(),
        })?;
        let first =
            Date::from_calendar_date(2019, month, 1).map_err(|_| PoolError::NotAllowed {
                what: "date".into(),
                reason: String::new(),
            })?;
        let last = first
            .replace_day(month.length(2019))
            .map_err(|_| PoolError::NotAllowed {
                what: "date".into(),
                reason: String::new(),
            })?;
        through(&mut m, last);
    }
    assert_eq!(m.balance("524"), yuan("22052.08"));
    // January alone: 500,000.00 × 4.35% × 31 / 360 = 1,872.916… → 1,872.92.
    let january =
        m.book
            .journal()
            .movement(&code("524"), date!(2019 - 01 - 31), date!(2019 - 01 - 31))?;
    assert_eq!(january.debits, yuan("1872.92"));
    Ok(())
}

#[test]
fn interest_follows_drawdowns_and_repayments() -> TestResult {
    let mut f = Fixture::with_pool("10");
    f.ok(Event::LoanSigned {
        loan: loan(DayCount::Act360, Vec::new()),
    });
    // Interest before any drawdown is refused.
    f.refused(
        Event::LoanInterestAccrued {
            loan: id("L2019-01"),
            through: date!(2019 - 03 - 31),
        },
        |e| {
            matches!(
                e,
                Error::Pool(PoolError::InterestBeforeDrawdown {
                    first_drawdown: None,
                    ..
                })
            )
        },
    );
    f.ok(Event::LoanDrawn {
        loan: id("L2019-01"),
        date: date!(2019 - 04 - 01),
        amount: yuan("360000"),
        into: CashAccount::Bank,
    });
    f.refused(
        Event::LoanInterestAccrued {
            loan: id("L2019-01"),
            through: date!(2019 - 03 - 31),
        },
        |e| {
            matches!(e, Error::Pool(PoolError::InterestBeforeDrawdown { first_drawdown: Some(d), .. })
                if *d == date!(2019 - 04 - 01))
        },
    );
    // Beyond the contract amount.
    f.refused(
        Event::LoanDrawn {
            loan: id("L2019-01"),
            date: date!(2019 - 04 - 02),
            amount: yuan("140000.01"),
            into: CashAccount::Bank,
        },
        |e| matches!(e, Error::Pool(PoolError::NotAllowed { .. })),
    );
    // 360,000.00 for April 1..10 (10 days), then 180,000.00 from April 11 (repaid that day)
    // through April 30 (20 days): (360,000 × 10 + 180,000 × 20) × 3.6% ... at 4.35%:
    // 7,200,000 yuan·days × 4.35% / 360 = 870.00.
    f.ok(Event::LoanRepaid {
        loan: id("L2019-01"),
        date: date!(2019 - 04 - 11),
        principal: yuan("180000"),
        interest: Yuan::ZERO,
        from: CashAccount::Bank,
    });
    f.ok(Event::LoanInterestAccrued {
        loan: id("L2019-01"),
        through: date!(2019 - 04 - 30),
    });
    assert_eq!(f.balance("524"), yuan("870.00"));
    // Principal changes on or before a day already accrued are refused.
    f.refused(
        Event::LoanRepaid {
            loan: id("L2019-01"),
            date: date!(2019 - 04 - 30),
            principal: yuan("1"),
            interest: Yuan::ZERO,
            from: CashAccount::Bank,
        },
        |e| matches!(e, Error::Pool(PoolError::NotAllowed { .. })),
    );
    // Interest paid beyond what is accrued, and principal beyond what is outstanding.
    f.refused(
        Event::LoanRepaid {
            loan: id("L2019-01"),
            date: date!(2019 - 05 - 01),
            principal: Yuan::ZERO,
            interest: yuan("870.01"),
            from: CashAccount::Bank,
        },
        |e| {
            matches!(e, Error::Pool(PoolError::InterestOverpaid { available, on, .. })
                if *available == yuan("870") && *on == date!(2019 - 05 - 01))
        },
    );
    f.refused(
        Event::LoanRepaid {
            loan: id("L2019-01"),
            date: date!(2019 - 05 - 01),
            principal: yuan("180000.01"),
            interest: Yuan::ZERO,
            from: CashAccount::Bank,
        },
        |e| matches!(e, Error::Pool(PoolError::NotAllowed { .. })),
    );
    f.refused(
        Event::LoanSigned {
            loan: Loan {
                annual_rate_percent: dec!(-1),
                id: id("L2"),
                ..loan(DayCount::Act360, Vec::new())
            },
        },
        |e| matches!(e, Error::Pool(PoolError::BadNumber { .. })),
    );
    f.refused(
        Event::LoanSigned {
            loan: Loan {
                id: id("L3"),
                raised_for: vec![id("M003")],
                ..loan(DayCount::Act360, Vec::new())
            },
        },
        |e| matches!(e, Error::Pool(PoolError::NotAMember { .. })),
    );
    Ok(())
}

/// Interest is paid as of the payment date: not before the loan was signed, not before it is
/// accrued (each accrual counts from its entry date), and never so that a later-dated
/// payment pays more than was accrued by its own date.
#[test]
fn interest_is_paid_as_of_the_payment_date() -> TestResult {
    let mut f = drawn(DayCount::Act365);
    let loan: LoanId = id("L2019-01");
    let pay = |date: Date, interest: &str| Event::LoanRepaid {
        loan: id("L2019-01"),
        date,
        principal: Yuan::ZERO,
        interest: yuan(interest),
        from: CashAccount::Bank,
    };
    // 500,000.00 × 4.35% × 181 / 365 = 10,785.616… → 10,785.62 through June; the year's
    // 21,750.00 through December, so December's accrual charges 10,964.38.
    f.ok(Event::LoanInterestAccrued {
        loan: loan.clone(),
        through: date!(2019 - 06 - 30),
    });
    f.ok(Event::LoanInterestAccrued {
        loan: loan.clone(),
        through: date!(2019 - 12 - 31),
    });
    // Interest paid on a day before the loan was signed.
    let event = f.next_id();
    f.refused_with(
        pay(date!(2018 - 06 - 30), "1000"),
        PoolError::BeforeLoanSigned {
            loan: loan.clone(),
            event: event.clone(),
            date: date!(2018 - 06 - 30),
            signed: date!(2019 - 01 - 01),
        },
        &format!("loan L2019-01: {event} is dated 2018-06-30, before the loan was signed on 2019-01-01; date it on or after the signing"),
    );
    // Interest paid the day before the first accrual's entry date: none is owed yet.
    let event = f.next_id();
    f.refused_with(
        pay(date!(2019 - 06 - 29), "0.01"),
        PoolError::InterestOverpaid {
            loan: loan.clone(),
            event: event.clone(),
            date: date!(2019 - 06 - 29),
            asked: yuan("0.01"),
            available: Yuan::ZERO,
            on: date!(2019 - 06 - 29),
        },
        &format!("loan L2019-01: repayment {event} pays 0.01 of interest on 2019-06-29, but only 0.00 of the interest accrued is unpaid as of 2019-06-29; interest is paid once it is accrued (accrue it through the payment date first), and only once"),
    );
    // On 30 June only June's accrual is owed, not the year's.
    let event = f.next_id();
    f.refused_with(
        pay(date!(2019 - 06 - 30), "10785.63"),
        PoolError::InterestOverpaid {
            loan: loan.clone(),
            event,
            date: date!(2019 - 06 - 30),
            asked: yuan("10785.63"),
            available: yuan("10785.62"),
            on: date!(2019 - 06 - 30),
        },
        &format!("loan L2019-01: repayment op{} pays 10785.63 of interest on 2019-06-30, but only 10785.62 of the interest accrued is unpaid as of 2019-06-30; interest is paid once it is accrued (accrue it through the payment date first), and only once", f.next + 1),
    );
    f.ok(pay(date!(2019 - 12 - 31), "15000"));
    // As of 1 July 10,785.62 is unpaid, but 8,000.00 then would leave the payment of 31
    // December short: 21,750.00 − 15,000.00 − 8,000.00 is below zero.
    let event = f.next_id();
    f.refused_with(
        pay(date!(2019 - 07 - 01), "8000"),
        PoolError::InterestOverpaid {
            loan: loan.clone(),
            event,
            date: date!(2019 - 07 - 01),
            asked: yuan("8000"),
            available: yuan("6750"),
            on: date!(2019 - 12 - 31),
        },
        &format!("loan L2019-01: repayment op{} pays 8000.00 of interest on 2019-07-01, but only 6750.00 of the interest accrued is unpaid as of 2019-12-31; interest is paid once it is accrued (accrue it through the payment date first), and only once", f.next + 1),
    );
    f.ok(pay(date!(2019 - 07 - 01), "6750"));
    // 215 应付利息 is never in debit: in credit by June's accrual on 30 June, by what is left
    // of it after the payment of 1 July, and settled after the year's.
    assert_eq!(f.balance_on("215", date!(2019 - 06 - 29)), Yuan::ZERO);
    assert_eq!(
        f.balance_on("215", date!(2019 - 06 - 30)),
        yuan("-10785.62")
    );
    assert_eq!(f.balance_on("215", date!(2019 - 07 - 01)), yuan("-4035.62"));
    assert_eq!(f.balance("215"), Yuan::ZERO);
    let record = f.book.loan(&loan).ok_or(PoolError::UnknownLoan { loan })?;
    assert_eq!(record.interest_paid, yuan("21750"));
    // Nothing is left to pay on any date.
    let event = f.next_id();
    f.refused_with(
        pay(date!(2020 - 01 - 01), "0.01"),
        PoolError::InterestOverpaid {
            loan: id("L2019-01"),
            event,
            date: date!(2020 - 01 - 01),
            asked: yuan("0.01"),
            available: Yuan::ZERO,
            on: date!(2020 - 01 - 01),
        },
        &format!("loan L2019-01: repayment op{} pays 0.01 of interest on 2020-01-01, but only 0.00 of the interest accrued is unpaid as of 2020-01-01; interest is paid once it is accrued (accrue it through the payment date first), and only once", f.next + 1),
    );
    Ok(())
}

/// An interest subsidy (贴息) is limited as of its date by the interest accrued by then less
/// the subsidies received, and is refused before the loan was signed.
#[test]
fn an_interest_subsidy_is_limited_as_of_its_date() -> TestResult {
    let mut f = drawn(DayCount::Act365);
    let loan: LoanId = id("L2019-01");
    let subsidy = |date: Date, amount: &str| Event::InterestSubsidyReceived {
        loan: id("L2019-01"),
        date,
        amount: yuan(amount),
        into: CashAccount::Bank,
    };
    f.ok(Event::LoanInterestAccrued {
        loan: loan.clone(),
        through: date!(2019 - 06 - 30),
    });
    f.ok(Event::LoanInterestAccrued {
        loan: loan.clone(),
        through: date!(2019 - 12 - 31),
    });
    let event = f.next_id();
    f.refused_with(
        subsidy(date!(2018 - 01 - 15), "1000"),
        PoolError::BeforeLoanSigned {
            loan: loan.clone(),
            event: event.clone(),
            date: date!(2018 - 01 - 15),
            signed: date!(2019 - 01 - 01),
        },
        &format!("loan L2019-01: {event} is dated 2018-01-15, before the loan was signed on 2019-01-01; date it on or after the signing"),
    );
    // Before the first accrual's entry date there is no interest to subsidise.
    let event = f.next_id();
    f.refused_with(
        subsidy(date!(2019 - 03 - 15), "1"),
        PoolError::SubsidyExceedsInterest {
            loan: loan.clone(),
            event: event.clone(),
            date: date!(2019 - 03 - 15),
            asked: yuan("1"),
            available: Yuan::ZERO,
            on: date!(2019 - 03 - 15),
        },
        &format!("loan L2019-01: interest subsidy {event} of 1.00 on 2019-03-15 exceeds the interest: only 0.00 of the interest accrued is not yet subsidised as of 2019-03-15; a subsidy cannot exceed the interest accrued by its date"),
    );
    f.ok(subsidy(date!(2019 - 12 - 31), "15000"));
    // As of 1 July 10,785.62 is not subsidised, but 8,000.00 then would leave the subsidy
    // of 31 December beyond the year's interest.
    let event = f.next_id();
    f.refused_with(
        subsidy(date!(2019 - 07 - 01), "8000"),
        PoolError::SubsidyExceedsInterest {
            loan: loan.clone(),
            event: event.clone(),
            date: date!(2019 - 07 - 01),
            asked: yuan("8000"),
            available: yuan("6750"),
            on: date!(2019 - 12 - 31),
        },
        &format!("loan L2019-01: interest subsidy {event} of 8000.00 on 2019-07-01 exceeds the interest: only 6750.00 of the interest accrued is not yet subsidised as of 2019-12-31; a subsidy cannot exceed the interest accrued by its date"),
    );
    f.ok(subsidy(date!(2019 - 07 - 01), "6750"));
    assert_eq!(f.balance("524"), Yuan::ZERO);
    let record = f.book.loan(&loan).ok_or(PoolError::UnknownLoan { loan })?;
    assert_eq!(record.subsidy, yuan("21750"));
    assert_eq!(record.net_interest()?, Yuan::ZERO);
    Ok(())
}

/// A short-term loan (201 短期借款) is for a year or less and a long-term loan (231 长期借款)
/// for more: a loan whose term does not match its dates is refused when it is signed.
#[test]
fn a_loans_term_matches_its_dates() {
    let mut f = Fixture::with_pool("10");
    let signed = |id_text: &str, term: LoanTerm, signed: Date, maturity: Date| Event::LoanSigned {
        loan: Loan {
            id: id(id_text),
            term,
            signed,
            maturity,
            ..loan(DayCount::Act360, Vec::new())
        },
    };
    // Five years booked to 201 短期借款.
    f.refused_with(
        signed("L5", LoanTerm::Short, date!(2019 - 01 - 01), date!(2023 - 12 - 31)),
        PoolError::LoanTermMismatch {
            loan: id("L5"),
            term: LoanTerm::Short,
            signed: date!(2019 - 01 - 01),
            maturity: date!(2023 - 12 - 31),
            year_after: Some(date!(2020 - 01 - 01)),
        },
        "loan L5 is signed on 2019-01-01 and matures on 2023-12-31: a short-term loan (201 短期借款) is for a year or less and must mature on or before 2020-01-01; book a longer loan as long-term (231 长期借款)",
    );
    // A day more than a year.
    f.refused(
        signed(
            "L6",
            LoanTerm::Short,
            date!(2019 - 01 - 01),
            date!(2020 - 01 - 02),
        ),
        |e| matches!(e, Error::Pool(PoolError::LoanTermMismatch { .. })),
    );
    // Eleven months booked to 231 长期借款.
    f.refused_with(
        signed("L7", LoanTerm::Long, date!(2019 - 01 - 01), date!(2019 - 12 - 31)),
        PoolError::LoanTermMismatch {
            loan: id("L7"),
            term: LoanTerm::Long,
            signed: date!(2019 - 01 - 01),
            maturity: date!(2019 - 12 - 31),
            year_after: Some(date!(2020 - 01 - 01)),
        },
        "loan L7 is signed on 2019-01-01 and matures on 2019-12-31: a long-term loan (231 长期借款) is for more than a year and must mature after 2020-01-01; book a loan of a year or less as short-term (201 短期借款)",
    );
    // Exactly a year is short-term; a day more is long-term. Signed on 29 February, a year
    // ends on 28 February.
    f.ok(signed(
        "L8",
        LoanTerm::Short,
        date!(2019 - 01 - 01),
        date!(2020 - 01 - 01),
    ));
    f.refused(
        signed(
            "L9",
            LoanTerm::Long,
            date!(2019 - 01 - 01),
            date!(2020 - 01 - 01),
        ),
        |e| matches!(e, Error::Pool(PoolError::LoanTermMismatch { .. })),
    );
    f.ok(signed(
        "L10",
        LoanTerm::Long,
        date!(2019 - 01 - 01),
        date!(2020 - 01 - 02),
    ));
    f.ok(signed(
        "L11",
        LoanTerm::Short,
        date!(2020 - 02 - 29),
        date!(2021 - 02 - 28),
    ));
    f.refused(
        signed(
            "L12",
            LoanTerm::Short,
            date!(2020 - 02 - 29),
            date!(2021 - 03 - 01),
        ),
        |e| {
            matches!(e, Error::Pool(PoolError::LoanTermMismatch { year_after, .. })
                if *year_after == Some(date!(2021 - 02 - 28)))
        },
    );
    f.ok(signed(
        "L13",
        LoanTerm::Long,
        date!(2020 - 02 - 29),
        date!(2021 - 03 - 01),
    ));
    assert!(f.book.journal().chart().contains(&code("201.L8")));
    assert!(f.book.journal().chart().contains(&code("231.L10")));
}

/// Extreme loans (the largest amount, a 100% rate, every day there is) are refused with an
/// error, never a panic, and a refused event leaves the book as it was.
#[test]
fn extreme_loans_do_not_panic() {
    // The first day of the years the books keep: a loan signed before it is refused.
    let first = date!(1900 - 01 - 01);
    for day_count in [DayCount::Act360, DayCount::Act365, DayCount::ActualActual] {
        let mut f = Fixture::with_pool("10");
        let loan = |signed: Date| Event::LoanSigned {
            loan: Loan {
                id: id("LX"),
                lender: "x".into(),
                term: LoanTerm::Long,
                amount: Yuan::from_fen(i64::MAX),
                annual_rate_percent: dec!(100),
                day_count,
                signed,
                maturity: Date::MAX,
                raised_for: vec![],
            },
        };
        let before = f.book.clone();
        assert!(matches!(
            f.apply(loan(Date::MIN)),
            Err(Error::Pool(PoolError::DateOutOfRange { date, .. })) if date == Date::MIN
        ));
        assert!(f.book == before, "a refused event changed the book");
        f.ok(loan(first));
        let events = [
            Event::LoanDrawn {
                loan: id("LX"),
                date: first,
                amount: Yuan::from_fen(i64::MAX),
                into: CashAccount::Bank,
            },
            Event::LoanInterestAccrued {
                loan: id("LX"),
                through: Date::MAX,
            },
            Event::LoanRepaid {
                loan: id("LX"),
                date: Date::MAX,
                principal: Yuan::from_fen(i64::MAX),
                interest: Yuan::from_fen(i64::MAX),
                from: CashAccount::Cash,
            },
            Event::InterestSubsidyReceived {
                loan: id("LX"),
                date: Date::MAX,
                amount: Yuan::from_fen(i64::MAX),
                into: CashAccount::Cash,
            },
        ];
        for event in events {
            let before = f.book.clone();
            if f.apply(event).is_err() {
                assert!(f.book == before, "a refused event changed the book");
            }
        }
    }
}

/// Extreme greenhouse, sale, cost and grant values: errors, never panics, and a refused event
/// leaves the book as it was.
#[test]
fn extreme_operations_do_not_panic() {
    let mut f = Fixture::with_pool("10");
    let max = Yuan::from_fen(i64::MAX);
    let try_event = |f: &mut Fixture, event: Event| {
        let before = f.book.clone();
        if f.apply(event).is_err() {
            assert!(f.book == before, "a refused event changed the book");
        }
    };
    for (n, built) in [date!(2019 - 01 - 15), date!(2019 - 02 - 15)]
        .into_iter()
        .enumerate()
    {
        try_event(
            &mut f,
            Event::GreenhouseBuilt {
                greenhouse: Greenhouse {
                    id: id(&format!("GX{n}")),
                    name: "x".into(),
                    area: id("1"),
                    crop: id("GRAPE"),
                    built,
                    cost: max,
                    residual: Yuan::ZERO,
                    life_months: 1,
                },
                paid_from: CostPayment::Payable,
            },
        );
    }
    try_event(
        &mut f,
        Event::DepreciationBooked {
            year: 2019,
            month: 12,
        },
    );
    try_event(
        &mut f,
        Event::DepreciationBooked {
            year: i32::MAX,
            month: 12,
        },
    );
    try_event(
        &mut f,
        Event::DepreciationBooked {
            year: 9999,
            month: 12,
        },
    );
    try_event(
        &mut f,
        Event::Harvested {
            greenhouse: id("GX0"),
            date: date!(2019 - 05 - 01),
            kg: Decimal::MAX,
            grade: "一级".into(),
        },
    );
    try_event(
        &mut f,
        Event::Harvested {
            greenhouse: id("GX0"),
            date: date!(2019 - 05 - 02),
            kg: Decimal::MAX,
            grade: "一级".into(),
        },
    );
    try_event(
        &mut f,
        Event::ProduceSold {
            greenhouse: id("GX0"),
            date: date!(2019 - 06 - 01),
            kg: Decimal::MAX,
            price_per_kg: Decimal::MAX,
            buyer: "b".into(),
            payment: SalePayment::Credit,
        },
    );
    try_event(
        &mut f,
        Event::ProduceSold {
            greenhouse: id("GX0"),
            date: date!(2019 - 06 - 01),
            kg: dec!(0.0000000000000000000000000001),
            price_per_kg: dec!(1),
            buyer: "b".into(),
            payment: SalePayment::Credit,
        },
    );
    try_event(
        &mut f,
        Event::CostIncurred {
            date: date!(2019 - 06 - 01),
            kind: CostKind::Film,
            amount: max,
            target: CostTarget::AllGreenhouses,
            payment: CostPayment::Payable,
            memo: String::new(),
        },
    );
    for n in 0..2 {
        try_event(
            &mut f,
            Event::GrantReceived {
                grant: id("G1"),
                purpose: "p".into(),
                source: "s".into(),
                date: date!(2019 - 06 - 01),
                amount: max,
                into: CashAccount::Bank,
            },
        );
        try_event(
            &mut f,
            Event::GrantSpent {
                grant: id("G1"),
                date: date!(2019 - 06 - 02),
                amount: max,
                on: GrantUse::Asset {
                    asset: format!("a{n}"),
                },
            },
        );
        try_event(
            &mut f,
            Event::DonationReceived {
                donor: "d".into(),
                date: date!(2019 - 06 - 03),
                amount: max,
                into: CashAccount::Cash,
            },
        );
    }
}

#[test]
fn grants_and_donations() -> TestResult {
    let mut f = Fixture::with_pool("10");
    let grant = || id::<GrantId>("G2019-01");
    f.ok(Event::GrantReceived {
        grant: grant(),
        purpose: "大棚建设补助".into(),
        source: "莱西市农业农村局".into(),
        date: date!(2019 - 02 - 01),
        amount: yuan("120000"),
        into: CashAccount::Bank,
    });
    assert_eq!(f.balance("235.G2019-01"), yuan("-120000.00"));
    // The greenhouse is booked by its own event; the grant spent on it moves 235 to 311.
    f.greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 03 - 10));
    f.ok(Event::GrantSpent {
        grant: grant(),
        date: date!(2019 - 03 - 10),
        amount: yuan("100000"),
        on: GrantUse::Asset {
            asset: "一号棚".into(),
        },
    });
    assert_eq!(f.balance("311"), yuan("-100000.00"));
    f.ok(Event::GrantSpent {
        grant: grant(),
        date: date!(2019 - 04 - 01),
        amount: yuan("15000"),
        on: GrantUse::Expense {
            purpose: "种植技术培训".into(),
            from: CashAccount::Bank,
        },
    });
    assert_eq!(f.balance("235"), yuan("-5000.00"));
    // 5,000.00 is left: spending the grant again is refused.
    f.refused(
        Event::GrantSpent {
            grant: grant(),
            date: date!(2019 - 05 - 01),
            amount: yuan("100000"),
            on: GrantUse::Asset {
                asset: "一号棚".into(),
            },
        },
        |e| {
            matches!(e, Error::Pool(PoolError::GrantOverspent { available, .. })
                if *available == yuan("5000.00"))
        },
    );
    // Spending before it was received, too.
    f.refused(
        Event::GrantSpent {
            grant: grant(),
            date: date!(2019 - 01 - 31),
            amount: yuan("1"),
            on: GrantUse::Expense {
                purpose: "市场推广".into(),
                from: CashAccount::Cash,
            },
        },
        |e| matches!(e, Error::Pool(PoolError::GrantOverspent { .. })),
    );
    f.refused(
        Event::GrantSpent {
            grant: id("G404"),
            date: date!(2019 - 05 - 01),
            amount: yuan("1"),
            on: GrantUse::Asset { asset: "x".into() },
        },
        |e| matches!(e, Error::Pool(PoolError::UnknownGrant { .. })),
    );
    f.ok(Event::DonationReceived {
        donor: "青岛某企业".into(),
        date: date!(2019 - 06 - 01),
        amount: yuan("20000"),
        into: CashAccount::Bank,
    });
    assert_eq!(f.balance("311"), yuan("-120000.00"));
    let record = f
        .book
        .grant(&grant())
        .ok_or(PoolError::UnknownGrant { grant: grant() })?;
    assert_eq!(record.unspent()?, yuan("5000.00"));
    Ok(())
}

#[test]
fn results_per_greenhouse_and_per_crop() -> TestResult {
    let mut f = Fixture::with_pool("20");
    f.greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 01 - 10));
    f.greenhouse("GH02", id("7"), "GRAPE", date!(2019 - 01 - 10));
    f.greenhouse("GH03", id("6"), "TOMATO", date!(2019 - 01 - 10));
    for (gh, kg, price) in [
        ("GH01", dec!(3500), dec!(8.00)),
        ("GH02", dec!(3000), dec!(8.50)),
        ("GH03", dec!(6000), dec!(3.20)),
    ] {
        f.ok(Event::Harvested {
            greenhouse: id(gh),
            date: date!(2019 - 08 - 01),
            kg,
            grade: "一级".into(),
        });
        f.ok(Event::ProduceSold {
            greenhouse: id(gh),
            date: date!(2019 - 08 - 05),
            kg,
            price_per_kg: price,
            buyer: "青岛果品批发市场".into(),
            payment: SalePayment::Bank,
        });
    }
    f.ok(Event::CostIncurred {
        date: date!(2019 - 03 - 01),
        kind: CostKind::Seedlings,
        amount: yuan("10000"),
        target: CostTarget::AllGreenhouses,
        payment: CostPayment::Bank,
        memo: String::new(),
    });
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 12,
    });
    let results = f
        .book
        .greenhouse_results(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    let gh1 = &results[0];
    assert_eq!(gh1.revenue, yuan("28000.00"));
    // 3,500.00 seedlings + 11 months × 800.00 depreciation.
    assert_eq!(gh1.cost, yuan("12300.00"));
    assert_eq!(gh1.margin, yuan("15700.00"));
    assert_eq!(gh1.yield_kg_per_mu, dec!(500));
    assert_eq!(gh1.revenue_per_mu, yuan("4000.00"));
    assert_eq!(results[1].revenue, yuan("25500.00"));
    assert_eq!(results[2].revenue, yuan("19200.00"));
    let crops = f
        .book
        .crop_results(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    assert_eq!(crops.len(), 2);
    assert_eq!(crops[0].crop.as_str(), "GRAPE");
    assert_eq!(crops[0].revenue, yuan("53500.00"));
    assert_eq!(-f.balance("501.GRAPE").fen(), crops[0].revenue.fen());
    assert_eq!(crops[0].cost, yuan("24600.00"));
    assert_eq!(crops[0].area.to_string(), "14.00");
    // 6,500 kg on 14 mu = 464.2857… → 464.29 kg per mu; 53,500.00 / 14 = 3,821.43 per mu.
    assert_eq!(crops[0].yield_kg_per_mu, dec!(464.29));
    assert_eq!(crops[0].revenue_per_mu, yuan("3821.43"));
    assert_eq!(crops[1].crop.as_str(), "TOMATO");
    assert_eq!(crops[1].revenue, yuan("19200.00"));
    // A period with nothing in it.
    let spring = f
        .book
        .greenhouse_results(date!(2019 - 01 - 01), date!(2019 - 02 - 28))?;
    // All three greenhouses (built 10 January) are listed, so the check below looks at each.
    assert_eq!(spring.len(), 3);
    assert!(spring
        .iter()
        .all(|r| r.revenue.is_zero() && r.cost.is_zero()));
    // Reports are data: they serialize with amounts as strings.
    let json = serde_json::to_string(&crops[1]).map_err(|e| Error::Json {
        context: "crop result".into(),
        message: e.to_string(),
    })?;
    assert!(json.contains(r#""revenue":"19200.00""#), "{json}");
    assert!(f
        .book
        .crop_results(date!(2019 - 12 - 31), date!(2019 - 01 - 01))
        .is_err());
    // Closing 2019 moves the year's costs out of 521 into 331 本年盈余; the year's results
    // stay what they were before the close.
    f.ok(Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(dec!(10), dec!(70)),
    });
    assert_eq!(f.balance("521.GH01"), Yuan::ZERO);
    let year = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
    assert_eq!(f.book.greenhouse_results(year.0, year.1)?, results);
    assert_eq!(f.book.crop_results(year.0, year.1)?, crops);
    // A period that runs past the close adds the next year's costs to them.
    f.ok(Event::CostIncurred {
        date: date!(2020 - 03 - 01),
        kind: CostKind::Fertiliser,
        amount: yuan("700"),
        target: CostTarget::Greenhouse(id("GH01")),
        payment: CostPayment::Bank,
        memo: String::new(),
    });
    let two_years = f
        .book
        .greenhouse_results(date!(2019 - 01 - 01), date!(2020 - 12 - 31))?;
    assert_eq!(two_years[0].cost, yuan("13000.00"));
    assert_eq!(two_years[0].margin, yuan("15000.00"));
    let next_year = f
        .book
        .greenhouse_results(date!(2020 - 01 - 01), date!(2020 - 12 - 31))?;
    assert_eq!(next_year[0].cost, yuan("700.00"));
    Ok(())
}

#[test]
fn operations_replay_to_the_same_book() -> TestResult {
    let mut f = drawn(DayCount::ActualActual);
    f.greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 03 - 10));
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records: vec![work(
            "M001",
            date!(2019 - 05 - 15),
            "GH01",
            dec!(12.5),
            dec!(120.00),
        )],
    });
    f.ok(Event::Harvested {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 01),
        kg: dec!(3500),
        grade: "一级".into(),
    });
    f.ok(Event::ProduceSold {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 02),
        kg: dec!(3500),
        price_per_kg: dec!(8.00),
        buyer: "青岛果品批发市场".into(),
        payment: SalePayment::Bank,
    });
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 12,
    });
    f.ok(Event::LoanInterestAccrued {
        loan: id("L2019-01"),
        through: date!(2019 - 06 - 30),
    });
    // Through JSON and back.
    let json = serde_json::to_string(f.book.events()).map_err(|e| Error::Json {
        context: "events".into(),
        message: e.to_string(),
    })?;
    let events: Vec<LoggedEvent> = serde_json::from_str(&json).map_err(|e| Error::Json {
        context: "events".into(),
        message: e.to_string(),
    })?;
    let copy = Book::replay(events)?;
    assert_eq!(copy.digest(), f.book.digest());
    assert!(copy == f.book);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Revenue per greenhouse, summed over the greenhouses, is 501's balance exactly; sales
    /// beyond the harvest are refused and change nothing.
    #[test]
    fn revenue_per_greenhouse_adds_up_to_501(
        crops in prop::collection::vec(0..3_usize, 1..6),
        ops in prop::collection::vec(
            (0..6_usize, 0..3_u8, 1..5_000_u32, 1..2_000_u32, 1..60_u8),
            1..40,
        ),
    ) {
        let names = ["GRAPE", "TOMATO", "PEPPER"];
        let mut f = Fixture::with_pool("200");
        for (i, crop) in crops.iter().enumerate() {
            f.greenhouse(&format!("GH{i}"), id("7.1429"), names[*crop], date!(2019 - 01 - 10));
        }
        for (gh, kind, grams, price_fen, day) in ops {
            let gh = format!("GH{}", gh % crops.len());
            let date = date!(2019 - 06 - 01) + time::Duration::days(i64::from(day));
            let kg = Decimal::new(i64::from(grams), 1);
            let event = if kind == 0 {
                Event::Harvested { greenhouse: id(&gh), date, kg, grade: "一级".into() }
            } else {
                Event::ProduceSold {
                    greenhouse: id(&gh), date, kg,
                    price_per_kg: Decimal::new(i64::from(price_fen), 3),
                    buyer: "buyer".into(),
                    payment: if kind == 1 { SalePayment::Bank } else { SalePayment::Credit },
                }
            };
            let before = f.book.clone();
            if f.apply(event).is_err() {
                prop_assert!(f.book == before);
            }
        }
        let year = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
        let revenue = Yuan::checked_sum(
            f.book.greenhouse_results(year.0, year.1)?.iter().map(|r| r.revenue),
        )?;
        prop_assert_eq!(revenue.checked_neg()?, f.balance("501"));
        let by_crop = Yuan::checked_sum(
            f.book.crop_results(year.0, year.1)?.iter().map(|r| r.revenue),
        )?;
        prop_assert_eq!(by_crop, revenue);
        // And no greenhouse ever sold more than it harvested.
        for record in f.book.greenhouses() {
            let harvested: Decimal = record.harvests.iter().map(|h| h.kg).sum();
            let sold: Decimal = record.sales.iter().map(|s| s.kg).sum();
            prop_assert!(sold <= harvested);
        }
    }
}

/// The postings of the one entry `applied` posted, as `side account amount`, checking that
/// the entry keeps the event's id.
fn postings_of(f: &Fixture, applied: &Applied) -> Vec<String> {
    let Applied::Recorded { entries, .. } = applied else {
        panic!("not recorded: {applied:?}");
    };
    assert_eq!(entries.len(), 1, "one entry: {entries:?}");
    let last = f.book.events().last().unwrap_or_else(|| panic!("logged"));
    assert_eq!(entries[0].as_str(), last.id.as_str());
    let entry = f
        .book
        .journal()
        .get(&entries[0])
        .unwrap_or_else(|| panic!("posted"));
    entry
        .postings()
        .iter()
        .map(|p| {
            let side = if p.side == Side::Debit {
                "debit"
            } else {
                "credit"
            };
            format!("{side} {} {}", p.account, p.amount)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// However a timesheet's records fall (workers, greenhouses, administration, kinds), its
    /// entries conserve the pay: each cost account is debited the pay of its records, each
    /// worker's 213 and 212 sub-accounts are credited the pay of their seasonal and
    /// temporary, and staff, records; no entry passes the ledger's limit on postings, each
    /// balances, and they are numbered `<event>:0..` when there are several.
    #[test]
    fn a_timesheets_entries_conserve_every_workers_pay(
        workers in 1..700_usize,
        greenhouses in 1..40_usize,
        records in prop::collection::vec(
            (0..700_usize, 0..41_usize, 0..3_u8, 1..40_u32, 50..300_u32),
            1..1500,
        ),
    ) {
        let mut f = Fixture::with_pool("1");
        let tiny = Mu::from_ten_thousandths(1);
        for n in 0..workers {
            f.join(&format!("W{n:03}"), date!(2019 - 01 - 01));
        }
        for g in 0..greenhouses {
            f.greenhouse(&format!("G{g:02}"), tiny, "GRAPE", date!(2019 - 03 - 10));
        }
        let day = date!(2019 - 05 - 10);
        let mut expected: std::collections::BTreeMap<String, i64> = Default::default();
        let mut add = |account: String, fen: i64| *expected.entry(account).or_insert(0) += fen;
        let mut sheet = Vec::new();
        for &(worker, task, kind, half_days, rate) in &records {
            let member = format!("W{:03}", worker % workers);
            let (kind, payable) = match kind {
                0 => (WorkKind::Seasonal, "213"),
                1 => (WorkKind::Temporary, "213"),
                _ => (WorkKind::Staff, "212"),
            };
            // Half days at a whole rate: the pay is exact in fen.
            let fen = i64::from(half_days) * i64::from(rate) * 50;
            let (task, cost) = if task >= greenhouses {
                (Task::Administration, "523".to_string())
            } else {
                let gh = format!("G{task:02}");
                (Task::Greenhouse(id(&gh)), format!("521.{gh}"))
            };
            add(cost, fen);
            add(format!("{payable}.{member}"), -fen);
            sheet.push(WorkRecord {
                worker: Worker::Member(id(&member)),
                date: day,
                task,
                pay: Pay::Days { days: Decimal::new(i64::from(half_days) * 5, 1), rate: Decimal::from(rate) },
                kind,
            });
        }
        let applied = f.ok(Event::WorkRecorded { date: date!(2019 - 05 - 31), records: sheet });
        let Applied::Recorded { entries, .. } = &applied else {
            panic!("not recorded: {applied:?}");
        };
        let event = f.book.events().last().map(|e| e.id.to_string()).unwrap_or_default();
        let mut booked: std::collections::BTreeMap<String, i64> = Default::default();
        for (n, entry_id) in entries.iter().enumerate() {
            let expected_id = if entries.len() == 1 { event.clone() } else { format!("{event}:{n}") };
            prop_assert_eq!(entry_id.as_str(), expected_id.as_str());
            let entry = f.book.journal().get(entry_id).unwrap_or_else(|| panic!("posted"));
            prop_assert!(entry.postings().len() <= landpool::ledger::MAX_POSTINGS);
            let mut balance = 0_i64;
            for p in &entry.postings() {
                let fen = if p.side == Side::Debit { p.amount.fen() } else { -p.amount.fen() };
                balance += fen;
                *booked.entry(p.account.to_string()).or_insert(0) += fen;
            }
            prop_assert_eq!(balance, 0);
        }
        prop_assert_eq!(booked, expected);
        // Entries are full but for the last: splitting needs more than one entry's postings.
        let postings: usize = entries
            .iter()
            .filter_map(|e| f.book.journal().get(e))
            .map(|e| e.postings().len())
            .sum();
        prop_assert!(entries.len() == 1 || postings > landpool::ledger::MAX_POSTINGS);
    }
}

/// A timesheet's entries hold as many workers as the ledger's limit on postings allows:
/// 700 workers in their own greenhouses need 1,400 postings, so two entries, numbered, the
/// first full (512 workers, 1,024 postings).
#[test]
fn a_large_timesheet_fills_entries_up_to_the_posting_limit() -> TestResult {
    let mut f = Fixture::with_pool("1");
    let tiny = Mu::from_ten_thousandths(1);
    let mut records = Vec::new();
    for n in 0..700 {
        let (member, gh) = (format!("W{n:03}"), format!("G{n:03}"));
        f.join(&member, date!(2019 - 01 - 01));
        f.greenhouse(&gh, tiny, "GRAPE", date!(2019 - 03 - 10));
        records.push(work(
            &member,
            date!(2019 - 05 - 10),
            &gh,
            dec!(1),
            dec!(100),
        ));
    }
    let applied = f.ok(Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records,
    });
    let Applied::Recorded { entries, .. } = &applied else {
        panic!("not recorded: {applied:?}");
    };
    let event = f.book.events().last().map(|e| e.id.to_string());
    let event = event.unwrap_or_default();
    let ids: Vec<String> = entries.iter().map(ToString::to_string).collect();
    assert_eq!(ids, [format!("{event}:0"), format!("{event}:1")]);
    let shapes: Vec<(usize, usize, Yuan)> = entries
        .iter()
        .filter_map(|id| f.book.journal().get(id))
        .map(|e| {
            let debits = e
                .postings()
                .iter()
                .filter(|p| p.side == Side::Debit)
                .count();
            let credit = e.postings().iter().filter(|p| p.side == Side::Credit);
            let total = Yuan::checked_sum(credit.map(|p| p.amount));
            (debits, e.postings().len(), total.unwrap_or(Yuan::ZERO))
        })
        .collect();
    assert_eq!(
        shapes,
        [(512, 1024, yuan("51200.00")), (188, 376, yuan("18800.00"))]
    );
    assert_eq!(f.balance("213"), yuan("-70000.00"));
    assert_eq!(f.balance("213.W699"), yuan("-100.00"));
    assert_eq!(f.balance("521.G000"), yuan("100.00"));
    Ok(())
}

/// Two workers' pay that fits on its own but not summed on their greenhouse's cost account
/// is refused, naming the timesheet, and changes nothing.
#[test]
fn a_cost_account_sum_past_the_largest_amount_is_refused() {
    let mut f = Fixture::with_pool("1");
    f.greenhouse(
        "GH01",
        Mu::from_ten_thousandths(1),
        "GRAPE",
        date!(2019 - 03 - 10),
    );
    // 50,000,000,000,000,000.00 yuan each: below Yuan::MAX, twice it above.
    let half = |member: &str| {
        work(
            member,
            date!(2019 - 05 - 10),
            "GH01",
            dec!(50000000000),
            dec!(1000000),
        )
    };
    f.refused(
        Event::WorkRecorded {
            date: date!(2019 - 05 - 31),
            records: vec![half("M001"), half("M002")],
        },
        |e| matches!(e, Error::Overflow { operation } if operation.starts_with("pay in timesheet ")),
    );
}

#[test]
fn a_worker_in_more_greenhouses_than_an_entry_holds() -> TestResult {
    let mut f = Fixture::with_pool("1");
    let tiny = Mu::from_ten_thousandths(1);
    let mut records = Vec::new();
    for g in 0..1100 {
        let gh = format!("G{g}");
        f.greenhouse(&gh, tiny, "GRAPE", date!(2019 - 03 - 10));
        records.push(work("M001", date!(2019 - 05 - 10), &gh, dec!(1), dec!(1)));
    }
    records.push(WorkRecord {
        task: Task::Administration,
        kind: WorkKind::Staff,
        ..work("M001", date!(2019 - 05 - 11), "G0", dec!(2), dec!(50))
    });
    let applied = f.ok(Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records,
    });
    // 1,101 debits: two entries, 1,000 debits with a credit to 213, and 101 debits with
    // credits to 213 and 212 (a worker's part that does not fit starts the next entry).
    assert!(matches!(applied, Applied::Recorded { ref entries, .. } if entries.len() == 2));
    assert_eq!(f.balance("213.M001"), yuan("-1100.00"));
    assert_eq!(f.balance("212.M001"), yuan("-100.00"));
    assert_eq!(f.balance("521"), yuan("1100.00"));
    assert_eq!(f.balance("523"), yuan("100.00"));
    assert_eq!(
        f.book
            .labour_income(&id("M001"), date!(2019 - 01 - 01), date!(2019 - 12 - 31))?,
        yuan("1200.00")
    );
    Ok(())
}

/// A timesheet of 5,000 records has its digest computed on a second thread while it is
/// planned: the digest is the chain step over the event's canonical bytes, the entries exact,
/// and one refused at its last record changes nothing.
#[test]
fn a_large_timesheet_is_digested_and_booked_exactly() -> TestResult {
    let mut f = Fixture::with_pool("20");
    f.greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 03 - 10));
    f.greenhouse("GH02", id("7"), "GRAPE", date!(2019 - 03 - 10));
    // 2,500 records each for M001 and M002, a day at 120.00 on GH01 or half a day on GH02.
    let records: Vec<WorkRecord> = (0..5_000_u32)
        .map(|i| {
            let member = if i % 2 == 0 { "M001" } else { "M002" };
            let day = date!(2019 - 05 - 01)
                .checked_add(time::Duration::days(i64::from(i % 30)))
                .unwrap_or_else(|| panic!("a May date"));
            if i % 4 < 2 {
                work(member, day, "GH01", dec!(1), dec!(120.00))
            } else {
                work(member, day, "GH02", dec!(0.5), dec!(120.00))
            }
        })
        .collect();
    // A refused copy: the last record is by M003, who joins in July.
    let mut refused = records.clone();
    if let Some(last) = refused.last_mut() {
        last.worker = Worker::Member(id("M003"));
    }
    f.refused(
        Event::WorkRecorded {
            date: date!(2019 - 05 - 31),
            records: refused,
        },
        |e| e.to_string().contains("M003"),
    );
    let previous = f.book.digest();
    let seq = f.book.events().len() as u64;
    let event = Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records: records.clone(),
    };
    // Given with room for twice as many records (as a list grown by pushing has).
    let mut roomy = Vec::with_capacity(2 * records.len());
    roomy.extend(records);
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 05 - 31),
        records: roomy,
    });
    let logged = f.book.events().last().unwrap_or_else(|| panic!("logged"));
    assert_eq!(logged.event, event);
    // The book holds the records without the spare room.
    match &logged.event {
        Event::WorkRecorded { records, .. } => assert_eq!(records.capacity(), 5_000),
        other => panic!("a timesheet, not {other:?}"),
    }
    let bytes = LoggedEvent::canonical_bytes(seq, &logged.id, &event)?;
    assert_eq!(logged.digest, previous.chain(&bytes));
    assert_eq!(f.book.digest(), logged.digest);
    // Each member: 1,250 days and 1,250 half days at 120.00 = 225,000.00.
    assert_eq!(f.balance("213.M001"), yuan("-225000.00"));
    assert_eq!(f.balance("213.M002"), yuan("-225000.00"));
    Ok(())
}

/// A harvest whose kilograms, added to those already harvested, no longer fit was accepted:
/// from then on every sale of the greenhouse was refused with an overflow of its stock, and
/// the greenhouse and crop results could not be computed. It is refused, and changes nothing.
#[test]
fn a_harvest_whose_total_does_not_fit_is_refused() -> TestResult {
    let mut f = Fixture::with_pool("10");
    f.greenhouse("GH01", id("2"), "GRAPE", date!(2019 - 03 - 10));
    f.greenhouse("GH02", id("2"), "GRAPE", date!(2019 - 03 - 10));
    f.greenhouse("GH03", id("0.5"), "GRAPE", date!(2019 - 03 - 10));
    // On half a mu, the kilograms per mu would not fit.
    f.refused(
        Event::Harvested {
            greenhouse: id("GH03"),
            date: date!(2019 - 08 - 01),
            kg: Decimal::MAX,
            grade: "一级".into(),
        },
        |e| matches!(e, Error::Overflow { .. }),
    );
    f.ok(Event::Harvested {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 01),
        kg: Decimal::MAX,
        grade: "一级".into(),
    });
    for (gh, kg) in [("GH01", dec!(1)), ("GH02", dec!(1))] {
        f.refused(
            Event::Harvested {
                greenhouse: id(gh),
                date: date!(2019 - 08 - 02),
                kg,
                grade: "一级".into(),
            },
            |e| matches!(e, Error::Overflow { .. }),
        );
    }
    // The greenhouse still sells and reports.
    f.ok(Event::ProduceSold {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 03),
        kg: dec!(1000),
        price_per_kg: dec!(8.125),
        buyer: "散客".into(),
        payment: SalePayment::Cash,
    });
    assert_eq!(f.balance("101"), yuan("8125"));
    let results = f
        .book
        .greenhouse_results(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].harvested_kg, Decimal::MAX);
    assert_eq!(results[0].sold_kg, dec!(1000));
    assert_eq!(results[0].revenue, yuan("8125"));
    assert_eq!(results[1].harvested_kg, Decimal::ZERO);
    let crops = f
        .book
        .crop_results(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    assert_eq!(crops[0].harvested_kg, Decimal::MAX);
    Ok(())
}

/// A sub-account opened under an account the operations events post to as it is made that
/// account a parent, and every later event posting to it was refused by the ledger: one
/// `521.GH01.FILM` stopped the depreciation of every greenhouse, `523.OFFICE` every
/// administrative cost, `113.<buyer>` every sale on credit, `102.<bank>` every payment. The
/// opening is refused, and the events keep booking.
#[test]
fn no_sub_account_under_an_account_the_operations_post_to() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    f.ok(Event::Harvested {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 01),
        kg: dec!(100),
        grade: "一级".into(),
    });
    f.ok(Event::ProduceSold {
        greenhouse: id("GH01"),
        date: date!(2019 - 08 - 02),
        kg: dec!(10),
        price_per_kg: dec!(8),
        buyer: "散客".into(),
        payment: SalePayment::Cash,
    });
    f.ok(Event::LoanSigned {
        loan: loan(DayCount::Act360, Vec::new()),
    });
    f.ok(Event::GrantReceived {
        grant: id("G1"),
        purpose: "大棚建设补助".into(),
        source: "农业农村局".into(),
        date: date!(2019 - 02 - 01),
        amount: yuan("1000"),
        into: CashAccount::Bank,
    });
    let loan_account = format!("201.{}.X", loan(DayCount::Act360, Vec::new()).id);
    for code_text in [
        "521.GH01.FILM",
        "523.OFFICE",
        "113.BUYER",
        "101.PETTY",
        "102.ICBC",
        "151.SHED",
        "152.SHED",
        "211.SUPPLIER",
        "215.BANK",
        "311.GRANT",
        "524.BANK",
        "501.GRAPE.RED",
        loan_account.as_str(),
        "235.G1.X",
    ] {
        f.refused(
            Event::AccountOpened {
                code: code(code_text),
                name_zh: "明细".into(),
                name_en: "detail".into(),
            },
            |e| {
                matches!(e, Error::Pool(PoolError::NotAllowed { what, .. })
                    if *what == format!("opening account {code_text}"))
            },
        );
    }
    // Sub-accounts under accounts the book does not post to as they are stay open to the
    // accountant.
    f.ok(Event::AccountOpened {
        code: code("521.FILM"),
        name_zh: "棚膜".into(),
        name_en: "greenhouse film".into(),
    });
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 4,
    });
    assert_eq!(f.balance("521.GH01"), yuan("800"));
    assert_eq!(f.balance("152"), yuan("-800"));
    f.ok(Event::CostIncurred {
        date: date!(2019 - 04 - 10),
        kind: CostKind::Other,
        amount: yuan("120.50"),
        target: CostTarget::Administration,
        payment: CostPayment::Cash,
        memo: String::new(),
    });
    assert_eq!(f.balance("523"), yuan("120.50"));
    Ok(())
}

/// Found by review: a sub-account under 401 (where contract C001 charges its rent), 161, 162
/// or 321 (the land shares' capital and amortisation, a contribution's premium) made an
/// account the land events post to as it is a parent, refusing every later accrual or
/// contribution; and the book's own account of a greenhouse, its crop, a loan or a grant,
/// opened beforehand by the accountant with a sub-account under it, was taken as it was:
/// the greenhouse was built (the loan signed, the grant received) and every later posting
/// to the account refused.
#[test]
fn the_accounts_the_book_posts_to_never_take_sub_accounts() -> TestResult {
    let mut f = Fixture::with_pool("10");
    let open = |code_text: &str| Event::AccountOpened {
        code: code(code_text),
        name_zh: "明细".into(),
        name_en: "detail".into(),
    };
    for code_text in ["401.SEED", "161.X", "162.X", "321.X"] {
        f.refused(open(code_text), |e| {
            matches!(e, Error::Pool(PoolError::NotAllowed { what, .. })
                if *what == format!("opening account {code_text}"))
        });
    }
    let loan_id = loan(DayCount::Act360, Vec::new()).id.to_string();
    for (parent, event, of) in [
        (
            "501.GRAPE".to_string(),
            Event::GreenhouseBuilt {
                greenhouse: greenhouse("GH01", id("2"), "GRAPE", date!(2019 - 03 - 10)),
                paid_from: CostPayment::Bank,
            },
            "greenhouse GH01",
        ),
        (
            "521.GH02".to_string(),
            Event::GreenhouseBuilt {
                greenhouse: greenhouse("GH02", id("2"), "TOMATO", date!(2019 - 03 - 10)),
                paid_from: CostPayment::Bank,
            },
            "greenhouse GH02",
        ),
        (
            format!("201.{loan_id}"),
            Event::LoanSigned {
                loan: loan(DayCount::Act360, Vec::new()),
            },
            "loan L2019-01",
        ),
        (
            "235.G1".to_string(),
            Event::GrantReceived {
                grant: id("G1"),
                purpose: "大棚建设补助".into(),
                source: "农业农村局".into(),
                date: date!(2019 - 02 - 01),
                amount: yuan("1000"),
                into: CashAccount::Bank,
            },
            "grant G1",
        ),
    ] {
        f.ok(open(&parent));
        f.ok(open(&format!("{parent}.X")));
        let expected = format!(
            "{of}: {parent}, the book's account of it, has sub-accounts of the accountant's under it, and an account with sub-accounts takes no postings"
        );
        f.refused(event, |e| e.to_string() == expected);
    }
    // A greenhouse whose accounts are free is built, and rent still accrues to 401.
    f.greenhouse("GH03", id("2"), "PEPPER", date!(2019 - 03 - 10));
    f.ok(Event::RentAccrued {
        from: date!(2019 - 01 - 01),
        to: date!(2019 - 12 - 31),
        contracts: Accrue::All,
        date: date!(2019 - 12 - 31),
    });
    assert_eq!(f.balance("401"), yuan("10000"));
    Ok(())
}

/// The book opens one sub-account of 201 or 231 for each loan and of 235 for each grant, and
/// the ledger refuses a sub-account under an account with postings of its own. A voucher
/// posting to 201, 231 or 235 itself (a loan entered by hand as Dr 102 / Cr 201) is refused,
/// naming the account: accepted, it would have left the book unable to sign any loan of that
/// term, or receive any grant, ever after. The refused voucher leaves the book as it was, and
/// a voucher to a sub-account the accountant opened is taken.
#[test]
fn a_voucher_to_the_loan_or_grant_control_account_is_refused() {
    use landpool::ledger::Posting;
    let voucher = |account: &str| Event::ManualEntry {
        date: date!(2019 - 01 - 05),
        memo: "by hand".into(),
        postings: vec![
            Posting {
                account: code("102"),
                side: Side::Debit,
                amount: yuan("100"),
            },
            Posting {
                account: code(account),
                side: Side::Credit,
                amount: yuan("100"),
            },
        ],
    };
    for (control, of, sub) in [
        ("201", "loan", "201.<loan>"),
        ("231", "loan", "231.<loan>"),
        ("235", "grant", "235.<grant>"),
    ] {
        let mut f = Fixture::with_pool("10");
        let next = f.next_id();
        f.refused_with(
            voucher(control),
            PoolError::NotAllowed {
                what: format!("manual entry {next}"),
                reason: format!(
                    "it posts to {control} itself, whose sub-accounts the book opens, one for \
                     each {of}: post to a sub-account ({sub}, or one opened with an \
                     AccountOpened event)"
                ),
            },
            &format!(
                "manual entry {next}: it posts to {control} itself, whose \
                 sub-accounts the book opens, one for each {of}: post to a sub-account ({sub}, \
                 or one opened with an AccountOpened event)"
            ),
        );
        // Loans of both terms and grants are still taken, and so is a voucher to an
        // account of the accountant's under the control account.
        f.ok(Event::LoanSigned {
            loan: loan(DayCount::Act365, vec![]),
        });
        f.ok(Event::LoanSigned {
            loan: Loan {
                id: id("L2"),
                term: LoanTerm::Long,
                maturity: date!(2021 - 12 - 31),
                ..loan(DayCount::Act365, vec![])
            },
        });
        f.ok(Event::GrantReceived {
            grant: id("G1"),
            purpose: "大棚建设补助".into(),
            source: "农业农村局".into(),
            date: date!(2019 - 02 - 01),
            amount: yuan("1000"),
            into: CashAccount::Bank,
        });
        f.ok(Event::AccountOpened {
            code: code(&format!("{control}.BYHAND")),
            name_zh: "手工".into(),
            name_en: "by hand".into(),
        });
        f.ok(voucher(&format!("{control}.BYHAND")));
        assert_eq!(f.balance(&format!("{control}.BYHAND")), yuan("-100"));
    }
}

/// A loan's lender and a grant's purpose become part of the name of the sub-account the book
/// opens for it (`短期借款—<lender>`, `专项应付款—<purpose>`). One the account name cannot
/// take (too long once the account's words are added, on more than one line, with white
/// space at either end) is refused naming the loan's or grant's field and what it must be,
/// not as an invalid name of an account the caller never named; one that fits is taken.
#[test]
fn a_lender_or_purpose_the_account_name_cannot_take_is_refused_by_its_field() {
    let mut f = Fixture::with_pool("10");
    let sign = |lender: &str| Event::LoanSigned {
        loan: Loan {
            lender: lender.into(),
            ..loan(DayCount::Act365, vec![])
        },
    };
    // 短期借款— is 15 bytes, "short-term loan L2019-01 — " 29: the lender may have 227.
    let long = "x".repeat(228);
    for (lender, reason) in [
        (
            long.as_str(),
            "give a name of at most 227 bytes: the name of account 201.L2019-01 adds 29 bytes to it and holds at most 256",
        ),
        ("bank ", "give a name without white space at either end"),
        ("莱西\n农商银行", "give a name on one line, without control characters"),
    ] {
        f.refused_with(
            sign(lender),
            PoolError::NotAllowed {
                what: "loan L2019-01: lender".into(),
                reason: reason.into(),
            },
            &format!("loan L2019-01: lender: {reason}"),
        );
    }
    f.ok(sign(&"x".repeat(227)));
    assert_eq!(
        f.book
            .journal()
            .chart()
            .get(&code("201.L2019-01"))
            .map(|a| a.name_en.len()),
        Some(256)
    );
    let receive = |purpose: &str| Event::GrantReceived {
        grant: id("G1"),
        purpose: purpose.into(),
        source: "农业农村局".into(),
        date: date!(2019 - 02 - 01),
        amount: yuan("1000"),
        into: CashAccount::Bank,
    };
    // 专项应付款— is 18 bytes: the purpose may have 238.
    let long = "x".repeat(239);
    for (purpose, reason) in [
        (
            long.as_str(),
            "give a name of at most 238 bytes: the name of account 235.G1 adds 18 bytes to it and holds at most 256",
        ),
        (" 大棚", "give a name without white space at either end"),
        ("大棚\t补助", "give a name on one line, without control characters"),
    ] {
        let next = f.next_id();
        f.refused_with(
            receive(purpose),
            PoolError::NotAllowed {
                what: format!("grant G1 ({next}): purpose"),
                reason: reason.into(),
            },
            &format!("grant G1 ({next}): purpose: {reason}"),
        );
    }
    f.ok(receive(&"x".repeat(238)));
    assert_eq!(f.balance("235.G1"), yuan("-1000"));
}

/// Interest accrued through the last day the books hold (9999-12-31) is accrued once: an
/// accrual through it again accrues nothing. Before, the day after the last day accrued
/// did not exist, so the accrual started over from the first drawdown and charged the
/// interest again each time.
#[test]
fn interest_through_the_last_day_there_is_is_accrued_once() -> TestResult {
    let mut f = Fixture::with_pool("10");
    f.ok(Event::LoanSigned {
        loan: Loan {
            amount: yuan("36500"),
            annual_rate_percent: dec!(10),
            signed: date!(9999 - 12 - 01),
            maturity: date!(9999 - 12 - 31),
            ..loan(DayCount::Act365, vec![])
        },
    });
    f.ok(Event::LoanDrawn {
        loan: id("L2019-01"),
        date: date!(9999 - 12 - 30),
        amount: yuan("36500"),
        into: CashAccount::Bank,
    });
    for _ in 0..2 {
        f.ok(Event::LoanInterestAccrued {
            loan: id("L2019-01"),
            through: date!(9999 - 12 - 31),
        });
        // 36,500 × 10% ÷ 365 = 10.00 a day, for 30 and 31 December.
        let record = f.book.loan(&id("L2019-01")).ok_or(PoolError::UnknownLoan {
            loan: id("L2019-01"),
        })?;
        assert_eq!(record.interest_accrued, yuan("20.00"));
        assert_eq!(f.balance("524"), yuan("20.00"));
        assert_eq!(f.balance("215"), yuan("-20.00"));
    }
    Ok(())
}

/// A voucher posting to a loan's own sub-account (`201.<loan>`) or a grant's (`235.<grant>`)
/// would move the ledger without the loan's or grant's register: the principal outstanding,
/// the drawdown limit and the unspent grant the book checks repayments and spending against
/// would no longer be the ledger's. Such a voucher is refused, naming the account and the
/// events that move it, and leaves the book as it was; the register and the ledger agree.
#[test]
fn a_voucher_to_a_loan_or_grant_account_of_the_book_is_refused() {
    use landpool::ledger::Posting;
    let voucher = |debit: &str, credit: &str| Event::ManualEntry {
        date: date!(2019 - 03 - 01),
        memo: "by hand".into(),
        postings: vec![
            Posting {
                account: code(debit),
                side: Side::Debit,
                amount: yuan("100"),
            },
            Posting {
                account: code(credit),
                side: Side::Credit,
                amount: yuan("100"),
            },
        ],
    };
    let mut f = drawn(DayCount::Act365);
    f.ok(Event::GrantReceived {
        grant: id("G1"),
        purpose: "大棚建设补助".into(),
        source: "农业农村局".into(),
        date: date!(2019 - 02 - 01),
        amount: yuan("1000"),
        into: CashAccount::Bank,
    });
    let next = f.next_id();
    f.refused_with(
        voucher("201.L2019-01", "102"),
        PoolError::NotAllowed {
            what: format!("manual entry {next}"),
            reason: "it posts to 201.L2019-01, the book's account of loan L2019-01, which \
                     moves with the loan's register: record a drawdown with LoanDrawn and a \
                     repayment with LoanRepaid"
                .into(),
        },
        &format!(
            "manual entry {next}: it posts to 201.L2019-01, the book's account of loan \
             L2019-01, which moves with the loan's register: record a drawdown with LoanDrawn \
             and a repayment with LoanRepaid"
        ),
    );
    let next = f.next_id();
    f.refused_with(
        voucher("102", "235.G1"),
        PoolError::NotAllowed {
            what: format!("manual entry {next}"),
            reason: "it posts to 235.G1, the book's account of grant G1, which moves with the \
                     grant's register: record a receipt with GrantReceived and spending with \
                     GrantSpent"
                .into(),
        },
        &format!(
            "manual entry {next}: it posts to 235.G1, the book's account of grant G1, which \
             moves with the grant's register: record a receipt with GrantReceived and \
             spending with GrantSpent"
        ),
    );
    // The register and the ledger still agree.
    let loan = f.book.loan(&id("L2019-01")).map(|r| r.outstanding());
    assert_eq!(loan.map(|o| o.ok()), Some(Some(yuan("500000"))));
    assert_eq!(f.balance("201.L2019-01"), yuan("-500000"));
    let grant = f.book.grant(&id("G1")).map(|r| r.unspent());
    assert_eq!(grant.map(|u| u.ok()), Some(Some(yuan("1000"))));
    assert_eq!(f.balance("235.G1"), yuan("-1000"));
}

/// An account the accountant opened, with postings of its own, is not taken over by a loan
/// or grant of the same id, even when opened with the very names the book gives it: the
/// register would start at nothing while the ledger holds the postings.
#[test]
fn a_loan_or_grant_is_refused_an_account_with_postings() {
    use landpool::ledger::Posting;
    let voucher = |account: &str| Event::ManualEntry {
        date: date!(2019 - 01 - 05),
        memo: "by hand".into(),
        postings: vec![
            Posting {
                account: code("102"),
                side: Side::Debit,
                amount: yuan("100"),
            },
            Posting {
                account: code(account),
                side: Side::Credit,
                amount: yuan("100"),
            },
        ],
    };
    let mut f = Fixture::with_pool("10");
    f.ok(Event::AccountOpened {
        code: code("201.L2019-01"),
        name_zh: "短期借款—莱西农商银行".into(),
        name_en: "short-term loan L2019-01 — 莱西农商银行".into(),
    });
    f.ok(voucher("201.L2019-01"));
    f.refused_with(
        Event::LoanSigned {
            loan: loan(DayCount::Act365, vec![]),
        },
        PoolError::NotAllowed {
            what: "loan L2019-01".into(),
            reason: "201.L2019-01, the book's account of it, has postings of the \
                     accountant's; the book's account must start empty"
                .into(),
        },
        "loan L2019-01: 201.L2019-01, the book's account of it, has postings of the \
         accountant's; the book's account must start empty",
    );
    f.ok(Event::AccountOpened {
        code: code("235.G1"),
        name_zh: "专项应付款—大棚建设补助".into(),
        name_en: "special payable — grant G1".into(),
    });
    f.ok(voucher("235.G1"));
    f.refused_with(
        Event::GrantReceived {
            grant: id("G1"),
            purpose: "大棚建设补助".into(),
            source: "农业农村局".into(),
            date: date!(2019 - 02 - 01),
            amount: yuan("1000"),
            into: CashAccount::Bank,
        },
        PoolError::NotAllowed {
            what: "grant G1".into(),
            reason: "235.G1, the book's account of it, has postings of the accountant's; the \
                     book's account must start empty"
                .into(),
        },
        "grant G1: 235.G1, the book's account of it, has postings of the accountant's; the \
         book's account must start empty",
    );
}

/// Every receipt of a grant keeps the source the register shows: a later receipt naming
/// another source is refused, naming the grant, the source kept and the one given, and
/// leaves the book as it was.
#[test]
fn a_grant_receipt_from_another_source_is_refused() {
    let receive = |source: &str, date: Date| Event::GrantReceived {
        grant: id("G1"),
        purpose: "大棚建设补助".into(),
        source: source.into(),
        date,
        amount: yuan("1000"),
        into: CashAccount::Bank,
    };
    let mut f = Fixture::with_pool("10");
    f.ok(receive("农业农村局", date!(2019 - 02 - 01)));
    let next = f.next_id();
    f.refused_with(
        receive("财政局", date!(2019 - 03 - 01)),
        PoolError::NotAllowed {
            what: format!("grant G1 ({next}): source"),
            reason: "the grant was received from \"农业农村局\", not \"财政局\"; a grant from \
                     another source needs its own id"
                .into(),
        },
        &format!(
            "grant G1 ({next}): source: the grant was received from \"农业农村局\", not \
             \"财政局\"; a grant from another source needs its own id"
        ),
    );
    f.ok(receive("农业农村局", date!(2019 - 03 - 01)));
    let record = f.book.grant(&id("G1")).cloned();
    assert_eq!(
        record.map(|r| (r.source, r.received)),
        Some((
            "农业农村局".to_string(),
            vec![
                (date!(2019 - 02 - 01), yuan("1000")),
                (date!(2019 - 03 - 01), yuan("1000"))
            ]
        ))
    );
}

/// The book opens a sub-account of 521 for each greenhouse and of 501 for each crop, and the
/// ledger refuses a sub-account under an account with postings of its own. A voucher posting
/// to 501 or 521 itself, before any greenhouse was built, is refused naming the account:
/// accepted, it would have left the book unable to build any greenhouse ever after. A voucher
/// to a sub-account the accountant opened is taken, and greenhouses are still built.
#[test]
fn a_voucher_to_the_revenue_or_expense_control_account_is_refused() {
    use landpool::ledger::Posting;
    let voucher = |debit: &str, credit: &str| Event::ManualEntry {
        date: date!(2019 - 01 - 05),
        memo: "by hand".into(),
        postings: vec![
            Posting {
                account: code(debit),
                side: Side::Debit,
                amount: yuan("100"),
            },
            Posting {
                account: code(credit),
                side: Side::Credit,
                amount: yuan("100"),
            },
        ],
    };
    for (control, debit, credit, of, sub, by_hand) in [
        ("501", "102", "501", "crop", "501.<crop>", yuan("-100")),
        (
            "521",
            "521",
            "102",
            "greenhouse",
            "521.<greenhouse>",
            yuan("100"),
        ),
    ] {
        let mut f = Fixture::with_pool("10");
        let next = f.next_id();
        let reason = format!(
            "it posts to {control} itself, whose sub-accounts the book opens, one for each \
             {of}: post to a sub-account ({sub}, or one opened with an AccountOpened event)"
        );
        f.refused_with(
            voucher(debit, credit),
            PoolError::NotAllowed {
                what: format!("manual entry {next}"),
                reason: reason.clone(),
            },
            &format!("manual entry {next}: {reason}"),
        );
        f.ok(Event::AccountOpened {
            code: code(&format!("{control}.BYHAND")),
            name_zh: "手工".into(),
            name_en: "by hand".into(),
        });
        let (debit, credit) = if debit == control {
            (format!("{control}.BYHAND"), credit.to_string())
        } else {
            (debit.to_string(), format!("{control}.BYHAND"))
        };
        f.ok(voucher(&debit, &credit));
        f.greenhouse("GH01", id("2"), "GRAPE", date!(2019 - 03 - 01));
        assert_eq!(
            (
                f.balance(&format!("{control}.BYHAND")),
                f.balance("521.GH01")
            ),
            (by_hand, Yuan::ZERO)
        );
    }
}

/// A donor, a grant's source, and what a grant was spent on become part of the memo of the
/// entry the book makes, and a memo is one line. Such a text on more than one line (or with
/// other control characters) is refused naming the event's field and what it must be, not
/// as an invalid memo of an entry the caller never wrote; the book is left as it was.
#[test]
fn a_donor_source_or_use_on_more_than_one_line_is_refused_by_its_field() {
    let reason = "give a name on one line, without control characters";
    let mut f = Fixture::with_pool("10");
    let next = f.next_id();
    f.refused_with(
        Event::DonationReceived {
            donor: "青岛\n某公司".into(),
            date: date!(2019 - 02 - 01),
            amount: yuan("1000"),
            into: CashAccount::Bank,
        },
        PoolError::NotAllowed {
            what: format!("donation {next}: donor"),
            reason: reason.into(),
        },
        &format!("donation {next}: donor: {reason}"),
    );
    let receive = |source: &str| Event::GrantReceived {
        grant: id("G1"),
        purpose: "大棚建设补助".into(),
        source: source.into(),
        date: date!(2019 - 02 - 01),
        amount: yuan("1000"),
        into: CashAccount::Bank,
    };
    let next = f.next_id();
    f.refused_with(
        receive("农业\r农村局"),
        PoolError::NotAllowed {
            what: format!("grant G1 ({next}): source"),
            reason: reason.into(),
        },
        &format!("grant G1 ({next}): source: {reason}"),
    );
    f.ok(receive("农业农村局"));
    for on in [
        GrantUse::Asset {
            asset: "一号\n棚".into(),
        },
        GrantUse::Expense {
            purpose: "培训\u{7}".into(),
            from: CashAccount::Bank,
        },
    ] {
        let field = match on {
            GrantUse::Asset { .. } => "asset",
            GrantUse::Expense { .. } => "purpose",
        };
        let next = f.next_id();
        f.refused_with(
            Event::GrantSpent {
                grant: id("G1"),
                date: date!(2019 - 03 - 01),
                amount: yuan("100"),
                on,
            },
            PoolError::NotAllowed {
                what: format!("grant G1 spent ({next}): {field}"),
                reason: reason.into(),
            },
            &format!("grant G1 spent ({next}): {field}: {reason}"),
        );
    }
}

fn retire(gh: &str, date: Date, proceeds: &str, into: CashAccount) -> Event {
    Event::GreenhouseRetired {
        greenhouse: id(gh),
        date,
        proceeds: yuan(proceeds),
        into,
    }
}

/// A greenhouse of 100,000 (residual 4,000, ten years: 800.00 a month) built in March 2019
/// and pulled down on 10 July: April to June are booked month by month, July by the
/// retirement itself (当月减少当月照提), 3,200.00 in all; its cost leaves 151 against 152's
/// 3,200.00 and 154's 96,800.00; the remains fetch 1,000.00 in cash; 154 is cleared with a
/// loss of 95,800.00 to 529. From the next day its 7 mu are free, and it takes no harvest,
/// cost, work or depreciation; the grapes picked before are still sold.
#[test]
fn a_greenhouse_taken_out_of_use_is_cleared_through_154() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 6,
    });
    assert_eq!(f.balance("152"), yuan("-2400.00"));
    f.ok(Event::Harvested {
        greenhouse: id("GH01"),
        date: date!(2019 - 07 - 01),
        kg: dec!(100),
        grade: "一级".into(),
    });
    let cash = f.balance("101");
    // Not before it was built; not one the register does not have.
    f.refused(
        retire("GH01", date!(2019 - 03 - 09), "0", CashAccount::Cash),
        |e| matches!(e, Error::Pool(PoolError::GreenhouseNotBuilt { .. })),
    );
    f.refused(
        retire("GH09", date!(2019 - 07 - 10), "0", CashAccount::Cash),
        |e| matches!(e, Error::Pool(PoolError::UnknownGreenhouse { .. })),
    );
    // Not before a harvest recorded after the day.
    f.refused(retire("GH01", date!(2019 - 06 - 30), "0", CashAccount::Cash), |e| {
        e.to_string()
            == "taking greenhouse GH01 out of use after 2019-06-30: a harvest is recorded on 2019-07-01, after it"
    });

    let applied = f.ok(retire(
        "GH01",
        date!(2019 - 07 - 10),
        "1000",
        CashAccount::Cash,
    ));
    let Applied::Recorded { entries, .. } = applied else {
        panic!("not recorded: {applied:?}");
    };
    let ids: Vec<String> = entries.iter().map(ToString::to_string).collect();
    let op = f.next.to_string();
    assert_eq!(
        ids,
        [
            format!("op{op}:depreciation"),
            format!("op{op}"),
            format!("op{op}:proceeds"),
            format!("op{op}:result"),
        ]
    );
    assert_eq!(f.balance("521.GH01"), yuan("3200.00"));
    assert_eq!(
        (f.balance("151"), f.balance("152"), f.balance("154")),
        (Yuan::ZERO, Yuan::ZERO, Yuan::ZERO)
    );
    assert_eq!(f.balance("529"), yuan("95800.00"));
    assert_eq!(f.balance("101").checked_sub(cash)?, yuan("1000.00"));
    // 154 held the carrying amount on the day, before the proceeds and the loss cleared it.
    let clearing =
        f.book
            .journal()
            .movement(&code("154"), date!(2019 - 07 - 10), date!(2019 - 07 - 10))?;
    assert_eq!(
        (clearing.debits, clearing.credits),
        (yuan("96800.00"), yuan("96800.00"))
    );
    let record = f
        .book
        .greenhouse(&id("GH01"))
        .ok_or(PoolError::UnknownGreenhouse {
            greenhouse: id("GH01"),
        })?;
    assert_eq!(
        (
            record.retired,
            record.depreciated_months,
            record.depreciated,
            record.carrying_amount()?
        ),
        (
            Some(date!(2019 - 07 - 10)),
            4,
            yuan("3200.00"),
            yuan("96800.00")
        )
    );
    assert_eq!(f.book.greenhouse_area(date!(2019 - 07 - 10))?, id("7"));
    assert_eq!(f.book.greenhouse_area(date!(2019 - 07 - 11))?, Mu::ZERO);

    // Once is all.
    f.refused(retire("GH01", date!(2019 - 08 - 01), "0", CashAccount::Cash), |e| {
        e.to_string()
            == "taking greenhouse GH01 out of use after 2019-08-01: it was taken out of use after 2019-07-10 already"
    });
    // Nothing is harvested, charged or worked in it after its last day.
    let gone = |date: Date| PoolError::GreenhouseRetired {
        greenhouse: id("GH01"),
        date,
        retired: date!(2019 - 07 - 10),
    };
    f.refused_with(
        Event::Harvested {
            greenhouse: id("GH01"),
            date: date!(2019 - 07 - 11),
            kg: dec!(1),
            grade: "一级".into(),
        },
        gone(date!(2019 - 07 - 11)),
        "greenhouse GH01 is not in use on 2019-07-11: it was taken out of use after 2019-07-10",
    );
    f.refused_with(
        Event::CostIncurred {
            date: date!(2019 - 07 - 11),
            kind: CostKind::Seedlings,
            amount: yuan("1"),
            target: CostTarget::Greenhouse(id("GH01")),
            payment: CostPayment::Bank,
            memo: String::new(),
        },
        gone(date!(2019 - 07 - 11)),
        "greenhouse GH01 is not in use on 2019-07-11: it was taken out of use after 2019-07-10",
    );
    let message = format!(
        "timesheet {}, record 2 (counting from 1): greenhouse GH01 is not in use on 2019-07-12: it was taken out of use after 2019-07-10",
        f.next_id()
    );
    refused_record(
        &mut f,
        Event::WorkRecorded {
            date: date!(2019 - 07 - 31),
            records: vec![
                work("M001", date!(2019 - 07 - 10), "GH01", dec!(1), dec!(100)),
                work("M002", date!(2019 - 07 - 12), "GH01", dec!(1), dec!(100)),
            ],
        },
        2,
        gone(date!(2019 - 07 - 12)).into(),
        &message,
    );
    // Work on its last day is still booked to it.
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 07 - 31),
        records: vec![work(
            "M001",
            date!(2019 - 07 - 10),
            "GH01",
            dec!(1),
            dec!(100),
        )],
    });
    assert_eq!(f.balance("521.GH01"), yuan("3300.00"));
    // Its grapes in stock are sold.
    f.ok(Event::ProduceSold {
        greenhouse: id("GH01"),
        date: date!(2019 - 07 - 20),
        kg: dec!(100),
        price_per_kg: dec!(8.00),
        buyer: "青岛果品批发市场".into(),
        payment: SalePayment::Cash,
    });
    // Its land is free from the next day: a 10 mu greenhouse fits on 11 July, not before.
    f.refused(
        Event::GreenhouseBuilt {
            greenhouse: greenhouse("GH02", id("10"), "GRAPE", date!(2019 - 07 - 10)),
            paid_from: CostPayment::Bank,
        },
        |e| matches!(e, Error::Pool(PoolError::GreenhouseAreaExceedsPool { .. })),
    );
    f.greenhouse("GH02", id("10"), "GRAPE", date!(2019 - 07 - 11));
    // December's depreciation is GH02's alone (August to December, 5 × 800.00).
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 12,
    });
    assert_eq!(f.balance("521.GH01"), yuan("3300.00"));
    assert_eq!(f.balance("152"), yuan("-4000.00"));
    assert_eq!(landpool::audit::check(&f.book), Vec::new());
    let replayed = Book::replay(f.book.events().iter().cloned())?;
    assert!(replayed == f.book);
    // Its results are in 2019's report (800 yuan of grapes on 7 mu), not in 2020's.
    let results = |from: Date, to: Date| -> Result<Vec<(String, Yuan)>, Error> {
        Ok(f.book
            .greenhouse_results(from, to)?
            .into_iter()
            .map(|r| (r.greenhouse.to_string(), r.revenue))
            .collect())
    };
    assert_eq!(
        results(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?,
        [
            ("GH01".to_string(), yuan("800.00")),
            ("GH02".to_string(), Yuan::ZERO)
        ]
    );
    assert_eq!(
        results(date!(2020 - 01 - 01), date!(2020 - 12 - 31))?,
        [("GH02".to_string(), Yuan::ZERO)]
    );
    let crops = f
        .book
        .crop_results(date!(2020 - 01 - 01), date!(2020 - 12 - 31))?;
    assert_eq!(
        crops.iter().map(|c| c.area).collect::<Vec<_>>(),
        [id::<Mu>("10")]
    );
    Ok(())
}

/// Remains that fetch more than the carrying amount give a gain to 502 其他收入; a
/// greenhouse taken out of use in its build month is not depreciated at all.
#[test]
fn a_greenhouse_sold_above_its_carrying_amount_gives_a_gain() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    f.ok(retire(
        "GH01",
        date!(2019 - 03 - 31),
        "100500",
        CashAccount::Bank,
    ));
    assert_eq!(f.balance("521.GH01"), Yuan::ZERO);
    assert_eq!(f.balance("502"), yuan("-500.00"));
    assert_eq!(
        (f.balance("151"), f.balance("152"), f.balance("154")),
        (Yuan::ZERO, Yuan::ZERO, Yuan::ZERO)
    );
    // Remains that fetch nothing: the whole carrying amount is a loss, no proceeds entry.
    let mut g = Fixture::with_grape_greenhouse();
    g.ok(Event::DepreciationBooked {
        year: 2019,
        month: 12,
    });
    // December's depreciation is dated the 31st: the greenhouse cannot leave before it.
    g.refused(
        retire("GH01", date!(2019 - 12 - 30), "0", CashAccount::Cash),
        |e| {
            e.to_string().contains(
            "521.GH01 takes entries dated after it (depreciation of a later month, a cost, or pay for work after it)",
        )
        },
    );
    let applied = g.ok(retire(
        "GH01",
        date!(2019 - 12 - 31),
        "0",
        CashAccount::Cash,
    ));
    let Applied::Recorded { entries, .. } = applied else {
        panic!("not recorded: {applied:?}");
    };
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(g.balance("529"), yuan("92800.00"));
    assert_eq!(g.balance("154"), Yuan::ZERO);
    Ok(())
}

/// Grapes picked before a greenhouse is taken out of use and sold the next year, and pay for
/// its last days booked the next month: the next periods' results still show that revenue
/// and cost (the sums of the results are 501's credits and 521's debits of the period), while
/// the crop's greenhouses and area are only those in use in the period.
#[test]
fn a_greenhouse_taken_out_of_use_keeps_its_later_sales_and_costs_in_the_results() -> TestResult {
    let mut f = Fixture::with_pool("10");
    f.greenhouse("GH01", id("4"), "GRAPE", date!(2019 - 03 - 10));
    f.greenhouse("GH02", id("5"), "GRAPE", date!(2019 - 03 - 10));
    f.ok(Event::Harvested {
        greenhouse: id("GH01"),
        date: date!(2019 - 11 - 01),
        kg: dec!(100),
        grade: "一级".into(),
    });
    f.ok(retire(
        "GH01",
        date!(2019 - 11 - 30),
        "0",
        CashAccount::Cash,
    ));
    // Work of its last day, booked in December.
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 12 - 05),
        records: vec![work(
            "M001",
            date!(2019 - 11 - 30),
            "GH01",
            dec!(1),
            dec!(100),
        )],
    });
    // Its grapes from cold store, sold in January.
    f.ok(Event::ProduceSold {
        greenhouse: id("GH01"),
        date: date!(2020 - 01 - 15),
        kg: dec!(100),
        price_per_kg: dec!(8.00),
        buyer: "青岛果品批发市场".into(),
        payment: SalePayment::Cash,
    });
    let results = |from: Date, to: Date| -> Result<Vec<(String, Yuan, Yuan)>, Error> {
        Ok(f.book
            .greenhouse_results(from, to)?
            .into_iter()
            .map(|r| (r.greenhouse.to_string(), r.revenue, r.cost))
            .collect())
    };
    assert_eq!(
        results(date!(2019 - 12 - 01), date!(2019 - 12 - 31))?,
        [
            ("GH01".to_string(), Yuan::ZERO, yuan("100.00")),
            ("GH02".to_string(), Yuan::ZERO, Yuan::ZERO)
        ]
    );
    assert_eq!(
        results(date!(2020 - 01 - 01), date!(2020 - 12 - 31))?,
        [
            ("GH01".to_string(), yuan("800.00"), Yuan::ZERO),
            ("GH02".to_string(), Yuan::ZERO, Yuan::ZERO)
        ]
    );
    // Nothing of GH01 in 2021: it is left out.
    assert_eq!(
        results(date!(2021 - 01 - 01), date!(2021 - 12 - 31))?,
        [("GH02".to_string(), Yuan::ZERO, Yuan::ZERO)]
    );
    let crops = f
        .book
        .crop_results(date!(2020 - 01 - 01), date!(2020 - 12 - 31))?;
    assert_eq!(
        crops
            .iter()
            .map(|c| (c.greenhouses, c.area, c.revenue, c.revenue_per_mu))
            .collect::<Vec<_>>(),
        [(1, id::<Mu>("5"), yuan("800.00"), yuan("160.00"))]
    );
    let sold = f.book.journal().movement(
        &code("501.GRAPE"),
        date!(2020 - 01 - 01),
        date!(2020 - 12 - 31),
    )?;
    assert_eq!(sold.credits, yuan("800.00"));
    Ok(())
}

/// A greenhouse of 12,000.00 (residual 1,200.00, one year: 900.00 a month) built on 15
/// January 2019, depreciated through June (5 × 900.00), pulled down on 30 September 2020,
/// long past its useful life: the retirement books the 7 months left (6,300.00), no more,
/// its carrying amount is its residual value, and 1,500.00 of remains give a gain of
/// 300.00 to 502. The balance sheet's fixed-asset lines (10–15) and the surplus
/// statement's lines 8 and 9 show it.
#[test]
fn a_greenhouse_past_its_useful_life_leaves_at_its_residual_value() -> TestResult {
    let mut f = Fixture::with_pool("10");
    let mut gh = greenhouse("GH01", id("7"), "GRAPE", date!(2019 - 01 - 15));
    gh.cost = yuan("12000");
    gh.residual = yuan("1200");
    gh.life_months = 12;
    f.ok(Event::GreenhouseBuilt {
        greenhouse: gh,
        paid_from: CostPayment::Bank,
    });
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 6,
    });
    assert_eq!(f.balance("152"), yuan("-4500.00"));
    f.ok(retire(
        "GH01",
        date!(2020 - 09 - 30),
        "1500",
        CashAccount::Bank,
    ));
    let charged = f.book.journal().movement(
        &code("521.GH01"),
        date!(2020 - 01 - 01),
        date!(2020 - 12 - 31),
    )?;
    assert_eq!(charged.debits, yuan("6300.00"));
    assert_eq!(f.balance("502"), yuan("-300.00"));
    assert_eq!(f.balance("529"), Yuan::ZERO);
    assert_eq!(
        (f.balance("151"), f.balance("152"), f.balance("154")),
        (Yuan::ZERO, Yuan::ZERO, Yuan::ZERO)
    );
    let sheet = report::balance_sheet(&f.book, 2020)?;
    let lines = |from: u8, to: u8| -> Vec<(Yuan, Yuan)> {
        (from..=to)
            .filter_map(|n| sheet.line(n).map(|l| (l.current, l.previous)))
            .collect()
    };
    // Closing 2020: nothing; opening 2020: 12,000.00 less 4,500.00.
    assert_eq!(
        lines(10, 15),
        [
            (Yuan::ZERO, yuan("12000.00")),
            (Yuan::ZERO, yuan("4500.00")),
            (Yuan::ZERO, yuan("7500.00")),
            (Yuan::ZERO, Yuan::ZERO),
            (Yuan::ZERO, Yuan::ZERO),
            (Yuan::ZERO, yuan("7500.00")),
        ]
    );
    let statement = report::surplus_statement(&f.book, 2020)?;
    assert_eq!(
        [8, 9].map(|n| statement.line(n).map(|l| l.current)),
        [Some(yuan("300.00")), Some(Yuan::ZERO)]
    );
    assert_eq!(landpool::audit::check(&f.book), Vec::new());
    Ok(())
}

/// Pay for work done on or before a greenhouse's last day may be booked after it, whether
/// the timesheet is booked before the greenhouse is taken out of use or after: the order of
/// the two events does not change what the book accepts. Work dated after the last day is
/// refused either way.
#[test]
fn pay_for_its_last_days_booked_later_does_not_stop_a_greenhouse_leaving() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    // July's timesheet, booked on the 31st, with work on the 10th.
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 07 - 31),
        records: vec![work(
            "M001",
            date!(2019 - 07 - 10),
            "GH01",
            dec!(1),
            dec!(100),
        )],
    });
    let mut late = Fixture::with_grape_greenhouse();
    late.ok(Event::WorkRecorded {
        date: date!(2019 - 07 - 31),
        records: vec![work(
            "M001",
            date!(2019 - 07 - 20),
            "GH01",
            dec!(1),
            dec!(100),
        )],
    });
    // Work on the 20th: the greenhouse was in use after the 10th.
    late.refused(
        retire("GH01", date!(2019 - 07 - 10), "0", CashAccount::Cash),
        |e| {
            e.to_string()
                == "taking greenhouse GH01 out of use after 2019-07-10: work in it is recorded on 2019-07-20, after it"
        },
    );
    // A cost dated after the day stops it too.
    let mut cost = Fixture::with_grape_greenhouse();
    cost.ok(Event::WorkRecorded {
        date: date!(2019 - 07 - 31),
        records: vec![work(
            "M001",
            date!(2019 - 07 - 10),
            "GH01",
            dec!(1),
            dec!(100),
        )],
    });
    cost.ok(Event::CostIncurred {
        date: date!(2019 - 07 - 11),
        kind: CostKind::Seedlings,
        amount: yuan("1"),
        target: CostTarget::Greenhouse(id("GH01")),
        payment: CostPayment::Bank,
        memo: String::new(),
    });
    cost.refused(
        retire("GH01", date!(2019 - 07 - 10), "0", CashAccount::Cash),
        |e| {
            e.to_string()
                .contains("521.GH01 takes entries dated after it")
        },
    );
    // Booked in the other order, as the book accepts.
    f.ok(retire(
        "GH01",
        date!(2019 - 07 - 10),
        "0",
        CashAccount::Cash,
    ));
    assert_eq!(f.balance("521.GH01"), yuan("3300.00"));
    assert_eq!(f.balance("529"), yuan("96800.00"));
    assert_eq!(f.book.greenhouse_area(date!(2019 - 07 - 11))?, Mu::ZERO);
    let replayed = Book::replay(f.book.events().iter().cloned())?;
    assert!(replayed == f.book);
    Ok(())
}

/// The errors `Event::GreenhouseRetired` documents: negative proceeds and a date before the
/// greenhouse was built, each refused with the error its documentation names.
#[test]
fn a_retirement_is_refused_with_the_errors_it_documents() {
    let mut f = Fixture::with_grape_greenhouse();
    f.refused_with(
        retire("GH01", date!(2019 - 07 - 10), "-0.01", CashAccount::Cash),
        PoolError::BadNumber {
            what: "taking greenhouse GH01 out of use after 2019-07-10: proceeds".into(),
            expected: "zero or more",
            value: dec!(-0.01),
        },
        "taking greenhouse GH01 out of use after 2019-07-10: proceeds must be zero or more, got -0.01",
    );
    f.refused_with(
        retire("GH01", date!(2019 - 03 - 09), "0", CashAccount::Cash),
        PoolError::GreenhouseNotBuilt {
            greenhouse: id("GH01"),
            date: date!(2019 - 03 - 09),
            built: date!(2019 - 03 - 10),
        },
        "greenhouse GH01 is not in use on 2019-03-09: it was built on 2019-03-10",
    );
}

/// Unpaid work (义务工, a rate of nothing) recorded in a greenhouse after a day shows it was
/// in use then, as paid work does: it may not be taken out of use after that day, just as
/// the same record is refused once it has been.
#[test]
fn unpaid_work_after_the_day_stops_a_greenhouse_leaving_on_it() {
    let mut f = Fixture::with_grape_greenhouse();
    f.ok(Event::WorkRecorded {
        date: date!(2019 - 07 - 31),
        records: vec![work(
            "M001",
            date!(2019 - 07 - 20),
            "GH01",
            dec!(1),
            dec!(0),
        )],
    });
    f.refused(
        retire("GH01", date!(2019 - 07 - 10), "0", CashAccount::Cash),
        |e| {
            e.to_string()
                == "taking greenhouse GH01 out of use after 2019-07-10: work in it is recorded on 2019-07-20, after it"
        },
    );
    f.ok(retire(
        "GH01",
        date!(2019 - 07 - 20),
        "0",
        CashAccount::Cash,
    ));
}

/// Vines in GH01 bearing from 31 March 2019: 36,000.00 over ten years, 300.00 a month.
fn vines() -> Asset {
    Asset {
        id: id("V01"),
        name: "一号棚葡萄树".into(),
        kind: AssetKind::ProductiveBiological,
        in_use: date!(2019 - 03 - 31),
        cost: yuan("36000"),
        residual: Yuan::ZERO,
        depreciation: DepreciationMethod::StraightLine { life_months: 120 },
        greenhouse: Some(id("GH01")),
    }
}

/// A tractor put into use on 6 May 2019: 80,000.00 less 8,000.00 over 10,000 hours, 7.20 an
/// hour, charged to 523.
fn tractor() -> Asset {
    Asset {
        id: id("T01"),
        name: "拖拉机".into(),
        kind: AssetKind::Fixed,
        in_use: date!(2019 - 05 - 06),
        cost: yuan("80000"),
        residual: yuan("8000"),
        depreciation: DepreciationMethod::UnitsOfWork {
            total_units: dec!(10000),
        },
        greenhouse: None,
    }
}

fn hours(asset: &str, year: i32, month: u8, units: Decimal) -> Event {
    Event::AssetWorkRecorded {
        asset: id(asset),
        year,
        month,
        units,
    }
}

fn retire_asset(asset: &str, date: Date, proceeds: &str, into: CashAccount) -> Event {
    Event::AssetRetired {
        asset: id(asset),
        date,
        proceeds: yuan(proceeds),
        into,
    }
}

/// Vines (a productive biological asset, 142/143) depreciate straight-line into their
/// greenhouse's expenses, a tractor (a fixed asset, 151/152) by the hours it works into 523,
/// each from the month after it is put into use; taken out of use, the tractor is cleared
/// through 154 and the vines straight to 529.
#[test]
fn assets_depreciate_by_months_or_by_units_of_work() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    f.ok(Event::AssetAcquired {
        asset: vines(),
        paid_from: CostPayment::Bank,
    });
    f.ok(Event::AssetAcquired {
        asset: tractor(),
        paid_from: CostPayment::Payable,
    });
    assert_eq!(f.balance("142"), yuan("36000"));
    assert_eq!(f.balance("151"), yuan("180000"));
    assert_eq!(f.balance("211"), yuan("-80000"));
    f.ok(hours("T01", 2019, 6, dec!(120.5)));
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 6,
    });
    // Vines April to June, 3 × 300.00; the greenhouse 3 × 800.00 beside them.
    assert_eq!(f.balance("143"), yuan("-900"));
    assert_eq!(f.balance("521.GH01"), yuan("3300"));
    // 72,000.00 × 120.5 / 10,000.
    assert_eq!(f.balance("523"), yuan("867.60"));
    f.ok(hours("T01", 2019, 7, dec!(150)));
    f.ok(hours("T01", 2019, 7, dec!(50)));
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 7,
    });
    // 320.5 hours in all: 2,307.60, of which July 1,440.00.
    assert_eq!(f.balance("523"), yuan("2307.60"));
    let record = f
        .book
        .asset(&id("T01"))
        .unwrap_or_else(|| panic!("no tractor"));
    assert_eq!(record.depreciated_months, 2);
    assert_eq!(record.depreciated, yuan("2307.60"));
    assert_eq!(record.work.len(), 3);
    assert_eq!(record.carrying_amount()?, yuan("77692.40"));

    // August and September's hours, then sold on 15 September for 70,000.00: September is
    // depreciated by the sale (470.5 hours, 3,387.60 in all), its cost leaves 151 against
    // 152 and 154, and 154 is cleared with a loss of 6,612.40.
    f.ok(hours("T01", 2019, 8, dec!(100)));
    f.ok(hours("T01", 2019, 9, dec!(50)));
    f.ok(retire_asset(
        "T01",
        date!(2019 - 09 - 15),
        "70000",
        CashAccount::Bank,
    ));
    assert_eq!(f.balance("523"), yuan("3387.60"));
    assert_eq!(f.balance("151"), yuan("100000"));
    // The greenhouse's April to July remain.
    assert_eq!(f.balance("152"), yuan("-3200"));
    assert_eq!(f.balance("154"), Yuan::ZERO);
    assert_eq!(f.balance("529"), yuan("6612.40"));
    let record = f.book.asset(&id("T01")).map(|r| (r.retired, r.depreciated));
    assert_eq!(record, Some((Some(date!(2019 - 09 - 15)), yuan("3387.60"))));
    // Later months book nothing more for it.
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 12,
    });
    assert_eq!(f.balance("523"), yuan("3387.60"));
    // The vines: April to December, 2,700.00; grubbed up on 31 December for 1,000.00.
    assert_eq!(f.balance("143"), yuan("-2700"));
    f.ok(retire_asset(
        "V01",
        date!(2019 - 12 - 31),
        "1000",
        CashAccount::Cash,
    ));
    assert_eq!(f.balance("142"), Yuan::ZERO);
    assert_eq!(f.balance("143"), Yuan::ZERO);
    assert_eq!(f.balance("529"), yuan("38912.40"));
    assert_eq!(landpool::audit::check(&f.book), Vec::new());
    Ok(())
}

/// A sub-account the accountant opened under 142 before the book's first biological asset
/// would refuse its postings: the asset is refused, naming the account.
#[test]
fn a_biological_asset_is_refused_while_142_has_sub_accounts() {
    let mut f = Fixture::with_grape_greenhouse();
    f.ok(Event::AccountOpened {
        code: code("142.VINES"),
        name_zh: "葡萄树".into(),
        name_en: "vines".into(),
    });
    f.refused_with(
        Event::AssetAcquired {
            asset: vines(),
            paid_from: CostPayment::Bank,
        },
        PoolError::NotAllowed {
            what: "asset V01".into(),
            reason: "142, the book's account of it, has sub-accounts of the accountant's under it, and an account with sub-accounts takes no postings".into(),
        },
        "asset V01: 142, the book's account of it, has sub-accounts of the accountant's under it, and an account with sub-accounts takes no postings",
    );
    // A fixed asset posts to 151 and 152, which take no sub-accounts.
    f.ok(Event::AssetAcquired {
        asset: tractor(),
        paid_from: CostPayment::Bank,
    });
}

/// Each refusal of the asset events names what was wrong and changes nothing.
#[test]
fn asset_events_are_refused_with_the_errors_they_document() {
    let mut f = Fixture::with_grape_greenhouse();
    let not_allowed = |what: &str, reason: &str| PoolError::NotAllowed {
        what: what.into(),
        reason: reason.into(),
    };
    f.ok(Event::AssetAcquired {
        asset: vines(),
        paid_from: CostPayment::Bank,
    });
    f.refused_with(
        Event::AssetAcquired {
            asset: vines(),
            paid_from: CostPayment::Bank,
        },
        PoolError::DuplicateAsset { asset: id("V01") },
        "asset V01 is already in the register",
    );
    let no_life = Asset {
        id: id("V02"),
        depreciation: DepreciationMethod::StraightLine { life_months: 0 },
        ..vines()
    };
    f.refused(
        Event::AssetAcquired {
            asset: no_life,
            paid_from: CostPayment::Bank,
        },
        |e| e.to_string().contains("asset V02: useful life in months"),
    );
    let no_units = Asset {
        id: id("T02"),
        depreciation: DepreciationMethod::UnitsOfWork {
            total_units: Decimal::ZERO,
        },
        ..tractor()
    };
    f.refused(
        Event::AssetAcquired {
            asset: no_units,
            paid_from: CostPayment::Bank,
        },
        |e| e.to_string().contains("asset T02: units of work expected"),
    );
    let before_greenhouse = Asset {
        id: id("V03"),
        in_use: date!(2019 - 03 - 01),
        ..vines()
    };
    f.refused(
        Event::AssetAcquired {
            asset: before_greenhouse,
            paid_from: CostPayment::Bank,
        },
        |e| matches!(e, Error::Pool(PoolError::GreenhouseNotBuilt { .. })),
    );
    f.refused_with(
        hours("V01", 2019, 6, dec!(1)),
        not_allowed(
            "units of work of asset V01 in 2019-06",
            "it depreciates straight-line; units of work are recorded for an asset depreciated by units of work",
        ),
        "units of work of asset V01 in 2019-06: it depreciates straight-line; units of work are recorded for an asset depreciated by units of work",
    );
    f.refused_with(
        hours("T01", 2019, 6, dec!(1)),
        PoolError::UnknownAsset { asset: id("T01") },
        "no asset T01 in the register",
    );
    f.ok(Event::AssetAcquired {
        asset: tractor(),
        paid_from: CostPayment::Cash,
    });
    f.refused_with(
        hours("T01", 2019, 5, dec!(1)),
        not_allowed(
            "units of work of asset T01 in 2019-05",
            "it was put into use on 2019-05-06, and its depreciation starts the next month, 2019-06",
        ),
        "units of work of asset T01 in 2019-05: it was put into use on 2019-05-06, and its depreciation starts the next month, 2019-06",
    );
    f.refused(hours("T01", 2019, 13, dec!(1)), |e| {
        matches!(
            e,
            Error::Pool(PoolError::BadNumber {
                expected: "from 1 to 12",
                ..
            })
        )
    });
    f.refused(hours("T01", 2019, 6, Decimal::ZERO), |e| {
        matches!(
            e,
            Error::Pool(PoolError::BadNumber {
                expected: "above zero",
                ..
            })
        )
    });
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 6,
    });
    f.refused_with(
        hours("T01", 2019, 6, dec!(1)),
        not_allowed(
            "units of work of asset T01 in 2019-06",
            "its depreciation is booked through 2019-06 already; record the units in a month not yet booked, from 2019-07",
        ),
        "units of work of asset T01 in 2019-06: its depreciation is booked through 2019-06 already; record the units in a month not yet booked, from 2019-07",
    );
    // The greenhouse the vines serve cannot be taken out of use before them.
    f.refused_with(
        retire("GH01", date!(2019 - 06 - 30), "0", CashAccount::Bank),
        not_allowed(
            "taking greenhouse GH01 out of use after 2019-06-30",
            "asset V01 serves it and is in use after that day, its depreciation charged to the greenhouse: take the asset out of use first, on or before 2019-06-30",
        ),
        "taking greenhouse GH01 out of use after 2019-06-30: asset V01 serves it and is in use after that day, its depreciation charged to the greenhouse: take the asset out of use first, on or before 2019-06-30",
    );
    // Its 142 takes the vines' postings: no sub-account under it.
    f.refused(
        Event::AccountOpened {
            code: code("142.X"),
            name_zh: "葡萄".into(),
            name_en: "vines".into(),
        },
        |e| {
            e.to_string()
                .contains("productive biological assets post to 142")
        },
    );
    f.refused_with(
        retire_asset("T01", date!(2019 - 05 - 05), "0", CashAccount::Bank),
        not_allowed(
            "taking asset T01 out of use after 2019-05-05",
            "it was put into use on 2019-05-06",
        ),
        "taking asset T01 out of use after 2019-05-05: it was put into use on 2019-05-06",
    );
    f.refused(
        retire_asset("T01", date!(2019 - 06 - 30), "-1", CashAccount::Bank),
        |e| {
            matches!(
                e,
                Error::Pool(PoolError::BadNumber {
                    expected: "zero or more",
                    ..
                })
            )
        },
    );
    f.ok(hours("T01", 2019, 7, dec!(10)));
    f.refused_with(
        retire_asset("T01", date!(2019 - 06 - 30), "0", CashAccount::Bank),
        not_allowed(
            "taking asset T01 out of use after 2019-06-30",
            "units of work are recorded for 2019-07, after it",
        ),
        "taking asset T01 out of use after 2019-06-30: units of work are recorded for 2019-07, after it",
    );
    f.refused_with(
        retire_asset("V01", date!(2019 - 05 - 31), "0", CashAccount::Bank),
        not_allowed(
            "taking asset V01 out of use after 2019-05-31",
            "its depreciation is booked through 2019-06, after it",
        ),
        "taking asset V01 out of use after 2019-05-31: its depreciation is booked through 2019-06, after it",
    );
    f.ok(retire_asset(
        "T01",
        date!(2019 - 07 - 31),
        "0",
        CashAccount::Bank,
    ));
    f.refused_with(
        retire_asset("T01", date!(2019 - 08 - 31), "0", CashAccount::Bank),
        not_allowed(
            "taking asset T01 out of use after 2019-08-31",
            "it was taken out of use after 2019-07-31 already",
        ),
        "taking asset T01 out of use after 2019-08-31: it was taken out of use after 2019-07-31 already",
    );
    f.refused_with(
        hours("T01", 2019, 8, dec!(1)),
        not_allowed(
            "units of work of asset T01 in 2019-08",
            "it was taken out of use after 2019-07-31",
        ),
        "units of work of asset T01 in 2019-08: it was taken out of use after 2019-07-31",
    );
}

/// An asset register's figures as `[cost opening, added, removed, closing, depreciation
/// opening, charged, written off, closing]`.
fn figures(amounts: [&str; 8]) -> report::AssetFigures {
    let [co, ca, cr, cc, dopen, dc, dr, dclose] = amounts.map(yuan);
    report::AssetFigures {
        cost_opening: co,
        cost_added: ca,
        cost_removed: cr,
        cost_closing: cc,
        depreciation_opening: dopen,
        depreciation_charged: dc,
        depreciation_removed: dr,
        depreciation_closing: dclose,
    }
}

/// The ids and figures of a register section's rows.
fn register_rows(section: &report::AssetSection) -> Vec<(&str, report::AssetFigures)> {
    section
        .rows
        .iter()
        .map(|row| (row.id.as_str(), row.figures))
        .collect()
}

/// The section of `kind` of an asset register.
fn section(register: &report::AssetRegister, kind: AssetKind) -> &report::AssetSection {
    register
        .section(kind)
        .unwrap_or_else(|| panic!("no section {kind:?}"))
}

/// The asset register over two years: depreciation counts in the year of its entry (2019's
/// December booked in January 2020 counts in 2020), assets taken out of use leave with their
/// accumulated depreciation and are gone the year after, a pump bought by a voucher shows on
/// the line outside the register, and each section's total is the ledger's and the balance
/// sheet's.
#[test]
fn the_asset_register_follows_each_asset_through_the_years() -> TestResult {
    let mut f = Fixture::with_grape_greenhouse();
    for asset in [vines(), tractor()] {
        f.ok(Event::AssetAcquired {
            asset,
            paid_from: CostPayment::Bank,
        });
    }
    f.ok(hours("T01", 2019, 6, dec!(120.5)));
    f.ok(hours("T01", 2019, 7, dec!(200)));
    // Booked through November only: December's depreciation comes with January's.
    f.ok(Event::DepreciationBooked {
        year: 2019,
        month: 11,
    });
    f.ok(Event::DepreciationBooked {
        year: 2020,
        month: 1,
    });
    f.ok(hours("T01", 2020, 3, dec!(100)));
    f.ok(Event::DepreciationBooked {
        year: 2020,
        month: 3,
    });
    f.ok(retire_asset(
        "T01",
        date!(2020 - 04 - 15),
        "70000",
        CashAccount::Bank,
    ));
    f.ok(Event::ManualEntry {
        date: date!(2020 - 05 - 20),
        memo: "水泵 a pump".into(),
        postings: vec![
            ledger::Posting {
                account: code("151"),
                side: Side::Debit,
                amount: yuan("2500"),
            },
            ledger::Posting {
                account: code("101"),
                side: Side::Credit,
                amount: yuan("2500"),
            },
        ],
    });
    f.ok(Event::DepreciationBooked {
        year: 2020,
        month: 6,
    });
    f.ok(retire_asset(
        "V01",
        date!(2020 - 06 - 30),
        "0",
        CashAccount::Cash,
    ));
    f.ok(Event::DepreciationBooked {
        year: 2020,
        month: 12,
    });

    let register = report::asset_register(&f.book, 2019)?;
    let fixed = section(&register, AssetKind::Fixed);
    // GH01 April to November at 800.00; the tractor's 320.5 hours at 7.20.
    assert_eq!(
        register_rows(fixed),
        [
            (
                "GH01",
                figures(["0", "100000", "0", "100000", "0", "6400", "0", "6400"])
            ),
            (
                "T01",
                figures(["0", "80000", "0", "80000", "0", "2307.60", "0", "2307.60"])
            ),
        ]
    );
    assert_eq!(fixed.outside, report::AssetFigures::default());
    assert_eq!(
        fixed.total,
        figures(["0", "180000", "0", "180000", "0", "8707.60", "0", "8707.60"])
    );
    let biological = section(&register, AssetKind::ProductiveBiological);
    assert_eq!(
        register_rows(biological),
        [(
            "V01",
            figures(["0", "36000", "0", "36000", "0", "2400", "0", "2400"])
        )]
    );
    assert_eq!(
        fixed.rows[0].depreciation,
        DepreciationMethod::StraightLine { life_months: 120 }
    );
    assert!(fixed.rows[0].greenhouse && !fixed.rows[1].greenhouse);
    assert!(!register.to_csv().contains("登记簿外"));

    let register = report::asset_register(&f.book, 2020)?;
    let fixed = section(&register, AssetKind::Fixed);
    // GH01: December 2019 and all of 2020, 13 × 800.00. The tractor: March's 100 hours, then
    // sold with what it had accumulated.
    assert_eq!(
        register_rows(fixed),
        [
            (
                "GH01",
                figures(["100000", "0", "0", "100000", "6400", "10400", "0", "16800"])
            ),
            (
                "T01",
                figures(["80000", "0", "80000", "0", "2307.60", "720", "3027.60", "0"])
            ),
        ]
    );
    assert_eq!(fixed.rows[1].retired, Some(date!(2020 - 04 - 15)));
    assert_eq!(
        fixed.outside,
        figures(["0", "2500", "0", "2500", "0", "0", "0", "0"])
    );
    assert_eq!(
        fixed.total,
        figures(["180000", "2500", "80000", "102500", "8707.60", "11120", "3027.60", "16800"])
    );
    let biological = section(&register, AssetKind::ProductiveBiological);
    // December 2019 to June 2020, 7 × 300.00, then grubbed up.
    assert_eq!(
        register_rows(biological),
        [(
            "V01",
            figures(["36000", "0", "36000", "0", "2400", "2100", "4500", "0"])
        )]
    );
    assert_eq!(biological.total, biological.rows[0].figures);
    // The totals are the balance sheet's lines 10 and 11, and 7 and 8.
    let sheet = report::balance_sheet(&f.book, 2020)?;
    let line = |n| sheet.line(n).map(|l| (l.current, l.previous));
    assert_eq!(
        line(10),
        Some((fixed.total.cost_closing, fixed.total.cost_opening))
    );
    assert_eq!(
        line(11),
        Some((
            fixed.total.depreciation_closing,
            fixed.total.depreciation_opening
        ))
    );
    assert_eq!(line(7), Some((Yuan::ZERO, yuan("36000"))));
    assert_eq!(line(8), Some((Yuan::ZERO, yuan("2400"))));
    let csv = register.to_csv();
    assert!(csv.contains(
        "\r\n固定资产 Fixed assets,,登记簿外 Outside the register,,,,,\
         0.00,2500.00,0.00,2500.00,0.00,0.00,0.00,0.00,2500.00,\r\n"
    ));
    assert!(csv.contains(
        "\r\n固定资产 Fixed assets,T01,拖拉机,2019-05-06,工作量法 units of work,10000,8000.00,\
         80000.00,0.00,80000.00,0.00,2307.60,720.00,3027.60,0.00,0.00,2020-04-15\r\n"
    ));

    // The year after, only the greenhouse and the pump are left; the year before, nothing.
    let register = report::asset_register(&f.book, 2021)?;
    let fixed = section(&register, AssetKind::Fixed);
    assert_eq!(
        register_rows(fixed),
        [(
            "GH01",
            figures(["100000", "0", "0", "100000", "16800", "0", "0", "16800"])
        )]
    );
    assert_eq!(
        fixed.outside,
        figures(["2500", "0", "0", "2500", "0", "0", "0", "0"])
    );
    let empty = report::asset_register(&f.book, 2018)?;
    assert!(empty.sections.iter().all(|s| s.rows.is_empty()
        && s.total == report::AssetFigures::default()
        && s.outside == report::AssetFigures::default()));
    // A year the calendar cannot hold is refused.
    assert!(matches!(
        report::asset_register(&f.book, 10_000),
        Err(Error::Pool(PoolError::NotAllowed { .. }))
    ));
    Ok(())
}
