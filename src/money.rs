//! [`Yuan`]: an exact amount of Chinese yuan, counted in fen.

use std::fmt;
use std::iter::Sum;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rounding::{product_to_units, Rounding};
use crate::{Error, Result};

mod capitals;

pub use capitals::CapitalsStyle;

/// An exact amount of money in yuan (元), held as a whole number of fen (分, 0.01 yuan).
///
/// `Yuan` is a 64-bit count of fen: every amount from −92,233,720,368,547,758.08 to
/// 92,233,720,368,547,758.07 yuan is exact, and no arithmetic on it ever rounds, wraps or
/// panics: operations that could leave the range return an [`Error::Overflow`] (or `None`).
/// Rounding happens only where an amount is made from a product or a quotient
/// ([`Yuan::checked_mul_rate`], [`Yuan::from_product`], [`Yuan::from_decimal_rounded`]), and there
/// the caller names the [`Rounding`].
///
/// Text: [`FromStr`] accepts `1409.5`, `1409.50`, `1,409.50`, `¥1,409.50` (also the full-width
/// `￥`) and `-3.20`, with surrounding spaces: at most one sign (`-` or `+`) and at most one
/// `¥`, in either order (`-¥3.20`, `¥-3.20`). It refuses more than two decimals, empty text,
/// letters, a repeated or contradictory sign or `¥` (`+-3`, `--3`, `¥¥3`, `¥-¥3`) and
/// misplaced thousands separators (`1,40.00`, `0,001`), each with an
/// [`Error::ParseAmount`] that says why. [`Display`](fmt::Display) writes `1409.50`: always
/// two decimals, no separators, a leading `-` when negative (a format precision such as
/// `{:.2}` is ignored; width and alignment apply). serde uses the same text
/// (`"1409.50"`), so JSON never carries a float.
///
/// # Example
///
/// ```
/// use landpool::Yuan;
///
/// let rent: Yuan = "¥1,409.50".parse()?;
/// assert_eq!(rent.fen(), 140_950);
/// assert_eq!(rent.to_string(), "1409.50");
/// assert_eq!(rent.to_chinese_upper(), "壹仟肆佰零玖元伍角");
/// let total = rent.checked_add(Yuan::from_fen(50))?;
/// assert_eq!(total.to_string(), "1410.00");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Yuan(i64);

impl Yuan {
    /// Zero yuan.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Yuan::ZERO.to_string(), "0.00");
    /// ```
    pub const ZERO: Yuan = Yuan(0);

    /// The largest amount a `Yuan` holds: 92233720368547758.07.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Yuan::MAX.to_string(), "92233720368547758.07");
    /// ```
    pub const MAX: Yuan = Yuan(i64::MAX);

    /// The smallest (most negative) amount a `Yuan` holds: -92233720368547758.08.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Yuan::MIN.to_string(), "-92233720368547758.08");
    /// ```
    pub const MIN: Yuan = Yuan(i64::MIN);

