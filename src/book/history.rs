//! The events a [`Book`](super::Book) holds: every event whole, or, for a book that left its
//! events in its log ([`Book::leave_events`](super::Book::leave_events)), each event's id
//! and chain digest only.
//!
//! The id and the digest are all the book itself needs of an event once it is applied: the
//! id to refuse it reused, the digest to continue the chain and to tell a retry from a
//! conflict (the digest of event `seq` covers the digest before it, `seq`, the id and the
//! event, so an event sent again under its id is the same event exactly when it chains to
//! the same digest). The events themselves are read by the audit, the folder's
//! `events.jsonl` and [`crate::EventLog::create_from`], which say so when they are missing.

use crate::ledger::hashing::numbered;
use crate::ledger::Digest;
use crate::{EventId, LoggedEvent};

/// The events a book holds.
#[derive(Debug, Clone)]
pub(crate) enum History {
    /// Every event whole, oldest first (the default).
    Kept(Vec<LoggedEvent>),
    /// Each event's id and the chain digest after it, oldest first: the events are in the
    /// log the book was read from.
    Left { ids: Ids, digests: Vec<Digest> },
}

/// Event ids in order, an id that follows the one before it (the same stem and the next
/// number with as many digits: `syn-000002` after `syn-000001`) kept as nothing but its
/// place: a log whose ids are numbered in order keeps one id for all of them (the
/// million-event log's 965,993 ids took 23 MB). The same ids pushed in the same order keep
/// the same runs, so two lists are equal when they hold the same ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ids {
    /// Each id that does not follow the one before it, with its position, in order.
    starts: Vec<(usize, EventId)>,
    len: usize,
    /// The text of the id that would follow the last one, empty when none can (the last
    /// does not end in a number, or every digit of it is 9): pushing it is one comparison.
    next: Vec<u8>,
}

impl Ids {
    /// How many ids.
    fn len(&self) -> usize {
        self.len
    }

    /// The id kept for the run position `at` is in, and how far `at` is past it.
    fn start_of(&self, at: usize) -> Option<(&EventId, u64)> {
        if at >= self.len {
            return None;
        }
        let k = self
            .starts
            .partition_point(|&(position, _)| position <= at)
            .checked_sub(1)?;
        let (position, id) = self.starts.get(k)?;
        Some((id, u64::try_from(at.checked_sub(*position)?).ok()?))
    }

    /// Whether `id` is the id at `at`.
    fn is_at(&self, at: usize, id: &EventId) -> bool {
        match self.start_of(at) {
            Some((start, 0)) => start == id,
            Some((start, ahead)) => follows(start, ahead, id),
            None => false,
        }
    }

    /// Appends `id`.
    fn push(&mut self, id: EventId) {
        let text = id.as_str().as_bytes();
        if !self.next.is_empty() && crate::text::same_bytes(&self.next, text) {
            if !incremented(&mut self.next) {
                self.next.clear();
            }
        } else {
            // A run starts here; ids that [`numbered`] does not read start a run each.
            self.next.clear();
            if numbered(id.as_str()).is_some() {
                self.next.extend_from_slice(text);
                if !incremented(&mut self.next) {
                    self.next.clear();
                }
            }
            self.starts.push((self.len, id));
        }
        self.len = self.len.saturating_add(1);
    }
}

/// Adds one to the number `text` ends in, keeping its digits' count (digits are ASCII, so
/// the text stays the text it was, one number on); `false` when it does not end in a digit
/// or every digit it ends in is 9.
fn incremented(text: &mut [u8]) -> bool {
    for digit in text.iter_mut().rev() {
        match *digit {
            b'9' => *digit = b'0',
            b'0'..=b'8' => {
                *digit = digit.saturating_add(1);
                return true;
            }
            _ => return false,
        }
    }
    false
}

/// Whether `id` is `ahead` (at least 1) after `start`: the same stem, the number `ahead`
/// more, written with as many digits.
fn follows(start: &EventId, ahead: u64, id: &EventId) -> bool {
    match (numbered(start.as_str()), numbered(id.as_str())) {
        (Some((stem, digits, number)), Some((id_stem, id_digits, id_number))) => {
            stem == id_stem && digits == id_digits && number.checked_add(ahead) == Some(id_number)
        }
        _ => false,
    }
}

impl Default for History {
    fn default() -> History {
        History::Kept(Vec::new())
    }
}

