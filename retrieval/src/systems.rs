//! Answering systems: the ways a model can read a book to answer a question about it, after
//! the systems Bohnet et al. (2024) compare on long-span questions. Each turns a sample whose
//! prompt holds the book's slot ([`CONTEXT_SLOT`]) into a [`Plan`]:
//! - `no-context`: the question alone (the slot says the book is not shown), which measures what
//!   a model knows or guesses without reading;
//! - `retrieval`: the `top_k` chunks of `chunk_tokens` tokens that BM25 ranks best for the
//!   question, in book order, with a marker between passages that were apart in the book;
//! - `full`: the whole book (the runner skips, and counts, a prompt that does not fit the
//!   model's context);
//! - `map-reduce`: the book cut into chunks of `chunk_tokens`; each chunk is asked for notes on
//!   the question (or `NONE`), then the notes, in book order, take the book's place in the
//!   sample's own prompt, so the final answer keeps the format the task asks for.
//!
//! Chunks are measured in the dataset's tokenizer, as the book's length is.

use std::collections::HashMap;

use longforge_datasets::{Context, Sample, TokenCounter, CONTEXT_SLOT};
use longforge_llm::runner::{Plan, Planned};

use crate::{chunk_book, Bm25Params, RetrievalError, Retriever};

/// Chunk size for retrieval when none is given: a few paragraphs.
pub const RETRIEVAL_CHUNK_TOKENS: usize = 512;
/// Chunk size for map-reduce when none is given: large enough that a book of 100K tokens takes
/// about 25 map requests, small enough for any 8K-context model.
pub const MAP_CHUNK_TOKENS: usize = 4_096;
/// Passages retrieval puts in the prompt when no `top_k` is given.
pub const TOP_K: usize = 5;

/// What stands in the book's place when the system shows no book.
const NOT_SHOWN: &str = "(The book is not shown. Answer from what you already know of it, or \
as well as you can without it.)";
/// Between two retrieved passages that are not adjacent in the book.
const GAP: &str = "\n\n[...]\n\n";

/// One answering system, with its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    NoContext,
    Retrieval { top_k: usize, chunk_tokens: usize },
    Full,
    MapReduce { chunk_tokens: usize },
}

impl System {
    /// The names `run --system` takes.
    pub const NAMES: [&'static str; 4] = ["no-context", "retrieval", "full", "map-reduce"];

    /// Parses a system name; `top_k` and `chunk_tokens` fall back to the defaults above.
    ///
    /// # Errors
    /// An unknown name, or a zero `top_k` or `chunk_tokens`.
    pub fn parse(
        name: &str,
        top_k: Option<usize>,
        chunk_tokens: Option<usize>,
    ) -> Result<System, RetrievalError> {
        if top_k == Some(0) {
            return Err(RetrievalError::Setting("--top-k must be at least 1".into()));
        }
        if chunk_tokens == Some(0) {
            return Err(RetrievalError::Setting(
                "--chunk-tokens must be at least 1".into(),
            ));
        }
        match name {
            "no-context" => Ok(System::NoContext),
            "full" => Ok(System::Full),
            "retrieval" => Ok(System::Retrieval {
                top_k: top_k.unwrap_or(TOP_K),
                chunk_tokens: chunk_tokens.unwrap_or(RETRIEVAL_CHUNK_TOKENS),
            }),
            "map-reduce" => Ok(System::MapReduce {
                chunk_tokens: chunk_tokens.unwrap_or(MAP_CHUNK_TOKENS),
            }),
            other => Err(RetrievalError::Setting(format!(
                "unknown answering system `{other}`; use {}",
                System::NAMES.join(", ")
            ))),
        }
    }

    /// The system and its settings as a model name's suffix: `retrieval-k5-c512`, so two runs
    /// that read the book differently never share a name.
    pub fn label(&self) -> String {
        match self {
            System::NoContext => "no-context".into(),
            System::Full => "full".into(),
            System::Retrieval {
                top_k,
                chunk_tokens,
            } => format!("retrieval-k{top_k}-c{chunk_tokens}"),
            System::MapReduce { chunk_tokens } => format!("map-reduce-c{chunk_tokens}"),
        }
    }
}

/// Plans samples for one system, indexing each book once.
pub struct Planner<'a> {
    counter: &'a TokenCounter,
    contexts: &'a HashMap<String, Context>,
    /// Per book and chunk size: retrieval's index (which holds its chunks), made once for all
    /// the book's questions.
    retrievers: HashMap<(String, usize), Retriever>,
    /// Per book and chunk size: map-reduce's parts, cut once for all the book's questions.
    parts: HashMap<(String, usize), Vec<crate::Chunk>>,
}

