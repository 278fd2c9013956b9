//! Long-span QA (Bohnet et al., 2024, "A Benchmark and Evaluation for Long-Span Questions"):
//! open questions over a whole book whose answers need several distant passages (a character's
//! arc, what followed from an early event, the fate of a thing), answered by systems that read
//! nothing, retrieved passages, or the whole book, and compared side by side by an evaluator.
//! The paper's questions come from an LLM over two real books and publish no references; it
//! cannot be rerun or checked.
//!
//! longforge asks the questions of a story world instead (task `world`): the NoCha family's
//! seeded world and novel, and questions read off the world's timeline (`questions.rs`), each
//! with a reference answer in prose, the key facts any correct answer names, and the character
//! spans of the passages it rests on. Every question has at least two evidence spans, the first
//! and last at least `min_spread` of the book apart (a fifth by default), so no single passage
//! answers it.
//!
//! Task `book` asks a generator model for questions about a real book instead (`book/`), as the
//! paper does, and keeps only those whose quotes are in the book word for word and far apart.
//!
//! A grid cell is length x kind. `--count` is books per length and `--questions` questions per
//! book, drawn in turn from each kind so every kind is asked where the world holds it. The book
//! is stored once in `contexts.jsonl`. A sample's `question` is the question, its reference a
//! [`KeyedAnswer`] (`keyed_answer`), and its `meta` holds `kind`, `evidence`, `facts` (the
//! events the answer rests on, in words), `book`, and the common keys.

mod book;
mod params;
mod prompt;
mod questions;

pub use params::Params;
pub use questions::Kind;

use std::sync::Arc;

use longforge_datasets::{
    derive_seed, Context, Evidence, KeyedAnswer, Reference, Sample, SeededRng, TokenCounter,
    TokenLength, CONTEXT_SLOT,
};
use serde_json::{json, Map, Value};

use crate::nocha::book::{Book, Span};
use crate::nocha::claims::describe;
use crate::nocha::world::{Size, World};
use crate::nocha::{char_slice, write_story};
use crate::shelf::{BookCell, Shelf};
use crate::{Family, GenerateError, Inputs, ParamInfo, ParamKind, SampleSource, TaskInfo};
use questions::Question;

/// The long-span QA family (`longforge generate longspan`).
pub struct LongSpan;

const FAMILY: &str = "longspan";

const TASKS: &[TaskInfo] = &[
    TaskInfo {
        name: "world",
        summary: "open questions over a generated novel whose answers need distant passages; reference answers with key facts",
        grid: "length x kind",
        scorer: "key_facts",
        metrics: &["mean"],
    },
    TaskInfo {
        name: "book",
        summary: "open questions over a real book (--book), written by a generator model (--generator) with quotes checked word for word",
        grid: "entity",
        scorer: "key_facts",
        metrics: &["mean"],
    },
];

const PARAMS: &[ParamInfo] = &[
    ParamInfo {
        name: "questions",
        kind: ParamKind::Int,
        default: "20",
        help: "questions per book (--count is books per length)",
    },
    ParamInfo {
        name: "min_spread",
        kind: ParamKind::Float,
        default: "0.2",
        help: "least distance between a question's first and last evidence, as a share of the book",
    },
    ParamInfo {
        name: "book",
        kind: ParamKind::File,
        default: "(none: the story world)",
        help: "a plain-text book to ask about (task book); needs --generator NAME=URL",
    },
    ParamInfo {
        name: "entities",
        kind: ParamKind::Int,
        default: "8",
        help: "task book: the most salient names the generator is asked about",
    },
    ParamInfo {
        name: "passage_tokens",
        kind: ParamKind::Int,
        default: "2500",
        help: "task book: tokens of passages shown to the generator per name",
    },
];

impl Family for LongSpan {
    fn name(&self) -> &'static str {
        FAMILY
    }

    fn version(&self) -> &'static str {
        "0.1.0"
    }

    fn tasks(&self) -> &'static [TaskInfo] {
        TASKS
    }

    /// Open questions answered in prose about a long text.
    fn task_categories(&self, _task: &str) -> &'static [&'static str] {
        &["question-answering"]
    }

    fn params(&self) -> &'static [ParamInfo] {
        PARAMS
    }

    /// `book` needs a book and a generator model, so it has no offline example: it is checked
    /// with a scripted generator and against the real server instead.
    fn example(&self, task: &str) -> Value {
        match task {
            "book" => Value::Null,
            _ => json!({"lengths": ["16k"], "count": 1, "questions": 6}),
        }
    }

    fn resolve(&self, params: Value, inputs: &Inputs) -> Result<Value, GenerateError> {
        let named = params.get("tokenizer").is_some();
        let mut p = params::with_defaults(params)?;
        if p.task == "book" {
            let Some(asker) = &inputs.asker else {
                return Err(GenerateError::param(
                    "generator",
                    "questions about a book are written by a model: give --generator NAME=URL (and --store DIR to keep its replies)",
                ));
            };
            let name = asker.0.name().to_string();
            match &p.generator {
                Some(recorded) if *recorded != name => {
                    return Err(GenerateError::param(
                        "generator",
                        format!("the dataset's questions were written by `{recorded}`, but the generator given is `{name}`"),
                    ))
                }
                _ => p.generator = Some(name),
            }
        }
        inputs.settle_tokenizer(named, &mut p.tokenizer)?;
        Ok(serde_json::to_value(&p).expect("params serialise"))
    }

    fn prepare<'a>(
        &'a self,
        params: &Value,
        inputs: &Inputs,
    ) -> Result<Box<dyn SampleSource + 'a>, GenerateError> {
        let p: Params = serde_json::from_value(params.clone()).map_err(|e| {
            GenerateError::param("(all)", format!("not resolved longspan parameters: {e}"))
        })?;
        let counter = inputs.counter(&p.tokenizer)?;
        if p.task == "book" {
            let path = inputs
                .file("book")
                .ok_or_else(|| GenerateError::param("book", "give --book FILE"))?;
            let asker = inputs
                .asker
                .as_ref()
                .ok_or_else(|| GenerateError::param("generator", "give --generator NAME=URL"))?;
            return Ok(Box::new(book::generate(
                &p,
                path,
                &counter,
                asker.0.as_ref(),
            )?));
        }
        Ok(Box::new(Books::new(p, counter)))
    }
}

