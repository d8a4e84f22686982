//! The FreeRADIUS 3.2 dictionary parser.
//!
//! Line-based: `#` starts a comment anywhere; fields are separated by blanks;
//! keywords and type names are case-insensitive. Directives: `ATTRIBUTE`, `VALUE`,
//! `VENDOR`, `BEGIN-VENDOR`/`END-VENDOR`, `BEGIN-TLV`/`END-TLV`, `$INCLUDE`,
//! `$INCLUDE-` (optional include) and `VALUE-ALIAS`.

use radius_codec::{DataType, VendorFormat, VendorId};

use crate::error::{Error, ErrorKind};
use crate::model::{AttrDef, Encrypt, Flags, Vendor};
use crate::{Dictionary, Resolver};
use radius_codec::AttrAddr;

/// How strict the loader is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// Every problem is an error (default).
    #[default]
    Strict,
    /// Recoverable problems (a VALUE for an unknown attribute, an unknown flag, a
    /// duplicate definition) are returned as warnings (each an [`Error`]) and the line is
    /// skipped, as pyrad does.
    Lenient,
}

/// Limits that keep hostile input bounded. Each file is parsed at most once per
/// load, so the work is bounded by the bytes read, and those by `MAX_TOTAL_BYTES`.
pub(crate) const MAX_INCLUDE_DEPTH: usize = 32;
pub(crate) const MAX_FILES: usize = 2048;
pub(crate) const MAX_ATTRIBUTES: usize = 1 << 20;
/// The largest dictionary file (FreeRADIUS 3.2's largest is about 100 KB).
pub(crate) const MAX_FILE_BYTES: usize = 4 << 20;
/// The most text one load reads (the whole FreeRADIUS 3.2 tree is about 1.7 MB).
pub(crate) const MAX_TOTAL_BYTES: usize = 16 << 20;
/// The most warnings one lenient load keeps; one more, [`ErrorKind::TooManyWarnings`],
/// says that the rest were dropped.
pub(crate) const MAX_WARNINGS: usize = 1000;

/// One token with its 1-based column.
#[derive(Clone, Copy, Debug)]
struct Tok<'a> {
    text: &'a str,
    col: usize,
}

fn tokenize(line: &str) -> Vec<Tok<'_>> {
    let bytes = line.as_bytes();
    let end = bytes.iter().position(|&b| b == b'#').unwrap_or(bytes.len());
    let mut out = Vec::with_capacity(6);
    let mut start = None;
    // Separators are ASCII, so every split is on a character boundary.
    for (i, &c) in bytes.get(..end).unwrap_or_default().iter().enumerate() {
        let blank = matches!(c, b' ' | b'\t' | b'\r');
        match (start, blank) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push(Tok {
                    text: line.get(s..i).unwrap_or_default(),
                    col: s + 1,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Tok {
            text: line.get(s..end).unwrap_or_default(),
            col: s + 1,
        });
    }
    out
}

/// Parses a FreeRADIUS number: decimal, or hex with `0x`.
pub(crate) fn parse_u64(s: &str) -> Option<u64> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if h.is_empty() || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        return u64::from_str_radix(h, 16).ok();
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The data type for a FreeRADIUS 3.2 type name (case-insensitive), with the fixed
/// length of `octets[N]`.
pub(crate) fn parse_type(s: &str) -> Option<(DataType, Option<u16>)> {
    let lower = s.to_ascii_lowercase();
    if let Some(n) = lower.strip_prefix("octets[").and_then(|r| r.strip_suffix(']')) {
        let n = parse_u64(n).filter(|n| (1..=253).contains(n))?;
        return Some((DataType::Octets, u16::try_from(n).ok()));
    }
    let t = match lower.as_str() {
        "string" => DataType::String,
        "octets" => DataType::Octets,
        "ipaddr" => DataType::IpAddr,
        "ipv6addr" => DataType::Ipv6Addr,
        "ipv6prefix" => DataType::Ipv6Prefix,
        "ipv4prefix" | "cidr" => DataType::Ipv4Prefix,
        "integer" | "uint32" => DataType::Integer,
        "integer64" | "uint64" => DataType::Integer64,
        "signed" | "int32" => DataType::Signed,
        "short" | "uint16" => DataType::Short,
        "byte" | "uint8" => DataType::Byte,
        "date" => DataType::Date,
        "ifid" => DataType::Ifid,
        "ether" => DataType::Ether,
        "combo-ip" => DataType::ComboIp,
        "abinary" => DataType::Abinary,
        "tlv" => DataType::Tlv,
        "vsa" => DataType::Vsa,
        "extended" => DataType::Extended,
        "long-extended" => DataType::LongExtended,
        "evs" => DataType::Evs,
        _ => return None,
    };
    Some((t, None))
}

