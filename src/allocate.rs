//! Splitting a total among parts in proportion to weights, exact to the fen.
//!
//! A total split among members (a dividend), periods (rent over a part-year) or greenhouses (a
//! shared cost) must add back to the total exactly. [`allocate`] does this by the
//! largest-remainder (Hamilton) method:
//!
//! 1. Each part's exact quota is `total × weight ÷ sum of weights`, computed with integers
//!    (no floats, no rounding): weights are brought to a common decimal scale and the products
//!    are carried in 64, 128 or, when needed, 256 bits, so no total and weights the types can hold
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
/// See the [module documentation](mod@crate::allocate) for the method and its tie-break.
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
    let magnitude = total.unsigned_abs();
    // The common case first: every weight written with the same number of decimals, none
    // negative, and every product and the sum inside 64 bits. Anything else (including an
    // error to report) takes the general pass below.
    if let Some((scale, sum, largest)) = narrow_sum(weights) {
        if sum > 0 && fits_u64(magnitude, u128::from(largest)) {
            let shares = hamilton::<u64>(magnitude, weights, scale, sum, rule);
            return Ok(signed(total, shares));
        }
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
    Ok(signed(total, shares))
}

/// The scale, sum and largest mantissa of `weights` when they all share one scale, none is
/// negative (or negative zero) and the sum fits in 64 bits; `None` otherwise.
fn narrow_sum(weights: &[Decimal]) -> Option<(u32, u64, u64)> {
    let scale = weights.first()?.scale();
    let mut sum: u64 = 0;
    let mut largest: u64 = 0;
    for weight in weights {
        if weight.scale() != scale || weight.is_sign_negative() {
            return None;
        }
        let mantissa = u64::try_from(weight.mantissa()).ok()?;
        sum = sum.checked_add(mantissa)?;
        largest = largest.max(mantissa);
    }
    Some((scale, sum, largest))
}

/// The shares of the magnitude of `total` with its sign put back.
fn signed(total: i64, shares: Vec<u64>) -> Vec<i64> {
    // Every share is at most the magnitude, so it fits in i64 once the sign is back: a
    // positive total is at most i64::MAX, a negative one's magnitude at most 2^63.
    shares
        .into_iter()
        .map(|share| {
            if total < 0 {
                0_i64.wrapping_sub_unsigned(share)
            } else {
                i64::try_from(share).unwrap_or(i64::MAX)
            }
        })
        .collect()
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
    /// A divisor prepared for dividing many numbers by it.
    type Divisor: Copy;
    /// A non-negative weight as an integer at `scale` (≥ the weight's own scale), or `None`
    /// when it does not fit.
    fn rescale(weight: &Decimal, scale: u32) -> Option<Self>;
    fn from_u64(value: u64) -> Self;
    fn mul(self, other: Self) -> Self;
    /// `self − other`, for `other` ≤ `self`.
    fn minus(self, other: Self) -> Self;
    /// Prepares a positive divisor.
    fn divisor(self) -> Self::Divisor;
    /// Quotient (at most the total, so it fits in u64) and remainder.
    fn div_rem(self, divisor: Self::Divisor) -> (u64, Self);
    /// The number of significant bits.
    fn bits(self) -> u32;
    /// `self >> shift`, for a value known to be below 2^(shift + BUCKET_BITS).
    fn bucket(self, shift: u32) -> usize;
}

/// Dividing by one `u64` many times: a multiplication by its reciprocal and at most two
/// corrections instead of a hardware division each time (several times slower).
#[derive(Clone, Copy)]
struct U64Divisor {
    divisor: u64,
    /// ⌊(2^64 − 1) ÷ divisor⌋.
    reciprocal: u64,
}

