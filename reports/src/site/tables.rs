//! The leaderboard for other tools and for reading as text: CSV (one row per model, a column
//! per bound), JSON (the [`Board`] as it is), and Markdown (the site's front page as a table).
//!
//! Numbers are written to four places in CSV and three in Markdown, so the files are the same
//! bytes for the same input on every machine. Untrusted text (model names) is escaped for each
//! format: quoted by the CSV writer, and in Markdown with `|`, `\`, `<`, `>`, `&`, backticks
//! and line breaks made inert, since Markdown renderers pass HTML through.

use super::figure::Figure;
use super::leaderboard::{Board, Row};
use super::SiteError;

/// The CSV text: `rank, model, overall (value, low, high, n), tasks_covered`, then per family
/// and per task the same four columns, then `rating, rating_low, rating_high, rank_low,
/// rank_high`, and with a comparison `previous_rank, rank_change, moved`.
pub fn csv(board: &Board) -> Result<Vec<u8>, SiteError> {
    let compared = board.rows.iter().any(|r| r.change.is_some());
    let mut header: Vec<String> = vec!["rank".into(), "model".into()];
    let four = |name: &str| {
        [
            name.to_string(),
            format!("{name}_low"),
            format!("{name}_high"),
            format!("{name}_n"),
        ]
    };
    header.extend(four("overall"));
    header.push("tasks_covered".into());
    for f in &board.families {
        header.extend(four(&inert_cell(&f.family)));
    }
    for t in board.tasks() {
        header.extend(four(&inert_cell(&format!("{}/{}", t.family, t.task))));
    }
    header.extend(
        [
            "rating",
            "rating_low",
            "rating_high",
            "rank_low",
            "rank_high",
        ]
        .map(String::from),
    );
    if compared {
        header.extend(["previous_rank", "rank_change", "moved"].map(String::from));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header)?;
    for row in &board.rows {
        w.write_record(csv_row(row, compared))?;
    }
    w.into_inner()
        .map_err(|e| SiteError::Write(e.error().to_string()))
}

fn csv_row(row: &Row, compared: bool) -> Vec<String> {
    let number = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.4}"));
    let four = |f: Option<Figure>| match f {
        Some(f) => [
            number(f.value),
            number(f.ci_low),
            number(f.ci_high),
            f.n.to_string(),
        ],
        None => Default::default(),
    };
    let mut out = vec![row.rank.to_string(), inert_cell(&row.model)];
    out.extend(four(Some(row.overall)));
    out.push(row.tasks_covered.to_string());
    for f in &row.families {
        out.extend(four(*f));
    }
    for t in &row.tasks {
        out.extend(four(*t));
    }
    match &row.rating {
        Some(r) => out.extend([
            format!("{:.1}", r.rating),
            r.ci_low.map_or_else(String::new, |v| format!("{v:.1}")),
            r.ci_high.map_or_else(String::new, |v| format!("{v:.1}")),
            r.rank_low.to_string(),
            r.rank_high.to_string(),
        ]),
        None => out.extend(std::iter::repeat_n(String::new(), 5)),
    }
    if compared {
        match &row.change {
            Some(c) => out.extend([
                c.previous_rank.map_or_else(String::new, |r| r.to_string()),
                c.rank_change
                    .map_or_else(|| "new".into(), |r| r.to_string()),
                inert_cell(
                    &c.moved
                        .iter()
                        .map(|m| format!("{} {}", m.figure, m.direction))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ]),
            None => out.extend(std::iter::repeat_n(String::new(), 3)),
        }
    }
    out
}

/// A name as a CSV cell a spreadsheet will not run: one starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return (a formula to Excel, LibreOffice and Google Sheets) gets a leading `'`,
/// as OWASP's advice on CSV injection has it.
pub fn inert_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A figure as one table cell: `0.812 [0.781, 0.840] n=400`, `-` where there is none.
pub fn figure_text(f: Option<&Figure>) -> String {
    let Some(f) = f else {
        return "-".into();
    };
    let Some(v) = f.value else {
        return format!("undefined n={}", f.n);
    };
    match (f.ci_low, f.ci_high) {
        (Some(lo), Some(hi)) => format!("{v:.3} [{lo:.3}, {hi:.3}] n={}", f.n),
        _ => format!("{v:.3} n={}", f.n),
    }
}

/// A rating as one table cell: `1150.4 [1138.6, 1161.9]`, unbounded sides named.
pub fn rating_text(r: &super::leaderboard::RatingCell) -> String {
    format!("{:.1} {}", r.rating, rating_interval_text(r))
}

