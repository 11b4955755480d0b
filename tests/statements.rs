//! The statements of the 2021 system (会农社01表, 02表, 03表) on books an accountant keeps:
//! what each line reads and what is refused, and why.

use landpool::ledger::{Posting, Side};
use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;

mod common;
use common::{code, id, yuan};

struct Coop {
    book: Book,
    next: u32,
}

impl Coop {
    /// One household with 50,000 of capital in the bank from 2019-01-02.
    fn new() -> Coop {
        let mut coop = Coop {
            book: Book::new(),
            next: 0,
        };
        coop.ok(Event::MemberJoined {
            member: Member {
                id: id("M001"),
                name: "王建国".into(),
                kind: MemberKind::Household { persons: 4 },
                village: "高格庄".into(),
                joined: date!(2019 - 01 - 01),
                left: None,
            },
        });
        coop.ok(Event::CapitalContributed {
            member: id("M001"),
            date: date!(2019 - 01 - 02),
            amount: yuan("50000"),
            into: CashAccount::Bank,
            source: CapitalSource::Other,
            premium: Yuan::ZERO,
        });
        coop
    }

    fn ok(&mut self, event: Event) {
        self.next += 1;
        self.book
            .apply(id(&format!("e{}", self.next)), event)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// A voucher entered by hand: `debit` / `credit` for `amount` on `date`.
    fn voucher(&mut self, date: time::Date, debit: &str, credit: &str, amount: &str) {
        self.ok(Event::ManualEntry {
            date,
            memo: format!("{debit} / {credit}"),
            postings: vec![
                Posting {
                    account: code(debit),
                    side: Side::Debit,
                    amount: yuan(amount),
                },
                Posting {
                    account: code(credit),
                    side: Side::Credit,
                    amount: yuan(amount),
                },
            ],
        });
    }
}

/// A stock-take loss waiting for approval sits in 181 待处理财产损溢, which has no line on
/// the balance sheet: the system has it dealt with before the year is closed. The sheet of
/// the open year names the account and the amount instead of calling the book broken, and
/// the close is refused (leaving the book as it was): a year closed with it would have had
/// no balance sheet, that year's or any later year's (its opening column), ever again. Once
/// written off, the year closes and its sheets are drawn.
#[test]
fn a_pending_property_loss_is_dealt_with_before_the_close() {
    let mut coop = Coop::new();
    coop.voucher(date!(2019 - 05 - 01), "121", "102", "800");
    // Stock-take: 300 of materials missing, pending approval.
    coop.voucher(date!(2019 - 11 - 30), "181", "121", "300");
    let pending = |what: &str| {
        Error::Pool(PoolError::NotAllowed {
            what: what.into(),
            reason: "181 待处理财产损溢 (property losses and gains pending) holds a debit \
                     balance (losses) of 300.00 on 2019-12-31, and the balance sheet has no line \
                     for it: deal with it (Dr 529 其他支出 or Cr 502 其他收入) before the year is \
                     closed"
                .into(),
        })
    };
    assert_eq!(
        report::balance_sheet(&coop.book, 2019).err(),
        Some(pending("balance sheet 2019, closing column"))
    );
    // The next year's sheet shows the same in its opening column.
    assert_eq!(
        report::balance_sheet(&coop.book, 2020).err(),
        Some(pending("balance sheet 2020, opening column"))
    );
    let before = coop.book.clone();
    let close = Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(dec!(10), dec!(60)),
    };
    assert_eq!(
        coop.book.apply(id("close-2019"), close.clone()).err(),
        Some(pending("closing 2019"))
    );
    assert!(coop.book == before, "the refused close changed the book");
    // Approved as a loss: the sheet is drawn and balances, and the year closes.
    coop.voucher(date!(2019 - 12 - 20), "529", "181", "300");
    let sheet = report::balance_sheet(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| sheet.line(n).map(|l| l.current);
    assert_eq!(line(3), Some(yuan("500")));
    assert_eq!(line(22), Some(yuan("49700")));
    assert_eq!(line(40), Some(yuan("-300")));
    assert_eq!(line(42), Some(yuan("49700")));
    coop.ok(close);
    let sheet = report::balance_sheet(&coop.book, 2020).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| sheet.line(n).map(|l| l.previous);
    assert_eq!(line(22), Some(yuan("49700")));
    assert_eq!(line(40), Some(yuan("-300")));
}

/// The balance sheet on any day (a month's or a quarter's, as a town's office asks for
/// them): the closing column at the end of the day, the opening column at the end of the
/// year before; the year's result so far in line 40 while the year is open; refused on a day
/// 181 待处理财产损溢 holds a balance, which the sheet has no line for, with the day named;
/// on the 31st of December the year's sheet; and in the next year opening with the year's
/// closing column.
#[test]
fn the_balance_sheet_on_any_day_opens_with_the_year_and_closes_with_the_day() {
    let mut coop = Coop::new();
    coop.voucher(date!(2019 - 03 - 10), "523", "102", "1200");
    coop.voucher(date!(2019 - 05 - 01), "121", "102", "800");
    coop.voucher(date!(2019 - 11 - 30), "181", "121", "300");
    let sheet =
        |book: &Book, day| report::balance_sheet_at(book, day).unwrap_or_else(|e| panic!("{e}"));
    let lines = |sheet: &report::BalanceSheet, numbers: &[u8]| -> Vec<(u8, String, String)> {
        numbers
            .iter()
            .filter_map(|&n| sheet.line(n))
            .map(|l| (l.line, l.current.to_string(), l.previous.to_string()))
            .collect()
    };
    let row = |n: u8, current: &str, previous: &str| (n, current.to_string(), previous.to_string());
    // End of March: the capital in the bank less the expense, which is the year's loss so far.
    let march = sheet(&coop.book, date!(2019 - 03 - 31));
    assert_eq!((march.year, march.date), (2019, date!(2019 - 03 - 31)));
    assert_eq!(
        lines(&march, &[1, 3, 22, 36, 40, 41, 42]),
        [
            row(1, "48800.00", "0.00"),
            row(3, "0.00", "0.00"),
            row(22, "48800.00", "0.00"),
            row(36, "50000.00", "0.00"),
            row(40, "-1200.00", "0.00"),
            row(41, "48800.00", "0.00"),
            row(42, "48800.00", "0.00"),
        ]
    );
    // The day before the stock-take the materials are inventory.
    let before = sheet(&coop.book, date!(2019 - 11 - 29));
    assert_eq!(
        lines(&before, &[1, 3, 22, 42]),
        [
            row(1, "48000.00", "0.00"),
            row(3, "800.00", "0.00"),
            row(22, "48800.00", "0.00"),
            row(42, "48800.00", "0.00"),
        ]
    );
    // From the stock-take on, 300 is pending in 181 and the sheet is refused, naming the day.
    assert_eq!(
        report::balance_sheet_at(&coop.book, date!(2019 - 11 - 30)).err(),
        Some(Error::Pool(PoolError::NotAllowed {
            what: "balance sheet on 2019-11-30, closing column".into(),
            reason: "181 待处理财产损溢 (property losses and gains pending) holds a debit \
                     balance (losses) of 300.00 on 2019-11-30, and the balance sheet has no line \
                     for it: deal with it (Dr 529 其他支出 or Cr 502 其他收入) before the year is \
                     closed"
                .into(),
        }))
    );
    // Written off on 20 December: the year's last day is the year's sheet.
    coop.voucher(date!(2019 - 12 - 20), "529", "181", "300");
    let year_end = sheet(&coop.book, date!(2019 - 12 - 31));
    assert_eq!(
        Some(&year_end),
        report::balance_sheet(&coop.book, 2019).ok().as_ref()
    );
    assert_eq!(
        lines(&year_end, &[3, 22, 40]),
        [
            row(3, "500.00", "0.00"),
            row(22, "48500.00", "0.00"),
            row(40, "-1500.00", "0.00"),
        ]
    );
    // Closed, the next year's sheets open with 2019's closing column whatever their day.
    coop.ok(Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(dec!(10), dec!(60)),
    });
    coop.voucher(date!(2020 - 02 - 14), "102", "502", "700");
    let february = sheet(&coop.book, date!(2020 - 02 - 29));
    assert_eq!(february.year, 2020);
    for (line, closed) in february.lines.iter().zip(&year_end.lines) {
        assert_eq!((line.line, line.previous), (closed.line, closed.current));
    }
    assert_eq!(
        lines(&february, &[1, 22, 40]),
        [
            row(1, "48700.00", "48000.00"),
            row(22, "49200.00", "48500.00"),
            row(40, "-800.00", "-1500.00"),
        ]
    );
}

