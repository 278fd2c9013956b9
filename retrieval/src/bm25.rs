//! Okapi BM25 over a list of documents (the chunks of a book), scored exactly as Python's
//! `rank_bm25.BM25Okapi` (0.2.2) scores the same tokens.
//!
//! For a query `q_1..q_n` (repeated words count each time) and a document `D`:
//!
//! ```text
//! score(D, q) = sum_i IDF(q_i) * f(q_i, D) * (k1 + 1) / (f(q_i, D) + k1 * (1 - b + b * |D| / avgdl))
//! IDF(t)      = ln(N - n(t) + 0.5) - ln(n(t) + 0.5)        (the Robertson-Sparck Jones weight)
//! ```
//!
//! with `f(t, D)` the count of `t` in `D`, `|D|` its length in words, `avgdl` the mean length,
//! `N` the number of documents and `n(t)` how many hold `t`: Robertson & Zaragoza, "The
//! Probabilistic Relevance Framework: BM25 and Beyond" (2009), eq. 3.18 with the IDF of eq. 3.7
//! plus 0.5 smoothing. A word in more than half the documents has a negative IDF; as
//! `rank_bm25` does, each such IDF becomes `epsilon * mean IDF`, the mean taken over the whole
//! vocabulary before any is replaced. A word outside the vocabulary adds 0.
//!
//! Defaults: `k1 = 1.5`, `b = 0.75`, `epsilon = 0.25` (`rank_bm25`'s). Words are lowercase runs
//! of alphanumeric characters ([`tokenize`]).
//!
//! # Cost
//! Building is one pass over the words plus one weight per (word, document) pair, each
//! `idf * tf * (k1 + 1) / (tf + norm)` computed once. A query adds the postings of its words
//! into a score per document: `O(N + postings of the query's words)`; top-k then selects in
//! `O(N + k log k)`.

use rustc_hash::FxHashMap;

use crate::RetrievalError;

/// BM25's free parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bm25Params {
    /// Term-frequency saturation, `>= 0`.
    pub k1: f64,
    /// Length normalisation, in `[0, 1]`.
    pub b: f64,
    /// Negative IDFs become `epsilon * mean IDF` (`rank_bm25`'s floor).
    pub epsilon: f64,
}

impl Default for Bm25Params {
    fn default() -> Self {
        Bm25Params {
            k1: 1.5,
            b: 0.75,
            epsilon: 0.25,
        }
    }
}

/// One result of a query: a document (chunk) id and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub doc: usize,
    pub score: f64,
}

/// An inverted index of documents, immutable once built. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Bm25Index {
    vocabulary: FxHashMap<String, u32>,
    /// Per word id: (document, weight) for every document holding it, documents ascending.
    postings: Vec<Vec<(u32, f64)>>,
    idf: Vec<f64>,
    doc_lengths: Vec<usize>,
    average_length: f64,
    params: Bm25Params,
}

impl Bm25Index {
    /// Tokenises each document with [`tokenize`] and indexes them; document `i` is id `i`.
    ///
    /// # Errors
    /// No documents, no word in any of them, or parameters out of range.
    pub fn new<S: AsRef<str>>(documents: &[S], params: Bm25Params) -> Result<Self, RetrievalError> {
        let mut vocabulary: FxHashMap<String, u32> = FxHashMap::default();
        let mut counts: Vec<Vec<(u32, u32)>> = Vec::with_capacity(documents.len());
        let mut word = String::new();
        let mut seen: FxHashMap<u32, u32> = FxHashMap::default();
        let mut doc_lengths = Vec::with_capacity(documents.len());
        for doc in documents {
            seen.clear();
            let mut length = 0;
            for_each_word(doc.as_ref(), &mut word, |w| {
                let next = vocabulary.len() as u32;
                let id = match vocabulary.get(w) {
                    Some(&id) => id,
                    None => {
                        vocabulary.insert(w.to_string(), next);
                        next
                    }
                };
                *seen.entry(id).or_insert(0) += 1;
                length += 1;
            });
            let mut tf: Vec<(u32, u32)> = seen.iter().map(|(&w, &n)| (w, n)).collect();
            tf.sort_unstable();
            counts.push(tf);
            doc_lengths.push(length);
        }
        Self::from_counts(vocabulary, counts, doc_lengths, params)
    }

