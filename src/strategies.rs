//! [proptest](mod@proptest) strategies that generate realistic random books, for property
//! tests of code that reads books (feature `proptest`).
//!
//! A generated book is a cooperative's first one to three years, as events that apply
//! cleanly, in the order a cooperative would record them: households (and sometimes the
//! village collective, a legal person, and a visitor who works a day, contributes a little
//! capital and leaves, and whose capital and reserve share, if a close gave them one, are
//! returned: the capital after their leaving, the share in the second January after it, so
//! the cooperative holds it for them through a whole year) join and contribute capital, and
//! some take part of it back each November (from poverty-relief assets for those whose
//! capital came from them); a land-share contract's capital is returned when it ends, all of
//! it or half; every third member still in converts half their reserve share to capital each
//! March after the first year (公积金转为成员出资);
//! parcels are registered, split and merged; contracts of every kind are signed (fixed,
//! stepped and grain-indexed rent, land shares; by actual days or months and days; charged to
//! 401 or to 521's sub-account `521.RENT`, never 521 itself, which takes no postings once a
//! greenhouse opens its sub-accounts); grain prices are recorded, per jin or per kg (which the
//! contracts, in jin, read converted); rent accrues monthly, quarterly,
//! yearly or in advance, and is paid; plots are swapped, with compensation when the areas
//! differ; now and then a transfer contract is ended early (协议解除) on a month's last
//! day; greenhouses are built on the pooled land and depreciate, and so do the vines
//! planted in the first (a productive biological asset, straight-line) and a tractor bought
//! in the first February (a fixed asset, by the hours it works each month, sold in the last
//! year's October); produce is harvested and
//! sold for cash, into the bank or on credit, and collected; costs, timesheets and wages are
//! booked; loans are drawn, accrue interest, are subsidised and repaid; grants are received
//! and spent; the accountant records manual entries and corrects them going forward; a
//! later year may bring a storm whose repairs turn it into a loss, which its close covers
//! from the reserve when the policy says so, and which wrecks a greenhouse, taken out of use
//! at the year's end (its vines grubbed up first); every year is closed under a random lawful
//! policy, and its distribution is paid out the next year.
//!
//! Every choice is drawn from a list of random numbers ("dice"), zero being the simplest
//! choice, so that proptest shrinks a failing book towards a small one. Each candidate event
//! is applied to the book as it is built; one the book refuses is left out, so the events
//! always apply cleanly (a refusal is part of the model: wages beyond what is owed, a swap
//! after rent was accrued, …). [`Generated::refused`] lists what was left out, for tests that
//! check the model stays realistic.
//!
//! # Example
//!
//! ```
//! use landpool::strategies;
//! use proptest::prelude::*;
//! use proptest::test_runner::{Config, TestRunner};
//!
//! let mut runner = TestRunner::new(Config { cases: 4, ..Config::default() });
//! runner.run(&strategies::book(), |book| {
//!     // Replaying the generated events gives the same book.
//!     let replayed = landpool::Book::replay(book.events().iter().cloned()).unwrap();
//!     prop_assert_eq!(replayed.digest(), book.digest());
//!     Ok(())
//! }).unwrap();
//! ```

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use proptest::prelude::*;
use rust_decimal::Decimal;
use time::{Date, Month};

use crate::ledger::{AccountCode, Posting, Side};
use crate::{
    Accrue, Book, CashAccount, Contract, ContractId, ContractKind, ContractLine, CostKind,
    CostPayment, CostTarget, CropId, DayCount, DistributionPolicy, Event, EventId, GrainUnit,
    GrantId, GrantUse, Greenhouse, GreenhouseId, Loan, LoanId, LoanTerm, Member, MemberId,
    MemberKind, Mu, Parcel, ParcelId, ParcelPart, PatronageBase, Pay, PaymentTerms, ProRating,
    RentTerms, SalePayment, SwapCompensation, Task, VolumeWeights, WageAccount, WorkKind,
    WorkRecord, Worker, Yuan,
};
use crate::{Asset, AssetId, AssetKind, DepreciationMethod};

/// How big the generated books are.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let config = landpool::strategies::Config { years: 1..=1, ..Default::default() };
/// let strategy = landpool::strategies::book_with(config);
/// let book = strategy.new_tree(&mut TestRunner::deterministic()).unwrap().current();
/// // One year kept: 2019 is closed, 2020 is not.
/// assert!(book.distribution(2019).is_some());
/// assert!(book.distribution(2020).is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The first calendar year of the books, taken into the years a ledger keeps
    /// ([`MIN_YEAR`](crate::ledger::MIN_YEAR) to [`MAX_YEAR`](crate::ledger::MAX_YEAR)).
    pub first_year: i32,
    /// How many years are kept (each is closed, and paid out the year after); at least one.
    pub years: RangeInclusive<u8>,
    /// How many members join at the start (a visitor may join besides); at least one.
    pub members: RangeInclusive<usize>,
    /// How many random choices a book may draw; more give busier books.
    pub dice: usize,
}

impl Default for Config {
    /// 2019, one to three years, two to eight members, up to 3000 choices.
    fn default() -> Config {
        Config {
            first_year: 2019,
            years: 1..=3,
            members: 2..=8,
            dice: 3000,
        }
    }
}

/// A generated book with the candidate events the book refused while it was built.
///
/// # Example
///
/// ```
/// use landpool::strategies::{generate, Config};
/// let generated = generate(&Config::default(), 3, 2, &[7, 1, 99, 12345, 3]);
/// assert!(!generated.book.events().is_empty());
/// assert!(landpool::audit::check(&generated.book).is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Generated {
    /// The book: its events are the ones that applied.
    pub book: Book,
    /// Each refused candidate: the event's `type` and the book's error (at most 1000).
    pub refused: Vec<String>,
}

/// Random books under the default [`Config`].
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let tree = landpool::strategies::book().new_tree(&mut TestRunner::deterministic());
/// let book = tree.map_err(|e| e.to_string())?.current();
/// // The first year, 2019, is always closed, and the books pass the audit.
/// assert!(matches!(book.distribution(2019), Some(_)));
/// assert!(matches!(landpool::audit::check(&book).as_slice(), []));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn book() -> impl Strategy<Value = Book> {
    book_with(Config::default())
}

/// Random books of the given size.
///
/// # Example
///
/// ```
/// use landpool::strategies::{book_with, Config};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let config = Config { years: 1..=1, members: 2..=2, dice: 50, ..Config::default() };
/// let tree = book_with(config).new_tree(&mut TestRunner::deterministic());
/// let book = tree.map_err(|e| e.to_string())?.current();
/// // Two members join at the start (and perhaps a visitor); one year is kept and closed.
/// assert!(matches!(book.members().count(), 2 | 3));
/// assert!(matches!(book.distribution(2019), Some(_)));
/// assert!(matches!(book.distribution(2020), None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn book_with(config: Config) -> impl Strategy<Value = Book> {
    generated_with(config).prop_map(|generated| generated.book)
}

/// Random books with the candidates they refused.
///
/// # Example
///
/// ```
/// use landpool::strategies;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let generated = strategies::generated_with(Default::default()).new_tree(&mut runner).unwrap().current();
/// assert!(generated.refused.len() < generated.book.events().len());
/// ```
pub fn generated_with(config: Config) -> impl Strategy<Value = Generated> {
    let members = config.members.clone();
    let years = config.years.clone();
    let dice = prop::collection::vec(any::<u32>(), 0..=config.dice);
    (members, years, dice)
        .prop_map(move |(members, years, dice)| generate(&config, members, years, &dice))
}

/// Random event sequences that apply cleanly to an empty book, with their ids.
///
/// # Example
///
/// ```
/// use landpool::{strategies, Book};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let events = strategies::events().new_tree(&mut runner).unwrap().current();
/// let count = events.len() as u64;
/// let mut book = Book::new();
/// for (id, event) in events {
///     book.apply(id, event)?;
/// }
/// // Every one applied and went into the log.
/// assert_eq!(book.event_count(), count);
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn events() -> impl Strategy<Value = Vec<(EventId, Event)>> {
    book().prop_map(|book| {
        book.events()
            .iter()
            .map(|logged| (logged.id.clone(), logged.event.clone()))
            .collect()
    })
}

/// Amounts from `fen.start()` to `fen.end()` fen.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// let mut runner = proptest::test_runner::TestRunner::deterministic();
/// let amount = landpool::strategies::yuan(1..=100_00).new_tree(&mut runner).unwrap().current();
/// assert!(amount.fen() >= 1 && amount.fen() <= 100_00);
/// ```
pub fn yuan(fen: RangeInclusive<i64>) -> impl Strategy<Value = Yuan> {
    fen.prop_map(Yuan::from_fen)
}

/// Areas from `ten_thousandths.start()` to `ten_thousandths.end()` ten-thousandths of a mu.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// let mut runner = proptest::test_runner::TestRunner::deterministic();
/// let area = landpool::strategies::mu(1..=10_0000).new_tree(&mut runner).unwrap().current();
/// assert!(!area.is_zero());
/// ```
pub fn mu(ten_thousandths: RangeInclusive<u64>) -> impl Strategy<Value = Mu> {
    ten_thousandths.prop_map(Mu::from_ten_thousandths)
}

