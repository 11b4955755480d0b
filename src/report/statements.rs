//! The statements themselves.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use super::Csv;
use crate::book::year_bounds;
use crate::ledger::AccountCode;
use crate::pool::PoolError;
use crate::{Book, ContractKind, MemberId, Result, Rounding, Yuan};

/// One line of a statement: its number, its Chinese and English names, and two columns.
///
/// # Example
///
/// A line of the reference cooperative's [`balance_sheet`] for 2019, its first year:
///
/// ```
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let sheet = landpool::report::balance_sheet(&book, 2019)?;
/// let cash = sheet.line(1).ok_or("no line 1")?;
/// assert_eq!((cash.line, cash.name_zh.as_str(), cash.name_en.as_str()), (1, "货币资金", "Cash and deposits"));
/// assert_eq!(cash.current.to_string(), "2094075.00");
/// assert_eq!(cash.previous.to_string(), "0.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// The line number (行次).
    pub line: u8,
    /// The item's Chinese name.
    pub name_zh: String,
    /// The item's English name.
    pub name_en: String,
    /// This period: the closing balance (期末余额) or this year's amount (本年金额).
    pub current: Yuan,
    /// The earlier period: the opening balance (年初余额) or last year's amount (上年金额).
    pub previous: Yuan,
}

/// 资产负债表 (会农社01表): the 42 lines of the balance sheet on a day (the end of a year
/// from [`balance_sheet`], any day from [`balance_sheet_at`]), with the opening column
/// (年初余额) at the end of the year before.
///
/// serde: `{"year":2019,"date":"2019-12-31","lines":[…]}`. A sheet written before it had a
/// `date` (a year's, without one) reads as of the 31st of December of its `year`; a `date`
/// outside its `year` is refused.
///
/// # Example
///
/// The reference cooperative's, from [`balance_sheet`]:
///
/// ```
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let sheet = landpool::report::balance_sheet(&book, 2019)?;
/// assert_eq!((sheet.year, sheet.lines.len()), (2019, 42));
/// assert_eq!(sheet.date.to_string(), "2019-12-31");
/// let current = |line| sheet.line(line).map(|l| l.current.to_string());
/// // 22 资产总计 equals 42 负债和所有者权益总计.
/// assert_eq!(current(22).as_deref(), Some("3627775.00"));
/// assert_eq!(current(42), current(22));
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BalanceSheetForm")]
pub struct BalanceSheet {
    /// The year of [`date`](BalanceSheet::date), whose opening balances are the opening
    /// column.
    pub year: i32,
    /// The day of the closing column (期末余额).
    #[serde(serialize_with = "crate::iso_date::write")]
    pub date: Date,
    /// Lines 1 to 42.
    pub lines: Vec<StatementLine>,
}

/// [`BalanceSheet`] as it is read: its `date` may be left out, as sheets written before it
/// had one leave it.
#[derive(Deserialize)]
struct BalanceSheetForm {
    year: i32,
    #[serde(default, deserialize_with = "crate::iso_date::field::date_or_null")]
    date: Option<Date>,
    lines: Vec<StatementLine>,
}

impl TryFrom<BalanceSheetForm> for BalanceSheet {
    type Error = String;

    fn try_from(form: BalanceSheetForm) -> std::result::Result<BalanceSheet, String> {
        let date = match form.date {
            Some(date) if date.year() == form.year => date,
            Some(date) => {
                return Err(format!(
                    "the balance sheet's date {date} is not in its year {}",
                    form.year
                ))
            }
            None => year_bounds(form.year)
                .map(|(_, last)| last)
                .map_err(|e| format!("the balance sheet's year: {e}"))?,
        };
        Ok(BalanceSheet {
            year: form.year,
            date,
            lines: form.lines,
        })
    }
}

impl BalanceSheet {
    /// A line by number.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{report, Book, Yuan};
    /// let sheet = report::balance_sheet(&Book::new(), 2019)?;
    /// let first = sheet.line(1).map(|l| (l.line, l.name_zh.as_str(), l.current, l.previous));
    /// assert_eq!(first, Some((1, "货币资金", Yuan::ZERO, Yuan::ZERO)));
    /// assert!(sheet.line(43).is_none());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn line(&self, line: u8) -> Option<&StatementLine> {
        self.lines.iter().find(|l| l.line == line)
    }

    /// The statement as CSV (UTF-8 with BOM), Chinese and English labels.
    ///
    /// # Example
    ///
    /// ```
    /// let sheet = landpool::report::balance_sheet(&landpool::Book::new(), 2019)?;
    /// assert!(sheet.to_csv().starts_with("\u{feff}行次 Line,项目,Item,期末余额 Closing,年初余额 Opening\r\n1,货币资金"));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_csv(&self) -> String {
        lines_csv(&self.lines, "期末余额 Closing", "年初余额 Opening")
    }
}

/// Statement lines numbered from 1, from their names and two columns of amounts.
fn numbered_lines(
    names: &[(&str, &str)],
    current: &[Yuan],
    previous: &[Yuan],
) -> Vec<StatementLine> {
    names
        .iter()
        .zip(current.iter().zip(previous))
        .enumerate()
        .map(|(i, ((zh, en), (c, p)))| StatementLine {
            line: u8::try_from(i.saturating_add(1)).unwrap_or(u8::MAX),
            name_zh: (*zh).to_string(),
            name_en: (*en).to_string(),
            current: *c,
            previous: *p,
        })
        .collect()
}

fn lines_csv(lines: &[StatementLine], current: &str, previous: &str) -> String {
    lines_table(lines, current, previous).finish()
}

/// The table of [`lines_csv`], open for more rows.
fn lines_table(lines: &[StatementLine], current: &str, previous: &str) -> Csv {
    let mut csv = Csv::new(&["行次 Line", "项目", "Item", current, previous]);
    for line in lines {
        csv.row(&[
            line.line.to_string(),
            line.name_zh.clone(),
            line.name_en.clone(),
            line.current.to_string(),
            line.previous.to_string(),
        ]);
    }
    csv
}

/// The debit balances and the credit balances (as a positive amount) of 114's leaves on each
/// of `dates` (zero for `None`), in one walk of the leaves: a county has 250,000 of them, and
/// each one's running totals, once read for the first date, are at hand for the second.
fn member_current<const N: usize>(
    book: &Book,
    dates: [Option<Date>; N],
) -> Result<[(Yuan, Yuan); N]> {
    let parent = AccountCode::new("114")?;
    let journal = book.journal();
    let mut split = [(Yuan::ZERO, Yuan::ZERO); N];
    // The leaves under 114 follow it in code order: a county chart's other 1.4 million
    // accounts are not read, and each leaf's running totals are read by its node, not
    // looked up again by its code.
    for (node, account) in journal.chart().leaf_nodes_within(&parent) {
        for (date, (debit, credit)) in dates.iter().zip(split.iter_mut()) {
            let Some(date) = *date else { continue };
            let balance = match journal.balance_at_node(node, date) {
                Some(balance) => balance,
                None => journal.balance(&account.code, date)?,
            };
            if balance.is_positive() {
                *debit = debit.checked_add(balance)?;
            } else {
                *credit = credit.checked_sub(balance)?;
            }
        }
    }
    Ok(split)
}

/// Balances read from the journal at one date, debit balances positive.
struct At<'a> {
    book: &'a Book,
    date: Option<Date>,
}

