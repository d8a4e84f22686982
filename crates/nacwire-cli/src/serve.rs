//! `nacwire serve`: a test responder (Access, Accounting, Status-Server, CoA and
//! Disconnect) that prints each request decoded.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use clap::Args;
use nacwire_io::udp::{Request, ServerDrop, ServerEvent, UdpServer};
use radius_codec::{AttrType, Code, Packet, PacketBuilder, Requirement, ServerPolicy};
use radius_dict::{Dictionary, Hiding};
use serde_json::json;

use crate::common::{
    add_item, attributes, attributes_plain, dictionary, emit_json, hiding_vector, packet_json, parse_item,
    print_text, resolve_secret, split_commas, CliResult, Failure, Item,
};
use crate::send::resolve_listen;

/// Arguments of `nacwire serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The shared secret of every client (unless --secret-file or --secret-env).
    secret: Option<String>,
    /// Address to listen on (`HOST[:PORT]`, port 1812 by default; port 0 picks one and
    /// prints it).
    #[arg(short = 'l', long, default_value = "127.0.0.1:1812")]
    listen: String,
    /// Read the secret from the first line of this file.
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// Read the secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    secret_env: Option<String>,
    /// A FreeRADIUS-style users file: `name Cleartext-Password := "pw"` (or
    /// `Auth-Type := Accept|Reject`; `DEFAULT` for anyone else) then indented reply
    /// items, sent with the accept or reject as radiusd does; `%{User-Name}` in a reply
    /// value is replaced. An entry without a password is rejected, other check items
    /// are refused.
    #[arg(short = 'u', long, value_name = "FILE")]
    users: Option<PathBuf>,
    /// A user as `NAME:PASSWORD` (repeatable), accepted with PAP or CHAP.
    #[arg(long = "user", value_name = "NAME:PASSWORD")]
    user: Vec<String>,
    /// NAK CoA/Disconnect requests carrying this attribute, with Error-Cause
    /// (`NAME` or `NAME=CAUSE`; cause 401 Unsupported-Attribute by default). NAME is
    /// a dictionary name or a FreeRADIUS raw one (`Attr-26.9.1`, `Vendor-9-Attr-1`).
    #[arg(long = "nak-if", value_name = "ATTR[=CAUSE]")]
    nak_if: Vec<String>,
    /// A known session (Acct-Session-Id, repeatable): when any is given, CoA and
    /// Disconnect for other sessions get a NAK with Error-Cause 503
    /// Session-Context-Not-Found.
    #[arg(long = "session", value_name = "ID")]
    sessions: Vec<String>,
    /// Refuse Access-Requests without Message-Authenticator (auto: once a client sent one).
    #[arg(long, value_enum, default_value_t = RequireArg::Auto)]
    require_message_authenticator: RequireArg,
    /// A FreeRADIUS dictionary directory instead of the built-in dictionary.
    #[arg(short = 'D', long = "dict-dir", value_name = "DIR")]
    dict_dir: Option<PathBuf>,
    /// One JSON object per line for each request and reply; `attributes` maps each
    /// name to an array of its values, one string per occurrence.
    #[arg(long)]
    json: bool,
    /// Print nothing per request (for benchmarks).
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Exit after answering this many requests. (Ctrl-C stops the server too, with a
    /// one-line tally of requests, replies, drops and duplicates; exit 0.)
    #[arg(long, allow_negative_numbers = true, value_parser = crate::common::whole::<u64>(1, u64::MAX))]
    exit_after: Option<u64>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum RequireArg {
    Auto,
    Yes,
    No,
}

#[derive(Debug, Clone, Default)]
struct User {
    password: Option<String>,
    /// `Auth-Type := Accept` (true) or `Auth-Type := Reject` (false).
    auth_type: Option<bool>,
    reply: Vec<Item>,
    /// Where each of `reply` was read: `FILE:LINE`, for errors found when checking it.
    reply_at: Vec<String>,
}

fn load_users(text: &str, origin: &str) -> CliResult<HashMap<String, User>> {
    let mut users = HashMap::new();
    let mut current: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let content = line.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let bad = |what: &str| Failure::usage(format!("{origin}:{}: {what}", n + 1));
        if line.starts_with([' ', '\t']) {
            let name = current
                .as_ref()
                .ok_or_else(|| bad("reply item before any user"))?;
            for part in split_commas(content) {
                if part.trim().is_empty() {
                    continue;
                }
                let item = parse_item(part).ok_or_else(|| bad("expected `Name := value`"))?;
                let user = users.entry(name.clone()).or_insert_with(User::default);
                user.reply.push(item);
                user.reply_at.push(format!("{origin}:{}", n + 1));
            }
            continue;
        }
        let (name, checks) = match content.strip_prefix('"') {
            Some(rest) => rest
                .split_once('"')
                .ok_or_else(|| bad("unterminated user name"))?,
            None => content.split_once(char::is_whitespace).unwrap_or((content, "")),
        };
        let mut user = User::default();
        for part in split_commas(checks) {
            if part.trim().is_empty() {
                continue;
            }
            let item = parse_item(part).ok_or_else(|| bad("expected `Name := value`"))?;
            if item.name.eq_ignore_ascii_case("Cleartext-Password")
                || item.name.eq_ignore_ascii_case("User-Password")
            {
                user.password = Some(unquote(&item.value));
            } else if item.name.eq_ignore_ascii_case("Auth-Type") {
                match unquote(&item.value).to_ascii_lowercase().as_str() {
                    "accept" => user.auth_type = Some(true),
                    "reject" => user.auth_type = Some(false),
                    // PAP, CHAP ...: the password decides, as without it.
                    _ => {}
                }
            } else {
                // A check item ignored would accept what FreeRADIUS rejects.
                return Err(bad(&format!(
                    "check item `{}` is not supported by nacwire serve (Cleartext-Password, \
                     Auth-Type := Accept or Reject)",
                    item.name
                )));
            }
        }
        users.insert(name.to_string(), user);
        current = Some(name.to_string());
    }
    Ok(users)
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    v.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(v)
        .replace("\\\"", "\"")
}

