//! Planning greenhouses, depreciation, harvests, sales and costs.

use std::ops::Bound;

use rust_decimal::Decimal;
use time::{Date, Month};

use super::{
    cash, expense_account, least_balance_from, name, positive, positive_decimal, OperationsUpdate,
    MAX_TEXT_BYTES,
};
use crate::book::{Book, Plan};
use crate::ledger::{AccountCode, Entry, Name};
use crate::pool::PoolError;
use crate::{
    allocate, parallel, CashAccount, CostKind, CostPayment, CostTarget, EventId, Greenhouse,
    GreenhouseId, GreenhouseRecord, Harvest, Mu, Result, Sale, SalePayment, Yuan,
};

/// The longest useful life a greenhouse may be given, in months (100 years).
const MAX_LIFE_MONTHS: u32 = 1200;

/// Months since year 0: the month's position on a line, for differences between months.
// |year| < 2^31, so year × 12 + 12 fits an i64 many times over.
#[allow(clippy::arithmetic_side_effects)]
pub(super) fn month_number(year: i32, month: Month) -> i64 {
    i64::from(year) * 12 + i64::from(u8::from(month)) - 1
}

impl Book {
    pub(super) fn plan_greenhouse(
        &self,
        id: &EventId,
        greenhouse: &Greenhouse,
        paid_from: CostPayment,
    ) -> Result<Plan> {
        let gh = &greenhouse.id;
        if self.operations.greenhouses.contains_key(gh) {
            return Err(PoolError::DuplicateGreenhouse {
                greenhouse: gh.clone(),
            }
            .into());
        }
        let what = |field: &str| format!("greenhouse {gh}: {field}");
        name(|| what("name"), &greenhouse.name, MAX_TEXT_BYTES)?;
        if greenhouse.area.is_zero() {
            return Err(PoolError::AreaNotPositive {
                what: format!("greenhouse {gh}"),
                area: greenhouse.area,
            }
            .into());
        }
        positive(|| what("construction cost"), greenhouse.cost)?;
        check_residual(
            || what("residual value"),
            greenhouse.residual,
            greenhouse.cost,
            "from zero to the construction cost",
        )?;
        check_life_months(|| what("useful life in months"), greenhouse.life_months)?;
        self.check_greenhouse_area(greenhouse)?;
        let account = expense_account(gh)?;
        let of = || format!("greenhouse {gh}");
        self.own_account_takes_postings(&account, of)?;
        let revenue = AccountCode::new("501")?.sub(greenhouse.crop.as_str())?;
        self.own_account_takes_postings(&revenue, of)?;
        let (name, number) = (greenhouse.name.as_str(), gh.as_str());
        let (name_zh, name_en) = Name::pair_of(
            &["经营支出—", name],
            &["operating expenses — greenhouse ", number],
        );
        let accounts = vec![(account.clone(), name_zh, name_en)];
        let entry = Entry::new(
            id.as_str(),
            greenhouse.built,
            ["大棚建成 greenhouse ", number, " built (", name, ")"].concat(),
        )
        .debit(AccountCode::new("151")?, greenhouse.cost)
        .credit(AccountCode::new(paid_from.code())?, greenhouse.cost);
        Ok(Plan::operations(
            accounts,
            vec![entry],
            OperationsUpdate::AddGreenhouse(Box::new(greenhouse.clone()), account),
        ))
    }

