//! The chart of accounts: the 2021 cooperative chart (财会〔2021〕37号) and the sub-accounts a
//! cooperative opens under it.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::hashing::CodeIndex;
use super::{
    Account, AccountClass, AccountCode, LedgerError, Name, Side, MAX_ACCOUNTS,
    MAX_ACCOUNT_NAME_BYTES,
};
use crate::Result;

use AccountClass::{Asset, Cost, Equity, Liability, ProfitAndLoss};
use Side::{Credit, Debit};

/// One standard account: code, Chinese name, English name, class, normal side, and the
/// component that names it in plain-text exports.
type StandardAccount = (
    &'static str,
    &'static str,
    &'static str,
    AccountClass,
    Side,
    &'static str,
);

/// The 2021 chart of accounts for farmers' professional cooperatives (农民专业合作社会计制度,
/// 财会〔2021〕37号), in force from 2023-01-01.
const STANDARD: [StandardAccount; 50] = [
    ("101", "库存现金", "Cash on hand", Asset, Debit, "Cash"),
    (
        "102",
        "银行存款",
        "Bank deposits",
        Asset,
        Debit,
        "BankDeposits",
    ),
    (
        "109",
        "其他货币资金",
        "Other monetary funds",
        Asset,
        Debit,
        "OtherMonetaryFunds",
    ),
    ("113", "应收款", "Receivables", Asset, Debit, "Receivables"),
    (
        "114",
        "成员往来",
        "Member current accounts",
        Asset,
        Debit,
        "MemberAccounts",
    ),
    (
        "121",
        "产品物资",
        "Products and materials",
        Asset,
        Debit,
        "ProductsAndMaterials",
    ),
    ("122", "包装物", "Packaging", Asset, Debit, "Packaging"),
    (
        "124",
        "委托加工物资",
        "Materials in outside processing",
        Asset,
        Debit,
        "MaterialsInProcessing",
    ),
    (
        "125",
        "委托代销商品",
        "Goods consigned for sale",
        Asset,
        Debit,
        "GoodsConsignedOut",
    ),
    (
        "127",
        "受托代购商品",
        "Goods purchased as agent",
        Asset,
        Debit,
        "GoodsPurchasedAsAgent",
    ),
    (
        "128",
        "受托代销商品",
        "Goods held for sale as agent",
        Asset,
        Debit,
        "GoodsHeldAsAgent",
    ),
    (
        "131",
        "对外投资",
        "Outward investments",
        Asset,
        Debit,
        "Investments",
    ),
    (
        "141",
        "消耗性生物资产",
        "Consumable biological assets",
        Asset,
        Debit,
        "ConsumableBiologicalAssets",
    ),
    (
        "142",
        "生产性生物资产",
        "Productive biological assets",
        Asset,
        Debit,
        "ProductiveBiologicalAssets",
    ),
    (
        "143",
        "生产性生物资产累计折旧",
        "Accumulated depreciation of productive biological assets",
        Asset,
        Credit,
        "BiologicalAssetsDepreciation",
    ),
    (
        "144",
        "公益性生物资产",
        "Public-welfare biological assets",
        Asset,
        Debit,
        "PublicWelfareBiologicalAssets",
    ),
    (
        "151",
        "固定资产",
        "Fixed assets",
        Asset,
        Debit,
        "FixedAssets",
    ),
    (
        "152",
        "累计折旧",
        "Accumulated depreciation",
        Asset,
        Credit,
        "AccumulatedDepreciation",
    ),
    (
        "153",
        "在建工程",
        "Construction in progress",
        Asset,
        Debit,
        "ConstructionInProgress",
    ),
    (
        "154",
        "固定资产清理",
        "Fixed assets in disposal",
        Asset,
        Debit,
        "FixedAssetsInDisposal",
    ),
    (
        "161",
        "无形资产",
        "Intangible assets",
        Asset,
        Debit,
        "IntangibleAssets",
    ),
    (
        "162",
        "累计摊销",
        "Accumulated amortisation",
        Asset,
        Credit,
        "AccumulatedAmortisation",
    ),
    (
        "171",
        "长期待摊费用",
        "Long-term prepaid expenses",
        Asset,
        Debit,
        "LongTermPrepaidExpenses",
    ),
    (
        "181",
        "待处理财产损溢",
        "Property losses and gains pending",
        Asset,
        Debit,
        "PendingPropertyLossesAndGains",
    ),
    (
        "201",
        "短期借款",
        "Short-term borrowings",
        Liability,
        Credit,
        "ShortTermBorrowings",
    ),
    ("211", "应付款", "Payables", Liability, Credit, "Payables"),
    (
        "212",
        "应付工资",
        "Wages payable",
        Liability,
        Credit,
        "WagesPayable",
    ),
    (
        "213",
        "应付劳务费",
        "Labour fees payable",
        Liability,
        Credit,
        "LabourFeesPayable",
    ),
    (
        "214",
        "应交税费",
        "Taxes payable",
        Liability,
        Credit,
        "TaxesPayable",
    ),
    (
        "215",
        "应付利息",
        "Interest payable",
        Liability,
        Credit,
        "InterestPayable",
    ),
    (
        "221",
        "应付盈余返还",
        "Patronage returns payable",
        Liability,
        Credit,
        "PatronageReturnsPayable",
    ),
    (
        "222",
        "应付剩余盈余",
        "Remaining surplus payable",
        Liability,
        Credit,
        "RemainingSurplusPayable",
    ),
    (
        "231",
        "长期借款",
        "Long-term borrowings",
        Liability,
        Credit,
        "LongTermBorrowings",
    ),
    (
        "235",
        "专项应付款",
        "Special payables",
        Liability,
        Credit,
        "SpecialPayables",
    ),
    (
        "301",
        "股金",
        "Share capital",
        Equity,
        Credit,
        "ShareCapital",
    ),
    (
        "311",
        "专项基金",
        "Special fund",
        Equity,
        Credit,
        "SpecialFund",
    ),
    (
        "321",
        "资本公积",
        "Capital reserve",
        Equity,
        Credit,
        "CapitalReserve",
    ),
    (
        "322",
        "盈余公积",
        "Surplus reserve",
        Equity,
        Credit,
        "SurplusReserve",
    ),
    (
        "331",
        "本年盈余",
        "Surplus for the year",
        Equity,
        Credit,
        "SurplusForTheYear",
    ),
    (
        "332",
        "盈余分配",
        "Surplus distribution",
        Equity,
        Credit,
        "SurplusDistribution",
    ),
    (
        "401",
        "生产成本",
        "Production costs",
        Cost,
        Debit,
        "ProductionCosts",
    ),
    (
        "501",
        "经营收入",
        "Operating revenue",
        ProfitAndLoss,
        Credit,
        "OperatingRevenue",
    ),
    (
        "502",
        "其他收入",
        "Other income",
        ProfitAndLoss,
        Credit,
        "OtherIncome",
    ),
    (
        "511",
        "投资收益",
        "Investment income",
        ProfitAndLoss,
        Credit,
        "InvestmentIncome",
    ),
    (
        "521",
        "经营支出",
        "Operating expenses",
        ProfitAndLoss,
        Debit,
        "OperatingExpenses",
    ),
    (
        "522",
        "税金及附加",
        "Taxes and surcharges",
        ProfitAndLoss,
        Debit,
        "TaxesAndSurcharges",
    ),
    (
        "523",
        "管理费用",
        "Administrative expenses",
        ProfitAndLoss,
        Debit,
        "AdministrativeExpenses",
    ),
    (
        "524",
        "财务费用",
        "Finance costs",
        ProfitAndLoss,
        Debit,
        "FinanceCosts",
    ),
    (
        "529",
        "其他支出",
        "Other expenses",
        ProfitAndLoss,
        Debit,
        "OtherExpenses",
    ),
    (
        "531",
        "所得税费用",
        "Income tax expense",
        ProfitAndLoss,
        Debit,
        "IncomeTaxExpense",
    ),
];