struct Responder<'a> {
    dict: &'a Dictionary,
    users: HashMap<String, User>,
    /// The attributes that get a NAK (by address: however the option named them),
    /// and the Error-Cause.
    nak_if: Vec<(radius_dict::AttrAddr, String)>,
    sessions: Vec<String>,
}

impl Responder<'_> {
    /// Answers a request the server has verified (signatures and the
    /// Message-Authenticator policy, once: `UdpServer::with_policy`).
    fn answer(&self, req: &Request<'_>) -> Option<Vec<u8>> {
        let p = req.packet.view();
        match p.code() {
            Code::AccessRequest => {
                let (ok, user) = self.authenticate(&p, req.secret);
                let mut b = PacketBuilder::reply_to(
                    &p,
                    if ok {
                        Code::AccessAccept
                    } else {
                        Code::AccessReject
                    },
                );
                // The matched entry's reply items go with the reply, accept or reject,
                // as radiusd sends them (`DEFAULT Auth-Type := Reject` then
                // `Reply-Message = "denied"`; a wrong password gets them too).
                if let Some((name, u)) = user {
                    // Only users with reply items pay for the name.
                    let name = if u.reply.is_empty() {
                        String::new()
                    } else {
                        String::from_utf8_lossy(name).into_owned()
                    };
                    let hiding = Hiding {
                        secret: req.secret,
                        salt: 0x8000 | u16::from(p.identifier()),
                    };
                    for item in &u.reply {
                        let item = Item {
                            name: item.name.clone(),
                            value: item.value.replace("%{User-Name}", &name),
                        };
                        let _ = add_item(self.dict, &mut b, &item, &hiding);
                    }
                }
                b.finish(req.secret).ok()
            }
            Code::AccountingRequest => PacketBuilder::reply_to(&p, Code::AccountingResponse)
                .finish(req.secret)
                .ok(),
            Code::StatusServer => PacketBuilder::reply_to(&p, Code::AccessAccept)
                .finish(req.secret)
                .ok(),
            Code::CoaRequest | Code::DisconnectRequest => {
                let (ack, nak) = if p.code() == Code::CoaRequest {
                    (Code::CoaAck, Code::CoaNak)
                } else {
                    (Code::DisconnectAck, Code::DisconnectNak)
                };
                let cause = self.nak_cause(&p);
                let mut b = PacketBuilder::reply_to(&p, if cause.is_some() { nak } else { ack });
                if let Some(c) = cause {
                    let hiding = Hiding {
                        secret: req.secret,
                        salt: 0x8001,
                    };
                    let _ = add_item(
                        self.dict,
                        &mut b,
                        &Item {
                            name: "Error-Cause".into(),
                            value: c,
                        },
                        &hiding,
                    );
                }
                b.finish(req.secret).ok()
            }
            _ => None,
        }
    }

    fn nak_cause(&self, p: &Packet<&[u8]>) -> Option<String> {
        let attrs = self.dict.decode(p, None);
        for (addr, cause) in &self.nak_if {
            if attrs.iter().any(|a| a.addr == *addr) {
                return Some(cause.clone());
            }
        }
        if !self.sessions.is_empty() {
            let sid = p
                .first(AttrType(44))
                .map(|a| String::from_utf8_lossy(a.value()).into_owned());
            if !sid.is_some_and(|s| self.sessions.contains(&s)) {
                return Some("Session-Context-Not-Found".into());
            }
        }
        None
    }

    fn authenticate<'p>(
        &self,
        p: &Packet<&'p [u8]>,
        secret: &radius_codec::SharedSecret,
    ) -> (bool, Option<(&'p [u8], &User)>) {
        let Some(name) = p.first(AttrType::USER_NAME).map(|a| a.value()) else {
            return (false, None);
        };
        let user = std::str::from_utf8(name)
            .ok()
            .and_then(|n| self.users.get(n))
            .or_else(|| self.users.get(String::from_utf8_lossy(name).as_ref()))
            .or_else(|| self.users.get("DEFAULT"));
        let Some(user) = user else {
            return (false, None);
        };
        let ok = match (&user.password, user.auth_type) {
            (_, Some(decided)) => decided,
            // FreeRADIUS: no known good password, no Auth-Type: reject.
            (None, None) => false,
            (Some(pw), None) => {
                if let Some(hidden) = p.first(AttrType::USER_PASSWORD) {
                    radius_codec::crypto::unhide_user_password(hidden.value(), secret, &p.authenticator())
                        .is_ok_and(|clear| radius_codec::crypto::ct_eq(&clear, pw.as_bytes()))
                } else if p.first(AttrType::CHAP_PASSWORD).is_some() {
                    p.verify_chap_password(pw.as_bytes()).unwrap_or(false)
                } else {
                    false
                }
            }
        };
        (ok, Some((name, user)))
    }
}

