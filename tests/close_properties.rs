//! Properties of the year-end close over random books: what is distributed adds back, the
//! books stay balanced, the balance sheet balances, and the event log replays to the same
//! statements.

use landpool::ledger::{AccountCode, Posting, Side};
use landpool::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;

fn code(text: &str) -> AccountCode {
    AccountCode::new(text).unwrap_or_else(|e| panic!("{e}"))
}

/// A random cooperative's year: members with land and capital, revenue and costs.
#[derive(Debug, Clone)]
struct Year {
    /// (area in 0.01 mu, capital in yuan, is the collective)
    members: Vec<(u64, i64, bool)>,
    revenue_fen: i64,
    expenses_fen: i64,
    reserve: u32,
    welfare: u32,
    patronage: u32,
    collective: u32,
    grant_fen: i64,
}

fn years() -> impl Strategy<Value = Year> {
    (
        prop::collection::vec((0_u64..2_000, 0_i64..50_000, any::<bool>()), 1..8),
        0_i64..500_000_000,
        0_i64..400_000_000,
        (0_u32..=20, 0_u32..=10),
        60_u32..=100,
        0_u32..=40,
        0_i64..100_000_000,
    )
        .prop_map(
            |(
                mut members,
                revenue_fen,
                expenses_fen,
                (reserve, welfare),
                patronage,
                collective,
                grant_fen,
            )| {
                // At most one collective; it pools no land.
                let mut seen = false;
                for m in &mut members {
                    if m.2 && !seen {
                        seen = true;
                        m.0 = 0;
                    } else {
                        m.2 = false;
                    }
                }
                let collective = if seen {
                    collective.min(100 - patronage)
                } else {
                    0
                };
                Year {
                    members,
                    revenue_fen,
                    expenses_fen,
                    reserve,
                    welfare,
                    patronage,
                    collective,
                    grant_fen,
                }
            },
        )
}

