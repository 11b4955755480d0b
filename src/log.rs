//! [`EventLog`]: a book's events in a file, one JSON line per event, each append on disk
//! before it returns.
//!
//! # The file
//!
//! JSON Lines in UTF-8: line *n* (from 1) is the compact serde_json form of the
//! [`LoggedEvent`] with sequence number *n − 1*, including its chain digest, followed by
//! `'\n'`. The file is only ever appended to, except that opening it cuts off a torn last line
//! (below). Anything that reads JSON Lines can read it; [`Book::replay`] checks it, and
//! [`EventLog::read`] replays it without writing to it or locking it (for an audit, or a
//! report on the log of a book a service is running).
//!
//! # Why each rule
//!
//! - *Apply, then write, then fsync.* [`Book::apply`] is the one place that validates an event,
//!   so the log asks the book first and writes only what the book took. The line is then
//!   written in one `write_all` and made durable with `File::sync_data` before
//!   [`EventLog::append`] returns, so an event the caller was told about survives a crash.
//! - *A failed write poisons the log.* After the book took an event, a failed write or fsync
//!   leaves the book ahead of the file, and after a failed fsync nobody can say what the file
//!   holds. The log cuts the file back as far as it can, refuses every later append, and tells
//!   the caller to drop the book and reopen ([`LogError::AppendFailed`]). Event ids make the
//!   retry safe: the reopened book either has the event ([`Applied::AlreadyApplied`]) or not.
//! - *Only the last line may be torn.* Every acknowledged append was fsynced, so a crash can
//!   only damage the one append that was not acknowledged, and only by leaving the first part
//!   of its line, with zeros where it wrote nothing: the bytes after the last `'\n'`, or a
//!   last line cut short (JSON that ends early, or the start of a line and then zeros). Opening cuts those off and
//!   says how many bytes went ([`Opened`]). A bad line anywhere else, and a last line (with
//!   its newline or without) that a crash does not explain, is damage: whole JSON that is not
//!   an event (a changed letter, an event kind this version does not know), a whole event
//!   followed by anything but zeros (a damaged newline), or a line with a changed byte (one
//!   that does not read as the start of a line, or whose event is whole but whose bytes, to
//!   its digest chained to the event before and the closing `"}`, are not the ones the log
//!   writes for it). It is an error naming the line, and nothing is cut: the event may have
//!   been acknowledged.
//! - *One form of line.* The log writes each event with no whitespace around it and ends it
//!   with a bare `'\n'`. A line with a byte order mark, a carriage return (Windows line ends:
//!   an editor saved the file) or other whitespace around its event is refused naming the
//!   line, by [`EventLog::open`] and [`EventLog::read`] alike, rather than read: an append
//!   after it would leave a file of two kinds of line end.
//! - *Lines of bounded length.* No line holds more than [`EventLog::MAX_LINE_BYTES`] bytes:
//!   an append or [`EventLog::create_from`] refuses an event whose line would be longer
//!   ([`LogError::EventTooLarge`]), and reading refuses a longer line ([`LogError::BadLine`]
//!   naming it and the limit) once it has read that much of it, so a file that is no log (a
//!   binary file, a log whose newlines became carriage returns) is never read whole into
//!   memory.
//! - *One writer.* An exclusive OS advisory lock (`File::try_lock`: `flock` on Unix,
//!   `LockFileEx` on Windows) is taken on opening and held until the [`EventLog`] is dropped.
//!   On Unix the lock belongs to the open file, so a child process forked while a log is
//!   open shares it until the child execs or exits: a process that spawns children and
//!   reopens a log it just dropped may briefly be told the log is locked, and should retry.

use crate::error::io_error;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::book::event::line;
use crate::ledger::Digest;
use crate::{Applied, Book, Error, Event, EventId, LoggedEvent, Result};

/// What an [`EventLog`] refused, or what it found wrong in a log file.
///
/// Wrapped in [`crate::Error::Log`]. Failures of the file system itself (a missing file, a
/// full disk while opening) are [`crate::Error::Io`].
///
/// # Example
///
/// ```
/// use landpool::{Error, LogError};
///
/// let err = Error::from(LogError::SequenceMismatch { expected: 3, next: 5 });
/// assert_eq!(
///     err.to_string(),
///     "the caller expected to append event 3 but the log is at event 5; read the book again and decide anew"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// The caller's idea of the next sequence number is out of date: another append came
    /// first. Nothing was written.
    #[error("the caller expected to append event {expected} but the log is at event {next}; read the book again and decide anew")]
    SequenceMismatch {
        /// The sequence number the caller gave.
        expected: u64,
        /// The sequence number the next event will get.
        next: u64,
    },

    /// A line of the log file that is not a valid next event. Nothing was cut from the file.
    #[error("{path}: line {line}: {reason}")]
    BadLine {
        /// The file.
        path: String,
        /// The line, from 1.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },

    /// Another [`EventLog`], in this process or another, has the file open for writing.
    #[error(
        "{path}: another writer has the log open; only one EventLog may write a log at a time"
    )]
    Locked {
        /// The file.
        path: String,
    },

    /// [`EventLog::create`] was given a file that already holds something.
    #[error("{path}: the file exists and holds {bytes} bytes; open it with EventLog::open or choose a new path")]
    Exists {
        /// The file.
        path: String,
        /// Its length.
        bytes: u64,
    },

    /// [`EventLog::append`] was given a book that is not the one the log holds (another
    /// book, or one changed with [`Book::apply`] behind the log's back). Nothing was written.
    #[error("{path}: the book given has {book_events} events ending in digest {book_digest}, but the log has {log_events} ending in {log_digest}; append with the book EventLog::open returned")]
    BookMismatch {
        /// The file.
        path: String,
        /// Events in the log.
        log_events: u64,
        /// The log's last digest.
        log_digest: Digest,
        /// Events in the book given.
        book_events: u64,
        /// The book's last digest.
        book_digest: Digest,
    },

    /// The book took the event but writing or syncing it failed. The book now holds an event
    /// the file may not; the log refuses further appends ([`LogError::NeedsReopen`]).
    ///
    /// Drop the book and the log, reopen the log with [`EventLog::open`] and retry with the
    /// same event id: the event may or may not have reached the disk, and the retry says which
    /// ([`Applied::AlreadyApplied`] if it had).
    #[error("{path}: appending event {seq} failed ({operation}: {message}); the book in memory holds the event but the file may not: drop the book and this log, reopen the log and retry with the same event id")]
    AppendFailed {
        /// The file.
        path: String,
        /// The sequence number of the event the book took.
        seq: u64,
        /// What was being done: `encoding`, `sizing`, `writing`, `syncing`.
        operation: &'static str,
        /// The kind of the I/O error.
        kind: io::ErrorKind,
        /// What the operating system (or the encoder) said.
        message: String,
    },

    /// The file is no longer as this log left it: someone else wrote to it, cut it, or
    /// replaced or removed it at its path since the log opened it (the writer's lock is only
    /// advisory). Nothing was written and the book is as it was; an append now would land
    /// over someone else's bytes, after a gap, or in a file nobody will read again.
    ///
    /// Drop the book and the log and reopen the log with [`EventLog::open`], which checks
    /// what the file holds now.
    #[error("{path}: the file was changed behind this log since it was opened ({reason}); nothing was written: drop the book and this log and reopen the log")]
    FileChanged {
        /// The file.
        path: String,
        /// What changed: the length expected and found, or the file at the path.
        reason: String,
    },

    /// An event whose line would be longer than [`EventLog::MAX_LINE_BYTES`], which no
    /// reader of the log would take. Nothing was written, and the book is as it was.
    #[error("{path}: event {seq} ({id}) would be a line of more than {max} bytes, the most a line of the log holds; nothing was written: record it in smaller parts (a timesheet by the week or by team)")]
    EventTooLarge {
        /// The file.
        path: String,
        /// The sequence number the event would have had.
        seq: u64,
        /// Its id.
        id: String,
        /// [`EventLog::MAX_LINE_BYTES`].
        max: u64,
    },

    /// An earlier append failed ([`LogError::AppendFailed`]), so this log no longer knows
    /// what its file holds.
    #[error("{path}: an earlier append failed, so this log no longer knows what the file holds; drop it and the book and reopen the log")]
    NeedsReopen {
        /// The file.
        path: String,
    },

    /// The book left its events in its log ([`Book::leave_events`]), and what was asked
    /// needs the events themselves; nothing was written.
    #[error("the book holds the ids and digests of its {events} events, not the events (it left them in its log); {needed} needs the events themselves: read the log with EventLog::read")]
    EventsLeft {
        /// How many events the book has taken ([`Book::event_count`]).
        events: u64,
        /// What needed them, such as `"EventLog::create_from"`.
        needed: &'static str,
    },
}

/// What [`EventLog::open`] found.
///
/// # Example
///
/// ```
/// use landpool::EventLog;
///
/// let path = std::env::temp_dir().join(format!("landpool-opened-{}.jsonl", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// std::fs::write(&path, "{\"seq\":0,\"id")?; // an append cut short by a crash
/// let (_log, book, opened) = EventLog::open(&path)?;
/// assert!(book.events().is_empty());
/// assert_eq!((opened.events, opened.bytes, opened.dropped_bytes), (0, 0, 12));
/// assert!(opened.dropped_reason.is_some());
/// # drop(_log);
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Opened {
    /// Events read and replayed.
    pub events: u64,
    /// Bytes of whole events kept: the file's length after opening.
    pub bytes: u64,
    /// Bytes cut off the end: a torn last line; zero after a clean shutdown.
    pub dropped_bytes: u64,
    /// Why they were cut off; `None` when nothing was.
    pub dropped_reason: Option<String>,
}

/// What [`EventLog::read`] found: the whole events it replayed, and a torn last line it left
/// in the file.
///
/// # Example
///
/// ```
/// use landpool::EventLog;
///
/// let path = std::env::temp_dir().join(format!("landpool-logread-{}.jsonl", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// std::fs::write(&path, "{\"seq\":0,\"id")?; // an append cut short, or one still being written
/// let (book, read) = EventLog::read(&path)?;
/// assert!(book.events().is_empty());
/// assert_eq!((read.events, read.bytes, read.torn_bytes), (0, 0, 12));
/// assert!(read.torn_reason.is_some());
/// assert_eq!(std::fs::read(&path)?, b"{\"seq\":0,\"id"); // left as it was
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogRead {
    /// Events read and replayed.
    pub events: u64,
    /// Bytes of whole events: the lines replayed.
    pub bytes: u64,
    /// Bytes after the whole events: a torn last line (an append cut short by a crash, or
    /// one a writer is making as the log is read), left in the file; zero when there is none.
    pub torn_bytes: u64,
    /// Why those bytes are not an event; `None` when there are none.
    pub torn_reason: Option<String>,
}

/// A book's event log in a file: JSON Lines, one [`LoggedEvent`] per line, appended and
/// fsynced event by event.
///
/// [`EventLog::open`] replays the file into a [`Book`]; [`EventLog::append`] applies an event
/// to that book and, if the book takes it, writes it to the file and syncs it before
/// returning. One `EventLog` at a time may have a file open: it holds an exclusive advisory
/// lock until dropped.
///
/// If an append fails after the book took the event (a full disk, a failed fsync), the error
/// is [`LogError::AppendFailed`] and the log refuses every later append: drop the book and the
/// log and reopen. See the [`append`](EventLog::append) documentation.
///
/// # Example
///
/// ```
/// use landpool::{Applied, Book, Event, EventLog, GrainUnit};
/// use time::macros::date;
///
/// let path = std::env::temp_dir().join(format!("landpool-eventlog-{}.jsonl", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let mut log = EventLog::create(&path)?;
/// let mut book = Book::new();
/// let price = Event::GrainPriceRecorded {
///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
///     price: rust_decimal_macros::dec!(1.15),
/// };
/// let applied = log.append(&mut book, 0, "p1".parse()?, price)?;
/// assert!(matches!(applied, Applied::Recorded { seq: 0, .. }));
/// drop(log);
///
/// let (_log, reopened, opened) = EventLog::open(&path)?;
/// assert_eq!(reopened, book);
/// assert_eq!((opened.events, opened.dropped_bytes), (1, 0));
/// # drop(_log);
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EventLog {
    /// The file, open for reading and writing and locked.
    file: File,
    /// Where it is, for messages.
    path: PathBuf,
    /// Events in the file.
    events: u64,
    /// The digest of the file's last event.
    head: Digest,
    /// The file's length: the end of its last whole event.
    len: u64,
    /// Set when an append failed after the book took its event.
    broken: bool,
    /// The file's identity (device and inode) and its path made absolute when it was opened,
    /// to learn before each append whether the path still names it (Unix only).
    identity: Option<(u64, u64, PathBuf)>,
    /// The longest line it writes: [`EventLog::MAX_LINE_BYTES`] (less in tests).
    max_line: usize,
}

