//! The cooperative's operations: greenhouses and their depreciation, other fixed assets and
//! productive biological assets with theirs, harvests and sales, costs, labour, loans, state
//! grants and donations. Every check happens in the `plan_*`
//! functions, before anything changes; [`Operations`] is the register these events keep.
//!
//! Cost policy (stated in the public docs of [`Greenhouse`](crate::Greenhouse) and the
//! events): operating costs are booked straight to 521 经营支出, one sub-account per
//! greenhouse, the simpler policy DOMAIN.md allows; administrative costs to 523 管理费用;
//! revenue to 501 经营收入, one sub-account per crop.

mod assets;
mod finance;
mod greenhouses;
pub(crate) mod labour;
mod reports;

use crate::ledger::hashing::Numbered;
use crate::register::Register;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use super::{Book, Event, Plan, Update};
use crate::ledger::{AccountCode, Name};
use crate::pool::PoolError;
use crate::{
    CashAccount, GrantId, Greenhouse, GreenhouseId, Harvest, Loan, LoanId, Result, Sale, Yuan,
};

pub use assets::{AssetRecord, AssetWork};
pub use reports::{CropResult, GreenhouseResult, LabourIncome};

pub(crate) use labour::{BookedSheet, Labour};

/// The operations registers of a book: greenhouses with their harvests and sales, the
/// labour register, receivables by buyer, loans and grants.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Operations {
    greenhouses: Register<GreenhouseId, GreenhouseRecord>,
    /// Assets other than greenhouses, by id.
    assets: BTreeMap<crate::AssetId, AssetRecord>,
    /// Greenhouse ids numbered in the order they were built (work lines keep numbers).
    greenhouse_ids: Numbered<GreenhouseId>,
    /// The build date of each greenhouse, by number.
    greenhouse_built: Vec<Date>,
    /// The last day in use of each greenhouse taken out of use, by number.
    greenhouse_retired: BTreeMap<usize, Date>,
    /// Each greenhouse's operating-expense account (`521.<greenhouse>`), by number: a
    /// timesheet debits it for each greenhouse its records name, and making the code again
    /// for each was a county timesheet's millions of string copies.
    greenhouse_costs: Vec<AccountCode>,
    /// The greenhouse area (ten-thousandths of a mu) that came into use on each date: the
    /// area in use on a date is a sum over at most one key per day, not over greenhouses.
    greenhouse_area_added: BTreeMap<Date, u64>,
    /// The greenhouse area that went out of use on each date (the day after a greenhouse's
    /// last day in use).
    greenhouse_area_removed: BTreeMap<Date, u64>,
    /// Kilograms harvested from every greenhouse, in total: a harvest that would take it
    /// past what a `Decimal` holds is refused, so the stock of a greenhouse and the sums of
    /// the results reports always fit.
    harvested_kg: Decimal,
    labour: Labour,
    /// What each buyer owes for produce bought on credit, with the dated sales and
    /// collections that make it.
    receivables: BTreeMap<crate::Text, Receivable>,
    loans: BTreeMap<LoanId, LoanRecord>,
    grants: BTreeMap<GrantId, GrantRecord>,
    /// Donations credited to 311: date received and amount, in the order applied; the rest
    /// of 311 is property from state subsidies.
    donations: Vec<(Date, Yuan)>,
    /// Wages paid to each member (Dr 212/213), date and amount, in the order applied: the
    /// debits to their payables that are payments, not corrections of pay.
    pub(crate) wages_paid: BTreeMap<crate::MemberId, Vec<(Date, Yuan)>>,
}

/// What a buyer owes for produce bought on credit: in total, and the credit sales and
/// collections that make it, by date, so that a collection is checked as of its date.
#[derive(Debug, Clone, Default, PartialEq)]
struct Receivable {
    /// Sales on credit less collections, in total.
    owed: Yuan,
    /// Credit sales (positive) and collections (negative), by date, in the order applied.
    movements: Vec<(Date, Yuan)>,
}

/// A change to the operations registers; applying one cannot fail.
#[derive(Debug)]
pub(crate) enum OperationsUpdate {
    /// Wages paid to a member.
    WagesPaid(crate::MemberId, Date, Yuan),
    /// Nothing changes in the registers (the event only posts entries).
    None,
    /// A greenhouse built, with its operating-expense account.
    AddGreenhouse(Box<Greenhouse>, AccountCode),
    /// The year of the entries; greenhouse, months now depreciated, amount added; the same
    /// for other assets.
    Depreciated(
        i32,
        Vec<(GreenhouseId, u32, Yuan)>,
        Vec<assets::AssetCharge>,
    ),
    /// An asset other than a greenhouse put into use.
    AddAsset(Box<crate::Asset>),
    /// Units of work of an asset in a month.
    AssetWork(crate::AssetId, AssetWork),
    /// An asset taken out of use after its last day in use, with the months now
    /// depreciated and the amount added.
    AssetRetired(crate::AssetId, Date, u32, Yuan),
    /// A greenhouse taken out of use after its last day in use, with the months now
    /// depreciated and the amount added.
    Retired(GreenhouseId, Date, u32, Yuan),
    Harvest(GreenhouseId, Harvest),
    Sale(GreenhouseId, Box<Sale>),
    /// A buyer's payment for produce bought on credit, on a date.
    Collected(String, Date, Yuan),
    /// A booked timesheet.
    Work(BookedSheet),
    AddLoan(Box<Loan>),
    /// A drawdown (positive) or a principal repayment (negative), and interest paid.
    LoanPrincipal {
        loan: LoanId,
        date: Date,
        change: Yuan,
        interest_paid: Yuan,
    },
    /// Interest accrued through a day: the loan's fen·days and interest in total, and the
    /// charge this accrual books.
    LoanInterest {
        loan: LoanId,
        through: Date,
        fen_days: FenDays,
        accrued: Yuan,
        charge: Yuan,
    },
    /// An interest subsidy received on a day.
    Subsidy(LoanId, Date, Yuan),
    GrantReceived {
        grant: GrantId,
        purpose: String,
        source: String,
        date: Date,
        amount: Yuan,
    },
    GrantSpent(GrantId, Date, Yuan),
    /// A donation received into 311.
    Donation(Date, Yuan),
}

