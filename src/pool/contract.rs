//! Land transfer and land-share contracts, their rent terms, and the exact rent they earn.
//!
//! ## How rent is computed
//!
//! Rent is per mu per year. For any span of days the rent is the sum, over the days, of
//! `area that day × annual rate that day ÷ days in that year` (pro-rating by actual days), or
//! of `area × rate ÷ 12 ÷ days in that month of the contract` (pro-rating by months and days,
//! 按月计算，不足一月的按实际天数计算: a whole month is 1/12 of a year, each day of a
//! part-month that month's rent ÷ its days). The months of a contract are counted from its
//! start's day: from 16 January a month runs to 15 February, the next from 16 February to 15
//! March; where a calendar month has no such day the month starts on its last day (from 31
//! January: 31 January – 27 February, then 28 February – 30 March, 31 March – 29 April, …),
//! as anniversaries do, so twelve months are a contract year and a whole year is the year's
//! rent exactly. A contract starting on the 1st has calendar months. By actual days, a day is
//! a share of its calendar year, so a contract year that spans 1 January is a whole year's
//! rent only when the two calendar years have as many days (2019-07-01 to 2020-06-30 at 1000
//! yuan on 100 mu: 184 days of 365 and 182 of 366, 100,137.73 yuan). The sum is exact (see
//! below) and rounded once, half away from zero, to the fen.
//!
//! So that accruals for any split of a span (month by month, or a year at once) add up to the
//! same fen, the rent booked for a period `[from, to]` is `C(to) − C(from − 1)`, where `C(t)` is
//! the exact rent from the contract's start through `t`, rounded to the fen. The parts of any
//! partition telescope to the whole.
//!
//! Rates by kind of terms:
//! - **fixed**: the same rate every year;
//! - **stepped** (每N年递增X%): contract years are counted from the start date; every
//!   `every_years` years the rate becomes the previous rate × (1 + X%), rounded to the fen as
//!   the contract's rent schedule prints it (1000 → 1050 → 1102.50 → 1157.63 at 5%);
//! - **grain-indexed** (实物计租): `quantity per mu × price per unit`, the price being the one
//!   recorded for the first day of each `reset_every_years`-year period of the contract (the
//!   start date and its anniversaries), so the rate is fixed for that period. The price is
//!   the one recorded per the contract's unit, or, when only a price per the other unit is
//!   recorded for that day, that price converted exactly (a jin is 0.5 kg: 2.36 yuan per kg
//!   is 1.18 per jin).
//! - **land shares** (土地入股): the guaranteed payment (保底) `shares per mu × guaranteed yuan per
//!   share` per mu per year, booked like rent.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::ledger::AccountCode;
use crate::pool::PoolError;
use crate::rounding::{days_of_year, months_and_days, ExactYuan};
use crate::{ContractId, Error, MemberId, Mu, ParcelId, Result, Rounding, Yuan};

/// The unit a grain-indexed rent is measured in.
///
/// # Example
///
/// ```
/// assert_eq!(landpool::GrainUnit::Jin.name(), "jin");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrainUnit {
    /// 斤, 0.5 kg.
    Jin,
    /// Kilogram (公斤).
    Kg,
}

impl GrainUnit {
    /// The unit's name in English (`jin`, `kg`).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::GrainUnit::Kg.name(), "kg");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            GrainUnit::Jin => "jin",
            GrainUnit::Kg => "kg",
        }
    }

    /// The other unit: kg for jin, jin for kg.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::GrainUnit;
    /// assert_eq!(GrainUnit::Jin.other(), GrainUnit::Kg);
    /// assert_eq!(GrainUnit::Kg.other(), GrainUnit::Jin);
    /// ```
    pub fn other(self) -> GrainUnit {
        match self {
            GrainUnit::Jin => GrainUnit::Kg,
            GrainUnit::Kg => GrainUnit::Jin,
        }
    }

    /// The price per this unit of grain priced `price` per `unit`, exactly: a jin is
    /// 0.5 kg, so a price per kg is twice the price per jin. `None` if it does not fit in a
    /// `Decimal`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::GrainUnit;
    /// use rust_decimal_macros::dec;
    /// assert_eq!(GrainUnit::Jin.price_from(GrainUnit::Kg, dec!(2.35)), Some(dec!(1.175)));
    /// assert_eq!(GrainUnit::Kg.price_from(GrainUnit::Jin, dec!(1.18)), Some(dec!(2.36)));
    /// assert_eq!(GrainUnit::Kg.price_from(GrainUnit::Kg, dec!(2.36)), Some(dec!(2.36)));
    /// ```
    pub fn price_from(self, unit: GrainUnit, price: Decimal) -> Option<Decimal> {
        match (unit, self) {
            (GrainUnit::Jin, GrainUnit::Jin) | (GrainUnit::Kg, GrainUnit::Kg) => Some(price),
            // Half of a price: exact, one more decimal place.
            (GrainUnit::Kg, GrainUnit::Jin) => price.checked_mul(Decimal::new(5, 1)),
            (GrainUnit::Jin, GrainUnit::Kg) => price.checked_mul(Decimal::TWO),
        }
    }
}

/// How the rent of a land transfer contract is set.
///
/// # Example
///
/// ```
/// use landpool::RentTerms;
/// use rust_decimal_macros::dec;
///
/// let fixed = RentTerms::Fixed { yuan_per_mu: dec!(1000) };
/// assert_eq!(serde_json::to_string(&fixed)?, r#"{"terms":"fixed","yuan_per_mu":"1000"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "terms", rename_all = "snake_case", deny_unknown_fields)]
pub enum RentTerms {
    /// N yuan per mu per year.
    Fixed {
        /// Yuan per mu per year.
        #[serde(with = "crate::exact_decimal")]
        yuan_per_mu: Decimal,
    },
    /// Starts at `yuan_per_mu` and rises by `step_percent` % every `every_years` years.
    Stepped {
        /// Yuan per mu per year in the first years.
        #[serde(with = "crate::exact_decimal")]
        yuan_per_mu: Decimal,
        /// The rise at each step, in percent (5 for 5%).
        #[serde(with = "crate::exact_decimal")]
        step_percent: Decimal,
        /// Years between steps, at least one.
        every_years: u32,
    },
    /// A quantity of a crop per mu, valued at the price recorded for the first day of each
    /// `reset_every_years`-year period: per the contract's unit, or else per the other unit,
    /// converted (a jin is 0.5 kg).
    GrainIndexed {
        /// The crop (`wheat`, `小麦`, …), as the grain prices are recorded: not blank, and
        /// without white space before or after it, which would never match a price (a contract
        /// naming such a crop is refused when signed).
        crop: String,
        /// Jin or kg.
        unit: GrainUnit,
        /// Quantity per mu per year.
        #[serde(with = "crate::exact_decimal")]
        quantity_per_mu: Decimal,
        /// Years for which a price holds, at least one.
        reset_every_years: u32,
    },
}

/// How a part of a year is charged.
///
/// # Example
///
/// ```
/// assert_eq!(serde_json::to_string(&landpool::ProRating::ActualDays)?, r#""actual_days""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProRating {
    /// Days ÷ days in that year (365 or 366).
    ActualDays,
    /// Whole months at 1/12 of a year, the months counted from the contract's start day (from
    /// 16 January, 16 January – 15 February is one month); the days of a part-month at 1/12
    /// × days ÷ days in that month of the contract (16 February – 15 March: 28 or 29).
    MonthsAndDays,
}

