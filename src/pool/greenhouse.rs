//! Greenhouses (大棚), their produce and their costs: the data the operations events carry.
//!
//! The cost policy is the simpler one DOMAIN.md allows, stated here and in the events' docs:
//! operating costs are booked straight to 521 经营支出, one sub-account per greenhouse
//! (`521.GH01`, opened when the greenhouse is built), rather than gathered in 401 生产成本
//! and moved through 121 产品物资. Administrative costs go to 523 管理费用. Revenue goes to
//! 501 经营收入, one sub-account per crop (`501.GRAPE`, opened at the first sale).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{CropId, GreenhouseId, Mu, Yuan};

/// A greenhouse (大棚): its area taken from the pooled land, its crop, and the fixed asset it
/// is.
///
/// The construction cost is a fixed asset (Dr 151 固定资产). It depreciates straight-line by
/// month over `life_months` after `residual` (Dr `521.<greenhouse>` / Cr 152 累计折旧),
/// starting the month after `built`; once fully depreciated it stops. The monthly charge uses
/// cumulative rounding: month *k* of *L* is `round(D×k/L) − round(D×(k−1)/L)` with
/// `D = cost − residual`, half away from zero, so the months add up to `D` exactly.
///
/// Cost policy: operating costs of the greenhouse (inputs, labour, depreciation) are booked
/// straight to 521 经营支出 under its own sub-account, the simpler policy DOMAIN.md allows,
/// not through 401 生产成本 and 121 产品物资.
///
/// # Example
///
/// ```
/// use landpool::Greenhouse;
/// use time::macros::date;
///
/// let greenhouse = Greenhouse {
///     id: "GH01".parse()?,
///     name: "一号棚".into(),
///     area: "7.1429".parse()?,
///     crop: "GRAPE".parse()?,
///     built: date!(2019 - 03 - 10),
///     cost: "100000".parse()?,
///     residual: "4000".parse()?,
///     life_months: 120,
/// };
/// assert_eq!(greenhouse.depreciable()?.to_string(), "96000.00");
/// assert_eq!(greenhouse.cumulative_depreciation(1)?.to_string(), "800.00");
/// assert_eq!(greenhouse.cumulative_depreciation(500)?.to_string(), "96000.00");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Greenhouse {
    /// The greenhouse's id (a valid account segment: `GH01`).
    pub id: GreenhouseId,
    /// Its name, for account names and reports (一号棚).
    pub name: crate::Text,
    /// Its area, above zero, taken from the pooled land.
    pub area: Mu,
    /// The crop grown in it.
    pub crop: CropId,
    /// The day it was put into use; depreciation starts the next month.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::built"
    )]
    pub built: Date,
    /// The construction cost, above zero.
    pub cost: Yuan,
    /// The residual value, from zero to the cost.
    pub residual: Yuan,
    /// The useful life in months, at least one (and at most 1200).
    pub life_months: u32,
}

