//! The book of a folder's earlier years (its `prior_log`): what its registers hold, to tell
//! a register row carried forward from a new one, and which ids it knows.

use std::collections::{HashMap, HashSet};

use time::Date;

use super::super::cells::{write_date, zh};
use super::super::schema::{header, FileKind};
use super::super::words::CASH;
use super::super::write;
use super::Target;
use crate::{Book, ContractKind, Event};

/// The earlier years' book, indexed by what its register events added.
#[derive(Debug)]
pub(crate) struct Earlier {
    /// The book, as its log replays it.
    pub(crate) book: Book,
    /// The log as `policy.csv` names it (or a stand-in for a book given by the caller), for
    /// messages.
    pub(crate) shown: String,
    /// The place in `book.events()` of the event that added each register entry, by its
    /// file and key (see [`register_key`]).
    added: HashMap<(FileKind, String), usize>,
    /// The place of each member's leaving.
    left: HashMap<String, usize>,
    /// The place of each greenhouse's retirement.
    retired: HashMap<String, usize>,
    /// The place of each asset's retirement.
    retired_assets: HashMap<String, usize>,
    /// The ids the book knows, parcels made by splits and merges included, for the
    /// references of the folder's rows.
    pub(super) known: super::ByKind<Target, HashSet<String>>,
}

/// The file a register event's row is in and the key of its entry there: a sub-account's
/// code, a member's, parcel's, contract's, loan's or greenhouse's id, or a grain price's
/// crop, unit and date; `None` for the year's transactions.
pub(crate) fn register_key(event: &Event) -> Option<(FileKind, String)> {
    Some(match event {
        Event::AccountOpened { code, .. } => (FileKind::Accounts, code.as_str().to_string()),
        Event::MemberJoined { member } => (FileKind::Members, member.id.as_str().to_string()),
        Event::ParcelRegistered { parcel } => (FileKind::Parcels, parcel.id.as_str().to_string()),
        Event::ContractSigned { contract } => {
            (FileKind::Contracts, contract.id.as_str().to_string())
        }
        Event::GrainPriceRecorded {
            crop, unit, date, ..
        } => (
            FileKind::GrainPrices,
            format!("{crop}\u{0}{unit:?}\u{0}{date}"),
        ),
        Event::LoanSigned { loan } => (FileKind::Loans, loan.id.as_str().to_string()),
        Event::GreenhouseBuilt { greenhouse, .. } => {
            (FileKind::Greenhouses, greenhouse.id.as_str().to_string())
        }
        Event::AssetAcquired { asset, .. } => (FileKind::Assets, asset.id.as_str().to_string()),
        _ => return None,
    })
}

/// What a row of the folder is beside the earlier book.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Carried {
    /// Not in the earlier book: the row adds it.
    New,
    /// What the earlier book holds: skipped.
    Same,
    /// The earlier book holds it otherwise.
    Differs(Difference),
}

/// How a row differs from what the earlier book holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Difference {
    /// The first column that differs.
    pub(crate) en: &'static str,
    /// Its header, Chinese and English.
    pub(crate) header: String,
    /// Which of the event's rows (a contract's parcel), from 0.
    pub(crate) row: usize,
    /// The cell as the earlier book has it, as a folder writes it.
    pub(crate) was: String,
    /// The cell of this row, as a folder writes it.
    pub(crate) now: String,
    /// The headers of the other columns that differ.
    pub(crate) also: Vec<String>,
}

impl Earlier {
    /// Indexes `book`, whose log `shown` names.
    pub(crate) fn new(book: Book, shown: String) -> Earlier {
        let mut added = HashMap::new();
        let mut left = HashMap::new();
        let mut retired = HashMap::new();
        let mut retired_assets = HashMap::new();
        let mut known: super::ByKind<Target, HashSet<String>> = super::ByKind::default();
        let mut know = |target: Target, id: &str| {
            known.entry(target).or_default().insert(id.to_string());
        };
        for (at, logged) in book.events().iter().enumerate() {
            let event = &logged.event;
            if let Some(key) = register_key(event) {
                added.entry(key).or_insert(at);
            }
            match event {
                Event::AccountOpened { code, .. } => know(Target::Account, code.as_str()),
                Event::MemberJoined { member } => know(Target::Member, member.id.as_str()),
                Event::ParcelRegistered { parcel } => know(Target::Parcel, parcel.id.as_str()),
                Event::ParcelSplit { parts, .. } => {
                    for part in parts {
                        know(Target::Parcel, part.parcel.as_str());
                    }
                }
                Event::ParcelsMerged { into, .. } => know(Target::Parcel, into.as_str()),
                Event::ContractSigned { contract } => {
                    know(Target::Contract, contract.id.as_str());
                }
                Event::LoanSigned { loan } => know(Target::Loan, loan.id.as_str()),
                Event::GreenhouseBuilt { greenhouse, .. } => {
                    know(Target::Greenhouse, greenhouse.id.as_str());
                }
                Event::MemberLeft { member, .. } => {
                    left.entry(member.as_str().to_string()).or_insert(at);
                }
                Event::GreenhouseRetired { greenhouse, .. } => {
                    retired.entry(greenhouse.as_str().to_string()).or_insert(at);
                }
                Event::AssetAcquired { asset, .. } => know(Target::Asset, asset.id.as_str()),
                Event::AssetRetired { asset, .. } => {
                    retired_assets
                        .entry(asset.as_str().to_string())
                        .or_insert(at);
                }
                _ => {}
            }
        }
        Earlier {
            book,
            shown,
            added,
            left,
            retired,
            retired_assets,
            known,
        }
    }

