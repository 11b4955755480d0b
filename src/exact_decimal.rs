//! Decimals of caller data read exactly: the serde `with` module of every [`Decimal`] field of
//! events, registers and policies (prices, kilograms, rates per mu, percentages, quantities).
//!
//! `rust_decimal::serde::str` reads a text as `Decimal::from_str` does, then tries it as
//! scientific notation: it silently rounds a number of more than 28 significant digits
//! (`0.33333333333333333333333333333333` is read as 28 threes), reads exponents (`1.15e0`)
//! and skips underscores (`1_1.5` is 11.5). A book must hold the number its sender wrote, or
//! refuse it, so this module reads only a plain decimal (an optional sign, digits, at most one
//! point) and only when it fits a [`Decimal`] exactly (at most 28 decimals and 29 significant
//! digits), and says why anything else is refused. It writes what `rust_decimal::serde::str`
//! writes, byte for byte: every JSON form written before reads and writes the same.
//!
//! Use it as `#[serde(with = "crate::exact_decimal")]`.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

/// Writes `value` as `rust_decimal::serde::str` does: a string of its digits, with every
/// place of its scale (`"120.00"`).
pub(crate) fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    rust_decimal::serde::str::serialize(value, serializer)
}

/// Reads a decimal from a string, exactly (see [`parse`]).
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_str(ExactVisitor)
}

/// The visitor behind [`deserialize`].
struct ExactVisitor;

impl Visitor<'_> for ExactVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number as a string, such as \"12.50\"")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        parse(text).map_err(|refusal| {
            E::custom(format_args!("cannot read {text:?} as a decimal: {refusal}"))
        })
    }
}

/// Why a text is not read as a decimal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Refusal {
    /// The text has an exponent (`1.15e0`).
    Exponent,
    /// The text has an underscore (`1_1.5`).
    Underscore,
    /// The text has a character that is not a digit, a sign or a point.
    Character(char),
    /// The number has more digits than a `Decimal` holds: it would be rounded.
    Inexact,
    /// Anything else `rust_decimal` refuses (empty text, no digits, two points, a sign
    /// after a digit, a number too large), in its words.
    Form(rust_decimal::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const EXPECTED: &str =
            "expected an optional sign, digits and at most one decimal point, such as -12.50";
        match self {
            Refusal::Exponent => write!(f, "an exponent is not accepted; {EXPECTED}"),
            Refusal::Underscore => write!(f, "an underscore is not accepted; {EXPECTED}"),
            Refusal::Character(ch) => write!(f, "unexpected character {ch:?}; {EXPECTED}"),
            Refusal::Inexact => f.write_str(
                "more digits than a decimal holds exactly (at most 28 decimals and 29 \
                 significant digits), so it would be rounded; expected the number with fewer \
                 digits",
            ),
            Refusal::Form(error) => write!(f, "{error}; {EXPECTED}"),
        }
    }
}

