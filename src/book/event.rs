//! Events: the only way a [`Book`](crate::Book) changes.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::ledger::Digest;
use by_hand::write_by_hand;

mod by_hand;
pub(crate) mod line;
mod tagged;
use crate::{
    Contract, ContractId, EventId, GrainUnit, Member, MemberId, Mu, Parcel, ParcelId, Yuan,
};

pub use crate::pool::CashAccount;

/// Where a member's capital contribution comes from, as the members' accounts (成员账户)
/// show it: capital from household poverty-relief assets quantified as shares (扶贫资产折股量化)
/// or other sources (the default).
///
/// The book keeps every member's capital in one sub-account, `301.<member>`, as the chart
/// has it; the split by source is kept in the register of contributions (see
/// [`report::member_accounts`](crate::report::member_accounts)). An event without a source (an old
/// log) reads as [`CapitalSource::Other`], and an `Other` contribution is written without the
/// field, so old logs keep their digests.
///
/// # Example
///
/// ```
/// use landpool::CapitalSource;
/// assert_eq!(CapitalSource::default(), CapitalSource::Other);
/// assert_eq!(serde_json::to_string(&CapitalSource::PovertyRelief)?, r#""poverty_relief""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapitalSource {
    /// Household poverty-relief assets quantified as the member's shares (扶贫资产折股量化).
    PovertyRelief,
    /// Any other source: the member's own money (the default).
    #[default]
    Other,
}

impl CapitalSource {
    /// Whether this is [`CapitalSource::Other`] (the default, left out of the JSON form).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::CapitalSource::Other.is_other());
    /// assert!(!landpool::CapitalSource::PovertyRelief.is_other());
    /// ```
    pub fn is_other(&self) -> bool {
        *self == CapitalSource::Other
    }
}

/// A part of a parcel being split: the new parcel's id and area.
///
/// # Example
///
/// ```
/// let part = landpool::ParcelPart { parcel: "P001-a".parse()?, area: "0.5".parse()? };
/// assert_eq!(part.area.to_string(), "0.50");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParcelPart {
    /// The new parcel's id.
    pub parcel: ParcelId,
    /// Its area.
    pub area: Mu,
}

/// Money one member pays another through the cooperative to settle an unequal swap.
///
/// # Example
///
/// ```
/// let pay = landpool::SwapCompensation { payer: "M002".parse()?, amount: "500".parse()? };
/// assert_eq!(pay.amount.to_string(), "500.00");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwapCompensation {
    /// The member who pays (one of the two sides); the other side receives.
    pub payer: MemberId,
    /// The amount, above zero.
    pub amount: Yuan,
}

/// Which contracts a rent accrual covers.
///
/// # Example
///
/// ```
/// use landpool::Accrue;
/// assert_eq!(serde_json::to_string(&Accrue::All)?, r#""all""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accrue {
    /// Every contract whose term overlaps the period.
    All,
    /// Just these contracts, each listed once.
    Contracts(Vec<ContractId>),
}

