//! Event sequences applied to a `Book`: every refused event leaves the book exactly as it was
//! (events fail atomically), and the book at the end passes `landpool::audit::check`,
//! replays to itself, and makes the asset register of each of its years, every row of which
//! closes at its opening plus what was added less what was removed, and each standard
//! account's ledger of each year, whose lines run from its opening balance to the journal's
//! closing balance.
//!
//! The events start as a realistic book that `landpool::strategies::generate` builds from
//! dice the fuzzer chooses (members join, parcels are registered, split and merged, contracts
//! signed, rent accrued and paid, areas swapped, greenhouses, sales, wages, loans, grants,
//! year-end closes and settlements), so the fuzzer starts deep in the book's rules. The fuzzer
//! then edits that list: it drops, moves and repeats events, reuses ids, and rewrites any
//! field of any event through its JSON form (a date, an amount, an id taken from another
//! event, a number), which is how refusals and the edges of every rule are reached.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use landpool::strategies::{generate, Config};
use landpool::{Book, Event, EventId};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// At most this many dice: books of a few dozen to a few hundred events.
const MAX_DICE: usize = 400;
/// At most this many edits.
const MAX_EDITS: usize = 12;

#[derive(Debug, Arbitrary)]
enum Edit {
    Drop(u16),
    Move(u16, u16),
    /// Repeats an event with a new id.
    Repeat(u16, u16),
    /// Repeats an event under the id of another (a retry, or an id reused).
    ReuseId(u16, u16),
    /// Rewrites the `leaf`-th scalar of an event's JSON form.
    Rewrite {
        event: u16,
        leaf: u16,
        value: Scalar,
    },
    /// Removes the `index`-th element of the `array`-th array of an event.
    Shrink {
        event: u16,
        array: u16,
        index: u16,
    },
    /// Repeats the `index`-th element of the `array`-th array of an event.
    Grow {
        event: u16,
        array: u16,
        index: u16,
    },
}

#[derive(Debug, Arbitrary)]
enum Scalar {
    /// A value from the vocabulary below.
    Word(u8),
    /// The `n`-th scalar found in any event (an id, a date, an amount of another event).
    Borrowed(u16),
    Number(i64),
    Text(String),
    Null,
    Bool(bool),
}

const WORDS: &[&str] = &[
    "2018-12-31",
    "2019-01-01",
    "2019-02-28",
    "2019-03-01",
    "2019-06-30",
    "2019-12-31",
    "2020-01-01",
    "2020-02-29",
    "2020-12-31",
    "2021-12-31",
    "2099-12-31",
    "1900-01-01",
    "0",
    "0.00",
    "0.01",
    "-0.01",
    "1",
    "1.5",
    "100",
    "1000.00",
    "999999999.99",
    "92233720368547758.07",
    "-92233720368547758.08",
    "0.0001",
    "0.5",
    "1000000",
    "184467440737095.5161",
    "79228162514264337593543950335",
    "1e3",
    "",
    "M001",
    "M002",
    "P001",
    "C001",
    "G001",
    "L001",
    "101",
    "102",
    "521",
    "523",
    "401",
    "cash",
    "bank",
    "jin",
    "kg",
    "all",
    "wheat",
    "corn",
    "actual",
    "months_and_days",
];

fn scalars(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| scalars(v, out)),
        Value::Object(fields) => fields.values().for_each(|v| scalars(v, out)),
        other => out.push(other.clone()),
    }
}

/// The `n`-th scalar (modulo their number), depth first.
fn nth_scalar<'a>(value: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    match value {
        Value::Array(items) => items.iter_mut().find_map(|v| nth_scalar(v, n)),
        Value::Object(fields) => fields.values_mut().find_map(|v| nth_scalar(v, n)),
        other => {
            if *n == 0 {
                Some(other)
            } else {
                *n -= 1;
                None
            }
        }
    }
}

fn count_scalars(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.iter().map(count_scalars).sum(),
        Value::Object(fields) => fields.values().map(count_scalars).sum(),
        _ => 1,
    }
}

fn count_arrays(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count_arrays).sum::<usize>(),
        Value::Object(fields) => fields.values().map(count_arrays).sum(),
        _ => 0,
    }
}

/// The `n`-th array, depth first, parents before their elements.
fn nth_array<'a>(value: &'a mut Value, n: &mut usize) -> Option<&'a mut Vec<Value>> {
    match value {
        Value::Array(items) => {
            if *n == 0 {
                return Some(items);
            }
            *n -= 1;
            items.iter_mut().find_map(|v| nth_array(v, n))
        }
        Value::Object(fields) => fields.values_mut().find_map(|v| nth_array(v, n)),
        _ => None,
    }
}

