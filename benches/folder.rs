//! Benchmarks for reading a book folder (issue 9): `BookFolder::from_files` over the
//! files of a town-size year (15,000 households, 60,000 parcels, 500,000 work records in
//! `labour.csv`; 46 MB of CSV), as `season` reads a folder after loading its files: every
//! file decoded, split into rows, each cell parsed and checked, every reference looked up,
//! and the events put in order. The folder is made once from `landpool::synthetic`, as
//! `generate --folder` makes it; only the read is timed.
//!
//! `LANDPOOL_BENCH_SCALE=cooperative` uses a single cooperative's folder instead.
//! `FOLDER_QUICK=1` skips criterion and prints the minimum, median and maximum of nine
//! timed runs.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use landpool::folder::{BookFolder, Settings};
use landpool::synthetic::{self, Scale};
use landpool::Event;
use std::time::{Duration, Instant};

fn bench_folder(c: &mut Criterion) {
    let (name, scale) = match std::env::var("LANDPOOL_BENCH_SCALE").as_deref() {
        Ok("cooperative") => ("cooperative", Scale::cooperative()),
        _ => ("town", Scale::town()),
    };
    let started = Instant::now();
    let events = synthetic::events(scale, 1).expect("a synthetic book");
    let Some((_, Event::YearClosed { year, policy })) = events.last() else {
        panic!("the synthetic book ends with its close");
    };
    let settings = Settings {
        cooperative: "合成合作社".into(),
        title: format!("{name} {year}"),
        year: *year,
        event_prefix: "syn".into(),
        close: Some(policy.clone()),
        prior_log: None,
    };
    let events: Vec<Event> = events
        .into_iter()
        .map(|(_, event)| event)
        .filter(|event| !matches!(event, Event::YearClosed { .. }))
        .collect();
    let count = events.len();
    let made = BookFolder::new(settings, events).expect("the synthetic folder");
    let files: Vec<(String, Vec<u8>)> = made
        .to_files()
        .expect("the folder's files")
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    eprintln!(
        "made the {name} folder ({count} events, {} files, {} bytes) in {:?}",
        files.len(),
        files.iter().map(|(_, bytes)| bytes.len()).sum::<usize>(),
        started.elapsed()
    );
    // The files read are the folder made.
    assert_eq!(
        BookFolder::from_files(&files).expect("the folder reads"),
        made
    );

    let label = format!("read a {name}-size book folder");
    if std::env::var_os("FOLDER_QUICK").is_some() {
        common::timed_runs(&label, 9, || {
            let started = Instant::now();
            let folder = BookFolder::from_files(&files).expect("the folder reads");
            let elapsed = started.elapsed();
            drop(folder);
            elapsed
        });
        return;
    }
    let mut group = c.benchmark_group("folder");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function(label, |b| {
        b.iter(|| BookFolder::from_files(&files).expect("the folder reads"))
    });
    group.finish();
}

criterion_group!(benches, bench_folder);
criterion_main!(benches);
