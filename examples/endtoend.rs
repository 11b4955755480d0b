//! End-to-end timings at scale: replay an event log from disk into a `Book`, take its trial
//! balance, make every statement and write them, with the peak memory of the process.
//!
//! With `--out DIR` the statements are written with `folder::write_statements`, which
//! writes the receipts to their files as it makes them: `statements_ms` is the time to make
//! and write every file. Without it they are made in memory (`folder::statements`).
//!
//! ```text
//! endtoend LOG [--out DIR] [--cooperative NAME] [--year YEAR] [--leave-events]
//! endtoend [--growth] [--sizes N,N,...] [--dir DIR] [--leave-events] [--payments]
//! endtoend --by-kind LOG
//! endtoend --cooperatives N [--households H] [--jobs J] [--dir DIR] [--leave-events] [--payments]
//! ```
//!
//! With `--leave-events` each log is read with `EventLog::read_leaving_events`, whose book
//! holds each event's id and digest rather than the event (`Book::leave_events`); without
//! it, with `EventLog::read`. The statements are the same either way.
//!
//! With a log, one line of figures for that log. Without one (the default), the growth run:
//! for each size, a synthetic book of about that many events (a town's proportions: four
//! parcels and 33 work records a household; `landpool::synthetic`, seed 1) is written as a
//! log, and the program runs itself on it in a fresh process, so that each peak memory figure
//! is that size's own. The default sizes (2,000 and 20,000 events) keep the run short; the
//! README's table comes from `--sizes 10000,100000,1000000`.
//!
//! A synthetic year accrues rent and books work but pays neither. With `--payments` each
//! synthetic log also pays, just before its close, each household its rent and each member
//! their wages, what the book owes them on 31 December, from the bank: an event each, as a
//! real year's payments are (`landpool::synthetic::payments`).
//!
//! `--by-kind` reads the log itself and times applying each event (not reading it), summed
//! by the event's type: how a county-size year's time splits between registering members,
//! booking timesheets and closing the year. It also says how much the peak memory rose while
//! the year was closed.
//!
//! `--cooperatives N` measures a county as a platform keeps it: N cooperatives of H
//! households each (1,000 by default; four parcels and 40 work records a household, the
//! county's proportions; seeds 1 to N, so each cooperative is its own) are written as N
//! logs (`cooperative-1.jsonl`, … in `DIR`, or in a temporary folder removed afterwards),
//! then a fresh process opens every log, takes its trial balance and writes its statements
//! into a folder of its own (`DIR/out/cooperative-1`, …), `J` cooperatives at a time (2 by
//! default, one a core), and prints the wall time of the whole run, the time each step took summed over
//! the cooperatives, and the peak memory. `--cooperatives 250` is the county of the issue
//! (250,000 households, 1,000,000 parcels, 10,000,000 work records) in 250 books instead of
//! one.
//!
//! Peak memory is the kernel's high-water mark of resident memory (`VmHWM` in
//! `/proc/self/status`, Linux only): `peak_mb` at the end of the run, `trial_peak_mb` once
//! the log is read and replayed and its trial balance made, before the statements (the
//! first target's figure; `n/a` for `--cooperatives`, whose books are read at the same
//! time). The trial balance is dropped before the statements, which make their own.

use std::error::Error as StdError;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use landpool::folder::{self, Settings};
use landpool::synthetic::{self, Scale};
use landpool::{Applied, Book, Event, EventLog};

type Outcome<T> = Result<T, Box<dyn StdError>>;