impl At<'_> {
    fn debit(&self, codes: &[&str]) -> Result<Yuan> {
        let Some(date) = self.date else {
            return Ok(Yuan::ZERO);
        };
        let mut total = Yuan::ZERO;
        for code in codes {
            total = total.checked_add(
                self.book
                    .journal()
                    .balance(&AccountCode::new(code)?, date)?,
            )?;
        }
        Ok(total)
    }

    fn credit(&self, codes: &[&str]) -> Result<Yuan> {
        self.debit(codes)?.checked_neg()
    }

    /// Refuses a column on whose date 181 待处理财产损溢 holds a balance
    /// ([`Book::check_nothing_pending`]): no line of the sheet reads it, and the sheet would
    /// not balance, for a reason the accountant can act on.
    fn check_nothing_pending(&self, what: impl FnOnce() -> String) -> Result<()> {
        match self.date {
            Some(date) => self.book.check_nothing_pending(date, what),
            None => Ok(()),
        }
    }

    /// The 42 amounts of the balance sheet, given the debit and the credit balances of 114's
    /// leaves on the date ([`member_current`]).
    fn balance_sheet(&self, members: (Yuan, Yuan)) -> Result<[Yuan; 42]> {
        let (member_debit, member_credit) = members;
        let mut v = [Yuan::ZERO; 42];
        let sum = |v: &[Yuan; 42], lines: &[usize]| -> Result<Yuan> {
            Yuan::checked_sum(lines.iter().map(|l| {
                l.checked_sub(1)
                    .and_then(|i| v.get(i))
                    .copied()
                    .unwrap_or_default()
            }))
        };
        v[0] = self.debit(&["101", "102", "109"])?;
        v[1] = self.debit(&["113"])?.checked_add(member_debit)?;
        v[2] = self.debit(&["121", "122", "124", "125", "127", "128", "401"])?;
        v[3] = self.debit(&["141"])?;
        v[4] = sum(&v, &[1, 2, 3, 4])?;
        v[5] = self.debit(&["131"])?;
        v[6] = self.debit(&["142"])?;
        v[7] = self.credit(&["143"])?;
        v[8] = v[6].checked_sub(v[7])?;
        v[9] = self.debit(&["151"])?;
        v[10] = self.credit(&["152"])?;
        v[11] = v[9].checked_sub(v[10])?;
        v[12] = self.debit(&["153"])?;
        v[13] = self.debit(&["154"])?;
        v[14] = sum(&v, &[12, 13, 14])?;
        v[15] = self.debit(&["161"])?;
        v[16] = self.credit(&["162"])?;
        v[17] = v[15].checked_sub(v[16])?;
        v[18] = self.debit(&["144"])?;
        v[19] = self.debit(&["171"])?;
        v[20] = sum(&v, &[6, 9, 15, 18, 19, 20])?;
        v[21] = sum(&v, &[5, 21])?;
        v[22] = self.credit(&["201"])?;
        v[23] = self.credit(&["211"])?.checked_add(member_credit)?;
        for (line, code) in [
            (25_usize, "212"),
            (26, "213"),
            (27, "214"),
            (28, "215"),
            (29, "221"),
            (30, "222"),
        ] {
            if let Some(slot) = line.checked_sub(1).and_then(|i| v.get_mut(i)) {
                *slot = self.credit(&[code])?;
            }
        }
        v[30] = sum(&v, &[23, 24, 25, 26, 27, 28, 29, 30])?;
        v[31] = self.credit(&["231"])?;
        v[32] = self.credit(&["235"])?;
        v[33] = sum(&v, &[32, 33])?;
        v[34] = sum(&v, &[31, 34])?;
        for (line, code) in [(36_usize, "301"), (37, "311"), (38, "321"), (39, "322")] {
            if let Some(slot) = line.checked_sub(1).and_then(|i| v.get_mut(i)) {
                *slot = self.credit(&[code])?;
            }
        }
        v[39] = self.credit(&UNDISTRIBUTED)?;
        v[40] = sum(&v, &[36, 37, 38, 39, 40])?;
        v[41] = sum(&v, &[35, 41])?;
        Ok(v)
    }
}

/// The accounts whose credit balance is 未分配盈余 (balance-sheet line 40): 331 本年盈余 and
/// 332 盈余分配, and the profit-and-loss accounts, which hold a year's surplus until its
/// close moves it into 331 (after the close they are zero).
const UNDISTRIBUTED: [&str; 11] = [
    "331", "332", "501", "502", "511", "521", "522", "523", "524", "529", "531",
];

const BALANCE_SHEET_LINES: [(&str, &str); 42] = [
    ("货币资金", "Cash and deposits"),
    ("应收款项", "Receivables"),
    ("存货", "Inventories"),
    ("消耗性生物资产", "Consumable biological assets"),
    ("流动资产合计", "Total current assets"),
    ("对外投资", "Investments"),
    ("生产性生物资产原值", "Productive biological assets, cost"),
    (
        "减：生产性生物资产累计折旧",
        "Less: accumulated depreciation of productive biological assets",
    ),
    ("生产性生物资产净值", "Productive biological assets, net"),
    ("固定资产原值", "Fixed assets, cost"),
    ("减：累计折旧", "Less: accumulated depreciation"),
    ("固定资产净值", "Fixed assets, net"),
    ("在建工程", "Construction in progress"),
    ("固定资产清理", "Fixed assets in disposal"),
    ("固定资产小计", "Fixed assets, subtotal"),
    ("无形资产原值", "Intangible assets, cost"),
    ("减：累计摊销", "Less: accumulated amortisation"),
    ("无形资产净值", "Intangible assets, net"),
    ("公益性生物资产", "Public-welfare biological assets"),
    ("长期待摊费用", "Long-term prepaid expenses"),
    ("非流动资产合计", "Total non-current assets"),
    ("资产总计", "Total assets"),
    ("短期借款", "Short-term loans"),
    ("应付款项", "Payables"),
    ("应付工资", "Wages payable"),
    ("应付劳务费", "Labour payable"),
    ("应交税费", "Taxes payable"),
    ("应付利息", "Interest payable"),
    ("应付盈余返还", "Patronage returns payable"),
    ("应付剩余盈余", "Remaining surplus payable"),
    ("流动负债合计", "Total current liabilities"),
    ("长期借款", "Long-term loans"),
    ("专项应付款", "Special payables (state grants)"),
    ("非流动负债合计", "Total non-current liabilities"),
    ("负债合计", "Total liabilities"),
    ("股金", "Share capital"),
    ("专项基金", "Special fund"),
    ("资本公积", "Capital reserve"),
    ("盈余公积", "Surplus reserve"),
    ("未分配盈余", "Undistributed surplus"),
    ("所有者权益合计", "Total owners' equity"),
    (
        "负债和所有者权益总计",
        "Total liabilities and owners' equity",
    ),
];

/// 资产负债表 (会农社01表) at the end of `year`, the opening column at the end of the year
/// before. Line 42 must equal line 22; a book where they differ is reported as an error.
///
/// Line 40 未分配盈余 is the credit balance of 331 and 332 and, in a year not closed yet, of
/// the profit-and-loss accounts (the year's surplus so far, which the close moves into
/// 331): the sheet of an open year balances, as a month's sheet does before the year end.
///
/// 181 待处理财产损溢 has no line: the 2021 system has pending property losses and gains dealt
/// with (转销) before the year is closed (a close is refused while 181 holds a balance), so
/// the sheet of a year not closed yet is refused while 181 holds a balance on its last day,
/// with an error that names it.
///
/// # Errors
///
/// [`PoolError::NotAllowed`] when 181 待处理财产损溢 holds a balance on a column's date, or if
/// the sheet does not balance (a broken book); ledger errors reading balances.
///
/// # Example
///
/// ```
/// let sheet = landpool::report::balance_sheet(&landpool::Book::new(), 2019)?;
/// assert_eq!(sheet.lines.len(), 42);
/// assert_eq!(sheet.line(22).map(|l| l.current), sheet.line(42).map(|l| l.current));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn balance_sheet(book: &Book, year: i32) -> Result<BalanceSheet> {
    let (_, last) = year_bounds(year)?;
    sheet_on(book, last, &year.to_string())
}

/// 资产负债表 (会农社01表) on `date`, any day: the closing column (期末余额) at the end of
/// `date`, the opening column (年初余额) at the end of the year before, as the sheet a
/// cooperative reports for a month or a quarter is made. On the 31st of December it is
/// [`balance_sheet`] of that year.
///
/// As in [`balance_sheet`], line 40 未分配盈余 holds, in a year not closed by `date`, the
/// year's surplus so far (the credit balance of the profit-and-loss accounts), so the sheet
/// balances on any day; and a sheet is refused while 181 待处理财产损溢 holds a balance on
/// either column's day, since the sheet has no line for it.
///
/// # Errors
///
/// [`PoolError::NotAllowed`] when 181 待处理财产损溢 holds a balance on a column's day, or if
/// the sheet does not balance (a broken book); ledger errors reading balances.
///
/// # Example
///
/// The reference cooperative at the end of June 2019, half-way through its first year:
///
/// ```
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let sheet = landpool::report::balance_sheet_at(&book, date!(2019 - 06 - 30))?;
/// assert_eq!((sheet.year, sheet.date), (2019, date!(2019 - 06 - 30)));
/// let line = |n| sheet.line(n).map(|l| (l.current.to_string(), l.previous.to_string()));
/// // 22 资产总计 equals 42 负债和所有者权益总计; the year opened with nothing.
/// assert_eq!(line(22), Some(("1228000.00".to_string(), "0.00".to_string())));
/// assert_eq!(line(42), line(22));
/// // The year's result so far in 40 未分配盈余: the greenhouses' expenses, nothing sold yet.
/// assert_eq!(line(40).map(|(closing, _)| closing).as_deref(), Some("-984000.00"));
/// // On the year's last day it is the year's sheet.
/// assert_eq!(
///     landpool::report::balance_sheet_at(&book, date!(2019 - 12 - 31))?,
///     landpool::report::balance_sheet(&book, 2019)?
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn balance_sheet_at(book: &Book, date: Date) -> Result<BalanceSheet> {
    sheet_on(book, date, &format!("on {date}"))
}

/// The balance sheet on `date`, its errors naming it `balance sheet {label}`.
fn sheet_on(book: &Book, date: Date, label: &str) -> Result<BalanceSheet> {
    let year = date.year();
    let (first, _) = year_bounds(year)?;
    let closing = At {
        book,
        date: Some(date),
    };
    let opening = At {
        book,
        date: first.previous_day(),
    };
    // The earlier date first: where the balance has to be dealt with.
    opening.check_nothing_pending(|| format!("balance sheet {label}, opening column"))?;
    closing.check_nothing_pending(|| format!("balance sheet {label}, closing column"))?;
    let [closing_members, opening_members] = member_current(book, [closing.date, opening.date])?;
    let current = closing.balance_sheet(closing_members)?;
    let previous = opening.balance_sheet(opening_members)?;
    for (column, values) in [("closing", &current), ("opening", &previous)] {
        if values[21] != values[41] {
            return Err(PoolError::NotAllowed {
                what: format!("balance sheet {label}, {column} column"),
                reason: format!(
                    "total assets {} differ from liabilities and equity {}",
                    values[21], values[41]
                ),
            }
            .into());
        }
    }
    Ok(BalanceSheet {
        year,
        date,
        lines: numbered_lines(&BALANCE_SHEET_LINES, &current, &previous),
    })
}

