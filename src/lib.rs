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
//! ## What is here
//!
//! - **Foundation.** [`Yuan`]: money as an exact count of fen, with text and serde forms
//!   that never pass through a float, checked arithmetic, products rounded once by a named
//!   [`Rounding`], and amounts in Chinese capitals (大写金额) for receipts. [`Mu`]: land
//!   area, exact to 0.0001 mu. [`allocate()`] and [`allocate_with`]: a total split by
//!   weights so that the parts add back to it exactly.
//! - **The ledger** ([`ledger`]): the chart of accounts of the 2021 cooperative accounting
//!   system (财会〔2021〕37号) with members' sub-accounts, a hash-chained journal of
//!   balanced entries, balances at any date, the trial balance, and hledger and beancount
//!   exports.
//! - **The book** ([`Book`]): the cooperative's registers (members, parcels, contracts,
//!   greenhouses and other assets, harvests and sales, labour, loans, grants) and its
//!   journal, changed only by [`Event`]s, each checked before anything changes, so that an
//!   event that fails leaves the book as it was. The year-end close distributes the surplus
//!   as the law prescribes (reserve, at least 60% returned by transactions, the rest by
//!   capital and shares). [`EventLog`] keeps the events durably on disk, hash-chained, and
//!   replays them.
//! - **Statements** ([`report`]): the balance sheet, the surplus and distribution statement
//!   and the members' equity statement of the 2021 system, the members' accounts (成员账户),
//!   the trial balance, households' income, the asset register, an account's ledger
//!   (明细账), the general ledger (总账), the journal listing (序时账) with its vouchers (记账凭证) and receipts, as
//!   CSV that Excel and WPS open as it is, or as pages to print.
//! - **Book folders** ([`folder`]): a year as a folder of CSV files an accountant edits,
//!   read with every error naming its file, line and column; and the season's outputs
//!   (statements, workbook, receipts, journals) written together or not at all.
//! - **Audits** ([`audit`]): the rules any book must keep, checked on a book or a log, each
//!   violation naming the entry or record; with the `proptest` feature, `strategies` that
//!   generate realistic books for property tests. [`synthetic`] makes books at town and
//!   county scale.
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
//! A cooperative's year, from its events to its statements: the built-in reference
//! cooperative (Jiaruifeng, Gaogezhuang, 2019), its balance sheet, and the journal listing
//! that every figure can be followed back to.
//!
//! ```
//! use time::macros::date;
//!
//! let book = landpool::folder::BookFolder::reference()?.run()?;
//! let sheet = landpool::report::balance_sheet(&book, 2019)?;
//! // 资产总计 (line 22) equals 负债和所有者权益总计 (line 42).
//! let (assets, claims) = (sheet.line(22).ok_or("no line 22")?, sheet.line(42).ok_or("no line 42")?);
//! assert_eq!(assets.current, claims.current);
//! // The bank account's balance is the sum of its postings in the year's listing.
//! let listing = landpool::report::journal_listing(&book, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
//! let mut bank = landpool::Yuan::ZERO;
//! for entry in listing.entries() {
//!     for posting in entry.postings().iter().filter(|p| p.account.as_str() == "102") {
//!         bank = match posting.side {
//!             landpool::ledger::Side::Debit => bank.checked_add(posting.amount)?,
//!             landpool::ledger::Side::Credit => bank.checked_sub(posting.amount)?,
//!         };
//!     }
//! }
//! assert_eq!(bank, book.journal().balance(&"102".parse()?, date!(2019 - 12 - 31))?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
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