fn main() -> Outcome<()> {
    let mut log = None;
    let mut out = None;
    let mut cooperative = String::from("合作社");
    let mut year = None;
    let mut sizes = vec![2_000_u64, 20_000];
    let mut dir = None;
    let mut by_kind = false;
    let mut cooperatives = None;
    let mut households = 1_000_u32;
    let mut jobs = 2_usize;
    let mut run_cooperatives = None;
    let mut leave = false;
    let mut payments = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--cooperative" => cooperative = value()?,
            "--year" => year = Some(value()?.parse()?),
            "--growth" => {}
            "--by-kind" => by_kind = true,
            "--leave-events" => leave = true,
            "--payments" => payments = true,
            "--sizes" => {
                sizes = value()?
                    .split(',')
                    .map(|size| size.trim().parse())
                    .collect::<Result<_, _>>()?;
            }
            "--dir" => dir = Some(PathBuf::from(value()?)),
            "--cooperatives" => cooperatives = Some(value()?.parse::<u32>()?),
            "--households" => households = value()?.parse()?,
            "--jobs" => jobs = value()?.parse()?,
            // The second half of `--cooperatives`, in the fresh process.
            "--run-cooperatives" => run_cooperatives = Some(PathBuf::from(value()?)),
            "-h" | "--help" => {
                println!("usage: endtoend LOG [--out DIR] [--cooperative NAME] [--year YEAR] [--leave-events]\n       endtoend [--growth] [--sizes N,N,...] [--dir DIR] [--leave-events] [--payments]\n       endtoend --by-kind LOG\n       endtoend --cooperatives N [--households H] [--jobs J] [--dir DIR] [--leave-events] [--payments]");
                return Ok(());
            }
            other if !other.starts_with('-') && log.is_none() => log = Some(PathBuf::from(other)),
            other => return Err(format!("unknown argument {other:?}; try --help").into()),
        }
    }
    if let Some(dir) = run_cooperatives {
        return run_cooperatives_in(&dir, jobs, leave);
    }
    if let Some(count) = cooperatives {
        return county_of_cooperatives(count, households, jobs, dir, leave, payments);
    }
    match log {
        Some(log) if by_kind => by_kind_table(&log),
        Some(log) => {
            let figures = measure(&log, out.as_deref(), cooperative, year, leave)?;
            println!("{}", figures.line());
            Ok(())
        }
        None => growth(&sizes, dir, leave, payments),
    }
}

/// What one run on one log measured.
struct Figures {
    events: u64,
    bytes: u64,
    entries: usize,
    open: Duration,
    trial_balance: Duration,
    /// Making every statement, and writing them with `--out`.
    statements: Duration,
    files: usize,
    peak_mb: Option<u64>,
    /// The peak once the log was read and replayed and its trial balance made, before the
    /// statements: the book's own memory and the trial balance's.
    trial_peak_mb: Option<u64>,
}

impl Figures {
    /// One line, `key=value` separated by spaces, that [`Figures::parse`] reads back.
    fn line(&self) -> String {
        format!(
            "events={} bytes={} entries={} open_ms={} trial_balance_ms={} statements_ms={} files={} peak_mb={} trial_peak_mb={}",
            self.events,
            self.bytes,
            self.entries,
            self.open.as_millis(),
            self.trial_balance.as_millis(),
            self.statements.as_millis(),
            self.files,
            self.peak_mb.map_or("n/a".into(), |mb| mb.to_string()),
            self.trial_peak_mb.map_or("n/a".into(), |mb| mb.to_string()),
        )
    }

    fn field(line: &str, key: &str) -> Option<u64> {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
            .and_then(|value| value.parse().ok())
    }
}

/// The process's peak resident memory in MB, where the system says.
fn peak_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024)
}

