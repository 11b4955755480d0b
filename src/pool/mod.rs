//! The cooperative's registers: members, parcels, land transfer and land-share contracts.
//!
//! These are plain data types; a [`Book`](crate::Book) keeps them and changes them only
//! through events, booking every amount through the [ledger](crate::ledger).

mod asset;
pub(crate) mod contract;
mod error;
mod finance;
mod greenhouse;
mod ids;
pub(crate) mod labour;
mod member;
mod parcel;

pub use asset::{Asset, AssetKind, DepreciationMethod};
pub(crate) use contract::{amortisation_for_period, cover, days_inclusive, gaps, rent_for_period};
pub use contract::{
    AreaChange, Contract, ContractKind, ContractLine, GrainPrices, GrainUnit, PaymentTerms,
    ProRating, RentTerms,
};
pub use error::PoolError;
pub use finance::{CashAccount, DayCount, GrantUse, Loan, LoanTerm};
pub use greenhouse::{CostKind, CostPayment, CostTarget, Greenhouse, Harvest, Sale, SalePayment};
pub use ids::{AssetId, CropId, GrantId, GreenhouseId, LoanId};
pub use ids::{ContractId, EventId, MemberId, ParcelId, MAX_EVENT_ID_BYTES, MAX_ID_BYTES};
pub(crate) use labour::{product_half_away, PayBasis};
pub use labour::{
    BookedWork, Pay, Task, WageAccount, WorkKind, WorkRecord, Worker, MAX_WORKER_NAME_BYTES,
    NON_MEMBER_SEGMENT,
};
pub use member::{Member, MemberKind};
pub use parcel::Parcel;

/// Reading a register type whose JSON form holds its kind's fields among its own (a member's
/// `kind` and `persons`, a contract's `kind`, `rent`, …) through a flat form, so that unknown
/// fields are refused: serde's `deny_unknown_fields` does not work with `flatten`.
mod flat {
    use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

    /// A derived form with `deny_unknown_fields` holding every field of every kind, and how
    /// it becomes the type.
    pub(crate) trait Form<'de>: Deserialize<'de> {
        /// The type read.
        type Value;

        /// What a reader expects: `a member`.
        const EXPECTING: &'static str;

        /// The type, once the kind's fields are checked: all there, no other kind's.
        fn finish<E: de::Error>(self) -> Result<Self::Value, E>;
    }

    /// Reads `F` from an object only (as the type's derived reader with a flattened field
    /// did: it refused an array), and makes it the type there, so that a fault of the kind's
    /// fields is reported where the object ends.
    pub(crate) fn read<'de, D: Deserializer<'de>, F: Form<'de>>(
        deserializer: D,
    ) -> Result<F::Value, D::Error> {
        deserializer.deserialize_map(Object::<F>(std::marker::PhantomData))
    }

    struct Object<F>(std::marker::PhantomData<F>);

    impl<'de, F: Form<'de>> Visitor<'de> for Object<F> {
        type Value = F::Value;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str(F::EXPECTING)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<F::Value, A::Error> {
            F::deserialize(de::value::MapAccessDeserializer::new(map))?.finish()
        }
    }

    /// A field of the form present only for some kinds: `Some` when given (`null` is not
    /// `None`: it is refused as the kind's own reader refuses it).
    pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        T::deserialize(deserializer).map(Some)
    }

    /// [`present`] for a decimal in its string form.
    pub(crate) fn present_decimal<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<rust_decimal::Decimal>, D::Error> {
        crate::exact_decimal::deserialize(deserializer).map(Some)
    }
}

/// What serde_json makes of `text` as a `T`: the value, or its error without the position
/// (for tests of the readers' messages).
#[cfg(test)]
pub(crate) fn serde_says<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str::<T>(text).map_err(|error| {
        let message = error.to_string();
        message
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string()
    })
}
