//! The reference cooperative, defined once as data: Jiaruifeng (嘉瑞丰) fruit-and-vegetable
//! cooperative of Gaogezhuang (高格庄) village, 2019, as the 2019 Qingdao report describes it:
//! 28 households pooling 200 mu at 1000 yuan per mu a year, 28 grape greenhouses earning
//! 20,000 yuan per mu, members working in the park, a state grant, an interest-subsidised
//! loan for relocated households, a 10% reserve and 70% of the distributable surplus
//! returned by land pooled. The households, their parcels, costs and days worked are
//! illustrative (the report gives only the totals); the books are kept under the 2021
//! cooperative accounting system (财会〔2021〕37号), which was not yet in force in 2019.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use time::{Date, Month};

use super::{BookFolder, Settings};
use crate::ledger::AccountCode;
use crate::{
    Accrue, CapitalSource, CashAccount, Contract, ContractKind, ContractLine, CostKind,
    CostPayment, CostTarget, CropId, DayCount, DistributionPolicy, Event, GrantId, GrantUse,
    Greenhouse, GreenhouseId, Loan, LoanId, LoanTerm, Member, MemberId, MemberKind, Mu, Parcel,
    ParcelId, Pay, PaymentTerms, ProRating, RentTerms, Result, Rounding, SalePayment, Task,
    WageAccount, WorkKind, WorkRecord, Worker, Yuan,
};

/// The first line of the reference cooperative's printed summary.
///
/// # Example
///
/// ```
/// let folder = landpool::folder::BookFolder::reference()?;
/// assert_eq!(folder.settings().title, landpool::folder::REFERENCE_TITLE);
/// # Ok::<(), landpool::Error>(())
/// ```
pub const REFERENCE_TITLE: &str =
    "嘉瑞丰果蔬专业合作社 Jiaruifeng cooperative, 高格庄 Gaogezhuang, 2019 (illustrative data)";

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

/// Households whose 10,000 of capital are poverty-relief assets quantified as their shares
/// (扶贫资产折股量化; illustrative), so the members' accounts show both sources.
const POVERTY_RELIEF: [usize; 2] = [4, 17];

/// The day rate of work in the park, in yuan.
const DAY_RATE: Decimal = dec!(150);

fn day(year: i32, month: u8, day: u8) -> Result<Date> {
    Month::try_from(month)
        .ok()
        .and_then(|m| Date::from_calendar_date(year, m, day).ok())
        .ok_or_else(|| crate::Error::Overflow {
            operation: format!("the date {year}-{month}-{day}"),
        })
}

fn member_id(i: usize) -> Result<MemberId> {
    format!("H{:02}", i.saturating_add(1)).parse()
}

fn greenhouse_id(i: usize) -> Result<GreenhouseId> {
    format!("GH{:02}", i.saturating_add(1)).parse()
}

/// Days household `i` worked in quarter `quarter` (illustrative: 50 to 89).
// `i` indexes the reference's fixed list of households and `quarter` is 0 to 3: tiny numbers.
#[allow(clippy::arithmetic_side_effects)]
fn days_worked(i: usize, quarter: usize) -> Decimal {
    Decimal::from(50 + (i * 37 + quarter * 11) % 40)
}