impl EventLog {
    /// The most bytes one line of a log may hold, before its newline: 256 MiB.
    ///
    /// [`EventLog::open`] and [`EventLog::read`] read no more than this (and one byte) of a
    /// line before refusing it ([`LogError::BadLine`] naming the line and this limit), so
    /// that a file that is no log (a binary file, or a log whose newlines an editor changed
    /// to carriage returns) is refused early rather than read whole into memory.
    /// The largest events are timesheets: a work record takes about 150 bytes, so a month's
    /// timesheet of the synthetic county scale (833,333 records) is a line of about 125 MB,
    /// half the limit.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::EventLog;
    ///
    /// assert_eq!(EventLog::MAX_LINE_BYTES, 256 * 1024 * 1024);
    /// ```
    pub const MAX_LINE_BYTES: usize = 256 << 20;

    /// Creates a new, empty log at `path` (or takes an existing empty file) and locks it.
    /// Pair it with [`Book::new`].
    ///
    /// On Unix the directory is synced too, so that the new file's name survives a crash.
    ///
    /// # Errors
    ///
    /// [`LogError::Exists`] if the file holds anything; [`LogError::Locked`] if another
    /// writer has it open; [`crate::Error::Io`] if it cannot be created, locked or synced.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Error, EventLog, LogError};
    ///
    /// let path = std::env::temp_dir().join(format!("landpool-create-{}.jsonl", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let log = EventLog::create(&path)?;
    /// assert_eq!(log.next_seq(), 0);
    /// drop(log);
    /// std::fs::write(&path, "not a log\n")?;
    /// assert!(matches!(EventLog::create(&path), Err(Error::Log(LogError::Exists { bytes: 10, .. }))));
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(path: impl AsRef<Path>) -> Result<EventLog> {
        let path = path.as_ref();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| io_error(path, "creating", &e))?;
        lock(&file, path)?;
        let bytes = file
            .metadata()
            .map_err(|e| io_error(path, "reading the length", &e))?
            .len();
        if bytes > 0 {
            return Err(LogError::Exists {
                path: shown(path),
                bytes,
            }
            .into());
        }
        sync_parent(path)?;
        let identity = identity(&file, path);
        Ok(EventLog {
            file,
            path: path.to_path_buf(),
            events: 0,
            head: Digest::ZERO,
            len: 0,
            broken: false,
            identity,
            max_line: EventLog::MAX_LINE_BYTES,
        })
    }

    /// Creates a new log at `path` (or takes an existing empty file) holding every event of
    /// `book`, written in one pass and synced once, and locks it: the log of a book built in
    /// memory (from a book folder, by a migration, by [`crate::synthetic`]), ready for
    /// [`EventLog::append`] with that book.
    ///
    /// # Errors
    ///
    /// [`LogError::EventsLeft`] for a book that left its events in its log
    /// ([`Book::leave_events`]), before anything is created;
    /// as [`EventLog::create`]; [`crate::Error::Json`] if an event cannot be encoded;
    /// [`LogError::EventTooLarge`] if an event's line would be longer than
    /// [`EventLog::MAX_LINE_BYTES`]; [`crate::Error::Io`] if the file cannot be written or
    /// synced. After any of these the file is cut back to empty (best effort).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Book, Event, EventLog, GrainUnit};
    /// use time::macros::date;
    ///
    /// let path = std::env::temp_dir().join(format!("landpool-create-from-{}.jsonl", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut book = Book::new();
    /// book.apply("p1".parse()?, Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// })?;
    /// let log = EventLog::create_from(&path, &book)?;
    /// assert_eq!(log.next_seq(), 1);
    /// drop(log);
    /// let (_log, reopened, opened) = EventLog::open(&path)?;
    /// assert_eq!((reopened, opened.events), (book, 1));
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create_from(path: impl AsRef<Path>, book: &Book) -> Result<EventLog> {
        let path = path.as_ref();
        if !book.keeps_events() {
            return Err(LogError::EventsLeft {
                events: book.event_count(),
                needed: "EventLog::create_from",
            }
            .into());
        }
        let mut log = EventLog::create(path)?;
        let written = write_events(&log.file, path, book.events(), log.max_line);
        let synced = written.and_then(|bytes| {
            log.file
                .sync_all()
                .map_err(|e| io_error(path, "syncing", &e))
                .map(|()| bytes)
        });
        match synced {
            Ok(bytes) => {
                log.len = bytes;
                log.events = book.event_count();
                log.head = book.digest();
                Ok(log)
            }
            Err(error) => {
                // Best effort: leave an empty log rather than a part of one.
                let _ = log.file.set_len(0).and_then(|()| log.file.sync_all());
                Err(error)
            }
        }
    }

    /// Opens the log at `path`, locks it, and replays it into a [`Book`] with
    /// [`Book::replay`], which checks every sequence number and digest.
    ///
    /// A second thread reads ahead: it parses the lines and computes each event's chain
    /// digest while the calling thread applies the events in order, so that opening a large
    /// log takes about the time of applying it. Memory holds the book and at most a few
    /// megabytes of lines read ahead, or a few lines when they are longer than a megabyte
    /// (a large timesheet), each of at most [`EventLog::MAX_LINE_BYTES`].
    ///
    /// A torn last line (bytes after the last `'\n'`, or a last line of JSON cut short: the
    /// first part of the line an append writes, with zeros where the crash wrote nothing) is
    /// what a crash during an append leaves; it is cut off the file, which is synced, and
    /// [`Opened`] says how many bytes went and why. A last line, with its newline or
    /// without, that holds a whole event followed by other bytes (but for the zeros a crash
    /// leaves) is not: it is two lines whose newline was damaged, and is an error like any
    /// other bad line. Nor is a last line with a changed byte (JSON broken before its end, or
    /// a whole event whose digest does not chain or whose closing bytes differ from the
    /// log's), nor a last line of whole JSON that is not an event
    /// (an event kind a newer version wrote, a changed letter), or a line that starts with a
    /// byte order mark or ends with a carriage return (an editor saved the file, with Windows
    /// line ends): it is refused, not cut, and nothing is ever appended after it.
    ///
    /// # Errors
    ///
    /// [`LogError::BadLine`] naming the first line that does not read as an event or does not
    /// replay (a broken chain, a wrong sequence number, an event the book refuses), or is
    /// longer than [`EventLog::MAX_LINE_BYTES`], except a torn last line; nothing is cut from
    /// the file then. [`LogError::Locked`] if another
    /// writer has the file open; [`crate::Error::Io`] if it cannot be opened, locked, read,
    /// cut or synced.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Error, EventLog, LogError};
    ///
    /// let path = std::env::temp_dir().join(format!("landpool-open-{}.jsonl", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// std::fs::write(&path, "")?;
    /// let (log, book, opened) = EventLog::open(&path)?;
    /// assert!(book.events().is_empty());
    /// assert_eq!(opened.events, 0);
    /// // A second writer is refused while the first holds the log.
    /// assert!(matches!(EventLog::open(&path), Err(Error::Log(LogError::Locked { .. }))));
    /// drop(log);
    /// assert!(EventLog::open(&path).is_ok());
    ///
    /// std::fs::write(&path, "{}\n{}\n")?;
    /// assert!(matches!(EventLog::open(&path), Err(Error::Log(LogError::BadLine { line: 1, .. }))));
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<(EventLog, Book, Opened)> {
        EventLog::open_keeping(path.as_ref(), Keep::Events)
    }

    /// [`EventLog::open`], but the book leaves its events in the log
    /// ([`Book::leave_events`]): it holds each event's id and digest, not the event, so a
    /// large book takes much less memory (the book of a synthetic million-event log: about a
    /// quarter less, 1.08 GB instead of 1.55 GB; it opens no faster). The book takes [`EventLog::append`] as any other; what
    /// needs the events themselves (the audit, [`EventLog::create_from`], the folder's
    /// `events.jsonl`) reads the log again with [`EventLog::read`].
    ///
    /// # Errors
    ///
    /// As [`EventLog::open`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Applied, Book, Event, EventLog, GrainUnit};
    /// use time::macros::date;
    ///
    /// let path = std::env::temp_dir().join(format!("landpool-open-leaving-{}.jsonl", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let price = |day| Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: day,
    ///     price: rust_decimal_macros::dec!(1.15),
    /// };
    /// let mut log = EventLog::create(&path)?;
    /// let mut book = Book::new();
    /// log.append(&mut book, 0, "p1".parse()?, price(date!(2019 - 01 - 01)))?;
    /// drop(log);
    ///
    /// let (mut log, mut lean, opened) = EventLog::open_leaving_events(&path)?;
    /// assert_eq!((opened.events, lean.event_count(), lean.events().len()), (1, 1, 0));
    /// assert_eq!(lean, book);
    /// // Appending works as with any book, and the event is in the file.
    /// assert!(matches!(log.append(&mut lean, 1, "p2".parse()?, price(date!(2019 - 01 - 02)))?, Applied::Recorded { seq: 1, .. }));
    /// drop(log);
    /// let (read, _) = EventLog::read(&path)?;
    /// assert_eq!(read.events().len(), 2);
    /// assert_eq!(read, lean);
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_leaving_events(path: impl AsRef<Path>) -> Result<(EventLog, Book, Opened)> {
        EventLog::open_keeping(path.as_ref(), Keep::IdsAndDigests)
    }

    /// [`EventLog::open`], the book holding what `keep` says of its events.
    fn open_keeping(path: &Path, keep: Keep) -> Result<(EventLog, Book, Opened)> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| io_error(path, "opening", &e))?;
        lock(&file, path)?;
        let total = file
            .metadata()
            .map_err(|e| io_error(path, "reading the length of", &e))?
            .len();
        let scan = scan_reader(
            &shown(path),
            BufReader::with_capacity(READ_BUFFER, &file),
            keep,
        )?;
        let kept = to_u64(scan.kept);
        if kept < total {
            file.set_len(kept)
                .and_then(|()| file.sync_all())
                .map_err(|e| io_error(path, "cutting off a torn last line", &e))?;
        }
        let opened = Opened {
            events: scan.book.event_count(),
            bytes: kept,
            dropped_bytes: total.saturating_sub(kept),
            dropped_reason: scan.dropped,
        };
        let identity = identity(&file, path);
        let log = EventLog {
            file,
            path: path.to_path_buf(),
            events: opened.events,
            head: scan.book.digest(),
            len: kept,
            broken: false,
            identity,
            max_line: EventLog::MAX_LINE_BYTES,
        };
        Ok((log, scan.book, opened))
    }

    /// Reads the log at `path` and replays it into a [`Book`] with the checks of
    /// [`EventLog::open`] (every sequence number and chain digest), without writing to the
    /// file or locking it: the way to audit or report on a log, including the log of a book a
    /// service is running (whose [`EventLog`] holds the writer's lock) and a write-protected
    /// copy.
    ///
    /// Nothing in the file changes. A torn last line is not cut off but reported in
    /// [`LogRead`]; the book holds the whole events before it. While a writer appends, the
    /// line it is writing may be read as torn. What counts as a torn line, and what as damage,
    /// is as in [`EventLog::open`].
    ///
    /// On Windows the writer's lock also keeps others from reading the file, so there this
    /// fails with [`crate::Error::Io`] while an [`EventLog`] has the log open.
    ///
    /// # Errors
    ///
    /// [`LogError::BadLine`] naming the first line that does not read as an event or does not
    /// replay (a broken chain, a wrong sequence number, an event the book refuses), or is
    /// longer than [`EventLog::MAX_LINE_BYTES`] (read no further than that), except a torn
    /// last line; [`crate::Error::Io`] if the file cannot be opened or read.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Book, Error, Event, EventLog, GrainUnit, LogError};
    /// use time::macros::date;
    ///
    /// let path = std::env::temp_dir().join(format!("landpool-read-{}.jsonl", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut book = Book::new();
    /// book.apply("p1".parse()?, Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// })?;
    /// // A service holds the log open for writing; reading it is still allowed (on Unix).
    /// let writer = EventLog::create_from(&path, &book)?;
    /// # #[cfg(unix)] {
    /// let (read_book, read) = EventLog::read(&path)?;
    /// assert_eq!(read_book, book);
    /// assert_eq!((read.events, read.torn_bytes, read.torn_reason), (1, 0, None));
    /// # }
    /// drop(writer);
    ///
    /// // A line that is no event, before the last, is damage: reported with its line.
    /// std::fs::write(&path, "{}\n{}\n")?;
    /// assert!(matches!(EventLog::read(&path), Err(Error::Log(LogError::BadLine { line: 1, .. }))));
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(path: impl AsRef<Path>) -> Result<(Book, LogRead)> {
        EventLog::read_keeping(path.as_ref(), Keep::Events)
    }

    /// [`EventLog::read`], but the book leaves its events in the log
    /// ([`Book::leave_events`]): the way to report on a large log, as a county platform's
    /// nightly statements do, in much less memory (the book of a synthetic
    /// million-event log: about a quarter less, 1.08 GB instead of 1.55 GB). The journal, the registers, every report and
    /// statement are those of [`EventLog::read`]'s book.
    ///
    /// # Errors
    ///
    /// As [`EventLog::read`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Book, Event, EventLog, GrainUnit};
    /// use time::macros::date;
    ///
    /// let path = std::env::temp_dir().join(format!("landpool-read-leaving-{}.jsonl", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut book = Book::new();
    /// book.apply("p1".parse()?, Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// })?;
    /// drop(EventLog::create_from(&path, &book)?);
    /// let (lean, read) = EventLog::read_leaving_events(&path)?;
    /// assert_eq!((read.events, lean.event_count()), (1, 1));
    /// assert!(lean.events().is_empty() && !lean.keeps_events());
    /// assert_eq!(lean.journal(), book.journal());
    /// assert_eq!(lean.digest(), book.digest());
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read_leaving_events(path: impl AsRef<Path>) -> Result<(Book, LogRead)> {
        EventLog::read_keeping(path.as_ref(), Keep::IdsAndDigests)
    }

    /// [`EventLog::read`], the book holding what `keep` says of its events.
    fn read_keeping(path: &Path, keep: Keep) -> Result<(Book, LogRead)> {
        let file = File::open(path).map_err(|e| io_error(path, "opening", &e))?;
        let scan = scan_reader(
            &shown(path),
            BufReader::with_capacity(READ_BUFFER, &file),
            keep,
        )?;
        let read = LogRead {
            events: scan.book.event_count(),
            bytes: to_u64(scan.kept),
            torn_bytes: to_u64(scan.torn),
            torn_reason: scan.dropped,
        };
        Ok((scan.book, read))
    }

    /// Applies `event` to `book` and, if the book takes it as new, writes it to the file and
    /// syncs it (`File::sync_data`): the event is durable when this returns `Ok`.
    ///
    /// `book` must be the book this log holds (the one [`EventLog::open`] returned, or
    /// [`Book::new`] after [`EventLog::create`], changed only through this log), and
    /// `expected_seq` the sequence number the caller believes the event will get (the number
    /// of events in the book it decided on): optimistic concurrency, so that a decision taken
    /// on a stale book is refused rather than recorded.
    ///
    /// An event whose id the book already holds with the same content is a retry: the result
    /// is [`Applied::AlreadyApplied`] whatever `expected_seq` says, and nothing is written.
    ///
    /// # Errors
    ///
    /// Before anything changes, with nothing written and the book as it was:
    /// [`LogError::NeedsReopen`] after an earlier failed append; [`LogError::BookMismatch`]
    /// if `book` is not this log's book; [`LogError::FileChanged`] if the file is no longer as
    /// this log left it (written or cut by someone else, or replaced or removed at its path);
    /// [`crate::Error::Io`] if its length cannot be read; [`LogError::SequenceMismatch`], naming both numbers,
    /// if `expected_seq` is not the next sequence number; [`LogError::EventTooLarge`] if the
    /// event's line would be longer than [`EventLog::MAX_LINE_BYTES`] (no reader would take
    /// it); any error of [`Book::apply`] (an event the book refuses, an id reused for another
    /// event).
    ///
    /// After the book took the event: [`LogError::AppendFailed`] if it could not be encoded,
    /// written or synced. The book is then *ahead of the file*: the log tries to cut the file
    /// back to its last whole event and refuses all further appends. Drop the book and the
    /// log, reopen with [`EventLog::open`], and retry with the same event id (the event may
    /// have reached the disk; the retry then returns [`Applied::AlreadyApplied`]).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Applied, Book, Error, Event, EventLog, GrainUnit, LogError};
    /// use time::macros::date;
    ///
    /// let path = std::env::temp_dir().join(format!("landpool-append-{}.jsonl", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut log = EventLog::create(&path)?;
    /// let mut book = Book::new();
    /// let price = |day| Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: day,
    ///     price: rust_decimal_macros::dec!(1.15),
    /// };
    /// log.append(&mut book, 0, "p1".parse()?, price(date!(2019 - 01 - 01)))?;
    /// // A writer that still thinks the log is empty is refused.
    /// let stale = log.append(&mut book, 0, "p2".parse()?, price(date!(2019 - 01 - 02)));
    /// assert!(matches!(stale, Err(Error::Log(LogError::SequenceMismatch { expected: 0, next: 1 }))));
    /// // A retry of the first append is recognised.
    /// let retry = log.append(&mut book, 0, "p1".parse()?, price(date!(2019 - 01 - 01)))?;
    /// assert_eq!(retry, Applied::AlreadyApplied { seq: 0 });
    /// assert_eq!(log.next_seq(), 1);
    /// # drop(log);
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn append(
        &mut self,
        book: &mut Book,
        expected_seq: u64,
        id: EventId,
        event: Event,
    ) -> Result<Applied> {
        if self.broken {
            return Err(LogError::NeedsReopen {
                path: shown(&self.path),
            }
            .into());
        }
        let next = book.event_count();
        if next != self.events || book.digest() != self.head {
            return Err(LogError::BookMismatch {
                path: shown(&self.path),
                log_events: self.events,
                log_digest: self.head,
                book_events: next,
                book_digest: book.digest(),
            }
            .into());
        }
        self.check_file()?;
        if expected_seq != next {
            if book.holds_event(&id) {
                // A retry of an event the log holds: the book says so (or refuses another
                // event under that id) and changes nothing.
                return book.apply(id, event);
            }
            return Err(LogError::SequenceMismatch {
                expected: expected_seq,
                next,
            }
            .into());
        }
        if line_bytes(next, &id, &event, self.max_line) > self.max_line && !book.holds_event(&id) {
            return Err(LogError::EventTooLarge {
                path: shown(&self.path),
                seq: next,
                id: id.to_string(),
                max: to_u64(self.max_line),
            }
            .into());
        }
        // A book that leaves its events in the log does not keep this one: the log writes
        // its own copy.
        let copy = (!book.keeps_events()).then(|| (id.clone(), event.clone()));
        let applied = book.apply(id, event)?;
        if let Applied::Recorded { seq, digest, .. } = &applied {
            match copy {
                Some((id, event)) => {
                    let logged = LoggedEvent {
                        seq: *seq,
                        id,
                        event,
                        digest: *digest,
                    };
                    self.write_event(&logged)?;
                }
                None => self.write_last(book, *seq)?,
            }
        }
        Ok(applied)
    }

    /// The file's path, as given when it was created or opened.
    ///
    /// # Example
    ///
    /// ```
    /// let path = std::env::temp_dir().join(format!("landpool-path-{}.jsonl", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let log = landpool::EventLog::create(&path)?;
    /// assert_eq!(log.path(), path);
    /// # drop(log);
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sequence number the next event will get: the number of events in the file.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Book, Event, EventLog, GrainUnit};
    /// use time::macros::date;
    ///
    /// let name = format!("landpool-next-seq-{}.jsonl", std::process::id());
    /// let path = std::env::temp_dir().join(name);
    /// # let _ = std::fs::remove_file(&path);
    /// let mut log = EventLog::create(&path)?;
    /// assert_eq!(log.next_seq(), 0);
    /// let mut book = Book::new();
    /// log.append(&mut book, 0, "p1".parse()?, Event::GrainPriceRecorded {
    ///     crop: "wheat".into(), unit: GrainUnit::Jin, date: date!(2019 - 01 - 01),
    ///     price: rust_decimal_macros::dec!(1.15),
    /// })?;
    /// assert_eq!(log.next_seq(), 1);
    /// drop(log);
    /// // Reopened, the log counts the events in the file.
    /// let (log, _book, _opened) = EventLog::open(&path)?;
    /// assert_eq!(log.next_seq(), 1);
    /// # drop(log);
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_seq(&self) -> u64 {
        self.events
    }

    /// Refuses to go on when the file is not as this log left it: another length than the
    /// log wrote, or (on Unix) another file, or none, at its path.
    fn check_file(&self) -> Result<()> {
        let changed = |reason: String| -> Error {
            LogError::FileChanged {
                path: shown(&self.path),
                reason,
            }
            .into()
        };
        let found = self
            .file
            .metadata()
            .map_err(|e| io_error(&self.path, "reading the length of", &e))?
            .len();
        if found != self.len {
            return Err(changed(format!(
                "it holds {found} bytes where the log wrote {}",
                self.len
            )));
        }
        #[cfg(unix)]
        if let Some((device, inode, absolute)) = &self.identity {
            use std::os::unix::fs::MetadataExt;
            match std::fs::metadata(absolute) {
                Ok(at_path) if at_path.dev() == *device && at_path.ino() == *inode => {}
                Ok(_) => {
                    return Err(changed(format!(
                        "{} is now another file: the one the log opened was replaced",
                        absolute.display()
                    )))
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(changed(format!(
                        "{} no longer exists: the file the log opened was removed or renamed",
                        absolute.display()
                    )))
                }
                Err(e) => return Err(io_error(absolute, "reading the metadata of", &e)),
            }
        }
        Ok(())
    }

    /// Writes and syncs the book's last event, which it has just taken at `seq`.
    fn write_last(&mut self, book: &Book, seq: u64) -> Result<()> {
        let Some(logged) = book.events().last().filter(|logged| logged.seq == seq) else {
            return Err(self.fail(
                seq,
                "encoding",
                io::ErrorKind::Other,
                "the book's last event is not the one it just took".into(),
            ));
        };
        self.write_event(logged)
    }

    /// Writes and syncs `logged`, the event the book has just taken after the file's last.
    fn write_event(&mut self, logged: &LoggedEvent) -> Result<()> {
        let seq = logged.seq;
        let mut line = match serde_json::to_vec(logged) {
            Ok(line) => line,
            Err(e) => {
                return Err(self.fail(seq, "encoding", io::ErrorKind::InvalidData, e.to_string()))
            }
        };
        line.push(b'\n');
        let Some(len) = self.len.checked_add(to_u64(line.len())) else {
            return Err(self.fail(
                seq,
                "sizing",
                io::ErrorKind::FileTooLarge,
                format!(
                    "{} bytes and {} more do not fit a u64",
                    self.len,
                    line.len()
                ),
            ));
        };
        let written = self
            .file
            .seek(SeekFrom::Start(self.len))
            .and_then(|_| self.file.write_all(&line))
            .map_err(|e| ("writing", e))
            .and_then(|()| self.file.sync_data().map_err(|e| ("syncing", e)));
        if let Err((operation, e)) = written {
            return Err(self.fail(seq, operation, e.kind(), e.to_string()));
        }
        self.len = len;
        self.events = seq.saturating_add(1);
        self.head = logged.digest;
        Ok(())
    }

    /// Marks the log broken after the book took event `seq` but the file may not have, tries
    /// to cut the file back to its last whole event, and returns the error to report.
    fn fail(
        &mut self,
        seq: u64,
        operation: &'static str,
        kind: io::ErrorKind,
        message: String,
    ) -> Error {
        self.broken = true;
        // Best effort only: whatever this leaves, a reopen copes (a part of the line is a torn
        // tail, the whole line is the event), and the caller is told to reopen either way.
        let cut = match self
            .file
            .set_len(self.len)
            .and_then(|()| self.file.sync_all())
        {
            Ok(()) => format!("the file was cut back to {} bytes", self.len),
            Err(e) => format!(
                "cutting the file back to {} bytes failed too: {e}",
                self.len
            ),
        };
        LogError::AppendFailed {
            path: shown(&self.path),
            seq,
            operation,
            kind,
            message: format!("{message}; {cut}"),
        }
        .into()
    }
}

