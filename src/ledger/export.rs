//! Plain-text exports: hledger journal text and beancount text.

use std::fmt::Write;

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
        // Writing into a `String` cannot fail.
        let _ = self.hledger_into(&mut out);
        out
    }

    /// The text of [`Journal::to_hledger`], written into `out` as it is made rather than
    /// made whole first: for a journal of hundreds of thousands of entries, written to a
    /// file or a response without holding its hundreds of megabytes.
    ///
    /// # Errors
    ///
    /// The first error `out` returns; what was written before it stays written.
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
    /// let mut file = Vec::new();
    /// journal.write_hledger(&mut file)?;
    /// assert_eq!(file, journal.to_hledger().into_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_hledger(&self, out: impl std::io::Write) -> std::io::Result<()> {
        crate::text::IoText::write_all(out, |text| self.hledger_into(text))
    }

    /// Writes the text of [`Journal::to_hledger`] into `out`.
    pub(crate) fn hledger_into(&self, out: &mut impl Write) -> std::fmt::Result {
        out.write_str("; landpool journal, exported for hledger\n")?;
        out.write_str("; chart of accounts: 农民专业合作社会计制度 (财会〔2021〕37号)\n")?;
        writeln!(
            out,
            "; entries: {}, head digest: {}",
            self.len(),
            self.digest()
        )?;
        out.write_str("\ncommodity 1000.00 CNY\n\n")?;
        for (node, account) in self.chart().iter_with_nodes() {
            out.write_str("account ")?;
            self.chart().write_export_name_at(node, out)?;
            // No tags in the comment: a name's `:` would make one.
            out.write_str("  ; ")?;
            write_without_colons(out, &account.name_zh)?;
            out.write_char(' ')?;
            write_without_colons(out, &account.name_en)?;
            out.write_char('\n')?;
        }
        for entry in self.entries() {
            out.write_char('\n')?;
            let memo = entry.memo.replace(';', "；");
            write!(out, "{} * ({})", entry.date, entry.id)?;
            if !memo.is_empty() {
                write!(out, " {memo}")?;
            }
            if let Some(original) = entry.reverses {
                write!(out, "  ; reverses:{original}")?;
            }
            out.write_char('\n')?;
            self.write_postings(out, entry, "    ")?;
        }
        Ok(())
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
        // Writing into a `String` cannot fail.
        let _ = self.beancount_into(&mut out);
        out
    }

    /// The text of [`Journal::to_beancount`], written into `out` as it is made rather than
    /// made whole first (see [`Journal::write_hledger`]).
    ///
    /// # Errors
    ///
    /// The first error `out` returns; what was written before it stays written.
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
    /// let mut file = Vec::new();
    /// journal.write_beancount(&mut file)?;
    /// assert_eq!(file, journal.to_beancount().into_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_beancount(&self, out: impl std::io::Write) -> std::io::Result<()> {
        crate::text::IoText::write_all(out, |text| self.beancount_into(text))
    }

    /// Writes the text of [`Journal::to_beancount`] into `out`.
    pub(crate) fn beancount_into(&self, out: &mut impl Write) -> std::fmt::Result {
        out.write_str("; landpool journal, exported for beancount\n")?;
        out.write_str("; chart of accounts: 农民专业合作社会计制度 (财会〔2021〕37号)\n")?;
        writeln!(
            out,
            "; entries: {}, head digest: {}",
            self.len(),
            self.digest()
        )?;
        out.write_str("\noption \"title\" \"landpool journal\"\n")?;
        out.write_str("option \"operating_currency\" \"CNY\"\n\n")?;
        writeln!(
            out,
            "{OPEN_DATE} commodity CNY\n  name: \"人民币 Chinese yuan\""
        )?;
        for (node, account) in self.chart().iter_with_nodes() {
            write!(out, "\n{OPEN_DATE} open ")?;
            self.chart().write_export_name_at(node, out)?;
            out.write_str(" CNY\n  name_zh: ")?;
            write_quoted(out, &account.name_zh)?;
            out.write_str("\n  name_en: ")?;
            write_quoted(out, &account.name_en)?;
            out.write_char('\n')?;
        }
        for entry in self.entries() {
            write!(out, "\n{} * ", entry.date)?;
            write_quoted(out, entry.memo)?;
            out.write_str("\n  id: ")?;
            write_quoted(out, entry.id.as_str())?;
            out.write_char('\n')?;
            if let Some(original) = entry.reverses {
                out.write_str("  reverses: ")?;
                write_quoted(out, original.as_str())?;
                out.write_char('\n')?;
            }
            self.write_postings(out, entry, "  ")?;
        }
        Ok(())
    }

    fn write_postings(
        &self,
        out: &mut impl Write,
        entry: EntryRef<'_>,
        indent: &str,
    ) -> std::fmt::Result {
        for (node, posting) in entry.postings().with_nodes() {
            out.write_str(indent)?;
            self.chart().write_export_name_at(node, out)?;
            let sign = match posting.side {
                Side::Debit => "  ",
                Side::Credit => "  -",
            };
            out.write_str(sign)?;
            posting.amount.write_plain(out)?;
            out.write_str(" CNY\n")?;
        }
        Ok(())
    }
}

/// Writes `text` with each `:` as a full-width `：`.
fn write_without_colons(out: &mut impl Write, text: &str) -> std::fmt::Result {
    write_replacing(out, text, b":", |_| "：")
}

