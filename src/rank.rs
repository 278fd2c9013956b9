use std::path::PathBuf;

use anyhow::{bail, Result};
use longforge_datasets::atomic;
use longforge_judges::rank::{rank, read_arena_battles, RankSettings, Ranking, Scale, Ties};

#[derive(clap::Args)]
pub struct Args {
    /// Battle files in the Chatbot Arena format (model_a, model_b, winner, question_id).
    #[arg(long, num_args = 1.., required = true)]
    battles: Vec<PathBuf>,
    /// Ratings as JSON; CSV and Markdown tables are written beside it (.csv, .md).
    #[arg(long)]
    out: PathBuf,
    /// How ties count: half (half a win each way, as FastChat and Arena-Hard count them), or
    /// rao-kupper (an outcome of their own, with a fitted tie parameter theta >= 1).
    #[arg(long, default_value = "half", value_parser = ["half", "rao-kupper"])]
    ties: String,
    #[arg(long, default_value = "elo", value_parser = ["elo", "logit"])]
    scale: String,
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

pub fn run(args: Args) -> Result<()> {
    if !(0.0..1.0).contains(&args.level) || args.level <= 0.0 {
        bail!("--level {} must be between 0 and 1 (e.g. 0.95)", args.level);
    }
    let mut battles = Vec::new();
    for file in &args.battles {
        battles.extend(read_arena_battles(file)?);
    }
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
        ties: if args.ties == "rao-kupper" {
            Ties::RaoKupper
        } else {
            Ties::Half
        },
        scale: if args.scale == "logit" {
            Scale::Logit
        } else {
            Scale::Elo
        },
        anchor,
        bootstrap: args.bootstrap,
        seed: args.seed,
        level: args.level,
        prior: args.prior,
    };
    let ranking = rank(&battles, 0, settings)?;
    let mut json = serde_json::to_vec_pretty(&ranking)?;
    json.push(b'\n');
    atomic::write(&args.out, &json)?;
    atomic::write(&args.out.with_extension("csv"), csv(&ranking).as_bytes())?;
    let table = markdown(&ranking);
    atomic::write(&args.out.with_extension("md"), table.as_bytes())?;
    print!("{table}");
    if ranking.degenerate_rounds > 0 {
        eprintln!(
            "{} of {} bootstrap rounds had no finite fit and were left out of the intervals",
            ranking.degenerate_rounds, ranking.settings.bootstrap
        );
    }
    Ok(())
}

fn csv(r: &Ranking) -> String {
    let mut out = String::from("model,rating,ci_low,ci_high,rank_low,rank_high,battles,win_rate\n");
    for x in &r.ratings {
        let model = if x.model.contains([',', '"']) {
            format!("\"{}\"", x.model.replace('"', "\"\""))
        } else {
            x.model.clone()
        };
        out.push_str(&format!(
            "{model},{},{},{},{},{},{},{}\n",
            x.rating, x.ci_low, x.ci_high, x.rank_low, x.rank_high, x.battles, x.win_rate
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
            "| {} | {} | {:.2} | {:.2} to {:.2} | {}-{} | {} | {:.3} |\n",
            i + 1,
            x.model,
            x.rating,
            x.ci_low,
            x.ci_high,
            x.rank_low,
            x.rank_high,
            x.battles,
            x.win_rate
        ));
    }
    out
}
