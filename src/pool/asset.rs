//! Fixed assets other than greenhouses (machines, wells, sheds) and productive biological
//! assets (生产性生物资产: grape vines, fruit trees), with their depreciation by month,
//! straight-line or by units of work.
//!
//! DOMAIN.md's rule, as the 2021 system has it: fixed assets and productive biological
//! assets depreciate monthly after their residual value; an asset put into use in a month
//! starts the next month; one taken out of use in a month still depreciates that month
//! (当月增加当月不提，当月减少当月照提); a fully depreciated asset stops. A fixed asset is
//! booked to 151 固定资产 and depreciated through 152 累计折旧; a productive biological asset
//! to 142 生产性生物资产 and through 143 生产性生物资产累计折旧. Greenhouses are fixed assets
//! with a register of their own ([`Greenhouse`](crate::Greenhouse)).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::{GreenhouseId, Rounding, Yuan};

/// What kind of asset it is, which names its accounts.
///
/// # Example
///
/// ```
/// use landpool::AssetKind;
/// assert_eq!(AssetKind::Fixed.cost_code(), "151");
/// assert_eq!(AssetKind::ProductiveBiological.depreciation_code(), "143");
/// assert_eq!(
///     serde_json::to_string(&AssetKind::ProductiveBiological)?,
///     r#""productive_biological""#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    /// A fixed asset (固定资产): 151, depreciated through 152 累计折旧, taken out of use
    /// through 154 固定资产清理.
    Fixed,
    /// A productive biological asset (生产性生物资产: vines, fruit trees, breeding stock):
    /// 142, depreciated through 143 生产性生物资产累计折旧.
    ProductiveBiological,
}

impl AssetKind {
    /// The account of the asset's cost: `151` or `142`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::AssetKind;
    /// assert_eq!(AssetKind::Fixed.cost_code(), "151");
    /// assert_eq!(AssetKind::ProductiveBiological.cost_code(), "142");
    /// ```
    pub fn cost_code(self) -> &'static str {
        match self {
            AssetKind::Fixed => "151",
            AssetKind::ProductiveBiological => "142",
        }
    }

    /// The account its depreciation accumulates in: `152` or `143`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::AssetKind;
    /// assert_eq!(AssetKind::Fixed.depreciation_code(), "152");
    /// assert_eq!(AssetKind::ProductiveBiological.depreciation_code(), "143");
    /// ```
    pub fn depreciation_code(self) -> &'static str {
        match self {
            AssetKind::Fixed => "152",
            AssetKind::ProductiveBiological => "143",
        }
    }

    /// Its name in the 2021 system (`固定资产` or `生产性生物资产`).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::AssetKind;
    /// assert_eq!(AssetKind::Fixed.name_zh(), "固定资产");
    /// assert_eq!(AssetKind::ProductiveBiological.name_zh(), "生产性生物资产");
    /// ```
    pub fn name_zh(self) -> &'static str {
        match self {
            AssetKind::Fixed => "固定资产",
            AssetKind::ProductiveBiological => "生产性生物资产",
        }
    }
}

/// How an asset depreciates: straight-line over a useful life in months, or by units of
/// work (工作量法) over the units it is expected to give in its life.
///
/// Either way the amount depreciated through a month is computed on the running total and
/// rounded once to the fen, half away from zero, so the months add up to the depreciable
/// amount exactly: straight-line, month *k* of *L* brings the total to `round(D×k/L)`; by
/// units of work, with *U* units recorded through the month of *T* expected, to
/// `round(D×min(U,T)/T)`, where `D` is cost less residual value.
///
/// The JSON form is an object tagged by `method`; units are a decimal string.
///
/// # Example
///
/// ```
/// use landpool::DepreciationMethod;
/// use rust_decimal_macros::dec;
///
/// let months: DepreciationMethod =
///     serde_json::from_str(r#"{"method":"straight_line","life_months":120}"#)?;
/// assert_eq!(months, DepreciationMethod::StraightLine { life_months: 120 });
/// let units = DepreciationMethod::UnitsOfWork { total_units: dec!(2000) };
/// assert_eq!(
///     serde_json::to_string(&units)?,
///     r#"{"method":"units_of_work","total_units":"2000"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum DepreciationMethod {
    /// Straight-line (年限平均法) by month over the useful life.
    StraightLine {
        /// The useful life in months, from 1 to 1200.
        life_months: u32,
    },
    /// By units of work (工作量法): machine hours, kilometres, or the kilograms a vineyard is
    /// expected to bear, recorded month by month
    /// ([`Event::AssetWorkRecorded`](crate::Event::AssetWorkRecorded)).
    UnitsOfWork {
        /// The units expected over the asset's life, above zero.
        #[serde(with = "crate::exact_decimal")]
        total_units: Decimal,
    },
}

