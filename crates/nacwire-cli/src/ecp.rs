//! `nacwire ecp verify` and `nacwire ecp approve`: ExtremeCloud IQ Controller external
//! captive portal redirects (SigV4 presigned URLs).

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use ecp_sigv4::{Approval, ControllerRedirect, Keyring, Secret, Signer, Verifier};
use serde_json::json;

use crate::common::{emit_json, exit, CliResult, Failure};

/// Arguments of `nacwire ecp`.
#[derive(Debug, Args)]
pub(crate) struct EcpArgs {
    #[command(subcommand)]
    command: EcpCommand,
}

#[derive(Debug, Args)]
struct Key {
    /// The identity (access key id) the controller signs with.
    #[arg(long)]
    identity: String,
    /// The shared secret, first line of this file.
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// The shared secret, from this environment variable.
    #[arg(long, value_name = "VAR")]
    secret_env: Option<String>,
    /// The time to check against, in Unix seconds (default: now).
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true,
          value_parser = crate::common::whole::<u64>(0, u64::MAX))]
    now: Option<u64>,
    /// Also accept a URL whose query a proxy or web framework re-encoded (`+` for a
    /// space, `%21` for `!`). The signature then covers the decoded values, not the
    /// octets received: prefer the URL exactly as the portal received it.
    #[arg(long)]
    allow_reencoded_query: bool,
    /// The longest validity (X-Amz-Expires) a URL may carry, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 900, allow_negative_numbers = true,
          value_parser = crate::common::whole::<u64>(1, 604_800))]
    max_expires: u64,
}

#[derive(Debug, Subcommand)]
enum EcpCommand {
    /// Verify a controller redirect URL and print its fields.
    Verify {
        /// The URL as the portal received it.
        url: String,
        #[command(flatten)]
        key: Key,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Sign an approval URL (`/ext_approval.php`) for the controller.
    Approve {
        #[command(flatten)]
        key: Key,
        /// Take token, WLAN, destination and controller address from this (verified)
        /// redirect URL.
        #[arg(long)]
        redirect: Option<String>,
        /// The token from the redirect.
        #[arg(long)]
        token: Option<String>,
        /// The WLAN id from the redirect.
        #[arg(long)]
        wlan: Option<String>,
        /// The controller address (hwc_ip).
        #[arg(long)]
        hwc_ip: Option<String>,
        /// The controller port (hwc_port).
        #[arg(long, allow_negative_numbers = true, value_parser = crate::common::whole::<u16>(1, 65535))]
        hwc_port: Option<u16>,
        /// The user name to record.
        #[arg(long)]
        username: String,
        /// The role to assign.
        #[arg(long)]
        role: Option<String>,
        /// Session-Timeout in seconds.
        #[arg(long, allow_negative_numbers = true,
              value_parser = crate::common::whole::<u32>(0, u64::from(u32::MAX)))]
        opt27: Option<u32>,
        /// Where to send the guest afterwards.
        #[arg(long)]
        dest: Option<String>,
        /// Validity of the signed URL in seconds (at most 604800, SigV4's seven days).
        #[arg(long, default_value_t = 60, allow_negative_numbers = true,
              value_parser = crate::common::whole::<u64>(1, 604_800))]
        expires: u64,
    },
}

fn secret(key: &Key) -> CliResult<Secret> {
    if key.secret_file.is_none() && key.secret_env.is_none() {
        return Err(Failure::usage(
            "no secret: give --secret-file FILE or --secret-env VAR",
        ));
    }
    let s = crate::common::resolve_secret(None, key.secret_file.as_deref(), key.secret_env.as_deref())?;
    Ok(Secret::new(s.expose().to_vec()))
}

/// Why a URL did not verify, in the command line's terms: the library's messages name
/// its own options (`Verifier::reserialized_query_fallback`, `parse_unsigned`); these
/// name the flags of `nacwire ecp`.
fn verify_failure(e: &ecp_sigv4::Error, key: &Key) -> String {
    use ecp_sigv4::Error as E;
    let at = key
        .now
        .map_or_else(String::new, |n| format!(" (checked at --now {n})"));
    match e {
        E::BadSignature => format!(
            "signature does not match: either the secret (--secret-file/--secret-env) differs from the \
             controller's, or the URL checked is not the one signed. Usual causes: the portal URL \
             configured on the controller (scheme, host, port, path) differs from the URL given; the URL \
             was rebuilt from a Host header; a proxy or web framework re-encoded the query (give the URL \
             exactly as received, in single quotes{})",
            if key.allow_reencoded_query {
                ""
            } else {
                ", or try --allow-reencoded-query"
            }
        ),
        E::UnknownIdentity(signer) => format!(
            "the URL is signed by identity {signer:?}, not by --identity {:?}",
            key.identity
        ),
        E::NotSigned => "the URL is not signed (no X-Amz-* parameters): set the Identity and Shared Secret \
                         in the WLAN's external captive portal settings on the controller"
            .to_string(),
        E::Expired { .. } | E::NotYetValid { .. } if key.now.is_some() => format!("{e}{at}"),
        E::Expired { .. } | E::NotYetValid { .. } => {
            format!("{e}; --now UNIX_SECONDS checks it at another time")
        }
        E::ExpiresTooLong { .. } => format!("{e} (raise the limit with --max-expires)"),
        other => other.to_string(),
    }
}

