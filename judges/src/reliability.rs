//! Is the relative method more consistent and more discriminating than absolute grades?
//!
//! Bohnet et al. (2024, "Long-span question-answering: automatic question generation and
//! QA-system ranking via side-by-side evaluation", arXiv:2406.00179) find that comparing answers
//! in pairs and ranking the systems with Bradley-Terry is "a more consistent and differentiating
//! scoring mechanism than an absolute scorer that rates answers individually". They publish
//! neither code nor the measure behind the claim, so longforge measures it in two ways, for both
//! methods on the same systems and questions, so that any run can check it:
//!
//! - **Consistency** is split-half reliability: the questions are split at random into two
//!   halves, the systems are scored on each half alone, and the two scorings are rank-correlated
//!   (Spearman's rho and Kendall's tau-b). Many splits, each from its own seed, give a mean and a
//!   spread; the Spearman-Brown prophecy formula projects the mean rho from half the questions to
//!   all of them. When both methods are measured they see the very same splits.
//! - **Discrimination** is separation: the share of pairs of systems whose intervals at the
//!   chosen level do not overlap, the intervals coming from bootstrap resamples of questions
//!   (the same resamples for both methods, and for every system within a round).
//!
//! Relative scores are Bradley-Terry strengths in logits, fitted as [`crate::rank::rank`] fits
//! them with ties as half wins, a strong verdict counting as one win and no prior; absolute
//! scores are mean grades, as [`crate::absolute::mean_grades`] gives them.

mod correlation;
mod measures;
mod methods;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use longforge_datasets::{DatasetError, Grade};
use serde::Serialize;

use crate::absolute::GradeSet;
use crate::rank::{Battle, BattleSet, FitError};
use methods::{absolute, relative};

pub use correlation::{kendall_tau_b, spearman_brown, spearman_rho};

/// What to compute. Every figure is a function of the inputs and these settings alone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Settings {
    /// Random splits of the questions into halves; at least 1.
    pub splits: usize,
    /// Bootstrap rounds over questions behind each interval; at least 1.
    pub bootstrap: usize,
    pub seed: u64,
    /// Level of the intervals separation compares, strictly between 0 and 1.
    pub level: f64,
}

/// The two ways of scoring systems whose reliability is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Side-by-side verdicts ranked with Bradley-Terry.
    Relative,
    /// Each answer graded alone on the 1-10 rubric; a system's score is its mean grade.
    Absolute,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Relative => "relative",
            Method::Absolute => "absolute",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    pub settings: Settings,
    /// Present when both methods are measured: what was left out so that both score the same
    /// systems on the same questions.
    pub shared: Option<Shared>,
    /// Relative first, then absolute, for the methods given.
    pub methods: Vec<MethodReliability>,
}

/// What restricting both inputs to the systems and questions they share left out. A system
/// (question) is kept only if both inputs score it on the kept questions (systems), so the
/// restriction is repeated until nothing more drops.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shared {
    pub systems: usize,
    pub questions: usize,
    /// Sorted by name.
    pub systems_dropped_from_judgments: Vec<String>,
    pub systems_dropped_from_grades: Vec<String>,
    pub questions_dropped_from_judgments: usize,
    pub questions_dropped_from_grades: usize,
    /// Valid verdicts and readable grades left out with them.
    pub verdicts_dropped: usize,
    pub grades_dropped: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodReliability {
    pub method: Method,
    pub systems: usize,
    pub questions: usize,
    /// Records read but scored nowhere: invalid verdicts (relative), or grades that are null
    /// because the grader's reply held none (absolute).
    pub unreadable: usize,
    pub split_half: SplitHalf,
    pub separation: Separation,
    /// Each system's score on all the questions with its interval at `settings.level`, best
    /// first (ties by name): logits centred at zero (relative) or a mean grade in [1, 10]
    /// (absolute). A bound is `None` (null) where it is unbounded: in enough bootstrap rounds the
    /// system won, or lost, every battle it had.
    pub scores: Vec<SystemScore>,
}

/// Rank agreement between the scorings of two random halves of the questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitHalf {
    /// Splits asked for.
    pub splits: usize,
    /// Splits behind the figures below: `splits - without_fit - tied`.
    pub used: usize,
    /// Splits left out because a half gave some system no finite score: no battle, or only
    /// wins or only losses, in that half (relative); no grade in that half (absolute).
    pub without_fit: usize,
    /// Splits left out because a half scored every system alike, leaving no order to correlate.
    pub tied: usize,
    /// Spearman's rho between the halves' scores, in [-1, 1].
    pub rho: Spread,
    /// Kendall's tau-b between the halves' scores, in [-1, 1].
    pub tau_b: Spread,
    /// The Spearman-Brown projection `2 r / (1 + r)` of the mean rho: the reliability of a
    /// ranking on all the questions rather than half of them. `None` when no split was used.
    pub spearman_brown: Option<f64>,
}

