//! Benchmarks for the foundation: allocation, parsing and display of amounts.
//!
//! Targets (issue 2): `allocate` over 1,000,000 weights in 20 ms or less; parse and display
//! 1,000,000 amounts in 100 ms or less each, on the 2-core development machine.

use criterion::{criterion_group, criterion_main, Criterion};
use landpool::{allocate, Yuan};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::Duration;

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

fn bench_allocate(c: &mut Criterion) {
    // Areas of 0.01 to 20.00 mu, as a county's pooled parcels would be.
    let weights: Vec<Decimal> = sequence(7)
        .take(N)
        .map(|r| Decimal::new((r % 2_000) as i64 + 1, 2))
        .collect();
    let total: Yuan = "123456789.01".parse().expect("a valid amount");
    let mut group = c.benchmark_group("foundation");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("allocate 1M weights", |b| {
        b.iter(|| allocate(black_box(total), black_box(&weights)).expect("valid weights"))
    });

    let amounts: Vec<Yuan> = sequence(11)
        .take(N)
        .map(|r| Yuan::from_fen((r % 100_000_000_000) as i64 - 50_000_000_000))
        .collect();
    let texts: Vec<String> = amounts.iter().map(Yuan::to_string).collect();
    group.bench_function("parse 1M amounts", |b| {
        b.iter(|| {
            let mut sum = 0_i64;
            for text in &texts {
                sum = sum.wrapping_add(text.parse::<Yuan>().expect("valid text").fen());
            }
            sum
        })
    });
    group.bench_function("display 1M amounts", |b| {
        let mut buffer = String::with_capacity(32 * N);
        b.iter(|| {
            use std::fmt::Write;
            buffer.clear();
            for amount in &amounts {
                let _ = writeln!(buffer, "{amount}");
            }
            buffer.len()
        })
    });
    group.bench_function("chinese capitals 1M amounts", |b| {
        b.iter(|| {
            amounts
                .iter()
                .map(|a| a.to_chinese_upper().len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_allocate);
criterion_main!(benches);