    /// The greenhouses in use on the new one's build date, and on every later build date,
    /// must fit in the pooled land of that date. One walk forward from the build date over
    /// the dates on which greenhouse area or pooled area changes.
    fn check_greenhouse_area(&self, new: &Greenhouse) -> Result<()> {
        let mut used = self.greenhouse_area(new.built)?.checked_add(new.area)?;
        let mut pooled = self.pooled_area(new.built)?;
        let check = |date: Date, used: Mu, pooled: Mu| -> Result<()> {
            if used > pooled {
                return Err(PoolError::GreenhouseAreaExceedsPool {
                    greenhouse: new.id.clone(),
                    date,
                    asked: new.area,
                    used: used.checked_sub(new.area)?,
                    pooled,
                }
                .into());
            }
            Ok(())
        };
        check(new.built, used, pooled)?;
        let mut since = new.built;
        let later = (Bound::Excluded(new.built), Bound::Unbounded);
        for (&date, &added) in self.operations.greenhouse_area_added.range(later) {
            // Greenhouses taken out of use since the last date free their area.
            let removed = Mu::checked_sum(
                self.operations
                    .greenhouse_area_removed
                    .range((Bound::Excluded(since), Bound::Included(date)))
                    .map(|(_, area)| Mu::from_ten_thousandths(*area)),
            )?;
            used = used
                .checked_add(Mu::from_ten_thousandths(added))?
                .checked_sub(removed)?;
            let changes: i128 = self
                .pooled_changes
                .range((Bound::Excluded(since), Bound::Included(date)))
                .map(|(_, change)| *change)
                .sum();
            pooled = u64::try_from(i128::from(pooled.ten_thousandths()).saturating_add(changes))
                .map(Mu::from_ten_thousandths)
                .map_err(|_| crate::Error::Overflow {
                    operation: format!("pooled area on {date}"),
                })?;
            check(date, used, pooled)?;
            since = date;
        }
        Ok(())
    }

    /// Refuses ending contract `contract` early on `last` (signed to end on `signed_end`,
    /// holding `area` then) when the greenhouses in use on the next day, or on a later build
    /// date up to its signed end, would no longer fit in the land pooled that day.
    pub(in crate::book) fn greenhouses_fit_without(
        &self,
        contract: &crate::ContractId,
        last: Date,
        signed_end: Date,
        area: Mu,
    ) -> Result<()> {
        let Some(next) = last.next_day() else {
            return Ok(());
        };
        let later = (Bound::Excluded(next), Bound::Included(signed_end));
        let days = std::iter::once(next).chain(
            self.operations
                .greenhouse_area_added
                .range(later)
                .map(|(day, _)| *day),
        );
        for day in days {
            let used = self.greenhouse_area(day)?;
            let pooled = self.pooled_area(day)?;
            let left = pooled.checked_sub(area).unwrap_or(Mu::ZERO);
            if used > left {
                return Err(PoolError::NotAllowed {
                    what: format!("ending contract {contract} on {last}"),
                    reason: format!(
                        "on {day} the greenhouses in use cover {used} mu, more than the {left} mu the pool would hold without the contract's {area} mu; take greenhouses out of use first, or end the contract later"
                    ),
                }
                .into());
            }
        }
        Ok(())
    }

    pub(super) fn plan_depreciation(&self, id: &EventId, year: i32, month: u8) -> Result<Plan> {
        self.plan_depreciation_sharing(id, year, month, PARALLEL_DEPRECIATION_MIN)
    }

    /// [`Book::plan_depreciation`], the greenhouses shared with a second thread when there
    /// are at least `parallel_min` in use.
    fn plan_depreciation_sharing(
        &self,
        id: &EventId,
        year: i32,
        month: u8,
        parallel_min: usize,
    ) -> Result<Plan> {
        let month = Month::try_from(month).map_err(|_| PoolError::BadNumber {
            what: format!("depreciation {id}: month"),
            expected: "from 1 to 12",
            value: Decimal::from(month),
        })?;
        let first = Date::from_calendar_date(year, month, 1).map_err(|_| PoolError::BadNumber {
            what: format!("depreciation {id}: year"),
            expected: "a year the calendar holds",
            value: Decimal::from(year),
        })?;
        let last = first
            .replace_day(first.month().length(year))
            .unwrap_or(first);
        let target = month_number(year, month);
        // A greenhouse taken out of use was depreciated through its last month then.
        let records: Vec<&GreenhouseRecord> = self
            .greenhouses()
            .filter(|record| record.retired.is_none())
            .collect();
        // Each greenhouse's charge depends on its own record only: a county's greenhouses
        // are shared between this thread and a second one.
        let ((mut entries, mut charges), rest) =
            parallel::in_halves(&records, parallel_min, |part, _| {
                depreciation_of(part, id, target, last)
            })?;
        if let Some((more_entries, more_charges)) = rest {
            entries.extend(more_entries);
            charges.extend(more_charges);
        }
        let (asset_entries, asset_charges) = self.asset_depreciation(id, target, last)?;
        entries.extend(asset_entries);
        Ok(Plan::operations(
            Vec::new(),
            entries,
            OperationsUpdate::Depreciated(year, charges, asset_charges),
        ))
    }

