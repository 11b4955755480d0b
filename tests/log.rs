//! The durable event log: a real book through a file and back, torn tails cut at every byte,
//! flipped bytes, the writer lock, and a writer process killed mid-append.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use landpool::ledger::AccountCode;
use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;
use time::Date;

mod common;
use common::{id, yuan};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Every test here that opens a log holds this. On Unix a `flock` belongs to the open file,
/// and a child process spawned by one test inherits every descriptor open at that instant
/// until it execs; a log another test just dropped would then still look locked to it.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A file in the temp directory, unique to this process and call, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "landpool-log-{}-{n}-{name}.jsonl",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        Scratch(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn household(member: &str, name: &str) -> Event {
    Event::MemberJoined {
        member: Member {
            id: id(member),
            name: name.into(),
            kind: MemberKind::Household { persons: 4 },
            village: "高格庄".into(),
            joined: date!(2019 - 01 - 01),
            left: None,
        },
    }
}

fn parcel(parcel: &str, owner: &str, area: &str) -> Event {
    Event::ParcelRegistered {
        parcel: Parcel {
            id: id(parcel),
            owner: id(owner),
            area: area.parse().unwrap_or_else(|e| panic!("{e}")),
            village: "高格庄".into(),
            land_class: "水浇地".into(),
            registered: date!(2019 - 01 - 01),
            retired: None,
        },
    }
}

fn contract(contract: &str, member: &str, parcel: &str, area: &str) -> Event {
    Event::ContractSigned {
        contract: Box::new(Contract {
            id: id(contract),
            member: id(member),
            lines: vec![ContractLine {
                parcel: id(parcel),
                area: area.parse().unwrap_or_else(|e| panic!("{e}")),
            }],
            start: date!(2019 - 01 - 01),
            end: date!(2028 - 12 - 31),
            kind: ContractKind::Transfer {
                rent: RentTerms::Fixed {
                    yuan_per_mu: dec!(1000),
                },
            },
            pro_rating: ProRating::ActualDays,
            payment: PaymentTerms::InAdvance { month: 3, day: 1 },
            charge_to: AccountCode::new("401").unwrap_or_else(|e| panic!("{e}")),
        }),
    }
}

fn paid(member: &str, date: Date, amount: &str) -> Event {
    Event::RentPaid {
        member: id(member),
        date,
        amount: yuan(amount),
        from: CashAccount::Bank,
    }
}

/// The season of a two-household pool: members join, land is registered and contracted,
/// capital comes in, a grain price is recorded, the year's rent accrues and is paid.
fn season() -> Vec<(EventId, Event)> {
    let events = vec![
        household("M001", "王建国"),
        household("M002", "李秀英"),
        parcel("P001", "M001", "1.35"),
        parcel("P002", "M002", "2.10"),
        contract("C001", "M001", "P001", "1.35"),
        contract("C002", "M002", "P002", "2.10"),
        Event::CapitalContributed {
            member: id("M001"),
            date: date!(2019 - 01 - 15),
            amount: yuan("500"),
            into: CashAccount::Bank,
            source: landpool::CapitalSource::Other,
            premium: Yuan::ZERO,
        },
        Event::GrainPriceRecorded {
            crop: "小麦".into(),
            unit: GrainUnit::Jin,
            date: date!(2019 - 06 - 01),
            price: dec!(1.15),
        },
        Event::RentAccrued {
            from: date!(2019 - 01 - 01),
            to: date!(2019 - 12 - 31),
            contracts: Accrue::All,
            date: date!(2019 - 12 - 31),
        },
        paid("M001", date!(2020 - 01 - 10), "1350"),
        paid("M002", date!(2020 - 01 - 10), "2100"),
    ];
    events
        .into_iter()
        .enumerate()
        .map(|(i, event)| (id(&format!("ev-{i:03}")), event))
        .collect()
}

/// The season applied to a plain book, and the book after each prefix of it.
fn books(events: &[(EventId, Event)]) -> Result<Vec<Book>, Error> {
    let mut book = Book::new();
    let mut out = vec![book.clone()];
    for (id, event) in events {
        book.apply(id.clone(), event.clone())?;
        out.push(book.clone());
    }
    Ok(out)
}

