//! Vector tests: the AWS SigV4 suite (query variants), the S3 presigned example, and
//! the ECP approval vectors, each comparing canonical request, string to sign and
//! signature.
//!
//! A unit-test module: the AWS suite needs engine helpers that only tests use.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, SystemTime};

    use crate::sigv4::{self, SigningKey};
    use crate::*;

    fn data(p: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(p)
    }

    fn read(p: &Path) -> String {
        std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// The value of `"key": <value>` in a small JSON file (string, number or bool).
    fn json(text: &str, key: &str) -> Option<String> {
        let i = text.find(&format!("\"{key}\""))?;
        let rest = text[i + key.len() + 2..]
            .trim_start()
            .strip_prefix(':')?
            .trim_start();
        if let Some(s) = rest.strip_prefix('"') {
            return Some(s[..s.find('"')?].to_string());
        }
        let end = rest.find([',', '\n', '}']).unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    }

    fn iso_to_amz(ts: &str) -> String {
        ts.replace(['-', ':'], "")
    }

    struct Request {
        method: String,
        path: String,
        query: String,
        headers: Vec<(String, String)>,
        body: String,
    }

    /// Parses the suite's `request.txt`: request line, headers (with folded lines), body.
    fn parse_request(text: &str) -> Request {
        let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
        let mut lines = head.lines();
        let first = lines.next().unwrap();
        let (method, rest) = first.split_once(' ').unwrap();
        let target = rest.rsplit_once(' ').unwrap().0;
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for l in lines {
            if l.starts_with([' ', '\t']) {
                let last = headers.last_mut().unwrap();
                last.1.push(' ');
                last.1.push_str(l.trim());
            } else if let Some((n, v)) = l.split_once(':') {
                headers.push((n.to_string(), v.to_string()));
            }
        }
        Request {
            method: method.into(),
            path: path.into(),
            query: query.into(),
            headers,
            body: body.into(),
        }
    }

    #[test]
    fn aws_c_auth_query_suite() {
        let mut cases = 0;
        for entry in std::fs::read_dir(data("aws-c-auth")).unwrap() {
            let dir = entry.unwrap().path();
            if !dir.is_dir() {
                continue;
            }
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let ctx = read(&dir.join("context.json"));
            let req = parse_request(&read(&dir.join("request.txt")));
            let key_id = json(&ctx, "access_key_id").unwrap();
            let secret = json(&ctx, "secret_access_key").unwrap();
            let region = json(&ctx, "region").unwrap();
            let service = json(&ctx, "service").unwrap();
            let amz = iso_to_amz(&json(&ctx, "timestamp").unwrap());
            let expires = json(&ctx, "expiration_in_seconds").unwrap();
            let normalize = json(&ctx, "normalize").as_deref() == Some("true");
            let sign_body = json(&ctx, "sign_body").as_deref() == Some("true");
            let token = json(&ctx, "token");
            let omit_token = json(&ctx, "omit_session_token").as_deref() == Some("true");
            let day = &amz[..8];

            let headers: Vec<(&str, &str)> = req
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let (canon_headers, signed) = sigv4::canonical_headers(&headers);
            let credential = format!("{key_id}/{}", sigv4::scope(day, &region, &service));
            let mut pairs: Vec<(String, String)> = sigv4::split_query(&req.query)
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            for (k, v) in [
                ("X-Amz-Algorithm", sigv4::ALGORITHM.to_string()),
                ("X-Amz-Credential", sigv4::encode(&credential).into_owned()),
                ("X-Amz-Date", amz.clone()),
                ("X-Amz-Expires", expires.clone()),
                ("X-Amz-SignedHeaders", sigv4::encode(&signed).into_owned()),
            ] {
                pairs.push((k.into(), v));
            }
            if let (Some(t), false) = (&token, omit_token) {
                pairs.push(("X-Amz-Security-Token".into(), sigv4::encode(t).into_owned()));
            }
            let query =
                sigv4::canonical_query_strict(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
            let payload = if sign_body {
                sigv4::hex(&<sha2::Sha256 as sha2::Digest>::digest(req.body.as_bytes()))
            } else {
                sigv4::EMPTY_SHA256.to_string()
            };
            let creq = sigv4::canonical_request(
                &req.method,
                &sigv4::canonical_uri(&req.path, normalize, false),
                &query,
                &canon_headers,
                &signed,
                &payload,
            );
            assert_eq!(
                creq,
                read(&dir.join("query-canonical-request.txt")),
                "{name}: canonical request"
            );
            let sts = sigv4::string_to_sign(&amz, &sigv4::scope(day, &region, &service), &creq);
            assert_eq!(
                sts,
                read(&dir.join("query-string-to-sign.txt")),
                "{name}: string to sign"
            );
            let key = SigningKey::derive(secret.as_bytes(), day, &region, &service);
            let sig = read(&dir.join("query-signature.txt"));
            assert_eq!(sigv4::hex(&key.sign(&sts)), sig.trim(), "{name}: signature");
            assert!(key.verify(&sts, &sigv4::parse_signature(sig.trim()).unwrap()));
            cases += 1;
        }
        assert_eq!(cases, 38, "every query case of the suite ran");
    }

    #[test]
    fn s3_presigned_doc_example() {
        let dir = data("s3-presigned-get-doc-example");
        let url = read(&dir.join("query-signed-url.txt"));
        let u = Url::parse(url.trim()).unwrap();
        let query = sigv4::canonical_query_strict(
            sigv4::split_query(u.query).filter(|(k, _)| *k != "X-Amz-Signature"),
        )
        .unwrap();
        let creq = sigv4::canonical_request(
            "GET",
            &sigv4::canonical_uri(u.path, true, false),
            &query,
            &format!("host:{}\n", u.host),
            "host",
            sigv4::UNSIGNED_PAYLOAD,
        );
        assert_eq!(creq, read(&dir.join("query-canonical-request.txt")));
        // the raw rule agrees here: the URL was emitted as canonicalized
        assert_eq!(sigv4::canonical_query_raw(u.query), query);
        let sts = sigv4::string_to_sign(
            "20130524T000000Z",
            &sigv4::scope("20130524", "us-east-1", "s3"),
            &creq,
        );
        assert_eq!(sts, read(&dir.join("query-string-to-sign.txt")));
        let key = SigningKey::derive(
            b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "20130524",
            "us-east-1",
            "s3",
        );
        assert_eq!(
            sigv4::hex(&key.sign(&sts)),
            read(&dir.join("query-signature.txt")).trim()
        );
    }

    fn at(amz: &str, plus: u64) -> SystemTime {
        AmzDate::parse(amz).unwrap().to_system_time() + Duration::from_secs(plus)
    }

    #[test]
    fn ecp_synthetic_approvals_verify_sign_and_parse() {
        for (case, port) in [
            ("ecp-synthetic-approval-default-port", None),
            ("ecp-synthetic-approval-port-8443", Some(8443)),
        ] {
            let dir = data(case);
            let url = read(&dir.join("signed-url.txt"));
            let url = url.trim();
            let mut keys = Keyring::new();
            keys.insert("BigAuthInc", Secret::from("ecp-sigv4-synthetic-test-secret"));
            let verifier = Verifier::new(keys.clone()).max_expires(900);
            let q = verifier.verify_url(url, at("20140729T153754Z", 5)).unwrap();
            let info = q.signature().unwrap();
            assert_eq!((&*info.identity, info.expires), ("BigAuthInc", 60));
            let a = Approval::from_query(&q).unwrap();
            assert_eq!(a.token, "T7vb1LdUZmsuY0q9V60Iww!!");
            assert_eq!(a.dest.as_deref(), Some("http://1.2.3.4/news.com"));
            assert_eq!((a.role.as_deref(), a.opt27), (Some("Guest_Access"), Some(36000)));

            // the canonical request and string to sign of the vector
            let u = Url::parse(url).unwrap();
            let creq = canonical_request(
                &u,
                &sigv4::canonical_query_raw(u.query),
                PortRule::IncludeNonDefault,
                EmptyPath::Slash,
            );
            assert_eq!(creq, read(&dir.join("query-canonical-request.txt")));
            let sts = sigv4::string_to_sign("20140729T153754Z", "20140729/world/ecp/aws4_request", &creq);
            assert_eq!(sts, read(&dir.join("query-string-to-sign.txt")));

            // our signer reproduces the URL byte for byte
            let signer = Signer::new("BigAuthInc", Secret::from("ecp-sigv4-synthetic-test-secret"))
                .expires(60)
                .port_rule(PortRule::IncludeNonDefault);
            let approval = Approval {
                token: "T7vb1LdUZmsuY0q9V60Iww!!".into(),
                wlan: "1".into(),
                username: "test".into(),
                dest: Some("http://1.2.3.4/news.com".into()),
                role: Some("Guest_Access".into()),
                opt27: Some(36000),
            };
            let ours = approval
                .signed_url(
                    "10.10.21.6",
                    port.unwrap_or(443),
                    &signer,
                    at("20140729T153754Z", 0),
                )
                .unwrap();
            assert_eq!(ours, url, "{case}");

            // with the port left out of the host line the 8443 vector no longer verifies
            let omit = Verifier::new(keys).port_rule(PortRule::Omit);
            let r = omit.verify_url(url, at("20140729T153754Z", 5));
            if port.is_some() {
                assert_eq!(r.unwrap_err(), Error::BadSignature);
            } else {
                r.unwrap();
            }
        }
    }

    #[test]
    fn documentation_example_parses_into_typed_parameters() {
        let url = read(&data("ecp-extreme-doc-example-unverifiable/request-url.txt"));
        let q = parse_unsigned(url.trim(), 4096).unwrap();
        let a = Approval::from_query(&q).unwrap();
        assert_eq!(a.username, "test");
        assert_eq!(a.wlan, "1");
        assert_eq!(a.token, "T7vb1LdUZmsuY0q9V60Iww!!");
        assert_eq!(a.opt27, Some(36000));
        // its secret was never published: with any guess the signature is reported as wrong,
        // never as malformed
        let mut keys = Keyring::new();
        keys.insert("BigAuthInc", Secret::from("BigAuthInc"));
        let err = Verifier::new(keys)
            .verify_url(url.trim(), at("20140729T153754Z", 1))
            .unwrap_err();
        assert_eq!(err, Error::BadSignature);
    }
}