/// 盈余及盈余分配表 (会农社02表): lines 1–20 for a year and the year before.
///
/// # Example
///
/// The reference cooperative's 2019, from [`surplus_statement`]:
///
/// ```
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let statement = landpool::report::surplus_statement(&book, 2019)?;
/// assert_eq!((statement.year, statement.lines.len()), (2019, 20));
/// let current = |line| statement.line(line).map(|l| l.current.to_string());
/// assert_eq!(current(1).as_deref(), Some("4000000.00")); // 经营收入
/// assert_eq!(current(12).as_deref(), Some("1976025.00")); // 本年盈余
/// assert_eq!(current(16).as_deref(), Some("1778422.50")); // 可分配盈余
/// assert_eq!(current(17).as_deref(), Some("1244895.75")); // 盈余返还
/// assert_eq!(current(18).as_deref(), Some("533526.75")); // 剩余盈余分配
/// assert_eq!(current(20).as_deref(), Some("0.00")); // 年末未分配盈余
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurplusStatement {
    /// The year.
    pub year: i32,
    /// Lines 1 to 20.
    pub lines: Vec<StatementLine>,
    /// The two bases the law's 60% may apply to, whichever the policy names
    /// ([`PatronageBase`](crate::PatronageBase)): (this year's surplus after covering earlier
    /// losses and drawing the reserve, line 16 可分配盈余). The first is 0 for a year not
    /// closed yet (nothing is drawn or distributed); [`SurplusStatement::to_csv`] writes
    /// them below line 20.
    pub patronage_bases: (Yuan, Yuan),
}

impl SurplusStatement {
    /// A line by number.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{report, Book};
    /// let statement = report::surplus_statement(&Book::new(), 2019)?;
    /// let names = statement.line(12).map(|l| (l.name_zh.as_str(), l.name_en.as_str()));
    /// assert_eq!(names, Some(("本年盈余", "Surplus for the year")));
    /// assert!(statement.line(21).is_none());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn line(&self, line: u8) -> Option<&StatementLine> {
        self.lines.iter().find(|l| l.line == line)
    }

    /// The statement as CSV (UTF-8 with BOM): lines 1 to 20, then, in two rows without a
    /// line number, the [two bases](SurplusStatement::patronage_bases) the law's 60%
    /// patronage minimum may apply to, this year's only.
    ///
    /// # Example
    ///
    /// ```
    /// let statement = landpool::report::surplus_statement(&landpool::Book::new(), 2019)?;
    /// let csv = statement.to_csv();
    /// assert!(csv.contains("12,本年盈余,Surplus for the year,0.00,0.00"));
    /// assert!(csv.ends_with(",60%返还基数：可分配盈余（第16行）,Base of the 60% patronage minimum: distributable surplus (line 16),0.00,\r\n"));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_csv(&self) -> String {
        let mut csv = lines_table(&self.lines, "本年金额 This year", "上年金额 Last year");
        let (this_year, distributable) = self.patronage_bases;
        for (zh, en, base) in [
            (
                "60%返还基数：本年盈余（弥补亏损、提取公积后）",
                "Base of the 60% patronage minimum: this year's surplus after losses covered and the reserve",
                this_year,
            ),
            (
                "60%返还基数：可分配盈余（第16行）",
                "Base of the 60% patronage minimum: distributable surplus (line 16)",
                distributable,
            ),
        ] {
            csv.row(&["", zh, en, &base.to_string(), ""]);
        }
        csv.finish()
    }
}

const SURPLUS_LINES: [(&str, &str); 20] = [
    ("经营收入", "Operating revenue"),
    ("投资收益", "Investment income"),
    ("经营支出", "Operating expenses"),
    ("税金及附加", "Taxes and surcharges"),
    ("管理费用", "Administrative expenses"),
    ("财务费用", "Finance expenses"),
    ("经营收益", "Operating result"),
    ("其他收入", "Other income"),
    ("其他支出", "Other expenses"),
    ("盈余总额", "Total surplus"),
    ("所得税费用", "Income tax"),
    ("本年盈余", "Surplus for the year"),
    (
        "年初未分配盈余",
        "Undistributed surplus at the start of the year",
    ),
    ("其他转入", "Other transfers in"),
    ("提取盈余公积", "Reserve drawn"),
    ("可分配盈余", "Distributable surplus"),
    ("盈余返还", "Patronage returns"),
    ("剩余盈余分配", "Remaining surplus distributed"),
    ("转为成员出资", "Converted to members' capital"),
    (
        "年末未分配盈余",
        "Undistributed surplus at the end of the year",
    ),
];

fn surplus_values(book: &Book, year: i32) -> Result<([Yuan; 20], Yuan)> {
    let pl = book.profit_and_loss(year)?;
    let mut v = [Yuan::ZERO; 20];
    v[0] = pl.operating_revenue;
    v[1] = pl.investment_income;
    v[2] = pl.operating_expenses;
    v[3] = pl.taxes_and_surcharges;
    v[4] = pl.administrative_expenses;
    v[5] = pl.finance_expenses;
    v[6] = pl.operating_result()?;
    v[7] = pl.other_income;
    v[8] = pl.other_expenses;
    v[9] = pl.total_surplus()?;
    v[10] = pl.income_tax;
    v[11] = pl.surplus()?;
    let mut base = Yuan::ZERO;
    if let Some(d) = book.distribution(year) {
        v[12] = d.opening_undistributed;
        v[13] = d.reserve_used;
        v[14] = d.reserve;
        v[15] = d.distributable_line;
        v[16] = d.patronage;
        v[17] = d.remaining;
        v[19] = d.closing_undistributed;
        base = d
            .surplus
            .checked_sub(d.loss_covered)?
            .checked_sub(d.reserve)?
            .max(Yuan::ZERO);
    } else {
        // An open year: nothing drawn or distributed yet. Line 13 is what was undistributed
        // at the end of last year, its surplus included if it is open too (line 20 of its
        // statement).
        let (first, _) = year_bounds(year)?;
        let mut opening = Yuan::ZERO;
        if let Some(day) = first.previous_day() {
            for code in UNDISTRIBUTED {
                opening =
                    opening.checked_sub(book.journal().balance(&AccountCode::new(code)?, day)?)?;
            }
        }
        v[12] = opening;
        v[15] = v[11].checked_add(opening)?;
        v[19] = v[15];
    }
    Ok((v, base))
}

/// 盈余及盈余分配表 (会农社02表) for `year`, with last year's column. Lines 1–11 are the
/// accounts' movements in the year before the closing entries; lines 13–20 come from the
/// year's close (line 14 其他转入 is the reserve used to cover a loss; for a year not yet
/// closed, nothing is drawn or distributed). Line 19 转为成员出资 is 0: the part of the
/// payouts a policy converts to capital is converted when they are settled, after the close,
/// and shows as an increase of 股金 in the members' equity statement of that year.
///
/// # Errors
///
/// Ledger errors reading balances; [`Error::Overflow`](crate::Error::Overflow) if a total does not fit.
///
/// # Example
///
/// ```
/// let statement = landpool::report::surplus_statement(&landpool::Book::new(), 2019)?;
/// assert_eq!(statement.lines.len(), 20);
/// assert_eq!(statement.line(12).map(|l| l.current), Some(landpool::Yuan::ZERO));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn surplus_statement(book: &Book, year: i32) -> Result<SurplusStatement> {
    let (current, base) = surplus_values(book, year)?;
    let previous = match year.checked_sub(1) {
        Some(last) => surplus_values(book, last)?.0,
        None => [Yuan::ZERO; 20],
    };
    let lines = numbered_lines(&SURPLUS_LINES, &current, &previous);
    Ok(SurplusStatement {
        year,
        lines,
        patronage_bases: (base, current[15]),
    })
}

/// One column of the members' equity statement.
///
/// # Example
///
/// The reference cooperative's share capital in 2019, from [`member_equity`]:
///
/// ```
/// use landpool::report::{member_equity, EquityColumn};
/// use landpool::Yuan;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let equity = member_equity(&book, 2019)?;
/// assert_eq!(equity.columns.first(), Some(&EquityColumn {
///     name_zh: "股金".into(),
///     name_en: "Share capital".into(),
///     opening: Yuan::ZERO,
///     increase: "330000".parse()?,
///     decrease: Yuan::ZERO,
///     closing: "330000".parse()?,
/// }));
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquityColumn {
    /// The Chinese name.
    pub name_zh: String,
    /// The English name.
    pub name_en: String,
    /// 年初余额.
    pub opening: Yuan,
    /// 本年增加.
    pub increase: Yuan,
    /// 本年减少.
    pub decrease: Yuan,
    /// 年末余额.
    pub closing: Yuan,
}

