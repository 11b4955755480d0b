//! Members of the cooperative: households, the village collective, other legal persons.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::MemberId;

/// What kind of member the law allows this one to be.
///
/// # Example
///
/// ```
/// use landpool::MemberKind;
/// let kind = MemberKind::Household { persons: 4 };
/// assert_eq!(serde_json::to_string(&kind)?, r#"{"kind":"household","persons":4}"#);
/// // A field the kind does not have is refused, not ignored.
/// let error = serde_json::from_str::<MemberKind>(r#"{"kind":"collective","persons":4}"#)
///     .err().map(|e| e.to_string());
/// assert_eq!(
///     error.as_deref(),
///     Some("unknown field `persons`, expected `kind` at line 1 column 33")
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MemberKind {
    /// A farming household, with the number of persons in it (for per-capita income).
    Household {
        /// Persons in the household, at least one.
        persons: u32,
    },
    /// The village collective economic organisation (村集体).
    Collective,
    /// Another legal person (an enterprise, an institution).
    LegalPerson,
}

/// A member of the cooperative, as the member register (成员名册) records them.
///
/// # Example
///
/// ```
/// use landpool::{Member, MemberKind};
/// use time::macros::date;
///
/// let member = Member {
///     id: "M001".parse()?,
///     name: "王建国".into(),
///     kind: MemberKind::Household { persons: 4 },
///     village: "高格庄".into(),
///     joined: date!(2019 - 01 - 01),
///     left: None,
/// };
/// assert!(member.is_member_on(date!(2019 - 06 - 30)));
/// assert!(!member.is_member_on(date!(2018 - 12 - 31)));
/// assert_eq!(member.persons(), Some(4));
/// # Ok::<(), landpool::Error>(())
/// ```
///
/// In JSON the kind's tag and fields are among the member's; a field the member (of that
/// kind) does not have is refused, as is a field given twice:
///
/// ```
/// let json = r#"{"id":"M001","name":"王建国","kind":"household","persons":4,"village":"高格庄","joined":"2019-01-01","left":null,"note":"x"}"#;
/// let error = serde_json::from_str::<landpool::Member>(json).err().map(|e| e.to_string());
/// assert_eq!(
///     error.as_deref(),
///     Some(concat!(
///         "unknown field `note`, expected one of `id`, `name`, `kind`, `persons`, ",
///         "`village`, `joined`, `left` at line 1 column 125"
///     ))
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// The member's id.
    pub id: MemberId,
    /// The member's name: for a household, the head's name (户主).
    pub name: crate::Text,
    /// Household, collective or legal person.
    #[serde(flatten)]
    pub kind: MemberKind,
    /// The village the member belongs to.
    pub village: crate::Text,
    /// The day the member joined.
    #[serde(serialize_with = "crate::iso_date::write")]
    pub joined: Date,
    /// The day the member left (still a member on that day), if they have.
    #[serde(serialize_with = "crate::iso_date::write_or_null")]
    pub left: Option<Date>,
}

/// The tag of a [`MemberKind`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    Household,
    Collective,
    LegalPerson,
}

impl KindTag {
    /// The kind, with its persons if it is a household's; `fields` are the fields of the
    /// object read, for the error when persons are given to another kind.
    fn kind<E: serde::de::Error>(
        self,
        persons: Option<u32>,
        fields: &'static [&'static str],
    ) -> Result<MemberKind, E> {
        let kind = match self {
            KindTag::Household => {
                let persons = persons.ok_or_else(|| E::missing_field("persons"))?;
                return Ok(MemberKind::Household { persons });
            }
            KindTag::Collective => MemberKind::Collective,
            KindTag::LegalPerson => MemberKind::LegalPerson,
        };
        match persons {
            Some(_) => Err(E::unknown_field("persons", fields)),
            None => Ok(kind),
        }
    }
}

/// [`MemberKind`]'s JSON form read flat: serde's tagged reader ignores any field given with a
/// kind that has none (`{"kind":"collective","persons":4}`).
#[derive(Deserialize)]
#[serde(rename = "MemberKind", deny_unknown_fields)]
struct KindForm {
    kind: KindTag,
    #[serde(default, deserialize_with = "super::flat::present")]
    persons: Option<u32>,
}

impl super::flat::Form<'_> for KindForm {
    type Value = MemberKind;
    const EXPECTING: &'static str = "a member's kind";

    fn finish<E: serde::de::Error>(self) -> Result<MemberKind, E> {
        self.kind.kind(self.persons, &["kind"])
    }
}

/// Reads the kind's tag and its fields, refusing any other field and a field given twice.
impl<'de> Deserialize<'de> for MemberKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<MemberKind, D::Error> {
        super::flat::read::<D, KindForm>(deserializer)
    }
}

/// [`Member`]'s JSON form, the kind's fields among the member's, read flat: serde's
/// `deny_unknown_fields` does not work with a flattened field.
#[derive(Deserialize)]
#[serde(rename = "Member", deny_unknown_fields)]
struct MemberForm {
    id: MemberId,
    name: crate::Text,
    kind: KindTag,
    #[serde(default, deserialize_with = "super::flat::present")]
    persons: Option<u32>,
    village: crate::Text,
    #[serde(deserialize_with = "crate::iso_date::field::joined")]
    joined: Date,
    #[serde(default, deserialize_with = "crate::iso_date::field::left_or_null")]
    left: Option<Date>,
}

