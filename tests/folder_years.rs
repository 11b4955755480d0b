//! Book folders for the years after the first: the reference cooperative's 2019 folder is
//! run and its event log written; a 2020 folder copied from it, with its year's files
//! replaced by a small 2020 and `policy.csv` naming the 2019 log, runs after that book.

mod common;

use std::path::{Path, PathBuf};

use landpool::folder::{outputs, write_outputs, BookFolder, FolderError, Output, ProblemKind};
use landpool::ledger::AccountCode;
use landpool::{Book, Error, Yuan};
use time::macros::date;

fn ok<T>(result: Result<T, Error>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

/// The files of the year's transactions, emptied in the 2020 folder.
const YEAR_FILES: [&str; 8] = [
    "land_changes.csv",
    "grants.csv",
    "costs.csv",
    "labour.csv",
    "harvests.csv",
    "sales.csv",
    "adjustments.csv",
    "payments.csv",
];

/// The 2020 rows of the year's files (their header rows are the 2019 folder's).
const ROWS_2020: [(&str, &str); 5] = [
    ("costs.csv", "2020-03-10,种苗,3000.00,GH01,银行,葡萄苗 grape seedlings,\n"),
    ("harvests.csv", "2020-08-20,GH01,1000,,\n"),
    (
        "sales.csv",
        "2020-08-25,GH01,1000,8.00,青岛果品批发市场,银行,\n",
    ),
    (
        "adjustments.csv",
        "2020-12-31,计提租金,2020-01-01,2020-12-31,,\n2020-12-31,折旧,,,,\n2020-12-31,计提利息,,,L2019-01,\n",
    ),
    (
        "payments.csv",
        "2020-03-01,股金,H29,5000.00,,银行,,,,\n2020-03-01,租金,H01,8350.00,,银行,,,,\n",
    ),
];

/// The member who joins in 2020.
const H29: &str = "H29,高新民,农户,2,高格庄,2020-03-01,,\n";

/// A base directory holding `2019/` (the reference folder), `2019-out/` (its run, with
/// `events.jsonl`) and `2020/` (the next year's folder naming `../2019-out/events.jsonl`).
struct Years {
    dir: common::TempDir,
    /// The 2019 book, run from the reference folder.
    book_2019: Book,
}

impl Years {
    fn new(name: &str) -> Years {
        let dir = common::TempDir::new(name);
        let folder = ok(BookFolder::reference());
        ok(folder.write(&dir.join("2019")));
        let book_2019 = ok(folder.run());
        ok(write_outputs(
            &dir.join("2019-out"),
            &ok(outputs(&book_2019, folder.settings())),
        ));
        let years = Years { dir, book_2019 };
        years.make_2020();
        years
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn file_2020(&self, name: &str) -> PathBuf {
        self.path("2020").join(name)
    }

    fn read_2020(&self, name: &str) -> String {
        std::fs::read_to_string(self.file_2020(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn write_2020(&self, name: &str, text: &str) {
        std::fs::write(self.file_2020(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    /// Replaces `from` by `to` in the 2020 folder's file `name`, which must hold it.
    fn edit_2020(&self, name: &str, from: &str, to: &str) {
        let text = self.read_2020(name);
        assert!(text.contains(from), "{name} has no {from:?}");
        self.write_2020(name, &text.replacen(from, to, 1));
    }

    /// The 2020 folder, as an accountant makes it: the 2019 folder copied, its year's
    /// files emptied and given the 2020 rows, a member added, and the policy's year,
    /// prefix and earlier log set.
    fn make_2020(&self) {
        let (from, to) = (self.path("2019"), self.path("2020"));
        std::fs::create_dir_all(&to).unwrap_or_else(|e| panic!("{e}"));
        for entry in std::fs::read_dir(&from).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_default();
            std::fs::copy(&path, to.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        add_2020_rows(&to);
        self.edit_2020("policy.csv", "年度 year,2019,", "年度 year,2020,");
        self.edit_2020(
            "policy.csv",
            "事件编号前缀 event_prefix,jrf-2019,",
            "事件编号前缀 event_prefix,jrf-2020,",
        );
        self.edit_2020(
            "policy.csv",
            "上年账簿 prior_log,,",
            "上年账簿 prior_log,../2019-out/events.jsonl,",
        );
    }

    /// The 2020 folder's files, by name, with their bytes.
    fn folder_2020_files(&self) -> Vec<(String, Vec<u8>)> {
        common_snapshot(&self.path("2020"))
    }

    fn folder_2020(&self) -> Result<BookFolder, Error> {
        BookFolder::read(&self.path("2020"))
    }

    /// The reference's 2019 book with the year left open (its policy says no close).
    fn open_2019(&self) -> Book {
        let mut files_2019: Vec<(String, Vec<u8>)> = common_snapshot(&self.path("2019"));
        for (name, bytes) in &mut files_2019 {
            if name == "policy.csv" {
                let text = String::from_utf8_lossy(bytes).replacen(
                    "年终结账 close,是,",
                    "年终结账 close,否,",
                    1,
                );
                *bytes = text.into_bytes();
            }
        }
        ok(ok(BookFolder::from_files(&files_2019)).run())
    }
}

/// The 2020 rows, in a folder whose files hold the registers carried forward: each year's
/// file keeps its header row and gets the 2020 rows, and H29 joins.
fn add_2020_rows(dir: &Path) {
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    for name in YEAR_FILES {
        let text = read(name);
        let header = text.lines().next().unwrap_or_default();
        let rows = ROWS_2020
            .iter()
            .find(|(file, _)| *file == name)
            .map_or("", |(_, rows)| rows);
        write(name, &format!("{header}\n{rows}"));
    }
    let members = read("members.csv");
    write("members.csv", &format!("{members}{H29}"));
}

/// The cells of a CSV output (UTF-8 with a byte-order mark), row by row.
fn csv_rows(files: &[Output], name: &str) -> Vec<Vec<String>> {
    let bytes = &files
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("{name}"))
        .bytes;
    common::csv_rows(&String::from_utf8_lossy(bytes))
}

/// The one problem of a folder refused, as text.
fn one_problem(result: Result<BookFolder, Error>) -> (ProblemKind, String) {
    match result {
        Err(Error::Folder(error)) => match error.problems() {
            [problem] => (problem.kind.clone(), problem.to_string()),
            problems => panic!("{} problems: {error}", problems.len()),
        },
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("the folder was read"),
    }
}

fn yuan(text: &str) -> Yuan {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn balance(book: &Book, code: &str, on: time::Date) -> Yuan {
    let code = AccountCode::new(code).unwrap_or_else(|e| panic!("{e}"));
    ok(book.journal().balance(&code, on))
}

#[test]
fn the_2020_folder_runs_after_the_2019_book() {
    let years = Years::new("runs");
    let folder = ok(years.folder_2020());
    assert_eq!(folder.settings().year, 2020);
    assert_eq!(
        folder.settings().prior_log.as_deref(),
        Some("../2019-out/events.jsonl")
    );
    assert_eq!(folder.earlier(), Some(&years.book_2019));
    // Only the year's rows and the new member are events: every register row carried
    // forward is the 2019 book's.
    let kinds: Vec<(String, &str, u64)> = folder
        .events()
        .iter()
        .map(|e| {
            let json = serde_json::to_value(&e.event).unwrap_or_else(|e| panic!("{e}"));
            let kind = json["type"].as_str().unwrap_or_default().to_string();
            (kind, e.source.file.as_str(), e.source.line)
        })
        .collect();
    let expected: Vec<(String, &str, u64)> = [
        ("member_joined", "members.csv", 31),
        ("capital_contributed", "payments.csv", 2),
        ("rent_paid", "payments.csv", 3),
        ("cost_incurred", "costs.csv", 2),
        ("harvested", "harvests.csv", 2),
        ("produce_sold", "sales.csv", 2),
        ("rent_accrued", "adjustments.csv", 2),
        ("depreciation_booked", "adjustments.csv", 3),
        ("loan_interest_accrued", "adjustments.csv", 4),
        ("year_closed", "policy.csv", 6),
    ]
    .into_iter()
    .map(|(kind, file, line)| (kind.to_string(), file, line))
    .collect();
    assert_eq!(kinds, expected);
    assert_eq!(folder.events()[0].id.as_str(), "jrf-2020-00001");

    let book = ok(folder.run());
    let earlier = years.book_2019.events().len();
    assert_eq!(book.events().len(), earlier + 10);
    assert_eq!(book.events()[..earlier], years.book_2019.events()[..]);
    assert!(book.journal().is_closed(2019) && book.journal().is_closed(2020));
    assert_eq!(book.members().count(), 30);

    // A few 2020 figures: H29's capital, H01's rent paid ahead of its accrual, the sale.
    let end = date!(2020 - 12 - 31);
    assert_eq!(balance(&book, "301.H29", end), yuan("-5000.00"));
    let sale = book
        .events()
        .iter()
        .find(|e| e.id.as_str() == "jrf-2020-00006")
        .map(|e| &e.event);
    assert!(
        matches!(sale, Some(landpool::Event::ProduceSold { kg, .. }) if kg.to_string() == "1000"),
        "{sale:?}"
    );

    let distribution = book
        .distribution(2020)
        .unwrap_or_else(|| panic!("2020 is closed"));
    let pl = &distribution.profit_and_loss;
    assert_eq!(pl.operating_revenue, yuan("8000.00"));
    // Rent of 2020 (200 mu at 1000 yuan, the whole year), depreciation of 28 greenhouses
    // (60000 less a residual of 3000 over 120 months: 475 a month each, 159600) and the
    // seedlings (3000).
    assert_eq!(pl.operating_expenses, yuan("362600.00"));

    // The balance sheet's opening column is 2019's closing column, line for line.
    let files_2019 = ok(outputs(
        &years.book_2019,
        ok(BookFolder::reference()).settings(),
    ));
    let files_2020 = ok(outputs(&book, folder.settings()));
    let sheet_2019 = csv_rows(&files_2019, "balance_sheet.csv");
    let sheet_2020 = csv_rows(&files_2020, "balance_sheet.csv");
    assert_eq!(sheet_2019.len(), sheet_2020.len());
    assert_eq!(sheet_2019[0], sheet_2020[0], "the same header");
    let (closing, opening) = column_of(&sheet_2019[0]);
    let mut compared = 0;
    for (row_2019, row_2020) in sheet_2019.iter().zip(&sheet_2020).skip(1) {
        assert_eq!(row_2019[..closing], row_2020[..closing], "the same line");
        assert_eq!(
            row_2020.get(opening),
            row_2019.get(closing),
            "{:?}",
            row_2020
        );
        compared += 1;
    }
    assert!(compared > 30, "{compared} lines");
    // Cash: 2019's closing, with H29's capital and the sale in and H01's rent and the
    // seedlings out.
    assert_eq!(sheet_2019[1][closing], "2094075.00");
    assert_eq!(
        sheet_2020[1][..closing + 1],
        ["1", "货币资金", "Cash and deposits", "2095725.00"]
    );

    // The year's log holds the earlier events and the year's, for the year after.
    let log = files_2020
        .iter()
        .find(|o| o.name == "events.jsonl")
        .unwrap_or_else(|| panic!("events.jsonl"));
    let lines = log.bytes.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(lines, earlier + 10);
}

/// The balance sheet's closing and opening columns, by their headers.
fn column_of(header: &[String]) -> (usize, usize) {
    let find = |word: &str| {
        header
            .iter()
            .position(|h| h.contains(word))
            .unwrap_or_else(|| panic!("no {word} column in {header:?}"))
    };
    (find("期末"), find("年初"))
}

#[test]
fn a_changed_register_row_is_one_problem_naming_the_field_and_both_values() {
    let years = Years::new("changed");
    years.edit_2020("members.csv", "H02,高秀英,农户,3,", "H02,高秀英,农户,4,");
    let before = common_snapshot(&years.path("2020"));
    let (kind, text) = one_problem(years.folder_2020());
    assert_eq!(kind, ProblemKind::ChangedRegister);
    assert_eq!(
        text,
        "members.csv, line 3, column 4 \"人口 persons\": member H02 is in the earlier book (\"../2019-out/events.jsonl\") with 人口 persons \"3\", but this row has \"4\": a register row carried forward from the earlier years says what their book holds, or is left out; a member's row stays as they joined (their leaving is its 退社日期 left cell, in this year); a new member is a row with an id of their own"
    );
    assert_eq!(
        common_snapshot(&years.path("2020")),
        before,
        "nothing is written"
    );
}

/// Every file under `dir`, by name, with its bytes.
fn common_snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|entry| {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
            (name.unwrap_or_default(), bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_changed_parcel_row_of_a_contract_is_a_problem_on_its_own_line() {
    let years = Years::new("contract");
    years.edit_2020(
        "contracts.csv",
        "LZ01,H01,P01-2,3.34,",
        "LZ01,H01,P01-2,3.35,",
    );
    let (kind, text) = one_problem(years.folder_2020());
    assert_eq!(kind, ProblemKind::ChangedRegister);
    assert_eq!(
        text,
        "contracts.csv, line 3, column 4 \"面积(亩) area\": contract LZ01 is in the earlier book (\"../2019-out/events.jsonl\") with 面积(亩) area \"3.34\", but this row has \"3.35\": a register row carried forward from the earlier years says what their book holds, or is left out; a contract's area moves by a swap in land_changes.csv (土地变更.csv); its other terms change with a new contract (rows with a contract id of their own) after this one ends"
    );
}

#[test]
fn event_ids_of_the_earlier_book_are_a_problem_on_the_prefix() {
    let years = Years::new("ids");
    years.edit_2020(
        "policy.csv",
        "事件编号前缀 event_prefix,jrf-2020,",
        "事件编号前缀 event_prefix,jrf-2019,",
    );
    let (kind, text) = one_problem(years.folder_2020());
    assert_eq!(kind, ProblemKind::EarlierBook);
    assert_eq!(
        text,
        "policy.csv, line 5, column 2 \"值 value\": event id jrf-2019-00001 (and 9 more of this folder's ids) is in the earlier book (\"../2019-out/events.jsonl\") already: give this year's events a prefix of their own (事件编号前缀 event_prefix), such as \"jrf-2020\""
    );
}

#[test]
fn a_missing_or_damaged_prior_log_is_a_problem_on_its_setting() {
    let years = Years::new("missing");
    let log = years.path("2019-out").join("events.jsonl");
    let log_path = years.path("2020").join("../2019-out/events.jsonl");
    let bytes = std::fs::read(&log).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(&log).unwrap_or_else(|e| panic!("{e}"));
    let (kind, text) = one_problem(years.folder_2020());
    assert_eq!(kind, ProblemKind::EarlierBook);
    assert_eq!(
        text,
        format!("policy.csv, line 16, column 2 \"值 value\": the earlier years' event log \"../2019-out/events.jsonl\" ({}) is not there: expected the event log of the earlier years (the events.jsonl of their run), copied into this folder or named by its path from it, such as ../2019-out/events.jsonl", years.path("2020").join("../2019-out/events.jsonl").display())
    );
    // A changed letter in the log's first line.
    let mut damaged = bytes.clone();
    let at = damaged
        .iter()
        .position(|&b| b == b'H')
        .unwrap_or_else(|| panic!("no H"));
    damaged[at] = b'K';
    std::fs::write(&log, &damaged).unwrap_or_else(|e| panic!("{e}"));
    let (kind, text) = one_problem(years.folder_2020());
    assert_eq!(kind, ProblemKind::EarlierBook);
    let path = log_path.display();
    assert_eq!(
        text,
        format!("policy.csv, line 16, column 2 \"值 value\": the earlier years' event log \"../2019-out/events.jsonl\" ({path}) cannot be read as the event log of the earlier years: {path}: line 2: event log broken at event 1: event jrf-2019-00002 records digest a15732e76cce09666d8f0ec464ee139b150637da7d0b26c78cecf70a089cdfce but its content, chained to the event before, gives cd636f35aa67fdff3ead1b5331761da3c923ba43c116fc2b531e1892200631d5")
    );
    // An empty log.
    std::fs::write(&log, b"").unwrap_or_else(|e| panic!("{e}"));
    let (kind, text) = one_problem(years.folder_2020());
    assert_eq!(kind, ProblemKind::EarlierBook);
    assert_eq!(
        text,
        format!("policy.csv, line 16, column 2 \"值 value\": the earlier years' event log \"../2019-out/events.jsonl\" ({path}) holds no events: expected the event log of the earlier years, the events.jsonl of their run")
    );
}

#[test]
fn the_earlier_book_must_end_in_a_closed_year_before_the_folders() {
    let years = Years::new("order");
    years.edit_2020("policy.csv", "年度 year,2020,", "年度 year,2019,");
    let (kind, text) = one_problem(years.folder_2020());
    assert_eq!(kind, ProblemKind::EarlierBook);
    assert_eq!(
        text,
        "policy.csv, line 4, column 2 \"值 value\": the earlier book (\"../2019-out/events.jsonl\") has events up to 2019-12-31, so this folder's year, 2019, does not come after its years: expected a year after 2019 (or the log of the years before 2019)"
    );
}

#[test]
fn from_files_cannot_open_a_prior_log() {
    let years = Years::new("from-files");
    let files: Vec<(String, Vec<u8>)> = common_snapshot(&years.path("2020"));
    let (kind, text) = one_problem(BookFolder::from_files(&files));
    assert_eq!(kind, ProblemKind::EarlierBook);
    assert_eq!(
        text,
        "policy.csv, line 16, column 2 \"值 value\": the earlier years' event log \"../2019-out/events.jsonl\" cannot be opened from the folder's files alone: read the folder from its directory (BookFolder::read, season DIR), or give the earlier book (BookFolder::from_files_after)"
    );
    // Given the book, the same files read as the folder from its directory.
    let folder = ok(BookFolder::from_files_after(
        &files,
        years.book_2019.clone(),
    ));
    assert_eq!(folder, ok(years.folder_2020()));
}

#[test]
fn an_earlier_book_whose_last_year_is_open_is_refused() {
    let years = Years::new("open");
    // The reference's 2019 left open.
    let open = years.open_2019();
    assert!(!open.journal().is_closed(2019));
    let files_2020 = common_snapshot(&years.path("2020"));
    let (kind, text) = one_problem(BookFolder::from_files_after(&files_2020, open));
    assert_eq!(kind, ProblemKind::EarlierBook);
    assert_eq!(
        text,
        "policy.csv, line 16, column 2 \"值 value\": the earlier book (\"../2019-out/events.jsonl\") does not close its last year, 2019: a year starts from the closing balances of the year before, so close it first (年终结账 close 是 yes in its policy.csv) and name the events.jsonl of that run"
    );
}

/// A small cooperative's files: `policy.csv` for `year` (closed) and `members.csv`.
fn small(year: i32, members: &str, payments: &str) -> Vec<(String, Vec<u8>)> {
    let policy = format!(
        "setting,value\ncooperative,示例\nyear,{year}\nevent_prefix,ex-{year}\nclose,yes\nreserve_percent,10\npatronage_percent,70\n"
    );
    vec![
        ("policy.csv".to_string(), policy.into_bytes()),
        (
            "members.csv".to_string(),
            format!("member,name,persons,village,joined,left\n{members}").into_bytes(),
        ),
        (
            "payments.csv".to_string(),
            format!("date,kind,party,amount,account\n{payments}").into_bytes(),
        ),
    ]
}

#[test]
fn a_leaving_of_the_earlier_years_is_carried_forward_as_it_was() {
    let book_2019 = ok(ok(BookFolder::from_files(&small(
        2019,
        "H01,王建国,3,高格庄,2019-01-01,\nH02,李秀英,2,高格庄,2019-01-01,2019-06-30\n",
        "2019-01-02,股金,H01,1000\n",
    )))
    .run());
    // H02's leaving in 2019, on their row as it was, is the earlier book's; H01 leaves in
    // 2020 and H03 joins.
    let members_2020 = "H01,王建国,3,高格庄,2019-01-01,2020-06-30\nH02,李秀英,2,高格庄,2019-01-01,2019-06-30\nH03,张伟,4,高格庄,2020-02-01,\n";
    let folder = ok(BookFolder::from_files_after(
        &small(2020, members_2020, "2020-07-01,退股金,H01,1000\n"),
        book_2019.clone(),
    ));
    let events: Vec<String> = folder
        .events()
        .iter()
        .map(|e| format!("{} {}:{}", e.id, e.source.file, e.source.line))
        .collect();
    assert_eq!(
        events,
        [
            "ex-2020-00001 members.csv:4",
            "ex-2020-00002 members.csv:2",
            "ex-2020-00003 payments.csv:2",
            "ex-2020-00004 policy.csv:5",
        ]
    );
    let book = ok(folder.run());
    let left = |id: &str| {
        book.member(&id.parse().unwrap_or_else(|e| panic!("{e}")))
            .and_then(|m| m.left)
    };
    assert_eq!(left("H01"), Some(date!(2020 - 06 - 30)));
    assert_eq!(left("H02"), Some(date!(2019 - 06 - 30)));
    assert_eq!(left("H03"), None);
    assert_eq!(balance(&book, "301.H01", date!(2020 - 12 - 31)), Yuan::ZERO);

    // H02, who left in 2019, need not be listed in 2020: the same events.
    let without_h02 = members_2020.replacen("H02,李秀英,2,高格庄,2019-01-01,2019-06-30\n", "", 1);
    let same = ok(BookFolder::from_files_after(
        &small(2020, &without_h02, "2020-07-01,退股金,H01,1000\n"),
        book_2019.clone(),
    ));
    let ids = |folder: &BookFolder| -> Vec<(String, landpool::Event)> {
        folder
            .events()
            .iter()
            .map(|e| (e.id.to_string(), e.event.clone()))
            .collect()
    };
    assert_eq!(ids(&same), ids(&folder));
    // Written out, H02's row carries their 2019 leaving and H01's their 2020 one.
    let written: Vec<(String, Vec<u8>)> = ok(folder.to_files())
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    let members = String::from_utf8_lossy(&written[2].1).replace("\r\n", "\n");
    assert!(
        members.ends_with("\nH01,王建国,农户,3,高格庄,2019-01-01,2020-06-30,\nH02,李秀英,农户,2,高格庄,2019-01-01,2019-06-30,\nH03,张伟,农户,4,高格庄,2020-02-01,,\n"),
        "{members}"
    );
    let back = ok(BookFolder::from_files_after(&written, book_2019.clone()));
    assert_eq!(ids(&back), ids(&folder));

    // The leaving changed, or left out, is a problem on its cell.
    let moved = members_2020.replacen("2019-06-30", "2019-07-31", 1);
    let (kind, text) = one_problem(BookFolder::from_files_after(
        &small(2020, &moved, ""),
        book_2019.clone(),
    ));
    assert_eq!(kind, ProblemKind::ChangedRegister);
    assert_eq!(
        text,
        "members.csv, line 3, column 6 \"left\": member H02 is in the earlier book (given by the caller) with 退社日期 left \"2019-06-30\", but this row has \"2019-07-31\": a register row carried forward from the earlier years says what their book holds, or is left out; a leaving recorded in the earlier years stays as it is: copy the cell as it was"
    );
    let dropped = members_2020.replacen("2019-06-30", "", 1);
    let (_, text) = one_problem(BookFolder::from_files_after(
        &small(2020, &dropped, ""),
        book_2019,
    ));
    assert_eq!(
        text,
        "members.csv, line 3, column 6 \"left\": member H02 is in the earlier book (given by the caller) with 退社日期 left \"2019-06-30\", but this row has \"\": a register row carried forward from the earlier years says what their book holds, or is left out; a leaving recorded in the earlier years stays as it is: copy the cell as it was"
    );
}

#[test]
fn season_runs_the_2020_folder_and_writes_every_event_or_nothing() {
    let years = Years::new("season");
    let season = |args: &[&Path]| {
        std::process::Command::new(common::example_binary("season"))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("running season: {e}"))
    };
    let out = years.path("2020-out");
    let run = season(&[&years.path("2020"), Path::new("--out"), &out]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let log = std::fs::read(out.join("events.jsonl")).unwrap_or_else(|e| panic!("{e}"));
    let (book, read) = ok(landpool::EventLog::read(out.join("events.jsonl")));
    assert_eq!(read.torn_bytes, 0);
    assert_eq!(book.events().len(), years.book_2019.events().len() + 10);
    assert_eq!(book, ok(ok(years.folder_2020()).run()));
    assert!(log.ends_with(b"\n"));

    // Without its prior log, the folder is refused and nothing is written.
    std::fs::remove_file(years.path("2019-out").join("events.jsonl"))
        .unwrap_or_else(|e| panic!("{e}"));
    let again = years.path("2020-again");
    let refused = season(&[&years.path("2020"), Path::new("--out"), &again]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.starts_with("1 problem in the book folder:\npolicy.csv, line 16, column 2 \"值 value\": the earlier years' event log \"../2019-out/events.jsonl\""),
        "{stderr}"
    );
    assert!(stderr.ends_with("nothing was written\n"), "{stderr}");
    assert!(!again.exists());
}

#[test]
fn the_readme_and_the_policy_template_say_how_to_start_the_next_year() {
    let years = Years::new("readme");
    let readme = std::fs::read_to_string(years.path("2019").join("README.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        readme.contains("The next year: season --next-year NEW --from THIS --log LOG (LOG the events.jsonl of\nthis year's run, such as 2019-out/events.jsonl) writes its folder NEW, this one's\nregisters carried forward and the year's files empty. By hand: copy this folder,"),
        "{readme}"
    );
    assert!(
        readme.contains("上年账簿\nprior_log: the events.jsonl of this year's run, by its path from the new folder\n(../2019-out/events.jsonl)"),
        "{readme}"
    );
    let policy = std::fs::read_to_string(years.path("2019").join("policy.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        policy.lines().last(),
        Some("上年账簿 prior_log,,\"上年的事件日志, 相对本文件夹的路径, 如 ../2019-out/events.jsonl; 第一年留空; the earlier years' event log (events.jsonl of last year's run), a path relative to this folder; empty in the first year\"")
    );
}

#[test]
fn greenhouses_of_the_earlier_years_keep_their_build_and_may_be_taken_out_of_use() {
    let years = Years::new("greenhouses");
    // GH02, built in 2019, taken out of use in 2020.
    years.edit_2020(
        "greenhouses.csv",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,,,,",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,2020-06-30,500,现金,",
    );
    let folder = ok(years.folder_2020());
    let retired: Vec<(String, u64)> = folder
        .events()
        .iter()
        .filter(|e| matches!(e.event, landpool::Event::GreenhouseRetired { .. }))
        .map(|e| (e.source.file.clone(), e.source.line))
        .collect();
    assert_eq!(retired, [("greenhouses.csv".to_string(), 3)]);
    let book = ok(folder.run());
    let gh02 = book
        .greenhouse(&"GH02".parse().unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|| panic!("GH02"));
    assert_eq!(gh02.retired, Some(date!(2020 - 06 - 30)));

    // Its build date changed is a problem on that cell.
    years.edit_2020(
        "greenhouses.csv",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-10,",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-11,",
    );
    let (kind, text) = one_problem(years.folder_2020());
    assert_eq!(kind, ProblemKind::ChangedRegister);
    assert_eq!(
        text,
        "greenhouses.csv, line 3, column 5 \"建成日期 built\": greenhouse GH02 is in the earlier book (\"../2019-out/events.jsonl\") with 建成日期 built \"2019-01-10\", but this row has \"2019-01-11\": a register row carried forward from the earlier years says what their book holds, or is left out; a greenhouse's row stays as it was built (taking it out of use is its 拆除日期 retired cell, in this year); a new greenhouse is a row with an id of its own"
    );
}

#[test]
fn a_later_year_written_with_its_registers_carried_forward_reads_back_the_same_events() {
    let years = Years::new("to-files");
    // GH02 of 2019 taken out of use in 2020 fills its carried row.
    years.edit_2020(
        "greenhouses.csv",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,,,,",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,2020-06-30,500,现金,",
    );
    let folder = ok(years.folder_2020());
    let files: Vec<(String, Vec<u8>)> = ok(folder.to_files())
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    let members = files
        .iter()
        .find(|(name, _)| name == "members.csv")
        .map(|(_, text)| String::from_utf8_lossy(text).into_owned())
        .unwrap_or_default();
    // 29 members of 2019 and H29.
    assert_eq!(members.lines().count(), 31);
    assert!(
        members.contains("\nH29,高新民,农户,2,高格庄,2020-03-01,,"),
        "{members}"
    );
    let again = ok(BookFolder::from_files_after(
        &files,
        years.book_2019.clone(),
    ));
    let events = |folder: &BookFolder| -> Vec<(String, landpool::Event)> {
        folder
            .events()
            .iter()
            .map(|e| (e.id.to_string(), e.event.clone()))
            .collect()
    };
    assert_eq!(events(&again), events(&folder));
    assert_eq!(again.settings(), folder.settings());
}

/// The 2020 folder's events, with their ids, to compare two readings.
fn id_events(folder: &BookFolder) -> Vec<(String, landpool::Event)> {
    folder
        .events()
        .iter()
        .map(|e| (e.id.to_string(), e.event.clone()))
        .collect()
}

/// The folder's files as `to_files` writes them, as bytes, and the text of one of them
/// (its line breaks as `\n`).
fn written(folder: &BookFolder, name: &str) -> (Vec<(String, Vec<u8>)>, String) {
    let files: Vec<(String, Vec<u8>)> = ok(folder.to_files())
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    let text = files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).replace("\r\n", "\n"))
        .unwrap_or_else(|| panic!("no {name}"));
    (files, text)
}

/// The one problem of a folder whose run the book refuses, as text.
fn refused(result: Result<Book, Error>) -> (ProblemKind, String) {
    match result {
        Err(Error::Folder(error)) => match error.problems() {
            [problem] => (problem.kind.clone(), problem.to_string()),
            problems => panic!("{} problems: {error}", problems.len()),
        },
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("the book took every row"),
    }
}

/// The payment row of the 2020 folder that pays out 2019's distribution.
const SETTLE_2019: &str = "2020-04-01,分配兑付,2019,,,银行,,,,\n";

#[test]
fn the_2020_folder_pays_out_2019s_distribution() {
    let years = Years::new("settle");
    let payments = years.read_2020("payments.csv");
    years.write_2020("payments.csv", &format!("{payments}{SETTLE_2019}"));
    let folder = ok(years.folder_2020());
    let settle = folder
        .events()
        .iter()
        .find(|e| matches!(e.event, landpool::Event::DistributionSettled { .. }))
        .unwrap_or_else(|| panic!("no settlement"));
    assert_eq!(
        settle.event,
        landpool::Event::DistributionSettled {
            year: 2019,
            date: date!(2020 - 04 - 01),
            from: landpool::CashAccount::Bank,
        }
    );
    assert_eq!(
        (settle.source.file.as_str(), settle.source.line),
        ("payments.csv", 4)
    );

    let book = ok(folder.run());
    let distribution = book
        .distribution(2019)
        .unwrap_or_else(|| panic!("2019 is closed"));
    assert!(distribution.settled);
    // 2019 gave 1,244,895.75 of patronage (221) and 533,526.75 of remaining surplus (222);
    // the reference policy converts none to capital, so all of it leaves the bank.
    assert_eq!(distribution.patronage, yuan("1244895.75"));
    assert_eq!(distribution.remaining, yuan("533526.75"));
    let (before, on) = (date!(2020 - 03 - 31), date!(2020 - 04 - 01));
    assert_eq!(
        ok(balance(&book, "102", on).checked_sub(balance(&book, "102", before))),
        yuan("-1778422.50")
    );
    assert_eq!(balance(&book, "101", on), balance(&book, "101", before));
    // H01 was owed 51,974.40 and 17,746.24, the collective V01 36,632.14 of 222: all paid.
    assert_eq!(balance(&book, "221.H01", before), yuan("-51974.40"));
    assert_eq!(balance(&book, "222.H01", before), yuan("-17746.24"));
    assert_eq!(balance(&book, "222.V01", before), yuan("-36632.14"));
    assert_eq!(distribution.members.len(), 29);
    for share in &distribution.members {
        for (root, part) in [("221", share.patronage), ("222", share.remaining)] {
            let code = format!("{root}.{}", share.member);
            if part.is_positive() {
                assert_eq!(
                    balance(&book, &code, before),
                    ok(part.checked_neg()),
                    "{code}"
                );
                assert_eq!(balance(&book, &code, on), Yuan::ZERO, "{code}");
            }
        }
    }
    // The 2020 cash: 2,095,725.00 without the payout (see the_2020_folder_runs_after_the_2019_book).
    let sheet = csv_rows(&ok(outputs(&book, folder.settings())), "balance_sheet.csv");
    let (closing, _) = column_of(&sheet[0]);
    assert_eq!(sheet[1][closing], "317302.50");

    // Written out, the row reads back to the same events.
    let (files, text) = written(&folder, "payments.csv");
    assert!(text.ends_with(&format!("\n{SETTLE_2019}")), "{text}");
    let back = ok(BookFolder::from_files_after(
        &files,
        years.book_2019.clone(),
    ));
    assert_eq!(id_events(&back), id_events(&folder));

    // Made from its events beside the 2019 book, as a platform that keeps the events would:
    // the same events with the same ids, and the same book when run. Without the 2019 book,
    // the rows that name its greenhouses, loan and members are problems.
    let events: Vec<landpool::Event> = folder
        .events()
        .iter()
        .map(|e| e.event.clone())
        .filter(|e| !matches!(e, landpool::Event::YearClosed { .. }))
        .collect();
    let made = ok(BookFolder::new_after(
        folder.settings().clone(),
        events.clone(),
        years.book_2019.clone(),
    ));
    assert_eq!(id_events(&made), id_events(&folder));
    assert_eq!(ok(made.run()), book);
    let mut alone = folder.settings().clone();
    alone.prior_log = None;
    match BookFolder::new(alone, events) {
        Err(Error::Folder(error)) => assert!(
            error
                .problems()
                .iter()
                .any(|p| p.to_string()
                    == "payments.csv, line 3, column 3 \"对象 party\": no member \"H01\" in members.csv"),
            "{error}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_settlement_may_give_what_it_pays_out_which_must_be_the_books_figure() {
    let years = Years::new("settle-amount");
    let payments = years.read_2020("payments.csv");
    let run_with = |row: &str| {
        years.write_2020("payments.csv", &format!("{payments}{row}"));
        ok(years.folder_2020())
    };
    let empty = run_with(SETTLE_2019);
    let book = ok(empty.run());
    // The total the bank statement shows (1,778,422.50, see
    // the_2020_folder_pays_out_2019s_distribution), written as an accountant copies it.
    for amount in ["1778422.50", "\"1,778,422.50\"", "¥1778422.5"] {
        let given = run_with(&format!("2020-04-01,分配兑付,2019,{amount},,银行,,,,\n"));
        assert_eq!(id_events(&given), id_events(&empty), "{amount}");
        assert_eq!(ok(given.run()), book, "{amount}");
        // Written out, the cell is left empty and reads back to the same events.
        let (files, text) = written(&given, "payments.csv");
        assert!(text.ends_with(&format!("\n{SETTLE_2019}")), "{text}");
        let back = ok(BookFolder::from_files_after(
            &files,
            years.book_2019.clone(),
        ));
        assert_eq!(id_events(&back), id_events(&empty));
    }
    // One fen off: one problem on the amount cell, with both figures.
    let off = run_with("2020-04-01,分配兑付,2019,1778422.49,,银行,,,,\n");
    let error = match off.run() {
        Err(Error::Folder(error)) => error,
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("the run took an amount the book does not pay out"),
    };
    let settle = off
        .events()
        .iter()
        .find(|e| matches!(e.event, landpool::Event::DistributionSettled { .. }))
        .unwrap_or_else(|| panic!("no settlement"));
    let [problem] = error.problems() else {
        panic!("{} problems: {error}", error.problems().len())
    };
    assert_eq!(
        (problem.file.as_str(), problem.line),
        ("payments.csv", Some(4))
    );
    assert_eq!(
        problem.column,
        Some(landpool::folder::Column {
            number: 4,
            name: "金额 amount".into()
        })
    );
    assert_eq!(
        problem.kind,
        ProblemKind::DiffersFromBook {
            event: settle.id.clone(),
            book: yuan("1778422.50"),
        }
    );
    assert_eq!(
        problem.to_string(),
        "payments.csv, line 4, column 4 \"金额 amount\": this row pays out 1778422.49, but 2019's distribution paid out here is 1778422.50 (Cr 102, what the close gave the members less the part the policy converts to capital): leave the cell empty for the book's figure, or write 1778422.50"
    );
    assert_eq!(
        settle.event,
        landpool::Event::DistributionSettled {
            year: 2019,
            date: date!(2020 - 04 - 01),
            from: landpool::CashAccount::Bank,
        }
    );
}

#[test]
fn a_settlement_of_a_year_not_closed_or_paid_out_is_a_problem_on_its_year() {
    let years = Years::new("settle-year");
    let payments = years.read_2020("payments.csv");
    let with = |row: &str| {
        years.write_2020("payments.csv", &format!("{payments}{row}"));
        one_problem(years.folder_2020())
    };
    let (kind, text) = with("2020-04-01,分配兑付,2018,,,银行,,,,\n");
    assert_eq!(kind, ProblemKind::UnknownReference);
    assert_eq!(
        text,
        "payments.csv, line 4, column 3 \"对象 party\": the earlier book (\"../2019-out/events.jsonl\") does not close 2018, so it has no distribution of 2018 to pay out: expected 2019, a year it closed and has not paid out"
    );
    // The folder's own year is paid out in the next year's folder.
    let (kind, text) = with("2020-04-01,分配兑付,2020年,,,银行,,,,\n");
    assert_eq!(kind, ProblemKind::BadNumber);
    assert_eq!(
        text,
        "payments.csv, line 4, column 3 \"对象 party\": expected a year before 2020, the year of policy.csv, found 2020: a year's distribution is paid out in a later year, whose folder names the log of the year closed (上年账簿 prior_log)"
    );
    let (kind, text) = with("2020-04-01,分配兑付,H01,,,银行,,,,\n");
    assert_eq!(kind, ProblemKind::BadNumber);
    assert_eq!(
        text,
        "payments.csv, line 4, column 3 \"对象 party\": expected the year whose distribution is paid, such as 2019, found \"H01\""
    );
    // An amount is one, as in any row's amount cell.
    let (kind, text) = with("2020-04-01,分配兑付,2019,-5,,银行,,,,\n");
    assert_eq!(kind, ProblemKind::BadAmount);
    assert_eq!(
        text,
        "payments.csv, line 4, column 4 \"金额 amount\": expected an amount in yuan of zero or more, with at most two decimals, such as 1,409.50 or ¥1409.50, found \"-5\""
    );
    // Dated in the folder's year, as the year's other rows.
    let (kind, text) = with("2021-01-10,分配兑付,2019,,,银行,,,,\n");
    assert_eq!(kind, ProblemKind::BadDate);
    assert_eq!(
        text,
        "payments.csv, line 4, column 1 \"日期 date\": expected a date in 2020, the year of policy.csv, found \"2021-01-10\""
    );
    // Paid out twice: the book refuses the second row.
    years.write_2020(
        "payments.csv",
        &format!("{payments}{SETTLE_2019}2020-05-01,分配兑付,2019,,,现金,,,,\n"),
    );
    let folder = ok(years.folder_2020());
    let (kind, text) = refused(folder.run());
    assert!(matches!(kind, ProblemKind::Rejected { .. }), "{kind:?}");
    assert_eq!(
        text,
        "payments.csv, line 5: the book refuses this row: settling 2019's distribution: it was settled already"
    );
    // A folder of a first year has no earlier distribution to pay out.
    let files = small(
        2019,
        "H01,王建国,3,高格庄,2019-01-01,\n",
        "2019-06-01,分配兑付,2018,,\n",
    );
    let (kind, text) = one_problem(BookFolder::from_files(&files));
    assert_eq!(kind, ProblemKind::UnknownReference);
    assert_eq!(
        text,
        "payments.csv, line 2, column 3 \"party\": 2018's distribution is not in this folder's books: a folder pays out the distribution of a year its earlier years' book closed, and this one has none (上年账簿 prior_log in policy.csv names the event log of the year closed)"
    );
}

/// A small cooperative's 2019: A and B pool land (B's contract ends with the year), a
/// greenhouse's grapes are harvested and sold, rent is accrued and paid, and the year is closed under a
/// 10% reserve. B's last day is `b_left` (empty: B stays).
fn leavers_2019(b_left: &str) -> Book {
    ok(ok(BookFolder::from_files(&leavers_2019_files(b_left))).run())
}

/// The files of [`leavers_2019`].
fn leavers_2019_files(b_left: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = small(
        2019,
        &format!("A,王建国,3,高格庄,2019-01-01,\nB,李秀英,2,高格庄,2019-01-01,{b_left}\n"),
        "2019-01-02,股金,A,20000\n2019-12-31,租金,A,2000\n2019-12-31,租金,B,3000\n",
    );
    let file = |name: &str, text: &str| (name.to_string(), text.as_bytes().to_vec());
    files.extend([
        file("accounts.csv", "code,name_zh,name_en\n521.RENT,土地流转费,land transfer rent\n"),
        file(
            "parcels.csv",
            "parcel,owner,area,village,land_class,registered\nPA,A,2,高格庄,水浇地,2019-01-01\nPB,B,3,高格庄,水浇地,2019-01-01\n",
        ),
        file(
            "contracts.csv",
            "contract,member,parcel,area,start,end,kind,rent_terms,yuan_per_mu,pro_rating,payment,pay_by,charge_to\nCA,A,PA,2,2019-01-01,2028-12-31,流转,固定,1000,按日,预付,03-01,521.RENT\nCB,B,PB,3,2019-01-01,2019-12-31,流转,固定,1000,按日,预付,03-01,521.RENT\n",
        ),
        file(
            "greenhouses.csv",
            "greenhouse,name,area,crop,built,cost,residual,life_months,paid_from\nG1,1号大棚,1,GRAPE,2019-01-10,10000,0,120,银行\n",
        ),
        file("harvests.csv", "date,greenhouse,kg\n2019-08-20,G1,1000\n"),
        file(
            "sales.csv",
            "date,greenhouse,kg,price_per_kg,buyer,payment\n2019-08-25,G1,1000,10.00,青岛果品批发市场,银行\n",
        ),
        file(
            "adjustments.csv",
            "date,kind,from,to,refs\n2019-12-31,计提租金,2019-01-01,2019-12-31,\n",
        ),
    ]);
    files
}

#[test]
fn a_leaver_is_refunded_their_reserve_share_and_a_member_converts_part_of_theirs() {
    let book_2019 = leavers_2019("");
    let (a, b) = (common::id::<landpool::MemberId>("A"), common::id("B"));
    // 2019's surplus, 5,000 (10,000 of grapes less 5,000 of rent), gave a reserve of 500,
    // quantified by land pooled: 2 mu to A, 3 mu to B.
    assert_eq!(ok(book_2019.reserve_share(&a)), yuan("200.00"));
    assert_eq!(ok(book_2019.reserve_share(&b)), yuan("300.00"));
    // B leaves in 2020, after 2019's distribution is paid out; B's reserve share is paid
    // back on the day of the leaving; A converts 120.50 of theirs to capital.
    let members = "A,王建国,3,高格庄,2019-01-01,\nB,李秀英,2,高格庄,2019-01-01,2020-01-31\n";
    let payments = |refund: &str| {
        format!("2020-01-20,分配兑付,2019,,现金\n2020-01-31,退还公积金,B,{refund},银行\n2020-03-01,公积金转股,A,120.50,\n")
    };
    let files = small(2020, members, &payments("300.00"));
    let folder = ok(BookFolder::from_files_after(&files, book_2019.clone()));
    let events: Vec<(String, u64)> = folder
        .events()
        .iter()
        .map(|e| {
            let json = serde_json::to_value(&e.event).unwrap_or_else(|e| panic!("{e}"));
            (
                json["type"].as_str().unwrap_or_default().to_string(),
                e.source.line,
            )
        })
        .collect();
    let expected = [
        ("distribution_settled", 2),
        ("member_left", 3),
        ("reserve_share_refunded", 3),
        ("reserve_converted", 4),
        ("year_closed", 5),
    ]
    .map(|(kind, line)| (kind.to_string(), line));
    assert_eq!(
        events, expected,
        "the refund comes after the leaving of its day"
    );
    assert_eq!(
        folder.events()[2].event,
        landpool::Event::ReserveShareRefunded {
            member: b.clone(),
            date: date!(2020 - 01 - 31),
            amount: yuan("300.00"),
            from: landpool::CashAccount::Bank,
        }
    );

    let book = ok(folder.run());
    assert_eq!(
        book.reserve_refund(&b),
        Some((date!(2020 - 01 - 31), yuan("300.00")))
    );
    assert_eq!(ok(book.reserve_share(&b)), Yuan::ZERO);
    let refunded = (date!(2020 - 01 - 30), date!(2020 - 01 - 31));
    assert_eq!(
        ok(balance(&book, "102", refunded.1).checked_sub(balance(&book, "102", refunded.0))),
        yuan("-300.00")
    );
    // A's conversion: 120.50 more capital in 301.A, 120.50 less reserve share, 322 down by
    // the refund and the conversion.
    let converted = (date!(2020 - 02 - 29), date!(2020 - 03 - 01));
    assert_eq!(balance(&book, "301.A", converted.0), yuan("-20000.00"));
    assert_eq!(balance(&book, "301.A", converted.1), yuan("-20120.50"));
    assert_eq!(ok(book.reserve_share(&a)), yuan("79.50"));
    assert_eq!(
        book.reserve_conversions(&a),
        &[(date!(2020 - 03 - 01), yuan("120.50"))]
    );
    assert_eq!(balance(&book, "322", converted.1), yuan("-79.50"));

    // Written out, the rows read back to the same events.
    let (written_files, text) = written(&folder, "payments.csv");
    assert!(
        text.ends_with("\n2020-01-20,分配兑付,2019,,,现金,,,,\n2020-01-31,退还公积金,B,300.00,,银行,,,,\n2020-03-01,公积金转股,A,120.50,,,,,,\n"),
        "{text}"
    );
    let back = ok(BookFolder::from_files_after(
        &written_files,
        book_2019.clone(),
    ));
    assert_eq!(id_events(&back), id_events(&folder));

    // A refund that is not B's whole share is refused by the book, naming its row.
    let wrong = ok(BookFolder::from_files_after(
        &small(2020, members, &payments("250.00")),
        book_2019.clone(),
    ));
    let (kind, text) = refused(wrong.run());
    assert!(matches!(kind, ProblemKind::Rejected { .. }), "{kind:?}");
    assert_eq!(text, "payments.csv, line 3: the book refuses this row: returning B's reserve share on 2020-01-31: the amount is 250.00, but B's reserve share is 300.00: the share is returned whole");

    // A conversion takes no account, and none after the member's last day.
    let (kind, text) = one_problem(BookFolder::from_files_after(
        &small(2020, members, "2020-03-01,公积金转股,A,120.50,银行\n"),
        book_2019.clone(),
    ));
    assert_eq!(kind, ProblemKind::BadText);
    assert_eq!(
        text,
        "payments.csv, line 2, column 5 \"account\": a conversion of reserve to capital moves no money (Dr 322, Cr 301); this row takes no value here; leave the cell empty"
    );
    let (kind, text) = one_problem(BookFolder::from_files_after(
        &small(2020, members, "2020-02-01,公积金转股,B,100,\n"),
        book_2019,
    ));
    assert_eq!(kind, ProblemKind::BadDate);
    assert_eq!(
        text,
        "payments.csv, line 2, column 1 \"date\": the last day of member B is 2020-01-31 (退社日期 left, members.csv line 3); a conversion of reserve to capital (a leaver's reserve share is paid back whole, 退还公积金 refund_reserve) booked on 2020-02-01 is after it: nothing is booked to a member's accounts after their last day"
    );
}

#[test]
fn a_member_who_left_in_the_earlier_year_is_refunded_in_the_later_one() {
    // B left on 2019-12-31, the last day of the closed year: a member then, with a share.
    let book_2019 = leavers_2019("2019-12-31");
    let b = common::id::<landpool::MemberId>("B");
    assert_eq!(
        book_2019.member(&b).and_then(|m| m.left),
        Some(date!(2019 - 12 - 31))
    );
    let share = ok(book_2019.reserve_share(&b));
    assert_eq!(share, yuan("300.00"));
    // B need not be listed in 2020's members.csv to be paid back; in cash this time.
    let files = small(
        2020,
        "A,王建国,3,高格庄,2019-01-01,\n",
        "2020-02-10,公积金退还,B,300,现金\n",
    );
    let folder = ok(BookFolder::from_files_after(&files, book_2019.clone()));
    assert_eq!(
        folder.events()[0].event,
        landpool::Event::ReserveShareRefunded {
            member: b.clone(),
            date: date!(2020 - 02 - 10),
            amount: share,
            from: landpool::CashAccount::Cash,
        }
    );
    let book = ok(folder.run());
    assert_eq!(
        book.reserve_refund(&b),
        Some((date!(2020 - 02 - 10), yuan("300.00")))
    );
    assert_eq!(
        ok(
            balance(&book, "101", date!(2020 - 02 - 10)).checked_sub(balance(
                &book,
                "101",
                date!(2020 - 02 - 09)
            ))
        ),
        yuan("-300.00")
    );
    // 322 keeps A's 200.00.
    assert_eq!(
        balance(&book, "322", date!(2020 - 02 - 10)),
        yuan("-200.00")
    );
    let (written_files, text) = written(&folder, "payments.csv");
    assert!(
        text.ends_with("\n2020-02-10,退还公积金,B,300.00,,现金,,,,\n"),
        "{text}"
    );
    let back = ok(BookFolder::from_files_after(
        &written_files,
        book_2019.clone(),
    ));
    assert_eq!(id_events(&back), id_events(&folder));
    // Made from its events beside the same book: the folder its files written read to.
    let made = ok(BookFolder::new_after(
        folder.settings().clone(),
        kept_events(&folder),
        book_2019,
    ));
    assert_eq!(made, back);
    assert_eq!(ok(made.to_files()), ok(folder.to_files()));
    assert_eq!(ok(made.run()), book);
}

#[test]
fn a_settlements_amount_is_what_the_book_pays_a_leaver_included() {
    // 2019 as in leavers_2019, B leaving on its last day, under a policy converting 50% of
    // the payout to capital.
    let mut files = leavers_2019_files("2019-12-31");
    files[0]
        .1
        .extend_from_slice(b"convert_to_capital_percent,50\n");
    let book_2019 = ok(ok(BookFolder::from_files(&files)).run());
    // 2019's 5,000 of surplus less the 10% reserve: 3,150 of patronage by land pooled
    // (A 1,260, B 1,890) and 1,350 remaining by capital (all A's); half of each member's
    // payout is converted to capital.
    let shares: Vec<(String, Yuan, Yuan)> = book_2019
        .distribution(2019)
        .unwrap_or_else(|| panic!("2019 is closed"))
        .members
        .iter()
        .map(|s| (s.member.to_string(), s.patronage, s.remaining))
        .collect();
    assert_eq!(
        shares,
        [
            ("A".to_string(), yuan("1260.00"), yuan("1350.00")),
            ("B".to_string(), yuan("1890.00"), Yuan::ZERO),
        ]
    );
    // B, who has left, is paid all of theirs in cash: 1,305.00 to A (half of 2,610.00) and
    // 1,890.00 to B leave the cash, not the 2,250.00 the policy's half of 4,500.00 would be.
    let members = "A,王建国,3,高格庄,2019-01-01,\n";
    let folder = |amount: &str| {
        ok(BookFolder::from_files_after(
            &small(
                2020,
                members,
                &format!("2020-01-20,分配兑付,2019,{amount},现金\n"),
            ),
            book_2019.clone(),
        ))
    };
    let book = ok(folder("3195.00").run());
    assert_eq!(book, ok(folder("").run()));
    let paid = (date!(2020 - 01 - 19), date!(2020 - 01 - 20));
    assert_eq!(
        ok(balance(&book, "101", paid.1).checked_sub(balance(&book, "101", paid.0))),
        yuan("-3195.00")
    );
    assert_eq!(
        ok(balance(&book, "301.A", paid.1).checked_sub(balance(&book, "301.A", paid.0))),
        yuan("-1305.00")
    );
    let (kind, text) = refused(folder("2250.00").run());
    assert!(
        matches!(kind, ProblemKind::DiffersFromBook { book, .. } if book == yuan("3195.00")),
        "{kind:?}"
    );
    assert_eq!(
        text,
        "payments.csv, line 2, column 4 \"amount\": this row pays out 2250.00, but 2019's distribution paid out here is 3195.00 (Cr 101, what the close gave the members less the part the policy converts to capital): leave the cell empty for the book's figure, or write 3195.00"
    );
}

/// The 2020 folder's events as a platform keeps them: without the close, which comes from
/// the settings.
fn kept_events(folder: &BookFolder) -> Vec<landpool::Event> {
    folder
        .events()
        .iter()
        .map(|e| e.event.clone())
        .filter(|e| !matches!(e, landpool::Event::YearClosed { .. }))
        .collect()
}

/// The 2020 folder with rows naming the 2019 book's registers: GH02 taken out of use,
/// LZ01's rent charged to GH01 from 2020-07-01, part of the loan L2019-01 repaid, 2019's distribution paid out and part of H05's reserve
/// share converted (beside H01's rent paid and GH01's harvest of every 2020 folder).
fn naming_2019(years: &Years) -> BookFolder {
    years.edit_2020(
        "greenhouses.csv",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,,,,",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,2020-06-30,500.00,现金,",
    );
    let changes = years.read_2020("land_changes.csv");
    years.write_2020(
        "land_changes.csv",
        &format!("{changes}2020-07-01,变更列支,LZ01,,,,,,,,,521.GH01,\n"),
    );
    let payments = years.read_2020("payments.csv");
    years.write_2020(
        "payments.csv",
        &format!("{payments}{SETTLE_2019}2020-04-02,公积金转股,H05,1000.00,,,,,,\n2020-06-30,还款,L2019-01,100000.00,,银行,,,,\n"),
    );
    ok(years.folder_2020())
}

#[test]
fn new_after_makes_the_folder_read_beside_the_same_book_whatever_prior_log_says() {
    let years = Years::new("new-after");
    let read = naming_2019(&years);
    let events = kept_events(&read);
    let kinds: Vec<String> = events
        .iter()
        .map(|e| {
            let json = serde_json::to_value(e).unwrap_or_else(|e| panic!("{e}"));
            json["type"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "member_joined",
            "capital_contributed",
            "rent_paid",
            "cost_incurred",
            "distribution_settled",
            "reserve_converted",
            "loan_repaid",
            "contract_charge_changed",
            "greenhouse_retired",
            "harvested",
            "produce_sold",
            "rent_accrued",
            "depreciation_booked",
            "loan_interest_accrued",
        ]
    );
    let book = ok(read.run());
    // The settings as read (prior_log names ../2019-out/events.jsonl, which is not there
    // from the working directory), with no prior_log, and with one naming no file: the book
    // given is used each time, and nothing is opened.
    let mut none = read.settings().clone();
    none.prior_log = None;
    let mut nowhere = read.settings().clone();
    nowhere.prior_log = Some("no/such/events.jsonl".into());
    for settings in [read.settings().clone(), none, nowhere] {
        let made = ok(BookFolder::new_after(
            settings.clone(),
            events.clone(),
            years.book_2019.clone(),
        ));
        assert_eq!(made.settings(), &settings);
        assert_eq!(made.earlier(), Some(&years.book_2019));
        assert_eq!(
            id_events(&made),
            id_events(&read),
            "{:?}",
            settings.prior_log
        );
        assert_eq!(ok(made.run()), book, "{:?}", settings.prior_log);
    }
    // GH02 retired, 100,000.00 of the loan repaid, 1,000.00 of H05's share converted.
    let loan = book
        .loan(&common::id("L2019-01"))
        .unwrap_or_else(|| panic!("L2019-01"));
    assert_eq!(
        loan.movements,
        [
            (date!(2019 - 01 - 01), yuan("500000.00")),
            (date!(2020 - 06 - 30), yuan("-100000.00"))
        ]
    );
    let h05 = common::id::<landpool::MemberId>("H05");
    assert_eq!(
        ok(book.reserve_share(&h05)),
        ok(ok(years.book_2019.reserve_share(&h05)).checked_sub(yuan("1000.00")))
    );
    let gh02 = book
        .greenhouse(&common::id("GH02"))
        .unwrap_or_else(|| panic!("GH02"));
    assert_eq!(gh02.retired, Some(date!(2020 - 06 - 30)));
    let end = date!(2020 - 12 - 31);
    assert_eq!(
        balance(&book, "301.H05", end),
        ok(balance(&years.book_2019, "301.H05", end).checked_sub(yuan("1000.00")))
    );
}

#[test]
fn a_folder_made_by_new_after_is_written_as_the_folder_read_and_reads_back() {
    let years = Years::new("new-after-files");
    let read = naming_2019(&years);
    let made = ok(BookFolder::new_after(
        read.settings().clone(),
        kept_events(&read),
        years.book_2019.clone(),
    ));
    // The same files, registers carried forward, as the folder read from files.
    let files = ok(made.to_files());
    assert_eq!(files, ok(read.to_files()));
    // Each event's source is its row in the files written.
    assert_eq!(sources(&made), sources(&read));
    let bytes: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    let back = ok(BookFolder::from_files_after(
        &bytes,
        years.book_2019.clone(),
    ));
    assert_eq!(back, made);
    // Written beside 2019-out, the folder reads back from its directory, its prior_log
    // opened.
    let dir = years.path("2020-made");
    ok(made.write(&dir));
    let again = ok(BookFolder::read(&dir));
    assert_eq!(again, made);
    assert_eq!(ok(again.run()), ok(read.run()));
}

#[test]
fn a_member_and_a_greenhouse_of_the_earlier_years_may_leave_in_a_folder_made_by_new_after() {
    let book_2019 = leavers_2019("");
    // B leaves in 2020, after 2019's distribution is paid out, and is paid back their
    // reserve share; G1 is taken out of use.
    let mut files = small(
        2020,
        "B,李秀英,2,高格庄,2019-01-01,2020-01-31\n",
        "2020-01-20,分配兑付,2019,,现金\n2020-01-31,退还公积金,B,300.00,银行\n",
    );
    files.push((
        "greenhouses.csv".into(),
        b"greenhouse,name,area,crop,built,cost,residual,life_months,paid_from,retired\nG1,1\xe5\x8f\xb7\xe5\xa4\xa7\xe6\xa3\x9a,1,GRAPE,2019-01-10,10000,0,120,\xe9\x93\xb6\xe8\xa1\x8c,2020-03-31\n".to_vec(),
    ));
    let read = ok(BookFolder::from_files_after(&files, book_2019.clone()));
    let events = kept_events(&read);
    assert!(events
        .iter()
        .any(|e| matches!(e, landpool::Event::MemberLeft { .. })));
    assert!(events
        .iter()
        .any(|e| matches!(e, landpool::Event::GreenhouseRetired { .. })));
    let made = ok(BookFolder::new_after(
        read.settings().clone(),
        events,
        book_2019.clone(),
    ));
    assert_eq!(id_events(&made), id_events(&read));
    let book = ok(made.run());
    assert_eq!(book, ok(read.run()));
    let b = common::id::<landpool::MemberId>("B");
    assert_eq!(
        book.member(&b).and_then(|m| m.left),
        Some(date!(2020 - 01 - 31))
    );
    let g1 = book
        .greenhouse(&common::id("G1"))
        .unwrap_or_else(|| panic!("G1"));
    assert_eq!(g1.retired, Some(date!(2020 - 03 - 31)));
    // Written out, B's and G1's carried rows hold the leaving and the retirement.
    assert_eq!(ok(made.to_files()), ok(read.to_files()));
    let (_, members) = written(&made, "members.csv");
    assert!(
        members.ends_with("\nA,王建国,农户,3,高格庄,2019-01-01,,\nB,李秀英,农户,2,高格庄,2019-01-01,2020-01-31,\n"),
        "{members}"
    );
}

#[test]
fn a_folder_made_by_new_after_names_the_rows_of_its_files_as_written() {
    let years = Years::new("new-after-sources");
    let read = ok(years.folder_2020());
    let made = ok(BookFolder::new_after(
        read.settings().clone(),
        kept_events(&read),
        years.book_2019.clone(),
    ));
    // H29's row comes after the 29 members carried forward, as to_files writes it.
    let joined = &made.events()[0];
    assert_eq!(
        (joined.source.file.as_str(), joined.source.line),
        ("members.csv", 31)
    );
    assert_eq!(sources(&made), sources(&read));
    assert_eq!(made, read);
}

#[test]
fn new_after_refuses_what_from_files_after_refuses_naming_what_and_where() {
    let years = Years::new("new-after-errors");
    let read = ok(years.folder_2020());
    let events = kept_events(&read);
    let mut settings = read.settings().clone();
    settings.prior_log = None;
    let made =
        |settings: &landpool::folder::Settings, events: Vec<landpool::Event>, earlier: Book| {
            one_problem(BookFolder::new_after(settings.clone(), events, earlier))
        };
    // The 2019 prefix again: the folder's ids would repeat the 2019 book's.
    let mut repeating = settings.clone();
    repeating.event_prefix = "jrf-2019".into();
    assert_eq!(
        made(&repeating, events.clone(), years.book_2019.clone()),
        (
            ProblemKind::EarlierBook,
            "policy.csv, line 5, column 2 \"值 value\": event id jrf-2019-00001 (and 9 more of this folder's ids) is in the earlier book (given by the caller) already: give this year's events a prefix of their own (事件编号前缀 event_prefix), such as \"jrf-2020\"".into()
        )
    );
    // The earlier book's last year, 2019, left open.
    let open = years.open_2019();
    assert_eq!(
        made(&settings, events.clone(), open),
        (
            ProblemKind::EarlierBook,
            "policy.csv, line 16, column 2 \"值 value\": the earlier book (given by the caller) does not close its last year, 2019: a year starts from the closing balances of the year before, so close it first (年终结账 close 是 yes in its policy.csv) and name the events.jsonl of that run".into()
        )
    );
    // A book with no closed year, nor any event.
    assert_eq!(
        made(&settings, events.clone(), Book::new()),
        (
            ProblemKind::EarlierBook,
            "policy.csv, line 16, column 2 \"值 value\": the earlier book (given by the caller) has no dated event and no closed year: expected the event log of the earlier years, ending in a closed year".into()
        )
    );
    // A folder's year not after the earlier book's.
    let mut same_year = settings.clone();
    same_year.year = 2019;
    assert_eq!(
        made(&same_year, vec![], years.book_2019.clone()),
        (
            ProblemKind::EarlierBook,
            "policy.csv, line 4, column 2 \"值 value\": the earlier book (given by the caller) has events up to 2019-12-31, so this folder's year, 2019, does not come after its years: expected a year after 2019 (or the log of the years before 2019)".into()
        )
    );
    // A member, a loan neither the folder nor the earlier book has; a year the book did
    // not close.
    let rent = landpool::Event::RentPaid {
        member: common::id("H99"),
        date: date!(2020 - 03 - 01),
        amount: yuan("100.00"),
        from: landpool::CashAccount::Bank,
    };
    assert_eq!(
        made(&settings, vec![rent], years.book_2019.clone()),
        (
            ProblemKind::UnknownReference,
            "payments.csv, line 2, column 3 \"对象 party\": no member \"H99\" in members.csv"
                .into()
        )
    );
    let repay = landpool::Event::LoanRepaid {
        loan: common::id("L2018-01"),
        date: date!(2020 - 06 - 30),
        principal: yuan("100.00"),
        interest: Yuan::ZERO,
        from: landpool::CashAccount::Bank,
    };
    assert_eq!(
        made(&settings, vec![repay], years.book_2019.clone()),
        (
            ProblemKind::UnknownReference,
            "payments.csv, line 2, column 3 \"对象 party\": no loan \"L2018-01\" in loans.csv"
                .into()
        )
    );
    let settle = |year: i32, date: time::Date| landpool::Event::DistributionSettled {
        year,
        date,
        from: landpool::CashAccount::Bank,
    };
    assert_eq!(
        made(
            &settings,
            vec![settle(2018, date!(2020 - 04 - 01))],
            years.book_2019.clone()
        ),
        (
            ProblemKind::UnknownReference,
            "payments.csv, line 2, column 3 \"对象 party\": the earlier book (given by the caller) does not close 2018, so it has no distribution of 2018 to pay out: expected 2019, a year it closed and has not paid out".into()
        )
    );
    // An entry of the earlier book given again, as it is or changed: its row repeats the
    // carried one's id.
    let h01 = years
        .book_2019
        .events()
        .iter()
        .map(|e| e.event.clone())
        .find(|e| matches!(e, landpool::Event::MemberJoined { member } if member.id.as_str() == "H01"))
        .unwrap_or_else(|| panic!("H01"));
    let (kind, text) = made(&settings, vec![h01], years.book_2019.clone());
    assert_eq!(kind, ProblemKind::DuplicateId);
    assert_eq!(
        text,
        "members.csv, line 31, column 1 \"成员编号 member\": member id \"H01\" is already on line 2; each member has one row"
    );

    // 2019 paid out in the 2020 book: a 2021 folder cannot pay it out again.
    let payments = years.read_2020("payments.csv");
    years.write_2020("payments.csv", &format!("{payments}{SETTLE_2019}"));
    let book_2020 = ok(ok(years.folder_2020()).run());
    let mut settings_2021 = settings.clone();
    settings_2021.year = 2021;
    settings_2021.event_prefix = "jrf-2021".into();
    let (kind, text) = made(
        &settings_2021,
        vec![settle(2019, date!(2021 - 04 - 01))],
        book_2020,
    );
    assert_eq!(kind, ProblemKind::UnknownReference);
    assert_eq!(
        text,
        "payments.csv, line 2, column 3 \"对象 party\": 2019's distribution is paid out already in the earlier book (given by the caller): each year's distribution is paid out once"
    );
}

#[test]
fn earlier_greenhouses_taken_out_of_use_on_one_day_may_be_given_in_any_order() {
    let years = Years::new("new-after-retired");
    for id in ["GH02", "GH03"] {
        years.edit_2020(
            "greenhouses.csv",
            &format!(
                "{id},{}号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,,,,",
                &id[3..]
            ),
            &format!(
                "{id},{}号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,2020-06-30,,,",
                &id[3..]
            ),
        );
    }
    let read = ok(years.folder_2020());
    let mut events = kept_events(&read);
    let retired: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, landpool::Event::GreenhouseRetired { .. }))
        .map(|(at, _)| at)
        .collect();
    assert_eq!(retired.len(), 2);
    // GH03's retirement given before GH02's, as a platform may keep them.
    events.swap(retired[0], retired[1]);
    let made = ok(BookFolder::new_after(
        read.settings().clone(),
        events,
        years.book_2019.clone(),
    ));
    assert_eq!(made, read);
}

/// The files of the register (carried forward to the next year as they are).
const REGISTER_FILES: [&str; 8] = [
    "accounts.csv",
    "members.csv",
    "parcels.csv",
    "contracts.csv",
    "grain_prices.csv",
    "loans.csv",
    "greenhouses.csv",
    "assets.csv",
];

/// `BookFolder::next_year` after the reference's 2019 book: the folder an accountant made by
/// hand before (the 2019 folder copied, its year's files emptied, policy.csv's year, prefix
/// and log set), file for file, the title's year made 2020 too.
#[test]
fn next_year_makes_the_2020_folder_as_an_accountant_made_it_by_hand() {
    let years = Years::new("next-year");
    let reference = ok(BookFolder::reference());
    let made = ok(BookFolder::next_year(
        reference.settings(),
        years.book_2019.clone(),
        "../2019-out/events.jsonl",
    ));
    assert_eq!(made.earlier(), Some(&years.book_2019));
    // No event of its own but the year's close, from policy.csv.
    let events: Vec<(String, &str, u64)> = made
        .events()
        .iter()
        .map(|e| (e.id.to_string(), e.source.file.as_str(), e.source.line))
        .collect();
    assert_eq!(events, [("jrf-2020-00001".to_string(), "policy.csv", 6)]);

    let files_2019 = common_snapshot(&years.path("2019"));
    let text_2019 = |name: &str| -> String {
        files_2019
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_else(|| panic!("2019 has no {name}"))
    };
    let files = ok(made.to_files());
    let mut names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    names.push("README.txt");
    names.sort_unstable();
    let names_2019: Vec<&str> = files_2019.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, names_2019);
    for (name, text) in &files {
        let was = text_2019(name);
        if name == "policy.csv" {
            // The 2019 policy with the four settings of the year changed, and nothing else.
            let expected = was
                .replacen(
                    "\r\n标题 title,\"嘉瑞丰果蔬专业合作社 Jiaruifeng cooperative, 高格庄 Gaogezhuang, 2019 (illustrative data)\",",
                    "\r\n标题 title,\"嘉瑞丰果蔬专业合作社 Jiaruifeng cooperative, 高格庄 Gaogezhuang, 2020 (illustrative data)\",",
                    1,
                )
                .replacen("\r\n年度 year,2019,", "\r\n年度 year,2020,", 1)
                .replacen(
                    "\r\n事件编号前缀 event_prefix,jrf-2019,",
                    "\r\n事件编号前缀 event_prefix,jrf-2020,",
                    1,
                )
                .replacen(
                    "\r\n上年账簿 prior_log,,",
                    "\r\n上年账簿 prior_log,../2019-out/events.jsonl,",
                    1,
                );
            let changed = was.lines().zip(expected.lines()).filter(|(a, b)| a != b);
            assert_eq!(changed.count(), 4, "{expected}");
            assert_eq!(text, &expected);
        } else if REGISTER_FILES.contains(&name.as_str()) {
            // The registers as the 2019 folder has them, which the hand-made 2020 copies.
            assert_eq!(text, &was, "{name}");
        } else {
            assert!(YEAR_FILES.contains(&name.as_str()), "{name}");
            // The header row alone.
            let header = was.split_inclusive('\n').next().unwrap_or_default();
            assert!(
                header.starts_with('\u{feff}') && header.ends_with(",备注 note\r\n"),
                "{header:?}"
            );
            assert_eq!(text, header, "{name}");
        }
    }

    // Written beside 2019-out, with the 2020 rows added as the hand-made folder has them, it
    // runs to the hand-made folder's book, event for event.
    let dir = years.path("2020-next");
    ok(made.write(&dir));
    assert_eq!(ok(BookFolder::read(&dir)), made);
    add_2020_rows(&dir);
    let next = ok(BookFolder::read(&dir));
    let by_hand = ok(years.folder_2020());
    assert_eq!(id_events(&next), id_events(&by_hand));
    assert_eq!(next.events().len(), 10);
    let book = ok(next.run());
    assert_eq!(book, ok(by_hand.run()));
    assert_eq!(book.events().len(), years.book_2019.events().len() + 10);
    assert_eq!(
        balance(&book, "301.H29", date!(2020 - 12 - 31)),
        yuan("-5000.00")
    );

    // And the year after: 2021 from the 2020 book and the settings of the 2020 folder made
    // by next_year (its title's year 2020, made 2021).
    let made_2021 = ok(BookFolder::next_year(
        next.settings(),
        book,
        "../2020-out/events.jsonl",
    ));
    let settings = made_2021.settings();
    assert_eq!(
        (
            settings.year,
            settings.event_prefix.as_str(),
            settings.prior_log.as_deref()
        ),
        (2021, "jrf-2021", Some("../2020-out/events.jsonl"))
    );
    assert_eq!(
        settings.title,
        "嘉瑞丰果蔬专业合作社 Jiaruifeng cooperative, 高格庄 Gaogezhuang, 2021 (illustrative data)"
    );
    assert_eq!(settings.close, reference.settings().close);
    assert_eq!(settings.cooperative, "莱西市嘉瑞丰果蔬专业合作社");
    let (_, members) = written(&made_2021, "members.csv");
    assert_eq!(members.lines().count(), 31);
    assert!(
        members.ends_with("\nH29,高新民,农户,2,高格庄,2020-03-01,,\n"),
        "{members}"
    );
}

/// A prefix without the year gets the next year appended, as the problem of a prefix that
/// repeats the earlier ids suggests; the title without it stays as it was.
#[test]
fn next_year_appends_the_year_to_a_prefix_without_it() {
    let files = small(2019, "H01,王建国,3,高格庄,2019-01-01,\n", "");
    let earlier = ok(ok(BookFolder::from_files(&files)).run());
    let mut settings = ok(BookFolder::from_files(&files)).settings().clone();
    settings.event_prefix = "ex".into();
    settings.title = "示例".into();
    let made = ok(BookFolder::next_year(&settings, earlier, "events.jsonl"));
    assert_eq!(made.settings().event_prefix, "ex-2020");
    assert_eq!(made.settings().title, "示例");
    assert_eq!(made.settings().prior_log.as_deref(), Some("events.jsonl"));
    assert_eq!(made.events()[0].id.as_str(), "ex-2020-00001");
}

/// The title's year is made the next year's where it stands as a year, not where its digits
/// are part of a code or a number (a unified social credit code, a count): those stay.
#[test]
fn next_year_changes_the_titles_year_not_the_same_digits_in_a_code() {
    let files = small(2019, "H01,王建国,3,高格庄,2019-01-01,\n", "");
    let earlier = ok(ok(BookFolder::from_files(&files)).run());
    let mut settings = ok(BookFolder::from_files(&files)).settings().clone();
    settings.title = "示例合作社 2019年度 (93370285MA3C2019XY, 12019 亩) 2019".into();
    let made = ok(BookFolder::next_year(&settings, earlier, "events.jsonl"));
    assert_eq!(
        made.settings().title,
        "示例合作社 2020年度 (93370285MA3C2019XY, 12019 亩) 2020"
    );
    // A season over two years moves as a whole: its first year is not the book's.
    settings.title = "示例合作社 2018-2019年度".into();
    let earlier = ok(ok(BookFolder::from_files(&files)).run());
    let made = ok(BookFolder::next_year(&settings, earlier, "events.jsonl"));
    assert_eq!(made.settings().title, "示例合作社 2019-2020年度");
}

/// The earlier book must end in a year it closed, the year of the settings given.
#[test]
fn next_year_refuses_an_open_year_an_empty_book_or_settings_of_another_year() {
    let years = Years::new("next-year-refused");
    let settings = ok(BookFolder::reference()).settings().clone();
    let refused = |settings: &landpool::folder::Settings, book: Book| match BookFolder::next_year(
        settings,
        book,
        "../2019-out/events.jsonl",
    ) {
        Err(Error::Folder(error @ FolderError::NoNextYear { .. })) => error,
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("a next year was made"),
    };
    let open = refused(&settings, years.open_2019());
    assert!(
        matches!(
            open,
            FolderError::NoNextYear {
                last_year: Some(2019),
                closed: None,
                ..
            }
        ),
        "{open:?}"
    );
    assert_eq!(
        open.to_string(),
        "cannot make the next year's book folder: the earlier book's last year, 2019, is not closed (it closes no year): the next year opens with the closing balances of the year before, which only a close makes; close 2019 first (年终结账 close 是 yes in its policy.csv), run it again and start the next year from the event log of that run"
    );
    let empty = refused(&settings, Book::new());
    assert!(
        matches!(
            empty,
            FolderError::NoNextYear {
                last_year: None,
                closed: None,
                ..
            }
        ),
        "{empty:?}"
    );
    assert_eq!(
        empty.to_string(),
        "cannot make the next year's book folder: the earlier book has no dated event and no closed year: expected the book of the cooperative's years up to one it closed (the event log of that year's run, as season wrote it)"
    );
    // The 2020 book, open, after 2019 closed.
    let mut open_2020 = years.folder_2020_files();
    for (name, bytes) in &mut open_2020 {
        if name == "policy.csv" {
            *bytes = String::from_utf8_lossy(bytes)
                .replacen("年终结账 close,是,", "年终结账 close,否,", 1)
                .into_bytes();
        }
    }
    let book_2020 = ok(ok(BookFolder::from_files_after(
        &open_2020,
        years.book_2019.clone(),
    ))
    .run());
    let mut settings_2020 = settings.clone();
    settings_2020.year = 2020;
    let open = refused(&settings_2020, book_2020);
    assert!(
        matches!(
            open,
            FolderError::NoNextYear {
                last_year: Some(2020),
                closed: Some(2019),
                ..
            }
        ),
        "{open:?}"
    );
    assert!(
        open.to_string().starts_with("cannot make the next year's book folder: the earlier book's last year, 2020, is not closed (it closes 2019 but has events up to 2020): "),
        "{open}"
    );
    // The 2019 book with the settings of a 2018 folder: not that folder's run.
    let mut settings_2018 = settings.clone();
    settings_2018.year = 2018;
    let other = refused(&settings_2018, years.book_2019.clone());
    assert!(
        matches!(
            other,
            FolderError::NoNextYear {
                last_year: Some(2019),
                closed: Some(2019),
                ..
            }
        ),
        "{other:?}"
    );
    assert_eq!(
        other.to_string(),
        "cannot make the next year's book folder: the earlier book's last year is 2019, but the earlier folder's policy.csv keeps 2018: expected the event log of that folder's run, and that folder's settings"
    );
}

/// Where each of a folder's events came from: its file and line.
fn sources(folder: &BookFolder) -> Vec<(String, u64)> {
    folder
        .events()
        .iter()
        .map(|e| (e.source.file.clone(), e.source.line))
        .collect()
}

/// A member of the earlier years leaving in 2020 while their contract, signed in 2019 to run
/// to 2028, still runs: the problem says what the book requires and how to end the contract
/// early (a 合同解除 row; the carried-forward row's 终止日期 end cannot be changed). Before,
/// it said only that the contract runs until 2028-12-31, with nothing on what to do.
#[test]
fn a_member_leaving_while_an_earlier_years_contract_runs_is_told_what_the_book_requires() {
    let years = Years::new("leave-running");
    let payments = years.read_2020("payments.csv");
    years.write_2020("payments.csv", &format!("{payments}{SETTLE_2019}"));
    years.edit_2020(
        "members.csv",
        "H28,周秀云,农户,2,高格庄,2019-01-01,,",
        "H28,周秀云,农户,2,高格庄,2019-01-01,2020-06-30,",
    );
    let folder = ok(years.folder_2020());
    let (kind, message) = refused(folder.run());
    assert!(matches!(kind, ProblemKind::Rejected { .. }), "{kind:?}");
    assert_eq!(
        message,
        ("members.csv, line 29: the book refuses this row: H28 cannot leave on 2020-06-30: \
             contract LZ28 runs until 2028-12-31; a member leaves on or after the last day of \
             each of their contracts, or once swaps have given the contract's whole area to \
             other contracts (to end the contract early, 协议解除, record its new last day on \
             or before 2020-06-30 first: a contract_ended event, ContractEnded, or in a book \
             folder a 合同解除 end row of land_changes.csv)")
    );
}

/// The same member leaving on 2020-06-30 once a 合同解除 end row of land_changes.csv ends
/// LZ28 (5.55 mu at 1,000, 2019–2028) that day: its 2020 rent, 1 January – 30 June,
/// 5,550 × 182 ÷ 366 = 2,759.84 (2,759.836…), accrued and paid on the day, the member leaves,
/// and the year-end accrual of every contract takes nothing more for LZ28; the pool holds
/// 5.55 mu less from 1 July. The end is refused while the greenhouses in use would not fit in
/// the land left; GH02 taken out of use the same day makes room.
#[test]
fn a_member_leaves_once_a_row_ends_their_contract_early() {
    let years = Years::new("leave-ended");
    let payments = years.read_2020("payments.csv");
    years.write_2020(
        "payments.csv",
        &format!("{payments}{SETTLE_2019}2020-06-30,租金,H28,2759.84,,银行,,,,\n"),
    );
    years.edit_2020(
        "members.csv",
        "H28,周秀云,农户,2,高格庄,2019-01-01,,",
        "H28,周秀云,农户,2,高格庄,2019-01-01,2020-06-30,",
    );
    let land = years.read_2020("land_changes.csv");
    years.write_2020(
        "land_changes.csv",
        &format!("{land}2020-06-30,合同解除,LZ28,,,,,,,,,,成员退社,\n"),
    );
    let adjustments = years.read_2020("adjustments.csv");
    years.write_2020(
        "adjustments.csv",
        &format!("{adjustments}2020-06-30,计提租金,2020-01-01,2020-06-30,LZ28,\n"),
    );
    // The reference's greenhouses cover its 200 mu of pooled land: without LZ28's 5.55 mu
    // they would not fit.
    let (kind, message) = refused(ok(years.folder_2020()).run());
    assert!(matches!(kind, ProblemKind::Rejected { .. }), "{kind:?}");
    assert_eq!(
        message,
        "land_changes.csv, line 2: the book refuses this row: ending contract LZ28 on \
         2020-06-30: on 2020-07-01 the greenhouses in use cover 200.00 mu, more than the \
         194.45 mu the pool would hold without the contract's 5.55 mu; take greenhouses out \
         of use first, or end the contract later"
    );
    // GH02 (7.1429 mu) taken out of use that day makes room: the end comes after it.
    years.edit_2020(
        "greenhouses.csv",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,,,,",
        "GH02,2号葡萄大棚,7.1429,GRAPE,2019-01-10,60000.00,3000.00,120,银行,2020-06-30,500,现金,",
    );
    let folder = ok(years.folder_2020());
    let book = ok(folder.run());
    let h28: landpool::MemberId = "H28".parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        book.member(&h28).and_then(|m| m.left),
        Some(date!(2020 - 06 - 30))
    );
    let lz28: landpool::ContractId = "LZ28".parse().unwrap_or_else(|e| panic!("{e}"));
    let record = book.contract(&lz28).unwrap_or_else(|| panic!("LZ28"));
    assert_eq!(record.contract.end, date!(2020 - 06 - 30));
    assert_eq!(
        record
            .ended
            .as_ref()
            .map(|e| (e.signed_end.to_string(), e.memo.as_str())),
        Some(("2028-12-31".to_string(), "成员退社"))
    );
    let booked: Vec<String> = record
        .rent_booked
        .iter()
        .map(|(date, rent)| format!("{date} {rent}"))
        .collect();
    assert_eq!(booked, ["2019-12-31 5550.00", "2020-06-30 2759.84"]);
    let pooled = |day| ok(book.pooled_area(day));
    let drop = ok(pooled(date!(2020 - 06 - 30)).checked_sub(pooled(date!(2020 - 07 - 01))));
    assert_eq!(drop.to_string(), "5.55");
}

/// An asset is carried forward like a greenhouse: the next year's folder has its row as the
/// earlier year put it into use, reading it adds nothing, its depreciation by units of work
/// goes on from the hours recorded before, and its row's `处置日期 retired` cell takes it
/// out of use in the later year. A tractor of 80,000.00 (residual 8,000.00, 10,000 hours):
/// 120.5 hours in April 2019, booked by December's depreciation (867.60); 100 hours in
/// January 2020 (720.00 more); sold on 15 February 2020 for 70,000.00 into the bank, a loss
/// of 80,000.00 − 1,587.60 − 70,000.00 = 8,412.40.
#[test]
fn an_asset_is_carried_into_the_next_year_and_taken_out_of_use_there() {
    let dir = common::TempDir::new("assets-next-year");
    let reference = ok(BookFolder::reference());
    ok(reference.write(&dir.join("2019")));
    let append = |folder: &str, name: &str, rows: &str| {
        let path = dir.join(folder).join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        std::fs::write(&path, format!("{text}{rows}")).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    append(
        "2019",
        "assets.csv",
        "T01,拖拉机,固定资产,2019-03-05,80000.00,8000.00,工作量法,,10000,,银行,,,,\r\n",
    );
    append(
        "2019",
        "adjustments.csv",
        "2019-04-30,工作量,,,T01,120.5,\r\n",
    );
    let folder_2019 = ok(BookFolder::read(&dir.join("2019")));
    let book_2019 = ok(folder_2019.run());
    let t01 = ok("T01".parse());
    let depreciated = |book: &Book| book.asset(&t01).map(|a| a.depreciated.to_string());
    assert_eq!(depreciated(&book_2019).as_deref(), Some("867.60"));
    ok(write_outputs(
        &dir.join("2019-out"),
        &ok(outputs(&book_2019, folder_2019.settings())),
    ));

    let made = ok(BookFolder::next_year(
        folder_2019.settings(),
        book_2019,
        "../2019-out/events.jsonl",
    ));
    ok(made.write(&dir.join("2020")));
    let assets = std::fs::read_to_string(dir.join("2020").join("assets.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        assets.ends_with(
            "\r\nT01,拖拉机,固定资产,2019-03-05,80000.00,8000.00,工作量法,,10000,,银行,,,,\r\n"
        ),
        "{assets}"
    );
    // Taken out of use in 2020: the row carried forward gets its retirement cells.
    let path = dir.join("2020").join("assets.csv");
    std::fs::write(
        &path,
        assets.replace("10000,,银行,,,,", "10000,,银行,2020-02-15,70000,银行,"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    append(
        "2020",
        "adjustments.csv",
        "2020-01-31,工作量,,,T01,100,\r\n2020-01-31,折旧,,,,,\r\n",
    );
    let folder_2020 = ok(BookFolder::read(&dir.join("2020")));
    let kinds: Vec<&'static str> = folder_2020
        .events()
        .iter()
        .filter_map(|e| match &e.event {
            landpool::Event::AssetAcquired { .. } => Some("acquired"),
            landpool::Event::AssetWorkRecorded { .. } => Some("work"),
            landpool::Event::AssetRetired { .. } => Some("retired"),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, ["work", "retired"]);
    let book_2020 = ok(folder_2020.run());
    assert_eq!(depreciated(&book_2020).as_deref(), Some("1587.60"));
    let record = book_2020.asset(&t01).unwrap_or_else(|| panic!("T01"));
    assert_eq!(record.retired, Some(date!(2020 - 02 - 15)));
    assert_eq!(
        balance(&book_2020, "529", date!(2020 - 02 - 15)),
        yuan("8412.40")
    );
    assert_eq!(
        balance(&book_2020, "151", date!(2020 - 02 - 15)),
        balance(&book_2020, "151", date!(2019 - 12 - 31))
            .checked_sub(yuan("80000"))
            .unwrap_or_else(|e| panic!("{e}"))
    );
}
