//! The `season` example as an accountant runs it: the built binary, its exit codes, what it
//! prints and what it leaves on disk (issue 7).
//!
//! The binary is `target/<profile>/examples/season`, next to this test's own
//! `target/<profile>/deps/season_cli-…`. `cargo test` builds it before running the tests,
//! but `cargo test --test season_cli` builds no examples and would leave a missing or stale
//! binary, so it is built here with `$CARGO build --example season`, for the same profile and
//! features as this test (a fraction of a second when it is up to date): these tests never
//! skip, and never test an old binary.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What the binary exits with when it refuses: `ExitCode::FAILURE`.
const REFUSED: i32 = 1;

/// The last line on stderr of every refusal made before anything is written.
const NOTHING_WRITTEN: &str = "nothing was written\n";

/// The files of a season's run, in `--out`.
const OUTPUTS: [&str; 16] = [
    "asset_register.csv",
    "balance_sheet.csv",
    "events.jsonl",
    "general_ledger.csv",
    "household_income.csv",
    "journal.beancount",
    "journal.csv",
    "journal.hledger",
    "member_accounts.csv",
    "member_equity.csv",
    "receipts.html",
    "receipts.txt",
    "statements.xlsx",
    "surplus_distribution.csv",
    "trial_balance.csv",
    "vouchers.html",
];

/// The `season` example binary, built (or found up to date) once per test run, so that a
/// binary older than `examples/season.rs` is never what is tested.
fn season_binary() -> PathBuf {
    common::example_binary("season")
}

/// Runs `season ARGS` in `cwd` (so that a stray default `season-out/` would land there).
fn season<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Output {
    Command::new(season_binary())
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running season: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts that `season` succeeded.
fn succeeded(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what}: {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// Asserts that `season` refused with [`REFUSED`] and returns its stderr.
fn refused(output: &Output, what: &str) -> String {
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(REFUSED),
        "{what}\nstdout:\n{}\nstderr:\n{stderr}",
        text(&output.stdout)
    );
    assert!(
        !text(&output.stdout).contains("statements written"),
        "{what}: {}",
        text(&output.stdout)
    );
    stderr
}

/// Every file under `dir` (relative path with `/`, bytes), sorted; sub-folders are walked.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let name = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
                files.push((name, bytes));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(name, _)| name.as_str()).collect()
}

/// Asserts that two folders hold the same files, byte for byte.
fn assert_same_files(left: &[(String, Vec<u8>)], right: &[(String, Vec<u8>)], what: &str) {
    assert_eq!(names(left), names(right), "{what}: the file lists differ");
    for ((name, l), (_, r)) in left.iter().zip(right) {
        assert!(l == r, "{what}: {name} differs");
    }
}

#[test]
fn init_then_a_run_by_folder_or_by_book_writes_the_built_in_files() {
    let dir = common::TempDir::new("round-trip");
    let book = dir.join("book");
    let init = season(dir.path(), &[OsStr::new("--init"), book.as_os_str()]);
    succeeded(&init, "--init");
    assert_eq!(snapshot(&book).len(), 18, "the book folder's files");
    assert!(book.join("policy.csv").is_file());

    let (a, b, c) = (dir.join("a"), dir.join("b"), dir.join("c"));
    let by_folder = season(
        dir.path(),
        &[book.as_os_str(), OsStr::new("--out"), a.as_os_str()],
    );
    succeeded(&by_folder, "season DIR --out A");
    let by_book = season(
        dir.path(),
        &[
            OsStr::new("--book"),
            book.as_os_str(),
            OsStr::new("--out"),
            b.as_os_str(),
        ],
    );
    succeeded(&by_book, "season --book DIR --out B");
    let built_in = season(dir.path(), &[OsStr::new("--out"), c.as_os_str()]);
    succeeded(&built_in, "season --out C");
    for (run, out) in [(&by_folder, &a), (&by_book, &b), (&built_in, &c)] {
        let stdout = text(&run.stdout);
        assert!(
            stdout.ends_with(&format!("statements written to {}\n", out.display())),
            "{stdout}"
        );
        assert!(
            stdout.contains("  surplus               1976025.00\n"),
            "{stdout}"
        );
    }

    let (a, b, c) = (snapshot(&a), snapshot(&b), snapshot(&c));
    let mut outputs = OUTPUTS.to_vec();
    outputs.retain(|name| cfg!(feature = "xlsx") || *name != "statements.xlsx");
    assert_eq!(names(&c), outputs);
    assert!(c.iter().all(|(_, bytes)| !bytes.is_empty()));
    // No output holds a path or the time of the run: the three are equal byte for byte.
    assert_same_files(&a, &c, "season DIR against the built-in run");
    assert_same_files(&b, &c, "season --book DIR against the built-in run");
    // Nothing else was written: no default `season-out/` in the working directory.
    assert!(!dir.join("season-out").exists());
    // And the runs did not touch the book folder.
    assert_eq!(snapshot(&book).len(), 18);
}

