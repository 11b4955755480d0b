//! The year-end close and the distribution of the surplus (盈余分配).
//!
//! Closing a year, in the order the 2021 system and the law prescribe:
//!
//! 1. Every profit-and-loss account's movement in the year is closed into 331 本年盈余
//!    (revenue to its credit, expenses to its debit), and 331 into 332.02 未分配盈余.
//! 2. Losses of earlier years (a debit opening balance of 332.02) are covered first from this
//!    year's surplus.
//! 3. The reserve (盈余公积, 322; and a welfare fund if the bylaws have one, also to 322) is
//!    drawn as a percentage of this year's surplus after covering losses (the two
//!    percentages together, rounded once).
//! 4. The distributable surplus is shared: at least 60% by transaction volume (law art. 44,
//!    按交易量返还, Cr 221 per member), a share for the village collective if the bylaws give
//!    one (Cr 222), and the rest in proportion to each member's capital contribution,
//!    reserve share and equal share of the property from state subsidies and donations
//!    (Cr 222 per member). Land-share capital counts by the days it was held in the year
//!    (二次分红 weighted by days held).
//! 5. The reserve drawn this year is quantified into members' reserve shares in proportion to
//!    their transaction volume.
//! 6. 332.01 各项分配 is cleared into 332.02 未分配盈余 and the year is locked.
//!
//! The members sharing are those who are members on the year's last day: a member who left
//! on it, or whose leaving on a later day is recorded before the close, has a part, paid
//! all in cash by the settlement. When none of them has any transaction volume (as the
//! policy counts it), the patronage returns and the reserve are shared equally; when none
//! has capital, a reserve share or 311 property to share either, so is the rest.
//!
//! Every split goes through [`allocate`](crate::allocate), so the parts add back to the
//! whole to the fen. In a loss year nothing is drawn or distributed; the loss stays in 332.02
//! and is covered first in later years. Paying a distribution out, and converting part of it
//! to capital, are events of the next year ([`Event::DistributionSettled`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::{Book, Event, Plan, Update};
use crate::book::land::member_account;
use crate::book::CashAccount;
use crate::ledger::{AccountCode, Entry, Name};
use crate::parallel;
use crate::pool::PoolError;
use crate::{allocate, ContractKind, Error, EventId, MemberId, MemberKind, Result, Rounding, Yuan};

/// The sub-account of 332 for this year's distributions (各项分配).
///
/// # Example
///
/// ```
/// use landpool::folder::BookFolder;
/// use landpool::ledger::AccountCode;
/// use landpool::{Yuan, DISTRIBUTIONS};
/// use time::macros::date;
///
/// assert_eq!(DISTRIBUTIONS, "332.01");
/// let code = AccountCode::new(DISTRIBUTIONS)?;
/// let book = BookFolder::reference()?.run()?;
/// let journal = book.journal();
/// assert_eq!(journal.chart().get(&code).map(|a| a.name_zh.as_str()), Some("各项分配"));
/// // The close debits it with the reserve drawn and what is distributed, then carries
/// // that to 332.02, leaving it at zero.
/// let distribution = book.distribution(2019).ok_or("2019 is not closed")?;
/// let movement = journal.movement(&code, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// assert_eq!(movement.debits.to_string(), "1976025.00");
/// assert_eq!(movement.debits, distribution.reserve.checked_add(distribution.distributed)?);
/// assert_eq!(movement.credits, movement.debits);
/// assert_eq!(journal.closing_balance(&code)?, Yuan::ZERO);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const DISTRIBUTIONS: &str = "332.01";
/// The sub-account of 332 for the surplus not yet distributed (未分配盈余).
///
/// # Example
///
/// ```
/// use landpool::folder::BookFolder;
/// use landpool::ledger::AccountCode;
/// use landpool::{Yuan, UNDISTRIBUTED};
/// use time::macros::date;
///
/// assert_eq!(UNDISTRIBUTED, "332.02");
/// let code = AccountCode::new(UNDISTRIBUTED)?;
/// let book = BookFolder::reference()?.run()?;
/// let journal = book.journal();
/// assert_eq!(journal.chart().get(&code).map(|a| a.name_zh.as_str()), Some("未分配盈余"));
/// // The close credits it with the year's surplus and debits it with 332.01's
/// // distributions; what is left is line 20 (年末未分配盈余), a credit balance.
/// let distribution = book.distribution(2019).ok_or("2019 is not closed")?;
/// let movement = journal.movement(&code, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
/// assert_eq!(movement.credits, distribution.surplus);
/// assert_eq!(movement.credits.to_string(), "1976025.00");
/// assert_eq!(journal.closing_balance(&code)?, distribution.closing_undistributed.checked_neg()?);
/// assert_eq!(distribution.closing_undistributed, Yuan::ZERO);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const UNDISTRIBUTED: &str = "332.02";

/// The accounts under which the close and the settlement post to accounts as they are
/// (322, 331, 332.01, 332.02, and the members' 221, 222 and 301): no sub-account may be
/// opened under them.
const CLOSE_POSTS_UNDER: [&str; 6] = ["221", "222", "301", "322", "331", "332"];

/// The members' other control accounts, whose sub-accounts the book opens itself, one for
/// each member (`114.M001`) and one for non-members' pay (`213.NONMEMBER`): no sub-account
/// of the accountant's may be opened under them.
const MEMBER_ONLY_UNDER: [&str; 3] = ["114", "212", "213"];

/// The most postings a distribution entry carries; larger member lists are split over
/// several entries.
const POSTINGS_PER_ENTRY: usize = 1000;

/// Which surplus the law's 60% (and the whole distribution) applies to.
///
/// # Example
///
/// ```
/// assert_eq!(serde_json::to_string(&landpool::PatronageBase::ThisYear)?, r#""this_year""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatronageBase {
    /// This year's surplus after covering earlier losses and drawing the reserve (default).
    ThisYear,
    /// Statement line 16 可分配盈余, which also includes surplus carried from earlier years.
    Distributable,
}

/// What counts as a member's transactions with the cooperative (the bylaws' choice), as
/// weights of a mix. A member's volume is `Σ weight × (member's amount ÷ everyone's amount)`
/// over the kinds with a weight above zero, everyone being the members who share the
/// distribution (those on the year's last day): each kind carries its weight among them.
///
/// # Example
///
/// ```
/// let land_only = landpool::VolumeWeights::land_only();
/// assert_eq!(land_only.land_mu_days, rust_decimal::Decimal::ONE);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeWeights {
    /// Land pooled, in mu × days held in the year.
    #[serde(with = "crate::exact_decimal")]
    pub land_mu_days: Decimal,
    /// Work in the park, measured by the pay booked for it in the year (days, hours and
    /// pieces alike): the credits to the member's 212 and 213 sub-accounts by entries dated
    /// in the year, so a timesheet counts in the year of its date.
    #[serde(with = "crate::exact_decimal")]
    pub labour_pay: Decimal,
}

impl VolumeWeights {
    /// Land pooled only: the usual measure for a land-pool cooperative.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::VolumeWeights;
    /// use rust_decimal::Decimal;
    ///
    /// let weights = VolumeWeights::land_only();
    /// assert_eq!((weights.land_mu_days, weights.labour_pay), (Decimal::ONE, Decimal::ZERO));
    /// ```
    pub fn land_only() -> VolumeWeights {
        VolumeWeights {
            land_mu_days: Decimal::ONE,
            labour_pay: Decimal::ZERO,
        }
    }
}

/// The bylaws' choices for distributing a year's surplus (章程). Validated when a year is
/// closed.
///
/// In JSON (inside [`Event::YearClosed`](crate::Event::YearClosed)) a field the policy does
/// not have is refused, not ignored: a misspelt `cover_loss_from_reserve` would leave a loss
/// uncovered. That field may be left out (policies written before it existed), and is then
/// false.
///
/// # Example
///
/// ```
/// use landpool::{DistributionPolicy, Error, PoolError};
/// use rust_decimal_macros::dec;
///
/// let policy = DistributionPolicy::standard(dec!(10), dec!(70));
/// policy.validate()?;
/// let unlawful = DistributionPolicy::standard(dec!(10), dec!(55));
/// assert!(matches!(unlawful.validate(), Err(Error::Pool(PoolError::BadNumber { .. }))));
/// assert!(unlawful.validate().unwrap_err().to_string().contains("art. 44"));
///
/// let json = r#"{"reserve_percent":"10","welfare_percent":"0","patronage_percent":"70","base":"this_year","volume":{"land_mu_days":"1","labour_pay":"0"},"collective_percent":"0","convert_to_capital_percent":"0"}"#;
/// assert_eq!(serde_json::from_str::<DistributionPolicy>(json).ok(), Some(policy));
/// let misspelt = format!(r#"{},"cover_loss_from_reserv":true}}"#, json.trim_end_matches('}'));
/// let error = serde_json::from_str::<DistributionPolicy>(&misspelt).err().map(|e| e.to_string());
/// assert!(error.is_some_and(|e| e.starts_with(
///     "unknown field `cover_loss_from_reserv`, expected one of `reserve_percent`"
/// )));
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionPolicy {
    /// Percent of this year's surplus (after covering losses) drawn to the reserve 盈余公积.
    #[serde(with = "crate::exact_decimal")]
    pub reserve_percent: Decimal,
    /// Percent drawn to a welfare fund (公益金), booked to 322 with the reserve as one
    /// amount, rounded once from the two percentages together; 0 for none.
    #[serde(with = "crate::exact_decimal")]
    pub welfare_percent: Decimal,
    /// Percent of the distributable surplus returned by transaction volume: at least 60.
    #[serde(with = "crate::exact_decimal")]
    pub patronage_percent: Decimal,
    /// Which surplus the distribution applies to.
    pub base: PatronageBase,
    /// What counts as transaction volume.
    pub volume: VolumeWeights,
    /// Percent of the distributable surplus given to the village collective member(s) as a
    /// bylaw split; 0 for none. Taken from the part not returned by volume.
    #[serde(with = "crate::exact_decimal")]
    pub collective_percent: Decimal,
    /// Percent of each member's payout converted to capital when it is settled; 0 for none.
    #[serde(with = "crate::exact_decimal")]
    pub convert_to_capital_percent: Decimal,
    /// Whether a loss this year's surplus leaves uncovered is covered from the reserve at
    /// the close (盈余公积弥补亏损, Dr 322 / Cr 332 未分配盈余; line 14 其他转入 of the
    /// surplus statement), as far as the reserve quantified to the members on the last day
    /// of the year goes and 322 holds on that day and every later one (an entry dated after
    /// the year that already took from 322 is not covered again), each member's reserve
    /// share reduced in proportion to it. Absent in
    /// the JSON form when `false` (the default), so older logs read and hash as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cover_loss_from_reserve: bool,
}

impl DistributionPolicy {
    /// A policy with the given reserve and patronage percentages, volume by land pooled,
    /// no welfare fund, no collective split, nothing converted to capital, no loss covered
    /// from the reserve.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{DistributionPolicy, PatronageBase, VolumeWeights};
    /// use rust_decimal_macros::dec;
    ///
    /// let policy = DistributionPolicy::standard(dec!(10), dec!(70));
    /// assert_eq!((policy.reserve_percent, policy.patronage_percent), (dec!(10), dec!(70)));
    /// assert_eq!(policy.welfare_percent, dec!(0));
    /// assert_eq!(policy.collective_percent, dec!(0));
    /// assert_eq!(policy.convert_to_capital_percent, dec!(0));
    /// assert!(!policy.cover_loss_from_reserve);
    /// assert_eq!(policy.base, PatronageBase::ThisYear);
    /// assert_eq!(policy.volume, VolumeWeights::land_only());
    /// ```
    pub fn standard(reserve_percent: Decimal, patronage_percent: Decimal) -> DistributionPolicy {
        DistributionPolicy {
            reserve_percent,
            welfare_percent: Decimal::ZERO,
            patronage_percent,
            base: PatronageBase::ThisYear,
            volume: VolumeWeights::land_only(),
            collective_percent: Decimal::ZERO,
            convert_to_capital_percent: Decimal::ZERO,
            cover_loss_from_reserve: false,
        }
    }

