//! 明细账: the ledger of one account over a period, each posting to it (or to its
//! sub-accounts) with its entry, memo and the running balance, and each month's totals, so
//! that any figure of a statement can be followed to the entries that made it.

use serde::{Deserialize, Serialize, Serializer};
use time::Date;

use std::io;

use super::csv::{push_cell, Spilled};
use crate::ledger::{
    AccountCode, EntryId, EntryRef, Journal, LedgerError, Memo, Name, PostingRef, Side,
};
use crate::{Book, Result, Yuan};

/// 明细分类账 (三栏式): an account's postings over a period, in date order, with the
/// balance after each, between its opening and closing balances; and the totals of each
/// month with postings, for the month and for its year to date (本月合计, 本年累计).
///
/// Balances are debits minus credits, as in a [`TrialBalanceRow`](crate::ledger::TrialBalanceRow):
/// negative for a credit balance. The CSV writes them as 借 or 贷 and the amount, as a
/// printed ledger does. [`AccountLedgerListing`] is the same ledger without its lines held,
/// for writing a parent account's millions of lines to a file.
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
        let head = Head {
            code: self.code.as_str(),
            from: self.from,
            to: self.to,
            opening: self.opening,
            months: &self.months,
            debits: self.debits,
            credits: self.credits,
            closing: self.closing,
        };
        let lines = self.lines.iter().map(|line| LineCells {
            date: line.date,
            entry: line.entry.as_str(),
            memo: line.memo.as_str(),
            account: line.account.as_str(),
            side: line.side,
            amount: line.amount,
            balance: line.balance,
        });
        let mut text = String::with_capacity(self.lines.len().saturating_add(4).saturating_mul(96));
        // Nothing is spilled, so nothing can fail.
        let Ok(()) = write_ledger_text(&head, lines, &mut text, usize::MAX, |_| {
            Ok::<(), std::convert::Infallible>(())
        });
        text
    }
}

/// The columns of a ledger's CSV.
const COLUMNS: [&str; 8] = [
    "日期 Date",
    "凭证号 Entry",
    "摘要 Memo",
    "科目 Account",
    "借方 Debit",
    "贷方 Credit",
    "借或贷 Dr/Cr",
    "余额 Balance",
];

/// What a ledger's CSV writes besides its lines.
struct Head<'a> {
    code: &'a str,
    from: Date,
    to: Date,
    opening: Yuan,
    months: &'a [AccountLedgerMonth],
    debits: Yuan,
    credits: Yuan,
    closing: Yuan,
}

/// The cells of a ledger's line.
struct LineCells<'a> {
    date: Date,
    entry: &'a str,
    memo: &'a str,
    account: &'a str,
    side: Side,
    amount: Yuan,
    balance: Yuan,
}

