//! Malformed dictionaries: each gives the right error at the right line and column.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use radius_dict::{Dictionary, ErrorKind, MemoryResolver, Mode};

fn load(text: &str) -> Result<Dictionary, radius_dict::Error> {
    let mut r = MemoryResolver::new();
    r.insert("dict/dictionary", text);
    r.insert("dict/dictionary.ok", "ATTRIBUTE Other 2 string\n");
    r.insert("dict/dictionary.loop", "$INCLUDE dictionary\n");
    Dictionary::load(&r, "dict/dictionary", Mode::Strict).map(|(d, _)| d)
}

#[test]
fn error_table() {
    let base = "ATTRIBUTE User-Name 1 string\nVENDOR Cisco 9\n";
    let cases: &[(&str, &str, ErrorKind, usize, usize, &str)] = &[
        (
            "bad number",
            "ATTRIBUTE X 1x integer",
            ErrorKind::BadNumber,
            3,
            13,
            "1x",
        ),
        (
            "bad hex",
            "ATTRIBUTE X 0xZZ integer",
            ErrorKind::BadNumber,
            3,
            13,
            "0xZZ",
        ),
        (
            "unknown type",
            "ATTRIBUTE X 5 integr",
            ErrorKind::UnknownType,
            3,
            15,
            "integr",
        ),
        (
            "octets[0]",
            "ATTRIBUTE X 5 octets[0]",
            ErrorKind::UnknownType,
            3,
            15,
            "octets[0]",
        ),
        (
            "unknown flag",
            "ATTRIBUTE X 5 integer foo",
            ErrorKind::UnknownFlag,
            3,
            23,
            "foo",
        ),
        (
            "bad encrypt",
            "ATTRIBUTE X 5 string encrypt=9",
            ErrorKind::UnknownFlag,
            3,
            22,
            "encrypt=9",
        ),
        (
            "concat on string",
            "ATTRIBUTE X 5 string concat",
            ErrorKind::FlagNotAllowed,
            3,
            22,
            "concat",
        ),
        (
            "tag on ipaddr",
            "ATTRIBUTE X 5 ipaddr has_tag",
            ErrorKind::FlagNotAllowed,
            3,
            22,
            "has_tag",
        ),
        (
            "too few fields",
            "ATTRIBUTE X 5",
            ErrorKind::WrongFieldCount {
                expected: "4 or 5",
                found: 3,
            },
            3,
            13,
            "5",
        ),
        (
            "too many fields",
            "ATTRIBUTE X 5 string has_tag extra",
            ErrorKind::WrongFieldCount {
                expected: "4 or 5",
                found: 6,
            },
            3,
            30,
            "extra",
        ),
        (
            "unknown keyword",
            "ATTRIBUTES X 5 string",
            ErrorKind::UnknownKeyword,
            3,
            1,
            "ATTRIBUTES",
        ),
        (
            "value for unknown attribute",
            "VALUE Nope Yes 1",
            ErrorKind::UnknownAttribute,
            3,
            7,
            "Nope",
        ),
        (
            "bad value number",
            "VALUE User-Name Yes one",
            ErrorKind::BadNumber,
            3,
            21,
            "one",
        ),
        (
            "unknown vendor block",
            "BEGIN-VENDOR Nobody\nEND-VENDOR Nobody",
            ErrorKind::UnknownVendor,
            3,
            14,
            "Nobody",
        ),
        (
            "END-VENDOR mismatch",
            "BEGIN-VENDOR Cisco\nEND-VENDOR Juniper",
            ErrorKind::BlockMismatch,
            4,
            12,
            "Juniper",
        ),
        (
            "END-VENDOR without BEGIN",
            "END-VENDOR Cisco",
            ErrorKind::BlockMismatch,
            3,
            12,
            "Cisco",
        ),
        (
            "unclosed vendor block",
            "BEGIN-VENDOR Cisco\nATTRIBUTE Cisco-AVPair 1 string",
            ErrorKind::UnclosedBlock,
            4,
            1,
            "Cisco",
        ),
        (
            "bad vendor format",
            "VENDOR Odd 99 format=3,1",
            ErrorKind::BadVendorFormat,
            3,
            15,
            "format=3,1",
        ),
        (
            "bad vendor format text",
            "VENDOR Odd 99 fmt=1,1",
            ErrorKind::BadVendorFormat,
            3,
            15,
            "fmt=1,1",
        ),
        (
            "bad EVS format",
            "BEGIN-VENDOR Cisco format=Extended-Vendor-Specific-9\nEND-VENDOR Cisco",
            ErrorKind::BadVendorFormat,
            3,
            20,
            "format=Extended-Vendor-Specific-9",
        ),
        (
            "vendor type too large",
            "BEGIN-VENDOR Cisco\nATTRIBUTE Big 256 string\nEND-VENDOR Cisco",
            ErrorKind::NumberOutOfRange,
            4,
            15,
            "256",
        ),
        (
            "TLV outside a tlv parent",
            "ATTRIBUTE Child 1.1 string",
            ErrorKind::NotTlv,
            3,
            17,
            "1.1",
        ),
        (
            "dotted without parent",
            "ATTRIBUTE Child 77.1 string",
            ErrorKind::NoParent,
            3,
            17,
            "77.1",
        ),
        (
            "BEGIN-TLV on a non-tlv",
            "BEGIN-TLV User-Name\nEND-TLV User-Name",
            ErrorKind::NotTlv,
            3,
            11,
            "User-Name",
        ),
        (
            "BEGIN-TLV unknown",
            "BEGIN-TLV Nope\nEND-TLV Nope",
            ErrorKind::UnknownAttribute,
            3,
            11,
            "Nope",
        ),
        (
            "duplicate name, other number",
            "ATTRIBUTE User-Name 2 string",
            ErrorKind::Duplicate,
            3,
            11,
            "User-Name",
        ),
        (
            "duplicate vendor id",
            "VENDOR Cisco 10",
            ErrorKind::Duplicate,
            3,
            8,
            "Cisco",
        ),
        (
            "missing include",
            "$INCLUDE dictionary.nope",
            ErrorKind::MissingInclude,
            3,
            10,
            "dictionary.nope",
        ),
        (
            "include cycle",
            "$INCLUDE dictionary.loop",
            ErrorKind::IncludeCycle,
            1,
            10,
            "dictionary",
        ),
    ];
    for (name, text, kind, line, col, token) in cases {
        let err = load(&format!("{base}{text}\n")).expect_err(name);
        assert_eq!(err.kind(), kind, "{name}: {err}");
        assert_eq!(
            (err.line(), err.column(), err.token()),
            (*line, *col, *token),
            "{name}: {err}"
        );
        assert!(
            err.to_string().contains(&format!(":{line}:{col}:")),
            "{name}: {err}"
        );
    }
}

