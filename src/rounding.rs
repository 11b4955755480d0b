//! Named rounding strategies and the exact integer arithmetic behind them.
//!
//! Every amount in the crate is rounded once, where it is booked, by a strategy the caller
//! names. The arithmetic before that point is exact: products and quotients of decimals are
//! carried as 256-bit integers and divided only at the end.

use ethnum::I256;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Error, Result, Yuan};

/// How a value that falls between two units (two fen, two ten-thousandths of a mu) is rounded.
///
/// For amounts in yuan the recommended strategy is [`Rounding::HalfAwayFromZero`] (四舍五入):
/// it is what Chinese accounting practice and the People's Bank rules mean by rounding to the
/// fen. The others exist for bylaws and contracts that say otherwise, for callers that round
/// amounts themselves. Every rounding names its strategy: the functions of [`Yuan`] and
/// [`Mu`](crate::Mu) that round take one from the caller, and the figures the book works out
/// itself (rent, interest, the reserve and other percentages of a surplus, per-person income)
/// are rounded to the fen with [`Rounding::HalfAwayFromZero`], which is not a setting.
///
/// # Example
///
/// ```
/// use landpool::{Rounding, Yuan};
/// use rust_decimal_macros::dec;
///
/// let price = Yuan::from_fen(1_00); // 1.00 yuan
/// let half_fen = dec!(0.125);
/// assert_eq!(price.checked_mul_rate(half_fen, Rounding::HalfAwayFromZero)?.to_string(), "0.13");
/// assert_eq!(price.checked_mul_rate(half_fen, Rounding::HalfEven)?.to_string(), "0.12");
/// assert_eq!(price.checked_mul_rate(half_fen, Rounding::TowardZero)?.to_string(), "0.12");
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Halves go away from zero (四舍五入): 0.125 → 0.13, −0.125 → −0.13. The recommended
    /// strategy for yuan.
    HalfAwayFromZero,
    /// Halves go to the even neighbour (banker's rounding): 0.125 → 0.12, 0.135 → 0.14.
    HalfEven,
    /// Always toward zero (truncation): 0.129 → 0.12, −0.129 → −0.12.
    TowardZero,
    /// Always away from zero: 0.121 → 0.13, −0.121 → −0.13.
    AwayFromZero,
    /// Always down, toward negative infinity: 0.129 → 0.12, −0.121 → −0.13.
    Floor,
    /// Always up, toward positive infinity: 0.121 → 0.13, −0.129 → −0.12.
    Ceiling,
}

impl Rounding {
    /// Every strategy, in declaration order.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(landpool::Rounding::ALL.len(), 6);
    /// ```
    pub const ALL: [Rounding; 6] = [
        Rounding::HalfAwayFromZero,
        Rounding::HalfEven,
        Rounding::TowardZero,
        Rounding::AwayFromZero,
        Rounding::Floor,
        Rounding::Ceiling,
    ];

    /// Divides `numerator` by a positive `denominator` and rounds the quotient to an integer.
    // The denominator is positive (never 0 or -1), so `/` and `%` cannot fail; |remainder| <
    // denominator ≤ I256::MAX, so twice it fits a U256; and with a non-zero remainder the
    // denominator is at least 2, so |quotient| ≤ I256::MAX / 2 and ± 1 cannot overflow.
    #[allow(clippy::arithmetic_side_effects)]
    fn divide(self, numerator: I256, denominator: I256) -> I256 {
        // Most quotients in the crate fit 128 bits, where division is several times faster.
        if let (Ok(n), Ok(d)) = (i128::try_from(numerator), i128::try_from(denominator)) {
            return I256::from(self.divide_i128(n, d));
        }
        let quotient = numerator / denominator;
        let remainder = numerator % denominator;
        if remainder == I256::ZERO {
            return quotient;
        }
        let twice = remainder.unsigned_abs() * 2;
        let step = self.step(
            numerator.is_negative(),
            twice.cmp(&denominator.unsigned_abs()),
            quotient % 2 != I256::ZERO,
        );
        quotient + I256::from(step)
    }

