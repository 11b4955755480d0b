//! Writing events as a book folder's rows: the inverse of reading, for the events a book
//! folder has files for.

use std::collections::BTreeMap;

use super::cells::{write_date, zh};
use super::problem::FolderError;
use super::schema::{header, FileKind};
use super::words::*;
use super::{Settings, SETTINGS};
use crate::report::Csv;
use crate::{
    Accrue, ContractKind, CostTarget, Event, GrantUse, MemberKind, RentTerms, Task, WageAccount,
    Worker,
};

/// A row being written: one cell per column of its file.
struct Row {
    kind: FileKind,
    cells: Vec<String>,
}

impl Row {
    fn new(kind: FileKind) -> Row {
        Row {
            kind,
            cells: vec![String::new(); kind.columns().len()],
        }
    }

    fn set(mut self, en: &str, value: impl Into<String>) -> Row {
        if let Some(i) = self.kind.columns().iter().position(|c| c.en == en) {
            if let Some(cell) = self.cells.get_mut(i) {
                *cell = value.into();
            }
        }
        self
    }
}

fn not_writable(event: &Event, reason: &str) -> FolderError {
    let what = serde_json::to_value(event)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str().map(str::to_string)))
        .unwrap_or_else(|| "an event".to_string());
    FolderError::NotWritable {
        what: format!("event {what}"),
        reason: reason.to_string(),
    }
}

