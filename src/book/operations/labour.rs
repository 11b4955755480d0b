//! Labour: timesheets booked as vouchers (cost accounts debited, a credit per worker), the
//! register of every work record, wages paid, and labour income.
//!
//! Earlier versions booked a timesheet as one entry per worker: a county's monthly
//! timesheets then made millions of two-posting entries, each with its id, digest and index
//! slot (about 150 bytes an entry besides its postings). As vouchers of up to
//! [`MAX_POSTINGS`] postings they make a few hundred, with the same postings to the same
//! accounts (only the cost accounts' debits are summed), so every balance and statement is
//! what it was.

use std::collections::HashMap;

use time::Date;

use super::{cash, name, not_negative, positive, OperationsUpdate};
use crate::book::{Book, Plan};
use crate::ledger::hashing::IdIndex;
use crate::ledger::{
    read_amount, stored_amount, AccountCode, Entry, Name, Posting, Side, MAX_POSTINGS,
};
use crate::pool::{PoolError, MAX_WORKER_NAME_BYTES, NON_MEMBER_SEGMENT};
use crate::{
    BookedWork, CashAccount, EventId, MemberId, Result, Task, WageAccount, WorkKind, WorkRecord,
    Worker, Yuan,
};

/// The most cost-account debits in one part of a worker's pay (a worker's part always fits
/// an empty timesheet entry: the ledger takes at most [`MAX_POSTINGS`] postings, and a part
/// adds at most two credits).
const DEBITS_PER_ENTRY: usize = 1000;

/// The task number of administrative work in a [`WorkLine`].
const ADMINISTRATION: u32 = u32::MAX;

/// A booked work record, compact: the greenhouse is a number and the kind shares its 32 bits.
/// The register keeps it as a [`Kept`] line of its timesheet's block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WorkLine {
    /// The pay in fen.
    fen: i64,
    date: Date,
    /// The greenhouse's number (or [`WorkLine::TASKS`] for [`ADMINISTRATION`]) in the low
    /// bits, the kind in the top two.
    task_kind: u32,
}

impl WorkLine {
    /// The task bits' largest value, which stands for [`ADMINISTRATION`]: greenhouse numbers
    /// are below it.
    const TASKS: u32 = (1 << 30) - 1;

    /// The line of work on `date` paid `fen` for `task` (a greenhouse's number below
    /// [`WorkLine::TASKS`], or [`ADMINISTRATION`]); `None` for a greenhouse number too large
    /// (a book of a billion greenhouses).
    pub(crate) fn new(date: Date, fen: i64, task: u32, kind: WorkKind) -> Option<WorkLine> {
        let task = match task {
            ADMINISTRATION => WorkLine::TASKS,
            number if number < WorkLine::TASKS => number,
            _ => return None,
        };
        let kind: u32 = match kind {
            WorkKind::Seasonal => 0,
            WorkKind::Temporary => 1,
            WorkKind::Staff => 2,
        };
        Some(WorkLine {
            fen,
            date,
            task_kind: task | (kind << 30),
        })
    }

    /// The day worked.
    pub(crate) fn date(&self) -> Date {
        self.date
    }

    /// The pay in fen.
    pub(crate) fn fen(&self) -> i64 {
        self.fen
    }

    /// The greenhouse's number, or [`ADMINISTRATION`].
    pub(crate) fn task(&self) -> u32 {
        match self.task_kind & WorkLine::TASKS {
            WorkLine::TASKS => ADMINISTRATION,
            number => number,
        }
    }

    /// The kind of work.
    pub(crate) fn kind(&self) -> WorkKind {
        match self.task_kind >> 30 {
            0 => WorkKind::Seasonal,
            1 => WorkKind::Temporary,
            _ => WorkKind::Staff,
        }
    }
}

/// The labour register: every booked work record, one block per timesheet.
///
/// A block holds its lines grouped by worker in worker-number order, each line with its
/// worker's number: booking a timesheet appends one block (no per-worker lists to grow), a
/// worker's records are one binary search per block away, and all workers' incomes are one
/// pass over the lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Labour {
    /// Workers by number, in the order they first worked.
    workers: Vec<Worker>,
    /// The number of each member who worked (derived from `workers`): members' ids end in
    /// a number, and a run of them numbered in order takes 4 bytes a member, where a map
    /// from id to number copied every id.
    members: IdIndex<MemberId>,
    /// The number of each non-member worker, by name.
    non_members: HashMap<String, u32>,
    /// One block per timesheet, in booking order.
    sheets: Vec<Sheet>,
    /// The working lists of the last timesheet planned, for the next.
    lists: WorkLists,
}

/// Working lists of [`Book::plan_work`], kept between timesheets while a log is replayed
/// ([`Book::keep_work_lists`]): a timesheet of a hundred thousand records needs about 9 MB
/// of them, which fresh memory would page in again for each timesheet. A plan takes them
/// while it runs (a plan made meanwhile, on another thread, makes its own) and gives them
/// back emptied. Not part of the register: a clone starts without them, and equality does
/// not look at them. A book applying events one by one keeps none.
#[derive(Default)]
struct WorkLists(std::sync::Mutex<Option<Lists>>);

/// What [`WorkLists`] keeps: a plan's groups, each group's slot, each listed member's slot
/// and the lines, as [`Book::plan_work`] names them.
#[derive(Default)]
struct Lists {
    groups: Vec<Group>,
    group_slot: Vec<Option<usize>>,
    slot_by_position: Vec<u32>,
    lines: Vec<(u32, WorkLine)>,
    spilled: Spilled,
}

impl WorkLists {
    /// Lists kept from the last plan, emptied, or new ones (none kept, or another plan
    /// holds them).
    fn take(&self) -> Lists {
        match self.0.try_lock() {
            Ok(mut kept) => kept.as_mut().map(std::mem::take).unwrap_or_default(),
            Err(_) => Lists::default(),
        }
    }

    /// Keeps `lists`, emptied, for the next plan, when lists are kept.
    fn keep(&self, mut lists: Lists) {
        if let Ok(mut kept) = self.0.try_lock() {
            if let Some(slot) = kept.as_mut() {
                lists.clear();
                *slot = lists;
            }
        }
    }
}

impl Lists {
    /// Empties every list, keeping its room.
    fn clear(&mut self) {
        self.groups.clear();
        self.group_slot.clear();
        self.slot_by_position.clear();
        self.lines.clear();
        self.spilled.clear();
    }
}

impl Clone for WorkLists {
    fn clone(&self) -> WorkLists {
        WorkLists::default()
    }
}

impl std::fmt::Debug for WorkLists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WorkLists")
    }
}

/// The records of one timesheet, grouped by worker in worker-number order.
#[derive(Debug, Clone, PartialEq)]
struct Sheet {
    /// The timesheet's date (the day it was booked).
    date: Date,
    lines: Vec<Kept>,
    /// The pay of the lines whose pay does not fit in 32 bits, by the line's position, in
    /// order (a day's pay of 42,949,672.95 yuan or more: never, in a real book).
    large: Vec<(usize, i64)>,
}

/// A record as a [`Sheet`] keeps it: its worker's number beside it and its pay in 32 bits
/// ([`stored_amount`]), 16 bytes a record. A timesheet usually holds one record a worker (a
/// month's days worked), so the worker's number costs no more than an index of where each
/// worker's records start would. A timesheet holds at most `u32::MAX` records
/// ([`Book::plan_work`] refuses more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Kept {
    worker: u32,
    /// The pay in fen, or [`stored_amount`]'s stand-in for a pay kept in [`Sheet::large`].
    pay: u32,
    date: Date,
    /// As [`WorkLine::task_kind`].
    task_kind: u32,
}

impl Sheet {
    /// The block dated `date` of `lines`, each with its worker's number, grouped by worker in
    /// number order already; `count` is how many there are.
    fn new(date: Date, lines: impl IntoIterator<Item = (u32, WorkLine)>, count: usize) -> Sheet {
        let mut large = Vec::new();
        let mut kept = Vec::with_capacity(count);
        for (worker, line) in lines {
            kept.push(Kept {
                worker,
                pay: stored_amount(line.fen, kept.len(), &mut large),
                date: line.date,
                task_kind: line.task_kind,
            });
        }
        Sheet {
            date,
            lines: kept,
            large,
        }
    }

    /// The line at `position` of the block, with its worker's number.
    fn line(&self, position: usize) -> Option<(u32, WorkLine)> {
        let kept = self.lines.get(position)?;
        let line = WorkLine {
            fen: read_amount(kept.pay, &self.large, position)?,
            date: kept.date,
            task_kind: kept.task_kind,
        };
        Some((kept.worker, line))
    }

    /// Every line, with its worker's number, in worker-number order.
    fn lines(&self) -> impl Iterator<Item = (u32, WorkLine)> + '_ {
        (0..self.lines.len()).filter_map(|at| self.line(at))
    }

    /// The lines of the worker numbered `worker`, in the order they were booked.
    fn lines_of(&self, worker: u32) -> impl Iterator<Item = WorkLine> + '_ {
        let start = self.lines.partition_point(|kept| kept.worker < worker);
        let count = (self.lines.get(start..).unwrap_or_default())
            .partition_point(|kept| kept.worker == worker);
        (start..start.saturating_add(count)).filter_map(|at| self.line(at).map(|(_, line)| line))
    }
}

