//! Year-end close and surplus distribution, checked against figures derived by hand.

use landpool::ledger::{AccountCode, Posting, Side};
use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;
use time::Date;

fn id<T: std::str::FromStr<Err = Error>>(text: &str) -> T {
    text.parse()
        .unwrap_or_else(|e| panic!("bad id {text}: {e}"))
}

fn yuan(text: &str) -> Yuan {
    text.parse()
        .unwrap_or_else(|e| panic!("bad amount {text}: {e}"))
}

fn code(text: &str) -> AccountCode {
    AccountCode::new(text).unwrap_or_else(|e| panic!("{e}"))
}

struct Coop {
    book: Book,
    next: u32,
}

impl Coop {
    fn apply(&mut self, event: Event) -> Result<Applied, Error> {
        self.next += 1;
        self.book.apply(id(&format!("e{}", self.next)), event)
    }

    fn ok(&mut self, event: Event) {
        self.apply(event).unwrap_or_else(|e| panic!("{e}"));
    }

    /// A member with `area` mu pooled at 1000/mu for 2019-2023 (rent to 521) and `capital`.
    fn member(&mut self, member: &str, kind: MemberKind, area: &str, capital: &str) {
        self.ok(Event::MemberJoined {
            member: Member {
                id: id(member),
                name: format!("成员{member}"),
                kind,
                village: "高格庄".into(),
                joined: date!(2018 - 12 - 01),
                left: None,
            },
        });
        self.ok(Event::CapitalContributed {
            member: id(member),
            date: date!(2018 - 12 - 20),
            amount: yuan(capital),
            into: CashAccount::Bank,
            source: landpool::CapitalSource::Other,
        });
        if area != "0" {
            self.ok(Event::ParcelRegistered {
                parcel: Parcel {
                    id: id(&format!("P{member}")),
                    owner: id(member),
                    area: area.parse().unwrap_or_else(|e| panic!("{e}")),
                    village: "高格庄".into(),
                    land_class: "水浇地".into(),
                    registered: date!(2018 - 12 - 01),
                    retired: None,
                },
            });
            self.ok(Event::ContractSigned {
                contract: Contract {
                    id: id(&format!("C{member}")),
                    member: id(member),
                    lines: vec![ContractLine {
                        parcel: id(&format!("P{member}")),
                        area: area.parse().unwrap_or_else(|e| panic!("{e}")),
                    }],
                    start: date!(2019 - 01 - 01),
                    end: date!(2023 - 12 - 31),
                    kind: ContractKind::Transfer {
                        rent: RentTerms::Fixed {
                            yuan_per_mu: dec!(1000),
                        },
                    },
                    pro_rating: ProRating::ActualDays,
                    payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                    charge_to: code("521"),
                },
            });
        }
    }

    fn revenue(&mut self, date: Date, amount: &str) {
        self.ok(Event::ManualEntry {
            date,
            memo: "葡萄销售 grape sales".into(),
            postings: vec![
                Posting {
                    account: code("102"),
                    side: Side::Debit,
                    amount: yuan(amount),
                },
                Posting {
                    account: code("501"),
                    side: Side::Credit,
                    amount: yuan(amount),
                },
            ],
        });
    }

    fn accrue(&mut self, year: i32) {
        let (first, last) = bounds(year);
        self.ok(Event::RentAccrued {
            from: first,
            to: last,
            contracts: Accrue::All,
            date: last,
        });
    }
}

fn bounds(year: i32) -> (Date, Date) {
    (
        Date::from_calendar_date(year, time::Month::January, 1).unwrap_or(Date::MIN),
        Date::from_calendar_date(year, time::Month::December, 31).unwrap_or(Date::MIN),
    )
}

/// Three households pooling 2, 1 and 1 mu with capital 20,000, 10,000 and 10,000; grape
/// revenue 404,000 against 4,000 of rent: a surplus of exactly 400,000.00.
fn worked_example() -> Coop {
    let mut coop = Coop {
        book: Book::new(),
        next: 0,
    };
    coop.member("A", MemberKind::Household { persons: 4 }, "2", "20000");
    coop.member("B", MemberKind::Household { persons: 3 }, "1", "10000");
    coop.member("C", MemberKind::Household { persons: 2 }, "1", "10000");
    coop.accrue(2018);
    coop.ok(Event::YearClosed {
        year: 2018,
        policy: DistributionPolicy::standard(dec!(10), dec!(70)),
    });
    coop.revenue(date!(2019 - 09 - 30), "404000");
    coop.accrue(2019);
    coop
}