/// 成员权益变动表 (会农社03表): 股金, 专项基金, 资本公积, 盈余公积, 未分配盈余 and 合计, each with
/// opening, increase, decrease and closing.
///
/// # Example
///
/// The reference cooperative's 2019, from [`member_equity`]:
///
/// ```
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let equity = landpool::report::member_equity(&book, 2019)?;
/// let names: Vec<&str> = equity.columns.iter().map(|c| c.name_zh.as_str()).collect();
/// assert_eq!(names, ["股金", "专项基金", "资本公积", "盈余公积", "未分配盈余", "合计"]);
/// let closing: Vec<String> = equity.columns.iter().map(|c| c.closing.to_string()).collect();
/// assert_eq!(closing, ["330000.00", "800000.00", "0.00", "197602.50", "0.00", "1327602.50"]);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEquity {
    /// The year.
    pub year: i32,
    /// The six columns, 合计 last.
    pub columns: Vec<EquityColumn>,
}

impl MemberEquity {
    /// The statement as CSV (UTF-8 with BOM): one row per column of the printed form.
    ///
    /// # Example
    ///
    /// ```
    /// let equity = landpool::report::member_equity(&landpool::Book::new(), 2019)?;
    /// assert!(equity.to_csv().contains("合计,Total,0.00,0.00,0.00,0.00"));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new(&[
            "项目",
            "Item",
            "年初余额 Opening",
            "本年增加 Increase",
            "本年减少 Decrease",
            "年末余额 Closing",
        ]);
        for c in &self.columns {
            csv.row(&[
                c.name_zh.clone(),
                c.name_en.clone(),
                c.opening.to_string(),
                c.increase.to_string(),
                c.decrease.to_string(),
                c.closing.to_string(),
            ]);
        }
        csv.finish()
    }
}

/// 成员权益变动表 (会农社03表) for `year`. Increases are credits and decreases debits in the
/// year; for 未分配盈余 the transfers between 331 and 332 inside the close are left out: its
/// increase is the year's surplus (and the reserve used to cover a loss) and its decrease
/// the reserve drawn, the distribution and any loss. In a year not closed yet, 未分配盈余
/// includes the surplus (or loss) so far, still in the profit-and-loss accounts, as
/// balance-sheet line 40 does.
///
/// # Errors
///
/// [`PoolError::NotAllowed`] when a column's opening + increase − decrease is not its closing
/// (a broken book); ledger errors.
///
/// # Example
///
/// ```
/// let equity = landpool::report::member_equity(&landpool::Book::new(), 2019)?;
/// assert_eq!(equity.columns.len(), 6);
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn member_equity(book: &Book, year: i32) -> Result<MemberEquity> {
    let (first, last) = year_bounds(year)?;
    let before = first.previous_day();
    let journal = book.journal();
    let credit_at = |code: &str, date: Option<Date>| -> Result<Yuan> {
        match date {
            Some(date) => journal
                .balance(&AccountCode::new(code)?, date)?
                .checked_neg(),
            None => Ok(Yuan::ZERO),
        }
    };
    let mut columns = Vec::with_capacity(6);
    for (code, zh, en) in [
        ("301", "股金", "Share capital"),
        ("311", "专项基金", "Special fund"),
        ("321", "资本公积", "Capital reserve"),
        ("322", "盈余公积", "Surplus reserve"),
    ] {
        let movement = journal.movement(&AccountCode::new(code)?, first, last)?;
        columns.push(EquityColumn {
            name_zh: zh.into(),
            name_en: en.into(),
            opening: credit_at(code, before)?,
            increase: movement.credits,
            decrease: movement.debits,
            closing: credit_at(code, Some(last))?,
        });
    }
    let undistributed = |date: Option<Date>| -> Result<Yuan> {
        let mut total = Yuan::ZERO;
        for code in UNDISTRIBUTED {
            total = total.checked_add(credit_at(code, date)?)?;
        }
        Ok(total)
    };
    let opening = undistributed(before)?;
    let closing = undistributed(Some(last))?;
    let (increase, decrease) = match book.distribution(year) {
        Some(d) => {
            let (gain, loss) = if d.surplus.is_negative() {
                (Yuan::ZERO, d.surplus.checked_neg()?)
            } else {
                (d.surplus, Yuan::ZERO)
            };
            (
                // The reserve used to cover a loss comes in from 322.
                gain.checked_add(d.reserve_used)?,
                loss.checked_add(d.reserve)?
                    .checked_add(d.patronage)?
                    .checked_add(d.remaining)?,
            )
        }
        // An open year: its surplus or loss so far, still in the profit-and-loss accounts
        // (331 and 332 move only at a close).
        None => {
            let change = closing.checked_sub(opening)?;
            if change.is_negative() {
                (Yuan::ZERO, change.checked_neg()?)
            } else {
                (change, Yuan::ZERO)
            }
        }
    };
    columns.push(EquityColumn {
        name_zh: "未分配盈余".into(),
        name_en: "Undistributed surplus".into(),
        opening,
        increase,
        decrease,
        closing,
    });
    let mut total = EquityColumn {
        name_zh: "合计".into(),
        name_en: "Total".into(),
        opening: Yuan::ZERO,
        increase: Yuan::ZERO,
        decrease: Yuan::ZERO,
        closing: Yuan::ZERO,
    };
    for c in &columns {
        if c.opening.checked_add(c.increase)?.checked_sub(c.decrease)? != c.closing {
            return Err(PoolError::NotAllowed {
                what: format!("members' equity statement {year}, {}", c.name_en),
                reason: format!(
                    "opening {} + increase {} − decrease {} is not the closing {}",
                    c.opening, c.increase, c.decrease, c.closing
                ),
            }
            .into());
        }
        total.opening = total.opening.checked_add(c.opening)?;
        total.increase = total.increase.checked_add(c.increase)?;
        total.decrease = total.decrease.checked_add(c.decrease)?;
        total.closing = total.closing.checked_add(c.closing)?;
    }
    columns.push(total);
    Ok(MemberEquity { year, columns })
}

/// One member's line of the members' accounts (成员账户, law art. 43) for a year: opening
/// amounts, this year's changes and closing amounts of capital (split by source), reserve
/// share, subsidy share and donation share, then the year's transaction volume, patronage
/// return and remaining-surplus share.
///
/// Capital is kept in one sub-account per member (`301.<member>`); the split between capital
/// from household poverty-relief assets (扶贫资产折股量化) and other sources comes from the
/// register of contributions ([`CapitalSource`](crate::CapitalSource)): the poverty-relief
/// part is what was contributed from those assets less what was returned from them
/// ([`Event::CapitalReturned`](crate::Event::CapitalReturned) with that source), never more
/// than the member's capital (a decrease of 301 by manual entry, which does not say its
/// source, comes off other sources first), and the rest is other sources, land shares and
/// distributions converted to capital included.
///
/// Subsidy and donation shares are recomputed at each close: the opening is the share at the
/// last close before the year, the closing the share at this year's close (while the year is
/// open, the opening still).
///
/// Fields added after the first release read as zero from JSON written before them.
///
/// # Example
///
/// A household of the reference cooperative in 2019, from [`member_accounts`]:
///
/// ```
/// use rust_decimal_macros::dec;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let rows = landpool::report::member_accounts(&book, 2019)?;
/// let h01 = rows.iter().find(|r| r.member.as_str() == "H01").ok_or("no H01")?;
/// assert_eq!(h01.name, "高建国");
/// assert_eq!((h01.capital_opening.to_string(), h01.capital_closing.to_string()), ("0.00".into(), "10000.00".into()));
/// assert_eq!(h01.other_capital_increase, h01.capital_closing);
/// assert_eq!(h01.reserve_closing.to_string(), "8249.90");
/// assert_eq!(h01.subsidy_share.to_string(), "27586.21");
/// assert_eq!(h01.land_mu_days, dec!(3047.75));
/// assert_eq!(h01.labour_pay.to_string(), "39900.00");
/// assert_eq!(h01.patronage.to_string(), "51974.40");
/// assert_eq!(h01.remaining.to_string(), "17746.24");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAccountRow {
    /// The member.
    pub member: MemberId,
    /// The member's name.
    pub name: String,
    /// Capital contributed at the start of the year, both sources.
    pub capital_opening: Yuan,
    /// Capital contributed at the end of the year, both sources.
    pub capital_closing: Yuan,
    /// Capital from poverty-relief assets at the start of the year.
    #[serde(default)]
    pub poverty_relief_opening: Yuan,
    /// Capital from poverty-relief assets contributed in the year.
    #[serde(default)]
    pub poverty_relief_increase: Yuan,
    /// Capital from poverty-relief assets taken back in the year.
    #[serde(default)]
    pub poverty_relief_decrease: Yuan,
    /// Capital from poverty-relief assets at the end of the year.
    #[serde(default)]
    pub poverty_relief_closing: Yuan,
    /// Capital from other sources at the start of the year.
    #[serde(default)]
    pub other_capital_opening: Yuan,
    /// Capital from other sources added in the year (money, land shares, converted payouts).
    #[serde(default)]
    pub other_capital_increase: Yuan,
    /// Capital from other sources taken back in the year.
    #[serde(default)]
    pub other_capital_decrease: Yuan,
    /// Capital from other sources at the end of the year.
    #[serde(default)]
    pub other_capital_closing: Yuan,
    /// Reserve share at the start of the year.
    pub reserve_opening: Yuan,
    /// This year's quantified reserve share.
    #[serde(default)]
    pub reserve_change: Yuan,
    /// Reserve share returned in the year to a member who left (退还公积金份额,
    /// [`Event::ReserveShareRefunded`](crate::Event::ReserveShareRefunded)). Absent in JSON
    /// written before it existed: read as 0.
    #[serde(default)]
    pub reserve_refunded: Yuan,
    /// Reserve share converted to the member's capital in the year (公积金转为成员出资,
    /// [`Event::ReserveConverted`](crate::Event::ReserveConverted)); the capital it raised
    /// is in [`MemberAccountRow::other_capital_increase`]. Absent in JSON written before it
    /// existed: read as 0.
    #[serde(default)]
    pub reserve_converted: Yuan,
    /// Reserve share at the end of the year: the opening, this year's quantified share
    /// added, what was returned and what was converted to capital taken off.
    pub reserve_closing: Yuan,
    /// Share of the property from state subsidies (311) at the last close before the year.
    #[serde(default)]
    pub subsidy_opening: Yuan,
    /// Change of the subsidy share in the year (closing − opening; negative when more
    /// members share it or it shrank).
    #[serde(default)]
    pub subsidy_change: Yuan,
    /// Share of the property from state subsidies (311) at the end of the year.
    pub subsidy_share: Yuan,
    /// Share of the property from donations (311) at the last close before the year.
    #[serde(default)]
    pub donation_opening: Yuan,
    /// Change of the donation share in the year (closing − opening).
    #[serde(default)]
    pub donation_change: Yuan,
    /// Share of the property from donations (311) at the end of the year.
    #[serde(default)]
    pub donation_share: Yuan,
    /// Transaction volume: land pooled in mu × days.
    #[serde(with = "crate::exact_decimal")]
    pub land_mu_days: Decimal,
    /// Transaction volume: pay booked for work in the park in the year (what a policy that
    /// counts labour weighs, [`VolumeWeights::labour_pay`](crate::VolumeWeights)). Absent
    /// in JSON written before it existed: read as 0.
    #[serde(default)]
    pub labour_pay: Yuan,
    /// Patronage return for the year.
    pub patronage: Yuan,
    /// Remaining-surplus share for the year.
    pub remaining: Yuan,
}

