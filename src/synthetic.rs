//! Synthetic books at any scale, deterministic for a seed, for benchmarks and load tests.
//!
//! [`events`] yields the events of one cooperative's year (2019), as a town or county
//! platform would hold them: households with parcels, transfer contracts of every rent kind
//! and some land shares, a few swaps, greenhouses on the pooled land, grants, a subsidised
//! loan, running costs, members' work in monthly timesheets, harvests and sales, the year-end
//! accruals and the close. The figures are plausible, not real: areas of 0.5–3 mu a parcel,
//! rent about 1000 yuan a mu, grapes at about 20,000 yuan a mu. Rent and pay are accrued and
//! booked but not paid: there is no [`Event::RentPaid`] or [`Event::WagesPaid`], which a
//! real year has about one of each a household. [`payments`] makes them for a book that has
//! applied the year up to its close: what a year's payments add to a replay or a close.
//!
//! The same [`Scale`] and seed always give the same events, on every machine.

use rust_decimal::Decimal;
use time::{Date, Month};

use crate::book::{Accrue, CashAccount, DistributionPolicy, Event};
use crate::ledger::AccountCode;
use crate::pool::{
    Contract, ContractKind, ContractLine, CostKind, CostPayment, CostTarget, CropId, DayCount,
    GrainUnit, GrantId, GrantUse, Greenhouse, GreenhouseId, Loan, LoanId, LoanTerm, Member,
    MemberId, MemberKind, Parcel, ParcelId, Pay, PaymentTerms, ProRating, RentTerms, SalePayment,
    Task, WorkKind, WorkRecord, Worker,
};
use crate::{Book, Error, EventId, Mu, Result, Rounding, WageAccount, Yuan};

/// How big a synthetic book is.
///
/// # Example
///
/// ```
/// let town = landpool::synthetic::Scale::town();
/// assert_eq!(town.households, 15_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// Households, each a member with one contract.
    pub households: u32,
    /// Parcels per household.
    pub parcels_per_household: u32,
    /// Work records in the year (in monthly timesheets).
    pub work_records: u64,
}

impl Scale {
    /// A cooperative of tens of households (28, as the reference cooperative).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::synthetic::Scale::cooperative().households, 28);
    /// ```
    pub fn cooperative() -> Scale {
        Scale {
            households: 28,
            parcels_per_household: 2,
            work_records: 28 * 48,
        }
    }

    /// A town: 15,000 households, 60,000 parcels, 500,000 work records.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::synthetic::Scale;
    ///
    /// let town = Scale::town();
    /// assert_eq!(
    ///     town,
    ///     Scale { households: 15_000, parcels_per_household: 4, work_records: 500_000 },
    /// );
    /// ```
    pub fn town() -> Scale {
        Scale {
            households: 15_000,
            parcels_per_household: 4,
            work_records: 500_000,
        }
    }

    /// A county platform: 250,000 households, 1,000,000 parcels, 10,000,000 work records.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::synthetic::Scale::county().parcels_per_household, 4);
    /// ```
    pub fn county() -> Scale {
        Scale {
            households: 250_000,
            parcels_per_household: 4,
            work_records: 10_000_000,
        }
    }
}

/// A small deterministic generator (xorshift64*), so the same seed gives the same book
/// everywhere.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        let span = high.saturating_sub(low).saturating_add(1);
        low.saturating_add(self.next().checked_rem(span).unwrap_or(0))
    }
}

fn day(month: u8, day: u8) -> Result<Date> {
    let bad = |_| Error::Overflow {
        operation: format!("2019-{month}-{day} as a date"),
    };
    Date::from_calendar_date(2019, Month::try_from(month).map_err(bad)?, day).map_err(bad)
}

fn id<T: std::str::FromStr<Err = Error>>(text: String) -> Result<T> {
    text.parse()
}

