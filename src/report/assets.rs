//! 固定资产及生产性生物资产明细表: the asset register of a year, each greenhouse and other
//! asset with its cost and accumulated depreciation at the year's start, what the year added
//! and removed, and the year's end, reconciled to the ledger's 151 and 152, 142 and 143; and
//! each land-share contract's land-use right (无形资产) with its amortisation, reconciled to
//! 161 and 162.

use serde::{Deserialize, Serialize};
use time::Date;

use super::Csv;
use crate::book::{year_bounds, ContractRecord};
use crate::ledger::AccountCode;
use crate::{AssetKind, Book, ContractId, DepreciationMethod, MemberId, Result, Yuan};

/// The register of the assets of one kind in a year: a row for each greenhouse or other
/// asset held at some time in the year, the amounts the ledger holds outside the register
/// (entries the accountant recorded directly, such as a tool bought with a
/// [`ManualEntry`](crate::Event::ManualEntry)), and the ledger's totals, which are the
/// balance sheet's lines.
///
/// # Example
///
/// The reference cooperative's 28 greenhouses, built in 2019, from [`asset_register`]:
///
/// ```
/// use landpool::AssetKind;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let register = landpool::report::asset_register(&book, 2019)?;
/// let fixed = register.section(AssetKind::Fixed).ok_or("no fixed assets")?;
/// assert_eq!(fixed.rows.len(), 28);
/// assert_eq!(fixed.total.cost_closing.to_string(), "1680000.00");
/// assert_eq!(fixed.total.depreciation_closing.to_string(), "146300.00");
/// assert_eq!(fixed.outside, landpool::report::AssetFigures::default());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetSection {
    /// Fixed assets (151, 152: greenhouses first, then the other fixed assets) or
    /// productive biological assets (142, 143).
    pub kind: AssetKind,
    /// One row for each asset held at some time in the year, in id order within the
    /// greenhouses and within the other assets.
    pub rows: Vec<AssetRow>,
    /// What the ledger holds that no row accounts for: its totals less the rows' sums
    /// (zero when every entry to the accounts came from the register's events).
    pub outside: AssetFigures,
    /// The ledger's totals: the cost account's and the depreciation account's balances at
    /// the year's start and end (balance-sheet lines 10 and 11, or 7 and 8) and their
    /// movements in the year.
    pub total: AssetFigures,
}

/// One asset's line of the register.
///
/// # Example
///
/// A greenhouse of the reference cooperative, built on 10 January 2019 for 60,000 yuan and
/// depreciated from February, 475.00 a month:
///
/// ```
/// use landpool::{AssetKind, DepreciationMethod};
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let register = landpool::report::asset_register(&book, 2019)?;
/// let fixed = register.section(AssetKind::Fixed).ok_or("no fixed assets")?;
/// let row = &fixed.rows[0];
/// assert_eq!((row.id.as_str(), row.greenhouse), ("GH01", true));
/// assert_eq!(row.depreciation, DepreciationMethod::StraightLine { life_months: 120 });
/// assert_eq!(row.figures.cost_added.to_string(), "60000.00");
/// assert_eq!(row.figures.depreciation_charged.to_string(), "5225.00");
/// assert_eq!(row.figures.net_closing()?.to_string(), "54775.00");
/// // In JSON, dates are ISO strings and amounts strings of yuan.
/// let json = serde_json::to_value(row)?;
/// assert_eq!(json["in_use"], "2019-01-10");
/// assert_eq!(json["retired"], serde_json::Value::Null);
/// assert_eq!(json["figures"]["depreciation_charged"], "5225.00");
/// assert_eq!(serde_json::from_value::<landpool::report::AssetRow>(json)?, *row);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetRow {
    /// The greenhouse's or the asset's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it is a greenhouse ([`Book::greenhouse`]) rather than another asset
    /// ([`Book::asset`]).
    pub greenhouse: bool,
    /// The day it was built or put into use (its cost's entry date).
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::in_use"
    )]
    pub in_use: Date,
    /// How it depreciates (a greenhouse, straight-line over its life).
    pub depreciation: DepreciationMethod,
    /// Its residual value.
    pub residual: Yuan,
    /// Its last day in use, once it is taken out of use.
    #[serde(
        serialize_with = "crate::iso_date::write_or_null",
        deserialize_with = "crate::iso_date::field::retired_or_null"
    )]
    pub retired: Option<Date>,
    /// Its cost and accumulated depreciation over the year.
    pub figures: AssetFigures,
}