    /// Plans taking a greenhouse out of use after `date`, through 154 固定资产清理.
    pub(super) fn plan_retirement(
        &self,
        id: &EventId,
        gh: &GreenhouseId,
        date: Date,
        proceeds: Yuan,
        into: CashAccount,
    ) -> Result<Plan> {
        let record = self.greenhouse_on(gh, date)?;
        let what = format!("taking greenhouse {gh} out of use after {date}");
        let refuse = |reason: String| -> crate::Error {
            PoolError::NotAllowed {
                what: what.clone(),
                reason,
            }
            .into()
        };
        check_retirement(&what, record.retired, proceeds)?;
        if let Some(harvest) = record.harvests.iter().find(|h| h.date > date) {
            return Err(refuse(format!(
                "a harvest is recorded on {}, after it",
                harvest.date
            )));
        }
        self.no_asset_serves(gh, date)?;
        let costs = expense_account(gh)?;
        let charging = self.contracts_charging_after(&costs, date);
        if !charging.is_empty() {
            return Err(PoolError::GreenhouseStillCharged {
                greenhouse: gh.clone(),
                date,
                contracts: charging,
            }
            .into());
        }
        if let Some(next) = date.next_day() {
            let later = self.journal.movement(&costs, next, Date::MAX)?;
            // Work recorded after `date`, paid or not, shows the greenhouse in use then (a
            // timesheet booked after the retirement is refused for it). Pay for work done on
            // or before `date` may be booked after it (such a timesheet is accepted after
            // the retirement): it is no sign of use after `date`, whichever of the two is
            // booked first.
            // The labour register keeps each timesheet's date and each record's greenhouse
            // by number: only the records of timesheets dated after `date` are read.
            let ops = &self.operations;
            let (pay, worked_after) = match ops
                .greenhouse_ids
                .number(gh)
                .and_then(|n| u32::try_from(n).ok())
            {
                Some(task) => ops.labour.booked_after(task, date)?,
                None => (Yuan::ZERO, None),
            };
            if let Some(worked) = worked_after {
                return Err(refuse(format!(
                    "work in it is recorded on {worked}, after it"
                )));
            }
            if later.debits != pay || !later.credits.is_zero() {
                return Err(refuse(format!(
                    "{costs} takes entries dated after it (depreciation of a later month, a cost, or pay for work after it): take a greenhouse out of use on or after the last day anything is booked to it"
                )));
            }
        }
        let greenhouse = &record.greenhouse;
        // The month of `date` is depreciated (当月减少当月照提); the build month is not.
        let used = month_number(date.year(), date.month())
            .checked_sub(month_number(
                greenhouse.built.year(),
                greenhouse.built.month(),
            ))
            .unwrap_or(0);
        let through = u32::try_from(used.clamp(0, i64::from(greenhouse.life_months)))
            .unwrap_or(0)
            .max(record.depreciated_months);
        let accumulated = greenhouse.cumulative_depreciation(through)?;
        let charge = accumulated.checked_sub(record.depreciated)?;
        let reserve = AccountCode::new("152")?;
        let mut entries = Vec::new();
        if charge.is_positive() {
            entries.push(
                Entry::new(
                    format!("{id}:depreciation"),
                    date,
                    format!(
                        "计提折旧 depreciation of greenhouse {gh}, months {}~{through} of {}, taken out of use",
                        record.depreciated_months.saturating_add(1),
                        greenhouse.life_months
                    ),
                )
                .debit(costs, charge)
                .credit(reserve, charge),
            );
        }
        entries.extend(clear_through_154(
            id,
            date,
            &Cleared {
                what: &format!("greenhouse {gh}"),
                proceeds_memo: &format!("残料变价收入 what greenhouse {gh}'s remains fetch"),
                cost: greenhouse.cost,
                accumulated,
                proceeds,
                into,
            },
        )?);
        Ok(Plan::operations(
            Vec::new(),
            entries,
            OperationsUpdate::Retired(gh.clone(), date, through, charge),
        ))
    }

