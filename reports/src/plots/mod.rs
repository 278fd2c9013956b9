//! The leaderboard's pictures, drawn as SVG with `plotters`.
//!
//! Three shapes cover every picture the site draws: a [`heatmap`] (a value per cell of two
//! categorical axes, written in the cell), a [`dots`] chart (series of values with intervals
//! over a categorical axis, optionally joined), and a [`forest`] plot (one labelled row per
//! item: a value and its interval). Every picture must read in grey scale: cells carry their
//! number, series differ by marker shape and fill and are named in a legend, never by colour
//! alone. Text is escaped by plotters' SVG backend, so a model named `</svg><script>`
//! is drawn as those characters.
//!
//! plotters is built without a font engine: the SVG backend writes text as `<text>` for the
//! browser to lay out, and plotters estimates label sizes from the character count, which is
//! all the layout here relies on.

mod dots;
mod forest;
mod heatmap;

pub use dots::{dots, Point, Series};
pub use forest::{forest, ForestRow};
pub use heatmap::{heatmap, Heatmap};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A drawing failed inside plotters (the message is its own).
#[derive(Debug, thiserror::Error)]
#[error("drawing {picture}: {message}")]
pub struct PlotError {
    pub picture: String,
    pub message: String,
}

impl PlotError {
    fn new(picture: &str, e: impl std::fmt::Display) -> Self {
        PlotError {
            picture: picture.to_string(),
            message: e.to_string(),
        }
    }
}

const FONT: &str = "sans-serif";

/// A grey for a value in `[0, 1]`: white at 0, near black at 1.
fn grey(value: f64) -> RGBColor {
    let v = (255.0 - value.clamp(0.0, 1.0) * 215.0).round() as u8;
    RGBColor(v, v, v)
}

/// The ink that reads on `grey(value)`.
fn ink_on(value: f64) -> RGBColor {
    if value > 0.55 {
        WHITE
    } else {
        BLACK
    }
}

/// Series inks: all dark enough to read on white, told apart by marker, not by this.
fn series_ink(i: usize) -> RGBColor {
    const INKS: [RGBColor; 4] = [
        RGBColor(0, 0, 0),
        RGBColor(70, 70, 70),
        RGBColor(110, 110, 110),
        RGBColor(40, 40, 40),
    ];
    INKS[i % INKS.len()]
}

/// A text style of `size` pixels anchored at `h`, `v` (plotters writes a font size of the
/// requested one over 1.24, so it is asked for 1.24 times the size wanted).
fn text(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle::from((FONT, f64::from(size) * 1.24).into_font()).pos(Pos::new(h, v))
}

/// Marker `i` (cycling through six shapes, filled then hollow) at pixel `at`.
fn marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    i: usize,
    at: (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let ink = series_ink(i);
    let style = if (i / 6).is_multiple_of(2) {
        ink.filled()
    } else {
        ink.stroke_width(2)
    };
    let (x, y) = at;
    match i % 6 {
        0 => area.draw(&Circle::new(at, 4, style)),
        1 => area.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], style)),
        2 => area.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)],
            style,
        )),
        3 => area.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)],
            style,
        )),
        4 => area.draw(&Polygon::new(
            vec![(x - 5, y - 4), (x + 5, y - 4), (x, y + 5)],
            style,
        )),
        _ => {
            let s = ink.stroke_width(2);
            area.draw(&PathElement::new(vec![(x - 4, y - 4), (x + 4, y + 4)], s))?;
            area.draw(&PathElement::new(vec![(x - 4, y + 4), (x + 4, y - 4)], s))
        }
    }
}

/// Cuts `s` to `max` characters, marking the cut, so one long name cannot push a picture out.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greys_run_from_white_to_dark_and_ink_stays_readable() {
        assert_eq!(grey(0.0), RGBColor(255, 255, 255));
        assert_eq!(grey(1.0), RGBColor(40, 40, 40));
        assert_eq!(grey(2.0), grey(1.0));
        assert_eq!(ink_on(0.9), WHITE);
        assert_eq!(ink_on(0.1), BLACK);
    }

    #[test]
    fn long_names_are_cut_and_marked() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("abcdefghijk", 5), "abcd…");
    }
}
