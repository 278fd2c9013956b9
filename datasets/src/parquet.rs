//! `samples.parquet`, the columnar twin of `samples.jsonl`.
//!
//! Flat string columns only: `reference` and `meta` hold the same JSON text as the JSON Lines
//! file. Nested Parquet types differ in how polars, pyarrow and Hugging Face `datasets` map them,
//! and a flat schema reads the same everywhere.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::{Context, DatasetError, Sample};

pub const SAMPLES_PARQUET: &str = "samples.parquet";
pub const CONTEXTS_PARQUET: &str = "contexts.parquet";

/// Records with a Parquet twin: their columns as one DataFrame (one chunk, so one row group
/// when written).
pub(crate) trait Rows: Sized {
    fn frame(rows: &[Self], path: &Path) -> Result<DataFrame, DatasetError>;
}

impl Rows for Sample {
    fn frame(samples: &[Sample], path: &Path) -> Result<DataFrame, DatasetError> {
        let text = |f: &dyn Fn(&Sample) -> String| samples.iter().map(f).collect::<Vec<_>>();
        let opt = |f: &dyn Fn(&Sample) -> Option<String>| samples.iter().map(f).collect::<Vec<_>>();
        let columns = vec![
            Column::new("id".into(), text(&|s| s.id.clone())),
            Column::new("family".into(), text(&|s| s.family.clone())),
            Column::new("task".into(), text(&|s| s.task.clone())),
            Column::new("lang".into(), text(&|s| s.lang.clone())),
            Column::new("context".into(), opt(&|s| s.context.clone())),
            Column::new("context_id".into(), opt(&|s| s.context_id.clone())),
            Column::new("question".into(), text(&|s| s.question.clone())),
            Column::new("prompt".into(), text(&|s| s.prompt.clone())),
            Column::new("reference".into(), text(&|s| to_json(&s.reference))),
            Column::new("meta".into(), text(&|s| to_json(&s.meta))),
        ];
        DataFrame::new(samples.len(), columns).map_err(|e| parquet_error(path, e))
    }
}

impl Rows for Context {
    fn frame(contexts: &[Context], path: &Path) -> Result<DataFrame, DatasetError> {
        let columns = vec![
            Column::new(
                "id".into(),
                contexts.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "text".into(),
                contexts.iter().map(|c| c.text.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "tokens".into(),
                contexts.iter().map(|c| c.tokens).collect::<Vec<_>>(),
            ),
        ];
        DataFrame::new(contexts.len(), columns).map_err(|e| parquet_error(path, e))
    }
}

/// A Parquet twin written a row group at a time: fixed compression, no timestamps, so the same
/// row groups give the same bytes.
pub(crate) struct ParquetTwin<R: Rows> {
    path: PathBuf,
    writer: polars::io::parquet::write::BatchedWriter<std::fs::File>,
    rows: std::marker::PhantomData<R>,
}

impl<R: Rows> ParquetTwin<R> {
    pub(crate) fn create(path: &Path) -> Result<Self, DatasetError> {
        let file = std::fs::File::create(path).map_err(|e| DatasetError::io(path, e))?;
        let schema = R::frame(&[], path)?.schema().as_ref().clone();
        let writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_row_group_size(Some(65_536))
            .batched(&schema)
            .map_err(|e| parquet_error(path, e))?;
        Ok(ParquetTwin {
            path: path.to_path_buf(),
            writer,
            rows: std::marker::PhantomData,
        })
    }

    /// Writes `rows` as one row group. The rows are dropped once their columns are built, before
    /// encoding, so a group of megabyte contexts is not held twice while its pages are made.
    pub(crate) fn write_group(&mut self, rows: Vec<R>) -> Result<(), DatasetError> {
        let df = R::frame(&rows, &self.path)?;
        drop(rows);
        self.writer
            .write_batch(&df)
            .map_err(|e| parquet_error(&self.path, e))
    }

    pub(crate) fn finish(self) -> Result<(), DatasetError> {
        self.writer
            .finish()
            .map_err(|e| parquet_error(&self.path, e))?;
        Ok(())
    }
}

fn parquet_error(path: &Path, e: PolarsError) -> DatasetError {
    DatasetError::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// The `id` column of a samples Parquet file, in row order.
pub fn read_sample_ids_parquet(path: &Path) -> Result<Vec<String>, DatasetError> {
    let err = |e: PolarsError| DatasetError::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(|e| DatasetError::io(path, e))?;
    let df = ParquetReader::new(file).finish().map_err(err)?;
    let ids = df.column("id").map_err(err)?.str().map_err(err)?;
    Ok((0..ids.len())
        .map(|i| ids.get(i).unwrap_or_default().to_string())
        .collect())
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("contract types serialise")
}