    /// Indexes documents already cut into words (used as given: no lowercasing), so any
    /// tokeniser can feed it; the peer test feeds `rank_bm25` the same lists.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn from_words<W: AsRef<str>>(
        documents: &[Vec<W>],
        params: Bm25Params,
    ) -> Result<Self, RetrievalError> {
        let mut vocabulary: FxHashMap<String, u32> = FxHashMap::default();
        let mut counts = Vec::with_capacity(documents.len());
        let mut doc_lengths = Vec::with_capacity(documents.len());
        for doc in documents {
            let mut seen: FxHashMap<u32, u32> = FxHashMap::default();
            for w in doc {
                let next = vocabulary.len() as u32;
                let id = *vocabulary.entry(w.as_ref().to_string()).or_insert(next);
                *seen.entry(id).or_insert(0) += 1;
            }
            let mut tf: Vec<(u32, u32)> = seen.into_iter().collect();
            tf.sort_unstable();
            counts.push(tf);
            doc_lengths.push(doc.len());
        }
        Self::from_counts(vocabulary, counts, doc_lengths, params)
    }

    fn from_counts(
        vocabulary: FxHashMap<String, u32>,
        counts: Vec<Vec<(u32, u32)>>,
        doc_lengths: Vec<usize>,
        params: Bm25Params,
    ) -> Result<Self, RetrievalError> {
        check(params)?;
        if counts.is_empty() {
            return Err(RetrievalError::NoDocuments);
        }
        if vocabulary.is_empty() {
            return Err(RetrievalError::NoTerms);
        }
        let n_docs = counts.len() as f64;
        let total: usize = doc_lengths.iter().sum();
        let average_length = total as f64 / n_docs;

        let mut doc_freq = vec![0usize; vocabulary.len()];
        for tf in &counts {
            for &(w, _) in tf {
                doc_freq[w as usize] += 1;
            }
        }
        let mut idf: Vec<f64> = doc_freq
            .iter()
            .map(|&n| (n_docs - n as f64 + 0.5).ln() - (n as f64 + 0.5).ln())
            .collect();
        // rank_bm25 sums in its dictionary's order (first appearance), as word ids run here.
        let mean_idf = idf.iter().sum::<f64>() / idf.len() as f64;
        for x in &mut idf {
            if *x < 0.0 {
                *x = params.epsilon * mean_idf;
            }
        }

        let Bm25Params { k1, b, .. } = params;
        let mut postings: Vec<Vec<(u32, f64)>> =
            doc_freq.iter().map(|&n| Vec::with_capacity(n)).collect();
        for (d, tf) in counts.iter().enumerate() {
            // The same operations in the same order as rank_bm25, for the same rounding.
            let norm = k1 * (1.0 - b + b * doc_lengths[d] as f64 / average_length);
            for &(w, f) in tf {
                let f = f as f64;
                let weight = idf[w as usize] * (f * (k1 + 1.0) / (f + norm));
                postings[w as usize].push((d as u32, weight));
            }
        }
        Ok(Bm25Index {
            vocabulary,
            postings,
            idf,
            doc_lengths,
            average_length,
            params,
        })
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.doc_lengths.len()
    }

    /// Never true: an index holds at least one document.
    pub fn is_empty(&self) -> bool {
        self.doc_lengths.is_empty()
    }

    pub fn params(&self) -> Bm25Params {
        self.params
    }

    /// Mean document length in words (`avgdl`).
    pub fn average_length(&self) -> f64 {
        self.average_length
    }

    /// The IDF a word is weighed with (after the floor), or `None` outside the vocabulary.
    pub fn idf(&self, word: &str) -> Option<f64> {
        self.vocabulary.get(word).map(|&w| self.idf[w as usize])
    }

    /// Every document's score for `query` (tokenised with [`tokenize`]), indexed by id.
    pub fn scores(&self, query: &str) -> Vec<f64> {
        self.scores_for_words(&tokenize(query))
    }

    /// Every document's score for a query already cut into words, indexed by id.
    pub fn scores_for_words<W: AsRef<str>>(&self, words: &[W]) -> Vec<f64> {
        let mut scores = vec![0.0; self.len()];
        for w in words {
            if let Some(&id) = self.vocabulary.get(w.as_ref()) {
                for &(d, weight) in &self.postings[id as usize] {
                    scores[d as usize] += weight;
                }
            }
        }
        scores
    }

    /// The `min(k, len)` best documents for `query`, best first; equal scores in document order
    /// (lower id first), so results are deterministic. Documents sharing no word with the query
    /// score 0 and still fill the list, as in `rank_bm25`'s `get_top_n`.
    pub fn top_k(&self, query: &str, k: usize) -> Vec<Scored> {
        top_k_of(&self.scores(query), k)
    }
}

