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
//! - `season --next-year NEW --from OLD --log LOG`: writes the book folder of the year after
//!   OLD's, to start the next year from: NEW (a folder not there yet, or empty) gets the
//!   registers of the book LOG holds carried forward (LOG is the `events.jsonl` of OLD's
//!   run, its last year closed; it is read, never written), the year's files empty but for
//!   their header rows, and a `policy.csv` with OLD's cooperative and bylaws, the next
//!   year, the event prefix's year made the next year's (`jrf-2019` is `jrf-2020`) and
//!   `上年账簿 prior_log` naming LOG by its path from NEW (`../2019-out/events.jsonl`).
//!   LOG must be the log of a run of OLD as OLD is now (its events, and those of the log
//!   OLD's prior_log names, in order): the log of another folder's run, or of a run before
//!   OLD was corrected, is refused, naming the first event that differs.
//!   NEW, OLD and LOG are paths from the current folder.
//!   Fill in the year's files, then run `season NEW --out DIR`.
//!   (`landpool::folder::BookFolder::next_year` makes the folder.)
//!
//! Each of the book folder, `--out`, `--init`, `--next-year`, `--from` and `--log` is given at
//! most once; `--init` and `--next-year` (with its `--from` and `--log`, which go with it
//! alone) run nothing, so neither is given with the other, a book folder or `--out`. A second
//! book folder (`season A --book B`) or such a mix is refused as a usage error rather than
//! one of them silently winning. `--out` is not the book folder: the statements are not files
//! of a book folder, and would make its next run fail.
//!
//! `--out DIR` (default `season-out/`) is where the statements are written:
//! balance_sheet.csv, surplus_distribution.csv, member_equity.csv, member_accounts.csv,
//! trial_balance.csv, household_income.csv, asset_register.csv (UTF-8 with BOM),
//! statements.xlsx (all seven as sheets), receipts.txt, receipts.html, general_ledger.csv
//! (the year's general ledger, 总账: each standard account's months), journal.csv (the
//! year's journal listing, 序时账: every posting in date order), vouchers.html (its
//! entries as printable vouchers, 记账凭证), journal.hledger,
//! journal.beancount and events.jsonl.
//! A folder holding the earlier years' log the book folder's `policy.csv` names (上年账簿
//! prior_log) is refused as `--out`: this run's `events.jsonl` would replace that log, and
//! its statements last year's (a later year run without `--out`, after a first year run
//! without it, would write to the `season-out/` holding that log).

use std::error::Error as StdError;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use landpool::folder::{write_all_outputs, BookFolder, Settings};
use landpool::report;
use landpool::*;
use rust_decimal::Decimal;
use time::{Date, Month};

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

const USAGE: &str =
    "usage: season [--out DIR]            the built-in reference cooperative (Jiaruifeng 2019)
       season --init DIR             write the reference cooperative as a book folder to edit
       season DIR [--out DIR]        run the year on a book folder (also: --book DIR)
       season --next-year NEW --from OLD --log LOG
                                     write the next year's book folder NEW after OLD's year,
                                     LOG being the events.jsonl of OLD's run";

/// The next year's folder to write: `season --next-year NEW --from OLD --log LOG`.
struct NextYear {
    new: PathBuf,
    from: PathBuf,
    log: PathBuf,
}

/// What the command line asks for.
struct Args {
    out: PathBuf,
    book: Option<PathBuf>,
    init: Option<PathBuf>,
    next_year: Option<NextYear>,
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
    named_a(what, "directory", dir)
}

/// Refuses an empty name of a `thing` (a directory, a file).
fn named_a(what: &str, thing: &str, path: PathBuf) -> Result<PathBuf> {
    if path.as_os_str().is_empty() {
        return Err(format!("{what} needs a {thing}, not an empty name\n{USAGE}").into());
    }
    Ok(path)
}