/// The members' accounts (成员账户, law art. 43) for `year`: every member of the year (those
/// who joined or left during it included, and a member who left before it for whom the
/// cooperative still holds capital or a reserve share not yet returned at its start, or
/// whose capital moves in it), with capital by source, reserve share, subsidy and donation shares (opening,
/// change, closing), transaction volume (land pooled and labour pay, the two measures a
/// distribution policy weighs: for a closed year the figures its close weighed, and the pay
/// booked to the member's 212 and 213 sub-accounts in the year) and the year's returns
/// (from the close; zero while the year is open, and for a member who left during the year,
/// whom the close does not weigh). See [`MemberAccountRow`] for how each figure is found.
///
/// # Errors
///
/// Ledger errors reading balances; [`Error::Overflow`](crate::Error::Overflow) if a total
/// does not fit.
///
/// # Example
///
/// ```
/// let rows = landpool::report::member_accounts(&landpool::Book::new(), 2019)?;
/// assert!(rows.is_empty());
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let rows = landpool::report::member_accounts(&book, 2019)?;
/// let h05 = rows.iter().find(|r| r.member.as_str() == "H05").ok_or("no H05")?;
/// assert_eq!(h05.poverty_relief_closing.to_string(), "10000.00");
/// assert_eq!(h05.other_capital_closing.to_string(), "0.00");
/// assert_eq!(h05.poverty_relief_closing.checked_add(h05.other_capital_closing)?, h05.capital_closing);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn member_accounts(book: &Book, year: i32) -> Result<Vec<MemberAccountRow>> {
    let (first, last) = year_bounds(year)?;
    // The figures the close weighs: kept by the close for a closed year, worked out for an
    // open one (and for a member who left during a closed year, whom the close did not weigh).
    let land = book.land_mu_days(year)?;
    // Read only for a member the close did not weigh (all of them while the year is open):
    // worked out when first needed.
    let mut labour = None;
    let distribution = book.distribution(year);
    let before = book.distribution_before(year);
    let mut rows = Vec::new();
    // A member who left before the year is in it while the cooperative still holds
    // something for them: capital in 301 at the start of the year or moved in it, or a
    // reserve share not yet returned at its start (the year it is returned included).
    let mut held_for_leavers = Vec::new();
    for member in book.members() {
        if member.left.is_some_and(|left| left < first)
            && leaver_holds(book, &member.id, first, last, year)?
        {
            held_for_leavers.push(member);
        }
    }
    let mut members: Vec<&crate::Member> = book
        .members_during(first, last)
        .chain(held_for_leavers)
        .collect();
    members.sort_by(|a, b| a.id.cmp(&b.id));
    // The distributions keep their shares in member id order, the order of the rows.
    let (mut next_share, mut next_before) = (0, 0);
    for member in members {
        let account = AccountCode::new("301")?.sub(member.id.as_str())?;
        // (capital, of which from poverty-relief assets) on a date, as the member's account
        // has them (its 301 balance only: the rest of `Book::member_account` is not needed).
        let capital = |date: Option<Date>| -> Result<(Yuan, Yuan)> {
            match date {
                Some(date) => {
                    let capital = book.journal().balance(&account, date)?.checked_neg()?;
                    Ok((
                        capital,
                        book.poverty_relief_part(&member.id, date, capital)?,
                    ))
                }
                None => Ok((Yuan::ZERO, Yuan::ZERO)),
            }
        };
        let (capital_opening, poverty_relief_opening) = capital(first.previous_day())?;
        let (capital_closing, poverty_relief_closing) = capital(Some(last))?;
        let movement = book.journal().movement(&account, first, last)?;
        // The year's poverty-relief contributions; a part that came back after a decrease
        // the register could not attribute counts as an increase too, so no column is
        // negative and every part's opening + increase − decrease is its closing.
        let contributed = book.poverty_relief_contributed(&member.id, Some(first), last)?;
        let net = poverty_relief_closing.checked_sub(poverty_relief_opening)?;
        let poverty_relief_increase = contributed.max(net);
        let poverty_relief_decrease = poverty_relief_increase.checked_sub(net)?;
        let other_capital_increase = movement.credits.checked_sub(poverty_relief_increase)?;
        let other_capital_decrease = movement.debits.checked_sub(poverty_relief_decrease)?;

        let share = distribution.and_then(|d| d.share_from(&member.id, &mut next_share));
        let share_before = before.and_then(|d| d.share_from(&member.id, &mut next_before));
        let reserve_opening = book.reserve_share_before(&member.id, year)?;
        let reserve_change = share.map_or(Yuan::ZERO, |s| s.reserve_share);
        let reserve_refunded = match book.reserve_refund(&member.id) {
            Some((date, amount)) if date.year() == year => amount,
            _ => Yuan::ZERO,
        };
        let reserve_converted = book.reserve_converted_between(&member.id, first, last)?;
        let subsidy_opening = share_before.map_or(Yuan::ZERO, |s| s.subsidy_share);
        let donation_opening = share_before.map_or(Yuan::ZERO, |s| s.donation_share);
        // Recomputed at the close; an open year keeps the last close's shares.
        let (subsidy_share, donation_share) = match distribution {
            Some(_) => (
                share.map_or(Yuan::ZERO, |s| s.subsidy_share),
                share.map_or(Yuan::ZERO, |s| s.donation_share),
            ),
            None => (subsidy_opening, donation_opening),
        };
        rows.push(MemberAccountRow {
            member: member.id.clone(),
            name: member.name.to_string(),
            capital_opening,
            capital_closing,
            poverty_relief_opening,
            poverty_relief_increase,
            poverty_relief_decrease,
            poverty_relief_closing,
            other_capital_opening: capital_opening.checked_sub(poverty_relief_opening)?,
            other_capital_increase,
            other_capital_decrease,
            other_capital_closing: capital_closing.checked_sub(poverty_relief_closing)?,
            reserve_opening,
            reserve_change,
            reserve_refunded,
            reserve_converted,
            reserve_closing: reserve_opening
                .checked_add(reserve_change)?
                .checked_sub(reserve_refunded)?
                .checked_sub(reserve_converted)?,
            subsidy_opening,
            subsidy_change: subsidy_share.checked_sub(subsidy_opening)?,
            subsidy_share,
            donation_opening,
            donation_change: donation_share.checked_sub(donation_opening)?,
            donation_share,
            land_mu_days: share.map_or_else(|| land.of(&member.id), |s| s.land_mu_days),
            labour_pay: match share {
                Some(share) => share.labour_pay,
                None => match &labour {
                    Some(labour) => labour,
                    None => labour.insert(book.member_pay_booked(first, last)?),
                }
                .volume(&member.id),
            },
            patronage: share.map_or(Yuan::ZERO, |s| s.patronage),
            remaining: share.map_or(Yuan::ZERO, |s| s.remaining),
        });
    }
    Ok(rows)
}

/// Whether the members' accounts of `year` (`first`..=`last`) list `member`, who left before
/// it: their capital in 301 at the start of the year or moved in it, or a reserve share not
/// yet returned at its start.
fn leaver_holds(
    book: &Book,
    member: &MemberId,
    first: Date,
    last: Date,
    year: i32,
) -> Result<bool> {
    if !book.reserve_share_before(member, year)?.is_zero() {
        return Ok(true);
    }
    let account = AccountCode::new("301")?.sub(member.as_str())?;
    if !book.journal().chart().contains(&account) {
        return Ok(false);
    }
    let opening = match first.previous_day() {
        Some(day) => book.journal().balance(&account, day)?,
        None => Yuan::ZERO,
    };
    let movement = book.journal().movement(&account, first, last)?;
    Ok(!opening.is_zero() || !movement.debits.is_zero() || !movement.credits.is_zero())
}