tagged::event_enum! {
/// A change to a book. Every change is one of these, applied with
/// [`Book::apply`](crate::Book::apply), validated in full before anything changes, and kept in
/// the book's hash-chained event log.
///
/// The JSON form is an object with a `type` tag in snake_case and the variant's fields;
/// amounts and areas are strings and dates `YYYY-MM-DD`. Other decimals (prices, kilograms,
/// rates, percentages, quantities of work) are strings too, written with every digit of
/// their scale (`"120.00"`), and read exactly: a plain decimal (an optional sign, digits, at
/// most one point) of at most 28 decimals and 29 significant digits. A decimal with an
/// exponent (`"1.15e0"`), an underscore (`"1_1.5"`) or more digits than that (which would
/// be rounded) is refused with an error that says so.
///
/// An event whose own date ([`Event::date`]) falls in a closed year is refused, whether or
/// not it posts an entry (a harvest, a swap of equal areas, a member leaving, a contract
/// starting then; a grain price excepted): a closed year's books and statements do not
/// change after its close. Corrections go in an open year. An event of an open year may
/// still concern days of a closed one (rent accrued late for them, a timesheet holding work
/// done on them): it counts in the year of its date, though what is read by the day (such
/// as [`Book::labour_income`](crate::Book::labour_income), by the days worked) shows it on
/// those days.
///
/// The tag may come anywhere among the fields (it is read fastest first, as events are
/// written). A field the event does not have, or that an object in it does not have (a
/// member, a contract, a pay, the policy…), is refused with its name and the fields
/// expected, never ignored: a misspelt optional field would otherwise book the event as if
/// it were absent. A field given twice (`type` included) is refused too. A field added to
/// an event in a later version is optional (old logs, which lack it, still read), and
/// written only when it is not its default.
///
/// # Example
///
/// ```
/// use landpool::{CashAccount, Event};
/// use time::macros::date;
///
/// let event = Event::RentPaid {
///     member: "M001".parse()?,
///     date: date!(2019 - 03 - 01),
///     amount: "1350".parse()?,
///     from: CashAccount::Bank,
/// };
/// assert_eq!(
///     serde_json::to_string(&event)?,
///     r#"{"type":"rent_paid","member":"M001","date":"2019-03-01","amount":"1350.00","from":"bank"}"#
/// );
///
/// let price = |price: &str| {
///     let json = format!(
///         r#"{{"type":"grain_price_recorded","crop":"wheat","unit":"jin","date":"2019-01-01","price":"{price}"}}"#
///     );
///     serde_json::from_str::<Event>(&json)
/// };
/// assert!(price("1.15").is_ok());
/// assert!(price("1.15e0").is_err());
/// assert!(price("0.33333333333333333333333333333333").is_err());
///
/// // A misspelt field is refused, and so is a field given twice.
/// let misspelt = r#"{"type":"capital_contributed","member":"M001","date":"2019-01-02","amount":"100.00","into":"bank","premum":"10.00"}"#;
/// let error = serde_json::from_str::<Event>(misspelt).err().map(|e| e.to_string());
/// assert_eq!(error.as_deref(), Some(concat!(
///     "unknown field `premum`, expected one of `member`, `date`, `amount`, `into`, ",
///     "`source`, `premium` at line 1 column 106",
/// )));
/// let twice = r#"{"member":"M001","type":"rent_paid","date":"2019-03-01","amount":"1.00","amount":"9999.00","from":"bank"}"#;
/// let error = serde_json::from_str::<Event>(twice).err().map(|e| e.to_string());
/// assert_eq!(error.as_deref(), Some("duplicate field `amount` at line 1 column 105"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// A member joins; their sub-accounts under 114, 212, 213, 221, 222 and 301 are opened.
    MemberJoined {
        /// The member, with `left` empty.
        member: Member,
    },
    /// A member leaves (still a member on `date`). Refused while any of their sub-accounts
    /// has a balance on `date` or postings dated after it
    /// ([`PoolError::UnsettledBalance`](crate::PoolError::UnsettledBalance),
    /// [`PoolError::PostingsAfterLeaving`](crate::PoolError::PostingsAfterLeaving)), but for
    /// their capital: 301 may hold it (a credit) on `date`, to be paid back after with
    /// [`Event::CapitalReturned`] (law art. 28), and such payments dated after `date` do not
    /// stand in the way; while a
    /// contract of theirs runs past `date` (end it early first with [`Event::ContractEnded`])
    /// or has days up to `date` whose rent is not accrued, when `date` falls in a closed year, and for a member who has left already
    /// ([`PoolError::AlreadyLeft`](crate::PoolError::AlreadyLeft)).
    /// From then on, an event whose entries post to their sub-accounts after `date` (rent
    /// accrued late, a timesheet with their work) is refused
    /// ([`PoolError::PostedAfterLeaving`](crate::PoolError::PostedAfterLeaving)), but for
    /// the payout of their part of a distribution: a member who is still a member on the
    /// last day of a year that is closed after their leaving is recorded has a part in it
    /// (law art. 28), which [`Event::DistributionSettled`] pays them, all in cash; and their
    /// capital paid back ([`Event::CapitalReturned`]), whatever its date. An event
    /// backdated into their membership is refused as well: an entry posting to their
    /// sub-accounts, whatever its date (the close excepted)
    /// ([`PoolError::PostedAfterLeavingRecorded`](crate::PoolError::PostedAfterLeavingRecorded)),
    /// and a contract of theirs.
    MemberLeft {
        /// The member.
        member: MemberId,
        /// The last day of membership.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
    },
    /// A member contributes capital in money: Dr 101/102, Cr 301 for the member with their
    /// share, and Cr 321 资本公积 with any part paid above it (`premium`). The source
    /// (poverty-relief assets or other) goes to the register, not to another account.
    ///
    /// ```
    /// use landpool::{CapitalSource, Event};
    /// // A log written before the source existed reads as other sources.
    /// let old = r#"{"type":"capital_contributed","member":"M001","date":"2019-01-02","amount":"100.00","into":"bank"}"#;
    /// let event: Event = serde_json::from_str(old)?;
    /// assert!(matches!(event, Event::CapitalContributed { source: CapitalSource::Other, .. }));
    /// assert_eq!(serde_json::to_string(&event)?, old);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    CapitalContributed {
        /// The member.
        member: MemberId,
        /// The day the money came in.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The amount, above zero.
        amount: Yuan,
        /// Where it was paid in.
        into: CashAccount,
        /// Where the capital comes from; absent in the JSON form for other sources.
        #[serde(default, skip_serializing_if = "CapitalSource::is_other")]
        source: CapitalSource,
        /// The part of `amount` paid above the member's share of the contributions (资本溢价,
        /// as when a member joins after the cooperative has built up reserves), credited to
        /// 321 资本公积 instead of 301; less than `amount`. Zero for none, and then absent in
        /// the JSON form.
        #[serde(default, skip_serializing_if = "no_premium")]
        premium: Yuan,
    },
    /// A parcel enters the register.
    ParcelRegistered {
        /// The parcel, with `retired` empty.
        parcel: Parcel,
    },
    /// A parcel is split into parts whose areas add up to it exactly; it is retired on `date`
    /// and the parts, owned by the same household, exist from `date`.
    ParcelSplit {
        /// The parcel split.
        parcel: ParcelId,
        /// The day of the split.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The new parcels.
        parts: Vec<ParcelPart>,
    },
    /// Parcels of one household are merged into one, with their total area.
    ParcelsMerged {
        /// The parcels merged (at least two).
        parcels: Vec<ParcelId>,
        /// The new parcel's id.
        into: ParcelId,
        /// The day of the merge.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
    },
    /// A land transfer or land-share contract is signed. A land-share contract books its
    /// capital: Dr 161 / Cr 301 for the member, area × shares per mu × value per share.
    /// Refused when its start falls in a closed year (a contract cannot be backdated into a
    /// closed year), and for a member whose leaving is recorded ([`Event::MemberLeft`]).
    /// Each line must fit in its parcel beside the other contracts on it; and where unequal
    /// swaps ([`Event::AreaSwapped`]) moved area between contracts, the area a contract
    /// received stays with it after its partner's contract ends, so a new contract on the
    /// partner's parcels takes only what is left
    /// ([`PoolError::SwappedAreaExceedsLand`](crate::PoolError::SwappedAreaExceedsLand)).
    /// Its rent may be charged to a greenhouse's account only while the greenhouse is in
    /// use: to one taken out of use before the contract's last day it is refused
    /// ([`PoolError::ChargeToRetiredGreenhouse`](crate::PoolError::ChargeToRetiredGreenhouse)).
    ContractSigned {
        /// The contract.
        contract: Box<Contract>,
    },
    /// The price of a crop per unit on a date, for grain-indexed rents: those in the same
    /// unit read it, and those in the other unit read it converted on a day with no price of
    /// their own (a jin is 0.5 kg). A price that accrued rent read, directly or converted, is
    /// not changed (refused with [`PoolError::NotAllowed`](crate::PoolError::NotAllowed));
    /// recording the same price again is allowed.
    GrainPriceRecorded {
        /// The crop, as contracts name it: not blank, without white space before or after
        /// it (refused with [`PoolError::NotAllowed`](crate::PoolError::NotAllowed)).
        crop: String,
        /// Jin or kg.
        unit: GrainUnit,
        /// The price date.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// Yuan per unit, above zero.
        #[serde(with = "crate::exact_decimal")]
        price: Decimal,
    },
    /// Rent (and, for land shares, the guaranteed payment and the amortisation of the land-use
    /// right) accrues for `[from, to]`: per contract, Dr its cost account / Cr 114 for the
    /// member (and Dr cost / Cr 162). Days already accrued are not accrued again. Refused
    /// when it would credit rent to a member on a day before they joined (an accrual dated
    /// before a contract's start, in advance, for a member who joined after its date).
    RentAccrued {
        /// First day of the period.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::from"
        )]
        from: Date,
        /// Last day of the period.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::to"
        )]
        to: Date,
        /// Which contracts.
        contracts: Accrue,
        /// The entry date (usually `to`, or the payment date for rent paid in advance).
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
    },
    /// The cooperative pays a member: Dr 114 for the member / Cr 101 or 102. A payment before
    /// the rent accrues leaves 114 in debit: a prepayment.
    RentPaid {
        /// The member paid.
        member: MemberId,
        /// The day of payment.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The amount, above zero.
        amount: Yuan,
        /// Paid from cash or bank.
        from: CashAccount,
    },
    /// Contracted area is exchanged between two contracts (置换、调整) from `date`. The pool's
    /// area is unchanged; each contract's rent follows its new area from `date`. Unequal
    /// areas need a compensation, booked Dr 114 payer / Cr 114 receiver. Refused when `date`
    /// falls in a closed year, with or without a compensation. An unequal swap moves area
    /// between contracts, not parcels: the contract that received area keeps it until it
    /// ends, on its partner's land, so the swap is refused when, on a day after either
    /// contract ends, the contracts on the parcels it joins would hold more than those
    /// parcels have
    /// ([`PoolError::SwappedAreaExceedsLand`](crate::PoolError::SwappedAreaExceedsLand)), and
    /// the partner's parcels cannot be split or merged while the receiving contract runs.
    AreaSwapped {
        /// The first day of the new areas.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// One side.
        first: ContractId,
        /// Area the first side gives to the second.
        first_gives: Mu,
        /// The other side.
        second: ContractId,
        /// Area the second side gives to the first.
        second_gives: Mu,
        /// Settlement of unequal areas, if any.
        compensation: Option<SwapCompensation>,
    },
    /// A contract's rent is charged to another cost account from `from` on (re-pointed), as
    /// when the greenhouse on its land is taken out of use: the rent of each day is charged
    /// to the account charging the contract that day, the days before `from` to the one
    /// before, `from` and after to `charge_to` (an accrual spanning `from` splits the
    /// contract's rent between them, exactly to the fen: each part is `C(to) − C(from − 1)`
    /// of its days, so the parts add up to the rent the accrual books without the change).
    /// Later re-points of the contract from `from` or after are replaced by this one. No
    /// entry is booked; the register of the contract
    /// ([`ContractRecord::charges`](crate::ContractRecord::charges)) keeps each change.
    ///
    /// Refused, the book unchanged, for a contract not in the register
    /// ([`PoolError::UnknownContract`](crate::PoolError::UnknownContract)); a `from` outside
    /// the contract's term
    /// ([`PoolError::ChargeChangeOutsideTerm`](crate::PoolError::ChargeChangeOutsideTerm));
    /// a `from` on or before the last day whose rent is accrued, which stays booked where it
    /// was ([`PoolError::ChargeChangeAccrued`](crate::PoolError::ChargeChangeAccrued)); an
    /// account a contract may not be signed with
    /// ([`PoolError::RentAccountRefused`](crate::PoolError::RentAccountRefused): not open, not
    /// 401 or a sub-account of 401 or 521, or with sub-accounts of its own); a greenhouse's
    /// account (`521.<greenhouse>`) when the greenhouse is built after `from`
    /// ([`PoolError::GreenhouseNotBuilt`](crate::PoolError::GreenhouseNotBuilt)) or taken out
    /// of use before the contract's last day
    /// ([`PoolError::ChargeToRetiredGreenhouse`](crate::PoolError::ChargeToRetiredGreenhouse));
    /// the account charging the contract from `from` already
    /// ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)); and a `from` in a closed
    /// year ([`PoolError::InClosedYear`](crate::PoolError::InClosedYear)).
    ///
    /// ```
    /// use landpool::Event;
    /// use time::macros::date;
    /// let json = r#"{"type":"contract_charge_changed","contract":"C002","from":"2020-01-01","charge_to":"521.RENT"}"#;
    /// let event: Event = serde_json::from_str(json)?;
    /// assert!(matches!(
    ///     &event,
    ///     Event::ContractChargeChanged { from, charge_to, .. }
    ///         if *from == date!(2020 - 01 - 01) && charge_to.as_str() == "521.RENT"
    /// ));
    /// assert_eq!(event.date(), Some(date!(2020 - 01 - 01)));
    /// assert_eq!(serde_json::to_string(&event)?, json);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ContractChargeChanged {
        /// The contract.
        contract: ContractId,
        /// The first day charged to `charge_to`.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::from"
        )]
        from: Date,
        /// The cost account charged from `from` on.
        charge_to: crate::ledger::AccountCode,
    },
    /// A contract is ended before the end it was signed with (协议解除、提前终止), as when a
    /// household withdraws its land by agreement or a member leaves the cooperative: `date`
    /// is its new last day. From the next day the contract's area leaves the pool
    /// ([`Book::pooled_area`](crate::Book::pooled_area)) and the distribution's mu-days, its
    /// parcels are free for a new contract, and no rent accrues for it: an accrual takes the
    /// days up to `date`, pro-rated as for any part year (accrue through `date` before or
    /// after ending it; an accrual after stops there). A member whose contracts have all
    /// ended may leave ([`Event::MemberLeft`]). No entry is booked: rent paid in advance and
    /// left on the member's 114 sub-account stays there as their balance, settled with
    /// [`Event::RentPaid`] or a manual entry. The register keeps the end the contract was
    /// signed with and the memo ([`ContractRecord::ended`](crate::ContractRecord::ended));
    /// [`ContractRecord::contract`](crate::ContractRecord::contract)'s `end` is its new last
    /// day.
    ///
    /// Refused, the book unchanged, for a contract not in the register
    /// ([`PoolError::UnknownContract`](crate::PoolError::UnknownContract)); one ended already
    /// ([`PoolError::ContractAlreadyEnded`](crate::PoolError::ContractAlreadyEnded)); a `date`
    /// before the contract's start or on or after its end
    /// ([`PoolError::ContractEndOutsideTerm`](crate::PoolError::ContractEndOutsideTerm)); a
    /// `date` before the last day whose rent is accrued (the rent of the days after it stays
    /// booked: end it on or after that day, or reverse the accrual first)
    /// ([`PoolError::ContractEndAccrued`](crate::PoolError::ContractEndAccrued)); and a `date`
    /// in a closed year ([`PoolError::InClosedYear`](crate::PoolError::InClosedYear)). Refused
    /// with [`PoolError::NotAllowed`](crate::PoolError::NotAllowed), as out of this version's
    /// reach: a land-share contract (its capital, 161 / 301, and the amortisation of its
    /// land-use right follow the term it was signed with); a contract that exchanged unequal
    /// areas in a swap (the area it received or gave lies on its partner's land); a contract
    /// whose area a swap changes after `date`; and an end that would leave the greenhouses in
    /// use on a day after `date` more than the land then pooled.
    ///
    /// ```
    /// use landpool::Event;
    /// use time::macros::date;
    /// let json = r#"{"type":"contract_ended","contract":"C002","date":"2026-06-30","memo":"协议解除"}"#;
    /// let event: Event = serde_json::from_str(json)?;
    /// assert!(matches!(
    ///     &event,
    ///     Event::ContractEnded { date, memo, .. }
    ///         if *date == date!(2026 - 06 - 30) && memo == "协议解除"
    /// ));
    /// assert_eq!(event.date(), Some(date!(2026 - 06 - 30)));
    /// assert_eq!(serde_json::to_string(&event)?, json);
    /// // Without a memo, the field is left out.
    /// let bare = r#"{"type":"contract_ended","contract":"C002","date":"2026-06-30"}"#;
    /// let event: Event = serde_json::from_str(bare)?;
    /// assert_eq!(serde_json::to_string(&event)?, bare);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ContractEnded {
        /// The contract.
        contract: ContractId,
        /// Its new last day.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// Why it ended (协议解除, 成员退社…); empty for none, and then absent in the JSON
        /// form.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        memo: String,
    },
    // Operations (greenhouses, sales, costs, labour, loans, grants).
    /// A greenhouse is built and put into use: Dr 151 固定资产 / Cr 101, 102 or 211 for its
    /// cost, and its operating-expense sub-account `521.<greenhouse>` is opened. Its area comes
    /// from the pooled land: refused if, on its build date (or a later greenhouse's), the
    /// greenhouses in use would cover more than [`Book::pooled_area`](crate::Book::pooled_area).
    GreenhouseBuilt {
        /// The greenhouse.
        greenhouse: crate::Greenhouse,
        /// How its construction was paid.
        paid_from: crate::CostPayment,
    },
    /// A greenhouse is taken out of use (拆除、报废 or sold) after its last day in use, `date`,
    /// through 154 固定资产清理 as the 2021 system has it: the depreciation of every month not
    /// yet booked through the month of `date` (an asset taken out of use is depreciated for
    /// that month, 当月减少当月照提; Dr `521.<greenhouse>` / Cr 152, dated `date`); its cost
    /// taken off 151 against that depreciation and its carrying amount (Dr 152, Dr 154 /
    /// Cr 151); what its remains fetch paid in (Dr 101 or 102 / Cr 154); and 154 cleared, a
    /// loss to 529 其他支出, a gain to 502 其他收入. From the next day its area is free for
    /// other greenhouses, and it takes no harvest, cost, work or depreciation dated after
    /// `date` ([`PoolError::GreenhouseRetired`](crate::PoolError::GreenhouseRetired)); its
    /// produce in stock may still be sold. Refused
    /// ([`PoolError::GreenhouseStillCharged`](crate::PoolError::GreenhouseStillCharged))
    /// while contracts charge their rent to `521.<greenhouse>` for days after `date` not yet
    /// accrued, naming each with the first and the last such day: re-point them first with
    /// [`Event::ContractChargeChanged`] from that first day (rent already accrued for later
    /// days, in advance, stays booked where it was). Refused
    /// ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)) for a greenhouse taken out
    /// of use already, a harvest or work (paid or not) recorded after `date`, and an entry
    /// posted to `521.<greenhouse>` after it (depreciation dated after it, a cost; pay for
    /// work on or before `date` in a timesheet booked after it is no use of the greenhouse
    /// after it, whether booked before the retirement or after); [`PoolError::GreenhouseNotBuilt`](crate::PoolError::GreenhouseNotBuilt) for a
    /// date before it was built; [`PoolError::BadNumber`](crate::PoolError::BadNumber) for
    /// negative proceeds; [`PoolError::UnknownGreenhouse`](crate::PoolError::UnknownGreenhouse)
    /// for one not in the register.
    ///
    /// ```
    /// use landpool::{CashAccount, Event};
    /// let json = r#"{"type":"greenhouse_retired","greenhouse":"GH03","date":"2021-07-10","proceeds":"800.00","into":"cash"}"#;
    /// let event: Event = serde_json::from_str(json)?;
    /// assert!(matches!(event, Event::GreenhouseRetired { into: CashAccount::Cash, .. }));
    /// assert_eq!(serde_json::to_string(&event)?, json);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    GreenhouseRetired {
        /// The greenhouse.
        greenhouse: crate::GreenhouseId,
        /// Its last day in use.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// What its remains fetch (残料变价收入), zero or more.
        proceeds: Yuan,
        /// Where the proceeds are paid in (nothing is, for none).
        into: CashAccount,
    },
    /// Monthly depreciation through a month: for every greenhouse, the charge of every month
    /// not yet booked up to and including `year`-`month` (Dr `521.<greenhouse>` / Cr 152),
    /// one entry per greenhouse dated the month's last day; and for every other asset in use
    /// ([`Event::AssetAcquired`]), its charge through the month, straight-line or by the
    /// units of work recorded through it (Dr `521.<greenhouse>` or 523 / Cr 152 or 143), one
    /// entry per asset. Booking a month twice books nothing the second time; a later month
    /// catches up.
    DepreciationBooked {
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: u8,
    },
    /// An asset other than a greenhouse is put into use: a fixed asset (Dr 151 固定资产) or a
    /// productive biological asset such as vines that start to bear (Dr 142 生产性生物资产),
    /// Cr 101, 102 or 211 for its cost, dated `in_use`. It depreciates from the next month
    /// ([`Event::DepreciationBooked`]), charged to the greenhouse it serves (`521.<greenhouse>`)
    /// or to 523 管理费用.
    ///
    /// Refused ([`PoolError::DuplicateAsset`](crate::PoolError::DuplicateAsset)) for an id in
    /// the register; ([`PoolError::BadNumber`](crate::PoolError::BadNumber)) for a cost not
    /// above zero, a residual value outside zero to the cost, a life outside 1 to 1200 months
    /// or units of work not above zero; ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed))
    /// for an empty or overlong name, or 142 or 143 with sub-accounts of the accountant's;
    /// and for a greenhouse not in use on `in_use` (the greenhouse errors).
    ///
    /// ```
    /// use landpool::{AssetKind, CostPayment, Event};
    /// let json = r#"{"type":"asset_acquired","asset":{"id":"V01","name":"一号棚葡萄树","kind":"productive_biological","in_use":"2021-03-31","cost":"36000.00","residual":"0.00","depreciation":{"method":"straight_line","life_months":120},"greenhouse":"GH01"},"paid_from":"bank"}"#;
    /// let event: Event = serde_json::from_str(json)?;
    /// assert!(matches!(
    ///     &event,
    ///     Event::AssetAcquired { asset, paid_from: CostPayment::Bank }
    ///         if asset.kind == AssetKind::ProductiveBiological
    /// ));
    /// assert_eq!(serde_json::to_string(&event)?, json);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    AssetAcquired {
        /// The asset.
        asset: crate::Asset,
        /// How it was paid.
        paid_from: crate::CostPayment,
    },
    /// Units of work an asset depreciated by units of work gave in a month (hours a machine
    /// ran, kilograms a vineyard bore): register only; the month's depreciation reads them
    /// ([`Event::DepreciationBooked`]). Several records of one month add up.
    ///
    /// Refused ([`PoolError::UnknownAsset`](crate::PoolError::UnknownAsset)) for an asset not
    /// in the register; ([`PoolError::BadNumber`](crate::PoolError::BadNumber)) for a month
    /// outside 1 to 12 or the calendar, or units not above zero;
    /// ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)) for an asset that
    /// depreciates straight-line, a month not after the month it was put into use, after the
    /// month it was taken out of use, or with its depreciation booked already (units
    /// recorded late are recorded in the month that is still open).
    ///
    /// ```
    /// use landpool::Event;
    /// use rust_decimal_macros::dec;
    /// let json = r#"{"type":"asset_work_recorded","asset":"T01","year":2021,"month":6,"units":"86.5"}"#;
    /// let event: Event = serde_json::from_str(json)?;
    /// assert!(matches!(event, Event::AssetWorkRecorded { month: 6, units, .. } if units == dec!(86.5)));
    /// assert_eq!(serde_json::to_string(&event)?, json);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    AssetWorkRecorded {
        /// The asset.
        asset: crate::AssetId,
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: u8,
        /// The units of work, above zero.
        #[serde(with = "crate::exact_decimal")]
        units: Decimal,
    },
    /// An asset other than a greenhouse is taken out of use (sold, scrapped, vines grubbed
    /// up) after its last day in use, `date`: the depreciation of every month not yet booked
    /// through the month of `date` (当月减少当月照提, dated `date`); then a fixed asset
    /// through 154 固定资产清理 as [`Event::GreenhouseRetired`] does (Dr 152, Dr 154 / Cr 151;
    /// proceeds Dr 101 or 102 / Cr 154; 154 cleared to 529 其他支出 or 502 其他收入), and a
    /// productive biological asset directly (Dr 143, Dr 101 or 102 for the proceeds / Cr 142,
    /// the difference to 529 or 502).
    ///
    /// Refused ([`PoolError::UnknownAsset`](crate::PoolError::UnknownAsset)) for an asset not
    /// in the register; ([`PoolError::BadNumber`](crate::PoolError::BadNumber)) for negative
    /// proceeds; ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)) for a date before
    /// it was put into use, an asset taken out of use already, units of work recorded for a
    /// later month, or depreciation booked for a later month.
    ///
    /// ```
    /// use landpool::{CashAccount, Event};
    /// let json = r#"{"type":"asset_retired","asset":"T01","date":"2028-09-30","proceeds":"5000.00","into":"bank"}"#;
    /// let event: Event = serde_json::from_str(json)?;
    /// assert!(matches!(event, Event::AssetRetired { into: CashAccount::Bank, .. }));
    /// assert_eq!(serde_json::to_string(&event)?, json);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    AssetRetired {
        /// The asset.
        asset: crate::AssetId,
        /// Its last day in use.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// What it fetches (变价收入), zero or more.
        proceeds: Yuan,
        /// Where the proceeds are paid in (nothing is, for none).
        into: CashAccount,
    },
    /// Produce harvested from a greenhouse (register only; no entry). Refused when `date`
    /// falls in a closed year, like every dated event, and when the kilograms harvested from
    /// every greenhouse, or those kilograms per mu of this greenhouse (a bound of its own),
    /// would no longer fit a `Decimal` ([`Error::Overflow`](crate::Error::Overflow)).
    Harvested {
        /// The greenhouse.
        greenhouse: crate::GreenhouseId,
        /// The day of the harvest.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// Kilograms, above zero.
        #[serde(with = "crate::exact_decimal")]
        kg: Decimal,
        /// The grade (一级, 二级, …).
        grade: crate::Text,
    },
    /// Produce of a greenhouse sold: Dr 101, 102 or 113 / Cr `501.<crop>` for kg × price,
    /// rounded once to the fen, half away from zero. Refused beyond what was harvested and not
    /// yet sold from that greenhouse as of the sale date.
    ProduceSold {
        /// The greenhouse.
        greenhouse: crate::GreenhouseId,
        /// The day of the sale.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// Kilograms sold, above zero.
        #[serde(with = "crate::exact_decimal")]
        kg: Decimal,
        /// Yuan per kilogram, above zero.
        #[serde(with = "crate::exact_decimal")]
        price_per_kg: Decimal,
        /// The buyer.
        buyer: crate::Text,
        /// Paid or on credit.
        payment: crate::SalePayment,
    },
    /// A buyer pays for produce bought on credit: Dr 101 or 102 / Cr 113. Refused beyond what
    /// the buyer owes as of `date` (the buyer's credit sales and payments dated on or before
    /// it), or if it would leave a later-dated payment beyond what is owed by its own date
    /// ([`PoolError::CollectionExceedsReceivable`](crate::PoolError::CollectionExceedsReceivable)).
    ReceivableCollected {
        /// The buyer, as the sales named them.
        buyer: crate::Text,
        /// The day of payment.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The amount, above zero.
        amount: Yuan,
        /// Paid into cash or bank.
        into: CashAccount,
    },
    /// An operating cost: Dr `521.<greenhouse>` (one greenhouse, or several split by area
    /// exactly) or Dr 523 管理费用 / Cr 101, 102 or 211. Costs are booked straight to 521, the
    /// simpler policy DOMAIN.md allows, not through 401 and 121.
    CostIncurred {
        /// The day of the cost.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// What it was for.
        kind: crate::CostKind,
        /// The amount, above zero.
        amount: Yuan,
        /// Where it is charged.
        target: crate::CostTarget,
        /// How it was paid.
        payment: crate::CostPayment,
        /// A note for the entry (supplier, invoice number).
        memo: String,
    },
    /// A timesheet: many work records booked at once, as one voucher (记账凭证) like a
    /// payroll sheet: Dr the cost accounts of the tasks (`521.<greenhouse>`, 523), each
    /// summed over the timesheet / Cr 213 (seasonal, temporary) and 212 (staff) for each
    /// member, or `213.NONMEMBER` / `212.NONMEMBER` for all non-members together, in the
    /// order the records first name them. A timesheet that needs more postings than an
    /// entry holds ([`MAX_POSTINGS`](crate::ledger::MAX_POSTINGS)) is booked in several
    /// entries, numbered `<event>:0`, `<event>:1`, … (as a voucher of several sheets is
    /// numbered 1/3, 2/3, …); each holds whole workers (a worker whose records reach more
    /// than 1,000 cost accounts has parts of at most 1,000 debits, each with its share of
    /// the credits) and balances on its own. One entry keeps the event's id; a timesheet
    /// whose records all pay nothing is recorded with no entry. Work by
    /// someone who is not a member on the day worked is refused unless they are recorded
    /// as a non-member worker. A record refused (an unknown member or greenhouse, work by a
    /// non-member, a negative quantity or rate, pay that does not fit, …) refuses the
    /// timesheet with [`PoolError::WorkRecordRefused`](crate::PoolError::WorkRecordRefused),
    /// which names the record by its position in `records`, counting from 1.
    WorkRecorded {
        /// The entry date; no record may be dated after it.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The records.
        records: Vec<crate::WorkRecord>,
    },
    /// Wages paid to a worker: Dr 213 or 212 for the worker / Cr 101 or 102. Refused beyond
    /// what is owed on that account on the date, or if it would leave a later-dated payment
    /// beyond what is owed by its own date (the least credit balance of the account on the
    /// date and every later date).
    WagesPaid {
        /// Who is paid (non-members through the shared sub-account).
        worker: crate::Worker,
        /// Which payable is settled.
        account: crate::WageAccount,
        /// The day of payment.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The amount, above zero.
        amount: Yuan,
        /// Paid from cash or bank.
        from: CashAccount,
    },
    /// A loan contract is signed; its principal sub-account under 201 or 231 is opened.
    /// Refused when its term does not match its dates: a short-term loan (201) matures on or
    /// before the same day a year after it is signed, a long-term loan (231) after it
    /// ([`PoolError::LoanTermMismatch`](crate::PoolError::LoanTermMismatch), see
    /// [`LoanTerm`](crate::LoanTerm)), and when the accountant opened the loan's account
    /// beforehand and posted to it
    /// ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)): the loan's register
    /// starts with nothing drawn.
    LoanSigned {
        /// The loan.
        loan: crate::Loan,
    },
    /// Loan principal drawn: Dr 101 or 102 / Cr `201.<loan>` (or 231). Refused before the
    /// loan was signed or after it matures, beyond the contract amount, before the loan's last
    /// drawdown or repayment, or on or before a day whose interest is accrued.
    LoanDrawn {
        /// The loan.
        loan: crate::LoanId,
        /// The day of the drawdown (its interest counts from this day).
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The amount, above zero.
        amount: Yuan,
        /// Paid into cash or bank.
        into: CashAccount,
    },
    /// Interest accrued on a loan through `through` (Dr 524 / Cr 215), on the principal
    /// outstanding each day, by the loan's day count, at the contract rate. The total accrued
    /// is rounded once from the exact cumulative interest, so accruals add up; days already
    /// accrued are not accrued again. Refused before the first drawdown.
    LoanInterestAccrued {
        /// The loan.
        loan: crate::LoanId,
        /// The last day of interest (the entry date).
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::through"
        )]
        through: Date,
    },
    /// A loan repayment: Dr `201.<loan>` for the principal and Dr 215 for the interest paid /
    /// Cr 101 or 102. Refused before the loan was signed, beyond the principal outstanding,
    /// or beyond the loan's interest accrued and unpaid as of `date`: each accrual counts
    /// from its entry date (its `through` day), each payment from its date, and a payment may
    /// not leave a later-dated payment short either
    /// ([`PoolError::InterestOverpaid`](crate::PoolError::InterestOverpaid)). A repayment of
    /// principal is also refused ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed))
    /// when dated before the loan's last drawdown or repayment, or on or before the last day
    /// of interest already accrued (the accrued interest followed the principal as it was).
    LoanRepaid {
        /// The loan.
        loan: crate::LoanId,
        /// The day of repayment (no interest for this day on the principal repaid).
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// Principal repaid, zero or more.
        principal: Yuan,
        /// Interest paid, zero or more.
        interest: Yuan,
        /// Paid from cash or bank.
        from: CashAccount,
    },
    /// An interest subsidy (贴息) received for a loan: Dr 101 or 102 / Cr 524 财务费用, which
    /// it offsets. Refused before the loan was signed, and beyond the loan's interest accrued
    /// less the subsidies received as of `date` (each accrual counts from its entry date, its
    /// `through` day), or if it would leave a later-dated subsidy beyond the interest
    /// ([`PoolError::SubsidyExceedsInterest`](crate::PoolError::SubsidyExceedsInterest)).
    InterestSubsidyReceived {
        /// The loan.
        loan: crate::LoanId,
        /// The day received.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The amount, above zero.
        amount: Yuan,
        /// Paid into cash or bank.
        into: CashAccount,
    },
    /// State grant money received: Dr 101 or 102 / Cr `235.<grant>` 专项应付款. The first
    /// receipt registers the grant and opens its sub-account; it is refused
    /// ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)) when the accountant opened
    /// that account beforehand and posted to it.
    GrantReceived {
        /// The grant.
        grant: crate::GrantId,
        /// What the grant is for (must match earlier receipts of the same grant): one line,
        /// without white space at either end, short enough for the name of the grant's
        /// account (`专项应付款—<purpose>`, at most 256 bytes), or the receipt is refused
        /// ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed) naming the purpose).
        purpose: String,
        /// Who granted it: one line of 1 to 256 bytes (it goes into the entry's memo), the
        /// same as earlier receipts of the same grant, or the receipt is refused with
        /// [`PoolError::NotAllowed`](crate::PoolError::NotAllowed) naming the source (and the
        /// source kept).
        source: String,
        /// The day received.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The amount, above zero.
        amount: Yuan,
        /// Paid into cash or bank.
        into: CashAccount,
    },
    /// State grant money spent: on an asset, Dr `235.<grant>` / Cr 311 专项基金 (the asset
    /// itself is booked by its own event); on training, marketing and the like,
    /// Dr `235.<grant>` / Cr 101 or 102. Refused beyond what was received and not yet spent.
    GrantSpent {
        /// The grant.
        grant: crate::GrantId,
        /// The day spent.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The amount, above zero.
        amount: Yuan,
        /// What it was spent on.
        on: crate::GrantUse,
    },
    /// A donation in cash: Dr 101 or 102 / Cr 311 专项基金.
    DonationReceived {
        /// Who gave it: one line of 1 to 256 bytes (it goes into the entry's memo), or the
        /// donation is refused with [`PoolError::NotAllowed`](crate::PoolError::NotAllowed)
        /// naming the donor.
        donor: String,
        /// The day received.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The amount, above zero.
        amount: Yuan,
        /// Paid into cash or bank.
        into: CashAccount,
    },
    /// A balanced entry the accountant records directly (记账凭证): bank interest, small
    /// receipts and payments, corrections going forward. Its entry id is the event id. It may
    /// not post to 331 or 332, which only the close moves, nor to 114, 212, 213, 221, 222 or
    /// 301 themselves, whose sub-accounts the book opens, one for each member (a posting of
    /// their own before the first member joined would leave them unable to take any), nor
    /// to 201, 231, 235, 501 or 521 themselves, whose sub-accounts the book opens, one for
    /// each loan, grant, crop sold or greenhouse (a posting of their own would leave the book
    /// unable to sign a loan of that term, receive a grant or build a greenhouse ever after;
    /// post to a sub-account the accountant opened instead, such as `501.SALES`), nor to the book's own account of a
    /// loan (`201.<loan>`, `231.<loan>`) or a grant (`235.<grant>`), which moves with the
    /// loan's or grant's register (record it with `LoanDrawn`, `LoanRepaid`,
    /// `GrantReceived` or `GrantSpent`): refused with
    /// [`PoolError::NotAllowed`](crate::PoolError::NotAllowed) naming the account.
    ManualEntry {
        /// The entry date.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// What the entry is for.
        memo: String,
        /// At least two postings whose debits equal their credits.
        postings: Vec<crate::ledger::Posting>,
    },
    /// The accountant opens a sub-account (设置明细科目) under a standard code, e.g.
    /// `521.RENT` 土地流转费 for rent charged straight to operating expenses. Refused
    /// ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)) for a code that exists and
    /// under 221, 222, 301, 322, 331 and 332, whose accounts the year-end close and the
    /// settlement of its distribution post to as they are, under 114, 212 and 213,
    /// whose sub-accounts the book opens itself, one for each member, and under the
    /// accounts the book's events post to as they are: 101, 102, 113, 151, 152, 161, 162,
    /// 211, 215, 311, 321, 523 and 524, each contract's `charge_to` account (401 unless it
    /// says otherwise), and the book's own sub-accounts of each greenhouse
    /// (`521.<greenhouse>`), crop sold (`501.<crop>`), loan (`201.<loan>`, `231.<loan>`) and
    /// grant (`235.<grant>`). The events that open those own sub-accounts
    /// (`GreenhouseBuilt`, `LoanSigned`, `GrantReceived`) are in turn refused when the
    /// accountant opened the account beforehand with sub-accounts under it.
    AccountOpened {
        /// The sub-account's code (`521.RENT`).
        code: crate::ledger::AccountCode,
        /// Its Chinese name.
        name_zh: String,
        /// Its English name.
        name_en: String,
    },
    // Year end (close, distribution, settlement).
    /// The year is closed under the bylaws' distribution policy: profit and loss into 331
    /// and 332, losses covered, reserve drawn, the surplus distributed to members' 221 and 222,
    /// and the year locked. Entries are dated 31 December. Refused for a policy that breaks
    /// the law or its arithmetic ([`DistributionPolicy::validate`](crate::DistributionPolicy::validate)),
    /// and ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)) for a year closed
    /// already or before a closed one, an earlier year with entries not closed, a surplus to
    /// share and no members on the last day, a collective share and no collective member,
    /// 311 专项基金 in debit at the year's end, and while 181 待处理财产损溢 holds a balance
    /// on 31 December: pending property losses and gains are dealt with before the close
    /// (the balance sheet has no line for them).
    YearClosed {
        /// The calendar year.
        year: i32,
        /// The bylaws' choices.
        policy: crate::DistributionPolicy,
    },
    /// A closed year's distribution is paid out (Dr 221/222 per member / Cr 101 or 102), the
    /// policy's share converted to capital (Cr 301 per member). An event of a later year. A
    /// member whose leaving is recorded is paid their part all in cash, nothing converted.
    /// Refused ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)) for a year not
    /// closed or settled already, a date in the year, and when a member's 221 or 222 holds
    /// less on `date`, or on any later day, than the distributions not yet settled owe them
    /// there (a part paid or converted by a manual entry, whatever its date, would be paid
    /// twice).
    DistributionSettled {
        /// The year whose distribution is paid.
        year: i32,
        /// The day of payment (after that year).
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// Paid from cash or bank.
        from: CashAccount,
    },
    /// A member who has left is paid back their reserve share (退还公积金份额, law art. 28:
    /// the reserve share recorded in the member's account is returned when membership ends,
    /// by the bylaws' method and term): Dr 322 盈余公积 / Cr 101 or 102. The amount is the
    /// share the closes quantified to them less what was converted to their capital
    /// ([`Event::ReserveConverted`]), all of it ([`Book::reserve_share`](crate::Book::reserve_share));
    /// from then on the members' account
    /// shows it returned ([`MemberAccountRow::reserve_refunded`](crate::report::MemberAccountRow::reserve_refunded)).
    /// Refused ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed)) for a member whose
    /// leaving is not recorded, a date before their last day, a member who shares in a year
    /// not closed yet (one who left on 31 December, before that year's close), a member
    /// whose share was returned already or who has none, an `amount` that is not their
    /// share (the error names it), and when 322 holds less than it on `date` or on any
    /// later day with postings (a return dated before an entry that took from the reserve).
    ///
    /// ```
    /// use landpool::{CashAccount, Event};
    /// let json = r#"{"type":"reserve_share_refunded","member":"M001","date":"2021-03-01","amount":"120.50","from":"bank"}"#;
    /// let event: Event = serde_json::from_str(json)?;
    /// assert!(matches!(event, Event::ReserveShareRefunded { from: CashAccount::Bank, .. }));
    /// assert_eq!(serde_json::to_string(&event)?, json);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ReserveShareRefunded {
        /// The member, who has left.
        member: MemberId,
        /// The day of payment, on or after their last day.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The reserve share paid back: all of it.
        amount: Yuan,
        /// Paid from cash or bank.
        from: CashAccount,
    },
    /// Capital (股金) paid back to a member: Dr 301 for the member / Cr 101 or 102, and the
    /// book's register records what went back (see
    /// [`Book::capital_returns`](crate::Book::capital_returns)). A leaving member's capital is
    /// returned (law art. 28), and so is a land-share contract's when the contract ends.
    ///
    /// With `contract`, the capital of that land-share contract (土地入股) is returned: the
    /// year-end close takes it off the contract's land-share capital. Without, money capital
    /// is returned, from `source`: the close leaves the land-share capital as it is, and the
    /// members' accounts ([`report::member_accounts`](crate::report::member_accounts)) take a
    /// return from poverty-relief assets off that part. (Before this event, capital went
    /// back only by a [`Event::ManualEntry`] Dr 301, which says neither; the close still
    /// reads such a debit, from the last day of a land-share contract that ended in the year
    /// on, as that contract's refund.)
    ///
    /// A member who has left may be paid back after their last day: this is the one event
    /// besides a distribution's payout that posts to a leaver's sub-account then.
    ///
    /// Refused with [`PoolError::UnknownMember`](crate::PoolError::UnknownMember) for a
    /// member the book does not know; [`PoolError::BadNumber`](crate::PoolError::BadNumber)
    /// for an amount not above zero; [`PoolError::InClosedYear`](crate::PoolError::InClosedYear)
    /// for a date in a closed year; [`PoolError::UnknownContract`](crate::PoolError::UnknownContract),
    /// [`PoolError::ContractOfAnotherMember`](crate::PoolError::ContractOfAnotherMember),
    /// [`PoolError::NoLandShareCapital`](crate::PoolError::NoLandShareCapital) and
    /// [`PoolError::ContractNotEnded`](crate::PoolError::ContractNotEnded) for a contract that
    /// is unknown, another member's, not a land-share contract, or still running on `date`;
    /// [`PoolError::NotAllowed`](crate::PoolError::NotAllowed) for a land-share contract's
    /// capital said to come from poverty-relief assets; and
    /// [`PoolError::CapitalReturnExceeds`](crate::PoolError::CapitalReturnExceeds) for an
    /// amount more than the contract's capital not yet returned, more than the member's money
    /// capital (their capital less the land-share capital not yet returned, of contracts
    /// running or ended) on `date` or a later day, more than their poverty-relief capital
    /// not yet returned (for that source) or than their money capital less it (for other
    /// sources) on `date` or a later day, or more than `301.<member>` holds on `date` or
    /// any later day.
    ///
    /// ```
    /// use landpool::{CapitalSource, CashAccount, Event};
    /// let json = r#"{"type":"capital_returned","member":"M001","date":"2021-03-01","amount":"5000.00","from":"bank","contract":"C001"}"#;
    /// let event: Event = serde_json::from_str(json)?;
    /// assert!(matches!(event, Event::CapitalReturned { contract: Some(_), source: CapitalSource::Other, .. }));
    /// assert_eq!(serde_json::to_string(&event)?, json);
    /// // Money capital: no contract, and other sources unless it says otherwise.
    /// let money = r#"{"type":"capital_returned","member":"M001","date":"2021-03-01","amount":"100.00","from":"cash"}"#;
    /// let event: Event = serde_json::from_str(money)?;
    /// assert!(matches!(event, Event::CapitalReturned { contract: None, from: CashAccount::Cash, .. }));
    /// assert_eq!(serde_json::to_string(&event)?, money);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    CapitalReturned {
        /// The member paid back (who may have left).
        member: MemberId,
        /// The day of payment.
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The capital paid back, above zero.
        amount: Yuan,
        /// Paid from cash or bank.
        from: CashAccount,
        /// The land-share contract whose capital this is, ended on or before `date`; absent
        /// for money capital.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contract: Option<ContractId>,
        /// Where the money capital returned came from; absent in the JSON form for other
        /// sources (and always other sources for a contract's capital).
        #[serde(default, skip_serializing_if = "CapitalSource::is_other")]
        source: CapitalSource,
    },
    /// Part of a member's reserve share converted to their capital (公积金转为成员出资, law
    /// art. 42: the reserve covers losses, expands the business, or is converted to members'
    /// capital): Dr 322 盈余公积 / Cr `301.<member>` 股金. The capital is money capital from
    /// other sources, which a later [`Event::CapitalReturned`] may pay back. From `date` on
    /// the member's reserve share is that much less
    /// ([`Book::reserve_share`](crate::Book::reserve_share),
    /// [`Book::reserve_conversions`](crate::Book::reserve_conversions)): the close of the
    /// conversion's year and later ones split the remaining surplus by the share left, and
    /// the members' accounts show the share converted
    /// ([`MemberAccountRow::reserve_converted`](crate::report::MemberAccountRow::reserve_converted))
    /// and the capital raised (other sources). Converting the reserve by a
    /// [`Event::ManualEntry`] Dr 322 / Cr 301 instead leaves the share as it was, counted
    /// twice.
    ///
    /// # Errors
    ///
    /// Refused, the book left as it was, with
    /// [`PoolError::UnknownMember`](crate::PoolError::UnknownMember) for a member the book
    /// does not know; [`PoolError::BadNumber`](crate::PoolError::BadNumber) for an amount
    /// not above zero; [`PoolError::InClosedYear`](crate::PoolError::InClosedYear) for a
    /// date in a closed year; [`PoolError::NotAllowed`](crate::PoolError::NotAllowed) for a
    /// member whose leaving is recorded (a leaver's share is paid back with
    /// [`Event::ReserveShareRefunded`], not converted; a member's accounts take nothing once
    /// their leaving is recorded); and
    /// [`PoolError::ReserveConversionExceeds`](crate::PoolError::ReserveConversionExceeds)
    /// for an amount more than the member's reserve share held on `date` (what the closes
    /// so far quantified to them, less what was converted already, whatever its date: the
    /// share may not fall below zero on a later day either), or more than 322 holds on
    /// `date` or on any later day with postings (a conversion dated before an entry that took
    /// from the reserve).
    ///
    /// ```
    /// use landpool::Event;
    /// let json = r#"{"type":"reserve_converted","member":"M001","date":"2021-03-01","amount":"60.25"}"#;
    /// let event: Event = serde_json::from_str(json)?;
    /// assert!(matches!(event, Event::ReserveConverted { ref member, .. } if member.as_str() == "M001"));
    /// assert_eq!(serde_json::to_string(&event)?, json);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ReserveConverted {
        /// The member, a member on `date` whose leaving is not recorded.
        member: MemberId,
        /// The day of the conversion (the entry's date).
        #[serde(
            serialize_with = "crate::iso_date::write",
            deserialize_with = "crate::iso_date::field::date"
        )]
        date: Date,
        /// The part of the member's reserve share converted to capital, above zero.
        amount: Yuan,
    },
}
}

