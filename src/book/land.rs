//! Planning the events of members and land: every check happens here, before anything changes.

use rust_decimal::Decimal;
use time::Date;

use super::{Book, ContractRecord, Event, Plan, Update, MEMBER_ACCOUNTS};
use crate::book::{Accrue, CapitalSource, CashAccount, ParcelPart, SwapCompensation};
use crate::ledger::{AccountCode, Entry, Name, Posting, Side};
use crate::pool::contract::grain_price;
use crate::pool::{amortisation_for_period, gaps, rent_for_period, AreaChange, PoolError};
use crate::{
    Contract, ContractId, ContractKind, Error, EventId, Member, MemberId, MemberKind, Mu, Parcel,
    ParcelId, RentTerms, Result, Rounding, Yuan,
};

impl Plan {
    fn update(update: Update) -> Plan {
        Plan {
            accounts: Vec::new(),
            entries: Vec::new(),
            update,
        }
    }
}

/// A rent accrual of this many contracts or more is planned on two threads (where the machine
/// has two cores): each contract's rent is independent of the others', and planning is about
/// half the work of a county's accrual.
const PARALLEL_ACCRUAL_MIN: usize = 4096;

/// What every entry of one rent accrual shares.
struct AccrualPeriod<'a> {
    /// The accrual event; each entry's id is `event:contract`.
    id: &'a EventId,
    from: Date,
    to: Date,
    /// The entries' date.
    date: Date,
    /// `from~to`, the memo's dates for a contract that runs through the whole period.
    whole_period: String,
}

/// Contracts joined into one block of land by the parcels they share and the unequal swaps
/// between them, with the block's parcels. An unequal swap moves area between contracts, not
/// parcels: the area a contract received lies somewhere on the block's parcels, so the
/// block's contracts together never hold more than its parcels have.
struct SwapBlock<'a> {
    contracts: Vec<&'a ContractRecord>,
    parcels: std::collections::BTreeMap<&'a ParcelId, &'a Parcel>,
    /// Whether an unequal swap joins any of the contracts (without one, each contract holds
    /// its lines, which the parcels' own checks keep within them).
    swapped: bool,
}

/// `code.member`, e.g. `114.M001`.
pub(crate) fn member_account(code: &str, member: &MemberId) -> Result<AccountCode> {
    AccountCode::new(code)?.sub(member.as_str())
}

fn cash(account: CashAccount) -> Result<AccountCode> {
    AccountCode::new(account.code())
}

fn positive(what: impl Fn() -> String, amount: Yuan) -> Result<()> {
    if amount.is_positive() {
        Ok(())
    } else {
        Err(PoolError::BadNumber {
            what: what(),
            expected: "above zero",
            value: amount.to_decimal(),
        }
        .into())
    }
}

fn not_negative(what: impl Fn() -> String, value: Decimal) -> Result<()> {
    if value.is_sign_negative() && !value.is_zero() {
        Err(PoolError::BadNumber {
            what: what(),
            expected: "zero or more",
            value,
        }
        .into())
    } else {
        Ok(())
    }
}

impl Book {
    /// Plans the events of members and land.
    pub(crate) fn plan_land(&self, id: &EventId, event: &Event) -> Result<Plan> {
        match event {
            Event::MemberJoined { member } => self.plan_join(member),
            Event::MemberLeft { member, date } => self.plan_leave(member, *date),
            Event::CapitalContributed {
                member,
                date,
                amount,
                into,
                source,
                premium,
            } => self.plan_capital(id, member, *date, (*amount, *premium), *into, *source),
            Event::ParcelRegistered { parcel } => self.plan_parcel(parcel),
            Event::ParcelSplit {
                parcel,
                date,
                parts,
            } => self.plan_split(parcel, *date, parts),
            Event::ParcelsMerged {
                parcels,
                into,
                date,
            } => self.plan_merge(parcels, into, *date),
            Event::ContractSigned { contract } => self.plan_contract(id, contract),
            Event::ContractChargeChanged {
                contract,
                from,
                charge_to,
            } => self.plan_charge_change(contract, *from, charge_to),
            Event::ContractEnded {
                contract,
                date,
                memo,
            } => self.plan_contract_end(contract, *date, memo),
            Event::GrainPriceRecorded {
                crop,
                unit,
                date,
                price,
            } => {
                crop_name(crop).map_err(|reason| PoolError::NotAllowed {
                    what: format!("price of {crop:?} per {} on {date}", unit.name()),
                    reason: format!("{reason}, as the contracts name it"),
                })?;
                if price.is_sign_negative() || price.is_zero() {
                    return Err(PoolError::BadNumber {
                        what: format!("price of {crop} per {} on {date}", unit.name()),
                        expected: "above zero",
                        value: *price,
                    }
                    .into());
                }
                self.price_unused(crop, *unit, *date, *price)?;
                Ok(Plan::update(Update::Price(
                    (crop.clone(), *unit),
                    *date,
                    *price,
                )))
            }
            Event::RentAccrued {
                from,
                to,
                contracts,
                date,
            } => self.plan_accrual(id, *from, *to, contracts, *date),
            Event::RentPaid {
                member,
                date,
                amount,
                from,
            } => {
                self.active_member(member, *date)?;
                positive(|| format!("rent paid to {member} on {date}"), *amount)?;
                let entry = Entry::new(
                    id.as_str(),
                    *date,
                    format!("支付土地流转费 rent paid to {member}"),
                )
                .debit(member_account("114", member)?, *amount)
                .credit(cash(*from)?, *amount);
                Ok(Plan {
                    accounts: Vec::new(),
                    entries: vec![entry],
                    update: Update::None,
                })
            }
            Event::AreaSwapped {
                date,
                first,
                first_gives,
                second,
                second_gives,
                compensation,
            } => self.plan_swap(
                id,
                *date,
                (first, *first_gives),
                (second, *second_gives),
                compensation.as_ref(),
            ),
            #[allow(unreachable_patterns)]
            _ => Err(PoolError::NotAllowed {
                what: format!("event {id}"),
                reason: "not an event of members and land".into(),
            }
            .into()),
        }
    }

    /// Refuses to change a grain price that rent accrued on or after its date may have used:
    /// the rent booked would no longer follow from the recorded prices (corrections go
    /// forward). A contract in either unit may have used it: a contract in the other unit
    /// reads it, converted, on a day with no price of its own, and a price recorded in a
    /// unit where there was none takes the place of the converted one. Recording the same
    /// price again, or a price no accrual can have read, is allowed.
    fn price_unused(
        &self,
        crop: &str,
        unit: crate::GrainUnit,
        date: Date,
        price: Decimal,
    ) -> Result<()> {
        if self.grain_price(crop, unit, date) == Some(price) {
            return Ok(());
        }
        let recorded = self.price_lookup();
        let with_price = |c: &str, u: crate::GrainUnit, d: Date| {
            if c == crop && u == unit && d == date {
                Some(price)
            } else {
                recorded(c, u, d)
            }
        };
        for read_in in [unit, unit.other()] {
            // The price contracts in `read_in` read that day, before and after; a unit
            // that read none has no accrual that read one.
            let Some(before) = grain_price(crop, read_in, date, &recorded) else {
                continue;
            };
            if grain_price(crop, read_in, date, &with_price) == Some(before) {
                continue;
            }
            let used = self.contracts.values().find(|record| {
                matches!(&record.contract.kind, ContractKind::Transfer {
                    rent: RentTerms::GrainIndexed { crop: c, unit: u, .. },
                } if c == crop && *u == read_in)
                    && record
                        .accrued_through()
                        .is_some_and(|through| through >= date)
            });
            if let Some(record) = used {
                let read = match (before, recorded(crop, read_in, date)) {
                    (Some(own), Some(_)) => {
                        format!("{own} per {} is recorded for that day", read_in.name())
                    }
                    (Some(converted), None) => format!(
                        "{} per {} is read for that day, converted from the price per {},",
                        converted.normalize(),
                        read_in.name(),
                        read_in.other().name()
                    ),
                    (None, _) => format!(
                        "the price per {} recorded for that day is read per {}",
                        read_in.other().name(),
                        read_in.name()
                    ),
                };
                return Err(PoolError::NotAllowed {
                    what: format!("price of {crop} per {} on {date}", unit.name()),
                    reason: format!(
                        "{read} and contract {}'s rent is accrued through {} at the prices recorded; correct it going forward",
                        record.contract.id,
                        record.accrued_through().unwrap_or(date)
                    ),
                }
                .into());
            }
        }
        Ok(())
    }

