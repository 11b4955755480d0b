//! Properties of members and land (issue 4): area is conserved through any sequence of swaps,
//! splits and merges; rent follows each contract's area from the swap date; a year's rent
//! accrued month by month (or over any partition) adds up exactly to the year accrued at once.
//!
//! The books are built from plain random data: households with contracted parcels (fixed,
//! stepped and grain-indexed rent, land shares; by actual days or by months and days) and free
//! parcels, then a random sequence of area swaps (equal, and unequal with or without
//! compensation), parcel splits (some not adding up) and merges. Refused events are part of the
//! model: a refused event must leave the book exactly as it was.
//!
//! Rent of fixed-rate contracts pro-rated by actual days is checked against an independent
//! oracle: `C(t)`, the exact rent from the start through `t` computed here in integers from
//! the test's own model of each contract's area history, rounded half away from zero to the
//! fen; the rent of `[from, to]` is `C(to) − C(from − 1)` (the module docs of
//! `landpool::pool`).

use std::collections::{BTreeMap, BTreeSet};

use landpool::ledger::{AccountCode, Side};
use landpool::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use time::macros::date;
use time::{Date, Duration, Month};

const REGISTERED: Date = date!(2015 - 01 - 01);
const STARTS: [Date; 4] = [
    date!(2019 - 01 - 01),
    date!(2019 - 03 - 15),
    date!(2019 - 07 - 01),
    date!(2020 - 01 - 01),
];
const ENDS: [Date; 4] = [
    date!(2020 - 12 - 31),
    date!(2021 - 06 - 30),
    date!(2022 - 12 - 31),
    date!(2023 - 02 - 28),
];
/// Fixed rates in fen: 1000.00, 950.50, 800.00 and 1003.37 yuan per mu.
const FIXED_FEN: [i64; 4] = [100_000, 95_050, 80_000, 100_337];

fn id<T: std::str::FromStr>(text: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    text.parse()
        .unwrap_or_else(|e| panic!("bad id {text}: {e:?}"))
}

fn code(text: &str) -> AccountCode {
    AccountCode::new(text).unwrap_or_else(|e| panic!("{e}"))
}

fn ymd(year: i32, month: u8, day: u8) -> Date {
    Month::try_from(month)
        .ok()
        .and_then(|m| Date::from_calendar_date(year, m, day).ok())
        .unwrap_or_else(|| panic!("bad date {year}-{month}-{day}"))
}

fn anniversary(start: Date, years: i32) -> Date {
    Date::from_calendar_date(start.year() + years, start.month(), start.day())
        .unwrap_or_else(|_| ymd(start.year() + years, u8::from(start.month()), 28))
}

/// The terms of one generated contract.
#[derive(Debug, Clone)]
struct ContractSpec {
    /// Ten-thousandths of a mu: the parcel's area, all of it contracted.
    area: u64,
    start: usize,
    end: usize,
    /// 0..=3 fixed at `FIXED_FEN`, 4 stepped, 5 grain-indexed, 6 land shares.
    terms: u8,
    months_and_days: bool,
    charge_521: bool,
}

#[derive(Debug, Clone)]
struct HouseholdSpec {
    contracts: Vec<ContractSpec>,
    /// Areas of parcels outside any contract, in ten-thousandths of a mu.
    free: Vec<u64>,
}

#[derive(Debug, Clone)]
enum Op {
    Swap {
        first: usize,
        second: usize,
        /// Days after 2019-01-01.
        day: i64,
        first_gives: u64,
        /// `None`: an equal swap.
        second_gives: Option<u64>,
        /// Payer (0 first, 1 second, 2 a third member) and amount in fen.
        compensation: Option<(u8, i64)>,
    },
    Split {
        parcel: usize,
        /// Days after 2015-01-01.
        day: i64,
        permille: u64,
        /// Parts one ten-thousandth short: refused.
        short: bool,
    },
    Merge {
        first: usize,
        second: usize,
        /// Days after 2015-01-01.
        day: i64,
    },
}

