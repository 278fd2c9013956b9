//! Exact-length contexts with needles at chosen depths.
//!
//! NeedleBench fills to `length - needle_tokens` by whole documents, then cuts tokens and inserts
//! the needle at `floor(len * depth / 100)` tokens, which can split a word. Here filler grows by
//! whole sentences, each needle goes in at the sentence boundary nearest its depth, and the
//! result is counted exactly on the final text; if that count is off by more than the tolerance,
//! the filler budget is corrected by the error and the context rebuilt (a handful of rounds at
//! most, as the error is nearly linear in the budget).
//!
//! Cost: every paragraph is counted once, in parallel; the final count re-counts only the
//! paragraphs a needle changed, where counts provably add up, and the whole text otherwise.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use longforge_datasets::{char_len, is_piece_boundary, Evidence, TokenCounter};

use super::{join_sentences, sentence_gap, FactFilter, ParagraphStream};
use crate::GenerateError;

/// A sentence to place, and where: `depth` in percent of the filler, 0 (start) to 100 (end).
#[derive(Debug, Clone)]
pub struct Placement {
    pub text: String,
    pub depth: f64,
}

#[derive(Debug, Clone)]
pub struct BuiltContext {
    pub context: String,
    /// Exact, counted on `context`.
    pub tokens: usize,
    /// One span per placement, in the order placements were given.
    pub evidence: Vec<Evidence>,
    /// Where each placement went, in the order given: the share of filler tokens before it, in
    /// percent (the unit of the asked depth). It differs from the asked depth by at most about
    /// half the tokens of the filler sentence at that point (sentences of a user's haystack are
    /// cut to at most a few hundred characters so that bound stays small).
    pub depths: Vec<f64>,
}

/// How far a context may miss its target: the larger of 1% and 32 tokens.
pub fn tolerance(target: usize) -> usize {
    (target / 100).max(32)
}

const MAX_ROUNDS: usize = 8;
const PARAGRAPH_GAP: &str = "\n\n";

struct Paragraph {
    sentences: Vec<String>,
    /// Tokens of the paragraph followed by a paragraph gap.
    tokens: usize,
    /// Tokens of each sentence with its gap, counted on demand (only near cuts and needles).
    sentence_tokens: Option<Vec<usize>>,
}

/// Builds a context of `target` tokens (within [`tolerance`]) from `stream`, with every
/// placement's text present exactly once, at the sentence boundary nearest its depth.
/// Paragraphs that mention a fact in `facts`, or repeat an earlier paragraph, are skipped.
pub fn build(
    stream: &mut ParagraphStream,
    counter: &TokenCounter,
    target: usize,
    placements: &[Placement],
    facts: &FactFilter,
) -> Result<BuiltContext, GenerateError> {
    let tol = tolerance(target);
    // Each needle with the gap it would take before a sentence like itself: the filler beside
    // it is not chosen yet, and the final count is exact anyway.
    let needle_tokens: usize = placements
        .iter()
        .map(|p| counter.count(&format!("{}{}", p.text, sentence_gap(&p.text, &p.text))))
        .sum::<Result<usize, _>>()?;
    if needle_tokens > target + tol {
        return Err(GenerateError::TooShort {
            target,
            needed: needle_tokens,
        });
    }
    let mut pool = Pool {
        paragraphs: Vec::new(),
        seen: HashSet::new(),
        total: 0,
        exhausted: false,
    };
    let mut budget = target.saturating_sub(needle_tokens);
    let mut last = None;
    for _ in 0..MAX_ROUNDS {
        pool.fill_to(budget + tol + 64, stream, counter, facts)?;
        if pool.exhausted && pool.total < budget {
            // The pool holds every usable paragraph of the file by now, so its total is what
            // the file holds, counted already.
            return Err(GenerateError::HaystackTooShort {
                path: stream.source(),
                tokenizer: counter.name().to_string(),
                held: pool.total,
                target,
                needed: budget,
            });
        }
        let chosen = choose_filler(&mut pool.paragraphs, budget, counter)?;
        let built = assemble(&mut pool.paragraphs, &chosen, placements, counter)?;
        let error = built.tokens as i64 - target as i64;
        if error.unsigned_abs() as usize <= tol {
            return Ok(built);
        }
        budget = (budget as i64 - error).max(0) as usize;
        last = Some(built.tokens);
    }
    Err(GenerateError::NoConvergence {
        target,
        got: last.unwrap_or(0),
    })
}

struct Pool {
    paragraphs: Vec<Paragraph>,
    seen: HashSet<u64>,
    total: usize,
    exhausted: bool,
}