    /// Checks the policy against the law and arithmetic.
    ///
    /// # Errors
    ///
    /// [`PoolError::BadNumber`] for a percentage below 0 or above 100, reserve and welfare
    /// together above 100, a patronage share below 60% (refused under art. 44 of the Farmers'
    /// Professional Cooperatives Law), a collective share above what patronage leaves, or
    /// volume weights that are negative or all zero.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{DistributionPolicy, Error, PoolError};
    /// use rust_decimal_macros::dec;
    ///
    /// // 60% returned by transaction volume is the least the law allows.
    /// assert!(matches!(DistributionPolicy::standard(dec!(10), dec!(60)).validate(), Ok(())));
    /// let over = DistributionPolicy::standard(dec!(101), dec!(70));
    /// assert!(matches!(over.validate(), Err(Error::Pool(PoolError::BadNumber { .. }))));
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.broken_rule().map_err(|broken| broken.1)
    }

    /// [`DistributionPolicy::validate`], naming with the error the field whose value breaks
    /// the rule (`reserve_percent`, `welfare_percent`, `patronage_percent`,
    /// `collective_percent`, `convert_to_capital_percent` or `volume`), so that a book
    /// folder can point at the setting to mend.
    pub(crate) fn broken_rule(&self) -> std::result::Result<(), Box<(&'static str, Error)>> {
        let percent = |field: &'static str, what: &str, value: Decimal| {
            if value.is_sign_negative() && !value.is_zero() || value > Decimal::ONE_HUNDRED {
                return Err(Box::new((
                    field,
                    PoolError::BadNumber {
                        what: format!("distribution policy: {what}"),
                        expected: "a percentage from 0 to 100",
                        value,
                    }
                    .into(),
                )));
            }
            Ok(())
        };
        percent("reserve_percent", "reserve percent", self.reserve_percent)?;
        percent("welfare_percent", "welfare percent", self.welfare_percent)?;
        percent(
            "patronage_percent",
            "patronage percent",
            self.patronage_percent,
        )?;
        percent(
            "collective_percent",
            "collective percent",
            self.collective_percent,
        )?;
        percent(
            "convert_to_capital_percent",
            "percent converted to capital",
            self.convert_to_capital_percent,
        )?;
        let bad = |field: &'static str, what: &str, expected: &'static str, value: Decimal| {
            Err(Box::new((
                field,
                PoolError::BadNumber {
                    what: format!("distribution policy: {what}"),
                    expected,
                    value,
                }
                .into(),
            )))
        };
        // Each percent is now known to be within 0..=100, so neither sum nor difference below
        // can overflow; checked all the same.
        let reserve_and_welfare = self
            .reserve_percent
            .checked_add(self.welfare_percent)
            .ok_or_else(|| {
                Box::new((
                    "welfare_percent",
                    overflow("distribution policy: reserve and welfare percent"),
                ))
            })?;
        if reserve_and_welfare > Decimal::ONE_HUNDRED {
            return bad(
                "welfare_percent",
                "reserve and welfare percent together",
                "at most 100",
                reserve_and_welfare,
            );
        }
        if self.patronage_percent < Decimal::from(60) {
            return bad(
                "patronage_percent",
                "patronage percent (returns by transaction volume must be at least 60% of the distributable surplus, Farmers' Professional Cooperatives Law art. 44)",
                "at least 60",
                self.patronage_percent,
            );
        }
        let after_patronage = Decimal::ONE_HUNDRED
            .checked_sub(self.patronage_percent)
            .ok_or_else(|| {
                Box::new((
                    "patronage_percent",
                    overflow("distribution policy: 100 minus the patronage percent"),
                ))
            })?;
        if self.collective_percent > after_patronage {
            return bad(
                "collective_percent",
                "collective percent (taken from what patronage returns leave)",
                "at most 100 minus the patronage percent",
                self.collective_percent,
            );
        }
        let weights = [self.volume.land_mu_days, self.volume.labour_pay];
        if weights.iter().any(|w| w.is_sign_negative() && !w.is_zero())
            || weights.iter().all(Decimal::is_zero)
        {
            return bad(
                "volume",
                "volume weights",
                "zero or more, at least one above zero",
                self.volume.land_mu_days,
            );
        }
        Ok(())
    }
}

/// The year's profit and loss before the closing entries (盈余及盈余分配表 lines 1–11),
/// each as a positive amount on its usual side (revenue credits, expense debits).
///
/// # Example
///
/// The reference cooperative's 2019, from [`Book::profit_and_loss`]:
///
/// ```
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let pl = book.profit_and_loss(2019)?;
/// assert_eq!(pl.operating_revenue.to_string(), "4000000.00");
/// assert_eq!(pl.operating_expenses.to_string(), "1977100.00");
/// assert_eq!(pl.administrative_expenses.to_string(), "36000.00");
/// assert_eq!(pl.finance_expenses.to_string(), "10875.00");
/// // 7 经营收益 = 1 + 2 − 3 − 4 − 5 − 6; no other income, expenses or tax: 12 本年盈余 too.
/// assert_eq!(pl.operating_result()?.to_string(), "1976025.00");
/// assert_eq!(pl.surplus()?, pl.operating_result()?);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProfitAndLoss {
    /// 1 经营收入 (501).
    pub operating_revenue: Yuan,
    /// 2 投资收益 (511; negative for a loss).
    pub investment_income: Yuan,
    /// 3 经营支出 (521).
    pub operating_expenses: Yuan,
    /// 4 税金及附加 (522).
    pub taxes_and_surcharges: Yuan,
    /// 5 管理费用 (523).
    pub administrative_expenses: Yuan,
    /// 6 财务费用 (524; negative when interest income and subsidies exceed interest).
    pub finance_expenses: Yuan,
    /// 8 其他收入 (502).
    pub other_income: Yuan,
    /// 9 其他支出 (529).
    pub other_expenses: Yuan,
    /// 11 所得税费用 (531).
    pub income_tax: Yuan,
}

impl ProfitAndLoss {
    /// 7 经营收益 = 1 + 2 − 3 − 4 − 5 − 6.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] if the result does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// let pl = landpool::ProfitAndLoss { operating_revenue: landpool::Yuan::from_fen(500), ..Default::default() };
    /// assert_eq!(pl.operating_result()?.fen(), 500);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn operating_result(&self) -> Result<Yuan> {
        self.operating_revenue
            .checked_add(self.investment_income)?
            .checked_sub(self.operating_expenses)?
            .checked_sub(self.taxes_and_surcharges)?
            .checked_sub(self.administrative_expenses)?
            .checked_sub(self.finance_expenses)
    }

    /// 10 盈余总额 = 7 + 8 − 9.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] if the result does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// let pl = landpool::ProfitAndLoss { other_income: landpool::Yuan::from_fen(7), ..Default::default() };
    /// assert_eq!(pl.total_surplus()?.fen(), 7);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn total_surplus(&self) -> Result<Yuan> {
        self.operating_result()?
            .checked_add(self.other_income)?
            .checked_sub(self.other_expenses)
    }

    /// 12 本年盈余 = 10 − 11.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] if the result does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// let pl = landpool::ProfitAndLoss { income_tax: landpool::Yuan::from_fen(7), ..Default::default() };
    /// assert_eq!(pl.surplus()?.fen(), -7);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn surplus(&self) -> Result<Yuan> {
        self.total_surplus()?.checked_sub(self.income_tax)
    }
}

/// One member's part of a year's distribution (the 成员账户 figures for the year).
///
/// # Example
///
/// A member of the reference cooperative in its 2019 [`Book::distribution`]:
///
/// ```
/// use landpool::Yuan;
/// use rust_decimal_macros::dec;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let distribution = book.distribution(2019).ok_or("2019 is not closed")?;
/// let h01 = distribution.share(&"H01".parse()?).ok_or("no H01")?;
/// assert_eq!(h01.land_mu_days, dec!(3047.75));
/// assert_eq!(h01.labour_pay.to_string(), "39900.00");
/// assert_eq!(h01.capital_counted.to_string(), "10000.00");
/// assert_eq!(h01.reserve_share.to_string(), "8249.90");
/// assert_eq!(h01.patronage.to_string(), "51974.40");
/// assert_eq!(h01.remaining.to_string(), "17746.24");
/// // The members' parts add back to the year's totals to the fen.
/// let patronage = distribution.members.iter().try_fold(Yuan::ZERO, |sum, m| sum.checked_add(m.patronage))?;
/// assert_eq!(patronage, distribution.patronage);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberShare {
    /// The member.
    pub member: MemberId,
    /// Land pooled in the year, mu × days.
    #[serde(with = "crate::exact_decimal")]
    pub land_mu_days: Decimal,
    /// Pay for work in the park booked in the year: the credits to the member's 212 and 213
    /// sub-accounts by entries dated in the year (a timesheet counts in the year of its date).
    pub labour_pay: Yuan,
    /// The weight of the patronage return (the volume mix, scaled exactly).
    #[serde(with = "crate::exact_decimal")]
    pub volume_weight: Decimal,
    /// Capital counted for the remaining surplus: money capital at the close plus land-share
    /// capital × days held ÷ days in the year (shown to the fen; the split uses the exact
    /// value). Money capital is the member's 301 at the close less the land-share capital of
    /// their contracts held in the year that is still in 301, never below zero: the capital
    /// of a contract that ended in the year counts as refunded as far as
    /// [`Event::CapitalReturned`] returned it against the contract through the close, and
    /// beyond that as far as other debits to 301 (manual entries, which do not say what
    /// they refund) from its last day through the close go (a refund is not in 301 any
    /// more, and is not taken off the member's money capital). A return of money capital
    /// ([`Event::CapitalReturned`] without a contract) refunds no land shares.
    pub capital_counted: Yuan,
    /// The member's equal share of the property from state subsidies in 311 at the close.
    /// With [`MemberShare::donation_share`] it makes the member's equal share of all of 311
    /// (311 ÷ members, rounded down or up to the fen; the remaining-surplus split uses the
    /// exact value). As every split among members, the shares add back to the whole to the
    /// fen through [`allocate`](fn@crate::allocate) (the leftover fen to the first members
    /// in id order): 311 and the donations are each split equally, and the subsidy share is
    /// the member's part of 311 less their part of the donations, so the members' subsidy
    /// shares add back to the subsidy property and their donation shares to the donations.
    pub subsidy_share: Yuan,
    /// The member's equal share of the property from donations in 311 at the close (see
    /// [`MemberShare::subsidy_share`]). Absent in JSON written before it existed: read as 0.
    #[serde(default)]
    pub donation_share: Yuan,
    /// Reserve share before this year's: what the closes before the year quantified to the
    /// member, less what was returned to them before the year and what was converted to
    /// their capital ([`Event::ReserveConverted`](crate::Event::ReserveConverted)) by the
    /// year's last day. The remaining surplus and a loss covered from the reserve are split
    /// by it.
    pub reserve_share_before: Yuan,
    /// Reserve drawn this year quantified to the member.
    pub reserve_share: Yuan,
    /// Patronage return (Cr 221).
    pub patronage: Yuan,
    /// Remaining surplus, including a collective's bylaw share (Cr 222).
    pub remaining: Yuan,
}

/// A closed year: its profit and loss, the steps of the distribution, and every member's
/// part. Kept by the book; the statements are built from it.
///
/// # Example
///
/// The reference cooperative's 2019, from [`Book::distribution`]: 10% of the surplus to
/// the reserve, 70% of the distributable surplus returned by land pooled and the rest
/// distributed as the remaining surplus.
///
/// ```
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let distribution = book.distribution(2019).ok_or("2019 is not closed")?;
/// assert_eq!(distribution.year, 2019);
/// assert_eq!(distribution.surplus.to_string(), "1976025.00");
/// assert_eq!(distribution.reserve.to_string(), "197602.50");
/// assert_eq!(distribution.distributable_line.to_string(), "1778422.50");
/// assert_eq!(distribution.patronage.to_string(), "1244895.75");
/// assert_eq!(distribution.remaining.to_string(), "533526.75");
/// assert_eq!(distribution.closing_undistributed.to_string(), "0.00");
/// assert_eq!(distribution.members.len(), 29);
/// assert!(!distribution.settled);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    /// The year.
    pub year: i32,
    /// The policy applied.
    pub policy: DistributionPolicy,
    /// Lines 1–11.
    pub profit_and_loss: ProfitAndLoss,
    /// 12 本年盈余.
    pub surplus: Yuan,
    /// 13 年初未分配盈余 (negative: an uncovered loss).
    pub opening_undistributed: Yuan,
    /// 14 其他转入: the reserve used to cover a loss
    /// ([`DistributionPolicy::cover_loss_from_reserve`]). Absent in JSON written before it
    /// existed: read as 0.
    #[serde(default)]
    pub reserve_used: Yuan,
    /// Earlier losses covered from this year's surplus.
    pub loss_covered: Yuan,
    /// 15 提取盈余公积 (reserve and welfare fund).
    pub reserve: Yuan,
    /// 16 可分配盈余 = 12 + 13 + 14 − 15.
    pub distributable_line: Yuan,
    /// The amount distributed among members (by the policy's base).
    pub distributed: Yuan,
    /// 17 盈余返还 (patronage returns).
    pub patronage: Yuan,
    /// 18 剩余盈余分配 (including the collective's bylaw share).
    pub remaining: Yuan,
    /// The collective's bylaw share, within `remaining`.
    pub collective: Yuan,
    /// 20 年末未分配盈余 = 16 − 17 − 18 − 19.
    pub closing_undistributed: Yuan,
    /// Each member's part, in member id order.
    pub members: Vec<MemberShare>,
    /// Whether the payouts have been settled ([`Event::DistributionSettled`]).
    pub settled: bool,
}

