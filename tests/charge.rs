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

    fn next_id(&self) -> EventId {
        id(&format!("e{}", self.next + 1))
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

/// Applies a bad event, checks it is refused with exactly `expected`, whose message is
/// `message`, and that the book is unchanged.
fn refused(f: &mut Fixture, event: Event, expected: PoolError, message: &str) {
    let before = f.book.clone();
    let error = f.apply(event).err();
    let expected = Error::Pool(expected);
    assert_eq!(expected.to_string(), message);
    assert_eq!(error, Some(expected));
    assert!(f.book == before, "a refused event changed the book");
}

fn repoint(contract: &str, from: Date, charge_to: &str) -> Event {
    Event::ContractChargeChanged {
        contract: id(contract),
        from,
        charge_to: code(charge_to),
    }
}

fn open_rent_account(f: &mut Fixture) {
    f.ok(Event::AccountOpened {
        code: code("521.RENT"),
        name_zh: "土地租金".into(),
        name_en: "land rent".into(),
    });
}

/// The debits of the entry `entry` by account, in the entry's order.
fn debits(f: &Fixture, entry: &str) -> Vec<(String, Yuan)> {
    let entry = f
        .book
        .journal()
        .get(&ledger::EntryId::from(entry.to_string()))
        .unwrap_or_else(|| panic!("no entry {entry}"));
    entry
        .postings()
        .iter()
        .filter(|p| p.side == ledger::Side::Debit)
        .map(|p| (p.account.to_string(), p.amount))
        .collect()
}

fn movement_after(f: &Fixture, account: &str, last: Date) -> (Yuan, Yuan) {
    let next = last.next_day().unwrap_or(Date::MAX);
    let m = f
        .book
        .journal()
        .movement(&code(account), next, Date::MAX)
        .unwrap_or_else(|e| panic!("{e}"));
    (m.debits, m.credits)
}

/// The defect: GH01 taken out of use after 10 July 2019 while C002 still charged its rent
/// to `521.GH01` through 2021 sent the rest of 2019's rent (1,008.22) and 2020's (2,000.00)
/// to the retired greenhouse's account, dated after its last day, with no event to move
/// it. Now the retirement is refused, naming C002 and the days it charges; re-pointed to
/// 521.RENT from 11 July, the contract's next accrual splits its rent by day (54.79 to
/// GH01 for 1-10 July, 953.43 to 521.RENT for 11 July - 31 December: the 1,008.22 it
/// books without the change), the greenhouse is taken out of use, and 2020's rent goes
/// to 521.RENT.
#[test]
fn a_greenhouse_still_charged_with_rent_is_re_pointed_before_it_is_taken_out_of_use() -> TestResult
{
    let mut f = Fixture::new();
    open_rent_account(&mut f);
    f.ok(accrue(
        date!(2019 - 04 - 01),
        date!(2019 - 06 - 30),
        date!(2019 - 06 - 30),
    ));
    assert_eq!(f.balance("521.GH01"), yuan("498.63"));
    refused(
        &mut f,
        retire(date!(2019 - 07 - 10)),
        PoolError::GreenhouseStillCharged {
            greenhouse: id("GH01"),
            date: date!(2019 - 07 - 10),
            contracts: vec![(id("C002"), date!(2019 - 07 - 11), date!(2021 - 12 - 31))],
        },
        "taking greenhouse GH01 out of use after 2019-07-10: contract C002 charges its rent to it from 2019-07-11 through 2021-12-31; re-point them to another account first with a contract_charge_changed event (ContractChargeChanged), from the first of those days",
    );
    f.ok(repoint("C002", date!(2019 - 07 - 11), "521.RENT"));
    let record = f.book.contract(&id("C002")).ok_or("no C002").map_err(|e| {
        Error::Pool(PoolError::NotAllowed {
            what: e.into(),
            reason: String::new(),
        })
    })?;
    assert_eq!(record.charges, [(date!(2019 - 07 - 11), code("521.RENT"))]);
    assert_eq!(record.charge_on(date!(2019 - 07 - 10)), &code("521.GH01"));
    assert_eq!(record.charge_on(date!(2019 - 07 - 11)), &code("521.RENT"));
    f.ok(retire(date!(2019 - 07 - 10)));
    let gh_before = f.balance("521.GH01");
    f.ok(accrue(
        date!(2019 - 07 - 01),
        date!(2019 - 12 - 31),
        date!(2019 - 12 - 31),
    ));
    let entry = format!("e{}:C002", f.next);
    assert_eq!(
        debits(&f, &entry),
        [
            ("521.GH01".to_string(), yuan("54.79")),
            ("521.RENT".to_string(), yuan("953.43"))
        ]
    );
    assert_eq!(f.balance("114.M002"), yuan("-1506.85"));
    assert_eq!(f.balance("521.GH01").checked_sub(gh_before)?, yuan("54.79"));
    f.ok(accrue(
        date!(2020 - 01 - 01),
        date!(2020 - 12 - 31),
        date!(2020 - 03 - 01),
    ));
    let entry = format!("e{}:C002", f.next);
    assert_eq!(
        debits(&f, &entry),
        [("521.RENT".to_string(), yuan("2000.00"))]
    );
    assert_eq!(f.balance("521.RENT"), yuan("2953.43"));
    // Nothing reached GH01's account dated after its last day (the accrual of 1-10 July is
    // dated 31 December, but its days are the greenhouse's own).
    assert_eq!(
        movement_after(&f, "521.GH01", date!(2019 - 12 - 31)),
        (Yuan::ZERO, Yuan::ZERO)
    );
    // The book replays to the same state, re-point included.
    let copy = Book::replay(f.book.events().iter().cloned())?;
    assert!(copy == f.book);
    Ok(())
}

/// Rent accrued in advance for the whole of 2019 (dated 1 April) stays where it was booked,
/// in GH01's account: the days accrued cannot be re-pointed, and are no obstacle to the
/// retirement; the days of 2020 and 2021, not yet accrued, are, until C002 is re-pointed
/// from 1 January 2020.
#[test]
fn rent_accrued_in_advance_stays_booked_and_the_rest_is_re_pointed() -> TestResult {
    let mut f = Fixture::new();
    open_rent_account(&mut f);
    f.ok(accrue(
        date!(2019 - 04 - 01),
        date!(2019 - 12 - 31),
        date!(2019 - 04 - 01),
    ));
    assert_eq!(f.balance("521.GH01"), yuan("1506.85"));
    refused(
        &mut f,
        retire(date!(2019 - 07 - 10)),
        PoolError::GreenhouseStillCharged {
            greenhouse: id("GH01"),
            date: date!(2019 - 07 - 10),
            contracts: vec![(id("C002"), date!(2020 - 01 - 01), date!(2021 - 12 - 31))],
        },
        "taking greenhouse GH01 out of use after 2019-07-10: contract C002 charges its rent to it from 2020-01-01 through 2021-12-31; re-point them to another account first with a contract_charge_changed event (ContractChargeChanged), from the first of those days",
    );
    refused(
        &mut f,
        repoint("C002", date!(2019 - 07 - 11), "521.RENT"),
        PoolError::ChargeChangeAccrued {
            contract: id("C002"),
            from: date!(2019 - 07 - 11),
            accrued_through: date!(2019 - 12 - 31),
        },
        "re-pointing the rent of contract C002 from 2019-07-11: its rent is accrued through 2019-12-31, booked to the account charging it then; re-point it from 2020-01-01 or later",
    );
    // The last day accrued is refused too.
    refused(
        &mut f,
        repoint("C002", date!(2019 - 12 - 31), "521.RENT"),
        PoolError::ChargeChangeAccrued {
            contract: id("C002"),
            from: date!(2019 - 12 - 31),
            accrued_through: date!(2019 - 12 - 31),
        },
        "re-pointing the rent of contract C002 from 2019-12-31: its rent is accrued through 2019-12-31, booked to the account charging it then; re-point it from 2020-01-01 or later",
    );
    f.ok(repoint("C002", date!(2020 - 01 - 01), "521.RENT"));
    f.ok(retire(date!(2019 - 07 - 10)));
    f.ok(accrue(
        date!(2020 - 01 - 01),
        date!(2020 - 12 - 31),
        date!(2020 - 03 - 01),
    ));
    assert_eq!(f.balance("521.RENT"), yuan("2000.00"));
    assert_eq!(
        movement_after(&f, "521.GH01", date!(2019 - 07 - 10)),
        (Yuan::ZERO, Yuan::ZERO)
    );
    Ok(())
}

/// Re-pointing splits an accrual that spans the change, to the fen, and the total accrued
/// is what it is without the change: C001's 10 mu for 2019 (10,000.00), charged to 401
/// through 9 March (68 days: 1,863.01) and to GH01's account from its build day 10 March
/// (8,136.99). A later re-point from an earlier day replaces it.
#[test]
fn an_accrual_spanning_a_re_point_splits_its_rent_exactly() -> TestResult {
    let mut f = Fixture::new();
    open_rent_account(&mut f);
    f.ok(repoint("C001", date!(2020 - 01 - 01), "521.RENT"));
    f.ok(repoint("C001", date!(2019 - 03 - 10), "521.GH01"));
    let record = f.book.contract(&id("C001")).map(|r| r.charges.clone());
    assert_eq!(
        record,
        Some(vec![(date!(2019 - 03 - 10), code("521.GH01"))])
    );
    f.ok(Event::RentAccrued {
        from: date!(2019 - 01 - 01),
        to: date!(2019 - 12 - 31),
        contracts: Accrue::Contracts(vec![id("C001")]),
        date: date!(2019 - 12 - 31),
    });
    let entry = format!("e{}:C001", f.next);
    assert_eq!(
        debits(&f, &entry),
        [
            ("401".to_string(), yuan("1863.01")),
            ("521.GH01".to_string(), yuan("8136.99"))
        ]
    );
    assert_eq!(f.balance("114.M001"), yuan("-10000.00"));
    // A third account and back: 401 again from 2020-07-01, 2020's rent is split at it.
    f.ok(repoint("C001", date!(2020 - 07 - 01), "401"));
    f.ok(Event::RentAccrued {
        from: date!(2020 - 01 - 01),
        to: date!(2020 - 12 - 31),
        contracts: Accrue::Contracts(vec![id("C001")]),
        date: date!(2020 - 12 - 31),
    });
    let entry = format!("e{}:C001", f.next);
    // 2020 has 366 days; 182 through 30 June: 10,000 × 182 ÷ 366 = 4,972.68.
    assert_eq!(
        debits(&f, &entry),
        [
            ("521.GH01".to_string(), yuan("4972.68")),
            ("401".to_string(), yuan("5027.32"))
        ]
    );
    Ok(())
}

/// Each refusal the re-point documents, the book unchanged.
#[test]
fn a_re_point_is_refused_with_what_was_wrong() -> TestResult {
    let mut f = Fixture::new();
    open_rent_account(&mut f);
    refused(
        &mut f,
        repoint("C009", date!(2019 - 07 - 01), "521.RENT"),
        PoolError::UnknownContract {
            contract: id("C009"),
        },
        "no contract C009 in the register",
    );
    for from in [date!(2019 - 03 - 31), date!(2022 - 01 - 01)] {
        refused(
            &mut f,
            repoint("C002", from, "521.RENT"),
            PoolError::ChargeChangeOutsideTerm {
                contract: id("C002"),
                from,
                start: date!(2019 - 04 - 01),
                end: date!(2021 - 12 - 31),
            },
            &format!("re-pointing the rent of contract C002 from {from}: the contract runs from 2019-04-01 to 2021-12-31; give a day of its term"),
        );
    }
    refused(
        &mut f,
        repoint("C002", date!(2019 - 07 - 01), "521.LAND"),
        PoolError::RentAccountRefused {
            contract: id("C002"),
            account: code("521.LAND"),
            reason: "rent is charged to 521.LAND, which is not an open account".into(),
        },
        "re-pointing the rent of contract C002 to 521.LAND: rent is charged to 521.LAND, which is not an open account",
    );
    for account in ["521", "102"] {
        refused(
            &mut f,
            repoint("C002", date!(2019 - 07 - 01), account),
            PoolError::RentAccountRefused {
                contract: id("C002"),
                account: code(account),
                reason: format!("rent must be charged to 401 生产成本, or to a sub-account of 401 or of 521 经营支出 (such as 521.RENT, opened with an AccountOpened event) without sub-accounts of its own, not {account}; 521 itself takes a sub-account for each greenhouse"),
            },
            &format!("re-pointing the rent of contract C002 to {account}: rent must be charged to 401 生产成本, or to a sub-account of 401 or of 521 经营支出 (such as 521.RENT, opened with an AccountOpened event) without sub-accounts of its own, not {account}; 521 itself takes a sub-account for each greenhouse"),
        );
    }
    refused(
        &mut f,
        repoint("C002", date!(2019 - 07 - 01), "521.GH01"),
        PoolError::NotAllowed {
            what: "re-pointing the rent of contract C002 from 2019-07-01".into(),
            reason: "it is charged to 521.GH01 from that day already".into(),
        },
        "re-pointing the rent of contract C002 from 2019-07-01: it is charged to 521.GH01 from that day already",
    );
    // GH02 (3 mu) is built in 2020 and taken out of use after 30 June 2020.
    f.ok(Event::GreenhouseBuilt {
        greenhouse: Greenhouse {
            id: id("GH02"),
            name: "2号棚".into(),
            area: id("3"),
            crop: id("GRAPE"),
            built: date!(2020 - 01 - 01),
            cost: yuan("50000"),
            residual: yuan("2000"),
            life_months: 120,
        },
        paid_from: CostPayment::Bank,
    });
    refused(
        &mut f,
        repoint("C001", date!(2019 - 12 - 31), "521.GH02"),
        PoolError::GreenhouseNotBuilt {
            greenhouse: id("GH02"),
            date: date!(2019 - 12 - 31),
            built: date!(2020 - 01 - 01),
        },
        "greenhouse GH02 is not in use on 2019-12-31: it was built on 2020-01-01",
    );
    f.ok(retire_gh("GH02", date!(2020 - 06 - 30)));
    for from in [date!(2020 - 01 - 01), date!(2020 - 07 - 01)] {
        refused(
            &mut f,
            repoint("C002", from, "521.GH02"),
            PoolError::ChargeToRetiredGreenhouse {
                contract: id("C002"),
                greenhouse: id("GH02"),
                from,
                end: date!(2021 - 12 - 31),
                retired: date!(2020 - 06 - 30),
            },
            &format!("contract C002 would charge its rent to greenhouse GH02's account from {from} through 2021-12-31, but the greenhouse was taken out of use after 2020-06-30; charge it to another account"),
        );
    }
    // A contract signed to charge the retired greenhouse is refused as well.
    let before = f.book.clone();
    f.next += 1;
    let signed = f.book.apply(
        id("sign-C003"),
        Event::ContractSigned {
            contract: Box::new(Contract {
                id: id("C003"),
                member: id("M002"),
                lines: vec![ContractLine {
                    parcel: id("P002"),
                    area: id("2"),
                }],
                start: date!(2022 - 01 - 01),
                end: date!(2022 - 12 - 31),
                kind: ContractKind::Transfer {
                    rent: RentTerms::Fixed {
                        yuan_per_mu: dec!(1000),
                    },
                },
                pro_rating: ProRating::ActualDays,
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: code("521.GH02"),
            }),
        },
    );
    assert_eq!(
        signed.err(),
        Some(Error::Pool(PoolError::ChargeToRetiredGreenhouse {
            contract: id("C003"),
            greenhouse: id("GH02"),
            from: date!(2022 - 01 - 01),
            end: date!(2022 - 12 - 31),
            retired: date!(2020 - 06 - 30),
        }))
    );
    assert!(f.book == before);
    // No account may open under one a contract is re-pointed to.
    f.ok(repoint("C002", date!(2020 - 01 - 01), "521.RENT"));
    let opened = f.apply(Event::AccountOpened {
        code: code("521.RENT.A"),
        name_zh: "甲".into(),
        name_en: "a".into(),
    });
    assert_eq!(
        opened.err().map(|e| e.to_string()),
        Some("opening account 521.RENT.A: contract C002 charges its rent to 521.RENT as it is; an account under it would refuse its accruals".into())
    );
    Ok(())
}

/// A re-point dated in a closed year is refused like every event of a closed year.
#[test]
fn a_re_point_in_a_closed_year_is_refused() -> TestResult {
    let mut f = Fixture::new();
    open_rent_account(&mut f);
    f.ok(Event::RentAccrued {
        from: date!(2019 - 01 - 01),
        to: date!(2019 - 12 - 31),
        contracts: Accrue::All,
        date: date!(2019 - 12 - 31),
    });
    f.ok(Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(dec!(10), dec!(60)),
    });
    let event = f.next_id();
    refused(
        &mut f,
        repoint("C002", date!(2019 - 12 - 31), "521.RENT"),
        PoolError::InClosedYear { event: event.clone(), date: date!(2019 - 12 - 31), year: 2019 },
        &format!("event {event} is dated 2019-12-31, on or before the end of 2019, which is closed (closing a year closes every year before it); record it in an open year"),
    );
    f.ok(repoint("C002", date!(2020 - 01 - 01), "521.RENT"));
    Ok(())
}