fn contract_spec() -> impl Strategy<Value = ContractSpec> {
    (
        1_000_u64..=60_000,
        0..STARTS.len(),
        0..ENDS.len(),
        prop_oneof![3 => Just(0_u8), 4 => 0_u8..=6],
        prop::bool::weighted(0.25),
        any::<bool>(),
    )
        .prop_map(
            |(area, start, end, terms, months_and_days, charge_521)| ContractSpec {
                area,
                start,
                end,
                terms,
                months_and_days,
                charge_521,
            },
        )
}

fn household_spec() -> impl Strategy<Value = HouseholdSpec> {
    (
        prop::collection::vec(contract_spec(), 1..=3),
        prop::collection::vec(100_u64..=40_000, 0..=2),
    )
        .prop_map(|(contracts, free)| HouseholdSpec { contracts, free })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (
            0_usize..64,
            0_usize..64,
            0_i64..900,
            0_u64..=25_000,
            prop::option::weighted(0.4, 0_u64..=25_000),
            prop::option::weighted(0.5, (0_u8..=2, 1_i64..=500_000)),
        )
            .prop_map(|(first, second, day, first_gives, second_gives, compensation)| {
                Op::Swap { first, second, day, first_gives, second_gives, compensation }
            }),
        2 => (0_usize..64, 0_i64..3000, 1_u64..=999, prop::bool::weighted(0.15))
            .prop_map(|(parcel, day, permille, short)| Op::Split { parcel, day, permille, short }),
        1 => (0_usize..64, 0_usize..64, 0_i64..3000)
            .prop_map(|(first, second, day)| Op::Merge { first, second, day }),
    ]
}

/// The test's own record of a contract.
#[derive(Debug, Clone)]
struct Model {
    member: MemberId,
    start: Date,
    end: Date,
    /// The fixed rate in fen when the rent is fixed and pro-rated by actual days (the oracle's
    /// case).
    oracle_rate: Option<i64>,
    /// The area from each date on, in ten-thousandths of a mu.
    areas: Vec<(Date, u64)>,
}

impl Model {
    fn area_on(&self, date: Date) -> u64 {
        if date < self.start || date > self.end {
            return 0;
        }
        self.areas
            .iter()
            .take_while(|(from, _)| *from <= date)
            .last()
            .map_or(0, |(_, area)| *area)
    }

    fn covers(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }

    /// The exact rent from the start through `through`, as a numerator over
    /// `10_000 × 365 × 366` fen (fixed rate, actual days).
    fn exact_numerator(&self, rate_fen: i64, through: Date) -> i128 {
        let last = through.min(self.end);
        let mut total = 0_i128;
        let mut cursor = self.start;
        while cursor <= last {
            let next_year = ymd(cursor.year() + 1, 1, 1);
            let next_change = self
                .areas
                .iter()
                .map(|(from, _)| *from)
                .find(|from| *from > cursor)
                .unwrap_or(Date::MAX);
            let piece_end = last.min(next_year.min(next_change) - Duration::days(1));
            let days = i128::from((piece_end - cursor).whole_days() + 1);
            let per_day = if time::util::is_leap_year(cursor.year()) {
                365
            } else {
                366
            };
            total += i128::from(self.area_on(cursor)) * i128::from(rate_fen) * days * per_day;
            cursor = piece_end + Duration::days(1);
        }
        total
    }

    /// The rent the oracle books for `[from, to]`, in fen.
    fn oracle_rent(&self, from: Date, to: Date) -> Option<i64> {
        let rate = self.oracle_rate?;
        let start = from.max(self.start);
        let end = to.min(self.end);
        if start > end {
            return Some(0);
        }
        let round = |numerator: i128| -> i128 {
            let denominator = 10_000_i128 * 365 * 366;
            (2 * numerator + denominator) / (2 * denominator)
        };
        let before = if start > self.start {
            round(self.exact_numerator(rate, start - Duration::days(1)))
        } else {
            0
        };
        let through = round(self.exact_numerator(rate, end));
        i64::try_from(through - before).ok()
    }
}

struct World {
    book: Book,
    next: u32,
    members: Vec<MemberId>,
    contracts: Vec<ContractId>,
    models: BTreeMap<ContractId, Model>,
    total_parcels: u64,
    /// Dates at which area checks are made.
    dates: BTreeSet<Date>,
    fresh: u32,
}

