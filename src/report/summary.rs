//! Summaries (汇总表) of several cooperatives' statements: a town's or a county's balance
//! sheet, surplus statement and members' equity statement, each the sum, line by line, of
//! its cooperatives' statements of the same day or year.

use crate::report::{
    balance_sheet_at, member_equity, surplus_statement, BalanceSheet, EquityColumn, MemberEquity,
    StatementLine, SurplusStatement,
};
use crate::{Book, Error, Result, Yuan};

const SHEET: &str = "balance sheet";
const SURPLUS: &str = "surplus statement";
const EQUITY: &str = "members' equity statement";

/// The summary (汇总) of several cooperatives' balance sheets (会农社01表) on the same day:
/// each line of each column the sum of that line in every sheet, as a town's or a county's
/// agricultural economics station (农经站) compiles the sheets of the cooperatives it
/// oversees. The summary has the form's 42 lines and names, the sheets' `year` and `date`,
/// and balances (line 22 equals line 42 in both columns), as each sheet does.
///
/// Each sheet must be on the first sheet's day, have the form's lines in order (numbers
/// and Chinese names, as [`balance_sheet_at`] makes them; the English names are not
/// compared, so a sheet kept as JSON by an earlier version is summed) and balance in both
/// columns; the error names the first that does not. `sheets` is a slice or any iterator
/// of references (such as `records.iter().map(|r| &r.sheet)`), an error's index the
/// sheet's place in it. The sheets are not changed.
///
/// # Errors
///
/// - [`Error::EmptySummary`] for no sheets.
/// - [`Error::SummaryMismatch`] for a sheet on another day than the first, not of the
///   form, or not balancing, with its index in `sheets` and what was expected.
/// - [`Error::Overflow`] if a line's sum does not fit an amount, naming the line and the
///   sheet.
///
/// # Example
///
/// The reference cooperative's sheet at the end of 2019 with a second cooperative's, one
/// that has just taken in 50,000 yuan of its members' capital:
///
/// ```
/// use landpool::report::{self, BalanceSheet};
///
/// let reference = report::balance_sheet(&landpool::folder::BookFolder::reference()?.run()?, 2019)?;
/// let mut other = report::balance_sheet(&landpool::Book::new(), 2019)?;
/// for line in other.lines.iter_mut().filter(|l| [1, 5, 22, 36, 41, 42].contains(&l.line)) {
///     line.current = "50000.00".parse()?;
/// }
/// let county = report::summary_balance_sheet([&reference, &other])?;
/// let closing = |sheet: &BalanceSheet, n| sheet.line(n).map(|l| l.current.to_string());
/// assert_eq!(closing(&reference, 22).as_deref(), Some("3627775.00"));
/// assert_eq!(closing(&county, 22).as_deref(), Some("3677775.00"));
/// assert_eq!(closing(&county, 42), closing(&county, 22));
/// assert_eq!(county.date, reference.date);
///
/// // A sheet of another day is refused, and named.
/// let june = report::balance_sheet_at(&landpool::Book::new(), time::macros::date!(2019 - 06 - 30))?;
/// let err = report::summary_balance_sheet([&reference, &june]).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "cannot add the balance sheet at index 1 to the summary: it is on 2019-06-30, the first is on 2019-12-31"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn summary_balance_sheet<'a>(
    sheets: impl IntoIterator<Item = &'a BalanceSheet>,
) -> Result<BalanceSheet> {
    let mut sheets = sheets.into_iter();
    let first = sheets
        .next()
        .ok_or(Error::EmptySummary { statement: SHEET })?;
    let mut summary = balance_sheet_at(&Book::new(), first.date)?;
    for (index, sheet) in std::iter::once(first).chain(sheets).enumerate() {
        if sheet.date != first.date {
            return Err(mismatch(
                SHEET,
                index,
                format!("it is on {}, the first is on {}", sheet.date, first.date),
            ));
        }
        if sheet.year != sheet.date.year() {
            return Err(mismatch(
                SHEET,
                index,
                format!(
                    "its year {} is not the year of its date {}",
                    sheet.year, sheet.date
                ),
            ));
        }
        add_lines(&mut summary.lines, &sheet.lines, SHEET, index)?;
        balances(sheet, index)?;
    }
    Ok(summary)
}