impl Event {
    /// The day the event happens on, the date by which a closed year refuses it: an event
    /// dated in a closed year (the latest closed year or one before it) is refused with
    /// [`PoolError::InClosedYear`](crate::PoolError::InClosedYear), whether or not it posts an
    /// entry.
    ///
    /// | Event | Its date |
    /// |---|---|
    /// | `MemberJoined` | the member's `joined` |
    /// | `MemberLeft` | `date`, the last day of membership |
    /// | `ParcelRegistered` | the parcel's `registered` |
    /// | `ParcelSplit`, `ParcelsMerged`, `AreaSwapped` | `date` |
    /// | `ContractSigned` | the contract's `start` |
    /// | `GrainPriceRecorded` | the price `date` (the one kind a closed year does not refuse: a grain-indexed rent of an open year may need the price of its period's first day, in a closed year) |
    /// | `RentAccrued` | `date`, the entry date (the period may lie before it) |
    /// | `ContractChargeChanged` | `from`, the first day charged to the new account |
    /// | `GreenhouseBuilt` | the greenhouse's `built` |
    /// | `GreenhouseRetired` | `date`, its last day in use |
    /// | `DepreciationBooked`, `AssetWorkRecorded` | the last day of `year`-`month` (none for a month the calendar does not hold) |
    /// | `AssetAcquired` | the asset's `in_use` |
    /// | `AssetRetired` | `date`, its last day in use |
    /// | `WorkRecorded` | `date`, the entry date (records may be dated before it) |
    /// | `LoanSigned` | the loan's `signed` |
    /// | `LoanInterestAccrued` | `through`, the entry date |
    /// | `ManualEntry` | the entry's `date` |
    /// | `DistributionSettled`, `ReserveShareRefunded`, `CapitalReturned` | `date`, the day of payment |
    /// | `ReserveConverted` | `date`, the day of the conversion |
    /// | every other kind with a `date` (capital, rent paid, harvests, sales, collections, costs, wages, drawdowns, repayments, subsidies, grants, donations) | `date` |
    /// | `AccountOpened` | none: it has no date |
    /// | `YearClosed` | none: the close has checks of its own (the years before it closed, the year not closed yet) |
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{DistributionPolicy, Event};
    /// use rust_decimal_macros::dec;
    /// use time::macros::date;
    ///
    /// let left = Event::MemberLeft { member: "M001".parse()?, date: date!(2019 - 06 - 30) };
    /// assert_eq!(left.date(), Some(date!(2019 - 06 - 30)));
    /// let depreciation = Event::DepreciationBooked { year: 2020, month: 2 };
    /// assert_eq!(depreciation.date(), Some(date!(2020 - 02 - 29)));
    /// let close = Event::YearClosed { year: 2019, policy: DistributionPolicy::standard(dec!(10), dec!(60)) };
    /// assert_eq!(close.date(), None);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn date(&self) -> Option<Date> {
        match self {
            Event::MemberJoined { member } => Some(member.joined),
            Event::ParcelRegistered { parcel } => Some(parcel.registered),
            Event::ContractSigned { contract } => Some(contract.start),
            Event::GreenhouseBuilt { greenhouse, .. } => Some(greenhouse.built),
            Event::LoanSigned { loan } => Some(loan.signed),
            Event::LoanInterestAccrued { through, .. } => Some(*through),
            Event::ContractChargeChanged { from, .. } => Some(*from),
            Event::ContractEnded { date, .. } => Some(*date),
            Event::AssetAcquired { asset, .. } => Some(asset.in_use),
            Event::DepreciationBooked { year, month }
            | Event::AssetWorkRecorded { year, month, .. } => {
                let month = time::Month::try_from(*month).ok()?;
                Date::from_calendar_date(*year, month, month.length(*year)).ok()
            }
            Event::MemberLeft { date, .. }
            | Event::CapitalContributed { date, .. }
            | Event::ParcelSplit { date, .. }
            | Event::ParcelsMerged { date, .. }
            | Event::GrainPriceRecorded { date, .. }
            | Event::RentAccrued { date, .. }
            | Event::RentPaid { date, .. }
            | Event::AreaSwapped { date, .. }
            | Event::Harvested { date, .. }
            | Event::ProduceSold { date, .. }
            | Event::ReceivableCollected { date, .. }
            | Event::CostIncurred { date, .. }
            | Event::WorkRecorded { date, .. }
            | Event::WagesPaid { date, .. }
            | Event::LoanDrawn { date, .. }
            | Event::LoanRepaid { date, .. }
            | Event::InterestSubsidyReceived { date, .. }
            | Event::GrantReceived { date, .. }
            | Event::GrantSpent { date, .. }
            | Event::DonationReceived { date, .. }
            | Event::ManualEntry { date, .. }
            | Event::DistributionSettled { date, .. }
            | Event::ReserveShareRefunded { date, .. }
            | Event::CapitalReturned { date, .. }
            | Event::ReserveConverted { date, .. }
            | Event::GreenhouseRetired { date, .. }
            | Event::AssetRetired { date, .. } => Some(*date),
            Event::AccountOpened { .. } | Event::YearClosed { .. } => None,
        }
    }
}

