//! [`Book`]: the cooperative's registers, its ledger and its event log, changed only by events.

mod capital;
mod close;
pub(crate) use close::year_bounds;
#[cfg(feature = "proptest")]
pub(crate) use close::PL_ACCOUNTS;
pub(crate) mod event;
mod history;
mod land;
mod operations;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

pub use capital::CapitalReturn;
pub use close::{
    Distribution, DistributionPolicy, MemberShare, PatronageBase, ProfitAndLoss, VolumeWeights,
    DISTRIBUTIONS, UNDISTRIBUTED,
};
pub use event::{
    Accrue, CapitalSource, CashAccount, Event, LoggedEvent, ParcelPart, SwapCompensation,
};
pub use operations::{
    AssetRecord, AssetWork, CropResult, GrantRecord, GreenhouseRecord, GreenhouseResult,
    LabourIncome, LoanRecord,
};

use crate::ledger::hashing::IdIndex;
use crate::ledger::{AccountCode, Digest, Entry, EntryId, Journal, Name, Side};
use crate::pool::{AreaChange, PoolError};
use crate::register::{Few, Register};
use crate::{
    Contract, ContractId, Error, EventId, GrainUnit, Member, MemberId, Mu, Parcel, ParcelId,
    Result, Yuan,
};

/// The member sub-accounts opened when a member joins: code, Chinese and English name.
pub(crate) const MEMBER_ACCOUNTS: [(&str, &str, &str); 6] = [
    ("114", "成员往来", "member current account"),
    ("212", "应付工资", "wages payable"),
    ("213", "应付劳务费", "labour payable"),
    ("221", "应付盈余返还", "patronage returns payable"),
    ("222", "应付剩余盈余", "remaining surplus payable"),
    ("301", "股金", "share capital"),
];

/// A contract as the book keeps it: the contract as signed (but for the end of one ended
/// early), its area history (the signing area, then each swap's result) and the days
/// already accrued.
///
/// # Example
///
/// The reference cooperative's first contract at the end of 2019, from [`Book::contract`]:
///
/// ```
/// use landpool::folder::BookFolder;
/// use time::macros::date;
///
/// let book = BookFolder::reference()?.run()?;
/// let record = book.contract(&"LZ01".parse()?).ok_or("no LZ01")?;
/// assert_eq!(record.contract.member.as_str(), "H01");
/// // 8.35 mu from the start, never swapped; the whole of 2019 accrued at 1000 yuan a mu.
/// assert_eq!(record.areas.len(), 1);
/// assert_eq!(record.area_on(date!(2019 - 06 - 30)).to_string(), "8.35");
/// assert_eq!(record.accrued, vec![(date!(2019 - 01 - 01), date!(2019 - 12 - 31))]);
/// assert_eq!(record.rent_booked, vec![(date!(2019 - 12 - 31), "8350.00".parse()?)]);
/// // A transfer contract: no capital, so nothing amortised; never re-pointed or ended.
/// assert!(record.capital.is_zero() && record.amortised_booked.is_empty());
/// assert!(record.charges.is_empty() && record.ended.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRecord {
    /// The contract as signed, but that `end` is its last day: for a contract ended early
    /// ([`Event::ContractEnded`]) the day it was ended on, the end it was signed with kept
    /// in [`ContractRecord::ended`].
    pub contract: Contract,
    /// Its area from each date on, oldest first; the first is at the start.
    pub areas: Vec<AreaChange>,
    /// Days whose rent is booked, as sorted, disjoint, inclusive date ranges.
    pub accrued: Vec<(Date, Date)>,
    /// For land shares, the capital booked at signing (Dr 161 / Cr 301); zero otherwise.
    pub capital: Yuan,
    /// Each accrual's rent (for land shares, the guaranteed payment) credited to the member's
    /// 114 sub-account, with its entry's date, in the order booked: what the member's income
    /// statements show (`report::household_income`). Absent in JSON written before it
    /// existed: read as none.
    #[serde(default)]
    pub rent_booked: Vec<(Date, Yuan)>,
    /// For land shares, each accrual's amortisation of the land-use right credited to 162
    /// 累计摊销, with its entry's date, in the order booked: what the asset register's
    /// intangible assets show by year (`report::asset_register`). Empty (and absent in
    /// JSON) for a transfer contract and before the first accrual.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amortised_booked: Vec<(Date, Yuan)>,
    /// The accounts the rent is charged to after the contract's own `charge_to`: each from a
    /// day on, oldest first, as [`Event::ContractChargeChanged`] re-pointed it. Empty (and
    /// absent in JSON) for a contract never re-pointed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charges: Vec<(Date, AccountCode)>,
    /// How the contract was ended early ([`Event::ContractEnded`]): the end it was signed
    /// with and the memo. `None` (and absent in JSON) for a contract that runs to its end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<ContractEnding>,
}

/// A contract ended before the end it was signed with ([`Event::ContractEnded`]), as
/// [`ContractRecord::ended`] keeps it; the contract's new last day is its `end`.
///
/// # Example
///
/// ```
/// # use landpool::*;
/// # use landpool::ledger::AccountCode;
/// # use rust_decimal_macros::dec;
/// # use time::macros::date;
/// # let mut book = Book::new();
/// # book.apply("join".parse()?, Event::MemberJoined { member: Member {
/// #     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
/// #     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
/// # }})?;
/// # book.apply("parcel".parse()?, Event::ParcelRegistered { parcel: Parcel {
/// #     id: "P001".parse()?, owner: "M001".parse()?, area: "1.35".parse()?,
/// #     village: "高格庄".into(), land_class: "水浇地".into(),
/// #     registered: date!(2019 - 01 - 01), retired: None,
/// # }})?;
/// # book.apply("sign".parse()?, Event::ContractSigned { contract: Box::new(Contract {
/// #     id: "C001".parse()?, member: "M001".parse()?,
/// #     lines: vec![ContractLine { parcel: "P001".parse()?, area: "1.35".parse()? }],
/// #     start: date!(2019 - 01 - 01), end: date!(2028 - 12 - 31),
/// #     kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } },
/// #     pro_rating: ProRating::ActualDays,
/// #     payment: PaymentTerms::InAdvance { month: 3, day: 1 },
/// #     charge_to: AccountCode::new("401")?,
/// # })})?;
/// book.apply("end".parse()?, Event::ContractEnded {
///     contract: "C001".parse()?, date: date!(2020 - 06 - 30), memo: "协议解除".into(),
/// })?;
/// let record = book.contract(&"C001".parse()?).ok_or("no contract")?;
/// assert_eq!(record.contract.end, date!(2020 - 06 - 30));
/// assert_eq!(
///     record.ended,
///     Some(ContractEnding { signed_end: date!(2028 - 12 - 31), memo: "协议解除".into() })
/// );
/// // The pool holds its 1.35 mu through the new last day, and none from the next.
/// assert_eq!(book.pooled_area(date!(2020 - 06 - 30))?.to_string(), "1.35");
/// assert!(book.pooled_area(date!(2020 - 07 - 01))?.is_zero());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractEnding {
    /// The end the contract was signed with.
    pub signed_end: Date,
    /// Why it ended, as the event gave it (empty for none).
    pub memo: String,
}

