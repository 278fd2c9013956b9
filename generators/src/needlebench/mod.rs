//! NeedleBench (OpenCompass; Li et al., 2024): needles at chosen depths of a haystack, and the
//! Ancestral Trace Challenge.
//!
//! Tasks:
//! - `single`: one fact at one depth; grid length x depth.
//! - `multi-retrieval`: one fact per depth, all asked at once; score is the share found; grid
//!   length.
//! - `multi-reasoning`: a kinship chain whose links sit in the haystack from the depth onwards,
//!   evenly spaced to the end; grid length x depth x links.
//! - `atc`: the Ancestral Trace Challenge; without filler by default (`lengths: none`, as the
//!   original), or with its links spread evenly through a haystack (a longforge extension);
//!   grid length x links.
//!
//! Lengths are tokens of the named tokenizer (`cl100k_base` in the original). Beyond the
//! original: needles go in at sentence boundaries; retrieval samples carry near-miss
//! distractors; kinship puzzles carry distractor families and side branches and ask for n-th
//! relatives at any n; every sample records its seed and the evidence spans.

mod kinship;
mod names;
mod params;
mod prompt;
mod retrieval;

pub use kinship::{derive_answer, KinLink, QuestionType};
pub use params::{depth_label, HaystackRef, Params, Task};

use std::sync::Arc;

use longforge_datasets::{
    char_len, derive_seed, Evidence, Reference, Sample, SeededRng, TokenCounter, TokenLength,
};
use serde_json::{json, Map, Value};

use crate::haystack::{self, Corpus, FactFilter, HaystackSource, Lang, Placement};
use crate::{
    EarlierVersion, Family, GenerateError, Inputs, ParamInfo, ParamKind, SampleSource, TaskInfo,
};

pub struct NeedleBench;

const FAMILY: &str = "needlebench";

const TASKS: &[TaskInfo] = &[
    TaskInfo {
        name: "single",
        summary: "one needle at one depth; answer its value",
        grid: "length x depth",
        scorer: "needles",
        metrics: &["mean"],
    },
    TaskInfo {
        name: "multi-retrieval",
        summary: "one needle per depth, all asked at once; score = share found",
        grid: "length",
        scorer: "needles",
        metrics: &["mean"],
    },
    TaskInfo {
        name: "multi-reasoning",
        summary: "kinship links placed from the depth to the end of the haystack",
        grid: "length x depth x needles",
        scorer: "boxed_exact",
        metrics: &["mean"],
    },
    TaskInfo {
        name: "atc",
        summary: "Ancestral Trace Challenge: kinship chain with distractor families and branches",
        grid: "length x needles",
        scorer: "boxed_exact",
        metrics: &["mean"],
    },
];

const PARAMS: &[ParamInfo] = &[
    ParamInfo {
        name: "lang",
        kind: ParamKind::Text,
        default: "en",
        help: "en | zh",
    },
    ParamInfo {
        name: "depths",
        kind: ParamKind::Floats,
        default: "0,25,50,75,100",
        help: "needle depths in percent of the haystack (single, multi-*)",
    },
    ParamInfo {
        name: "needles",
        kind: ParamKind::Ints,
        default: "8 (multi-reasoning: 4)",
        help: "kinship links per puzzle, a list (atc, multi-reasoning)",
    },
    ParamInfo {
        name: "distractors",
        kind: ParamKind::Int,
        default: "2",
        help: "near-miss needles per retrieval sample; 0 = the original",
    },
    ParamInfo {
        name: "plain_chain",
        kind: ParamKind::Bool,
        default: "off",
        help: "the original's single chain, no distractor families or branches",
    },
    ParamInfo {
        name: "questions",
        kind: ParamKind::Texts,
        default: "all (multi-reasoning: eldest_ancestor)",
        help: "eldest_ancestor, nth_ancestor, nth_descendant, generations_apart",
    },
    ParamInfo {
        name: "haystack",
        kind: ParamKind::File,
        default: "(embedded prose)",
        help: "your own filler: plain text, or JSON Lines with a `text` field",
    },
];

