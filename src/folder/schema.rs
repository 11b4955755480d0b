//! The files of a book folder and their columns: names in Chinese and English, which are
//! required, and the order in which their events are applied.

/// A column of a file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    /// The English name, also the key the code uses.
    pub(crate) en: &'static str,
    /// The Chinese name (with its unit in brackets, which a header may leave out).
    pub(crate) zh: &'static str,
    /// Whether the header row must have it.
    pub(crate) required: bool,
    /// What goes in it, for the folder's README.
    pub(crate) about: &'static str,
}

const fn req(en: &'static str, zh: &'static str, about: &'static str) -> Col {
    Col {
        en,
        zh,
        required: true,
        about,
    }
}

const fn opt(en: &'static str, zh: &'static str, about: &'static str) -> Col {
    Col {
        en,
        zh,
        required: false,
        about,
    }
}

const NOTE: Col = opt("note", "备注", "anything; not read");

/// The files of a book folder, in the order their events are applied (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FileKind {
    Policy,
    Accounts,
    Members,
    Parcels,
    Contracts,
    GrainPrices,
    Loans,
    LandChanges,
    Greenhouses,
    Assets,
    Grants,
    Costs,
    Labour,
    Harvests,
    Sales,
    Adjustments,
    Payments,
}

impl FileKind {
    pub(crate) const ALL: [FileKind; 17] = [
        FileKind::Policy,
        FileKind::Accounts,
        FileKind::Members,
        FileKind::Parcels,
        FileKind::Contracts,
        FileKind::GrainPrices,
        FileKind::Loans,
        FileKind::LandChanges,
        FileKind::Greenhouses,
        FileKind::Assets,
        FileKind::Grants,
        FileKind::Costs,
        FileKind::Labour,
        FileKind::Harvests,
        FileKind::Sales,
        FileKind::Adjustments,
        FileKind::Payments,
    ];

