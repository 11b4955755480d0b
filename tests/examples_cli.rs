//! The `dividend`, `audit`, `ledger` and `county` examples as an accountant runs them (and `endtoend` on a log): the built binaries, their
//! exit codes and exactly what they print (the `season` example has its own file,
//! `season_cli.rs`, whose way of building the binaries this follows).
//!
//! Each binary is `target/<profile>/examples/<name>`, built here with
//! `$CARGO build --example <name>` for this test's profile and features, so that these tests
//! never skip and never run a binary older than its source.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use landpool::{report, Book, EventLog};

/// What `dividend` and `audit` exit with for a usage error.
const USAGE_ERROR: i32 = 2;

/// What both exit with when something failed.
const FAILED: i32 = 1;

const DIVIDEND_USAGE: &str = "usage: dividend [SURPLUS]   split SURPLUS in yuan (default 400,000.00; e.g. 1,409.50, ¥1,409.50, -1000) among the built-in members\n";

/// `dividend` with no arguments: DOMAIN.md's worked example, 400,000.00 → reserve 40,000.00,
/// distributable 360,000.00, 252,000.00 by land and 108,000.00 by capital.
const DIVIDEND_DEFAULT: &str = "\
盈余 surplus                 400000.00
提取盈余公积 reserve 10%       40000.00
可分配盈余 distributable      360000.00
按交易量返还 patronage 70%    252000.00  (by land pooled, mu)
剩余盈余 remaining 30%        108000.00  (by capital contributed)

member               mu    patronage    remaining        total  大写
王建国               12.35     59677.85     16615.38     76293.23  柒万陆仟贰佰玖拾叁元贰角叁分
李秀英                8.60     41557.05      8307.69     49864.74  肆万玖仟捌佰陆拾肆元柒角肆分
张德明               15.05     72724.83     24923.08     97647.91  玖万柒仟陆佰肆拾柒元玖角壹分
刘桂兰                6.40     30926.18      4153.85     35080.03  叁万伍仟零捌拾元零叁分
陈志强                9.75     47114.09     12461.54     59575.63  伍万玖仟伍佰柒拾伍元陆角叁分
高格庄村集体             0.00         0.00     41538.46     41538.46  肆万壹仟伍佰叁拾捌元肆角陆分

members' total 360000.00 = distributable 360000.00: true
";

/// `dividend -1000`: a loss year draws and distributes nothing, as the year-end close does.
const DIVIDEND_LOSS: &str = "\
盈余 surplus                  -1000.00
提取盈余公积 reserve 10%           0.00
可分配盈余 distributable           0.00
按交易量返还 patronage 70%         0.00  (by land pooled, mu)
剩余盈余 remaining 30%             0.00  (by capital contributed)
a loss of 1000.00: nothing is drawn or distributed; it stays in 332 未分配盈余 and later surpluses cover it first

member               mu    patronage    remaining        total  大写
王建国               12.35         0.00         0.00         0.00  零元整
李秀英                8.60         0.00         0.00         0.00  零元整
张德明               15.05         0.00         0.00         0.00  零元整
刘桂兰                6.40         0.00         0.00         0.00  零元整
陈志强                9.75         0.00         0.00         0.00  零元整
高格庄村集体             0.00         0.00         0.00         0.00  零元整

members' total 0.00 = distributable 0.00: true
";

fn binary(name: &'static str) -> PathBuf {
    common::example_binary(name)
}

fn run<S: AsRef<OsStr>>(name: &'static str, args: &[S]) -> Output {
    Command::new(binary(name))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running {name}: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts the exit code, stdout and stderr of a run, exactly.
fn assert_run(output: &Output, code: i32, stdout: &str, stderr: &str) {
    assert_eq!(
        (
            output.status.code(),
            text(&output.stdout),
            text(&output.stderr)
        ),
        (Some(code), stdout.to_string(), stderr.to_string())
    );
}

#[test]
fn dividend_splits_the_worked_example() {
    assert_run(&run::<&str>("dividend", &[]), 0, DIVIDEND_DEFAULT, "");
}

#[test]
fn dividend_of_a_loss_draws_and_distributes_nothing() {
    assert_run(&run("dividend", &["-1000"]), 0, DIVIDEND_LOSS, "");
    // After `--`, as `cargo run --example dividend -- -- -1000` passes it on.
    assert_run(&run("dividend", &["--", "-1000"]), 0, DIVIDEND_LOSS, "");
    let zero = DIVIDEND_LOSS
        .replace("盈余 surplus                  -1000.00", "盈余 surplus                      0.00")
        .replace(
            "a loss of 1000.00: nothing is drawn or distributed; it stays in 332 未分配盈余 and later surpluses cover it first",
            "no surplus: nothing is drawn or distributed",
        );
    assert_ne!(zero, DIVIDEND_LOSS);
    assert_run(&run("dividend", &["0"]), 0, &zero, "");
}

#[test]
fn dividend_help_prints_the_usage() {
    for flag in ["--help", "-h"] {
        assert_run(&run("dividend", &[flag]), 0, DIVIDEND_USAGE, "");
    }
}

#[test]
fn dividend_refuses_what_is_not_one_amount_with_the_usage() {
    let cases = [
        (
            &["abc"][..],
            "dividend: cannot read \"abc\" as an amount in yuan: unexpected character; expected digits, an optional ¥ and minus sign, thousands separators and a decimal point\n",
        ),
        (
            &["12.345"][..],
            "dividend: cannot read \"12.345\" as an amount in yuan: more than two decimals (the fen is the smallest unit)\n",
        ),
        (&["--out"][..], "dividend: unknown option --out\n"),
        // After `--` every argument is an amount.
        (
            &["--", "--help"][..],
            "dividend: cannot read \"--help\" as an amount in yuan: more than one sign; expected at most one + or -, as in -3.20 or ¥-3.20\n",
        ),
        (
            &["100", "200"][..],
            "dividend: one surplus at most, but \"200\" follows the first\n",
        ),
    ];
    for (args, message) in cases {
        assert_run(
            &run("dividend", args),
            USAGE_ERROR,
            "",
            &format!("{message}{DIVIDEND_USAGE}"),
        );
    }
}

/// The reference cooperative's book and its event log, written to `dir/events.jsonl`.
fn reference_log(dir: &common::TempDir) -> (Book, PathBuf) {
    let book = landpool::folder::BookFolder::reference()
        .and_then(|folder| folder.run())
        .unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("events.jsonl");
    drop(EventLog::create_from(&path, &book).unwrap_or_else(|e| panic!("{e}")));
    (book, path)
}

/// What `audit` prints for a log of `book` with no violations.
fn clean(path: &Path, book: &Book) -> String {
    format!(
        "audit: {}: {} events, {} entries, {} rules: no violations\n",
        path.display(),
        book.events().len(),
        book.journal().len(),
        landpool::audit::Rule::ALL.len()
    )
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
fn audit_passes_a_sound_log() {
    let dir = common::TempDir::new("sound");
    let (book, path) = reference_log(&dir);
    assert_run(&run("audit", &[&path]), 0, &clean(&path, &book), "");
}

/// The log of a book a service is running is held open by its `EventLog`, which holds the
/// writer's lock: the audit only reads, so it neither needs nor disturbs that lock. (On
/// Windows the lock keeps readers out too.)
#[cfg(unix)]
#[test]
fn audit_passes_a_sound_log_a_writer_holds_open() {
    let dir = common::TempDir::new("held");
    let (book, path) = reference_log(&dir);
    let before = read(&path);
    let (live, _, _) = EventLog::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_run(&run("audit", &[&path]), 0, &clean(&path, &book), "");
    assert_eq!(read(&path), before);
    // The writer's lock is still held.
    assert!(matches!(
        EventLog::open(&path),
        Err(landpool::Error::Log(landpool::LogError::Locked { .. }))
    ));
    drop(live);
}

#[cfg(unix)]
#[test]
fn audit_passes_a_sound_write_protected_log() {
    use std::os::unix::fs::PermissionsExt;
    let dir = common::TempDir::new("read-only");
    let (book, path) = reference_log(&dir);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444))
        .unwrap_or_else(|e| panic!("{e}"));
    let before = read(&path);
    assert_run(&run("audit", &[&path]), 0, &clean(&path, &book), "");
    assert_eq!(read(&path), before);
}