fn args() -> Result<Option<Args>> {
    let mut out: Option<PathBuf> = None;
    let mut book: Option<PathBuf> = None;
    let mut init: Option<PathBuf> = None;
    let mut next_year: Option<PathBuf> = None;
    let mut from: Option<PathBuf> = None;
    let mut log: Option<PathBuf> = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let mut value_a = |what: &str, thing: &str| -> Result<PathBuf> {
            args.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{what} needs a {thing}\n{USAGE}").into())
                .and_then(|path| named_a(what, thing, path))
        };
        let mut value = |what: &str| value_a(what, "directory");
        match arg.to_str() {
            Some("--out") => once(&mut out, "--out", value("--out")?)?,
            Some("--book") => once(&mut book, "the book folder", value("--book")?)?,
            Some("--init") => once(&mut init, "--init", value("--init")?)?,
            Some("--next-year") => once(&mut next_year, "--next-year", value("--next-year")?)?,
            Some("--from") => once(&mut from, "--from", value("--from")?)?,
            Some("--log") => once(&mut log, "--log", value_a("--log", "file")?)?,
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
    let next_year = match (next_year, from, log) {
        (Some(_), _, _) if init.is_some() || book.is_some() || out.is_some() => {
            return Err(format!(
                "--next-year writes a book folder and runs nothing; give it without a book folder, --out or --init\n{USAGE}"
            )
            .into())
        }
        (Some(new), Some(from), Some(log)) => Some(NextYear { new, from, log }),
        (Some(_), from, _) => {
            let missing = match from {
                None => "--from OLD (last year's book folder)",
                Some(_) => "--log LOG (the events.jsonl of last year's run)",
            };
            return Err(format!(
                "--next-year needs {missing}: season --next-year NEW --from OLD --log LOG\n{USAGE}"
            )
            .into());
        }
        (None, Some(_), _) | (None, _, Some(_)) => {
            return Err(format!(
                "--from and --log go with --next-year NEW, which writes the next year's book folder; a year's run takes its earlier years' log from its policy.csv (上年账簿 prior_log)\n{USAGE}"
            )
            .into())
        }
        (None, None, None) => None,
    };
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
        next_year,
    }))
}

/// `path` as the system finds it: absolute (from the working directory), the symbolic links
/// of the part of it that is there resolved, the rest (a folder not made yet) appended.
fn resolved(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut there = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(mut found) = there.canonicalize() {
            found.extend(rest.iter().rev());
            return Ok(found);
        }
        match (there.file_name(), there.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                there = parent;
            }
            // Nothing of it is there, or it ends in `..`: as it is.
            _ => return Ok(absolute),
        }
    }
}

/// What `policy.csv` of the folder `new` names the log `log` by (上年账簿 prior_log): its
/// path from `new`, with `/` between the names (`../2019-out/events.jsonl`), which reads the
/// same on every system; its absolute path when it has none from `new` (another drive).
fn path_from(new: &Path, log: &Path) -> Result<String> {
    let (new, log) = (resolved(new)?, resolved(log)?);
    let plain = |path: &Path| {
        path.components()
            .all(|c| !matches!(c, Component::CurDir | Component::ParentDir))
    };
    let (from, to): (Vec<Component>, Vec<Component>) =
        (new.components().collect(), log.components().collect());
    let text = |path: &Path| -> Result<String> {
        path.to_str().map(str::to_string).ok_or_else(|| {
            format!(
                "the log's path {} is not text that policy.csv can hold; move or rename the log",
                path.display()
            )
            .into()
        })
    };
    // Paths with no root in common (drives), or not made plain, keep the log's own.
    if !plain(&new) || !plain(&log) || from.first() != to.first() {
        return text(&log);
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len().saturating_sub(common)];
    for part in to.iter().skip(common) {
        parts.push(text(Path::new(part.as_os_str()))?);
    }
    Ok(parts.join("/"))
}

