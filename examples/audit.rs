//! Audits books: every rule of `landpool::audit`, recomputed from the events and the entries.
//!
//! `cargo run --release --example audit -- FILE.jsonl …` audits event logs (the
//! `events.jsonl` a book keeps, or the one the `season` example writes). Each log is opened
//! with `EventLog::open`, which replays it and checks its chain; the book it gives is then
//! audited with `landpool::audit::check`. A log that does not open is read line by line
//! instead and audited with `landpool::audit::check_events`, so that every damaged event is
//! named, not just the first. (Opening a log locks it, and cuts off a torn last line as a
//! crash leaves it; the example says so when it does.)
//!
//! With no arguments it audits the built-in reference cooperative: the Jiaruifeng (嘉瑞丰)
//! cooperative of Gaogezhuang (高格庄), 2019, in brief (28 households pooling 200 mu at 1000
//! yuan per mu, 28 grape greenhouses, work in the park, a grant, a subsidised loan, the year
//! closed with a 10% reserve and 70% returned by land pooled, paid out in 2020).
//!
//! Every violation is printed on its own line, `[rule] entities: message (amounts)`. The exit
//! status is 0 when every book passes, 1 when anything fails (a violation, or a log that
//! cannot be read), 2 for a usage error.

use std::error::Error as StdError;
use std::path::Path;
use std::process::ExitCode;

