//! Planning loans (drawdowns, interest by day count, repayments, subsidies), state grants and
//! donations.

use rust_decimal::Decimal;
use time::{Date, Month};

use super::{
    cash, least_left, name, not_negative, not_negative_yuan, positive, FenDays, LoanRecord,
    OperationsUpdate, MAX_TEXT_BYTES,
};
use crate::book::{Book, Plan};
use crate::ledger::{AccountCode, Entry, Name, MAX_ACCOUNT_NAME_BYTES};
use crate::pool::PoolError;
use crate::{
    CashAccount, DayCount, EventId, GrantId, GrantUse, Loan, LoanId, Result, Rounding, Yuan,
};

/// Principal × days from `from` through `to` (both included), where the principal of a day
/// is the sum of the movements dated on or before it: a drawdown's day bears interest, a
/// repayment's day does not.
fn fen_days(movements: &[(Date, Yuan)], from: Date, to: Date) -> Option<FenDays> {
    let mut out = FenDays::default();
    let mut principal: i128 = 0;
    for (date, change) in movements.iter().filter(|(date, _)| *date <= from) {
        let _ = date;
        principal = principal.checked_add(i128::from(change.fen()))?;
    }
    let mut cursor = from;
    for (date, change) in movements
        .iter()
        .filter(|(date, _)| *date > from && *date <= to)
    {
        if let Some(before) = date.previous_day() {
            add_span(&mut out, principal, cursor, before)?;
        }
        principal = principal.checked_add(i128::from(change.fen()))?;
        cursor = *date;
    }
    add_span(&mut out, principal, cursor, to)?;
    Some(out)
}

/// Adds `principal × days` for `from` through `to`, split between common and leap years.
fn add_span(out: &mut FenDays, principal: i128, from: Date, to: Date) -> Option<()> {
    let mut start = from;
    while start <= to {
        let year = start.year();
        let year_end = Date::from_calendar_date(year, Month::December, 31).ok()?;
        let end = to.min(year_end);
        let days = i128::from(crate::pool::days_inclusive(start, end));
        let amount = principal.checked_mul(days)?;
        if time::util::is_leap_year(year) {
            out.leap = out.leap.checked_add(amount)?;
        } else {
            out.common = out.common.checked_add(amount)?;
        }
        match end.next_day() {
            Some(next) if end < to => start = next,
            _ => break,
        }
    }
    Some(())
}

/// The exact interest of `fen_days` at the loan's rate and day count, rounded once to the
/// fen, half away from zero.
fn interest(loan: &Loan, fen_days: FenDays) -> Result<Yuan> {
    let overflow = || crate::Error::Overflow {
        operation: format!("interest of loan {}", loan.id),
    };
    let yuan_days =
        |fen_days: i128| Decimal::try_from_i128_with_scale(fen_days, 2).map_err(|_| overflow());
    let all = fen_days
        .common
        .checked_add(fen_days.leap)
        .ok_or_else(overflow)?;
    let rate = loan.annual_rate_percent;
    let (weighted, divisor) = match loan.day_count {
        DayCount::Act360 => (all, Decimal::from(360 * 100)),
        DayCount::Act365 => (all, Decimal::from(365 * 100)),
        // common/365 + leap/366 = (366·common + 365·leap) / (365·366)
        DayCount::ActualActual => (
            fen_days
                .common
                .checked_mul(366)
                .and_then(|c| {
                    fen_days
                        .leap
                        .checked_mul(365)
                        .and_then(|l| c.checked_add(l))
                })
                .ok_or_else(overflow)?,
            Decimal::from(365 * 366 * 100),
        ),
    };
    Yuan::from_product(
        &[yuan_days(weighted)?, rate],
        divisor,
        Rounding::HalfAwayFromZero,
    )
}

/// The same day a year after `date`, the last day a short-term loan signed on `date` may
/// mature: 28 February of the next year for 29 February. `None` past the last day there is.
fn year_after(date: Date) -> Option<Date> {
    let year = date.year().checked_add(1)?;
    let day = date.day().min(date.month().length(year));
    Date::from_calendar_date(year, date.month(), day).ok()
}

/// Refuses an event of the loan dated before the loan was signed.
fn after_signing(event: &EventId, record: &LoanRecord, date: Date) -> Result<()> {
    if date < record.loan.signed {
        return Err(PoolError::BeforeLoanSigned {
            loan: record.loan.id.clone(),
            event: event.clone(),
            date,
            signed: record.loan.signed,
        }
        .into());
    }
    Ok(())
}