    /// The amount of `fen` fen (1 yuan = 100 fen).
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Yuan::from_fen(-320).to_string(), "-3.20");
    /// ```
    pub const fn from_fen(fen: i64) -> Yuan {
        Yuan(fen)
    }

    /// The amount of `yuan` whole yuan.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when `yuan × 100` does not fit in the type.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Yuan::from_yuan(1000)?.fen(), 100_000);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn from_yuan(yuan: i64) -> Result<Yuan> {
        yuan.checked_mul(100)
            .map(Yuan)
            .ok_or_else(|| Error::Overflow {
                operation: format!("{yuan} yuan in fen"),
            })
    }

    /// The amount as a count of fen.
    ///
    /// # Example
    ///
    /// ```
    /// let amount: landpool::Yuan = "6007.14".parse()?;
    /// assert_eq!(amount.fen(), 600_714);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Whether the amount is zero.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::Yuan::ZERO.is_zero());
    /// ```
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Whether the amount is below zero.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::Yuan::from_fen(-1).is_negative());
    /// ```
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Whether the amount is above zero.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(landpool::Yuan::from_fen(1).is_positive());
    /// ```
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// The amount as an exact [`Decimal`] with two decimal places.
    ///
    /// # Example
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// assert_eq!(landpool::Yuan::from_fen(140_950).to_decimal(), dec!(1409.50));
    /// ```
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// The exact amount of a [`Decimal`] number of yuan.
    ///
    /// Trailing zeros do not count (`1.230` is `1.23`).
    ///
    /// # Errors
    ///
    /// [`Error::TooManyDecimals`] when the value has a non-zero digit below the fen
    /// (use [`Yuan::from_decimal_rounded`] to round it); [`Error::Overflow`] when it is
    /// out of range.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Yuan;
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(Yuan::try_from_decimal(dec!(1.230))?.fen(), 123);
    /// assert!(Yuan::try_from_decimal(dec!(1.235)).is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn try_from_decimal(value: Decimal) -> Result<Yuan> {
        let normal = value.normalize();
        if normal.scale() > 2 {
            return Err(Error::TooManyDecimals {
                value,
                places: 2,
                unit: "fen",
            });
        }
        Yuan::from_decimal_rounded(normal, Rounding::TowardZero)
    }

    /// A [`Decimal`] number of yuan rounded once to the fen by `rounding`.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when the rounded value is out of range.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Rounding, Yuan};
    /// use rust_decimal_macros::dec;
    ///
    /// let fen = Yuan::from_decimal_rounded(dec!(1595.628415), Rounding::HalfAwayFromZero)?;
    /// assert_eq!(fen.to_string(), "1595.63");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn from_decimal_rounded(value: Decimal, rounding: Rounding) -> Result<Yuan> {
        Yuan::from_product(&[value], Decimal::ONE, rounding)
    }

    /// The exact product of `factors` divided by `divisor`, rounded once to the fen.
    ///
    /// This is how the crate turns "area × rate × days ÷ days in the year" into an amount:
    /// the product and the quotient are computed exactly (with 256-bit integers), and only
    /// the final result is rounded. The factors are read as yuan once multiplied: put the
    /// amount in yuan (or the rate in yuan per unit) among them.
    ///
    /// # Errors
    ///
    /// [`Error::DivideByZero`] when `divisor` is zero; [`Error::Overflow`] when the result
    /// is out of range (or, for absurd inputs, when the exact intermediate product exceeds
    /// 256 bits).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Rounding, Yuan};
    /// use rust_decimal_macros::dec;
    ///
    /// // 2 mu at 1000 yuan/mu/year for 292 of the 366 days of 2020.
    /// let rent = Yuan::from_product(&[dec!(2), dec!(1000), dec!(292)], dec!(366), Rounding::HalfAwayFromZero)?;
    /// assert_eq!(rent.to_string(), "1595.63");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn from_product(factors: &[Decimal], divisor: Decimal, rounding: Rounding) -> Result<Yuan> {
        product_to_units(factors, divisor, 2, rounding, &|| {
            let shown: Vec<String> = factors.iter().map(Decimal::to_string).collect();
            format!("{} ÷ {divisor} in fen", shown.join(" × "))
        })
        .map(Yuan)
    }

    /// This amount times a [`Decimal`] rate, rounded once to the fen by `rounding`.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when the result is out of range.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{Rounding, Yuan};
    /// use rust_decimal_macros::dec;
    ///
    /// let rent = Yuan::from_yuan(1000)?;
    /// let stepped = rent.checked_mul_rate(dec!(1.05), Rounding::HalfAwayFromZero)?;
    /// assert_eq!(stepped.to_string(), "1050.00");
    /// assert_eq!(stepped.checked_mul_rate(dec!(1.05), Rounding::HalfAwayFromZero)?.to_string(), "1102.50");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn checked_mul_rate(self, rate: Decimal, rounding: Rounding) -> Result<Yuan> {
        Yuan::from_product(&[self.to_decimal(), rate], Decimal::ONE, rounding)
    }

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when the sum is out of range.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Yuan;
    /// assert_eq!(Yuan::from_fen(150).checked_add(Yuan::from_fen(-20))?, Yuan::from_fen(130));
    /// assert!(Yuan::MAX.checked_add(Yuan::from_fen(1)).is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn checked_add(self, other: Yuan) -> Result<Yuan> {
        self.0
            .checked_add(other.0)
            .map(Yuan)
            .ok_or_else(|| Error::Overflow {
                operation: format!("{self} + {other}"),
            })
    }

    /// `self - other`.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when the difference is out of range.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Yuan;
    /// assert_eq!(Yuan::from_fen(150).checked_sub(Yuan::from_fen(200))?, Yuan::from_fen(-50));
    /// assert!(Yuan::MIN.checked_sub(Yuan::from_fen(1)).is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn checked_sub(self, other: Yuan) -> Result<Yuan> {
        self.0
            .checked_sub(other.0)
            .map(Yuan)
            .ok_or_else(|| Error::Overflow {
                operation: format!("{self} - {other}"),
            })
    }

    /// `-self`.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] for [`Yuan::MIN`], whose negation is out of range.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Yuan;
    /// assert_eq!(Yuan::from_fen(150).checked_neg()?, Yuan::from_fen(-150));
    /// assert!(Yuan::MIN.checked_neg().is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn checked_neg(self) -> Result<Yuan> {
        self.0
            .checked_neg()
            .map(Yuan)
            .ok_or_else(|| Error::Overflow {
                operation: format!("-({self})"),
            })
    }

    /// The absolute value.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] for [`Yuan::MIN`].
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Yuan::from_fen(-150).checked_abs()?.fen(), 150);
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn checked_abs(self) -> Result<Yuan> {
        if self.0 < 0 {
            self.checked_neg()
        } else {
            Ok(self)
        }
    }

    /// Adds up amounts, reporting overflow instead of wrapping.
    ///
    /// The same as `iter.sum::<Result<Yuan, Error>>()`.
    ///
    /// # Errors
    ///
    /// [`Error::Overflow`] when a partial sum leaves the range.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Yuan;
    /// let parts = [Yuan::from_fen(100), Yuan::from_fen(250)];
    /// assert_eq!(Yuan::checked_sum(parts)?, Yuan::from_fen(350));
    /// assert!(Yuan::checked_sum([Yuan::MAX, Yuan::from_fen(1)]).is_err());
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn checked_sum<I: IntoIterator<Item = Yuan>>(amounts: I) -> Result<Yuan> {
        amounts
            .into_iter()
            .try_fold(Yuan::ZERO, |total, amount| total.checked_add(amount))
    }

    /// The amount in Chinese capitals (大写金额) as written on receipts and bills, following
    /// the People's Bank rules (支付结算办法, annex 1).
    ///
    /// Digits 零壹贰叁肆伍陆柒捌玖 with units 拾佰仟万亿 and 元角分. An amount that ends at 元
    /// gets 整; one that ends at 角 or 分 does not (use [`Yuan::to_chinese_upper_with`] to write
    /// 整 after 角 as well, or to add the 人民币 prefix). A run of zeros is one 零; a zero 元
    /// digit before a 角 is written 零 (壹仟陆佰捌拾元零叁角贰分); a zero at the end of the 万
    /// group before a non-zero 仟 is not (壹拾万柒仟元). A negative amount has a leading 负.
    /// Amounts past 9999亿 carry on with 万亿 and 亿亿.
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Yuan;
    /// let upper = |s: &str| s.parse::<Yuan>().map(Yuan::to_chinese_upper);
    /// assert_eq!(upper("1409.50")?, "壹仟肆佰零玖元伍角");
    /// assert_eq!(upper("6007.14")?, "陆仟零柒元壹角肆分");
    /// assert_eq!(upper("107000.53")?, "壹拾万柒仟元零伍角叁分");
    /// assert_eq!(upper("16409.02")?, "壹万陆仟肆佰零玖元零贰分");
    /// assert_eq!(upper("100000")?, "壹拾万元整");
    /// assert_eq!(upper("0")?, "零元整");
    /// assert_eq!(upper("-3.20")?, "负叁元贰角");
    /// // A 亿 group of zeros inside the number is a run of zeros too.
    /// assert_eq!(upper("1000090028059")?, "壹万亿零玖仟零贰万捌仟零伍拾玖元整");
    /// # Ok::<(), landpool::Error>(())
    /// ```
    pub fn to_chinese_upper(self) -> String {
        capitals::write(self, CapitalsStyle::default())
    }

    /// The amount in Chinese capitals in the given [`CapitalsStyle`].
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::{CapitalsStyle, Yuan};
    /// let style = CapitalsStyle { currency_prefix: true, zheng_after_jiao: true };
    /// assert_eq!(Yuan::from_fen(140_950).to_chinese_upper_with(style), "人民币壹仟肆佰零玖元伍角整");
    /// ```
    pub fn to_chinese_upper_with(self, style: CapitalsStyle) -> String {
        capitals::write(self, style)
    }
}