/// Writes a ledger's CSV into `text`: the header, the opening balance, each line with the
/// month's total and year to date after its month's last line, and the closing balance;
/// `spill` is given the text whenever it holds `spill_at` bytes or more (and empties it).
fn write_ledger_text<'a, E>(
    head: &Head<'_>,
    lines: impl Iterator<Item = LineCells<'a>>,
    text: &mut String,
    spill_at: usize,
    mut spill: impl FnMut(&mut String) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    use std::fmt::Write as _;
    text.push_str(super::BOM);
    text.push_str(&COLUMNS.join(","));
    text.push_str("\r\n");
    // Writing into a `String` cannot fail.
    let balance_row =
        |text: &mut String, date: Date, label: &str, sums: Option<(Yuan, Yuan)>, balance: Yuan| {
            let _ = write!(text, "{date},,{label},");
            push_cell(text, head.code);
            text.push(',');
            if let Some((debits, credits)) = sums {
                debits.push_to(text);
                text.push(',');
                credits.push_to(text);
            } else {
                text.push(',');
            }
            push_balance(text, balance);
        };
    balance_row(
        text,
        head.from,
        "期初余额 Opening balance",
        None,
        head.opening,
    );
    let mut months = head.months.iter().peekable();
    let mut lines = lines.peekable();
    // A date's text, made once for the lines of its day.
    let mut day: Option<(Date, String)> = None;
    while let Some(line) = lines.next() {
        match &day {
            Some((date, date_text)) if *date == line.date => text.push_str(date_text),
            _ => {
                let date_text = line.date.to_string();
                text.push_str(&date_text);
                day = Some((line.date, date_text));
            }
        }
        text.push(',');
        push_cell(text, line.entry);
        text.push(',');
        push_cell(text, line.memo);
        text.push(',');
        push_cell(text, line.account);
        text.push(',');
        match line.side {
            Side::Debit => {
                line.amount.push_to(text);
                text.push(',');
            }
            Side::Credit => {
                text.push(',');
                line.amount.push_to(text);
            }
        }
        push_balance(text, line.balance);
        let month_ends = lines
            .peek()
            .is_none_or(|next| month_of(next.date) != month_of(line.date));
        if month_ends {
            if let Some(month) = months.next_if(|m| (m.year, m.month) == month_of(line.date)) {
                let last = month_end(line.date).min(head.to);
                balance_row(
                    text,
                    last,
                    "本月合计 Month total",
                    Some((month.debits, month.credits)),
                    month.balance,
                );
                balance_row(
                    text,
                    last,
                    "本年累计 Year to date",
                    Some((month.year_debits, month.year_credits)),
                    month.balance,
                );
            }
        }
        if text.len() >= spill_at {
            spill(text)?;
        }
    }
    balance_row(
        text,
        head.to,
        "期末余额 Closing balance",
        Some((head.debits, head.credits)),
        head.closing,
    );
    Ok(())
}

/// `balance` after `posting`: debits add, credits take away.
fn after(balance: Yuan, posting: &PostingRef<'_>) -> Result<Yuan> {
    match posting.side {
        Side::Debit => balance.checked_add(posting.amount),
        Side::Credit => balance.checked_sub(posting.amount),
    }
}

/// Appends `,` 借, 贷 or 平, `,` the balance without its sign and the line's end, as
/// [`balance_cells`] gives them.
fn push_balance(text: &mut String, balance: Yuan) {
    let (side, amount) = balance_side(balance);
    text.push(',');
    text.push_str(side);
    text.push(',');
    amount.push_to(text);
    text.push_str("\r\n");
}

/// A balance's side (借, 贷 or 平) and its amount without its sign.
fn balance_side(balance: Yuan) -> (&'static str, Yuan) {
    let side = if balance.is_positive() {
        "借"
    } else if balance.is_negative() {
        "贷"
    } else {
        "平"
    };
    (side, balance.checked_abs().unwrap_or(balance))
}

/// A balance as a printed ledger writes it: 借 (debit), 贷 (credit) or 平 (zero), and the
/// amount without its sign.
pub(super) fn balance_cells(balance: Yuan) -> (&'static str, String) {
    let (side, amount) = balance_side(balance);
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
/// balance at its end, and each month's totals. It is [`account_ledger_listing`] with its
/// lines made: the entries that post to the account are put in date order, then their
/// lines are made in a list of their size, each posting's account found by its place in
/// the chart (the accounts within `code` marked first), not by its code.
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
    let listing = account_ledger_listing(book, code, from, to)?;
    let mut lines = Vec::with_capacity(listing.lines);
    let mut balance = listing.opening;
    for (entry, posting) in listing.postings() {
        balance = after(balance, &posting)?;
        lines.push(AccountLedgerLine {
            date: entry.date,
            entry: entry.id.clone(),
            memo: entry.memo.clone(),
            account: posting.account.clone(),
            side: posting.side,
            amount: posting.amount,
            balance,
        });
    }
    Ok(AccountLedger {
        code: listing.code,
        name_zh: listing.name_zh,
        name_en: listing.name_en,
        normal_side: listing.normal_side,
        from,
        to,
        opening: listing.opening,
        lines,
        months: listing.months,
        debits: listing.debits,
        credits: listing.credits,
        closing: listing.closing,
    })
}

