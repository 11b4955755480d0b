//! Planning assets other than greenhouses: fixed assets and productive biological assets put
//! into use, their units of work, their monthly depreciation and their retirement.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::greenhouses::{
    check_life_months, check_residual, check_retirement, clear_through_154, month_number,
    month_text, Cleared,
};
use super::MAX_TEXT_BYTES;
use super::{cash, expense_account, name, positive, positive_decimal, OperationsUpdate};
use crate::book::{Book, Plan};
use crate::ledger::{AccountCode, Entry};
use crate::pool::PoolError;
use crate::{
    Asset, AssetId, AssetKind, CashAccount, CostPayment, DepreciationMethod, EventId, Result, Yuan,
};

/// Units of work an asset gave in a month
/// ([`Event::AssetWorkRecorded`](crate::Event::AssetWorkRecorded)).
///
/// # Example
///
/// ```
/// use landpool::AssetWork;
/// use rust_decimal_macros::dec;
///
/// let work = AssetWork { year: 2021, month: 6, units: dec!(86.5) };
/// assert_eq!(serde_json::to_string(&work)?, r#"{"year":2021,"month":6,"units":"86.5"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetWork {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The units of work, above zero.
    #[serde(with = "crate::exact_decimal")]
    pub units: Decimal,
}

/// An asset as the register keeps it: the asset, its depreciation booked, the units of work
/// recorded for it and the day it was taken out of use.
///
/// # Example
///
/// ```
/// use landpool::{Asset, AssetKind, Book, CostPayment, DepreciationMethod, Event};
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let mut book = Book::new();
/// let well = Asset {
///     id: "W01".parse()?,
///     name: "机井".into(),
///     kind: AssetKind::Fixed,
///     in_use: date!(2020 - 04 - 01),
///     cost: "12000".parse()?,
///     residual: "600".parse()?,
///     depreciation: DepreciationMethod::StraightLine { life_months: 240 },
///     greenhouse: None,
/// };
/// book.apply("a1".parse()?, Event::AssetAcquired { asset: well, paid_from: CostPayment::Bank })?;
/// book.apply("d1".parse()?, Event::DepreciationBooked { year: 2020, month: 12 })?;
/// let record = book.asset(&"W01".parse()?).ok_or("no asset")?;
/// // May to December: 8 months of 47.50.
/// assert_eq!(record.depreciated_months, 8);
/// assert_eq!(record.depreciated.to_string(), "380.00");
/// assert_eq!(record.depreciated_by_year, [(2020, "380".parse()?)]);
/// assert_eq!(record.carrying_amount()?.to_string(), "11620.00");
/// assert_eq!(record.retired, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetRecord {
    /// The asset as put into use.
    pub asset: Asset,
    /// Months of use whose depreciation is booked (straight-line, at most its life).
    pub depreciated_months: u32,
    /// Depreciation booked (152 or 143), in total.
    pub depreciated: Yuan,
    /// Depreciation booked, by the calendar year of its entries, in year order (years that
    /// booked none are left out): it adds up to `depreciated`.
    #[serde(default)]
    pub depreciated_by_year: Vec<(i32, Yuan)>,
    /// Units of work recorded, in the order recorded.
    pub work: Vec<AssetWork>,
    /// Its last day in use, once it is taken out of use
    /// ([`Event::AssetRetired`](crate::Event::AssetRetired)).
    pub retired: Option<Date>,
}

