//! [`Mu`]: an area of land in mu (亩), exact to a ten-thousandth of a mu.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rounding::{product_to_wide, Rounding};
use crate::{Error, Result};

/// Ten-thousandths of a mu in one mu.
const UNITS_PER_MU: u64 = 10_000;

/// Decimal places kept by [`Mu::to_hectares`].
///
/// # Example
///
/// ```
/// use landpool::{Mu, HECTARE_PLACES};
///
/// assert_eq!(HECTARE_PLACES, 8);
/// // 1 mu = 1/15 ha, a repeating decimal: rounded at the eighth place.
/// let hectares = "1".parse::<Mu>()?.to_hectares();
/// assert_eq!(hectares.to_string(), "0.06666667");
/// assert_eq!(hectares.scale(), HECTARE_PLACES);
/// # Ok::<(), landpool::Error>(())
/// ```
pub const HECTARE_PLACES: u32 = 8;

/// Decimal places kept by [`Mu::to_square_meters`].
///
/// # Example
///
/// ```
/// use landpool::{Mu, SQUARE_METER_PLACES};
///
/// assert_eq!(SQUARE_METER_PLACES, 4);
/// // 1 mu = 10000/15 m², a repeating decimal: rounded at the fourth place.
/// let square_meters = "1".parse::<Mu>()?.to_square_meters();
/// assert_eq!(square_meters.to_string(), "666.6667");
/// assert_eq!(square_meters.scale(), SQUARE_METER_PLACES);
/// # Ok::<(), landpool::Error>(())
/// ```
pub const SQUARE_METER_PLACES: u32 = 4;

/// An area of land in mu (亩), never negative, exact to 0.0001 mu.
///
/// 1 mu = 1/15 hectare exactly = 666.66… m²; 1 mu = 10 fen (分, area) = 100 li (厘).
/// Contracts record areas to 0.01 mu; `Mu` keeps two more places (0.0001 mu ≈ 0.067 m²) so
/// that an area split among greenhouses or households adds back to the whole exactly
/// ([`Mu::split`]).
///
/// Text: [`FromStr`] accepts a plain decimal (`1.35`, `200`, with surrounding spaces) with at
/// most four decimals and refuses negative areas. [`Display`](fmt::Display) writes at least two
/// decimals and at most four, without trailing zeros past the second (`200.00`, `1.35`,
/// `7.1429`; a format precision such as `{:.2}` is ignored, width and alignment apply). serde
/// uses the same text.
///
/// # Example
///
/// ```
/// use landpool::Mu;
/// use rust_decimal_macros::dec;
///
/// let parcel: Mu = "1.35".parse()?;
/// assert_eq!(parcel.to_string(), "1.35");
/// let block: Mu = "15".parse()?;
/// assert_eq!(block.to_hectares(), dec!(1));
/// assert_eq!(block.to_square_meters(), dec!(10000));
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Mu(u64);

impl Mu {
    /// No area.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Mu::ZERO.to_string(), "0.00");
    /// ```
    pub const ZERO: Mu = Mu(0);

    /// The area of `units` ten-thousandths of a mu.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Mu::from_ten_thousandths(13_500).to_string(), "1.35");
    /// ```
    pub const fn from_ten_thousandths(units: u64) -> Mu {
        Mu(units)
    }

