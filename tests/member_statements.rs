//! What a member household sees: its income for the year (rent, dividends and wages, as
//! the journal credited them to the member) and its member account, for households that
//! stayed all year and for those that left during it.

use landpool::ledger::AccountCode;
use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;
use time::Date;

type R = std::result::Result<(), Box<dyn std::error::Error>>;

fn y(text: &str) -> Yuan {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn join(book: &mut Book, id: &str, persons: u32, joined: Date) -> R {
    book.apply(
        format!("join-{id}").parse()?,
        Event::MemberJoined {
            member: Member {
                id: id.parse()?,
                name: format!("户主{id}").into(),
                kind: MemberKind::Household { persons },
                village: "高格庄".into(),
                joined,
                left: None,
            },
        },
    )?;
    Ok(())
}

/// A parcel of `mu` and a fixed-rent transfer contract on it at 1000 yuan/mu/year.
fn land(book: &mut Book, member: &str, n: u32, mu: &str, start: Date, end: Date) -> R {
    book.apply(
        format!("parcel-P{n:03}").parse()?,
        Event::ParcelRegistered {
            parcel: Parcel {
                id: format!("P{n:03}").parse()?,
                owner: member.parse()?,
                area: mu.parse()?,
                village: "高格庄".into(),
                land_class: "水浇地".into(),
                registered: start,
                retired: None,
            },
        },
    )?;
    book.apply(
        format!("sign-C{n:03}").parse()?,
        Event::ContractSigned {
            contract: Box::new(Contract {
                id: format!("C{n:03}").parse()?,
                member: member.parse()?,
                lines: vec![ContractLine {
                    parcel: format!("P{n:03}").parse()?,
                    area: mu.parse()?,
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
                charge_to: AccountCode::new("401")?,
            }),
        },
    )?;
    Ok(())
}

fn work(book: &mut Book, id: &str, member: &str, booked: Date, worked: Date, days: &str) -> R {
    book.apply(
        id.parse()?,
        Event::WorkRecorded {
            date: booked,
            records: vec![WorkRecord {
                worker: Worker::Member(member.parse()?),
                date: worked,
                task: Task::Administration,
                pay: Pay::Days {
                    days: days.parse()?,
                    rate: dec!(150),
                },
                kind: WorkKind::Seasonal,
            }],
        },
    )?;
    Ok(())
}

/// Credits to a member's sub-account of `code` in a period (what the journal accrued to them).
fn credited(book: &Book, code: &str, member: &str, from: Date, to: Date) -> Yuan {
    let account = AccountCode::new(code)
        .and_then(|a| a.sub(member))
        .unwrap_or_else(|e| panic!("{e}"));
    book.journal()
        .movement(&account, from, to)
        .unwrap_or_else(|e| panic!("{e}"))
        .credits
}

fn accrue(book: &mut Book, id: &str, from: Date, to: Date) -> R {
    book.apply(
        id.parse()?,
        Event::RentAccrued {
            from,
            to,
            contracts: Accrue::All,
            date: to,
        },
    )?;
    Ok(())
}

fn close(book: &mut Book, year: i32) -> R {
    book.apply(
        format!("close-{year}").parse()?,
        Event::YearClosed {
            year,
            policy: DistributionPolicy::standard(dec!(10), dec!(70)),
        },
    )?;
    Ok(())
}

/// A household that leaves on 30 June, after half a year's rent and some wages, has its
/// line in the year's household income (and so a receipt) and its member account; the
/// table's rent adds back to the rent the journal credited to members.
#[test]
fn a_household_that_left_during_the_year_has_its_income_and_account() -> R {
    let mut book = Book::new();
    join(&mut book, "H01", 3, date!(2019 - 01 - 01))?;
    join(&mut book, "H02", 4, date!(2019 - 01 - 01))?;
    land(
        &mut book,
        "H01",
        1,
        "2",
        date!(2019 - 01 - 01),
        date!(2019 - 06 - 30),
    )?;
    land(
        &mut book,
        "H02",
        2,
        "3",
        date!(2019 - 01 - 01),
        date!(2028 - 12 - 31),
    )?;
    accrue(
        &mut book,
        "rent-h1",
        date!(2019 - 01 - 01),
        date!(2019 - 06 - 30),
    )?;
    // 2 mu × 1000 × 181 / 365 = 991.78
    let h01_rent = credited(
        &book,
        "114",
        "H01",
        date!(2019 - 01 - 01),
        date!(2019 - 12 - 31),
    );
    assert_eq!(h01_rent, y("991.78"));
    book.apply(
        "pay-h01".parse()?,
        Event::RentPaid {
            member: "H01".parse()?,
            date: date!(2019 - 06 - 30),
            amount: h01_rent,
            from: CashAccount::Bank,
        },
    )?;
    work(
        &mut book,
        "w-h01",
        "H01",
        date!(2019 - 05 - 31),
        date!(2019 - 05 - 20),
        "10",
    )?;
    book.apply(
        "wages-h01".parse()?,
        Event::WagesPaid {
            worker: Worker::Member("H01".parse()?),
            account: WageAccount::Labour,
            date: date!(2019 - 06 - 30),
            amount: y("1500"),
            from: CashAccount::Bank,
        },
    )?;
    book.apply(
        "leave-h01".parse()?,
        Event::MemberLeft {
            member: "H01".parse()?,
            date: date!(2019 - 06 - 30),
        },
    )?;
    accrue(
        &mut book,
        "rent-h2",
        date!(2019 - 07 - 01),
        date!(2019 - 12 - 31),
    )?;

    let incomes = report::household_income(&book, 2019)?;
    let lines: Vec<(&str, String, String, String, String)> = incomes
        .iter()
        .map(|i| {
            (
                i.member.as_str(),
                i.rent.to_string(),
                i.labour.to_string(),
                i.total.to_string(),
                i.per_person.to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            // 2,491.78 ÷ 3 persons = 830.593…
            (
                "H01",
                "991.78".into(),
                "1500.00".into(),
                "2491.78".into(),
                "830.59".into()
            ),
            // 1,487.67 (181 days) + 1,512.33 (184 days)
            (
                "H02",
                "3000.00".into(),
                "0.00".into(),
                "3000.00".into(),
                "750.00".into()
            ),
        ]
    );
    let journal_rent = Yuan::checked_sum(["H01", "H02"].iter().map(|m| {
        credited(
            &book,
            "114",
            m,
            date!(2019 - 01 - 01),
            date!(2019 - 12 - 31),
        )
    }))?;
    assert_eq!(
        Yuan::checked_sum(incomes.iter().map(|i| i.rent))?,
        journal_rent
    );
    let accounts = report::member_accounts(&book, 2019)?;
    let members: Vec<&str> = accounts.iter().map(|r| r.member.as_str()).collect();
    assert_eq!(members, ["H01", "H02"]);
    // H01's volume: 2 mu × 181 days, and the pay booked to 213.H01.
    assert_eq!(
        (accounts[0].land_mu_days, accounts[0].labour_pay),
        (dec!(362), y("1500"))
    );
    Ok(())
}

/// December's timesheet is booked in January (dated 2020-01-05 for work on 2019-12-28),
/// after 2019 was closed: it counts in 2020, the year the journal books it in. 2019's
/// household income and member accounts keep what the close weighed; 2020's show it, and
/// 2020's close weighs it.
#[test]
fn wages_count_in_the_year_their_timesheet_is_booked() -> R {
    let mut book = Book::new();
    join(&mut book, "H01", 3, date!(2019 - 01 - 01))?;
    land(
        &mut book,
        "H01",
        1,
        "2",
        date!(2019 - 01 - 01),
        date!(2028 - 12 - 31),
    )?;
    accrue(
        &mut book,
        "rent-2019",
        date!(2019 - 01 - 01),
        date!(2019 - 12 - 31),
    )?;
    work(
        &mut book,
        "w-nov",
        "H01",
        date!(2019 - 11 - 30),
        date!(2019 - 11 - 20),
        "10",
    )?;
    close(&mut book, 2019)?;
    let share = |book: &Book, year: i32| -> Option<Yuan> {
        book.distribution(year)
            .and_then(|d| d.share(&"H01".parse().ok()?))
            .map(|s| s.labour_pay)
    };
    assert_eq!(share(&book, 2019), Some(y("1500")));

    // December's timesheet, booked in the new year: 4 days × 150.00.
    work(
        &mut book,
        "w-dec",
        "H01",
        date!(2020 - 01 - 05),
        date!(2019 - 12 - 28),
        "4",
    )?;
    let labour = |book: &Book, year: i32| -> std::result::Result<(Yuan, Yuan), Error> {
        Ok((
            report::household_income(book, year)?[0].labour,
            report::member_accounts(book, year)?[0].labour_pay,
        ))
    };
    assert_eq!(labour(&book, 2019)?, (y("1500"), y("1500")));
    assert_eq!(labour(&book, 2020)?, (y("600"), y("600")));
    accrue(
        &mut book,
        "rent-2020",
        date!(2020 - 01 - 01),
        date!(2020 - 12 - 31),
    )?;
    close(&mut book, 2020)?;
    assert_eq!(share(&book, 2020), Some(y("600")));
    assert_eq!(labour(&book, 2020)?, (y("600"), y("600")));
    Ok(())
}

/// The household's rent is what the year's accruals credited to the member, not what its
/// contracts would earn: nothing when no rent was accrued, and a year's rent accrued in
/// advance (1 March 2019 to 29 February 2020, booked on 1 March 2019, as
/// `Event::RentAccrued`'s docs describe) in the year it was booked.
#[test]
fn household_rent_is_what_the_accruals_booked() -> R {
    let mut book = Book::new();
    join(&mut book, "H01", 2, date!(2019 - 01 - 01))?;
    join(&mut book, "H02", 2, date!(2019 - 01 - 01))?;
    land(
        &mut book,
        "H01",
        1,
        "2",
        date!(2019 - 01 - 01),
        date!(2028 - 12 - 31),
    )?;
    land(
        &mut book,
        "H02",
        2,
        "2",
        date!(2019 - 03 - 01),
        date!(2028 - 02 - 29),
    )?;
    book.apply(
        "rent-h02".parse()?,
        Event::RentAccrued {
            from: date!(2019 - 03 - 01),
            to: date!(2020 - 02 - 29),
            contracts: Accrue::Contracts(vec!["C002".parse()?]),
            date: date!(2019 - 03 - 01),
        },
    )?;
    let rents = |year: i32| -> std::result::Result<Vec<String>, Error> {
        Ok(report::household_income(&book, year)?
            .iter()
            .map(|i| format!("{} {}", i.member, i.rent))
            .collect())
    };
    // H01's contract has no accrual; H02's year is 2 mu × 1000 for 306 days of 2019's 365
    // and 60 of 2020's 366, rounded once: 2,004.58, all booked on 1 March 2019.
    assert_eq!(rents(2019)?, ["H01 0.00", "H02 2004.58"]);
    assert_eq!(rents(2020)?, ["H01 0.00", "H02 0.00"]);
    for (member, year, rent) in [
        ("H01", 2019, "0.00"),
        ("H02", 2019, "2004.58"),
        ("H02", 2020, "0.00"),
    ] {
        let (first, last) = (
            Date::from_calendar_date(year, time::Month::January, 1)?,
            Date::from_calendar_date(year, time::Month::December, 31)?,
        );
        assert_eq!(
            credited(&book, "114", member, first, last).to_string(),
            rent
        );
    }
    Ok(())
}

/// A member contributes 5,000.00 in January, is paid it back when leaving on 30 June (退股,
/// a manual entry Dr 301.H01 / Cr 102) and leaves. The year's members' accounts have their
/// line, so their capital changes add back to the 股金 column of the members' equity
/// statement (03表).
#[test]
fn capital_of_a_member_who_left_adds_back_to_the_equity_statement() -> R {
    let mut book = Book::new();
    join(&mut book, "H01", 3, date!(2019 - 01 - 01))?;
    join(&mut book, "H02", 4, date!(2019 - 01 - 01))?;
    book.apply(
        "cap-h01".parse()?,
        Event::CapitalContributed {
            member: "H01".parse()?,
            date: date!(2019 - 01 - 02),
            amount: y("5000"),
            into: CashAccount::Bank,
            source: CapitalSource::Other,
            premium: Yuan::ZERO,
        },
    )?;
    book.apply(
        "refund-h01".parse()?,
        Event::ManualEntry {
            date: date!(2019 - 06 - 30),
            memo: "退还股金 capital paid back to H01".into(),
            postings: vec![
                landpool::ledger::Posting {
                    account: AccountCode::new("301.H01")?,
                    side: landpool::ledger::Side::Debit,
                    amount: y("5000"),
                },
                landpool::ledger::Posting {
                    account: AccountCode::new("102")?,
                    side: landpool::ledger::Side::Credit,
                    amount: y("5000"),
                },
            ],
        },
    )?;
    book.apply(
        "leave-h01".parse()?,
        Event::MemberLeft {
            member: "H01".parse()?,
            date: date!(2019 - 06 - 30),
        },
    )?;
    let rows = report::member_accounts(&book, 2019)?;
    let h01 = rows
        .first()
        .filter(|r| r.member.as_str() == "H01")
        .ok_or("no H01")?;
    assert_eq!(
        (
            h01.capital_opening,
            h01.other_capital_increase,
            h01.other_capital_decrease,
            h01.capital_closing
        ),
        (Yuan::ZERO, y("5000"), y("5000"), Yuan::ZERO)
    );
    let equity = report::member_equity(&book, 2019)?;
    let capital = &equity.columns[0];
    assert_eq!((capital.increase, capital.decrease), (y("5000"), y("5000")));
    Ok(())
}

/// Over generated books: each household's income items equal what the journal credited to
/// that member in the year (rent and guaranteed payments to 114 by the accrual entries,
/// wages to 212 and 213 less what was taken off them other than by payments, patronage to
/// 221, remaining surplus to 222), and every household of the year, those who left during
/// it too, has its line.
#[cfg(feature = "proptest")]
mod properties {
    use super::*;
    use landpool::ledger::Side;
    use landpool::strategies::{self, Config};
    use proptest::prelude::*;

    fn fail(e: impl std::fmt::Display) -> TestCaseError {
        TestCaseError::fail(e.to_string())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn household_income_is_what_the_journal_credited(book in strategies::book_with(Config::default())) {
            let mut years = 0;
            for year in 2019..=2022 {
                if book.distribution(year).is_none() { break }
                years += 1;
                let first = Date::from_calendar_date(year, time::Month::January, 1).map_err(fail)?;
                let last = Date::from_calendar_date(year, time::Month::December, 31).map_err(fail)?;
                let rows = report::household_income(&book, year).map_err(fail)?;
                for row in &rows {
                    let m = row.member.as_str();
                    let account = AccountCode::new("114").and_then(|a| a.sub(m)).map_err(fail)?;
                    let mut rent = Yuan::ZERO;
                    // The rent accruals' entries (their memos name the contract's kind).
                    for entry in book.journal().entries().iter().filter(|e| e.date >= first && e.date <= last) {
                        if !(entry.memo.starts_with("土地流转费") || entry.memo.starts_with("入股保底")) { continue }
                        for p in entry.postings().iter().filter(|p| p.side == Side::Credit && *p.account == account) {
                            rent = rent.checked_add(p.amount).map_err(fail)?;
                        }
                    }
                    prop_assert_eq!(row.rent.checked_add(row.guaranteed).map_err(fail)?, rent, "rent {} {}", m, year);
                    // Wages: the payables' credits less their debits other than payments.
                    let mut wages = Yuan::ZERO;
                    for root in ["212", "213"] {
                        let account = AccountCode::new(root).and_then(|a| a.sub(m)).map_err(fail)?;
                        let movement = book.journal().movement(&account, first, last).map_err(fail)?;
                        wages = wages.checked_add(movement.credits).and_then(|w| w.checked_sub(movement.debits)).map_err(fail)?;
                    }
                    for logged in book.events() {
                        if let Event::WagesPaid { worker: Worker::Member(paid), date, amount, .. } = &logged.event {
                            if *paid == row.member && (first..=last).contains(date) {
                                wages = wages.checked_add(*amount).map_err(fail)?;
                            }
                        }
                    }
                    prop_assert_eq!(row.labour, wages, "wages {} {}", m, year);
                    prop_assert_eq!(row.patronage, credited(&book, "221", m, first, last), "patronage {} {}", m, year);
                    prop_assert_eq!(row.remaining, credited(&book, "222", m, first, last), "remaining {} {}", m, year);
                }
                let households: Vec<&MemberId> = book
                    .members()
                    .filter(|m| m.persons().is_some() && m.joined <= last && m.left.is_none_or(|l| l >= first))
                    .map(|m| &m.id)
                    .collect();
                prop_assert_eq!(rows.iter().map(|r| &r.member).collect::<Vec<_>>(), households);
            }
            // Every generated book closes 2019, so the checks above ran.
            prop_assert!(years > 0);
        }

        /// The members' accounts add back to the statements: patronage and remaining
        /// surplus to lines 17 and 18 of the surplus statement, capital (opening, increase,
        /// decrease, closing) to 股金 and reserve shares to 盈余公积 in the members' equity
        /// statement.
        #[test]
        fn member_accounts_add_back_to_the_statements(book in strategies::book_with(Config::default())) {
            let mut years = 0;
            for year in 2019..=2022 {
                if book.distribution(year).is_none() { break }
                years += 1;
                let rows = report::member_accounts(&book, year).map_err(fail)?;
                let sum = |f: &dyn Fn(&report::MemberAccountRow) -> Yuan| Yuan::checked_sum(rows.iter().map(f)).map_err(fail);
                let s = report::surplus_statement(&book, year).map_err(fail)?;
                let line = |n: u8| s.line(n).map(|l| l.current).ok_or_else(|| fail(format!("no line {n}")));
                prop_assert_eq!(sum(&|r| r.patronage)?, line(17)?, "patronage {}", year);
                prop_assert_eq!(sum(&|r| r.remaining)?, line(18)?, "remaining {}", year);
                let equity = report::member_equity(&book, year).map_err(fail)?;
                let capital = &equity.columns[0];
                prop_assert_eq!(sum(&|r| r.capital_closing)?, capital.closing, "capital closing {}", year);
                prop_assert_eq!(sum(&|r| r.capital_opening)?, capital.opening, "capital opening {}", year);
                let increase = sum(&|r| r.poverty_relief_increase)?.checked_add(sum(&|r| r.other_capital_increase)?).map_err(fail)?;
                let decrease = sum(&|r| r.poverty_relief_decrease)?.checked_add(sum(&|r| r.other_capital_decrease)?).map_err(fail)?;
                prop_assert_eq!(increase, capital.increase, "capital increase {}", year);
                prop_assert_eq!(decrease, capital.decrease, "capital decrease {}", year);
                prop_assert_eq!(sum(&|r| r.reserve_closing)?, equity.columns[3].closing, "reserve closing {}", year);
            }
            prop_assert!(years > 0);
        }
    }
}

/// A member leaves once the rent of their days of membership is booked, and once they have
/// left nothing is posted to their accounts after their last day: an entry dated later, or
/// a timesheet holding their work of June entered in July, is refused (it could never be
/// paid to them), and so is leaving a second time; each refusal leaves the book as it was.
#[test]
fn nothing_is_posted_to_a_member_after_they_left() -> R {
    let mut book = Book::new();
    join(&mut book, "H01", 3, date!(2019 - 01 - 01))?;
    join(&mut book, "H02", 4, date!(2019 - 01 - 01))?;
    land(
        &mut book,
        "H01",
        1,
        "2",
        date!(2019 - 01 - 01),
        date!(2019 - 06 - 30),
    )?;
    land(
        &mut book,
        "H02",
        2,
        "3",
        date!(2019 - 01 - 01),
        date!(2028 - 12 - 31),
    )?;
    let leave = |date: Date| -> std::result::Result<Event, Error> {
        Ok(Event::MemberLeft {
            member: "H01".parse()?,
            date,
        })
    };
    // Leaving before the rent of the days of membership is booked is refused: booked at
    // the year end, it would post to H01's account after their last day.
    let before = book.clone();
    let refused = book.apply("leave-early".parse()?, leave(date!(2019 - 06 - 30))?);
    assert_eq!(
        refused.map_err(|e| e.to_string()),
        Err("H01 leaving on 2019-06-30: the rent of contract C001 for 2019-01-01~2019-06-30 is not accrued; accrue and pay it before the member leaves".to_string())
    );
    assert!(book == before);
    book.apply(
        "rent-h01".parse()?,
        Event::RentAccrued {
            from: date!(2019 - 01 - 01),
            to: date!(2019 - 06 - 30),
            contracts: Accrue::Contracts(vec!["C001".parse()?]),
            date: date!(2019 - 06 - 30),
        },
    )?;
    book.apply(
        "pay-h01".parse()?,
        Event::RentPaid {
            member: "H01".parse()?,
            date: date!(2019 - 06 - 30),
            amount: y("991.78"),
            from: CashAccount::Bank,
        },
    )?;
    book.apply("leave-h01".parse()?, leave(date!(2019 - 06 - 30))?)?;
    let before = book.clone();
    // An entry posting to H01's account after their last day is refused.
    let refused = book.apply(
        "late-advance".parse()?,
        Event::ManualEntry {
            date: date!(2019 - 12 - 31),
            memo: "借支 advance".into(),
            postings: vec![
                landpool::ledger::Posting {
                    account: AccountCode::new("114.H01")?,
                    side: landpool::ledger::Side::Debit,
                    amount: y("100"),
                },
                landpool::ledger::Posting {
                    account: AccountCode::new("101")?,
                    side: landpool::ledger::Side::Credit,
                    amount: y("100"),
                },
            ],
        },
    );
    assert_eq!(
        refused.map_err(|e| e.to_string()),
        Err("entry late-advance posts to 114.H01 on 2019-12-31, after its member left on 2019-06-30; a member's accounts take nothing after their last day".to_string())
    );
    assert!(book == before);
    let refused = work(
        &mut book,
        "w-late",
        "H01",
        date!(2019 - 07 - 31),
        date!(2019 - 06 - 15),
        "2",
    );
    assert_eq!(
        refused.map_err(|e| e.to_string()),
        Err("entry w-late posts to 213.H01 on 2019-07-31, after its member left on 2019-06-30; a member's accounts take nothing after their last day".to_string())
    );
    assert!(book == before);
    let again = book.apply("leave-again".parse()?, leave(date!(2019 - 03 - 31))?);
    assert_eq!(
        again,
        Err(Error::Pool(PoolError::AlreadyLeft {
            member: "H01".parse()?,
            date: date!(2019 - 03 - 31),
            left: date!(2019 - 06 - 30),
        }))
    );
    assert!(book == before);
    // The other member's rent accrues as before.
    let h02 = book.apply(
        "rent-h02".parse()?,
        Event::RentAccrued {
            from: date!(2019 - 01 - 01),
            to: date!(2019 - 12 - 31),
            contracts: Accrue::Contracts(vec!["C002".parse()?]),
            date: date!(2019 - 12 - 31),
        },
    )?;
    assert!(matches!(h02, Applied::Recorded { ref entries, .. } if entries.len() == 1));
    Ok(())
}

/// Wages are the pay the year's entries booked: a timesheet adds it, a correction that
/// debits the payable (Dr 213 / Cr the cost account) takes it away, and a payment (Dr 213 /
/// Cr bank) leaves it as it is.
#[test]
fn a_correction_of_pay_counts_against_wages_and_a_payment_does_not() -> R {
    let mut book = Book::new();
    join(&mut book, "H01", 3, date!(2019 - 01 - 01))?;
    // 10 days × 150.00
    work(
        &mut book,
        "w-mar",
        "H01",
        date!(2019 - 03 - 31),
        date!(2019 - 03 - 15),
        "10",
    )?;
    book.apply(
        "paid".parse()?,
        Event::WagesPaid {
            worker: Worker::Member("H01".parse()?),
            account: WageAccount::Labour,
            date: date!(2019 - 04 - 05),
            amount: y("1000"),
            from: CashAccount::Bank,
        },
    )?;
    book.apply(
        "correction".parse()?,
        Event::ManualEntry {
            date: date!(2019 - 04 - 10),
            memo: "更正 timesheet w-mar overstated by 50.00".into(),
            postings: vec![
                landpool::ledger::Posting {
                    account: AccountCode::new("213.H01")?,
                    side: landpool::ledger::Side::Debit,
                    amount: y("50"),
                },
                landpool::ledger::Posting {
                    account: AccountCode::new("523")?,
                    side: landpool::ledger::Side::Credit,
                    amount: y("50"),
                },
            ],
        },
    )?;
    let wages = report::household_income(&book, 2019)?[0].labour;
    let volume = report::member_accounts(&book, 2019)?[0].labour_pay;
    assert_eq!((wages, volume), (y("1450"), y("1450")));
    Ok(())
}