/// The events of a synthetic cooperative's year 2019 at `scale`, deterministic for `seed`,
/// with event ids `syn-000001`, `syn-000002`, …, ending with the year's close. Each seed
/// gives a book of its own, but for 0, which gives seed 1's (the generator's state cannot
/// be 0).
///
/// # Errors
///
/// [`Error::Overflow`] only for scales too large for the types (not for the named scales).
///
/// # Example
///
/// ```
/// use landpool::{synthetic, Book};
///
/// let mut book = Book::new();
/// for (id, event) in synthetic::events(synthetic::Scale::cooperative(), 7)? {
///     book.apply(id, event)?;
/// }
/// assert!(book.distribution(2019).is_some());
/// assert_eq!(book.members().count(), 29);
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn events(scale: Scale, seed: u64) -> Result<Vec<(EventId, Event)>> {
    // Any state but 0 (where xorshift stays); an even seed's is its own, not the odd one
    // above it.
    let mut dice = Dice(seed.max(1));
    let mut out: Vec<Event> = Vec::new();
    let households = scale.households.max(2);
    let parcels = scale.parcels_per_household.max(1);
    let start = day(1, 1)?;
    let member = |h: u32| id::<MemberId>(format!("H{h:06}"));

    // Grain price for grain-indexed contracts, the rent sub-account.
    out.push(Event::GrainPriceRecorded {
        crop: "wheat".into(),
        unit: GrainUnit::Jin,
        date: start,
        price: Decimal::new(115, 2),
    });
    out.push(Event::AccountOpened {
        code: AccountCode::new("521.RENT")?,
        name_zh: "土地流转费".into(),
        name_en: "land transfer rent".into(),
    });
    let collective: MemberId = "V000001".parse()?;
    out.push(Event::MemberJoined {
        member: Member {
            id: collective.clone(),
            name: "村集体".into(),
            kind: MemberKind::Collective,
            village: "V".into(),
            joined: start,
            left: None,
        },
    });
    out.push(Event::CapitalContributed {
        member: collective,
        date: start,
        amount: Yuan::from_yuan(i64::from(households).saturating_mul(1000))?,
        into: CashAccount::Bank,
        source: crate::CapitalSource::Other,
        premium: Yuan::ZERO,
    });
    let mut pooled = Mu::ZERO;
    let mut transfer_contracts = Vec::new();
    for h in 0..households {
        let m = member(h)?;
        out.push(Event::MemberJoined {
            member: Member {
                id: m.clone(),
                name: format!("户主{h}").into(),
                kind: MemberKind::Household {
                    persons: u32::try_from(dice.between(1, 6)).unwrap_or(3),
                },
                village: format!("村{}", h % 70).into(),
                joined: start,
                left: None,
            },
        });
        out.push(Event::CapitalContributed {
            member: m.clone(),
            date: start,
            amount: Yuan::from_yuan(
                i64::try_from(dice.between(1, 20))
                    .unwrap_or(1)
                    .saturating_mul(1000),
            )?,
            into: CashAccount::Bank,
            source: crate::CapitalSource::Other,
            premium: Yuan::ZERO,
        });
        let mut lines = Vec::new();
        for p in 0..parcels {
            let parcel: ParcelId = id(format!("P{h:06}-{p}"))?;
            let area = Mu::from_ten_thousandths(dice.between(50, 300).saturating_mul(100));
            pooled = pooled.checked_add(area)?;
            out.push(Event::ParcelRegistered {
                parcel: Parcel {
                    id: parcel.clone(),
                    owner: m.clone(),
                    area,
                    village: format!("村{}", h % 70).into(),
                    land_class: "水浇地".into(),
                    registered: start,
                    retired: None,
                },
            });
            lines.push(ContractLine { parcel, area });
        }
        let kind = match h % 10 {
            0..=5 => ContractKind::Transfer {
                rent: RentTerms::Fixed {
                    yuan_per_mu: Decimal::from(1000),
                },
            },
            6 | 7 => ContractKind::Transfer {
                rent: RentTerms::Stepped {
                    yuan_per_mu: Decimal::from(950),
                    step_percent: Decimal::from(5),
                    every_years: 3,
                },
            },
            8 => ContractKind::Transfer {
                rent: RentTerms::GrainIndexed {
                    crop: "wheat".into(),
                    unit: GrainUnit::Jin,
                    quantity_per_mu: Decimal::from(850),
                    reset_every_years: 3,
                },
            },
            _ => ContractKind::LandShares {
                shares_per_mu: Decimal::ONE,
                value_per_share: Yuan::from_yuan(5000)?,
                guaranteed_per_share: Decimal::from(800),
            },
        };
        let contract = id::<crate::ContractId>(format!("C{h:06}"))?;
        if matches!(kind, ContractKind::Transfer { .. }) {
            transfer_contracts.push(contract.clone());
        }
        out.push(Event::ContractSigned {
            contract: Box::new(Contract {
                id: contract,
                member: m,
                lines,
                start,
                end: Date::from_calendar_date(2028, Month::December, 31).map_err(|_| {
                    Error::Overflow {
                        operation: "2028-12-31".into(),
                    }
                })?,
                kind,
                pro_rating: if h % 4 == 3 {
                    ProRating::MonthsAndDays
                } else {
                    ProRating::ActualDays
                },
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: AccountCode::new("521.RENT")?,
            }),
        });
    }
    // A few equal-area swaps between neighbouring transfer contracts on 1 July.
    for pair in transfer_contracts.chunks_exact(2).step_by(50) {
        if let [first, second] = pair {
            out.push(Event::AreaSwapped {
                date: day(7, 1)?,
                first: first.clone(),
                first_gives: Mu::from_ten_thousandths(1_000),
                second: second.clone(),
                second_gives: Mu::from_ten_thousandths(1_000),
                compensation: None,
            });
        }
    }
    // Greenhouses on 90% of the pooled land, about 7 mu each.
    let covered = Mu::from_decimal_rounded(
        pooled
            .to_decimal()
            .checked_mul(Decimal::new(9, 1))
            .ok_or_else(|| crate::Error::Overflow {
                operation: "synthetic: 90% of the pooled land".into(),
            })?,
        Rounding::TowardZero,
    )?;
    let count = usize::try_from((covered.ten_thousandths() / 71_429).max(1)).unwrap_or(1);
    let areas = covered.split(&vec![Decimal::ONE; count])?;
    let grape: CropId = "GRAPE".parse()?;
    let greenhouses: Vec<GreenhouseId> = (0..count)
        .map(|g| id(format!("GH{g:06}")))
        .collect::<Result<_>>()?;
    let grant: GrantId = "G2019".parse()?;
    let grant_amount = Yuan::from_yuan(i64::try_from(count).unwrap_or(0).saturating_mul(30_000))?;
    out.push(Event::GrantReceived {
        grant: grant.clone(),
        purpose: "大棚建设 greenhouse construction".into(),
        source: "县农业农村局".into(),
        date: day(1, 3)?,
        amount: grant_amount,
        into: CashAccount::Bank,
    });
    for (g, area) in greenhouses.iter().zip(&areas) {
        out.push(Event::GreenhouseBuilt {
            greenhouse: Greenhouse {
                id: g.clone(),
                name: format!("{g}号棚").into(),
                area: *area,
                crop: grape.clone(),
                built: day(1, 10)?,
                cost: Yuan::from_yuan(60_000)?,
                residual: Yuan::from_yuan(3_000)?,
                life_months: 120,
            },
            paid_from: CostPayment::Bank,
        });
    }
    out.push(Event::GrantSpent {
        grant,
        date: day(1, 10)?,
        amount: grant_amount,
        on: GrantUse::Asset {
            asset: "大棚 greenhouses".into(),
        },
    });
    let loan: LoanId = "L2019".parse()?;
    out.push(Event::LoanSigned {
        loan: Loan {
            id: loan.clone(),
            lender: "农村商业银行".into(),
            term: LoanTerm::Long,
            amount: Yuan::from_yuan(500_000)?,
            annual_rate_percent: Decimal::new(435, 2),
            day_count: DayCount::Act365,
            signed: start,
            maturity: Date::from_calendar_date(2021, Month::December, 31).map_err(|_| {
                Error::Overflow {
                    operation: "2021-12-31".into(),
                }
            })?,
            raised_for: vec![member(0)?, member(1)?],
        },
    });
    out.push(Event::LoanDrawn {
        loan: loan.clone(),
        date: start,
        amount: Yuan::from_yuan(500_000)?,
        into: CashAccount::Bank,
    });
    for (month, kind, per_greenhouse) in [
        (3, CostKind::Seedlings, 3_000),
        (3, CostKind::Fertiliser, 6_000),
        (4, CostKind::Film, 3_000),
        (12, CostKind::WaterAndPower, 2_000),
    ] {
        out.push(Event::CostIncurred {
            date: day(month, 20)?,
            kind,
            amount: Yuan::from_yuan(
                i64::try_from(count)
                    .unwrap_or(0)
                    .saturating_mul(per_greenhouse),
            )?,
            target: CostTarget::AllGreenhouses,
            payment: CostPayment::Bank,
            memo: "running costs".into(),
        });
    }
    // Work: monthly timesheets of members' days at 150 yuan a day.
    let per_month = scale.work_records / 12;
    for month in 1..=12_u8 {
        let date = day(month, 28)?;
        let mut records = Vec::new();
        for r in 0..per_month {
            let h = u32::try_from(r.checked_rem(u64::from(households)).unwrap_or(0)).unwrap_or(0);
            let g = usize::try_from(
                r.checked_rem(u64::try_from(count).unwrap_or(1))
                    .unwrap_or(0),
            )
            .unwrap_or(0);
            let Some(greenhouse) = greenhouses.get(g).or(greenhouses.first()) else {
                break;
            };
            records.push(WorkRecord {
                worker: Worker::Member(member(h)?),
                date,
                task: Task::Greenhouse(greenhouse.clone()),
                pay: Pay::Days {
                    days: Decimal::from(dice.between(1, 3)),
                    rate: Decimal::from(150),
                },
                kind: WorkKind::Seasonal,
            });
            if records.len() == 100_000 {
                out.push(Event::WorkRecorded {
                    date,
                    records: std::mem::take(&mut records),
                });
            }
        }
        if !records.is_empty() {
            out.push(Event::WorkRecorded { date, records });
        }
    }
    // Harvest and sales: 2,500 kg a mu at 8.00 a kg.
    for (g, area) in greenhouses.iter().zip(&areas) {
        let kg = area
            .to_decimal()
            .checked_mul(Decimal::from(2500))
            .ok_or_else(|| crate::Error::Overflow {
                operation: format!("synthetic: harvest of greenhouse {g}"),
            })?;
        out.push(Event::Harvested {
            greenhouse: g.clone(),
            date: day(8, 20)?,
            kg,
            grade: "一级".into(),
        });
        out.push(Event::ProduceSold {
            greenhouse: g.clone(),
            date: day(8, 25)?,
            kg,
            price_per_kg: Decimal::from(8),
            buyer: "批发市场".into(),
            payment: SalePayment::Bank,
        });
    }
    let end = day(12, 31)?;
    out.push(Event::RentAccrued {
        from: start,
        to: end,
        contracts: Accrue::All,
        date: end,
    });
    out.push(Event::DepreciationBooked {
        year: 2019,
        month: 12,
    });
    out.push(Event::LoanInterestAccrued { loan, through: end });
    out.push(Event::YearClosed {
        year: 2019,
        policy: DistributionPolicy::standard(Decimal::from(10), Decimal::from(70)),
    });
    out.into_iter()
        .enumerate()
        .map(|(i, event)| Ok((id(format!("syn-{:06}", i.saturating_add(1)))?, event)))
        .collect()
}

