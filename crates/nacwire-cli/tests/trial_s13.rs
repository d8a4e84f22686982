//! Trial s13: a radclient/radtest/radsniff user's daily workflows, each rough edge
//! found pinned by a test (UDP requests lost under -x, empty values, clap's missing
//! arguments and commands, ...). Against `nacwire serve`, radclient and silent ports
//! on loopback.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    unreachable_pub
)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use nacwire_tests::{require_program, SECRET};
use serde_json::Value;

/// A silent UDP port: bound (so no ICMP), never answered, for as long as it lives.
fn silent_port() -> (std::net::UdpSocket, String) {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let a = s.local_addr().unwrap().to_string();
    (s, a)
}

/// radclient -x prints every request it sends, answered or not; `nacwire send` printed
/// a UDP request only with its reply, so a request to a silent server showed nothing of
/// what was sent (over TCP it did). Now the request is printed, then "No reply"; with
/// --json a `sent` event comes before the `lost` one, as over TCP.
#[test]
fn udp_lost_request_is_printed_as_sent() {
    let (_keep, silent) = silent_port();
    let args = [
        "send",
        "auth",
        &silent,
        SECRET,
        "User-Name=bob",
        "User-Password=hello",
        "-r",
        "0",
        "-t",
        "0.2",
    ];
    let o = run(&args);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let out = stdout(&o);
    let sent = out.find("Sent Access-Request Id ").expect(&out);
    let user = out.find("\tUser-Name = \"bob\"").expect(&out);
    let password = out.find("\tUser-Password = \"hello\"").expect(&out);
    let lost = out.find("No reply to Access-Request Id ").expect(&out);
    assert!(sent < user && user < password && password < lost, "{out}");
    assert!(out.contains(&format!("to {silent} length 61")), "{out}");

    let mut json = args.to_vec();
    json.push("--json");
    let o = run(&json);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let l = json_lines(&o);
    assert_eq!(l.len(), 3, "{l:?}");
    assert_eq!(l[0]["event"], "sent");
    assert_eq!(l[0]["to"], silent.as_str());
    assert_eq!(l[0]["attributes"]["User-Name"], serde_json::json!(["bob"]));
    assert_eq!(l[1]["event"], "lost");
    assert_eq!(l[1]["id"], l[0]["id"]);
    assert_eq!(l[2]["event"], "summary");
    assert_eq!(l[2]["lost"], 1);

    // -q prints no packet, lost or not.
    let mut quiet = args.to_vec();
    quiet.push("-q");
    let o = run(&quiet);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
}

/// radclient leaves an attribute with an empty value out of the packet (RFC 8044
/// §3.5: "Strings of length zero (0) MUST NOT be sent; omit the entire attribute
/// instead"); `nacwire send` sent `User-Name = ""` and `Class = 0x` as 2-octet
/// attributes. Now they are left out with a warning naming each; a raw `Attr-25 = 0x`
/// still sends one (for testing servers).
#[test]
fn empty_values_are_left_out_as_radclient_does() {
    let srv = Serve::start(&["--user", "bob:hello", "--json"]);
    // (but Chargeable-User-Identity, which FreeRADIUS sends empty: RFC 4372 §2, a NAS
    // asks for the CUI with an empty one)
    let input = "User-Name = \"bob\", User-Password = \"hello\", Reply-Message = \"\"\n\
                 Class = 0x, Tunnel-Private-Group-Id:1 = \"\", Cisco-AVPair = \"\"\n\
                 Chargeable-User-Identity = \"\"\n";
    let o = run_stdin(&["send", "auth", &srv.addr(), SECRET, "--json"], input.as_bytes());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let l = json_lines(&o);
    let attrs = l[0]["attributes"].as_object().unwrap();
    let mut names: Vec<&str> = attrs.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Chargeable-User-Identity",
            "Message-Authenticator",
            "User-Name",
            "User-Password"
        ],
        "{}",
        l[0]
    );
    // 20 header + 18 Message-Authenticator + 5 User-Name + 18 User-Password + 2 CUI.
    assert_eq!(l[0]["length"], 63, "{}", l[0]);
    let err = stderr(&o);
    for (at, name, raw) in [
        ("stdin:1", "Reply-Message", "Attr-18"),
        ("stdin:2", "Class", "Attr-25"),
        ("stdin:2", "Tunnel-Private-Group-Id:1", "Attr-81"),
        ("stdin:2", "Cisco-AVPair", "Attr-26.9.1"),
    ] {
        assert!(
            err.contains(&format!("nacwire: warning: {at}: {name}: empty value not sent"))
                && err.contains(&format!("`{raw} = 0x` sends one")),
            "{name}: {err}"
        );
    }
    // One warning each, nothing else (nacwire serve signs its replies).
    assert_eq!(err.lines().count(), 4, "{err}");
}