/// One account of a chart with its place in the tree.
///
/// In this order (`repr(C)`): the count of sub-accounts and the account's code, which posting
/// reads for every look-up, share a cache line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[repr(C)]
pub(crate) struct Node {
    /// How many direct sub-accounts it has.
    pub(crate) children: u32,
    /// Index of the parent node; [`Node::NO_PARENT`] for a standard account. 32 bits each
    /// (a chart has at most [`MAX_ACCOUNTS`](super::MAX_ACCOUNTS) accounts), so that a node is
    /// 88 bytes rather than 104: a county chart has 1.7 million of them.
    parent: u32,
    pub(crate) account: Account,
}

impl Node {
    /// The `parent` of a standard account.
    const NO_PARENT: u32 = u32::MAX;

    /// Index of the parent node; `None` for a standard account.
    pub(crate) fn parent(&self) -> Option<usize> {
        (self.parent != Node::NO_PARENT).then_some(self.parent as usize)
    }
}

/// A chart of accounts: the 2021 standard chart plus the sub-accounts opened under it.
///
/// The standard chart is fixed; a [`Journal`](super::Journal) adds sub-accounts with
/// [`Journal::open_account`](super::Journal::open_account). Accounts iterate in code order, an
/// account right before its sub-accounts.
///
/// Looking an account up by its code is a hash look-up. The code order is made when it is
/// first needed ([`Chart::iter`], [`Chart::children`], [`Chart::leaves_within`], a trial
/// balance), in time about linear in the number of accounts, and kept: the next few
/// accounts opened are put into it in place (a year's close opens two after it asked for
/// the order); after more, it is made again when next needed.
///
/// # Example
///
/// ```
/// use landpool::ledger::{AccountCode, Chart};
///
/// let chart = Chart::standard();
/// assert_eq!(chart.len(), 50);
/// assert_eq!(chart.get(&AccountCode::new("102")?).map(|a| a.name_zh.as_str()), Some("银行存款"));
/// assert!(chart.get(&AccountCode::new("999")?).is_none());
/// let first: Vec<&str> = chart.iter().take(3).map(|a| a.code.as_str()).collect();
/// assert_eq!(first, ["101", "102", "109"]);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Chart {
    nodes: Vec<Node>,
    /// The export names of the standard accounts (the first nodes), such as
    /// `Assets:C114-MemberAccounts`; a sub-account's is made from its standard account's
    /// when asked for, not kept (two million of them in a county book).
    standard_exports: Vec<String>,
    /// The nodes in code order, made when first asked for ([`Chart::code_order`]): opening
    /// an account (a county book opens 1.7 million) appends its node, where an ordered map
    /// would search and split its tree, and drops the order or, for the first few
    /// openings after it was made, puts the new node into it.
    order: OnceLock<Vec<u32>>,
    /// How many nodes were put into `order` since it was made.
    kept_through: u32,
    /// Fast lookups.
    lookup: CodeIndex,
}

/// Writes an export name: the standard account's `base`, then each segment of a
/// sub-account's code after its first (`rest`), each after a `:`.
fn export_rest(out: &mut impl std::fmt::Write, base: &str, rest: &str) -> std::fmt::Result {
    out.write_str(base)?;
    for segment in rest.split('.') {
        out.write_char(':')?;
        out.write_str(segment)?;
    }
    Ok(())
}

impl Chart {
    /// The 2021 cooperative chart (财会〔2021〕37号): 50 standard accounts, no sub-accounts.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountClass, Chart};
    /// let chart = Chart::standard();
    /// assert_eq!(chart.iter().filter(|a| a.class == AccountClass::ProfitAndLoss).count(), 9);
    /// ```
    pub fn standard() -> Chart {
        let mut chart = Chart {
            nodes: Vec::with_capacity(STANDARD.len()),
            standard_exports: Vec::with_capacity(STANDARD.len()),
            order: OnceLock::new(),
            kept_through: 0,
            lookup: CodeIndex::default(),
        };
        for (code, name_zh, name_en, class, normal_side, component) in STANDARD {
            // The table holds valid 3-digit codes; a malformed one would be skipped, and the
            // unit test `standard_chart_is_complete` would catch it.
            let Ok(code) = AccountCode::new(code) else {
                continue;
            };
            // Fifty accounts: the position always fits in 32 bits.
            let Ok(position) = u32::try_from(chart.nodes.len()) else {
                continue;
            };
            let root = match (class, normal_side) {
                (Asset | Cost, _) => "Assets",
                (Liability, _) => "Liabilities",
                (Equity, _) => "Equity",
                (ProfitAndLoss, Credit) => "Income",
                (ProfitAndLoss, Debit) => "Expenses",
            };
            chart
                .standard_exports
                .push(format!("{root}:C{code}-{component}"));
            chart.lookup.insert(&code, position);
            let (name_zh, name_en) = Name::pair(name_zh, name_en);
            chart.nodes.push(Node {
                account: Account {
                    code,
                    name_zh,
                    name_en,
                    class,
                    normal_side,
                },
                parent: Node::NO_PARENT,
                children: 0,
            });
        }
        chart
    }

