//! One labelled row per item, a value and its interval: Bradley-Terry ratings, a judge's
//! first-shown win rate, each model's share of TRUE answers. The value is also written at the
//! row's end, so the picture reads without its axis.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{clip, text, PlotError};

/// One row: a label, a value and its interval bounds (`None` where unbounded or undefined;
/// an unbounded side is drawn to the axis's edge with an arrow head).
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    pub label: String,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

const ROW_H: i32 = 22;
const PLOT_W: i32 = 420;

/// The SVG text of a forest plot over `x` (the value range drawn; values outside are clamped),
/// rows in the order given; `reference` draws a dashed level (such as 0.5).
pub fn forest(
    title: &str,
    value_name: &str,
    rows: &[ForestRow],
    x: (f64, f64),
    reference: Option<f64>,
) -> Result<String, PlotError> {
    let fail = |e: &dyn std::fmt::Display| PlotError::new(title, e);
    let labels: Vec<String> = rows.iter().map(|r| clip(&r.label, 40)).collect();
    let left = 20 + 7 * labels.iter().map(|l| l.chars().count()).max().unwrap_or(6) as i32;
    let top = 44;
    let height = top + ROW_H * rows.len().max(1) as i32 + 50;
    let width = (left + PLOT_W + 90).max(20 + 8 * title.chars().count() as i32);
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        root.draw(&Text::new(
            title.to_string(),
            (10, 8),
            text(15, HPos::Left, VPos::Top),
        ))
        .map_err(|e| fail(&e))?;
        let (plot_area, _) = root.split_horizontally(left + PLOT_W);
        let n = rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(top)
            .x_label_area_size(40)
            .y_label_area_size(left)
            .build_cartesian_2d(x.0..x.1, -0.5f64..(n - 0.5))
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(6)
            .x_desc(value_name)
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(|e| fail(&e))?;
        // Row 0 at the top.
        let at = |v: f64, row: usize| {
            chart
                .as_coord_spec()
                .translate(&(v.clamp(x.0, x.1), n - 1.0 - row as f64))
        };
        if let Some(r) = reference {
            let (a, b) = (at(r, 0), at(r, rows.len().saturating_sub(1)));
            let mut yy = a.1 - ROW_H / 2;
            while yy < b.1 + ROW_H / 2 {
                root.draw(&PathElement::new(
                    vec![(a.0, yy), (a.0, yy + 6)],
                    BLACK.stroke_width(1),
                ))
                .map_err(|e| fail(&e))?;
                yy += 12;
            }
        }
        for (i, (row, label)) in rows.iter().zip(&labels).enumerate() {
            let centre = at(row.value, i);
            root.draw(&Text::new(
                label.clone(),
                (left - 8, centre.1),
                text(12, HPos::Right, VPos::Center),
            ))
            .map_err(|e| fail(&e))?;
            let lo = at(row.low.unwrap_or(x.0), i);
            let hi = at(row.high.unwrap_or(x.1), i);
            root.draw(&PathElement::new(vec![lo, hi], BLACK.stroke_width(2)))
                .map_err(|e| fail(&e))?;
            for (end, open, dir) in [(lo, row.low.is_none(), -1), (hi, row.high.is_none(), 1)] {
                let cap = if open {
                    // An arrow head: unbounded on this side.
                    vec![
                        (end.0 - 5 * dir, end.1 - 4),
                        end,
                        (end.0 - 5 * dir, end.1 + 4),
                    ]
                } else {
                    vec![(end.0, end.1 - 5), (end.0, end.1 + 5)]
                };
                root.draw(&PathElement::new(cap, BLACK.stroke_width(1)))
                    .map_err(|e| fail(&e))?;
            }
            root.draw(&Rectangle::new(
                [(centre.0 - 4, centre.1 - 4), (centre.0 + 4, centre.1 + 4)],
                BLACK.filled(),
            ))
            .map_err(|e| fail(&e))?;
            root.draw(&Text::new(
                number(row.value),
                (left + PLOT_W + 8, centre.1),
                text(12, HPos::Left, VPos::Center),
            ))
            .map_err(|e| fail(&e))?;
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

/// A value as the row's end shows it: ratings in whole points, shares to two places.
fn number(v: f64) -> String {
    if v.abs() >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_order_and_carry_their_values() {
        let rows = vec![
            ForestRow {
                label: "oracle".into(),
                value: 1150.4,
                low: Some(1138.0),
                high: None,
            },
            ForestRow {
                label: "random".into(),
                value: 878.0,
                low: Some(862.3),
                high: Some(894.5),
            },
        ];
        let svg = forest("Ratings", "rating (elo)", &rows, (800.0, 1200.0), None).unwrap();
        let (a, b) = (
            svg.find("\noracle\n").unwrap(),
            svg.find("\nrandom\n").unwrap(),
        );
        assert!(a < b);
        assert!(svg.contains("\n1150\n") && svg.contains("\n878\n"), "{svg}");
    }
}
