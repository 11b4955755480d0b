//! Reports on operations, as data: revenue, cost and margin per greenhouse and per crop,
//! yield and revenue per mu, labour income per member.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use time::Date;

use super::labour::check_period;
use super::{expense_account, GreenhouseRecord};
use crate::book::Book;
use crate::{CropId, GreenhouseId, MemberId, Mu, Result, Rounding, Yuan};

/// Decimal places of kilograms per mu in reports.
const KG_PER_MU_PLACES: u32 = 2;

/// One greenhouse's results for a period.
///
/// Revenue is the greenhouse's sales dated in the period (their sum over all greenhouses of a
/// crop is the credit movement of `501.<crop>`); cost is the net debit movement of
/// `521.<greenhouse>` in the period (inputs, labour, depreciation, anything charged to it).
/// Per-mu figures divide by the greenhouse's area: kilograms to 0.01 kg and yuan to the fen,
/// each rounded once, half away from zero.
///
/// # Example
///
/// A greenhouse of the reference cooperative in 2019, from [`Book::greenhouse_results`]:
///
/// ```
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let results = book.greenhouse_results(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// let gh01 = results.iter().find(|r| r.greenhouse.as_str() == "GH01").ok_or("no GH01")?;
/// assert_eq!((gh01.crop.as_str(), gh01.area.to_string()), ("GRAPE", "7.1429".to_string()));
/// assert_eq!(gh01.harvested_kg, dec!(17857.25));
/// assert_eq!(gh01.revenue.to_string(), "142858.00");
/// assert_eq!(gh01.cost.to_string(), "61625.09");
/// assert_eq!(gh01.margin.to_string(), "81232.91");
/// // 17,857.25 kg and 142,858.00 yuan over 7.1429 mu.
/// assert_eq!(gh01.yield_kg_per_mu, dec!(2500));
/// assert_eq!(gh01.revenue_per_mu.to_string(), "20000.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GreenhouseResult {
    /// The greenhouse.
    pub greenhouse: GreenhouseId,
    /// Its crop.
    pub crop: CropId,
    /// Its area.
    pub area: Mu,
    /// Kilograms harvested in the period.
    #[serde(with = "crate::exact_decimal")]
    pub harvested_kg: Decimal,
    /// Kilograms sold in the period.
    #[serde(with = "crate::exact_decimal")]
    pub sold_kg: Decimal,
    /// Revenue: sales in the period.
    pub revenue: Yuan,
    /// Cost: net debits to `521.<greenhouse>` in the period.
    pub cost: Yuan,
    /// Revenue less cost.
    pub margin: Yuan,
    /// Kilograms harvested per mu.
    #[serde(with = "crate::exact_decimal")]
    pub yield_kg_per_mu: Decimal,
    /// Revenue per mu.
    pub revenue_per_mu: Yuan,
}

/// One crop's results for a period: the sums over its greenhouses, and per-mu figures over
/// their total area (rounded once, as in [`GreenhouseResult`]).
///
/// # Example
///
/// The reference cooperative's one crop in 2019, from [`Book::crop_results`]:
///
/// ```
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let crops = book.crop_results(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// let [grape] = crops.as_slice() else { return Err("expected one crop".into()) };
/// assert_eq!(grape.crop.as_str(), "GRAPE");
/// assert_eq!((grape.greenhouses, grape.area.to_string()), (28, "200.00".to_string()));
/// assert_eq!(grape.harvested_kg, dec!(500000));
/// assert_eq!(grape.revenue.to_string(), "4000000.00");
/// assert_eq!(grape.cost.to_string(), "1777100.00");
/// assert_eq!(grape.margin.to_string(), "2222900.00");
/// assert_eq!(grape.yield_kg_per_mu, dec!(2500));
/// assert_eq!(grape.revenue_per_mu.to_string(), "20000.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CropResult {
    /// The crop.
    pub crop: CropId,
    /// How many greenhouses grow it in the period (in use in it).
    pub greenhouses: usize,
    /// Their total area.
    pub area: Mu,
    /// Kilograms harvested in the period.
    #[serde(with = "crate::exact_decimal")]
    pub harvested_kg: Decimal,
    /// Kilograms sold in the period.
    #[serde(with = "crate::exact_decimal")]
    pub sold_kg: Decimal,
    /// Revenue (the credit movement of `501.<crop>` in the period).
    pub revenue: Yuan,
    /// Cost of its greenhouses.
    pub cost: Yuan,
    /// Revenue less cost.
    pub margin: Yuan,
    /// Kilograms harvested per mu.
    #[serde(with = "crate::exact_decimal")]
    pub yield_kg_per_mu: Decimal,
    /// Revenue per mu.
    pub revenue_per_mu: Yuan,
}

