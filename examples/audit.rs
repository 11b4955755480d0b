//! Audits books: every rule of `landpool::audit`, recomputed from the events and the entries.
//!
//! `cargo run --release --example audit -- [--allow-empty] PATH …` audits each path:
//!
//! - a file is an event log (the `events.jsonl` a book keeps, or the one the `season` example
//!   writes). It is read with `EventLog::read`, which replays it and checks its chain without
//!   writing to it or locking it (so the log of a book a service is running, or a
//!   write-protected copy, audits like any other), and the book it gives is audited with
//!   `landpool::audit::check`. A torn last line (an append cut short by a crash, or one being
//!   written) is left in the file and noted, and the whole events before it are audited. A log
//!   that does not replay is read line by line instead and audited with
//!   `landpool::audit::check_events`, so that every damaged event is named, not just the first.
//!   The replay's error is printed first (`[replay] …`); the verdict counts each damage once:
//!   the lines that are no events (an empty line among them, but for an empty last line,
//!   which is noted as the append cut short `EventLog::read` takes it for) and the violations
//!   found in the events that are, but for the gap a line that is no event leaves in the
//!   sequence numbers (that line is the damage), and not the replay's error again (at least
//!   one is counted).
//!   Neither reading holds more of a line than `EventLog::MAX_LINE_BYTES` (256 MiB): a longer
//!   line (a binary file, a log whose newlines became carriage returns) is named with its
//!   number and the reading stops there.
//! - a directory is a book folder (`landpool::folder`: CSV files, as `season --init DIR`
//!   writes them): it is read and run, and the book audited.
//!
//! With no arguments it audits the built-in reference cooperative
//! (`landpool::folder::BookFolder::reference`, the Jiaruifeng cooperative of Gaogezhuang,
//! 2019).
//!
//! A log that holds no events (an empty file, or one whose only bytes are a torn last line,
//! such as a file of zeros) fails: `audit: PATH: FAILED: no events to audit; …`. An
//! auditor pointed at the wrong file, or sent an empty one, must not be told that the books
//! pass. `--allow-empty` says an empty log is expected (a cooperative that has recorded
//! nothing yet): it then passes with `0 events, 0 entries`.
//!
//! Every violation is printed on its own line, `[rule] entities: message (amounts)`. The exit
//! status is 0 when every book passes, 1 when anything fails (a violation, a log with no
//! events without `--allow-empty`, or a log or folder that cannot be read), 2 for a usage
//! error.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::ExitCode;

use landpool::audit::{self, Violation};
use landpool::folder::BookFolder;
use landpool::{Book, Error, EventLog, LogError, LoggedEvent};

