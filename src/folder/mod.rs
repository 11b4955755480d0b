//! Book folders: a cooperative's year as a folder of CSV files that accountants edit in a
//! spreadsheet, read into the events a [`Book`] applies; and the statements a run writes
//! (CSV, receipts, journals and one `.xlsx` workbook).
//!
//! ## The folder
//!
//! One CSV file per kind of record, plus `policy.csv` for the bylaws' choices. Only
//! `policy.csv` and `members.csv` are required; a file that is not there has no rows. A file
//! may also go by its Chinese name (`成员.csv` for `members.csv`). `--init` writes every file,
//! with its header row, as a template. Files that are not `.csv` are left alone, and so are
//! those whose names start with `._` (a Mac's resource fork) or `~$` (the owner file of a
//! sheet open in Excel or WPS); any other `.csv` file is refused as not the folder's. A
//! sheet of one of the files saved as a workbook or as text (`labour.xlsx`, `用工.xls`,
//! `.xlsm`, `.xlsb`, WPS's `.et`, `.ods`, `labour.txt`) is not read either: beside its `.csv`
//! (the sheet it is saved from) it is left alone, and without it the folder is refused,
//! naming the workbook and the CSV file to save it as, rather than read as if the file had
//! no rows.
//!
//! - Text: UTF-8 with or without a byte-order mark, or GBK (what Excel on Chinese Windows
//!   saves), detected without being told: a UTF-8 byte-order mark means UTF-8, else valid
//!   UTF-8 is UTF-8, else the file is read as GBK and refused if it is not GBK either. A
//!   file mixing the two (a UTF-8 file with a row pasted in GBK, or the other way round) is
//!   refused, naming the first line not in the encoding of most of its lines, since either
//!   reading would garble some rows. GBK has no place for some rare characters of names
//!   (`䶮`, `𠮷`), which Excel and WPS save as `?` in a GBK "CSV": a name (of a member, a
//!   village, a buyer, a lender, …) holding `?` in a GBK file is refused, saying that
//!   characters may have been lost and to save the sheet as "CSV UTF-8".
//!   Folders are written in UTF-8 with a byte-order mark, which Excel and WPS open correctly.
//! - Headers: the first row names the columns, in Chinese, English or both (`成员编号`,
//!   `member`, `成员编号 member`), in any order, a `*` marking a required column ignored
//!   (`*成员编号`, as many templates have it); units in brackets may be left out
//!   (`面积` for `面积(亩)`), but a unit given must be the column's, in Chinese or English
//!   (`面积(mu)`, `金额(元)`): `重量(斤)`, `面积(公顷)` or `金额(万元)` is refused rather
//!   than read as kilograms, mu or yuan. A `备注 note` column is allowed in every file and
//!   not read. A title row above the header row, as a sheet may have, is refused, the
//!   problem naming the header row below it.
//! - In Excel or WPS, the id columns (`成员编号 member`, `地块编号 parcel`, …) are best
//!   formatted as Text (设置单元格格式 > 文本) before ids are typed or pasted: otherwise
//!   Excel drops the leading zeros of `001`, writes a long number as `1.23E+11` and takes
//!   `3-1` for a date, and the id is refused (the problem says why) or no longer matches
//!   the same id in another file. A CSV file keeps no formats: keep the sheet as a workbook
//!   with its id columns as Text and save a CSV from it, or open the CSV with 数据 >
//!   从文本/CSV (Data > From Text/CSV), setting the id columns to Text. Save as "CSV UTF-8".
//! - Rows: one record each. A total row (`合计`, `小计`, `总计` or `total` in a cell, a
//!   required cell empty) is refused with one problem on its line and never read as a
//!   record: a folder takes no totals. So is a row with only a `备注 note`.
//! - Dates: `2019-03-15`, `2019/3/15` (as Excel writes them), `2019.3.15` or `2019年3月15日`.
//!   A date with the year last (`3/5/2019`, a regional format in which the order of day
//!   and month is not known), with a time, or as Excel's serial number of the day (`43529`)
//!   is refused, the problem saying what to write.
//!   The registers' dates (a member's joining, a contract's start, …) may be in any year;
//!   the rows of the other files, from `land_changes.csv` on, are the year's transactions
//!   and are dated in the year of `policy.csv` (a greenhouse by its `built` date, an asset
//!   by its `in_use` date, a work record by its `sheet_date`, or its `date` when it has
//!   none): a row of another year is refused, since the year's statements would leave it
//!   out. So is a member's leaving (`left`) or a greenhouse's or an asset's last day in use
//!   (`retired`) in another year.
//! - Amounts in yuan: `1409.50`, `1,409.50`, `¥1,409.50`; at most two decimals.
//! - Choices: a Chinese or an English word (`银行` or `bank`); folders are written with the
//!   Chinese words.
//! - Lists of ids in one cell are separated by spaces, commas or `、`.
//!
//! | file | Chinese name | one row per | columns (required in **bold**) |
//! | --- | --- | --- | --- |
//! | `policy.csv` | `章程.csv` | setting | **项目 setting**, **值 value** |
//! | `accounts.csv` | `明细科目.csv` | sub-account opened | **科目编码 code**, **科目名称 name_zh**, **英文名称 name_en** |
//! | `members.csv` | `成员.csv` | member | **成员编号 member**, **姓名 name**, 类别 kind, 人口 persons, **村 village**, **入社日期 joined**, 退社日期 left |
//! | `parcels.csv` | `地块.csv` | parcel | **地块编号 parcel**, **承包户 owner**, **面积(亩) area**, **村 village**, **地类 land_class**, **登记日期 registered** |
//! | `contracts.csv` | `合同.csv` | parcel of a contract | **合同编号 contract**, **成员编号 member**, **地块编号 parcel**, **面积(亩) area**, **起始日期 start**, **终止日期 end**, 类型 kind, 租金方式 rent_terms, 租金(元/亩) yuan_per_mu, 递增(%) step_percent, 递增间隔(年) step_every_years, 作物 crop, 单位 unit, 每亩数量 quantity_per_mu, 定价周期(年) reset_every_years, 每亩股数 shares_per_mu, 每股价值 value_per_share, 每股保底 guaranteed_per_share, 计租方式 pro_rating, **付租方式 payment**, **付租日 pay_by**, **列支科目 charge_to** |
//! | `grain_prices.csv` | `粮价.csv` | price | **作物 crop**, **单位 unit**, **日期 date**, **单价(元) price** |
//! | `loans.csv` | `借款.csv` | loan contract | **借款编号 loan**, **贷款方 lender**, **期限 term**, **金额 amount**, **年利率(%) rate_percent**, **计息方式 day_count**, **签订日期 signed**, **到期日期 maturity**, 用于成员 raised_for |
//! | `land_changes.csv` | `土地变更.csv` | area swap, parcel split (a row per new parcel), merge, change of the account a contract's rent is charged to, or a contract ended early | **日期 date**, **类别 kind**, 合同编号 contract, 换出面积(亩) gives, 对方合同编号 other_contract, 对方换出面积(亩) other_gives, 补偿付款人 payer, 补偿金额 compensation, 地块编号 parcel, 新地块编号 new_parcel, 面积(亩) area, 列支科目 charge_to, 解除原因 reason |
//! | `greenhouses.csv` | `大棚.csv` | greenhouse | **大棚编号 greenhouse**, **名称 name**, **面积(亩) area**, **作物 crop**, **建成日期 built**, **造价 cost**, **残值 residual**, **折旧月数 life_months**, **付款方式 paid_from**, 拆除日期 retired, 残值收入 proceeds, 收款账户 proceeds_account |
//! | `grants.csv` | `补助.csv` | grant received or spent, donation | **日期 date**, **类别 kind**, 补助编号 grant, **金额 amount**, 账户 account, 来源 source, 用途 purpose |
//! | `costs.csv` | `费用.csv` | cost | **日期 date**, **类别 kind**, **金额 amount**, **列支对象 charged_to**, **付款方式 payment**, 摘要 memo |
//! | `labour.csv` | `用工.csv` | work record | **日期 date**, 成员编号 member, 非成员姓名 non_member, **工作 task**, **计酬方式 basis**, **数量 quantity**, **单价 rate**, **用工类别 kind**, 工资表日期 sheet_date |
//! | `harvests.csv` | `采收.csv` | harvest | **日期 date**, **大棚编号 greenhouse**, **重量(公斤) kg**, 等级 grade |
//! | `sales.csv` | `销售.csv` | sale | **日期 date**, **大棚编号 greenhouse**, **重量(公斤) kg**, **单价(元/公斤) price_per_kg**, **买方 buyer**, **收款方式 payment** |
//! | `adjustments.csv` | `期末调整.csv` | rent accrual, depreciation or interest accrual | **日期 date**, **类别 kind**, 起始日期 from, 截止日期 to, 对象 refs |
//! | `payments.csv` | `收付款.csv` | money in or out, an earlier year's payout, reserve converted to capital | **日期 date**, **类别 kind**, **对象 party** (a member, a non-member, a loan, a buyer; the year of a distribution paid out), **金额 amount** (for a distribution paid out, empty or what the book pays out), 利息 interest, 账户 account (empty for reserve converted), 股金来源 capital_source, 资本溢价 premium, 合同编号 contract |
//!
//! The settings of `policy.csv` are 合作社名称 cooperative (the payer on receipts), 标题 title,
//! 年度 year, 事件编号前缀 event_prefix, 年终结账 close (是 yes by default), and the
//! distribution policy: 盈余公积(%) reserve_percent, 公益金(%) welfare_percent, 按交易量返还(%)
//! patronage_percent, 返还基数 patronage_base, 交易量土地权重 volume_land_weight, 交易量劳务权重
//! volume_labour_weight, 集体分配(%) collective_percent, 转为股金(%)
//! convert_to_capital_percent and 公积金弥补亏损 cover_loss_from_reserve (否 no by default);
//! and, in the years after the first, 上年账簿 prior_log, the earlier years' event log (see
//! [below](#the-years-after-the-first)).
//! The folder `--init` writes has a `README.txt` that lists
//! every column with what goes in it and the words each choice takes.
//!
//! ## Leaving members and greenhouses taken out of use
//!
//! A member who leaves during the year has the last day of their membership in the
//! `退社日期 left` cell of their row of `members.csv` (empty for one who stays): it is in the
//! year of `policy.csv`, not before the day they joined, and makes an
//! [`Event::MemberLeft`]. The book takes a leaving only once the member's accounts are
//! settled, so their contracts end by that day (a contract running past it is a problem on
//! its `终止日期 end` cell, unless a swap of `land_changes.csv` moves its area or a `合同解除
//! end` row ends it early, which the book then judges: a member whose contract was carried
//! forward from an earlier year leaves on or after its end date, or once such a row has
//! ended it by their last day), their rent up to that day is accrued and paid (rows of
//! `adjustments.csv` and `payments.csv` dated on or before it), and nothing is booked to
//! them after it (a payment to them or their pay for work booked after it is a problem on
//! its date cell), but for their capital: 301 may still hold it on their last day.
//!
//! Capital (股金) paid back to a member is a `退股金 capital_returned` row of
//! `payments.csv` (an [`Event::CapitalReturned`]: Dr 301 for the member, Cr 102 bank or
//! 101 cash as its `账户 account` cell says), which may be dated after the member's last
//! day (law art. 28) and then comes after their leaving. Money capital leaves the
//! `合同编号 contract` cell empty, and its `股金来源 capital_source` cell says whether it is
//! capital from poverty-relief assets (扶贫资产) or other (the default), as a contribution's
//! does. The capital of a land-share contract (入股) has the contract in that cell: it must
//! be the member's own, a land-share contract and not a transfer, and its source other;
//! otherwise the cell is a problem. The book refuses a return before the contract's last
//! day or of more than the member holds (the contract's capital not yet returned, the
//! money capital, their capital from poverty-relief assets, what 301 holds on the day or a
//! later day), and the problem names the row.
//!
//! ```
//! use landpool::folder::BookFolder;
//! use landpool::{Event, Yuan};
//! use time::macros::date;
//!
//! let files = vec![
//!     ("policy.csv".to_string(), "setting,value\ncooperative,示例\nyear,2019\nclose,no\n".as_bytes().to_vec()),
//!     ("members.csv".to_string(), "member,name,persons,village,joined,left\nH01,王建国,3,高格庄,2019/1/1,2019/6/30\n".as_bytes().to_vec()),
//!     ("payments.csv".to_string(), "date,kind,party,amount,account\n2019/1/2,股金,H01,2000,银行\n2019/7/15,退股金,H01,2000,现金\n".as_bytes().to_vec()),
//! ];
//! let folder = BookFolder::from_files(&files)?;
//! // Paid back after the leaving, which comes first (30 June).
//! let last = folder.events().last().map(|e| (&e.event, e.source.line));
//! assert!(matches!(last, Some((Event::CapitalReturned { contract: None, .. }, 3))));
//! let book = folder.run()?;
//! let h01 = "H01".parse()?;
//! let account = landpool::ledger::AccountCode::new("301.H01")?;
//! assert_eq!(book.journal().balance(&account, date!(2019 - 12 - 31))?, Yuan::ZERO);
//! assert_eq!(book.capital_returns(&h01).len(), 1);
//!
//! // A return to a member the folder does not have is a problem on its party cell.
//! let mut more = files.clone();
//! more[2].1 = "date,kind,party,amount\n2019/7/15,退股金,H02,100\n".as_bytes().to_vec();
//! let err = BookFolder::from_files(&more).unwrap_err();
//! assert!(err.to_string().ends_with(
//!     "payments.csv, line 2, column 3 \"party\": no member \"H02\" in members.csv"
//! ));
//! # Ok::<(), landpool::Error>(())
//! ```
//!
//! A greenhouse taken down, scrapped or sold has its last day in use in the `拆除日期
//! retired` cell of its row of `greenhouses.csv`, in the year and not before it was built,
//! with what its remains fetch in `残值收入 proceeds` (empty for nothing) and the account
//! they are paid into in `收款账户 proceeds_account` (银行 bank by default): an
//! [`Event::GreenhouseRetired`], booked through 154 固定资产清理. A harvest, a cost or work
//! on it dated after its last day is a problem on that row's date cell; its produce may
//! still be sold.
//!
//! ```
//! use landpool::folder::BookFolder;
//! use landpool::Event;
//! use time::macros::date;
//!
//! let files = vec![
//!     ("policy.csv".to_string(), "setting,value\ncooperative,示例\nyear,2019\nclose,no\n".as_bytes().to_vec()),
//!     ("members.csv".to_string(), "member,name,persons,village,joined,退社日期 left\nH01,王建国,3,高格庄,2019/1/1,\nH02,李秀英,2,高格庄,2019/1/1,2019/6/30\n".as_bytes().to_vec()),
//! ];
//! let folder = BookFolder::from_files(&files)?;
//! // H02's leaving comes after the registers, from their row (line 3).
//! let last = folder.events().last().map(|e| (&e.event, e.source.line));
//! assert!(matches!(last, Some((Event::MemberLeft { .. }, 3))));
//! let book = folder.run()?;
//! assert_eq!(book.member(&"H02".parse()?).and_then(|m| m.left), Some(date!(2019 - 06 - 30)));
//!
//! // A leaving in another year than the folder's is a problem on its cell.
//! let mut late = files.clone();
//! late[1].1 = "member,name,persons,village,joined,left\nH01,王建国,3,高格庄,2019/1/1,2020/1/31\n".as_bytes().to_vec();
//! let err = BookFolder::from_files(&late).unwrap_err();
//! assert!(err.to_string().ends_with(
//!     "members.csv, line 2, column 6 \"left\": expected a date in 2019, the year of policy.csv, found \"2020/1/31\""
//! ));
//! # Ok::<(), landpool::Error>(())
//! ```
//!
//! Other fixed assets (a tractor, a well) and productive biological assets (vines) are rows
//! of `assets.csv` (`资产.csv`): an [`Event::AssetAcquired`] on its `投入使用日期 in_use`
//! day, depreciated straight-line (`年限平均法`, the default, over `折旧月数 life_months`) or
//! by units of work (`工作量法`, over `预计总工作量 total_units`), charged to the greenhouse
//! in `大棚编号 greenhouse` or, when it is empty, to 523 管理费用. An asset taken out of
//! use has the same three cells as a greenhouse (`处置日期 retired`, `处置收入 proceeds`,
//! `收款账户 proceeds_account`) and comes before the day's greenhouses taken out of use. A
//! month's units of work are a `工作量 asset_work` row of `adjustments.csv`, dated any day
//! of the month, with the asset in `refs` and the units in `工作量 units`; it goes before
//! the day's adjustments, so the month's depreciation reads it wherever its row is.
//!
//! ```
//! use landpool::folder::BookFolder;
//! use landpool::ledger::AccountCode;
//! use landpool::Yuan;
//!
//! let files = vec![
//!     ("policy.csv".to_string(), "setting,value\ncooperative,示例\nyear,2019\nclose,no\n".as_bytes().to_vec()),
//!     ("members.csv".to_string(), "member,name,persons,village,joined\nH01,王建国,3,高格庄,2019/1/1\n".as_bytes().to_vec()),
//!     ("资产.csv".to_string(), "asset,name,kind,in_use,cost,residual,method,total_units,paid_from\nT01,拖拉机,固定资产,2019/3/5,80000,8000,工作量法,10000,bank\n".as_bytes().to_vec()),
//!     ("adjustments.csv".to_string(), "date,kind,refs,units\n2019/4/30,depreciation,,\n2019/4/12,工作量,T01,120.5\n".as_bytes().to_vec()),
//! ];
//! let book = BookFolder::from_files(&files)?.run()?;
//! // April's hours, though their row comes after the depreciation's: 72,000 × 120.5 / 10,000.
//! let expenses = book.journal().closing_balance(&AccountCode::new("523")?)?;
//! assert_eq!(expenses, Yuan::from_fen(86_760));
//! assert_eq!(book.asset(&"T01".parse()?).map(|a| a.depreciated_months), Some(1));
//! # Ok::<(), landpool::Error>(())
//! ```
//!
//! ## The years after the first
//!
//! A folder keeps one year. The next year's folder starts from the book of the years before
//! it, which it names in `policy.csv`: 上年账簿 prior_log, the path (relative to the folder)
//! of the event log the earlier year's run wrote, such as `../2019-out/events.jsonl`, or
//! `events.jsonl` copied into the folder (a file that is not `.csv` is left alone there).
//! [`BookFolder::read`] replays that log ([`crate::EventLog::read`], which leaves it as it
//! is) and reads the folder's rows beside the book it gives; [`BookFolder::run`] applies
//! the folder's events after that book, so the year's statements open with the earlier
//! year's closing balances and the `events.jsonl` of its run holds the earlier events and
//! the year's, for the year after to name in turn.
//!
//! - The log must be there, whole and not empty; a missing, damaged or cut-short log is a
//!   problem on the setting's value cell, naming the file and what was wrong.
//! - The earlier book's last year must be closed, and before the folder's year: every date
//!   it has (its entries, its dated events, its closed years) is before the folder's
//!   1 January. An earlier year left open (`年终结账 close` 否 no) is refused rather than
//!   carried: the next year's opening balances are that year's closing ones, which only a
//!   close makes. Close it, and name the log of that run.
//! - The folder's event ids must not be the earlier book's: the policy's
//!   `事件编号前缀 event_prefix` usually holds the year (`jrf-2020`); a prefix whose ids the
//!   earlier book has is a problem on its cell.
//! - The log holds no name of the cooperative: a log of another cooperative shows as the
//!   register rows that differ from it.
//!
//! The registers are carried forward. `season --next-year NEW --from OLD --log LOG`
//! ([`BookFolder::next_year`]) writes the next year's folder NEW from last year's, OLD, and
//! the log of its run, LOG: the registers of LOG's book, the year's files (from
//! `land_changes.csv` on) empty but for their header rows, and `policy.csv` with OLD's
//! cooperative and bylaws, the next `年度 year`, the `事件编号前缀 event_prefix` and the
//! `标题 title` with their year made the next year's (`jrf-2019` is `jrf-2020`, a title's
//! `2018-2019年度` is `2019-2020年度`), and `上年账簿 prior_log` naming LOG by its path from
//! NEW. The accountant adds the year's rows and the registers' new rows
//! (a member joining, a new contract). By hand, the same is last year's folder copied, its
//! year's files emptied and those settings set. A register row
//! (`accounts.csv`, `members.csv`, `parcels.csv`, `contracts.csv`, `grain_prices.csv`,
//! `loans.csv`, and `greenhouses.csv`) whose id (a grain price's crop, unit and date) the
//! earlier book holds is not applied again:
//!
//! - a row that says what the earlier book holds (its event, written as a folder writes
//!   it, is the same) is left out, its dates in the earlier years included: a member's
//!   `left` or a greenhouse's `built` and `retired` of 2019 are not refused as outside the
//!   folder's year when they are the earlier book's;
//! - a row that says otherwise is one problem on the first cell that differs, naming the
//!   field, the earlier value and this row's (and the other fields that differ), and saying
//!   how such a change is recorded: a parcel by a split or a merge, a contract's area by a
//!   swap in `land_changes.csv`, a member's leaving in their `left` cell (in the folder's
//!   year), a greenhouse taken out of use in its `retired` cell; a leaving or a retirement
//!   of the earlier years left out of its row is such a problem too;
//! - a row the earlier book does not hold is new: a member joining this year, a new
//!   contract;
//! - an entry of the earlier book the folder does not list is fine (a member who left in
//!   2019 need not be listed in 2020), and the rows of every file may still name it.
//!
//! A folder read from its files' contents ([`BookFolder::from_files`]) has no directory to
//! open a log from: a prior_log setting is a problem there. Give the earlier book with
//! [`BookFolder::from_files_after`] instead, which uses it whatever the setting says; a
//! folder made from events ([`BookFolder::new`]) takes it with [`BookFolder::new_after`].
//! [`BookFolder::to_files`] and [`BookFolder::write`] write a later year's folder with its
//! registers carried forward (the earlier book's, as it holds them, and the year's), and
//! its year's rows: read beside the same book, it gives the same events.
//!
//! ```
//! use landpool::folder::{write_all_outputs, BookFolder};
//!
//! let dir = std::env::temp_dir().join(format!("landpool-doc-years-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! // 2019: the reference cooperative, run and its statements and log written.
//! let y2019 = BookFolder::reference()?;
//! let book = y2019.run()?;
//! write_all_outputs(&book, y2019.settings(), dir.join("2019-out"))?;
//! // 2020: the members carried forward, one joining, and the 2019 log named.
//! let y2020 = dir.join("2020");
//! std::fs::create_dir_all(&y2020)?;
//! std::fs::write(y2020.join("policy.csv"), "setting,value\ncooperative,莱西市嘉瑞丰果蔬专业合作社\nyear,2020\nevent_prefix,jrf-2020\nclose,no\nprior_log,../2019-out/events.jsonl\n")?;
//! let members = "member,name,persons,village,joined\nH01,高建国,3,高格庄,2019-01-01\nH29,高新民,2,高格庄,2020-03-01\n";
//! std::fs::write(y2020.join("members.csv"), members)?;
//! let folder = BookFolder::read(&y2020)?;
//! assert_eq!(folder.events().len(), 1); // H29 joining: H01 is the 2019 book's
//! let book_2020 = folder.run()?;
//! assert_eq!(book_2020.events().len(), book.events().len() + 1);
//! assert_eq!(book_2020.members().count(), 30);
//!
//! // The log missing is a problem on the setting.
//! std::fs::remove_file(dir.join("2019-out").join("events.jsonl"))?;
//! let err = BookFolder::read(&y2020).unwrap_err().to_string();
//! assert!(err.starts_with("1 problem in the book folder:\npolicy.csv, line 6, column 2 \"value\": the earlier years' event log \"../2019-out/events.jsonl\""));
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ### Payouts of the earlier years
//!
//! What a later year pays out of the years before it is a row of `payments.csv`, dated in
//! the folder's year as its other rows:
//!
//! - `分配兑付 settle_distribution`: an earlier year's distribution paid out
//!   ([`Event::DistributionSettled`]: Dr 221 and 222 per member, Cr 102 bank or 101 cash as
//!   the `账户 account` cell says, the part the year's policy converts to capital Cr 301; a
//!   member whose leaving is recorded is paid all of theirs). The `对象 party` cell holds
//!   the year (`2019` or `2019年`): before the folder's, closed by the earlier years' book
//!   and not paid out there, or the cell is a problem naming the years that are. The
//!   book pays what the close gave each member: the `金额 amount` cell may be left empty,
//!   or give the total paid out of the account (as the bank statement shows it), which must
//!   be what the book pays there, in the row's place in the folder's order (a member whose
//!   leaving is recorded by then is paid all of theirs): when it is not,
//!   [`BookFolder::run`] reports a problem of kind [`ProblemKind::DiffersFromBook`] on the
//!   cell with both figures. The event holds no amount, so [`BookFolder::to_files`] writes
//!   the cell empty, and a folder with the amount reads to the same events as without.
//! - `退还公积金 refund_reserve`: a member who left is paid back their reserve share
//!   ([`Event::ReserveShareRefunded`]: Dr 322, Cr 102 or 101), all of it: the amount is
//!   [`Book::reserve_share`]. It is dated on or after their last day (on that day it comes
//!   after the leaving), and the member may be one who left in the earlier years, whom
//!   `members.csv` need not list.
//! - `公积金转股 convert_reserve`: part of a member's reserve share converted to their
//!   capital ([`Event::ReserveConverted`]: Dr 322, Cr 301), with the `账户 account` cell
//!   empty; not after the member's last day (a problem on its date cell).
//!
//! The book judges the rest, and a row it refuses (a refund that is not the member's whole
//! share, a distribution paid out twice, a conversion of more than the share) is one problem
//! naming the row, as for any row (see [Errors](#errors)). [`BookFolder::to_files`] writes
//! the rows, which read back to the same events.
//!
//! ```
//! use landpool::folder::BookFolder;
//! use landpool::{Event, Yuan};
//! use landpool::ledger::AccountCode;
//! use time::macros::date;
//!
//! let earlier = BookFolder::reference()?.run()?;
//! let h05 = "H05".parse()?;
//! let share = earlier.reserve_share(&h05)?;
//! let files = |payments: &str| vec![
//!     ("policy.csv".to_string(), "setting,value\ncooperative,莱西市嘉瑞丰果蔬专业合作社\nyear,2020\nevent_prefix,jrf-2020\nclose,no\n".as_bytes().to_vec()),
//!     ("members.csv".to_string(), "member,name,persons,village,joined\nH05,高志强,4,高格庄,2019-01-01\n".as_bytes().to_vec()),
//!     ("payments.csv".to_string(), format!("date,kind,party,amount,account\n{payments}").into_bytes()),
//! ];
//! // 2019's distribution paid out from the bank, and 1,000.00 of H05's reserve share
//! // converted to their capital.
//! let folder = BookFolder::from_files_after(
//!     &files("2020/4/1,分配兑付,2019,,银行\n2020/4/2,公积金转股,H05,1000,\n"),
//!     earlier.clone(),
//! )?;
//! assert!(matches!(folder.events()[0].event, Event::DistributionSettled { year: 2019, .. }));
//! let book = folder.run()?;
//! let payable = AccountCode::new("221.H05")?;
//! assert_eq!(book.journal().balance(&payable, date!(2020 - 04 - 01))?, Yuan::ZERO);
//! assert_eq!(book.reserve_share(&h05)?, share.checked_sub("1000".parse()?)?);
//!
//! // The amount paid out, as the bank statement has it, must be what the book pays.
//! let paid = BookFolder::from_files_after(&files("2020/4/1,分配兑付,2019,\"1,778,422.50\",银行\n"), earlier.clone())?;
//! let empty = BookFolder::from_files_after(&files("2020/4/1,分配兑付,2019,,银行\n"), earlier.clone())?;
//! assert_eq!(paid.events(), empty.events());
//! assert_eq!(paid.run()?, empty.run()?);
//! let err = BookFolder::from_files_after(&files("2020/4/1,分配兑付,2019,1778422.49,银行\n"), earlier.clone())?
//!     .run()
//!     .unwrap_err();
//! assert!(err.to_string().ends_with(
//!     "payments.csv, line 2, column 4 \"amount\": this row pays out 1778422.49, but 2019's distribution paid out here is 1778422.50 (Cr 102, what the close gave the members less the part the policy converts to capital): leave the cell empty for the book's figure, or write 1778422.50"
//! ));
//!
//! // A year the earlier book did not close is a problem on its cell.
//! let err = BookFolder::from_files_after(&files("2020/4/1,分配兑付,2018,,银行\n"), earlier)
//!     .unwrap_err();
//! assert!(err.to_string().ends_with(
//!     "payments.csv, line 2, column 3 \"party\": the earlier book (given by the caller) does not close 2018, so it has no distribution of 2018 to pay out: expected 2019, a year it closed and has not paid out"
//! ));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The order of the events
//!
//! Reading a folder gives an ordered list of events: first the registers, file by file in
//! the order of the table (sub-accounts, members, parcels, contracts, grain prices, loans),
//! rows in file order; then every other row, from all files together, by date, and on one
//! date by file (land changes, greenhouses, grants, costs, labour, harvests, sales,
//! adjustments, payments), rows in file order, except that a loan drawdown and a repayment
//! of principal with no interest (rows of `payments.csv`) come before the day's adjustments;
//! a greenhouse taken out of use and a member leaving (the `retired` and `left` cells of
//! their rows) come last on their day, after its
//! payments (in that order, each in the order of the rows of its file), but for a reserve
//! share paid back (`退还公积金 refund_reserve`), which follows the leavings; then, if
//! `policy.csv` says so, the year-end close. So a wage paid on the day of its
//! timesheet comes after the timesheet, an interest subsidy received (or interest paid) on
//! the day interest is accrued comes after the accrual, interest accrued through the day
//! of a drawdown or a repayment follows the principal as it changed that day (the
//! drawdown's day bears interest, the repayment's does not), a swap comes before a rent
//! accrual of the same day (which it could not follow), a greenhouse's harvests, costs,
//! work and depreciation of its last day come before it is taken out of use, and a
//! leaving member's rent accrued and paid on their last day comes before their leaving.
//!
//! Land changes are dated, so they come after every register: a contract names parcels of
//! `parcels.csv`, and a split or a merge (of parcels no contract holds on its date) makes
//! parcels that later rows of `land_changes.csv` may split or merge again. A swap's row
//! names both contracts and the area each gives the other (an empty cell is 0); a split
//! has a row for each new parcel, all naming the parcel split and its date; a merge's row
//! lists the parcels merged in one cell and names the parcel they become; a `变更列支 charge`
//! row names a contract and, in `列支科目 charge_to`, the account its rent is charged to from
//! the row's date on ([`Event::ContractChargeChanged`]), as when the greenhouse on its land
//! is taken out of use; a `合同解除 end` row (协议解除, 提前终止) names a contract ended early,
//! the row's date its new last day, with an optional `解除原因 reason`
//! ([`Event::ContractEnded`]): it is applied at the end of that day, after the greenhouses
//! taken out of use that day and before a member leaving, and the rent of the days up to it
//! is accrued by rows of `adjustments.csv` as for any contract (an accrual for the year
//! after it stops at it). A `变更列支 charge` row is applied at the end of the day before its date, so a
//! greenhouse taken out of use after that day (`拆除日期 retired` of `greenhouses.csv`)
//! finds the contracts that charged it re-pointed; but one charging a greenhouse's account
//! (`521.GH01`) from the day `greenhouses.csv` builds it (land taken into a new greenhouse)
//! comes on that day, right after the greenhouse is built (and opens its account), before
//! the day's rows of the later files: the days before still go to the old account. Land
//! moved from a greenhouse taken out of use to one built the next day takes two rows of
//! that day, one to another account (`401`), which comes before the retirement, and one to
//! the new greenhouse, which replaces it. Each event's id is the
//! policy's prefix and its place in that order (`jrf-2019-00001`), so the same folder always
//! gives the same ids, and each event remembers the file and line it came from.
//!
//! ## Errors
//!
//! Every file is read and every cell of every row checked before anything is applied; all
//! the problems found (up to [`MAX_PROBLEMS`]) are reported together in one
//! [`FolderError::Invalid`], each naming its file, line and column and saying what was
//! expected. Ids are checked across files (a contract's member must be in `members.csv`);
//! an id of digits not found that its file has with other leading zeros (`1` for member
//! `001`: Excel drops them when it saves a file) is refused too, the problem naming it.
//! When the rows are good but the book refuses an event (a contract asking for more of a
//! parcel than it has), the problem names the file and line the event came from (for a
//! timesheet refused for one of its records, that record's own line, the message giving its
//! position in the timesheet). Nothing is written when there is any problem.
//!
//! ## Example
//!
//! ```
//! use landpool::folder::BookFolder;
//!
//! let reference = BookFolder::reference()?;
//! let files: Vec<(String, Vec<u8>)> = reference
//!     .to_files()?
//!     .into_iter()
//!     .map(|(name, text)| (name, text.into_bytes()))
//!     .collect();
//! let read = BookFolder::from_files(&files)?;
//! assert_eq!(read, reference);
//! let book = read.run()?;
//! assert_eq!(book.members().count(), 29);
//! # Ok::<(), landpool::Error>(())
//! ```

