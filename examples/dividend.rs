//! Splits a year's surplus the way DOMAIN.md's worked example does, exact to the fen.
//!
//! Surplus 400,000.00; reserve 10% = 40,000.00; distributable 360,000.00; 70% returned by
//! transaction volume (here: land pooled, in mu) = 252,000.00; the other 108,000.00 by capital
//! contributions. Each member's amount is printed in figures and in Chinese capitals.
//!
//! Run: `cargo run --example dividend` (the built-in members), or
//! `cargo run --example dividend -- SURPLUS` to split another surplus among them.

use landpool::{allocate, Rounding, Yuan};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// (member, land pooled in mu, capital contributed in yuan): illustrative households.
const MEMBERS: [(&str, &str, &str); 6] = [
    ("王建国", "12.35", "20000.00"),
    ("李秀英", "8.60", "10000.00"),
    ("张德明", "15.05", "30000.00"),
    ("刘桂兰", "6.40", "5000.00"),
    ("陈志强", "9.75", "15000.00"),
    ("高格庄村集体", "0.00", "50000.00"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let surplus: Yuan = match std::env::args().nth(1) {
        Some(text) => text.parse()?,
        None => "400,000.00".parse()?,
    };
    let reserve = surplus.checked_mul_rate(dec!(0.10), Rounding::HalfAwayFromZero)?;
    let distributable = surplus.checked_sub(reserve)?;
    // Patronage first, at 70%; the remainder is what is left, so the two add back exactly.
    let patronage = distributable.checked_mul_rate(dec!(0.70), Rounding::HalfAwayFromZero)?;
    let remaining = distributable.checked_sub(patronage)?;

    let land: Vec<Decimal> = MEMBERS
        .iter()
        .map(|m| m.1.parse())
        .collect::<Result<_, _>>()?;
    let capital: Vec<Decimal> = MEMBERS
        .iter()
        .map(|m| m.2.parse())
        .collect::<Result<_, _>>()?;
    let by_land = allocate(patronage, &land)?;
    let by_capital = allocate(remaining, &capital)?;

    println!("盈余 surplus            {surplus:>14}");
    println!("提取盈余公积 reserve 10% {reserve:>14}");
    println!("可分配盈余 distributable {distributable:>14}");
    println!("按交易量返还 patronage 70% {patronage:>12}  (by land pooled, mu)");
    println!("剩余盈余 remaining 30%   {remaining:>14}  (by capital contributed)");
    println!();
    println!(
        "{:<14} {:>8} {:>12} {:>12} {:>12}  大写",
        "member", "mu", "patronage", "remaining", "total"
    );
    let mut check = Yuan::ZERO;
    for ((member, returned), share) in MEMBERS.iter().zip(&by_land).zip(&by_capital) {
        let total = returned.checked_add(*share)?;
        check = check.checked_add(total)?;
        println!(
            "{:<14} {:>8} {:>12} {:>12} {:>12}  {}",
            member.0,
            member.1,
            returned,
            share,
            total,
            total.to_chinese_upper()
        );
    }
    println!();
    println!(
        "members' total {check} = distributable {distributable}: {}",
        check == distributable
    );
    if check != distributable {
        return Err("the parts do not add back to the distributable surplus".into());
    }
    Ok(())
}
