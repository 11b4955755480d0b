//! The accountants' main job: a cooperative's year, from its records to its statements.
//!
//! `cargo run --release --example season` runs the built-in reference cooperative: the
//! Jiaruifeng (嘉瑞丰) fruit-and-vegetable cooperative of Gaogezhuang (高格庄) village, 2019, as
//! the 2019 Qingdao report describes it: 28 households pooling 200 mu at 1000 yuan per mu a
//! year, 28 grape greenhouses earning 20,000 yuan per mu, members working in the park, a
//! state grant, an interest-subsidised loan for relocated households, a 10% reserve and 70%
//! of the distributable surplus returned by land pooled. The households, their parcels,
//! costs and days worked are illustrative (the report gives only the totals); the books are
//! kept under the 2021 cooperative accounting system (财会〔2021〕37号), which was not yet in
//! force in 2019.
//!
//! Options: `--out DIR` (default `season-out/`) is where the statements are written:
//! balance_sheet.csv, surplus_distribution.csv, member_equity.csv, member_accounts.csv,
//! trial_balance.csv, household_income.csv (UTF-8 with BOM), receipts.txt, journal.hledger,
//! journal.beancount and events.jsonl.

use std::error::Error as StdError;
use std::fs;
use std::path::PathBuf;

use landpool::ledger::AccountCode;
use landpool::report;
use landpool::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use time::{Date, Month};

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// Land pooled per household, in mu (28 households, 200.00 mu in all).
const AREAS: [&str; 28] = [
    "8.35", "6.20", "7.45", "5.80", "9.10", "6.65", "7.00", "7.90", "6.40", "8.05", "7.25", "6.90",
    "7.60", "5.95", "8.70", "7.15", "6.55", "7.35", "8.20", "6.10", "7.80", "6.75", "7.40", "7.05",
    "6.85", "7.65", "6.30", "5.55",
];
/// Persons per household (75 in all).
const PERSONS: [u32; 28] = [
    3, 3, 2, 3, 4, 3, 2, 3, 2, 3, 3, 2, 3, 2, 4, 2, 3, 3, 2, 2, 3, 3, 2, 3, 2, 3, 3, 2,
];
/// Heads of household (illustrative names).
const HEADS: [&str; 28] = [
    "高建国",
    "高秀英",
    "王德明",
    "刘桂兰",
    "高志强",
    "李淑珍",
    "张玉梅",
    "高洪亮",
    "王春华",
    "高立新",
    "孙明",
    "赵秀兰",
    "高海涛",
    "王丽",
    "高永庆",
    "刘芳",
    "高学军",
    "陈玉兰",
    "高卫东",
    "杨桂芝",
    "高长春",
    "王建华",
    "高凤英",
    "李国强",
    "高金花",
    "张建军",
    "高文胜",
    "周秀云",
];
/// Households relocated for the park (移民), for whom the subsidised loan was raised.
const RELOCATED: [usize; 4] = [2, 9, 16, 23];

struct Season {
    book: Book,
    next: u32,
}

impl Season {
    fn apply(&mut self, event: Event) -> Result<()> {
        self.next += 1;
        let id: EventId = format!("jrf-2019-{:05}", self.next).parse()?;
        self.book.apply(id, event)?;
        Ok(())
    }
}

fn day(year: i32, month: u8, day: u8) -> Result<Date> {
    Ok(Date::from_calendar_date(
        year,
        Month::try_from(month)?,
        day,
    )?)
}

fn member_id(i: usize) -> Result<MemberId> {
    Ok(format!("H{:02}", i + 1).parse()?)
}

fn greenhouse_id(i: usize) -> Result<GreenhouseId> {
    Ok(format!("GH{:02}", i + 1).parse()?)
}