/// An account's ledger (明细账) as [`account_ledger`] makes it, without its lines: its
/// figures (the opening and closing balances, the period's and each month's totals) and
/// the order of the entries that post to the account, whose lines
/// [`AccountLedgerListing::write_csv`] writes as it reads them. The ledger of a parent
/// account with millions of lines (213 应付劳务费 of a county, 2,450,000) is written to a
/// file without the lines being held. It borrows the book.
///
/// serde: the form of [`AccountLedger`] (which reads it back), the lines read from the
/// journal as they are serialized.
///
/// # Example
///
/// ```
/// use landpool::ledger::AccountCode;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let (bank, from, to) = (AccountCode::new("102")?, date!(2019 - 01 - 01), date!(2019 - 12 - 31));
/// let listing = landpool::report::account_ledger_listing(&book, &bank, from, to)?;
/// let ledger = landpool::report::account_ledger(&book, &bank, from, to)?;
/// // The same figures and the same CSV as the ledger with its lines.
/// assert_eq!(listing.lines(), ledger.lines.len());
/// assert_eq!(listing.months(), ledger.months.as_slice());
/// assert_eq!((listing.opening(), listing.closing()), (ledger.opening, ledger.closing));
/// let mut file = Vec::new();
/// listing.write_csv(&mut file)?;
/// assert_eq!(file, ledger.to_csv().into_bytes());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct AccountLedgerListing<'b> {
    journal: &'b Journal,
    code: AccountCode,
    name_zh: Name,
    name_en: Name,
    normal_side: Side,
    from: Date,
    to: Date,
    /// The chart nodes at or under the account.
    within: Vec<bool>,
    /// The indices of the period's entries that post to the account, in date order.
    order: Vec<usize>,
    lines: usize,
    opening: Yuan,
    months: Vec<AccountLedgerMonth>,
    debits: Yuan,
    credits: Yuan,
    closing: Yuan,
}

impl std::fmt::Debug for AccountLedgerListing<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the borrowed journal, nor the marks of the whole chart.
        f.debug_struct("AccountLedgerListing")
            .field("code", &self.code)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("lines", &self.lines)
            .field("opening", &self.opening)
            .field("months", &self.months)
            .field("debits", &self.debits)
            .field("credits", &self.credits)
            .field("closing", &self.closing)
            .finish()
    }
}

