//! The trial balance (试算平衡表) of a period.

use serde::{Deserialize, Serialize};
use time::Date;

use super::chart::Node;
use super::journal::span;
use super::{AccountCode, Journal, LedgerError, Name, Side};
use crate::parallel::{halfway, in_halves_into};
use crate::{Result, Yuan};

/// Accounts from which a trial balance reads its second half on a second thread.
pub(crate) const PARALLEL_ROWS_MIN: usize = 65_536;

/// One account's line of a [`TrialBalance`].
///
/// A parent account's figures include its sub-accounts (rolled up); `level` and `is_leaf`
/// say where the row sits, so that totals are taken over one level only (the totals of a
/// [`TrialBalance`] add up the level-1 rows, the standard accounts).
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, Side};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let mut journal = Journal::new();
/// journal.open_account(AccountCode::new("301.M001")?, "张三", "Zhang San")?;
/// journal.post(Entry::new("E1", date!(2019 - 01 - 10), "capital")
///     .debit(AccountCode::new("102")?, Yuan::from_yuan(5000)?)
///     .credit(AccountCode::new("301.M001")?, Yuan::from_yuan(5000)?))?;
/// let tb = journal.trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
///
/// let row = |code: &str| tb.rows.iter().find(|r| r.code.as_str() == code).ok_or("no row");
/// let member = row("301.M001")?;
/// assert_eq!((member.name_zh.as_str(), member.level, member.is_leaf), ("张三", 2, true));
/// assert_eq!(member.normal_side, Side::Credit);
/// assert_eq!((member.opening, member.debits), (Yuan::ZERO, Yuan::ZERO));
/// assert_eq!(member.credits.to_string(), "5000.00");
/// // A credit balance is negative.
/// assert_eq!(member.closing.to_string(), "-5000.00");
/// // The standard account rolls up its sub-accounts.
/// let capital = row("301")?;
/// assert_eq!((capital.level, capital.is_leaf), (1, false));
/// assert_eq!(capital.closing, member.closing);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialBalanceRow {
    /// The account code.
    pub code: AccountCode,
    /// The Chinese name.
    pub name_zh: Name,
    /// The English name.
    pub name_en: Name,
    /// 1 for a standard account, 2 for its sub-accounts, …
    pub level: usize,
    /// Whether the account has no sub-accounts (末级科目).
    pub is_leaf: bool,
    /// The account's normal side.
    pub normal_side: Side,
    /// Balance before the period (debits minus credits; negative is a credit balance).
    pub opening: Yuan,
    /// Debits in the period.
    pub debits: Yuan,
    /// Credits in the period.
    pub credits: Yuan,
    /// Balance at the end of the period: `opening + debits − credits`.
    pub closing: Yuan,
}

/// The column totals of a [`TrialBalance`], over the level-1 rows, with balances split into
/// debit and credit columns as on a printed 试算平衡表.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal, TrialBalanceTotals};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let code = |c: &str| AccountCode::new(c);
/// let mut journal = Journal::new();
/// journal.open_account(code("301.M001")?, "张三", "Zhang San")?;
/// journal.post(Entry::new("E1", date!(2018 - 12 - 20), "capital")
///     .debit(code("102")?, Yuan::from_yuan(5000)?).credit(code("301.M001")?, Yuan::from_yuan(5000)?))?;
/// journal.post(Entry::new("E2", date!(2019 - 01 - 10), "cash")
///     .debit(code("101")?, Yuan::from_yuan(300)?).credit(code("102")?, Yuan::from_yuan(300)?))?;
///
/// let tb = journal.trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// // Opening: 5000 in the bank (102, debit) as capital (301, credit); 300 drawn as cash.
/// assert_eq!(tb.totals, TrialBalanceTotals {
///     opening_debit: Yuan::from_yuan(5000)?,
///     opening_credit: Yuan::from_yuan(5000)?,
///     debits: Yuan::from_yuan(300)?,
///     credits: Yuan::from_yuan(300)?,
///     closing_debit: Yuan::from_yuan(5000)?,
///     closing_credit: Yuan::from_yuan(5000)?,
/// });
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TrialBalanceTotals {
    /// Sum of the debit opening balances (期初借方).
    pub opening_debit: Yuan,
    /// Sum of the credit opening balances, as a positive amount (期初贷方).
    pub opening_credit: Yuan,
    /// Sum of the debits in the period (本期借方).
    pub debits: Yuan,
    /// Sum of the credits in the period (本期贷方).
    pub credits: Yuan,
    /// Sum of the debit closing balances (期末借方).
    pub closing_debit: Yuan,
    /// Sum of the credit closing balances, as a positive amount (期末贷方).
    pub closing_credit: Yuan,
}