/// Writes the season through an `EventLog` at `path` and returns the file's bytes.
fn write_season(path: &Path, events: &[(EventId, Event)]) -> Result<Vec<u8>, Error> {
    let mut log = EventLog::create(path)?;
    let mut book = Book::new();
    for (seq, (id, event)) in (0u64..).zip(events) {
        let applied = log.append(&mut book, seq, id.clone(), event.clone())?;
        assert!(matches!(applied, Applied::Recorded { seq: s, .. } if s == seq));
    }
    drop(log);
    std::fs::read(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        operation: "reading",
        kind: e.kind(),
        message: e.to_string(),
    })
}

/// Where each line starts, plus the end.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, &byte)| byte == b'\n')
            .map(|(i, _)| i + 1),
    );
    starts
}

#[test]
fn a_season_goes_through_the_file_and_back() -> TestResult {
    let _serial = serial();
    let scratch = Scratch::new("season");
    let events = season();
    let expected = books(&events)?;
    let full = expected.last().ok_or("no book")?;

    let bytes = write_season(scratch.path(), &events)?;
    let text = std::str::from_utf8(&bytes)?;
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), events.len());
    for (line, logged) in lines.iter().zip(full.events()) {
        assert_eq!(*line, serde_json::to_string(logged)?);
        assert_eq!(serde_json::from_str::<LoggedEvent>(line)?, *logged);
    }

    let (log, book, opened) = EventLog::open(scratch.path())?;
    assert_eq!(&book, full);
    assert_eq!(book.digest(), full.digest());
    assert_eq!(opened.events, events.len() as u64);
    assert_eq!(opened.bytes, bytes.len() as u64);
    assert_eq!((opened.dropped_bytes, opened.dropped_reason), (0, None));
    assert_eq!(log.next_seq(), events.len() as u64);
    assert_eq!(
        book.member_account(&id("M002"), date!(2020 - 01 - 10))?
            .current,
        yuan("0")
    );
    Ok(())
}

#[test]
fn appends_refused_or_repeated_write_nothing() -> TestResult {
    let _serial = serial();
    let scratch = Scratch::new("refused");
    let events = season();
    let mut log = EventLog::create(scratch.path())?;
    let mut book = Book::new();
    for (seq, (id, event)) in (0u64..).zip(&events[..5]) {
        log.append(&mut book, seq, id.clone(), event.clone())?;
    }
    // The file byte for byte, not only its length: a refused append writes nothing anywhere.
    let contents = || std::fs::read(scratch.path());
    let before = (book.clone(), contents()?);

    // A stale writer: the error names both numbers.
    let (next_id, next_event) = &events[5];
    let stale = log.append(&mut book, 3, next_id.clone(), next_event.clone());
    let Err(Error::Log(LogError::SequenceMismatch { expected, next })) = &stale else {
        panic!("{stale:?}");
    };
    assert_eq!((*expected, *next), (3, 5));
    let message = stale
        .map(|_| ())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains('3') && message.contains('5'), "{message}");

    // An event the book refuses.
    let unknown = log.append(
        &mut book,
        5,
        id("ev-x"),
        paid("M404", date!(2019 - 03 - 01), "1"),
    );
    assert!(matches!(
        unknown,
        Err(Error::Pool(PoolError::UnknownMember { .. }))
    ));

    // Retries of an event already in the log, with the old or the current number.
    let (first_id, first_event) = &events[0];
    for expected in [0, 5] {
        let retry = log.append(&mut book, expected, first_id.clone(), first_event.clone())?;
        assert_eq!(retry, Applied::AlreadyApplied { seq: 0 });
    }
    // The same id for another event.
    let conflict = log.append(&mut book, 0, first_id.clone(), next_event.clone());
    assert!(matches!(
        conflict,
        Err(Error::Pool(PoolError::EventConflict { .. }))
    ));

    // A book that is not the log's.
    let mut other = Book::new();
    let foreign = log.append(&mut other, 0, next_id.clone(), next_event.clone());
    assert!(matches!(
        foreign,
        Err(Error::Log(LogError::BookMismatch {
            log_events: 5,
            book_events: 0,
            ..
        }))
    ));
    assert!(other.events().is_empty());

    assert_eq!((book.clone(), contents()?), before);
    drop(log);
    let (_log, reopened, _) = EventLog::open(scratch.path())?;
    assert_eq!(reopened, book);
    Ok(())
}