/// A torn last line (an append cut short) is reported and left in the file; the whole events
/// before it are audited.
#[test]
fn audit_notes_a_torn_last_line_and_leaves_it() {
    let dir = common::TempDir::new("torn");
    let (book, path) = reference_log(&dir);
    let mut bytes = read(&path);
    let tail = br#"{"seq":999,"id"#;
    bytes.extend_from_slice(tail);
    write(&path, &bytes);
    let note = format!(
        "note: {0}: a torn last line of {1} bytes, left in the file and not audited: line {2} ({1} bytes) has no newline at its end: an append cut short\n",
        path.display(),
        tail.len(),
        book.events().len() + 1
    );
    assert_run(
        &run("audit", &[&path]),
        0,
        &format!("{note}{}", clean(&path, &book)),
        "",
    );
    assert_eq!(read(&path), bytes, "the audit changed the file");
}

/// A log with no events (an empty file, or one whose only bytes are a torn last line: a file
/// of zeros, say) is no book an auditor can pass: pointed at the wrong file, the audit would
/// otherwise report "no violations" and exit 0. It fails with a message of its own unless
/// `--allow-empty` says an empty log is expected.
#[test]
fn audit_fails_a_log_with_no_events_unless_told_it_may_be_empty() {
    let dir = common::TempDir::new("empty");
    let empty = dir.join("empty.jsonl");
    write(&empty, b"");
    let zeros = dir.join("zeros.jsonl");
    write(&zeros, &[0u8; 100]);
    let failed = |path: &Path| {
        format!(
            "audit: {}: FAILED: no events to audit; is it the right file? (--allow-empty passes a log expected to be empty)\n",
            path.display()
        )
    };
    let torn_note = format!(
        "note: {}: a torn last line of 100 bytes, left in the file and not audited: line 1 (100 bytes) has no newline at its end: an append cut short\n",
        zeros.display()
    );
    assert_run(&run("audit", &[&empty]), FAILED, &failed(&empty), "");
    assert_run(
        &run("audit", &[&zeros]),
        FAILED,
        &format!("{torn_note}{}", failed(&zeros)),
        "",
    );
    let passed = |path: &Path| {
        format!(
            "audit: {}: 0 events, 0 entries, {} rules: no violations\n",
            path.display(),
            landpool::audit::Rule::ALL.len()
        )
    };
    assert_run(
        &run("audit", &[OsStr::new("--allow-empty"), empty.as_os_str()]),
        0,
        &passed(&empty),
        "",
    );
    assert_run(
        &run("audit", &[OsStr::new("--allow-empty"), zeros.as_os_str()]),
        0,
        &format!("{torn_note}{}", passed(&zeros)),
        "",
    );
    // The flag changes nothing for a log with events.
    let (book, path) = reference_log(&dir);
    assert_run(
        &run("audit", &[OsStr::new("--allow-empty"), path.as_os_str()]),
        0,
        &clean(&path, &book),
        "",
    );
    assert_eq!(read(&empty), b"");
    assert_eq!(read(&zeros), [0u8; 100]);
}

#[test]
fn audit_help_names_the_flag() {
    for flag in ["--help", "-h"] {
        assert_run(&run("audit", &[flag]), 0, AUDIT_USAGE, "");
    }
    assert_run(
        &run("audit", &["--allow-emtpy"]),
        USAGE_ERROR,
        "",
        &format!("audit: unknown option --allow-emtpy\n{AUDIT_USAGE}"),
    );
}

const AUDIT_USAGE: &str = "\
usage: audit [--allow-empty] [EVENTS.jsonl | BOOK-FOLDER …]
  no paths: audits the built-in reference cooperative
  exit status: 0 every book passes, 1 anything failed, 2 usage error
  --allow-empty  a log with no events passes (without it, an empty log fails: it is
                 most likely the wrong file)
";

/// A line longer than `EventLog::MAX_LINE_BYTES` (a binary file, line ends that are not
/// newlines) is refused naming its line and the limit, by the replay and by the line-by-line
/// reading, each of which holds no more of it than the limit and stops there (the events
/// before it are audited).
#[test]
fn audit_names_a_line_longer_than_the_limit() {
    let dir = common::TempDir::new("too-long");
    let (_, path) = reference_log(&dir);
    let sound = read(&path);
    let third = sound
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .map(|(at, _)| at + 1)
        .unwrap_or_else(|| panic!("the reference log has more than two lines"));
    let mut bytes = sound[..third].to_vec();
    bytes.resize(third + EventLog::MAX_LINE_BYTES + 1, b'\r');
    bytes.push(b'\n');
    bytes.extend_from_slice(&sound[third..]);
    write(&path, &bytes);
    drop(bytes);
    let shown = path.display();
    let max = EventLog::MAX_LINE_BYTES;
    assert_run(
        &run("audit", &[&path]),
        FAILED,
        &format!(
            "[replay] {shown}: line 3: the line is longer than {max} bytes, the most a line of the log holds: no event log has such a line (is it a binary file, or one whose newlines were changed to other line ends?); reading stopped there\n\
             [event-chain] {shown} line 3: not an event: the line is longer than {max} bytes, the most a line of the log holds; reading stopped there\n\
             audit: {shown}: FAILED: 1 violation in 2 events read line by line\n"
        ),
        "",
    );
}

/// Bytes after the last event that are no start of a line, with a zero among them, are no
/// append a crash cut short: the audit fails the log naming that line, rather than noting a
/// torn tail and passing it.
#[test]
fn audit_names_bytes_that_start_no_line_before_a_zero() {
    let dir = common::TempDir::new("zero-after-garbage");
    let (book, path) = reference_log(&dir);
    let mut bytes = read(&path);
    bytes.extend_from_slice(b"garbage\0more");
    write(&path, &bytes);
    let shown = path.display();
    let events = book.events().len();
    let reason = "column 1: expected value; a crash leaves a part of a line and zeros, never a changed byte, so this is no append cut short";
    assert_run(
        &run("audit", &[&path]),
        FAILED,
        &format!(
            "[replay] {shown}: line {0}: {reason}\n\
             [event-chain] {shown} line {0}: not an event: {reason}\n\
             audit: {shown}: FAILED: 1 violation in {events} events read line by line\n",
            events + 1
        ),
        "",
    );
    assert_eq!(read(&path), bytes);
}