pub(crate) fn run(args: ServeArgs) -> CliResult<u8> {
    let secret = resolve_secret(
        args.secret.as_deref(),
        args.secret_file.as_deref(),
        args.secret_env.as_deref(),
    )?;
    let dict = dictionary(args.dict_dir.as_deref())?;
    let addr = resolve_listen(&args.listen, 1812)?;
    let mut users = HashMap::new();
    if let Some(f) = &args.users {
        let text = crate::common::read_text_file(f, crate::common::MAX_TEXT_INPUT)?;
        users = load_users(&text, &f.display().to_string())?;
    }
    for u in &args.user {
        let (n, p) = u
            .split_once(':')
            .ok_or_else(|| Failure::usage(format!("--user `{u}`: expected NAME:PASSWORD")))?;
        users.insert(
            n.to_string(),
            User {
                password: Some(p.to_string()),
                auth_type: None,
                reply: Vec::new(),
                reply_at: Vec::new(),
            },
        );
    }
    // Every reply item and NAK cause is checked now, on a scratch packet, so that a
    // typo is an error at start and not a silently shorter reply later.
    let scratch_secret = radius_codec::SharedSecret::from("check");
    let scratch_hiding = Hiding {
        secret: &scratch_secret,
        salt: 0x8000,
    };
    let mut scratch = PacketBuilder::new(Code::AccessAccept, 0, [0; 16]);
    for (name, user) in &users {
        for (item, at) in user.reply.iter().zip(&user.reply_at) {
            let item = Item {
                name: item.name.clone(),
                value: item.value.replace("%{User-Name}", name),
            };
            add_item(dict, &mut scratch, &item, &scratch_hiding)
                .map_err(|e| Failure::usage(format!("{at}: user `{name}`: reply {e}")))?;
        }
    }
    let mut nak_if = Vec::new();
    for n in &args.nak_if {
        let (name, cause) = n.split_once('=').unwrap_or((n.as_str(), "Unsupported-Attribute"));
        let addr = crate::common::attr_named(dict, name)
            .map_err(|e| Failure::usage(format!("--nak-if: {e}")))?
            .0
            .addr();
        let item = Item {
            name: "Error-Cause".into(),
            value: cause.to_string(),
        };
        add_item(dict, &mut scratch, &item, &scratch_hiding)
            .map_err(|e| Failure::usage(format!("--nak-if {n}: {e}")))?;
        nak_if.push((addr, cause.to_string()));
    }
    if args.exit_after == Some(0) {
        return Err(Failure::usage("--exit-after must be at least 1"));
    }
    let responder = Responder {
        dict,
        users,
        nak_if,
        sessions: args.sessions.clone(),
    };
    let policy = ServerPolicy::new(
        match args.require_message_authenticator {
            RequireArg::Auto => Requirement::Auto,
            RequireArg::Yes => Requirement::Yes,
            RequireArg::No => Requirement::No,
        },
        Requirement::Auto,
    );
    // One keyed secret for every client, used in place (keying one per request cost
    // two MD5 blocks, and wiping a copy two more).
    let mut server = UdpServer::bind_with_secret(addr, secret)
        .map_err(|e| Failure::usage(format!("{addr}: {e}")))?
        .with_policy(policy);
    let local = server.local_addr().map_err(|e| Failure::usage(e.to_string()))?;
    eprintln!("nacwire serve: listening on {local} (udp)");
    let stop = server.stop_flag();
    // Ctrl-C stops the server (its stop flag) and is told apart from --exit-after.
    let interrupt = crate::interrupt::Interrupt::install(Some(server.stop_flag()));
    let started = std::time::Instant::now();
    let (mut replied, mut dropped, mut duplicates) = (0u64, 0u64, 0u64);
    let answered = Arc::new(AtomicU64::new(0));
    let exit_after = args.exit_after;
    let (json_out, quiet) = (args.json, args.quiet);
    let stdout = std::io::stdout();
    let counter = Arc::clone(&answered);
    server
        .run(
            |req| responder.answer(req),
            |ev| {
                let mut out = stdout.lock();
                match ev {
                    ServerEvent::Handled { request, reply } => {
                        let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
                        replied += u64::from(reply.is_some());
                        if !quiet {
                            let p = request.packet.view();
                            let decode = if json_out { attributes_plain } else { attributes };
                            let attrs = decode(dict, &p, Some((request.secret, hiding_vector(&p, None))));
                            let rp = reply.and_then(|r| Packet::new_checked(r).ok());
                            let rattrs = rp
                                .as_ref()
                                .map(|r| decode(dict, r, Some((request.secret, p.authenticator()))))
                                .unwrap_or_default();
                            if json_out {
                                let mut m = packet_json("received", &p, &attrs);
                                m.insert("from".into(), json!(request.peer.to_string()));
                                emit_json(&mut out, &serde_json::Value::Object(m));
                                if let Some(r) = &rp {
                                    let mut m = packet_json("sent", r, &rattrs);
                                    m.insert("to".into(), json!(request.peer.to_string()));
                                    emit_json(&mut out, &serde_json::Value::Object(m));
                                }
                            } else {
                                print_text(
                                    &mut out,
                                    &format!(
                                        "Received {} Id {} from {} to {local} length {}",
                                        p.code(),
                                        p.identifier(),
                                        request.peer,
                                        p.length()
                                    ),
                                    &attrs,
                                );
                                match &rp {
                                    Some(r) => print_text(
                                        &mut out,
                                        &format!(
                                            "Sent {} Id {} from {local} to {} length {}",
                                            r.code(),
                                            r.identifier(),
                                            request.peer,
                                            r.length()
                                        ),
                                        &rattrs,
                                    ),
                                    None => {
                                        let _ = writeln!(out, "(no reply)");
                                    }
                                }
                            }
                            let _ = out.flush();
                        }
                        if exit_after.is_some_and(|m| n >= m) {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                    ServerEvent::Dropped { peer, reason } => {
                        dropped += 1;
                        let why = match reason {
                            ServerDrop::UnknownClient => "unknown client".to_string(),
                            // The codec says "(wrong shared secret?)" for a Request
                            // Authenticator; a Message-Authenticator that does not
                            // verify has the same usual cause.
                            ServerDrop::Invalid(e @ radius_codec::Error::BadMessageAuthenticator) => {
                                format!("{e} (wrong shared secret?)")
                            }
                            ServerDrop::Invalid(e) => e.to_string(),
                            _ => "dropped".to_string(),
                        };
                        if json_out {
                            emit_json(
                                &mut out,
                                &json!({"event": "dropped", "from": peer.to_string(), "reason": why}),
                            );
                        } else {
                            eprintln!("nacwire serve: dropped a packet from {peer}: {why}");
                        }
                    }
                    ServerEvent::Duplicate { .. } => duplicates += 1,
                    _ => {}
                }
            },
        )
        .map_err(|e| Failure::usage(format!("{local}: {e}")))?;
    if interrupt.is_set() {
        // Ctrl-C: one line with what was counted, then exit 0 (stopping is the way to
        // end a test responder).
        let requests = answered.load(Ordering::Relaxed);
        let seconds = started.elapsed().as_secs_f64();
        let mut out = std::io::stdout().lock();
        if json_out {
            emit_json(
                &mut out,
                &json!({"event": "summary", "interrupted": true, "requests": requests, "replied": replied,
                        "dropped": dropped, "duplicates": duplicates, "seconds": seconds}),
            );
        } else {
            let _ = writeln!(
                out,
                "interrupted: requests {requests} replied {replied} dropped {dropped} duplicates {duplicates} over {seconds:.3} s"
            );
        }
        let _ = out.flush();
    }
    Ok(0)
}