/// The least, on `date` and on every later date, of the loan's interest accrued (each
/// accrual counted from its entry date) less `taken` (interest paid, or subsidies received,
/// each counted from its date) less `amount` taken on `date`, with the first date on which
/// it is reached. Below zero when `amount` is more than the interest allows as of `date`, or
/// leaves a later date short.
fn least_interest_left(
    record: &LoanRecord,
    taken: &[(Date, Yuan)],
    date: Date,
    amount: Yuan,
) -> Result<(Yuan, Date)> {
    least_left(&record.accruals, taken, (date, amount), || {
        format!("interest of loan {} as of {date}", record.loan.id)
    })
}

/// Refuses an empty or overlong `text` (a donor, a grant's source, what a grant was spent
/// on), and one with control characters: it goes into the memo of the event's entry, one
/// line, and is refused as the event's field, `what`, not as an invalid memo of an entry the
/// caller never wrote.
fn memo_name(what: impl Fn() -> String, text: &str) -> Result<()> {
    name(&what, text, MAX_TEXT_BYTES)?;
    if text.chars().any(char::is_control) {
        return Err(PoolError::NotAllowed {
            what: what(),
            reason: "give a name on one line, without control characters".into(),
        }
        .into());
    }
    Ok(())
}

/// Refuses `text` (a loan's lender, a grant's purpose) that the names of its account, built
/// from it (`names`, each with the account's words around `text`), could not take: with
/// control characters or white space at either end, or too long once the words are added
/// (an account's name holds at most [`MAX_ACCOUNT_NAME_BYTES`] bytes). Refused as the
/// field, `what`, not as an invalid name of an account the caller never named.
fn fits_account_names(
    what: impl Fn() -> String,
    text: &str,
    account: &AccountCode,
    names: &[&str],
) -> Result<()> {
    let refuse = |reason: String| -> Result<()> {
        Err(PoolError::NotAllowed {
            what: what(),
            reason,
        }
        .into())
    };
    if text.chars().any(char::is_control) {
        return refuse("give a name on one line, without control characters".into());
    }
    if text.trim() != text {
        return refuse("give a name without white space at either end".into());
    }
    let added = names
        .iter()
        .map(|name| name.len().saturating_sub(text.len()))
        .max()
        .unwrap_or(0);
    if names.iter().any(|name| name.len() > MAX_ACCOUNT_NAME_BYTES) {
        return refuse(format!(
            "give a name of at most {} bytes: the name of account {account} adds {added} bytes to it and holds at most {MAX_ACCOUNT_NAME_BYTES}",
            MAX_ACCOUNT_NAME_BYTES.saturating_sub(added)
        ));
    }
    Ok(())
}

impl Book {
    fn loan_record(&self, loan: &LoanId) -> Result<&LoanRecord> {
        self.operations
            .loans
            .get(loan)
            .ok_or_else(|| PoolError::UnknownLoan { loan: loan.clone() }.into())
    }