/// A log that does not replay is read line by line, and the verdict counts what was named,
/// each damage once: the replay's error is the first of them, not one more (found by review:
/// an edited event was counted three times, as the replay's error, the broken chain and a
/// log that does not replay).
#[test]
fn audit_fails_a_damaged_log_naming_the_damage() {
    let dir = common::TempDir::new("damaged");
    let (book, path) = reference_log(&dir);
    let sound = text(&read(&path));
    let shown = path.display();
    let events = book.events().len();

    // An empty line between events: the only damage, named with its line.
    let mut lines: Vec<&str> = sound.lines().collect();
    lines.insert(5, "");
    write(&path, format!("{}\n", lines.join("\n")).as_bytes());
    assert_run(
        &run("audit", &[&path]),
        FAILED,
        &format!(
            "[replay] {shown}: line 6: the line is empty\n\
             [event-chain] {shown} line 6: not an event: the line is empty\n\
             audit: {shown}: FAILED: 1 violation in {events} events read line by line\n"
        ),
        "",
    );

    // An edited event: its digest no longer follows, named by the replay and the chain check,
    // and counted once.
    let edited = sound.replacen(r#""name":""#, r#""name":"X"#, 1);
    assert_ne!(edited, sound);
    write(&path, edited.as_bytes());
    let before = read(&path);
    let out = run("audit", &[&path]);
    let stdout = text(&out.stdout);
    let printed: Vec<&str> = stdout.lines().collect();
    assert_eq!(out.status.code(), Some(FAILED), "{stdout}");
    assert!(
        printed
            .first()
            .is_some_and(|l| l.starts_with(&format!("[replay] {shown}: line "))),
        "{stdout}"
    );
    assert_eq!(
        printed
            .iter()
            .filter(|l| l.starts_with("[event-chain] event "))
            .count(),
        1,
        "{stdout}"
    );
    assert_eq!(
        printed.last().copied(),
        Some(
            format!("audit: {shown}: FAILED: 1 violation in {events} events read line by line")
                .as_str()
        ),
        "{stdout}"
    );
    assert_eq!(read(&path), before);
}

/// A line in the middle of a log that is no event (its first byte changed) is named and
/// counted once: not again as the gap it leaves in the sequence numbers (the event after it
/// does not follow the one before it), nor as the digest of the event after it, which
/// chains to the lost one. The events around it are audited as they are.
#[test]
fn audit_counts_a_damaged_line_in_the_middle_once() {
    let dir = common::TempDir::new("damaged-middle");
    let (book, path) = reference_log(&dir);
    let sound = text(&read(&path));
    let shown = path.display();
    let events = book.events().len();
    let mut lines: Vec<String> = sound.lines().map(str::to_string).collect();
    // Line 210: a cost of the year, which no later event needs.
    assert!(
        lines[209].contains(r#""type":"cost_incurred""#),
        "{}",
        lines[209]
    );
    lines[209].replace_range(..1, "x");
    write(&path, format!("{}\n", lines.join("\n")).as_bytes());
    assert_run(
        &run("audit", &[&path]),
        FAILED,
        &format!(
            "[replay] {shown}: line 210: column 1: expected value\n\
             [event-chain] {shown} line 210: not an event: expected value at line 1 column 1\n\
             audit: {shown}: FAILED: 1 violation in {} events read line by line\n",
            events - 1
        ),
        "",
    );
}

/// Found by review: an empty line at the end of a log (the file ends in two newlines) is, to
/// `EventLog::read`, a last line that does not read as an event, an append cut short, no
/// damage; the line-by-line reading of a log damaged elsewhere named and counted it as a
/// line that is no event, one damage more than the log has. It is noted as `EventLog::read`
/// notes it, and not counted.
#[test]
fn audit_line_by_line_does_not_count_an_empty_last_line() {
    let dir = common::TempDir::new("damaged-empty-last");
    let (book, path) = reference_log(&dir);
    let sound = text(&read(&path));
    let shown = path.display();
    let events = book.events().len();
    let lines: Vec<String> = sound.lines().map(str::to_string).collect();
    // The sound log with an empty last line: read as a torn last line, no damage.
    write(&path, format!("{}\n\n", lines.join("\n")).as_bytes());
    let out = run("audit", &[&path]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    // Damaged in the middle as well: one damage, the empty last line noted.
    let mut damaged = lines.clone();
    damaged[209].replace_range(..1, "x");
    write(&path, format!("{}\n\n", damaged.join("\n")).as_bytes());
    assert_run(
        &run("audit", &[&path]),
        FAILED,
        &format!(
            "[replay] {shown}: line 210: column 1: expected value\n\
             [event-chain] {shown} line 210: not an event: expected value at line 1 column 1\n\
             note: {shown}: line {last}, the last, does not read as an event (the line is empty): an append cut short, not audited\n\
             audit: {shown}: FAILED: 1 violation in {} events read line by line\n",
            events - 1,
            last = lines.len() + 1,
        ),
        "",
    );
}

#[test]
fn audit_fails_a_log_it_cannot_read() {
    let dir = common::TempDir::new("missing");
    let path = dir.join("no-such-events.jsonl");
    let out = run("audit", &[&path]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(FAILED), "{stdout}");
    let shown = path.display();
    assert!(
        stdout.starts_with(&format!("error: {shown}: opening: ")),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "\naudit: {shown}: FAILED: the log could not be read\n"
        )),
        "{stdout}"
    );
}

/// A log whose file name is not UTF-8 (a GBK name from a Windows archive, say) is a path like
/// any other on Unix: audit must audit it, not panic with exit status 101.
#[cfg(unix)]
#[test]
fn audit_reads_a_log_whose_name_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = common::TempDir::new("non-utf8-name");
    let (book, sound) = reference_log(&dir);
    // 账本 in GBK.
    let path = dir
        .path()
        .join(OsStr::from_bytes(b"\xd5\xcb\xb1\xbe.jsonl"));
    std::fs::rename(&sound, &path).unwrap_or_else(|e| panic!("{e}"));
    let out = run("audit", &[path.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), clean(&path, &book));
}

/// An argument that is not UTF-8 is not an amount: a usage error (2), not a panic (101).
#[cfg(unix)]
#[test]
fn dividend_refuses_an_argument_that_is_not_text_as_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    let out = run("dividend", &[OsStr::from_bytes(b"\xa3\xa41000")]);
    assert_eq!(
        out.status.code(),
        Some(USAGE_ERROR),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).ends_with(DIVIDEND_USAGE),
        "{}",
        text(&out.stderr)
    );
}

