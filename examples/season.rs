//! The accountants' main job: a cooperative's year, from its records to its statements.
//!
//! `cargo run --release --example season` runs the built-in reference cooperative: the
//! Jiaruifeng (嘉瑞丰) fruit-and-vegetable cooperative of Gaogezhuang (高格庄) village, 2019, as
//! the 2019 Qingdao report describes it: 28 households pooling 200 mu at 1000 yuan per mu a
//! year, 28 grape greenhouses earning 20,000 yuan per mu, members working in the park, a
//! state grant, an interest-subsidised loan for relocated households, a 10% reserve and 70%
//! of the distributable surplus returned by land pooled. The households, their parcels,
//! costs and days worked are illustrative (the report gives only the totals); the books are
//! kept under the 2021 cooperative accounting system (财会〔2021〕37号), which was not yet in
//! force in 2019. The reference is defined once, as data, by
//! `landpool::folder::BookFolder::reference`.
//!
//! Usage:
//!
//! - `season [--out DIR]`: the built-in reference cooperative.
//! - `season --init DIR`: writes the reference cooperative as a book folder (one CSV file per
//!   kind of record, and `policy.csv`), to copy and edit in Excel or WPS, with a
//!   `README.txt` on its files and columns and on keeping them in Excel or WPS (id columns
//!   formatted as Text, saved as "CSV UTF-8", no title or total rows).
//! - `season DIR [--out DIR]` (or `--book DIR`): runs the year on a book folder. Every
//!   problem of its files is reported with file, line and column, and nothing is written.
//!   A folder of a year after the first names the earlier years' event log in its
//!   `policy.csv` (`上年账簿 prior_log`, such as `../2019-out/events.jsonl`, the
//!   `events.jsonl` of last year's run): its year runs after that book, the statements open
//!   with last year's closing balances, and the `events.jsonl` written holds every year's
//!   events, for the next year to name.
//!
//! Each of the book folder, `--out` and `--init` is given at most once, and `--init` alone: a
//! second book folder (`season A --book B`) or `--init` with a book or `--out` is refused as a
//! usage error rather than one of them silently winning. `--out` is not the book folder: the
//! statements are not files of a book folder, and would make its next run fail.
//!
//! `--out DIR` (default `season-out/`) is where the statements are written:
//! balance_sheet.csv, surplus_distribution.csv, member_equity.csv, member_accounts.csv,
//! trial_balance.csv, household_income.csv (UTF-8 with BOM), statements.xlsx (all six as
//! sheets), receipts.txt, receipts.html, journal.hledger, journal.beancount and events.jsonl.

use std::error::Error as StdError;
use std::path::PathBuf;
use std::process::ExitCode;

use landpool::folder::{outputs, write_outputs, BookFolder};
use landpool::report;
use landpool::*;
use rust_decimal::Decimal;
use time::{Date, Month};

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

const USAGE: &str =
    "usage: season [--out DIR]            the built-in reference cooperative (Jiaruifeng 2019)
       season --init DIR             write the reference cooperative as a book folder to edit
       season DIR [--out DIR]        run the year on a book folder (also: --book DIR)";

/// What the command line asks for.
struct Args {
    out: PathBuf,
    book: Option<PathBuf>,
    init: Option<PathBuf>,
}

/// Sets `slot` to `value`, refusing a second value: two book folders, say, are a mistake to
/// point out, not a choice to make silently.
fn once(slot: &mut Option<PathBuf>, what: &str, value: PathBuf) -> Result<()> {
    if let Some(first) = slot {
        return Err(format!(
            "{what} is given twice ({} and {}); give it once\n{USAGE}",
            first.display(),
            value.display()
        )
        .into());
    }
    *slot = Some(value);
    Ok(())
}

/// Refuses an empty folder name (a script's unset variable): it names no folder, and the
/// files would land in the current folder.
fn named(what: &str, dir: PathBuf) -> Result<PathBuf> {
    if dir.as_os_str().is_empty() {
        return Err(format!("{what} needs a directory, not an empty name\n{USAGE}").into());
    }
    Ok(dir)
}

