//! Benchmarks for members and land (issue 4): accrue one year's rent for 1,000,000 contracts
//! (county scale: 250,000 households with four contracts each). Target: 1 s or less.
//!
//! `LAND_QUICK=1 cargo bench --bench land` skips criterion and prints nine timed accruals
//! (each on a fresh copy of the book) with their minimum and median, which helps on a busy
//! machine.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use landpool::ledger::AccountCode;
use landpool::*;
use rust_decimal::Decimal;
use std::time::{Duration, Instant};
use time::macros::date;

const HOUSEHOLDS: usize = 250_000;
const CONTRACTS_PER_HOUSEHOLD: usize = 4;

fn build(households: usize) -> Book {
    let started = Instant::now();
    let mut book = Book::new();
    let mut seq = 0_u64;
    let mut apply = |book: &mut Book, event: Event| {
        seq += 1;
        book.apply(format!("e{seq}").parse().expect("valid id"), event)
            .expect("the synthetic book is valid");
    };
    let charge_to = AccountCode::new("401").expect("401 exists");
    for h in 0..households {
        let member: MemberId = format!("M{h}").parse().expect("valid id");
        apply(
            &mut book,
            Event::MemberJoined {
                member: Member {
                    id: member.clone(),
                    name: format!("户主{h}").into(),
                    kind: MemberKind::Household {
                        persons: 1 + (h % 6) as u32,
                    },
                    village: format!("村{}", h % 70).into(),
                    joined: date!(2018 - 01 - 01),
                    left: None,
                },
            },
        );
        for c in 0..CONTRACTS_PER_HOUSEHOLD {
            let parcel: ParcelId = format!("P{h}-{c}").parse().expect("valid id");
            let area = Mu::from_ten_thousandths(5_000 + ((h * 7 + c * 13) % 20_000) as u64);
            apply(
                &mut book,
                Event::ParcelRegistered {
                    parcel: Parcel {
                        id: parcel.clone(),
                        owner: member.clone(),
                        area,
                        village: format!("村{}", h % 70).into(),
                        land_class: "水浇地".into(),
                        registered: date!(2018 - 01 - 01),
                        retired: None,
                    },
                },
            );
            let rent = match c {
                0 | 1 => RentTerms::Fixed {
                    yuan_per_mu: Decimal::from(1000),
                },
                2 => RentTerms::Stepped {
                    yuan_per_mu: Decimal::from(900),
                    step_percent: Decimal::from(5),
                    every_years: 3,
                },
                _ => RentTerms::Fixed {
                    yuan_per_mu: Decimal::new(95050, 2),
                },
            };
            apply(
                &mut book,
                Event::ContractSigned {
                    contract: Box::new(Contract {
                        id: format!("C{h}-{c}").parse().expect("valid id"),
                        member: member.clone(),
                        lines: vec![ContractLine { parcel, area }],
                        start: if c == 1 {
                            date!(2019 - 03 - 15)
                        } else {
                            date!(2018 - 01 - 01)
                        },
                        end: date!(2030 - 12 - 31),
                        kind: ContractKind::Transfer { rent },
                        pro_rating: if c == 3 {
                            ProRating::MonthsAndDays
                        } else {
                            ProRating::ActualDays
                        },
                        payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                        charge_to: charge_to.clone(),
                    }),
                },
            );
        }
    }
    eprintln!(
        "built a book of {households} households in {:?}",
        started.elapsed()
    );
    book
}

fn accrual() -> Event {
    Event::RentAccrued {
        from: date!(2019 - 01 - 01),
        to: date!(2019 - 12 - 31),
        contracts: Accrue::All,
        date: date!(2019 - 12 - 31),
    }
}

/// A copy of `book` as a book in use is: a clone holds its event log at exactly its length, so
/// its first event would move the whole log to a larger allocation (a cost a growing book pays
/// once per doubling, not once per event). One small event applied to the copy before the
/// timer starts gives it the spare room a book in use has.
fn in_use(book: &Book) -> Book {
    let mut copy = book.clone();
    copy.apply(
        "price-before-rent".parse().expect("valid id"),
        Event::GrainPriceRecorded {
            crop: "wheat".into(),
            unit: GrainUnit::Jin,
            date: date!(2019 - 01 - 01),
            price: Decimal::new(115, 2),
        },
    )
    .expect("a valid price");
    copy
}

fn bench_accrual(c: &mut Criterion) {
    let households = std::env::var("LANDPOOL_BENCH_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(HOUSEHOLDS);
    let book = build(households);
    if std::env::var_os("LAND_QUICK").is_some() {
        common::timed_runs(
            &format!(
                "accrual of {} contracts",
                households * CONTRACTS_PER_HOUSEHOLD
            ),
            9,
            || {
                let mut copy = in_use(&book);
                let start = Instant::now();
                copy.apply("rent-2019".parse().expect("valid id"), accrual())
                    .expect("accrues");
                start.elapsed()
            },
        );
        return;
    }
    let mut group = c.benchmark_group("land");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function(
        format!(
            "accrue a year for {} contracts",
            households * CONTRACTS_PER_HOUSEHOLD
        ),
        |b| {
            b.iter_batched(
                || in_use(&book),
                |mut book| {
                    let applied = book
                        .apply("rent-2019".parse().expect("valid id"), accrual())
                        .expect("accrues");
                    // Returned, so that dropping the book is not timed.
                    (book, applied)
                },
                BatchSize::PerIteration,
            )
        },
    );
    group.finish();
}

criterion_group!(benches, bench_accrual);
criterion_main!(benches);