    /// The account with `code`, if the chart has it.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Chart};
    /// let chart = Chart::standard();
    /// assert_eq!(chart.get(&AccountCode::new("331")?).map(|a| a.name_en.as_str()), Some("Surplus for the year"));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn get(&self, code: &AccountCode) -> Option<&Account> {
        self.index_of(code)
            .and_then(|i| self.nodes.get(i))
            .map(|node| &node.account)
    }

    /// Whether the chart has `code`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Chart};
    /// assert!(!Chart::standard().contains(&AccountCode::new("114.M001")?));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn contains(&self, code: &AccountCode) -> bool {
        self.index_of(code).is_some()
    }

    /// Whether `code` is in the chart and has no sub-accounts (末级科目): only such accounts
    /// take postings.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Chart};
    /// assert!(Chart::standard().is_leaf(&AccountCode::new("114")?));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn is_leaf(&self, code: &AccountCode) -> bool {
        self.index_of(code)
            .and_then(|i| self.nodes.get(i))
            .is_some_and(|node| node.children == 0)
    }

    /// The accounts in code order, each right before its sub-accounts.
    ///
    /// # Example
    ///
    /// ```
    /// let chart = landpool::ledger::Chart::standard();
    /// assert_eq!(chart.iter().last().map(|a| a.code.as_str()), Some("531"));
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &Account> + '_ {
        self.iter_with_nodes().map(|(_, account)| account)
    }

    /// [`Chart::iter`], each account with its position among the chart's nodes.
    pub(crate) fn iter_with_nodes(&self) -> impl Iterator<Item = (usize, &Account)> + '_ {
        self.code_order().iter().filter_map(|&i| {
            let at = i as usize;
            Some((at, &self.nodes.get(at)?.account))
        })
    }

    /// The direct sub-accounts of `code`, in code order (none for an unknown code).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Journal};
    /// let mut journal = Journal::new();
    /// journal.open_account(AccountCode::new("114.M001")?, "张三", "Zhang San")?;
    /// let parent = AccountCode::new("114")?;
    /// let subs: Vec<&str> = journal.chart().children(&parent).map(|a| a.code.as_str()).collect();
    /// assert_eq!(subs, ["114.M001"]);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn children<'a>(&'a self, code: &'a AccountCode) -> impl Iterator<Item = &'a Account> + 'a {
        self.child_nodes(code).map(|(_, node)| &node.account)
    }

    /// The leaf accounts (末级科目, the ones that take postings) at or under `code`, in code
    /// order: `code` itself when it has no sub-accounts. None for a code the chart lacks.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Journal};
    /// let mut journal = Journal::new();
    /// journal.open_account(AccountCode::new("521.GH02")?, "2号棚", "Greenhouse 2")?;
    /// journal.open_account(AccountCode::new("521.GH01")?, "1号棚", "Greenhouse 1")?;
    /// journal.open_account(AccountCode::new("522.OTHER")?, "其他", "Other")?;
    /// let chart = journal.chart();
    /// let leaves: Vec<&str> = chart.leaves_within(&AccountCode::new("521")?).map(|a| a.code.as_str()).collect();
    /// assert_eq!(leaves, ["521.GH01", "521.GH02"]);
    /// let alone: Vec<&str> = chart.leaves_within(&AccountCode::new("523")?).map(|a| a.code.as_str()).collect();
    /// assert_eq!(alone, ["523"]);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn leaves_within(&self, code: &AccountCode) -> impl Iterator<Item = &Account> + '_ {
        self.leaf_nodes_within(code).map(|(_, account)| account)
    }

    /// [`Chart::leaves_within`] with each leaf's node index, by which the journal keeps its
    /// running totals: a report that reads each leaf's balance needs no look-up of its code.
    pub(crate) fn leaf_nodes_within(
        &self,
        code: &AccountCode,
    ) -> impl Iterator<Item = (usize, &Account)> + '_ {
        // Codes order segment by segment, so an account's sub-accounts follow it directly.
        let root = code.clone();
        self.nodes_from(code)
            .take_while(move |(_, node)| node.account.code.is_within(&root))
            .filter(|(_, node)| node.children == 0)
            .map(|(index, node)| (index, &node.account))
    }

    /// How many accounts the chart has.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Chart::standard().len(), 50);
    /// ```
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the chart is empty (never, for a chart made by [`Chart::standard`]).
    ///
    /// # Example
    ///
    /// ```
    /// assert!(!landpool::ledger::Chart::standard().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The name of `code` in hledger and beancount exports, such as
    /// `Assets:C114-MemberAccounts:M001`: its standard account's export name followed by the
    /// code's further segments, each after a colon. `None` when the chart has no such account.
    ///
    /// A standard account's name is borrowed from the chart; a sub-account's is made when
    /// asked for (the chart does not keep one for each of its sub-accounts).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::{AccountCode, Journal};
    /// let mut journal = Journal::new();
    /// journal.open_account(AccountCode::new("114.M001")?, "成员往来—张三", "Zhang San")?;
    /// let chart = journal.chart();
    /// assert_eq!(chart.export_name(&AccountCode::new("102")?).as_deref(), Some("Assets:C102-BankDeposits"));
    /// assert_eq!(chart.export_name(&AccountCode::new("501")?).as_deref(), Some("Income:C501-OperatingRevenue"));
    /// assert_eq!(
    ///     chart.export_name(&AccountCode::new("114.M001")?).as_deref(),
    ///     Some("Assets:C114-MemberAccounts:M001")
    /// );
    /// assert_eq!(chart.export_name(&AccountCode::new("114.M002")?), None);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn export_name(&self, code: &AccountCode) -> Option<Cow<'_, str>> {
        let base = self.export_base(code)?;
        match code.as_str().split_once('.') {
            None => Some(Cow::Borrowed(base)),
            Some((_, rest)) => {
                let mut name =
                    String::with_capacity(base.len().saturating_add(rest.len()).saturating_add(1));
                // Writing into a `String` cannot fail.
                let _ = export_rest(&mut name, base, rest);
                Some(Cow::Owned(name))
            }
        }
    }

    /// Writes [`Chart::export_name`] of the account at `node` among the chart's nodes into
    /// `out`, without making it first; nothing for a node the chart lacks.
    pub(crate) fn write_export_name_at(
        &self,
        node: usize,
        out: &mut impl std::fmt::Write,
    ) -> std::fmt::Result {
        let (Some(base), Some(at)) = (self.export_base_at(node), self.nodes.get(node)) else {
            return Ok(());
        };
        match at.account.code.as_str().split_once('.') {
            None => out.write_str(base),
            Some((_, rest)) => export_rest(out, base, rest),
        }
    }

    /// The export name of the standard account that `code` is, or is under.
    fn export_base(&self, code: &AccountCode) -> Option<&str> {
        self.export_base_at(self.index_of(code)?)
    }

    /// The export name of the standard account that the node at `node` is, or is under.
    fn export_base_at(&self, node: usize) -> Option<&str> {
        let mut root = node;
        // Parents come before their sub-accounts, so the walk up ends.
        while let Some(parent) = self.nodes.get(root).and_then(Node::parent) {
            root = parent;
        }
        self.standard_exports.get(root).map(String::as_str)
    }

    pub(crate) fn index_of(&self, code: &AccountCode) -> Option<usize> {
        self.index_of_text(code.as_str())
    }

    /// [`Chart::index_of`] the code whose text is `code`.
    fn index_of_text(&self, code: &str) -> Option<usize> {
        self.lookup
            .get(code, |at| self.nodes.get(at).map(|node| &node.account.code))
    }

    /// The standard accounts (一级科目; the chart opens only sub-accounts under them) with
    /// their node indices, in code order: fifty look-ups, however many sub-accounts the
    /// chart has.
    pub(crate) fn standard_nodes(&self) -> impl Iterator<Item = (usize, &Account)> + '_ {
        STANDARD.iter().filter_map(|standard| {
            let at = self.index_of_text(standard.0)?;
            Some((at, &self.nodes.get(at)?.account))
        })
    }

    pub(crate) fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The sub-accounts of `code` (one level down) with their node indices, in code order;
    /// none for a code the chart lacks.
    pub(crate) fn child_nodes<'a>(
        &'a self,
        code: &AccountCode,
    ) -> impl Iterator<Item = (usize, &'a Node)> + 'a {
        let parent = self.index_of(code);
        let within = code.clone();
        self.nodes_from(code)
            .skip(1)
            .take_while(move |(_, node)| node.account.code.is_within(&within))
            .filter(move |(_, node)| parent.is_some() && node.parent() == parent)
    }

    /// The nodes in code order from the first whose code is `code` or above.
    fn nodes_from<'a>(
        &'a self,
        code: &AccountCode,
    ) -> impl Iterator<Item = (usize, &'a Node)> + 'a {
        let order = self.code_order();
        let start = order.partition_point(|&i| {
            self.nodes
                .get(i as usize)
                .is_some_and(|node| node.account.code < *code)
        });
        order
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| self.nodes.get(i as usize).map(|node| (i as usize, node)))
    }

    /// The nodes' indices in code order, made once and kept through the next few openings
    /// ([`Chart::KEEP_ORDER_THROUGH`]).
    ///
    /// Codes order segment by segment, so code order is the tree's order depth first with
    /// each node's sub-accounts in code order: the nodes are grouped by parent (in opening
    /// order, in which a parent's sub-accounts are usually in code order already), each
    /// group put in order by [`order_group`] (which merges the few opened out of order into
    /// the run that is in order), and the tree walked from the standard accounts. Close to
    /// linear in the number of accounts, where sorting all codes would compare codes
    /// scattered over the whole chart. For a chart of 600,056 accounts (100,000 members'
    /// six each, after one collective's), 36 ms with the leaves under 521 listed (60 ms
    /// when a group out of order was sorted whole by a merge sort; 113 ms before, by an
    /// unstable sort).
    pub(crate) fn code_order(&self) -> &[u32] {
        self.order.get_or_init(|| {
            let count = self.nodes.len();
            // Where each node's sub-accounts start in `subs` (and end, at the next's start).
            let mut starts: Vec<u32> = Vec::with_capacity(count.saturating_add(1));
            let mut at = 0_u32;
            for node in &self.nodes {
                starts.push(at);
                at = at.saturating_add(node.children);
            }
            starts.push(at);
            let mut filled: Vec<u32> = starts.clone();
            let mut subs: Vec<u32> = vec![0; at as usize];
            let mut roots: Vec<u32> = Vec::new();
            for (i, node) in self.nodes.iter().enumerate() {
                // Positions fit in 32 bits below MAX_ACCOUNTS.
                let Ok(i) = u32::try_from(i) else { break };
                match node.parent() {
                    None => roots.push(i),
                    Some(parent) => {
                        if let Some(next) = filled.get_mut(parent) {
                            if let Some(slot) = subs.get_mut(*next as usize) {
                                *slot = i;
                            }
                            *next = next.saturating_add(1);
                        }
                    }
                }
            }
            let code = |i: &u32| self.nodes.get(*i as usize).map(|node| &node.account.code);
            order_group(&mut roots, code);
            for pair in starts.windows(2) {
                if let [start, end] = pair {
                    if end.saturating_sub(*start) > 1 {
                        if let Some(group) = subs.get_mut(*start as usize..*end as usize) {
                            order_group(group, code);
                        }
                    }
                }
            }
            // Depth first: a node, then its sub-accounts in order. With room for the nodes
            // the next openings put into it (else the first would double the list).
            let room = Chart::KEEP_ORDER_THROUGH as usize;
            let mut order = Vec::with_capacity(count.saturating_add(room));
            let mut stack: Vec<u32> = roots.into_iter().rev().collect();
            while let Some(i) = stack.pop() {
                order.push(i);
                let (Some(&start), Some(&end)) = (
                    starts.get(i as usize),
                    starts.get((i as usize).saturating_add(1)),
                ) else {
                    continue;
                };
                if let Some(group) = subs.get(start as usize..end as usize) {
                    stack.extend(group.iter().rev());
                }
            }
            order
        })
    }

    /// How many openings an order already made is kept through, each putting its node in
    /// place (moving the nodes after it); more, and the order is dropped, to be made again
    /// when asked for. The close asks for the order, opens its two accounts and asks again;
    /// opening a county's members, the order is not asked for at all.
    const KEEP_ORDER_THROUGH: u32 = 32;

    /// After `code` was opened as node `position`: puts it into the code order when one was
    /// made and kept through fewer than [`Chart::KEEP_ORDER_THROUGH`] openings, else drops it.
    fn keep_order(&mut self, code: &AccountCode, position: u32) {
        let nodes = &self.nodes;
        match self.order.get_mut() {
            // Not made (as all through a replay's openings): nothing to keep.
            None => {}
            Some(order) if self.kept_through < Chart::KEEP_ORDER_THROUGH => {
                let at = order.partition_point(|&i| {
                    nodes
                        .get(i as usize)
                        .is_some_and(|node| node.account.code < *code)
                });
                order.insert(at, position);
                self.kept_through = self.kept_through.saturating_add(1);
            }
            Some(_) => self.drop_order(),
        }
    }

    /// Forgets the code order, to be made again when next asked for.
    fn drop_order(&mut self) {
        self.order = OnceLock::new();
        self.kept_through = 0;
    }

    /// [`Chart::open_named`] with the names as text.
    #[cfg(test)]
    pub(crate) fn open(
        &mut self,
        code: &AccountCode,
        name_zh: &str,
        name_en: &str,
        parent_allows: impl FnOnce(usize, &Node) -> Result<()>,
    ) -> Result<bool> {
        let (name_zh, name_en) = Name::pair(name_zh, name_en);
        self.open_named(code, name_zh, name_en, parent_allows)
    }

    /// Opens the sub-account `code` with its names as made (kept as they are, no copy);
    /// `Ok(false)` when it is already open with these names. `parent_allows` is asked, with
    /// the parent's node index and node, before a new account is opened under it (the
    /// journal refuses a parent with postings of its own).
    pub(crate) fn open_named(
        &mut self,
        code: &AccountCode,
        name_zh: Name,
        name_en: Name,
        parent_allows: impl FnOnce(usize, &Node) -> Result<()>,
    ) -> Result<bool> {
        check_name(code, &name_zh)?;
        check_name(code, &name_en)?;
        if let Some(existing) = self.get(code) {
            if existing.name_zh == name_zh && existing.name_en == name_en {
                return Ok(false);
            }
            return Err(LedgerError::AccountNameConflict {
                code: code.to_string(),
                existing_zh: existing.name_zh.to_string(),
                existing_en: existing.name_en.to_string(),
                given_zh: name_zh.to_string(),
                given_en: name_en.to_string(),
            }
            .into());
        }
        // The parent is looked up by its code's text, without making a code of it.
        let Some((parent_code, _)) = super::account::split_last_segment(code.as_str()) else {
            return Err(LedgerError::UnknownAccount {
                code: code.to_string(),
            }
            .into());
        };
        let Some(parent) = self.index_of_text(parent_code) else {
            // Under a code the 2021 chart does not have, no parent can ever be opened: the
            // unknown standard code is named, not a parent to open first.
            let standard = code.standard();
            if !STANDARD.iter().any(|account| account.0 == standard) {
                return Err(LedgerError::UnknownAccount {
                    code: standard.to_string(),
                }
                .into());
            }
            return Err(LedgerError::ParentNotOpen {
                code: code.to_string(),
                parent: parent_code.to_string(),
            }
            .into());
        };
        // Positions fit in 32 bits below MAX_ACCOUNTS (and NO_PARENT is never one).
        let position = u32::try_from(self.nodes.len())
            .ok()
            .filter(|_| self.nodes.len() < MAX_ACCOUNTS);
        let parent_index = u32::try_from(parent).ok().filter(|&p| p != Node::NO_PARENT);
        let (Some(position), Some(parent_index)) = (position, parent_index) else {
            return Err(LedgerError::TooManyAccounts {
                code: code.to_string(),
                max: MAX_ACCOUNTS,
            }
            .into());
        };
        let Some(parent_node) = self.nodes.get(parent) else {
            return Err(LedgerError::ParentNotOpen {
                code: code.to_string(),
                parent: parent_code.to_string(),
            }
            .into());
        };
        parent_allows(parent, parent_node)?;
        let account = Account {
            code: code.clone(),
            name_zh,
            name_en,
            class: parent_node.account.class,
            normal_side: parent_node.account.normal_side,
        };
        if let Some(parent_node) = self.nodes.get_mut(parent) {
            parent_node.children = parent_node.children.saturating_add(1);
        }
        self.keep_order(code, position);
        self.lookup.insert(code, position);
        self.nodes.push(Node {
            account,
            parent: parent_index,
            children: 0,
        });
        Ok(true)
    }
}