/// When each year's rent is due.
///
/// # Example
///
/// ```
/// use landpool::PaymentTerms;
/// let terms = PaymentTerms::InAdvance { month: 3, day: 1 };
/// assert_eq!(serde_json::to_string(&terms)?, r#"{"payment":"in_advance","month":3,"day":1}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "payment", rename_all = "snake_case", deny_unknown_fields)]
pub enum PaymentTerms {
    /// The year's rent is paid in advance by this month and day (before planting).
    InAdvance {
        /// Month, 1 to 12.
        month: u8,
        /// Day of the month.
        day: u8,
    },
    /// The year's rent is paid after the year, by this month and day of the next year.
    InArrears {
        /// Month, 1 to 12.
        month: u8,
        /// Day of the month.
        day: u8,
    },
}

impl PaymentTerms {
    /// The date the rent for calendar year `year` is due.
    ///
    /// # Errors
    ///
    /// [`PoolError::NotAllowed`] when the month and day do not form a date in that year.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::PaymentTerms;
    /// use time::macros::date;
    /// assert_eq!(PaymentTerms::InAdvance { month: 3, day: 1 }.due_date(2019)?, date!(2019 - 03 - 01));
    /// assert_eq!(PaymentTerms::InArrears { month: 1, day: 15 }.due_date(2019)?, date!(2020 - 01 - 15));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn due_date(self, year: i32) -> Result<Date> {
        let (year, month, day) = match self {
            PaymentTerms::InAdvance { month, day } => (year, month, day),
            PaymentTerms::InArrears { month, day } => (year.saturating_add(1), month, day),
        };
        Month::try_from(month)
            .ok()
            .and_then(|m| Date::from_calendar_date(year, m, day).ok())
            .ok_or_else(|| {
                Error::from(PoolError::NotAllowed {
                    what: format!("payment terms {month}-{day}"),
                    reason: format!("{year}-{month:02}-{day:02} is not a date; give a month 1-12 and a day in it"),
                })
            })
    }
}

/// What a contract is: a land transfer for rent, or land contributed as shares.
///
/// # Example
///
/// ```
/// use landpool::{ContractKind, RentTerms};
/// use rust_decimal_macros::dec;
/// let kind = ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } };
/// assert!(matches!(kind, ContractKind::Transfer { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ContractKind {
    /// Land transferred (流转) to the cooperative for rent.
    Transfer {
        /// The rent terms.
        rent: RentTerms,
    },
    /// Land-use rights contributed as shares (土地入股): booked as capital (Dr 161 / Cr 301
    /// for the member) at `value_per_share` a share, amortised through 162 over the term; a
    /// guaranteed payment per share per year (保底) booked like rent; and share-days for the
    /// second dividend (二次分红) at year end.
    LandShares {
        /// Shares per mu (1 for "1 mu = 1 share").
        #[serde(with = "crate::exact_decimal")]
        shares_per_mu: Decimal,
        /// The capital value of one share, in yuan.
        value_per_share: Yuan,
        /// The guaranteed payment per share per year, in yuan.
        #[serde(with = "crate::exact_decimal")]
        guaranteed_per_share: Decimal,
    },
}

/// Part of a parcel's area put into the pool by a contract.
///
/// # Example
///
/// ```
/// let line = landpool::ContractLine { parcel: "P001".parse()?, area: "1.35".parse()? };
/// assert_eq!(line.area.to_string(), "1.35");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractLine {
    /// The parcel.
    pub parcel: ParcelId,
    /// The area of it contracted (at most the parcel's area).
    pub area: Mu,
}

/// A contract putting a household's land into the pool for a term.
///
/// # Example
///
/// ```
/// use landpool::{Contract, ContractKind, ContractLine, PaymentTerms, ProRating, RentTerms};
/// use landpool::ledger::AccountCode;
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let contract = Contract {
///     id: "C001".parse()?,
///     member: "M001".parse()?,
///     lines: vec![ContractLine { parcel: "P001".parse()?, area: "2".parse()? }],
///     start: date!(2019 - 03 - 15),
///     end: date!(2019 - 12 - 31),
///     kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } },
///     pro_rating: ProRating::ActualDays,
///     payment: PaymentTerms::InAdvance { month: 3, day: 15 },
///     charge_to: AccountCode::new("401")?,
/// };
/// assert_eq!(contract.area()?.to_string(), "2.00");
/// # Ok::<(), landpool::Error>(())
/// ```
///
/// In JSON the kind's tag and fields are among the contract's; a field the contract (of that
/// kind) does not have is refused, as is a field given twice:
///
/// ```
/// let json = r#"{"id":"C001","member":"M001","lines":[],"start":"2019-03-15","end":"2019-12-31","kind":"transfer","rent":{"terms":"fixed","yuan_per_mu":"1000"},"shares_per_mu":"1","pro_rating":"actual_days","payment":{"payment":"in_advance","month":3,"day":15},"charge_to":"401"}"#;
/// let error = serde_json::from_str::<landpool::Contract>(json).err().map(|e| e.to_string());
/// assert_eq!(
///     error.as_deref(),
///     Some(concat!(
///         "unknown field `shares_per_mu`, expected one of `id`, `member`, `lines`, `start`, ",
///         "`end`, `kind`, `rent`, `pro_rating`, `payment`, `charge_to` at line 1 column 263"
///     ))
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Contract {
    /// The contract's id.
    pub id: ContractId,
    /// The household (or other member) whose land it is.
    pub member: MemberId,
    /// The parcels, or parts of them, it covers.
    pub lines: Vec<ContractLine>,
    /// The first day of the term.
    #[serde(serialize_with = "crate::iso_date::write")]
    pub start: Date,
    /// The last day of the term.
    #[serde(serialize_with = "crate::iso_date::write")]
    pub end: Date,
    /// Transfer for rent, or land shares.
    #[serde(flatten)]
    pub kind: ContractKind,
    /// How part-years are charged.
    pub pro_rating: ProRating,
    /// When each year's rent is due.
    pub payment: PaymentTerms,
    /// The cost account rent is charged to: 401 生产成本 or one of its sub-accounts, or a
    /// sub-account of 521 经营支出 such as `521.RENT` (opened with
    /// [`Event::AccountOpened`](crate::Event::AccountOpened)) under the policy that books
    /// operating costs to 521 directly. Not 521 itself, which takes a sub-account for each
    /// greenhouse; and no account with sub-accounts of its own. Rent charged to 401 is
    /// production cost held as inventory (balance-sheet line 3): it reaches the year's
    /// surplus only when the accountant carries it on, Dr 121 / Cr 401 as the produce is
    /// finished and Dr 521 / Cr 121 as it is sold, with
    /// [`Event::ManualEntry`](crate::Event::ManualEntry); no event of the book moves it.
    /// A greenhouse's own account `521.<greenhouse>` takes the rent of land under that
    /// greenhouse, as long as it is in use: a contract charging a greenhouse taken out of
    /// use before the contract's last day is refused. From a day on, the rent can be charged
    /// elsewhere with [`Event::ContractChargeChanged`](crate::Event::ContractChargeChanged)
    /// (the book keeps the changes in
    /// [`ContractRecord::charges`](crate::ContractRecord::charges)); this field stays the
    /// account charged from the start.
    pub charge_to: AccountCode,
}

/// The tag of a [`ContractKind`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    Transfer,
    LandShares,
}

/// [`Contract`]'s JSON form, the kind's fields among the contract's, read flat: serde's
/// `deny_unknown_fields` does not work with a flattened field.
#[derive(Deserialize)]
#[serde(rename = "Contract", deny_unknown_fields)]
struct ContractForm {
    id: ContractId,
    member: MemberId,
    lines: Vec<ContractLine>,
    #[serde(deserialize_with = "crate::iso_date::field::start")]
    start: Date,
    #[serde(deserialize_with = "crate::iso_date::field::end")]
    end: Date,
    kind: KindTag,
    #[serde(default, deserialize_with = "super::flat::present")]
    rent: Option<RentTerms>,
    #[serde(default, deserialize_with = "super::flat::present_decimal")]
    shares_per_mu: Option<Decimal>,
    #[serde(default, deserialize_with = "super::flat::present")]
    value_per_share: Option<Yuan>,
    #[serde(default, deserialize_with = "super::flat::present_decimal")]
    guaranteed_per_share: Option<Decimal>,
    pro_rating: ProRating,
    payment: PaymentTerms,
    charge_to: AccountCode,
}