fn retire_gh(greenhouse: &str, date: Date) -> Event {
    Event::GreenhouseRetired {
        greenhouse: id(greenhouse),
        date,
        proceeds: Yuan::ZERO,
        into: CashAccount::Cash,
    }
}

fn folder_settings() -> folder::Settings {
    folder::Settings {
        cooperative: "示例合作社".into(),
        title: "示例".into(),
        year: 2019,
        event_prefix: "ex".into(),
        close: None,
        prior_log: None,
    }
}

/// The fixture's year as events a book folder holds (C002 charged to 401 when signed: a
/// folder's contracts come before its greenhouses and their accounts), C002 re-pointed to
/// GH01's account from 1 April and to 521.RENT from 11 July, GH01 taken out of use after 10
/// July, rent accrued.
fn folder_events() -> Vec<Event> {
    let f = Fixture::new();
    let mut events: Vec<Event> = f
        .book
        .events()
        .iter()
        .map(|logged| logged.event.clone())
        .collect();
    for event in &mut events {
        if let Event::ContractSigned { contract } = event {
            contract.charge_to = code("401");
        }
    }
    events.insert(
        0,
        Event::AccountOpened {
            code: code("521.RENT"),
            name_zh: "土地租金".into(),
            name_en: "land rent".into(),
        },
    );
    events.extend([
        repoint("C002", date!(2019 - 04 - 01), "521.GH01"),
        accrue(
            date!(2019 - 04 - 01),
            date!(2019 - 06 - 30),
            date!(2019 - 06 - 30),
        ),
        repoint("C002", date!(2019 - 07 - 11), "521.RENT"),
        retire(date!(2019 - 07 - 10)),
        Event::RentAccrued {
            from: date!(2019 - 01 - 01),
            to: date!(2019 - 12 - 31),
            contracts: Accrue::All,
            date: date!(2019 - 12 - 31),
        },
    ]);
    events
}