/// The trial balance (试算平衡表) of a period: per account with any balance or activity, its
/// opening balance, debits, credits and closing balance, in code order, with column totals.
///
/// [`Journal::trial_balance`] checks, rather than assumes, that the books balance: every
/// row's closing is its opening plus debits minus credits, every parent row is the sum of its
/// sub-account rows, the debit and credit columns of the totals agree, and the totals agree
/// with the journal's own running totals. A failure is an error.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Entry, Journal};
/// use landpool::Yuan;
/// use time::macros::date;
///
/// let code = |c: &str| AccountCode::new(c);
/// let mut journal = Journal::new();
/// journal.open_account(code("301.M001")?, "张三", "Zhang San")?;
/// journal.post(Entry::new("E1", date!(2018 - 12 - 20), "capital")
///     .debit(code("102")?, Yuan::from_yuan(5000)?).credit(code("301.M001")?, Yuan::from_yuan(5000)?))?;
/// journal.post(Entry::new("E2", date!(2019 - 01 - 10), "cash")
///     .debit(code("101")?, Yuan::from_yuan(300)?).credit(code("102")?, Yuan::from_yuan(300)?))?;
///
/// let tb = journal.trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// let rows: Vec<(&str, i64, i64, i64, i64)> = tb.rows.iter()
///     .map(|r| (r.code.as_str(), r.opening.fen(), r.debits.fen(), r.credits.fen(), r.closing.fen()))
///     .collect();
/// assert_eq!(rows, [
///     ("101", 0, 30_000, 0, 30_000),
///     ("102", 500_000, 0, 30_000, 470_000),
///     ("301", -500_000, 0, 0, -500_000),
///     ("301.M001", -500_000, 0, 0, -500_000),
/// ]);
/// assert_eq!(tb.totals.opening_debit, Yuan::from_yuan(5000)?);
/// assert_eq!(tb.totals.debits, Yuan::from_yuan(300)?);
/// assert_eq!(tb.totals.closing_credit, Yuan::from_yuan(5000)?);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialBalance {
    /// First day of the period.
    #[serde(with = "super::entry::date_text")]
    pub from: Date,
    /// Last day of the period.
    #[serde(with = "super::entry::date_text")]
    pub to: Date,
    /// One row per account with a balance or activity, in code order.
    pub rows: Vec<TrialBalanceRow>,
    /// Column totals over the level-1 rows.
    pub totals: TrialBalanceTotals,
}

impl TrialBalance {
    /// The row of `code`, if it has one.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Journal};
    /// use time::macros::date;
    /// let tb = Journal::new().trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert!(tb.row(&AccountCode::new("101")?).is_none());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn row(&self, code: &AccountCode) -> Option<&TrialBalanceRow> {
        self.rows
            .binary_search_by(|row| row.code.cmp(code))
            .ok()
            .and_then(|i| self.rows.get(i))
    }
}

