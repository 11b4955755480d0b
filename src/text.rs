//! [`Text`]: the short names and labels of a book's registers.

use std::str::FromStr;

use compact_str::CompactString;

/// A short piece of text in a register: a member's name and village, a parcel's village and
/// land class, a greenhouse's name, a harvest's grade, a buyer.
///
/// It reads as a `&str` (it dereferences to one) and compares equal to the same text as a
/// `str` or a `String`; serde writes and reads it as a plain string. Text of up to 24 bytes
/// (a Chinese name or village of up to eight characters) is kept inside the value, with no
/// allocation of its own: a county book holds millions of these, and as `String`s each was
/// an allocation of at least 32 bytes, twice over (in the event log and in the register).
///
/// # Example
///
/// ```
/// use landpool::Text;
/// let village = Text::new("高格庄村");
/// assert_eq!(village, "高格庄村");
/// assert_eq!(village.len(), 12);
/// assert_eq!(village.to_string(), "高格庄村");
/// let from_string: Text = String::from("水浇地").into();
/// assert_eq!(serde_json::to_string(&from_string)?, "\"水浇地\"");
/// let back: Text = serde_json::from_str("\"水浇地\"")?;
/// assert_eq!(back, from_string);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(CompactString);

impl Text {
    /// The text `text`.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Text::new("村1").as_str(), "村1");
    /// ```
    pub fn new(text: &str) -> Text {
        Text(CompactString::new(text))
    }

