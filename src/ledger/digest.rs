//! [`Digest`]: a SHA-256 digest of the journal's hash chain.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest as _, Sha256};

use super::LedgerError;

/// SHA-256's initial hash value (FIPS 180-4, 5.3.3).
const INITIAL_STATE: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];
use crate::Result;

/// A SHA-256 digest: 32 bytes, written as 64 lowercase hex digits.
///
/// Each entry of a [`Journal`](super::Journal) has the digest
/// `SHA-256(previous digest ‖ canonical encoding of the entry)`, the first entry's previous
/// digest being [`Digest::ZERO`]; see the [module documentation](super) for the encoding.
///
/// Text and serde use lowercase hex only; upper-case digits are refused, so that one digest
/// has exactly one text form.
///
/// # Example
///
/// ```
/// use landpool::ledger::Digest;
///
/// let text = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// let digest: Digest = text.parse()?;
/// assert_eq!(digest, Digest::of(b""));
/// assert_eq!(digest.to_string(), text);
/// assert!(text.to_uppercase().parse::<Digest>().is_err());
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Digest([u8; 32]);

impl Digest {
    /// Thirty-two zero bytes: the "previous digest" of the first entry, and the head of an
    /// empty journal.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Digest::ZERO.as_bytes(), &[0; 32]);
    /// ```
    pub const ZERO: Digest = Digest([0; 32]);

    /// The digest with these bytes.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::Digest;
    /// assert_eq!(Digest::from_bytes([0; 32]), Digest::ZERO);
    /// ```
    pub const fn from_bytes(bytes: [u8; 32]) -> Digest {
        Digest(bytes)
    }

    /// The 32 bytes.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::ledger::Digest::ZERO.as_bytes().len(), 32);
    /// ```
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// SHA-256 of `bytes`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::Digest;
    /// assert_eq!(
    ///     Digest::of(b"abc").to_string(),
    ///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    /// );
    /// ```
    pub fn of(bytes: &[u8]) -> Digest {
        Digest(Sha256::digest(bytes).into())
    }

    /// The chain step: SHA-256 of `self`'s 32 bytes followed by `bytes`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::ledger::Digest;
    /// let mut joined = vec![0u8; 32];
    /// joined.extend_from_slice(b"entry");
    /// assert_eq!(Digest::ZERO.chain(b"entry"), Digest::of(&joined));
    /// ```
    pub fn chain(&self, bytes: &[u8]) -> Digest {
        let mut hasher = Sha256::new();
        hasher.update(self.0);
        hasher.update(bytes);
        Digest(hasher.finalize().into())
    }

    /// [`Digest::chain`] over a message that `buffer` holds after 32 bytes it reserves for
    /// `self`: writes `self` there, pads the message as SHA-256 prescribes (FIPS 180-4,
    /// 5.1.1) and compresses its blocks in one call, without the streaming hasher's own
    /// buffer. `buffer` keeps the padded message.
    pub(crate) fn chain_reserved(&self, buffer: &mut Vec<u8>) -> Digest {
        if let Some(head) = buffer.get_mut(..32) {
            head.copy_from_slice(&self.0);
        } else {
            // Not reserved: hash what is there as the message after `self`.
            let message = std::mem::take(buffer);
            return self.chain(&message);
        }
        // SHA-256 counts the message's length in bits modulo 2^64.
        let bits = (buffer.len() as u64).wrapping_mul(8);
        buffer.push(0x80);
        // Zeros up to 8 bytes short of a whole block (64 divides 2^64, so the wrapped
        // difference is right modulo 64).
        let zeros = 56_usize.wrapping_sub(buffer.len()) % 64;
        buffer.resize(buffer.len().saturating_add(zeros), 0);
        buffer.extend_from_slice(&bits.to_be_bytes());
        let mut state = INITIAL_STATE;
        let (blocks, _) = buffer.as_chunks::<64>();
        sha2::block_api::compress256(&mut state, blocks);
        let mut out = [0u8; 32];
        for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        Digest(out)
    }

    /// [`Digest::chain`] over `pieces` one after the other: the same digest as chaining
    /// their concatenation, without copying them together.
    pub(crate) fn chain_pieces(&self, pieces: &[&[u8]]) -> Digest {
        let mut hasher = Sha256::new();
        hasher.update(self.0);
        for piece in pieces {
            hasher.update(piece);
        }
        Digest(hasher.finalize().into())
    }

    /// [`Digest::chain`] over the bytes `write` writes, hashed as they come: the same digest
    /// as chaining the bytes collected first, without holding them all.
    pub(crate) fn chain_written<E>(
        &self,
        write: impl FnOnce(&mut HashSink) -> std::result::Result<(), E>,
    ) -> std::result::Result<Digest, E> {
        let mut hasher = Sha256::new();
        hasher.update(self.0);
        // The thread's gathering buffer, used again for every event: a new one was a block of
        // a few kilobytes cleared (or allocated) for each.
        let mut buffer = SINK_BUFFER.with(|spare| spare.take());
        buffer.clear();
        buffer.reserve(HashSink::CAPACITY);
        let mut sink = HashSink { hasher, buffer };
        let written = write(&mut sink);
        sink.drain();
        let HashSink { hasher, buffer } = sink;
        SINK_BUFFER.with(|spare| spare.set(buffer));
        written?;
        Ok(Digest(hasher.finalize().into()))
    }
}

