//! Benchmarks for operations (issue 5): book 10,000,000 work records (county scale: 250,000
//! households, 40 records each, in monthly timesheets), target 5 s or less; labour income per
//! household for the 250,000 households from them, target 0.5 s or less; and checking a
//! greenhouse's retirement against those records, and paying each household its rent and its
//! wages, an event each (no targets: the cost of an event must not grow with the book).
//!
//! Sizes: `LANDPOOL_BENCH_HOUSEHOLDS` (250,000), `LANDPOOL_BENCH_WORK_RECORDS` (10,000,000),
//! `LANDPOOL_BENCH_TIMESHEETS` (10). `OPERATIONS_QUICK=1` times one run of each with wall and
//! CPU time instead of the criterion loop.
//!
//! Measured on the 2-core development machine, full size: 10 monthly timesheets booked as
//! vouchers (tenth session: 2,548 journal entries of up to 1,024 postings) `OPERATIONS_QUICK=1`
//! runs 2.09 and 3.04 s, target met; labour income of the 250,000 households 42–45 ms. In
//! the eighth session, with an entry per worker and timesheet (2,500,000 entries), criterion
//! medians were 4.10–5.52 s.
//! A mid-year retirement refused for work recorded after it (thirty-third session,
//! `OPERATIONS_QUICK=1`, the mean of 20): 4.8–5.2 ms reading the labour register's later
//! timesheets, against 28–31 ms when it read every work record of the book's event log.
//! The ledger (明细账) of a worker's sub-account of 213 in the year (`report::account_ledger`,
//! which reads every entry twice, counting its lines, then making them; sixty-fourth
//! session, two runs): 3.8 and 3.9 ms for its 10 lines (2.2 and 2.3 ms with one reading),
//! against 93–97 ms for one reading (timed on another sub-account) when each posting's
//! code was compared with the account's; of 213 itself, with every member's 2,450,000
//! lines, 0.37 and 0.69 s (0.81–1.36 s when its list grew as the lines were made).
//! The same ledgers in the sixty-sixth session (two runs), the entries' indices sorted by
//! date rather than the lines: 213's 2,450,000 lines held in 0.21 and 0.28 s (0.59 and
//! 0.64 s the same day before); and without them (`report::account_ledger_listing`,
//! `AccountLedgerListing::write_csv`), 270 MB of CSV written as read in 0.56 and 0.57 s.
//! The journal listing (序时账) of the year, its CSV written as made to a writer that counts
//! it (`report::journal_listing`, `JournalListing::write_csv`; sixty-fifth session, two
//! runs): 2,520 entries, 2,573,080 postings and 387 MB of CSV in 0.81 and 1.00 s.
//! The general ledger (总账) of the year (`report::general_ledger`, made from the fifty
//! standard accounts' running totals; sixty-sixth session, two runs): 6 accounts, 40 months
//! and 10 KB of CSV from a chart of 1,500,078 accounts in 61 and 64 µs.
//! The balance sheet on the 30th of June (`report::balance_sheet_at`; sixty-seventh
//! session, two runs): 85 and 97 ms from that chart, its 250,000 members' sub-accounts of
//! 114 read for both columns in one walk, each by its chart node (134 ms, two runs, when
//! each column looked each one up by its code); the trial balance of June as CSV
//! (`report::trial_balance_csv_between`): 250,036 lines and 25 MB in 101–131 ms (four runs).
//! Payments, an event each (two runs): the county's 250,000 households' rent 0.82–1.00 s
//! (3.3–4.0 µs an event) and 245,000 households' wages 1.16–1.24 s (4.7–5.1 µs); a town's
//! (`LANDPOOL_BENCH_HOUSEHOLDS=15000 LANDPOOL_BENCH_WORK_RECORDS=500000`) 15,000 rents in
//! 45–46 ms (3.0–3.1 µs) and 12,250 wages in 43–53 ms (3.5–4.3 µs): a book 17 times larger
//! costs an event a fifth to a third more (its look-ups miss the cache more), not 17 times.
//! Where a million-record timesheet's time goes: its canonical JSON and SHA-256 for the event
//! chain (on a second thread), planning (one member look-up per worker, the pay of each
//! record), then posting its vouchers (each posting's account looked up and its running
//! balance updated).
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use landpool::ledger::AccountCode;
use landpool::*;
use rust_decimal::Decimal;
use std::time::{Duration, Instant};
use time::macros::date;
use time::{Date, Month};