/// The ledger of an account (明细账) lists each posting of the period in date order, a
/// voucher dated back before one entered earlier among them, with the balance after each;
/// opens at the balance before the period and closes at the trial balance's; totals each
/// month for the month and for its year to date (which counts January, before the period);
/// crosses into the next year with that year's own year to date; and, for a parent, lists
/// its sub-accounts' postings, a credit balance written 贷.
#[test]
fn an_accounts_ledger_follows_each_posting_to_its_balance() {
    let mut coop = Coop::new();
    coop.voucher(date!(2019 - 03 - 10), "101", "102", "2000");
    coop.voucher(date!(2019 - 02 - 15), "523", "102", "300");
    coop.voucher(date!(2019 - 03 - 25), "102", "502", "1000.50");
    coop.voucher(date!(2020 - 01 - 05), "101", "102", "100");
    let bank = code("102");
    let ledger = report::account_ledger(
        &coop.book,
        &bank,
        date!(2019 - 02 - 01),
        date!(2019 - 12 - 31),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<(String, &str, Side, Yuan, Yuan)> = ledger
        .lines
        .iter()
        .map(|l| {
            (
                l.date.to_string(),
                l.entry.as_str(),
                l.side,
                l.amount,
                l.balance,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                "2019-02-15".into(),
                "e4",
                Side::Credit,
                yuan("300"),
                yuan("49700")
            ),
            (
                "2019-03-10".into(),
                "e3",
                Side::Credit,
                yuan("2000"),
                yuan("47700")
            ),
            (
                "2019-03-25".into(),
                "e5",
                Side::Debit,
                yuan("1000.50"),
                yuan("48700.50")
            ),
        ]
    );
    assert_eq!(ledger.lines[0].memo.as_str(), "523 / 102");
    // Its JSON form: dates as ISO strings, amounts as strings; it reads back the same.
    let json = serde_json::to_value(&ledger).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (&json["from"], &json["opening"], &json["name_zh"]),
        (
            &serde_json::json!("2019-02-01"),
            &serde_json::json!("50000.00"),
            &serde_json::json!("银行存款")
        )
    );
    assert_eq!(json["months"][1]["year_debits"], "51000.50");
    assert_eq!(
        serde_json::from_value::<report::AccountLedger>(json)
            .ok()
            .as_ref(),
        Some(&ledger)
    );
    assert_eq!(ledger.opening, yuan("50000"));
    assert_eq!(
        (ledger.debits, ledger.credits, ledger.closing),
        (yuan("1000.50"), yuan("2300"), yuan("48700.50"))
    );
    let trial = coop
        .book
        .journal()
        .trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(trial.row(&bank).map(|r| r.closing), Some(ledger.closing));
    let months: Vec<_> = ledger
        .months
        .iter()
        .map(|m| {
            (
                m.month,
                m.debits,
                m.credits,
                m.year_debits,
                m.year_credits,
                m.balance,
            )
        })
        .collect();
    assert_eq!(
        months,
        [
            (
                2,
                Yuan::ZERO,
                yuan("300"),
                yuan("50000"),
                yuan("300"),
                yuan("49700")
            ),
            (
                3,
                yuan("1000.50"),
                yuan("2000"),
                yuan("51000.50"),
                yuan("2300"),
                yuan("48700.50")
            ),
        ]
    );
    let csv = ledger.to_csv();
    assert!(csv.contains(
        "\r\n2019-02-01,,期初余额 Opening balance,102,,,借,50000.00\r\n\
         2019-02-15,e4,523 / 102,102,,300.00,借,49700.00\r\n\
         2019-02-28,,本月合计 Month total,102,0.00,300.00,借,49700.00\r\n\
         2019-02-28,,本年累计 Year to date,102,50000.00,300.00,借,49700.00\r\n\
         2019-03-10,e3,101 / 102,102,,2000.00,借,47700.00\r\n"
    ));
    assert!(csv
        .ends_with("\r\n2019-12-31,,期末余额 Closing balance,102,1000.50,2300.00,借,48700.50\r\n"));

    // Into 2020: January's year to date is 2020's alone.
    let across = report::account_ledger(
        &coop.book,
        &bank,
        date!(2019 - 02 - 01),
        date!(2020 - 01 - 31),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let january = across.months.last().copied();
    assert_eq!(
        january.map(|m| (m.year, m.month, m.year_debits, m.year_credits, m.balance)),
        Some((2020, 1, Yuan::ZERO, yuan("100"), yuan("48600.50")))
    );

    // 301 holds the member's capital on its sub-account: a credit balance.
    let capital = report::account_ledger(
        &coop.book,
        &code("301"),
        date!(2019 - 01 - 01),
        date!(2019 - 12 - 31),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(capital.lines.len(), 1);
    assert_eq!(capital.lines[0].account.as_str(), "301.M001");
    assert_eq!(capital.closing, yuan("-50000"));
    assert!(capital
        .to_csv()
        .ends_with(",期末余额 Closing balance,301,0.00,50000.00,贷,50000.00\r\n"));
}

/// 序时账: the year's entries in date order, a voucher dated back among them by its date,
/// each posting a row with its account's names, the member's sub-account of share capital
/// by name, and the year's totals; the next year's entry is left out. The trial balance's
/// movement of each account is the sum of its rows.
#[test]
fn the_journal_listing_lists_each_posting_by_date_with_the_years_totals() {
    let mut coop = Coop::new();
    coop.voucher(date!(2019 - 03 - 10), "101", "102", "2000");
    coop.voucher(date!(2019 - 02 - 15), "523", "102", "300");
    coop.voucher(date!(2019 - 03 - 10), "102", "502", "1000.50");
    coop.voucher(date!(2020 - 01 - 05), "101", "102", "100");
    let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
    let listing = report::journal_listing(&coop.book, from, to).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = listing.entries().map(|entry| entry.id.as_str()).collect();
    assert_eq!(ids, ["e2", "e4", "e3", "e5"]);
    assert_eq!(listing.postings(), 8);
    assert_eq!(
        (listing.debits(), listing.credits()),
        (yuan("53300.50"), yuan("53300.50"))
    );
    assert_eq!(
        listing.to_csv(),
        "\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目编码 Code,科目名称,Account,借方 Debit,贷方 Credit\r\n\
         2019-01-02,e2,成员出资 capital contributed by M001,102,银行存款,Bank deposits,50000.00,\r\n\
         2019-01-02,e2,成员出资 capital contributed by M001,301.M001,股金—王建国,share capital — M001,,50000.00\r\n\
         2019-02-15,e4,523 / 102,523,管理费用,Administrative expenses,300.00,\r\n\
         2019-02-15,e4,523 / 102,102,银行存款,Bank deposits,,300.00\r\n\
         2019-03-10,e3,101 / 102,101,库存现金,Cash on hand,2000.00,\r\n\
         2019-03-10,e3,101 / 102,102,银行存款,Bank deposits,,2000.00\r\n\
         2019-03-10,e5,102 / 502,102,银行存款,Bank deposits,1000.50,\r\n\
         2019-03-10,e5,102 / 502,502,其他收入,Other income,,1000.50\r\n\
         2019-12-31,,合计 Total,,,,53300.50,53300.50\r\n"
    );
    let trial = coop
        .book
        .journal()
        .trial_balance(from, to)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        trial.row(&code("102")).map(|r| (r.debits, r.credits)),
        Some((yuan("51000.50"), yuan("2300")))
    );
    // Printed as vouchers (记账凭证), one to a page: the voucher dated back comes second,
    // and each voucher's total is in figures and in capitals.
    let vouchers = listing.vouchers_html("高格庄合作社");
    let sections: Vec<&str> = vouchers
        .split("<section class=\"voucher\">")
        .skip(1)
        .collect();
    assert_eq!(sections.len(), 4);
    assert!(sections[1].contains("<span>2019年02月15日</span><span>凭证号 No. e4</span>"));
    assert!(sections[3].contains(
        "<tr><td>102 / 502</td><td>502 其他收入</td><td></td><td class=\"amount\"></td>\
         <td class=\"amount\">1000.50</td></tr>\n\
         <tr class=\"total\"><th colspan=\"3\">合计 Total (人民币壹仟元零伍角整)</th>\
         <td class=\"amount\">1000.50</td><td class=\"amount\">1000.50</td></tr>\n"
    ));
    assert!(sections[0].contains("<td>301 股金</td><td>301.M001 股金—王建国</td>"));
    // The next year's January: the one voucher.
    let next = report::journal_listing(&coop.book, date!(2020 - 01 - 01), date!(2020 - 01 - 31))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(next.to_csv().lines().count(), 4);
    assert_eq!(next.debits(), yuan("100"));
    // Its JSON: the period, the totals as strings and each entry in `Entry`'s form.
    let json = serde_json::to_value(&next).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (
            &json["from"],
            &json["to"],
            &json["postings"],
            &json["credits"]
        ),
        (
            &serde_json::json!("2020-01-01"),
            &serde_json::json!("2020-01-31"),
            &serde_json::json!(2),
            &serde_json::json!("100.00")
        )
    );
    assert_eq!(json["entries"][0]["id"], "e6");
    assert_eq!(json["entries"][0]["postings"][1]["account"], "102");
}