impl<'b> AccountLedgerListing<'b> {
    /// The account.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let h01 = AccountCode::new("114.H01")?;
    /// let listing = landpool::report::account_ledger_listing(&book, &h01, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert_eq!(listing.code(), &h01);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn code(&self) -> &AccountCode {
        &self.code
    }

    /// How many lines (postings to the account in the period) the ledger has.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let h01 = AccountCode::new("114.H01")?;
    /// let listing = landpool::report::account_ledger_listing(&book, &h01, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// // The rent paid to the household in March and accrued to it in December.
    /// assert_eq!(listing.lines(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// The balance before the period (期初余额), debits minus credits.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let bank = AccountCode::new("102")?;
    /// let listing = landpool::report::account_ledger_listing(&book, &bank, date!(2019 - 07 - 01), date!(2019 - 12 - 31))?;
    /// assert_eq!(listing.opening(), book.journal().balance(&bank, date!(2019 - 06 - 30))?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn opening(&self) -> Yuan {
        self.opening
    }

    /// Each month with postings, in order, as in [`AccountLedger::months`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let h01 = AccountCode::new("114.H01")?;
    /// let listing = landpool::report::account_ledger_listing(&book, &h01, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// let months: Vec<u8> = listing.months().iter().map(|month| month.month).collect();
    /// assert_eq!(months, [3, 12]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn months(&self) -> &[AccountLedgerMonth] {
        &self.months
    }

    /// The period's debits.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let (bank, from, to) = (AccountCode::new("102")?, date!(2019 - 01 - 01), date!(2019 - 12 - 31));
    /// let listing = landpool::report::account_ledger_listing(&book, &bank, from, to)?;
    /// let movement = book.journal().movement(&bank, from, to)?;
    /// assert_eq!((listing.debits(), listing.credits()), (movement.debits, movement.credits));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn debits(&self) -> Yuan {
        self.debits
    }

    /// The period's credits.
    ///
    /// # Example
    ///
    /// See [`AccountLedgerListing::debits`].
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let bank = AccountCode::new("102")?;
    /// let listing = landpool::report::account_ledger_listing(&book, &bank, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert_eq!(listing.credits().to_string(), "3546800.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn credits(&self) -> Yuan {
        self.credits
    }

    /// The balance at the period's end (期末余额): `opening + debits − credits`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let bank = AccountCode::new("102")?;
    /// let to = date!(2019 - 12 - 31);
    /// let listing = landpool::report::account_ledger_listing(&book, &bank, date!(2019 - 01 - 01), to)?;
    /// assert_eq!(listing.closing(), book.journal().balance(&bank, to)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn closing(&self) -> Yuan {
        self.closing
    }

    /// The text of [`AccountLedger::to_csv`] for the same ledger, made from the journal.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let (h01, from, to) = (AccountCode::new("114.H01")?, date!(2019 - 01 - 01), date!(2019 - 12 - 31));
    /// let listing = landpool::report::account_ledger_listing(&book, &h01, from, to)?;
    /// assert_eq!(listing.to_csv(), landpool::report::account_ledger(&book, &h01, from, to)?.to_csv());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_csv(&self) -> String {
        self.whole_text()
    }

    /// Writes the text of [`AccountLedgerListing::to_csv`] into `out` as it is made, a few
    /// tens of kilobytes at a time, each line read from the journal as it is written.
    ///
    /// # Errors
    ///
    /// The first error `out` returns; what was written before it stays written.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::AccountCode;
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let bank = AccountCode::new("102")?;
    /// let listing = landpool::report::account_ledger_listing(&book, &bank, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// let mut file = Vec::new();
    /// listing.write_csv(&mut file)?;
    /// assert_eq!(file, listing.to_csv().into_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_csv(&self, out: impl io::Write) -> io::Result<()> {
        self.write_io(out)
    }

    /// Each posting to the account in the period, with its entry, in the ledger's order.
    fn postings(&self) -> impl Iterator<Item = (EntryRef<'b>, PostingRef<'b>)> + '_ {
        let entries = self.journal.entries();
        self.order
            .iter()
            .filter_map(move |index| entries.get(*index))
            .flat_map(move |entry| {
                let postings = entry.postings();
                postings
                    .marked(&self.within)
                    .map(move |posting| (entry, posting))
            })
    }

    /// [`AccountLedgerListing::postings`], each with the balance after it.
    fn balanced(&self) -> impl Iterator<Item = (EntryRef<'b>, PostingRef<'b>, Yuan)> + '_ {
        let mut balance = self.opening;
        self.postings().map(move |(entry, posting)| {
            // Every running balance was added up when the listing was made.
            balance = after(balance, &posting).unwrap_or(balance);
            (entry, posting, balance)
        })
    }
}

/// The text of [`AccountLedger::to_csv`].
impl Spilled for AccountLedgerListing<'_> {
    fn size_hint(&self) -> usize {
        self.lines.saturating_add(4).saturating_mul(96)
    }

    fn write_text<E>(
        &self,
        text: &mut String,
        spill_at: usize,
        spill: impl FnMut(&mut String) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let head = Head {
            code: self.code.as_str(),
            from: self.from,
            to: self.to,
            opening: self.opening,
            months: &self.months,
            debits: self.debits,
            credits: self.credits,
            closing: self.closing,
        };
        let lines = self.balanced().map(|(entry, posting, balance)| LineCells {
            date: entry.date,
            entry: entry.id.as_str(),
            memo: entry.memo.as_str(),
            account: posting.account.as_str(),
            side: posting.side,
            amount: posting.amount,
            balance,
        });
        write_ledger_text(&head, lines, text, spill_at, spill)
    }
}

