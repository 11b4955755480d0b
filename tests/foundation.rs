//! Properties of the foundation types: Yuan, Mu, allocation and Chinese capitals.

use landpool::{allocate, allocate_with, Mu, Remainder, Rounding, Yuan};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Reads an amount written in Chinese capitals back into fen, so that the writer can be
/// checked against the number it was given (an independent reader, not the writer's code).
fn read_capitals(text: &str) -> Option<i128> {
    let (negative, text) = match text.strip_prefix('负') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mut big, mut mid, mut section, mut number) = (0_i128, 0_i128, 0_i128, 0_i128);
    let mut yuan = None;
    let (mut jiao, mut fen) = (0_i128, 0_i128);
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        let digit = "零壹贰叁肆伍陆柒捌玖".chars().position(|d| d == ch);
        match (ch, digit) {
            (_, Some(d)) => {
                number = d as i128;
                match chars.peek() {
                    Some('角') => {
                        jiao = number;
                        number = 0;
                        chars.next();
                    }
                    Some('分') => {
                        fen = number;
                        number = 0;
                        chars.next();
                    }
                    _ => {}
                }
            }
            ('拾', _) => {
                section += number * 10;
                number = 0;
            }
            ('佰', _) => {
                section += number * 100;
                number = 0;
            }
            ('仟', _) => {
                section += number * 1000;
                number = 0;
            }
            ('万', _) => {
                mid = (section + number) * 10_000;
                section = 0;
                number = 0;
            }
            ('亿', _) => {
                big = (big + mid + section + number) * 100_000_000;
                mid = 0;
                section = 0;
                number = 0;
            }
            ('元', _) => {
                yuan = Some(big + mid + section + number);
                number = 0;
            }
            ('整', _) => {}
            _ => return None,
        }
    }
    let total = yuan.unwrap_or(0) * 100 + jiao * 10 + fen;
    Some(if negative { -total } else { total })
}

fn any_yuan() -> impl Strategy<Value = Yuan> {
    prop_oneof![
        any::<i64>().prop_map(Yuan::from_fen),
        (-10_000_000_i64..10_000_000).prop_map(Yuan::from_fen),
        // Amounts with many zeros inside, to exercise the 零 rules.
        (0_u32..19, 0_u32..19, 1_i64..10).prop_map(|(a, b, d)| {
            let value = 10_i64
                .saturating_pow(a)
                .saturating_add(d.saturating_mul(10_i64.saturating_pow(b)));
            Yuan::from_fen(value)
        }),
    ]
}

fn weights() -> impl Strategy<Value = Vec<Decimal>> {
    prop::collection::vec((0_i64..1_000_000, 0_u32..5), 1..40).prop_map(|raw| {
        let mut weights: Vec<Decimal> = raw.into_iter().map(|(m, s)| Decimal::new(m, s)).collect();
        if weights.iter().all(Decimal::is_zero) {
            weights[0] = Decimal::ONE;
        }
        weights
    })
}

/// total × w_i and Σw, as integers at the weights' common scale.
fn exact_quotas(total: i64, weights: &[Decimal]) -> (Vec<i128>, i128) {
    let scale = weights.iter().map(Decimal::scale).max().unwrap_or(0);
    let ints: Vec<i128> = weights
        .iter()
        .map(|w| w.mantissa() * 10_i128.pow(scale - w.scale()))
        .collect();
    let sum: i128 = ints.iter().sum();
    (ints.iter().map(|w| i128::from(total) * w).collect(), sum)
}

/// The leftover fen given by sorting, as the rules are documented: an independent oracle
/// for the linear-time selection `allocate_with` uses.
fn allocate_by_sorting(total: i64, weights: &[Decimal], rule: Remainder) -> Vec<i64> {
    let magnitude = i128::from(total).abs();
    let (numerators, denominator) = exact_quotas(1, weights);
    let numerators: Vec<i128> = numerators.iter().map(|n| n * magnitude).collect();
    let mut parts: Vec<i128> = numerators.iter().map(|n| n / denominator).collect();
    let leftover = magnitude - parts.iter().sum::<i128>();
    let mut eligible: Vec<usize> = (0..weights.len())
        .filter(|&i| numerators[i] % denominator != 0)
        .collect();
    match rule {
        Remainder::FirstN => {}
        // Stable sorts: equal keys stay in list order.
        Remainder::LargestRemainder => {
            eligible.sort_by_key(|&i| std::cmp::Reverse(numerators[i] % denominator))
        }
        Remainder::LargestWeight => eligible.sort_by_key(|&i| std::cmp::Reverse(numerators[i])),
    }
    for &i in eligible.iter().take(leftover as usize) {
        parts[i] += 1;
    }
    parts
        .into_iter()
        .map(|p| i64::try_from(if total < 0 { -p } else { p }).unwrap())
        .collect()
}