mod cells;
pub(crate) mod durable;
mod outputs;
mod problem;
mod read;
mod reference;
mod scan;
mod schema;
mod text;
mod words;
#[cfg(feature = "xlsx")]
mod workbook;
mod write;
#[cfg(feature = "xlsx")]
mod xlsx;

use crate::error::io_error;
use std::collections::HashMap;
use std::io::Read as _;
use std::path::Path;

use time::Date;

pub use outputs::{
    outputs, receipts_html, statements, write_all_outputs, write_outputs, write_statements, Output,
};
pub use problem::{Column, FolderError, Problem, ProblemKind, MAX_PROBLEMS};
pub use reference::REFERENCE_TITLE;
#[cfg(feature = "xlsx")]
pub use workbook::workbook;

use crate::{Book, DistributionPolicy, Event, EventId, Result};
use schema::FileKind;

/// The settings of `policy.csv`: `(English name, Chinese name, what it is)`.
pub(crate) const SETTINGS: [(&str, &str, &str); 15] = [
    (
        "cooperative",
        "合作社名称",
        "合作社全称，收据上的付款单位; the cooperative's name, the payer on receipts",
    ),
    ("title", "标题", "汇总的标题; the first line of the printed summary"),
    ("year", "年度", "会计年度; the year the folder keeps"),
    (
        "event_prefix",
        "事件编号前缀",
        "事件编号为此前缀加序号; event ids are this, a dash and a number",
    ),
    (
        "close",
        "年终结账",
        "是 yes: 按本章程年终结账, 否 no: 不结账; close the year under this policy or leave it open",
    ),
    (
        "reserve_percent",
        "盈余公积(%)",
        "提取盈余公积的比例; percent of the surplus drawn to the reserve",
    ),
    (
        "welfare_percent",
        "公益金(%)",
        "提取公益金的比例; percent drawn to a welfare fund",
    ),
    (
        "patronage_percent",
        "按交易量返还(%)",
        "按交易量返还的比例，不低于60; percent of the distributable surplus returned by transaction volume, 60 or more",
    ),
    (
        "patronage_base",
        "返还基数",
        "本年盈余 this_year 或 可分配盈余 distributable; the surplus the 60% applies to",
    ),
    (
        "volume_land_weight",
        "交易量土地权重",
        "交易量中土地(亩×日)的权重; weight of land pooled (mu × days) in transaction volume",
    ),
    (
        "volume_labour_weight",
        "交易量劳务权重",
        "交易量中劳务报酬的权重; weight of labour pay in transaction volume",
    ),
    (
        "collective_percent",
        "集体分配(%)",
        "村集体分配比例; percent of the distributable surplus for the village collective",
    ),
    (
        "convert_to_capital_percent",
        "转为股金(%)",
        "分配转为股金的比例; percent of payouts converted to capital when settled",
    ),
    (
        "cover_loss_from_reserve",
        "公积金弥补亏损",
        "是 yes: 本年盈余不足弥补的亏损以盈余公积弥补, 否 no (默认); cover a loss the year's surplus leaves from the reserve",
    ),
    (
        "prior_log",
        "上年账簿",
        "上年的事件日志, 相对本文件夹的路径, 如 ../2019-out/events.jsonl; 第一年留空; the earlier years' event log (events.jsonl of last year's run), a path relative to this folder; empty in the first year",
    ),
];