/// The smallest amount dividend accepts is a loss like any other: nothing is drawn or
/// distributed, every member gets 0.00 (its amount has no positive counterpart to print
/// the loss with: the loss is written without its sign).
#[test]
fn dividend_of_the_largest_loss_distributes_nothing() {
    let out = run("dividend", &["--", "-92233720368547758.08"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("a loss of 92233720368547758.08: nothing is drawn or distributed"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("members' total 0.00 = distributable 0.00: true\n"),
        "{stdout}"
    );
}

/// In the line-by-line fallback, a last line without its newline that is no crash's doing
/// (a whole event whose newline became another byte) is named and counted, as
/// `EventLog::read` refuses it, not noted as an append cut short.
#[test]
fn audit_line_by_line_names_a_damaged_last_line_without_its_newline() {
    let dir = common::TempDir::new("fallback-damaged-last");
    let (book, path) = reference_log(&dir);
    let mut bytes = read(&path);
    // The last newline became a `*`.
    if let Some(last) = bytes.last_mut() {
        *last = b'*';
    }
    write(&path, &bytes);
    let out = run("audit", &[&path]);
    let stdout = text(&out.stdout);
    let shown = path.display();
    let events = book.events().len();
    assert_eq!(out.status.code(), Some(FAILED), "{stdout}");
    assert!(!stdout.contains("an append cut short"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "[event-chain] {shown} line {events}: not an event: a whole event followed by 1 more bytes; a newline was damaged\n"
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "1 violation in {} events read line by line\n",
            events - 1
        )),
        "{stdout}"
    );
}

/// `endtoend LOG` only reads the log, so it reads it as `EventLog::read` does: a torn last
/// line is left in the file (a writer's `EventLog::open` cuts it off), and a log a writer
/// holds open (whose lock refuses a second writer) is read all the same.
#[test]
fn endtoend_reads_a_log_without_cutting_or_locking_it() {
    let dir = common::TempDir::new("endtoend-reads");
    let (book, path) = reference_log(&dir);
    let sound = read(&path);
    let mut torn = sound.clone();
    torn.extend_from_slice(b"{\"seq\":");
    write(&path, &torn);
    let out = run("endtoend", &[&path]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.starts_with(&format!(
            "events={} bytes={} ",
            book.events().len(),
            sound.len()
        )),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("a torn last line of 7 bytes, left in the file and not read"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(read(&path), torn, "endtoend changed the log it only reads");
    #[cfg(unix)]
    {
        write(&path, &sound);
        let (writer, _, _) = EventLog::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let out = run("endtoend", &[&path]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        drop(writer);
    }
}

/// `endtoend LOG --leave-events` reads the log with `EventLog::read_leaving_events` and
/// writes the very statements `endtoend LOG` writes, file for file and byte for byte, with
/// the same counts on its line of figures.
#[test]
fn endtoend_leaving_events_writes_the_same_statements() {
    let dir = common::TempDir::new("endtoend-leaving");
    let (book, path) = reference_log(&dir);
    let (kept, lean) = (dir.join("kept"), dir.join("lean"));
    let runs = [
        run(
            "endtoend",
            &[path.as_os_str(), "--out".as_ref(), kept.as_os_str()],
        ),
        run(
            "endtoend",
            &[
                path.as_os_str(),
                "--out".as_ref(),
                lean.as_os_str(),
                "--leave-events".as_ref(),
            ],
        ),
    ];
    // The line's counts, up to the timings.
    let counts: Vec<String> = runs
        .iter()
        .map(|out| {
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
            let stdout = text(&out.stdout);
            stdout
                .split(" open_ms=")
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(counts[0], counts[1]);
    assert!(
        counts[0].starts_with(&format!("events={} ", book.events().len())),
        "{}",
        counts[0]
    );
    let files = |folder: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(folder)
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|entry| entry.unwrap_or_else(|e| panic!("{e}")).file_name())
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|name| (name.clone(), read(&folder.join(&name))))
            .collect::<Vec<_>>()
    };
    let written = files(&kept);
    assert!(written.len() > 5, "{} files", written.len());
    assert!(files(&lean) == written, "the statements differ");
}

/// A whole last event without its newline whose digest has a changed digit is damage no
/// crash explains (a crash leaves a part of the line, never a changed byte): `EventLog::read`
/// refuses it, and the line-by-line fallback names and counts it, not noting it as an append
/// cut short and leaving it unaudited.
#[test]
fn audit_names_a_changed_byte_in_a_last_line_without_its_newline() {
    let dir = common::TempDir::new("changed-last");
    let (book, path) = reference_log(&dir);
    let mut bytes = read(&path);
    bytes.pop(); // the last newline
    let digit = bytes.len() - 10; // a digit of the last event's digest
    bytes[digit] = if bytes[digit] == b'0' { b'1' } else { b'0' };
    write(&path, &bytes);
    let out = run("audit", &[&path]);
    let stdout = text(&out.stdout);
    let shown = path.display();
    let events = book.events().len();
    assert_eq!(out.status.code(), Some(FAILED), "{stdout}");
    assert!(!stdout.contains("an append cut short"), "{stdout}");
    assert!(
        stdout.starts_with(&format!(
            "[replay] {shown}: line {events}: the last line holds event {}",
            events - 1
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "[event-chain] {shown} line {events}: not an event: the last line holds event {}",
            events - 1
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "1 violation in {} events read line by line\n",
            events - 1
        )),
        "{stdout}"
    );
}

/// In the line-by-line fallback, a last line without its newline is "an append cut short,
/// noted, not counted" (audit_lines' doc, and what EventLog::read does), even when its bytes
/// happen to be a whole event.
#[test]
fn audit_line_by_line_leaves_an_unfinished_last_line_as_eventlog_read_does() {
    let dir = common::TempDir::new("fallback-torn");
    let (book, path) = reference_log(&dir);
    let sound = text(&read(&path));
    let mut lines: Vec<&str> = sound.lines().collect();
    lines.insert(5, ""); // damage: the log no longer replays
    write(&path, lines.join("\n").as_bytes()); // and no newline after the last event
    let out = run("audit", &[&path]);
    let stdout = text(&out.stdout);
    let shown = path.display();
    let events = book.events().len();
    assert_eq!(out.status.code(), Some(FAILED), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "note: {shown}: line {}, the last, has no newline at its end",
            events + 1
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "1 violation in {} events read line by line\n",
            events - 1
        )),
        "{stdout}"
    );
}

const GENERATE_USAGE: &str = "usage: generate [--scale cooperative|town|county] [--households N] [--work-records N] [--seed S] [--out FILE] [--folder DIR]\n";

/// Runs `generate ARGS` in `cwd` (where its default `synthetic-book.jsonl` would go).
fn generate<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Output {
    Command::new(binary("generate"))
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running generate: {e}"))
}

/// Found by review: `generate --households abc` printed `Error: ParseIntError { kind:
/// InvalidDigit }` (Rust's debug form, naming neither the option nor the value) and every
/// other refusal its debug form too (`Error: "unknown argument \"--bogus\"; try --help"`).
/// A usage error names the option and what was found, with the usage, and exits 2 (as
/// `audit` and `dividend` do); nothing is written.
#[test]
fn generate_refuses_a_bad_argument_naming_it() {
    let dir = common::TempDir::new("generate-usage");
    let cases: [(&[&str], &str); 6] = [
        (
            &["--households", "abc"],
            "generate: --households needs a whole number, found \"abc\"",
        ),
        (
            &["--work-records", "-1"],
            "generate: --work-records needs a whole number, found \"-1\"",
        ),
        (
            &["--seed", "99999999999999999999999"],
            "generate: --seed needs a whole number, found \"99999999999999999999999\"",
        ),
        (&["--seed"], "generate: --seed needs a value"),
        (
            &["--scale", "city"],
            "generate: unknown scale \"city\": cooperative, town or county",
        ),
        (&["--bogus"], "generate: unknown argument \"--bogus\""),
    ];
    for (args, message) in cases {
        let output = generate(dir.path(), args);
        assert_run(
            &output,
            USAGE_ERROR,
            "",
            &format!("{message}\n{GENERATE_USAGE}"),
        );
        assert!(
            std::fs::read_dir(dir.path())
                .unwrap_or_else(|e| panic!("{e}"))
                .next()
                .is_none(),
            "{args:?} wrote a file"
        );
    }
}

/// Found by review: a failure to write was printed in its debug form (`Error: Io { path:
/// "x/policy.csv", operation: …, kind: AlreadyExists, … }`, or `Error: Os { code: 21, … }`
/// without the path for an `--out` that is a folder). It is printed as the library's message,
/// naming the file, and exits 1.
#[test]
fn generate_reports_a_failed_write_naming_the_file() {
    let dir = common::TempDir::new("generate-write");
    let output = generate(dir.path(), &["--out", "."]);
    assert_eq!(
        output.status.code(),
        Some(FAILED),
        "{}",
        text(&output.stderr)
    );
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("generate: .: "), "{stderr}");
    assert!(!stderr.contains("Os {"), "{stderr}");

    let folder = dir.join("book");
    std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(folder.join("policy.csv"), b"mine\r\n").unwrap_or_else(|e| panic!("{e}"));
    let output = generate(dir.path(), &["--folder", "book"]);
    assert_eq!(
        output.status.code(),
        Some(FAILED),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        text(&output.stderr),
        format!(
            "generate: {}: writing the book folder: the file is already there; choose an empty folder\n",
            Path::new("book").join("policy.csv").display()
        )
    );
}