/// An open BEGIN-VENDOR or BEGIN-TLV block.
#[derive(Clone, Debug)]
enum Block {
    Vendor { name: String, id: u32, evs: Option<u32> },
    Tlv { name: String, key: AttrAddr },
}

/// A VALUE whose attribute was not defined yet (forward reference).
struct PendingValue {
    /// Index into `Loader::names`.
    file: usize,
    line: usize,
    col: usize,
    attr: String,
    name: String,
    number: u64,
}

pub(crate) struct Loader<'r> {
    pub(crate) dict: Dictionary,
    resolver: &'r dyn Resolver,
    mode: Mode,
    pub(crate) warnings: Vec<Error>,
    /// Warnings dropped over [`MAX_WARNINGS`].
    dropped_warnings: usize,
    /// The files being parsed (include stack), by canonical name.
    stack: Vec<String>,
    /// Every file read in this load, by canonical name: each is parsed once.
    seen: std::collections::HashSet<String>,
    /// Names of the files read, in order (pending values point into it).
    names: Vec<String>,
    /// Bytes of text read in this load.
    bytes: usize,
    /// Whether errors on the current file may quote its tokens: not until a line of
    /// it has started with a dictionary keyword (`$INCLUDE /etc/shadow` must not
    /// print a line of the shadow file).
    quote: bool,
    pending: Vec<PendingValue>,
    /// Attributes defined before this load (the dictionary given to `load_more`):
    /// files loaded on top may redefine them.
    base_attrs: usize,
}

impl<'r> Loader<'r> {
    pub(crate) fn new(dict: Dictionary, resolver: &'r dyn Resolver, mode: Mode) -> Self {
        let base_attrs = dict.attr_count();
        Self {
            dict,
            resolver,
            mode,
            warnings: Vec::new(),
            dropped_warnings: 0,
            stack: Vec::new(),
            seen: std::collections::HashSet::new(),
            names: Vec::new(),
            bytes: 0,
            quote: false,
            pending: Vec::new(),
            base_attrs,
        }
    }

    /// Records a recoverable problem: an error in strict mode, a warning otherwise.
    fn soft(&mut self, mut e: Error) -> Result<(), Error> {
        if !self.quote && self.stack.last().is_some_and(|f| *f == e.file) {
            e.token.clear();
        }
        match self.mode {
            Mode::Strict => Err(e),
            Mode::Lenient => {
                if self.warnings.len() < MAX_WARNINGS {
                    self.warnings.push(e);
                } else {
                    self.dropped_warnings += 1;
                }
                Ok(())
            }
        }
    }

    pub(crate) fn load_root(&mut self, name: &str) -> Result<(), Error> {
        self.dict.reserve(8192);
        let canonical = self.resolver.resolve(None, name);
        self.load_file(&canonical, None, false)?;
        self.finish()?;
        if self.dropped_warnings > 0 {
            let name = self.names.first().map_or("", String::as_str);
            let mut e = Error::new(name, 0, 0, "", ErrorKind::TooManyWarnings);
            e.token = self.dropped_warnings.to_string();
            self.warnings.push(e);
        }
        Ok(())
    }

    /// Resolves forward VALUE references once everything is loaded, as FreeRADIUS
    /// does (`dict_init`'s fixups): the last one read first, and a number keeps the
    /// name it prints as when it has one (so `dictionary.compat`'s `Framed`, read
    /// before `Service-Type` is defined, is read but `Framed-User` is printed).
    fn finish(&mut self) -> Result<(), Error> {
        for p in std::mem::take(&mut self.pending).into_iter().rev() {
            match self.dict.attr_index(&p.attr) {
                Some(i) => self.dict.add_value(i, &p.name, p.number, true),
                None => self.soft(Error::new(
                    self.names.get(p.file).map_or("", String::as_str),
                    p.line,
                    p.col,
                    &p.attr,
                    ErrorKind::UnknownAttribute,
                ))?,
            }
        }
        Ok(())
    }