/// `season --next-year NEW --from OLD --log LOG`: writes the next year's book folder.
fn write_next_year(next: &NextYear) -> Result<()> {
    let new = &next.new;
    // A folder that is not there yet, or an empty one: the files of another are not mixed in.
    match std::fs::read_dir(new) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(format!(
                    "--next-year {}: the folder is not empty; the next year's book folder is written into a new folder (or an empty one)",
                    new.display()
                )
                .into());
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(format!(
                "--next-year {}: {e}; expected a new folder (or an empty one)",
                new.display()
            )
            .into())
        }
    }
    // policy.csv alone first: a wrong OLD (an output folder) is one problem, not one a file.
    let settings =
        Settings::read(&next.from).map_err(|e| format!("--from {}: {e}", next.from.display()))?;
    // A log not found: its path is from the current folder, where prior_log's is from NEW.
    if let Err(e) = std::fs::metadata(&next.log) {
        if e.kind() == std::io::ErrorKind::NotFound {
            return Err(format!(
                "--log {}: there is no such file; LOG is the path of the events.jsonl of the run of {} from the current folder ({}), not from NEW as policy.csv's prior_log is",
                next.log.display(),
                next.from.display(),
                std::env::current_dir().map_or_else(|_| ".".into(), |dir| dir.display().to_string())
            )
            .into());
        }
    }
    // Read, never written: the log of last year's run stays as it is.
    let (book, read) = EventLog::read(&next.log)?;
    if let Some(reason) = read.torn_reason {
        return Err(format!(
            "--log {}: the log ends in a line that is not a whole event ({reason}): expected the whole events.jsonl of the run of {}; copy it again",
            next.log.display(),
            next.from.display()
        )
        .into());
    }
    the_log_of(&next.from, &next.log, &book)?;
    let prior_log = path_from(new, &next.log)?;
    let folder = BookFolder::next_year(&settings, book, &prior_log)?;
    folder.write(new)?;
    let written = folder.settings();
    let earlier = folder.earlier().map_or(0, |book| book.members().count());
    println!(
        "the {} book folder is written to {}: the registers of the book in {} carried forward ({earlier} members), the year's files with their header rows only, policy.csv with 年度 year {}, 事件编号前缀 event_prefix {} and 上年账簿 prior_log {}",
        written.year,
        new.display(),
        next.log.display(),
        written.year,
        written.event_prefix,
        written.prior_log.as_deref().unwrap_or_default()
    );
    // The statements beside the folder, as last year's (`2019-out` beside `2019`).
    let out = match new.file_name() {
        Some(name) => new.with_file_name(format!("{}-out", name.to_string_lossy())),
        None => PathBuf::from("season-out"),
    };
    println!(
        "next: fill in its year's files (land_changes.csv to payments.csv) and add the year's new members, parcels and contracts, then run: season {} --out {}",
        argument(new),
        argument(&out)
    );
    Ok(())
}