impl From<Yuan> for Decimal {
    fn from(value: Yuan) -> Decimal {
        value.to_decimal()
    }
}

impl TryFrom<Decimal> for Yuan {
    type Error = Error;

    /// See [`Yuan::try_from_decimal`].
    fn try_from(value: Decimal) -> Result<Yuan> {
        Yuan::try_from_decimal(value)
    }
}

impl fmt::Display for Yuan {
    /// Writes the amount with two decimals (`1409.50`, `-3.20`).
    ///
    /// A width, fill and alignment apply as for text (left-aligned unless told otherwise). A
    /// precision is ignored: the amount always has its two decimals, so `{:.2}` and `{:.0}`
    /// write what `{}` does (a precision would otherwise cut the text short, `1409.50` to
    /// `14`).
    ///
    /// # Example
    ///
    /// ```
    /// use landpool::Yuan;
    /// let amount = Yuan::from_fen(140_950);
    /// assert_eq!(format!("{amount:.0}"), "1409.50");
    /// assert_eq!(format!("[{amount:>9}]"), "[  1409.50]");
    /// assert_eq!(format!("[{amount:*<9.1}]"), "[1409.50**]");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        pad_whole(f, self.text(&mut [0_u8; 24]))
    }
}

/// Writes `text` with the formatter's width, fill and alignment (left by default), as
/// [`fmt::Formatter::pad`] does, but whole: `pad` takes a precision as the most characters
/// to write, which would cut a number short.
pub(crate) fn pad_whole(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let Some(width) = f.width() else {
        return f.write_str(text);
    };
    let padding = width.saturating_sub(text.chars().count());
    if padding == 0 {
        return f.write_str(text);
    }
    let (before, after) = match f.align() {
        Some(fmt::Alignment::Right) => (padding, 0),
        Some(fmt::Alignment::Center) => (padding / 2, padding.saturating_sub(padding / 2)),
        Some(fmt::Alignment::Left) | None => (0, padding),
    };
    let fill = f.fill();
    for _ in 0..before {
        fmt::Write::write_char(f, fill)?;
    }
    f.write_str(text)?;
    for _ in 0..after {
        fmt::Write::write_char(f, fill)?;
    }
    Ok(())
}

