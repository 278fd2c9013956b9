//! The families a run of longforge knows.

use crate::{holobench, longproc, longspan, needlebench, nocha, Family, GenerateError};

/// Every family longforge can generate. Adding one is a module and a line here.
pub fn families() -> &'static [&'static dyn Family] {
    &[
        &needlebench::NeedleBench,
        &holobench::HoloBench,
        &longproc::LongProc,
        &nocha::NoCha,
        &longspan::LongSpan,
    ]
}

pub fn family(name: &str) -> Result<&'static dyn Family, GenerateError> {
    Registry::builtin().get(name)
}

/// The families a run of longforge knows: the built-in ones, plus any a caller adds (a test's
/// own family, or a program that embeds longforge).
#[derive(Clone)]
pub struct Registry {
    families: Vec<&'static dyn Family>,
}

impl Registry {
    pub fn builtin() -> Self {
        Registry {
            families: families().to_vec(),
        }
    }

    /// Adds `family`; a family of the same name is replaced.
    pub fn with(mut self, family: &'static dyn Family) -> Self {
        self.families.retain(|f| f.name() != family.name());
        self.families.push(family);
        self
    }

    pub fn all(&self) -> &[&'static dyn Family] {
        &self.families
    }

    pub fn get(&self, name: &str) -> Result<&'static dyn Family, GenerateError> {
        self.families
            .iter()
            .copied()
            .find(|f| f.name() == name)
            .ok_or_else(|| GenerateError::UnknownFamily {
                name: name.to_string(),
                known: self
                    .families
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}