fn measure(
    log: &Path,
    out: Option<&Path>,
    cooperative: String,
    year: Option<i32>,
    leave: bool,
) -> Outcome<Figures> {
    let started = Instant::now();
    // Only read: `EventLog::read` replays and checks the log as `EventLog::open` does, but
    // takes no writer's lock and cuts nothing (a torn last line stays, noted below).
    let (book, read) = if leave {
        EventLog::read_leaving_events(log)?
    } else {
        EventLog::read(log)?
    };
    let open = started.elapsed();
    if read.torn_bytes > 0 {
        eprintln!(
            "note: {}: a torn last line of {} bytes, left in the file and not read: {}",
            log.display(),
            read.torn_bytes,
            read.torn_reason.as_deref().unwrap_or("an append cut short")
        );
    }

    let started = Instant::now();
    let journal = book.journal();
    let year = match year {
        Some(year) => year,
        None => journal
            .closed_years()
            .last()
            .or_else(|| journal.entries().last().map(|entry| entry.date.year()))
            .ok_or("the log has no entries, so no year to report; give --year")?,
    };
    let (first, last) = (
        time::Date::from_calendar_date(year, time::Month::January, 1)?,
        time::Date::from_calendar_date(year, time::Month::December, 31)?,
    );
    let trial = journal.trial_balance(first, last)?;
    let trial_balance = started.elapsed();
    let trial_peak_mb = peak_mb();
    let trial_lines = trial.rows.len();
    drop(trial);

    let started = Instant::now();
    let settings = Settings {
        cooperative,
        title: format!("{} {year}", log.display()),
        year,
        event_prefix: "e".into(),
        close: None,
        prior_log: None,
    };
    let files = match out {
        Some(out) => folder::write_statements(&book, &settings, out)?.len(),
        None => folder::statements(&book, &settings)?.len(),
    };
    let statements = started.elapsed();
    eprintln!(
        "{}: {} events, {} trial balance lines, year {year}",
        log.display(),
        read.events,
        trial_lines
    );
    Ok(Figures {
        events: read.events,
        bytes: read.bytes,
        entries: journal.len(),
        open,
        trial_balance,
        statements,
        files,
        peak_mb: peak_mb(),
        trial_peak_mb,
    })
}

/// Applies the log's events one by one, timing each apply, and prints the time by type.
fn by_kind_table(log: &Path) -> Outcome<()> {
    use std::io::BufRead;
    let reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(log)?);
    let mut book = Book::new();
    let mut kinds: std::collections::BTreeMap<String, (u64, Duration)> = Default::default();
    let mut close_rise = None;
    for line in reader.split(b'\n') {
        let line = line?;
        let logged: landpool::LoggedEvent = serde_json::from_slice(&line)?;
        let kind = serde_json::to_value(&logged.event)?
            .get("type")
            .and_then(|kind| kind.as_str().map(str::to_string))
            .unwrap_or_default();
        let closing = matches!(logged.event, landpool::Event::YearClosed { .. });
        let before = if closing { peak_mb() } else { None };
        let started = Instant::now();
        let applied = book.apply(logged.id, logged.event)?;
        let took = started.elapsed();
        if closing {
            close_rise = before.zip(peak_mb()).map(|(b, a)| a.saturating_sub(b));
        }
        if !matches!(applied, Applied::Recorded { digest, .. } if digest == logged.digest) {
            return Err(format!("event {} does not replay to its digest", logged.seq).into());
        }
        let slot = kinds.entry(kind).or_default();
        slot.0 += 1;
        slot.1 += took;
    }
    println!("| event type | events | apply ms |");
    println!("| --- | ---: | ---: |");
    for (kind, (count, took)) in &kinds {
        println!("| {kind} | {count} | {} |", took.as_millis());
    }
    println!(
        "peak memory {} MB; the close raised it by {} MB",
        peak_mb().map_or("n/a".into(), |mb| mb.to_string()),
        close_rise.map_or("n/a".into(), |mb| mb.to_string())
    );
    Ok(())
}

/// Writes a synthetic book of about `events` events (more with `payments`) as a log at
/// `path`; returns the count.
fn write_log(events: u64, path: &Path, payments: bool) -> Outcome<u64> {
    let households = u32::try_from((events / 10).max(28))?;
    let scale = Scale {
        households,
        parcels_per_household: 4,
        work_records: u64::from(households) * 33,
    };
    write_synthetic_log(scale, 1, path, payments)
}

