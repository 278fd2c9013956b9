use std::path::PathBuf;

/// Everything that can go wrong reading or writing a dataset. Messages name the file and, where
/// there is one, the line and field, and say how to fix the problem.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: field `{field}`: {message}")]
    Record {
        path: PathBuf,
        line: usize,
        field: String,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("tokenizer `{spec}`: {message}")]
    Tokenizer { spec: String, message: String },
    #[error("length `{input}`: {message}")]
    Length { input: String, message: String },
    #[error("{path}: parquet: {message}")]
    Parquet { path: PathBuf, message: String },
}

impl DatasetError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DatasetError::Io {
            path: path.into(),
            source,
        }
    }
}
