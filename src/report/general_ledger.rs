//! 总账: the general ledger, each standard account's opening balance, each month's debits
//! and credits with its year to date and balance, and its closing balance, as the third of
//! the books a cooperative keeps beside the 明细账 and the 序时账.

use serde::{Deserialize, Serialize};
use time::Date;

use super::account_ledger::{balance_cells, month_end, month_of};
use super::{AccountLedgerMonth, Csv};
use crate::ledger::balances::{Series, Sums};
use crate::ledger::{span, AccountCode, Name, Side};
use crate::{Book, Result, Yuan};

/// The columns of [`GeneralLedger::to_csv`].
const COLUMNS: [&str; 9] = [
    "科目编码 Code",
    "科目名称",
    "Account",
    "日期 Date",
    "摘要 Memo",
    "借方 Debit",
    "贷方 Credit",
    "借或贷 Dr/Cr",
    "余额 Balance",
];

/// 总账 (三栏式): every standard account (一级科目) posted to by the end of a period, with its
/// balance before the period, the totals of each month of the period it was posted to in
/// (本月合计, and 本年累计 from the first of January), and its balance at the period's end;
/// and the period's debits and credits over all of them, which are equal.
///
/// An account's figures include its sub-accounts' (a member's 114.H01 is in 114). Balances
/// are debits minus credits, as in a [`TrialBalanceRow`](crate::ledger::TrialBalanceRow):
/// negative for a credit balance; the CSV writes them as 借 or 贷 and the amount.
///
/// serde: `{"from":"YYYY-MM-DD","to":…,"accounts":[…],"debits":"…","credits":"…"}`.
///
/// # Example
///
/// The reference cooperative's year, from [`general_ledger`]:
///
/// ```
/// use landpool::ledger::AccountCode;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
/// let ledger = landpool::report::general_ledger(&book, from, to)?;
/// // Every account's closing balance is the journal's, and its movement the trial balance's.
/// let tb = book.journal().trial_balance(from, to)?;
/// for account in &ledger.accounts {
///     let row = tb.row(&account.code).ok_or("not in the trial balance")?;
///     assert_eq!((account.debits, account.credits, account.closing), (row.debits, row.credits, row.closing));
/// }
/// // The period's debits equal its credits.
/// assert_eq!(ledger.debits, ledger.credits);
/// assert_eq!(ledger.debits, tb.totals.debits);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralLedger {
    /// The period's first day.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::from"
    )]
    pub from: Date,
    /// The period's last day.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::to"
    )]
    pub to: Date,
    /// Each standard account posted to on or before `to`, in code order.
    pub accounts: Vec<GeneralLedgerAccount>,
    /// The period's debits over all accounts.
    pub debits: Yuan,
    /// The period's credits over all accounts (equal to the debits).
    pub credits: Yuan,
}

/// One standard account of a [`GeneralLedger`]: its page of the 总账.
///
/// # Example
///
/// ```
/// use landpool::ledger::AccountCode;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let ledger = landpool::report::general_ledger(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// let bank = ledger.account(&AccountCode::new("102")?).ok_or("no 102")?;
/// assert_eq!(bank.name_zh, "银行存款");
/// // The months' balances run from the opening to the closing.
/// assert_eq!(bank.months.last().map(|month| month.balance), Some(bank.closing));
/// assert_eq!(bank.closing, bank.opening.checked_add(bank.debits)?.checked_sub(bank.credits)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralLedgerAccount {
    /// The standard account's code (`102`).
    pub code: AccountCode,
    /// Its Chinese name.
    pub name_zh: Name,
    /// Its English name.
    pub name_en: Name,
    /// The side its balance is normally on.
    pub normal_side: Side,
    /// The balance before the period (期初余额).
    pub opening: Yuan,
    /// Each month of the period with postings to the account or its sub-accounts, in order.
    pub months: Vec<AccountLedgerMonth>,
    /// The period's debits.
    pub debits: Yuan,
    /// The period's credits.
    pub credits: Yuan,
    /// The balance at the period's end (期末余额): `opening + debits − credits`.
    pub closing: Yuan,
}

impl GeneralLedger {
    /// The page of the standard account `code`, if it was posted to by the period's end.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    ///
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let ledger = landpool::report::general_ledger(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert!(ledger.account(&AccountCode::new("114")?).is_some());
    /// // A sub-account has no page of its own: its figures are in its standard account's.
    /// assert!(ledger.account(&AccountCode::new("114.H01")?).is_none());
    /// // Nor has an account nothing was posted to.
    /// assert!(ledger.account(&AccountCode::new("101")?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn account(&self, code: &AccountCode) -> Option<&GeneralLedgerAccount> {
        self.accounts
            .binary_search_by(|account| account.code.cmp(code))
            .ok()
            .and_then(|at| self.accounts.get(at))
    }