    /// The text as a `&str`.
    ///
    /// # Example
    ///
    /// ```
    /// let grade: landpool::Text = "一级".into();
    /// assert_eq!(grade.as_str(), "一级");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

str_like!(Text, "a string");

impl FromStr for Text {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Text, Self::Err> {
        Ok(Text::new(text))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(CompactString::from(text))
    }
}

impl From<&Text> for String {
    fn from(text: &Text) -> String {
        text.as_str().to_string()
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.0.into_string()
    }
}

/// The traits of a value that stands for a piece of text (`Text`, `ledger::Memo`), for a
/// type `$t` with `fn as_str(&self) -> &str`, `From<&str>` and `From<String>`: it
/// dereferences to a `str`, compares equal to the same `str` or `String` either way round,
/// formats as its text (padded by `Display`, quoted by `Debug`), converts from a `&String`,
/// and is a plain string in serde (`$expecting` says what a wrong value should have been).
macro_rules! str_like {
    ($t:ident, $expecting:literal) => {
        impl std::ops::Deref for $t {
            type Target = str;

            fn deref(&self) -> &str {
                self.as_str()
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::borrow::Borrow<str> for $t {
            fn borrow(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl std::fmt::Debug for $t {
            /// As a string's: quoted and escaped.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl From<&String> for $t {
            fn from(text: &String) -> $t {
                $t::from(text.as_str())
            }
        }

        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<String> for $t {
            fn eq(&self, other: &String) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl PartialEq<$t> for str {
            fn eq(&self, other: &$t) -> bool {
                self == other.as_str()
            }
        }

        impl PartialEq<$t> for &str {
            fn eq(&self, other: &$t) -> bool {
                *self == other.as_str()
            }
        }

        impl PartialEq<$t> for String {
            fn eq(&self, other: &$t) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> std::result::Result<$t, D::Error> {
                /// Takes the text borrowed when the input allows, so that only the value's
                /// own copy is made.
                struct TextVisitor;

                impl serde::de::Visitor<'_> for TextVisitor {
                    type Value = $t;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_str<E: serde::de::Error>(
                        self,
                        text: &str,
                    ) -> std::result::Result<$t, E> {
                        Ok($t::from(text))
                    }

                    fn visit_string<E: serde::de::Error>(
                        self,
                        text: String,
                    ) -> std::result::Result<$t, E> {
                        Ok($t::from(text))
                    }
                }

                deserializer.deserialize_str(TextVisitor)
            }
        }
    };
}

pub(crate) use str_like;

/// Whether `a` and `b` hold the same bytes, for the short texts of codes and ids: up to 16
/// bytes are compared as one or two machine words read from each end (overlapping when
/// shorter than 16), with no call to the C library's `memcmp` (whose call and setup cost
/// more than the comparison of a code such as `213.H012345`); longer ones as slices.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        8..=16 => {
            a.first_chunk::<8>() == b.first_chunk::<8>()
                && a.last_chunk::<8>() == b.last_chunk::<8>()
        }
        4..=7 => {
            a.first_chunk::<4>() == b.first_chunk::<4>()
                && a.last_chunk::<4>() == b.last_chunk::<4>()
        }
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

/// How `a` and `b` order as bytes (as `a.cmp(b)` does), for short ids: two of the same
/// length from 4 to 16 bytes (numbered ids of one width, the usual pair) are compared as
/// big-endian words read from each end, with no call to `memcmp`; any other pair as slices.
#[inline]
pub(crate) fn bytes_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    // Once the first words are equal, the last words' overlap with them is equal too, so
    // the last words order as the bytes after the first word do.
    let words = |first: Option<&[u8; 8]>, last: Option<&[u8; 8]>| {
        (
            first.map(|w| u64::from_be_bytes(*w)),
            last.map(|w| u64::from_be_bytes(*w)),
        )
    };
    let halves = |first: Option<&[u8; 4]>, last: Option<&[u8; 4]>| {
        (
            first.map(|w| u32::from_be_bytes(*w)),
            last.map(|w| u32::from_be_bytes(*w)),
        )
    };
    if a.len() == b.len() {
        match a.len() {
            8..=16 => {
                return words(a.first_chunk(), a.last_chunk())
                    .cmp(&words(b.first_chunk(), b.last_chunk()));
            }
            4..=7 => {
                return halves(a.first_chunk(), a.last_chunk())
                    .cmp(&halves(b.first_chunk(), b.last_chunk()));
            }
            _ => {}
        }
    }
    a.cmp(b)
}

/// `PartialEq` and `Hash` for a type wrapping one `CompactString` of short text: equal when
/// the texts are ([`same_bytes`]), hashed as the text is (as deriving both would).
macro_rules! short_text_eq {
    ($t:ty) => {
        impl PartialEq for $t {
            #[inline]
            fn eq(&self, other: &$t) -> bool {
                $crate::text::same_bytes(self.0.as_bytes(), other.0.as_bytes())
            }
        }

        impl std::hash::Hash for $t {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.0.hash(state);
            }
        }
    };
}

pub(crate) use short_text_eq;

/// [`short_text_eq!`], and `PartialOrd` and `Ord` ordering the texts as their bytes do
/// ([`bytes_order`]; as deriving them would).
macro_rules! short_text_ord {
    ($t:ty) => {
        $crate::text::short_text_eq!($t);

        impl PartialOrd for $t {
            #[inline]
            fn partial_cmp(&self, other: &$t) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $t {
            #[inline]
            fn cmp(&self, other: &$t) -> std::cmp::Ordering {
                $crate::text::bytes_order(self.0.as_bytes(), other.0.as_bytes())
            }
        }
    };
}

pub(crate) use short_text_ord;

/// Writes `text` into HTML being written in `out`, with `&`, `<`, `>`, `"` and `'` as the
/// entities that stand for them, so that a name or memo is shown as the text it is, in an
/// element or an attribute.
pub(crate) fn write_html(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        let (before, after) = rest.split_at(at);
        out.write_str(before)?;
        let mut chars = after.chars();
        out.write_str(match chars.next() {
            Some('&') => "&amp;",
            Some('<') => "&lt;",
            Some('>') => "&gt;",
            Some('"') => "&quot;",
            _ => "&#39;",
        })?;
        rest = chars.as_str();
    }
    out.write_str(rest)
}

/// An `std::io::Write` written as text through a buffer: what `std::fmt::Write` writes goes
/// to the writer, and the writer's first error is kept to be returned (`std::fmt::Error`
/// says only that something failed).
pub(crate) struct IoText<W: std::io::Write> {
    /// The buffered writer.
    pub(crate) out: std::io::BufWriter<W>,
    /// The writer's first error.
    failed: Option<std::io::Error>,
}

impl<W: std::io::Write> IoText<W> {
    /// Text for `out`, through a buffer of `capacity` bytes.
    pub(crate) fn new(out: W, capacity: usize) -> IoText<W> {
        IoText {
            out: std::io::BufWriter::with_capacity(capacity, out),
            failed: None,
        }
    }

    /// Writes into `out` what `text` writes, then flushes it.
    pub(crate) fn write_all(
        out: W,
        text: impl FnOnce(&mut IoText<W>) -> std::fmt::Result,
    ) -> std::io::Result<()> {
        let mut writer = IoText::new(out, 1 << 16);
        let wrote = text(&mut writer);
        writer.finish(wrote)
    }

    /// Flushes what was written, given how the writing ended: the writer's first error, or
    /// an error if the writing failed for another reason (a `Display` that failed).
    pub(crate) fn finish(&mut self, wrote: std::fmt::Result) -> std::io::Result<()> {
        match (wrote, self.failed.take()) {
            (_, Some(error)) => Err(error),
            (Err(std::fmt::Error), None) => {
                Err(std::io::Error::other("a text could not be formatted"))
            }
            (Ok(()), None) => std::io::Write::flush(&mut self.out),
        }
    }

    /// Writes bytes as they are.
    pub(crate) fn write_bytes(&mut self, bytes: &[u8]) -> std::fmt::Result {
        if self.failed.is_some() {
            return Err(std::fmt::Error);
        }
        std::io::Write::write_all(&mut self.out, bytes).map_err(|e| {
            self.failed = Some(e);
            std::fmt::Error
        })
    }
}

impl<W: std::io::Write> std::fmt::Write for IoText<W> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.write_bytes(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// HTML's special characters are written as their entities, everything else as it is.
    #[test]
    fn html_is_escaped() {
        let mut out = String::new();
        write_html(&mut out, "A&B <合作社> \"x\" 'y' 高").unwrap();
        assert_eq!(out, "A&amp;B &lt;合作社&gt; &quot;x&quot; &#39;y&#39; 高");
        out.clear();
        write_html(&mut out, "").unwrap();
        assert_eq!(out, "");
    }

    /// Text written through an `IoText` reaches its writer whole; a `Display` that fails
    /// with nothing wrong with the writer is an error that says so.
    #[test]
    fn io_text_writes_through_and_says_when_formatting_failed() {
        use std::fmt::Write as _;
        let mut out = Vec::new();
        let wrote = IoText::write_all(&mut out, |text| {
            write!(text, "{}元", 1000)?;
            text.write_bytes(b" \xE6\x95\xB4")
        });
        assert!(wrote.is_ok());
        assert_eq!(String::from_utf8(out).ok().as_deref(), Some("1000元 整"));
        let failed = IoText::write_all(Vec::new(), |_| Err(std::fmt::Error));
        assert_eq!(
            failed.map_err(|e| e.to_string()),
            Err("a text could not be formatted".to_string())
        );
    }

    proptest::proptest! {
        /// Texts compare as their bytes do, at every length around the word sizes, and
        /// for texts that differ in one byte only.
        #[test]
        fn same_bytes_is_byte_equality(
            a in proptest::collection::vec(0u8..4, 0..40),
            flip in 0usize..40,
        ) {
            let mut b = a.clone();
            proptest::prop_assert!(same_bytes(&a, &b));
            if let Some(byte) = b.get_mut(flip) {
                *byte = byte.wrapping_add(1);
                proptest::prop_assert!(!same_bytes(&a, &b));
            }
            b.push(0);
            proptest::prop_assert!(!same_bytes(&a, &b));
        }

        /// Any two texts order as their bytes do, the same length or not.
        #[test]
        fn bytes_order_agrees_with_slice_order(
            a in proptest::collection::vec(0u8..3, 0..20),
            b in proptest::collection::vec(0u8..3, 0..20),
            same_length in proptest::bool::ANY,
        ) {
            let b = if same_length {
                let mut b = b;
                b.resize(a.len(), 1);
                b
            } else {
                b
            };
            proptest::prop_assert_eq!(bytes_order(&a, &b), a.cmp(&b));
            proptest::prop_assert_eq!(bytes_order(&b, &a), b.cmp(&a));
            proptest::prop_assert_eq!(bytes_order(&a, &a), std::cmp::Ordering::Equal);
        }

        /// Any two texts of a small alphabet (often equal when short) compare as `==` does.
        #[test]
        fn same_bytes_agrees_with_slice_equality(
            a in proptest::collection::vec(0u8..2, 0..20),
            b in proptest::collection::vec(0u8..2, 0..20),
        ) {
            proptest::prop_assert_eq!(same_bytes(&a, &b), a == b);
        }
    }

    #[test]
    fn short_text_is_kept_inline_and_compares_as_a_string() {
        let short = Text::new("高格庄村");
        assert!(!short.0.is_heap_allocated());
        let long = Text::new("这是一个超过二十四个字节的很长的名字");
        assert!(long.0.is_heap_allocated());
        assert_eq!(long, "这是一个超过二十四个字节的很长的名字");
        assert_eq!(String::from(long.clone()), long.as_str());
        assert_eq!(format!("{short:?}"), format!("{:?}", "高格庄村"));
        assert_eq!(format!("[{:>6}]", Text::new("a")), "[     a]");
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<String>());
        let parsed: Text = "x\"y".parse().unwrap_or_default();
        assert_eq!(
            serde_json::to_string(&parsed).ok().as_deref(),
            Some(r#""x\"y""#)
        );
        assert!(serde_json::from_str::<Text>("12").is_err());
    }
}
