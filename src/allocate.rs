//! Splitting a total among parts in proportion to weights, exact to the fen.
//!
//! A total split among members (a dividend), periods (rent over a part-year) or greenhouses (a
//! shared cost) must add back to the total exactly. [`allocate`] does this by the
//! largest-remainder (Hamilton) method:
//!
//! 1. Each part's exact quota is `total × weight ÷ sum of weights`, computed with integers
//!    (no floats, no rounding): weights are brought to a common decimal scale and the products
//!    are carried in 128 or, when needed, 256 bits, so no total and weights the types can hold
//!    overflow.
//! 2. Every part first gets its quota rounded toward zero, in fen.
//! 3. The fen left over (fewer than the number of parts) go one each to the parts whose quotas
//!    had the largest fractional remainders. Ties go to the part that comes first in the list.
//!
//! So every part is its quota rounded down or up to the fen, the parts always add back to the
//! total, and the result depends only on the inputs: the same on every machine. A zero weight
//! always gets zero. A negative total (a loss to share) is split as its absolute value and each
//! part is negated, so the split of −x mirrors the split of x. [`allocate_with`] takes another
//! rule for the leftover fen ([`Remainder`]).

use ethnum::U256;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{Error, Result, Yuan};

/// Who gets the fen left over once every part has its quota rounded toward zero.
///
/// Whatever the rule, only parts whose quota was not already a whole number of fen can get
/// one, and none gets more than one: every part stays within one fen of its exact quota.
/// Ties always go to the part that comes first in the list.
///
/// # Example
///
/// ```
/// use landpool::{allocate_with, Remainder, Yuan};
/// use rust_decimal_macros::dec;
///
/// let total = Yuan::from_fen(100); // 1.00 split 1 : 1 : 1 leaves one fen over.
/// let weights = [dec!(1), dec!(1), dec!(1)];
/// let fen = |rule| -> Vec<i64> {
///     allocate_with(total, &weights, rule).unwrap().iter().map(|y| y.fen()).collect()
/// };
/// assert_eq!(fen(Remainder::LargestRemainder), [34, 33, 33]);
/// assert_eq!(fen(Remainder::FirstN), [34, 33, 33]);
/// // 1.00 split 1 : 3 leaves no fen over; 0.10 split 1 : 2 leaves one.
/// let uneven = allocate_with(Yuan::from_fen(10), &[dec!(1), dec!(2)], Remainder::LargestWeight)?;
/// assert_eq!(uneven, [Yuan::from_fen(3), Yuan::from_fen(7)]);
/// # Ok::<(), landpool::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remainder {
    /// Largest fractional remainder first (Hamilton's method); the default of [`allocate`].
    LargestRemainder,
    /// The first parts in list order, among those with a fractional remainder.
    FirstN,
    /// The largest weights first, among those with a fractional remainder.
    LargestWeight,
}

/// Splits `total` in proportion to `weights` by the largest-remainder method; the parts add
/// back to `total` exactly.
///
/// See the [module documentation](crate::allocate) for the method and its tie-break.
/// The same as [`allocate_with`] with [`Remainder::LargestRemainder`].
///
/// # Errors
///
/// [`Error::EmptyWeights`] for an empty list, [`Error::NegativeWeight`] naming the first
/// negative weight, [`Error::ZeroWeights`] when every weight is zero.
///
/// # Example
///
/// ```
/// use landpool::{allocate, Yuan};
/// use rust_decimal_macros::dec;
///
/// // A shared cost of 10,000.00 over greenhouses of 7, 7 and 6 mu.
/// let parts = allocate("10000".parse()?, &[dec!(7), dec!(7), dec!(6)])?;
/// assert_eq!(parts, ["3500.00".parse::<Yuan>()?, "3500.00".parse()?, "3000.00".parse()?]);
///
/// // 100.00 in three equal parts: the leftover fen goes to the first.
/// let thirds = allocate(Yuan::from_fen(10_000), &[dec!(1); 3])?;
/// assert_eq!(thirds, [Yuan::from_fen(3334), Yuan::from_fen(3333), Yuan::from_fen(3333)]);
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn allocate(total: Yuan, weights: &[Decimal]) -> Result<Vec<Yuan>> {
    allocate_with(total, weights, Remainder::LargestRemainder)
}

