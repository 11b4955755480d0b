//! Reading `land_changes.csv`: area swapped between two contracts (one row), a parcel split
//! (one row per new parcel, the rows sharing the parcel split and the date), parcels
//! merged (one row, the parcels merged listed in one cell), a contract's rent charged to
//! another account from the row's date on (one row) and a contract ended early on the row's
//! date, its new last day (one row, with the reason if any).

use std::collections::HashMap;

use time::Date;

use super::{FileReader, Ids, Target};
use crate::folder::cells::{
    amount_positive, area, area_not_negative, choice, date_in, id, split_list, text, Bad, Cells,
};
use crate::folder::problem::{Problem, ProblemKind};
use crate::folder::schema::FileKind;
use crate::folder::words::{LandChangeKind, LAND_CHANGE_KINDS};
use crate::ledger::AccountCode;
use crate::{ContractId, Event, MemberId, Mu, ParcelId, ParcelPart, SwapCompensation};

/// The columns only a swap fills.
const SWAP_COLUMNS: [&str; 6] = [
    "contract",
    "gives",
    "other_contract",
    "other_gives",
    "payer",
    "compensation",
];

/// What a merge's `parcel` cell holds.
const MERGED: &str = "two parcel ids or more, separated by spaces or 、, such as P01-1、P01-2";

/// A split being read: its first row, its date and parcel (if they parsed) and its parts so
/// far (each `None` if its row had a problem).
struct PendingSplit {
    first_row: usize,
    line: u64,
    date: Option<Date>,
    parcel: Option<ParcelId>,
    parts: Vec<Option<ParcelPart>>,
}

/// Checks that `parcel` is in `parcels.csv` or made by an earlier row of this file (when
/// `parcels.csv` was read).
fn want_parcel(c: &mut Cells, ids: &Ids, en: &'static str, parcel: &ParcelId) {
    let Some(file) = ids.loaded.get(&FileKind::Parcels) else {
        return;
    };
    let known = ids
        .defined
        .get(&Target::Parcel)
        .is_some_and(|defined| defined.contains_key(parcel.as_str()))
        || ids.in_earlier(Target::Parcel, parcel.as_str());
    if !known {
        let here = c.table.file.clone();
        c.problem(
            en,
            ProblemKind::UnknownReference,
            format!(
                "no parcel {:?} in {file}, nor made by an earlier row of {here}",
                parcel.as_str()
            ),
        );
    }
}

/// The new parcel a split or a merge makes, whose id must be new.
fn new_parcel(c: &mut Cells, ids: &mut Ids, why: &str) -> Option<ParcelId> {
    let parcel: ParcelId = c.needed("new_parcel", why, id("parcel", "P01-3"))?;
    if ids.in_earlier(Target::Parcel, parcel.as_str()) {
        c.problem(
            "new_parcel",
            ProblemKind::DuplicateId,
            format!(
                "parcel {:?} already exists in the book of the earlier years; a new parcel needs an id of its own",
                parcel.as_str()
            ),
        );
        return None;
    }
    let defined = ids.defined.entry(Target::Parcel).or_default();
    if let Some(&first) = defined.get(parcel.as_str()) {
        c.problem(
            "new_parcel",
            ProblemKind::DuplicateId,
            format!(
                "parcel {:?} already exists (line {first} of parcels.csv or of this file); a new parcel needs an id of its own",
                parcel.as_str()
            ),
        );
        return None;
    }
    defined.insert(parcel.as_str().into(), c.line());
    Some(parcel)
}

/// A contract of a swap, which must be in `contracts.csv`.
fn contract(c: &mut Cells, ids: &Ids, en: &'static str) -> Option<ContractId> {
    let contract: ContractId = c.needed(en, "a swap", id("contract", "LZ01"))?;
    ids.want(c, en, Target::Contract, contract.as_str());
    Some(contract)
}

