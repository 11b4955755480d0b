//! Errors of the cooperative's registers: members, parcels, contracts, events.

use rust_decimal::Decimal;
use time::Date;

use crate::{Mu, Yuan};

/// What the cooperative's registers refused, with the member, parcel, contract or event it
/// concerns and what was expected.
///
/// Wrapped in [`crate::Error::Pool`].
///
/// # Example
///
/// ```
/// use landpool::{Error, PoolError};
///
/// let err = Error::from(PoolError::UnknownMember { member: "M009".parse()? });
/// assert_eq!(err.to_string(), "no member M009 in the register");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PoolError {
    /// A member id that is not in the register.
    #[error("no member {member} in the register")]
    UnknownMember {
        /// The member id as given.
        member: crate::MemberId,
    },
    /// A member id that is already in the register.
    #[error("member {member} is already in the register")]
    DuplicateMember {
        /// The member id as given.
        member: crate::MemberId,
    },
    /// A member who was not a member on the date concerned.
    #[error("{member} is not a member on {date} (joined {joined}{})", left.map(|d| format!(", left {d}")).unwrap_or_default())]
    NotAMember {
        /// The member.
        member: crate::MemberId,
        /// The date concerned.
        date: Date,
        /// When the member joined.
        joined: Date,
        /// When the member left, if they have.
        left: Option<Date>,
    },
    /// A member leaving while the cooperative still owes them, or they owe it, on the
    /// leaving day.
    #[error("{member} cannot leave on {date}: account {account} has an unsettled balance of {balance} on that day; settle it first")]
    UnsettledBalance {
        /// The member.
        member: crate::MemberId,
        /// The date of leaving.
        date: Date,
        /// The member's sub-account with a balance.
        account: String,
        /// Its balance on the leaving day (positive: debit).
        balance: Yuan,
    },
    /// A member leaving before entries already posted to their sub-accounts (capital returned
    /// by a manual entry, a payment settled after the leaving day; capital paid back with
    /// [`Event::CapitalReturned`](crate::Event::CapitalReturned) does not count).
    #[error("{member} cannot leave on {date}: account {account} has postings dated after that day (debits {debits}, credits {credits}); a member's accounts are settled by their last day of membership, so date the leaving on or after the last of them")]
    PostingsAfterLeaving {
        /// The member.
        member: crate::MemberId,
        /// The date of leaving.
        date: Date,
        /// The member's sub-account with postings after `date`.
        account: String,
        /// Its debits dated after `date`.
        debits: Yuan,
        /// Its credits dated after `date`.
        credits: Yuan,
    },
    /// An entry posting to the sub-account of a member who has left, dated after their last
    /// day of membership (the payout of their part of a distribution excepted).
    #[error("entry {entry} posts to {account} on {date}, after its member left on {left}; a member's accounts take nothing after their last day")]
    PostedAfterLeaving {
        /// The entry id.
        entry: String,
        /// The member's sub-account.
        account: String,
        /// The entry's date.
        date: Date,
        /// The member's last day of membership.
        left: Date,
    },
    /// An entry posting, on or before their last day, to the sub-account of a member whose
    /// leaving is already recorded: their accounts were settled when they left, and an entry
    /// backdated into their membership afterwards would leave them a balance that nothing
    /// may clear (the close of a year they were a member on the last day of, and the payout
    /// of their part, excepted).
    #[error("entry {entry} posts to {account} on {date}, but its member's leaving on {left} is recorded and their accounts were settled then; a member's accounts take nothing once they have left, whatever the entry's date")]
    PostedAfterLeavingRecorded {
        /// The entry id.
        entry: String,
        /// The member's sub-account.
        account: String,
        /// The entry's date.
        date: Date,
        /// The member's last day of membership.
        left: Date,
    },
    /// A member who has left already.
    #[error("{member} cannot leave on {date}: they left on {left}")]
    AlreadyLeft {
        /// The member.
        member: crate::MemberId,
        /// The date of leaving asked for.
        date: Date,
        /// The day they left.
        left: Date,
    },
    /// A member leaving while a contract of theirs still runs.
    #[error("{member} cannot leave on {date}: contract {contract} runs until {end}; a member leaves on or after the last day of each of their contracts, or once swaps have given the contract's whole area to other contracts (to end the contract early, 协议解除, record its new last day on or before {date} first: a contract_ended event, ContractEnded, or in a book folder a 合同解除 end row of land_changes.csv)")]
    ContractStillRunning {
        /// The member.
        member: crate::MemberId,
        /// The date of leaving.
        date: Date,
        /// The running contract.
        contract: crate::ContractId,
        /// Its end date.
        end: Date,
    },
    /// A household with no persons.
    #[error("household {member} must have at least one person")]
    NoPersons {
        /// The member.
        member: crate::MemberId,
    },
    /// A parcel id that is not in the register.
    #[error("no parcel {parcel} in the register")]
    UnknownParcel {
        /// The parcel id as given.
        parcel: crate::ParcelId,
    },
    /// A parcel id that is already in the register.
    #[error("parcel {parcel} is already in the register")]
    DuplicateParcel {
        /// The parcel id as given.
        parcel: crate::ParcelId,
    },
    /// A parcel that no longer exists on the date concerned (split, merged).
    #[error(
        "parcel {parcel} was retired on {retired} (split or merged); it cannot be used on {date}"
    )]
    ParcelRetired {
        /// The parcel.
        parcel: crate::ParcelId,
        /// When it was retired.
        retired: Date,
        /// The date concerned.
        date: Date,
    },
    /// A parcel that belongs to another household.
    #[error("parcel {parcel} belongs to {owner}, not {member}")]
    NotOwner {
        /// The parcel.
        parcel: crate::ParcelId,
        /// Its owner.
        owner: crate::MemberId,
        /// The member who tried to use it.
        member: crate::MemberId,
    },
    /// A parcel under contract on or after the date of a split or merge cannot be split or
    /// merged (a contract covering it later would lose its parcel). The contract named may
    /// be one that received area from the parcel's contracts by an unequal swap: that area
    /// stays on the parcel while the contract runs.
    #[error("parcel {parcel} is under contract {contract} on {date} or later; swap contracted area instead of splitting or merging it")]
    ParcelUnderContract {
        /// The parcel.
        parcel: crate::ParcelId,
        /// The contract covering it.
        contract: crate::ContractId,
        /// The date of the split or merge.
        date: Date,
    },
    /// An area that must be above zero was not.
    #[error("{what}: area must be above zero, got {area} mu")]
    AreaNotPositive {
        /// What the area was for.
        what: String,
        /// The area given.
        area: Mu,
    },
    /// Parts of a parcel that do not add up to it.
    #[error("parcel {parcel} has {area} mu but its parts add up to {parts} mu")]
    AreaNotConserved {
        /// The parcel split or merged.
        parcel: crate::ParcelId,
        /// Its area.
        area: Mu,
        /// The sum of the parts.
        parts: Mu,
    },
    /// Contracted area beyond what a parcel has free on the dates concerned.
    #[error("contract {contract} asks for {asked} mu of parcel {parcel}, but only {free} mu of its {area} mu is free from {start} to {end}")]
    AreaExceedsParcel {
        /// The contract.
        contract: crate::ContractId,
        /// The parcel.
        parcel: crate::ParcelId,
        /// The area asked for.
        asked: Mu,
        /// The area not yet contracted on overlapping dates.
        free: Mu,
        /// The parcel's area.
        area: Mu,
        /// The contract's start.
        start: Date,
        /// The contract's end.
        end: Date,
    },
    /// A contract, or an area swap, that would have the contracts on some parcels, joined
    /// by unequal area swaps, hold more land on a day than they have pooled of those parcels
    /// (a part of a parcel no contract's lines ever held is not counted). A swap moves
    /// area between contracts, not parcels: the area a contract received stays with it after
    /// its partner's contract ends, so a new contract on the partner's parcels can take only
    /// what is left.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::PoolError;
    /// use time::macros::date;
    ///
    /// let error = PoolError::SwappedAreaExceedsLand {
    ///     what: "contract CB2".into(),
    ///     date: date!(2024 - 01 - 01),
    ///     parcels: "PA, PB".into(),
    ///     held: "22".parse()?,
    ///     land: "20".parse()?,
    /// };
    /// assert!(error.to_string().starts_with(
    ///     "contract CB2: on 2024-01-01 the contracts on parcels PA, PB, joined by unequal area swaps, would hold 22.00 mu"
    /// ));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    #[error("{what}: on {date} the contracts on parcels {parcels}, joined by unequal area swaps, would hold {held} mu, more than the {land} mu of those parcels that contracts have pooled (a swap moves area between contracts, not parcels: the area a contract received stays with it after its partner's contract ends)")]
    SwappedAreaExceedsLand {
        /// The contract signed or the swap, as `contract C` or `swap E on DATE`.
        what: String,
        /// The first day the land would be exceeded.
        date: Date,
        /// The parcels whose land the contracts share, in id order, separated by `, `.
        parcels: String,
        /// The area the contracts on them would hold that day.
        held: Mu,
        /// The area of those parcels that day that contracts of the block have pooled by
        /// their lines on one day up to then (a part of a parcel no contract pooled is no
        /// room for area a swap moved).
        land: Mu,
    },
    /// A contract id that is not in the register.
    #[error("no contract {contract} in the register")]
    UnknownContract {
        /// The contract id as given.
        contract: crate::ContractId,
    },
    /// A contract id that is already in the register.
    #[error("contract {contract} is already in the register")]
    DuplicateContract {
        /// The contract id as given.
        contract: crate::ContractId,
    },
    /// An end date before a start date.
    #[error("{what}: end {end} is before start {start}")]
    DatesReversed {
        /// What the dates were for.
        what: String,
        /// The start given.
        start: Date,
        /// The end given.
        end: Date,
    },
    /// A rate, price or quantity that must not be negative (or must be above zero) was not.
    #[error("{what} must be {expected}, got {value}")]
    BadNumber {
        /// What the number was for.
        what: String,
        /// What was expected ("zero or more", "above zero", "at most 100").
        expected: &'static str,
        /// The number given.
        value: Decimal,
    },
    /// No grain price was recorded for the date a grain-indexed rent needs, per the contract's
    /// unit or per the other.
    #[error("contract {contract}: no price of {crop} per {unit} or per {} recorded for {date}; record one with a grain price event", other_unit(.unit))]
    GrainPriceMissing {
        /// The contract.
        contract: crate::ContractId,
        /// The crop.
        crop: String,
        /// The unit (jin or kg).
        unit: &'static str,
        /// The price date the rent needs.
        date: Date,
    },
    /// A period outside a contract's term.
    #[error("contract {contract} runs from {start} to {end}; {date} is outside it")]
    OutsideTerm {
        /// The contract.
        contract: crate::ContractId,
        /// The date concerned.
        date: Date,
        /// The contract's start.
        start: Date,
        /// The contract's end.
        end: Date,
    },
    /// A swap whose two sides differ in area, without compensation.
    #[error("swap on {date}: {first} gives {first_gives} mu and {second} gives {second_gives} mu; unequal areas need an explicit compensation")]
    SwapNotConserved {
        /// The swap date.
        date: Date,
        /// The first contract.
        first: crate::ContractId,
        /// Area the first gives.
        first_gives: Mu,
        /// The second contract.
        second: crate::ContractId,
        /// Area the second gives.
        second_gives: Mu,
    },
    /// A swap that takes more area from a contract than it holds.
    #[error("swap on {date}: contract {contract} holds {holds} mu and cannot give {gives} mu")]
    SwapExceedsArea {
        /// The swap date.
        date: Date,
        /// The contract.
        contract: crate::ContractId,
        /// What it holds on the date.
        holds: Mu,
        /// What it was asked to give.
        gives: Mu,
    },
    /// Something the registers do not support, with the reason.
    #[error("{what}: {reason}")]
    NotAllowed {
        /// What was asked.
        what: String,
        /// Why it is refused and what to do instead.
        reason: String,
    },
    /// An event log that does not replay to what it says.
    #[error("event log broken at event {seq}: {reason}")]
    LogBroken {
        /// The sequence number of the first bad event.
        seq: u64,
        /// What did not match.
        reason: String,
    },
    /// An event dated in a closed year (the latest closed year or one before it), whether or
    /// not it would post an entry: a closed year's books, registers and statements no longer
    /// change.
    #[error("event {event} is dated {date}, on or before the end of {year}, which is closed (closing a year closes every year before it); record it in an open year")]
    InClosedYear {
        /// The event.
        event: crate::EventId,
        /// The event's own date (see [`Event::date`](crate::Event::date)).
        date: Date,
        /// The latest closed year.
        year: i32,
    },
    /// An event whose own date ([`Event::date`](crate::Event::date)) is outside the years
    /// the books keep ([`MIN_YEAR`](crate::ledger::MIN_YEAR) to
    /// [`MAX_YEAR`](crate::ledger::MAX_YEAR)), whether or not it would post an entry: a
    /// member joining in the year 219 (a typing slip for 2019) is refused when it is recorded,
    /// not years later when rent cannot accrue for it.
    #[error("event {event} is dated {date}; the books keep the years {min_year} to {max_year}")]
    DateOutOfRange {
        /// The event.
        event: crate::EventId,
        /// The event's own date.
        date: Date,
        /// The first year kept.
        min_year: i32,
        /// The last year kept.
        max_year: i32,
    },
    /// An event id applied before with other content: another canonical JSON than the
    /// log holds for it, a decimal written with other places (`1.150` for `1.15`) included.
    #[error("event {event} was already applied with other content (its canonical JSON differs from the logged event's, each decimal compared as written); use a new id for a new event")]
    EventConflict {
        /// The event id.
        event: crate::EventId,
    },
    // Operations (greenhouses, sales, costs, labour, loans, grants).
    /// A greenhouse id that is not in the register.
    #[error("no greenhouse {greenhouse} in the register")]
    UnknownGreenhouse {
        /// The greenhouse id as given.
        greenhouse: crate::GreenhouseId,
    },
    /// A greenhouse id that is already in the register.
    #[error("greenhouse {greenhouse} is already in the register")]
    DuplicateGreenhouse {
        /// The greenhouse id as given.
        greenhouse: crate::GreenhouseId,
    },
    /// An asset id that is not in the register ([`Event::AssetAcquired`](crate::Event::AssetAcquired)).
    #[error("no asset {asset} in the register")]
    UnknownAsset {
        /// The asset id as given.
        asset: crate::AssetId,
    },
    /// An asset id that is already in the register.
    #[error("asset {asset} is already in the register")]
    DuplicateAsset {
        /// The asset id as given.
        asset: crate::AssetId,
    },
    /// A greenhouse used before it was built.
    #[error("greenhouse {greenhouse} is not in use on {date}: it was built on {built}")]
    GreenhouseNotBuilt {
        /// The greenhouse.
        greenhouse: crate::GreenhouseId,
        /// The date concerned.
        date: Date,
        /// The day it was built.
        built: Date,
    },
    /// A greenhouse used after it was taken out of use
    /// ([`Event::GreenhouseRetired`](crate::Event::GreenhouseRetired)).
    #[error(
        "greenhouse {greenhouse} is not in use on {date}: it was taken out of use after {retired}"
    )]
    GreenhouseRetired {
        /// The greenhouse.
        greenhouse: crate::GreenhouseId,
        /// The date concerned.
        date: Date,
        /// Its last day in use.
        retired: Date,
    },
    /// Greenhouses that would cover more land than the pool holds.
    #[error("greenhouse {greenhouse} needs {asked} mu, but on {date} the pool holds {pooled} mu and greenhouses already cover {used} mu")]
    GreenhouseAreaExceedsPool {
        /// The greenhouse being built.
        greenhouse: crate::GreenhouseId,
        /// The first date on which the areas would not fit.
        date: Date,
        /// Its area.
        asked: Mu,
        /// The area of the other greenhouses in use on that date.
        used: Mu,
        /// The pooled land on that date.
        pooled: Mu,
    },
    /// A sale of more produce than was harvested and not yet sold.
    #[error("greenhouse {greenhouse}: cannot sell {asked} kg on {date}; only {available} kg harvested is unsold as of {on}")]
    SaleExceedsHarvest {
        /// The greenhouse.
        greenhouse: crate::GreenhouseId,
        /// The day of the sale.
        date: Date,
        /// Kilograms asked to sell.
        asked: Decimal,
        /// Kilograms harvested and not sold as of `on`.
        available: Decimal,
        /// The date on which the stock would go below zero (the sale date or a later sale's).
        on: Date,
    },
    /// A buyer's payment beyond what the buyer owes for produce bought on credit as of the
    /// payment date, or as of a later payment's (paid before the sale, or paid twice).
    #[error("collection {event} of {asked} from {buyer} on {date}: {buyer} owes only {available} for produce bought on credit as of {on}; a buyer pays for a sale on or after its date, and only once")]
    CollectionExceedsReceivable {
        /// The buyer, as the sales named them.
        buyer: String,
        /// The collection.
        event: crate::EventId,
        /// The day of payment.
        date: Date,
        /// The amount paid.
        asked: Yuan,
        /// Sales on credit less payments, as of `on`.
        available: Yuan,
        /// The date on which the buyer's balance would go below zero (the payment date or a
        /// later payment's).
        on: Date,
    },
    /// Work recorded for a member who is not a member on the day worked (inside a
    /// [`PoolError::WorkRecordRefused`], which says which record it was).
    #[error("work of {member} on {date}: {member} is not a member that day; record the worker as a non-member worker instead")]
    WorkByNonMember {
        /// The worker's member id.
        member: crate::MemberId,
        /// The day worked.
        date: Date,
    },
    /// A work record of a timesheet ([`Event::WorkRecorded`](crate::Event::WorkRecorded))
    /// was refused: which timesheet, which record (its position in the timesheet, counting
    /// from 1) and why. A book folder's problem for it names the record's own file and line.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Error, PoolError};
    ///
    /// let error = Error::from(PoolError::WorkRecordRefused {
    ///     timesheet: "ts-06".parse()?,
    ///     record: 3,
    ///     error: Box::new(PoolError::UnknownMember { member: "M404".parse()? }.into()),
    /// });
    /// assert_eq!(
    ///     error.to_string(),
    ///     "timesheet ts-06, record 3 (counting from 1): no member M404 in the register"
    /// );
    /// # Ok::<(), landpool::Error>(())
    /// ```
    #[error("timesheet {timesheet}, record {record} (counting from 1): {error}")]
    WorkRecordRefused {
        /// The timesheet's event id.
        timesheet: crate::EventId,
        /// The record's position in the timesheet, counting from 1.
        record: usize,
        /// What was wrong with the record: [`PoolError::UnknownMember`],
        /// [`PoolError::WorkByNonMember`], [`PoolError::UnknownGreenhouse`],
        /// [`PoolError::GreenhouseNotBuilt`], [`PoolError::BadNumber`] (a negative
        /// quantity or rate), [`PoolError::NotAllowed`] (an empty or overlong worker name,
        /// work dated after the timesheet) or [`crate::Error::Overflow`] (pay that does not
        /// fit in a [`Yuan`]).
        error: Box<crate::Error>,
    },
    /// A loan id that is not in the register.
    #[error("no loan {loan} in the register")]
    UnknownLoan {
        /// The loan id as given.
        loan: crate::LoanId,
    },
    /// A loan id that is already in the register.
    #[error("loan {loan} is already in the register")]
    DuplicateLoan {
        /// The loan id as given.
        loan: crate::LoanId,
    },
    /// A loan whose term does not match its dates: a short-term loan (201 短期借款) matures
    /// on or before the same day a year after it is signed (28 February for 29 February), a
    /// long-term loan (231 长期借款) after it.
    #[error("loan {loan} is signed on {signed} and matures on {maturity}: {}", loan_term_rule(*term, *year_after))]
    LoanTermMismatch {
        /// The loan.
        loan: crate::LoanId,
        /// The term given.
        term: crate::LoanTerm,
        /// The day it is signed.
        signed: Date,
        /// The day the principal is due.
        maturity: Date,
        /// The same day a year after `signed` (none past the last day there is).
        year_after: Option<Date>,
    },
    /// Interest asked for a period before the loan was drawn.
    #[error("loan {loan}: no interest can accrue through {through}: {}", first_drawdown.map_or_else(|| "nothing has been drawn".to_string(), |d| format!("the first drawdown is on {d}")))]
    InterestBeforeDrawdown {
        /// The loan.
        loan: crate::LoanId,
        /// The last day asked for.
        through: Date,
        /// The first drawdown, if any.
        first_drawdown: Option<Date>,
    },
    /// A loan's drawdown, repayment or interest subsidy dated before the loan was signed.
    #[error("loan {loan}: {event} is dated {date}, before the loan was signed on {signed}; date it on or after the signing")]
    BeforeLoanSigned {
        /// The loan.
        loan: crate::LoanId,
        /// The event.
        event: crate::EventId,
        /// The event's date.
        date: Date,
        /// The day the loan was signed.
        signed: Date,
    },
    /// Interest paid on a loan beyond the interest accrued and not yet paid as of the payment
    /// date, or as of a later payment's (interest paid before it was accrued, or twice).
    #[error("loan {loan}: repayment {event} pays {asked} of interest on {date}, but only {available} of the interest accrued is unpaid as of {on}; interest is paid once it is accrued (accrue it through the payment date first), and only once")]
    InterestOverpaid {
        /// The loan.
        loan: crate::LoanId,
        /// The repayment.
        event: crate::EventId,
        /// The day of payment.
        date: Date,
        /// The interest the repayment pays.
        asked: Yuan,
        /// Interest accrued (by the accruals' entry dates) less interest paid, as of `on`.
        available: Yuan,
        /// The date on which the unpaid interest would go below zero (the payment date or
        /// a later payment's).
        on: Date,
    },
    /// An interest subsidy (贴息) beyond the interest accrued less the subsidies received, as
    /// of its date or as of a later subsidy's.
    #[error("loan {loan}: interest subsidy {event} of {asked} on {date} exceeds the interest: only {available} of the interest accrued is not yet subsidised as of {on}; a subsidy cannot exceed the interest accrued by its date")]
    SubsidyExceedsInterest {
        /// The loan.
        loan: crate::LoanId,
        /// The subsidy.
        event: crate::EventId,
        /// The day received.
        date: Date,
        /// The amount received.
        asked: Yuan,
        /// Interest accrued (by the accruals' entry dates) less subsidies received, as of
        /// `on`.
        available: Yuan,
        /// The date on which the unsubsidised interest would go below zero (the subsidy's
        /// date or a later subsidy's).
        on: Date,
    },
    /// A grant id that is not in the register.
    #[error("no grant {grant} in the register; record its receipt first")]
    UnknownGrant {
        /// The grant id as given.
        grant: crate::GrantId,
    },
    /// Spending more of a grant than was received and not yet spent (a grant spent twice).
    #[error("grant {grant}: cannot spend {asked} on {date}; only {available} received is unspent as of {on}")]
    GrantOverspent {
        /// The grant.
        grant: crate::GrantId,
        /// The day of spending.
        date: Date,
        /// The amount asked.
        asked: Yuan,
        /// Received and not spent as of `on`.
        available: Yuan,
        /// The date on which the balance would go below zero (the spending date or a later
        /// spending's).
        on: Date,
    },
    /// A capital return ([`Event::CapitalReturned`](crate::Event::CapitalReturned)) naming a
    /// contract of another member.
    #[error("capital return {event} to {member}: contract {contract} is {holder}'s, not {member}'s; a land-share contract's capital goes back to the member who contributed it")]
    ContractOfAnotherMember {
        /// The capital return.
        event: crate::EventId,
        /// The member the return is for.
        member: crate::MemberId,
        /// The contract named.
        contract: crate::ContractId,
        /// The member whose contract it is.
        holder: crate::MemberId,
    },
    /// A capital return ([`Event::CapitalReturned`](crate::Event::CapitalReturned)) naming a
    /// land transfer contract, which booked no capital.
    #[error("capital return {event}: contract {contract} is a land transfer contract, which booked no capital; name a land-share contract, or none for money capital")]
    NoLandShareCapital {
        /// The capital return.
        event: crate::EventId,
        /// The contract named.
        contract: crate::ContractId,
    },
    /// A land-share contract's capital returned
    /// ([`Event::CapitalReturned`](crate::Event::CapitalReturned)) before the contract ended.
    #[error("capital return {event} on {date}: contract {contract} runs until {end}; its land-share capital goes back on or after its last day")]
    ContractNotEnded {
        /// The capital return.
        event: crate::EventId,
        /// The day of the return.
        date: Date,
        /// The contract named.
        contract: crate::ContractId,
        /// The contract's last day.
        end: Date,
    },
    /// A capital return ([`Event::CapitalReturned`](crate::Event::CapitalReturned)) of more
    /// than the capital it draws on holds: a land-share contract's capital not yet returned,
    /// the member's money capital, their poverty-relief capital not yet returned, their
    /// money capital from other sources (the money capital less that), or `301.<member>`
    /// itself, on the return's date or a later day.
    #[error("capital return {event} of {asked} to {member} on {date}: {capital} is only {available} on {on}; a member is paid back at most the capital they hold")]
    CapitalReturnExceeds {
        /// The capital return.
        event: crate::EventId,
        /// The member.
        member: crate::MemberId,
        /// The day of the return.
        date: Date,
        /// The amount asked.
        asked: Yuan,
        /// What the return draws on, in words (`the land-share capital of contract C1 not
        /// yet returned`, `the money capital of M1`, …).
        capital: String,
        /// What that capital holds on `on`.
        available: Yuan,
        /// The day it holds least (the return's date or a later one).
        on: Date,
    },
    /// Reserve converted to a member's capital
    /// ([`Event::ReserveConverted`](crate::Event::ReserveConverted)) beyond what it may take:
    /// the member's reserve share held on the conversion's date (what the closes so far
    /// quantified to them, less what was returned or converted already), or what 322
    /// 盈余公积 holds on the date or a later day with postings.
    #[error("reserve conversion {event} of {asked} to {member}'s capital on {date}: {held} is only {available} on {on}; at most the reserve share the member holds, and what 322 holds, is converted to capital")]
    ReserveConversionExceeds {
        /// The conversion.
        event: crate::EventId,
        /// The member.
        member: crate::MemberId,
        /// The day of the conversion.
        date: Date,
        /// The amount asked.
        asked: Yuan,
        /// What the conversion draws on, in words (`the reserve share of M1`, `322 盈余公积`).
        held: String,
        /// What that holds on `on`.
        available: Yuan,
        /// The day it holds least (the conversion's date or a later one).
        on: Date,
    },
    /// A contract's rent re-pointed
    /// ([`Event::ContractChargeChanged`](crate::Event::ContractChargeChanged)) from a day
    /// outside its term.
    #[error("re-pointing the rent of contract {contract} from {from}: the contract runs from {start} to {end}; give a day of its term")]
    ChargeChangeOutsideTerm {
        /// The contract.
        contract: crate::ContractId,
        /// The first day asked for the new account.
        from: Date,
        /// The contract's first day.
        start: Date,
        /// The contract's last day.
        end: Date,
    },
    /// A contract's rent re-pointed
    /// ([`Event::ContractChargeChanged`](crate::Event::ContractChargeChanged)) from a day on
    /// or before the last day whose rent is accrued: that rent is booked to the account
    /// that charged it then, and corrections go forward.
    #[error("re-pointing the rent of contract {contract} from {from}: its rent is accrued through {accrued_through}, booked to the account charging it then; re-point it from {} or later", accrued_through.next_day().map_or_else(|| "a later day".to_string(), |d| d.to_string()))]
    ChargeChangeAccrued {
        /// The contract.
        contract: crate::ContractId,
        /// The first day asked for the new account.
        from: Date,
        /// The last day whose rent is accrued.
        accrued_through: Date,
    },
    /// A contract ended early ([`Event::ContractEnded`](crate::Event::ContractEnded)) that
    /// was ended already.
    #[error("ending contract {contract} on {date}: it was ended already, on {ended} (signed to end on {signed_end}); a contract is ended once")]
    ContractAlreadyEnded {
        /// The contract.
        contract: crate::ContractId,
        /// The last day asked for.
        date: Date,
        /// The last day it was given when ended.
        ended: Date,
        /// The end it was signed with.
        signed_end: Date,
    },
    /// A contract ended early ([`Event::ContractEnded`](crate::Event::ContractEnded)) on a
    /// day outside its term: the new last day must be on or after its start and before its
    /// end.
    #[error("ending contract {contract} on {date}: the contract runs from {start} to {end}; give a new last day from {start} to the day before {end} (a contract ends on {end} without an event)")]
    ContractEndOutsideTerm {
        /// The contract.
        contract: crate::ContractId,
        /// The last day asked for.
        date: Date,
        /// The contract's first day.
        start: Date,
        /// The contract's last day.
        end: Date,
    },
    /// A contract ended early ([`Event::ContractEnded`](crate::Event::ContractEnded)) before
    /// the last day whose rent is accrued: that rent stays booked.
    #[error("ending contract {contract} on {date}: its rent is accrued through {accrued_through}, after that day; end it on {accrued_through} or later, or reverse the accrual of the days after {date} first")]
    ContractEndAccrued {
        /// The contract.
        contract: crate::ContractId,
        /// The last day asked for.
        date: Date,
        /// The last day whose rent is accrued.
        accrued_through: Date,
    },
    /// An account a contract's rent may not be charged to
    /// ([`Event::ContractChargeChanged`](crate::Event::ContractChargeChanged)), by the rule
    /// a contract is signed with: an open cost account, 401 生产成本 or a sub-account of 401
    /// or of 521 经营支出, without sub-accounts of its own.
    #[error("re-pointing the rent of contract {contract} to {account}: {reason}")]
    RentAccountRefused {
        /// The contract.
        contract: crate::ContractId,
        /// The account asked for.
        account: crate::ledger::AccountCode,
        /// Why it may not take rent, and what is expected.
        reason: String,
    },
    /// A contract whose rent would be charged to the operating-expense account of a
    /// greenhouse (`521.<greenhouse>`) on days after the greenhouse was taken out of use
    /// ([`Event::GreenhouseRetired`](crate::Event::GreenhouseRetired)): signed
    /// ([`Event::ContractSigned`](crate::Event::ContractSigned)) or re-pointed
    /// ([`Event::ContractChargeChanged`](crate::Event::ContractChargeChanged)) so.
    #[error("contract {contract} would charge its rent to greenhouse {greenhouse}'s account from {from} through {end}, but the greenhouse was taken out of use after {retired}; charge it to another account")]
    ChargeToRetiredGreenhouse {
        /// The contract.
        contract: crate::ContractId,
        /// The greenhouse whose account was asked for.
        greenhouse: crate::GreenhouseId,
        /// The first day it would be charged.
        from: Date,
        /// The contract's last day.
        end: Date,
        /// The greenhouse's last day in use.
        retired: Date,
    },
    /// A greenhouse taken out of use
    /// ([`Event::GreenhouseRetired`](crate::Event::GreenhouseRetired)) while contracts
    /// still charge their rent to its account (`521.<greenhouse>`) for days after its last
    /// day that are not yet accrued: each is listed with the first and the last such day.
    /// Re-point them first, from that first day, with
    /// [`Event::ContractChargeChanged`](crate::Event::ContractChargeChanged).
    #[error("taking greenhouse {greenhouse} out of use after {date}: {}; re-point them to another account first with a contract_charge_changed event (ContractChargeChanged), from the first of those days", charged_list(contracts))]
    GreenhouseStillCharged {
        /// The greenhouse.
        greenhouse: crate::GreenhouseId,
        /// The last day in use asked for.
        date: Date,
        /// Each contract still charging it, in id order, with the first and the last day
        /// after `date` whose rent, not yet accrued, would be charged to it.
        contracts: Vec<(crate::ContractId, Date, Date)>,
    },
}

