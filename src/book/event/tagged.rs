//! Reading events fast in their internally tagged JSON form (`{"type":"rent_paid",…}`).
//!
//! serde's derived reader for an internally tagged enum buffers the whole object into an
//! intermediate tree before it knows the variant, then reads the tree again: most of the
//! cost of opening a log with large timesheets. Events are written with `type` first, so the
//! reader here takes the tag from the first key and hands the rest of the object straight to
//! the variant's field reader (through an externally tagged mirror of [`Event`](super::Event)).
//! An object whose first key is not `type` (written by hand, or by another tool) is read the
//! slow way, through a tagged mirror, with the same results and the same errors.
//!
//! `event_enum!` takes the definition of `Event` once and makes the enum and both mirrors.

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, VariantAccess, Visitor};
use serde::Deserializer;

/// Defines `pub enum Event` (with `Serialize`, tagged by `type`), and the private mirrors
/// `External` (externally tagged) and `Tagged` (internally tagged) that read it, with
/// conversions into `Event`. Every variant must have named fields.
macro_rules! event_enum {
    (
        $(#[$enum_meta:meta])*
        pub enum Event {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident {
                    $(
                        $(#[$field_meta:meta])*
                        $field:ident : $ty:ty
                    ),* $(,)?
                }
            ),* $(,)?
        }
    ) => {
        $(#[$enum_meta])*
        pub enum Event {
            $(
                $(#[$variant_meta])*
                $variant {
                    $( $(#[$field_meta])* $field : $ty, )*
                },
            )*
        }

        /// `Event` with the variant as the key of a one-key object (read by
        /// [`tagged::read`] once the tag is known).
        #[derive(Deserialize)]
        #[serde(rename = "Event", rename_all = "snake_case")]
        enum External {
            $(
                $(#[$variant_meta])*
                $variant {
                    $( $(#[$field_meta])* $field : $ty, )*
                },
            )*
        }

        /// `Event` as serde derives it for the tagged form: the slow path.
        #[derive(Deserialize)]
        #[serde(rename = "Event", tag = "type", rename_all = "snake_case")]
        enum Tagged {
            $(
                $(#[$variant_meta])*
                $variant {
                    $( $(#[$field_meta])* $field : $ty, )*
                },
            )*
        }

        impl From<External> for Event {
            fn from(event: External) -> Event {
                match event {
                    $( External::$variant { $($field),* } => Event::$variant { $($field),* }, )*
                }
            }
        }

        impl From<Tagged> for Event {
            fn from(event: Tagged) -> Event {
                match event {
                    $( Tagged::$variant { $($field),* } => Event::$variant { $($field),* }, )*
                }
            }
        }

        impl<'de> Deserialize<'de> for Event {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
                deserializer.deserialize_map(tagged::EventVisitor::<External, Tagged>::new())
            }
        }
    };
}

pub(super) use event_enum;

/// Reads an event object: the fast path when `type` comes first, else the derived one.
pub(super) struct EventVisitor<E, T>(std::marker::PhantomData<(E, T)>);

impl<E, T> EventVisitor<E, T> {
    pub(super) fn new() -> Self {
        EventVisitor(std::marker::PhantomData)
    }
}

impl<'de, E, T> Visitor<'de> for EventVisitor<E, T>
where
    E: de::Deserialize<'de> + Into<super::Event>,
    T: de::DeserializeOwned + Into<super::Event>,
{
    type Value = super::Event;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("an event: an object with its \"type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<super::Event, A::Error> {
        let first: Option<String> = map.next_key()?;
        match first {
            Some(key) if key == "type" => {
                let tag: String = map.next_value()?;
                E::deserialize(TypeFirst { tag, map }).map(Into::into)
            }
            first => {
                // Buffer the object as JSON and let the derived tagged reader have it.
                let mut object = serde_json::Map::new();
                if let Some(key) = first {
                    let value: serde_json::Value = map.next_value()?;
                    object.insert(key, value);
                }
                while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
                    object.insert(key, value);
                }
                T::deserialize(serde_json::Value::Object(object))
                    .map(Into::into)
                    .map_err(de::Error::custom)
            }
        }
    }
}

/// The rest of an event object once its `type` has been read: a deserializer of the
/// externally tagged enum whose variant is the tag and whose fields are the rest of the map.
struct TypeFirst<A> {
    tag: String,
    map: A,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for TypeFirst<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for TypeFirst<A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), A::Error> {
        let variant = seed.deserialize(de::value::StrDeserializer::<A::Error>::new(&self.tag))?;
        Ok((variant, self))
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for TypeFirst<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::Map,
            &"an event with fields",
        ))
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, _: S) -> Result<S::Value, A::Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::Map,
            &"an event with named fields",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, A::Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::Map,
            &"an event with named fields",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.map)
    }
}

#[cfg(test)]
mod tests {
    use crate::synthetic::{self, Scale};
    use crate::Event;

    fn events() -> Vec<Event> {
        let mut events: Vec<Event> = crate::folder::BookFolder::reference()
            .map(|folder| folder.events().iter().map(|e| e.event.clone()).collect())
            .unwrap_or_default();
        events.extend(
            synthetic::events(Scale::cooperative(), 7)
                .unwrap_or_default()
                .into_iter()
                .map(|(_, event)| event),
        );
        events
    }

    #[test]
    fn type_first_and_type_anywhere_read_the_same_event() {
        let events = events();
        assert!(events.len() > 300, "{}", events.len());
        for event in events {
            let text = serde_json::to_string(&event).unwrap_or_default();
            assert!(text.starts_with("{\"type\":"), "{text}");
            // A Value writes its keys in sorted order: `type` is no longer first.
            let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let sorted = serde_json::to_string(&value).unwrap_or_default();
            let fast: Event = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let slow: Event =
                serde_json::from_str(&sorted).unwrap_or_else(|e| panic!("{sorted}: {e}"));
            assert_eq!(fast, event);
            assert_eq!(slow, event);
        }
    }

    #[test]
    fn both_paths_refuse_alike() {
        let cases = [
            (
                r#"{"type":"nope","date":"2019-01-01"}"#,
                r#"{"date":"2019-01-01","type":"nope"}"#,
                "unknown variant `nope`",
            ),
            (
                r#"{"type":"rent_paid","member":"M001"}"#,
                r#"{"member":"M001","type":"rent_paid"}"#,
                "missing field `date`",
            ),
            (r#"{"member":"M001"}"#, r#"{}"#, "missing field `type`"),
            (
                r#"{"type":"rent_paid","member":"M001","date":"2019-13-01","amount":"1.00","from":"bank"}"#,
                r#"{"amount":"1.00","date":"2019-13-01","from":"bank","member":"M001","type":"rent_paid"}"#,
                "month",
            ),
        ];
        for (first, later, expected) in cases {
            for text in [first, later] {
                let error = serde_json::from_str::<Event>(text)
                    .map(|event| format!("read as {event:?}"))
                    .unwrap_or_else(|e| e.to_string());
                assert!(error.contains(expected), "{text}: {error}");
            }
        }
        assert!(serde_json::from_str::<Event>("[1]").is_err());
    }
}