/// A timesheet's block for the register, made while the timesheet is planned
/// ([`Labour::prepare`]): its workers numbered, known ones by their number and new ones
/// from `base` on in the order of `new_workers`.
#[derive(Debug)]
pub(crate) struct BookedSheet {
    /// How many workers the register had when the block was made.
    base: usize,
    /// The workers first seen in this timesheet.
    new_workers: Vec<Worker>,
    sheet: Sheet,
}

/// A timesheet's entries and the payable sub-accounts they need opened.
type WorkEntries = (Vec<(AccountCode, Name, Name)>, Vec<Entry>);

/// Work records from which a timesheet's register block is made on a second thread.
const PARALLEL_PREPARE_MIN: usize = 4096;

/// A timesheet as planned, for [`Book::work_entries`]: its workers (by slot), their entry
/// groups, each group's slot, and the non-members' group.
#[derive(Clone, Copy)]
struct Planned<'p, 'a> {
    slots: &'p [Slot<'a>],
    groups: &'p [Group],
    spilled: &'p Spilled,
    group_slot: &'p [Option<usize>],
    non_member_group: Option<usize>,
}

impl PartialEq for Labour {
    /// The same workers in the same order and the same blocks (the index of members follows
    /// from the workers).
    fn eq(&self, other: &Labour) -> bool {
        self.workers == other.workers
            && self.non_members == other.non_members
            && self.sheets == other.sheets
    }
}

impl Labour {
    /// Keeps each timesheet's working lists for the next one ([`WorkLists`]), or, with
    /// `keep` false, lets go of them and keeps none.
    pub(crate) fn keep_work_lists(&mut self, keep: bool) {
        self.lists = WorkLists(std::sync::Mutex::new(keep.then(Lists::default)));
    }

    /// The number of `member`, if they have worked.
    fn member_number(&self, member: &MemberId) -> Option<u32> {
        let is_at =
            |at: usize| matches!(self.workers.get(at), Some(Worker::Member(m)) if m == member);
        let number = self.members.find(member, None, is_at)?;
        u32::try_from(number).ok()
    }

    /// The block of a timesheet whose workers are `slots` and whose lines are tagged with
    /// their worker's slot: each worker numbered, and the lines grouped by worker in number
    /// order (a stable sort, so each worker's records keep their order; lines that already
    /// come worker by worker in that order, as when the workers come in the order the
    /// register first saw them, take one pass). `date` is the timesheet's.
    fn prepare(
        &self,
        date: Date,
        slots: &[Slot<'_>],
        lines: &mut [(u32, WorkLine)],
    ) -> BookedSheet {
        let base = self.workers.len();
        let mut new_workers = Vec::new();
        // A timesheet's workers are often the last one's in the same order: each is tried
        // at the number after the previous worker's before the hash look-up.
        let mut next: Option<u32> = None;
        let numbers: Vec<u32> = slots
            .iter()
            .map(|slot| match self.number_guessing(slot.worker, next) {
                Some(number) => {
                    next = number.checked_add(1);
                    number
                }
                None => {
                    next = None;
                    let number =
                        u32::try_from(base.saturating_add(new_workers.len())).unwrap_or(u32::MAX);
                    new_workers.push(slot.worker.clone());
                    number
                }
            })
            .collect();
        let number_of = |slot: u32| {
            usize::try_from(slot)
                .ok()
                .and_then(|slot| numbers.get(slot))
                .copied()
                .unwrap_or(u32::MAX)
        };
        lines.sort_by_key(|&(slot, _)| number_of(slot));
        let sheet = Sheet::new(
            date,
            lines.iter().map(|&(slot, line)| (number_of(slot), line)),
            lines.len(),
        );
        BookedSheet {
            base,
            new_workers,
            sheet,
        }
    }

    /// Adds a timesheet's block: registers its new workers and keeps its lines.
    pub(crate) fn add(&mut self, booked: BookedSheet) {
        let BookedSheet {
            base,
            new_workers,
            mut sheet,
        } = booked;
        let numbers: Vec<u32> = new_workers
            .into_iter()
            .map(|worker| self.intern(worker))
            .collect();
        // New workers take the numbers the block gave them, unless the register changed
        // between the block and now (the book adds a block right after planning it, so it
        // does not); then the block is renumbered.
        let moved = numbers.iter().enumerate().any(|(k, &number)| {
            !u32::try_from(base.saturating_add(k)).is_ok_and(|given| given == number)
        });
        if moved {
            // Each line under its worker's new number, the lines put back in number order
            // (a stable sort: each worker's lines keep their order).
            let mut lines: Vec<(u32, WorkLine)> = sheet
                .lines()
                .map(|(worker, line)| {
                    let new = usize::try_from(worker)
                        .ok()
                        .and_then(|n| n.checked_sub(base))
                        .and_then(|k| numbers.get(k));
                    (new.copied().unwrap_or(worker), line)
                })
                .collect();
            lines.sort_by_key(|&(worker, _)| worker);
            sheet = Sheet::new(sheet.date, lines.iter().copied(), lines.len());
        }
        self.sheets.push(sheet);
    }

    /// The worker's number, given one if they are new.
    fn intern(&mut self, worker: Worker) -> u32 {
        if let Some(number) = self.number(&worker) {
            return number;
        }
        let number = u32::try_from(self.workers.len()).unwrap_or(u32::MAX);
        match &worker {
            Worker::Member(member) => {
                let at = usize::try_from(number).unwrap_or(usize::MAX);
                self.members.insert(member, None, at);
            }
            Worker::NonMember(name) => {
                self.non_members.insert(name.clone(), number);
            }
        }
        self.workers.push(worker);
        number
    }

    /// A worker's number, if they have worked: `guess` if that is theirs (one comparison),
    /// else looked up.
    fn number_guessing(&self, worker: &Worker, guess: Option<u32>) -> Option<u32> {
        let guessed = guess.filter(|&number| {
            usize::try_from(number)
                .ok()
                .and_then(|n| self.workers.get(n))
                .is_some_and(|known| known == worker)
        });
        guessed.or_else(|| self.number(worker))
    }

    /// A worker's number, if they have worked.
    fn number(&self, worker: &Worker) -> Option<u32> {
        match worker {
            Worker::Member(member) => self.member_number(member),
            Worker::NonMember(name) => self.non_members.get(name).copied(),
        }
    }

    /// The records of the worker numbered `number`, timesheet by timesheet.
    fn lines_at(&self, number: Option<u32>) -> impl Iterator<Item = WorkLine> + '_ {
        number.into_iter().flat_map(move |number| {
            (self.sheets.iter()).flat_map(move |sheet| sheet.lines_of(number))
        })
    }

    /// The pay of the records for task `task` (a greenhouse's number) dated on or before
    /// `date` in timesheets dated after it, and the date of the first of its records dated
    /// after `date` (all in timesheets dated after it), if any. Reads only the lines of
    /// timesheets dated after `date`.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`](crate::Error::Overflow) for pay that does not fit in fen.
    pub(crate) fn booked_after(&self, task: u32, date: Date) -> Result<(Yuan, Option<Date>)> {
        let mut fen: i64 = 0;
        let mut worked_after: Option<Date> = None;
        for sheet in self.sheets.iter().filter(|sheet| sheet.date > date) {
            for (_, line) in sheet.lines().filter(|(_, line)| line.task() == task) {
                if line.date() <= date {
                    fen = fen
                        .checked_add(line.fen())
                        .ok_or_else(|| crate::Error::Overflow {
                            operation: format!("pay booked after {date} for work on or before it"),
                        })?;
                } else if worked_after.is_none_or(|first| line.date() < first) {
                    worked_after = Some(line.date());
                }
            }
        }
        Ok((Yuan::from_fen(fen), worked_after))
    }

    /// A worker's records.
    fn lines_of(&self, worker: &Worker) -> impl Iterator<Item = WorkLine> + '_ {
        self.lines_at(self.number(worker))
    }

    /// A member's records.
    fn lines_of_member(&self, member: &MemberId) -> impl Iterator<Item = WorkLine> + '_ {
        self.lines_at(self.member_number(member))
    }

    /// Every worker's pay for records dated from `from` through `to`, by worker number.
    fn incomes(&self, from: Date, to: Date) -> Result<Vec<i64>> {
        let mut totals = vec![0_i64; self.workers.len()];
        for sheet in &self.sheets {
            for (worker, line) in sheet.lines() {
                if line.date() < from || line.date() > to {
                    continue;
                }
                if let Some(total) = usize::try_from(worker).ok().and_then(|n| totals.get_mut(n)) {
                    *total =
                        total
                            .checked_add(line.fen())
                            .ok_or_else(|| crate::Error::Overflow {
                                operation: format!("labour income from {from} to {to}"),
                            })?;
                }
            }
        }
        Ok(totals)
    }
}

/// Labour incomes of a period by worker number ([`Book::member_labour_incomes`]).
pub(crate) struct MemberIncomes<'b> {
    labour: &'b Labour,
    totals: Vec<i64>,
}

impl MemberIncomes<'_> {
    /// The member's income in the period (zero for a member who did not work).
    pub(crate) fn of(&self, member: &MemberId) -> Yuan {
        Yuan::from_fen(
            self.labour
                .member_number(member)
                .and_then(|n| usize::try_from(n).ok())
                .and_then(|n| self.totals.get(n))
                .copied()
                .unwrap_or(0),
        )
    }
}

/// Each member's pay booked in a period ([`Book::member_pay_booked`]), in fen, by the
/// member's id (the last segment of their payables' codes).
pub(crate) struct PayBooked<'b>(PayByMember<'b>);

