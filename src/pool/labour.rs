//! Labour in the park: work records (who, when, on what, for how much) and the payables they
//! are booked to.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::{GreenhouseId, MemberId, Result, Rounding, Yuan};

/// Who did the work: a member (a household in the register), or someone who is not a member,
/// recorded by name.
///
/// Work by a member is booked to the member's own payable sub-account (`213.M001` or
/// `212.M001`); work by non-members is booked through one shared sub-account
/// (`213.NONMEMBER`, `212.NONMEMBER`), and the register keeps their names.
///
/// # Example
///
/// ```
/// use landpool::Worker;
/// let member = Worker::Member("M001".parse()?);
/// assert_eq!(serde_json::to_string(&member).unwrap(), r#"{"member":"M001"}"#);
/// let other = Worker::NonMember("李四".into());
/// assert_eq!(serde_json::to_string(&other).unwrap(), r#"{"non_member":"李四"}"#);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Worker {
    /// A member of the cooperative, who must be a member on the day worked.
    Member(MemberId),
    /// A worker who is not a member, by name (1 to 64 bytes).
    NonMember(String),
}

/// The sub-account segment through which non-members' pay is booked (`213.NONMEMBER`).
///
/// # Example
///
/// ```
/// use landpool::ledger::AccountCode;
/// use landpool::pool::NON_MEMBER_SEGMENT;
/// use landpool::*;
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// assert_eq!(NON_MEMBER_SEGMENT, "NONMEMBER");
/// let mut book = Book::new();
/// book.apply("w1".parse()?, Event::WorkRecorded { date: date!(2019 - 06 - 30), records: vec![WorkRecord {
///     worker: Worker::NonMember("李四".into()), date: date!(2019 - 06 - 30), task: Task::Administration,
///     pay: Pay::Hours { hours: dec!(8), rate: dec!(15) }, kind: WorkKind::Temporary,
/// }]})?;
/// // 8 hours at 15 yuan, owed to the non-member: a credit balance of 120.00.
/// let payable = AccountCode::new("213")?.sub(NON_MEMBER_SEGMENT)?;
/// assert_eq!(payable.as_str(), "213.NONMEMBER");
/// assert_eq!(book.journal().closing_balance(&payable)?.to_string(), "-120.00");
/// # Ok::<(), landpool::Error>(())
/// ```
pub const NON_MEMBER_SEGMENT: &str = "NONMEMBER";

/// The longest name of a non-member worker, in bytes.
///
/// # Example
///
/// ```
/// use landpool::pool::MAX_WORKER_NAME_BYTES;
/// use landpool::*;
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// assert_eq!(MAX_WORKER_NAME_BYTES, 64);
/// let timesheet = |name: String| Event::WorkRecorded { date: date!(2019 - 06 - 30), records: vec![WorkRecord {
///     worker: Worker::NonMember(name), date: date!(2019 - 06 - 30), task: Task::Administration,
///     pay: Pay::Hours { hours: dec!(8), rate: dec!(15) }, kind: WorkKind::Temporary,
/// }]};
/// let mut book = Book::new();
/// // 21 Chinese characters of 3 bytes each: 63 bytes.
/// book.apply("w1".parse()?, timesheet("李".repeat(21)))?;
/// // 22 of them are 66 bytes: the timesheet is refused.
/// assert!(book.apply("w2".parse()?, timesheet("李".repeat(22))).is_err());
/// assert_eq!(book.work_of(&Worker::NonMember("李".repeat(21))).len(), 1);
/// # Ok::<(), landpool::Error>(())
/// ```
pub const MAX_WORKER_NAME_BYTES: usize = 64;

/// What the work was for: a greenhouse (Dr `521.<greenhouse>`) or administration
/// (Dr 523 管理费用).
///
/// # Example
///
/// ```
/// use landpool::Task;
/// let task = Task::Greenhouse("GH01".parse()?);
/// assert_eq!(serde_json::to_string(&task).unwrap(), r#"{"greenhouse":"GH01"}"#);
/// assert_eq!(serde_json::to_string(&Task::Administration).unwrap(), r#""administration""#);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Work in a greenhouse.
    Greenhouse(GreenhouseId),
    /// Administrative work.
    Administration,
}