/// An event as the log keeps it: its place in the log, its id, and the digest that chains it
/// to the events before.
///
/// `digest = SHA-256(previous digest ‖ canonical bytes)`, the first event's previous digest
/// being 32 zero bytes, where the canonical bytes are the compact JSON (serde_json, fields in
/// declaration order, no white space) of `{"seq":…,"id":…,"event":…}`. In its JSON form (a
/// log's line) a field it does not have, or a field given twice, is refused, as in the
/// event's.
///
/// # Example
///
/// ```
/// use landpool::{Book, Event};
/// use time::macros::date;
///
/// let mut book = Book::new();
/// book.apply("e1".parse()?, Event::GrainPriceRecorded {
///     crop: "wheat".into(), unit: landpool::GrainUnit::Jin,
///     date: date!(2019 - 01 - 01), price: rust_decimal_macros::dec!(1.15),
/// })?;
/// let logged = &book.events()[0];
/// assert_eq!(logged.seq, 0);
/// assert_eq!(logged.digest, logged.recompute_digest(&landpool::ledger::Digest::ZERO)?);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggedEvent {
    /// Position in the log, from 0.
    pub seq: u64,
    /// The event's id.
    pub id: EventId,
    /// The event.
    pub event: Event,
    /// The chain digest after this event.
    pub digest: Digest,
}