/// Splits `total` in proportion to `weights`, giving the leftover fen by `rule`; the parts add
/// back to `total` exactly.
///
/// # Errors
///
/// As [`allocate`].
///
/// # Example
///
/// ```
/// use landpool::{allocate_with, Remainder, Yuan};
/// use rust_decimal_macros::dec;
///
/// // A loss of 0.05 over weights 1 : 1 : 2 (quotas -0.0125, -0.0125, -0.025).
/// let parts = allocate_with(Yuan::from_fen(-5), &[dec!(1), dec!(1), dec!(2)], Remainder::LargestRemainder)?;
/// assert_eq!(parts, [Yuan::from_fen(-1), Yuan::from_fen(-1), Yuan::from_fen(-3)]);
/// # Ok::<(), landpool::Error>(())
/// ```
pub fn allocate_with(total: Yuan, weights: &[Decimal], rule: Remainder) -> Result<Vec<Yuan>> {
    let parts = allocate_units(total.fen(), weights, rule, &|| format!("{total} yuan"))?;
    Ok(parts.into_iter().map(Yuan::from_fen).collect())
}

/// Splits an integer `total` (fen, ten-thousandths of a mu, …) in proportion to `weights`.
/// `what` describes the total for error messages.
pub(crate) fn allocate_units(
    total: i64,
    weights: &[Decimal],
    rule: Remainder,
    what: &dyn Fn() -> String,
) -> Result<Vec<i64>> {
    if weights.is_empty() {
        return Err(Error::EmptyWeights { total: what() });
    }
    let mut scale = 0;
    let mut any_positive = false;
    for (index, weight) in weights.iter().enumerate() {
        if weight.is_sign_negative() && !weight.is_zero() {
            return Err(Error::NegativeWeight {
                index,
                weight: *weight,
            });
        }
        any_positive |= !weight.is_zero();
        scale = scale.max(weight.scale());
    }
    if !any_positive {
        return Err(Error::ZeroWeights {
            total: what(),
            count: weights.len(),
        });
    }
    let magnitude = total.unsigned_abs();
    let shares = match narrow_weights(weights, scale, magnitude) {
        Some(narrow) => hamilton(magnitude, &narrow, rule),
        None => hamilton(magnitude, &wide_weights(weights, scale), rule),
    };
    // Every share is at most the magnitude, so it fits in i64 once the sign is back, except
    // for the magnitude of i64::MIN, which only a single part can take in full.
    Ok(shares
        .into_iter()
        .map(|share| {
            if total < 0 {
                0_i64.wrapping_sub_unsigned(share)
            } else {
                // share ≤ magnitude ≤ i64::MAX
                i64::try_from(share).unwrap_or(i64::MAX)
            }
        })
        .collect())
}

/// The weights as integers at a common scale in 128 bits, when `magnitude × weight` and their
/// sum fit; otherwise `None`.
fn narrow_weights(weights: &[Decimal], scale: u32, magnitude: u64) -> Option<Vec<u128>> {
    let mut out = Vec::with_capacity(weights.len());
    let mut sum: u128 = 0;
    let mut largest: u128 = 0;
    for weight in weights {
        let up = 10_u128.checked_pow(scale - weight.scale())?;
        let value = weight.mantissa().unsigned_abs().checked_mul(up)?;
        sum = sum.checked_add(value)?;
        largest = largest.max(value);
        out.push(value);
    }
    u128::from(magnitude).checked_mul(largest)?;
    Some(out)
}

/// The weights as 256-bit integers at a common scale. With mantissas below 2^96, a scale of
/// at most 28 and at most 2^64 weights, neither `magnitude × weight` (< 2^63 × 2^96 × 10^28)
/// nor the sum (< 2^64 × 2^96 × 10^28) comes near 2^256.
fn wide_weights(weights: &[Decimal], scale: u32) -> Vec<U256> {
    weights
        .iter()
        .map(|weight| {
            let up = U256::from(10_u32).pow(scale - weight.scale());
            U256::from(weight.mantissa().unsigned_abs()) * up
        })
        .collect()
}