/// A swap row's event.
fn swap(c: &mut Cells, ids: &Ids, day: Option<Date>) -> Option<Event> {
    let why = "a swap";
    let unused =
        ["parcel", "new_parcel", "area", "charge_to", "reason"].map(|en| c.unused(en, why));
    let first = contract(c, ids, "contract");
    let first_gives = c
        .opt("gives", area_not_negative)
        .map(Option::unwrap_or_default);
    let second = contract(c, ids, "other_contract");
    let second_gives = c
        .opt("other_gives", area_not_negative)
        .map(Option::unwrap_or_default);
    if let (Some(a), Some(b)) = (&first, &second) {
        if a == b {
            c.problem(
                "other_contract",
                ProblemKind::Inconsistent,
                format!("contract {a} is on both sides; a swap is between two contracts"),
            );
            return None;
        }
    }
    if first_gives.is_some_and(Mu::is_zero) && second_gives.is_some_and(Mu::is_zero) {
        c.problem(
            "gives",
            ProblemKind::MissingValue,
            "no area changes hands; fill the area one contract gives the other (or both)",
        );
        return None;
    }
    let payer = c.opt("payer", id::<MemberId>("member", "H01"));
    if let Some(Some(payer)) = &payer {
        ids.want(c, "payer", Target::Member, payer.as_str());
    }
    let amount = c.opt("compensation", amount_positive);
    let why = "a compensation";
    let compensation = match (payer, amount) {
        (Some(None), Some(None)) => Some(None),
        (Some(Some(payer)), Some(Some(amount))) => Some(Some(SwapCompensation { payer, amount })),
        (Some(Some(_)), Some(None)) => c.needed("compensation", why, amount_positive).map(|_| None),
        (Some(None), Some(Some(_))) => c
            .needed("payer", why, id::<MemberId>("member", "H01"))
            .map(|_| None),
        _ => None,
    };
    let (
        Some(day),
        Some(first),
        Some(first_gives),
        Some(second),
        Some(second_gives),
        Some(compensation),
    ) = (day, first, first_gives, second, second_gives, compensation)
    else {
        return None;
    };
    unused.iter().all(Option::is_some).then_some(())?;
    Some(Event::AreaSwapped {
        date: day,
        first,
        first_gives,
        second,
        second_gives,
        compensation,
    })
}

/// A merge row's event.
fn merge(c: &mut Cells, ids: &mut Ids, day: Option<Date>) -> Option<Event> {
    let why = "a merge";
    let mut unused = SWAP_COLUMNS.map(|en| c.unused(en, why)).to_vec();
    unused.push(c.unused("area", why));
    unused.push(c.unused("charge_to", why));
    unused.push(c.unused("reason", why));
    let text = c.text("parcel").to_string();
    let parcels: Option<Vec<ParcelId>> = if text.is_empty() {
        c.needed("parcel", why, |_| -> Result<Vec<ParcelId>, Bad> {
            Err(Bad {
                kind: ProblemKind::MissingValue,
                expected: MERGED.into(),
            })
        })
    } else {
        let mut list = Some(Vec::new());
        for item in split_list(&text) {
            match id::<ParcelId>("parcel", "P01-1")(item) {
                Ok(parcel) if list.as_ref().is_some_and(|l| l.contains(&parcel)) => {
                    c.problem(
                        "parcel",
                        ProblemKind::DuplicateId,
                        format!("parcel {item:?} is listed twice"),
                    );
                    list = None;
                }
                Ok(parcel) => {
                    want_parcel(c, ids, "parcel", &parcel);
                    if let Some(list) = list.as_mut() {
                        list.push(parcel);
                    }
                }
                Err(bad) => {
                    c.problem(
                        "parcel",
                        bad.kind,
                        format!("expected {MERGED}, found {item:?}"),
                    );
                    list = None;
                }
            }
        }
        match list {
            Some(list) if list.len() < 2 => {
                c.problem(
                    "parcel",
                    ProblemKind::MissingValue,
                    format!("a merge needs {MERGED}; found {text:?}"),
                );
                None
            }
            list => list,
        }
    };
    let into = new_parcel(c, ids, why);
    let (Some(day), Some(parcels), Some(into)) = (day, parcels, into) else {
        return None;
    };
    unused.iter().all(Option::is_some).then_some(())?;
    Some(Event::ParcelsMerged {
        parcels,
        into,
        date: day,
    })
}

/// A split row: the parcel split (`text`; parsed and checked on its first row, `first` being
/// the line and date of that row when this is a later one) and the new parcel of this row.
fn split(
    c: &mut Cells,
    ids: &mut Ids,
    day: Option<Date>,
    first: Option<(u64, Option<Date>)>,
    text: &str,
) -> (Option<ParcelId>, Option<ParcelPart>) {
    let why = "a split";
    let mut consistent = true;
    if let Some((first_line, Some(first_date))) = first {
        if day.is_some_and(|day| day != first_date) {
            c.problem(
                "date",
                ProblemKind::Inconsistent,
                format!("the first row of the split of parcel {text} (line {first_line}) has {first_date}; the rows of a split share its date"),
            );
            consistent = false;
        }
    }
    let unused = SWAP_COLUMNS.map(|en| c.unused(en, why));
    let charge_unused = c.unused("charge_to", why).and(c.unused("reason", why));
    let parcel = match first {
        Some(_) => None,
        None => {
            let parcel: Option<ParcelId> = c.needed("parcel", why, id("parcel", "P01-1"));
            if let Some(parcel) = &parcel {
                want_parcel(c, ids, "parcel", parcel);
            }
            parcel
        }
    };
    let part = new_parcel(c, ids, why);
    let part_area = c.needed("area", why, area);
    let part = match (part, part_area) {
        (Some(parcel), Some(area))
            if consistent && unused.iter().all(Option::is_some) && charge_unused.is_some() =>
        {
            Some(ParcelPart { parcel, area })
        }
        _ => None,
    };
    (parcel, part)
}