impl Yuan {
    /// The amount's text, as [`Display`](fmt::Display) writes it ("-1234.50"), made in
    /// `buffer` (display is on the hot path of every export).
    fn text(self, buffer: &mut [u8; 24]) -> &str {
        // 19 digits, '.' and '-' fit in 24 bytes.
        let magnitude = self.0.unsigned_abs();
        let mut text = Backwards::new(buffer);
        text.digits(magnitude % 100, 2);
        text.put(b'.');
        text.digits(magnitude / 100, 1);
        if self.0 < 0 {
            text.put(b'-');
        }
        text.text()
    }

    /// Appends the amount's text (what [`Display`](fmt::Display) writes) to `out`, without
    /// the formatting machinery: for tables of millions of amounts.
    pub(crate) fn push_to(self, out: &mut String) {
        out.push_str(self.text(&mut [0_u8; 24]));
    }

    /// Appends the amount's text (what [`Display`](fmt::Display) writes without a width) to
    /// bytes being written.
    pub(crate) fn push_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.text(&mut [0_u8; 24]).as_bytes());
    }

    /// Writes the amount's text (what [`Display`](fmt::Display) writes without a width)
    /// into `out`, without the formatting machinery.
    pub(crate) fn write_plain(self, out: &mut impl fmt::Write) -> fmt::Result {
        out.write_str(self.text(&mut [0_u8; 24]))
    }
}

/// Text written backwards into a stack buffer, its last character first: the text of
/// amounts and areas without the formatting machinery.
pub(crate) struct Backwards<'b> {
    buffer: &'b mut [u8; 24],
    /// Where the text written so far begins.
    at: usize,
}

impl<'b> Backwards<'b> {
    /// No text yet, at the end of `buffer`.
    pub(crate) fn new(buffer: &'b mut [u8; 24]) -> Backwards<'b> {
        let at = buffer.len();
        Backwards { buffer, at }
    }

    /// Writes the ASCII `byte` before the text; nothing once the buffer is full.
    pub(crate) fn put(&mut self, byte: u8) {
        if let Some(at) = self.at.checked_sub(1) {
            if let Some(slot) = self.buffer.get_mut(at) {
                *slot = byte;
                self.at = at;
            }
        }
    }

    /// Writes `value`'s decimal digits before the text, at least `places` of them (with
    /// zeros before).
    // Each digit is `value % 10` (< 10) added to b'0'; `value` only shrinks: no overflow.
    #[allow(clippy::arithmetic_side_effects)]
    pub(crate) fn digits(&mut self, mut value: u64, places: usize) {
        let mut written = 0;
        while written < places || value > 0 {
            self.put(b'0' + (value % 10) as u8);
            value /= 10;
            written += 1;
        }
    }

    /// The text written.
    pub(crate) fn text(self) -> &'b str {
        // Only ASCII bytes were written.
        self.buffer
            .get(self.at..)
            .and_then(|text| std::str::from_utf8(text).ok())
            .unwrap_or_default()
    }
}