/// A greenhouse as the register keeps it: the greenhouse, its depreciation booked, its
/// harvests and its sales.
///
/// # Example
///
/// A greenhouse of the reference cooperative, from [`Book::greenhouse`]:
///
/// ```
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let record = book.greenhouse(&"GH01".parse()?).ok_or("no greenhouse")?;
/// assert_eq!(record.greenhouse.area.to_string(), "7.1429");
/// assert_eq!(record.greenhouse.cost.to_string(), "60000.00");
/// // Built on 10 January 2019: February to December depreciated, 475.00 a month.
/// assert_eq!(record.depreciated_months, 11);
/// assert_eq!(record.depreciated.to_string(), "5225.00");
/// assert_eq!(record.depreciated_by_year, [(2019, "5225".parse()?)]);
/// assert_eq!((record.harvests.len(), record.sales.len()), (1, 1));
/// assert_eq!(record.sales[0].amount.to_string(), "142858.00");
/// assert_eq!(record.retired, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GreenhouseRecord {
    /// The greenhouse as built.
    pub greenhouse: Greenhouse,
    /// Months of depreciation booked (at most its useful life).
    pub depreciated_months: u32,
    /// Depreciation booked (152), in total.
    pub depreciated: Yuan,
    /// Depreciation booked, by the calendar year of its entries, in year order (years that
    /// booked none are left out): it adds up to `depreciated`. Absent in JSON written
    /// before it existed.
    #[serde(default)]
    pub depreciated_by_year: Vec<(i32, Yuan)>,
    /// Harvests, in the order recorded.
    pub harvests: Vec<Harvest>,
    /// Sales, in the order recorded.
    pub sales: Vec<Sale>,
    /// Its last day in use, once it is taken out of use
    /// ([`Event::GreenhouseRetired`](crate::Event::GreenhouseRetired)); absent in JSON
    /// written before it existed.
    #[serde(default)]
    pub retired: Option<Date>,
}

impl GreenhouseRecord {
    /// The carrying amount (账面价值): cost less depreciation booked.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// let record = book.greenhouse(&"GH01".parse()?).ok_or("no greenhouse")?;
    /// // 60,000 yuan less 11 months of depreciation.
    /// assert_eq!(record.greenhouse.cost.to_string(), "60000.00");
    /// assert_eq!(record.depreciated.to_string(), "5225.00");
    /// assert_eq!(record.carrying_amount()?.to_string(), "54775.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn carrying_amount(&self) -> Result<Yuan> {
        self.greenhouse.cost.checked_sub(self.depreciated)
    }
}

/// Principal × days as exact integers (fen·days), kept apart for common and leap years so
/// that every day count can be computed from them exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FenDays {
    /// Fen·days falling in years of 365 days.
    pub(crate) common: i128,
    /// Fen·days falling in years of 366 days.
    pub(crate) leap: i128,
}

/// A loan as the register keeps it: the contract, its principal movements and its interest.
///
/// # Example
///
/// The reference cooperative's loan, from [`Book::loan`]: 500,000 yuan at 4.35%, half of
/// the interest subsidised.
///
/// ```
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let record = book.loan(&"L2019-01".parse()?).ok_or("no loan")?;
/// assert_eq!(record.loan.amount.to_string(), "500000.00");
/// assert_eq!(record.movements, [(date!(2019 - 01 - 01), "500000".parse()?)]);
/// assert_eq!(record.accrued_through, Some(date!(2019 - 12 - 31)));
/// assert_eq!(record.interest_accrued.to_string(), "21750.00");
/// assert_eq!(record.interest_paid.to_string(), "0.00");
/// assert_eq!(record.subsidy.to_string(), "10875.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoanRecord {
    /// The contract.
    pub loan: Loan,
    /// Principal drawn (positive) and repaid (negative), in date order.
    pub movements: Vec<(Date, Yuan)>,
    /// The last day whose interest is accrued, if any.
    pub accrued_through: Option<Date>,
    /// Interest accrued (Dr 524 / Cr 215), in total.
    pub interest_accrued: Yuan,
    /// Interest paid (Dr 215), in total.
    pub interest_paid: Yuan,
    /// Interest subsidies received (Cr 524), in total.
    pub subsidy: Yuan,
    #[serde(skip)]
    fen_days: FenDays,
    /// The interest each accrual charged (Cr 215), by its entry date (the `through` day), in
    /// date order: what is accrued as of a date.
    #[serde(skip)]
    accruals: Vec<(Date, Yuan)>,
    /// Interest paid (Dr 215), by the day of payment, in the order applied.
    #[serde(skip)]
    interest_payments: Vec<(Date, Yuan)>,
    /// Interest subsidies received, by the day received, in the order applied.
    #[serde(skip)]
    subsidies: Vec<(Date, Yuan)>,
}