/// policy.csv's `close` of 否 no leaves the year open, as its note offers: the statements of
/// an open year are written, with a summary that says the year is open.
#[test]
fn an_open_year_is_run_and_its_statements_written() {
    let dir = common::TempDir::new("open-year");
    let book = dir.join("book");
    succeeded(
        &season(dir.path(), &[OsStr::new("--init"), book.as_os_str()]),
        "--init",
    );
    let policy = book.join("policy.csv");
    let settings = std::fs::read_to_string(&policy).unwrap_or_else(|e| panic!("{e}"));
    assert!(settings.contains("\r\n年终结账 close,是,"), "{settings}");
    std::fs::write(
        &policy,
        settings.replace("\r\n年终结账 close,是,", "\r\n年终结账 close,否,"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("out");
    let run = season(
        dir.path(),
        &[book.as_os_str(), OsStr::new("--out"), out.as_os_str()],
    );
    succeeded(&run, "season DIR of an open year");
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains("  2019 is open: no surplus is distributed until it is closed\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!("statements written to {}\n", out.display())),
        "{stdout}"
    );
    let mut outputs = OUTPUTS.to_vec();
    outputs.retain(|name| cfg!(feature = "xlsx") || *name != "statements.xlsx");
    assert_eq!(names(&snapshot(&out)), outputs);
}

/// Statements written into the book folder are files a book folder does not have: the next
/// run of the folder would refuse it. `--out` naming the book folder (however it is spelled)
/// is refused before anything is written.
#[test]
fn out_into_the_book_folder_is_refused() {
    let dir = common::TempDir::new("out-is-book");
    let book = dir.join("book");
    succeeded(
        &season(dir.path(), &[OsStr::new("--init"), book.as_os_str()]),
        "--init",
    );
    let before = snapshot(&book);
    let spelled = book.join(".");
    for out in [book.as_os_str(), spelled.as_os_str(), OsStr::new("book")] {
        let run = season(dir.path(), &[book.as_os_str(), OsStr::new("--out"), out]);
        let stderr = refused(&run, "--out BOOK");
        assert!(
            stderr.starts_with(
                "--out is the book folder; the statements go to a folder of their own\n"
            ),
            "{stderr}"
        );
        assert!(stderr.ends_with(NOTHING_WRITTEN), "{stderr}");
        assert_same_files(&snapshot(&book), &before, "--out BOOK");
    }
    // The book folder still runs.
    let out = dir.join("out");
    succeeded(
        &season(
            dir.path(),
            &[book.as_os_str(), OsStr::new("--out"), out.as_os_str()],
        ),
        "season DIR after the refusals",
    );
}

/// The README's steps without `--out` for the first year (`season book`, its statements in
/// `season-out/`, then `--next-year 2020 --from book --log season-out/events.jsonl`), and the
/// next year run as README.txt says, `season 2020`, again without `--out`: the run is
/// refused, before anything is written, as its default `season-out/` holds the log 2020's
/// prior_log names. Before, the run replaced that log with its own (2019 and 2020) and
/// 2019's statements with 2020's, and the 2020 folder then failed on its next run ("the
/// earlier book has events up to 2020-12-31"), with 2019's statements gone.
#[test]
fn a_later_years_run_does_not_write_over_the_log_it_runs_after() {
    let dir = common::TempDir::new("out-over-prior-log");
    succeeded(&season(dir.path(), &["--init", "book"]), "--init");
    succeeded(&season(dir.path(), &["book"]), "season book");
    succeeded(
        &season(
            dir.path(),
            &[
                "--next-year",
                "2020",
                "--from",
                "book",
                "--log",
                "season-out/events.jsonl",
            ],
        ),
        "--next-year",
    );
    let before = snapshot(&dir.join("season-out"));
    for (args, out) in [
        (&["2020"][..], "season-out"),
        (&["2020", "--out", "season-out"], "season-out"),
        (
            &["--book", "2020", "--out", "./season-out/"],
            "./season-out/",
        ),
    ] {
        let stderr = refused(&season(dir.path(), args), "season 2020 into season-out");
        assert_eq!(
            stderr,
            format!(
                "--out {out}: it holds the earlier years' log that 2020's policy.csv names \
                 (上年账簿 prior_log ../season-out/events.jsonl); this run's events.jsonl and \
                 statements would replace it and last year's statements, and 2020 would not run \
                 again; write them to a folder of this year's own: season 2020 --out \
                 2020-out\n{NOTHING_WRITTEN}"
            ),
            "{args:?}"
        );
        assert_same_files(&snapshot(&dir.join("season-out")), &before, "season-out");
    }
    // As it says: the year runs, and the earlier log is as it was.
    succeeded(
        &season(dir.path(), &["2020", "--out", "2020-out"]),
        "season 2020 --out 2020-out",
    );
    assert_same_files(&snapshot(&dir.join("season-out")), &before, "season-out");
}

/// A write that fails before the files are renamed replaces nothing: the run says that
/// nothing was written, not that the statements may be incomplete.
#[test]
fn a_write_that_fails_says_nothing_was_written() {
    let dir = common::TempDir::new("write-fails");
    let out = dir.join("out");
    std::fs::write(&out, "a file, not a folder\n").unwrap_or_else(|e| panic!("{e}"));
    let run = season(dir.path(), &[OsStr::new("--out"), out.as_os_str()]);
    let stderr = refused(&run, "--out FILE");
    assert!(
        stderr.starts_with(&format!("{}: creating the folder: ", out.display())),
        "{stderr}"
    );
    assert!(stderr.ends_with(NOTHING_WRITTEN), "{stderr}");
    assert!(!stderr.contains("incomplete"), "{stderr}");
    assert_eq!(
        std::fs::read(&out).ok(),
        Some(b"a file, not a folder\n".to_vec())
    );
}

#[test]
fn init_refuses_a_folder_that_already_holds_a_book() {
    let dir = common::TempDir::new("init-twice");
    let book = dir.join("book");
    succeeded(
        &season(dir.path(), &[OsStr::new("--init"), book.as_os_str()]),
        "--init",
    );
    // Edited by its accountant since: a second --init must not undo that.
    let members = book.join("members.csv");
    let mut edited = std::fs::read(&members).unwrap_or_else(|e| panic!("{e}"));
    edited.extend_from_slice("H29,新户,农户,3,高格庄,2019-06-01,\r\n".as_bytes());
    std::fs::write(&members, &edited).unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&book);

    let again = season(dir.path(), &[OsStr::new("--init"), book.as_os_str()]);
    let stderr = refused(&again, "--init over a book folder");
    assert!(stderr.contains("already there"), "{stderr}");
    assert!(stderr.ends_with(NOTHING_WRITTEN), "{stderr}");
    assert_same_files(&snapshot(&book), &before, "the book folder after --init");

    // A folder holding only one file of a book (here, a members.csv of one's own) is refused
    // too, and keeps exactly that file: nothing is added beside it.
    let own = common::TempDir::new("init-over-one-file");
    std::fs::write(own.join("members.csv"), b"mine\r\n").unwrap_or_else(|e| panic!("{e}"));
    let stderr = refused(
        &season(own.path(), &[OsStr::new("--init"), own.path().as_os_str()]),
        "--init over members.csv",
    );
    assert!(stderr.contains("members.csv"), "{stderr}");
    assert!(stderr.ends_with(NOTHING_WRITTEN), "{stderr}");
    assert_eq!(
        snapshot(own.path()),
        [("members.csv".to_string(), b"mine\r\n".to_vec())]
    );
}

#[test]
fn broken_books_are_refused_with_their_errors_and_nothing_is_written() {
    let cases = common::broken_cases();
    for (at, case) in cases.iter().enumerate() {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = common::TempDir::new(&format!("broken-{name}"));
        let book = dir.join("book");
        common::broken_folder(case, &book);
        let book_before = snapshot(&book);
        let expected = std::fs::read_to_string(case.join("expected.txt"))
            .unwrap_or_else(|e| panic!("{name}/expected.txt: {e}"));
        assert!(expected.ends_with('\n') && expected.lines().count() >= 2);

        // The first case also runs into an --out folder that is already there, with a file.
        let out = dir.join("out");
        let kept = b"last year's statements\n".to_vec();
        if at == 0 {
            std::fs::create_dir(&out).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(out.join("balance_sheet.csv"), &kept).unwrap_or_else(|e| panic!("{e}"));
        }
        let run = season(
            dir.path(),
            &[book.as_os_str(), OsStr::new("--out"), out.as_os_str()],
        );
        let stderr = refused(&run, &name);
        // Every error line of the case, exactly, then the promise.
        assert_eq!(stderr, format!("{expected}{NOTHING_WRITTEN}"), "{name}");
        if at == 0 {
            assert_eq!(
                snapshot(&out),
                [("balance_sheet.csv".to_string(), kept)],
                "{name}: the existing --out folder changed"
            );
        } else {
            assert!(!out.exists(), "{name}: {} was made", out.display());
        }
        assert!(!dir.join("season-out").exists(), "{name}");
        assert_same_files(&snapshot(&book), &book_before, &name);
    }
}

#[test]
fn two_book_folders_or_init_with_a_run_are_usage_errors() {
    let dir = common::TempDir::new("usage");
    let (first, second) = (dir.join("first"), dir.join("second"));
    for book in [&first, &second] {
        succeeded(
            &season(dir.path(), &[OsStr::new("--init"), book.as_os_str()]),
            "--init",
        );
    }
    let before = snapshot(dir.path());
    let (first, second) = (
        first.to_string_lossy().into_owned(),
        second.to_string_lossy().into_owned(),
    );
    let out = dir.join("out").to_string_lossy().into_owned();
    let other = dir.join("other").to_string_lossy().into_owned();
    let init = dir.join("init").to_string_lossy().into_owned();
    let twice = |what: &str, a: &str, b: &str| format!("{what} is given twice ({a} and {b})");
    let book_twice = twice("the book folder", &first, &second);
    let init_alone = "--init writes a book folder and runs nothing".to_string();
    let cases: [(Vec<&str>, String); 8] = [
        (vec![&first, "--book", &second], book_twice.clone()),
        (vec!["--book", &first, &second], book_twice.clone()),
        (
            vec!["--book", &first, "--book", &second],
            book_twice.clone(),
        ),
        (vec![&first, &second, "--out", &out], book_twice),
        (
            vec![&first, "--book", &first],
            twice("the book folder", &first, &first),
        ),
        (
            vec![&first, "--out", &out, "--out", &other],
            twice("--out", &out, &other),
        ),
        (vec!["--init", &init, "--book", &first], init_alone.clone()),
        (vec!["--init", &init, "--out", &out], init_alone),
    ];
    for (args, message) in cases {
        let what = args.join(" ");
        let stderr = refused(&season(dir.path(), &args), &what);
        assert!(stderr.starts_with(&message), "{what}: {stderr}");
        assert!(stderr.contains("\nusage: season"), "{what}: {stderr}");
        assert!(stderr.ends_with(NOTHING_WRITTEN), "{what}: {stderr}");
        // Nothing run, nothing written: no out/, other/, init/ or season-out/.
        assert_same_files(&snapshot(dir.path()), &before, &what);
    }
}

/// The summary counts the persons of every household: a book whose households hold more
/// persons than a `u32` counts together (each household's count is a `u32`, read from
/// members.csv) is summed without overflow, not a panic (or, in a release build, a
/// count that wrapped round and a wrong average).
#[test]
fn the_summary_counts_more_persons_than_a_u32_holds() {
    let dir = common::TempDir::new("many-persons");
    let book = dir.join("book");
    succeeded(
        &season(dir.path(), &[OsStr::new("--init"), book.as_os_str()]),
        "--init",
    );
    let members = book.join("members.csv");
    let text_of = std::fs::read_to_string(&members).unwrap_or_else(|e| panic!("{e}"));
    // H01 and H02 have 3 persons each; the reference has 75 in all.
    let edited = text_of
        .replace("\r\nH01,高建国,农户,3,", "\r\nH01,高建国,农户,4294967295,")
        .replace("\r\nH02,高秀英,农户,3,", "\r\nH02,高秀英,农户,4294967295,");
    assert_ne!(edited, text_of, "members.csv changed");
    std::fs::write(&members, edited).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("out");
    let run = season(
        dir.path(),
        &[book.as_os_str(), OsStr::new("--out"), out.as_os_str()],
    );
    succeeded(&run, "season DIR with households of u32::MAX persons");
    let stdout = text(&run.stdout);
    // 75 − 6 + 2 × 4,294,967,295 persons.
    assert!(
        stdout.contains(
            "  household income      3110590.36 for 8589934659 persons: 0.00 per person on average\n"
        ),
        "{stdout}"
    );
}

/// Found by review: an empty folder name (`--out ""`, a batch file's unset variable) wrote
/// every statement into the current folder, replacing files of the same names there, then
/// failed syncing the folder "" and said "nothing was written". An empty `--out`,
/// `--init` or book folder is a usage error, and nothing is written anywhere.
#[test]
fn an_empty_folder_name_is_a_usage_error_and_nothing_is_written() {
    let dir = common::TempDir::new("empty-name");
    let cases: [(&[&str], &str); 4] = [
        (&["--out", ""], "--out needs a directory, not an empty name"),
        (
            &["--init", ""],
            "--init needs a directory, not an empty name",
        ),
        (
            &["--book", ""],
            "--book needs a directory, not an empty name",
        ),
        (
            &[""],
            "the book folder needs a directory, not an empty name",
        ),
    ];
    for (args, message) in cases {
        let what = format!("season {args:?}");
        let stderr = refused(&season(dir.path(), args), &what);
        assert!(stderr.starts_with(message), "{what}: {stderr}");
        assert!(stderr.contains("\nusage: season"), "{what}: {stderr}");
        assert!(stderr.ends_with(NOTHING_WRITTEN), "{what}: {stderr}");
        assert_eq!(names(&snapshot(dir.path())), Vec::<&str>::new(), "{what}");
    }
}

/// Found by review: the summary printed line 15 (the reserve and the welfare fund drawn
/// together) as "reserve (10%)" whatever the welfare fund's percent: with 5% to welfare it
/// showed 15% of the surplus labelled 10%. The label names both percents when a welfare
/// fund is drawn.
#[test]
fn the_summary_labels_the_reserve_with_the_welfare_fund_it_includes() {
    let dir = common::TempDir::new("welfare");
    let book = dir.join("book");
    succeeded(
        &season(dir.path(), &[OsStr::new("--init"), book.as_os_str()]),
        "--init",
    );
    let policy = book.join("policy.csv");
    let settings = std::fs::read_to_string(&policy).unwrap_or_else(|e| panic!("{e}"));
    let (none, five) = (
        "\r\n公益金(%) welfare_percent,0,",
        "\r\n公益金(%) welfare_percent,5,",
    );
    assert!(settings.contains(none), "{settings}");
    std::fs::write(&policy, settings.replace(none, five)).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("out");
    let run = season(
        dir.path(),
        &[book.as_os_str(), OsStr::new("--out"), out.as_os_str()],
    );
    succeeded(&run, "season DIR with a welfare fund");
    let stdout = text(&run.stdout);
    // 15% of the surplus of 1,976,025.00: 296,403.75; 70% of the 1,679,621.25 left.
    assert!(
        stdout.contains("\n  reserve and welfare (10% + 5%) 296403.75\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n  patronage returns     1175734.88  (70% of 1679621.25)\n"),
        "{stdout}"
    );
    // Without a welfare fund, as before.
    let run = season(dir.path(), &["--out", "reference"]);
    succeeded(&run, "season");
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains("\n  reserve (10%)         197602.50\n"),
        "{stdout}"
    );
}

