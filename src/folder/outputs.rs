//! What a season's run writes: every statement as CSV (UTF-8 with a byte-order mark), all of
//! them in one `.xlsx` workbook (feature `xlsx`), receipts as text and as a printable HTML
//! page, the journal for hledger and beancount, and the event log.

use std::path::Path;
use std::sync::Arc;

use super::Settings;
use crate::report::{self, HouseholdIncome};
use crate::{Book, Error, Result};

/// A file a run writes: its name and its bytes.
///
/// # Example
///
/// See [`outputs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The file's name (`balance_sheet.csv`).
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// The statements' sheets in the workbook: the CSV file and the sheet's name.
const SHEETS: [(&str, &str); 6] = [
    ("balance_sheet.csv", "资产负债表 Balance sheet"),
    ("surplus_distribution.csv", "盈余及盈余分配表 Surplus"),
    ("member_equity.csv", "成员权益变动表 Equity"),
    ("member_accounts.csv", "成员账户 Member accounts"),
    ("trial_balance.csv", "试算平衡表 Trial balance"),
    ("household_income.csv", "农户收入 Household income"),
];

/// The statements of `settings.year` of `book`, in memory: `balance_sheet.csv`,
/// `surplus_distribution.csv`, `member_equity.csv`, `member_accounts.csv`,
/// `trial_balance.csv`, `household_income.csv` (UTF-8 with a byte-order mark),
/// `statements.xlsx` (those six as sheets; with the `xlsx` feature, on by default),
/// `receipts.txt` and `receipts.html`. [`outputs`] adds the journal exports and the event log.
///
/// # Errors
///
/// The errors of the [statements](crate::report); [`super::FolderError::Workbook`] if the
/// workbook cannot be made.
///
/// # Example
///
/// ```
/// use landpool::folder::{statements, BookFolder};
///
/// let folder = BookFolder::reference()?;
/// let book = folder.run()?;
/// let files = statements(&book, folder.settings())?;
/// assert_eq!(files.len(), if cfg!(feature = "xlsx") { 9 } else { 8 });
/// assert_eq!(files.last().map(|f| f.name.as_str()), Some("receipts.html"));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn statements(book: &Book, settings: &Settings) -> Result<Vec<Output>> {
    let year = settings.year;
    #[cfg(feature = "xlsx")]
    let created =
        time::Date::from_calendar_date(year, time::Month::December, 31).map_err(|_| {
            Error::Overflow {
                operation: format!("the last day of {year}"),
            }
        })?;
    // The household incomes come first: the receipts are written from them on a thread of
    // their own from the start, while the tables are made on this thread (the workbook's
    // threads have nothing to fill until the first table is made). The workbook's runs of
    // rows are written on a thread for each other processor, each as soon as its table is
    // made; the largest tables are made first, so that their sheets are written while the
    // others are made.
    let incomes = report::household_income(book, year)?;
    let cooperative = settings.cooperative.as_str();
    let write_receipts = |incomes: &[HouseholdIncome]| {
        (
            report::receipts_of(incomes, year, cooperative),
            receipts_html_of(incomes, year, cooperative),
        )
    };
    std::thread::scope(|scope| {
        // If the thread cannot start (or, though it cannot panic, be joined), the receipts
        // are written on this thread at the end.
        let receipts = std::thread::Builder::new()
            .name("landpool-receipts".into())
            .spawn_scoped(scope, || write_receipts(&incomes))
            .ok();
        #[cfg(feature = "xlsx")]
        let mut workbook = super::workbook::Background::start(scope, created);
        // Each table is shared with the workbook's threads, not copied, and had back once
        // the workbook is finished.
        let mut texts: [Option<Arc<String>>; 6] = Default::default();
        let mut made = |place: usize, text: String| -> Result<()> {
            let text = Arc::new(text);
            #[cfg(feature = "xlsx")]
            if let Some((_, sheet)) = SHEETS.get(place) {
                workbook.add(place, sheet, Arc::clone(&text))?;
            }
            if let Some(slot) = texts.get_mut(place) {
                *slot = Some(text);
            }
            Ok(())
        };
        // Places in SHEETS: the trial balance (4) and the member accounts (3) are the
        // largest tables, so they are made first.
        made(4, report::trial_balance_csv(book, year)?)?;
        made(
            3,
            report::MemberAccountRow::to_csv(&report::member_accounts(book, year)?),
        )?;
        made(5, HouseholdIncome::to_csv(&incomes))?;
        made(0, report::balance_sheet(book, year)?.to_csv())?;
        made(1, report::surplus_statement(book, year)?.to_csv())?;
        made(2, report::member_equity(book, year)?.to_csv())?;
        #[cfg(feature = "xlsx")]
        let workbook = workbook.finish()?;
        let mut out: Vec<Output> = SHEETS
            .iter()
            .zip(texts)
            .map(|((name, _), text)| Output {
                name: (*name).to_string(),
                bytes: text
                    .map(|text| Arc::try_unwrap(text).unwrap_or_else(|shared| (*shared).clone()))
                    .unwrap_or_default()
                    .into_bytes(),
            })
            .collect();
        #[cfg(feature = "xlsx")]
        out.push(Output {
            name: "statements.xlsx".into(),
            bytes: workbook,
        });
        let (receipts_txt, receipts_html) = receipts
            .and_then(|thread| thread.join().ok())
            .unwrap_or_else(|| write_receipts(&incomes));
        for (name, text) in [
            ("receipts.txt", receipts_txt),
            ("receipts.html", receipts_html),
        ] {
            out.push(Output {
                name: name.to_string(),
                bytes: text.into_bytes(),
            });
        }
        Ok(out)
    })
}

