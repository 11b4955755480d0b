//! A later year's book folder from arbitrary files, read beside the reference cooperative's
//! 2019 book (run and closed, as `BookFolder::read` reads a folder whose `policy.csv` names
//! the 2019 run's log): reading gives Ok or Err, never a panic; a folder that reads writes
//! out and reads back (beside the same book) to the same settings and events, and
//! `BookFolder::new_after` of its events gives the same ids and events; a book that runs
//! passes the audit and its statements and receipts are made; and when that book's last
//! year is closed, `BookFolder::next_year` gives a folder that writes out and reads back
//! the same, or a folder error.
//!
//! The input is split into the folder's files as `book_folder` splits it (see
//! `folder_files`). A folder that does not read is read again (up to three times) without
//! the lines its problems name (a file with a problem of its own, not on a line, left out
//! but for `policy.csv` and `members.csv`): one bad cell otherwise refuses the whole folder,
//! and the properties after the read would be reached by few inputs.
#![no_main]

use std::collections::HashSet;
use std::sync::OnceLock;

use landpool::folder::{outputs, receipts_html, BookFolder};
use landpool::{Book, Error, Event};
use libfuzzer_sys::fuzz_target;

mod folder_files;

use folder_files::{as_bytes, events, split};

/// The reference cooperative's 2019 book, run and closed (its policy closes the year).
fn earlier() -> &'static Book {
    static EARLIER: OnceLock<Book> = OnceLock::new();
    EARLIER.get_or_init(|| {
        let book = BookFolder::reference()
            .and_then(|folder| folder.run())
            .expect("the reference folder runs");
        assert_eq!(book.journal().latest_closed(), Some(2019));
        book
    })
}

/// `files` without the lines (the files) the problems of `error` name; `None` when it
/// names none of them.
fn repaired(files: &[(String, Vec<u8>)], error: &Error) -> Option<Vec<(String, Vec<u8>)>> {
    let Error::Folder(error) = error else {
        return None;
    };
    let problems = error.problems();
    let mut changed = false;
    let mut out = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let mine = problems.iter().filter(|p| p.file == *name);
        let lines: HashSet<u64> = mine.clone().filter_map(|p| p.line).collect();
        let whole = mine.clone().any(|p| p.line.is_none());
        if whole && name != "policy.csv" && name != "members.csv" {
            changed = true;
            continue;
        }
        if lines.is_empty() {
            out.push((name.clone(), bytes.clone()));
            continue;
        }
        let kept: Vec<u8> = bytes
            .split_inclusive(|&b| b == b'\n')
            .zip(1u64..)
            .filter(|(_, n)| !lines.contains(n))
            .flat_map(|(line, _)| line.iter().copied())
            .collect();
        changed |= kept.len() != bytes.len();
        out.push((name.clone(), kept));
    }
    changed.then_some(out)
}

/// `folder` writes out and reads back beside `earlier` to the same settings and events.
fn reads_back(folder: &BookFolder, earlier: &Book) {
    if let Ok(written) = folder.to_files() {
        let again = BookFolder::from_files_after(&as_bytes(written), earlier.clone())
            .unwrap_or_else(|e| panic!("a written folder reads back: {e}"));
        assert_eq!(again.settings(), folder.settings());
        assert_eq!(events(&again), events(folder));
    }
}

fuzz_target!(|data: &[u8]| {
    let earlier = earlier();
    let mut files = split(data);
    let mut read = BookFolder::from_files_after(&files, earlier.clone());
    for _ in 0..3 {
        let Err(error) = &read else {
            break;
        };
        let Some(fewer) = repaired(&files, error) else {
            break;
        };
        files = fewer;
        read = BookFolder::from_files_after(&files, earlier.clone());
    }
    let Ok(folder) = read else {
        return;
    };
    assert_eq!(folder.earlier(), Some(earlier));
    reads_back(&folder, earlier);
    // The same events given to `new_after` get the ids reading the files gives them.
    let given: Vec<Event> = events(&folder)
        .into_iter()
        .filter(|e| !matches!(e, Event::YearClosed { .. }))
        .collect();
    if let Ok(made) = BookFolder::new_after(folder.settings().clone(), given, earlier.clone()) {
        let ids = |f: &BookFolder| {
            f.events()
                .iter()
                .map(|e| (e.id.clone(), e.event.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&made), ids(&folder));
    }
    let Ok(book) = folder.run() else {
        return;
    };
    let violations = landpool::audit::check(&book);
    assert!(
        violations.is_empty(),
        "audit of a later year's book: {violations:?}"
    );
    let settings = folder.settings();
    let _ = outputs(&book, settings);
    let _ = receipts_html(&book, settings.year, &settings.cooperative);
    if book.journal().latest_closed().is_some() {
        match BookFolder::next_year(settings, book.clone(), "../2020-out/events.jsonl") {
            Ok(next) => {
                assert_eq!(next.earlier(), Some(&book));
                reads_back(&next, &book);
            }
            Err(Error::Folder(_)) => {}
            Err(other) => panic!("next_year: not a folder error: {other}"),
        }
    }
});