    /// [`Rounding::divide`] in 128 bits; `denominator` > 0.
    // As for `divide`: a positive denominator, twice a remainder below it fits a u128, and
    // |quotient| ≤ i128::MAX / 2 whenever a step of ± 1 is added.
    #[allow(clippy::arithmetic_side_effects)]
    fn divide_i128(self, numerator: i128, denominator: i128) -> i128 {
        let quotient = numerator / denominator;
        // One division, not two: |quotient × denominator| ≤ |numerator|.
        let remainder = numerator - quotient * denominator;
        if remainder == 0 {
            return quotient;
        }
        // |remainder| < denominator ≤ i128::MAX, so twice it fits in u128.
        let twice = remainder.unsigned_abs() * 2;
        let step = self.step(
            numerator < 0,
            twice.cmp(&denominator.unsigned_abs()),
            quotient % 2 != 0,
        );
        quotient + i128::from(step)
    }

    /// How far to move a truncated quotient with a non-zero remainder: 0 or ±1 (away from
    /// zero, the numerator's sign). `half` compares twice the remainder with the divisor.
    fn step(self, negative: bool, half: std::cmp::Ordering, odd: bool) -> i8 {
        use std::cmp::Ordering::{Equal, Greater};
        let away = match self {
            Rounding::TowardZero => false,
            Rounding::AwayFromZero => true,
            Rounding::Floor => negative,
            Rounding::Ceiling => !negative,
            Rounding::HalfAwayFromZero => half != std::cmp::Ordering::Less,
            Rounding::HalfEven => half == Greater || (half == Equal && odd),
        };
        match (away, negative) {
            (false, _) => 0,
            (true, false) => 1,
            (true, true) => -1,
        }
    }
}

/// 10^n as a 256-bit integer, or `None` past 10^76.
pub(crate) fn pow10(n: u32) -> Option<I256> {
    I256::from(10_i32).checked_pow(n)
}

/// Computes `(f1 × f2 × … × fk) ÷ divisor`, exactly, and rounds it once to an integer count of
/// units of `10^-places`.
///
/// `what` names the operation for error messages.
pub(crate) fn product_to_units(
    factors: &[Decimal],
    divisor: Decimal,
    places: u32,
    rounding: Rounding,
    what: &dyn Fn() -> String,
) -> Result<i64> {
    let units = product_to_wide(factors, divisor, places, rounding, what)?;
    i64::try_from(units).map_err(|_| Error::Overflow { operation: what() })
}

/// [`product_to_units`] without the final cut to 64 bits.
pub(crate) fn product_to_wide(
    factors: &[Decimal],
    divisor: Decimal,
    places: u32,
    rounding: Rounding,
    what: &dyn Fn() -> String,
) -> Result<I256> {
    // Most products in a book (a pay, a share, a month's depreciation) fit 128 bits, where
    // multiplying and dividing take a fraction of the time. A zero divisor is left to the
    // 256-bit path, which refuses it.
    if let Some(units) = product_in_128(factors, divisor, places, rounding) {
        return Ok(I256::from(units));
    }
    product_in_256(factors, divisor, places, rounding, what)
}

/// [`product_to_wide`] in 128 bits, with every factor as its mantissa and scale; `None`
/// when a step does not fit (then it is made in 256 bits, each factor's trailing zeros
/// taken off first) or when `divisor` is zero. The same exact value either way, rounded
/// once, so the same result.
fn product_in_128(
    factors: &[Decimal],
    divisor: Decimal,
    places: u32,
    rounding: Rounding,
) -> Option<i128> {
    let mut numerator: i128 = 1;
    let mut numerator_scale: u32 = 0;
    for factor in factors {
        numerator = numerator.checked_mul(factor.mantissa())?;
        numerator_scale = numerator_scale.checked_add(factor.scale())?;
    }
    let up = places.checked_add(divisor.scale())?;
    numerator = numerator.checked_mul(10_i128.checked_pow(up)?)?;
    let mut denominator = divisor
        .mantissa()
        .checked_mul(10_i128.checked_pow(numerator_scale)?)?;
    if denominator < 0 {
        numerator = numerator.checked_neg()?;
        denominator = denominator.checked_neg()?;
    }
    (denominator > 0).then(|| rounding.divide_i128(numerator, denominator))
}

