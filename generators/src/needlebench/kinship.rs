//! The Ancestral Trace Challenge: kinship links ("A is B's father") whose question needs every
//! link of a chain.
//!
//! The original's single chain has a shortcut: the eldest ancestor is the one name never named as
//! someone's child, and the question always spans the whole chain. Here, by default, the chain
//! comes with side branches (other children of people on it) and distractor families (separate
//! chains), and questions ask for the n-th ancestor or descendant at any n, or the number of
//! generations between two people. `plain_chain` gives the original's single chain.
//!
//! Every person has at most one elder link, so the links form a forest and every ancestor
//! question has one answer; an n-th descendant is asked only where exactly one person stands n
//! generations below. [`derive_answer`] recomputes any answer from the links alone.

use std::collections::BTreeMap;

use longforge_datasets::SeededRng;
use serde::{Deserialize, Serialize};

use super::names::{people, Gender};
use crate::haystack::Lang;

/// One link as recorded in `meta.chain`: `elder` is `generations` (1 or 2) above `younger`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KinLink {
    pub elder: String,
    pub younger: String,
    pub generations: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    EldestAncestor,
    NthAncestor,
    NthDescendant,
    GenerationsApart,
}

impl QuestionType {
    pub const ALL: [QuestionType; 4] = [
        QuestionType::EldestAncestor,
        QuestionType::NthAncestor,
        QuestionType::NthDescendant,
        QuestionType::GenerationsApart,
    ];

    pub fn name(self) -> &'static str {
        match self {
            QuestionType::EldestAncestor => "eldest_ancestor",
            QuestionType::NthAncestor => "nth_ancestor",
            QuestionType::NthDescendant => "nth_descendant",
            QuestionType::GenerationsApart => "generations_apart",
        }
    }
}

/// What is asked: everything `meta` records about the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub kind: QuestionType,
    pub subject: String,
    pub n: Option<usize>,
    pub other: Option<String>,
    pub answer: String,
    pub text: String,
}

/// A generated puzzle: links in the order they appear in the context, each with its sentence.
#[derive(Debug, Clone)]
pub struct Puzzle {
    pub links: Vec<KinLink>,
    pub sentences: Vec<String>,
    pub question: Question,
}