/// Writes `events` as log lines to `file` through a 1 MiB buffer; returns the bytes written.
fn write_events(file: &File, path: &Path, events: &[LoggedEvent], max_line: usize) -> Result<u64> {
    let mut writer = io::BufWriter::with_capacity(1 << 20, file);
    let mut bytes = 0u64;
    let mut line = Vec::new();
    for logged in events {
        line.clear();
        logged.write_line(&mut line).map_err(|e| Error::Json {
            context: format!("encoding event {}", logged.id),
            message: e.to_string(),
        })?;
        if line.len() > max_line {
            return Err(LogError::EventTooLarge {
                path: shown(path),
                seq: logged.seq,
                id: logged.id.to_string(),
                max: to_u64(max_line),
            }
            .into());
        }
        line.push(b'\n');
        writer
            .write_all(&line)
            .map_err(|e| io_error(path, "writing", &e))?;
        bytes = bytes.saturating_add(to_u64(line.len()));
    }
    writer.flush().map_err(|e| io_error(path, "writing", &e))?;
    Ok(bytes)
}

/// The bytes of the line the log writes for `event` as event `seq` with `id`, without its
/// newline, counted no further than `most` and one byte (the event is encoded as the line
/// holds it, into a counter, not into memory).
fn line_bytes(seq: u64, id: &EventId, event: &Event, most: usize) -> usize {
    /// A [`LoggedEvent`]'s fields, borrowed (its digest is always 64 hex digits).
    #[derive(serde::Serialize)]
    struct Line<'a> {
        seq: u64,
        id: &'a EventId,
        event: &'a Event,
        digest: Digest,
    }
    struct Counter {
        bytes: usize,
        most: usize,
    }
    impl Write for Counter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.bytes = self.bytes.saturating_add(buf.len());
            if self.bytes > self.most {
                // Enough is known: stop encoding.
                return Err(io::Error::other("longer than the most a line holds"));
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter { bytes: 0, most };
    let line = Line {
        seq,
        id,
        event,
        digest: Digest::ZERO,
    };
    // An event that cannot be encoded is refused when the book takes it or writes it.
    let _ = serde_json::to_writer(&mut counter, &line);
    counter.bytes
}