/// The columns of `member_accounts.csv`, Chinese and English.
const MEMBER_ACCOUNT_COLUMNS: [&str; 27] = [
    "成员编号 Member",
    "姓名 Name",
    "年初扶贫资产股金 Poverty-relief capital opening",
    "本年增加扶贫资产股金 Poverty-relief capital increase",
    "本年减少扶贫资产股金 Poverty-relief capital decrease",
    "年末扶贫资产股金 Poverty-relief capital closing",
    "年初其他来源股金 Other capital opening",
    "本年增加其他来源股金 Other capital increase",
    "本年减少其他来源股金 Other capital decrease",
    "年末其他来源股金 Other capital closing",
    "年初出资额 Capital opening",
    "年末出资额 Capital closing",
    "年初公积金份额 Reserve share opening",
    "本年量化公积金 Reserve share change",
    "本年退还公积金份额 Reserve share returned",
    "本年公积金转为出资 Reserve share converted to capital",
    "年末公积金份额 Reserve share closing",
    "年初补助量化份额 Subsidy share opening",
    "本年补助份额变动 Subsidy share change",
    "年末补助量化份额 Subsidy share closing",
    "年初捐赠量化份额 Donation share opening",
    "本年捐赠份额变动 Donation share change",
    "年末捐赠量化份额 Donation share closing",
    "交易量(亩·日) Land mu-days",
    "交易量(劳务报酬) Labour pay",
    "盈余返还 Patronage return",
    "剩余盈余分配 Remaining surplus",
];

impl MemberAccountRow {
    /// Member accounts as CSV (UTF-8 with BOM): for each member, capital from poverty-relief
    /// assets and from other sources (opening, increase, decrease, closing), capital in all
    /// (opening, closing), the reserve share (opening, change, returned to a leaver,
    /// converted to capital, closing), subsidy and donation shares (opening, change,
    /// closing), the transaction volume as land mu-days and as labour pay, patronage return
    /// and remaining surplus.
    ///
    /// # Example
    ///
    /// ```
    /// let csv = landpool::report::MemberAccountRow::to_csv(&[]);
    /// assert!(csv.starts_with("\u{feff}成员编号 Member,姓名 Name,年初扶贫资产股金 Poverty-relief capital opening"));
    /// assert!(csv.contains("年末捐赠量化份额 Donation share closing"));
    /// ```
    pub fn to_csv(rows: &[MemberAccountRow]) -> String {
        let mut csv = Csv::new(&MEMBER_ACCOUNT_COLUMNS);
        for r in rows {
            let land_mu_days = r.land_mu_days.normalize();
            csv.row_cells(&[
                &r.member,
                &r.name,
                &r.poverty_relief_opening,
                &r.poverty_relief_increase,
                &r.poverty_relief_decrease,
                &r.poverty_relief_closing,
                &r.other_capital_opening,
                &r.other_capital_increase,
                &r.other_capital_decrease,
                &r.other_capital_closing,
                &r.capital_opening,
                &r.capital_closing,
                &r.reserve_opening,
                &r.reserve_change,
                &r.reserve_refunded,
                &r.reserve_converted,
                &r.reserve_closing,
                &r.subsidy_opening,
                &r.subsidy_change,
                &r.subsidy_share,
                &r.donation_opening,
                &r.donation_change,
                &r.donation_share,
                &land_mu_days,
                &r.labour_pay,
                &r.patronage,
                &r.remaining,
            ]);
        }
        csv.finish()
    }
}

/// A household's income from the cooperative for a year, and per person.
///
/// # Example
///
/// A household of the reference cooperative in 2019, from [`household_income`]:
///
/// ```
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let incomes = landpool::report::household_income(&book, 2019)?;
/// let h01 = incomes.iter().find(|i| i.member.as_str() == "H01").ok_or("no H01")?;
/// assert_eq!((h01.name.as_str(), h01.persons), ("高建国", 3));
/// let figures = [h01.rent, h01.guaranteed, h01.patronage, h01.remaining, h01.labour].map(|y| y.to_string());
/// assert_eq!(figures, ["8350.00", "0.00", "51974.40", "17746.24", "39900.00"]);
/// assert_eq!(h01.total.to_string(), "117970.64");
/// // 117,970.64 ÷ 3, rounded half away from zero to the fen.
/// assert_eq!(h01.per_person.to_string(), "39323.55");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdIncome {
    /// The household.
    pub member: MemberId,
    /// The head's name.
    pub name: String,
    /// Persons in the household.
    pub persons: u32,
    /// Land transfer rent booked in the year (流转费): what the year's rent accruals (entries
    /// dated in the year) credited to the member's 114 sub-account for transfer contracts.
    pub rent: Yuan,
    /// Guaranteed payments on land shares (保底), booked as the rent is.
    pub guaranteed: Yuan,
    /// Patronage return (盈余返还).
    pub patronage: Yuan,
    /// Remaining-surplus share (剩余盈余分配, including the second dividend on land shares).
    pub remaining: Yuan,
    /// Wages for work in the park (务工收入): the pay credited to the member's 212 and 213
    /// sub-accounts by entries dated in the year (the year's timesheets).
    pub labour: Yuan,
    /// The total.
    pub total: Yuan,
    /// The total ÷ persons, rounded half away from zero to the fen.
    pub per_person: Yuan,
}

/// Each household's income from the cooperative in `year`, as the journal credited it to
/// the member: rent and guaranteed payments accrued in the year, the year's dividends (from
/// its close), and wages booked in the year; total and per person (the seed's per-capita
/// figure). Every household that was a member on any day of the year has its line,
/// households that left during it included.
///
/// # Errors
///
/// Rent and ledger errors; [`Error::Overflow`](crate::Error::Overflow).
///
/// # Example
///
/// ```
/// assert!(landpool::report::household_income(&landpool::Book::new(), 2019)?.is_empty());
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn household_income(book: &Book, year: i32) -> Result<Vec<HouseholdIncome>> {
    let (first, last) = year_bounds(year)?;
    let distribution = book.distribution(year);
    let pay = book.member_pay_booked(first, last)?;
    let in_year = |date: &Date| (first..=last).contains(date);
    let mut rows = Vec::new();
    // The distribution keeps its shares in member id order, the register's usual order.
    let mut next_share = 0;
    for member in book.members_during(first, last) {
        let Some(persons) = member.persons() else {
            continue;
        };
        let (mut rent, mut guaranteed) = (Yuan::ZERO, Yuan::ZERO);
        for record in book.contracts_of(&member.id) {
            let booked = record
                .rent_booked
                .iter()
                .filter(|(date, _)| in_year(date))
                .map(|(_, amount)| *amount);
            let amount = Yuan::checked_sum(booked)?;
            match record.contract.kind {
                ContractKind::Transfer { .. } => rent = rent.checked_add(amount)?,
                ContractKind::LandShares { .. } => guaranteed = guaranteed.checked_add(amount)?,
            }
        }
        let labour = pay.of(&member.id);
        let share = distribution.and_then(|d| d.share_from(&member.id, &mut next_share));
        let patronage = share.map_or(Yuan::ZERO, |s| s.patronage);
        let remaining = share.map_or(Yuan::ZERO, |s| s.remaining);
        let total = Yuan::checked_sum([rent, guaranteed, patronage, remaining, labour])?;
        let per_person = Yuan::from_product(
            &[total.to_decimal()],
            Decimal::from(persons.max(1)),
            Rounding::HalfAwayFromZero,
        )?;
        rows.push(HouseholdIncome {
            member: member.id.clone(),
            name: member.name.to_string(),
            persons,
            rent,
            guaranteed,
            patronage,
            remaining,
            labour,
            total,
            per_person,
        });
    }
    Ok(rows)
}

impl HouseholdIncome {
    /// How receipts write amounts in capitals: with 人民币 and 整 after 角.
    pub(crate) const RECEIPT_STYLE: crate::CapitalsStyle = crate::CapitalsStyle {
        currency_prefix: true,
        zheng_after_jiao: true,
    };