/// Pay by member id: hashed with the ledger's code hasher (member ids are short, and a
/// county book's statements look up a quarter of a million of them twice).
type PayByMember<'b> = hashbrown::HashMap<
    &'b str,
    i64,
    std::hash::BuildHasherDefault<crate::ledger::hashing::CodeHasher>,
>;

impl PayBooked<'_> {
    /// The member's pay booked in the period (zero for a member paid nothing; below zero
    /// when a correction took away more than the period booked).
    pub(crate) fn of(&self, member: &MemberId) -> Yuan {
        Yuan::from_fen(self.0.get(member.as_str()).copied().unwrap_or(0))
    }

    /// The member's pay as a transaction volume: [`PayBooked::of`], not below zero.
    pub(crate) fn volume(&self, member: &MemberId) -> Yuan {
        self.of(member).max(Yuan::ZERO)
    }
}

/// Sums the pay of `lines` dated from `from` through `to`.
fn income(lines: impl IntoIterator<Item = WorkLine>, from: Date, to: Date) -> Result<Yuan> {
    let mut fen: i64 = 0;
    for line in lines {
        if line.date() >= from && line.date() <= to {
            fen = fen
                .checked_add(line.fen())
                .ok_or_else(|| crate::Error::Overflow {
                    operation: format!("labour income from {from} to {to}"),
                })?;
        }
    }
    Ok(Yuan::from_fen(fen))
}

/// One worker of a timesheet being planned.
struct Slot<'a> {
    worker: &'a Worker,
    /// The member's membership, for the per-record check (`None` for non-members).
    member: Option<(Date, Option<Date>)>,
    /// The ledger group (one per member; one for all non-members).
    group: usize,
}

/// One entry of a timesheet being planned: cost debits by task and payable credits.
#[derive(Default)]
struct Group {
    /// Task number → fen, in first-seen order.
    debits: Debits,
    /// Fen to 213 and to 212.
    labour: i64,
    staff: i64,
}

/// A group's debits: most workers work at one task in a timesheet, kept in the group;
/// a worker at more has their debits in a list of the timesheet's [`Spilled`].
#[derive(Default, Clone, Copy)]
enum Debits {
    #[default]
    None,
    One((u32, i64)),
    /// The place of the list in [`Spilled::lists`].
    Spilled(usize),
}

/// The debits of the groups of more than one task, in lists kept with their room from one
/// timesheet to the next ([`WorkLists`]): a timesheet of a hundred thousand workers at a
/// few tasks each would otherwise allocate, grow and free a list for each of them.
#[derive(Default)]
struct Spilled {
    lists: Vec<Vec<(u32, i64)>>,
    /// How many of `lists` this timesheet uses (the first ones); the rest are room.
    used: usize,
}

impl Spilled {
    /// Makes every list room again, keeping each one's own room.
    fn clear(&mut self) {
        self.used = 0;
    }

    /// A list in use, emptied, holding `first` and `second`, and its place.
    fn start(&mut self, first: (u32, i64), second: (u32, i64)) -> usize {
        let place = self.used;
        match self.lists.get_mut(place) {
            Some(list) => {
                list.clear();
                list.extend([first, second]);
            }
            None => self.lists.push(vec![first, second]),
        }
        self.used = place.saturating_add(1);
        place
    }
}

impl Group {
    /// Adds `fen` of work at `task` of `kind`; `None` on overflow.
    fn add(&mut self, task: u32, kind: WorkKind, fen: i64, spilled: &mut Spilled) -> Option<()> {
        match self.debits {
            Debits::None => self.debits = Debits::One((task, fen)),
            Debits::One((first, sum)) if first == task => {
                self.debits = Debits::One((task, sum.checked_add(fen)?));
            }
            Debits::One(first) => self.debits = Debits::Spilled(spilled.start(first, (task, fen))),
            Debits::Spilled(place) => {
                let list = spilled.lists.get_mut(place)?;
                match list.iter_mut().find(|(t, _)| *t == task) {
                    Some((_, sum)) => *sum = sum.checked_add(fen)?,
                    None => list.push((task, fen)),
                }
            }
        }
        match kind.account() {
            WageAccount::Labour => self.labour = self.labour.checked_add(fen)?,
            WageAccount::Staff => self.staff = self.staff.checked_add(fen)?,
        }
        Some(())
    }

    /// The group's debits (task number, fen) in first-seen order.
    fn debits<'s>(&'s self, spilled: &'s Spilled) -> &'s [(u32, i64)] {
        match &self.debits {
            Debits::None => &[],
            Debits::One(pair) => std::slice::from_ref(pair),
            Debits::Spilled(place) => spilled.lists.get(*place).map_or(&[], Vec::as_slice),
        }
    }
}

/// A part of one worker's pay in a timesheet: cost-account debits (task number, fen) and
/// the credits to the worker's payables (213, 212) they balance.
struct Part<'g> {
    /// The worker's group.
    group: usize,
    debits: &'g [(u32, i64)],
    credits: [(WageAccount, i64); 2],
}

/// A timesheet entry being filled: debits summed by cost account across its workers, one
/// credit per worker and payable, at most [`MAX_POSTINGS`] postings in all.
struct Voucher {
    /// Task number and fen, in first-seen order.
    debits: Vec<(u32, i64)>,
    /// Position in `debits` + 1 of each greenhouse's task (0: none yet), by greenhouse
    /// number; administration's is `administration`.
    debit_at: Vec<u32>,
    administration: u32,
    /// The payable and fen, in first-seen order.
    credits: Vec<(AccountCode, i64)>,
    /// The group whose credits were added last, and their positions in `credits` + 1 (a
    /// worker's several parts share their credits when they fall in one entry).
    last_group: Option<usize>,
    last_credits: [u32; 2],
}

/// Whether look-ups in a list are going through it in order: the last position found and
/// whether it followed the one before.
#[derive(Debug, Default, Clone, Copy)]
struct InOrder {
    last: Option<usize>,
    in_order: bool,
}

impl InOrder {
    /// The position to try first: the one after the last, while look-ups go in order.
    fn guess(self) -> Option<usize> {
        self.last
            .filter(|_| self.in_order)
            .and_then(|last| last.checked_add(1))
    }

    /// Records where a look-up found its key (`None`: not in the list).
    fn found(&mut self, position: Option<usize>) {
        self.in_order = matches!(
            (self.last, position),
            (Some(last), Some(at)) if last.checked_add(1) == Some(at)
        );
        self.last = position;
    }
}

/// A filled [`Voucher`]'s postings: debits by task number, credits by payable.
struct Filled {
    debits: Vec<(u32, i64)>,
    credits: Vec<(AccountCode, i64)>,
}

impl Voucher {
    fn new(greenhouses: usize) -> Voucher {
        Voucher {
            debits: Vec::new(),
            debit_at: vec![0; greenhouses],
            administration: 0,
            credits: Vec::new(),
            last_group: None,
            last_credits: [0; 2],
        }
    }

    /// Takes the voucher's debits and credits, leaving it empty for the next entry.
    fn take(&mut self) -> Filled {
        for &(task, _) in &self.debits {
            if let Some(at) = self.debit_at.get_mut(task as usize) {
                *at = 0;
            }
        }
        self.administration = 0;
        self.last_group = None;
        self.last_credits = [0; 2];
        Filled {
            debits: std::mem::take(&mut self.debits),
            credits: std::mem::take(&mut self.credits),
        }
    }

    fn is_empty(&self) -> bool {
        self.debits.is_empty() && self.credits.is_empty()
    }

    fn postings(&self) -> usize {
        self.debits.len().saturating_add(self.credits.len())
    }

    fn slot(&self, task: u32) -> u32 {
        if task == ADMINISTRATION {
            self.administration
        } else {
            self.debit_at.get(task as usize).copied().unwrap_or(0)
        }
    }

    /// Whether `part` can be added without passing the ledger's limit on postings (an empty
    /// voucher takes any part: a part has at most [`DEBITS_PER_ENTRY`] debits and two
    /// credits).
    fn fits(&self, part: &Part<'_>) -> bool {
        if self.is_empty() {
            return true;
        }
        let new_debits = part
            .debits
            .iter()
            .filter(|(task, fen)| *fen > 0 && self.slot(*task) == 0)
            .count();
        let same_worker = self.last_group == Some(part.group);
        let new_credits = part
            .credits
            .iter()
            .zip(self.last_credits)
            .filter(|((_, fen), at)| *fen > 0 && !(same_worker && *at > 0))
            .count();
        self.postings()
            .saturating_add(new_debits)
            .saturating_add(new_credits)
            <= MAX_POSTINGS
    }

    /// Adds `part`'s debits and credits, `payable` giving the worker's sub-account of 213 or
    /// 212 and `overflow` the error for a sum that does not fit.
    fn add(
        &mut self,
        part: &Part<'_>,
        payable: impl Fn(WageAccount) -> Result<AccountCode>,
        overflow: &dyn Fn() -> crate::Error,
    ) -> Result<()> {
        for &(task, fen) in part.debits.iter().filter(|(_, fen)| *fen > 0) {
            let at = self.slot(task);
            match (at as usize)
                .checked_sub(1)
                .and_then(|i| self.debits.get_mut(i))
            {
                Some((_, sum)) => *sum = sum.checked_add(fen).ok_or_else(overflow)?,
                None => {
                    self.debits.push((task, fen));
                    let at = u32::try_from(self.debits.len()).map_err(|_| overflow())?;
                    if task == ADMINISTRATION {
                        self.administration = at;
                    } else if let Some(slot) = self.debit_at.get_mut(task as usize) {
                        *slot = at;
                    }
                }
            }
        }
        if self.last_group != Some(part.group) {
            self.last_group = Some(part.group);
            self.last_credits = [0; 2];
        }
        for (&(account, fen), at) in part.credits.iter().zip(self.last_credits.iter_mut()) {
            if fen <= 0 {
                continue;
            }
            match (*at as usize)
                .checked_sub(1)
                .and_then(|i| self.credits.get_mut(i))
            {
                Some((_, sum)) => *sum = sum.checked_add(fen).ok_or_else(overflow)?,
                None => {
                    self.credits.push((payable(account)?, fen));
                    *at = u32::try_from(self.credits.len()).map_err(|_| overflow())?;
                }
            }
        }
        Ok(())
    }
}