/// What reading a log's bytes found.
struct Scan {
    /// The book replayed from the whole events.
    book: Book,
    /// Bytes of whole events: where the file is cut.
    kept: usize,
    /// Why the rest is cut off, if there is a rest.
    dropped: Option<String>,
    /// Bytes of the torn last line read (the rest, as far as it was read).
    torn: usize,
}

/// Reads a log's bytes (as the tests hold them) through [`scan_reader`].
#[cfg(test)]
fn scan(path: &str, bytes: &[u8]) -> Result<Scan> {
    scan_reader(path, bytes, Keep::Events)
}

/// Reads a log line by line: every line but a torn last one must be a [`LoggedEvent`], and
/// the events must replay. Each event is applied as it is read, so memory holds the book and
/// a few batches of lines, never the whole file.
///
/// Reading runs on a second thread: it parses each line and computes the event's chain
/// digest (from the line before's recorded digest, which is the book's digest whenever the
/// replay gets that far), while this thread applies the events in order and checks each
/// digest. The results and errors are the ones [`Book::replay`] gives: an event that does
/// not apply is reported on its own line even when the reader has already found a bad line
/// further on. Without a second thread (the system refuses one), the log is read on this
/// one.
///
/// With [`Keep::IdsAndDigests`] the book leaves its events in the log
/// ([`Book::leave_events`]): each is dropped once applied.
fn scan_reader<R: BufRead + Send>(path: &str, reader: R, keep: Keep) -> Result<Scan> {
    scan_lines(path, Lines::new(path, reader), keep)
}

/// What the book read from a log holds of its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Every event ([`Book::events`]).
    Events,
    /// Each event's id and digest ([`Book::leave_events`]).
    IdsAndDigests,
}

impl Keep {
    /// An empty book that holds what this says.
    fn book(self) -> Book {
        let mut book = Book::new();
        if self == Keep::IdsAndDigests {
            book.leave_events();
        }
        book
    }
}

/// [`scan_reader`] of lines already made (with the longest line they take).
fn scan_lines<R: BufRead + Send>(path: &str, lines: Lines<'_, R>, keep: Keep) -> Result<Scan> {
    // The lines move into the reader; if the thread cannot start they are read here.
    let slot = std::sync::Mutex::new(Some(lines));
    let slot = &slot;
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(READ_AHEAD_BATCHES);
        // Emptied batches go back to the reader to be filled again (a batch is about a
        // megabyte: fresh memory for each would be paged in again and again), with the
        // events the book gave back, which the reader drops (see [`Batch::spent`]).
        let (emptied, to_refill) =
            std::sync::mpsc::sync_channel::<Batch>(READ_AHEAD_BATCHES.saturating_add(1));
        let started = std::thread::Builder::new()
            .name("landpool-log-reader".into())
            .spawn_scoped(scope, move || {
                let lines = slot.lock().ok().and_then(|mut lines| lines.take());
                // `sender` moves in and is dropped when reading ends, which ends the batches.
                lines.map(|lines| read_ahead(lines, &sender, &to_refill))
            });
        let reader = match started {
            Ok(reader) => reader,
            Err(_) => {
                let lines = slot.lock().ok().and_then(|mut lines| lines.take());
                return match lines {
                    Some(lines) => scan_here(path, lines, keep),
                    None => Err(thread_failed(path)),
                };
            }
        };
        let mut book = keep.book();
        book.keep_work_lists(true);
        let mut refused: Option<(u64, Error)> = None;
        'batches: for mut batch in receiver.iter() {
            for chained in batch.events.drain(..) {
                match book.replay_one(chained.logged, chained.digest) {
                    Ok(Some(spent)) => batch.spent.push(spent),
                    Ok(None) => {}
                    Err(error) => {
                        refused = Some((chained.line, error));
                        break 'batches;
                    }
                }
            }
            // A batch the reader has no room for is dropped here.
            let _ = emptied.try_send(batch);
        }
        // The reader stops at its next send once nobody receives.
        drop(receiver);
        book.keep_work_lists(false);
        let lines = reader
            .join()
            .ok()
            .flatten()
            .ok_or_else(|| thread_failed(path))?;
        if let Some((line, error)) = refused {
            return Err(LogError::BadLine {
                path: path.to_string(),
                line,
                reason: error.to_string(),
            }
            .into());
        }
        if let Some(error) = lines.failed {
            return Err(error);
        }
        Ok(Scan {
            book,
            kept: lines.kept,
            dropped: lines.dropped,
            torn: lines.torn,
        })
    })
}

/// The bytes a log is read in at a time: 128 KiB. The kernel copies each piece into this
/// buffer and the line reader copies it on, and a buffer this small stays in a core's
/// second-level cache (512 KiB here) for both. A million-event log (788 MB) opened with
/// about 0.3 s less of the kernel's time than with a 1 MiB buffer (0.66–0.97 s against
/// 0.87–1.81 s in alternated runs), in the same wall time within the noise; 64 KiB was no
/// better, 256 KiB no better than 1 MiB.
const READ_BUFFER: usize = 1 << 17;

/// Batches of events the reader may be ahead of the book by (each at most
/// [`BATCH_EVENTS`] events or about [`BATCH_BYTES`] bytes of lines). Each batch handed over
/// can wake the other thread, which costs the kernel more than the events of a small batch
/// cost to apply: a million-event log opened 4% faster with batches of 4,096 events than
/// of 256.
const READ_AHEAD_BATCHES: usize = 2;
const BATCH_EVENTS: usize = 4096;
const BATCH_BYTES: usize = 1 << 20;

/// A batch of events read ahead, handed to the applying thread and back.
struct Batch {
    /// The events read, in order; emptied by the applying thread.
    events: Vec<Chained>,
    /// The events the book gave back once applied (a book that leaves its events keeps
    /// none): the reader drops them when the batch comes back, where the memory was
    /// allocated. Freed on the applying thread, each free waited for the reader's
    /// allocations in the same arena of the allocator (about 2% of a million-event open's
    /// applying thread), and the reader has time to spare. A timesheet's list of records is
    /// emptied and kept for the next one instead (a million-event log's 36 timesheets held
    /// 10 MB of records each, which fresh memory paged in again for each one).
    spent: Vec<Event>,
}

impl Batch {
    /// An empty batch with room for a full one.
    fn new() -> Batch {
        Batch {
            events: Vec::with_capacity(BATCH_EVENTS),
            spent: Vec::new(),
        }
    }

    /// Drops the spent events, keeping one timesheet's list of records, emptied, in `spare`
    /// when it has none.
    fn recycle(&mut self, spare: &mut Option<Vec<crate::WorkRecord>>) {
        for event in self.spent.drain(..) {
            if let (None, Event::WorkRecorded { mut records, .. }) = (spare.as_ref(), event) {
                records.clear();
                *spare = Some(records);
            }
        }
    }
}

/// An event as read, with its line and its chain digest (`None` when it could not be
/// computed: applying then computes it again and reports why).
struct Chained {
    line: u64,
    logged: LoggedEvent,
    digest: Option<Digest>,
}

/// The reader thread: parses lines into events with their chain digests and sends them in
/// batches until the lines end or nobody receives. Returns the lines, to learn how they
/// ended.
fn read_ahead<'a, R: BufRead>(
    mut lines: Lines<'a, R>,
    sender: &std::sync::mpsc::SyncSender<Batch>,
    emptied: &std::sync::mpsc::Receiver<Batch>,
) -> Lines<'a, R> {
    let mut previous = Book::new().digest();
    let mut batch = Batch::new();
    let mut bytes = 0usize;
    loop {
        let Some(logged) = lines.next_event() else {
            break;
        };
        let digest = match lines.canonical {
            // The line is the event's canonical encoding: its digest is the line's own.
            Some(canonical) => line::chain_line(&previous, &lines.buf, canonical),
            None => LoggedEvent::chain(&previous, logged.seq, &logged.id, &logged.event).ok(),
        };
        previous = logged.digest;
        bytes = bytes.saturating_add(lines.buf.len());
        batch.events.push(Chained {
            line: lines.event_line,
            logged,
            digest,
        });
        if batch.events.len() >= BATCH_EVENTS || bytes >= BATCH_BYTES {
            let empty = match emptied.try_recv() {
                Ok(mut empty) => {
                    // Dropping what the book gave back is this thread's work.
                    empty.recycle(&mut lines.spare_records);
                    empty
                }
                Err(_) => Batch::new(),
            };
            let full = std::mem::replace(&mut batch, empty);
            bytes = 0;
            if sender.send(full).is_err() {
                return lines;
            }
        }
    }
    if !batch.events.is_empty() {
        // Nobody receiving means the book stopped at an earlier event; nothing to do.
        let _ = sender.send(batch);
    }
    lines
}

/// [`scan_reader`] on this thread alone.
fn scan_here<R: BufRead>(path: &str, mut lines: Lines<'_, R>, keep: Keep) -> Result<Scan> {
    let replayed = Book::replay_onto(keep.book(), std::iter::from_fn(|| lines.next_event()));
    if let Some(error) = lines.failed {
        return Err(error);
    }
    let book = replayed.map_err(|error| LogError::BadLine {
        path: path.to_string(),
        // The event that failed is the last one replay took.
        line: lines.event_line,
        reason: error.to_string(),
    })?;
    Ok(Scan {
        book,
        kept: lines.kept,
        dropped: lines.dropped,
        torn: lines.torn,
    })
}

fn thread_failed(path: &str) -> Error {
    Error::Io {
        path: path.to_string(),
        operation: "reading",
        kind: io::ErrorKind::Other,
        message: "the thread reading the log stopped unexpectedly; nothing was cut or written, open the log again".into(),
    }
}

/// The lines of a log, read one at a time as events.
struct Lines<'a, R> {
    path: &'a str,
    reader: R,
    /// The number of the line last read, from 1.
    line: u64,
    /// The line of the event last handed out.
    event_line: u64,
    /// Bytes of whole events so far.
    kept: usize,
    /// Why the rest of the file is cut off, once a torn last line is found.
    dropped: Option<String>,
    /// The length of that torn last line.
    torn: usize,
    /// What stopped the reading, when it is an error.
    failed: Option<Error>,
    stopped: bool,
    buf: Vec<u8>,
    /// For the event last handed out, when it was read by hand from its
    /// canonical form: the length of its canonical encoding in `buf` but for the closing `}`.
    canonical: Option<usize>,
    /// A line read ahead (to learn whether the one before it was the last); `Some(empty)` at
    /// the end of the file.
    ahead: Option<Vec<u8>>,
    /// The digest the event last handed out records (the chain's start before any): what a
    /// torn last line must chain to, to be the append a crash cut short.
    previous: Digest,
    /// The most bytes a line may hold before its newline ([`EventLog::MAX_LINE_BYTES`]; less
    /// in tests): no more than one byte beyond it is read into memory for a line.
    max_line: usize,
    /// An emptied list for the next timesheet's records (see [`line::read_by_hand`]).
    spare_records: Option<Vec<crate::WorkRecord>>,
}

impl<'a, R: BufRead> Lines<'a, R> {
    /// The lines of `reader`, none read yet, each of at most [`EventLog::MAX_LINE_BYTES`].
    fn new(path: &'a str, reader: R) -> Self {
        Lines::with_max_line(path, reader, EventLog::MAX_LINE_BYTES)
    }

    /// The lines of `reader`, none read yet, each of at most `max_line` bytes.
    fn with_max_line(path: &'a str, reader: R, max_line: usize) -> Self {
        Lines {
            path,
            reader,
            line: 0,
            event_line: 0,
            kept: 0,
            dropped: None,
            torn: 0,
            failed: None,
            stopped: false,
            buf: Vec::new(),
            canonical: None,
            ahead: None,
            previous: Digest::ZERO,
            max_line,
            spare_records: None,
        }
    }

    /// Reads the next line, with its newline if it has one, into `buf` (empty at the end).
    fn read(&mut self, into_ahead: bool) -> bool {
        let mut buf = if into_ahead {
            Vec::new()
        } else if let Some(ahead) = self.ahead.take() {
            self.buf = ahead;
            return true;
        } else {
            std::mem::take(&mut self.buf)
        };
        buf.clear();
        // At most one byte more than a line may hold: a file that is no log (a binary file,
        // line ends that are not newlines) is refused there, not read whole into memory.
        let most = to_u64(self.max_line.saturating_add(1));
        if let Err(e) = (&mut self.reader).take(most).read_until(b'\n', &mut buf) {
            self.failed = Some(Error::Io {
                path: self.path.to_string(),
                operation: "reading",
                kind: e.kind(),
                message: e.to_string(),
            });
            return false;
        }
        if buf.len() > self.max_line && buf.last() != Some(&b'\n') {
            self.failed = Some(
                LogError::BadLine {
                    path: self.path.to_string(),
                    // The line being read follows the last one counted.
                    line: self.line.saturating_add(1),
                    reason: format!(
                        "the line is longer than {} bytes, the most a line of the log holds: no event log has such a line (is it a binary file, or one whose newlines were changed to other line ends?); reading stopped there",
                        self.max_line
                    ),
                }
                .into(),
            );
            return false;
        }
        if into_ahead {
            self.ahead = Some(buf);
        } else {
            self.buf = buf;
        }
        true
    }