/// A re-point is a `变更列支 charge` row of `land_changes.csv` (date, contract, `列支科目
/// charge_to`), written at the end of the day before its date (before a greenhouse taken out
/// of use that day), read back the same in Chinese or English words, and run: GH01's
/// account takes C002's rent of 1 April - 10 July (553.42), 521.RENT the rest of the year
/// (953.43), 401 C001's year (10,000.00).
/// `land_changes.csv` as `folder` writes it, with its line ends as `\n`.
fn land_changes(folder: &folder::BookFolder) -> Result<String, Error> {
    Ok(folder
        .to_files()?
        .into_iter()
        .find(|(name, _)| name == "land_changes.csv")
        .map(|(_, text)| text.replace("\r\n", "\n"))
        .unwrap_or_default())
}

#[test]
fn a_re_point_round_trips_through_a_book_folder() -> TestResult {
    let folder = folder::BookFolder::new(folder_settings(), folder_events())?;
    let files = folder.to_files()?;
    let land = land_changes(&folder)?;
    let rows: Vec<&str> = land.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        rows,
        [
            "日期 date,类别 kind,合同编号 contract,换出面积(亩) gives,对方合同编号 other_contract,对方换出面积(亩) other_gives,补偿付款人 payer,补偿金额 compensation,地块编号 parcel,新地块编号 new_parcel,面积(亩) area,列支科目 charge_to,解除原因 reason,备注 note",
            "2019-04-01,变更列支,C002,,,,,,,,,521.GH01,,",
            "2019-07-11,变更列支,C002,,,,,,,,,521.RENT,,",
        ]
    );
    let bytes = |files: &[(String, String)]| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|(name, text)| (name.clone(), text.clone().into_bytes()))
            .collect()
    };
    let read = folder::BookFolder::from_files(&bytes(&files))?;
    assert!(read == folder);
    // A file written before the 解除原因 reason column reads the same.
    let older: Vec<(String, String)> = files
        .iter()
        .map(|(name, text)| match name.as_str() {
            "land_changes.csv" => (
                name.clone(),
                text.replace(",解除原因 reason", "")
                    .replace(",,\r\n", ",\r\n"),
            ),
            _ => (name.clone(), text.clone()),
        })
        .collect();
    assert_ne!(older, files);
    assert!(folder::BookFolder::from_files(&bytes(&older))? == folder);
    // The English word and an alias read the same.
    for word in ["charge", "改列科目"] {
        let english: Vec<(String, String)> = files
            .iter()
            .map(|(name, text)| (name.clone(), text.replace("变更列支", word)))
            .collect();
        let events: Vec<Event> = folder::BookFolder::from_files(&bytes(&english))?
            .events()
            .iter()
            .map(|e| e.event.clone())
            .collect();
        let expected: Vec<Event> = folder.events().iter().map(|e| e.event.clone()).collect();
        assert_eq!(events, expected);
    }
    let kinds: Vec<String> = folder
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::ContractChargeChanged { .. } | Event::GreenhouseRetired { .. }
            )
        })
        .map(|e| format!("{} {}", e.source.file, e.source.line))
        .collect();
    // The re-point from 11 July goes before the retirement after 10 July.
    assert_eq!(
        kinds,
        [
            "land_changes.csv 2",
            "land_changes.csv 3",
            "greenhouses.csv 2"
        ]
    );
    let book = folder.run()?;
    let balance = |account: &str| book.journal().closing_balance(&code(account));
    assert_eq!(balance("521.RENT")?, yuan("953.43"));
    assert_eq!(balance("401")?, yuan("10000.00"));
    // GH01: 3,200.00 of depreciation (April to July) and 553.42 of rent.
    assert_eq!(balance("521.GH01")?, yuan("3753.42"));
    Ok(())
}