/// `error`, found in the record at `index` (from 0) of timesheet `id`, as
/// [`PoolError::WorkRecordRefused`] naming the record by its position counted from 1. Made
/// only when a record is refused: the records that pass carry no position.
#[cold]
fn refused_record(id: &EventId, index: usize, error: crate::Error) -> crate::Error {
    PoolError::WorkRecordRefused {
        timesheet: id.clone(),
        record: index.saturating_add(1),
        error: Box::new(error),
    }
    .into()
}

/// The payable sub-account of a worker: `213.M001`, or `213.NONMEMBER` for non-members.
fn payable(account: WageAccount, worker: &Worker) -> Result<AccountCode> {
    let segment = match worker {
        Worker::Member(member) => member.as_str(),
        Worker::NonMember(_) => NON_MEMBER_SEGMENT,
    };
    AccountCode::new(account.code())?.sub(segment)
}

impl Book {
    pub(super) fn plan_work(
        &self,
        id: &EventId,
        date: Date,
        records: &[WorkRecord],
    ) -> Result<Plan> {
        if records.is_empty() {
            return Err(PoolError::NotAllowed {
                what: format!("timesheet {id}"),
                reason: "a timesheet needs at least one work record".into(),
            }
            .into());
        }
        if u32::try_from(records.len()).is_err() {
            return Err(PoolError::NotAllowed {
                what: format!("timesheet {id}"),
                reason: format!(
                    "a timesheet holds at most {} work records, not {}",
                    u32::MAX,
                    records.len()
                ),
            }
            .into());
        }
        let ops = &self.operations;
        // Room for a worker (and their group) per record, made at once: a timesheet has at
        // most that many, and room never used is never paged in, where lists grown by
        // doubling would be copied again and again into fresh pages. But for the slots, the
        // lists are the last timesheet's when kept ([`WorkLists`]), their pages in already.
        let mut slots: Vec<Slot<'_>> = Vec::with_capacity(records.len());
        let Lists {
            mut groups,
            mut group_slot,
            mut slot_by_position,
            mut lines,
            mut spilled,
        } = ops.labour.lists.take();
        lines.reserve_exact(records.len());
        // Each worker's slot: members in the register's list by their position there (slot
        // + 1, 0 for none yet), other workers by map.
        slot_by_position.resize(self.members.listed_len(), 0);
        let mut slot_of: HashMap<&Worker, usize> = HashMap::new();
        groups.reserve_exact(records.len());
        group_slot.reserve_exact(records.len());
        let mut non_member_group: Option<usize> = None;
        // The previous record's worker and task, to skip look-ups on runs of one worker.
        let mut last: Option<(&Worker, usize)> = None;
        let mut last_task: Option<(&crate::GreenhouseId, u32)> = None;
        // Timesheets are often listed in the registers' order (a roster by member, the
        // greenhouses in turn): while each member (greenhouse) found is the one after the
        // member (greenhouse) found before, the next is looked for there first, which
        // costs one comparison instead of a hash look-up.
        let mut members_in_order = InOrder::default();
        let mut greenhouses_in_order = InOrder::default();
        let overflow = || crate::Error::Overflow {
            operation: format!("pay in timesheet {id}"),
        };
        for (index, record) in records.iter().enumerate() {
            let slot = match last {
                Some((worker, slot)) if worker == &record.worker => slot,
                _ => {
                    // A member in the register's list has their slot by list position (no
                    // hashing); other workers by a map.
                    let (listed, member) = match &record.worker {
                        Worker::Member(member_id) => {
                            let (position, member) = self
                                .members
                                .get_listed_guessing(member_id, members_in_order.guess())
                                .ok_or_else(|| {
                                    refused_record(
                                        id,
                                        index,
                                        PoolError::UnknownMember {
                                            member: member_id.clone(),
                                        }
                                        .into(),
                                    )
                                })?;
                            members_in_order.found(position);
                            (position, Some(member))
                        }
                        Worker::NonMember(_) => (None, None),
                    };
                    let known = match listed {
                        Some(position) => slot_by_position
                            .get(position)
                            .and_then(|slot| slot.checked_sub(1))
                            .map(|slot| slot as usize),
                        None => slot_of.get(&record.worker).copied(),
                    };
                    match known {
                        Some(slot) => slot,
                        None => {
                            let slot = slots.len();
                            let group = match &record.worker {
                                Worker::Member(_) => {
                                    groups.push(Group::default());
                                    group_slot.push(Some(slot));
                                    groups.len().saturating_sub(1)
                                }
                                Worker::NonMember(worker_name) => {
                                    name(
                                        || "worker name".to_string(),
                                        worker_name,
                                        MAX_WORKER_NAME_BYTES,
                                    )
                                    .map_err(|error| refused_record(id, index, error))?;
                                    match non_member_group {
                                        Some(group) => group,
                                        None => {
                                            groups.push(Group::default());
                                            group_slot.push(None);
                                            // Just pushed: len ≥ 1.
                                            let group = groups.len().saturating_sub(1);
                                            non_member_group = Some(group);
                                            group
                                        }
                                    }
                                }
                            };
                            slots.push(Slot {
                                worker: &record.worker,
                                member: member.map(|m| (m.joined, m.left)),
                                group,
                            });
                            let numbered =
                                u32::try_from(slot.saturating_add(1)).map_err(|_| overflow())?;
                            match listed.and_then(|position| slot_by_position.get_mut(position)) {
                                Some(entry) => *entry = numbered,
                                None => {
                                    slot_of.insert(&record.worker, slot);
                                }
                            }
                            slot
                        }
                    }
                }
            };
            last = Some((&record.worker, slot));
            let Some(current) = slots.get(slot) else {
                continue;
            };
            if let Some((joined, left)) = current.member {
                let member_on =
                    record.date >= joined && left.is_none_or(|left| record.date <= left);
                if !member_on {
                    let member = match &record.worker {
                        Worker::Member(member) => member.clone(),
                        Worker::NonMember(_) => continue,
                    };
                    return Err(refused_record(
                        id,
                        index,
                        PoolError::WorkByNonMember {
                            member,
                            date: record.date,
                        }
                        .into(),
                    ));
                }
            }
            // The timesheet's own date is checked as every event's is; its records' dates
            // must be in the years the books keep too (1899 is a slip for 2019, say).
            if !crate::ledger::keeps_year(record.date.year()) {
                let (min_year, max_year) = (crate::ledger::MIN_YEAR, crate::ledger::MAX_YEAR);
                return Err(refused_record(
                    id,
                    index,
                    PoolError::NotAllowed {
                        what: format!("work on {}", record.date),
                        reason: format!("the books keep the years {min_year} to {max_year}"),
                    }
                    .into(),
                ));
            }
            if record.date > date {
                return Err(refused_record(
                    id,
                    index,
                    PoolError::NotAllowed {
                        what: format!("work on {}", record.date),
                        reason: format!(
                            "cannot be booked in a timesheet dated {date}, before the day worked"
                        ),
                    }
                    .into(),
                ));
            }
            let task = match &record.task {
                Task::Administration => ADMINISTRATION,
                Task::Greenhouse(gh) => {
                    let number = match last_task {
                        Some((last_gh, number)) if last_gh == gh => number,
                        _ => {
                            let found = ops
                                .greenhouse_ids
                                .number_guessing(gh, greenhouses_in_order.guess());
                            greenhouses_in_order.found(found);
                            let number =
                                found.and_then(|n| u32::try_from(n).ok()).ok_or_else(|| {
                                    refused_record(
                                        id,
                                        index,
                                        PoolError::UnknownGreenhouse {
                                            greenhouse: gh.clone(),
                                        }
                                        .into(),
                                    )
                                })?;
                            last_task = Some((gh, number));
                            number
                        }
                    };
                    let built = usize::try_from(number)
                        .ok()
                        .and_then(|n| ops.greenhouse_built.get(n))
                        .copied()
                        .unwrap_or(record.date);
                    if record.date < built {
                        return Err(refused_record(
                            id,
                            index,
                            PoolError::GreenhouseNotBuilt {
                                greenhouse: gh.clone(),
                                date: record.date,
                                built,
                            }
                            .into(),
                        ));
                    }
                    if !ops.greenhouse_retired.is_empty() {
                        let retired = usize::try_from(number)
                            .ok()
                            .and_then(|n| ops.greenhouse_retired.get(&n));
                        if let Some(&retired) = retired.filter(|&&r| record.date > r) {
                            return Err(refused_record(
                                id,
                                index,
                                PoolError::GreenhouseRetired {
                                    greenhouse: gh.clone(),
                                    date: record.date,
                                    retired,
                                }
                                .into(),
                            ));
                        }
                    }
                    number
                }
            };
            let (quantity, rate) = record.pay.quantity_and_rate();
            not_negative(|| record.pay.unit().to_string(), quantity)
                .map_err(|error| refused_record(id, index, error))?;
            not_negative(|| "rate".to_string(), rate)
                .map_err(|error| refused_record(id, index, error))?;
            let fen = record
                .pay
                .amount()
                .map_err(|error| {
                    let error = match error {
                        crate::Error::Overflow { .. } => crate::Error::Overflow {
                            operation: format!("pay of {quantity} {} × {rate}", record.pay.unit()),
                        },
                        other => other,
                    };
                    refused_record(id, index, error)
                })?
                .fen();
            let line = WorkLine::new(record.date, fen, task, record.kind).ok_or_else(|| {
                refused_record(
                    id,
                    index,
                    crate::Error::Overflow {
                        operation: format!(
                            "greenhouse number {task} in the labour register (at most {})",
                            WorkLine::TASKS - 1
                        ),
                    },
                )
            })?;
            lines.push((u32::try_from(slot).map_err(|_| overflow())?, line));
            let group = current.group;
            groups
                .get_mut(group)
                .and_then(|g| g.add(task, record.kind, fen, &mut spilled))
                .ok_or_else(overflow)?;
        }
        let planned = Planned {
            slots: &slots,
            groups: &groups,
            spilled: &spilled,
            group_slot: &group_slot,
            non_member_group,
        };
        let labour = &ops.labour;
        // The register's block is made on a second thread while the entries are made here
        // (for a large timesheet, where that is worth a thread).
        let parallel = lines.len() >= PARALLEL_PREPARE_MIN
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        let (built, prepared) = std::thread::scope(|scope| {
            let preparing = if parallel {
                let (slots, lines) = (&slots, &mut lines);
                std::thread::Builder::new()
                    .name("landpool-labour".into())
                    .spawn_scoped(scope, move || labour.prepare(date, slots, lines))
                    .ok()
            } else {
                None
            };
            let built = self.work_entries(id, date, planned);
            (built, preparing.and_then(|thread| thread.join().ok()))
        });
        let (accounts, entries) = built?;
        // A thread that cannot start or be joined (it cannot panic) leaves it to this one.
        let booked = match prepared {
            Some(booked) => booked,
            None => labour.prepare(date, &slots, &mut lines),
        };
        labour.lists.keep(Lists {
            groups,
            group_slot,
            slot_by_position,
            lines,
            spilled,
        });
        Ok(Plan::operations(
            accounts,
            entries,
            OperationsUpdate::Work(booked),
        ))
    }

