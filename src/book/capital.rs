//! Members' capital (股金) paid back: [`Event::CapitalReturned`] and the register of what
//! went back, which the year-end close and the members' accounts read instead of guessing
//! from debits to `301.<member>`.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Book, Plan, Update};
use crate::book::land::member_account;
use crate::book::{CapitalSource, CashAccount};
use crate::ledger::{AccountCode, Entry};
use crate::pool::PoolError;
use crate::{ContractId, ContractKind, Error, EventId, MemberId, Result, Yuan};

/// Capital paid back to a member ([`Event::CapitalReturned`](crate::Event::CapitalReturned)),
/// as the book's register keeps it.
///
/// # Example
///
/// ```
/// let book = landpool::Book::new();
/// assert!(book.capital_returns(&"M001".parse()?).is_empty());
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CapitalReturn {
    /// The day of payment.
    pub date: Date,
    /// The capital paid back.
    pub amount: Yuan,
    /// The land-share contract whose capital it is; none for money capital.
    pub contract: Option<ContractId>,
    /// Where the money capital returned came from (other sources for a contract's).
    pub source: CapitalSource,
}

/// The event's fields, as [`Book::plan_capital_return`] takes them.
pub(crate) struct Returned<'a> {
    pub(crate) member: &'a MemberId,
    pub(crate) date: Date,
    pub(crate) amount: Yuan,
    pub(crate) from: CashAccount,
    pub(crate) contract: Option<&'a ContractId>,
    pub(crate) source: CapitalSource,
}

