//! RADIUS codec benchmarks: radius-codec against radius-rs (`radius` 0.4) and
//! rusticata's `radius-parser` 0.5 on the same packets (shared/vectors/bench-packets),
//! plus the MD5/HMAC-MD5 floor that building and verifying cannot go below.
//!
//! Run: `cargo bench -p nacwire-benches --bench radius`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use nacwire_benches::{build, data_type, packets, Attr, Recipe, A, B, C, SECRET};
use radius_codec::{AttrType, DecodeOptions, Packet, SharedSecret, Value};

fn recipe(name: &str) -> &'static Recipe {
    match name {
        "A" => &A,
        "B" => &B,
        _ => &C,
    }
}

fn validate_walk(c: &mut Criterion) {
    let mut g = c.benchmark_group("validate_walk");
    for (name, bytes) in packets() {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(format!("radius-codec/{name}"), |b| {
            b.iter(|| {
                let p = Packet::new_checked(black_box(&bytes[..])).unwrap();
                p.attributes().map(|a| a.value().len()).sum::<usize>()
            })
        });
        // The same with the opt-in checks of VSA and RFC 6929 contents (the default
        // keeps a malformed one whole, as FreeRADIUS does, and does not walk them).
        let strict = DecodeOptions::UDP.strict_vsa().strict_extended();
        g.bench_function(format!("radius-codec-strict/{name}"), |b| {
            b.iter(|| {
                let p = Packet::new_checked_with(black_box(&bytes[..]), &strict).unwrap();
                p.attributes().map(|a| a.value().len()).sum::<usize>()
            })
        });
        g.bench_function(format!("radius-parser/{name}"), |b| {
            b.iter(|| {
                let (_, d) = radius_parser::parse_radius_data(black_box(&bytes[..])).unwrap();
                d.attributes.map_or(0, |a| a.len())
            })
        });
        g.bench_function(format!("radius-rs/{name}"), |b| {
            b.iter(|| radius::core::packet::Packet::decode(black_box(&bytes[..]), SECRET.as_bytes()).unwrap())
        });
    }
    g.finish();
}

fn typed_decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("typed_decode");
    for (name, bytes) in packets() {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(format!("radius-codec/{name}"), |b| {
            b.iter(|| {
                let p = Packet::new_checked(black_box(&bytes[..])).unwrap();
                let mut n = 0usize;
                for a in p.attributes() {
                    if a.typ() == AttrType::VENDOR_SPECIFIC {
                        for sub in a.vsa().unwrap().attrs() {
                            n += core::str::from_utf8(sub.value()).unwrap().len();
                        }
                        continue;
                    }
                    match a.decode(data_type(a.typ().0)).unwrap() {
                        Value::String(s) => n += core::str::from_utf8(&s).unwrap().len(),
                        Value::Integer(v) | Value::Date(v) => n += v as usize,
                        Value::IpAddr(ip) => n += ip.octets()[3] as usize,
                        v => n += v.to_bytes().unwrap().len(),
                    }
                }
                n
            })
        });
        g.bench_function(format!("radius-rs/{name}"), |b| {
            let types: Vec<u8> = recipe(name)
                .attrs
                .iter()
                .filter_map(|a| match a {
                    Attr::Str(t, _) | Attr::Int(t, _) | Attr::Ip(t, _) | Attr::Octets(t, _) => Some(*t),
                    _ => None,
                })
                .collect();
            b.iter(|| {
                let p =
                    radius::core::packet::Packet::decode(black_box(&bytes[..]), SECRET.as_bytes()).unwrap();
                let mut n = 0usize;
                for t in &types {
                    let avp = p.lookup(*t).unwrap();
                    match data_type(*t) {
                        radius_codec::DataType::String => n += avp.encode_string().unwrap().len(),
                        radius_codec::DataType::IpAddr => {
                            n += avp.encode_ipv4().unwrap().octets()[3] as usize
                        }
                        radius_codec::DataType::Integer | radius_codec::DataType::Date => {
                            n += avp.encode_u32().unwrap() as usize
                        }
                        _ => n += avp.encode_bytes().len(),
                    }
                }
                for vsa in p.lookup_all(26) {
                    n += vsa.encode_bytes().len();
                }
                n
            })
        });
    }
    g.finish();
}

/// The HMAC-MD5 state keyed with the secret (its pads hashed once per secret, as
/// radius-codec's `SharedSecret` keeps it): the floor does not pay for key setup.
fn keyed(secret: &[u8]) -> Hmac<Md5> {
    Hmac::<Md5>::new_from_slice(secret).unwrap()
}