    /// The file's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            FileKind::Policy => "policy.csv",
            FileKind::Accounts => "accounts.csv",
            FileKind::Members => "members.csv",
            FileKind::Parcels => "parcels.csv",
            FileKind::Contracts => "contracts.csv",
            FileKind::GrainPrices => "grain_prices.csv",
            FileKind::Loans => "loans.csv",
            FileKind::LandChanges => "land_changes.csv",
            FileKind::Greenhouses => "greenhouses.csv",
            FileKind::Assets => "assets.csv",
            FileKind::Grants => "grants.csv",
            FileKind::Costs => "costs.csv",
            FileKind::Labour => "labour.csv",
            FileKind::Harvests => "harvests.csv",
            FileKind::Sales => "sales.csv",
            FileKind::Adjustments => "adjustments.csv",
            FileKind::Payments => "payments.csv",
        }
    }

    /// The file's Chinese name, which the folder may use instead.
    pub(crate) fn zh_name(self) -> &'static str {
        match self {
            FileKind::Policy => "章程.csv",
            FileKind::Accounts => "明细科目.csv",
            FileKind::Members => "成员.csv",
            FileKind::Parcels => "地块.csv",
            FileKind::Contracts => "合同.csv",
            FileKind::GrainPrices => "粮价.csv",
            FileKind::Loans => "借款.csv",
            FileKind::LandChanges => "土地变更.csv",
            FileKind::Greenhouses => "大棚.csv",
            FileKind::Assets => "资产.csv",
            FileKind::Grants => "补助.csv",
            FileKind::Costs => "费用.csv",
            FileKind::Labour => "用工.csv",
            FileKind::Harvests => "采收.csv",
            FileKind::Sales => "销售.csv",
            FileKind::Adjustments => "期末调整.csv",
            FileKind::Payments => "收付款.csv",
        }
    }

    /// The problem of a folder without this file, which every folder must have: what the
    /// file is and what it holds.
    pub(crate) fn missing(self) -> super::Problem {
        super::Problem::file(
            self.name(),
            super::ProblemKind::MissingFile,
            format!(
                "the file is missing; every book folder has {} ({}), {}",
                self.name(),
                self.zh_name(),
                self.about()
            ),
        )
    }

    /// What the file holds, for the README.
    pub(crate) fn about(self) -> &'static str {
        match self {
            FileKind::Policy => "the bylaws' choices and the year, one setting a row",
            FileKind::Accounts => "sub-accounts the accountant opens (设置明细科目)",
            FileKind::Members => {
                "the member register (成员名册), one member a row, with the last day of a \
                 member who leaves in the year"
            }
            FileKind::Parcels => "parcels of contracted land, one parcel a row",
            FileKind::Contracts => {
                "transfer and land-share contracts, one row per parcel of a contract; the \
                 contract's terms are given on its first row and repeated or left empty on \
                 the others"
            }
            FileKind::GrainPrices => "crop prices for grain-indexed rent (实物计租)",
            FileKind::Loans => "loan contracts, one loan a row (drawdowns are in payments.csv)",
            FileKind::LandChanges => {
                "changes to the land after the registers: area swapped between two contracts \
                 (one row), a parcel split (one row per new parcel), parcels merged (one row), \
                 a contract's rent charged to another account from a day on (one row) or a \
                 contract ended early, 协议解除, on its new last day (one row)"
            }
            FileKind::Greenhouses => {
                "greenhouses built, one greenhouse a row, with the last day in use of one \
                 taken out of use in the year (through 154 固定资产清理)"
            }
            FileKind::Assets => {
                "other fixed assets (machines, wells, sheds) and productive biological assets \
                 (vines, fruit trees) put into use, one asset a row, with the last day in use \
                 of one taken out of use in the year; their units of work are rows of \
                 adjustments.csv"
            }
            FileKind::Grants => "state grants received and spent, and donations",
            FileKind::Costs => "operating and administrative costs",
            FileKind::Labour => {
                "work records; rows with the same timesheet date form one timesheet"
            }
            FileKind::Harvests => "harvests, one greenhouse and day a row",
            FileKind::Sales => "sales of produce",
            FileKind::Adjustments => "period-end adjustments: rent accrual, depreciation, interest",
            FileKind::Payments => {
                "money in and out: capital contributed and paid back, rent and wages paid, \
                 loan drawdowns and repayments, interest subsidies, receivables collected, \
                 an earlier year's distribution paid out, reserve shares paid back or converted to capital"
            }
        }
    }

    /// Whether the file is a register applied before the year's transactions (in the order
    /// of [`FileKind::ALL`], rows in file order), rather than merged with them by date.
    pub(crate) fn is_register(self) -> bool {
        self <= FileKind::Loans
    }

    /// The file's columns, in the order `--init` writes them.
    pub(crate) fn columns(self) -> &'static [Col] {
        match self {
            FileKind::Policy => {
                const C: &[Col] = &[
                    req(
                        "setting",
                        "项目",
                        "the setting's name (see the rows written by --init)",
                    ),
                    req("value", "值", "its value"),
                    NOTE,
                ];
                C
            }
            FileKind::Accounts => {
                const C: &[Col] = &[
                    req(
                        "code",
                        "科目编码",
                        "a sub-account code under a standard account, such as 521.RENT",
                    ),
                    req("name_zh", "科目名称", "its Chinese name"),
                    req("name_en", "英文名称", "its English name"),
                    NOTE,
                ];
                C
            }
            FileKind::Members => {
                const C: &[Col] = &[
                    req(
                        "member",
                        "成员编号",
                        "the member's id: ASCII letters, digits and -, such as H01",
                    ),
                    req(
                        "name",
                        "姓名",
                        "the head of the household, or the member's name",
                    ),
                    opt(
                        "kind",
                        "类别",
                        "农户 household (the default), 集体 collective or 法人 legal_person",
                    ),
                    opt(
                        "persons",
                        "人口",
                        "persons in the household (households only)",
                    ),
                    req("village", "村", "the village"),
                    req("joined", "入社日期", "the day the member joined"),
                    opt(
                        "left",
                        "退社日期",
                        "the last day of membership, in the year of policy.csv and not before \
                         the joining, for a member who leaves (empty for one who stays); their \
                         contracts end by then (终止日期 end, or a 合同解除 end row of \
                         land_changes.csv ending one early, as one carried forward from an \
                         earlier year is), and their rent is accrued and paid by then",
                    ),
                    NOTE,
                ];
                C
            }
            FileKind::Parcels => {
                const C: &[Col] = &[
                    req("parcel", "地块编号", "the parcel's id"),
                    req(
                        "owner",
                        "承包户",
                        "the member id of the household holding it",
                    ),
                    req("area", "面积(亩)", "its area in mu, above zero"),
                    req("village", "村", "the village it lies in"),
                    req("land_class", "地类", "水田, 旱地, 水浇地, …"),
                    req("registered", "登记日期", "the day it entered the register"),
                    NOTE,
                ];
                C
            }
            FileKind::Contracts => {
                const C: &[Col] = &[
                    req("contract", "合同编号", "the contract's id"),
                    req("member", "成员编号", "the member whose land it is"),
                    req("parcel", "地块编号", "a parcel the contract covers"),
                    req(
                        "area",
                        "面积(亩)",
                        "the area of that parcel contracted, in mu",
                    ),
                    req("start", "起始日期", "the first day of the term"),
                    req("end", "终止日期", "the last day of the term"),
                    opt(
                        "kind",
                        "类型",
                        "流转 transfer (the default) or 入股 land_shares",
                    ),
                    opt(
                        "rent_terms",
                        "租金方式",
                        "固定 fixed (the default), 递增 stepped or 实物 grain_indexed",
                    ),
                    opt(
                        "yuan_per_mu",
                        "租金(元/亩)",
                        "yuan per mu per year (fixed and stepped rent)",
                    ),
                    opt(
                        "step_percent",
                        "递增(%)",
                        "the rise at each step, in percent (stepped rent)",
                    ),
                    opt(
                        "step_every_years",
                        "递增间隔(年)",
                        "years between steps (stepped rent)",
                    ),
                    opt("crop", "作物", "the crop (grain-indexed rent)"),
                    opt("unit", "单位", "斤 jin or 公斤 kg (grain-indexed rent)"),
                    opt(
                        "quantity_per_mu",
                        "每亩数量",
                        "quantity of the crop per mu per year (grain-indexed rent)",
                    ),
                    opt(
                        "reset_every_years",
                        "定价周期(年)",
                        "years a price holds (grain-indexed rent)",
                    ),
                    opt("shares_per_mu", "每亩股数", "shares per mu (land shares)"),
                    opt(
                        "value_per_share",
                        "每股价值",
                        "capital value of one share in yuan (land shares)",
                    ),
                    opt(
                        "guaranteed_per_share",
                        "每股保底",
                        "guaranteed yuan per share per year (land shares)",
                    ),
                    opt(
                        "pro_rating",
                        "计租方式",
                        "按日 actual_days (the default) or 按月日 months_and_days",
                    ),
                    req("payment", "付租方式", "预付 in_advance or 后付 in_arrears"),
                    req(
                        "pay_by",
                        "付租日",
                        "month and day rent is due, such as 03-01",
                    ),
                    req(
                        "charge_to",
                        "列支科目",
                        "the cost account rent is charged to, such as 521.RENT or 401",
                    ),
                    NOTE,
                ];
                C
            }
            FileKind::GrainPrices => {
                const C: &[Col] = &[
                    req("crop", "作物", "the crop, as contracts name it"),
                    req("unit", "单位", "斤 jin or 公斤 kg"),
                    req("date", "日期", "the price date"),
                    req("price", "单价(元)", "yuan per unit, above zero"),
                    NOTE,
                ];
                C
            }
            FileKind::Loans => {
                const C: &[Col] = &[
                    req("loan", "借款编号", "the loan's id"),
                    req("lender", "贷款方", "the bank or lender"),
                    req("term", "期限", "短期 short (201) or 长期 long (231)"),
                    req("amount", "金额", "the most that can be drawn"),
                    req(
                        "rate_percent",
                        "年利率(%)",
                        "the contract rate in percent a year",
                    ),
                    req(
                        "day_count",
                        "计息方式",
                        "ACT/360, ACT/365 or 实际/实际 actual_actual",
                    ),
                    req("signed", "签订日期", "the day the contract was signed"),
                    req("maturity", "到期日期", "the day the principal is due"),
                    opt(
                        "raised_for",
                        "用于成员",
                        "member ids the loan was raised for, separated by spaces or 、",
                    ),
                    NOTE,
                ];
                C
            }
            FileKind::LandChanges => {
                const C: &[Col] = &[
                    req(
                        "date",
                        "日期",
                        "the first day of the new areas (swap), of the new parcels (split, merge) or of the new account (charge); end: the contract's new last day",
                    ),
                    req(
                        "kind",
                        "类别",
                        "置换 swap, 分割 split, 合并 merge, 变更列支 charge or 合同解除 end (a contract ended early, 协议解除)",
                    ),
                    opt(
                        "contract",
                        "合同编号",
                        "swap: one of the two contracts; charge: the contract whose rent is charged to another account; end: the contract ended",
                    ),
                    opt(
                        "gives",
                        "换出面积(亩)",
                        "swap: the area that contract gives the other, in mu (empty for 0)",
                    ),
                    opt("other_contract", "对方合同编号", "swap: the other contract"),
                    opt(
                        "other_gives",
                        "对方换出面积(亩)",
                        "swap: the area the other contract gives back, in mu (empty for 0)",
                    ),
                    opt(
                        "payer",
                        "补偿付款人",
                        "swap: the member who pays for unequal areas (one of the two contracts' members), if anyone does",
                    ),
                    opt(
                        "compensation",
                        "补偿金额",
                        "swap: the amount that member pays the other, in yuan",
                    ),
                    opt(
                        "parcel",
                        "地块编号",
                        "split: the parcel split (the same on each of its rows); merge: the parcels merged, separated by spaces or 、",
                    ),
                    opt(
                        "new_parcel",
                        "新地块编号",
                        "split: one new parcel; merge: the parcel they become",
                    ),
                    opt(
                        "area",
                        "面积(亩)",
                        "split: the new parcel's area in mu (the parts add up to the parcel)",
                    ),
                    opt(
                        "charge_to",
                        "列支科目",
                        "charge: the cost account the contract's rent is charged to from the date on (401, 521.RENT, a greenhouse's 521.GH01, …)",
                    ),
                    opt(
                        "reason",
                        "解除原因",
                        "end: why the contract ended (协议解除, 成员退社, …), kept in the contract register; may be empty",
                    ),
                    NOTE,
                ];
                C
            }
            FileKind::Greenhouses => {
                const C: &[Col] = &[
                    req(
                        "greenhouse",
                        "大棚编号",
                        "the greenhouse's id, such as GH01",
                    ),
                    req("name", "名称", "its name"),
                    req("area", "面积(亩)", "its area in mu, above zero"),
                    req("crop", "作物", "the crop's id, such as GRAPE"),
                    req("built", "建成日期", "the day it was put into use"),
                    req("cost", "造价", "the construction cost"),
                    req("residual", "残值", "the residual value"),
                    req("life_months", "折旧月数", "the useful life in months"),
                    req(
                        "paid_from",
                        "付款方式",
                        "银行 bank, 现金 cash or 应付 payable",
                    ),
                    opt(
                        "retired",
                        "拆除日期",
                        "the last day in use of a greenhouse taken down, scrapped or sold, in \
                         the year of policy.csv and not before it was built (empty for one \
                         still in use); nothing is harvested, spent or worked on it after",
                    ),
                    opt(
                        "proceeds",
                        "残值收入",
                        "what its remains fetch (残料变价收入), zero or more (empty for none); \
                         a retired greenhouse only",
                    ),
                    opt(
                        "proceeds_account",
                        "收款账户",
                        "where the proceeds are paid in: 银行 bank (the default) or 现金 cash; \
                         a retired greenhouse only",
                    ),
                    NOTE,
                ];
                C
            }
            FileKind::Assets => {
                const C: &[Col] = &[
                    req("asset", "资产编号", "the asset's id, such as V01"),
                    req("name", "名称", "its name"),
                    req(
                        "kind",
                        "类别",
                        "固定资产 fixed (151, 152) or 生产性生物资产 productive_biological (142, 143)",
                    ),
                    req(
                        "in_use",
                        "投入使用日期",
                        "the day it was put into use (vines: the day they start to bear, 投产); depreciation starts the next month",
                    ),
                    req("cost", "原值", "its cost, above zero"),
                    req("residual", "残值", "the residual value"),
                    opt(
                        "method",
                        "折旧方法",
                        "年限平均法 straight_line (the default) or 工作量法 units_of_work",
                    ),
                    opt(
                        "life_months",
                        "折旧月数",
                        "the useful life in months (straight_line)",
                    ),
                    opt(
                        "total_units",
                        "预计总工作量",
                        "the units of work expected over its life, above zero (units_of_work; each month's units are asset_work rows of adjustments.csv)",
                    ),
                    opt(
                        "greenhouse",
                        "大棚编号",
                        "the greenhouse it serves, whose operating expenses (521.<greenhouse>) take its depreciation (empty: 523 管理费用)",
                    ),
                    req(
                        "paid_from",
                        "付款方式",
                        "银行 bank, 现金 cash or 应付 payable",
                    ),
                    opt(
                        "retired",
                        "处置日期",
                        "the last day in use of an asset sold, scrapped or grubbed up, in the year of policy.csv and not before it was put into use (empty for one still in use)",
                    ),
                    opt(
                        "proceeds",
                        "处置收入",
                        "what it fetches (变价收入), zero or more (empty for none); a retired asset only",
                    ),
                    opt(
                        "proceeds_account",
                        "收款账户",
                        "where the proceeds are paid in: 银行 bank (the default) or 现金 cash; a retired asset only",
                    ),
                    NOTE,
                ];
                C
            }
            FileKind::Grants => {
                const C: &[Col] = &[
                req("date", "日期", "the day"),
                req("kind", "类别", "收到 received, 用于资产 spent_on_asset, 用于费用 spent_on_expense or 捐赠 donation"),
                opt("grant", "补助编号", "the grant's id (not for donations)"),
                req("amount", "金额", "the amount, above zero"),
                opt("account", "账户", "银行 bank (the default) or 现金 cash"),
                opt("source", "来源", "who granted or donated it (received, donation)"),
                opt("purpose", "用途", "what the grant is for (received), the asset (spent_on_asset) or what it paid for (spent_on_expense)"),
                NOTE,
            ];
                C
            }
            FileKind::Costs => {
                const C: &[Col] = &[
                req("date", "日期", "the day"),
                req("kind", "类别", "种苗 seedlings, 肥料 fertiliser, 棚膜 film, 水电费 water_and_power, 专家指导费 expert_fees or 其他 other"),
                req("amount", "金额", "the amount, above zero"),
                req("charged_to", "列支对象", "a greenhouse id, several ids (split by area), 全部大棚 all_greenhouses or 管理 administration"),
                req("payment", "付款方式", "银行 bank, 现金 cash or 应付 payable"),
                opt("memo", "摘要", "the entry's memo"),
                NOTE,
            ];
                C
            }
            FileKind::Labour => {
                const C: &[Col] = &[
                    req(
                        "date",
                        "日期",
                        "the day worked (or the last day of the period)",
                    ),
                    opt(
                        "member",
                        "成员编号",
                        "the member who worked (or fill non_member)",
                    ),
                    opt(
                        "non_member",
                        "非成员姓名",
                        "the name of a worker who is not a member",
                    ),
                    req("task", "工作", "a greenhouse id or 管理 administration"),
                    req(
                        "basis",
                        "计酬方式",
                        "按天 days, 按小时 hours or 计件 pieces",
                    ),
                    req("quantity", "数量", "days, hours or pieces"),
                    req("rate", "单价", "yuan per day, hour or piece"),
                    req(
                        "kind",
                        "用工类别",
                        "季节工 seasonal, 临时工 temporary or 长期工 staff",
                    ),
                    opt(
                        "sheet_date",
                        "工资表日期",
                        "the timesheet's entry date (default: the day worked)",
                    ),
                    NOTE,
                ];
                C
            }
            FileKind::Harvests => {
                const C: &[Col] = &[
                    req("date", "日期", "the day of the harvest"),
                    req("greenhouse", "大棚编号", "the greenhouse"),
                    req("kg", "重量(公斤)", "kilograms, above zero"),
                    opt("grade", "等级", "the grade"),
                    NOTE,
                ];
                C
            }
            FileKind::Sales => {
                const C: &[Col] = &[
                    req("date", "日期", "the day of the sale"),
                    req(
                        "greenhouse",
                        "大棚编号",
                        "the greenhouse whose produce it was",
                    ),
                    req("kg", "重量(公斤)", "kilograms, above zero"),
                    req("price_per_kg", "单价(元/公斤)", "yuan per kilogram"),
                    req("buyer", "买方", "the buyer"),
                    req("payment", "收款方式", "银行 bank, 现金 cash or 赊销 credit"),
                    NOTE,
                ];
                C
            }
            FileKind::Adjustments => {
                const C: &[Col] = &[
                req("date", "日期", "the entry date (rent accrual), the month's last day (depreciation), the last day of interest or a day of the month worked (asset_work)"),
                req("kind", "类别", "计提租金 rent_accrual, 折旧 depreciation, 计提利息 interest or 工作量 asset_work (an asset's units of work in the month)"),
                opt("from", "起始日期", "the first day of the rent period (rent_accrual)"),
                opt("to", "截止日期", "the last day of the rent period (rent_accrual; default: the date)"),
                opt("refs", "对象", "contract ids (rent_accrual; empty for all), the loan id (interest) or the asset id (asset_work)"),
                opt("units", "工作量", "the units of work the asset gave in the month, above zero (asset_work)"),
                NOTE,
            ];
                C
            }
            FileKind::Payments => {
                const C: &[Col] = &[
                req("date", "日期", "the day"),
                req("kind", "类别", "股金 capital, 退股金 capital_returned, 租金 rent, 劳务费 labour_wages, 工资 staff_wages, 非成员劳务费 non_member_labour_wages, 非成员工资 non_member_staff_wages, 提款 loan_drawn, 还款 loan_repaid, 贴息 interest_subsidy, 回款 receivable, 分配兑付 settle_distribution (an earlier year's distribution paid out), 退还公积金 refund_reserve (a leaver's reserve share paid back) or 公积金转股 convert_reserve (part of a member's reserve share converted to their capital)"),
                req("party", "对象", "the member id, the non-member's name, the loan id or the buyer; for settle_distribution, the year whose distribution is paid (2019), a year the earlier years' book closed"),
                req("amount", "金额", "the amount (the principal for loan_repaid; for refund_reserve the member's whole reserve share; for settle_distribution, which pays what the close gave each member, empty or the total paid out of 账户 account, which must be the book's)"),
                opt("interest", "利息", "interest paid (loan_repaid)"),
                opt("account", "账户", "银行 bank (the default) or 现金 cash; empty for convert_reserve, which moves no money"),
                opt("capital_source", "股金来源", "扶贫资产 poverty_relief (household poverty-relief assets quantified as shares, 扶贫资产折股量化) or 其他 other (the default); capital and capital_returned rows only (a return of a contract's land-share capital is other)"),
                opt("premium", "资本溢价", "the part of the amount paid above the member's share, credited to 321 资本公积 (less than the amount; empty for none); capital rows only"),
                opt("contract", "合同编号", "the member's land-share contract (入股) whose capital is paid back, on or after its end (capital_returned; empty for money capital)"),
                NOTE,
            ];
                C
            }
        }
    }

    /// The file whose name is `name` (English or Chinese, case-insensitive: `成员.CSV` too).
    pub(crate) fn from_file_name(name: &str) -> Option<FileKind> {
        let lower = name.to_lowercase();
        FileKind::ALL
            .into_iter()
            .find(|kind| kind.name() == lower || kind.zh_name() == lower)
    }
}

