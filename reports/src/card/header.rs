//! The card's YAML header, the metadata the Hugging Face Hub reads: which Parquet file is which
//! configuration and split, the columns and their types, licence, size, task categories,
//! languages, name and tags. Field order is fixed by the structs, so the bytes are too.

use serde::Serialize;

/// The header's fields, in the order they are written.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Header {
    pub pretty_name: String,
    /// A Hugging Face licence id: `apache-2.0` for generated data (the workspace's licence),
    /// `other` for imported data (the original's licence applies).
    pub license: String,
    /// ISO 639-1 codes from the samples' `lang`, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub language: Vec<String>,
    pub task_categories: Vec<String>,
    pub tags: Vec<String>,
    /// One of [`size_category`]'s buckets.
    pub size_categories: Vec<String>,
    pub configs: Vec<Config>,
    pub dataset_info: DatasetInfo,
}

/// A configuration: a name and its data files by split.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Config {
    pub config_name: String,
    pub data_files: Vec<DataFile>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DataFile {
    pub split: String,
    pub path: String,
}

/// One configuration's features and splits; written as a mapping when the dataset has one
/// configuration and as a list naming each when it has more, as the Hub writes them.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum DatasetInfo {
    One(Info),
    Many(Vec<Info>),
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Info {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_name: Option<String>,
    pub features: Vec<Feature>,
    pub splits: Vec<Split>,
}

/// A Parquet column: its name and the Hub's dtype for it (`string`, `uint64`, ...).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Feature {
    pub name: String,
    pub dtype: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Split {
    pub name: String,
    pub num_examples: u64,
}

impl Header {
    /// The header between its `---` lines, ending in a newline.
    pub fn to_yaml(&self) -> String {
        let body = serde_norway::to_string(self).expect("the card header serialises");
        format!("---\n{body}---\n")
    }
}

/// The Hub's size bucket for `n` records: `n<1K`, `1K<n<10K`, ... , `n>1T`.
pub fn size_category(n: u64) -> &'static str {
    const BUCKETS: [(u64, &str); 10] = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
        (1_000_000_000, "100M<n<1B"),
        (10_000_000_000, "1B<n<10B"),
        (100_000_000_000, "10B<n<100B"),
        (1_000_000_000_000, "100B<n<1T"),
    ];
    BUCKETS
        .iter()
        .find(|(below, _)| n < *below)
        .map_or("n>1T", |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_buckets_are_the_hubs() {
        assert_eq!(size_category(0), "n<1K");
        assert_eq!(size_category(999), "n<1K");
        assert_eq!(size_category(1_000), "1K<n<10K");
        assert_eq!(size_category(123_456), "100K<n<1M");
        assert_eq!(size_category(u64::MAX), "n>1T");
    }
}