/// Writes the synthetic book of `scale` and `seed` as a log at `path`, with the year's
/// payments before its close when `payments` says so; returns its events.
fn write_synthetic_log(scale: Scale, seed: u64, path: &Path, payments: bool) -> Outcome<u64> {
    let mut book = Book::new();
    for (id, event) in synthetic::events(scale, seed)? {
        if let (true, Event::YearClosed { year, .. }) = (payments, &event) {
            for (id, payment) in synthetic::payments(&book, *year)? {
                book.apply(id, payment)?;
            }
        }
        if let Applied::AlreadyApplied { .. } = book.apply(id, event)? {
            return Err("a synthetic event id repeated".into());
        }
    }
    // The output is replaced: a log refuses to be created over a file with content.
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    drop(EventLog::create_from(path, &book)?);
    Ok(u64::try_from(book.events().len())?)
}

/// The folder to work in, made if missing: `dir`, or a new folder in the system's temporary
/// folder (`landpool-<what>-<process id>`), which the caller removes (`true`) when done.
fn work_dir(dir: Option<PathBuf>, what: &str) -> Outcome<(PathBuf, bool)> {
    let (dir, temporary) = match dir {
        Some(dir) => (dir, false),
        None => (
            std::env::temp_dir().join(format!("landpool-{what}-{}", std::process::id())),
            true,
        ),
    };
    std::fs::create_dir_all(&dir)?;
    Ok((dir, temporary))
}