impl PartialEq for History {
    /// Equal when they hold the same ids with the same digests (and, when both keep their
    /// events, the same events): a digest covers its event and every one before it.
    fn eq(&self, other: &History) -> bool {
        match (self, other) {
            (History::Kept(a), History::Kept(b)) => a == b,
            (
                History::Left { ids, digests },
                History::Left {
                    ids: other_ids,
                    digests: other_digests,
                },
            ) => ids == other_ids && digests == other_digests,
            (History::Kept(events), left @ History::Left { .. })
            | (left @ History::Left { .. }, History::Kept(events)) => {
                events.len() == left.len()
                    && events.iter().enumerate().all(|(at, logged)| {
                        left.is_at(at, &logged.id) && left.digest_at(at) == Some(logged.digest)
                    })
            }
        }
    }
}

impl Eq for History {}

impl History {
    /// How many events.
    pub(crate) fn len(&self) -> usize {
        match self {
            History::Kept(events) => events.len(),
            History::Left { ids, .. } => ids.len(),
        }
    }

    /// The events held whole: every one, or none when they were left in the log.
    pub(crate) fn kept(&self) -> &[LoggedEvent] {
        match self {
            History::Kept(events) => events,
            History::Left { .. } => &[],
        }
    }

    /// Whether the events are held whole.
    pub(crate) fn keeps_events(&self) -> bool {
        matches!(self, History::Kept(_))
    }

    /// Whether `id` is the id of event `at`.
    pub(crate) fn is_at(&self, at: usize, id: &EventId) -> bool {
        match self {
            History::Kept(events) => events.get(at).is_some_and(|logged| &logged.id == id),
            History::Left { ids, .. } => ids.is_at(at, id),
        }
    }

    /// The chain digest after event `at`.
    pub(crate) fn digest_at(&self, at: usize) -> Option<Digest> {
        match self {
            History::Kept(events) => events.get(at).map(|logged| logged.digest),
            History::Left { digests, .. } => digests.get(at).copied(),
        }
    }

    /// The chain digest after the last event ([`Digest::ZERO`] when there is none).
    pub(crate) fn last_digest(&self) -> Digest {
        self.len()
            .checked_sub(1)
            .and_then(|last| self.digest_at(last))
            .unwrap_or(Digest::ZERO)
    }

    /// The chain digest before event `at`: the one after the event before it, or
    /// [`Digest::ZERO`] for the first.
    pub(crate) fn digest_before(&self, at: usize) -> Digest {
        at.checked_sub(1)
            .and_then(|before| self.digest_at(before))
            .unwrap_or(Digest::ZERO)
    }

    /// Appends an event; a history that left its events keeps its id and digest only, and
    /// gives the event back (its parts may be of use again).
    pub(crate) fn push(&mut self, logged: LoggedEvent) -> Option<crate::Event> {
        match self {
            History::Kept(events) => {
                events.push(logged);
                None
            }
            History::Left { ids, digests } => {
                ids.push(logged.id);
                digests.push(logged.digest);
                Some(logged.event)
            }
        }
    }