impl Distribution {
    /// The part of `member`, found by binary search in [`Distribution::members`] (kept in
    /// member id order by the close; a list put in another order by hand is still searched
    /// in full before `None`).
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let distribution = book.distribution(2019).ok_or("2019 is not closed")?;
    /// let first = distribution.members.first().ok_or("no members")?;
    /// assert_eq!(distribution.share(&first.member), Some(first));
    /// assert!(distribution.share(&"NOBODY".parse()?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn share(&self, member: &MemberId) -> Option<&MemberShare> {
        self.position(member).and_then(|at| self.members.get(at))
    }

    /// [`Distribution::share`] for a walk through the members in id order, as the
    /// statements make their rows: the share at `*next` (where the last call left it) is
    /// looked at first and the list searched only when it is not the member's; `*next` is
    /// left just after the share found, and as it was when there is none.
    pub(crate) fn share_from(&self, member: &MemberId, next: &mut usize) -> Option<&MemberShare> {
        let at = match self.members.get(*next) {
            Some(share) if &share.member == member => Some(*next),
            _ => self.position(member),
        }?;
        *next = at.saturating_add(1);
        self.members.get(at)
    }

    /// Where `member`'s share is in [`Distribution::members`].
    fn position(&self, member: &MemberId) -> Option<usize> {
        match self
            .members
            .binary_search_by(|share| share.member.cmp(member))
        {
            Ok(at) => Some(at),
            Err(_) => self
                .members
                .iter()
                .position(|share| &share.member == member),
        }
    }
}

/// 181 待处理财产损溢: cleared before a close; no line of the balance sheet reads it.
const PENDING_PROPERTY: &str = "181";

/// The profit-and-loss standard accounts, with the side their balance is usually on.
pub(crate) const PL_ACCOUNTS: [&str; 9] = [
    "501", "502", "511", "521", "522", "523", "524", "529", "531",
];

pub(crate) fn year_bounds(year: i32) -> Result<(Date, Date)> {
    let bad = || PoolError::NotAllowed {
        what: format!("year {year}"),
        reason: "not a calendar year the books can hold".into(),
    };
    let first = Date::from_calendar_date(year, Month::January, 1).map_err(|_| bad())?;
    let last = Date::from_calendar_date(year, Month::December, 31).map_err(|_| bad())?;
    Ok((first, last))
}

fn percent_of(amount: Yuan, percent: Decimal) -> Result<Yuan> {
    Yuan::from_product(
        &[amount.to_decimal(), percent],
        Decimal::ONE_HUNDRED,
        Rounding::HalfAwayFromZero,
    )
}

impl Book {
    /// The closed year's distribution, if the year is closed.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::Book::new().distribution(2019).is_none());
    /// ```
    pub fn distribution(&self, year: i32) -> Option<&Distribution> {
        self.distributions.get(&year)
    }