impl Puzzle {
    /// Every person's name: the facts the filler must not mention.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .links
            .iter()
            .flat_map(|l| [l.elder.clone(), l.younger.clone()])
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// The fewest links a puzzle with a distractor family can have: one for the asked chain, one for
/// a second family, so the "never named as a child" shortcut faces two roots.
pub const SMALLEST_WITH_DISTRACTORS: usize = 2;

/// The fewest links generator 0.1.0 gave distractors to (smaller puzzles were silently plain).
pub const SMALLEST_WITH_DISTRACTORS_0_1_0: usize = 4;

/// How many trees and branch links `links` links make, for a puzzle with distractors: half the
/// links form the asked chain, the rest are split between distractor families and side branches.
/// Puzzles smaller than `smallest` are plain chains.
fn layout(links: usize, plain: bool, smallest: usize) -> (usize, Vec<usize>, usize) {
    if plain || links < smallest {
        return (links, Vec::new(), 0);
    }
    let extra = links / 2;
    let main = links - extra;
    let families = (extra / 2).clamp(1, 1 + extra / 4);
    let family_links = (extra / 2).max(families);
    let mut sizes = vec![family_links / families; families];
    for s in sizes.iter_mut().take(family_links % families) {
        *s += 1;
    }
    (main, sizes, extra - family_links)
}

/// The number of people a puzzle of `links` links names.
pub fn people_needed(links: usize, plain: bool) -> usize {
    let (_, families, _) = layout(links, plain, SMALLEST_WITH_DISTRACTORS);
    links + 1 + families.len()
}

pub fn make_puzzle(
    rng: &mut SeededRng,
    lang: Lang,
    links: usize,
    plain: bool,
    kind: QuestionType,
    smallest: usize,
) -> Puzzle {
    let (main, families, branches) = layout(links, plain, smallest);
    let persons = people(rng, lang, links + 1 + families.len());
    let mut next = 0usize;
    let mut take = || {
        next += 1;
        next - 1
    };
    let mut edges: Vec<(usize, usize, u8)> = Vec::with_capacity(links);
    let generations = |rng: &mut SeededRng| if rng.chance(0.25) { 2u8 } else { 1 };
    // The asked chain: persons chain[0] (eldest) .. chain[main].
    let chain: Vec<usize> = (0..=main).map(|_| take()).collect();
    for w in chain.windows(2) {
        edges.push((w[0], w[1], generations(rng)));
    }
    for size in families {
        let mut elder = take();
        for _ in 0..size {
            let younger = take();
            edges.push((elder, younger, generations(rng)));
            elder = younger;
        }
    }
    // Side branches hang from anyone on the chain but its youngest, or from earlier branches.
    let mut hooks: Vec<usize> = chain[..main].to_vec();
    for _ in 0..branches {
        let elder = *rng.pick(&hooks);
        let younger = take();
        edges.push((elder, younger, generations(rng)));
        hooks.push(younger);
    }
    rng.shuffle(&mut edges);

    let name = |i: usize| persons[i].0.clone();
    let kin: Vec<KinLink> = edges
        .iter()
        .map(|&(e, y, g)| KinLink {
            elder: name(e),
            younger: name(y),
            generations: g,
        })
        .collect();
    let sentences = edges
        .iter()
        .map(|&(e, y, g)| link_sentence(rng, lang, &name(e), persons[e].1, &name(y), g))
        .collect();
    let subject = name(chain[main]);
    let question = ask(
        rng,
        lang,
        &kin,
        &subject,
        &chain.iter().map(|&i| name(i)).collect::<Vec<_>>(),
        kind,
    );
    Puzzle {
        links: kin,
        sentences,
        question,
    }
}

/// Picks the question's parameters among those with exactly one answer.
fn ask(
    rng: &mut SeededRng,
    lang: Lang,
    links: &[KinLink],
    subject: &str,
    chain: &[String],
    kind: QuestionType,
) -> Question {
    let forest = Forest::new(links);
    let ancestors = forest.ancestors(subject);
    let make = |kind, subject: &str, n: Option<usize>, other: Option<String>| {
        let answer = derive_answer(links, kind, subject, n, other.as_deref())
            .expect("questions are built to have one answer");
        let text = question_text(lang, kind, subject, n, other.as_deref());
        Question {
            kind,
            subject: subject.to_string(),
            n,
            other,
            answer,
            text,
        }
    };
    match kind {
        QuestionType::EldestAncestor => make(kind, subject, None, None),
        QuestionType::NthAncestor => {
            let (_, n) = rng.pick(&ancestors).clone();
            make(kind, subject, Some(n), None)
        }
        QuestionType::GenerationsApart => {
            let (other, _) = rng.pick(&ancestors).clone();
            make(kind, subject, None, Some(other))
        }
        QuestionType::NthDescendant => {
            let mut candidates = Vec::new();
            for elder in &chain[..chain.len() - 1] {
                let mut by_depth: BTreeMap<usize, usize> = BTreeMap::new();
                for (_, d) in forest.descendants(elder) {
                    *by_depth.entry(d).or_default() += 1;
                }
                for (d, count) in by_depth {
                    if count == 1 {
                        candidates.push((elder.clone(), d));
                    }
                }
            }
            if candidates.is_empty() {
                // Cannot happen for a chain (its youngest is alone at the deepest level of the
                // eldest's line unless a branch reaches as deep); fall back to an ancestor.
                let (_, n) = rng.pick(&ancestors).clone();
                return make(QuestionType::NthAncestor, subject, Some(n), None);
            }
            let (elder, n) = rng.pick(&candidates).clone();
            make(kind, &elder, Some(n), None)
        }
    }
}

/// The links as a forest: each person's one elder, and each person's youngers.
struct Forest<'a> {
    elder: BTreeMap<&'a str, (&'a str, usize)>,
    youngers: BTreeMap<&'a str, Vec<(&'a str, usize)>>,
}