impl Family for NeedleBench {
    fn name(&self) -> &'static str {
        FAMILY
    }

    /// 0.2.0 added `meta.axes` (the sample's grid cell) and `meta.baseline` (candidates for the
    /// offline baselines), records scoring specs in the manifest, and gives kinship puzzles of 2
    /// and 3 links the distractor family 0.1.0 silently left out; `prepare_as` still makes
    /// 0.1.0's samples, which is why 0.1.0 folders verify.
    fn version(&self) -> &'static str {
        "0.2.0"
    }

    fn example(&self, task: &str) -> Value {
        match task {
            "atc" => {
                json!({"task": task, "lengths": ["none", "512"], "needles": [2, 5], "count": 2})
            }
            "multi-reasoning" => {
                json!({"task": task, "lengths": ["1k"], "depths": [0, 50], "needles": [3], "count": 2})
            }
            _ => json!({"task": task, "lengths": ["512", "1k"], "depths": [0, 100], "count": 2}),
        }
    }

    fn earlier_versions(&self) -> &'static [EarlierVersion] {
        &[EarlierVersion {
            version: "0.1.0",
            meta_added_since: &["axes", "baseline", "needle_depths"],
            recorded_scoring: false,
        }]
    }

    fn tasks(&self) -> &'static [TaskInfo] {
        TASKS
    }

    /// Every task asks a question answered from the needles (a fact, an ancestor, a count).
    fn task_categories(&self, _task: &str) -> &'static [&'static str] {
        &["question-answering"]
    }

    fn params(&self) -> &'static [ParamInfo] {
        PARAMS
    }

    fn resolve(&self, params: Value, inputs: &Inputs) -> Result<Value, GenerateError> {
        let named = params.get("tokenizer").is_some();
        let mut p = params::with_defaults(params)?;
        inputs.settle_tokenizer(named, &mut p.tokenizer)?;
        // `resolve` recorded the haystack file and checked its digest; `prepare` indexes it, and
        // refuses a file that is not a corpus before anything is written (indexing it here too
        // would read a large corpus twice).
        Ok(serde_json::to_value(&p).expect("params serialise"))
    }

    fn prepare<'a>(
        &'a self,
        params: &Value,
        inputs: &Inputs,
    ) -> Result<Box<dyn SampleSource + 'a>, GenerateError> {
        self.prepare_as(params, inputs, self.version())
    }

    fn prepare_as<'a>(
        &'a self,
        params: &Value,
        inputs: &Inputs,
        version: &str,
    ) -> Result<Box<dyn SampleSource + 'a>, GenerateError> {
        let p: Params = serde_json::from_value(params.clone()).map_err(|e| {
            GenerateError::param("(all)", format!("not resolved NeedleBench parameters: {e}"))
        })?;
        let counter = inputs.counter(&p.tokenizer)?;
        let haystack = match inputs.file("haystack") {
            Some(path) => {
                HaystackSource::Corpus(Arc::new(Corpus::index(path, version != "0.1.0")?))
            }
            None => HaystackSource::Prose(p.lang),
        };
        // 0.1.0 gave puzzles under 4 links no distractors while recording `plain_chain: false`;
        // since 0.2.0 every puzzle that can hold a distractor family gets one, and a puzzle that
        // cannot is refused rather than made plain behind the user's back.
        let smallest = if version == "0.1.0" {
            kinship::SMALLEST_WITH_DISTRACTORS_0_1_0
        } else {
            kinship::SMALLEST_WITH_DISTRACTORS
        };
        if version != "0.1.0" && !p.plain_chain.unwrap_or(true) {
            if let Some(n) = p.needles.iter().flatten().find(|&&n| n < smallest) {
                return Err(GenerateError::param(
                    "needles",
                    format!("a puzzle of {n} link has no room for a distractor family; the smallest with distractors has {smallest} links (or pass --plain-chain for the original's single chain)"),
                ));
            }
        }
        let cells = grid(&p);
        Ok(Box::new(Samples {
            p,
            cells,
            counter,
            haystack,
            smallest,
        }))
    }
}

