use std::path::PathBuf;

/// Everything that can go wrong reading or writing a dataset. Messages name the file and, where
/// there is one, the line and field, and say how to fix the problem.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The cause is in the message, and not also a `source`, so it is printed once.
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
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
    /// An I/O failure on `path`.
    pub fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Self {
        DatasetError::Io {
            path: path.into(),
            cause,
        }
    }
}