/// The summary (汇总) of several cooperatives' surplus statements (会农社02表) of the same
/// year: each line of each column (本年金额, 上年金额), and each of the two bases of the
/// law's 60% ([`SurplusStatement::patronage_bases`]), the sum of the statements'. The
/// summary has the form's 20 lines and names.
///
/// Each statement must be of the first one's year and have the form's lines in order
/// (numbers and Chinese names, as [`surplus_statement`] makes them); the error names the
/// first that does not, by its place in `statements` (a slice or any iterator of
/// references). The statements are not changed.
///
/// # Errors
///
/// - [`Error::EmptySummary`] for no statements.
/// - [`Error::SummaryMismatch`] for a statement of another year than the first or not of
///   the form, with its index in `statements` and what was expected.
/// - [`Error::Overflow`] if a sum does not fit an amount.
///
/// # Example
///
/// The reference cooperative's 2019 with an empty book's (a cooperative with no business
/// yet): the summary is the reference cooperative's figures.
///
/// ```
/// use landpool::report;
///
/// let reference = report::surplus_statement(&landpool::folder::BookFolder::reference()?.run()?, 2019)?;
/// let empty = report::surplus_statement(&landpool::Book::new(), 2019)?;
/// let county = report::summary_surplus_statement(&[reference.clone(), empty])?;
/// assert_eq!(county, reference);
/// // 12 本年盈余, the year's surplus.
/// assert_eq!(county.line(12).map(|l| l.current.to_string()).as_deref(), Some("1976025.00"));
///
/// let later = report::surplus_statement(&landpool::Book::new(), 2020)?;
/// assert_eq!(
///     report::summary_surplus_statement([&reference, &later]).map_err(|e| e.to_string()),
///     Err("cannot add the surplus statement at index 1 to the summary: it is of 2020, the first is of 2019".into())
/// );
/// assert_eq!(
///     report::summary_surplus_statement(&[]).map_err(|e| e.to_string()),
///     Err("a summary needs at least one surplus statement; none was given".into())
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn summary_surplus_statement<'a>(
    statements: impl IntoIterator<Item = &'a SurplusStatement>,
) -> Result<SurplusStatement> {
    let mut statements = statements.into_iter();
    let first = statements
        .next()
        .ok_or(Error::EmptySummary { statement: SURPLUS })?;
    let mut summary = surplus_statement(&Book::new(), first.year)?;
    for (index, statement) in std::iter::once(first).chain(statements).enumerate() {
        same_year(SURPLUS, index, statement.year, first.year)?;
        add_lines(&mut summary.lines, &statement.lines, SURPLUS, index)?;
        let (this_year, distributable) = &mut summary.patronage_bases;
        *this_year = add(
            *this_year,
            statement.patronage_bases.0,
            SURPLUS,
            index,
            format_args!("the first patronage base"),
        )?;
        *distributable = add(
            *distributable,
            statement.patronage_bases.1,
            SURPLUS,
            index,
            format_args!("the second patronage base"),
        )?;
    }
    Ok(summary)
}