#[test]
fn domains_worked_example() {
    let mut coop = worked_example();
    coop.ok(Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(dec!(10), dec!(70)),
    });
    let d = coop
        .book
        .distribution(2019)
        .unwrap_or_else(|| panic!("closed"));
    assert_eq!(d.surplus, yuan("400000.00"));
    assert_eq!(d.reserve, yuan("40000.00"));
    assert_eq!(d.distributed, yuan("360000.00"));
    assert_eq!(d.patronage, yuan("252000.00"));
    assert_eq!(d.remaining, yuan("108000.00"));
    assert_eq!(d.closing_undistributed, Yuan::ZERO);
    // Patronage by mu-days 730 : 365 : 365; the rest by capital 2 : 1 : 1; the reserve
    // quantified by volume.
    let share = |m: &str| {
        d.members
            .iter()
            .find(|s| s.member.as_str() == m)
            .cloned()
            .unwrap_or_else(|| panic!("{m}"))
    };
    assert_eq!(
        (
            share("A").patronage,
            share("A").remaining,
            share("A").reserve_share
        ),
        (yuan("126000"), yuan("54000"), yuan("20000"))
    );
    assert_eq!(
        (
            share("B").patronage,
            share("B").remaining,
            share("B").reserve_share
        ),
        (yuan("63000"), yuan("27000"), yuan("10000"))
    );
    assert_eq!(
        (
            share("C").patronage,
            share("C").remaining,
            share("C").reserve_share
        ),
        (yuan("63000"), yuan("27000"), yuan("10000"))
    );
    let journal = coop.book.journal();
    let balance = |c: &str| {
        journal
            .closing_balance(&code(c))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(balance("322"), yuan("-40000.00"));
    assert_eq!(balance("221"), yuan("-252000.00"));
    assert_eq!(balance("222"), yuan("-108000.00"));
    assert_eq!(balance("331"), Yuan::ZERO);
    assert_eq!(balance(DISTRIBUTIONS), Yuan::ZERO);
    assert_eq!(balance(UNDISTRIBUTED), Yuan::ZERO);
    for pl in ["501", "521", "523", "524"] {
        assert_eq!(balance(pl), Yuan::ZERO, "{pl} is closed out");
    }
    // The year is locked.
    let late = coop.apply(Event::ManualEntry {
        date: date!(2019 - 12 - 31),
        memo: "late".into(),
        postings: vec![
            Posting {
                account: code("102"),
                side: Side::Debit,
                amount: yuan("1"),
            },
            Posting {
                account: code("502"),
                side: Side::Credit,
                amount: yuan("1"),
            },
        ],
    });
    assert!(matches!(late, Err(Error::Ledger(_))), "{late:?}");
    // Member account after the close.
    let account = coop
        .book
        .member_account(&id("A"), date!(2019 - 12 - 31))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(account.patronage_payable, yuan("126000"));
    assert_eq!(account.remaining_payable, yuan("54000"));
    assert_eq!(account.capital, yuan("20000"));
}