    pub(super) fn plan_harvest(
        &self,
        greenhouse: &GreenhouseId,
        date: Date,
        kg: Decimal,
        grade: &str,
    ) -> Result<Plan> {
        let record = self.greenhouse_in_use(greenhouse, date)?;
        positive_decimal(|| format!("harvest of {greenhouse} on {date}: kg"), kg)?;
        // The greenhouse's stock (harvested less sold), its kilograms per mu and the sums over
        // every greenhouse in the results reports must stay computable: a harvest that
        // would make them overflow is refused rather than block every later sale.
        let overflow = |what: &str| crate::Error::Overflow {
            operation: format!("{what}, with the harvest of {kg} kg from {greenhouse} on {date}"),
        };
        // Every harvest is above zero, so a greenhouse's kilograms are at most every
        // greenhouse's: the book's total (kept as harvests are applied) bounds both, and its
        // quotient by this greenhouse's area bounds the kilograms per mu, without summing the
        // greenhouse's harvests again for each new one.
        let total = self
            .operations
            .harvested_kg
            .checked_add(kg)
            .ok_or_else(|| overflow("the kilograms harvested from every greenhouse"))?;
        total
            .checked_div(record.greenhouse.area.to_decimal())
            .ok_or_else(|| overflow("the kilograms harvested per mu of the greenhouse"))?;
        if grade.len() > MAX_TEXT_BYTES {
            return Err(PoolError::NotAllowed {
                what: format!("harvest of {greenhouse} on {date}: grade"),
                reason: format!("a grade has at most {MAX_TEXT_BYTES} bytes"),
            }
            .into());
        }
        Ok(Plan::operations(
            Vec::new(),
            Vec::new(),
            OperationsUpdate::Harvest(
                greenhouse.clone(),
                Harvest {
                    date,
                    kg,
                    grade: grade.to_string().into(),
                },
            ),
        ))
    }

