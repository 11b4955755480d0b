//! A book folder from arbitrary files: reading gives Ok or Err, never a panic; a folder that
//! reads runs (Ok or Err); a book that runs passes the audit and its statements are made.
//!
//! The input is split at 0xFF bytes (never in UTF-8 or GBK text) into the folder's files, in
//! the order of `FILES`; an empty part is a file that is not there.
#![no_main]

use landpool::folder::{outputs, receipts_html, BookFolder};
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 16] = [
    "policy.csv",
    "accounts.csv",
    "members.csv",
    "parcels.csv",
    "contracts.csv",
    "grain_prices.csv",
    "loans.csv",
    "greenhouses.csv",
    "grants.csv",
    "costs.csv",
    "labour.csv",
    "harvests.csv",
    "sales.csv",
    "adjustments.csv",
    "payments.csv",
    "land_changes.csv",
];

fuzz_target!(|data: &[u8]| {
    let files: Vec<(String, Vec<u8>)> = data
        .split(|&b| b == 0xFF)
        .zip(FILES)
        .filter(|(bytes, _)| !bytes.is_empty())
        .map(|(bytes, name)| (name.to_string(), bytes.to_vec()))
        .collect();
    let Ok(folder) = BookFolder::from_files(&files) else {
        return;
    };
    // What was read writes out and reads back as the same settings and events.
    if let Ok(written) = folder.to_files() {
        let bytes: Vec<(String, Vec<u8>)> = written
            .into_iter()
            .map(|(name, text)| (name, text.into_bytes()))
            .collect();
        let again = BookFolder::from_files(&bytes).expect("a written folder reads back");
        assert_eq!(again.settings(), folder.settings());
        let events = |f: &BookFolder| {
            f.events()
                .iter()
                .map(|e| e.event.clone())
                .collect::<Vec<_>>()
        };
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