impl PartialEq for Chart {
    /// Two charts are equal when they hold the same accounts (whatever order the sub-accounts
    /// were opened in).
    fn eq(&self, other: &Chart) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Chart {}

impl Default for Chart {
    fn default() -> Chart {
        Chart::standard()
    }
}

/// Puts `group` (one account's sub-accounts, as node indices) in the code order `code`
/// gives, taking what is already in order as it is.
///
/// Sub-accounts are mostly opened in code order: the group is one long run with a few
/// others around it (a collective's `V000001` opened before its households'
/// `H000001`…`H100000`; `521.RENT` before the greenhouses' `521.GH…`). One pass finds the
/// longest run; when the others are few (at most one in 32), they are sorted and each put
/// into the run where a binary search places it, so the run's codes are compared once
/// each (that pass) rather than again by a merge. Anything else is sorted by a stable merge
/// sort, which also takes runs as they are.
fn order_group<'a>(group: &mut [u32], code: impl Fn(&u32) -> Option<&'a AccountCode>) {
    let by_code = |a: &u32, b: &u32| code(a).cmp(&code(b));
    // The longest run in strictly ascending order, `first..last`; `start` is where the run
    // ending at the pair looked at begins.
    let (mut first, mut last, mut start) = (0usize, group.len().min(1), 0usize);
    for (at, pair) in group.windows(2).enumerate() {
        if let [a, b] = pair {
            // The pair's second account, at `at + 1`, ends the run or extends it.
            let end = at.saturating_add(2);
            if code(a) >= code(b) {
                start = end.saturating_sub(1);
            } else if end.saturating_sub(start) > last.saturating_sub(first) {
                (first, last) = (start, end);
            }
        }
    }
    let others = group.len().saturating_sub(last.saturating_sub(first));
    if others == 0 {
        return;
    }
    // The slices always exist (first <= last <= len); the sort covers the case anyway.
    let parts = (
        group.get(..first),
        group.get(first..last),
        group.get(last..),
    );
    let (Some(before), Some(run), Some(after)) = parts else {
        group.sort_by(by_code);
        return;
    };
    if others.saturating_mul(32) > group.len() {
        group.sort_by(by_code);
        return;
    }
    let mut stragglers: Vec<u32> = before.iter().chain(after).copied().collect();
    stragglers.sort_by(by_code);
    let mut merged: Vec<u32> = Vec::with_capacity(group.len());
    let mut rest = run;
    for straggler in &stragglers {
        let cut = rest.partition_point(|i| code(i) < code(straggler));
        let (lower, upper) = rest.split_at(cut);
        merged.extend_from_slice(lower);
        merged.push(*straggler);
        rest = upper;
    }
    merged.extend_from_slice(rest);
    group.copy_from_slice(&merged);
}

