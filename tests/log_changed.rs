//! Appending to a log whose file someone else changed since it was opened.

use std::io::Write;
use std::path::{Path, PathBuf};

use landpool::*;
use rust_decimal_macros::dec;
use time::macros::date;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn price(day: time::Date) -> Event {
    Event::GrainPriceRecorded {
        crop: "wheat".into(),
        unit: GrainUnit::Jin,
        date: day,
        price: dec!(1.15),
    }
}

/// A log of three grain prices at a fresh path, with its bytes.
fn three_prices(name: &str) -> Result<(PathBuf, Vec<u8>), Box<dyn std::error::Error>> {
    let path = std::env::temp_dir().join(format!(
        "landpool-changed-{}-{name}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    let mut log = EventLog::create(&path)?;
    let mut book = Book::new();
    for (seq, day) in [
        date!(2019 - 01 - 01),
        date!(2019 - 01 - 02),
        date!(2019 - 01 - 03),
    ]
    .into_iter()
    .enumerate()
    {
        log.append(
            &mut book,
            seq as u64,
            format!("p{seq}").parse()?,
            price(day),
        )?;
    }
    drop(log);
    let bytes = std::fs::read(&path)?;
    Ok((path, bytes))
}

/// Opens the log at `path`, lets `change` change the file, and appends: the append must be
/// refused with the book as it was and the file (if any) left as the change left it.
fn append_after(
    path: &Path,
    change: impl FnOnce(&Path) -> std::io::Result<()>,
    reason: &str,
) -> TestResult {
    let (mut log, mut book, _) = EventLog::open(path)?;
    let before = book.clone();
    change(path)?;
    let changed = std::fs::read(path).ok();
    let appended = log.append(&mut book, 3, "late".parse()?, price(date!(2019 - 01 - 04)));
    match appended {
        Err(Error::Log(LogError::FileChanged { reason: why, .. })) => {
            assert!(why.contains(reason), "{why}");
        }
        other => panic!("an append to a changed file must be refused: {other:?}"),
    }
    assert_eq!(book, before);
    assert_eq!(std::fs::read(path).ok(), changed);
    // Still refused while the file stays changed.
    let again = log.append(&mut book, 3, "late".parse()?, price(date!(2019 - 01 - 04)));
    assert!(
        matches!(again, Err(Error::Log(LogError::FileChanged { .. }))),
        "{again:?}"
    );
    Ok(())
}

#[test]
fn an_append_to_a_file_cut_behind_the_log_is_refused() -> TestResult {
    let (path, bytes) = three_prices("cut")?;
    let cut = bytes.len() as u64 - 10;
    append_after(
        &path,
        |path| {
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)?
                .set_len(cut)
        },
        &format!("it holds {cut} bytes where the log wrote {}", bytes.len()),
    )?;
    std::fs::remove_file(&path)?;
    Ok(())
}

#[test]
fn an_append_to_a_file_written_behind_the_log_is_refused() -> TestResult {
    let (path, bytes) = three_prices("grown")?;
    let first = bytes
        .split_inclusive(|&b| b == b'\n')
        .next()
        .ok_or("no line")?
        .to_vec();
    let grown = bytes.len() + first.len();
    append_after(
        &path,
        |path| {
            std::fs::OpenOptions::new()
                .append(true)
                .open(path)?
                .write_all(&first)
        },
        &format!("it holds {grown} bytes where the log wrote {}", bytes.len()),
    )?;
    std::fs::remove_file(&path)?;
    Ok(())
}

#[cfg(unix)]
#[test]
fn an_append_to_a_file_replaced_or_removed_behind_the_log_is_refused() -> TestResult {
    let (path, bytes) = three_prices("replaced")?;
    // An editor saving the same bytes through a new file renamed over the old one.
    let copy = path.with_extension("saved");
    append_after(
        &path,
        |path| {
            std::fs::write(&copy, &bytes)?;
            std::fs::rename(&copy, path)
        },
        "is now another file",
    )?;
    // The appends went nowhere: the file at the path still holds the three events.
    let (book, read) = EventLog::read(&path)?;
    assert_eq!((book.events().len(), read.torn_bytes), (3, 0));

    append_after(&path, |path| std::fs::remove_file(path), "no longer exists")?;
    assert!(!path.exists());
    Ok(())
}

#[test]
fn a_log_opened_through_a_relative_path_appends() -> TestResult {
    let (path, _) = three_prices("relative")?;
    let dir = path.parent().ok_or("no folder")?;
    let name = path.file_name().ok_or("no name")?;
    // The check before each append finds the file again wherever the path was relative to.
    let relative = Path::new(".").join(name);
    let here = std::env::current_dir()?;
    std::env::set_current_dir(dir)?;
    let opened = EventLog::open(&relative);
    std::env::set_current_dir(here)?;
    let (mut log, mut book, _) = opened?;
    let applied = log.append(&mut book, 3, "p3".parse()?, price(date!(2019 - 01 - 04)))?;
    assert!(matches!(applied, Applied::Recorded { seq: 3, .. }));
    drop(log);
    std::fs::remove_file(&path)?;
    Ok(())
}
