//! Dictionary trees from `arbitrary`: several files in two directories, with
//! structured lines (ATTRIBUTE, VALUE, VENDOR, blocks, `$INCLUDE`/`$INCLUDE-` with
//! `./` and `../` aliases) and raw lines, through an in-memory resolver. No panic,
//! bounded warnings, and whatever loads can be looked up.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radius_dict::{Dictionary, MemoryResolver, Mode};

const NAMES: [&str; 6] = ["dictionary", "a/one", "a/two", "a/b/three", "a/b/four", "five"];
const TYPES: [&str; 12] = [
    "string",
    "octets",
    "integer",
    "ipaddr",
    "tlv",
    "byte",
    "short",
    "ifid",
    "ether",
    "octets[4]",
    "extended",
    "long-extended",
];
const FLAGS: [&str; 8] = [
    "",
    "has_tag",
    "encrypt=1",
    "encrypt=2",
    "array",
    "concat",
    "virtual",
    "Fuzz",
];

#[derive(Arbitrary, Debug)]
enum Line {
    Attribute {
        name: u8,
        number: u16,
        sub: Option<u8>,
        typ: u8,
        flags: u8,
    },
    Value {
        attr: u8,
        name: u8,
        number: u32,
    },
    Vendor {
        id: u32,
        format: Option<(u8, u8, bool)>,
    },
    BeginVendor,
    EndVendor,
    BeginTlv {
        attr: u8,
    },
    EndTlv {
        attr: u8,
    },
    Include {
        file: u8,
        alias: u8,
        optional: bool,
    },
    ValueAlias {
        to: u8,
        from: u8,
    },
    Raw(String),
}

fn render(line: &Line) -> String {
    let pick = |list: &[&'static str], i: u8| list.get(usize::from(i) % list.len()).copied().unwrap_or("");
    match line {
        Line::Attribute {
            name,
            number,
            sub,
            typ,
            flags,
        } => {
            let number = match sub {
                Some(s) => format!("{number}.{s}"),
                None => number.to_string(),
            };
            format!(
                "ATTRIBUTE A{} {number} {} {}",
                name % 16,
                pick(&TYPES, *typ),
                pick(&FLAGS, *flags)
            )
        }
        Line::Value { attr, name, number } => format!("VALUE A{} V{name} {number}", attr % 16),
        Line::Vendor { id, format } => match format {
            Some((t, l, c)) => format!("VENDOR Fuzz {id} format={t},{l}{}", if *c { ",c" } else { "" }),
            None => format!("VENDOR Fuzz {id}"),
        },
        Line::BeginVendor => "BEGIN-VENDOR Fuzz".to_string(),
        Line::EndVendor => "END-VENDOR Fuzz".to_string(),
        Line::BeginTlv { attr } => format!("BEGIN-TLV A{}", attr % 16),
        Line::EndTlv { attr } => format!("END-TLV A{}", attr % 16),
        Line::Include {
            file,
            alias,
            optional,
        } => {
            let target = pick(&NAMES, *file);
            let path = match alias % 4 {
                0 => format!("/{target}"),
                1 => format!("./{target}"),
                2 => format!("b/../{target}"),
                _ => target.to_string(),
            };
            format!("$INCLUDE{} {path}", if *optional { "-" } else { "" })
        }
        Line::ValueAlias { to, from } => format!("VALUE-ALIAS A{} A{}", to % 16, from % 16),
        Line::Raw(s) => s.clone(),
    }
}

fuzz_target!(|files: Vec<Vec<Line>>| {
    let mut r = MemoryResolver::new();
    for (name, lines) in NAMES.iter().zip(files.iter()) {
        let text: String = lines.iter().take(200).map(|l| render(l) + "\n").collect();
        r.insert(*name, text.clone());
        r.insert(format!("/{name}"), text);
    }
    for mode in [Mode::Strict, Mode::Lenient] {
        match Dictionary::load(&r, "dictionary", mode) {
            Ok((d, warnings)) => {
                assert!(warnings.len() <= 1001);
                for a in d.attributes() {
                    assert!(d.attr(a.name()).is_some(), "{}", a.name());
                    assert!(d.attr_by_addr(a.addr()).is_some(), "{}", a.addr());
                    let _ = d.values(a).map(|v| v.iter().count());
                }
            }
            Err(e) => {
                // 40 characters at most, each escaped to at most `\u{10ffff}`, and `...`
                assert!(e.token().len() <= 40 * 10 + 3);
                assert!(!e.token().chars().any(char::is_control));
            }
        }
    }
});
