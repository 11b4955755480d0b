//! An account's ledger (明细账): every posting to an account and its sub-accounts in a year,
//! with its entry, memo and the running balance, and each month's total and year to date;
//! or the general ledger (总账): each standard account's opening balance, each month's
//! totals, year to date and balance, and its closing balance; or the journal listing
//! (序时账): every posting of every entry of the year in date order, with the year's totals,
//! as an auditor asks for it beside the trial balance; or the trial balance (科目余额表) of
//! the period, or the balance sheet (资产负债表) at its end, the two a month's report is
//! checked and made with. Each as CSV (UTF-8 with BOM) on standard output, for Excel or
//! WPS. Or the journal's entries as vouchers (记账凭证), a printable HTML page with a voucher
//! to an A5 page.
//!
//! `cargo run --release --example ledger -- PATH CODE [PERIOD] > FILE.csv`
//! `cargo run --release --example ledger -- PATH --general [PERIOD] > FILE.csv`
//! `cargo run --release --example ledger -- PATH --journal [PERIOD] > FILE.csv`
//! `cargo run --release --example ledger -- PATH --vouchers [PERIOD] > FILE.html`
//! `cargo run --release --example ledger -- PATH --trial-balance [PERIOD] > FILE.csv`
//! `cargo run --release --example ledger -- PATH --balance-sheet [PERIOD] > FILE.csv`
//!
//! With no arguments it writes the bank account's (102 银行存款) ledger of the built-in
//! reference cooperative (`landpool::folder::BookFolder::reference`, the Jiaruifeng
//! cooperative of Gaogezhuang, 2019).
//!
//! - PATH is an event log (the `events.jsonl` the `season` example writes, or a book's own
//!   log), read with `EventLog::read_leaving_events` (checked, replayed, never written), or
//!   a book folder (`season --init DIR` writes one), read and run.
//! - CODE is the account: a standard account (`102`) gives its sub-accounts' postings too;
//!   a member's sub-account (`114.H01`) gives that member's alone. `--general` instead of
//!   an account gives the general ledger, `--journal` the journal listing and `--vouchers`
//!   the vouchers, headed with the cooperative's name from a book folder's `policy.csv`
//!   (an event log does not hold it: its vouchers leave the name as a line to fill in).
//!   `--trial-balance` gives each account's balance before the period, its debits and
//!   credits in it and its balance at its end; `--balance-sheet` the 42 lines on the
//!   period's last day, with the year's opening balances (年初余额) beside them.
//! - PERIOD is a calendar year (`2019`) or a month of one (`2019-03`: a month's entries, as
//!   an accountant binds them); without it, the year of the book's latest entry.
//!
//! `landpool::report::account_ledger_listing` makes the ledger without its lines and
//! `AccountLedgerListing::write_csv` writes them as it reads them (a county's 213 has
//! millions); `landpool::report::general_ledger` and `GeneralLedger::to_csv` the general ledger;
//! `landpool::report::journal_listing` makes the listing and `JournalListing::write_csv`
//! writes it as it is made, `JournalListing::write_vouchers_html` its vouchers;
//! `landpool::report::trial_balance_csv_between` the trial balance and
//! `landpool::report::balance_sheet_at` the balance sheet. The exit
//! status is 0 when the file is written, 1 when the book cannot be read or the account is
//! not in its chart (the error says which), 2 for a usage error.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use landpool::folder::BookFolder;
use landpool::ledger::AccountCode;
use landpool::{report, Book, EventLog};
use time::{Date, Month};

const USAGE: &str = "usage: ledger [PATH (CODE | --general | --journal | --vouchers | --trial-balance | --balance-sheet) [PERIOD]]   the ledger (明细账) of account CODE, with --general the general ledger (总账), with --journal the journal listing (序时账), with --vouchers its vouchers (记账凭证, HTML), with --trial-balance the trial balance (科目余额表), or with --balance-sheet the balance sheet (资产负债表) on its last day, in PERIOD, a year (2019) or a month (2019-03) (default: the year of the latest entry) of the book at PATH (an events.jsonl or a book folder; none: 102 of the built-in reference cooperative), as CSV on standard output\n";

/// What to write: an account's ledger, the general ledger, the journal listing or its
/// vouchers, the trial balance or the balance sheet.
enum Wanted {
    /// The ledger (明细账) of an account.
    Account(AccountCode),
    /// The general ledger (总账).
    General,
    /// The journal listing (序时账).
    Journal,
    /// The journal listing's vouchers (记账凭证).
    Vouchers,
    /// The trial balance (科目余额表) of the period.
    TrialBalance,
    /// The balance sheet (资产负债表) on the period's last day.
    BalanceSheet,
}

