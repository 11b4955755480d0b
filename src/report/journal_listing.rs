//! 序时账: every posting of every entry in a period, in date order, with its entry, memo and
//! account, as an auditor asks for it (and imports it into audit software) beside the
//! trial balance (科目余额表).

use std::io;

use serde::{Serialize, Serializer};
use time::Date;

use super::csv::{push_cell, Spilled, BOM};
use crate::ledger::{EntryRef, Journal, LedgerError, Side};
use crate::{Book, Result, Yuan};

/// The columns of [`JournalListing::to_csv`].
const COLUMNS: [&str; 8] = [
    "日期 Date",
    "凭证号 Entry",
    "摘要 Memo",
    "科目编码 Code",
    "科目名称",
    "Account",
    "借方 Debit",
    "贷方 Credit",
];

/// The head of [`JournalListing::vouchers_html`]'s page after its title: the style of a
/// voucher to an A5 page in landscape, its column headings repeated on each page a long one
/// runs onto.
const VOUCHER_HEAD: &str = "</title>\n<style>\n\
     body { font-family: \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", serif; \
     font-size: 10pt; line-height: 1.25; margin: 0; }\n\
     .voucher { box-sizing: border-box; width: 192mm; margin: 10mm auto; padding: 5mm; \
     border: 1px solid #000; break-after: page; page-break-after: always; }\n\
     h1 { text-align: center; font-size: 14pt; letter-spacing: 0.3em; margin: 0 0 2mm; }\n\
     .meta { display: flex; justify-content: space-between; margin: 0.5mm 0; gap: 3mm; }\n\
     table { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 2mm 0; }\n\
     th, td { box-sizing: border-box; border: 1px solid #000; padding: 1mm 1.5mm; \
     overflow-wrap: anywhere; }\n\
     thead { display: table-header-group; }\n\
     tr { break-inside: avoid; page-break-inside: avoid; }\n\
     th:nth-child(1) { width: 46mm; }\n\
     th:nth-child(2) { width: 34mm; }\n\
     th:nth-child(3) { width: 44mm; }\n\
     tr.total th { text-align: left; font-weight: normal; }\n\
     td.amount { text-align: right; font-family: monospace; font-size: 9pt; white-space: nowrap; }\n\
     .sign { display: flex; justify-content: space-between; margin-top: 4mm; }\n\
     @page { size: A5 landscape; margin: 8mm; }\n\
     @media print { .voucher { margin: 0 auto; } }\n\
     </style>\n</head>\n<body>\n";

/// 序时账: the entries of a period in date order (the journal's order within a date), each
/// posting a row with its entry's date, id (凭证号) and memo (摘要), its account's code and
/// names, and its amount on its side; and the period's totals, whose debits equal its
/// credits. It borrows the book and holds only the order of the period's entries, so that
/// a county's millions of postings can be written to a file as they are read
/// ([`JournalListing::write_csv`]) without being held in memory.
///
/// # Example
///
/// The reference cooperative's year, from [`journal_listing`]:
///
/// ```
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
/// let listing = landpool::report::journal_listing(&book, from, to)?;
/// assert_eq!(listing.entries().count(), book.journal().len());
/// // The postings' debits and credits add up to the same total.
/// assert_eq!(listing.debits(), listing.credits());
/// // Each posting is a row, between the header and the total.
/// let csv = listing.to_csv();
/// assert_eq!(csv.lines().count(), listing.postings() + 2);
/// assert!(csv.starts_with("\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目编码 Code,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct JournalListing<'b> {
    journal: &'b Journal,
    from: Date,
    to: Date,
    /// The indices of the period's entries in the journal, in date order.
    order: Vec<usize>,
    postings: usize,
    debits: Yuan,
    credits: Yuan,
}

