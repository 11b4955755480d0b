//! Identifiers chosen by the cooperative: members, parcels, contracts, events.

use std::fmt;
use std::str::FromStr;

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

/// The longest id of a member, parcel or contract, in bytes: these become segments of account
/// codes (`114.M001`), which the ledger bounds.
///
/// # Example
///
/// ```
/// use landpool::pool::MAX_ID_BYTES;
/// use landpool::MemberId;
///
/// assert_eq!(MAX_ID_BYTES, 24);
/// assert_eq!(MAX_ID_BYTES, landpool::ledger::MAX_SEGMENT_BYTES);
/// let longest: MemberId = "M".repeat(24).parse()?;
/// assert_eq!(longest.as_str().len(), 24);
/// assert!("M".repeat(25).parse::<MemberId>().is_err());
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_ID_BYTES: usize = crate::ledger::MAX_SEGMENT_BYTES;

/// The longest event id, in bytes (room for a UUID and a prefix).
///
/// # Example
///
/// ```
/// use landpool::pool::MAX_EVENT_ID_BYTES;
/// use landpool::EventId;
///
/// assert_eq!(MAX_EVENT_ID_BYTES, 64);
/// // A prefix and a UUID fit.
/// let id: EventId = "timesheet-2019-06_67e55044-10b1-426f-9247-bb680e5fe0c8".parse()?;
/// assert_eq!(id.as_str().len(), 54);
/// assert_eq!("e".repeat(64).parse::<EventId>()?.as_str().len(), 64);
/// assert!("e".repeat(65).parse::<EventId>().is_err());
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_EVENT_ID_BYTES: usize = 64;

/// Checks an identifier. Ids of members, parcels, contracts (and anything else that can name
/// a sub-account, `114.M001`) follow the ledger's rule for account segments: 1 to
/// [`MAX_ID_BYTES`] bytes, the first an upper-case ASCII letter or a digit, the rest ASCII
/// letters, digits or `-`, so every plain-text ledger tool accepts them. Event ids may also
/// use lower-case first letters and `_`, up to [`MAX_EVENT_ID_BYTES`].
fn check(kind: &'static str, text: &str, max: usize) -> Result<()> {
    let segment = max != MAX_EVENT_ID_BYTES;
    let first_ok = |b: u8| {
        b.is_ascii_uppercase() || b.is_ascii_digit() || (!segment && b.is_ascii_alphanumeric())
    };
    let rest_ok = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || (!segment && b == b'_');
    let reason = if text.is_empty() {
        Some("it is empty")
    } else if text.len() > max {
        Some(if segment {
            "it is longer than 24 bytes"
        } else {
            "it is longer than 64 bytes"
        })
    } else if !text.bytes().next().is_some_and(first_ok) {
        Some(if segment {
            "it must start with an upper-case letter A-Z or a digit"
        } else {
            "it must start with an ASCII letter or a digit"
        })
    } else if !text.bytes().all(rest_ok) {
        Some(if segment {
            "only ASCII letters, digits and '-' are allowed"
        } else {
            "only ASCII letters, digits, '-' and '_' are allowed"
        })
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::InvalidId {
            kind,
            id: text.chars().take(80).collect(),
            reason,
        }),
        None => Ok(()),
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $max:expr, $example:literal) => {
        $(#[$doc])*
        ///
        /// See the module's rules: member, parcel and contract ids are valid account
        /// segments (first an upper-case letter or digit, then letters, digits or `-`, at most
        /// 24 bytes); event ids may also use lower case and `_`, up to 64 bytes. serde as a
        /// plain string.
        ///
        /// # Example
        ///
        /// ```
        #[doc = concat!("let id: landpool::", stringify!($name), " = \"", $example, "\".parse()?;")]
        #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
        #[doc = concat!("assert!(\"has space\".parse::<landpool::", stringify!($name), ">().is_err());")]
        /// # Ok::<(), landpool::Error>(())
        /// ```
        #[derive(Debug, Clone, Eq)]
        pub struct $name(CompactString);

        crate::text::short_text_ord!($name);

        impl $name {
            /// A checked identifier.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidId`] when the text is empty, too long, or has a character the
            /// rules above do not allow.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!("assert!(landpool::", stringify!($name), "::new(\"", $example, "\").is_ok());")]
            /// ```
            pub fn new(text: &str) -> Result<$name> {
                check($kind, text, $max)?;
                Ok($name(CompactString::new(text)))
            }

            /// The identifier as text.
            ///
            /// # Example
            ///
            /// ```
            #[doc = concat!("let id = landpool::", stringify!($name), "::new(\"", $example, "\")?;")]
            #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
            /// # Ok::<(), landpool::Error>(())
            /// ```
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl crate::ledger::hashing::RunKey for $name {
            /// Ids of members, greenhouses, events and the rest are mostly numbered in the
            /// order they come: an index may keep them in runs.
            fn run_text(&self) -> Option<&str> {
                Some(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(text: &str) -> Result<$name> {
                $name::new(text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<$name, D::Error> {
                crate::ledger::deserialize_text(deserializer, $name::new)
            }
        }
    };
}

id_type!(
    /// A member of the cooperative: a household, the village collective or another legal person.
    MemberId,
    "member",
    MAX_ID_BYTES,
    "M001"
);
id_type!(
    /// A parcel of contracted land (承包地).
    ParcelId,
    "parcel",
    MAX_ID_BYTES,
    "P001-1"
);
id_type!(
    /// A land transfer or land-share contract.
    ContractId,
    "contract",
    MAX_ID_BYTES,
    "C2019-001"
);
id_type!(
    /// An event applied to a book; applying the same id twice is a no-op that says so.
    EventId,
    "event",
    MAX_EVENT_ID_BYTES,
    "evt-0001"
);
id_type!(
    /// A greenhouse (大棚); names its operating-expense sub-account (`521.GH01`).
    GreenhouseId,
    "greenhouse",
    MAX_ID_BYTES,
    "GH01"
);
id_type!(
    /// An asset other than a greenhouse: a fixed asset or a productive biological asset
    /// ([`Asset`](crate::Asset)).
    AssetId,
    "asset",
    MAX_ID_BYTES,
    "V01"
);
id_type!(
    /// A loan contract; names its sub-account under 201 or 231 (`201.L2019-01`).
    LoanId,
    "loan",
    MAX_ID_BYTES,
    "L2019-01"
);
id_type!(
    /// A state grant (专项资金); names its sub-account under 235 (`235.G2019-01`).
    GrantId,
    "grant",
    MAX_ID_BYTES,
    "G2019-01"
);
id_type!(
    /// A crop; names its revenue sub-account under 501 (`501.GRAPE`).
    CropId,
    "crop",
    MAX_ID_BYTES,
    "GRAPE"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(MemberId::new("M-001a").is_ok());
        assert!(EventId::new("evt_2019-01").is_ok());
        for bad in ["", "a b", "王", "A.B", "m001", "M_1", &"X".repeat(25)] {
            assert!(
                matches!(
                    MemberId::new(bad),
                    Err(Error::InvalidId { kind: "member", .. })
                ),
                "{bad:?}"
            );
        }
        assert_eq!(
            serde_json::to_string(&ParcelId::new("P1").ok())
                .ok()
                .as_deref(),
            Some("\"P1\"")
        );
        assert!(serde_json::from_str::<ContractId>("\"a b\"").is_err());
        assert!(EventId::new(&"e".repeat(64)).is_ok());
        assert!(EventId::new(&"e".repeat(65)).is_err());
    }
}
