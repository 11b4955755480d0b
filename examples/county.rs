//! A town's or a county's summary statements (汇总报表): the balance sheet (资产负债表),
//! the surplus statement (盈余及盈余分配表) and the members' equity statement (成员权益变动表)
//! of several cooperatives, each line the sum of theirs, as an agricultural economics
//! station (农经站) compiles the cooperatives it oversees; and a list of the cooperatives
//! with their main figures, totalled to the summary.
//!
//! `cargo run --release --example county -- [--out DIR] [--year YEAR] PATH...`
//!
//! With no PATH it sums a small county to show the files: the built-in reference
//! cooperative (`landpool::folder::BookFolder::reference`) and three synthetic cooperatives
//! of 28 households (`landpool::synthetic::events` at `Scale::cooperative()`, seeds 1, 2
//! and 3), all of 2019.
//!
//! - Each PATH is a cooperative's book: a book folder (`season --init DIR` writes one; a
//!   later year's folder reads its earlier years' log from its `policy.csv`), read and run,
//!   or an event log (the `events.jsonl` the `season` example writes, or a book's own log),
//!   read with `EventLog::read_leaving_events` (checked, replayed, never written). The books
//!   are read one at a time, each dropped once its statements are made.
//! - YEAR is the year summed; without it, the first PATH's: a book folder's year (its
//!   `policy.csv`), or the year of an event log's latest entry.
//! - DIR (default `county-out/`, made if it is not there) gets `balance_sheet.csv`, `surplus_distribution.csv`
//!   and `member_equity.csv`, the summary statements in the columns of the `season`
//!   example's files of the same names; `cooperatives.csv` (汇总明细), a row for each
//!   cooperative (its name: a book folder's cooperative, or an event log's file name; its
//!   members at the year's end; its total assets, liabilities and owners' equity, lines 22,
//!   35 and 41 of its balance sheet; its operating income and the year's surplus, lines 1
//!   and 12 of its surplus statement; its households, their persons, the income they had
//!   from the cooperative in the year (rent, guaranteed payments, dividends and wages, as
//!   `landpool::report::household_income` counts it) and that per person, rounded half
//!   away from zero to the fen) and a total row, which is the summary's (its income per
//!   person the total income over all the persons); and, with
//!   the `xlsx` feature (on by default), `summary.xlsx`, the four as sheets. All are UTF-8
//!   with a byte-order mark, for Excel and WPS.
//!
//! Nothing is written unless every book is read and every statement made and summed: a
//! book that cannot be read, or a statement that cannot be made or does not fit the others
//! (`landpool::Error::SummaryMismatch`), is reported with its PATH.
//! `landpool::report::summary_balance_sheet`, `summary_surplus_statement` and
//! `summary_member_equity` make the summaries.
//!
//! The exit status is 0 when the files are written, 1 when a book cannot be read or summed
//! or a file cannot be written (the error says which), 2 for a usage error.

use std::path::PathBuf;
use std::process::ExitCode;

use landpool::folder::BookFolder;
use landpool::report::{self, BalanceSheet, Csv, MemberEquity, SurplusStatement};
use landpool::synthetic::{self, Scale};
use landpool::{Book, EventLog, Rounding, Yuan};
use rust_decimal::Decimal;
use time::Date;

const USAGE: &str = "usage: county [--out DIR] [--year YEAR] [PATH...]   the summary (汇总) balance sheet, surplus statement and members' equity statement of YEAR (default: the first PATH's year) of the cooperatives whose books are at PATH... (each a book folder or an events.jsonl; none: the reference cooperative and three synthetic ones), and the list of the cooperatives, written into DIR (default county-out) as CSV (and summary.xlsx)\n";

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// What the command line asks for.
struct Args {
    out: PathBuf,
    year: Option<i32>,
    sources: Vec<Source>,
}

/// Where a cooperative's book comes from.
enum Source {
    /// A book folder or an event log.
    Path(PathBuf),
    /// The built-in reference cooperative.
    Reference,
    /// A synthetic cooperative of 28 households, of this seed.
    Synthetic(u64),
}

impl Source {
    /// How `cooperatives.csv` and the errors name it.
    fn label(&self) -> String {
        match self {
            Source::Path(path) => path.display().to_string(),
            Source::Reference => "BookFolder::reference()".into(),
            Source::Synthetic(seed) => format!("synthetic::events(Scale::cooperative(), {seed})"),
        }
    }