/// The row's `contract` cell, a contract the folder (or the earlier years' book) signs.
fn row_contract(c: &mut Cells, ids: &Ids, why: &'static str) -> Option<ContractId> {
    let contract: Option<ContractId> = c.needed("contract", why, id("contract", "LZ01"));
    if let Some(contract) = &contract {
        ids.want(c, "contract", Target::Contract, contract.as_str());
    }
    contract
}

/// A charge row's event: the contract (in `contracts.csv`) whose rent is charged to the
/// account in `charge_to` from the row's date on.
fn charge(c: &mut Cells, ids: &Ids, day: Option<Date>) -> Option<Event> {
    let why = "a change of the account charged";
    let unused = [
        "gives",
        "other_contract",
        "other_gives",
        "payer",
        "compensation",
        "parcel",
        "new_parcel",
        "area",
        "reason",
    ]
    .map(|en| c.unused(en, why));
    let contract = row_contract(c, ids, why);
    let charge_to = c.needed("charge_to", why, |t| {
        AccountCode::new(t).map_err(|_| Bad {
            kind: ProblemKind::BadId,
            expected: "an account code such as 521.RENT or 401".into(),
        })
    });
    let (Some(from), Some(contract), Some(charge_to)) = (day, contract, charge_to) else {
        return None;
    };
    unused.iter().all(Option::is_some).then_some(())?;
    Some(Event::ContractChargeChanged {
        contract,
        from,
        charge_to,
    })
}

/// An end row's event: the contract (in `contracts.csv` or the earlier years' book) ended
/// early, the row's date its new last day, with the reason if given.
fn end(c: &mut Cells, ids: &Ids, day: Option<Date>) -> Option<Event> {
    let why = "a contract ended early";
    let unused = [
        "gives",
        "other_contract",
        "other_gives",
        "payer",
        "compensation",
        "parcel",
        "new_parcel",
        "area",
        "charge_to",
    ]
    .map(|en| c.unused(en, why));
    let contract = row_contract(c, ids, why);
    let memo = c.opt("reason", text).map(Option::unwrap_or_default);
    let (Some(date), Some(contract), Some(memo)) = (day, contract, memo) else {
        return None;
    };
    unused.iter().all(Option::is_some).then_some(())?;
    Some(Event::ContractEnded {
        contract,
        date,
        memo,
    })
}

impl FileReader<'_> {
    pub(super) fn land_changes(&mut self) {
        // Splits by the parcel split, in the order first seen.
        let mut order: Vec<String> = Vec::new();
        let mut splits: HashMap<String, PendingSplit> = HashMap::new();
        for row in self.rows() {
            let Some(mut c) = cells!(self, row) else {
                continue;
            };
            let day = c.req("date", date_in(self.year));
            let kind = c.req("kind", choice(LAND_CHANGE_KINDS));
            let line = c.line();
            let event = match kind {
                Some(LandChangeKind::Swap) => swap(&mut c, self.ids, day),
                Some(LandChangeKind::Merge) => merge(&mut c, self.ids, day),
                Some(LandChangeKind::Charge) => charge(&mut c, self.ids, day),
                Some(LandChangeKind::End) => end(&mut c, self.ids, day),
                Some(LandChangeKind::Split) => {
                    let text = c.text("parcel").to_string();
                    let first = splits.get(&text).map(|s| (s.line, s.date));
                    let (parcel, part) = split(&mut c, self.ids, day, first, &text);
                    match splits.get_mut(&text) {
                        Some(pending) => pending.parts.push(part),
                        None if !text.is_empty() => {
                            order.push(text.clone());
                            splits.insert(
                                text,
                                PendingSplit {
                                    first_row: row,
                                    line,
                                    date: day,
                                    parcel,
                                    parts: vec![part],
                                },
                            );
                        }
                        None => {}
                    }
                    continue;
                }
                None => continue,
            };
            if let Some(event) = event {
                self.stage(line, row, event);
            }
        }
        for text in order {
            let Some(pending) = splits.remove(&text) else {
                continue;
            };
            if pending.parts.len() < 2 {
                self.problems.push(Problem::row(
                    &self.table.file,
                    pending.line,
                    ProblemKind::MissingValue,
                    format!("parcel {text} is split into one part; a split has a row for each new parcel, two or more"),
                ));
                continue;
            }
            let (Some(day), Some(parcel), Some(parts)) = (
                pending.date,
                pending.parcel,
                pending.parts.into_iter().collect::<Option<Vec<_>>>(),
            ) else {
                continue;
            };
            self.stage(
                pending.line,
                pending.first_row,
                Event::ParcelSplit {
                    parcel,
                    date: day,
                    parts,
                },
            );
        }
    }
}