impl World {
    fn apply(&mut self, event: Event) -> Result<Applied, Error> {
        self.next += 1;
        self.book.apply(id(&format!("e{}", self.next)), event)
    }

    fn must(&mut self, event: Event) {
        if let Err(e) = self.apply(event.clone()) {
            panic!("the set-up event {event:?} was refused: {e}");
        }
    }

    fn build(households: &[HouseholdSpec]) -> World {
        let mut w = World {
            book: Book::new(),
            next: 0,
            members: Vec::new(),
            contracts: Vec::new(),
            models: BTreeMap::new(),
            total_parcels: 0,
            dates: BTreeSet::new(),
            fresh: 0,
        };
        // Rent charged to 521 goes to a sub-account (521 itself takes the greenhouses').
        w.must(Event::AccountOpened {
            code: code("521.RENT"),
            name_zh: "土地流转费".into(),
            name_en: "land transfer rent".into(),
        });
        for (h, household) in households.iter().enumerate() {
            let member: MemberId = id(&format!("M{h}"));
            w.must(Event::MemberJoined {
                member: Member {
                    id: member.clone(),
                    name: format!("户主{h}").into(),
                    kind: MemberKind::Household { persons: 3 },
                    village: "高格庄".into(),
                    joined: REGISTERED,
                    left: None,
                },
            });
            w.members.push(member.clone());
            let parcel = |w: &mut World, name: &str, area: u64| {
                w.total_parcels += area;
                w.must(Event::ParcelRegistered {
                    parcel: Parcel {
                        id: id(name),
                        owner: member.clone(),
                        area: Mu::from_ten_thousandths(area),
                        village: "高格庄".into(),
                        land_class: "水浇地".into(),
                        registered: REGISTERED,
                        retired: None,
                    },
                });
            };
            for (k, area) in household.free.iter().enumerate() {
                parcel(&mut w, &format!("F{h}-{k}"), *area);
            }
            for (k, spec) in household.contracts.iter().enumerate() {
                let parcel_id = format!("P{h}-{k}");
                parcel(&mut w, &parcel_id, spec.area);
                w.sign(&member, &format!("C{h}-{k}"), &parcel_id, spec);
            }
        }
        for year in 2018..=2024 {
            w.dates.insert(ymd(year, 1, 1));
            w.dates.insert(ymd(year, 12, 31));
        }
        w.dates.insert(REGISTERED);
        w
    }

    fn sign(&mut self, member: &MemberId, contract: &str, parcel: &str, spec: &ContractSpec) {
        let start = STARTS[spec.start % STARTS.len()];
        let end = ENDS[spec.end % ENDS.len()];
        let pro_rating = if spec.months_and_days {
            ProRating::MonthsAndDays
        } else {
            ProRating::ActualDays
        };
        let kind = match spec.terms {
            0..=3 => ContractKind::Transfer {
                rent: RentTerms::Fixed {
                    yuan_per_mu: Decimal::new(FIXED_FEN[usize::from(spec.terms)], 2),
                },
            },
            4 => ContractKind::Transfer {
                rent: RentTerms::Stepped {
                    yuan_per_mu: Decimal::from(1000),
                    step_percent: Decimal::from(5),
                    every_years: 1 + u32::from(spec.area.is_multiple_of(3)),
                },
            },
            5 => ContractKind::Transfer {
                rent: RentTerms::GrainIndexed {
                    crop: "wheat".into(),
                    unit: GrainUnit::Jin,
                    quantity_per_mu: Decimal::from(500),
                    reset_every_years: 1 + u32::try_from(spec.area % 3).unwrap_or(0),
                },
            },
            _ => ContractKind::LandShares {
                shares_per_mu: Decimal::ONE,
                value_per_share: Yuan::from_fen(100_000),
                guaranteed_per_share: Decimal::from(600),
            },
        };
        if spec.terms == 5 {
            // A price for every anniversary the contract can read.
            for years in 0..=5 {
                let date = anniversary(start, years);
                let hundredths =
                    100 + (date.year() * 7 + i32::from(u8::from(date.month())) * 3).rem_euclid(40);
                self.must(Event::GrainPriceRecorded {
                    crop: "wheat".into(),
                    unit: GrainUnit::Jin,
                    date,
                    price: Decimal::new(i64::from(hundredths), 2),
                });
            }
        }
        let oracle_rate = match spec.terms {
            0..=3 if !spec.months_and_days => Some(FIXED_FEN[usize::from(spec.terms)]),
            _ => None,
        };
        let contract_id: ContractId = id(contract);
        self.must(Event::ContractSigned {
            contract: Box::new(Contract {
                id: contract_id.clone(),
                member: member.clone(),
                lines: vec![ContractLine {
                    parcel: id(parcel),
                    area: Mu::from_ten_thousandths(spec.area),
                }],
                start,
                end,
                kind,
                pro_rating,
                payment: PaymentTerms::InAdvance { month: 3, day: 1 },
                charge_to: code(if spec.charge_521 { "521.RENT" } else { "401" }),
            }),
        });
        self.dates.insert(start);
        self.dates.insert(end);
        self.dates.insert(end + Duration::days(1));
        self.dates.insert(start - Duration::days(1));
        self.contracts.push(contract_id.clone());
        self.models.insert(
            contract_id,
            Model {
                member: member.clone(),
                start,
                end,
                oracle_rate,
                areas: vec![(start, spec.area)],
            },
        );
    }