impl Journal {
    /// The trial balance (试算平衡表) for the entries dated from `from` to `to`, both
    /// included; see [`TrialBalance`].
    ///
    /// Two binary searches per account over the running totals: the cost does not grow with
    /// the number of entries.
    ///
    /// # Errors
    ///
    /// [`LedgerError::InvalidRange`] when `from` is after `to`;
    /// [`LedgerError::TrialBalanceMismatch`] when a check fails (which means a bug in the
    /// ledger, and says which check and which amounts).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal, LedgerError};
    /// use landpool::{Error, Yuan};
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// journal.post(Entry::new("E1", date!(2019 - 03 - 01), "withdraw")
    ///     .debit(AccountCode::new("101")?, Yuan::from_fen(500))
    ///     .credit(AccountCode::new("102")?, Yuan::from_fen(500)))?;
    /// let tb = journal.trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// let codes: Vec<&str> = tb.rows.iter().map(|row| row.code.as_str()).collect();
    /// assert_eq!(codes, ["101", "102"]);
    /// assert_eq!(tb.totals.debits, Yuan::from_fen(500));
    /// assert_eq!(tb.totals.credits, Yuan::from_fen(500));
    /// let backwards = journal.trial_balance(date!(2019 - 12 - 31), date!(2019 - 01 - 01));
    /// assert!(matches!(backwards, Err(Error::Ledger(LedgerError::InvalidRange { .. }))));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn trial_balance(&self, from: Date, to: Date) -> Result<TrialBalance> {
        self.trial_balance_split(from, to, PARALLEL_ROWS_MIN)
    }

    /// [`Journal::trial_balance`], reading the second half of the chart on a second thread
    /// when it has at least `parallel_min` accounts.
    fn trial_balance_split(
        &self,
        from: Date,
        to: Date,
        parallel_min: usize,
    ) -> Result<TrialBalance> {
        let (rows, totals) = self.trial_lines::<TrialBalanceRow>(from, to, parallel_min)?;
        Ok(TrialBalance {
            from,
            to,
            rows,
            totals,
        })
    }

    /// The checked lines of a trial balance in code order, each an `L` made from its
    /// account's chart node and figures, and the column totals: the rows of a
    /// [`TrialBalance`], or [`TrialLine`]s for a statement written straight from the chart.
    /// The second half of the chart is read on a second thread when it has at least
    /// `parallel_min` accounts; the first error in code order is the one returned, as on one
    /// thread.
    pub(crate) fn trial_lines<L: Line>(
        &self,
        from: Date,
        to: Date,
        parallel_min: usize,
    ) -> Result<(Vec<L>, TrialBalanceTotals)> {
        let movement = self.total_movement(from, to)?;
        let fail = |what: String, left: Yuan, right: Yuan| -> crate::Error {
            LedgerError::TrialBalanceMismatch {
                from,
                to,
                what,
                left,
                right,
            }
            .into()
        };
        let nodes = self.chart().nodes();
        // The lines of the accounts in `order` (chart nodes in code order), written to the
        // first places of `out` (one place for each account of `order`), and their nodes.
        let lines_into = |order: &[u32], out: &mut [Option<L>]| -> Result<Vec<usize>> {
            let mut line_nodes = Vec::new();
            let mut places = out.iter_mut();
            for node in order.iter().map(|&node| node as usize) {
                let (Some(series), Some(info)) = (self.series_at(node), nodes.get(node)) else {
                    continue;
                };
                if series.is_empty() {
                    continue;
                }
                let before = series.before(from);
                let during = span(series, from, to);
                let opening = Yuan::from_fen(before.debits.saturating_sub(before.credits));
                let debits = Yuan::from_fen(during.debits);
                let credits = Yuan::from_fen(during.credits);
                let closing = opening.checked_add(debits)?.checked_sub(credits)?;
                let through = series.through(to);
                let expected = Yuan::from_fen(through.debits.saturating_sub(through.credits));
                if closing != expected {
                    return Err(fail(
                        format!(
                            "{}: opening + debits - credits against the running balance",
                            info.account.code
                        ),
                        closing,
                        expected,
                    ));
                }
                if opening.is_zero() && debits.is_zero() && credits.is_zero() {
                    continue;
                }
                // `out` has a place for each account of `order` posted to, so one for each line.
                if let Some(place) = places.next() {
                    line_nodes.push(node);
                    *place = Some(L::new(
                        node,
                        info,
                        Figures {
                            opening,
                            debits,
                            credits,
                            closing,
                        },
                    ));
                }
            }
            Ok(line_nodes)
        };
        // A place for each account posted to (an account never posted to has no line), both
        // halves' lines written into the one list (each half from the start of its part),
        // then gathered in place: a county chart has hundreds of thousands of accounts, and
        // a second list for the second half's lines, appended to the first's, would hold
        // them twice. (The million-event book's chart has 688,409 accounts, 100,034 of them
        // never posted to; its year's trial balance has 588,375 lines.)
        let order = self.chart().code_order();
        let posted = |part: &[u32]| {
            part.iter()
                .filter(|&&node| self.series_at(node as usize).is_some_and(|s| !s.is_empty()))
                .count()
        };
        let (first, second) = order.split_at(halfway(order));
        let first_places = posted(first);
        let mut places: Vec<Option<L>> = Vec::new();
        places.resize_with(first_places.saturating_add(posted(second)), || None);
        let (mut line_nodes, tail) = in_halves_into(
            order,
            &mut places,
            first_places,
            parallel_min,
            |part, out, _| lines_into(part, out),
        )?;
        if let Some(tail_nodes) = tail {
            line_nodes.extend(tail_nodes);
        }
        // In order, in the list's own memory: an `Option` of a line is the size of a line,
        // and the standard library collects a `filter_map` of a list's items in place
        // (`flatten` it does not: it copied the million-event book's lines to a new list,
        // 60 MB more at the peak).
        #[allow(clippy::filter_map_identity)]
        let mut lines: Vec<L> = places.into_iter().filter_map(|line| line).collect();
        // A parent whose sub-accounts' balances offset one another, with nothing moving in
        // the period, has figures of zero; it still heads its sub-accounts' lines.
        let missing = parents_without_lines(nodes, &line_nodes);
        if !missing.is_empty() {
            (lines, line_nodes) = with_parent_lines(order, nodes, lines, line_nodes, missing);
        }
        lines.shrink_to_fit();
        check_roll_up(nodes, &lines, &line_nodes, &fail)?;
        let totals = totals(&lines)?;
        let pairs = [
            (
                "opening debit balances against opening credit balances",
                totals.opening_debit,
                totals.opening_credit,
            ),
            ("debits against credits", totals.debits, totals.credits),
            (
                "closing debit balances against closing credit balances",
                totals.closing_debit,
                totals.closing_credit,
            ),
            (
                "debits of the accounts against the journal's debits",
                totals.debits,
                movement.debits,
            ),
            (
                "credits of the accounts against the journal's credits",
                totals.credits,
                movement.credits,
            ),
        ];
        for (what, left, right) in pairs {
            if left != right {
                return Err(fail(what.to_string(), left, right));
            }
        }
        Ok((lines, totals))
    }
}

