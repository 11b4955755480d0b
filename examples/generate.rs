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

use std::error::Error as StdError;
use std::path::PathBuf;
use std::time::Instant;

use landpool::folder::{BookFolder, Settings};
use landpool::synthetic::{self, Scale};
use landpool::{Applied, Book, Event, EventId, EventLog};

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

fn main() -> Result<(), Box<dyn StdError>> {
    let mut scale = Scale::cooperative();
    let mut seed = 1_u64;
    let mut out = None;
    let mut folder_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--scale" => {
                scale = match value()?.as_str() {
                    "cooperative" => Scale::cooperative(),
                    "town" => Scale::town(),
                    "county" => Scale::county(),
                    other => {
                        return Err(
                            format!("unknown scale {other:?}: cooperative, town or county").into(),
                        )
                    }
                }
            }
            "--households" => scale.households = value()?.parse()?,
            "--work-records" => scale.work_records = value()?.parse()?,
            "--seed" => seed = value()?.parse()?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--folder" => folder_dir = Some(PathBuf::from(value()?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}; try --help").into()),
        }
    }
    if out.is_none() && folder_dir.is_none() {
        out = Some(PathBuf::from("synthetic-book.jsonl"));
    }
    let started = Instant::now();
    let events = synthetic::events(scale, seed)?;
    let generated = started.elapsed();
    println!(
        "{} events for {} households ({} parcels each, {} work records), seed {seed}: generated in {generated:?}",
        events.len(),
        scale.households,
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
            size(dir)?
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
    // The output is replaced: a log refuses to be created over a file with content.
    if out.exists() {
        std::fs::remove_file(&out)?;
    }
    drop(EventLog::create_from(&out, &book)?);
    println!(
        "event log: {} events applied in {applied:?}, written by {:?} to {}",
        book.events().len(),
        at.elapsed(),
        out.display()
    );
    Ok(())
}