/// Rent terms of every kind: fixed, stepped and grain-indexed (wheat by the jin).
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use landpool::{GrainUnit, RentTerms};
/// use rust_decimal_macros::dec;
///
/// let mut runner = proptest::test_runner::TestRunner::deterministic();
/// for _ in 0..20 {
///     match landpool::strategies::rent_terms().new_tree(&mut runner).unwrap().current() {
///         // 1000 yuan a mu, or 500.00 to 1500.99.
///         RentTerms::Fixed { yuan_per_mu } | RentTerms::Stepped { yuan_per_mu, .. } => {
///             assert!(dec!(500) <= yuan_per_mu && yuan_per_mu <= dec!(1500.99));
///         }
///         RentTerms::GrainIndexed { crop, unit, .. } => {
///             assert!(crop == "wheat" && unit == GrainUnit::Jin);
///         }
///     }
/// }
/// ```
pub fn rent_terms() -> impl Strategy<Value = RentTerms> {
    prop::collection::vec(any::<u32>(), 8).prop_map(|dice| rent_terms_from(&mut Dice::new(&dice)))
}

/// Contract kinds: transfers under any [`rent_terms`], and land shares.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// use landpool::ContractKind;
/// use rust_decimal_macros::dec;
///
/// let mut runner = proptest::test_runner::TestRunner::deterministic();
/// let (mut transfers, mut shares) = (0, 0);
/// for _ in 0..40 {
///     match landpool::strategies::contract_kind().new_tree(&mut runner).unwrap().current() {
///         ContractKind::Transfer { .. } => transfers += 1,
///         ContractKind::LandShares { shares_per_mu, guaranteed_per_share, .. } => {
///             // 0.50 to 2.00 shares a mu, 100 to 800 yuan guaranteed a share.
///             assert!(dec!(0.5) <= shares_per_mu && shares_per_mu <= dec!(2));
///             assert!(dec!(100) <= guaranteed_per_share && guaranteed_per_share <= dec!(800));
///             shares += 1;
///         }
///     }
/// }
/// assert!(transfers > 0 && shares > 0);
/// ```
pub fn contract_kind() -> impl Strategy<Value = ContractKind> {
    prop::collection::vec(any::<u32>(), 10).prop_map(|dice| kind_from(&mut Dice::new(&dice)))
}

/// Lawful distribution policies: reserve 0–20%, welfare 0–5%, patronage 60–100%, either base,
/// land and labour volume weights, nothing for the collective, up to 30% converted to capital.
///
/// # Example
///
/// ```
/// use proptest::strategy::{Strategy, ValueTree};
/// let mut runner = proptest::test_runner::TestRunner::deterministic();
/// let policy = landpool::strategies::distribution_policy().new_tree(&mut runner).unwrap().current();
/// policy.validate()?;
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn distribution_policy() -> impl Strategy<Value = DistributionPolicy> {
    prop::collection::vec(any::<u32>(), 10)
        .prop_map(|dice| policy_from(&mut Dice::new(&dice), false))
}

/// Random choices read one by one; zero (and running out) is the simplest choice.
struct Dice<'a> {
    values: &'a [u32],
    at: usize,
}

impl<'a> Dice<'a> {
    fn new(values: &'a [u32]) -> Dice<'a> {
        Dice { values, at: 0 }
    }

    fn next(&mut self) -> u32 {
        let value = self.values.get(self.at).copied().unwrap_or(0);
        self.at = self.at.saturating_add(1);
        value
    }

    /// From 0 to `n − 1` (0 when `n` is 0).
    fn below(&mut self, n: u32) -> u32 {
        self.next().checked_rem(n).unwrap_or(0)
    }

    /// From `low` to `high`, both included.
    fn range(&mut self, low: u32, high: u32) -> u32 {
        let span = high.saturating_sub(low).saturating_add(1);
        low.saturating_add(self.below(span))
    }

    /// True with about `percent`% chance; false for a zero die.
    fn chance(&mut self, percent: u32) -> bool {
        self.below(100) >= 100_u32.saturating_sub(percent)
    }

    /// An index below `len` (0 for an empty list).
    fn pick(&mut self, len: usize) -> usize {
        let n = u32::try_from(len).unwrap_or(u32::MAX);
        usize::try_from(self.below(n)).unwrap_or(0)
    }
}

fn ymd(year: i32, month: u8, day: u8) -> Option<Date> {
    let month = Month::try_from(month).ok()?;
    let day = day.clamp(1, month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

/// The date `years` years after `start`; 29 February becomes 28 February in a common year.
fn anniversary(start: Date, years: u32) -> Date {
    let year = start
        .year()
        .saturating_add(i32::try_from(years).unwrap_or(i32::MAX));
    Date::from_calendar_date(year, start.month(), start.day())
        .or_else(|_| Date::from_calendar_date(year, start.month(), start.day().saturating_sub(1)))
        .unwrap_or(Date::MAX)
}

fn last_of_month(year: i32, month: u8) -> Option<Date> {
    ymd(year, month, 31)
}

/// `value` hundredths as a decimal (`1234` → `12.34`).
fn hundredths(value: u32) -> Decimal {
    Decimal::new(i64::from(value), 2)
}

fn yuan_of(yuan: u32, fen: u32) -> Yuan {
    Yuan::from_fen(
        i64::from(yuan)
            .saturating_mul(100)
            .saturating_add(i64::from(fen % 100)),
    )
}

fn id<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.parse().ok()
}

fn code(text: &str) -> Option<AccountCode> {
    AccountCode::new(text).ok()
}

fn rent_terms_from(dice: &mut Dice<'_>) -> RentTerms {
    match dice.below(3) {
        0 => RentTerms::Fixed {
            yuan_per_mu: fixed_rate(dice),
        },
        1 => RentTerms::Stepped {
            yuan_per_mu: fixed_rate(dice),
            step_percent: Decimal::from(dice.range(1, 10)),
            every_years: dice.range(1, 3),
        },
        _ => RentTerms::GrainIndexed {
            crop: "wheat".into(),
            unit: GrainUnit::Jin,
            quantity_per_mu: Decimal::from(dice.range(400, 900)),
            reset_every_years: dice.range(1, 3),
        },
    }
}

/// 1000 yuan per mu, or 500.00 to 1500.99 with fen.
fn fixed_rate(dice: &mut Dice<'_>) -> Decimal {
    if dice.chance(60) {
        hundredths(dice.range(50_000, 150_099))
    } else {
        Decimal::from(1000)
    }
}

fn kind_from(dice: &mut Dice<'_>) -> ContractKind {
    if dice.chance(25) {
        ContractKind::LandShares {
            shares_per_mu: if dice.chance(40) {
                hundredths(dice.range(50, 200))
            } else {
                Decimal::ONE
            },
            value_per_share: yuan_of(dice.range(500, 2000), 0),
            guaranteed_per_share: Decimal::from(dice.range(100, 800)),
        }
    } else {
        ContractKind::Transfer {
            rent: rent_terms_from(dice),
        }
    }
}

fn policy_from(dice: &mut Dice<'_>, collective: bool) -> DistributionPolicy {
    let patronage = Decimal::from(dice.range(60, 100));
    let collective_percent = if collective && dice.chance(40) {
        let room = 100_u32.saturating_sub(dice.range(60, 100)).min(10);
        Decimal::from(dice.range(0, room)).min(Decimal::ONE_HUNDRED.saturating_sub(patronage))
    } else {
        Decimal::ZERO
    };
    DistributionPolicy {
        reserve_percent: if dice.chance(30) {
            hundredths(dice.range(0, 20_00))
        } else {
            Decimal::from(10)
        },
        welfare_percent: if dice.chance(20) {
            Decimal::from(dice.range(1, 5))
        } else {
            Decimal::ZERO
        },
        patronage_percent: patronage,
        base: if dice.chance(30) {
            PatronageBase::Distributable
        } else {
            PatronageBase::ThisYear
        },
        volume: VolumeWeights {
            land_mu_days: Decimal::from(dice.range(1, 3)),
            labour_pay: if dice.chance(30) {
                Decimal::from(dice.range(1, 3))
            } else {
                Decimal::ZERO
            },
        },
        collective_percent,
        convert_to_capital_percent: if dice.chance(20) {
            Decimal::from(dice.range(1, 30))
        } else {
            Decimal::ZERO
        },
        cover_loss_from_reserve: dice.chance(50),
    }
}

/// What the builder knows about a member.
struct MemberInfo {
    id: MemberId,
    joined: Date,
    collective: bool,
}

/// Builds a book from dice: every candidate event is applied at once; refused ones are left
/// out.
struct Builder<'a> {
    dice: Dice<'a>,
    book: Book,
    next: u32,
    refused: Vec<String>,
    first_year: i32,
    /// The last day any event may be dated (the year after the last year kept).
    horizon: Date,
    members: Vec<MemberInfo>,
    visitor: Option<MemberId>,
    contracts: Vec<ContractId>,
    /// Greenhouses and the day each was built.
    greenhouses: Vec<(GreenhouseId, Date)>,
    /// Greenhouses taken out of use (after a storm).
    retired: Vec<GreenhouseId>,
    buyers: Vec<String>,
    loan: Option<LoanId>,
    grant: Option<GrantId>,
    prices: BTreeSet<Date>,
    rent_account: bool,
    /// Manual entries to correct later: the amount booked to 523 by mistake.
    corrections: Vec<Yuan>,
    harvested: Vec<(GreenhouseId, Decimal)>,
    /// The member who left, with their last day.
    left: Option<(MemberId, Date)>,
    /// The tractor and the day it was put into use, while it is in use.
    tractor: Option<(AssetId, Date)>,
    /// The vines and the greenhouse they are planted in, while they are in use.
    vines: Option<(AssetId, GreenhouseId)>,
}

/// The most refusals kept in [`Generated::refused`].
const MAX_REFUSED: usize = 1000;

/// Builds the book `dice` describe: `members` members and `years` years (at least one
/// of each: zero is taken as one) from `config.first_year` (taken into the ledger's years, 1900 to 9999). Deterministic: the
/// same arguments give the same book.
///
/// # Example
///
/// ```
/// use landpool::strategies::{generate, Config};
///
/// // All dice zero: the simplest book of two members and one year.
/// let simplest = generate(&Config::default(), 2, 1, &[0; 8]);
/// assert_eq!(simplest.book.members().count(), 2);
/// assert!(simplest.refused.is_empty());
/// assert!(matches!(simplest.book.distribution(2019), Some(_)));
/// // The same arguments give the same book.
/// let again = generate(&Config::default(), 2, 1, &[0; 8]);
/// assert_eq!(again.book.digest(), simplest.book.digest());
/// ```
pub fn generate(config: &Config, members: usize, years: u8, dice: &[u32]) -> Generated {
    // Outside the years a ledger keeps, every dated candidate would be refused.
    let first_year = config
        .first_year
        .clamp(crate::ledger::MIN_YEAR, crate::ledger::MAX_YEAR);
    let years = i32::from(years.max(1));
    let last_year = first_year.saturating_add(years).saturating_sub(1);
    let horizon = ymd(last_year.saturating_add(1), 12, 31).unwrap_or(Date::MAX);
    let mut b = Builder {
        dice: Dice::new(dice),
        book: Book::new(),
        next: 0,
        refused: Vec::new(),
        first_year,
        horizon,
        members: Vec::new(),
        visitor: None,
        contracts: Vec::new(),
        greenhouses: Vec::new(),
        retired: Vec::new(),
        buyers: Vec::new(),
        loan: None,
        grant: None,
        prices: BTreeSet::new(),
        rent_account: false,
        corrections: Vec::new(),
        harvested: Vec::new(),
        left: None,
        tractor: None,
        vines: None,
    };
    b.members(members);
    b.land();
    b.finance();
    b.buy_tractor(first_year);
    b.greenhouses_at(first_year);
    for year in first_year..=last_year {
        b.year(year);
    }
    b.settle(last_year);
    Generated {
        book: b.book,
        refused: b.refused,
    }
}

impl Builder<'_> {
    /// Applies `event` under the next id; leaves it out if the book refuses it.
    fn apply(&mut self, event: Event) -> bool {
        self.next = self.next.saturating_add(1);
        let Ok(event_id) = EventId::new(&format!("e{}", self.next)) else {
            return false;
        };
        let kind = event_type(&event);
        match self.book.apply(event_id, event) {
            Ok(_) => true,
            Err(e) => {
                if self.refused.len() < MAX_REFUSED {
                    self.refused.push(format!("{kind}: {e}"));
                }
                false
            }
        }
    }