impl LoanRecord {
    /// Principal drawn, in total.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
    ///
    /// # Example
    ///
    /// The loan of the [`Book::loan`] example: 500,000 yuan drawn on 1 January 2019, interest of
    /// 21,750 yuan accrued through 31 December (set-up hidden):
    ///
    /// ```
    /// # use landpool::*;
    /// # use rust_decimal_macros::dec;
    /// # use time::macros::date;
    /// # let mut book = Book::new();
    /// # let loan: LoanId = "L2019-01".parse()?;
    /// # book.apply("sign".parse()?, Event::LoanSigned { loan: Loan {
    /// #     id: loan.clone(), lender: "莱西农商银行".into(), term: LoanTerm::Short,
    /// #     amount: "500000".parse()?, annual_rate_percent: dec!(4.35),
    /// #     day_count: DayCount::Act365, signed: date!(2019 - 01 - 01),
    /// #     maturity: date!(2019 - 12 - 31), raised_for: vec![],
    /// # }})?;
    /// # book.apply("draw".parse()?, Event::LoanDrawn {
    /// #     loan: loan.clone(), date: date!(2019 - 01 - 01), amount: "500000".parse()?,
    /// #     into: CashAccount::Bank,
    /// # })?;
    /// # book.apply("interest".parse()?, Event::LoanInterestAccrued {
    /// #     loan: loan.clone(), through: date!(2019 - 12 - 31),
    /// # })?;
    /// book.apply("repay".parse()?, Event::LoanRepaid {
    ///     loan: loan.clone(), date: date!(2020 - 01 - 01), principal: "200000".parse()?,
    ///     interest: "21750".parse()?, from: CashAccount::Bank,
    /// })?;
    /// let record = book.loan(&loan).ok_or("no loan")?;
    /// // Repayments do not reduce what was drawn.
    /// assert_eq!(record.drawn()?.to_string(), "500000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn drawn(&self) -> Result<Yuan> {
        Yuan::checked_sum(
            self.movements
                .iter()
                .map(|(_, change)| *change)
                .filter(|change| change.is_positive()),
        )
    }

    /// Principal outstanding after every movement.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
    ///
    /// # Example
    ///
    /// The loan of the [`Book::loan`] example: 500,000 yuan drawn on 1 January 2019, interest of
    /// 21,750 yuan accrued through 31 December (set-up hidden):
    ///
    /// ```
    /// # use landpool::*;
    /// # use rust_decimal_macros::dec;
    /// # use time::macros::date;
    /// # let mut book = Book::new();
    /// # let loan: LoanId = "L2019-01".parse()?;
    /// # book.apply("sign".parse()?, Event::LoanSigned { loan: Loan {
    /// #     id: loan.clone(), lender: "莱西农商银行".into(), term: LoanTerm::Short,
    /// #     amount: "500000".parse()?, annual_rate_percent: dec!(4.35),
    /// #     day_count: DayCount::Act365, signed: date!(2019 - 01 - 01),
    /// #     maturity: date!(2019 - 12 - 31), raised_for: vec![],
    /// # }})?;
    /// # book.apply("draw".parse()?, Event::LoanDrawn {
    /// #     loan: loan.clone(), date: date!(2019 - 01 - 01), amount: "500000".parse()?,
    /// #     into: CashAccount::Bank,
    /// # })?;
    /// # book.apply("interest".parse()?, Event::LoanInterestAccrued {
    /// #     loan: loan.clone(), through: date!(2019 - 12 - 31),
    /// # })?;
    /// book.apply("repay".parse()?, Event::LoanRepaid {
    ///     loan: loan.clone(), date: date!(2020 - 01 - 01), principal: "200000".parse()?,
    ///     interest: "21750".parse()?, from: CashAccount::Bank,
    /// })?;
    /// let record = book.loan(&loan).ok_or("no loan")?;
    /// assert_eq!(record.outstanding()?.to_string(), "300000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn outstanding(&self) -> Result<Yuan> {
        Yuan::checked_sum(self.movements.iter().map(|(_, change)| *change))
    }

    /// The first drawdown's date, if any.
    ///
    /// # Example
    ///
    /// The loan of the [`Book::loan`] example: 500,000 yuan drawn on 1 January 2019, interest of
    /// 21,750 yuan accrued through 31 December (set-up hidden):
    ///
    /// ```
    /// # use landpool::*;
    /// # use rust_decimal_macros::dec;
    /// # use time::macros::date;
    /// # let mut book = Book::new();
    /// # let loan: LoanId = "L2019-01".parse()?;
    /// # book.apply("sign".parse()?, Event::LoanSigned { loan: Loan {
    /// #     id: loan.clone(), lender: "莱西农商银行".into(), term: LoanTerm::Short,
    /// #     amount: "500000".parse()?, annual_rate_percent: dec!(4.35),
    /// #     day_count: DayCount::Act365, signed: date!(2019 - 01 - 01),
    /// #     maturity: date!(2019 - 12 - 31), raised_for: vec![],
    /// # }})?;
    /// # book.apply("draw".parse()?, Event::LoanDrawn {
    /// #     loan: loan.clone(), date: date!(2019 - 01 - 01), amount: "500000".parse()?,
    /// #     into: CashAccount::Bank,
    /// # })?;
    /// # book.apply("interest".parse()?, Event::LoanInterestAccrued {
    /// #     loan: loan.clone(), through: date!(2019 - 12 - 31),
    /// # })?;
    /// let record = book.loan(&loan).ok_or("no loan")?;
    /// assert_eq!(record.first_drawdown(), Some(date!(2019 - 01 - 01)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn first_drawdown(&self) -> Option<Date> {
        self.movements
            .iter()
            .find(|(_, change)| change.is_positive())
            .map(|(date, _)| *date)
    }

    /// Net interest cost: accrued less subsidies received.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
    ///
    /// # Example
    ///
    /// The loan of the [`Book::loan`] example: 500,000 yuan drawn on 1 January 2019, interest of
    /// 21,750 yuan accrued through 31 December (set-up hidden):
    ///
    /// ```
    /// # use landpool::*;
    /// # use rust_decimal_macros::dec;
    /// # use time::macros::date;
    /// # let mut book = Book::new();
    /// # let loan: LoanId = "L2019-01".parse()?;
    /// # book.apply("sign".parse()?, Event::LoanSigned { loan: Loan {
    /// #     id: loan.clone(), lender: "莱西农商银行".into(), term: LoanTerm::Short,
    /// #     amount: "500000".parse()?, annual_rate_percent: dec!(4.35),
    /// #     day_count: DayCount::Act365, signed: date!(2019 - 01 - 01),
    /// #     maturity: date!(2019 - 12 - 31), raised_for: vec![],
    /// # }})?;
    /// # book.apply("draw".parse()?, Event::LoanDrawn {
    /// #     loan: loan.clone(), date: date!(2019 - 01 - 01), amount: "500000".parse()?,
    /// #     into: CashAccount::Bank,
    /// # })?;
    /// # book.apply("interest".parse()?, Event::LoanInterestAccrued {
    /// #     loan: loan.clone(), through: date!(2019 - 12 - 31),
    /// # })?;
    /// book.apply("subsidy".parse()?, Event::InterestSubsidyReceived {
    ///     loan: loan.clone(), date: date!(2019 - 12 - 31), amount: "10000".parse()?,
    ///     into: CashAccount::Bank,
    /// })?;
    /// let record = book.loan(&loan).ok_or("no loan")?;
    /// assert_eq!(record.net_interest()?.to_string(), "11750.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn net_interest(&self) -> Result<Yuan> {
        self.interest_accrued.checked_sub(self.subsidy)
    }
}

/// A state grant as the register keeps it: what it is for, who gave it, and its receipts and
/// spending.
///
/// # Example
///
/// The reference cooperative's grant, from [`Book::grant`]:
///
/// ```
/// use time::macros::date;
///
/// let book = landpool::folder::BookFolder::reference()?.run()?;
/// let record = book.grant(&"G2019-01".parse()?).ok_or("no grant")?;
/// assert!(record.purpose.starts_with("葡萄大棚建设"));
/// assert_eq!(record.received, [(date!(2019 - 01 - 03), "800000".parse()?)]);
/// assert_eq!(record.spent, [(date!(2019 - 01 - 10), "800000".parse()?)]);
/// assert_eq!(record.unspent()?.to_string(), "0.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRecord {
    /// The grant.
    pub grant: GrantId,
    /// What it is for.
    pub purpose: String,
    /// Who granted it.
    pub source: String,
    /// Money received, in the order recorded.
    pub received: Vec<(Date, Yuan)>,
    /// Money spent, in the order recorded.
    pub spent: Vec<(Date, Yuan)>,
}

