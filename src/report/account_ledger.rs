//! 明细账: the ledger of one account over a period, each posting to it (or to its
//! sub-accounts) with its entry, memo and the running balance, and each month's totals, so
//! that any figure of a statement can be followed to the entries that made it.

use serde::{Deserialize, Serialize};
use time::Date;

use super::Csv;
use crate::ledger::{AccountCode, EntryId, LedgerError, Memo, Name, Side};
use crate::{Book, Result, Yuan};

/// 明细分类账 (三栏式): an account's postings over a period, in date order, with the
/// balance after each, between its opening and closing balances; and the totals of each
/// month with postings, for the month and for its year to date (本月合计, 本年累计).
///
/// Balances are debits minus credits, as in a [`TrialBalanceRow`](crate::ledger::TrialBalanceRow):
/// negative for a credit balance. The CSV writes them as 借 or 贷 and the amount, as a
/// printed ledger does.
///
/// # Example
///
/// The reference cooperative's cash at bank (102) in 2019, from [`account_ledger`]:
///
/// ```
/// use landpool::ledger::AccountCode;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let bank = AccountCode::new("102")?;
/// let ledger = landpool::report::account_ledger(
///     &book, &bank, date!(2019 - 01 - 01), date!(2019 - 12 - 31),
/// )?;
/// assert_eq!(ledger.name_zh, "银行存款");
/// // Every line's balance follows from the one before it, and the last is the closing.
/// assert_eq!(ledger.lines.last().map(|line| line.balance), Some(ledger.closing));
/// assert_eq!(ledger.closing, book.journal().balance(&bank, date!(2019 - 12 - 31))?);
/// // December's year to date is the year's movement.
/// let december = ledger.months.last().ok_or("no months")?;
/// assert_eq!((december.year_debits, december.year_credits), (ledger.debits, ledger.credits));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLedger {
    /// The account; its sub-accounts' postings are among the lines.
    pub code: AccountCode,
    /// Its Chinese name.
    pub name_zh: Name,
    /// Its English name.
    pub name_en: Name,
    /// The side its balance is normally on.
    pub normal_side: Side,
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
    /// The balance before the period (期初余额).
    pub opening: Yuan,
    /// Each posting to the account in the period, by date, and in the journal's order on a
    /// date.
    pub lines: Vec<AccountLedgerLine>,
    /// Each month with postings, in order.
    pub months: Vec<AccountLedgerMonth>,
    /// The period's debits.
    pub debits: Yuan,
    /// The period's credits.
    pub credits: Yuan,
    /// The balance at the period's end (期末余额): `opening + debits − credits`.
    pub closing: Yuan,
}

/// One posting of an [`AccountLedger`], with the balance after it.
///
/// # Example
///
/// The JSON form: dates as ISO strings, amounts as strings.
///
/// ```
/// use landpool::ledger::Side;
/// use landpool::report::AccountLedgerLine;
/// use time::macros::date;
///
/// let line = AccountLedgerLine {
///     date: date!(2019 - 03 - 01),
///     entry: "e7".into(),
///     memo: "土地流转费 rent LZ01".into(),
///     account: landpool::ledger::AccountCode::new("114.H01")?,
///     side: Side::Credit,
///     amount: "8350".parse()?,
///     balance: "-8350".parse()?,
/// };
/// let json = serde_json::to_value(&line)?;
/// assert_eq!(json["date"], "2019-03-01");
/// assert_eq!(json["side"], "credit");
/// assert_eq!(json["balance"], "-8350.00");
/// assert_eq!(serde_json::from_value::<AccountLedgerLine>(json)?, line);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLedgerLine {
    /// The entry's date.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::date"
    )]
    pub date: Date,
    /// The entry (凭证号).
    pub entry: EntryId,
    /// The entry's memo (摘要).
    pub memo: Memo,
    /// The account posted: the ledger's account or one of its sub-accounts.
    pub account: AccountCode,
    /// Debit or credit.
    pub side: Side,
    /// The amount.
    pub amount: Yuan,
    /// The balance after this line: debits minus credits.
    pub balance: Yuan,
}

/// A month's totals in an [`AccountLedger`]: its debits and credits in the period (本月合计),
/// the debits and credits from the first of January of its year through its end or the
/// period's (本年累计, which counts the days of the year before the period too), and the
/// balance at its last line.
///
/// # Example
///
/// ```
/// use landpool::ledger::AccountCode;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let ledger = landpool::report::account_ledger(
///     &book, &AccountCode::new("102")?, date!(2019 - 01 - 01), date!(2019 - 12 - 31),
/// )?;
/// let january = &ledger.months[0];
/// assert_eq!((january.year, january.month), (2019, 1));
/// // The first month of the year: its year to date is the month.
/// assert_eq!((january.year_debits, january.year_credits), (january.debits, january.credits));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLedgerMonth {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The month's debits in the period.
    pub debits: Yuan,
    /// The month's credits in the period.
    pub credits: Yuan,
    /// The year's debits through the month's end (or the period's, if sooner).
    pub year_debits: Yuan,
    /// The year's credits through the month's end (or the period's, if sooner).
    pub year_credits: Yuan,
    /// The balance at the month's last line.
    pub balance: Yuan,
}