/// A charge row without its account, or with a cell of a swap, is a problem of its row, and
/// so is an account on a swap's row.
#[test]
fn a_charge_row_needs_its_account_and_nothing_else() -> TestResult {
    let folder = folder::BookFolder::new(folder_settings(), folder_events())?;
    let files: Vec<(String, Vec<u8>)> = folder
        .to_files()?
        .into_iter()
        .map(|(name, text)| {
            let text = if name == "land_changes.csv" {
                text.replace("C002,,,,,,,,,521.GH01,", "C002,,,,,,,,,,")
                    .replace("C002,,,,,,,,,521.RENT,", "C002,0.5,,,,,,,,521.RENT,")
                    + "2019-08-01,置换,C001,0.50,C002,0.50,,,,,,401,\n"
            } else {
                text
            };
            (name, text.into_bytes())
        })
        .collect();
    let error = folder::BookFolder::from_files(&files)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some(concat!(
            "3 problems in the book folder:\n",
            "land_changes.csv, line 2, column 12 \"列支科目 charge_to\": the cell is empty; a change of the account charged needs an account code such as 521.RENT or 401\n",
            "land_changes.csv, line 3, column 4 \"换出面积(亩) gives\": a change of the account charged takes no value here; leave the cell empty\n",
            "land_changes.csv, line 4, column 12 \"列支科目 charge_to\": a swap takes no value here; leave the cell empty",
        ))
    );
    Ok(())
}