impl<'a> Forest<'a> {
    fn new(links: &'a [KinLink]) -> Self {
        let mut elder = BTreeMap::new();
        let mut youngers: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
        for l in links {
            elder.insert(
                l.younger.as_str(),
                (l.elder.as_str(), l.generations as usize),
            );
            youngers
                .entry(l.elder.as_str())
                .or_default()
                .push((l.younger.as_str(), l.generations as usize));
        }
        Forest { elder, youngers }
    }

    /// Every ancestor of `person` with how many generations above it stands, nearest first.
    fn ancestors(&self, person: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut at = person;
        let mut up = 0;
        while let Some(&(e, g)) = self.elder.get(at) {
            up += g;
            out.push((e.to_string(), up));
            at = e;
            if out.len() > self.elder.len() {
                break; // a cycle in hand-edited input; answers will say so
            }
        }
        out
    }

    /// Every descendant of `person` with how many generations below it stands.
    fn descendants(&self, person: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![(person, 0usize)];
        while let Some((p, d)) = stack.pop() {
            for &(y, g) in self.youngers.get(p).map(Vec::as_slice).unwrap_or(&[]) {
                out.push((y.to_string(), d + g));
                if out.len() > self.elder.len() {
                    return out;
                }
                stack.push((y, d + g));
            }
        }
        out
    }
}

/// The answer to a question, from the links alone: what lets anyone check a reference from
/// `meta`. Errors say why a question has no single answer.
pub fn derive_answer(
    links: &[KinLink],
    kind: QuestionType,
    subject: &str,
    n: Option<usize>,
    other: Option<&str>,
) -> Result<String, String> {
    let forest = Forest::new(links);
    let ancestors = forest.ancestors(subject);
    match kind {
        QuestionType::EldestAncestor => ancestors
            .last()
            .map(|(a, _)| a.clone())
            .ok_or_else(|| format!("{subject} has no recorded ancestor")),
        QuestionType::NthAncestor => {
            let n = n.ok_or("nth_ancestor needs n")?;
            ancestors
                .iter()
                .find(|(_, d)| *d == n)
                .map(|(a, _)| a.clone())
                .ok_or_else(|| format!("no one stands exactly {n} generations above {subject}"))
        }
        QuestionType::NthDescendant => {
            let n = n.ok_or("nth_descendant needs n")?;
            let at: Vec<String> = forest
                .descendants(subject)
                .into_iter()
                .filter(|(_, d)| *d == n)
                .map(|(p, _)| p)
                .collect();
            match at.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(format!(
                    "no one stands exactly {n} generations below {subject}"
                )),
                _ => Err(format!(
                    "{} people stand {n} generations below {subject}",
                    at.len()
                )),
            }
        }
        QuestionType::GenerationsApart => {
            let other = other.ok_or("generations_apart needs other")?;
            if let Some((_, d)) = ancestors.iter().find(|(a, _)| a == other) {
                return Ok(d.to_string());
            }
            forest
                .ancestors(other)
                .iter()
                .find(|(a, _)| a == subject)
                .map(|(_, d)| d.to_string())
                .ok_or_else(|| format!("{subject} and {other} are not in one line of descent"))
        }
    }
}

struct Relation {
    word: &'static str,
    gender: Gender,
    generations: u8,
}