/// Cost and accumulated depreciation over a year: at its start, what it added and removed,
/// at its end. Each closing amount is the opening amount plus what was added less what was
/// removed.
///
/// # Example
///
/// ```
/// use landpool::report::AssetFigures;
///
/// let figures = AssetFigures {
///     cost_opening: "60000".parse()?,
///     cost_closing: "60000".parse()?,
///     depreciation_opening: "5225".parse()?,
///     depreciation_charged: "5700".parse()?,
///     depreciation_closing: "10925".parse()?,
///     ..AssetFigures::default()
/// };
/// assert_eq!(figures.net_opening()?.to_string(), "54775.00");
/// assert_eq!(figures.net_closing()?.to_string(), "49075.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetFigures {
    /// Cost at the start of the year (年初原值).
    pub cost_opening: Yuan,
    /// Cost added in the year (本年增加): assets built or put into use.
    pub cost_added: Yuan,
    /// Cost removed in the year (本年减少): assets taken out of use.
    pub cost_removed: Yuan,
    /// Cost at the end of the year (年末原值).
    pub cost_closing: Yuan,
    /// Accumulated depreciation at the start of the year (年初累计折旧).
    pub depreciation_opening: Yuan,
    /// Depreciation charged in the year (本年计提).
    pub depreciation_charged: Yuan,
    /// Accumulated depreciation written off in the year (本年减少): that of the assets
    /// taken out of use.
    pub depreciation_removed: Yuan,
    /// Accumulated depreciation at the end of the year (年末累计折旧).
    pub depreciation_closing: Yuan,
}

impl AssetFigures {
    /// The carrying amount at the start of the year (年初净值): cost less accumulated
    /// depreciation.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::report::AssetFigures;
    /// let figures = AssetFigures {
    ///     cost_opening: "100".parse()?,
    ///     depreciation_opening: "30".parse()?,
    ///     ..AssetFigures::default()
    /// };
    /// assert_eq!(figures.net_opening()?.to_string(), "70.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn net_opening(&self) -> Result<Yuan> {
        self.cost_opening.checked_sub(self.depreciation_opening)
    }

    /// The carrying amount at the end of the year (年末净值): cost less accumulated
    /// depreciation.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::report::AssetFigures;
    /// let figures = AssetFigures {
    ///     cost_closing: "100".parse()?,
    ///     depreciation_closing: "45".parse()?,
    ///     ..AssetFigures::default()
    /// };
    /// assert_eq!(figures.net_closing()?.to_string(), "55.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn net_closing(&self) -> Result<Yuan> {
        self.cost_closing.checked_sub(self.depreciation_closing)
    }

    /// The eight amounts, in the order of the fields.
    fn amounts(&self) -> [Yuan; 8] {
        [
            self.cost_opening,
            self.cost_added,
            self.cost_removed,
            self.cost_closing,
            self.depreciation_opening,
            self.depreciation_charged,
            self.depreciation_removed,
            self.depreciation_closing,
        ]
    }

    fn from_amounts(a: [Yuan; 8]) -> AssetFigures {
        let [cost_opening, cost_added, cost_removed, cost_closing, depreciation_opening, depreciation_charged, depreciation_removed, depreciation_closing] =
            a;
        AssetFigures {
            cost_opening,
            cost_added,
            cost_removed,
            cost_closing,
            depreciation_opening,
            depreciation_charged,
            depreciation_removed,
            depreciation_closing,
        }
    }

    /// Each amount of `self` combined with the same amount of `other`.
    fn zip(
        &self,
        other: &AssetFigures,
        op: impl Fn(Yuan, Yuan) -> Result<Yuan>,
    ) -> Result<AssetFigures> {
        let (mine, theirs) = (self.amounts(), other.amounts());
        let mut out = [Yuan::ZERO; 8];
        for ((slot, a), b) in out.iter_mut().zip(mine).zip(theirs) {
            *slot = op(a, b)?;
        }
        Ok(AssetFigures::from_amounts(out))
    }
}