/// The exact rent of C001 (10 mu at 1000 a mu, actual days) from 2019-01-01 through `day`
/// (in 2019 or 2020), rounded once half away from zero, in fen.
fn c001_through(day: Date) -> i64 {
    let start = date!(2019 - 01 - 01);
    let elapsed = (day - start).whole_days() + 1;
    let (d2019, d2020) = (elapsed.min(365), (elapsed - 365).max(0));
    // 1,000,000 fen a year: × (d2019 ÷ 365 + d2020 ÷ 366).
    let numerator = 1_000_000_i128 * i128::from(d2019 * 366 + d2020 * 365);
    let denominator = 365_i128 * 366;
    i64::try_from((2 * numerator + denominator) / (2 * denominator)).unwrap_or(i64::MAX)
}

proptest::proptest! {
    /// Re-pointing C001's rent, any number of times, from any days of 2019 and 2020, to
    /// 401, 521.RENT or GH01's account, and accruing the two years in any pieces, books to
    /// each account exactly the rent of the days it charged (`C(b) − C(a − 1)` of each run
    /// of days), and in all what the contract books without them: 20,000.00 credited to
    /// M001, 20,000.00 debited.
    #[test]
    fn re_pointing_moves_rent_between_accounts_and_never_changes_its_total(
        repoints in proptest::collection::vec((0_i64..731, 0_usize..3), 0..4),
        cuts in proptest::collection::btree_set(1_i64..731, 0..4),
    ) {
        let mut f = Fixture::new();
        open_rent_account(&mut f);
        let start = date!(2019 - 01 - 01);
        let accounts = ["401", "521.RENT", "521.GH01"];
        let mut model: Vec<(Date, &str)> = Vec::new();
        for (offset, account) in repoints {
            let from = start + time::Duration::days(offset);
            let account = accounts[account];
            if f.apply(repoint("C001", from, account)).is_ok() {
                model.retain(|(day, _)| *day < from);
                model.push((from, account));
            }
        }
        let mut from = start;
        for cut in cuts.iter().chain(std::iter::once(&731)) {
            let to = start + time::Duration::days(cut - 1);
            f.ok(Event::RentAccrued {
                from,
                to,
                contracts: Accrue::Contracts(vec![id("C001")]),
                date: to,
            });
            from = to + time::Duration::days(1);
        }
        let on = |day: Date| {
            model
                .iter()
                .take_while(|(from, _)| *from <= day)
                .last()
                .map_or("401", |(_, account)| *account)
        };
        let mut expected = std::collections::BTreeMap::new();
        let mut run_start = start;
        let last = date!(2020 - 12 - 31);
        let mut day = start;
        while day <= last {
            let next = day + time::Duration::days(1);
            if next > last || on(next) != on(day) {
                let before = if run_start == start { 0 } else { c001_through(run_start - time::Duration::days(1)) };
                *expected.entry(on(day)).or_insert(0_i64) += c001_through(day) - before;
                run_start = next;
            }
            day = next;
        }
        let mut total = 0;
        for account in accounts {
            let booked = f.balance(account).fen();
            proptest::prop_assert_eq!(booked, expected.get(account).copied().unwrap_or(0), "{}", account);
            total += booked;
        }
        proptest::prop_assert_eq!(total, 2_000_000);
        proptest::prop_assert_eq!(f.balance("114.M001"), yuan("-20000.00"));
    }
}