    /// Applies `event` only if, afterwards, the greenhouses still fit in the pooled land on
    /// every date through the horizon.
    fn apply_if_land_fits(&mut self, event: Event) -> bool {
        let saved = self.book.clone();
        if !self.apply(event) {
            return false;
        }
        if land_fits(&self.book, self.horizon) {
            return true;
        }
        self.book = saved;
        if self.refused.len() < MAX_REFUSED {
            self.refused
                .push("greenhouses would outgrow the pooled land before the horizon".into());
        }
        false
    }

    fn members(&mut self, count: usize) {
        let year = self.first_year;
        for index in 0..count.max(1) {
            let Some(member_id) = id::<MemberId>(&format!("M{:03}", index.saturating_add(1)))
            else {
                continue;
            };
            let collective = index == 0 && self.dice.chance(30);
            let kind = if collective {
                MemberKind::Collective
            } else if self.dice.chance(8) {
                MemberKind::LegalPerson
            } else {
                MemberKind::Household {
                    persons: self.dice.range(1, 6),
                }
            };
            let joined = if self.dice.chance(20) {
                ymd(year, u8::try_from(self.dice.range(2, 6)).unwrap_or(2), 1)
            } else {
                ymd(year, 1, 1)
            };
            let Some(joined) = joined else { continue };
            let member = Member {
                id: member_id.clone(),
                name: format!("成员{}", index.saturating_add(1)).into(),
                kind,
                village: "高格庄".into(),
                joined,
                left: None,
            };
            if self.apply(Event::MemberJoined { member }) {
                self.members.push(MemberInfo {
                    id: member_id,
                    joined,
                    collective,
                });
            }
        }
        // Capital contributions.
        for index in 0..self.members.len() {
            if !self.dice.chance(80) {
                continue;
            }
            let Some(info) = self.members.get(index) else {
                continue;
            };
            let (member, joined) = (info.id.clone(), info.joined);
            let amount = yuan_of(self.dice.range(1000, 50_000), self.dice.below(100));
            let into = self.cash();
            let date = joined.saturating_add(time::Duration::days(i64::from(self.dice.below(20))));
            // Every fifth member's capital is from poverty-relief assets (no die is cast,
            // so the books drawn before the source existed are drawn the same).
            let source = if index % 5 == 0 {
                crate::CapitalSource::PovertyRelief
            } else {
                crate::CapitalSource::Other
            };
            // Every seventh pays a tenth of it above their share, to 321 (again no die).
            let premium = if index % 7 == 3 {
                Yuan::from_fen(amount.fen() / 10)
            } else {
                Yuan::ZERO
            };
            self.apply(Event::CapitalContributed {
                member,
                date,
                amount,
                into,
                source,
                premium,
            });
        }
        // A visitor who joins without land or capital, and leaves later.
        if self.dice.chance(30) {
            if let (Some(visitor), Some(joined)) = (id::<MemberId>("V001"), ymd(year, 1, 15)) {
                let member = Member {
                    id: visitor.clone(),
                    name: "访客".into(),
                    kind: MemberKind::Household { persons: 1 },
                    village: "河头店".into(),
                    joined,
                    left: None,
                };
                if self.apply(Event::MemberJoined { member }) {
                    self.visitor = Some(visitor.clone());
                    // A day's work, paid at once: a close that weighs labour gives the
                    // visitor a part, and a reserve share to return when they leave.
                    self.visitor_works(visitor, year);
                }
            }
        }
    }

    fn cash(&mut self) -> CashAccount {
        if self.dice.chance(25) {
            CashAccount::Cash
        } else {
            CashAccount::Bank
        }
    }

    /// A random day of `month` in `year` from `low` to `high`.
    fn day(&mut self, year: i32, month: u8, low: u8, high: u8) -> Option<Date> {
        let day = self.dice.range(u32::from(low), u32::from(high));
        ymd(year, month, u8::try_from(day).unwrap_or(1))
    }

    fn land(&mut self) {
        if self.dice.chance(70) {
            if let Some(rent) = code("521.RENT") {
                self.rent_account = self.apply(Event::AccountOpened {
                    code: rent,
                    name_zh: "土地流转费".into(),
                    name_en: "land transfer rent".into(),
                });
            }
        }
        let members: Vec<(MemberId, Date)> = self
            .members
            .iter()
            .map(|m| (m.id.clone(), m.joined))
            .collect();
        for (index, (member, joined)) in members.into_iter().enumerate() {
            let mut parcels: Vec<(ParcelId, Mu)> = Vec::new();
            let count = self.dice.range(1, 3);
            for k in 0..count {
                let Some(parcel) = id::<ParcelId>(&format!(
                    "P{:03}-{}",
                    index.saturating_add(1),
                    k.saturating_add(1)
                )) else {
                    continue;
                };
                let area = if self.dice.chance(10) {
                    Mu::from_ten_thousandths(u64::from(self.dice.range(5000, 120_000)))
                } else {
                    Mu::from_ten_thousandths(
                        u64::from(self.dice.range(50, 1200)).saturating_mul(100),
                    )
                };
                let registered = Parcel {
                    id: parcel.clone(),
                    owner: member.clone(),
                    area,
                    village: "高格庄".into(),
                    land_class: if self.dice.chance(30) {
                        "旱地"
                    } else {
                        "水浇地"
                    }
                    .into(),
                    registered: joined,
                    retired: None,
                };
                if self.apply(Event::ParcelRegistered { parcel: registered }) {
                    parcels.push((parcel, area));
                }
            }
            let adjust =
                joined.saturating_add(time::Duration::days(i64::from(self.dice.range(1, 10))));
            // Split the first parcel in two.
            if self.dice.chance(15) {
                if let Some((parcel, area)) = parcels.first().cloned() {
                    let part = Mu::from_ten_thousandths(area.ten_thousandths() / 2);
                    let rest = area.checked_sub(part).unwrap_or(Mu::ZERO);
                    let names = (
                        id::<ParcelId>(&format!("{parcel}-a")),
                        id::<ParcelId>(&format!("{parcel}-b")),
                    );
                    if let (Some(a), Some(b)) = names {
                        let parts = vec![
                            ParcelPart {
                                parcel: a.clone(),
                                area: part,
                            },
                            ParcelPart {
                                parcel: b.clone(),
                                area: rest,
                            },
                        ];
                        if self.apply(Event::ParcelSplit {
                            parcel,
                            date: adjust,
                            parts,
                        }) {
                            parcels.remove(0);
                            parcels.push((a, part));
                            parcels.push((b, rest));
                        }
                    }
                }
            }
            // Merge two parcels into one.
            if parcels.len() >= 2 && self.dice.chance(15) {
                let merged = parcels.iter().take(2).cloned().collect::<Vec<_>>();
                if let Some(into) = id::<ParcelId>(&format!("P{:03}-M", index.saturating_add(1))) {
                    let area = Mu::checked_sum(merged.iter().map(|(_, a)| *a)).unwrap_or(Mu::ZERO);
                    if self.apply(Event::ParcelsMerged {
                        parcels: merged.iter().map(|(p, _)| p.clone()).collect(),
                        into: into.clone(),
                        date: adjust,
                    }) {
                        parcels.drain(..2);
                        parcels.push((into, area));
                    }
                }
            }
            if !parcels.is_empty() && self.dice.chance(85) {
                let start_floor = adjust.next_day().unwrap_or(adjust);
                self.contract(index, &member, start_floor, &parcels);
            }
        }
    }