impl<'a> Planner<'a> {
    /// `contexts` are the dataset's shared books by id; `counter` its tokenizer.
    pub fn new(counter: &'a TokenCounter, contexts: &'a HashMap<String, Context>) -> Self {
        Planner {
            counter,
            contexts,
            retrievers: HashMap::new(),
            parts: HashMap::new(),
        }
    }

    /// What `system` asks for `sample`.
    ///
    /// # Errors
    /// A sample with no shared book (its context is already inside its prompt, so no system but
    /// the dataset's own can change what it reads), a book the dataset does not hold, a prompt
    /// without the book's slot, or a book with no words.
    pub fn plan(&mut self, system: System, sample: &Sample) -> Result<Planned, RetrievalError> {
        let bad = |message: String| RetrievalError::Sample {
            sample_id: sample.id.clone(),
            message,
        };
        let Some(id) = &sample.context_id else {
            return Err(bad("carries its context inside its prompt; answering systems read shared books (contexts.jsonl), as the longspan and nocha families write them".into()));
        };
        let book = self.contexts.get(id).ok_or_else(|| {
            bad(format!(
                "names book `{id}`, which contexts.jsonl does not hold"
            ))
        })?;
        let (before, after) = sample
            .prompt
            .split_once(CONTEXT_SLOT)
            .ok_or_else(|| bad(format!("its prompt has no {CONTEXT_SLOT} slot")))?;
        let with = |text: &str| format!("{before}{text}{after}");
        let plan = match system {
            System::NoContext => Plan::Ask(with(NOT_SHOWN)),
            System::Full => Plan::Ask(with(&book.text)),
            System::Retrieval {
                top_k,
                chunk_tokens,
            } => {
                let key = (id.clone(), chunk_tokens);
                if !self.retrievers.contains_key(&key) {
                    let r = Retriever::new(
                        &book.text,
                        chunk_tokens,
                        self.counter,
                        Bm25Params::default(),
                    )?;
                    self.retrievers.insert(key.clone(), r);
                }
                let retriever = &self.retrievers[&key];
                let mut hits: Vec<usize> = retriever
                    .search(&sample.question, top_k)
                    .into_iter()
                    .map(|h| h.chunk)
                    .collect();
                hits.sort_unstable();
                let chunks = retriever.chunks();
                let mut passages = String::new();
                for (i, &c) in hits.iter().enumerate() {
                    if i > 0 {
                        passages.push_str(if c == hits[i - 1] + 1 { "\n\n" } else { GAP });
                    }
                    passages.push_str(&chunks[c].text);
                }
                Plan::Ask(with(&passages))
            }
            System::MapReduce { chunk_tokens } => {
                let key = (id.clone(), chunk_tokens);
                if !self.parts.contains_key(&key) {
                    let cut = chunk_book(&book.text, chunk_tokens, self.counter)?;
                    self.parts.insert(key.clone(), cut);
                }
                let chunks = &self.parts[&key];
                let n = chunks.len();
                let maps = chunks
                    .iter()
                    .enumerate()
                    .map(|(i, c)| map_prompt(i + 1, n, &c.text, &sample.question))
                    .collect();
                Plan::MapReduce {
                    maps,
                    reduce: (
                        format!("{before}(The book is too long to show whole. Below are notes taken from each of its {n} parts, in order, on the question.)\n\n"),
                        after.to_string(),
                    ),
                }
            }
        };
        Ok(Planned {
            sample_id: sample.id.clone(),
            plan,
        })
    }
}

