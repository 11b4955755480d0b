//! Writes a synthetic book at a chosen scale as an event log (JSON Lines) and as a book
//! folder, deterministic for a seed, for load tests and benchmarks.
//!
//! `cargo run --release --example generate -- [--scale cooperative|town|county]
//! [--households N] [--work-records N] [--seed S] [--out FILE] [--folder DIR]`
//!
//! Defaults: the cooperative scale (28 households), seed 1, `synthetic-book.jsonl`. The events
//! are applied to a book in memory (so the file holds only events that apply), then written
//! in the event log's format and synced once: the file opens with `EventLog::open`.
//!
//! `--folder DIR` also writes the same year as a book folder (`season DIR` runs it) into
//! `DIR`, which must not hold a folder's files yet; its `policy.csv` closes the year under the
//! synthetic close's policy, so the folder's run closes it the same way. With `--folder` and
//! no `--out`, only the folder is written. A folder's file holds at most 2,000,000 rows and
//! 64 MiB, which the county scale's 10,000,000 work records exceed.
//!
//! The exit status is 0 when everything asked for is written, 1 when the book cannot be made
//! or written (the problem printed with the file it concerns), 2 for a usage error (an
//! unknown option, a missing value, a number that is not a whole number).

use std::error::Error as StdError;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use landpool::folder::{BookFolder, Settings};
use landpool::synthetic::{self, Scale};
use landpool::{Applied, Book, Event, EventId, EventLog, MemberKind};

const USAGE: &str = "usage: generate [--scale cooperative|town|county] [--households N] [--work-records N] [--seed S] [--out FILE] [--folder DIR]";

/// The synthetic year as a book folder: the year and the close policy of its last event,
/// the year-end close, go into the settings (a folder closes its year from `policy.csv`).
fn folder(events: &[(EventId, Event)], seed: u64) -> Result<BookFolder, Box<dyn StdError>> {
    let Some((_, Event::YearClosed { year, policy })) = events.last() else {
        return Err("the synthetic book does not end with its close".into());
    };
    let settings = Settings {
        cooperative: "合成合作社 synthetic cooperative".into(),
        title: format!("合成合作社 synthetic cooperative, {year}, seed {seed}"),
        year: *year,
        event_prefix: "syn".into(),
        close: Some(policy.clone()),
        prior_log: None,
    };
    let events = events
        .iter()
        .filter(|(_, event)| !matches!(event, Event::YearClosed { .. }))
        .map(|(_, event)| event.clone())
        .collect();
    Ok(BookFolder::new(settings, events)?)
}

/// The bytes of the files in `dir`.
fn size(dir: &std::path::Path) -> std::io::Result<u64> {
    let mut total = 0_u64;
    for entry in std::fs::read_dir(dir)? {
        total = total.saturating_add(entry?.metadata()?.len());
    }
    Ok(total)
}

/// What the command line asks for: the scale, the seed, the log and the folder.
struct Args {
    scale: Scale,
    seed: u64,
    out: Option<PathBuf>,
    folder: Option<PathBuf>,
}

/// The whole number `value` of the option `option`.
fn whole<T: std::str::FromStr>(option: &str, value: std::ffi::OsString) -> Result<T, String> {
    value
        .to_str()
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| {
            format!(
                "{option} needs a whole number, found {:?}",
                value.to_string_lossy()
            )
        })
}

/// Reads the command line; `None` for `--help`. A usage error is returned as its message.
fn args() -> Result<Option<Args>, String> {
    let mut scale = Scale::cooperative();
    let mut seed = 1_u64;
    let mut out = None;
    let mut folder_dir = None;
    // As the OS gives them: a path need not be UTF-8 (a GBK name on Linux).
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy().into_owned();
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--scale" => {
                scale = match value()?.to_str() {
                    Some("cooperative") => Scale::cooperative(),
                    Some("town") => Scale::town(),
                    Some("county") => Scale::county(),
                    other => {
                        return Err(format!(
                            "unknown scale {:?}: cooperative, town or county",
                            other.unwrap_or("(not text)")
                        ))
                    }
                }
            }
            "--households" => scale.households = whole(&arg, value()?)?,
            "--work-records" => scale.work_records = whole(&arg, value()?)?,
            "--seed" => seed = whole(&arg, value()?)?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--folder" => folder_dir = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(Args {
        scale,
        seed,
        out,
        folder: folder_dir,
    }))
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("generate: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), Box<dyn StdError>> {
    let Args {
        scale,
        seed,
        mut out,
        folder: folder_dir,
    } = args;
    if out.is_none() && folder_dir.is_none() {
        out = Some(PathBuf::from("synthetic-book.jsonl"));
    }
    let started = Instant::now();
    let events = synthetic::events(scale, seed)?;
    let generated = started.elapsed();
    // As made, not as asked: a synthetic book has at least two households.
    let households = events
        .iter()
        .filter(|(_, event)| {
            matches!(
                event,
                Event::MemberJoined { member } if matches!(member.kind, MemberKind::Household { .. })
            )
        })
        .count();
    println!(
        "{} events for {households} households ({} parcels each, {} work records), seed {seed}: generated in {generated:?}",
        events.len(),
        scale.parcels_per_household,
        scale.work_records,
    );
    if let Some(dir) = &folder_dir {
        let at = Instant::now();
        let folder = folder(&events, seed)?;
        let made = at.elapsed();
        folder.write(dir)?;
        println!(
            "book folder: {} events in {made:?}, written by {:?} to {} ({} bytes)",
            folder.events().len(),
            at.elapsed(),
            dir.display(),
            size(dir).map_err(|e| format!("{}: {e}", dir.display()))?
        );
    }
    let Some(out) = out else {
        return Ok(());
    };
    let at = Instant::now();
    let mut book = Book::new();
    for (id, event) in events {
        if let Applied::AlreadyApplied { .. } = book.apply(id, event)? {
            return Err("a synthetic event id repeated".into());
        }
    }
    let applied = at.elapsed();
    // The output is replaced, but only once the new log is whole: it is written beside it
    // under a temporary name (a log refuses to be created over a file with content) and
    // renamed over it, so a failed write leaves the earlier output as it was.
    if out.is_dir() {
        return Err(format!("{}: is a folder; give the log a file name", out.display()).into());
    }
    let mut part_name = out.file_name().unwrap_or_default().to_os_string();
    part_name.push(".part");
    let part = out.with_file_name(part_name);
    if part.exists() {
        std::fs::remove_file(&part)
            .map_err(|e| format!("{}: removing an unfinished output: {e}", part.display()))?;
    }
    let written = EventLog::create_from(&part, &book).map(drop);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&part);
        return Err(e.into());
    }
    std::fs::rename(&part, &out).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        format!("{}: replacing it with the new log: {e}", out.display())
    })?;
    println!(
        "event log: {} events applied in {applied:?}, written by {:?} to {}",
        book.events().len(),
        at.elapsed(),
        out.display()
    );
    Ok(())
}