thread_local! {
    /// [`HashSink`]'s buffer between uses on this thread.
    static SINK_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Bytes written into a SHA-256 state, gathered into blocks of a few kilobytes first (a JSON
/// writer writes many pieces of a few bytes). A concrete type, not `dyn Write`, so that the
/// writer's calls inline.
pub(crate) struct HashSink {
    hasher: Sha256,
    /// Bytes gathered, at most [`HashSink::CAPACITY`].
    buffer: Vec<u8>,
}

impl HashSink {
    const CAPACITY: usize = 4096;

    /// Hashes what the buffer holds and empties it.
    fn drain(&mut self) {
        self.hasher.update(&self.buffer);
        self.buffer.clear();
    }
}

impl std::io::Write for HashSink {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if bytes.len() <= HashSink::CAPACITY.saturating_sub(self.buffer.len()) {
            self.buffer.extend_from_slice(bytes);
        } else {
            self.drain();
            if bytes.len() <= HashSink::CAPACITY {
                self.buffer.extend_from_slice(bytes);
            } else {
                self.hasher.update(bytes);
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 64];
        for (pair, byte) in text.chunks_exact_mut(2).zip(self.0) {
            if let [high, low] = pair {
                *high = HEX.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
                *low = HEX.get(usize::from(byte & 0x0f)).copied().unwrap_or(b'0');
            }
        }
        f.pad(std::str::from_utf8(&text).unwrap_or_default())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

impl FromStr for Digest {
    type Err = crate::Error;

    fn from_str(text: &str) -> Result<Digest> {
        let fail = |reason| LedgerError::InvalidDigest {
            text: text.chars().take(80).collect(),
            reason,
        };
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return Err(fail("expected exactly 64 hex digits").into());
        }
        // Every digit is read through a table, without a branch per digit (a digest's
        // digits are random, so branches on them are mispredicted); a digit that is not
        // one has a high bit set, and any is caught once at the end.
        let mut out = [0u8; 32];
        let mut bad = 0u8;
        for (byte, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            let (Some(&high), Some(&low)) = (pair.first(), pair.get(1)) else {
                return Err(fail("expected exactly 64 hex digits").into());
            };
            let (high, low) = (nibble(high), nibble(low));
            bad |= high | low;
            *byte = (high << 4) | (low & 0x0f);
        }
        if bad & 0xf0 != 0 {
            return Err(fail("expected lowercase hex digits 0-9 a-f").into());
        }
        Ok(Digest(out))
    }
}

/// The value of each byte as a lowercase hex digit, `0xff` for a byte that is not one.
// Made at compile time: an index out of range would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
const NIBBLES: [u8; 256] = {
    let mut table = [0xff_u8; 256];
    let mut value = 0_u8;
    while value < 16 {
        let digit = if value < 10 {
            b'0' + value
        } else {
            b'a' + (value - 10)
        };
        table[digit as usize] = value;
        value += 1;
    }
    table
};

/// The value of a lowercase hex digit; `0xff` (high bits set) for any other byte.
fn nibble(digit: u8) -> u8 {
    NIBBLES.get(usize::from(digit)).copied().unwrap_or(0xff)
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Digest, D::Error> {
        // Read from the borrowed text where the format lends it (a log line), so that no
        // string is made for it.
        super::deserialize_text(deserializer, Digest::from_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn chaining_pieces_equals_chaining_them_joined() {
        let previous = Digest::of(b"previous");
        let bytes: Vec<u8> = (0..300u32).map(|i| (i * 11 % 256) as u8).collect();
        // Cuts across and inside SHA-256's 64-byte blocks, and empty pieces.
        for cuts in [
            vec![],
            vec![0],
            vec![1],
            vec![63, 64],
            vec![64, 64, 128],
            vec![7, 200, 299],
        ] {
            let mut pieces: Vec<&[u8]> = Vec::new();
            let mut at = 0;
            for &cut in &cuts {
                pieces.push(&bytes[at..cut]);
                at = cut;
            }
            pieces.push(&bytes[at..]);
            assert_eq!(
                previous.chain_pieces(&pieces),
                previous.chain(&bytes),
                "{cuts:?}"
            );
        }
        assert_eq!(Digest::ZERO.chain_pieces(&[]), Digest::ZERO.chain(b""));
        // The known answer: SHA-256 of 32 zero bytes followed by "abc".
        let mut joined = vec![0u8; 32];
        joined.extend_from_slice(b"abc");
        assert_eq!(
            Digest::ZERO.chain_pieces(&[b"a", b"bc"]),
            Digest::of(&joined)
        );
    }

    #[test]
    fn the_one_shot_chain_equals_the_streaming_one() {
        let previous = Digest::of(b"previous");
        let bytes: Vec<u8> = (0..400u32).map(|i| (i * 7 % 256) as u8).collect();
        // Every length across the one-, two- and several-block boundaries of the padding.
        for len in 0..bytes.len() {
            let mut buffer = vec![0xAA; 32];
            buffer.extend_from_slice(&bytes[..len]);
            assert_eq!(
                previous.chain_reserved(&mut buffer),
                previous.chain(&bytes[..len]),
                "message of {len} bytes"
            );
            assert_eq!(buffer.len() % 64, 0);
        }
        // The known answer: SHA-256 of 32 zero bytes followed by "abc".
        let mut buffer = vec![0; 32];
        buffer.extend_from_slice(b"abc");
        let mut joined = vec![0u8; 32];
        joined.extend_from_slice(b"abc");
        assert_eq!(
            Digest::ZERO.chain_reserved(&mut buffer),
            Digest::of(&joined)
        );
        // A buffer too short to hold the reserved bytes is hashed whole after `self`.
        let mut short = b"abc".to_vec();
        assert_eq!(previous.chain_reserved(&mut short), previous.chain(b"abc"));
    }

    #[test]
    fn hashing_as_written_equals_hashing_the_whole() {
        let previous = Digest::of(b"previous");
        let bytes: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        // Pieces of every size: none, tiny, across the gathering buffer, larger than it.
        for pieces in [
            vec![],
            vec![3],
            vec![8191, 2],
            vec![8192],
            vec![5, 9000, 1, 20_000],
            vec![1; 300],
            vec![4095, 1, 1],
            vec![4096],
            vec![4097, 4096, 3],
            vec![2000; 5],
        ] {
            let total: usize = pieces.iter().sum();
            let whole = previous.chain(&bytes[..total]);
            let written = previous.chain_written(|sink| {
                let mut at = 0;
                for piece in &pieces {
                    sink.write_all(&bytes[at..at + piece])?;
                    at += piece;
                }
                Ok::<(), std::io::Error>(())
            });
            assert_eq!(written.ok(), Some(whole), "{pieces:?}");
        }
    }

    #[test]
    fn hex_round_trip() {
        let digest = Digest::of(b"landpool");
        let text = digest.to_string();
        assert_eq!(text.len(), 64);
        assert_eq!(text.parse::<Digest>().ok(), Some(digest));
        assert!("00".parse::<Digest>().is_err());
        assert!(format!("{}g", &text[..63]).parse::<Digest>().is_err());
        let json = serde_json::to_string(&digest).unwrap_or_default();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<Digest>(&json).ok(), Some(digest));
    }

    #[test]
    fn every_digit_reads_as_its_value_and_nothing_else_does() {
        // Each byte value at each position of the pair.
        let digest = Digest(
            (0..=255u8)
                .step_by(8)
                .collect::<Vec<_>>()
                .try_into()
                .unwrap(),
        );
        assert_eq!(
            digest.to_string(),
            "0008101820283038404850586068707880889098a0a8b0b8c0c8d0d8e0e8f0f8"
        );
        let all: String = (0..=255u8).map(|b| format!("{b:02x}")).collect();
        for start in (0..all.len()).step_by(64) {
            let part = &all[start..start + 64];
            assert_eq!(
                part.parse::<Digest>()
                    .map(|d| d.to_string())
                    .ok()
                    .as_deref(),
                Some(part)
            );
        }
        let text = Digest::of(b"x").to_string();
        for bad in [b'A', b'F', b'g', b'/', b':', b'`', b' ', 0xC3] {
            for at in [0, 1, 63] {
                let mut bytes = text.clone().into_bytes();
                bytes[at] = bad;
                let Ok(bad_text) = String::from_utf8(bytes) else {
                    continue;
                };
                let error = bad_text.parse::<Digest>().map(|_| ()).unwrap_err();
                assert!(
                    error.to_string().contains("lowercase hex digits"),
                    "{error}"
                );
            }
        }
        // A string that JSON must unescape is read too (the visitor gets an owned string).
        let escaped = format!("\"\\u0030{}\"", &text[1..]);
        let zero_first = format!("0{}", &text[1..]);
        assert_eq!(
            serde_json::from_str::<Digest>(&escaped)
                .map(|d| d.to_string())
                .ok(),
            Some(zero_first)
        );
        let wrong = serde_json::from_str::<Digest>("17")
            .unwrap_err()
            .to_string();
        assert!(wrong.contains("expected a string"), "{wrong}");
        let short = serde_json::from_str::<Digest>("\"00\"")
            .unwrap_err()
            .to_string();
        assert!(short.contains("expected exactly 64 hex digits"), "{short}");
    }
}