    /// The closed years whose distribution is not paid out yet
    /// ([`Event::DistributionSettled`](crate::Event::DistributionSettled)), in order.
    pub(crate) fn unsettled_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.distributions
            .values()
            .filter(|d| !d.settled)
            .map(|d| d.year)
    }

    /// The distribution of the last year closed before `year`, if any: the members' subsidy
    /// and donation shares as last recomputed before `year`.
    pub(crate) fn distribution_before(&self, year: i32) -> Option<&Distribution> {
        self.distributions.range(..year).next_back().map(|(_, d)| d)
    }

    /// The year's profit and loss: for a closed year as it stood before the closing entries,
    /// for an open year as it stands now.
    ///
    /// # Errors
    ///
    /// Ledger errors reading balances; [`Error::Overflow`] if a total does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Book::new().profit_and_loss(2019)?, landpool::ProfitAndLoss::default());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn profit_and_loss(&self, year: i32) -> Result<ProfitAndLoss> {
        if let Some(distribution) = self.distributions.get(&year) {
            return Ok(distribution.profit_and_loss);
        }
        let (first, last) = year_bounds(year)?;
        let net = |code: &str| -> Result<Yuan> {
            let movement = self
                .journal
                .movement(&AccountCode::new(code)?, first, last)?;
            movement.debits.checked_sub(movement.credits)
        };
        Ok(ProfitAndLoss {
            operating_revenue: net("501")?.checked_neg()?,
            investment_income: net("511")?.checked_neg()?,
            operating_expenses: net("521")?,
            taxes_and_surcharges: net("522")?,
            administrative_expenses: net("523")?,
            finance_expenses: net("524")?,
            other_income: net("502")?.checked_neg()?,
            other_expenses: net("529")?,
            income_tax: net("531")?,
        })
    }

    /// Members' land pooled in `year`, in mu × days, from every contract's area history.
    pub(crate) fn land_mu_days(&self, year: i32) -> Result<LandDays<'_>> {
        let (first, last) = year_bounds(year)?;
        // Each contract's mu-days in the year, in the contracts' order (a list, then sorted
        // by member: a book's contracts are mostly signed in its members' order already).
        let mut days: Vec<(&MemberId, Decimal)> = Vec::with_capacity(self.contracts.len());
        for record in self.contracts.values() {
            let from = record.contract.start.max(first);
            let to = record.contract.end.min(last);
            if from > to {
                continue;
            }
            let mut total = Decimal::ZERO;
            for (index, change) in record.areas.iter().enumerate() {
                let start = change.from.max(from);
                let end = record
                    .areas
                    .get(index.saturating_add(1))
                    .and_then(|next| next.from.previous_day())
                    .unwrap_or(to)
                    .min(to);
                if start > end {
                    continue;
                }
                let days = Decimal::from(crate::pool::days_inclusive(start, end));
                total = total
                    .checked_add(
                        change
                            .area
                            .to_decimal()
                            .checked_mul(days)
                            .ok_or_else(|| overflow("mu-days"))?,
                    )
                    .ok_or_else(|| overflow("mu-days"))?;
            }
            days.push((&record.contract.member, total));
        }
        // Stable: a member's contracts are added in the contracts' order.
        if !days.is_sorted_by(|a, b| a.0 <= b.0) {
            days.sort_by(|a, b| a.0.cmp(b.0));
        }
        let mut out: Vec<(&MemberId, Decimal)> = Vec::with_capacity(days.len());
        for (member, total) in days {
            match out.last_mut() {
                Some((last, sum)) if *last == member => {
                    *sum = sum.checked_add(total).ok_or_else(|| overflow("mu-days"))?;
                }
                _ => out.push((member, total)),
            }
        }
        Ok(LandDays(out))
    }

    /// Refuses `what` when 181 待处理财产损溢 holds a balance on `date`: the 2021 system has
    /// pending property losses and gains dealt with before the year is closed (afterwards the
    /// account holds nothing), and no line of the balance sheet reads it.
    pub(crate) fn check_nothing_pending(
        &self,
        date: Date,
        what: impl FnOnce() -> String,
    ) -> Result<()> {
        let pending = self
            .journal
            .balance(&AccountCode::new(PENDING_PROPERTY)?, date)?;
        if pending.is_zero() {
            return Ok(());
        }
        let side = if pending.is_positive() {
            "a debit balance (losses)"
        } else {
            "a credit balance (gains)"
        };
        Err(PoolError::NotAllowed {
            what: what(),
            reason: format!(
                "{PENDING_PROPERTY} 待处理财产损溢 (property losses and gains pending) holds {side} \
                 of {} on {date}, and the balance sheet has no line for it: deal with it (Dr 529 \
                 其他支出 or Cr 502 其他收入) before the year is closed",
                pending.checked_abs()?
            ),
        }
        .into())
    }

    /// Plans the close of `year` under `policy`.
    pub(crate) fn plan_close(
        &self,
        id: &EventId,
        year: i32,
        policy: &DistributionPolicy,
    ) -> Result<Plan> {
        policy.validate()?;
        // The journal keeps only these years: a close outside them would be recorded with
        // its year left open (found by fuzzing, `fuzz/`).
        crate::ledger::check_year(year)?;
        if self.distributions.contains_key(&year) || self.journal.latest_closed() == Some(year) {
            return Err(PoolError::NotAllowed {
                what: format!("closing {year}"),
                reason: "the year is already closed".into(),
            }
            .into());
        }
        if let Some(latest) = self.journal.latest_closed().filter(|&l| l > year) {
            return Err(PoolError::NotAllowed {
                what: format!("closing {year}"),
                reason: format!(
                    "{latest} is closed, and closing a year closes every year before it"
                ),
            }
            .into());
        }
        if let Some(previous) = year.checked_sub(1) {
            // Any entry dated before the year, whenever it was posted.
            let earlier_activity = match year_bounds(previous) {
                Ok((_, end)) => !self
                    .journal
                    .total_movement(Date::MIN, end)?
                    .debits
                    .is_zero(),
                Err(_) => false,
            };
            if earlier_activity && !self.journal.is_closed(previous) {
                return Err(PoolError::NotAllowed {
                    what: format!("closing {year}"),
                    reason: format!("{previous} is not closed; close the years in order"),
                }
                .into());
            }
        }
        let (_, last) = year_bounds(year)?;
        self.check_nothing_pending(last, || format!("closing {year}"))?;
        let mut plan = Plan {
            accounts: Vec::new(),
            entries: Vec::new(),
            update: Update::None,
        };
        let distributions = AccountCode::new(DISTRIBUTIONS)?;
        let undistributed = AccountCode::new(UNDISTRIBUTED)?;
        for (code, zh, en) in [
            (&distributions, "各项分配", "distributions"),
            (&undistributed, "未分配盈余", "undistributed surplus"),
        ] {
            if !self.journal.chart().contains(code) {
                let (zh, en) = Name::pair(zh, en);
                plan.accounts.push((code.clone(), zh, en));
            }
        }
        let surplus_account = AccountCode::new("331")?;

        // 1. Close every P&L leaf account's movement into 331.
        let profit_and_loss = self.profit_and_loss(year)?;
        // (account, net debit movement) of every P&L leaf with a movement in the year.
        let mut movements: Vec<(AccountCode, Yuan)> = Vec::new();
        let mut to_surplus = Yuan::ZERO;
        let (first, _) = year_bounds(year)?;
        for root in PL_ACCOUNTS {
            let root = AccountCode::new(root)?;
            for account in self.journal.chart().leaves_within(&root) {
                let movement = self.journal.movement(&account.code, first, last)?;
                let net = movement.debits.checked_sub(movement.credits)?;
                if !net.is_zero() {
                    to_surplus = to_surplus.checked_sub(net)?;
                    movements.push((account.code.clone(), net));
                }
            }
        }
        let surplus = profit_and_loss.surplus()?;
        if to_surplus != surplus {
            return Err(PoolError::NotAllowed {
                what: format!("closing {year}"),
                reason: format!("the P&L accounts net to {to_surplus} but lines 1-11 give {surplus}; the books are inconsistent"),
            }
            .into());
        }
        // One closing entry, or several of at most POSTINGS_PER_ENTRY postings when a book has
        // many P&L sub-accounts (a county's greenhouses); each balances into 331.
        for (number, chunk) in movements.chunks(POSTINGS_PER_ENTRY - 1).enumerate() {
            let entry_id = if number == 0 {
                format!("{id}:pl")
            } else {
                format!("{id}:pl{number}")
            };
            let mut closing = Entry::new(
                entry_id,
                last,
                format!("结转本年盈余 close {year}'s profit and loss into 331"),
            );
            let mut into_surplus = Yuan::ZERO;
            for (code, net) in chunk {
                if net.is_positive() {
                    closing = closing.credit(code.clone(), *net);
                } else {
                    closing = closing.debit(code.clone(), net.checked_neg()?);
                }
                into_surplus = into_surplus.checked_sub(*net)?;
            }
            if into_surplus.is_positive() {
                closing = closing.credit(surplus_account.clone(), into_surplus);
            } else if into_surplus.is_negative() {
                closing = closing.debit(surplus_account.clone(), into_surplus.checked_neg()?);
            }
            plan.entries.push(closing);
        }
        // 331 → 332.02.
        if !surplus.is_zero() {
            let magnitude = surplus.checked_abs()?;
            let transfer = Entry::new(
                format!("{id}:331"),
                last,
                format!("本年盈余转入未分配盈余 {year}'s surplus to 332.02"),
            );
            plan.entries.push(if surplus.is_positive() {
                transfer
                    .debit(surplus_account.clone(), magnitude)
                    .credit(undistributed.clone(), magnitude)
            } else {
                transfer
                    .debit(undistributed.clone(), magnitude)
                    .credit(surplus_account.clone(), magnitude)
            });
        }

        // 2-4. Losses, reserve, distributable.
        let opening_undistributed = self
            .journal
            .balance(
                &undistributed_or_parent(self, &undistributed)?,
                first.previous_day().unwrap_or(first),
            )?
            .checked_neg()?;
        let (loss_covered, reserve, base) = if surplus.is_positive() {
            let loss = if opening_undistributed.is_negative() {
                opening_undistributed.checked_neg()?.min(surplus)
            } else {
                Yuan::ZERO
            };
            let after_losses = surplus.checked_sub(loss)?;
            // The reserve and the welfare fund are booked as one amount to 322 (line 15):
            // rounded once, from their percentages together (validated to be at most 100).
            let together = policy
                .reserve_percent
                .checked_add(policy.welfare_percent)
                .ok_or_else(|| overflow("reserve and welfare percent"))?;
            let reserve = percent_of(after_losses, together)?;
            (loss, reserve, after_losses.checked_sub(reserve)?)
        } else {
            (Yuan::ZERO, Yuan::ZERO, Yuan::ZERO)
        };
        let distributable_line = surplus
            .checked_add(opening_undistributed)?
            .checked_sub(reserve)?;
        // Members sharing: members on the last day of the year.
        let members: Vec<&crate::Member> = self.members_on(last).collect();
        let (mut shares, remaining_weights) = self.member_shares(year, policy, &members)?;
        // 14. A loss still uncovered, from the reserve quantified to the members (and no
        // more than 322 holds on the last day and on every later day: an entry dated after
        // the year that took from 322 is not covered again), each member's share reduced
        // in proportion to it.
        let reserve_used = if policy.cover_loss_from_reserve && distributable_line.is_negative() {
            let in_reserve = self
                .least_credit_from(&AccountCode::new("322")?, last)?
                .0
                .max(Yuan::ZERO);
            let quantified = Yuan::checked_sum(
                shares
                    .iter()
                    .map(|s| s.reserve_share_before.max(Yuan::ZERO)),
            )?;
            let used = distributable_line
                .checked_neg()?
                .min(in_reserve)
                .min(quantified);
            if used.is_positive() {
                let weights: Vec<Decimal> = shares
                    .iter()
                    .map(|s| s.reserve_share_before.max(Yuan::ZERO).to_decimal())
                    .collect();
                for (share, part) in shares.iter_mut().zip(allocate(used, &weights)?) {
                    share.reserve_share = part.checked_neg()?;
                }
                plan.entries.push(
                    Entry::new(
                        format!("{id}:cover"),
                        last,
                        format!("盈余公积弥补亏损 the reserve covers the loss, {year}"),
                    )
                    .debit(AccountCode::new("322")?, used)
                    .credit(undistributed.clone(), used),
                );
            }
            used
        } else {
            Yuan::ZERO
        };
        let distributable_line = distributable_line.checked_add(reserve_used)?;
        let distributed = match policy.base {
            PatronageBase::ThisYear => base,
            PatronageBase::Distributable => distributable_line.max(Yuan::ZERO),
        };

        let patronage = if distributed.is_positive() {
            percent_of(distributed, policy.patronage_percent)?
        } else {
            Yuan::ZERO
        };
        // The collective's share comes out of what patronage leaves: both are rounded to the
        // fen, and two halves rounded up must not take more than was distributed.
        let collective = if distributed.is_positive() {
            percent_of(distributed, policy.collective_percent)?
                .min(distributed.checked_sub(patronage)?.max(Yuan::ZERO))
        } else {
            Yuan::ZERO
        };
        let rest = distributed
            .checked_sub(patronage)?
            .checked_sub(collective)?;

        if distributed.is_positive() || reserve.is_positive() {
            if shares.is_empty() {
                return Err(PoolError::NotAllowed {
                    what: format!("closing {year}"),
                    reason: "there is a surplus to distribute but no members on the last day of the year".into(),
                }
                .into());
            }
            let volume: Vec<Decimal> = shares.iter().map(|s| s.volume_weight).collect();
            let volume = if volume.iter().all(Decimal::is_zero) {
                vec![Decimal::ONE; shares.len()]
            } else {
                volume
            };
            for (share, part) in shares.iter_mut().zip(allocate(patronage, &volume)?) {
                share.patronage = part;
            }
            for (share, part) in shares.iter_mut().zip(allocate(reserve, &volume)?) {
                share.reserve_share = part;
            }
            if collective.is_positive() {
                let collectives: Vec<Decimal> = members
                    .iter()
                    .map(|m| {
                        if m.kind == MemberKind::Collective {
                            Decimal::ONE
                        } else {
                            Decimal::ZERO
                        }
                    })
                    .collect();
                if collectives.iter().all(Decimal::is_zero) {
                    return Err(PoolError::NotAllowed {
                        what: format!("closing {year}"),
                        reason: "the policy gives the village collective a share but no collective is a member".into(),
                    }
                    .into());
                }
                for (share, part) in shares.iter_mut().zip(allocate(collective, &collectives)?) {
                    share.remaining = share.remaining.checked_add(part)?;
                }
            }
            // Remaining: capital (land shares by days held), reserve share and the equal share
            // of 311; with none of these, equally.
            let weights = if remaining_weights.iter().all(Decimal::is_zero) {
                vec![Decimal::ONE; shares.len()]
            } else {
                remaining_weights
            };
            for (share, part) in shares.iter_mut().zip(allocate(rest, &weights)?) {
                share.remaining = share.remaining.checked_add(part)?;
            }
            // Entries: reserve, patronage per member, remaining per member, then clear 332.01.
            if reserve.is_positive() {
                plan.entries.push(
                    Entry::new(
                        format!("{id}:reserve"),
                        last,
                        format!("提取盈余公积 reserve for {year}"),
                    )
                    .debit(distributions.clone(), reserve)
                    .credit(AccountCode::new("322")?, reserve),
                );
            }
            for (kind, code, memo) in [
                (0, "221", "盈余返还 patronage returns"),
                (1, "222", "剩余盈余分配 remaining surplus"),
            ] {
                for (chunk_no, chunk) in shares.chunks(POSTINGS_PER_ENTRY).enumerate() {
                    let mut entry = Entry::new(
                        format!("{id}:{code}:{chunk_no}"),
                        last,
                        format!("{memo} {year}"),
                    );
                    let mut total = Yuan::ZERO;
                    for share in chunk {
                        let amount = if kind == 0 {
                            share.patronage
                        } else {
                            share.remaining
                        };
                        if amount.is_positive() {
                            entry = entry.credit(member_account(code, &share.member)?, amount);
                            total = total.checked_add(amount)?;
                        }
                    }
                    if total.is_positive() {
                        plan.entries.push(entry.debit(distributions.clone(), total));
                    }
                }
            }
            let cleared = reserve.checked_add(distributed)?;
            if cleared.is_positive() {
                plan.entries.push(
                    Entry::new(
                        format!("{id}:clear"),
                        last,
                        format!("结转各项分配 clear {year}'s distributions into 332.02"),
                    )
                    .debit(undistributed.clone(), cleared)
                    .credit(distributions.clone(), cleared),
                );
            }
        }
        let closing_undistributed = distributable_line
            .checked_sub(patronage)?
            .checked_sub(rest.checked_add(collective)?)?;
        plan.update = Update::Closed(
            Box::new(Distribution {
                year,
                policy: policy.clone(),
                profit_and_loss,
                surplus,
                opening_undistributed,
                reserve_used,
                loss_covered,
                reserve,
                distributable_line,
                distributed,
                patronage,
                remaining: rest.checked_add(collective)?,
                collective,
                closing_undistributed,
                members: shares,
                settled: false,
            }),
            {
                let mut movements = movements;
                movements.sort_by(|a, b| a.0.cmp(&b.0));
                movements
            },
        );
        Ok(plan)
    }

    /// The net debit movement of `code` that the closing entries of the years closed on a
    /// day from `from` through `to` (each on its 31 December) moved into 331: added to the
    /// account's movement in the period, it gives the movement as it was before the closes.
    pub(crate) fn closed_movement(&self, code: &AccountCode, from: Date, to: Date) -> Result<Yuan> {
        let mut total = Yuan::ZERO;
        if from > to {
            return Ok(total);
        }
        for (year, movements) in self.closed_movements.range(from.year()..=to.year()) {
            let (_, last) = year_bounds(*year)?;
            if last < from || last > to {
                continue;
            }
            if let Ok(at) = movements.binary_search_by(|(account, _)| account.cmp(code)) {
                if let Some((_, net)) = movements.get(at) {
                    total = total.checked_add(*net)?;
                }
            }
        }
        Ok(total)
    }

    /// Each member's volume, capital, reserve and subsidy figures for `year`, with the exact
    /// weight of each member's remaining-surplus share:
    /// `((capital × D + land-share capital × days held) + reserve share × D) × N + 311 × D`,
    /// where D is the days in the year and N the number of members, so that the equal share
    /// of 311 and the day-weighting stay exact.
    fn member_shares(
        &self,
        year: i32,
        policy: &DistributionPolicy,
        members: &[&crate::Member],
    ) -> Result<(Vec<MemberShare>, Vec<Decimal>)> {
        // Each member's share reads the book only: a large membership is shared between this
        // thread and a second one (the close is one event, and the processor that read the
        // log ahead is idle by then).
        let split = if members.len() >= PARALLEL_SHARES_MIN {
            members.len() / 2
        } else {
            members.len()
        };
        self.member_shares_split(year, policy, members, split)
    }

    /// [`Book::member_shares`], the members from `split` on computed on a second thread
    /// (when one can start), which also sums every member's pay booked while this one walks
    /// the contracts for their land, and looks up the second part's volumes. The shares are
    /// in the members' order, and the first error is the one a single pass finds: the first
    /// part's before the second's.
    fn member_shares_split(
        &self,
        year: i32,
        policy: &DistributionPolicy,
        members: &[&crate::Member],
        split: usize,
    ) -> Result<(Vec<MemberShare>, Vec<Decimal>)> {
        let (first, last) = year_bounds(year)?;
        let days_in_year = Decimal::from(time::util::days_in_year(year));
        let (front, back) = members.split_at(split.min(members.len()));
        let shared = !back.is_empty();
        // Each member's land in mu-days and pay booked in the year (to their 212 and 213
        // sub-accounts): two walks of the book, one on each thread, the land's error first.
        let (land, labour) = parallel::join(
            shared,
            "landpool-shares",
            || self.land_mu_days(year),
            || self.member_pay_booked(first, last),
        );
        let (land, labour) = (land?, labour?);
        // Each member's two volumes, looked up once: for the totals, then for the shares.
        let volumes_of = |part: &[&crate::Member]| -> Vec<(Decimal, Decimal)> {
            let mut next = 0;
            part.iter()
                .map(|member| {
                    (
                        land.of_from(&member.id, &mut next),
                        labour.volume(&member.id).to_decimal(),
                    )
                })
                .collect()
        };
        let (front_volumes, back_volumes) = parallel::join(
            shared,
            "landpool-shares",
            || volumes_of(front),
            || volumes_of(back),
        );
        fn checked_total(
            mut values: impl Iterator<Item = Decimal>,
            what: &str,
            year: i32,
        ) -> Result<Decimal> {
            values
                .try_fold(Decimal::ZERO, |sum, value| sum.checked_add(value))
                .ok_or_else(|| overflow(&format!("total {what} in {year}")))
        }
        let volumes = || front_volumes.iter().chain(&back_volumes);
        // Each kind's total is the sharing members': a member who left before the last day
        // shares nothing, and their land or pay in the totals would take weight from that
        // kind among the members who do share (the policy's mix would not hold).
        let total_land = checked_total(volumes().map(|v| v.0), "land mu-days", year)?;
        let total_labour = checked_total(volumes().map(|v| v.1), "labour pay", year)?;
        let count = Decimal::from(members.len().max(1));
        let fund = self
            .journal
            .balance(&AccountCode::new("311")?, last)?
            .checked_neg()?;
        // Property from subsidies and donations is quantified equally to the members: a
        // debit balance is no property, and a negative equal share of it would make the
        // weight of a member without capital negative.
        if fund.is_negative() {
            return Err(PoolError::NotAllowed {
                what: format!("closing {year}"),
                reason: format!(
                    "311 专项基金 holds a debit balance of {} on {last}, so there is no subsidy or donation property to quantify to the members; correct it before the close",
                    fund.checked_neg()?
                ),
            }
            .into());
        }
        let fund_shares = self.split_fund(fund, members.len(), last)?;
        let use_land = !policy.volume.land_mu_days.is_zero() && !total_land.is_zero();
        let use_labour = !policy.volume.labour_pay.is_zero() && !total_labour.is_zero();
        let context = ShareContext {
            year,
            first,
            last,
            days_in_year,
            count,
            fund,
            volume: &policy.volume,
            use_land,
            use_labour,
            total_land,
            total_labour,
        };
        let shares_of = |part: &[&crate::Member], volumes: &[(Decimal, Decimal)]| {
            part.iter()
                .zip(volumes)
                .map(|(member, volumes)| self.member_share(&context, member, *volumes))
                .collect::<Result<Vec<_>>>()
        };
        let (front_shares, back_shares) = parallel::join(
            shared,
            "landpool-shares",
            || shares_of(front, &front_volumes),
            || shares_of(back, &back_volumes),
        );
        let mut shares = Vec::with_capacity(members.len());
        let mut weights = Vec::with_capacity(members.len());
        for ((mut share, weight), (subsidy, donation)) in front_shares?
            .into_iter()
            .chain(back_shares?)
            .zip(fund_shares)
        {
            share.subsidy_share = subsidy;
            share.donation_share = donation;
            shares.push(share);
            weights.push(weight);
        }
        Ok((shares, weights))
    }

    /// One member's [`MemberShare`] and remaining-surplus weight (see
    /// [`Book::member_shares`]).
    fn member_share(
        &self,
        context: &ShareContext<'_>,
        member: &crate::Member,
        (land_days, labour_pay): (Decimal, Decimal),
    ) -> Result<(MemberShare, Decimal)> {
        let ShareContext {
            year,
            first,
            last,
            days_in_year,
            count,
            fund,
            volume: policy_volume,
            use_land,
            use_labour,
            total_land,
            total_labour,
        } = *context;
        let too_large = |what: &str| overflow(&format!("{what} of member {} in {year}", member.id));
        let product = |factors: &[Decimal], what: &str| -> Result<Decimal> {
            factors
                .iter()
                .try_fold(Decimal::ONE, |product, factor| product.checked_mul(*factor))
                .ok_or_else(|| too_large(what))
        };
        let sum = |a: Decimal, b: Decimal, what: &str| -> Result<Decimal> {
            a.checked_add(b).ok_or_else(|| too_large(what))
        };
        // Σ w_k × member_k × Π_{j≠k} total_j: the volume mix, exact.
        let mut volume = Decimal::ZERO;
        if use_land {
            let other = if use_labour {
                total_labour
            } else {
                Decimal::ONE
            };
            let part = product(
                &[policy_volume.land_mu_days, land_days, other],
                "volume weight",
            )?;
            volume = sum(volume, part, "volume weight")?;
        }
        if use_labour {
            let other = if use_land { total_land } else { Decimal::ONE };
            let part = product(
                &[policy_volume.labour_pay, labour_pay, other],
                "volume weight",
            )?;
            volume = sum(volume, part, "volume weight")?;
        }
        let capital_total = self
            .journal
            .balance(&member_account("301", &member.id)?, last)?
            .checked_neg()?;
        // The land-share capital of the contracts held in the year counts by the days held;
        // the rest of 301 at the close is money capital. The capital of a contract that
        // ended before the year is money capital while it stays in 301 (and nothing once
        // refunded); one refunded when its contract ended in the year is not in 301 any
        // more, and is not taken off it again. The register says what was refunded against
        // each contract (`Event::CapitalReturned`), and a return of money capital is no
        // refund of land shares; what else 301 was debited from that contract's last day on
        // (a manual entry, which does not say) is read as its refund, up to its capital not
        // refunded through the register. Money capital is never below zero.
        let mut land_capital = Yuan::ZERO;
        let mut land_capital_days = Decimal::ZERO;
        // The capital of the contracts that ended in the year (on its last day included),
        // and the first of their last days.
        let mut ended_capital = Yuan::ZERO;
        let mut first_end: Option<Date> = None;
        for record in self.contracts_of(&member.id) {
            if let ContractKind::LandShares { .. } = record.contract.kind {
                let from = record.contract.start.max(first);
                let to = record.contract.end.min(last);
                if from <= to {
                    land_capital = land_capital.checked_add(record.capital)?;
                    if record.contract.end <= last {
                        ended_capital = ended_capital.checked_add(record.capital)?;
                        first_end = Some(first_end.map_or(to, |end| end.min(to)));
                    }
                    let days = Decimal::from(crate::pool::days_inclusive(from, to));
                    let part = product(
                        &[record.capital.to_decimal(), days],
                        "land-share capital days",
                    )?;
                    land_capital_days = sum(land_capital_days, part, "land-share capital days")?;
                }
            }
        }
        // The returns recorded against those contracts (each dated on or after its
        // contract's last day, so the contract ended in the year) are not in 301 at the
        // close any more.
        let mut registered = Yuan::ZERO;
        for returned in self.capital_returns(&member.id) {
            let Some(contract) = &returned.contract else {
                continue;
            };
            let held = self.contracts.get(contract).is_some_and(|record| {
                record.contract.start.max(first) <= record.contract.end.min(last)
            });
            if held && returned.date <= last {
                registered = registered.checked_add(returned.amount)?;
            }
        }
        land_capital = land_capital.checked_sub(registered)?;
        // What else was taken out of 301 from the first of those last days through the
        // close (by manual entries: the register's returns of either kind left out) is
        // their capital refunded, as far as what the register has not refunded goes: it is
        // not in 301 at the close any more, and taking it off again would take the
        // member's money capital with it. A book without capital returns reads as before.
        if let Some(end) = first_end {
            let debits = self
                .journal
                .movement(&member_account("301", &member.id)?, end, last)?
                .debits;
            let manual = debits
                .checked_sub(self.capital_returned_between(&member.id, end, last)?)?
                .max(Yuan::ZERO);
            let refunded = manual.min(ended_capital.checked_sub(registered)?.max(Yuan::ZERO));
            land_capital = land_capital.checked_sub(refunded)?;
        }
        let money_capital = capital_total.checked_sub(land_capital)?.max(Yuan::ZERO);
        let capital_days = sum(
            product(&[money_capital.to_decimal(), days_in_year], "capital days")?,
            land_capital_days,
            "capital days",
        )?;
        // The share held at the close: what was converted to capital in the year counts as
        // capital (in 301 at the close) and not as reserve share as well.
        let reserve_before = self
            .reserve_share_before(&member.id, year)?
            .checked_sub(self.reserve_converted_between(&member.id, first, last)?)?;
        let reserve_days = product(
            &[reserve_before.to_decimal(), days_in_year],
            "reserve-share days",
        )?;
        let weight = sum(
            product(
                &[
                    sum(capital_days, reserve_days, "capital and reserve days")?,
                    count,
                ],
                "remaining-surplus weight",
            )?,
            product(&[fund.to_decimal(), days_in_year], "fund days")?,
            "remaining-surplus weight",
        )?;
        let share = MemberShare {
            member: member.id.clone(),
            land_mu_days: land_days,
            labour_pay: Yuan::try_from_decimal(labour_pay)?,
            volume_weight: volume,
            capital_counted: Yuan::from_product(
                &[capital_days],
                days_in_year,
                Rounding::HalfAwayFromZero,
            )?,
            // Set by `Book::member_shares_split`, which splits 311 among all the members.
            subsidy_share: Yuan::ZERO,
            donation_share: Yuan::ZERO,
            reserve_share_before: reserve_before,
            reserve_share: Yuan::ZERO,
            patronage: Yuan::ZERO,
            remaining: Yuan::ZERO,
        };
        Ok((share, weight))
    }

    /// The property in 311 on `date` (its credit balance `fund`) by source: (state
    /// subsidies, donations). Donations are what the register recorded as received through
    /// `date`, at most the fund; the rest is subsidy property (grants spent on assets, and
    /// anything else posted to 311). A debit to 311 does not say which part it takes, and the
    /// book takes it from subsidy property first.
    pub(crate) fn fund_by_source(&self, fund: Yuan, date: Date) -> Result<(Yuan, Yuan)> {
        let donations = self
            .donations_through(date)?
            .min(fund.max(Yuan::ZERO))
            .max(Yuan::ZERO);
        Ok((fund.checked_sub(donations)?, donations))
    }

    /// 311's property on `date` (its credit balance `fund`) quantified equally to `members`
    /// members (平均量化): each member's (subsidy share, donation share), in the members'
    /// order. As every split of a total among members, the shares add back to the whole to
    /// the fen by the largest-remainder method, the leftover fen to the first members: the
    /// fund is split equally, the donations too, and each member's subsidy share is their
    /// share of the fund less their share of the donations. So the subsidy shares add back
    /// to the subsidy property, the donation shares to the donations, and every member's
    /// two shares together are the fund ÷ members rounded down or up to the fen; none is
    /// negative (a member given a leftover fen of the donations is given one of the fund,
    /// which is at least as large).
    fn split_fund(&self, fund: Yuan, members: usize, date: Date) -> Result<Vec<(Yuan, Yuan)>> {
        if members == 0 {
            return Ok(Vec::new());
        }
        let (_, donations) = self.fund_by_source(fund, date)?;
        let equal = vec![Decimal::ONE; members];
        let totals = allocate(fund.max(Yuan::ZERO), &equal)?;
        let donated = allocate(donations, &equal)?;
        totals
            .into_iter()
            .zip(donated)
            .map(|(total, donation)| Ok((total.checked_sub(donation)?, donation)))
            .collect()
    }

    /// A member's reserve share from the years closed before `year`, less what was returned
    /// to them and converted to their capital before it: the share at the start of `year`.
    pub(crate) fn reserve_share_before(&self, member: &MemberId, year: i32) -> Result<Yuan> {
        let mut total = self.reserve_quantified(member, year)?;
        if let Some((date, returned)) = self.reserve_refunds.get(member) {
            if date.year() < year {
                total = total.checked_sub(*returned)?;
            }
        }
        for (date, converted) in self.reserve_conversions(member) {
            if date.year() < year {
                total = total.checked_sub(*converted)?;
            }
        }
        Ok(total)
    }

    /// What of a member's reserve share was converted to capital from `from` through `to`.
    pub(crate) fn reserve_converted_between(
        &self,
        member: &MemberId,
        from: Date,
        to: Date,
    ) -> Result<Yuan> {
        Yuan::checked_sum(
            self.reserve_conversions(member)
                .iter()
                .filter(|(date, _)| *date >= from && *date <= to)
                .map(|(_, amount)| *amount),
        )
    }

    /// The day and amount of each part of a member's reserve share converted to their
    /// capital ([`Event::ReserveConverted`]), in the order the events were applied.
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::Book::new();
    /// assert!(book.reserve_conversions(&"M001".parse()?).is_empty());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn reserve_conversions(&self, member: &MemberId) -> &[(Date, Yuan)] {
        self.reserve_conversions
            .get(member)
            .map_or(&[], Vec::as_slice)
    }

    /// The reserve share the closes of the years before `year` quantified to a member.
    fn reserve_quantified(&self, member: &MemberId, year: i32) -> Result<Yuan> {
        let mut total = Yuan::ZERO;
        for distribution in self.distributions.range(..year).map(|(_, d)| d) {
            if let Some(share) = distribution.share(member) {
                total = total.checked_add(share.reserve_share)?;
            }
        }
        Ok(total)
    }

    /// A member's reserve share (公积金份额) as the members' account records it now: what the
    /// closes so far quantified to them (their part of each year's reserve, less their part
    /// of any loss the reserve covered), less what was converted to their capital
    /// ([`Event::ReserveConverted`]) and what was returned to them when they left
    /// ([`Event::ReserveShareRefunded`]). Before that return, the amount it must give; the
    /// most a conversion may take.
    ///
    /// # Errors
    ///
    /// [`PoolError::UnknownMember`] for a member the book does not know;
    /// [`Error::Overflow`] if the total does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// // The reference year is closed with a 10% reserve, quantified by transaction volume.
    /// let h05 = book.reserve_share(&"H05".parse()?)?;
    /// assert!(h05.is_positive());
    /// assert!(book.reserve_share(&"NOBODY".parse()?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reserve_share(&self, member: &MemberId) -> Result<Yuan> {
        if self.member(member).is_none() {
            return Err(PoolError::UnknownMember {
                member: member.clone(),
            }
            .into());
        }
        self.reserve_share_before(member, i32::MAX)
    }

    /// The day and amount of the reserve share returned to a member who left
    /// ([`Event::ReserveShareRefunded`]), if it was.
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::Book::new();
    /// assert_eq!(book.reserve_refund(&"M001".parse()?), None);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn reserve_refund(&self, member: &MemberId) -> Option<(Date, Yuan)> {
        self.reserve_refunds.get(member).copied()
    }

    /// Plans returning a member's reserve share when they have left (law art. 28).
    pub(crate) fn plan_reserve_refund(
        &self,
        id: &EventId,
        member: &MemberId,
        date: Date,
        amount: Yuan,
        from: CashAccount,
    ) -> Result<Plan> {
        let record = self
            .member(member)
            .ok_or_else(|| PoolError::UnknownMember {
                member: member.clone(),
            })?;
        let what = format!("returning {member}'s reserve share on {date}");
        let refuse = |reason: String| -> Error {
            PoolError::NotAllowed {
                what: what.clone(),
                reason,
            }
            .into()
        };
        let left = record.left.ok_or_else(|| {
            refuse(format!(
                "{member}'s leaving is not recorded: a reserve share is returned when membership ends (law art. 28); record their leaving first"
            ))
        })?;
        if date < left {
            return Err(refuse(format!(
                "{member} is a member until {left}: return the share on or after that day"
            )));
        }
        // A member on a year's last day shares in its distribution, reserve included: that
        // year must be closed before the share is known.
        let last_year = if left.month() == Month::December && left.day() == 31 {
            left.year()
        } else {
            left.year().checked_sub(1).ok_or_else(|| overflow("year"))?
        };
        let (_, last_day) = year_bounds(last_year)?;
        // A year before the latest close is closed even when no close of its own was
        // recorded (the books had nothing in it): there is nothing more to wait for.
        if record.joined <= last_day && !self.journal.is_closed(last_year) {
            return Err(refuse(format!(
                "{member} was a member on {last_day} and shares in {last_year}'s distribution, reserve included: close {last_year} first"
            )));
        }
        if let Some((returned_on, returned)) = self.reserve_refunds.get(member) {
            return Err(refuse(format!(
                "{member}'s reserve share of {returned} was returned on {returned_on} already"
            )));
        }
        let quantified = self.reserve_quantified(member, i32::MAX)?;
        let converted = Yuan::checked_sum(self.reserve_conversions(member).iter().map(|c| c.1))?;
        let share = quantified.checked_sub(converted)?;
        if !share.is_positive() {
            let converted = if converted.is_zero() {
                String::new()
            } else {
                format!(", and {converted} of it was converted to capital")
            };
            return Err(refuse(format!(
                "{member} has no reserve share to return (the closes quantified {quantified} to them{converted})"
            )));
        }
        if amount != share {
            return Err(refuse(format!(
                "the amount is {amount}, but {member}'s reserve share is {share}: the share is returned whole"
            )));
        }
        // What 322 holds on the day and on every later day: a return dated before an entry
        // that took from the reserve may not leave 322 in debit from that entry on.
        let reserve = AccountCode::new("322")?;
        let (held, on) = self.least_credit_from(&reserve, date)?;
        if held < amount {
            return Err(refuse(format!(
                "322 盈余公积 holds {held} on {on}, less than the {amount} to return"
            )));
        }
        let entry = Entry::new(
            id.to_string(),
            date,
            format!("退还公积金份额 return the reserve share of {member}"),
        )
        .debit(reserve, amount)
        .credit(AccountCode::new(from.code())?, amount);
        Ok(Plan {
            accounts: Vec::new(),
            entries: vec![entry],
            update: Update::ReserveRefunded(member.clone(), date, amount),
        })
    }

    /// Plans converting part of a member's reserve share to their capital (law art. 42).
    pub(crate) fn plan_reserve_conversion(
        &self,
        id: &EventId,
        member: &MemberId,
        date: Date,
        amount: Yuan,
    ) -> Result<Plan> {
        let record = self
            .member(member)
            .ok_or_else(|| PoolError::UnknownMember {
                member: member.clone(),
            })?;
        if !amount.is_positive() {
            return Err(PoolError::BadNumber {
                what: format!("reserve share of {member} converted to capital on {date} ({id})"),
                expected: "above zero",
                value: amount.to_decimal(),
            }
            .into());
        }
        if let Some(left) = record.left {
            let when = if date > left {
                format!("{member} left on {left}, before {date}")
            } else {
                format!(
                    "{member}'s leaving on {left} is recorded and their accounts were settled then"
                )
            };
            return Err(PoolError::NotAllowed {
                what: format!("converting {amount} of {member}'s reserve share to capital on {date} ({id})"),
                reason: format!(
                    "{when}: a leaver's reserve share is paid back whole (Event::ReserveShareRefunded, law art. 28), not converted to capital; convert it for a member whose leaving is not recorded"
                ),
            }
            .into());
        }
        let exceeds = |held: String, available: Yuan, on: Date| -> Error {
            PoolError::ReserveConversionExceeds {
                event: id.clone(),
                member: member.clone(),
                date,
                asked: amount,
                held,
                available,
                on,
            }
            .into()
        };
        // The share the closes so far quantified (the date's year is open, so every close is
        // of a year before it), less what was converted already, whatever its date: a
        // conversion dated before a later one may not leave the share below zero then.
        let share = self.reserve_share_before(member, i32::MAX)?;
        if amount > share {
            return Err(exceeds(
                format!("the reserve share of {member} (quantified by the closes, less what was converted already)"),
                share,
                date,
            ));
        }
        // What 322 holds on the day and on every later day: a conversion dated before an
        // entry that took from the reserve may not leave 322 in debit from that entry on.
        let reserve = AccountCode::new("322")?;
        let (held, on) = self.least_credit_from(&reserve, date)?;
        if held < amount {
            return Err(exceeds("322 盈余公积".to_string(), held, on));
        }
        let entry = Entry::new(
            id.to_string(),
            date,
            format!("公积金转为成员出资 reserve share of {member} converted to capital"),
        )
        .debit(reserve, amount)
        .credit(member_account("301", member)?, amount);
        Ok(Plan {
            accounts: Vec::new(),
            entries: vec![entry],
            update: Update::ReserveConverted(member.clone(), date, amount),
        })
    }

    /// Plans paying out a closed year's distribution, converting the policy's share to capital.
    pub(crate) fn plan_settle(
        &self,
        id: &EventId,
        year: i32,
        date: Date,
        from: CashAccount,
    ) -> Result<Plan> {
        let distribution = self
            .distributions
            .get(&year)
            .ok_or_else(|| PoolError::NotAllowed {
                what: format!("settling {year}'s distribution"),
                reason: "the year is not closed".into(),
            })?;
        if distribution.settled {
            return Err(PoolError::NotAllowed {
                what: format!("settling {year}'s distribution"),
                reason: "it was settled already".into(),
            }
            .into());
        }
        if date.year() <= year {
            return Err(PoolError::NotAllowed {
                what: format!("settling {year}'s distribution on {date}"),
                reason: "payouts are events of the next period: date them after the year".into(),
            }
            .into());
        }
        // Each member's payables must still hold what every distribution not yet settled
        // owes them there: a part paid or converted by hand would otherwise be paid twice.
        let unsettled: Vec<&Distribution> =
            self.distributions.values().filter(|d| !d.settled).collect();
        for share in &distribution.members {
            for (code, part) in [
                (
                    "221",
                    (|s: &MemberShare| s.patronage) as fn(&MemberShare) -> Yuan,
                ),
                ("222", |s: &MemberShare| s.remaining),
            ] {
                if !part(share).is_positive() {
                    continue;
                }
                let mut owed = Yuan::ZERO;
                for other in &unsettled {
                    if let Some(theirs) = other.share(&share.member) {
                        owed = owed.checked_add(part(theirs))?;
                    }
                }
                let account = member_account(code, &share.member)?;
                // What the account holds on the day and every later day: a payout dated
                // before a later entry that paid or moved the part by hand would pay it twice.
                let (holds, on) = self.least_credit_from(&account, date)?;
                if holds < owed {
                    return Err(PoolError::NotAllowed {
                        what: format!("settling {year}'s distribution on {date}"),
                        reason: format!(
                            "{account} holds {holds} on {on}, less than the {owed} owed to {} there by the distributions not yet settled; pay out or reverse what was paid or moved otherwise first",
                            share.member
                        ),
                    }
                    .into());
                }
            }
        }
        let cash = AccountCode::new(from.code())?;
        let percent = distribution.policy.convert_to_capital_percent;
        let mut entries = Vec::new();
        for (chunk_no, chunk) in distribution
            .members
            .chunks(POSTINGS_PER_ENTRY / 3)
            .enumerate()
        {
            let mut entry = Entry::new(
                format!("{id}:{chunk_no}"),
                date,
                format!("支付{year}年盈余分配 pay {year}'s distribution"),
            );
            let mut paid = Yuan::ZERO;
            for share in chunk {
                let owed = share.patronage.checked_add(share.remaining)?;
                if !owed.is_positive() {
                    continue;
                }
                // A member whose leaving is recorded is paid all of it: their capital may
                // only be paid back once they have left, never added to.
                let left = self
                    .members
                    .get(&share.member)
                    .is_some_and(|member| member.left.is_some());
                let converted = if left {
                    Yuan::ZERO
                } else {
                    percent_of(owed, percent)?
                };
                if share.patronage.is_positive() {
                    entry = entry.debit(member_account("221", &share.member)?, share.patronage);
                }
                if share.remaining.is_positive() {
                    entry = entry.debit(member_account("222", &share.member)?, share.remaining);
                }
                if converted.is_positive() {
                    entry = entry.credit(member_account("301", &share.member)?, converted);
                }
                paid = paid.checked_add(owed.checked_sub(converted)?)?;
            }
            if paid.is_positive() {
                entry = entry.credit(cash.clone(), paid);
            }
            if entry.postings.len() >= 2 {
                entries.push(entry);
            }
        }
        Ok(Plan {
            accounts: Vec::new(),
            entries,
            update: Update::Settled(year),
        })
    }

    /// Plans the close events.
    pub(crate) fn plan_year_end(&self, id: &EventId, event: &Event) -> Result<Plan> {
        match event {
            Event::YearClosed { year, policy } => self.plan_close(id, *year, policy),
            Event::DistributionSettled { year, date, from } => {
                self.plan_settle(id, *year, *date, *from)
            }
            Event::ReserveShareRefunded {
                member,
                date,
                amount,
                from,
            } => self.plan_reserve_refund(id, member, *date, *amount, *from),
            Event::ReserveConverted {
                member,
                date,
                amount,
            } => self.plan_reserve_conversion(id, member, *date, *amount),
            Event::AccountOpened {
                code,
                name_zh,
                name_en,
            } => {
                // The close posts to 322, 331, 332.01 and 332.02, and the close and the
                // settlement to the members' 221, 222 and 301, as they are; the book opens the
                // members' sub-accounts of 114, 212 and 213 itself. A sub-account of the
                // accountant's under any of them would make an account the book posts to a
                // parent, refusing every later posting to it.
                let kept = CLOSE_POSTS_UNDER
                    .iter()
                    .map(|root| (*root, true))
                    .chain(MEMBER_ONLY_UNDER.iter().map(|root| (*root, false)));
                for (root, by_close) in kept {
                    if code.is_within(&AccountCode::new(root)?) {
                        let reason = if by_close {
                            format!("the year-end close and the settlement of its distribution post under {root}, to accounts that take no sub-accounts")
                        } else {
                            format!("the book opens the sub-accounts of {root} itself, one for each member (and 213.NONMEMBER, 212.NONMEMBER for non-members' pay); an account of the accountant's under it would take its members' postings away")
                        };
                        return Err(PoolError::NotAllowed {
                            what: format!("opening account {code}"),
                            reason,
                        }
                        .into());
                    }
                }
                if let Some(reason) = self.operations_refuse_sub_account(code)? {
                    return Err(PoolError::NotAllowed {
                        what: format!("opening account {code}"),
                        reason,
                    }
                    .into());
                }
                if code.parent().is_none() || self.journal.chart().contains(code) {
                    return Err(PoolError::NotAllowed {
                        what: format!("opening account {code}"),
                        reason: "give a new sub-account under a standard code, such as 521.RENT"
                            .into(),
                    }
                    .into());
                }
                let (zh, en) = Name::pair(name_zh, name_en);
                Ok(Plan {
                    accounts: vec![(code.clone(), zh, en)],
                    entries: Vec::new(),
                    update: Update::None,
                })
            }
            Event::ManualEntry {
                date,
                memo,
                postings,
            } => {
                let closing = [AccountCode::new("331")?, AccountCode::new("332")?];
                if let Some(p) = postings
                    .iter()
                    .find(|p| closing.iter().any(|c| p.account.is_within(c)))
                {
                    return Err(PoolError::NotAllowed {
                        what: format!("manual entry {id}"),
                        reason: format!(
                            "it posts to {}, which only the year-end close moves",
                            p.account
                        ),
                    }
                    .into());
                }
                // The accounts the book opens a sub-account of for each member who joins:
                // a posting of their own, made before the first member joins, would leave
                // them unable to take sub-accounts (once they have some, the ledger refuses
                // postings to them itself).
                let member_controls = ["114", "212", "213", "221", "222", "301"];
                if let Some(p) = postings
                    .iter()
                    .find(|p| member_controls.contains(&p.account.as_str()))
                {
                    return Err(PoolError::NotAllowed {
                        what: format!("manual entry {id}"),
                        reason: format!(
                            "it posts to {code} itself, whose sub-accounts the book opens, one \
                             for each member: post to a member's sub-account ({code}.<member>)",
                            code = p.account
                        ),
                    }
                    .into());
                }
                // The accounts the book opens a sub-account of for each loan (201, 231),
                // grant (235), crop sold (501) and greenhouse (521): a posting of their own
                // would leave them unable to take one, and the book unable to sign a loan of
                // that term, receive a grant or build a greenhouse ever after.
                let book_controls = [
                    ("201", "loan"),
                    ("231", "loan"),
                    ("235", "grant"),
                    ("501", "crop"),
                    ("521", "greenhouse"),
                ];
                if let Some((p, of)) = postings.iter().find_map(|p| {
                    book_controls
                        .iter()
                        .find(|(code, _)| p.account.as_str() == *code)
                        .map(|(_, of)| (p, of))
                }) {
                    return Err(PoolError::NotAllowed {
                        what: format!("manual entry {id}"),
                        reason: format!(
                            "it posts to {code} itself, whose sub-accounts the book opens, one \
                             for each {of}: post to a sub-account ({code}.<{of}>, or one opened \
                             with an AccountOpened event)",
                            code = p.account
                        ),
                    }
                    .into());
                }
                for p in postings {
                    if let Some(reason) = self.refuses_manual_posting(&p.account)? {
                        return Err(PoolError::NotAllowed {
                            what: format!("manual entry {id}"),
                            reason,
                        }
                        .into());
                    }
                }
                let mut entry = Entry::new(id.as_str(), *date, memo.clone());
                entry.postings = postings.clone();
                Ok(Plan {
                    accounts: Vec::new(),
                    entries: vec![entry],
                    update: Update::None,
                })
            }
            _ => Err(PoolError::NotAllowed {
                what: format!("event {id}"),
                reason: "not a year-end event".into(),
            }
            .into()),
        }
    }
}