    /// The general ledger as CSV (UTF-8 with BOM), Chinese and English labels, in the
    /// columns of a printed three-column 总账: the account's code and names, date, memo,
    /// debit, credit, 借 or 贷 (平 for zero) and the balance. Each account's rows start with
    /// its opening balance, give each month with postings its month total (本月合计) and
    /// year to date (本年累计), dated the month's last day in the period, and end with its
    /// closing balance beside the period's debits and credits; a last row holds the
    /// period's totals (合计).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry};
    /// use landpool::{Book, Event};
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// for (id, date, amount) in [
    ///     ("e1", date!(2019 - 01 - 05), "500"),
    ///     ("e2", date!(2019 - 03 - 20), "300"),
    /// ] {
    ///     let entry = Entry::new(id, date, "提现 cash drawn")
    ///         .debit(AccountCode::new("101")?, amount.parse()?)
    ///         .credit(AccountCode::new("102")?, amount.parse()?);
    ///     book.apply(id.parse()?, Event::ManualEntry {
    ///         date, memo: entry.memo.to_string(), postings: entry.postings,
    ///     })?;
    /// }
    /// let ledger = landpool::report::general_ledger(
    ///     &book, date!(2019 - 02 - 01), date!(2019 - 12 - 31),
    /// )?;
    /// assert_eq!(
    ///     ledger.to_csv(),
    ///     "\u{feff}科目编码 Code,科目名称,Account,日期 Date,摘要 Memo,借方 Debit,贷方 Credit,\
    ///      借或贷 Dr/Cr,余额 Balance\r\n\
    ///      101,库存现金,Cash on hand,2019-02-01,期初余额 Opening balance,,,借,500.00\r\n\
    ///      101,库存现金,Cash on hand,2019-03-31,本月合计 Month total,300.00,0.00,借,800.00\r\n\
    ///      101,库存现金,Cash on hand,2019-03-31,本年累计 Year to date,800.00,0.00,借,800.00\r\n\
    ///      101,库存现金,Cash on hand,2019-12-31,期末余额 Closing balance,300.00,0.00,借,800.00\r\n\
    ///      102,银行存款,Bank deposits,2019-02-01,期初余额 Opening balance,,,贷,500.00\r\n\
    ///      102,银行存款,Bank deposits,2019-03-31,本月合计 Month total,0.00,300.00,贷,800.00\r\n\
    ///      102,银行存款,Bank deposits,2019-03-31,本年累计 Year to date,0.00,800.00,贷,800.00\r\n\
    ///      102,银行存款,Bank deposits,2019-12-31,期末余额 Closing balance,0.00,300.00,贷,800.00\r\n\
    ///      ,,,2019-12-31,合计 Total,300.00,300.00,,\r\n"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new(&COLUMNS);
        let to = self.to.to_string();
        for account in &self.accounts {
            let (code, zh, en) = (
                account.code.as_str(),
                account.name_zh.as_str(),
                account.name_en.as_str(),
            );
            let (side, amount) = balance_cells(account.opening);
            csv.row(&[
                code,
                zh,
                en,
                &self.from.to_string(),
                "期初余额 Opening balance",
                "",
                "",
                side,
                &amount,
            ]);
            for month in &account.months {
                // A month read from JSON that is no month is dated the period's end.
                let last = time::Month::try_from(month.month)
                    .ok()
                    .and_then(|m| Date::from_calendar_date(month.year, m, 1).ok())
                    .map_or(self.to, |first| month_end(first).min(self.to))
                    .to_string();
                let (side, balance) = balance_cells(month.balance);
                for (label, debits, credits) in [
                    ("本月合计 Month total", month.debits, month.credits),
                    (
                        "本年累计 Year to date",
                        month.year_debits,
                        month.year_credits,
                    ),
                ] {
                    csv.row(&[
                        code,
                        zh,
                        en,
                        &last,
                        label,
                        &debits.to_string(),
                        &credits.to_string(),
                        side,
                        &balance,
                    ]);
                }
            }
            let (side, amount) = balance_cells(account.closing);
            csv.row(&[
                code,
                zh,
                en,
                &to,
                "期末余额 Closing balance",
                &account.debits.to_string(),
                &account.credits.to_string(),
                side,
                &amount,
            ]);
        }
        csv.row(&[
            "",
            "",
            "",
            &to,
            "合计 Total",
            &self.debits.to_string(),
            &self.credits.to_string(),
            "",
            "",
        ]);
        csv.finish()
    }
}