impl ContractRecord {
    /// The contract's area on `date` (zero outside its term).
    ///
    /// # Example
    ///
    /// The book of the [`Book`] example, before its rent is accrued (set-up hidden):
    ///
    /// ```
    /// # use landpool::*;
    /// # use landpool::ledger::AccountCode;
    /// # use rust_decimal_macros::dec;
    /// # use time::macros::date;
    /// # let mut book = Book::new();
    /// # book.apply("join".parse()?, Event::MemberJoined { member: Member {
    /// #     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
    /// #     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
    /// # }})?;
    /// # book.apply("parcel".parse()?, Event::ParcelRegistered { parcel: Parcel {
    /// #     id: "P001".parse()?, owner: "M001".parse()?, area: "1.35".parse()?,
    /// #     village: "高格庄".into(), land_class: "水浇地".into(),
    /// #     registered: date!(2019 - 01 - 01), retired: None,
    /// # }})?;
    /// # book.apply("sign".parse()?, Event::ContractSigned { contract: Box::new(Contract {
    /// #     id: "C001".parse()?, member: "M001".parse()?,
    /// #     lines: vec![ContractLine { parcel: "P001".parse()?, area: "1.35".parse()? }],
    /// #     start: date!(2019 - 01 - 01), end: date!(2028 - 12 - 31),
    /// #     kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } },
    /// #     pro_rating: ProRating::ActualDays,
    /// #     payment: PaymentTerms::InAdvance { month: 3, day: 1 },
    /// #     charge_to: AccountCode::new("401")?,
    /// # })})?;
    /// let record = book.contract(&"C001".parse()?).ok_or("no contract")?;
    /// assert_eq!(record.area_on(date!(2019 - 06 - 30)).to_string(), "1.35");
    /// // Zero after the term.
    /// assert!(record.area_on(date!(2029 - 01 - 01)).is_zero());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn area_on(&self, date: Date) -> Mu {
        if !self.contract.covers(date) {
            return Mu::ZERO;
        }
        self.areas
            .iter()
            .take_while(|change| change.from <= date)
            .last()
            .map_or(Mu::ZERO, |change| change.area)
    }

    /// The last day whose rent is booked, if any.
    ///
    /// # Example
    ///
    /// The book of the [`Book`] example, before its rent is accrued (set-up hidden):
    ///
    /// ```
    /// # use landpool::*;
    /// # use landpool::ledger::AccountCode;
    /// # use rust_decimal_macros::dec;
    /// # use time::macros::date;
    /// # let mut book = Book::new();
    /// # book.apply("join".parse()?, Event::MemberJoined { member: Member {
    /// #     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
    /// #     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
    /// # }})?;
    /// # book.apply("parcel".parse()?, Event::ParcelRegistered { parcel: Parcel {
    /// #     id: "P001".parse()?, owner: "M001".parse()?, area: "1.35".parse()?,
    /// #     village: "高格庄".into(), land_class: "水浇地".into(),
    /// #     registered: date!(2019 - 01 - 01), retired: None,
    /// # }})?;
    /// # book.apply("sign".parse()?, Event::ContractSigned { contract: Box::new(Contract {
    /// #     id: "C001".parse()?, member: "M001".parse()?,
    /// #     lines: vec![ContractLine { parcel: "P001".parse()?, area: "1.35".parse()? }],
    /// #     start: date!(2019 - 01 - 01), end: date!(2028 - 12 - 31),
    /// #     kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } },
    /// #     pro_rating: ProRating::ActualDays,
    /// #     payment: PaymentTerms::InAdvance { month: 3, day: 1 },
    /// #     charge_to: AccountCode::new("401")?,
    /// # })})?;
    /// let contract: ContractId = "C001".parse()?;
    /// assert_eq!(book.contract(&contract).ok_or("no contract")?.accrued_through(), None);
    /// book.apply("rent".parse()?, Event::RentAccrued {
    ///     from: date!(2019 - 01 - 01), to: date!(2019 - 06 - 30), contracts: Accrue::All,
    ///     date: date!(2019 - 06 - 30),
    /// })?;
    /// let record = book.contract(&contract).ok_or("no contract")?;
    /// assert_eq!(record.accrued_through(), Some(date!(2019 - 06 - 30)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn accrued_through(&self) -> Option<Date> {
        self.accrued.last().map(|range| range.1)
    }

    /// The account the contract's rent is charged to on `date`: its own `charge_to`, or the
    /// one it was re-pointed to ([`Event::ContractChargeChanged`]) from `date` or before.
    ///
    /// # Example
    ///
    /// The book of the [`Book`] example, its contract charged to 401 (set-up hidden), then
    /// re-pointed to 521.RENT from 2020:
    ///
    /// ```
    /// # use landpool::*;
    /// # use landpool::ledger::AccountCode;
    /// # use rust_decimal_macros::dec;
    /// # use time::macros::date;
    /// # let mut book = Book::new();
    /// # book.apply("join".parse()?, Event::MemberJoined { member: Member {
    /// #     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
    /// #     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
    /// # }})?;
    /// # book.apply("parcel".parse()?, Event::ParcelRegistered { parcel: Parcel {
    /// #     id: "P001".parse()?, owner: "M001".parse()?, area: "1.35".parse()?,
    /// #     village: "高格庄".into(), land_class: "水浇地".into(),
    /// #     registered: date!(2019 - 01 - 01), retired: None,
    /// # }})?;
    /// # book.apply("sign".parse()?, Event::ContractSigned { contract: Box::new(Contract {
    /// #     id: "C001".parse()?, member: "M001".parse()?,
    /// #     lines: vec![ContractLine { parcel: "P001".parse()?, area: "1.35".parse()? }],
    /// #     start: date!(2019 - 01 - 01), end: date!(2028 - 12 - 31),
    /// #     kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } },
    /// #     pro_rating: ProRating::ActualDays,
    /// #     payment: PaymentTerms::InAdvance { month: 3, day: 1 },
    /// #     charge_to: AccountCode::new("401")?,
    /// # })})?;
    /// book.apply("rent-account".parse()?, Event::AccountOpened {
    ///     code: AccountCode::new("521.RENT")?, name_zh: "土地租金".into(), name_en: "land rent".into(),
    /// })?;
    /// book.apply("re-point".parse()?, Event::ContractChargeChanged {
    ///     contract: "C001".parse()?, from: date!(2020 - 01 - 01),
    ///     charge_to: AccountCode::new("521.RENT")?,
    /// })?;
    /// let record = book.contract(&"C001".parse()?).ok_or("no contract")?;
    /// assert_eq!(record.charge_on(date!(2019 - 12 - 31)).as_str(), "401");
    /// assert_eq!(record.charge_on(date!(2020 - 01 - 01)).as_str(), "521.RENT");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn charge_on(&self, date: Date) -> &AccountCode {
        self.charges
            .iter()
            .take_while(|(from, _)| *from <= date)
            .last()
            .map_or(&self.contract.charge_to, |(_, account)| account)
    }

    /// `[from, to]` cut where the account charged changes: each part's first and last day
    /// with the account charging it, in date order.
    pub(crate) fn charge_spans(&self, from: Date, to: Date) -> Vec<(Date, Date, &AccountCode)> {
        let mut spans = Vec::with_capacity(self.charges.len().saturating_add(1));
        let mut start = from;
        let mut account = self.charge_on(from);
        for (change, next) in self.charges.iter().filter(|(d, _)| from < *d && *d <= to) {
            if let Some(last) = change.previous_day() {
                spans.push((start, last, account));
            }
            start = *change;
            account = next;
        }
        if start <= to {
            spans.push((start, to, account));
        }
        spans
    }
}

/// What applying an event did.
///
/// # Example
///
/// ```
/// use landpool::*;
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let mut book = Book::new();
/// let join = Event::MemberJoined { member: Member {
///     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
///     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
/// }};
/// book.apply("join".parse()?, join)?;
/// let capital = Event::CapitalContributed {
///     member: "M001".parse()?, date: date!(2019 - 01 - 02), amount: "10000".parse()?,
///     into: CashAccount::Bank, source: CapitalSource::Other, premium: Yuan::ZERO,
/// };
/// // New: the second event in the log, with the one entry it posted (Dr 102 / Cr 301.M001).
/// let Applied::Recorded { seq, digest, entries } = book.apply("capital".parse()?, capital.clone())? else {
///     return Err("not recorded".into());
/// };
/// assert_eq!((seq, entries.len()), (1, 1));
/// assert_eq!(digest, book.digest());
/// // The same id and content again: nothing changes.
/// assert_eq!(book.apply("capital".parse()?, capital)?, Applied::AlreadyApplied { seq: 1 });
/// assert_eq!(book.journal().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// The event was new: it is in the log at `seq`, and these entries were posted.
    Recorded {
        /// Its position in the log.
        seq: u64,
        /// The log's digest after it.
        digest: Digest,
        /// The journal entries it posted, in order.
        entries: Vec<EntryId>,
    },
    /// An event with this id and the same content was applied before, at `seq`; nothing
    /// changed. The same content is the same canonical JSON (the same digest in the log):
    /// a decimal must have the places it was first written with (`1.150` is not `1.15`).
    AlreadyApplied {
        /// Where it is in the log.
        seq: u64,
    },
}

/// A member's account (成员账户, law art. 43) as far as the book knows it on a date.
///
/// Amounts are as the member sees them: `capital` is what they contributed (301's credit
/// balance), the payables are what the cooperative owes them, and `current` is 114's balance
/// with the cooperative's debt to the member positive (a negative `current` is a prepayment
/// the member has received ahead of accrual).
///
/// # Example
///
/// A household of the reference cooperative at the end of 2019, from
/// [`Book::member_account`]:
///
/// ```
/// use landpool::folder::BookFolder;
/// use time::macros::date;
///
/// let book = BookFolder::reference()?.run()?;
/// let account = book.member_account(&"H01".parse()?, date!(2019 - 12 - 31))?;
/// assert_eq!(account.capital.to_string(), "10000.00");
/// // The year's rent was paid, and the close left the member's share of the surplus owed.
/// assert!(account.current.is_zero());
/// assert_eq!(account.patronage_payable.to_string(), "51974.40");
/// assert_eq!(account.remaining_payable.to_string(), "17746.24");
/// assert_eq!(account.pooled_area.to_string(), "8.35");
/// assert!(account.land_shares.is_zero());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAccount {
    /// The member.
    pub member: MemberId,
    /// The date the figures are for.
    pub date: Date,
    /// Capital contributed (股金), money and land shares.
    pub capital: Yuan,
    /// Of `capital`, the part from household poverty-relief assets (扶贫资产折股量化); the
    /// rest is from other sources. It is the poverty-relief contributions up to the date less
    /// what [`Event::CapitalReturned`] returned from them, but never more than `capital`: a
    /// debit to 301 by manual entry does not say which part it takes back, and the book
    /// takes it from other sources first.
    #[serde(default)]
    pub poverty_relief_capital: Yuan,
    /// Owed to the member on the current account (成员往来): rent accrued and not paid
    /// (negative: paid ahead of accrual).
    pub current: Yuan,
    /// Pay owed for seasonal and temporary work (213 应付劳务费).
    pub labour_payable: Yuan,
    /// Pay owed for work as staff (212 应付工资). Absent in JSON written before it existed:
    /// read as 0.
    #[serde(default)]
    pub wages_payable: Yuan,
    /// Patronage returns owed (应付盈余返还).
    pub patronage_payable: Yuan,
    /// Remaining surplus owed (应付剩余盈余).
    pub remaining_payable: Yuan,
    /// Land the member has in the pool on the date.
    pub pooled_area: Mu,
    /// Land shares held on the date.
    #[serde(with = "crate::exact_decimal")]
    pub land_shares: Decimal,
}

