//! The words a cell may hold for a choice, in Chinese and English. A folder is written with
//! the Chinese words; either is read.

use super::cells::{word, word_or, Word};
use crate::pool::PayBasis;
use crate::{
    AssetKind, CashAccount, ContractKind, CostKind, CostPayment, DayCount, GrainUnit, LoanTerm,
    PatronageBase, PaymentTerms, ProRating, RentTerms, SalePayment, WorkKind,
};

/// The kind of a member, without a household's persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MemberSort {
    Household,
    Collective,
    LegalPerson,
}

pub(crate) const MEMBER_KINDS: &[Word<MemberSort>] = &[
    word_or(MemberSort::Household, "农户", "household", &["户", "家庭"]),
    word_or(MemberSort::Collective, "集体", "collective", &["村集体"]),
    word(MemberSort::LegalPerson, "法人", "legal_person"),
];

pub(crate) const CASH: &[Word<CashAccount>] = &[
    word_or(CashAccount::Bank, "银行", "bank", &["银行存款", "102"]),
    word_or(CashAccount::Cash, "现金", "cash", &["库存现金", "101"]),
];

pub(crate) const COST_PAYMENT: &[Word<CostPayment>] = &[
    word_or(CostPayment::Bank, "银行", "bank", &["银行存款", "102"]),
    word_or(CostPayment::Cash, "现金", "cash", &["库存现金", "101"]),
    word_or(
        CostPayment::Payable,
        "应付",
        "payable",
        &["应付款", "赊购", "211"],
    ),
];

pub(crate) const SALE_PAYMENT: &[Word<SalePayment>] = &[
    word_or(SalePayment::Bank, "银行", "bank", &["银行存款", "102"]),
    word_or(SalePayment::Cash, "现金", "cash", &["库存现金", "101"]),
    word_or(
        SalePayment::Credit,
        "赊销",
        "credit",
        &["应收", "应收款", "113"],
    ),
];

/// The kind of a contract, without its terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContractSort {
    Transfer,
    LandShares,
}

impl ContractSort {
    pub(crate) fn of(kind: &ContractKind) -> ContractSort {
        match kind {
            ContractKind::Transfer { .. } => ContractSort::Transfer,
            ContractKind::LandShares { .. } => ContractSort::LandShares,
        }
    }
}

pub(crate) const CONTRACT_KINDS: &[Word<ContractSort>] = &[
    word_or(ContractSort::Transfer, "流转", "transfer", &["土地流转"]),
    word_or(
        ContractSort::LandShares,
        "入股",
        "land_shares",
        &["土地入股", "shares"],
    ),
];

/// The kind of rent terms, without their figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermsSort {
    Fixed,
    Stepped,
    GrainIndexed,
}

impl TermsSort {
    pub(crate) fn of(terms: &RentTerms) -> TermsSort {
        match terms {
            RentTerms::Fixed { .. } => TermsSort::Fixed,
            RentTerms::Stepped { .. } => TermsSort::Stepped,
            RentTerms::GrainIndexed { .. } => TermsSort::GrainIndexed,
        }
    }
}

pub(crate) const RENT_TERMS: &[Word<TermsSort>] = &[
    word_or(TermsSort::Fixed, "固定", "fixed", &["固定租金"]),
    word_or(TermsSort::Stepped, "递增", "stepped", &["递增租金"]),
    word_or(
        TermsSort::GrainIndexed,
        "实物",
        "grain_indexed",
        &["实物计租", "grain"],
    ),
];

pub(crate) const GRAIN_UNITS: &[Word<GrainUnit>] = &[
    word(GrainUnit::Jin, "斤", "jin"),
    word_or(GrainUnit::Kg, "公斤", "kg", &["千克", "kilogram"]),
];

pub(crate) const PRO_RATING: &[Word<ProRating>] = &[
    word_or(
        ProRating::ActualDays,
        "按日",
        "actual_days",
        &["按天", "实际天数"],
    ),
    word_or(
        ProRating::MonthsAndDays,
        "按月日",
        "months_and_days",
        &["按月", "月日"],
    ),
];

/// Whether rent is paid in advance or in arrears, without the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PaymentSort {
    InAdvance,
    InArrears,
}

impl PaymentSort {
    pub(crate) fn of(terms: PaymentTerms) -> (PaymentSort, u8, u8) {
        match terms {
            PaymentTerms::InAdvance { month, day } => (PaymentSort::InAdvance, month, day),
            PaymentTerms::InArrears { month, day } => (PaymentSort::InArrears, month, day),
        }
    }
}

pub(crate) const PAYMENT_TERMS: &[Word<PaymentSort>] = &[
    word_or(
        PaymentSort::InAdvance,
        "预付",
        "in_advance",
        &["先付", "advance"],
    ),
    word_or(PaymentSort::InArrears, "后付", "in_arrears", &["arrears"]),
];