/// The summary (汇总) of several cooperatives' members' equity statements (会农社03表) of
/// the same year: each column's (股金, 专项基金, 资本公积, 盈余公积, 未分配盈余, 合计)
/// opening, increase, decrease and closing the sum of the statements'.
///
/// Each statement must be of the first one's year and have the form's six columns in
/// order (by their Chinese names, as [`member_equity`] makes them); the error names the
/// first that does not, by its place in `statements` (a slice or any iterator of
/// references). The statements are not changed.
///
/// # Errors
///
/// - [`Error::EmptySummary`] for no statements.
/// - [`Error::SummaryMismatch`] for a statement of another year than the first or not of
///   the form, with its index in `statements` and what was expected.
/// - [`Error::Overflow`] if a sum does not fit an amount.
///
/// # Example
///
/// The reference cooperative's 2019 twice (two cooperatives of the same figures): every
/// amount doubles.
///
/// ```
/// use landpool::report;
///
/// let reference = report::member_equity(&landpool::folder::BookFolder::reference()?.run()?, 2019)?;
/// let county = report::summary_member_equity(&[reference.clone(), reference.clone()])?;
/// let capital = |equity: &report::MemberEquity| equity.columns.first().map(|c| c.closing.to_string());
/// assert_eq!(capital(&reference).as_deref(), Some("330000.00"));
/// assert_eq!(capital(&county).as_deref(), Some("660000.00"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn summary_member_equity<'a>(
    statements: impl IntoIterator<Item = &'a MemberEquity>,
) -> Result<MemberEquity> {
    let mut statements = statements.into_iter();
    let first = statements
        .next()
        .ok_or(Error::EmptySummary { statement: EQUITY })?;
    let mut summary = member_equity(&Book::new(), first.year)?;
    for (index, statement) in std::iter::once(first).chain(statements).enumerate() {
        same_year(EQUITY, index, statement.year, first.year)?;
        if statement.columns.len() != summary.columns.len() {
            return Err(mismatch(
                EQUITY,
                index,
                format!(
                    "it has {} columns, the form has {}",
                    statement.columns.len(),
                    summary.columns.len()
                ),
            ));
        }
        for (sum, column) in summary.columns.iter_mut().zip(&statement.columns) {
            if column.name_zh != sum.name_zh {
                return Err(mismatch(
                    EQUITY,
                    index,
                    format!(
                        "its column {} stands where the form has {}",
                        column.name_zh, sum.name_zh
                    ),
                ));
            }
            let EquityColumn {
                opening,
                increase,
                decrease,
                closing,
                ..
            } = sum;
            let name = &column.name_zh;
            let what = format_args!("{name} 年初余额");
            *opening = add(*opening, column.opening, EQUITY, index, what)?;
            let what = format_args!("{name} 本年增加");
            *increase = add(*increase, column.increase, EQUITY, index, what)?;
            let what = format_args!("{name} 本年减少");
            *decrease = add(*decrease, column.decrease, EQUITY, index, what)?;
            let what = format_args!("{name} 年末余额");
            *closing = add(*closing, column.closing, EQUITY, index, what)?;
        }
    }
    Ok(summary)
}

/// [`Error::SummaryMismatch`] for the `statement` at `index`.
fn mismatch(statement: &'static str, index: usize, reason: String) -> Error {
    Error::SummaryMismatch {
        statement,
        index,
        reason,
    }
}

/// Refuses a statement of `year` in a summary of `expected`'s.
fn same_year(statement: &'static str, index: usize, year: i32, expected: i32) -> Result<()> {
    if year == expected {
        Ok(())
    } else {
        Err(mismatch(
            statement,
            index,
            format!("it is of {year}, the first is of {expected}"),
        ))
    }
}

/// `sum + amount`, an overflow naming `what` of the `statement` at `index` (made only
/// then).
fn add(
    sum: Yuan,
    amount: Yuan,
    statement: &str,
    index: usize,
    what: std::fmt::Arguments<'_>,
) -> Result<Yuan> {
    sum.checked_add(amount).map_err(|_| Error::Overflow {
        operation: format!("summing {what} of the {statement} at index {index}: {sum} + {amount}"),
    })
}