    /// The area as a count of ten-thousandths of a mu.
    ///
    /// # Example
    ///
    /// ```
    /// let area: landpool::Mu = "7.1429".parse()?;
    /// assert_eq!(area.ten_thousandths(), 71_429);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub const fn ten_thousandths(self) -> u64 {
        self.0
    }

    /// Whether the area is zero.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::Mu::ZERO.is_zero());
    /// ```
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The area as an exact [`Decimal`] number of mu.
    ///
    /// # Example
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// let area: landpool::Mu = "1.35".parse()?;
    /// assert_eq!(area.to_decimal(), dec!(1.35));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_decimal(self) -> Decimal {
        // A u64 is far below a Decimal's 96-bit mantissa, so this never falls back.
        Decimal::try_from_i128_with_scale(i128::from(self.0), 4).unwrap_or(Decimal::MAX)
    }

    /// The exact area of a [`Decimal`] number of mu.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeArea`] when `value` is below zero; [`Error::TooManyDecimals`] when it
    /// has a non-zero digit past the fourth decimal (use [`Mu::from_decimal_rounded`]);
    /// [`Error::Overflow`] when it is too large.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Mu;
    /// use rust_decimal_macros::dec;
    /// assert_eq!(Mu::try_from_decimal(dec!(1.35))?.ten_thousandths(), 13_500);
    /// assert!(Mu::try_from_decimal(dec!(0.00001)).is_err());
    /// assert!(Mu::try_from_decimal(dec!(-1)).is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn try_from_decimal(value: Decimal) -> Result<Mu> {
        if value.normalize().scale() > 4 {
            return Err(Error::TooManyDecimals {
                value,
                places: 4,
                unit: "0.0001 mu",
            });
        }
        Mu::from_decimal_rounded(value, Rounding::TowardZero)
    }

    /// A [`Decimal`] number of mu rounded once to 0.0001 mu by `rounding`.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeArea`] when `value` is below zero; [`Error::Overflow`] when it is too
    /// large.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Mu, Rounding};
    /// use rust_decimal_macros::dec;
    /// let area = Mu::from_decimal_rounded(dec!(7.142857), Rounding::HalfAwayFromZero)?;
    /// assert_eq!(area.to_string(), "7.1429");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn from_decimal_rounded(value: Decimal, rounding: Rounding) -> Result<Mu> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(Error::NegativeArea { value });
        }
        Mu::from_product(&[value], rounding, &|| {
            format!("{value} mu in ten-thousandths")
        })
    }

    /// An area given in hectares, rounded once to 0.0001 mu by `rounding` (1 ha = 15 mu).
    ///
    /// The area in mu (`hectares × 15`) is computed exactly, however many digits it has, and
    /// only then rounded.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeArea`] when `hectares` is below zero; [`Error::Overflow`] when the
    /// area is too large.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Mu, Rounding};
    /// use rust_decimal_macros::dec;
    /// assert_eq!(Mu::from_hectares(dec!(2), Rounding::HalfAwayFromZero)?.to_string(), "30.00");
    /// // 10 mu written in hectares as a decimal division gives it: 10 ÷ 15 ha, which is
    /// // 10.0000000000000000000000000005 mu exactly.
    /// let hectares = dec!(10) / dec!(15);
    /// assert_eq!(hectares, dec!(0.6666666666666666666666666667));
    /// assert_eq!(Mu::from_hectares(hectares, Rounding::HalfAwayFromZero)?.to_string(), "10.00");
    /// assert_eq!(Mu::from_hectares(hectares, Rounding::Ceiling)?.to_string(), "10.0001");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn from_hectares(hectares: Decimal, rounding: Rounding) -> Result<Mu> {
        if hectares.is_sign_negative() && !hectares.is_zero() {
            // The area in mu, for the message only; hectares where it does not fit.
            let value = hectares.checked_mul(Decimal::from(15)).unwrap_or(hectares);
            return Err(Error::NegativeArea { value });
        }
        Mu::from_product(&[hectares, Decimal::from(15)], rounding, &|| {
            format!("{hectares} ha in ten-thousandths of a mu")
        })
    }

    /// The exact product of `factors` (a number of mu once multiplied, not negative),
    /// rounded once to 0.0001 mu by `rounding`.
    fn from_product(
        factors: &[Decimal],
        rounding: Rounding,
        what: &dyn Fn() -> String,
    ) -> Result<Mu> {
        let units = product_to_wide(factors, Decimal::ONE, 4, rounding, what)?;
        u64::try_from(units)
            .map(Mu)
            .map_err(|_| Error::Overflow { operation: what() })
    }

    /// The area in hectares (1 mu = 1/15 ha), to [`HECTARE_PLACES`] (8) decimal places.
    ///
    /// Where the exact value has a finite decimal form it has at most five places, so it is
    /// returned exactly (15 mu → 1 ha, 1.5 mu → 0.1 ha). Otherwise the repeating decimal is
    /// rounded half away from zero at the eighth place (1 mu → 0.06666667 ha), which is
    /// finer than 0.001 m².
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Mu;
    /// use rust_decimal_macros::dec;
    /// assert_eq!("1".parse::<Mu>()?.to_hectares(), dec!(0.06666667));
    /// assert_eq!("3".parse::<Mu>()?.to_hectares(), dec!(0.2));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_hectares(self) -> Decimal {
        // units / 10_000 / 15 ha
        divide_rounded(self.0, 150_000, HECTARE_PLACES)
    }

    /// The area in square metres (1 mu = 10000/15 m²), to [`SQUARE_METER_PLACES`] (4) decimal
    /// places.
    ///
    /// Exact values have at most one decimal place and are returned exactly (3 mu → 2000 m²);
    /// repeating decimals are rounded half away from zero at the fourth place
    /// (1 mu → 666.6667 m²).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Mu;
    /// use rust_decimal_macros::dec;
    /// assert_eq!("1".parse::<Mu>()?.to_square_meters(), dec!(666.6667));
    /// assert_eq!("0.15".parse::<Mu>()?.to_square_meters(), dec!(100));
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_square_meters(self) -> Decimal {
        // units / 10_000 × 10_000 / 15 m²
        divide_rounded(self.0, 15, SQUARE_METER_PLACES)
    }

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when the sum does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Mu;
    /// let total = "1.35".parse::<Mu>()?.checked_add("0.65".parse()?)?;
    /// assert_eq!(total.to_string(), "2.00");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn checked_add(self, other: Mu) -> Result<Mu> {
        self.0
            .checked_add(other.0)
            .map(Mu)
            .ok_or_else(|| Error::Overflow {
                operation: format!("{self} mu + {other} mu"),
            })
    }

    /// `self - other`.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeArea`] when `other` is larger than `self`.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Mu;
    /// let rest = "2".parse::<Mu>()?.checked_sub("0.5".parse()?)?;
    /// assert_eq!(rest.to_string(), "1.50");
    /// assert!(Mu::ZERO.checked_sub(rest).is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn checked_sub(self, other: Mu) -> Result<Mu> {
        self.0
            .checked_sub(other.0)
            .map(Mu)
            .ok_or_else(|| Error::NegativeArea {
                // Two areas below 2^64 / 10^4: the difference cannot overflow a Decimal.
                value: self.to_decimal().saturating_sub(other.to_decimal()),
            })
    }

    /// Adds up areas, reporting overflow.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when the total does not fit.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Mu;
    /// let parcels: Vec<Mu> = vec!["1.35".parse()?, "0.65".parse()?];
    /// assert_eq!(Mu::checked_sum(parcels)?.to_string(), "2.00");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn checked_sum<I: IntoIterator<Item = Mu>>(areas: I) -> Result<Mu> {
        areas.into_iter().try_fold(Mu::ZERO, Mu::checked_add)
    }

    /// Splits this area into parts proportional to `weights`, exact to 0.0001 mu, by the
    /// largest-remainder method (see [`crate::allocate()`]). The parts add back to the whole.
    ///
    /// # Errors
    ///
    /// As [`crate::allocate()`]: an empty, negative or all-zero weight list.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Mu;
    /// use rust_decimal::Decimal;
    ///
    /// // 28 greenhouses on 200 mu.
    /// let block: Mu = "200".parse()?;
    /// let parts = block.split(&[Decimal::ONE; 28])?;
    /// assert_eq!(parts[0].to_string(), "7.1429");
    /// assert_eq!(parts[27].to_string(), "7.1428");
    /// assert_eq!(Mu::checked_sum(parts)?, block);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn split(self, weights: &[Decimal]) -> Result<Vec<Mu>> {
        let total = i64::try_from(self.0).map_err(|_| Error::Overflow {
            operation: format!("splitting {self} mu"),
        })?;
        let parts = crate::allocate::allocate_units(
            total,
            weights,
            crate::Remainder::LargestRemainder,
            &|| format!("{self} mu"),
        )?;
        // Parts of a non-negative total are non-negative.
        Ok(parts
            .into_iter()
            .map(|units| Mu(u64::try_from(units).unwrap_or(0)))
            .collect())
    }
}