    fn next_event(&mut self) -> Option<LoggedEvent> {
        if self.stopped {
            return None;
        }
        self.stopped = true;
        if !self.read(false) || self.buf.is_empty() {
            return None;
        }
        self.line = self.line.saturating_add(1);
        let line = self.line;
        // Only the final piece can lack its newline.
        let Some(text) = self.buf.strip_suffix(b"\n") else {
            // A crash leaves a part of the append it cut short, and zeros where it wrote
            // nothing. A whole event followed by other bytes (a damaged newline after an
            // acknowledged event), an object that is no event, or a byte order mark is no
            // crash's doing: damage to name, never an append to cut off.
            let zeros = self.buf.iter().rev().take_while(|&&b| b == 0).count();
            let written = self
                .buf
                .get(..self.buf.len().saturating_sub(zeros))
                .unwrap_or_default();
            let damage = match read_line(written) {
                Err(Unreadable::Damaged(reason)) => Some(reason),
                _ => last_line_damage(written, line.saturating_sub(1), &self.previous),
            };
            if let Some(reason) = damage {
                self.failed = Some(
                    LogError::BadLine {
                        path: self.path.to_string(),
                        line,
                        reason,
                    }
                    .into(),
                );
                return None;
            }
            self.torn = self.buf.len();
            self.dropped = Some(format!(
                "line {line} ({} bytes) has no newline at its end: an append cut short",
                self.buf.len()
            ));
            return None;
        };
        let bad_line = |reason| -> Error {
            LogError::BadLine {
                path: self.path.to_string(),
                line,
                reason,
            }
            .into()
        };
        match read_line_reusing(text, &mut self.spare_records) {
            Ok((logged, canonical)) => {
                self.kept = self.kept.saturating_add(self.buf.len());
                self.event_line = line;
                self.stopped = false;
                self.canonical = canonical;
                self.previous = logged.digest;
                Some(logged)
            }
            Err(Unreadable::Damaged(reason)) => {
                self.failed = Some(bad_line(reason));
                None
            }
            Err(Unreadable::Torn(reason)) => {
                let error = bad_line(reason.clone());
                if self.read(true) {
                    let last = self.ahead.as_ref().is_some_and(Vec::is_empty);
                    let text = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
                    let damage = last
                        .then(|| last_line_damage(text, line.saturating_sub(1), &self.previous))
                        .flatten();
                    if let Some(damage) = damage {
                        self.failed = Some(
                            LogError::BadLine {
                                path: self.path.to_string(),
                                line,
                                reason: damage,
                            }
                            .into(),
                        );
                    } else if last {
                        self.torn = self.buf.len();
                        self.dropped = Some(format!(
                            "line {line}, the last, does not read as an event ({reason}): an append cut short"
                        ));
                    } else {
                        self.failed = Some(error);
                    }
                } else if matches!(self.failed, Some(Error::Log(LogError::BadLine { .. }))) {
                    // The line after this one is too long to read: this one, not the last,
                    // is the first damage.
                    self.failed = Some(error);
                }
                None
            }
        }
    }
}

/// UTF-8's byte order mark, which editors put at the start of a file and the log never writes.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Why a line that starts with [`BYTE_ORDER_MARK`] is refused.
const BYTE_ORDER_MARK_REASON: &str = "the line starts with a byte order mark (bytes EF BB BF), which the log never writes: the file was saved by another program; remove the three bytes";

/// Why a line that ends with a carriage return is refused.
const CARRIAGE_RETURN_REASON: &str = "the line ends with a carriage return (byte 0D, a Windows line end), which the log never writes: the file was saved by another program; change its line ends back to a bare newline (0A)";

/// The key before a logged event's digest, the last field of every line the log writes.
const DIGEST_KEY: &[u8] = b",\"digest\":\"";

/// What a crash leaves and a changed byte does not, said after the reason a last line is
/// refused.
const NO_CRASH: &str =
    "a crash leaves a part of a line and zeros, never a changed byte, so this is no append cut short";

/// Why the last line of a log, `text` (without its newline, and without the zeros a crash
/// left after it), is damage rather than an append a crash cut short; `None` when a crash
/// explains it. An append is one line (its event `seq`, chained to `previous`, the digest
/// of the event before); a crash leaves the first part of it, and zeros where it wrote
/// nothing. So a last line is torn when what comes before its first zero (all of it, when
/// it holds none) reads as the start of that line: JSON that ends early before the event's
/// digest, or (once the event is whole) the very bytes the log writes for it, as far as they
/// go. A changed byte anywhere else in a whole event, in its digest or after it is damage,
/// and so is a zero after bytes that are no start of a line.
fn last_line_damage(text: &[u8], seq: u64, previous: &Digest) -> Option<String> {
    if let Some(zero) = text.iter().position(|&b| b == 0) {
        // The log never writes a zero byte (JSON escapes one in a string): a hole a crash
        // left, after which anything may follow (pages written out of order). What the crash
        // wrote before the hole is the start of the line, as a line cut there is.
        return last_line_damage(text.get(..zero).unwrap_or_default(), seq, previous);
    }
    let logged = match serde_json::from_slice::<LoggedEvent>(text) {
        Ok(logged) => logged,
        Err(error) => {
            // The key before the digest is only ever written after the whole event (a quote
            // inside a string is escaped), so a line that holds it holds its event.
            let Some(at) = text
                .windows(DIGEST_KEY.len())
                .rposition(|window| window == DIGEST_KEY)
            else {
                return (error.classify() != serde_json::error::Category::Eof)
                    .then(|| format!("{}; {NO_CRASH}", json_reason(&error)));
            };
            let mut completed = text.get(..at).unwrap_or_default().to_vec();
            completed.extend_from_slice(DIGEST_KEY);
            completed.extend_from_slice(&[b'0'; 64]);
            completed.extend_from_slice(b"\"}");
            match serde_json::from_slice::<LoggedEvent>(&completed) {
                Ok(logged) => logged,
                Err(error) => return Some(format!("{}; {NO_CRASH}", json_reason(&error))),
            }
        }
    };
    if logged.seq != seq {
        return Some(format!(
            "the last line holds event {} where event {seq} was expected; {NO_CRASH}",
            logged.seq
        ));
    }
    let written = LoggedEvent::chain(previous, seq, &logged.id, &logged.event).and_then(|digest| {
        serde_json::to_vec(&LoggedEvent {
            digest,
            ..logged.clone()
        })
        .map_err(|e| Error::Json {
            context: format!("encoding event {}", logged.id),
            message: e.to_string(),
        })
    });
    let written = match written {
        Ok(written) => written,
        Err(error) => {
            return Some(format!(
            "the last line holds event {seq} ({}), which the log could not have written: {error}",
            logged.id
        ))
        }
    };
    match text.iter().zip(&written).position(|(a, b)| a != b) {
        None if text.len() <= written.len() => None,
        differs => Some(format!(
            "the last line holds event {seq} ({}) but from column {} it is not the line the log writes for it (its digest chained to the event before, and nothing after it); {NO_CRASH}",
            logged.id,
            differs.unwrap_or(written.len()).saturating_add(1)
        )),
    }
}

/// Why a line is not an event.
enum Unreadable {
    /// It could be an append cut short (if it is the last line).
    Torn(String),
    /// No crash explains it: a whole event followed by more bytes is two lines whose newline
    /// was damaged.
    Damaged(String),
}

/// Reads one line (without its newline) as a [`LoggedEvent`], with the length of its
/// canonical encoding but for the closing `}` when the line is one of the kinds read by
/// [`line::read_by_hand`] (whose digest is then chained over the line's own bytes).
fn read_line(text: &[u8]) -> std::result::Result<(LoggedEvent, Option<usize>), Unreadable> {
    read_line_reusing(text, &mut None)
}

/// [`read_line`], a timesheet's records read into `spare` when there is one (see
/// [`line::read_by_hand`]).
fn read_line_reusing(
    text: &[u8],
    spare: &mut Option<Vec<crate::WorkRecord>>,
) -> std::result::Result<(LoggedEvent, Option<usize>), Unreadable> {
    if text.is_empty() {
        return Err(Unreadable::Torn("the line is empty".into()));
    }
    if text.starts_with(BYTE_ORDER_MARK) {
        // An editor's byte order mark: the line may hold a whole event after it, and no
        // crash writes these bytes at a line's start. Never cut, even on the last line.
        return Err(Unreadable::Damaged(BYTE_ORDER_MARK_REASON.into()));
    }
    if let Some((logged, canonical)) = line::read_by_hand(text, spare) {
        return Ok((logged, Some(canonical)));
    }
    let error = match serde_json::from_slice::<LoggedEvent>(text) {
        // serde_json takes whitespace around the object, which the log never writes: a
        // carriage return there is a Windows line end an editor left, and the next append
        // would write a bare newline after it. Refused, never cut, even on the last line.
        Ok(_) if text.last() == Some(&b'\r') => {
            return Err(Unreadable::Damaged(CARRIAGE_RETURN_REASON.into()))
        }
        Ok(_) if text.first() != Some(&b'{') || text.last() != Some(&b'}') => {
            return Err(Unreadable::Damaged(
                "the event has whitespace before or after it, which the log never writes: the file was changed by another program".into(),
            ))
        }
        Ok(logged) => return Ok((logged, None)),
        Err(error) => error,
    };
    let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<LoggedEvent>();
    if let Some(Ok(logged)) = stream.next() {
        let rest = text.len().saturating_sub(stream.byte_offset());
        return Err(Unreadable::Damaged(format!(
            "event {} ends at byte {} but {rest} more bytes follow on the line; a newline was damaged",
            logged.seq,
            stream.byte_offset()
        )));
    }
    // A crash leaves a line cut short (no newline, or zeros the crash never wrote), which
    // reads as a syntax error or an early end. A whole JSON object that is not an event (a
    // changed letter, an event kind this version does not know) is no crash's doing: it is
    // damage, refused even on the last line, and nothing is cut.
    if error.classify() == serde_json::error::Category::Data {
        return Err(Unreadable::Damaged(json_reason(&error)));
    }
    Err(Unreadable::Torn(json_reason(&error)))
}

/// serde_json's message with the column, without its "at line 1" (the line is ours to name).
fn json_reason(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if error.line() == 0 {
        return message;
    }
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let bare = message.strip_suffix(&suffix).unwrap_or(&message);
    format!("column {}: {bare}", error.column())
}

/// Takes the exclusive advisory lock, or says who has it.
fn lock(file: &File, path: &Path) -> Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(LogError::Locked { path: shown(path) }.into()),
        Err(TryLockError::Error(e)) => Err(io_error(path, "locking", &e)),
    }
}

/// The device and inode of `file`, opened at `path`, with `path` made absolute (`None` when
/// either cannot be learned, or off Unix: the check before each append is then by length
/// alone).
#[cfg(unix)]
fn identity(file: &File, path: &Path) -> Option<(u64, u64, PathBuf)> {
    use std::os::unix::fs::MetadataExt;
    let metadata = file.metadata().ok()?;
    let absolute = std::path::absolute(path).ok()?;
    Some((metadata.dev(), metadata.ino(), absolute))
}

#[cfg(not(unix))]
fn identity(_file: &File, _path: &Path) -> Option<(u64, u64, PathBuf)> {
    None
}