fn main() -> ExitCode {
    // Paths as the OS gives them: a file name need not be UTF-8 (a GBK name on Linux).
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let allow_empty = args.iter().any(|a| a == ALLOW_EMPTY);
    args.retain(|a| a != ALLOW_EMPTY);
    if let Some(flag) = args.iter().find(|a| a.to_string_lossy().starts_with('-')) {
        eprint!("audit: unknown option {}\n{USAGE}", flag.to_string_lossy());
        return ExitCode::from(2);
    }
    let mut failed = false;
    if args.is_empty() {
        match BookFolder::reference().and_then(|folder| folder.run()) {
            Ok(book) => {
                failed |= report(
                    "the reference cooperative (Jiaruifeng 2019)",
                    &book,
                    &audit::check(&book),
                    allow_empty,
                )
            }
            Err(e) => {
                println!("error: the reference cooperative: {e}");
                failed = true;
            }
        }
    }
    for path in &args {
        let path = Path::new(path);
        failed |= if path.is_dir() {
            audit_folder(path, allow_empty)
        } else {
            audit_log(path, allow_empty)
        };
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The flag that lets a log with no events pass.
const ALLOW_EMPTY: &str = "--allow-empty";

/// What `--help` prints, and a usage error after its message.
const USAGE: &str = "\
usage: audit [--allow-empty] [EVENTS.jsonl | BOOK-FOLDER …]
  no paths: audits the built-in reference cooperative
  exit status: 0 every book passes, 1 anything failed, 2 usage error
  --allow-empty  a log with no events passes (without it, an empty log fails: it is
                 most likely the wrong file)
";

/// Prints what the audit found; true when anything failed. A book with no events fails
/// unless `allow_empty`.
fn report(what: &str, book: &Book, violations: &[Violation], allow_empty: bool) -> bool {
    for violation in violations {
        println!("{violation}");
    }
    if book.events().is_empty() && violations.is_empty() && !allow_empty {
        println!(
            "audit: {what}: FAILED: no events to audit; is it the right file? ({ALLOW_EMPTY} passes a log expected to be empty)"
        );
        return true;
    }
    println!(
        "audit: {what}: {} events, {} entries, {} rules: {}",
        book.events().len(),
        book.journal().len(),
        audit::Rule::ALL.len(),
        counted(violations.len())
    );
    !violations.is_empty()
}

/// "no violations", "1 violation", "2 violations".
fn counted(violations: usize) -> String {
    match violations {
        0 => "no violations".to_string(),
        1 => "1 violation".to_string(),
        n => format!("{n} violations"),
    }
}

/// Reads, runs and audits one book folder; true when anything failed.
fn audit_folder(dir: &Path, allow_empty: bool) -> bool {
    let shown = dir.display().to_string();
    match BookFolder::read(dir).and_then(|folder| folder.run()) {
        Ok(book) => report(&shown, &book, &audit::check(&book), allow_empty),
        Err(e) => {
            for line in e.to_string().lines() {
                println!("[replay] {shown}: {line}");
            }
            println!("audit: {shown}: FAILED");
            true
        }
    }
}

/// Audits one event log; true when anything failed.
fn audit_log(path: &Path, allow_empty: bool) -> bool {
    let shown = path.display().to_string();
    match EventLog::read(path) {
        Ok((book, read)) => {
            if read.torn_bytes > 0 {
                println!(
                    "note: {shown}: a torn last line of {} bytes, left in the file and not audited: {}",
                    read.torn_bytes,
                    read.torn_reason
                        .as_deref()
                        .unwrap_or("an append cut short")
                );
            }
            report(&shown, &book, &audit::check(&book), allow_empty)
        }
        Err(e @ Error::Io { .. }) => {
            println!("error: {e}");
            println!("audit: {shown}: FAILED: the log could not be read");
            true
        }
        Err(e) => {
            // The log does not replay (the error names the file and line): read the lines as
            // they are, and name every event that breaks a rule.
            println!("[replay] {e}");
            let refused = match &e {
                Error::Log(LogError::BadLine { line, reason, .. }) => {
                    Some((*line, reason.as_str()))
                }
                _ => None,
            };
            let (events, found) = audit_lines(path, &shown, refused);
            // The replay's error is one of the damages the line-by-line reading names; if that
            // reading names none, it is the one.
            println!(
                "audit: {shown}: FAILED: {} in {events} events read line by line",
                counted(found.max(1))
            );
            true
        }
    }
}

/// Why a last line without its newline is damage rather than an append cut short, as
/// `EventLog::read` tells them apart: a crash leaves a part of a line, or zeros where it wrote
/// nothing; a whole event followed by other bytes, a whole object that is no event, or a byte
/// order mark is no crash's doing. `None` for an append cut short.
fn damaged_last_line(line: &[u8]) -> Option<String> {
    let zeros = line.iter().rev().take_while(|&&b| b == 0).count();
    let written = line
        .get(..line.len().saturating_sub(zeros))
        .unwrap_or_default();
    if written.starts_with(b"\xEF\xBB\xBF") {
        return Some("the line starts with a byte order mark (bytes EF BB BF)".into());
    }
    let error = serde_json::from_slice::<LoggedEvent>(written).err()?;
    if error.classify() == serde_json::error::Category::Data {
        return Some(error.to_string());
    }
    let mut stream = serde_json::Deserializer::from_slice(written).into_iter::<LoggedEvent>();
    match stream.next() {
        Some(Ok(_)) => Some(format!(
            "a whole event followed by {} more bytes; a newline was damaged",
            written.len().saturating_sub(stream.byte_offset())
        )),
        _ => None,
    }
}

/// Reads a log that does not replay line by line, prints what [`audit::check_events`] finds
/// in the lines that are events, and every line that is not one; returns the events read and
/// the violations printed. A last line without its newline is an append cut short: noted,
/// not counted (but for one [`damaged_last_line`] names, or the one `refused` names: the line
/// and reason of the replay's error, when `EventLog::read` refused that line as damage no
/// crash explains, which are counted). The file is read a line at a time; a line longer
/// than [`EventLog::MAX_LINE_BYTES`] is named and counted, and reading stops there, as
/// `EventLog::read` stops, having held no more of it than that.
fn audit_lines(path: &Path, shown: &str, refused: Option<(u64, &str)>) -> (usize, usize) {
    let mut reader = match std::fs::File::open(path) {
        Ok(file) => BufReader::with_capacity(1 << 20, file),
        Err(e) => {
            println!("error: {shown}: reading it line by line: {e}");
            return (0, 0);
        }
    };
    let mut events: Vec<LoggedEvent> = Vec::new();
    let mut found = 0usize;
    let mut line = Vec::new();
    // The number of events read when each line that is no event was named: the event read
    // next follows a gap in the sequence numbers, which is that line.
    let mut gaps: Vec<usize> = Vec::new();
    let most = u64::try_from(EventLog::MAX_LINE_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    for number in 1usize.. {
        line.clear();
        if let Err(e) = (&mut reader).take(most).read_until(b'\n', &mut line) {
            println!("error: {shown}: reading line {number}: {e}");
            found = found.saturating_add(1);
            break;
        }
        if line.is_empty() {
            break;
        }
        let Some(text) = line.strip_suffix(b"\n") else {
            if line.len() > EventLog::MAX_LINE_BYTES {
                // As `EventLog::read` does, reading stops: what has no newline this far is no
                // event log (and may have no end: a device, a pipe).
                println!(
                    "[event-chain] {shown} line {number}: not an event: the line is longer than {} bytes, the most a line of the log holds; reading stopped there",
                    EventLog::MAX_LINE_BYTES
                );
                found = found.saturating_add(1);
                break;
            }
            // As `EventLog::read` does: a last line without its newline was never
            // acknowledged, whole event or not, unless no crash explains it (a whole event
            // followed by more than zeros, an object that is no event, a byte order mark, or
            // a changed byte, which `EventLog::read` named in the error that brought the
            // audit here).
            if line.iter().all(u8::is_ascii_whitespace) {
                break;
            }
            let named = refused
                .filter(|(refused, _)| usize::try_from(*refused).is_ok_and(|n| n == number))
                .map(|(_, reason)| reason.to_string());
            match damaged_last_line(&line).or(named) {
                Some(reason) => {
                    println!("[event-chain] {shown} line {number}: not an event: {reason}");
                    found = found.saturating_add(1);
                }
                None => println!(
                    "note: {shown}: line {number}, the last, has no newline at its end: an append cut short, not audited"
                ),
            }
            break;
        };
        // As `EventLog::read` does, a line with no event before the last is damage, an
        // empty one included; an empty last line (or one of white space), newline or not,
        // is an append cut short.
        let reason = if text.iter().all(u8::is_ascii_whitespace) {
            let reason = if text.is_empty() {
                "the line is empty"
            } else {
                "the line holds only white space"
            };
            if reader.fill_buf().is_ok_and(<[u8]>::is_empty) {
                println!(
                    "note: {shown}: line {number}, the last, does not read as an event ({reason}): an append cut short, not audited"
                );
                break;
            }
            Err(reason.to_string())
        } else {
            serde_json::from_slice::<LoggedEvent>(text).map_err(|e| e.to_string())
        };
        match reason {
            Ok(event) => events.push(event),
            Err(reason) => {
                println!("[event-chain] {shown} line {number}: not an event: {reason}");
                found = found.saturating_add(1);
                gaps.push(events.len());
            }
        }
    }
    let after_gaps: Vec<String> = gaps
        .iter()
        .filter_map(|at| events.get(*at))
        .map(|next| format!("event {}", next.id))
        .collect();
    let violations: Vec<Violation> = audit::check_events(&events)
        .into_iter()
        .filter(|v| {
            !(v.rule == audit::Rule::EventChain
                && v.message == "the sequence number does not follow the previous event's"
                && v.entities.iter().any(|entity| after_gaps.contains(entity)))
        })
        .collect();
    for violation in &violations {
        println!("{violation}");
    }
    (events.len(), found.saturating_add(violations.len()))
}
