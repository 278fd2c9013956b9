use longforge_datasets::DatasetError;

/// Why a book could not be chunked or indexed, or a sample planned for an answering system.
#[derive(Debug, thiserror::Error)]
pub enum RetrievalError {
    #[error("chunk size is 0 tokens: give a positive size, such as 256")]
    ZeroChunkSize,
    #[error("the book is empty (no characters other than whitespace): nothing to chunk")]
    EmptyBook,
    #[error("no documents to index: give at least one chunk")]
    NoDocuments,
    #[error("no document holds a word (a run of letters or digits): BM25 has nothing to weigh")]
    NoTerms,
    #[error("BM25 parameters out of range: {0}")]
    Params(String),
    #[error("{0}")]
    Setting(String),
    #[error("sample `{sample_id}`: {message}")]
    Sample { sample_id: String, message: String },
    #[error("counting tokens: {0}")]
    Count(#[from] DatasetError),
}