/// The map step's prompt for part `i` of `n`.
fn map_prompt(i: usize, n: usize, part: &str, question: &str) -> String {
    format!(
        "Below is part {i} of {n} of a book. Someone will answer a question about the whole book \
from notes taken on each part.\n\n<part>\n{part}\n</part>\n\nQuestion about the whole book: \
{question}\n\nWrite down everything in this part that bears on the question: who did what, to \
whom, where and with what, in the order it happens here. Do not answer the question. If nothing \
in this part bears on it, reply with the single word NONE.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use longforge_datasets::{Reference, TokenizerSpec};
    use serde_json::json;

    fn sample(context_id: Option<&str>) -> Sample {
        serde_json::from_value(json!({
            "id": "s/0", "family": "t", "task": "t", "lang": "en",
            "question": "Who stole the green ledger?",
            "prompt": "Read:\n{{context}}\nQ: Who stole the green ledger?\n",
            "context_id": context_id,
            "reference": Reference::exact("x"), "meta": {}
        }))
        .unwrap()
    }

    fn book() -> HashMap<String, Context> {
        let mut paras: Vec<String> = (0..40)
            .map(|i| format!("Paragraph {i} tells of the weather over the quiet hills and fields."))
            .collect();
        paras[7] = "Tom Hale stole the green ledger from the mill at night.".into();
        paras[31] = "Ilse found the green ledger under Tom's bed and wept.".into();
        let text = paras.join("\n\n");
        HashMap::from([(
            "b".to_string(),
            Context {
                id: "b".into(),
                text,
                tokens: 0,
            },
        )])
    }

    fn plan(system: System, s: &Sample) -> Result<Plan, RetrievalError> {
        let counter = TokenCounter::load(&TokenizerSpec::Cl100kBase).unwrap();
        let contexts = book();
        Planner::new(&counter, &contexts)
            .plan(system, s)
            .map(|p| p.plan)
    }

    #[test]
    fn each_system_puts_its_reading_of_the_book_in_the_slot() {
        let s = sample(Some("b"));
        let Plan::Ask(none) = plan(System::NoContext, &s).unwrap() else {
            panic!()
        };
        assert!(
            !none.contains("Paragraph") && none.contains("not shown"),
            "{none}"
        );
        let Plan::Ask(full) = plan(System::Full, &s).unwrap() else {
            panic!()
        };
        assert!(full.contains("Paragraph 39") && full.ends_with("green ledger?\n"));
        let retrieval = System::Retrieval {
            top_k: 2,
            chunk_tokens: 16,
        };
        let Plan::Ask(found) = plan(retrieval, &s).unwrap() else {
            panic!()
        };
        // Both ledger passages, in book order, apart in the book, and nothing else.
        let stole = found.find("stole the green ledger").expect("the theft");
        let wept = found.find("wept").expect("the finding");
        assert!(stole < wept && found.contains("[...]"), "{found}");
        assert!(!found.contains("Paragraph 20"), "{found}");
        let Plan::MapReduce { maps, reduce } =
            plan(System::MapReduce { chunk_tokens: 200 }, &s).unwrap()
        else {
            panic!()
        };
        assert!(maps.len() > 1, "{} parts", maps.len());
        assert!(maps[0].contains("part 1 of") && maps[0].contains("NONE"));
        assert!(reduce.0.starts_with("Read:\n") && reduce.1.starts_with("\nQ: Who stole"));
    }

    #[test]
    fn a_sample_without_a_shared_book_or_an_unknown_name_is_refused() {
        let err = plan(System::Full, &sample(None)).unwrap_err().to_string();
        assert!(
            err.contains("s/0") && err.contains("contexts.jsonl"),
            "{err}"
        );
        let err = plan(System::Full, &sample(Some("nope")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`nope`"), "{err}");
        let err = System::parse("rag", None, None).unwrap_err().to_string();
        assert!(
            err.contains("no-context, retrieval, full, map-reduce"),
            "{err}"
        );
        assert!(System::parse("retrieval", Some(0), None).is_err());
        assert_eq!(
            System::parse("retrieval", None, Some(256)).unwrap().label(),
            "retrieval-k5-c256"
        );
    }
}