    /// Its book, the cooperative's name, and its year if it has one: a book folder's, or
    /// the year of an event log's latest entry.
    fn book(&self) -> Result<(Book, String, Option<i32>)> {
        let latest = |book: &Book| book.journal().entries().iter().map(|e| e.date.year()).max();
        let run = |folder: BookFolder| -> Result<(Book, String, Option<i32>)> {
            let settings = folder.settings();
            Ok((
                folder.run()?,
                settings.cooperative.clone(),
                Some(settings.year),
            ))
        };
        match self {
            Source::Path(path) if path.is_dir() => run(BookFolder::read(path)?),
            Source::Path(path) => {
                let book = EventLog::read_leaving_events(path)?.0;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string());
                let year = latest(&book);
                Ok((book, name, year))
            }
            Source::Reference => run(BookFolder::reference()?),
            Source::Synthetic(seed) => {
                let mut book = Book::new();
                for (id, event) in synthetic::events(Scale::cooperative(), *seed)? {
                    book.apply(id, event)?;
                }
                let year = latest(&book);
                Ok((book, format!("合成合作社 synthetic {seed}"), year))
            }
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let args = match parse(args) {
        Ok(args) => args,
        Err(problem) => {
            eprint!("county: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match summarise(&args) {
        Ok((count, year)) => {
            println!(
                "the summary of {count} cooperatives' {year} statements is written to {}",
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("county: {e}");
            ExitCode::from(1)
        }
    }
}

/// The command line, or what is wrong with it.
fn parse(args: Vec<std::ffi::OsString>) -> std::result::Result<Args, String> {
    let (mut out, mut year, mut paths) = (None, None, Vec::new());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--out") if out.is_none() => {
                out = Some(PathBuf::from(args.next().ok_or("--out needs a folder")?));
            }
            Some("--year") if year.is_none() => {
                let text = args.next().ok_or("--year needs a year")?;
                let text = text.to_string_lossy();
                let valid = text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit());
                year = Some(
                    text.parse::<i32>()
                        .ok()
                        .filter(|_| valid)
                        .ok_or(format!("the year {text} is not a year such as 2019"))?,
                );
            }
            Some(flag @ ("--out" | "--year")) => return Err(format!("{flag} is given twice")),
            Some(flag) if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let sources = if paths.is_empty() {
        let mut demo = vec![Source::Reference];
        demo.extend([1, 2, 3].map(Source::Synthetic));
        demo
    } else {
        paths.into_iter().map(Source::Path).collect()
    };
    Ok(Args {
        out: out.unwrap_or_else(|| PathBuf::from("county-out")),
        year,
        sources,
    })
}

/// One cooperative's statements of the year and its row of `cooperatives.csv`.
struct Cooperative {
    name: String,
    members: usize,
    /// The households of the year, their persons and their income from the cooperative.
    households: usize,
    persons: u64,
    income: Yuan,
    sheet: BalanceSheet,
    surplus: SurplusStatement,
    equity: MemberEquity,
}

/// Reads every book, sums their statements and writes the files; the number of
/// cooperatives summed and the year.
fn summarise(args: &Args) -> Result<(usize, i32)> {
    let mut year = args.year;
    let mut cooperatives = Vec::with_capacity(args.sources.len());
    for source in &args.sources {
        // Named by its book, unless the error names it already (a file that cannot be
        // opened does).
        let cooperative = statements_of(source, &mut year).map_err(|e| {
            let (label, message) = (source.label(), e.to_string());
            if message.starts_with(&label) {
                message
            } else {
                format!("{label}: {message}")
            }
        })?;
        cooperatives.push(cooperative);
    }
    let named = |e: landpool::Error| -> Box<dyn std::error::Error> {
        match &e {
            landpool::Error::SummaryMismatch { index, .. } => match args.sources.get(*index) {
                Some(source) => format!("{}: {e}", source.label()).into(),
                None => e.into(),
            },
            _ => e.into(),
        }
    };
    let sheet =
        report::summary_balance_sheet(cooperatives.iter().map(|c| &c.sheet)).map_err(named)?;
    let surplus = report::summary_surplus_statement(cooperatives.iter().map(|c| &c.surplus))
        .map_err(named)?;
    let equity =
        report::summary_member_equity(cooperatives.iter().map(|c| &c.equity)).map_err(named)?;
    let list = cooperatives_csv(&cooperatives, &sheet, &surplus, args)?;

    let files = [
        (
            "balance_sheet.csv",
            "汇总资产负债表 Balance sheet",
            sheet.to_csv(),
        ),
        (
            "surplus_distribution.csv",
            "汇总盈余分配表 Surplus",
            surplus.to_csv(),
        ),
        ("member_equity.csv", "汇总成员权益 Equity", equity.to_csv()),
        ("cooperatives.csv", "汇总明细 Cooperatives", list),
    ];
    #[cfg(feature = "xlsx")]
    let workbook = {
        let sheets: Vec<(&str, &str)> = files
            .iter()
            .map(|(_, sheet, text)| (*sheet, text.as_str()))
            .collect();
        landpool::folder::workbook(&sheets, sheet.date)?
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("{}: making the folder: {e}", args.out.display()))?;
    let write = |name: &str, bytes: &[u8]| -> Result<()> {
        let path = args.out.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: writing: {e}", path.display()))?;
        Ok(())
    };
    for (name, _, text) in &files {
        write(name, text.as_bytes())?;
    }
    #[cfg(feature = "xlsx")]
    write("summary.xlsx", &workbook)?;
    Ok((cooperatives.len(), sheet.year))
}

/// The statements of `year` (set from this book if not yet known) of the book of `source`.
fn statements_of(source: &Source, year: &mut Option<i32>) -> Result<Cooperative> {
    let (book, name, own_year) = source.book()?;
    let year = *year.get_or_insert(
        own_year.ok_or("the book has no entries to take the year from; give --year")?,
    );
    let last = Date::from_calendar_date(year, time::Month::December, 31)?;
    let members = book
        .members()
        .filter(|m| m.joined <= last && m.left.is_none_or(|left| left > last))
        .count();
    let incomes = report::household_income(&book, year)?;
    let persons = incomes.iter().map(|h| u64::from(h.persons)).sum();
    let income = Yuan::checked_sum(incomes.iter().map(|h| h.total))?;
    Ok(Cooperative {
        name,
        members,
        households: incomes.len(),
        persons,
        income,
        sheet: report::balance_sheet(&book, year)?,
        surplus: report::surplus_statement(&book, year)?,
        equity: report::member_equity(&book, year)?,
    })
}

/// `cooperatives.csv`: a row for each cooperative and the total row, the summary's figures.
fn cooperatives_csv(
    cooperatives: &[Cooperative],
    sheet: &BalanceSheet,
    surplus: &SurplusStatement,
    args: &Args,
) -> Result<String> {
    let mut csv = Csv::new(&[
        "序号 No.",
        "合作社 Cooperative",
        "账簿 Book",
        "年末成员数 Members",
        "资产总计 Total assets",
        "负债合计 Total liabilities",
        "所有者权益合计 Owners' equity",
        "经营收入 Operating income",
        "本年盈余 Surplus",
        "农户数 Households",
        "人口 Persons",
        "农户收入 Households' income",
        "人均收入 Income per person",
    ]);
    // The households' columns: their number, persons, income and income per person.
    let households = |count: usize, persons: u64, income: Yuan| -> Result<[String; 4]> {
        let per_person = Yuan::from_product(
            &[income.to_decimal()],
            Decimal::from(persons.max(1)),
            Rounding::HalfAwayFromZero,
        )?;
        Ok([
            count.to_string(),
            persons.to_string(),
            income.to_string(),
            per_person.to_string(),
        ])
    };
    let figures = |sheet: &BalanceSheet, surplus: &SurplusStatement| -> Result<[Yuan; 5]> {
        let closing = |n: u8| sheet.line(n).map(|l| l.current);
        let current = |n: u8| surplus.line(n).map(|l| l.current);
        match (
            closing(22),
            closing(35),
            closing(41),
            current(1),
            current(12),
        ) {
            (Some(a), Some(b), Some(c), Some(d), Some(e)) => Ok([a, b, c, d, e]),
            _ => Err("a statement without its total lines".into()),
        }
    };
    let (mut members, mut count, mut persons, mut income) = (0_usize, 0_usize, 0_u64, Yuan::ZERO);
    for ((number, cooperative), source) in (1_usize..).zip(cooperatives).zip(&args.sources) {
        members = members.saturating_add(cooperative.members);
        count = count.saturating_add(cooperative.households);
        persons = persons.saturating_add(cooperative.persons);
        income = income.checked_add(cooperative.income)?;
        let mut row = vec![
            number.to_string(),
            cooperative.name.clone(),
            source.label(),
            cooperative.members.to_string(),
        ];
        row.extend(
            figures(&cooperative.sheet, &cooperative.surplus)?
                .iter()
                .map(Yuan::to_string),
        );
        row.extend(households(
            cooperative.households,
            cooperative.persons,
            cooperative.income,
        )?);
        csv.row(&row);
    }
    let mut total = vec![
        String::new(),
        "合计 Total".to_string(),
        String::new(),
        members.to_string(),
    ];
    total.extend(figures(sheet, surplus)?.iter().map(Yuan::to_string));
    total.extend(households(count, persons, income)?);
    csv.row(&total);
    Ok(csv.finish())
}
