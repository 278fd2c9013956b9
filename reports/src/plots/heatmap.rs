//! A value per cell of two categorical axes (NeedleBench's length x depth, HoloBench's
//! placement x amount of relevant rows, the judge's win rates), each cell shaded and carrying its
//! number, so the picture reads without colour.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{clip, grey, ink_on, text, PlotError};

/// What a heatmap draws. `values[row][column]` pairs with `rows[row]` and `columns[column]`;
/// each value in `[0, 1]` (clamped for the shade, written as given), `None` for an empty cell.
pub struct Heatmap<'a> {
    pub title: &'a str,
    pub column_axis: &'a str,
    pub row_axis: &'a str,
    pub columns: Vec<String>,
    pub rows: Vec<String>,
    pub values: Vec<Vec<Option<f64>>>,
}

const CELL_W: i32 = 46;
const CELL_H: i32 = 26;

/// The SVG text of `h`. Column labels longer than 6 characters are written upright.
pub fn heatmap(h: &Heatmap) -> Result<String, PlotError> {
    let fail = |e: &dyn std::fmt::Display| PlotError::new(h.title, e);
    let row_labels: Vec<String> = h.rows.iter().map(|r| clip(r, 28)).collect();
    let column_labels: Vec<String> = h.columns.iter().map(|c| clip(c, 28)).collect();
    let upright = column_labels.iter().any(|c| c.chars().count() > 6);
    let left = 20
        + 7 * row_labels
            .iter()
            .map(|r| r.chars().count())
            .max()
            .unwrap_or(4) as i32;
    let top = 56;
    let bottom = if upright {
        16 + 6 * column_labels
            .iter()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(4) as i32
    } else {
        40
    };
    let title_w = 20 + 8 * h.title.chars().count() as i32;
    let width = (left + CELL_W * h.columns.len() as i32 + 20).max(title_w);
    let height = top + CELL_H * h.rows.len() as i32 + bottom;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width as u32, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        root.draw(&Text::new(
            h.title.to_string(),
            (10, 8),
            text(15, HPos::Left, VPos::Top),
        ))
        .map_err(|e| fail(&e))?;
        root.draw(&Text::new(
            format!("rows: {}; columns: {}", h.row_axis, h.column_axis),
            (10, 30),
            text(12, HPos::Left, VPos::Top),
        ))
        .map_err(|e| fail(&e))?;
        for (r, label) in row_labels.iter().enumerate() {
            let y = top + CELL_H * r as i32;
            root.draw(&Text::new(
                label.clone(),
                (left - 8, y + CELL_H / 2),
                text(12, HPos::Right, VPos::Center),
            ))
            .map_err(|e| fail(&e))?;
            for c in 0..h.columns.len() {
                let x = left + CELL_W * c as i32;
                let value = h
                    .values
                    .get(r)
                    .and_then(|row| row.get(c))
                    .copied()
                    .flatten();
                let cell = [(x, y), (x + CELL_W - 1, y + CELL_H - 1)];
                match value {
                    Some(v) => {
                        root.draw(&Rectangle::new(cell, grey(v).filled()))
                            .map_err(|e| fail(&e))?;
                        root.draw(&Text::new(
                            format!("{v:.2}"),
                            (x + CELL_W / 2, y + CELL_H / 2),
                            text(11, HPos::Center, VPos::Center).color(&ink_on(v)),
                        ))
                        .map_err(|e| fail(&e))?;
                    }
                    None => {
                        root.draw(&Rectangle::new(
                            cell,
                            RGBColor(200, 200, 200).stroke_width(1),
                        ))
                        .map_err(|e| fail(&e))?;
                        root.draw(&Text::new(
                            "–".to_string(),
                            (x + CELL_W / 2, y + CELL_H / 2),
                            text(11, HPos::Center, VPos::Center),
                        ))
                        .map_err(|e| fail(&e))?;
                    }
                }
            }
        }
        let below = top + CELL_H * h.rows.len() as i32 + 6;
        for (c, label) in column_labels.iter().enumerate() {
            let x = left + CELL_W * c as i32 + CELL_W / 2;
            let style = if upright {
                text(12, HPos::Left, VPos::Center).transform(FontTransform::Rotate90)
            } else {
                text(12, HPos::Center, VPos::Top)
            };
            root.draw(&Text::new(label.clone(), (x, below), style))
                .map_err(|e| fail(&e))?;
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_carries_its_number_and_names_are_escaped() {
        let svg = heatmap(&Heatmap {
            title: "needle_f1 of <b>model</b>",
            column_axis: "length",
            row_axis: "depth",
            columns: vec!["4k".into(), "8k".into()],
            rows: vec!["0".into(), "</svg><script>x()</script>".into()],
            values: vec![vec![Some(1.0), Some(0.25)], vec![None, Some(0.5)]],
        })
        .unwrap();
        for number in ["1.00", "0.25", "0.50"] {
            assert!(svg.contains(number), "{number}");
        }
        assert!(!svg.contains("<script>") && !svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;/svg&gt;"));
        assert_eq!(svg.matches("</svg>").count(), 1);
    }
}