/// The contracts of [`PoolError::GreenhouseStillCharged`] in words, the first ten by name.
fn charged_list(contracts: &[(crate::ContractId, Date, Date)]) -> String {
    /// Contracts named in the message; the rest are counted.
    const NAMED: usize = 10;
    let mut text = String::new();
    for (n, (contract, first, last)) in contracts.iter().take(NAMED).enumerate() {
        if n > 0 {
            text.push_str(", ");
        }
        text.push_str(&format!(
            "contract {contract} charges its rent to it from {first} through {last}"
        ));
    }
    if contracts.len() > NAMED {
        text.push_str(&format!(
            " and {} more contracts do",
            contracts.len().saturating_sub(NAMED)
        ));
    }
    text
}

/// What a loan's term asks of its maturity, for [`PoolError::LoanTermMismatch`].
fn loan_term_rule(term: crate::LoanTerm, year_after: Option<Date>) -> String {
    let limit = year_after.map_or_else(
        || "the last day there is".to_string(),
        |date| date.to_string(),
    );
    match term {
        crate::LoanTerm::Short => format!(
            "a short-term loan (201 短期借款) is for a year or less and must mature on or before {limit}; book a longer loan as long-term (231 长期借款)"
        ),
        crate::LoanTerm::Long => format!(
            "a long-term loan (231 长期借款) is for more than a year and must mature after {limit}; book a loan of a year or less as short-term (201 短期借款)"
        ),
    }
}

