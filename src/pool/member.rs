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
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub joined: Date,
    /// The day the member left (still a member on that day), if they have.
    pub left: Option<Date>,
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
