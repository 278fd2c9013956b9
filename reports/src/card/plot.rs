//! `evidence.svg`: each sample with evidence as a point, dispersion across, scope up (log
//! scale), a marker shape per task so the picture reads in grey scale, and the legend beside
//! the plot so it never hides a point.
//!
//! Drawn with plotters' SVG backend and no font feature: an SVG names a font family and the
//! viewer draws the text, so plotters only estimates text sizes for the layout (its built-in
//! estimate, the same on every machine), and the bytes depend on the data alone.

use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::evidence::EvidenceGroup;
use crate::ReportError;

/// At most this many points are drawn; past it, every k-th sample of each group (in file order),
/// so the file stays small at any dataset size. The table covers every sample.
pub(crate) const MAX_POINTS: usize = 5_000;

const WIDTH: u32 = 760;
const HEIGHT: u32 = 480;
const LEGEND_WIDTH: u32 = 170;

/// Dark, distinct colours; the shapes carry the distinction in grey scale.
const COLOURS: [RGBColor; 6] = [
    RGBColor(0, 0, 0),
    RGBColor(0, 90, 181),
    RGBColor(220, 50, 32),
    RGBColor(64, 64, 64),
    RGBColor(0, 130, 60),
    RGBColor(140, 80, 0),
];

/// The marker shapes, one per task in turn.
#[derive(Debug, Clone, Copy)]
enum Shape {
    FilledCircle,
    OpenTriangle,
    Cross,
    OpenSquare,
    FilledDiamond,
    OpenCircle,
    FilledSquare,
    OpenDiamond,
}

const SHAPES: [Shape; 8] = [
    Shape::FilledCircle,
    Shape::OpenTriangle,
    Shape::Cross,
    Shape::OpenSquare,
    Shape::FilledDiamond,
    Shape::OpenCircle,
    Shape::FilledSquare,
    Shape::OpenDiamond,
];

/// What was drawn: the picture, and every how-many-th sample it shows (1: all).
pub(crate) struct Picture {
    pub svg: String,
    pub every: usize,
    pub points: usize,
}

/// The scatter of `groups`' samples with evidence; `None` when no sample has any.
pub(crate) fn scatter(groups: &[EvidenceGroup]) -> Result<Option<Picture>, ReportError> {
    let total: usize = groups.iter().map(|g| g.measured()).sum();
    if total == 0 {
        return Ok(None);
    }
    let every = total.div_ceil(MAX_POINTS);
    let mut tasks: Vec<&str> = Vec::new();
    for g in groups {
        if g.measured() > 0 && !tasks.contains(&g.task.as_str()) {
            tasks.push(&g.task);
        }
    }
    // Points by task, drawn task by task.
    let mut points: Vec<Vec<(f64, f64)>> = vec![Vec::new(); tasks.len()];
    for g in groups {
        if let Some(t) = tasks.iter().position(|t| *t == g.task) {
            points[t].extend(
                g.dispersion
                    .iter()
                    .zip(&g.scope)
                    .step_by(every)
                    .map(|(d, s)| (*d, *s)),
            );
        }
    }
    let (low, high) = log_range(points.iter().flatten().map(|p| p.1));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let (plot_area, legend_area) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let mut chart = ChartBuilder::on(&plot_area)
            .caption(
                "Evidence: dispersion against scope (Goldman et al. 2024)",
                ("sans-serif", 17),
            )
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(70)
            .build_cartesian_2d(
                0f64..1f64,
                (low..high)
                    .log_scale()
                    .with_key_points(log_ticks(low, high)),
            )
            .map_err(plot_error)?;
        chart
            .configure_mesh()
            .x_desc("dispersion: (last evidence end - first evidence start) / context characters")
            .y_desc("scope: evidence tokens / context tokens (log)")
            .axis_desc_style(("sans-serif", 13))
            .label_style(("sans-serif", 12))
            .x_label_formatter(&|x| format!("{x:.1}"))
            .y_label_formatter(&|y| super::number(*y))
            .max_light_lines(1)
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(200, 200, 200))
            .axis_style(BLACK)
            .draw()
            .map_err(plot_error)?;
        for (t, task_points) in points.iter().enumerate() {
            let (shape, colour) = style_of(t);
            chart
                .draw_series(task_points.iter().map(|&(d, s)| Marker {
                    at: (d.clamp(0.0, 1.0), s.clamp(low, high)),
                    shape,
                    colour,
                }))
                .map_err(plot_error)?;
        }
        legend(&legend_area, &tasks)?;
        root.present().map_err(plot_error)?;
    }
    Ok(Some(Picture {
        svg,
        every,
        points: points.iter().map(Vec::len).sum(),
    }))
}

/// Task `t`'s marker shape and colour.
fn style_of(t: usize) -> (Shape, RGBColor) {
    (SHAPES[t % SHAPES.len()], COLOURS[t % COLOURS.len()])
}

/// Whole powers of ten around the positive values (a zero scope sits on the floor), at least
/// one decade apart.
fn log_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| *v > 0.0 && v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (1e-3, 1.0);
    }
    let lo = 10f64.powf(lo.log10().floor());
    let hi = 10f64.powf(hi.log10().ceil()).max(lo * 10.0);
    (lo, hi)
}

