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

#[cfg(test)]
mod tests {
    use super::*;

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
