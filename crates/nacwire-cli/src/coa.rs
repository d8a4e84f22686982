//! `nacwire coa plan`: the request a vendor profile makes for a session and an intent,
//! printed, or sent with `--send`.

use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

use clap::{Args, Subcommand};
use nac_model::{Intent, Profile, ReauthKind, Session};
use nacwire_io::udp::{Event, UdpClient, UdpClientOptions};
use radius_codec::{Packet, PacketBuilder, SharedSecret};
use radius_dict::Hiding;
use serde_json::json;

use crate::common::{
    add_item, attributes, attributes_plain, dictionary, emit_json, exit, packet_json, parse_item, print_text,
    resolve_secret, CliResult, Failure,
};

/// Arguments of `nacwire coa`.
#[derive(Debug, Args)]
pub(crate) struct CoaArgs {
    #[command(subcommand)]
    command: CoaCommand,
}

#[derive(Debug, Subcommand)]
enum CoaCommand {
    /// Print (or send) the CoA/Disconnect request a vendor profile makes for a session.
    Plan(PlanArgs),
}

#[derive(Debug, Args)]
struct PlanArgs {
    /// The vendor profile: generic (RFC 5176), cisco-ios, cisco-wlc, cisco-isg,
    /// juniper-mx, aruba-controller, aruba-cx, hp-aos-switch, extreme, mikrotik, meraki,
    /// fortigate, fortiswitch, ruckus.
    #[arg(long)]
    profile: String,
    /// The intent: reauthenticate, disconnect, change-role:ROLE, apply-filter:NAME,
    /// session-timeout:SECONDS, idle-timeout:SECONDS, bounce-port, disable-port,
    /// account-logon, account-logoff, authorize-only.
    #[arg(long)]
    intent: String,
    /// The session, as the attributes of its Accounting-Request (`Name=value`:
    /// User-Name, Acct-Session-Id, Calling-Station-Id, NAS-IP-Address, ...).
    session: Vec<String>,
    /// Send it to this NAS (`HOST[:PORT]`, the profile's port by default) and wait for
    /// the reply.
    #[arg(long, value_name = "NAS")]
    send: Option<String>,
    /// The shared secret with the NAS (for --send, and to show the packet).
    #[arg(long)]
    secret: Option<String>,
    /// Read the secret from the first line of this file.
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// Seconds to wait for a reply before each retransmission.
    #[arg(short = 't', long, default_value_t = 3.0, allow_negative_numbers = true,
          value_parser = crate::common::seconds_arg)]
    timeout: f64,
    /// Retransmissions.
    #[arg(short = 'r', long, default_value_t = 2, allow_negative_numbers = true,
          value_parser = crate::common::whole::<u32>(0, u64::MAX))]
    retries: u32,
    /// One JSON object per line: the planned packet, or with --send the packet sent
    /// and the reply; `attributes` maps each name to an array of its values, one string
    /// per occurrence.
    #[arg(long)]
    json: bool,
}

fn intent(text: &str) -> CliResult<Intent> {
    let (name, arg) = text.split_once(':').map_or((text, None), |(n, a)| (n, Some(a)));
    let num = |a: Option<&str>| {
        a.and_then(|s| s.parse::<u32>().ok())
            .ok_or_else(|| Failure::usage(format!("--intent {name}:SECONDS needs a number")))
    };
    let word = |a: Option<&str>| {
        a.filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| Failure::usage(format!("--intent {name}:NAME needs a name")))
    };
    Ok(match name.to_ascii_lowercase().as_str() {
        "reauthenticate" | "reauth" => Intent::Reauthenticate(match arg {
            Some("last") => ReauthKind::Last,
            Some("rerun") => ReauthKind::Rerun,
            _ => ReauthKind::Default,
        }),
        "disconnect" => Intent::Disconnect {
            terminate_cause: arg.and_then(|a| a.parse().ok()),
        },
        "change-role" | "role" => Intent::ChangeRole(word(arg)?),
        "apply-filter" | "filter" => Intent::ApplyFilter(word(arg)?),
        "session-timeout" => Intent::SessionTimeout(num(arg)?),
        "idle-timeout" => Intent::IdleTimeout(num(arg)?),
        "bounce-port" => Intent::BouncePort {
            seconds: arg.and_then(|a| a.parse().ok()),
        },
        "disable-port" => Intent::DisablePort,
        "account-logon" => Intent::AccountLogon,
        "account-logoff" => Intent::AccountLogoff,
        "authorize-only" => Intent::AuthorizeOnly,
        _ => return Err(Failure::usage(format!("unknown intent `{text}`"))),
    })
}

