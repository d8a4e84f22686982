//! The ECP operations and their floors measured in interleaved rounds, keeping each
//! one's fastest round: on a shared VM whose speed drifts by 10-30 % within a minute,
//! this compares the operations under the same conditions, which criterion's
//! one-after-the-other groups cannot. Complements `--bench ecp`; the ratios, not the
//! absolute times, are the point.
//!
//! Run: `cargo bench -p nacwire-benches --bench ecp_interleaved`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::Instant;

use common::ecp::*;
use ecp_sigv4::{ControllerRedirect, Keyring, Secret, Signer, Verifier};

mod common {
    pub(crate) mod ecp;
}

type Op<'a> = Box<dyn FnMut() + 'a>;

const ROUNDS: usize = 40;
const ITERS: u32 = 20_000;

fn main() {
    // `cargo test --benches` runs this with `--test`: one short round is enough there.
    let quick = std::env::args().any(|a| a == "--test");
    let mut keys = Keyring::new();
    keys.insert("BigAuthInc", Secret::from(SECRET));
    let verifier = Verifier::new(keys);
    let url = redirect_url();
    let creq = canonical_request(&url);
    let a = approval();
    let signer = Signer::new("BigAuthInc", Secret::from(SECRET)).expires(60);
    let approval_url = a.signed_url("10.10.21.6", 443, &signer, now()).unwrap();
    let approval_creq = canonical_request(&approval_url);
    let keyed = keyed_state();

    let mut ops: Vec<(&str, Op<'_>)> = vec![
        (
            "verify: floor 5 HMAC + 1 SHA",
            Box::new(|| {
                black_box(floor(black_box(creq.as_bytes()), STS_PREFIX));
            }),
        ),
        (
            "verify: floor, cached key",
            Box::new(|| {
                black_box(floor_cached(black_box(creq.as_bytes()), STS_PREFIX, &keyed));
            }),
        ),
        (
            "verify: signature only",
            Box::new(|| {
                black_box(verifier.verify_url(black_box(&url), now()).unwrap());
            }),
        ),
        (
            "verify + ControllerRedirect",
            Box::new(|| {
                let q = verifier.verify_url(black_box(&url), now()).unwrap();
                black_box(ControllerRedirect::from_query(&q).unwrap());
            }),
        ),
        (
            "sign: floor 5 HMAC + 1 SHA",
            Box::new(|| {
                black_box(floor(black_box(approval_creq.as_bytes()), STS_PREFIX));
            }),
        ),
        (
            "sign: floor, cached key",
            Box::new(|| {
                black_box(floor_cached(
                    black_box(approval_creq.as_bytes()),
                    STS_PREFIX,
                    &keyed,
                ));
            }),
        ),
        (
            "sign: kept key",
            Box::new(|| {
                black_box(a.signed_url("10.10.21.6", 443, &signer, now()).unwrap());
            }),
        ),
        (
            "sign: key derived",
            Box::new(|| {
                let fresh = Signer::new("BigAuthInc", Secret::from(SECRET)).expires(60);
                black_box(a.signed_url("10.10.21.6", 443, &fresh, now()).unwrap());
            }),
        ),
    ];
    let (rounds, iters) = if quick { (1, 100) } else { (ROUNDS, ITERS) };
    let mut best = vec![f64::MAX; ops.len()];
    for _ in 0..rounds {
        for ((_, op), best) in ops.iter_mut().zip(&mut best) {
            let start = Instant::now();
            for _ in 0..iters {
                op();
            }
            *best = best.min(start.elapsed().as_secs_f64() * 1e9 / f64::from(iters));
        }
    }
    println!("{rounds} interleaved rounds of {iters} iterations, fastest round per operation");
    for (i, ((name, _), ns)) in ops.iter().zip(&best).enumerate() {
        // each group starts with its floor, then its cached-key floor
        let group = i / 4 * 4;
        println!(
            "{name:32} {ns:8.1} ns  {:5.2}x floor  {:5.2}x cached-key floor",
            ns / best[group],
            ns / best[group + 1]
        );
    }
}