/// 固定资产及生产性生物资产明细表: the fixed assets (greenhouses among them), the
/// productive biological assets and the land-use rights taken in as shares of a year, each
/// with its cost and accumulated depreciation (or amortisation) at the year's start and end
/// and the year's movements, reconciled to the ledger.
///
/// # Example
///
/// ```
/// use landpool::AssetKind;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let register = landpool::report::asset_register(&book, 2019)?;
/// assert_eq!(register.year, 2019);
/// let kinds: Vec<AssetKind> = register.sections.iter().map(|s| s.kind).collect();
/// assert_eq!(kinds, [AssetKind::Fixed, AssetKind::ProductiveBiological]);
/// // Its land is all rented (流转), none taken in as shares: no land-use rights.
/// assert!(register.land_rights.rows.is_empty());
/// assert!(register.land_rights.total.cost_closing.is_zero());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetRegister {
    /// The year.
    pub year: i32,
    /// The fixed assets, then the productive biological assets.
    pub sections: Vec<AssetSection>,
    /// The intangible assets: the land-use rights taken in as shares (161, 162). Absent in
    /// JSON written before it existed: read as empty.
    #[serde(default)]
    pub land_rights: LandRightSection,
}

/// The register's intangible assets (无形资产): a row for each land-share contract whose
/// land-use right the cooperative held in the year (booked Dr 161 / Cr 301 at the contract's
/// start and amortised through 162 as its rent accrues), the amounts the ledger holds on
/// 161 and 162 outside the register, and the ledger's totals, the balance sheet's lines 16
/// and 17. In its [`AssetFigures`] "depreciation" is amortisation (摊销), and nothing is
/// removed: a land-share contract is not ended early, and its right stays on 161, fully
/// amortised, after its term.
///
/// # Example
///
/// Two mu taken in as shares for ten years at 5,000 yuan a share, and 2019's rent accrued:
///
/// ```
/// use landpool::*;
/// use landpool::ledger::AccountCode;
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let mut book = Book::new();
/// book.apply("join".parse()?, Event::MemberJoined { member: Member {
///     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
///     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
/// }})?;
/// book.apply("parcel".parse()?, Event::ParcelRegistered { parcel: Parcel {
///     id: "P001".parse()?, owner: "M001".parse()?, area: "2".parse()?,
///     village: "高格庄".into(), land_class: "水浇地".into(),
///     registered: date!(2019 - 01 - 01), retired: None,
/// }})?;
/// book.apply("sign".parse()?, Event::ContractSigned { contract: Box::new(Contract {
///     id: "RG01".parse()?, member: "M001".parse()?,
///     lines: vec![ContractLine { parcel: "P001".parse()?, area: "2".parse()? }],
///     start: date!(2019 - 01 - 01), end: date!(2028 - 12 - 31),
///     kind: ContractKind::LandShares {
///         shares_per_mu: dec!(1),
///         value_per_share: "5000".parse()?,
///         guaranteed_per_share: dec!(300),
///     },
///     pro_rating: ProRating::ActualDays,
///     payment: PaymentTerms::InAdvance { month: 3, day: 1 },
///     charge_to: AccountCode::new("401")?,
/// })})?;
/// book.apply("rent".parse()?, Event::RentAccrued {
///     from: date!(2019 - 01 - 01), to: date!(2019 - 12 - 31), date: date!(2019 - 12 - 31),
///     contracts: Accrue::All,
/// })?;
/// let rights = report::asset_register(&book, 2019)?.land_rights;
/// let row = &rights.rows[0];
/// assert_eq!((row.contract.as_str(), row.member_name.as_str()), ("RG01", "王建国"));
/// assert_eq!(row.figures.cost_added.to_string(), "10000.00");
/// // 365 of the term's 3,653 days: 10,000 × 365 ÷ 3,653.
/// assert_eq!(row.figures.depreciation_charged.to_string(), "999.18");
/// assert_eq!(row.figures.net_closing()?.to_string(), "9000.82");
/// assert_eq!(rights.total, row.figures);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LandRightSection {
    /// One row for each land-share contract whose right was held at some time in the
    /// year, in contract id order.
    pub rows: Vec<LandRightRow>,
    /// What the ledger holds on 161 and 162 that no row accounts for: its totals less the
    /// rows' sums (zero when every entry to them came from land-share contracts).
    pub outside: AssetFigures,
    /// The ledger's totals: 161's and 162's balances at the year's start and end
    /// (balance-sheet lines 16 and 17) and their movements in the year.
    pub total: AssetFigures,
}

