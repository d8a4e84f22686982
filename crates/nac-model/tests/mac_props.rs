//! MacAddress: parse <-> format in every style, any case; arbitrary text never panics.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use nac_model::{CalledStationId, HexCase, MacAddress, MacFormat, Separator};
use proptest::prelude::*;

fn styles() -> Vec<MacFormat> {
    let mut v = MacFormat::ALL.to_vec();
    v.push(MacFormat::new(Separator::Space, HexCase::Lower));
    v.push(MacFormat::new(Separator::Space, HexCase::Upper));
    v.push(MacFormat::new(Separator::Dot, HexCase::Upper));
    v
}

proptest! {
    #[test]
    fn every_style_round_trips(octets in any::<[u8; 6]>(), flips in any::<u32>()) {
        let mac = MacAddress::new(octets);
        for style in styles() {
            let text = mac.format(style);
            prop_assert_eq!(text.parse::<MacAddress>().unwrap(), mac, "{}", text);
            // Case never matters on input.
            let mixed: String = text
                .chars()
                .enumerate()
                .map(|(i, c)| if flips >> (i % 32) & 1 == 1 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                .collect();
            prop_assert_eq!(mixed.parse::<MacAddress>().unwrap(), mac);
            // Output has exactly the style's shape and case.
            let digits = text.chars().filter(char::is_ascii_hexdigit).count();
            prop_assert_eq!(digits, 12);
            match style.case {
                HexCase::Lower => prop_assert!(!text.chars().any(|c| c.is_ascii_uppercase())),
                HexCase::Upper => prop_assert!(!text.chars().any(|c| c.is_ascii_lowercase())),
            }
        }
        prop_assert_eq!(mac.to_string(), mac.format(MacFormat::COLON_LOWER));
        let json = serde_json::to_string(&mac).unwrap();
        prop_assert_eq!(serde_json::from_str::<MacAddress>(&json).unwrap(), mac);
        let called = CalledStationId::new(mac, Some("ssid:with:colons"));
        prop_assert_eq!(CalledStationId::parse(&called.raw), called);
    }

    #[test]
    fn arbitrary_text_is_an_error_or_a_mac(s in "\\PC{0,24}") {
        if let Ok(mac) = s.parse::<MacAddress>() {
            // Whatever parsed re-parses from its canonical spelling.
            prop_assert_eq!(mac.to_string().parse::<MacAddress>().unwrap(), mac);
            prop_assert!(s.len() >= 12 && s.len() <= 17);
        }
        let _ = CalledStationId::parse(&s);
    }

    #[test]
    fn hexish_text_never_panics(s in "[0-9a-fA-F:.\\- ]{0,20}") {
        let _ = s.parse::<MacAddress>();
    }
}
