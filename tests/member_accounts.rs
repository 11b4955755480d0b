//! Properties of the members' accounts (成员账户) over random books (`landpool::strategies`):
//! capital by source adds up to the member's capital and each part's opening, changes and
//! closing agree; each member's subsidy and donation shares add back to their equal share
//! of 311 at each close, and carry from one close to the next year's opening.

#![cfg(feature = "proptest")]

use landpool::ledger::AccountCode;
use landpool::strategies::{self, Config};
use landpool::{report, Rounding, Yuan};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn capital_parts_and_311_shares_add_up(book in strategies::book_with(Config::default())) {
        let fund = AccountCode::new("311").map_err(fail)?;
        let mut previous: Option<Vec<report::MemberAccountRow>> = None;
        for year in 2019..=2022 {
            let Some(distribution) = book.distribution(year) else { break };
            let rows = report::member_accounts(&book, year).map_err(fail)?;
            // Every generated book has members, so the checks below run for each of them.
            prop_assert!(!rows.is_empty(), "no member accounts in {}", year);
            let last = time::Date::from_calendar_date(year, time::Month::December, 31).map_err(fail)?;
            let in_311 = book.journal().balance(&fund, last).map_err(fail)?.checked_neg().map_err(fail)?;
            // The accounts cover every member of the year: those the close weighed (members
            // on its last day) and those who left during it, who have no share of the close,
            // and one who left before it for whom a reserve share or capital is still held
            // at its start (or whose capital moves in it).
            let first = time::Date::from_calendar_date(year, time::Month::January, 1).map_err(fail)?;
            let weighed = rows.iter().filter(|r| distribution.share(&r.member).is_some()).count();
            prop_assert_eq!(weighed, distribution.members.len());
            for r in rows.iter().filter(|r| distribution.share(&r.member).is_none()) {
                let member = book.member(&r.member).ok_or_else(|| fail("no member"))?;
                let held = r.reserve_opening.is_positive() || !r.capital_opening.is_zero() || r.other_capital_increase.is_positive() || r.other_capital_decrease.is_positive() || r.poverty_relief_increase.is_positive() || r.poverty_relief_decrease.is_positive();
                prop_assert!(member.left.is_some_and(|left| (left >= first && left < last) || (left < first && held)), "{:?}", member);
                prop_assert_eq!((r.subsidy_share, r.donation_share, r.patronage, r.remaining, r.reserve_change), (Yuan::ZERO, Yuan::ZERO, Yuan::ZERO, Yuan::ZERO, Yuan::ZERO));
            }
            let count = Decimal::from(weighed.max(1));
            // Each member's equal share of 311, rounded down or up to the fen.
            let low = Yuan::from_product(&[in_311.to_decimal()], count, Rounding::TowardZero).map_err(fail)?;
            let high = Yuan::from_product(&[in_311.to_decimal()], count, Rounding::AwayFromZero).map_err(fail)?;
            // The members' shares add back to 311 to the fen.
            let shared = rows.iter().filter(|r| distribution.share(&r.member).is_some());
            let total = Yuan::checked_sum(shared.map(|r| r.subsidy_share.checked_add(r.donation_share)).collect::<Result<Vec<_>, _>>().map_err(fail)?).map_err(fail)?;
            if weighed > 0 {
                prop_assert_eq!(total, in_311);
            }
            for r in rows.iter().filter(|r| distribution.share(&r.member).is_some()) {
                let sum = |a: Yuan, b: Yuan| a.checked_add(b).map_err(fail);
                let net = |opening: Yuan, up: Yuan, down: Yuan| opening.checked_add(up).and_then(|x| x.checked_sub(down)).map_err(fail);
                prop_assert_eq!(sum(r.poverty_relief_opening, r.other_capital_opening)?, r.capital_opening);
                prop_assert_eq!(sum(r.poverty_relief_closing, r.other_capital_closing)?, r.capital_closing);
                prop_assert_eq!(net(r.poverty_relief_opening, r.poverty_relief_increase, r.poverty_relief_decrease)?, r.poverty_relief_closing);
                prop_assert_eq!(net(r.other_capital_opening, r.other_capital_increase, r.other_capital_decrease)?, r.other_capital_closing);
                for part in [r.poverty_relief_opening, r.poverty_relief_increase, r.poverty_relief_decrease, r.poverty_relief_closing, r.other_capital_increase, r.other_capital_decrease] {
                    prop_assert!(!part.is_negative(), "{:?}", r);
                }
                let account = book.member_account(&r.member, last).map_err(fail)?;
                prop_assert_eq!((account.capital, account.poverty_relief_capital), (r.capital_closing, r.poverty_relief_closing));
                // The equal share of 311, split by source, within a fen of the exact share.
                let both = sum(r.subsidy_share, r.donation_share)?;
                prop_assert!(low <= both && both <= high, "{:?} not within {} to {}", r, low, high);
                prop_assert!(!r.donation_share.is_negative());
                prop_assert!(!r.subsidy_share.is_negative());
                prop_assert_eq!(net(r.subsidy_opening, r.subsidy_change, Yuan::ZERO)?, r.subsidy_share);
                prop_assert_eq!(net(r.donation_opening, r.donation_change, Yuan::ZERO)?, r.donation_share);
                prop_assert_eq!(net(r.reserve_opening, r.reserve_change, sum(r.reserve_refunded, r.reserve_converted)?)?, r.reserve_closing);
                prop_assert!(!r.reserve_converted.is_negative() && !r.reserve_closing.is_negative(), "{:?}", r);
                // A share returned is the whole share: nothing is left of it.
                if r.reserve_refunded.is_positive() {
                    prop_assert_eq!(r.reserve_closing, Yuan::ZERO);
                }
                // The transaction volume shown is what the close weighed, both measures.
                let share = distribution.share(&r.member);
                prop_assert_eq!(
                    share.map(|s| (s.land_mu_days, s.labour_pay)),
                    Some((r.land_mu_days, r.labour_pay))
                );
                // The opening is last year's closing for a member there last year.
                if let Some(before) = previous.as_ref().and_then(|rows| rows.iter().find(|p| p.member == r.member)) {
                    prop_assert_eq!(
                        (r.capital_opening, r.poverty_relief_opening, r.subsidy_opening, r.donation_opening, r.reserve_opening),
                        (before.capital_closing, before.poverty_relief_closing, before.subsidy_share, before.donation_share, before.reserve_closing)
                    );
                }
            }
            previous = Some(rows);
        }
        // Every generated book closes its first year (2019): without this, a book with no
        // close would check nothing at all.
        prop_assert!(previous.is_some(), "the book closed no year from 2019");
    }
}
