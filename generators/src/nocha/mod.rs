//! NoCha-style claim pairs (Karpinska et al., 2024, "One Thousand and One Pairs: A 'novel'
//! challenge for long-context language models"). The original is 1,001 pairs of claims about
//! 67 recent novels written by readers: a true and a false claim about the same event that
//! differ only in the false detail, and a model gets a pair only if it labels both claims
//! right (random scores 25%). It cannot be regenerated and its books leak into training data.
//!
//! longforge writes new novels from a seed instead, so every seed is uncontaminated and each
//! claim's truth is known by construction:
//! - `world.rs`: a seeded story world (people with names, nicknames, occupations, traits and
//!   relations; places; things) and a timeline of events over chapters (meetings, journeys,
//!   gifts, thefts, marriages, deaths and inheritances, thefts revealed), whose state can be
//!   queried at any chapter.
//! - `narrate.rs` and `scenery.rs` (templates filled by `grammar.rs`, words from `names.rs`):
//!   each event told once, as a paragraph naming its place, people referred to by name,
//!   nickname, occupation or pronoun; and the descriptions, thoughts and small talk between.
//! - `book.rs`: the chapters written to an exact length in tokens of the dataset's tokenizer
//!   (within max(1%, 32) tokens), the filler spread evenly so a claim's evidence lies far apart
//!   in a long book; no paragraph repeats.
//! - `claims.rs` and `pairs.rs`: claims of five kinds (a single event, an event and its
//!   consequence, a state at the end, a count, an order) and pairs differing in one swapped
//!   detail, each proved against the world as it is made.
//! - `prompt.rs`: the original's prompt shape and its simple variant.
//! - `import.rs`: the original's public sample (claims, books and every model's replies) read
//!   into a dataset and predictions (`longforge import nocha`).
//!
//! One task, `claims`; a grid cell is length x kind. `--count` is books per length and
//! `--pairs` pairs per book. Each claim is one sample; the book is stored once in
//! `contexts.jsonl` and named by `context_id`. A sample's `question` is the claim, its
//! reference `{"kind": "claim", "value": true|false}`, and its `meta` holds `pair_id`, `kind`,
//! `truth`, `claim` (the claim as data, in the world's numbering), `swap` (the detail the pair
//! differs in: `slot`, `true`, `false`), `facts` (the events and end-state facts that decide
//! the pair), `evidence` (the character spans of those events' paragraphs and of the
//! introductions they rely on, shared by both claims of a pair), `prompt`, and the common keys.

pub(crate) mod book;
pub(crate) mod claims;
mod grammar;
mod import;
mod names;
mod narrate;
mod pairs;
mod params;
mod prompt;
mod scenery;
pub(crate) mod world;

pub use claims::{Claim, Kind};
pub use params::{Params, MIN_TOKENS};
pub use prompt::PromptStyle;

use std::sync::Arc;

use longforge_datasets::{
    derive_seed, Context, Evidence, Reference, Sample, SeededRng, TokenCounter, TokenLength,
    CONTEXT_SLOT,
};
use serde_json::{json, Map, Value};

use crate::shelf::{BookCell, Shelf};
use crate::{
    Family, GenerateError, Importer, Inputs, ParamInfo, ParamKind, SampleSource, TaskInfo,
};

/// The NoCha-style family (`longforge generate nocha`).
pub struct NoCha;

const FAMILY: &str = "nocha";

const TASKS: &[TaskInfo] = &[TaskInfo {
    name: "claims",
    summary: "judge claims about a generated novel TRUE or FALSE; a pair counts only when both its claims are right",
    grid: "length x kind",
    scorer: "claim_truth",
    metrics: &["pair_accuracy"],
}];

const PARAMS: &[ParamInfo] = &[
    ParamInfo {
        name: "pairs",
        kind: ParamKind::Int,
        default: "20",
        help: "claim pairs per book (--count is books per length)",
    },
    ParamInfo {
        name: "prompt",
        kind: ParamKind::Text,
        default: "tagged",
        help:
            "tagged (explanation and <answer> tags, as the original) or simple (the question alone)",
    },
];