/// How the work is paid: a quantity (days, hours or pieces) times a rate. The amount is the
/// exact product rounded once to the fen, half away from zero.
///
/// # Example
///
/// ```
/// use landpool::Pay;
/// use rust_decimal_macros::dec;
///
/// let pay = Pay::Days { days: dec!(12.5), rate: dec!(120.00) };
/// assert_eq!(pay.amount()?.to_string(), "1500.00");
/// assert_eq!(
///     serde_json::to_string(&pay).unwrap(),
///     r#"{"basis":"days","days":"12.5","rate":"120.00"}"#
/// );
/// assert_eq!(Pay::Hours { hours: dec!(3.5), rate: dec!(15.333) }.amount()?.to_string(), "53.67");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Pay {
    /// Days worked × yuan per day (日工资).
    Days {
        /// Days worked, zero or more.
        #[serde(with = "crate::exact_decimal")]
        days: Decimal,
        /// Yuan per day, zero or more.
        #[serde(with = "crate::exact_decimal")]
        rate: Decimal,
    },
    /// Hours worked × yuan per hour.
    Hours {
        /// Hours worked, zero or more.
        #[serde(with = "crate::exact_decimal")]
        hours: Decimal,
        /// Yuan per hour, zero or more.
        #[serde(with = "crate::exact_decimal")]
        rate: Decimal,
    },
    /// Pieces (kilograms picked, vines pruned, …) × yuan per piece (计件工资).
    Pieces {
        /// Pieces done, zero or more.
        #[serde(with = "crate::exact_decimal")]
        pieces: Decimal,
        /// Yuan per piece, zero or more.
        #[serde(with = "crate::exact_decimal")]
        rate: Decimal,
    },
}

impl Pay {
    /// The quantity (days, hours or pieces) and the rate.
    ///
    /// # Example
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// let pay = landpool::Pay::Pieces { pieces: dec!(40), rate: dec!(0.5) };
    /// assert_eq!(pay.quantity_and_rate(), (dec!(40), dec!(0.5)));
    /// ```
    pub fn quantity_and_rate(&self) -> (Decimal, Decimal) {
        match *self {
            Pay::Days { days, rate } => (days, rate),
            Pay::Hours { hours, rate } => (hours, rate),
            Pay::Pieces { pieces, rate } => (pieces, rate),
        }
    }

    /// The unit of the quantity: `days`, `hours` or `pieces`.
    ///
    /// # Example
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// assert_eq!(landpool::Pay::Hours { hours: dec!(1), rate: dec!(1) }.unit(), "hours");
    /// ```
    pub fn unit(&self) -> &'static str {
        match self {
            Pay::Days { .. } => "days",
            Pay::Hours { .. } => "hours",
            Pay::Pieces { .. } => "pieces",
        }
    }

    /// How the pay is counted, without the figures.
    pub(crate) fn basis(&self) -> PayBasis {
        match self {
            Pay::Days { .. } => PayBasis::Days,
            Pay::Hours { .. } => PayBasis::Hours,
            Pay::Pieces { .. } => PayBasis::Pieces,
        }
    }

    /// The pay counted by `basis`: `quantity` days, hours or pieces at `rate`.
    pub(crate) fn from_basis(basis: PayBasis, quantity: Decimal, rate: Decimal) -> Pay {
        match basis {
            PayBasis::Days => Pay::Days {
                days: quantity,
                rate,
            },
            PayBasis::Hours => Pay::Hours {
                hours: quantity,
                rate,
            },
            PayBasis::Pieces => Pay::Pieces {
                pieces: quantity,
                rate,
            },
        }
    }

    /// The pay: quantity × rate, rounded once to the fen, half away from zero.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Overflow`] when the amount does not fit in a [`Yuan`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Error, Pay, Yuan};
    /// use rust_decimal_macros::dec;
    ///
    /// let picked = Pay::Pieces { pieces: dec!(40), rate: dec!(0.5) };
    /// assert_eq!(picked.amount()?, Yuan::from_yuan(20)?);
    /// // 49.995 rounds half away from zero to 50.00.
    /// let half_day = Pay::Days { days: dec!(0.5), rate: dec!(99.99) };
    /// assert_eq!(half_day.amount()?, Yuan::from_yuan(50)?);
    /// let huge = Pay::Days { days: dec!(1000000000000000), rate: dec!(1000000) };
    /// assert!(matches!(huge.amount(), Err(Error::Overflow { .. })));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn amount(&self) -> Result<Yuan> {
        let (quantity, rate) = self.quantity_and_rate();
        product_half_away(quantity, rate)
    }
}

/// How a piece of work is paid, without the figures: [`Pay`]'s variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PayBasis {
    Days,
    Hours,
    Pieces,
}

/// Reads `{"basis": …, <quantity>: …, "rate": …}` with its keys in any order, as serde's
/// derived reader for a tagged enum with `deny_unknown_fields` does, but without first
/// copying the object into an intermediate tree (a county's timesheets hold millions of
/// these). Same results and errors as that reader: a key the basis does not have (another
/// basis's quantity included) is refused, naming the key and the fields expected, as is a
/// repeated key. Where an object has more than one fault, the one named is the derived
/// reader's (the first in the object's order, a fault of the tag first), but in two cases,
/// as the derived reader reads the whole object before its fields: a fault of the object's
/// syntax or a second `basis` after the first fault of a field is not looked for; and when
/// a quantity of another basis comes before `basis`, the faults of the fields between them
/// (a value that is not a decimal, a repeated key) are found first.
///
/// ```
/// let json = r#"{"basis":"hours","hours":"2","rate":"10","days":"5"}"#;
/// let error = serde_json::from_str::<landpool::Pay>(json).err().map(|e| e.to_string());
/// assert_eq!(
///     error.as_deref(),
///     Some("unknown field `days`, expected `hours` or `rate` at line 1 column 47")
/// );
/// ```
impl<'de> Deserialize<'de> for Pay {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Pay, D::Error> {
        deserializer.deserialize_any(pay_serde::PayVisitor)
    }
}