/// [`product_to_wide`] in 256 bits.
fn product_in_256(
    factors: &[Decimal],
    divisor: Decimal,
    places: u32,
    rounding: Rounding,
    what: &dyn Fn() -> String,
) -> Result<I256> {
    let overflow = || Error::Overflow { operation: what() };
    if divisor.is_zero() {
        return Err(Error::DivideByZero { operation: what() });
    }
    let mut numerator = I256::ONE;
    let mut numerator_scale: u32 = 0;
    for factor in factors {
        let factor = factor.normalize();
        numerator = numerator
            .checked_mul(I256::from(factor.mantissa()))
            .ok_or_else(overflow)?;
        numerator_scale = numerator_scale
            .checked_add(factor.scale())
            .ok_or_else(overflow)?;
    }
    let divisor = divisor.normalize();
    // value × 10^places = Π m × 10^(places + s_d) / (m_d × 10^Σs)
    let up = places.checked_add(divisor.scale()).ok_or_else(overflow)?;
    numerator = numerator
        .checked_mul(pow10(up).ok_or_else(overflow)?)
        .ok_or_else(overflow)?;
    let mut denominator = I256::from(divisor.mantissa())
        .checked_mul(pow10(numerator_scale).ok_or_else(overflow)?)
        .ok_or_else(overflow)?;
    if denominator.is_negative() {
        numerator = numerator.checked_neg().ok_or_else(overflow)?;
        denominator = denominator.checked_neg().ok_or_else(overflow)?;
    }
    Ok(rounding.divide(numerator, denominator))
}

/// The common denominator of day-based pro-rating: the least common multiple of 365, 366
/// and 12 × {28, 29, 30, 31}, so that a fraction of a year by actual days (days ÷ 365 or 366)
/// or by months and days (days ÷ (12 × days in the month)) is an integer number of
/// `1 / DAY_DENOMINATOR` years.
pub(crate) const DAY_DENOMINATOR: u64 = 20_176_364_880;

/// Decimal places carried by [`ExactYuan`]: 4 for areas and 12 for rates. A piece whose
/// factors have more places in all is refused with [`Error::Overflow`] rather than rounded.
const EXACT_PLACES: u32 = 16;

/// An exact amount of yuan, as an integer number of `1 / (10^16 × DAY_DENOMINATOR)` yuan.
///
/// Rent and amortisation add up many pieces of the form `area × rate × fraction of a year`,
/// the fraction being days ÷ days in the year, or twelfths of a year and days ÷ (12 × days in
/// the month). All of them are exact in this unit, so a sum of pieces is exact and is rounded
/// once, at the end. Pieces are computed in 128 bits where they fit (they almost always do)
/// and carried in 256.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct ExactYuan(I256);

impl ExactYuan {
    /// Zero.
    pub(crate) const ZERO: ExactYuan = ExactYuan(I256::ZERO);

    /// `(f1 × … × fk) × years` yuan, where `years` is a fraction of a year given as a
    /// numerator over [`DAY_DENOMINATOR`].
    ///
    /// Trailing zeros do not count towards the [`EXACT_PLACES`]: a rate written
    /// `1000.0000000000000` is 1000.
    pub(crate) fn prorated(
        factors: &[Decimal],
        years: u64,
        what: &dyn Fn() -> String,
    ) -> Result<ExactYuan> {
        let places = factors
            .iter()
            .try_fold(0_u32, |places, factor| places.checked_add(factor.scale()));
        if places.is_some_and(|places| places <= EXACT_PLACES) {
            return ExactYuan::prorated_as_written(factors, years, what);
        }
        // Only the places of non-zero digits count: drop the trailing zeros (rarely written,
        // so the usual factors are not normalised on the way).
        let normal: Vec<Decimal> = factors.iter().map(Decimal::normalize).collect();
        ExactYuan::prorated_as_written(&normal, years, what)
    }