fn args() -> Result<Option<Args>> {
    let mut out: Option<PathBuf> = None;
    let mut book: Option<PathBuf> = None;
    let mut init: Option<PathBuf> = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |what: &str| -> Result<PathBuf> {
            args.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{what} needs a directory\n{USAGE}").into())
                .and_then(|dir| named(what, dir))
        };
        match arg.to_str() {
            Some("--out") => once(&mut out, "--out", value("--out")?)?,
            Some("--book") => once(&mut book, "the book folder", value("--book")?)?,
            Some("--init") => once(&mut init, "--init", value("--init")?)?,
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return Ok(None);
            }
            Some(other) if other.starts_with('-') => {
                return Err(format!("unknown argument {other:?}\n{USAGE}").into())
            }
            _ => once(
                &mut book,
                "the book folder",
                named("the book folder", PathBuf::from(arg))?,
            )?,
        }
    }
    if init.is_some() && (book.is_some() || out.is_some()) {
        return Err(format!(
            "--init writes a book folder and runs nothing; give it without a book folder or --out\n{USAGE}"
        )
        .into());
    }
    Ok(Some(Args {
        out: out.unwrap_or_else(|| PathBuf::from("season-out")),
        book,
        init,
    }))
}

/// Refuses `--out` naming the book folder (however it is spelled): the statements written
/// there are files a book folder does not have, and the next run of the folder would refuse
/// it.
fn refuse_out_into(book: &std::path::Path, out: &std::path::Path) -> Result<()> {
    // A folder that is not there yet is not the book folder.
    let same = match (book.canonicalize(), out.canonicalize()) {
        (Ok(book), Ok(out)) => book == out,
        _ => false,
    };
    if same {
        return Err(format!(
            "--out is the book folder; the statements go to a folder of their own\n{USAGE}"
        )
        .into());
    }
    Ok(())
}

fn day(year: i32, month: u8, day: u8) -> Result<Date> {
    Ok(Date::from_calendar_date(
        year,
        Month::try_from(month)?,
        day,
    )?)
}

/// The one rent rate of every contract, if they all have the same fixed rent.
fn common_rate(book: &Book) -> Option<Decimal> {
    let mut rates = book.contracts().map(|record| match &record.contract.kind {
        ContractKind::Transfer {
            rent: RentTerms::Fixed { yuan_per_mu },
        } => Some(*yuan_per_mu),
        _ => None,
    });
    let first = rates.next()??;
    rates.all(|rate| rate == Some(first)).then_some(first)
}

