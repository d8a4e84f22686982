//! `nacwire decode`.
use clap::Args;

use crate::common::CliResult;

/// Arguments of `nacwire decode`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {}

pub(crate) fn run(_args: DecodeArgs) -> CliResult<u8> {
    Ok(0)
}