    /// Reads and parses `name` (a canonical name from the resolver) unless this load
    /// already did: a file parsed twice defines the same things twice, so the result is
    /// the same. `at` is the including `$INCLUDE` (file, line, column, target);
    /// `optional` for `$INCLUDE-`, where a file that cannot be read is skipped.
    fn load_file(
        &mut self,
        name: &str,
        at: Option<(&str, usize, usize, &str)>,
        optional: bool,
    ) -> Result<(), Error> {
        let here = |kind| match at {
            Some((f, l, c, t)) => Error::new(f, l, c, t, kind),
            None => Error::new(name, 0, 0, name, kind),
        };
        if self.stack.iter().any(|s| s == name) {
            return Err(here(ErrorKind::IncludeCycle));
        }
        if self.seen.contains(name) {
            return Ok(());
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            return Err(here(ErrorKind::IncludeTooDeep));
        }
        if self.seen.len() >= MAX_FILES {
            return Err(here(ErrorKind::TooLarge));
        }
        let Some(text) = self.resolver.read(name) else {
            if optional {
                return Ok(());
            }
            return Err(here(ErrorKind::MissingInclude));
        };
        self.bytes = self.bytes.saturating_add(text.len());
        if text.len() > MAX_FILE_BYTES || self.bytes > MAX_TOTAL_BYTES {
            return Err(here(ErrorKind::TooLarge));
        }
        self.seen.insert(name.to_string());
        self.names.push(name.to_string());
        let index = self.names.len() - 1;
        self.stack.push(name.to_string());
        let quote = std::mem::replace(&mut self.quote, false);
        let r = self.parse_text(name, index, &text);
        self.quote = quote;
        self.stack.pop();
        r
    }

    fn parse_text(&mut self, file: &str, file_index: usize, text: &str) -> Result<(), Error> {
        let mut blocks: Vec<Block> = Vec::new();
        for (idx, raw) in text.lines().enumerate() {
            let line = idx + 1;
            let toks = tokenize(raw);
            let Some(first) = toks.first() else {
                continue;
            };
            // A line that starts with a dictionary keyword makes the file a
            // dictionary: from then on, errors may quote its tokens.
            if !keyword(first.text).is_empty() {
                self.quote = true;
            }
            match self.parse_line((file, file_index), line, &toks, &mut blocks) {
                Ok(()) => {}
                Err(mut e) => {
                    if !self.quote && e.file == file && e.line() == line {
                        e.token.clear();
                    }
                    return Err(e);
                }
            }
        }
        if let Some(b) = blocks.last() {
            let name = match b {
                Block::Vendor { name, .. } | Block::Tlv { name, .. } => name.clone(),
            };
            return Err(Error::new(
                file,
                text.lines().count(),
                1,
                &name,
                ErrorKind::UnclosedBlock,
            ));
        }
        Ok(())
    }

