//! Statements as a platform receives them from its cooperatives, JSON of any shape, summed
//! into a town's or a county's (`report::summary_balance_sheet`, `summary_surplus_statement`,
//! `summary_member_equity`): reading and summing never panic; a summary that is made has
//! the form's lines or columns, each the sum of the statements' (a balance sheet's also
//! balancing), and a refusal is one of the summaries' own errors or the statement's for a
//! year no book can hold.
#![no_main]

use landpool::report::{self, BalanceSheet, MemberEquity, StatementLine, SurplusStatement};
use landpool::{Error, Yuan};
use libfuzzer_sys::fuzz_target;

/// The sum of `amounts`, wide enough never to overflow.
fn wide(amounts: impl Iterator<Item = Yuan>) -> i128 {
    amounts.map(|amount| i128::from(amount.fen())).sum()
}

/// A refusal a summary may give: its own, an overflow, or the empty book's statement of a
/// year no book can hold.
fn expected_refusal(error: &Error) -> bool {
    match error {
        Error::SummaryMismatch { .. } | Error::EmptySummary { .. } | Error::Overflow { .. } => true,
        Error::Pool(landpool::PoolError::NotAllowed { reason, .. }) => {
            reason == "not a calendar year the books can hold"
        }
        _ => false,
    }
}

/// Each line of `summary`, in both columns, is the sum of that line of every statement's
/// `lines`.
fn assert_summed<'a>(
    summary: &[StatementLine],
    lines: impl Iterator<Item = &'a [StatementLine]> + Clone,
) {
    for (n, line) in summary.iter().enumerate() {
        let of = |lines: &'a [StatementLine]| lines.get(n).map(|l| (l.current, l.previous));
        let current = wide(lines.clone().filter_map(of).map(|(c, _)| c));
        let previous = wide(lines.clone().filter_map(of).map(|(_, p)| p));
        assert_eq!(
            i128::from(line.current.fen()),
            current,
            "line {}",
            line.line
        );
        assert_eq!(
            i128::from(line.previous.fen()),
            previous,
            "line {}",
            line.line
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(sheets) = serde_json::from_str::<Vec<BalanceSheet>>(text) {
        match report::summary_balance_sheet(&sheets) {
            Ok(summary) => {
                assert_eq!(summary.lines.len(), 42);
                assert_summed(&summary.lines, sheets.iter().map(|s| s.lines.as_slice()));
                let total = |n: u8| summary.line(n).map(|l| (l.current, l.previous));
                assert_eq!(total(22), total(42));
                assert!(sheets.iter().all(|s| s.date == summary.date));
            }
            Err(e) => assert!(expected_refusal(&e), "{e}"),
        }
    }
    if let Ok(statements) = serde_json::from_str::<Vec<SurplusStatement>>(text) {
        match report::summary_surplus_statement(&statements) {
            Ok(summary) => {
                assert_eq!(summary.lines.len(), 20);
                assert_summed(
                    &summary.lines,
                    statements.iter().map(|s| s.lines.as_slice()),
                );
                let first = wide(statements.iter().map(|s| s.patronage_bases.0));
                let second = wide(statements.iter().map(|s| s.patronage_bases.1));
                assert_eq!(i128::from(summary.patronage_bases.0.fen()), first);
                assert_eq!(i128::from(summary.patronage_bases.1.fen()), second);
            }
            Err(e) => assert!(expected_refusal(&e), "{e}"),
        }
    }
    if let Ok(statements) = serde_json::from_str::<Vec<MemberEquity>>(text) {
        match report::summary_member_equity(&statements) {
            Ok(summary) => {
                assert_eq!(summary.columns.len(), 6);
                for (n, column) in summary.columns.iter().enumerate() {
                    let of = |s: &MemberEquity| {
                        s.columns
                            .get(n)
                            .map(|c| [c.opening, c.increase, c.decrease, c.closing])
                    };
                    let figures = [
                        column.opening,
                        column.increase,
                        column.decrease,
                        column.closing,
                    ];
                    for (i, figure) in figures.iter().enumerate() {
                        let sum = wide(
                            statements
                                .iter()
                                .filter_map(of)
                                .filter_map(|f| f.get(i).copied()),
                        );
                        assert_eq!(i128::from(figure.fen()), sum, "{}", column.name_zh);
                    }
                }
            }
            Err(e) => assert!(expected_refusal(&e), "{e}"),
        }
    }
});