/// Why an approval could not be signed, naming the flag at fault.
fn approve_failure(e: &ecp_sigv4::Error, from_redirect: bool) -> String {
    use ecp_sigv4::Error as E;
    let via = if from_redirect { "" } else { " (or --redirect)" };
    match e {
        E::MissingParameter(p @ ("token" | "wlan")) => format!("--{p}{via} is required"),
        E::MissingParameter("username") => "--username must not be empty".to_string(),
        E::InvalidHost { host } => format!("--hwc-ip {host:?} is not a hostname or an IP address"),
        E::BadCredential => "--identity must not be empty nor contain `/`".to_string(),
        other => format!("approval: {other}"),
    }
}

fn now(key: &Key) -> SystemTime {
    key.now
        .map_or_else(SystemTime::now, |s| UNIX_EPOCH + Duration::from_secs(s))
}

fn verified_query<'u>(url: &'u str, key: &Key) -> CliResult<ecp_sigv4::SignedQuery<'u>> {
    let mut keys = Keyring::new();
    keys.insert(key.identity.clone(), secret(key)?);
    let verifier = Verifier::new(keys)
        .reserialized_query_fallback(key.allow_reencoded_query)
        .max_expires(key.max_expires);
    verifier.verify_url(url, now(key)).map_err(|e| {
        use ecp_sigv4::Error as E;
        // A signature, identity or time window that does not check out is exit 4; a
        // URL that cannot be read at all is an input error (3).
        let code = match e {
            E::BadSignature
            | E::UnknownIdentity(_)
            | E::NotSigned
            | E::Expired { .. }
            | E::NotYetValid { .. }
            | E::ExpiresTooLong { .. } => exit::BAD_SECRET,
            _ => exit::USAGE,
        };
        Failure {
            code,
            message: format!("URL does not verify: {}", verify_failure(&e, key)),
        }
    })
}

fn verified<'u>(url: &'u str, key: &Key) -> CliResult<ControllerRedirect<'u>> {
    let q = verified_query(url, key)?;
    ControllerRedirect::from_query(&q)
        .map_err(|e| Failure::usage(format!("--redirect: not a controller redirect: {e}")))
}

pub(crate) fn run(args: EcpArgs) -> CliResult<u8> {
    match args.command {
        EcpCommand::Verify { url, key, json } => {
            let q = verified_query(&url, &key)?;
            let Ok(r) = ControllerRedirect::from_query(&q) else {
                // Not a controller redirect (an approval URL, say): the signed parameters.
                let params: Vec<(String, String)> = q
                    .params()
                    .map(|(k, _)| (k.to_string(), q.get(k).ok().flatten().unwrap_or_default()))
                    .collect();
                if json {
                    let mut m = serde_json::Map::new();
                    m.insert("verified".into(), json!(true));
                    for (k, v) in params {
                        m.insert(k, json!(v));
                    }
                    emit_json(&mut std::io::stdout(), &serde_json::Value::Object(m));
                } else {
                    outln!("verified: signed by {}", key.identity);
                    for (k, v) in params {
                        outln!("\t{k} = {v}");
                    }
                }
                return Ok(0);
            };
            let fields = [
                ("token", Some(r.token.to_string())),
                ("wlan", Some(r.wlan.to_string())),
                ("dest", Some(r.dest.to_string())),
                ("hwc_ip", r.hwc_ip.as_ref().map(ToString::to_string)),
                ("hwc_port", r.hwc_port.map(|p| p.to_string())),
                ("mac", r.mac.as_ref().map(|m| format!("{m:?}"))),
                ("bssid", r.bssid.as_ref().map(|m| format!("{m:?}"))),
                ("ssid", r.ssid.as_ref().and_then(|s| s.text().map(str::to_string))),
                ("role", r.role.as_ref().map(ToString::to_string)),
                ("vlan", r.vlan.map(|v| v.to_string())),
                ("ap", r.ap.as_ref().map(ToString::to_string)),
                ("vns", r.vns.as_ref().map(ToString::to_string)),
            ];
            if json {
                let mut m = serde_json::Map::new();
                m.insert("verified".into(), json!(true));
                for (k, v) in fields {
                    if let Some(v) = v {
                        m.insert(k.into(), json!(v));
                    }
                }
                emit_json(&mut std::io::stdout(), &serde_json::Value::Object(m));
            } else {
                outln!("verified: signed by {}", key.identity);
                for (k, v) in fields {
                    if let Some(v) = v {
                        outln!("\t{k} = {v}");
                    }
                }
            }
            Ok(0)
        }
        EcpCommand::Approve {
            key,
            redirect,
            token,
            wlan,
            hwc_ip,
            hwc_port,
            username,
            role,
            opt27,
            dest,
            expires,
        } => {
            let mut approval = Approval {
                token: String::new(),
                wlan: String::new(),
                username,
                dest: None,
                role,
                opt27,
            };
            let (mut ip, mut port) = (None, None);
            if let Some(url) = &redirect {
                let r = verified(url, &key)?;
                approval = Approval {
                    role: approval.role,
                    opt27: approval.opt27,
                    ..Approval::for_redirect(&r, approval.username)
                };
                ip = r.hwc_ip.as_ref().map(ToString::to_string);
                port = r.hwc_port;
            }
            if let Some(t) = token {
                approval.token = t;
            }
            if let Some(w) = wlan {
                approval.wlan = w;
            }
            if dest.is_some() {
                approval.dest = dest;
            }
            let ip = hwc_ip
                .or(ip)
                .ok_or_else(|| Failure::usage("--hwc-ip (or --redirect) is required"))?;
            let port = hwc_port.or(port).unwrap_or(443);
            let signer = Signer::new(key.identity.clone(), secret(&key)?).expires(expires);
            let url = approval
                .signed_url(&ip, port, &signer, now(&key))
                .map_err(|e| Failure::usage(approve_failure(&e, redirect.is_some())))?;
            outln!("{url}");
            Ok(0)
        }
    }
}