    pub(super) fn plan_loan(&self, loan: &Loan) -> Result<Plan> {
        let id = &loan.id;
        if self.operations.loans.contains_key(id) {
            return Err(PoolError::DuplicateLoan { loan: id.clone() }.into());
        }
        let what = |field: &str| format!("loan {id}: {field}");
        name(|| what("lender"), &loan.lender, MAX_TEXT_BYTES)?;
        positive(|| what("amount"), loan.amount)?;
        not_negative(|| what("annual rate in percent"), loan.annual_rate_percent)?;
        if loan.annual_rate_percent > Decimal::ONE_HUNDRED {
            return Err(PoolError::BadNumber {
                what: what("annual rate in percent"),
                expected: "at most 100",
                value: loan.annual_rate_percent,
            }
            .into());
        }
        if loan.maturity < loan.signed {
            return Err(PoolError::DatesReversed {
                what: format!("loan {id}"),
                start: loan.signed,
                end: loan.maturity,
            }
            .into());
        }
        let year_after = year_after(loan.signed);
        let within_a_year = year_after.is_none_or(|limit| loan.maturity <= limit);
        if within_a_year != (loan.term == crate::LoanTerm::Short) {
            return Err(PoolError::LoanTermMismatch {
                loan: id.clone(),
                term: loan.term,
                signed: loan.signed,
                maturity: loan.maturity,
                year_after,
            }
            .into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for member in &loan.raised_for {
            if !seen.insert(member) {
                return Err(PoolError::NotAllowed {
                    what: format!("loan {id}"),
                    reason: format!("member {member} is listed twice"),
                }
                .into());
            }
            self.active_member(member, loan.signed)?;
        }
        let code = AccountCode::new(loan.term.code())?.sub(id.as_str())?;
        self.own_account_takes_postings(&code, || format!("loan {id}"))?;
        self.new_own_account_is_empty(&code, || format!("loan {id}"))?;
        let (zh, en) = match loan.term {
            crate::LoanTerm::Short => ("短期借款", "short-term loan"),
            crate::LoanTerm::Long => ("长期借款", "long-term loan"),
        };
        let (name_zh, name_en) = (
            format!("{zh}—{}", loan.lender),
            format!("{en} {id} — {}", loan.lender),
        );
        fits_account_names(
            || what("lender"),
            &loan.lender,
            &code,
            &[&name_zh, &name_en],
        )?;
        let (name_zh, name_en) = Name::pair(&name_zh, &name_en);
        Ok(Plan::operations(
            vec![(code, name_zh, name_en)],
            Vec::new(),
            OperationsUpdate::AddLoan(Box::new(loan.clone())),
        ))
    }

    /// Checks that a principal movement dated `date` keeps the loan's history in order.
    fn principal_in_order(&self, event: &EventId, record: &LoanRecord, date: Date) -> Result<()> {
        let loan = &record.loan.id;
        after_signing(event, record, date)?;
        if let Some((last, _)) = record.movements.last().filter(|(last, _)| *last > date) {
            return Err(PoolError::NotAllowed {
                what: format!("loan {loan}: {event} on {date}"),
                reason: format!(
                    "the loan has a principal movement on {last}; record them in date order"
                ),
            }
            .into());
        }
        if let Some(through) = record.accrued_through.filter(|through| *through >= date) {
            return Err(PoolError::NotAllowed {
                what: format!("loan {loan}: {event} on {date}"),
                // The interest of a principal changed on `date` is accrued through the day
                // before: a drawdown bears interest from its day, a repayment's principal
                // none on its day (a repayment pays the interest accrued through the day
                // before, as banks count it).
                reason: format!(
                    "interest is accrued through {through}; a change of principal must be dated after it{}",
                    date.previous_day().map_or_else(String::new, |before| format!(
                        ", or the interest accrued through {before} at the latest (a drawdown bears interest from its own day, a repayment's principal none on its day: its interest is accrued through the day before)"
                    ))
                ),
            }
            .into());
        }
        Ok(())
    }

    pub(super) fn plan_drawdown(
        &self,
        id: &EventId,
        loan: &LoanId,
        date: Date,
        amount: Yuan,
        into: CashAccount,
    ) -> Result<Plan> {
        let record = self.loan_record(loan)?;
        positive(|| format!("drawdown {id} of loan {loan}"), amount)?;
        self.principal_in_order(id, record, date)?;
        if date > record.loan.maturity {
            return Err(PoolError::NotAllowed {
                what: format!("drawdown {id} of loan {loan} on {date}"),
                reason: format!("the loan matures on {}", record.loan.maturity),
            }
            .into());
        }
        let drawn = record.drawn()?;
        let available = record.loan.amount.checked_sub(drawn)?;
        if amount > available {
            return Err(PoolError::NotAllowed {
                what: format!("drawdown {id} of {amount} on loan {loan}"),
                reason: format!(
                    "the contract is for {} and {drawn} is drawn; at most {available} remains",
                    record.loan.amount
                ),
            }
            .into());
        }
        let entry = Entry::new(id.as_str(), date, format!("借款 loan {loan} drawn"))
            .debit(cash(into)?, amount)
            .credit(
                AccountCode::new(record.loan.term.code())?.sub(loan.as_str())?,
                amount,
            );
        Ok(Plan::operations(
            Vec::new(),
            vec![entry],
            OperationsUpdate::LoanPrincipal {
                loan: loan.clone(),
                date,
                change: amount,
                interest_paid: Yuan::ZERO,
            },
        ))
    }

    pub(super) fn plan_interest(&self, id: &EventId, loan: &LoanId, through: Date) -> Result<Plan> {
        let record = self.loan_record(loan)?;
        let first = match record.first_drawdown() {
            Some(first) if first <= through => first,
            first => {
                return Err(PoolError::InterestBeforeDrawdown {
                    loan: loan.clone(),
                    through,
                    first_drawdown: first,
                }
                .into())
            }
        };
        // Days through `accrued_through` are accrued already; when it is `through` or
        // later (the last day there is included, which has no next day) nothing is left.
        let start = match record.accrued_through {
            Some(done) if done >= through => None,
            Some(done) => done.next_day().map(|next| next.max(first)),
            None => Some(first),
        };
        let Some(start) = start else {
            return Ok(Plan::operations(
                Vec::new(),
                Vec::new(),
                OperationsUpdate::None,
            ));
        };
        let overflow = || crate::Error::Overflow {
            operation: format!("principal × days of loan {loan}"),
        };
        let added = fen_days(&record.movements, start, through).ok_or_else(overflow)?;
        let total = FenDays {
            common: record
                .fen_days
                .common
                .checked_add(added.common)
                .ok_or_else(overflow)?,
            leap: record
                .fen_days
                .leap
                .checked_add(added.leap)
                .ok_or_else(overflow)?,
        };
        let accrued = interest(&record.loan, total)?;
        let charge = accrued.checked_sub(record.interest_accrued)?;
        let mut entries = Vec::new();
        if charge.is_positive() {
            entries.push(
                Entry::new(
                    id.as_str(),
                    through,
                    format!(
                        "计提利息 interest on loan {loan} {start}~{through}, {}% a year, {}",
                        record.loan.annual_rate_percent,
                        record.loan.day_count.name()
                    ),
                )
                .debit(AccountCode::new("524")?, charge)
                .credit(AccountCode::new("215")?, charge),
            );
        }
        Ok(Plan::operations(
            Vec::new(),
            entries,
            OperationsUpdate::LoanInterest {
                loan: loan.clone(),
                through,
                fen_days: total,
                accrued,
                charge,
            },
        ))
    }

    pub(super) fn plan_repayment(
        &self,
        id: &EventId,
        loan: &LoanId,
        date: Date,
        principal: Yuan,
        paid_interest: Yuan,
        from: CashAccount,
    ) -> Result<Plan> {
        let record = self.loan_record(loan)?;
        not_negative_yuan(
            || format!("repayment {id} of loan {loan}: principal"),
            principal,
        )?;
        not_negative_yuan(
            || format!("repayment {id} of loan {loan}: interest"),
            paid_interest,
        )?;
        let total = principal.checked_add(paid_interest)?;
        positive(|| format!("repayment {id} of loan {loan}"), total)?;
        if principal.is_positive() {
            self.principal_in_order(id, record, date)?;
            let outstanding = record.outstanding()?;
            if principal > outstanding {
                return Err(PoolError::NotAllowed {
                    what: format!("repayment {id} of {principal} on loan {loan}"),
                    reason: format!("only {outstanding} is outstanding"),
                }
                .into());
            }
        }
        if paid_interest.is_positive() {
            after_signing(id, record, date)?;
            let (least, on) =
                least_interest_left(record, &record.interest_payments, date, paid_interest)?;
            if least.is_negative() {
                return Err(PoolError::InterestOverpaid {
                    loan: loan.clone(),
                    event: id.clone(),
                    date,
                    asked: paid_interest,
                    available: least.checked_add(paid_interest)?,
                    on,
                }
                .into());
            }
        }
        let mut entry = Entry::new(id.as_str(), date, format!("还款 repayment of loan {loan}"));
        if principal.is_positive() {
            entry = entry.debit(
                AccountCode::new(record.loan.term.code())?.sub(loan.as_str())?,
                principal,
            );
        }
        if paid_interest.is_positive() {
            entry = entry.debit(AccountCode::new("215")?, paid_interest);
        }
        entry = entry.credit(cash(from)?, total);
        Ok(Plan::operations(
            Vec::new(),
            vec![entry],
            OperationsUpdate::LoanPrincipal {
                loan: loan.clone(),
                date,
                change: principal.checked_neg()?,
                interest_paid: paid_interest,
            },
        ))
    }

    pub(super) fn plan_subsidy(
        &self,
        id: &EventId,
        loan: &LoanId,
        date: Date,
        amount: Yuan,
        into: CashAccount,
    ) -> Result<Plan> {
        let record = self.loan_record(loan)?;
        positive(|| format!("interest subsidy {id} on loan {loan}"), amount)?;
        after_signing(id, record, date)?;
        let (least, on) = least_interest_left(record, &record.subsidies, date, amount)?;
        if least.is_negative() {
            return Err(PoolError::SubsidyExceedsInterest {
                loan: loan.clone(),
                event: id.clone(),
                date,
                asked: amount,
                available: least.checked_add(amount)?,
                on,
            }
            .into());
        }
        let entry = Entry::new(
            id.as_str(),
            date,
            format!("贴息 interest subsidy on loan {loan}"),
        )
        .debit(cash(into)?, amount)
        .credit(AccountCode::new("524")?, amount);
        Ok(Plan::operations(
            Vec::new(),
            vec![entry],
            OperationsUpdate::Subsidy(loan.clone(), date, amount),
        ))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn plan_grant_received(
        &self,
        id: &EventId,
        grant: &GrantId,
        purpose: &str,
        source: &str,
        date: Date,
        amount: Yuan,
        into: CashAccount,
    ) -> Result<Plan> {
        let what = |field: &str| format!("grant {grant} ({id}): {field}");
        positive(|| what("amount"), amount)?;
        name(|| what("purpose"), purpose, MAX_TEXT_BYTES)?;
        memo_name(|| what("source"), source)?;
        let code = AccountCode::new("235")?.sub(grant.as_str())?;
        self.own_account_takes_postings(&code, || format!("grant {grant}"))?;
        let mut accounts = Vec::new();
        match self.operations.grants.get(grant) {
            Some(record) if record.purpose != purpose => {
                return Err(PoolError::NotAllowed {
                    what: what("purpose"),
                    reason: format!(
                    "the grant was received for {:?}; a grant for another purpose needs its own id",
                    record.purpose
                ),
                }
                .into())
            }
            Some(record) if record.source != source => {
                return Err(PoolError::NotAllowed {
                    what: what("source"),
                    reason: format!(
                        "the grant was received from {:?}, not {source:?}; a grant from another source needs its own id",
                        record.source
                    ),
                }
                .into())
            }
            Some(_) => {}
            None => {
                self.new_own_account_is_empty(&code, || format!("grant {grant}"))?;
                let (name_zh, name_en) = (
                    format!("专项应付款—{purpose}"),
                    format!("special payable — grant {grant}"),
                );
                fits_account_names(|| what("purpose"), purpose, &code, &[&name_zh, &name_en])?;
                let (name_zh, name_en) = Name::pair(&name_zh, &name_en);
                accounts.push((code.clone(), name_zh, name_en));
            }
        }
        let entry = Entry::new(
            id.as_str(),
            date,
            format!("收到专项资金 grant {grant} from {source}"),
        )
        .debit(cash(into)?, amount)
        .credit(code, amount);
        Ok(Plan::operations(
            accounts,
            vec![entry],
            OperationsUpdate::GrantReceived {
                grant: grant.clone(),
                purpose: purpose.to_string(),
                source: source.to_string(),
                date,
                amount,
            },
        ))
    }

    pub(super) fn plan_grant_spent(
        &self,
        id: &EventId,
        grant: &GrantId,
        date: Date,
        amount: Yuan,
        on: &GrantUse,
    ) -> Result<Plan> {
        let record = self
            .operations
            .grants
            .get(grant)
            .ok_or_else(|| PoolError::UnknownGrant {
                grant: grant.clone(),
            })?;
        positive(|| format!("grant {grant} spent ({id})"), amount)?;
        let (least, when) = least_left(&record.received, &record.spent, (date, amount), || {
            format!("balance of grant {grant}")
        })?;
        if least.is_negative() {
            return Err(PoolError::GrantOverspent {
                grant: grant.clone(),
                date,
                asked: amount,
                available: least.checked_add(amount)?,
                on: when,
            }
            .into());
        }
        let code = AccountCode::new("235")?.sub(grant.as_str())?;
        let entry = match on {
            GrantUse::Asset { asset } => {
                memo_name(|| format!("grant {grant} spent ({id}): asset"), asset)?;
                Entry::new(
                    id.as_str(),
                    date,
                    format!("专项资金形成资产 grant {grant} spent on {asset}"),
                )
                .debit(code, amount)
                .credit(AccountCode::new("311")?, amount)
            }
            GrantUse::Expense { purpose, from } => {
                memo_name(|| format!("grant {grant} spent ({id}): purpose"), purpose)?;
                Entry::new(
                    id.as_str(),
                    date,
                    format!("专项资金支出 grant {grant} spent on {purpose}"),
                )
                .debit(code, amount)
                .credit(cash(*from)?, amount)
            }
        };
        Ok(Plan::operations(
            Vec::new(),
            vec![entry],
            OperationsUpdate::GrantSpent(grant.clone(), date, amount),
        ))
    }

    pub(super) fn plan_donation(
        &self,
        id: &EventId,
        donor: &str,
        date: Date,
        amount: Yuan,
        into: CashAccount,
    ) -> Result<Plan> {
        positive(|| format!("donation {id}"), amount)?;
        memo_name(|| format!("donation {id}: donor"), donor)?;
        let entry = Entry::new(id.as_str(), date, format!("接受捐赠 donation from {donor}"))
            .debit(cash(into)?, amount)
            .credit(AccountCode::new("311")?, amount);
        Ok(Plan::operations(
            Vec::new(),
            vec![entry],
            OperationsUpdate::Donation(date, amount),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn loan(day_count: DayCount) -> Loan {
        Loan {
            id: LoanId::new("L1").unwrap_or_else(|e| panic!("{e}")),
            lender: "bank".into(),
            term: crate::LoanTerm::Short,
            amount: Yuan::from_fen(50_000_000),
            annual_rate_percent: dec!(4.35),
            day_count,
            signed: date!(2019 - 01 - 01),
            maturity: date!(2021 - 12 - 31),
            raised_for: Vec::new(),
        }
    }

    #[test]
    fn a_year_after_signing() {
        assert_eq!(
            year_after(date!(2019 - 01 - 05)),
            Some(date!(2020 - 01 - 05))
        );
        assert_eq!(
            year_after(date!(2020 - 02 - 29)),
            Some(date!(2021 - 02 - 28))
        );
        assert_eq!(
            year_after(date!(2019 - 02 - 28)),
            Some(date!(2020 - 02 - 28))
        );
        assert_eq!(year_after(Date::MAX), None);
    }

    #[test]
    fn principal_days_split_by_year_and_movement() {
        let moves = [
            (date!(2019 - 12 - 31), Yuan::from_fen(100)),
            (date!(2020 - 01 - 02), Yuan::from_fen(-40)),
        ];
        // 2019-12-31: 100; 2020-01-01: 100; from 2020-01-02: 60.
        let got = fen_days(&moves, date!(2019 - 12 - 31), date!(2020 - 01 - 03));
        assert_eq!(
            got,
            Some(FenDays {
                common: 100,
                leap: 100 + 60 * 2
            })
        );
        // Before the first movement nothing bears interest.
        assert_eq!(
            fen_days(&moves, date!(2019 - 12 - 01), date!(2019 - 12 - 30)),
            Some(FenDays::default())
        );
    }

    #[test]
    fn the_three_day_counts() -> Result<()> {
        // 500,000.00 for 2019 (365 days): 50,000,000 fen × 365.
        let year = FenDays {
            common: 50_000_000 * 365,
            leap: 0,
        };
        assert_eq!(
            interest(&loan(DayCount::Act365), year)?,
            Yuan::from_fen(2_175_000)
        );
        assert_eq!(
            interest(&loan(DayCount::Act360), year)?,
            Yuan::from_fen(2_205_208)
        );
        assert_eq!(
            interest(&loan(DayCount::ActualActual), year)?,
            Yuan::from_fen(2_175_000)
        );
        // 2020 has 366 days: actual/actual still gives a year's interest, ACT/365 a day more.
        let leap = FenDays {
            common: 0,
            leap: 50_000_000 * 366,
        };
        assert_eq!(
            interest(&loan(DayCount::ActualActual), leap)?,
            Yuan::from_fen(2_175_000)
        );
        assert_eq!(
            interest(&loan(DayCount::Act365), leap)?,
            Yuan::from_fen(2_180_959)
        );
        assert_eq!(
            interest(&loan(DayCount::Act360), leap)?,
            Yuan::from_fen(2_211_250)
        );
        Ok(())
    }
}