impl Greenhouse {
    /// The amount to depreciate over the useful life: cost less residual value.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] if the difference does not fit (not for valid amounts).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Greenhouse, Yuan};
    /// use time::macros::date;
    ///
    /// let greenhouse = Greenhouse {
    ///     id: "GH02".parse()?,
    ///     name: "二号棚".into(),
    ///     area: "2".parse()?,
    ///     crop: "GRAPE".parse()?,
    ///     built: date!(2019 - 03 - 10),
    ///     cost: "1000".parse()?,
    ///     residual: "100".parse()?,
    ///     life_months: 7,
    /// };
    /// assert_eq!(greenhouse.depreciable()?, Yuan::from_yuan(900)?);
    /// let scrap = Greenhouse { residual: greenhouse.cost, ..greenhouse };
    /// assert_eq!(scrap.depreciable()?, Yuan::ZERO);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn depreciable(&self) -> crate::Result<Yuan> {
        self.cost.checked_sub(self.residual)
    }

    /// The depreciation of the first `months` months of use, rounded once to the fen (half
    /// away from zero); `months` past the useful life count as the whole life.
    ///
    /// # Errors
    ///
    /// [`crate::Error::DivideByZero`] for a useful life of zero months;
    /// [`crate::Error::Overflow`] for amounts out of range.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Greenhouse, Yuan};
    /// use time::macros::date;
    ///
    /// let greenhouse = Greenhouse {
    ///     id: "GH02".parse()?,
    ///     name: "二号棚".into(),
    ///     area: "2".parse()?,
    ///     crop: "GRAPE".parse()?,
    ///     built: date!(2019 - 03 - 10),
    ///     cost: "1000".parse()?,
    ///     residual: "100".parse()?,
    ///     life_months: 7,
    /// };
    /// // 900 over 7 months, rounded once on the running total: 128.57, 257.14, …
    /// assert_eq!(greenhouse.cumulative_depreciation(0)?, Yuan::ZERO);
    /// assert_eq!(greenhouse.cumulative_depreciation(1)?, Yuan::from_fen(12_857));
    /// assert_eq!(greenhouse.cumulative_depreciation(2)?, Yuan::from_fen(25_714));
    /// assert_eq!(greenhouse.cumulative_depreciation(7)?, Yuan::from_yuan(900)?);
    /// assert_eq!(greenhouse.cumulative_depreciation(8)?, Yuan::from_yuan(900)?);
    /// let no_life = Greenhouse { life_months: 0, ..greenhouse };
    /// let refused = no_life.cumulative_depreciation(1);
    /// assert!(matches!(refused, Err(landpool::Error::DivideByZero { .. })));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn cumulative_depreciation(&self, months: u32) -> crate::Result<Yuan> {
        let months = months.min(self.life_months);
        Yuan::from_product(
            &[
                self.depreciable()?.to_decimal(),
                rust_decimal::Decimal::from(months),
            ],
            rust_decimal::Decimal::from(self.life_months),
            crate::Rounding::HalfAwayFromZero,
        )
    }
}

/// How a sale is paid: in cash, into the bank, or on credit (应收款).
///
/// # Example
///
/// ```
/// use landpool::SalePayment;
/// assert_eq!(SalePayment::Credit.code(), "113");
/// assert_eq!(serde_json::to_string(&SalePayment::Bank)?, r#""bank""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalePayment {
    /// Paid in cash: Dr 101 库存现金.
    Cash,
    /// Paid into the bank: Dr 102 银行存款.
    Bank,
    /// Sold on credit: Dr 113 应收款.
    Credit,
}

impl SalePayment {
    /// The account debited (`101`, `102` or `113`).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::SalePayment;
    /// assert_eq!(SalePayment::Cash.code(), "101");
    /// assert_eq!(SalePayment::Bank.code(), "102");
    /// assert_eq!(SalePayment::Credit.code(), "113");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            SalePayment::Cash => "101",
            SalePayment::Bank => "102",
            SalePayment::Credit => "113",
        }
    }
}

/// How a cost (or an asset) is paid: in cash, from the bank, or owed (应付款).
///
/// # Example
///
/// ```
/// use landpool::CostPayment;
/// assert_eq!(CostPayment::Payable.code(), "211");
/// assert_eq!(serde_json::to_string(&CostPayment::Cash)?, r#""cash""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostPayment {
    /// Paid in cash: Cr 101 库存现金.
    Cash,
    /// Paid from the bank: Cr 102 银行存款.
    Bank,
    /// Owed to the supplier: Cr 211 应付款.
    Payable,
}

impl CostPayment {
    /// The account credited (`101`, `102` or `211`).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::CostPayment;
    /// assert_eq!(CostPayment::Cash.code(), "101");
    /// assert_eq!(CostPayment::Bank.code(), "102");
    /// assert_eq!(CostPayment::Payable.code(), "211");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            CostPayment::Cash => "101",
            CostPayment::Bank => "102",
            CostPayment::Payable => "211",
        }
    }
}