/// The settings of a book folder (`policy.csv`): who the cooperative is, which year, how
/// event ids are made and the distribution policy the year is closed under.
///
/// # Example
///
/// ```
/// let folder = landpool::folder::BookFolder::reference()?;
/// assert_eq!(folder.settings().year, 2019);
/// assert_eq!(folder.settings().event_prefix, "jrf-2019");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The cooperative's name (the payer on receipts).
    pub cooperative: String,
    /// The first line of the season's printed summary.
    pub title: String,
    /// The year the folder keeps.
    pub year: i32,
    /// Event ids are `PREFIX-00001`, `PREFIX-00002`, … in the order of the events.
    pub event_prefix: String,
    /// The policy the year is closed under, or `None` to leave it open.
    pub close: Option<DistributionPolicy>,
    /// The event log of the earlier years (上年账簿 prior_log), a path relative to the
    /// folder as `policy.csv` gives it; `None` for a cooperative's first year. See
    /// [the later years](self#the-years-after-the-first).
    pub prior_log: Option<String>,
}

impl Settings {
    /// Reads the settings of the book folder in `dir` from its `policy.csv` (or `章程.csv`)
    /// alone, checked as [`BookFolder::read`] checks them; the other files are not read,
    /// and the earlier years' log the settings may name (上年账簿 prior_log) is not opened.
    /// `season --next-year` reads last year's settings so, for [`BookFolder::next_year`].
    ///
    /// # Errors
    ///
    /// [`crate::Error::Io`] when the folder or the file cannot be read;
    /// [`FolderError::Invalid`] when the folder has no `policy.csv`
    /// ([`ProblemKind::MissingFile`]), has it under both its names
    /// ([`ProblemKind::DuplicateFile`]), or has problems in it, each naming its line and cell.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::{BookFolder, Settings};
    ///
    /// let dir = std::env::temp_dir().join(format!("landpool-doc-settings-{}", std::process::id()));
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let folder = BookFolder::reference()?;
    /// folder.write(&dir)?;
    /// assert_eq!(&Settings::read(&dir)?, folder.settings());
    /// // A folder without a policy.csv has no settings.
    /// std::fs::remove_file(dir.join("policy.csv"))?;
    /// assert!(Settings::read(&dir).unwrap_err().to_string().starts_with(
    ///     "1 problem in the book folder:\npolicy.csv: the file is missing"
    /// ));
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(dir: &Path) -> Result<Settings> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| io_error(dir, "reading the folder", &e))?;
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(dir, "reading the folder", &e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if schema::left_alone(&name)
                || FileKind::from_file_name(&name) != Some(FileKind::Policy)
                || !entry.path().is_file()
            {
                continue;
            }
            found.push((name, entry.path()));
        }
        found.sort();
        let kind = FileKind::Policy;
        let (name, path) = match found.as_slice() {
            [] => {
                return Err(FolderError::Invalid {
                    problems: vec![kind.missing()],
                    more: 0,
                }
                .into())
            }
            [(name, path)] => (name, path),
            [(first, _), (second, _), ..] => {
                return Err(FolderError::Invalid {
                    problems: vec![Problem::file(
                        second,
                        ProblemKind::DuplicateFile,
                        format!("{first} is the same file; keep one of them"),
                    )],
                    more: 0,
                }
                .into())
            }
        };
        let mut bytes = Vec::new();
        let limit = u64::try_from(text::MAX_FILE_BYTES)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        std::fs::File::open(path)
            .and_then(|file| file.take(limit).read_to_end(&mut bytes))
            .map_err(|e| io_error(path, "reading", &e))?;
        read::read_policy(name, &bytes)
    }
}

