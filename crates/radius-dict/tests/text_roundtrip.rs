//! proptest: text -> attribute -> text for every data type, with random values,
//! through the built-in dictionary and through the FreeRADIUS tree.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use proptest::prelude::*;
use radius_codec::{DataType, DecodeOptions, Packet, PacketBuilder, SharedSecret};
use radius_dict::{Dictionary, FsResolver, Hiding, Mode};

fn tree() -> Option<&'static Dictionary> {
    static TREE: OnceLock<Option<Dictionary>> = OnceLock::new();
    TREE.get_or_init(|| {
        let root = "/usr/share/freeradius/dictionary";
        if !std::path::Path::new(root).is_file() {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "{root} missing under CI"
            );
            return None;
        }
        Some(Dictionary::load(&FsResolver, root, Mode::Strict).unwrap().0)
    })
    .as_ref()
}

/// A sendable attribute of each data type (the first one the dictionary defines,
/// plain, without hidden-value or tag flags, not shadowed by another definition).
fn attr_of(dict: &Dictionary, dt: DataType) -> Option<String> {
    dict.attributes()
        .find(|a| {
            let k = a.addr();
            a.data_type() == dt
                && a.flags() == radius_dict::Flags::default()
                && a.fixed_len().is_none()
                && !(k.vendor().0 == 0 && k.path()[0] > 255)
                && k.path() != [80]
                && dict.attr_by_addr(k).is_some_and(|c| c.name() == a.name())
        })
        .map(|a| a.name().to_string())
}

fn text_for(dt: DataType) -> BoxedStrategy<String> {
    match dt {
        DataType::String => "[ -~]{1,60}"
            .prop_filter("no quotes/space ends", |s| s.trim() == s && !s.starts_with('"'))
            .boxed(),
        DataType::Octets => proptest::collection::vec(any::<u8>(), 1..60)
            .prop_map(|b| format!("0x{}", b.iter().map(|x| format!("{x:02x}")).collect::<String>()))
            .boxed(),
        DataType::IpAddr => any::<u32>().prop_map(|v| Ipv4Addr::from(v).to_string()).boxed(),
        DataType::Ipv6Addr => any::<u128>().prop_map(|v| Ipv6Addr::from(v).to_string()).boxed(),
        DataType::Ipv6Prefix => (any::<u128>(), 0u8..=128)
            .prop_map(|(v, l)| {
                let mask = u128::MAX.checked_shl(128 - u32::from(l)).unwrap_or(0);
                format!("{}/{l}", Ipv6Addr::from(v & mask))
            })
            .boxed(),
        DataType::Ipv4Prefix => (any::<u32>(), 0u8..=32)
            .prop_map(|(v, l)| {
                let mask = u32::MAX.checked_shl(32 - u32::from(l)).unwrap_or(0);
                format!("{}/{l}", Ipv4Addr::from(v & mask))
            })
            .boxed(),
        DataType::Integer => any::<u32>().prop_map(|v| v.to_string()).boxed(),
        // seconds, or a calendar date as FreeRADIUS prints one (years 1970..=2105 are
        // all in the 32-bit range)
        DataType::Date => prop_oneof![
            any::<u32>().prop_map(|v| v.to_string()),
            (
                1970u32..=2105,
                0usize..12,
                1u32..=28,
                0u32..24,
                0u32..60,
                0u32..60
            )
                .prop_map(|(y, m, d, h, mi, s)| {
                    const MONTHS: [&str; 12] = [
                        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
                    ];
                    format!("{} {d:>2} {y} {h:02}:{mi:02}:{s:02} UTC", MONTHS[m])
                }),
        ]
        .boxed(),
        DataType::Integer64 => any::<u64>().prop_map(|v| v.to_string()).boxed(),
        DataType::Signed => any::<i32>().prop_map(|v| v.to_string()).boxed(),
        DataType::Short => any::<u16>().prop_map(|v| v.to_string()).boxed(),
        DataType::Byte => any::<u8>().prop_map(|v| v.to_string()).boxed(),
        DataType::Ether => any::<[u8; 6]>()
            .prop_map(|m| m.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":"))
            .boxed(),
        DataType::Ifid => any::<[u16; 4]>()
            .prop_map(|m| m.iter().map(|b| format!("{b:04x}")).collect::<Vec<_>>().join(":"))
            .boxed(),
        DataType::ComboIp => prop_oneof![
            any::<u32>().prop_map(|v| Ipv4Addr::from(v).to_string()),
            any::<u128>().prop_map(|v| Ipv6Addr::from(v).to_string()),
        ]
        .boxed(),
        other => panic!("{other:?}"),
    }
}

const TYPES: [DataType; 15] = [
    DataType::String,
    DataType::Octets,
    DataType::IpAddr,
    DataType::Ipv6Addr,
    DataType::Ipv6Prefix,
    DataType::Ipv4Prefix,
    DataType::Integer,
    DataType::Integer64,
    DataType::Signed,
    DataType::Short,
    DataType::Byte,
    DataType::Date,
    DataType::Ifid,
    DataType::Ether,
    DataType::ComboIp,
];

/// A value of `dt` as text, drawn from its strategy with a reproducible seed.
fn sample(dt: DataType, seed: u64) -> String {
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = proptest::test_runner::TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &s);
    let mut runner = proptest::test_runner::TestRunner::new_with_rng(ProptestConfig::default(), rng);
    text_for(dt).new_tree(&mut runner).unwrap().current()
}

fn round_trip(dict: &Dictionary, name: &str, text: &str) -> Result<(), TestCaseError> {
    let secret = SharedSecret::from("s");
    let hiding = Hiding {
        secret: &secret,
        salt: 0x8001,
    };
    let mut b = PacketBuilder::accounting_request(1);
    dict.add(&mut b, name, text, Some(&hiding))
        .map_err(|e| TestCaseError::fail(format!("{name} = {text}: {e}")))?;
    let bytes = b.finish(&secret).unwrap();
    let p = Packet::new_checked_with(&bytes[..], &DecodeOptions::UDP.vendor_formats(dict)).unwrap();
    let d = dict.decode(&p, None);
    prop_assert_eq!(d.len(), 1);
    let def = dict.attr(name).unwrap();
    let want = dict.parse_value(def, text).unwrap();
    let got = dict.parse_value(def, &d[0].text()).unwrap();
    prop_assert_eq!(got, want, "{} = {} came back as {}", name, text, d[0].text());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_type_through_the_freeradius_tree(i in 0..TYPES.len(), seed in any::<u64>()) {
        let Some(dict) = tree() else { return Ok(()) };
        let dt = TYPES[i];
        let name = attr_of(dict, dt).unwrap_or_else(|| panic!("no {dt:?} attribute in the tree"));
        let text = sample(dt, seed);
        round_trip(dict, &name, &text)?;
    }

    #[test]
    fn every_type_the_builtin_has(i in 0..TYPES.len(), seed in any::<u64>()) {
        let dict = Dictionary::builtin();
        let dt = TYPES[i];
        let Some(name) = attr_of(dict, dt) else { return Ok(()) };
        let text = sample(dt, seed);
        round_trip(dict, &name, &text)?;
    }
}

#[test]
fn builtin_covers_the_types_it_needs() {
    let d = Dictionary::builtin();
    for dt in [
        DataType::String,
        DataType::Octets,
        DataType::IpAddr,
        DataType::Ipv6Addr,
        DataType::Ipv6Prefix,
        DataType::Integer,
        DataType::Date,
        DataType::Ifid,
    ] {
        assert!(attr_of(d, dt).is_some(), "{dt:?}");
    }
}