/// The books of one cooperative: its registers (members, parcels, contracts, grain prices),
/// its double-entry [journal](crate::ledger::Journal), and the hash-chained log of the events
/// that made them.
///
/// A book changes only through [`Book::apply`]: an [`Event`] is validated in full, then its
/// entries are posted and the registers updated, all or nothing. Applying the same event id
/// twice is a no-op that says so; a book replayed from its log ([`Book::replay`]) is the same
/// book.
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
/// book.apply("join".parse()?, Event::MemberJoined { member: Member {
///     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
///     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
/// }})?;
/// book.apply("parcel".parse()?, Event::ParcelRegistered { parcel: Parcel {
///     id: "P001".parse()?, owner: "M001".parse()?, area: "1.35".parse()?, village: "高格庄".into(),
///     land_class: "水浇地".into(), registered: date!(2019 - 01 - 01), retired: None,
/// }})?;
/// book.apply("sign".parse()?, Event::ContractSigned { contract: Box::new(Contract {
///     id: "C001".parse()?, member: "M001".parse()?,
///     lines: vec![ContractLine { parcel: "P001".parse()?, area: "1.35".parse()? }],
///     start: date!(2019 - 01 - 01), end: date!(2028 - 12 - 31),
///     kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } },
///     pro_rating: ProRating::ActualDays, payment: PaymentTerms::InAdvance { month: 3, day: 1 },
///     charge_to: AccountCode::new("401")?,
/// })})?;
/// book.apply("rent-2019".parse()?, Event::RentAccrued {
///     from: date!(2019 - 01 - 01), to: date!(2019 - 12 - 31), contracts: Accrue::All, date: date!(2019 - 12 - 31),
/// })?;
/// let account = book.member_account(&"M001".parse()?, date!(2019 - 12 - 31))?;
/// assert_eq!(account.current.to_string(), "1350.00");
/// // Asking again books nothing twice.
/// let again = book.apply("rent-2019-again".parse()?, Event::RentAccrued {
///     from: date!(2019 - 01 - 01), to: date!(2019 - 12 - 31), contracts: Accrue::All, date: date!(2019 - 12 - 31),
/// })?;
/// assert!(matches!(again, Applied::Recorded { ref entries, .. } if entries.is_empty()));
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Book {
    journal: Journal,
    members: Register<MemberId, Member, true>,
    parcels: Register<ParcelId, Parcel>,
    contracts: Register<ContractId, ContractRecord>,
    /// Contracts covering each parcel, in signing order (derived from `contracts`).
    contracts_by_parcel: Register<ParcelId, Few<ContractId>>,
    /// Changes of the pooled area by date, in ten-thousandths of a mu (derived from
    /// `contracts`).
    pooled_changes: BTreeMap<Date, i128>,
    /// The contracts each contract exchanged unequal areas with (derived from the swaps
    /// applied): the area such a swap moved between them stays on the parcels of the one
    /// that gave it, which a new contract or swap on them must leave room for.
    swap_partners: BTreeMap<ContractId, Vec<ContractId>>,
    /// Contracts of each member, in signing order (derived from `contracts`).
    contracts_by_member: Register<MemberId, Few<ContractId>>,
    prices: BTreeMap<(String, GrainUnit), BTreeMap<Date, Decimal>>,
    /// Closed years' distributions.
    distributions: BTreeMap<i32, Distribution>,
    /// Each closed year's P&L leaves as its closing entries found them: the net debit
    /// movement each entry reversed, by account code (derived from the journal), so that
    /// reports of a closed year's costs read them as they stood before the close.
    closed_movements: BTreeMap<i32, Vec<(AccountCode, Yuan)>>,
    /// Capital contributed from household poverty-relief assets, by member: date and amount
    /// of each contribution, in the order applied. Every other credit to 301 is capital from
    /// other sources.
    poverty_relief: BTreeMap<MemberId, Vec<(Date, Yuan)>>,
    /// Reserve shares returned to members who left: the day and the amount.
    reserve_refunds: BTreeMap<MemberId, (Date, Yuan)>,
    /// Reserve shares converted to members' capital ([`Event::ReserveConverted`]): the day
    /// and the amount of each conversion, in the order applied.
    reserve_conversions: BTreeMap<MemberId, Vec<(Date, Yuan)>>,
    /// Capital paid back to members ([`Event::CapitalReturned`]), in the order applied.
    capital_returns: BTreeMap<MemberId, Vec<CapitalReturn>>,
    /// Greenhouses, labour, loans and grants.
    operations: operations::Operations,
    /// Each member who has left, with their last day of membership (derived from
    /// `members`): entries after it may not post to their accounts.
    left_members: BTreeMap<String, Date>,
    /// The events, or only their ids and digests once the book left them in its log.
    log: history::History,
    /// Event id → position in `log` (derived from `log`): 8 bytes an event, the ids
    /// themselves read from the log.
    index: IdIndex<EventId>,
}

impl PartialEq for Book {
    /// Two books are equal when their journals, registers and event logs are (the index of
    /// event ids follows from the log). When either book left its events in its log
    /// ([`Book::leave_events`]), the logs compare by each event's id and chain digest,
    /// which covers the event and every one before it.
    fn eq(&self, other: &Book) -> bool {
        self.log == other.log
            && self.journal == other.journal
            && self.members == other.members
            && self.parcels == other.parcels
            && self.contracts == other.contracts
            && self.contracts_by_parcel == other.contracts_by_parcel
            && self.pooled_changes == other.pooled_changes
            && self.swap_partners == other.swap_partners
            && self.contracts_by_member == other.contracts_by_member
            && self.prices == other.prices
            && self.distributions == other.distributions
            && self.closed_movements == other.closed_movements
            && self.poverty_relief == other.poverty_relief
            && self.reserve_refunds == other.reserve_refunds
            && self.reserve_conversions == other.reserve_conversions
            && self.capital_returns == other.capital_returns
            && self.operations == other.operations
    }
}

/// What an event will do, worked out before anything changes.
pub(crate) struct Plan {
    /// Sub-accounts to open: code, Chinese name, English name (each pair made with
    /// [`Name::pair_of`], in the one allocation the chart keeps).
    pub(crate) accounts: Vec<(AccountCode, Name, Name)>,
    /// Entries to post, all checked before any is posted.
    pub(crate) entries: Vec<Entry>,
    /// The change to the registers, applied once the ledger has taken the entries.
    pub(crate) update: Update,
}

/// A change to the registers; applying one cannot fail.
pub(crate) enum Update {
    None,
    /// A year closed with its distribution and the P&L leaves' net debit movements its
    /// closing entries reversed, by account code; the journal locks the year.
    Closed(Box<Distribution>, Vec<(AccountCode, Yuan)>),
    /// A closed year's distribution was paid out.
    Settled(i32),
    /// A member's reserve share was returned on a date.
    ReserveRefunded(MemberId, Date, Yuan),
    /// Part of a member's reserve share was converted to capital on a date.
    ReserveConverted(MemberId, Date, Yuan),
    /// Capital was paid back to a member.
    CapitalReturned(MemberId, CapitalReturn),
    AddMember(Member),
    /// Capital from poverty-relief assets contributed by a member on a date.
    PovertyRelief(MemberId, Date, Yuan),
    MemberLeft(MemberId, Date),
    AddParcels(Vec<Parcel>),
    Retire(Vec<ParcelId>, Date, Vec<Parcel>),
    AddContract(Box<ContractRecord>),
    Price((String, GrainUnit), Date, Decimal),
    /// Days accrued by contract, and the rent credited to the member and the amortisation
    /// credited to 162 by contract, with the entries' date.
    Accrued(
        Vec<(ContractId, (Date, Date))>,
        Vec<(ContractId, (Yuan, Yuan))>,
        Date,
    ),
    Areas(Vec<(ContractId, AreaChange)>),
    /// A contract's rent charged to an account from a day on; later changes are replaced.
    ChargeChanged(ContractId, Date, AccountCode),
    /// A contract ended early: its new last day and the memo.
    Ended(ContractId, Date, String),
    /// A change to the operations registers.
    Operations(operations::OperationsUpdate),
}

impl Book {
    /// An empty book on the 2021 standard chart of accounts.
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::Book::new();
    /// assert!(book.events().is_empty());
    /// ```
    pub fn new() -> Book {
        Book::default()
    }