/// Found by review: `--init` ends by telling the accountant what to run next, but printed a
/// folder whose name has a space as it is (`season 账本 2019`), which run as printed is two
/// book folders and refused. A name with a space is printed in double quotes.
#[test]
fn init_prints_a_next_command_that_runs_for_a_name_with_a_space() {
    let dir = common::TempDir::new("init-space");
    let run = season(dir.path(), &["--init", "账本 2019"]);
    succeeded(&run, "--init with a space");
    assert_eq!(
        text(&run.stdout),
        "the reference cooperative is written to 账本 2019 as a book folder; edit it, then run: season \"账本 2019\"\n"
    );
    let out = dir.join("out");
    let next = season(
        dir.path(),
        &[
            OsStr::new("账本 2019"),
            OsStr::new("--out"),
            out.as_os_str(),
        ],
    );
    succeeded(&next, "the command --init printed");
    // A name without one is printed as it is.
    let run = season(dir.path(), &["--init", "账本"]);
    assert_eq!(
        text(&run.stdout),
        "the reference cooperative is written to 账本 as a book folder; edit it, then run: season 账本\n"
    );
}

/// The cells of a CSV file (UTF-8 with a byte-order mark), row by row.
fn csv_file(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    common::csv_rows(&text(&bytes))
}

/// The value of `policy.csv`'s setting `en` (its English name) in the folder `dir`.
fn setting(dir: &Path, en: &str) -> String {
    csv_file(&dir.join("policy.csv"))
        .into_iter()
        .find(|row| row[0].ends_with(&format!(" {en}")))
        .map(|row| row[1].clone())
        .unwrap_or_else(|| panic!("no {en} in policy.csv"))
}

