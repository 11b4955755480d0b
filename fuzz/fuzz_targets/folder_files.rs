//! The input of the book folder targets: split at 0xFF bytes (never in UTF-8 or GBK text)
//! into the folder's files, in the order of `FILES`; an empty part is a file that is not
//! there.

use landpool::folder::BookFolder;

/// The folder's files, in the order the input gives them.
pub const FILES: [&str; 17] = [
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
    "assets.csv",
];

/// The input as the folder's files (name and bytes).
pub fn split(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    data.split(|&b| b == 0xFF)
        .zip(FILES)
        .filter(|(bytes, _)| !bytes.is_empty())
        .map(|(bytes, name)| (name.to_string(), bytes.to_vec()))
        .collect()
}

/// What `BookFolder::to_files` wrote, as the bytes of files to read.
pub fn as_bytes(written: Vec<(String, String)>) -> Vec<(String, Vec<u8>)> {
    written
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect()
}

/// The folder's events, without their ids and sources.
pub fn events(folder: &BookFolder) -> Vec<landpool::Event> {
    folder.events().iter().map(|e| e.event.clone()).collect()
}