/// `text` with the year `from` (its digits, wherever they are) made `to`; `None` when it
/// does not hold them.
fn with_year(text: &str, from: i32, to: i32) -> Option<String> {
    let from = from.to_string();
    text.contains(&from)
        .then(|| text.replace(&from, &to.to_string()))
}

/// `text` with the year `from` made `to` where it stands as a year: its digits not next to
/// an ASCII letter or digit (`2019年度`, `2019 (…)`), so that the same digits in a code or a
/// number (`93370285MA3C2019XY`, `12019`) stay. A range of years ending in `from`
/// (`2018-2019`, `2018—2019`, `2018至2019`, `2018/2019`) moves as a whole (`2019-2020`), so
/// that a season spanning two years stays one. `None` when no year stands in it.
fn with_standing_year(text: &str, from: i32, to: i32) -> Option<String> {
    // A range `before-from` becomes `to - 1` to `to`.
    let (Some(before), Some(to_before)) = (from.checked_sub(1), to.checked_sub(1)) else {
        return None;
    };
    let (from_text, before_text) = (from.to_string(), before.to_string());
    // The text's runs of ASCII letters and digits, and what lies between them: a year
    // stands alone when it is a whole run.
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let word = !rest.starts_with(|c: char| !c.is_ascii_alphanumeric());
        let end = rest
            .find(|c: char| c.is_ascii_alphanumeric() != word)
            .unwrap_or(rest.len());
        let (piece, tail) = rest.split_at(end);
        pieces.push((piece, word));
        rest = tail;
    }
    let range_mark = |between: &str| {
        matches!(
            between.trim(),
            "-" | "–" | "—" | "~" | "～" | "至" | "/" | "到"
        )
    };
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for (at, &(piece, word)) in pieces.iter().enumerate() {
        let starts_range = word
            && piece == before_text
            && pieces
                .get(at.saturating_add(1))
                .is_some_and(|&(between, word)| !word && range_mark(between))
            && pieces
                .get(at.saturating_add(2))
                .is_some_and(|&(year, word)| word && year == from_text);
        if starts_range {
            out.push_str(&to_before.to_string());
            changed = true;
        } else if word && piece == from_text {
            out.push_str(&to.to_string());
            changed = true;
        } else {
            out.push_str(piece);
        }
    }
    changed.then_some(out)
}

/// The event id prefix of `year` made from `prefix`, the year before's: its year replaced
/// (`jrf-2019` for 2020 is `jrf-2020`), or, when it does not hold the year, the year
/// appended (`jrf` is `jrf-2020`). [`BookFolder::next_year`] gives the next year's folder
/// this prefix, and a folder whose prefix repeats the earlier book's ids suggests it.
fn prefix_for_year(prefix: &str, year: i32) -> String {
    with_year(prefix, year.saturating_sub(1), year).unwrap_or_else(|| format!("{prefix}-{year}"))
}

/// Where an event came from: the file (by its name in the folder) and the line of its row
/// (its first row, for a contract or a timesheet of several rows).
///
/// # Example
///
/// ```
/// let folder = landpool::folder::BookFolder::reference()?;
/// let first = &folder.events()[0];
/// assert_eq!((first.source.file.as_str(), first.source.line), ("accounts.csv", 2));
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file's name in the folder.
    pub file: String,
    /// The line, from 1 (the header row is line 1).
    pub line: u64,
}

/// An event of a book folder, with its id and where it came from.
///
/// # Example
///
/// ```
/// use landpool::Event;
///
/// let folder = landpool::folder::BookFolder::reference()?;
/// // The first row of members.csv (its line 2) is the member H01's joining.
/// let joined = folder.events().iter().find(|e| e.source.file == "members.csv").ok_or("no members")?;
/// assert_eq!(joined.source.line, 2);
/// assert_eq!(joined.id.as_str(), "jrf-2019-00002");
/// assert!(matches!(&joined.event, Event::MemberJoined { member } if member.id.as_str() == "H01"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderEvent {
    /// The event's id.
    pub id: EventId,
    /// The event.
    pub event: Event,
    /// The file and line it came from.
    pub source: Source,
}

/// A book folder read into its settings and its ordered events; [`BookFolder::run`] applies
/// them to a new [`Book`].
///
/// # Example
///
/// See also the [module docs](self).
///
/// ```
/// let folder = landpool::folder::BookFolder::reference()?;
/// assert_eq!(folder.settings().year, 2019);
/// let book = folder.run()?;
/// // Every event of the folder is applied, in order, and the year is closed.
/// assert_eq!(book.event_count(), u64::try_from(folder.events().len())?);
/// assert_eq!(book.events().last().map(|e| &e.id), folder.events().last().map(|e| &e.id));
/// assert!(book.distribution(2019).is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookFolder {
    settings: Settings,
    events: Vec<FolderEvent>,
    /// The lines of the records of each timesheet read from `labour.csv`, by the
    /// timesheet's position in `events` (in that order), to name a refused record's row.
    record_lines: Vec<(usize, read::RecordLines)>,
    /// The amounts rows give for figures the book works out (a distribution's payout), by
    /// the event's position in `events` (in that order), checked when the folder runs.
    stated: Vec<(usize, read::Stated)>,
    /// The book of the earlier years the events were read beside (a later year's folder).
    earlier: Option<EarlierBook>,
}

/// The book of a folder's earlier years, compared as books are.
#[derive(Debug, Clone)]
struct EarlierBook(Box<Book>);

