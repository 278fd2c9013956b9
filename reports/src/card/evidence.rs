//! How spread out and how wide the information a sample needs is, from its `meta.evidence`: the
//! two axes Goldman et al. (2024), "Is It Really Long Context if All You Need Is Retrieval?
//! Towards Genuinely Difficult Long Context NLP", call *diffusion* (how hard the needed
//! information is to find, how far apart its pieces lie) and *scope* (how much of it is needed).
//! They argue that a long context is genuinely hard only when both are high; a needle in a
//! haystack is low on both.
//!
//! Here, per sample with evidence:
//! - **dispersion** (their diffusion) = (end of the last span - start of the first span) /
//!   context length, in characters (Unicode scalar values, as the spans are written): 0 when
//!   the evidence is one point, 1 when it runs from the context's first character to its last.
//! - **scope** = evidence tokens / context tokens, both in the dataset's tokenizer: each span's
//!   `text` counted alone and the counts added (families write disjoint spans), over
//!   `meta.context_tokens`. Usually far below 1 (a needle of 20 tokens in 128K is 0.00016).

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use longforge_datasets::{
    char_len, jsonl, Context, DatasetError, Evidence, Sample, TokenCounter, CONTEXTS_JSONL,
    SAMPLES_JSONL,
};
use serde_json::Value;

/// The evidence measures of a whole dataset, grouped by task and asked length.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceSummary {
    /// Every sample in the folder.
    pub samples: u64,
    /// By task (sorted by name), then by `target_tokens` (no length first, then ascending).
    pub groups: Vec<EvidenceGroup>,
    /// The samples' `lang` values, distinct and sorted (read in the same pass, for the card's
    /// `language`).
    pub languages: Vec<String>,
}

/// The samples of one task at one asked length.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceGroup {
    pub task: String,
    /// The sample's `meta.target_tokens`: the length asked for, in tokens; `None` when no
    /// filler was asked for (`--lengths none`) or the family records none.
    pub target_tokens: Option<u64>,
    /// Samples in the group, with evidence or not.
    pub samples: u64,
    /// Per sample with evidence (non-empty `meta.evidence` in a non-empty context), in file
    /// order: its dispersion, in [0, 1].
    pub dispersion: Vec<f64>,
    /// Per sample with evidence, in the same order: its scope, >= 0 (below 1 unless the
    /// evidence is most of the context).
    pub scope: Vec<f64>,
}

impl EvidenceSummary {
    /// Samples with evidence, over every group.
    pub fn measured(&self) -> usize {
        self.groups.iter().map(|g| g.dispersion.len()).sum()
    }

    /// Reads `samples.jsonl` (and `contexts.jsonl`, for the length of shared contexts) of `dir`
    /// a line at a time, counting evidence tokens with `counter`. Memory holds two numbers per
    /// sample with evidence, never the texts of more than one sample.
    pub fn read(dir: &Path, counter: &TokenCounter) -> Result<Self, DatasetError> {
        let shared = shared_contexts(dir)?;
        let path = dir.join(SAMPLES_JSONL);
        let file = std::fs::File::open(&path).map_err(|e| DatasetError::io(&path, e))?;
        let mut groups: BTreeMap<(String, Option<u64>), EvidenceGroup> = BTreeMap::new();
        let mut samples = 0;
        let mut languages = std::collections::BTreeSet::new();
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| DatasetError::io(&path, e))?;
            let sample: Sample = jsonl::parse_line(&path, i + 1, &line)?;
            samples += 1;
            if !sample.lang.is_empty() && !languages.contains(&sample.lang) {
                languages.insert(sample.lang.clone());
            }
            let target_tokens = sample.meta.get("target_tokens").and_then(Value::as_u64);
            let group = groups
                .entry((sample.task.clone(), target_tokens))
                .or_insert_with(|| EvidenceGroup {
                    task: sample.task.clone(),
                    target_tokens,
                    samples: 0,
                    dispersion: Vec::new(),
                    scope: Vec::new(),
                });
            group.samples += 1;
            let evidence = evidence_of(&sample).map_err(|message| DatasetError::Invalid {
                path: path.clone(),
                message: format!("line {}: sample `{}`: {message}", i + 1, sample.id),
            })?;
            if evidence.is_empty() {
                continue;
            }
            let (chars, stored_tokens) = match (&sample.context, &sample.context_id) {
                (Some(text), _) => (char_len(text), None),
                (None, Some(id)) => shared
                    .get(id)
                    .copied()
                    .map_or((0, None), |(c, t)| (c, Some(t))),
                (None, None) => (0, None),
            };
            let context_tokens = sample
                .meta
                .get("context_tokens")
                .and_then(Value::as_u64)
                .or(stored_tokens)
                .unwrap_or(0);
            let mut evidence_tokens = 0;
            for span in &evidence {
                evidence_tokens += counter.count(&span.text)?;
            }
            if let (Some(d), Some(s)) = (
                dispersion(&evidence, chars),
                scope(evidence_tokens, context_tokens),
            ) {
                group.dispersion.push(d);
                group.scope.push(s);
            }
        }
        Ok(EvidenceSummary {
            samples,
            groups: groups.into_values().collect(),
            languages: languages.into_iter().collect(),
        })
    }
}