impl GrantRecord {
    /// Received and not yet spent, after every receipt and spending.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] for amounts out of range (not for valid books).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// let grant: GrantId = "G2019-01".parse()?;
    /// book.apply("g1".parse()?, Event::GrantReceived {
    ///     grant: grant.clone(), purpose: "大棚建设补助".into(), source: "莱西市农业农村局".into(),
    ///     date: date!(2019 - 02 - 01), amount: "300000".parse()?, into: CashAccount::Bank,
    /// })?;
    /// assert_eq!(book.grant(&grant).ok_or("no grant")?.unspent()?.to_string(), "300000.00");
    /// book.apply("g2".parse()?, Event::GrantSpent {
    ///     grant: grant.clone(), date: date!(2019 - 03 - 10), amount: "120000".parse()?,
    ///     on: GrantUse::Asset { asset: "一号棚".into() },
    /// })?;
    /// assert_eq!(book.grant(&grant).ok_or("no grant")?.unspent()?.to_string(), "180000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unspent(&self) -> Result<Yuan> {
        let received = Yuan::checked_sum(self.received.iter().map(|(_, amount)| *amount))?;
        let spent = Yuan::checked_sum(self.spent.iter().map(|(_, amount)| *amount))?;
        received.checked_sub(spent)
    }
}

impl Plan {
    fn operations(
        accounts: Vec<(AccountCode, Name, Name)>,
        entries: Vec<crate::ledger::Entry>,
        update: OperationsUpdate,
    ) -> Plan {
        Plan {
            accounts,
            entries,
            update: Update::Operations(update),
        }
    }
}

/// The account of a cash movement (101 or 102).
fn cash(account: CashAccount) -> Result<AccountCode> {
    AccountCode::new(account.code())
}

/// A register's depreciation booked: its months, its total and its total by year.
type Booked<'a> = (&'a mut u32, &'a mut Yuan, &'a mut Vec<(i32, Yuan)>);

/// Records depreciation booked through `months` of use, `amount` more of it in entries of
/// `year`, in a register's months, total and total by year.
fn add_depreciation(
    (booked_months, booked, by_year): Booked<'_>,
    year: i32,
    months: u32,
    amount: Yuan,
) {
    *booked_months = months;
    // The plan computed the sum within range.
    *booked = booked.checked_add(amount).unwrap_or(*booked);
    if amount.is_zero() {
        return;
    }
    // Depreciation is booked month by month in order, so the year is nearly always the
    // last one or a later one; the search keeps the list in year order whatever comes.
    match by_year.binary_search_by_key(&year, |(y, _)| *y) {
        Ok(at) => {
            if let Some((_, total)) = by_year.get_mut(at) {
                *total = total.checked_add(amount).unwrap_or(*total);
            }
        }
        Err(at) => crate::tight::insert(by_year, at, (year, amount)),
    }
}

impl GreenhouseRecord {
    fn booked(&mut self) -> Booked<'_> {
        (
            &mut self.depreciated_months,
            &mut self.depreciated,
            &mut self.depreciated_by_year,
        )
    }
}

impl AssetRecord {
    fn booked(&mut self) -> Booked<'_> {
        (
            &mut self.depreciated_months,
            &mut self.depreciated,
            &mut self.depreciated_by_year,
        )
    }
}

/// Refuses an amount that is not above zero.
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

/// Refuses a negative amount.
fn not_negative_yuan(what: impl Fn() -> String, amount: Yuan) -> Result<()> {
    if amount.is_negative() {
        Err(PoolError::BadNumber {
            what: what(),
            expected: "zero or more",
            value: amount.to_decimal(),
        }
        .into())
    } else {
        Ok(())
    }
}

/// Refuses a number that is not above zero.
fn positive_decimal(what: impl Fn() -> String, value: Decimal) -> Result<()> {
    if value > Decimal::ZERO {
        Ok(())
    } else {
        Err(PoolError::BadNumber {
            what: what(),
            expected: "above zero",
            value,
        }
        .into())
    }
}

/// Refuses a negative number.
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

/// Refuses an empty or overlong name.
fn name(what: impl Fn() -> String, text: &str, max: usize) -> Result<()> {
    if text.trim().is_empty() || text.len() > max {
        Err(PoolError::NotAllowed {
            what: what(),
            reason: format!("give a name of 1 to {max} bytes"),
        }
        .into())
    } else {
        Ok(())
    }
}

/// The longest buyer, donor, lender, purpose, grade or memo text, in bytes.
const MAX_TEXT_BYTES: usize = 256;

/// The standard accounts the operations events post to as they are (cash and bank,
/// receivables, fixed assets and depreciation, payables, interest payable, the special fund,
/// administrative and financial expenses): a sub-account under one would make it a parent,
/// which takes no postings.
const POSTED_AS_THEY_ARE: [&str; 13] = [
    "101", "102", "113", "151", "152", "161", "162", "211", "215", "311", "321", "523", "524",
];

impl Book {
    /// Why the accountant may not open `code` ([`Event::AccountOpened`]): it lies under an
    /// account the operations events post to as it is, a standard one or the book's own
    /// sub-account of a greenhouse, a crop sold, a loan or a grant, and would refuse their
    /// later postings. `None` when it may be opened.
    pub(crate) fn operations_refuse_sub_account(
        &self,
        code: &AccountCode,
    ) -> Result<Option<String>> {
        let under = |account: &AccountCode| code.is_within(account) && code != account;
        for root in POSTED_AS_THEY_ARE {
            let root = AccountCode::new(root)?;
            if under(&root) {
                return Ok(Some(format!(
                    "the book's events (sales, costs, depreciation, loans, grants, land shares, capital contributions) post to {root} as it is; an account under it would refuse their postings"
                )));
            }
        }
        if self.has_biological_assets() {
            for root in ["142", "143"] {
                let root = AccountCode::new(root)?;
                if under(&root) {
                    return Ok(Some(format!(
                        "the book's productive biological assets post to {root} as it is; an account under it would refuse their postings"
                    )));
                }
            }
        }
        for record in self.contracts() {
            let charged = std::iter::once(&record.contract.charge_to)
                .chain(record.charges.iter().map(|(_, account)| account));
            if let Some(account) = charged.into_iter().find(|account| under(account)) {
                return Ok(Some(format!(
                    "contract {} charges its rent to {account} as it is; an account under it would refuse its accruals",
                    record.contract.id
                )));
            }
        }
        let revenue = AccountCode::new("501")?;
        let grants = AccountCode::new("235")?;
        let mut own = Vec::new();
        for record in self.greenhouses() {
            let greenhouse = &record.greenhouse;
            own.push((
                expense_account(&greenhouse.id)?,
                format!("greenhouse {}", greenhouse.id),
            ));
            own.push((
                revenue.sub(greenhouse.crop.as_str())?,
                format!("crop {}", greenhouse.crop),
            ));
        }
        for record in self.loans() {
            let loan = &record.loan;
            own.push((
                AccountCode::new(loan.term.code())?.sub(loan.id.as_str())?,
                format!("loan {}", loan.id),
            ));
        }
        for record in self.grants() {
            own.push((
                grants.sub(record.grant.as_str())?,
                format!("grant {}", record.grant),
            ));
        }
        Ok(own.into_iter().find(|(account, _)| under(account)).map(|(account, of)| {
            format!("{account} is the book's account of {of}, which its events post to as it is; an account under it would refuse their postings")
        }))
    }