impl PartialEq for EarlierBook {
    fn eq(&self, other: &EarlierBook) -> bool {
        self.0 == other.0
    }
}

// A book equals itself: its equality compares journals, registers and logs, none of which
// holds a float.
impl Eq for EarlierBook {}

/// The date an event of the year's transactions is ordered by.
fn event_date(event: &Event) -> Option<Date> {
    match event {
        Event::GreenhouseBuilt { greenhouse, .. } => Some(greenhouse.built),
        Event::AssetAcquired { asset, .. } => Some(asset.in_use),
        Event::AreaSwapped { date, .. }
        | Event::ParcelSplit { date, .. }
        | Event::ParcelsMerged { date, .. }
        | Event::GrantReceived { date, .. }
        | Event::GrantSpent { date, .. }
        | Event::DonationReceived { date, .. }
        | Event::CostIncurred { date, .. }
        | Event::WorkRecorded { date, .. }
        | Event::Harvested { date, .. }
        | Event::ProduceSold { date, .. }
        | Event::RentAccrued { date, .. }
        | Event::CapitalContributed { date, .. }
        | Event::CapitalReturned { date, .. }
        | Event::RentPaid { date, .. }
        | Event::WagesPaid { date, .. }
        | Event::LoanDrawn { date, .. }
        | Event::LoanRepaid { date, .. }
        | Event::InterestSubsidyReceived { date, .. }
        | Event::ReceivableCollected { date, .. }
        | Event::DistributionSettled { date, .. }
        | Event::ReserveShareRefunded { date, .. }
        | Event::ReserveConverted { date, .. }
        | Event::GreenhouseRetired { date, .. }
        | Event::AssetRetired { date, .. }
        | Event::ContractEnded { date, .. }
        | Event::MemberLeft { date, .. } => Some(*date),
        Event::DepreciationBooked { year, month }
        | Event::AssetWorkRecorded { year, month, .. } => time::Month::try_from(*month)
            .ok()
            .and_then(|m| Date::from_calendar_date(*year, m, m.length(*year)).ok()),
        Event::LoanInterestAccrued { through, .. } => Some(*through),
        Event::ContractChargeChanged { from, .. } => Some(*from),
        _ => None,
    }
}

/// The events of `earlier` a later year's folder carries forward in its registers: what
/// adds a register's entry, and a member's leaving and a greenhouse's retirement, which
/// fill cells of their rows.
fn carried_registers(earlier: &Book) -> impl Iterator<Item = &Event> {
    earlier
        .events()
        .iter()
        .map(|logged| &logged.event)
        .filter(|e| read::register_key(e).is_some() || write::fills_a_row(e))
}

/// Where an event of `kind`'s file stands in the folder's order (see the module docs); ties
/// go by the row's place in its file.
///
/// On one date, files go in their order, each file's rows taking two places (`2 × kind`),
/// except a loan's change of principal (a drawdown, a repayment with no interest in it),
/// which goes just before the day's adjustments: its day bears interest on the principal as
/// it is after it, so an interest accrual through the day must follow it. An asset's units
/// of work (an `asset_work` row of `adjustments.csv`, dated by its month's last day) go
/// there too, before that month's depreciation.
///
/// A contract's rent charged to another account from a day on (a `charge` row of
/// `land_changes.csv`) comes at the end of the day before, after every file's rows of it:
/// the days before go to the old account, and a greenhouse taken out of use after that day
/// (next) finds the contracts that charged it re-pointed. But one charged to a greenhouse's
/// account (`521.<greenhouse>`) from the day the folder builds it (`builds`) comes on that
/// day, right after the day's greenhouses are built (before the day's grants, costs and
/// later files' rows): the account is opened by the build, and the days before still go to
/// the old account, whose accruals through the day before come before it.
///
/// An asset taken out of use (from a row of `assets.csv`) comes at the end of its day, before
/// the day's greenhouses taken out of use: a greenhouse goes out of use only after the
/// assets serving it.
///
/// A greenhouse taken out of use (from a row of `greenhouses.csv`), a contract ended early
/// (a `合同解除 end` row of `land_changes.csv`) and a member leaving (from a row of
/// `members.csv`, a register's file) come at the end of their day, in that order, after
/// every file's rows of it: the greenhouse's harvests, costs, work and depreciation up to
/// its last day are booked before it; the contract's rent accrued through its new last day
/// (an accrual reaching past it is refused before the end) and the greenhouses taken out of
/// use that day (which may free the land the pool loses) before the end; and the member's
/// rent accrued and paid up to their last day, which the book wants settled when the
/// leaving is recorded, and the end of their contract, before the leaving. A reserve share paid
/// back ([`Event::ReserveShareRefunded`], a row of `payments.csv`) comes after them: the
/// book pays it only to a member whose leaving is recorded.
fn order(kind: FileKind, event: &Event, builds: &Builds) -> (u8, Option<Date>, u8) {
    let end_of_day = (FileKind::Payments as u8).saturating_mul(2);
    match event {
        // To a greenhouse from the day it is built: just after it is built.
        Event::ContractChargeChanged {
            from, charge_to, ..
        } if builds.get(charge_to.as_str()) == Some(from) => {
            return (
                u8::MAX,
                Some(*from),
                (FileKind::Greenhouses as u8)
                    .saturating_mul(2)
                    .saturating_add(1),
            )
        }
        // At the end of the day before its first day: after that day's accruals of the
        // old account's days, before a greenhouse taken out of use after that day (which
        // waits for the contracts charging it to be re-pointed).
        Event::ContractChargeChanged { from, .. } => {
            return (
                u8::MAX,
                Some(from.previous_day().unwrap_or(*from)),
                end_of_day.saturating_add(1),
            )
        }
        // Before the day's greenhouses taken out of use: a greenhouse goes out of use only
        // after the assets serving it.
        Event::AssetRetired { .. } => {
            return (u8::MAX, event_date(event), end_of_day.saturating_add(2))
        }
        Event::GreenhouseRetired { .. } => {
            return (u8::MAX, event_date(event), end_of_day.saturating_add(3))
        }
        // After the day's greenhouses taken out of use, which may free the land the pool
        // loses, and before a member leaving, whose contract it may end.
        Event::ContractEnded { .. } => {
            return (u8::MAX, event_date(event), end_of_day.saturating_add(4))
        }
        Event::MemberLeft { .. } => {
            return (u8::MAX, event_date(event), end_of_day.saturating_add(5))
        }
        // Paid back on or after the member's last day: on that day, after the leaving.
        Event::ReserveShareRefunded { .. } => {
            return (u8::MAX, event_date(event), end_of_day.saturating_add(6))
        }
        _ => {}
    }
    if kind.is_register() {
        return (kind as u8, None, 0);
    }
    // A month's units of work go before the day's adjustments too: the month's
    // depreciation, on its last day, reads them.
    let principal_only = match event {
        Event::LoanDrawn { .. } | Event::AssetWorkRecorded { .. } => true,
        Event::LoanRepaid { interest, .. } => interest.is_zero(),
        _ => false,
    };
    let place = if principal_only {
        (FileKind::Adjustments as u8)
            .saturating_mul(2)
            .saturating_sub(1)
    } else {
        (kind as u8).saturating_mul(2)
    };
    (u8::MAX, event_date(event), place)
}

/// The greenhouses a folder builds, by their operating-expense account (`521.<greenhouse>`,
/// which the build opens), with the day each is built: a contract's rent charged to one
/// from that day is re-pointed after the build (see [`order`]).
type Builds = HashMap<String, Date>;

/// The [`Builds`] of `events`.
fn builds<'e>(events: impl Iterator<Item = &'e Event>) -> Builds {
    events
        .filter_map(|event| match event {
            Event::GreenhouseBuilt { greenhouse, .. } => {
                Some((format!("521.{}", greenhouse.id.as_str()), greenhouse.built))
            }
            _ => None,
        })
        .collect()
}

/// The place of each member and greenhouse among those the folder adds, by the event that
/// adds it (`MemberJoined`, `GreenhouseBuilt`), in `events`, the folder's other events in
/// its order. Leavings (retirements) on one day go in the order of their members
/// (greenhouses) there, rather than of the rows they are read from: a folder written from
/// its events orders greenhouses by the day they were built, and must read back in the
/// same order.
fn adding_places<'e>(
    events: impl Iterator<Item = &'e Event>,
) -> HashMap<(FileKind, String), usize> {
    let mut places = HashMap::new();
    let (mut members, mut greenhouses, mut assets) = (0usize, 0usize, 0usize);
    for event in events {
        match event {
            Event::MemberJoined { member } => {
                places
                    .entry((FileKind::Members, member.id.as_str().to_string()))
                    .or_insert(members);
                members = members.saturating_add(1);
            }
            Event::GreenhouseBuilt { greenhouse, .. } => {
                places
                    .entry((FileKind::Greenhouses, greenhouse.id.as_str().to_string()))
                    .or_insert(greenhouses);
                greenhouses = greenhouses.saturating_add(1);
            }
            Event::AssetAcquired { asset, .. } => {
                places
                    .entry((FileKind::Assets, asset.id.as_str().to_string()))
                    .or_insert(assets);
                assets = assets.saturating_add(1);
            }
            _ => {}
        }
    }
    places
}

/// Where a leaving or a retirement goes among those of its day: its member's or
/// greenhouse's place (see [`adding_places`]); last for one the folder does not add (the
/// writer refuses it, and the book a leaving of a member it does not have).
fn fill_place(places: &HashMap<(FileKind, String), usize>, event: &Event) -> usize {
    let key = match event {
        Event::MemberLeft { member, .. } => (FileKind::Members, member.as_str().to_string()),
        Event::GreenhouseRetired { greenhouse, .. } => {
            (FileKind::Greenhouses, greenhouse.as_str().to_string())
        }
        Event::AssetRetired { asset, .. } => (FileKind::Assets, asset.as_str().to_string()),
        _ => return usize::MAX,
    };
    places.get(&key).copied().unwrap_or(usize::MAX)
}