impl Wide for u64 {
    type Divisor = U64Divisor;
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
    // Only called with a share × sum, at most the product total × weight it came from.
    #[allow(clippy::arithmetic_side_effects)]
    fn minus(self, other: Self) -> Self {
        self - other
    }
    fn divisor(self) -> U64Divisor {
        U64Divisor {
            divisor: self,
            reciprocal: u64::MAX.checked_div(self).unwrap_or(u64::MAX),
        }
    }
    // With M = 2^64 and r = ⌊(M − 1) ÷ d⌋ > (M − 1) ÷ d − 1, the estimate ⌊n·r ÷ M⌋ lies in
    // (n ÷ d − 2, n ÷ d]: it never exceeds the quotient (so n − estimate × d does not wrap)
    // and is at most two below it, which the two corrections add back.
    #[allow(clippy::arithmetic_side_effects)]
    fn div_rem(self, divisor: U64Divisor) -> (u64, Self) {
        let mut quotient = ((u128::from(self) * u128::from(divisor.reciprocal)) >> 64) as u64;
        let mut remainder = self - quotient * divisor.divisor;
        for _ in 0..2 {
            let more = u64::from(remainder >= divisor.divisor);
            quotient += more;
            remainder -= more * divisor.divisor;
        }
        (quotient, remainder)
    }
    fn bits(self) -> u32 {
        u64::BITS.saturating_sub(self.leading_zeros())
    }
    fn bucket(self, shift: u32) -> usize {
        usize::try_from(self.checked_shr(shift).unwrap_or(0)).unwrap_or(0)
    }
}