    /// The items a receipt lists, in order, with their Chinese and English names: rent,
    /// guaranteed share payment, patronage return, remaining surplus, wages (a receipt shows
    /// the ones that are not zero).
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let incomes = landpool::report::household_income(&book, 2019)?;
    /// let first = incomes.first().ok_or("no households")?;
    /// let items = first.receipt_items();
    /// assert_eq!((items[0].0, items[0].2), ("土地流转费", first.rent));
    /// assert_eq!(items.iter().map(|i| i.2).sum::<Option<landpool::Yuan>>(), Some(first.total));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn receipt_items(&self) -> [(&'static str, &'static str, Yuan); 5] {
        [
            ("土地流转费", "land transfer rent", self.rent),
            ("入股保底收益", "guaranteed share payment", self.guaranteed),
            ("盈余返还", "patronage return", self.patronage),
            ("剩余盈余分配", "remaining surplus", self.remaining),
            ("务工收入", "wages", self.labour),
        ]
    }

    /// The items a receipt shows (those that are not zero), each with its amount in Chinese
    /// capitals, as the text and HTML receipts write them.
    pub(crate) fn shown_items(
        &self,
    ) -> impl Iterator<Item = (&'static str, &'static str, Yuan, String)> {
        self.receipt_items()
            .into_iter()
            .filter(|(_, _, amount)| !amount.is_zero())
            .map(|(zh, en, amount)| {
                (
                    zh,
                    en,
                    amount,
                    amount.to_chinese_upper_with(HouseholdIncome::RECEIPT_STYLE),
                )
            })
    }

    /// Household incomes as CSV (UTF-8 with BOM).
    ///
    /// # Example
    ///
    /// ```
    /// let csv = landpool::report::HouseholdIncome::to_csv(&[]);
    /// assert!(csv.contains("人均 Per person"));
    /// ```
    pub fn to_csv(rows: &[HouseholdIncome]) -> String {
        let mut csv = Csv::new(&[
            "成员编号 Member",
            "户主 Head",
            "人口 Persons",
            "流转费 Rent",
            "保底收益 Guaranteed",
            "盈余返还 Patronage",
            "剩余盈余 Remaining",
            "务工收入 Wages",
            "合计 Total",
            "人均 Per person",
        ]);
        for r in rows {
            csv.row_cells(&[
                &r.member,
                &r.name,
                &r.persons,
                &r.rent,
                &r.guaranteed,
                &r.patronage,
                &r.remaining,
                &r.labour,
                &r.total,
                &r.per_person,
            ]);
        }
        csv.finish()
    }
}

/// Receipts (收款凭证) for every household's income of the year, one per household, each
/// amount in figures and in Chinese capitals, as printable text, each line ending in `\n`.
/// The file `receipts.txt` that [`folder::statements`](crate::folder::statements) and
/// [`folder::write_statements`](crate::folder::write_statements) write is this text after a
/// UTF-8 byte-order mark, each line ending in CRLF, as the CSV tables are: Notepad before
/// Windows 10 reads a text without the mark as GBK on Chinese Windows, and shows one
/// without CR as a single line.
///
/// # Errors
///
/// As [`household_income`].
///
/// # Example
///
/// ```
/// assert_eq!(landpool::report::receipts(&landpool::Book::new(), 2019, "示例合作社")?, "");
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn receipts(book: &Book, year: i32, cooperative: &str) -> Result<String> {
    Ok(receipts_of(
        &household_income(book, year)?,
        year,
        cooperative,
        ReceiptsForm::Text,
    ))
}

/// [`receipts`] of household incomes already computed.
pub(crate) fn receipts_of(
    incomes: &[HouseholdIncome],
    year: i32,
    cooperative: &str,
    form: ReceiptsForm,
) -> String {
    // About 660 bytes a receipt.
    let mut out = String::with_capacity(incomes.len().saturating_mul(660).saturating_add(3));
    // Writing into a `String` cannot fail.
    let _ = write_receipts(&mut out, incomes, year, cooperative, form);
    out
}

/// How the receipts' text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReceiptsForm {
    /// As [`receipts`] returns it: lines ending in `\n`.
    Text,
    /// The file `receipts.txt`: a UTF-8 byte-order mark first and lines ending in CRLF, as
    /// the CSV tables are (Notepad before Windows 10 reads a text without the mark as GBK
    /// on Chinese Windows, and shows one without CR as a single line).
    File,
}

/// Writes [`receipts`] of household incomes already computed into `out` in `form`, receipt
/// by receipt (a file's writer need not hold them all).
pub(crate) fn write_receipts(
    out: &mut impl std::fmt::Write,
    incomes: &[HouseholdIncome],
    year: i32,
    cooperative: &str,
    form: ReceiptsForm,
) -> std::fmt::Result {
    let style = HouseholdIncome::RECEIPT_STYLE;
    let nl = match form {
        ReceiptsForm::Text => "\n",
        ReceiptsForm::File => {
            out.write_str(super::BOM)?;
            "\r\n"
        }
    };
    for (number, income) in incomes.iter().enumerate() {
        write!(
            out,
            "收款凭证 Receipt  No. {year}-{:04}{nl}付款单位 Payer: ",
            number.saturating_add(1)
        )?;
        write_lines(out, cooperative, nl)?;
        write!(out, "{nl}收款人 Payee: ")?;
        write_lines(out, &income.name, nl)?;
        write!(out, " ({}){nl}", income.member)?;
        for (zh, en, amount, words) in income.shown_items() {
            write!(out, "  {zh} {en}: ¥{amount}  {words}{nl}")?;
        }
        write!(
            out,
            "合计 Total: ¥{}{nl}金额大写 In words: {}{nl}",
            income.total,
            income.total.to_chinese_upper_with(style)
        )?;
        write!(
            out,
            "收款人签字 Signature: ____________    经手人 Handled by: ____________{nl}{nl}"
        )?;
    }
    Ok(())
}

/// Writes `text` with each of its line breaks (CRLF, CR or LF) written as `line_end`, so that
/// a name written on two lines keeps the receipts' line ends.
fn write_lines(out: &mut impl std::fmt::Write, text: &str, line_end: &str) -> std::fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n']) {
        let (line, after) = rest.split_at(at);
        out.write_str(line)?;
        out.write_str(line_end)?;
        rest = after
            .strip_prefix("\r\n")
            .or_else(|| after.get(1..))
            .unwrap_or("");
    }
    out.write_str(rest)
}

/// The trial balance of `year` as CSV (UTF-8 with BOM).
///
/// # Errors
///
/// As [`Journal::trial_balance`](crate::ledger::Journal::trial_balance).
///
/// # Example
///
/// ```
/// let csv = landpool::report::trial_balance_csv(&landpool::Book::new(), 2019)?;
/// assert!(csv.starts_with("\u{feff}科目编码 Code"));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn trial_balance_csv(book: &Book, year: i32) -> Result<String> {
    let (first, last) = year_bounds(year)?;
    trial_balance_csv_between(book, first, last)
}

/// The trial balance (科目余额表) of the days `from` through `to` as CSV (UTF-8 with BOM),
/// in [`trial_balance_csv`]'s columns: each account's balance before `from` (期初余额), its
/// debits and credits in the period and its balance at the end of `to`, and the totals. A
/// month's is the table a cooperative's accountant checks before the month's sheet.
///
/// # Errors
///
/// As [`Journal::trial_balance`](crate::ledger::Journal::trial_balance): a period that ends
/// before it starts is [`LedgerError::InvalidRange`](crate::ledger::LedgerError::InvalidRange).
///
/// # Example
///
/// The reference cooperative's March 2019:
///
/// ```
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let (march, end) = (date!(2019 - 03 - 01), date!(2019 - 03 - 31));
/// let csv = landpool::report::trial_balance_csv_between(&book, march, end)?;
/// let lines: Vec<&str> = csv.lines().collect();
/// // The bank's balance before March, the month's movements and its balance at the end.
/// assert!(lines.contains(&"102,银行存款,Bank deposits,1,-50000.00,0.00,464000.00,-514000.00"));
/// assert_eq!(lines.last(), Some(&"合计 Total,,,,0.00,755900.00,755900.00,0.00"));
/// // A row for each of the journal's trial balance rows of the month.
/// let tb = book.journal().trial_balance(march, end)?;
/// assert_eq!(lines.len(), tb.rows.len() + 2);
/// // A period that ends before it starts is refused.
/// let backwards = landpool::report::trial_balance_csv_between(&book, end, march);
/// assert!(matches!(
///     backwards,
///     Err(landpool::Error::Ledger(landpool::ledger::LedgerError::InvalidRange { .. }))
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn trial_balance_csv_between(book: &Book, from: Date, to: Date) -> Result<String> {
    trial_balance_text(
        book.journal(),
        from,
        to,
        crate::ledger::PARALLEL_ROWS_MIN,
        crate::ledger::PARALLEL_ROWS_MIN,
    )
}

/// [`trial_balance_csv`], its text written on one thread whatever the chart's size (its
/// lines still found in halves on two): for the statements, whose other tables and
/// receipts keep the second processor busy meanwhile, so that a second writer would only
/// add the copy of its half onto the first (a county's 80 MB, into memory not touched
/// before).
pub(crate) fn trial_balance_csv_one_writer(book: &Book, year: i32) -> Result<String> {
    let (first, last) = year_bounds(year)?;
    trial_balance_text(
        book.journal(),
        first,
        last,
        crate::ledger::PARALLEL_ROWS_MIN,
        usize::MAX,
    )
}

/// The columns of [`trial_balance_csv`].
const TRIAL_BALANCE_COLUMNS: [&str; 8] = [
    "科目编码 Code",
    "科目名称",
    "Account",
    "级次 Level",
    "期初余额 Opening",
    "本期借方 Debits",
    "本期贷方 Credits",
    "期末余额 Closing",
];