    /// The entries of a planned timesheet, and the non-members' payable sub-accounts to
    /// open: workers' parts (one per worker, or one per [`DEBITS_PER_ENTRY`] cost accounts)
    /// are added to an entry while its postings stay within [`MAX_POSTINGS`], debits summed
    /// by cost account and a worker's credits by payable.
    fn work_entries(
        &self,
        id: &EventId,
        date: Date,
        planned: Planned<'_, '_>,
    ) -> Result<WorkEntries> {
        let Planned {
            slots,
            groups,
            spilled,
            group_slot,
            non_member_group,
        } = planned;
        let ops = &self.operations;
        let overflow = || crate::Error::Overflow {
            operation: format!("pay in timesheet {id}"),
        };
        let mut accounts = Vec::new();
        if let Some(group) = non_member_group.and_then(|g| groups.get(g)) {
            self.no_member_holds_non_members_accounts(|| format!("timesheet {id}"))?;
            for (account, amount) in [
                (WageAccount::Labour, group.labour),
                (WageAccount::Staff, group.staff),
            ] {
                let code = payable(account, &Worker::NonMember(String::new()))?;
                if amount > 0 && !self.journal.chart().contains(&code) {
                    let (name_zh, name_en) = if account == WageAccount::Labour {
                        ("应付劳务费—非成员", "labour payable — non-members")
                    } else {
                        ("应付工资—非成员", "wages payable — non-members")
                    };
                    let (name_zh, name_en) = Name::pair(name_zh, name_en);
                    accounts.push((code, name_zh, name_en));
                }
            }
        }
        // Each task's cost account, made when its greenhouse was built.
        let administration = AccountCode::new("523")?;
        let task_account = |task: u32| -> Result<AccountCode> {
            if task == ADMINISTRATION {
                return Ok(administration.clone());
            }
            usize::try_from(task)
                .ok()
                .and_then(|n| ops.greenhouse_costs.get(n))
                .cloned()
                .ok_or_else(|| crate::Error::Overflow {
                    operation: format!("greenhouse number {task}"),
                })
        };
        // One memo shared by every entry of the timesheet.
        let memo = crate::ledger::Memo::from(format!("劳务费 labour pay, timesheet {id}"));
        let (labour_root, staff_root) = (
            AccountCode::new(WageAccount::Labour.code())?,
            AccountCode::new(WageAccount::Staff.code())?,
        );
        let mut voucher = Voucher::new(ops.greenhouse_ids.len());
        let mut vouchers: Vec<Filled> = Vec::new();
        for (number, group) in groups.iter().enumerate() {
            if group.labour == 0 && group.staff == 0 {
                continue;
            }
            let segment = match group_slot
                .get(number)
                .copied()
                .flatten()
                .and_then(|slot| slots.get(slot))
                .map(|slot| slot.worker)
            {
                Some(Worker::Member(member)) => member.as_str(),
                _ => NON_MEMBER_SEGMENT,
            };
            // Usually one part; a worker whose records reach more cost accounts than an
            // entry holds has several, each crediting its share of the payables (213 first,
            // then 212).
            let (mut labour, mut staff) = (group.labour, group.staff);
            for chunk in group.debits(spilled).chunks(DEBITS_PER_ENTRY) {
                let mut total: i64 = 0;
                for &(_, fen) in chunk.iter().filter(|(_, fen)| *fen > 0) {
                    total = total.checked_add(fen).ok_or_else(overflow)?;
                }
                if total == 0 {
                    continue;
                }
                let to_labour = total.min(labour);
                let to_staff = total.checked_sub(to_labour).ok_or_else(overflow)?;
                labour = labour.checked_sub(to_labour).ok_or_else(overflow)?;
                staff = staff.checked_sub(to_staff).ok_or_else(overflow)?;
                let part = Part {
                    group: number,
                    debits: chunk,
                    credits: [
                        (WageAccount::Labour, to_labour),
                        (WageAccount::Staff, to_staff),
                    ],
                };
                if !voucher.fits(&part) {
                    vouchers.push(voucher.take());
                }
                voucher.add(
                    &part,
                    |account| match account {
                        WageAccount::Labour => labour_root.sub(segment),
                        WageAccount::Staff => staff_root.sub(segment),
                    },
                    &overflow,
                )?;
            }
        }
        if !voucher.is_empty() {
            vouchers.push(voucher.take());
        }
        // One entry keeps the event's id; several are numbered from 0.
        let single = vouchers.len() == 1;
        let mut entries = Vec::with_capacity(vouchers.len());
        for (part, voucher) in vouchers.into_iter().enumerate() {
            let entry_id = if single {
                id.to_string()
            } else {
                format!("{id}:{part}")
            };
            let mut entry = Entry::new(entry_id, date, memo.clone());
            entry.postings =
                Vec::with_capacity(voucher.debits.len().saturating_add(voucher.credits.len()));
            for (task, fen) in voucher.debits {
                entry.postings.push(Posting {
                    account: task_account(task)?,
                    side: Side::Debit,
                    amount: Yuan::from_fen(fen),
                });
            }
            for (account, fen) in voucher.credits {
                entry.postings.push(Posting {
                    account,
                    side: Side::Credit,
                    amount: Yuan::from_fen(fen),
                });
            }
            entries.push(entry);
        }
        Ok((accounts, entries))
    }

    /// Refuses non-members' pay or wages (`what`) while a member has the id their payables
    /// are booked under (`213.NONMEMBER` would be the member's own).
    fn no_member_holds_non_members_accounts(&self, what: impl Fn() -> String) -> Result<()> {
        match self
            .members
            .get(&MemberId::new(NON_MEMBER_SEGMENT)?)
            .map(|m| m.id.clone())
        {
            Some(member) => Err(PoolError::NotAllowed {
                what: what(),
                reason: format!("member {member} has the id that non-members' pay is booked under; record their work as member work"),
            }
            .into()),
            None => Ok(()),
        }
    }

    pub(super) fn plan_wages_paid(
        &self,
        id: &EventId,
        worker: &Worker,
        account: WageAccount,
        date: Date,
        amount: Yuan,
        from: CashAccount,
    ) -> Result<Plan> {
        positive(|| format!("wages paid {id}"), amount)?;
        match worker {
            Worker::Member(member) => {
                if !self.members.contains_key(member) {
                    return Err(PoolError::UnknownMember {
                        member: member.clone(),
                    }
                    .into());
                }
            }
            // The rule a timesheet applies to the name (which the entry's memo carries).
            Worker::NonMember(worker_name) => {
                name(
                    || format!("wages paid {id}: worker name"),
                    worker_name,
                    MAX_WORKER_NAME_BYTES,
                )?;
                // Non-members' payables would be that member's: paying a non-member would
                // take the member's pay.
                self.no_member_holds_non_members_accounts(|| format!("wages paid {id}"))?;
            }
        }
        let code = payable(account, worker)?;
        // What is owed on the day and stays owed on every later day: a payment may not take
        // what a later-dated payment already settled (the payable would be in debit, paid
        // beyond what was owed, between the two), however much later work is booked.
        let (owed, on) = self.least_credit_from(&code, date)?;
        if amount > owed {
            return Err(PoolError::NotAllowed {
                what: format!("wages paid {id}: {amount} from {code} on {date}"),
                reason: format!("only {owed} is owed on {code} (as of {on})"),
            }
            .into());
        }
        let who = match worker {
            Worker::Member(member) => member.to_string(),
            Worker::NonMember(worker_name) => worker_name.clone(),
        };
        let entry = Entry::new(id.as_str(), date, format!("支付劳务费 wages paid to {who}"))
            .debit(code, amount)
            .credit(cash(from)?, amount);
        let update = match worker {
            Worker::Member(member) => OperationsUpdate::WagesPaid(member.clone(), date, amount),
            Worker::NonMember(_) => OperationsUpdate::None,
        };
        Ok(Plan::operations(Vec::new(), vec![entry], update))
    }

