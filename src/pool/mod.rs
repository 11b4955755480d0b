//! The cooperative's registers: members, parcels, land transfer and land-share contracts.
//!
//! These are plain data types; a [`Book`](crate::Book) keeps them and changes them only
//! through events, booking every amount through the [ledger](crate::ledger).

mod contract;
mod error;
mod finance;
mod greenhouse;
mod ids;
pub(crate) mod labour;
mod member;
mod parcel;

pub(crate) use contract::{amortisation_for_period, cover, days_inclusive, gaps, rent_for_period};
pub use contract::{
    AreaChange, Contract, ContractKind, ContractLine, GrainPrices, GrainUnit, PaymentTerms,
    ProRating, RentTerms,
};
pub use error::PoolError;
pub use finance::{CashAccount, DayCount, GrantUse, Loan, LoanTerm};
pub use greenhouse::{CostKind, CostPayment, CostTarget, Greenhouse, Harvest, Sale, SalePayment};
pub use ids::{ContractId, EventId, MemberId, ParcelId, MAX_EVENT_ID_BYTES, MAX_ID_BYTES};
pub use ids::{CropId, GrantId, GreenhouseId, LoanId};
pub(crate) use labour::{product_half_away, PayBasis};
pub use labour::{
    BookedWork, Pay, Task, WageAccount, WorkKind, WorkRecord, Worker, MAX_WORKER_NAME_BYTES,
    NON_MEMBER_SEGMENT,
};
pub use member::{Member, MemberKind};
pub use parcel::Parcel;
