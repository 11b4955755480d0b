//! Benchmarks for the ledger.
//!
//! Targets (issue 3), on the 2-core development machine with SHA-NI:
//! - post 1,000,000 two-posting entries with the hash chain: 0.5 s or less;
//! - trial balance over a 1,000,000-entry journal: 20 ms or less.
//!
//! The entries are made before the clock starts, so posting reads them cold from memory, as
//! a replay would. Posted one `post` call at a time, each entry costs (on a quiet machine)
//! about 150 ns for the SHA-256 step (32 + ~130 bytes, three compression blocks with
//! SHA-NI), about 100 ns for the id index (one random probe into a table of a million ids),
//! and the rest for checking, encoding, running totals and growing the journal's memory.
//! Posted as one batch, the SHA-256 chain runs on a second thread and the id index is probed
//! in bucket order. `parts/*` measures the SHA-256 step and the encoding alone;
//! `chart/*` the opening of a town's members' sub-accounts, each name checked, and the
//! chart's code order over them.
//!
//! `LEDGER_QUICK=1 cargo bench --bench ledger` skips criterion and prints three timed runs
//! of each path with the CPU time of the thread; `LEDGER_QUICK=batch` (or `single`) prints
//! nine runs of one path with their minimum and median, which helps on a busy machine.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use landpool::ledger::{AccountCode, Entry, Journal};
use landpool::Yuan;
use std::hint::black_box;
use std::time::Duration;
use time::macros::date;
use time::Date;

const N: usize = 1_000_000;

/// A deterministic pseudo-random sequence (xorshift), so every run measures the same input.
fn sequence(seed: u64) -> impl Iterator<Item = u64> {
    let mut state = seed;
    std::iter::repeat_with(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    })
}

/// The leaf accounts the generated entries book to: 50 member sub-accounts under 114, crops
/// under 501, greenhouses under 521, and a few standard accounts.
fn accounts() -> Vec<(AccountCode, String)> {
    let mut out = Vec::new();
    for i in 0..50 {
        out.push((format!("114.M{i:03}"), format!("Member {i}")));
    }
    for crop in ["GRAPE", "PEACH", "TOMATO"] {
        out.push((format!("501.{crop}"), crop.to_string()));
    }
    for gh in 1..=28 {
        out.push((format!("521.GH{gh:02}"), format!("Greenhouse {gh}")));
    }
    for code in ["101", "102", "211", "212", "213", "401", "523", "524"] {
        out.push((code.to_string(), String::new()));
    }
    out.into_iter()
        .map(|(code, name)| (AccountCode::new(&code).expect("valid code"), name))
        .collect()
}

fn empty_journal(accounts: &[(AccountCode, String)]) -> Journal {
    let mut journal = Journal::new();
    for (code, name) in accounts {
        if code.level() > 1 {
            journal
                .open_account(code.clone(), name, name)
                .expect("opens");
        }
    }
    journal
}

/// `N` two-posting entries over two years, in date order except for one in a hundred, which
/// is dated up to a month back.
fn entries(accounts: &[(AccountCode, String)]) -> Vec<Entry> {
    let start = date!(2019 - 01 - 01).to_julian_day();
    let mut random = sequence(42);
    (0..N)
        .map(|i| {
            let r = random.next().unwrap_or(1);
            let mut day = start + (i as u64 * 730 / N as u64) as i32;
            if r.is_multiple_of(100) {
                day -= (r % 31) as i32;
            }
            let date = Date::from_julian_day(day.max(start)).expect("valid date");
            let debit = &accounts[(r % accounts.len() as u64) as usize].0;
            let credit = &accounts[((r >> 20) % accounts.len() as u64) as usize].0;
            let amount = Yuan::from_fen(((r >> 40) % 10_000_000) as i64 + 1);
            Entry::new(format!("E{i}"), date, "generated entry")
                .debit(debit.clone(), amount)
                .credit(credit.clone(), amount)
        })
        .collect()
}

/// The same entries as [`entries`], made one at a time.
struct EntryStream<'a> {
    accounts: &'a [(AccountCode, String)],
    random: Box<dyn Iterator<Item = u64>>,
    i: usize,
}

impl<'a> EntryStream<'a> {
    fn new(accounts: &'a [(AccountCode, String)]) -> Self {
        EntryStream {
            accounts,
            random: Box::new(sequence(42)),
            i: 0,
        }
    }
}

impl Iterator for EntryStream<'_> {
    type Item = Entry;
    fn next(&mut self) -> Option<Entry> {
        if self.i >= N {
            return None;
        }
        let i = self.i;
        self.i += 1;
        let r = self.random.next().unwrap_or(1);
        Some(make_entry(self.accounts, i, r))
    }
}