    /// Why a manual entry may not post to `code`: it is the book's own account of a loan
    /// (`201.<loan>`, `231.<loan>`) or a grant (`235.<grant>`), which moves with the loan's
    /// or grant's register (principal outstanding, what may still be drawn, unspent grant
    /// money); a posting there by hand would leave the register and the ledger disagreeing.
    /// `None` when it may.
    pub(crate) fn refuses_manual_posting(&self, code: &AccountCode) -> Result<Option<String>> {
        let Some(parent) = code.parent() else {
            return Ok(None);
        };
        let segment = code.last_segment();
        let loan = match parent.as_str() {
            "201" | "231" => LoanId::new(segment).ok().and_then(|id| {
                self.operations
                    .loans
                    .get(&id)
                    .filter(|record| record.loan.term.code() == parent.as_str())
            }),
            _ => None,
        };
        if let Some(record) = loan {
            return Ok(Some(format!(
                "it posts to {code}, the book's account of loan {}, which moves with the loan's register: record a drawdown with LoanDrawn and a repayment with LoanRepaid",
                record.loan.id
            )));
        }
        if parent.as_str() == "235" {
            if let Some(record) = GrantId::new(segment)
                .ok()
                .and_then(|id| self.operations.grants.get(&id))
            {
                return Ok(Some(format!(
                    "it posts to {code}, the book's account of grant {}, which moves with the grant's register: record a receipt with GrantReceived and spending with GrantSpent",
                    record.grant
                )));
            }
        }
        Ok(None)
    }

    /// Refuses the event booking `of` when `account`, the book's own account of it, which its
    /// events post to as it is, was opened beforehand with sub-accounts under it (it would
    /// refuse every posting).
    pub(crate) fn own_account_takes_postings(
        &self,
        account: &AccountCode,
        of: impl Fn() -> String,
    ) -> Result<()> {
        let chart = self.journal.chart();
        if chart.contains(account) && !chart.is_leaf(account) {
            return Err(PoolError::NotAllowed {
                what: of(),
                reason: format!("{account}, the book's account of it, has sub-accounts of the accountant's under it, and an account with sub-accounts takes no postings"),
            }
            .into());
        }
        Ok(())
    }

    /// Refuses the event registering `of` (a loan signed, a grant's first receipt) when
    /// `account`, the book's new account of it, was opened beforehand by the accountant and
    /// has postings: the register would start at nothing while the ledger holds them.
    pub(crate) fn new_own_account_is_empty(
        &self,
        account: &AccountCode,
        of: impl Fn() -> String,
    ) -> Result<()> {
        if self.journal.chart().contains(account) && !self.journal.series_of(account)?.is_empty() {
            return Err(PoolError::NotAllowed {
                what: of(),
                reason: format!("{account}, the book's account of it, has postings of the accountant's; the book's account must start empty"),
            }
            .into());
        }
        Ok(())
    }

