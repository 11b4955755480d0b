//! The three statements (会农社01表, 02表, 03表) and the members' accounts over three years,
//! every figure worked out by hand from DOMAIN.md's rules: a surplus year closed and its
//! distribution settled (half converted to capital), a loss year covered from the reserve,
//! and a year whose surplus first covers the loss left over.

use landpool::ledger::{Posting, Side};
use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;

mod common;
use common::{code, id, yuan as y};

struct Coop {
    book: Book,
    next: u32,
}

impl Coop {
    fn new() -> Coop {
        Coop {
            book: Book::new(),
            next: 0,
        }
    }

    fn ok(&mut self, event: Event) {
        self.next += 1;
        self.book
            .apply(id(&format!("e{}", self.next)), event)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    fn join(&mut self, member: &str, joined: time::Date) {
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

    fn capital(&mut self, member: &str, date: time::Date, amount: &str) {
        self.ok(Event::CapitalContributed {
            member: id(member),
            date,
            amount: y(amount),
            into: CashAccount::Bank,
            source: CapitalSource::Other,
            premium: Yuan::ZERO,
        });
    }

    /// A voucher Dr `debit` / Cr `credit`; 501 and 521 stand for 501.SALES and 521.COSTS
    /// (opened the first time), as 501 and 521 themselves take the book's sub-accounts of
    /// each crop and greenhouse.
    fn voucher(&mut self, date: time::Date, debit: &str, credit: &str, amount: &str) {
        let memo = format!("{debit} / {credit}");
        let debit = self.by_hand(debit);
        let credit = self.by_hand(credit);
        self.ok(Event::ManualEntry {
            date,
            memo,
            postings: vec![
                Posting {
                    account: code(&debit),
                    side: Side::Debit,
                    amount: y(amount),
                },
                Posting {
                    account: code(&credit),
                    side: Side::Credit,
                    amount: y(amount),
                },
            ],
        });
    }

    /// The account a voucher to `account` posts to: 501.SALES or 521.COSTS for 501 and
    /// 521, opened the first time (with an id of its own, keeping the events' numbers).
    fn by_hand(&mut self, account: &str) -> String {
        let (sub, zh, en) = match account {
            "501" => ("501.SALES", "经营收入—销售", "operating revenue — sales"),
            "521" => ("521.COSTS", "经营支出—其他", "operating expenses — other"),
            _ => return account.to_string(),
        };
        if !self.book.journal().chart().contains(&code(sub)) {
            self.book
                .apply(
                    id(&format!("open-{account}")),
                    Event::AccountOpened {
                        code: code(sub),
                        name_zh: zh.into(),
                        name_en: en.into(),
                    },
                )
                .unwrap_or_else(|e| panic!("{e}"));
        }
        sub.to_string()
    }

    fn close(&mut self, year: i32, policy: DistributionPolicy) {
        self.ok(Event::YearClosed { year, policy });
    }
}

/// (current, previous) of each numbered line.
fn columns(lines: &[report::StatementLine]) -> Vec<(u8, Yuan, Yuan)> {
    lines
        .iter()
        .map(|l| (l.line, l.current, l.previous))
        .collect()
}

/// Lines not listed are zero in both columns.
fn expect(lines: &[report::StatementLine], count: u8, nonzero: &[(u8, &str, &str)]) {
    let expected: Vec<(u8, Yuan, Yuan)> = (1..=count)
        .map(|n| {
            nonzero
                .iter()
                .find(|(line, _, _)| *line == n)
                .map_or((n, Yuan::ZERO, Yuan::ZERO), |(_, c, p)| (n, y(c), y(p)))
        })
        .collect();
    assert_eq!(columns(lines), expected);
}

fn equity(book: &Book, year: i32) -> Vec<(String, Yuan, Yuan, Yuan, Yuan)> {
    report::member_equity(book, year)
        .unwrap_or_else(|e| panic!("{e}"))
        .columns
        .into_iter()
        .map(|c| (c.name_zh, c.opening, c.increase, c.decrease, c.closing))
        .collect()
}

fn eq_row(name: &str, o: &str, i: &str, d: &str, c: &str) -> (String, Yuan, Yuan, Yuan, Yuan) {
    (name.to_string(), y(o), y(i), y(d), y(c))
}

/// 2019: capital 50,000; revenue 30,000, costs 10,000 (of which 4,000 still in 401 at the
/// year end as inventory): surplus 20,000 − … closed with a 10% reserve and 60% patronage.
/// 2020: the payouts settled, half to capital; a loss of 3,000, covered from the reserve
/// (2,000) at the close. 2021: a surplus of 10,000 covers the 1,000 still uncovered first.
#[test]
fn three_years_of_statements_add_up_to_the_fen() {
    let mut coop = Coop::new();
    coop.join("M001", date!(2019 - 01 - 01));
    coop.capital("M001", date!(2019 - 01 - 02), "50000");
    coop.voucher(date!(2019 - 06 - 30), "102", "501", "30000");
    coop.voucher(date!(2019 - 07 - 31), "521", "102", "10000");
    // Seedlings bought for next season: production cost, inventory (line 3).
    coop.voucher(date!(2019 - 12 - 31), "401", "102", "4000");
    let mut policy = DistributionPolicy::standard(dec!(10), dec!(60));
    policy.convert_to_capital_percent = dec!(50);
    policy.cover_loss_from_reserve = true;

    // 2019 open: the surplus so far is in line 40.
    let sheet = report::balance_sheet(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    expect(
        &sheet.lines,
        42,
        &[
            (1, "66000", "0"),
            (3, "4000", "0"),
            (5, "70000", "0"),
            (22, "70000", "0"),
            (36, "50000", "0"),
            (40, "20000", "0"),
            (41, "70000", "0"),
            (42, "70000", "0"),
        ],
    );

    coop.close(2019, policy.clone());
    // Reserve 2,000; distributed 18,000: patronage 10,800, remaining 7,200.
    let sheet = report::balance_sheet(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    expect(
        &sheet.lines,
        42,
        &[
            (1, "66000", "0"),
            (3, "4000", "0"),
            (5, "70000", "0"),
            (22, "70000", "0"),
            (29, "10800", "0"),
            (30, "7200", "0"),
            (31, "18000", "0"),
            (35, "18000", "0"),
            (36, "50000", "0"),
            (39, "2000", "0"),
            (41, "52000", "0"),
            (42, "70000", "0"),
        ],
    );
    let surplus = report::surplus_statement(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    expect(
        &surplus.lines,
        20,
        &[
            (1, "30000", "0"),
            (3, "10000", "0"),
            (7, "20000", "0"),
            (10, "20000", "0"),
            (12, "20000", "0"),
            (15, "2000", "0"),
            (16, "18000", "0"),
            (17, "10800", "0"),
            (18, "7200", "0"),
        ],
    );
    assert_eq!(surplus.patronage_bases, (y("18000"), y("18000")));
    assert_eq!(
        equity(&coop.book, 2019),
        [
            eq_row("股金", "0", "50000", "0", "50000"),
            eq_row("专项基金", "0", "0", "0", "0"),
            eq_row("资本公积", "0", "0", "0", "0"),
            eq_row("盈余公积", "0", "2000", "0", "2000"),
            eq_row("未分配盈余", "0", "20000", "20000", "0"),
            eq_row("合计", "0", "72000", "20000", "52000"),
        ]
    );

    // 2020: settled on 1 March, 9,000 to capital and 9,000 paid; a loss of 3,000.
    coop.ok(Event::DistributionSettled {
        year: 2019,
        date: date!(2020 - 03 - 01),
        from: CashAccount::Bank,
    });
    coop.voucher(date!(2020 - 05 - 01), "102", "501", "5000");
    coop.voucher(date!(2020 - 12 - 31), "523", "102", "8000");
    let sheet = report::balance_sheet(&coop.book, 2020).unwrap_or_else(|e| panic!("{e}"));
    expect(
        &sheet.lines,
        42,
        &[
            (1, "54000", "66000"),
            (3, "4000", "4000"),
            (5, "58000", "70000"),
            (22, "58000", "70000"),
            (29, "0", "10800"),
            (30, "0", "7200"),
            (31, "0", "18000"),
            (35, "0", "18000"),
            (36, "59000", "50000"),
            (39, "2000", "2000"),
            (40, "-3000", "0"),
            (41, "58000", "52000"),
            (42, "58000", "70000"),
        ],
    );
    let surplus = report::surplus_statement(&coop.book, 2020).unwrap_or_else(|e| panic!("{e}"));
    expect(
        &surplus.lines,
        20,
        &[
            (1, "5000", "30000"),
            (3, "0", "10000"),
            (5, "8000", "0"),
            (7, "-3000", "20000"),
            (10, "-3000", "20000"),
            (12, "-3000", "20000"),
            (15, "0", "2000"),
            (16, "-3000", "18000"),
            (17, "0", "10800"),
            (18, "0", "7200"),
            (20, "-3000", "0"),
        ],
    );
    assert_eq!(
        equity(&coop.book, 2020),
        [
            eq_row("股金", "50000", "9000", "0", "59000"),
            eq_row("专项基金", "0", "0", "0", "0"),
            eq_row("资本公积", "0", "0", "0", "0"),
            eq_row("盈余公积", "2000", "0", "0", "2000"),
            eq_row("未分配盈余", "0", "0", "3000", "-3000"),
            eq_row("合计", "52000", "9000", "3000", "58000"),
        ]
    );

    // Closed: 2,000 of the reserve covers the loss (line 14); 1,000 stays uncovered.
    coop.close(2020, policy.clone());
    let sheet = report::balance_sheet(&coop.book, 2020).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| sheet.line(n).map(|l| (l.current, l.previous));
    assert_eq!(line(39), Some((y("0"), y("2000"))));
    assert_eq!(line(40), Some((y("-1000"), y("0"))));
    assert_eq!(line(42), Some((y("58000"), y("70000"))));
    let surplus = report::surplus_statement(&coop.book, 2020).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| surplus.line(n).map(|l| l.current);
    assert_eq!(
        (1..=20).map(line).collect::<Vec<_>>(),
        [
            "5000", "0", "0", "0", "8000", "0", "-3000", "0", "0", "-3000", "0", "-3000", "0",
            "2000", "0", "-1000", "0", "0", "0", "-1000"
        ]
        .map(|a| Some(y(a)))
    );
    assert_eq!(
        equity(&coop.book, 2020),
        [
            eq_row("股金", "50000", "9000", "0", "59000"),
            eq_row("专项基金", "0", "0", "0", "0"),
            eq_row("资本公积", "0", "0", "0", "0"),
            eq_row("盈余公积", "2000", "0", "2000", "0"),
            eq_row("未分配盈余", "0", "2000", "3000", "-1000"),
            eq_row("合计", "52000", "11000", "5000", "58000"),
        ]
    );
    let rows = report::member_accounts(&coop.book, 2020).unwrap_or_else(|e| panic!("{e}"));
    let m = rows.first().map(|r| {
        (
            r.capital_opening,
            r.other_capital_increase,
            r.capital_closing,
            r.reserve_opening,
            r.reserve_change,
            r.reserve_closing,
        )
    });
    assert_eq!(
        m,
        Some((
            y("50000"),
            y("9000"),
            y("59000"),
            y("2000"),
            y("-2000"),
            y("0")
        ))
    );

    // 2021: surplus 10,000; 1,000 covers the loss; reserve 900 of 9,000; 8,100 shared:
    // 4,860 returned by volume, 3,240 by capital.
    coop.voucher(date!(2021 - 12 - 31), "102", "501", "10000");
    coop.close(2021, policy);
    let surplus = report::surplus_statement(&coop.book, 2021).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| surplus.line(n).map(|l| (l.current, l.previous));
    assert_eq!(line(12), Some((y("10000"), y("-3000"))));
    assert_eq!(line(13), Some((y("-1000"), y("0"))));
    assert_eq!(line(14), Some((y("0"), y("2000"))));
    assert_eq!(line(15), Some((y("900"), y("0"))));
    assert_eq!(line(16), Some((y("8100"), y("-1000"))));
    assert_eq!(line(17), Some((y("4860"), y("0"))));
    assert_eq!(line(18), Some((y("3240"), y("0"))));
    assert_eq!(line(20), Some((y("0"), y("-1000"))));
    assert_eq!(surplus.patronage_bases, (y("8100"), y("8100")));
    // The statement as written shows both bases the 60% may apply to, below line 20.
    assert!(
        surplus.to_csv().ends_with(
            "20,年末未分配盈余,Undistributed surplus at the end of the year,0.00,-1000.00\r\n\
             ,60%返还基数：本年盈余（弥补亏损、提取公积后）,Base of the 60% patronage minimum: this year's surplus after losses covered and the reserve,8100.00,\r\n\
             ,60%返还基数：可分配盈余（第16行）,Base of the 60% patronage minimum: distributable surplus (line 16),8100.00,\r\n"
        ),
        "{}",
        surplus.to_csv()
    );
    assert_eq!(
        equity(&coop.book, 2021),
        [
            eq_row("股金", "59000", "0", "0", "59000"),
            eq_row("专项基金", "0", "0", "0", "0"),
            eq_row("资本公积", "0", "0", "0", "0"),
            eq_row("盈余公积", "0", "900", "0", "900"),
            eq_row("未分配盈余", "-1000", "10000", "9000", "0"),
            eq_row("合计", "58000", "10900", "9000", "59900"),
        ]
    );
}

/// 311 专项基金 is quantified equally to the members at the close (平均量化), and, as every
/// split of a total among members, the members' shares add back to it to the fen (largest
/// remainder, the leftover fen to the first members in id order): subsidy shares to the
/// subsidy property, donation shares to the donations. 1.02 in 311 (1.00 of subsidy, 0.02
/// donated) among three members is 0.34 each: subsidy 0.33, 0.33, 0.34 and donation 0.01,
/// 0.01, 0.00. A year later 100.00 more is donated: 101.02 among three is 33.68, 33.67,
/// 33.67, of which the donations 100.02 are 33.34, 33.34, 33.34.
#[test]
fn the_members_shares_of_311_add_back_to_it() {
    let mut coop = Coop::new();
    for member in ["M001", "M002", "M003"] {
        coop.join(member, date!(2019 - 01 - 01));
        coop.capital(member, date!(2019 - 01 - 02), "1000");
    }
    // A state subsidy credited straight to 311, and a donation.
    coop.voucher(date!(2019 - 03 - 01), "102", "311", "1.00");
    coop.ok(Event::DonationReceived {
        donor: "爱心企业".into(),
        date: date!(2019 - 04 - 01),
        amount: y("0.02"),
        into: CashAccount::Bank,
    });
    let policy = DistributionPolicy::standard(dec!(10), dec!(60));
    coop.close(2019, policy.clone());
    let shares = |book: &Book, year: i32| -> Vec<(String, Yuan, Yuan, Yuan, Yuan)> {
        report::member_accounts(book, year)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|r| {
                (
                    r.member.to_string(),
                    r.subsidy_opening,
                    r.subsidy_share,
                    r.donation_opening,
                    r.donation_share,
                )
            })
            .collect()
    };
    let row =
        |m: &str, so: &str, s: &str, d_o: &str, d: &str| (m.to_string(), y(so), y(s), y(d_o), y(d));
    assert_eq!(
        shares(&coop.book, 2019),
        [
            row("M001", "0", "0.33", "0", "0.01"),
            row("M002", "0", "0.33", "0", "0.01"),
            row("M003", "0", "0.34", "0", "0.00"),
        ]
    );
    coop.ok(Event::DonationReceived {
        donor: "爱心企业".into(),
        date: date!(2020 - 04 - 01),
        amount: y("100"),
        into: CashAccount::Bank,
    });
    coop.close(2020, policy);
    assert_eq!(
        shares(&coop.book, 2020),
        [
            row("M001", "0.33", "0.34", "0.01", "33.34"),
            row("M002", "0.33", "0.33", "0.01", "33.34"),
            row("M003", "0.34", "0.33", "0.00", "33.34"),
        ]
    );
    // The columns add back to the ledger: 311 is 101.02, of which 100.02 donated.
    for year in [2019, 2020] {
        let rows = report::member_accounts(&coop.book, year).unwrap_or_else(|e| panic!("{e}"));
        let total = |f: fn(&report::MemberAccountRow) -> Yuan| {
            Yuan::checked_sum(rows.iter().map(f)).unwrap_or_else(|e| panic!("{e}"))
        };
        let (subsidies, donations) = if year == 2019 {
            (y("1.00"), y("0.02"))
        } else {
            (y("1.00"), y("100.02"))
        };
        assert_eq!(
            (total(|r| r.subsidy_share), total(|r| r.donation_share)),
            (subsidies, donations),
            "{year}"
        );
    }
}

/// The book opens one sub-account of 114, 212, 213, 221, 222 and 301 for each member who
/// joins, and the ledger refuses sub-accounts under an account that has postings of its own.
/// A voucher posting to one of them before the first member joins (capital entered by hand
/// as Dr 102 / Cr 301) is refused, naming the account: accepted, it would have left the book
/// unable to take any member ever after (ParentHasPostings on every MemberJoined), with no
/// member accounts to report. The refused voucher leaves the book as it was.
#[test]
fn a_voucher_to_a_members_control_account_before_any_member_is_refused() {
    for control in ["114", "212", "213", "221", "222", "301"] {
        let mut coop = Coop::new();
        let before = coop.book.clone();
        let voucher = Event::ManualEntry {
            date: date!(2019 - 01 - 02),
            memo: "by hand".into(),
            postings: vec![
                Posting {
                    account: code("102"),
                    side: Side::Debit,
                    amount: y("100"),
                },
                Posting {
                    account: code(control),
                    side: Side::Credit,
                    amount: y("100"),
                },
            ],
        };
        assert_eq!(
            coop.book.apply(id("v1"), voucher).err(),
            Some(Error::Pool(PoolError::NotAllowed {
                what: "manual entry v1".into(),
                reason: format!(
                    "it posts to {control} itself, whose sub-accounts the book opens, one for \
                     each member: post to a member's sub-account ({control}.<member>)"
                ),
            })),
            "{control}"
        );
        assert!(
            coop.book == before,
            "{control}: the refused voucher changed the book"
        );
        // Members still join, and their sub-accounts take the voucher.
        coop.join("M001", date!(2019 - 01 - 01));
        coop.voucher(
            date!(2019 - 01 - 02),
            "102",
            &format!("{control}.M001"),
            "100",
        );
    }
}

/// Signs of the lines that read one side of an account, and the member current accounts
/// split by side: an advance to one member (114 in debit) is a receivable (line 2), a
/// deposit owed back to another (114 in credit) a payable (line 24); a disposal account in
/// credit is a negative line 14, taxes paid ahead a negative line 27.
#[test]
fn balance_sheet_lines_read_each_side_with_its_sign() {
    let mut coop = Coop::new();
    coop.join("M001", date!(2019 - 01 - 01));
    coop.join("M002", date!(2019 - 01 - 01));
    coop.capital("M001", date!(2019 - 01 - 02), "10000");
    coop.voucher(date!(2019 - 02 - 01), "114.M001", "102", "300");
    coop.voucher(date!(2019 - 02 - 02), "102", "114.M002", "200");
    coop.voucher(date!(2019 - 03 - 01), "102", "154", "50");
    coop.voucher(date!(2019 - 04 - 01), "214", "102", "80");
    coop.voucher(date!(2019 - 12 - 31), "113", "501", "1000");
    let sheet = report::balance_sheet(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    expect(
        &sheet.lines,
        42,
        &[
            (1, "9870", "0"),
            (2, "1300", "0"),
            (5, "11170", "0"),
            (14, "-50", "0"),
            (15, "-50", "0"),
            (21, "-50", "0"),
            (22, "11120", "0"),
            (24, "200", "0"),
            (27, "-80", "0"),
            (31, "120", "0"),
            (35, "120", "0"),
            (36, "10000", "0"),
            (40, "1000", "0"),
            (41, "11000", "0"),
            (42, "11120", "0"),
        ],
    );
}