/// 332.02 once opened; before the first close its parent 332 (whose balance is then zero).
fn undistributed_or_parent(book: &Book, undistributed: &AccountCode) -> Result<AccountCode> {
    if book.journal.chart().contains(undistributed) {
        Ok(undistributed.clone())
    } else {
        AccountCode::new("332")
    }
}

fn overflow(what: &str) -> Error {
    Error::Overflow {
        operation: what.to_string(),
    }
}

/// Each member's land pooled in a year, in mu × days ([`Book::land_mu_days`]): the members
/// with a contract in the year, in their ids' order.
pub(crate) struct LandDays<'b>(Vec<(&'b MemberId, Decimal)>);

impl LandDays<'_> {
    /// The member's mu-days: zero for a member without a contract in the year.
    pub(crate) fn of(&self, member: &MemberId) -> Decimal {
        self.0
            .binary_search_by(|(held, _)| (*held).cmp(member))
            .ok()
            .and_then(|at| self.0.get(at))
            .map_or(Decimal::ZERO, |(_, days)| *days)
    }

    /// [`LandDays::of`], looked for first at `next` (where the last look left off: members
    /// asked for in id order, as a register lists them, each take one comparison rather
    /// than a binary search of every member with land; a member without land, or out of
    /// order, the search); `next` is left where the member is or would be, plus one when
    /// found.
    pub(crate) fn of_from(&self, member: &MemberId, next: &mut usize) -> Decimal {
        if let Some((held, days)) = self.0.get(*next) {
            if *held == member {
                *next = next.saturating_add(1);
                return *days;
            }
        }
        match self.0.binary_search_by(|(held, _)| (*held).cmp(member)) {
            Ok(found) => {
                *next = found.saturating_add(1);
                self.0.get(found).map_or(Decimal::ZERO, |(_, days)| *days)
            }
            Err(place) => {
                *next = place;
                Decimal::ZERO
            }
        }
    }
}