/// Whether a folder's file named `name` is left alone rather than read: its name does not
/// end in `.csv`, or it is a file other programs leave beside the folder's files: `._NAME`
/// (the resource fork a Mac writes beside each file it copies to a USB stick or a shared
/// drive) or `~$NAME` (the owner file Excel and WPS keep while a sheet is open).
pub(crate) fn left_alone(name: &str) -> bool {
    !name.to_lowercase().ends_with(".csv") || name.starts_with("._") || name.starts_with("~$")
}

/// The folder's file that a file left alone (see [`left_alone`]) is a sheet of, saved in a
/// format a run does not read: a workbook (`labour.xlsx`, `用工.xls`, WPS's `.et`, `.ods`)
/// or Excel's and WPS's text (`labour.txt`). Its rows are not read: without the file's
/// `.csv` beside it, a run would take the file for one with no rows.
pub(crate) fn saved_in_another_format(name: &str) -> Option<FileKind> {
    if name.starts_with("._") || name.starts_with("~$") {
        return None;
    }
    let (stem, extension) = name.rsplit_once('.')?;
    ["xlsx", "xlsm", "xlsb", "xls", "et", "ods", "txt"]
        .iter()
        .any(|e| extension.eq_ignore_ascii_case(e))
        .then(|| FileKind::from_file_name(&format!("{stem}.csv")))
        .flatten()
}