impl BookFolder {
    /// A book folder of `events` under `settings`, in the folder's order (see the module
    /// docs), with the ids and sources reading its files would give them. The year-end close
    /// comes from `settings`, not from `events`.
    ///
    /// # Errors
    ///
    /// [`FolderError::NotWritable`] for an event a folder has no file for (a manual entry, a
    /// year close, …) or whose form would not read back the same (a member leaving, or a
    /// greenhouse taken out of use, without the event that adds them, or twice);
    /// [`FolderError::Invalid`] when the files the events make have problems (an id used
    /// twice, a member no row defines, …), among them settings naming an earlier years' log
    /// (`prior_log`), which a folder made from events cannot open (see
    /// [`BookFolder::from_files`]).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::{BookFolder, Settings};
    /// use landpool::{Event, GrainUnit};
    /// use time::macros::date;
    ///
    /// let settings = Settings {
    ///     cooperative: "示例合作社".into(), title: "示例".into(), year: 2019,
    ///     event_prefix: "ex".into(), close: None, prior_log: None,
    /// };
    /// let price = Event::GrainPriceRecorded {
    ///     crop: "小麦".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// };
    /// let folder = BookFolder::new(settings, vec![price])?;
    /// assert_eq!(folder.events()[0].id.as_str(), "ex-00001");
    /// assert_eq!(folder.events()[0].source.file, "grain_prices.csv");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn new(settings: Settings, events: Vec<Event>) -> Result<BookFolder> {
        BookFolder::from_events(settings, events, None)
    }

    /// A later year's book folder of `events` under `settings`, beside `earlier`, the book
    /// of the cooperative's earlier years (see [the years after the
    /// first](self#the-years-after-the-first)): as [`BookFolder::new`], and the folder keeps
    /// the book, as [`BookFolder::from_files_after`] does, so that its events may pay out an
    /// earlier year's distribution ([`Event::DistributionSettled`]) and name the earlier
    /// years' members, contracts, loans and greenhouses (an earlier member leaving, an
    /// earlier greenhouse taken out of use), and [`BookFolder::run`] applies them after it.
    /// A platform that keeps a cooperative's events makes its later years' folders so.
    /// `settings` may name the earlier years' log (`prior_log`) or not: the book given is
    /// used, and no log is opened. The ids and sources are those reading the files
    /// [`BookFolder::to_files`] writes would give, the earlier book's registers carried
    /// forward before the year's rows.
    ///
    /// # Errors
    ///
    /// As [`BookFolder::new`] (but for `prior_log`, and a member leaving or a greenhouse
    /// taken out of use may be one `earlier` adds; an event adding what `earlier` adds,
    /// given again, is an id used twice, on the row after the one carried forward), and as
    /// [`BookFolder::from_files_after`]: [`FolderError::Invalid`] with a problem of kind
    /// [`ProblemKind::EarlierBook`] when `earlier` does not end in a closed year before the
    /// folder's or holds an event id the folder's events would have, and a problem on the
    /// row of an event that names what neither the folder nor `earlier` has, or a year
    /// whose distribution cannot be paid out (not closed by `earlier`, or paid out there).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::{BookFolder, Settings};
    /// use landpool::{CashAccount, Event};
    /// use time::macros::date;
    ///
    /// let earlier = BookFolder::reference()?.run()?;
    /// let settings = Settings {
    ///     cooperative: "莱西市嘉瑞丰果蔬专业合作社".into(), title: "2020".into(), year: 2020,
    ///     event_prefix: "jrf-2020".into(), close: None, prior_log: None,
    /// };
    /// // 2019's distribution paid out from the bank in 2020.
    /// let settle = Event::DistributionSettled {
    ///     year: 2019, date: date!(2020 - 04 - 01), from: CashAccount::Bank,
    /// };
    /// let folder = BookFolder::new_after(settings.clone(), vec![settle.clone()], earlier.clone())?;
    /// assert_eq!(folder.events()[0].id.as_str(), "jrf-2020-00001");
    /// assert_eq!(folder.events()[0].source.file, "payments.csv");
    /// let book = folder.run()?;
    /// assert_eq!(book.events().len(), earlier.events().len() + 1);
    /// // Without the earlier book, there is no 2019 to pay out.
    /// assert!(BookFolder::new(settings, vec![settle]).is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn new_after(settings: Settings, events: Vec<Event>, earlier: Book) -> Result<BookFolder> {
        BookFolder::from_events(settings, events, Some(earlier))
    }

    /// The book folder of the year after `earlier`'s last year, which it closed: what an
    /// accountant starts the next year from (`season --next-year` writes it). Its registers
    /// are `earlier`'s, carried forward as [`BookFolder::to_files`] writes them (every
    /// sub-account, member, parcel, contract, grain price, loan and greenhouse, with the
    /// leavings and retirements of the earlier years), its year's files (from
    /// `land_changes.csv` on) are empty but for their header rows, and its `policy.csv` is
    /// `earlier_settings` (the earlier folder's: the cooperative, the bylaws' close and
    /// distribution policy) with:
    ///
    /// - `年度 year` the next year (2020 after a book closing 2019);
    /// - `事件编号前缀 event_prefix` the earlier prefix with its year made the next year's
    ///   (`jrf-2019` is `jrf-2020`), or the next year appended when it does not hold the
    ///   year (`jrf` is `jrf-2020`), as the problem of a prefix repeating the earlier ids
    ///   suggests; the `标题 title` with its year made the next year's too where it stands
    ///   as a year (`2019年度`; a range ending in it, `2018-2019`, is `2019-2020`; the same
    ///   digits in a code such as `93370285MA3C2019XY` stay);
    /// - `上年账簿 prior_log` the path given, the earlier years' event log (the
    ///   `events.jsonl` of the run that made `earlier`) by its path from the new folder,
    ///   such as `../2019-out/events.jsonl`.
    ///
    /// It is [`BookFolder::new_after`] with those settings and no events: the folder keeps
    /// `earlier`, [`BookFolder::write`] writes it, and adding the year's rows to its files
    /// makes the year's folder, read from its directory beside the log it names. A service
    /// that keeps the events gives the year's to [`BookFolder::new_after`] instead.
    ///
    /// # Errors
    ///
    /// [`FolderError::NoNextYear`] (saying what to do) when `earlier` has no dated event and
    /// no closed year, when its last year (of its latest entry, dated event or closed year)
    /// is not closed (close it first: a year opens with the closing balances of the year
    /// before), or when that year is not `earlier_settings`' (the settings and the book are
    /// not of the same folder and its run); as [`BookFolder::new_after`] when the settings
    /// do not read back the same from `policy.csv` ([`FolderError::NotWritable`]: a
    /// `prior_log` that is empty or has spaces at its ends) or are refused there
    /// ([`FolderError::Invalid`]: an event prefix grown longer than 50 characters).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::{BookFolder, FolderError};
    ///
    /// let y2019 = BookFolder::reference()?;
    /// let book = y2019.run()?;
    /// let y2020 = BookFolder::next_year(y2019.settings(), book.clone(), "../2019-out/events.jsonl")?;
    /// let settings = y2020.settings();
    /// assert_eq!((settings.year, settings.event_prefix.as_str()), (2020, "jrf-2020"));
    /// assert_eq!(settings.prior_log.as_deref(), Some("../2019-out/events.jsonl"));
    /// assert_eq!(settings.close, y2019.settings().close);
    /// assert!(y2020.events().iter().all(|e| matches!(e.event, landpool::Event::YearClosed { .. })));
    /// assert_eq!(y2020.earlier(), Some(&book));
    /// // The registers carried forward, the year's files with their header rows only.
    /// let files = y2020.to_files()?;
    /// let members = files.iter().find(|(name, _)| name == "members.csv").ok_or("members.csv")?;
    /// assert_eq!(members.1.lines().count(), 30); // the header and the 29 members
    /// let costs = files.iter().find(|(name, _)| name == "costs.csv").ok_or("costs.csv")?;
    /// assert_eq!(costs.1.lines().count(), 1);
    ///
    /// // A book whose last year is open has no next year yet: close it first.
    /// let mut open = landpool::Book::new();
    /// for e in y2019.events().iter().filter(|e| !matches!(e.event, landpool::Event::YearClosed { .. })) {
    ///     open.apply(e.id.clone(), e.event.clone())?;
    /// }
    /// let err = BookFolder::next_year(y2019.settings(), open, "../2019-out/events.jsonl")
    ///     .unwrap_err();
    /// assert!(matches!(
    ///     err,
    ///     landpool::Error::Folder(FolderError::NoNextYear { last_year: Some(2019), closed: None, .. })
    /// ));
    /// assert!(err.to_string().starts_with(
    ///     "cannot make the next year's book folder: the earlier book's last year, 2019, is not closed (it closes no year)"
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_year(
        earlier_settings: &Settings,
        earlier: Book,
        prior_log: &str,
    ) -> Result<BookFolder> {
        let closed = earlier.journal().latest_closed();
        let refuse = |last_year: Option<i32>, reason: String| -> crate::Error {
            FolderError::NoNextYear {
                last_year,
                closed,
                reason,
            }
            .into()
        };
        let Some(last) = read::last_day(&earlier).map(|day| day.year()) else {
            return Err(refuse(
                None,
                "the earlier book has no dated event and no closed year: expected the book of the cooperative's years up to one it closed (the event log of that year's run, as season wrote it)".to_string(),
            ));
        };
        if closed != Some(last) {
            let since = match closed {
                Some(closed) => format!("it closes {closed} but has events up to {last}"),
                None => "it closes no year".to_string(),
            };
            return Err(refuse(
                Some(last),
                format!(
                    "the earlier book's last year, {last}, is not closed ({since}): the next year opens with the closing balances of the year before, which only a close makes; close {last} first (年终结账 close 是 yes in its policy.csv), run it again and start the next year from the event log of that run"
                ),
            ));
        }
        if earlier_settings.year != last {
            return Err(refuse(
                Some(last),
                format!(
                    "the earlier book's last year is {last}, but the earlier folder's policy.csv keeps {}: expected the event log of that folder's run, and that folder's settings",
                    earlier_settings.year
                ),
            ));
        }
        let Some(year) = last.checked_add(1) else {
            return Err(refuse(Some(last), format!("no year comes after {last}")));
        };
        let settings = Settings {
            cooperative: earlier_settings.cooperative.clone(),
            title: with_standing_year(&earlier_settings.title, last, year)
                .unwrap_or_else(|| earlier_settings.title.clone()),
            year,
            event_prefix: prefix_for_year(&earlier_settings.event_prefix, year),
            close: earlier_settings.close.clone(),
            prior_log: Some(prior_log.to_string()),
        };
        BookFolder::new_after(settings, Vec::new(), earlier)
    }

    /// [`BookFolder::new`], beside the earlier years' book when there is one
    /// ([`BookFolder::new_after`]).
    fn from_events(
        settings: Settings,
        events: Vec<Event>,
        earlier: Option<Book>,
    ) -> Result<BookFolder> {
        let builds = builds(events.iter());
        let mut keyed = Vec::with_capacity(events.len());
        let mut fills = Vec::new();
        for (seq, event) in events.iter().enumerate() {
            let (kind, _) = write::rows(event)?;
            if write::fills_a_row(event) {
                fills.push((kind, event));
            } else {
                keyed.push((order(kind, event, &builds), seq, event));
            }
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        if !fills.is_empty() {
            let places = adding_places(keyed.iter().map(|(_, _, event)| *event));
            // A leaving (retirement) of an entry the earlier book adds has no place among
            // the folder's own: on one day, those go in the order of their rows carried
            // forward, as reading the files written orders them, whatever order they are
            // given in.
            let carried = earlier
                .as_ref()
                .map(|book| adding_places(carried_registers(book)))
                .unwrap_or_default();
            fills.sort_by_key(|(_, event)| fill_place(&carried, event));
            for (kind, event) in fills {
                keyed.push((
                    order(kind, event, &builds),
                    fill_place(&places, event),
                    event,
                ));
            }
            keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        }
        let ordered: Vec<&Event> = keyed.iter().map(|(_, _, event)| *event).collect();
        // Written as `to_files` writes the folder: the earlier book's registers carried
        // forward before the year's rows, so that the events' sources are their rows there,
        // and a leaving (a retirement) of the earlier years' member (greenhouse) fills its row.
        let written: Vec<&Event> = earlier
            .iter()
            .flat_map(carried_registers)
            .chain(ordered.iter().copied())
            .collect();
        let files: Vec<(String, Vec<u8>)> = write::files(&settings, &written)?
            .into_iter()
            .map(|(name, text)| (name, text.into_bytes()))
            .collect();
        let folder = match earlier {
            Some(earlier) => BookFolder::from_files_after(&files, earlier)?,
            None => BookFolder::from_files(&files)?,
        };
        if folder.settings != settings {
            return Err(FolderError::NotWritable {
                what: "the settings".into(),
                reason: "they do not read back the same from policy.csv (text with spaces at its ends, or an empty name?)".into(),
            }
            .into());
        }
        let read: Vec<&Event> = folder
            .events
            .iter()
            .map(|e| &e.event)
            .filter(|e| !matches!(e, Event::YearClosed { .. }))
            .collect();
        if let Some(at) =
            (0..ordered.len().max(read.len())).find(|&i| ordered.get(i) != read.get(i))
        {
            return Err(FolderError::NotWritable {
                what: format!("event #{} of the folder", at.saturating_add(1)),
                reason: "its rows do not read back as the same event (text with spaces at its ends or line breaks, two timesheets on one date, …)".into(),
            }
            .into());
        }
        Ok(folder)
    }

    /// The reference cooperative: Jiaruifeng (嘉瑞丰) of Gaogezhuang (高格庄), 2019, from the
    /// 2019 Qingdao report (28 households, 200 mu at 1000 yuan/mu, 28 grape greenhouses);
    /// the households and their figures are illustrative. `season --init DIR` writes it.
    ///
    /// # Errors
    ///
    /// None expected; as [`BookFolder::new`].
    ///
    /// # Example
    ///
    /// ```
    /// let folder = landpool::folder::BookFolder::reference()?;
    /// assert_eq!(folder.settings().cooperative, "莱西市嘉瑞丰果蔬专业合作社");
    /// assert!(folder.events().len() > 300);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn reference() -> Result<BookFolder> {
        reference::reference_cooperative()
    }

    /// Reads a folder from disk: every `.csv` file in `dir`. Other files are left alone, and
    /// so are those other programs leave beside the folder's files: `._members.csv` (the
    /// resource fork a Mac writes when it copies a file to a USB stick) and `~$members.csv`
    /// (the owner file Excel and WPS keep while a sheet is open), any name starting with
    /// `._` or `~$`. A sheet of one of the folder's files saved only as a workbook or as
    /// text (`labour.xlsx` without `labour.csv`) is a problem (see [the files](self)).
    ///
    /// When `policy.csv` names the earlier years' event log (上年账簿 prior_log), the log is
    /// opened relative to `dir` and replayed, and the folder is read beside its book, as
    /// [`BookFolder::from_files_after`] reads it (see [the years after the
    /// first](self#the-years-after-the-first)).
    ///
    /// # Errors
    ///
    /// [`crate::Error::Io`] when the folder or a file cannot be read; [`FolderError::Invalid`]
    /// with a problem of kind [`ProblemKind::EarlierBook`] on the setting's value cell when
    /// the log is not there, cannot be read as an event log (damaged: the log's error,
    /// naming its line, is in the message), ends in a torn line or holds no events;
    /// otherwise as [`BookFolder::from_files_after`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::BookFolder;
    ///
    /// let dir = std::env::temp_dir().join(format!("landpool-doc-read-{}", std::process::id()));
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// BookFolder::reference()?.write(&dir)?;
    /// assert_eq!(BookFolder::read(&dir)?, BookFolder::reference()?);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn read(dir: &Path) -> Result<BookFolder> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| io_error(dir, "reading the folder", &e))?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(dir, "reading the folder", &e))?;
            let path = entry.path();
            if path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        let mut files = Vec::new();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if schema::left_alone(&name) {
                // A sheet saved as a workbook is not read, but its name is: without its
                // CSV file, the run would take that file for one with no rows.
                if schema::saved_in_another_format(&name).is_some() {
                    files.push((name, Vec::new()));
                }
                continue;
            }
            let mut bytes = Vec::new();
            let limit = u64::try_from(text::MAX_FILE_BYTES)
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            std::fs::File::open(&path)
                .and_then(|file| file.take(limit).read_to_end(&mut bytes))
                .map_err(|e| io_error(&path, "reading", &e))?;
            files.push((name, bytes));
        }
        BookFolder::assemble(read::read_files(&files, read::Prior::Dir(dir))?)
    }

    /// Reads a folder from its files' names and contents (a service's upload, say). Files
    /// whose names do not end in `.csv`, or start with `._` or `~$` (a Mac's resource fork,
    /// a spreadsheet's owner file; see [`BookFolder::read`]), are left alone, but for a sheet
    /// of one of the folder's files saved as a workbook or as text without its `.csv` file
    /// (`labour.xlsx` without `labour.csv`), a problem of kind [`ProblemKind::NotText`].
    ///
    /// # Errors
    ///
    /// [`FolderError::Invalid`] listing every problem of every file: a missing `policy.csv`
    /// or `members.csv`, an unknown `.csv` file, a binary or empty file, a missing column,
    /// a bad date (or one of the year's rows dated in another year), amount, area or
    /// number, an unknown or repeated id, …; and a `policy.csv` naming the earlier years'
    /// event log (上年账簿 prior_log), which this function has no folder to open it from
    /// (a problem of kind [`ProblemKind::EarlierBook`]): read the folder with
    /// [`BookFolder::read`], or give the earlier book to [`BookFolder::from_files_after`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::{BookFolder, ProblemKind};
    ///
    /// let files = vec![
    ///     ("policy.csv".to_string(), "setting,value\ncooperative,示例\nyear,2019\nclose,no\n".as_bytes().to_vec()),
    ///     ("members.csv".to_string(), "member,name,persons,village,joined\nH01,王建国,x,高格庄,2019/1/1\n".as_bytes().to_vec()),
    /// ];
    /// let err = BookFolder::from_files(&files).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "1 problem in the book folder:\nmembers.csv, line 2, column 3 \"persons\": expected a whole number of 1 or more, such as 3, found \"x\""
    /// );
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn from_files(files: &[(String, Vec<u8>)]) -> Result<BookFolder> {
        BookFolder::assemble(read::read_files(files, read::Prior::Unavailable)?)
    }

    /// Reads a later year's folder from its files' names and contents beside `earlier`,
    /// the book of the cooperative's earlier years (see [the years after the
    /// first](self#the-years-after-the-first)), whether `policy.csv` names their log or
    /// not: the book given is used, and a log the policy names is not opened. The folder
    /// keeps the book, and [`BookFolder::run`] applies the folder's events after it.
    ///
    /// # Errors
    ///
    /// As [`BookFolder::from_files`], and [`FolderError::Invalid`] with a problem of kind
    /// [`ProblemKind::EarlierBook`] when `earlier` does not end in a closed year before the
    /// folder's, or holds an event id the folder's events would have, and of kind
    /// [`ProblemKind::ChangedRegister`] for each register row that says otherwise than
    /// `earlier`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::BookFolder;
    ///
    /// let earlier = BookFolder::reference()?.run()?;
    /// let files = vec![
    ///     ("policy.csv".to_string(), "setting,value\ncooperative,莱西市嘉瑞丰果蔬专业合作社\nyear,2020\nclose,no\n".as_bytes().to_vec()),
    ///     // H01 carried forward as the 2019 book has them, and a member joining in 2020.
    ///     ("members.csv".to_string(), "member,name,persons,village,joined\nH01,高建国,3,高格庄,2019-01-01\nH30,赵新民,2,高格庄,2020-03-01\n".as_bytes().to_vec()),
    /// ];
    /// let folder = BookFolder::from_files_after(&files, earlier.clone())?;
    /// assert_eq!(folder.events().len(), 1); // H30 joining; H01 is in the 2019 book
    /// let book = folder.run()?;
    /// assert_eq!(book.members().count(), 30);
    /// assert_eq!(book.events().len(), earlier.events().len() + 1);
    ///
    /// // A register row that says otherwise than the earlier book is a problem on its cell.
    /// let mut changed = files.clone();
    /// changed[1].1 = "member,name,persons,village,joined\nH01,高建华,3,高格庄,2019-01-01\n".as_bytes().to_vec();
    /// let err = BookFolder::from_files_after(&changed, earlier).unwrap_err();
    /// assert!(err.to_string().starts_with(
    ///     "1 problem in the book folder:\nmembers.csv, line 2, column 2 \"name\": member H01 is in the earlier book (given by the caller) with 姓名 name \"高建国\", but this row has \"高建华\""
    /// ));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn from_files_after(files: &[(String, Vec<u8>)], earlier: Book) -> Result<BookFolder> {
        BookFolder::assemble(read::read_files(
            files,
            read::Prior::Book(Box::new(earlier)),
        )?)
    }

    /// The folder's events in order, with their ids, from its files read.
    fn assemble(read: read::Read) -> Result<BookFolder> {
        let read::Read {
            settings,
            policy_file,
            close_line,
            setting_lines,
            value_column,
            earlier,
            staged,
        } = read;
        let builds = builds(staged.iter().map(|s| &s.event));
        let (mut fills, mut staged): (Vec<read::Staged>, Vec<read::Staged>) = staged
            .into_iter()
            .partition(|s| write::fills_a_row(&s.event));
        let sort = |staged: &mut Vec<read::Staged>| {
            staged.sort_by(|a, b| {
                order(a.kind, &a.event, &builds)
                    .cmp(&order(b.kind, &b.event, &builds))
                    .then(a.seq.cmp(&b.seq))
            });
        };
        sort(&mut staged);
        if !fills.is_empty() {
            let places = adding_places(staged.iter().map(|s| &s.event));
            for fill in &mut fills {
                fill.seq = fill_place(&places, &fill.event);
            }
            staged.append(&mut fills);
            sort(&mut staged);
        }
        let mut events = Vec::with_capacity(staged.len().saturating_add(1));
        let close = settings.close.clone().map(|policy| read::Staged {
            event: Event::YearClosed {
                year: settings.year,
                policy,
            },
            kind: FileKind::Policy,
            file: policy_file.clone(),
            line: close_line,
            seq: 0,
            record_lines: read::RecordLines::default(),
            stated: None,
        });
        let mut record_lines = Vec::new();
        let mut stated = Vec::new();
        for (n, staged) in staged.into_iter().chain(close).enumerate() {
            let id = EventId::new(&format!(
                "{}-{:05}",
                settings.event_prefix,
                n.saturating_add(1)
            ))?;
            if !staged.record_lines.is_empty() {
                record_lines.push((n, staged.record_lines));
            }
            if let Some(amount) = staged.stated {
                stated.push((n, amount));
            }
            events.push(FolderEvent {
                id,
                event: staged.event,
                source: Source {
                    file: staged.file,
                    line: staged.line,
                },
            });
        }
        if let Some(earlier) = &earlier {
            let taken: std::collections::HashSet<&str> = earlier
                .book
                .events()
                .iter()
                .map(|e| e.id.as_str())
                .collect();
            let repeated: Vec<&FolderEvent> = events
                .iter()
                .filter(|e| taken.contains(e.id.as_str()))
                .collect();
            if let Some(first) = repeated.first() {
                let line = setting_lines
                    .get("event_prefix")
                    .or_else(|| setting_lines.get("year"))
                    .copied();
                let more = match repeated.len().saturating_sub(1) {
                    0 => String::new(),
                    n => format!(" (and {n} more of this folder's ids)"),
                };
                let suggest = prefix_for_year(&settings.event_prefix, settings.year);
                return Err(FolderError::Invalid {
                    problems: vec![Problem {
                        file: policy_file,
                        line,
                        column: line.and(value_column),
                        kind: ProblemKind::EarlierBook,
                        message: format!(
                            "event id {}{more} is in the earlier book ({}) already: give this year's events a prefix of their own (事件编号前缀 event_prefix), such as {suggest:?}",
                            first.id, earlier.shown
                        ),
                    }],
                    more: 0,
                }
                .into());
            }
        }
        Ok(BookFolder {
            settings,
            events,
            record_lines,
            stated,
            earlier: earlier.map(|earlier| EarlierBook(Box::new(earlier.book))),
        })
    }

    /// The folder's files as CSV text (UTF-8 with a byte-order mark): every file of a book
    /// folder, those without rows with just their header row. A later year's folder has
    /// its registers carried forward: the rows of the earlier book's sub-accounts, members
    /// (with the last day of those who left), parcels, contracts, grain prices, loans and
    /// greenhouses (with the retirements), before the year's.
    ///
    /// # Errors
    ///
    /// [`FolderError::NotWritable`] for an event no file holds (not for a folder that was
    /// read or made by [`BookFolder::new`], nor for the registers of an earlier book made
    /// from book folders).
    ///
    /// # Example
    ///
    /// ```
    /// let files = landpool::folder::BookFolder::reference()?.to_files()?;
    /// let (name, members) = &files[2];
    /// assert_eq!(name, "members.csv");
    /// assert!(members.starts_with("\u{feff}成员编号 member,姓名 name,类别 kind,人口 persons,"));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_files(&self) -> Result<Vec<(String, String)>> {
        // A later year's registers carried forward: the earlier book's, as it holds them.
        let carried = self
            .earlier
            .iter()
            .flat_map(|earlier| carried_registers(&earlier.0));
        let own = self.events.iter().map(|e| &e.event);
        let events: Vec<&Event> = carried
            .chain(own)
            .filter(|e| !matches!(e, Event::YearClosed { .. }))
            .collect();
        Ok(write::files(&self.settings, &events)?)
    }

    /// Writes the folder into `dir` (created if need be), with a `README.txt` describing its
    /// files. Refuses to overwrite: nothing is written if any of the files is already there.
    /// A write that fails part-way removes the files it had written, so that no folder
    /// missing some of its files (which would read as a book without their rows) is left.
    /// Each file is synced to the disk as it is written, and the folder once all are: when
    /// this returns `Ok`, a crash leaves no file empty or cut short.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Io`] when `dir` cannot be created, a file is already there
    /// ([`std::io::ErrorKind::AlreadyExists`]) or cannot be written or synced, or the
    /// folder cannot be synced; as [`BookFolder::to_files`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::folder::BookFolder;
    ///
    /// let dir = std::env::temp_dir().join(format!("landpool-doc-write-{}", std::process::id()));
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let folder = BookFolder::reference()?;
    /// folder.write(&dir)?;
    /// assert!(dir.join("members.csv").is_file() && dir.join("README.txt").is_file());
    /// // A second write refuses to overwrite the files.
    /// let again = folder.write(&dir);
    /// assert!(matches!(
    ///     again,
    ///     Err(landpool::Error::Io { kind: std::io::ErrorKind::AlreadyExists, .. })
    /// ));
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn write(&self, dir: &Path) -> Result<()> {
        let mut files = self.to_files()?;
        files.push(("README.txt".to_string(), write::readme()));
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "creating the folder", &e))?;
        for (name, _) in &files {
            let path = dir.join(name);
            if path.exists() {
                return Err(io_error(
                    &path,
                    "writing the book folder",
                    &std::io::Error::new(
                        std::io::ErrorKind::AlreadyExists,
                        "the file is already there; choose an empty folder",
                    ),
                ));
            }
        }
        // The files this call created (each with `create_new`, so its own): removed again if
        // a later one fails, since a folder missing a file would read as one without its rows.
        let mut created: Vec<std::path::PathBuf> = Vec::with_capacity(files.len());
        let written = files.iter().try_for_each(|(name, text)| {
            let path = dir.join(name);
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(|e| io_error(&path, "creating", &e))?;
            created.push(path.clone());
            std::io::Write::write_all(&mut file, text.as_bytes())
                .map_err(|e| io_error(&path, "writing", &e))?;
            durable::sync_file(&file, &path)
        });
        // The files' names, once all of them are there.
        let written = written.and_then(|()| durable::sync_dir(dir));
        if written.is_err() {
            for path in &created {
                // Nothing more can be done about a file that cannot be removed.
                let _ = std::fs::remove_file(path);
            }
        }
        written
    }

    /// The settings (`policy.csv`).
    ///
    /// # Example
    ///
    /// ```
    /// let folder = landpool::folder::BookFolder::reference()?;
    /// let settings = folder.settings();
    /// assert_eq!((settings.year, settings.event_prefix.as_str()), (2019, "jrf-2019"));
    /// assert!(settings.close.is_some());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The events in the order they are applied, the year-end close last.
    ///
    /// # Example
    ///
    /// ```
    /// let folder = landpool::folder::BookFolder::reference()?;
    /// let events = folder.events();
    /// assert_eq!(events.len(), 329);
    /// assert_eq!(events[0].id.to_string(), "jrf-2019-00001");
    /// // The close comes last, from policy.csv.
    /// let last = events.last().ok_or("no events")?;
    /// assert!(matches!(last.event, landpool::Event::YearClosed { year: 2019, .. }));
    /// assert_eq!(last.source.file, "policy.csv");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn events(&self) -> &[FolderEvent] {
        &self.events
    }

    /// Applies the events, in order, to a new book, or for a later year's folder after a
    /// copy of the earlier years' book it was read beside ([`BookFolder::earlier`]).
    ///
    /// # Errors
    ///
    /// [`FolderError::Invalid`] with one problem of kind [`ProblemKind::Rejected`] naming the
    /// file and line of the first event the book refuses, and the book's error. For a
    /// timesheet refused for one of its records
    /// ([`PoolError::WorkRecordRefused`](crate::PoolError::WorkRecordRefused), which gives
    /// the record's position in the timesheet), the line is that record's row in
    /// `labour.csv`, not the timesheet's first row. With one problem of kind
    /// [`ProblemKind::DiffersFromBook`] on the `金额 amount` cell of the first
    /// `分配兑付 settle_distribution` row of `payments.csv` that gives another amount than
    /// the book pays out for it.
    ///
    /// # Example
    ///
    /// ```
    /// let book = landpool::folder::BookFolder::reference()?.run()?;
    /// assert!(book.distribution(2019).is_some());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn run(&self) -> Result<Book> {
        let book = match &self.earlier {
            Some(earlier) => Book::clone(&earlier.0),
            None => Book::new(),
        };
        self.apply_to(book)
    }

    /// The book of the earlier years the folder was read beside (its `policy.csv`'s
    /// 上年账簿 prior_log, or the book given to [`BookFolder::from_files_after`]); `None`
    /// for a cooperative's first year.
    ///
    /// # Example
    ///
    /// ```
    /// let folder = landpool::folder::BookFolder::reference()?;
    /// assert!(folder.earlier().is_none());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn earlier(&self) -> Option<&Book> {
        self.earlier.as_ref().map(|earlier| &*earlier.0)
    }

    /// Applies the events, in order, to `book`.
    fn apply_to(&self, mut book: Book) -> Result<Book> {
        for (at, event) in self.events.iter().enumerate() {
            let problem = match book.apply(event.id.clone(), event.event.clone()) {
                Ok(applied) => match self.stated_differs(at, &book, &applied)? {
                    Some(problem) => problem,
                    None => continue,
                },
                Err(error) => Problem {
                    message: format!("the book refuses this row: {error}"),
                    ..Problem::row(
                        &event.source.file,
                        self.line_refused(at, &error).unwrap_or(event.source.line),
                        ProblemKind::Rejected {
                            event: event.id.clone(),
                            error: Box::new(error),
                        },
                        "",
                    )
                },
            };
            return Err(FolderError::Invalid {
                problems: vec![problem],
                more: 0,
            }
            .into());
        }
        Ok(book)
    }

    /// The problem with the amount the row of the event at `at` gives for a figure the book
    /// works out ([`read::Stated`]), when the event as `book` applied it (`applied`) made
    /// another: for a distribution paid out, what its entries credit to the cash or bank
    /// account it is paid from. `None` when they agree, or the row gives none.
    fn stated_differs(
        &self,
        at: usize,
        book: &Book,
        applied: &crate::Applied,
    ) -> Result<Option<Problem>> {
        let Ok(found) = self.stated.binary_search_by_key(&at, |(event, _)| *event) else {
            return Ok(None);
        };
        let (Some((_, stated)), Some(event)) = (self.stated.get(found), self.events.get(at)) else {
            return Ok(None);
        };
        let (
            Event::DistributionSettled { year, from, .. },
            crate::Applied::Recorded { entries, .. },
        ) = (&event.event, applied)
        else {
            return Ok(None);
        };
        let cash = from.code();
        let mut paid = crate::Yuan::ZERO;
        for entry in entries.iter().filter_map(|id| book.journal().get(id)) {
            for posting in entry.postings() {
                if posting.side == crate::ledger::Side::Credit && posting.account.as_str() == cash {
                    paid = paid.checked_add(posting.amount)?;
                }
            }
        }
        if paid == stated.amount {
            return Ok(None);
        }
        Ok(Some(Problem {
            file: event.source.file.clone(),
            line: Some(event.source.line),
            column: Some(stated.column.clone()),
            kind: ProblemKind::DiffersFromBook {
                event: event.id.clone(),
                book: paid,
            },
            message: format!(
                "this row pays out {given}, but {year}'s distribution paid out here is {paid} (Cr {cash}, what the close gave the members less the part the policy converts to capital): leave the cell empty for the book's figure, or write {paid}",
                given = stated.amount
            ),
        }))
    }

    /// The line of the record of the event at `at` that `error` refuses, when the event is
    /// a timesheet read from `labour.csv` and the error names one of its records.
    fn line_refused(&self, at: usize, error: &crate::Error) -> Option<u64> {
        let crate::Error::Pool(crate::PoolError::WorkRecordRefused { record, .. }) = error else {
            return None;
        };
        let sheet = self
            .record_lines
            .binary_search_by_key(&at, |(event, _)| *event)
            .ok()?;
        let (_, lines) = self.record_lines.get(sheet)?;
        lines.line(record.checked_sub(1)?)
    }
}