    /// Drops the events, keeping each one's id and digest.
    pub(crate) fn leave_events(&mut self) {
        if let History::Kept(events) = self {
            let mut ids = Ids::default();
            let mut digests = Vec::with_capacity(events.len());
            for logged in std::mem::take(events) {
                ids.push(logged.id);
                digests.push(logged.digest);
            }
            *self = History::Left { ids, digests };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Event, GrainUnit};
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn logged(seq: u64, id: &str, previous: &Digest) -> LoggedEvent {
        let id: EventId = id.parse().unwrap_or_else(|e| panic!("{e}"));
        let event = Event::GrainPriceRecorded {
            crop: "wheat".into(),
            unit: GrainUnit::Jin,
            date: date!(2019 - 01 - 01),
            price: dec!(1.15),
        };
        let digest =
            LoggedEvent::chain(previous, seq, &id, &event).unwrap_or_else(|e| panic!("{e}"));
        LoggedEvent {
            seq,
            id,
            event,
            digest,
        }
    }

    #[test]
    fn a_history_that_left_its_events_keeps_their_ids_and_digests_in_order() {
        let first = logged(0, "p1", &Digest::ZERO);
        let second = logged(1, "p2", &first.digest);
        let mut kept = History::default();
        kept.push(first.clone());
        kept.push(second.clone());
        let mut left = kept.clone();
        left.leave_events();
        assert!(!left.keeps_events() && kept.keeps_events());
        assert_eq!(
            (left.len(), left.kept().len(), kept.kept().len()),
            (2, 0, 2)
        );
        assert!(left.is_at(1, &second.id) && !left.is_at(0, &second.id));
        assert!(!left.is_at(2, &second.id));
        assert_eq!(left.digest_at(0), Some(first.digest));
        assert_eq!(left.last_digest(), second.digest);
        assert_eq!(
            (left.digest_before(0), left.digest_before(1)),
            (Digest::ZERO, first.digest)
        );
        // Equal to the history that kept them: the same ids with the same digests.
        assert_eq!(left, kept);
        // A third event pushed onto each keeps them equal; a different one does not.
        let third = logged(2, "p3", &second.digest);
        let mut left_more = left.clone();
        left_more.push(third.clone());
        let mut kept_more = kept.clone();
        kept_more.push(third);
        assert_eq!(left_more, kept_more);
        assert_ne!(left_more, kept);
        let mut other = left.clone();
        other.push(logged(2, "p4", &second.digest));
        assert_ne!(other, kept_more);
        assert_ne!(other, left_more);
        // Leaving twice changes nothing; an empty history's last digest is zero.
        let again = {
            let mut again = left.clone();
            again.leave_events();
            again
        };
        assert_eq!(again, left);
        assert_eq!(History::default().last_digest(), Digest::ZERO);
    }

    fn id(text: &str) -> EventId {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn ids_numbered_in_order_keep_one_id_for_the_run() {
        let mut ids = Ids::default();
        let texts: Vec<String> = (1..=1000)
            .map(|n| format!("syn-{n:06}"))
            .chain(
                [
                    "syn-1001",
                    "e9",
                    "e10",
                    "e11",
                    "syn-001002",
                    "evt-x",
                    "evt-x",
                ]
                .map(String::from),
            )
            .collect();
        for text in &texts {
            ids.push(id(text));
        }
        // A run starts at syn-000001, at syn-1001 (four digits, not six), at e9, at e10 (two
        // digits), at syn-001002 (another stem run's next), and at each evt-x.
        let starts: Vec<(usize, &str)> = ids
            .starts
            .iter()
            .map(|(at, id)| (*at, id.as_str()))
            .collect();
        assert_eq!(
            starts,
            [
                (0, "syn-000001"),
                (1000, "syn-1001"),
                (1001, "e9"),
                (1002, "e10"),
                (1004, "syn-001002"),
                (1005, "evt-x"),
                (1006, "evt-x"),
            ]
        );
        assert_eq!(ids.len(), 1007);
        for (at, text) in texts.iter().enumerate() {
            assert!(ids.is_at(at, &id(text)), "{text} at {at}");
        }
        assert!(!ids.is_at(1007, &id("syn-001008")));
        assert!(!ids.is_at(5, &id("syn-000005")));
        assert!(!ids.is_at(5, &id("syn-00006")));
        assert!(!ids.is_at(1003, &id("e010")));
    }

    proptest::proptest! {
        /// Whatever ids are pushed (numbered runs, numbers that skip or grow a digit, other
        /// stems, ids without a number), each is found at its place and no other id is.
        #[test]
        fn ids_are_found_at_their_places_only(
            steps in proptest::collection::vec((0_u8..4, 0_usize..3, 0_u64..120, 1_usize..4), 0..80),
        ) {
            let stems = ["syn-", "e", "p_9x"];
            let mut ids = Ids::default();
            let mut all: Vec<EventId> = Vec::new();
            let mut last = (0_usize, 0_u64, 1_usize);
            for (kind, stem, number, width) in steps {
                let text = match kind {
                    // The next number after the last id (which may need one more digit).
                    0 => {
                        last.1 += 1;
                        format!("{}{:0w$}", stems[last.0], last.1, w = last.2)
                    }
                    // One number more than the next.
                    1 => {
                        last.1 += 2;
                        format!("{}{:0w$}", stems[last.0], last.1, w = last.2)
                    }
                    2 => format!("evt-{number}x"),
                    _ => {
                        last = (stem, number, width);
                        format!("{}{:0w$}", stems[stem], number, w = width)
                    }
                };
                let pushed = id(&text);
                ids.push(pushed.clone());
                all.push(pushed);
            }
            proptest::prop_assert_eq!(ids.len(), all.len());
            for (at, expected) in all.iter().enumerate() {
                proptest::prop_assert!(ids.is_at(at, expected));
                for (other_at, other) in all.iter().enumerate() {
                    if other != expected {
                        proptest::prop_assert!(!ids.is_at(at, other), "{} at {} ({})", other, at, other_at);
                    }
                }
            }
            if let Some(last) = all.last() {
                proptest::prop_assert!(!ids.is_at(all.len(), last));
            }
        }
    }
}