impl Pool {
    /// Pulls paragraphs until their tokens reach `want` or the stream ends. Paragraphs are
    /// counted in batches spread over all cores.
    fn fill_to(
        &mut self,
        want: usize,
        stream: &mut ParagraphStream,
        counter: &TokenCounter,
        facts: &FactFilter,
    ) -> Result<(), GenerateError> {
        while self.total < want && !self.exhausted {
            // Size the batch from what is missing, assuming at least 40 tokens a paragraph.
            let batch_size = ((want - self.total) / 40).clamp(8, 4096);
            let mut batch = Vec::with_capacity(batch_size);
            while batch.len() < batch_size {
                let Some(sentences) = stream.next_paragraph()? else {
                    self.exhausted = true;
                    break;
                };
                let text = join_sentences(&sentences);
                if facts.mentioned_in(&text).is_some() || !self.seen.insert(hash_of(&text)) {
                    continue;
                }
                batch.push((sentences, text + PARAGRAPH_GAP));
            }
            let counts = count_all(counter, batch.iter().map(|(_, t)| t.as_str()).collect())?;
            for ((sentences, _), tokens) in batch.into_iter().zip(counts) {
                self.total += tokens;
                self.paragraphs.push(Paragraph {
                    sentences,
                    tokens,
                    sentence_tokens: None,
                });
            }
        }
        Ok(())
    }
}

fn hash_of(text: &str) -> u64 {
    // SipHash with fixed keys: the same on every run, which is all dedup needs.
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Counts many texts over all cores; results in input order.
fn count_all(counter: &TokenCounter, texts: Vec<&str>) -> Result<Vec<usize>, GenerateError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads == 1 || texts.len() < 32 {
        return texts
            .iter()
            .map(|t| counter.count(t).map_err(GenerateError::from))
            .collect();
    }
    let chunk = texts.len().div_ceil(threads);
    let results: Vec<Result<Vec<usize>, GenerateError>> = std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|t| counter.count(t).map_err(GenerateError::from))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("counting thread does not panic"))
            .collect()
    });
    let mut out = Vec::with_capacity(texts.len());
    for part in results {
        out.extend(part?);
    }
    Ok(out)
}

/// Each sentence's tokens with the gap after it: the one before the next sentence, and for the
/// last the one it would take before a sentence like itself.
fn sentence_tokens<'a>(
    p: &'a mut Paragraph,
    counter: &TokenCounter,
) -> Result<&'a [usize], GenerateError> {
    if p.sentence_tokens.is_none() {
        let counts = p
            .sentences
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let next = p.sentences.get(i + 1).unwrap_or(s);
                counter.count(&format!("{s}{}", sentence_gap(s, next)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        p.sentence_tokens = Some(counts);
    }
    Ok(p.sentence_tokens.as_deref().unwrap_or(&[]))
}

/// How many sentences of each paragraph to use: whole paragraphs while they fit, then the prefix
/// of the next paragraph that lands nearest the budget.
fn choose_filler(
    paragraphs: &mut [Paragraph],
    budget: usize,
    counter: &TokenCounter,
) -> Result<Vec<usize>, GenerateError> {
    let mut chosen = Vec::new();
    let mut used = 0usize;
    for p in paragraphs.iter_mut() {
        if used + p.tokens <= budget {
            used += p.tokens;
            chosen.push(p.sentences.len());
            continue;
        }
        let mut take = 0;
        for &t in sentence_tokens(p, counter)? {
            if used >= budget {
                break;
            }
            let remaining = budget - used;
            // Take the sentence if that lands nearer the budget than stopping here.
            if t <= remaining || t - remaining < remaining {
                used += t;
                take += 1;
            } else {
                break;
            }
        }
        if take > 0 {
            chosen.push(take);
        }
        break;
    }
    Ok(chosen)
}

/// Where a placement goes: before sentence `sentence` of paragraph `paragraph` (a sentence index
/// equal to the paragraph's length means after its last sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    paragraph: usize,
    sentence: usize,
}

