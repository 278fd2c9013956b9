//! The data contracts every other longforge crate speaks.
//!
//! A benchmark is a folder: `samples.jsonl` (one [`Sample`] per line, the source of truth),
//! `samples.parquet` (the same rows for polars, pyarrow and Hugging Face `datasets`), an optional
//! `contexts.jsonl` when many samples share one long text, and `manifest.json` ([`Manifest`]) that
//! records how to regenerate all of it and the SHA-256 of every file.
//!
//! This crate also owns what every stage needs to agree on: token counting with a named tokenizer
//! ([`TokenCounter`]), seeded randomness ([`SeededRng`], [`derive_seed`]), token lengths written as
//! `4k` or `1m` ([`TokenLength`]), and writes that never leave a half-written file ([`atomic`]).
//!
//! Character offsets anywhere in the contracts count Unicode scalar values (Python string
//! indices), never bytes, so a span can be checked with `context[start:end]` in any language.

pub mod atomic;
mod dataset;
mod error;
pub mod jsonl;
mod keyed;
mod length;
mod manifest;
mod mention;
mod merge;
mod parquet;
mod record;
mod seed;
mod text;
mod tokenizer;
mod writer;

pub use dataset::{read_samples, Dataset};
pub use error::DatasetError;
pub use keyed::{KeyFact, KeyedAnswer, KEYED_ANSWER};
pub use length::TokenLength;
pub use manifest::{
    sha256_hex, FileDigest, GeneratorInfo, Manifest, ScoringSpec, Shard, MANIFEST_FILE,
};
pub use mention::{mention_offsets, mentions};
pub use merge::merge;
pub use parquet::{
    parquet_columns, read_sample_ids_parquet, ParquetColumn, CONTEXTS_PARQUET, SAMPLES_PARQUET,
};
pub use record::{
    char_len, Context, Evidence, Grade, Judgment, Order, Prediction, Reference, Sample, Score,
    Status, Verdict, CONTEXTS_JSONL, CONTEXT_SLOT, SAMPLES_JSONL,
};
pub use seed::{derive_seed, SeededRng};
pub use text::{read_text, scan_lines, TextLine};
pub use tokenizer::{is_piece_boundary, TokenCounter, TokenizerSpec};
pub use writer::{digest_file, sha256_file, DatasetWriter, ParquetLayout, Provenance, RowGroups};