/// A member's labour income for a period, with the persons of a household.
///
/// # Example
///
/// A household of the reference cooperative in 2019, from [`Book::labour_incomes`]:
///
/// ```
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let incomes = book.labour_incomes(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// let h01 = incomes.iter().find(|i| i.member.as_str() == "H01").ok_or("no H01")?;
/// assert_eq!(h01.persons, Some(3));
/// assert_eq!(h01.income.to_string(), "39900.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourIncome {
    /// The member.
    pub member: MemberId,
    /// Persons in the household; `None` for a member that is not a household.
    pub persons: Option<u32>,
    /// Pay for the work records dated in the period.
    pub income: Yuan,
}

/// Kilograms per mu, to [`KG_PER_MU_PLACES`] places, half away from zero.
fn per_mu_kg(kg: Decimal, area: Mu) -> Result<Decimal> {
    if area.is_zero() {
        return Ok(Decimal::ZERO);
    }
    kg.checked_div(area.to_decimal())
        .map(|v| v.round_dp_with_strategy(KG_PER_MU_PLACES, RoundingStrategy::MidpointAwayFromZero))
        .ok_or_else(|| crate::Error::Overflow {
            operation: format!("{kg} kg ÷ {area} mu"),
        })
}

/// Yuan per mu, to the fen, half away from zero.
fn per_mu_yuan(amount: Yuan, area: Mu) -> Result<Yuan> {
    if area.is_zero() {
        return Ok(Yuan::ZERO);
    }
    Yuan::from_product(
        &[amount.to_decimal()],
        area.to_decimal(),
        Rounding::HalfAwayFromZero,
    )
}

fn add_kg(a: Decimal, b: Decimal) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| crate::Error::Overflow {
        operation: format!("{a} kg + {b} kg"),
    })
}

impl Book {
    /// One greenhouse's results from `from` through `to`.
    fn greenhouse_result(
        &self,
        record: &GreenhouseRecord,
        from: Date,
        to: Date,
    ) -> Result<GreenhouseResult> {
        let greenhouse = &record.greenhouse;
        let within = |date: Date| date >= from && date <= to;
        let mut harvested_kg = Decimal::ZERO;
        for harvest in record.harvests.iter().filter(|h| within(h.date)) {
            harvested_kg = add_kg(harvested_kg, harvest.kg)?;
        }
        let mut sold_kg = Decimal::ZERO;
        let mut revenue = Yuan::ZERO;
        for sale in record.sales.iter().filter(|s| within(s.date)) {
            sold_kg = add_kg(sold_kg, sale.kg)?;
            revenue = revenue.checked_add(sale.amount)?;
        }
        // As the account stood before any close in the period moved it into 331.
        let account = expense_account(&greenhouse.id)?;
        let cost = self
            .journal
            .movement(&account, from, to)?
            .net()
            .checked_add(self.closed_movement(&account, from, to)?)?;
        Ok(GreenhouseResult {
            greenhouse: greenhouse.id.clone(),
            crop: greenhouse.crop.clone(),
            area: greenhouse.area,
            harvested_kg,
            sold_kg,
            revenue,
            cost,
            margin: revenue.checked_sub(cost)?,
            yield_kg_per_mu: per_mu_kg(harvested_kg, greenhouse.area)?,
            revenue_per_mu: per_mu_yuan(revenue, greenhouse.area)?,
        })
    }