const RELATIONS_EN: &[Relation] = &[
    Relation {
        word: "father",
        gender: Gender::Male,
        generations: 1,
    },
    Relation {
        word: "dad",
        gender: Gender::Male,
        generations: 1,
    },
    Relation {
        word: "mother",
        gender: Gender::Female,
        generations: 1,
    },
    Relation {
        word: "mom",
        gender: Gender::Female,
        generations: 1,
    },
    Relation {
        word: "grandfather",
        gender: Gender::Male,
        generations: 2,
    },
    Relation {
        word: "paternal grandfather",
        gender: Gender::Male,
        generations: 2,
    },
    Relation {
        word: "maternal grandfather",
        gender: Gender::Male,
        generations: 2,
    },
    Relation {
        word: "grandmother",
        gender: Gender::Female,
        generations: 2,
    },
    Relation {
        word: "paternal grandmother",
        gender: Gender::Female,
        generations: 2,
    },
    Relation {
        word: "maternal grandmother",
        gender: Gender::Female,
        generations: 2,
    },
];
const RELATIONS_ZH: &[Relation] = &[
    Relation {
        word: "父亲",
        gender: Gender::Male,
        generations: 1,
    },
    Relation {
        word: "爸爸",
        gender: Gender::Male,
        generations: 1,
    },
    Relation {
        word: "母亲",
        gender: Gender::Female,
        generations: 1,
    },
    Relation {
        word: "妈妈",
        gender: Gender::Female,
        generations: 1,
    },
    Relation {
        word: "爷爷",
        gender: Gender::Male,
        generations: 2,
    },
    Relation {
        word: "外公",
        gender: Gender::Male,
        generations: 2,
    },
    Relation {
        word: "祖父",
        gender: Gender::Male,
        generations: 2,
    },
    Relation {
        word: "奶奶",
        gender: Gender::Female,
        generations: 2,
    },
    Relation {
        word: "外婆",
        gender: Gender::Female,
        generations: 2,
    },
    Relation {
        word: "祖母",
        gender: Gender::Female,
        generations: 2,
    },
];

/// `{A}` the elder, `{B}` the younger, `{R}` the relation, `{C}` child or grandchild.
const TEMPLATES_EN: &[&str] = &[
    "{A} is {B}'s {R}.",
    "{B}'s {R} is {A}.",
    "{B} is the {C} of {A}.",
    "For {B}, {A} is not just a {R}, but also a friend.",
    "{A}, who is {B}'s {R}, keeps every letter {B} ever wrote.",
];
const TEMPLATES_ZH: &[&str] = &[
    "{A}是{B}的{R}。",
    "{B}的{R}是{A}。",
    "{B}是{A}的{C}。",
    "对于{B}来说，{A}不只是{R}，还是朋友。",
    "{A}是{B}的{R}，一直保存着{B}写的每一封信。",
];

fn link_sentence(
    rng: &mut SeededRng,
    lang: Lang,
    elder: &str,
    gender: Gender,
    younger: &str,
    generations: u8,
) -> String {
    let (relations, templates, child) = match (lang, generations) {
        (Lang::En, 1) => (RELATIONS_EN, TEMPLATES_EN, "child"),
        (Lang::En, _) => (RELATIONS_EN, TEMPLATES_EN, "grandchild"),
        (Lang::Zh, 1) => (RELATIONS_ZH, TEMPLATES_ZH, "孩子"),
        (Lang::Zh, _) => (RELATIONS_ZH, TEMPLATES_ZH, "孙辈"),
    };
    let fitting: Vec<&Relation> = relations
        .iter()
        .filter(|r| r.gender == gender && r.generations == generations)
        .collect();
    let relation = rng.pick(&fitting).word;
    rng.pick(templates)
        .replace("{A}", elder)
        .replace("{B}", younger)
        .replace("{R}", relation)
        .replace("{C}", child)
}