/// Land taken into a new greenhouse from the day it is built: C001's rent re-pointed from
/// 401 to GH01's account from 10 March 2019, GH01's build day (a `变更列支 charge` row of
/// `land_changes.csv` dated as the greenhouse's `建成日期 built`). The re-point comes after
/// the greenhouse is built: 401 takes C001's rent of 1 January - 9 March (68 days, 1,863.01)
/// and C002's year (1 April - 31 December, 1,506.85), 521.GH01 C001's rent from 10 March
/// (8,136.99), C001's two parts adding up to its year, 10,000.00.
#[test]
fn a_re_point_to_a_greenhouse_from_its_build_day_runs_from_a_book_folder() -> TestResult {
    let mut events: Vec<Event> = Fixture::new()
        .book
        .events()
        .iter()
        .map(|logged| logged.event.clone())
        .collect();
    for event in &mut events {
        if let Event::ContractSigned { contract } = event {
            contract.charge_to = code("401");
        }
    }
    events.extend([
        repoint("C001", date!(2019 - 03 - 10), "521.GH01"),
        Event::RentAccrued {
            from: date!(2019 - 01 - 01),
            to: date!(2019 - 12 - 31),
            contracts: Accrue::All,
            date: date!(2019 - 12 - 31),
        },
    ]);
    let folder = folder::BookFolder::new(folder_settings(), events)?;
    let land = land_changes(&folder)?;
    assert!(
        land.ends_with("\n2019-03-10,变更列支,C001,,,,,,,,,521.GH01,,\n"),
        "{land}"
    );
    let book = folder.run()?;
    // The greenhouse is built first.
    let sources: Vec<String> = folder
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.event,
                Event::ContractChargeChanged { .. } | Event::GreenhouseBuilt { .. }
            )
        })
        .map(|e| format!("{} {}", e.source.file, e.source.line))
        .collect();
    assert_eq!(sources, ["greenhouses.csv 2", "land_changes.csv 2"]);
    let balance = |account: &str| book.journal().closing_balance(&code(account));
    assert_eq!(c001_through(date!(2019 - 03 - 09)), 186_301);
    assert_eq!(balance("401")?, yuan("3369.86"));
    assert_eq!(balance("521.GH01")?, yuan("8136.99"));
    assert_eq!(
        book.contract(&id("C001"))
            .map(|c| c.charge_on(date!(2019 - 03 - 10)).as_str()),
        Some("521.GH01")
    );
    Ok(())
}

