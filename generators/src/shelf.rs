//! Books made on demand, for the families whose samples share one book each (NoCha's claims,
//! long-span QA's questions): a grid of cells, a book per cell, made when its first sample is
//! asked for and kept while the rest of its samples are made (they are asked for in order, so
//! one book in memory is enough, however many the grid holds).

use std::sync::{Arc, Mutex};

use longforge_datasets::TokenLength;

use crate::GenerateError;

/// One book of the grid: its length and its index among the books of that length.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BookCell {
    pub length: TokenLength,
    pub index: usize,
}

/// The grid's books: `count` per length, in length order.
pub(crate) struct Shelf<M> {
    family: &'static str,
    pub cells: Vec<BookCell>,
    /// The last book made.
    cache: Mutex<Option<(usize, Arc<M>)>>,
}

impl<M> Shelf<M> {
    pub fn new(family: &'static str, lengths: &[TokenLength], count: usize) -> Self {
        Shelf {
            family,
            cells: lengths
                .iter()
                .flat_map(|&length| (0..count).map(move |index| BookCell { length, index }))
                .collect(),
            cache: Mutex::new(None),
        }
    }

    /// The id `contexts.jsonl` knows cell `cell`'s book by: `FAMILY/LENGTH/bINDEX`.
    pub fn context_id(&self, cell: BookCell) -> String {
        format!("{}/{}/b{}", self.family, cell.length, cell.index)
    }

    /// The book of cell `cell`, made by `make` unless it is the one kept.
    pub fn book(
        &self,
        cell: usize,
        make: impl FnOnce(BookCell) -> Result<M, GenerateError>,
    ) -> Result<Arc<M>, GenerateError> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, made)) = cache.as_ref() {
            if *at == cell {
                return Ok(made.clone());
            }
        }
        let made = Arc::new(make(self.cells[cell])?);
        *cache = Some((cell, made.clone()));
        Ok(made)
    }

    /// The cell whose book has context id `id`.
    pub fn cell_of(&self, id: &str) -> Result<usize, GenerateError> {
        self.cells
            .iter()
            .position(|&c| self.context_id(c) == id)
            .ok_or_else(|| GenerateError::param("(all)", format!("no book `{id}`")))
    }

    /// The cell of the `index`-th book of length `length` (as a context id writes it).
    pub fn find(&self, length: &str, index: usize) -> Result<usize, GenerateError> {
        self.cells
            .iter()
            .position(|c| c.length.to_string() == length && c.index == index)
            .ok_or_else(|| GenerateError::param("lengths", format!("no book {length}/{index}")))
    }
}
