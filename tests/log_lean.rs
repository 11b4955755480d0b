//! A book that leaves its events in its log (`EventLog::read_leaving_events`,
//! `EventLog::open_leaving_events`): the reference cooperative's year through a file and
//! back gives the same book, statements and digest as the book that keeps its events;
//! appends, retries and conflicts go through such a book as through any; and what needs the
//! events themselves refuses it and writes nothing.

use landpool::folder::{self, BookFolder};
use landpool::*;

mod common;
use common::TempDir;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The reference cooperative's book and its folder.
fn reference() -> Result<(BookFolder, Book), Error> {
    let folder = BookFolder::reference()?;
    let book = folder.run()?;
    Ok((folder, book))
}

#[test]
fn a_log_read_leaving_its_events_reports_as_the_book_that_keeps_them() -> TestResult {
    let dir = TempDir::new("lean-read");
    let (folder, book) = reference()?;
    let path = dir.join("events.jsonl");
    drop(EventLog::create_from(&path, &book)?);

    let (kept, kept_read) = EventLog::read(&path)?;
    let (lean, lean_read) = EventLog::read_leaving_events(&path)?;
    assert_eq!(kept, book);
    assert_eq!(lean, book);
    assert_eq!(lean_read, kept_read);
    let count = u64::try_from(book.events().len())?;
    assert!(count > 50, "the reference year has {count} events");
    assert_eq!((lean_read.events, lean.event_count()), (count, count));
    assert!(lean.events().is_empty() && !lean.keeps_events());
    assert_eq!(lean.digest(), book.digest());
    assert_eq!(lean.journal(), book.journal());
    let statements = folder::statements(&book, folder.settings())?;
    assert_eq!(folder::statements(&lean, folder.settings())?, statements);
    assert!(statements.iter().any(|o| o.name == "balance_sheet.csv"));
    Ok(())
}

#[test]
fn appends_retries_and_conflicts_go_through_a_lean_book_as_through_any() -> TestResult {
    let dir = TempDir::new("lean-append");
    let (_, book) = reference()?;
    let events = book.events();
    let half = events.len() / 2;
    let first = Book::replay(events[..half].iter().cloned())?;
    let path = dir.join("events.jsonl");
    drop(EventLog::create_from(&path, &first)?);

    let (mut log, mut lean, opened) = EventLog::open_leaving_events(&path)?;
    assert_eq!(opened.events, u64::try_from(half)?);
    assert_eq!(lean, first);
    for (n, logged) in events[half..].iter().enumerate() {
        let applied = log.append(
            &mut lean,
            logged.seq,
            logged.id.clone(),
            logged.event.clone(),
        )?;
        assert!(
            matches!(&applied, Applied::Recorded { seq, digest, .. } if (*seq, *digest) == (logged.seq, logged.digest)),
            "{applied:?}"
        );
        if n % 7 == 0 {
            // A retry of an earlier event, under the current number and under its own.
            let earlier = &events[n];
            for expected in [logged.seq + 1, earlier.seq] {
                let retry = log.append(
                    &mut lean,
                    expected,
                    earlier.id.clone(),
                    earlier.event.clone(),
                )?;
                assert_eq!(retry, Applied::AlreadyApplied { seq: earlier.seq });
            }
            // Its id for another event: refused, the book unchanged.
            let before = lean.clone();
            let conflict = log.append(
                &mut lean,
                logged.seq + 1,
                earlier.id.clone(),
                logged.event.clone(),
            );
            assert!(
                matches!(&conflict, Err(Error::Pool(PoolError::EventConflict { event })) if *event == earlier.id),
                "{conflict:?}"
            );
            assert_eq!(lean, before);
        }
    }
    assert!(lean.events().is_empty());
    assert_eq!(lean, book);
    assert_eq!(log.next_seq(), u64::try_from(events.len())?);
    drop(log);

    // The file is the one the book that kept its events writes, byte for byte.
    let whole = dir.join("whole.jsonl");
    drop(EventLog::create_from(&whole, &book)?);
    assert!(std::fs::read(&path)? == std::fs::read(&whole)?);
    let (_log, reopened, _) = EventLog::open(&path)?;
    assert_eq!(reopened.events(), book.events());
    Ok(())
}