/// An account's figures in a trial balance, in yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Figures {
    /// Balance before the period.
    pub(crate) opening: Yuan,
    /// Debits in the period.
    pub(crate) debits: Yuan,
    /// Credits in the period.
    pub(crate) credits: Yuan,
    /// Balance at the end of the period.
    pub(crate) closing: Yuan,
}

/// A line of a trial balance as [`Journal::trial_lines`] makes it: a [`TrialBalanceRow`], or
/// a [`TrialLine`].
pub(crate) trait Line: Send + Sized {
    /// The line of the account at chart node `node`.
    fn new(node: usize, info: &Node, figures: Figures) -> Self;
    /// Its figures.
    fn figures(&self) -> Figures;
    /// 1 for a standard account, 2 for its sub-accounts, …
    fn level(&self) -> usize;
    /// Whether the account has no sub-accounts.
    fn is_leaf(&self) -> bool;
}

impl Line for TrialBalanceRow {
    fn new(_node: usize, info: &Node, figures: Figures) -> TrialBalanceRow {
        TrialBalanceRow {
            code: info.account.code.clone(),
            name_zh: info.account.name_zh.clone(),
            name_en: info.account.name_en.clone(),
            level: info.account.code.level(),
            is_leaf: info.children == 0,
            normal_side: info.account.normal_side,
            opening: figures.opening,
            debits: figures.debits,
            credits: figures.credits,
            closing: figures.closing,
        }
    }