    /// A member's labour income from `from` through `to` (both included): the pay of every
    /// work record dated in the period, seasonal, temporary and staff alike.
    ///
    /// # Errors
    ///
    /// [`PoolError::UnknownMember`] for an id not in the register; [`PoolError::DatesReversed`]
    /// when `to` is before `from`; [`crate::Error::Overflow`] if the sum does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use rust_decimal_macros::dec;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// book.apply("join".parse()?, Event::MemberJoined { member: Member {
    ///     id: "M001".parse()?, name: "王建国".into(), kind: MemberKind::Household { persons: 4 },
    ///     village: "高格庄".into(), joined: date!(2019 - 01 - 01), left: None,
    /// }})?;
    /// book.apply("may".parse()?, Event::WorkRecorded { date: date!(2019 - 05 - 31), records: vec![WorkRecord {
    ///     worker: Worker::Member("M001".parse()?), date: date!(2019 - 05 - 31), task: Task::Administration,
    ///     pay: Pay::Days { days: dec!(12.5), rate: dec!(120.00) }, kind: WorkKind::Seasonal,
    /// }]})?;
    /// let income = book.labour_income(&"M001".parse()?, date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert_eq!(income.to_string(), "1500.00");
    /// assert_eq!(book.member_account(&"M001".parse()?, date!(2019 - 12 - 31))?.labour_payable.to_string(), "1500.00");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn labour_income(&self, member: &MemberId, from: Date, to: Date) -> Result<Yuan> {
        if !self.members.contains_key(member) {
            return Err(PoolError::UnknownMember {
                member: member.clone(),
            }
            .into());
        }
        check_period(from, to)?;
        income(self.operations.labour.lines_of_member(member), from, to)
    }

    /// Every member's labour income from `from` through `to`, in member id order (members
    /// with no work included, at zero), with the persons of each household for per-capita
    /// figures.
    ///
    /// # Errors
    ///
    /// [`PoolError::DatesReversed`] when `to` is before `from`; [`crate::Error::Overflow`] if a
    /// sum does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// let all = landpool::Book::new().labour_incomes(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert!(all.is_empty());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn labour_incomes(&self, from: Date, to: Date) -> Result<Vec<super::LabourIncome>> {
        let incomes = self.member_labour_incomes(from, to)?;
        let mut out = Vec::with_capacity(self.members.len());
        for member in self.members.values() {
            out.push(super::LabourIncome {
                member: member.id.clone(),
                persons: member.persons(),
                income: incomes.of(&member.id),
            });
        }
        Ok(out)
    }

    /// Every worker's labour income from `from` through `to`, summed in one pass over the
    /// labour register, to be read member by member (a look-up each, where
    /// [`Book::labour_income`] searches every timesheet for the member).
    pub(crate) fn member_labour_incomes(&self, from: Date, to: Date) -> Result<MemberIncomes<'_>> {
        check_period(from, to)?;
        let labour = &self.operations.labour;
        Ok(MemberIncomes {
            labour,
            totals: labour.incomes(from, to)?,
        })
    }

    /// Each registered member's pay booked from `from` through `to`: what the entries dated
    /// in the period credited to the member's wages and labour payables (212 and 213
    /// sub-accounts), less what they debited to them other than wages paid
    /// ([`Event::WagesPaid`](crate::Event::WagesPaid)): a timesheet adds its pay, a
    /// reversal or correction that debits the payable takes it away. What the close weighs
    /// as labour volume and the member statements show: a timesheet counts in the year of
    /// its date, so work booked after a close counts in the year it is booked in.
    pub(crate) fn member_pay_booked(&self, from: Date, to: Date) -> Result<PayBooked<'_>> {
        check_period(from, to)?;
        let overflow = |member: &str| crate::Error::Overflow {
            operation: format!("pay booked to member {member} from {from} to {to}"),
        };
        // Room for every member up front: one account of each under 213 (and a few under
        // 212), so the map never grows while it is filled.
        let mut pay = PayByMember::with_capacity_and_hasher(
            self.members.len(),
            std::hash::BuildHasherDefault::default(),
        );
        // Payments in the period debit the payables without changing the pay.
        for (member, payments) in &self.operations.wages_paid {
            for (date, amount) in payments {
                if (from..=to).contains(date) {
                    let total = pay.entry(member.as_str()).or_insert(0);
                    *total = total
                        .checked_add(amount.fen())
                        .ok_or_else(|| overflow(member.as_str()))?;
                }
            }
        }
        for root in [WageAccount::Staff, WageAccount::Labour] {
            let root = AccountCode::new(root.code())?;
            for (member, debits, credits) in self.journal.sub_account_sums(&root, from, to) {
                if (debits, credits) == (0, 0) {
                    continue;
                }
                let total = pay.entry(member).or_insert(0);
                *total = total
                    .checked_add(credits)
                    .and_then(|t| t.checked_sub(debits))
                    .ok_or_else(|| overflow(member))?;
            }
        }
        Ok(PayBooked(pay))
    }

    /// The pay of non-member workers from `from` through `to`, by name, in name order.
    ///
    /// # Errors
    ///
    /// [`PoolError::DatesReversed`] when `to` is before `from`; [`crate::Error::Overflow`] if a
    /// sum does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use time::macros::date;
    /// let pay = landpool::Book::new().non_member_labour(date!(2019 - 01 - 01), date!(2019 - 12 - 31))?;
    /// assert!(pay.is_empty());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn non_member_labour(&self, from: Date, to: Date) -> Result<Vec<(String, Yuan)>> {
        check_period(from, to)?;
        let labour = &self.operations.labour;
        let totals = labour.incomes(from, to)?;
        let mut out = Vec::new();
        for (worker, fen) in labour.workers.iter().zip(totals) {
            if let Worker::NonMember(worker_name) = worker {
                out.push((worker_name.clone(), Yuan::from_fen(fen)));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Every work record booked for a worker, in the order booked.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::*;
    /// use rust_decimal_macros::dec;
    /// use time::macros::date;
    ///
    /// let mut book = Book::new();
    /// let helper = Worker::NonMember("李四".into());
    /// book.apply("w1".parse()?, Event::WorkRecorded { date: date!(2019 - 06 - 30), records: vec![WorkRecord {
    ///     worker: helper.clone(), date: date!(2019 - 06 - 30), task: Task::Administration,
    ///     pay: Pay::Hours { hours: dec!(8), rate: dec!(15) }, kind: WorkKind::Temporary,
    /// }]})?;
    /// let work = book.work_of(&helper);
    /// assert_eq!(work.len(), 1);
    /// assert_eq!(work[0].amount.to_string(), "120.00");
    /// assert_eq!(work[0].task, Task::Administration);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn work_of(&self, worker: &Worker) -> Vec<BookedWork> {
        let ops = &self.operations;
        ops.labour
            .lines_of(worker)
            .map(|line| BookedWork {
                date: line.date(),
                task: usize::try_from(line.task())
                    .ok()
                    .and_then(|n| ops.greenhouse_ids.get(n))
                    .map_or(Task::Administration, |gh| Task::Greenhouse(gh.clone())),
                kind: line.kind(),
                amount: Yuan::from_fen(line.fen()),
            })
            .collect()
    }
}