/// One land-use right's line of the register: its contract, the member who put the land
/// in, the term it is amortised over (straight-line by day) and its figures for the year.
///
/// # Example
///
/// The JSON form: ids and amounts as strings, dates as ISO strings.
///
/// ```
/// use landpool::report::{AssetFigures, LandRightRow};
/// use time::macros::date;
///
/// let row = LandRightRow {
///     contract: "RG01".parse()?,
///     member: "M001".parse()?,
///     member_name: "王建国".into(),
///     start: date!(2019 - 01 - 01),
///     end: date!(2028 - 12 - 31),
///     figures: AssetFigures {
///         cost_opening: "10000".parse()?,
///         cost_closing: "10000".parse()?,
///         depreciation_opening: "999.18".parse()?,
///         depreciation_charged: "1001.91".parse()?,
///         depreciation_closing: "2001.09".parse()?,
///         ..AssetFigures::default()
///     },
/// };
/// let json = serde_json::to_value(&row)?;
/// assert_eq!(json["contract"], "RG01");
/// assert_eq!(json["end"], "2028-12-31");
/// assert_eq!(json["figures"]["depreciation_closing"], "2001.09");
/// assert_eq!(serde_json::from_value::<LandRightRow>(json)?, row);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LandRightRow {
    /// The land-share contract.
    pub contract: ContractId,
    /// The member whose land it is.
    pub member: MemberId,
    /// The member's name (empty if the book has no such member, which no valid book
    /// reaches).
    pub member_name: String,
    /// The contract's first day, from which the right is amortised.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::start"
    )]
    pub start: Date,
    /// The contract's last day, by which it is fully amortised.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::end"
    )]
    pub end: Date,
    /// Its cost (the capital booked at signing) and accumulated amortisation over the
    /// year.
    pub figures: AssetFigures,
}

impl AssetRegister {
    /// The section of one kind of asset.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{report, AssetKind, Book};
    /// let register = report::asset_register(&Book::new(), 2019)?;
    /// let vines = register.section(AssetKind::ProductiveBiological).ok_or("none")?;
    /// assert!(vines.rows.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn section(&self, kind: AssetKind) -> Option<&AssetSection> {
        self.sections.iter().find(|section| section.kind == kind)
    }

    /// The register as CSV (UTF-8 with BOM), Chinese and English labels: each section's
    /// rows, then its line for what the ledger holds outside the register (only when that
    /// is not zero), then its total, which is the ledger's; the fixed assets, the productive
    /// biological assets, then the land-use rights (a right's name is its member's, its
    /// life the days of its term, its residual zero).
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let csv = landpool::report::asset_register(&book, 2019)?.to_csv();
    /// let mut lines = csv.lines();
    /// assert!(lines.next().is_some_and(|header| header.starts_with("\u{feff}类别 Class,编号 Id")));
    /// assert_eq!(
    ///     lines.next(),
    ///     Some("固定资产 Fixed assets,GH01,1号葡萄大棚,2019-01-10,年限平均法 straight-line,120,3000.00,\
    ///           0.00,60000.00,0.00,60000.00,0.00,5225.00,0.00,5225.00,54775.00,")
    /// );
    /// assert!(csv.contains("\r\n固定资产 Fixed assets,,合计 Total (151/152),,,,,\
    ///     0.00,1680000.00,0.00,1680000.00,0.00,146300.00,0.00,146300.00,1533700.00,\r\n"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_csv(&self) -> String {
        let mut csv = Csv::new(&[
            "类别 Class",
            "编号 Id",
            "名称 Name",
            "启用日期 In use",
            "折旧(摊销)方法 Method",
            "使用寿命 Life (months, units or days)",
            "残值 Residual",
            "年初原值 Cost, opening",
            "本年增加 Cost added",
            "本年减少 Cost removed",
            "年末原值 Cost, closing",
            "年初累计折旧(摊销) Depreciation or amortisation, opening",
            "本年计提 Depreciation or amortisation charged",
            "本年减少 Depreciation or amortisation written off",
            "年末累计折旧(摊销) Depreciation or amortisation, closing",
            "年末净值 Net, closing",
            "处置日期 Retired",
        ]);
        for section in &self.sections {
            let class = kind_text(section.kind);
            for row in &section.rows {
                let (method, life) = method_text(&row.depreciation);
                let mut cells = vec![
                    class.to_string(),
                    row.id.clone(),
                    row.name.clone(),
                    row.in_use.to_string(),
                    method.to_string(),
                    life,
                    row.residual.to_string(),
                ];
                cells.extend(figure_cells(&row.figures));
                cells.push(row.retired.map(|d| d.to_string()).unwrap_or_default());
                csv.row(&cells);
            }
            let codes = (section.kind.cost_code(), section.kind.depreciation_code());
            section_end(&mut csv, class, codes, &section.outside, &section.total);
        }
        let class = "无形资产 Intangible assets (land-use rights)";
        for row in &self.land_rights.rows {
            let days = row
                .end
                .to_julian_day()
                .saturating_sub(row.start.to_julian_day())
                .saturating_add(1);
            let mut cells = vec![
                class.to_string(),
                row.contract.to_string(),
                format!(
                    "{} ({}) 土地经营权 land-use right",
                    row.member_name, row.member
                ),
                row.start.to_string(),
                "按日直线摊销 straight-line by day".to_string(),
                days.to_string(),
                Yuan::ZERO.to_string(),
            ];
            cells.extend(figure_cells(&row.figures));
            cells.push(String::new());
            csv.row(&cells);
        }
        let rights = &self.land_rights;
        section_end(
            &mut csv,
            class,
            ("161", "162"),
            &rights.outside,
            &rights.total,
        );
        csv.finish()
    }
}