    pub(super) fn plan_sale(
        &self,
        id: &EventId,
        greenhouse: &GreenhouseId,
        mut sale: Sale,
    ) -> Result<Plan> {
        let date = sale.date;
        let record = self.greenhouse_on(greenhouse, date)?;
        let what = |field: &str| format!("sale {id} from {greenhouse} on {date}: {field}");
        positive_decimal(|| what("kg"), sale.kg)?;
        positive_decimal(|| what("price per kg"), sale.price_per_kg)?;
        name(|| what("buyer"), &sale.buyer, MAX_TEXT_BYTES)?;
        sale.amount = crate::pool::product_half_away(sale.kg, sale.price_per_kg)?;
        positive(|| what("amount (kg × price, to the fen)"), sale.amount)?;
        let overflow = || crate::Error::Overflow {
            operation: format!("kilograms of greenhouse {greenhouse}"),
        };
        let harvested = record.harvests.iter().map(|h| (h.date, h.kg));
        // Negating a `Decimal` only flips its sign bit: it cannot overflow.
        #[allow(clippy::arithmetic_side_effects)]
        let sold = record
            .sales
            .iter()
            .map(|s| (s.date, -s.kg))
            .chain([(date, -sale.kg)]);
        let (least, on) = least_balance_from(
            harvested.chain(sold),
            date,
            Decimal::ZERO,
            Decimal::checked_add,
        )
        .ok_or_else(overflow)?;
        if least < Decimal::ZERO {
            return Err(PoolError::SaleExceedsHarvest {
                greenhouse: greenhouse.clone(),
                date,
                asked: sale.kg,
                available: least.checked_add(sale.kg).ok_or_else(overflow)?,
                on,
            }
            .into());
        }
        let crop = &record.greenhouse.crop;
        let revenue = AccountCode::new("501")?.sub(crop.as_str())?;
        let mut accounts = Vec::new();
        if !self.journal.chart().contains(&revenue) {
            let (name_zh, name_en) = Name::pair_of(
                &["经营收入—", crop.as_str()],
                &["operating revenue — ", crop.as_str()],
            );
            accounts.push((revenue.clone(), name_zh, name_en));
        }
        let entry = Entry::new(
            id.as_str(),
            date,
            format!(
                "销售{crop} sale of {} kg × {} from {greenhouse} to {}",
                sale.kg, sale.price_per_kg, sale.buyer
            ),
        )
        .debit(AccountCode::new(sale.payment.code())?, sale.amount)
        .credit(revenue, sale.amount);
        Ok(Plan::operations(
            accounts,
            vec![entry],
            OperationsUpdate::Sale(greenhouse.clone(), Box::new(sale)),
        ))
    }