impl<'b> JournalListing<'b> {
    /// The period's first day.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// let book = landpool::Book::new();
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 03 - 31))?;
    /// assert_eq!((listing.from(), listing.to()), (date!(2019 - 01 - 01), date!(2019 - 03 - 31)));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn from(&self) -> Date {
        self.from
    }

    /// The period's last day.
    ///
    /// # Example
    ///
    /// See [`JournalListing::from`].
    ///
    /// ```
    /// use time::macros::date;
    /// let book = landpool::Book::new();
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 01 - 01))?;
    /// assert_eq!(listing.to(), date!(2019 - 01 - 01));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to(&self) -> Date {
        self.to
    }

    /// The period's entries in date order; within a date, in the order they were posted.
    ///
    /// # Example
    ///
    /// An entry dated back comes before those posted earlier with later dates:
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry};
    /// use landpool::{Book, Event};
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// for (id, date) in [("e1", date!(2019 - 05 - 01)), ("e2", date!(2019 - 02 - 01))] {
    ///     let entry = Entry::new(id, date, "提现 cash drawn")
    ///         .debit(AccountCode::new("101")?, "100".parse()?)
    ///         .credit(AccountCode::new("102")?, "100".parse()?);
    ///     book.apply(id.parse()?, Event::ManualEntry {
    ///         date, memo: entry.memo.to_string(), postings: entry.postings,
    ///     })?;
    /// }
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// let ids: Vec<&str> = listing.entries().map(|entry| entry.id.as_str()).collect();
    /// assert_eq!(ids, ["e2", "e1"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entries(&self) -> impl Iterator<Item = EntryRef<'b>> + '_ {
        let entries = self.journal.entries();
        self.order
            .iter()
            .filter_map(move |index| entries.get(*index))
    }

    /// How many postings (the CSV's rows between its header and its total) the period's
    /// entries have.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// let counted: usize = listing.entries().map(|entry| entry.postings().len()).sum();
    /// assert_eq!(listing.postings(), counted);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn postings(&self) -> usize {
        self.postings
    }

    /// The sum of the period's debit postings (借方合计).
    ///
    /// # Example
    ///
    /// See [`JournalListing`]; with no entries it is zero:
    ///
    /// ```
    /// use time::macros::date;
    /// let book = landpool::Book::new();
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert_eq!((listing.debits(), listing.credits()), (landpool::Yuan::ZERO, landpool::Yuan::ZERO));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn debits(&self) -> Yuan {
        self.debits
    }

    /// The sum of the period's credit postings (贷方合计): the same as
    /// [`JournalListing::debits`], since every entry balances.
    ///
    /// # Example
    ///
    /// See [`JournalListing::debits`].
    ///
    /// ```
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert_eq!(listing.credits(), listing.debits());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn credits(&self) -> Yuan {
        self.credits
    }

    /// The listing as CSV (UTF-8 with a byte-order mark, CRLF line ends): a header, a row
    /// for each posting (日期, 凭证号, 摘要, 科目编码, 科目名称 and Account, and the amount
    /// under 借方 or 贷方), and a last row of the period's totals (合计 Total, dated the
    /// period's last day). Memos and names are quoted where they need it, and a memo a
    /// spreadsheet would take for a formula is written after an apostrophe. For a large
    /// book, [`JournalListing::write_csv`] writes the same text without holding it.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry};
    /// use landpool::{Book, Event};
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// let date = date!(2019 - 01 - 05);
    /// let entry = Entry::new("e1", date, "提现, cash drawn")
    ///     .debit(AccountCode::new("101")?, "500".parse()?)
    ///     .credit(AccountCode::new("102")?, "500".parse()?);
    /// book.apply("e1".parse()?, Event::ManualEntry {
    ///     date, memo: entry.memo.to_string(), postings: entry.postings,
    /// })?;
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 01 - 31))?;
    /// assert_eq!(
    ///     listing.to_csv(),
    ///     "\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目编码 Code,科目名称,Account,借方 Debit,贷方 Credit\r\n\
    ///      2019-01-05,e1,\"提现, cash drawn\",101,库存现金,Cash on hand,500.00,\r\n\
    ///      2019-01-05,e1,\"提现, cash drawn\",102,银行存款,Bank deposits,,500.00\r\n\
    ///      2019-01-31,,合计 Total,,,,500.00,500.00\r\n"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_csv(&self) -> String {
        self.whole_text()
    }

    /// Writes the text of [`JournalListing::to_csv`] into `out` as it is made, a few tens of
    /// kilobytes at a time: a county's millions of postings go to a file or a response
    /// without their hundreds of megabytes being held.
    ///
    /// # Errors
    ///
    /// The first error `out` returns; what was written before it stays written.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// let mut file = Vec::new();
    /// listing.write_csv(&mut file)?;
    /// assert_eq!(file, listing.to_csv().into_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_csv(&self, out: impl io::Write) -> io::Result<()> {
        self.write_io(out)
    }

    /// The period's entries as 记账凭证 (vouchers) on one printable HTML page, a voucher
    /// to a page (A5 landscape), for the cooperative's bound books: each with the
    /// cooperative's name (核算单位), its date and id (凭证号), a row for each posting (摘要, the standard account as 总账科目, the
    /// sub-account posted as 明细科目, the amount under 借方金额 or 贷方金额), the totals
    /// (合计, with the total in Chinese capitals), the count of attached documents to fill in
    /// (附单据) and lines for the signatures (会计主管, 记账, 审核, 出纳, 制单). A voucher of
    /// many postings (a timesheet's) runs onto the next pages with its column headings
    /// repeated. Names and memos are escaped, so that they show as the text they are.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry};
    /// use landpool::{Book, Event};
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// let date = date!(2019 - 01 - 05);
    /// let entry = Entry::new("e1", date, "提现 <cash>")
    ///     .debit(AccountCode::new("101")?, "500".parse()?)
    ///     .credit(AccountCode::new("102")?, "500".parse()?);
    /// book.apply("e1".parse()?, Event::ManualEntry {
    ///     date, memo: entry.memo.to_string(), postings: entry.postings,
    /// })?;
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 01 - 31))?;
    /// let html = listing.vouchers_html("A&B 合作社");
    /// assert!(html.starts_with("<!DOCTYPE html>"));
    /// assert!(html.contains("<span>核算单位 Unit: A&amp;B 合作社</span><span>2019年01月05日</span><span>凭证号 No. e1</span>"));
    /// assert!(html.contains(
    ///     "<tr><td>提现 &lt;cash&gt;</td><td>101 库存现金</td><td></td>\
    ///      <td class=\"amount\">500.00</td><td class=\"amount\"></td></tr>"
    /// ));
    /// assert!(html.contains("<td class=\"amount\">500.00</td><td class=\"amount\">500.00</td></tr>"));
    /// assert!(html.contains("人民币伍佰元整"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn vouchers_html(&self, cooperative: &str) -> String {
        let mut out = String::with_capacity(
            self.postings
                .saturating_add(self.order.len())
                .saturating_mul(160)
                .saturating_add(4096),
        );
        // Writing into a `String` cannot fail.
        let _ = self.vouchers_html_into(cooperative, &mut out);
        out
    }

    /// Writes the text of [`JournalListing::vouchers_html`] into `out` as it is made.
    ///
    /// # Errors
    ///
    /// The first error `out` returns; what was written before it stays written.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// let mut file = Vec::new();
    /// listing.write_vouchers_html("嘉瑞丰", &mut file)?;
    /// assert_eq!(file, listing.vouchers_html("嘉瑞丰").into_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_vouchers_html(&self, cooperative: &str, out: impl io::Write) -> io::Result<()> {
        crate::text::IoText::write_all(out, |text| self.vouchers_html_into(cooperative, text))
    }

    /// Writes [`JournalListing::vouchers_html`] into `out`, voucher by voucher.
    pub(crate) fn vouchers_html_into(
        &self,
        cooperative: &str,
        out: &mut impl std::fmt::Write,
    ) -> std::fmt::Result {
        use crate::text::write_html;
        out.write_str(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>记账凭证 Vouchers ",
        )?;
        write!(out, "{} ~ {} — ", self.from, self.to)?;
        write_html(out, cooperative)?;
        out.write_str(VOUCHER_HEAD)?;
        let nodes = self.journal.chart().nodes();
        for entry in self.entries() {
            write!(
                out,
                "<section class=\"voucher\">\n<h1>记账凭证</h1>\n<div class=\"meta\"><span>核算单位 Unit: "
            )?;
            write_html(out, cooperative)?;
            write!(
                out,
                "</span><span>{}年{:02}月{:02}日</span><span>凭证号 No. ",
                entry.date.year(),
                u8::from(entry.date.month()),
                entry.date.day()
            )?;
            write_html(out, entry.id.as_str())?;
            out.write_str("</span></div>\n")?;
            out.write_str(
                "<table>\n<thead><tr><th>摘要 Memo</th><th>总账科目 Account</th>\
                 <th>明细科目 Sub-account</th><th>借方金额 Debit</th><th>贷方金额 Credit</th></tr></thead>\n<tbody>\n",
            )?;
            let (mut debits, mut credits) = (Some(Yuan::ZERO), Some(Yuan::ZERO));
            for (node, posting) in entry.postings().with_nodes() {
                out.write_str("<tr><td>")?;
                write_html(out, entry.memo.as_str())?;
                out.write_str("</td><td>")?;
                // The standard account: up the chart from the posting's account, a parent
                // for each level below the first.
                let mut standard = node;
                for _ in 1..posting.account.level() {
                    match nodes.get(standard).and_then(|n| n.parent()) {
                        Some(parent) => standard = parent,
                        None => break,
                    }
                }
                if let Some(account) = nodes.get(standard).map(|n| &n.account) {
                    write_html(out, account.code.as_str())?;
                    out.write_char(' ')?;
                    write_html(out, &account.name_zh)?;
                }
                out.write_str("</td><td>")?;
                if standard != node {
                    write_html(out, posting.account.as_str())?;
                    if let Some(node) = nodes.get(node) {
                        out.write_char(' ')?;
                        write_html(out, &node.account.name_zh)?;
                    }
                }
                out.write_str("</td><td class=\"amount\">")?;
                match posting.side {
                    Side::Debit => {
                        debits = debits.and_then(|sum| sum.checked_add(posting.amount).ok());
                        write!(out, "{}</td><td class=\"amount\">", posting.amount)?;
                    }
                    Side::Credit => {
                        credits = credits.and_then(|sum| sum.checked_add(posting.amount).ok());
                        write!(out, "</td><td class=\"amount\">{}", posting.amount)?;
                    }
                }
                out.write_str("</td></tr>\n")?;
            }
            // A posted entry's sums are amounts: the journal added them when it checked the
            // entry balanced.
            let (debits, credits) = (debits.unwrap_or(Yuan::ZERO), credits.unwrap_or(Yuan::ZERO));
            write!(
                out,
                "<tr class=\"total\"><th colspan=\"3\">合计 Total ({})</th>\
                 <td class=\"amount\">{debits}</td><td class=\"amount\">{credits}</td></tr>\n\
                 </tbody>\n</table>\n",
                debits.to_chinese_upper_with(super::HouseholdIncome::RECEIPT_STYLE)
            )?;
            out.write_str(
                "<div class=\"sign\"><span>附单据 Attachments ____ 张</span>\
                 <span>会计主管 ______</span><span>记账 ______</span><span>审核 ______</span>\
                 <span>出纳 ______</span><span>制单 ______</span></div>\n</section>\n",
            )?;
        }
        out.write_str("</body>\n</html>\n")
    }
}