/// A section's last lines: what the ledger holds outside the register (only when that is
/// not zero), then the total of the accounts `codes` (cost, then depreciation).
fn section_end(
    csv: &mut Csv,
    class: &str,
    (cost, depreciation): (&str, &str),
    outside: &AssetFigures,
    total: &AssetFigures,
) {
    let mut line = |label: String, figures: &AssetFigures| {
        let mut cells = vec![class.to_string(), String::new(), label];
        cells.extend(std::iter::repeat_n(String::new(), 4));
        cells.extend(figure_cells(figures));
        cells.push(String::new());
        csv.row(&cells);
    };
    if *outside != AssetFigures::default() {
        line("登记簿外 Outside the register".to_string(), outside);
    }
    line(format!("合计 Total ({cost}/{depreciation})"), total);
}

fn kind_text(kind: AssetKind) -> &'static str {
    match kind {
        AssetKind::Fixed => "固定资产 Fixed assets",
        AssetKind::ProductiveBiological => "生产性生物资产 Productive biological assets",
    }
}

fn method_text(method: &DepreciationMethod) -> (&'static str, String) {
    match method {
        DepreciationMethod::StraightLine { life_months } => {
            ("年限平均法 straight-line", life_months.to_string())
        }
        DepreciationMethod::UnitsOfWork { total_units } => (
            "工作量法 units of work",
            total_units.normalize().to_string(),
        ),
    }
}

/// The eight amounts and the closing carrying amount, as cells (the carrying amount empty
/// if it cannot be computed, which no valid book reaches).
fn figure_cells(figures: &AssetFigures) -> impl Iterator<Item = String> {
    let net = figures
        .net_closing()
        .map(|net| net.to_string())
        .unwrap_or_default();
    figures
        .amounts()
        .into_iter()
        .map(|amount| amount.to_string())
        .chain(std::iter::once(net))
}

/// What the register needs of a greenhouse or another asset.
struct Held<'a> {
    id: String,
    name: &'a str,
    greenhouse: bool,
    kind: AssetKind,
    in_use: Date,
    cost: Yuan,
    residual: Yuan,
    depreciation: DepreciationMethod,
    retired: Option<Date>,
    by_year: &'a [(i32, Yuan)],
}

impl Held<'_> {
    /// Its row for `year`, or `None` when it was not held at any time in the year (put
    /// into use after it, or taken out of use before it).
    fn row(&self, year: i32) -> Result<Option<AssetRow>> {
        if self.in_use.year() > year || self.retired.is_some_and(|day| day.year() < year) {
            return Ok(None);
        }
        let before = self.in_use.year() < year;
        let removed = self.retired.is_some_and(|day| day.year() == year);
        let (depreciation_opening, depreciation_charged) =
            by_year(self.by_year.iter().copied(), year)?;
        let held = depreciation_opening.checked_add(depreciation_charged)?;
        let figures = AssetFigures {
            cost_opening: if before { self.cost } else { Yuan::ZERO },
            cost_added: if before { Yuan::ZERO } else { self.cost },
            cost_removed: if removed { self.cost } else { Yuan::ZERO },
            cost_closing: if removed { Yuan::ZERO } else { self.cost },
            depreciation_opening,
            depreciation_charged,
            depreciation_removed: if removed { held } else { Yuan::ZERO },
            depreciation_closing: if removed { Yuan::ZERO } else { held },
        };
        Ok(Some(AssetRow {
            id: self.id.clone(),
            name: self.name.to_string(),
            greenhouse: self.greenhouse,
            in_use: self.in_use,
            depreciation: self.depreciation,
            residual: self.residual,
            retired: self.retired,
            figures,
        }))
    }
}