use landpool::audit::{self, Violation};
use landpool::ledger::AccountCode;
use landpool::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use time::{Date, Month};

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: audit [EVENTS.jsonl …]   (no arguments: the built-in reference cooperative)"
        );
        return ExitCode::SUCCESS;
    }
    if let Some(flag) = args.iter().find(|a| a.starts_with('-')) {
        eprintln!("audit: unknown option {flag}; usage: audit [EVENTS.jsonl …]");
        return ExitCode::from(2);
    }
    let mut failed = false;
    if args.is_empty() {
        match reference_book() {
            Ok(book) => {
                failed |= report(
                    "the reference cooperative (Jiaruifeng 2019)",
                    &book,
                    &audit::check(&book),
                )
            }
            Err(e) => {
                println!("error: building the reference cooperative: {e}");
                failed = true;
            }
        }
    }
    for path in &args {
        failed |= audit_log(Path::new(path));
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints what the audit found; true when anything failed.
fn report(what: &str, book: &Book, violations: &[Violation]) -> bool {
    for violation in violations {
        println!("{violation}");
    }
    println!(
        "audit: {what}: {} events, {} entries, {} rules: {}",
        book.events().len(),
        book.journal().len(),
        audit::Rule::ALL.len(),
        if violations.is_empty() {
            "no violations".to_string()
        } else {
            format!("{} violations", violations.len())
        }
    );
    !violations.is_empty()
}

/// Audits one event log; true when anything failed.
fn audit_log(path: &Path) -> bool {
    let shown = path.display().to_string();
    match EventLog::open(path) {
        Ok((log, book, opened)) => {
            if opened.dropped_bytes > 0 {
                println!(
                    "note: {shown}: cut off a torn last line of {} bytes ({})",
                    opened.dropped_bytes,
                    opened
                        .dropped_reason
                        .as_deref()
                        .unwrap_or("an append cut short")
                );
            }
            drop(log);
            report(&shown, &book, &audit::check(&book))
        }
        Err(e) => {
            println!("[replay] {shown}: {e}");
            // Read the lines as they are, and name every event that breaks a rule.
            match std::fs::read(path) {
                Ok(bytes) => {
                    let mut events = Vec::new();
                    for (number, line) in bytes.split(|b| *b == b'\n').enumerate() {
                        if line.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        match serde_json::from_slice::<LoggedEvent>(line) {
                            Ok(event) => events.push(event),
                            Err(e) => println!(
                                "[event-chain] {shown} line {}: not an event: {e}",
                                number.saturating_add(1)
                            ),
                        }
                    }
                    for violation in audit::check_events(&events) {
                        println!("{violation}");
                    }
                }
                Err(e) => println!("error: {shown}: {e}"),
            }
            println!("audit: {shown}: FAILED");
            true
        }
    }
}

fn day(year: i32, month: u8, day: u8) -> Result<Date> {
    Ok(Date::from_calendar_date(
        year,
        Month::try_from(month)?,
        day,
    )?)
}

struct Coop {
    book: Book,
    next: u32,
}

impl Coop {
    fn apply(&mut self, event: Event) -> Result<()> {
        self.next += 1;
        let id: EventId = format!("ref-{:05}", self.next).parse()?;
        self.book.apply(id, event)?;
        Ok(())
    }
}

/// Land pooled per household, in mu (28 households, 200.00 mu in all).
const AREAS: [&str; 28] = [
    "8.35", "6.20", "7.45", "5.80", "9.10", "6.65", "7.00", "7.90", "6.40", "8.05", "7.25", "6.90",
    "7.60", "5.95", "8.70", "7.15", "6.55", "7.35", "8.20", "6.10", "7.80", "6.75", "7.40", "7.05",
    "6.85", "7.65", "6.30", "5.55",
];

/// The reference cooperative's 2019, closed, and paid out in January 2020.
fn reference_book() -> Result<Book> {
    let mut c = Coop {
        book: Book::new(),
        next: 0,
    };
    let member = |i: usize| -> Result<MemberId> { Ok(format!("H{:02}", i + 1).parse()?) };
    let greenhouse = |i: usize| -> Result<GreenhouseId> { Ok(format!("GH{:02}", i + 1).parse()?) };
    for (i, _) in AREAS.iter().enumerate() {
        c.apply(Event::MemberJoined {
            member: Member {
                id: member(i)?,
                name: format!("高格庄{}户", i + 1),
                kind: MemberKind::Household {
                    persons: 2 + (i % 3) as u32,
                },
                village: "高格庄".into(),
                joined: day(2019, 1, 1)?,
                left: None,
            },
        })?;
        c.apply(Event::CapitalContributed {
            member: member(i)?,
            date: day(2019, 1, 2)?,
            amount: "10000".parse()?,
            into: CashAccount::Bank,
        })?;
    }
    c.apply(Event::AccountOpened {
        code: AccountCode::new("521.RENT")?,
        name_zh: "土地流转费".into(),
        name_en: "land transfer rent".into(),
    })?;
    for (i, area) in AREAS.iter().enumerate() {
        let parcel: ParcelId = format!("P{:02}", i + 1).parse()?;
        let area: Mu = area.parse()?;
        c.apply(Event::ParcelRegistered {
            parcel: Parcel {
                id: parcel.clone(),
                owner: member(i)?,
                area,
                village: "高格庄".into(),
                land_class: "水浇地".into(),
                registered: day(2019, 1, 1)?,
                retired: None,
            },
        })?;
        c.apply(Event::ContractSigned {
            contract: Contract {
                id: format!("LZ{:02}", i + 1).parse()?,
                member: member(i)?,
                lines: vec![ContractLine { parcel, area }],
                start: day(2019, 1, 1)?,
                end: day(2028, 12, 31)?,
                kind: ContractKind::Transfer {
                    rent: RentTerms::Fixed {
                        yuan_per_mu: dec!(1000),
                    },
                },
                pro_rating: ProRating::ActualDays,
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: AccountCode::new("521.RENT")?,
            },
        })?;
    }
    let grant: GrantId = "G2019-01".parse()?;
    c.apply(Event::GrantReceived {
        grant: grant.clone(),
        purpose: "葡萄大棚建设 greenhouse construction".into(),
        source: "莱西市农业农村局".into(),
        date: day(2019, 1, 3)?,
        amount: "800000".parse()?,
        into: CashAccount::Bank,
    })?;
    let loan: LoanId = "L2019-01".parse()?;
    c.apply(Event::LoanSigned {
        loan: Loan {
            id: loan.clone(),
            lender: "莱西市农村商业银行".into(),
            term: LoanTerm::Long,
            amount: "500000".parse()?,
            annual_rate_percent: dec!(4.35),
            day_count: DayCount::Act365,
            signed: day(2019, 1, 1)?,
            maturity: day(2021, 12, 31)?,
            raised_for: vec![member(2)?, member(9)?],
        },
    })?;
    c.apply(Event::LoanDrawn {
        loan: loan.clone(),
        date: day(2019, 1, 1)?,
        amount: "500000".parse()?,
        into: CashAccount::Bank,
    })?;
    let block: Mu = "200".parse()?;
    for (i, area) in block.split(&[Decimal::ONE; 28])?.into_iter().enumerate() {
        c.apply(Event::GreenhouseBuilt {
            greenhouse: Greenhouse {
                id: greenhouse(i)?,
                name: format!("{}号葡萄大棚", i + 1),
                area,
                crop: "GRAPE".parse()?,
                built: day(2019, 1, 10)?,
                cost: "60000".parse()?,
                residual: "3000".parse()?,
                life_months: 120,
            },
            paid_from: CostPayment::Bank,
        })?;
    }
    c.apply(Event::GrantSpent {
        grant,
        date: day(2019, 1, 10)?,
        amount: "800000".parse()?,
        on: GrantUse::Asset {
            asset: "28座葡萄大棚 28 grape greenhouses".into(),
        },
    })?;
    for (i, area) in AREAS.iter().enumerate() {
        c.apply(Event::RentPaid {
            member: member(i)?,
            date: day(2019, 3, 1)?,
            amount: Yuan::from_product(
                &[area.parse()?, dec!(1000)],
                Decimal::ONE,
                Rounding::HalfAwayFromZero,
            )?,
            from: CashAccount::Bank,
        })?;
    }
    c.apply(Event::CostIncurred {
        date: day(2019, 3, 20)?,
        kind: CostKind::Fertiliser,
        amount: "180000".parse()?,
        target: CostTarget::AllGreenhouses,
        payment: CostPayment::Bank,
        memo: "有机肥 organic fertiliser".into(),
    })?;
    for quarter in 1..=4_u8 {
        let last = day(
            2019,
            quarter * 3,
            if quarter == 1 || quarter == 4 { 31 } else { 30 },
        )?;
        let records = (0..28)
            .map(|i| {
                Ok(WorkRecord {
                    worker: Worker::Member(member(i)?),
                    date: last,
                    task: Task::Greenhouse(greenhouse(i)?),
                    pay: Pay::Days {
                        days: Decimal::from(20),
                        rate: dec!(150),
                    },
                    kind: WorkKind::Seasonal,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        c.apply(Event::WorkRecorded {
            date: last,
            records,
        })?;
        c.apply(Event::LoanInterestAccrued {
            loan: loan.clone(),
            through: last,
        })?;
    }
    for i in 0..28 {
        let gh = greenhouse(i)?;
        c.apply(Event::Harvested {
            greenhouse: gh.clone(),
            date: day(2019, 8, 20)?,
            kg: dec!(18000),
            grade: "一级".into(),
        })?;
        c.apply(Event::ProduceSold {
            greenhouse: gh,
            date: day(2019, 8, 25)?,
            kg: dec!(18000),
            price_per_kg: dec!(8),
            buyer: "青岛果品公司".into(),
            payment: SalePayment::Bank,
        })?;
    }
    for month in 1..=12 {
        c.apply(Event::DepreciationBooked { year: 2019, month })?;
    }
    c.apply(Event::RentAccrued {
        from: day(2019, 1, 1)?,
        to: day(2019, 12, 31)?,
        contracts: Accrue::All,
        date: day(2019, 12, 31)?,
    })?;
    c.apply(Event::InterestSubsidyReceived {
        loan,
        date: day(2019, 12, 31)?,
        amount: "10000".parse()?,
        into: CashAccount::Bank,
    })?;
    c.apply(Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(dec!(10), dec!(70)),
    })?;
    c.apply(Event::DistributionSettled {
        year: 2019,
        date: day(2020, 1, 20)?,
        from: CashAccount::Bank,
    })?;
    Ok(c.book)
}
