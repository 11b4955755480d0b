//! The reference cooperative's 2019 statements, checked line by line against figures derived
//! by hand from its data (examples/season.rs and `BookFolder::reference`):
//! 28 households pooling 200 mu at 1000 yuan/mu; capital 10,000 a household (H05's and H18's
//! from poverty-relief assets) and 50,000 from the collective; a grant of 800,000 spent on 28 greenhouses of 60,000 (residual 3,000, ten
//! years, built 10 January so depreciated February–December); a 500,000 loan at 4.35%
//! ACT/365 for the year with a 10,875 subsidy; seedlings 3,000 a greenhouse, fertiliser
//! 180,000, film 90,000, expert fees 48,000, water and power 60,000, administration 36,000;
//! days worked 50 + (i × 37 + q × 11) mod 40 per household i and quarter q at 150 a day;
//! 2,500 kg of grapes a mu at 8.00; a 10% reserve and 70% returned by land pooled.

use landpool::folder::BookFolder;
use landpool::*;

fn yuan(text: &str) -> Yuan {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn the_reference_cooperatives_statements_by_hand() {
    let book = BookFolder::reference()
        .and_then(|folder| folder.run())
        .unwrap_or_else(|e| panic!("{e}"));

    // Wages, from the timesheets' definition.
    let days: u64 = (0..28_u64)
        .flat_map(|i| (0..4_u64).map(move |q| 50 + (i * 37 + q * 11) % 40))
        .sum();
    let wages = Yuan::from_fen(i64::try_from(days * 150 * 100).unwrap_or(0));
    assert_eq!(wages, yuan("1168800"));

    let rent = yuan("200000");
    let materials = yuan("462000"); // 84,000 + 180,000 + 90,000 + 48,000 + 60,000
    let depreciation = yuan("146300"); // 28 × 11 × (60,000 − 3,000) / 120
    let operating_expenses =
        Yuan::checked_sum([rent, wages, materials, depreciation]).unwrap_or_default();

    let statement = report::surplus_statement(&book, 2019).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| {
        statement
            .line(n)
            .map(|l| l.current)
            .unwrap_or_else(|| panic!("line {n}"))
    };
    assert_eq!(line(1), yuan("4000000")); // 200 mu × 2,500 kg × 8.00
    assert_eq!(line(3), operating_expenses);
    assert_eq!(line(5), yuan("36000"));
    assert_eq!(line(6), yuan("10875")); // 500,000 × 4.35% − the 10,875 subsidy
    assert_eq!(line(7), yuan("1976025"));
    assert_eq!(line(12), yuan("1976025"));
    assert_eq!(line(15), yuan("197602.50"));
    assert_eq!(line(16), yuan("1778422.50"));
    assert_eq!(line(17), yuan("1244895.75"));
    assert_eq!(line(18), yuan("533526.75"));
    assert_eq!(line(20), Yuan::ZERO);

    let sheet = report::balance_sheet(&book, 2019).unwrap_or_else(|e| panic!("{e}"));
    let line = |n: u8| {
        sheet
            .line(n)
            .map(|l| l.current)
            .unwrap_or_else(|| panic!("line {n}"))
    };
    // Cash: 330,000 capital + 800,000 grant + 500,000 loan + 4,000,000 sales + 10,875 subsidy
    // − 1,680,000 greenhouses − 200,000 rent − 462,000 materials − 36,000 administration
    // − 1,168,800 wages.
    assert_eq!(line(1), yuan("2094075"));
    assert_eq!(line(10), yuan("1680000"));
    assert_eq!(line(11), yuan("146300"));
    assert_eq!(line(12), yuan("1533700"));
    assert_eq!(line(22), yuan("3627775"));
    assert_eq!(line(24), Yuan::ZERO); // rent paid in advance and accrued: settled
    assert_eq!(line(26), Yuan::ZERO); // wages paid at the year end
    assert_eq!(line(28), yuan("21750"));
    assert_eq!(line(29), yuan("1244895.75"));
    assert_eq!(line(30), yuan("533526.75"));
    assert_eq!(line(31), yuan("1800172.50"));
    assert_eq!(line(32), yuan("500000"));
    assert_eq!(line(33), Yuan::ZERO); // the grant was spent on the greenhouses
    assert_eq!(line(35), yuan("2300172.50"));
    assert_eq!(line(36), yuan("330000"));
    assert_eq!(line(37), yuan("800000"));
    assert_eq!(line(39), yuan("197602.50"));
    assert_eq!(line(40), Yuan::ZERO);
    assert_eq!(line(41), yuan("1327602.50"));
    assert_eq!(line(42), yuan("3627775"));

    // Households: 200,000 rent, 1,168,800 wages; what the households get of the distribution.
    let incomes = report::household_income(&book, 2019).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(incomes.len(), 28);
    assert_eq!(
        Yuan::checked_sum(incomes.iter().map(|h| h.rent)).unwrap_or_default(),
        rent
    );
    assert_eq!(
        Yuan::checked_sum(incomes.iter().map(|h| h.labour)).unwrap_or_default(),
        wages
    );
    let patronage = Yuan::checked_sum(incomes.iter().map(|h| h.patronage)).unwrap_or_default();
    assert_eq!(patronage, yuan("1244895.75")); // the collective pools no land
    assert_eq!(incomes.iter().map(|h| h.persons).sum::<u32>(), 75);
}

#[test]
fn the_reference_cooperatives_member_accounts_by_hand() {
    let book = BookFolder::reference()
        .and_then(|folder| folder.run())
        .unwrap_or_else(|e| panic!("{e}"));
    let rows = report::member_accounts(&book, 2019).unwrap_or_else(|e| panic!("{e}"));
    // 28 households and the collective.
    assert_eq!(rows.len(), 29);
    let row = |member: &str| {
        rows.iter()
            .find(|r| r.member.as_str() == member)
            .cloned()
            .unwrap_or_else(|| panic!("{member}"))
    };
    let zero = Yuan::ZERO;
    // Capital: everything came in on 2 January 2019; H05 and H18 from poverty-relief assets.
    for member in ["H05", "H18"] {
        let r = row(member);
        assert_eq!(
            (
                r.poverty_relief_opening,
                r.poverty_relief_increase,
                r.poverty_relief_decrease,
                r.poverty_relief_closing,
                r.other_capital_closing,
                r.capital_closing
            ),
            (
                zero,
                yuan("10000"),
                zero,
                yuan("10000"),
                zero,
                yuan("10000")
            ),
            "{member}"
        );
    }
    let h01 = row("H01");
    assert_eq!(
        (
            h01.poverty_relief_closing,
            h01.other_capital_opening,
            h01.other_capital_increase,
            h01.other_capital_closing
        ),
        (zero, zero, yuan("10000"), yuan("10000"))
    );
    assert_eq!(row("V01").other_capital_closing, yuan("50000"));
    let total = |f: fn(&report::MemberAccountRow) -> Yuan| {
        Yuan::checked_sum(rows.iter().map(f)).unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(total(|r| r.poverty_relief_closing), yuan("20000"));
    assert_eq!(total(|r| r.other_capital_closing), yuan("310000"));
    // 311 holds the 800,000 grant spent on the greenhouses, no donations: 800,000 ÷ 29 =
    // 27,586.2068… a member, 27,586.20 each and the 20 fen left over to the first 20 members
    // in id order (H01 to H20), so that the shares add back to 800,000.00; nothing donated,
    // no earlier close.
    for (n, r) in rows.iter().enumerate() {
        let share = if n < 20 { "27586.21" } else { "27586.20" };
        assert_eq!(
            (
                r.subsidy_opening,
                r.subsidy_change,
                r.subsidy_share,
                r.donation_share
            ),
            (zero, yuan(share), yuan(share), zero),
            "{}",
            r.member
        );
    }
    assert_eq!(total(|r| r.subsidy_share), yuan("800000"));
    // The reserve drawn (197,602.50) is all quantified to members; the collective pools no
    // land and gets none. H05 pools 9.10 mu all year.
    assert_eq!(total(|r| r.reserve_change), yuan("197602.50"));
    assert_eq!(row("V01").reserve_closing, zero);
    assert_eq!(
        row("H05").land_mu_days,
        rust_decimal::Decimal::new(33215, 1)
    );
    // The other measure of transaction volume: each member's pay for work in the park,
    // the figure the close weighed, summing to the members' wages of the year.
    let distribution = book
        .distribution(2019)
        .unwrap_or_else(|| panic!("2019 is open"));
    for r in &rows {
        let share = distribution
            .share(&r.member)
            .unwrap_or_else(|| panic!("{} has no share", r.member));
        assert_eq!(
            (r.land_mu_days, r.labour_pay),
            (share.land_mu_days, share.labour_pay)
        );
    }
    // H05 works 78, 89, 60 and 71 days in the four quarters at 150.00 a day: 298 days.
    assert_eq!(row("H05").labour_pay, yuan("44700"));
    // The households' 1,168,800 of wages (the collective does no work).
    assert_eq!(total(|r| r.labour_pay), yuan("1168800"));
}