    /// The member, who must be a member on `date`.
    pub(crate) fn active_member(&self, id: &MemberId, date: Date) -> Result<&Member> {
        let member = self
            .members
            .get(id)
            .ok_or_else(|| PoolError::UnknownMember { member: id.clone() })?;
        if !member.is_member_on(date) {
            return Err(PoolError::NotAMember {
                member: id.clone(),
                date,
                joined: member.joined,
                left: member.left,
            }
            .into());
        }
        Ok(member)
    }

    fn plan_join(&self, member: &Member) -> Result<Plan> {
        if self.members.contains_key(&member.id) {
            return Err(PoolError::DuplicateMember {
                member: member.id.clone(),
            }
            .into());
        }
        if let MemberKind::Household { persons: 0 } = member.kind {
            return Err(PoolError::NoPersons {
                member: member.id.clone(),
            }
            .into());
        }
        if let Some(left) = member.left {
            return Err(PoolError::NotAllowed {
                what: format!("member {} joining with a leave date {left}", member.id),
                reason: "record the leaving as its own event".into(),
            }
            .into());
        }
        // The six accounts' names in one allocation.
        let pieces = MEMBER_ACCOUNTS.map(|(_, name_zh, name_en)| {
            (
                [name_zh, "—", member.name.as_str()],
                [name_en, " — ", member.id.as_str()],
            )
        });
        let names = Name::pairs_of(pieces.each_ref().map(|(zh, en)| (&zh[..], &en[..])));
        let mut accounts = Vec::with_capacity(MEMBER_ACCOUNTS.len());
        for ((code, _, _), (zh, en)) in MEMBER_ACCOUNTS.into_iter().zip(names) {
            accounts.push((member_account(code, &member.id)?, zh, en));
        }
        Ok(Plan {
            accounts,
            entries: Vec::new(),
            update: Update::AddMember(member.clone()),
        })
    }

    fn plan_leave(&self, id: &MemberId, date: Date) -> Result<Plan> {
        if let Some(left) = self.members.get(id).and_then(|m| m.left) {
            return Err(PoolError::AlreadyLeft {
                member: id.clone(),
                date,
                left,
            }
            .into());
        }
        self.active_member(id, date)?;
        for (code, _, _) in MEMBER_ACCOUNTS {
            let account = member_account(code, id)?;
            let balance = self.journal.balance(&account, date)?;
            // Capital may stay in 301 (a credit) when a member leaves: it is paid back to
            // them afterwards (law art. 28), with `Event::CapitalReturned`.
            let capital = code == "301";
            let settled = balance.is_zero() || (capital && balance.is_negative());
            if !settled {
                return Err(PoolError::UnsettledBalance {
                    member: id.clone(),
                    date,
                    account: account.to_string(),
                    balance,
                }
                .into());
            }
            // Nothing may be posted to the member's accounts after the last day of
            // membership: the balance on that day is then the closing balance.
            if let Some(after) = date.next_day() {
                let later = self.journal.movement(&account, after, Date::MAX)?;
                // But for capital paid back with `Event::CapitalReturned`, which a leaver
                // may be after their last day.
                let returned = match capital {
                    true => self.capital_returned_between(id, after, Date::MAX)?,
                    false => Yuan::ZERO,
                };
                if later.debits != returned || !later.credits.is_zero() {
                    return Err(PoolError::PostingsAfterLeaving {
                        member: id.clone(),
                        date,
                        account: account.to_string(),
                        debits: later.debits,
                        credits: later.credits,
                    }
                    .into());
                }
            }
        }
        if let Some(record) = self
            .contracts_of(id)
            .find(|r| r.contract.end > date && !r.area_on(r.contract.end).is_zero())
        {
            return Err(PoolError::ContractStillRunning {
                member: id.clone(),
                date,
                contract: record.contract.id.clone(),
                end: record.contract.end,
            }
            .into());
        }
        // Rent for days of membership must be booked before leaving: booked later, it would
        // post to the member's accounts after their last day, which is refused.
        for record in self.contracts_of(id).filter(|r| r.contract.start <= date) {
            let end = record.contract.end.min(date);
            if let Some((from, to)) = gaps(&record.accrued, record.contract.start, end).next() {
                return Err(PoolError::NotAllowed {
                    what: format!("{id} leaving on {date}"),
                    reason: format!(
                        "the rent of contract {} for {from}~{to} is not accrued; accrue and pay it before the member leaves",
                        record.contract.id
                    ),
                }
                .into());
            }
        }
        Ok(Plan::update(Update::MemberLeft(id.clone(), date)))
    }

    fn plan_capital(
        &self,
        id: &EventId,
        member: &MemberId,
        date: Date,
        (amount, premium): (Yuan, Yuan),
        into: CashAccount,
        source: CapitalSource,
    ) -> Result<Plan> {
        self.active_member(member, date)?;
        positive(
            || format!("capital contributed by {member} on {date}"),
            amount,
        )?;
        // The member's share; what was paid above it goes to 321. A premium below zero is
        // refused before the subtraction, which it could make overflow.
        let share = match premium.is_negative() {
            true => None,
            false => amount.checked_sub(premium).ok(),
        };
        let Some(share) = share.filter(|share| share.is_positive()) else {
            return Err(PoolError::NotAllowed {
                what: format!("capital contributed by {member} on {date}"),
                reason: format!(
                    "the premium {premium} must be zero or more and less than the amount {amount}"
                ),
            }
            .into());
        };
        let mut entry = Entry::new(
            id.as_str(),
            date,
            format!("成员出资 capital contributed by {member}"),
        )
        .debit(cash(into)?, amount)
        .credit(member_account("301", member)?, share);
        if premium.is_positive() {
            entry = entry.credit(AccountCode::new("321")?, premium);
        }
        // One sub-account 301.<member> whatever the source; the register keeps the split.
        let update = match source {
            CapitalSource::PovertyRelief => Update::PovertyRelief(member.clone(), date, share),
            CapitalSource::Other => Update::None,
        };
        Ok(Plan {
            accounts: Vec::new(),
            entries: vec![entry],
            update,
        })
    }

    fn plan_parcel(&self, parcel: &Parcel) -> Result<Plan> {
        if self.parcels.contains_key(&parcel.id) {
            return Err(PoolError::DuplicateParcel {
                parcel: parcel.id.clone(),
            }
            .into());
        }
        self.active_member(&parcel.owner, parcel.registered)?;
        if parcel.area.is_zero() {
            return Err(PoolError::AreaNotPositive {
                what: format!("parcel {}", parcel.id),
                area: parcel.area,
            }
            .into());
        }
        if parcel.retired.is_some() {
            return Err(PoolError::NotAllowed {
                what: format!("parcel {} registered as retired", parcel.id),
                reason: "register it as it is now; splits and merges retire parcels".into(),
            }
            .into());
        }
        Ok(Plan::update(Update::AddParcels(vec![parcel.clone()])))
    }

    /// The parcel, which must exist on `date`.
    fn live_parcel(&self, id: &ParcelId, date: Date) -> Result<&Parcel> {
        let parcel = self
            .parcels
            .get(id)
            .ok_or_else(|| PoolError::UnknownParcel { parcel: id.clone() })?;
        if let Some(retired) = parcel.retired.filter(|retired| date >= *retired) {
            return Err(PoolError::ParcelRetired {
                parcel: id.clone(),
                retired,
                date,
            }
            .into());
        }
        if date < parcel.registered {
            return Err(PoolError::NotAllowed {
                what: format!("parcel {id} on {date}"),
                reason: format!("it was registered on {}", parcel.registered),
            }
            .into());
        }
        Ok(parcel)
    }