#[test]
fn a_55_percent_patronage_policy_is_refused() {
    let mut coop = worked_example();
    let before = coop.book.clone();
    let refused = coop.apply(Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(dec!(10), dec!(55)),
    });
    match refused {
        Err(Error::Pool(PoolError::BadNumber { ref what, .. })) => {
            assert!(what.contains("art. 44"), "{what}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(coop.book, before);
}

#[test]
fn a_loss_is_carried_and_covered_first() {
    let mut coop = worked_example();
    // 2019 as a loss year: spend more than the revenue.
    coop.ok(Event::ManualEntry {
        date: date!(2019 - 11 - 30),
        memo: "冻害 frost damage".into(),
        postings: vec![
            Posting {
                account: code("529"),
                side: Side::Debit,
                amount: yuan("450000"),
            },
            Posting {
                account: code("102"),
                side: Side::Credit,
                amount: yuan("450000"),
            },
        ],
    });
    coop.ok(Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(dec!(10), dec!(70)),
    });
    let d = coop
        .book
        .distribution(2019)
        .cloned()
        .unwrap_or_else(|| panic!("closed"));
    assert_eq!(d.surplus, yuan("-50000.00"));
    assert_eq!(
        (d.reserve, d.distributed, d.patronage),
        (Yuan::ZERO, Yuan::ZERO, Yuan::ZERO)
    );
    assert_eq!(d.closing_undistributed, yuan("-50000.00"));
    assert_eq!(
        coop.book
            .journal()
            .closing_balance(&code(UNDISTRIBUTED))
            .unwrap_or_default(),
        yuan("50000.00")
    );
    // 2020: surplus 150,000 (154,000 revenue − 4,000 rent); 50,000 covers the loss first; the
    // reserve is 10% of 100,000; 90,000 is distributed.
    coop.revenue(date!(2020 - 09 - 30), "154000");
    coop.accrue(2020);
    coop.ok(Event::YearClosed {
        year: 2020,
        policy: DistributionPolicy::standard(dec!(10), dec!(70)),
    });
    let d = coop
        .book
        .distribution(2020)
        .cloned()
        .unwrap_or_else(|| panic!("closed"));
    assert_eq!(d.surplus, yuan("150000"));
    assert_eq!(d.opening_undistributed, yuan("-50000"));
    assert_eq!(d.loss_covered, yuan("50000"));
    assert_eq!(d.reserve, yuan("10000"));
    assert_eq!(d.distributed, yuan("90000"));
    assert_eq!(d.patronage, yuan("63000"));
    assert_eq!(d.closing_undistributed, Yuan::ZERO);
    assert_eq!(
        coop.book
            .journal()
            .closing_balance(&code(UNDISTRIBUTED))
            .unwrap_or_default(),
        Yuan::ZERO
    );
}

#[test]
fn settling_pays_out_and_converts_to_capital_in_the_next_year() {
    let mut coop = worked_example();
    let mut policy = DistributionPolicy::standard(dec!(10), dec!(70));
    policy.convert_to_capital_percent = dec!(20);
    coop.ok(Event::YearClosed { year: 2019, policy });
    let early = coop.apply(Event::DistributionSettled {
        year: 2019,
        date: date!(2019 - 12 - 31),
        from: CashAccount::Bank,
    });
    assert!(early.is_err());
    coop.ok(Event::DistributionSettled {
        year: 2019,
        date: date!(2020 - 01 - 20),
        from: CashAccount::Bank,
    });
    let account = coop
        .book
        .member_account(&id("A"), date!(2020 - 01 - 31))
        .unwrap_or_else(|e| panic!("{e}"));
    // A was owed 180,000; 20% (36,000) becomes capital on top of 20,000.
    assert_eq!(account.patronage_payable, Yuan::ZERO);
    assert_eq!(account.remaining_payable, Yuan::ZERO);
    assert_eq!(account.capital, yuan("56000"));
    assert!(coop.book.distribution(2019).is_some_and(|d| d.settled));
    let again = coop.apply(Event::DistributionSettled {
        year: 2019,
        date: date!(2020 - 01 - 21),
        from: CashAccount::Bank,
    });
    assert!(again.is_err());
}

#[test]
fn collective_share_and_land_share_days() {
    let mut coop = Coop {
        book: Book::new(),
        next: 0,
    };
    coop.member("A", MemberKind::Household { persons: 4 }, "3", "30000");
    coop.member("V", MemberKind::Collective, "0", "10000");
    coop.accrue(2018);
    coop.ok(Event::YearClosed {
        year: 2018,
        policy: DistributionPolicy::standard(dec!(10), dec!(70)),
    });
    coop.revenue(date!(2019 - 09 - 30), "103000");
    coop.accrue(2019);
    let mut policy = DistributionPolicy::standard(dec!(10), dec!(60));
    policy.collective_percent = dec!(10);
    coop.ok(Event::YearClosed { year: 2019, policy });
    let d = coop
        .book
        .distribution(2019)
        .cloned()
        .unwrap_or_else(|| panic!("closed"));
    // Surplus 100,000; reserve 10,000; 90,000 distributed: 54,000 by volume (all to A, the
    // only one with land), 9,000 to the collective, 27,000 by capital 3 : 1.
    assert_eq!(d.surplus, yuan("100000"));
    assert_eq!(d.patronage, yuan("54000"));
    assert_eq!(d.collective, yuan("9000"));
    let share = |m: &str| {
        d.members
            .iter()
            .find(|s| s.member.as_str() == m)
            .cloned()
            .unwrap_or_else(|| panic!("{m}"))
    };
    assert_eq!(share("A").patronage, yuan("54000"));
    assert_eq!(share("A").remaining, yuan("20250"));
    assert_eq!(share("V").remaining, yuan("15750"));
}

#[test]
fn statements_of_the_worked_example() {
    let mut coop = worked_example();
    coop.ok(Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(dec!(10), dec!(70)),
    });
    let sheet = report::balance_sheet(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| {
        sheet
            .line(n)
            .map(|l| (l.current, l.previous))
            .unwrap_or_else(|| panic!("line {n}"))
    };
    // Cash: 40,000 capital + 404,000 sales; rent of 4,000 accrued and not yet paid.
    assert_eq!(line(1), (yuan("444000"), yuan("40000")));
    assert_eq!(line(22), (yuan("444000"), yuan("40000")));
    assert_eq!(line(24).0, yuan("4000"));
    assert_eq!(line(29).0, yuan("252000"));
    assert_eq!(line(30).0, yuan("108000"));
    assert_eq!(line(35).0, yuan("364000"));
    assert_eq!(line(36), (yuan("40000"), yuan("40000")));
    assert_eq!(line(39).0, yuan("40000"));
    assert_eq!(line(40).0, Yuan::ZERO);
    assert_eq!(line(42), (yuan("444000"), yuan("40000")));

    let statement = report::surplus_statement(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| {
        statement
            .line(n)
            .map(|l| l.current)
            .unwrap_or_else(|| panic!("line {n}"))
    };
    assert_eq!(line(1), yuan("404000"));
    assert_eq!(line(3), yuan("4000"));
    assert_eq!(line(7), yuan("400000"));
    assert_eq!(line(12), yuan("400000"));
    assert_eq!(line(15), yuan("40000"));
    assert_eq!(line(16), yuan("360000"));
    assert_eq!(line(17), yuan("252000"));
    assert_eq!(line(18), yuan("108000"));
    assert_eq!(line(20), Yuan::ZERO);

    let equity = report::member_equity(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    let column = |zh: &str| {
        equity
            .columns
            .iter()
            .find(|c| c.name_zh == zh)
            .cloned()
            .unwrap_or_else(|| panic!("{zh}"))
    };
    let undistributed = column("未分配盈余");
    assert_eq!(
        (
            undistributed.opening,
            undistributed.increase,
            undistributed.decrease,
            undistributed.closing
        ),
        (Yuan::ZERO, yuan("400000"), yuan("400000"), Yuan::ZERO)
    );
    let reserve = column("盈余公积");
    assert_eq!(
        (reserve.increase, reserve.closing),
        (yuan("40000"), yuan("40000"))
    );
    assert_eq!(column("合计").closing, yuan("80000"));

    let incomes = report::household_income(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    let a = incomes
        .iter()
        .find(|r| r.member.as_str() == "A")
        .cloned()
        .unwrap_or_else(|| panic!("A"));
    assert_eq!(
        (a.rent, a.patronage, a.remaining, a.total, a.per_person),
        (
            yuan("2000"),
            yuan("126000"),
            yuan("54000"),
            yuan("182000"),
            yuan("45500")
        )
    );
    let receipts = report::receipts(&coop.book, 2019, "嘉瑞丰果蔬专业合作社")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(receipts.contains("合计 Total: ¥182000.00"), "{receipts}");
    assert!(
        receipts.contains("金额大写 In words: 人民币壹拾捌万贰仟元整"),
        "{receipts}"
    );

    let accounts = report::member_accounts(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    let b = accounts
        .iter()
        .find(|r| r.member.as_str() == "B")
        .cloned()
        .unwrap_or_else(|| panic!("B"));
    assert_eq!(
        (
            b.capital_closing,
            b.reserve_closing,
            b.land_mu_days,
            b.patronage
        ),
        (yuan("10000"), yuan("10000"), dec!(365), yuan("63000"))
    );
    let csv = report::trial_balance_csv(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("\r\n322,盈余公积"), "{csv}");
}