    /// The days, on or after `from`, on which greenhouses came into use, in order.
    pub(super) fn greenhouse_build_days(&self, from: Date) -> impl Iterator<Item = Date> + '_ {
        self.operations
            .greenhouse_area_added
            .range(from..)
            .map(|(&day, _)| day)
    }

    /// Plans the operations events.
    pub(crate) fn plan_operations(&self, id: &crate::EventId, event: &Event) -> Result<Plan> {
        match event {
            Event::GreenhouseBuilt {
                greenhouse,
                paid_from,
            } => self.plan_greenhouse(id, greenhouse, *paid_from),
            Event::DepreciationBooked { year, month } => self.plan_depreciation(id, *year, *month),
            Event::AssetAcquired { asset, paid_from } => self.plan_asset(id, asset, *paid_from),
            Event::AssetWorkRecorded {
                asset,
                year,
                month,
                units,
            } => self.plan_asset_work(asset, *year, *month, *units),
            Event::AssetRetired {
                asset,
                date,
                proceeds,
                into,
            } => self.plan_asset_retirement(id, asset, *date, *proceeds, *into),
            Event::GreenhouseRetired {
                greenhouse,
                date,
                proceeds,
                into,
            } => self.plan_retirement(id, greenhouse, *date, *proceeds, *into),
            Event::Harvested {
                greenhouse,
                date,
                kg,
                grade,
            } => self.plan_harvest(greenhouse, *date, *kg, grade),
            Event::ProduceSold {
                greenhouse,
                date,
                kg,
                price_per_kg,
                buyer,
                payment,
            } => self.plan_sale(
                id,
                greenhouse,
                Sale {
                    date: *date,
                    kg: *kg,
                    price_per_kg: *price_per_kg,
                    amount: Yuan::ZERO,
                    buyer: buyer.clone(),
                    payment: *payment,
                },
            ),
            Event::ReceivableCollected {
                buyer,
                date,
                amount,
                into,
            } => self.plan_collection(id, buyer, *date, *amount, *into),
            Event::CostIncurred {
                date,
                kind,
                amount,
                target,
                payment,
                memo,
            } => self.plan_cost(id, *date, *kind, *amount, target, *payment, memo),
            Event::WorkRecorded { date, records } => self.plan_work(id, *date, records),
            Event::WagesPaid {
                worker,
                account,
                date,
                amount,
                from,
            } => self.plan_wages_paid(id, worker, *account, *date, *amount, *from),
            Event::LoanSigned { loan } => self.plan_loan(loan),
            Event::LoanDrawn {
                loan,
                date,
                amount,
                into,
            } => self.plan_drawdown(id, loan, *date, *amount, *into),
            Event::LoanInterestAccrued { loan, through } => self.plan_interest(id, loan, *through),
            Event::LoanRepaid {
                loan,
                date,
                principal,
                interest,
                from,
            } => self.plan_repayment(id, loan, *date, *principal, *interest, *from),
            Event::InterestSubsidyReceived {
                loan,
                date,
                amount,
                into,
            } => self.plan_subsidy(id, loan, *date, *amount, *into),
            Event::GrantReceived {
                grant,
                purpose,
                source,
                date,
                amount,
                into,
            } => self.plan_grant_received(id, grant, purpose, source, *date, *amount, *into),
            Event::GrantSpent {
                grant,
                date,
                amount,
                on,
            } => self.plan_grant_spent(id, grant, *date, *amount, on),
            Event::DonationReceived {
                donor,
                date,
                amount,
                into,
            } => self.plan_donation(id, donor, *date, *amount, *into),
            #[allow(unreachable_patterns)]
            _ => Err(PoolError::NotAllowed {
                what: format!("event {id}"),
                reason: "not an operations event".into(),
            }
            .into()),
        }
    }

    /// Keeps the working lists of each timesheet's plan for the next one, while a log is
    /// replayed; `false` when the replay ends lets go of them (about 9 MB after a timesheet
    /// of a hundred thousand records).
    pub(crate) fn keep_work_lists(&mut self, keep: bool) {
        self.operations.labour.keep_work_lists(keep);
    }

    /// Applies a change to the operations registers; cannot fail.
    pub(crate) fn update_operations(&mut self, update: OperationsUpdate) {
        let ops = &mut self.operations;
        match update {
            OperationsUpdate::None => {}
            OperationsUpdate::WagesPaid(member, date, amount) => {
                crate::tight::push(ops.wages_paid.entry(member).or_default(), (date, amount));
            }
            OperationsUpdate::AddGreenhouse(greenhouse, costs) => {
                ops.greenhouse_ids.add(greenhouse.id.clone());
                ops.greenhouse_built.push(greenhouse.built);
                ops.greenhouse_costs.push(costs);
                // The plan checked that the area in use with this one fits in the pool.
                let added = ops
                    .greenhouse_area_added
                    .entry(greenhouse.built)
                    .or_insert(0);
                *added = added.saturating_add(greenhouse.area.ten_thousandths());
                ops.greenhouses.insert(
                    greenhouse.id.clone(),
                    GreenhouseRecord {
                        greenhouse: *greenhouse,
                        depreciated_months: 0,
                        depreciated: Yuan::ZERO,
                        depreciated_by_year: Vec::new(),
                        harvests: Vec::new(),
                        sales: Vec::new(),
                        retired: None,
                    },
                );
            }
            OperationsUpdate::Depreciated(year, charges, asset_charges) => {
                for (greenhouse, months, amount) in charges {
                    if let Some(record) = ops.greenhouses.get_mut(&greenhouse) {
                        add_depreciation(record.booked(), year, months, amount);
                    }
                }
                for (asset, months, amount) in asset_charges {
                    if let Some(record) = ops.assets.get_mut(&asset) {
                        add_depreciation(record.booked(), year, months, amount);
                    }
                }
            }
            OperationsUpdate::AddAsset(asset) => {
                ops.assets.insert(
                    asset.id.clone(),
                    AssetRecord {
                        asset: *asset,
                        depreciated_months: 0,
                        depreciated: Yuan::ZERO,
                        depreciated_by_year: Vec::new(),
                        work: Vec::new(),
                        retired: None,
                    },
                );
            }
            OperationsUpdate::AssetWork(asset, work) => {
                if let Some(record) = ops.assets.get_mut(&asset) {
                    record.work.push(work);
                }
            }
            OperationsUpdate::AssetRetired(asset, date, months, amount) => {
                if let Some(record) = ops.assets.get_mut(&asset) {
                    record.retired = Some(date);
                    add_depreciation(record.booked(), date.year(), months, amount);
                }
            }
            OperationsUpdate::Retired(greenhouse, date, months, amount) => {
                if let Some(record) = ops.greenhouses.get_mut(&greenhouse) {
                    record.retired = Some(date);
                    add_depreciation(record.booked(), date.year(), months, amount);
                    if let Some(next) = date.next_day() {
                        let removed = ops.greenhouse_area_removed.entry(next).or_insert(0);
                        *removed = removed.saturating_add(record.greenhouse.area.ten_thousandths());
                    }
                }
                if let Some(number) = ops.greenhouse_ids.number(&greenhouse) {
                    ops.greenhouse_retired.insert(number, date);
                }
            }
            OperationsUpdate::Harvest(greenhouse, harvest) => {
                // The plan checked that the total fits.
                ops.harvested_kg = ops
                    .harvested_kg
                    .checked_add(harvest.kg)
                    .unwrap_or(ops.harvested_kg);
                if let Some(record) = ops.greenhouses.get_mut(&greenhouse) {
                    crate::tight::push(&mut record.harvests, harvest);
                }
            }
            OperationsUpdate::Sale(greenhouse, sale) => {
                if sale.payment == crate::SalePayment::Credit {
                    let buyer = ops.receivables.entry(sale.buyer.clone()).or_default();
                    // The plan checked the sale's amount; the total fits as the journal's 113 does.
                    buyer.owed = buyer.owed.checked_add(sale.amount).unwrap_or(buyer.owed);
                    crate::tight::push(&mut buyer.movements, (sale.date, sale.amount));
                }
                if let Some(record) = ops.greenhouses.get_mut(&greenhouse) {
                    crate::tight::push(&mut record.sales, *sale);
                }
            }
            OperationsUpdate::Collected(buyer, date, amount) => {
                // Kept when the buyer owes nothing: a later collection is checked against
                // every dated sale and collection.
                if let Some(record) = ops.receivables.get_mut(buyer.as_str()) {
                    record.owed = record.owed.checked_sub(amount).unwrap_or(record.owed);
                    if let Ok(collected) = amount.checked_neg() {
                        crate::tight::push(&mut record.movements, (date, collected));
                    }
                }
            }
            OperationsUpdate::Work(sheet) => ops.labour.add(sheet),
            OperationsUpdate::AddLoan(loan) => {
                ops.loans.insert(
                    loan.id.clone(),
                    LoanRecord {
                        loan: *loan,
                        movements: Vec::new(),
                        accrued_through: None,
                        interest_accrued: Yuan::ZERO,
                        interest_paid: Yuan::ZERO,
                        subsidy: Yuan::ZERO,
                        fen_days: FenDays::default(),
                        accruals: Vec::new(),
                        interest_payments: Vec::new(),
                        subsidies: Vec::new(),
                    },
                );
            }
            OperationsUpdate::LoanPrincipal {
                loan,
                date,
                change,
                interest_paid,
            } => {
                if let Some(record) = ops.loans.get_mut(&loan) {
                    if !change.is_zero() {
                        record.movements.push((date, change));
                    }
                    if interest_paid.is_positive() {
                        record.interest_payments.push((date, interest_paid));
                    }
                    record.interest_paid = record
                        .interest_paid
                        .checked_add(interest_paid)
                        .unwrap_or(record.interest_paid);
                }
            }
            OperationsUpdate::LoanInterest {
                loan,
                through,
                fen_days,
                accrued,
                charge,
            } => {
                if let Some(record) = ops.loans.get_mut(&loan) {
                    if charge.is_positive() {
                        record.accruals.push((through, charge));
                    }
                    record.accrued_through = Some(through);
                    record.fen_days = fen_days;
                    record.interest_accrued = accrued;
                }
            }
            OperationsUpdate::Subsidy(loan, date, amount) => {
                if let Some(record) = ops.loans.get_mut(&loan) {
                    record.subsidies.push((date, amount));
                    record.subsidy = record.subsidy.checked_add(amount).unwrap_or(record.subsidy);
                }
            }
            OperationsUpdate::GrantReceived {
                grant,
                purpose,
                source,
                date,
                amount,
            } => {
                ops.grants
                    .entry(grant.clone())
                    .or_insert_with(|| GrantRecord {
                        grant,
                        purpose,
                        source,
                        received: Vec::new(),
                        spent: Vec::new(),
                    })
                    .received
                    .push((date, amount));
            }
            OperationsUpdate::Donation(date, amount) => {
                ops.donations.push((date, amount));
            }
            OperationsUpdate::GrantSpent(grant, date, amount) => {
                if let Some(record) = ops.grants.get_mut(&grant) {
                    record.spent.push((date, amount));
                }
            }
        }
    }

    /// A greenhouse and its register: depreciation booked, harvests and sales.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use time::macros::date;
    ///
    /// let book = Book::new();
    /// assert!(book.greenhouse(&"GH01".parse()?).is_none());
    /// assert_eq!(book.greenhouses().count(), 0);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn greenhouse(&self, id: &GreenhouseId) -> Option<&GreenhouseRecord> {
        self.operations.greenhouses.get(id)
    }

    /// Every greenhouse, in id order.
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// // The reference cooperative's 28 grape greenhouses, GH01 first.
    /// assert_eq!(book.greenhouses().count(), 28);
    /// let first = book.greenhouses().next().ok_or("no greenhouses")?;
    /// assert_eq!(first.greenhouse.id.to_string(), "GH01");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn greenhouses(&self) -> impl Iterator<Item = &GreenhouseRecord> + '_ {
        self.operations.greenhouses.values()
    }

    /// The area of the greenhouses in use on `date` (built on or before it, and not taken out
    /// of use before it).
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] if the sum does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// assert!(landpool::Book::new().greenhouse_area(date!(2019 - 06 - 30))?.is_zero());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn greenhouse_area(&self, date: Date) -> Result<crate::Mu> {
        let sum = |changes: &BTreeMap<Date, u64>| {
            crate::Mu::checked_sum(
                changes
                    .range(..=date)
                    .map(|(_, area)| crate::Mu::from_ten_thousandths(*area)),
            )
        };
        sum(&self.operations.greenhouse_area_added)?
            .checked_sub(sum(&self.operations.greenhouse_area_removed)?)
    }

    /// A loan and its register: principal movements, interest accrued, paid and subsidised.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use rust_decimal_macros::dec;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// let loan: LoanId = "L2019-01".parse()?;
    /// book.apply("sign".parse()?, Event::LoanSigned { loan: Loan {
    ///     id: loan.clone(), lender: "莱西农商银行".into(), term: LoanTerm::Short,
    ///     amount: "500000".parse()?, annual_rate_percent: dec!(4.35), day_count: DayCount::Act365,
    ///     signed: date!(2019 - 01 - 01), maturity: date!(2019 - 12 - 31), raised_for: vec![],
    /// }})?;
    /// book.apply("draw".parse()?, Event::LoanDrawn {
    ///     loan: loan.clone(), date: date!(2019 - 01 - 01), amount: "500000".parse()?, into: CashAccount::Bank,
    /// })?;
    /// book.apply("interest".parse()?, Event::LoanInterestAccrued { loan: loan.clone(), through: date!(2019 - 12 - 31) })?;
    /// let record = book.loan(&loan).ok_or("no loan")?;
    /// assert_eq!(record.outstanding()?.to_string(), "500000.00");
    /// assert_eq!(record.interest_accrued.to_string(), "21750.00");
    /// assert_eq!(record.first_drawdown(), Some(date!(2019 - 01 - 01)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn loan(&self, id: &LoanId) -> Option<&LoanRecord> {
        self.operations.loans.get(id)
    }

    /// Every loan, in id order.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Book::new().loans().count(), 0);
    /// ```
    pub fn loans(&self) -> impl Iterator<Item = &LoanRecord> + '_ {
        self.operations.loans.values()
    }

    /// A state grant and its register: receipts and spending.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// let grant: GrantId = "G2019-01".parse()?;
    /// book.apply("g1".parse()?, Event::GrantReceived {
    ///     grant: grant.clone(), purpose: "大棚建设补助".into(), source: "莱西市农业农村局".into(),
    ///     date: date!(2019 - 02 - 01), amount: "300000".parse()?, into: CashAccount::Bank,
    /// })?;
    /// book.apply("g2".parse()?, Event::GrantSpent {
    ///     grant: grant.clone(), date: date!(2019 - 03 - 10), amount: "100000".parse()?,
    ///     on: GrantUse::Asset { asset: "一号棚".into() },
    /// })?;
    /// assert_eq!(book.grant(&grant).ok_or("no grant")?.unspent()?.to_string(), "200000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn grant(&self, id: &GrantId) -> Option<&GrantRecord> {
        self.operations.grants.get(id)
    }

    /// Every state grant, in id order.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Book::new().grants().count(), 0);
    /// ```
    pub fn grants(&self) -> impl Iterator<Item = &GrantRecord> + '_ {
        self.operations.grants.values()
    }

    /// Donations received into 311 through `date`.
    pub(crate) fn donations_through(&self, date: Date) -> Result<Yuan> {
        Yuan::checked_sum(
            self.operations
                .donations
                .iter()
                .filter(|(day, _)| *day <= date)
                .map(|(_, amount)| *amount),
        )
    }

    /// What a buyer owes for produce bought on credit, after every credit sale and payment
    /// whatever its date (zero for a buyer who owes nothing). A payment is checked as of its
    /// own date (see [`Event::ReceivableCollected`]).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::Book::new().receivable("青岛果品批发市场").is_zero());
    /// ```
    pub fn receivable(&self, buyer: &str) -> Yuan {
        self.operations
            .receivables
            .get(buyer)
            .map_or(Yuan::ZERO, |record| record.owed)
    }

    /// The least of what `buyer` owes, on `date` and on every later date, once `amount` more
    /// is collected on `date`, with the first date on which it is reached: below zero when
    /// the collection is more than the buyer owes as of `date`, or leaves a later-dated
    /// collection beyond what is owed by its own date.
    fn least_receivable_from(&self, buyer: &str, date: Date, amount: Yuan) -> Result<(Yuan, Date)> {
        let movements = self
            .operations
            .receivables
            .get(buyer)
            .map_or(&[][..], |record| record.movements.as_slice());
        least_left(movements, &[], (date, amount), || {
            format!("receivable of {buyer} as of {date}")
        })
    }

    /// The greenhouse's record, which must exist, be built by `date` and not be taken out
    /// of use before it: what a harvest or a cost needs.
    fn greenhouse_in_use(&self, id: &GreenhouseId, date: Date) -> Result<&GreenhouseRecord> {
        let record = self.greenhouse_on(id, date)?;
        match record.retired {
            Some(retired) if date > retired => Err(PoolError::GreenhouseRetired {
                greenhouse: id.clone(),
                date,
                retired,
            }
            .into()),
            _ => Ok(record),
        }
    }

    /// The greenhouse's record, which must exist and be built by `date` (its produce may be
    /// sold after it is taken out of use).
    fn greenhouse_on(&self, id: &GreenhouseId, date: Date) -> Result<&GreenhouseRecord> {
        let record =
            self.operations
                .greenhouses
                .get(id)
                .ok_or_else(|| PoolError::UnknownGreenhouse {
                    greenhouse: id.clone(),
                })?;
        if date < record.greenhouse.built {
            return Err(PoolError::GreenhouseNotBuilt {
                greenhouse: id.clone(),
                date,
                built: record.greenhouse.built,
            }
            .into());
        }
        Ok(record)
    }
}