impl Family for NoCha {
    fn name(&self) -> &'static str {
        FAMILY
    }

    fn version(&self) -> &'static str {
        "0.1.0"
    }

    fn tasks(&self) -> &'static [TaskInfo] {
        TASKS
    }

    /// Each claim about the book is judged true or false.
    fn task_categories(&self, _task: &str) -> &'static [&'static str] {
        &["text-classification"]
    }

    fn params(&self) -> &'static [ParamInfo] {
        PARAMS
    }

    fn importer(&self) -> Option<&dyn Importer> {
        Some(&import::NoChaImporter)
    }

    fn example(&self, _task: &str) -> Value {
        json!({"lengths": ["6k", "12k"], "count": 1, "pairs": 5})
    }

    fn resolve(&self, params: Value, inputs: &Inputs) -> Result<Value, GenerateError> {
        let named = params.get("tokenizer").is_some();
        let mut p = params::with_defaults(params)?;
        inputs.settle_tokenizer(named, &mut p.tokenizer)?;
        Ok(serde_json::to_value(&p).expect("params serialise"))
    }

    fn prepare<'a>(
        &'a self,
        params: &Value,
        inputs: &Inputs,
    ) -> Result<Box<dyn SampleSource + 'a>, GenerateError> {
        let p: Params = serde_json::from_value(params.clone()).map_err(|e| {
            GenerateError::param("(all)", format!("not resolved nocha parameters: {e}"))
        })?;
        let counter = inputs.counter(&p.tokenizer)?;
        Ok(Box::new(Books::new(p, counter)))
    }
}

/// A book with its world and pairs, made once and read by all its samples.
pub struct Made {
    pub world: world::World,
    pub book: book::Book,
    pub pairs: Vec<pairs::ClaimPair>,
    /// Per pair: whether its true claim comes first in the file.
    true_first: Vec<bool>,
    /// Per pair: the evidence both claims share.
    evidence: Vec<Vec<Evidence>>,
    seed: u64,
}

/// Makes the book of `seed`: world, text of `target` tokens, and `pairs` claim pairs.
fn make_book(
    seed: u64,
    target: usize,
    pairs: usize,
    counter: &TokenCounter,
) -> Result<Made, GenerateError> {
    let length = TokenLength::Tokens(target as u64);
    let (world, book) = write_story(seed, target, world::Size::for_tokens(target), counter)?;
    let mut rng = SeededRng::new(derive_seed(seed, "claims"));
    let made = pairs::make_pairs(&world, &mut rng, pairs).map_err(|e| {
        GenerateError::param(
            "pairs",
            format!(
                "a {length} book of this seed holds only {} distinct claim pairs; ask fewer --pairs or longer --lengths",
                e.made
            ),
        )
    })?;
    let true_first = made.iter().map(|_| rng.chance(0.5)).collect();
    let evidence = made.iter().map(|p| pair_evidence(&book, p)).collect();
    Ok(Made {
        world,
        book,
        pairs: made,
        true_first,
        evidence,
        seed,
    })
}

/// The story world of `seed` and `size`, and its book of `target` tokens (within the book's
/// tolerance), for any family that asks questions about a generated novel.
///
/// # Errors
/// `lengths` when the story's skeleton alone is longer than `target`; a counter's failure.
pub(crate) fn write_story(
    seed: u64,
    target: usize,
    size: world::Size,
    counter: &TokenCounter,
) -> Result<(world::World, book::Book), GenerateError> {
    let length = TokenLength::Tokens(target as u64);
    let world = world::World::simulate(&mut SeededRng::new(derive_seed(seed, "world")), size);
    let book = book::write(
        &world,
        &mut SeededRng::new(derive_seed(seed, "book")),
        target,
        counter,
    )
    .map_err(|e| match e {
        GenerateError::TooShort { needed, .. } => GenerateError::param(
            "lengths",
            format!("{length}: the story's chapters, introductions and events alone take {needed} tokens; ask for a longer length"),
        ),
        other => other,
    })?;
    Ok((world, book))
}

/// The paragraphs of the events deciding `pair`, and the introductions they rely on, in book
/// order.
fn pair_evidence(book: &book::Book, pair: &pairs::ClaimPair) -> Vec<Evidence> {
    let mut spans: Vec<book::Span> = pair.events.iter().map(|&e| book.events[e]).collect();
    let mut people: Vec<usize> = pair.intros.clone();
    for &e in &pair.events {
        people.extend(&book.indirect[e]);
    }
    spans.extend(people.iter().map(|&p| book.intros[p]));
    spans.sort_by_key(|s| (s.start, s.end));
    spans.dedup();
    spans
        .into_iter()
        .map(|s| Evidence {
            text: char_slice(&book.text, s.start, s.end),
            char_start: s.start,
            char_end: s.end,
        })
        .collect()
}