impl AssetRecord {
    /// The carrying amount (账面价值): cost less depreciation booked.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Asset, AssetKind, AssetRecord, DepreciationMethod, Yuan};
    /// use time::macros::date;
    ///
    /// let record = AssetRecord {
    ///     asset: Asset {
    ///         id: "W01".parse()?,
    ///         name: "机井".into(),
    ///         kind: AssetKind::Fixed,
    ///         in_use: date!(2020 - 04 - 01),
    ///         cost: "12000".parse()?,
    ///         residual: "600".parse()?,
    ///         depreciation: DepreciationMethod::StraightLine { life_months: 240 },
    ///         greenhouse: None,
    ///     },
    ///     depreciated_months: 8,
    ///     depreciated: "380".parse()?,
    ///     depreciated_by_year: vec![(2020, "380".parse()?)],
    ///     work: Vec::new(),
    ///     retired: None,
    /// };
    /// assert_eq!(record.carrying_amount()?, Yuan::from_yuan(11_620)?);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn carrying_amount(&self) -> Result<Yuan> {
        self.asset.cost.checked_sub(self.depreciated)
    }

    /// The units of work recorded for its first `months` months of use.
    fn units_through(&self, months: u32) -> Result<Decimal> {
        let start = in_use_month(&self.asset);
        let mut total = Decimal::ZERO;
        for work in &self.work {
            if work_month(work)?.saturating_sub(start) <= i64::from(months) {
                total = total
                    .checked_add(work.units)
                    .ok_or_else(|| crate::Error::Overflow {
                        operation: format!("the units of work of asset {}", self.asset.id),
                    })?;
            }
        }
        Ok(total)
    }

    /// The number of the last month its depreciation is booked through (the month it was
    /// put into use, before any is).
    fn booked_through(&self) -> i64 {
        in_use_month(&self.asset).saturating_add(i64::from(self.depreciated_months))
    }

    /// Months of use through the month numbered `target`, as its method counts them:
    /// straight-line at most its life.
    fn months_through(&self, target: i64) -> u32 {
        let used = target.saturating_sub(in_use_month(&self.asset)).max(0);
        let used = match self.asset.depreciation {
            DepreciationMethod::StraightLine { life_months } => used.min(i64::from(life_months)),
            DepreciationMethod::UnitsOfWork { .. } => used,
        };
        u32::try_from(used).unwrap_or(u32::MAX)
    }

    /// The depreciation entry bringing its booked depreciation to that of `through` months
    /// of use, and the charge; no entry for a charge of zero.
    fn catch_up(
        &self,
        entry_id: String,
        date: Date,
        through: u32,
        note: &str,
    ) -> Result<(Option<Entry>, Yuan)> {
        let asset = &self.asset;
        let units = self.units_through(through)?;
        let total = asset.cumulative_depreciation(through, units)?;
        let charge = total.checked_sub(self.depreciated)?;
        if !charge.is_positive() {
            return Ok((None, charge));
        }
        let what = match asset.depreciation {
            DepreciationMethod::StraightLine { life_months } => format!(
                "months {}~{through} of {life_months}",
                self.depreciated_months.saturating_add(1)
            ),
            DepreciationMethod::UnitsOfWork { total_units } => format!(
                "months {}~{through}, {units} of {total_units} units",
                self.depreciated_months.saturating_add(1)
            ),
        };
        let entry = Entry::new(
            entry_id,
            date,
            format!("计提折旧 depreciation of asset {}, {what}{note}", asset.id),
        )
        .debit(charge_account(asset)?, charge)
        .credit(AccountCode::new(asset.kind.depreciation_code())?, charge);
        Ok((Some(entry), charge))
    }
}

/// An asset's depreciation charge of a month: asset, months now depreciated, amount added.
pub(super) type AssetCharge = (AssetId, u32, Yuan);

/// The number of the month an asset was put into use.
fn in_use_month(asset: &Asset) -> i64 {
    month_number(asset.in_use.year(), asset.in_use.month())
}

/// The number of a work record's month (checked when it was recorded).
fn work_month(work: &AssetWork) -> Result<i64> {
    let month = Month::try_from(work.month).map_err(|_| PoolError::BadNumber {
        what: "units of work: month".to_string(),
        expected: "from 1 to 12",
        value: Decimal::from(work.month),
    })?;
    Ok(month_number(work.year, month))
}

/// The account an asset's depreciation is charged to: its greenhouse's operating expenses
/// or 523 管理费用.
fn charge_account(asset: &Asset) -> Result<AccountCode> {
    match &asset.greenhouse {
        Some(greenhouse) => expense_account(greenhouse),
        None => AccountCode::new("523"),
    }
}