    fn figures(&self) -> Figures {
        Figures {
            opening: self.opening,
            debits: self.debits,
            credits: self.credits,
            closing: self.closing,
        }
    }

    fn level(&self) -> usize {
        self.level
    }

    fn is_leaf(&self) -> bool {
        self.is_leaf
    }
}

/// A trial balance line that keeps its account's chart node instead of copies of its code
/// and names (48 bytes, not a row's 120): a county's trial balance statement has 1.5 million
/// lines, written straight from the chart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TrialLine {
    /// The account's position in the chart's nodes.
    pub(crate) node: u32,
    /// Whether the account has no sub-accounts.
    is_leaf: bool,
    /// The account's level.
    pub(crate) level: usize,
    /// Its figures.
    pub(crate) figures: Figures,
}

impl Line for TrialLine {
    fn new(node: usize, info: &Node, figures: Figures) -> TrialLine {
        TrialLine {
            // A chart holds at most MAX_ACCOUNTS (below 2^32) accounts.
            node: u32::try_from(node).unwrap_or(u32::MAX),
            is_leaf: info.children == 0,
            level: info.account.code.level(),
            figures,
        }
    }

    fn figures(&self) -> Figures {
        self.figures
    }

    fn level(&self) -> usize {
        self.level
    }

    fn is_leaf(&self) -> bool {
        self.is_leaf
    }
}

/// The chart nodes that have no line of their own but a sub-account with one (and so a
/// parent, grandparent, … to show above it), in no particular order.
fn parents_without_lines(nodes: &[super::chart::Node], line_nodes: &[usize]) -> Vec<usize> {
    let mut has_line = vec![false; nodes.len()];
    for &node in line_nodes {
        if let Some(slot) = has_line.get_mut(node) {
            *slot = true;
        }
    }
    let mut missing = Vec::new();
    for &node in line_nodes {
        let mut parent = nodes.get(node).and_then(super::chart::Node::parent);
        // Up to the first ancestor with a line: it looks above itself in its own turn.
        while let Some(up) = parent {
            match has_line.get_mut(up) {
                Some(slot) if !*slot => {
                    *slot = true;
                    missing.push(up);
                }
                _ => break,
            }
            parent = nodes.get(up).and_then(super::chart::Node::parent);
        }
    }
    missing
}

/// `lines` (in code order) with a line of zero figures for each node of `missing`, each in
/// its place in the code order.
fn with_parent_lines<L: Line>(
    code_order: &[u32],
    nodes: &[super::chart::Node],
    lines: Vec<L>,
    line_nodes: Vec<usize>,
    mut missing: Vec<usize>,
) -> (Vec<L>, Vec<usize>) {
    let mut place = vec![u32::MAX; nodes.len()];
    for (at, &node) in code_order.iter().enumerate() {
        if let Some(slot) = place.get_mut(node as usize) {
            *slot = u32::try_from(at).unwrap_or(u32::MAX);
        }
    }
    let place_of = |node: usize| place.get(node).copied().unwrap_or(u32::MAX);
    missing.sort_by_key(|&node| place_of(node));
    let size = lines.len().saturating_add(missing.len());
    let (mut merged, mut merged_nodes) = (Vec::with_capacity(size), Vec::with_capacity(size));
    let mut extra = missing.into_iter().peekable();
    let mut push_zero_lines_before =
        |at: u32, merged: &mut Vec<L>, merged_nodes: &mut Vec<usize>| {
            while let Some(node) = extra.next_if(|&node| place_of(node) < at) {
                if let Some(info) = nodes.get(node) {
                    merged.push(L::new(node, info, Figures::default()));
                    merged_nodes.push(node);
                }
            }
        };
    for (line, node) in lines.into_iter().zip(line_nodes) {
        push_zero_lines_before(place_of(node), &mut merged, &mut merged_nodes);
        merged.push(line);
        merged_nodes.push(node);
    }
    push_zero_lines_before(u32::MAX, &mut merged, &mut merged_nodes);
    (merged, merged_nodes)
}