/// `units / divisor` rounded half away from zero to `places`, for the hectare and
/// square-metre conversions.
fn divide_rounded(units: u64, divisor: u64, places: u32) -> Decimal {
    // units < 2^64 and places ≤ 8, so the exact quotient in units of 10^-places stays far
    // inside both 256 bits and a Decimal's 96-bit mantissa.
    product_to_wide(
        &[Decimal::from(units)],
        Decimal::from(divisor),
        places,
        Rounding::HalfAwayFromZero,
        &String::new,
    )
    .ok()
    .and_then(|scaled| i128::try_from(scaled).ok())
    .and_then(|scaled| Decimal::try_from_i128_with_scale(scaled, places).ok())
    .map(|value| value.normalize())
    .unwrap_or(Decimal::MAX)
}

impl fmt::Display for Mu {
    /// Writes the area with two to four decimals, without trailing zeros past the second
    /// (`200.00`, `1.35`, `0.125`, `7.1429`).
    ///
    /// A width, fill and alignment apply as for text (left-aligned unless told otherwise). A
    /// precision is ignored: the area is always written in full, so `{:.2}` writes `7.1429`
    /// as `{}` does (a precision would otherwise cut the text short, `1.35` to `1.`).
    ///
    /// # Example
    ///
    /// ```
    /// let area: landpool::Mu = "7.1429".parse()?;
    /// assert_eq!(format!("{area:.2}"), "7.1429");
    /// assert_eq!(format!("[{area:>8}]"), "[  7.1429]");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::money::pad_whole(f, self.text(&mut [0_u8; 24]))
    }
}

