//! Benchmarks for the durable event log (issue 8): what an fsync per append costs, and how
//! long opening (reading and replaying) a log of 10,000 events takes.
//!
//! - `log/append with fsync`: one [`EventLog::append`] (apply, write one line, `sync_data`)
//!   to a growing log in the temp directory; compare with `log/apply without a log`, the
//!   same events applied to a book in memory.
//! - `log/open 10,000 events`: [`EventLog::open`] of a 10,000-event log: lock, read, parse,
//!   replay with digest checks; `log/open 10,000 events leaving them in the log`, the same
//!   with [`EventLog::open_leaving_events`], whose book holds each event's id and digest.
//!
//! The figures depend on the disk under `std::env::temp_dir()`: an fsync costs from tens of
//! microseconds (a virtual disk that acknowledges early) to milliseconds (a real one).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use landpool::{
    Book, CashAccount, Event, EventId, EventLog, GrainUnit, Member, MemberKind, Opened,
};
use rust_decimal_macros::dec;
use time::macros::date;

const OPEN_EVENTS: u32 = 10_000;

/// Days after 2019-01-01 that grain prices are dated within before their dates start
/// again for another crop (about 5,500 years, well inside the calendar's year 9999): on a
/// disk whose fsync takes 0.1 ms criterion appends millions of events, and applies more.
const PRICE_DAYS: u32 = 2_000_000;

/// Event `i` of an endless valid sequence: a member joins, then grain prices (one every
/// other day, for `小麦`, then `小麦1`, `小麦2`, … once the dates start again) and payments to
/// the member alternate.
fn event(i: u32) -> (EventId, Event) {
    let event = match i {
        0 => Event::MemberJoined {
            member: Member {
                id: "M001".parse().expect("a valid id"),
                name: "王建国".into(),
                kind: MemberKind::Household { persons: 4 },
                village: "高格庄".into(),
                joined: date!(2019 - 01 - 01),
                left: None,
            },
        },
        _ if i % 2 == 1 => Event::GrainPriceRecorded {
            crop: match i / PRICE_DAYS {
                0 => "小麦".into(),
                round => format!("小麦{round}"),
            },
            unit: GrainUnit::Jin,
            date: date!(2019 - 01 - 01) + time::Duration::days(i64::from(i % PRICE_DAYS)),
            price: dec!(1.15),
        },
        _ => Event::RentPaid {
            member: "M001".parse().expect("a valid id"),
            date: date!(2019 - 03 - 01),
            amount: "1.25".parse().expect("a valid amount"),
            from: CashAccount::Bank,
        },
    };
    (format!("e{i}").parse().expect("a valid id"), event)
}

/// A path in the temp directory for this benchmark, with no file at it.
fn scratch(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "landpool-bench-log-{}-{name}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path
}

fn bench_log(c: &mut Criterion) {
    let mut group = c.benchmark_group("log");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(1));

    let path = scratch("append");
    let mut log = EventLog::create(&path).expect("a new log");
    let mut book = Book::new();
    let mut i = 0u32;
    group.bench_function("append with fsync", |b| {
        b.iter(|| {
            let (id, event) = event(i);
            let applied = log
                .append(&mut book, u64::from(i), id, event)
                .expect("appended");
            i += 1;
            black_box(applied)
        })
    });
    eprintln!(
        "log: the append log grew to {} events, {} bytes",
        log.next_seq(),
        std::fs::metadata(&path).map_or(0, |m| m.len())
    );
    drop(log);
    let _ = std::fs::remove_file(&path);

    let mut book = Book::new();
    let mut i = 0u32;
    group.bench_function("apply without a log", |b| {
        b.iter(|| {
            let (id, event) = event(i);
            let applied = book.apply(id, event).expect("applied");
            i += 1;
            black_box(applied)
        })
    });

    let path = scratch("open");
    let mut log = EventLog::create(&path).expect("a new log");
    let mut book = Book::new();
    for i in 0..OPEN_EVENTS {
        let (id, event) = event(i);
        log.append(&mut book, u64::from(i), id, event)
            .expect("appended");
    }
    drop(log);
    eprintln!(
        "log: the open log holds {OPEN_EVENTS} events, {} bytes",
        std::fs::metadata(&path).map_or(0, |m| m.len())
    );
    group
        .sample_size(10)
        .throughput(Throughput::Elements(u64::from(OPEN_EVENTS)));
    group.bench_function("open 10,000 events", |b| {
        b.iter(|| {
            let (log, opened_book, opened): (EventLog, Book, Opened) =
                EventLog::open(&path).expect("opens");
            assert_eq!(opened.events, u64::from(OPEN_EVENTS));
            drop(log);
            black_box(opened_book)
        })
    });
    group.bench_function("open 10,000 events leaving them in the log", |b| {
        b.iter(|| {
            let (log, opened_book, opened): (EventLog, Book, Opened) =
                EventLog::open_leaving_events(&path).expect("opens");
            assert_eq!(opened.events, u64::from(OPEN_EVENTS));
            assert!(opened_book.events().is_empty());
            drop(log);
            black_box(opened_book)
        })
    });
    group.finish();
    let _ = std::fs::remove_file(&path);
}

criterion_group!(benches, bench_log);
criterion_main!(benches);