/// Reads `text` as a decimal, exactly: an optional `+` or `-`, digits and at most one point
/// (`12.50`, `-3`, `.5`, `7.`), with every digit kept, trailing zeros included (the scale is
/// the number of digits after the point).
///
/// # Errors
///
/// A [`Refusal`] for an exponent, an underscore, any other character but digits, signs and
/// points, a text `rust_decimal` cannot read, or a number it cannot hold without rounding
/// (more than 28 decimals, or more than 29 significant digits).
pub(crate) fn parse(text: &str) -> Result<Decimal, Refusal> {
    if let Some(ch) = text
        .chars()
        .find(|ch| !matches!(ch, '0'..='9' | '.' | '+' | '-'))
    {
        return Err(match ch {
            'e' | 'E' => Refusal::Exponent,
            '_' => Refusal::Underscore,
            other => Refusal::Character(other),
        });
    }
    Decimal::from_str_exact(text).map_err(|error| match error {
        rust_decimal::Error::Underflow => Refusal::Inexact,
        other => Refusal::Form(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Exact(#[serde(with = "crate::exact_decimal")] Decimal);

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Lenient(#[serde(with = "rust_decimal::serde::str")] Decimal);

    fn read(json: &str) -> Result<Decimal, String> {
        serde_json::from_str::<Exact>(json)
            .map(|exact| exact.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn plain_decimals_are_read_with_their_scale() {
        for (text, value, scale) in [
            ("12.50", dec!(12.50), 2),
            ("-3", dec!(-3), 0),
            ("+7", dec!(7), 0),
            ("0", dec!(0), 0),
            ("-0.00", dec!(0.00), 2),
            (".5", dec!(0.5), 1),
            ("7.", dec!(7), 0),
            ("0012", dec!(12), 0),
            ("0.0000000000000000000000000001", Decimal::new(1, 28), 28),
            ("79228162514264337593543950335", Decimal::MAX, 0),
            ("-79228162514264337593543950335", Decimal::MIN, 0),
            (
                "7.9228162514264337593543950335",
                Decimal::from_i128_with_scale((1_i128 << 96) - 1, 28),
                28,
            ),
        ] {
            let read = parse(text);
            assert_eq!(read, Ok(value), "{text}");
            assert_eq!(read.map(|v| v.scale()), Ok(scale), "{text}");
        }
    }

    /// Found by review: `rust_decimal::serde::str` rounded past 28 digits and read exponents
    /// and underscores.
    #[test]
    fn what_would_be_rounded_or_misread_is_refused_with_a_reason() {
        let expected =
            "expected an optional sign, digits and at most one decimal point, such as -12.50";
        let inexact = "more digits than a decimal holds exactly (at most 28 decimals and 29 significant digits), so it would be rounded; expected the number with fewer digits";
        for (text, reason) in [
            ("0.33333333333333333333333333333333", inexact.to_string()),
            ("1.00000000000000000000000000000", inexact.to_string()),
            ("0.00000000000000000000000000001", inexact.to_string()),
            ("79228162514264337593543950335.5", inexact.to_string()),
            ("1.15e0", format!("an exponent is not accepted; {expected}")),
            ("1E3", format!("an exponent is not accepted; {expected}")),
            (
                "1_1.5",
                format!("an underscore is not accepted; {expected}"),
            ),
            ("1,5", format!("unexpected character ','; {expected}")),
            (" 1", format!("unexpected character ' '; {expected}")),
            ("¥1", format!("unexpected character '¥'; {expected}")),
            ("", format!("Invalid decimal: empty; {expected}")),
            ("-", format!("Invalid decimal: no digits found; {expected}")),
            (
                "1.2.3",
                format!("Invalid decimal: two decimal points; {expected}"),
            ),
            (
                "+-1",
                format!("Invalid decimal: unknown character; {expected}"),
            ),
            (
                "1-",
                format!("Invalid decimal: unknown character; {expected}"),
            ),
            (
                "79228162514264337593543950336",
                format!("Invalid decimal: overflow from too many digits; {expected}"),
            ),
        ] {
            assert_eq!(
                parse(text).map_err(|refusal| refusal.to_string()),
                Err(reason),
                "{text:?}"
            );
        }
        assert_eq!(
            read(r#""0.33333333333333333333333333333333""#),
            Err(format!(
                "cannot read \"0.33333333333333333333333333333333\" as a decimal: {inexact} at line 1 column 36"
            ))
        );
        assert!(read("1.5").is_err());
        assert!(read("null").is_err());
    }

    proptest! {
        /// Every decimal is written as `rust_decimal::serde::str` writes it and read back
        /// exactly, scale and sign of zero aside (`-0` reads as `0`, as before).
        #[test]
        fn writes_as_rust_decimal_and_reads_back_exactly(
            mantissa in any::<i128>(),
            scale in 0_u32..=28,
        ) {
            let mantissa = mantissa % (1_i128 << 96);
            let value = Decimal::from_i128_with_scale(mantissa, scale);
            let written = serde_json::to_string(&Exact(value)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let before = serde_json::to_string(&Lenient(value)).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&written, &before);
            let back = read(&written).map_err(TestCaseError::fail)?;
            prop_assert_eq!(back, value);
            prop_assert_eq!(back.scale(), scale);
            prop_assert_eq!(back.mantissa(), mantissa);
        }

        /// Whatever this module reads, `rust_decimal::serde::str` reads the same (it reads
        /// more, rounded or misread).
        #[test]
        fn reads_a_subset_of_what_rust_decimal_reads(text in "[-+0-9._eE]{0,34}") {
            if let Ok(exact) = parse(&text) {
                let json = serde_json::to_string(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let before = serde_json::from_str::<Lenient>(&json).map(|r| r.0).ok();
                prop_assert_eq!(before.map(|v| (v.mantissa(), v.scale())), Some((exact.mantissa(), exact.scale())), "{}", text);
            }
        }
    }
}
