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
    // One pass validates the weights and sums them as integers at the largest scale seen so
    // far (rescaling the running sums when a weight with more decimals arrives). `narrow` is
    // None once the sums leave 128 bits; the 256-bit path then sums again.
    let mut scale = 0;
    let mut any_positive = false;
    let mut narrow: Option<(u128, u128)> = Some((0, 0));
    for (index, weight) in weights.iter().enumerate() {
        if weight.is_sign_negative() && !weight.is_zero() {
            return Err(Error::NegativeWeight {
                index,
                weight: *weight,
            });
        }
        any_positive |= !weight.is_zero();
        if weight.scale() > scale {
            let up = weight
                .scale()
                .checked_sub(scale)
                .and_then(|places| usize::try_from(places).ok())
                .and_then(|places| POWERS_OF_TEN.get(places))
                .copied();
            narrow = narrow.and_then(|(sum, largest)| {
                let up = up?;
                Some((sum.checked_mul(up)?, largest.checked_mul(up)?))
            });
            scale = weight.scale();
        }
        narrow = narrow.and_then(|(sum, largest)| {
            let value = u128::rescale(weight, scale)?;
            Some((sum.checked_add(value)?, largest.max(value)))
        });
    }
    if !any_positive {
        return Err(Error::ZeroWeights {
            total: what(),
            count: weights.len(),
        });
    }
    let magnitude = total.unsigned_abs();
    // Pick the narrowest integers that hold every product `magnitude × weight` and the sum of
    // the weights: 64-bit arithmetic is several times faster than 128-bit, which is much
    // faster than 256-bit, and most real splits fit the first.
    let shares = match narrow {
        Some((sum, largest)) if sum <= u128::from(u64::MAX) && fits_u64(magnitude, largest) => {
            // sum ≤ u64::MAX was just checked.
            hamilton::<u64>(magnitude, weights, scale, sum as u64, rule)
        }
        Some((sum, largest)) if u128::from(magnitude).checked_mul(largest).is_some() => {
            hamilton::<u128>(magnitude, weights, scale, sum, rule)
        }
        _ => {
            // Fewer than 2^64 weights, each below 2^190 (see `Wide for U256`): the sum fits.
            #[allow(clippy::arithmetic_side_effects)]
            let sum = weights.iter().fold(U256::ZERO, |sum, d| {
                sum + U256::rescale(d, scale).unwrap_or_default()
            });
            hamilton::<U256>(magnitude, weights, scale, sum, rule)
        }
    };
    // Every share is at most the magnitude, so it fits in i64 once the sign is back: a
    // positive total is at most i64::MAX, a negative one's magnitude at most 2^63.
    Ok(shares
        .into_iter()
        .map(|share| {
            if total < 0 {
                0_i64.wrapping_sub_unsigned(share)
            } else {
                i64::try_from(share).unwrap_or(i64::MAX)
            }
        })
        .collect())
}

fn fits_u64(magnitude: u64, largest: u128) -> bool {
    u128::from(magnitude)
        .checked_mul(largest)
        .is_some_and(|product| product <= u128::from(u64::MAX))
}