/// [`trial_balance_csv`]: its lines found in halves on two threads when the chart has at
/// least `parallel_min` accounts, its text's second half written on a second thread when
/// it has at least `text_parallel_min`. Written straight from the chart's accounts and each
/// line's figures (a county's table has 1.5 million lines), the same text as [`Csv::row`]
/// would write for each row of the [`TrialBalance`](crate::ledger::TrialBalance).
fn trial_balance_text(
    journal: &crate::ledger::Journal,
    first: Date,
    last: Date,
    parallel_min: usize,
    text_parallel_min: usize,
) -> Result<String> {
    let (lines, totals) =
        journal.trial_lines::<crate::ledger::TrialLine>(first, last, parallel_min)?;
    let nodes = journal.chart().nodes();
    let write = |lines: &[crate::ledger::TrialLine], out: &mut String| {
        // About 110 bytes a line; room not written costs no memory.
        out.reserve(lines.len().saturating_mul(128));
        for line in lines {
            let Some(account) = nodes.get(line.node as usize).map(|node| &node.account) else {
                continue;
            };
            for name in [
                account.code.as_str(),
                account.name_zh.as_str(),
                account.name_en.as_str(),
            ] {
                super::csv::push_cell(out, name);
                out.push(',');
            }
            // A level is a digit or two; `char::from_digit` writes one.
            match u32::try_from(line.level)
                .ok()
                .and_then(|level| char::from_digit(level, 10))
            {
                Some(digit) => out.push(digit),
                None => out.push_str(&line.level.to_string()),
            }
            for amount in [
                line.figures.opening,
                line.figures.debits,
                line.figures.credits,
                line.figures.closing,
            ] {
                out.push(',');
                amount.push_to(out);
            }
            out.push_str("\r\n");
        }
    };
    let (mut csv, tail) =
        crate::parallel::in_halves(&lines, text_parallel_min, |part, is_first| {
            let mut csv = if is_first {
                Csv::new(&TRIAL_BALANCE_COLUMNS)
            } else {
                Csv::continuation()
            };
            csv.write_rows(|out| write(part, out));
            Ok(csv)
        })?;
    if let Some(tail) = tail {
        csv.write_rows(|out| out.push_str(&tail.finish()));
    }
    let t = totals;
    csv.row(&[
        "合计 Total".to_string(),
        String::new(),
        String::new(),
        String::new(),
        t.opening_debit
            .checked_sub(t.opening_credit)
            .unwrap_or_default()
            .to_string(),
        t.debits.to_string(),
        t.credits.to_string(),
        t.closing_debit
            .checked_sub(t.closing_credit)
            .unwrap_or_default()
            .to_string(),
    ]);
    Ok(csv.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet reads back from its JSON; one written before sheets had a `date` reads as the
    /// year's last day (the only day they were made for); a `date` outside its `year`, or not
    /// written `YYYY-MM-DD`, is refused, naming what is wrong.
    #[test]
    fn a_balance_sheet_reads_back_and_one_without_its_date_is_its_years() {
        let book = Book::new();
        let june = time::macros::date!(2019 - 06 - 30);
        let sheet = balance_sheet_at(&book, june).unwrap_or_else(|e| panic!("{e}"));
        let json = serde_json::to_value(&sheet).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (&json["year"], &json["date"]),
            (&2019.into(), &"2019-06-30".into())
        );
        let back: BalanceSheet =
            serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, sheet);
        let read = |value: serde_json::Value| {
            serde_json::from_value::<BalanceSheet>(value).map_err(|e| e.to_string())
        };
        // As a sheet was written before it had a date.
        let mut old = json.clone();
        old.as_object_mut().map(|fields| fields.remove("date"));
        let as_of = read(old.clone()).map(|sheet| (sheet.year, sheet.date, sheet.lines));
        assert_eq!(
            as_of,
            Ok((
                2019,
                time::macros::date!(2019 - 12 - 31),
                sheet.lines.clone()
            ))
        );
        old["year"] = 10_000.into();
        assert_eq!(
            read(old),
            Err(
                "the balance sheet's year: year 10000: not a calendar year the books can hold"
                    .to_string()
            )
        );
        let mut odd = json.clone();
        odd["date"] = "2020-01-01".into();
        assert_eq!(
            read(odd),
            Err("the balance sheet's date 2020-01-01 is not in its year 2019".to_string())
        );
        let mut odd = json;
        odd["date"] = "2019-6-30".into();
        let refused = read(odd).err().unwrap_or_default();
        assert!(
            refused
                .starts_with("invalid date `date`: \"2019-6-30\" is not a date written YYYY-MM-DD"),
            "{refused}"
        );
    }

    /// Two households: one with rent and wages, one with a patronage return only.
    fn two_incomes() -> Vec<HouseholdIncome> {
        let household =
            |member: &str, name: &str, rent, patronage, labour, total, persons| HouseholdIncome {
                member: member.parse().unwrap_or_else(|e| panic!("{member}: {e}")),
                name: name.to_string(),
                persons,
                rent: Yuan::from_fen(rent),
                guaranteed: Yuan::ZERO,
                patronage: Yuan::from_fen(patronage),
                remaining: Yuan::ZERO,
                labour: Yuan::from_fen(labour),
                total: Yuan::from_fen(total),
                per_person: Yuan::from_fen(total / i64::from(persons)),
            };
        vec![
            household("H001", "张三", 135_000, 0, 30_050, 165_050, 2),
            household("H002", "李<四>", 0, 1_000, 0, 1_000, 1),
        ]
    }

    #[test]
    fn a_receipt_lists_its_amounts_in_figures_and_capitals() {
        assert_eq!(
            receipts_of(&two_incomes(), 2019, "示例合作社", ReceiptsForm::Text),
            "收款凭证 Receipt  No. 2019-0001\n\
             付款单位 Payer: 示例合作社\n\
             收款人 Payee: 张三 (H001)\n\
             \u{20} 土地流转费 land transfer rent: ¥1350.00  人民币壹仟叁佰伍拾元整\n\
             \u{20} 务工收入 wages: ¥300.50  人民币叁佰元零伍角整\n\
             合计 Total: ¥1650.50\n\
             金额大写 In words: 人民币壹仟陆佰伍拾元零伍角整\n\
             收款人签字 Signature: ____________    经手人 Handled by: ____________\n\n\
             收款凭证 Receipt  No. 2019-0002\n\
             付款单位 Payer: 示例合作社\n\
             收款人 Payee: 李<四> (H002)\n\
             \u{20} 盈余返还 patronage return: ¥10.00  人民币壹拾元整\n\
             合计 Total: ¥10.00\n\
             金额大写 In words: 人民币壹拾元整\n\
             收款人签字 Signature: ____________    经手人 Handled by: ____________\n\n"
        );
        assert_eq!(receipts_of(&[], 2019, "示例合作社", ReceiptsForm::Text), "");
    }

    /// The trial balance table, written straight from the chart and each line's figures on
    /// one thread or two, is the text of the trial balance's rows written one by one, names
    /// that need quoting and credit balances included.
    #[test]
    fn the_trial_balance_table_is_its_rows_written() -> Result<()> {
        use crate::ledger::{Entry, Journal};
        use time::macros::date;
        let mut journal = Journal::new();
        for m in 0..40_i64 {
            let receivable = AccountCode::new(&format!("114.M{m:05}"))?;
            let capital = AccountCode::new(&format!("301.M{m:05}"))?;
            journal.open_account(receivable.clone(), &format!("成员, \"{m}\""), "member")?;
            journal.open_account(capital.clone(), "股金", &format!("capital, {m}"))?;
            let day = if m % 3 == 0 {
                date!(2018 - 12 - 31)
            } else {
                date!(2019 - 06 - 30)
            };
            let amount = Yuan::from_fen((m + 1) * 100);
            journal.post(
                Entry::new(format!("E{m}").as_str(), day, "capital")
                    .debit(receivable, amount)
                    .credit(capital, amount),
            )?;
        }
        let (first, last) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
        // The rows written one by one, as the table was made before it was written from
        // the chart.
        let tb = journal.trial_balance(first, last)?;
        let mut rows = Csv::new(&TRIAL_BALANCE_COLUMNS);
        for row in &tb.rows {
            rows.row_display(&[
                &row.code,
                &row.name_zh,
                &row.name_en,
                &row.level,
                &row.opening,
                &row.debits,
                &row.credits,
                &row.closing,
            ]);
        }
        // Opening and closing balances net to zero; members 1 and 2 of every three paid in
        // during the year (533 of the 820 yuan).
        rows.row(&["合计 Total", "", "", "", "0.00", "533.00", "533.00", "0.00"]);
        let expected = rows.finish();
        for parallel_min in [0, 1, 60, usize::MAX] {
            for text_parallel_min in [0, 60, usize::MAX] {
                assert_eq!(
                    trial_balance_text(&journal, first, last, parallel_min, text_parallel_min)?,
                    expected,
                    "{parallel_min} {text_parallel_min}"
                );
            }
        }
        // Member 3 paid in 4 yuan in 2018: an opening balance, quoted names.
        assert!(expected
            .contains("\r\n114.M00003,\"成员, \"\"3\"\"\",member,2,4.00,0.00,0.00,4.00\r\n"));
        assert!(expected.contains("\r\n301.M00004,股金,\"capital, 4\",2,0.00,0.00,5.00,-5.00\r\n"));
        assert!(expected.contains("\r\n301,股金,Share capital,1,-287.00,0.00,533.00,-820.00\r\n"));
        // Two standard accounts and 80 sub-accounts, a header and a total.
        assert_eq!(expected.lines().count(), 84);
        Ok(())
    }
}
