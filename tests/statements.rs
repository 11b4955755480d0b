//! The statements of the 2021 system (会农社01表, 02表, 03表) on books an accountant keeps:
//! what each line reads and what is refused, and why.

use landpool::ledger::{AccountCode, Posting, Side};
use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;

fn id<T: std::str::FromStr<Err = Error>>(text: &str) -> T {
    text.parse()
        .unwrap_or_else(|e| panic!("bad id {text}: {e}"))
}

fn yuan(text: &str) -> Yuan {
    text.parse()
        .unwrap_or_else(|e| panic!("bad amount {text}: {e}"))
}

fn code(text: &str) -> AccountCode {
    AccountCode::new(text).unwrap_or_else(|e| panic!("bad code {text}: {e}"))
}

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
/// the balance sheet (the system has it dealt with before the year end). The sheet names the
/// account and the amount instead of calling the book broken; once written off, it is drawn.
#[test]
fn a_pending_property_loss_is_named_not_called_a_broken_book() {
    let mut coop = Coop::new();
    coop.voucher(date!(2019 - 05 - 01), "121", "102", "800");
    // Stock-take: 300 of materials missing, pending approval.
    coop.voucher(date!(2019 - 11 - 30), "181", "121", "300");
    let refused = report::balance_sheet(&coop.book, 2019);
    let expected = Error::Pool(PoolError::NotAllowed {
        what: "balance sheet 2019, closing column".into(),
        reason: "181 待处理财产损溢 (property losses and gains pending) holds a debit \
                 balance (losses) of 300.00 on 2019-12-31, and the balance sheet has no line for it: deal with it (Dr 529 \
                 其他支出 or Cr 502 其他收入) before the year is closed"
            .into(),
    });
    assert_eq!(refused, Err(expected));
    // The next year's sheet shows the same in its opening column.
    let refused = report::balance_sheet(&coop.book, 2020).map(|_| ());
    assert!(
        refused.as_ref().is_err_and(|e| e
            .to_string()
            .starts_with("balance sheet 2020, opening column: 181 待处理财产损溢")),
        "{refused:?}"
    );
    // Approved as a loss: the sheet is drawn and balances.
    coop.voucher(date!(2019 - 12 - 20), "529", "181", "300");
    let sheet = report::balance_sheet(&coop.book, 2019).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| sheet.line(n).map(|l| l.current);
    assert_eq!(line(3), Some(yuan("500")));
    assert_eq!(line(22), Some(yuan("49700")));
    assert_eq!(line(40), Some(yuan("-300")));
    assert_eq!(line(42), Some(yuan("49700")));
}