/// serde: the form of [`AccountLedger`], its lines read from the journal as they are
/// serialized.
impl Serialize for AccountLedgerListing<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        /// A line, in [`AccountLedgerLine`]'s form.
        #[derive(Serialize)]
        struct Line<'a> {
            #[serde(serialize_with = "crate::iso_date::write")]
            date: Date,
            entry: &'a EntryId,
            memo: &'a Memo,
            account: &'a AccountCode,
            side: Side,
            amount: Yuan,
            balance: Yuan,
        }
        /// The lines, as a sequence.
        struct Lines<'l, 'b>(&'l AccountLedgerListing<'b>);
        impl Serialize for Lines<'_, '_> {
            fn serialize<S: Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.balanced().map(|(entry, posting, balance)| Line {
                    date: entry.date,
                    entry: entry.id,
                    memo: entry.memo,
                    account: posting.account,
                    side: posting.side,
                    amount: posting.amount,
                    balance,
                }))
            }
        }
        /// The ledger's serialized form.
        #[derive(Serialize)]
        struct Form<'l, 'b> {
            code: &'l AccountCode,
            name_zh: &'l Name,
            name_en: &'l Name,
            normal_side: Side,
            #[serde(serialize_with = "crate::iso_date::write")]
            from: Date,
            #[serde(serialize_with = "crate::iso_date::write")]
            to: Date,
            opening: Yuan,
            lines: Lines<'l, 'b>,
            months: &'l [AccountLedgerMonth],
            debits: Yuan,
            credits: Yuan,
            closing: Yuan,
        }
        Form {
            code: &self.code,
            name_zh: &self.name_zh,
            name_en: &self.name_en,
            normal_side: self.normal_side,
            from: self.from,
            to: self.to,
            opening: self.opening,
            lines: Lines(self),
            months: &self.months,
            debits: self.debits,
            credits: self.credits,
            closing: self.closing,
        }
        .serialize(serializer)
    }
}