/// `--init`, a run, `--next-year` and a run of the next year's folder: the accountant's two
/// years end to end. The 2020 folder names the 2019 log by its path from the folder, given
/// relative or absolute, and its run opens with 2019's closing balances.
#[test]
fn next_year_writes_the_folder_of_the_year_after_and_its_run_opens_with_last_years_closing() {
    let dir = common::TempDir::new("next-year");
    succeeded(&season(dir.path(), &["--init", "2019"]), "--init");
    succeeded(
        &season(dir.path(), &["2019", "--out", "2019-out"]),
        "season 2019",
    );
    let log = dir.join("2019-out").join("events.jsonl");
    let log_before = std::fs::read(&log).unwrap_or_else(|e| panic!("{e}"));
    let run = season(
        dir.path(),
        &[
            "--next-year",
            "2020",
            "--from",
            "2019",
            "--log",
            "2019-out/events.jsonl",
        ],
    );
    succeeded(&run, "--next-year");
    assert_eq!(
        text(&run.stdout),
        "the 2020 book folder is written to 2020: the registers of the book in 2019-out/events.jsonl carried forward (29 members), the year's files with their header rows only, policy.csv with 年度 year 2020, 事件编号前缀 event_prefix jrf-2020 and 上年账簿 prior_log ../2019-out/events.jsonl\nnext: fill in its year's files (land_changes.csv to payments.csv) and add the year's new members, parcels and contracts, then run: season 2020 --out 2020-out\n"
    );
    let (new, old) = (dir.join("2020"), dir.join("2019"));
    assert_eq!(setting(&new, "year"), "2020");
    assert_eq!(setting(&new, "event_prefix"), "jrf-2020");
    assert_eq!(setting(&new, "prior_log"), "../2019-out/events.jsonl");
    assert_eq!(setting(&new, "cooperative"), setting(&old, "cooperative"));
    assert_eq!(setting(&new, "reserve_percent"), "10");
    // Every file of a book folder, the registers as 2019's, the payments their header.
    let files = snapshot(&new);
    assert_eq!(names(&files), names(&snapshot(&old)));
    for name in [
        "members.csv",
        "contracts.csv",
        "greenhouses.csv",
        "README.txt",
    ] {
        let at = |files: &[(String, Vec<u8>)]| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, bytes)| bytes.clone())
        };
        assert_eq!(at(&files), at(&snapshot(&old)), "{name}");
    }
    assert_eq!(csv_file(&new.join("payments.csv")).len(), 1);
    // The log is read, never written.
    assert_eq!(
        std::fs::read(&log).unwrap_or_else(|e| panic!("{e}")),
        log_before
    );

    // The 2020 folder runs after the 2019 book.
    let next = season(dir.path(), &["2020", "--out", "2020-out"]);
    succeeded(&next, "season 2020");
    assert!(
        text(&next.stdout).ends_with("statements written to 2020-out\n"),
        "{}",
        text(&next.stdout)
    );
    let sheet_2019 = csv_file(&dir.join("2019-out").join("balance_sheet.csv"));
    let sheet_2020 = csv_file(&dir.join("2020-out").join("balance_sheet.csv"));
    let column = |word: &str| {
        sheet_2019[0]
            .iter()
            .position(|h| h.contains(word))
            .unwrap_or_else(|| panic!("no {word} column"))
    };
    let (closing, opening) = (column("期末"), column("年初"));
    assert_eq!(sheet_2019.len(), sheet_2020.len());
    for (row_2019, row_2020) in sheet_2019.iter().zip(&sheet_2020).skip(1) {
        assert_eq!(row_2020.get(opening), row_2019.get(closing), "{row_2020:?}");
    }
    // Cash and deposits: 2019's closing, 2020's opening.
    assert_eq!(sheet_2020[1][..3], ["1", "货币资金", "Cash and deposits"]);
    assert_eq!(sheet_2020[1][opening], "2094075.00");
    let log_2020 = text(
        &std::fs::read(dir.join("2020-out").join("events.jsonl")).unwrap_or_else(|e| panic!("{e}")),
    );
    // The 2019 events, and 2020's close.
    assert_eq!(
        log_2020.lines().count(),
        text(&log_before).lines().count() + 1
    );

    // Given by absolute paths, into a folder two levels down: the log's path from it.
    let deep = dir.join("books").join("2020");
    let run = season(
        dir.path(),
        &[
            OsStr::new("--next-year"),
            deep.as_os_str(),
            OsStr::new("--from"),
            old.as_os_str(),
            OsStr::new("--log"),
            log.as_os_str(),
        ],
    );
    succeeded(&run, "--next-year with absolute paths");
    assert_eq!(setting(&deep, "prior_log"), "../../2019-out/events.jsonl");
    let deep_out = dir.join("books").join("2020-out");
    let stdout = text(&run.stdout);
    assert!(
        stdout.ends_with(&format!(
            "then run: season {} --out {}\n",
            deep.display(),
            deep_out.display()
        )),
        "{stdout}"
    );
    // Its files are the other 2020 folder's, but for the log's path.
    for ((name, here), (_, there)) in snapshot(&deep).iter().zip(&files) {
        if name == "policy.csv" {
            assert_eq!(
                text(here).replacen("../../2019-out", "../2019-out", 1),
                text(there)
            );
        } else {
            assert!(here == there, "{name}");
        }
    }
    succeeded(
        &season(
            dir.path(),
            &[deep.as_os_str(), OsStr::new("--out"), deep_out.as_os_str()],
        ),
        "season books/2020",
    );
    assert_same_files(
        &snapshot(&deep_out),
        &snapshot(&dir.join("2020-out")),
        "the two 2020 runs",
    );

    // 2021 after 2020: the log of the 2020 run holds both years.
    let run = season(
        dir.path(),
        &[
            "--next-year",
            "2021",
            "--from",
            "2020",
            "--log",
            "2020-out/events.jsonl",
        ],
    );
    succeeded(&run, "--next-year 2021");
    assert_eq!(setting(&dir.join("2021"), "event_prefix"), "jrf-2021");
    assert_eq!(
        setting(&dir.join("2021"), "prior_log"),
        "../2020-out/events.jsonl"
    );
}