/// The name of the grain unit other than `unit` (`kg` for `jin`, `jin` for anything else).
fn other_unit(unit: &str) -> &'static str {
    if unit == crate::GrainUnit::Jin.name() {
        crate::GrainUnit::Kg.name()
    } else {
        crate::GrainUnit::Jin.name()
    }
}

#[cfg(test)]
mod tests {
    use super::PoolError;
    use time::macros::date;

    /// A retirement refused for contracts still charging the greenhouse names the first ten
    /// with their days and counts the rest.
    #[test]
    fn contracts_still_charging_a_greenhouse_are_named_up_to_ten() {
        let contracts = |n: usize| -> Vec<(crate::ContractId, time::Date, time::Date)> {
            (1..=n)
                .filter_map(|i| format!("C{i:02}").parse().ok())
                .map(|id| (id, date!(2020 - 01 - 01), date!(2021 - 12 - 31)))
                .collect()
        };
        let error = |n| PoolError::GreenhouseStillCharged {
            greenhouse: "GH01".parse().unwrap_or_else(|e| panic!("{e}")),
            date: date!(2019 - 12 - 31),
            contracts: contracts(n),
        };
        let one = "contract C01 charges its rent to it from 2020-01-01 through 2021-12-31";
        assert_eq!(
            error(1).to_string(),
            format!("taking greenhouse GH01 out of use after 2019-12-31: {one}; re-point them to another account first with a contract_charge_changed event (ContractChargeChanged), from the first of those days")
        );
        let text = error(12).to_string();
        assert!(text.contains("contract C10 charges"), "{text}");
        assert!(!text.contains("C11"), "{text}");
        assert!(
            text.contains("2021-12-31 and 2 more contracts do; re-point them"),
            "{text}"
        );
    }
}