/// Everything a season's run writes for `settings.year` of `book`, in memory, so that
/// nothing is written unless all of it could be made: `balance_sheet.csv`,
/// `surplus_distribution.csv`, `member_equity.csv`, `member_accounts.csv`,
/// `trial_balance.csv`, `household_income.csv` (UTF-8 with a byte-order mark),
/// `statements.xlsx` (those six as sheets; with the `xlsx` feature, on by default),
/// `receipts.txt`, `receipts.html`, `journal.hledger`, `journal.beancount` and
/// `events.jsonl`.
///
/// # Errors
///
/// The errors of the [statements](crate::report); [`crate::Error::Json`] if an event
/// cannot be encoded; [`super::FolderError::Workbook`] if the workbook cannot be made.
///
/// # Example
///
/// ```
/// use landpool::folder::{outputs, BookFolder};
///
/// let folder = BookFolder::reference()?;
/// let book = folder.run()?;
/// let files = outputs(&book, folder.settings())?;
/// let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
/// assert_eq!(names[0], "balance_sheet.csv");
/// assert!(names.contains(&"receipts.html"));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn outputs(book: &Book, settings: &Settings) -> Result<Vec<Output>> {
    let mut out = statements(book, settings)?;
    let text = |name: &str, text: String| Output {
        name: name.to_string(),
        bytes: text.into_bytes(),
    };
    out.push(text("journal.hledger", book.journal().to_hledger()));
    out.push(text("journal.beancount", book.journal().to_beancount()));
    let mut events = String::new();
    for logged in book.events() {
        events.push_str(&serde_json::to_string(logged).map_err(|e| Error::Json {
            context: format!("encoding event {}", logged.id),
            message: e.to_string(),
        })?);
        events.push('\n');
    }
    out.push(text("events.jsonl", events));
    Ok(out)
}

/// Writes `outputs` into `dir` (created if need be), replacing files of the same names.
///
/// # Errors
///
/// [`crate::Error::Io`] when the folder cannot be created or a file cannot be written.
///
/// # Example
///
/// ```
/// use landpool::folder::{write_outputs, Output};
///
/// let dir = std::env::temp_dir().join(format!("landpool-doc-out-{}", std::process::id()));
/// write_outputs(&dir, &[Output { name: "a.txt".into(), bytes: b"a".to_vec() }])?;
/// assert_eq!(std::fs::read(dir.join("a.txt")).ok(), Some(b"a".to_vec()));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn write_outputs(dir: &Path, outputs: &[Output]) -> Result<()> {
    let io = |path: &Path, operation: &'static str, e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        operation,
        kind: e.kind(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, "creating the folder", e))?;
    for output in outputs {
        let path = dir.join(&output.name);
        std::fs::write(&path, &output.bytes).map_err(|e| io(&path, "writing", e))?;
    }
    Ok(())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The receipts of [`report::receipts`] as one printable HTML page: a receipt per page for
/// each household, each amount in figures and in Chinese capitals (大写金额, with the 人民币
/// prefix a form without a printed currency name needs), and lines to sign.
///
/// # Errors
///
/// As [`report::household_income`].
///
/// # Example
///
/// ```
/// let folder = landpool::folder::BookFolder::reference()?;
/// let html = landpool::folder::receipts_html(&folder.run()?, 2019, "嘉瑞丰")?;
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains("人民币捌仟叁佰伍拾元整"));
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn receipts_html(book: &Book, year: i32, cooperative: &str) -> Result<String> {
    Ok(receipts_html_of(
        &report::household_income(book, year)?,
        year,
        cooperative,
    ))
}