fn question_text(
    lang: Lang,
    kind: QuestionType,
    subject: &str,
    n: Option<usize>,
    other: Option<&str>,
) -> String {
    let n = n.unwrap_or(0);
    let other = other.unwrap_or("");
    let plural = if n == 1 { "" } else { "s" };
    match (lang, kind) {
        (Lang::En, QuestionType::EldestAncestor) => format!("Given the family relationships above, who is the eldest ancestor of {subject} that can be traced?"),
        (Lang::En, QuestionType::NthAncestor) => format!("Who is the ancestor exactly {n} generation{plural} above {subject}?"),
        (Lang::En, QuestionType::NthDescendant) => format!("Who is the descendant exactly {n} generation{plural} below {subject}?"),
        (Lang::En, QuestionType::GenerationsApart) => format!("How many generations apart are {subject} and {other}? Answer with a number."),
        (Lang::Zh, QuestionType::EldestAncestor) => format!("根据上述亲属关系，{subject}能追溯到的最年长的祖先是谁？"),
        (Lang::Zh, QuestionType::NthAncestor) => format!("比{subject}恰好高{n}代的祖先是谁？"),
        (Lang::Zh, QuestionType::NthDescendant) => format!("比{subject}恰好低{n}代的后代是谁？"),
        (Lang::Zh, QuestionType::GenerationsApart) => format!("{subject}和{other}相差几代？请用数字回答。"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(e: &str, y: &str, g: u8) -> KinLink {
        KinLink {
            elder: e.into(),
            younger: y.into(),
            generations: g,
        }
    }

    #[test]
    fn answers_by_hand() {
        // A -1- B -2- C -1- D, and B -1- X (a branch).
        let links = [
            link("B", "C", 2),
            link("A", "B", 1),
            link("C", "D", 1),
            link("B", "X", 1),
        ];
        let q = |k, s, n, o| derive_answer(&links, k, s, n, o);
        assert_eq!(
            q(QuestionType::EldestAncestor, "D", None, None).unwrap(),
            "A"
        );
        assert_eq!(
            q(QuestionType::NthAncestor, "D", Some(1), None).unwrap(),
            "C"
        );
        assert_eq!(
            q(QuestionType::NthAncestor, "D", Some(3), None).unwrap(),
            "B"
        );
        assert!(
            q(QuestionType::NthAncestor, "D", Some(2), None).is_err(),
            "the grandparent link skips a generation"
        );
        assert_eq!(
            q(QuestionType::NthDescendant, "A", Some(4), None).unwrap(),
            "D"
        );
        assert!(q(QuestionType::NthDescendant, "B", Some(1), None).unwrap() == "X");
        assert_eq!(
            q(QuestionType::GenerationsApart, "D", None, Some("A")).unwrap(),
            "4"
        );
        assert_eq!(
            q(QuestionType::GenerationsApart, "A", None, Some("D")).unwrap(),
            "4"
        );
        assert!(q(QuestionType::GenerationsApart, "X", None, Some("D")).is_err());
    }

    #[test]
    fn templates_read_right() {
        let mut rng = SeededRng::new(3);
        for _ in 0..50 {
            let s = link_sentence(
                &mut rng,
                Lang::En,
                "Ann Vane",
                Gender::Female,
                "Bo Quill",
                2,
            );
            assert!(s.contains("Ann Vane") && s.contains("Bo Quill"));
            assert!(!s.contains("father") && !s.contains(" child "), "{s}");
            assert!(s.contains("grand"), "{s}");
        }
    }

    #[test]
    fn layout_spends_every_link() {
        for links in 1..200 {
            for plain in [false, true] {
                let (main, families, branches) = layout(links, plain, SMALLEST_WITH_DISTRACTORS);
                assert_eq!(main + families.iter().sum::<usize>() + branches, links);
                assert!(main >= 1);
                assert!(families.iter().all(|&s| s >= 1));
                if !plain && links >= SMALLEST_WITH_DISTRACTORS {
                    assert!(!families.is_empty(), "{links} links: a distractor family");
                }
                if !plain && links >= 8 {
                    assert!(
                        families.len() >= 2,
                        "at least three roots defeat the shortcut"
                    );
                }
            }
        }
    }
}