#[derive(Serialize)]
struct Canonical<'a> {
    seq: u64,
    id: &'a EventId,
    event: &'a Event,
}

impl LoggedEvent {
    /// The canonical bytes the digest covers.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Json`] if the event cannot be encoded (not expected for any event).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Event, GrainUnit, LoggedEvent};
    /// use time::macros::date;
    ///
    /// let event = Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// };
    /// let bytes = LoggedEvent::canonical_bytes(0, &"e1".parse()?, &event)?;
    /// let expected = concat!(
    ///     r#"{"seq":0,"id":"e1","event":{"type":"grain_price_recorded","#,
    ///     r#""crop":"wheat","unit":"jin","date":"2019-01-01","price":"1.15"}}"#,
    /// );
    /// assert_eq!(std::str::from_utf8(&bytes)?, expected);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn canonical_bytes(seq: u64, id: &EventId, event: &Event) -> crate::Result<Vec<u8>> {
        serde_json::to_vec(&Canonical { seq, id, event }).map_err(|e| crate::Error::Json {
            context: format!("encoding event {id}"),
            message: e.to_string(),
        })
    }

    /// The digest this event should have after `previous`.
    ///
    /// # Errors
    ///
    /// As [`LoggedEvent::canonical_bytes`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Book, Event, GrainUnit};
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// let price = |day| Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: day,
    ///     price: rust_decimal_macros::dec!(1.15),
    /// };
    /// book.apply("p1".parse()?, price(date!(2019 - 01 - 01)))?;
    /// book.apply("p2".parse()?, price(date!(2019 - 01 - 02)))?;
    /// let (first, second) = (&book.events()[0], &book.events()[1]);
    /// // The second event chains to the first one's digest, not to the start of the log.
    /// assert_eq!(second.recompute_digest(&first.digest)?, second.digest);
    /// assert_ne!(second.recompute_digest(&landpool::ledger::Digest::ZERO)?, second.digest);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn recompute_digest(&self, previous: &Digest) -> crate::Result<Digest> {
        LoggedEvent::chain(previous, self.seq, &self.id, &self.event)
    }

    /// The digest after `previous` of the event `seq`, `id`, `event`: the canonical bytes
    /// hashed as they are written, never held whole.
    pub(crate) fn chain(
        previous: &Digest,
        seq: u64,
        id: &EventId,
        event: &Event,
    ) -> crate::Result<Digest> {
        previous
            .chain_written(|sink| match event {
                Event::WorkRecorded { date, records } => {
                    write_timesheet(sink, seq, id, *date, records)
                }
                _ => {
                    let mut out = Vec::new();
                    if write_by_hand(&mut out, seq, id, event)? {
                        std::io::Write::write_all(sink, &out).map_err(serde_json::Error::io)
                    } else {
                        serde_json::to_writer(sink, &Canonical { seq, id, event })
                    }
                }
            })
            .map_err(|e| crate::Error::Json {
                context: format!("encoding event {id}"),
                message: e.to_string(),
            })
    }
}