/// 总账 from `from` to `to`, both included: each standard account posted to on or before
/// `to`, in code order, with its opening balance, the months of the period with postings to
/// it (found from its running totals, one point a day with postings, so a county's book
/// takes as long as a cooperative's), and its closing balance.
///
/// # Errors
///
/// [`LedgerError::InvalidRange`](crate::ledger::LedgerError::InvalidRange) when `from` is
/// after `to`; [`crate::Error::Overflow`] for amounts out of range (not for valid books).
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, LedgerError};
/// use landpool::Error;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let ledger = landpool::report::general_ledger(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// // The members' current accounts (114): the year's rent paid to the members in advance in
/// // March, a debit until it is accrued to them in December.
/// let members = ledger.account(&AccountCode::new("114")?).ok_or("no 114")?;
/// let months: Vec<(u8, String, String)> = members
///     .months
///     .iter()
///     .map(|m| (m.month, m.debits.to_string(), m.credits.to_string()))
///     .collect();
/// assert_eq!(months, [
///     (3, "200000.00".to_string(), "0.00".to_string()),
///     (12, "0.00".to_string(), "200000.00".to_string()),
/// ]);
/// assert!(members.opening.is_zero() && members.closing.is_zero());
/// // A period that ends before it starts is refused.
/// let reversed = landpool::report::general_ledger(&book, date!(2019 - 12 - 31), date!(2019 - 01 - 01));
/// assert!(matches!(reversed, Err(Error::Ledger(LedgerError::InvalidRange { .. }))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn general_ledger(book: &Book, from: Date, to: Date) -> Result<GeneralLedger> {
    let journal = book.journal();
    let total = journal.total_movement(from, to)?;
    let mut accounts = Vec::new();
    for (node, account) in journal.chart().standard_nodes() {
        let Some(series) = journal.series_at(node) else {
            continue;
        };
        let through = series.through(to);
        if through.debits == 0 && through.credits == 0 {
            continue;
        }
        let opening = net(series.before(from))?;
        let during = span(series, from, to);
        let (debits, credits) = (
            Yuan::from_fen(during.debits),
            Yuan::from_fen(during.credits),
        );
        accounts.push(GeneralLedgerAccount {
            code: account.code.clone(),
            name_zh: account.name_zh.clone(),
            name_en: account.name_en.clone(),
            normal_side: account.normal_side,
            opening,
            months: months_of(series, (from, to), opening)?,
            debits,
            credits,
            closing: opening.checked_add(debits)?.checked_sub(credits)?,
        });
    }
    Ok(GeneralLedger {
        from,
        to,
        accounts,
        debits: total.debits,
        credits: total.credits,
    })
}

/// Debits less credits.
fn net(sums: Sums) -> Result<Yuan> {
    Yuan::from_fen(sums.debits).checked_sub(Yuan::from_fen(sums.credits))
}

