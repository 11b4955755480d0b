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

use crate::ledger::Digest;
use crate::{EventId, LoggedEvent};

/// The events a book holds.
#[derive(Debug, Clone)]
pub(crate) enum History {
    /// Every event whole, oldest first (the default).
    Kept(Vec<LoggedEvent>),
    /// Each event's id and the chain digest after it, oldest first: the events are in the
    /// log the book was read from.
    Left {
        ids: Vec<EventId>,
        digests: Vec<Digest>,
    },
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
            _ => {
                self.len() == other.len()
                    && (0..self.len()).all(|at| {
                        self.id(at) == other.id(at) && self.digest_at(at) == other.digest_at(at)
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

    /// The id of event `at`.
    pub(crate) fn id(&self, at: usize) -> Option<&EventId> {
        match self {
            History::Kept(events) => events.get(at).map(|logged| &logged.id),
            History::Left { ids, .. } => ids.get(at),
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
            let (ids, digests) = std::mem::take(events)
                .into_iter()
                .map(|logged| (logged.id, logged.digest))
                .unzip();
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
        assert_eq!(left.id(1).map(EventId::as_str), Some("p2"));
        assert_eq!(left.id(2), None);
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
        // Leaving twice changes nothing; an empty history's last digest is zero.
        let again = {
            let mut again = left.clone();
            again.leave_events();
            again
        };
        assert_eq!(again, left);
        assert_eq!(History::default().last_digest(), Digest::ZERO);
    }
}
