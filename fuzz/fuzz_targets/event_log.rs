//! `EventLog::open` on arbitrary file contents: Ok or Err, never a panic or a hang.
//!
//! Two modes, chosen by the first byte: even, the bytes are the file as they are (the hash
//! chain is then rarely right, so this mostly reaches the line reader); odd, every line that
//! reads as a logged event gets its digest recomputed (`LoggedEvent::recompute_digest`), so
//! that mutated events reach `Book::replay` and the book's rules. A log that opens must
//! reopen to the same book with nothing more cut, and the book must pass the audit.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use landpool::ledger::Digest;
use landpool::{EventLog, LoggedEvent};
use libfuzzer_sys::fuzz_target;

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let shm = PathBuf::from("/dev/shm");
        let dir = if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        };
        dir.join(format!(
            "landpool-fuzz-event-log-{}.jsonl",
            std::process::id()
        ))
    })
}

/// Recomputes the chain over every line that reads as a logged event.
fn rechain(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut previous = Digest::ZERO;
    for piece in bytes.split_inclusive(|&b| b == b'\n') {
        let (text, newline) = match piece.strip_suffix(b"\n") {
            Some(text) => (text, true),
            None => (piece, false),
        };
        let fixed = serde_json::from_slice::<LoggedEvent>(text)
            .ok()
            .and_then(|mut logged| {
                logged.digest = logged.recompute_digest(&previous).ok()?;
                previous = logged.digest;
                serde_json::to_vec(&logged).ok()
            });
        out.extend_from_slice(fixed.as_deref().unwrap_or(text));
        if newline {
            out.push(b'\n');
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 1 {
        rechain(rest)
    } else {
        rest.to_vec()
    };
    let path = path();
    std::fs::write(path, &bytes).unwrap();
    if let Ok((log, book, opened)) = EventLog::open(path) {
        assert!(opened.bytes <= bytes.len() as u64);
        assert_eq!(opened.bytes + opened.dropped_bytes, bytes.len() as u64);
        assert_eq!(opened.events, book.events().len() as u64);
        assert_eq!(log.next_seq(), opened.events);
        drop(log);
        let violations = landpool::audit::check(&book);
        assert!(
            violations.is_empty(),
            "audit of an opened log: {violations:?}"
        );
        let (_log, again, reopened) = EventLog::open(path).expect("a log that opened reopens");
        assert_eq!(reopened.dropped_bytes, 0);
        assert_eq!(reopened.bytes, opened.bytes);
        assert_eq!(again.digest(), book.digest());
    }
    // libFuzzer ends its process without running destructors, so the file goes after each
    // input (a crash leaves it, with the input that made it, for a look).
    let _ = std::fs::remove_file(path);
});