pub(crate) fn run(args: CoaArgs) -> CliResult<u8> {
    let CoaCommand::Plan(a) = args.command;
    let dict = dictionary(None)?;
    let profile = Profile::by_name(&a.profile)
        .or_else(|| (a.profile.eq_ignore_ascii_case("rfc5176")).then_some(Profile::GENERIC))
        .ok_or_else(|| {
            let names: Vec<String> = Profile::ALL.iter().map(|p| p.name.to_string()).collect();
            Failure::usage(format!(
                "unknown profile `{}` (one of: {})",
                a.profile,
                names.join(", ")
            ))
        })?;
    let intent = intent(&a.intent)?;
    // The session, read by nac-model from an Accounting-Request made of the arguments.
    let secret = match (&a.secret, &a.secret_file) {
        (None, None) => SharedSecret::from("unused"),
        _ => resolve_secret(a.secret.as_deref(), a.secret_file.as_deref(), None)?,
    };
    let mut b = PacketBuilder::accounting_request(0);
    for s in &a.session {
        let item =
            parse_item(s).ok_or_else(|| Failure::usage(format!("expected `Name=value`, got `{s}`")))?;
        add_item(
            dict,
            &mut b,
            &item,
            &Hiding {
                secret: &secret,
                salt: 0x8001,
            },
        )
        .map_err(Failure::usage)?;
    }
    let acct = b
        .finish(&secret)
        .map_err(|e| Failure::usage(format!("session: {e}")))?;
    let session = Session::from_packet(&Packet::new_unchecked(&acct[..]))
        .map_err(|e| Failure::usage(format!("session: {e}")))?;
    let plan = profile
        .plan(&session, &intent, SystemTime::now())
        .map_err(|e| Failure::usage(crate::common::named(&profile.name, e)))?;
    let bytes = plan
        .encode(0, &secret)
        .map_err(|e| Failure::usage(format!("encode: {e}")))?;
    let p = bytes.view();
    let mut out = std::io::stdout();
    let Some(nas) = &a.send else {
        if a.json {
            let mut m = packet_json("plan", &p, &attributes_plain(dict, &p, None));
            m.insert("profile".into(), json!(profile.name));
            m.insert("port".into(), json!(plan.port));
            m.insert(
                "deviations".into(),
                json!(plan
                    .deviations
                    .iter()
                    .map(|d| format!("{d:?}"))
                    .collect::<Vec<_>>()),
            );
            emit_json(&mut out, &serde_json::Value::Object(m));
        } else {
            print_text(
                &mut out,
                &format!("{} for {} (UDP port {}):", p.code(), profile.name, plan.port),
                &attributes(dict, &p, None),
            );
            for d in &plan.deviations {
                outln!("(RFC 5176 deviation on purpose: {d:?})");
            }
        }
        return Ok(0);
    };
    if a.secret.is_none() && a.secret_file.is_none() {
        return Err(Failure::usage("--send needs --secret or --secret-file"));
    }
    let addr = crate::send::resolve_addr(nas, plan.port)?;
    let timeout = crate::common::seconds("--timeout", a.timeout)?;
    let opts = UdpClientOptions {
        retransmit: crate::common::retransmit(timeout, a.retries),
        // a random first Identifier, as `send` (and radclient) take
        first_identifier: crate::send::random16()[0],
        jitter: false,
        ..UdpClientOptions::default()
    };
    let mut client =
        UdpClient::new(addr, secret, opts).map_err(|e| Failure::usage(format!("{addr}: {e}")))?;
    let ev = client
        .request(|id, s| plan.encode(id, s).map(Packet::into_inner))
        .map_err(|e| Failure::usage(format!("{addr}: {e}")))?;
    // The request as sent, printed first whatever came back (as `send` prints it).
    let print_sent = |out: &mut std::io::Stdout, req: &Packet<&[u8]>| {
        if a.json {
            let sent = packet_json("sent", req, &attributes_plain(dict, req, None));
            emit_json(out, &serde_json::Value::Object(sent));
        } else {
            print_text(
                out,
                &format!("Sent {} Id {} to {addr}", req.code(), req.identifier()),
                &attributes(dict, req, None),
            );
        }
    };
    match ev {
        Event::Reply {
            request,
            reply,
            elapsed,
            ..
        } => {
            let req = Packet::new_unchecked(&request[..]);
            let rep = Packet::new_unchecked(&reply[..]);
            let outcome = nac_model::Reply::from_packet(&rep)
                .map(|r| plan.outcome(&r).to_string())
                .unwrap_or_default();
            print_sent(&mut out, &req);
            if a.json {
                let mut m = packet_json("received", &rep, &attributes_plain(dict, &rep, None));
                m.insert("outcome".into(), json!(outcome));
                m.insert("elapsed_ms".into(), json!(crate::common::ms(elapsed)));
                emit_json(&mut out, &serde_json::Value::Object(m));
            } else {
                print_text(
                    &mut out,
                    &format!(
                        "Received {} Id {} from {addr}: {outcome}",
                        rep.code(),
                        rep.identifier()
                    ),
                    &attributes(dict, &rep, None),
                );
            }
            let ok = matches!(
                rep.code(),
                radius_codec::Code::CoaAck | radius_codec::Code::DisconnectAck
            ) || (plan.authorize_only && rep.code() == radius_codec::Code::CoaNak);
            Ok(if ok { exit::OK } else { exit::REJECTED })
        }
        Event::Lost { request, elapsed, .. } => {
            // What was sent, then that it went unanswered (as `send` prints it).
            let req = Packet::new_unchecked(&request[..]);
            print_sent(&mut out, &req);
            if a.json {
                emit_json(
                    &mut out,
                    &json!({"event": "lost", "code": req.code().to_string(), "id": req.identifier(),
                            "to": addr.to_string(), "elapsed_ms": crate::common::ms(elapsed)}),
                );
            } else {
                let _ = writeln!(
                    out,
                    "No reply to {} Id {} from {addr} after {:.3} s",
                    req.code(),
                    req.identifier(),
                    elapsed.as_secs_f64()
                );
            }
            let _ = out.flush();
            eprintln!("nacwire: no reply from {addr} (is it up, is the port right, is the secret right?)");
            Ok(exit::LOST)
        }
        Event::Refused { error, .. } => {
            eprintln!("nacwire: the reply from {addr} was refused: {error}");
            Ok(exit::LOST)
        }
        _ => {
            eprintln!("nacwire: no reply from {addr}");
            Ok(exit::LOST)
        }
    }
}