/// The CSV's text of [`JournalListing::to_csv`].
impl Spilled for JournalListing<'_> {
    fn size_hint(&self) -> usize {
        self.postings.saturating_add(2).saturating_mul(160)
    }

    fn write_text<E>(
        &self,
        text: &mut String,
        spill_at: usize,
        mut spill: impl FnMut(&mut String) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        use std::fmt::Write as _;
        text.push_str(BOM);
        for (i, column) in COLUMNS.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(column);
        }
        text.push_str("\r\n");
        let nodes = self.journal.chart().nodes();
        // The cells an entry's rows share (date, id, memo), made once for the entry.
        let mut head = String::new();
        for entry in self.entries() {
            head.clear();
            // Writing into a `String` cannot fail.
            let _ = write!(head, "{},", entry.date);
            push_cell(&mut head, entry.id.as_str());
            head.push(',');
            push_cell(&mut head, entry.memo.as_str());
            head.push(',');
            for (node, posting) in entry.postings().with_nodes() {
                text.push_str(&head);
                push_cell(text, posting.account.as_str());
                text.push(',');
                if let Some(node) = nodes.get(node) {
                    push_cell(text, &node.account.name_zh);
                    text.push(',');
                    push_cell(text, &node.account.name_en);
                } else {
                    text.push(',');
                }
                text.push(',');
                match posting.side {
                    Side::Debit => {
                        posting.amount.push_to(text);
                        text.push(',');
                    }
                    Side::Credit => {
                        text.push(',');
                        posting.amount.push_to(text);
                    }
                }
                text.push_str("\r\n");
            }
            if text.len() >= spill_at {
                spill(text)?;
            }
        }
        let _ = write!(text, "{},,合计 Total,,,,", self.to);
        self.debits.push_to(text);
        text.push(',');
        self.credits.push_to(text);
        text.push_str("\r\n");
        Ok(())
    }
}

