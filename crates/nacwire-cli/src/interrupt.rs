//! Ctrl-C (SIGINT) during `send`, `serve` and `decode`: the first one only sets a flag
//! that the send and serve loops check at least once a second, and `decode` between
//! two packets (on stdin, once its next frame or its end arrives), so that they stop,
//! print what they measured and exit ([`crate::common::exit::INTERRUPTED`] for `send`
//! and `decode`); a second one kills the process at once, as if nothing had been
//! registered.
//!
//! signal-hook's `flag` module sets an `AtomicBool` from the handler (no thread, no
//! `unsafe` here). Blocking reads that the signal interrupts (`EINTR`) are already
//! "nothing received" to nacwire-io, so the loops come back to the flag within their
//! deadline; the TCP/TLS client is given the flag ([`Interrupt::flag`]) so that a
//! connect, a TLS handshake or a write the server does not take gives up too.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use signal_hook::consts::SIGINT;
use signal_hook::flag;

/// Whether Ctrl-C was pressed since [`Interrupt::install`].
#[derive(Debug, Clone)]
pub(crate) struct Interrupt {
    flag: Arc<AtomicBool>,
}

impl Interrupt {
    /// Catches SIGINT from now on: the first sets the flag (and `also`, when given: a
    /// server's stop flag); a second one runs the default action (the process ends
    /// at once). Where the handler cannot be registered, Ctrl-C keeps its default
    /// action and the flag is never set.
    pub(crate) fn install(also: Option<Arc<AtomicBool>>) -> Self {
        let set = Arc::new(AtomicBool::new(false));
        // Order matters: the actions run in the order registered, so the first signal
        // finds the flag false (nothing happens) and then sets it; the next finds it
        // true and gets the default action.
        let registered = flag::register_conditional_default(SIGINT, Arc::clone(&set))
            .and_then(|_| flag::register(SIGINT, Arc::clone(&set)))
            .and_then(|_| match also {
                Some(other) => flag::register(SIGINT, other).map(|_| ()),
                None => Ok(()),
            });
        if let Err(e) = registered {
            eprintln!("nacwire: Ctrl-C cannot be caught ({e}): it stops without a summary");
        }
        Self { flag: set }
    }

    /// The flag itself, for a driver that gives up its blocking calls once it is set
    /// (`StreamClient::with_cancel`: a connect, a TLS handshake, a blocked write).
    pub(crate) fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.flag)
    }

    /// True once Ctrl-C was pressed.
    pub(crate) fn is_set(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }
}
