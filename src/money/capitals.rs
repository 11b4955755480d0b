//! Amounts in Chinese capitals (大写金额), per the People's Bank rules for bills
//! (支付结算办法, annex 1) and the basic accounting work rules (会计基础工作规范, art. 52).

use serde::{Deserialize, Serialize};

use super::Yuan;

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACE_UNITS: [&str; 4] = ["", "拾", "佰", "仟"];

/// Choices the rules leave open when writing an amount in Chinese capitals.
///
/// The default writes neither the 人民币 prefix nor 整 after 角, which is the form
/// [`Yuan::to_chinese_upper`] gives.
///
/// # Example
///
/// ```
/// use landpool::{CapitalsStyle, Yuan};
///
/// let amount = Yuan::from_fen(30);
/// assert_eq!(amount.to_chinese_upper_with(CapitalsStyle::default()), "叁角");
/// let receipt = CapitalsStyle { currency_prefix: true, zheng_after_jiao: true };
/// assert_eq!(amount.to_chinese_upper_with(receipt), "人民币叁角整");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct CapitalsStyle {
    /// Write 人民币 before the amount, for forms that print no currency name.
    pub currency_prefix: bool,
    /// Write 整 after an amount that ends at 角 (the accounting rule does; the bank rule
    /// leaves it optional). An amount that ends at 元 always gets 整, one with 分 never does.
    pub zheng_after_jiao: bool,
}

/// Writes `amount` in capitals.
pub(super) fn write(amount: Yuan, style: CapitalsStyle) -> String {
    let magnitude = amount.fen().unsigned_abs();
    let yuan = magnitude / 100;
    let jiao = magnitude / 10 % 10;
    let fen = magnitude % 10;
    let mut out = String::with_capacity(64);
    if style.currency_prefix {
        out.push_str("人民币");
    }
    if amount.is_negative() {
        out.push('负');
    }
    if yuan > 0 {
        write_integer(yuan, &mut out);
        out.push('元');
    }
    match (jiao, fen) {
        (0, 0) => {
            if yuan == 0 {
                out.push_str("零元");
            }
            out.push('整');
        }
        (0, _) => {
            if yuan > 0 {
                out.push('零');
            }
            push_digit(fen, &mut out);
            out.push('分');
        }
        (_, _) => {
            if yuan > 0 && yuan.is_multiple_of(10) {
                out.push('零');
            }
            push_digit(jiao, &mut out);
            out.push('角');
            if fen > 0 {
                push_digit(fen, &mut out);
                out.push('分');
            } else if style.zheng_after_jiao {
                out.push('整');
            }
        }
    }
    out
}

/// Writes a whole number above zero: groups of four digits joined by 万 and 亿; a group of
/// 亿 that is itself 亿 or more nests (亿亿). A run of zeros inside the number is one 零,
/// except zeros at the end of a group before a non-zero 仟 of the next (壹拾万柒仟).
fn write_integer(value: u64, out: &mut String) {
    const YI: u64 = 100_000_000;
    const WAN: u64 = 10_000;
    let (high, low, unit, lead_threshold) = if value >= YI {
        (value / YI, value % YI, '亿', YI / 10)
    } else if value >= WAN {
        (value / WAN, value % WAN, '万', WAN / 10)
    } else {
        write_group(value, out);
        return;
    };
    write_integer(high, out);
    out.push(unit);
    if low == 0 {
        return;
    }
    // A lower part that does not fill its top place starts with zeros: one 零 stands for them.
    // So does a 亿 group of zeros between a higher group (万亿, 亿亿) and the lower part: a
    // run of zeros inside the number, not zeros at the end of a group before its 仟.
    if low < lead_threshold || (unit == '亿' && high.is_multiple_of(WAN)) {
        out.push('零');
    }
    write_integer(low, out);
}

/// Writes 1..=9999 with its place units; inner runs of zeros become one 零, trailing zeros
/// nothing.
fn write_group(value: u64, out: &mut String) {
    let mut pending_zero = false;
    let mut started = false;
    for place in (0..4).rev() {
        let digit = value
            .checked_div(10_u64.pow(place))
            .unwrap_or(0)
            .checked_rem(10)
            .unwrap_or(0);
        if digit == 0 {
            pending_zero = started;
            continue;
        }
        if pending_zero {
            out.push('零');
        }
        push_digit(digit, out);
        out.push_str(PLACE_UNITS.get(place as usize).copied().unwrap_or(""));
        started = true;
        pending_zero = false;
    }
}