/// The period, its counts and its totals: not the journal it borrows, which a county's
/// book holds millions of postings of.
///
/// # Example
///
/// ```
/// use time::macros::date;
/// let book = landpool::Book::new();
/// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// assert_eq!(
///     format!("{listing:?}"),
///     "JournalListing { from: 2019-01-01, to: 2019-12-31, entries: 0, postings: 0, debits: Yuan(0), credits: Yuan(0) }"
/// );
/// # Ok::<(), landpool::Error>(())
/// ```
impl std::fmt::Debug for JournalListing<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalListing")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("entries", &self.order.len())
            .field("postings", &self.postings)
            .field("debits", &self.debits)
            .field("credits", &self.credits)
            .finish()
    }
}

/// Serialized (for a service's response) as an object with the period (`from`, `to`, ISO
/// dates), the number of `postings`, the totals (`debits`, `credits`, amounts as strings)
/// and the `entries` in the listing's order, each in [`Entry`](crate::ledger::Entry)'s form.
/// A listing borrows its book, so it is not read back; its entries are read back as
/// `Entry`s.
///
/// # Example
///
/// ```
/// use time::macros::date;
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// let json = serde_json::to_value(&listing)?;
/// assert_eq!(json["from"], "2019-01-01");
/// assert_eq!(json["debits"], listing.debits().to_string());
/// let entries: Vec<landpool::ledger::Entry> = serde_json::from_value(json["entries"].clone())?;
/// assert_eq!(entries, listing.entries().map(|entry| entry.to_entry()).collect::<Vec<_>>());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Serialize for JournalListing<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        /// The entries, as a sequence.
        struct Listed<'l, 'b>(&'l JournalListing<'b>);
        impl Serialize for Listed<'_, '_> {
            fn serialize<S: Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.entries())
            }
        }
        /// The listing's serialized form.
        #[derive(Serialize)]
        struct Form<'l, 'b> {
            #[serde(serialize_with = "crate::iso_date::write")]
            from: Date,
            #[serde(serialize_with = "crate::iso_date::write")]
            to: Date,
            postings: usize,
            debits: Yuan,
            credits: Yuan,
            entries: Listed<'l, 'b>,
        }
        Form {
            from: self.from,
            to: self.to,
            postings: self.postings,
            debits: self.debits,
            credits: self.credits,
            entries: Listed(self),
        }
        .serialize(serializer)
    }
}

