//! Writes a synthetic book at a chosen scale as an event log (JSON Lines), deterministic for a
//! seed, for load tests and benchmarks.
//!
//! `cargo run --release --example generate -- [--scale cooperative|town|county]
//! [--households N] [--work-records N] [--seed S] [--out FILE]`
//!
//! Defaults: the cooperative scale (28 households), seed 1, `synthetic-book.jsonl`. The events
//! are applied to a book in memory (so the file holds only events that apply), then written
//! in the event log's format and synced once: the file opens with `EventLog::open`.

use std::error::Error as StdError;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use landpool::synthetic::{self, Scale};
use landpool::{Applied, Book};

fn main() -> Result<(), Box<dyn StdError>> {
    let mut scale = Scale::cooperative();
    let mut seed = 1_u64;
    let mut out = PathBuf::from("synthetic-book.jsonl");
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
            "--out" => out = PathBuf::from(value()?),
            "-h" | "--help" => {
                println!("usage: generate [--scale cooperative|town|county] [--households N] [--work-records N] [--seed S] [--out FILE]");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}; try --help").into()),
        }
    }
    let started = Instant::now();
    let events = synthetic::events(scale, seed)?;
    let generated = started.elapsed();
    let mut book = Book::new();
    for (id, event) in events {
        if let Applied::AlreadyApplied { .. } = book.apply(id, event)? {
            return Err("a synthetic event id repeated".into());
        }
    }
    let applied = started.elapsed();
    let file = std::fs::File::create(&out)?;
    let mut writer = BufWriter::new(file);
    for logged in book.events() {
        serde_json::to_writer(&mut writer, logged)?;
        writer.write_all(b"\n")?;
    }
    writer
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()?;
    println!(
        "{} events for {} households ({} parcels each, {} work records), seed {seed}: generated in {generated:?}, applied by {applied:?}, written by {:?} to {}",
        book.events().len(),
        scale.households,
        scale.parcels_per_household,
        scale.work_records,
        started.elapsed(),
        out.display()
    );
    Ok(())
}