/// A book with its world and the questions asked of it.
pub struct Made {
    pub world: World,
    pub book: Book,
    pub questions: Vec<Asked>,
    seed: u64,
}

/// A question as asked: the question and the evidence spans it rests on, in book order.
pub struct Asked {
    pub question: Question,
    pub evidence: Vec<Evidence>,
}

/// The questions of `seed`'s book: `count` of them, drawn in turn from each kind.
fn make_book(
    seed: u64,
    target: usize,
    count: usize,
    min_spread: f64,
    counter: &TokenCounter,
) -> Result<Made, GenerateError> {
    let length = TokenLength::Tokens(target as u64);
    let (world, book) = write_story(seed, target, world_size(target), counter)?;
    let chars = book.text.chars().count();
    let mut by_kind: Vec<Vec<Asked>> = questions::Kind::ALL.iter().map(|_| Vec::new()).collect();
    for q in questions::all_questions(&world) {
        let spans = spans_of(&book, &q);
        if !spread_enough(&spans, chars, min_spread) {
            continue;
        }
        let kind = questions::Kind::ALL
            .iter()
            .position(|&k| k == q.kind)
            .unwrap_or(0);
        let evidence = spans
            .into_iter()
            .map(|s| Evidence {
                text: char_slice(&book.text, s.start, s.end),
                char_start: s.start,
                char_end: s.end,
            })
            .collect();
        by_kind[kind].push(Asked {
            question: q,
            evidence,
        });
    }
    let mut rng = SeededRng::new(derive_seed(seed, "questions"));
    for kind in &mut by_kind {
        rng.shuffle(kind);
        kind.reverse();
    }
    // In turn from each kind, one question per subject.
    let mut chosen: Vec<Asked> = Vec::with_capacity(count);
    let mut progress = true;
    while chosen.len() < count && progress {
        progress = false;
        for kind in &mut by_kind {
            while let Some(q) = kind.pop() {
                if chosen
                    .iter()
                    .all(|c| c.question.subject != q.question.subject)
                {
                    chosen.push(q);
                    progress = true;
                    break;
                }
            }
            if chosen.len() == count {
                break;
            }
        }
    }
    if chosen.len() < count {
        return Err(GenerateError::param(
            "questions",
            format!(
                "a {length} book of this seed supports only {} questions on distinct subjects whose evidence spans {:.0}% of the book; ask fewer --questions, a lower --min-spread or longer --lengths",
                chosen.len(),
                min_spread * 100.0
            ),
        ));
    }
    Ok(Made {
        world,
        book,
        questions: chosen,
        seed,
    })
}

/// A world busier than NoCha's for the same length (a chapter per 1,000 tokens rather than
/// 4,500, so four times the events): a question needs at least two events far apart, and a
/// short book of NoCha's pace holds too few. Cast, map and stock grow as NoCha's do.
fn world_size(tokens: usize) -> Size {
    let chapters = (tokens / 600).clamp(4, 200);
    let nocha = Size::for_tokens(tokens);
    Size {
        chapters,
        people: (5 + chapters / 6).clamp(6, 14),
        ..nocha
    }
}

/// The passages a question rests on, in book order, without repeats: its events' paragraphs,
/// the introductions it names, and the introduction of everyone an event's paragraph calls only
/// by nickname, trade or pronoun (without it a reader cannot tell who did what).
fn spans_of(book: &Book, q: &Question) -> Vec<Span> {
    let mut spans: Vec<Span> = q.events.iter().map(|&e| book.events[e]).collect();
    spans.extend(q.intros.iter().map(|&p| book.intros[p]));
    for &e in &q.events {
        spans.extend(book.indirect[e].iter().map(|&p| book.intros[p]));
    }
    spans.sort_by_key(|s| (s.start, s.end));
    spans.dedup();
    spans
}

