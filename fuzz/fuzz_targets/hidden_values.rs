//! Decrypting arbitrary bytes never panics; encrypt -> decrypt is the identity for
//! every scheme.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radius_codec::crypto::*;
use radius_codec::SharedSecret;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    secret: &'a [u8],
    authenticator: [u8; 16],
    salt: u16,
    value: &'a [u8],
}

fuzz_target!(|i: Input<'_>| {
    let s = SharedSecret::new(i.secret);
    let ra = &i.authenticator;
    let _ = unhide_user_password(i.value, &s, ra);
    let _ = unhide_salted(i.value, &s, ra);
    let _ = unhide_ascend_secret(i.value, &s, ra);
    let _ = verify_chap_password(i.value, i.secret, ra);

    let trimmed = {
        let mut v = i.value.to_vec();
        while v.last() == Some(&0) {
            v.pop();
        }
        v
    };
    if let Ok(h) = hide_user_password(&trimmed, &s, ra) {
        assert_eq!(unhide_user_password(&h, &s, ra).unwrap(), trimmed);
    }
    if let Ok(h) = hide_salted(i.value, &s, ra, i.salt | 0x8000) {
        assert_eq!(unhide_salted(&h, &s, ra).unwrap(), i.value);
    }
    if let Ok(h) = hide_ascend_secret(&trimmed, &s, ra) {
        assert_eq!(unhide_ascend_secret(&h, &s, ra).unwrap(), trimmed);
    }
});