fn make_entry(accounts: &[(AccountCode, String)], i: usize, r: u64) -> Entry {
    let start = date!(2019 - 01 - 01).to_julian_day();
    let mut day = start + (i as u64 * 730 / N as u64) as i32;
    if r.is_multiple_of(100) {
        day -= (r % 31) as i32;
    }
    let date = Date::from_julian_day(day.max(start)).expect("valid date");
    let debit = &accounts[(r % accounts.len() as u64) as usize].0;
    let credit = &accounts[((r >> 20) % accounts.len() as u64) as usize].0;
    let amount = Yuan::from_fen(((r >> 40) % 10_000_000) as i64 + 1);
    Entry::new(format!("E{i}"), date, "generated entry")
        .debit(debit.clone(), amount)
        .credit(credit.clone(), amount)
}

fn post_all(journal: &mut Journal, entries: Vec<Entry>) {
    for entry in entries {
        journal.post(entry).expect("a valid entry");
    }
}

/// Nanoseconds this thread has run on a CPU (Linux), to measure on a shared machine.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn bench_ledger(c: &mut Criterion) {
    let accounts = accounts();
    if let Ok(how @ ("batch" | "single")) = std::env::var("LEDGER_QUICK").as_deref() {
        common::timed_runs(&format!("quick: post 1M ({how})"), 9, || {
            let (mut journal, batch) = (empty_journal(&accounts), entries(&accounts));
            let start = std::time::Instant::now();
            if how == "batch" {
                journal.post_batch(batch).expect("valid entries");
            } else {
                post_all(&mut journal, batch);
            }
            start.elapsed()
        });
        return;
    }
    if std::env::var("LEDGER_QUICK").is_ok() {
        for _ in 0..3 {
            let (mut journal, entries) = (empty_journal(&accounts), entries(&accounts));
            let (start, cpu) = (std::time::Instant::now(), cpu_ns());
            post_all(&mut journal, entries);
            eprintln!(
                "quick: post 1M in {:?} (on the CPU {} ms)",
                start.elapsed(),
                (cpu_ns() - cpu) / 1_000_000
            );
            drop(journal);
            let (mut journal, batch) = (empty_journal(&accounts), self::entries(&accounts));
            let start = std::time::Instant::now();
            journal.post_batch(batch).expect("valid entries");
            eprintln!("quick: post 1M as one batch in {:?}", start.elapsed());
            drop(journal);
            let mut journal = empty_journal(&accounts);
            let (start, cpu) = (std::time::Instant::now(), cpu_ns());
            for entry in EntryStream::new(&accounts) {
                journal.post(entry).expect("a valid entry");
            }
            eprintln!(
                "quick: build and post 1M in {:?} (on the CPU {} ms)",
                start.elapsed(),
                (cpu_ns() - cpu) / 1_000_000
            );
        }
        return;
    }
    let mut group = c.benchmark_group("ledger");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("post 1M two-posting entries", |b| {
        b.iter_batched(
            || (empty_journal(&accounts), entries(&accounts)),
            |(mut journal, entries)| {
                post_all(&mut journal, entries);
                journal
            },
            BatchSize::PerIteration,
        )
    });

    group.bench_function("post 1M two-posting entries as one batch", |b| {
        b.iter_batched(
            || (empty_journal(&accounts), entries(&accounts)),
            |(mut journal, entries)| {
                journal.post_batch(entries).expect("valid entries");
                journal
            },
            BatchSize::PerIteration,
        )
    });

    group.bench_function("post 1M two-posting entries, capacity reserved", |b| {
        b.iter_batched(
            || {
                let mut journal = Journal::with_capacity(N);
                for (code, name) in &accounts {
                    if code.level() > 1 {
                        journal
                            .open_account(code.clone(), name, name)
                            .expect("opens");
                    }
                }
                (journal, entries(&accounts))
            },
            |(mut journal, entries)| {
                post_all(&mut journal, entries);
                journal
            },
            BatchSize::PerIteration,
        )
    });

    let mut journal = empty_journal(&accounts);
    post_all(&mut journal, entries(&accounts));
    group.bench_function("trial balance over 1M entries", |b| {
        b.iter(|| {
            journal
                .trial_balance(
                    black_box(date!(2020 - 01 - 01)),
                    black_box(date!(2020 - 12 - 31)),
                )
                .expect("balances")
        })
    });
    let bank = AccountCode::new("114").expect("valid code");
    group.bench_function("balance of a parent at a date, 1M entries", |b| {
        b.iter(|| {
            journal
                .balance(black_box(&bank), black_box(date!(2020 - 06 - 30)))
                .expect("in the chart")
        })
    });
    group.bench_function("verify the chain of 1M entries", |b| {
        b.iter(|| journal.verify().expect("intact"))
    });
    group.finish();
}