#[test]
fn create_refuses_a_file_with_content() -> TestResult {
    let _serial = serial();
    let scratch = Scratch::new("exists");
    std::fs::write(scratch.path(), "x")?;
    assert!(matches!(
        EventLog::create(scratch.path()),
        Err(Error::Log(LogError::Exists { bytes: 1, .. }))
    ));
    assert_eq!(std::fs::read(scratch.path())?, b"x");
    std::fs::write(scratch.path(), "")?;
    let log = EventLog::create(scratch.path())?;
    assert_eq!(log.path(), scratch.path());
    let missing = Scratch::new("missing");
    assert!(matches!(
        EventLog::open(missing.path()),
        Err(Error::Io {
            kind: std::io::ErrorKind::NotFound,
            operation: "opening",
            ..
        })
    ));
    Ok(())
}

#[test]
fn one_writer_at_a_time_until_it_is_dropped() -> TestResult {
    let _serial = serial();
    let scratch = Scratch::new("lock");
    let events = season();
    write_season(scratch.path(), &events[..2])?;
    let (mut log, mut book, _) = EventLog::open(scratch.path())?;
    for _ in 0..2 {
        assert!(matches!(
            EventLog::open(scratch.path()),
            Err(Error::Log(LogError::Locked { .. }))
        ));
        assert!(matches!(
            EventLog::create(scratch.path()),
            Err(Error::Log(LogError::Locked { .. }))
        ));
    }
    let (id, event) = &events[2];
    log.append(&mut book, 2, id.clone(), event.clone())?;
    drop(log);
    let (_log, reopened, opened) = EventLog::open(scratch.path())?;
    assert_eq!(reopened, book);
    assert_eq!(opened.events, 3);
    Ok(())
}

#[test]
fn a_cut_inside_the_last_event_loses_only_that_event() -> TestResult {
    let _serial = serial();
    let scratch = Scratch::new("cut");
    let events = season();
    let expected = books(&events)?;
    let bytes = write_season(scratch.path(), &events)?;
    let starts = line_starts(&bytes);
    let last = starts[events.len() - 1];
    let (last_id, last_event) = &events[events.len() - 1];
    for cut in last..bytes.len() {
        std::fs::write(scratch.path(), &bytes[..cut])?;
        let (mut log, mut book, opened) = EventLog::open(scratch.path())?;
        assert_eq!(book, expected[events.len() - 1], "cut at {cut}");
        assert_eq!(opened.events, events.len() as u64 - 1);
        assert_eq!(opened.dropped_bytes, (cut - last) as u64, "cut at {cut}");
        assert_eq!(opened.dropped_reason.is_some(), cut > last);
        assert_eq!(std::fs::metadata(scratch.path())?.len(), last as u64);
        // The writer carries on where the last whole event ended.
        let seq = log.next_seq();
        log.append(&mut book, seq, last_id.clone(), last_event.clone())?;
        drop(log);
        assert_eq!(std::fs::read(scratch.path())?, bytes, "cut at {cut}");
    }
    Ok(())
}

#[test]
fn a_flipped_byte_is_reported_never_cut_or_passed_off() -> TestResult {
    let _serial = serial();
    let scratch = Scratch::new("flip");
    // The first five events of the season: a short log keeps this fast.
    let season = season();
    let events = &season[..5];
    let expected = books(events)?;
    let full = &expected[events.len()];
    let before_last = &expected[events.len() - 1];
    let bytes = write_season(scratch.path(), events)?;
    let starts = line_starts(&bytes);
    let last = starts[events.len() - 1];
    let masks = [0x01u8, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80];
    let mut outcomes = [0usize; 3];
    for offset in 0..bytes.len() {
        let line = starts.iter().filter(|&&start| start <= offset).count() as u64;
        let mask = masks[offset % masks.len()];
        let mut damaged = bytes.clone();
        damaged[offset] ^= mask;
        std::fs::write(scratch.path(), &damaged)?;
        let what = format!("offset {offset} (line {line}) ^ {mask:#04x}");
        match EventLog::open(scratch.path()) {
            Err(Error::Log(LogError::BadLine { line: named, .. })) => {
                assert_eq!(named, line, "{what}");
                // Nothing was cut.
                assert_eq!(std::fs::read(scratch.path())?, damaged, "{what}");
                outcomes[0] += 1;
            }
            Err(other) => panic!("{what}: unexpected error {other}"),
            Ok((_, book, opened)) if opened.dropped_bytes == 0 => {
                assert_eq!(&book, full, "{what}");
                outcomes[1] += 1;
            }
            Ok((_, book, opened)) => {
                assert!(offset >= last, "{what}: cut, but not in the last line");
                assert_eq!(&book, before_last, "{what}");
                assert_eq!(opened.dropped_bytes, (bytes.len() - last) as u64, "{what}");
                outcomes[2] += 1;
            }
        }
    }
    // Every flip is an error naming its line, the last line's too: a crash leaves a part of
    // a line, never a changed byte, so nothing is cut (the last event was acknowledged).
    assert_eq!(outcomes, [bytes.len(), 0, 0]);
    Ok(())
}