/// Found by review: `generate --out FILE` removed an earlier FILE before writing the new log,
/// so a write that failed left neither. The new log is written beside it and renamed over it.
#[test]
fn generate_replaces_an_earlier_log_only_once_the_new_one_is_written() {
    let dir = common::TempDir::new("generate-replace");
    std::fs::write(dir.join("book.jsonl"), b"earlier\n").unwrap_or_else(|e| panic!("{e}"));
    // The temporary name is taken by a folder that cannot be removed as a file.
    std::fs::create_dir_all(dir.join("book.jsonl.part").join("x"))
        .unwrap_or_else(|e| panic!("{e}"));
    let small = ["--households", "2", "--out", "book.jsonl"];
    let output = generate(dir.path(), &small);
    assert_eq!(
        output.status.code(),
        Some(FAILED),
        "{}",
        text(&output.stderr)
    );
    assert!(
        text(&output.stderr)
            .starts_with("generate: book.jsonl.part: removing an unfinished output: "),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(read(&dir.join("book.jsonl")), b"earlier\n".to_vec());
    std::fs::remove_dir_all(dir.join("book.jsonl.part")).unwrap_or_else(|e| panic!("{e}"));
    let output = generate(dir.path(), &small);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let log = read(&dir.join("book.jsonl"));
    assert!(log.starts_with(b"{"), "{}", String::from_utf8_lossy(&log));
    assert!(!dir.join("book.jsonl.part").exists());
}

/// Found by review: `generate` read its arguments with `std::env::args`, which panics on one
/// that is not UTF-8 (a GBK file name on Linux). Paths are taken as the OS gives them.
#[cfg(unix)]
#[test]
fn generate_writes_to_a_path_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = common::TempDir::new("generate-gbk");
    // "账本.jsonl" in GBK.
    let name = OsStr::from_bytes(b"\xd5\xcb\xb1\xbe.jsonl");
    let output = generate(dir.path(), &[OsStr::new("--out"), name]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(dir.path().join(name).is_file());
}

/// Found by review: `synthetic::events` makes at least two households, but `generate
/// --households 0` (or 1) printed "for 0 households" over a book of two. The count printed
/// is that of the households in the book.
#[test]
fn generate_prints_the_households_the_book_has() {
    let dir = common::TempDir::new("generate-households");
    for asked in ["0", "1", "3"] {
        let output = generate(dir.path(), &["--households", asked, "--out", "book.jsonl"]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let made = if asked == "3" { 3 } else { 2 };
        let (book, _) = EventLog::read(dir.join("book.jsonl")).unwrap_or_else(|e| panic!("{e}"));
        let households = book
            .members()
            .filter(|m| matches!(m.kind, landpool::MemberKind::Household { .. }))
            .count();
        assert_eq!(households, made, "--households {asked}");
        let stdout = text(&output.stdout);
        assert!(
            stdout.contains(&format!(" events for {made} households (")),
            "--households {asked}: {stdout}"
        );
    }
}

/// The `| events | …` row `endtoend --sizes` printed for its one size: the event count.
fn growth_events(out: &Output) -> usize {
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let row = stdout.lines().last().unwrap_or_default();
    row.trim_start_matches('|')
        .split('|')
        .next()
        .and_then(|events| events.trim().parse().ok())
        .unwrap_or_else(|| panic!("no event count in {stdout:?}"))
}

/// `endtoend --sizes N --payments` writes the same synthetic year with, before its close,
/// each household's rent and each member's year's wages paid, an event each
/// (`synthetic::payments`): the log of 300 events' size (30 households, each working) has 60
/// events more, every household's rent and labour payable are settled at the year's end, and
/// the book read from the file (the payments' lines read without serde) is the book serde
/// reads from the same lines.
#[test]
fn endtoend_payments_pay_each_households_rent_and_wages_before_the_close() {
    let dir = common::TempDir::new("endtoend-payments");
    let (plain, paid) = (dir.join("plain"), dir.join("paid"));
    let sized = |folder: &Path, payments: bool| {
        let mut args = vec![
            "--sizes".as_ref(),
            "300".as_ref(),
            "--dir".as_ref(),
            folder.as_os_str(),
        ];
        if payments {
            args.push("--payments".as_ref());
        }
        growth_events(&run::<&OsStr>("endtoend", &args))
    };
    let (without, with) = (sized(&plain, false), sized(&paid, true));
    assert_eq!(with, without + 60);
    let log = paid.join("book-300.jsonl");
    let (book, read) = EventLog::read(&log).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((read.events, book.events().len()), (with as u64, with));
    let kinds = |wanted: fn(&landpool::Event) -> bool| {
        book.events()
            .iter()
            .filter(|logged| wanted(&logged.event))
            .count()
    };
    assert_eq!(
        kinds(|event| matches!(event, landpool::Event::RentPaid { .. })),
        30
    );
    assert_eq!(
        kinds(|event| matches!(event, landpool::Event::WagesPaid { .. })),
        30
    );
    let year_end = time::macros::date!(2019 - 12 - 31);
    let households: Vec<_> = book
        .members()
        .filter(|member| matches!(member.kind, landpool::MemberKind::Household { .. }))
        .map(|member| member.id.clone())
        .collect();
    assert_eq!(households.len(), 30);
    for member in &households {
        let account = book
            .member_account(member, year_end)
            .unwrap_or_else(|e| panic!("{member}: {e}"));
        assert_eq!(account.labour_payable, landpool::Yuan::ZERO, "{member}");
        assert_eq!(account.current, landpool::Yuan::ZERO, "{member}");
    }
    let by_serde: Vec<landpool::LoggedEvent> = read_text(&log)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let replayed = Book::replay(by_serde).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(replayed.events(), book.events());
    assert_eq!(replayed.journal(), book.journal());
    assert_eq!(replayed.digest(), book.digest());
}

fn read_text(path: &Path) -> String {
    String::from_utf8(read(path)).unwrap_or_else(|e| panic!("{e}"))
}

const LEDGER_USAGE: &str = "usage: ledger [PATH (CODE | --general | --journal | --vouchers | --trial-balance | --balance-sheet) [PERIOD]]   the ledger (明细账) of account CODE, with --general the general ledger (总账), with --journal the journal listing (序时账), with --vouchers its vouchers (记账凭证, HTML), with --trial-balance the trial balance (科目余额表), or with --balance-sheet the balance sheet (资产负债表) on its last day, in PERIOD, a year (2019) or a month (2019-03) (default: the year of the latest entry) of the book at PATH (an events.jsonl or a book folder; none: 102 of the built-in reference cooperative), as CSV on standard output\n";

/// `ledger LOG 114.H01`: household H01's current account in the reference cooperative's
/// year (the year of the log's latest entry), its rent paid in advance on 1 March and
/// credited at the year's accrual, as CSV with the month totals and years to date.
#[test]
fn ledger_writes_an_accounts_postings_with_their_running_balance() {
    let dir = common::TempDir::new("ledger");
    let (_, path) = reference_log(&dir);
    let expected = "\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目 Account,借方 Debit,贷方 Credit,借或贷 Dr/Cr,余额 Balance\r\n\
        2019-01-01,,期初余额 Opening balance,114.H01,,,平,0.00\r\n\
        2019-03-01,jrf-2019-00176,支付土地流转费 rent paid to H01,114.H01,8350.00,,借,8350.00\r\n\
        2019-03-31,,本月合计 Month total,114.H01,8350.00,0.00,借,8350.00\r\n\
        2019-03-31,,本年累计 Year to date,114.H01,8350.00,0.00,借,8350.00\r\n\
        2019-12-31,jrf-2019-00297:LZ01,土地流转费 rent LZ01 2019-01-01~2019-12-31,114.H01,,8350.00,平,0.00\r\n\
        2019-12-31,,本月合计 Month total,114.H01,0.00,8350.00,平,0.00\r\n\
        2019-12-31,,本年累计 Year to date,114.H01,8350.00,8350.00,平,0.00\r\n\
        2019-12-31,,期末余额 Closing balance,114.H01,8350.00,8350.00,平,0.00\r\n";
    let path_arg = path.as_os_str();
    assert_run(
        &run("ledger", &[path_arg, OsStr::new("114.H01")]),
        0,
        expected,
        "",
    );
    assert_run(
        &run(
            "ledger",
            &[path_arg, OsStr::new("114.H01"), OsStr::new("2019")],
        ),
        0,
        expected,
        "",
    );
    // A month: March, with the rent paid; the year to date counts the months before it.
    assert_run(
        &run("ledger", &[path_arg, OsStr::new("114.H01"), OsStr::new("2019-03")]),
        0,
        "\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目 Account,借方 Debit,贷方 Credit,借或贷 Dr/Cr,余额 Balance\r\n\
         2019-03-01,,期初余额 Opening balance,114.H01,,,平,0.00\r\n\
         2019-03-01,jrf-2019-00176,支付土地流转费 rent paid to H01,114.H01,8350.00,,借,8350.00\r\n\
         2019-03-31,,本月合计 Month total,114.H01,8350.00,0.00,借,8350.00\r\n\
         2019-03-31,,本年累计 Year to date,114.H01,8350.00,0.00,借,8350.00\r\n\
         2019-03-31,,期末余额 Closing balance,114.H01,8350.00,0.00,借,8350.00\r\n",
        "",
    );
    // A year with no entries: the opening and closing balances alone.
    assert_run(
        &run("ledger", &[path_arg, OsStr::new("114.H01"), OsStr::new("2020")]),
        0,
        "\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目 Account,借方 Debit,贷方 Credit,借或贷 Dr/Cr,余额 Balance\r\n\
         2020-01-01,,期初余额 Opening balance,114.H01,,,平,0.00\r\n\
         2020-12-31,,期末余额 Closing balance,114.H01,0.00,0.00,平,0.00\r\n",
        "",
    );
}

/// `ledger` with no arguments: the reference cooperative's bank account (102) in 2019,
/// from the loan drawn on its first day to its closing balance, the balance sheet's.
#[test]
fn ledger_without_arguments_writes_the_reference_cooperatives_bank_account() {
    let output = run::<&str>("ledger", &[]);
    assert_eq!(
        (output.status.code(), text(&output.stderr)),
        (Some(0), String::new())
    );
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with(
        "\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目 Account,借方 Debit,贷方 Credit,借或贷 Dr/Cr,余额 Balance\r\n\
         2019-01-01,,期初余额 Opening balance,102,,,平,0.00\r\n\
         2019-01-01,jrf-2019-00116,借款 loan L2019-01 drawn,102,500000.00,,借,500000.00\r\n"
    ));
    assert!(stdout.ends_with(
        "\r\n2019-12-31,,本年累计 Year to date,102,5640875.00,3546800.00,借,2094075.00\r\n\
         2019-12-31,,期末余额 Closing balance,102,5640875.00,3546800.00,借,2094075.00\r\n"
    ));
    let book = landpool::folder::BookFolder::reference()
        .and_then(|folder| folder.run())
        .unwrap_or_else(|e| panic!("{e}"));
    let bank = landpool::ledger::AccountCode::new("102").unwrap_or_else(|e| panic!("{e}"));
    let closing = book
        .journal()
        .balance(&bank, time::macros::date!(2019 - 12 - 31))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(closing.to_string(), "2094075.00");
}

/// `ledger LOG --journal`: the reference cooperative's journal listing (序时账) of its year,
/// every posting in date order with its account's names, and the year's totals; the same
/// text as `report::journal_listing` of the book, and as the season's `journal.csv`; an
/// empty year has the header and a total of nothing.
#[test]
fn ledger_writes_the_journal_listing_of_a_year() {
    let dir = common::TempDir::new("ledger-journal");
    let (book, path) = reference_log(&dir);
    let path_arg = path.as_os_str();
    let output = run("ledger", &[path_arg, OsStr::new("--journal")]);
    assert_eq!(
        (output.status.code(), text(&output.stderr)),
        (Some(0), String::new())
    );
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with(
        "\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目编码 Code,科目名称,Account,借方 Debit,贷方 Credit\r\n\
         2019-01-01,jrf-2019-00116,借款 loan L2019-01 drawn,102,银行存款,Bank deposits,500000.00,\r\n"
    ));
    assert!(stdout.contains(
        "\r\n2019-03-01,jrf-2019-00176,支付土地流转费 rent paid to H01,114.H01,成员往来—高建国,member current account — H01,8350.00,\r\n"
    ));
    assert!(stdout.ends_with("\r\n2019-12-31,,合计 Total,,,,21452600.00,21452600.00\r\n"));
    let listing = report::journal_listing(
        &book,
        time::macros::date!(2019 - 01 - 01),
        time::macros::date!(2019 - 12 - 31),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stdout, listing.to_csv());
    assert_eq!(stdout.matches("\r\n").count(), listing.postings() + 2);
    let folder = landpool::folder::BookFolder::reference().unwrap_or_else(|e| panic!("{e}"));
    let outputs =
        landpool::folder::outputs(&book, folder.settings()).unwrap_or_else(|e| panic!("{e}"));
    let file = outputs.iter().find(|file| file.name == "journal.csv");
    assert_eq!(
        file.map(|file| file.bytes.as_slice()),
        Some(stdout.as_bytes())
    );
    // The season's vouchers (记账凭证) are the same entries, one to a page.
    let vouchers = outputs
        .iter()
        .find(|file| file.name == "vouchers.html")
        .map(|file| String::from_utf8_lossy(&file.bytes).into_owned())
        .unwrap_or_default();
    assert_eq!(
        vouchers,
        listing.vouchers_html(&folder.settings().cooperative)
    );
    assert_eq!(
        vouchers.matches("<section class=\"voucher\">").count(),
        book.journal().len()
    );
    assert!(vouchers.contains(
        "<tr><td>支付土地流转费 rent paid to H01</td><td>114 成员往来</td>\
         <td>114.H01 成员往来—高建国</td><td class=\"amount\">8350.00</td><td class=\"amount\"></td></tr>\n"
    ));
    // A month's listing: its entries alone, with the month's totals.
    let march = run(
        "ledger",
        &[path_arg, OsStr::new("--journal"), OsStr::new("2019-03")],
    );
    let march_listing = report::journal_listing(
        &book,
        time::macros::date!(2019 - 03 - 01),
        time::macros::date!(2019 - 03 - 31),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_run(&march, 0, &march_listing.to_csv(), "");
    assert!(march_listing
        .entries()
        .all(|entry| entry.date.month() == time::Month::March));
    assert!(text(&march.stdout)
        .contains("\r\n2019-03-01,jrf-2019-00176,支付土地流转费 rent paid to H01,"));
    assert!(text(&march.stdout).ends_with(&format!(
        "\r\n2019-03-31,,合计 Total,,,,{0},{0}\r\n",
        march_listing.debits()
    )));
    assert_run(
        &run(
            "ledger",
            &[path_arg, OsStr::new("--journal"), OsStr::new("2020")],
        ),
        0,
        "\u{feff}日期 Date,凭证号 Entry,摘要 Memo,科目编码 Code,科目名称,Account,借方 Debit,贷方 Credit\r\n\
         2020-12-31,,合计 Total,,,,0.00,0.00\r\n",
        "",
    );
}

/// `ledger LOG --general`: the reference year's general ledger (总账), the library's and the
/// season's `general_ledger.csv`; and December's, which opens at the end of November.
#[test]
fn ledger_writes_the_general_ledger_of_a_year_and_of_a_month() {
    let dir = common::TempDir::new("ledger-general");
    let (book, path) = reference_log(&dir);
    let path_arg = path.as_os_str();
    let output = run("ledger", &[path_arg, OsStr::new("--general")]);
    assert_eq!(
        (output.status.code(), text(&output.stderr)),
        (Some(0), String::new())
    );
    let stdout = text(&output.stdout);
    assert!(stdout.starts_with(
        "\u{feff}科目编码 Code,科目名称,Account,日期 Date,摘要 Memo,借方 Debit,贷方 Credit,借或贷 Dr/Cr,余额 Balance\r\n\
         102,银行存款,Bank deposits,2019-01-01,期初余额 Opening balance,,,平,0.00\r\n"
    ));
    assert!(stdout.contains(
        "\r\n102,银行存款,Bank deposits,2019-12-31,期末余额 Closing balance,5640875.00,3546800.00,借,2094075.00\r\n"
    ));
    assert!(stdout.ends_with("\r\n,,,2019-12-31,合计 Total,21452600.00,21452600.00,,\r\n"));
    let (from, to) = (
        time::macros::date!(2019 - 01 - 01),
        time::macros::date!(2019 - 12 - 31),
    );
    let ledger = report::general_ledger(&book, from, to).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stdout, ledger.to_csv());
    let folder = landpool::folder::BookFolder::reference().unwrap_or_else(|e| panic!("{e}"));
    let outputs =
        landpool::folder::outputs(&book, folder.settings()).unwrap_or_else(|e| panic!("{e}"));
    let file = outputs
        .iter()
        .find(|file| file.name == "general_ledger.csv");
    assert_eq!(
        file.map(|file| file.bytes.as_slice()),
        Some(stdout.as_bytes())
    );
    // December alone: the bank opens at its balance of 30 November, and its year to date
    // still counts from January.
    let december = run(
        "ledger",
        &[path_arg, OsStr::new("--general"), OsStr::new("2019-12")],
    );
    assert_eq!(
        (december.status.code(), text(&december.stderr)),
        (Some(0), String::new())
    );
    let december = text(&december.stdout);
    let bank: Vec<&str> = december
        .lines()
        .filter(|row| row.starts_with("102,"))
        .collect();
    assert_eq!(
        bank,
        [
            "102,银行存款,Bank deposits,2019-12-01,期初余额 Opening balance,,,借,3348000.00",
            "102,银行存款,Bank deposits,2019-12-31,本月合计 Month total,10875.00,1264800.00,借,2094075.00",
            "102,银行存款,Bank deposits,2019-12-31,本年累计 Year to date,5640875.00,3546800.00,借,2094075.00",
            "102,银行存款,Bank deposits,2019-12-31,期末余额 Closing balance,10875.00,1264800.00,借,2094075.00",
        ]
    );
}

