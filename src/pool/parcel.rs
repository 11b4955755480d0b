//! Parcels of contracted land (承包地).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{MemberId, Mu, ParcelId};

/// A parcel of a household's contracted land.
///
/// Parcels are never edited: a split or merge retires the parcels it consumes (they stay in
/// the register with the date they were retired) and registers the new ones, so the history
/// of every mu stays readable.
///
/// # Example
///
/// ```
/// use landpool::Parcel;
/// use time::macros::date;
///
/// let parcel = Parcel {
///     id: "P001".parse()?,
///     owner: "M001".parse()?,
///     area: "1.35".parse()?,
///     village: "高格庄".into(),
///     land_class: "水浇地".into(),
///     registered: date!(2019 - 01 - 01),
///     retired: None,
/// };
/// assert!(parcel.exists_on(date!(2019 - 03 - 15)));
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parcel {
    /// The parcel's id.
    pub id: ParcelId,
    /// The household holding the contract right (承包经营权).
    pub owner: MemberId,
    /// Its area.
    pub area: Mu,
    /// The village it lies in.
    pub village: crate::Text,
    /// Its land class (水田, 旱地, 水浇地, …), as the cooperative records it.
    pub land_class: crate::Text,
    /// The day it entered the register.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::registered"
    )]
    pub registered: Date,
    /// The day it was split or merged away, if it was (it no longer exists from that day).
    #[serde(
        default,
        serialize_with = "crate::iso_date::write_or_null",
        deserialize_with = "crate::iso_date::field::retired_or_null"
    )]
    pub retired: Option<Date>,
}

impl Parcel {
    /// Whether the parcel exists on `date`: registered on or before it and not yet retired.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Parcel;
    /// use time::macros::date;
    ///
    /// let parcel = Parcel {
    ///     id: "P002".parse()?,
    ///     owner: "M001".parse()?,
    ///     area: "0.6".parse()?,
    ///     village: "高格庄".into(),
    ///     land_class: "旱地".into(),
    ///     registered: date!(2019 - 01 - 01),
    ///     retired: Some(date!(2020 - 07 - 01)),
    /// };
    /// assert!(!parcel.exists_on(date!(2018 - 12 - 31)));
    /// assert!(parcel.exists_on(date!(2019 - 01 - 01)));
    /// assert!(parcel.exists_on(date!(2020 - 06 - 30)));
    /// // Retired on 2020-07-01: gone from that day.
    /// assert!(!parcel.exists_on(date!(2020 - 07 - 01)));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn exists_on(&self, date: Date) -> bool {
        date >= self.registered && self.retired.is_none_or(|retired| date < retired)
    }
}
