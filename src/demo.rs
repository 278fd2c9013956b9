use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use longforge_baselines::{answer_all, Baseline};
use longforge_datasets::{atomic, atomic::StagedDir, jsonl, Grade, Sample, Verdict};
use longforge_generators::Inputs;
use longforge_judges::absolute::{mean_grades, rule_grade};
use longforge_judges::pairwise::{self, matchups, Pairing};
use longforge_judges::rank::{rank, Battle, RankSettings, Scale, Ties};
use longforge_judges::reliability::{read_grades, read_judgments, reliability, Settings};
use longforge_judges::{summarise, AnswerSheet, Scoring};
use longforge_reports::{markdown, site, DatasetLine, Judging};
use serde_json::json;

use crate::generate::generate_into;

#[derive(clap::Args)]
pub struct Args {
    /// Where to write datasets, predictions, scores and report.md (replaced if it exists).
    #[arg(long, default_value = "demo-out")]
    out: PathBuf,
    /// Dataset seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// The whole flow offline: small NeedleBench, HoloBench, LongProc, NoCha-style and long-span QA
/// datasets, the four baselines, scores, a report.
pub fn run(registry: &crate::Registry, args: Args) -> Result<()> {
    let started = Instant::now();
    let stage = StagedDir::new(&args.out, true)?;
    let root = stage.path().to_path_buf();
    let datasets = [
        (
            "needlebench",
            "single",
            json!({"task": "single", "lengths": ["1k", "2k", "4k"], "depths": [0, 25, 50, 75, 100], "count": 2}),
        ),
        (
            "needlebench",
            "multi-retrieval",
            json!({"task": "multi-retrieval", "lengths": ["2k", "4k"], "depths": [10, 50, 90], "count": 4}),
        ),
        (
            "needlebench",
            "multi-reasoning",
            json!({"task": "multi-reasoning", "lengths": ["2k"], "depths": [0, 50], "needles": [4], "count": 4}),
        ),
        (
            "needlebench",
            "atc",
            json!({"task": "atc", "lengths": ["none", "2k"], "needles": [4, 8, 16], "count": 5}),
        ),
        (
            "needlebench",
            "atc-zh",
            json!({"task": "atc", "lang": "zh", "lengths": ["none"], "needles": [4, 8], "count": 5}),
        ),
        (
            "holobench",
            "holobench",
            json!({"lengths": ["4k", "8k"], "placement": ["begin", "middle", "end"], "relevant_tokens": ["1k"]}),
        ),
        // Pseudo-to-code is left out: scoring it compiles C++, which needs g++ and a second or
        // so an answer.
        (
            "longproc",
            "path-traversal",
            json!({"task": "path-traversal", "levels": ["0.5k", "2k"], "count": 3}),
        ),
        (
            "longproc",
            "countdown",
            json!({"task": "countdown", "levels": ["0.5k", "2k"], "count": 3}),
        ),
        (
            "longproc",
            "html-to-tsv",
            json!({"task": "html-to-tsv", "levels": ["0.5k"], "count": 3}),
        ),
        (
            "longproc",
            "tom-tracking",
            json!({"task": "tom-tracking", "levels": ["0.5k", "2k"], "count": 3}),
        ),
        (
            "longproc",
            "travel-planning",
            json!({"task": "travel-planning", "levels": ["0.5k", "2k"], "count": 3}),
        ),
        // Short books, so the demo stays quick; the pairs still need the whole book.
        (
            "nocha",
            "nocha",
            json!({"lengths": ["6k", "12k"], "count": 2, "pairs": 6}),
        ),
        // One book of the story world, with questions that need its whole timeline.
        (
            "longspan",
            "longspan",
            json!({"lengths": ["16k"], "count": 1, "questions": 12}),
        ),
    ];
    let baselines = [
        Baseline::Oracle,
        Baseline::NoisyOracle { error_rate: 0.3 },
        Baseline::Shortcut,
        Baseline::Random,
    ];
    let mut all_samples: Vec<Sample> = Vec::new();
    let mut all_scores = Vec::new();
    let mut all_judgments = Vec::new();
    let mut all_grades = Vec::new();
    let (mut judgment_files, mut grade_files) = (Vec::new(), Vec::new());
    let mut lines = Vec::new();
    let mut manifests = Vec::new();
    let mut scoring = Scoring::default();
    for (family, name, mut params) in datasets {
        let family = registry.get(family)?;
        params["seed"] = json!(args.seed);
        let dir = root.join("datasets").join(name);
        generate_into(
            family,
            params,
            &Inputs::default(),
            &dir,
            false,
            None,
            &mut |_, _| {},
        )?;
        let dataset = longforge_datasets::Dataset::open(&dir)?;
        scoring.add(family.name(), &dataset.manifest.scoring)?;
        let samples = &dataset.samples;
        eprintln!("demo: {name}: {} samples", samples.len());
        let mut predictions = Vec::new();
        for b in baselines {
            predictions.extend(answer_all(b, samples, &scoring)?);
        }
        let pred_path = root.join("predictions").join(format!("{name}.jsonl"));
        jsonl::write(&pred_path, &predictions)?;
        let mut scores = Vec::new();
        for p in &predictions {
            if let Some(s) = dataset.sample(&p.sample_id) {
                scores.extend(scoring.score(s, p)?);
            }
        }
        // The offline judge compares every pair of baselines on every question, both orders.
        let mut sheet = AnswerSheet::default();
        sheet.add(samples, predictions, &pred_path)?;
        let judgments = pairwise::rule::judge_all(
            &scoring,
            samples,
            &sheet,
            &matchups(&sheet, &Pairing::All)?,
        )?;
        let judgment_file = root.join("judgments").join(format!("{name}.jsonl"));
        jsonl::write(&judgment_file, &judgments)?;
        judgment_files.push(judgment_file);
        all_judgments.extend(judgments);
        // The same answers graded one at a time, for the absolute side of the comparison.
        let grades: Vec<Grade> = sheet
            .with_samples(samples)
            .into_iter()
            .map(|(s, a)| rule_grade(&scoring, s, a))
            .collect::<Result<_, _>>()?;
        let grade_file = root.join("grades").join(format!("{name}.jsonl"));
        jsonl::write(&grade_file, &grades)?;
        grade_files.push(grade_file);
        all_grades.extend(grades);
        jsonl::write(&root.join("scores").join(format!("{name}.jsonl")), &scores)?;
        lines.push(DatasetLine::from_manifest(name, &dataset.manifest));
        manifests.push((name.to_string(), dataset.manifest.clone()));
        all_samples.extend(dataset.samples);
        all_scores.extend(scores);
    }
    let summary = summarise(&all_samples, &all_scores, &scoring, 0.95)?;
    jsonl::write(&root.join("summary.jsonl"), &summary)?;
    let invalid = all_judgments
        .iter()
        .filter(|j| j.verdict == Verdict::Invalid)
        .count();
    let battles: Vec<Battle> = all_judgments
        .iter()
        .filter_map(|j| Battle::from_judgment(j.clone(), 1.0))
        .collect();
    let ranking = rank(
        &battles,
        invalid,
        RankSettings {
            ties: Ties::Half,
            scale: Scale::Elo,
            anchor: None,
            bootstrap: 200,
            seed: args.seed,
            level: 0.95,
            prior: 0.0,
            strong_win_weight: 1.0,
            control_length: false,
        },
    )?;
    // Which of the two methods ranks the baselines more consistently (`longforge reliability`).
    let reliability = reliability(
        Some(&read_judgments(&judgment_files)?),
        Some(&read_grades(&grade_files)?),
        Settings {
            splits: 200,
            bootstrap: 200,
            seed: args.seed,
            level: 0.95,
        },
    )?;
    let mut reliability_json = serde_json::to_vec_pretty(&reliability)?;
    reliability_json.push(b'\n');
    atomic::write(&root.join("reliability.json"), &reliability_json)?;
    let mut ranking_json = serde_json::to_vec_pretty(&ranking)?;
    ranking_json.push(b'\n');
    atomic::write(&root.join("ranking.json"), &ranking_json)?;
    let report = markdown(
        "longforge demo: NeedleBench, HoloBench, LongProc, NoCha-style claims and long-span QA with the built-in baselines",
        &lines,
        &summary,
        Some(&Judging {
            ranking: &ranking,
            mean_grades: mean_grades(&all_grades)
                .into_iter()
                .filter_map(|g| Some((g.model, g.mean?)))
                .collect(),
        }),
    )?;
    atomic::write(&root.join("report.md"), report.as_bytes())?;
    // The same figures as a site (`longforge report`), in site/.
    let site_files = site::build(&site::SiteInput {
        title: "longforge demo: the built-in baselines".into(),
        summary: summary.clone(),
        ranking: Some(ranking.clone()),
        judgments: vec![site::JudgmentFile {
            name: "judgments/*.jsonl".into(),
            judgments: all_judgments.clone(),
            settings: Some(pairwise::rule::settings()),
        }],
        grades: all_grades.clone(),
        datasets: manifests,
        previous: None,
    })?;
    for f in &site_files {
        let path = root.join("site").join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &f.bytes)?;
    }
    stage.commit()?;
    for line in report
        .lines()
        .skip_while(|l| !l.starts_with("## Leaderboard"))
        .take_while(|l| {
            !l.starts_with("## ") || l.starts_with("## Leaderboard") || l.starts_with("## Pairwise")
        })
        .filter(|l| !l.starts_with("Each task's column"))
    {
        println!("{line}");
    }
    println!(
        "\n## Relative or absolute\n\n{}",
        crate::reliability::table(&reliability)
    );
    println!(
        "{} samples, {} scores, {} judgments in {:.1} s; report: {}; site: {}",
        all_samples.len(),
        all_scores.len(),
        all_judgments.len(),
        started.elapsed().as_secs_f64(),
        args.out.join("report.md").display(),
        args.out.join("site").join("index.html").display()
    );
    Ok(())
}