/// Writes a beancount string literal: `"` and `\` escaped with a backslash.
fn write_quoted(out: &mut impl Write, text: &str) -> std::fmt::Result {
    out.write_char('"')?;
    write_replacing(out, text, b"\"\\", |byte| match byte {
        b'"' => "\\\"",
        _ => "\\\\",
    })?;
    out.write_char('"')
}

/// Writes `text` with each of the ASCII characters `these` written as `with` gives it. The
/// text is searched byte by byte: an ASCII byte in UTF-8 is always a whole character (a
/// name's Chinese characters are never decoded), so the text is cut only between
/// characters.
fn write_replacing(
    out: &mut impl Write,
    text: &str,
    these: &[u8],
    with: impl Fn(u8) -> &'static str,
) -> std::fmt::Result {
    debug_assert!(these.is_ascii(), "only ASCII characters are replaced");
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        if these.contains(&byte) {
            out.write_str(text.get(from..at).unwrap_or(""))?;
            out.write_str(with(byte))?;
            from = at.saturating_add(1);
        }
    }
    out.write_str(text.get(from..).unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{AccountCode, Entry};
    use crate::Yuan;
    use time::macros::date;

    /// A writer that takes `room` bytes, then fails.
    struct Full {
        taken: Vec<u8>,
        room: usize,
    }

    impl std::io::Write for Full {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let take = bytes.len().min(self.room.saturating_sub(self.taken.len()));
            if take == 0 && !bytes.is_empty() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "the disk is full",
                ));
            }
            self.taken.extend_from_slice(&bytes[..take]);
            Ok(take)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn journal() -> crate::Result<Journal> {
        let mut journal = Journal::new();
        for n in 0..2_000 {
            journal.post(
                Entry::new(format!("E{n}"), date!(2019 - 01 - 05), "股金; \"A\"")
                    .debit(AccountCode::new("102")?, Yuan::from_fen(100 + n))
                    .credit(AccountCode::new("301")?, Yuan::from_fen(100 + n)),
            )?;
        }
        Ok(journal)
    }

    /// Quotes and backslashes escaped in beancount, colons made full-width in hledger's
    /// comments, and a sub-account's name made of its standard account's and its segments.
    #[test]
    fn names_and_memos_as_each_format_takes_them() -> Result<(), Box<dyn std::error::Error>> {
        let mut journal = Journal::new();
        journal.open_account(
            AccountCode::new("114.H01")?,
            "成员往来:户主\\甲",
            "member: \"H01\"",
        )?;
        journal.post(
            Entry::new("E-1", date!(2019 - 01 - 05), "股金 \"A\" \\ 乙")
                .debit(AccountCode::new("114.H01")?, Yuan::from_fen(5))
                .credit(AccountCode::new("301")?, Yuan::from_fen(5)),
        )?;
        let bean = journal.to_beancount();
        assert!(bean.contains(
            "\n1900-01-01 open Assets:C114-MemberAccounts:H01 CNY\n  name_zh: \"成员往来:户主\\\\甲\"\n  name_en: \"member: \\\"H01\\\"\"\n"
        ));
        assert!(bean.ends_with(
            "\n2019-01-05 * \"股金 \\\"A\\\" \\\\ 乙\"\n  id: \"E-1\"\n  Assets:C114-MemberAccounts:H01  0.05 CNY\n  Equity:C301-ShareCapital  -0.05 CNY\n"
        ));
        let hledger = journal.to_hledger();
        assert!(hledger.contains(
            "\naccount Assets:C114-MemberAccounts:H01  ; 成员往来：户主\\甲 member： \"H01\"\n"
        ));
        Ok(())
    }

    /// Written as it is made, each text is the one made whole, however the writer takes it
    /// (into memory, or into a writer that fails part-way, which gives its own error back
    /// with what it took being the start of the text).
    #[test]
    fn each_text_written_as_it_is_made_is_the_text_made_whole(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let journal = journal()?;
        type Write = fn(&Journal, &mut Full) -> std::io::Result<()>;
        let texts: [(String, Write); 2] = [
            (journal.to_hledger(), |j, out| j.write_hledger(out)),
            (journal.to_beancount(), |j, out| j.write_beancount(out)),
        ];
        for (whole, write) in texts {
            assert!(whole.len() > 200_000, "{}", whole.len());
            let mut roomy = Full {
                taken: Vec::new(),
                room: usize::MAX,
            };
            write(&journal, &mut roomy)?;
            assert!(roomy.taken == whole.as_bytes());
            let mut full = Full {
                taken: Vec::new(),
                room: 100_000,
            };
            let refused = write(&journal, &mut full);
            assert_eq!(
                refused.map_err(|e| (e.kind(), e.to_string())),
                Err((std::io::ErrorKind::StorageFull, "the disk is full".into()))
            );
            assert_eq!(full.taken.len(), 100_000);
            assert!(whole.as_bytes().starts_with(&full.taken));
        }
        Ok(())
    }

    proptest::proptest! {
        /// Names and memos, Chinese characters among them, are escaped and have their
        /// colons replaced as `str::replace` does it.
        #[test]
        fn texts_are_escaped_as_replace_escapes_them(text in "[户主甲:：\"\\\\a \u{7f}\u{80}\u{10000}]{0,12}") {
            let mut quoted = String::new();
            proptest::prop_assert!(write_quoted(&mut quoted, &text).is_ok());
            let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
            proptest::prop_assert_eq!(quoted, format!("\"{escaped}\""));
            let mut plain = String::new();
            proptest::prop_assert!(write_without_colons(&mut plain, &text).is_ok());
            proptest::prop_assert_eq!(plain, text.replace(':', "："));
        }
    }
}