    /// Applies an event: validates it in full, then posts its entries, updates the registers
    /// and appends it to the log, all or nothing.
    ///
    /// Applying an id that was applied before with the same event returns
    /// [`Applied::AlreadyApplied`] and changes nothing, so a service can retry safely. The
    /// same event is the one whose canonical JSON chains to the digest the log recorded for
    /// the id: the same fields, each decimal with the places it was first written with
    /// (sent again as `1.150`, a price first written `1.15` is another event).
    ///
    /// # Errors
    ///
    /// [`PoolError::EventConflict`] when the id was applied before with another event;
    /// [`PoolError::DateOutOfRange`] when the event's own date ([`Event::date`]) is outside
    /// the years the books keep (1900 to 9999);
    /// [`PoolError::InClosedYear`] when the event's own date ([`Event::date`]) falls in a
    /// closed year, whether or not it would post an entry (a grain price excepted);
    /// [`PoolError::PostedAfterLeaving`] when an entry would post to the sub-account of a
    /// member after their last day, and [`PoolError::PostedAfterLeavingRecorded`] when one
    /// would post to the sub-account of a member whose leaving is recorded, on or before
    /// their last day (but for the close, the payout of a distribution and capital paid
    /// back with [`Event::CapitalReturned`]);
    /// [`PoolError::WorkRecordRefused`] for a timesheet with a record it refuses, naming the
    /// record by its position in the timesheet (counting from 1) and the record's fault; the
    /// [`PoolError`] or
    /// [`LedgerError`](crate::ledger::LedgerError) saying what the event got wrong otherwise
    /// (an unknown member, an area beyond a parcel's, interest paid or subsidised beyond what
    /// is accrued as of its date ([`PoolError::InterestOverpaid`],
    /// [`PoolError::SubsidyExceedsInterest`]), a buyer's payment beyond what they owe as of
    /// its date ([`PoolError::CollectionExceedsReceivable`]), capital paid back beyond what
    /// the member holds of it on its date or a later day
    /// ([`PoolError::CapitalReturnExceeds`]), reserve converted to capital beyond the
    /// member's share or what 322 holds ([`PoolError::ReserveConversionExceeds`]), …);
    /// [`Error::Overflow`] when an amount, area or weight the event makes does not fit (as in
    /// a close whose volume weights are near `Decimal::MAX`). The book is unchanged after any
    /// error.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// let price = Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// };
    /// assert!(matches!(book.apply("p1".parse()?, price.clone())?, Applied::Recorded { seq: 0, .. }));
    /// assert_eq!(book.apply("p1".parse()?, price)?, Applied::AlreadyApplied { seq: 0 });
    /// let unknown = Event::RentPaid {
    ///     member: "M404".parse()?, date: date!(2019 - 03 - 01), amount: "1".parse()?, from: CashAccount::Bank,
    /// };
    /// assert!(matches!(book.apply("p2".parse()?, unknown), Err(Error::Pool(PoolError::UnknownMember { .. }))));
    /// let slip = Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(0219 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// };
    /// assert_eq!(
    ///     book.apply("p3".parse()?, slip).map_err(|e| e.to_string()),
    ///     Err("event p3 is dated 0219-01-01; the books keep the years 1900 to 9999".into())
    /// );
    /// assert_eq!(book.events().len(), 1);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn apply(&mut self, id: EventId, event: Event) -> Result<Applied> {
        self.apply_chained(id, event, None)
    }

    /// [`Book::apply`], given the event's chain digest when the caller has already computed
    /// it (`LoggedEvent::chain` over this book's digest, the next sequence number, the id
    /// and the event), as the log reader does on another thread.
    pub(crate) fn apply_chained(
        &mut self,
        id: EventId,
        event: Event,
        chained: Option<Digest>,
    ) -> Result<Applied> {
        let prepare = |book: &Self, seq, id: &EventId, event: &Event| match chained {
            Some(digest) => Ok((book.plan(id, event)?, digest)),
            None => book.plan_and_chain(seq, id, event),
        };
        self.apply_prepared(id, event, prepare, true)
            .map(|(applied, _)| applied)
    }

    /// [`Book::apply_chained`] with the plan and digest made by `prepare` (given the book,
    /// the event's sequence number, its id and the event), called once the id is known to be
    /// new. A book that leaves its events gives the event it recorded back. The entries
    /// posted are listed in [`Applied::Recorded`] only if `list_entries` (a replay does
    /// not read them).
    fn apply_prepared(
        &mut self,
        id: EventId,
        event: Event,
        prepare: impl FnOnce(&Self, u64, &EventId, &Event) -> Result<(Plan, Digest)>,
        list_entries: bool,
    ) -> Result<(Applied, Option<Event>)> {
        let (found, hash) = self.position(&id);
        if let Some(at) = found {
            let log = &self.log;
            let seq = u64::try_from(at).unwrap_or(u64::MAX);
            // The same event is the one that chains to the digest recorded for its id: the
            // same canonical JSON, each decimal with the places it was written with (`1.150`
            // is not the `1.15` the log holds). A book that kept the event refuses one that
            // is not even equal in value without hashing it.
            let same = match log {
                history::History::Kept(events)
                    if !events.get(at).is_some_and(|logged| logged.event == event) =>
                {
                    false
                }
                _ => {
                    let digest = LoggedEvent::chain(&log.digest_before(at), seq, &id, &event)?;
                    log.digest_at(at) == Some(digest)
                }
            };
            return if same {
                Ok((Applied::AlreadyApplied { seq }, None))
            } else {
                Err(PoolError::EventConflict { event: id }.into())
            };
        }
        let seq = u64::try_from(self.log.len()).unwrap_or(u64::MAX);
        let (plan, digest) = prepare(self, seq, &id, &event)?;
        // The journal opens the accounts and posts the entries all or nothing; after it, only
        // infallible register updates remain.
        let entries: Vec<EntryId> = if list_entries {
            plan.entries.iter().map(|entry| entry.id.clone()).collect()
        } else {
            Vec::new()
        };
        self.journal
            .open_named_and_post(plan.accounts, plan.entries)?;
        self.update(plan.update);
        self.index.insert(&id, hash, self.log.len());
        let mut event = event;
        if let (Event::WorkRecorded { records, .. }, history::History::Kept(_)) =
            (&mut event, &self.log)
        {
            // A timesheet read from a log or JSON grew its list by doubling; a book that
            // keeps it holds it for good, so the spare room (up to half the list) is given
            // back.
            records.shrink_to_fit();
        }
        let left = self.log.push(LoggedEvent {
            seq,
            id,
            event,
            digest,
        });
        Ok((
            Applied::Recorded {
                seq,
                digest,
                entries,
            },
            left,
        ))
    }

    /// Plans `event` and computes its chain digest. A plan's error comes first, as when the
    /// two run one after the other; see [`Book::plan_and_digest`].
    fn plan_and_chain(&self, seq: u64, id: &EventId, event: &Event) -> Result<(Plan, Digest)> {
        let (plan, digest) = self.plan_and_digest(seq, id, event);
        Ok((plan?, digest?))
    }

    /// Plans `event` and computes its chain digest, returning both results. A large event (a
    /// timesheet of thousands of records) has its canonical encoding and digest computed on a
    /// second thread while this one plans it (each is about half the work); a thread that
    /// cannot start or be joined (it cannot panic) leaves the digest to this one.
    fn plan_and_digest(
        &self,
        seq: u64,
        id: &EventId,
        event: &Event,
    ) -> (Result<Plan>, Result<Digest>) {
        /// Records from which a timesheet's digest is computed on a second thread.
        const PARALLEL_DIGEST_MIN: usize = 4096;
        let previous = self.digest();
        let large = match event {
            Event::WorkRecorded { records, .. } => records.len() >= PARALLEL_DIGEST_MIN,
            _ => false,
        };
        if !(large && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)) {
            return (
                self.plan(id, event),
                LoggedEvent::chain(&previous, seq, id, event),
            );
        }
        let (plan, digest) = std::thread::scope(|scope| {
            let hasher = std::thread::Builder::new()
                .name("landpool-event-digest".into())
                .spawn_scoped(scope, || LoggedEvent::chain(&previous, seq, id, event))
                .ok();
            let plan = self.plan(id, event);
            (plan, hasher.and_then(|thread| thread.join().ok()))
        });
        let digest = digest.unwrap_or_else(|| LoggedEvent::chain(&previous, seq, id, event));
        (plan, digest)
    }

    /// Builds a book by applying logged events in order, checking that each one's sequence
    /// number and digest match what the log says.
    ///
    /// # Errors
    ///
    /// [`PoolError::LogBroken`] naming the first event whose sequence number or digest does
    /// not match, by its sequence number and id, with the number or digest it records and
    /// the one expected (each event's digest is checked before it is applied, so an edited event is
    /// reported as a broken chain, whatever the book would make of the edit); any error of
    /// [`Book::apply`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// book.apply("p1".parse()?, Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// })?;
    /// let copy = Book::replay(book.events().iter().cloned())?;
    /// assert_eq!(copy.digest(), book.digest());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn replay(events: impl IntoIterator<Item = LoggedEvent>) -> Result<Book> {
        Book::replay_onto(Book::new(), events)
    }

    /// [`Book::replay`] onto `book` (an empty book that may have left its events).
    pub(crate) fn replay_onto(
        mut book: Book,
        events: impl IntoIterator<Item = LoggedEvent>,
    ) -> Result<Book> {
        book.keep_work_lists(true);
        for logged in events {
            book.replay_one(logged, None)?;
        }
        book.keep_work_lists(false);
        Ok(book)
    }

    /// One step of [`Book::replay`]: checks the sequence number, applies the event (with its
    /// chain digest if the caller computed it, see [`Book::apply_chained`]) and checks the
    /// digest. A book that leaves its events gives the event back once applied, for the
    /// caller to drop where it likes: the thread that read it, which has time to spare and
    /// frees its memory into its own arena (freed here, each free waited for the reader's
    /// allocations), and which empties a timesheet's list of records to fill it again.
    pub(crate) fn replay_one(
        &mut self,
        logged: LoggedEvent,
        chained: Option<Digest>,
    ) -> Result<Option<Event>> {
        let book = self;
        {
            let expected = u64::try_from(book.log.len()).unwrap_or(u64::MAX);
            if logged.seq != expected {
                return Err(PoolError::LogBroken {
                    seq: logged.seq,
                    reason: format!(
                        "event {} has sequence number {} where {expected} was expected",
                        logged.id, logged.seq
                    ),
                }
                .into());
            }
            // The chain first: an edited event is reported as the broken chain it is, not as
            // whatever the book would make of the edit (an unknown member, an id reused).
            // Without the caller's digest, the event is planned while its digest is computed
            // (on two threads for a large timesheet); the plan is used once the digest matches.
            let (planned, digest) = match chained {
                Some(digest) => (None, digest),
                None => {
                    let (plan, digest) =
                        book.plan_and_digest(logged.seq, &logged.id, &logged.event);
                    (Some(plan), digest?)
                }
            };
            if digest != logged.digest {
                return Err(PoolError::LogBroken {
                    seq: logged.seq,
                    reason: format!(
                        "event {} records digest {} but its content, chained to the event before, gives {digest}",
                        logged.id, logged.digest
                    ),
                }
                .into());
            }
            let prepare = |book: &Self, _: u64, id: &EventId, event: &Event| {
                let plan = match planned {
                    Some(plan) => plan?,
                    None => book.plan(id, event)?,
                };
                Ok((plan, digest))
            };
            match book.apply_prepared(logged.id.clone(), logged.event, prepare, false)? {
                (Applied::Recorded { .. }, given_back) => Ok(given_back),
                (Applied::AlreadyApplied { seq }, _) => Err(PoolError::LogBroken {
                    seq: logged.seq,
                    reason: format!("event id {} repeats event {seq}", logged.id),
                }
                .into()),
            }
        }
    }

    /// The event log, oldest first; empty for a book that left its events in its log
    /// ([`Book::leave_events`]), whose events are counted by [`Book::event_count`].
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
    /// let ids: Vec<String> = book.events().iter().map(|logged| logged.id.to_string()).collect();
    /// assert_eq!(ids, ["p1", "p2"]);
    /// assert_eq!(book.events()[1].seq, 1);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn events(&self) -> &[LoggedEvent] {
        self.log.kept()
    }

    /// The digest of the last event (32 zero bytes for an empty book).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Book::new().digest(), landpool::ledger::Digest::ZERO);
    /// ```
    pub fn digest(&self) -> Digest {
        self.log.last_digest()
    }

    /// How many events the book has taken: the length of [`Book::events`], or of the log
    /// it was read from for a book that left its events there ([`Book::leave_events`]).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Book, Event, GrainUnit};
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// book.apply("p1".parse()?, Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// })?;
    /// assert_eq!(book.event_count(), 1);
    /// book.leave_events();
    /// assert_eq!((book.event_count(), book.events().len()), (1, 0));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn event_count(&self) -> u64 {
        u64::try_from(self.log.len()).unwrap_or(u64::MAX)
    }

    /// Whether the book has taken an event with this id.
    pub(crate) fn holds_event(&self, id: &EventId) -> bool {
        self.position(id).0.is_some()
    }

    /// Where the event with this id is in the log, if the book has taken one, and the id's
    /// hash in the index (`None` for an id the index keeps in a run), for inserting it.
    fn position(&self, id: &EventId) -> (Option<usize>, Option<u64>) {
        // Ids the runs keep (numbered, in order) are never hashed.
        let hash = self.index.needs_hash(id).then(|| self.index.hash(id));
        let log = &self.log;
        (self.index.find(id, hash, |at| log.is_at(at, id)), hash)
    }

    /// Whether the book holds its events whole ([`Book::events`]); `false` once it left
    /// them in its log ([`Book::leave_events`]).
    ///
    /// # Example
    ///
    /// ```
    /// let mut book = landpool::Book::new();
    /// assert!(book.keeps_events());
    /// book.leave_events();
    /// assert!(!book.keeps_events());
    /// ```
    pub fn keeps_events(&self) -> bool {
        self.log.keeps_events()
    }

    /// Drops the events the book holds, keeping each one's id and chain digest: for a book
    /// whose events are in its log file, as the books of
    /// [`EventLog::open_leaving_events`](crate::EventLog::open_leaving_events) and
    /// [`EventLog::read_leaving_events`](crate::EventLog::read_leaving_events) are. The
    /// events are most of a large book's memory (a timesheet's work records above all), and
    /// nothing but the events themselves reads them.
    ///
    /// Everything else is as before, and stays so as the book takes more events: the
    /// registers, the journal, every report and statement, [`Book::digest`],
    /// [`Book::event_count`], and [`Book::apply`], which still refuses an id used for
    /// another event and takes an event sent again under its id as a retry (it is the
    /// same event when it chains to the digest recorded for that id, as for any book). Events applied later
    /// are not kept either: [`Book::events`] stays empty. A book that left its events
    /// equals one that kept the same events (`==`).
    ///
    /// What needs the events themselves says so: [`EventLog::create_from`](crate::EventLog::create_from)
    /// and the folder's `events.jsonl` ([`crate::folder::outputs`]) refuse such a book with
    /// [`LogError::EventsLeft`](crate::LogError::EventsLeft), and [`crate::audit::check`]
    /// reports that it has no events to audit; read the log again with
    /// [`EventLog::read`](crate::EventLog::read) for those.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Applied, Book, Error, Event, GrainUnit, PoolError};
    /// use time::macros::date;
    ///
    /// let price = |day| Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: day,
    ///     price: rust_decimal_macros::dec!(1.15),
    /// };
    /// let mut book = Book::new();
    /// book.apply("p1".parse()?, price(date!(2019 - 01 - 01)))?;
    /// let kept = book.clone();
    /// book.leave_events();
    /// assert!(book.events().is_empty());
    /// assert_eq!((book.digest(), &book), (kept.digest(), &kept));
    /// // A retry is still known, and an id reused for another event still refused.
    /// assert_eq!(book.apply("p1".parse()?, price(date!(2019 - 01 - 01)))?, Applied::AlreadyApplied { seq: 0 });
    /// assert!(matches!(
    ///     book.apply("p1".parse()?, price(date!(2019 - 01 - 02))),
    ///     Err(Error::Pool(PoolError::EventConflict { .. }))
    /// ));
    /// assert!(matches!(book.apply("p2".parse()?, price(date!(2019 - 01 - 02)))?, Applied::Recorded { seq: 1, .. }));
    /// assert_eq!((book.event_count(), book.events().len()), (2, 0));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn leave_events(&mut self) {
        self.log.leave_events();
    }

    /// The journal: every entry the events posted, with balances and the trial balance.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::Book::new().journal().is_empty());
    /// ```
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The journal, to damage in the audit's tests (a book never exposes it mutably).
    #[cfg(test)]
    pub(crate) fn journal_mut_for_tests(&mut self) -> &mut Journal {
        &mut self.journal
    }

    /// A member by id.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// book.apply("join".parse()?, Event::MemberJoined { member: Member {
    ///     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
    ///     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
    /// }})?;
    /// let member = book.member(&"M001".parse()?).ok_or("no member")?;
    /// assert_eq!(member.name, "王建国");
    /// assert!(book.member(&"M002".parse()?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn member(&self, id: &MemberId) -> Option<&Member> {
        self.members.get(id)
    }

    /// All members ever registered, in id order.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Book::new().members().count(), 0);
    /// ```
    pub fn members(&self) -> impl Iterator<Item = &Member> + '_ {
        self.members.values()
    }

    /// The members on `date`, in id order.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// assert_eq!(landpool::Book::new().members_on(date!(2019 - 01 - 01)).count(), 0);
    /// ```
    pub fn members_on(&self, date: Date) -> impl Iterator<Item = &Member> + '_ {
        self.members.values().filter(move |m| m.is_member_on(date))
    }

    /// The least credit balance `account` holds on `date` or any later day, and that day
    /// (`date` itself when it holds least then); nothing, on `date`, for an account not
    /// opened. What a payment out of the account may take without leaving it in debit
    /// from a later-dated entry on.
    pub(crate) fn least_credit_from(
        &self,
        account: &AccountCode,
        date: Date,
    ) -> Result<(Yuan, Date)> {
        // One look-up of the code: a payment asks this of an account each time.
        let Some(node) = self.journal.chart().index_of(account) else {
            return Ok((Yuan::ZERO, date));
        };
        let series = self.journal.series_at(node).ok_or_else(|| {
            crate::ledger::LedgerError::UnknownAccount {
                code: account.to_string(),
            }
        })?;
        let (fen, on) = series.least_credit_balance_from(date);
        Ok((Yuan::from_fen(fen), on))
    }

    /// The members in the register for at least one day of `[first, last]` (those who left
    /// during it included), in id order.
    pub(crate) fn members_during(
        &self,
        first: Date,
        last: Date,
    ) -> impl Iterator<Item = &Member> + '_ {
        self.members
            .values()
            .filter(move |m| m.joined <= last && m.left.is_none_or(|left| left >= first))
    }

    /// A parcel by id (retired ones included).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// book.apply("join".parse()?, Event::MemberJoined { member: Member {
    ///     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
    ///     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
    /// }})?;
    /// book.apply("parcel".parse()?, Event::ParcelRegistered { parcel: Parcel {
    ///     id: "P001".parse()?, owner: "M001".parse()?, area: "1.35".parse()?,
    ///     village: "高格庄".into(), land_class: "水浇地".into(),
    ///     registered: date!(2019 - 01 - 01), retired: None,
    /// }})?;
    /// let parcel = book.parcel(&"P001".parse()?).ok_or("no parcel")?;
    /// assert_eq!((parcel.owner.as_str(), parcel.area.to_string()), ("M001", "1.35".to_string()));
    /// assert!(book.parcel(&"P002".parse()?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parcel(&self, id: &ParcelId) -> Option<&Parcel> {
        self.parcels.get(id)
    }

    /// All parcels ever registered, in id order (retired ones included).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Book::new().parcels().count(), 0);
    /// ```
    pub fn parcels(&self) -> impl Iterator<Item = &Parcel> + '_ {
        self.parcels.values()
    }

    /// A contract and its history.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::Book::new().contract(&"C001".parse()?).is_none());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn contract(&self, id: &ContractId) -> Option<&ContractRecord> {
        self.contracts.get(id)
    }

    /// The contract `id`, or [`PoolError::UnknownContract`] for an id not in the register.
    pub(crate) fn known_contract(&self, id: &ContractId) -> Result<&ContractRecord> {
        self.contracts.get(id).ok_or_else(|| {
            PoolError::UnknownContract {
                contract: id.clone(),
            }
            .into()
        })
    }

    /// All contracts, in id order.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Book::new().contracts().count(), 0);
    /// ```
    pub fn contracts(&self) -> impl Iterator<Item = &ContractRecord> + '_ {
        self.contracts.values()
    }

    /// The grain price recorded for a crop, unit and date.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// let book = landpool::Book::new();
    /// assert_eq!(book.grain_price("wheat", landpool::GrainUnit::Jin, date!(2019 - 01 - 01)), None);
    /// ```
    pub fn grain_price(&self, crop: &str, unit: GrainUnit, date: Date) -> Option<Decimal> {
        self.prices
            .get(&(crop.to_string(), unit))
            .and_then(|by_date| by_date.get(&date))
            .copied()
    }

    /// The land in the pool on `date`: the sum of every contract's area that day.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] if the sum does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// assert!(landpool::Book::new().pooled_area(date!(2019 - 01 - 01))?.is_zero());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn pooled_area(&self, date: Date) -> Result<Mu> {
        // Contracts add their area on their first day and take it away after their last;
        // swaps move area between contracts without changing the total.
        let total: i128 = self
            .pooled_changes
            .range(..=date)
            .map(|(_, change)| *change)
            .sum();
        u64::try_from(total)
            .map(Mu::from_ten_thousandths)
            .map_err(|_| crate::Error::Overflow {
                operation: format!("pooled area on {date}"),
            })
    }

    /// A member's account on `date`.
    ///
    /// # Errors
    ///
    /// [`PoolError::UnknownMember`] for an id not in the register; [`Error::Overflow`] when
    /// the member's land shares (area × shares per mu, summed) or a balance do not fit.
    ///
    /// # Example
    ///
    /// The book of the [`Book`] example, before its rent is accrued (set-up hidden):
    ///
    /// ```
    /// # use landpool::*;
    /// # use landpool::ledger::AccountCode;
    /// # use rust_decimal_macros::dec;
    /// # use time::macros::date;
    /// # let mut book = Book::new();
    /// # book.apply("join".parse()?, Event::MemberJoined { member: Member {
    /// #     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
    /// #     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
    /// # }})?;
    /// # book.apply("parcel".parse()?, Event::ParcelRegistered { parcel: Parcel {
    /// #     id: "P001".parse()?, owner: "M001".parse()?, area: "1.35".parse()?,
    /// #     village: "高格庄".into(), land_class: "水浇地".into(),
    /// #     registered: date!(2019 - 01 - 01), retired: None,
    /// # }})?;
    /// # book.apply("sign".parse()?, Event::ContractSigned { contract: Box::new(Contract {
    /// #     id: "C001".parse()?, member: "M001".parse()?,
    /// #     lines: vec![ContractLine { parcel: "P001".parse()?, area: "1.35".parse()? }],
    /// #     start: date!(2019 - 01 - 01), end: date!(2028 - 12 - 31),
    /// #     kind: ContractKind::Transfer { rent: RentTerms::Fixed { yuan_per_mu: dec!(1000) } },
    /// #     pro_rating: ProRating::ActualDays,
    /// #     payment: PaymentTerms::InAdvance { month: 3, day: 1 },
    /// #     charge_to: AccountCode::new("401")?,
    /// # })})?;
    /// book.apply("rent".parse()?, Event::RentAccrued {
    ///     from: date!(2019 - 01 - 01), to: date!(2019 - 06 - 30), contracts: Accrue::All,
    ///     date: date!(2019 - 06 - 30),
    /// })?;
    /// let account = book.member_account(&"M001".parse()?, date!(2019 - 06 - 30))?;
    /// // 1.35 mu × 1000 yuan × 181/365 of a year, owed and not yet paid.
    /// assert_eq!(account.current.to_string(), "669.45");
    /// assert_eq!(account.pooled_area.to_string(), "1.35");
    /// let unknown = book.member_account(&"M404".parse()?, date!(2019 - 06 - 30));
    /// assert!(matches!(unknown, Err(Error::Pool(PoolError::UnknownMember { .. }))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn member_account(&self, member: &MemberId, date: Date) -> Result<MemberAccount> {
        if !self.members.contains_key(member) {
            return Err(PoolError::UnknownMember {
                member: member.clone(),
            }
            .into());
        }
        let credit = |code: &str| -> Result<Yuan> {
            let account = AccountCode::new(code)?.sub(member.as_str())?;
            self.journal.balance(&account, date)?.checked_neg()
        };
        let mut pooled_area = Mu::ZERO;
        let mut land_shares = Decimal::ZERO;
        for record in self.contracts_of(member) {
            let area = record.area_on(date);
            pooled_area = pooled_area.checked_add(area)?;
            if let crate::ContractKind::LandShares { shares_per_mu, .. } = record.contract.kind {
                land_shares = area
                    .to_decimal()
                    .checked_mul(shares_per_mu)
                    .and_then(|shares| land_shares.checked_add(shares))
                    .ok_or_else(|| Error::Overflow {
                        operation: format!(
                            "land shares of member {member} (contract {})",
                            record.contract.id
                        ),
                    })?;
            }
        }
        let capital = credit("301")?;
        Ok(MemberAccount {
            member: member.clone(),
            date,
            capital,
            poverty_relief_capital: self.poverty_relief_part(member, date, capital)?,
            current: credit("114")?,
            labour_payable: credit("213")?,
            wages_payable: credit("212")?,
            patronage_payable: credit("221")?,
            remaining_payable: credit("222")?,
            pooled_area,
            land_shares,
        })
    }

    /// Capital from poverty-relief assets a member contributed from `from` (the beginning
    /// when `None`) through `to`, as the register has it.
    pub(crate) fn poverty_relief_contributed(
        &self,
        member: &MemberId,
        from: Option<Date>,
        to: Date,
    ) -> Result<Yuan> {
        Yuan::checked_sum(
            self.poverty_relief
                .get(member)
                .into_iter()
                .flatten()
                .filter(|(date, _)| *date <= to && from.is_none_or(|from| *date >= from))
                .map(|(_, amount)| *amount),
        )
    }

    /// The poverty-relief part of `capital`, the member's 301 balance on `date`: what was
    /// contributed from poverty-relief assets through `date`, less what
    /// [`Event::CapitalReturned`] returned from them through `date`, at most `capital` (a
    /// decrease the register cannot attribute, a manual entry's, comes off other sources
    /// first).
    pub(crate) fn poverty_relief_part(
        &self,
        member: &MemberId,
        date: Date,
        capital: Yuan,
    ) -> Result<Yuan> {
        Ok(self
            .poverty_relief_contributed(member, None, date)?
            .checked_sub(self.poverty_relief_returned(member, date)?)?
            .max(Yuan::ZERO)
            .min(capital.max(Yuan::ZERO)))
    }

    /// Land-share days per member in calendar year `year`: shares held × days held, the weight
    /// of the second dividend (二次分红) for members who joined part-way through the year.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when a member's shares × days (area × shares per mu × days, summed
    /// over the member's contracts) do not fit a `Decimal`.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::Book::new().land_share_days(2019)?.is_empty());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn land_share_days(&self, year: i32) -> Result<BTreeMap<MemberId, Decimal>> {
        let mut out = BTreeMap::new();
        let (Ok(first), Ok(last)) = (
            Date::from_calendar_date(year, time::Month::January, 1),
            Date::from_calendar_date(year, time::Month::December, 31),
        ) else {
            return Ok(out);
        };
        for record in self.contracts.values() {
            let crate::ContractKind::LandShares { shares_per_mu, .. } = record.contract.kind else {
                continue;
            };
            let from = record.contract.start.max(first);
            let to = record.contract.end.min(last);
            if from > to {
                continue;
            }
            let days = Decimal::from(crate::pool::days_inclusive(from, to));
            let slot = out
                .entry(record.contract.member.clone())
                .or_insert(Decimal::ZERO);
            *slot = record
                .area_on(from)
                .to_decimal()
                .checked_mul(shares_per_mu)
                .and_then(|shares| shares.checked_mul(days))
                .and_then(|share_days| slot.checked_add(share_days))
                .ok_or_else(|| Error::Overflow {
                    operation: format!(
                        "land-share days of member {} in {year} (contract {})",
                        record.contract.member, record.contract.id
                    ),
                })?;
        }
        Ok(out)
    }

    /// Works out what `event` will do, or why it is refused. An event whose own date
    /// ([`Event::date`]) is outside the years the books keep is refused first, and so is one
    /// dated in a closed year, whether or not it posts an entry (the journal refuses only
    /// entries); a grain price is not refused for a closed year. Each module plans its
    /// own events: members and land in `land.rs`.
    pub(crate) fn plan(&self, id: &EventId, event: &Event) -> Result<Plan> {
        // A grain price is a fact of the market, not a record of the year: a grain-indexed
        // rent of an open year may need the price of a day in a closed year (its period's
        // start), and recording it changes nothing booked.
        let recorded_any_time = matches!(event, Event::GrainPriceRecorded { .. });
        if let Some(date) = event.date() {
            if !crate::ledger::keeps_year(date.year()) {
                return Err(PoolError::DateOutOfRange {
                    event: id.clone(),
                    date,
                    min_year: crate::ledger::MIN_YEAR,
                    max_year: crate::ledger::MAX_YEAR,
                }
                .into());
            }
        }
        if let Some(date) = event.date().filter(|_| !recorded_any_time) {
            if self.journal.is_closed(date.year()) {
                return Err(PoolError::InClosedYear {
                    event: id.clone(),
                    date,
                    year: self.journal.latest_closed().unwrap_or(date.year()),
                }
                .into());
            }
        }
        let plan = match event {
            Event::MemberJoined { .. }
            | Event::MemberLeft { .. }
            | Event::CapitalContributed { .. }
            | Event::ParcelRegistered { .. }
            | Event::ParcelSplit { .. }
            | Event::ParcelsMerged { .. }
            | Event::ContractSigned { .. }
            | Event::GrainPriceRecorded { .. }
            | Event::RentAccrued { .. }
            | Event::RentPaid { .. }
            | Event::AreaSwapped { .. }
            | Event::ContractChargeChanged { .. }
            | Event::ContractEnded { .. } => self.plan_land(id, event),
            Event::GreenhouseBuilt { .. }
            | Event::GreenhouseRetired { .. }
            | Event::DepreciationBooked { .. }
            | Event::AssetAcquired { .. }
            | Event::AssetWorkRecorded { .. }
            | Event::AssetRetired { .. }
            | Event::Harvested { .. }
            | Event::ProduceSold { .. }
            | Event::ReceivableCollected { .. }
            | Event::CostIncurred { .. }
            | Event::WorkRecorded { .. }
            | Event::WagesPaid { .. }
            | Event::LoanSigned { .. }
            | Event::LoanDrawn { .. }
            | Event::LoanInterestAccrued { .. }
            | Event::LoanRepaid { .. }
            | Event::InterestSubsidyReceived { .. }
            | Event::GrantReceived { .. }
            | Event::GrantSpent { .. }
            | Event::DonationReceived { .. } => self.plan_operations(id, event),
            Event::YearClosed { .. }
            | Event::DistributionSettled { .. }
            | Event::ReserveShareRefunded { .. }
            | Event::ReserveConverted { .. }
            | Event::ManualEntry { .. }
            | Event::AccountOpened { .. } => self.plan_year_end(id, event),
            Event::CapitalReturned {
                member,
                date,
                amount,
                from,
                contract,
                source,
            } => self.plan_capital_return(
                id,
                &capital::Returned {
                    member,
                    date: *date,
                    amount: *amount,
                    from: *from,
                    contract: contract.as_ref(),
                    source: *source,
                },
            ),
        }?;
        let settling = matches!(event, Event::DistributionSettled { .. });
        let closing = matches!(event, Event::YearClosed { .. });
        let returning = matches!(event, Event::CapitalReturned { .. });
        self.check_members_left(&plan.entries, settling, closing, returning)?;
        Ok(plan)
    }

    /// Refuses an entry that posts to the sub-account of a member who has left, dated after
    /// their last day: a member's accounts are settled by then ([`Event::MemberLeft`]), and
    /// rent, pay or anything else booked later could never be paid to them. The one
    /// exceptions are the payout of a distribution (`settling`): the close of the year a member
    /// left in (on its last day, or later with the leaving recorded before the close) owes
    /// them their part (law art. 28), and paying it out debits their 221 and 222; and their
    /// capital paid back (`returning`, law art. 28 again), which debits their 301.
    ///
    /// An entry of any other event dated on or before their last day is refused too: their
    /// accounts were settled when the leaving was recorded, and a posting backdated into
    /// their membership (capital, a payment, a land-share contract, a timesheet) would leave
    /// them a balance that nothing may clear. The close (`closing`) is what may still credit
    /// their 221 and 222 on a year's last day of their membership.
    fn check_members_left(
        &self,
        entries: &[Entry],
        settling: bool,
        closing: bool,
        returning: bool,
    ) -> Result<()> {
        if self.left_members.is_empty() {
            return Ok(());
        }
        for entry in entries {
            for posting in &entry.postings {
                let Some((root, member)) = posting.account.as_str().split_once('.') else {
                    continue;
                };
                if !MEMBER_ACCOUNTS.iter().any(|(code, _, _)| *code == root) {
                    continue;
                }
                if settling && posting.side == Side::Debit && matches!(root, "221" | "222") {
                    continue;
                }
                if returning && posting.side == Side::Debit && root == "301" {
                    continue;
                }
                let Some(&left) = self.left_members.get(member) else {
                    continue;
                };
                if entry.date > left {
                    return Err(PoolError::PostedAfterLeaving {
                        entry: entry.id.to_string(),
                        account: posting.account.to_string(),
                        date: entry.date,
                        left,
                    }
                    .into());
                }
                if !closing && !settling {
                    return Err(PoolError::PostedAfterLeavingRecorded {
                        entry: entry.id.to_string(),
                        account: posting.account.to_string(),
                        date: entry.date,
                        left,
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    /// The contracts covering a parcel, in signing order.
    pub(crate) fn contracts_on_parcel<'a>(
        &'a self,
        parcel: &ParcelId,
    ) -> impl Iterator<Item = &'a ContractRecord> + 'a {
        self.contracts_by_parcel
            .get(parcel)
            .map(Few::as_slice)
            .into_iter()
            .flatten()
            .filter_map(|id| self.contracts.get(id))
    }

    /// The contracts a contract exchanged unequal areas with.
    pub(crate) fn swap_partners_of(&self, contract: &ContractId) -> &[ContractId] {
        self.swap_partners.get(contract).map_or(&[], Vec::as_slice)
    }

    /// Whether any unequal swap has been applied.
    pub(crate) fn has_unequal_swaps(&self) -> bool {
        !self.swap_partners.is_empty()
    }

    /// The contracts of a member, in signing order.
    pub(crate) fn contracts_of<'a>(
        &'a self,
        member: &MemberId,
    ) -> impl Iterator<Item = &'a ContractRecord> + 'a {
        self.contracts_by_member
            .get(member)
            .map(Few::as_slice)
            .into_iter()
            .flatten()
            .filter_map(|id| self.contracts.get(id))
    }

    /// Applies a register change; cannot fail.
    fn update(&mut self, update: Update) {
        match update {
            Update::None => {}
            Update::Operations(update) => self.update_operations(update),
            Update::Closed(distribution, movements) => {
                // The plan checked that the year is open, so locking it cannot fail.
                let locked = self.journal.close_year(distribution.year);
                debug_assert!(locked.is_ok());
                self.closed_movements.insert(distribution.year, movements);
                self.distributions.insert(distribution.year, *distribution);
            }
            Update::Settled(year) => {
                if let Some(distribution) = self.distributions.get_mut(&year) {
                    distribution.settled = true;
                }
            }
            Update::ReserveRefunded(member, date, amount) => {
                self.reserve_refunds.insert(member, (date, amount));
            }
            Update::ReserveConverted(member, date, amount) => {
                self.reserve_conversions
                    .entry(member)
                    .or_default()
                    .push((date, amount));
            }
            Update::CapitalReturned(member, returned) => {
                self.capital_returns
                    .entry(member)
                    .or_default()
                    .push(returned);
            }
            Update::AddMember(member) => {
                self.members.insert(member.id.clone(), member);
            }
            Update::PovertyRelief(member, date, amount) => {
                self.poverty_relief
                    .entry(member)
                    .or_default()
                    .push((date, amount));
            }
            Update::MemberLeft(id, date) => {
                if let Some(member) = self.members.get_mut(&id) {
                    member.left = Some(date);
                }
                self.left_members.insert(id.to_string(), date);
            }
            Update::AddParcels(parcels) => {
                for parcel in parcels {
                    self.parcels.insert(parcel.id.clone(), parcel);
                }
            }
            Update::Retire(old, date, new) => {
                for id in old {
                    if let Some(parcel) = self.parcels.get_mut(&id) {
                        parcel.retired = Some(date);
                    }
                }
                for parcel in new {
                    self.parcels.insert(parcel.id.clone(), parcel);
                }
            }
            Update::AddContract(record) => {
                let id = record.contract.id.clone();
                // Lists of one contract each, mostly, a million of them at county scale: a
                // list of one is kept without an allocation.
                for line in &record.contract.lines {
                    match self.contracts_by_parcel.get_mut(&line.parcel) {
                        Some(list) => list.push(id.clone()),
                        None => {
                            self.contracts_by_parcel
                                .insert(line.parcel.clone(), Few::one(id.clone()));
                        }
                    }
                }
                let member = &record.contract.member;
                match self.contracts_by_member.get_mut(member) {
                    Some(list) => list.push(id.clone()),
                    None => {
                        self.contracts_by_member
                            .insert(member.clone(), Few::one(id.clone()));
                    }
                }
                let area = i128::from(record.areas.first().map_or(0, |a| a.area.ten_thousandths()));
                // Each contract adds and removes one u64 area: fewer than 2^63 contracts fit
                // in memory, so the running i128 sums never saturate.
                let start = self
                    .pooled_changes
                    .entry(record.contract.start)
                    .or_insert(0);
                *start = start.saturating_add(area);
                if let Some(after) = record.contract.end.next_day() {
                    let end = self.pooled_changes.entry(after).or_insert(0);
                    *end = end.saturating_sub(area);
                }
                self.contracts.insert(id, *record);
            }
            Update::Price(key, date, price) => {
                self.prices.entry(key).or_default().insert(date, price);
            }
            Update::Accrued(ranges, booked, date) => {
                for_each_listed(&mut self.contracts, ranges, |record, (from, to)| {
                    crate::pool::cover(&mut record.accrued, from, to);
                });
                for_each_listed(&mut self.contracts, booked, |record, (rent, amortised)| {
                    if rent.is_positive() {
                        crate::tight::push(&mut record.rent_booked, (date, rent));
                    }
                    if amortised.is_positive() {
                        crate::tight::push(&mut record.amortised_booked, (date, amortised));
                    }
                });
            }
            Update::ChargeChanged(id, from, account) => {
                if let Some(record) = self.contracts.get_mut(&id) {
                    record.charges.retain(|(day, _)| *day < from);
                    record.charges.push((from, account));
                }
            }
            Update::Ended(id, last, memo) => {
                if let Some(record) = self.contracts.get_mut(&id) {
                    // The contract's area (no swap changes it after `last`: the plan refuses
                    // that) leaves the pool the day after `last`, not after its signed end.
                    let area = i128::from(record.area_on(last).ten_thousandths());
                    let signed_end = record.contract.end;
                    for (day, change) in [
                        (signed_end.next_day(), area),
                        (last.next_day(), area.saturating_neg()),
                    ] {
                        if let Some(day) = day {
                            let at = self.pooled_changes.entry(day).or_insert(0);
                            *at = at.saturating_add(change);
                            if *at == 0 {
                                self.pooled_changes.remove(&day);
                            }
                        }
                    }
                    record.contract.end = last;
                    record.ended = Some(ContractEnding { signed_end, memo });
                }
            }
            Update::Areas(changes) => {
                let mut moved = Vec::with_capacity(changes.len());
                for (id, change) in changes {
                    if let Some(record) = self.contracts.get_mut(&id) {
                        // A swap conserves the pool's area while both contracts run, but each
                        // contract takes its new area away when it ends: the change log moves
                        // the difference from the swap date to the day after the contract.
                        let before = i128::from(record.area_on(change.from).ten_thousandths());
                        let delta =
                            i128::from(change.area.ten_thousandths()).saturating_sub(before);
                        if delta != 0 {
                            moved.push(id.clone());
                            let at = self.pooled_changes.entry(change.from).or_insert(0);
                            *at = at.saturating_add(delta);
                            if let Some(after) = record.contract.end.next_day() {
                                let at = self.pooled_changes.entry(after).or_insert(0);
                                *at = at.saturating_sub(delta);
                            }
                        }
                        crate::tight::push(&mut record.areas, change);
                    }
                }
                // An unequal swap changes both contracts' areas: each is the other's partner.
                if let [first, second] = moved.as_slice() {
                    for (one, other) in [(first, second), (second, first)] {
                        let partners = self.swap_partners.entry(one.clone()).or_default();
                        if !partners.contains(other) {
                            partners.push(other.clone());
                        }
                    }
                }
            }
        }
    }
}

/// Calls `f` on the record of each listed contract with its item (a contract not in the
/// register is skipped). A list covering most of the register in its order (an accrual of
/// every contract) walks the register once instead of searching for each contract.
fn for_each_listed<T>(
    contracts: &mut Register<ContractId, ContractRecord>,
    items: Vec<(ContractId, T)>,
    mut f: impl FnMut(&mut ContractRecord, T),
) {
    let in_order = items.is_sorted_by(|a, b| a.0 <= b.0);
    if in_order && items.len().saturating_mul(8) >= contracts.len() {
        let mut records = contracts.values_mut().peekable();
        for (id, item) in items {
            while records.next_if(|record| record.contract.id < id).is_some() {}
            if let Some(record) = records.peek_mut().filter(|record| record.contract.id == id) {
                f(record, item);
            }
        }
    } else {
        for (id, item) in items {
            if let Some(record) = contracts.get_mut(&id) {
                f(record, item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ContractRecord;
    use crate::ledger::AccountCode;
    use crate::{Contract, ContractKind, ContractLine, PaymentTerms, ProRating, RentTerms, Yuan};
    use time::macros::date;

    fn code(text: &str) -> AccountCode {
        AccountCode::new(text).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A range of days is cut where the account charged changes, each part with its
    /// account; a change on the range's first day or after its last does not cut it.
    #[test]
    fn charge_spans_cut_a_range_where_the_account_changes() {
        fn id<T: std::str::FromStr<Err = crate::Error>>(text: &str) -> T {
            text.parse().unwrap_or_else(|e| panic!("{e}"))
        }
        let record = ContractRecord {
            contract: Contract {
                id: id("C1"),
                member: id("M1"),
                lines: vec![ContractLine {
                    parcel: id("P1"),
                    area: id("1"),
                }],
                start: date!(2019 - 01 - 01),
                end: date!(2021 - 12 - 31),
                kind: ContractKind::Transfer {
                    rent: RentTerms::Fixed {
                        yuan_per_mu: rust_decimal::Decimal::ONE_THOUSAND,
                    },
                },
                pro_rating: ProRating::ActualDays,
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: code("401"),
            },
            areas: Vec::new(),
            accrued: Vec::new(),
            capital: Yuan::ZERO,
            rent_booked: Vec::new(),
            amortised_booked: Vec::new(),
            ended: None,
            charges: vec![
                (date!(2019 - 07 - 11), code("521.GH01")),
                (date!(2020 - 01 - 01), code("521.RENT")),
            ],
        };
        let spans = |from, to| -> Vec<(String, String, String)> {
            record
                .charge_spans(from, to)
                .into_iter()
                .map(|(a, b, account)| (a.to_string(), b.to_string(), account.to_string()))
                .collect()
        };
        let span = |a: &str, b: &str, account: &str| (a.into(), b.into(), account.into());
        assert_eq!(
            spans(date!(2019 - 01 - 01), date!(2020 - 12 - 31)),
            [
                span("2019-01-01", "2019-07-10", "401"),
                span("2019-07-11", "2019-12-31", "521.GH01"),
                span("2020-01-01", "2020-12-31", "521.RENT"),
            ]
        );
        assert_eq!(
            spans(date!(2019 - 07 - 11), date!(2019 - 07 - 11)),
            [span("2019-07-11", "2019-07-11", "521.GH01")]
        );
        assert_eq!(
            spans(date!(2019 - 03 - 01), date!(2019 - 07 - 10)),
            [span("2019-03-01", "2019-07-10", "401")]
        );
        assert_eq!(record.charge_on(date!(2019 - 07 - 10)), &code("401"));
        assert_eq!(record.charge_on(date!(2025 - 01 - 01)), &code("521.RENT"));
    }
}