    /// Revenue, cost, margin, yield and revenue per mu of every greenhouse in use in the
    /// period from `from` through `to` (built on or before `to`, and not taken out of use
    /// before `from`), for that period, in greenhouse id order. A greenhouse taken out of
    /// use before `from` is there too when its produce in stock was sold, or a cost booked to
    /// it, in the period, so that the revenues add up to 501's credits and the costs to
    /// 521's movement.
    ///
    /// Operating costs are booked straight to 521 per greenhouse (the simpler policy DOMAIN.md
    /// allows), so a greenhouse's cost is what its `521.<greenhouse>` sub-account moved in
    /// the period, leaving out the closing entries of a year closed in it (which move the
    /// year's cost into 331 本年盈余): a closed year's results are as they were before its
    /// close.
    ///
    /// # Errors
    ///
    /// [`PoolError::DatesReversed`](crate::PoolError::DatesReversed) when `to` is before
    /// `from`; [`crate::Error::Overflow`] if a sum does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use landpool::ledger::AccountCode;
    /// use rust_decimal_macros::dec;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// // 10 mu in the pool, one greenhouse of 7 mu.
    /// book.apply("join".parse()?, Event::MemberJoined { member: Member {
    ///     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
    ///     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
    /// }})?;
    /// book.apply("parcel".parse()?, Event::ParcelRegistered { parcel: Parcel {
    ///     id: "P001".parse()?, owner: "M001".parse()?, area: "10".parse()?, village: "高格庄".into(),
    ///     land_class: "水浇地".into(), registered: date!(2019 - 01 - 01), retired: None,
    /// }})?;
    /// book.apply("sign".parse()?, Event::ContractSigned { contract: Box::new(Contract {
    ///     id: "C001".parse()?, member: "M001".parse()?,
    ///     lines: vec![ContractLine { parcel: "P001".parse()?, area: "10".parse()? }],
    ///     start: date!(2019 - 01 - 01), end: date!(2028 - 12 - 31),
    ///     kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } },
    ///     pro_rating: ProRating::ActualDays, payment: PaymentTerms::InAdvance { month: 3, day: 1 },
    ///     charge_to: AccountCode::new("401")?,
    /// })})?;
    /// book.apply("gh".parse()?, Event::GreenhouseBuilt { greenhouse: Greenhouse {
    ///     id: "GH01".parse()?, name: "一号棚".into(), area: "7".parse()?, crop: "GRAPE".parse()?,
    ///     built: date!(2019 - 03 - 10), cost: "100000".parse()?, residual: "4000".parse()?, life_months: 120,
    /// }, paid_from: CostPayment::Bank })?;
    /// book.apply("pick".parse()?, Event::Harvested {
    ///     greenhouse: "GH01".parse()?, date: date!(2019 - 08 - 01), kg: dec!(3500), grade: "一级".into(),
    /// })?;
    /// book.apply("sell".parse()?, Event::ProduceSold {
    ///     greenhouse: "GH01".parse()?, date: date!(2019 - 08 - 02), kg: dec!(3500), price_per_kg: dec!(8.00),
    ///     buyer: "青岛果品批发市场".into(), payment: SalePayment::Bank,
    /// })?;
    /// book.apply("fert".parse()?, Event::CostIncurred {
    ///     date: date!(2019 - 04 - 01), kind: CostKind::Fertiliser, amount: "7000".parse()?,
    ///     target: CostTarget::Greenhouse("GH01".parse()?), payment: CostPayment::Bank, memo: String::new(),
    /// })?;
    /// let results = book.greenhouse_results(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert_eq!(results[0].revenue.to_string(), "28000.00");
    /// assert_eq!(results[0].cost.to_string(), "7000.00");
    /// assert_eq!(results[0].margin.to_string(), "21000.00");
    /// assert_eq!(results[0].yield_kg_per_mu, dec!(500));
    /// assert_eq!(results[0].revenue_per_mu.to_string(), "4000.00");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn greenhouse_results(&self, from: Date, to: Date) -> Result<Vec<GreenhouseResult>> {
        Ok(self
            .results_in(from, to)?
            .into_iter()
            .map(|(result, _)| result)
            .collect())
    }

    /// The results of [`Book::greenhouse_results`], each with whether the greenhouse was in
    /// use in the period (one taken out of use before it is there only for its sales or
    /// costs in it).
    fn results_in(&self, from: Date, to: Date) -> Result<Vec<(GreenhouseResult, bool)>> {
        check_period(from, to)?;
        let mut out = Vec::new();
        for record in self.greenhouses() {
            if record.greenhouse.built > to {
                continue;
            }
            let in_use = record.retired.is_none_or(|last| last >= from);
            let result = self.greenhouse_result(record, from, to)?;
            // Produce in stock may be sold, and pay for its last days booked, after a
            // greenhouse is taken out of use: those stay in the results, so that they add
            // up to 501 and 521 in every period.
            let moved = !result.revenue.is_zero()
                || !result.cost.is_zero()
                || !result.sold_kg.is_zero()
                || !result.harvested_kg.is_zero();
            if in_use || moved {
                out.push((result, in_use));
            }
        }
        Ok(out)
    }

    /// The results of each crop from `from` through `to`: the sums over its greenhouses
    /// (those [`Book::greenhouse_results`] has), in crop id order. Its greenhouses and
    /// their area, and so its per-mu figures, count only those in use in the period, not
    /// one taken out of use before it whose stock was sold in it.
    ///
    /// # Errors
    ///
    /// As [`Book::greenhouse_results`].
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// let crops = landpool::Book::new().crop_results(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert!(crops.is_empty());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn crop_results(&self, from: Date, to: Date) -> Result<Vec<CropResult>> {
        let mut by_crop: BTreeMap<CropId, CropResult> = BTreeMap::new();
        for (result, in_use) in self.results_in(from, to)? {
            let crop = by_crop
                .entry(result.crop.clone())
                .or_insert_with(|| CropResult {
                    crop: result.crop.clone(),
                    greenhouses: 0,
                    area: Mu::ZERO,
                    harvested_kg: Decimal::ZERO,
                    sold_kg: Decimal::ZERO,
                    revenue: Yuan::ZERO,
                    cost: Yuan::ZERO,
                    margin: Yuan::ZERO,
                    yield_kg_per_mu: Decimal::ZERO,
                    revenue_per_mu: Yuan::ZERO,
                });
            // A greenhouse taken out of use before the period grows nothing in it.
            if in_use {
                crop.greenhouses = crop.greenhouses.saturating_add(1);
                crop.area = crop.area.checked_add(result.area)?;
            }
            crop.harvested_kg = add_kg(crop.harvested_kg, result.harvested_kg)?;
            crop.sold_kg = add_kg(crop.sold_kg, result.sold_kg)?;
            crop.revenue = crop.revenue.checked_add(result.revenue)?;
            crop.cost = crop.cost.checked_add(result.cost)?;
        }
        let mut out = Vec::with_capacity(by_crop.len());
        for (_, mut crop) in by_crop {
            crop.margin = crop.revenue.checked_sub(crop.cost)?;
            crop.yield_kg_per_mu = per_mu_kg(crop.harvested_kg, crop.area)?;
            crop.revenue_per_mu = per_mu_yuan(crop.revenue, crop.area)?;
            out.push(crop);
        }
        Ok(out)
    }
}