/// The reference cooperative's 总账 for 2019: each standard account's months, as the
/// accountant copies them into the printed book, and the year's total, the journal's.
#[test]
fn the_general_ledger_gives_each_standard_accounts_months_of_the_reference_year() {
    let book = folder::BookFolder::reference()
        .and_then(|folder| folder.run())
        .unwrap_or_else(|e| panic!("{e}"));
    let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
    let ledger = report::general_ledger(&book, from, to).unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<&str> = ledger.accounts.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "102", "114", "151", "152", "213", "215", "221", "222", "231", "235", "301", "311",
            "322", "331", "332", "501", "521", "523", "524"
        ]
    );
    assert_eq!(
        (ledger.debits, ledger.credits),
        (yuan("21452600"), yuan("21452600"))
    );
    let csv = ledger.to_csv();
    let rows: Vec<&str> = csv.lines().collect();
    // The header, then the bank's page: months without postings (February, May, July and
    // September to November) are not listed.
    assert_eq!(
        rows[..15].join("\n"),
        "\u{feff}科目编码 Code,科目名称,Account,日期 Date,摘要 Memo,借方 Debit,贷方 Credit,借或贷 Dr/Cr,余额 Balance\n\
         102,银行存款,Bank deposits,2019-01-01,期初余额 Opening balance,,,平,0.00\n\
         102,银行存款,Bank deposits,2019-01-31,本月合计 Month total,1630000.00,1680000.00,贷,50000.00\n\
         102,银行存款,Bank deposits,2019-01-31,本年累计 Year to date,1630000.00,1680000.00,贷,50000.00\n\
         102,银行存款,Bank deposits,2019-03-31,本月合计 Month total,0.00,464000.00,贷,514000.00\n\
         102,银行存款,Bank deposits,2019-03-31,本年累计 Year to date,1630000.00,2144000.00,贷,514000.00\n\
         102,银行存款,Bank deposits,2019-04-30,本月合计 Month total,0.00,90000.00,贷,604000.00\n\
         102,银行存款,Bank deposits,2019-04-30,本年累计 Year to date,1630000.00,2234000.00,贷,604000.00\n\
         102,银行存款,Bank deposits,2019-06-30,本月合计 Month total,0.00,48000.00,贷,652000.00\n\
         102,银行存款,Bank deposits,2019-06-30,本年累计 Year to date,1630000.00,2282000.00,贷,652000.00\n\
         102,银行存款,Bank deposits,2019-08-31,本月合计 Month total,4000000.00,0.00,借,3348000.00\n\
         102,银行存款,Bank deposits,2019-08-31,本年累计 Year to date,5630000.00,2282000.00,借,3348000.00\n\
         102,银行存款,Bank deposits,2019-12-31,本月合计 Month total,10875.00,1264800.00,借,2094075.00\n\
         102,银行存款,Bank deposits,2019-12-31,本年累计 Year to date,5640875.00,3546800.00,借,2094075.00\n\
         102,银行存款,Bank deposits,2019-12-31,期末余额 Closing balance,5640875.00,3546800.00,借,2094075.00"
    );
    // The wages payable (213): accrued each quarter, paid out in December.
    let wages: Vec<&str> = rows
        .iter()
        .copied()
        .filter(|row| row.starts_with("213,"))
        .collect();
    assert_eq!(
        wages[wages.len() - 3..],
        [
            "213,应付劳务费,Labour fees payable,2019-12-31,本月合计 Month total,1168800.00,292500.00,平,0.00",
            "213,应付劳务费,Labour fees payable,2019-12-31,本年累计 Year to date,1168800.00,1168800.00,平,0.00",
            "213,应付劳务费,Labour fees payable,2019-12-31,期末余额 Closing balance,1168800.00,1168800.00,平,0.00",
        ]
    );
    assert_eq!(
        rows.last().copied(),
        Some(",,,2019-12-31,合计 Total,21452600.00,21452600.00,,")
    );
    // The year's total is the journal listing's, and each page's closing the trial balance's.
    let listing = report::journal_listing(&book, from, to).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(listing.debits(), ledger.debits);
    let trial = book
        .journal()
        .trial_balance(from, to)
        .unwrap_or_else(|e| panic!("{e}"));
    for account in &ledger.accounts {
        assert_eq!(
            trial.row(&account.code).map(|row| row.closing),
            Some(account.closing)
        );
    }
    // The second half of the year: 102 opens at the end of June, and its December year to
    // date still counts from January.
    let half =
        report::general_ledger(&book, date!(2019 - 07 - 01), to).unwrap_or_else(|e| panic!("{e}"));
    let bank = half
        .account(&code("102"))
        .unwrap_or_else(|| panic!("no 102"));
    assert_eq!(bank.opening, yuan("-652000"));
    let months: Vec<(u8, Yuan, Yuan)> = bank
        .months
        .iter()
        .map(|m| (m.month, m.debits, m.year_debits))
        .collect();
    assert_eq!(
        months,
        [
            (8, yuan("4000000"), yuan("5630000")),
            (12, yuan("10875"), yuan("5640875"))
        ]
    );
}

