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
//! `folder_files`).
#![no_main]

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

/// `folder` writes out and reads back beside `earlier` to the same settings and events.
fn reads_back(folder: &BookFolder, earlier: &Book) {
    if let Ok(written) = folder.to_files() {
        let again = BookFolder::from_files_after(&as_bytes(written), earlier.clone())
            .unwrap_or_else(|e| panic!("a written folder reads back: {e}"));
        assert_eq!(again.settings(), folder.settings());
        assert_eq!(events(&again), events(&folder));
    }
}

fuzz_target!(|data: &[u8]| {
    let earlier = earlier();
    let files = split(data);
    let Ok(folder) = BookFolder::from_files_after(&files, earlier.clone()) else {
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