/// Land moved from a greenhouse taken out of use to one built the next day: C002, charged
/// to GH01 from 1 April, re-pointed to GH02 from 11 July, the day GH02 is built, after GH01's
/// last day (10 July). The re-point to GH02 comes after GH02 is built, which is after GH01's
/// retirement at the end of 10 July: GH01 would still be charged then, so a second row
/// re-points C002 to 401 from 11 July too, which comes before the retirement and which the
/// row to GH02 replaces. GH01 takes C002's rent of 1 April - 10 July (553.42, with 3,200.00
/// of depreciation), GH02 the rest of the year (953.43), 401 C001's year (10,000.00) and
/// none of C002's.
#[test]
fn land_moved_to_a_greenhouse_built_after_another_is_taken_out_of_use() -> TestResult {
    let mut events = folder_events();
    // Without the re-point to 521.RENT, the retirement and the year's accrual.
    let accrual = events.pop();
    events.truncate(events.len().saturating_sub(2));
    events.extend([
        Event::GreenhouseBuilt {
            greenhouse: Greenhouse {
                id: id("GH02"),
                name: "2号棚".into(),
                area: id("2"),
                crop: id("GRAPE"),
                built: date!(2019 - 07 - 11),
                cost: yuan("10000"),
                residual: Yuan::ZERO,
                life_months: 120,
            },
            paid_from: CostPayment::Bank,
        },
        repoint("C002", date!(2019 - 07 - 11), "521.GH02"),
        retire(date!(2019 - 07 - 10)),
    ]);
    events.extend(accrual);
    // One row, to GH02: GH01's retirement is refused.
    let one = folder::BookFolder::new(folder_settings(), events.clone())?;
    let error = one.run().err().map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some("1 problem in the book folder:\ngreenhouses.csv, line 2: the book refuses this row: taking greenhouse GH01 out of use after 2019-07-10: contract C002 charges its rent to it from 2019-07-11 through 2021-12-31; re-point them to another account first with a contract_charge_changed event (ContractChargeChanged), from the first of those days")
    );
    // A row to 401 from the same day as well.
    let at = events.len().saturating_sub(3);
    events.insert(at, repoint("C002", date!(2019 - 07 - 11), "401"));
    let two = folder::BookFolder::new(folder_settings(), events)?;
    let land = land_changes(&two)?;
    assert!(
        land.ends_with("\n2019-04-01,变更列支,C002,,,,,,,,,521.GH01,,\n2019-07-11,变更列支,C002,,,,,,,,,401,,\n2019-07-11,变更列支,C002,,,,,,,,,521.GH02,,\n"),
        "{land}"
    );
    // The folder applies the row to 401 first, whatever the rows' order in the file.
    let swapped: Vec<(String, Vec<u8>)> = two
        .to_files()?
        .into_iter()
        .map(|(name, text)| {
            let text = text.replace(
                "2019-07-11,变更列支,C002,,,,,,,,,401,,\r\n2019-07-11,变更列支,C002,,,,,,,,,521.GH02,,",
                "2019-07-11,变更列支,C002,,,,,,,,,521.GH02,,\r\n2019-07-11,变更列支,C002,,,,,,,,,401,,",
            );
            (name, text.into_bytes())
        })
        .collect();
    let swapped = folder::BookFolder::from_files(&swapped)?;
    let applied = |folder: &folder::BookFolder| -> Vec<Event> {
        folder.events().iter().map(|e| e.event.clone()).collect()
    };
    assert_eq!(applied(&swapped), applied(&two));
    let lines = |folder: &folder::BookFolder| -> Vec<u64> {
        folder.events().iter().map(|e| e.source.line).collect()
    };
    assert_ne!(lines(&swapped), lines(&two), "the rows were swapped");
    let rows = two.events().iter().filter_map(|e| match &e.event {
        Event::ContractChargeChanged { charge_to, .. } => {
            Some(format!("{} {}", e.source.line, charge_to))
        }
        _ => None,
    });
    assert_eq!(
        rows.collect::<Vec<_>>(),
        ["2 521.GH01", "3 401", "4 521.GH02"]
    );
    let book = two.run()?;
    let balance = |account: &str| book.journal().closing_balance(&code(account));
    assert_eq!(balance("521.GH01")?, yuan("3753.42"));
    assert_eq!(balance("521.GH02")?, yuan("953.43"));
    assert_eq!(balance("401")?, yuan("10000.00"));
    Ok(())
}