/// Members from which [`Book::member_shares`] shares its work with a second thread.
const PARALLEL_SHARES_MIN: usize = 8192;

/// What every member's share in [`Book::member_shares`] is computed from.
#[derive(Clone, Copy)]
struct ShareContext<'a> {
    year: i32,
    first: Date,
    last: Date,
    days_in_year: Decimal,
    /// The number of members sharing 311 (at least one).
    count: Decimal,
    /// 311's credit balance at the year's end.
    fund: Yuan,
    volume: &'a VolumeWeights,
    use_land: bool,
    use_labour: bool,
    total_land: Decimal,
    total_labour: Decimal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_for_land_finds_what_the_search_finds() {
        let id = |text: &str| -> MemberId { text.parse().unwrap() };
        let (a, c, e) = (id("M002"), id("M004"), id("M006"));
        let days = |n: i64| Decimal::from(n);
        let land = LandDays(vec![(&a, days(10)), (&c, days(30)), (&e, days(50))]);
        // In order, members without land between and after.
        let asked = ["M001", "M002", "M003", "M004", "M005", "M006", "M007"].map(id);
        let mut next = 0;
        let mut walked = Vec::new();
        for member in &asked {
            walked.push((land.of_from(member, &mut next), next));
            assert_eq!(walked.last().map(|w| w.0), Some(land.of(member)));
        }
        let expected = [0, 10, 0, 30, 0, 50, 0].map(days);
        assert_eq!(walked.iter().map(|w| w.0).collect::<Vec<_>>(), expected);
        assert_eq!(
            walked.iter().map(|w| w.1).collect::<Vec<_>>(),
            [0, 1, 1, 2, 2, 3, 3]
        );
        // Out of order and repeated: the search, and the walk goes on from there.
        let mut next = 0;
        for member in ["M006", "M002", "M002", "M004", "M001", "M006", "M005"].map(id) {
            assert_eq!(
                land.of_from(&member, &mut next),
                land.of(&member),
                "{member}"
            );
        }
        // A place past the end, and no land at all.
        let mut next = 7;
        assert_eq!(land.of_from(&c, &mut next), days(30));
        assert_eq!(next, 2);
        let mut next = 0;
        assert_eq!(LandDays(Vec::new()).of_from(&a, &mut next), Decimal::ZERO);
    }

    #[test]
    fn a_walk_in_member_order_finds_the_shares_the_search_finds() {
        let book = crate::folder::BookFolder::reference()
            .and_then(|folder| folder.run())
            .unwrap();
        let distribution = book.distribution(2019).unwrap();
        let ids: Vec<MemberId> = distribution
            .members
            .iter()
            .map(|share| share.member.clone())
            .collect();
        assert!(ids.len() >= 3 && ids.windows(2).all(|w| w[0] < w[1]));
        // In order, with a member who has no share between two who have: each walk finds
        // what `share` finds, and the miss leaves the place as it was.
        let nobody: MemberId = "NOBODY".parse().unwrap();
        let mut next = 0;
        for (i, id) in ids.iter().enumerate() {
            let found = distribution.share_from(id, &mut next);
            assert_eq!(found, distribution.share(id));
            assert_eq!(found.map(|s| &s.member), Some(id));
            assert_eq!(next, i + 1);
            assert_eq!(distribution.share_from(&nobody, &mut next), None);
            assert_eq!(next, i + 1);
        }
        // Out of order, and from a place past the end: found by the search, and the place
        // moves to just after it.
        let last = ids.len() - 1;
        let mut next = usize::MAX;
        assert_eq!(
            distribution
                .share_from(&ids[last], &mut next)
                .map(|s| &s.member),
            Some(&ids[last])
        );
        assert_eq!(next, last + 1);
        assert_eq!(
            distribution
                .share_from(&ids[0], &mut next)
                .map(|s| &s.member),
            Some(&ids[0])
        );
        assert_eq!(next, 1);
        // A list put out of order by hand is still searched in full.
        let mut shuffled = distribution.clone();
        shuffled.members.reverse();
        let mut next = 0;
        for id in &ids {
            assert_eq!(
                shuffled.share_from(id, &mut next).map(|s| &s.member),
                Some(id)
            );
        }
    }

    #[test]
    fn the_broken_rule_names_the_field_its_error_is_about() {
        let named = |edit: fn(&mut DistributionPolicy)| {
            let mut policy = DistributionPolicy::standard(Decimal::from(10), Decimal::from(70));
            edit(&mut policy);
            policy
                .broken_rule()
                .map_err(|broken| (broken.0, broken.1.to_string()))
        };
        assert_eq!(named(|_| {}), Ok(()));
        let (field, message) = named(|p| p.patronage_percent = Decimal::from(50)).unwrap_err();
        assert_eq!(field, "patronage_percent");
        assert!(message.contains("at least 60"), "{message}");
        // Two rules broken: the field is the one the error reports.
        let (field, message) = named(|p| {
            p.reserve_percent = Decimal::from(60);
            p.welfare_percent = Decimal::from(50);
            p.patronage_percent = Decimal::from(50);
        })
        .unwrap_err();
        assert_eq!(field, "welfare_percent");
        assert!(
            message.contains("reserve and welfare percent together"),
            "{message}"
        );
        let (field, _) = named(|p| p.volume.land_mu_days = Decimal::ZERO).unwrap_err();
        assert_eq!(field, "volume");
        let (field, _) = named(|p| p.convert_to_capital_percent = Decimal::from(101)).unwrap_err();
        assert_eq!(field, "convert_to_capital_percent");
    }

    /// A synthetic cooperative's book of a year, all but its close, and the close's year and
    /// policy.
    fn before_close() -> (Book, i32, DistributionPolicy) {
        let mut events = crate::synthetic::events(crate::synthetic::Scale::cooperative(), 7)
            .unwrap_or_else(|e| panic!("{e}"));
        let Some((_, Event::YearClosed { year, policy })) = events.pop() else {
            panic!("the synthetic year ends with its close");
        };
        let mut book = Book::new();
        for (id, event) in events {
            book.apply(id, event).unwrap_or_else(|e| panic!("{e}"));
        }
        (book, year, policy)
    }

    #[test]
    fn members_shares_are_the_same_wherever_the_second_thread_takes_over() {
        let (book, year, policy) = before_close();
        let (_, last) = year_bounds(year).unwrap_or_else(|e| panic!("{e}"));
        let members: Vec<&crate::Member> = book.members_on(last).collect();
        assert_eq!(members.len(), 29);
        let one_pass = book
            .member_shares_split(year, &policy, &members, members.len())
            .unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&MemberId> = one_pass.0.iter().map(|share| &share.member).collect();
        let expected: Vec<&MemberId> = members.iter().map(|member| &member.id).collect();
        assert_eq!(ids, expected);
        assert!(one_pass
            .0
            .iter()
            .any(|share| share.labour_pay.is_positive()));
        for split in [0, 1, 14, 28, 29, 30] {
            let shared = book
                .member_shares_split(year, &policy, &members, split)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(shared, one_pass, "split at {split}");
        }
    }
}