/// Prints the year's summary.
fn summary(book: &Book, folder: &BookFolder, built_in: bool) -> Result<()> {
    let settings = folder.settings();
    let year = settings.year;
    let pooled = book.pooled_area(day(year, 12, 31)?)?;
    let incomes = report::household_income(book, year)?;
    let rent = Yuan::checked_sum(incomes.iter().map(|h| h.rent))?;
    let wages = Yuan::checked_sum(incomes.iter().map(|h| h.labour))?;
    let per_person: Vec<Yuan> = incomes.iter().map(|h| h.per_person).collect();
    // Each household's count is a `u32`; their total need not fit one.
    let persons: u64 = incomes.iter().map(|h| u64::from(h.persons)).sum();
    let total_income = Yuan::checked_sum(incomes.iter().map(|h| h.total))?;
    let rate = common_rate(book)
        .map(|rate| format!(" ({rate} yuan/mu/year)"))
        .unwrap_or_default();

    println!("{}", settings.title);
    println!(
        "  pooled land           {pooled} mu in {} contracts",
        book.contracts().count()
    );
    println!("  land rent             {rent}{rate}");
    println!("  members' wages        {wages}");
    // An open year (policy.csv's close of 否 no) has its statements as they stand, and no
    // distribution yet.
    match book.distribution(year) {
        Some(distribution) => {
            let pl = distribution.profit_and_loss;
            let revenue_per_mu = if pooled.to_decimal().is_zero() {
                Yuan::ZERO
            } else {
                Yuan::from_product(
                    &[pl.operating_revenue.to_decimal()],
                    pooled.to_decimal(),
                    Rounding::HalfAwayFromZero,
                )?
            };
            println!(
                "  revenue               {}  ({} per mu)",
                pl.operating_revenue, revenue_per_mu
            );
            println!("  operating expenses    {}", pl.operating_expenses);
            println!("  administration        {}", pl.administrative_expenses);
            println!("  finance (net of 贴息) {}", pl.finance_expenses);
            println!("  surplus               {}", distribution.surplus);
            // Line 15 holds the welfare fund too, when the bylaws draw one.
            let policy = &distribution.policy;
            if policy.welfare_percent.is_zero() {
                println!(
                    "  reserve ({}%)         {}",
                    policy.reserve_percent, distribution.reserve
                );
            } else {
                println!(
                    "  reserve and welfare ({}% + {}%) {}",
                    policy.reserve_percent, policy.welfare_percent, distribution.reserve
                );
            }
            println!(
                "  patronage returns     {}  ({}% of {})",
                distribution.patronage,
                distribution.policy.patronage_percent,
                distribution.distributed
            );
            println!("  remaining distributed {}", distribution.remaining);
        }
        None => println!("  {year} is open: no surplus is distributed until it is closed"),
    }
    let average = Yuan::from_product(
        &[total_income.to_decimal()],
        Decimal::from(persons.max(1)),
        Rounding::HalfAwayFromZero,
    )?;
    println!("  household income      {total_income} for {persons} persons: {average} per person on average");
    println!(
        "  per person             from {} to {}{}",
        per_person.iter().min().copied().unwrap_or_default(),
        per_person.iter().max().copied().unwrap_or_default(),
        if built_in {
            " (the seed: over 40,000 a year)"
        } else {
            ""
        }
    );
    Ok(())
}

/// Runs the command; errors before anything is written are returned, a failure while
/// writing the statements is reported here.
fn run() -> Result<ExitCode> {
    let Some(args) = args()? else {
        return Ok(ExitCode::SUCCESS);
    };
    if let Some(dir) = &args.init {
        BookFolder::reference()?.write(dir)?;
        // The folder as the command to run next takes it: a name with a space is quoted,
        // or the command would name two folders.
        let shown = dir.display().to_string();
        let argument = if shown.contains(char::is_whitespace) {
            format!("\"{shown}\"")
        } else {
            shown.clone()
        };
        println!(
            "the reference cooperative is written to {shown} as a book folder; edit it, then run: season {argument}"
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(book) = &args.book {
        refuse_out_into(book, &args.out)?;
    }
    let folder = match &args.book {
        Some(dir) => BookFolder::read(dir)?,
        None => BookFolder::reference()?,
    };
    let book = folder.run()?;
    // Everything is made in memory first, so that nothing is written if any of it fails.
    let files = outputs(&book, folder.settings())?;
    summary(&book, &folder, args.book.is_none())?;
    if let Err(e) = write_outputs(&args.out, &files) {
        eprintln!("{e}");
        // Files are written under temporary names and renamed together: only a failure
        // while renaming leaves some files of this run beside others from before.
        match e {
            Error::Io {
                operation: "renaming",
                ..
            } => eprintln!(
                "the statements in {} may be part from this run and part from before",
                args.out.display()
            ),
            // Every file had its name by then: written, but a crash may yet lose them.
            Error::Io {
                operation: "syncing the folder",
                ..
            } => eprintln!(
                "the statements are written to {}, but the folder could not be synced to the disk",
                args.out.display()
            ),
            _ => eprintln!("nothing was written"),
        }
        return Ok(ExitCode::FAILURE);
    }
    println!("statements written to {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    run().unwrap_or_else(|e| {
        eprintln!("{e}");
        eprintln!("nothing was written");
        ExitCode::FAILURE
    })
}
