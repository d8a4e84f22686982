//! `nacwire dict check DIR` and `nacwire dict show NAME|NUMBER`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use radius_dict::{Dictionary, FsResolver, Mode};
use serde_json::json;

use crate::common::{dictionary, emit_json, CliResult, Failure};

/// Arguments of `nacwire dict`.
#[derive(Debug, Args)]
pub(crate) struct DictArgs {
    #[command(subcommand)]
    command: DictCommand,
}

#[derive(Debug, Subcommand)]
enum DictCommand {
    /// Load a FreeRADIUS dictionary tree strictly: counts, or the first error with
    /// file:line:column; `--lenient` lists every problem as a warning instead.
    Check {
        /// The directory holding `dictionary` (or the root file itself).
        dir: PathBuf,
        /// Skip bad lines and report them as warnings (file:line) instead of failing.
        #[arg(long)]
        lenient: bool,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Show an attribute by name, or by number (`26.9.1` for a VSA, `241.1` extended).
    Show {
        /// Name or number.
        attr: String,
        /// A FreeRADIUS dictionary directory instead of the built-in dictionary.
        #[arg(short = 'D', long = "dict-dir", value_name = "DIR")]
        dict_dir: Option<PathBuf>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn run(args: DictArgs) -> CliResult<u8> {
    match args.command {
        DictCommand::Check { dir, lenient, json } => {
            let root = if dir.is_dir() { dir.join("dictionary") } else { dir };
            crate::common::readable(&root)?;
            let mode = if lenient { Mode::Lenient } else { Mode::Strict };
            let (d, warnings) = Dictionary::load(&FsResolver, &root.to_string_lossy(), mode)
                .map_err(|e| Failure::usage(format!("dictionary: {e}")))?;
            let vendors = d.vendors().count();
            let mut out = std::io::stdout();
            if json {
                let w: Vec<_> = warnings.iter().map(|w| w.to_string()).collect();
                emit_json(
                    &mut out,
                    &json!({"root": root.display().to_string(), "attributes": d.attr_count(),
                            "values": d.value_count(), "vendors": vendors, "warnings": w}),
                );
            } else {
                for w in &warnings {
                    outln!("warning: {w}");
                }
                outln!(
                    "{}: {} attributes, {} values, {} vendors, {} warnings",
                    root.display(),
                    d.attr_count(),
                    d.value_count(),
                    vendors,
                    warnings.len()
                );
            }
            Ok(if warnings.is_empty() {
                0
            } else {
                crate::common::exit::REJECTED
            })
        }
        DictCommand::Show { attr, dict_dir, json } => {
            let d = dictionary(dict_dir.as_deref())?;
            let def = by_text(d, &attr)?;
            let key = def.addr();
            let number: Vec<String> = key.path().iter().map(u32::to_string).collect();
            let vendor = (key.vendor().0 != 0).then(|| {
                d.vendor_by_id(key.vendor()).map_or_else(
                    || key.vendor().0.to_string(),
                    |v| format!("{} ({})", v.name(), key.vendor().0),
                )
            });
            let values: Vec<(u64, String)> = d
                .values(def)
                .map(|v| v.iter().map(|(n, s)| (n, s.to_string())).collect())
                .unwrap_or_default();
            if json {
                emit_json(
                    &mut std::io::stdout(),
                    &json!({"name": def.name(), "number": number.join("."), "vendor": vendor,
                            "type": def.data_type().to_string(), "flags": def.flags().to_string(),
                            "values": values.iter().map(|(n, s)| json!({"name": s, "number": n})).collect::<Vec<_>>()}),
                );
            } else {
                outln!("{}", def.name());
                outln!("\tnumber\t{}", number.join("."));
                if let Some(v) = vendor {
                    outln!("\tvendor\t{v}");
                }
                outln!("\ttype\t{}", def.data_type());
                let flags = def.flags().to_string();
                if !flags.is_empty() {
                    outln!("\tflags\t{flags}");
                }
                for (n, s) in values {
                    outln!("\tVALUE\t{s}\t{n}");
                }
            }
            Ok(0)
        }
    }
}

/// The dictionary's attribute `text` names: a name as everywhere else in the CLI
/// ([`attr_named`](crate::common::attr_named): a dictionary name or a FreeRADIUS raw
/// name, `Attr-26.9.1`, `Vendor-9-Attr-1`), or FreeRADIUS numbering without `Attr-`
/// (`1`, `26.9.1`, `241.1`, `245.26.9.7`), read as the raw name with it. A raw name
/// for a number the dictionary does not define is an unknown attribute here.
fn by_text<'d>(d: &'d Dictionary, text: &str) -> CliResult<&'d radius_dict::AttrDef> {
    let unknown = || Failure::usage(format!("unknown attribute `{text}`"));
    let numbered;
    let name = if text.starts_with(|c: char| c.is_ascii_digit()) {
        numbered = format!("Attr-{text}");
        &numbered
    } else {
        text
    };
    let (def, _) =
        crate::common::attr_named(d, name).map_err(|e| match e.strip_prefix("unknown attribute") {
            // said of `text` itself: with its hints (did you mean, -D)
            Some(_) if name == text => Failure::usage(e),
            Some(_) => unknown(),
            None => Failure::usage(e),
        })?;
    match def {
        std::borrow::Cow::Borrowed(def) => Ok(def),
        std::borrow::Cow::Owned(raw) => d.attr_by_addr(raw.addr()).ok_or_else(unknown),
    }
}