impl Mu {
    /// Appends the area's text (what [`Display`](fmt::Display) writes without a width).
    pub(crate) fn push_to(self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.text(&mut [0_u8; 24]).as_bytes());
    }

    /// The area's text (what [`Display`](fmt::Display) writes without a width), made in
    /// `buffer` without the formatting machinery: every parcel and contract line of an
    /// event's canonical JSON has one.
    fn text(self, buffer: &mut [u8; 24]) -> &str {
        // The whole is at most u64::MAX / 10,000 (16 digits): with '.' and four decimals,
        // 21 bytes.
        let whole = self.0 / UNITS_PER_MU;
        let fraction = self.0 % UNITS_PER_MU;
        // Two to four decimals, without trailing zeros past the second.
        let (decimals, places) = if fraction.is_multiple_of(100) {
            (fraction / 100, 2)
        } else if fraction.is_multiple_of(10) {
            (fraction / 10, 3)
        } else {
            (fraction, 4)
        };
        let mut text = crate::money::Backwards::new(buffer);
        text.digits(decimals, places);
        text.put(b'.');
        text.digits(whole, 1);
        text.text()
    }
}

impl FromStr for Mu {
    type Err = Error;

    fn from_str(input: &str) -> Result<Mu> {
        let error = |reason| Error::ParseArea {
            input: input.to_string(),
            reason,
        };
        let text = input.trim();
        if text.is_empty() {
            return Err(error("the text is empty; expected an area such as 1.35"));
        }
        if text.starts_with('-') {
            return Err(error("the area is negative; an area must be zero or more"));
        }
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error(
                "expected digits with an optional decimal point, such as 1.35",
            ));
        }
        if !fraction.bytes().all(|b| b.is_ascii_digit()) || (text.ends_with('.')) {
            return Err(error(
                "expected digits after the decimal point, such as 1.35",
            ));
        }
        if fraction.len() > 4 {
            return Err(error(
                "more than four decimals (0.0001 mu is the smallest unit)",
            ));
        }
        let too_large = || error("the area is too large");
        let mut units: u64 = 0;
        for byte in whole.bytes() {
            // `byte` is an ASCII digit (checked above), so `byte - b'0'` is 0 to 9.
            #[allow(clippy::arithmetic_side_effects)]
            let digit = u64::from(byte - b'0');
            units = units
                .checked_mul(10)
                .and_then(|u| u.checked_add(digit))
                .ok_or_else(too_large)?;
        }
        let mut fraction_units: u64 = 0;
        // At most four ASCII digits (checked above): position ≤ 3 and fraction_units ≤ 9999.
        #[allow(clippy::arithmetic_side_effects)]
        for (position, byte) in fraction.bytes().enumerate() {
            let place = 10_u64.pow(3 - position as u32);
            fraction_units += u64::from(byte - b'0') * place;
        }
        units
            .checked_mul(UNITS_PER_MU)
            .and_then(|u| u.checked_add(fraction_units))
            .map(Mu)
            .ok_or_else(too_large)
    }
}

impl Serialize for Mu {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.text(&mut [0_u8; 24]))
    }
}