/// `ledger LOG --trial-balance` and `--balance-sheet`: a month's trial balance (科目余额表)
/// and the balance sheet (资产负债表) at a month's end, with the year's opening balances, as
/// the library makes them; for the year, the season's `trial_balance.csv` and
/// `balance_sheet.csv`.
#[test]
fn ledger_writes_a_months_trial_balance_and_balance_sheet() {
    let dir = common::TempDir::new("ledger-month");
    let (book, path) = reference_log(&dir);
    let path_arg = path.as_os_str();
    let stdout = |args: &[&str]| {
        let mut all = vec![path_arg];
        all.extend(args.iter().map(OsStr::new));
        let output = run("ledger", &all);
        assert_eq!(
            (output.status.code(), text(&output.stderr)),
            (Some(0), String::new()),
            "{args:?}"
        );
        text(&output.stdout)
    };
    let (march, march_end, june_end) = (
        time::macros::date!(2019 - 03 - 01),
        time::macros::date!(2019 - 03 - 31),
        time::macros::date!(2019 - 06 - 30),
    );
    let trial = stdout(&["--trial-balance", "2019-03"]);
    assert!(
        trial.contains("\r\n102,银行存款,Bank deposits,1,-50000.00,0.00,464000.00,-514000.00\r\n")
    );
    assert!(trial.ends_with("\r\n合计 Total,,,,0.00,755900.00,755900.00,0.00\r\n"));
    assert_eq!(
        Some(trial),
        report::trial_balance_csv_between(&book, march, march_end).ok()
    );
    let sheet = stdout(&["--balance-sheet", "2019-06"]);
    assert!(sheet.starts_with(
        "\u{feff}行次 Line,项目,Item,期末余额 Closing,年初余额 Opening\r\n\
         1,货币资金,Cash and deposits,-652000.00,0.00\r\n"
    ));
    assert!(sheet.contains("\r\n22,资产总计,Total assets,1228000.00,0.00\r\n"));
    assert!(sheet.contains("\r\n40,未分配盈余,Undistributed surplus,-984000.00,0.00\r\n"));
    assert_eq!(
        Some(sheet),
        report::balance_sheet_at(&book, june_end)
            .ok()
            .map(|sheet| sheet.to_csv())
    );
    // The year's: the season's files.
    let folder = landpool::folder::BookFolder::reference().unwrap_or_else(|e| panic!("{e}"));
    let outputs =
        landpool::folder::statements(&book, folder.settings()).unwrap_or_else(|e| panic!("{e}"));
    let file = |name: &str| {
        outputs
            .iter()
            .find(|file| file.name == name)
            .map(|file| String::from_utf8_lossy(&file.bytes).into_owned())
    };
    assert_eq!(
        Some(stdout(&["--trial-balance"])),
        file("trial_balance.csv")
    );
    assert_eq!(
        Some(stdout(&["--balance-sheet", "2019"])),
        file("balance_sheet.csv")
    );
}