/// The `k` best of `scores` by score descending, then index ascending.
pub fn top_k_of(scores: &[f64], k: usize) -> Vec<Scored> {
    let order = |a: &Scored, b: &Scored| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc));
    let mut all: Vec<Scored> = scores
        .iter()
        .enumerate()
        .map(|(doc, &score)| Scored { doc, score })
        .collect();
    let k = k.min(all.len());
    if k == 0 {
        return Vec::new();
    }
    if k < all.len() {
        all.select_nth_unstable_by(k - 1, order);
        all.truncate(k);
    }
    all.sort_unstable_by(order);
    all
}

/// The words BM25 sees: maximal runs of alphanumeric characters (Rust's
/// [`char::is_alphanumeric`]: Unicode letters and numbers), lowercased (full Unicode
/// lowercasing, so `Straße` stays `straße` and `İ` becomes `i̇`). Everything else separates.
/// Python's `re.findall(r"[^\W_]+", text.lower())` gives the same words on text without
/// combining marks; it differs where lowercasing makes a mark (`İ`), which Python then drops.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for_each_word(text, &mut word, |w| out.push(w.to_string()));
    out
}

/// Calls `f` on each word of `text`, built in `buffer`.
fn for_each_word(text: &str, buffer: &mut String, mut f: impl FnMut(&str)) {
    buffer.clear();
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_ascii() {
                buffer.push(c.to_ascii_lowercase());
            } else {
                buffer.extend(c.to_lowercase());
            }
        } else if !buffer.is_empty() {
            f(buffer);
            buffer.clear();
        }
    }
    if !buffer.is_empty() {
        f(buffer);
        buffer.clear();
    }
}