/// An asset other than a greenhouse: a fixed asset (a machine, a well, a shed) or a
/// productive biological asset (the vines planted in a greenhouse), the cost booked when it
/// is put into use ([`Event::AssetAcquired`](crate::Event::AssetAcquired)) and depreciated
/// monthly ([`Event::DepreciationBooked`](crate::Event::DepreciationBooked)) from the month
/// after `in_use`.
///
/// The depreciation is charged to the operating expenses of the greenhouse the asset
/// serves (`521.<greenhouse>`, the cost policy of [`Greenhouse`](crate::Greenhouse)), or to
/// 523 管理费用 when it serves none.
///
/// # Example
///
/// ```
/// use landpool::{Asset, AssetKind, DepreciationMethod, Yuan};
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// // Vines in greenhouse GH01, bearing from April 2021: 36,000 yuan over ten years.
/// let vines = Asset {
///     id: "V01".parse()?,
///     name: "一号棚葡萄树".into(),
///     kind: AssetKind::ProductiveBiological,
///     in_use: date!(2021 - 03 - 31),
///     cost: "36000".parse()?,
///     residual: "0".parse()?,
///     depreciation: DepreciationMethod::StraightLine { life_months: 120 },
///     greenhouse: Some("GH01".parse()?),
/// };
/// assert_eq!(vines.cumulative_depreciation(1, dec!(0))?, Yuan::from_yuan(300)?);
/// // A tractor by the hours it works: 80,000 less 8,000 over 10,000 hours.
/// let tractor = Asset {
///     id: "T01".parse()?,
///     name: "拖拉机".into(),
///     kind: AssetKind::Fixed,
///     in_use: date!(2021 - 05 - 06),
///     cost: "80000".parse()?,
///     residual: "8000".parse()?,
///     depreciation: DepreciationMethod::UnitsOfWork { total_units: dec!(10000) },
///     greenhouse: None,
/// };
/// assert_eq!(tractor.cumulative_depreciation(3, dec!(125))?.to_string(), "900.00");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// The asset's id (a valid account segment: `V01`).
    pub id: crate::AssetId,
    /// Its name, for entries and reports (一号棚葡萄树).
    pub name: crate::Text,
    /// A fixed asset or a productive biological asset.
    pub kind: AssetKind,
    /// The day it was put into use (a vineyard: the day it starts to bear, 投产); its cost
    /// is booked that day and depreciation starts the next month.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::in_use"
    )]
    pub in_use: Date,
    /// Its cost, above zero.
    pub cost: Yuan,
    /// The residual value, from zero to the cost.
    pub residual: Yuan,
    /// How it depreciates: the method and its life (in the JSON form, an object tagged
    /// by `method`).
    pub depreciation: DepreciationMethod,
    /// The greenhouse it serves, whose operating expenses (`521.<greenhouse>`) take its
    /// depreciation; `None` (absent in the JSON form) for 523 管理费用.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greenhouse: Option<GreenhouseId>,
}