impl LoggedEvent {
    /// Appends the event's line of a log, without its line end, to `out`: the bytes
    /// `serde_json::to_writer` writes for it. A timesheet's (most of a year's log) and the
    /// events [`write_by_hand`] writes are written as their digests' canonical bytes are (a
    /// timesheet's records by [`WorkRecord::write_json`](crate::WorkRecord)), then the
    /// digest.
    pub(crate) fn write_line(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let by_hand = match &self.event {
            Event::WorkRecorded { date, records } => {
                write_timesheet(out, self.seq, &self.id, *date, records)?;
                true
            }
            event => write_by_hand(out, self.seq, &self.id, event)?,
        };
        if !by_hand {
            return serde_json::to_writer(out, self);
        }
        // The canonical object is the line's without its digest: its closing brace gives
        // way to the digest.
        if out.last() == Some(&b'}') {
            out.pop();
        }
        out.extend_from_slice(b",\"digest\":");
        serde_json::to_writer(&mut *out, &self.digest)?;
        out.push(b'}');
        Ok(())
    }
}

/// Writes a timesheet's canonical JSON (the same bytes as [`LoggedEvent::canonical_bytes`])
/// to `sink`, its records through [`WorkRecord::write_json`](crate::WorkRecord) a few
/// hundred at a time.
fn write_timesheet(
    sink: &mut impl std::io::Write,
    seq: u64,
    id: &EventId,
    date: time::Date,
    records: &[crate::WorkRecord],
) -> serde_json::Result<()> {
    /// Bytes gathered before they go to the sink.
    const CHUNK: usize = 16 * 1024;
    let mut out = Vec::with_capacity(CHUNK.saturating_add(1024));
    by_hand::open_canonical(&mut out, seq, id, "work_recorded")?;
    out.extend_from_slice(b",\"date\":");
    serde_json::to_writer(&mut out, &date)?;
    out.extend_from_slice(b",\"records\":[");
    for (n, record) in records.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        record.write_json(&mut out)?;
        if out.len() >= CHUNK {
            sink.write_all(&out).map_err(serde_json::Error::io)?;
            out.clear();
        }
    }
    out.extend_from_slice(b"]}}");
    sink.write_all(&out).map_err(serde_json::Error::io)
}