fn check_name(code: &AccountCode, name: &str) -> Result<()> {
    if plainly_valid_name(name) {
        return Ok(());
    }
    match name_refusal(name) {
        Some(reason) => Err(LedgerError::InvalidAccountName {
            code: code.to_string(),
            name: name.chars().take(80).collect(),
            reason,
        }
        .into()),
        None => Ok(()),
    }
}

/// Why an account's name is refused, the first reason found; `None` for a good name.
fn name_refusal(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("the name is empty")
    } else if name.len() > MAX_ACCOUNT_NAME_BYTES {
        Some("longer than 256 bytes")
    } else if name.chars().any(char::is_control) {
        Some("holds control characters (names are one line of text)")
    } else if name.trim() != name {
        Some("starts or ends with white space")
    } else {
        None
    }
}

/// Whether `name` passes every check of [`name_refusal`], found without decoding its
/// characters: no byte of it is an ASCII control character (below 0x20, or 0x7f) or 0xc2
/// (which leads the C1 controls, U+0080–U+009F, and a few other characters: a name holding
/// one is left to the full checks), it is not too long, and its first and last characters
/// are not white space (so it is not empty or all white space either). The bytes are
/// looked at without stopping early, which the compiler turns into a few vector
/// comparisons; a name this refuses gets the full checks, which say why it is refused.
fn plainly_valid_name(name: &str) -> bool {
    let odd = name
        .bytes()
        .fold(false, |odd, b| odd | (b < 0x20) | (b == 0x7f) | (b == 0xc2));
    !odd && name.len() <= MAX_ACCOUNT_NAME_BYTES
        && name.chars().next().is_some_and(|c| !c.is_whitespace())
        && name.chars().next_back().is_some_and(|c| !c.is_whitespace())
}