/// The integer arithmetic the largest-remainder method needs, for 128 and 256 bits.
trait Wide: Copy + Ord {
    const ZERO: Self;
    fn from_u64(value: u64) -> Self;
    fn add(self, other: Self) -> Self;
    fn mul(self, other: Self) -> Self;
    /// Quotient (which is at most the total, so fits in u64) and remainder.
    fn div_rem(self, divisor: Self) -> (u64, Self);
}

impl Wide for u128 {
    const ZERO: Self = 0;
    fn from_u64(value: u64) -> Self {
        u128::from(value)
    }
    fn add(self, other: Self) -> Self {
        self + other
    }
    fn mul(self, other: Self) -> Self {
        self * other
    }
    fn div_rem(self, divisor: Self) -> (u64, Self) {
        // 64-bit division is several times faster than 128-bit; most splits fit it.
        if let (Ok(n), Ok(d)) = (u64::try_from(self), u64::try_from(divisor)) {
            return (n / d, u128::from(n % d));
        }
        let quotient = self / divisor;
        (
            u64::try_from(quotient).unwrap_or(u64::MAX),
            self - quotient * divisor,
        )
    }
}

impl Wide for U256 {
    const ZERO: Self = U256::ZERO;
    fn from_u64(value: u64) -> Self {
        U256::from(value)
    }
    fn add(self, other: Self) -> Self {
        self + other
    }
    fn mul(self, other: Self) -> Self {
        self * other
    }
    fn div_rem(self, divisor: Self) -> (u64, Self) {
        let quotient = self / divisor;
        (
            u64::try_from(quotient).unwrap_or(u64::MAX),
            self - quotient * divisor,
        )
    }
}

/// Hamilton's method on integer weights (at least one non-zero) for a non-negative total.
fn hamilton<W: Wide>(total: u64, weights: &[W], rule: Remainder) -> Vec<u64> {
    let sum = weights.iter().fold(W::ZERO, |sum, weight| sum.add(*weight));
    let total_wide = W::from_u64(total);
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: u64 = 0;
    for weight in weights {
        let (quotient, remainder) = total_wide.mul(*weight).div_rem(sum);
        given += quotient;
        shares.push(quotient);
        remainders.push(remainder);
    }
    // Σ floor(quota) > total − n, so fewer than n fen are left, and exactly as many parts
    // have a non-zero remainder as are needed (Σ remainders = leftover × sum).
    let leftover = usize::try_from(total - given).unwrap_or(usize::MAX);
    if leftover == 0 {
        return shares;
    }
    let mut candidates: Vec<usize> = (0..weights.len())
        .filter(|&i| remainders.get(i).is_some_and(|r| *r != W::ZERO))
        .collect();
    match rule {
        Remainder::FirstN => {}
        Remainder::LargestRemainder => {
            let key = |i: &usize| (std::cmp::Reverse(remainders.get(*i).copied()), *i);
            select_first(&mut candidates, leftover, key);
        }
        Remainder::LargestWeight => {
            let key = |i: &usize| (std::cmp::Reverse(weights.get(*i).copied()), *i);
            select_first(&mut candidates, leftover, key);
        }
    }
    for index in candidates.into_iter().take(leftover) {
        if let Some(share) = shares.get_mut(index) {
            *share += 1;
        }
    }
    shares
}

