//! Finance: loans with their day counts, and the uses of state grants.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::{LoanId, MemberId, Yuan};

/// The cash account money moves through: 101 库存现金 or 102 银行存款.
///
/// # Example
///
/// ```
/// assert_eq!(landpool::CashAccount::Bank.code(), "102");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CashAccount {
    /// 101 库存现金 (cash on hand).
    Cash,
    /// 102 银行存款 (bank deposits).
    Bank,
}

impl CashAccount {
    /// The account code (`101` or `102`).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::CashAccount::Cash.code(), "101");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            CashAccount::Cash => "101",
            CashAccount::Bank => "102",
        }
    }
}

/// Short-term (201 短期借款, a year or less) or long-term (231 长期借款, more than a year).
///
/// The term must match the loan's dates: a short-term loan matures on or before the same day
/// a year after it is signed (28 February of the next year for a loan signed on 29
/// February), a long-term loan after that day. A loan whose term does not match is refused
/// when it is signed ([`PoolError::LoanTermMismatch`](crate::PoolError::LoanTermMismatch)).
///
/// # Example
///
/// ```
/// use landpool::*;
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// assert_eq!(LoanTerm::Long.code(), "231");
/// let loan = |id: &str, term, maturity| -> Result<Event, Error> {
///     Ok(Event::LoanSigned { loan: Loan {
///         id: id.parse()?, lender: "莱西农商银行".into(), term, amount: Yuan::from_fen(100),
///         annual_rate_percent: dec!(4.35), day_count: DayCount::Act360,
///         signed: date!(2020 - 02 - 29), maturity, raised_for: vec![],
///     }})
/// };
/// let mut book = Book::new();
/// // A year or less after 29 February 2020: on or before 28 February 2021.
/// book.apply("l1".parse()?, loan("L1", LoanTerm::Short, date!(2021 - 02 - 28))?)?;
/// book.apply("l2".parse()?, loan("L2", LoanTerm::Long, date!(2021 - 03 - 01))?)?;
/// let refused = book.apply("l3".parse()?, loan("L3", LoanTerm::Short, date!(2021 - 03 - 01))?);
/// assert!(matches!(refused, Err(Error::Pool(PoolError::LoanTermMismatch { .. }))));
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoanTerm {
    /// 201 短期借款.
    Short,
    /// 231 长期借款.
    Long,
}

impl LoanTerm {
    /// The account code (`201` or `231`).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::LoanTerm;
    /// assert_eq!(LoanTerm::Short.code(), "201");
    /// assert_eq!(LoanTerm::Long.code(), "231");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            LoanTerm::Short => "201",
            LoanTerm::Long => "231",
        }
    }
}

/// How a loan counts days for interest, a term of each loan contract.
///
/// Every day from the drawdown (included) to the repayment (excluded) bears interest on the
/// principal outstanding that day, at `annual rate ÷ basis`:
///
/// - [`DayCount::Act360`]: basis 360, the usual rule of Chinese banks (日利率 = 年利率 ÷ 360);
/// - [`DayCount::Act365`]: basis 365 in every year;
/// - [`DayCount::ActualActual`]: the ISDA actual/actual rule, basis 365 for days in common
///   years and 366 for days in leap years.
///
/// # Example
///
/// ```
/// use landpool::DayCount;
/// assert_eq!(serde_json::to_string(&DayCount::Act360)?, r#""act360""#);
/// assert_eq!(DayCount::ActualActual.name(), "actual/actual (ISDA)");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    /// Actual days ÷ 360.
    Act360,
    /// Actual days ÷ 365.
    Act365,
    /// Actual days ÷ the days of their own year (ISDA).
    ActualActual,
}

impl DayCount {
    /// The convention's usual name (`ACT/360`, `ACT/365`, `actual/actual (ISDA)`).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::DayCount;
    /// assert_eq!(DayCount::Act360.name(), "ACT/360");
    /// assert_eq!(DayCount::Act365.name(), "ACT/365");
    /// assert_eq!(DayCount::ActualActual.name(), "actual/actual (ISDA)");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            DayCount::Act360 => "ACT/360",
            DayCount::Act365 => "ACT/365",
            DayCount::ActualActual => "actual/actual (ISDA)",
        }
    }
}

/// A loan contract: who lends, how much, at what rate and day count, and for whom it was
/// raised.
///
/// The principal is booked to a sub-account of 201 or 231 per loan (`201.L2019-01`), interest
/// accrues to 215 应付利息 against 524 财务费用, and an interest subsidy (贴息) received reduces
/// 524.
///
/// # Example
///
/// ```
/// use landpool::{DayCount, Loan, LoanTerm};
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let loan = Loan {
///     id: "L2019-01".parse()?,
///     lender: "莱西农商银行".into(),
///     term: LoanTerm::Short,
///     amount: "500000".parse()?,
///     annual_rate_percent: dec!(4.35),
///     day_count: DayCount::Act365,
///     signed: date!(2019 - 01 - 01),
///     maturity: date!(2019 - 12 - 31),
///     raised_for: vec!["M001".parse()?],
/// };
/// assert_eq!(loan.term.code(), "201");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loan {
    /// The loan's id (a valid account segment).
    pub id: LoanId,
    /// The lender (a bank, a credit cooperative): one line, without white space at either
    /// end, short enough for the name of the loan's account (`短期借款—<lender>`, `short-term
    /// loan <id> — <lender>`, at most 256 bytes), or the loan is refused
    /// ([`PoolError::NotAllowed`](crate::PoolError::NotAllowed) naming the lender).
    pub lender: String,
    /// Short or long term.
    pub term: LoanTerm,
    /// The most that can be drawn, above zero.
    pub amount: Yuan,
    /// The contract rate in percent a year (4.35 for 4.35%), zero or more.
    #[serde(with = "crate::exact_decimal")]
    pub annual_rate_percent: Decimal,
    /// The contract's day count.
    pub day_count: DayCount,
    /// The day the contract was signed; no drawdown before it.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::signed"
    )]
    pub signed: Date,
    /// The day the principal is due: on or before the same day a year after `signed` for a
    /// short-term loan, after it for a long-term one (see [`LoanTerm`]).
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::maturity"
    )]
    pub maturity: Date,
    /// The members the loan was raised for (the relocated households of an
    /// interest-subsidised loan); each must be a member on `signed`.
    pub raised_for: Vec<MemberId>,
}

/// What a state grant was spent on.
///
/// # Example
///
/// ```
/// use landpool::{CashAccount, GrantUse};
/// let training = GrantUse::Expense { purpose: "种植技术培训".into(), from: CashAccount::Bank };
/// assert_eq!(
///     serde_json::to_string(&training).unwrap(),
///     r#"{"expense":{"purpose":"种植技术培训","from":"bank"}}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum GrantUse {
    /// An asset (a greenhouse, equipment), booked by its own event: here Dr 235 / Cr 311
    /// 专项基金.
    Asset {
        /// The asset, as the books name it: one line of 1 to 256 bytes (it goes into the
        /// entry's memo), or the spending is refused naming the asset.
        asset: String,
    },
    /// Training, marketing and the like: Dr 235 / Cr 101 or 102.
    Expense {
        /// What it paid for: one line of 1 to 256 bytes (it goes into the entry's memo),
        /// or the spending is refused naming the purpose.
        purpose: String,
        /// Paid from cash or bank.
        from: CashAccount,
    },
}