fn build(year: &Year) -> Result<Book, Error> {
    let mut book = Book::new();
    let mut n = 0_u32;
    let mut apply = |book: &mut Book, event: Event| -> Result<(), Error> {
        n += 1;
        book.apply(format!("e{n}").parse()?, event).map(|_| ())
    };
    // Rent is charged to a sub-account of 521 (521 itself takes the greenhouses').
    apply(
        &mut book,
        Event::AccountOpened {
            code: code("521.RENT"),
            name_zh: "土地流转费".into(),
            name_en: "land transfer rent".into(),
        },
    )?;
    // Sales entered by hand go to a sub-account of 501 (501 itself takes the crops').
    apply(
        &mut book,
        Event::AccountOpened {
            code: code("501.SALES"),
            name_zh: "经营收入—销售".into(),
            name_en: "operating revenue — sales".into(),
        },
    )?;
    for (i, (area, capital, collective)) in year.members.iter().enumerate() {
        let member: MemberId = format!("M{i}").parse()?;
        apply(
            &mut book,
            Event::MemberJoined {
                member: Member {
                    id: member.clone(),
                    name: format!("成员{i}").into(),
                    kind: if *collective {
                        MemberKind::Collective
                    } else {
                        MemberKind::Household {
                            persons: 1 + (i as u32 % 5),
                        }
                    },
                    village: "村".into(),
                    joined: date!(2019 - 01 - 01),
                    left: None,
                },
            },
        )?;
        if *capital > 0 {
            apply(
                &mut book,
                Event::CapitalContributed {
                    member: member.clone(),
                    date: date!(2019 - 01 - 02),
                    amount: Yuan::from_yuan(*capital)?,
                    into: CashAccount::Bank,
                    source: landpool::CapitalSource::Other,
                    premium: Yuan::ZERO,
                },
            )?;
        }
        if *area > 0 {
            let parcel: ParcelId = format!("P{i}").parse()?;
            let area = Mu::from_ten_thousandths(area * 100);
            apply(
                &mut book,
                Event::ParcelRegistered {
                    parcel: Parcel {
                        id: parcel.clone(),
                        owner: member.clone(),
                        area,
                        village: "村".into(),
                        land_class: "旱地".into(),
                        registered: date!(2019 - 01 - 01),
                        retired: None,
                    },
                },
            )?;
            apply(
                &mut book,
                Event::ContractSigned {
                    contract: Box::new(Contract {
                        id: format!("C{i}").parse()?,
                        member,
                        lines: vec![ContractLine { parcel, area }],
                        start: date!(2019 - 01 - 01),
                        end: date!(2025 - 12 - 31),
                        kind: ContractKind::Transfer {
                            rent: RentTerms::Fixed {
                                yuan_per_mu: Decimal::from(1000),
                            },
                        },
                        pro_rating: ProRating::ActualDays,
                        payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                        charge_to: code("521.RENT"),
                    }),
                },
            )?;
        }
    }
    let manual = |debit: &str, credit: &str, fen: i64, memo: &str| Event::ManualEntry {
        date: date!(2019 - 09 - 30),
        memo: memo.into(),
        postings: vec![
            Posting {
                account: code(debit),
                side: Side::Debit,
                amount: Yuan::from_fen(fen),
            },
            Posting {
                account: code(credit),
                side: Side::Credit,
                amount: Yuan::from_fen(fen),
            },
        ],
    };
    if year.revenue_fen > 0 {
        apply(
            &mut book,
            manual("102", "501.SALES", year.revenue_fen, "sales"),
        )?;
    }
    if year.expenses_fen > 0 {
        apply(&mut book, manual("523", "102", year.expenses_fen, "costs"))?;
    }
    if year.grant_fen > 0 {
        apply(&mut book, manual("102", "311", year.grant_fen, "donation"))?;
    }
    apply(
        &mut book,
        Event::RentAccrued {
            from: date!(2019 - 01 - 01),
            to: date!(2019 - 12 - 31),
            contracts: Accrue::All,
            date: date!(2019 - 12 - 31),
        },
    )?;
    let mut policy =
        DistributionPolicy::standard(Decimal::from(year.reserve), Decimal::from(year.patronage));
    policy.welfare_percent = Decimal::from(year.welfare);
    policy.collective_percent = Decimal::from(year.collective);
    apply(&mut book, Event::YearClosed { year: 2019, policy })?;
    Ok(book)
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_close_adds_back_and_the_books_balance(year in years()) {
        let book = build(&year).map_err(fail)?;
        let d = book.distribution(2019).ok_or_else(|| fail("not closed"))?;
        // Reserve + every member's patronage and remaining = distributed + reserve, exactly.
        let members = Yuan::checked_sum(d.members.iter().flat_map(|s| [s.patronage, s.remaining])).map_err(fail)?;
        prop_assert_eq!(members.checked_add(d.reserve).map_err(fail)?, d.distributed.checked_add(d.reserve).map_err(fail)?);
        let quantified = Yuan::checked_sum(d.members.iter().map(|s| s.reserve_share)).map_err(fail)?;
        prop_assert_eq!(quantified, d.reserve);
        // The law's 60%.
        if d.distributed.is_positive() {
            prop_assert!(d.patronage.to_decimal() * Decimal::from(100) >= d.distributed.to_decimal() * Decimal::from(60) - Decimal::from(1));
        }
        // The reserve and the welfare fund: one amount, rounded once (the first year has no
        // loss to cover).
        if d.surplus.is_positive() {
            let percent = Decimal::from(year.reserve + year.welfare);
            let reserve = Yuan::from_product(&[d.surplus.to_decimal(), percent], Decimal::from(100), Rounding::HalfAwayFromZero).map_err(fail)?;
            prop_assert_eq!(d.reserve, reserve);
        }
        // Surplus = revenue − rent − expenses; a loss distributes nothing.
        if d.surplus.is_negative() {
            prop_assert!(d.distributed.is_zero() && d.reserve.is_zero());
        }
        // Trial balance through the close, balance sheet, equity statement.
        let tb = book.journal().trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31)).map_err(fail)?;
        prop_assert_eq!(tb.totals.debits, tb.totals.credits);
        prop_assert_eq!(tb.totals.closing_debit, tb.totals.closing_credit);
        let sheet = report::balance_sheet(&book, 2019).map_err(fail)?;
        prop_assert_eq!(sheet.line(22).map(|l| l.current), sheet.line(42).map(|l| l.current));
        report::member_equity(&book, 2019).map_err(fail)?;
        // P&L accounts are closed out; 331 is zero.
        for pl in ["501", "502", "521", "523", "524", "529", "331"] {
            prop_assert_eq!(book.journal().closing_balance(&code(pl)).map_err(fail)?, Yuan::ZERO);
        }
    }

    #[test]
    fn replaying_the_event_log_reproduces_every_statement(year in years()) {
        let book = build(&year).map_err(fail)?;
        let lines: Vec<String> = book.events().iter().map(serde_json::to_string).collect::<Result<_, _>>().map_err(fail)?;
        let events: Vec<LoggedEvent> = lines.iter().map(|l| serde_json::from_str(l)).collect::<Result<_, _>>().map_err(fail)?;
        let copy = Book::replay(events).map_err(fail)?;
        prop_assert_eq!(report::balance_sheet(&copy, 2019).map_err(fail)?.to_csv(), report::balance_sheet(&book, 2019).map_err(fail)?.to_csv());
        prop_assert_eq!(report::surplus_statement(&copy, 2019).map_err(fail)?.to_csv(), report::surplus_statement(&book, 2019).map_err(fail)?.to_csv());
        prop_assert_eq!(report::member_equity(&copy, 2019).map_err(fail)?.to_csv(), report::member_equity(&book, 2019).map_err(fail)?.to_csv());
        prop_assert_eq!(report::trial_balance_csv(&copy, 2019).map_err(fail)?, report::trial_balance_csv(&book, 2019).map_err(fail)?);
        prop_assert_eq!(
            report::MemberAccountRow::to_csv(&report::member_accounts(&copy, 2019).map_err(fail)?),
            report::MemberAccountRow::to_csv(&report::member_accounts(&book, 2019).map_err(fail)?)
        );
        prop_assert_eq!(
            report::HouseholdIncome::to_csv(&report::household_income(&copy, 2019).map_err(fail)?),
            report::HouseholdIncome::to_csv(&report::household_income(&book, 2019).map_err(fail)?)
        );
    }
}