/// 10^0 through 10^28: every rescaling a `Decimal` can need.
#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of range fails the build"
)]
const POWERS_OF_TEN: [u128; 29] = {
    let mut table = [1_u128; 29];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// The integer arithmetic the largest-remainder method needs, for 64, 128 and 256 bits. The
/// caller has checked that every product and the sum fit the chosen width.
trait Wide: Copy + Ord + Default {
    /// A non-negative weight as an integer at `scale` (≥ the weight's own scale), or `None`
    /// when it does not fit.
    fn rescale(weight: &Decimal, scale: u32) -> Option<Self>;
    fn from_u64(value: u64) -> Self;
    fn mul(self, other: Self) -> Self;
    /// Quotient (at most the total, so it fits in u64) and remainder.
    fn div_rem(self, divisor: Self) -> (u64, Self);
}

impl Wide for u64 {
    fn rescale(weight: &Decimal, scale: u32) -> Option<Self> {
        let mantissa = u64::try_from(weight.mantissa()).ok()?;
        if weight.scale() == scale {
            // The common case: every weight written with the same number of decimals.
            return Some(mantissa);
        }
        let up = *POWERS_OF_TEN.get(usize::try_from(scale.checked_sub(weight.scale())?).ok()?)?;
        mantissa.checked_mul(u64::try_from(up).ok()?)
    }
    fn from_u64(value: u64) -> Self {
        value
    }
    // Only called by `hamilton` with a product `allocate_with` checked to fit this width.
    #[allow(clippy::arithmetic_side_effects)]
    fn mul(self, other: Self) -> Self {
        self * other
    }
    // The divisor is the sum of the weights, positive; quotient × divisor ≤ self.
    #[allow(clippy::arithmetic_side_effects)]
    fn div_rem(self, divisor: Self) -> (u64, Self) {
        (self / divisor, self % divisor)
    }
}

impl Wide for u128 {
    fn rescale(weight: &Decimal, scale: u32) -> Option<Self> {
        let up = *POWERS_OF_TEN.get(usize::try_from(scale.checked_sub(weight.scale())?).ok()?)?;
        weight.mantissa().unsigned_abs().checked_mul(up)
    }
    fn from_u64(value: u64) -> Self {
        u128::from(value)
    }
    // Only called by `hamilton` with a product `allocate_with` checked to fit this width.
    #[allow(clippy::arithmetic_side_effects)]
    fn mul(self, other: Self) -> Self {
        self * other
    }
    // The divisor is the sum of the weights, positive; quotient × divisor ≤ self.
    #[allow(clippy::arithmetic_side_effects)]
    fn div_rem(self, divisor: Self) -> (u64, Self) {
        let quotient = self / divisor;
        (
            u64::try_from(quotient).unwrap_or(u64::MAX),
            self - quotient * divisor,
        )
    }
}

impl Wide for U256 {
    /// Mantissas are below 2^96 and scales at most 28, so a rescaled weight is below
    /// 2^96 × 10^28 < 2^190, and products with a total below 2^64, or sums of fewer than 2^64
    /// weights, stay below 2^256.
    fn rescale(weight: &Decimal, scale: u32) -> Option<Self> {
        let up = U256::from(10_u32).checked_pow(scale.checked_sub(weight.scale())?)?;
        U256::from(weight.mantissa().unsigned_abs()).checked_mul(up)
    }
    fn from_u64(value: u64) -> Self {
        U256::from(value)
    }
    // Only called by `hamilton` with a product `allocate_with` checked to fit this width.
    #[allow(clippy::arithmetic_side_effects)]
    fn mul(self, other: Self) -> Self {
        self * other
    }
    // The divisor is the sum of the weights, positive; quotient × divisor ≤ self.
    #[allow(clippy::arithmetic_side_effects)]
    fn div_rem(self, divisor: Self) -> (u64, Self) {
        let quotient = self / divisor;
        (
            u64::try_from(quotient).unwrap_or(u64::MAX),
            self - quotient * divisor,
        )
    }
}

/// Hamilton's method for a non-negative total, in integers of width `W`.
// `allocate_with` picks W so that every product total × weight fits, and `sum` > 0 (some
// weight is positive). The quotients add up to at most `total` (a u64), so `given` ≤ total;
// each share gets at most one more unit and stays ≤ total; `left` is only decremented while
// positive: the saturating operations below never saturate.
fn hamilton<W: Wide>(
    total: u64,
    weights: &[Decimal],
    scale: u32,
    sum: W,
    rule: Remainder,
) -> Vec<u64> {
    // Validated by the caller: every weight is non-negative and fits W at `scale`, and `sum`
    // is their sum.
    let weight = |d: &Decimal| W::rescale(d, scale).unwrap_or_default();
    let total_wide = W::from_u64(total);
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given: u64 = 0;
    for d in weights {
        let (quotient, remainder) = total_wide.mul(weight(d)).div_rem(sum);
        given = given.saturating_add(quotient);
        shares.push(quotient);
        remainders.push(remainder);
    }
    // Σ floor(quota) > total − n, so fewer than n units are left over, and at least as many
    // parts have a non-zero remainder (Σ remainders = leftover × sum, each below sum).
    let leftover = usize::try_from(total.saturating_sub(given)).unwrap_or(usize::MAX);
    if leftover == 0 {
        return shares;
    }
    match rule {
        Remainder::FirstN => {
            let mut left = leftover;
            for (share, remainder) in shares.iter_mut().zip(&remainders) {
                if left > 0 && *remainder != W::default() {
                    *share = share.saturating_add(1);
                    left = left.saturating_sub(1);
                }
            }
        }
        Remainder::LargestRemainder => {
            give_to_largest(&mut shares, &remainders, &remainders, leftover)
        }
        Remainder::LargestWeight => {
            let keys: Vec<W> = weights.iter().map(weight).collect();
            give_to_largest(&mut shares, &keys, &remainders, leftover);
        }
    }
    shares
}

/// Adds one to the shares of the `count` parts with the largest keys among those with a
/// non-zero remainder; among equal keys, the first in the list win. Linear time: one
/// selection finds the threshold key, one pass gives.
// Each share gains at most one unit (shares are floors of quotas, below the u64 total, and
// the leftover gives one each), and `at_threshold` is only decremented while positive.
#[allow(clippy::arithmetic_side_effects)]
fn give_to_largest<K: Copy + Ord, W: Wide>(
    shares: &mut [u64],
    keys: &[K],
    remainders: &[W],
    count: usize,
) {
    let zero = W::default();
    let mut pool: Vec<K> = keys
        .iter()
        .zip(remainders)
        .filter(|(_, remainder)| **remainder != zero)
        .map(|(key, _)| *key)
        .collect();
    // With count ≥ eligible parts every eligible part wins: the threshold is the smallest key.
    let threshold = match count.checked_sub(1) {
        None => return,
        Some(nth) if nth < pool.len() => *pool.select_nth_unstable_by(nth, |a, b| b.cmp(a)).1,
        Some(_) => match pool.iter().copied().min() {
            Some(smallest) => smallest,
            None => return,
        },
    };
    drop(pool);
    // Both passes are written without branches on the keys, which are as good as random.
    let above: usize = keys
        .iter()
        .zip(remainders)
        .map(|(key, remainder)| usize::from((*key > threshold) & (*remainder != zero)))
        .sum();
    let mut at_threshold = count.saturating_sub(above);
    for ((share, key), remainder) in shares.iter_mut().zip(keys).zip(remainders) {
        let eligible = *remainder != zero;
        let take_tied = eligible & (*key == threshold) & (at_threshold > 0);
        *share += u64::from(eligible & (*key > threshold)) + u64::from(take_tied);
        at_threshold -= usize::from(take_tied);
    }
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
    }
}