/// The months from `from` to `to` with postings in `series` (an account's, its
/// sub-accounts' included), each with its totals in the period, its year to date and the
/// balance at its end, the balance running on from `opening`.
fn months_of(
    series: &Series,
    (from, to): (Date, Date),
    opening: Yuan,
) -> Result<Vec<AccountLedgerMonth>> {
    let mut months: Vec<AccountLedgerMonth> = Vec::new();
    let mut balance = opening;
    for day in series.dates_from(from).take_while(|day| *day <= to) {
        let (year, month) = month_of(day);
        if months
            .last()
            .is_some_and(|last| (last.year, last.month) == (year, month))
        {
            continue;
        }
        let first = day.replace_day(1).unwrap_or(day).max(from);
        let last = month_end(day).min(to);
        let within = span(series, first, last);
        let year_start = day.replace_ordinal(1).unwrap_or(day);
        let through = span(series, year_start, last);
        balance = balance.checked_add(net(within)?)?;
        months.push(AccountLedgerMonth {
            year,
            month,
            debits: Yuan::from_fen(within.debits),
            credits: Yuan::from_fen(within.credits),
            year_debits: Yuan::from_fen(through.debits),
            year_credits: Yuan::from_fen(through.credits),
            balance,
        });
    }
    Ok(months)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Entry;
    use crate::Event;
    use time::macros::date;

    /// A book with cash drawn from the bank on each `(id, date, fen)`.
    fn drawn(draws: &[(&str, Date, i64)]) -> Book {
        let mut book = Book::new();
        for &(id, date, fen) in draws {
            let entry = Entry::new(id, date, "提现")
                .debit(AccountCode::new("101").unwrap(), Yuan::from_fen(fen))
                .credit(AccountCode::new("102").unwrap(), Yuan::from_fen(fen));
            let event = Event::ManualEntry {
                date,
                memo: entry.memo.to_string(),
                postings: entry.postings,
            };
            book.apply(id.parse().unwrap(), event).unwrap();
        }
        book
    }

    #[test]
    fn the_months_are_those_with_postings_each_with_its_year_to_date() {
        let book = drawn(&[
            ("e1", date!(2018 - 11 - 03), 7_00),
            ("e2", date!(2019 - 01 - 05), 5_00),
            ("e3", date!(2019 - 01 - 25), 1_00),
            ("e4", date!(2019 - 03 - 20), 3_00),
            ("e5", date!(2019 - 03 - 31), 2_00),
            ("e6", date!(2020 - 02 - 01), 9_00),
        ]);
        // From mid-January: January's month total counts only e3, its year to date e2 too.
        let ledger = general_ledger(&book, date!(2019 - 01 - 10), date!(2019 - 12 - 31)).unwrap();
        let codes: Vec<_> = ledger.accounts.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes, ["101", "102"]);
        let cash = &ledger.accounts[0];
        assert_eq!(cash.opening, Yuan::from_fen(12_00));
        let months: Vec<_> = cash
            .months
            .iter()
            .map(|m| {
                let fen = [
                    m.debits,
                    m.credits,
                    m.year_debits,
                    m.year_credits,
                    m.balance,
                ];
                (m.year, m.month, fen.map(Yuan::fen))
            })
            .collect();
        assert_eq!(
            months,
            [
                (2019, 1, [1_00, 0, 6_00, 0, 13_00]),
                (2019, 3, [5_00, 0, 11_00, 0, 18_00]),
            ]
        );
        assert_eq!(cash.closing, Yuan::from_fen(18_00));
        // The bank's side mirrors it, a credit balance.
        let bank = &ledger.accounts[1];
        assert_eq!(bank.months[1].year_credits, Yuan::from_fen(11_00));
        assert_eq!(bank.closing, Yuan::from_fen(-18_00));
        // The period's totals: e3, e4 and e5, on each side.
        assert_eq!(
            (ledger.debits, ledger.credits),
            (Yuan::from_fen(6_00), Yuan::from_fen(6_00))
        );
        // A period of a day.
        let day = general_ledger(&book, date!(2019 - 03 - 31), date!(2019 - 03 - 31)).unwrap();
        let march = &day.accounts[0].months;
        assert_eq!(march.len(), 1);
        assert_eq!(
            (march[0].debits, march[0].year_debits),
            (Yuan::from_fen(2_00), Yuan::from_fen(11_00))
        );
    }

    #[test]
    fn an_account_posted_to_only_after_the_period_has_no_page_and_a_quiet_one_has_no_months() {
        let book = drawn(&[
            ("e1", date!(2018 - 11 - 03), 7_00),
            ("e2", date!(2021 - 01 - 05), 5_00),
        ]);
        let ledger = general_ledger(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31)).unwrap();
        // Posted to before the period: a page with its opening, no months, and no movement.
        let codes: Vec<_> = ledger.accounts.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes, ["101", "102"]);
        for account in &ledger.accounts {
            assert!(account.months.is_empty());
            assert_eq!(account.opening, account.closing);
            assert!(account.opening.fen().abs() == 7_00);
        }
        assert_eq!(ledger.debits, Yuan::ZERO);
        // Before the first posting: no page at all, and only the total row.
        let early = general_ledger(&book, date!(2017 - 01 - 01), date!(2017 - 12 - 31)).unwrap();
        assert!(early.accounts.is_empty());
        assert_eq!(
            early.to_csv(),
            "\u{feff}科目编码 Code,科目名称,Account,日期 Date,摘要 Memo,借方 Debit,贷方 Credit,\
             借或贷 Dr/Cr,余额 Balance\r\n,,,2017-12-31,合计 Total,0.00,0.00,,\r\n"
        );
    }

    #[test]
    fn the_json_form_reads_back() {
        let book = drawn(&[("e1", date!(2019 - 05 - 03), 7_00)]);
        let ledger = general_ledger(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31)).unwrap();
        let json = serde_json::to_value(&ledger).unwrap();
        assert_eq!(json["from"], "2019-01-01");
        assert_eq!(json["debits"], "7.00");
        assert_eq!(json["accounts"][1]["code"], "102");
        assert_eq!(json["accounts"][1]["months"][0]["balance"], "-7.00");
        let back: GeneralLedger = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, ledger);
        // A month read back that is no month (13) is dated the period's end in the CSV.
        let mut odd = json;
        odd["accounts"][0]["months"][0]["month"] = serde_json::json!(13);
        let odd: GeneralLedger = serde_json::from_value(odd).unwrap();
        assert!(odd.to_csv().contains(
            "\r\n101,库存现金,Cash on hand,2019-12-31,本月合计 Month total,7.00,0.00,借,7.00\r\n"
        ));
        assert!(ledger.to_csv().contains(
            "\r\n101,库存现金,Cash on hand,2019-05-31,本月合计 Month total,7.00,0.00,借,7.00\r\n"
        ));
    }
}