pub(crate) const LOAN_TERMS: &[Word<LoanTerm>] = &[
    word_or(LoanTerm::Short, "短期", "short", &["短期借款", "201"]),
    word_or(LoanTerm::Long, "长期", "long", &["长期借款", "231"]),
];

pub(crate) const DAY_COUNTS: &[Word<DayCount>] = &[
    word_or(DayCount::Act360, "ACT/360", "act360", &["实际/360"]),
    word_or(DayCount::Act365, "ACT/365", "act365", &["实际/365"]),
    word_or(
        DayCount::ActualActual,
        "实际/实际",
        "actual_actual",
        &["ACT/ACT", "actual/actual"],
    ),
];

pub(crate) const COST_KINDS: &[Word<CostKind>] = &[
    word_or(CostKind::Seedlings, "种苗", "seedlings", &["苗"]),
    word_or(
        CostKind::Fertiliser,
        "肥料",
        "fertiliser",
        &["fertilizer", "化肥"],
    ),
    word(CostKind::Film, "棚膜", "film"),
    word_or(
        CostKind::WaterAndPower,
        "水电费",
        "water_and_power",
        &["水电"],
    ),
    word_or(
        CostKind::ExpertFees,
        "专家指导费",
        "expert_fees",
        &["专家费"],
    ),
    word(CostKind::Other, "其他", "other"),
];

/// How a piece of work is paid, without the figures.
pub(crate) const BASES: &[Word<PayBasis>] = &[
    word_or(PayBasis::Days, "按天", "days", &["天", "日", "按日"]),
    word_or(PayBasis::Hours, "按小时", "hours", &["小时"]),
    word_or(PayBasis::Pieces, "计件", "pieces", &["件"]),
];

pub(crate) const WORK_KINDS: &[Word<WorkKind>] = &[
    word_or(WorkKind::Seasonal, "季节工", "seasonal", &["季节性用工"]),
    word_or(WorkKind::Temporary, "临时工", "temporary", &["临时用工"]),
    word_or(
        WorkKind::Staff,
        "长期工",
        "staff",
        &["固定员工", "管理人员"],
    ),
];

pub(crate) const PATRONAGE_BASES: &[Word<PatronageBase>] = &[
    word_or(PatronageBase::ThisYear, "本年盈余", "this_year", &["本年"]),
    word_or(
        PatronageBase::Distributable,
        "可分配盈余",
        "distributable",
        &["可分配"],
    ),
];

pub(crate) const YES_NO: &[Word<bool>] = &[
    word_or(true, "是", "yes", &["y", "true", "1"]),
    word_or(false, "否", "no", &["n", "false", "0"]),
];

/// A row of `grants.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GrantKind {
    Received,
    SpentOnAsset,
    SpentOnExpense,
    Donation,
}

pub(crate) const GRANT_KINDS: &[Word<GrantKind>] = &[
    word_or(GrantKind::Received, "收到", "received", &["收到补助"]),
    word_or(
        GrantKind::SpentOnAsset,
        "用于资产",
        "spent_on_asset",
        &["资产"],
    ),
    word_or(
        GrantKind::SpentOnExpense,
        "用于费用",
        "spent_on_expense",
        &["费用"],
    ),
    word_or(GrantKind::Donation, "捐赠", "donation", &["收到捐赠"]),
];

/// A row of `adjustments.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AdjustmentKind {
    RentAccrual,
    Depreciation,
    Interest,
    /// Units of work of an asset in the month of the row's date
    /// ([`Event::AssetWorkRecorded`](crate::Event::AssetWorkRecorded)).
    AssetWork,
}

pub(crate) const ADJUSTMENT_KINDS: &[Word<AdjustmentKind>] = &[
    word_or(
        AdjustmentKind::RentAccrual,
        "计提租金",
        "rent_accrual",
        &["租金计提"],
    ),
    word_or(
        AdjustmentKind::Depreciation,
        "折旧",
        "depreciation",
        &["计提折旧"],
    ),
    word_or(AdjustmentKind::Interest, "计提利息", "interest", &["利息"]),
    word_or(
        AdjustmentKind::AssetWork,
        "工作量",
        "asset_work",
        &["实际工作量"],
    ),
];

pub(crate) const ASSET_KINDS: &[Word<AssetKind>] = &[
    word(AssetKind::Fixed, "固定资产", "fixed"),
    word_or(
        AssetKind::ProductiveBiological,
        "生产性生物资产",
        "productive_biological",
        &["生物资产"],
    ),
];

/// How an asset of `assets.csv` depreciates, without its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MethodSort {
    StraightLine,
    UnitsOfWork,
}

pub(crate) const DEPRECIATION_METHODS: &[Word<MethodSort>] = &[
    word_or(
        MethodSort::StraightLine,
        "年限平均法",
        "straight_line",
        &["平均年限法", "直线法"],
    ),
    word(MethodSort::UnitsOfWork, "工作量法", "units_of_work"),
];