impl ContractForm {
    /// The contract's kind: its fields must all be given, another kind's not at all.
    fn kind<E: serde::de::Error>(&mut self) -> std::result::Result<ContractKind, E> {
        /// The fields of a transfer's object, and of a land-share contract's.
        const TRANSFER: &[&str] = &[
            "id",
            "member",
            "lines",
            "start",
            "end",
            "kind",
            "rent",
            "pro_rating",
            "payment",
            "charge_to",
        ];
        const LAND_SHARES: &[&str] = &[
            "id",
            "member",
            "lines",
            "start",
            "end",
            "kind",
            "shares_per_mu",
            "value_per_share",
            "guaranteed_per_share",
            "pro_rating",
            "payment",
            "charge_to",
        ];
        match self.kind {
            KindTag::Transfer => {
                let shares = [
                    ("shares_per_mu", self.shares_per_mu.is_some()),
                    ("value_per_share", self.value_per_share.is_some()),
                    ("guaranteed_per_share", self.guaranteed_per_share.is_some()),
                ];
                if let Some((field, _)) = shares.iter().find(|(_, given)| *given) {
                    return Err(E::unknown_field(field, TRANSFER));
                }
                let rent = self.rent.take().ok_or_else(|| E::missing_field("rent"))?;
                Ok(ContractKind::Transfer { rent })
            }
            KindTag::LandShares => {
                if self.rent.is_some() {
                    return Err(E::unknown_field("rent", LAND_SHARES));
                }
                Ok(ContractKind::LandShares {
                    shares_per_mu: self
                        .shares_per_mu
                        .ok_or_else(|| E::missing_field("shares_per_mu"))?,
                    value_per_share: self
                        .value_per_share
                        .ok_or_else(|| E::missing_field("value_per_share"))?,
                    guaranteed_per_share: self
                        .guaranteed_per_share
                        .ok_or_else(|| E::missing_field("guaranteed_per_share"))?,
                })
            }
        }
    }
}

impl super::flat::Form<'_> for ContractForm {
    type Value = Contract;
    const EXPECTING: &'static str = "a contract";

    fn finish<E: serde::de::Error>(mut self) -> std::result::Result<Contract, E> {
        Ok(Contract {
            kind: self.kind()?,
            id: self.id,
            member: self.member,
            lines: self.lines,
            start: self.start,
            end: self.end,
            pro_rating: self.pro_rating,
            payment: self.payment,
            charge_to: self.charge_to,
        })
    }
}

/// Reads a contract, refusing a field it does not have (another kind's included) and a
/// field given twice.
impl<'de> Deserialize<'de> for Contract {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Contract, D::Error> {
        super::flat::read::<D, ContractForm>(deserializer)
    }
}

impl Contract {
    /// The area the contract covers at signing: the sum of its lines.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] if the sum does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Contract, ContractKind, ContractLine, Mu};
    /// use landpool::{PaymentTerms, ProRating, RentTerms};
    /// use landpool::ledger::AccountCode;
    /// use rust_decimal_macros::dec;
    /// use time::macros::date;
    ///
    /// let contract = Contract {
    ///     id: "C002".parse()?,
    ///     member: "M001".parse()?,
    ///     lines: vec![
    ///         ContractLine { parcel: "P001".parse()?, area: "1.35".parse()? },
    ///         ContractLine { parcel: "P002".parse()?, area: "0.6".parse()? },
    ///     ],
    ///     start: date!(2019 - 01 - 01),
    ///     end: date!(2023 - 12 - 31),
    ///     kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } },
    ///     pro_rating: ProRating::ActualDays,
    ///     payment: PaymentTerms::InAdvance { month: 1, day: 1 },
    ///     charge_to: AccountCode::new("401")?,
    /// };
    /// assert_eq!(contract.area()?, "1.95".parse::<Mu>()?);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn area(&self) -> Result<Mu> {
        Mu::checked_sum(self.lines.iter().map(|line| line.area))
    }

    /// Whether the term covers `date`.
    ///
    /// # Example
    ///
    /// ```
    /// # use landpool::*; use landpool::ledger::AccountCode; use rust_decimal_macros::dec; use time::macros::date;
    /// # let contract = Contract { id: "C".parse()?, member: "M".parse()?, lines: vec![], start: date!(2019-03-15), end: date!(2019-12-31),
    /// #   kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } }, pro_rating: ProRating::ActualDays,
    /// #   payment: PaymentTerms::InAdvance { month: 3, day: 15 }, charge_to: AccountCode::new("401")? };
    /// assert!(contract.covers(date!(2019 - 03 - 15)));
    /// assert!(!contract.covers(date!(2020 - 01 - 01)));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn covers(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }

    /// The annual rate per mu, in yuan, in force on `date` (exact; see the module docs).
    /// `price` looks up a grain price recorded for a crop, unit and date.
    ///
    /// # Errors
    ///
    /// [`PoolError::OutsideTerm`] for a date outside the term; [`PoolError::GrainPriceMissing`]
    /// when a grain-indexed rate has no price for its period's first day; [`Error::Overflow`]
    /// when a stepped or grain-indexed rate does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// # use landpool::*; use landpool::ledger::AccountCode; use rust_decimal_macros::dec; use time::macros::date;
    /// let contract = Contract {
    ///     kind: ContractKind::Transfer {
    ///         rent: RentTerms::Stepped { yuan_per_mu: dec!(1000), step_percent: dec!(5), every_years: 3 },
    ///     },
    ///     start: date!(2019 - 01 - 01),
    ///     end: date!(2028 - 12 - 31),
    /// #   id: "C".parse()?, member: "M".parse()?, lines: vec![], pro_rating: ProRating::ActualDays,
    /// #   payment: PaymentTerms::InAdvance { month: 3, day: 15 }, charge_to: AccountCode::new("401")?,
    /// };
    /// let no_prices = |_: &str, _: GrainUnit, _| None;
    /// assert_eq!(contract.rate_on(date!(2021 - 12 - 31), &no_prices)?, dec!(1000));
    /// assert_eq!(contract.rate_on(date!(2022 - 01 - 01), &no_prices)?, dec!(1050));
    /// assert_eq!(contract.rate_on(date!(2025 - 06 - 01), &no_prices)?, dec!(1102.50));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn rate_on(&self, date: Date, price: &GrainPrices<'_>) -> Result<Decimal> {
        if !self.covers(date) {
            return Err(PoolError::OutsideTerm {
                contract: self.id.clone(),
                date,
                start: self.start,
                end: self.end,
            }
            .into());
        }
        self.rate_for_year(contract_year(self.start, date), price)
    }

    /// The annual rate per mu in contract year `year` (0 for the first).
    fn rate_for_year(&self, year: u32, price: &GrainPrices<'_>) -> Result<Decimal> {
        self.rate_for_year_after(year, &mut None, price)
    }

    /// [`Contract::rate_for_year`], going on from `stepped`, a stepped rate worked out before
    /// as `(steps, rate)`, when it is not past `year`'s steps, and leaving `year`'s there: a
    /// walk through the contract years then takes each step once, instead of every step
    /// from the first year again in every year (quadratic in the term).
    fn rate_for_year_after(
        &self,
        year: u32,
        stepped: &mut Option<(u32, Decimal)>,
        price: &GrainPrices<'_>,
    ) -> Result<Decimal> {
        match &self.kind {
            ContractKind::Transfer { rent } => match rent {
                RentTerms::Fixed { yuan_per_mu } => Ok(*yuan_per_mu),
                RentTerms::Stepped {
                    yuan_per_mu,
                    step_percent,
                    every_years,
                } => {
                    let steps = year.checked_div((*every_years).max(1)).unwrap_or(0);
                    let (mut done, mut rate) = match *stepped {
                        Some((done, rate)) if done <= steps => (done, rate),
                        _ => (0, *yuan_per_mu),
                    };
                    if done == steps {
                        return Ok(rate);
                    }
                    // step ÷ 100 is exact: the same digits two places further right (a
                    // division only where the scale has no room left).
                    let factor = step_percent
                        .scale()
                        .checked_add(2)
                        .and_then(|scale| {
                            Decimal::try_from_i128_with_scale(step_percent.mantissa(), scale).ok()
                        })
                        .or_else(|| step_percent.checked_div(Decimal::ONE_HUNDRED))
                        .and_then(|step| Decimal::ONE.checked_add(step))
                        .ok_or_else(|| Error::Overflow {
                            operation: format!("rent step factor of contract {}", self.id),
                        })?;
                    while done < steps {
                        rate = Yuan::from_product(
                            &[rate, factor],
                            Decimal::ONE,
                            Rounding::HalfAwayFromZero,
                        )?
                        .to_decimal();
                        done = done.saturating_add(1);
                    }
                    *stepped = Some((steps, rate));
                    Ok(rate)
                }
                RentTerms::GrainIndexed {
                    crop,
                    unit,
                    quantity_per_mu,
                    reset_every_years,
                } => {
                    let reset = (*reset_every_years).max(1);
                    // year ÷ reset × reset ≤ year: neither step can overflow.
                    let period_start = anniversary(
                        self.start,
                        year.checked_div(reset)
                            .and_then(|periods| periods.checked_mul(reset))
                            .unwrap_or(0),
                    );
                    let unit_price = grain_price(crop, *unit, period_start, price)
                        .ok_or_else(|| PoolError::GrainPriceMissing {
                            contract: self.id.clone(),
                            crop: crop.clone(),
                            unit: unit.name(),
                            date: period_start,
                        })?
                        .ok_or_else(|| Error::Overflow {
                            operation: format!(
                                "price of {crop} per {} on {period_start} for contract {}, converted from the price per {}",
                                unit.name(),
                                self.id,
                                unit.other().name()
                            ),
                        })?;
                    rate_places(
                        || {
                            format!(
                                "contract {}: quantity per mu × price of {crop} per {} on {period_start}",
                                self.id,
                                unit.name()
                            )
                        },
                        &[*quantity_per_mu, unit_price],
                    )?;
                    quantity_per_mu
                        .checked_mul(unit_price)
                        .ok_or_else(|| Error::Overflow {
                            operation: format!(
                                "{quantity_per_mu} × {unit_price} for contract {}",
                                self.id
                            ),
                        })
                }
            },
            ContractKind::LandShares {
                shares_per_mu,
                guaranteed_per_share,
                ..
            } => shares_per_mu
                .checked_mul(*guaranteed_per_share)
                .ok_or_else(|| Error::Overflow {
                    operation: format!(
                        "{shares_per_mu} × {guaranteed_per_share} for contract {}",
                        self.id
                    ),
                }),
        }
    }
}

