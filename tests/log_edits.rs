//! A log edited in the middle is refused naming the line and what it should have held.

use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A book in which household M001 joined on 2019-01-01.
fn joined() -> Result<Book, Box<dyn std::error::Error>> {
    let mut book = Book::new();
    book.apply(
        "join".parse()?,
        Event::MemberJoined {
            member: Member {
                id: "M001".parse()?,
                name: "王建国".into(),
                kind: MemberKind::Household { persons: 4 },
                village: "高格庄".into(),
                joined: date!(2019 - 01 - 01),
                left: None,
            },
        },
    )?;
    Ok(book)
}

/// A member joins, three grain prices, a rent payment to the member, one more price: the
/// log's lines.
fn lines() -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut book = joined()?;
    for day in 1..=3u8 {
        book.apply(
            format!("p{day}").parse()?,
            Event::GrainPriceRecorded {
                crop: "wheat".into(),
                unit: GrainUnit::Jin,
                date: date!(2019 - 01 - 01).replace_day(day)?,
                price: dec!(1.15),
            },
        )?;
    }
    book.apply(
        "pay".parse()?,
        Event::RentPaid {
            member: "M001".parse()?,
            date: date!(2019 - 03 - 01),
            amount: "10.50".parse()?,
            from: CashAccount::Bank,
        },
    )?;
    Ok(book
        .events()
        .iter()
        .map(|logged| serde_json::to_string(logged).map(|line| line + "\n"))
        .collect::<Result<_, _>>()?)
}

/// What reading `lines` as a log file says, and what replaying them says.
fn refused(
    name: &str,
    lines: &[String],
) -> Result<(u64, String, String), Box<dyn std::error::Error>> {
    let path = std::env::temp_dir().join(format!(
        "landpool-edits-{}-{name}.jsonl",
        std::process::id()
    ));
    std::fs::write(&path, lines.concat())?;
    let read = EventLog::read(&path);
    std::fs::remove_file(&path)?;
    let Err(Error::Log(LogError::BadLine { line, reason, .. })) = read else {
        return Err(format!("{name}: read {:?}", read.map(|(_, read)| read)).into());
    };
    let events: Vec<LoggedEvent> = lines
        .iter()
        .map(|line| serde_json::from_str(line))
        .collect::<Result<_, _>>()?;
    let replayed = Book::replay(events)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    Ok((line, reason, replayed))
}

/// The digest line `at` records, and the one its event gives after the line before.
fn digests(lines: &[String], at: usize) -> Result<(String, String), Box<dyn std::error::Error>> {
    let logged: LoggedEvent = serde_json::from_str(&lines[at])?;
    let previous = match at.checked_sub(1) {
        Some(before) => serde_json::from_str::<LoggedEvent>(&lines[before])?.digest,
        None => ledger::Digest::ZERO,
    };
    Ok((
        logged.digest.to_string(),
        logged.recompute_digest(&previous)?.to_string(),
    ))
}

#[test]
fn an_edited_event_is_a_broken_chain_not_whatever_the_book_makes_of_it() -> TestResult {
    let good = lines()?;
    // Another member (unknown to the book), an earlier event's id, another amount.
    // The error names the event by the id its line holds.
    for (from, to, id) in [
        ("M001", "M404", "pay"),
        (r#""id":"pay""#, r#""id":"p1""#, "p1"),
        ("10.50", "10.51", "pay"),
    ] {
        let mut edited = good.clone();
        edited[4] = edited[4].replace(from, to);
        let (recorded, gives) = digests(&edited, 4)?;
        let expected = format!(
            "event log broken at event 4: event {id} records digest {recorded} but its content, chained to the event before, gives {gives}"
        );
        assert_eq!(
            refused(to, &edited)?,
            (5, expected.clone(), expected),
            "{from} -> {to}"
        );
    }
    Ok(())
}

#[test]
fn lines_removed_swapped_or_repeated_are_refused_naming_the_line() -> TestResult {
    let good = lines()?;
    let mut removed = good.clone();
    removed.remove(2);
    let mut swapped = good.clone();
    swapped.swap(2, 3);
    let mut repeated = good.clone();
    repeated.insert(3, good[2].clone());
    for (name, edited, line, reason) in [
        (
            "removed",
            removed,
            3,
            "event log broken at event 3: event p3 has sequence number 3 where 2 was expected",
        ),
        (
            "swapped",
            swapped,
            3,
            "event log broken at event 3: event p3 has sequence number 3 where 2 was expected",
        ),
        (
            "repeated",
            repeated,
            4,
            "event log broken at event 2: event p2 has sequence number 2 where 3 was expected",
        ),
    ] {
        assert_eq!(
            refused(name, &edited)?,
            (line, reason.to_string(), reason.to_string()),
            "{name}"
        );
    }
    Ok(())
}

/// A member joins and works 5,000 days of administration in one timesheet (large enough for
/// its digest to be computed on a second thread while it is planned): the book's events.
fn large_timesheet() -> Result<Vec<LoggedEvent>, Box<dyn std::error::Error>> {
    let mut book = joined()?;
    let record = WorkRecord {
        worker: Worker::Member("M001".parse()?),
        date: date!(2019 - 06 - 30),
        task: Task::Administration,
        pay: Pay::Days {
            days: dec!(1),
            rate: dec!(120),
        },
        kind: WorkKind::Temporary,
    };
    book.apply(
        "sheet".parse()?,
        Event::WorkRecorded {
            date: date!(2019 - 06 - 30),
            records: vec![record; 5000],
        },
    )?;
    Ok(book.events().to_vec())
}

#[test]
fn a_large_timesheet_edited_is_a_broken_chain_and_one_rechained_is_refused_by_the_book(
) -> TestResult {
    let good = large_timesheet()?;
    let copy = Book::replay(good.clone())?;
    assert_eq!(copy.digest(), good[1].digest);
    // 5,000 days at 120 yuan, owed to the member in 213 应付劳务费.
    let owed = copy
        .journal()
        .balance(&"213.M001".parse()?, date!(2019 - 12 - 31))?;
    assert_eq!(owed.to_string(), "-600000.00");
    // The last record's worker becomes a member the book does not know.
    let mut edited = good.clone();
    if let Event::WorkRecorded { records, .. } = &mut edited[1].event {
        if let Some(last) = records.last_mut() {
            last.worker = Worker::Member("M404".parse()?);
        }
    }
    let gives = edited[1].recompute_digest(&edited[0].digest)?;
    assert_eq!(
        Book::replay(edited.clone()).err().map(|e| e.to_string()),
        Some(format!(
            "event log broken at event 1: event sheet records digest {} but its content, chained to the event before, gives {gives}",
            good[1].digest
        ))
    );
    // Chained again, the edit is the book's to refuse: an unknown member, in the last of
    // the timesheet's 5,000 records.
    edited[1].digest = gives;
    let refused = Book::replay(edited).err();
    assert_eq!(
        refused.as_ref().map(|e| e.to_string()).as_deref(),
        Some("timesheet sheet, record 5000 (counting from 1): no member M404 in the register")
    );
    assert_eq!(
        refused,
        Some(Error::Pool(PoolError::WorkRecordRefused {
            timesheet: "sheet".parse()?,
            record: 5000,
            error: Box::new(
                PoolError::UnknownMember {
                    member: "M404".parse()?
                }
                .into()
            ),
        }))
    );
    Ok(())
}