    /// The parcel, which a split or merge on `date` may change: it exists on `date` and has
    /// not been split or merged at any date (a change dated before a recorded one would
    /// bring back area the later change already moved).
    fn changeable_parcel(&self, id: &ParcelId, date: Date) -> Result<&Parcel> {
        let parcel = self.live_parcel(id, date)?;
        if let Some(retired) = parcel.retired {
            return Err(PoolError::ParcelRetired {
                parcel: id.clone(),
                retired,
                date,
            }
            .into());
        }
        Ok(parcel)
    }

    /// Refuses a split or merge of a parcel that a contract covers on or after `date`.
    fn not_under_contract(&self, parcel: &ParcelId, date: Date) -> Result<()> {
        for record in self.contracts_on_parcel(parcel) {
            if record.contract.end >= date {
                return Err(PoolError::ParcelUnderContract {
                    parcel: parcel.clone(),
                    contract: record.contract.id.clone(),
                    date,
                }
                .into());
            }
        }
        // Area an unequal swap moved from a contract on it to a contract still running may
        // lie on it: its new parcels would be contracted again, the area counted twice.
        if self.has_unequal_swaps() {
            let block = self.swap_block(None, &[], &[parcel], None);
            if block.swapped {
                if let Some(record) = block.contracts.iter().find(|r| r.contract.end >= date) {
                    return Err(PoolError::ParcelUnderContract {
                        parcel: parcel.clone(),
                        contract: record.contract.id.clone(),
                        date,
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    fn new_parcel_ids_free(&self, ids: impl IntoIterator<Item = ParcelId>) -> Result<()> {
        let mut seen = std::collections::BTreeSet::new();
        for id in ids {
            if self.parcels.contains_key(&id) || !seen.insert(id.clone()) {
                return Err(PoolError::DuplicateParcel { parcel: id }.into());
            }
        }
        Ok(())
    }

    fn plan_split(&self, id: &ParcelId, date: Date, parts: &[ParcelPart]) -> Result<Plan> {
        let parcel = self.changeable_parcel(id, date)?;
        self.not_under_contract(id, date)?;
        if parts.len() < 2 {
            return Err(PoolError::NotAllowed {
                what: format!("split of parcel {id}"),
                reason: "a split needs at least two parts".into(),
            }
            .into());
        }
        self.new_parcel_ids_free(parts.iter().map(|p| p.parcel.clone()))?;
        for part in parts {
            if part.area.is_zero() {
                return Err(PoolError::AreaNotPositive {
                    what: format!("part {} of parcel {id}", part.parcel),
                    area: part.area,
                }
                .into());
            }
        }
        let total = Mu::checked_sum(parts.iter().map(|p| p.area))?;
        if total != parcel.area {
            return Err(PoolError::AreaNotConserved {
                parcel: id.clone(),
                area: parcel.area,
                parts: total,
            }
            .into());
        }
        let new = parts
            .iter()
            .map(|part| Parcel {
                id: part.parcel.clone(),
                area: part.area,
                registered: date,
                retired: None,
                ..parcel.clone()
            })
            .collect();
        Ok(Plan::update(Update::Retire(vec![id.clone()], date, new)))
    }

    fn plan_merge(&self, ids: &[ParcelId], into: &ParcelId, date: Date) -> Result<Plan> {
        if ids.len() < 2 {
            return Err(PoolError::NotAllowed {
                what: format!("merge into parcel {into}"),
                reason: "a merge needs at least two parcels".into(),
            }
            .into());
        }
        self.new_parcel_ids_free([into.clone()])?;
        let mut seen = std::collections::BTreeSet::new();
        let mut first: Option<&Parcel> = None;
        let mut area = Mu::ZERO;
        for id in ids {
            if !seen.insert(id) {
                return Err(PoolError::NotAllowed {
                    what: format!("merge into parcel {into}"),
                    reason: format!("parcel {id} is listed twice"),
                }
                .into());
            }
            let parcel = self.changeable_parcel(id, date)?;
            self.not_under_contract(id, date)?;
            if let Some(head) = first {
                if head.owner != parcel.owner {
                    return Err(PoolError::NotOwner {
                        parcel: id.clone(),
                        owner: parcel.owner.clone(),
                        member: head.owner.clone(),
                    }
                    .into());
                }
            }
            first = first.or(Some(parcel));
            area = area.checked_add(parcel.area)?;
        }
        let Some(head) = first else {
            return Err(PoolError::UnknownParcel {
                parcel: into.clone(),
            }
            .into());
        };
        let merged = Parcel {
            id: into.clone(),
            area,
            registered: date,
            retired: None,
            ..head.clone()
        };
        Ok(Plan::update(Update::Retire(
            ids.to_vec(),
            date,
            vec![merged],
        )))
    }

    fn plan_contract(&self, id: &EventId, contract: &Contract) -> Result<Plan> {
        if self.contracts.contains_key(&contract.id) {
            return Err(PoolError::DuplicateContract {
                contract: contract.id.clone(),
            }
            .into());
        }
        let what = || format!("contract {}", contract.id);
        if contract.end < contract.start {
            return Err(PoolError::DatesReversed {
                what: what(),
                start: contract.start,
                end: contract.end,
            }
            .into());
        }
        let member = self.active_member(&contract.member, contract.start)?;
        // A member who has left settled their contracts then (their leaving checked that
        // none runs on and that every day of them is accrued): a contract backdated into
        // their membership would hold land, and rent, that could never be booked to them.
        if let Some(left) = member.left {
            return Err(PoolError::NotAllowed {
                what: what(),
                reason: format!(
                    "member {} left on {left}, when their contracts were settled; no contract can be signed for them afterwards",
                    contract.member
                ),
            }
            .into());
        }
        // The payment day must be a date in every year of the term; the refusal names the
        // contract it is in. Two years in a row include a common year, so the first two
        // tell (29 February is a date in a leap year only, and no term of two years or more
        // is all leap years).
        let first_years = contract.start.year()
            ..=contract
                .end
                .year()
                .min(contract.start.year().saturating_add(1));
        let mut due = first_years.map(|year| contract.payment.due_date(year));
        if let Some(Err(error)) = due.find(Result::is_err) {
            return Err(match error {
                Error::Pool(PoolError::NotAllowed {
                    what: terms,
                    reason,
                }) => PoolError::NotAllowed {
                    what: format!("{}: {terms}", what()),
                    reason,
                }
                .into(),
                other => other,
            });
        }
        check_terms(contract)?;
        // Rent is a cost of the land: 401 生产成本, or 经营支出 under the policy that books
        // operating costs to 521 directly. Not 521 itself: the first greenhouse opens its
        // cost account under 521, after which nothing can be posted to 521 (and a 521 with
        // postings could take no greenhouse).
        if let Some(reason) = self.rent_account_refusal(&contract.charge_to)? {
            return Err(PoolError::NotAllowed {
                what: what(),
                reason,
            }
            .into());
        }
        self.greenhouse_charged_in_use(
            &contract.id,
            &contract.charge_to,
            contract.start,
            contract.end,
        )?;
        if contract.lines.is_empty() {
            return Err(PoolError::NotAllowed {
                what: what(),
                reason: "a contract needs at least one parcel".into(),
            }
            .into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for line in &contract.lines {
            if !seen.insert(&line.parcel) {
                return Err(PoolError::NotAllowed {
                    what: what(),
                    reason: format!("parcel {} is listed twice", line.parcel),
                }
                .into());
            }
            self.check_line(contract, &line.parcel, line.area)?;
        }
        let area = contract.area()?;
        let mut plan = Plan::update(Update::None);
        let mut capital = Yuan::ZERO;
        if let ContractKind::LandShares {
            shares_per_mu,
            value_per_share,
            ..
        } = &contract.kind
        {
            capital = Yuan::from_product(
                &[
                    area.to_decimal(),
                    *shares_per_mu,
                    value_per_share.to_decimal(),
                ],
                Decimal::ONE,
                Rounding::HalfAwayFromZero,
            )?;
            if capital.is_positive() {
                plan.entries.push(
                    Entry::new(
                        id.as_str(),
                        contract.start,
                        format!(
                            "土地经营权入股 land shares of {} ({})",
                            contract.member, contract.id
                        ),
                    )
                    .debit(AccountCode::new("161")?, capital)
                    .credit(member_account("301", &contract.member)?, capital),
                );
            }
        }
        let record = ContractRecord {
            contract: contract.clone(),
            areas: vec![AreaChange {
                from: contract.start,
                area,
            }],
            accrued: Vec::new(),
            capital,
            rent_booked: Vec::new(),
            amortised_booked: Vec::new(),
            charges: Vec::new(),
            ended: None,
        };
        // The lines fit their parcels; the area unequal swaps moved onto them must fit too.
        if self.has_unequal_swaps() {
            let block = self.swap_block(Some(&record), &[&contract.id], &[], None);
            if block.swapped {
                self.check_swap_block(&what, &block, (contract.start, contract.end), |r, d| {
                    r.area_on(d)
                })?;
            }
        }
        plan.update = Update::AddContract(Box::new(record));
        Ok(plan)
    }

    /// The block of land `contracts` and `parcels` belong to: every contract on their
    /// parcels, every contract those exchanged unequal areas with (and `link`, a swap being
    /// planned), and so on, with all their parcels. `new` is a contract being signed, not
    /// yet in the register.
    fn swap_block<'a>(
        &'a self,
        new: Option<&'a ContractRecord>,
        contracts: &[&'a ContractId],
        parcels: &[&'a ParcelId],
        link: Option<(&'a ContractId, &'a ContractId)>,
    ) -> SwapBlock<'a> {
        let mut block = SwapBlock {
            contracts: Vec::new(),
            parcels: std::collections::BTreeMap::new(),
            swapped: false,
        };
        let mut seen = std::collections::BTreeSet::new();
        let mut queue: Vec<&ContractId> = contracts.to_vec();
        let mut parcel_queue: Vec<&ParcelId> = parcels.to_vec();
        loop {
            while let Some(parcel) = parcel_queue.pop() {
                if block.parcels.contains_key(parcel) {
                    continue;
                }
                let Some(found) = self.parcels.get(parcel) else {
                    continue;
                };
                block.parcels.insert(parcel, found);
                queue.extend(self.contracts_on_parcel(parcel).map(|r| &r.contract.id));
            }
            let Some(id) = queue.pop() else {
                break;
            };
            if !seen.insert(id) {
                continue;
            }
            let record = match new {
                Some(new) if &new.contract.id == id => Some(new),
                _ => self.contracts.get(id),
            };
            let Some(record) = record else {
                continue;
            };
            block.contracts.push(record);
            parcel_queue.extend(record.contract.lines.iter().map(|line| &line.parcel));
            let partners = self.swap_partners_of(id);
            block.swapped |= !partners.is_empty();
            queue.extend(partners);
            if let Some((first, second)) = link {
                let other = if id == first {
                    Some(second)
                } else if id == second {
                    Some(first)
                } else {
                    None
                };
                if let Some(other) = other {
                    block.swapped = true;
                    queue.push(other);
                }
            }
        }
        block
    }

    /// Refuses a change that would have `block`'s contracts hold more area than they have
    /// pooled of its parcels on a day of `from..=to`: of each parcel, the most its lines
    /// held together on one day up to then. `area_on` is each contract's area on a day, the
    /// change made.
    fn check_swap_block(
        &self,
        what: &dyn Fn() -> String,
        block: &SwapBlock<'_>,
        (from, to): (Date, Date),
        area_on: impl Fn(&ContractRecord, Date) -> Mu,
    ) -> Result<()> {
        // The areas held and the land change only on these days.
        let mut days = std::collections::BTreeSet::from([from]);
        for record in &block.contracts {
            days.insert(record.contract.start);
            days.extend(record.contract.end.next_day());
            days.extend(record.areas.iter().map(|change| change.from));
        }
        for parcel in block.parcels.values() {
            days.insert(parcel.registered);
            days.extend(parcel.retired);
        }
        // The land of each parcel the block's contracts have pooled, by their lines, on some
        // day up to the one checked: area a contract received lies on land its partner
        // pooled, not on a part of a parcel no contract ever held.
        let mut pooled: std::collections::BTreeMap<&ParcelId, Mu> =
            block.parcels.keys().map(|id| (*id, Mu::ZERO)).collect();
        for day in days.range(..=to) {
            for (parcel, most) in pooled.iter_mut() {
                let lines = block
                    .contracts
                    .iter()
                    .filter(|r| r.contract.covers(*day))
                    .flat_map(|r| r.contract.lines.iter())
                    .filter(|line| &line.parcel == *parcel)
                    .map(|line| line.area);
                *most = (*most).max(Mu::checked_sum(lines)?);
            }
            if *day < from {
                continue;
            }
            let held = Mu::checked_sum(block.contracts.iter().map(|r| area_on(r, *day)))?;
            let land = Mu::checked_sum(
                block
                    .parcels
                    .iter()
                    .filter(|(_, parcel)| parcel.exists_on(*day))
                    .map(|(id, parcel)| {
                        pooled
                            .get(id)
                            .map_or(parcel.area, |most| parcel.area.min(*most))
                    }),
            )?;
            if held > land {
                let parcels: Vec<&str> = block.parcels.keys().map(|id| id.as_str()).collect();
                return Err(PoolError::SwappedAreaExceedsLand {
                    what: what(),
                    date: *day,
                    parcels: parcels.join(", "),
                    held,
                    land,
                }
                .into());
            }
        }
        Ok(())
    }

    /// Checks one contract line: the parcel exists through the term, belongs to the member,
    /// and has the area free on every overlapping day.
    fn check_line(&self, contract: &Contract, parcel_id: &ParcelId, asked: Mu) -> Result<()> {
        if asked.is_zero() {
            return Err(PoolError::AreaNotPositive {
                what: format!("contract {} on parcel {parcel_id}", contract.id),
                area: asked,
            }
            .into());
        }
        let parcel = self.live_parcel(parcel_id, contract.start)?;
        if let Some(retired) = parcel.retired.filter(|retired| *retired <= contract.end) {
            return Err(PoolError::ParcelRetired {
                parcel: parcel_id.clone(),
                retired,
                date: contract.end,
            }
            .into());
        }
        if parcel.owner != contract.member {
            return Err(PoolError::NotOwner {
                parcel: parcel_id.clone(),
                owner: parcel.owner.clone(),
                member: contract.member.clone(),
            }
            .into());
        }
        // Overlapping contracts on this parcel: the free area is the parcel's less the most
        // they hold together on any one day of the term. Contracts that follow one another
        // (one ending before the next starts) never hold the parcel on the same day, so
        // their areas are not added up.
        let mut changes: Vec<(Date, bool, Mu)> = Vec::new();
        for record in self.contracts_on_parcel(parcel_id) {
            let other = &record.contract;
            if other.start <= contract.end && contract.start <= other.end {
                for line in other.lines.iter().filter(|line| &line.parcel == parcel_id) {
                    changes.push((other.start.max(contract.start), true, line.area));
                    if let Some(after) = other.end.next_day().filter(|_| other.end < contract.end) {
                        changes.push((after, false, line.area));
                    }
                }
            }
        }
        // By day, a release before a take on the same day (`false` sorts first).
        changes.sort_unstable();
        let (mut held, mut taken) = (Mu::ZERO, Mu::ZERO);
        for (_, takes, area) in changes {
            held = if takes {
                held.checked_add(area)?
            } else {
                held.checked_sub(area)?
            };
            taken = taken.max(held);
        }
        let free = parcel.area.checked_sub(taken).unwrap_or(Mu::ZERO);
        if asked > free {
            return Err(PoolError::AreaExceedsParcel {
                contract: contract.id.clone(),
                parcel: parcel_id.clone(),
                asked,
                free,
                area: parcel.area,
                start: contract.start,
                end: contract.end,
            }
            .into());
        }
        Ok(())
    }

    /// Why rent may not be charged to `charged`, by the rule contracts are signed and
    /// re-pointed with; `None` when it may.
    fn rent_account_refusal(&self, charged: &AccountCode) -> Result<Option<String>> {
        if !self.journal.chart().contains(charged) {
            return Ok(Some(format!(
                "rent is charged to {charged}, which is not an open account"
            )));
        }
        let expenses = AccountCode::new("521")?;
        let cost_account = charged.is_within(&AccountCode::new("401")?)
            || (charged.is_within(&expenses) && *charged != expenses);
        if !cost_account || !self.journal.chart().is_leaf(charged) {
            return Ok(Some(format!(
                "rent must be charged to 401 生产成本, or to a sub-account of 401 or of 521 经营支出 (such as 521.RENT, opened with an AccountOpened event) without sub-accounts of its own, not {charged}; 521 itself takes a sub-account for each greenhouse"
            )));
        }
        Ok(None)
    }

    /// The greenhouse whose operating-expense account `521.<greenhouse>` is `account`, if
    /// it is one.
    pub(crate) fn greenhouse_of_account(
        &self,
        account: &AccountCode,
    ) -> Option<&crate::GreenhouseRecord> {
        if account.parent()?.as_str() != "521" {
            return None;
        }
        let id = crate::GreenhouseId::new(account.last_segment()).ok()?;
        self.greenhouse(&id)
    }

    /// Refuses contract `contract` charging its rent to `account` from `from` through its
    /// last day `end` when `account` is a greenhouse's and the greenhouse is taken out of
    /// use before `end`: no cost of a greenhouse falls on a day after its last day in use.
    fn greenhouse_charged_in_use(
        &self,
        contract: &ContractId,
        account: &AccountCode,
        from: Date,
        end: Date,
    ) -> Result<()> {
        let Some(record) = self.greenhouse_of_account(account) else {
            return Ok(());
        };
        let greenhouse = &record.greenhouse;
        match record.retired {
            Some(retired) if retired < end => Err(PoolError::ChargeToRetiredGreenhouse {
                contract: contract.clone(),
                greenhouse: greenhouse.id.clone(),
                from,
                end,
                retired,
            }
            .into()),
            _ => Ok(()),
        }
    }

    /// The contracts that charge their rent to `account` on days after `date` not yet
    /// accrued, in id order, each with the first and the last such day: what stands in the
    /// way of taking the greenhouse whose account it is out of use after `date`. Rent
    /// already accrued for such days stays where it was booked (on or before `date`, or the
    /// retirement is refused for the entry).
    pub(crate) fn contracts_charging_after(
        &self,
        account: &AccountCode,
        date: Date,
    ) -> Vec<(ContractId, Date, Date)> {
        let Some(next) = date.next_day() else {
            return Vec::new();
        };
        let mut charging = Vec::new();
        for record in self.contracts.values() {
            let contract = &record.contract;
            if contract.end < next
                || (contract.charge_to != *account
                    && !record.charges.iter().any(|(_, charged)| charged == account))
            {
                continue;
            }
            let mut days: Option<(Date, Date)> = None;
            for (from, to, _) in record
                .charge_spans(next.max(contract.start), contract.end)
                .into_iter()
                .filter(|span| span.2 == account)
            {
                for (first, last) in gaps(&record.accrued, from, to) {
                    days = Some(days.map_or((first, last), |(a, _)| (a, last)));
                }
            }
            if let Some((first, last)) = days {
                charging.push((contract.id.clone(), first, last));
            }
        }
        charging
    }

    /// Plans ending contract `id` early on `last`, its new last day
    /// ([`Event::ContractEnded`]); the year of `last` is open (checked with every event's
    /// date).
    fn plan_contract_end(&self, id: &ContractId, last: Date, memo: &str) -> Result<Plan> {
        let record = self.known_contract(id)?;
        let contract = &record.contract;
        if let Some(ended) = &record.ended {
            return Err(PoolError::ContractAlreadyEnded {
                contract: id.clone(),
                date: last,
                ended: contract.end,
                signed_end: ended.signed_end,
            }
            .into());
        }
        if last < contract.start || last >= contract.end {
            return Err(PoolError::ContractEndOutsideTerm {
                contract: id.clone(),
                date: last,
                start: contract.start,
                end: contract.end,
            }
            .into());
        }
        if let Some(accrued_through) = record.accrued_through().filter(|day| *day > last) {
            return Err(PoolError::ContractEndAccrued {
                contract: id.clone(),
                date: last,
                accrued_through,
            }
            .into());
        }
        let refused = |reason: String| -> Error {
            PoolError::NotAllowed {
                what: format!("ending contract {id} on {last}"),
                reason,
            }
            .into()
        };
        if matches!(contract.kind, ContractKind::LandShares { .. }) {
            return Err(refused(format!(
                "it is a land-share contract: its capital (161 / 301) and the amortisation of its land-use right follow the term it was signed with, to {}, and ending one early is not supported",
                contract.end
            )));
        }
        if let Some(partner) = self.swap_partners_of(id).first() {
            return Err(refused(format!(
                "it exchanged unequal areas with contract {partner} in a swap: the area it received or gave lies on the other's land, and ending such a contract early is not supported"
            )));
        }
        if let Some(change) = record.areas.iter().find(|change| change.from > last) {
            return Err(refused(format!(
                "a swap changes its area on {}, after that day; end it on or after {} or record the end before the swap",
                change.from,
                change.from
            )));
        }
        self.greenhouses_fit_without(id, last, contract.end, record.area_on(last))?;
        Ok(Plan::update(Update::Ended(
            id.clone(),
            last,
            memo.to_string(),
        )))
    }

    /// Plans re-pointing contract `id`'s rent to `account` from `from` on
    /// ([`Event::ContractChargeChanged`]); the year of `from` is open (checked with every
    /// event's date).
    fn plan_charge_change(
        &self,
        id: &ContractId,
        from: Date,
        account: &AccountCode,
    ) -> Result<Plan> {
        let record = self.known_contract(id)?;
        let contract = &record.contract;
        if from < contract.start || from > contract.end {
            return Err(PoolError::ChargeChangeOutsideTerm {
                contract: id.clone(),
                from,
                start: contract.start,
                end: contract.end,
            }
            .into());
        }
        if let Some(accrued_through) = record.accrued_through().filter(|day| *day >= from) {
            return Err(PoolError::ChargeChangeAccrued {
                contract: id.clone(),
                from,
                accrued_through,
            }
            .into());
        }
        if let Some(reason) = self.rent_account_refusal(account)? {
            return Err(PoolError::RentAccountRefused {
                contract: id.clone(),
                account: account.clone(),
                reason,
            }
            .into());
        }
        if let Some(greenhouse) = self.greenhouse_of_account(account) {
            let built = greenhouse.greenhouse.built;
            if from < built {
                return Err(PoolError::GreenhouseNotBuilt {
                    greenhouse: greenhouse.greenhouse.id.clone(),
                    date: from,
                    built,
                }
                .into());
            }
        }
        self.greenhouse_charged_in_use(id, account, from, contract.end)?;
        let later = record.charges.iter().any(|(day, _)| *day > from);
        if record.charge_on(from) == account && !later {
            return Err(PoolError::NotAllowed {
                what: format!("re-pointing the rent of contract {id} from {from}"),
                reason: format!("it is charged to {account} from that day already"),
            }
            .into());
        }
        Ok(Plan::update(Update::ChargeChanged(
            id.clone(),
            from,
            account.clone(),
        )))
    }

    fn price_lookup(&self) -> impl Fn(&str, crate::GrainUnit, Date) -> Option<Decimal> + '_ {
        move |crop: &str, unit, date| self.grain_price(crop, unit, date)
    }

    fn plan_accrual(
        &self,
        id: &EventId,
        from: Date,
        to: Date,
        which: &Accrue,
        date: Date,
    ) -> Result<Plan> {
        if to < from {
            return Err(PoolError::DatesReversed {
                what: format!("rent accrual {id}"),
                start: from,
                end: to,
            }
            .into());
        }
        let records: Vec<&ContractRecord> = match which {
            Accrue::All => self
                .contracts
                .values()
                .filter(|r| r.contract.start <= to && from <= r.contract.end)
                .collect(),
            Accrue::Contracts(ids) => {
                let mut list = Vec::with_capacity(ids.len());
                let mut seen = std::collections::HashSet::with_capacity(ids.len());
                for contract in ids {
                    if !seen.insert(contract) {
                        return Err(PoolError::NotAllowed {
                            what: format!("rent accrual {id}"),
                            reason: format!(
                                "contract {contract} is listed twice; list each contract once"
                            ),
                        }
                        .into());
                    }
                    list.push(self.known_contract(contract)?);
                }
                list
            }
        };
        let period = AccrualPeriod {
            id,
            from,
            to,
            date,
            whole_period: format!("{from}~{to}"),
        };
        let mut plan = Plan::update(Update::None);
        let mut accrued = Vec::with_capacity(records.len());
        let mut booked = Vec::with_capacity(records.len());
        plan.entries = if records.len() >= PARALLEL_ACCRUAL_MIN
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
        {
            self.plan_accrual_pipelined(&records, &period, (&mut accrued, &mut booked))?
        } else {
            let mut entries = Vec::with_capacity(records.len());
            let mut builder = AccrualEntries::new(&period, self)?;
            let prices = self.price_lookup();
            for record in &records {
                let accrual = accrual_of(record, &period, &prices, |from, to| {
                    accrued.push((record.contract.id.clone(), (from, to)));
                })?;
                entries.extend(builder.entry(record, &accrual, &mut booked)?);
            }
            entries
        };
        plan.update = Update::Accrued(accrued, booked, date);
        Ok(plan)
    }

    /// The entries of a large accrual, in the records' order: a second thread computes the
    /// contracts' rent a chunk at a time while this one builds the entries of the chunks
    /// already computed (about half the work each). The entries, the accrued ranges and the
    /// first error are those of one pass in order. A thread that cannot start, or stops
    /// early, leaves the rest to this one.
    fn plan_accrual_pipelined(
        &self,
        records: &[&ContractRecord],
        period: &AccrualPeriod<'_>,
        (accrued, booked): (&mut Accruals, &mut Vec<Booked>),
    ) -> Result<Vec<Entry>> {
        /// Contracts per chunk: large enough to amortise the hand-over, small enough that
        /// building starts soon.
        const CHUNK: usize = 4096;
        let mut entries = Vec::with_capacity(records.len());
        let mut builder = AccrualEntries::new(period, self)?;
        let prices = self.price_lookup();
        let mut done = 0_usize;
        std::thread::scope(|scope| -> Result<()> {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<ChunkRents>(8);
            let worker = std::thread::Builder::new()
                .name("landpool-accrual".into())
                .spawn_scoped(scope, move || {
                    let prices = self.price_lookup();
                    for chunk in records.chunks(CHUNK) {
                        let rents = chunk_rents(chunk, period, &prices);
                        let failed = rents.error.is_some();
                        // Nobody receives once the builder has stopped.
                        if sender.send(rents).is_err() || failed {
                            break;
                        }
                    }
                });
            if worker.is_ok() {
                for (chunk, rents) in records.chunks(CHUNK).zip(receiver.iter()) {
                    let mut gaps = rents.gaps.iter().peekable();
                    for (index, (record, accrual)) in chunk.iter().zip(rents.amounts).enumerate() {
                        while let Some((_, from, to)) = gaps.next_if(|gap| gap.0 == index) {
                            accrued.push((record.contract.id.clone(), (*from, *to)));
                        }
                        entries.extend(builder.entry(record, &accrual, booked)?);
                    }
                    if let Some(error) = rents.error {
                        return Err(error);
                    }
                    done = done.saturating_add(chunk.len());
                }
            }
            Ok(())
        })?;
        for record in records.get(done..).unwrap_or(&[]) {
            let accrual = accrual_of(record, period, &prices, |from, to| {
                accrued.push((record.contract.id.clone(), (from, to)));
            })?;
            entries.extend(builder.entry(record, &accrual, booked)?);
        }
        Ok(entries)
    }

    fn plan_swap(
        &self,
        id: &EventId,
        date: Date,
        first: (&ContractId, Mu),
        second: (&ContractId, Mu),
        compensation: Option<&SwapCompensation>,
    ) -> Result<Plan> {
        let (first_id, first_gives) = first;
        let (second_id, second_gives) = second;
        let get = |contract: &ContractId| self.known_contract(contract);
        let a = get(first_id)?;
        let b = get(second_id)?;
        let what = || format!("swap {id} on {date}");
        if first_id == second_id {
            return Err(PoolError::NotAllowed {
                what: what(),
                reason: "a swap needs two different contracts".into(),
            }
            .into());
        }
        if first_gives.is_zero() && second_gives.is_zero() {
            return Err(PoolError::AreaNotPositive {
                what: what(),
                area: Mu::ZERO,
            }
            .into());
        }
        for record in [a, b] {
            let contract = &record.contract;
            if !contract.covers(date) {
                return Err(PoolError::OutsideTerm {
                    contract: contract.id.clone(),
                    date,
                    start: contract.start,
                    end: contract.end,
                }
                .into());
            }
            if !matches!(contract.kind, ContractKind::Transfer { .. }) {
                return Err(PoolError::NotAllowed {
                    what: what(),
                    reason: format!("contract {} holds land shares, whose capital follows its area; swap transfer contracts only", contract.id),
                }
                .into());
            }
            if let Some(through) = record.accrued_through().filter(|through| *through >= date) {
                return Err(PoolError::NotAllowed {
                    what: what(),
                    reason: format!("rent of contract {} is accrued through {through}; a swap must be dated after it (corrections go forward)", contract.id),
                }
                .into());
            }
            if record.areas.last().is_some_and(|last| last.from > date) {
                return Err(PoolError::NotAllowed {
                    what: what(),
                    reason: format!("contract {} already has an area change after {date}; record swaps in date order", contract.id),
                }
                .into());
            }
        }
        let new_area = |record: &ContractRecord, gives: Mu, gets: Mu| -> Result<Mu> {
            let holds = record.area_on(date);
            let rest = holds
                .checked_sub(gives)
                .map_err(|_| PoolError::SwapExceedsArea {
                    date,
                    contract: record.contract.id.clone(),
                    holds,
                    gives,
                })?;
            rest.checked_add(gets)
        };
        let a_area = new_area(a, first_gives, second_gives)?;
        let b_area = new_area(b, second_gives, first_gives)?;
        self.check_swapped_pool(&what, date, [(a, a_area), (b, b_area)])?;
        if first_gives != second_gives {
            // The area moved stays with the contract that received it until that contract
            // ends, on the land of the block the swap joins.
            let block = self.swap_block(
                None,
                &[first_id, second_id],
                &[],
                Some((first_id, second_id)),
            );
            let to = a.contract.end.max(b.contract.end);
            self.check_swap_block(&what, &block, (date, to), |record, day| {
                let id = &record.contract.id;
                let swapped = if id == first_id {
                    Some(a_area)
                } else if id == second_id {
                    Some(b_area)
                } else {
                    None
                };
                match swapped {
                    Some(area) if day >= date && record.contract.covers(day) => area,
                    _ => record.area_on(day),
                }
            })?;
        }
        let mut plan = Plan::update(Update::Areas(vec![
            (
                first_id.clone(),
                AreaChange {
                    from: date,
                    area: a_area,
                },
            ),
            (
                second_id.clone(),
                AreaChange {
                    from: date,
                    area: b_area,
                },
            ),
        ]));
        match compensation {
            None if first_gives != second_gives => {
                return Err(PoolError::SwapNotConserved {
                    date,
                    first: first_id.clone(),
                    first_gives,
                    second: second_id.clone(),
                    second_gives,
                }
                .into())
            }
            None => {}
            Some(pay) => {
                positive(|| format!("compensation in {}", what()), pay.amount)?;
                let payee = if pay.payer == a.contract.member {
                    &b.contract.member
                } else if pay.payer == b.contract.member {
                    &a.contract.member
                } else {
                    return Err(PoolError::NotAllowed {
                        what: what(),
                        reason: format!(
                            "the compensation payer must be {} or {}, not {}",
                            a.contract.member, b.contract.member, pay.payer
                        ),
                    }
                    .into());
                };
                self.active_member(&pay.payer, date)?;
                self.active_member(payee, date)?;
                plan.entries.push(
                    Entry::new(
                        id.as_str(),
                        date,
                        format!("土地置换补偿 swap compensation {} → {payee}", pay.payer),
                    )
                    .debit(member_account("114", &pay.payer)?, pay.amount)
                    .credit(member_account("114", payee)?, pay.amount),
                );
            }
        }
        Ok(plan)
    }

    /// An unequal swap changes the land pooled once the first of its two contracts ends
    /// (until then it moves area from one to the other): on every greenhouse's build date
    /// from then on, the greenhouses in use must still fit in the land pooled, as when each
    /// was built ([`Event::GreenhouseBuilt`]). `swapped` holds each contract and its area
    /// from `date`; neither has a change of area after `date` (the swap refuses that).
    fn check_swapped_pool(
        &self,
        what: &dyn Fn() -> String,
        date: Date,
        swapped: [(&ContractRecord, Mu); 2],
    ) -> Result<()> {
        let area = |mu: Mu| i128::from(mu.ten_thousandths());
        // What the swap adds to each contract's area, from `date` while the contract runs.
        let added = swapped
            .map(|(record, new)| (record, area(new).saturating_sub(area(record.area_on(date)))));
        for day in self.greenhouse_build_days(date) {
            let change: i128 = added
                .iter()
                .filter(|(record, _)| record.contract.covers(day))
                .map(|(_, added)| added)
                .sum();
            if change >= 0 {
                continue;
            }
            let (used, pooled) = (self.greenhouse_area(day)?, self.pooled_area(day)?);
            let after = area(pooled).saturating_add(change);
            if area(used) > after {
                let after = u64::try_from(after).map_or(Mu::ZERO, Mu::from_ten_thousandths);
                let built: Vec<String> = self
                    .greenhouses()
                    .filter(|record| record.greenhouse.built == day)
                    .map(|record| record.greenhouse.id.to_string())
                    .collect();
                return Err(PoolError::NotAllowed {
                    what: what(),
                    reason: format!(
                        "on {day}, when greenhouse {} was built, the greenhouses in use cover {used} mu, and the land pooled would fall from {pooled} to {after} mu",
                        built.join(", ")
                    ),
                }
                .into());
            }
        }
        Ok(())
    }
}

/// Why `crop` cannot name a grain-indexed rent's crop, if it cannot: a blank name names none,
/// and one with white space before or after it would never match a price recorded without.
fn crop_name(crop: &str) -> std::result::Result<(), String> {
    if crop.trim().is_empty() {
        Err("name the crop whose price sets the rent".into())
    } else if crop.trim() != crop {
        Err(format!(
            "{crop:?} has white space before or after it; write the crop as {:?}",
            crop.trim()
        ))
    } else {
        Ok(())
    }
}

/// Checks the numbers in a contract's terms.
fn check_terms(contract: &Contract) -> Result<()> {
    let name = |field: &str| format!("contract {}: {field}", contract.id);
    let at_least_one_year = |field: &str, years: u32| -> Result<()> {
        if years == 0 {
            Err(PoolError::BadNumber {
                what: name(field),
                expected: "at least one",
                value: Decimal::ZERO,
            }
            .into())
        } else {
            Ok(())
        }
    };
    match &contract.kind {
        ContractKind::Transfer { rent } => match rent {
            RentTerms::Fixed { yuan_per_mu } => {
                not_negative(|| name("yuan per mu"), *yuan_per_mu)?;
                crate::pool::contract::rate_places(|| name("yuan per mu"), &[*yuan_per_mu])
            }
            RentTerms::Stepped {
                yuan_per_mu,
                step_percent,
                every_years,
            } => {
                not_negative(|| name("yuan per mu"), *yuan_per_mu)?;
                crate::pool::contract::rate_places(|| name("yuan per mu"), &[*yuan_per_mu])?;
                not_negative(|| name("step percent"), *step_percent)?;
                at_least_one_year("years between steps", *every_years)
            }
            RentTerms::GrainIndexed {
                quantity_per_mu,
                reset_every_years,
                crop,
                ..
            } => {
                not_negative(|| name("quantity per mu"), *quantity_per_mu)?;
                crate::pool::contract::rate_places(
                    || name("quantity per mu"),
                    &[*quantity_per_mu],
                )?;
                crop_name(crop).map_err(|reason| PoolError::NotAllowed {
                    what: name("crop"),
                    reason: format!("{reason}, as its grain prices are recorded"),
                })?;
                at_least_one_year("years a price holds", *reset_every_years)
            }
        },
        ContractKind::LandShares {
            shares_per_mu,
            value_per_share,
            guaranteed_per_share,
        } => {
            if shares_per_mu.is_sign_negative() || shares_per_mu.is_zero() {
                return Err(PoolError::BadNumber {
                    what: name("shares per mu"),
                    expected: "above zero",
                    value: *shares_per_mu,
                }
                .into());
            }
            not_negative(|| name("value per share"), value_per_share.to_decimal())?;
            not_negative(
                || name("guaranteed payment per share"),
                *guaranteed_per_share,
            )?;
            crate::pool::contract::rate_places(
                || name("shares per mu × guaranteed payment per share"),
                &[*shares_per_mu, *guaranteed_per_share],
            )
        }
    }
}

/// One contract's part of an accrual: its rent and amortisation for the days not yet
/// accrued, and, for a contract re-pointed ([`Event::ContractChargeChanged`]), the same
/// split into runs of days charged to one account.
struct Accrual {
    rent: Yuan,
    amortised: Yuan,
    /// Each run's first day, rent and amortisation, in date order; empty for a contract
    /// never re-pointed (its own `charge_to` takes every day). The runs' amounts add up to
    /// `rent` and `amortised` exactly: each is `C(to) − C(from − 1)` of its days.
    split: Vec<(Date, Yuan, Yuan)>,
}

/// The rent and the amortisation of `record`'s contract for the days of `period` not yet
/// accrued; `gap` is given each such range of days.
fn accrual_of(
    record: &ContractRecord,
    period: &AccrualPeriod<'_>,
    prices: &crate::pool::GrainPrices<'_>,
    mut gap: impl FnMut(Date, Date),
) -> Result<Accrual> {
    let contract = &record.contract;
    let start = period.from.max(contract.start);
    let end = period.to.min(contract.end);
    let mut accrual = Accrual {
        rent: Yuan::ZERO,
        amortised: Yuan::ZERO,
        split: Vec::new(),
    };
    if start > end {
        return Ok(accrual);
    }
    let amortise = |from: Date, to: Date| -> Result<Yuan> {
        if record.capital.is_zero() {
            Ok(Yuan::ZERO)
        } else {
            amortisation_for_period(contract, record.capital, from, to)
        }
    };
    for (gap_from, gap_to) in gaps(&record.accrued, start, end) {
        if record.charges.is_empty() {
            accrual.rent = accrual.rent.checked_add(rent_for_period(
                contract,
                &record.areas,
                gap_from,
                gap_to,
                prices,
            )?)?;
            accrual.amortised = accrual.amortised.checked_add(amortise(gap_from, gap_to)?)?;
        } else {
            for (from, to, _) in record.charge_spans(gap_from, gap_to) {
                let rent = rent_for_period(contract, &record.areas, from, to, prices)?;
                let amortised = amortise(from, to)?;
                accrual.rent = accrual.rent.checked_add(rent)?;
                accrual.amortised = accrual.amortised.checked_add(amortised)?;
                accrual.split.push((from, rent, amortised));
            }
        }
        gap(gap_from, gap_to);
    }
    Ok(accrual)
}

/// Days accrued, by contract.
type Accruals = Vec<(ContractId, (Date, Date))>;

/// A contract's rent credited to its member and amortisation credited to 162 in an
/// accrual's entry (either may be zero, not both).
type Booked = (ContractId, (Yuan, Yuan));

/// What a second thread computes for a chunk of an accrual's contracts: each contract's
/// rent and amortisation, the ranges of days accrued (with the contract's index in the chunk),
/// and the error that stopped it, if one did (the amounts before it are kept, so that the
/// entries of the contracts before it are built and checked first, as in one pass).
struct ChunkRents {
    amounts: Vec<Accrual>,
    gaps: Vec<(usize, Date, Date)>,
    error: Option<Error>,
}

fn chunk_rents(
    chunk: &[&ContractRecord],
    period: &AccrualPeriod<'_>,
    prices: &crate::pool::GrainPrices<'_>,
) -> ChunkRents {
    let mut rents = ChunkRents {
        amounts: Vec::with_capacity(chunk.len()),
        gaps: Vec::with_capacity(chunk.len()),
        error: None,
    };
    for (index, record) in chunk.iter().enumerate() {
        let gaps = &mut rents.gaps;
        match accrual_of(record, period, prices, |from, to| {
            gaps.push((index, from, to));
        }) {
            Ok(amounts) => rents.amounts.push(amounts),
            Err(error) => {
                rents.error = Some(error);
                break;
            }
        }
    }
    rents
}

/// Builds the entries of one accrual, keeping the member's 114 sub-account while the next
/// contract is the same member's.
struct AccrualEntries<'p, 'r> {
    period: &'p AccrualPeriod<'p>,
    /// The book, for the members' joining dates.
    book: &'r Book,
    current: AccountCode,
    member_current: Option<(&'r MemberId, AccountCode)>,
}

impl<'p, 'r> AccrualEntries<'p, 'r> {
    fn new(period: &'p AccrualPeriod<'p>, book: &'r Book) -> Result<Self> {
        Ok(AccrualEntries {
            period,
            book,
            current: AccountCode::new("114")?,
            member_current: None,
        })
    }

    /// Refuses rent credited to `contract`'s member on a day before they joined: their
    /// account takes nothing then (as a payment, capital or work then is refused). Only an
    /// entry dated before the contract's start can be, the member having joined by then.
    fn member_joined(&self, contract: &crate::Contract) -> Result<()> {
        let date = self.period.date;
        if date >= contract.start {
            return Ok(());
        }
        let joined = self.book.members.get(&contract.member).map(|m| m.joined);
        match joined {
            Some(joined) if joined > date => Err(PoolError::NotAllowed {
                what: format!("rent accrual {} dated {date}", self.period.id),
                reason: format!(
                    "it credits the rent of contract {} to {}, who joined on {joined}; a member's account takes nothing before they join: date the accrual on or after that day, or accrue the contract on its own",
                    contract.id, contract.member
                ),
            }
            .into()),
            _ => Ok(()),
        }
    }

    /// The entry of `record`'s `accrual`, its rent and amortised capital (none when both
    /// are zero), each debited to the account charging the contract on its days; the rent
    /// credited to the member and the amortisation credited to 162 are listed in `booked`.
    fn entry(
        &mut self,
        record: &'r ContractRecord,
        accrual: &Accrual,
        booked: &mut Vec<Booked>,
    ) -> Result<Option<Entry>> {
        let (rent, amortised) = (accrual.rent, accrual.amortised);
        if rent.is_zero() && amortised.is_zero() {
            return Ok(None);
        }
        let period = self.period;
        let contract = &record.contract;
        let start = period.from.max(contract.start);
        let end = period.to.min(contract.end);
        let kind = match contract.kind {
            ContractKind::Transfer { .. } => "土地流转费 rent ",
            ContractKind::LandShares { .. } => "入股保底及摊销 land shares ",
        };
        // `kind contract from~to`, the dates written once for the whole period.
        let mut memo = String::with_capacity(
            kind.len()
                .saturating_add(contract.id.as_str().len())
                .saturating_add(period.whole_period.len())
                .saturating_add(1),
        );
        memo.push_str(kind);
        memo.push_str(contract.id.as_str());
        memo.push(' ');
        if (start, end) == (period.from, period.to) {
            memo.push_str(&period.whole_period);
        } else {
            push_date(&mut memo, start);
            memo.push('~');
            push_date(&mut memo, end);
        }
        let entry_id = [period.id.as_str(), ":", contract.id.as_str()].concat();
        let mut postings = Vec::with_capacity(if amortised.is_positive() { 4 } else { 2 });
        if rent.is_positive() {
            self.member_joined(contract)?;
            let to_member = match &self.member_current {
                Some((member, code)) if *member == &contract.member => code.clone(),
                _ => {
                    let code = self.current.sub(contract.member.as_str())?;
                    self.member_current = Some((&contract.member, code.clone()));
                    code
                }
            };
            charge(record, accrual, |split| split.1, &mut postings, rent)?;
            postings.push(Posting {
                account: to_member,
                side: Side::Credit,
                amount: rent,
            });
        }
        if amortised.is_positive() {
            charge(record, accrual, |split| split.2, &mut postings, amortised)?;
            postings.push(Posting {
                account: AccountCode::new("162")?,
                side: Side::Credit,
                amount: amortised,
            });
        }
        booked.push((contract.id.clone(), (rent, amortised)));
        let mut entry = Entry::new(entry_id, period.date, memo);
        entry.postings = postings;
        Ok(Some(entry))
    }
}

/// Debits `total` (the accrual's rent, or its amortisation: `part` of each run) to the
/// accounts charging `record`'s contract: its own `charge_to` for a contract never
/// re-pointed, else each run's part to the account charging it (one posting an account,
/// in the order the accounts first charge, none for a part of zero).
fn charge(
    record: &ContractRecord,
    accrual: &Accrual,
    part: impl Fn(&(Date, Yuan, Yuan)) -> Yuan,
    postings: &mut Vec<Posting>,
    total: Yuan,
) -> Result<()> {
    if accrual.split.is_empty() {
        postings.push(Posting {
            account: record.contract.charge_to.clone(),
            side: Side::Debit,
            amount: total,
        });
        return Ok(());
    }
    let first = postings.len();
    for run in &accrual.split {
        let amount = part(run);
        if amount.is_zero() {
            continue;
        }
        let account = record.charge_on(run.0);
        match postings
            .get_mut(first..)
            .and_then(|ours| ours.iter_mut().find(|p| p.account == *account))
        {
            Some(posting) => posting.amount = posting.amount.checked_add(amount)?,
            None => postings.push(Posting {
                account: account.clone(),
                side: Side::Debit,
                amount,
            }),
        }
    }
    Ok(())
}

/// Writes `date` as `Display` does (`YYYY-MM-DD`), by hand for the years 0-9999 (the
/// formatting machinery costs more than the rest of an accrual entry's memo).
fn push_date(out: &mut String, date: Date) {
    use std::fmt::Write;
    let year = date.year();
    if !(0..=9999).contains(&year) {
        // Writing to a String cannot fail.
        let _ = write!(out, "{date}");
        return;
    }
    let digit = |n: u32| char::from_digit(n % 10, 10).unwrap_or('0');
    let year = year.unsigned_abs();
    let (month, day) = (u32::from(u8::from(date.month())), u32::from(date.day()));
    for n in [year / 1000, year / 100, year / 10, year] {
        out.push(digit(n));
    }
    out.push('-');
    out.push(digit(month / 10));
    out.push(digit(month));
    out.push('-');
    out.push(digit(day / 10));
    out.push(digit(day));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo's dates read as `Date`'s own `Display` writes them, in and out of 0-9999.
    #[test]
    fn dates_written_as_display_writes_them() {
        let mut dates = vec![Date::MIN, Date::MAX];
        let mut day = Date::from_calendar_date(-1, time::Month::December, 25).unwrap_or(Date::MIN);
        for _ in 0..800 {
            dates.push(day);
            day = day.next_day().unwrap_or(Date::MAX);
        }
        for year in [0, 9, 10, 99, 100, 999, 1000, 2019, 9999, 10_000] {
            for (month, d) in [(time::Month::January, 1), (time::Month::December, 31)] {
                dates.extend(Date::from_calendar_date(year, month, d).ok());
            }
        }
        for date in dates {
            let mut written = String::new();
            push_date(&mut written, date);
            assert_eq!(written, date.to_string());
        }
    }
}
