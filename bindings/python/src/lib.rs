//! Python bindings for nacwire: the native module `nacwire._native`.
//!
//! This crate only converts types and maps errors; every protocol rule lives in the
//! core crates. The Python package (`python/nacwire/`) re-exports these classes under
//! pythonic module names (`nacwire.radius`, `nacwire.ecp`, `nacwire.nac`).
#![deny(missing_docs)]

use pyo3::prelude::*;

mod convert;
mod ecp;
mod errors;
mod nac;
mod pyrad;
mod pyrad_dict;
mod radius;
mod radsec;

/// The native module. Classes are registered here and re-exported by the Python
/// package; import `nacwire`, not this module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    radius::register(m)?;
    nac::register(m)?;
    pyrad::register(m)?;
    ecp::register(m)?;
    radsec::register(m)?;
    Ok(())
}
