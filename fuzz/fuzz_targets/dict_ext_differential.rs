//! Differential: the codec's extended / long-extended reassembly
//! (`Packet::extended`, with the EVS header split here by hand) against the
//! dictionary's decoding (which names what `Packet::addressed` reads), on packets
//! built from fuzz input (extended, long-extended with fragments, EVS, other
//! attributes in between). With an empty dictionary every extended attribute is
//! decoded as octets, so both must list the same attributes with the same octets, in
//! the same order.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radius_codec::extended::EVS_TYPE;
use radius_codec::{AttrType, BuiltinFormats, Packet, PacketBuilder, SharedSecret, Value, VendorId};
use radius_dict::{AttrAddr, Dictionary};

#[derive(Arbitrary, Debug)]
enum Op {
    Extended {
        attr: u8,
        ext_type: u8,
        value: Vec<u8>,
    },
    Evs {
        attr: u8,
        vendor: u32,
        vendor_type: u8,
        value: Vec<u8>,
    },
    Raw {
        typ: u8,
        value: Vec<u8>,
    },
}

fuzz_target!(|ops: Vec<Op>| {
    let mut b = PacketBuilder::accounting_request(7);
    for op in ops.iter().take(16) {
        let _ = match op {
            Op::Extended {
                attr,
                ext_type,
                value,
            } => b
                .add_extended(AttrType(241 + attr % 6), *ext_type, value)
                .map(|_| ()),
            Op::Evs {
                attr,
                vendor,
                vendor_type,
                value,
            } => b
                .add_evs(AttrType(241 + attr % 6), VendorId(*vendor), *vendor_type, value)
                .map(|_| ()),
            Op::Raw { typ, value } => b.add(AttrType(*typ), value).map(|_| ()),
        };
    }
    let Ok(bytes) = b.finish(&SharedSecret::from("s")) else {
        return;
    };
    let Ok(p) = Packet::new_checked(&bytes[..]) else {
        return;
    };
    // An extended attribute `addressed` keeps whole (no Extended-Type or data, a More
    // flag without the fragments that end it, an EVS too short for its header) is one
    // raw attribute for the dictionary, while `extended()` still yields its pieces:
    // such packets are compared in `packet_decode` (strict_extended refuses exactly
    // what `addressed` flags) and `dict_decode`; here only the well-formed ones.
    let kept_whole = p
        .addressed(&BuiltinFormats)
        .any(|a| a.is_malformed() && matches!(a.addr().path(), [241..=246, ..]));

    // The codec's view: (key, octets) as the dictionary names them.
    let codec: Vec<(AttrAddr, Vec<u8>)> = p
        .extended()
        .map(|e| {
            let t = u32::from(e.attr().0);
            match (e.ext_type(), e.data()) {
                // Vendor id 0 is no vendor: such an EVS stays `0, [t, 26]`, whole.
                (EVS_TYPE, [v0, v1, v2, v3, vt, rest @ ..]) if [*v0, *v1, *v2, *v3] != [0; 4] => (
                    AttrAddr::new(
                        radius_codec::VendorId(u32::from_be_bytes([*v0, *v1, *v2, *v3])),
                        &[t, 26, u32::from(*vt)],
                    )
                    .unwrap(),
                    rest.to_vec(),
                ),
                (x, data) => (
                    AttrAddr::new(radius_codec::VendorId(0), &[t, u32::from(x)]).unwrap(),
                    data.to_vec(),
                ),
            }
        })
        .collect();

    let empty = Dictionary::new();
    let dict: Vec<(AttrAddr, Vec<u8>)> = empty
        .decode(&p, None)
        .into_iter()
        // Extended keys are `0, [t, ext, ..]` or `vendor, [t, 26, type]`; a vendor's
        // own attribute 241..=246 inside a Vendor-Specific is `vendor, [t]`.
        .filter(|d| matches!(d.addr.path(), [241..=246, _, ..]))
        .map(|d| {
            let octets = match &d.value {
                Value::Octets(b) => b.to_vec(),
                other => panic!("unknown attribute decoded as {other:?}"),
            };
            (d.addr, octets)
        })
        .collect();
    if !kept_whole {
        assert_eq!(codec, dict);
    }

    // The built-in dictionary decodes the same packet without panicking.
    for d in Dictionary::builtin().decode(&p, None) {
        let _ = d.text();
    }
});
