//! Plain-text exports: hledger journal text and beancount text.

use std::fmt::Write as _;

use super::{EntryRef, Journal, Side};

/// The date every account is opened on in the beancount export (the first day of the first
/// year the ledger keeps, so before every entry).
const OPEN_DATE: &str = "1900-01-01";

impl Journal {
    /// The journal as hledger journal text.
    ///
    /// The file declares the commodity `CNY` (two decimals) and every account of the chart
    /// with an `account` directive (its Chinese and English names in a comment), then lists
    /// the entries in posting order: `DATE * (ID) MEMO`, a `reverses:ID` tag for a reversal,
    /// and one line per posting with the amount in CNY (credits negative). Account names are
    /// [`Chart::export_name`](super::Chart::export_name)s such as
    /// `Assets:C114-MemberAccounts:M001`. `hledger -s -f FILE balance` reads it, and reports
    /// the library's balances. hledger ends a description at `;`, so a `;` in a memo is
    /// written as the full-width `；`; and it reads `word:` in a comment as a tag (`type:L`
    /// would make a member's receivable a liability), so a `:` in an account's names is
    /// written as the full-width `：`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// journal.post(Entry::new("E1", date!(2019 - 01 - 05), "股金")
    ///     .debit(AccountCode::new("102")?, Yuan::from_yuan(1000)?)
    ///     .credit(AccountCode::new("301")?, Yuan::from_yuan(1000)?))?;
    /// let text = journal.to_hledger();
    /// assert!(text.contains("account Assets:C102-BankDeposits  ; 银行存款 Bank deposits\n"));
    /// assert!(text.ends_with(
    ///     "2019-01-05 * (E1) 股金\n    Assets:C102-BankDeposits  1000.00 CNY\n    Equity:C301-ShareCapital  -1000.00 CNY\n"
    /// ));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_hledger(&self) -> String {
        let mut out = String::with_capacity(self.len().saturating_mul(160).saturating_add(4096));
        out.push_str("; landpool journal, exported for hledger\n");
        out.push_str("; chart of accounts: 农民专业合作社会计制度 (财会〔2021〕37号)\n");
        let _ = writeln!(
            out,
            "; entries: {}, head digest: {}",
            self.len(),
            self.digest()
        );
        out.push_str("\ncommodity 1000.00 CNY\n\n");
        for account in self.chart().iter() {
            let name = self.chart().export_name(&account.code).unwrap_or_default();
            // No tags in the comment: a name's `:` would make one.
            let _ = writeln!(
                out,
                "account {name}  ; {} {}",
                account.name_zh.replace(':', "："),
                account.name_en.replace(':', "：")
            );
        }
        for entry in self.entries() {
            out.push('\n');
            let memo = entry.memo.replace(';', "；");
            let _ = write!(out, "{} * ({})", entry.date, entry.id);
            if !memo.is_empty() {
                let _ = write!(out, " {memo}");
            }
            if let Some(original) = entry.reverses {
                let _ = write!(out, "  ; reverses:{original}");
            }
            out.push('\n');
            self.write_postings(&mut out, entry, "    ");
        }
        out
    }

    /// The journal as beancount text.
    ///
    /// The file sets `CNY` as the operating currency, declares the commodity, opens every
    /// account of the chart on 1900-01-01 for `CNY` with its names as `name_zh` and `name_en`
    /// metadata, then lists the entries in posting order as transactions with `id` (and
    /// `reverses`) metadata and the memo as the narration (credits negative). Account names
    /// are [`Chart::export_name`](super::Chart::export_name)s, valid in beancount (every
    /// component starts with a capital letter or a digit). `bean-check FILE` accepts it.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Entry, Journal};
    /// use landpool::Yuan;
    /// use time::macros::date;
    ///
    /// let mut journal = Journal::new();
    /// journal.post(Entry::new("E1", date!(2019 - 01 - 05), "股金 \"A\"")
    ///     .debit(AccountCode::new("102")?, Yuan::from_yuan(1000)?)
    ///     .credit(AccountCode::new("301")?, Yuan::from_yuan(1000)?))?;
    /// let text = journal.to_beancount();
    /// assert!(text.contains("1900-01-01 open Assets:C102-BankDeposits CNY\n  name_zh: \"银行存款\"\n"));
    /// assert!(text.ends_with(
    ///     "2019-01-05 * \"股金 \\\"A\\\"\"\n  id: \"E1\"\n  Assets:C102-BankDeposits  1000.00 CNY\n  Equity:C301-ShareCapital  -1000.00 CNY\n"
    /// ));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_beancount(&self) -> String {
        let mut out = String::with_capacity(self.len().saturating_mul(180).saturating_add(8192));
        out.push_str("; landpool journal, exported for beancount\n");
        out.push_str("; chart of accounts: 农民专业合作社会计制度 (财会〔2021〕37号)\n");
        let _ = writeln!(
            out,
            "; entries: {}, head digest: {}",
            self.len(),
            self.digest()
        );
        out.push_str("\noption \"title\" \"landpool journal\"\n");
        out.push_str("option \"operating_currency\" \"CNY\"\n\n");
        let _ = writeln!(
            out,
            "{OPEN_DATE} commodity CNY\n  name: \"人民币 Chinese yuan\""
        );
        for account in self.chart().iter() {
            let name = self.chart().export_name(&account.code).unwrap_or_default();
            let _ = writeln!(
                out,
                "\n{OPEN_DATE} open {name} CNY\n  name_zh: {}\n  name_en: {}",
                quoted(&account.name_zh),
                quoted(&account.name_en)
            );
        }
        for entry in self.entries() {
            let _ = writeln!(
                out,
                "\n{} * {}\n  id: {}",
                entry.date,
                quoted(entry.memo),
                quoted(entry.id.as_str())
            );
            if let Some(original) = entry.reverses {
                let _ = writeln!(out, "  reverses: {}", quoted(original.as_str()));
            }
            self.write_postings(&mut out, entry, "  ");
        }
        out
    }

    fn write_postings(&self, out: &mut String, entry: EntryRef<'_>, indent: &str) {
        for posting in entry.postings() {
            let name = self
                .chart()
                .export_name(posting.account)
                .unwrap_or_default();
            let sign = match posting.side {
                Side::Debit => "",
                Side::Credit => "-",
            };
            let _ = writeln!(out, "{indent}{name}  {sign}{} CNY", posting.amount);
        }
    }
}

/// A beancount string literal: `"` and `\` escaped with a backslash.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len().saturating_add(2));
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}