/// The most decimal places of a contract's rate per mu: rent is computed exactly to
/// 16 places (`ExactYuan`), of which an area takes 4.
pub(crate) const RATE_PLACES: u32 = 12;

/// Checks that a rate per mu (or the product `factors` make one) has at most
/// [`RATE_PLACES`] significant decimal places, so that its rent on any area is exact.
pub(crate) fn rate_places(what: impl Fn() -> String, factors: &[Decimal]) -> Result<()> {
    let places = factors
        .iter()
        .map(|factor| factor.normalize().scale())
        .fold(0_u32, u32::saturating_add);
    if places <= RATE_PLACES {
        return Ok(());
    }
    let value = factors
        .iter()
        .try_fold(Decimal::ONE, |product, factor| product.checked_mul(*factor))
        .or_else(|| factors.first().copied())
        .unwrap_or_default();
    Err(PoolError::BadNumber {
        what: what(),
        expected: "written with at most 12 decimal places (rent is computed exactly, with areas to 4 places)",
        value: value.normalize(),
    }
    .into())
}

/// The price per `unit` of `crop` a grain-indexed rent uses on `date`: the price recorded
/// per `unit`, or else the price recorded per the other unit, converted (a jin is 0.5 kg).
/// `None` when neither is recorded; `Some(None)` when the converted price does not fit.
pub(crate) fn grain_price(
    crop: &str,
    unit: GrainUnit,
    date: Date,
    prices: &GrainPrices<'_>,
) -> Option<Option<Decimal>> {
    match prices(crop, unit, date) {
        Some(price) => Some(Some(price)),
        None => {
            let other = unit.other();
            prices(crop, other, date).map(|price| unit.price_from(other, price))
        }
    }
}

/// Looks up the price per unit of a crop recorded for a date, if any.
///
/// # Example
///
/// A book's recorded prices ([`Book::grain_price`](crate::Book::grain_price)) are one;
/// so is any closure:
///
/// ```
/// use landpool::{GrainPrices, GrainUnit};
/// use rust_decimal::Decimal;
/// use rust_decimal_macros::dec;
/// use time::{macros::date, Date};
///
/// let wheat = |crop: &str, unit: GrainUnit, day: Date| {
///     (crop == "wheat" && unit == GrainUnit::Jin && day == date!(2019 - 01 - 01)).then_some(dec!(1.15))
/// };
/// let prices: &GrainPrices<'_> = &wheat;
/// assert_eq!(prices("wheat", GrainUnit::Jin, date!(2019 - 01 - 01)), Some(dec!(1.15)));
/// assert_eq!(prices("wheat", GrainUnit::Kg, date!(2019 - 01 - 01)), None::<Decimal>);
/// ```
pub type GrainPrices<'a> = dyn Fn(&str, GrainUnit, Date) -> Option<Decimal> + 'a;

/// The area of a contract from a date on: its signing area, then each swap's result.
///
/// # Example
///
/// ```
/// use landpool::AreaChange;
/// use time::macros::date;
///
/// let change = AreaChange { from: date!(2019 - 07 - 01), area: "1.5".parse()? };
/// // The area in mu as a string with two places at least, the date in ISO form.
/// assert_eq!(serde_json::to_string(&change)?, r#"{"from":"2019-07-01","area":"1.50"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AreaChange {
    /// The first day the area holds.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::from"
    )]
    pub from: Date,
    /// The contract's area from that day.
    pub area: Mu,
}

/// The days from `from` through `to`, both counted (0 or less when `to` is before `from`).
// A `Date` is a Julian day number below 2^26 in magnitude, so the difference plus one cannot
// overflow an i64.
#[allow(clippy::arithmetic_side_effects)]
pub(crate) fn days_inclusive(from: Date, to: Date) -> i64 {
    (to - from).whole_days() + 1
}

/// The whole calendar months strictly between the months of `a` and `b` (negative when `b`'s
/// month is not after `a`'s).
// Years are below 2^20 in magnitude, so a month number (year × 12 + month) and the
// difference of two fit an i64 many times over.
#[allow(clippy::arithmetic_side_effects)]
fn months_between(a: Date, b: Date) -> i64 {
    let month_index = |d: Date| i64::from(d.year()) * 12 + i64::from(u8::from(d.month()));
    month_index(b) - month_index(a) - 1
}

/// The date `years` years after `start`; 29 February becomes 28 February in a common year.
/// [`Date::MAX`] when that year is past the last there is.
pub(crate) fn anniversary(start: Date, years: u32) -> Date {
    anniversary_within(start, years).unwrap_or(Date::MAX)
}