/// The payments of `year` on its last day for `book`, a book that has applied the year up
/// to its close: each member's rent accrued and not paid (its current account, 成员往来) and
/// each member's labour and wages payable, paid from the bank, an event each, with the ids
/// `pay-rent-<member>`, `pay-labour-<member>` and `pay-wages-<member>`: the rent payments
/// first, then the wage payments, each in the members' id order. Nothing is paid where
/// nothing is owed.
///
/// Applied to a synthetic book (see [`events`]) before its close, they make its year one
/// that pays its rent and its wages as a real year does.
///
/// # Errors
///
/// [`Error::Overflow`] for a year without a last day in the calendar's range, and the
/// errors of [`Book::member_account`] (none for the members of `book` itself).
///
/// # Example
///
/// ```
/// use landpool::{synthetic, Book, Event};
/// use time::macros::date;
///
/// let mut events = synthetic::events(synthetic::Scale::cooperative(), 7)?;
/// let close = events.pop().expect("the close comes last");
/// let mut book = Book::new();
/// for (id, event) in events {
///     book.apply(id, event)?;
/// }
/// let payments = synthetic::payments(&book, 2019)?;
/// assert_eq!(payments.len(), 28 + 28);
/// for (id, event) in payments {
///     book.apply(id, event)?;
/// }
/// let (id, event) = close;
/// book.apply(id, event)?;
/// let household = "H000000".parse()?;
/// let settled = book.member_account(&household, date!(2019 - 12 - 31))?;
/// assert!(settled.current.is_zero() && settled.labour_payable.is_zero());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn payments(book: &Book, year: i32) -> Result<Vec<(EventId, Event)>> {
    let last =
        Date::from_calendar_date(year, Month::December, 31).map_err(|_| Error::Overflow {
            operation: format!("the last day of {year}"),
        })?;
    let mut rent = Vec::new();
    let mut pay = Vec::new();
    for member in book.members() {
        let account = book.member_account(&member.id, last)?;
        if account.current.is_positive() {
            rent.push((
                id(format!("pay-rent-{}", member.id))?,
                Event::RentPaid {
                    member: member.id.clone(),
                    date: last,
                    amount: account.current,
                    from: CashAccount::Bank,
                },
            ));
        }
        for (what, account, owed) in [
            ("labour", WageAccount::Labour, account.labour_payable),
            ("wages", WageAccount::Staff, account.wages_payable),
        ] {
            if owed.is_positive() {
                pay.push((
                    id(format!("pay-{what}-{}", member.id))?,
                    Event::WagesPaid {
                        worker: Worker::Member(member.id.clone()),
                        account,
                        date: last,
                        amount: owed,
                        from: CashAccount::Bank,
                    },
                ));
            }
        }
    }
    rent.extend(pay);
    Ok(rent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_book() {
        let a = events(Scale::cooperative(), 42).unwrap_or_default();
        let b = events(Scale::cooperative(), 42).unwrap_or_default();
        let c = events(Scale::cooperative(), 1000).unwrap_or_default();
        assert!(!a.is_empty());
        assert!(a == b, "the same seed gave different books");
        assert!(a != c, "different seeds gave the same book");
    }
}