/// Builds the reference cooperative's 2019 and closes it.
fn reference_book() -> Result<Book> {
    let mut s = Season {
        book: Book::new(),
        next: 0,
    };
    let village = "高格庄";
    // Members: 28 households and the village collective.
    for i in 0..28 {
        s.apply(Event::MemberJoined {
            member: Member {
                id: member_id(i)?,
                name: HEADS[i].to_string(),
                kind: MemberKind::Household {
                    persons: PERSONS[i],
                },
                village: village.into(),
                joined: day(2019, 1, 1)?,
                left: None,
            },
        })?;
    }
    let collective: MemberId = "V01".parse()?;
    s.apply(Event::MemberJoined {
        member: Member {
            id: collective.clone(),
            name: "高格庄村股份经济合作社".into(),
            kind: MemberKind::Collective,
            village: village.into(),
            joined: day(2019, 1, 1)?,
            left: None,
        },
    })?;
    // Capital: 10,000 per household, 50,000 from the collective.
    for i in 0..28 {
        s.apply(Event::CapitalContributed {
            member: member_id(i)?,
            date: day(2019, 1, 2)?,
            amount: "10000".parse()?,
            into: CashAccount::Bank,
        })?;
    }
    s.apply(Event::CapitalContributed {
        member: collective.clone(),
        date: day(2019, 1, 2)?,
        amount: "50000".parse()?,
        into: CashAccount::Bank,
    })?;
    // Rent is charged straight to operating expenses (the direct cost policy).
    s.apply(Event::AccountOpened {
        code: AccountCode::new("521.RENT")?,
        name_zh: "土地流转费".into(),
        name_en: "land transfer rent".into(),
    })?;
    // Parcels (two per household) and one transfer contract each, 2019-2028 at 1000/mu.
    for (i, text) in AREAS.iter().enumerate() {
        let area: Mu = text.parse()?;
        // The first parcel is 60% of the household's land, to 0.01 mu, half away from zero.
        let first = Mu::try_from_decimal(
            (area.to_decimal() * dec!(0.6))
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        )?;
        let second = area.checked_sub(first)?;
        let mut lines = Vec::new();
        for (k, part) in [first, second].into_iter().enumerate() {
            let parcel: ParcelId = format!("P{:02}-{}", i + 1, k + 1).parse()?;
            s.apply(Event::ParcelRegistered {
                parcel: Parcel {
                    id: parcel.clone(),
                    owner: member_id(i)?,
                    area: part,
                    village: village.into(),
                    land_class: "水浇地".into(),
                    registered: day(2019, 1, 1)?,
                    retired: None,
                },
            })?;
            lines.push(ContractLine { parcel, area: part });
        }
        s.apply(Event::ContractSigned {
            contract: Contract {
                id: format!("LZ{:02}", i + 1).parse()?,
                member: member_id(i)?,
                lines,
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
    // A state grant for the greenhouses and a subsidised loan for relocated households.
    let grant: GrantId = "G2019-01".parse()?;
    s.apply(Event::GrantReceived {
        grant: grant.clone(),
        purpose: "葡萄大棚建设 greenhouse construction".into(),
        source: "莱西市农业农村局".into(),
        date: day(2019, 1, 3)?,
        amount: "800000".parse()?,
        into: CashAccount::Bank,
    })?;
    let loan: LoanId = "L2019-01".parse()?;
    s.apply(Event::LoanSigned {
        loan: Loan {
            id: loan.clone(),
            lender: "莱西市农村商业银行".into(),
            term: LoanTerm::Long,
            amount: "500000".parse()?,
            annual_rate_percent: dec!(4.35),
            day_count: DayCount::Act365,
            signed: day(2019, 1, 1)?,
            maturity: day(2021, 12, 31)?,
            raised_for: RELOCATED
                .iter()
                .map(|&i| member_id(i))
                .collect::<Result<_>>()?,
        },
    })?;
    s.apply(Event::LoanDrawn {
        loan: loan.clone(),
        date: day(2019, 1, 1)?,
        amount: "500000".parse()?,
        into: CashAccount::Bank,
    })?;
    // 28 grape greenhouses on the 200 mu: 60,000 each, 3,000 residual, ten years.
    let block: Mu = "200".parse()?;
    let areas = block.split(&[Decimal::ONE; 28])?;
    let grape: CropId = "GRAPE".parse()?;
    for (i, area) in areas.iter().enumerate() {
        s.apply(Event::GreenhouseBuilt {
            greenhouse: Greenhouse {
                id: greenhouse_id(i)?,
                name: format!("{}号葡萄大棚", i + 1),
                area: *area,
                crop: grape.clone(),
                built: day(2019, 1, 10)?,
                cost: "60000".parse()?,
                residual: "3000".parse()?,
                life_months: 120,
            },
            paid_from: CostPayment::Bank,
        })?;
    }
    s.apply(Event::GrantSpent {
        grant,
        date: day(2019, 1, 10)?,
        amount: "800000".parse()?,
        on: GrantUse::Asset {
            asset: "28座葡萄大棚 28 grape greenhouses".into(),
        },
    })?;
    // Rent paid in advance by 1 March.
    for (i, text) in AREAS.iter().enumerate() {
        let rent = Yuan::from_product(
            &[text.parse()?, dec!(1000)],
            Decimal::ONE,
            Rounding::HalfAwayFromZero,
        )?;
        s.apply(Event::RentPaid {
            member: member_id(i)?,
            date: day(2019, 3, 1)?,
            amount: rent,
            from: CashAccount::Bank,
        })?;
    }
    // Running costs.
    for i in 0..28 {
        s.apply(Event::CostIncurred {
            date: day(2019, 3, 10)?,
            kind: CostKind::Seedlings,
            amount: "3000".parse()?,
            target: CostTarget::Greenhouse(greenhouse_id(i)?),
            payment: CostPayment::Bank,
            memo: "葡萄苗 grape seedlings".into(),
        })?;
    }
    for (date, kind, amount, memo) in [
        (
            day(2019, 3, 20)?,
            CostKind::Fertiliser,
            "180000",
            "有机肥 organic fertiliser",
        ),
        (
            day(2019, 4, 5)?,
            CostKind::Film,
            "90000",
            "棚膜 greenhouse film",
        ),
        (
            day(2019, 6, 30)?,
            CostKind::ExpertFees,
            "48000",
            "专家指导 expert guidance",
        ),
        (
            day(2019, 12, 20)?,
            CostKind::WaterAndPower,
            "60000",
            "水电费 water and power",
        ),
    ] {
        s.apply(Event::CostIncurred {
            date,
            kind,
            amount: amount.parse()?,
            target: CostTarget::AllGreenhouses,
            payment: CostPayment::Bank,
            memo: memo.into(),
        })?;
    }
    s.apply(Event::CostIncurred {
        date: day(2019, 12, 20)?,
        kind: CostKind::Other,
        amount: "36000".parse()?,
        target: CostTarget::Administration,
        payment: CostPayment::Bank,
        memo: "办公及管理 office and management".into(),
    })?;
    // Members' work in the park: four quarterly timesheets at 150 yuan a day.
    for (quarter, date) in [
        day(2019, 3, 31)?,
        day(2019, 6, 30)?,
        day(2019, 9, 30)?,
        day(2019, 12, 31)?,
    ]
    .into_iter()
    .enumerate()
    {
        let mut records = Vec::new();
        for i in 0..28 {
            let days = Decimal::from(50 + (i * 37 + quarter * 11) % 40);
            records.push(WorkRecord {
                worker: Worker::Member(member_id(i)?),
                date,
                task: Task::Greenhouse(greenhouse_id(i)?),
                pay: Pay::Days {
                    days,
                    rate: dec!(150),
                },
                kind: WorkKind::Seasonal,
            });
        }
        s.apply(Event::WorkRecorded { date, records })?;
    }
    // Harvest and sales: 20,000 yuan per mu at 8.00 yuan/kg.
    for (i, area) in areas.iter().enumerate() {
        let kg = area.to_decimal() * dec!(2500);
        s.apply(Event::Harvested {
            greenhouse: greenhouse_id(i)?,
            date: day(2019, 8, 20)?,
            kg,
            grade: "一级 grade 1".into(),
        })?;
        s.apply(Event::ProduceSold {
            greenhouse: greenhouse_id(i)?,
            date: day(2019, 8, 25)?,
            kg,
            price_per_kg: dec!(8.00),
            buyer: "青岛果品批发市场".into(),
            payment: SalePayment::Bank,
        })?;
    }
    // Year-end: rent, depreciation, interest, the subsidy, wages paid.
    s.apply(Event::RentAccrued {
        from: day(2019, 1, 1)?,
        to: day(2019, 12, 31)?,
        contracts: Accrue::All,
        date: day(2019, 12, 31)?,
    })?;
    s.apply(Event::DepreciationBooked {
        year: 2019,
        month: 12,
    })?;
    s.apply(Event::LoanInterestAccrued {
        loan: loan.clone(),
        through: day(2019, 12, 31)?,
    })?;
    s.apply(Event::InterestSubsidyReceived {
        loan,
        date: day(2019, 12, 20)?,
        amount: "10875".parse()?,
        into: CashAccount::Bank,
    })?;
    for i in 0..28 {
        let owed = s
            .book
            .member_account(&member_id(i)?, day(2019, 12, 31)?)?
            .labour_payable;
        s.apply(Event::WagesPaid {
            worker: Worker::Member(member_id(i)?),
            account: WageAccount::Labour,
            date: day(2019, 12, 31)?,
            amount: owed,
            from: CashAccount::Bank,
        })?;
    }
    let mut policy = DistributionPolicy::standard(dec!(10), dec!(70));
    policy.collective_percent = dec!(0);
    s.apply(Event::YearClosed { year: 2019, policy })?;
    Ok(s.book)
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> Result<()> {
    fs::write(dir.join(name), text)
        .map_err(|e| format!("writing {}: {e}", dir.join(name).display()).into())
}

fn main() -> Result<()> {
    let mut out = PathBuf::from("season-out");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = PathBuf::from(args.next().ok_or("--out needs a directory")?),
            "-h" | "--help" => {
                println!("usage: season [--out DIR]   (runs the built-in reference cooperative, Jiaruifeng 2019)");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}; try --help").into()),
        }
    }
    let book = reference_book()?;
    let year = 2019;
    let distribution = book.distribution(year).ok_or("2019 is not closed")?;
    let pl = distribution.profit_and_loss;
    let pooled = book.pooled_area(day(year, 12, 31)?)?;
    let incomes = report::household_income(&book, year)?;
    let rent = Yuan::checked_sum(incomes.iter().map(|h| h.rent))?;
    let wages = Yuan::checked_sum(incomes.iter().map(|h| h.labour))?;
    let per_person: Vec<Yuan> = incomes.iter().map(|h| h.per_person).collect();
    let persons: u32 = incomes.iter().map(|h| h.persons).sum();
    let total_income = Yuan::checked_sum(incomes.iter().map(|h| h.total))?;
    let revenue_per_mu = Yuan::from_product(
        &[pl.operating_revenue.to_decimal()],
        pooled.to_decimal(),
        Rounding::HalfAwayFromZero,
    )?;

    println!("嘉瑞丰果蔬专业合作社 Jiaruifeng cooperative, 高格庄 Gaogezhuang, {year} (illustrative data)");
    println!(
        "  pooled land           {pooled} mu in {} contracts",
        book.contracts().count()
    );
    println!("  land rent             {rent} (1000 yuan/mu/year)");
    println!("  members' wages        {wages}");
    println!(
        "  revenue               {}  ({} per mu)",
        pl.operating_revenue, revenue_per_mu
    );
    println!("  operating expenses    {}", pl.operating_expenses);
    println!("  administration        {}", pl.administrative_expenses);
    println!("  finance (net of 贴息) {}", pl.finance_expenses);
    println!("  surplus               {}", distribution.surplus);
    println!("  reserve (10%)         {}", distribution.reserve);
    println!(
        "  patronage returns     {}  ({}% of {})",
        distribution.patronage, distribution.policy.patronage_percent, distribution.distributed
    );
    println!("  remaining distributed {}", distribution.remaining);
    let average = Yuan::from_product(
        &[total_income.to_decimal()],
        Decimal::from(persons.max(1)),
        Rounding::HalfAwayFromZero,
    )?;
    println!("  household income      {total_income} for {persons} persons: {average} per person on average");
    println!(
        "  per person             from {} to {} (the seed: over 40,000 a year)",
        per_person.iter().min().copied().unwrap_or_default(),
        per_person.iter().max().copied().unwrap_or_default()
    );

    fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    write(
        &out,
        "balance_sheet.csv",
        &report::balance_sheet(&book, year)?.to_csv(),
    )?;
    write(
        &out,
        "surplus_distribution.csv",
        &report::surplus_statement(&book, year)?.to_csv(),
    )?;
    write(
        &out,
        "member_equity.csv",
        &report::member_equity(&book, year)?.to_csv(),
    )?;
    write(
        &out,
        "member_accounts.csv",
        &report::MemberAccountRow::to_csv(&report::member_accounts(&book, year)?),
    )?;
    write(
        &out,
        "trial_balance.csv",
        &report::trial_balance_csv(&book, year)?,
    )?;
    write(
        &out,
        "household_income.csv",
        &report::HouseholdIncome::to_csv(&incomes),
    )?;
    write(
        &out,
        "receipts.txt",
        &report::receipts(&book, year, "莱西市嘉瑞丰果蔬专业合作社")?,
    )?;
    write(&out, "journal.hledger", &book.journal().to_hledger())?;
    write(&out, "journal.beancount", &book.journal().to_beancount())?;
    let mut events = String::new();
    for logged in book.events() {
        events.push_str(&serde_json::to_string(logged)?);
        events.push('\n');
    }
    write(&out, "events.jsonl", &events)?;
    println!("statements written to {}", out.display());
    Ok(())
}