impl Book {
    /// The capital paid back to a member with [`Event::CapitalReturned`](crate::Event::CapitalReturned),
    /// in the order the events were applied. A refund booked by a manual entry (Dr 301) is
    /// not in it.
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::Book::new();
    /// assert!(book.capital_returns(&"M001".parse()?).is_empty());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn capital_returns(&self, member: &MemberId) -> &[CapitalReturn] {
        self.capital_returns.get(member).map_or(&[], Vec::as_slice)
    }

    /// The land-share capital of `contract` not yet returned with
    /// [`Event::CapitalReturned`](crate::Event::CapitalReturned): the capital its signing
    /// booked less what was returned against it, whatever the dates; zero for a land
    /// transfer contract.
    ///
    /// # Errors
    ///
    /// [`PoolError::UnknownContract`] for a contract the book does not know;
    /// [`Error::Overflow`] if the returns do not add up within range (they cannot, as each
    /// was checked against the capital).
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::Book::new();
    /// assert!(book.land_capital_unreturned(&"C001".parse()?).is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn land_capital_unreturned(&self, contract: &ContractId) -> Result<Yuan> {
        let record = self.known_contract(contract)?;
        let returned = self.land_capital_returned(&record.contract.member, contract, None)?;
        record.capital.checked_sub(returned)
    }

    /// A member's money capital on `date`: their capital (301's credit balance) less the
    /// land-share capital of their contracts signed by then and not returned by then with
    /// [`Event::CapitalReturned`](crate::Event::CapitalReturned). What a return of money
    /// capital may take on that day (and on every later day). Negative when a manual debit
    /// to 301 took more than the money capital.
    ///
    /// # Errors
    ///
    /// [`PoolError::UnknownMember`] for a member the book does not know; [`Error::Overflow`]
    /// if the amounts do not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// // H05's capital is 10,000.00 from poverty-relief assets, in money.
    /// assert_eq!(book.money_capital(&"H05".parse()?, date!(2019 - 12 - 31))?.to_string(), "10000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn money_capital(&self, member: &MemberId, date: Date) -> Result<Yuan> {
        if self.member(member).is_none() {
            return Err(PoolError::UnknownMember {
                member: member.clone(),
            }
            .into());
        }
        let capital = self
            .journal
            .balance(&member_account("301", member)?, date)?
            .checked_neg()?;
        capital.checked_sub(self.land_capital_held(member, date)?)
    }

    /// The land-share capital of a member's contracts signed (their capital booked) on or
    /// before `date`, less what was returned against them on or before it.
    fn land_capital_held(&self, member: &MemberId, date: Date) -> Result<Yuan> {
        let mut held = Yuan::ZERO;
        for record in self.contracts_of(member) {
            if !matches!(record.contract.kind, ContractKind::LandShares { .. })
                || record.contract.start > date
            {
                continue;
            }
            let returned = self.land_capital_returned(member, &record.contract.id, Some(date))?;
            held = held.checked_add(record.capital.checked_sub(returned)?)?;
        }
        Ok(held)
    }

    /// What was returned against a member's land-share `contract` on or before `through`
    /// (every return when `None`).
    pub(crate) fn land_capital_returned(
        &self,
        member: &MemberId,
        contract: &ContractId,
        through: Option<Date>,
    ) -> Result<Yuan> {
        Yuan::checked_sum(
            self.capital_returns(member)
                .iter()
                .filter(|r| r.contract.as_ref() == Some(contract))
                .filter(|r| through.is_none_or(|through| r.date <= through))
                .map(|r| r.amount),
        )
    }

    /// Every capital return of a member dated from `from` through `to`, both kinds.
    pub(crate) fn capital_returned_between(
        &self,
        member: &MemberId,
        from: Date,
        to: Date,
    ) -> Result<Yuan> {
        Yuan::checked_sum(
            self.capital_returns(member)
                .iter()
                .filter(|r| r.date >= from && r.date <= to)
                .map(|r| r.amount),
        )
    }

    /// Poverty-relief capital returned to a member on or before `through`.
    pub(crate) fn poverty_relief_returned(&self, member: &MemberId, through: Date) -> Result<Yuan> {
        Yuan::checked_sum(
            self.capital_returns(member)
                .iter()
                .filter(|r| r.source == CapitalSource::PovertyRelief && r.date <= through)
                .map(|r| r.amount),
        )
    }

    /// Plans paying capital back to a member (see [`Event::CapitalReturned`](crate::Event::CapitalReturned)).
    pub(crate) fn plan_capital_return(&self, id: &EventId, event: &Returned<'_>) -> Result<Plan> {
        let Returned {
            member,
            date,
            amount,
            from,
            contract,
            source,
        } = *event;
        if self.member(member).is_none() {
            return Err(PoolError::UnknownMember {
                member: member.clone(),
            }
            .into());
        }
        if !amount.is_positive() {
            return Err(PoolError::BadNumber {
                what: format!("capital returned to {member} on {date} ({id})"),
                expected: "above zero",
                value: amount.to_decimal(),
            }
            .into());
        }
        let exceeds = |capital: String, available: Yuan, on: Date| -> Error {
            PoolError::CapitalReturnExceeds {
                event: id.clone(),
                member: member.clone(),
                date,
                asked: amount,
                capital,
                available,
                on,
            }
            .into()
        };
        let account = member_account("301", member)?;
        match contract {
            Some(contract) => {
                if source == CapitalSource::PovertyRelief {
                    return Err(PoolError::NotAllowed {
                        what: format!("capital return {id} to {member} on {date}"),
                        reason: format!(
                            "contract {contract}'s capital is land-use rights taken in as shares, not poverty-relief assets: leave the source out (other sources)"
                        ),
                    }
                    .into());
                }
                let record = self.known_contract(contract)?;
                if record.contract.member != *member {
                    return Err(PoolError::ContractOfAnotherMember {
                        event: id.clone(),
                        member: member.clone(),
                        contract: contract.clone(),
                        holder: record.contract.member.clone(),
                    }
                    .into());
                }
                if !matches!(record.contract.kind, ContractKind::LandShares { .. }) {
                    return Err(PoolError::NoLandShareCapital {
                        event: id.clone(),
                        contract: contract.clone(),
                    }
                    .into());
                }
                if record.contract.end > date {
                    return Err(PoolError::ContractNotEnded {
                        event: id.clone(),
                        date,
                        contract: contract.clone(),
                        end: record.contract.end,
                    }
                    .into());
                }
                let left = record
                    .capital
                    .checked_sub(self.land_capital_returned(member, contract, None)?)?;
                if amount > left {
                    return Err(exceeds(
                        format!("the land-share capital of contract {contract} not yet returned"),
                        left,
                        date,
                    ));
                }
            }
            None => {
                // Money capital, and the part of it from the return's source, on the date and
                // on each later day 301 moves: a return dated before a later one, or before a
                // later entry that took from 301, may not leave either below zero then. The
                // error names the least each holds from the date on (the first day of it),
                // what a return may take. Money capital from other sources is the money
                // capital less the poverty-relief capital not yet returned: a return from
                // other sources may not take that, which the register would still hold (and
                // the members' accounts show) with nothing in 301 left to return it from.
                let series = self.journal.series_of(&account)?;
                let days = std::iter::once(date).chain(series.dates_after(date));
                let mut least_money: Option<(Yuan, Date)> = None;
                let mut least_source: Option<(Yuan, Date)> = None;
                let lower = |least: &mut Option<(Yuan, Date)>, value: Yuan, day: Date| {
                    if least.is_none_or(|(held, _)| value < held) {
                        *least = Some((value, day));
                    }
                };
                for day in days {
                    let money = self.money_capital(member, day)?;
                    lower(&mut least_money, money, day);
                    let relief = self
                        .poverty_relief_contributed(member, None, day)?
                        .checked_sub(self.poverty_relief_returned(member, day)?)?;
                    let of_source = match source {
                        CapitalSource::PovertyRelief => relief,
                        CapitalSource::Other => money.checked_sub(relief.max(Yuan::ZERO))?,
                    };
                    lower(&mut least_source, of_source, day);
                }
                if let Some((money, on)) = least_money.filter(|(money, _)| amount > *money) {
                    return Err(exceeds(
                        format!("the money capital of {member} (301.{member} less the land-share capital not yet returned)"),
                        money,
                        on,
                    ));
                }
                if let Some((held, on)) = least_source.filter(|(held, _)| amount > *held) {
                    let capital = match source {
                        CapitalSource::PovertyRelief => format!("the capital {member} contributed from poverty-relief assets and was not yet returned"),
                        CapitalSource::Other => format!("the money capital {member} contributed from other sources (money capital less the capital from poverty-relief assets not yet returned)"),
                    };
                    return Err(exceeds(capital, held, on));
                }
            }
        }
        let (holds, on) = self.least_credit_from(&account, date)?;
        if amount > holds {
            return Err(exceeds(format!("301.{member} 股金"), holds, on));
        }
        let memo = match contract {
            Some(contract) => {
                format!("退还土地股金 land-share capital of {contract} returned to {member}")
            }
            None => format!("退还股金 capital returned to {member}"),
        };
        let entry = Entry::new(id.as_str(), date, memo)
            .debit(account, amount)
            .credit(AccountCode::new(from.code())?, amount);
        Ok(Plan {
            accounts: Vec::new(),
            entries: vec![entry],
            update: Update::CapitalReturned(
                member.clone(),
                CapitalReturn {
                    date,
                    amount,
                    contract: contract.cloned(),
                    source,
                },
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;
    use time::macros::date;

    use super::*;
    use crate::ledger::AccountCode;
    use crate::{
        Book, Contract, ContractLine, Event, Member, MemberKind, Parcel, PaymentTerms, ProRating,
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

    /// M1 with 3,000 of money capital (1,000 of it from poverty-relief assets) and 2,000 of
    /// land shares (2 mu × 1 × 1,000) under C1, 1 January – 30 June 2019.
    /// Applies `event`, which must be refused as returning more than the capital holds,
    /// naming the least it holds and the day (`expected`), and leave `book` as it was.
    fn refused_beyond(book: &mut Book, event: Event, expected: (&str, Date)) {
        let before = book.clone();
        match book.apply(id("refused"), event) {
            Err(Error::Pool(PoolError::CapitalReturnExceeds { available, on, .. })) => {
                assert_eq!((available, on), (yuan(expected.0), expected.1));
            }
            other => panic!("{other:?}"),
        }
        assert!(*book == before);
    }

    fn book() -> Book {
        let mut book = Book::new();
        let mut n = 0;
        let mut apply = |book: &mut Book, event: Event| {
            n += 1;
            ok(book.apply(id(&format!("e{n}")), event));
        };
        apply(
            &mut book,
            Event::MemberJoined {
                member: Member {
                    id: id("M1"),
                    name: "成员一".into(),
                    kind: MemberKind::Household { persons: 2 },
                    village: "高格庄".into(),
                    joined: date!(2019 - 01 - 01),
                    left: None,
                },
            },
        );
        apply(
            &mut book,
            Event::ParcelRegistered {
                parcel: Parcel {
                    id: id("P1"),
                    owner: id("M1"),
                    area: id("2"),
                    village: "高格庄".into(),
                    land_class: "水浇地".into(),
                    registered: date!(2019 - 01 - 01),
                    retired: None,
                },
            },
        );
        apply(
            &mut book,
            Event::ContractSigned {
                contract: Box::new(Contract {
                    id: id("C1"),
                    member: id("M1"),
                    lines: vec![ContractLine {
                        parcel: id("P1"),
                        area: id("2"),
                    }],
                    start: date!(2019 - 01 - 01),
                    end: date!(2019 - 06 - 30),
                    kind: ContractKind::LandShares {
                        shares_per_mu: dec!(1),
                        value_per_share: yuan("1000"),
                        guaranteed_per_share: dec!(0),
                    },
                    pro_rating: ProRating::ActualDays,
                    payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                    charge_to: ok(AccountCode::new("401")),
                }),
            },
        );
        for (amount, source) in [
            ("2000", CapitalSource::Other),
            ("1000", CapitalSource::PovertyRelief),
        ] {
            apply(
                &mut book,
                Event::CapitalContributed {
                    member: id("M1"),
                    date: date!(2019 - 02 - 01),
                    amount: yuan(amount),
                    into: CashAccount::Bank,
                    source,
                    premium: Yuan::ZERO,
                },
            );
        }
        book
    }

    fn returned(date: Date, amount: &str, contract: Option<&str>, source: CapitalSource) -> Event {
        Event::CapitalReturned {
            member: id("M1"),
            date,
            amount: yuan(amount),
            from: CashAccount::Bank,
            contract: contract.map(id),
            source,
        }
    }

    #[test]
    fn money_capital_is_301_less_the_land_shares_not_returned() {
        let mut book = book();
        let m1: MemberId = id("M1");
        // Before the money came in, 301 holds the land shares alone.
        assert_eq!(
            book.money_capital(&m1, date!(2019 - 01 - 15)),
            Ok(Yuan::ZERO)
        );
        assert_eq!(
            book.money_capital(&m1, date!(2019 - 02 - 01)),
            Ok(yuan("3000"))
        );
        ok(book.apply(
            id("back-land"),
            returned(
                date!(2019 - 07 - 01),
                "500",
                Some("C1"),
                CapitalSource::Other,
            ),
        ));
        ok(book.apply(
            id("back-relief"),
            returned(
                date!(2019 - 08 - 01),
                "400",
                None,
                CapitalSource::PovertyRelief,
            ),
        ));
        // The contract's 500 is off both 301 and the land shares: money is unchanged.
        assert_eq!(
            book.money_capital(&m1, date!(2019 - 07 - 01)),
            Ok(yuan("3000"))
        );
        assert_eq!(book.land_capital_unreturned(&id("C1")), Ok(yuan("1500")));
        assert_eq!(
            book.money_capital(&m1, date!(2019 - 08 - 01)),
            Ok(yuan("2600"))
        );
        assert_eq!(
            book.poverty_relief_part(&m1, date!(2019 - 08 - 01), yuan("4100")),
            Ok(yuan("600"))
        );
        assert_eq!(book.capital_returns(&m1).len(), 2);
        assert!(book
            .money_capital(&id("M404"), date!(2019 - 08 - 01))
            .is_err());
        // A replay gives the same register.
        let replayed = ok(Book::replay(book.events().to_vec()));
        assert!(replayed == book);
    }

    /// The error of a return beyond the capital it draws on names the least that capital
    /// holds from the return's date on, and that day: not the first later day it falls
    /// short on, after which a return of what it named would be refused again.
    #[test]
    fn a_return_beyond_the_capital_names_the_least_it_holds() {
        let mut book = book();
        let relief = CapitalSource::PovertyRelief;
        // Poverty-relief capital 1,000 to 31 August, 700 from 1 September, 300 from 1 October.
        ok(book.apply(
            id("september"),
            returned(date!(2019 - 09 - 01), "300", None, relief),
        ));
        ok(book.apply(
            id("october"),
            returned(date!(2019 - 10 - 01), "400", None, relief),
        ));
        refused_beyond(
            &mut book,
            returned(date!(2019 - 08 - 01), "800", None, relief),
            ("300", date!(2019 - 10 - 01)),
        );
        ok(book.apply(
            id("august"),
            returned(date!(2019 - 08 - 01), "300", None, relief),
        ));
    }

    /// A return of money capital from other sources may not take the capital from
    /// poverty-relief assets: M1's 3,000 of money capital is 2,000 from other sources and
    /// 1,000 from poverty-relief assets. Taken as other sources, the poverty-relief 1,000
    /// would stay in the register (and in the members' accounts) with nothing left in 301
    /// to return it from.
    #[test]
    fn a_return_from_other_sources_may_not_take_poverty_relief_capital() {
        let mut book = book();
        let other = CapitalSource::Other;
        let before = book.clone();
        let asked = book.apply(
            id("other"),
            returned(date!(2019 - 08 - 01), "2000.01", None, other),
        );
        assert_eq!(
            asked,
            Err(Error::Pool(PoolError::CapitalReturnExceeds {
                event: id("other"),
                member: id("M1"),
                date: date!(2019 - 08 - 01),
                asked: yuan("2000.01"),
                capital: "the money capital M1 contributed from other sources (money capital less the capital from poverty-relief assets not yet returned)".into(),
                available: yuan("2000"),
                on: date!(2019 - 08 - 01),
            }))
        );
        assert!(book == before);
        // A poverty-relief return dated later leaves the other sources as they were.
        ok(book.apply(
            id("relief"),
            returned(
                date!(2019 - 09 - 01),
                "1000",
                None,
                CapitalSource::PovertyRelief,
            ),
        ));
        ok(book.apply(
            id("other"),
            returned(date!(2019 - 08 - 01), "2000", None, other),
        ));
        let m1: MemberId = id("M1");
        assert_eq!(
            book.money_capital(&m1, date!(2019 - 09 - 01)),
            Ok(Yuan::ZERO)
        );
        assert_eq!(
            book.poverty_relief_part(&m1, date!(2019 - 09 - 01), yuan("2000")),
            Ok(Yuan::ZERO)
        );
    }

    #[test]
    fn a_money_return_may_not_take_what_a_later_one_took() {
        let mut book = book();
        // The poverty-relief 1,000 and 1,500 of the other sources' 2,000.
        ok(book.apply(
            id("later-relief"),
            returned(
                date!(2019 - 09 - 01),
                "1000",
                None,
                CapitalSource::PovertyRelief,
            ),
        ));
        ok(book.apply(
            id("later"),
            returned(date!(2019 - 09 - 01), "1500", None, CapitalSource::Other),
        ));
        // On 1 August 3,000 is money capital, but from 1 September on only 500.
        refused_beyond(
            &mut book,
            returned(date!(2019 - 08 - 01), "501", None, CapitalSource::Other),
            ("500", date!(2019 - 09 - 01)),
        );
        ok(book.apply(
            id("earlier"),
            returned(date!(2019 - 08 - 01), "500", None, CapitalSource::Other),
        ));
    }
}
