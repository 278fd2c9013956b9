use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use longforge_datasets::atomic;
use longforge_judges::rank::{rank, BattleSet, RankSettings, Ranking, Scale, Ties};

#[derive(clap::Args)]
pub struct Args {
    /// Judgment files from `longforge judge`, or battles in the Chatbot Arena format (model_a,
    /// model_b, winner in model_a|model_b|tie|tie (bothbad), question_id); both may be mixed.
    #[arg(long, num_args = 1.., required = true)]
    battles: Vec<PathBuf>,
    /// Ratings as JSON; CSV and Markdown tables are written beside it (.csv, .md).
    #[arg(long)]
    out: PathBuf,
    /// How ties count: half (half a win each way, as FastChat and Arena-Hard count them),
    /// rao-kupper (an outcome of their own, with a fitted theta >= 1) or davidson (an outcome
    /// of their own, most likely between equals, with a fitted nu >= 0).
    #[arg(long, value_enum, default_value_t = TiesArg::Half)]
    ties: TiesArg,
    /// How many battles a strong verdict (A>>B, B>>A) counts as; Arena-Hard uses 3.
    #[arg(long, default_value_t = 1.0)]
    strong_win_weight: f64,
    /// length: fit with the standardised length difference of the two answers as a covariate,
    /// as the style-controlled arena does (needs judgments; Arena battles have no lengths).
    #[arg(long, value_enum)]
    control: Option<ControlArg>,
    #[arg(long, value_enum, default_value_t = ScaleArg::Elo)]
    scale: ScaleArg,
    /// Fix this model's rating: --anchor MODEL RATING.
    #[arg(long, num_args = 2, value_names = ["MODEL", "RATING"])]
    anchor: Option<Vec<String>>,
    /// Bootstrap rounds over questions.
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    /// W virtual ties per model against the field, for battles with no finite fit.
    #[arg(long, default_value_t = 0.0)]
    prior: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TiesArg {
    Half,
    RaoKupper,
    Davidson,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ControlArg {
    Length,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ScaleArg {
    Elo,
    Logit,
}

/// Bootstrap rounds beyond which intervals no longer change and memory runs out first.
const MAX_BOOTSTRAP: usize = 100_000;

pub fn run(args: Args) -> Result<()> {
    let (csv_path, md_path) = (
        args.out.with_extension("csv"),
        args.out.with_extension("md"),
    );
    let inputs: Vec<&Path> = args.battles.iter().map(PathBuf::as_path).collect();
    crate::paths::refuse_clobbering(
        &[
            ("--out", args.out.as_path()),
            ("the CSV beside --out", csv_path.as_path()),
            ("the Markdown beside --out", md_path.as_path()),
        ],
        &inputs,
    )?;
    if !(0.0..1.0).contains(&args.level) || args.level <= 0.0 {
        bail!("--level {} must be between 0 and 1 (e.g. 0.95)", args.level);
    }
    if !args.prior.is_finite() || args.prior < 0.0 {
        bail!(
            "--prior {} must be a number of virtual ties, 0 or more",
            args.prior
        );
    }
    if args.bootstrap > MAX_BOOTSTRAP {
        bail!(
            "--bootstrap {} is more rounds than any interval needs; give at most {MAX_BOOTSTRAP}",
            args.bootstrap
        );
    }
    if let Some(rating) = args.anchor.as_ref().and_then(|a| a.get(1)) {
        if !rating.parse::<f64>().is_ok_and(f64::is_finite) {
            bail!("--anchor {rating}: the anchored rating must be a finite number");
        }
    }
    if !args.strong_win_weight.is_finite() || args.strong_win_weight < 1.0 {
        bail!(
            "--strong-win-weight {} must be a finite number, at least 1 (a strong win counts at least as one win)",
            args.strong_win_weight
        );
    }
    let mut set = BattleSet::default();
    let mut read: Vec<(PathBuf, &PathBuf)> = Vec::new();
    for file in &args.battles {
        let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
        if let Some((_, first)) = read.iter().find(|(c, _)| *c == canonical) {
            bail!(
                "--battles names {} twice (also as {}); each battle counts once",
                file.display(),
                first.display()
            );
        }
        set.read(file, args.strong_win_weight)?;
        read.push((canonical, file));
    }
    let (battles, invalid) = (set.battles, set.invalid);
    let anchor = match args.anchor.as_deref() {
        Some([model, rating]) => Some((
            model.clone(),
            rating.parse::<f64>().map_err(|_| {
                anyhow::anyhow!("--anchor {model} {rating}: the rating must be a number")
            })?,
        )),
        _ => None,
    };
    let settings = RankSettings {
        ties: match args.ties {
            TiesArg::Half => Ties::Half,
            TiesArg::RaoKupper => Ties::RaoKupper,
            TiesArg::Davidson => Ties::Davidson,
        },
        scale: match args.scale {
            ScaleArg::Elo => Scale::Elo,
            ScaleArg::Logit => Scale::Logit,
        },
        anchor,
        bootstrap: args.bootstrap,
        seed: args.seed,
        level: args.level,
        prior: args.prior,
        strong_win_weight: args.strong_win_weight,
        control_length: args.control == Some(ControlArg::Length),
    };
    let ranking = rank(&battles, invalid, settings)?;
    let mut json = serde_json::to_vec_pretty(&ranking)?;
    json.push(b'\n');
    atomic::write(&args.out, &json)?;
    atomic::write(&args.out.with_extension("csv"), csv(&ranking).as_bytes())?;
    let table = markdown(&ranking);
    atomic::write(&args.out.with_extension("md"), table.as_bytes())?;
    print!("{table}");
    if let Some(t) = ranking.tie_parameter {
        let name = if ranking.settings.ties == Ties::Davidson {
            "nu"
        } else {
            "theta"
        };
        eprintln!("tie parameter {name} = {t:.4}");
    }
    if ranking.invalid > 0 {
        eprintln!(
            "{} invalid verdicts were left out of the fit",
            ranking.invalid
        );
    }
    if let (Some(beta), Some([lo, hi])) =
        (ranking.length_coefficient, ranking.length_coefficient_ci)
    {
        eprintln!(
            "length coefficient {beta:.3} ({lo:.3} to {hi:.3}) logits per standard deviation of the length difference"
        );
    }
    if ranking.rounds_without_a_model > 0 {
        eprintln!(
            "{} of {} bootstrap rounds left some model without a battle",
            ranking.rounds_without_a_model, ranking.settings.bootstrap
        );
    }
    if ranking.degenerate_rounds > 0 {
        eprintln!(
            "{} of {} bootstrap rounds had no finite fit: models that won or lost every battle in them count as unbounded there; intervals from fewer rounds are marked",
            ranking.degenerate_rounds, ranking.settings.bootstrap
        );
    }
    Ok(())
}

/// An interval bound as text: "unbounded" where it has none; `decimals` for people.
fn bound(value: Option<f64>, decimals: Option<usize>) -> String {
    match (value, decimals) {
        (None, _) => "unbounded".into(),
        (Some(v), Some(d)) => format!("{v:.d$}"),
        (Some(v), None) => v.to_string(),
    }
}

fn csv(r: &Ranking) -> String {
    let mut out = String::from(
        "model,rating,ci_low,ci_high,interval_rounds,partial_interval,rank_low,rank_high,battles,win_rate\n",
    );
    for x in &r.ratings {
        let model = if x.model.contains([',', '"']) {
            format!("\"{}\"", x.model.replace('"', "\"\""))
        } else {
            x.model.clone()
        };
        out.push_str(&format!(
            "{model},{},{},{},{},{},{},{},{},{}\n",
            x.rating,
            bound(x.ci_low, None),
            bound(x.ci_high, None),
            x.interval_rounds,
            x.partial_interval,
            x.rank_low,
            x.rank_high,
            x.battles,
            x.win_rate
        ));
    }
    out
}

fn markdown(r: &Ranking) -> String {
    let mut out = format!(
        "| rank | model | rating | {:.0}% interval | rank range | battles | win rate |\n|---:|---|---:|---|---|---:|---:|\n",
        r.settings.level * 100.0
    );
    for (i, x) in r.ratings.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {:.2} | {} to {}{} | {}-{} | {} | {:.3} |\n",
            i + 1,
            x.model,
            x.rating,
            bound(x.ci_low, Some(2)),
            bound(x.ci_high, Some(2)),
            if x.partial_interval {
                format!(" (from {} rounds)", x.interval_rounds)
            } else {
                String::new()
            },
            x.rank_low,
            x.rank_high,
            x.battles,
            x.win_rate
        ));
    }
    let mut notes = vec![
        format!(
            "ties counted {}",
            serde_json::to_value(r.settings.ties)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        ),
        format!(
            "{} bootstrap rounds over questions, {} with a finite fit{}",
            r.settings.bootstrap,
            r.settings.bootstrap - r.degenerate_rounds,
            if r.degenerate_rounds > 0 {
                " (in the others a model that won or lost every battle is unbounded, and the rest are left out of their intervals; rank ranges come from the rounds with a fit)"
            } else {
                ""
            }
        ),
        format!("{} invalid verdicts left out", r.invalid),
    ];
    if let Some(t) = r.tie_parameter {
        notes.push(format!("tie parameter {t:.4}"));
    }
    if let Some(beta) = r.length_coefficient {
        notes.push(format!(
            "length coefficient {beta:.3} logits per standard deviation"
        ));
    }
    out.push_str(&format!("\n{}.\n", notes.join("; ")));
    out
}