/// A contract ended early is a `合同解除 end` row of `land_changes.csv` (the date its new
/// last day, the contract, `解除原因 reason`), read back the same in Chinese or English words
/// and run: C002 (2 mu at 1,000) ended on 30 September takes 1 April – 30 September,
/// 2,000 × 183 ÷ 365 = 1,002.74 (1,002.739…), GH01's account 553.42 of it (1 April – 10
/// July) and 521.RENT the rest, 449.32; the pool holds 12 mu on 30 September and 10 from
/// 1 October.
#[test]
fn an_early_end_round_trips_through_a_book_folder() -> TestResult {
    let mut events = folder_events();
    events.push(Event::ContractEnded {
        contract: id("C002"),
        date: date!(2019 - 09 - 30),
        memo: "协议解除".into(),
    });
    let folder = folder::BookFolder::new(folder_settings(), events)?;
    let files = folder.to_files()?;
    let land = land_changes(&folder)?;
    let rows: Vec<&str> = land.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        rows,
        [
            "日期 date,类别 kind,合同编号 contract,换出面积(亩) gives,对方合同编号 other_contract,对方换出面积(亩) other_gives,补偿付款人 payer,补偿金额 compensation,地块编号 parcel,新地块编号 new_parcel,面积(亩) area,列支科目 charge_to,解除原因 reason,备注 note",
            "2019-04-01,变更列支,C002,,,,,,,,,521.GH01,,",
            "2019-07-11,变更列支,C002,,,,,,,,,521.RENT,,",
            "2019-09-30,合同解除,C002,,,,,,,,,,协议解除,",
        ]
    );
    let bytes = |files: &[(String, String)]| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|(name, text)| (name.clone(), text.clone().into_bytes()))
            .collect()
    };
    let read = folder::BookFolder::from_files(&bytes(&files))?;
    assert!(read == folder);
    let expected: Vec<Event> = folder.events().iter().map(|e| e.event.clone()).collect();
    for word in ["end", "协议解除", "提前终止"] {
        let other: Vec<(String, String)> = files
            .iter()
            .map(|(name, text)| (name.clone(), text.replace("合同解除", word)))
            .collect();
        let events: Vec<Event> = folder::BookFolder::from_files(&bytes(&other))?
            .events()
            .iter()
            .map(|e| e.event.clone())
            .collect();
        assert_eq!(events, expected, "{word}");
    }
    let book = folder.run()?;
    let balance = |account: &str| book.journal().closing_balance(&code(account));
    assert_eq!(balance("521.RENT")?, yuan("449.32"));
    assert_eq!(balance("401")?, yuan("10000.00"));
    assert_eq!(balance("521.GH01")?, yuan("3753.42"));
    assert_eq!(book.pooled_area(date!(2019 - 09 - 30))?, id("12"));
    assert_eq!(book.pooled_area(date!(2019 - 10 - 01))?, id("10"));
    let ended = book.contract(&id("C002")).and_then(|r| r.ended.clone());
    assert_eq!(
        ended,
        Some(ContractEnding {
            signed_end: date!(2021 - 12 - 31),
            memo: "协议解除".into()
        })
    );
    Ok(())
}

/// An end row takes its contract and nothing of the other kinds' cells, and a reason on
/// another kind's row is a problem of its row.
#[test]
fn an_end_row_needs_its_contract_and_nothing_else() -> TestResult {
    let mut events = folder_events();
    events.push(Event::ContractEnded {
        contract: id("C002"),
        date: date!(2019 - 09 - 30),
        memo: String::new(),
    });
    let folder = folder::BookFolder::new(folder_settings(), events)?;
    let files: Vec<(String, Vec<u8>)> = folder
        .to_files()?
        .into_iter()
        .map(|(name, text)| {
            let text = if name == "land_changes.csv" {
                text.replace(
                    "2019-09-30,合同解除,C002,,,,,,,,,,,",
                    "2019-09-30,合同解除,,,,,,,,,,401,,",
                )
                .replace("C002,,,,,,,,,521.RENT,,", "C002,,,,,,,,,521.RENT,协议解除,")
            } else {
                text
            };
            (name, text.into_bytes())
        })
        .collect();
    let error = folder::BookFolder::from_files(&files)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some(concat!(
            "3 problems in the book folder:\n",
            "land_changes.csv, line 3, column 13 \"解除原因 reason\": a change of the account charged takes no value here; leave the cell empty\n",
            "land_changes.csv, line 4, column 3 \"合同编号 contract\": the cell is empty; a contract ended early needs a contract id of ASCII letters, digits and '-', starting with A-Z or a digit, such as LZ01\n",
            "land_changes.csv, line 4, column 12 \"列支科目 charge_to\": a contract ended early takes no value here; leave the cell empty",
        ))
    );
    Ok(())
}
