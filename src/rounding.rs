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
/// fen. The others exist for bylaws and contracts that say otherwise. No operation in this
/// crate picks a strategy for you: every rounding call names one.
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
    fn divide(self, numerator: I256, denominator: I256) -> I256 {
        // Callers pass a denominator > 0; the quotient truncates toward zero and the
        // remainder has the numerator's sign.
        let quotient = numerator / denominator;
        let remainder = numerator % denominator;
        if remainder == I256::ZERO {
            return quotient;
        }
        let away = if numerator.is_negative() {
            quotient - I256::ONE
        } else {
            quotient + I256::ONE
        };
        let twice = remainder.unsigned_abs() * 2;
        let denominator = denominator.unsigned_abs();
        match self {
            Rounding::TowardZero => quotient,
            Rounding::AwayFromZero => away,
            Rounding::Floor => {
                if numerator.is_negative() {
                    away
                } else {
                    quotient
                }
            }
            Rounding::Ceiling => {
                if numerator.is_negative() {
                    quotient
                } else {
                    away
                }
            }
            Rounding::HalfAwayFromZero => {
                if twice >= denominator {
                    away
                } else {
                    quotient
                }
            }
            Rounding::HalfEven => {
                if twice > denominator || (twice == denominator && quotient % 2 != I256::ZERO) {
                    away
                } else {
                    quotient
                }
            }
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

/// Decimal places carried by [`ExactYuan`].
const EXACT_PLACES: u32 = 32;

/// An exact amount of yuan, as an integer number of `1 / (10^32 × DAY_DENOMINATOR)` yuan.
///
/// Rent and amortisation add up many pieces of the form `area × rate × days ÷ days in the
/// year` (or ÷ 12 × days in the month); all of them are exact in this unit, so a sum of pieces
/// is exact and is rounded once, at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct ExactYuan(I256);

impl ExactYuan {
    /// Zero.
    pub(crate) const ZERO: ExactYuan = ExactYuan(I256::ZERO);

    /// `(f1 × … × fk) × days ÷ denominator` yuan, where `denominator` divides
    /// [`DAY_DENOMINATOR`] (365, 366, 12 × 28 …; 1 for a whole amount).
    pub(crate) fn prorated(
        factors: &[Decimal],
        days: u64,
        denominator: u64,
        what: &dyn Fn() -> String,
    ) -> Result<ExactYuan> {
        let overflow = || Error::Overflow { operation: what() };
        if denominator == 0 || !DAY_DENOMINATOR.is_multiple_of(denominator) {
            return Err(overflow());
        }
        let mut value = I256::ONE;
        let mut places: u32 = 0;
        for factor in factors {
            let factor = factor.normalize();
            value = value
                .checked_mul(I256::from(factor.mantissa()))
                .ok_or_else(overflow)?;
            places = places.checked_add(factor.scale()).ok_or_else(overflow)?;
        }
        let up = EXACT_PLACES.checked_sub(places).ok_or_else(overflow)?;
        value
            .checked_mul(pow10(up).ok_or_else(overflow)?)
            .and_then(|v| v.checked_mul(I256::from(days)))
            .and_then(|v| v.checked_mul(I256::from(DAY_DENOMINATOR / denominator)))
            .map(ExactYuan)
            .ok_or_else(overflow)
    }

    /// `self + other`.
    pub(crate) fn checked_add(self, other: ExactYuan) -> Option<ExactYuan> {
        self.0.checked_add(other.0).map(ExactYuan)
    }

    /// Rounds to the fen, once.
    pub(crate) fn round(self, rounding: Rounding, what: &dyn Fn() -> String) -> Result<Yuan> {
        // One fen is 10^30 × DAY_DENOMINATOR units.
        let fen = pow10(EXACT_PLACES - 2)
            .and_then(|p| p.checked_mul(I256::from(DAY_DENOMINATOR)))
            .ok_or_else(|| Error::Overflow { operation: what() })?;
        let units = rounding.divide(self.0, fen);
        i64::try_from(units)
            .map(Yuan::from_fen)
            .map_err(|_| Error::Overflow { operation: what() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let day = ExactYuan::prorated(&[dec!(1), dec!(1000)], 1, 365, &what).unwrap_or_default();
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
        let part = ExactYuan::prorated(&[dec!(1200)], 10, 12 * 31, &what).unwrap_or_default();
        assert_eq!(
            part.round(Rounding::HalfAwayFromZero, &what),
            Ok(Yuan::from_fen(3226))
        );
        assert!(ExactYuan::prorated(&[dec!(1)], 1, 11, &what).is_err());
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
