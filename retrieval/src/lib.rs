//! Answering systems ([`systems`]: no context, retrieval, the whole book, map-reduce) and the
//! retrieval they read through: the book cut into
//! chunks of about `chunk_tokens` tokens ([`chunk_book`]), a BM25 index over the chunks
//! ([`Bm25Index`]), and the top `k` chunks for a question ([`Retriever::search`]), each with its
//! character span in the book (Unicode scalar values, as every longforge span) and its score.
//!
//! Scores are Okapi BM25 (Robertson & Zaragoza 2009) with `k1 = 1.5`, `b = 0.75` and
//! `rank_bm25`'s IDF floor, equal to Python's `rank_bm25.BM25Okapi` on the same words to 1e-9
//! (`tests/peers/bm25.py`, run by `just peers`). Everything is deterministic: equal scores rank
//! in book order.
//!
//! ```no_run
//! # use longforge_datasets::{TokenCounter, TokenizerSpec};
//! # use longforge_retrieval::{Bm25Params, Retriever};
//! let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase)?;
//! let book = std::fs::read_to_string("book.txt")?;
//! let retriever = Retriever::new(&book, 256, &counter, Bm25Params::default())?;
//! for hit in retriever.search("who burned the letters?", 5) {
//!     println!("{} [{}, {}) {:.3}", hit.chunk, hit.char_start, hit.char_end, hit.score);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bm25;
mod chunk;
mod error;
pub mod systems;

pub use bm25::{tokenize, top_k_of, Bm25Index, Bm25Params, Scored};
pub use chunk::{chunk_book, Chunk};
pub use error::RetrievalError;
pub use systems::{Planner, System};

use longforge_datasets::TokenCounter;

/// A book's chunks and their BM25 index.
#[derive(Debug, Clone)]
pub struct Retriever {
    chunks: Vec<Chunk>,
    index: Bm25Index,
}

/// One retrieved chunk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// The chunk's id (its position in [`Retriever::chunks`]).
    pub chunk: usize,
    /// The chunk's span in the book, in Unicode scalar values, end exclusive.
    pub char_start: usize,
    pub char_end: usize,
    /// BM25 score; higher is better, and it may be negative (see [`Bm25Index`]).
    pub score: f64,
}

impl Retriever {
    /// Chunks `book` (see [`chunk_book`]) and indexes the chunks.
    ///
    /// # Errors
    /// A zero chunk size, an empty book, a book with no word, a counter's failure or
    /// parameters out of range.
    pub fn new(
        book: &str,
        chunk_tokens: usize,
        counter: &TokenCounter,
        params: Bm25Params,
    ) -> Result<Self, RetrievalError> {
        Self::from_chunks(chunk_book(book, chunk_tokens, counter)?, params)
    }

    /// Indexes chunks made elsewhere; their ids must be their positions.
    ///
    /// # Errors
    /// No chunks, no word in them, or parameters out of range.
    pub fn from_chunks(chunks: Vec<Chunk>, params: Bm25Params) -> Result<Self, RetrievalError> {
        let texts: Vec<&str> = chunks.iter().map(|c| c.text.as_str()).collect();
        let index = Bm25Index::new(&texts, params)?;
        Ok(Retriever { chunks, index })
    }

    pub fn chunks(&self) -> &[Chunk] {
        &self.chunks
    }

    pub fn index(&self) -> &Bm25Index {
        &self.index
    }

    /// The `min(k, chunks)` best chunks for `query`, best first, equal scores in book order.
    pub fn search(&self, query: &str, k: usize) -> Vec<Hit> {
        self.index
            .top_k(query, k)
            .into_iter()
            .map(|s| {
                let chunk = &self.chunks[s.doc];
                Hit {
                    chunk: s.doc,
                    char_start: chunk.char_start,
                    char_end: chunk.char_end,
                    score: s.score,
                }
            })
            .collect()
    }
}