    pub(super) fn plan_collection(
        &self,
        id: &EventId,
        buyer: &str,
        date: Date,
        amount: Yuan,
        into: CashAccount,
    ) -> Result<Plan> {
        positive(|| format!("collection {id} from {buyer}"), amount)?;
        let (least, on) = self.least_receivable_from(buyer, date, amount)?;
        if least.is_negative() {
            return Err(PoolError::CollectionExceedsReceivable {
                buyer: buyer.to_string(),
                event: id.clone(),
                date,
                asked: amount,
                available: least.checked_add(amount)?,
                on,
            }
            .into());
        }
        let entry = Entry::new(id.as_str(), date, format!("收回货款 payment from {buyer}"))
            .debit(cash(into)?, amount)
            .credit(AccountCode::new(SalePayment::Credit.code())?, amount);
        Ok(Plan::operations(
            Vec::new(),
            vec![entry],
            OperationsUpdate::Collected(buyer.to_string(), date, amount),
        ))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn plan_cost(
        &self,
        id: &EventId,
        date: Date,
        kind: CostKind,
        amount: Yuan,
        target: &CostTarget,
        payment: CostPayment,
        memo: &str,
    ) -> Result<Plan> {
        positive(|| format!("cost {id}: amount"), amount)?;
        if memo.len() > MAX_TEXT_BYTES {
            return Err(PoolError::NotAllowed {
                what: format!("cost {id}: memo"),
                reason: format!("a memo has at most {MAX_TEXT_BYTES} bytes"),
            }
            .into());
        }
        let greenhouses: Vec<&Greenhouse> = match target {
            CostTarget::Administration => Vec::new(),
            CostTarget::Greenhouse(gh) => vec![&self.greenhouse_in_use(gh, date)?.greenhouse],
            CostTarget::SharedByArea(list) => {
                if list.is_empty() {
                    return Err(PoolError::NotAllowed {
                        what: format!("cost {id}"),
                        reason: "name at least one greenhouse to share the cost".into(),
                    }
                    .into());
                }
                let mut seen = std::collections::BTreeSet::new();
                let mut out = Vec::with_capacity(list.len());
                for gh in list {
                    if !seen.insert(gh) {
                        return Err(PoolError::NotAllowed {
                            what: format!("cost {id}"),
                            reason: format!("greenhouse {gh} is listed twice"),
                        }
                        .into());
                    }
                    out.push(&self.greenhouse_in_use(gh, date)?.greenhouse);
                }
                out
            }
            CostTarget::AllGreenhouses => {
                let all: Vec<&Greenhouse> = self
                    .greenhouses()
                    .filter(|record| record.retired.is_none_or(|retired| retired >= date))
                    .map(|record| &record.greenhouse)
                    .filter(|greenhouse| greenhouse.built <= date)
                    .collect();
                if all.is_empty() {
                    return Err(PoolError::NotAllowed {
                        what: format!("cost {id}"),
                        reason: format!("no greenhouse is in use on {date}"),
                    }
                    .into());
                }
                all
            }
        };
        let text = if memo.is_empty() {
            String::new()
        } else {
            format!(": {memo}")
        };
        let memo = format!("{} {kind:?}{text}", kind.name_zh());
        let credit = AccountCode::new(payment.code())?;
        if greenhouses.is_empty() {
            let entry = Entry::new(id.as_str(), date, memo)
                .debit(AccountCode::new("523")?, amount)
                .credit(credit, amount);
            return Ok(Plan::operations(
                Vec::new(),
                vec![entry],
                OperationsUpdate::None,
            ));
        }
        let weights: Vec<Decimal> = greenhouses.iter().map(|g| g.area.to_decimal()).collect();
        let parts = allocate(amount, &weights)?;
        // A cost shared by many greenhouses is booked in entries of at most
        // SHARED_POSTINGS debits, each with its own credit, so no entry passes the ledger's
        // limit on postings. One entry keeps the event's id; several are numbered.
        let debits: Vec<(&Greenhouse, Yuan)> = greenhouses
            .iter()
            .copied()
            .zip(parts)
            .filter(|(_, part)| part.is_positive())
            .collect();
        let chunks: Vec<&[(&Greenhouse, Yuan)]> = debits.chunks(SHARED_POSTINGS).collect();
        let mut entries = Vec::with_capacity(chunks.len());
        for (number, chunk) in chunks.iter().enumerate() {
            let entry_id = if chunks.len() == 1 {
                id.to_string()
            } else {
                format!("{id}:{number}")
            };
            let mut entry = Entry::new(entry_id, date, memo.clone());
            let mut total = Yuan::ZERO;
            for (greenhouse, part) in chunk.iter() {
                entry = entry.debit(expense_account(&greenhouse.id)?, *part);
                total = total.checked_add(*part)?;
            }
            entries.push(entry.credit(credit.clone(), total));
        }
        Ok(Plan::operations(
            Vec::new(),
            entries,
            OperationsUpdate::None,
        ))
    }
}

/// The most debit postings in one entry of a shared cost.
const SHARED_POSTINGS: usize = 1000;

/// Greenhouses from which [`Book::plan_depreciation`] shares its work with a second thread.
const PARALLEL_DEPRECIATION_MIN: usize = 8192;

/// A greenhouse's depreciation charge: the greenhouse, its months now depreciated and the
/// amount added ([`OperationsUpdate::Depreciated`]).
type Charge = (GreenhouseId, u32, Yuan);

/// The depreciation entries and charges of `records` in a month `target` ([`month_number`])
/// that ends on `last`, for event `id`.
/// Refuses a residual value below zero or above the cost (`expected` says so in the
/// error).
pub(super) fn check_residual(
    what: impl Fn() -> String,
    residual: Yuan,
    cost: Yuan,
    expected: &'static str,
) -> Result<()> {
    if residual.is_negative() || residual > cost {
        return Err(PoolError::BadNumber {
            what: what(),
            expected,
            value: residual.to_decimal(),
        }
        .into());
    }
    Ok(())
}

/// Refuses a useful life outside 1 to [`MAX_LIFE_MONTHS`] months.
pub(super) fn check_life_months(what: impl Fn() -> String, life_months: u32) -> Result<()> {
    if life_months == 0 || life_months > MAX_LIFE_MONTHS {
        return Err(PoolError::BadNumber {
            what: what(),
            expected: "from 1 to 1200",
            value: Decimal::from(life_months),
        }
        .into());
    }
    Ok(())
}

/// The month numbered `number` (see [`month_number`]) as `YYYY-MM`, for messages.
pub(super) fn month_text(number: i64) -> String {
    match (number.checked_div_euclid(12), number.checked_rem_euclid(12)) {
        (Some(year), Some(month)) => format!("{year}-{:02}", month.saturating_add(1)),
        _ => number.to_string(),
    }
}

/// Refuses taking out of use (`what`) a greenhouse or an asset taken out of use already
/// (`retired`), or for negative proceeds.
pub(super) fn check_retirement(what: &str, retired: Option<Date>, proceeds: Yuan) -> Result<()> {
    if let Some(retired) = retired {
        return Err(PoolError::NotAllowed {
            what: what.to_string(),
            reason: format!("it was taken out of use after {retired} already"),
        }
        .into());
    }
    if proceeds.is_negative() {
        return Err(PoolError::BadNumber {
            what: format!("{what}: proceeds"),
            expected: "zero or more",
            value: proceeds.to_decimal(),
        }
        .into());
    }
    Ok(())
}

/// A fixed asset taken out of use, as [`clear_through_154`] books it.
pub(super) struct Cleared<'a> {
    /// What it is, in the memos (`greenhouse GH01`).
    pub(super) what: &'a str,
    /// The memo of the proceeds paid in.
    pub(super) proceeds_memo: &'a str,
    /// Its cost, on 151.
    pub(super) cost: Yuan,
    /// Its depreciation booked, with the last month's, on 152.
    pub(super) accumulated: Yuan,
    /// What it fetches, zero or more.
    pub(super) proceeds: Yuan,
    /// Where the proceeds are paid in.
    pub(super) into: CashAccount,
}