/// The grid of a resolved generation; sample `i` is cell `i`.
struct Samples {
    p: Params,
    cells: Vec<Cell>,
    counter: TokenCounter,
    haystack: HaystackSource,
    /// The fewest links a puzzle gets distractors at (see `prepare_as`).
    smallest: usize,
}

impl SampleSource for Samples {
    fn len(&self) -> usize {
        self.cells.len()
    }

    fn sample(&self, index: usize) -> Result<Sample, GenerateError> {
        let cell = self
            .cells
            .get(index)
            .ok_or_else(|| GenerateError::param("(all)", format!("no sample {index}")))?;
        make_sample(
            &self.p,
            cell,
            index,
            &self.counter,
            &self.haystack,
            self.smallest,
        )
    }

    fn seed(&self) -> u64 {
        self.p.seed
    }

    fn tokenizer(&self) -> String {
        self.counter.name().to_string()
    }
}

/// One grid cell and the index of the sample within it.
struct Cell {
    length: TokenLength,
    depth: Option<f64>,
    links: Option<usize>,
    index: usize,
}

fn grid(p: &Params) -> Vec<Cell> {
    let mut cells = Vec::new();
    let depths: Vec<Option<f64>> = match (p.task, &p.depths) {
        (Task::Single | Task::MultiReasoning, Some(d)) => d.iter().map(|&d| Some(d)).collect(),
        _ => vec![None],
    };
    let links: Vec<Option<usize>> = match &p.needles {
        Some(n) => n.iter().map(|&n| Some(n)).collect(),
        None => vec![None],
    };
    for &length in &p.lengths {
        for &depth in &depths {
            for &link_count in &links {
                for index in 0..p.count {
                    cells.push(Cell {
                        length,
                        depth,
                        links: link_count,
                        index,
                    });
                }
            }
        }
    }
    cells
}

fn sample_id(p: &Params, cell: &Cell) -> String {
    let mut id = format!(
        "{FAMILY}/{}/{}/{}",
        p.task.name(),
        p.lang.code(),
        cell.length
    );
    if let Some(d) = cell.depth {
        id.push_str(&format!("/d{}", depth_label(d)));
    }
    if let Some(k) = cell.links {
        id.push_str(&format!("/k{k}"));
    }
    id.push_str(&format!("/{}", cell.index));
    id
}