    /// [`ExactYuan::prorated`] with the factors' scales as they are: refused with
    /// [`Error::Overflow`] when they add up to more than [`EXACT_PLACES`].
    fn prorated_as_written(
        factors: &[Decimal],
        years: u64,
        what: &dyn Fn() -> String,
    ) -> Result<ExactYuan> {
        let overflow = || Error::Overflow { operation: what() };
        let mut places: u32 = 0;
        let mut narrow: Option<i128> = Some(i128::from(years));
        for factor in factors {
            places = places.checked_add(factor.scale()).ok_or_else(overflow)?;
            narrow = narrow.and_then(|n| n.checked_mul(factor.mantissa()));
        }
        let up = EXACT_PLACES.checked_sub(places).ok_or_else(overflow)?;
        if let Some(value) = narrow.and_then(|n| n.checked_mul(10_i128.checked_pow(up)?)) {
            return Ok(ExactYuan(I256::from(value)));
        }
        // The same product in 256 bits, only when 128 do not hold it.
        let mut wide = I256::from(years);
        for factor in factors {
            wide = wide
                .checked_mul(I256::from(factor.mantissa()))
                .ok_or_else(overflow)?;
        }
        wide.checked_mul(pow10(up).ok_or_else(overflow)?)
            .map(ExactYuan)
            .ok_or_else(overflow)
    }

    /// `self + other`.
    pub(crate) fn checked_add(self, other: ExactYuan) -> Option<ExactYuan> {
        self.0.checked_add(other.0).map(ExactYuan)
    }

    /// Rounds to the fen, once.
    pub(crate) fn round(self, rounding: Rounding, what: &dyn Fn() -> String) -> Result<Yuan> {
        // One fen is 10^14 × DAY_DENOMINATOR units (< 2^81).
        // Constants: 10^14 × DAY_DENOMINATOR < 2^81.
        #[allow(clippy::arithmetic_side_effects)]
        let fen = I256::from(10_i128.pow(EXACT_PLACES - 2)) * I256::from(DAY_DENOMINATOR);
        let units = match i128::try_from(self.0) {
            Ok(narrow) => I256::from(round_to_fen(narrow, rounding)),
            Err(_) => rounding.divide(self.0, fen),
        };
        i64::try_from(units)
            .map(Yuan::from_fen)
            .map_err(|_| Error::Overflow { operation: what() })
    }
}

/// `units ÷ (10^14 × DAY_DENOMINATOR)` rounded, for an amount in 128 bits: the divisor (about
/// 2^81) is split in two factors below 2^64, so that each step is a division by a 64-bit
/// number (a few machine instructions) instead of the general 128-bit one. The quotient and
/// the remainder are exactly those of one division: `|n| = (q₂ × 10^14 + r₂) × D + r₁`
/// gives `|n| = q₂ × (10^14 × D) + (r₂ × D + r₁)` with `r₂ × D + r₁ < 10^14 × D`.
// r₂ < 10^14 and r₁ < D < 2^35, so r₂ × D + r₁ < 2^82 and twice it fits a u128; the
// quotient is below 2^47, so ± 1 cannot overflow.
#[allow(clippy::arithmetic_side_effects)]
fn round_to_fen(units: i128, rounding: Rounding) -> i128 {
    const FEN_PLACES: u64 = 10_u64.pow(EXACT_PLACES - 2);
    let magnitude = units.unsigned_abs();
    let denominator = u128::from(DAY_DENOMINATOR);
    // Each remainder by multiplication: one division a step.
    let q1 = magnitude / denominator;
    let r1 = magnitude - q1 * denominator;
    let places = u128::from(FEN_PLACES);
    let q2 = q1 / places;
    let r2 = q1 - q2 * places;
    let remainder = r2 * denominator + r1;
    let quotient = q2 as i128;
    let quotient = if units < 0 { -quotient } else { quotient };
    if remainder == 0 {
        return quotient;
    }
    let step = rounding.step(
        units < 0,
        (remainder * 2).cmp(&(places * denominator)),
        !q2.is_multiple_of(2),
    );
    quotient + i128::from(step)
}