impl<'de> Deserialize<'de> for Mu {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Mu, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Mu;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an area in mu as a string, such as \"1.35\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<Mu, E> {
                // `FromStr` is for people's text and trims it; the JSON form is the digits
                // alone, as amounts are.
                if text.trim() != text {
                    return Err(E::custom(format_args!(
                        "cannot read {text:?} as an area in mu: in JSON an area is written plainly, digits with an optional decimal point, such as \"1.35\" (no spaces)"
                    )));
                }
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn mu(text: &str) -> Mu {
        text.parse().unwrap_or(Mu(u64::MAX))
    }

    proptest::proptest! {
        /// An area's text (and its JSON string) is what the formatter wrote before it was
        /// written into a buffer: two to four decimals, none trailing past the second.
        #[test]
        fn areas_are_written_as_formatted(units in proptest::prop_oneof![
            proptest::prelude::any::<u64>(),
            0_u64..100_000,
            proptest::strategy::Strategy::prop_map(proptest::prelude::any::<u64>(), |n| n / 100 * 100),
            proptest::strategy::Strategy::prop_map(proptest::prelude::any::<u64>(), |n| n / 10 * 10),
        ]) {
            let (whole, fraction) = (units / UNITS_PER_MU, units % UNITS_PER_MU);
            let formatted = if fraction % 100 == 0 {
                format!("{whole}.{:02}", fraction / 100)
            } else if fraction % 10 == 0 {
                format!("{whole}.{:03}", fraction / 10)
            } else {
                format!("{whole}.{fraction:04}")
            };
            proptest::prop_assert_eq!(Mu(units).to_string(), formatted.clone());
            proptest::prop_assert_eq!(
                serde_json::to_string(&Mu(units)).ok(),
                Some(format!("\"{formatted}\""))
            );
        }
    }

    #[test]
    fn areas_are_written_with_two_to_four_decimals() {
        for (units, text) in [
            (0, "0.00"),
            (1, "0.0001"),
            (10, "0.001"),
            (13_500, "1.35"),
            (71_429, "7.1429"),
            (2_000_000, "200.00"),
            (u64::MAX, "1844674407370955.1615"),
        ] {
            assert_eq!(Mu(units).to_string(), text);
            assert_eq!(
                serde_json::to_string(&Mu(units)).ok(),
                Some(format!("\"{text}\""))
            );
        }
    }

    /// Found by review: the JSON form read an area with white space around it (`" 0.52"`,
    /// `"0.52\n"`), which `FromStr` trims for people's text; amounts in JSON refuse it.
    #[test]
    fn json_areas_are_written_plainly() {
        let read = |json: &str| serde_json::from_str::<Mu>(json).map_err(|e| e.to_string());
        assert_eq!(read("\"0.52\""), Ok(Mu(5200)));
        assert_eq!(
            read("\" 0.52\""),
            Err("cannot read \" 0.52\" as an area in mu: in JSON an area is written plainly, digits with an optional decimal point, such as \"1.35\" (no spaces) at line 1 column 7".to_string())
        );
        for json in ["\"0.52 \"", "\"0.52\\n\"", "\"\\t1\"", "\"\u{3000}1\""] {
            assert!(read(json).is_err(), "{json}");
        }
        assert_eq!(" 0.52".parse::<Mu>().ok(), Some(Mu(5200)));
    }

    #[test]
    fn parse_and_display() {
        assert_eq!(mu("1.35").ten_thousandths(), 13_500);
        assert_eq!(mu("200").to_string(), "200.00");
        assert_eq!(mu("1.5").to_string(), "1.50");
        assert_eq!(mu("0.125").to_string(), "0.125");
        assert_eq!(mu("7.1429").to_string(), "7.1429");
        assert_eq!(mu(" 2.0000 ").to_string(), "2.00");
        for bad in [
            "",
            "-1",
            "-0.5",
            "1.23456",
            "abc",
            "1.",
            ".5",
            "1,000",
            "1e3",
            "99999999999999999999",
        ] {
            assert!(
                matches!(bad.parse::<Mu>(), Err(Error::ParseArea { ref input, .. }) if input == bad),
                "{bad:?}"
            );
        }
    }

    /// Found by review: a precision was taken as the most characters to write, so `{:.2}`
    /// wrote 1.35 as `1.`.
    #[test]
    fn a_precision_does_not_cut_the_area() {
        assert_eq!(format!("{:.2}", mu("1.35")), "1.35");
        assert_eq!(format!("{:.2}", mu("7.1429")), "7.1429");
        assert_eq!(format!("{:.0}", mu("200")), "200.00");
        assert_eq!(format!("[{:8.1}]", mu("1.35")), "[1.35    ]");
        assert_eq!(format!("[{:>8}]", mu("0.125")), "[   0.125]");
        assert_eq!(format!("[{:_^8.3}]", mu("1.35")), "[__1.35__]");
    }