#[test]
fn what_needs_the_events_refuses_a_lean_book_and_writes_nothing() -> TestResult {
    let dir = TempDir::new("lean-refused");
    let (folder, book) = reference()?;
    let count = u64::try_from(book.events().len())?;
    let mut lean = book.clone();
    lean.leave_events();

    let path = dir.join("copy.jsonl");
    match EventLog::create_from(&path, &lean) {
        Err(Error::Log(LogError::EventsLeft { events, needed })) => {
            assert_eq!((events, needed), (count, "EventLog::create_from"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!path.exists());

    match folder::outputs(&lean, folder.settings()) {
        Err(Error::Log(LogError::EventsLeft { events, needed })) => {
            assert_eq!(events, count);
            assert!(needed.contains("events.jsonl"), "{needed}");
        }
        other => panic!("{other:?}"),
    }
    // Written into a folder as they are made: refused before anything is written.
    let out = dir.join("out");
    match folder::write_all_outputs(&lean, folder.settings(), &out) {
        Err(Error::Log(LogError::EventsLeft { events, needed })) => {
            assert_eq!(
                (events, needed),
                (count, "folder::write_all_outputs (events.jsonl)")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!out.exists());

    // The audit checks the journal and says the rest could not be checked.
    assert!(audit::check(&book).is_empty());
    let found = audit::check(&lean);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, audit::Rule::Replay);
    assert_eq!(found[0].entities, ["book"]);
    assert_eq!(
        found[0].amounts,
        [("events".to_string(), count.to_string())]
    );
    Ok(())
}

/// A retry is the event the log holds, to the decimal place, whether the book keeps its
/// events or left them: a grain price first written `1.15` and sent again as `1.15` is a
/// retry, as `1.150` (the same value) another event; the same for a timesheet with one
/// record's days written with one more place. Neither refusal changes either book.
#[test]
fn a_retry_is_the_same_event_to_the_decimal_place_kept_or_left() -> TestResult {
    let (_, book) = reference()?;
    let timesheet = book
        .events()
        .iter()
        .find(|logged| matches!(logged.event, Event::WorkRecorded { .. }))
        .ok_or("the reference year books work")?
        .clone();
    let Event::WorkRecorded { date, records } = &timesheet.event else {
        return Err("not a timesheet".into());
    };
    let mut rescaled = records.clone();
    let first = rescaled.first_mut().ok_or("an empty timesheet")?;
    first.pay = match first.pay {
        Pay::Days { days, rate } => {
            let mut days = days;
            days.rescale(days.scale() + 1);
            Pay::Days { days, rate }
        }
        Pay::Hours { hours, rate } => {
            let mut hours = hours;
            hours.rescale(hours.scale() + 1);
            Pay::Hours { hours, rate }
        }
        Pay::Pieces { pieces, rate } => {
            let mut pieces = pieces;
            pieces.rescale(pieces.scale() + 1);
            Pay::Pieces { pieces, rate }
        }
    };
    let rescaled = Event::WorkRecorded {
        date: *date,
        records: rescaled,
    };
    // Equal in value, not in what was written.
    assert_eq!(rescaled, timesheet.event);

    let price = |price| Event::GrainPriceRecorded {
        crop: "玉米".into(),
        unit: GrainUnit::Jin,
        date: time::macros::date!(2019 - 12 - 30),
        price,
    };
    let mut kept = book.clone();
    kept.apply(
        "price-retry".parse()?,
        price(rust_decimal_macros::dec!(1.15)),
    )?;
    let mut lean = kept.clone();
    lean.leave_events();
    let seq = kept.event_count() - 1;
    for book in [&mut kept, &mut lean] {
        let before = book.clone();
        assert_eq!(
            book.apply(
                "price-retry".parse()?,
                price(rust_decimal_macros::dec!(1.15))
            )?,
            Applied::AlreadyApplied { seq }
        );
        assert_eq!(
            book.apply(timesheet.id.clone(), timesheet.event.clone())?,
            Applied::AlreadyApplied { seq: timesheet.seq }
        );
        for (id, event) in [
            (
                "price-retry".parse::<EventId>()?,
                price(rust_decimal_macros::dec!(1.150)),
            ),
            (timesheet.id.clone(), rescaled.clone()),
        ] {
            match book.apply(id.clone(), event) {
                Err(Error::Pool(PoolError::EventConflict { event })) => assert_eq!(event, id),
                other => panic!("{id}: {other:?}"),
            }
        }
        assert_eq!(*book, before);
        assert_eq!(book.digest(), before.digest());
    }
    Ok(())
}

#[test]
fn a_year_of_timesheets_read_leaving_its_events_is_the_year_kept() -> TestResult {
    // Many timesheets: a book that leaves its events hands each one's emptied list of
    // records back to the log's reader, which reads a later timesheet into it.
    let dir = TempDir::new("lean-timesheets");
    let scale = synthetic::Scale {
        households: 300,
        parcels_per_household: 2,
        work_records: 300 * 40,
    };
    let mut book = Book::new();
    for (id, event) in synthetic::events(scale, 7)? {
        book.apply(id, event)?;
    }
    let timesheets = book
        .events()
        .iter()
        .filter(|logged| matches!(logged.event, Event::WorkRecorded { .. }))
        .count();
    assert!(timesheets >= 12, "{timesheets} timesheets");
    let path = dir.join("events.jsonl");
    drop(EventLog::create_from(&path, &book)?);

    let (lean, read) = EventLog::read_leaving_events(&path)?;
    assert_eq!(read.events, book.event_count());
    assert_eq!(lean, book);
    assert_eq!(lean.digest(), book.digest());
    assert_eq!(lean.journal(), book.journal());
    let (kept, _) = EventLog::read(&path)?;
    assert_eq!(kept, book);
    assert_eq!(kept.events(), book.events());
    Ok(())
}