/// A row of `land_changes.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LandChangeKind {
    Swap,
    Split,
    Merge,
    /// A contract's rent charged to another account from the row's date on
    /// ([`Event::ContractChargeChanged`](crate::Event::ContractChargeChanged)).
    Charge,
    /// A contract ended early on the row's date, its new last day
    /// ([`Event::ContractEnded`](crate::Event::ContractEnded)).
    End,
}

pub(crate) const LAND_CHANGE_KINDS: &[Word<LandChangeKind>] = &[
    word_or(
        LandChangeKind::Swap,
        "置换",
        "swap",
        &["调换", "互换", "面积置换", "area_swap"],
    ),
    word_or(LandChangeKind::Split, "分割", "split", &["拆分", "分户"]),
    word_or(LandChangeKind::Merge, "合并", "merge", &["并地"]),
    word_or(
        LandChangeKind::Charge,
        "变更列支",
        "charge",
        &["改列科目", "列支变更", "charge_change", "re_point"],
    ),
    word_or(
        LandChangeKind::End,
        "合同解除",
        "end",
        &[
            "协议解除",
            "提前终止",
            "解除合同",
            "contract_ended",
            "ended",
        ],
    ),
];

/// A row of `payments.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PaymentKind {
    Capital,
    CapitalReturned,
    Rent,
    LabourWages,
    StaffWages,
    NonMemberLabourWages,
    NonMemberStaffWages,
    LoanDrawn,
    LoanRepaid,
    InterestSubsidy,
    Receivable,
    /// An earlier year's distribution paid out (`Event::DistributionSettled`).
    SettleDistribution,
    /// A leaver's reserve share paid back (`Event::ReserveShareRefunded`).
    RefundReserve,
    /// Part of a member's reserve share converted to capital (`Event::ReserveConverted`).
    ConvertReserve,
}

pub(crate) const PAYMENT_KINDS: &[Word<PaymentKind>] = &[
    word_or(PaymentKind::Capital, "股金", "capital", &["入股金"]),
    word_or(
        PaymentKind::CapitalReturned,
        "退股金",
        "capital_returned",
        &["退还股金", "股金退还", "退股", "capital_return"],
    ),
    word_or(PaymentKind::Rent, "租金", "rent", &["流转费", "土地流转费"]),
    word_or(
        PaymentKind::LabourWages,
        "劳务费",
        "labour_wages",
        &["labor_wages"],
    ),
    word(PaymentKind::StaffWages, "工资", "staff_wages"),
    word_or(
        PaymentKind::NonMemberLabourWages,
        "非成员劳务费",
        "non_member_labour_wages",
        &["non_member_labor_wages"],
    ),
    word(
        PaymentKind::NonMemberStaffWages,
        "非成员工资",
        "non_member_staff_wages",
    ),
    word_or(
        PaymentKind::LoanDrawn,
        "提款",
        "loan_drawn",
        &["借款提款", "放款"],
    ),
    word(PaymentKind::LoanRepaid, "还款", "loan_repaid"),
    word(PaymentKind::InterestSubsidy, "贴息", "interest_subsidy"),
    word_or(
        PaymentKind::Receivable,
        "回款",
        "receivable",
        &["收回应收款"],
    ),
    word_or(
        PaymentKind::SettleDistribution,
        "分配兑付",
        "settle_distribution",
        &[
            "盈余分配兑付",
            "兑付盈余分配",
            "支付盈余分配",
            "distribution_settled",
        ],
    ),
    word_or(
        PaymentKind::RefundReserve,
        "退还公积金",
        "refund_reserve",
        &[
            "退还公积金份额",
            "公积金退还",
            "reserve_share_refunded",
            "reserve_refund",
        ],
    ),
    word_or(
        PaymentKind::ConvertReserve,
        "公积金转股",
        "convert_reserve",
        &[
            "公积金转为股金",
            "公积金转增股金",
            "公积金转股金",
            "reserve_converted",
        ],
    ),
];

/// The source of capital in `payments.csv`: of a contribution, or of money capital returned.
pub(crate) const CAPITAL_SOURCES: &[Word<crate::CapitalSource>] = &[
    word_or(
        crate::CapitalSource::PovertyRelief,
        "扶贫资产",
        "poverty_relief",
        &[
            "扶贫资产折股量化",
            "扶贫",
            "扶贫资金",
            "poverty_relief_assets",
        ],
    ),
    word_or(
        crate::CapitalSource::Other,
        "其他",
        "other",
        &["其他来源", "other_sources", "自有资金"],
    ),
];

/// Cost targets and tasks that are not greenhouses.
pub(crate) const ALL_GREENHOUSES: (&str, &str) = ("全部大棚", "all_greenhouses");
pub(crate) const ADMINISTRATION: (&str, &str) = ("管理", "administration");