/// The ledger's figures of the cost account `cost` and its accumulated depreciation (or
/// amortisation) account `depreciation` for the year from `first` to `last`.
fn ledger_figures(
    book: &Book,
    (cost, depreciation): (&str, &str),
    (first, last): (Date, Date),
) -> Result<AssetFigures> {
    let journal = book.journal();
    let cost = AccountCode::new(cost)?;
    let depreciation = AccountCode::new(depreciation)?;
    let at = |code: &AccountCode, date: Option<Date>| -> Result<Yuan> {
        match date {
            Some(date) => journal.balance(code, date),
            None => Ok(Yuan::ZERO),
        }
    };
    let opening = first.previous_day();
    let cost_moved = journal.movement(&cost, first, last)?;
    let depreciation_moved = journal.movement(&depreciation, first, last)?;
    Ok(AssetFigures {
        cost_opening: at(&cost, opening)?,
        cost_added: cost_moved.debits,
        cost_removed: cost_moved.credits,
        cost_closing: at(&cost, Some(last))?,
        depreciation_opening: at(&depreciation, opening)?.checked_neg()?,
        depreciation_charged: depreciation_moved.credits,
        depreciation_removed: depreciation_moved.debits,
        depreciation_closing: at(&depreciation, Some(last))?.checked_neg()?,
    })
}

/// 固定资产及生产性生物资产明细表 for `year`: every greenhouse and other asset held at some
/// time in the year, with its cost and accumulated depreciation at the year's start, the
/// year's additions, depreciation and disposals, and at the year's end, as the entries of
/// its events booked them (depreciation counts in the year of its entry: a December booked
/// in January counts in January's year, as the ledger has it); and every land-share
/// contract's land-use right held in the year, with its amortisation counted the same way
/// ([`LandRightSection`]). Each kind's total is the ledger's (the balance sheet's lines 10
/// and 11, 7 and 8, and 16 and 17), and what the rows do not account for (entries recorded
/// directly) is shown on a line of its own, so the rows and that line always add up to the
/// total.
///
/// # Errors
///
/// [`crate::PoolError::NotAllowed`] for a year the calendar cannot hold;
/// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
///
/// # Example
///
/// A well bought in April 2020 and depreciated over 20 years, and the reference
/// cooperative's 2019 balance-sheet figures for its greenhouses:
///
/// ```
/// use landpool::*;
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
/// book.apply("d2".parse()?, Event::DepreciationBooked { year: 2021, month: 12 })?;
/// let register = report::asset_register(&book, 2021)?;
/// let fixed = register.section(AssetKind::Fixed).ok_or("no fixed assets")?;
/// let well = &fixed.rows[0].figures;
/// // May to December 2020 is 8 months of 47.50; 2021 is 12.
/// assert_eq!(well.depreciation_opening.to_string(), "380.00");
/// assert_eq!(well.depreciation_charged.to_string(), "570.00");
/// assert_eq!(well.net_closing()?.to_string(), "11050.00");
/// assert_eq!(fixed.total, *well);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn asset_register(book: &Book, year: i32) -> Result<AssetRegister> {
    let (first, last) = year_bounds(year)?;
    let greenhouses = book.greenhouses().map(|record| Held {
        id: record.greenhouse.id.as_str().to_string(),
        name: &record.greenhouse.name,
        greenhouse: true,
        kind: AssetKind::Fixed,
        in_use: record.greenhouse.built,
        cost: record.greenhouse.cost,
        residual: record.greenhouse.residual,
        depreciation: DepreciationMethod::StraightLine {
            life_months: record.greenhouse.life_months,
        },
        retired: record.retired,
        by_year: &record.depreciated_by_year,
    });
    let assets = book.assets().map(|record| Held {
        id: record.asset.id.as_str().to_string(),
        name: &record.asset.name,
        greenhouse: false,
        kind: record.asset.kind,
        in_use: record.asset.in_use,
        cost: record.asset.cost,
        residual: record.asset.residual,
        depreciation: record.asset.depreciation,
        retired: record.retired,
        by_year: &record.depreciated_by_year,
    });
    let mut sections: Vec<AssetSection> = [AssetKind::Fixed, AssetKind::ProductiveBiological]
        .into_iter()
        .map(|kind| AssetSection {
            kind,
            rows: Vec::new(),
            outside: AssetFigures::default(),
            total: AssetFigures::default(),
        })
        .collect();
    for held in greenhouses.chain(assets) {
        if let Some(row) = held.row(year)? {
            if let Some(section) = sections.iter_mut().find(|s| s.kind == held.kind) {
                section.rows.push(row);
            }
        }
    }
    for section in &mut sections {
        let codes = (section.kind.cost_code(), section.kind.depreciation_code());
        let total = ledger_figures(book, codes, (first, last))?;
        section.outside = outside(&total, section.rows.iter().map(|row| &row.figures))?;
        section.total = total;
    }
    let mut land_rights = LandRightSection::default();
    for record in book.contracts() {
        if let Some(row) = land_right_row(book, record, year)? {
            land_rights.rows.push(row);
        }
    }
    let total = ledger_figures(book, ("161", "162"), (first, last))?;
    land_rights.outside = outside(&total, land_rights.rows.iter().map(|row| &row.figures))?;
    land_rights.total = total;
    Ok(AssetRegister {
        year,
        sections,
        land_rights,
    })
}

