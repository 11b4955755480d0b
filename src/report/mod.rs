//! Statements built from a [`Book`](crate::Book): the three statements of the 2021 cooperative accounting
//! system (会农社01表 资产负债表, 02表 盈余及盈余分配表, 03表 成员权益变动表), the members'
//! accounts (成员账户), the trial balance (试算平衡表), households' income for the year, the
//! register of fixed and productive biological assets (固定资产及生产性生物资产明细表, with
//! the land-use rights taken in as shares and their amortisation), an account's ledger
//! (明细账, each posting with its entry and the running balance, held or written as it is
//! read), the general ledger (总账, each standard account's months), the journal listing
//! (序时账, every posting of a period in date order, for an auditor) and its vouchers (记账凭证,
//! for printing), receipts with amounts in Chinese capitals, and a town's or a county's
//! summaries (汇总) of its cooperatives' balance sheets, surplus statements and members'
//! equity statements. All read-only; all
//! serde-serializable; each writes itself as CSV (UTF-8 with a byte-order mark, so Excel and
//! WPS open it correctly) with Chinese and English labels.

pub(crate) mod account_ledger;
pub(crate) mod assets;
pub(crate) mod csv;
pub(crate) mod general_ledger;
pub(crate) mod journal_listing;
pub(crate) mod statements;
pub(crate) mod summary;

pub use account_ledger::{
    account_ledger, account_ledger_listing, AccountLedger, AccountLedgerLine, AccountLedgerListing,
    AccountLedgerMonth,
};
pub use assets::{
    asset_register, AssetFigures, AssetRegister, AssetRow, AssetSection, LandRightRow,
    LandRightSection,
};
pub use csv::{Csv, BOM};
pub use general_ledger::{general_ledger, GeneralLedger, GeneralLedgerAccount};
pub use journal_listing::{journal_listing, JournalListing};
pub use statements::{
    balance_sheet, balance_sheet_at, household_income, member_accounts, member_equity, receipts,
    surplus_statement, trial_balance_csv, trial_balance_csv_between, BalanceSheet, EquityColumn,
    HouseholdIncome, MemberAccountRow, MemberEquity, StatementLine, SurplusStatement,
};
pub(crate) use statements::{receipts_of, write_receipts, ReceiptsForm};
pub use summary::{summary_balance_sheet, summary_member_equity, summary_surplus_statement};