/// Adds `lines`, the lines of the `statement` at `index`, into `sums`, the form's lines,
/// line by line; refuses lines that are not the form's.
fn add_lines(
    sums: &mut [StatementLine],
    lines: &[StatementLine],
    statement: &'static str,
    index: usize,
) -> Result<()> {
    if lines.len() != sums.len() {
        return Err(mismatch(
            statement,
            index,
            format!("it has {} lines, the form has {}", lines.len(), sums.len()),
        ));
    }
    for (sum, line) in sums.iter_mut().zip(lines) {
        if line.line != sum.line || line.name_zh != sum.name_zh {
            return Err(mismatch(
                statement,
                index,
                format!(
                    "its line {} {} stands where the form has line {} {}",
                    line.line, line.name_zh, sum.line, sum.name_zh
                ),
            ));
        }
        let (number, name) = (sum.line, &sum.name_zh);
        let current = format_args!("line {number} {name} (current)");
        let current = add(sum.current, line.current, statement, index, current)?;
        let previous = format_args!("line {number} {name} (previous)");
        let previous = add(sum.previous, line.previous, statement, index, previous)?;
        (sum.current, sum.previous) = (current, previous);
    }
    Ok(())
}

/// Refuses a balance sheet whose line 22 资产总计 is not its line 42 负债和所有者权益总计 in
/// either column. The lines are the form's (checked before).
fn balances(sheet: &BalanceSheet, index: usize) -> Result<()> {
    let (Some(assets), Some(claims)) = (sheet.line(22), sheet.line(42)) else {
        return Err(mismatch(SHEET, index, "it has no line 22 or 42".into()));
    };
    for (column, asset, claim) in [
        ("closing", assets.current, claims.current),
        ("opening", assets.previous, claims.previous),
    ] {
        if asset != claim {
            return Err(mismatch(
                SHEET,
                index,
                format!(
                    "it does not balance: in its {column} column line 22 资产总计 is {asset} and line 42 负债和所有者权益总计 {claim}"
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::balance_sheet;

    fn yuan(text: &str) -> Yuan {
        text.parse().unwrap_or(Yuan::ZERO)
    }

    /// An empty book's sheet of 2019 with `amount` on lines 1, 5 and 22 (assets) and 36,
    /// 41 and 42 (capital), in both columns.
    fn sheet_of(amount: &str) -> Result<BalanceSheet> {
        let mut sheet = balance_sheet(&Book::new(), 2019)?;
        for line in &mut sheet.lines {
            if [1, 5, 22, 36, 41, 42].contains(&line.line) {
                line.current = yuan(amount);
                line.previous = yuan(amount);
            }
        }
        Ok(sheet)
    }

    #[test]
    fn sheets_sum_line_by_line_and_one_sheet_is_its_own_summary() -> Result<()> {
        let summary =
            summary_balance_sheet(&[sheet_of("1.50")?, sheet_of("2.25")?, sheet_of("0.25")?])?;
        for line in &summary.lines {
            let expected = if [1, 5, 22, 36, 41, 42].contains(&line.line) {
                yuan("4.00")
            } else {
                Yuan::ZERO
            };
            assert_eq!(
                (line.line, line.current, line.previous),
                (line.line, expected, expected)
            );
        }
        assert_eq!(
            summary_balance_sheet(&[sheet_of("7.00")?])?,
            sheet_of("7.00")?
        );
        Ok(())
    }

    #[test]
    fn a_sheet_that_does_not_fit_is_named_with_what_was_expected() -> Result<()> {
        let good = sheet_of("1.00")?;
        let refused = |sheet: BalanceSheet| {
            summary_balance_sheet(&[good.clone(), sheet]).map_err(|e| e.to_string())
        };

        let mut unbalanced = sheet_of("1.00")?;
        if let Some(line) = unbalanced.lines.iter_mut().find(|l| l.line == 42) {
            line.previous = yuan("0.99");
        }
        assert_eq!(
            refused(unbalanced),
            Err("cannot add the balance sheet at index 1 to the summary: it does not balance: in its opening column line 22 资产总计 is 1.00 and line 42 负债和所有者权益总计 0.99".into())
        );

        let mut short = sheet_of("1.00")?;
        short.lines.pop();
        assert_eq!(
            refused(short),
            Err("cannot add the balance sheet at index 1 to the summary: it has 41 lines, the form has 42".into())
        );

        let mut swapped = sheet_of("1.00")?;
        swapped.lines.swap(0, 1);
        assert_eq!(
            refused(swapped),
            Err("cannot add the balance sheet at index 1 to the summary: its line 2 应收款项 stands where the form has line 1 货币资金".into())
        );

        let mut renamed = sheet_of("1.00")?;
        if let Some(line) = renamed.lines.first_mut() {
            line.name_zh = "现金".into();
        }
        assert_eq!(
            refused(renamed),
            Err("cannot add the balance sheet at index 1 to the summary: its line 1 现金 stands where the form has line 1 货币资金".into())
        );

        // The English names are not compared: an earlier version's JSON is summed.
        let mut english = sheet_of("1.00")?;
        if let Some(line) = english.lines.first_mut() {
            line.name_en = "Cash".into();
        }
        assert!(refused(english).is_ok());

        let mut mislabelled = sheet_of("1.00")?;
        mislabelled.year = 2018;
        assert_eq!(
            refused(mislabelled),
            Err("cannot add the balance sheet at index 1 to the summary: its year 2018 is not the year of its date 2019-12-31".into())
        );

        assert_eq!(
            summary_balance_sheet(&[]).map_err(|e| e.to_string()),
            Err("a summary needs at least one balance sheet; none was given".into())
        );
        Ok(())
    }

    #[test]
    fn a_sum_too_large_is_an_overflow_naming_the_line() -> Result<()> {
        let mut huge = sheet_of("0.00")?;
        for line in &mut huge.lines {
            if [1, 5, 22, 36, 41, 42].contains(&line.line) {
                line.current = Yuan::MAX;
            }
        }
        let err = summary_balance_sheet(&[huge.clone(), huge]).map_err(|e| e.to_string());
        assert_eq!(
            err,
            Err(format!(
                "overflow in summing line 1 货币资金 (current) of the balance sheet at index 1: {} + {}: the result does not fit",
                Yuan::MAX,
                Yuan::MAX
            ))
        );
        Ok(())
    }

    #[test]
    fn surplus_statements_and_equity_statements_are_checked_by_year_and_form() -> Result<()> {
        let book = Book::new();
        let this = surplus_statement(&book, 2019)?;
        let next = surplus_statement(&book, 2020)?;
        assert_eq!(
            summary_surplus_statement(&[this.clone(), next]).map_err(|e| e.to_string()),
            Err("cannot add the surplus statement at index 1 to the summary: it is of 2020, the first is of 2019".into())
        );
        let mut bases = this.clone();
        bases.patronage_bases = (yuan("3.00"), yuan("5.00"));
        let summary = summary_surplus_statement(&[bases.clone(), this.clone(), bases])?;
        assert_eq!(summary.patronage_bases, (yuan("6.00"), yuan("10.00")));

        // A year no book can hold (a statement read from JSON can say anything): refused
        // as the statement of that year is, not a panic.
        let mut far = this.clone();
        far.year = i32::MAX;
        assert_eq!(
            summary_surplus_statement([&far]).map_err(|e| e.to_string()),
            surplus_statement(&book, i32::MAX).map_err(|e| e.to_string())
        );
        assert!(summary_surplus_statement([&far]).is_err());

        let equity = member_equity(&book, 2019)?;
        let mut short = equity.clone();
        short.columns.pop();
        assert_eq!(
            summary_member_equity(&[equity.clone(), short]).map_err(|e| e.to_string()),
            Err("cannot add the members' equity statement at index 1 to the summary: it has 5 columns, the form has 6".into())
        );
        let mut swapped = equity.clone();
        swapped.columns.swap(0, 1);
        assert_eq!(
            summary_member_equity(&[swapped]).map_err(|e| e.to_string()),
            Err("cannot add the members' equity statement at index 0 to the summary: its column 专项基金 stands where the form has 股金".into())
        );
        assert_eq!(
            summary_member_equity(&[]).map_err(|e| e.to_string()),
            Err("a summary needs at least one members' equity statement; none was given".into())
        );
        Ok(())
    }
}
