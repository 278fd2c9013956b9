use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("endpoint `{spec}` (NAME=BASE_URL[,model=...]): {message}")]
    Endpoint { spec: String, message: String },
    #[error("store {path}: {message}")]
    Store { path: PathBuf, message: String },
    #[error("HTTP client: {0}")]
    Http(String),
}