impl AccountLedger {
    /// The ledger as CSV (UTF-8 with BOM), Chinese and English labels, in the columns of a
    /// printed three-column ledger: date, entry, memo, account, debit, credit, 借 or 贷 (平
    /// for zero) and the balance. It starts with the opening balance, closes each month with
    /// postings with its month total and year to date, and ends with the closing balance.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry};
    /// use landpool::{Book, Event};
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// let cash = AccountCode::new("101")?;
    /// for (id, date, memo, amount) in [
    ///     ("e1", date!(2019 - 01 - 05), "提现 cash drawn", "500"),
    ///     ("e2", date!(2019 - 01 - 20), "提现 cash drawn", "300"),
    /// ] {
    ///     let entry = Entry::new(id, date, memo)
    ///         .debit(cash.clone(), amount.parse()?)
    ///         .credit(AccountCode::new("102")?, amount.parse()?);
    ///     book.apply(id.parse()?, Event::ManualEntry {
    ///         date, memo: memo.into(), postings: entry.postings,
    ///     })?;
    /// }
    /// let ledger = landpool::report::account_ledger(
    ///     &book, &cash, date!(2019 - 01 - 01), date!(2019 - 12 - 31),
    /// )?;
    /// assert_eq!(
    ///     ledger.to_csv(),
    ///     "\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目 Account,借方 Debit,贷方 Credit,\
    ///      借或贷 Dr/Cr,余额 Balance\r\n\
    ///      2019-01-01,,期初余额 Opening balance,101,,,平,0.00\r\n\
    ///      2019-01-05,e1,提现 cash drawn,101,500.00,,借,500.00\r\n\
    ///      2019-01-20,e2,提现 cash drawn,101,300.00,,借,800.00\r\n\
    ///      2019-01-31,,本月合计 Month total,101,800.00,0.00,借,800.00\r\n\
    ///      2019-01-31,,本年累计 Year to date,101,800.00,0.00,借,800.00\r\n\
    ///      2019-12-31,,期末余额 Closing balance,101,800.00,0.00,借,800.00\r\n"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new(&[
            "日期 Date",
            "凭证号 Entry",
            "摘要 Memo",
            "科目 Account",
            "借方 Debit",
            "贷方 Credit",
            "借或贷 Dr/Cr",
            "余额 Balance",
        ]);
        let code = self.code.as_str();
        let (side, amount) = balance_cells(self.opening);
        csv.row(&[
            &self.from.to_string(),
            "",
            "期初余额 Opening balance",
            code,
            "",
            "",
            side,
            &amount,
        ]);
        let mut months = self.months.iter().peekable();
        for (index, line) in self.lines.iter().enumerate() {
            let (debit, credit) = match line.side {
                Side::Debit => (line.amount.to_string(), String::new()),
                Side::Credit => (String::new(), line.amount.to_string()),
            };
            let (side, balance) = balance_cells(line.balance);
            csv.row(&[
                &line.date.to_string(),
                line.entry.as_str(),
                line.memo.as_str(),
                line.account.as_str(),
                &debit,
                &credit,
                side,
                &balance,
            ]);
            let month_ends = self
                .lines
                .get(index.saturating_add(1))
                .is_none_or(|next| month_of(next.date) != month_of(line.date));
            if month_ends {
                if let Some(month) = months.next_if(|m| (m.year, m.month) == month_of(line.date)) {
                    let last = month_end(line.date).min(self.to);
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
                            &last.to_string(),
                            "",
                            label,
                            code,
                            &debits.to_string(),
                            &credits.to_string(),
                            side,
                            &balance,
                        ]);
                    }
                }
            }
        }
        let (side, amount) = balance_cells(self.closing);
        csv.row(&[
            &self.to.to_string(),
            "",
            "期末余额 Closing balance",
            code,
            &self.debits.to_string(),
            &self.credits.to_string(),
            side,
            &amount,
        ]);
        csv.finish()
    }
}

/// A balance as a printed ledger writes it: 借 (debit), 贷 (credit) or 平 (zero), and the
/// amount without its sign.
pub(super) fn balance_cells(balance: Yuan) -> (&'static str, String) {
    let side = if balance.is_positive() {
        "借"
    } else if balance.is_negative() {
        "贷"
    } else {
        "平"
    };
    let amount = balance.checked_abs().unwrap_or(balance);
    (side, amount.to_string())
}

/// The year and month of `date`.
pub(super) fn month_of(date: Date) -> (i32, u8) {
    (date.year(), u8::from(date.month()))
}

/// The last day of `date`'s month.
pub(super) fn month_end(date: Date) -> Date {
    let days = date.month().length(date.year());
    date.replace_day(days).unwrap_or(date)
}

