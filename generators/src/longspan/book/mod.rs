//! Long-span questions about a real book, written by a generator model (task `book`), as Bohnet
//! et al. (2024) had Gemini write theirs: the book cut into chapters (`chapters.rs`), its salient
//! entities found (`entities.rs`), and for each entity the model shown the passages that name
//! it, from its first chapter to its last, and asked for questions whose answers need several
//! distant passages, each with quotes as evidence. Nothing the model says is taken on trust:
//! - every quote must be in the book word for word (`quotes.rs`), and gets its span;
//! - a question needs two quotes found, the first and last at least `min_spread` of the book
//!   apart;
//! - its answer must name a salient entity its question does not (the key facts `key_facts`
//!   scores by);
//! - a question too like one already kept (word overlap) is dropped.
//!
//! What is dropped is written, with why, to `rejected.jsonl` beside the samples; `--questions`
//! is the most kept, and a weak generator may leave fewer, or none. The model is
//! asked through [`crate::Asker`], which the caller backs with the request store: a rerun (and
//! `verify`) asks nothing it has asked before.

mod chapters;
mod entities;
mod quotes;

use std::collections::BTreeSet;
use std::path::Path;

use longforge_datasets::{
    mentions, read_text, Context, Evidence, KeyFact, KeyedAnswer, Reference, Sample, TokenCounter,
    CONTEXT_SLOT,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{prompt, spread, Params, FAMILY};
use crate::nocha::char_slice;
use crate::{Asker, GenerateError, Generated, SampleSource};
use chapters::{chapter_at, chapters, Chapter};
use entities::{salient, Entity};
use quotes::Folded;

/// The context id of the book.
const BOOK_ID: &str = "longspan/book/b0";
/// Questions asked of the model per entity.
const PER_ENTITY: usize = 4;
/// Word overlap (Jaccard, over words of three letters or more) at which two questions are one.
const NEAR_DUPLICATE: f64 = 0.6;

/// The questions kept, and what was dropped.
pub struct BookQuestions {
    generated: Generated,
    rejected: Vec<Value>,
}

impl SampleSource for BookQuestions {
    fn len(&self) -> usize {
        self.generated.len()
    }
    fn sample(&self, index: usize) -> Result<Sample, GenerateError> {
        self.generated.sample(index)
    }
    fn context(&self, id: &str) -> Result<Context, GenerateError> {
        self.generated.context(id)
    }
    fn seed(&self) -> u64 {
        self.generated.seed
    }
    fn tokenizer(&self) -> String {
        self.generated.tokenizer.clone()
    }
    fn extra_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut bytes = Vec::new();
        for r in &self.rejected {
            bytes.extend(serde_json::to_vec(r).expect("a rejection serialises"));
            bytes.push(b'\n');
        }
        vec![("rejected.jsonl".into(), bytes)]
    }
}

/// A question as the model writes it.
#[derive(Debug, Deserialize)]
struct Written {
    question: String,
    answer: String,
    #[serde(default)]
    evidence: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Reply {
    questions: Vec<Written>,
}

/// A question that held up: what the model wrote, about whom, its quotes' spans (book order)
/// and its key facts.
struct Kept<'a> {
    written: Written,
    entity: &'a Entity,
    found: Vec<(usize, usize)>,
    keys: Vec<KeyFact>,
}

/// The JSON the model is asked for.
fn schema() -> Value {
    json!({
        "type": "object",
        "properties": {"questions": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "question": {"type": "string"},
                "answer": {"type": "string"},
                "evidence": {"type": "array", "items": {"type": "string"}}
            },
            "required": ["question", "answer", "evidence"]
        }}},
        "required": ["questions"]
    })
}

