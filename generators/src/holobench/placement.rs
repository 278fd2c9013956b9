//! Arranging relevant rows among distractors so that their token mass sits where the placement
//! says, and measuring where it ended up.
//!
//! Placements are defined by token mass, not row counts, so that they hold whatever the rows'
//! lengths: `middle` is one block whose centre is at 50% of the context's tokens; `bimodal` is
//! two blocks, each half the relevant tokens, whose centres are at 25% and 75% (blocks move
//! inward only when they would not fit, at densities above one half). Distractors are cut at
//! whole rows, at the row boundary nearest the wanted token count.

use longforge_datasets::SeededRng;
use serde_json::{json, Value};

use super::Placement;

/// A row as placed: which row of which table, its sentence and its tokens (with the newline).
#[derive(Debug, Clone)]
pub struct Row {
    /// (table index, row index).
    pub key: (usize, usize),
    /// The template it was written with; `None` for a sentence given with the table.
    pub template: Option<usize>,
    pub text: String,
    pub tokens: usize,
    pub relevant: bool,
    pub near_miss: bool,
    /// 0 the first time the row is placed, 1 for a repetition (only with `--allow-repeat`).
    pub repeat: usize,
}

/// The rows in context order.
pub fn arrange(
    relevant: Vec<Row>,
    distractors: Vec<Row>,
    placement: Placement,
    rng: &mut SeededRng,
) -> Vec<Row> {
    let r_tokens: usize = relevant.iter().map(|r| r.tokens).sum();
    let d_tokens: usize = distractors.iter().map(|r| r.tokens).sum();
    let total = (r_tokens + d_tokens) as f64;
    match placement {
        Placement::Begin => relevant.into_iter().chain(distractors).collect(),
        Placement::End => distractors.into_iter().chain(relevant).collect(),
        Placement::Uniform => {
            let mut slots: Vec<bool> = std::iter::repeat_n(true, relevant.len())
                .chain(std::iter::repeat_n(false, distractors.len()))
                .collect();
            rng.shuffle(&mut slots);
            let (mut r, mut d) = (relevant.into_iter(), distractors.into_iter());
            slots
                .into_iter()
                .filter_map(|is_relevant| if is_relevant { r.next() } else { d.next() })
                .collect()
        }
        Placement::Middle => {
            // Centre of the block at T/2: distractors before it = D/2.
            let before = cut(&distractors, d_tokens as f64 / 2.0);
            let mut d = distractors;
            let after = d.split_off(before);
            d.into_iter().chain(relevant).chain(after).collect()
        }
        Placement::Bimodal => {
            let half = cut(&relevant, r_tokens as f64 / 2.0)
                .max(1)
                .min(relevant.len());
            let mut first = relevant;
            let second = first.split_off(half);
            let r1: usize = first.iter().map(|r| r.tokens).sum();
            let r2: usize = second.iter().map(|r| r.tokens).sum();
            let d = d_tokens as f64;
            let b1 = (total / 4.0 - r1 as f64 / 2.0).clamp(0.0, d);
            let gap = (3.0 * total / 4.0 - r2 as f64 / 2.0 - b1 - r1 as f64).clamp(0.0, d - b1);
            let mut rest = distractors;
            let k1 = cut(&rest, b1);
            let mut middle = rest.split_off(k1);
            let k2 = cut(&middle, gap);
            let after = middle.split_off(k2);
            rest.into_iter()
                .chain(first)
                .chain(middle)
                .chain(second)
                .chain(after)
                .collect()
        }
    }
}

/// The number of leading rows whose tokens come nearest to `tokens`.
fn cut(rows: &[Row], tokens: f64) -> usize {
    let mut sum = 0usize;
    for (i, row) in rows.iter().enumerate() {
        let next = sum + row.tokens;
        if next as f64 > tokens {
            // Stop before or after this row, whichever lands nearer.
            return if next as f64 - tokens < tokens - sum as f64 {
                i + 1
            } else {
                i
            };
        }
        sum = next;
    }
    rows.len()
}