/// The ledger's `total` less the sum of the rows' figures.
fn outside<'a>(
    total: &AssetFigures,
    rows: impl Iterator<Item = &'a AssetFigures>,
) -> Result<AssetFigures> {
    let mut sum = AssetFigures::default();
    for figures in rows {
        sum = sum.zip(figures, Yuan::checked_add)?;
    }
    total.zip(&sum, Yuan::checked_sub)
}

/// The row of a land-share contract's land-use right for `year`, or `None` for a contract
/// without capital (a transfer) or signed after the year.
fn land_right_row(book: &Book, record: &ContractRecord, year: i32) -> Result<Option<LandRightRow>> {
    let contract = &record.contract;
    if !record.capital.is_positive() || contract.start.year() > year {
        return Ok(None);
    }
    let (opening, charged) = by_year(
        record
            .amortised_booked
            .iter()
            .map(|(date, amount)| (date.year(), *amount)),
        year,
    )?;
    let before = contract.start.year() < year;
    let held = opening.checked_add(charged)?;
    let cost = record.capital;
    Ok(Some(LandRightRow {
        contract: contract.id.clone(),
        member: contract.member.clone(),
        member_name: book
            .member(&contract.member)
            .map(|member| member.name.to_string())
            .unwrap_or_default(),
        start: contract.start,
        end: contract.end,
        figures: AssetFigures {
            cost_opening: if before { cost } else { Yuan::ZERO },
            cost_added: if before { Yuan::ZERO } else { cost },
            cost_closing: cost,
            depreciation_opening: opening,
            depreciation_charged: charged,
            depreciation_closing: held,
            ..AssetFigures::default()
        },
    }))
}

/// The amounts booked before `year` and in it, of `(year booked, amount)` pairs.
fn by_year(booked: impl Iterator<Item = (i32, Yuan)>, year: i32) -> Result<(Yuan, Yuan)> {
    let (mut before, mut during) = (Yuan::ZERO, Yuan::ZERO);
    for (booked, amount) in booked {
        if booked < year {
            before = before.checked_add(amount)?;
        } else if booked == year {
            during = during.checked_add(amount)?;
        }
    }
    Ok((before, during))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_combine_amount_by_amount() -> Result<()> {
        let a = AssetFigures::from_amounts(std::array::from_fn(|i| {
            Yuan::from_fen(i64::try_from(i).unwrap_or(0) * 100)
        }));
        let b = AssetFigures::from_amounts([Yuan::from_fen(1); 8]);
        let sum = a.zip(&b, Yuan::checked_add)?;
        assert_eq!(
            sum.amounts(),
            std::array::from_fn(|i| Yuan::from_fen(i64::try_from(i).unwrap_or(0) * 100 + 1))
        );
        assert_eq!(sum.zip(&b, Yuan::checked_sub)?, a);
        Ok(())
    }
}