    /// The parcels not retired, in id order.
    fn live_parcels(&self) -> Vec<Parcel> {
        self.book
            .parcels()
            .filter(|p| p.retired.is_none())
            .cloned()
            .collect()
    }

    /// The live parcels no contract names.
    fn free_parcels(&self) -> Vec<Parcel> {
        self.live_parcels()
            .into_iter()
            .filter(|p| !p.id.as_str().starts_with('P'))
            .collect()
    }

    fn fresh_parcel(&mut self) -> ParcelId {
        self.fresh += 1;
        id(&format!("N{}", self.fresh))
    }

    /// Turns a generated operation into an event. For a swap, also the two contracts and the
    /// areas given.
    fn event(&mut self, op: &Op) -> (Event, Option<(ContractId, ContractId, u64, u64)>) {
        match op {
            Op::Swap {
                first,
                second,
                day,
                first_gives,
                second_gives,
                compensation,
            } => {
                let a = self.contracts[first % self.contracts.len()].clone();
                let b = self.contracts[second % self.contracts.len()].clone();
                let (ma, mb) = (&self.models[&a], &self.models[&b]);
                let (from, to) = (ma.start.max(mb.start), ma.end.min(mb.end));
                // Four in five swaps are aimed: dated in both terms, giving at most what each
                // side holds; the rest fall anywhere and are mostly refused.
                let aimed = day % 5 != 0 && from <= to;
                let date = if aimed {
                    from + Duration::days(day % ((to - from).whole_days() + 1))
                } else {
                    date!(2019 - 01 - 01) + Duration::days(*day)
                };
                let (first_gives, second_gives) = if aimed {
                    let cap = ma.area_on(date).min(mb.area_on(date)) + 1;
                    (first_gives % cap, second_gives.map(|g| g % cap))
                } else {
                    (*first_gives, *second_gives)
                };
                let first_gives = &first_gives;
                let second_gives = second_gives.unwrap_or(*first_gives);
                let compensation = compensation.map(|(payer, fen)| {
                    let payer = match payer {
                        0 => self.models[&a].member.clone(),
                        1 => self.models[&b].member.clone(),
                        _ => self.members[self.members.len() - 1].clone(),
                    };
                    SwapCompensation {
                        payer,
                        amount: Yuan::from_fen(fen),
                    }
                });
                (
                    Event::AreaSwapped {
                        date,
                        first: a.clone(),
                        first_gives: Mu::from_ten_thousandths(*first_gives),
                        second: b.clone(),
                        second_gives: Mu::from_ten_thousandths(second_gives),
                        compensation,
                    },
                    Some((a, b, *first_gives, second_gives)),
                )
            }
            Op::Split {
                parcel,
                day,
                permille,
                short,
            } => {
                // Mostly live parcels outside contracts; sometimes any parcel, retired or
                // contracted, which the book should refuse.
                let free = self.free_parcels();
                let parcels: Vec<Parcel> = if parcel.is_multiple_of(3) || free.is_empty() {
                    self.book.parcels().cloned().collect()
                } else {
                    free
                };
                let chosen = &parcels[parcel % parcels.len()];
                let day = if parcel.is_multiple_of(3) {
                    *day
                } else {
                    (chosen.registered - REGISTERED).whole_days() + day % 800
                };
                let whole = chosen.area.ten_thousandths();
                let part = whole * permille / 1000;
                let rest = whole - part - u64::from(*short);
                let parts = vec![
                    ParcelPart {
                        parcel: self.fresh_parcel(),
                        area: Mu::from_ten_thousandths(part),
                    },
                    ParcelPart {
                        parcel: self.fresh_parcel(),
                        area: Mu::from_ten_thousandths(rest),
                    },
                ];
                (
                    Event::ParcelSplit {
                        parcel: chosen.id.clone(),
                        date: REGISTERED + Duration::days(day),
                        parts,
                    },
                    None,
                )
            }
            Op::Merge { first, second, day } => {
                // Mostly parcels of one household, so that some merges go through.
                let live = if first.is_multiple_of(4) {
                    self.live_parcels()
                } else {
                    self.free_parcels()
                };
                let live = if live.is_empty() {
                    self.live_parcels()
                } else {
                    live
                };
                let a = &live[first % live.len()];
                let same: Vec<&Parcel> = live
                    .iter()
                    .filter(|p| p.owner == a.owner && p.id != a.id)
                    .collect();
                let b = if second.is_multiple_of(4) || same.is_empty() {
                    &live[second % live.len()]
                } else {
                    same[second % same.len()]
                };
                let day = if second.is_multiple_of(4) {
                    *day
                } else {
                    (a.registered.max(b.registered) - REGISTERED).whole_days() + day % 800
                };
                let into = self.fresh_parcel();
                (
                    Event::ParcelsMerged {
                        parcels: vec![a.id.clone(), b.id.clone()],
                        into,
                        date: REGISTERED + Duration::days(day),
                    },
                    None,
                )
            }
        }
    }
}