/// A figure's mean over the splits used, and its 2.5th and 97.5th percentiles (numpy's linear
/// interpolation); all `None` (null) when no split was used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub mean: Option<f64>,
    pub p2_5: Option<f64>,
    pub p97_5: Option<f64>,
}

/// How many pairs of systems the method tells apart at `level`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Separation {
    pub level: f64,
    pub systems: usize,
    /// `systems (systems - 1) / 2`.
    pub pairs: usize,
    /// Pairs whose intervals do not overlap (one's upper bound below the other's lower bound).
    pub separated: usize,
    /// `separated / pairs`, in [0, 1]; `None` with fewer than two systems.
    pub share: Option<f64>,
    /// Bootstrap rounds in which some system had no score: no finite fit (relative; a system
    /// that won or lost everything counts as unbounded there, see [`crate::rank::Rating`]), or
    /// no grade among the drawn questions (absolute; that system's interval leaves the round
    /// out).
    pub incomplete_rounds: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemScore {
    pub system: String,
    pub score: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// Why reliability cannot be measured on the inputs given.
#[derive(Debug, thiserror::Error)]
pub enum ReliabilityError {
    #[error("nothing to measure: give judgments (from `longforge judge`), grades (from `longforge grade`), or both")]
    NoInput,
    #[error("no {0} to measure: the input holds none")]
    NoRecords(&'static str),
    #[error("{0}")]
    Settings(String),
    #[error("{path}: holds no {what}; give a file written by `longforge {command}`")]
    EmptyFile {
        path: PathBuf,
        what: &'static str,
        command: &'static str,
    },
    #[error("{method}: {found} {what}, and split-half reliability needs at least 2 (a ranking of two halves)")]
    TooFew {
        method: Method,
        what: &'static str,
        found: usize,
    },
    #[error("no judgments to measure: {}", crate::pairwise::all_invalid(*invalid))]
    AllInvalid { invalid: usize },
    #[error("no grades to measure: all {ungraded} grades are null (the grader's reply held no readable grade)")]
    AllUngraded { ungraded: usize },
    #[error("the judgments ({judged_systems} systems, {judged_questions} questions) and the grades ({graded_systems} systems, {graded_questions} questions) have {systems} systems judged and graded on the same {questions} questions, and both methods must score at least 2 systems on the same questions; were they made from the same predictions?")]
    NothingShared {
        judged_systems: usize,
        judged_questions: usize,
        graded_systems: usize,
        graded_questions: usize,
        systems: usize,
        questions: usize,
    },
    #[error("relative: the verdicts have no finite Bradley-Terry fit: they fall into groups that never beat (or never lose to) each other: {groups}; split-half reliability fits without a prior, so add battles between these groups")]
    NotConnected { groups: String },
    #[error("relative: {0}")]
    Fit(FitError),
    #[error(transparent)]
    Dataset(#[from] DatasetError),
}

impl Settings {
    /// Refuses settings that measure nothing; the messages name the command's flags.
    pub fn check(&self) -> Result<(), ReliabilityError> {
        if self.splits == 0 {
            return Err(ReliabilityError::Settings(
                "--splits 0 splits nothing; give at least 1 (200 is the default)".into(),
            ));
        }
        if self.bootstrap == 0 {
            return Err(ReliabilityError::Settings(
                "--bootstrap 0 leaves the intervals separation compares without rounds; give at least 1 (200 is the default)".into(),
            ));
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(ReliabilityError::Settings(format!(
                "--level {} must be between 0 and 1 (e.g. 0.95)",
                self.level
            )));
        }
        Ok(())
    }
}

/// Reads judgment files (or Arena-format battles) as `longforge rank` does, a strong verdict
/// counting as one win; a file that holds nothing is an error naming it.
pub fn read_judgments(paths: &[PathBuf]) -> Result<BattleSet, ReliabilityError> {
    let mut set = BattleSet::default();
    for path in paths {
        let before = set.battles.len() + set.invalid;
        set.read(path, 1.0)?;
        if set.battles.len() + set.invalid == before {
            return Err(empty(path, "judgments", "judge"));
        }
    }
    Ok(set)
}

/// Reads grade files ([`GradeSet::read`]); a file that holds nothing is an error naming it.
pub fn read_grades(paths: &[PathBuf]) -> Result<GradeSet, ReliabilityError> {
    let mut set = GradeSet::default();
    for path in paths {
        if set.read(path)? == 0 {
            return Err(empty(path, "grades", "grade"));
        }
    }
    Ok(set)
}

fn empty(path: &Path, what: &'static str, command: &'static str) -> ReliabilityError {
    ReliabilityError::EmptyFile {
        path: path.to_path_buf(),
        what,
        command,
    }
}

/// Split-half reliability and separation of each method given. With both, the methods are
/// measured on the systems and questions the two share ([`Shared`]).
///
/// Deterministic: the same inputs and settings give the same result, whatever the number of
/// threads, and whatever the order of the records (each score sums whole and half wins, or
/// whole grades, which floating point adds exactly in any order). Cost: `splits` pairs of fits plus `bootstrap` rounds per method; a
/// relative fit is quadratic in the systems and linear in the verdicts.
pub fn reliability(
    judgments: Option<&BattleSet>,
    grades: Option<&GradeSet>,
    settings: Settings,
) -> Result<Reliability, ReliabilityError> {
    settings.check()?;
    if judgments.is_none() && grades.is_none() {
        return Err(ReliabilityError::NoInput);
    }
    let mut battles: Option<Vec<&Battle>> = None;
    if let Some(set) = judgments {
        if set.battles.is_empty() {
            return Err(match set.invalid {
                0 => ReliabilityError::NoRecords("judgments"),
                invalid => ReliabilityError::AllInvalid { invalid },
            });
        }
        battles = Some(set.battles.iter().collect());
    }
    let mut graded: Option<Vec<&Grade>> = None;
    if let Some(set) = grades {
        let readable: Vec<&Grade> = set.grades.iter().filter(|g| g.grade.is_some()).collect();
        if readable.is_empty() {
            return Err(match set.grades.len() {
                0 => ReliabilityError::NoRecords("grades"),
                ungraded => ReliabilityError::AllUngraded { ungraded },
            });
        }
        graded = Some(readable);
    }
    let shared = match (&mut battles, &mut graded) {
        (Some(b), Some(g)) => Some(restrict(b, g)?),
        _ => None,
    };
    let mut methods = Vec::new();
    if let (Some(set), Some(battles)) = (judgments, &battles) {
        methods.push(relative(battles, set.invalid, settings)?);
    }
    if let (Some(set), Some(graded)) = (grades, &graded) {
        let unreadable = set.grades.len() - set.grades.iter().filter(|g| g.grade.is_some()).count();
        methods.push(absolute(graded, unreadable, settings)?);
    }
    Ok(Reliability {
        settings,
        shared,
        methods,
    })
}

/// Keeps, in both inputs, only the systems and questions both score, until nothing more drops.
fn restrict(
    battles: &mut Vec<&Battle>,
    grades: &mut Vec<&Grade>,
) -> Result<Shared, ReliabilityError> {
    let systems_of_battles = |b: &[&Battle]| -> BTreeSet<String> {
        b.iter()
            .flat_map(|b| [b.model_a.clone(), b.model_b.clone()])
            .collect()
    };
    let systems_of_grades =
        |g: &[&Grade]| -> BTreeSet<String> { g.iter().map(|g| g.model.clone()).collect() };
    let questions_of_battles =
        |b: &[&Battle]| -> BTreeSet<String> { b.iter().map(|b| b.question.clone()).collect() };
    let questions_of_grades =
        |g: &[&Grade]| -> BTreeSet<String> { g.iter().map(|g| g.question_id.clone()).collect() };
    let (verdicts, graded) = (battles.len(), grades.len());
    let (systems_b, systems_g) = (systems_of_battles(battles), systems_of_grades(grades));
    let (questions_b, questions_g) = (questions_of_battles(battles), questions_of_grades(grades));
    loop {
        let systems: BTreeSet<String> = systems_of_battles(battles)
            .intersection(&systems_of_grades(grades))
            .cloned()
            .collect();
        let questions: BTreeSet<String> = questions_of_battles(battles)
            .intersection(&questions_of_grades(grades))
            .cloned()
            .collect();
        let before = (battles.len(), grades.len());
        battles.retain(|b| {
            systems.contains(&b.model_a)
                && systems.contains(&b.model_b)
                && questions.contains(&b.question)
        });
        grades.retain(|g| systems.contains(&g.model) && questions.contains(&g.question_id));
        if (battles.len(), grades.len()) == before {
            if systems.len() < 2 || questions.is_empty() {
                return Err(ReliabilityError::NothingShared {
                    judged_systems: systems_b.len(),
                    judged_questions: questions_b.len(),
                    graded_systems: systems_g.len(),
                    graded_questions: questions_g.len(),
                    systems: systems.len(),
                    questions: questions.len(),
                });
            }
            return Ok(Shared {
                systems: systems.len(),
                questions: questions.len(),
                systems_dropped_from_judgments: systems_b.difference(&systems).cloned().collect(),
                systems_dropped_from_grades: systems_g.difference(&systems).cloned().collect(),
                questions_dropped_from_judgments: questions_b.len() - questions.len(),
                questions_dropped_from_grades: questions_g.len() - questions.len(),
                verdicts_dropped: verdicts - battles.len(),
                grades_dropped: graded - grades.len(),
            });
        }
    }
}
