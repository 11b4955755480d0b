//! Audits books: every rule of `landpool::audit`, recomputed from the events and the entries.
//!
//! `cargo run --release --example audit -- PATH …` audits each path:
//!
//! - a file is an event log (the `events.jsonl` a book keeps, or the one the `season` example
//!   writes). It is opened with `EventLog::open`, which replays it and checks its chain, and
//!   the book it gives is audited with `landpool::audit::check`. A log that does not open is
//!   read line by line instead and audited with `landpool::audit::check_events`, so that
//!   every damaged event is named, not just the first. (Opening a log locks it, and cuts off a
//!   torn last line as a crash leaves it; the example says so when it does.)
//! - a directory is a book folder (`landpool::folder`: CSV files, as `season --init DIR`
//!   writes them): it is read and run, and the book audited.
//!
//! With no arguments it audits the built-in reference cooperative
//! (`landpool::folder::BookFolder::reference`, the Jiaruifeng cooperative of Gaogezhuang,
//! 2019).
//!
//! Every violation is printed on its own line, `[rule] entities: message (amounts)`. The exit
//! status is 0 when every book passes, 1 when anything fails (a violation, or a log or folder
//! that cannot be read), 2 for a usage error.

use std::path::Path;
use std::process::ExitCode;

use landpool::audit::{self, Violation};
use landpool::folder::BookFolder;
use landpool::{Book, EventLog, LoggedEvent};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: audit [EVENTS.jsonl | BOOK-FOLDER …]   (no arguments: the built-in reference cooperative)"
        );
        return ExitCode::SUCCESS;
    }
    if let Some(flag) = args.iter().find(|a| a.starts_with('-')) {
        eprintln!("audit: unknown option {flag}; usage: audit [EVENTS.jsonl | BOOK-FOLDER …]");
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
            audit_folder(path)
        } else {
            audit_log(path)
        };
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints what the audit found; true when anything failed.
fn report(what: &str, book: &Book, violations: &[Violation]) -> bool {
    for violation in violations {
        println!("{violation}");
    }
    println!(
        "audit: {what}: {} events, {} entries, {} rules: {}",
        book.events().len(),
        book.journal().len(),
        audit::Rule::ALL.len(),
        if violations.is_empty() {
            "no violations".to_string()
        } else {
            format!("{} violations", violations.len())
        }
    );
    !violations.is_empty()
}

/// Reads, runs and audits one book folder; true when anything failed.
fn audit_folder(dir: &Path) -> bool {
    let shown = dir.display().to_string();
    match BookFolder::read(dir).and_then(|folder| folder.run()) {
        Ok(book) => report(&shown, &book, &audit::check(&book)),
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
fn audit_log(path: &Path) -> bool {
    let shown = path.display().to_string();
    match EventLog::open(path) {
        Ok((log, book, opened)) => {
            if opened.dropped_bytes > 0 {
                println!(
                    "note: {shown}: cut off a torn last line of {} bytes ({})",
                    opened.dropped_bytes,
                    opened
                        .dropped_reason
                        .as_deref()
                        .unwrap_or("an append cut short")
                );
            }
            drop(log);
            report(&shown, &book, &audit::check(&book))
        }
        Err(e) => {
            println!("[replay] {shown}: {e}");
            // Read the lines as they are, and name every event that breaks a rule.
            match std::fs::read(path) {
                Ok(bytes) => {
                    let mut events = Vec::new();
                    for (number, line) in bytes.split(|b| *b == b'\n').enumerate() {
                        if line.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        match serde_json::from_slice::<LoggedEvent>(line) {
                            Ok(event) => events.push(event),
                            Err(e) => println!(
                                "[event-chain] {shown} line {}: not an event: {e}",
                                number.saturating_add(1)
                            ),
                        }
                    }
                    for violation in audit::check_events(&events) {
                        println!("{violation}");
                    }
                }
                Err(e) => println!("error: {shown}: {e}"),
            }
            println!("audit: {shown}: FAILED");
            true
        }
    }
}