impl FromStr for Yuan {
    type Err = Error;

    fn from_str(input: &str) -> Result<Yuan> {
        parse(input).map_err(|reason| Error::ParseAmount {
            input: input.to_string(),
            reason,
        })
    }
}

/// A sign written before an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    Plus,
    Minus,
}

/// The sign `text` starts with, if any, and the text after it.
fn strip_sign(text: &str) -> (Option<Sign>, &str) {
    if let Some(rest) = text.strip_prefix('-') {
        (Some(Sign::Minus), rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        (Some(Sign::Plus), rest)
    } else {
        (None, text)
    }
}

/// Whether `text` starts with a currency sign (`¥` or the full-width `￥`), and the text
/// after it.
fn strip_currency(text: &str) -> (bool, &str) {
    match text.strip_prefix('¥').or_else(|| text.strip_prefix('￥')) {
        Some(rest) => (true, rest),
        None => (false, text),
    }
}

/// The largest magnitude in fen of a negative amount.
const MAX_NEGATIVE: u64 = i64::MIN.unsigned_abs();

fn parse(input: &str) -> std::result::Result<Yuan, &'static str> {
    let text = input.trim();
    if text.is_empty() {
        return Err("the text is empty; expected a number such as 1409.50");
    }
    // At most one sign and at most one currency sign, in either order: -¥3.20, ¥-3.20.
    let (first_sign, rest) = strip_sign(text);
    let (currency, rest) = strip_currency(rest);
    let (second_sign, rest) = if currency {
        strip_sign(rest)
    } else {
        (None, rest)
    };
    let text = rest;
    if (first_sign.is_some() && second_sign.is_some()) || strip_sign(text).0.is_some() {
        return Err("more than one sign; expected at most one + or -, as in -3.20 or ¥-3.20");
    }
    if strip_currency(text).0 {
        return Err("more than one ¥; expected at most one, as in ¥1,409.50 or -¥3.20");
    }
    let negative = first_sign.or(second_sign) == Some(Sign::Minus);
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    if whole.is_empty() {
        return Err(if fraction.is_some() {
            "no digits before the decimal point; expected a number such as 0.50"
        } else {
            "no digits; expected a number such as 1409.50, ¥1,409.50 or -3.20"
        });
    }
    let mut yuan: u64 = 0;
    let mut digits_in_group = 0usize;
    let mut saw_separator = false;
    for byte in whole.bytes() {
        match byte {
            b'0'..=b'9' => {
                // `byte` is an ASCII digit, so `byte - b'0'` is 0 to 9.
                #[allow(clippy::arithmetic_side_effects)]
                let digit = u64::from(byte - b'0');
                yuan = yuan
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(digit))
                    .ok_or("the amount is too large; the largest is 92233720368547758.07")?;
                digits_in_group = digits_in_group.saturating_add(1);
            }
            b',' if !saw_separator && whole.starts_with('0') => {
                return Err("the first group of digits before a thousands separator starts with 0, as in 0,001; expected 1 or 1,000");
            }
            b',' => {
                let first_group_ok = (1..=3).contains(&digits_in_group);
                if digits_in_group == 0 || (saw_separator && digits_in_group != 3) || !first_group_ok {
                    return Err("thousands separators must split the whole yuan into groups of three digits, as in 1,409.50");
                }
                saw_separator = true;
                digits_in_group = 0;
            }
            _ => return Err("unexpected character; expected digits, an optional ¥ and minus sign, thousands separators and a decimal point"),
        }
    }
    if saw_separator && digits_in_group != 3 {
        return Err("thousands separators must split the whole yuan into groups of three digits, as in 1,409.50");
    }
    let mut fen_part: u64 = 0;
    if let Some(fraction) = fraction {
        let bytes = fraction.as_bytes();
        if bytes.is_empty() {
            return Err(
                "no digits after the decimal point; expected one or two, as in 1409.5 or 1409.50",
            );
        }
        if bytes.len() > 2 {
            return if bytes.iter().all(u8::is_ascii_digit) {
                Err("more than two decimals (the fen is the smallest unit)")
            } else {
                Err("unexpected character after the decimal point; expected one or two digits")
            };
        }
        for (position, byte) in bytes.iter().enumerate() {
            if !byte.is_ascii_digit() {
                return Err(
                    "unexpected character after the decimal point; expected one or two digits",
                );
            }
            let scale = if position == 0 { 10 } else { 1 };
            // At most two ASCII digits (checked above): fen_part ≤ 99.
            #[allow(clippy::arithmetic_side_effects)]
            {
                fen_part += u64::from(byte - b'0') * scale;
            }
        }
    }
    let too_large = "the amount is too large; the largest is 92233720368547758.07";
    let magnitude = yuan
        .checked_mul(100)
        .and_then(|v| v.checked_add(fen_part))
        .ok_or(too_large)?;
    if negative {
        if magnitude > MAX_NEGATIVE {
            return Err("the amount is too small; the smallest is -92233720368547758.08");
        }
        // magnitude ≤ 2^63, so 0 − magnitude fits in i64.
        Ok(Yuan(0_i64.wrapping_sub_unsigned(magnitude)))
    } else {
        i64::try_from(magnitude).map(Yuan).map_err(|_| too_large)
    }
}