fn make_sample(
    p: &Params,
    cell: &Cell,
    ordinal: usize,
    counter: &TokenCounter,
    source: &HaystackSource,
    smallest: usize,
) -> Result<Sample, GenerateError> {
    let id = sample_id(p, cell);
    let seed = derive_seed(p.seed, &id);
    let mut rng = SeededRng::new(seed);
    let mut meta = Map::new();
    let baseline: Value;
    let (context, question, prompt, reference, evidence, tokens, placed, depths) = match p.task {
        Task::Single | Task::MultiRetrieval => {
            let depths: Vec<f64> = match cell.depth {
                Some(d) => vec![d],
                None => p.depths.clone().unwrap_or_default(),
            };
            let distractors = p.distractors.unwrap_or(0);
            let needles = retrieval::needles(&mut rng, p.lang, depths.len(), distractors);
            let mut placements: Vec<Placement> = needles
                .iter()
                .zip(&depths)
                .map(|(n, &d)| Placement {
                    text: n.sentence.clone(),
                    depth: d,
                })
                .collect();
            for n in &needles[depths.len()..] {
                placements.push(Placement {
                    text: n.sentence.clone(),
                    depth: rng.below(101) as f64,
                });
            }
            let target = cell.length.tokens().unwrap_or(0) as usize;
            let facts = FactFilter::new(retrieval::facts(&needles));
            let mut stream = source.stream(derive_seed(seed, "haystack"));
            let built = haystack::build(&mut stream, counter, target, &placements, &facts)?;
            let many = p.task == Task::MultiRetrieval;
            let question = if many {
                needles[..depths.len()]
                    .iter()
                    .enumerate()
                    .map(|(i, n)| format!("{}. {}", i + 1, n.question))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                needles[0].question.clone()
            };
            let prompt = prompt::retrieval(p.lang, &built.context, &question, many);
            let reference = Reference::needles(
                needles[..depths.len()]
                    .iter()
                    .map(|n| n.value.clone())
                    .collect(),
            );
            meta.insert("needles".into(), json!(needles[..depths.len()]));
            let distractor_spans: Vec<Value> = needles[depths.len()..]
                .iter()
                .zip(&built.evidence[depths.len()..])
                .map(|(n, e)| json!({"text": e.text, "char_start": e.char_start, "char_end": e.char_end, "key": n.key, "value": n.value}))
                .collect();
            meta.insert("distractors".into(), Value::Array(distractor_spans));
            let evidence = built.evidence[..depths.len()].to_vec();
            // Every needle and distractor value, in the order they sit in the context.
            let mut by_position: Vec<(usize, &str)> = built
                .evidence
                .iter()
                .zip(&needles)
                .map(|(e, n)| (e.char_start, n.value.as_str()))
                .collect();
            by_position.sort();
            let candidates: Vec<&str> = by_position.into_iter().map(|(_, v)| v).collect();
            baseline = json!({
                "candidates": candidates,
                "picks": depths.len(),
                "shortcut": candidates[..depths.len().min(candidates.len())],
            });
            (
                built.context,
                question,
                prompt,
                reference,
                evidence,
                built.tokens,
                built.depths[..depths.len()].to_vec(),
                depths,
            )
        }
        Task::MultiReasoning | Task::Atc => {
            let links = cell.links.unwrap_or(1);
            let questions = p
                .questions
                .clone()
                .unwrap_or_else(|| vec![QuestionType::EldestAncestor]);
            let kind = questions[ordinal % questions.len()];
            let plain = p.plain_chain.unwrap_or(false);
            let puzzle = kinship::make_puzzle(&mut rng, p.lang, links, plain, kind, smallest);
            let depths: Vec<f64> = match (p.task, cell.length) {
                (_, TokenLength::None) => Vec::new(),
                (Task::MultiReasoning, _) => {
                    let first = cell.depth.unwrap_or(0.0);
                    (0..links)
                        .map(|j| first + (100.0 - first) * j as f64 / links as f64)
                        .collect()
                }
                _ => (0..links)
                    .map(|j| (j as f64 + 0.5) * 100.0 / links as f64)
                    .collect(),
            };
            let (context, evidence, tokens, placed) = match cell.length.tokens() {
                None => {
                    let (context, evidence) = plain_lines(&puzzle.sentences);
                    let tokens = counter.count(&context)?;
                    (context, evidence, tokens, Vec::new())
                }
                Some(target) => {
                    let placements: Vec<Placement> = puzzle
                        .sentences
                        .iter()
                        .zip(&depths)
                        .map(|(s, &d)| Placement {
                            text: s.clone(),
                            depth: d,
                        })
                        .collect();
                    let facts = FactFilter::new(puzzle.names());
                    let mut stream = source.stream(derive_seed(seed, "haystack"));
                    let built = haystack::build(
                        &mut stream,
                        counter,
                        target as usize,
                        &placements,
                        &facts,
                    )?;
                    (built.context, built.evidence, built.tokens, built.depths)
                }
            };
            let q = &puzzle.question;
            let numeric = q.kind == QuestionType::GenerationsApart;
            let prompt = prompt::kinship(
                p.lang,
                &context,
                &q.text,
                cell.length.tokens().is_some(),
                numeric,
            );
            meta.insert("chain".into(), json!(puzzle.links));
            meta.insert("question_type".into(), json!(q.kind));
            meta.insert("subject".into(), json!(q.subject));
            meta.insert("n".into(), json!(q.n));
            if let Some(other) = &q.other {
                meta.insert("other".into(), json!(other));
            }
            meta.insert("plain_chain".into(), json!(plain));
            baseline = kinship_baseline(&puzzle.links, q.kind);
            (
                context,
                q.text.clone(),
                prompt,
                Reference::exact(q.answer.clone()),
                evidence,
                tokens,
                placed,
                depths,
            )
        }
    };
    let mut full_meta = Map::new();
    full_meta.insert("target_tokens".into(), json!(cell.length.tokens()));
    full_meta.insert("context_tokens".into(), json!(tokens));
    full_meta.insert("tokenizer".into(), json!(counter.name()));
    full_meta.insert("seed".into(), json!(seed));
    full_meta.insert("depths".into(), json!(depths));
    full_meta.insert("evidence".into(), json!(evidence));
    full_meta.extend(meta);
    full_meta.insert("axes".into(), Value::Object(axes(p, cell)));
    full_meta.insert("baseline".into(), baseline);
    // Where the needles went (share of filler tokens before each, in percent), beside `depths`,
    // where they were asked to go.
    full_meta.insert("needle_depths".into(), json!(placed));
    // Built by growing, a long text may hold twice its length; samples are megabytes at 1M.
    let (mut context, mut prompt) = (context, prompt);
    context.shrink_to_fit();
    prompt.shrink_to_fit();
    Ok(Sample {
        id,
        family: FAMILY.into(),
        task: p.task.name().into(),
        lang: p.lang.code().into(),
        context: Some(context),
        context_id: None,
        question,
        prompt,
        reference,
        meta: full_meta,
    })
}