    #[test]
    fn conversions_exact_where_exact() {
        assert_eq!(mu("15").to_hectares(), dec!(1));
        assert_eq!(mu("1.5").to_hectares(), dec!(0.1));
        assert_eq!(mu("0.0003").to_hectares(), dec!(0.00002));
        assert_eq!(mu("0.0001").to_hectares(), dec!(0.00000667));
        assert_eq!(mu("200").to_hectares(), dec!(13.33333333));
        assert_eq!(mu("200").to_square_meters(), dec!(133333.3333));
        assert_eq!(mu("0.0003").to_square_meters(), dec!(0.2));
        assert_eq!(mu("2").to_square_meters(), dec!(1333.3333));
        assert_eq!(
            Mu::from_ten_thousandths(u64::MAX).to_square_meters(),
            dec!(1229782938247303441)
        );
    }

    #[test]
    fn decimals_and_negatives() {
        assert!(matches!(
            Mu::try_from_decimal(dec!(-0.01)),
            Err(Error::NegativeArea { .. })
        ));
        assert_eq!(Mu::try_from_decimal(dec!(-0)), Ok(Mu::ZERO));
        assert!(matches!(
            Mu::try_from_decimal(dec!(1.00001)),
            Err(Error::TooManyDecimals { places: 4, .. })
        ));
        assert_eq!(
            Mu::from_decimal_rounded(dec!(0.00005), Rounding::HalfAwayFromZero),
            Ok(Mu(1))
        );
    }

    /// Found by review: the area in mu was first made with `Decimal::checked_mul`, which
    /// rounds a product of more than 28 digits, and that was rounded again.
    #[test]
    fn hectares_are_rounded_once() {
        // 10 ÷ 15 ha as a Decimal division writes it: exactly 10.0000000000000000000000000005 mu.
        let hectares = dec!(0.6666666666666666666666666667);
        let expected = [
            (Rounding::HalfAwayFromZero, 100_000),
            (Rounding::HalfEven, 100_000),
            (Rounding::TowardZero, 100_000),
            (Rounding::AwayFromZero, 100_001),
            (Rounding::Floor, 100_000),
            (Rounding::Ceiling, 100_001),
        ];
        for (rounding, units) in expected {
            assert_eq!(
                Mu::from_hectares(hectares, rounding),
                Ok(Mu(units)),
                "{rounding:?}"
            );
        }
        // 0.6667033333333333333333333333 ha is 10.0005499999999999999999999995 mu, just
        // below the half: 10.0005 for every rounding to nearest (a product rounded first to
        // 28 digits, 10.000550000000000000000000000, went up to 10.0006).
        let just_below_half = dec!(0.6667033333333333333333333333);
        for rounding in [Rounding::HalfAwayFromZero, Rounding::HalfEven] {
            assert_eq!(
                Mu::from_hectares(just_below_half, rounding),
                Ok(Mu(100_005)),
                "{rounding:?}"
            );
        }
        assert_eq!(
            Mu::from_hectares(just_below_half, Rounding::Ceiling),
            Ok(Mu(100_006))
        );
        assert_eq!(Mu::from_hectares(dec!(2), Rounding::Floor), Ok(Mu(300_000)));
        assert_eq!(Mu::from_hectares(dec!(-0), Rounding::Floor), Ok(Mu::ZERO));
        assert!(matches!(
            Mu::from_hectares(dec!(-1), Rounding::Floor),
            Err(Error::NegativeArea { value }) if value == dec!(-15)
        ));
        assert!(matches!(
            Mu::from_hectares(Decimal::MAX, Rounding::Floor),
            Err(Error::Overflow { .. })
        ));
    }

    #[test]
    fn serde_is_a_string() {
        assert_eq!(
            serde_json::to_string(&mu("1.35")).ok().as_deref(),
            Some("\"1.35\"")
        );
        assert_eq!(serde_json::from_str::<Mu>("\"2\"").ok(), Some(mu("2")));
        assert!(serde_json::from_str::<Mu>("2").is_err());
        assert!(serde_json::from_str::<Mu>("\"-2\"").is_err());
    }
}