    fn contract(
        &mut self,
        index: usize,
        member: &MemberId,
        not_before: Date,
        parcels: &[(ParcelId, Mu)],
    ) {
        let Some(contract_id) = id::<ContractId>(&format!("C{:03}", index.saturating_add(1)))
        else {
            return;
        };
        let mut lines = Vec::new();
        for (parcel, area) in parcels {
            if !lines.is_empty() && self.dice.chance(30) {
                continue;
            }
            let share = u64::from(self.dice.range(50, 100));
            let hundredths_of = area.ten_thousandths() / 100;
            let part = if share == 100 || hundredths_of < 2 {
                *area
            } else {
                Mu::from_ten_thousandths(
                    (hundredths_of.saturating_mul(share) / 100)
                        .max(1)
                        .saturating_mul(100),
                )
            };
            lines.push(ContractLine {
                parcel: parcel.clone(),
                area: part,
            });
        }
        let year = self.first_year;
        let start = if self.dice.chance(40) {
            let month = u8::try_from(self.dice.range(1, 12)).unwrap_or(1);
            self.day(year, month, 1, 28)
        } else {
            ymd(year, 1, 1)
        };
        let Some(start) = start.map(|s| s.max(not_before)) else {
            return;
        };
        let years = self.dice.range(1, 8);
        let end = if self.dice.chance(50) {
            ymd(
                start
                    .year()
                    .saturating_add(i32::try_from(years).unwrap_or(1)),
                12,
                31,
            )
        } else {
            anniversary(start, years).previous_day()
        };
        let Some(end) = end else { return };
        let kind = kind_from(&mut self.dice);
        // Not 521 itself: the first greenhouse opens sub-accounts under it, after which
        // nothing more can be posted to 521.
        let charge_to = match self.dice.below(2) {
            1 if self.rent_account => code("521.RENT"),
            _ => code("401"),
        };
        let Some(charge_to) = charge_to else { return };
        let contract = Contract {
            id: contract_id.clone(),
            member: member.clone(),
            lines,
            start,
            end,
            kind: kind.clone(),
            pro_rating: if self.dice.chance(30) {
                ProRating::MonthsAndDays
            } else {
                ProRating::ActualDays
            },
            payment: if self.dice.chance(30) {
                PaymentTerms::InArrears { month: 1, day: 15 }
            } else {
                PaymentTerms::InAdvance { month: 3, day: 1 }
            },
            charge_to,
        };
        if let ContractKind::Transfer {
            rent: RentTerms::GrainIndexed {
                reset_every_years, ..
            },
        } = &kind
        {
            let mut k = 0_u32;
            loop {
                let date = anniversary(start, k);
                if date > end || date > self.horizon {
                    break;
                }
                if self.prices.insert(date) {
                    let fen = self.dice.range(100, 160);
                    // Half the prices per kg (twice the price per jin), which the jin
                    // contracts read converted; the parity of the draw picks, so that the
                    // dice go on as before.
                    let (unit, price) = if fen.is_multiple_of(2) {
                        (GrainUnit::Kg, hundredths(fen.saturating_mul(2)))
                    } else {
                        (GrainUnit::Jin, hundredths(fen))
                    };
                    self.apply(Event::GrainPriceRecorded {
                        crop: "wheat".into(),
                        unit,
                        date,
                        price,
                    });
                }
                // `anniversary` stops at the last day there is: past it, no later price date
                // (a book near year 9999 would otherwise loop here for ever).
                if date == Date::MAX {
                    break;
                }
                k = k.saturating_add((*reset_every_years).max(1));
            }
        }
        if self.apply(Event::ContractSigned {
            contract: Box::new(contract),
        }) {
            self.contracts.push(contract_id);
        }
    }

    fn finance(&mut self) {
        let year = self.first_year;
        if self.dice.chance(60) {
            let (Some(loan_id), Some(signed)) = (id::<LoanId>("L001"), ymd(year, 1, 5)) else {
                return;
            };
            let raised_for = self
                .members
                .iter()
                .filter(|m| m.joined <= signed && self.dice.chance(30))
                .map(|m| m.id.clone())
                .collect::<Vec<_>>();
            let amount = yuan_of(self.dice.range(100, 1000).saturating_mul(1000), 0);
            let maturity = ymd(
                year.saturating_add(i32::try_from(self.dice.range(1, 3)).unwrap_or(1)),
                12,
                31,
            );
            let Some(long_maturity) = maturity else {
                return;
            };
            let term = if self.dice.chance(50) {
                LoanTerm::Long
            } else {
                LoanTerm::Short
            };
            // A short-term loan (201) is for a year or less: it matures at the end of the
            // year it is signed in; a long-term one (231) one to three years later.
            let maturity = match term {
                LoanTerm::Long => long_maturity,
                LoanTerm::Short => match ymd(year, 12, 31) {
                    Some(end) => end,
                    None => return,
                },
            };
            let loan = Loan {
                id: loan_id.clone(),
                lender: "莱西市农村商业银行".into(),
                term,
                amount,
                annual_rate_percent: hundredths(self.dice.range(300, 600)),
                day_count: match self.dice.below(3) {
                    0 => DayCount::Act365,
                    1 => DayCount::Act360,
                    _ => DayCount::ActualActual,
                },
                signed,
                maturity,
                raised_for,
            };
            if self.apply(Event::LoanSigned { loan }) {
                let into = self.cash();
                let drawn = if self.dice.chance(50) {
                    Yuan::from_fen(amount.fen() / 2)
                } else {
                    amount
                };
                if self.apply(Event::LoanDrawn {
                    loan: loan_id.clone(),
                    date: signed,
                    amount: drawn,
                    into,
                }) {
                    self.loan = Some(loan_id);
                }
            }
        }
        if self.dice.chance(50) {
            let (Some(grant_id), Some(date)) = (id::<GrantId>("G001"), ymd(year, 1, 10)) else {
                return;
            };
            let amount = yuan_of(self.dice.range(100, 900).saturating_mul(1000), 0);
            if self.apply(Event::GrantReceived {
                grant: grant_id.clone(),
                purpose: "大棚建设 greenhouse construction".into(),
                source: "莱西市农业农村局".into(),
                date,
                amount,
                into: CashAccount::Bank,
            }) {
                self.grant = Some(grant_id);
            }
        }
    }

    fn greenhouses_at(&mut self, year: i32) {
        let count = self.dice.below(5);
        for _ in 0..count {
            let month = u8::try_from(self.dice.range(1, 6)).unwrap_or(1);
            let Some(built) = self.day(year, month, 1, 28) else {
                continue;
            };
            // The land free on every date through the horizon.
            let free = free_land(&self.book, built, self.horizon);
            if free.is_zero() {
                continue;
            }
            let percent = u64::from(self.dice.range(10, 90));
            let area = Mu::from_ten_thousandths(
                (free.ten_thousandths().saturating_mul(percent) / 100).max(1),
            );
            let number = self.greenhouses.len().saturating_add(1);
            let Some(gh) = id::<GreenhouseId>(&format!("GH{number:02}")) else {
                continue;
            };
            let crop = if self.dice.chance(30) {
                "TOMATO"
            } else {
                "GRAPE"
            };
            let Some(crop) = id::<CropId>(crop) else {
                continue;
            };
            let cost = yuan_of(self.dice.range(30, 100).saturating_mul(1000), 0);
            let residual =
                Yuan::from_fen((cost.fen() / 100).saturating_mul(i64::from(self.dice.below(10))));
            let greenhouse = Greenhouse {
                id: gh.clone(),
                name: format!("{number}号大棚").into(),
                area,
                crop,
                built,
                cost,
                residual,
                life_months: self.dice.range(60, 180),
            };
            let paid_from = match self.dice.below(3) {
                1 => CostPayment::Cash,
                2 => CostPayment::Payable,
                _ => CostPayment::Bank,
            };
            if self.apply_if_land_fits(Event::GreenhouseBuilt {
                greenhouse,
                paid_from,
            }) {
                if self.greenhouses.is_empty() {
                    self.plant_vines(&gh, built, cost);
                }
                self.greenhouses.push((gh, built));
            }
        }
        // Grant money spent on the greenhouses.
        if let (Some(grant), false) = (self.grant.clone(), self.greenhouses.is_empty()) {
            if let Some(record) = self.book.grant(&grant) {
                let unspent = record.unspent().unwrap_or(Yuan::ZERO);
                if unspent.is_positive() && self.dice.chance(70) {
                    if let Some(date) = ymd(year, 7, 1) {
                        self.apply(Event::GrantSpent {
                            grant,
                            date,
                            amount: unspent,
                            on: GrantUse::Asset {
                                asset: "大棚 greenhouses".into(),
                            },
                        });
                    }
                }
            }
        }
    }

    fn year(&mut self, year: i32) {
        if year > self.first_year {
            self.settle(year.saturating_sub(1));
            self.return_reserve_share(year);
            self.return_leavers_capital(year);
            self.convert_reserve(year);
            if self.dice.chance(10) {
                self.greenhouses_at(year);
            }
        }
        let granularity = self.dice.below(4);
        for month in 1..=12_u8 {
            self.month(year, month, granularity);
        }
        if self.reserve_held(year) && self.dice.chance(60) {
            self.storm(year);
        }
        self.close(year);
        if self.dice.chance(15) {
            self.late_candidate(year);
        }
    }