/// Syncs the directory holding `path`, so that a new file's name is durable (as a folder's
/// outputs are made durable, `crate::folder::durable`).
fn sync_parent(path: &Path) -> Result<()> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    crate::folder::durable::sync_dir(parent)
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// A length as `u64` (a `usize` always fits on the platforms Rust supports).
fn to_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CashAccount, GrainUnit, Member, MemberKind};
    use rust_decimal::Decimal;
    use time::macros::date;

    type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

    /// A small book: a member joins, then grain prices and payments alternate.
    fn book(events: u32) -> Result<Book> {
        let mut book = Book::new();
        book.apply(
            "join".parse()?,
            Event::MemberJoined {
                member: Member {
                    id: "M001".parse()?,
                    name: "王建国".into(),
                    kind: MemberKind::Household { persons: 4 },
                    village: "高格庄".into(),
                    joined: date!(2019 - 01 - 01),
                    left: None,
                },
            },
        )?;
        for i in 1..events {
            let event = if i % 2 == 0 {
                Event::RentPaid {
                    member: "M001".parse()?,
                    date: date!(2019 - 03 - 01),
                    amount: "10.50".parse()?,
                    from: CashAccount::Bank,
                }
            } else {
                Event::GrainPriceRecorded {
                    crop: "小麦".into(),
                    unit: GrainUnit::Jin,
                    date: date!(2019 - 01 - 01) + time::Duration::days(i64::from(i)),
                    price: Decimal::new(115 + i64::from(i), 2),
                }
            };
            book.apply(format!("e{i}").parse()?, event)?;
        }
        Ok(book)
    }

    /// The book's log as the file holds it, and where each line starts (plus the end).
    fn file_of(book: &Book) -> std::result::Result<(Vec<u8>, Vec<usize>), serde_json::Error> {
        let mut bytes = Vec::new();
        let mut starts = vec![0];
        for logged in book.events() {
            bytes.extend(serde_json::to_vec(logged)?);
            bytes.push(b'\n');
            starts.push(bytes.len());
        }
        Ok((bytes, starts))
    }

    fn prefix(book: &Book, events: usize) -> Result<Book> {
        Book::replay(book.events().iter().take(events).cloned())
    }

    fn scratch(name: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!(
            "landpool-log-unit-{}-{name}.jsonl",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        path
    }

    #[test]
    fn a_whole_file_reads_back_to_the_same_book() -> TestResult {
        let book = book(7)?;
        let (bytes, _) = file_of(&book)?;
        let read = scan("log", &bytes)?;
        assert_eq!(read.book, book);
        assert_eq!((read.kept, read.dropped), (bytes.len(), None));
        let empty = scan("log", b"")?;
        assert!(empty.book.events().is_empty());
        assert_eq!((empty.kept, empty.dropped), (0, None));
        Ok(())
    }

    /// `book`'s log with event `refused` (0-based) replaced by a grain price of a negative
    /// price, which the book refuses, its digest and every later digest re-chained so that
    /// only the refusal stops the replay.
    fn with_refused_event(book: &Book, refused: usize) -> Result<Vec<LoggedEvent>> {
        let mut events: Vec<LoggedEvent> = book.events().to_vec();
        let mut previous = Digest::ZERO;
        for (at, logged) in events.iter_mut().enumerate() {
            if at == refused {
                logged.event = Event::GrainPriceRecorded {
                    crop: "小麦".into(),
                    unit: GrainUnit::Jin,
                    date: date!(2019 - 12 - 31),
                    price: Decimal::new(-1, 2),
                };
            }
            logged.digest = LoggedEvent::chain(&previous, logged.seq, &logged.id, &logged.event)?;
            previous = logged.digest;
        }
        Ok(events)
    }

    fn lines_of(events: &[LoggedEvent]) -> std::result::Result<Vec<Vec<u8>>, serde_json::Error> {
        events
            .iter()
            .map(|logged| {
                let mut line = serde_json::to_vec(logged)?;
                line.push(b'\n');
                Ok(line)
            })
            .collect()
    }

    #[test]
    fn many_batches_read_back_to_the_same_book() -> TestResult {
        // More events than the reader sends in a batch, and more batches than it may be
        // ahead by.
        let book = book(u32::try_from(BATCH_EVENTS * 5 + 7)?)?;
        let (bytes, _) = file_of(&book)?;
        let read = scan("log", &bytes)?;
        assert_eq!(read.book, book);
        assert_eq!(read.book.digest(), book.digest());
        assert_eq!((read.kept, read.dropped), (bytes.len(), None));
        Ok(())
    }

    #[test]
    fn lines_longer_than_a_batch_read_back_to_the_same_book() -> TestResult {
        // Timesheets of about 1.3 MB each, more than a batch's bytes, between small events.
        let mut book = book(5)?;
        for sheet in 0..3 {
            let day = date!(2019 - 06 - 01) + time::Duration::days(sheet);
            let records = (0..9_000)
                .map(|i| -> Result<crate::WorkRecord> {
                    Ok(crate::WorkRecord {
                        worker: crate::Worker::Member("M001".parse()?),
                        date: day,
                        task: crate::Task::Administration,
                        pay: crate::Pay::Hours {
                            hours: Decimal::new(1 + i % 8, 0),
                            rate: Decimal::new(1550 + i, 2),
                        },
                        kind: crate::WorkKind::Seasonal,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            book.apply(
                format!("sheet{sheet}").parse()?,
                Event::WorkRecorded { date: day, records },
            )?;
            book.apply(
                format!("price{sheet}").parse()?,
                Event::GrainPriceRecorded {
                    crop: "玉米".into(),
                    unit: GrainUnit::Jin,
                    date: day,
                    price: Decimal::new(98, 2),
                },
            )?;
        }
        let (bytes, starts) = file_of(&book)?;
        assert!(starts.windows(2).any(|w| w[1] - w[0] > BATCH_BYTES));
        let read = scan("log", &bytes)?;
        assert_eq!(read.book, book);
        assert_eq!((read.kept, read.dropped), (bytes.len(), None));
        // A book that leaves its events gives each back to the reader, which keeps the
        // timesheets' lists of records for the next one: the same book.
        let lean = scan_reader("log", &bytes[..], Keep::IdsAndDigests)?;
        assert!(lean.book.events().is_empty());
        assert_eq!(lean.book, book);
        assert_eq!(lean.book.digest(), book.digest());
        // Through a file too, by each of the three ways to read one, whose buffer holds
        // less than a line.
        assert!(starts.windows(2).any(|w| w[1] - w[0] > 8 * READ_BUFFER));
        let path =
            std::env::temp_dir().join(format!("landpool-long-lines-{}.jsonl", std::process::id()));
        std::fs::write(&path, &bytes)?;
        let (read, leaving) = (EventLog::read(&path), EventLog::read_leaving_events(&path));
        // The log's lock ends with the `EventLog`, before the file is removed.
        let opened = EventLog::open(&path).map(|(_, book, opened)| (book, opened));
        std::fs::remove_file(&path)?;
        let ((read, counted), (leaving, _), (opened, _)) = (read?, leaving?, opened?);
        assert_eq!(
            (read == book, leaving == book, opened == book),
            (true, true, true)
        );
        assert_eq!(
            (counted.events, counted.bytes),
            (book.event_count(), to_u64(bytes.len()))
        );
        Ok(())
    }

    #[test]
    fn a_batch_back_from_the_book_drops_its_events_and_keeps_one_list_of_records() -> TestResult {
        let day = date!(2019 - 06 - 01);
        let record = crate::WorkRecord {
            worker: crate::Worker::Member("M001".parse()?),
            date: day,
            task: crate::Task::Administration,
            pay: crate::Pay::Days {
                days: Decimal::ONE,
                rate: Decimal::new(150, 0),
            },
            kind: crate::WorkKind::Seasonal,
        };
        let sheet = |records: usize| Event::WorkRecorded {
            date: day,
            records: vec![record.clone(); records],
        };
        let price = Event::GrainPriceRecorded {
            crop: "玉米".into(),
            unit: GrainUnit::Jin,
            date: day,
            price: Decimal::new(98, 2),
        };
        let mut batch = Batch::new();
        batch.spent = vec![price, sheet(300), sheet(5)];
        let mut spare = None;
        batch.recycle(&mut spare);
        assert!(batch.spent.is_empty());
        // The first timesheet's list, emptied, its room kept.
        let kept = spare.as_ref().map(|r| (r.len(), r.capacity() >= 300));
        assert_eq!(kept, Some((0, true)));
        // A spare list already there stays.
        batch.spent = vec![sheet(1000)];
        batch.recycle(&mut spare);
        assert!(batch.spent.is_empty());
        let kept = spare.as_ref().map(|r| (r.len(), r.capacity() < 1000));
        assert_eq!(kept, Some((0, true)));
        Ok(())
    }

    #[test]
    fn the_first_problem_in_the_file_is_the_one_reported() -> TestResult {
        let events = u32::try_from(BATCH_EVENTS * 3)?;
        let book = book(events)?;
        let garbage = b"{\"seq\": not an event}\n".to_vec();
        for (refused, bad_line) in [(3, 700), (600, 2), (300, 302), (300, 301), (700, 10)] {
            let mut lines = lines_of(&with_refused_event(&book, refused)?)?;
            lines[bad_line - 1] = garbage.clone();
            let bytes: Vec<u8> = lines.concat();
            let first = (refused + 1).min(bad_line);
            match scan("log", &bytes) {
                Err(Error::Log(LogError::BadLine { line, reason, .. })) => {
                    assert_eq!(line, first as u64, "refused {refused}, bad line {bad_line}");
                    if first == refused + 1 && bad_line != first {
                        assert!(reason.contains("price"), "{reason}");
                    }
                }
                Err(other) => panic!("refused {refused}, bad line {bad_line}: {other}"),
                Ok(_) => panic!("refused {refused}, bad line {bad_line}: read"),
            }
            // The same file read on one thread says the same.
            let one_thread = Lines::new("log", &bytes[..]);
            match (
                scan_here("log", one_thread, Keep::Events),
                scan("log", &bytes),
            ) {
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("one thread {:?}, two {:?}", a.is_ok(), b.is_ok()),
            }
        }
        Ok(())
    }

    #[test]
    fn a_cut_anywhere_keeps_the_whole_lines_before_it() -> TestResult {
        let book = book(6)?;
        let (bytes, starts) = file_of(&book)?;
        let prefixes = (0..starts.len())
            .map(|events| prefix(&book, events))
            .collect::<Result<Vec<_>>>()?;
        for cut in 0..=bytes.len() {
            let whole = starts.iter().filter(|&&start| start <= cut).count() - 1;
            let kept = starts[whole];
            let scan = scan("log", &bytes[..cut])?;
            assert_eq!(scan.book, prefixes[whole], "cut at {cut}");
            assert_eq!(scan.kept, kept, "cut at {cut}");
            assert_eq!(scan.dropped.is_some(), cut > kept, "cut at {cut}");
        }
        Ok(())
    }

    #[test]
    fn a_flipped_bit_is_reported_never_passed_off() -> TestResult {
        let book = book(5)?;
        let (bytes, starts) = file_of(&book)?;
        let events = book.events().len();
        let last_start = starts[events - 1];
        let before_last = prefix(&book, events - 1)?;
        for offset in 0..bytes.len() {
            let line = starts.iter().filter(|&&start| start <= offset).count();
            // Low bits change digits and letters, 0x02 turns a quote into a space, 0x20 a
            // newline into '*', and 0xff makes invalid UTF-8.
            for mask in [0x01, 0x02, 0x20, 0xff] {
                let mut damaged = bytes.clone();
                damaged[offset] ^= mask;
                match scan("log", &damaged) {
                    Err(Error::Log(LogError::BadLine { line: named, .. })) => {
                        assert_eq!(named, line as u64, "offset {offset} mask {mask:#04x}");
                    }
                    Err(other) => panic!("offset {offset} mask {mask:#04x}: unexpected {other}"),
                    Ok(scan) if scan.dropped.is_none() => {
                        assert_eq!(scan.book, book, "offset {offset} mask {mask:#04x}");
                        assert_eq!(scan.kept, bytes.len());
                    }
                    Ok(scan) => {
                        assert!(
                            offset >= last_start,
                            "offset {offset} mask {mask:#04x}: cut"
                        );
                        assert_eq!(scan.book, before_last, "offset {offset} mask {mask:#04x}");
                        assert_eq!(scan.kept, last_start);
                    }
                }
            }
        }
        Ok(())
    }

    #[test]
    fn a_last_line_of_whole_json_that_is_no_event_is_refused_not_cut() -> TestResult {
        let book = book(3)?;
        let (bytes, starts) = file_of(&book)?;
        let events = book.events().len();
        let last = String::from_utf8_lossy(&bytes[starts[events - 1]..]).into_owned();
        let kind_at = last
            .find(r#""type":""#)
            .map(|at| at + 8)
            .unwrap_or_default();
        let kind_end = last[kind_at..]
            .find('"')
            .map(|end| kind_at + end)
            .unwrap_or_default();
        // An event kind a newer version wrote, and a changed letter in a known one.
        for damaged_kind in ["grain_price_revised", "member_joinet"] {
            let mut damaged = bytes[..starts[events - 1]].to_vec();
            damaged.extend_from_slice(
                format!("{}{damaged_kind}{}", &last[..kind_at], &last[kind_end..]).as_bytes(),
            );
            match scan("log.jsonl", &damaged) {
                Err(Error::Log(LogError::BadLine { line, reason, .. })) => {
                    assert_eq!(line, events as u64, "{damaged_kind}");
                    assert!(reason.contains("unknown variant"), "{reason}");
                }
                Err(other) => panic!("{damaged_kind}: unexpected {other}"),
                Ok(scan) => panic!(
                    "{damaged_kind}: read with {} events and {:?} cut",
                    scan.book.events().len(),
                    scan.dropped
                ),
            }
        }
        Ok(())
    }

    #[test]
    fn a_bad_line_before_the_last_is_an_error_naming_it() -> TestResult {
        let book = book(4)?;
        let (bytes, starts) = file_of(&book)?;
        let mut damaged = bytes[..starts[2]].to_vec();
        damaged.extend_from_slice(b"\n");
        damaged.extend_from_slice(&bytes[starts[2]..]);
        let Err(Error::Log(LogError::BadLine { line, reason, .. })) = scan("log.jsonl", &damaged)
        else {
            panic!("an empty third line must be refused");
        };
        assert_eq!(line, 3);
        assert_eq!(reason, "the line is empty");
        Ok(())
    }

    #[test]
    fn a_byte_order_mark_is_damage_named_never_a_torn_tail() -> TestResult {
        let book = book(3)?;
        let (bytes, starts) = file_of(&book)?;
        let reason = "the line starts with a byte order mark (bytes EF BB BF), which the log never writes: the file was saved by another program; remove the three bytes";
        // Before the first of several lines, before the last, and a log of one event, with
        // its newline and without it (an editor that saved the file without a last newline;
        // the event was acknowledged, so it is not a torn append to cut off).
        let one = starts[1];
        for (cut, at, line) in [
            (bytes.len(), 0, 1),
            (bytes.len(), starts[2], 3),
            (one, 0, 1),
            (one - 1, 0, 1),
        ] {
            let mut saved = bytes[..cut].to_vec();
            saved.splice(at..at, [0xEF, 0xBB, 0xBF]);
            match scan("log", &saved) {
                Err(Error::Log(LogError::BadLine {
                    line: named,
                    reason: why,
                    ..
                })) => assert_eq!((named, why.as_str()), (line, reason)),
                Err(other) => panic!("line {line}: unexpected {other}"),
                Ok(scan) => panic!(
                    "line {line}: read with {} events, {:?} cut",
                    scan.book.events().len(),
                    scan.dropped
                ),
            }
        }
        Ok(())
    }

    /// Bytes after the last newline that hold a whole event followed by anything but the
    /// zeros a crash leaves are no append cut short: a newline was damaged, and the whole
    /// event before it was acknowledged. They are refused naming the line, never cut.
    #[test]
    fn a_last_piece_without_its_newline_that_no_crash_explains_is_refused_not_cut() -> TestResult {
        let book = book(4)?;
        let (bytes, starts) = file_of(&book)?;
        let end = bytes.len();
        // The last newline changed into another byte.
        let mut flipped = bytes.clone();
        flipped[end - 1] = b'*';
        // The newline before the last line changed, and the last line cut short.
        let mut run_together = bytes[..end - 20].to_vec();
        run_together[starts[3] - 1] = b'x';
        // Every newline turned into a carriage return (an old Mac's line end).
        let carriage_returns: Vec<u8> = bytes
            .iter()
            .map(|&b| if b == b'\n' { b'\r' } else { b })
            .collect();
        for (name, damaged, line) in [
            ("flipped", flipped, 4),
            ("run together", run_together, 3),
            ("carriage returns", carriage_returns, 1),
        ] {
            match scan("log", &damaged) {
                Err(Error::Log(LogError::BadLine {
                    line: named,
                    reason,
                    ..
                })) => {
                    assert_eq!(named, line, "{name}");
                    assert!(reason.contains("a newline was damaged"), "{name}: {reason}");
                }
                Err(other) => panic!("{name}: unexpected {other}"),
                Ok(scan) => panic!(
                    "{name}: read with {} events and {:?} cut",
                    scan.book.events().len(),
                    scan.dropped
                ),
            }
        }
        // A whole JSON object that is no event, without its newline, is refused as with one.
        let mut unknown = bytes[..starts[3]].to_vec();
        unknown.extend_from_slice(b"{\"seq\":3,\"colour\":\"red\"}");
        let Err(Error::Log(LogError::BadLine { line, reason, .. })) = scan("log", &unknown) else {
            panic!("an object that is no event must be refused");
        };
        assert_eq!(line, 4);
        assert!(reason.contains("unknown field `colour`"), "{reason}");
        // A whole last event whose newline the crash never wrote (a zero, or nothing) is
        // an append cut short, as before.
        for tail in [&b"\0"[..], b""] {
            let mut torn = bytes[..end - 1].to_vec();
            torn.extend_from_slice(tail);
            let scan = scan("log", &torn)?;
            assert_eq!(
                (scan.kept, scan.book.events().len(), scan.torn),
                (starts[3], 3, end - starts[3] - 1 + tail.len())
            );
        }
        Ok(())
    }

    #[test]
    fn zeros_from_a_crash_are_a_torn_tail() -> TestResult {
        let book = book(3)?;
        let (mut bytes, _) = file_of(&book)?;
        let whole = bytes.len();
        // Pages the crash did not write read back as zeros, with or without the newline.
        bytes.extend_from_slice(&[0; 40]);
        let scan1 = scan("log", &bytes)?;
        assert_eq!((scan1.kept, scan1.book.events().len()), (whole, 3));
        bytes.push(b'\n');
        let scan2 = scan("log", &bytes)?;
        assert_eq!(scan2.kept, whole);
        assert!(scan2
            .dropped
            .is_some_and(|why| why.contains("line 4, the last")));
        Ok(())
    }

    /// Zeros in a last line are a hole a crash left only after the start of the line it was
    /// writing: after bytes that are no start of a line (other data, a changed byte), they
    /// are damage named with the line, not a tail to cut off.
    #[test]
    fn zeros_after_bytes_that_start_no_line_are_damage_not_a_tear() -> TestResult {
        let book = book(4)?;
        let (bytes, starts) = file_of(&book)?;
        let sound = bytes[..starts[3]].to_vec();
        let last = &bytes[starts[3]..bytes.len() - 1];
        for tail in [&b"garbage\0more"[..], b"garbage\0more\n", b"x\0\0\0"] {
            let mut damaged = sound.clone();
            damaged.extend_from_slice(tail);
            let Err(Error::Log(LogError::BadLine { line, reason, .. })) = scan("log", &damaged)
            else {
                panic!(
                    "{:?} after the events must be refused",
                    String::from_utf8_lossy(tail)
                );
            };
            assert_eq!(line, 4);
            assert!(reason.ends_with(NO_CRASH), "{reason}");
        }
        // The start of the line the log writes, then a hole and whatever followed it: torn.
        for cut in [0, 1, 12, last.len() / 2, last.len()] {
            let mut torn = sound.clone();
            torn.extend_from_slice(&last[..cut]);
            torn.extend_from_slice(b"\0\0\0\0");
            torn.extend_from_slice(&last[cut..]);
            let scanned = scan("log", &torn)?;
            assert_eq!((scanned.kept, scanned.book.events().len()), (starts[3], 3));
            // With its newline too (but for a whole event: the newline follows it directly,
            // and a whole event followed by other bytes is a damaged newline).
            if cut < last.len() {
                torn.push(b'\n');
                let scanned = scan("log", &torn)?;
                assert_eq!((scanned.kept, scanned.book.events().len()), (starts[3], 3));
            }
        }
        Ok(())
    }

    #[test]
    fn two_lines_run_together_at_the_end_are_damage_not_a_tear() -> TestResult {
        let book = book(4)?;
        let (bytes, starts) = file_of(&book)?;
        for joint in [b' ', b'x', 0] {
            let mut damaged = bytes.clone();
            damaged[starts[3] - 1] = joint;
            let Err(Error::Log(LogError::BadLine { line, reason, .. })) = scan("log", &damaged)
            else {
                panic!("a damaged newline must be refused");
            };
            assert_eq!(line, 3);
            assert!(reason.contains("a newline was damaged"), "{reason}");
        }
        Ok(())
    }

    #[test]
    fn a_failed_write_poisons_the_log_and_the_file_stays_behind() -> TestResult {
        let path = scratch("failed-write");
        let mut log = EventLog::create(&path)?;
        let mut book = Book::new();
        let price = |day| Event::GrainPriceRecorded {
            crop: "wheat".into(),
            unit: GrainUnit::Jin,
            date: day,
            price: Decimal::ONE,
        };
        log.append(&mut book, 0, "p0".parse()?, price(date!(2019 - 01 - 01)))?;
        // A handle that cannot write stands in for a full or failing disk.
        log.file = File::open(&path)?;
        let failed = log.append(&mut book, 1, "p1".parse()?, price(date!(2019 - 01 - 02)));
        assert!(
            matches!(
                failed,
                Err(Error::Log(LogError::AppendFailed {
                    seq: 1,
                    operation: "writing",
                    ..
                }))
            ),
            "{failed:?}"
        );
        // The book took the event; the file did not.
        assert_eq!(book.events().len(), 2);
        let again = log.append(&mut book, 2, "p2".parse()?, price(date!(2019 - 01 - 03)));
        assert!(matches!(
            again,
            Err(Error::Log(LogError::NeedsReopen { .. }))
        ));
        drop(log);
        let (mut log, mut reopened, opened) = EventLog::open(&path)?;
        assert_eq!((opened.events, opened.dropped_bytes), (1, 0));
        // The retry with the same id goes through now.
        let retried = log.append(
            &mut reopened,
            1,
            "p1".parse()?,
            price(date!(2019 - 01 - 02)),
        )?;
        assert!(matches!(retried, Applied::Recorded { seq: 1, .. }));
        assert_eq!(reopened, book);
        drop(log);
        std::fs::remove_file(&path)?;
        Ok(())
    }

    #[test]
    fn reading_reports_a_torn_tail_and_leaves_the_file_as_it_was() -> TestResult {
        let book = book(3)?;
        let (whole, _) = file_of(&book)?;
        let path = scratch("read-torn");
        // Cut short without its newline; zeros a crash left; cut short with a newline.
        let tails: [&[u8]; 3] = [b"{\"seq\":3,\"id", &[0; 40], b"{\"seq\":3,\"id\n"];
        for tail in tails {
            let mut bytes = whole.clone();
            bytes.extend_from_slice(tail);
            std::fs::write(&path, &bytes)?;
            let (read_book, read) = EventLog::read(&path)?;
            assert_eq!(read_book, book);
            assert_eq!(
                (read.events, read.bytes, read.torn_bytes),
                (3, to_u64(whole.len()), to_u64(tail.len()))
            );
            let why = read.torn_reason.unwrap_or_default();
            assert!(why.contains("line 4"), "{why}");
            assert_eq!(std::fs::read(&path)?, bytes, "reading changed the file");
            // Opening (as a writer) cuts exactly what reading reported.
            let (log, _, opened) = EventLog::open(&path)?;
            assert_eq!(opened.dropped_bytes, read.torn_bytes);
            drop(log);
        }
        // Damage on the last line is an error, and the file is left as it is too.
        let mut bytes = whole.clone();
        bytes.extend_from_slice(b"{}\n");
        std::fs::write(&path, &bytes)?;
        let damaged = EventLog::read(&path);
        assert!(
            matches!(damaged, Err(Error::Log(LogError::BadLine { line: 4, .. }))),
            "{damaged:?}"
        );
        assert_eq!(std::fs::read(&path)?, bytes);
        std::fs::remove_file(&path)?;
        Ok(())
    }

    /// On Unix the writer's lock is advisory, so a reader that takes none reads on. (On
    /// Windows the lock keeps readers out, as [`EventLog::read`] says.)
    #[cfg(unix)]
    #[test]
    fn a_log_a_writer_holds_open_reads_and_the_writer_writes_on() -> TestResult {
        let mut book = book(5)?;
        let path = scratch("read-held");
        let mut writer = EventLog::create_from(&path, &book)?;
        assert!(matches!(
            EventLog::open(&path),
            Err(Error::Log(LogError::Locked { .. }))
        ));
        let bytes = std::fs::read(&path)?;
        let (read_book, read) = EventLog::read(&path)?;
        assert_eq!(read_book, book);
        assert_eq!(
            (read.events, read.bytes, read.torn_bytes, read.torn_reason),
            (5, to_u64(bytes.len()), 0, None)
        );
        assert_eq!(std::fs::read(&path)?, bytes);
        // The writer still holds the log and appends; a second read sees the new event.
        let price = Event::GrainPriceRecorded {
            crop: "wheat".into(),
            unit: GrainUnit::Jin,
            date: date!(2019 - 06 - 01),
            price: Decimal::ONE,
        };
        writer.append(&mut book, 5, "after-read".parse()?, price)?;
        assert!(matches!(
            EventLog::open(&path),
            Err(Error::Log(LogError::Locked { .. }))
        ));
        let (read_book, read) = EventLog::read(&path)?;
        assert_eq!((read_book, read.events), (book, 6));
        drop(writer);
        std::fs::remove_file(&path)?;
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_write_protected_log_reads() -> TestResult {
        use std::os::unix::fs::PermissionsExt;
        let book = book(4)?;
        let path = scratch("read-only");
        let (bytes, _) = file_of(&book)?;
        std::fs::write(&path, &bytes)?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444))?;
        let (read_book, read) = EventLog::read(&path)?;
        assert_eq!((read_book, read.events, read.torn_bytes), (book, 4, 0));
        assert_eq!(std::fs::read(&path)?, bytes);
        // Where the permission holds (not for root), a writer cannot open the log at all.
        if OpenOptions::new().write(true).open(&path).is_err() {
            let opened = EventLog::open(&path);
            assert!(
                matches!(
                    opened,
                    Err(Error::Io {
                        operation: "opening",
                        ..
                    })
                ),
                "{opened:?}"
            );
        }
        std::fs::remove_file(&path)?;
        Ok(())
    }

    /// A log an editor saved with Windows line ends (CR LF) is refused, naming the first line
    /// that ends so: the log never writes a carriage return, and accepting one would have the
    /// next append write a bare newline after it, a file of two kinds of line end.
    #[test]
    fn carriage_return_line_ends_are_refused_naming_the_line() -> TestResult {
        let book = book(3)?;
        let (bytes, _) = file_of(&book)?;
        let crlf: Vec<u8> = bytes
            .iter()
            .flat_map(|&b| {
                if b == b'\n' {
                    vec![b'\r', b'\n']
                } else {
                    vec![b]
                }
            })
            .collect();
        let end = bytes.len();
        let mut last_crlf = bytes[..end - 1].to_vec();
        last_crlf.extend_from_slice(b"\r\n");
        // The last line's carriage return without its newline: a whole event, acknowledged,
        // that an editor saved; no crash writes a carriage return.
        let mut last_cr = bytes[..end - 1].to_vec();
        last_cr.push(b'\r');
        for (name, damaged, line) in [
            ("every line", &crlf, 1),
            ("the last line", &last_crlf, 3),
            ("the last line without its newline", &last_cr, 3),
        ] {
            match scan("log", damaged) {
                Err(Error::Log(LogError::BadLine {
                    line: named,
                    reason,
                    ..
                })) => assert_eq!(
                    (named, reason.as_str()),
                    (line, CARRIAGE_RETURN_REASON),
                    "{name}"
                ),
                Err(other) => panic!("{name}: unexpected {other}"),
                Ok(scan) => panic!(
                    "{name}: read with {} events and {:?} cut",
                    scan.book.events().len(),
                    scan.dropped
                ),
            }
        }
        // Opening (to append) and reading refuse alike, and the file is left as it was.
        let path = scratch("crlf");
        std::fs::write(&path, &crlf)?;
        let opened = EventLog::open(&path);
        assert!(
            matches!(opened, Err(Error::Log(LogError::BadLine { line: 1, .. }))),
            "{opened:?}"
        );
        let read = EventLog::read(&path);
        assert!(
            matches!(read, Err(Error::Log(LogError::BadLine { line: 1, .. }))),
            "{read:?}"
        );
        assert_eq!(std::fs::read(&path)?, crlf);
        std::fs::remove_file(&path)?;
        // Other whitespace around an event is refused too.
        let (_, starts) = file_of(&book)?;
        let mut spaced = bytes.clone();
        spaced.insert(starts[2] - 1, b' ');
        let Err(Error::Log(LogError::BadLine { line, reason, .. })) = scan("log", &spaced) else {
            panic!("a space after an event must be refused");
        };
        assert_eq!(line, 2);
        assert!(reason.contains("whitespace"), "{reason}");
        Ok(())
    }

    /// A last line that is whole (the event ends where the log ends it) but has a changed
    /// byte is no append cut short, with its newline or without: a crash leaves a prefix of
    /// the line, and zeros where it wrote nothing, never another byte. It is refused naming
    /// the line, never cut (the event may have been acknowledged).
    #[test]
    fn a_whole_last_line_with_a_changed_byte_is_refused_not_cut() -> TestResult {
        let book = book(4)?;
        let (bytes, starts) = file_of(&book)?;
        let (last, end) = (starts[3], bytes.len());
        let line = &bytes[last..end - 1];
        let at = |what: &[u8]| -> usize {
            line.windows(what.len())
                .position(|w| w == what)
                .map_or(usize::MAX, |at| last + at)
        };
        let digest = at(b",\"digest\":\"") + 11;
        let comma = at(b",\"id\"");
        let changed = |offset: usize, byte: u8| {
            let mut damaged = bytes.clone();
            damaged[offset] = if damaged[offset] == byte { b'0' } else { byte };
            damaged
        };
        for (name, damaged) in [
            ("a comma", changed(comma, b';')),
            ("a digit of the digest", changed(digest + 5, b'f')),
            ("the digest's closing quote", changed(end - 3, b' ')),
            ("the closing brace", changed(end - 2, b']')),
        ] {
            for newline in [true, false] {
                let damaged = if newline {
                    damaged.clone()
                } else {
                    damaged[..end - 1].to_vec()
                };
                match scan("log", &damaged) {
                    Err(Error::Log(LogError::BadLine { line, .. })) => {
                        assert_eq!(line, 4, "{name}, newline {newline}");
                    }
                    Err(other) => panic!("{name}, newline {newline}: unexpected {other}"),
                    Ok(scan) => panic!(
                        "{name}, newline {newline}: read with {} events and {:?} cut",
                        scan.book.events().len(),
                        scan.dropped
                    ),
                }
            }
        }
        // What a crash leaves is still cut: a prefix of the line, the whole event without its
        // newline, and a line with a hole of zeros the crash never wrote.
        let mut holed = bytes.clone();
        holed[last + 3..last + 12].fill(0);
        for (name, torn) in [
            ("the whole event", bytes[..end - 1].to_vec()),
            ("into the digest", bytes[..digest + 10].to_vec()),
            ("at the digest", bytes[..digest].to_vec()),
            ("before the digest", bytes[..digest - 3].to_vec()),
            ("early", bytes[..last + 5].to_vec()),
            ("a hole", holed.clone()),
            ("a hole, no newline", holed[..end - 1].to_vec()),
        ] {
            let scan = scan("log", &torn)?;
            assert_eq!(
                (scan.kept, scan.book.events().len(), scan.torn),
                (last, 3, torn.len() - last),
                "{name}"
            );
        }
        Ok(())
    }

    /// The reason a line longer than `max` bytes is refused.
    fn too_long(max: usize) -> String {
        format!("the line is longer than {max} bytes, the most a line of the log holds: no event log has such a line (is it a binary file, or one whose newlines were changed to other line ends?); reading stopped there")
    }

    /// A line longer than the limit is refused naming it and the limit, after reading no
    /// more of it than the limit: an endless line (a device, a file of gigabytes without a
    /// newline) ends the reading rather than filling memory.
    #[test]
    fn a_line_longer_than_the_limit_is_refused_naming_it() -> TestResult {
        let book = book(4)?;
        let (bytes, starts) = file_of(&book)?;
        let longest = starts
            .windows(2)
            .map(|w| w[1] - w[0] - 1)
            .max()
            .unwrap_or(0);
        // Every line of the log fits a limit of its longest line.
        let lines = Lines::with_max_line("log.jsonl", &bytes[..], longest);
        let scanned = scan_lines("log.jsonl", lines, Keep::Events)?;
        assert_eq!(scanned.book, book);
        // Its newlines changed to carriage returns: one line, refused at the limit.
        let crs: Vec<u8> = bytes
            .iter()
            .map(|&b| if b == b'\n' { b'\r' } else { b })
            .collect();
        let lines = Lines::with_max_line("log.jsonl", &crs[..], longest);
        let Err(Error::Log(LogError::BadLine { path, line, reason })) =
            scan_lines("log.jsonl", lines, Keep::Events)
        else {
            panic!("a line longer than the limit must be refused");
        };
        assert_eq!(
            (path.as_str(), line, reason),
            ("log.jsonl", 1, too_long(longest))
        );
        // After two whole events, an endless line: line 3, and the reading ends.
        let endless = bytes[..starts[2]].chain(io::repeat(b'x'));
        let lines = Lines::with_max_line("log.jsonl", BufReader::new(endless), 1 << 16);
        let Err(Error::Log(LogError::BadLine { line, reason, .. })) =
            scan_lines("log.jsonl", lines, Keep::Events)
        else {
            panic!("an endless line must be refused");
        };
        assert_eq!((line, reason), (3, too_long(1 << 16)));
        // An endless line after a line that is no event: that line is named.
        let mut damaged = bytes[..starts[2]].to_vec();
        damaged.extend_from_slice(b"{\"seq\":2,\n");
        let endless = damaged.chain(io::repeat(b'x'));
        let lines = Lines::with_max_line("log.jsonl", BufReader::new(endless), 1 << 16);
        let Err(Error::Log(LogError::BadLine { line, .. })) =
            scan_lines("log.jsonl", lines, Keep::Events)
        else {
            panic!("the line that is no event must be refused");
        };
        assert_eq!(line, 3);
        Ok(())
    }

    /// The length `line_bytes` counts is the length of the line the log writes.
    #[test]
    fn line_bytes_counts_the_line_the_log_writes() -> TestResult {
        let book = book(4)?;
        for logged in book.events() {
            let line = serde_json::to_vec(logged)?;
            assert_eq!(
                line_bytes(logged.seq, &logged.id, &logged.event, usize::MAX),
                line.len()
            );
            // Beyond a limit shorter than the line: more than the limit.
            assert!(line_bytes(logged.seq, &logged.id, &logged.event, 10) > 10);
        }
        Ok(())
    }

    /// An append whose line would be longer than the log's limit is refused before the book
    /// takes it: the book and the file stay as they were, and an event that fits is then
    /// appended as usual. `create_from` refuses such an event too.
    #[test]
    fn an_event_too_large_to_read_back_is_never_written() -> TestResult {
        let source = book(4)?;
        let events = source.events();
        let path = scratch("too-large");
        let mut log = EventLog::create(&path)?;
        let mut book = Book::new();
        for logged in &events[..2] {
            log.append(
                &mut book,
                logged.seq,
                logged.id.clone(),
                logged.event.clone(),
            )?;
        }
        let third = &events[2];
        let third_line = serde_json::to_vec(third)?.len();
        log.max_line = third_line - 1;
        let (before_book, before_file) = (book.clone(), std::fs::read(&path)?);
        let refused = log.append(&mut book, 2, third.id.clone(), third.event.clone());
        assert_eq!(
            refused,
            Err(LogError::EventTooLarge {
                path: shown(&path),
                seq: 2,
                id: third.id.to_string(),
                max: to_u64(third_line - 1),
            }
            .into())
        );
        assert_eq!((&book, std::fs::read(&path)?), (&before_book, before_file));
        log.max_line = third_line;
        log.append(&mut book, 2, third.id.clone(), third.event.clone())?;
        drop(log);
        let (read, _) = EventLog::read(&path)?;
        assert_eq!(read, book);

        // The first event whose line is longer than the limit is the one named.
        let mut first = None;
        for logged in events {
            if first.is_none() && serde_json::to_vec(logged)?.len() >= third_line {
                first = Some(logged);
            }
        }
        let first = first.ok_or("the third event's line is that long")?;
        let file = File::create(&path)?;
        let refused = write_events(&file, &path, events, third_line - 1);
        assert_eq!(
            refused,
            Err(LogError::EventTooLarge {
                path: shown(&path),
                seq: first.seq,
                id: first.id.to_string(),
                max: to_u64(third_line - 1),
            }
            .into())
        );
        std::fs::remove_file(&path)?;
        Ok(())
    }

    /// With the real limit, an endless line is refused at 256 MiB, naming it.
    #[test]
    fn an_endless_line_is_refused_at_the_real_limit() {
        let endless = BufReader::with_capacity(1 << 20, io::repeat(b'\r'));
        let Err(Error::Log(LogError::BadLine { line, reason, .. })) =
            scan_reader("log.jsonl", endless, Keep::Events)
        else {
            panic!("an endless line must be refused");
        };
        assert_eq!((line, reason), (1, too_long(EventLog::MAX_LINE_BYTES)));
    }

    /// Every prefix of every kind of line the log writes is an append cut short.
    #[test]
    fn every_prefix_of_a_line_is_a_torn_append() -> TestResult {
        let scale = crate::synthetic::Scale {
            households: 3,
            parcels_per_household: 2,
            work_records: 30,
        };
        let mut book = Book::new();
        for (id, event) in crate::synthetic::events(scale, 7)? {
            book.apply(id, event)?;
        }
        let mut kinds = std::collections::BTreeSet::new();
        let mut previous = Digest::ZERO;
        for logged in book.events() {
            let line = serde_json::to_vec(logged)?;
            let kind = serde_json::to_value(&logged.event)?["type"].to_string();
            if kinds.insert(kind.clone()) {
                // Every cut of a short line; of a long one, its first and last 600 and every
                // 97th byte between.
                let cuts = (0..=line.len())
                    .filter(|&cut| cut < 600 || line.len() - cut < 600 || cut % 97 == 0);
                for cut in cuts {
                    let piece = &line[..cut];
                    assert_eq!(
                        last_line_damage(piece, logged.seq, &previous),
                        None,
                        "{kind} cut at {cut}: {}",
                        String::from_utf8_lossy(piece)
                    );
                }
            }
            previous = logged.digest;
        }
        assert!(kinds.len() > 8, "{kinds:?}");
        Ok(())
    }

    #[test]
    fn json_reasons_name_the_column_not_the_line() {
        let Err(error) = serde_json::from_slice::<LoggedEvent>(b"{\"seq\":x}") else {
            panic!("not JSON");
        };
        assert_eq!(json_reason(&error), "column 8: expected value");
    }
}
