//! A bounds-checked cursor over a byte slice; the only way this crate reads input.

/// A cursor that hands out sub-slices of its input and never panics.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    pub(crate) const fn new(buf: &'a [u8]) -> Self {
        Self { buf, offset: 0 }
    }

    /// Octets consumed so far.
    pub(crate) const fn offset(&self) -> usize {
        self.offset
    }

    /// Octets left.
    pub(crate) const fn remaining(&self) -> usize {
        self.buf.len()
    }

    pub(crate) const fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The rest of the input, without consuming it.
    pub(crate) const fn rest(&self) -> &'a [u8] {
        self.buf
    }

    /// Takes `n` octets, or `None` (consuming nothing) if fewer remain.
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.buf.split_at_checked(n)?;
        self.buf = tail;
        self.offset += n;
        Some(head)
    }

    /// Takes a fixed-size array.
    pub(crate) fn take_array<const N: usize>(&mut self) -> Option<&'a [u8; N]> {
        let (head, tail) = self.buf.split_first_chunk::<N>()?;
        self.buf = tail;
        self.offset += N;
        Some(head)
    }

    pub(crate) fn take_u8(&mut self) -> Option<u8> {
        self.take_array::<1>().map(|a| a[0])
    }

    /// Reads an unsigned big-endian integer of `width` octets (0..=4).
    pub(crate) fn take_be(&mut self, width: usize) -> Option<u32> {
        let bytes = self.take(width)?;
        Some(bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
    }

    /// Peeks at the next `n` octets without consuming them.
    pub(crate) fn peek(&self, n: usize) -> Option<&'a [u8]> {
        self.buf.get(..n)
    }
}

#[cfg(test)]
mod tests {
    use super::Reader;

    #[test]
    fn never_panics_past_the_end() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.take_u8(), Some(1));
        assert_eq!(r.take(5), None);
        assert_eq!(r.take_array::<2>(), Some(&[2, 3]));
        assert_eq!(r.take_u8(), None);
        assert_eq!(r.offset(), 3);
        assert!(r.is_empty());
    }

    #[test]
    fn big_endian_widths() {
        let mut r = Reader::new(&[0, 0, 1, 2, 0xff]);
        assert_eq!(r.take_be(4), Some(0x102));
        assert_eq!(r.take_be(1), Some(0xff));
        assert_eq!(r.take_be(0), Some(0));
    }
}
