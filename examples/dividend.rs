//! Splits a year's surplus the way DOMAIN.md's worked example does, exact to the fen.
//!
//! Surplus 400,000.00; reserve 10% = 40,000.00; distributable 360,000.00; 70% returned by
//! transaction volume (here: land pooled, in mu) = 252,000.00; the other 108,000.00 by capital
//! contributions. Each member's amount is printed in figures and in Chinese capitals.
//!
//! Usage:
//!
//! - `dividend`: the worked example's surplus, 400,000.00, split among the built-in members.
//! - `dividend SURPLUS`: another surplus in yuan (`400000`, `1,409.50`, `¥1,409.50`, `-1000`).
//!   A loss (a negative surplus) or a surplus of zero is shown as the year-end close treats
//!   it: nothing is drawn to the reserve and nothing is distributed (the loss stays in 332
//!   未分配盈余, to be covered first from later surpluses), so every member's amount is 0.00.
//! - `dividend -h` or `--help`: this usage.
//!
//! Run it with `cargo run --example dividend -- SURPLUS`. The exit status is 0 when the parts
//! add back to the distributable surplus, 1 when they do not or an amount overflows, 2 for a
//! usage error (an argument that is not an amount, or more than one).

use std::process::ExitCode;

use landpool::{allocate, Rounding, Yuan};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const USAGE: &str = "usage: dividend [SURPLUS]   split SURPLUS in yuan (default 400,000.00; e.g. 1,409.50, ¥1,409.50, -1000) among the built-in members";

/// (member, land pooled in mu, capital contributed in yuan): illustrative households.
const MEMBERS: [(&str, &str, &str); 6] = [
    ("王建国", "12.35", "20000.00"),
    ("李秀英", "8.60", "10000.00"),
    ("张德明", "15.05", "30000.00"),
    ("刘桂兰", "6.40", "5000.00"),
    ("陈志强", "9.75", "15000.00"),
    ("高格庄村集体", "0.00", "50000.00"),
];

/// What the command line asks for.
enum Args {
    /// Print the usage.
    Help,
    /// Split this surplus.
    Split(Yuan),
}

/// Reads the command line: at most one amount, or `-h`/`--help`. After a `--`, what follows
/// is an amount even if it starts with a minus sign. A usage error is returned as its message,
/// usage included.
fn args() -> Result<Args, String> {
    // Read as the OS gives them: an argument that is not UTF-8 is not an amount.
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(text) => args.push(text),
            Err(arg) => {
                return Err(format!(
                    "dividend: {:?} is not text, so not an amount\n{USAGE}",
                    arg
                ))
            }
        }
    }
    if args.first().is_some_and(|a| a == "--") {
        args.remove(0);
    } else if args.iter().any(|a| a == "-h" || a == "--help") {
        return Ok(Args::Help);
    } else if let Some(option) = args.iter().find(|a| a.starts_with("--")) {
        return Err(format!("dividend: unknown option {option}\n{USAGE}"));
    }
    match args.as_slice() {
        [] => "400,000.00"
            .parse()
            .map(Args::Split)
            .map_err(|e| format!("dividend: the default surplus: {e}")),
        [text] => text
            .parse()
            .map(Args::Split)
            .map_err(|e| format!("dividend: {e}\n{USAGE}")),
        [_, extra, ..] => Err(format!(
            "dividend: one surplus at most, but {extra:?} follows the first\n{USAGE}"
        )),
    }
}

fn main() -> ExitCode {
    let surplus = match args() {
        Ok(Args::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Args::Split(surplus)) => surplus,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match split(surplus) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dividend: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Splits `surplus` among [`MEMBERS`] and prints the split.
fn split(surplus: Yuan) -> Result<(), Box<dyn std::error::Error>> {
    // A loss year draws and distributes nothing, as the year-end close does: the reserve
    // and the shares are drawn from a surplus, and the loss stays undistributed.
    let drawn_from = surplus.max(Yuan::ZERO);
    let reserve = drawn_from.checked_mul_rate(dec!(0.10), Rounding::HalfAwayFromZero)?;
    let distributable = drawn_from.checked_sub(reserve)?;
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
    if surplus.is_negative() {
        // The loss as a positive amount: its digits without the sign (the largest loss has no
        // positive Yuan).
        let loss = surplus.to_string();
        println!(
            "a loss of {}: nothing is drawn or distributed; it stays in 332 未分配盈余 and later surpluses cover it first",
            loss.trim_start_matches('-')
        );
    } else if surplus == Yuan::ZERO {
        println!("no surplus: nothing is drawn or distributed");
    }
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