const HOUSEHOLDS: usize = 250_000;
const WORK_RECORDS: usize = 10_000_000;
const TIMESHEETS: usize = 10;
const GREENHOUSES: usize = 28;

fn size(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Nanoseconds this thread has run on a CPU (Linux), to measure on a shared machine.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// A book with `households` households, 200 mu pooled and 28 greenhouses on it.
fn build(households: usize) -> Book {
    let started = Instant::now();
    let mut book = Book::new();
    let mut seq = 0_u64;
    let mut apply = |book: &mut Book, event: Event| {
        seq += 1;
        book.apply(format!("e{seq}").parse().expect("valid id"), event)
            .expect("the synthetic book is valid");
    };
    for h in 0..households {
        apply(
            &mut book,
            Event::MemberJoined {
                member: Member {
                    id: format!("H{h}").parse().expect("valid id"),
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
    }
    apply(
        &mut book,
        Event::ParcelRegistered {
            parcel: Parcel {
                id: "P-BLOCK".parse().expect("valid id"),
                owner: "H0".parse().expect("valid id"),
                area: "200".parse().expect("valid area"),
                village: "高格庄".into(),
                land_class: "水浇地".into(),
                registered: date!(2018 - 01 - 01),
                retired: None,
            },
        },
    );
    apply(
        &mut book,
        Event::ContractSigned {
            contract: Box::new(Contract {
                id: "C-BLOCK".parse().expect("valid id"),
                member: "H0".parse().expect("valid id"),
                lines: vec![ContractLine {
                    parcel: "P-BLOCK".parse().expect("valid id"),
                    area: "200".parse().expect("valid area"),
                }],
                start: date!(2018 - 01 - 01),
                end: date!(2030 - 12 - 31),
                kind: ContractKind::Transfer {
                    rent: RentTerms::Fixed {
                        yuan_per_mu: Decimal::from(1000),
                    },
                },
                pro_rating: ProRating::ActualDays,
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: AccountCode::new("401").expect("401 exists"),
            }),
        },
    );
    let areas = "200"
        .parse::<Mu>()
        .expect("valid area")
        .split(&[Decimal::ONE; GREENHOUSES])
        .expect("splits");
    for (g, area) in areas.into_iter().enumerate() {
        apply(
            &mut book,
            Event::GreenhouseBuilt {
                greenhouse: Greenhouse {
                    id: format!("GH{:02}", g + 1).parse().expect("valid id"),
                    name: format!("{}号棚", g + 1).into(),
                    area,
                    crop: "GRAPE".parse().expect("valid id"),
                    built: date!(2018 - 12 - 01),
                    cost: "100000".parse().expect("valid amount"),
                    residual: "4000".parse().expect("valid amount"),
                    life_months: 120,
                },
                paid_from: CostPayment::Bank,
            },
        );
    }
    eprintln!(
        "built a book of {households} households and {GREENHOUSES} greenhouses in {:?}",
        started.elapsed()
    );
    book
}

/// `records` work records in `sheets` monthly timesheets (March onwards), each household's
/// records of a month together, as a timesheet lists them.
fn timesheets(households: usize, records: usize, sheets: usize) -> Vec<Event> {
    let greenhouses: Vec<GreenhouseId> = (1..=GREENHOUSES)
        .map(|g| format!("GH{g:02}").parse().expect("valid id"))
        .collect();
    let members: Vec<MemberId> = (0..households)
        .map(|h| format!("H{h}").parse().expect("valid id"))
        .collect();
    let per_sheet = records / sheets;
    let per_household = per_sheet.div_ceil(households).max(1);
    (0..sheets)
        .map(|s| {
            let month = Month::try_from(3 + (s % 10) as u8).expect("a month");
            let year = 2019 + (s / 10) as i32;
            let end = Date::from_calendar_date(year, month, month.length(year)).expect("a date");
            let mut list = Vec::with_capacity(per_sheet);
            'sheet: for (h, member) in members.iter().enumerate() {
                for r in 0..per_household {
                    if list.len() == per_sheet {
                        break 'sheet;
                    }
                    let day = 1 + ((h + r * 7) % 28) as u8;
                    let pay = match (h + r) % 3 {
                        0 => Pay::Days {
                            days: Decimal::new(10 + (r as i64 % 20), 1),
                            rate: Decimal::new(12_000, 2),
                        },
                        1 => Pay::Hours {
                            hours: Decimal::new(75, 1),
                            rate: Decimal::new(1_650, 2),
                        },
                        _ => Pay::Pieces {
                            pieces: Decimal::from(200 + (h % 100) as i64),
                            rate: Decimal::new(45, 2),
                        },
                    };
                    list.push(WorkRecord {
                        worker: Worker::Member(member.clone()),
                        date: end.replace_day(day).expect("a day of the month"),
                        // A household works in its own greenhouse; one in fifty is staff
                        // doing administration.
                        task: if h % 50 == 0 {
                            Task::Administration
                        } else {
                            Task::Greenhouse(greenhouses[h % GREENHOUSES].clone())
                        },
                        pay,
                        kind: if h % 50 == 0 {
                            WorkKind::Staff
                        } else {
                            WorkKind::Seasonal
                        },
                    });
                }
            }
            Event::WorkRecorded {
                date: end,
                records: list,
            }
        })
        .collect()
}

fn book_all(book: &mut Book, sheets: Vec<Event>) {
    for (s, sheet) in sheets.into_iter().enumerate() {
        book.apply(format!("timesheet-{s}").parse().expect("valid id"), sheet)
            .expect("the timesheet is valid");
    }
}

/// Asks to take greenhouse GH01 out of use on 30 June 2019, which a book with the timesheets
/// refuses (its work is recorded in July): the check reads every later timesheet's records
/// for that greenhouse. A refused event leaves the book as it was, so the same book is
/// asked again.
fn retire_mid_year(book: &mut Book) -> bool {
    book.apply(
        "retire-GH01".parse().expect("valid id"),
        Event::GreenhouseRetired {
            greenhouse: "GH01".parse().expect("valid id"),
            date: date!(2019 - 06 - 30),
            proceeds: Yuan::ZERO,
            into: CashAccount::Cash,
        },
    )
    .is_err()
}

/// One payment event per household of the book: each household's year's pay for seasonal
/// work (213) paid on 31 December (`wages`), or 1,000.00 of rent paid in advance on 1 March
/// (`rent`). Households doing administration (staff, 212) are paid their rent only.
fn payments(book: &Book, wages: bool) -> Vec<Event> {
    let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
    let incomes = book.labour_incomes(from, to).expect("sums");
    incomes
        .into_iter()
        .filter_map(|line| {
            let h: usize = line.member.as_str().get(1..)?.parse().ok()?;
            if !wages {
                return Some(Event::RentPaid {
                    member: line.member,
                    date: date!(2019 - 03 - 01),
                    amount: Yuan::from_yuan(1000).expect("an amount"),
                    from: CashAccount::Bank,
                });
            }
            (!h.is_multiple_of(50) && line.income.is_positive()).then(|| Event::WagesPaid {
                worker: Worker::Member(line.member),
                account: WageAccount::Labour,
                date: to,
                amount: line.income,
                from: CashAccount::Bank,
            })
        })
        .collect()
}

/// Applies `events` as `<what>-0`, `<what>-1`, …, each accepted.
fn apply_all(book: &mut Book, what: &str, events: Vec<Event>) {
    for (n, event) in events.into_iter().enumerate() {
        book.apply(format!("{what}-{n}").parse().expect("valid id"), event)
            .expect("the payment is valid");
    }
}

fn bench_operations(c: &mut Criterion) {
    let households = size("LANDPOOL_BENCH_HOUSEHOLDS", HOUSEHOLDS);
    let records = size("LANDPOOL_BENCH_WORK_RECORDS", WORK_RECORDS);
    let sheets = size("LANDPOOL_BENCH_TIMESHEETS", TIMESHEETS);
    let book = build(households);
    let started = Instant::now();
    let events = timesheets(households, records, sheets);
    eprintln!(
        "made {records} work records in {sheets} timesheets in {:?}",
        started.elapsed()
    );
    let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
    if std::env::var("OPERATIONS_QUICK").is_ok() {
        for _ in 0..2 {
            let (mut copy, sheets) = (book.clone(), events.clone());
            let (start, cpu) = (Instant::now(), cpu_ns());
            book_all(&mut copy, sheets);
            eprintln!(
                "quick: book {records} work records in {:?} (on the CPU {} ms); journal has {} entries",
                start.elapsed(),
                (cpu_ns() - cpu) / 1_000_000,
                copy.journal().len()
            );
            let (start, cpu) = (Instant::now(), cpu_ns());
            let incomes = copy.labour_incomes(from, to).expect("sums");
            eprintln!(
                "quick: labour income of {} households in {:?} (on the CPU {} ms)",
                incomes.len(),
                start.elapsed(),
                (cpu_ns() - cpu) / 1_000_000
            );
            let (start, cpu) = (Instant::now(), cpu_ns());
            for _ in 0..20 {
                assert!(
                    retire_mid_year(&mut copy),
                    "work in July refuses the retirement"
                );
            }
            eprintln!(
                "quick: a mid-year retirement checked against {records} records in {:?} (on the CPU {} µs), the mean of 20",
                start.elapsed() / 20,
                (cpu_ns() - cpu) / 20_000
            );
            for code in ledger_accounts(&copy) {
                let (start, cpu) = (Instant::now(), cpu_ns());
                let ledger = report::account_ledger(&copy, &code, from, to).expect("a ledger");
                eprintln!(
                    "quick: the ledger of {code} ({} lines) from {} entries in {:?} (on the CPU {} ms)",
                    ledger.lines.len(),
                    copy.journal().len(),
                    start.elapsed(),
                    (cpu_ns() - cpu) / 1_000_000
                );
            }
            for code in ledger_accounts(&copy) {
                let (start, cpu) = (Instant::now(), cpu_ns());
                let listing =
                    report::account_ledger_listing(&copy, &code, from, to).expect("a listing");
                let mut counted = Counted(0);
                listing.write_csv(&mut counted).expect("written");
                eprintln!(
                    "quick: the ledger of {code} without its lines held, {} lines, {} bytes of CSV written as made in {:?} (on the CPU {} ms)",
                    listing.lines(),
                    counted.0,
                    start.elapsed(),
                    (cpu_ns() - cpu) / 1_000_000
                );
            }
            {
                let (start, cpu) = (Instant::now(), cpu_ns());
                let listing = report::journal_listing(&copy, from, to).expect("a listing");
                let mut counted = Counted(0);
                listing.write_csv(&mut counted).expect("written");
                eprintln!(
                    "quick: the journal listing of {} entries, {} postings, {} bytes of CSV written as made in {:?} (on the CPU {} ms)",
                    listing.entries().count(),
                    listing.postings(),
                    counted.0,
                    start.elapsed(),
                    (cpu_ns() - cpu) / 1_000_000
                );
            }
            {
                let (start, cpu) = (Instant::now(), cpu_ns());
                let ledger = report::general_ledger(&copy, from, to).expect("a general ledger");
                let bytes = ledger.to_csv().len();
                eprintln!(
                    "quick: the general ledger of {} standard accounts, {} months, {bytes} bytes of CSV, from {} accounts in {:?} (on the CPU {} µs)",
                    ledger.accounts.len(),
                    ledger.accounts.iter().map(|account| account.months.len()).sum::<usize>(),
                    copy.journal().chart().len(),
                    start.elapsed(),
                    (cpu_ns() - cpu) / 1_000
                );
            }
            {
                let june = date!(2019 - 06 - 30);
                let (start, cpu) = (Instant::now(), cpu_ns());
                let sheet = report::balance_sheet_at(&copy, june).expect("a balance sheet");
                eprintln!(
                    "quick: the balance sheet on {june}, total assets {}, from {} accounts in {:?} (on the CPU {} µs)",
                    sheet.line(22).map(|line| line.current).unwrap_or_default(),
                    copy.journal().chart().len(),
                    start.elapsed(),
                    (cpu_ns() - cpu) / 1_000
                );
                let (start, cpu) = (Instant::now(), cpu_ns());
                let csv = report::trial_balance_csv_between(&copy, date!(2019 - 06 - 01), june)
                    .expect("a trial balance");
                eprintln!(
                    "quick: the trial balance of June, {} lines, {} bytes of CSV, in {:?} (on the CPU {} ms)",
                    csv.lines().count(),
                    csv.len(),
                    start.elapsed(),
                    (cpu_ns() - cpu) / 1_000_000
                );
            }
            for (what, wages) in [("rent", false), ("wages", true)] {
                let events = payments(&copy, wages);
                let count = events.len();
                let (start, cpu) = (Instant::now(), cpu_ns());
                apply_all(&mut copy, what, events);
                eprintln!(
                    "quick: paid {count} households' {what}, an event each, in {:?} (on the CPU {} ms)",
                    start.elapsed(),
                    (cpu_ns() - cpu) / 1_000_000
                );
            }
        }
        return;
    }
    let mut group = c.benchmark_group("operations");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(30));
    group.bench_function(
        format!("book {records} work records in {sheets} timesheets"),
        |b| {
            b.iter_batched(
                || (book.clone(), events.clone()),
                |(mut book, sheets)| {
                    book_all(&mut book, sheets);
                    book
                },
                BatchSize::PerIteration,
            )
        },
    );
    let mut booked = book.clone();
    book_all(&mut booked, events);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function(
        format!("labour income of {households} households from {records} records"),
        |b| b.iter(|| booked.labour_incomes(from, to).expect("sums")),
    );
    for code in ledger_accounts(&booked) {
        group.bench_function(
            format!("the ledger of {code} from {records} work records' vouchers"),
            |b| b.iter(|| report::account_ledger(&booked, &code, from, to).expect("a ledger")),
        );
    }
    group.bench_function(
        format!("the general ledger from {records} work records' vouchers"),
        |b| b.iter(|| report::general_ledger(&booked, from, to).expect("a general ledger")),
    );
    group.bench_function(
        format!("the balance sheet at the end of June from {records} work records' vouchers"),
        |b| {
            b.iter(|| {
                report::balance_sheet_at(&booked, date!(2019 - 06 - 30)).expect("a balance sheet")
            })
        },
    );
    assert!(
        retire_mid_year(&mut booked),
        "work in July refuses the retirement"
    );
    group.bench_function(
        format!("check a mid-year greenhouse retirement against {records} records"),
        |b| b.iter(|| retire_mid_year(&mut booked)),
    );
    for (what, wages) in [("rent", false), ("wages", true)] {
        let events = payments(&booked, wages);
        group.bench_function(
            format!("pay {} households' {what}, an event each", events.len()),
            |b| {
                b.iter_batched(
                    || (booked.clone(), events.clone()),
                    |(mut book, events)| {
                        apply_all(&mut book, what, events);
                        book
                    },
                    BatchSize::PerIteration,
                )
            },
        );
    }
    group.finish();
}

/// A writer that counts what it is given.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The accounts whose ledgers are timed: 213 应付劳务费, which every work record's voucher
/// posts to (a sub-account for each member), and the sub-account of the first worker of
/// the last voucher.
fn ledger_accounts(book: &Book) -> Vec<AccountCode> {
    let labour = AccountCode::new("213").expect("a code");
    let worker = book.journal().entries().last().and_then(|entry| {
        entry
            .postings()
            .iter()
            .find(|posting| posting.account.is_within(&labour) && *posting.account != labour)
            .map(|posting| posting.account.clone())
    });
    std::iter::once(labour.clone()).chain(worker).collect()
}

criterion_group!(benches, bench_operations);
criterion_main!(benches);