/// The entries taking a fixed asset out of use through 154 固定资产清理, dated `date`: its
/// cost taken off 151 against its depreciation and its carrying amount (Dr 152, Dr 154 /
/// Cr 151, entry `id`); the proceeds paid in (Dr 101 or 102 / Cr 154, `id:proceeds`); and
/// 154 cleared, a loss to 529 其他支出, a gain to 502 其他收入 (`id:result`).
pub(super) fn clear_through_154(id: &EventId, date: Date, asset: &Cleared) -> Result<Vec<Entry>> {
    let (reserve, clearing) = (AccountCode::new("152")?, AccountCode::new("154")?);
    let carrying = asset.cost.checked_sub(asset.accumulated)?;
    let what = asset.what;
    let mut entries = Vec::new();
    let mut clear = Entry::new(
        id.as_str(),
        date,
        format!("固定资产转入清理 {what} taken out of use"),
    );
    if asset.accumulated.is_positive() {
        clear = clear.debit(reserve, asset.accumulated);
    }
    if carrying.is_positive() {
        clear = clear.debit(clearing.clone(), carrying);
    }
    entries.push(clear.credit(AccountCode::new("151")?, asset.cost));
    if asset.proceeds.is_positive() {
        entries.push(
            Entry::new(format!("{id}:proceeds"), date, asset.proceeds_memo)
                .debit(cash(asset.into)?, asset.proceeds)
                .credit(clearing.clone(), asset.proceeds),
        );
    }
    let net = carrying.checked_sub(asset.proceeds)?;
    if net.is_positive() {
        entries.push(
            Entry::new(
                format!("{id}:result"),
                date,
                format!("固定资产清理净损失 loss on taking {what} out of use"),
            )
            .debit(AccountCode::new("529")?, net)
            .credit(clearing, net),
        );
    } else if net.is_negative() {
        let gain = net.checked_neg()?;
        entries.push(
            Entry::new(
                format!("{id}:result"),
                date,
                format!("固定资产清理净收益 gain on taking {what} out of use"),
            )
            .debit(clearing, gain)
            .credit(AccountCode::new("502")?, gain),
        );
    }
    Ok(entries)
}

