//! The serde form of a [`Journal`]: written as data, read back by replaying it.

use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;

use super::{AccountCode, Digest, Entry, EntryId, Journal, LedgerError, Posted, Posting, Postings};
use crate::Result;

/// The version of the serde form this release writes and reads.
///
/// # Example
///
/// ```
/// use landpool::ledger::{Journal, JOURNAL_FORMAT_VERSION};
///
/// assert_eq!(JOURNAL_FORMAT_VERSION, 1);
/// let json = serde_json::to_string(&Journal::new())?;
/// assert!(json.starts_with(r#"{"version":1,"#));
/// assert!(serde_json::from_str::<Journal>(&json)?.is_empty());
/// // A form of another version is refused.
/// let other = json.replacen(r#""version":1"#, r#""version":2"#, 1);
/// assert!(serde_json::from_str::<Journal>(&other).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub const JOURNAL_FORMAT_VERSION: u32 = 1;

/// A sub-account as written.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountForm {
    code: AccountCode,
    name_zh: String,
    name_en: String,
}

/// An entry with its digest, as written.
#[derive(Serialize)]
struct DigestedEntry<'a> {
    id: &'a EntryId,
    #[serde(with = "super::entry::date_text")]
    date: Date,
    memo: &'a str,
    postings: Postings<'a>,
    reverses: Option<&'a EntryId>,
    digest: Digest,
}

/// An entry with its digest, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryForm {
    id: EntryId,
    #[serde(with = "super::entry::date_text")]
    date: Date,
    memo: super::Memo,
    postings: Vec<Posting>,
    reverses: Option<EntryId>,
    digest: Digest,
}

/// The whole journal, as read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JournalForm {
    version: u32,
    accounts: Vec<AccountForm>,
    closed_years: Vec<i32>,
    entries: Vec<EntryForm>,
    head: Digest,
}

/// Serializes as
/// `{"version":1,"accounts":[{"code","name_zh","name_en"}…],"closed_years":[…],
/// "entries":[{"id","date","memo","postings","reverses","digest"}…],"head":"…"}`:
/// the sub-accounts opened under the standard chart (parents first), the closed years, the
/// entries in posting order with their digests, and the head of the chain. Amounts are strings
/// (`"1409.50"`), dates `"YYYY-MM-DD"`, sides `"debit"`/`"credit"`.
impl Serialize for Journal {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let accounts: Vec<AccountForm> = self
            .chart()
            .iter()
            .filter(|a| a.code.level() > 1)
            .map(|a| AccountForm {
                code: a.code.clone(),
                name_zh: a.name_zh.to_string(),
                name_en: a.name_en.to_string(),
            })
            .collect();
        let closed: Vec<i32> = self.closed_years().collect();
        let mut state = serializer.serialize_struct("Journal", 5)?;
        state.serialize_field("version", &JOURNAL_FORMAT_VERSION)?;
        state.serialize_field("accounts", &accounts)?;
        state.serialize_field("closed_years", &closed)?;
        state.serialize_field("entries", &DigestedEntries(self))?;
        state.serialize_field("head", &self.digest())?;
        state.end()
    }
}

struct DigestedEntries<'a>(&'a Journal);

impl Serialize for DigestedEntries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.entries().iter().zip(self.0.digests()).map(
            |(entry, &digest)| DigestedEntry {
                id: entry.id,
                date: entry.date,
                memo: entry.memo,
                postings: entry.postings(),
                reverses: entry.reverses,
                digest,
            },
        ))
    }
}

/// Reads the form written by `Serialize` and replays it: opens the accounts, posts every
/// entry through [`Journal::post`] (so every rule is checked again), compares each recorded
/// digest and the head with the recomputed chain, then closes the years. Any failure refuses
/// the whole journal.
impl<'de> Deserialize<'de> for Journal {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Journal, D::Error> {
        let form = JournalForm::deserialize(deserializer)?;
        replay(form).map_err(serde::de::Error::custom)
    }
}

fn replay(form: JournalForm) -> Result<Journal> {
    if form.version != JOURNAL_FORMAT_VERSION {
        return Err(LedgerError::UnsupportedVersion {
            version: form.version,
            supported: JOURNAL_FORMAT_VERSION,
        }
        .into());
    }
    let mut journal = Journal::with_capacity(form.entries.len());
    for account in form.accounts {
        journal.open_account(account.code, &account.name_zh, &account.name_en)?;
    }
    for (index, form) in form.entries.into_iter().enumerate() {
        let found = form.digest;
        let entry = Entry {
            id: form.id,
            date: form.date,
            memo: form.memo,
            postings: form.postings,
            reverses: form.reverses,
        };
        let id = entry.id.to_string();
        match journal.post(entry)? {
            Posted::AlreadyPosted => {
                return Err(LedgerError::DuplicateEntry { index, entry: id }.into());
            }
            Posted::Recorded { digest } if digest != found => {
                return Err(LedgerError::ChainBroken {
                    index,
                    entry: id,
                    expected: digest,
                    found,
                }
                .into());
            }
            Posted::Recorded { .. } => {}
        }
    }
    if journal.digest() != form.head {
        return Err(LedgerError::HeadMismatch {
            expected: journal.digest(),
            found: form.head,
        }
        .into());
    }
    for year in form.closed_years {
        journal.close_year(year)?;
    }
    Ok(journal)
}