/// Writes up to `p.questions` questions about the book at `path`: as many as hold up, which may
/// be fewer, or none (a generator too small to quote); `rejected.jsonl` says why of the rest.
///
/// # Errors
/// An unreadable book or one with no name in two chapters, or a request the model could not
/// answer (rerun to resume: what was answered is in the store).
pub fn generate(
    p: &Params,
    path: &Path,
    counter: &TokenCounter,
    asker: &dyn Asker,
) -> Result<BookQuestions, GenerateError> {
    let bytes = std::fs::read(path).map_err(|e| {
        GenerateError::param("book", format!("{}: cannot read it: {e}", path.display()))
    })?;
    let text = read_text(path, &bytes)?;
    let chars = text.chars().count();
    if text.trim().is_empty() {
        return Err(GenerateError::param(
            "book",
            format!("{}: the book is empty", path.display()),
        ));
    }
    let tokens = counter.count(&text)?;
    let chapters = chapters(&text);
    let entities = salient(
        &text,
        &chapters,
        p.entities.unwrap_or(super::params::ENTITIES),
    );
    if entities.is_empty() {
        return Err(GenerateError::param(
            "book",
            format!(
                "{}: no name appears in two of its chapters ({} found: heading lines, else up to ten parts cut at blank lines), so there is no one to ask about",
                path.display(),
                chapters.len()
            ),
        ));
    }
    let folded = Folded::new(&text);
    let paragraphs = paragraphs(&text);
    let mut kept: Vec<Kept> = Vec::new();
    let mut rejected = Vec::new();
    for entity in &entities {
        if kept.len() == p.questions {
            break;
        }
        let budget = p.passage_tokens.unwrap_or(super::params::PASSAGE_TOKENS);
        let shown = passages(entity, &paragraphs, &chapters, counter, budget)?;
        let prompt = ask_prompt(entity, &shown, &chapters);
        let reply = asker
            .ask(&prompt, &schema())
            .map_err(|cause| GenerateError::param("generator", format!("asking {} about {}: {cause}; rerun to resume (what was answered is in the store)", asker.name(), entity.name)))?;
        let written = match serde_json::from_str::<Reply>(&reply) {
            Ok(r) => r.questions,
            Err(e) => {
                rejected.push(json!({"entity": entity.name, "reason": format!("the reply is not the JSON asked for: {e}"), "reply": reply}));
                continue;
            }
        };
        for w in written {
            if kept.len() == p.questions {
                break;
            }
            let mut found = Vec::new();
            let mut quotes = Vec::new();
            for q in &w.evidence {
                match folded.find(q) {
                    Ok(span) => {
                        found.push(span);
                        quotes.push(json!({"quote": q, "found": [span.0, span.1]}));
                    }
                    Err(why) => quotes.push(json!({"quote": q, "why": why})),
                }
            }
            found.sort_unstable();
            found.dedup();
            let keys: Vec<KeyFact> = entities
                .iter()
                .filter(|e| e.aliases.iter().any(|a| mentions(&w.answer, a)))
                .filter(|e| !e.aliases.iter().any(|a| mentions(&w.question, a)))
                .map(|e| KeyFact {
                    fact: e.name.clone(),
                    aliases: e.aliases.clone(),
                })
                .collect();
            let spread = match (found.first(), found.last()) {
                (Some(a), Some(b)) => spread(a.0, b.0, chars),
                _ => 0.0,
            };
            let duplicate = kept
                .iter()
                .position(|k| overlap(&k.written.question, &w.question) >= NEAR_DUPLICATE);
            let reason = if w.question.trim().is_empty() || w.answer.trim().is_empty() {
                Some("an empty question or answer".to_string())
            } else if found.len() < 2 {
                Some(format!(
                    "{} of its {} quotes found in the book; it needs two",
                    found.len(),
                    w.evidence.len()
                ))
            } else if spread <= p.min_spread {
                Some(format!(
                    "its evidence spans {:.0}% of the book, not more than {:.0}%",
                    spread * 100.0,
                    p.min_spread * 100.0
                ))
            } else if keys.is_empty() {
                Some("its answer names no salient entity its question does not, so no key fact can be scored".into())
            } else {
                duplicate.map(|d| format!("a near-duplicate of question {d}"))
            };
            match reason {
                Some(reason) => rejected.push(json!({
                    "entity": entity.name, "question": w.question, "answer": w.answer,
                    "reason": reason, "quotes": quotes,
                })),
                None => kept.push(Kept {
                    written: w,
                    entity,
                    found,
                    keys,
                }),
            }
        }
    }
    let top = entities[0].name.clone();
    let candidates: Vec<String> = entities.iter().map(|e| e.name.clone()).collect();
    let samples = kept
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            let Kept {
                written: w,
                entity,
                found,
                keys,
            } = k;
            let id = format!("{FAMILY}/book/q{i}");
            let evidence: Vec<Evidence> = found
                .iter()
                .map(|&(s, e)| Evidence {
                    text: char_slice(&text, s, e),
                    char_start: s,
                    char_end: e,
                })
                .collect();
            let spanned: BTreeSet<usize> = found
                .iter()
                .map(|&(s, _)| chapter_at(&chapters, s))
                .collect();
            let mut axes = Map::new();
            axes.insert("entity".into(), json!(entity.name));
            let mut meta = Map::new();
            meta.insert("context_tokens".into(), json!(tokens));
            meta.insert("tokenizer".into(), json!(counter.name()));
            meta.insert("book".into(), json!(BOOK_ID));
            meta.insert("entity".into(), json!(entity.name));
            meta.insert("generator".into(), json!(asker.name()));
            meta.insert(
                "chapters".into(),
                json!(spanned
                    .iter()
                    .map(|&c| chapters[c].title.clone())
                    .collect::<Vec<_>>()),
            );
            meta.insert("evidence".into(), json!(evidence));
            meta.insert("axes".into(), Value::Object(axes));
            meta.insert(
                "baseline".into(),
                json!({"candidates": candidates, "picks": keys.len(), "shortcut": [top]}),
            );
            let answer = KeyedAnswer {
                text: w.answer.trim().to_string(),
                keys,
                ordered: false,
            };
            Ok(Sample {
                id,
                family: FAMILY.into(),
                task: "book".into(),
                lang: "en".into(),
                context: None,
                context_id: Some(BOOK_ID.into()),
                prompt: prompt::render(CONTEXT_SLOT, w.question.trim())?,
                question: w.question.trim().to_string(),
                reference: Reference::keyed(&answer),
                meta,
            })
        })
        .collect::<Result<Vec<_>, GenerateError>>()?;
    Ok(BookQuestions {
        generated: Generated {
            samples,
            contexts: vec![Context {
                id: BOOK_ID.into(),
                text,
                tokens: tokens as u64,
            }],
            seed: p.seed,
            tokenizer: counter.name().to_string(),
        },
        rejected,
    })
}