/// [`anniversary`], or `None` when that year is past the last there is (as opposed to an
/// anniversary falling on [`Date::MAX`] itself).
fn anniversary_within(start: Date, years: u32) -> Option<Date> {
    let year = start
        .year()
        .saturating_add(i32::try_from(years).unwrap_or(i32::MAX));
    Date::from_calendar_date(year, start.month(), start.day())
        .or_else(|_| Date::from_calendar_date(year, start.month(), start.day().saturating_sub(1)))
        .ok()
}

/// The earlier of two days to stop at, `None` standing for none.
fn earliest(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The contract year (0 for the first) that `date` falls in.
pub(crate) fn contract_year(start: Date, date: Date) -> u32 {
    let mut years = u32::try_from(date.year().saturating_sub(start.year())).unwrap_or(0);
    while years > 0 && anniversary(start, years) > date {
        years = years.saturating_sub(1);
    }
    years
}

/// The exact rent of `contract` (with its area history `areas`, sorted by date, the first at
/// the start) from its start through `mark` (if given) and through `through` (both clamped to
/// its end), in one pass.
pub(crate) fn exact_rent(
    contract: &Contract,
    areas: &[AreaChange],
    mark: Option<Date>,
    through: Date,
    price: &GrainPrices<'_>,
) -> Result<(ExactYuan, ExactYuan)> {
    let last = through.min(contract.end);
    let mut total = ExactYuan::ZERO;
    let mut at_mark = ExactYuan::ZERO;
    let mark = mark.filter(|m| *m >= contract.start);
    if last < contract.start {
        return Ok((at_mark, total));
    }
    let what = || format!("rent of contract {}", contract.id);
    let overflow = || Error::Overflow { operation: what() };
    // The first day of each new piece after `cursor`, if there is one: `None` where there
    // is no such day (no later area change, no later anniversary or year before the last
    // day there is), never a stand-in date, which would cut the last day off.
    let after_mark = mark.and_then(Date::next_day);
    let mut cursor = contract.start;
    let mut year = 0;
    let mut stepped = None;
    let mut rate = contract.rate_for_year_after(year, &mut stepped, price)?;
    let mut next_anniversary = anniversary_within(contract.start, 1);
    let mut area_index: usize = 0;
    loop {
        while areas
            .get(area_index.saturating_add(1))
            .is_some_and(|next| next.from <= cursor)
        {
            area_index = area_index.saturating_add(1);
        }
        let area = areas.get(area_index).map_or(Mu::ZERO, |change| change.area);
        let next_area_change = areas
            .get(area_index.saturating_add(1))
            .map(|next| next.from);
        let mut next_break = earliest(next_anniversary, next_area_change);
        next_break = earliest(next_break, after_mark.filter(|after| *after > cursor));
        if contract.pro_rating == ProRating::ActualDays {
            next_break = earliest(next_break, first_day_of_next_year(cursor));
        }
        // Every break is after `cursor`, so the day before it is a day.
        let piece_end = next_break
            .and_then(Date::previous_day)
            .map_or(last, |before| last.min(before));
        if !area.is_zero() && piece_end >= cursor {
            let years = match contract.pro_rating {
                ProRating::ActualDays => {
                    let days = u64::try_from(days_inclusive(cursor, piece_end)).unwrap_or(0);
                    days_of_year(days, time::util::days_in_year(cursor.year()))
                }
                ProRating::MonthsAndDays => {
                    months_and_days_between(contract.start, cursor, piece_end)
                }
            };
            let piece = ExactYuan::prorated(&[area.to_decimal(), rate], years, &what)?;
            total = total.checked_add(piece).ok_or_else(overflow)?;
        }
        if mark.is_some_and(|m| piece_end <= m) {
            at_mark = total;
        }
        cursor = match piece_end.next_day() {
            Some(next) if piece_end < last => next,
            _ => break,
        };
        if next_anniversary.is_some_and(|next| cursor >= next) {
            year = contract_year(contract.start, cursor);
            rate = contract.rate_for_year_after(year, &mut stepped, price)?;
            next_anniversary = anniversary_within(contract.start, year.saturating_add(1));
        }
    }
    Ok((at_mark, total))
}

/// `[a, b]` (same contract year and area) as a fraction of a year by months and days, the
/// months counted from the contract's start `start` (see [`contract_month`]): a whole month
/// counts 1/12, each day of a part-month 1/(12 × days in that month).
fn months_and_days_between(start: Date, a: Date, b: Date) -> u64 {
    let days = |from: Date, to: Date| u64::try_from(days_inclusive(from, to)).unwrap_or(0);
    let (first_month, next_after_a) = contract_month(start, a);
    let (last_month, _) = contract_month(start, b);
    let first_length = contract_month_length(start, first_month);
    let last_length = contract_month_length(start, last_month);
    let end_of_first = next_after_a.and_then(Date::previous_day);
    match end_of_first {
        Some(end_of_first) if end_of_first < b => {
            let head = months_and_days(0, days(a, end_of_first), first_length);
            let tail = months_and_days(0, days(last_month, b), last_length);
            let between = u64::try_from(months_between(first_month, last_month)).unwrap_or(0);
            head.saturating_add(tail)
                .saturating_add(months_and_days(between, 0, 30))
        }
        _ => months_and_days(0, days(a, b), first_length),
    }
}

/// The first day of the month of a contract from `start` that holds `date` (on or after
/// the start), and the first day of the next, if there is one. A contract's months run from
/// the start's day of one calendar month to the day before the start's day of the next, the
/// day being the month's last when the month is shorter (from 16 January: 16 January – 15
/// February; from 31 January: 31 January – 27 February, then 28 February – 30 March, …), so
/// that twelve of them are a contract year (see [`anniversary`]). Each first day is the
/// start's day or the last of its calendar month, so the next one is in the next calendar
/// month.
fn contract_month(start: Date, date: Date) -> (Date, Option<Date>) {
    let in_month = |year: i32, month: Month| {
        Date::from_calendar_date(year, month, start.day().min(month.length(year))).ok()
    };
    let next_calendar_month = |d: Date| match d.month() {
        Month::December => d.year().checked_add(1).map(|y| (y, Month::January)),
        month => Some((d.year(), month.next())),
    };
    let this = in_month(date.year(), date.month()).unwrap_or(date);
    if this <= date {
        let next = next_calendar_month(date).and_then(|(y, m)| in_month(y, m));
        return (this, next);
    }
    let (year, month) = match date.month() {
        Month::January => (date.year().saturating_sub(1), Month::December),
        month => (date.year(), month.previous()),
    };
    (
        in_month(year, month).unwrap_or(start).max(start),
        Some(this),
    )
}

/// The days of the contract month starting on `first` (see [`contract_month`]) for a
/// contract from `start`: the calendar month's days to the start's day (or the last) in the
/// next, 28 to 31; reckoned from the calendar, so a month running past the last day there
/// is has its length too.
fn contract_month_length(start: Date, first: Date) -> u8 {
    let length = first.month().length(first.year());
    let (year, month) = match first.month() {
        Month::December => (first.year().saturating_add(1), Month::January),
        month => (first.year(), month.next()),
    };
    let next_day = start.day().min(month.length(year));
    length.saturating_sub(first.day()).saturating_add(next_day)
}

/// The rent booked for `[from, to]`: `C(to) − C(from − 1)`, each rounded once to the fen.
pub(crate) fn rent_for_period(
    contract: &Contract,
    areas: &[AreaChange],
    from: Date,
    to: Date,
    price: &GrainPrices<'_>,
) -> Result<Yuan> {
    let what = || format!("rent of contract {}", contract.id);
    let (before, through_to) = exact_rent(contract, areas, from.previous_day(), to, price)?;
    let before = match from.previous_day() {
        Some(_) => before.round(Rounding::HalfAwayFromZero, &what)?,
        None => Yuan::ZERO,
    };
    through_to
        .round(Rounding::HalfAwayFromZero, &what)?
        .checked_sub(before)
}

/// The amortisation of a land-share contract's capital value `value` booked for
/// `[from, to]`: straight line by day over the term, `A(to) − A(from − 1)` with
/// `A(t) = value × days of the term through t ÷ days of the term`, rounded to the fen.
pub(crate) fn amortisation_for_period(
    contract: &Contract,
    value: Yuan,
    from: Date,
    to: Date,
) -> Result<Yuan> {
    let term_days = days_inclusive(contract.start, contract.end);
    let through = |date: Option<Date>| -> Result<Yuan> {
        let Some(date) = date else {
            return Ok(Yuan::ZERO);
        };
        let elapsed = days_inclusive(contract.start, date.min(contract.end)).clamp(0, term_days);
        Yuan::from_product(
            &[value.to_decimal(), Decimal::from(elapsed)],
            Decimal::from(term_days),
            Rounding::HalfAwayFromZero,
        )
    };
    through(Some(to))?.checked_sub(through(from.previous_day())?)
}

/// 1 January of the year after `date`'s, if there is one.
fn first_day_of_next_year(date: Date) -> Option<Date> {
    date.year()
        .checked_add(1)
        .and_then(|year| Date::from_calendar_date(year, Month::January, 1).ok())
}

/// The parts of `[from, to]` not covered by the sorted, disjoint intervals in `done`, in
/// order.
pub(crate) fn gaps(done: &[(Date, Date)], from: Date, to: Date) -> Gaps<'_> {
    Gaps {
        done: done.iter(),
        cursor: Some(from),
        to,
    }
}