mod pay_serde {
    use super::Pay;
    use rust_decimal::Decimal;
    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
    use serde::Deserialize;

    use super::PayBasis;

    impl<'de> Deserialize<'de> for PayBasis {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PayBasis, D::Error> {
            struct BasisVisitor;
            impl Visitor<'_> for BasisVisitor {
                type Value = PayBasis;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("variant identifier")
                }
                fn visit_str<E: de::Error>(self, basis: &str) -> Result<PayBasis, E> {
                    match basis {
                        "days" => Ok(PayBasis::Days),
                        "hours" => Ok(PayBasis::Hours),
                        "pieces" => Ok(PayBasis::Pieces),
                        other => Err(de::Error::unknown_variant(
                            other,
                            &["days", "hours", "pieces"],
                        )),
                    }
                }
            }
            deserializer.deserialize_identifier(BasisVisitor)
        }
    }

    enum Key {
        Basis,
        /// The quantity of a basis: days, hours or pieces.
        Quantity(PayBasis),
        Rate,
        /// Any other key (kept for its error: the derived reader refuses it).
        Other(String),
    }

    impl<'de> Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
            struct KeyVisitor;
            impl Visitor<'_> for KeyVisitor {
                type Value = Key;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a field name")
                }
                fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                    Ok(match key {
                        "basis" => Key::Basis,
                        "days" => Key::Quantity(PayBasis::Days),
                        "hours" => Key::Quantity(PayBasis::Hours),
                        "pieces" => Key::Quantity(PayBasis::Pieces),
                        "rate" => Key::Rate,
                        other => Key::Other(other.to_string()),
                    })
                }
            }
            deserializer.deserialize_identifier(KeyVisitor)
        }
    }

    impl PayBasis {
        /// The quantity's field name.
        fn quantity(self) -> &'static str {
            match self {
                PayBasis::Days => "days",
                PayBasis::Hours => "hours",
                PayBasis::Pieces => "pieces",
            }
        }

        /// The fields of its variant, as the derived reader names them.
        fn fields(self) -> &'static [&'static str] {
            match self {
                PayBasis::Days => &["days", "rate"],
                PayBasis::Hours => &["hours", "rate"],
                PayBasis::Pieces => &["pieces", "rate"],
            }
        }

        /// Its place among the quantities.
        fn index(self) -> usize {
            match self {
                PayBasis::Days => 0,
                PayBasis::Hours => 1,
                PayBasis::Pieces => 2,
            }
        }
    }

    /// A decimal in its string form, read exactly as every decimal field is (see
    /// [`crate::exact_decimal`]).
    struct Text(Decimal);

    impl<'de> Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
            crate::exact_decimal::deserialize(deserializer).map(Text)
        }
    }

    pub(super) struct PayVisitor;

    impl<'de> Visitor<'de> for PayVisitor {
        type Value = Pay;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(
                "pay: an object with its \"basis\" (days, hours or pieces), quantity and rate",
            )
        }

        /// `["days", "12.5", "120.00"]`: the tag, then the fields in order, which the derived
        /// reader also takes.
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Pay, A::Error> {
            let basis: PayBasis = seq
                .next_element()?
                .ok_or_else(|| de::Error::missing_field("basis"))?;
            let expected = match basis {
                PayBasis::Days => "struct variant Pay::Days with 2 elements",
                PayBasis::Hours => "struct variant Pay::Hours with 2 elements",
                PayBasis::Pieces => "struct variant Pay::Pieces with 2 elements",
            };
            let quantity = seq
                .next_element::<Text>()?
                .ok_or_else(|| de::Error::invalid_length(0, &expected))?
                .0;
            let rate = seq
                .next_element::<Text>()?
                .ok_or_else(|| de::Error::invalid_length(1, &expected))?
                .0;
            if seq.next_element::<IgnoredAny>()?.is_some() {
                return Err(de::Error::invalid_length(3, &expected));
            }
            Ok(Pay::from_basis(basis, quantity, rate))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pay, A::Error> {
            let mut basis: Option<PayBasis> = None;
            // days, hours, pieces
            let mut quantities: [Option<Decimal>; 3] = [None; 3];
            let mut rate: Option<Decimal> = None;
            // Until the basis is known, where (among the keys) each quantity came, and the
            // first unknown key: the derived reader refuses the first key, in the object's
            // order, that the basis does not have.
            let mut place = 0_usize;
            let mut quantity_at = [usize::MAX; 3];
            let mut unknown: Option<(usize, String)> = None;
            while let Some(key) = map.next_key::<Key>()? {
                place = place.saturating_add(1);
                match key {
                    Key::Basis => {
                        if basis.is_some() {
                            return Err(de::Error::duplicate_field("basis"));
                        }
                        let read: PayBasis = map.next_value()?;
                        basis = Some(read);
                        // A quantity of another basis already read is the first such key
                        // unless an unknown one came before it.
                        let foreign = [PayBasis::Days, PayBasis::Hours, PayBasis::Pieces]
                            .into_iter()
                            .filter(|&other| other != read)
                            .filter_map(|other| {
                                let at = quantity_at.get(other.index()).copied()?;
                                (at != usize::MAX).then_some((at, other.quantity()))
                            })
                            .min_by_key(|(at, _)| *at);
                        if let Some((at, name)) = foreign {
                            if unknown.as_ref().is_none_or(|(first, _)| at < *first) {
                                unknown = Some((at, name.to_string()));
                            }
                        }
                    }
                    // The derived reader stops at the first key the basis does not have (the
                    // object's tag is read before: a second basis is found first).
                    _ if unknown.is_some() => {
                        map.next_value::<IgnoredAny>()?;
                    }
                    Key::Other(key) => match basis {
                        Some(basis) => return Err(de::Error::unknown_field(&key, basis.fields())),
                        None => {
                            unknown = Some((place, key));
                            map.next_value::<IgnoredAny>()?;
                        }
                    },
                    Key::Rate => {
                        if rate.is_some() {
                            return Err(de::Error::duplicate_field("rate"));
                        }
                        rate = Some(map.next_value::<Text>()?.0);
                    }
                    Key::Quantity(quantity) => {
                        let name = quantity.quantity();
                        if let Some(basis) = basis.filter(|&basis| basis != quantity) {
                            return Err(de::Error::unknown_field(name, basis.fields()));
                        }
                        let index = quantity.index();
                        let (Some(value), Some(at)) =
                            (quantities.get_mut(index), quantity_at.get_mut(index))
                        else {
                            continue;
                        };
                        if value.is_some() {
                            return Err(de::Error::duplicate_field(name));
                        }
                        *value = Some(map.next_value::<Text>()?.0);
                        *at = place;
                    }
                }
            }
            let basis = basis.ok_or_else(|| de::Error::missing_field("basis"))?;
            if let Some((_, key)) = unknown {
                return Err(de::Error::unknown_field(&key, basis.fields()));
            }
            let quantity = quantities
                .get(basis.index())
                .copied()
                .flatten()
                .ok_or_else(|| de::Error::missing_field(basis.quantity()))?;
            let rate = rate.ok_or_else(|| de::Error::missing_field("rate"))?;
            Ok(Pay::from_basis(basis, quantity, rate))
        }
    }
}

