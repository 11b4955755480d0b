//! Reading events fast in their internally tagged JSON form (`{"type":"rent_paid",…}`).
//!
//! serde's derived reader for an internally tagged enum buffers the whole object into an
//! intermediate tree before it knows the variant, then reads the tree again: most of the
//! cost of opening a log with large timesheets. Events are written with `type` first, so the
//! reader here takes the tag from the first key and hands the rest of the object straight to
//! the variant's field reader (through an externally tagged mirror of [`Event`](super::Event)).
//! An object whose first key is not `type` (written by hand, or by another tool) is read the
//! slow way, through a tagged mirror, with the same results and the same errors, but for
//! the column an error is reported at (the slow way finds a field's fault once it has the
//! whole object) and the wording serde gives a value of the wrong kind where an enum is
//! expected: a tag that is not a string (`expected a string` here, `expected variant
//! identifier` the slow way), a second `type` of another value (`duplicate field `type``,
//! `unknown variant`), and an enum field such as `contracts` or `source` given `null` or a
//! list (`expected value`, `invalid type: null, expected string or map`).
//!
//! Both ways refuse a field the event does not have (`unknown field `premum`, expected one
//! of …`) and a field given twice (`duplicate field `amount``), `type` included: a typo in
//! an optional field would otherwise book the event as if the field were absent, and of a
//! repeated field one value would silently win. Both mirrors deny unknown fields; on the
//! fast path a second `type` is refused as its key is read (the variant's reader would call
//! it unknown), on the slow path serde's tagged reader refuses it.
//! The slow path streams the object into the tagged mirror, which keeps every entry, so a
//! repeated field reaches the variant's reader as it does on the fast path.
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
        #[serde(rename = "Event", rename_all = "snake_case", deny_unknown_fields)]
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
        #[serde(rename = "Event", tag = "type", rename_all = "snake_case", deny_unknown_fields)]
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
    T: de::Deserialize<'de> + Into<super::Event>,
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
                // The derived tagged reader has the whole object, its first key given back:
                // it keeps every entry (a map would keep one value of a repeated key), and
                // refuses a second `type` itself.
                T::deserialize(de::value::MapAccessDeserializer::new(Resumed {
                    first,
                    map,
                }))
                .map(Into::into)
            }
        }
    }
}

/// An event object's map whose first key, already read, is given back before the rest.
struct Resumed<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Resumed<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => seed
                .deserialize(de::value::StringDeserializer::<A::Error>::new(key))
                .map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        let first = usize::from(self.first.is_some());
        self.map
            .size_hint()
            .and_then(|rest| rest.checked_add(first))
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
        visitor.visit_map(NoSecondType(self.map))
    }
}

/// The fields of an event whose `type` has been read: a second `type` among them is refused
/// as serde's tagged reader refuses it (`duplicate field `type``), as its key is read.
struct NoSecondType<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for NoSecondType<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(KeySeed(seed))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// Reads a field's key for the variant's reader, refusing `type`.
struct KeySeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(KeyDeserializer(deserializer))
    }
}

/// A key's deserializer whose visitor is wrapped in [`KeyVisitor`]: a key is read as an
/// identifier, whatever the variant's reader asks for.
struct KeyDeserializer<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeyDeserializer<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_identifier(KeyVisitor(visitor))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// Hands a key to the variant's field visitor, but for `type`: a repeated field.
struct KeyVisitor<V>(V);