/// The six standard accounts a member's joining opens a sub-account under, with their names.
const SIX: [(&str, &str, &str); 6] = [
    ("114", "成员往来", "member current account"),
    ("212", "应付工资", "wages payable"),
    ("213", "应付劳务费", "labour payable"),
    ("221", "应付盈余返还", "patronage returns payable"),
    ("222", "应付剩余盈余", "remaining surplus payable"),
    ("301", "股金", "share capital"),
];

/// A town's members' sub-accounts: for each of 100,000 members the six a member's joining
/// opens, named as `Book` names them (the standard account's name and the member's name in
/// Chinese, its English name and the member's id). The codes and names are those of the
/// book's own list (`MEMBER_ACCOUNTS` in `src/book/mod.rs`, which is not public).
fn member_sub_accounts() -> Vec<(AccountCode, String, String)> {
    let given = ["三", "四丰", "五"];
    let mut out = Vec::with_capacity(600_000);
    for (i, given) in (0..100_000).zip(given.iter().cycle()) {
        let id = format!("H{i:06}");
        for (code, zh, en) in SIX {
            out.push((
                AccountCode::new(&format!("{code}.{id}")).expect("valid code"),
                format!("{zh}—张{given}"),
                format!("{en} — {id}"),
            ));
        }
    }
    out
}

fn bench_open(c: &mut Criterion) {
    let accounts = member_sub_accounts();
    let mut group = c.benchmark_group("chart");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    // Each name is checked (one line of text, no spaces at its ends) as it is opened.
    group.bench_function("open 600,000 members' sub-accounts", |b| {
        b.iter_batched(
            Journal::new,
            |mut journal| {
                journal.open_accounts(&accounts).expect("opens");
                journal
            },
            BatchSize::PerIteration,
        )
    });
    // The chart's code order, made when first asked for after accounts were opened: here
    // with the village collective's six sub-accounts (`V000001`) opened before the
    // households', as a synthetic book opens them, so that each of the six groups of
    // sub-accounts has one account out of code order. Asked for as the year's close asks,
    // for the leaves under one account.
    let mut collective: Vec<(AccountCode, String, String)> = SIX
        .iter()
        .map(|(code, _, _)| {
            (
                AccountCode::new(&format!("{code}.V000001")).expect("valid code"),
                "集体".to_string(),
                "collective — V000001".to_string(),
            )
        })
        .collect();
    collective.extend(accounts.iter().cloned());
    let mut opened = Journal::new();
    opened.open_accounts(&collective).expect("opens");
    let standard = AccountCode::new("521").expect("valid code");
    group.bench_function(
        "code order of 600,006 sub-accounts, then the leaves under 521",
        |b| {
            b.iter_batched(
                || opened.chart().clone(),
                |chart| {
                    black_box(chart.leaves_within(&standard).count());
                    chart
                },
                BatchSize::PerIteration,
            )
        },
    );
    // The same order asked for again after two more accounts were opened: the close's two
    // (`DISTRIBUTIONS` and `UNDISTRIBUTED`, named as the close names them), which it opens
    // after reading the chart's leaves, before the trial balance reads the whole chart in
    // code order.
    let two = [
        (
            AccountCode::new(landpool::DISTRIBUTIONS).expect("valid code"),
            "各项分配".to_string(),
            "distributions".to_string(),
        ),
        (
            AccountCode::new(landpool::UNDISTRIBUTED).expect("valid code"),
            "未分配盈余".to_string(),
            "undistributed surplus".to_string(),
        ),
    ];
    group.bench_function(
        "open two accounts after the code order was made, then the order",
        |b| {
            b.iter_batched(
                || {
                    let journal = opened.clone();
                    black_box(journal.chart().iter().count());
                    journal
                },
                |mut journal| {
                    journal.open_accounts(&two).expect("opens");
                    black_box(journal.chart().iter().count());
                    journal
                },
                BatchSize::PerIteration,
            )
        },
    );
    group.finish();
}

criterion_group!(benches, bench_ledger);
criterion_group!(chart, bench_open);
criterion_main!(benches, parts, chart);

fn bench_parts(c: &mut Criterion) {
    use landpool::ledger::Digest;
    let accounts = accounts();
    let es = entries(&accounts);
    let e = es[12345].clone();
    let bytes = e.canonical_bytes();
    eprintln!("encoding is {} bytes", bytes.len());
    c.bench_function("parts/sha chain one entry", |b| {
        b.iter(|| Digest::ZERO.chain(black_box(&bytes)))
    });
    c.bench_function("parts/encode one entry", |b| {
        b.iter(|| black_box(&e).canonical_bytes())
    });
}
criterion_group!(parts, bench_parts);