/// The cryptographic work a packet needs: HMAC-MD5 over it when it carries
/// Message-Authenticator (from a keyed state), MD5 over it for a computed
/// authenticator, and one MD5 per 16 octets of User-Password.
fn floor(name: &str, bytes: &[u8], secret: &[u8], keyed_mac: &Hmac<Md5>) -> [u8; 16] {
    if name == "A" {
        let mut mac = keyed_mac.clone();
        mac.update(bytes);
        let mut out: [u8; 16] = mac.finalize().into_bytes().into();
        let mut h = Md5::new();
        h.update(secret);
        h.update(&bytes[4..20]);
        let k: [u8; 16] = h.finalize().into();
        out[0] ^= k[0];
        out
    } else {
        let mut h = Md5::new();
        h.update(bytes);
        h.update(secret);
        h.finalize().into()
    }
}

fn build_finish(c: &mut Criterion) {
    let mut g = c.benchmark_group("build_finish");
    let secret = SharedSecret::from(SECRET);
    let keyed_mac = keyed(SECRET.as_bytes());
    for (name, bytes) in packets() {
        let r = recipe(name);
        assert_eq!(
            build(r, &secret).unwrap(),
            bytes,
            "radius-codec rebuilds {name} exactly"
        );
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(format!("radius-codec/{name}"), |b| {
            b.iter(|| build(black_box(r), &secret).unwrap())
        });
        g.bench_function(format!("md5-floor/{name}"), |b| {
            b.iter(|| floor(name, black_box(&bytes), SECRET.as_bytes(), &keyed_mac))
        });
        g.bench_function(format!("radius-rs/{name}"), |b| {
            use radius::core::avp::AVP;
            use radius::core::code::Code;
            b.iter(|| {
                let mut p = radius::core::packet::Packet::new_with_identifier(
                    Code::from(r.code),
                    SECRET.as_bytes(),
                    r.id,
                );
                for a in r.attrs {
                    match *a {
                        Attr::Str(t, s) => p.add(AVP::from_string(t, s)),
                        Attr::Int(t, v) => p.add(AVP::from_u32(t, v)),
                        Attr::Ip(t, ip) => p.add(AVP::from_ipv4(t, &ip.into())),
                        Attr::Octets(t, o) => p.add(AVP::from_bytes(t, o)),
                        Attr::Password(pw) => p.add(
                            AVP::from_user_password(
                                2,
                                pw.as_bytes(),
                                SECRET.as_bytes(),
                                p.get_authenticator(),
                            )
                            .unwrap(),
                        ),
                        Attr::Vsa(v, t, s) => {
                            let mut val = v.to_be_bytes().to_vec();
                            val.extend_from_slice(&[t, (s.len() + 2) as u8]);
                            val.extend_from_slice(s.as_bytes());
                            p.add(AVP::from_bytes(26, &val));
                        }
                        // radius-rs has no Message-Authenticator
                        Attr::MessageAuthenticator => {}
                    }
                }
                p.encode().unwrap()
            })
        });
    }
    g.finish();
}

fn verify(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    let secret = SharedSecret::from(SECRET);
    let keyed_mac = keyed(SECRET.as_bytes());
    for (name, bytes) in packets() {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(format!("radius-codec/{name}"), |b| {
            b.iter(|| {
                let p = Packet::new_checked(black_box(&bytes[..])).unwrap();
                p.verify_request(&secret).unwrap();
            })
        });
        g.bench_function(format!("md5-floor/{name}"), |b| {
            b.iter(|| {
                if name == "A" {
                    let mut mac = keyed_mac.clone();
                    mac.update(black_box(&bytes));
                    mac.finalize().into_bytes()[0]
                } else {
                    let mut h = Md5::new();
                    h.update(black_box(&bytes));
                    h.update(SECRET.as_bytes());
                    h.finalize()[0]
                }
            })
        });
        if name != "A" {
            // radius-rs does not check Access-Requests (no Message-Authenticator).
            g.bench_function(format!("radius-rs/{name}"), |b| {
                b.iter(|| {
                    assert!(radius::core::packet::Packet::is_authentic_request(
                        black_box(&bytes),
                        SECRET.as_bytes()
                    ))
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, validate_walk, typed_decode, build_finish, verify);
criterion_main!(benches);