    /// A candidate after `year`'s close that the book must refuse, each kind reaching one of
    /// its rules: a harvest dated in the closed year, interest paid or a buyer's payment a
    /// fen beyond what is owed on its date, work booked for a member after they left.
    fn late_candidate(&mut self, year: i32) {
        let (Some(closed_day), Some(next)) = (ymd(year, 9, 1), ymd(year.saturating_add(1), 1, 2))
        else {
            return;
        };
        if next > self.horizon {
            return;
        }
        let fen = Yuan::from_fen(1);
        match self.dice.below(4) {
            0 => {
                if let Some((greenhouse, _)) = self.greenhouses.first().cloned() {
                    self.apply(Event::Harvested {
                        greenhouse,
                        date: closed_day,
                        kg: Decimal::from(100),
                        grade: "一级".into(),
                    });
                }
            }
            1 => {
                let Some(loan) = self.loan.clone() else {
                    return;
                };
                let Some(unpaid) = self.book.loan(&loan).and_then(|record| {
                    record
                        .interest_accrued
                        .checked_sub(record.interest_paid)
                        .ok()
                }) else {
                    return;
                };
                let (Ok(interest), from) = (unpaid.checked_add(fen), self.cash()) else {
                    return;
                };
                self.apply(Event::LoanRepaid {
                    loan,
                    date: next,
                    principal: Yuan::ZERO,
                    interest,
                    from,
                });
            }
            2 => {
                let Some(buyer) = self.buyers.first().cloned() else {
                    return;
                };
                let (Ok(amount), into) =
                    (self.book.receivable(&buyer).checked_add(fen), self.cash())
                else {
                    return;
                };
                self.apply(Event::ReceivableCollected {
                    buyer: buyer.into(),
                    date: next,
                    amount,
                    into,
                });
            }
            _ => {
                let Some((member, left)) = self.left.clone() else {
                    return;
                };
                self.apply(Event::WorkRecorded {
                    date: next,
                    records: vec![WorkRecord {
                        worker: Worker::Member(member),
                        date: left,
                        task: Task::Administration,
                        pay: Pay::Days {
                            days: Decimal::ONE,
                            rate: Decimal::from(100),
                        },
                        kind: WorkKind::Seasonal,
                    }],
                });
            }
        }
    }

    fn month(&mut self, year: i32, month: u8, granularity: u32) {
        let Some(first) = ymd(year, month, 1) else {
            return;
        };
        let Some(last) = last_of_month(year, month) else {
            return;
        };
        self.return_land_shares(first, last);
        if month == 11 {
            self.return_money_capital(year);
        }
        if self.dice.chance(8) {
            self.swap(first);
        }
        if self.dice.chance(6) {
            self.repoint(first);
        }
        if granularity == 3 && month == 3 {
            // Rent for the whole year accrued in advance, on the payment date (or, in a year
            // members join after it, on the last joining: a member's account takes nothing
            // before they join).
            let joined = self
                .members
                .iter()
                .map(|m| m.joined)
                .filter(|joined| joined.year() == year)
                .max();
            let date = joined.map_or(first, |joined| joined.max(first));
            if let (Some(from), Some(to)) = (ymd(year, 1, 1), ymd(year, 12, 31)) {
                self.apply(Event::RentAccrued {
                    from,
                    to,
                    contracts: Accrue::All,
                    date,
                });
            }
        }
        if month == 3 {
            self.pay_rent(first);
        }
        if self.dice.chance(40) {
            self.cost(year, month);
        }
        if self.dice.chance(35) {
            self.work(year, month, last);
        }
        if self.dice.chance(30) {
            self.wages(last);
        }
        if (6..=10).contains(&month) {
            self.harvest_and_sell(year, month);
        }
        if self.dice.chance(20) {
            self.collect(last);
        }
        self.tractor_hours(year, month);
        if self.dice.chance(75) || month == 12 {
            self.apply(Event::DepreciationBooked { year, month });
        }
        if month == 10 && year == self.horizon.year().saturating_sub(1) {
            self.sell_tractor(last);
        }
        if month.is_multiple_of(3) {
            self.loan_quarter(last);
        }
        if self.dice.chance(12) {
            self.manual(year, month);
        }
        if self.dice.chance(5) {
            self.grant_expense(last);
        }
        if self.dice.chance(3) {
            let into = self.cash();
            let amount = yuan_of(self.dice.range(1000, 20_000), 0);
            self.apply(Event::DonationReceived {
                donor: "爱心企业".into(),
                date: last,
                amount,
                into,
            });
        }
        if self.dice.chance(4) {
            if let Some(info) = self.members.get(self.dice.pick(self.members.len())) {
                let member = info.id.clone();
                let into = self.cash();
                let amount = yuan_of(self.dice.range(100, 5000), 0);
                self.apply(Event::CapitalContributed {
                    member,
                    date: first,
                    amount,
                    into,
                    source: crate::CapitalSource::Other,
                    premium: Yuan::ZERO,
                });
            }
        }
        if month >= 6 && self.dice.chance(10) {
            if let Some(visitor) = self.visitor.clone() {
                if self.apply(Event::MemberLeft {
                    member: visitor.clone(),
                    date: last,
                }) {
                    self.visitor = None;
                    self.left = Some((visitor, last));
                }
            }
        }
        let accrue = match granularity {
            0 => true,
            1 => month.is_multiple_of(3),
            2 => month == 12,
            _ => false,
        };
        if accrue {
            let from = match granularity {
                0 => Some(first),
                1 => ymd(year, month.saturating_sub(2), 1),
                _ => ymd(year, 1, 1),
            };
            let Some(from) = from else { return };
            let contracts = if self.dice.chance(15) && !self.contracts.is_empty() {
                let chosen: Vec<ContractId> = self
                    .contracts
                    .iter()
                    .filter(|_| self.dice.chance(60))
                    .cloned()
                    .collect();
                if chosen.is_empty() {
                    Accrue::All
                } else {
                    Accrue::Contracts(chosen)
                }
            } else {
                Accrue::All
            };
            self.apply(Event::RentAccrued {
                from,
                to: last,
                contracts,
                date: last,
            });
        }
        if self.dice.chance(3) {
            self.end_contract(last);
        }
    }

    /// Ends a contract early (协议解除) on `last`, a month's last day: a transfer contract
    /// running past it, with no unequal swap, no swap after it and no rent accrued past it.
    fn end_contract(&mut self, last: Date) {
        let candidates: Vec<ContractId> = self
            .book
            .contracts()
            .filter(|r| matches!(r.contract.kind, ContractKind::Transfer { .. }))
            .filter(|r| r.ended.is_none() && r.contract.start <= last && last < r.contract.end)
            .filter(|r| r.accrued_through().is_none_or(|day| day <= last))
            .filter(|r| r.areas.iter().all(|change| change.from <= last))
            .filter(|r| self.book.swap_partners_of(&r.contract.id).is_empty())
            .map(|r| r.contract.id.clone())
            .collect();
        let pick = self.dice.pick(candidates.len());
        if let Some(contract) = candidates.get(pick).cloned() {
            self.apply_if_land_fits(Event::ContractEnded {
                contract,
                date: last,
                memo: "协议解除".into(),
            });
        }
    }

    /// Re-points the rent of a contract running on `first` (a month's first day), with no
    /// day from `first` on accrued yet, to another account from that day: a greenhouse's
    /// in use then, 521.RENT once it is open, or 401.
    fn repoint(&mut self, first: Date) {
        let candidates: Vec<ContractId> = self
            .book
            .contracts()
            .filter(|r| r.contract.start <= first && first <= r.contract.end)
            .filter(|r| r.accrued_through().is_none_or(|day| day < first))
            .map(|r| r.contract.id.clone())
            .collect();
        let pick = self.dice.pick(candidates.len());
        let Some(contract) = candidates.get(pick).cloned() else {
            return;
        };
        let in_use = self.in_use(first);
        let pick = self.dice.pick(in_use.len());
        let account = match self.dice.below(3) {
            0 => in_use.get(pick).and_then(|gh| code(&format!("521.{gh}"))),
            1 if self.rent_account => code("521.RENT"),
            _ => code("401"),
        };
        let Some(account) = account else { return };
        let current = self
            .book
            .contract(&contract)
            .map(|r| r.charge_on(first).clone());
        if current.as_ref() == Some(&account) {
            return;
        }
        self.apply(Event::ContractChargeChanged {
            contract,
            from: first,
            charge_to: account,
        });
    }

    /// Re-points to 401, from the first day after `last` not yet accrued, every contract
    /// that would otherwise charge greenhouse `gh`'s account after `last`, its last day in
    /// use: a greenhouse is taken out of use only once no contract charges it afterwards.
    fn repoint_away_from(&mut self, gh: &GreenhouseId, last: Date) {
        let (Some(costs), Some(after), Some(cost)) =
            (code(&format!("521.{gh}")), last.next_day(), code("401"))
        else {
            return;
        };
        let charging: Vec<(ContractId, Date)> = self
            .book
            .contracts()
            .filter_map(|r| {
                let from = r
                    .accrued_through()
                    .and_then(|day| day.next_day())
                    .map_or(after, |day| day.max(after))
                    .max(r.contract.start);
                let charges_it = *r.charge_on(from) == costs
                    || r.charges
                        .iter()
                        .any(|(day, account)| *day > from && *account == costs);
                (from <= r.contract.end && charges_it).then(|| (r.contract.id.clone(), from))
            })
            .collect();
        for (contract, from) in charging {
            self.apply(Event::ContractChargeChanged {
                contract,
                from,
                charge_to: cost.clone(),
            });
        }
    }