/// The key a header cell or a word is compared by: lower case, without white space, `_`, `-`,
/// `*` (the mark of a required column in many templates: `*成员编号`) or anything in
/// brackets, full-width forms folded to ASCII.
pub(crate) fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        let c = match c {
            '（' => '(',
            '）' => ')',
            '％' => '%',
            '／' => '/',
            '\u{3000}' => ' ',
            '＊' => '*',
            c => c,
        };
        match c {
            '(' => depth = depth.saturating_add(1),
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || c == '_' || c == '-' || c == '*' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether a header cell (or a setting's name) names `col`: its Chinese name, its English
/// name, or both (`成员编号 member`), units in brackets optional; a unit in brackets must be
/// the column's (see [`units_agree`]).
pub(crate) fn names(text: &str, zh: &'static str, en: &str) -> bool {
    names_but_units(text, zh, en) && units_agree(text, zh, en)
}

/// Whether a header cell names `col` when what it has in brackets is left aside.
pub(crate) fn names_but_units(text: &str, zh: &str, en: &str) -> bool {
    let text = key(text);
    !text.is_empty()
        && (text == key(zh) || text == key(en) || text == format!("{}{}", key(zh), key(en)))
}

/// The columns of amounts in yuan whose Chinese names give no unit (`金额`): a header may
/// still give one, `金额(元)`, and it must be yuan.
const YUAN_COLUMNS: [&str; 8] = [
    "amount",
    "cost",
    "residual",
    "proceeds",
    "compensation",
    "interest",
    "premium",
    "value_per_share",
];

/// The unit of the column `zh`/`en`, as its Chinese name gives it in brackets (`亩` for
/// `面积(亩)`), or `元` for a column of amounts; `None` for a column without one.
pub(crate) fn unit(zh: &'static str, en: &str) -> Option<&'static str> {
    match zh.split_once('(') {
        Some((_, rest)) => rest.strip_suffix(')'),
        None => YUAN_COLUMNS.contains(&en).then_some("元"),
    }
}

/// A unit as a header may write it, in the form [`unit`] gives: lower case, without white
/// space, full-width forms folded, and each part of a ratio (`yuan/mu`) in Chinese.
fn unit_key(text: &str) -> String {
    let folded: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '％' => '%',
            '／' => '/',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    let parts: Vec<&str> = folded
        .split('/')
        .map(|part| match part {
            "mu" => "亩",
            "kg" | "千克" | "kilogram" | "kilograms" => "公斤",
            "yuan" | "rmb" | "人民币" | "人民币元" | "¥" | "￥" => "元",
            "percent" => "%",
            "year" | "years" | "每年" => "年",
            part => part,
        })
        .collect();
    parts.join("/")
}

/// Whether what a header cell has in brackets agrees with the column's unit: for a column
/// with a unit (see [`unit`]), each bracketed text must be that unit, in Chinese or English
/// (`重量(公斤)`, `重量(kg)`, not `重量(斤)`, which would have jin read as kilograms); for a
/// column without one, brackets hold a note and anything goes.
pub(crate) fn units_agree(text: &str, zh: &'static str, en: &str) -> bool {
    let Some(unit) = unit(zh, en) else {
        return true;
    };
    bracketed(text).iter().all(|given| {
        let given = unit_key(given);
        // Rent per mu is a year's rent: 元/亩/年 says so.
        given == unit || (unit == "元/亩" && given == "元/亩/年")
    })
}

/// The texts in brackets (round, ASCII or full-width) of `text`, outermost.
fn bracketed(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' | '（' => {
                if depth > 0 {
                    current.push(c);
                }
                depth = depth.saturating_add(1);
            }
            ')' | '）' if depth > 0 => {
                depth = depth.saturating_sub(1);
                match depth {
                    0 => found.push(std::mem::take(&mut current)),
                    _ => current.push(c),
                }
            }
            c if depth > 0 => current.push(c),
            _ => {}
        }
    }
    found
}