#[cfg(test)]
mod tests {
    use super::{prefix_for_year, with_standing_year};

    #[test]
    fn a_standing_year_is_made_the_next_and_a_range_ending_in_it_moves_whole() {
        let next = |text: &str| with_standing_year(text, 2019, 2020);
        assert_eq!(next("2019年度").as_deref(), Some("2020年度"));
        assert_eq!(next("2018-2019年度").as_deref(), Some("2019-2020年度"));
        assert_eq!(
            next("2018 — 2019 season").as_deref(),
            Some("2019 — 2020 season")
        );
        assert_eq!(next("2018至2019").as_deref(), Some("2019至2020"));
        assert_eq!(next("2018/2019, 2019").as_deref(), Some("2019/2020, 2020"));
        // 2018 alone, or in a range not ending in the book's year, is another year.
        assert_eq!(
            next("2018年 and 2019年").as_deref(),
            Some("2018年 and 2020年")
        );
        assert_eq!(next("2017-2018").as_deref(), None);
        assert_eq!(next("2018-2019X").as_deref(), None);
        assert_eq!(next("2018, 2019").as_deref(), Some("2018, 2020"));
        // The same digits inside a code or a number stay.
        assert_eq!(next("93370285MA3C2019XY 12019").as_deref(), None);
        assert_eq!(next("").as_deref(), None);
        assert_eq!(with_standing_year("2019", i32::MIN, 2019), None);
    }

    #[test]
    fn a_prefix_has_its_year_replaced_or_the_year_appended() {
        assert_eq!(prefix_for_year("jrf-2019", 2020), "jrf-2020");
        assert_eq!(prefix_for_year("jrf", 2020), "jrf-2020");
    }
}