/// What a cost was for.
///
/// # Example
///
/// ```
/// use landpool::CostKind;
/// assert_eq!(CostKind::Fertiliser.name_zh(), "肥料");
/// assert_eq!(serde_json::to_string(&CostKind::WaterAndPower)?, r#""water_and_power""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    /// Seedlings (种苗).
    Seedlings,
    /// Fertiliser (肥料).
    Fertiliser,
    /// Greenhouse film (棚膜).
    Film,
    /// Water and power (水电费).
    WaterAndPower,
    /// Fees of the experts who guide the growers (专家指导费).
    ExpertFees,
    /// Anything else (其他).
    Other,
}

impl CostKind {
    /// The Chinese name, for memos.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::CostKind;
    /// assert_eq!(CostKind::Film.name_zh(), "棚膜");
    /// assert_eq!(CostKind::ExpertFees.name_zh(), "专家指导费");
    /// assert_eq!(CostKind::Other.name_zh(), "其他");
    /// ```
    pub fn name_zh(self) -> &'static str {
        match self {
            CostKind::Seedlings => "种苗",
            CostKind::Fertiliser => "肥料",
            CostKind::Film => "棚膜",
            CostKind::WaterAndPower => "水电费",
            CostKind::ExpertFees => "专家指导费",
            CostKind::Other => "其他",
        }
    }
}

/// Where a cost is charged.
///
/// # Example
///
/// ```
/// use landpool::CostTarget;
/// let shared = CostTarget::SharedByArea(vec!["GH01".parse()?, "GH02".parse()?]);
/// assert_eq!(serde_json::to_string(&shared).unwrap(), r#"{"shared_by_area":["GH01","GH02"]}"#);
/// assert_eq!(serde_json::to_string(&CostTarget::Administration).unwrap(), r#""administration""#);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostTarget {
    /// One greenhouse: Dr `521.<greenhouse>`.
    Greenhouse(GreenhouseId),
    /// These greenhouses, split in proportion to their areas with
    /// [`allocate`](crate::allocate()) (exact to the fen).
    SharedByArea(Vec<GreenhouseId>),
    /// Every greenhouse in use on the date, split by area.
    AllGreenhouses,
    /// Administration: Dr 523 管理费用.
    Administration,
}

/// A harvest of one greenhouse, as the register keeps it.
///
/// # Example
///
/// ```
/// use landpool::Harvest;
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let harvest = Harvest { date: date!(2019 - 08 - 01), kg: dec!(3500), grade: "一级".into() };
/// assert_eq!(serde_json::to_string(&harvest).unwrap(), r#"{"date":"2019-08-01","kg":"3500","grade":"一级"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Harvest {
    /// The day of the harvest.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::date"
    )]
    pub date: Date,
    /// Kilograms harvested, above zero.
    #[serde(with = "crate::exact_decimal")]
    pub kg: rust_decimal::Decimal,
    /// The grade (一级, 二级, …).
    pub grade: crate::Text,
}

/// A sale of one greenhouse's produce, as the register keeps it.
///
/// # Example
///
/// ```
/// use landpool::{Sale, SalePayment};
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let sale = Sale {
///     date: date!(2019 - 08 - 02), kg: dec!(3500), price_per_kg: dec!(8.00),
///     amount: "28000".parse()?, buyer: "青岛果品批发市场".into(), payment: SalePayment::Bank,
/// };
/// assert_eq!(sale.amount.to_string(), "28000.00");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sale {
    /// The day of the sale.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::date"
    )]
    pub date: Date,
    /// Kilograms sold.
    #[serde(with = "crate::exact_decimal")]
    pub kg: rust_decimal::Decimal,
    /// Yuan per kilogram.
    #[serde(with = "crate::exact_decimal")]
    pub price_per_kg: rust_decimal::Decimal,
    /// `kg × price_per_kg`, rounded once to the fen, half away from zero.
    pub amount: Yuan,
    /// Who bought it.
    pub buyer: crate::Text,
    /// How it was paid.
    pub payment: SalePayment,
}