/// 序时账 of `book` from `from` to `to`, both included: the entries dated in the period in
/// date order (the journal's order within a date), their postings counted and added up.
/// The listing borrows the book; its CSV is written by [`JournalListing::to_csv`] or, as it
/// is made, by [`JournalListing::write_csv`]. With the trial balance of the same period
/// ([`trial_balance_csv`](super::trial_balance_csv) for a year) it is what an auditor
/// imports: every row of the trial balance's movement is the sum of this listing's rows of
/// the account.
///
/// # Errors
///
/// [`LedgerError::InvalidRange`] when `from` is after `to`;
/// [`crate::Error::Overflow`] when the period's postings add up past the largest amount
/// (not for valid books).
///
/// # Example
///
/// ```
/// use landpool::ledger::LedgerError;
/// use landpool::Error;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// // The first quarter's entries only.
/// let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 03 - 31))?;
/// assert!(listing.entries().all(|entry| entry.date <= date!(2019 - 03 - 31)));
/// // A period that ends before it starts is refused.
/// let reversed = landpool::report::journal_listing(&book, date!(2019 - 03 - 31), date!(2019 - 01 - 01));
/// assert!(matches!(reversed, Err(Error::Ledger(LedgerError::InvalidRange { .. }))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn journal_listing(book: &Book, from: Date, to: Date) -> Result<JournalListing<'_>> {
    if from > to {
        return Err(LedgerError::InvalidRange { from, to }.into());
    }
    let journal = book.journal();
    let mut dated: Vec<(Date, usize)> = journal
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, entry)| from <= entry.date && entry.date <= to)
        .map(|(index, entry)| (entry.date, index))
        .collect();
    // Stable: the journal's order stays within a date.
    dated.sort_by_key(|(date, _)| *date);
    let mut postings = 0_usize;
    let (mut debits, mut credits) = (Yuan::ZERO, Yuan::ZERO);
    let entries = journal.entries();
    for (_, index) in &dated {
        let Some(entry) = entries.get(*index) else {
            continue;
        };
        for posting in entry.postings() {
            postings = postings.saturating_add(1);
            match posting.side {
                Side::Debit => debits = debits.checked_add(posting.amount)?,
                Side::Credit => credits = credits.checked_add(posting.amount)?,
            }
        }
    }
    Ok(JournalListing {
        journal,
        from,
        to,
        order: dated.into_iter().map(|(_, index)| index).collect(),
        postings,
        debits,
        credits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{AccountCode, Entry};
    use crate::Event;
    use time::macros::date;

    /// A book of the manual entries given, each as `(id, date, memo, debit, credit, fen)`.
    fn book_of(entries: &[(&str, Date, &str, &str, &str, i64)]) -> Book {
        let mut book = Book::new();
        for (id, date, memo, debit, credit, fen) in entries {
            let entry = Entry::new(*id, *date, *memo)
                .debit(AccountCode::new(debit).unwrap(), Yuan::from_fen(*fen))
                .credit(AccountCode::new(credit).unwrap(), Yuan::from_fen(*fen));
            book.apply(
                id.parse().unwrap(),
                Event::ManualEntry {
                    date: *date,
                    memo: entry.memo.to_string(),
                    postings: entry.postings,
                },
            )
            .unwrap();
        }
        book
    }

    /// Written through a writer a few bytes at a time, the text is the same as made whole,
    /// however often it is spilled; a writer's error is returned.
    #[test]
    fn the_written_text_is_the_made_text_however_it_is_spilled() {
        let entries: Vec<(String, Date)> = (0..300)
            .map(|i| (format!("e{i}"), date!(2019 - 01 - 01)))
            .collect();
        let rows: Vec<(&str, Date, &str, &str, &str, i64)> = entries
            .iter()
            .map(|(id, date)| (id.as_str(), *date, "=SUM(A1)", "101", "102", 1234))
            .collect();
        let book = book_of(&rows);
        let listing = journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31)).unwrap();
        let whole = listing.to_csv();
        assert!(whole.contains("\r\n2019-01-01,e17,'=SUM(A1),101,库存现金,Cash on hand,12.34,\r\n"));
        assert!(whole.ends_with("2019-12-31,,合计 Total,,,,3702.00,3702.00\r\n"));
        crate::report::csv::spilled_checks::assert_written_alike(&listing, 10);
        let mut file = Vec::new();
        listing.write_csv(&mut file).unwrap();
        assert_eq!(file, whole.as_bytes());
    }

    /// A voucher for each entry, in the listing's order: a member's sub-account as 明细科目
    /// under its standard account, the totals in figures and capitals, and text escaped.
    #[test]
    fn each_entry_is_a_voucher_with_its_accounts_and_totals() {
        let mut book = Book::new();
        book.apply(
            "j".parse().unwrap(),
            Event::MemberJoined {
                member: crate::Member {
                    id: "M1".parse().unwrap(),
                    name: "王<建国>".into(),
                    kind: crate::MemberKind::Household { persons: 3 },
                    village: "高格庄".into(),
                    joined: date!(2019 - 01 - 01),
                    left: None,
                },
            },
        )
        .unwrap();
        let book = {
            let mut book = book;
            let entry = Entry::new("v1", date!(2019 - 02 - 03), "借款 & 利息")
                .debit(AccountCode::new("102").unwrap(), Yuan::from_fen(1_000_050))
                .credit(
                    AccountCode::new("114.M1").unwrap(),
                    Yuan::from_fen(1_000_000),
                )
                .credit(AccountCode::new("502").unwrap(), Yuan::from_fen(50));
            book.apply(
                "v1".parse().unwrap(),
                Event::ManualEntry {
                    date: entry.date,
                    memo: entry.memo.to_string(),
                    postings: entry.postings,
                },
            )
            .unwrap();
            book
        };
        let listing = journal_listing(&book, date!(2019 - 02 - 01), date!(2019 - 02 - 28)).unwrap();
        let html = listing.vouchers_html("A&B");
        assert!(html.starts_with(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>记账凭证 Vouchers 2019-02-01 ~ 2019-02-28 — A&amp;B</title>\n<style>\n"
        ));
        let body = html.split("<body>\n").nth(1).unwrap();
        assert_eq!(
            body,
            "<section class=\"voucher\">\n<h1>记账凭证</h1>\n\
             <div class=\"meta\"><span>核算单位 Unit: A&amp;B</span><span>2019年02月03日</span><span>凭证号 No. v1</span></div>\n\
             <table>\n<thead><tr><th>摘要 Memo</th><th>总账科目 Account</th>\
             <th>明细科目 Sub-account</th><th>借方金额 Debit</th><th>贷方金额 Credit</th></tr></thead>\n<tbody>\n\
             <tr><td>借款 &amp; 利息</td><td>102 银行存款</td><td></td><td class=\"amount\">10000.50</td><td class=\"amount\"></td></tr>\n\
             <tr><td>借款 &amp; 利息</td><td>114 成员往来</td><td>114.M1 成员往来—王&lt;建国&gt;</td><td class=\"amount\"></td><td class=\"amount\">10000.00</td></tr>\n\
             <tr><td>借款 &amp; 利息</td><td>502 其他收入</td><td></td><td class=\"amount\"></td><td class=\"amount\">0.50</td></tr>\n\
             <tr class=\"total\"><th colspan=\"3\">合计 Total (人民币壹万元零伍角整)</th>\
             <td class=\"amount\">10000.50</td><td class=\"amount\">10000.50</td></tr>\n\
             </tbody>\n</table>\n\
             <div class=\"sign\"><span>附单据 Attachments ____ 张</span>\
             <span>会计主管 ______</span><span>记账 ______</span><span>审核 ______</span>\
             <span>出纳 ______</span><span>制单 ______</span></div>\n</section>\n\
             </body>\n</html>\n"
        );
        let mut file = Vec::new();
        listing.write_vouchers_html("A&B", &mut file).unwrap();
        assert_eq!(file, html.as_bytes());
        // Joining without capital makes no entry: the year has the one voucher.
        let year = journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31)).unwrap();
        assert_eq!(
            year.vouchers_html("A&B")
                .matches("<section class=\"voucher\">")
                .count(),
            1
        );
    }

    /// Entries outside the period are left out; within it, an entry dated back is listed by
    /// its date, and entries of a date keep the journal's order.
    #[test]
    fn entries_are_listed_by_date_within_the_period() {
        let book = book_of(&[
            ("a", date!(2019 - 03 - 01), "", "101", "102", 100),
            ("b", date!(2018 - 12 - 31), "", "101", "102", 200),
            ("c", date!(2019 - 02 - 01), "", "101", "102", 300),
            ("d", date!(2019 - 03 - 01), "", "102", "101", 400),
            ("e", date!(2019 - 04 - 01), "", "101", "102", 500),
        ]);
        let listing = journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 03 - 31)).unwrap();
        let ids: Vec<&str> = listing.entries().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "d"]);
        assert_eq!(listing.postings(), 6);
        assert_eq!(listing.debits(), Yuan::from_fen(800));
        assert_eq!(listing.credits(), Yuan::from_fen(800));
        let one_day = journal_listing(&book, date!(2019 - 03 - 01), date!(2019 - 03 - 01)).unwrap();
        let ids: Vec<&str> = one_day.entries().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "d"]);
    }
}