/// Checks that every parent line is the sum of its direct sub-accounts' lines, reading the
/// lines once in code order (an account's line right before its sub-accounts'), with the
/// lines still open above the current one in a stack as deep as the chart: no list the size
/// of the chart or of the lines. `line_nodes` holds each line's chart node.
fn check_roll_up<L: Line>(
    nodes: &[Node],
    lines: &[L],
    line_nodes: &[usize],
    fail: &dyn Fn(String, Yuan, Yuan) -> crate::Error,
) -> Result<()> {
    // Each open line: its node, its line, and the sums of its sub-accounts' lines so far.
    let mut open: Vec<(usize, &L, Figures)> = Vec::new();
    let close = |(node, line, sums): (usize, &L, Figures)| -> Result<()> {
        if line.is_leaf() {
            return Ok(());
        }
        let own = line.figures();
        for (what, own, children) in [
            ("opening", own.opening, sums.opening),
            ("debits", own.debits, sums.debits),
            ("credits", own.credits, sums.credits),
        ] {
            if own != children {
                let code = nodes.get(node).map(|info| info.account.code.as_str());
                return Err(fail(
                    format!(
                        "{} {what} against the sum of its sub-accounts",
                        code.unwrap_or_default()
                    ),
                    own,
                    children,
                ));
            }
        }
        Ok(())
    };
    for (line, &node) in lines.iter().zip(line_nodes) {
        let parent = nodes.get(node).and_then(Node::parent);
        // The lines open above this one are its parent's and the parent's ancestors'; the
        // others are done.
        while let Some(&(top, ..)) = open.last() {
            if Some(top) == parent {
                break;
            }
            if let Some(done) = open.pop() {
                close(done)?;
            }
        }
        match (open.last_mut(), parent) {
            (Some((_, _, sums)), Some(_)) => {
                let figures = line.figures();
                sums.opening = sums.opening.checked_add(figures.opening)?;
                sums.debits = sums.debits.checked_add(figures.debits)?;
                sums.credits = sums.credits.checked_add(figures.credits)?;
            }
            (None, Some(parent)) => {
                // Every sub-account's line follows its parent's (the lines are in code order
                // and a parent with a line below it has one).
                let code = nodes.get(node).map(|info| info.account.code.as_str());
                let parent = nodes.get(parent).map(|info| info.account.code.as_str());
                return Err(fail(
                    format!(
                        "{}: its line is not under its parent {}'s (opening)",
                        code.unwrap_or_default(),
                        parent.unwrap_or_default()
                    ),
                    line.figures().opening,
                    Yuan::ZERO,
                ));
            }
            (_, None) => {}
        }
        open.push((node, line, Figures::default()));
    }
    while let Some(done) = open.pop() {
        close(done)?;
    }
    Ok(())
}