/// Long weight lists (beyond the selection's 4,096 buckets; products in 64 and 128 bits), some made of a few values only
/// so that remainders and weights tie often.
fn long_weights() -> impl Strategy<Value = Vec<Decimal>> {
    prop_oneof![
        prop::collection::vec(0_i64..4, 1..12_000),
        prop::collection::vec(0_i64..2_000_000, 1..12_000),
        // Products beyond 64 bits: the 128-bit path.
        prop::collection::vec(0_i64..1_000_000_000_000_000, 1..12_000),
        prop::collection::vec(
            prop_oneof![Just(0_i64), Just(7), Just(1_000_000_007)],
            1..12_000
        ),
    ]
    .prop_flat_map(|mantissas| {
        (Just(mantissas), 0_u32..4).prop_map(|(mantissas, scale)| {
            let mut weights: Vec<Decimal> = mantissas
                .into_iter()
                .map(|m| Decimal::new(m, scale))
                .collect();
            if weights.iter().all(Decimal::is_zero) {
                weights[0] = Decimal::ONE;
            }
            weights
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn allocation_gives_the_leftover_as_documented(
        total in -10_000_000_000_i64..10_000_000_000,
        weights in long_weights(),
        rule in prop_oneof![Just(Remainder::LargestRemainder), Just(Remainder::FirstN), Just(Remainder::LargestWeight)],
    ) {
        let parts = allocate_with(Yuan::from_fen(total), &weights, rule)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let fen: Vec<i64> = parts.iter().map(|p| p.fen()).collect();
        prop_assert_eq!(fen, allocate_by_sorting(total, &weights, rule));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn display_then_parse_is_identity(amount in any_yuan()) {
        let text = amount.to_string();
        prop_assert_eq!(text.parse::<Yuan>(), Ok(amount));
        prop_assert_eq!(Yuan::from_fen(amount.fen()), amount);
    }

    #[test]
    fn parse_accepts_separators_and_currency(amount in any_yuan()) {
        // Write the amount as an accountant would: ¥ and thousands separators.
        let text = amount.to_string();
        let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |d| ("-", d));
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
        let mut grouped = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        let written = format!("{sign}¥{grouped}.{fraction}");
        prop_assert_eq!(written.parse::<Yuan>(), Ok(amount));
    }

    #[test]
    fn serde_round_trip(amount in any_yuan()) {
        let json = serde_json::to_string(&amount).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&json, &format!("\"{amount}\""));
        let back: Yuan = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, amount);
    }

    #[test]
    fn mu_round_trips(units in any::<u64>()) {
        let area = Mu::from_ten_thousandths(units);
        prop_assert_eq!(area.to_string().parse::<Mu>(), Ok(area));
        let json = serde_json::to_string(&area).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(serde_json::from_str::<Mu>(&json).ok(), Some(area));
        prop_assert_eq!(Mu::try_from_decimal(area.to_decimal()), Ok(area));
    }

    #[test]
    fn capitals_read_back_to_the_amount(amount in any_yuan()) {
        let text = amount.to_chinese_upper();
        prop_assert_eq!(read_capitals(&text), Some(i128::from(amount.fen())), "{}", text);
        for forbidden in ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '另', '毛'] {
            prop_assert!(!text.contains(forbidden), "{} contains {}", text, forbidden);
        }
        prop_assert!(text.ends_with('整') || text.ends_with('角') || text.ends_with('分'), "{}", text);
        prop_assert!(!text.contains("零零"), "{}", text);
        prop_assert!(!text.contains("零元") || text == "零元整" || text == "负零元整", "{}", text);
    }

    #[test]
    fn allocation_adds_back_and_stays_within_a_fen(
        total in -10_000_000_000_i64..10_000_000_000,
        weights in weights(),
        rule in prop_oneof![Just(Remainder::LargestRemainder), Just(Remainder::FirstN), Just(Remainder::LargestWeight)],
    ) {
        let parts = allocate_with(Yuan::from_fen(total), &weights, rule)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(parts.len(), weights.len());
        let sum: i64 = parts.iter().map(|p| p.fen()).sum();
        prop_assert_eq!(sum, total);
        let (numerators, denominator) = exact_quotas(total, &weights);
        for ((part, numerator), weight) in parts.iter().zip(&numerators).zip(&weights) {
            // part is floor or ceil of numerator / denominator: |part × d − n| < d.
            let gap = i128::from(part.fen()) * denominator - numerator;
            prop_assert!(gap.abs() < denominator, "part {} for weight {}", part, weight);
            if weight.is_zero() {
                prop_assert!(part.is_zero());
            }
        }
    }

    #[test]
    fn permuting_weights_permutes_parts(
        total in 0_i64..10_000_000_000,
        weights in weights(),
        seed in any::<u64>(),
    ) {
        let mut order: Vec<usize> = (0..weights.len()).collect();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let permuted: Vec<Decimal> = order.iter().map(|&i| weights[i]).collect();
        let original = allocate(Yuan::from_fen(total), &weights).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let shuffled = allocate(Yuan::from_fen(total), &permuted).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (numerators, denominator) = exact_quotas(total, &weights);
        let remainders: Vec<i128> = numerators.iter().map(|n| n % denominator).collect();
        for (position, &index) in order.iter().enumerate() {
            let tied = remainders.iter().enumerate().any(|(j, r)| j != index && *r == remainders[index] && *r != 0);
            if tied {
                // The documented tie-break (first in the list) may give the fen to another
                // part with the same remainder: still within a fen.
                prop_assert!((shuffled[position].fen() - original[index].fen()).abs() <= 1);
            } else {
                prop_assert_eq!(shuffled[position], original[index]);
            }
        }
    }

    #[test]
    fn area_split_adds_back(units in 0_u64..100_000_000_000, weights in weights()) {
        let whole = Mu::from_ten_thousandths(units);
        let parts = whole.split(&weights).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(Mu::checked_sum(parts), Ok(whole));
    }

    #[test]
    fn rounding_a_product_lands_within_a_fen(fen in -1_000_000_000_i64..1_000_000_000, rate_m in -10_000_000_i64..10_000_000, scale in 0_u32..8) {
        let rate = Decimal::new(rate_m, scale);
        let amount = Yuan::from_fen(fen);
        let exact = amount.to_decimal() * rate;
        for rounding in Rounding::ALL {
            let rounded = amount.checked_mul_rate(rate, rounding).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!((rounded.to_decimal() - exact).abs() < Decimal::new(1, 2));
        }
        let half = amount.checked_mul_rate(rate, Rounding::HalfAwayFromZero).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!((half.to_decimal() - exact).abs() <= Decimal::new(5, 3));
    }
}

/// rust_decimal's strategy for each named rounding: an independent oracle.
fn oracle(rounding: Rounding) -> rust_decimal::RoundingStrategy {
    use rust_decimal::RoundingStrategy as S;
    match rounding {
        Rounding::HalfAwayFromZero => S::MidpointAwayFromZero,
        Rounding::HalfEven => S::MidpointNearestEven,
        Rounding::TowardZero => S::ToZero,
        Rounding::AwayFromZero => S::AwayFromZero,
        Rounding::Floor => S::ToNegativeInfinity,
        Rounding::Ceiling => S::ToPositiveInfinity,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Each named rounding rounds the exact product the way its name says, to the fen: the
    /// same fen as rust_decimal's strategy of that name gives (products and quotients here
    /// stay within its 28 digits, so its result is exact before rounding). Exact halves are
    /// drawn often, so that the half-way rules are told apart.
    #[test]
    fn each_named_rounding_rounds_as_named(
        fen in -1_000_000_000_i64..1_000_000_000,
        rate_m in prop_oneof![-10_000_000_i64..10_000_000, Just(5), Just(-5), Just(15), Just(25)],
        scale in 0_u32..8,
        divisor in prop_oneof![Just(1_i64), Just(2), Just(4), Just(3), Just(7), Just(365), Just(366), Just(-8)],
    ) {
        let rate = Decimal::new(rate_m, scale);
        let amount = Yuan::from_fen(fen);
        let exact = amount.to_decimal() * rate;
        for rounding in Rounding::ALL {
            let rounded = amount.checked_mul_rate(rate, rounding).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(rounded.to_decimal(), exact.round_dp_with_strategy(2, oracle(rounding)), "{:?} of {}", rounding, exact);
            // The product over a divisor: exact in 28 digits only when it divides evenly at
            // some scale; otherwise compare with the two fen either side.
            let divisor = Decimal::from(divisor);
            let quotient = Yuan::from_product(&[amount.to_decimal(), rate], divisor, rounding).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let q = exact / divisor;
            let expected = q.round_dp_with_strategy(2, oracle(rounding));
            if q * divisor == exact {
                prop_assert_eq!(quotient.to_decimal(), expected, "{:?} of {} / {}", rounding, exact, divisor);
            } else {
                prop_assert!((quotient.to_decimal() - q).abs() < Decimal::new(1, 2), "{:?} of {} / {}", rounding, exact, divisor);
            }
        }
    }
}

#[test]
fn capitals_reader_agrees_with_the_domain_examples() {
    assert_eq!(read_capitals("壹拾万柒仟元零伍角叁分"), Some(10_700_053));
    assert_eq!(read_capitals("壹拾万零柒仟元伍角叁分"), Some(10_700_053));
    assert_eq!(read_capitals("壹仟陆佰捌拾元叁角贰分"), Some(168_032));
}