/// Whether a capital contribution has no premium (then left out of its JSON form).
fn no_premium(premium: &Yuan) -> bool {
    premium.is_zero()
}

/// Where each object in `text` (JSON) opens, where its first field ends (its closing
/// brace if it has one field or none) and where it closes: offsets of the bytes, objects in
/// the order they close. For tests that edit every object of an event's JSON.
#[cfg(test)]
pub(crate) fn json_objects(text: &str) -> Vec<(usize, usize, usize)> {
    let (mut found, mut open, mut in_string, mut escaped) = (Vec::new(), Vec::new(), false, false);
    for (at, byte) in text.bytes().enumerate() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
            (false, _, b'{' | b'[') => open.push((byte, at, None)),
            (false, _, b',') => {
                if let Some((b'{', _, end @ None)) = open.last_mut() {
                    *end = Some(at);
                }
            }
            (false, _, b'}' | b']') => {
                if let Some((b'{', start, end)) = open.pop() {
                    found.push((start, end.unwrap_or(at), at));
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Pay, Task, WorkKind, WorkRecord, Worker};
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn timesheet(records: usize) -> Event {
        let record = |n: usize| WorkRecord {
            worker: if n % 7 == 6 {
                Worker::NonMember(format!("临时工 \"{n}\"\t"))
            } else {
                Worker::Member(
                    format!("M{:03}", n % 40)
                        .parse()
                        .unwrap_or_else(|e| panic!("{e}")),
                )
            },
            date: date!(2019 - 05 - 01),
            task: if n.is_multiple_of(5) {
                Task::Administration
            } else {
                Task::Greenhouse("GH01".parse().unwrap_or_else(|e| panic!("{e}")))
            },
            pay: Pay::Days {
                days: rust_decimal::Decimal::new(i64::try_from(n).unwrap_or(0), 1),
                rate: dec!(120.00),
            },
            kind: if n.is_multiple_of(5) {
                WorkKind::Staff
            } else {
                WorkKind::Seasonal
            },
        };
        Event::WorkRecorded {
            date: date!(2019 - 05 - 31),
            records: (0..records).map(record).collect(),
        }
    }

    #[test]
    fn a_timesheet_chains_its_canonical_bytes() {
        let previous = Digest::ZERO.chain(b"previous");
        let id: EventId = "work-2019-05".parse().unwrap_or_else(|e| panic!("{e}"));
        // Sizes around the writer's chunk and the hash sink's buffer.
        for records in [0, 1, 2, 100, 120, 121, 5000] {
            let event = timesheet(records);
            let bytes = LoggedEvent::canonical_bytes(41, &id, &event).unwrap_or_default();
            assert!(bytes.starts_with(br#"{"seq":41,"id":"work-2019-05","event":{"type":"work_recorded","date":"2019-05-31","records":["#));
            assert_eq!(
                LoggedEvent::chain(&previous, 41, &id, &event).ok(),
                Some(previous.chain(&bytes)),
                "{records} records"
            );
        }
    }

    /// A log line written by `write_line` is the line serde writes, for timesheets of
    /// every size around the writers' buffers (names with quotes and tabs among them) and
    /// for another event.
    #[test]
    fn a_log_line_is_written_as_serde_writes_it() -> Result<(), Box<dyn std::error::Error>> {
        let previous = Digest::ZERO.chain(b"previous");
        let id: EventId = "work-2019-05".parse()?;
        let price = Event::GrainPriceRecorded {
            crop: "wheat".into(),
            unit: crate::GrainUnit::Jin,
            date: date!(2019 - 01 - 01),
            price: dec!(1.15),
        };
        let events = [0, 1, 2, 100, 120, 121, 5000]
            .map(timesheet)
            .into_iter()
            .chain([price]);
        for (seq, event) in (41..).zip(events) {
            let logged = LoggedEvent {
                seq,
                digest: LoggedEvent::chain(&previous, seq, &id, &event)?,
                id: id.clone(),
                event,
            };
            // Appended after what `out` holds already.
            let mut line = b"before".to_vec();
            logged.write_line(&mut line)?;
            let mut expected = b"before".to_vec();
            expected.extend(serde_json::to_vec(&logged)?);
            assert!(line == expected, "event {seq}");
        }
        Ok(())
    }

    /// The digest and log line of `event`, written by hand, are those of serde's bytes.
    fn written_as_serde_writes_it(
        seq: u64,
        event_id: &str,
        event: Event,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let id: EventId = event_id.parse().unwrap_or_else(|e| panic!("{e}"));
        let previous = Digest::ZERO.chain(b"previous");
        let bytes = LoggedEvent::canonical_bytes(seq, &id, &event).unwrap_or_default();
        let digest = LoggedEvent::chain(&previous, seq, &id, &event).ok();
        proptest::prop_assert_eq!(digest, Some(previous.chain(&bytes)));
        let logged = LoggedEvent {
            seq,
            id,
            event,
            digest: previous.chain(&bytes),
        };
        let mut line = b"before".to_vec();
        proptest::prop_assert!(logged.write_line(&mut line).is_ok());
        let mut expected = b"before".to_vec();
        expected.extend(serde_json::to_vec(&logged).unwrap_or_default());
        proptest::prop_assert_eq!(
            String::from_utf8_lossy(&line),
            String::from_utf8_lossy(&expected)
        );
        Ok(())
    }

    /// A member, parcel or contract id, for the strategies below.
    const ACCOUNT_ID: &str = "[A-Z0-9][A-Za-z0-9-]{0,23}";

    /// An event id, for the strategies below.
    const EVENT_ID: &str = "[a-z0-9][a-z0-9_-]{0,20}";

    /// The Julian days of every date in `time`'s range.
    const DAYS: std::ops::RangeInclusive<i32> =
        Date::MIN.to_julian_day()..=Date::MAX.to_julian_day();

    /// Any date in `time`'s range, from its Julian day.
    fn any_day(julian: i32) -> Date {
        Date::from_julian_day(julian).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Any decimal: a 96-bit mantissa of either sign (zero too) at any scale.
    fn any_decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::any;
        use proptest::strategy::Strategy;
        (any::<(u32, u32, u32)>(), any::<bool>(), 0_u32..=28, 0_u8..3).prop_map(
            |((lo, mid, hi), negative, scale, size)| match size {
                // Small mantissas, as most decimals of a log have them, and full ones.
                0 => Decimal::from_parts(lo % 100_000, 0, 0, negative, scale % 5),
                1 => Decimal::from_parts(lo, mid, 0, negative, scale),
                _ => Decimal::from_parts(lo, mid, hi, negative, scale),
            },
        )
    }

    proptest::proptest! {
        /// A parcel's registration, written by hand, chains and writes the bytes serde
        /// writes: for texts that need escaping, any area, and dates in and out of the
        /// years the hand-written writer covers.
        #[test]
        fn a_parcels_registration_is_written_as_serde_writes_it(
            parcel_id in ACCOUNT_ID,
            owner in ACCOUNT_ID,
            event_id in EVENT_ID,
            units in proptest::prelude::any::<u64>(),
            village in "[a村\"\\\\\t\u{0}\u{1f}\u{7f} ]{0,6}",
            land_class in "[b水浇地\"\\\\\n]{0,4}",
            registered in DAYS,
            retired in proptest::option::of(DAYS),
            seq in proptest::prelude::any::<u64>(),
        ) {
            let parcel = crate::Parcel {
                id: parcel_id.parse().unwrap_or_else(|e| panic!("{e}")),
                owner: owner.parse().unwrap_or_else(|e| panic!("{e}")),
                area: crate::Mu::from_ten_thousandths(units),
                village: village.as_str().into(),
                land_class: land_class.as_str().into(),
                registered: any_day(registered),
                retired: retired.map(any_day),
            };
            written_as_serde_writes_it(seq, &event_id, Event::ParcelRegistered { parcel })?;
        }

        /// A member's joining, written by hand, as serde writes it: every kind of member.
        #[test]
        fn a_member_joining_is_written_as_serde_writes_it(
            member_id in ACCOUNT_ID,
            event_id in EVENT_ID,
            name in "[张三\"\\\\\t\u{0}\u{7f} ]{0,6}",
            kind in 0_u8..3,
            persons in proptest::prelude::any::<u32>(),
            village in "[高格庄\"\\\\\n]{0,4}",
            joined in DAYS,
            left in proptest::option::of(DAYS),
            seq in proptest::prelude::any::<u64>(),
        ) {
            let member = crate::Member {
                id: member_id.parse().unwrap_or_else(|e| panic!("{e}")),
                name: name.as_str().into(),
                kind: match kind {
                    0 => crate::MemberKind::Household { persons },
                    1 => crate::MemberKind::Collective,
                    _ => crate::MemberKind::LegalPerson,
                },
                village: village.as_str().into(),
                joined: any_day(joined),
                left: left.map(any_day),
            };
            written_as_serde_writes_it(seq, &event_id, Event::MemberJoined { member })?;
        }

        /// A capital contribution, written by hand, as serde writes it: either account,
        /// either source, with and without a premium.
        #[test]
        fn a_capital_contribution_is_written_as_serde_writes_it(
            member in ACCOUNT_ID,
            event_id in EVENT_ID,
            date in DAYS,
            amount in proptest::prelude::any::<i64>(),
            premium in proptest::prop_oneof![proptest::strategy::Just(0_i64), proptest::prelude::any::<i64>()],
            bank in proptest::prelude::any::<bool>(),
            relief in proptest::prelude::any::<bool>(),
            seq in proptest::prelude::any::<u64>(),
        ) {
            let event = Event::CapitalContributed {
                member: member.parse().unwrap_or_else(|e| panic!("{e}")),
                date: any_day(date),
                amount: Yuan::from_fen(amount),
                into: if bank { CashAccount::Bank } else { CashAccount::Cash },
                source: if relief { CapitalSource::PovertyRelief } else { CapitalSource::Other },
                premium: Yuan::from_fen(premium),
            };
            written_as_serde_writes_it(seq, &event_id, event)?;
        }

        /// A contract's signing, written by hand, as serde writes it: either kind, every
        /// rent's terms, both pro-ratings and payment terms, any decimals.
        #[test]
        fn a_contracts_signing_is_written_as_serde_writes_it(
            contract_id in ACCOUNT_ID,
            member in ACCOUNT_ID,
            event_id in EVENT_ID,
            lines in proptest::collection::vec((ACCOUNT_ID, proptest::prelude::any::<u64>()), 0..4),
            start in DAYS,
            end in DAYS,
            kind in 0_u8..4,
            numbers in proptest::array::uniform3(any_decimal()),
            whole in proptest::prelude::any::<u32>(),
            fen in proptest::prelude::any::<i64>(),
            crop in "[a小麦\"\\\\\n]{0,4}",
            kg in proptest::prelude::any::<bool>(),
            months_and_days in proptest::prelude::any::<bool>(),
            arrears in proptest::prelude::any::<bool>(),
            month in proptest::prelude::any::<u8>(),
            day in proptest::prelude::any::<u8>(),
            charge_to in proptest::sample::select(vec!["401", "521.RENT", "401.A-1"]),
            seq in proptest::prelude::any::<u64>(),
        ) {
            let [first, second, third] = numbers;
            let contract = Contract {
                id: contract_id.parse().unwrap_or_else(|e| panic!("{e}")),
                member: member.parse().unwrap_or_else(|e| panic!("{e}")),
                lines: lines
                    .into_iter()
                    .map(|(parcel, units)| crate::ContractLine {
                        parcel: parcel.parse().unwrap_or_else(|e| panic!("{e}")),
                        area: Mu::from_ten_thousandths(units),
                    })
                    .collect(),
                start: any_day(start),
                end: any_day(end),
                kind: match kind {
                    0 => crate::ContractKind::Transfer {
                        rent: crate::RentTerms::Fixed { yuan_per_mu: first },
                    },
                    1 => crate::ContractKind::Transfer {
                        rent: crate::RentTerms::Stepped {
                            yuan_per_mu: first,
                            step_percent: second,
                            every_years: whole,
                        },
                    },
                    2 => crate::ContractKind::Transfer {
                        rent: crate::RentTerms::GrainIndexed {
                            crop,
                            unit: if kg { GrainUnit::Kg } else { GrainUnit::Jin },
                            quantity_per_mu: first,
                            reset_every_years: whole,
                        },
                    },
                    _ => crate::ContractKind::LandShares {
                        shares_per_mu: first,
                        value_per_share: Yuan::from_fen(fen),
                        guaranteed_per_share: third,
                    },
                },
                pro_rating: if months_and_days {
                    crate::ProRating::MonthsAndDays
                } else {
                    crate::ProRating::ActualDays
                },
                payment: if arrears {
                    crate::PaymentTerms::InArrears { month, day }
                } else {
                    crate::PaymentTerms::InAdvance { month, day }
                },
                charge_to: charge_to.parse().unwrap_or_else(|e| panic!("{e}")),
            };
            let event = Event::ContractSigned { contract: Box::new(contract) };
            written_as_serde_writes_it(seq, &event_id, event)?;
        }

        /// A greenhouse's building, written by hand, as serde writes it: any area, amounts
        /// and life, each way of paying.
        #[test]
        fn a_greenhouses_building_is_written_as_serde_writes_it(
            greenhouse in ACCOUNT_ID,
            crop in ACCOUNT_ID,
            event_id in EVENT_ID,
            name in "[1号棚\"\\\\\t\u{0}\u{7f} ]{0,6}",
            units in proptest::prelude::any::<u64>(),
            built in DAYS,
            cost in proptest::prelude::any::<i64>(),
            residual in proptest::prelude::any::<i64>(),
            life_months in proptest::prelude::any::<u32>(),
            paid_from in 0_u8..3,
            seq in proptest::prelude::any::<u64>(),
        ) {
            let greenhouse = crate::Greenhouse {
                id: greenhouse.parse().unwrap_or_else(|e| panic!("{e}")),
                name: name.as_str().into(),
                area: Mu::from_ten_thousandths(units),
                crop: crop.parse().unwrap_or_else(|e| panic!("{e}")),
                built: any_day(built),
                cost: Yuan::from_fen(cost),
                residual: Yuan::from_fen(residual),
                life_months,
            };
            let paid_from = match paid_from {
                0 => crate::CostPayment::Cash,
                1 => crate::CostPayment::Bank,
                _ => crate::CostPayment::Payable,
            };
            written_as_serde_writes_it(seq, &event_id, Event::GreenhouseBuilt { greenhouse, paid_from })?;
        }

        /// A harvest and a sale, written by hand, as serde writes them: any decimals, each
        /// way of paying.
        #[test]
        fn a_harvest_and_a_sale_are_written_as_serde_writes_them(
            greenhouse in ACCOUNT_ID,
            event_id in EVENT_ID,
            date in DAYS,
            kg in any_decimal(),
            price in any_decimal(),
            text in "[一级市场\"\\\\\n\u{1f} ]{0,6}",
            payment in 0_u8..3,
            seq in proptest::prelude::any::<u64>(),
        ) {
            let greenhouse: crate::GreenhouseId = greenhouse.parse().unwrap_or_else(|e| panic!("{e}"));
            let harvested = Event::Harvested {
                greenhouse: greenhouse.clone(),
                date: any_day(date),
                kg,
                grade: text.as_str().into(),
            };
            written_as_serde_writes_it(seq, &event_id, harvested)?;
            let sold = Event::ProduceSold {
                greenhouse,
                date: any_day(date),
                kg,
                price_per_kg: price,
                buyer: text.as_str().into(),
                payment: match payment {
                    0 => crate::SalePayment::Cash,
                    1 => crate::SalePayment::Bank,
                    _ => crate::SalePayment::Credit,
                },
            };
            written_as_serde_writes_it(seq, &event_id, sold)?;
        }
    }

    /// Found by review: an amount with two signs was read (`"+-1350"` as -1350.00); the
    /// JSON form takes amounts as written plainly only (`"¥1,350.00"`, for people, is
    /// refused: `1,350` reads as 1.35 in many countries).
    #[test]
    fn an_amount_not_written_plainly_is_refused() {
        let rent_paid = |amount: &str| {
            serde_json::from_str::<Event>(&format!(
                r#"{{"type":"rent_paid","member":"M001","date":"2019-03-01","amount":"{amount}","from":"bank"}}"#
            ))
            .map_err(|e| e.to_string())
        };
        assert_eq!(
            rent_paid("+-1350"),
            Err("invalid amount \"+-1350\": in JSON an amount is written plainly, digits with at most two decimals and an optional minus sign, such as \"1409.50\" or \"-3.2\" (no spaces, ¥, + or thousands separators) at line 1 column 73".to_string())
        );
        for amount in [
            "-+1350",
            "¥¥1350",
            "¥-¥1350",
            "0,001",
            "¥1,350.00",
            "1,350",
            " 1350",
        ] {
            assert!(rent_paid(amount).is_err(), "{amount}");
        }
        for (amount, fen) in [("1350", 135_000), ("1350.5", 135_050), ("1350.00", 135_000)] {
            assert!(
                matches!(rent_paid(amount), Ok(Event::RentPaid { amount, .. }) if amount == Yuan::from_fen(fen)),
                "{amount}"
            );
        }
    }

    /// Found by review: decimal fields were read with `rust_decimal::serde::str`, which
    /// rounded past 28 digits and read exponents and underscores.
    #[test]
    fn decimal_fields_are_read_exactly_or_refused() {
        let price = |price: &str| {
            serde_json::from_str::<Event>(&format!(
                r#"{{"type":"grain_price_recorded","crop":"wheat","unit":"jin","date":"2019-01-01","price":"{price}"}}"#
            ))
            .map_err(|e| e.to_string())
        };
        assert_eq!(
            price("0.33333333333333333333333333333333"),
            Err("cannot read \"0.33333333333333333333333333333333\" as a decimal: more digits than a decimal holds exactly (at most 28 decimals and 29 significant digits), so it would be rounded; expected the number with fewer digits at line 1 column 123".to_string())
        );
        assert_eq!(
            price("1.15e0"),
            Err("cannot read \"1.15e0\" as a decimal: an exponent is not accepted; expected an optional sign, digits and at most one decimal point, such as -12.50 at line 1 column 95".to_string())
        );
        assert!(price("1_1.5").is_err());
        // Exact values are read with every digit, and written back as they were.
        for exact in [
            "1.15",
            "0.3333333333333333333333333333",
            "1.1500",
            "7.9228162514264337593543950335",
        ] {
            let json = format!(
                r#"{{"type":"grain_price_recorded","crop":"wheat","unit":"jin","date":"2019-01-01","price":"{exact}"}}"#
            );
            let event = serde_json::from_str::<Event>(&json).map_err(|e| e.to_string());
            let back =
                event.and_then(|event| serde_json::to_string(&event).map_err(|e| e.to_string()));
            assert_eq!(back, Ok(json), "{exact}");
        }
        // The same in the other decimal fields: kilograms, a rent rate, pay, a policy.
        let harvested = r#"{"type":"harvested","greenhouse":"GH1","date":"2019-08-20","kg":"1e3","grade":"一级"}"#;
        let work = r#"{"type":"work_recorded","date":"2019-01-31","records":[{"worker":{"member":"H1"},"date":"2019-01-31","task":"administration","pay":{"basis":"days","days":"1_0","rate":"150"},"kind":"staff"}]}"#;
        let policy = r#"{"type":"year_closed","year":2019,"policy":{"reserve_percent":"10.000000000000000000000000000001","welfare_percent":"0","patronage_percent":"70","base":"this_year","volume":{"land_mu_days":"1","labour_pay":"0"},"collective_percent":"0","convert_to_capital_percent":"0"}}"#;
        for json in [harvested, work, policy] {
            let read = serde_json::from_str::<Event>(json).map_err(|e| e.to_string());
            assert!(
                matches!(&read, Err(message) if message.starts_with("cannot read")),
                "{json}: {read:?}"
            );
        }
        let policy = policy.replace("10.000000000000000000000000000001", "10.0");
        assert!(serde_json::from_str::<Event>(&policy).is_ok());
    }
}
