//! # landpool
//!
//! The books of a village land-pool cooperative, exact to the fen.
//!
//! In the "party branch + cooperative" model (支部+合作社) households transfer their farmland
//! to a cooperative for a fixed rent per mu (1000 yuan/mu/year in the reference case), the
//! cooperative runs greenhouses, pays members wages for work in the park, and distributes its
//! surplus as dividends. This crate keeps those books: every amount is exact to the fen, every
//! total adds back to the fen, and every figure can be traced to the entries that made it.
//!
//! ## What is here now
//!
//! The foundation the books stand on:
//!
//! - [`Yuan`]: money as an exact count of fen, with text and serde forms that never pass
//!   through a float, checked arithmetic, products rounded once by a named [`Rounding`], and
//!   amounts in Chinese capitals (大写金额) for receipts.
//! - [`Mu`]: land area in mu, exact to 0.0001 mu, with conversions to hectares and square
//!   metres (1 mu = 1/15 ha).
//! - [`allocate()`] and [`allocate_with`]: split a total by weights so that the parts add back to
//!   the total exactly (largest-remainder method with a documented tie-break).
//!
//! The double-entry ledger, the cooperative's registers, the year-end close and the statements
//! build on these (see the project's issues and `CHANGELOG.md`).
//!
//! ## Example
//!
//! ```
//! use landpool::{allocate, Mu, Rounding, Yuan};
//! use rust_decimal_macros::dec;
//!
//! // A household transfers 1.35 mu at 1000 yuan per mu for a year.
//! let area: Mu = "1.35".parse()?;
//! let rent = Yuan::from_product(&[area.to_decimal(), dec!(1000)], dec!(1), Rounding::HalfAwayFromZero)?;
//! assert_eq!(rent.to_string(), "1350.00");
//! assert_eq!(rent.to_chinese_upper(), "壹仟叁佰伍拾元整");
//!
//! // A surplus of 360,000.00 split 70 : 30 between patronage returns and the rest.
//! let split = allocate("360,000.00".parse()?, &[dec!(70), dec!(30)])?;
//! assert_eq!(split, ["252000.00".parse::<Yuan>()?, "108000.00".parse()?]);
//! # Ok::<(), landpool::Error>(())
//! ```
//!
//! ## Conventions
//!
//! - Money is never a float: not in the API, not in serde. Amounts and areas serialize as
//!   strings (`"1409.50"`, `"1.35"`).
//! - Rounding happens once, where an amount is made, by a named [`Rounding`]: the caller
//!   names it for [`Yuan`] and [`Mu`] functions; the book's own figures (rent, interest,
//!   percentages of a surplus) use [`Rounding::HalfAwayFromZero`] (四舍五入), the one to use
//!   for yuan unless a contract or the bylaws say otherwise.
//! - Nothing panics on caller input: operations return [`Error`], which says what was wrong,
//!   where, and what was expected.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Library code never panics on input: no unwrap, expect, panic or unchecked indexing outside
// tests (issue 8). Amounts and areas use checked arithmetic where input can reach them, and
// arithmetic that cannot overflow says why in a narrowly scoped allow.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

pub mod allocate;
mod area;
pub mod audit;
mod book;
mod error;
mod exact_decimal;
pub mod folder;
mod iso_date;
pub mod ledger;
mod log;
mod money;
mod parallel;
pub mod pool;
mod register;
pub mod report;
mod rounding;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod synthetic;
mod text;
mod tight;

pub use allocate::{allocate, allocate_with, Remainder};
pub use area::{Mu, HECTARE_PLACES, SQUARE_METER_PLACES};
pub use book::{
    Accrue, Applied, Book, CapitalReturn, CapitalSource, CashAccount, ContractEnding,
    ContractRecord, Distribution, DistributionPolicy, Event, LoggedEvent, MemberAccount,
    MemberShare, ParcelPart, PatronageBase, ProfitAndLoss, SwapCompensation, VolumeWeights,
    DISTRIBUTIONS, UNDISTRIBUTED,
};
pub use book::{
    AssetRecord, AssetWork, CropResult, GrantRecord, GreenhouseRecord, GreenhouseResult,
    LabourIncome, LoanRecord,
};
pub use error::{Error, Result};
pub use log::{EventLog, LogError, LogRead, Opened};
pub use money::{CapitalsStyle, Yuan};
pub use pool::{
    AreaChange, Contract, ContractId, ContractKind, ContractLine, EventId, GrainPrices, GrainUnit,
    Member, MemberId, MemberKind, Parcel, ParcelId, PaymentTerms, PoolError, ProRating, RentTerms,
};
pub use pool::{Asset, AssetId, AssetKind, DepreciationMethod};
pub use pool::{
    BookedWork, CostKind, CostPayment, CostTarget, CropId, DayCount, GrantId, GrantUse, Greenhouse,
    GreenhouseId, Harvest, Loan, LoanId, LoanTerm, Pay, Sale, SalePayment, Task, WageAccount,
    WorkKind, WorkRecord, Worker,
};
pub use rounding::Rounding;
pub use text::Text;

/// The README's Rust examples, run as doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