/// A county's summary (汇总) of two cooperatives: the reference cooperative's 2019 and a
/// one-household cooperative's (50,000 of capital, 1,200 of office expenses in March), each
/// statement the two added line by line, in either order; and a summary of one is its own.
#[test]
fn the_summary_of_two_cooperatives_adds_their_statements_line_by_line() {
    let reference = folder::BookFolder::reference()
        .and_then(|folder| folder.run())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut small = Coop::new();
    small.voucher(date!(2019 - 03 - 10), "523", "102", "1200");
    let books = [&reference, &small.book];
    fn ok<T>(result: Result<T>) -> T {
        result.unwrap_or_else(|e| panic!("{e}"))
    }
    let sheets = books.map(|book| ok(report::balance_sheet(book, 2019)));
    let surpluses = books.map(|book| ok(report::surplus_statement(book, 2019)));
    let equities = books.map(|book| ok(report::member_equity(book, 2019)));

    let sheet = ok(report::summary_balance_sheet(&sheets));
    let closing = |n: u8| {
        sheet
            .line(n)
            .map(|l| (l.current.to_string(), l.previous.to_string()))
    };
    let row = |current: &str| Some((current.to_string(), "0.00".to_string()));
    assert_eq!((sheet.year, sheet.date), (2019, date!(2019 - 12 - 31)));
    assert_eq!(closing(1), row("2142875.00"));
    assert_eq!(closing(22), row("3676575.00"));
    assert_eq!(closing(36), row("380000.00"));
    assert_eq!(closing(40), row("-1200.00"));
    assert_eq!(closing(42), closing(22));
    let [big, one] = &sheets;
    assert_eq!(sheet.lines.len(), 42);
    for (n, ((line, a), b)) in (1..).zip(sheet.lines.iter().zip(&big.lines).zip(&one.lines)) {
        let added = [a.current, a.previous].map(|x| x.fen());
        let other = [b.current, b.previous].map(|x| x.fen());
        assert_eq!(
            (line.line, [line.current.fen(), line.previous.fen()]),
            (n, [added[0] + other[0], added[1] + other[1]])
        );
    }
    let swapped = [one.clone(), big.clone()];
    assert_eq!(ok(report::summary_balance_sheet(&swapped)), sheet);
    assert_eq!(
        ok(report::summary_balance_sheet(std::slice::from_ref(one))),
        *one
    );

    let surplus = ok(report::summary_surplus_statement(&surpluses));
    let this_year = |n: u8| surplus.line(n).map(|l| l.current.to_string());
    assert_eq!(this_year(1).as_deref(), Some("4000000.00"));
    assert_eq!(this_year(12).as_deref(), Some("1974825.00"));
    // The reference cooperative's bases, 1,778,422.50 each; the small one's year is not
    // closed (its first base 0) and its line 16 is its loss.
    assert_eq!(
        surplus.patronage_bases,
        (yuan("1778422.50"), yuan("1777222.50"))
    );

    let equity = ok(report::summary_member_equity(&equities));
    let capital = equity
        .columns
        .first()
        .map(|c| [c.opening, c.increase, c.decrease, c.closing].map(|amount| amount.to_string()));
    assert_eq!(
        capital,
        Some(["0.00", "380000.00", "0.00", "380000.00"].map(String::from))
    );
}
