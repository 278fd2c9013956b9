//! Benchmark generators: one module per family, each turning parameters and a seed into samples.
//!
//! A family implements [`Family`]: it lists its tasks and parameters (for `longforge generate
//! --list`), parses its parameters from JSON (the same JSON the manifest stores, which is how
//! `longforge verify` regenerates a folder), and generates [`Sample`]s. Every sample's randomness
//! comes from a seed derived from the dataset seed and the sample's id, so any sample can be
//! regenerated alone and the output never depends on thread scheduling.
//!
//! Adding a family is one module and one line in [`families`].

pub mod haystack;
pub mod holobench;
pub mod longproc;
pub mod longspan;
pub mod needlebench;
pub mod nocha;

mod error;
mod family;
mod inputs;
mod registry;
mod shelf;
mod write;

pub use error::GenerateError;
pub use family::{
    Asker, AskerRef, Companion, EarlierVersion, Family, Generated, Imported, Importer, Inputs,
    ParamInfo, ParamKind, SampleSource, TaskInfo, COMMON_PARAMS,
};
pub use inputs::{import_params, resolve, InputRef};
pub use registry::{families, family, Registry};
pub use write::{as_version, scoring_of, write_dataset, write_source};