/// Paragraphs (blank-line separated) with their char spans.
fn paragraphs(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut char_at = 0;
    for part in text.split("\n\n") {
        let n = part.chars().count();
        if !part.trim().is_empty() {
            out.push((char_at, char_at + n, part));
        }
        char_at += n + 2;
    }
    out
}

/// The paragraphs naming `entity`, spread evenly over the book, within `budget` tokens, in
/// book order.
fn passages<'a>(
    entity: &Entity,
    paragraphs: &[(usize, usize, &'a str)],
    chapters: &[Chapter],
    counter: &TokenCounter,
    budget: usize,
) -> Result<Vec<(usize, &'a str)>, GenerateError> {
    let naming: Vec<(usize, &str)> = paragraphs
        .iter()
        .filter(|(_, _, t)| entity.aliases.iter().any(|a| mentions(t, a)))
        .map(|&(s, _, t)| (chapter_at(chapters, s), t))
        .collect();
    let tokens = naming
        .iter()
        .map(|(_, t)| counter.count(t))
        .collect::<Result<Vec<_>, _>>()?;
    // Take every k-th, from the first, for k as small as fits the budget.
    for step in 1..=naming.len().max(1) {
        let total: usize = tokens.iter().step_by(step).sum();
        let chosen = naming.len().div_ceil(step);
        if total <= budget || chosen <= 2 {
            return Ok(naming.iter().step_by(step).copied().collect());
        }
    }
    Ok(Vec::new())
}

fn ask_prompt(entity: &Entity, shown: &[(usize, &str)], chapters: &[Chapter]) -> String {
    let passages: Vec<String> = shown
        .iter()
        .map(|(c, t)| format!("[{}]\n{}", chapters[*c].title, t.trim()))
        .collect();
    format!(
        "Below are passages from a book, in the order the book tells them, each marked with its \
chapter. Every passage mentions {name}.\n\n{passages}\n\nWrite up to {n} questions about \
{name} that a reader could answer only by putting together passages far apart in the book: how \
what the book tells of {name} changed from early to late, what followed from an early event, how \
a thread begun early ended. For each, give a short answer that names the people, places and things involved, and at \
least two evidence quotes copied word for word from different passages above, one from early and \
one from late. Reply with JSON only, in this shape: {{\"questions\": [{{\"question\": \"...\", \
\"answer\": \"...\", \"evidence\": [\"...\", \"...\"]}}]}}\n",
        name = entity.name,
        passages = passages.join("\n\n"),
        n = PER_ENTITY,
    )
}

/// Word overlap of two questions: Jaccard over lower-cased words of three letters or more.
fn overlap(a: &str, b: &str) -> f64 {
    let words = |t: &str| -> BTreeSet<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

#[cfg(test)]
mod tests;