/// Where the relevant token mass lies, in percent of the context's tokens: its centre, the
/// first and last relevant token, and the centres of the relevant blocks (runs of relevant rows
/// not broken by a distractor), the two largest for a bimodal context. `offsets[i]` is the
/// token at which row `i` starts; `total` the context's tokens.
pub fn measure(rows: &[Row], offsets: &[usize], total: usize) -> Value {
    let pct = |x: f64| (x * 10_000.0 / total.max(1) as f64).round() / 100.0;
    let mut mass = 0.0;
    let mut weighted = 0.0;
    let mut first = None;
    let mut last = 0usize;
    // Blocks: (tokens, weighted centre sum).
    let mut blocks: Vec<(f64, f64)> = Vec::new();
    let mut in_block = false;
    for (row, &at) in rows.iter().zip(offsets) {
        if !row.relevant {
            in_block = false;
            continue;
        }
        let t = row.tokens as f64;
        let centre = at as f64 + t / 2.0;
        mass += t;
        weighted += centre * t;
        first.get_or_insert(at);
        last = at + row.tokens;
        if !in_block {
            blocks.push((0.0, 0.0));
            in_block = true;
        }
        if let Some(b) = blocks.last_mut() {
            b.0 += t;
            b.1 += centre * t;
        }
    }
    let mut largest: Vec<(f64, f64)> = blocks.clone();
    largest.sort_by(|a, b| b.0.total_cmp(&a.0));
    largest.truncate(2);
    largest.sort_by(|a, b| a.1.total_cmp(&b.1));
    json!({
        "centre": if mass > 0.0 { pct(weighted / mass) } else { 0.0 },
        "first": pct(first.unwrap_or(0) as f64),
        "last": pct(last as f64),
        "blocks": blocks.len(),
        "block_centres": largest.iter().map(|b| pct(b.1 / b.0)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize, tokens: usize, relevant: bool, start: usize) -> Vec<Row> {
        (0..n)
            .map(|i| Row {
                key: (0, start + i),
                template: Some(0),
                text: String::new(),
                tokens: tokens + i % 7,
                relevant,
                near_miss: false,
                repeat: 0,
            })
            .collect()
    }

    fn placed(p: Placement, r: usize, d: usize) -> Value {
        let mut rng = SeededRng::new(3);
        let out = arrange(rows(r, 30, true, 0), rows(d, 25, false, 1000), p, &mut rng);
        assert_eq!(out.len(), r + d, "every row placed once");
        let mut offsets = Vec::new();
        let mut at = 0;
        for row in &out {
            offsets.push(at);
            at += row.tokens;
        }
        measure(&out, &offsets, at)
    }

    #[test]
    fn each_placement_puts_the_mass_where_it_says() {
        let near = |v: &Value, key: &str, want: f64| {
            let got = v[key].as_f64().unwrap();
            assert!((got - want).abs() < 2.0, "{key} {got} vs {want}: {v}");
        };
        let m = placed(Placement::Middle, 40, 400);
        near(&m, "centre", 50.0);
        assert_eq!(m["blocks"], 1);
        // Two blocks centred on 25% and 75%, whatever the sizes: also with half the context
        // relevant.
        for (r, d) in [(40, 400), (200, 240)] {
            let b = placed(Placement::Bimodal, r, d);
            assert_eq!(b["blocks"], 2, "{b}");
            let c = &b["block_centres"];
            assert!(
                (c[0].as_f64().unwrap() - 25.0).abs() < 2.0
                    && (c[1].as_f64().unwrap() - 75.0).abs() < 2.0,
                "{b}"
            );
        }
        let begin = placed(Placement::Begin, 40, 400);
        assert_eq!(begin["first"], 0.0);
        let end = placed(Placement::End, 40, 400);
        assert_eq!(end["last"], 100.0);
        let uniform = placed(Placement::Uniform, 40, 400);
        assert!(uniform["blocks"].as_u64().unwrap() > 10, "{uniform}");
    }
}