/// `--next-year` with what it does not take, without what it needs, or writing into a folder
/// that holds files: usage errors or refusals, and nothing is written.
#[test]
fn next_year_usage_errors_and_refusals_write_nothing() {
    let dir = common::TempDir::new("next-year-usage");
    succeeded(&season(dir.path(), &["--init", "2019"]), "--init");
    succeeded(
        &season(dir.path(), &["2019", "--out", "2019-out"]),
        "season 2019",
    );
    std::fs::create_dir(dir.join("full")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("full").join("notes.txt"), "kept").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("a-file"), "kept").unwrap_or_else(|e| panic!("{e}"));
    // The 2019 log cut short in its last line, as a copy that did not finish leaves it.
    let whole =
        std::fs::read(dir.join("2019-out").join("events.jsonl")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("cut.jsonl"), &whole[..whole.len() - 10])
        .unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(dir.path());
    let log = "2019-out/events.jsonl";
    let run_alone =
        "--next-year writes a book folder and runs nothing; give it without a book folder, --out or --init";
    let go_with =
        "--from and --log go with --next-year NEW, which writes the next year's book folder";
    let usage: [(Vec<&str>, &str); 12] = [
        (vec!["--next-year", "2020", "--from", "2019"], "--next-year needs --log LOG (the events.jsonl of last year's run): season --next-year NEW --from OLD --log LOG"),
        (vec!["--next-year", "2020", "--log", log], "--next-year needs --from OLD (last year's book folder): season --next-year NEW --from OLD --log LOG"),
        (vec!["--next-year", "2020"], "--next-year needs --from OLD (last year's book folder)"),
        (vec!["--next-year", "2020", "--from", "2019", "--log", log, "--out", "o"], run_alone),
        (vec!["2019", "--next-year", "2020", "--from", "2019", "--log", log], run_alone),
        (vec!["--init", "i", "--next-year", "2020", "--from", "2019", "--log", log], run_alone),
        (vec!["--from", "2019", "--log", log], go_with),
        (vec!["2019", "--log", log], go_with),
        (vec!["--next-year", "2020", "--next-year", "2021", "--from", "2019", "--log", log], "--next-year is given twice (2020 and 2021); give it once"),
        (vec!["--next-year", "2020", "--from", "2019", "--from", "2018", "--log", log], "--from is given twice (2019 and 2018); give it once"),
        (vec!["--next-year", "2020", "--from", "2019", "--log", ""], "--log needs a file, not an empty name"),
        (vec!["--next-year", "2020", "--from", "2019", "--log"], "--log needs a file\n"),
    ];
    for (args, message) in usage {
        let what = args.join(" ");
        let stderr = refused(&season(dir.path(), &args), &what);
        assert!(stderr.starts_with(message), "{what}: {stderr}");
        assert!(stderr.contains("\nusage: season"), "{what}: {stderr}");
        assert!(stderr.ends_with(NOTHING_WRITTEN), "{what}: {stderr}");
        assert_same_files(&snapshot(dir.path()), &before, &what);
    }

    // Refusals of what the arguments name: the message (its start and end, where the
    // system's words for an error come between), then nothing was written.
    let full = dir.join("full");
    let refusals: [(Vec<&str>, &str, &str); 6] = [
        (
            vec!["--next-year", "2020", "--from", "2019", "--log", "cut.jsonl"],
            "--log cut.jsonl: the log ends in a line that is not a whole event (",
            "): expected the whole events.jsonl of the run of 2019; copy it again\n",
        ),
        (
            vec!["--next-year", "full", "--from", "2019", "--log", log],
            "--next-year full: the folder is not empty; the next year's book folder is written into a new folder (or an empty one)\n",
            "",
        ),
        (
            vec!["--next-year", "a-file", "--from", "2019", "--log", log],
            "--next-year a-file: ",
            "; expected a new folder (or an empty one)\n",
        ),
        (
            // The outputs of the run named as last year's folder: no policy.csv there.
            vec!["--next-year", "2020", "--from", "2019-out", "--log", log],
            "--from 2019-out: 1 problem in the book folder:\npolicy.csv: the file is missing; every book folder has policy.csv (章程.csv), the bylaws' choices and the year, one setting a row\n",
            "",
        ),
        (
            vec!["--next-year", "2020", "--from", "2019", "--log", "2019-out/none.jsonl"],
            "--log 2019-out/none.jsonl: there is no such file; LOG is the path of the events.jsonl of the run of 2019 from the current folder (",
            "), not from NEW as policy.csv's prior_log is\n",
        ),
        (
            // The log named by its path from NEW, as prior_log names it.
            vec!["--next-year", "2020", "--from", "2019", "--log", "../2019-out/events.jsonl"],
            "--log ../2019-out/events.jsonl: there is no such file; LOG is the path of the events.jsonl of the run of 2019 from the current folder (",
            "), not from NEW as policy.csv's prior_log is\n",
        ),
    ];
    for (args, start, end) in refusals {
        let what = args.join(" ");
        let stderr = refused(&season(dir.path(), &args), &what);
        let message = stderr
            .strip_suffix(NOTHING_WRITTEN)
            .unwrap_or_else(|| panic!("{what}: {stderr}"));
        assert!(
            message.starts_with(start) && message.ends_with(end),
            "{what}: {stderr}"
        );
        assert!(!message.contains("usage: season"), "{what}: {stderr}");
        assert_same_files(&snapshot(dir.path()), &before, &what);
    }
    assert!(full.join("notes.txt").is_file());

    // A log that is not of OLD's run as OLD is now: its registers would be carried forward
    // under OLD's name and bylaws. OLD corrected after the run (a cost's amount), OLD with
    // another event prefix (another cooperative's or year's folder), OLD's log cut to its
    // events before the close (a log copied while the service wrote it), or holding more.
    let copy = |name: &str, file: &str, from: &str, to: &str| {
        let folder = dir.join(name);
        std::fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
        for entry in std::fs::read_dir(dir.join("2019")).unwrap_or_else(|e| panic!("{e}")) {
            let entry = entry.unwrap_or_else(|e| panic!("{e}"));
            let bytes = std::fs::read(entry.path()).unwrap_or_else(|e| panic!("{e}"));
            let bytes = if entry.file_name() == file {
                let text = text(&bytes);
                assert!(text.contains(from), "{file}: {from}");
                text.replacen(from, to, 1).into_bytes()
            } else {
                bytes
            };
            std::fs::write(folder.join(entry.file_name()), bytes).unwrap_or_else(|e| panic!("{e}"));
        }
    };
    copy(
        "fixed",
        "costs.csv",
        "\r\n2019-03-10,种苗,3000.00,GH01,",
        "\r\n2019-03-10,种苗,3100.00,GH01,",
    );
    copy("other", "policy.csv", ",jrf-2019,", ",xyz-2019,");
    let lines: Vec<&[u8]> = whole.split_inclusive(|b| *b == b'\n').collect();
    assert_eq!(lines.len(), 329);
    std::fs::write(dir.join("short.jsonl"), lines[..328].concat())
        .unwrap_or_else(|e| panic!("{e}"));
    let with_2020 = dir.join("2020-out");
    std::fs::create_dir(&with_2020).unwrap_or_else(|e| panic!("{e}"));
    succeeded(
        &season(
            dir.path(),
            &["--next-year", "n2020", "--from", "2019", "--log", log],
        ),
        "n2020",
    );
    succeeded(
        &season(dir.path(), &["n2020", "--out", "2020-out"]),
        "season n2020",
    );
    let before = snapshot(dir.path());
    let expected = "; expected the events.jsonl of the run of ";
    let not_of: [(&str, &str, String); 4] = [
        ("fixed", log, format!("--log {log}: not the log of a run of fixed: its line 204 holds the event jrf-2019-00204 other than a run of fixed gives it (costs.csv, line 2){expected}fixed as it is now (run it again after a change)")),
        ("other", log, format!("--log {log}: not the log of a run of other: its line 1 holds the event jrf-2019-00001, not xyz-2019-00001 as a run of other gives it (accounts.csv, line 2){expected}other as it is now (run it again after a change)")),
        ("2019", "short.jsonl", format!("--log short.jsonl: not the log of a run of 2019: it ends after 328 events, without the event jrf-2019-00329 a run of 2019 gives next (policy.csv, line 6){expected}2019 as it is now (run it again after a change)")),
        ("2019", "2020-out/events.jsonl", format!("--log 2020-out/events.jsonl: not the log of a run of 2019: its line 330 holds the event jrf-2020-00001, after the 329 events a run of 2019 gives{expected}2019 as it is now (run it again after a change)")),
    ];
    for (from, log, message) in not_of {
        let what = format!("--from {from} --log {log}");
        let stderr = refused(
            &season(
                dir.path(),
                &["--next-year", "2020", "--from", from, "--log", log],
            ),
            &what,
        );
        assert_eq!(stderr, format!("{message}\n{NOTHING_WRITTEN}"), "{what}");
        assert_same_files(&snapshot(dir.path()), &before, &what);
    }

    // A log whose last year is open: the next year waits for its close.
    let policy = dir.join("2019").join("policy.csv");
    let settings = text(&std::fs::read(&policy).unwrap_or_else(|e| panic!("{e}")));
    std::fs::write(
        &policy,
        settings.replacen("\r\n年终结账 close,是,", "\r\n年终结账 close,否,", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    succeeded(
        &season(dir.path(), &["2019", "--out", "open-out"]),
        "season 2019 left open",
    );
    let before = snapshot(dir.path());
    let args = [
        "--next-year",
        "2020",
        "--from",
        "2019",
        "--log",
        "open-out/events.jsonl",
    ];
    let stderr = refused(&season(dir.path(), &args), "an open year");
    assert_eq!(
        stderr,
        format!("cannot make the next year's book folder: the earlier book's last year, 2019, is not closed (it closes no year): the next year opens with the closing balances of the year before, which only a close makes; close 2019 first (年终结账 close 是 yes in its policy.csv), run it again and start the next year from the event log of that run\n{NOTHING_WRITTEN}")
    );
    assert_same_files(&snapshot(dir.path()), &before, "an open year");
}