/// [`receipts_html`] of household incomes already computed.
fn receipts_html_of(incomes: &[HouseholdIncome], year: i32, cooperative: &str) -> String {
    use std::fmt::Write as _;
    let style = HouseholdIncome::RECEIPT_STYLE;
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>收款凭证 Receipts {year} — {}</title>\n<style>\n\
         body {{ font-family: \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", serif; margin: 0; }}\n\
         .receipt {{ width: 180mm; margin: 10mm auto; padding: 8mm; border: 1px solid #000; \
         break-after: page; page-break-after: always; }}\n\
         h1 {{ text-align: center; font-size: 18pt; letter-spacing: 0.3em; margin: 0 0 4mm; }}\n\
         .meta {{ display: flex; justify-content: space-between; margin: 1mm 0; }}\n\
         table {{ width: 100%; border-collapse: collapse; margin: 4mm 0; }}\n\
         th, td {{ border: 1px solid #000; padding: 2mm; }}\n\
         td.amount {{ text-align: right; font-family: monospace; white-space: nowrap; }}\n\
         .sign {{ display: flex; justify-content: space-between; margin-top: 8mm; }}\n\
         @page {{ size: A5 landscape; margin: 8mm; }}\n\
         @media print {{ .receipt {{ margin: 0 auto; }} }}\n\
         </style>\n</head>\n<body>\n",
        escape(cooperative)
    );
    // Written straight into the text (writing into a `String` cannot fail); about 1,150
    // bytes a receipt.
    out.reserve(incomes.len().saturating_mul(1200));
    let payer = escape(cooperative);
    for (number, income) in incomes.iter().enumerate() {
        let _ = write!(
            out,
            "<section class=\"receipt\">\n<h1>收款凭证</h1>\n\
             <div class=\"meta\"><span>Receipt</span><span>No. {year}-{:04}</span></div>\n\
             <div class=\"meta\"><span>付款单位 Payer: {payer}</span></div>\n\
             <div class=\"meta\"><span>收款人 Payee: {} ({})</span></div>\n",
            number.saturating_add(1),
            escape(&income.name),
            escape(income.member.as_str())
        );
        out.push_str(
            "<table>\n<tr><th>项目 Item</th><th>金额 Amount</th><th>大写 In words</th></tr>\n",
        );
        for (zh, en, amount, words) in income.shown_items() {
            let _ = writeln!(
                out,
                "<tr><td>{zh} {en}</td><td class=\"amount\">¥{amount}</td><td>{words}</td></tr>"
            );
        }
        let _ = write!(
            out,
            "<tr><th>合计 Total</th><td class=\"amount\">¥{}</td><td>{}</td></tr>\n</table>\n",
            income.total,
            income.total.to_chinese_upper_with(style)
        );
        out.push_str(
            "<div class=\"sign\"><span>收款人签字 Signature: ____________</span>\
             <span>经手人 Handled by: ____________</span></div>\n</section>\n",
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Yuan;

    #[test]
    fn an_html_receipt_escapes_names_and_lists_its_amounts() {
        let income = HouseholdIncome {
            member: "H002".parse().unwrap_or_else(|e| panic!("{e}")),
            name: "李<四> & \"五\"".to_string(),
            persons: 1,
            rent: Yuan::ZERO,
            guaranteed: Yuan::ZERO,
            patronage: Yuan::from_fen(1_000),
            remaining: Yuan::ZERO,
            labour: Yuan::from_fen(30_050),
            total: Yuan::from_fen(31_050),
            per_person: Yuan::from_fen(31_050),
        };
        let html = receipts_html_of(&[income], 2019, "A&B 合作社");
        let body = html
            .split_once("<body>\n")
            .map(|(head, body)| {
                assert!(head.contains("<title>收款凭证 Receipts 2019 — A&amp;B 合作社</title>"));
                body
            })
            .unwrap_or_default();
        assert_eq!(
            body,
            "<section class=\"receipt\">\n<h1>收款凭证</h1>\n\
             <div class=\"meta\"><span>Receipt</span><span>No. 2019-0001</span></div>\n\
             <div class=\"meta\"><span>付款单位 Payer: A&amp;B 合作社</span></div>\n\
             <div class=\"meta\"><span>收款人 Payee: 李&lt;四&gt; &amp; &quot;五&quot; (H002)</span></div>\n\
             <table>\n<tr><th>项目 Item</th><th>金额 Amount</th><th>大写 In words</th></tr>\n\
             <tr><td>盈余返还 patronage return</td><td class=\"amount\">¥10.00</td><td>人民币壹拾元整</td></tr>\n\
             <tr><td>务工收入 wages</td><td class=\"amount\">¥300.50</td><td>人民币叁佰元零伍角整</td></tr>\n\
             <tr><th>合计 Total</th><td class=\"amount\">¥310.50</td><td>人民币叁佰壹拾元零伍角整</td></tr>\n</table>\n\
             <div class=\"sign\"><span>收款人签字 Signature: ____________</span>\
             <span>经手人 Handled by: ____________</span></div>\n</section>\n\
             </body>\n</html>\n"
        );
    }
}