/// The reference cooperative's settings and events, as a book folder.
pub(crate) fn reference_cooperative() -> Result<BookFolder> {
    let mut events = Vec::new();
    let village = "高格庄";
    // Rent is charged straight to operating expenses (the direct cost policy).
    events.push(Event::AccountOpened {
        code: AccountCode::new("521.RENT")?,
        name_zh: "土地流转费".into(),
        name_en: "land transfer rent".into(),
    });
    // Members: 28 households and the village collective.
    for (i, (name, persons)) in HEADS.iter().zip(PERSONS).enumerate() {
        events.push(Event::MemberJoined {
            member: Member {
                id: member_id(i)?,
                name: (*name).to_string().into(),
                kind: MemberKind::Household { persons },
                village: village.into(),
                joined: day(2019, 1, 1)?,
                left: None,
            },
        });
    }
    let collective: MemberId = "V01".parse()?;
    events.push(Event::MemberJoined {
        member: Member {
            id: collective.clone(),
            name: "高格庄村股份经济合作社".into(),
            kind: MemberKind::Collective,
            village: village.into(),
            joined: day(2019, 1, 1)?,
            left: None,
        },
    });
    // Capital: 10,000 per household (two of them from poverty-relief assets), 50,000 from
    // the collective.
    for i in 0..HEADS.len() {
        events.push(Event::CapitalContributed {
            member: member_id(i)?,
            date: day(2019, 1, 2)?,
            amount: "10000".parse()?,
            into: CashAccount::Bank,
            source: if POVERTY_RELIEF.contains(&i) {
                CapitalSource::PovertyRelief
            } else {
                CapitalSource::Other
            },
            premium: Yuan::ZERO,
        });
    }
    events.push(Event::CapitalContributed {
        member: collective,
        date: day(2019, 1, 2)?,
        amount: "50000".parse()?,
        into: CashAccount::Bank,
        source: CapitalSource::Other,
        premium: Yuan::ZERO,
    });
    // Parcels (two per household) and one transfer contract each, 2019-2028 at 1000/mu.
    for (i, text) in AREAS.iter().enumerate() {
        let area: Mu = text.parse()?;
        // The first parcel is 60% of the household's land, to 0.01 mu, half away from zero.
        let first = Mu::try_from_decimal(
            area.to_decimal()
                .checked_mul(dec!(0.6))
                .ok_or_else(|| crate::Error::Overflow {
                    operation: format!("reference: 60% of household {i}'s land"),
                })?
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        )?;
        let second = area.checked_sub(first)?;
        let mut lines = Vec::new();
        for (k, part) in [first, second].into_iter().enumerate() {
            let parcel: ParcelId =
                format!("P{:02}-{}", i.saturating_add(1), k.saturating_add(1)).parse()?;
            events.push(Event::ParcelRegistered {
                parcel: Parcel {
                    id: parcel.clone(),
                    owner: member_id(i)?,
                    area: part,
                    village: village.into(),
                    land_class: "水浇地".into(),
                    registered: day(2019, 1, 1)?,
                    retired: None,
                },
            });
            lines.push(ContractLine { parcel, area: part });
        }
        events.push(Event::ContractSigned {
            contract: Box::new(Contract {
                id: format!("LZ{:02}", i.saturating_add(1)).parse()?,
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
            }),
        });
    }
    // A state grant for the greenhouses and a subsidised loan for relocated households.
    let grant: GrantId = "G2019-01".parse()?;
    events.push(Event::GrantReceived {
        grant: grant.clone(),
        purpose: "葡萄大棚建设 greenhouse construction".into(),
        source: "莱西市农业农村局".into(),
        date: day(2019, 1, 3)?,
        amount: "800000".parse()?,
        into: CashAccount::Bank,
    });
    let loan: LoanId = "L2019-01".parse()?;
    events.push(Event::LoanSigned {
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
    });
    events.push(Event::LoanDrawn {
        loan: loan.clone(),
        date: day(2019, 1, 1)?,
        amount: "500000".parse()?,
        into: CashAccount::Bank,
    });
    // 28 grape greenhouses on the 200 mu: 60,000 each, 3,000 residual, ten years.
    let block: Mu = "200".parse()?;
    let areas = block.split(&[Decimal::ONE; 28])?;
    let grape: CropId = "GRAPE".parse()?;
    for (i, area) in areas.iter().enumerate() {
        events.push(Event::GreenhouseBuilt {
            greenhouse: Greenhouse {
                id: greenhouse_id(i)?,
                name: format!("{}号葡萄大棚", i.saturating_add(1)).into(),
                area: *area,
                crop: grape.clone(),
                built: day(2019, 1, 10)?,
                cost: "60000".parse()?,
                residual: "3000".parse()?,
                life_months: 120,
            },
            paid_from: CostPayment::Bank,
        });
    }
    events.push(Event::GrantSpent {
        grant,
        date: day(2019, 1, 10)?,
        amount: "800000".parse()?,
        on: GrantUse::Asset {
            asset: "28座葡萄大棚 28 grape greenhouses".into(),
        },
    });
    // Rent paid in advance by 1 March.
    for (i, text) in AREAS.iter().enumerate() {
        let rent = Yuan::from_product(
            &[text.parse::<Mu>()?.to_decimal(), dec!(1000)],
            Decimal::ONE,
            Rounding::HalfAwayFromZero,
        )?;
        events.push(Event::RentPaid {
            member: member_id(i)?,
            date: day(2019, 3, 1)?,
            amount: rent,
            from: CashAccount::Bank,
        });
    }
    // Running costs.
    for i in 0..areas.len() {
        events.push(Event::CostIncurred {
            date: day(2019, 3, 10)?,
            kind: CostKind::Seedlings,
            amount: "3000".parse()?,
            target: CostTarget::Greenhouse(greenhouse_id(i)?),
            payment: CostPayment::Bank,
            memo: "葡萄苗 grape seedlings".into(),
        });
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
        events.push(Event::CostIncurred {
            date,
            kind,
            amount: amount.parse()?,
            target: CostTarget::AllGreenhouses,
            payment: CostPayment::Bank,
            memo: memo.into(),
        });
    }
    events.push(Event::CostIncurred {
        date: day(2019, 12, 20)?,
        kind: CostKind::Other,
        amount: "36000".parse()?,
        target: CostTarget::Administration,
        payment: CostPayment::Bank,
        memo: "办公及管理 office and management".into(),
    });
    // Members' work in the park: four quarterly timesheets at 150 yuan a day.
    let quarters = [
        day(2019, 3, 31)?,
        day(2019, 6, 30)?,
        day(2019, 9, 30)?,
        day(2019, 12, 31)?,
    ];
    for (quarter, date) in quarters.into_iter().enumerate() {
        let mut records = Vec::new();
        for i in 0..HEADS.len() {
            records.push(WorkRecord {
                worker: Worker::Member(member_id(i)?),
                date,
                task: Task::Greenhouse(greenhouse_id(i)?),
                pay: Pay::Days {
                    days: days_worked(i, quarter),
                    rate: DAY_RATE,
                },
                kind: WorkKind::Seasonal,
            });
        }
        events.push(Event::WorkRecorded { date, records });
    }
    // Harvest and sales: 20,000 yuan per mu at 8.00 yuan/kg.
    for (i, area) in areas.iter().enumerate() {
        let kg =
            area.to_decimal()
                .checked_mul(dec!(2500))
                .ok_or_else(|| crate::Error::Overflow {
                    operation: format!("reference: harvest of greenhouse {i}"),
                })?;
        events.push(Event::Harvested {
            greenhouse: greenhouse_id(i)?,
            date: day(2019, 8, 20)?,
            kg,
            grade: "一级 grade 1".into(),
        });
        events.push(Event::ProduceSold {
            greenhouse: greenhouse_id(i)?,
            date: day(2019, 8, 25)?,
            kg,
            price_per_kg: dec!(8.00),
            buyer: "青岛果品批发市场".into(),
            payment: SalePayment::Bank,
        });
    }
    // Year-end: rent, depreciation and interest accrued; the subsidy received; wages paid.
    events.push(Event::RentAccrued {
        from: day(2019, 1, 1)?,
        to: day(2019, 12, 31)?,
        contracts: Accrue::All,
        date: day(2019, 12, 31)?,
    });
    events.push(Event::DepreciationBooked {
        year: 2019,
        month: 12,
    });
    events.push(Event::LoanInterestAccrued {
        loan: loan.clone(),
        through: day(2019, 12, 31)?,
    });
    events.push(Event::InterestSubsidyReceived {
        loan,
        date: day(2019, 12, 31)?,
        amount: "10875".parse()?,
        into: CashAccount::Bank,
    });
    for i in 0..HEADS.len() {
        let days: Decimal = (0..quarters.len()).map(|q| days_worked(i, q)).sum();
        events.push(Event::WagesPaid {
            worker: Worker::Member(member_id(i)?),
            account: WageAccount::Labour,
            date: day(2019, 12, 31)?,
            amount: Yuan::from_product(
                &[days, DAY_RATE],
                Decimal::ONE,
                Rounding::HalfAwayFromZero,
            )?,
            from: CashAccount::Bank,
        });
    }
    let mut policy = DistributionPolicy::standard(dec!(10), dec!(70));
    policy.collective_percent = dec!(0);
    let settings = Settings {
        cooperative: "莱西市嘉瑞丰果蔬专业合作社".into(),
        title: REFERENCE_TITLE.into(),
        year: 2019,
        event_prefix: "jrf-2019".into(),
        close: Some(policy),
        prior_log: None,
    };
    BookFolder::new(settings, events)
}