/// Whether there are at least two passages and the first and last start more than `share` of
/// the book apart.
fn spread_enough(spans: &[Span], chars: usize, share: f64) -> bool {
    match (spans.first(), spans.last()) {
        (Some(first), Some(last)) if spans.len() >= 2 => {
            spread(first.start, last.start, chars) > share
        }
        _ => false,
    }
}

/// How far apart the first and last evidence start, as a share of a book of `chars` chars: the
/// one measure `--min-spread` is held to, for world and book questions alike.
fn spread(first_start: usize, last_start: usize, chars: usize) -> f64 {
    last_start.saturating_sub(first_start) as f64 / chars.max(1) as f64
}

struct Books {
    p: Params,
    counter: TokenCounter,
    shelf: Shelf<Made>,
}

impl Books {
    fn new(p: Params, counter: TokenCounter) -> Self {
        let shelf = Shelf::new(FAMILY, &p.lengths, p.count);
        Books { p, counter, shelf }
    }

    fn book(&self, cell: usize) -> Result<Arc<Made>, GenerateError> {
        self.shelf.book(cell, |c| {
            let id = self.shelf.context_id(c);
            let seed = derive_seed(self.p.seed, &format!("{FAMILY}/world/{id}"));
            let target = c.length.tokens().unwrap_or(0) as usize;
            make_book(
                seed,
                target,
                self.p.questions,
                self.p.min_spread,
                &self.counter,
            )
        })
    }

    fn assemble(&self, cell: BookCell, made: &Made, q: usize) -> Result<Sample, GenerateError> {
        let asked = &made.questions[q];
        let question = &asked.question;
        let id = format!("{FAMILY}/world/{}/b{}/q{q}", cell.length, cell.index);
        let mut axes = Map::new();
        axes.insert("length".into(), json!(cell.length.to_string()));
        axes.insert("kind".into(), json!(question.kind.name()));
        let facts: Vec<String> = question
            .events
            .iter()
            .map(|&e| describe(&made.world, e))
            .collect();
        let mut meta = Map::new();
        meta.insert("target_tokens".into(), json!(cell.length.tokens()));
        meta.insert("context_tokens".into(), json!(made.book.tokens));
        meta.insert("tokenizer".into(), json!(self.counter.name()));
        meta.insert("seed".into(), json!(derive_seed(made.seed, &id)));
        meta.insert("book".into(), json!(self.shelf.context_id(cell)));
        meta.insert("kind".into(), json!(question.kind.name()));
        meta.insert("events".into(), json!(question.events));
        meta.insert("facts".into(), json!(facts));
        meta.insert("evidence".into(), json!(asked.evidence));
        meta.insert("axes".into(), Value::Object(axes));
        meta.insert("baseline".into(), baseline(&made.world, &question.answer));
        Ok(Sample {
            id,
            family: FAMILY.into(),
            task: "world".into(),
            lang: "en".into(),
            context: None,
            context_id: Some(self.shelf.context_id(cell)),
            prompt: prompt::render(CONTEXT_SLOT, &question.text)?,
            question: question.text.clone(),
            reference: Reference::keyed(&question.answer),
            meta,
        })
    }
}

/// `meta.baseline`: every name of the world as candidates, as many picks as the answer has key
/// facts, and for the shortcut the names a reader who skipped the question would guess: the
/// person in most events and the place most events happen at.
fn baseline(world: &World, answer: &KeyedAnswer) -> Value {
    let mut candidates: Vec<String> = world.people.iter().map(|p| p.full_name()).collect();
    candidates.extend(world.places.iter().map(|p| p.name.to_string()));
    candidates.extend(world.things.iter().map(|t| t.name.to_string()));
    let mut in_events = vec![0usize; world.people.len()];
    let mut at_place = vec![0usize; world.places.len()];
    for e in &world.events {
        for p in e.what.people() {
            in_events[p] += 1;
        }
        at_place[e.place] += 1;
    }
    let most = |counts: &[usize]| {
        (0..counts.len())
            .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
            .unwrap_or(0)
    };
    let shortcut = vec![
        world.people[most(&in_events)].full_name(),
        world.places[most(&at_place)].name.to_string(),
    ];
    json!({"candidates": candidates, "picks": answer.keys.len(), "shortcut": shortcut})
}

impl SampleSource for Books {
    fn len(&self) -> usize {
        self.shelf.cells.len() * self.p.questions
    }

    fn sample(&self, index: usize) -> Result<Sample, GenerateError> {
        if index >= self.len() {
            return Err(GenerateError::param("(all)", format!("no sample {index}")));
        }
        let cell = index / self.p.questions;
        let made = self.book(cell)?;
        self.assemble(self.shelf.cells[cell], &made, index % self.p.questions)
    }

    fn context(&self, id: &str) -> Result<Context, GenerateError> {
        let cell = self.shelf.cell_of(id)?;
        let made = self.book(cell)?;
        Ok(Context {
            id: id.to_string(),
            text: made.book.text.clone(),
            tokens: made.book.tokens as u64,
        })
    }

    fn seed(&self) -> u64 {
        self.p.seed
    }

    fn tokenizer(&self) -> String {
        self.counter.name().to_string()
    }
}

#[cfg(test)]
mod tests;