impl Sum<Yuan> for Result<Yuan> {
    /// Adds up amounts; the first overflow is the result.
    fn sum<I: Iterator<Item = Yuan>>(iter: I) -> Result<Yuan> {
        Yuan::checked_sum(iter)
    }
}

impl<'a> Sum<&'a Yuan> for Result<Yuan> {
    /// Adds up amounts; the first overflow is the result.
    fn sum<I: Iterator<Item = &'a Yuan>>(iter: I) -> Result<Yuan> {
        Yuan::checked_sum(iter.copied())
    }
}

impl Sum<Yuan> for Option<Yuan> {
    /// Adds up amounts; `None` on overflow.
    fn sum<I: Iterator<Item = Yuan>>(iter: I) -> Option<Yuan> {
        Yuan::checked_sum(iter).ok()
    }
}

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        // The text in a stack buffer, not through `collect_str`'s formatter.
        serializer.serialize_str(self.text(&mut [0_u8; 24]))
    }
}

impl<'de> Deserialize<'de> for Yuan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Yuan, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Yuan;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount in yuan as a string, such as \"1409.50\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<Yuan, E> {
                if !is_plain_amount(text) {
                    return Err(E::custom(format_args!(
                        "invalid amount {:?}: in JSON an amount is written plainly, digits with at most two decimals and an optional minus sign, such as \"1409.50\" or \"-3.2\" (no spaces, ¥, + or thousands separators)",
                        text.chars().take(40).collect::<String>()
                    )));
                }
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// Whether `text` is an amount as JSON holds it: an optional `-`, digits, and optionally a
/// decimal point with one or two digits (the forms [`Yuan`]'s `Display` writes, and those
/// with fewer decimals). The forms meant for people (`¥1,409.50`, ` 3`, `+3`) are for
/// [`str::parse`], not for the JSON form.
fn is_plain_amount(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction
            .is_none_or(|f| (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    proptest::proptest! {
        /// An amount's JSON string is its text, two decimals, for any number of fen.
        #[test]
        fn amounts_are_written_in_json_as_their_text(fen in proptest::prelude::any::<i64>()) {
            let amount = Yuan::from_fen(fen);
            let (sign, magnitude) = (if fen < 0 { "-" } else { "" }, fen.unsigned_abs());
            let text = format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100);
            proptest::prop_assert_eq!(amount.to_string(), text.clone());
            proptest::prop_assert_eq!(serde_json::to_string(&amount).ok(), Some(format!("\"{text}\"")));
        }
    }

    fn fen(text: &str) -> Option<i64> {
        text.parse::<Yuan>().ok().map(Yuan::fen)
    }

    #[test]
    fn parses_every_accepted_form() {
        assert_eq!(fen("1409.5"), Some(140_950));
        assert_eq!(fen("1409.50"), Some(140_950));
        assert_eq!(fen("1,409.50"), Some(140_950));
        assert_eq!(fen("¥1,409.50"), Some(140_950));
        assert_eq!(fen("￥1,409.50"), Some(140_950));
        assert_eq!(fen("-3.20"), Some(-320));
        assert_eq!(fen("-¥3.20"), Some(-320));
        assert_eq!(fen("¥-3.20"), Some(-320));
        assert_eq!(fen(" 12 "), Some(1200));
        assert_eq!(fen("1,234,567.89"), Some(123_456_789));
        assert_eq!(fen("0.05"), Some(5));
        assert_eq!(fen("-0"), Some(0));
        assert_eq!(fen("+3"), Some(300));
        assert_eq!(fen("+¥3"), Some(300));
        assert_eq!(fen("¥+3"), Some(300));
        assert_eq!(fen("-￥3"), Some(-300));
        assert_eq!(fen("0"), Some(0));
        assert_eq!(fen("0.50"), Some(50));
        assert_eq!(fen("1,000"), Some(100_000));
        assert_eq!(fen("92233720368547758.07"), Some(i64::MAX));
        assert_eq!(fen("-92233720368547758.08"), Some(i64::MIN));
    }

    #[test]
    fn refuses_with_a_reason() {
        for bad in [
            "",
            "  ",
            "12.345",
            "abc",
            "12a",
            "1.2.3",
            ".5",
            "5.",
            "1,40.00",
            "1409,50",
            ",100",
            "1,000,00",
            "--1",
            "¥",
            "-",
            "92233720368547758.08",
            "-92233720368547758.09",
            "99999999999999999999",
            "1e3",
            "1 000",
            "0,001",
            "00,001",
        ] {
            let err = bad.parse::<Yuan>();
            assert!(
                matches!(err, Err(Error::ParseAmount { ref input, .. }) if input == bad),
                "{bad:?} gave {err:?}"
            );
        }
    }

    /// Found by review: any mix of up to two `+`, `-` and `¥` was read, so `+-3` was -3.00.
    #[test]
    fn refuses_a_repeated_or_contradictory_sign_or_currency() {
        let reason = |text: &str| match text.parse::<Yuan>() {
            Err(Error::ParseAmount { input, reason }) if input == text => Some(reason),
            _ => None,
        };
        let two_signs = "more than one sign; expected at most one + or -, as in -3.20 or ¥-3.20";
        let two_currencies = "more than one ¥; expected at most one, as in ¥1,409.50 or -¥3.20";
        for text in [
            "+-3", "-+3", "++3", "--3", "+¥+3", "-¥-3", "-¥+3", "¥+-3", " +-1350 ",
        ] {
            assert_eq!(reason(text), Some(two_signs), "{text:?}");
        }
        for text in ["¥¥3", "¥-¥3", "-¥￥3", "￥¥3", "+¥¥3"] {
            assert_eq!(reason(text), Some(two_currencies), "{text:?}");
        }
        assert_eq!(
            reason("0,001"),
            Some("the first group of digits before a thousands separator starts with 0, as in 0,001; expected 1 or 1,000")
        );
        assert_eq!(
            "+-3".parse::<Yuan>().map_err(|e| e.to_string()),
            Err("cannot read \"+-3\" as an amount in yuan: more than one sign; expected at most one + or -, as in -3.20 or ¥-3.20".to_string())
        );
    }

    /// Found by review: a sign or ¥ with no digits after it (`-`, `¥`, `+`) was refused
    /// as having "no digits before the decimal point", though it has no decimal point.
    #[test]
    fn a_sign_or_currency_alone_is_refused_for_having_no_digits() {
        let reason = |text: &str| match text.parse::<Yuan>() {
            Err(Error::ParseAmount { input, reason }) if input == text => Some(reason),
            _ => None,
        };
        let no_digits = "no digits; expected a number such as 1409.50, ¥1,409.50 or -3.20";
        for text in ["-", "+", "¥", "￥", "-¥", "¥-", " - "] {
            assert_eq!(reason(text), Some(no_digits), "{text:?}");
        }
        let before_point = "no digits before the decimal point; expected a number such as 0.50";
        for text in [".5", "-.5", "¥.50", "."] {
            assert_eq!(reason(text), Some(before_point), "{text:?}");
        }
    }

    #[test]
    fn displays_two_decimals_without_separators() {
        assert_eq!(Yuan::from_fen(140_950).to_string(), "1409.50");
        assert_eq!(Yuan::from_fen(-5).to_string(), "-0.05");
        assert_eq!(Yuan::from_fen(0).to_string(), "0.00");
        assert_eq!(format!("{:>8}", Yuan::from_fen(5)), "    0.05");
    }

    /// Found by review: a precision was taken as the most characters to write, so `{:.2}`
    /// wrote 1409.50 as `14`.
    #[test]
    fn a_precision_does_not_cut_the_amount() {
        let amount = Yuan::from_fen(140_950);
        assert_eq!(format!("{amount:.2}"), "1409.50");
        assert_eq!(format!("{amount:.0}"), "1409.50");
        assert_eq!(format!("{:.1}", Yuan::from_fen(-320)), "-3.20");
        assert_eq!(format!("{:.1}", Yuan::MIN), "-92233720368547758.08");
        // Width, fill and alignment as for text, with or without a precision.
        assert_eq!(format!("[{amount:9}]"), "[1409.50  ]");
        assert_eq!(format!("[{amount:>9.2}]"), "[  1409.50]");
        assert_eq!(format!("[{amount:^10}]"), "[ 1409.50  ]");
        assert_eq!(format!("[{amount:*^11.3}]"), "[**1409.50**]");
        assert_eq!(format!("[{amount:3.1}]"), "[1409.50]");
        // The same as `Formatter::pad` wherever that writes the whole text.
        for width in 0..12 {
            assert_eq!(
                format!("[{amount:-^width$}]"),
                format!("[{:-^width$}]", amount.to_string()),
                "{width}"
            );
        }
    }

    #[test]
    fn decimal_conversions() {
        assert_eq!(Yuan::try_from_decimal(dec!(-3.2)), Ok(Yuan::from_fen(-320)));
        assert!(matches!(
            Yuan::try_from_decimal(dec!(0.001)),
            Err(Error::TooManyDecimals { places: 2, .. })
        ));
        assert_eq!(
            Yuan::from_decimal_rounded(dec!(-0.005), Rounding::HalfAwayFromZero),
            Ok(Yuan::from_fen(-1))
        );
        assert_eq!(
            Yuan::from_decimal_rounded(dec!(0.005), Rounding::HalfEven),
            Ok(Yuan::from_fen(0))
        );
        assert!(Yuan::try_from_decimal(Decimal::MAX).is_err());
        assert_eq!(Decimal::from(Yuan::MIN), dec!(-92233720368547758.08));
    }

    #[test]
    fn serde_is_a_string() {
        let json = serde_json::to_string(&Yuan::from_fen(140_950)).ok();
        assert_eq!(json.as_deref(), Some("\"1409.50\""));
        let back: Option<Yuan> = serde_json::from_str("\"-3.2\"").ok();
        assert_eq!(back, Some(Yuan::from_fen(-320)));
        assert!(serde_json::from_str::<Yuan>("1409.5").is_err());
        assert!(serde_json::from_str::<Yuan>("\"1.001\"").is_err());
    }

    #[test]
    fn json_takes_amounts_as_written_plainly_only() {
        for (json, fen) in [
            ("\"0\"", 0),
            ("\"-0.5\"", -50),
            ("\"1409.50\"", 140_950),
            ("\"92233720368547758.07\"", i64::MAX),
            ("\"-92233720368547758.08\"", i64::MIN),
        ] {
            assert_eq!(
                serde_json::from_str::<Yuan>(json).map_err(|e| e.to_string()),
                Ok(Yuan::from_fen(fen)),
                "{json}"
            );
        }
        // Forms for people, which `parse` takes, are not the JSON form.
        for text in [
            "1,409.50",
            "¥1409.50",
            " 1",
            "1 ",
            "+1",
            "1.",
            ".5",
            "-",
            "",
            "--1",
            "1e3",
        ] {
            assert_eq!(
                text.parse::<Yuan>().is_ok(),
                ["1,409.50", "¥1409.50", " 1", "1 ", "+1"].contains(&text),
                "{text}"
            );
            let json = serde_json::to_string(text).unwrap_or_default();
            assert_eq!(
                serde_json::from_str::<Yuan>(&json).map_err(|e| e.to_string()),
                Err(format!("invalid amount {text:?}: in JSON an amount is written plainly, digits with at most two decimals and an optional minus sign, such as \"1409.50\" or \"-3.2\" (no spaces, ¥, + or thousands separators) at line 1 column {}", json.len())),
                "{text}"
            );
        }
    }

    #[test]
    fn sums_report_overflow() {
        let ok: Result<Yuan> = [Yuan::from_fen(1), Yuan::from_fen(2)].iter().sum();
        assert_eq!(ok, Ok(Yuan::from_fen(3)));
        let overflow: Result<Yuan> = [Yuan::MAX, Yuan::from_fen(1)].into_iter().sum();
        assert!(matches!(overflow, Err(Error::Overflow { .. })));
        let none: Option<Yuan> = [Yuan::MIN, Yuan::from_fen(-1)].into_iter().sum();
        assert_eq!(none, None);
    }
}