/// `a × b` in yuan rounded once to the fen, half away from zero. Products of the usual sizes
/// are computed with 128-bit integers; anything larger goes through [`Yuan::from_product`].
pub(crate) fn product_half_away(a: Decimal, b: Decimal) -> Result<Yuan> {
    if let Some(fen) = small_product(a, b) {
        return Ok(Yuan::from_fen(fen));
    }
    Yuan::from_product(&[a, b], Decimal::ONE, Rounding::HalfAwayFromZero)
}

/// The fast path of [`product_half_away`]: `None` when an intermediate does not fit.
fn small_product(a: Decimal, b: Decimal) -> Option<i64> {
    if let Some(fen) = word_product(a, b) {
        return Some(fen);
    }
    wide_product(a, b)
}

/// [`small_product`] in 64-bit integers, for the usual quantities and rates.
fn word_product(a: Decimal, b: Decimal) -> Option<i64> {
    let product = i64::try_from(a.mantissa())
        .ok()?
        .checked_mul(i64::try_from(b.mantissa()).ok()?)?;
    let scale = a.scale().checked_add(b.scale())?;
    if scale <= 2 {
        return product.checked_mul(10_i64.checked_pow(2_u32.checked_sub(scale)?)?);
    }
    let divisor = 10_i64.checked_pow(scale.checked_sub(2)?)?;
    let quotient = product.checked_div(divisor)?;
    let remainder = product.checked_rem(divisor)?;
    if remainder.checked_abs()?.checked_mul(2)? >= divisor {
        quotient.checked_add(product.signum())
    } else {
        Some(quotient)
    }
}

/// [`small_product`] in 128-bit integers.
fn wide_product(a: Decimal, b: Decimal) -> Option<i64> {
    let product = a.mantissa().checked_mul(b.mantissa())?;
    let scale = a.scale().checked_add(b.scale())?;
    let fen = if scale <= 2 {
        product.checked_mul(10_i128.checked_pow(2_u32.checked_sub(scale)?)?)?
    } else {
        let divisor = 10_i128.checked_pow(scale.checked_sub(2)?)?;
        let quotient = product.checked_div(divisor)?;
        let remainder = product.checked_rem(divisor)?;
        // Half away from zero: a remainder of at least half the divisor rounds outward.
        if remainder.checked_abs()?.checked_mul(2)? >= divisor {
            quotient.checked_add(product.signum())?
        } else {
            quotient
        }
    };
    i64::try_from(fen).ok()
}

