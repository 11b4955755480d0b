//! Benchmarks for the year-end close (issue 6): close a town-size year (15,000 households,
//! 60,000 parcels, 500,000 work records; target 0.2 s) and, with
//! `LANDPOOL_BENCH_SCALE=county`, a county-size year (250,000 households, 1,000,000 parcels;
//! target 3 s). The book is built from `landpool::synthetic` up to the close, which alone is
//! timed.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use landpool::synthetic::{self, Scale};
use landpool::{Book, Event};
use std::time::{Duration, Instant};

fn bench_close(c: &mut Criterion) {
    let (name, scale) = match std::env::var("LANDPOOL_BENCH_SCALE").as_deref() {
        Ok("county") => ("county", Scale::county()),
        Ok("cooperative") => ("cooperative", Scale::cooperative()),
        _ => ("town", Scale::town()),
    };
    let started = Instant::now();
    let mut events = synthetic::events(scale, 1).expect("a synthetic book");
    let (close_id, close) = events.pop().expect("the close is the last event");
    assert!(matches!(close, Event::YearClosed { .. }));
    let mut book = Book::new();
    for (id, event) in events {
        book.apply(id, event).expect("the synthetic book applies");
    }
    eprintln!(
        "built the {name} book ({} events) in {:?}",
        book.events().len(),
        started.elapsed()
    );
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

criterion_group!(benches, bench_close);
criterion_main!(benches);