/// `text[start..end]` in Unicode scalar values.
pub(crate) fn char_slice(text: &str, start: usize, end: usize) -> String {
    if text.is_ascii() {
        return text[start..end].to_string();
    }
    text.chars().skip(start).take(end - start).collect()
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
            let seed = derive_seed(self.p.seed, &format!("{FAMILY}/claims/{id}"));
            let target = c.length.tokens().unwrap_or(0) as usize;
            make_book(seed, target, self.p.pairs, &self.counter)
        })
    }

    fn assemble(
        &self,
        cell: BookCell,
        made: &Made,
        pair: usize,
        side: usize,
    ) -> Result<Sample, GenerateError> {
        let p = &made.pairs[pair];
        let truth = made.true_first[pair] == (side == 0);
        let claim = if truth { &p.true_claim } else { &p.false_claim };
        let text = claim.text(&made.world);
        let pair_id = format!("{FAMILY}/claims/{}/b{}/p{pair}", cell.length, cell.index);
        let id = format!("{pair_id}/{}", ["a", "b"][side]);
        let mut axes = Map::new();
        axes.insert("length".into(), json!(cell.length.to_string()));
        axes.insert("kind".into(), json!(p.kind.name()));
        let mut meta = Map::new();
        meta.insert("target_tokens".into(), json!(cell.length.tokens()));
        meta.insert("context_tokens".into(), json!(made.book.tokens));
        meta.insert("tokenizer".into(), json!(self.counter.name()));
        meta.insert("seed".into(), json!(derive_seed(made.seed, &id)));
        meta.insert("book".into(), json!(self.shelf.context_id(cell)));
        meta.insert("pair_id".into(), json!(pair_id));
        meta.insert("kind".into(), json!(p.kind.name()));
        meta.insert("truth".into(), json!(truth));
        meta.insert("claim".into(), json!(claim));
        meta.insert(
            "swap".into(),
            json!({"slot": p.swap.slot, "true": p.swap.true_text, "false": p.swap.false_text}),
        );
        meta.insert("facts".into(), p.facts(&made.world));
        meta.insert("evidence".into(), json!(made.evidence[pair]));
        meta.insert("prompt".into(), json!(self.p.prompt.name()));
        meta.insert("axes".into(), Value::Object(axes));
        meta.insert(
            "baseline".into(),
            json!({"candidates": ["TRUE", "FALSE"], "picks": 1, "shortcut": ["TRUE"]}),
        );
        Ok(Sample {
            id,
            family: FAMILY.into(),
            task: "claims".into(),
            lang: "en".into(),
            context: None,
            context_id: Some(self.shelf.context_id(cell)),
            prompt: prompt::render(self.p.prompt, CONTEXT_SLOT, &text)?,
            question: text,
            reference: Reference {
                kind: "claim".into(),
                value: Value::Bool(truth),
            },
            meta,
        })
    }
}

impl SampleSource for Books {
    fn len(&self) -> usize {
        self.shelf.cells.len() * self.p.pairs * 2
    }

    fn sample(&self, index: usize) -> Result<Sample, GenerateError> {
        if index >= self.len() {
            return Err(GenerateError::param("(all)", format!("no sample {index}")));
        }
        let per_book = self.p.pairs * 2;
        let cell = index / per_book;
        let made = self.book(cell)?;
        let within = index % per_book;
        self.assemble(self.shelf.cells[cell], &made, within / 2, within % 2)
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

/// The world, book and pairs of one book of a resolved generation, for checking a dataset
/// against its world (tests, benchmarks): `length` and `index` name the book as its context id
/// does.
pub fn book_of(
    params: &Value,
    inputs: &Inputs,
    length: &str,
    index: usize,
) -> Result<Arc<Made>, GenerateError> {
    let p: Params = serde_json::from_value(params.clone()).map_err(|e| {
        GenerateError::param("(all)", format!("not resolved nocha parameters: {e}"))
    })?;
    let counter = inputs.counter(&p.tokenizer)?;
    let books = Books::new(p, counter);
    let cell = books.shelf.find(length, index)?;
    books.book(cell)
}

/// Whether `claim` holds in `made`'s world, and a check of the pair it belongs to, for tests
/// that re-derive truth from `meta.claim`.
pub fn claim_holds(made: &Made, claim: &Claim) -> Result<bool, String> {
    claim.holds(&made.world).map_err(|e| e.to_string())
}

impl Made {
    /// Proves every pair of the book (see [`pairs::check`]).
    pub fn check_pairs(&self) -> Result<(), String> {
        self.pairs
            .iter()
            .try_for_each(|p| pairs::check(&self.world, p))
    }

    /// The book's text.
    pub fn text(&self) -> &str {
        &self.book.text
    }
}