/// A line with a field its event does not have, or with a field given twice, is refused
/// (an extra field is not covered by the digest, which is over what the event reads as:
/// ignoring it would pass a changed line off), and on the last line it is damage, not a torn
/// append: nothing is cut.
#[test]
fn a_line_with_an_unknown_or_repeated_field_is_refused_never_cut() -> TestResult {
    let _serial = serial();
    let scratch = Scratch::new("fields");
    let season = season();
    // Through the capital contribution (the seventh line) and the grain price after it.
    let events = &season[..8];
    let bytes = write_season(scratch.path(), events)?;
    let text = std::str::from_utf8(&bytes)?;
    let into = r#""into":"bank"}"#;
    let price = r#""price":"1.15"}"#;
    let cases = [
        (
            text.replacen(into, r#""into":"bank","premum":"10.00"}"#, 1),
            7,
            "column 137: unknown field `premum`, expected one of `member`, `date`, `amount`, `into`, `source`, `premium`",
        ),
        (
            text.replacen(into, r#""into":"bank","amount":"9999.00"}"#, 1),
            7,
            "column 137: duplicate field `amount`",
        ),
        (
            text.replacen(price, r#""price":"1.15","price":"11.50"}"#, 1),
            8,
            "column 133: duplicate field `price`",
        ),
        (
            text.replacen(r#""seq":7,"#, r#""seq":7,"note":"x","#, 1),
            8,
            "column 15: unknown field `note`, expected one of `seq`, `id`, `event`, `digest`",
        ),
    ];
    for (changed, line, reason) in cases {
        assert_ne!(changed, text);
        std::fs::write(scratch.path(), &changed)?;
        match EventLog::open(scratch.path()) {
            Err(Error::Log(LogError::BadLine {
                line: named,
                reason: said,
                ..
            })) => {
                assert_eq!((named, said.as_str()), (line, reason), "{changed}");
            }
            Err(other) => panic!("{changed}: unexpected error {other}"),
            Ok((_, _, opened)) => panic!("{changed}: opened as {opened:?}"),
        }
        // Nothing was cut.
        assert_eq!(std::fs::read_to_string(scratch.path())?, changed);
    }
    Ok(())
}

/// The events the writer process appends, in order: a member joins, then prices and
/// payments alternate (each valid after the ones before, for as long as the loop runs).
fn writer_event(i: u32) -> (EventId, Event) {
    let event = match i {
        0 => household("W001", "张伟"),
        _ if i % 2 == 1 => Event::GrainPriceRecorded {
            crop: "玉米".into(),
            unit: GrainUnit::Kg,
            date: date!(2019 - 01 - 01) + time::Duration::days(i64::from(i)),
            price: dec!(2.40),
        },
        _ => paid("W001", date!(2019 - 03 - 01), "1.25"),
    };
    (id(&format!("w-{i:05}")), event)
}

/// At most this many appends, so that a writer nobody kills still stops.
const WRITER_LIMIT: u32 = 20_000;
const WRITER_ENV: &str = "LANDPOOL_LOG_TEST_WRITER";

/// Run by `a_killed_writer_leaves_a_prefix_of_its_appends` as a child process: appends
/// `writer_event`s to the log named by the environment variable until killed.
#[test]
#[ignore = "a child process of a_killed_writer_leaves_a_prefix_of_its_appends"]
fn writer_process() -> TestResult {
    let Some(path) = std::env::var_os(WRITER_ENV) else {
        return Ok(());
    };
    let mut log = EventLog::create(&path)?;
    let mut book = Book::new();
    let started = Instant::now();
    for i in 0..WRITER_LIMIT {
        if started.elapsed() > Duration::from_secs(10) {
            break;
        }
        let (id, event) = writer_event(i);
        log.append(&mut book, u64::from(i), id, event)?;
    }
    Ok(())
}

#[test]
fn a_killed_writer_leaves_a_prefix_of_its_appends() -> TestResult {
    let _serial = serial();
    let scratch = Scratch::new("killed");
    let mut child = Command::new(std::env::current_exe()?)
        .args(["writer_process", "--exact", "--ignored", "--nocapture"])
        .env(WRITER_ENV, scratch.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Wait (boundedly) until the writer has appended something, then let it run a little.
    let started = Instant::now();
    while std::fs::metadata(scratch.path()).map_or(0, |m| m.len()) == 0
        && started.elapsed() < Duration::from_secs(5)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    // While it runs, nobody else may write.
    let locked = EventLog::open(scratch.path());
    std::thread::sleep(Duration::from_millis(150));
    child.kill()?;
    child.wait()?;
    assert!(
        matches!(locked, Err(Error::Log(LogError::Locked { .. }))),
        "{locked:?}"
    );

    let (_log, book, opened) = EventLog::open(scratch.path())?;
    let applied = book.events();
    assert!(!applied.is_empty(), "the writer appended nothing");
    assert!(
        applied.len() < WRITER_LIMIT as usize,
        "the writer was not killed"
    );
    for (i, logged) in (0u32..).zip(applied) {
        let (id, event) = writer_event(i);
        assert_eq!(
            (logged.seq, &logged.id, &logged.event),
            (u64::from(i), &id, &event)
        );
    }
    assert_eq!(opened.events, applied.len() as u64);
    eprintln!(
        "killed writer: {} events kept, {} bytes of a torn append dropped",
        opened.events, opened.dropped_bytes
    );
    Ok(())
}

/// An asset's events (put into use, a month's units of work, its depreciation, taken out of
/// use) go through the file and back, by the reader that keeps the events and by the one
/// that leaves them in the log, to the same book.
#[test]
fn asset_events_go_through_the_file_and_back() -> TestResult {
    let _serial = serial();
    let scratch = Scratch::new("assets");
    let tractor = Asset {
        id: id("T01"),
        name: "拖拉机".into(),
        kind: AssetKind::Fixed,
        in_use: date!(2019 - 03 - 05),
        cost: yuan("80000"),
        residual: yuan("8000"),
        depreciation: DepreciationMethod::UnitsOfWork {
            total_units: dec!(10000),
        },
        greenhouse: None,
    };
    let events: Vec<(EventId, Event)> = vec![
        Event::AssetAcquired {
            asset: tractor,
            paid_from: CostPayment::Bank,
        },
        Event::AssetWorkRecorded {
            asset: id("T01"),
            year: 2019,
            month: 4,
            units: dec!(120.5),
        },
        Event::DepreciationBooked {
            year: 2019,
            month: 4,
        },
        Event::AssetRetired {
            asset: id("T01"),
            date: date!(2019 - 05 - 20),
            proceeds: yuan("70000"),
            into: CashAccount::Cash,
        },
    ]
    .into_iter()
    .enumerate()
    .map(|(i, event)| (id(&format!("as-{i}")), event))
    .collect();
    let expected = books(&events)?;
    let full = expected.last().ok_or("no book")?;
    write_season(scratch.path(), &events)?;
    let (book, _) = EventLog::read(scratch.path())?;
    assert_eq!(&book, full);
    let (lean, _) = EventLog::read_leaving_events(scratch.path())?;
    assert_eq!(lean.digest(), full.digest());
    let record = lean.asset(&id("T01")).ok_or("no tractor")?;
    // April: 72,000 × 120.5 / 10,000; May by the retirement: no hours, nothing more; a
    // loss of 79,132.40 less 70,000.00.
    assert_eq!(record.depreciated, yuan("867.60"));
    assert_eq!(record.retired, Some(date!(2019 - 05 - 20)));
    assert_eq!(
        lean.journal().closing_balance(&AccountCode::new("529")?)?,
        yuan("9132.40")
    );
    Ok(())
}