fn check(params: Bm25Params) -> Result<(), RetrievalError> {
    let Bm25Params { k1, b, epsilon } = params;
    if !(k1.is_finite() && k1 >= 0.0) {
        return Err(RetrievalError::Params(format!(
            "k1 = {k1}; use a finite k1 >= 0 (1.5)"
        )));
    }
    if !(0.0..=1.0).contains(&b) {
        return Err(RetrievalError::Params(format!(
            "b = {b}; use b in [0, 1] (0.75)"
        )));
    }
    if !epsilon.is_finite() {
        return Err(RetrievalError::Params(format!(
            "epsilon = {epsilon}; use a finite one (0.25)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(docs: &[&str]) -> Bm25Index {
        Bm25Index::new(docs, Bm25Params::default()).expect("indexes")
    }

    #[test]
    fn words_are_lowercase_alphanumeric_runs() {
        assert_eq!(
            tokenize("The Oven's 2nd-door, CAFÉ_au lait; 北京!"),
            ["the", "oven", "s", "2nd", "door", "café", "au", "lait", "北京"]
        );
        assert!(tokenize(" ,.;- ").is_empty());
    }

    #[test]
    fn scores_match_a_hand_worked_example() {
        // N = 3; "river" in 1 document, "the" in all 3 (negative IDF, floored).
        let idx = index(&["the river bends", "the oven", "the the hill"]);
        let ln = f64::ln;
        let idf_river = ln(3.0 - 1.0 + 0.5) - ln(1.0 + 0.5);
        let raw = [
            idf_river,
            ln(0.5) - ln(3.5), // the
            ln(2.5) - ln(1.5), // bends
            ln(2.5) - ln(1.5), // oven
            ln(2.5) - ln(1.5), // hill
        ];
        let mean = raw.iter().sum::<f64>() / 5.0;
        assert_eq!(idx.idf("river"), Some(idf_river));
        assert_eq!(idx.idf("the"), Some(0.25 * mean));
        let avgdl = 8.0 / 3.0;
        let norm = 1.5 * (1.0 - 0.75 + 0.75 * 3.0 / avgdl);
        let expected = idf_river * (2.5 / (1.0 + norm)) + 0.25 * mean * (2.5 / (1.0 + norm));
        let scores = idx.scores("River THE");
        assert!(
            (scores[0] - expected).abs() < 1e-12,
            "{} vs {expected}",
            scores[0]
        );
        assert_eq!(idx.top_k("river", 1)[0].doc, 0);
    }

    #[test]
    fn words_unique_to_one_document_find_it_first() {
        let idx = index(&[
            "the oven and the hearth",
            "the river bends past the mill",
            "a heron waits by the mill pond",
            "the oven again",
        ]);
        let hits = idx.top_k("heron pond", 2);
        assert_eq!(hits[0].doc, 2);
        assert!(hits[0].score > hits[1].score);
    }

    #[test]
    fn ties_go_to_the_earlier_document() {
        let idx = index(&[
            "alpha beta",
            "gamma delta",
            "alpha beta",
            "alpha beta",
            "x y",
        ]);
        let hits = idx.top_k("alpha", 5);
        let ids: Vec<usize> = hits.iter().map(|h| h.doc).collect();
        assert_eq!(ids, [0, 2, 3, 1, 4]);
        assert_eq!(hits[0].score, hits[1].score);
        assert_eq!(
            idx.top_k("alpha", 2)
                .iter()
                .map(|h| h.doc)
                .collect::<Vec<_>>(),
            [0, 2]
        );
        // Nothing matches: all zero, in document order.
        let ids: Vec<usize> = idx.top_k("nowhere", 3).iter().map(|h| h.doc).collect();
        assert_eq!(ids, [0, 1, 2]);
        assert!(idx.top_k("alpha", 0).is_empty());
        assert_eq!(idx.top_k("alpha", 99).len(), 5);
    }

    #[test]
    fn words_and_texts_give_the_same_index() {
        let docs = ["The oven, hot.", "A river; the river!", "hill"];
        let words: Vec<Vec<String>> = docs.iter().map(|d| tokenize(d)).collect();
        let a = index(&docs);
        let b = Bm25Index::from_words(&words, Bm25Params::default()).expect("indexes");
        assert_eq!(a.scores("river oven hill"), b.scores("river oven hill"));
    }

    #[test]
    fn empty_inputs_and_bad_parameters_are_errors() {
        let none: [&str; 0] = [];
        assert!(matches!(
            Bm25Index::new(&none, Bm25Params::default()),
            Err(RetrievalError::NoDocuments)
        ));
        assert!(matches!(
            Bm25Index::new(&["...", " "], Bm25Params::default()),
            Err(RetrievalError::NoTerms)
        ));
        let bad = Bm25Params {
            b: 1.5,
            ..Bm25Params::default()
        };
        assert!(matches!(
            Bm25Index::new(&["a"], bad),
            Err(RetrievalError::Params(_))
        ));
    }
}