/// `521`: the operating-expense account, the parent of each greenhouse's.
fn expense_root() -> Result<AccountCode> {
    AccountCode::new("521")
}

/// `521.<greenhouse>`: the greenhouse's operating-expense sub-account.
fn expense_account(greenhouse: &GreenhouseId) -> Result<AccountCode> {
    expense_root()?.sub(greenhouse.as_str())
}

/// The least of `opening + Σ deltas` over the dates from `from` on (deltas dated on or before
/// each date count), with the first date where it is reached; `None` when no date is at or
/// after `from` (then the balance at `from` is the sum of all deltas).
///
/// Used for stocks that must never go below zero: kilograms harvested less sold, grant money
/// received less spent.
fn least_balance_from<T, I>(
    deltas: I,
    from: Date,
    zero: T,
    add: impl Fn(T, T) -> Option<T>,
) -> Option<(T, Date)>
where
    T: Copy + PartialOrd,
    I: IntoIterator<Item = (Date, T)>,
{
    let mut by_date: BTreeMap<Date, T> = BTreeMap::new();
    for (date, delta) in deltas {
        let slot = by_date.entry(date).or_insert(zero);
        *slot = add(*slot, delta)?;
    }
    let mut balance = zero;
    let mut least: Option<(T, Date)> = None;
    let mut at_from_done = false;
    for (date, delta) in by_date {
        if date > from && !at_from_done {
            at_from_done = true;
            least = Some((balance, from));
        }
        balance = add(balance, delta)?;
        if date >= from {
            at_from_done = true;
            let lower = least.is_none_or(|(low, _)| balance < low);
            if lower {
                least = Some((balance, date));
            }
        }
    }
    if !at_from_done {
        least = Some((balance, from));
    }
    least
}