    /// The greenhouses in use on `date`.
    fn in_use(&self, date: Date) -> Vec<GreenhouseId> {
        self.greenhouses
            .iter()
            .filter(|(gh, built)| *built <= date && !self.retired.contains(gh))
            .map(|(gh, _)| gh.clone())
            .collect()
    }

    fn swap(&mut self, date: Date) {
        let transfers: Vec<(ContractId, MemberId, Mu)> = self
            .book
            .contracts()
            .filter(|r| matches!(r.contract.kind, ContractKind::Transfer { .. }))
            .filter(|r| r.contract.covers(date))
            .map(|r| {
                (
                    r.contract.id.clone(),
                    r.contract.member.clone(),
                    r.area_on(date),
                )
            })
            .filter(|(_, _, area)| !area.is_zero())
            .collect();
        if transfers.len() < 2 {
            return;
        }
        let a = self.dice.pick(transfers.len());
        let b = a
            .saturating_add(1)
            .saturating_add(self.dice.pick(transfers.len().saturating_sub(1)))
            .checked_rem(transfers.len())
            .unwrap_or(0);
        let (Some(first), Some(second)) = (transfers.get(a), transfers.get(b)) else {
            return;
        };
        if first.0 == second.0 {
            return;
        }
        let portion = |area: Mu, percent: u32| {
            Mu::from_ten_thousandths(
                (area.ten_thousandths().saturating_mul(u64::from(percent)) / 100 / 100)
                    .max(1)
                    .saturating_mul(100),
            )
            .min(area)
        };
        let first_gives = portion(first.2, self.dice.range(5, 50));
        let (second_gives, compensation) = if self.dice.chance(50) {
            (first_gives.min(second.2), None)
        } else {
            let gives = portion(second.2, self.dice.range(5, 50));
            let payer = if self.dice.chance(50) {
                first.1.clone()
            } else {
                second.1.clone()
            };
            (
                gives,
                Some(SwapCompensation {
                    payer,
                    amount: yuan_of(self.dice.range(50, 3000), 0),
                }),
            )
        };
        let compensation = if compensation.is_none() && second_gives != first_gives {
            Some(SwapCompensation {
                payer: first.1.clone(),
                amount: yuan_of(100, 0),
            })
        } else {
            compensation
        };
        self.apply_if_land_fits(Event::AreaSwapped {
            date,
            first: first.0.clone(),
            first_gives,
            second: second.0.clone(),
            second_gives,
            compensation,
        });
    }

    fn pay_rent(&mut self, date: Date) {
        let payees: Vec<(MemberId, Mu)> = self
            .members
            .iter()
            .filter_map(|m| {
                self.book
                    .member_account(&m.id, date)
                    .ok()
                    .map(|a| (m.id.clone(), a.pooled_area))
            })
            .filter(|(_, area)| !area.is_zero())
            .collect();
        for (member, area) in payees {
            if !self.dice.chance(70) {
                continue;
            }
            // About a year's rent at 1000 per mu, to the fen.
            let fen = i64::try_from(area.ten_thousandths() / 100)
                .unwrap_or(0)
                .saturating_mul(1000);
            let amount = Yuan::from_fen(fen.max(1));
            let from = self.cash();
            self.apply(Event::RentPaid {
                member,
                date,
                amount,
                from,
            });
        }
    }

    fn cost(&mut self, year: i32, month: u8) {
        let Some(date) = self.day(year, month, 1, 28) else {
            return;
        };
        let kind = match self.dice.below(6) {
            0 => CostKind::Seedlings,
            1 => CostKind::Fertiliser,
            2 => CostKind::Film,
            3 => CostKind::WaterAndPower,
            4 => CostKind::ExpertFees,
            _ => CostKind::Other,
        };
        let in_use = self.in_use(date);
        let target = match (self.dice.below(4), in_use.len()) {
            (_, 0) | (0, _) => CostTarget::Administration,
            (1, _) => CostTarget::AllGreenhouses,
            (2, n) if n >= 2 => CostTarget::SharedByArea(in_use.iter().take(2).cloned().collect()),
            _ => match in_use.get(self.dice.pick(in_use.len())) {
                Some(gh) => CostTarget::Greenhouse(gh.clone()),
                None => CostTarget::Administration,
            },
        };
        let payment = match self.dice.below(3) {
            1 => CostPayment::Cash,
            2 => CostPayment::Payable,
            _ => CostPayment::Bank,
        };
        let amount = yuan_of(self.dice.range(100, 20_000), self.dice.below(100));
        self.apply(Event::CostIncurred {
            date,
            kind,
            amount,
            target,
            payment,
            memo: format!("发票 invoice {}", self.next),
        });
    }

    fn work(&mut self, year: i32, month: u8, last: Date) {
        let count = self.dice.range(1, 5);
        let mut records = Vec::new();
        for _ in 0..count {
            let Some(date) = self.day(year, month, 1, 28) else {
                continue;
            };
            let members: Vec<MemberId> = self
                .members
                .iter()
                .filter(|m| m.joined <= date)
                .map(|m| m.id.clone())
                .collect();
            let worker = if self.dice.chance(20) || members.is_empty() {
                Worker::NonMember(format!("临时工{}", self.dice.range(1, 3)))
            } else {
                match members.get(self.dice.pick(members.len())) {
                    Some(m) => Worker::Member(m.clone()),
                    None => continue,
                }
            };
            let in_use = self.in_use(date);
            let task = match in_use.get(self.dice.pick(in_use.len())) {
                Some(gh) if self.dice.chance(70) => Task::Greenhouse(gh.clone()),
                _ => Task::Administration,
            };
            let pay = match self.dice.below(3) {
                0 => Pay::Days {
                    days: Decimal::new(i64::from(self.dice.range(1, 40)).saturating_mul(5), 1),
                    rate: Decimal::from(self.dice.range(100, 200)),
                },
                1 => Pay::Hours {
                    hours: Decimal::from(self.dice.range(1, 80)),
                    rate: hundredths(self.dice.range(12_00, 25_00)),
                },
                _ => Pay::Pieces {
                    pieces: Decimal::from(self.dice.range(10, 500)),
                    rate: hundredths(self.dice.range(10, 300)),
                },
            };
            let kind = match self.dice.below(3) {
                0 => WorkKind::Seasonal,
                1 => WorkKind::Temporary,
                _ => WorkKind::Staff,
            };
            records.push(WorkRecord {
                worker,
                date,
                task,
                pay,
                kind,
            });
        }
        if !records.is_empty() {
            self.apply(Event::WorkRecorded {
                date: last,
                records,
            });
        }
    }

    fn wages(&mut self, date: Date) {
        let mut owed = Vec::new();
        for account in [WageAccount::Labour, WageAccount::Staff] {
            let Some(root) = code(account.code()) else {
                continue;
            };
            let workers: Vec<(Worker, AccountCode)> = self
                .book
                .journal()
                .chart()
                .children(&root)
                .filter_map(|a| {
                    let segment = a.code.last_segment();
                    let worker = if segment == crate::pool::NON_MEMBER_SEGMENT {
                        Worker::NonMember("临时工1".into())
                    } else {
                        Worker::Member(id(segment)?)
                    };
                    Some((worker, a.code.clone()))
                })
                .collect();
            for (worker, sub) in workers {
                let balance = self
                    .book
                    .journal()
                    .balance(&sub, date)
                    .unwrap_or(Yuan::ZERO);
                if balance.is_negative() {
                    owed.push((
                        worker,
                        account,
                        Yuan::from_fen(balance.fen().saturating_neg()),
                    ));
                }
            }
        }
        for (worker, account, amount) in owed {
            if !self.dice.chance(60) {
                continue;
            }
            let amount = if self.dice.chance(30) {
                Yuan::from_fen((amount.fen() / 2).max(1))
            } else {
                amount
            };
            let from = self.cash();
            self.apply(Event::WagesPaid {
                worker,
                account,
                date,
                amount,
                from,
            });
        }
    }

    fn harvest_and_sell(&mut self, year: i32, month: u8) {
        let standing: Vec<(GreenhouseId, Date)> = self
            .greenhouses
            .iter()
            .filter(|(gh, _)| !self.retired.contains(gh))
            .cloned()
            .collect();
        for (gh, built) in standing {
            if !self.dice.chance(50) {
                continue;
            }
            let Some(date) = self.day(year, month, 1, 20) else {
                continue;
            };
            if date < built {
                continue;
            }
            let kg = Decimal::from(self.dice.range(500, 5000));
            let grade = if self.dice.chance(30) {
                "二级"
            } else {
                "一级"
            };
            if !self.apply(Event::Harvested {
                greenhouse: gh.clone(),
                date,
                kg,
                grade: grade.into(),
            }) {
                continue;
            }
            self.harvested.push((gh.clone(), kg));
            let sold = kg
                .checked_mul(Decimal::new(i64::from(self.dice.range(50, 100)), 2))
                .unwrap_or(kg);
            let sold = sold.round_dp(1).max(Decimal::ONE);
            let buyer = if self.dice.chance(50) {
                "青岛果品公司"
            } else {
                "河头店超市"
            };
            let payment = match self.dice.below(3) {
                0 => SalePayment::Bank,
                1 => SalePayment::Cash,
                _ => SalePayment::Credit,
            };
            let Some(sale_date) = date.next_day() else {
                continue;
            };
            let price_per_kg = hundredths(self.dice.range(400, 1200));
            if self.apply(Event::ProduceSold {
                greenhouse: gh,
                date: sale_date,
                kg: sold,
                price_per_kg,
                buyer: buyer.into(),
                payment,
            }) && payment == SalePayment::Credit
                && !self.buyers.iter().any(|b| b == buyer)
            {
                self.buyers.push(buyer.into());
            }
        }
    }