    /// One non-blank line of `file`.
    fn parse_line(
        &mut self,
        (file, file_index): (&str, usize),
        line: usize,
        toks: &[Tok<'_>],
        blocks: &mut Vec<Block>,
    ) -> Result<(), Error> {
        let Some(first) = toks.first() else {
            return Ok(());
        };
        let err = |t: &Tok<'_>, kind| Error::new(file, line, t.col, t.text, kind);
        let kw = keyword(first.text);
        match kw {
            "ATTRIBUTE" => self.attribute(file, line, toks, blocks)?,
            "VALUE" => self.value((file, file_index), line, toks)?,
            "VENDOR" => self.vendor(file, line, toks)?,
            "VALUE-ALIAS" => self.value_alias(file, line, toks)?,
            "BEGIN-VENDOR" => {
                let name = expect(file, line, toks, 2..=3, "2 or 3")?;
                let Some(v) = self.dict.vendor_by_name(name.text) else {
                    return Err(err(&name, ErrorKind::UnknownVendor));
                };
                let id = v.id.0;
                let evs = match toks.get(2) {
                    None => None,
                    Some(t) => {
                        let n = t
                            .text
                            .strip_prefix("format=Extended-Vendor-Specific-")
                            .and_then(parse_u64)
                            .filter(|n| (1..=6).contains(n))
                            .ok_or_else(|| err(t, ErrorKind::BadVendorFormat))?;
                        // Extended-Vendor-Specific-N lives in attribute 240 + N, type 26.
                        Some(240 + n as u32)
                    }
                };
                blocks.push(Block::Vendor {
                    name: name.text.to_string(),
                    id,
                    evs,
                });
            }
            "END-VENDOR" => {
                let name = expect(file, line, toks, 2..=2, "2")?;
                match blocks.pop() {
                    Some(Block::Vendor { name: open, .. }) if open.eq_ignore_ascii_case(name.text) => {}
                    _ => return Err(err(&name, ErrorKind::BlockMismatch)),
                }
            }
            "BEGIN-TLV" => {
                let name = expect(file, line, toks, 2..=2, "2")?;
                let Some(i) = self.dict.attr_index(name.text) else {
                    return Err(err(&name, ErrorKind::UnknownAttribute));
                };
                let Some(def) = self.dict.attr_at(i) else {
                    return Err(err(&name, ErrorKind::UnknownAttribute));
                };
                if def.data_type != DataType::Tlv {
                    return Err(err(&name, ErrorKind::NotTlv));
                }
                let key = def.addr;
                blocks.push(Block::Tlv {
                    name: name.text.to_string(),
                    key,
                });
            }
            "END-TLV" => {
                let name = expect(file, line, toks, 2..=2, "2")?;
                match blocks.pop() {
                    Some(Block::Tlv { name: open, .. }) if open.eq_ignore_ascii_case(name.text) => {}
                    _ => return Err(err(&name, ErrorKind::BlockMismatch)),
                }
            }
            "$INCLUDE" | "$INCLUDE-" => {
                let target = expect(file, line, toks, 2..=2, "2")?;
                let resolved = self.resolver.resolve(Some(file), target.text);
                let optional = kw == "$INCLUDE-";
                self.load_file(&resolved, Some((file, line, target.col, target.text)), optional)?;
            }
            _ => return Err(err(first, ErrorKind::UnknownKeyword)),
        }
        Ok(())
    }

    fn vendor(&mut self, file: &str, line: usize, toks: &[Tok<'_>]) -> Result<(), Error> {
        expect(file, line, toks, 3..=4, "3 or 4")?;
        let (name, id_tok) = (tok(toks, 1), tok(toks, 2));
        let id = parse_u64(id_tok.text)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| Error::new(file, line, id_tok.col, id_tok.text, ErrorKind::BadNumber))?;
        let format = match toks.get(3) {
            Some(t) => parse_vendor_format(t.text)
                .ok_or_else(|| Error::new(file, line, t.col, t.text, ErrorKind::BadVendorFormat))?,
            None => VendorFormat::for_vendor(VendorId(id)),
        };
        if let Some(existing) = self.dict.vendor_by_name(name.text) {
            if existing.id.0 != id {
                let e = Error::new(file, line, name.col, name.text, ErrorKind::Duplicate);
                return self.soft(e);
            }
        }
        self.dict.add_vendor(Vendor {
            name: name.text.to_string(),
            id: VendorId(id),
            format,
        });
        Ok(())
    }

    fn attribute(
        &mut self,
        file: &str,
        line: usize,
        toks: &[Tok<'_>],
        blocks: &[Block],
    ) -> Result<(), Error> {
        expect(file, line, toks, 4..=5, "4 or 5")?;
        let (name, num, ty) = (tok(toks, 1), tok(toks, 2), tok(toks, 3));
        let err = |t: &Tok<'_>, kind| Error::new(file, line, t.col, t.text, kind);
        if self.dict.attr_count() >= MAX_ATTRIBUTES {
            return Err(err(&name, ErrorKind::TooLarge));
        }
        let (data_type, fixed_len) = parse_type(ty.text).ok_or_else(|| err(&ty, ErrorKind::UnknownType))?;
        let mut numbers = Vec::with_capacity(4);
        for part in num.text.split('.') {
            let n = parse_u64(part)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| err(&num, ErrorKind::BadNumber))?;
            numbers.push(n);
        }
        // Flags and the old-style vendor column.
        let mut flags = Flags::default();
        let mut vendor_col: Option<u32> = None;
        if let Some(f) = toks.get(4) {
            for flag in f.text.split(',').filter(|s| !s.is_empty()) {
                match flag {
                    "has_tag" | "has_tag=1" => flags.has_tag = true,
                    "array" => flags.array = true,
                    "concat" => flags.concat = true,
                    "virtual" => flags.virtual_ = true,
                    "secret" => flags.secret = true,
                    e if e.starts_with("encrypt=") => {
                        flags.encrypt = match e.get(8..) {
                            Some("0") => Encrypt::None,
                            Some("1") => Encrypt::UserPassword,
                            Some("2") => Encrypt::Salted,
                            Some("3") => Encrypt::AscendSecret,
                            _ => return self.soft(err(f, ErrorKind::UnknownFlag)),
                        };
                    }
                    v => match self.dict.vendor_by_name(v) {
                        Some(vd) if f.text == v => vendor_col = Some(vd.id.0),
                        _ => return self.soft(Error::new(file, line, f.col, flag, ErrorKind::UnknownFlag)),
                    },
                }
            }
        }
        let not_allowed = |ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(err(toks.get(4).unwrap_or(&ty), ErrorKind::FlagNotAllowed))
            }
        };
        if flags.has_tag {
            not_allowed(matches!(
                data_type,
                DataType::String | DataType::Integer | DataType::Octets
            ))?;
        }
        if flags.concat {
            not_allowed(data_type == DataType::Octets)?;
        }
        if flags.array {
            not_allowed(
                data_type.fixed_len().is_some()
                    || data_type == DataType::String
                    || data_type == DataType::Octets,
            )?;
        }
        if flags.encrypt == Encrypt::AscendSecret {
            not_allowed(matches!(data_type, DataType::String | DataType::Octets))?;
        }