/// `ledger FOLDER --vouchers`: the year's vouchers (记账凭证) headed with the folder's
/// cooperative, the season's `vouchers.html`; from a log, which does not hold the name, a
/// month's vouchers with the name left to fill in.
#[test]
fn ledger_writes_the_vouchers_of_a_folder_and_of_a_log() {
    let dir = common::TempDir::new("ledger-vouchers");
    let folder = landpool::folder::BookFolder::reference().unwrap_or_else(|e| panic!("{e}"));
    let folder_dir = dir.join("book");
    folder.write(&folder_dir).unwrap_or_else(|e| panic!("{e}"));
    let output = run(
        "ledger",
        &[folder_dir.as_os_str(), OsStr::new("--vouchers")],
    );
    assert_eq!(
        (output.status.code(), text(&output.stderr)),
        (Some(0), String::new())
    );
    let html = text(&output.stdout);
    let book = folder.run().unwrap_or_else(|e| panic!("{e}"));
    let outputs =
        landpool::folder::outputs(&book, folder.settings()).unwrap_or_else(|e| panic!("{e}"));
    let season = outputs.iter().find(|file| file.name == "vouchers.html");
    assert_eq!(
        season.map(|file| file.bytes.as_slice()),
        Some(html.as_bytes())
    );
    let unit = format!(
        "<span>核算单位 Unit: {}</span>",
        folder.settings().cooperative
    );
    assert_eq!(html.matches(&unit).count(), book.journal().len());
    // From the log: March's vouchers, the cooperative's name a line to fill in.
    let (_, path) = reference_log(&dir);
    let march = run(
        "ledger",
        &[
            path.as_os_str(),
            OsStr::new("--vouchers"),
            OsStr::new("2019-03"),
        ],
    );
    let listing = report::journal_listing(
        &book,
        time::macros::date!(2019 - 03 - 01),
        time::macros::date!(2019 - 03 - 31),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_run(&march, 0, &listing.vouchers_html("____________"), "");
    let sections = text(&march.stdout)
        .matches("<section class=\"voucher\">\n<h1>记账凭证</h1>\n<div class=\"meta\"><span>核算单位 Unit: ____________</span><span>2019年03月")
        .count();
    assert_eq!(sections, listing.entries().count());
    assert!(sections > 0);
}

/// An account the book's chart does not have fails naming it; a missing argument or a year
/// that is no number is a usage error.
#[test]
fn ledger_refuses_an_unknown_account_and_bad_arguments() {
    let dir = common::TempDir::new("ledger-refused");
    let (_, path) = reference_log(&dir);
    let path_arg = path.as_os_str();
    assert_run(
        &run("ledger", &[path_arg, OsStr::new("114.X9")]),
        FAILED,
        "",
        &format!(
            "ledger: {}: account 114.X9 is not in the chart of accounts (an unknown standard code or an unopened sub-account)\n",
            path.display()
        ),
    );
    assert_run(&run("ledger", &[path_arg]), USAGE_ERROR, "", LEDGER_USAGE);
    assert_run(
        &run(
            "ledger",
            &[path_arg, OsStr::new("114"), OsStr::new("twenty")],
        ),
        USAGE_ERROR,
        "",
        &format!(
            "ledger: the period twenty is not a year (2019) or a month (2019-03)\n{LEDGER_USAGE}"
        ),
    );
    for period in [
        "2019-13",
        "2019-3",
        "2019-+3",
        "19",
        "2019-03-01",
        "-2019",
        "+2019",
    ] {
        assert_run(
            &run("ledger", &[path_arg, OsStr::new("114"), OsStr::new(period)]),
            USAGE_ERROR,
            "",
            &format!(
                "ledger: the period {period} is not a year (2019) or a month (2019-03)\n{LEDGER_USAGE}"
            ),
        );
    }
    assert_run(&run::<&str>("ledger", &["--help"]), 0, LEDGER_USAGE, "");
}

const COUNTY_USAGE: &str = "usage: county [--out DIR] [--year YEAR] [PATH...]   the summary (汇总) balance sheet, surplus statement and members' equity statement of YEAR (default: the first PATH's year) of the cooperatives whose books are at PATH... (each a book folder or an events.jsonl; none: the reference cooperative and three synthetic ones), and the list of the cooperatives, written into DIR (default county-out) as CSV (and summary.xlsx)\n";

/// `county` on two cooperatives, the reference one as a book folder and as its event log:
/// the summary statements are the library's summaries of the two books' statements, and
/// the list names each cooperative with its figures and totals them to the summary's. A
/// book that cannot be read is named, and nothing is written.
#[test]
fn county_sums_the_cooperatives_statements_and_lists_them() {
    let dir = common::TempDir::new("county");
    let (book, log) = reference_log(&dir);
    let folder = dir.join("reference");
    landpool::folder::BookFolder::reference()
        .and_then(|f| f.write(&folder))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("summary");
    let output = run(
        "county",
        &[
            OsStr::new("--out"),
            out.as_os_str(),
            folder.as_os_str(),
            log.as_os_str(),
        ],
    );
    assert_run(
        &output,
        0,
        &format!(
            "the summary of 2 cooperatives' 2019 statements is written to {}\n",
            out.display()
        ),
        "",
    );
    let file = |name: &str| String::from_utf8_lossy(&read(&out.join(name))).into_owned();
    let ok = |result: landpool::Result<String>| result.unwrap_or_else(|e| panic!("{e}"));
    let sheet = ok(report::balance_sheet(&book, 2019)
        .and_then(|s| report::summary_balance_sheet(&[s.clone(), s]))
        .map(|s| s.to_csv()));
    assert!(sheet.contains("\r\n22,资产总计,Total assets,7255550.00,0.00\r\n"));
    assert_eq!(file("balance_sheet.csv"), sheet);
    let surplus = ok(report::surplus_statement(&book, 2019)
        .and_then(|s| report::summary_surplus_statement(&[s.clone(), s]))
        .map(|s| s.to_csv()));
    assert_eq!(file("surplus_distribution.csv"), surplus);
    let equity = ok(report::member_equity(&book, 2019)
        .and_then(|s| report::summary_member_equity(&[s.clone(), s]))
        .map(|s| s.to_csv()));
    assert_eq!(file("member_equity.csv"), equity);
    assert_eq!(
        file("cooperatives.csv"),
        format!(
            "\u{feff}序号 No.,合作社 Cooperative,账簿 Book,年末成员数 Members,资产总计 Total assets,负债合计 Total liabilities,所有者权益合计 Owners' equity,经营收入 Operating income,本年盈余 Surplus,农户数 Households,人口 Persons,农户收入 Households' income,人均收入 Income per person\r\n\
             1,莱西市嘉瑞丰果蔬专业合作社,{},29,3627775.00,2300172.50,1327602.50,4000000.00,1976025.00,28,75,3110590.36,41474.54\r\n\
             2,events.jsonl,{},29,3627775.00,2300172.50,1327602.50,4000000.00,1976025.00,28,75,3110590.36,41474.54\r\n\
             ,合计 Total,,58,7255550.00,4600345.00,2655205.00,8000000.00,3952050.00,56,150,6221180.72,41474.54\r\n",
            folder.display(),
            log.display()
        )
    );
    assert_eq!(out.join("summary.xlsx").is_file(), cfg!(feature = "xlsx"));

    // A year given: 2020's opening column is 2019's closing one.
    let later = dir.join("later");
    let output = run(
        "county",
        &[
            OsStr::new("--year"),
            OsStr::new("2020"),
            OsStr::new("--out"),
            later.as_os_str(),
            log.as_os_str(),
        ],
    );
    assert_eq!(
        (output.status.code(), text(&output.stderr)),
        (Some(0), String::new())
    );
    let later_sheet = String::from_utf8_lossy(&read(&later.join("balance_sheet.csv"))).into_owned();
    assert!(later_sheet.contains("\r\n22,资产总计,Total assets,3627775.00,3627775.00\r\n"));

    // A book that is not there: named, and nothing written.
    let missing = dir.join("missing.jsonl");
    let none = dir.join("none");
    let output = run(
        "county",
        &[
            OsStr::new("--out"),
            none.as_os_str(),
            log.as_os_str(),
            missing.as_os_str(),
        ],
    );
    assert_eq!(output.status.code(), Some(FAILED));
    assert_eq!(
        text(&output.stderr),
        format!(
            "county: {}: opening: No such file or directory (os error 2)\n",
            missing.display()
        )
    );
    assert!(!none.exists());
    // A folder's problems, which do not name the folder: named by it.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap_or_else(|e| panic!("{e}"));
    let output = run(
        "county",
        &[
            OsStr::new("--out"),
            none.as_os_str(),
            log.as_os_str(),
            empty.as_os_str(),
        ],
    );
    assert_eq!(output.status.code(), Some(FAILED));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(&format!(
            "county: {}: 2 problems in the book folder:\npolicy.csv: the file is missing",
            empty.display()
        )),
        "{stderr}"
    );
    assert!(!none.exists());

    // Usage errors.
    for (args, problem) in [
        (vec![OsStr::new("--out")], "--out needs a folder"),
        (
            vec![
                OsStr::new("--year"),
                OsStr::new("19"),
                OsStr::new("--out"),
                none.as_os_str(),
                log.as_os_str(),
            ],
            "the year 19 is not a year such as 2019",
        ),
        (
            vec![
                OsStr::new("--out"),
                none.as_os_str(),
                OsStr::new("--out"),
                none.as_os_str(),
                log.as_os_str(),
            ],
            "--out is given twice",
        ),
        (
            vec![OsStr::new("--outt"), none.as_os_str()],
            "unknown option --outt",
        ),
    ] {
        let output = run("county", &args);
        assert_run(
            &output,
            USAGE_ERROR,
            "",
            &format!("county: {problem}\n{COUNTY_USAGE}"),
        );
    }
    assert_run(&run("county", &["--help"]), 0, COUNTY_USAGE, "");
}

