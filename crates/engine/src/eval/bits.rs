//! Fixed-size sets of endpoint indices, one bit per endpoint: the rows of matrices and the
//! selections of rules.

/// A fixed-size set of endpoint indices.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Bits(pub(crate) Vec<u64>);

impl Bits {
    pub(crate) fn empty(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }

    pub(crate) fn full(n: usize) -> Self {
        let mut b = Bits(vec![u64::MAX; n.div_ceil(64)]);
        if n % 64 != 0 {
            if let Some(last) = b.0.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        b
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// Keeps only the members of `other`.
    pub(crate) fn intersect_with(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }

    /// Removes the members of `other`.
    pub(crate) fn remove_all(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= !b;
        }
    }

    pub(crate) fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub(crate) fn unset(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }

    pub(crate) fn get(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }

    pub(crate) fn union_with(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    pub(crate) fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut word = word;
            std::iter::from_fn(move || {
                if word == 0 {
                    return None;
                }
                let bit = word.trailing_zeros() as usize;
                word &= word - 1;
                Some(w * 64 + bit)
            })
        })
    }
}

/// The transpose of a square bit matrix of `n` rows of `n` bits: bit `j` of row `i` of the
/// result is bit `i` of row `j`. Works on 64 × 64 blocks, so it costs O(n² / 64) word operations.
pub(crate) fn transpose(rows: &[Bits], n: usize) -> Vec<Bits> {
    let words = n.div_ceil(64);
    let mut out = vec![Bits::empty(n); n];
    let mut block = [0u64; 64];
    for bi in 0..words {
        for bj in 0..words {
            for (k, slot) in block.iter_mut().enumerate() {
                *slot = rows.get(bi * 64 + k).map_or(0, |r| r.0[bj]);
            }
            transpose64(&mut block);
            for (k, &word) in block.iter().enumerate() {
                if let Some(row) = out.get_mut(bj * 64 + k) {
                    row.0[bi] = word;
                }
            }
        }
    }
    out
}

/// Transposes a 64 × 64 bit block in place (row `k` is `block[k]`, column `j` its bit `j`), by
/// swapping ever smaller sub-blocks across the diagonal.
fn transpose64(block: &mut [u64; 64]) {
    let mut width = 32;
    let mut mask: u64 = 0x0000_0000_FFFF_FFFF;
    while width != 0 {
        let mut k = 0;
        while k < 64 {
            // Rows k and k + width exchange the high half of row k's sub-blocks with the low half
            // of row k + width's.
            let t = ((block[k] >> width) ^ block[k + width]) & mask;
            block[k] ^= t << width;
            block[k + width] ^= t;
            k = (k + width + 1) & !width;
        }
        width >>= 1;
        mask ^= mask << width;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_swaps_rows_and_columns() {
        for n in [0, 1, 5, 63, 64, 65, 130] {
            let rows: Vec<Bits> = (0..n)
                .map(|i| {
                    let mut b = Bits::empty(n);
                    for j in 0..n {
                        if (i * 7 + j * 3) % 5 == 0 || i == 0 {
                            b.set(j);
                        }
                    }
                    b
                })
                .collect();
            let t = transpose(&rows, n);
            for (i, column) in t.iter().enumerate() {
                for (j, row) in rows.iter().enumerate() {
                    assert_eq!(column.get(j), row.get(i), "n={n} i={i} j={j}");
                }
            }
            assert_eq!(t.len(), n);
        }
    }
}