/// The iterator of [`gaps`].
pub(crate) struct Gaps<'a> {
    done: std::slice::Iter<'a, (Date, Date)>,
    /// The first day not yet looked at; `None` once every part is given.
    cursor: Option<Date>,
    to: Date,
}

impl Iterator for Gaps<'_> {
    type Item = (Date, Date);

    fn next(&mut self) -> Option<(Date, Date)> {
        loop {
            let at = self.cursor?;
            let to = self.to;
            let Some(&(start, end)) = self.done.next().filter(|(start, _)| *start <= to) else {
                self.cursor = None;
                return (at <= to).then_some((at, to));
            };
            if end < at {
                continue;
            }
            self.cursor = end.next_day();
            if start > at {
                return Some((at, start.previous_day().unwrap_or(start).min(to)));
            }
        }
    }
}

/// Adds `[from, to]` to the sorted, disjoint intervals `done`, merging neighbours.
pub(crate) fn cover(done: &mut Vec<(Date, Date)>, from: Date, to: Date) {
    // The usual case: the next period, right after (or overlapping the end of) the last one.
    if let Some(last) = done.last_mut() {
        let adjacent = last.1.next_day().is_some_and(|next| from <= next);
        if from >= last.0 && adjacent {
            last.1 = last.1.max(to);
            return;
        }
    }
    crate::tight::push(done, (from, to));
    done.sort_unstable();
    let mut merged: Vec<(Date, Date)> = Vec::with_capacity(done.len());
    for &(start, end) in done.iter() {
        match merged.last_mut() {
            Some(last) if last.1.next_day().is_some_and(|next| start <= next) => {
                last.1 = last.1.max(end)
            }
            _ => merged.push((start, end)),
        }
    }
    *done = merged;
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    /// What serde_json says of `text` read as a `T` (without the position), or that it
    /// was read.
    fn read<T: serde::de::DeserializeOwned>(text: &str) -> String {
        crate::pool::serde_says::<T>(text).map_or_else(|error| error, |_| "read".to_string())
    }

    #[test]
    fn contracts_read_every_kind_and_refuse_what_they_do_not_have() {
        let contract = |kind: &str| {
            format!(
                r#"{{"id":"C1","member":"M1","lines":[{{"parcel":"P1","area":"1.35"}}],"start":"2019-01-01","end":"2028-12-31",{kind},"pro_rating":"actual_days","payment":{{"payment":"in_advance","month":3,"day":1}},"charge_to":"401"}}"#
            )
        };
        let transfer = r#""kind":"transfer","rent":{"terms":"fixed","yuan_per_mu":"1000"}"#;
        let shares = r#""kind":"land_shares","shares_per_mu":"1","value_per_share":"1000.00","guaranteed_per_share":"50""#;
        let all = concat!(
            "`id`, `member`, `lines`, `start`, `end`, `kind`, `rent`, `shares_per_mu`, ",
            "`value_per_share`, `guaranteed_per_share`, `pro_rating`, `payment`, `charge_to`"
        );
        let cases = [
            (contract(transfer), "read".to_string()),
            (contract(shares), "read".to_string()),
            (
                contract(&format!(r#"{transfer},"guaranteed_per_share":"50""#)),
                concat!(
                    "unknown field `guaranteed_per_share`, expected one of `id`, `member`, ",
                    "`lines`, `start`, `end`, `kind`, `rent`, `pro_rating`, `payment`, `charge_to`"
                )
                .to_string(),
            ),
            (
                contract(&format!(
                    r#"{shares},"rent":{{"terms":"fixed","yuan_per_mu":"1"}}"#
                )),
                concat!(
                    "unknown field `rent`, expected one of `id`, `member`, `lines`, `start`, ",
                    "`end`, `kind`, `shares_per_mu`, `value_per_share`, `guaranteed_per_share`, ",
                    "`pro_rating`, `payment`, `charge_to`"
                )
                .to_string(),
            ),
            (
                contract(r#""kind":"transfer""#),
                "missing field `rent`".to_string(),
            ),
            (
                contract(r#""kind":"land_shares","shares_per_mu":"1","guaranteed_per_share":"50""#),
                "missing field `value_per_share`".to_string(),
            ),
            (
                contract(&format!(r#"{transfer},"memo":"x""#)),
                format!("unknown field `memo`, expected one of {all}"),
            ),
            (
                contract(&format!(
                    r#"{transfer},"rent":{{"terms":"fixed","yuan_per_mu":"9"}}"#
                )),
                "duplicate field `rent`".to_string(),
            ),
            (
                contract(
                    r#""kind":"transfer","rent":{"terms":"fixed","yuan_per_mu":"1000","step_percent":"5"}"#,
                ),
                "unknown field `step_percent`, expected `yuan_per_mu`".to_string(),
            ),
            (
                contract(transfer).replacen(r#""day":1}"#, r#""day":1,"days":2}"#, 1),
                "unknown field `days`, expected `month` or `day`".to_string(),
            ),
            (
                contract(transfer).replacen(
                    r#""area":"1.35"}"#,
                    r#""area":"1.35","owner":"M1"}"#,
                    1,
                ),
                "unknown field `owner`, expected `parcel` or `area`".to_string(),
            ),
            (
                contract(r#""kind":"lease","rent":{"terms":"fixed","yuan_per_mu":"1000"}"#),
                "unknown variant `lease`, expected `transfer` or `land_shares`".to_string(),
            ),
            (
                "[]".to_string(),
                "invalid type: sequence, expected a contract".to_string(),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(read::<Contract>(&text), expected, "{text}");
        }
        // A land-share contract's decimals are read exactly, as every decimal field is.
        let inexact =
            contract(&shares.replacen(r#""shares_per_mu":"1""#, r#""shares_per_mu":"1e0""#, 1));
        assert_eq!(
            read::<Contract>(&inexact),
            concat!(
                r#"cannot read "1e0" as a decimal: an exponent is not accepted; expected an "#,
                "optional sign, digits and at most one decimal point, such as -12.50"
            )
        );
        let long = contract(&shares.replacen(
            r#""guaranteed_per_share":"50""#,
            r#""guaranteed_per_share":"0.33333333333333333333333333333333""#,
            1,
        ));
        assert_ne!(read::<Contract>(&long), "read");
        // A contract's kind read alone refuses the same.
        assert_eq!(
            read::<ContractKind>(r#"{"kind":"land_shares","shares_per_mu":"1","value_per_share":"1.00","guaranteed_per_share":"5","rent":null}"#),
            "unknown field `rent`, expected one of `shares_per_mu`, `value_per_share`, `guaranteed_per_share`"
        );
    }

    fn contract(start: Date, end: Date, rent: RentTerms, pro_rating: ProRating) -> Contract {
        Contract {
            id: ContractId::new("C1").unwrap_or_else(|_| unreachable!()),
            member: MemberId::new("M1").unwrap_or_else(|_| unreachable!()),
            lines: vec![],
            start,
            end,
            kind: ContractKind::Transfer { rent },
            pro_rating,
            payment: PaymentTerms::InAdvance { month: 3, day: 1 },
            charge_to: AccountCode::new("401").unwrap_or_else(|_| unreachable!()),
        }
    }

    fn areas(start: Date, area: &str) -> Vec<AreaChange> {
        vec![AreaChange {
            from: start,
            area: area.parse().unwrap_or_default(),
        }]
    }

    fn no_prices(_: &str, _: GrainUnit, _: Date) -> Option<Decimal> {
        None
    }

    fn fixed(rate: Decimal) -> RentTerms {
        RentTerms::Fixed { yuan_per_mu: rate }
    }

    #[test]
    fn a_year_at_1000_per_mu() {
        let c = contract(
            date!(2019 - 01 - 01),
            date!(2019 - 12 - 31),
            fixed(dec!(1000)),
            ProRating::ActualDays,
        );
        let rent = rent_for_period(
            &c,
            &areas(c.start, "1.35"),
            date!(2019 - 01 - 01),
            date!(2019 - 12 - 31),
            &no_prices,
        );
        assert_eq!(rent, Ok(Yuan::from_fen(135_000)));
    }

    #[test]
    fn part_years_by_actual_days() {
        let c = contract(
            date!(2019 - 03 - 15),
            date!(2019 - 12 - 31),
            fixed(dec!(1000)),
            ProRating::ActualDays,
        );
        let rent = rent_for_period(
            &c,
            &areas(c.start, "2"),
            date!(2019 - 01 - 01),
            date!(2019 - 12 - 31),
            &no_prices,
        );
        assert_eq!(rent, Ok(Yuan::from_fen(160_000)));
        // 2020 is a leap year: 292 / 366 × 2000 = 1595.628… → 1595.63.
        let c = contract(
            date!(2020 - 03 - 15),
            date!(2020 - 12 - 31),
            fixed(dec!(1000)),
            ProRating::ActualDays,
        );
        let rent = rent_for_period(
            &c,
            &areas(c.start, "2"),
            date!(2020 - 01 - 01),
            date!(2020 - 12 - 31),
            &no_prices,
        );
        assert_eq!(rent, Ok(Yuan::from_fen(159_563)));
    }

    #[test]
    fn part_years_by_months_and_days() {
        // 15 March – 31 December: 17/31 of March's twelfth plus 9 whole months.
        // 2000 × (9/12 + 17/(12 × 31)) = 1500 + 91.397… = 1591.40.
        let c = contract(
            date!(2019 - 03 - 15),
            date!(2019 - 12 - 31),
            fixed(dec!(1000)),
            ProRating::MonthsAndDays,
        );
        let rent = rent_for_period(
            &c,
            &areas(c.start, "2"),
            date!(2019 - 01 - 01),
            date!(2019 - 12 - 31),
            &no_prices,
        );
        assert_eq!(rent, Ok(Yuan::from_fen(159_140)));
    }

    /// Months and days counts a month from the start's day (16 January – 15 February is
    /// one month), and a whole contract year is the year's rent whatever the months' lengths.
    #[test]
    fn months_counted_from_the_start_day() {
        let rent = |start: Date, end: Date, from: Date, to: Date| {
            let c = contract(start, end, fixed(dec!(1200)), ProRating::MonthsAndDays);
            rent_for_period(&c, &areas(c.start, "1"), from, to, &no_prices)
        };
        // 16 January – 15 February: exactly one month (100.00), not 16/31 + 15/28 of one.
        assert_eq!(
            rent(
                date!(2019 - 01 - 16),
                date!(2019 - 02 - 15),
                date!(2019 - 01 - 01),
                date!(2019 - 12 - 31)
            ),
            Ok(Yuan::from_fen(10_000))
        );
        // One month and 10 days of the next (16 February – 15 March, 28 days):
        // 100 + 100 × 10 / 28 = 135.714… → 135.71.
        assert_eq!(
            rent(
                date!(2019 - 01 - 16),
                date!(2019 - 02 - 25),
                date!(2019 - 01 - 01),
                date!(2019 - 12 - 31)
            ),
            Ok(Yuan::from_fen(13_571))
        );
        // A whole contract year from 16 February 2023 to 15 February 2024 (a leap February):
        // the year's rent, 1200.00.
        assert_eq!(
            rent(
                date!(2023 - 02 - 16),
                date!(2024 - 02 - 15),
                date!(2023 - 01 - 01),
                date!(2024 - 12 - 31)
            ),
            Ok(Yuan::from_fen(120_000))
        );
        // From 29 February 2024: the contract year ends 27 February 2025 (the anniversary is
        // 28 February), and is 1200.00.
        assert_eq!(
            rent(
                date!(2024 - 02 - 29),
                date!(2025 - 02 - 27),
                date!(2024 - 01 - 01),
                date!(2025 - 12 - 31)
            ),
            Ok(Yuan::from_fen(120_000))
        );
        // From 31 January 2019 a month runs to 27 February (the next starts on 28 February,
        // February having no 31st): 100.00.
        assert_eq!(
            rent(
                date!(2019 - 01 - 31),
                date!(2019 - 02 - 27),
                date!(2019 - 01 - 01),
                date!(2019 - 12 - 31)
            ),
            Ok(Yuan::from_fen(10_000))
        );
    }

    #[test]
    fn stepped_rates() {
        let terms = RentTerms::Stepped {
            yuan_per_mu: dec!(1000),
            step_percent: dec!(5),
            every_years: 3,
        };
        let c = contract(
            date!(2019 - 01 - 01),
            date!(2030 - 12 - 31),
            terms,
            ProRating::ActualDays,
        );
        let rate = |d| c.rate_on(d, &no_prices).unwrap_or_default();
        assert_eq!(rate(date!(2019 - 01 - 01)), dec!(1000));
        assert_eq!(rate(date!(2021 - 12 - 31)), dec!(1000));
        assert_eq!(rate(date!(2022 - 01 - 01)), dec!(1050));
        assert_eq!(rate(date!(2024 - 12 - 31)), dec!(1050));
        assert_eq!(rate(date!(2025 - 01 - 01)), dec!(1102.50));
        assert_eq!(rate(date!(2027 - 12 - 31)), dec!(1102.50));
        assert_eq!(rate(date!(2028 - 01 - 01)), dec!(1157.63));
        // Year 4 on 1 mu is exactly 1050.00.
        let rent = rent_for_period(
            &c,
            &areas(c.start, "1"),
            date!(2022 - 01 - 01),
            date!(2022 - 12 - 31),
            &no_prices,
        );
        assert_eq!(rent, Ok(Yuan::from_fen(105_000)));
    }

    #[test]
    fn grain_indexed_rate() {
        let terms = RentTerms::GrainIndexed {
            crop: "wheat".into(),
            unit: GrainUnit::Jin,
            quantity_per_mu: dec!(500),
            reset_every_years: 2,
        };
        let c = contract(
            date!(2019 - 01 - 01),
            date!(2022 - 12 - 31),
            terms,
            ProRating::ActualDays,
        );
        let prices = |crop: &str, unit: GrainUnit, d: Date| match (crop, unit, d) {
            ("wheat", GrainUnit::Jin, d) if d == date!(2019 - 01 - 01) => Some(dec!(1.15)),
            ("wheat", GrainUnit::Jin, d) if d == date!(2021 - 01 - 01) => Some(dec!(1.20)),
            _ => None,
        };
        assert_eq!(c.rate_on(date!(2019 - 06 - 01), &prices), Ok(dec!(575.00)));
        assert_eq!(c.rate_on(date!(2020 - 12 - 31), &prices), Ok(dec!(575.00)));
        assert_eq!(c.rate_on(date!(2021 - 01 - 01), &prices), Ok(dec!(600.00)));
        assert!(matches!(
            c.rate_on(date!(2019 - 06 - 01), &no_prices),
            Err(Error::Pool(PoolError::GrainPriceMissing { .. }))
        ));
    }

    /// A grain-indexed rate reads the price per its own unit, and on a day with none the
    /// price per the other unit converted exactly (a jin is 0.5 kg); with neither it is
    /// refused, and a converted price too large for a `Decimal` is an overflow.
    #[test]
    fn grain_indexed_rate_converts_the_other_units_price() {
        let grain = |unit| {
            contract(
                date!(2019 - 01 - 01),
                date!(2020 - 12 - 31),
                RentTerms::GrainIndexed {
                    crop: "wheat".into(),
                    unit,
                    quantity_per_mu: dec!(250),
                    reset_every_years: 1,
                },
                ProRating::ActualDays,
            )
        };
        let (jin, kg) = (grain(GrainUnit::Jin), grain(GrainUnit::Kg));
        let prices = |crop: &str, unit: GrainUnit, d: Date| match (crop, unit, d.year()) {
            // 2019: per jin only; 2020: per kg and per jin, which disagree.
            ("wheat", GrainUnit::Jin, 2019) => Some(dec!(1.18)),
            ("wheat", GrainUnit::Kg, 2020) => Some(dec!(2.50)),
            ("wheat", GrainUnit::Jin, 2020) => Some(dec!(1.20)),
            _ => None,
        };
        let day =
            |year| Date::from_calendar_date(year, Month::June, 1).unwrap_or(date!(2019 - 01 - 01));
        assert_eq!(jin.rate_on(day(2019), &prices), Ok(dec!(295.00)));
        // 1.18 a jin is 2.36 a kg.
        assert_eq!(kg.rate_on(day(2019), &prices), Ok(dec!(590.00)));
        // Each reads its own unit's price when there is one.
        assert_eq!(jin.rate_on(day(2020), &prices), Ok(dec!(300.00)));
        assert_eq!(kg.rate_on(day(2020), &prices), Ok(dec!(625.00)));
        let kg_only = |_: &str, unit: GrainUnit, _| (unit == GrainUnit::Kg).then_some(dec!(2.35));
        // 2.35 a kg is 1.175 a jin: 250 × 1.175 = 293.75.
        assert_eq!(jin.rate_on(day(2019), &kg_only), Ok(dec!(293.750)));
        for c in [&jin, &kg] {
            assert!(matches!(
                c.rate_on(day(2019), &no_prices),
                Err(Error::Pool(PoolError::GrainPriceMissing { .. }))
            ));
        }
        let huge = |_: &str, unit: GrainUnit, _| (unit == GrainUnit::Jin).then_some(Decimal::MAX);
        assert!(matches!(
            kg.rate_on(day(2019), &huge),
            Err(Error::Overflow { .. })
        ));
    }

    #[test]
    fn area_change_splits_the_year() {
        let c = contract(
            date!(2019 - 01 - 01),
            date!(2019 - 12 - 31),
            fixed(dec!(1000)),
            ProRating::ActualDays,
        );
        let history = vec![
            AreaChange {
                from: c.start,
                area: "2".parse().unwrap_or_default(),
            },
            AreaChange {
                from: date!(2019 - 07 - 01),
                area: "1.5".parse().unwrap_or_default(),
            },
        ];
        // 181 days at 2 mu + 184 days at 1.5 mu: (362000 + 276000) / 365 = 1747.945… → 1747.95.
        let rent = rent_for_period(
            &c,
            &history,
            date!(2019 - 01 - 01),
            date!(2019 - 12 - 31),
            &no_prices,
        );
        assert_eq!(rent, Ok(Yuan::from_fen(174_795)));
    }

    #[test]
    fn months_add_up_to_the_year() {
        let c = contract(
            date!(2019 - 02 - 11),
            date!(2021 - 12 - 31),
            fixed(dec!(1003.37)),
            ProRating::ActualDays,
        );
        let history = areas(c.start, "3.1417");
        let year = rent_for_period(
            &c,
            &history,
            date!(2020 - 01 - 01),
            date!(2020 - 12 - 31),
            &no_prices,
        );
        let mut sum = Yuan::ZERO;
        for month in 1..=12_u8 {
            let first =
                Date::from_calendar_date(2020, Month::try_from(month).unwrap_or(Month::January), 1)
                    .unwrap_or(Date::MIN);
            let last = first
                .replace_day(first.month().length(2020))
                .unwrap_or(first);
            sum = sum
                .checked_add(
                    rent_for_period(&c, &history, first, last, &no_prices).unwrap_or_default(),
                )
                .unwrap_or_default();
        }
        assert_eq!(year, Ok(sum));
    }

    #[test]
    fn intervals() {
        let d = |m, day| {
            Date::from_calendar_date(2019, Month::try_from(m).unwrap_or(Month::January), day)
                .unwrap_or(Date::MIN)
        };
        let mut done = vec![];
        cover(&mut done, d(1, 1), d(1, 31));
        cover(&mut done, d(3, 1), d(3, 31));
        assert_eq!(
            gaps(&done, d(1, 1), d(4, 30)).collect::<Vec<_>>(),
            vec![(d(2, 1), d(2, 28)), (d(4, 1), d(4, 30))]
        );
        cover(&mut done, d(2, 1), d(2, 28));
        assert_eq!(done, vec![(d(1, 1), d(3, 31))]);
        assert_eq!(gaps(&done, d(1, 15), d(2, 15)).next(), None);
    }

    /// Every set of covered days among 1-12 January (as its sorted, disjoint, merged ranges)
    /// and every range asked: the gaps are exactly the days asked and not covered, each run of
    /// them one gap.
    #[test]
    fn gaps_are_the_days_not_covered() {
        let day = |n: u8| Date::from_calendar_date(2019, Month::January, n).unwrap_or(Date::MIN);
        for mask in 0_u16..(1 << 12) {
            let covered = |n: u8| (1..=12).contains(&n) && mask & (1 << (n - 1)) != 0;
            let mut done = Vec::new();
            for n in 1..=12 {
                if covered(n) {
                    cover(&mut done, day(n), day(n));
                }
            }
            for from in 1..=13 {
                for to in from..=13 {
                    let mut want = Vec::new();
                    let mut run: Option<(u8, u8)> = None;
                    for n in from..=to {
                        if covered(n) {
                            want.extend(run.take());
                        } else {
                            run = Some((run.map_or(n, |r| r.0), n));
                        }
                    }
                    want.extend(run);
                    let want: Vec<(Date, Date)> =
                        want.into_iter().map(|(a, b)| (day(a), day(b))).collect();
                    assert_eq!(
                        gaps(&done, day(from), day(to)).collect::<Vec<_>>(),
                        want,
                        "mask {mask:012b}, {from}-{to}"
                    );
                }
            }
        }
    }

    #[test]
    fn anniversaries() {
        assert_eq!(anniversary(date!(2020 - 02 - 29), 1), date!(2021 - 02 - 28));
        assert_eq!(
            contract_year(date!(2019 - 03 - 15), date!(2020 - 03 - 14)),
            0
        );
        assert_eq!(
            contract_year(date!(2019 - 03 - 15), date!(2020 - 03 - 15)),
            1
        );
    }
}