/// `county` with no arguments, as CI runs it: the reference cooperative and three synthetic
/// ones (seeds 1, 2 and 3, each its own book) summed into `county-out/`, each named in the
/// list with its figures, totalled to the summary.
#[test]
fn county_without_arguments_sums_the_reference_and_three_synthetic_cooperatives() {
    let dir = common::TempDir::new("county-demo");
    let output = Command::new(binary("county"))
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("running county: {e}"));
    assert_run(
        &output,
        0,
        "the summary of 4 cooperatives' 2019 statements is written to county-out\n",
        "",
    );
    let list =
        String::from_utf8_lossy(&read(&dir.join("county-out/cooperatives.csv"))).into_owned();
    let rows = common::csv_rows(&list);
    let names: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|row| {
            let cell = |i: usize| row.get(i).map_or("", String::as_str);
            (cell(1), cell(2), cell(4))
        })
        .collect();
    assert_eq!(names.len(), 6, "{list}");
    assert_eq!(
        names[1],
        (
            "莱西市嘉瑞丰果蔬专业合作社",
            "BookFolder::reference()",
            "3627775.00"
        )
    );
    assert_eq!(names[2].0, "合成合作社 synthetic 1");
    assert_eq!(names[4].1, "synthetic::events(Scale::cooperative(), 3)");
    // Seeds 2 and 3 are two books, not one twice.
    assert_ne!(names[3].2, names[4].2);
    let sheet =
        String::from_utf8_lossy(&read(&dir.join("county-out/balance_sheet.csv"))).into_owned();
    let total_assets = names[5].2;
    assert!(
        sheet.contains(&format!(
            "\r\n22,资产总计,Total assets,{total_assets},0.00\r\n"
        )),
        "{sheet}"
    );
    let sum: i64 = names[1..5]
        .iter()
        .map(|(_, _, assets)| common::yuan(assets).fen())
        .sum();
    assert_eq!(common::yuan(total_assets).fen(), sum);
}