impl super::flat::Form<'_> for MemberForm {
    type Value = Member;
    const EXPECTING: &'static str = "a member";

    fn finish<E: serde::de::Error>(self) -> Result<Member, E> {
        let fields = &["id", "name", "kind", "village", "joined", "left"];
        Ok(Member {
            kind: self.kind.kind(self.persons, fields)?,
            id: self.id,
            name: self.name,
            village: self.village,
            joined: self.joined,
            left: self.left,
        })
    }
}

/// Reads a member, refusing a field it does not have (persons of a member who is not a
/// household included) and a field given twice.
impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Member, D::Error> {
        super::flat::read::<D, MemberForm>(deserializer)
    }
}

impl Member {
    /// Whether this is a member on `date` (from joining through leaving, inclusive).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Member, MemberKind};
    /// use time::macros::date;
    ///
    /// let member = Member {
    ///     id: "M002".parse()?,
    ///     name: "李秀英".into(),
    ///     kind: MemberKind::Household { persons: 3 },
    ///     village: "高格庄".into(),
    ///     joined: date!(2019 - 01 - 01),
    ///     left: Some(date!(2021 - 12 - 31)),
    /// };
    /// assert!(member.is_member_on(date!(2019 - 01 - 01)));
    /// assert!(member.is_member_on(date!(2021 - 12 - 31)));
    /// assert!(!member.is_member_on(date!(2022 - 01 - 01)));
    /// assert!(!member.is_member_on(date!(2018 - 12 - 31)));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn is_member_on(&self, date: Date) -> bool {
        date >= self.joined && self.left.is_none_or(|left| date <= left)
    }

    /// The persons in a household; `None` for other members.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Member, MemberKind};
    /// use time::macros::date;
    ///
    /// let member = Member {
    ///     id: "M002".parse()?,
    ///     name: "李秀英".into(),
    ///     kind: MemberKind::Household { persons: 3 },
    ///     village: "高格庄".into(),
    ///     joined: date!(2019 - 01 - 01),
    ///     left: Some(date!(2021 - 12 - 31)),
    /// };
    /// assert_eq!(member.persons(), Some(3));
    /// let collective = Member { kind: MemberKind::Collective, ..member };
    /// assert_eq!(collective.persons(), None);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn persons(&self) -> Option<u32> {
        match self.kind {
            MemberKind::Household { persons } => Some(persons),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json says of `text` read as a `T` (without the position), or how it was
    /// read.
    fn read<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        crate::pool::serde_says::<T>(text)
            .map_or_else(|error| error, |read| format!("read as {read:?}"))
    }

    fn member(kind: &str) -> String {
        format!(
            r#"{{"id":"M1","name":"王","kind":{kind},"village":"村","joined":"2019-01-01","left":null}}"#
        )
    }

    #[test]
    fn members_read_every_kind_and_refuse_what_they_do_not_have() {
        let fields = "`id`, `name`, `kind`, `persons`, `village`, `joined`, `left`";
        let cases = [
            (member(r#""household","persons":4"#), "read as Member { id: MemberId(\"M1\"), name: \"王\", kind: Household { persons: 4 }, village: \"村\", joined: 2019-01-01, left: None }".to_string()),
            (member(r#""collective""#), "read as Member { id: MemberId(\"M1\"), name: \"王\", kind: Collective, village: \"村\", joined: 2019-01-01, left: None }".to_string()),
            // `left` may be left out (as serde reads an absent `Option`).
            (
                r#"{"id":"M1","name":"王","kind":"legal_person","village":"村","joined":"2019-01-01"}"#.to_string(),
                "read as Member { id: MemberId(\"M1\"), name: \"王\", kind: LegalPerson, village: \"村\", joined: 2019-01-01, left: None }".to_string(),
            ),
            (
                member(r#""collective","persons":4"#),
                "unknown field `persons`, expected one of `id`, `name`, `kind`, `village`, `joined`, `left`".to_string(),
            ),
            (member(r#""household""#), "missing field `persons`".to_string()),
            (member(r#""household","persons":null"#), "invalid type: null, expected u32".to_string()),
            (member(r#""household","persons":4,"persons":5"#), "duplicate field `persons`".to_string()),
            (member(r#""household","kind":"collective""#), "duplicate field `kind`".to_string()),
            (
                member(r#""family""#),
                "unknown variant `family`, expected one of `household`, `collective`, `legal_person`".to_string(),
            ),
            (
                member(r#""household","persons":4,"note":"x""#),
                format!("unknown field `note`, expected one of {fields}"),
            ),
            // As before, an object only.
            (r#"["M1","王","collective"]"#.to_string(), "invalid type: sequence, expected a member".to_string()),
        ];
        for (text, expected) in cases {
            assert_eq!(read::<Member>(&text), expected, "{text}");
        }
    }

    #[test]
    fn a_kind_refuses_what_it_does_not_have() {
        let cases = [
            (
                r#"{"kind":"household","persons":2}"#,
                "read as Household { persons: 2 }",
            ),
            (r#"{"kind":"collective"}"#, "read as Collective"),
            (
                r#"{"kind":"legal_person","persons":1}"#,
                "unknown field `persons`, expected `kind`",
            ),
            (r#"{"kind":"household"}"#, "missing field `persons`"),
            (r#"{"persons":1}"#, "missing field `kind`"),
            (
                r#"{"kind":"collective","x":1}"#,
                "unknown field `x`, expected `kind` or `persons`",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(read::<MemberKind>(text), expected, "{text}");
        }
    }
}