/// 1, 2 and 5 times each power of ten in [`low`, `high`] (1 alone past four decades).
fn log_ticks(low: f64, high: f64) -> Vec<f64> {
    let decades = (high / low).log10().round() as i32;
    let first = low.log10().round() as i32;
    let steps: &[f64] = if decades > 4 {
        &[1.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    let mut ticks = Vec::new();
    for power in first..=first + decades {
        for step in steps {
            let tick = step * 10f64.powi(power);
            if tick <= high * (1.0 + 1e-9) {
                ticks.push(tick);
            }
        }
    }
    ticks
}

/// One marker at `at` (data coordinates in the chart, pixels in the legend), drawn by hand so
/// every shape is one element type whatever the backend's lifetime.
struct Marker<C> {
    at: C,
    shape: Shape,
    colour: RGBColor,
}

impl<'a, C: 'a> PointCollection<'a, C> for &'a Marker<C> {
    type Point = &'a C;
    type IntoIter = std::iter::Once<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Marker<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = points.next() else {
            return Ok(());
        };
        let filled = self.colour.filled();
        let line = self.colour.stroke_width(1);
        let diamond = vec![(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y), (x, y - 5)];
        match self.shape {
            Shape::FilledCircle => backend.draw_circle((x, y), 3, &filled, true),
            Shape::OpenCircle => backend.draw_circle((x, y), 4, &line, false),
            Shape::OpenTriangle => backend.draw_path(
                vec![(x, y - 5), (x + 5, y + 4), (x - 5, y + 4), (x, y - 5)],
                &line,
            ),
            Shape::Cross => {
                backend.draw_line((x - 4, y - 4), (x + 4, y + 4), &line)?;
                backend.draw_line((x - 4, y + 4), (x + 4, y - 4), &line)
            }
            Shape::OpenSquare => backend.draw_rect((x - 4, y - 4), (x + 4, y + 4), &line, false),
            Shape::FilledSquare => backend.draw_rect((x - 3, y - 3), (x + 3, y + 3), &filled, true),
            Shape::FilledDiamond => backend.fill_polygon(diamond, &filled),
            Shape::OpenDiamond => backend.draw_path(diamond, &line),
        }
    }
}

/// The tasks' markers and names, one a line, beside the plot.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    tasks: &[&str],
) -> Result<(), ReportError> {
    let font = ("sans-serif", 13).into_font().color(&BLACK);
    area.draw(&Text::new("task", (10, 48), font.clone()))
        .map_err(plot_error)?;
    for (t, task) in tasks.iter().enumerate() {
        let (shape, colour) = style_of(t);
        let y = 76 + 22 * t as i32;
        area.draw(&Marker {
            at: (18, y),
            shape,
            colour,
        })
        .map_err(plot_error)?;
        area.draw(&Text::new(task.to_string(), (32, y - 7), font.clone()))
            .map_err(plot_error)?;
    }
    Ok(())
}

fn plot_error(e: impl std::fmt::Display) -> ReportError {
    ReportError::Plot(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(task: &str, values: &[(f64, f64)]) -> EvidenceGroup {
        EvidenceGroup {
            task: task.into(),
            target_tokens: Some(4000),
            samples: values.len() as u64 + 1,
            dispersion: values.iter().map(|v| v.0).collect(),
            scope: values.iter().map(|v| v.1).collect(),
        }
    }

    #[test]
    fn a_picture_names_every_task_and_draws_the_same_bytes_twice() {
        let groups = [
            group("single", &[(0.0, 0.0004), (0.1, 0.0006)]),
            group("atc", &[(0.9, 0.02), (0.5, 0.0)]),
            group("claims", &[(0.7, 0.3)]),
        ];
        let a = scatter(&groups).unwrap().unwrap();
        let b = scatter(&groups).unwrap().unwrap();
        assert_eq!(a.svg, b.svg);
        assert_eq!((a.points, a.every), (5, 1));
        for task in ["single", "atc", "claims", "dispersion", "scope"] {
            assert!(a.svg.contains(task), "{task} is not in the picture");
        }
        assert!(!a.svg.contains("NaN"));
        if let Ok(path) = std::env::var("LONGFORGE_WRITE_PICTURE") {
            std::fs::write(path, &a.svg).unwrap();
        }
    }

    #[test]
    fn no_evidence_no_picture_and_many_samples_are_thinned() {
        assert!(scatter(&[group("t", &[])]).unwrap().is_none());
        let many: Vec<(f64, f64)> = (0..12_000).map(|i| (i as f64 / 12_000.0, 0.01)).collect();
        let p = scatter(&[group("t", &many)]).unwrap().unwrap();
        assert_eq!(p.every, 3);
        assert_eq!(p.points, 4_000);
    }

    #[test]
    fn log_ticks_mark_each_decade() {
        assert_eq!(log_ticks(0.1, 1.0), [0.1, 0.2, 0.5, 1.0]);
        assert_eq!(log_ticks(1e-6, 1.0).len(), 7);
    }
}