    fn collect(&mut self, date: Date) {
        for buyer in self.buyers.clone() {
            let owed = self.book.receivable(&buyer);
            if !owed.is_positive() || !self.dice.chance(60) {
                continue;
            }
            let amount = if self.dice.chance(30) {
                Yuan::from_fen((owed.fen() / 2).max(1))
            } else {
                owed
            };
            let into = self.cash();
            self.apply(Event::ReceivableCollected {
                buyer: buyer.into(),
                date,
                amount,
                into,
            });
        }
    }

    /// A quarter's loan events: a subsidy and a repayment on the 15th of its last month,
    /// then interest accrued through its last day.
    fn loan_quarter(&mut self, last: Date) {
        let Some(loan) = self.loan.clone() else {
            return;
        };
        if let Some(mid) = ymd(last.year(), u8::from(last.month()), 15) {
            self.loan_payments(&loan, mid);
        }
        if self.dice.chance(85) {
            self.apply(Event::LoanInterestAccrued {
                loan,
                through: last,
            });
        }
    }

    fn loan_payments(&mut self, loan: &LoanId, last: Date) {
        let loan = loan.clone();
        let Some(record) = self.book.loan(&loan) else {
            return;
        };
        let unsubsidised = record
            .interest_accrued
            .checked_sub(record.subsidy)
            .unwrap_or(Yuan::ZERO);
        let unpaid = record
            .interest_accrued
            .checked_sub(record.interest_paid)
            .unwrap_or(Yuan::ZERO);
        let outstanding = record.outstanding().unwrap_or(Yuan::ZERO);
        if unsubsidised.is_positive() && self.dice.chance(30) {
            let into = self.cash();
            self.apply(Event::InterestSubsidyReceived {
                loan: loan.clone(),
                date: last,
                amount: Yuan::from_fen((unsubsidised.fen() / 2).max(1)),
                into,
            });
        }
        if (outstanding.is_positive() || unpaid.is_positive()) && self.dice.chance(25) {
            let principal = if self.dice.chance(50) {
                Yuan::from_fen(outstanding.fen() / 4)
            } else {
                Yuan::ZERO
            };
            let from = self.cash();
            self.apply(Event::LoanRepaid {
                loan,
                date: last,
                principal,
                interest: unpaid,
                from,
            });
        }
    }

    fn grant_expense(&mut self, date: Date) {
        let Some(grant) = self.grant.clone() else {
            return;
        };
        let Some(unspent) = self.book.grant(&grant).and_then(|g| g.unspent().ok()) else {
            return;
        };
        if !unspent.is_positive() {
            return;
        }
        let from = self.cash();
        self.apply(Event::GrantSpent {
            grant,
            date,
            amount: Yuan::from_fen((unspent.fen() / 10).max(1)),
            on: GrantUse::Expense {
                purpose: "技术培训 training".into(),
                from,
            },
        });
    }

    /// A manual entry: bank interest, a small expense, or a cost booked by mistake to 523
    /// that a later entry corrects going forward.
    fn manual(&mut self, year: i32, month: u8) {
        let Some(date) = self.day(year, month, 1, 28) else {
            return;
        };
        let amount = yuan_of(self.dice.range(1, 3000), self.dice.below(100));
        let posting = |account: &str, side: Side, amount: Yuan| {
            code(account).map(|account| Posting {
                account,
                side,
                amount,
            })
        };
        let (memo, postings) = match self.dice.below(4) {
            0 => (
                "银行利息 bank interest",
                vec![
                    posting("102", Side::Debit, amount),
                    posting("502", Side::Credit, amount),
                ],
            ),
            1 => (
                "零星支出 sundry expense",
                vec![
                    posting("529", Side::Debit, amount),
                    posting("101", Side::Credit, amount),
                ],
            ),
            2 => {
                self.corrections.push(amount);
                (
                    "办公费 office costs (to be corrected)",
                    vec![
                        posting("523", Side::Debit, amount),
                        posting("102", Side::Credit, amount),
                    ],
                )
            }
            _ => match self.corrections.pop() {
                Some(wrong) => (
                    "更正 correction going forward: refund booked back",
                    vec![
                        posting("102", Side::Debit, wrong),
                        posting("523", Side::Credit, wrong),
                    ],
                ),
                None => return,
            },
        };
        let Some(postings) = postings.into_iter().collect::<Option<Vec<_>>>() else {
            return;
        };
        self.apply(Event::ManualEntry {
            date,
            memo: memo.into(),
            postings,
        });
    }

    /// Whether 322 盈余公积 holds a reserve at the start of `year` (drawn at an earlier
    /// close), which a loss this year could be covered from.
    fn reserve_held(&self, year: i32) -> bool {
        let (Some(day), Some(reserve)) = (ymd(year.saturating_sub(1), 12, 31), code("322")) else {
            return false;
        };
        self.book
            .journal()
            .balance(&reserve, day)
            .is_ok_and(|b| b.is_negative())
    }

    /// A storm in December whose emergency repairs, owed to the contractor (Dr 529 其他支出,
    /// Cr 211 应付款), turn the year into a loss larger than the year's surplus so far and
    /// the surplus left undistributed before it: the close then covers it from the reserve
    /// when its policy says so, or carries it forward.
    fn storm(&mut self, year: i32) {
        let Some(date) = ymd(year, 12, 20) else {
            return;
        };
        let journal = self.book.journal();
        // Debit balances through the storm's day: this year's profit and loss (earlier
        // years' are closed into 331 at their year end), and 332's balance brought in.
        let balance = |codes: &[&str]| -> i64 {
            codes
                .iter()
                .filter_map(|c| code(c))
                .filter_map(|c| journal.balance(&c, date).ok())
                .fold(0_i64, |sum, b| sum.saturating_add(b.fen()))
        };
        let surplus = balance(&crate::book::PL_ACCOUNTS).saturating_neg().max(0);
        let undistributed = balance(&["332"]).saturating_neg().max(0);
        let extra = i64::from(self.dice.range(1_000, 50_000)).saturating_mul(100);
        let amount = Yuan::from_fen(surplus.saturating_add(undistributed).saturating_add(extra));
        let postings = [("529", Side::Debit), ("211", Side::Credit)]
            .into_iter()
            .map(|(account, side)| {
                code(account).map(|account| Posting {
                    account,
                    side,
                    amount,
                })
            })
            .collect::<Option<Vec<_>>>();
        let Some(postings) = postings else {
            return;
        };
        self.apply(Event::ManualEntry {
            date,
            memo: "风灾抢修 emergency repairs after a storm, owed to the contractor".into(),
            postings,
        });
        // The storm wrecks the first greenhouse standing: taken out of use on the 31st,
        // after December's depreciation, its remains sold for 500.00 in cash.
        let (Some(last), Some(wrecked)) = (ymd(year, 12, 31), self.in_use(date).first().cloned())
        else {
            return;
        };
        self.repoint_away_from(&wrecked, last);
        if let Some((vines, _)) = self.vines.clone().filter(|(_, gh)| *gh == wrecked) {
            if self.apply(Event::AssetRetired {
                asset: vines,
                date: last,
                proceeds: Yuan::ZERO,
                into: CashAccount::Bank,
            }) {
                self.vines = None;
            }
        }
        if self.apply(Event::GreenhouseRetired {
            greenhouse: wrecked.clone(),
            date: last,
            proceeds: yuan_of(500, 0),
            into: CashAccount::Cash,
        }) {
            self.retired.push(wrecked);
        }
    }

    /// A tractor bought on 10 February of `year` (no dice): 60,000.00, residual 3,000.00,
    /// depreciated by the 8,000 hours it is expected to work, charged to 523.
    fn buy_tractor(&mut self, year: i32) {
        let (Some(in_use), Some(tractor)) = (ymd(year, 2, 10), id::<AssetId>("T01")) else {
            return;
        };
        let asset = Asset {
            id: tractor.clone(),
            name: "拖拉机".into(),
            kind: AssetKind::Fixed,
            in_use,
            cost: yuan_of(60_000, 0),
            residual: yuan_of(3_000, 0),
            depreciation: DepreciationMethod::UnitsOfWork {
                total_units: Decimal::from(8_000),
            },
            greenhouse: None,
        };
        if self.apply(Event::AssetAcquired {
            asset,
            paid_from: CostPayment::Bank,
        }) {
            self.tractor = Some((tractor, in_use));
        }
    }

    /// Vines planted in the first greenhouse, bearing from the day it is built (no dice): a
    /// fifth of its cost, depreciated over eight years into its expenses.
    fn plant_vines(&mut self, greenhouse: &GreenhouseId, built: Date, cost: Yuan) {
        let Some(vines) = id::<AssetId>("V01") else {
            return;
        };
        let asset = Asset {
            id: vines.clone(),
            name: "葡萄树".into(),
            kind: AssetKind::ProductiveBiological,
            in_use: built,
            cost: Yuan::from_fen(cost.fen().checked_div(5).unwrap_or(0)),
            residual: Yuan::ZERO,
            depreciation: DepreciationMethod::StraightLine { life_months: 96 },
            greenhouse: Some(greenhouse.clone()),
        };
        if self.apply(Event::AssetAcquired {
            asset,
            paid_from: CostPayment::Bank,
        }) {
            self.vines = Some((vines, greenhouse.clone()));
        }
    }