/// Applies `f` to the `array`-th array of `value` (modulo their number).
fn edit_array(value: &mut Value, array: usize, f: impl FnOnce(&mut Vec<Value>)) {
    let count = count_arrays(value);
    if count == 0 {
        return;
    }
    let mut n = array % count;
    if let Some(items) = nth_array(value, &mut n) {
        f(items);
    }
}

fn rewrite(event: &Event, edit: impl FnOnce(&mut Value)) -> Option<Event> {
    let mut json = serde_json::to_value(event).ok()?;
    edit(&mut json);
    serde_json::from_value(json).ok()
}

fn index(n: u16, len: usize) -> Option<usize> {
    (len > 0).then(|| usize::from(n) % len)
}

fn run(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let members = u.int_in_range(1..=6usize)?;
    let years = u.int_in_range(1..=2u8)?;
    let dice_len = u.int_in_range(0..=MAX_DICE)?;
    let mut dice = Vec::with_capacity(dice_len);
    for _ in 0..dice_len {
        dice.push(u32::from(u.arbitrary::<u8>()?) | (u32::from(u.arbitrary::<u8>()?) << 8));
    }
    let edits_len = u.int_in_range(0..=MAX_EDITS)?;
    let mut edits = Vec::with_capacity(edits_len);
    for _ in 0..edits_len {
        edits.push(Edit::arbitrary(u)?);
    }

    let config = Config {
        years: 1..=2,
        members: 1..=6,
        ..Config::default()
    };
    let generated = generate(&config, members, years, &dice);
    let mut events: Vec<(EventId, Event)> = generated
        .book
        .events()
        .iter()
        .map(|logged| (logged.id.clone(), logged.event.clone()))
        .collect();
    let mut vocabulary = Vec::new();
    for (id, event) in &events {
        vocabulary.push(Value::String(id.to_string()));
        if let Ok(json) = serde_json::to_value(event) {
            scalars(&json, &mut vocabulary);
        }
    }

    // Events before `first_edit` are the generated ones, which apply cleanly.
    let mut first_edit = events.len();
    let mut fresh = 0u32;
    for edit in edits {
        let len = events.len();
        match edit {
            Edit::Drop(i) => {
                if let Some(i) = index(i, len) {
                    events.remove(i);
                    first_edit = first_edit.min(i);
                }
            }
            Edit::Move(i, j) => {
                if let (Some(i), Some(j)) = (index(i, len), index(j, len)) {
                    let event = events.remove(i);
                    events.insert(j, event);
                    first_edit = first_edit.min(i).min(j);
                }
            }
            Edit::Repeat(i, j) | Edit::ReuseId(i, j) => {
                if let (Some(i), Some(j)) = (index(i, len), index(j, len)) {
                    let id = if matches!(edit, Edit::Repeat(..)) {
                        fresh += 1;
                        format!("fuzz-{fresh}").parse().unwrap()
                    } else {
                        events[j].0.clone()
                    };
                    let event = events[i].1.clone();
                    events.insert(j, (id, event));
                    first_edit = first_edit.min(j);
                }
            }
            Edit::Rewrite { event, leaf, value } => {
                let Some(i) = index(event, len) else { continue };
                let value = match value {
                    Scalar::Word(w) => Value::String(WORDS[usize::from(w) % WORDS.len()].into()),
                    Scalar::Borrowed(n) => match index(n, vocabulary.len()) {
                        Some(n) => vocabulary[n].clone(),
                        None => Value::Null,
                    },
                    Scalar::Number(n) => Value::from(n),
                    Scalar::Text(text) => Value::String(text),
                    Scalar::Null => Value::Null,
                    Scalar::Bool(b) => Value::Bool(b),
                };
                let rewritten = rewrite(&events[i].1, |json| {
                    let count = count_scalars(json);
                    if count > 0 {
                        let mut n = usize::from(leaf) % count;
                        if let Some(slot) = nth_scalar(json, &mut n) {
                            *slot = value;
                        }
                    }
                });
                if let Some(rewritten) = rewritten {
                    events[i].1 = rewritten;
                    first_edit = first_edit.min(i);
                }
            }
            Edit::Shrink {
                event,
                array,
                index: k,
            }
            | Edit::Grow {
                event,
                array,
                index: k,
            } => {
                let Some(i) = index(event, len) else { continue };
                let grow = matches!(edit, Edit::Grow { .. });
                let rewritten = rewrite(&events[i].1, |json| {
                    edit_array(json, usize::from(array), |items| {
                        if let Some(k) = index(k, items.len()) {
                            if grow {
                                let item = items[k].clone();
                                items.insert(k, item);
                            } else {
                                items.remove(k);
                            }
                        }
                    })
                });
                if let Some(rewritten) = rewritten {
                    events[i].1 = rewritten;
                    first_edit = first_edit.min(i);
                }
            }
        }
    }

    let mut book = Book::new();
    for (n, (id, event)) in events.into_iter().enumerate() {
        if n < first_edit {
            book.apply(id, event).expect("a generated event applies");
            continue;
        }
        let before = book.clone();
        if let Err(error) = book.apply(id.clone(), event.clone()) {
            assert!(
                book == before,
                "event {n} ({id}) was refused ({error}) but changed the book: {event:?}"
            );
        }
    }
    let violations = landpool::audit::check(&book);
    assert!(violations.is_empty(), "audit: {violations:#?}");
    let replayed = Book::replay(book.events().iter().cloned()).expect("a book's events replay");
    assert!(replayed == book, "replaying the events gives another book");
    // The asset register of every year with entries is made, and each of its rows closes
    // at its opening plus what was added less what was removed.
    let years: std::collections::BTreeSet<i32> = book
        .journal()
        .entries()
        .iter()
        .map(|e| e.date.year())
        .collect();
    for year in years {
        let register = landpool::report::asset_register(&book, year)
            .unwrap_or_else(|e| panic!("asset register {year}: {e}"));
        for row in register.sections.iter().flat_map(|s| &s.rows) {
            let f = &row.figures;
            assert_eq!(
                f.cost_closing.fen(),
                f.cost_opening.fen() + f.cost_added.fen() - f.cost_removed.fen(),
                "{} {year}",
                row.id
            );
            assert_eq!(
                f.depreciation_closing.fen(),
                f.depreciation_opening.fen() + f.depreciation_charged.fen()
                    - f.depreciation_removed.fen(),
                "{} {year}",
                row.id
            );
        }
        // Each land-use right's row closes too, and never holds more amortisation than
        // its cost.
        for row in &register.land_rights.rows {
            let f = &row.figures;
            assert_eq!(
                f.cost_closing.fen(),
                f.cost_opening.fen() + f.cost_added.fen(),
                "{} {year}",
                row.contract
            );
            assert_eq!(
                f.depreciation_closing.fen(),
                f.depreciation_opening.fen() + f.depreciation_charged.fen(),
                "{} {year}",
                row.contract
            );
            assert!(
                f.depreciation_closing <= f.cost_closing,
                "{} {year}",
                row.contract
            );
        }
        // Each standard account's ledger of the year is made, its lines' balances run from
        // its opening to its closing, and the closing is the journal's.
        let (from, to) = (
            time::Date::from_calendar_date(year, time::Month::January, 1)
                .expect("a year with entries"),
            time::Date::from_calendar_date(year, time::Month::December, 31)
                .expect("a year with entries"),
        );
        let standard: Vec<_> = book
            .journal()
            .chart()
            .iter()
            .filter(|account| account.code.level() == 1)
            .map(|account| account.code.clone())
            .collect();
        // The general ledger (总账) has the same months and balances as each standard
        // account's ledger, which makes them from the postings rather than running totals.
        let general = landpool::report::general_ledger(&book, from, to)
            .unwrap_or_else(|e| panic!("general ledger {year}: {e}"));
        assert_eq!(general.debits, general.credits, "{year}");
        for code in standard {
            let ledger = landpool::report::account_ledger(&book, &code, from, to)
                .unwrap_or_else(|e| panic!("ledger of {code} {year}: {e}"));
            let last = ledger
                .lines
                .last()
                .map_or(ledger.opening, |line| line.balance);
            assert_eq!(last, ledger.closing, "{code} {year}");
            assert_eq!(
                Ok(ledger.closing),
                book.journal().balance(&code, to).map_err(|e| e.to_string()),
                "{code} {year}"
            );
            // Without its lines held: the same text.
            let listing = landpool::report::account_ledger_listing(&book, &code, from, to)
                .unwrap_or_else(|e| panic!("ledger listing of {code} {year}: {e}"));
            let mut written = Vec::new();
            listing
                .write_csv(&mut written)
                .expect("written into memory");
            assert!(written == ledger.to_csv().into_bytes(), "{code} {year}");
            match general.account(&code) {
                Some(page) => {
                    assert_eq!(page.months, ledger.months, "{code} {year}");
                    assert_eq!(
                        (page.opening, page.debits, page.credits, page.closing),
                        (
                            ledger.opening,
                            ledger.debits,
                            ledger.credits,
                            ledger.closing
                        ),
                        "{code} {year}"
                    );
                }
                None => assert!(
                    ledger.lines.is_empty() && ledger.opening.is_zero(),
                    "{code} {year}"
                ),
            }
        }
        // The balance sheet on each day of the year with entries balances in both columns,
        // its opening column the sheet of the year before's last day; or it is refused
        // because 181 待处理财产损溢, which has no line, holds a balance on a column's day.
        let days: std::collections::BTreeSet<time::Date> = book
            .journal()
            .entries()
            .iter()
            .map(|e| e.date)
            .filter(|d| d.year() == year)
            .collect();
        let pending = |day: Option<time::Date>| {
            day.is_some_and(|day| {
                book.journal()
                    .balance(
                        &landpool::ledger::AccountCode::new("181").expect("a code"),
                        day,
                    )
                    .map_or(true, |balance| !balance.is_zero())
            })
        };
        let before = from.previous_day();
        let opening = landpool::report::balance_sheet_at(&book, before.unwrap_or(from));
        for day in days {
            match landpool::report::balance_sheet_at(&book, day) {
                Ok(sheet) => {
                    let line = |n: u8| sheet.line(n).map(|l| (l.current, l.previous));
                    assert_eq!(line(22), line(42), "{day}");
                    if let (Some(_), Ok(opening)) = (before, &opening) {
                        let previous: Vec<_> = sheet.lines.iter().map(|l| l.previous).collect();
                        let closed: Vec<_> = opening.lines.iter().map(|l| l.current).collect();
                        assert_eq!(previous, closed, "{day}");
                        // A summary of two days' sheets is refused.
                        assert!(
                            matches!(
                                landpool::report::summary_balance_sheet([&sheet, opening]),
                                Err(landpool::Error::SummaryMismatch { index: 1, .. })
                            ),
                            "{day}"
                        );
                    }
                    // The summary of the sheet twice doubles each line of both columns,
                    // unless a line's double does not fit an amount.
                    let doubled: Option<Vec<(i64, i64)>> = sheet
                        .lines
                        .iter()
                        .map(|l| {
                            Some((
                                l.current.fen().checked_mul(2)?,
                                l.previous.fen().checked_mul(2)?,
                            ))
                        })
                        .collect();
                    match (
                        landpool::report::summary_balance_sheet([&sheet, &sheet]),
                        doubled,
                    ) {
                        (Ok(twice), Some(doubled)) => {
                            let summed: Vec<(i64, i64)> = twice
                                .lines
                                .iter()
                                .map(|l| (l.current.fen(), l.previous.fen()))
                                .collect();
                            assert_eq!(summed, doubled, "{day}");
                        }
                        (Err(landpool::Error::Overflow { .. }), None) => {}
                        (result, _) => panic!("summary of the sheet on {day} twice: {result:?}"),
                    }
                }
                Err(landpool::Error::Pool(landpool::PoolError::NotAllowed { .. }))
                    if pending(Some(day)) || pending(before) => {}
                Err(e) => panic!("balance sheet on {day}: {e}"),
            }
        }
        // The year's journal listing: its debits equal its credits, its CSV has a row for
        // each posting between the header and the total, written as made or whole alike,
        // and its vouchers one to an entry.
        let listing = landpool::report::journal_listing(&book, from, to)
            .unwrap_or_else(|e| panic!("journal listing {year}: {e}"));
        assert_eq!(listing.debits(), listing.credits(), "{year}");
        let csv = listing.to_csv();
        let mut written = Vec::new();
        listing
            .write_csv(&mut written)
            .expect("written into memory");
        assert!(written == csv.as_bytes(), "{year}");
        let rows = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(csv.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .count();
        assert_eq!(rows, listing.postings() + 1, "{year}");
        let vouchers = listing.vouchers_html("合作社 <&>");
        assert_eq!(
            vouchers.matches("<section class=\"voucher\">").count(),
            listing.entries().count(),
            "{year}"
        );
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = run(&mut u);
});