#[test]
fn optional_include_and_lenient_mode() {
    let d = load("$INCLUDE- dictionary.nope\n$INCLUDE dictionary.ok\nATTRIBUTE X 5 integer\n").unwrap();
    assert!(d.attr("other").is_some());
    let mut r = MemoryResolver::new();
    r.insert(
        "d",
        "ATTRIBUTE X 5 integer foo\nVALUE Nope A 1\nATTRIBUTE Y 6 integer\n",
    );
    let (d, warnings) = Dictionary::load(&r, "d", Mode::Lenient).unwrap();
    assert_eq!(warnings.len(), 2);
    assert_eq!(warnings[0].kind(), &ErrorKind::UnknownFlag);
    assert_eq!(warnings[1].kind(), &ErrorKind::UnknownAttribute);
    assert!(d.attr("Y").is_some());
    assert!(Dictionary::load(&r, "d", Mode::Strict).is_err());
}

#[test]
fn forward_references_hex_and_case() {
    let d = load(
        "VALUE Later Up 0x10\nattribute Later 5 INTEGER\nVENDOR Acme 555 format=2,1\nBEGIN-VENDOR Acme\nATTRIBUTE Acme-Tlv 300 tlv\nATTRIBUTE Acme-Leaf 300.2 octets[4]\nEND-VENDOR Acme\n",
    );
    let d = d.unwrap();
    let later = d.attr("LATER").unwrap();
    assert_eq!(d.values(later).unwrap().number("up"), Some(16));
    assert_eq!(d.values(later).unwrap().name(16), Some("Up"));
    let leaf = d.attr("acme-leaf").unwrap();
    assert_eq!(leaf.addr().vendor().0, 555);
    assert_eq!(leaf.addr().path(), [300, 2]);
    assert_eq!(leaf.fixed_len(), Some(4));
    assert_eq!(d.attr_by_addr(leaf.addr()).unwrap().name(), "Acme-Leaf");
}