/// The raw form still sends a zero-length attribute, and -q silences the warning.
#[test]
fn empty_raw_value_is_sent_and_quiet_warns_nothing() {
    let srv = Serve::start(&["--user", "bob:hello"]);
    let o = run(&[
        "send",
        "auth",
        &srv.addr(),
        SECRET,
        "User-Name=bob",
        "User-Password=hello",
        "Attr-25=0x",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let l = json_lines(&o);
    assert_eq!(l[0]["attributes"]["Class"], serde_json::json!(["0x"]), "{}", l[0]);
    assert_eq!(l[0]["length"], 63, "{}", l[0]);
    let o = run(&[
        "send",
        "auth",
        &srv.addr(),
        SECRET,
        "User-Name=bob",
        "User-Password=hello",
        "Class=0x",
        "-q",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

/// What radclient does with the same input, the reason for the change above: its
/// packet reaches `nacwire serve` without the empty attributes.
#[test]
fn radclient_leaves_empty_values_out() {
    let Some(rc) = require_program("radclient") else {
        return;
    };
    let srv = Serve::start(&[
        "--json",
        "--require-message-authenticator",
        "no",
        "--exit-after",
        "1",
    ]);
    let mut child = Command::new(rc)
        .args(["-r", "1", "-t", "1", &srv.addr(), "auth", SECRET])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"User-Name = \"bob\", Class = 0x, Reply-Message = \"\"\n")
        .unwrap();
    let _ = child.wait().unwrap();
    let out = srv.output_after_exit();
    let received: Value = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["event"] == "received")
        .expect(&out);
    assert_eq!(received["length"], 25, "{received}");
    let attrs = received["attributes"].as_object().unwrap();
    assert_eq!(attrs.keys().collect::<Vec<_>>(), ["User-Name"], "{received}");
}

/// clap's "required arguments were not provided" lists them on the lines after; the
/// one-line message kept only the first line, naming nothing. Now the missing
/// arguments and the usage are on the line.
#[test]
fn missing_arguments_are_named() {
    for (args, want) in [
        (
            &["send", "auth"][..],
            "nacwire: the following required arguments were not provided: <SERVER> \
             (usage: nacwire send <KIND> <SERVER> [SECRET] [Name=value]...) (see --help)\n",
        ),
        (
            &["decode"][..],
            "nacwire: the following required arguments were not provided: <INPUT> \
             (usage: nacwire decode <INPUT>) (see --help)\n",
        ),
        (
            &["send"][..],
            "nacwire: the following required arguments were not provided: <KIND> <SERVER> \
             (usage: nacwire send <KIND> <SERVER> [SECRET] [Name=value]...) (see --help)\n",
        ),
    ] {
        let o = run(args);
        assert_eq!(code(&o), 3, "{args:?}");
        assert_eq!(stderr(&o), want, "{args:?}");
        assert_eq!(stdout(&o), "", "{args:?}");
    }
}

/// `nacwire` or `nacwire dict` alone printed the command's description as if it were
/// the error (`nacwire: Check a FreeRADIUS dictionary tree, or show an attribute (see
/// --help)`). Now one line names the commands it wants.
#[test]
fn missing_command_names_the_commands() {
    for (args, want) in [
        (
            &[][..],
            "nacwire: a command is needed: send, serve, decode, dict, ecp, coa \
             (usage: nacwire <COMMAND>) (see --help)\n",
        ),
        (
            &["dict"][..],
            "nacwire: a command is needed: check, show (usage: nacwire dict <COMMAND>) (see --help)\n",
        ),
        (
            &["ecp"][..],
            "nacwire: a command is needed: verify, approve (usage: nacwire ecp <COMMAND>) (see --help)\n",
        ),
        (
            &["coa"][..],
            "nacwire: a command is needed: plan (usage: nacwire coa <COMMAND>) (see --help)\n",
        ),
    ] {
        let o = run(args);
        assert_eq!(code(&o), 3, "{args:?}");
        assert_eq!(stderr(&o), want, "{args:?}");
    }
    // --help is still the full help, on stdout, exit 0.
    let o = run(&["dict", "--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("Commands:"), "{}", stdout(&o));
}

/// `decode ""` decoded an empty packet (`#1 malformed RADIUS packet (0 octets)` then
/// `nacwire: : 1 malformed packet(s)`), and so did an empty file; `decode -` with
/// nothing on stdin already said "empty". Now all three say so in one line, exit 3.
#[test]
fn decode_empty_input_says_empty() {
    let empty = TempFile::new("empty.bin", b"");
    let blank = TempFile::new("blank.txt", b"\n  \n");
    for (args, want) in [
        (
            vec!["decode", ""],
            "nacwire: the input is empty: give hex, a capture or raw packet file, or - for stdin\n"
                .to_string(),
        ),
        (
            vec!["decode", " "],
            "nacwire: the input is empty: give hex, a capture or raw packet file, or - for stdin\n"
                .to_string(),
        ),
        (
            vec!["decode", empty.s()],
            format!(
                "nacwire: {}: empty (give a capture, a raw packet or hex)\n",
                empty.s()
            ),
        ),
        (
            vec!["decode", blank.s()],
            format!(
                "nacwire: {}: empty (give a capture, a raw packet or hex)\n",
                blank.s()
            ),
        ),
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 3, "{args:?}");
        assert_eq!(stderr(&o), want, "{args:?}");
        assert_eq!(stdout(&o), "", "{args:?}");
    }
}

/// Hex text piped to `decode -` was decoded, the same text in a file (a `--json`
/// `hex` field saved, a hex dump from `xxd -p`) was read as raw octets and reported
/// malformed. Now a file is read as stdin is: a capture, else hex text, else raw.
#[test]
fn decode_reads_hex_text_from_a_file() {
    let srv = Serve::start(&["--user", "bob:hello"]);
    let o = run(&[
        "send",
        "auth",
        &srv.addr(),
        SECRET,
        "User-Name=bob",
        "User-Password=hello",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let sent = &json_lines(&o)[0];
    let hex = sent["hex"].as_str().unwrap();
    // One line, and xxd -p's shape: 60 digits a line.
    let wrapped: String = hex
        .as_bytes()
        .chunks(60)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    for text in [format!("{hex}\n"), wrapped] {
        let file = TempFile::new("packet.hex", text.as_bytes());
        let o = run(&["decode", file.s(), "--secret", SECRET]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.starts_with(&format!(
                "#1 Access-Request Id {} length 61 [verified: Message-Authenticator]\n",
                sent["id"]
            )),
            "{out}"
        );
        assert!(out.contains("\tUser-Password = \"hello\"\n"), "{out}");
        // The same bytes raw decode the same.
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let raw = TempFile::new("packet.bin", &bytes);
        let r = run(&["decode", raw.s(), "--secret", SECRET]);
        assert_eq!(code(&r), 0, "{}", stderr(&r));
        assert_eq!(stdout(&r), out);
    }
}

/// radsniff's `-f` is a BPF filter, where `udp portrange 18120-18130` is the habit;
/// `--port` took single ports only (`'18121-18123': give a whole number from 1 to
/// 65535`). Now it takes `LOW-HIGH` too, alone or in a comma list, and the "nothing
/// found" line shows the ranges it looked at.
#[test]
fn decode_port_takes_ranges() {
    // An Access-Request with no attributes, Identifier = the port's last digit.
    // (one second apart)
    let frames: Vec<(f64, Vec<u8>)> = [18121u16, 18122, 18123]
        .iter()
        .map(|&port| {
            let mut p = vec![1, (port % 10) as u8, 0, 20];
            p.extend_from_slice(&[0x11; 16]);
            let t = 1_700_000_000.0 + f64::from(port - 18121);
            (t, udp_frame(([127, 0, 0, 1], 40000), ([127, 0, 0, 1], port), &p))
        })
        .collect();
    let cap = TempFile::new("ports.pcap", pcap(&frames));
    for (ports, ids) in [
        ("18121-18123", &[1, 2, 3][..]),
        ("18120-18122", &[1, 2][..]),
        ("18123,18121-18121", &[1, 3][..]),
        ("18122-18122", &[2][..]),
    ] {
        let o = run(&["decode", cap.s(), "--port", ports]);
        assert_eq!(code(&o), 0, "{ports}: {}", stderr(&o));
        let found: Vec<String> = stdout(&o)
            .lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| l.split_whitespace().nth(3).unwrap().to_string())
            .collect();
        let want: Vec<String> = ids.iter().map(ToString::to_string).collect();
        assert_eq!(found, want, "{ports}: {}", stdout(&o));
    }
    let o = run(&["decode", cap.s(), "--port", "18130-18139"]);
    assert_eq!(code(&o), 3);
    assert!(
        stderr(&o).contains(
            "no RADIUS packet found on ports 1645, 1646, 1700, 1812, 1813, 2083, 3799, 18130-18139 \
             (another port: -p PORT, --port N or --port LOW-HIGH)"
        ),
        "{}",
        stderr(&o)
    );
    for (bad, why) in [
        ("18123-18121", "the range 18123-18121 is backwards: give LOW-HIGH"),
        (
            "0-5",
            "give a whole number from 1 to 65535, or a range LOW-HIGH (18120-18130)",
        ),
        (
            "1-70000",
            "give a whole number from 1 to 65535, or a range LOW-HIGH (18120-18130)",
        ),
    ] {
        let o = run(&["decode", cap.s(), "--port", bad]);
        assert_eq!(code(&o), 3, "{bad}");
        assert_eq!(
            stderr(&o),
            format!("nacwire: invalid value '{bad}' for '--port <PORT[,PORT]>': {why} (see --help)\n"),
            "{bad}"
        );
    }
}

/// `--authenticator` was dropped without a word for Accounting, CoA and Disconnect
/// requests (their Request Authenticator is computed: RFC 2866 §3, RFC 5176 §3). Now a
/// warning says so (not with -q); an Access-Request still carries the one given.
#[test]
fn authenticator_for_computed_requests_warns() {
    let srv = Serve::start(&[]);
    let given = "00112233445566778899aabbccddeeff";
    let o = run(&[
        "send",
        "acct",
        &srv.addr(),
        SECRET,
        "User-Name=bob",
        "Acct-Status-Type=Start",
        "--authenticator",
        given,
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_ne!(json_lines(&o)[0]["authenticator"], given);
    assert_eq!(
        stderr(&o),
        "nacwire: warning: --authenticator is not used for Accounting-Request: its Request \
         Authenticator is computed from the packet and the secret (only Access-Request and \
         Status-Server take a chosen one)\n"
    );
    let o = run(&[
        "send",
        "acct",
        &srv.addr(),
        SECRET,
        "User-Name=bob",
        "Acct-Status-Type=Start",
        "--authenticator",
        given,
        "-q",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let o = run(&[
        "send",
        "auth",
        &srv.addr(),
        SECRET,
        "User-Name=bob",
        "--authenticator",
        given,
        "--json",
    ]);
    // Rejected (no such user), but sent with the authenticator given, and no warning.
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(json_lines(&o)[0]["authenticator"], given);
    assert_eq!(stderr(&o), "");
}

/// `Vendor-Specific = 0x...` whose octets are not a well-formed VSA said only "not a
/// valid vsa value"; radclient refuses `Vendor-Specific = ...` outright and names
/// `Attr-26`. Now the message says what the octets must be and how to send any.
#[test]
fn malformed_vendor_specific_names_the_raw_form() {
    let input = "User-Name = bob\nVendor-Specific = 0x0000000901056162\n";
    let o = run_stdin(&["send", "auth", "127.0.0.1:9", SECRET], input.as_bytes());
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "nacwire: stdin:2: Vendor-Specific: not a valid vsa value (\"0x0000000901056162\"): the \
         octets must parse as Vendor-Specific's structure; `Attr-26 = 0x...` sends any octets\n"
    );
    // A well-formed one goes by name, as Cisco-AVPair = "abc".
    let srv = Serve::start(&[]);
    let o = run(&[
        "send",
        "auth",
        &srv.addr(),
        SECRET,
        "User-Name=bob",
        "Vendor-Specific=0x000000090105616263",
        "--json",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(
        json_lines(&o)[0]["attributes"]["Cisco-AVPair"],
        serde_json::json!(["abc"])
    );
}

/// `coa plan --send` to a NAS that does not answer printed only `nacwire: no reply from
/// ADDR`: not the request it sent (with a reply it prints both). Now the request, then
/// "No reply" with the time waited, as `send` prints it; with --json a `sent` then a
/// `lost` event; exit 2.
#[test]
fn coa_plan_send_lost_prints_the_request() {
    let (_keep, silent) = silent_port();
    let base = [
        "coa",
        "plan",
        "--profile",
        "cisco-ios",
        "--intent",
        "reauthenticate",
        "Acct-Session-Id=S1",
        "--send",
        &silent,
        "--secret",
        SECRET,
        "-t",
        "0.2",
        "-r",
        "0",
    ];
    let o = run(&base);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Sent CoA-Request Id "), "{out}");
    assert!(out.contains("\tAcct-Session-Id = \"S1\"\n"), "{out}");
    assert!(
        out.contains("\tCisco-AVPair = \"subscriber:command=reauthenticate\"\n"),
        "{out}"
    );
    assert!(out.contains("No reply to CoA-Request Id "), "{out}");
    assert!(out.contains(&format!(" from {silent} after ")), "{out}");
    assert_eq!(
        stderr(&o),
        format!("nacwire: no reply from {silent} (is it up, is the port right, is the secret right?)\n")
    );
    let mut json = base.to_vec();
    json.push("--json");
    let o = run(&json);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let l = json_lines(&o);
    assert_eq!(l.len(), 2, "{l:?}");
    assert_eq!(l[0]["event"], "sent");
    assert_eq!(l[0]["code"], "CoA-Request");
    assert_eq!(l[1]["event"], "lost");
    assert_eq!(l[1]["id"], l[0]["id"]);
    assert_eq!(l[1]["to"], silent.as_str());
}

/// `nacwire serve` said "(wrong shared secret?)" for an Accounting-Request whose
/// Request Authenticator failed, not for an Access-Request whose Message-Authenticator
/// failed (`send` adds one to every Access-Request): the same cause, said both ways.
#[test]
fn serve_names_the_secret_for_a_bad_message_authenticator() {
    // (waits for "listening on": a fixed sleep lost the race on a loaded machine)
    let srv = Serve::start(&["--json", "--exit-after", "1"]);
    let listen = srv.addr();
    for kind in ["auth", "acct"] {
        let attrs: &[&str] = if kind == "auth" {
            &["User-Name=bob"]
        } else {
            &["User-Name=bob", "Acct-Status-Type=Start"]
        };
        let mut args = vec!["send", kind, &listen, "not-the-secret", "-r", "0", "-t", "0.3"];
        args.extend_from_slice(attrs);
        let o = run(&args);
        assert_eq!(code(&o), 2, "{kind}: {}", stderr(&o));
    }
    // End it with a request it answers.
    let o = run(&["send", "status", &listen, SECRET]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = srv.output_after_exit();
    let reasons: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["event"] == "dropped")
        .map(|v| v["reason"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        reasons,
        [
            "Message-Authenticator does not verify (wrong shared secret?)",
            "Request Authenticator does not verify (wrong shared secret?)",
        ],
        "{out}"
    );
}

/// The `lost` events of a two-packet `-f` file under `-F --json`: one per packet,
/// each naming the file and its packet.
fn assert_lost_names_both_packets(o: &std::process::Output, file: &TempFile) {
    let lost: Vec<(String, u64)> = json_lines(o)
        .iter()
        .filter(|v| v["event"] == "lost")
        .map(|v| {
            (
                v["file"].as_str().unwrap().to_string(),
                v["packet"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lost,
        [(file.s().to_string(), 0), (file.s().to_string(), 1)],
        "{}",
        stdout(o)
    );
}

/// With -F --json each `received` event names its file and packet; a `lost` one did
/// not, so a script could not tell which packet of a file went unanswered. Now it does.
#[test]
fn print_filename_json_names_lost_packets() {
    let (_keep, silent) = silent_port();
    let file = TempFile::new("two.txt", b"User-Name = a\n\nUser-Name = b\n");
    let o = run(&[
        "send",
        "auth",
        &silent,
        SECRET,
        "-f",
        file.s(),
        "-F",
        "--json",
        "-r",
        "0",
        "-t",
        "0.1",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_lost_names_both_packets(&o, &file);
    // Without -F, no file or packet.
    let o = run(&[
        "send",
        "auth",
        &silent,
        SECRET,
        "-f",
        file.s(),
        "--json",
        "-r",
        "0",
        "-t",
        "0.1",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(json_lines(&o)
        .iter()
        .filter(|v| v["event"] == "lost")
        .all(|v| v.get("file").is_none() && v.get("packet").is_none()));
}

/// The same over TCP: a server that accepts and never answers.
#[test]
fn print_filename_json_names_lost_packets_over_tcp() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let file = TempFile::new("two-tcp.txt", b"User-Name = a\n\nUser-Name = b\n");
    let o = run(&[
        "send",
        "auth",
        &addr,
        SECRET,
        "-P",
        "tcp",
        "-f",
        file.s(),
        "-F",
        "--json",
        "-t",
        "0.2",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_lost_names_both_packets(&o, &file);
}
