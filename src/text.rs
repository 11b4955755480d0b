//! [`Text`]: the short names and labels of a book's registers.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use compact_str::CompactString;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for Text {
    /// As a string's: quoted and escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

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

impl From<&String> for Text {
    fn from(text: &String) -> Text {
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

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct TextVisitor;

        impl Visitor<'_> for TextVisitor {
            type Value = Text;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
                Ok(Text::new(text))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Text, E> {
                Ok(Text::from(text))
            }
        }

        deserializer.deserialize_str(TextVisitor)
    }
}

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