/// Runs this program again as `command` (a fresh process, for its own peak memory) on
/// `input`, and returns what it printed; its error output becomes the error if it fails.
fn run_self(command: &mut Command, input: &Path) -> Outcome<String> {
    let child = command.output()?;
    if !child.status.success() {
        return Err(format!(
            "measuring {} failed: {}",
            input.display(),
            String::from_utf8_lossy(&child.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(child.stdout)?)
}

fn growth(sizes: &[u64], dir: Option<PathBuf>, leave: bool, payments: bool) -> Outcome<()> {
    let (dir, temporary) = work_dir(dir, "endtoend")?;
    println!("| events | log MB | entries | open (replay) ms | trial balance ms | statements made and written ms | µs per event | peak MB with the trial balance | peak MB |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for &size in sizes {
        let log = dir.join(format!("book-{size}.jsonl"));
        let out = dir.join(format!("out-{size}"));
        write_log(size, &log, payments)?;
        let line = run_self(
            Command::new(std::env::current_exe()?)
                .arg(&log)
                .arg("--out")
                .arg(&out)
                .args(leave.then_some("--leave-events")),
            &log,
        )?;
        let field = |key| Figures::field(&line, key).ok_or(format!("no {key} in {line:?}"));
        let (events, open) = (field("events")?, field("open_ms")?);
        let total = open + field("trial_balance_ms")? + field("statements_ms")?;
        let tenths = total * 10_000 / events.max(1);
        println!(
            "| {events} | {} | {} | {open} | {} | {} | {}.{} | {} | {} |",
            field("bytes")? / 1_000_000,
            field("entries")?,
            field("trial_balance_ms")?,
            field("statements_ms")?,
            // Microseconds per event to a tenth, from whole milliseconds.
            tenths / 10,
            tenths % 10,
            Figures::field(&line, "trial_peak_mb").map_or("n/a".into(), |mb| mb.to_string()),
            Figures::field(&line, "peak_mb").map_or("n/a".into(), |mb| mb.to_string()),
        );
        if temporary {
            std::fs::remove_file(&log)?;
            std::fs::remove_dir_all(&out)?;
        }
    }
    if temporary {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}

/// The logs of `--cooperatives` in `dir`, in the order they were written.
fn cooperative_logs(dir: &Path) -> Outcome<Vec<PathBuf>> {
    let mut logs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let number = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_prefix("cooperative-"))
            .and_then(|name| name.strip_suffix(".jsonl"))
            .and_then(|number| number.parse::<u32>().ok());
        if let Some(number) = number {
            logs.push((number, path));
        }
    }
    logs.sort();
    Ok(logs.into_iter().map(|(_, path)| path).collect())
}

/// `--cooperatives`: writes `count` cooperatives' logs, then measures them in a fresh
/// process (so that the peak memory is the run's own) and prints its line of figures.
fn county_of_cooperatives(
    count: u32,
    households: u32,
    jobs: usize,
    dir: Option<PathBuf>,
    leave: bool,
    payments: bool,
) -> Outcome<()> {
    if count == 0 || households == 0 || jobs == 0 {
        return Err("--cooperatives, --households and --jobs need at least 1".into());
    }
    let (dir, temporary) = work_dir(dir, "cooperatives")?;
    // Logs of an earlier run with more cooperatives would be measured too.
    for old in cooperative_logs(&dir)? {
        std::fs::remove_file(old)?;
    }
    let scale = Scale {
        households,
        parcels_per_household: 4,
        work_records: u64::from(households) * 40,
    };
    let started = Instant::now();
    let mut events = 0;
    for number in 1..=count {
        let log = dir.join(format!("cooperative-{number}.jsonl"));
        events += write_synthetic_log(scale, u64::from(number), &log, payments)?;
    }
    eprintln!(
        "wrote {count} cooperatives' logs ({events} events) in {:?}",
        started.elapsed()
    );
    print!(
        "{}",
        run_self(
            Command::new(std::env::current_exe()?)
                .arg("--run-cooperatives")
                .arg(&dir)
                .arg("--jobs")
                .arg(jobs.to_string())
                .args(leave.then_some("--leave-events")),
            &dir,
        )?
    );
    if temporary {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}

/// The second half of `--cooperatives`: every log in `dir` opened, its trial balance taken
/// and its statements written into `dir/out/<log's name>`, by `jobs` threads, each taking
/// the next log not yet taken.
fn run_cooperatives_in(dir: &Path, jobs: usize, leave: bool) -> Outcome<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    let logs = cooperative_logs(dir)?;
    if logs.is_empty() {
        return Err(format!("no cooperative-N.jsonl in {}", dir.display()).into());
    }
    let out = dir.join("out");
    let next = AtomicUsize::new(0);
    let measured: Mutex<Vec<Result<Figures, String>>> = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                while let Some(log) = logs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let name = log.file_stem().map_or_else(
                        || "cooperative".to_string(),
                        |stem| stem.to_string_lossy().into_owned(),
                    );
                    let figures = measure(log, Some(&out.join(&name)), name, None, leave)
                        .map_err(|error| format!("{}: {error}", log.display()));
                    if let Ok(mut measured) = measured.lock() {
                        measured.push(figures);
                    }
                }
            });
        }
    });
    let wall = started.elapsed();
    let measured = measured
        .into_inner()
        .map_err(|_| "a thread measuring the cooperatives failed")?;
    if measured.len() != logs.len() {
        return Err("a thread measuring the cooperatives stopped early".into());
    }
    let mut total = Figures {
        events: 0,
        bytes: 0,
        entries: 0,
        open: Duration::ZERO,
        trial_balance: Duration::ZERO,
        statements: Duration::ZERO,
        files: 0,
        peak_mb: None,
        trial_peak_mb: None,
    };
    for figures in measured {
        let figures = figures?;
        total.events += figures.events;
        total.bytes += figures.bytes;
        total.entries += figures.entries;
        total.open += figures.open;
        total.trial_balance += figures.trial_balance;
        total.statements += figures.statements;
        total.files += figures.files;
    }
    total.peak_mb = peak_mb();
    // The steps' times are summed over the cooperatives; the wall time is the run's.
    println!(
        "cooperatives={} jobs={jobs} wall_ms={} {}",
        logs.len(),
        wall.as_millis(),
        total.line()
    );
    Ok(())
}