/// Moves the `count` smallest items by `key` to the front of `items` (in any order).
fn select_first<K: Ord>(items: &mut [usize], count: usize, key: impl Fn(&usize) -> K) {
    if count == 0 || count >= items.len() {
        return;
    }
    items.select_nth_unstable_by_key(count - 1, key);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn fen(total: i64, weights: &[Decimal], rule: Remainder) -> Vec<i64> {
        allocate_with(Yuan::from_fen(total), weights, rule)
            .map(|parts| parts.into_iter().map(Yuan::fen).collect())
            .unwrap_or_default()
    }

    #[test]
    fn worked_example_split() {
        // DOMAIN.md: 360,000 distributable, 70% by transaction volume, 30% by the rest.
        assert_eq!(
            fen(
                36_000_000,
                &[dec!(70), dec!(30)],
                Remainder::LargestRemainder
            ),
            [25_200_000, 10_800_000]
        );
    }

    #[test]
    fn largest_remainder_and_ties() {
        // Quotas 3.3333…, 3.3333…, 3.3333… fen: the first gets the leftover fen.
        assert_eq!(
            fen(10, &[dec!(1); 3], Remainder::LargestRemainder),
            [4, 3, 3]
        );
        // Quotas 0.5, 1.5, 3.0 (×1 fen): leftover 1; tie between 0 and 1 goes to 0.
        assert_eq!(
            fen(5, &[dec!(1), dec!(3), dec!(6)], Remainder::LargestRemainder),
            [1, 1, 3]
        );
        // Quotas 0.9, 0.1 → the larger remainder wins.
        assert_eq!(
            fen(1, &[dec!(0.9), dec!(0.1)], Remainder::LargestRemainder),
            [1, 0]
        );
        assert_eq!(
            fen(1, &[dec!(0.1), dec!(0.9)], Remainder::LargestRemainder),
            [0, 1]
        );
    }

    #[test]
    fn other_rules() {
        // Quotas 0.2, 0.3, 0.5 of 1 fen: only one fen to give.
        let weights = [dec!(2), dec!(3), dec!(5)];
        assert_eq!(fen(1, &weights, Remainder::LargestRemainder), [0, 0, 1]);
        assert_eq!(fen(1, &weights, Remainder::FirstN), [1, 0, 0]);
        assert_eq!(fen(1, &weights, Remainder::LargestWeight), [0, 0, 1]);
        // An exact quota never gets the extra fen, even under FirstN.
        assert_eq!(
            fen(7, &[dec!(2), dec!(1), dec!(1)], Remainder::FirstN),
            [4, 2, 1]
        );
    }

    #[test]
    fn zero_weights_get_zero_and_negative_totals_mirror() {
        assert_eq!(
            fen(
                100,
                &[dec!(0), dec!(1), dec!(0)],
                Remainder::LargestRemainder
            ),
            [0, 100, 0]
        );
        assert_eq!(
            fen(-10, &[dec!(1); 3], Remainder::LargestRemainder),
            [-4, -3, -3]
        );
        assert_eq!(
            fen(i64::MIN, &[dec!(1)], Remainder::LargestRemainder),
            [i64::MIN]
        );
        assert_eq!(
            fen(i64::MIN, &[dec!(1), dec!(1)], Remainder::LargestRemainder),
            [i64::MIN / 2; 2]
        );
    }

    #[test]
    fn bad_weight_lists() {
        let total = Yuan::from_fen(100);
        assert!(matches!(
            allocate(total, &[]),
            Err(Error::EmptyWeights { .. })
        ));
        assert!(matches!(
            allocate(total, &[dec!(1), dec!(-2)]),
            Err(Error::NegativeWeight { index: 1, .. })
        ));
        assert!(matches!(
            allocate(total, &[dec!(0), dec!(-0)]),
            Err(Error::ZeroWeights { count: 2, .. })
        ));
    }

    #[test]
    fn wide_path_for_huge_weights() {
        let weights = [Decimal::MAX, Decimal::MAX, Decimal::new(1, 28)];
        let parts = fen(i64::MAX, &weights, Remainder::LargestRemainder);
        assert_eq!(
            parts.iter().map(|p| i128::from(*p)).sum::<i128>(),
            i128::from(i64::MAX)
        );
        assert_eq!(parts, [i64::MAX / 2 + 1, i64::MAX / 2, 0]);
        assert!(narrow_weights(&weights, 28, u64::MAX >> 1).is_none());
    }
}