fn push_digit(digit: u64, out: &mut String) {
    let index = usize::try_from(digit % 10).unwrap_or(0);
    out.push(DIGITS.get(index).copied().unwrap_or('零'));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(text: &str) -> String {
        text.parse::<Yuan>()
            .map(Yuan::to_chinese_upper)
            .unwrap_or_default()
    }

    #[test]
    fn domain_examples() {
        assert_eq!(upper("1409.50"), "壹仟肆佰零玖元伍角");
        assert_eq!(upper("6007.14"), "陆仟零柒元壹角肆分");
        assert_eq!(upper("1680.32"), "壹仟陆佰捌拾元零叁角贰分");
        assert_eq!(upper("107000.53"), "壹拾万柒仟元零伍角叁分");
        assert_eq!(upper("16409.02"), "壹万陆仟肆佰零玖元零贰分");
        assert_eq!(upper("100000"), "壹拾万元整");
        assert_eq!(upper("0"), "零元整");
    }

    #[test]
    fn whole_jiao_and_fen_only() {
        assert_eq!(upper("1000"), "壹仟元整");
        assert_eq!(upper("10"), "壹拾元整");
        assert_eq!(upper("110"), "壹佰壹拾元整");
        assert_eq!(upper("0.30"), "叁角");
        assert_eq!(upper("0.32"), "叁角贰分");
        assert_eq!(upper("0.02"), "贰分");
        assert_eq!(upper("5.60"), "伍元陆角");
        assert_eq!(upper("20.60"), "贰拾元零陆角");
        assert_eq!(upper("1350"), "壹仟叁佰伍拾元整");
        assert_eq!(upper("-0.05"), "负伍分");
    }

    #[test]
    fn runs_of_zeros_across_wan_and_yi() {
        assert_eq!(upper("100700"), "壹拾万零柒佰元整");
        assert_eq!(upper("1001"), "壹仟零壹元整");
        assert_eq!(upper("10001"), "壹万零壹元整");
        assert_eq!(upper("100000001"), "壹亿零壹元整");
        assert_eq!(upper("101000000"), "壹亿零壹佰万元整");
        assert_eq!(upper("110000000"), "壹亿壹仟万元整");
        assert_eq!(upper("100010000"), "壹亿零壹万元整");
        assert_eq!(upper("1000000000000"), "壹万亿元整");
        assert_eq!(upper("1000000000001.01"), "壹万亿零壹元零壹分");
        assert_eq!(upper("1200003000000"), "壹万贰仟亿零叁佰万元整");
        assert_eq!(upper("10000000000000000"), "壹亿亿元整");
    }

    /// A 亿 group that is all zeros, between a 万亿 and a non-zero 仟万, is a run of zeros
    /// inside the number: one 零, as a 万 group of zeros between 亿 and 仟 is (the 零 left
    /// out is only for zeros at the end of a group before a non-zero 仟, 壹拾万柒仟).
    #[test]
    fn a_whole_group_of_zeros_below_wan_yi_is_one_ling() {
        assert_eq!(upper("100005000"), "壹亿零伍仟元整");
        assert_eq!(upper("1000090028059"), "壹万亿零玖仟零贰万捌仟零伍拾玖元整");
        assert_eq!(upper("1000010000000"), "壹万亿零壹仟万元整");
        assert_eq!(
            upper("17000070200000.94"),
            "壹拾柒万亿零柒仟零贰拾万元零玖角肆分"
        );
        assert_eq!(upper("10000000090000000"), "壹亿亿零玖仟万元整");
        assert_eq!(upper("10001000090000000"), "壹亿零壹万亿零玖仟万元整");
        // Zeros only at the end of the 万亿 group's own digits: no whole group between.
        assert_eq!(upper("1200003000000"), "壹万贰仟亿零叁佰万元整");
        assert_eq!(upper("1234500000000"), "壹万贰仟叁佰肆拾伍亿元整");
        assert_eq!(upper("1230090000000"), "壹万贰仟叁佰亿玖仟万元整");
    }

    /// The edge amounts a receipt can carry, in the People's Bank's form.
    #[test]
    fn edge_amounts() {
        assert_eq!(upper("0.00"), "零元整");
        assert_eq!(upper("0.05"), "伍分");
        assert_eq!(upper("10.00"), "壹拾元整");
        assert_eq!(upper("100000.01"), "壹拾万元零壹分");
        assert_eq!(upper("1000000000.10"), "壹拾亿元零壹角");
        assert_eq!(upper("-100000.01"), "负壹拾万元零壹分");
        let receipt = CapitalsStyle {
            currency_prefix: true,
            zheng_after_jiao: true,
        };
        assert_eq!(
            Yuan::from_fen(100_000_000_010).to_chinese_upper_with(receipt),
            "人民币壹拾亿元零壹角整"
        );
        assert_eq!(
            Yuan::from_fen(-5).to_chinese_upper_with(receipt),
            "人民币负伍分"
        );
    }

    /// The capitals worked out digit by digit, from the top: a non-zero digit after zeros
    /// gets a 零 unless the zeros are the end of the group of the digit before, and it is
    /// the 仟 of the next group; 万 and 亿 close their groups (亿 after every place from 亿 up
    /// is written once, at the 亿 place, and again at 亿亿).
    fn model(fen: i64) -> String {
        let magnitude = fen.unsigned_abs();
        let (yuan, jiao, fen_digit) = (magnitude / 100, magnitude / 10 % 10, magnitude % 10);
        let digit = |d: u64| DIGITS[d as usize];
        let mut out = String::from(if fen < 0 { "负" } else { "" });
        let text = yuan.to_string();
        let places = text.len();
        let group_of = |p: usize| -> u64 {
            let lo = 10_u64.pow(p as u32);
            yuan / lo % 10_000
        };
        let mut previous: Option<usize> = None;
        for (i, ch) in text.bytes().enumerate() {
            let p = places - 1 - i;
            let d = u64::from(ch - b'0');
            if yuan > 0 && d > 0 {
                if let Some(prev) = previous {
                    if prev != p + 1 && !(p % 4 == 3 && prev / 4 == (p + 1) / 4) {
                        out.push('零');
                    }
                }
                out.push(digit(d));
                out.push_str(PLACE_UNITS[p % 4]);
                previous = Some(p);
            }
            match p {
                4 | 12 if group_of(p) > 0 => out.push('万'),
                8 => out.push('亿'),
                16 if yuan / 10_u64.pow(16) > 0 => out.push('亿'),
                _ => {}
            }
        }
        if yuan > 0 {
            out.push('元');
        }
        match (jiao, fen_digit) {
            (0, 0) if yuan == 0 => out.push_str("零元整"),
            (0, 0) => out.push('整'),
            (0, f) => {
                if yuan > 0 {
                    out.push('零');
                }
                out.push(digit(f));
                out.push('分');
            }
            (j, f) => {
                if yuan > 0 && yuan % 10 == 0 {
                    out.push('零');
                }
                out.push(digit(j));
                out.push('角');
                if f > 0 {
                    out.push(digit(f));
                    out.push('分');
                }
            }
        }
        out
    }

    proptest::proptest! {
        /// Every amount, with digits sparse enough that runs of zeros cross 万, 亿, 万亿 and
        /// 亿亿, is written as the digit-by-digit model writes it.
        #[test]
        fn capitals_are_the_digit_by_digit_model(
            digits in proptest::collection::vec(
                proptest::prop_oneof![4 => proptest::strategy::Just(0_u8), 1 => 1_u8..10],
                1..20,
            ),
            negative in proptest::bool::ANY,
        ) {
            let fen = digits
                .iter()
                .try_fold(0_i64, |n, d| n.checked_mul(10)?.checked_add(i64::from(*d)));
            if let Some(fen) = fen {
                let fen = if negative { -fen } else { fen };
                proptest::prop_assert_eq!(Yuan::from_fen(fen).to_chinese_upper(), model(fen));
            }
        }
    }

    #[test]
    fn largest_and_smallest_values() {
        assert_eq!(
            Yuan::MAX.to_chinese_upper(),
            "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分"
        );
        assert_eq!(
            Yuan::MIN.to_chinese_upper(),
            "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分"
        );
    }

    #[test]
    fn style_options() {
        let style = CapitalsStyle {
            currency_prefix: true,
            zheng_after_jiao: true,
        };
        let amount = Yuan::from_fen(140_950);
        assert_eq!(
            amount.to_chinese_upper_with(style),
            "人民币壹仟肆佰零玖元伍角整"
        );
        assert_eq!(
            Yuan::from_fen(140_951).to_chinese_upper_with(style),
            "人民币壹仟肆佰零玖元伍角壹分"
        );
        assert_eq!(Yuan::ZERO.to_chinese_upper_with(style), "人民币零元整");
    }
}
