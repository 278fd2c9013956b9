//! Series of values with intervals over a categorical axis: a figure by length per model
//! (joined, as a line), or by claim kind or level (not joined). Each series has its own marker
//! and is named in the legend (names beside the lines' ends overlapped where lines meet).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{clip, marker, series_ink, text, PlotError};

/// One value and its interval bounds (each `None` where undefined).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// A named series: one point (or none) per category.
pub struct Series {
    pub name: String,
    pub points: Vec<Option<Point>>,
}

const CATEGORY_W: i32 = 90;
const PLOT_H: i32 = 240;

/// The SVG text of a dots chart. `y` is the value range drawn (values outside are clamped to
/// its edge); `reference` draws a dashed level (0.5 for a share that should be a half).
#[allow(clippy::too_many_arguments)]
pub fn dots(
    title: &str,
    category_axis: &str,
    value_name: &str,
    categories: &[String],
    series: &[Series],
    y: (f64, f64),
    joined: bool,
    reference: Option<f64>,
) -> Result<String, PlotError> {
    let fail = |e: &dyn std::fmt::Display| PlotError::new(title, e);
    let k = categories.len().max(1) as i32;
    // At least three slots wide, so one category still leaves room for the series' names.
    let slots = k.max(3);
    let legend_w = 24
        + 7 * series
            .iter()
            .map(|s| clip(&s.name, 32).chars().count())
            .max()
            .unwrap_or(6) as i32;
    let (left, top) = (60, 50);
    let width =
        (left + CATEGORY_W * slots + 40 + legend_w).max(20 + 8 * title.chars().count() as i32);
    let legend_h = 18 * series.len() as i32 + top + 10;
    let height = (top + PLOT_H + 50).max(legend_h);
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
        let plot_right = left + CATEGORY_W * slots;
        let (plot_area, _) = root.split_horizontally(plot_right);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(top)
            .margin_bottom(0)
            .x_label_area_size(40)
            .y_label_area_size(left)
            .build_cartesian_2d(-0.5f64..(k as f64 - 0.5), y.0..y.1)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_desc(value_name)
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(|e| fail(&e))?;
        let at = |x: f64, v: f64| chart.as_coord_spec().translate(&(x, v.clamp(y.0, y.1)));
        if let Some(r) = reference {
            let (a, b) = (at(-0.5, r), at(k as f64 - 0.5, r));
            let mut x = a.0;
            while x < b.0 {
                root.draw(&PathElement::new(
                    vec![(x, a.1), ((x + 6).min(b.0), a.1)],
                    BLACK.stroke_width(1),
                ))
                .map_err(|e| fail(&e))?;
                x += 12;
            }
        }
        let below = at(0.0, y.0).1 + 8;
        for (i, c) in categories.iter().enumerate() {
            root.draw(&Text::new(
                clip(c, 14),
                (at(i as f64, y.0).0, below),
                text(12, HPos::Center, VPos::Top),
            ))
            .map_err(|e| fail(&e))?;
        }
        root.draw(&Text::new(
            category_axis.to_string(),
            ((left + plot_right) / 2, below + 18),
            text(12, HPos::Center, VPos::Top),
        ))
        .map_err(|e| fail(&e))?;
        // Series side by side within a category, so intervals do not hide each other.
        let spread = 0.6 / series.len().max(1) as f64;
        for (s, line) in series.iter().enumerate() {
            let dx = (s as f64 - (series.len() as f64 - 1.0) / 2.0) * spread;
            let ink = series_ink(s);
            let mut drawn: Vec<(i32, i32)> = Vec::new();
            for (i, p) in line.points.iter().enumerate() {
                let Some(p) = p else { continue };
                let x = i as f64 + dx;
                if let (Some(lo), Some(hi)) = (p.low, p.high) {
                    let (a, b) = (at(x, lo), at(x, hi));
                    root.draw(&PathElement::new(vec![a, b], ink.stroke_width(1)))
                        .map_err(|e| fail(&e))?;
                    for end in [a, b] {
                        root.draw(&PathElement::new(
                            vec![(end.0 - 3, end.1), (end.0 + 3, end.1)],
                            ink.stroke_width(1),
                        ))
                        .map_err(|e| fail(&e))?;
                    }
                }
                drawn.push(at(x, p.value));
            }
            if joined && drawn.len() > 1 {
                root.draw(&PathElement::new(drawn.clone(), ink.stroke_width(1)))
                    .map_err(|e| fail(&e))?;
            }
            for &p in &drawn {
                marker(&root, s, p).map_err(|e| fail(&e))?;
            }
            let ly = top + 18 * s as i32 + 6;
            marker(&root, s, (plot_right + 30, ly)).map_err(|e| fail(&e))?;
            root.draw(&Text::new(
                clip(&line.name, 32),
                (plot_right + 42, ly),
                text(12, HPos::Left, VPos::Center),
            ))
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
    fn every_series_is_named_and_every_category_labelled() {
        let p = |v: f64| {
            Some(Point {
                value: v,
                low: Some(v - 0.1),
                high: Some(v + 0.1),
            })
        };
        let svg = dots(
            "needle_f1 by length",
            "length",
            "needle_f1",
            &["4k".into(), "32k".into(), "128k".into()],
            &[
                Series {
                    name: "model-a".into(),
                    points: vec![p(0.9), p(0.7), None],
                },
                Series {
                    name: "a\"b<c>".into(),
                    points: vec![p(0.5), p(0.4), p(0.2)],
                },
            ],
            (0.0, 1.0),
            true,
            Some(0.5),
        )
        .unwrap();
        for label in [
            "4k",
            "32k",
            "128k",
            "model-a",
            "a&quot;b&lt;c&gt;",
            "needle_f1",
        ] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
        assert!(!svg.contains("<c>"));
    }
}