    /// The tractor's hours in a month after the one it was bought in (no dice): 20.5 and
    /// five more each month of the year.
    fn tractor_hours(&mut self, year: i32, month: u8) {
        let Some((tractor, in_use)) = self.tractor.clone() else {
            return;
        };
        if (year, month) <= (in_use.year(), u8::from(in_use.month())) {
            return;
        }
        let Some(units) = Decimal::new(205, 1).checked_add(Decimal::from(month.saturating_mul(5)))
        else {
            return;
        };
        self.apply(Event::AssetWorkRecorded {
            asset: tractor,
            year,
            month,
            units,
        });
    }

    /// The tractor sold for 8,000.00 into the bank on `date`, the last day of the last
    /// year's October.
    fn sell_tractor(&mut self, date: Date) {
        let Some((tractor, _)) = self.tractor.clone() else {
            return;
        };
        if self.apply(Event::AssetRetired {
            asset: tractor,
            date,
            proceeds: yuan_of(8_000, 0),
            into: CashAccount::Bank,
        }) {
            self.tractor = None;
        }
    }

    fn close(&mut self, year: i32) {
        let collective = self.members.iter().any(|m| m.collective);
        let policy = policy_from(&mut self.dice, collective);
        if self.apply(Event::YearClosed { year, policy }) {
            return;
        }
        // The bylaws' usual choice, if the random one could not be applied.
        self.apply(Event::YearClosed {
            year,
            policy: DistributionPolicy::standard(Decimal::from(10), Decimal::from(70)),
        });
    }

    /// A day of administrative work by the visitor on 20 January of `year` at 150 a day,
    /// booked and paid on the 31st, and 100 of capital contributed that day (no dice: the
    /// books the dice make otherwise stay as they were).
    fn visitor_works(&mut self, visitor: MemberId, year: i32) {
        let (Some(worked), Some(booked)) = (ymd(year, 1, 20), ymd(year, 1, 31)) else {
            return;
        };
        let yuan = 150;
        let rate = Decimal::from(yuan);
        let record = WorkRecord {
            worker: Worker::Member(visitor.clone()),
            date: worked,
            task: Task::Administration,
            pay: Pay::Days {
                days: Decimal::ONE,
                rate,
            },
            kind: WorkKind::Temporary,
        };
        if self.apply(Event::WorkRecorded {
            date: booked,
            records: vec![record],
        }) {
            self.apply(Event::WagesPaid {
                worker: Worker::Member(visitor.clone()),
                account: WageAccount::Labour,
                date: booked,
                amount: yuan_of(yuan, 0),
                from: CashAccount::Bank,
            });
        }
        // And 100 of capital, paid back after they leave.
        self.apply(Event::CapitalContributed {
            member: visitor,
            date: booked,
            amount: yuan_of(100, 0),
            into: CashAccount::Cash,
            source: crate::CapitalSource::Other,
            premium: Yuan::ZERO,
        });
    }

    /// Returns, on the last day of the month `[first, last]`, the capital of each land-share
    /// contract that ended in it: all of it for every other contract, half for the rest (the
    /// other half stays in 301). No dice.
    fn return_land_shares(&mut self, first: Date, last: Date) {
        let ended: Vec<(usize, ContractId, MemberId)> = self
            .contracts
            .iter()
            .enumerate()
            .filter_map(|(index, id)| {
                let record = self.book.contract(id)?;
                let shares = matches!(record.contract.kind, ContractKind::LandShares { .. });
                let end = record.contract.end;
                (shares && first <= end && end <= last)
                    .then(|| (index, id.clone(), record.contract.member.clone()))
            })
            .collect();
        for (index, contract, member) in ended {
            let Ok(capital) = self.book.land_capital_unreturned(&contract) else {
                continue;
            };
            let amount = match index % 2 {
                0 => capital,
                _ => Yuan::from_fen(capital.fen() / 2),
            };
            if amount.is_positive() {
                self.apply(Event::CapitalReturned {
                    member,
                    date: last,
                    amount,
                    from: CashAccount::Bank,
                    contract: Some(contract),
                    source: crate::CapitalSource::Other,
                });
            }
        }
    }

    /// On 15 November of `year`, every fifth member (the first, the sixth, …, whose capital
    /// came from poverty-relief assets) takes a tenth of their money capital back from those
    /// assets (refused beyond what is left of them), and every other fourth member (the
    /// second, the tenth, …) a tenth of it from other sources. No dice.
    fn return_money_capital(&mut self, year: i32) {
        let Some(date) = ymd(year, 11, 15) else {
            return;
        };
        let members: Vec<(usize, MemberId)> = self
            .members
            .iter()
            .enumerate()
            .map(|(index, m)| (index, m.id.clone()))
            .collect();
        for (index, member) in members {
            let source = match (index % 4, index % 5) {
                (_, 0) => crate::CapitalSource::PovertyRelief,
                (1, _) => crate::CapitalSource::Other,
                _ => continue,
            };
            let Ok(money) = self.book.money_capital(&member, date) else {
                continue;
            };
            let amount = Yuan::from_fen(money.fen() / 10);
            if amount.is_positive() {
                self.apply(Event::CapitalReturned {
                    member,
                    date,
                    amount,
                    from: CashAccount::Bank,
                    contract: None,
                    source,
                });
            }
        }
    }

    /// On 1 March of `year`, every third member (the third, the sixth, …) whose leaving is
    /// not recorded converts half their reserve share to capital (公积金转为成员出资; refused,
    /// and left out, when 322 holds less then or later). No dice.
    fn convert_reserve(&mut self, year: i32) {
        let Some(date) = ymd(year, 3, 1) else {
            return;
        };
        let members: Vec<MemberId> = self
            .members
            .iter()
            .enumerate()
            .filter(|(index, _)| index % 3 == 2)
            .map(|(_, m)| m.id.clone())
            .collect();
        for member in members {
            if self.book.member(&member).is_none_or(|m| m.left.is_some()) {
                continue;
            }
            let Ok(share) = self.book.reserve_share(&member) else {
                continue;
            };
            let amount = Yuan::from_fen(share.fen() / 2);
            if amount.is_positive() {
                self.apply(Event::ReserveConverted {
                    member,
                    date,
                    amount,
                });
            }
        }
    }

    /// Pays the member who left their money capital back on 25 January of `year`. No dice.
    fn return_leavers_capital(&mut self, year: i32) {
        let Some((member, left)) = self.left.clone() else {
            return;
        };
        let Some(date) = ymd(year, 1, 25) else { return };
        if date <= left {
            return;
        }
        let Ok(amount) = self.book.money_capital(&member, date) else {
            return;
        };
        if amount.is_positive() {
            self.apply(Event::CapitalReturned {
                member,
                date,
                amount,
                from: CashAccount::Bank,
                contract: None,
                source: crate::CapitalSource::Other,
            });
        }
    }

    /// Returns the reserve share of the member who left on 25 January of `year`, once the
    /// year they last shared in is closed and a whole year after their leaving has passed
    /// (the cooperative holds the share for them through that year, as the members'
    /// accounts must then show).
    fn return_reserve_share(&mut self, year: i32) {
        let Some((member, left)) = self.left.clone() else {
            return;
        };
        let Some(date) = ymd(year, 1, 25) else { return };
        if year < left.year().saturating_add(2) || self.book.reserve_refund(&member).is_some() {
            return;
        }
        let Ok(amount) = self.book.reserve_share(&member) else {
            return;
        };
        if !amount.is_positive() {
            return;
        }
        self.apply(Event::ReserveShareRefunded {
            member,
            date,
            amount,
            from: CashAccount::Bank,
        });
    }

    fn settle(&mut self, year: i32) {
        if self.book.distribution(year).is_none() || !self.dice.chance(80) {
            return;
        }
        let Some(date) = ymd(year.saturating_add(1), 1, 20) else {
            return;
        };
        self.apply(Event::DistributionSettled {
            year,
            date,
            from: CashAccount::Bank,
        });
    }
}

/// Whether the greenhouses fit in the pooled land on every date they or the contracts
/// change, through `horizon`.
fn land_fits(book: &Book, horizon: Date) -> bool {
    let mut dates: BTreeSet<Date> = book.greenhouses().map(|g| g.greenhouse.built).collect();
    dates.extend(book.contracts().filter_map(|r| r.contract.end.next_day()));
    dates.extend(
        book.contracts()
            .flat_map(|r| r.areas.iter().map(|change| change.from)),
    );
    dates.range(..=horizon).all(|date| {
        match (book.greenhouse_area(*date), book.pooled_area(*date)) {
            (Ok(used), Ok(pooled)) => used <= pooled,
            _ => false,
        }
    })
}

/// The pooled land not under greenhouses on every date from `from` through `horizon`.
fn free_land(book: &Book, from: Date, horizon: Date) -> Mu {
    let mut dates: BTreeSet<Date> = BTreeSet::from([from]);
    dates.extend(book.greenhouses().map(|g| g.greenhouse.built));
    dates.extend(book.contracts().filter_map(|r| r.contract.end.next_day()));
    dates
        .range(from..=horizon)
        .map(|date| {
            let used = book.greenhouse_area(*date).unwrap_or(Mu::ZERO);
            let pooled = book.pooled_area(*date).unwrap_or(Mu::ZERO);
            pooled.checked_sub(used).unwrap_or(Mu::ZERO)
        })
        .min()
        .unwrap_or(Mu::ZERO)
}

/// The serde tag of an event (`rent_accrued`), for messages.
fn event_type(event: &Event) -> String {
    serde_json::to_value(event)
        .ok()
        .and_then(|value| {
            value
                .get("type")
                .and_then(|t| t.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "event".into())
}