fn ids<T: std::fmt::Display>(list: &[T]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

/// Whether `event` has no row of its own but fills cells of a register's row: a member's
/// leaving (the `left` cell of their row in `members.csv`) and a greenhouse taken out of
/// use (the `retired`, `proceeds` and `proceeds_account` cells of its row in
/// `greenhouses.csv`), and an asset taken out of use (the same cells of its row in
/// `assets.csv`).
pub(crate) fn fills_a_row(event: &Event) -> bool {
    matches!(
        event,
        Event::MemberLeft { .. } | Event::GreenhouseRetired { .. } | Event::AssetRetired { .. }
    )
}

/// The file an event goes to, and its rows there (none for an event that fills cells of
/// another event's row, see [`fills_a_row`]).
pub(crate) fn rows(event: &Event) -> Result<(FileKind, Vec<Vec<String>>), FolderError> {
    use FileKind as F;
    let one = |row: Row| Ok((row.kind, vec![row.cells]));
    match event {
        Event::AccountOpened {
            code,
            name_zh,
            name_en,
        } => one(Row::new(F::Accounts)
            .set("code", code.as_str())
            .set("name_zh", name_zh)
            .set("name_en", name_en)),
        Event::MemberJoined { member } => {
            if member.left.is_some() {
                return Err(not_writable(
                    event,
                    "a member who joins has no leaving date; the leaving is an event of its own (member_left), written in the 退社日期 left cell of the member's row",
                ));
            }
            let (sort, persons) = match member.kind {
                MemberKind::Household { persons } => (MemberSort::Household, persons.to_string()),
                MemberKind::Collective => (MemberSort::Collective, String::new()),
                MemberKind::LegalPerson => (MemberSort::LegalPerson, String::new()),
            };
            one(Row::new(F::Members)
                .set("member", member.id.as_str())
                .set("name", &member.name)
                .set("kind", zh(MEMBER_KINDS, &sort))
                .set("persons", persons)
                .set("village", &member.village)
                .set("joined", write_date(member.joined)))
        }
        Event::ParcelRegistered { parcel } => {
            if parcel.retired.is_some() {
                return Err(not_writable(
                    event,
                    "a parcel registered is not retired; parcels.csv has no column for it",
                ));
            }
            one(Row::new(F::Parcels)
                .set("parcel", parcel.id.as_str())
                .set("owner", parcel.owner.as_str())
                .set("area", parcel.area.to_string())
                .set("village", &parcel.village)
                .set("land_class", &parcel.land_class)
                .set("registered", write_date(parcel.registered)))
        }
        Event::ContractSigned { contract } => {
            if contract.lines.is_empty() {
                return Err(not_writable(
                    event,
                    "a contract without parcels has no row in contracts.csv",
                ));
            }
            let (payment, month, day) = PaymentSort::of(contract.payment);
            let mut terms = Row::new(F::Contracts)
                .set("member", contract.member.as_str())
                .set("start", write_date(contract.start))
                .set("end", write_date(contract.end))
                .set(
                    "kind",
                    zh(CONTRACT_KINDS, &ContractSort::of(&contract.kind)),
                )
                .set("pro_rating", zh(PRO_RATING, &contract.pro_rating))
                .set("payment", zh(PAYMENT_TERMS, &payment))
                .set("pay_by", format!("{month:02}-{day:02}"))
                .set("charge_to", contract.charge_to.as_str());
            terms = match &contract.kind {
                ContractKind::Transfer { rent } => {
                    let terms = terms.set("rent_terms", zh(RENT_TERMS, &TermsSort::of(rent)));
                    match rent {
                        RentTerms::Fixed { yuan_per_mu } => {
                            terms.set("yuan_per_mu", yuan_per_mu.to_string())
                        }
                        RentTerms::Stepped {
                            yuan_per_mu,
                            step_percent,
                            every_years,
                        } => terms
                            .set("yuan_per_mu", yuan_per_mu.to_string())
                            .set("step_percent", step_percent.to_string())
                            .set("step_every_years", every_years.to_string()),
                        RentTerms::GrainIndexed {
                            crop,
                            unit,
                            quantity_per_mu,
                            reset_every_years,
                        } => terms
                            .set("crop", crop)
                            .set("unit", zh(GRAIN_UNITS, unit))
                            .set("quantity_per_mu", quantity_per_mu.to_string())
                            .set("reset_every_years", reset_every_years.to_string()),
                    }
                }
                ContractKind::LandShares {
                    shares_per_mu,
                    value_per_share,
                    guaranteed_per_share,
                } => terms
                    .set("shares_per_mu", shares_per_mu.to_string())
                    .set("value_per_share", value_per_share.to_string())
                    .set("guaranteed_per_share", guaranteed_per_share.to_string()),
            };
            let rows = contract
                .lines
                .iter()
                .map(|line| {
                    Row {
                        kind: F::Contracts,
                        cells: terms.cells.clone(),
                    }
                    .set("contract", contract.id.as_str())
                    .set("parcel", line.parcel.as_str())
                    .set("area", line.area.to_string())
                    .cells
                })
                .collect();
            Ok((F::Contracts, rows))
        }
        Event::GrainPriceRecorded {
            crop,
            unit,
            date,
            price,
        } => one(Row::new(F::GrainPrices)
            .set("crop", crop)
            .set("unit", zh(GRAIN_UNITS, unit))
            .set("date", write_date(*date))
            .set("price", price.to_string())),
        Event::LoanSigned { loan } => one(Row::new(F::Loans)
            .set("loan", loan.id.as_str())
            .set("lender", &loan.lender)
            .set("term", zh(LOAN_TERMS, &loan.term))
            .set("amount", loan.amount.to_string())
            .set("rate_percent", loan.annual_rate_percent.to_string())
            .set("day_count", zh(DAY_COUNTS, &loan.day_count))
            .set("signed", write_date(loan.signed))
            .set("maturity", write_date(loan.maturity))
            .set("raised_for", ids(&loan.raised_for))),
        Event::AreaSwapped {
            date,
            first,
            first_gives,
            second,
            second_gives,
            compensation,
        } => {
            let row = Row::new(F::LandChanges)
                .set("date", write_date(*date))
                .set("kind", zh(LAND_CHANGE_KINDS, &LandChangeKind::Swap))
                .set("contract", first.as_str())
                .set("gives", first_gives.to_string())
                .set("other_contract", second.as_str())
                .set("other_gives", second_gives.to_string());
            one(match compensation {
                Some(pay) => row
                    .set("payer", pay.payer.as_str())
                    .set("compensation", pay.amount.to_string()),
                None => row,
            })
        }
        Event::ParcelSplit {
            parcel,
            date,
            parts,
        } => {
            let rows = parts
                .iter()
                .map(|part| {
                    Row::new(F::LandChanges)
                        .set("date", write_date(*date))
                        .set("kind", zh(LAND_CHANGE_KINDS, &LandChangeKind::Split))
                        .set("parcel", parcel.as_str())
                        .set("new_parcel", part.parcel.as_str())
                        .set("area", part.area.to_string())
                        .cells
                })
                .collect();
            Ok((F::LandChanges, rows))
        }
        Event::ContractChargeChanged {
            contract,
            from,
            charge_to,
        } => one(Row::new(F::LandChanges)
            .set("date", write_date(*from))
            .set("kind", zh(LAND_CHANGE_KINDS, &LandChangeKind::Charge))
            .set("contract", contract.as_str())
            .set("charge_to", charge_to.as_str())),
        Event::ContractEnded {
            contract,
            date,
            memo,
        } => one(Row::new(F::LandChanges)
            .set("date", write_date(*date))
            .set("kind", zh(LAND_CHANGE_KINDS, &LandChangeKind::End))
            .set("contract", contract.as_str())
            .set("reason", memo)),
        Event::ParcelsMerged {
            parcels,
            into,
            date,
        } => one(Row::new(F::LandChanges)
            .set("date", write_date(*date))
            .set("kind", zh(LAND_CHANGE_KINDS, &LandChangeKind::Merge))
            .set("parcel", ids(parcels))
            .set("new_parcel", into.as_str())),
        Event::GreenhouseBuilt {
            greenhouse,
            paid_from,
        } => one(Row::new(F::Greenhouses)
            .set("greenhouse", greenhouse.id.as_str())
            .set("name", &greenhouse.name)
            .set("area", greenhouse.area.to_string())
            .set("crop", greenhouse.crop.as_str())
            .set("built", write_date(greenhouse.built))
            .set("cost", greenhouse.cost.to_string())
            .set("residual", greenhouse.residual.to_string())
            .set("life_months", greenhouse.life_months.to_string())
            .set("paid_from", zh(COST_PAYMENT, paid_from))),
        Event::AssetAcquired { asset, paid_from } => {
            let (method, life_months, total_units) = match asset.depreciation {
                crate::DepreciationMethod::StraightLine { life_months } => (
                    MethodSort::StraightLine,
                    life_months.to_string(),
                    String::new(),
                ),
                crate::DepreciationMethod::UnitsOfWork { total_units } => (
                    MethodSort::UnitsOfWork,
                    String::new(),
                    total_units.to_string(),
                ),
            };
            one(Row::new(F::Assets)
                .set("asset", asset.id.as_str())
                .set("name", &asset.name)
                .set("kind", zh(ASSET_KINDS, &asset.kind))
                .set("in_use", write_date(asset.in_use))
                .set("cost", asset.cost.to_string())
                .set("residual", asset.residual.to_string())
                .set("method", zh(DEPRECIATION_METHODS, &method))
                .set("life_months", life_months)
                .set("total_units", total_units)
                .set(
                    "greenhouse",
                    asset.greenhouse.as_ref().map_or("", |g| g.as_str()),
                )
                .set("paid_from", zh(COST_PAYMENT, paid_from)))
        }
        Event::AssetWorkRecorded {
            asset,
            year,
            month,
            units,
        } => {
            let last = month_end(event, *year, *month)?;
            one(Row::new(F::Adjustments)
                .set("date", write_date(last))
                .set("kind", zh(ADJUSTMENT_KINDS, &AdjustmentKind::AssetWork))
                .set("refs", asset.as_str())
                .set("units", units.to_string()))
        }
        Event::GrantReceived {
            grant,
            purpose,
            source,
            date,
            amount,
            into,
        } => one(Row::new(F::Grants)
            .set("date", write_date(*date))
            .set("kind", zh(GRANT_KINDS, &GrantKind::Received))
            .set("grant", grant.as_str())
            .set("amount", amount.to_string())
            .set("account", zh(CASH, into))
            .set("source", source)
            .set("purpose", purpose)),
        Event::GrantSpent {
            grant,
            date,
            amount,
            on,
        } => {
            let row = Row::new(F::Grants)
                .set("date", write_date(*date))
                .set("grant", grant.as_str())
                .set("amount", amount.to_string());
            one(match on {
                GrantUse::Asset { asset } => row
                    .set("kind", zh(GRANT_KINDS, &GrantKind::SpentOnAsset))
                    .set("purpose", asset),
                GrantUse::Expense { purpose, from } => row
                    .set("kind", zh(GRANT_KINDS, &GrantKind::SpentOnExpense))
                    .set("account", zh(CASH, from))
                    .set("purpose", purpose),
            })
        }
        Event::DonationReceived {
            donor,
            date,
            amount,
            into,
        } => one(Row::new(F::Grants)
            .set("date", write_date(*date))
            .set("kind", zh(GRANT_KINDS, &GrantKind::Donation))
            .set("amount", amount.to_string())
            .set("account", zh(CASH, into))
            .set("source", donor)),
        Event::CostIncurred {
            date,
            kind,
            amount,
            target,
            payment,
            memo,
        } => {
            let target = match target {
                CostTarget::Greenhouse(greenhouse) => greenhouse.to_string(),
                CostTarget::SharedByArea(list) if list.len() >= 2 => ids(list),
                CostTarget::SharedByArea(_) => {
                    return Err(not_writable(
                        event,
                        "a cost shared by area needs two greenhouses or more (one is written as that greenhouse)",
                    ))
                }
                CostTarget::AllGreenhouses => ALL_GREENHOUSES.0.to_string(),
                CostTarget::Administration => ADMINISTRATION.0.to_string(),
            };
            one(Row::new(F::Costs)
                .set("date", write_date(*date))
                .set("kind", zh(COST_KINDS, kind))
                .set("amount", amount.to_string())
                .set("charged_to", target)
                .set("payment", zh(COST_PAYMENT, payment))
                .set("memo", memo))
        }
        Event::WorkRecorded { date, records } => {
            if records.is_empty() {
                return Err(not_writable(
                    event,
                    "a timesheet without records has no row in labour.csv",
                ));
            }
            let rows = records
                .iter()
                .map(|record| {
                    let row = Row::new(F::Labour).set("date", write_date(record.date));
                    let row = match &record.worker {
                        Worker::Member(member) => row.set("member", member.as_str()),
                        Worker::NonMember(name) => row.set("non_member", name),
                    };
                    let task = match &record.task {
                        Task::Greenhouse(greenhouse) => greenhouse.to_string(),
                        Task::Administration => ADMINISTRATION.0.to_string(),
                    };
                    let basis = record.pay.basis();
                    let (quantity, rate) = record.pay.quantity_and_rate();
                    row.set("task", task)
                        .set("basis", zh(BASES, &basis))
                        .set("quantity", quantity.to_string())
                        .set("rate", rate.to_string())
                        .set("kind", zh(WORK_KINDS, &record.kind))
                        .set("sheet_date", write_date(*date))
                        .cells
                })
                .collect();
            Ok((F::Labour, rows))
        }
        Event::Harvested {
            greenhouse,
            date,
            kg,
            grade,
        } => one(Row::new(F::Harvests)
            .set("date", write_date(*date))
            .set("greenhouse", greenhouse.as_str())
            .set("kg", kg.to_string())
            .set("grade", grade)),
        Event::ProduceSold {
            greenhouse,
            date,
            kg,
            price_per_kg,
            buyer,
            payment,
        } => one(Row::new(F::Sales)
            .set("date", write_date(*date))
            .set("greenhouse", greenhouse.as_str())
            .set("kg", kg.to_string())
            .set("price_per_kg", price_per_kg.to_string())
            .set("buyer", buyer)
            .set("payment", zh(SALE_PAYMENT, payment))),
        Event::RentAccrued {
            from,
            to,
            contracts,
            date,
        } => {
            let refs = match contracts {
                Accrue::All => String::new(),
                Accrue::Contracts(list) if !list.is_empty() => ids(list),
                Accrue::Contracts(_) => {
                    return Err(not_writable(
                        event,
                        "an accrual for an empty list of contracts (an empty cell means every contract)",
                    ))
                }
            };
            one(Row::new(F::Adjustments)
                .set("date", write_date(*date))
                .set("kind", zh(ADJUSTMENT_KINDS, &AdjustmentKind::RentAccrual))
                .set("from", write_date(*from))
                .set("to", write_date(*to))
                .set("refs", refs))
        }
        Event::DepreciationBooked { year, month } => {
            let last = month_end(event, *year, *month)?;
            one(Row::new(F::Adjustments)
                .set("date", write_date(last))
                .set("kind", zh(ADJUSTMENT_KINDS, &AdjustmentKind::Depreciation)))
        }
        Event::LoanInterestAccrued { loan, through } => one(Row::new(F::Adjustments)
            .set("date", write_date(*through))
            .set("kind", zh(ADJUSTMENT_KINDS, &AdjustmentKind::Interest))
            .set("refs", loan.as_str())),
        Event::CapitalContributed {
            member,
            date,
            amount,
            into,
            source,
            premium,
        } => {
            let row = payment(PaymentKind::Capital, *date, member.as_str(), amount, *into);
            // Other sources are the default, and no premium: the cells are left empty.
            let row = if source.is_other() {
                row
            } else {
                row.set("capital_source", zh(CAPITAL_SOURCES, source))
            };
            one(if premium.is_zero() {
                row
            } else {
                row.set("premium", premium.to_string())
            })
        }
        Event::CapitalReturned {
            member,
            date,
            amount,
            from,
            contract,
            source,
        } => {
            let row = payment(
                PaymentKind::CapitalReturned,
                *date,
                member.as_str(),
                amount,
                *from,
            );
            // Other sources are the default, and money capital has no contract: the cells
            // are left empty.
            let row = if source.is_other() {
                row
            } else {
                row.set("capital_source", zh(CAPITAL_SOURCES, source))
            };
            one(match contract {
                Some(contract) => row.set("contract", contract.as_str()),
                None => row,
            })
        }
        Event::RentPaid {
            member,
            date,
            amount,
            from,
        } => one(payment(
            PaymentKind::Rent,
            *date,
            member.as_str(),
            amount,
            *from,
        )),
        Event::WagesPaid {
            worker,
            account,
            date,
            amount,
            from,
        } => {
            let (kind, party) = match (worker, account) {
                (Worker::Member(m), WageAccount::Labour) => (PaymentKind::LabourWages, m.as_str()),
                (Worker::Member(m), WageAccount::Staff) => (PaymentKind::StaffWages, m.as_str()),
                (Worker::NonMember(n), WageAccount::Labour) => {
                    (PaymentKind::NonMemberLabourWages, n.as_str())
                }
                (Worker::NonMember(n), WageAccount::Staff) => {
                    (PaymentKind::NonMemberStaffWages, n.as_str())
                }
            };
            one(payment(kind, *date, party, amount, *from))
        }
        Event::LoanDrawn {
            loan,
            date,
            amount,
            into,
        } => one(payment(
            PaymentKind::LoanDrawn,
            *date,
            loan.as_str(),
            amount,
            *into,
        )),
        Event::LoanRepaid {
            loan,
            date,
            principal,
            interest,
            from,
        } => one(payment(
            PaymentKind::LoanRepaid,
            *date,
            loan.as_str(),
            principal,
            *from,
        )
        .set("interest", interest.to_string())),
        Event::InterestSubsidyReceived {
            loan,
            date,
            amount,
            into,
        } => one(payment(
            PaymentKind::InterestSubsidy,
            *date,
            loan.as_str(),
            amount,
            *into,
        )),
        Event::ReceivableCollected {
            buyer,
            date,
            amount,
            into,
        } => one(payment(
            PaymentKind::Receivable,
            *date,
            buyer,
            amount,
            *into,
        )),
        Event::DistributionSettled { year, date, from } => {
            // The amount is the book's: what the close gave each member.
            one(Row::new(F::Payments)
                .set("date", write_date(*date))
                .set("kind", zh(PAYMENT_KINDS, &PaymentKind::SettleDistribution))
                .set("party", year.to_string())
                .set("account", zh(CASH, from)))
        }
        Event::ReserveShareRefunded {
            member,
            date,
            amount,
            from,
        } => one(payment(
            PaymentKind::RefundReserve,
            *date,
            member.as_str(),
            amount,
            *from,
        )),
        Event::ReserveConverted {
            member,
            date,
            amount,
        } => one(Row::new(F::Payments)
            .set("date", write_date(*date))
            .set("kind", zh(PAYMENT_KINDS, &PaymentKind::ConvertReserve))
            .set("party", member.as_str())
            .set("amount", amount.to_string())),
        Event::MemberLeft { .. } => Ok((F::Members, Vec::new())),
        Event::GreenhouseRetired { .. } => Ok((F::Greenhouses, Vec::new())),
        Event::AssetRetired { .. } => Ok((F::Assets, Vec::new())),
        Event::YearClosed { .. } => Err(not_writable(
            event,
            "the year is closed by policy.csv, after every other event",
        )),
        _ => Err(not_writable(
            event,
            "a book folder has no file for this kind of event",
        )),
    }
}

/// The last day of `year`-`month`, the date a month's row of `event` is written with.
fn month_end(event: &Event, year: i32, month: u8) -> Result<time::Date, FolderError> {
    time::Month::try_from(month)
        .ok()
        .and_then(|m| time::Date::from_calendar_date(year, m, m.length(year)).ok())
        .ok_or_else(|| not_writable(event, "the month is not a month of a year"))
}

fn payment(
    kind: PaymentKind,
    date: time::Date,
    party: &str,
    amount: &crate::Yuan,
    account: crate::CashAccount,
) -> Row {
    Row::new(FileKind::Payments)
        .set("date", write_date(date))
        .set("kind", zh(PAYMENT_KINDS, &kind))
        .set("party", party)
        .set("amount", amount.to_string())
        .set("account", zh(CASH, &account))
}

/// The rows of `policy.csv` for `settings`.
fn policy_rows(settings: &Settings) -> Vec<Vec<String>> {
    let policy = settings.close.as_ref();
    let percent = |f: fn(&crate::DistributionPolicy) -> String| policy.map(f).unwrap_or_default();
    SETTINGS
        .iter()
        .map(|&(en, zh_name, about)| {
            let value = match en {
                "cooperative" => settings.cooperative.clone(),
                "title" => settings.title.clone(),
                "year" => settings.year.to_string(),
                "event_prefix" => settings.event_prefix.clone(),
                "close" => zh(YES_NO, &policy.is_some()).to_string(),
                "reserve_percent" => percent(|p| p.reserve_percent.to_string()),
                "welfare_percent" => percent(|p| p.welfare_percent.to_string()),
                "patronage_percent" => percent(|p| p.patronage_percent.to_string()),
                "patronage_base" => percent(|p| zh(PATRONAGE_BASES, &p.base).to_string()),
                "volume_land_weight" => percent(|p| p.volume.land_mu_days.to_string()),
                "volume_labour_weight" => percent(|p| p.volume.labour_pay.to_string()),
                "collective_percent" => percent(|p| p.collective_percent.to_string()),
                "convert_to_capital_percent" => {
                    percent(|p| p.convert_to_capital_percent.to_string())
                }
                "cover_loss_from_reserve" => {
                    percent(|p| zh(YES_NO, &p.cover_loss_from_reserve).to_string())
                }
                "prior_log" => settings.prior_log.clone().unwrap_or_default(),
                _ => String::new(),
            };
            vec![format!("{zh_name} {en}"), value, about.to_string()]
        })
        .collect()
}

/// Every file of the folder as CSV text (UTF-8 with a byte-order mark), in the order of
/// [`FileKind::ALL`]; files without rows have their header row, as templates.
pub(crate) fn files(
    settings: &Settings,
    events: &[&Event],
) -> Result<Vec<(String, String)>, FolderError> {
    let mut rows: BTreeMap<FileKind, Vec<Vec<String>>> = BTreeMap::new();
    rows.insert(FileKind::Policy, policy_rows(settings));
    let mut fills = Vec::new();
    for event in events {
        if fills_a_row(event) {
            fills.push(*event);
            continue;
        }
        let (kind, more) = self::rows(event)?;
        rows.entry(kind).or_default().extend(more);
    }
    if !fills.is_empty() {
        let mut members = RowsById::new(&rows, FileKind::Members, "member");
        let mut greenhouses = RowsById::new(&rows, FileKind::Greenhouses, "greenhouse");
        let mut assets = RowsById::new(&rows, FileKind::Assets, "asset");
        for event in fills {
            match event {
                Event::MemberLeft { member, date } => {
                    members.fill(
                        &mut rows,
                        event,
                        member.as_str(),
                        &[("left", write_date(*date))],
                    )?;
                }
                Event::GreenhouseRetired {
                    greenhouse,
                    date,
                    proceeds,
                    into,
                } => {
                    greenhouses.fill(
                        &mut rows,
                        event,
                        greenhouse.as_str(),
                        &retirement_cells(*date, *proceeds, *into),
                    )?;
                }
                Event::AssetRetired {
                    asset,
                    date,
                    proceeds,
                    into,
                } => {
                    assets.fill(
                        &mut rows,
                        event,
                        asset.as_str(),
                        &retirement_cells(*date, *proceeds, *into),
                    )?;
                }
                _ => {}
            }
        }
    }
    Ok(FileKind::ALL
        .iter()
        .map(|&kind| {
            let headers: Vec<String> = kind.columns().iter().map(header).collect();
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let mut csv = Csv::new(&headers);
            for row in rows.get(&kind).into_iter().flatten() {
                csv.row(row);
            }
            (kind.name().to_string(), csv.finish())
        })
        .collect())
}

/// The cells a greenhouse or an asset taken out of use fills in its row. No proceeds, paid
/// into the bank: those cells are left empty, as they read.
fn retirement_cells(
    date: time::Date,
    proceeds: crate::Yuan,
    into: crate::CashAccount,
) -> [(&'static str, String); 3] {
    let default = proceeds.is_zero() && into == crate::CashAccount::Bank;
    let (proceeds, into) = if default {
        (String::new(), String::new())
    } else {
        (proceeds.to_string(), zh(CASH, &into).to_string())
    };
    [
        ("retired", write_date(date)),
        ("proceeds", proceeds),
        ("proceeds_account", into),
    ]
}

/// The rows of a file by the id in their id column, to fill cells of an id's row.
struct RowsById {
    kind: FileKind,
    /// Id -> the row's place among the file's rows (the first row, for an id given twice).
    at: std::collections::HashMap<String, usize>,
}

impl RowsById {
    fn new(rows: &BTreeMap<FileKind, Vec<Vec<String>>>, kind: FileKind, id: &str) -> RowsById {
        let mut at = std::collections::HashMap::new();
        if let Some(column) = column(kind, id) {
            for (n, row) in rows.get(&kind).into_iter().flatten().enumerate() {
                if let Some(id) = row.get(column) {
                    at.entry(id.clone()).or_insert(n);
                }
            }
        }
        RowsById { kind, at }
    }

    /// Fills `cells` (column, text) of the row of `id`, which `event` is about; refused
    /// when the file has no row for `id`, or the row has one of them filled already.
    fn fill(
        &mut self,
        rows: &mut BTreeMap<FileKind, Vec<Vec<String>>>,
        event: &Event,
        id: &str,
        cells: &[(&str, String)],
    ) -> Result<(), FolderError> {
        let row = self
            .at
            .get(id)
            .and_then(|&n| rows.get_mut(&self.kind).and_then(|rows| rows.get_mut(n)))
            .ok_or_else(|| {
                not_writable(
                    event,
                    &format!(
                        "{id} has no row in {} to write it on: it is written on the row that adds {id}, in the same folder",
                        self.kind.name()
                    ),
                )
            })?;
        let first = cells.first().and_then(|(en, _)| column(self.kind, en));
        if first
            .and_then(|at| row.get(at))
            .is_some_and(|cell| !cell.is_empty())
        {
            return Err(not_writable(
                event,
                &format!("the row of {id} in {} has it already", self.kind.name()),
            ));
        }
        for (en, text) in cells {
            if let Some(cell) = column(self.kind, en).and_then(|at| row.get_mut(at)) {
                cell.clone_from(text);
            }
        }
        Ok(())
    }
}

/// The place of column `en` among the columns of `kind`.
fn column(kind: FileKind, en: &str) -> Option<usize> {
    kind.columns().iter().position(|c| c.en == en)
}

/// A README for the folder: its files and their columns, from the schema.
pub(crate) fn readme() -> String {
    let mut out = String::from(
        "账簿文件夹 Book folder (landpool)\n\
         ================================\n\n\
         One CSV file per kind of record; edit them in Excel or WPS. Headers may be Chinese,\n\
         English or both. Dates as 2019-03-15 or 2019/3/15; amounts with or without thousands\n\
         separators and ¥. Only policy.csv and members.csv are required; a missing file has no\n\
         rows. Only .csv files are read: a sheet kept as a workbook (labour.xlsx) is read from\n\
         the CSV file saved from it (labour.csv), and a workbook without it is refused.\n\
         Run: season DIR (or season --book DIR).\n\n\
         In Excel or WPS:\n\
         - Format the id columns (成员编号 member, 地块编号 parcel, 合同编号 contract, 大棚编号\n  \
         greenhouse, 借款编号 loan, …) as Text (设置单元格格式 > 文本) before typing or pasting\n  \
         ids: otherwise Excel drops the leading zeros of an id such as 001, writes a long\n  \
         number as 1.23E+11 and takes an id such as 3-1 for a date. A CSV file keeps no\n  \
         formats, and Excel opening one takes 001 for a number again: keep the sheet as a\n  \
         workbook (.xlsx) with its id columns as Text and save a CSV from it, or open the CSV\n  \
         with 数据 > 从文本/CSV (Data > From Text/CSV), setting the id columns to Text.\n\
         - Save as \"CSV UTF-8\" (CSV UTF-8 逗号分隔). Plain \"CSV\" is GBK on a Chinese Windows:\n  \
         it is read too, but it saves a rare character of a name (䶮, 𠮷) as ?.\n\
         - The first row of a file is its header row, with no title row above it; every other\n  \
         row is one record: no total rows (合计), and no rows with only a note.\n\n\
         Order: the registers (accounts, members, parcels, contracts, grain prices, loans) in\n\
         file order, then every other row by date (on one date: land changes, greenhouses,\n\
         assets, grants, costs, labour, harvests, sales, adjustments, payments; a loan\n\
         drawdown or a repayment of principal without interest, and an asset's units of work\n\
         (工作量 asset_work, dated by the last day of their month), before the adjustments; an\n\
         asset's retired date, a greenhouse's retired date and a member's left date last,\n\
         after the payments), then the year-end close. Those other rows are the year's: each\n\
         is dated in the year of policy.csv (a greenhouse by its built date, an asset by its\n\
         in_use date, a timesheet by its sheet date or else its date), and so are a member's\n\
         left date and a greenhouse's or an asset's retired date. Capital paid back (退股金\n\
         capital_returned in payments.csv) may be dated after its member's left date, and then\n\
         comes after the leaving; a leaver's reserve share paid back (退还公积金 refund_reserve)\n\
         is dated on or after it, and on that day comes after the leaving. A loan repaid\n\
         with its interest pays the interest accrued through the day before (no interest is\n\
         due on the day principal is repaid): its 计提利息 interest row is dated the day before\n\
         the repayment (2021-12-30 for a loan repaid on 2021-12-31).\n\n\
         Payouts of earlier years, in payments.csv of a later year's folder: 分配兑付\n\
         settle_distribution pays out the distribution of the year in 对象 party (2019), which\n\
         the earlier years' book closed (the book pays each member what the close gave them,\n\
         less the part the policy converts to capital), with the 金额 amount cell empty or the\n\
         total paid out of 账户 account, which must be the book's (a run says the book's figure);\n\
         退还公积金 refund_reserve pays a member who left their whole reserve share; 公积金转股\n\
         convert_reserve converts part of a member's reserve share to their capital, with the\n\
         账户 account cell empty.\n\n\
         The next year: season --next-year NEW --from THIS --log LOG (LOG the events.jsonl of\n\
         this year's run, such as 2019-out/events.jsonl) writes its folder NEW, this one's\n\
         registers carried forward and the year's files empty. By hand: copy this folder,\n\
         empty the year's files (land_changes.csv on, keeping their header rows), and in\n\
         policy.csv set 年度 year, 事件编号前缀 event_prefix (such as jrf-2020) and 上年账簿\n\
         prior_log: the events.jsonl of this year's run, by its path from the new folder\n\
         (../2019-out/events.jsonl), or copied into it (events.jsonl). The year must be\n\
         closed (年终结账 close 是). The registers' rows (accounts to loans, and\n\
         greenhouses) that the earlier book holds are left as they were: a row that differs\n\
         from it is refused, naming the cell; a change is recorded as the year's own row (a\n\
         swap, split or merge in land_changes.csv, a member's left date, a greenhouse's\n\
         retired date), and a new member, parcel or contract is a row with a new id.\n",
    );
    for kind in FileKind::ALL {
        out.push_str(&format!(
            "\n{} ({}): {}\n",
            kind.name(),
            kind.zh_name(),
            kind.about()
        ));
        for col in kind.columns() {
            out.push_str(&format!(
                "  {}{}: {}\n",
                header(col),
                if col.required { " (required)" } else { "" },
                col.about
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::folder::cells::choice;
    use crate::{CashAccount, MemberId, Yuan};
    use time::macros::date;

    fn member(id: &str) -> MemberId {
        id.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    fn yuan(text: &str) -> Yuan {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    /// The payouts of earlier years are rows of payments.csv: the year in the party cell
    /// and no amount for a settlement, no account for a conversion.
    #[test]
    fn payouts_of_earlier_years_are_payment_rows() {
        let row = |event: Event| match rows(&event) {
            Ok((FileKind::Payments, rows)) => rows,
            other => panic!("{other:?}"),
        };
        let cells = |cells: [&str; 6]| {
            let mut row: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
            row.resize(FileKind::Payments.columns().len(), String::new());
            vec![row]
        };
        assert_eq!(
            row(Event::DistributionSettled {
                year: 2019,
                date: date!(2020 - 04 - 01),
                from: CashAccount::Cash,
            }),
            cells(["2020-04-01", "分配兑付", "2019", "", "", "现金"])
        );
        assert_eq!(
            row(Event::ReserveShareRefunded {
                member: member("B"),
                date: date!(2020 - 01 - 31),
                amount: yuan("300"),
                from: CashAccount::Bank,
            }),
            cells(["2020-01-31", "退还公积金", "B", "300.00", "", "银行"])
        );
        assert_eq!(
            row(Event::ReserveConverted {
                member: member("A"),
                date: date!(2020 - 03 - 01),
                amount: yuan("120.5"),
            }),
            cells(["2020-03-01", "公积金转股", "A", "120.50", "", ""])
        );
    }

    /// Each kind reads from its Chinese word, its English word and its other spellings.
    #[test]
    fn the_payout_kinds_read_in_chinese_and_english() {
        let read = |text: &str| choice(PAYMENT_KINDS)(text).map_err(|bad| bad.expected);
        for (text, kind) in [
            ("分配兑付", PaymentKind::SettleDistribution),
            ("settle_distribution", PaymentKind::SettleDistribution),
            ("盈余分配兑付", PaymentKind::SettleDistribution),
            ("退还公积金", PaymentKind::RefundReserve),
            ("refund_reserve", PaymentKind::RefundReserve),
            ("公积金退还", PaymentKind::RefundReserve),
            ("公积金转股", PaymentKind::ConvertReserve),
            ("convert_reserve", PaymentKind::ConvertReserve),
            ("公积金转增股金", PaymentKind::ConvertReserve),
        ] {
            assert_eq!(read(text), Ok(kind), "{text}");
        }
        let expected = read("分配").err().unwrap_or_default();
        assert!(
            expected.ends_with("分配兑付 settle_distribution, 退还公积金 refund_reserve, 公积金转股 convert_reserve"),
            "{expected}"
        );
    }
}