/// The fraction of a year, as a numerator over [`DAY_DENOMINATOR`], of `days` days in a year
/// of `days_in_year` days.
pub(crate) fn days_of_year(days: u64, days_in_year: u16) -> u64 {
    let per_day = DAY_DENOMINATOR
        .checked_div(u64::from(days_in_year.max(1)))
        .unwrap_or(DAY_DENOMINATOR);
    days.saturating_mul(per_day)
}

/// The fraction of a year, as a numerator over [`DAY_DENOMINATOR`], of `months` whole months
/// and `days` days of a month of `days_in_month` days (each month is 1/12 of a year).
pub(crate) fn months_and_days(months: u64, days: u64, days_in_month: u8) -> u64 {
    let twelfth = DAY_DENOMINATOR / 12;
    months.saturating_mul(twelfth).saturating_add(
        days.saturating_mul(
            twelfth
                .checked_div(u64::from(days_in_month.max(1)))
                .unwrap_or(twelfth),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A product made in 128 bits, where it fits, is the product made in 256 bits, for
        /// every strategy, factors of any scale and sign, and divisors of either sign.
        #[test]
        fn products_in_128_bits_are_the_products_in_256(
            factors in proptest::collection::vec((any_mantissa(), 0u32..=12), 0..4),
            divisor in (any_mantissa(), 0u32..=12),
            places in 0u32..=6,
            strategy in 0usize..6,
        ) {
            let factors: Vec<Decimal> = factors
                .into_iter()
                .map(|(m, s)| Decimal::from_i128_with_scale(m, s))
                .collect();
            let divisor = Decimal::from_i128_with_scale(divisor.0, divisor.1);
            proptest::prop_assume!(!divisor.is_zero());
            let rounding = Rounding::ALL[strategy];
            let what = || "test".to_string();
            let wide = product_in_256(&factors, divisor, places, rounding, &what);
            if let Some(narrow) = product_in_128(&factors, divisor, places, rounding) {
                proptest::prop_assert_eq!(wide.ok(), Some(I256::from(narrow)));
            }
            // Through the public path: the same, or the same error.
            proptest::prop_assert_eq!(
                product_to_wide(&factors, divisor, places, rounding, &what).ok(),
                product_in_256(&factors, divisor, places, rounding, &what).ok()
            );
        }
    }

    #[test]
    fn a_small_product_is_made_in_128_bits_and_a_large_one_is_not() {
        let d = |m: i64, s: u32| Decimal::new(m, s);
        // 1.5 × 2.25 ÷ (−0.7) = −4.8214…, in hundredths.
        let small = [d(15, 1), d(225, 2)];
        assert_eq!(
            product_in_128(&small, d(-7, 1), 2, Rounding::HalfEven),
            Some(-482)
        );
        assert_eq!(
            product_to_wide(&small, d(-7, 1), 2, Rounding::Floor, &String::new).ok(),
            Some(I256::from(-483))
        );
        // A zero divisor (of any scale) is refused, not divided by.
        assert_eq!(product_in_128(&small, d(0, 3), 2, Rounding::HalfEven), None);
        assert!(matches!(
            product_to_wide(&small, d(0, 3), 2, Rounding::HalfEven, &|| "x".to_string()),
            Err(Error::DivideByZero { operation }) if operation == "x"
        ));
        // Three factors of 28 digits each overflow 128 bits but not 256.
        let large = [Decimal::MAX, Decimal::MAX, Decimal::MAX];
        assert_eq!(
            product_in_128(&large, Decimal::MAX, 0, Rounding::HalfEven),
            None
        );
        assert_eq!(
            product_to_wide(&large, Decimal::MAX, 0, Rounding::HalfEven, &String::new).ok(),
            product_in_256(&large, Decimal::MAX, 0, Rounding::HalfEven, &String::new).ok()
        );
    }

    /// Mantissas of every size a decimal holds, small ones (with trailing zeros) often.
    fn any_mantissa() -> impl proptest::strategy::Strategy<Value = i128> {
        use proptest::prelude::*;
        prop_oneof![
            -1000i128..=1000,
            (-99_999i128..=99_999).prop_map(|m| m * 1000),
            -(1i128 << 95) + 1..(1i128 << 95),
        ]
    }

    fn div(n: i32, d: i32, r: Rounding) -> i32 {
        rounding_i32(r.divide(I256::from(n), I256::from(d)))
    }

    fn rounding_i32(v: I256) -> i32 {
        i32::try_from(v).unwrap_or(i32::MAX)
    }

    #[test]
    fn each_strategy_on_halves_and_near_halves() {
        use Rounding::*;
        // 1.25, -1.25, 1.35, -1.35, 1.21, -1.29 expressed as n/100, rounded to tenths: n/10.
        let cases = [
            (125, [13, 12, 12, 13, 12, 13]),
            (-125, [-13, -12, -12, -13, -13, -12]),
            (135, [14, 14, 13, 14, 13, 14]),
            (121, [12, 12, 12, 13, 12, 13]),
            (-129, [-13, -13, -12, -13, -13, -12]),
            (120, [12, 12, 12, 12, 12, 12]),
        ];
        for (n, expected) in cases {
            for (strategy, want) in Rounding::ALL.into_iter().zip(expected) {
                assert_eq!(div(n, 10, strategy), want, "{n}/10 with {strategy:?}");
            }
        }
        assert_eq!(div(5, 10, HalfEven), 0);
        assert_eq!(div(15, 10, HalfEven), 2);
    }

    #[test]
    fn exact_yuan_sums_pieces_before_rounding() {
        use rust_decimal_macros::dec;
        let what = || "test".to_string();
        // 1 mu at 1000 yuan for 1 day of a 365-day year, 365 times: exactly 1000.00.
        let day = ExactYuan::prorated(&[dec!(1), dec!(1000)], days_of_year(1, 365), &what)
            .unwrap_or_default();
        let year = (0..365).fold(ExactYuan::ZERO, |sum, _| {
            sum.checked_add(day).unwrap_or_default()
        });
        assert_eq!(
            year.round(Rounding::HalfAwayFromZero, &what),
            Ok(Yuan::from_fen(100_000))
        );
        // One day alone: 2.739726… → 2.74.
        assert_eq!(
            day.round(Rounding::HalfAwayFromZero, &what),
            Ok(Yuan::from_fen(274))
        );
        // Months and days: 10 days of a 31-day month at 1200 a year = 1200 / 12 × 10 / 31.
        let part = ExactYuan::prorated(&[dec!(1200)], months_and_days(0, 10, 31), &what)
            .unwrap_or_default();
        assert_eq!(
            part.round(Rounding::HalfAwayFromZero, &what),
            Ok(Yuan::from_fen(3226))
        );
        let nine = ExactYuan::prorated(&[dec!(2000)], months_and_days(9, 0, 30), &what)
            .unwrap_or_default();
        assert_eq!(
            nine.round(Rounding::HalfAwayFromZero, &what),
            Ok(Yuan::from_fen(150_000))
        );
        // More than 16 places in all is refused, not rounded.
        assert!(
            ExactYuan::prorated(&[Decimal::new(1, 10), Decimal::new(1, 10)], 1, &what).is_err()
        );
        // Trailing zeros are not places (found by review: 1000.0000000000000 × 1.3500 was
        // refused as an overflow).
        let year = days_of_year(365, 365);
        let written = ExactYuan::prorated(&[dec!(1.3500), dec!(1000.0000000000000)], year, &what);
        assert_eq!(
            written,
            ExactYuan::prorated(&[dec!(1.35), dec!(1000)], year, &what)
        );
        assert_eq!(
            written.and_then(|exact| exact.round(Rounding::HalfAwayFromZero, &what)),
            Ok(Yuan::from_fen(135_000))
        );
        let trailing = Decimal::from_i128_with_scale(10_i128.pow(28), 28);
        assert_eq!(
            ExactYuan::prorated(&[trailing, trailing, dec!(2)], year, &what)
                .and_then(|exact| exact.round(Rounding::HalfAwayFromZero, &what)),
            Ok(Yuan::from_fen(200))
        );
        // Non-zero digits past 16 places in all are still refused.
        assert!(ExactYuan::prorated(&[dec!(1.0000000000000001), dec!(1.10)], year, &what).is_err());
        // Huge products still add up exactly in 256 bits.
        let big = ExactYuan::prorated(&[Decimal::MAX], DAY_DENOMINATOR, &what).unwrap_or_default();
        assert!(big.round(Rounding::HalfAwayFromZero, &what).is_err());
    }

    /// Rounding to the fen in two 64-bit steps agrees with one division, for every strategy,
    /// on exact halves, their neighbours, multiples and amounts of every size and sign.
    #[test]
    fn fen_rounding_in_two_steps_agrees_with_one_division() {
        let fen = 10_i128.pow(EXACT_PLACES - 2) * i128::from(DAY_DENOMINATOR);
        let mut values = vec![
            0_i128,
            1,
            -1,
            fen,
            -fen,
            i128::MAX,
            i128::MIN + 1,
            i128::MIN,
        ];
        for k in [0_i128, 1, 2, 3, 7, 12345, 987_654_321, 1 << 46] {
            for base in [k * fen, k * fen + fen / 2] {
                for delta in [-2_i128, -1, 0, 1, 2, 17, fen / 3] {
                    values.push(base + delta);
                    values.push(-(base + delta));
                }
            }
        }
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (i128::from(x) << (x % 60)) ^ i128::from(x >> 3);
            values.push(v);
            values.push(-v);
        }
        for v in values {
            for rounding in Rounding::ALL {
                let one = rounding.divide(I256::from(v), I256::from(fen));
                assert_eq!(
                    I256::from(round_to_fen(v, rounding)),
                    one,
                    "{v} {rounding:?}"
                );
            }
        }
    }

    #[test]
    fn narrow_and_wide_division_agree() {
        for n in [-1_000_001_i128, -15, -5, 5, 15, 25, 35, 1_000_001] {
            for rounding in Rounding::ALL {
                let narrow = rounding.divide_i128(n, 10);
                let wide_n = I256::from(n) << 130;
                let wide = rounding.divide(wide_n, I256::from(10) << 130);
                assert_eq!(I256::from(narrow), wide, "{n} {rounding:?}");
            }
        }
    }

    #[test]
    fn product_is_exact_before_rounding() {
        use rust_decimal_macros::dec;
        // 2 mu × 1000 yuan × 292 days ÷ 366 days = 1595.6284153… yuan.
        let fen = product_to_units(
            &[dec!(2), dec!(1000), dec!(292)],
            dec!(366),
            2,
            Rounding::HalfAwayFromZero,
            &|| "rent".to_string(),
        );
        assert_eq!(fen, Ok(159_563));
        let zero = product_to_units(&[dec!(1)], dec!(0), 2, Rounding::Floor, &|| "x".into());
        assert!(matches!(zero, Err(Error::DivideByZero { .. })));
        let huge = product_to_units(
            &[Decimal::MAX, Decimal::MAX],
            dec!(1),
            2,
            Rounding::Floor,
            &|| "huge".into(),
        );
        assert!(matches!(huge, Err(Error::Overflow { .. })));
    }
}