/// The kind of work, which decides the payable it is booked to.
///
/// # Example
///
/// ```
/// use landpool::{WageAccount, WorkKind};
/// assert_eq!(WorkKind::Seasonal.account(), WageAccount::Labour);
/// assert_eq!(WorkKind::Staff.account().code(), "212");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// Seasonal work (季节性用工): 213 应付劳务费.
    Seasonal,
    /// Temporary work (临时用工): 213 应付劳务费.
    Temporary,
    /// Staff on the payroll (管理人员、固定员工): 212 应付工资.
    Staff,
}

impl WorkKind {
    /// The payable the work is booked to.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{WageAccount, WorkKind};
    /// assert_eq!(WorkKind::Seasonal.account(), WageAccount::Labour);
    /// assert_eq!(WorkKind::Temporary.account(), WageAccount::Labour);
    /// assert_eq!(WorkKind::Staff.account(), WageAccount::Staff);
    /// ```
    pub fn account(self) -> WageAccount {
        match self {
            WorkKind::Seasonal | WorkKind::Temporary => WageAccount::Labour,
            WorkKind::Staff => WageAccount::Staff,
        }
    }
}

/// A payable for work: 213 应付劳务费 (seasonal and temporary labour) or 212 应付工资 (staff).
///
/// # Example
///
/// ```
/// assert_eq!(landpool::WageAccount::Labour.code(), "213");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WageAccount {
    /// 213 应付劳务费.
    Labour,
    /// 212 应付工资.
    Staff,
}

impl WageAccount {
    /// The account code (`213` or `212`).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::WageAccount;
    /// assert_eq!(WageAccount::Labour.code(), "213");
    /// assert_eq!(WageAccount::Staff.code(), "212");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            WageAccount::Labour => "213",
            WageAccount::Staff => "212",
        }
    }
}

/// One record of a timesheet: who worked, on which day, on what, how it is paid, and which
/// kind of work it was.
///
/// # Example
///
/// ```
/// use landpool::{Pay, Task, WorkKind, WorkRecord, Worker};
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let record = WorkRecord {
///     worker: Worker::Member("M001".parse()?),
///     date: date!(2019 - 05 - 31),
///     task: Task::Greenhouse("GH01".parse()?),
///     pay: Pay::Days { days: dec!(12.5), rate: dec!(120.00) },
///     kind: WorkKind::Seasonal,
/// };
/// assert_eq!(record.pay.amount()?.to_string(), "1500.00");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkRecord {
    /// Who worked.
    pub worker: Worker,
    /// The day worked (or the last day of the period the record covers).
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::date"
    )]
    pub date: Date,
    /// What for.
    pub task: Task,
    /// How it is paid.
    pub pay: Pay,
    /// Which kind of work.
    pub kind: WorkKind,
}