impl Asset {
    /// The amount to depreciate over its life: cost less residual value.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] if the difference does not fit (not for valid amounts).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Asset, AssetKind, DepreciationMethod, Yuan};
    /// use time::macros::date;
    ///
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
    /// assert_eq!(well.depreciable()?, Yuan::from_yuan(11_400)?);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn depreciable(&self) -> crate::Result<Yuan> {
        self.cost.checked_sub(self.residual)
    }

    /// The depreciation of its first `months` months of use, with `units` of work recorded
    /// over them, rounded once to the fen (half away from zero). Straight-line reads
    /// `months` (past the useful life they count as the whole life); by units of work,
    /// `units` (past the units expected they count as all of them).
    ///
    /// # Errors
    ///
    /// [`crate::Error::DivideByZero`] for a life of zero months or zero units;
    /// [`crate::Error::Overflow`] for amounts out of range.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Asset, AssetKind, DepreciationMethod, Yuan};
    /// use rust_decimal_macros::dec;
    /// use time::macros::date;
    ///
    /// let pump = Asset {
    ///     id: "P01".parse()?,
    ///     name: "水泵".into(),
    ///     kind: AssetKind::Fixed,
    ///     in_use: date!(2020 - 04 - 01),
    ///     cost: "1000".parse()?,
    ///     residual: "100".parse()?,
    ///     depreciation: DepreciationMethod::UnitsOfWork { total_units: dec!(7) },
    ///     greenhouse: None,
    /// };
    /// // 900 over 7 units, rounded once on the running total.
    /// assert_eq!(pump.cumulative_depreciation(1, dec!(1))?, Yuan::from_fen(12_857));
    /// assert_eq!(pump.cumulative_depreciation(2, dec!(2.5))?, Yuan::from_fen(32_143));
    /// assert_eq!(pump.cumulative_depreciation(9, dec!(8))?, Yuan::from_yuan(900)?);
    /// let months = Asset { depreciation: DepreciationMethod::StraightLine { life_months: 7 }, ..pump };
    /// assert_eq!(months.cumulative_depreciation(2, dec!(0))?, Yuan::from_fen(25_714));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn cumulative_depreciation(&self, months: u32, units: Decimal) -> crate::Result<Yuan> {
        let (used, life) = match self.depreciation {
            DepreciationMethod::StraightLine { life_months } => (
                Decimal::from(months.min(life_months)),
                Decimal::from(life_months),
            ),
            DepreciationMethod::UnitsOfWork { total_units } => {
                (units.min(total_units).max(Decimal::ZERO), total_units)
            }
        };
        Yuan::from_product(
            &[self.depreciable()?.to_decimal(), used],
            life,
            Rounding::HalfAwayFromZero,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn asset(depreciation: DepreciationMethod) -> Asset {
        Asset {
            id: crate::AssetId::new("A1").unwrap_or_else(|_| unreachable!()),
            name: "a".into(),
            kind: AssetKind::Fixed,
            in_use: date!(2020 - 01 - 15),
            cost: Yuan::from_fen(100_000),
            residual: Yuan::from_fen(10_000),
            depreciation,
            greenhouse: None,
        }
    }

    #[test]
    fn units_of_work_add_up_to_the_depreciable_amount() -> crate::Result<()> {
        let three = asset(DepreciationMethod::UnitsOfWork {
            total_units: dec!(3),
        });
        // 900.00 over three units: 300.00 each; a third of a unit is 100.00.
        assert_eq!(three.cumulative_depreciation(0, dec!(0))?, Yuan::ZERO);
        assert_eq!(
            three.cumulative_depreciation(1, dec!(0.3333))?,
            Yuan::from_fen(9_999)
        );
        assert_eq!(
            three.cumulative_depreciation(5, dec!(3))?,
            Yuan::from_fen(90_000)
        );
        assert_eq!(
            three.cumulative_depreciation(5, dec!(30))?,
            Yuan::from_fen(90_000)
        );
        let none = asset(DepreciationMethod::UnitsOfWork {
            total_units: dec!(0),
        });
        assert!(matches!(
            none.cumulative_depreciation(1, dec!(1)),
            Err(crate::Error::DivideByZero { .. })
        ));
        let no_life = asset(DepreciationMethod::StraightLine { life_months: 0 });
        assert!(matches!(
            no_life.cumulative_depreciation(1, dec!(0)),
            Err(crate::Error::DivideByZero { .. })
        ));
        Ok(())
    }

    #[test]
    fn json_form_is_tagged_and_strict() -> Result<(), serde_json::Error> {
        let json = r#"{"id":"A1","name":"a","kind":"fixed","in_use":"2020-01-15","cost":"1000.00","residual":"100.00","depreciation":{"method":"units_of_work","total_units":"3"}}"#;
        let read: Asset = serde_json::from_str(json)?;
        assert_eq!(
            read,
            asset(DepreciationMethod::UnitsOfWork {
                total_units: dec!(3)
            })
        );
        assert_eq!(serde_json::to_string(&read)?, json);
        let extra = json.replace(
            r#""total_units":"3""#,
            r#""total_units":"3","life_months":2"#,
        );
        assert!(serde_json::from_str::<Asset>(&extra).is_err());
        let float = json.replace(r#""3""#, "3");
        assert!(serde_json::from_str::<Asset>(&float).is_err());
        Ok(())
    }
}