/// Converting the reserve to members' capital ([`Event::ReserveConverted`]): its entry, the
/// share it takes off, and each refusal, after which the book is as it was.
#[cfg(test)]
mod conversion_tests {
    use rust_decimal_macros::dec;
    use time::macros::date;

    use super::*;
    use crate::ledger::{Posting, Side};
    use crate::{
        Accrue, Applied, CapitalSource, Contract, ContractLine, Member, Parcel, PaymentTerms,
        ProRating, RentTerms,
    };

    fn ok<T, E: std::fmt::Display>(result: std::result::Result<T, E>) -> T {
        result.unwrap_or_else(|e| panic!("{e}"))
    }

    fn id<T: std::str::FromStr<Err = Error>>(text: &str) -> T {
        ok(text.parse())
    }

    fn yuan(text: &str) -> Yuan {
        ok(text.parse())
    }

    fn code(text: &str) -> AccountCode {
        ok(AccountCode::new(text))
    }

    struct Coop {
        book: Book,
        next: u32,
    }

    impl Coop {
        fn apply(&mut self, event: Event) -> Result<Applied> {
            self.next += 1;
            self.book.apply(id(&format!("e{}", self.next)), event)
        }

        fn ok(&mut self, event: Event) {
            ok(self.apply(event));
        }

        /// `event` refused: the error, the book left exactly as it was.
        fn refused(&mut self, event: Event) -> Error {
            let before = self.book.clone();
            let error = match self.apply(event) {
                Ok(applied) => panic!("accepted: {applied:?}"),
                Err(error) => error,
            };
            assert!(self.book == before, "a refused conversion changed the book");
            error
        }

        fn join(&mut self, member: &str, joined: Date) {
            self.ok(Event::MemberJoined {
                member: Member {
                    id: id(member),
                    name: format!("成员{member}").into(),
                    kind: MemberKind::Household { persons: 2 },
                    village: "高格庄".into(),
                    joined,
                    left: None,
                },
            });
        }

