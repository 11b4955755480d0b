//! Benchmarks for a year's statements (issue 9): `folder::statements` of a closed town-size
//! year (15,000 households, 60,000 parcels, 500,000 work records): the seven CSV statements,
//! the workbook (made on a second thread beside them) and the receipts; the same written
//! into a folder by `folder::write_statements` (the receipts streamed to their files); and
//! `folder::workbook` alone, from the CSV statements; and the summaries (汇总) of a
//! thousand cooperatives' balance sheets, surplus statements and members' equity
//! statements (`report::summary_*`, the year's three statements of this book a thousand
//! times over). The book is built once from `landpool::synthetic`, closed, and then only
//! the statements are timed.
//!
//! `LANDPOOL_BENCH_SCALE=cooperative` uses a single cooperative's book instead.
//! `STATEMENTS_QUICK=1` skips criterion and prints the minimum, median and maximum of nine
//! timed runs of each.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use landpool::folder::{self, Output, Settings};
use landpool::synthetic::{self, Scale};
use landpool::{report, Book};
use std::time::{Duration, Instant};

fn bench_statements(c: &mut Criterion) {
    let (name, scale) = match std::env::var("LANDPOOL_BENCH_SCALE").as_deref() {
        Ok("cooperative") => ("cooperative", Scale::cooperative()),
        _ => ("town", Scale::town()),
    };
    let started = Instant::now();
    let mut book = Book::new();
    for (id, event) in synthetic::events(scale, 1).expect("a synthetic book") {
        book.apply(id, event).expect("the synthetic book applies");
    }
    let year = book
        .journal()
        .closed_years()
        .last()
        .expect("the synthetic year is closed");
    eprintln!(
        "built the {name} book ({} events, {} entries) in {:?}",
        book.events().len(),
        book.journal().len(),
        started.elapsed()
    );
    let settings = Settings {
        cooperative: "合作社".into(),
        title: format!("{name} {year}"),
        year,
        event_prefix: "e".into(),
        close: None,
        prior_log: None,
    };
    let files = folder::statements(&book, &settings).expect("the statements");
    let tables = tables(&files);
    let sheets: Vec<(&str, &str)> = tables
        .iter()
        .map(|(sheet, text)| (*sheet, text.as_str()))
        .collect();
    assert_eq!(sheets.len(), 7, "seven CSV statements");
    let created = time::macros::date!(2019 - 12 - 31);
    // Where `write_statements` writes (the same files each time).
    let out =
        std::env::temp_dir().join(format!("landpool-bench-statements-{}", std::process::id()));
    eprintln!(
        "{} files, {} bytes of CSV statements",
        files.len(),
        tables.iter().map(|(_, text)| text.len()).sum::<usize>()
    );

    // A thousand cooperatives' statements of the year, to sum.
    let cooperatives = 1_000;
    let balance_sheets =
        vec![report::balance_sheet(&book, year).expect("the balance sheet"); cooperatives];
    let surpluses =
        vec![report::surplus_statement(&book, year).expect("the surplus statement"); cooperatives];
    let equities =
        vec![report::member_equity(&book, year).expect("the equity statement"); cooperatives];
    let summaries = || {
        (
            report::summary_balance_sheet(&balance_sheets).expect("the summary balance sheet"),
            report::summary_surplus_statement(&surpluses).expect("the summary surplus statement"),
            report::summary_member_equity(&equities).expect("the summary equity statement"),
        )
    };

    if std::env::var_os("STATEMENTS_QUICK").is_some() {
        common::timed_runs("summaries of 1,000 cooperatives' statements", 9, || {
            let started = Instant::now();
            let summed = summaries();
            let elapsed = started.elapsed();
            drop(summed);
            elapsed
        });
        common::timed_runs(&format!("statements of a {name}-size year"), 9, || {
            let started = Instant::now();
            let files = folder::statements(&book, &settings).expect("the statements");
            let elapsed = started.elapsed();
            drop(files);
            elapsed
        });
        common::timed_runs(
            &format!("statements of a {name}-size year written"),
            9,
            || {
                let started = Instant::now();
                folder::write_statements(&book, &settings, &out).expect("the statements written");
                started.elapsed()
            },
        );
        common::timed_runs(&format!("workbook of a {name}-size year"), 9, || {
            let started = Instant::now();
            let bytes = folder::workbook(&sheets, created).expect("the workbook");
            let elapsed = started.elapsed();
            drop(bytes);
            elapsed
        });
        std::fs::remove_dir_all(&out).ok();
        return;
    }

    let mut group = c.benchmark_group("statements");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function(format!("statements of a {name}-size year"), |b| {
        b.iter(|| folder::statements(&book, &settings).expect("the statements"))
    });
    group.bench_function(format!("statements of a {name}-size year written"), |b| {
        b.iter(|| folder::write_statements(&book, &settings, &out).expect("the statements written"))
    });
    group.bench_function(format!("workbook of a {name}-size year"), |b| {
        b.iter(|| folder::workbook(&sheets, created).expect("the workbook"))
    });
    group.bench_function("summaries of 1,000 cooperatives' statements", |b| {
        b.iter(summaries)
    });
    group.finish();
    std::fs::remove_dir_all(&out).ok();
}

/// The CSV statements of `files`, each named by its file, as the workbook takes its tables
/// (the sheets' names do not change the work).
fn tables(files: &[Output]) -> Vec<(&str, String)> {
    files
        .iter()
        .filter(|output| output.name.ends_with(".csv"))
        .map(|output| {
            let text = String::from_utf8(output.bytes.clone()).expect("UTF-8 CSV");
            (output.name.as_str(), text)
        })
        .collect()
}

criterion_group!(benches, bench_statements);
criterion_main!(benches);