/// 明细账 of `code` (with its sub-accounts) from `from` to `to`, both included: every
/// posting of the entries dated in the period, in date order (the journal's order within a
/// date), each with the balance after it, from the balance before the period to the
/// balance at its end, and each month's totals. The lines are found by reading the
/// journal's entries twice (counting the lines, then making them in a list of their size),
/// each posting's account by its place in the chart (the accounts within `code` marked
/// first), not by its code.
///
/// # Errors
///
/// [`LedgerError::UnknownAccount`] when `code` is not in the chart;
/// [`LedgerError::InvalidRange`] when `from` is after `to`;
/// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
///
/// # Example
///
/// A member's current account (114) after the reference cooperative's year: the rent
/// credited to household H01 and paid out.
///
/// ```
/// use landpool::ledger::{AccountCode, LedgerError, Side};
/// use landpool::Error;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let h01 = AccountCode::new("114.H01")?;
/// let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
/// let ledger = landpool::report::account_ledger(&book, &h01, from, to)?;
/// let rent = ledger.lines.iter().find(|line| line.side == Side::Credit).ok_or("no rent")?;
/// assert_eq!(rent.amount.to_string(), "8350.00");
/// assert_eq!(ledger.closing, book.journal().balance(&h01, to)?);
/// // 114 itself holds every member's lines, and the same totals as the trial balance.
/// let all = landpool::report::account_ledger(&book, &AccountCode::new("114")?, from, to)?;
/// assert!(all.lines.len() > ledger.lines.len());
/// assert!(all.lines.iter().all(|line| line.account.as_str().starts_with("114.")));
/// // An account the chart does not have, or a period that ends before it starts, is refused.
/// let unknown = landpool::report::account_ledger(&book, &AccountCode::new("114.X9")?, from, to);
/// assert!(matches!(unknown, Err(Error::Ledger(LedgerError::UnknownAccount { .. }))));
/// let reversed = landpool::report::account_ledger(&book, &h01, to, from);
/// assert!(matches!(reversed, Err(Error::Ledger(LedgerError::InvalidRange { .. }))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn account_ledger(
    book: &Book,
    code: &AccountCode,
    from: Date,
    to: Date,
) -> Result<AccountLedger> {
    let journal = book.journal();
    let movement = journal.movement(code, from, to)?;
    let account = journal
        .chart()
        .get(code)
        .ok_or_else(|| LedgerError::UnknownAccount {
            code: code.to_string(),
        })?;
    let opening = match from.previous_day() {
        Some(day) => journal.balance(code, day)?,
        None => Yuan::ZERO,
    };
    let within = journal.nodes_within(code)?;
    let in_period = || {
        journal
            .entries()
            .iter()
            .filter(move |entry| from <= entry.date && entry.date <= to)
    };
    // Counted first, so that a parent's millions of lines are held in a list of their
    // size, not of up to twice it as a growing list's would be.
    let count = in_period()
        .map(|entry| entry.postings().marked(&within).count())
        .fold(0_usize, usize::saturating_add);
    let mut lines = Vec::with_capacity(count);
    for entry in in_period() {
        for posting in entry.postings().marked(&within) {
            lines.push(AccountLedgerLine {
                date: entry.date,
                entry: entry.id.clone(),
                memo: entry.memo.clone(),
                account: posting.account.clone(),
                side: posting.side,
                amount: posting.amount,
                balance: Yuan::ZERO,
            });
        }
    }
    // Stable: the journal's order stays within a date.
    lines.sort_by_key(|line| line.date);
    let mut balance = opening;
    let mut months: Vec<AccountLedgerMonth> = Vec::new();
    // A day of each month, for its year to date.
    let mut days: Vec<Date> = Vec::new();
    for line in &mut lines {
        let (debit, credit) = match line.side {
            Side::Debit => (line.amount, Yuan::ZERO),
            Side::Credit => (Yuan::ZERO, line.amount),
        };
        balance = balance.checked_add(debit)?.checked_sub(credit)?;
        line.balance = balance;
        let (year, month) = month_of(line.date);
        match months.last_mut() {
            Some(last) if (last.year, last.month) == (year, month) => {
                last.debits = last.debits.checked_add(debit)?;
                last.credits = last.credits.checked_add(credit)?;
                last.balance = balance;
            }
            _ => {
                months.push(AccountLedgerMonth {
                    year,
                    month,
                    debits: debit,
                    credits: credit,
                    year_debits: Yuan::ZERO,
                    year_credits: Yuan::ZERO,
                    balance,
                });
                days.push(line.date);
            }
        }
    }
    for (month, day) in months.iter_mut().zip(days) {
        // The first of January of a date's year is a date too.
        let first = day.replace_ordinal(1).unwrap_or(day);
        let year = journal.movement(code, first, month_end(day).min(to))?;
        month.year_debits = year.debits;
        month.year_credits = year.credits;
    }
    Ok(AccountLedger {
        code: code.clone(),
        name_zh: account.name_zh.clone(),
        name_en: account.name_en.clone(),
        normal_side: account.normal_side,
        from,
        to,
        opening,
        lines,
        months,
        debits: movement.debits,
        credits: movement.credits,
        closing: opening
            .checked_add(movement.debits)?
            .checked_sub(movement.credits)?,
    })
}
