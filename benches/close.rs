//! Benchmarks for the year-end close (issue 6): close a town-size year (15,000 households,
//! 60,000 parcels, 500,000 work records; target 0.2 s) with criterion, and with
//! `LANDPOOL_BENCH_SCALE=county` a county-size year (250,000 households, 1,000,000 parcels;
//! target 3 s and 2 GB). The book is built from `landpool::synthetic` up to the close, which
//! alone is timed; the generated events are handed to the book one by one and the list that
//! held them shrinks as it empties, so the peak is the book's, as when a book is opened from a
//! log on disk.
//!
//! A county book cannot be cloned for every criterion sample on a 24 GiB machine (it holds
//! 10,000,000 work records), so the county run builds it once, closes it once, and prints the
//! close's wall and CPU time, the peak resident memory before and after the close, and how
//! much the close raised it. `LANDPOOL_BENCH_WORK_RECORDS=N` replaces the scale's number of
//! work records (0 gives the county's households and parcels without a year of timesheets).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use landpool::synthetic::{self, Scale};
use landpool::{Book, Event, EventId};
use std::time::{Duration, Instant};

fn bench_close(c: &mut Criterion) {
    let (name, mut scale) = match std::env::var("LANDPOOL_BENCH_SCALE").as_deref() {
        Ok("county") => ("county", Scale::county()),
        Ok("cooperative") => ("cooperative", Scale::cooperative()),
        _ => ("town", Scale::town()),
    };
    if let Some(records) = std::env::var("LANDPOOL_BENCH_WORK_RECORDS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        scale.work_records = records;
    }
    let (book, close_id, close) = book_before_close(name, scale);
    if name == "county" {
        close_once(book, close_id, close);
        return;
    }
    let mut group = c.benchmark_group("close");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function(format!("close a {name}-size year"), |b| {
        b.iter_batched(
            || book.clone(),
            |mut book| {
                let applied = book.apply(close_id.clone(), close.clone()).expect("closes");
                // Returned, so that dropping the book is not timed.
                (book, applied)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// The synthetic book at `scale` with every event but the close applied, and the close.
fn book_before_close(name: &str, scale: Scale) -> (Book, EventId, Event) {
    let started = Instant::now();
    let mut events = synthetic::events(scale, 1).expect("a synthetic book");
    let (close_id, close) = events.pop().expect("the close is the last event");
    assert!(matches!(close, Event::YearClosed { .. }));
    // The events are handed over one by one from the back of the reversed list, which is
    // shrunk as it empties: the generator's list (2.4 million events at county scale) is
    // not held beside the finished book, as a book replayed from a log on disk would not be.
    events.reverse();
    let mut book = Book::new();
    while let Some((id, event)) = events.pop() {
        book.apply(id, event).expect("the synthetic book applies");
        if events.len() < events.capacity() / 2 {
            events.shrink_to_fit();
        }
    }
    eprintln!(
        "built the {name} book ({} households, {} work records, {} events) in {:?}",
        scale.households,
        scale.work_records,
        book.events().len(),
        started.elapsed()
    );
    (book, close_id, close)
}

/// Closes the year once and prints what it took.
fn close_once(mut book: Book, close_id: EventId, close: Event) {
    let before = peak_mb();
    let (started, cpu) = (Instant::now(), cpu_ms());
    let applied = book.apply(close_id, close).expect("closes");
    let (wall, cpu) = (started.elapsed(), cpu_ms().saturating_sub(cpu));
    let after = peak_mb();
    assert!(matches!(applied, landpool::Applied::Recorded { .. }));
    eprintln!(
        "close a county-size year: {wall:?} (on the CPU {cpu} ms); peak memory {before} MB before the close, {after} MB after (the close raised it by {} MB)",
        after.saturating_sub(before)
    );
}

/// The kernel's high-water mark of this process's resident memory (`VmHWM`, Linux), in MB.
fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

/// Milliseconds this thread has run on a CPU (Linux), to measure on a shared machine.
fn cpu_ms() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
        })
        .map_or(0, |ns| ns / 1_000_000)
}

criterion_group!(benches, bench_close);
criterion_main!(benches);
