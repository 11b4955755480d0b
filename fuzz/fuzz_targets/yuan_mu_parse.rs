//! `Yuan` and `Mu` from arbitrary text: parsing never panics; what parses prints and parses
//! back to the same value (also through serde); capitals never panic.
#![no_main]

use landpool::{CapitalsStyle, Mu, Yuan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(yuan) = text.parse::<Yuan>() {
        let shown = yuan.to_string();
        assert_eq!(
            shown.parse::<Yuan>().ok(),
            Some(yuan),
            "Yuan {text:?} shown as {shown:?}"
        );
        let json = serde_json::to_string(&yuan).unwrap();
        assert_eq!(
            serde_json::from_str::<Yuan>(&json).ok(),
            Some(yuan),
            "Yuan json {json}"
        );
        assert_eq!(Yuan::try_from_decimal(yuan.to_decimal()).ok(), Some(yuan));
        let upper = yuan.to_chinese_upper();
        assert!(!upper.is_empty());
        for (currency_prefix, zheng_after_jiao) in [(true, true), (true, false), (false, true)] {
            let style = CapitalsStyle {
                currency_prefix,
                zheng_after_jiao,
            };
            assert!(!yuan.to_chinese_upper_with(style).is_empty());
        }
    }
    if let Ok(mu) = text.parse::<Mu>() {
        let shown = mu.to_string();
        assert_eq!(
            shown.parse::<Mu>().ok(),
            Some(mu),
            "Mu {text:?} shown as {shown:?}"
        );
        let json = serde_json::to_string(&mu).unwrap();
        assert_eq!(
            serde_json::from_str::<Mu>(&json).ok(),
            Some(mu),
            "Mu json {json}"
        );
        assert_eq!(Mu::try_from_decimal(mu.to_decimal()).ok(), Some(mu));
        let _ = mu.to_hectares();
        let _ = mu.to_square_meters();
    }
    // The serde forms of arbitrary JSON: Ok or Err, never a panic.
    let _ = serde_json::from_slice::<Yuan>(data);
    let _ = serde_json::from_slice::<Mu>(data);
});