/// Refuses a log `log` (its book `book`) that is not the one a run of the folder `from`
/// writes: the events of `from`'s earlier years (its prior_log) and of its files, in order.
/// The next year's folder takes its registers from the log and its cooperative and bylaws
/// from `from`: the log of another cooperative's run, or of a run before `from` was
/// corrected, would make a folder of the wrong members, or open the year with balances the
/// folder does not give.
fn the_log_of(from: &Path, log: &Path, book: &Book) -> Result<()> {
    let folder = BookFolder::read(from).map_err(|e| format!("--from {}: {e}", from.display()))?;
    let earlier = folder.earlier().map_or(&[][..], Book::events);
    let expected = earlier.iter().map(|e| (&e.id, &e.event, None)).chain(
        folder
            .events()
            .iter()
            .map(|e| (&e.id, &e.event, Some(&e.source))),
    );
    let logged = book.events();
    let mut at = 0usize;
    for (id, event, source) in expected {
        let same = logged
            .get(at)
            .is_some_and(|e| &e.id == id && &e.event == event);
        if !same {
            let whence = match source {
                Some(source) => format!("{}, line {}", source.file, source.line),
                None => "its prior_log".to_string(),
            };
            let line = at.saturating_add(1);
            let found = match logged.get(at) {
                Some(e) if &e.id == id => format!(
                    "its line {line} holds the event {id} other than a run of {} gives it ({whence})",
                    from.display()
                ),
                Some(e) => format!(
                    "its line {line} holds the event {}, not {id} as a run of {} gives it ({whence})",
                    e.id,
                    from.display()
                ),
                None => format!(
                    "it ends after {at} events, without the event {id} a run of {} gives next ({whence})",
                    from.display()
                ),
            };
            return Err(format!(
                "--log {}: not the log of a run of {}: {found}; expected the events.jsonl of the run of {} as it is now (run it again after a change)",
                log.display(),
                from.display(),
                from.display()
            )
            .into());
        }
        at = at.saturating_add(1);
    }
    if let Some(e) = logged.get(at) {
        return Err(format!(
            "--log {}: not the log of a run of {}: its line {} holds the event {}, after the {at} events a run of {} gives; expected the events.jsonl of the run of {} as it is now (run it again after a change)",
            log.display(),
            from.display(),
            at.saturating_add(1),
            e.id,
            from.display(),
            from.display()
        )
        .into());
    }
    Ok(())
}

/// A path as the command to run next takes it: a name with a space is quoted, or the
/// command would name two folders.
fn argument(path: &Path) -> String {
    let shown = path.display().to_string();
    if shown.contains(char::is_whitespace) {
        format!("\"{shown}\"")
    } else {
        shown
    }
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

/// Refuses `--out` holding the earlier years' log that the book folder's `policy.csv` names
/// (上年账簿 prior_log, `prior_log`): this run's `events.jsonl` would replace it, and its
/// statements last year's, and the folder would not run again (its earlier book would hold
/// its own year). A later year run without `--out` writes to `season-out/`, where the first
/// year's run left the log its `--next-year` named.
fn refuse_out_over_prior_log(book: &Path, prior_log: Option<&str>, out: &Path) -> Result<()> {
    let Some(prior_log) = prior_log else {
        return Ok(());
    };
    let same = match (
        book.join(prior_log).canonicalize(),
        out.join("events.jsonl").canonicalize(),
    ) {
        (Ok(prior), Ok(written)) => prior == written,
        _ => false,
    };
    if same {
        let own = match book.file_name() {
            Some(name) => book.with_file_name(format!("{}-out", name.to_string_lossy())),
            None => PathBuf::from("season-out"),
        };
        return Err(format!(
            "--out {}: it holds the earlier years' log that {}'s policy.csv names (上年账簿 prior_log {prior_log}); this run's events.jsonl and statements would replace it and last year's statements, and {} would not run again; write them to a folder of this year's own: season {} --out {}",
            out.display(),
            book.display(),
            book.display(),
            argument(book),
            argument(&own)
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
        println!(
            "the reference cooperative is written to {} as a book folder; edit it, then run: season {}",
            dir.display(),
            argument(dir)
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(next) = &args.next_year {
        write_next_year(next)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(book) = &args.book {
        refuse_out_into(book, &args.out)?;
    }
    let folder = match &args.book {
        Some(dir) => BookFolder::read(dir)?,
        None => BookFolder::reference()?,
    };
    if let Some(book) = &args.book {
        refuse_out_over_prior_log(book, folder.settings().prior_log.as_deref(), &args.out)?;
    }
    let book = folder.run()?;
    summary(&book, &folder, args.book.is_none())?;
    // Each file is written as it is made, under a temporary name; all are renamed once every
    // one is written, so that none is replaced if any of them fails.
    if let Err(e) = write_all_outputs(&book, folder.settings(), &args.out) {
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