/// [`account_ledger`] without its lines: the ledger of `code` (with its sub-accounts) from
/// `from` to `to`, both included, whose lines [`AccountLedgerListing::write_csv`] writes as
/// it reads them from the journal. Its entries are found, and its months and balances
/// added up, by reading the journal's entries once, each posting's account by its place in
/// the chart.
///
/// # Errors
///
/// [`LedgerError::UnknownAccount`] when `code` is not in the chart;
/// [`LedgerError::InvalidRange`] when `from` is after `to`;
/// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, LedgerError};
/// use landpool::Error;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
/// let wages = landpool::report::account_ledger_listing(&book, &AccountCode::new("213")?, from, to)?;
/// assert_eq!(wages.closing(), landpool::Yuan::ZERO);
/// let unknown = landpool::report::account_ledger_listing(&book, &AccountCode::new("114.X9")?, from, to);
/// assert!(matches!(unknown, Err(Error::Ledger(LedgerError::UnknownAccount { .. }))));
/// let reversed = landpool::report::account_ledger_listing(&book, &AccountCode::new("102")?, to, from);
/// assert!(matches!(reversed, Err(Error::Ledger(LedgerError::InvalidRange { .. }))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn account_ledger_listing<'b>(
    book: &'b Book,
    code: &AccountCode,
    from: Date,
    to: Date,
) -> Result<AccountLedgerListing<'b>> {
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
    let entries = journal.entries();
    let mut order: Vec<usize> = (0..entries.len())
        .filter(|&index| {
            entries.get(index).is_some_and(|entry| {
                from <= entry.date
                    && entry.date <= to
                    && entry.postings().marked(&within).next().is_some()
            })
        })
        .collect();
    // Stable: the journal's order stays within a date.
    order.sort_by_key(|&index| entries.get(index).map(|entry| entry.date));
    let mut listing = AccountLedgerListing {
        journal,
        code: code.clone(),
        name_zh: account.name_zh.clone(),
        name_en: account.name_en.clone(),
        normal_side: account.normal_side,
        from,
        to,
        within,
        order,
        lines: 0,
        opening,
        months: Vec::new(),
        debits: movement.debits,
        credits: movement.credits,
        closing: opening
            .checked_add(movement.debits)?
            .checked_sub(movement.credits)?,
    };
    let mut balance = opening;
    let mut lines = 0_usize;
    let mut months: Vec<AccountLedgerMonth> = Vec::new();
    // A day of each month, for its year to date.
    let mut days: Vec<Date> = Vec::new();
    for (entry, posting) in listing.postings() {
        lines = lines.saturating_add(1);
        let (debit, credit) = match posting.side {
            Side::Debit => (posting.amount, Yuan::ZERO),
            Side::Credit => (Yuan::ZERO, posting.amount),
        };
        balance = balance.checked_add(debit)?.checked_sub(credit)?;
        let (year, month) = month_of(entry.date);
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
                days.push(entry.date);
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
    listing.lines = lines;
    listing.months = months;
    Ok(listing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Entry;
    use crate::Event;
    use time::macros::date;

    /// A book with `count` entries on 2019-01-01 and 2019-02-01 in turn, each moving 12.34
    /// from the bank (102) to cash (101), their memo a formula.
    fn drawn(count: usize) -> Book {
        let mut book = Book::new();
        for i in 0..count {
            let date = if i % 2 == 0 {
                date!(2019 - 02 - 01)
            } else {
                date!(2019 - 01 - 01)
            };
            let entry = Entry::new(format!("e{i}"), date, "=SUM(A1)")
                .debit(AccountCode::new("101").unwrap(), Yuan::from_fen(1234))
                .credit(AccountCode::new("102").unwrap(), Yuan::from_fen(1234));
            let event = Event::ManualEntry {
                date,
                memo: entry.memo.to_string(),
                postings: entry.postings,
            };
            book.apply(format!("e{i}").parse().unwrap(), event).unwrap();
        }
        book
    }

    /// Written through a writer a piece at a time, the listing's text is the ledger's, in
    /// date order with each month's totals, however often it is spilled; a writer's error
    /// is returned.
    #[test]
    fn the_listings_text_is_the_ledgers_however_it_is_spilled() {
        let book = drawn(300);
        let (bank, from, to) = (
            AccountCode::new("102").unwrap(),
            date!(2019 - 01 - 01),
            date!(2019 - 12 - 31),
        );
        let listing = account_ledger_listing(&book, &bank, from, to).unwrap();
        let whole = listing.to_csv();
        assert_eq!(
            whole,
            account_ledger(&book, &bank, from, to).unwrap().to_csv()
        );
        // January's 150 entries (the odd ones, in the order posted) come first.
        assert!(whole.contains(
            "\r\n2019-01-01,e1,'=SUM(A1),102,,12.34,贷,12.34\r\n2019-01-01,e3,'=SUM(A1),102,,12.34,贷,24.68\r\n"
        ));
        assert!(whole.contains(
            "\r\n2019-01-31,,本月合计 Month total,102,0.00,1851.00,贷,1851.00\r\n\
             2019-01-31,,本年累计 Year to date,102,0.00,1851.00,贷,1851.00\r\n\
             2019-02-01,e0,'=SUM(A1),102,,12.34,贷,1863.34\r\n"
        ));
        assert!(whole.ends_with(
            "2019-02-28,,本年累计 Year to date,102,0.00,3702.00,贷,3702.00\r\n\
             2019-12-31,,期末余额 Closing balance,102,0.00,3702.00,贷,3702.00\r\n"
        ));
        crate::report::csv::spilled_checks::assert_written_alike(&listing, 10_000);
        let mut file = Vec::new();
        listing.write_csv(&mut file).unwrap();
        assert_eq!(file, whole.as_bytes());
        // Its JSON is the ledger's, byte for byte, and reads back as the ledger.
        let ledger = account_ledger(&book, &bank, from, to).unwrap();
        let json = serde_json::to_string(&listing).unwrap();
        assert_eq!(json, serde_json::to_string(&ledger).unwrap());
        assert_eq!(
            serde_json::from_str::<AccountLedger>(&json).unwrap(),
            ledger
        );
    }

    /// The listing holds the entries' order, not their lines; its `Debug` shows its figures,
    /// not the borrowed journal.
    #[test]
    fn the_listing_shows_its_figures() {
        let book = drawn(3);
        let listing = account_ledger_listing(
            &book,
            &AccountCode::new("101").unwrap(),
            date!(2019 - 02 - 01),
            date!(2019 - 02 - 28),
        )
        .unwrap();
        assert_eq!(listing.order.len(), 2);
        assert_eq!(listing.lines(), 2);
        assert_eq!(listing.opening(), Yuan::from_fen(1234));
        assert_eq!(listing.closing(), Yuan::from_fen(3 * 1234));
        let shown = format!("{listing:?}");
        assert!(shown.starts_with("AccountLedgerListing { code: AccountCode(\"101\"), from: 2019-02-01, to: 2019-02-28, lines: 2, opening: Yuan("), "{shown}");
        assert!(!shown.contains("journal"), "{shown}");
    }
}