impl Chart {
    /// Removes the most recently opened sub-account, undoing [`Chart::open`] when a batch of
    /// openings fails part-way. Standard accounts are never removed.
    pub(crate) fn unopen_last(&mut self) {
        let Some(node) = self.nodes.last() else {
            return;
        };
        let Some(parent) = node.parent() else {
            return;
        };
        let code = node.account.code.clone();
        if self.index_of(&code) != Some(self.nodes.len().saturating_sub(1))
            || self.nodes.len() <= Chart::standard_len()
        {
            return;
        }
        self.drop_order();
        self.lookup
            .remove(&code, self.nodes.len().saturating_sub(1));
        self.nodes.pop();
        if let Some(parent) = self.nodes.get_mut(parent) {
            parent.children = parent.children.saturating_sub(1);
        }
    }

    /// The number of accounts in the standard chart.
    fn standard_len() -> usize {
        50
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_nodes_are_the_level_one_accounts_in_code_order() {
        let mut chart = Chart::standard();
        for code in ["114.H01", "521.GH01", "101.A", "331.X"] {
            let opened = chart.open(&AccountCode::new(code).unwrap(), "子", "sub", |_, _| Ok(()));
            assert!(opened.unwrap());
        }
        let standard: Vec<(usize, &str)> = chart
            .standard_nodes()
            .map(|(at, account)| (at, account.code.as_str()))
            .collect();
        let walked: Vec<(usize, &str)> = chart
            .iter_with_nodes()
            .filter(|(_, account)| account.code.level() == 1)
            .map(|(at, account)| (at, account.code.as_str()))
            .collect();
        assert_eq!(standard.len(), 50);
        assert_eq!(standard, walked);
    }

    #[test]
    fn plain_names_pass_without_the_full_checks_and_odd_ones_get_them() {
        // A member's six sub-accounts' names, made as `Book` makes them, take the quick way.
        let mut names: Vec<String> = crate::book::MEMBER_ACCOUNTS
            .iter()
            .flat_map(|(_, zh, en)| [format!("{zh}—张三丰"), format!("{en} — H000123")])
            .collect();
        names.extend(["a".to_string(), "名".repeat(85)]);
        assert_eq!(names.len(), 14);
        for name in &names {
            assert!(plainly_valid_name(name), "{name:?}");
            assert_eq!(name_refusal(name), None, "{name:?}");
        }
        // Each of these is left to the full checks: refused, or good but holding a byte
        // the quick way does not judge (0xc2, which also leads U+00A0 and U+00A9).
        for name in [
            "",
            " ",
            "\u{3000}应收款",
            "应收款\u{3000}",
            "应收款\t甲",
            "应收款\u{7f}",
            "应收款\u{85}甲",
            "应收款\u{a9}",
            "Ŀ and \u{a0}é",
            &"名".repeat(86),
        ] {
            assert!(!plainly_valid_name(name), "{name:?}");
        }
        assert_eq!(name_refusal("应收款\u{a9}"), None);
        assert_eq!(
            name_refusal(&"名".repeat(86)),
            Some("longer than 256 bytes")
        );
        assert_eq!(
            name_refusal("应收款\u{3000}"),
            Some("starts or ends with white space")
        );
    }

    proptest::proptest! {
        /// The quick way never passes a name the full checks refuse.
        #[test]
        fn a_name_the_quick_way_passes_is_a_good_name(
            name in "(\\PC|[ \t\n\u{7f}\u{85}\u{9f}\u{a0}\u{a9}\u{2028}\u{3000}名—a]){0,90}"
        ) {
            if plainly_valid_name(&name) {
                proptest::prop_assert_eq!(name_refusal(&name), None);
            }
        }
    }

    #[test]
    fn a_name_is_one_line_of_text_without_spaces_at_its_ends() {
        let code = AccountCode::new("114.M1").unwrap_or_else(|e| panic!("{e}"));
        for (name, reason) in [
            ("", Some("the name is empty")),
            ("  ", Some("the name is empty")),
            (" 应收款", Some("starts or ends with white space")),
            (
                "应收款\t甲",
                Some("holds control characters (names are one line of text)"),
            ),
            (
                "应收款\u{7f}",
                Some("holds control characters (names are one line of text)"),
            ),
            // A C1 control (U+0085, next line) is two bytes in UTF-8.
            (
                "应收款\u{85}甲",
                Some("holds control characters (names are one line of text)"),
            ),
            ("应收款—户主1", None),
            ("Ŀ and \u{a0}é", None),
        ] {
            let found = match check_name(&code, name) {
                Err(crate::Error::Ledger(LedgerError::InvalidAccountName { reason, .. })) => {
                    Some(reason)
                }
                Err(other) => panic!("{name:?}: {other}"),
                Ok(()) => None,
            };
            assert_eq!(found, reason, "{name:?}");
        }
    }

    #[test]
    fn leaves_within_is_the_filtered_whole_chart() {
        let mut journal = crate::ledger::Journal::new();
        for code in [
            "521.GH01",
            "521.GH01.A",
            "521.GH01.B-2",
            "521.GH10",
            "521.GH1",
            "522.X",
            "114.M1",
            "501.Z",
            "501.A",
        ] {
            let code = AccountCode::new(code).unwrap_or_else(|e| panic!("{e}"));
            journal
                .open_account(code, "n", "n")
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let chart = journal.chart();
        for root in ["521", "521.GH01", "522", "501", "114", "523", "999"] {
            let root = AccountCode::new(root).unwrap_or_else(|e| panic!("{e}"));
            let fast: Vec<&str> = chart
                .leaves_within(&root)
                .map(|a| a.code.as_str())
                .collect();
            let slow: Vec<&str> = chart
                .iter()
                .filter(|a| a.code.is_within(&root) && chart.is_leaf(&a.code))
                .map(|a| a.code.as_str())
                .collect();
            assert_eq!(fast, slow, "{root}");
        }
        let root = AccountCode::new("521").unwrap_or_else(|e| panic!("{e}"));
        let leaves: Vec<&str> = chart
            .leaves_within(&root)
            .map(|a| a.code.as_str())
            .collect();
        assert_eq!(
            leaves,
            ["521.GH01.A", "521.GH01.B-2", "521.GH1", "521.GH10"]
        );
    }

    proptest::proptest! {
        /// Sub-accounts opened in any order (each after its parent) iterate in code order,
        /// also when the order was asked for part-way and more were opened since; the
        /// children and leaves of every account are the ones in that order; undoing the
        /// last opening gives the order before it.
        #[test]
        fn the_chart_iterates_in_code_order(
            picks in proptest::collection::vec(
                (0usize..4, 0usize..8, proptest::option::of(0usize..4)),
                0..60,
            ),
            asked_at in 0usize..60,
            checked_from in 0usize..80,
        ) {
            let any_parent = |_: usize, _: &Node| Ok(());
            let roots = ["114", "213", "501", "521"];
            let firsts = ["1", "10", "2", "A", "A-1", "B", "GH01", "GH1"];
            let seconds = ["A", "B", "0", "Z-9"];
            let mut chart = Chart::standard();
            let mut opened: Vec<AccountCode> = chart.iter().map(|a| a.code.clone()).collect();
            let sorted = |codes: &[AccountCode]| {
                let mut codes = codes.to_vec();
                codes.sort();
                codes
            };
            let codes = |chart: &Chart| -> Vec<AccountCode> {
                chart.iter().map(|a| a.code.clone()).collect()
            };
            for (k, (root, first, second)) in picks.into_iter().enumerate() {
                let parent = AccountCode::new(&format!("{}.{}", roots[root], firsts[first]))?;
                let mut new = vec![parent.clone()];
                if let Some(second) = second {
                    new.push(parent.sub(seconds[second])?);
                }
                for code in new {
                    if chart.open(&code, "n", "n", any_parent)? {
                        opened.push(code);
                    }
                }
                // Asked once part-way, then after every pick from `checked_from` on (the
                // order made once is kept through the openings after it, then made again).
                if k == asked_at || k >= checked_from {
                    proptest::prop_assert_eq!(codes(&chart), sorted(&opened));
                }
            }
            let all = codes(&chart);
            proptest::prop_assert_eq!(&all, &sorted(&opened));
            let mut asked = all.clone();
            asked.extend(["114", "501.C", "999"].into_iter().map(AccountCode::new).collect::<Result<Vec<_>>>()?);
            for code in &asked {
                let children: Vec<&AccountCode> = chart.children(code).map(|a| &a.code).collect();
                let expected: Vec<&AccountCode> =
                    all.iter().filter(|c| c.parent().as_ref() == Some(code)).collect();
                proptest::prop_assert_eq!(children, expected, "children of {}", code);
                let leaves: Vec<&AccountCode> = chart.leaves_within(code).map(|a| &a.code).collect();
                let expected: Vec<&AccountCode> = all
                    .iter()
                    .filter(|c| c.is_within(code) && !all.iter().any(|d| d.parent().as_ref() == Some(*c)))
                    .collect();
                proptest::prop_assert_eq!(leaves, expected, "leaves within {}", code);
            }
            let extra = AccountCode::new("213.A-1.Z-9.A")?;
            if chart.contains(&AccountCode::new("213.A-1.Z-9")?) {
                proptest::prop_assert!(chart.open(&extra, "n", "n", any_parent)?);
                proptest::prop_assert_eq!(codes(&chart).len(), all.len() + 1);
                chart.unopen_last();
                proptest::prop_assert_eq!(codes(&chart), all);
            }
        }
    }

    /// `n` codes in code order, `114.H000001` on, with every tenth under a longer segment.
    fn ordered_codes(n: usize) -> Vec<AccountCode> {
        (1..=n)
            .map(|k| {
                let text = if k % 10 == 0 {
                    format!("114.H{k:06}.A")
                } else {
                    format!("114.H{k:06}")
                };
                AccountCode::new(&text).unwrap_or_else(|e| panic!("{e}"))
            })
            .collect()
    }

    #[test]
    fn a_group_with_a_few_accounts_out_of_order_is_ordered() {
        // The collective's account opened first, then 64 households' in order, then one
        // household's late: the two are put into the run.
        let mut codes = ordered_codes(64);
        codes.push(AccountCode::new("114.V000001").unwrap_or_else(|e| panic!("{e}")));
        codes.push(AccountCode::new("114.H000032.B").unwrap_or_else(|e| panic!("{e}")));
        let mut group: Vec<u32> = vec![64];
        group.extend(0..64);
        group.push(65);
        order_group(&mut group, |&i| codes.get(i as usize));
        let mut expected: Vec<u32> = (0..32).collect();
        expected.push(65);
        expected.extend(32..64);
        expected.push(64);
        assert_eq!(group, expected);
    }

    #[test]
    fn the_order_kept_through_openings_has_room_for_them() {
        let mut chart = Chart::standard();
        let any_parent = |_: usize, _: &Node| Ok(());
        let code =
            |k: u32| AccountCode::new(&format!("114.H{k:06}")).unwrap_or_else(|e| panic!("{e}"));
        for k in 0..100 {
            chart
                .open(&code(2 * k), "n", "n", any_parent)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let made = chart.code_order().as_ptr();
        let capacity = chart.order.get().map(Vec::capacity);
        // Each opening up to the limit is put in place in the same list, without moving it.
        for k in 0..Chart::KEEP_ORDER_THROUGH {
            chart
                .open(&code(2 * k + 1), "n", "n", any_parent)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(chart.order.get().map(|order| order.as_ptr()), Some(made));
        }
        assert_eq!(chart.order.get().map(Vec::capacity), capacity);
        assert_eq!(chart.kept_through, Chart::KEEP_ORDER_THROUGH);
        // The next drops it; it is made again when asked for, in code order.
        chart
            .open(&code(1001), "n", "n", any_parent)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(chart.order.get().is_none());
        assert_eq!(chart.kept_through, 0);
        let under: Vec<String> = chart
            .children(&AccountCode::new("114").unwrap_or_else(|e| panic!("{e}")))
            .map(|a| a.code.to_string())
            .collect();
        let mut expected: Vec<String> = (0..100)
            .map(|k| 2 * k)
            .chain((0..Chart::KEEP_ORDER_THROUGH).map(|k| 2 * k + 1))
            .chain([1001])
            .map(|k| code(k).to_string())
            .collect();
        expected.sort();
        assert_eq!(under, expected);
    }

    proptest::proptest! {
        /// A group ordered by `order_group` is the group sorted by code: a run with a few
        /// others moved to its ends or anywhere into it, or any order at all.
        #[test]
        fn ordering_a_group_sorts_it(
            n in 0usize..300,
            moves in proptest::collection::vec((0usize..300, 0usize..300), 0..12),
            shuffled in proptest::bool::weighted(0.1),
            seed in 0u64..1000,
        ) {
            let codes = ordered_codes(n);
            let mut group: Vec<u32> = (0..n as u32).collect();
            for (from, to) in moves {
                if n > 0 {
                    let moved = group.remove(from % n);
                    // To an end half of the time, else anywhere.
                    let to = match to % 4 { 0 => 0, 1 => n - 1, _ => to % n };
                    group.insert(to, moved);
                }
            }
            if shuffled {
                // A fixed-seed scramble (the order of the multiplicative hash).
                group.sort_by_key(|&i| (u64::from(i) ^ seed).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            }
            order_group(&mut group, |&i| codes.get(i as usize));
            proptest::prop_assert_eq!(group, (0..n as u32).collect::<Vec<u32>>());
        }
    }

    #[test]
    fn standard_chart_is_complete() {
        let chart = Chart::standard();
        assert_eq!(chart.len(), STANDARD.len());
        let count = |class| chart.iter().filter(|a| a.class == class).count();
        assert_eq!(count(Asset), 24);
        assert_eq!(count(Liability), 10);
        assert_eq!(count(Equity), 6);
        assert_eq!(count(Cost), 1);
        assert_eq!(count(ProfitAndLoss), 9);
        let credit_assets: Vec<&str> = chart
            .iter()
            .filter(|a| a.class == Asset && a.normal_side == Credit)
            .map(|a| a.code.as_str())
            .collect();
        assert_eq!(credit_assets, ["143", "152", "162"]);
        // Export names are unique.
        let mut names: Vec<&str> = chart.standard_exports.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 50);
    }

    #[test]
    fn opening_sub_accounts() -> Result<()> {
        let any_parent = |_: usize, _: &Node| Ok(());
        let mut chart = Chart::standard();
        let member = AccountCode::new("114.M001")?;
        assert!(chart.open(&member, "张三", "Zhang San", any_parent)?);
        assert!(!chart.open(&member, "张三", "Zhang San", any_parent)?);
        assert!(chart.open(&member, "李四", "Li Si", any_parent).is_err());
        assert!(chart
            .open(&AccountCode::new("114.M002.A")?, "x", "x", any_parent)
            .is_err());
        assert!(chart
            .open(&AccountCode::new("999.A")?, "x", "x", any_parent)
            .is_err());
        assert!(chart
            .open(&AccountCode::new("114.M003")?, "", "x", any_parent)
            .is_err());
        assert!(chart
            .open(&AccountCode::new("114.M003")?, "a\nb", "x", any_parent)
            .is_err());
        assert!(!chart.is_leaf(&AccountCode::new("114")?));
        assert!(chart.is_leaf(&member));
        assert_eq!(
            chart.export_name(&member).as_deref(),
            Some("Assets:C114-MemberAccounts:M001")
        );
        let deep = AccountCode::new("501.GRAPE")?;
        assert!(chart.open(&deep, "葡萄", "grapes", any_parent)?);
        assert!(chart.open(
            &AccountCode::new("501.GRAPE.A")?,
            "一级",
            "grade A",
            any_parent
        )?);
        assert_eq!(
            chart
                .export_name(&AccountCode::new("501.GRAPE.A")?)
                .as_deref(),
            Some("Income:C501-OperatingRevenue:GRAPE:A")
        );
        assert_eq!(chart.export_name(&AccountCode::new("501.PEACH")?), None);
        let account = chart.get(&member).cloned();
        assert_eq!(
            account.map(|a| (a.class, a.normal_side)),
            Some((Asset, Debit))
        );
        // The parent is asked about a new account only, and its refusal changes nothing.
        let before = chart.clone();
        let asked = std::cell::Cell::new(None);
        let refuse = |parent: usize, node: &Node| {
            asked.set(Some((parent, node.account.code.to_string())));
            Err(crate::Error::from(LedgerError::UnknownAccount {
                code: "refused".into(),
            }))
        };
        let opened = chart.open(&AccountCode::new("114.M004")?, "王五", "Wang Wu", refuse);
        assert!(opened.is_err());
        let parent = chart.index_of(&AccountCode::new("114")?);
        assert_eq!(
            asked.take(),
            Some((parent.unwrap_or(usize::MAX), "114".to_string()))
        );
        assert_eq!(chart, before);
        assert_eq!(chart.len(), before.len());
        assert!(!chart.open(&member, "张三", "Zhang San", refuse)?);
        assert_eq!(asked.take(), None);
        Ok(())
    }
}