/// The sample's grid cell, in the order reports draw it: language, length, then the depth
/// (single, multi-reasoning) and the links per puzzle (multi-reasoning, atc).
fn axes(p: &Params, cell: &Cell) -> Map<String, Value> {
    let mut axes = Map::new();
    axes.insert("lang".into(), json!(p.lang.code()));
    axes.insert("length".into(), json!(cell.length.to_string()));
    if let Some(d) = cell.depth {
        axes.insert("depth".into(), json!(depth_label(d)));
    }
    if let Some(k) = cell.links {
        axes.insert("links".into(), json!(k.to_string()));
    }
    axes
}

/// Candidates for the offline baselines: every person of the puzzle in the order the links name
/// them (or, for "how many generations", every count from 1 to the chain's total), and the
/// shortcut a model that skips the question takes: the first elder who is nobody's younger,
/// which answers the original ATC's eldest-ancestor question perfectly.
fn kinship_baseline(links: &[KinLink], kind: QuestionType) -> Value {
    let mut people: Vec<&str> = Vec::new();
    for link in links {
        for name in [link.elder.as_str(), link.younger.as_str()] {
            if !people.contains(&name) {
                people.push(name);
            }
        }
    }
    let root = links
        .iter()
        .map(|l| l.elder.as_str())
        .find(|e| !links.iter().any(|l| l.younger == *e))
        .unwrap_or("");
    let candidates: Vec<String> = if kind == QuestionType::GenerationsApart {
        let most: u64 = links.iter().map(|l| u64::from(l.generations)).sum();
        (1..=most.max(1)).map(|n| n.to_string()).collect()
    } else {
        people.iter().map(|p| p.to_string()).collect()
    };
    json!({"candidates": candidates, "picks": 1, "shortcut": [root]})
}

/// The original ATC: the links alone, one per line.
fn plain_lines(sentences: &[String]) -> (String, Vec<Evidence>) {
    let mut context = String::new();
    let mut evidence = Vec::with_capacity(sentences.len());
    let mut chars = 0;
    for (i, s) in sentences.iter().enumerate() {
        if i > 0 {
            context.push('\n');
            chars += 1;
        }
        context.push_str(s);
        let len = char_len(s);
        evidence.push(Evidence {
            text: s.clone(),
            char_start: chars,
            char_end: chars + len,
        });
        chars += len;
    }
    (context, evidence)
}

/// The language a sample is in.
pub fn lang_of(sample: &Sample) -> Option<Lang> {
    sample.lang.parse().ok()
}