        // Where does it live?
        let tlv_parent = blocks.iter().rev().find_map(|b| match b {
            Block::Tlv { key, .. } => Some(*key),
            Block::Vendor { .. } => None,
        });
        let vendor_block = blocks.iter().rev().find_map(|b| match b {
            Block::Vendor { id, evs, .. } => Some((*id, *evs)),
            Block::Tlv { .. } => None,
        });
        let key = if let Some(parent) = tlv_parent {
            let mut k = parent;
            for n in &numbers {
                k = k
                    .child(*n)
                    .ok_or_else(|| err(&num, ErrorKind::NumberOutOfRange))?;
            }
            k
        } else {
            let vendor = match (vendor_block, vendor_col) {
                (Some((id, _)), None) => id,
                (None, Some(id)) => id,
                (None, None) => 0,
                (Some(_), Some(_)) => return Err(err(toks.get(4).unwrap_or(&ty), ErrorKind::UnknownFlag)),
            };
            let mut path = Vec::with_capacity(numbers.len() + 2);
            if let Some((_, Some(evs_attr))) = vendor_block {
                path.extend_from_slice(&[evs_attr, 26]);
            }
            path.extend_from_slice(&numbers);
            AttrAddr::new(VendorId(vendor), &path).ok_or_else(|| err(&num, ErrorKind::NumberOutOfRange))?
        };
        // Range and parent checks.
        let top = key.path().first().copied().unwrap_or(0);
        if key.vendor().0 != 0 && key.path().len() == 1 {
            let max = self
                .dict
                .vendor_by_id(key.vendor())
                .map_or(255, |v| v.format.max_type());
            if top > max {
                return Err(err(&num, ErrorKind::NumberOutOfRange));
            }
        }
        if key.vendor().0 == 0 && key.path().len() == 1 && top == 0 {
            return Err(err(&num, ErrorKind::NumberOutOfRange));
        }
        if key.path().len() > 1 {
            if key.path().iter().skip(1).any(|n| *n > 255) {
                return Err(err(&num, ErrorKind::NumberOutOfRange));
            }
            let parent_key = key.parent().ok_or_else(|| err(&num, ErrorKind::NoParent))?;
            let evs_root = vendor_block.and_then(|(_, e)| e).is_some() && key.path().len() == 3;
            if !evs_root {
                let Some(parent) = self.dict.attr_by_addr(parent_key) else {
                    return Err(err(&num, ErrorKind::NoParent));
                };
                let can_have_children = matches!(
                    parent.data_type,
                    DataType::Tlv
                        | DataType::Extended
                        | DataType::LongExtended
                        | DataType::Evs
                        | DataType::Vsa
                );
                if !can_have_children {
                    return Err(err(&num, ErrorKind::NotTlv));
                }
            }
        }
        let def = AttrDef {
            name: name.text.to_string(),
            addr: key,
            data_type,
            fixed_len,
            flags,
            raw: false,
        };
        if let Some(i) = self.dict.attr_index(name.text) {
            let same = self
                .dict
                .attr_at(i)
                .is_some_and(|old| old.addr == def.addr && old.data_type == def.data_type);
            if same {
                // As for a new definition, the name defined last is the one a
                // number resolves to.
                self.dict.repoint_key(i);
                return Ok(());
            }
            if i < self.base_attrs {
                // Files loaded on top of a dictionary (a site's tree over the
                // builtin) are authoritative for the names they define.
                self.dict.replace_attr(i, def);
                return Ok(());
            }
            return self.soft(err(&name, ErrorKind::Duplicate));
        }
        self.dict.add_attr(def);
        Ok(())
    }

    fn value(
        &mut self,
        (file, file_index): (&str, usize),
        line: usize,
        toks: &[Tok<'_>],
    ) -> Result<(), Error> {
        expect(file, line, toks, 4..=4, "4")?;
        let (attr, name, num) = (tok(toks, 1), tok(toks, 2), tok(toks, 3));
        let number = parse_u64(num.text)
            .ok_or_else(|| Error::new(file, line, num.col, num.text, ErrorKind::BadNumber))?;
        match self.dict.attr_index(attr.text) {
            Some(i) => self.dict.add_value(i, name.text, number, false),
            None => self.pending.push(PendingValue {
                file: file_index,
                line,
                col: attr.col,
                attr: attr.text.to_string(),
                name: name.text.to_string(),
                number,
            }),
        }
        Ok(())
    }

    fn value_alias(&mut self, file: &str, line: usize, toks: &[Tok<'_>]) -> Result<(), Error> {
        expect(file, line, toks, 3..=3, "3")?;
        let (to, from) = (tok(toks, 1), tok(toks, 2));
        let (Some(t), Some(f)) = (self.dict.attr_index(to.text), self.dict.attr_index(from.text)) else {
            let bad = if self.dict.attr_index(to.text).is_none() {
                to
            } else {
                from
            };
            return self.soft(Error::new(
                file,
                line,
                bad.col,
                bad.text,
                ErrorKind::UnknownAttribute,
            ));
        };
        let values: Vec<(u64, String)> = self
            .dict
            .values_of_index(f)
            .map(|v| v.iter().map(|(n, s)| (n, s.to_string())).collect())
            .unwrap_or_default();
        for (n, s) in values {
            self.dict.add_value(t, &s, n, false);
        }
        Ok(())
    }
}

/// The canonical spelling of a keyword (keywords are case-insensitive).
fn keyword(s: &str) -> &'static str {
    const KEYWORDS: [&str; 10] = [
        "ATTRIBUTE",
        "VALUE",
        "VENDOR",
        "VALUE-ALIAS",
        "BEGIN-VENDOR",
        "END-VENDOR",
        "BEGIN-TLV",
        "END-TLV",
        "$INCLUDE",
        "$INCLUDE-",
    ];
    KEYWORDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(s))
        .copied()
        .unwrap_or("")
}

