//! The cooperative's registers: members, parcels, land transfer and land-share contracts.
//!
//! These are plain data types; a [`Book`](crate::Book) keeps them and changes them only
//! through events, booking every amount through the [ledger](crate::ledger).

mod contract;
mod error;
mod ids;
mod member;
mod parcel;

pub(crate) use contract::{amortisation_for_period, cover, rent_for_period, uncovered};
pub use contract::{
    AreaChange, Contract, ContractKind, ContractLine, GrainPrices, GrainUnit, PaymentTerms,
    ProRating, RentTerms,
};
pub use error::PoolError;
pub use ids::{ContractId, EventId, MemberId, ParcelId, MAX_EVENT_ID_BYTES, MAX_ID_BYTES};
pub use member::{Member, MemberKind};
pub use parcel::Parcel;