impl EvidenceGroup {
    /// Samples with evidence.
    pub fn measured(&self) -> usize {
        self.dispersion.len()
    }
}

/// (end of the last span - start of the first) / `context_chars`, all in Unicode scalar
/// values; `None` without spans or without a context. In [0, 1] for spans inside the context.
pub fn dispersion(evidence: &[Evidence], context_chars: usize) -> Option<f64> {
    let first = evidence.iter().map(|e| e.char_start).min()?;
    let last = evidence.iter().map(|e| e.char_end).max()?;
    (context_chars > 0).then(|| last.saturating_sub(first) as f64 / context_chars as f64)
}

/// `evidence_tokens / context_tokens`; `None` without a context.
pub fn scope(evidence_tokens: usize, context_tokens: u64) -> Option<f64> {
    (context_tokens > 0).then(|| evidence_tokens as f64 / context_tokens as f64)
}

/// The `p`-quantile (`p` in [0, 1]) of `values`, by linear interpolation between the two
/// nearest ranks (numpy's default, Hyndman and Fan's type 7); `None` for no values.
pub fn quantile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// A sample's `meta.evidence`; absent (folders of older generator versions) reads as none.
fn evidence_of(sample: &Sample) -> Result<Vec<Evidence>, String> {
    match sample.meta.get("evidence") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
            format!("`meta.evidence` is not a list of {{text, char_start, char_end}}: {e}")
        }),
    }
}

/// Each shared context's length in characters and tokens, by id, read a line at a time.
fn shared_contexts(dir: &Path) -> Result<HashMap<String, (usize, u64)>, DatasetError> {
    let path = dir.join(CONTEXTS_JSONL);
    let mut out = HashMap::new();
    if !path.exists() {
        return Ok(out);
    }
    let file = std::fs::File::open(&path).map_err(|e| DatasetError::io(&path, e))?;
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| DatasetError::io(&path, e))?;
        let c: Context = jsonl::parse_line(&path, i + 1, &line)?;
        out.insert(c.id, (char_len(&c.text), c.tokens));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> Evidence {
        Evidence {
            text: "x".repeat(end - start),
            char_start: start,
            char_end: end,
        }
    }

    #[test]
    fn dispersion_runs_from_the_first_start_to_the_last_end() {
        assert_eq!(dispersion(&[span(10, 20)], 100), Some(0.1));
        // Order of the spans does not matter.
        assert_eq!(dispersion(&[span(80, 100), span(0, 5)], 200), Some(0.5));
        assert_eq!(dispersion(&[], 100), None);
        assert_eq!(dispersion(&[span(0, 1)], 0), None);
        assert_eq!(scope(20, 1000), Some(0.02));
        assert_eq!(scope(20, 0), None);
    }

    #[test]
    fn quantiles_interpolate_as_numpy_does() {
        let v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        // numpy.quantile([1, 2, 3, 4], 0.1) = 1.3, 0.9 -> 3.7
        assert!((quantile(&v, 0.1).unwrap() - 1.3).abs() < 1e-12);
        assert!((quantile(&v, 0.9).unwrap() - 3.7).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.9), Some(7.0));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