    fn event(&self, at: usize) -> Option<&Event> {
        self.book.events().get(at).map(|logged| &logged.event)
    }

    /// Whether the earlier book holds `id` of `target`.
    pub(super) fn knows(&self, target: Target, id: &str) -> bool {
        self.known.get(&target).is_some_and(|ids| ids.contains(id))
    }

    /// Whether member `member` left in the earlier years.
    pub(crate) fn has_left(&self, member: &str) -> bool {
        self.left.contains_key(member)
    }

    /// Whether greenhouse `greenhouse` was taken out of use in the earlier years.
    pub(crate) fn has_retired(&self, greenhouse: &str) -> bool {
        self.retired.contains_key(greenhouse)
    }

    /// Whether asset `asset` was taken out of use in the earlier years.
    pub(crate) fn has_retired_asset(&self, asset: &str) -> bool {
        self.retired_assets.contains_key(asset)
    }

    /// The contracts of the earlier book: id, member and whether it takes land in as shares.
    pub(crate) fn holders(&self) -> impl Iterator<Item = (String, crate::MemberId, bool)> + '_ {
        self.book
            .events()
            .iter()
            .filter_map(|logged| match &logged.event {
                Event::ContractSigned { contract } => Some((
                    contract.id.as_str().to_string(),
                    contract.member.clone(),
                    matches!(contract.kind, ContractKind::LandShares { .. }),
                )),
                _ => None,
            })
    }

    /// The leaving or retirement cells the earlier book has for the register entry that
    /// `event` (a member joining, a greenhouse built) adds, as a folder writes them: `(column,
    /// value)` pairs, empty when the entry has none.
    pub(crate) fn fill_of(&self, event: &Event) -> Vec<(&'static str, String)> {
        let at = match event {
            Event::MemberJoined { member } => self.left.get(member.id.as_str()),
            Event::GreenhouseBuilt { greenhouse, .. } => self.retired.get(greenhouse.id.as_str()),
            Event::AssetAcquired { asset, .. } => self.retired_assets.get(asset.id.as_str()),
            _ => None,
        };
        at.and_then(|&at| self.event(at))
            .map(fill_cells)
            .unwrap_or_default()
    }

    /// What `event`, made from a row of the folder, is beside the earlier book.
    pub(crate) fn carried(&self, event: &Event) -> Carried {
        let earlier = match event {
            Event::MemberLeft { member, .. } => self.left.get(member.as_str()),
            Event::GreenhouseRetired { greenhouse, .. } => self.retired.get(greenhouse.as_str()),
            Event::AssetRetired { asset, .. } => self.retired_assets.get(asset.as_str()),
            _ => register_key(event).and_then(|key| self.added.get(&key)),
        };
        let Some(earlier) = earlier.and_then(|&at| self.event(at)) else {
            return Carried::New;
        };
        if earlier == event {
            return Carried::Same;
        }
        let (kind, was, now) = if write::fills_a_row(event) {
            (
                fill_file(event),
                vec![fill_row(earlier)],
                vec![fill_row(event)],
            )
        } else {
            match (write::rows(earlier), write::rows(event)) {
                (Ok((kind, was)), Ok((_, now))) => (kind, was, now),
                // Not reached for the events a folder's rows make: every one is written.
                _ => return Carried::Differs(Difference::whole(event)),
            }
        };
        Carried::Differs(difference(kind, &was, &now).unwrap_or_else(|| Difference::whole(event)))
    }
}

impl Difference {
    /// A difference the rows do not show (not reached: events with the same rows are the
    /// same), named by the event's key.
    fn whole(event: &Event) -> Difference {
        Difference {
            en: "",
            header: String::new(),
            row: 0,
            was: String::new(),
            now: register_key(event).map(|(_, key)| key).unwrap_or_default(),
            also: Vec::new(),
        }
    }
}

