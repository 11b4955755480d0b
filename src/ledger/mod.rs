//! The double-entry ledger: chart of accounts, journal with hash chain, balances, plain-text
//! export. It knows nothing about land or greenhouses.
//!
//! (Being written; see issue 3.)
