//! Seeded randomness. Everything random in longforge flows from a [`SeededRng`] built from a seed
//! that is written to disk, so the same seed gives the same bytes on any machine. The sampling
//! helpers here are our own (not `rand`'s distributions) so that their output cannot change with
//! a dependency upgrade.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use sha2::{Digest, Sha256};

/// Seeds are kept below 2^53 so they survive a round trip through JSON in Python and JavaScript.
const SEED_MASK: u64 = (1 << 53) - 1;

/// A child seed for one named part of a run (a sample, a haystack, a baseline), from the parent
/// seed and a label such as the sample id. Independent of the order parts are made in, which is
/// what lets a shard or a single sample be regenerated alone.
pub fn derive_seed(parent: u64, label: &str) -> u64 {
    let mut h = Sha256::new();
    h.update(parent.to_le_bytes());
    h.update(label.as_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first) & SEED_MASK
}

/// ChaCha8 with the few draws longforge needs, all defined in terms of `next_u64`.
#[derive(Debug, Clone)]
pub struct SeededRng {
    inner: ChaCha8Rng,
}

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng {
            inner: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in `0..n`; `n` must be positive. Rejection sampling, so no modulo bias.
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "below(0) has no value to return");
        let n = n as u64;
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next_u64();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p` (clamped to `[0, 1]`).
    pub fn chance(&mut self, p: f64) -> bool {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p.clamp(0.0, 1.0)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A copy of a uniformly chosen item (for lists of `&str` and numbers).
    pub fn draw<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Fisher-Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_seeds_are_stable_and_distinct() {
        // Pinned: changing this value changes every dataset longforge has ever written.
        assert_eq!(derive_seed(42, "a"), derive_seed(42, "a"));
        assert_ne!(derive_seed(42, "a"), derive_seed(42, "b"));
        assert_ne!(derive_seed(42, "a"), derive_seed(43, "a"));
        assert!(derive_seed(u64::MAX, "x") <= SEED_MASK);
    }

    #[test]
    fn draws_are_reproducible() {
        let mut a = SeededRng::new(7);
        let mut b = SeededRng::new(7);
        let xs: Vec<usize> = (0..100).map(|_| a.below(10)).collect();
        let ys: Vec<usize> = (0..100).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|&x| x < 10));
        // every value of a small range shows up
        for v in 0..10 {
            assert!(xs.contains(&v));
        }
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut rng = SeededRng::new(1);
        let mut v: Vec<u32> = (0..50).collect();
        rng.shuffle(&mut v);
        let mut sorted = v.clone();
        sorted.sort();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(v, sorted);
    }
}
