//! A book folder from arbitrary files: reading gives Ok or Err, never a panic; a folder that
//! reads runs (Ok or Err); a book that runs passes the audit and its statements are made.
//!
//! The input is split at 0xFF bytes (never in UTF-8 or GBK text) into the folder's files, in
//! the order of `folder_files::FILES`; an empty part is a file that is not there.
#![no_main]

use landpool::folder::{outputs, receipts_html, BookFolder};
use libfuzzer_sys::fuzz_target;

mod folder_files;

use folder_files::{as_bytes, events, split};

fuzz_target!(|data: &[u8]| {
    let files = split(data);
    let Ok(folder) = BookFolder::from_files(&files) else {
        return;
    };
    // What was read writes out and reads back as the same settings and events.
    if let Ok(written) = folder.to_files() {
        let again =
            BookFolder::from_files(&as_bytes(written)).expect("a written folder reads back");
        assert_eq!(again.settings(), folder.settings());
        assert_eq!(events(&again), events(&folder));
    }
    let Ok(book) = folder.run() else {
        return;
    };
    let violations = landpool::audit::check(&book);
    assert!(
        violations.is_empty(),
        "audit of a folder's book: {violations:?}"
    );
    let settings = folder.settings();
    let _ = outputs(&book, settings);
    let _ = receipts_html(&book, settings.year, &settings.cooperative);
});