fn totals<L: Line>(rows: &[L]) -> Result<TrialBalanceTotals> {
    let mut t = TrialBalanceTotals::default();
    for row in rows.iter().filter(|r| r.level() == 1).map(Line::figures) {
        if row.opening.is_negative() {
            t.opening_credit = t.opening_credit.checked_sub(row.opening)?;
        } else {
            t.opening_debit = t.opening_debit.checked_add(row.opening)?;
        }
        t.debits = t.debits.checked_add(row.debits)?;
        t.credits = t.credits.checked_add(row.credits)?;
        if row.closing.is_negative() {
            t.closing_credit = t.closing_credit.checked_sub(row.closing)?;
        } else {
            t.closing_debit = t.closing_debit.checked_add(row.closing)?;
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{AccountCode, Entry};
    use time::macros::date;

    /// A journal with `members` sub-accounts under 114 and 301 and a posting pair each,
    /// some in the year before.
    fn journal(members: u32) -> Result<Journal> {
        let mut journal = Journal::new();
        for m in 0..members {
            let receivable = AccountCode::new(&format!("114.M{m:05}"))?;
            let capital = AccountCode::new(&format!("301.M{m:05}"))?;
            journal.open_account(receivable.clone(), "成员往来", "member account")?;
            journal.open_account(capital.clone(), "股金", "share capital")?;
            let day = if m % 3 == 0 {
                date!(2018 - 12 - 31)
            } else {
                date!(2019 - 01 - 01)
                    .replace_ordinal(u16::try_from(m % 365).unwrap_or(0).saturating_add(1))
                    .unwrap_or(date!(2019 - 01 - 01))
            };
            journal.post(
                Entry::new(format!("E{m}").as_str(), day, "capital")
                    .debit(
                        receivable,
                        Yuan::from_fen(i64::from(m).saturating_add(1) * 100),
                    )
                    .credit(
                        capital,
                        Yuan::from_fen(i64::from(m).saturating_add(1) * 100),
                    ),
            )?;
        }
        Ok(journal)
    }

    #[test]
    fn a_trial_balance_read_on_two_threads_is_the_one_read_on_one() -> Result<()> {
        for members in [0, 1, 2, 7, 300] {
            let journal = journal(members)?;
            for (from, to) in [
                (date!(2019 - 01 - 01), date!(2019 - 12 - 31)),
                (date!(2019 - 03 - 01), date!(2019 - 06 - 30)),
                (date!(2018 - 01 - 01), date!(2018 - 12 - 31)),
            ] {
                let one = journal.trial_balance_split(from, to, usize::MAX)?;
                let two = journal.trial_balance_split(from, to, 0)?;
                assert_eq!(one, two, "{members} members, {from} to {to}");
                assert_eq!(journal.trial_balance(from, to)?, one);
            }
            let year =
                journal.trial_balance_split(date!(2019 - 01 - 01), date!(2019 - 12 - 31), 0)?;
            // Each member's two accounts with movement or a balance, and their parents.
            let expected = if members == 0 {
                0
            } else {
                2 * members as usize + 2
            };
            assert_eq!(year.rows.len(), expected, "{members} members");
            // Exact figures: member m posts (m + 1) yuan, in 2018 when m is a multiple of 3.
            let fen = |m: u32| i64::from(m + 1) * 100;
            let (before, during): (Vec<u32>, Vec<u32>) = (0..members).partition(|m| m % 3 == 0);
            let sum = |ms: &[u32]| Yuan::from_fen(ms.iter().map(|&m| fen(m)).sum());
            assert_eq!(year.totals.opening_debit, sum(&before));
            assert_eq!(year.totals.opening_credit, sum(&before));
            assert_eq!(year.totals.debits, sum(&during));
            assert_eq!(year.totals.credits, sum(&during));
            assert_eq!(
                year.totals.closing_debit,
                sum(&(0..members).collect::<Vec<_>>())
            );
            if members > 3 {
                let row = |code: &str| year.rows.iter().find(|r| r.code.as_str() == code);
                let m3 = row("114.M00003").map(|r| (r.opening, r.debits, r.closing));
                assert_eq!(
                    m3,
                    Some((Yuan::from_fen(400), Yuan::ZERO, Yuan::from_fen(400)))
                );
                let m4 = row("301.M00004").map(|r| (r.opening, r.credits, r.closing));
                assert_eq!(
                    m4,
                    Some((Yuan::ZERO, Yuan::from_fen(500), Yuan::from_fen(-500)))
                );
            }
            let codes: Vec<&str> = year.rows.iter().map(|r| r.code.as_str()).collect();
            let mut sorted = year.rows.iter().map(|r| r.code.clone()).collect::<Vec<_>>();
            sorted.sort();
            assert_eq!(
                codes,
                sorted.iter().map(AccountCode::as_str).collect::<Vec<_>>()
            );
        }
        Ok(())
    }
}