impl WorkRecord {
    /// Appends the record's JSON to `out`: the same bytes as `serde_json::to_writer` writes
    /// for it, written directly (a timesheet's canonical JSON, hashed for the event chain,
    /// holds millions of records; serde's general writer spends most of its time on the
    /// small pieces). A record this writer does not cover (a date beyond year 9999) is
    /// written by serde.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let Some(date) = crate::iso_date::text(self.date) else {
            return serde_json::to_writer(out, self);
        };
        match &self.worker {
            Worker::Member(member) => {
                out.extend_from_slice(br#"{"worker":{"member":"#);
                json_str(out, member.as_str())?;
            }
            Worker::NonMember(name) => {
                out.extend_from_slice(br#"{"worker":{"non_member":"#);
                json_str(out, name)?;
            }
        }
        out.extend_from_slice(br#"},"date":""#);
        out.extend_from_slice(&date);
        match &self.task {
            Task::Greenhouse(greenhouse) => {
                out.extend_from_slice(br#"","task":{"greenhouse":"#);
                json_str(out, greenhouse.as_str())?;
                out.extend_from_slice(br#"},"pay":{"basis":""#);
            }
            Task::Administration => {
                out.extend_from_slice(br#"","task":"administration","pay":{"basis":""#);
            }
        }
        let (basis, quantity, rate): (&[u8], _, _) = match self.pay {
            Pay::Days { days, rate } => (br#"days","days":""#, days, rate),
            Pay::Hours { hours, rate } => (br#"hours","hours":""#, hours, rate),
            Pay::Pieces { pieces, rate } => (br#"pieces","pieces":""#, pieces, rate),
        };
        out.extend_from_slice(basis);
        decimal_text(out, quantity);
        out.extend_from_slice(br#"","rate":""#);
        decimal_text(out, rate);
        out.extend_from_slice(match self.kind {
            WorkKind::Seasonal => br#""},"kind":"seasonal"}"#.as_slice(),
            WorkKind::Temporary => br#""},"kind":"temporary"}"#.as_slice(),
            WorkKind::Staff => br#""},"kind":"staff"}"#.as_slice(),
        });
        Ok(())
    }
}

/// Appends `text` as a JSON string, as serde_json writes it: directly when nothing in it
/// needs escaping, through serde_json otherwise.
pub(crate) fn json_str(out: &mut Vec<u8>, text: &str) -> serde_json::Result<()> {
    if text
        .bytes()
        .all(|byte| byte >= 0x20 && byte != b'"' && byte != b'\\')
    {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde_json::to_writer(out, text)
    }
}

/// Appends a decimal's text, the same as `rust_decimal`'s `Display` and its `serde::str`
/// form: the mantissa's digits with the point `scale` places from the right, a `0` before
/// a leading point, trailing zeros kept, a `-` for a negative sign (also on zero).
pub(crate) fn decimal_text(out: &mut Vec<u8>, value: Decimal) {
    // A mantissa has at most 96 bits (29 digits); the scale is at most 28.
    let mut digits = [b'0'; 40];
    let mut start = digits.len();
    let mantissa = value.mantissa().unsigned_abs();
    // Digits from 64-bit division where the mantissa fits (almost always): dividing a u128
    // by ten is several times slower.
    if let Ok(mut small) = u64::try_from(mantissa) {
        while small > 0 {
            start = start.saturating_sub(1);
            if let Some(digit) = digits.get_mut(start) {
                *digit = (small % 10) as u8 | b'0';
            }
            small /= 10;
        }
    } else {
        let mut large = mantissa;
        while large > 0 {
            start = start.saturating_sub(1);
            if let Some(digit) = digits.get_mut(start) {
                *digit = (large % 10) as u8 | b'0';
            }
            large /= 10;
        }
    }
    let scale = usize::try_from(value.scale()).unwrap_or(0);
    // Zeros before the digits up to the scale (already in the array).
    let start = start.min(digits.len().saturating_sub(scale));
    let digits = digits.get(start..).unwrap_or_default();
    let whole = digits.len().saturating_sub(scale);
    if value.is_sign_negative() {
        out.push(b'-');
    }
    let (integral, fraction) = digits.split_at(whole);
    if integral.is_empty() {
        out.push(b'0');
    } else {
        out.extend_from_slice(integral);
    }
    if !fraction.is_empty() {
        out.push(b'.');
        out.extend_from_slice(fraction);
    }
}

/// A work record as the book keeps it once booked: the day, the task, the kind and the
/// amount.
///
/// # Example
///
/// As [`Book::work_of`](crate::Book::work_of) gives it:
///
/// ```
/// use landpool::*;
/// use rust_decimal_macros::dec;
/// use time::macros::date;
///
/// let mut book = Book::new();
/// let helper = Worker::NonMember("李四".into());
/// book.apply("w1".parse()?, Event::WorkRecorded { date: date!(2019 - 06 - 30), records: vec![WorkRecord {
///     worker: helper.clone(), date: date!(2019 - 06 - 28), task: Task::Administration,
///     pay: Pay::Hours { hours: dec!(8), rate: dec!(15) }, kind: WorkKind::Temporary,
/// }]})?;
/// // 8 hours at 15 yuan an hour.
/// assert_eq!(book.work_of(&helper), [BookedWork {
///     date: date!(2019 - 06 - 28),
///     task: Task::Administration,
///     kind: WorkKind::Temporary,
///     amount: "120.00".parse()?,
/// }]);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BookedWork {
    /// The day worked.
    #[serde(
        serialize_with = "crate::iso_date::write",
        deserialize_with = "crate::iso_date::field::date"
    )]
    pub date: Date,
    /// What for.
    pub task: Task,
    /// Which kind of work.
    pub kind: WorkKind,
    /// The pay booked.
    pub amount: Yuan,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        prop_oneof![
            (
                any::<u32>(),
                any::<u32>(),
                any::<u32>(),
                any::<bool>(),
                0_u32..=28
            )
                .prop_map(|(lo, mid, hi, negative, scale)| Decimal::from_parts(
                    lo, mid, hi, negative, scale
                )),
            (0_i64..100_000, 0_u32..=6).prop_map(|(n, scale)| Decimal::new(n, scale)),
            (any::<bool>(), 0_u32..=28)
                .prop_map(|(negative, scale)| Decimal::from_parts(0, 0, 0, negative, scale)),
        ]
    }

    fn record() -> impl proptest::strategy::Strategy<Value = WorkRecord> {
        use proptest::prelude::*;
        let worker = prop_oneof![
            "[A-Z0-9][A-Za-z0-9-]{0,11}".prop_map(|id| Worker::Member(
                MemberId::new(&id).unwrap_or_else(|e| panic!("{e}"))
            )),
            any::<String>().prop_map(Worker::NonMember),
            "[a\"\\\\\u{0}-\u{1f}\u{7f}王]{0,6}".prop_map(Worker::NonMember),
        ];
        let task = prop_oneof![
            Just(Task::Administration),
            "[A-Z0-9][A-Za-z0-9-]{0,7}".prop_map(|id| Task::Greenhouse(
                GreenhouseId::new(&id).unwrap_or_else(|e| panic!("{e}"))
            )),
        ];
        let date = (Date::MIN.to_julian_day()..=Date::MAX.to_julian_day())
            .prop_map(|day| Date::from_julian_day(day).unwrap_or(Date::MIN));
        let pay = (0_u8..3, decimal(), decimal()).prop_map(|(basis, quantity, rate)| match basis {
            0 => Pay::Days {
                days: quantity,
                rate,
            },
            1 => Pay::Hours {
                hours: quantity,
                rate,
            },
            _ => Pay::Pieces {
                pieces: quantity,
                rate,
            },
        });
        let kind = prop_oneof![
            Just(WorkKind::Seasonal),
            Just(WorkKind::Temporary),
            Just(WorkKind::Staff)
        ];
        (worker, date, task, pay, kind).prop_map(|(worker, date, task, pay, kind)| WorkRecord {
            worker,
            date,
            task,
            pay,
            kind,
        })
    }

    proptest::proptest! {
        #[test]
        fn decimals_are_written_as_rust_decimal_writes_them(value in decimal()) {
            let mut out = Vec::new();
            decimal_text(&mut out, value);
            proptest::prop_assert_eq!(String::from_utf8(out).ok(), Some(value.to_string()));
        }

        #[test]
        fn records_are_written_as_serde_writes_them(record in record()) {
            let mut out = Vec::new();
            record.write_json(&mut out).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let serde = serde_json::to_vec(&record).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            proptest::prop_assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&serde));
        }
    }

    #[test]
    fn records_are_written_with_exact_bytes() {
        let record = WorkRecord {
            worker: Worker::NonMember("老王 \"Wang\"\n".into()),
            date: time::macros::date!(2019 - 05 - 31),
            task: Task::Administration,
            pay: Pay::Hours {
                hours: dec!(7.50),
                rate: dec!(-0.05),
            },
            kind: WorkKind::Temporary,
        };
        let mut out = Vec::new();
        assert!(record.write_json(&mut out).is_ok());
        assert_eq!(
            String::from_utf8_lossy(&out),
            concat!(
                r#"{"worker":{"non_member":"老王 \"Wang\"\n"},"date":"2019-05-31","#,
                r#""task":"administration","pay":{"basis":"hours","hours":"7.50","rate":"-0.05"},"#,
                r#""kind":"temporary"}"#
            )
        );
    }

    #[test]
    fn a_work_records_date_reads_back() {
        let back: WorkRecord = serde_json::from_str(
            r#"{"worker":{"member":"M1"},"date":"2019-05-31","task":"administration","pay":{"basis":"days","days":"1","rate":"2"},"kind":"staff"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.date, time::macros::date!(2019 - 05 - 31));
    }

    /// `Pay` as serde derives it: what the hand-written reader must agree with.
    #[derive(Debug, Deserialize)]
    #[serde(tag = "basis", rename_all = "snake_case", deny_unknown_fields)]
    enum DerivedPay {
        Days {
            #[serde(with = "crate::exact_decimal")]
            days: Decimal,
            #[serde(with = "crate::exact_decimal")]
            rate: Decimal,
        },
        Hours {
            #[serde(with = "crate::exact_decimal")]
            hours: Decimal,
            #[serde(with = "crate::exact_decimal")]
            rate: Decimal,
        },
        Pieces {
            #[serde(with = "crate::exact_decimal")]
            pieces: Decimal,
            #[serde(with = "crate::exact_decimal")]
            rate: Decimal,
        },
    }

    impl From<DerivedPay> for Pay {
        fn from(pay: DerivedPay) -> Pay {
            match pay {
                DerivedPay::Days { days, rate } => Pay::Days { days, rate },
                DerivedPay::Hours { hours, rate } => Pay::Hours { hours, rate },
                DerivedPay::Pieces { pieces, rate } => Pay::Pieces { pieces, rate },
            }
        }
    }

    #[test]
    fn pay_reads_as_the_derived_reader_does() {
        let cases = [
            r#"{"basis":"days","days":"12.5","rate":"120.00"}"#,
            r#"{"rate":"120.00","days":"12.5","basis":"days"}"#,
            r#"{"days":"1","basis":"hours","hours":"3.5","rate":"15.333","note":[1,{"a":2}]}"#,
            r#"{"basis":"pieces","pieces":"40","rate":"0.5"}"#,
            r#"{"basis":"pieces","pieces":"-40","rate":"0.5"}"#,
            r#"{"basis":"days","days":"1"}"#,
            r#"{"basis":"days","rate":"1"}"#,
            r#"{"days":"1","rate":"1"}"#,
            r#"{"basis":"weeks","days":"1","rate":"1"}"#,
            r#"{"basis":"days","basis":"days","days":"1","rate":"1"}"#,
            r#"{"basis":"days","days":"1","days":"2","rate":"1"}"#,
            r#"{"basis":"days","days":1,"rate":"1"}"#,
            r#"{"basis":"days","days":"1.x","rate":"1"}"#,
            r#"{"basis":7,"days":"1","rate":"1"}"#,
            r#"{"basis":"days","days":null,"rate":"1"}"#,
            r#"{}"#,
            r#"[]"#,
            r#"["days","12.5","120.00"]"#,
            r#"["hours","12.5"]"#,
            r#"["hours"]"#,
            r#"["hours","1","2","3"]"#,
            r#""days""#,
            r#"{"basis":"days","days":"1","rate":"1""#,
            // Keys the basis does not have, before and after the basis.
            r#"{"basis":"hours","hours":"2","rate":"10","days":"5"}"#,
            r#"{"days":"5","basis":"hours","hours":"2","rate":"10"}"#,
            r#"{"note":1,"basis":"days","days":"1","rate":"1"}"#,
            r#"{"basis":"days","days":"1","rate":"1","note":1}"#,
            r#"{"days":"1","note":1,"pieces":"2","basis":"pieces","rate":"1"}"#,
            r#"{"pieces":"2","note":1,"days":"1","basis":"pieces","rate":"1"}"#,
            r#"{"note":1,"days":"1","days":"2","basis":"days","rate":"1"}"#,
            r#"{"note":1,"rate":"1"}"#,
            r#"{"note":1,"basis":"weeks"}"#,
            r#"{"note":1,"basis":"days","basis":"days"}"#,
        ];
        let mut accepted = 0;
        for case in cases {
            let ours = serde_json::from_str::<Pay>(case);
            let derived = serde_json::from_str::<DerivedPay>(case).map(Pay::from);
            match (&ours, &derived) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{case}");
                    accepted += 1;
                }
                (Err(a), Err(b)) => {
                    // The messages name the same problem (the column may differ: the derived
                    // reader reports errors found in its copy at the object's end).
                    let (a, b) = (a.to_string(), b.to_string());
                    let head = |m: &str| m.split(" at line ").next().unwrap_or("").to_string();
                    let (a, b) = (head(&a), head(&b));
                    let described = [
                        "missing field",
                        "unknown variant",
                        "duplicate field",
                        "unknown field",
                    ];
                    if described.iter().any(|d| b.starts_with(d)) {
                        assert_eq!(a, b, "{case}");
                    }
                }
                _ => panic!("{case}: ours {ours:?}, derived {derived:?}"),
            }
        }
        assert_eq!(accepted, 5);
    }

    #[test]
    fn pay_refuses_a_quantity_of_another_basis_or_an_unknown_key() {
        // A timesheet row with the wrong basis would lose its figure silently.
        let cases = [
            (
                r#"{"basis":"hours","hours":"2","rate":"10","days":"5"}"#,
                "unknown field `days`, expected `hours` or `rate` at line 1 column 47",
            ),
            (
                r#"{"days":"5","basis":"hours","hours":"2","rate":"10"}"#,
                "unknown field `days`, expected `hours` or `rate` at line 1 column 52",
            ),
            (
                r#"{"basis":"pieces","pieces":"40","rate":"0.5","note":"x"}"#,
                "unknown field `note`, expected `pieces` or `rate` at line 1 column 51",
            ),
            (
                r#"{"basis":"days","days":"1","rate":"1","rate":"2"}"#,
                "duplicate field `rate` at line 1 column 44",
            ),
        ];
        for (text, expected) in cases {
            let read = serde_json::from_str::<Pay>(text).map_err(|e| e.to_string());
            assert_eq!(read, Err(expected.to_string()), "{text}");
        }
    }

    #[test]
    fn fast_product_matches_the_exact_path() {
        let cases = [
            (dec!(12.5), dec!(120.00)),
            (dec!(3.5), dec!(15.333)),
            (dec!(0.005), dec!(1)),
            (dec!(0.0049999), dec!(1)),
            (dec!(-0.005), dec!(1)),
            (dec!(7.123456789), dec!(0.987654321)),
            (dec!(0), dec!(5)),
            (dec!(99999999999), dec!(99999.99)),
        ];
        for (a, b) in cases {
            let exact = Yuan::from_product(&[a, b], Decimal::ONE, Rounding::HalfAwayFromZero);
            assert_eq!(product_half_away(a, b), exact, "{a} × {b}");
        }
        for (a, b) in cases {
            assert_eq!(
                word_product(a, b).or_else(|| wide_product(a, b)),
                wide_product(a, b)
            );
        }
        // Past 64 bits in the middle, back within them at the end.
        assert_eq!(word_product(dec!(1.23456789012345678), dec!(100.5)), None);
        assert_eq!(
            wide_product(dec!(1.23456789012345678), dec!(100.5)),
            Some(12_407)
        );
        assert_eq!(small_product(dec!(0.005), dec!(1)), Some(1));
        assert_eq!(small_product(dec!(-0.005), dec!(1)), Some(-1));
        assert_eq!(
            small_product(Decimal::MAX, Decimal::MAX),
            None,
            "too large for the fast path"
        );
        assert!(product_half_away(Decimal::MAX, Decimal::MAX).is_err());
    }
}