fn tok<'a>(toks: &[Tok<'a>], i: usize) -> Tok<'a> {
    toks.get(i).copied().unwrap_or(Tok { text: "", col: 1 })
}

fn expect<'a>(
    file: &str,
    line: usize,
    toks: &[Tok<'a>],
    range: core::ops::RangeInclusive<usize>,
    expected: &'static str,
) -> Result<Tok<'a>, Error> {
    if !range.contains(&toks.len()) {
        let at = toks
            .get(*range.end())
            .or_else(|| toks.last())
            .copied()
            .unwrap_or(Tok { text: "", col: 1 });
        return Err(Error::new(
            file,
            line,
            at.col,
            at.text,
            ErrorKind::WrongFieldCount {
                expected,
                found: toks.len(),
            },
        ));
    }
    Ok(tok(toks, 1))
}

/// `format=t,l` or `format=t,l,c`.
fn parse_vendor_format(s: &str) -> Option<VendorFormat> {
    let rest = s.get(..7).filter(|p| p.eq_ignore_ascii_case("format="))?;
    let _ = rest;
    let spec = s.get(7..)?;
    let mut it = spec.split(',');
    let t = it.next().and_then(|x| x.parse::<u8>().ok())?;
    let l = it.next().and_then(|x| x.parse::<u8>().ok())?;
    let c = match it.next() {
        None => false,
        Some("c") => true,
        Some(_) => return None,
    };
    if it.next().is_some() {
        return None;
    }
    VendorFormat::new(t, l, c)
}