        /// `member` with `area` mu pooled at 1,000/mu a year from 2019 to `end` (rent to
        /// 521.RENT).
        fn pool(&mut self, member: &str, area: &str, end: Date) {
            self.ok(Event::ParcelRegistered {
                parcel: Parcel {
                    id: id(&format!("P{member}")),
                    owner: id(member),
                    area: id(area),
                    village: "高格庄".into(),
                    land_class: "水浇地".into(),
                    registered: date!(2018 - 12 - 01),
                    retired: None,
                },
            });
            self.ok(Event::ContractSigned {
                contract: Box::new(Contract {
                    id: id(&format!("C{member}")),
                    member: id(member),
                    lines: vec![ContractLine {
                        parcel: id(&format!("P{member}")),
                        area: id(area),
                    }],
                    start: date!(2019 - 01 - 01),
                    end,
                    kind: crate::ContractKind::Transfer {
                        rent: RentTerms::Fixed {
                            yuan_per_mu: dec!(1000),
                        },
                    },
                    pro_rating: ProRating::ActualDays,
                    payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                    charge_to: code("521.RENT"),
                }),
            });
        }

        fn manual(&mut self, date: Date, debit: &str, credit: &str, amount: &str) {
            self.ok(Event::ManualEntry {
                date,
                memo: "手工凭证".into(),
                postings: vec![
                    Posting {
                        account: code(debit),
                        side: Side::Debit,
                        amount: yuan(amount),
                    },
                    Posting {
                        account: code(credit),
                        side: Side::Credit,
                        amount: yuan(amount),
                    },
                ],
            });
        }
    }

    fn converted(member: &str, date: Date, amount: &str) -> Event {
        Event::ReserveConverted {
            member: id(member),
            date,
            amount: yuan(amount),
        }
    }

    /// A (2 mu) and B (3 mu, contract ending 2019-12-31) pool land in 2019; sales of 25,000
    /// less 5,000 rent leave a surplus of 20,000, of which the 2019 close draws 10% into 322:
    /// 2,000, quantified by land mu-days, A 800.00 and B 1,200.00. C joined and left on
    /// 2019-06-30 with nothing; D joined on 2020-01-01, their leaving on 2020-12-31 is
    /// recorded.
    fn closed_2019() -> Coop {
        let mut coop = Coop {
            book: Book::new(),
            next: 0,
        };
        for member in ["A", "B", "C"] {
            coop.join(member, date!(2018 - 12 - 01));
        }
        coop.ok(Event::AccountOpened {
            code: code("521.RENT"),
            name_zh: "土地流转费".into(),
            name_en: "land transfer rent".into(),
        });
        coop.ok(Event::AccountOpened {
            code: code("501.SALES"),
            name_zh: "经营收入—销售".into(),
            name_en: "operating revenue — sales".into(),
        });
        coop.pool("A", "2", date!(2023 - 12 - 31));
        coop.pool("B", "3", date!(2019 - 12 - 31));
        coop.ok(Event::MemberLeft {
            member: id("C"),
            date: date!(2019 - 06 - 30),
        });
        coop.manual(date!(2019 - 09 - 01), "102", "501.SALES", "25000");
        coop.ok(Event::RentAccrued {
            from: date!(2019 - 01 - 01),
            to: date!(2019 - 12 - 31),
            contracts: Accrue::All,
            date: date!(2019 - 12 - 31),
        });
        coop.ok(Event::YearClosed {
            year: 2019,
            policy: DistributionPolicy::standard(dec!(10), dec!(60)),
        });
        coop.join("D", date!(2020 - 01 - 01));
        coop.ok(Event::MemberLeft {
            member: id("D"),
            date: date!(2020 - 12 - 31),
        });
        coop
    }

    #[test]
    fn a_conversion_books_dr_322_cr_301_and_takes_the_share_off() {
        let mut coop = closed_2019();
        let a: MemberId = id("A");
        assert_eq!(coop.book.reserve_share(&a), Ok(yuan("800")));
        assert_eq!(coop.book.reserve_share(&id("B")), Ok(yuan("1200")));
        let capital_before = ok(coop.book.money_capital(&a, date!(2020 - 03 - 01)));
        assert_eq!(capital_before, Yuan::ZERO);
        coop.ok(converted("A", date!(2020 - 03 - 01), "300"));
        let entry = coop
            .book
            .journal()
            .entries()
            .last()
            .map(|e| e.to_entry())
            .unwrap_or_else(|| panic!("no entry"));
        assert_eq!(entry.date, date!(2020 - 03 - 01));
        let lines: Vec<(String, Side, Yuan)> = entry
            .postings
            .iter()
            .map(|p| (p.account.to_string(), p.side, p.amount))
            .collect();
        assert_eq!(
            lines,
            vec![
                ("322".to_string(), Side::Debit, yuan("300")),
                ("301.A".to_string(), Side::Credit, yuan("300")),
            ]
        );
        assert_eq!(coop.book.reserve_share(&a), Ok(yuan("500")));
        assert_eq!(
            coop.book.reserve_conversions(&a),
            &[(date!(2020 - 03 - 01), yuan("300"))]
        );
        // The share at the start of 2020 is as it was; at the start of 2021, less 300.
        assert_eq!(coop.book.reserve_share_before(&a, 2020), Ok(yuan("800")));
        assert_eq!(coop.book.reserve_share_before(&a, 2021), Ok(yuan("500")));
        assert_eq!(
            coop.book
                .journal()
                .closing_balance(&code("322"))
                .map(Yuan::checked_neg),
            Ok(Ok(yuan("1700")))
        );
        // Money capital from other sources: a return may pay it back.
        assert_eq!(
            coop.book.money_capital(&a, date!(2020 - 03 - 01)),
            Ok(yuan("300"))
        );
        coop.ok(Event::CapitalReturned {
            member: id("A"),
            date: date!(2020 - 04 - 01),
            amount: yuan("300"),
            from: CashAccount::Bank,
            contract: None,
            source: CapitalSource::Other,
        });
        // The rest of the share may be converted, in a second part.
        coop.ok(converted("A", date!(2020 - 05 - 01), "500"));
        assert_eq!(coop.book.reserve_share(&a), Ok(Yuan::ZERO));
        // A replay gives the same register.
        let replayed = ok(Book::replay(coop.book.events().to_vec()));
        assert!(replayed == coop.book);
    }

    #[test]
    fn a_conversion_of_an_unknown_member_or_an_amount_not_above_zero_is_refused() {
        let mut coop = closed_2019();
        let unknown = coop.refused(converted("Z", date!(2020 - 03 - 01), "1"));
        assert_eq!(
            unknown,
            Error::from(PoolError::UnknownMember { member: id("Z") })
        );
        for amount in ["0", "-1"] {
            let error = coop.refused(converted("A", date!(2020 - 03 - 01), amount));
            assert_eq!(
                error,
                Error::from(PoolError::BadNumber {
                    what: format!(
                        "reserve share of A converted to capital on 2020-03-01 (e{})",
                        coop.next
                    ),
                    expected: "above zero",
                    value: yuan(amount).to_decimal(),
                }),
                "{amount}"
            );
        }
    }

    #[test]
    fn a_conversion_in_a_closed_year_is_refused() {
        let mut coop = closed_2019();
        let error = coop.refused(converted("A", date!(2019 - 12 - 31), "100"));
        assert!(
            matches!(
                error,
                Error::Pool(PoolError::InClosedYear { date, .. }) if date == date!(2019 - 12 - 31)
            ),
            "{error}"
        );
    }

    #[test]
    fn a_conversion_for_a_member_who_left_or_whose_leaving_is_recorded_is_refused() {
        let mut coop = closed_2019();
        let left = coop.refused(converted("C", date!(2020 - 03 - 01), "1"));
        assert_eq!(
            left.to_string(),
            format!("converting 1.00 of C's reserve share to capital on 2020-03-01 (e{}): C left on 2019-06-30, before 2020-03-01: a leaver's reserve share is paid back whole (Event::ReserveShareRefunded, law art. 28), not converted to capital; convert it for a member whose leaving is not recorded", coop.next)
        );
        let recorded = coop.refused(converted("D", date!(2020 - 03 - 01), "1"));
        assert!(
            matches!(recorded, Error::Pool(PoolError::NotAllowed { .. })),
            "{recorded}"
        );
        assert!(
            recorded.to_string().contains(
                "D's leaving on 2020-12-31 is recorded and their accounts were settled then"
            ),
            "{recorded}"
        );
    }

    #[test]
    fn a_conversion_beyond_the_share_held_is_refused() {
        let mut coop = closed_2019();
        let exceeds = |coop: &Coop, asked: &str, available: &str, on: Date| {
            Error::from(PoolError::ReserveConversionExceeds {
                event: id(&format!("e{}", coop.next)),
                member: id("A"),
                date: date!(2020 - 03 - 01),
                asked: yuan(asked),
                held: "the reserve share of A (quantified by the closes, less what was converted already)".into(),
                available: yuan(available),
                on,
            })
        };
        let error = coop.refused(converted("A", date!(2020 - 03 - 01), "800.01"));
        assert_eq!(
            error,
            exceeds(&coop, "800.01", "800", date!(2020 - 03 - 01))
        );
        // A later conversion already applied takes its part from the share: one dated
        // before it may not take it again.
        coop.ok(converted("A", date!(2020 - 06 - 01), "300"));
        let error = coop.refused(converted("A", date!(2020 - 03 - 01), "500.01"));
        assert_eq!(
            error,
            exceeds(&coop, "500.01", "500", date!(2020 - 03 - 01))
        );
        // A member no close quantified a share to.
        coop.join("E", date!(2020 - 01 - 01));
        let error = coop.refused(converted("E", date!(2020 - 03 - 01), "1"));
        assert!(
            matches!(
                error,
                Error::Pool(PoolError::ReserveConversionExceeds { available, .. }) if available == Yuan::ZERO
            ),
            "{error}"
        );
        coop.ok(converted("A", date!(2020 - 03 - 01), "500"));
        assert_eq!(coop.book.reserve_share(&id("A")), Ok(Yuan::ZERO));
    }

    #[test]
    fn a_conversion_beyond_what_322_holds_then_or_later_is_refused() {
        let mut coop = closed_2019();
        // The reserve, 2,000, spent by hand down to 100 on 2020-06-01.
        coop.manual(date!(2020 - 06 - 01), "322", "102", "1900");
        let error = coop.refused(converted("A", date!(2020 - 03 - 01), "200"));
        assert_eq!(
            error,
            Error::from(PoolError::ReserveConversionExceeds {
                event: id(&format!("e{}", coop.next)),
                member: id("A"),
                date: date!(2020 - 03 - 01),
                asked: yuan("200"),
                held: "322 盈余公积".into(),
                available: yuan("100"),
                on: date!(2020 - 06 - 01),
            })
        );
        assert_eq!(
            error.to_string(),
            format!("reserve conversion e{} of 200.00 to A's capital on 2020-03-01: 322 盈余公积 is only 100.00 on 2020-06-01; at most the reserve share the member holds, and what 322 holds, is converted to capital", coop.next)
        );
        coop.ok(converted("A", date!(2020 - 03 - 01), "100"));
        assert_eq!(coop.book.reserve_share(&id("A")), Ok(yuan("700")));
    }

    /// A member who converted part of their share and then left is paid back the rest,
    /// and only the rest.
    #[test]
    fn a_leaver_is_paid_back_the_share_left_after_a_conversion() {
        let mut coop = closed_2019();
        // B's contract ended with 2019: rent and distribution paid, B converts 200 and
        // leaves.
        coop.ok(Event::RentPaid {
            member: id("B"),
            date: date!(2020 - 01 - 10),
            amount: yuan("3000"),
            from: CashAccount::Bank,
        });
        coop.ok(Event::DistributionSettled {
            year: 2019,
            date: date!(2020 - 01 - 20),
            from: CashAccount::Bank,
        });
        coop.ok(converted("B", date!(2020 - 02 - 01), "200"));
        coop.ok(Event::MemberLeft {
            member: id("B"),
            date: date!(2020 - 02 - 29),
        });
        let refund = |amount: &str| Event::ReserveShareRefunded {
            member: id("B"),
            date: date!(2020 - 03 - 10),
            amount: yuan(amount),
            from: CashAccount::Bank,
        };
        let whole = coop.refused(refund("1200"));
        assert!(
            whole
                .to_string()
                .contains("the amount is 1200.00, but B's reserve share is 1000.00"),
            "{whole}"
        );
        coop.ok(refund("1000"));
        assert_eq!(coop.book.reserve_share(&id("B")), Ok(Yuan::ZERO));
        // Once left, no more is converted.
        let after = coop.refused(converted("B", date!(2020 - 04 - 01), "1"));
        assert!(
            after.to_string().contains("B left on 2020-02-29"),
            "{after}"
        );
    }
}