impl Wide for u128 {
    type Divisor = u128;
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
    // Only called with a share × sum, at most the product total × weight it came from.
    #[allow(clippy::arithmetic_side_effects)]
    fn minus(self, other: Self) -> Self {
        self - other
    }
    fn divisor(self) -> Self {
        self
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
    fn bits(self) -> u32 {
        Self::BITS.saturating_sub(self.leading_zeros())
    }
    fn bucket(self, shift: u32) -> usize {
        usize::try_from(self.checked_shr(shift).unwrap_or_default()).unwrap_or(0)
    }
}

impl Wide for U256 {
    type Divisor = U256;
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
    // Only called with a share × sum, at most the product total × weight it came from.
    #[allow(clippy::arithmetic_side_effects)]
    fn minus(self, other: Self) -> Self {
        self - other
    }
    fn divisor(self) -> Self {
        self
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
    fn bits(self) -> u32 {
        Self::BITS.saturating_sub(self.leading_zeros())
    }
    fn bucket(self, shift: u32) -> usize {
        usize::try_from(self.checked_shr(shift).unwrap_or_default()).unwrap_or(0)
    }
}

/// Hamilton's method for a non-negative total, in integers of width `W`.
///
/// Only the shares are kept: a part's remainder is recomputed from its weight and share
/// (one multiplication) where it is needed, which costs less than writing and reading a
/// second array as long as the weights.
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
    let divisor = sum.divisor();
    // The remainders are below the sum: their buckets by leading bits, for the largest
    // remainders, are counted while dividing.
    let shift = sum.bits().saturating_sub(BUCKET_BITS);
    let mut buckets = vec![0_usize; 1 << BUCKET_BITS];
    let mut shares = Vec::with_capacity(weights.len());
    let mut given: u64 = 0;
    for d in weights {
        let (quotient, remainder) = total_wide.mul(weight(d)).div_rem(divisor);
        given = given.saturating_add(quotient);
        shares.push(quotient);
        if let Some(tally) = buckets.get_mut(remainder.bucket(shift)) {
            *tally = tally.saturating_add(usize::from(remainder != W::default()));
        }
    }
    // Σ floor(quota) > total − n, so fewer than n units are left over, and at least as many
    // parts have a non-zero remainder (Σ remainders = leftover × sum, each below sum).
    let leftover = usize::try_from(total.saturating_sub(given)).unwrap_or(usize::MAX);
    if leftover == 0 {
        return shares;
    }
    // Whether a part's quota has a fraction: total × weight − share × sum ≠ 0.
    let fractional =
        |d: &Decimal, share: u64| total_wide.mul(weight(d)) != W::from_u64(share).mul(sum);
    match rule {
        Remainder::FirstN => {
            let mut left = leftover;
            for (share, d) in shares.iter_mut().zip(weights) {
                if left > 0 && fractional(d, *share) {
                    *share = share.saturating_add(1);
                    left = left.saturating_sub(1);
                }
            }
        }
        Remainder::LargestRemainder => {
            let remainder = |d: &Decimal, share: u64| {
                let product = total_wide.mul(weight(d));
                product.minus(W::from_u64(share).mul(sum))
            };
            let zero = W::default();
            give_to_largest(
                &mut shares,
                weights,
                leftover,
                &buckets,
                shift,
                |d, share| {
                    let key = remainder(d, share);
                    (key, key != zero)
                },
            );
        }
        Remainder::LargestWeight => {
            let largest = weights.iter().map(weight).max().unwrap_or_default();
            let shift = largest.bits().saturating_sub(BUCKET_BITS);
            let key = |d: &Decimal, share: u64| (weight(d), fractional(d, share));
            buckets.fill(0);
            for (d, share) in weights.iter().zip(&shares) {
                let (key, eligible) = key(d, *share);
                if let Some(tally) = buckets.get_mut(key.bucket(shift)) {
                    *tally = tally.saturating_add(usize::from(eligible));
                }
            }
            give_to_largest(&mut shares, weights, leftover, &buckets, shift, key);
        }
    }
    shares
}

/// Keys are counted in 2^BUCKET_BITS buckets by their leading bits to find the threshold.
const BUCKET_BITS: u32 = 12;

/// Adds one to the shares of the `count` parts with the largest keys among the eligible
/// ones; among equal keys, the first in the list win. `part` gives a part's key and whether
/// it is eligible from its weight and share; `buckets` counts the eligible keys by
/// `key >> shift`.
///
/// Linear time: the counts name the bucket holding the threshold key, a selection among
/// that bucket's keys finds it, and one pass gives.
// Each share gains at most one unit (shares are floors of quotas, below the u64 total, and
// the leftover gives one each); `above` never exceeds `count`, and `at_threshold` is only
// decremented while positive.
#[allow(clippy::arithmetic_side_effects)]
fn give_to_largest<W: Wide>(
    shares: &mut [u64],
    weights: &[Decimal],
    count: usize,
    buckets: &[usize],
    shift: u32,
    part: impl Fn(&Decimal, u64) -> (W, bool),
) {
    // The highest bucket at which the eligible keys counted from the top reach `count`; with
    // fewer eligible parts than `count`, every eligible part gets one.
    let mut above = 0;
    let mut threshold_bucket = None;
    for (bucket, tally) in buckets.iter().enumerate().rev() {
        if above + tally >= count {
            threshold_bucket = Some(bucket);
            break;
        }
        above += tally;
    }
    let Some(threshold_bucket) = threshold_bucket else {
        for (share, d) in shares.iter_mut().zip(weights) {
            *share += u64::from(part(d, *share).1);
        }
        return;
    };
    let mut pool: Vec<W> = weights
        .iter()
        .zip(shares.iter())
        .map(|(d, share)| part(d, *share))
        .filter(|(key, eligible)| *eligible && key.bucket(shift) == threshold_bucket)
        .map(|(key, _)| key)
        .collect();
    // 1 ≤ count − above ≤ the pool's size, by the choice of the bucket.
    let nth = count - above - 1;
    let Some(threshold) = pool
        .get(nth)
        .is_some()
        .then(|| *pool.select_nth_unstable_by(nth, |a, b| b.cmp(a)).1)
    else {
        return;
    };
    let above = above + pool.iter().filter(|key| **key > threshold).count();
    drop(pool);
    let mut at_threshold = count.saturating_sub(above);
    // Written without branches on the keys, which are as good as random.
    for (share, d) in shares.iter_mut().zip(weights) {
        let (key, eligible) = part(d, *share);
        let take_tied = eligible & (key == threshold) & (at_threshold > 0);
        *share += u64::from(eligible & (key > threshold)) + u64::from(take_tied);
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
    fn dividing_by_a_prepared_u64_matches_the_hardware() {
        let edges = [
            0,
            1,
            2,
            3,
            7,
            10,
            1 << 32,
            (1 << 32) + 1,
            u64::MAX / 3,
            (1 << 63) - 1,
            1 << 63,
            u64::MAX - 1,
            u64::MAX,
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut divisors: Vec<u64> = edges.iter().copied().filter(|d| *d > 0).collect();
        divisors.extend((0..200).map(|i| (next() >> (i % 64)).max(1)));
        for divisor in divisors {
            let prepared = divisor.divisor();
            let mut dividends = edges.to_vec();
            dividends.extend((0..200).map(|i| next() >> (i % 64)));
            dividends.extend([divisor - 1, divisor, divisor.saturating_add(1)]);
            dividends.extend([divisor.saturating_mul(2), divisor.saturating_mul(3) - 1]);
            for dividend in dividends {
                assert_eq!(
                    dividend.div_rem(prepared),
                    (dividend / divisor, dividend % divisor),
                    "{dividend} / {divisor}"
                );
            }
        }
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