impl<V> KeyVisitor<V> {
    fn refuse<E: de::Error>(key: &[u8]) -> Result<(), E> {
        if key == b"type" {
            return Err(de::Error::duplicate_field("type"));
        }
        Ok(())
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.0.expecting(formatter)
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<V::Value, E> {
        self.0.visit_u64(index)
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<V::Value, E> {
        Self::refuse(key.as_bytes())?;
        self.0.visit_str(key)
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<V::Value, E> {
        Self::refuse(key.as_bytes())?;
        self.0.visit_borrowed_str(key)
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<V::Value, E> {
        Self::refuse(key.as_bytes())?;
        self.0.visit_string(key)
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<V::Value, E> {
        Self::refuse(key)?;
        self.0.visit_bytes(key)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, key: &'de [u8]) -> Result<V::Value, E> {
        Self::refuse(key)?;
        self.0.visit_borrowed_bytes(key)
    }

    fn visit_byte_buf<E: de::Error>(self, key: Vec<u8>) -> Result<V::Value, E> {
        Self::refuse(&key)?;
        self.0.visit_byte_buf(key)
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

    /// What serde_json says of `text` read as an event, or how it was read.
    fn read(text: &str) -> String {
        serde_json::from_str::<Event>(text)
            .map(|event| format!("read as {event:?}"))
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn unknown_fields_are_refused_on_both_paths() {
        // (type first, type later, the error on both paths, its columns: the slow path
        // finds the fault once it has the whole object)
        let cases = [
            (
                // A misspelt premium would book the whole amount to 301 instead of 321.
                r#"{"type":"capital_contributed","member":"M001","date":"2019-01-02","amount":"100.00","into":"bank","premum":"10.00"}"#,
                r#"{"member":"M001","type":"capital_contributed","date":"2019-01-02","amount":"100.00","into":"bank","premum":"10.00"}"#,
                "unknown field `premum`, expected one of `member`, `date`, `amount`, `into`, `source`, `premium`",
                (106, 115),
            ),
            (
                r#"{"type":"rent_paid","member":"M001","date":"2019-03-01","amount":"1.00","from":"bank","memo":"x"}"#,
                r#"{"memo":"x","type":"rent_paid","member":"M001","date":"2019-03-01","amount":"1.00","from":"bank"}"#,
                "unknown field `memo`, expected one of `member`, `date`, `amount`, `from`",
                (92, 97),
            ),
            (
                // A misspelt cover_loss_from_reserve would leave a loss uncovered.
                r#"{"type":"year_closed","year":2019,"policy":{"reserve_percent":"10","welfare_percent":"0","patronage_percent":"70","base":"this_year","volume":{"land_mu_days":"1","labour_pay":"0"},"collective_percent":"0","convert_to_capital_percent":"0","cover_loss_from_reserv":true}}"#,
                r#"{"year":2019,"type":"year_closed","policy":{"reserve_percent":"10","welfare_percent":"0","patronage_percent":"70","base":"this_year","volume":{"land_mu_days":"1","labour_pay":"0"},"collective_percent":"0","convert_to_capital_percent":"0","cover_loss_from_reserv":true}}"#,
                concat!(
                    "unknown field `cover_loss_from_reserv`, expected one of `reserve_percent`, ",
                    "`welfare_percent`, `patronage_percent`, `base`, `volume`, ",
                    "`collective_percent`, `convert_to_capital_percent`, `cover_loss_from_reserve`"
                ),
                (262, 269),
            ),
            (
                r#"{"type":"year_closed","year":2019,"policy":{"reserve_percent":"10","welfare_percent":"0","patronage_percent":"70","base":"this_year","volume":{"land_mu_days":"1","labour_pay":"0","land":"1"},"collective_percent":"0","convert_to_capital_percent":"0"}}"#,
                r#"{"policy":{"reserve_percent":"10","welfare_percent":"0","patronage_percent":"70","base":"this_year","volume":{"land_mu_days":"1","labour_pay":"0","land":"1"},"collective_percent":"0","convert_to_capital_percent":"0"},"type":"year_closed","year":2019}"#,
                "unknown field `land`, expected `land_mu_days` or `labour_pay`",
                (185, 250),
            ),
        ];
        for (first, later, expected, (fast_column, slow_column)) in cases {
            assert_eq!(
                read(first),
                format!("{expected} at line 1 column {fast_column}"),
                "{first}"
            );
            assert_eq!(
                read(later),
                format!("{expected} at line 1 column {slow_column}"),
                "{later}"
            );
        }
    }

    #[test]
    fn repeated_fields_are_refused_on_both_paths() {
        let cases = [
            (
                r#"{"type":"rent_paid","member":"M001","date":"2019-03-01","amount":"1.00","amount":"9999.00","from":"bank"}"#,
                "duplicate field `amount` at line 1 column 80",
            ),
            (
                r#"{"member":"M001","type":"rent_paid","date":"2019-03-01","amount":"1.00","amount":"9999.00","from":"bank"}"#,
                "duplicate field `amount` at line 1 column 105",
            ),
            // A second `type`, after the tag or before it.
            (
                r#"{"type":"rent_paid","member":"M001","date":"2019-03-01","amount":"1.00","from":"bank","type":"wages_paid"}"#,
                "duplicate field `type` at line 1 column 92",
            ),
            (
                r#"{"member":"M001","type":"rent_paid","date":"2019-03-01","amount":"1.00","from":"bank","type":"wages_paid"}"#,
                "duplicate field `type` at line 1 column 92",
            ),
            (
                r#"{"type":"rent_paid","type":"rent_paid","member":"M001","date":"2019-03-01","amount":"1.00","from":"bank"}"#,
                "duplicate field `type` at line 1 column 26",
            ),
            // In a nested object.
            (
                r#"{"type":"member_joined","member":{"id":"M001","name":"王","kind":"household","persons":4,"persons":5,"village":"村","joined":"2019-01-01","left":null}}"#,
                "duplicate field `persons` at line 1 column 99",
            ),
            (
                r#"{"type":"work_recorded","date":"2019-01-31","records":[{"worker":{"member":"M1"},"date":"2019-01-31","task":"administration","pay":{"basis":"days","days":"1","rate":"150","rate":"1500"},"kind":"staff"}]}"#,
                "duplicate field `rate` at line 1 column 177",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(read(text), expected, "{text}");
        }
    }

    /// Events of the kinds (and the nested forms) the reference and synthetic books do not
    /// hold, in their JSON form.
    const WRITTEN: &[&str] = &[
        r#"{"type":"member_left","member":"M001","date":"2020-12-31"}"#,
        r#"{"type":"member_joined","member":{"id":"V1","name":"村集体","kind":"collective","village":"村","joined":"2019-01-01","left":null}}"#,
        r#"{"type":"parcel_split","parcel":"P001","date":"2020-01-01","parts":[{"parcel":"P001-a","area":"0.50"},{"parcel":"P001-b","area":"0.85"}]}"#,
        r#"{"type":"parcels_merged","parcels":["P001","P002"],"into":"P003","date":"2020-01-01"}"#,
        r#"{"type":"area_swapped","date":"2020-01-01","first":"C1","first_gives":"0.50","second":"C2","second_gives":"0.40","compensation":{"payer":"M001","amount":"500.00"}}"#,
        r#"{"type":"contract_signed","contract":{"id":"C1","member":"M1","lines":[{"parcel":"P1","area":"0.52"}],"start":"2019-01-01","end":"2028-12-31","kind":"land_shares","shares_per_mu":"1","value_per_share":"1000.00","guaranteed_per_share":"50","pro_rating":"actual_days","payment":{"payment":"in_arrears","month":1,"day":15},"charge_to":"521.RENT"}}"#,
        r#"{"type":"contract_signed","contract":{"id":"C1","member":"M1","lines":[],"start":"2019-01-01","end":"2028-12-31","kind":"transfer","rent":{"terms":"stepped","yuan_per_mu":"800","step_percent":"5","every_years":3},"pro_rating":"months_and_days","payment":{"payment":"in_advance","month":3,"day":1},"charge_to":"401"}}"#,
        r#"{"type":"contract_signed","contract":{"id":"C1","member":"M1","lines":[],"start":"2019-01-01","end":"2028-12-31","kind":"transfer","rent":{"terms":"grain_indexed","crop":"小麦","unit":"jin","quantity_per_mu":"800","reset_every_years":1},"pro_rating":"actual_days","payment":{"payment":"in_advance","month":3,"day":1},"charge_to":"401"}}"#,
        r#"{"type":"loan_repaid","loan":"L1","date":"2020-01-01","principal":"100.00","interest":"1.00","from":"bank"}"#,
        r#"{"type":"receivable_collected","buyer":"批发市场","date":"2019-09-01","amount":"10.00","into":"cash"}"#,
        r#"{"type":"donation_received","donor":"某公司","date":"2019-09-01","amount":"10.00","into":"bank"}"#,
        r#"{"type":"manual_entry","date":"2019-09-01","memo":"利息","postings":[{"account":"102","side":"debit","amount":"1.00"},{"account":"511","side":"credit","amount":"1.00"}]}"#,
        r#"{"type":"grant_spent","grant":"G1","date":"2019-09-01","amount":"10.00","on":{"asset":{"asset":"大棚"}}}"#,
        r#"{"type":"grant_spent","grant":"G1","date":"2019-09-01","amount":"10.00","on":{"expense":{"purpose":"培训","from":"bank"}}}"#,
        r#"{"type":"distribution_settled","year":2019,"date":"2020-03-01","from":"bank"}"#,
        r#"{"type":"greenhouse_retired","greenhouse":"GH03","date":"2021-07-10","proceeds":"800.00","into":"cash"}"#,
        r#"{"type":"contract_charge_changed","contract":"C1","from":"2020-01-01","charge_to":"521.RENT"}"#,
        r#"{"type":"contract_ended","contract":"C1","date":"2020-06-30","memo":"协议解除"}"#,
        r#"{"type":"reserve_share_refunded","member":"M001","date":"2021-03-01","amount":"120.50","from":"bank"}"#,
        r#"{"type":"reserve_converted","member":"M001","date":"2021-03-01","amount":"60.25"}"#,
        r#"{"type":"capital_returned","member":"M001","date":"2021-03-01","amount":"120.50","from":"bank","contract":"C1"}"#,
        r#"{"type":"capital_returned","member":"M001","date":"2021-03-01","amount":"120.50","from":"cash","source":"poverty_relief"}"#,
        r#"{"type":"work_recorded","date":"2019-01-31","records":[{"worker":{"non_member":"李四"},"date":"2019-01-31","task":{"greenhouse":"GH1"},"pay":{"basis":"pieces","pieces":"40","rate":"0.5"},"kind":"temporary"}]}"#,
    ];

    /// Where each object in `text` (JSON) opens and closes: the offsets of its braces.
    fn objects(text: &str) -> Vec<(usize, usize)> {
        crate::book::event::json_objects(text)
            .into_iter()
            .map(|(open, _, close)| (open, close))
            .collect()
    }

    /// Every object of an event of every kind (the event's own, and each nested one:
    /// member, parcel, contract and its rent and payment terms, greenhouse, work record,
    /// pay, loan, grant use, posting, policy and its weights) refuses a field it does not
    /// have, as its first or its last field, on both paths.
    #[test]
    fn every_object_of_every_kind_refuses_an_unknown_field() {
        // The shortest event of each kind the books hold, and those written here.
        let mut kinds = std::collections::BTreeMap::new();
        for event in events() {
            let text = serde_json::to_string(&event).unwrap_or_default();
            let tag = text.split('"').nth(3).unwrap_or_default().to_string();
            let shortest = kinds.entry(tag).or_insert_with(|| text.clone());
            if text.len() < shortest.len() {
                *shortest = text;
            }
        }
        let mut texts: Vec<String> = kinds.into_values().collect();
        texts.extend(WRITTEN.iter().map(|text| text.to_string()));
        let mut tags = std::collections::BTreeSet::new();
        let mut objects_checked = 0;
        for text in &texts {
            let event: Event = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            tags.insert(text.split('"').nth(3).unwrap_or_default().to_string());
            assert_eq!(&serde_json::to_string(&event).unwrap_or_default(), text);
            for (open, close) in objects(text) {
                let (before, after) = (&text[..=open], &text[open + 1..]);
                let first = format!(r#"{before}"unexpected":0,{after}"#);
                let (before, after) = text.split_at(close);
                let last = format!(r#"{before},"unexpected":0{after}"#);
                for changed in [first, last] {
                    let error = read(&changed);
                    // An externally tagged enum (a worker, a task, a grant's use) takes one
                    // key, its variant: another key is no variant, or one key too many.
                    let refused = error.starts_with("unknown field `unexpected`, expected")
                        || error.starts_with("unknown variant `unexpected`, expected")
                        || error.starts_with("expected value at line 1");
                    assert!(refused, "{changed}: {error}");
                }
                objects_checked += 1;
            }
        }
        // Every kind of event.
        assert_eq!(tags.len(), 37, "{tags:?}");
        assert!(objects_checked > 100, "{objects_checked}");
    }

    /// Where each date value (`"…":"YYYY-MM-DD"`) in `text` is: the offset of its first
    /// digit, and its field's name.
    fn dates(text: &str) -> Vec<(usize, String)> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        for at in 0..bytes.len().saturating_sub(12) {
            let value = &bytes[at..at + 12];
            let form = value[0] == b'"'
                && value[11] == b'"'
                && value[5] == b'-'
                && value[8] == b'-'
                && [1, 2, 3, 4, 6, 7, 9, 10]
                    .iter()
                    .all(|&i| value[i].is_ascii_digit());
            if form && at >= 2 && &bytes[at - 2..at] == b"\":" {
                let key_end = at - 2;
                let key_start = text[..key_end].rfind('"').map_or(0, |q| q + 1);
                found.push((at + 1, text[key_start..key_end].to_string()));
            }
        }
        found
    }

    /// Found by review: `time`'s reader took `"+2019-01-01"` (and a list `[2019, 1]`) as a
    /// date. Every date field of every kind of event, nested ones included, reads only
    /// `YYYY-MM-DD`, on both paths, and names the field, the text and the form expected.
    #[test]
    fn every_date_of_every_kind_is_read_only_as_yyyy_mm_dd() {
        let mut kinds = std::collections::BTreeMap::new();
        for event in events() {
            let text = serde_json::to_string(&event).unwrap_or_default();
            let tag = text.split('"').nth(3).unwrap_or_default().to_string();
            let shortest = kinds.entry(tag).or_insert_with(|| text.clone());
            if text.len() < shortest.len() {
                *shortest = text;
            }
        }
        let mut texts: Vec<String> = kinds.into_values().collect();
        texts.extend(WRITTEN.iter().map(|text| text.to_string()));
        // A member who has left, a parcel retired: the optional dates.
        texts.push(r#"{"type":"member_joined","member":{"id":"V1","name":"村集体","kind":"collective","village":"村","joined":"2019-01-01","left":"2020-06-30"}}"#.to_string());
        texts.push(r#"{"type":"parcel_registered","parcel":{"id":"P1","owner":"M1","area":"0.52","village":"村","land_class":"旱地","registered":"2019-01-01","retired":"2020-06-30"}}"#.to_string());
        let mut fields = std::collections::BTreeSet::new();
        for text in &texts {
            assert!(serde_json::from_str::<Event>(text).is_ok(), "{text}");
            let found = dates(text);
            for (at, field) in found {
                let written = &text[at..at + 10];
                let (before, after) = (&text[..at - 1], &text[at + 11..]);
                let spelled = |date: &str| format!("{before}{date}{after}");
                let (year, month, day) = (&written[..4], &written[5..7], &written[8..]);
                let unpadded = format!(
                    "{year}-{}-{}",
                    month.trim_start_matches('0'),
                    day.trim_start_matches('0')
                );
                let spellings = [
                    format!("+{written}"),
                    format!("0{written}"),
                    format!("+0{written}"),
                    unpadded,
                    format!("{written}T00:00:00"),
                    format!("{written} "),
                    format!(" {written}"),
                    format!("{year}/{month}/{day}"),
                    format!("{year}{month}{day}"),
                ];
                // (A date of two-digit month and day has no unpadded spelling.)
                for date in spellings.into_iter().filter(|date| date != written) {
                    let changed = spelled(&format!("\"{date}\""));
                    // Type first (the fast path) and keys sorted (the slow path).
                    let value: serde_json::Value =
                        serde_json::from_str(&changed).unwrap_or_default();
                    let sorted = serde_json::to_string(&value).unwrap_or_default();
                    for text in [&changed, &sorted] {
                        let error = read(text);
                        let expected = format!(
                            "invalid date `{field}`: {date:?} is not a date written YYYY-MM-DD, such as \"2019-03-15\" (a four-digit year, a two-digit month and day, nothing before or after) at line 1 column "
                        );
                        assert!(error.starts_with(&expected), "{text}: {error}");
                    }
                }
                // A list (`time` reads it as a year and a day of the year), a number.
                for value in ["[2019,1]", "20190101"] {
                    let error = read(&spelled(value));
                    assert!(
                        error.starts_with("invalid type: ")
                            && error.contains(&format!("expected the date `{field}` as a string")),
                        "{}: {error}",
                        spelled(value)
                    );
                }
                // The written form still reads, and another day in it reads as that day.
                let other = spelled("\"2020-02-29\"");
                let event: Result<Event, _> = serde_json::from_str(&other);
                let back = event.map(|event| serde_json::to_string(&event).unwrap_or_default());
                assert_eq!(back.ok(), Some(other.clone()), "{other}");
                fields.insert(field);
            }
        }
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "built",
                "date",
                "end",
                "from",
                "joined",
                "left",
                "maturity",
                "registered",
                "retired",
                "signed",
                "start",
                "through",
                "to"
            ]
        );
    }
}