/// [`least_balance_from`] of an amount kept by date: what is `added` less what is `taken`,
/// less `amount` taken on `date`, on `date` and every later date, with the first date on
/// which the least is reached (below zero when `amount`, or a later-dated taking, is more
/// than there is by its date). `what` names the amount for an overflow's error.
fn least_left(
    added: &[(Date, Yuan)],
    taken: &[(Date, Yuan)],
    (date, amount): (Date, Yuan),
    what: impl FnOnce() -> String,
) -> Result<(Yuan, Date)> {
    let added = added.iter().map(|(day, yuan)| (*day, yuan.fen()));
    let taken = taken
        .iter()
        .copied()
        .chain([(date, amount)])
        .map(|(day, yuan)| (day, yuan.fen().saturating_neg()));
    let (least, on) = least_balance_from(added.chain(taken), date, 0_i64, i64::checked_add)
        .ok_or_else(|| crate::Error::Overflow { operation: what() })?;
    Ok((Yuan::from_fen(least), on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn least_balance_looks_at_later_dates() {
        let add = |a: i64, b: i64| a.checked_add(b);
        let deltas = [
            (date!(2019 - 01 - 01), 100),
            (date!(2019 - 01 - 10), -100),
            (date!(2019 - 01 - 20), 30),
        ];
        // As of the 5th, 100 is there, but the sale of the 10th takes it all.
        assert_eq!(
            least_balance_from(deltas, date!(2019 - 01 - 05), 0, add),
            Some((0, date!(2019 - 01 - 10)))
        );
        assert_eq!(
            least_balance_from(deltas, date!(2019 - 01 - 15), 0, add),
            Some((0, date!(2019 - 01 - 15)))
        );
        assert_eq!(
            least_balance_from(deltas, date!(2019 - 02 - 01), 0, add),
            Some((30, date!(2019 - 02 - 01)))
        );
        assert_eq!(
            least_balance_from(deltas, date!(2018 - 12 - 01), 0, add),
            Some((0, date!(2018 - 12 - 01)))
        );
        assert_eq!(
            least_balance_from([], date!(2019 - 01 - 01), 0, add),
            Some((0, date!(2019 - 01 - 01)))
        );
        assert_eq!(
            least_balance_from(
                [
                    (date!(2019 - 01 - 01), i64::MAX),
                    (date!(2019 - 01 - 01), 1)
                ],
                date!(2019 - 01 - 01),
                0,
                add
            ),
            None
        );
    }
}