fn depreciation_of(
    records: &[&GreenhouseRecord],
    id: &EventId,
    target: i64,
    last: Date,
) -> Result<(Vec<Entry>, Vec<Charge>)> {
    let mut entries = Vec::new();
    let mut charges = Vec::new();
    for record in records {
        let greenhouse = &record.greenhouse;
        // Months of use through the target month: the build month does not count.
        let used = target
            .checked_sub(month_number(
                greenhouse.built.year(),
                greenhouse.built.month(),
            ))
            .unwrap_or(0);
        let through = u32::try_from(used.clamp(0, i64::from(greenhouse.life_months))).unwrap_or(0);
        if through <= record.depreciated_months {
            continue;
        }
        let total = greenhouse.cumulative_depreciation(through)?;
        let charge = total.checked_sub(record.depreciated)?;
        charges.push((greenhouse.id.clone(), through, charge));
        if charge.is_positive() {
            entries.push(
                Entry::new(
                    format!("{id}:{}", greenhouse.id),
                    last,
                    format!(
                        "计提折旧 depreciation of greenhouse {}, months {}~{} of {}",
                        greenhouse.id,
                        record.depreciated_months.saturating_add(1),
                        through,
                        greenhouse.life_months
                    ),
                )
                .debit(expense_account(&greenhouse.id)?, charge)
                .credit(AccountCode::new("152")?, charge),
            );
        }
    }
    Ok((entries, charges))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_number_reads_as_its_year_and_month() {
        assert_eq!(month_text(month_number(2019, Month::June)), "2019-06");
        assert_eq!(
            month_text(month_number(2019, Month::December) + 1),
            "2020-01"
        );
        assert_eq!(month_text(month_number(-1, Month::December)), "-1-12");
    }

    #[test]
    fn months_count_across_years() {
        let march = month_number(2019, Month::March);
        assert_eq!(month_number(2019, Month::April) - march, 1);
        assert_eq!(month_number(2020, Month::January) - march, 10);
        assert_eq!(month_number(2029, Month::March) - march, 120);
        assert_eq!(
            month_number(-1, Month::December) + 1,
            month_number(0, Month::January)
        );
    }
    #[test]
    fn depreciation_is_the_same_whether_or_not_a_second_thread_shares_it() {
        let events = crate::synthetic::events(crate::synthetic::Scale::cooperative(), 7)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut book = Book::new();
        let mut booked = None;
        for (id, event) in events {
            if let crate::Event::DepreciationBooked { year, month } = event {
                booked = Some((id, year, month));
                break;
            }
            book.apply(id, event).unwrap_or_else(|e| panic!("{e}"));
        }
        let Some((id, year, month)) = booked else {
            panic!("the synthetic year books depreciation");
        };
        let in_use = book.greenhouses().filter(|r| r.retired.is_none()).count();
        assert!(in_use >= 2, "{in_use} greenhouses in use");
        let plan = |parallel_min| {
            let plan = book
                .plan_depreciation_sharing(&id, year, month, parallel_min)
                .unwrap_or_else(|e| panic!("{e}"));
            let crate::book::Update::Operations(update) = plan.update else {
                panic!("depreciation updates the greenhouses");
            };
            (plan.entries, format!("{update:?}"))
        };
        let (entries, update) = plan(usize::MAX);
        // One entry a greenhouse in use, each 521.<greenhouse> against 152, in order.
        assert_eq!(entries.len(), in_use);
        let greenhouses: Vec<String> = book
            .greenhouses()
            .filter(|r| r.retired.is_none())
            .map(|r| format!("{id}:{}", r.greenhouse.id))
            .collect();
        let ids: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
        assert_eq!(ids, greenhouses);
        assert_eq!(plan(0), (entries, update));
    }
}