impl Book {
    /// An asset other than a greenhouse and its register: depreciation booked, units of work
    /// recorded, the day it was taken out of use.
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::Book::new();
    /// assert!(book.asset(&"V01".parse()?).is_none());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn asset(&self, id: &AssetId) -> Option<&AssetRecord> {
        self.operations.assets.get(id)
    }

    /// Every asset other than a greenhouse, in id order.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Asset, AssetKind, Book, CostPayment, DepreciationMethod, Event};
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// for id in ["W02", "W01"] {
    ///     let asset = Asset {
    ///         id: id.parse()?,
    ///         name: "机井".into(),
    ///         kind: AssetKind::Fixed,
    ///         in_use: date!(2020 - 04 - 01),
    ///         cost: "12000".parse()?,
    ///         residual: "0".parse()?,
    ///         depreciation: DepreciationMethod::StraightLine { life_months: 240 },
    ///         greenhouse: None,
    ///     };
    ///     book.apply(format!("a-{id}").parse()?, Event::AssetAcquired { asset, paid_from: CostPayment::Cash })?;
    /// }
    /// let ids: Vec<&str> = book.assets().map(|record| record.asset.id.as_str()).collect();
    /// assert_eq!(ids, ["W01", "W02"]);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn assets(&self) -> impl Iterator<Item = &AssetRecord> + '_ {
        self.operations.assets.values()
    }

    fn asset_record(&self, id: &AssetId) -> Result<&AssetRecord> {
        self.operations
            .assets
            .get(id)
            .ok_or_else(|| PoolError::UnknownAsset { asset: id.clone() }.into())
    }

    pub(super) fn plan_asset(
        &self,
        id: &EventId,
        asset: &Asset,
        paid_from: CostPayment,
    ) -> Result<Plan> {
        let a = &asset.id;
        if self.operations.assets.contains_key(a) {
            return Err(PoolError::DuplicateAsset { asset: a.clone() }.into());
        }
        let what = |field: &str| format!("asset {a}: {field}");
        name(|| what("name"), &asset.name, MAX_TEXT_BYTES)?;
        positive(|| what("cost"), asset.cost)?;
        check_residual(
            || what("residual value"),
            asset.residual,
            asset.cost,
            "from zero to the cost",
        )?;
        match asset.depreciation {
            DepreciationMethod::StraightLine { life_months } => {
                check_life_months(|| what("useful life in months"), life_months)?;
            }
            DepreciationMethod::UnitsOfWork { total_units } => {
                positive_decimal(|| what("units of work expected"), total_units)?;
            }
        }
        if let Some(greenhouse) = &asset.greenhouse {
            let record = self.greenhouse_in_use(greenhouse, asset.in_use)?;
            if let Some(retired) = record.retired {
                return Err(PoolError::NotAllowed {
                    what: format!("asset {a}"),
                    reason: format!("greenhouse {greenhouse} it serves is taken out of use after {retired}, and the asset's depreciation would be charged to it after that"),
                }
                .into());
            }
        }
        let of = || format!("asset {a}");
        let cost_account = AccountCode::new(asset.kind.cost_code())?;
        self.own_account_takes_postings(&cost_account, of)?;
        self.own_account_takes_postings(&AccountCode::new(asset.kind.depreciation_code())?, of)?;
        let entry = Entry::new(
            id.as_str(),
            asset.in_use,
            format!(
                "{}投入使用 asset {a} put into use ({})",
                asset.kind.name_zh(),
                asset.name
            ),
        )
        .debit(cost_account, asset.cost)
        .credit(AccountCode::new(paid_from.code())?, asset.cost);
        Ok(Plan::operations(
            Vec::new(),
            vec![entry],
            OperationsUpdate::AddAsset(Box::new(asset.clone())),
        ))
    }

    pub(super) fn plan_asset_work(
        &self,
        asset: &AssetId,
        year: i32,
        month: u8,
        units: Decimal,
    ) -> Result<Plan> {
        let record = self.asset_record(asset)?;
        let what = format!("units of work of asset {asset} in {year}-{month:02}");
        let refuse = |reason: String| -> crate::Error {
            PoolError::NotAllowed {
                what: what.clone(),
                reason,
            }
            .into()
        };
        let calendar_month = Month::try_from(month).map_err(|_| PoolError::BadNumber {
            what: format!("{what}: month"),
            expected: "from 1 to 12",
            value: Decimal::from(month),
        })?;
        let target = month_number(year, calendar_month);
        if Date::from_calendar_date(year, Month::January, 1).is_err() {
            return Err(PoolError::BadNumber {
                what: format!("{what}: year"),
                expected: "a year the calendar holds",
                value: Decimal::from(year),
            }
            .into());
        }
        if let DepreciationMethod::StraightLine { .. } = record.asset.depreciation {
            return Err(refuse(
                "it depreciates straight-line; units of work are recorded for an asset depreciated by units of work".to_string(),
            ));
        }
        positive_decimal(|| format!("{what}: units"), units)?;
        let in_use = record.asset.in_use;
        let start = in_use_month(&record.asset);
        if target <= start {
            return Err(refuse(format!(
                "it was put into use on {in_use}, and its depreciation starts the next month, {}",
                month_text(start.saturating_add(1))
            )));
        }
        if let Some(retired) = record.retired {
            if target > month_number(retired.year(), retired.month()) {
                return Err(refuse(format!("it was taken out of use after {retired}")));
            }
        }
        let booked = record.booked_through();
        if target <= booked {
            return Err(refuse(format!(
                "its depreciation is booked through {} already; record the units in a month not yet booked, from {}",
                month_text(booked),
                month_text(booked.saturating_add(1))
            )));
        }
        // Every later depreciation sums the units: their total must fit.
        record
            .units_through(u32::MAX)?
            .checked_add(units)
            .ok_or_else(|| crate::Error::Overflow {
                operation: format!("{what}: the units of work in total"),
            })?;
        Ok(Plan::operations(
            Vec::new(),
            Vec::new(),
            OperationsUpdate::AssetWork(asset.clone(), AssetWork { year, month, units }),
        ))
    }

    /// The depreciation of every asset in use through the month numbered `target`, whose
    /// last day is `last`.
    pub(super) fn asset_depreciation(
        &self,
        id: &EventId,
        target: i64,
        last: Date,
    ) -> Result<(Vec<Entry>, Vec<AssetCharge>)> {
        let mut entries = Vec::new();
        let mut charges = Vec::new();
        // An asset taken out of use was depreciated through its last month then.
        for record in self.assets().filter(|record| record.retired.is_none()) {
            let through = record.months_through(target);
            if through <= record.depreciated_months {
                continue;
            }
            let (entry, charge) =
                record.catch_up(format!("{id}:asset:{}", record.asset.id), last, through, "")?;
            entries.extend(entry);
            charges.push((record.asset.id.clone(), through, charge));
        }
        Ok((entries, charges))
    }

    /// Plans taking an asset out of use after `date`.
    pub(super) fn plan_asset_retirement(
        &self,
        id: &EventId,
        asset: &AssetId,
        date: Date,
        proceeds: Yuan,
        into: CashAccount,
    ) -> Result<Plan> {
        let record = self.asset_record(asset)?;
        let what = format!("taking asset {asset} out of use after {date}");
        let refuse = |reason: String| -> crate::Error {
            PoolError::NotAllowed {
                what: what.clone(),
                reason,
            }
            .into()
        };
        let a = &record.asset;
        if date < a.in_use {
            return Err(refuse(format!("it was put into use on {}", a.in_use)));
        }
        check_retirement(&what, record.retired, proceeds)?;
        let month = month_number(date.year(), date.month());
        for work in &record.work {
            if work_month(work)? > month {
                return Err(refuse(format!(
                    "units of work are recorded for {}-{:02}, after it",
                    work.year, work.month
                )));
            }
        }
        let booked = record.booked_through();
        if booked > month {
            return Err(refuse(format!(
                "its depreciation is booked through {}, after it",
                month_text(booked)
            )));
        }
        // The month of `date` is depreciated (当月减少当月照提); the month it came into use
        // is not.
        let through = record.months_through(month).max(record.depreciated_months);
        let (entry, charge) = record.catch_up(
            format!("{id}:depreciation"),
            date,
            through,
            ", taken out of use",
        )?;
        let accumulated = record.depreciated.checked_add(charge)?;
        let carrying = a.cost.checked_sub(accumulated)?;
        let cost_account = AccountCode::new(a.kind.cost_code())?;
        let reserve = AccountCode::new(a.kind.depreciation_code())?;
        let mut entries: Vec<Entry> = entry.into_iter().collect();
        let net = carrying.checked_sub(proceeds)?;
        match a.kind {
            AssetKind::Fixed => entries.extend(clear_through_154(
                id,
                date,
                &Cleared {
                    what: &format!("asset {asset}"),
                    proceeds_memo: &format!("变价收入 what asset {asset} fetches"),
                    cost: a.cost,
                    accumulated,
                    proceeds,
                    into,
                },
            )?),
            AssetKind::ProductiveBiological => {
                // No clearing account for biological assets: the difference goes straight
                // to 529 or 502.
                let mut dispose = Entry::new(
                    id.as_str(),
                    date,
                    format!("生产性生物资产处置 asset {asset} taken out of use"),
                );
                if accumulated.is_positive() {
                    dispose = dispose.debit(reserve, accumulated);
                }
                if proceeds.is_positive() {
                    dispose = dispose.debit(cash(into)?, proceeds);
                }
                if net.is_positive() {
                    dispose = dispose.debit(AccountCode::new("529")?, net);
                }
                dispose = dispose.credit(cost_account, a.cost);
                if net.is_negative() {
                    dispose = dispose.credit(AccountCode::new("502")?, net.checked_neg()?);
                }
                entries.push(dispose);
            }
        }
        Ok(Plan::operations(
            Vec::new(),
            entries,
            OperationsUpdate::AssetRetired(asset.clone(), date, through, charge),
        ))
    }

    /// Refuses taking greenhouse `greenhouse` out of use after `date` while an asset
    /// serving it is in use after that day.
    pub(super) fn no_asset_serves(
        &self,
        greenhouse: &crate::GreenhouseId,
        date: Date,
    ) -> Result<()> {
        let serving = self.assets().find(|record| {
            record.asset.greenhouse.as_ref() == Some(greenhouse)
                && record.retired.is_none_or(|retired| retired > date)
        });
        match serving {
            Some(record) => Err(PoolError::NotAllowed {
                what: format!("taking greenhouse {greenhouse} out of use after {date}"),
                reason: format!(
                    "asset {} serves it and is in use after that day, its depreciation charged to the greenhouse: take the asset out of use first, on or before {date}",
                    record.asset.id
                ),
            }
            .into()),
            None => Ok(()),
        }
    }

    /// Whether any productive biological asset is in the register (its accounts 142 and
    /// 143 then take the book's postings as they are).
    pub(super) fn has_biological_assets(&self) -> bool {
        self.assets()
            .any(|record| record.asset.kind == AssetKind::ProductiveBiological)
    }
}