/// A column's header as `--init` writes it: `成员编号 member`.
pub(crate) fn header(col: &Col) -> String {
    format!("{} {}", col.zh, col.en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_a_column_gives_is_one_a_header_can_spell() {
        let mut units = std::collections::BTreeSet::new();
        let settings = crate::folder::SETTINGS.iter().map(|(en, zh, _)| (*zh, *en));
        let columns = FileKind::ALL
            .iter()
            .flat_map(|kind| kind.columns())
            .map(|col| (col.zh, col.en));
        for (zh, en) in columns.chain(settings) {
            if let Some(unit) = unit(zh, en) {
                // The unit as the column's own header gives it agrees with itself.
                assert!(units_agree(zh, zh, en), "{zh}");
                assert_eq!(unit_key(unit), unit, "{zh}");
                units.insert(unit);
            }
        }
        assert_eq!(
            units.into_iter().collect::<Vec<_>>(),
            ["%", "亩", "元", "元/亩", "元/公斤", "公斤", "年"]
        );
        assert_eq!(
            bracketed("a (b (c)) d（e）(f"),
            ["b (c)".to_string(), "e".to_string()]
        );
        assert!(units_agree("租金(yuan/mu)", "租金(元/亩)", "yuan_per_mu"));
        assert!(units_agree(
            "租金（元／亩／年）",
            "租金(元/亩)",
            "yuan_per_mu"
        ));
        assert!(!units_agree("租金(元/亩/月)", "租金(元/亩)", "yuan_per_mu"));
        assert!(!units_agree("年利率(‰)", "年利率(%)", "rate_percent"));
        assert!(units_agree("年利率(percent)", "年利率(%)", "rate_percent"));
    }
}