/// A rating's interval alone: `[1138.6, 1161.9]`, unbounded sides named.
pub fn rating_interval_text(r: &super::leaderboard::RatingCell) -> String {
    let side = |v: Option<f64>| v.map_or_else(|| "unbounded".to_string(), |v| format!("{v:.1}"));
    format!("[{}, {}]", side(r.ci_low), side(r.ci_high))
}

/// Text made inert in a Markdown table cell.
pub fn md_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '`' => out.push_str("\\`"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The Markdown twin of the front page: the leaderboard table and what its figures are.
pub fn markdown(board: &Board, title: &str) -> String {
    let compared = board.rows.iter().any(|r| r.change.is_some());
    let rated = board.rows.iter().any(|r| r.rating.is_some());
    let mut md = format!("# {}\n\n", md_cell(title));
    let mut head = vec!["rank".to_string(), "model".into(), "overall".into()];
    head.extend(board.families.iter().map(|f| md_cell(&f.family)));
    head.extend(
        board
            .tasks()
            .map(|t| md_cell(&format!("{}/{}", t.family, t.task))),
    );
    if rated {
        head.extend(["rating".into(), "rank range".into()]);
    }
    if compared {
        head.push("change".into());
    }
    md.push_str(&format!("| {} |\n", head.join(" | ")));
    md.push_str(&format!(
        "|{}\n",
        head.iter()
            .enumerate()
            .map(|(i, _)| if i == 1 { "---|" } else { "---:|" })
            .collect::<String>()
    ));
    let total = board.tasks().count();
    for row in &board.rows {
        let mut cells = vec![row.rank.to_string(), md_cell(&row.model)];
        let mut overall = figure_text(Some(&row.overall));
        if row.tasks_covered < total && row.overall.value.is_some() {
            overall.push_str(&format!(" ({} of {total} tasks)", row.tasks_covered));
        }
        cells.push(overall);
        cells.extend(row.families.iter().map(|f| figure_text(f.as_ref())));
        cells.extend(row.tasks.iter().map(|f| figure_text(f.as_ref())));
        if rated {
            match &row.rating {
                Some(r) => {
                    cells.extend([rating_text(r), format!("{}-{}", r.rank_low, r.rank_high)])
                }
                None => cells.extend(["-".to_string(), "-".to_string()]),
            }
        }
        if compared {
            cells.push(row.change.as_ref().map_or_else(String::new, change_text));
        }
        md.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    let level = (board.level * 100.0).round();
    md.push_str(&format!(
        "\nEach figure is a value in [0, 1] with its {level}% interval and the samples (or pairs) behind it. \
A task's figure is its headline metric ({}); a family's is the mean of its tasks' figures and \
`overall` the mean of the families', with intervals pooled from the parts' standard errors.",
        board
            .tasks()
            .map(|t| format!("{}/{}: `{}`", md_cell(&t.family), md_cell(&t.task), md_cell(&t.metric)))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    if rated {
        md.push_str(" The rating is a Bradley-Terry fit of side-by-side verdicts, with its bootstrap interval and rank range.");
    }
    md.push('\n');
    if !board.dropped.is_empty() {
        md.push_str(&format!(
            "\nNo longer on the leaderboard: {}.\n",
            board
                .dropped
                .iter()
                .map(|m| md_cell(m))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    md
}

/// A row's change as text: `▲2`, `▼1`, `=`, or `new`, then the figures whose intervals no
/// longer overlap the previous ones.
pub fn change_text(c: &super::leaderboard::Change) -> String {
    let mut s = match c.rank_change {
        None => "new".to_string(),
        Some(0) => "=".to_string(),
        Some(d) if d > 0 => format!("▲{d}"),
        Some(d) => format!("▼{}", -d),
    };
    for m in &c.moved {
        s.push_str(&format!(
            "; {} {} ({})",
            md_cell(&m.figure),
            m.direction,
            figure_text(Some(&m.before))
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_names_are_no_formulas() {
        assert_eq!(inert_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert_cell("@SUM(1+1)"), "'@SUM(1+1)");
        assert_eq!(inert_cell("gpt-4o"), "gpt-4o");
    }

    #[test]
    fn markdown_cells_are_inert() {
        assert_eq!(
            md_cell("a|b<script>`x`[l](javascript:1)\n"),
            "a\\|b&lt;script&gt;\\`x\\`\\[l\\](javascript:1) "
        );
    }

    #[test]
    fn figures_read_as_value_interval_and_n() {
        let f = Figure {
            value: Some(0.8123),
            ci_low: Some(0.78),
            ci_high: Some(0.84),
            n: 400,
        };
        assert_eq!(figure_text(Some(&f)), "0.812 [0.780, 0.840] n=400");
        assert_eq!(figure_text(None), "-");
    }
}