/// Rent, guaranteed payments and amortisation each contract books for `[from, to]`, read from
/// a copy of the book that accrues the period in the given pieces (each `(from, to)`).
fn accrued(book: &Book, pieces: &[(Date, Date)]) -> (BTreeMap<ContractId, Yuan>, Vec<Yuan>) {
    let mut copy = book.clone();
    let mut rent: BTreeMap<ContractId, Yuan> = BTreeMap::new();
    for (k, (from, to)) in pieces.iter().enumerate() {
        let event_id = format!("probe{k}");
        let applied = copy
            .apply(
                id(&event_id),
                Event::RentAccrued {
                    from: *from,
                    to: *to,
                    contracts: Accrue::All,
                    date: *to,
                },
            )
            .unwrap_or_else(|e| panic!("accrual of {from}~{to} refused: {e}"));
        let Applied::Recorded { entries, .. } = applied else {
            panic!("accrual not recorded");
        };
        for entry_id in entries {
            let entry = copy
                .journal()
                .get(&entry_id)
                .unwrap_or_else(|| panic!("entry {entry_id} missing"));
            let contract = entry_id
                .as_str()
                .split_once(':')
                .map(|(_, c)| id::<ContractId>(c))
                .unwrap_or_else(|| panic!("entry {entry_id} names no contract"));
            for posting in &entry.postings() {
                if posting.side == Side::Credit && posting.account.as_str().starts_with("114.") {
                    let sum = rent.entry(contract.clone()).or_insert(Yuan::ZERO);
                    *sum = sum
                        .checked_add(posting.amount)
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
    }
    let balances = ["401", "521", "162", "114"]
        .iter()
        .map(|c| {
            copy.journal()
                .closing_balance(&code(c))
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    (rent, balances)
}

fn year(y: i32) -> (Date, Date) {
    (ymd(y, 1, 1), ymd(y, 12, 31))
}

fn fen(map: &BTreeMap<ContractId, Yuan>, contract: &ContractId) -> i64 {
    map.get(contract).map_or(0, |y| y.fen())
}

/// Every check after an event the book took.
fn check_applied(
    w: &World,
    before: &Book,
    event: &Event,
    swap: Option<&(ContractId, ContractId, u64, u64)>,
) -> Result<(), TestCaseError> {
    // Parcels: the live area is the registered area, now and on every date.
    let live: u64 = w
        .live_parcels()
        .iter()
        .map(|p| p.area.ten_thousandths())
        .sum();
    prop_assert_eq!(live, w.total_parcels);
    for date in &w.dates {
        let on: u64 = w
            .book
            .parcels()
            .filter(|p| p.registered <= *date && p.retired.is_none_or(|r| *date < r))
            .map(|p| p.area.ten_thousandths())
            .sum();
        prop_assert_eq!(on, w.total_parcels, "parcels live on {}", date);
    }
    // Contracts: the book's area history is the model's, and the pool is their sum.
    for (contract_id, model) in &w.models {
        let record = w
            .book
            .contract(contract_id)
            .ok_or_else(|| TestCaseError::fail(format!("contract {contract_id} missing")))?;
        for date in &w.dates {
            prop_assert_eq!(
                record.area_on(*date).ten_thousandths(),
                model.area_on(*date),
                "area of {} on {}",
                contract_id,
                date
            );
        }
    }
    for date in &w.dates {
        let pooled = w
            .book
            .pooled_area(*date)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let model: u64 = w.models.values().map(|m| m.area_on(*date)).sum();
        prop_assert_eq!(pooled.ten_thousandths(), model, "pool on {}", date);
        let was = before
            .pooled_area(*date)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        // A swap conserves the pool while both its contracts run; splits and merges always.
        let conserved = match swap {
            Some((a, b, _, _)) => w.models[a].covers(*date) && w.models[b].covers(*date),
            None => true,
        };
        if conserved {
            prop_assert_eq!(pooled, was, "pool on {} after {:?}", date, event);
        }
    }
    match (event, swap) {
        (Event::AreaSwapped { date, .. }, Some((a, b, _, _))) => {
            let (first, last) = year(date.year());
            let (after, _) = accrued(&w.book, &[(first, last)]);
            let (was, _) = accrued(before, &[(first, last)]);
            for contract in &w.contracts {
                if contract != a && contract != b {
                    prop_assert_eq!(fen(&after, contract), fen(&was, contract));
                }
            }
            // The history before the swap stays as it was.
            if *date > first {
                let upto = [(first, *date - Duration::days(1))];
                prop_assert_eq!(accrued(&w.book, &upto).0, accrued(before, &upto).0);
            }
            // A swap between contracts on the same fixed rate running through the year (an
            // unequal one moves area; an equal one leaves both areas as they were): the exact
            // rent of the pair is unchanged, so the booked rent of the pair moves by no more
            // than the rounding of each to the fen (at most 1 fen), exactly as the oracle says
            // (checked below for every fixed-rate contract).
            let (ma, mb) = (&w.models[a], &w.models[b]);
            if ma.oracle_rate.is_some()
                && ma.oracle_rate == mb.oracle_rate
                && ma.covers(last)
                && mb.covers(last)
            {
                let pair = |m: &BTreeMap<ContractId, Yuan>| fen(m, a) + fen(m, b);
                prop_assert!((pair(&after) - pair(&was)).abs() <= 1);
                let rate = ma.oracle_rate.unwrap_or(0);
                let mut old_a = ma.clone();
                old_a.areas.pop();
                let mut old_b = mb.clone();
                old_b.areas.pop();
                prop_assert_eq!(
                    ma.exact_numerator(rate, last) + mb.exact_numerator(rate, last),
                    old_a.exact_numerator(rate, last) + old_b.exact_numerator(rate, last)
                );
            }
            // Each contract's rent follows its own area history: the oracle, to the fen.
            for (contract, model) in &w.models {
                if let Some(want) = model.oracle_rent(first, last) {
                    prop_assert_eq!(fen(&after, contract), want, "rent of {}", contract);
                }
            }
        }
        _ => {
            // Splits and merges leave every contract as it was.
            prop_assert!(w.book.contracts().eq(before.contracts()));
        }
    }
    Ok(())
}

fn run(households: Vec<HouseholdSpec>, ops: Vec<Op>, cuts: Vec<u16>) -> Result<(), TestCaseError> {
    let mut w = World::build(&households);
    for op in &ops {
        let before = w.book.clone();
        let (event, swap) = w.event(op);
        match w.apply(event.clone()) {
            Err(_) => prop_assert!(w.book == before, "a refused {:?} changed the book", event),
            Ok(_) => {
                if let (Event::AreaSwapped { date, .. }, Some((a, b, gives, gets))) =
                    (&event, &swap)
                {
                    for (contract, give, get) in [(a, gives, gets), (b, gets, gives)] {
                        let model = w.models.get_mut(contract).ok_or_else(|| {
                            TestCaseError::fail(format!("no model of {contract}"))
                        })?;
                        let area = model.area_on(*date) - give + get;
                        model.areas.push((*date, area));
                    }
                    w.dates.insert(*date);
                    w.dates.insert(*date - Duration::days(1));
                }
                if let Event::ParcelSplit { date, .. } | Event::ParcelsMerged { date, .. } = &event
                {
                    w.dates.insert(*date);
                }
                check_applied(&w, &before, &event, swap.as_ref())?;
            }
        }
    }
    // A year accrued month by month, or over any partition, adds up to the year at once.
    for y in 2019..=2021 {
        let whole = accrued(&w.book, &[year(y)]);
        let months: Vec<(Date, Date)> = (1..=12)
            .map(|m| {
                let first = ymd(y, m, 1);
                let last = ymd(y, m, first.month().length(y));
                (first, last)
            })
            .collect();
        prop_assert_eq!(&accrued(&w.book, &months), &whole, "{} month by month", y);
        let mut days: Vec<i64> = cuts.iter().map(|c| i64::from(*c % 365)).collect();
        days.sort_unstable();
        days.dedup();
        let mut pieces = Vec::new();
        let mut from = ymd(y, 1, 1);
        for day in days {
            let to = ymd(y, 1, 1) + Duration::days(day);
            if to >= from && to < ymd(y, 12, 31) {
                pieces.push((from, to));
                from = to + Duration::days(1);
            }
        }
        pieces.push((from, ymd(y, 12, 31)));
        prop_assert_eq!(&accrued(&w.book, &pieces), &whole, "{} in {:?}", y, pieces);
        for (contract, model) in &w.models {
            if let Some(want) = model.oracle_rent(ymd(y, 1, 1), ymd(y, 12, 31)) {
                prop_assert_eq!(fen(&whole.0, contract), want, "{} rent of {}", y, contract);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn area_is_conserved_and_rent_follows_area_through_swaps_splits_and_merges(
        households in prop::collection::vec(household_spec(), 2..=5),
        ops in prop::collection::vec(op(), 1..=14),
        cuts in prop::collection::vec(any::<u16>(), 0..=6),
    ) {
        run(households, ops, cuts)?;
    }
}

/// The oracle itself on the figures: 2 mu then 1.5 mu from 2019-07-01 at 1000 yuan.
#[test]
fn the_oracle_agrees_with_the_hand_checked_swap() {
    let model = Model {
        member: id("A"),
        start: date!(2019 - 01 - 01),
        end: date!(2023 - 12 - 31),
        oracle_rate: Some(100_000),
        areas: vec![
            (date!(2019 - 01 - 01), 20_000),
            (date!(2019 - 07 - 01), 15_000),
        ],
    };
    assert_eq!(
        model.oracle_rent(date!(2019 - 01 - 01), date!(2019 - 12 - 31)),
        Some(174_795)
    );
}

/// Found by the property: a parcel split on 2019-01-01 could be split again on 2018-01-01,
/// its parts living beside the first split's, so the register held twice the parcel's area.
/// A retired parcel cannot be split or merged at any date.
#[test]
fn a_retired_parcel_cannot_be_split_or_merged_before_its_retirement() {
    let mut w = World::build(&[HouseholdSpec {
        contracts: vec![],
        free: vec![10_000, 5_000],
    }]);
    let split = |date: Date, a: &str, b: &str| Event::ParcelSplit {
        parcel: id("F0-0"),
        date,
        parts: vec![
            ParcelPart {
                parcel: id(a),
                area: Mu::from_ten_thousandths(4_000),
            },
            ParcelPart {
                parcel: id(b),
                area: Mu::from_ten_thousandths(6_000),
            },
        ],
    };
    assert!(w.apply(split(date!(2019 - 01 - 01), "A1", "B1")).is_ok());
    let before = w.book.clone();
    assert!(matches!(
        w.apply(split(date!(2018 - 01 - 01), "A2", "B2")),
        Err(Error::Pool(PoolError::ParcelRetired { .. }))
    ));
    assert!(matches!(
        w.apply(Event::ParcelsMerged {
            parcels: vec![id("F0-0"), id("F0-1")],
            into: id("M1"),
            date: date!(2018 - 01 - 01),
        }),
        Err(Error::Pool(PoolError::ParcelRetired { .. }))
    ));
    assert_eq!(w.book, before);
    let live: u64 = w
        .live_parcels()
        .iter()
        .map(|p| p.area.ten_thousandths())
        .sum();
    assert_eq!(live, w.total_parcels);
}

/// A swap between two contracts on the same rate keeps the pair's exact rent, but each
/// contract's rent is rounded to the fen on its own, so the booked total may move by a fen
/// (0.7365 mu from the first to the second on 2019-08-31, with compensation):
/// here 829.50 + 3181.13 = 4010.63 before (exact 829.50135 + 3181.13340), 593.60 + 3417.04 =
/// 4010.64 after. The hand-checked swap of the issue (whole fen before) moves nothing.
#[test]
fn a_swap_can_move_the_booked_pair_total_by_a_fen() {
    let spec = |area| ContractSpec {
        area,
        start: 0,
        end: 0,
        terms: 1,
        months_and_days: false,
        charge_521: false,
    };
    let mut w = World::build(&[
        HouseholdSpec {
            contracts: vec![spec(8_727)],
            free: vec![],
        },
        HouseholdSpec {
            contracts: vec![spec(33_468)],
            free: vec![],
        },
    ]);
    let (first, last) = year(2019);
    let (was, _) = accrued(&w.book, &[(first, last)]);
    let (a, b): (ContractId, ContractId) = (id("C0-0"), id("C1-0"));
    assert_eq!((fen(&was, &a), fen(&was, &b)), (82_950, 318_113));
    let swapped = w.apply(Event::AreaSwapped {
        date: date!(2019 - 08 - 31),
        first: a.clone(),
        first_gives: Mu::from_ten_thousandths(7_365),
        second: b.clone(),
        second_gives: Mu::ZERO,
        compensation: Some(SwapCompensation {
            payer: id("M1"),
            amount: Yuan::from_fen(500_000),
        }),
    });
    assert!(swapped.is_ok());
    let (after, _) = accrued(&w.book, &[(first, last)]);
    assert_eq!((fen(&after, &a), fen(&after, &b)), (59_360, 341_704));
    // The pair's exact rent is the same; only the rounding of each part moved.
    let exact = |area: u64, swapped: Option<u64>| {
        let mut model = Model {
            member: id("M0"),
            start: first,
            end: date!(2020 - 12 - 31),
            oracle_rate: Some(95_050),
            areas: vec![(first, area)],
        };
        model
            .areas
            .extend(swapped.map(|new| (date!(2019 - 08 - 31), new)));
        model.exact_numerator(95_050, last)
    };
    assert_eq!(
        exact(8_727, Some(1_362)) + exact(33_468, Some(40_833)),
        exact(8_727, None) + exact(33_468, None)
    );
    let pair = |m: &BTreeMap<ContractId, Yuan>| fen(m, &a) + fen(m, &b);
    assert_eq!(pair(&after) - pair(&was), 1);
}