/// The first cell that differs between the rows `was` and `now` of `kind`'s file, and the
/// headers of the other columns that do.
fn difference(kind: FileKind, was: &[Vec<String>], now: &[Vec<String>]) -> Option<Difference> {
    let columns = kind.columns();
    let mut first: Option<Difference> = None;
    let mut also: Vec<String> = Vec::new();
    let empty = Vec::new();
    for row in 0..was.len().max(now.len()) {
        let (a, b) = (
            was.get(row).unwrap_or(&empty),
            now.get(row).unwrap_or(&empty),
        );
        for (i, col) in columns.iter().enumerate() {
            let x = a.get(i).map_or("", String::as_str);
            let y = b.get(i).map_or("", String::as_str);
            if x == y {
                continue;
            }
            match &first {
                None => {
                    first = Some(Difference {
                        en: col.en,
                        header: header(col),
                        row,
                        was: x.to_string(),
                        now: y.to_string(),
                        also: Vec::new(),
                    });
                }
                Some(first) => {
                    let name = header(col);
                    if name != first.header && !also.contains(&name) {
                        also.push(name);
                    }
                }
            }
        }
    }
    first.map(|first| Difference { also, ..first })
}

/// The cells a leaving or a retirement fills in its register's row, as a folder writes
/// them.
fn fill_cells(event: &Event) -> Vec<(&'static str, String)> {
    match event {
        Event::MemberLeft { date, .. } => vec![("left", write_date(*date))],
        Event::GreenhouseRetired {
            date,
            proceeds,
            into,
            ..
        }
        | Event::AssetRetired {
            date,
            proceeds,
            into,
            ..
        } => vec![
            ("retired", write_date(*date)),
            ("proceeds", proceeds.to_string()),
            ("proceeds_account", zh(CASH, into).to_string()),
        ],
        _ => Vec::new(),
    }
}

/// The file of a leaving's or retirement's row.
fn fill_file(event: &Event) -> FileKind {
    match event {
        Event::MemberLeft { .. } => FileKind::Members,
        Event::AssetRetired { .. } => FileKind::Assets,
        _ => FileKind::Greenhouses,
    }
}

/// The row of a leaving's or retirement's file with only the cells it fills.
fn fill_row(event: &Event) -> Vec<String> {
    let cells = fill_cells(event);
    fill_file(event)
        .columns()
        .iter()
        .map(|col| {
            cells
                .iter()
                .find(|(en, _)| *en == col.en)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// The last day the book has anything on: its entries, its dated events and its closed
/// years' last days; `None` for a book with none of them.
pub(crate) fn last_day(book: &Book) -> Option<Date> {
    let entries = book.journal().entries().iter().map(|entry| entry.date);
    let events = book
        .events()
        .iter()
        .filter_map(|logged| super::super::event_date(&logged.event));
    let closed = book
        .journal()
        .closed_years()
        .filter_map(|year| Date::from_calendar_date(year, time::Month::December, 31).ok());
    entries.chain(events).chain(closed).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Member, MemberKind};
    use time::macros::date;

    fn joined(name: &str, persons: u32) -> Event {
        Event::MemberJoined {
            member: Member {
                id: "H01".parse().unwrap_or_else(|e| panic!("{e}")),
                name: name.into(),
                kind: MemberKind::Household { persons },
                village: "高格庄".into(),
                joined: date!(2019 - 01 - 01),
                left: None,
            },
        }
    }

    fn earlier(events: Vec<Event>) -> Earlier {
        let mut book = Book::new();
        for (n, event) in events.into_iter().enumerate() {
            let id = format!("e-{n}").parse().unwrap_or_else(|e| panic!("{e}"));
            book.apply(id, event).unwrap_or_else(|e| panic!("{e}"));
        }
        Earlier::new(book, "log".into())
    }

    #[test]
    fn a_row_is_new_the_same_or_names_its_first_difference_and_the_others() {
        let book = earlier(vec![joined("高建国", 3)]);
        assert!(book.knows(Target::Member, "H01"));
        assert!(!book.knows(Target::Member, "H02"));
        assert_eq!(book.carried(&joined("高建国", 3)), Carried::Same);
        assert_eq!(
            book.carried(&joined("高建华", 4)),
            Carried::Differs(Difference {
                en: "name",
                header: "姓名 name".into(),
                row: 0,
                was: "高建国".into(),
                now: "高建华".into(),
                also: vec!["人口 persons".into()],
            })
        );
        let h02 = Event::MemberLeft {
            member: "H02".parse().unwrap_or_else(|e| panic!("{e}")),
            date: date!(2020 - 06 - 30),
        };
        assert_eq!(book.carried(&h02), Carried::New);
        assert!(book.fill_of(&joined("高建国", 3)).is_empty());
    }

    #[test]
    fn the_last_day_is_the_latest_entry_event_or_closed_year() {
        assert_eq!(last_day(&Book::new()), None);
        // A member joining has no date of its own among the year's transactions.
        assert_eq!(last_day(&earlier(vec![joined("高建国", 3)]).book), None);
        let left = Event::MemberLeft {
            member: "H01".parse().unwrap_or_else(|e| panic!("{e}")),
            date: date!(2019 - 06 - 30),
        };
        let book = earlier(vec![joined("高建国", 3), left]);
        assert_eq!(last_day(&book.book), Some(date!(2019 - 06 - 30)));
        assert!(book.has_left("H01"));
        assert_eq!(
            book.fill_of(&joined("高建国", 3)),
            vec![("left", "2019-06-30".to_string())]
        );
    }
}