fn assemble(
    paragraphs: &mut [Paragraph],
    chosen: &[usize],
    placements: &[Placement],
    counter: &TokenCounter,
) -> Result<BuiltContext, GenerateError> {
    // Token position of each paragraph start, over the chosen filler.
    let mut starts = Vec::with_capacity(chosen.len() + 1);
    let mut at = 0usize;
    for (p, &take) in paragraphs.iter_mut().zip(chosen) {
        starts.push(at);
        at += if take == p.sentences.len() {
            p.tokens
        } else {
            sentence_tokens(p, counter)?[..take].iter().sum()
        };
    }
    let filler_tokens = at;

    let mut slots: Vec<(Slot, usize)> = Vec::with_capacity(placements.len());
    let mut depths = Vec::with_capacity(placements.len());
    for (i, placement) in placements.iter().enumerate() {
        let want =
            (filler_tokens as f64 * placement.depth.clamp(0.0, 100.0) / 100.0).floor() as usize;
        let (slot, at) = nearest_slot(paragraphs, chosen, &starts, want, counter)?;
        slots.push((slot, i));
        depths.push(if filler_tokens == 0 {
            0.0
        } else {
            (at as f64 * 100.0 / filler_tokens as f64 * 100.0).round() / 100.0
        });
    }
    // Stable: placements at the same slot keep the order they were given in.
    slots.sort_by_key(|&(slot, i)| (slot, i));

    let mut text = Text {
        context: String::with_capacity(filler_tokens * 5),
        chars: 0,
    };
    let mut evidence = vec![None; placements.len()];
    let mut next_slot = slots.iter().peekable();
    // Byte range of each paragraph as written (with its trailing gap), and whether it differs
    // from the paragraph as counted (cut short, or holding a needle).
    let mut spans: Vec<(usize, usize, bool)> = Vec::with_capacity(chosen.len());
    for (pi, &take) in chosen.iter().enumerate() {
        if pi > 0 {
            text.push(PARAGRAPH_GAP);
            if let Some(last) = spans.last_mut() {
                last.1 = text.context.len();
            }
        }
        let start = text.context.len();
        let mut changed = take < paragraphs[pi].sentences.len();
        // The sentence or needle written last in this paragraph, which with the next decides
        // the gap between them.
        let mut prev: Option<&str> = None;
        for si in 0..=take {
            while let Some(&&(slot, i)) = next_slot.peek() {
                if slot
                    != (Slot {
                        paragraph: pi,
                        sentence: si,
                    })
                {
                    break;
                }
                let needle = placements[i].text.as_str();
                if let Some(prev) = prev {
                    text.push(sentence_gap(prev, needle));
                }
                evidence[i] = Some(text.place(needle));
                prev = Some(needle);
                changed = true;
                next_slot.next();
            }
            if si < take {
                let sentence = paragraphs[pi].sentences[si].as_str();
                if let Some(prev) = prev {
                    text.push(sentence_gap(prev, sentence));
                }
                text.push(sentence);
                prev = Some(sentence);
            }
        }
        spans.push((start, text.context.len(), changed));
    }
    // With no filler at all, placements still go in, one per line.
    for &(_, i) in next_slot {
        if !text.context.is_empty() {
            text.push("\n");
        }
        evidence[i] = Some(text.place(&placements[i].text));
        spans.clear(); // counted whole below
    }
    let Text { context, .. } = text;
    let tokens = exact_count(&context, &spans, paragraphs, counter)?;
    Ok(BuiltContext {
        context,
        tokens,
        evidence: evidence
            .into_iter()
            .map(|e| e.expect("every placement is placed"))
            .collect(),
        depths,
    })
}

/// A context being written, with its length in Unicode scalar values (the unit of evidence spans).
struct Text {
    context: String,
    chars: usize,
}

impl Text {
    fn push(&mut self, piece: &str) {
        self.context.push_str(piece);
        self.chars += char_len(piece);
    }

    /// Writes a placement and returns where it landed.
    fn place(&mut self, sentence: &str) -> Evidence {
        let char_start = self.chars;
        self.push(sentence);
        Evidence {
            text: sentence.to_string(),
            char_start,
            char_end: self.chars,
        }
    }
}

/// The exact token count of `context`. Where every paragraph join is a piece boundary (see
/// `longforge_datasets::is_piece_boundary`) counts add across joins, so unchanged paragraphs keep
/// the counts they were chosen by and only the changed ones and the last (which has no trailing
/// gap) are counted again. Otherwise the whole text is counted.
fn exact_count(
    context: &str,
    spans: &[(usize, usize, bool)],
    paragraphs: &[Paragraph],
    counter: &TokenCounter,
) -> Result<usize, GenerateError> {
    let additive = counter.counts_add_at_line_starts()
        && !spans.is_empty()
        && spans[1..]
            .iter()
            .all(|&(start, _, _)| is_piece_boundary(context, start));
    if !additive {
        return Ok(counter.count_parallel(context)?);
    }
    let last = spans.len() - 1;
    let mut total = 0;
    for (i, &(start, end, changed)) in spans.iter().enumerate() {
        total += if changed || i == last {
            counter.count(&context[start..end])?
        } else {
            paragraphs[i].tokens
        };
    }
    Ok(total)
}

/// The sentence boundary whose token position is nearest `want`.
fn nearest_slot(
    paragraphs: &mut [Paragraph],
    chosen: &[usize],
    starts: &[usize],
    want: usize,
    counter: &TokenCounter,
) -> Result<(Slot, usize), GenerateError> {
    if chosen.is_empty() {
        return Ok((
            Slot {
                paragraph: usize::MAX,
                sentence: 0,
            },
            0,
        ));
    }
    // The paragraph holding `want` (the last whose start is <= want).
    let pi = starts.partition_point(|&s| s <= want).saturating_sub(1);
    let take = chosen[pi];
    let counts = sentence_tokens(&mut paragraphs[pi], counter)?;
    let mut best = Slot {
        paragraph: pi,
        sentence: 0,
    };
    let mut best_dist = want.abs_diff(starts[pi]);
    let mut best_at = starts[pi];
    let mut pos = starts[pi];
    for (si, &t) in counts[..take].iter().enumerate() {
        pos += t;
        let d = want.abs_diff(pos);
        if d < best_dist {
            best_dist = d;
            best_at = pos;
            best = Slot {
                paragraph: pi,
                sentence: si + 1,
            };
        }
    }
    // The end of this paragraph is the start of the next: prefer the next paragraph's start,
    // so a needle at a paragraph boundary opens a paragraph rather than closing one, except at
    // the very end of the context.
    if best.sentence == take && pi + 1 < chosen.len() {
        best = Slot {
            paragraph: pi + 1,
            sentence: 0,
        };
        best_at = starts[pi + 1];
    }
    Ok((best, best_at))
}
