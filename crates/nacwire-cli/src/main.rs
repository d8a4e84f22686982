//! `nacwire`: send RADIUS requests (radclient, radtest), run a test responder, decode
//! packets and captures (radsniff), check dictionaries, sign and verify ECP URLs and
//! plan vendor CoA requests. Each subcommand parses its arguments, calls the crates and
//! prints; the sockets are nacwire-io's.
//!
//! Exit codes: 0 expected reply (or a decode that verified), 1 reject/NAK or another
//! reply than expected, 2 lost (no valid reply), 3 usage, input or configuration
//! error (a capture with nothing to decode included), 4 a packet or an ECP URL failed
//! verification with the secret, 130 `send` or `decode` stopped by Ctrl-C (SIGINT) after
//! its partial summary (a second Ctrl-C ends it at once).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `println!` that ends the program quietly when stdout is a closed pipe
/// (`nacwire dict show X | head -1`) instead of panicking.
macro_rules! outln {
    () => { $crate::common::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::common::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

mod coa;
mod common;
mod decode;
mod dict;
mod ecp;
mod interrupt;
mod send;
mod serve;
mod stream;

/// RADIUS from the command line: radclient + radtest + radsniff, with JSON output,
/// fractional timers, load options and a test responder.
#[derive(Debug, Parser)]
#[command(
    name = "nacwire",
    version,
    after_help = "Exit codes: 0 expected reply / verified, 1 reject or NAK, 2 lost (no reply), \
                  3 usage or input error (nothing to decode included), 4 a packet or URL failed \
                  verification (wrong secret?), 130 send or decode interrupted by Ctrl-C (its partial \
                  summary printed; a second Ctrl-C ends it at once)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Send requests: auth, acct, status, coa, disconnect (radclient, radtest).
    Send(send::SendArgs),
    /// Run a test responder that answers and prints each request.
    Serve(serve::ServeArgs),
    /// Decode packets: hex, a raw file, or a pcap/pcapng capture (radsniff).
    Decode(decode::DecodeArgs),
    /// Check a FreeRADIUS dictionary tree, or show an attribute.
    Dict(dict::DictArgs),
    /// Verify or sign ExtremeCloud IQ Controller captive-portal URLs (SigV4).
    Ecp(ecp::EcpArgs),
    /// Plan (and send) the CoA/Disconnect request a vendor profile makes.
    Coa(coa::CoaArgs),
}

/// The one line for a command line that stops before a subcommand (`nacwire`,
/// `nacwire dict`), from clap's rendered help: the commands it could have named.
fn missing_command(help: &str) -> String {
    let usage = help
        .lines()
        .find_map(|l| l.trim().strip_prefix("Usage: "))
        .unwrap_or("nacwire <COMMAND>");
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    if commands.is_empty() {
        format!("a command is needed (usage: {usage})")
    } else {
        format!("a command is needed: {} (usage: {usage})", commands.join(", "))
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if !e.use_stderr() {
                // --help, --version
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let text = e.to_string();
            if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                // `nacwire`, `nacwire dict`: clap renders the whole help (its first
                // line is the command's description, not an error); one line that
                // names the commands instead.
                eprintln!("nacwire: {} (see --help)", missing_command(&text));
                return ExitCode::from(common::exit::USAGE);
            }
            // One line: clap's first line, without its "error: " prefix, what it lists
            // under it ("the following required arguments were not provided:" then
            // `<SERVER>`), and its suggestion ("a similar argument exists:
            // '--timeout'", the possible values) when it has one.
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let first = lines.next().unwrap_or("bad arguments");
            let listed: Vec<&str> = if first.ends_with(':') {
                text.lines()
                    .skip_while(|l| l.trim() != first)
                    .skip(1)
                    .take_while(|l| l.starts_with(char::is_whitespace) && !l.trim().is_empty())
                    .map(str::trim)
                    .collect()
            } else {
                Vec::new()
            };
            let tips: Vec<&str> = lines
                .filter_map(|l| {
                    l.strip_prefix("tip: ")
                        .or_else(|| l.strip_prefix('[').and_then(|l| l.strip_suffix(']')))
                })
                .filter(|t| !t.starts_with("to pass"))
                .collect();
            let mut line = first.trim_start_matches("error: ").to_string();
            if !listed.is_empty() {
                line.push(' ');
                line.push_str(&listed.join(" "));
                if let Some(usage) = text.lines().find_map(|l| l.trim().strip_prefix("Usage: ")) {
                    line.push_str(&format!(" (usage: {usage})"));
                }
            }
            if !tips.is_empty() {
                line.push_str(&format!(" ({})", tips.join("; ")));
            }
            eprintln!("nacwire: {line} (see --help)");
            return ExitCode::from(common::exit::USAGE);
        }
    };
    let result = match cli.command {
        Command::Send(a) => send::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Decode(a) => decode::run(a),
        Command::Dict(a) => dict::run(a),
        Command::Ecp(a) => ecp::run(a),
        Command::Coa(a) => coa::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("nacwire: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