/// Refuses a period whose end is before its start.
pub(super) fn check_period(from: Date, to: Date) -> Result<()> {
    if to < from {
        Err(PoolError::DatesReversed {
            what: "report period".into(),
            start: from,
            end: to,
        }
        .into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_group_sums_its_debits_by_task_in_first_seen_order_in_lists_used_again() {
        let mut spilled = Spilled::default();
        let (mut one, mut many) = (Group::default(), Group::default());
        assert_eq!(one.debits(&spilled), []);
        // One task, twice: kept in the group, summed.
        one.add(7, WorkKind::Seasonal, 100, &mut spilled).unwrap();
        one.add(7, WorkKind::Staff, 50, &mut spilled).unwrap();
        assert_eq!(one.debits(&spilled), [(7, 150)]);
        assert_eq!((one.labour, one.staff), (100, 50));
        assert!(spilled.lists.is_empty());
        // Three tasks, one of them again: a list of the three, in the order first seen.
        for (task, fen) in [(5, 10), (2, 20), (5, 1), (9, 30)] {
            many.add(task, WorkKind::Temporary, fen, &mut spilled)
                .unwrap();
        }
        assert_eq!(many.debits(&spilled), [(5, 11), (2, 20), (9, 30)]);
        assert_eq!(many.labour, 61);
        assert_eq!((spilled.lists.len(), spilled.used), (1, 1));
        // Overflow is refused.
        assert!(one
            .add(7, WorkKind::Seasonal, i64::MAX, &mut spilled)
            .is_none());
        // The next timesheet takes the same list, emptied, with its room.
        let room = spilled.lists[0].capacity();
        spilled.clear();
        let mut next = Group::default();
        next.add(1, WorkKind::Seasonal, 3, &mut spilled).unwrap();
        next.add(4, WorkKind::Seasonal, 4, &mut spilled).unwrap();
        assert_eq!(next.debits(&spilled), [(1, 3), (4, 4)]);
        assert_eq!(
            (spilled.lists.len(), spilled.lists[0].capacity()),
            (1, room)
        );
        // A second group of several tasks gets a list of its own.
        let mut other = Group::default();
        other.add(8, WorkKind::Seasonal, 1, &mut spilled).unwrap();
        other.add(6, WorkKind::Seasonal, 2, &mut spilled).unwrap();
        assert_eq!(other.debits(&spilled), [(8, 1), (6, 2)]);
        assert_eq!(next.debits(&spilled), [(1, 3), (4, 4)]);
        assert_eq!(spilled.used, 2);
    }

    /// Two timesheets booked by a book that keeps its work lists between them (as a replay
    /// does) and by one that does not: the second timesheet names fewer members, in another
    /// order, so lists left as the first timesheet filled them would misplace its records.
    #[test]
    fn timesheets_planned_with_kept_work_lists_book_as_alone() -> crate::Result<()> {
        use crate::{Event, EventId, Member, MemberKind, Pay, Task, WorkKind, WorkRecord};
        use rust_decimal_macros::dec;
        let mut events = Vec::new();
        for n in 1..=4 {
            events.push(Event::MemberJoined {
                member: Member {
                    id: format!("M{n:03}").parse()?,
                    name: format!("成员{n}").as_str().into(),
                    kind: MemberKind::Household { persons: 2 },
                    village: "高格庄".into(),
                    joined: date!(2019 - 01 - 01),
                    left: None,
                },
            });
        }
        // Each timesheet's records: the member and the days worked at 100.00 a day.
        let timesheets: [&[(&str, rust_decimal::Decimal)]; 2] = [
            &[
                ("M001", dec!(1)),
                ("M002", dec!(2)),
                ("M003", dec!(3)),
                ("M004", dec!(4)),
                ("M001", dec!(5)),
            ],
            &[("M003", dec!(10)), ("M001", dec!(20)), ("M003", dec!(30))],
        ];
        for records in timesheets {
            let records = records
                .iter()
                .map(|&(member, days)| {
                    Ok(WorkRecord {
                        worker: Worker::Member(member.parse()?),
                        date: date!(2019 - 05 - 20),
                        task: Task::Administration,
                        pay: Pay::Days {
                            days,
                            rate: dec!(100.00),
                        },
                        kind: WorkKind::Seasonal,
                    })
                })
                .collect::<crate::Result<Vec<WorkRecord>>>()?;
            events.push(Event::WorkRecorded {
                date: date!(2019 - 05 - 31),
                records,
            });
        }
        let (mut kept, mut alone) = (Book::new(), Book::new());
        kept.keep_work_lists(true);
        for (n, event) in events.into_iter().enumerate() {
            let id: EventId = format!("e{n}").parse()?;
            kept.apply(id.clone(), event.clone())?;
            alone.apply(id, event)?;
        }
        assert!(kept == alone);
        let (from, to) = (date!(2019 - 01 - 01), date!(2019 - 12 - 31));
        let incomes: Vec<String> = ["M001", "M002", "M003", "M004"]
            .into_iter()
            .map(|m| Ok(kept.labour_income(&m.parse()?, from, to)?.to_string()))
            .collect::<crate::Result<_>>()?;
        assert_eq!(incomes, ["2600.00", "200.00", "4300.00", "400.00"]);
        kept.keep_work_lists(false);
        assert!(kept == alone);
        Ok(())
    }

    #[test]
    fn look_ups_in_order_guess_the_next_position() {
        let mut order = InOrder::default();
        let mut guesses = Vec::new();
        for found in [
            Some(4),
            Some(5),
            Some(6),
            Some(2),
            None,
            Some(3),
            Some(7),
            Some(8),
        ] {
            guesses.push(order.guess());
            order.found(found);
        }
        // A guess only after two look-ups in a row found neighbours.
        assert_eq!(
            guesses,
            [None, None, Some(6), Some(7), None, None, None, None]
        );
        assert_eq!(order.guess(), Some(9));
        order.found(Some(usize::MAX));
        order.found(Some(0));
        assert_eq!(order.guess(), None);
    }

    #[test]
    fn a_workers_number_is_guessed_only_when_the_guess_is_theirs() {
        let member = |id: &str| Worker::Member(id.parse().unwrap_or_else(|e| panic!("{e}")));
        let mut labour = Labour::default();
        for worker in [member("M1"), member("M2"), Worker::NonMember("李四".into())] {
            labour.intern(worker);
        }
        let cases = [
            (member("M2"), Some(1), Some(1)),
            (member("M2"), Some(0), Some(1)),
            (member("M2"), Some(2), Some(1)),
            (member("M2"), Some(9), Some(1)),
            (member("M2"), None, Some(1)),
            (Worker::NonMember("李四".into()), Some(2), Some(2)),
            (Worker::NonMember("李四".into()), Some(0), Some(2)),
            // Not a worker yet: no guess makes them one.
            (member("M3"), Some(0), None),
            (Worker::NonMember("M1".into()), Some(0), None),
        ];
        for (worker, guess, expected) in cases {
            assert_eq!(
                labour.number_guessing(&worker, guess),
                expected,
                "{worker:?} guessed at {guess:?}"
            );
        }
    }

    /// A pay that does not fit in a line's 32 bits is kept beside the block by the line's
    /// position, and read back exactly, also after the block is renumbered and its lines
    /// move.
    #[test]
    fn a_pay_too_large_for_a_line_is_kept_beside_its_block() -> crate::Result<()> {
        assert_eq!(std::mem::size_of::<Kept>(), 16);
        let fits = i64::from(u32::MAX) - 1;
        let (a, b, c, mut labour) = three_workers();
        // b and c are new (numbers 1 and 2 in the block); c is numbered 1 before the block
        // is added, so b becomes 2 and c's lines move ahead of b's.
        let mut lines = vec![
            (1, line(2, i64::from(u32::MAX))),
            (2, line(3, -5)),
            (0, line(4, fits)),
            (1, line(5, 1 << 40)),
            (2, line(6, 9)),
        ];
        let block = labour.prepare(
            date!(2019 - 05 - 31),
            &[slot(&a), slot(&b), slot(&c)],
            &mut lines,
        );
        assert_eq!(
            block.sheet.large,
            [(1, i64::from(u32::MAX)), (2, 1 << 40), (3, -5)]
        );
        labour.intern(c.clone());
        labour.add(block);
        let fen = |worker: &Worker| -> Vec<i64> {
            labour.lines_of(worker).map(|line| line.fen()).collect()
        };
        assert_eq!(
            (fen(&a), fen(&b), fen(&c)),
            (vec![fits], vec![i64::from(u32::MAX), 1 << 40], vec![-5, 9])
        );
        let sheet = labour.sheets.first().ok_or(crate::Error::Overflow {
            operation: "no block".into(),
        })?;
        assert_eq!(
            sheet.large,
            [(1, -5), (3, i64::from(u32::MAX)), (4, 1 << 40)]
        );
        let may = (date!(2019 - 05 - 01), date!(2019 - 05 - 31));
        assert_eq!(
            labour.incomes(may.0, may.1)?,
            [fits, 4, i64::from(u32::MAX) + (1 << 40)]
        );
        Ok(())
    }

    #[test]
    fn a_work_line_keeps_its_task_and_kind_in_one_word() {
        assert_eq!(std::mem::size_of::<WorkLine>(), 16);
        let day = date!(2019 - 05 - 01);
        for kind in [WorkKind::Seasonal, WorkKind::Temporary, WorkKind::Staff] {
            for task in [0, 1, 27, WorkLine::TASKS - 1, ADMINISTRATION] {
                let line =
                    WorkLine::new(day, -5, task, kind).unwrap_or_else(|| panic!("{task} fits"));
                assert_eq!(
                    (line.date(), line.fen(), line.task(), line.kind()),
                    (day, -5, task, kind)
                );
            }
            // Greenhouse numbers from the administration's stand-in up do not fit.
            for task in [
                WorkLine::TASKS,
                WorkLine::TASKS + 1,
                1 << 31,
                ADMINISTRATION - 1,
            ] {
                assert_eq!(WorkLine::new(day, 1, task, kind), None, "{task}");
            }
        }
    }

    fn line(day: u8, fen: i64) -> WorkLine {
        let date = date!(2019 - 05 - 01)
            .replace_day(day)
            .unwrap_or(date!(2019 - 05 - 01));
        WorkLine::new(date, fen, ADMINISTRATION, WorkKind::Staff)
            .unwrap_or_else(|| panic!("administration fits"))
    }

    fn slot(worker: &Worker) -> Slot<'_> {
        Slot {
            worker,
            member: None,
            group: 0,
        }
    }

    /// A work record for [`register`]: worker, day worked, task, fen.
    type Record = (usize, i64, u32, i64);

    /// A register of `sheets`: each a timesheet's date and its records, days counted from
    /// 1 May 2019.
    fn register(sheets: &[(i64, Vec<Record>)]) -> Labour {
        let workers: Vec<Worker> = (0..4)
            .map(|w| Worker::NonMember(format!("工{w}")))
            .collect();
        let slots: Vec<Slot<'_>> = workers.iter().map(slot).collect();
        let day = |n: i64| date!(2019 - 05 - 01) + time::Duration::days(n);
        let mut labour = Labour::default();
        for (date, records) in sheets {
            let mut lines: Vec<(u32, WorkLine)> = records
                .iter()
                .map(|&(worker, worked, task, fen)| {
                    let line = WorkLine::new(day(worked), fen, task, WorkKind::Seasonal)
                        .unwrap_or_else(|| panic!("task {task} fits"));
                    (u32::try_from(worker % 4).unwrap_or(0), line)
                })
                .collect();
            let block = labour.prepare(day(*date), &slots, &mut lines);
            labour.add(block);
        }
        labour
    }

    /// Only timesheets dated after the day count: their records for the task on or before
    /// it are pay booked later, and the first of them after it is the day it was used.
    #[test]
    fn pay_booked_after_a_day_is_read_from_later_timesheets() -> crate::Result<()> {
        let labour = register(&[
            // Dated 10 May: read only for days before it.
            (9, vec![(0, 2, 0, 100), (1, 8, 0, 50)]),
            // Dated 31 May: task 0 on 5 and 20 May (100 + 7 fen before, 300 after), task 1
            // on 6 May, administration on 4 May.
            (
                30,
                vec![
                    (0, 4, 0, 100),
                    (1, 19, 0, 300),
                    (2, 5, 1, 900),
                    (3, 3, ADMINISTRATION, 70),
                    (2, 4, 0, 7),
                ],
            ),
            // Dated 30 June, booked after the May one: task 0 on 14 May.
            (60, vec![(3, 13, 0, 1000), (0, 40, 1, 5)]),
        ]);
        let day = |n: i64| date!(2019 - 05 - 01) + time::Duration::days(n);
        // (task, day, pay booked after it for work on or before it, first work after it)
        let cases = [
            (0, 14, 1107, Some(19)),
            (0, 13, 1107, Some(19)),
            (0, 12, 107, Some(13)),
            (1, 9, 900, Some(40)),
            // The 10 May timesheet is not after 10 May: its records do not count.
            (0, 9, 107, Some(13)),
            // On 2 May every timesheet is later: the first work after it is on 3 May.
            (0, 1, 0, Some(2)),
            (0, 60, 0, None),
            (7, 0, 0, None),
        ];
        for (task, on, fen, first) in cases {
            assert_eq!(
                labour.booked_after(task, day(on))?,
                (Yuan::from_fen(fen), first.map(day)),
                "task {task} on day {on}"
            );
        }
        Ok(())
    }

    #[test]
    fn pay_booked_after_a_day_that_does_not_fit_is_an_overflow() {
        let labour = register(&[(9, vec![(0, 2, 0, i64::MAX), (1, 3, 0, 1)])]);
        let day = date!(2019 - 05 - 05);
        assert_eq!(
            labour.booked_after(0, day).map_err(|e| e.to_string()),
            Err(crate::Error::Overflow {
                operation: "pay booked after 2019-05-05 for work on or before it".into(),
            }
            .to_string())
        );
    }

    proptest::proptest! {
        /// [`Labour::booked_after`] is the sum over every timesheet dated after the day of
        /// its records for the task, whatever the order the timesheets were booked in.
        #[test]
        fn pay_booked_after_a_day_is_every_later_timesheets_pay(
            sheets in proptest::collection::vec(
                (0_i64..60, proptest::collection::vec((0_usize..4, 0_i64..60, 0_u32..3, 0_i64..10_000), 0..12)),
                0..8,
            ),
            task in 0_u32..3,
            on in 0_i64..60,
        ) {
            let labour = register(&sheets);
            let day = |n: i64| date!(2019 - 05 - 01) + time::Duration::days(n);
            let later = sheets
                .iter()
                .filter(|(date, _)| *date > on)
                .flat_map(|(_, records)| records.iter())
                .filter(|record| record.2 == task);
            let pay: i64 = later.clone().filter(|r| r.1 <= on).map(|r| r.3).sum();
            let first = later.filter(|r| r.1 > on).map(|r| day(r.1)).min();
            proptest::prop_assert_eq!(
                labour.booked_after(task, day(on)).map_err(|e| e.to_string()),
                Ok((Yuan::from_fen(pay), first))
            );
        }
    }

    /// Members are numbered in the order they first work, whatever their ids (numbered in
    /// order, out of order, or not ending in a number), and found by id; a non-member whose
    /// name is a member's id is another worker.
    #[test]
    fn members_are_found_by_id_whatever_order_they_come_in() {
        let ids = [
            "H000001", "H000002", "H000004", "H000003", "V1", "COOP", "H000005", "M12",
        ];
        let mut labour = Labour::default();
        labour.intern(Worker::NonMember("H000002".into()));
        for id in ids {
            let member: MemberId = id.parse().unwrap_or_else(|e| panic!("{id}: {e}"));
            labour.intern(Worker::Member(member));
        }
        for (k, id) in ids.iter().enumerate() {
            let member: MemberId = id.parse().unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(
                labour.member_number(&member),
                u32::try_from(k + 1).ok(),
                "{id}"
            );
            // Interning again keeps the number.
            assert_eq!(
                labour.intern(Worker::Member(member)),
                u32::try_from(k + 1).unwrap_or(0)
            );
        }
        for id in ["H000006", "H000000", "H00001", "V2", "M1"] {
            let member: MemberId = id.parse().unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(labour.member_number(&member), None, "{id}");
        }
        assert_eq!(labour.number(&Worker::NonMember("H000002".into())), Some(0));
        assert_eq!(labour.workers.len(), ids.len() + 1);
    }

    /// Three workers 甲, 乙 and 丙, and a register that has numbered only 甲 (0).
    fn three_workers() -> (Worker, Worker, Worker, Labour) {
        let (a, b, c) = (
            Worker::NonMember("甲".into()),
            Worker::NonMember("乙".into()),
            Worker::NonMember("丙".into()),
        );
        let mut labour = Labour::default();
        labour.intern(a.clone());
        (a, b, c, labour)
    }

    /// A block's new workers keep the numbers it gave them; had the register numbered
    /// others in the meantime, the block is renumbered and each line stays with its worker.
    #[test]
    fn a_block_is_renumbered_if_the_register_moved_on() {
        let (a, b, c, mut labour) = three_workers();
        // Lines by slot: b (slot 1) first, then a (slot 0), then b again.
        let mut lines = vec![(1, line(2, 200)), (0, line(3, 300)), (1, line(4, 400))];
        let block = labour.prepare(date!(2019 - 05 - 31), &[slot(&a), slot(&b)], &mut lines);
        let mut moved = labour.clone();
        labour.add(block);
        assert_eq!(labour.number(&b), Some(1));
        let fen = |labour: &Labour, worker: &Worker| -> Vec<i64> {
            labour.lines_of(worker).map(|line| line.fen()).collect()
        };
        assert_eq!(
            (fen(&labour, &a), fen(&labour, &b)),
            (vec![300], vec![200, 400])
        );
        // The same block, with `c` numbered 1 before it is added: `b` becomes 2.
        let block = moved.prepare(date!(2019 - 05 - 31), &[slot(&a), slot(&b)], &mut lines);
        moved.intern(c.clone());
        moved.add(block);
        assert_eq!((moved.number(&c), moved.number(&b)), (Some(1), Some(2)));
        assert_eq!(
            (fen(&moved, &a), fen(&moved, &b)),
            (vec![300], vec![200, 400])
        );
        assert!(fen(&moved, &c).is_empty());
    }

    /// A block whose new workers were numbered the other way round in the meantime keeps
    /// its lines in worker-number order, each with its worker.
    #[test]
    fn a_block_renumbered_out_of_order_keeps_each_workers_lines() -> crate::Result<()> {
        let (a, b, c, mut labour) = three_workers();
        // b and c are new to the block (numbers 1 and 2 in it), lines by slot out of order.
        let mut lines = vec![
            (2, line(5, 500)),
            (1, line(2, 200)),
            (0, line(3, 300)),
            (1, line(4, 400)),
            (2, line(6, 600)),
        ];
        let block = labour.prepare(
            date!(2019 - 05 - 31),
            &[slot(&a), slot(&b), slot(&c)],
            &mut lines,
        );
        // c is numbered 1 before the block is added: b becomes 2.
        labour.intern(c.clone());
        labour.add(block);
        assert_eq!((labour.number(&c), labour.number(&b)), (Some(1), Some(2)));
        let fen = |worker: &Worker| -> Vec<i64> {
            labour.lines_of(worker).map(|line| line.fen()).collect()
        };
        assert_eq!(
            (fen(&a), fen(&b), fen(&c)),
            (vec![300], vec![200, 400], vec![500, 600])
        );
        // By worker number: a, c, b.
        let may = (date!(2019 - 05 - 01), date!(2019 - 05 - 31));
        assert_eq!(labour.incomes(may.0, may.1)?, [300, 1100, 600]);
        let sheet = labour.sheets.first().map(|sheet| {
            (sheet.lines().map(|(worker, line)| (worker, line.fen()))).collect::<Vec<_>>()
        });
        assert_eq!(
            sheet,
            Some(vec![(0, 300), (1, 500), (1, 600), (2, 200), (2, 400)])
        );
        Ok(())
    }
}