/// What a voucher shows for a cooperative whose name the book does not hold.
const UNNAMED: &str = "____________";

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (path, code, period_arg) = match args.as_slice() {
        [] => {
            return match reference_ledger() {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("ledger: the reference cooperative: {e}");
                    ExitCode::from(1)
                }
            };
        }
        [path, code] => (path, code, None),
        [path, code, period] => (path, code, Some(period)),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let wanted = match code.to_str().map(|code| (code, AccountCode::new(code))) {
        Some(("--journal", _)) => Wanted::Journal,
        Some(("--general", _)) => Wanted::General,
        Some(("--vouchers", _)) => Wanted::Vouchers,
        Some(("--trial-balance", _)) => Wanted::TrialBalance,
        Some(("--balance-sheet", _)) => Wanted::BalanceSheet,
        Some((_, Ok(code))) => Wanted::Account(code),
        Some((_, Err(e))) => {
            eprint!("ledger: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
        None => {
            eprint!("ledger: the account code is not text\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let period = match period_arg.map(|p| p.to_str().and_then(parse_period)) {
        None => None,
        Some(Some(period)) => Some(period),
        Some(None) => {
            eprint!(
                "ledger: the period {} is not a year (2019) or a month (2019-03)\n{USAGE}",
                period_arg.map(|p| p.to_string_lossy()).unwrap_or_default()
            );
            return ExitCode::from(2);
        }
    };
    let path = Path::new(path);
    match write_ledger(path, &wanted, period) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ledger: {}: {e}", path.display());
            ExitCode::from(1)
        }
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The first and last days of the period `text` names: a year (`2019`) or a month of one
/// (`2019-03`); `None` for anything else.
fn parse_period(text: &str) -> Option<(Date, Date)> {
    let (year, month) = match text.split_once('-') {
        Some((year, month)) if month.len() == 2 && month.bytes().all(|b| b.is_ascii_digit()) => {
            (year, Some(month.parse::<u8>().ok()?))
        }
        Some(_) => return None,
        None => (text, None),
    };
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    match month {
        None => Some((
            Date::from_calendar_date(year, Month::January, 1).ok()?,
            Date::from_calendar_date(year, Month::December, 31).ok()?,
        )),
        Some(month) => {
            let month = Month::try_from(month).ok()?;
            let first = Date::from_calendar_date(year, month, 1).ok()?;
            Some((first, first.replace_day(month.length(year)).ok()?))
        }
    }
}

/// The reference cooperative's ledger of 102 for its year, to standard output.
fn reference_ledger() -> Result<()> {
    let folder = BookFolder::reference()?;
    let book = folder.run()?;
    let wanted = Wanted::Account(AccountCode::new("102")?);
    print_ledger(&book, &folder.settings().cooperative, &wanted, None)
}

/// Reads the book at `path`, makes what is `wanted` for the `period` (or the latest entry's
/// year) and writes its CSV to standard output.
fn write_ledger(path: &Path, wanted: &Wanted, period: Option<(Date, Date)>) -> Result<()> {
    let (book, cooperative): (Book, String) = if path.is_dir() {
        let folder = BookFolder::read(path)?;
        (folder.run()?, folder.settings().cooperative.clone())
    } else {
        (EventLog::read_leaving_events(path)?.0, UNNAMED.to_string())
    };
    print_ledger(&book, &cooperative, wanted, period)
}

/// Writes what is `wanted` of `book` (the `cooperative`'s) for the `period` (or the latest
/// entry's year) to standard output.
fn print_ledger(
    book: &Book,
    cooperative: &str,
    wanted: &Wanted,
    period: Option<(Date, Date)>,
) -> Result<()> {
    let (from, to) = match period {
        Some(period) => period,
        None => {
            let year = book
                .journal()
                .entries()
                .iter()
                .map(|entry| entry.date.year())
                .max()
                .ok_or("the book has no entries; give the year")?;
            (
                Date::from_calendar_date(year, Month::January, 1)?,
                Date::from_calendar_date(year, Month::December, 31)?,
            )
        }
    };
    let mut out = std::io::stdout().lock();
    match wanted {
        Wanted::Account(code) => {
            report::account_ledger_listing(book, code, from, to)?.write_csv(out)?;
        }
        Wanted::General => {
            let ledger = report::general_ledger(book, from, to)?;
            out.write_all(ledger.to_csv().as_bytes())?;
            out.flush()?;
        }
        Wanted::Journal => report::journal_listing(book, from, to)?.write_csv(out)?,
        Wanted::Vouchers => {
            report::journal_listing(book, from, to)?.write_vouchers_html(cooperative, out)?
        }
        Wanted::TrialBalance => {
            out.write_all(report::trial_balance_csv_between(book, from, to)?.as_bytes())?;
            out.flush()?;
        }
        Wanted::BalanceSheet => {
            out.write_all(report::balance_sheet_at(book, to)?.to_csv().as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}