#[test]
fn extended_evs_and_tlv_blocks() {
    let d = load(
        "ATTRIBUTE Extended-Attribute-1 241 extended\nATTRIBUTE Extended-Attribute-5 245 long-extended\nATTRIBUTE Extended-Vendor-Specific-5 245.26 evs\nATTRIBUTE Frag 245.4 octets\nATTRIBUTE Ext-Tlv 241.2 tlv\nBEGIN-TLV Ext-Tlv\nATTRIBUTE Ext-Tlv-A 1 integer\nEND-TLV Ext-Tlv\nVENDOR FreeRADIUS 11344\nBEGIN-VENDOR FreeRADIUS format=Extended-Vendor-Specific-5\nATTRIBUTE FR-Evs-Attr 1 string\nEND-VENDOR FreeRADIUS\n",
    )
    .unwrap();
    assert_eq!(d.attr("Ext-Tlv-A").unwrap().addr().path(), [241, 2, 1]);
    let evs = d.attr("FR-Evs-Attr").unwrap();
    assert_eq!(
        (evs.addr().vendor().0, evs.addr().path()),
        (11344, &[245, 26, 1][..])
    );
}

/// Issue: `$INCLUDE /etc/shadow` printed the first line of the shadow file as the
/// error's token. A file whose first line is not a dictionary line is never quoted.
#[test]
fn errors_do_not_quote_files_that_are_not_dictionaries() {
    let secret = "root:$6$s3cretHash:19000:0:99999:7:::";
    for mode in [Mode::Strict, Mode::Lenient] {
        let mut r = MemoryResolver::new();
        r.insert("dictionary", "ATTRIBUTE A 1 string\n$INCLUDE shadow\n");
        r.insert("shadow", format!("\n# comment\n{secret}\nATTRIBUTE B 2 string\n"));
        let e = Dictionary::load(&r, "dictionary", mode).unwrap_err();
        assert_eq!(*e.kind(), ErrorKind::UnknownKeyword);
        assert_eq!((e.file(), e.line(), e.column(), e.token()), ("shadow", 3, 1, ""));
        assert!(!e.to_string().contains("s3cret"), "{e}");
        assert!(!format!("{e:?}").contains("s3cret"), "{e:?}");
    }
    // In a dictionary, a bad token is quoted, short and printable: cut after 40
    // characters (`...` says so), control characters escaped.
    let mut r = MemoryResolver::new();
    let long = format!("X{}\u{1b}[31m", "y".repeat(100));
    r.insert("dictionary", format!("ATTRIBUTE A 1 string\n{long} 1\n"));
    let e = Dictionary::load(&r, "dictionary", Mode::Strict).unwrap_err();
    assert_eq!(e.token(), format!("X{}...", "y".repeat(39)));
    let mut r = MemoryResolver::new();
    r.insert("dictionary", "ATTRIBUTE A 1 string\nVALUE A caf\u{e9}\u{1b} x\n");
    let e = Dictionary::load(&r, "dictionary", Mode::Strict).unwrap_err();
    assert_eq!(*e.kind(), ErrorKind::BadNumber);
    assert_eq!(e.token(), "x");
    r.insert(
        "dictionary",
        "ATTRIBUTE A 1 string\nATTRIBUTE caf\u{e9}\u{1b} 1 strin\n",
    );
    let e = Dictionary::load(&r, "dictionary", Mode::Strict).unwrap_err();
    assert_eq!(e.token(), "strin");
    r.insert(
        "dictionary",
        "ATTRIBUTE A 1 string\nVALUE-ALIAS caf\u{e9}\u{1b} A\n",
    );
    let (_, w) = Dictionary::load(&r, "dictionary", Mode::Lenient).unwrap();
    assert_eq!(w[0].token(), "caf\u{e9}\\u{1b}");
    assert!(w[0].to_string().ends_with("(\"caf\u{e9}\\u{1b}\")"), "{}", w[0]);
}
