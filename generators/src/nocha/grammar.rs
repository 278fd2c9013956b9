//! A small sentence grammar: templates with `{slot}` markers, each filled from the caller's
//! values (a person's name, a place) or drawn from a named word list, whose entries may hold
//! slots of their own. `{^slot}` capitalises what it is filled with, for a slot that opens a
//! sentence ("The apothecary" where the value is "the apothecary"); `{,slot}` ends it with a
//! comma instead of a full stop, for a line of dialogue a speech tag follows (`"{,line}" she
//! said` gives `"Keep it safe," she said`, where the list holds `Keep it safe.`).
//!
//! One fill never draws the same entry of a list twice while the list has entries left, so a
//! paragraph cannot say "a carter and a carter" or repeat a line of dialogue word for word.
//!
//! The narration is written in these templates rather than in code so that a sentence's shape
//! and its words vary independently: a few dozen templates and lists give tens of thousands of
//! sentences, and a book of 128K tokens need not repeat a paragraph.

use longforge_datasets::SeededRng;

/// The lists a template may draw from, by name; the caller's values come first.
pub type Lists = fn(&str) -> Option<&'static [&'static str]>;

/// The entries drawn so far, by list: what a fill (or several fills of one paragraph) must not
/// draw again.
#[derive(Debug, Default)]
pub struct Drawn(Vec<(String, usize)>);

impl Drawn {
    /// An entry of `list` (named `key`) not drawn yet, or any once all have been.
    fn draw(&mut self, rng: &mut SeededRng, key: &str, list: &[&str]) -> usize {
        let fresh: Vec<usize> = (0..list.len())
            .filter(|&i| !self.0.iter().any(|(k, j)| k == key && *j == i))
            .collect();
        let i = if fresh.is_empty() {
            rng.below(list.len())
        } else {
            fresh[rng.below(fresh.len())]
        };
        self.0.push((key.to_string(), i));
        i
    }
}

/// Fills `template`: each `{name}` is `values(name)` if given, else an entry drawn from
/// `lists(name)`, itself filled in turn (to a depth of 8). A name neither gives is left as
/// written, braces and all, so a test can find it.
pub fn fill(
    rng: &mut SeededRng,
    template: &str,
    values: &dyn Fn(&str) -> Option<String>,
    lists: Lists,
) -> String {
    fill_drawn(rng, template, values, lists, &mut Drawn::default())
}

/// [`fill`], not drawing again what `drawn` holds (for a paragraph filled in several passes).
pub fn fill_drawn(
    rng: &mut SeededRng,
    template: &str,
    values: &dyn Fn(&str) -> Option<String>,
    lists: Lists,
    drawn: &mut Drawn,
) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    fill_into(rng, template, values, lists, 0, drawn, &mut out);
    out
}

fn fill_into(
    rng: &mut SeededRng,
    template: &str,
    values: &dyn Fn(&str) -> Option<String>,
    lists: Lists,
    depth: usize,
    drawn: &mut Drawn,
    out: &mut String,
) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return;
        };
        let name = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let (capitalise, key) = match name.strip_prefix('^') {
            Some(key) => (true, key),
            None => (false, name),
        };
        let (comma, key) = match key.strip_prefix(',') {
            Some(key) => (true, key),
            None => (false, key),
        };
        let start = out.len();
        if let Some(v) = values(key) {
            out.push_str(&v);
        } else if let (Some(list), true) = (lists(key), depth < 8) {
            let entry = list[drawn.draw(rng, key, list)];
            fill_into(rng, entry, values, lists, depth + 1, drawn, out);
        } else {
            out.push('{');
            out.push_str(name);
            out.push('}');
        }
        if capitalise {
            capitalise_at(out, start);
        }
        if comma && out.len() > start && out.ends_with('.') {
            out.pop();
            out.push(',');
        }
    }
    out.push_str(rest);
}

/// Upper-cases the first letter of `text[start..]`.
fn capitalise_at(text: &mut String, start: usize) {
    if let Some((i, c)) = text[start..]
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
    {
        let at = start + i;
        let upper: String = c.to_uppercase().collect();
        text.replace_range(at..at + c.len_utf8(), &upper);
    }
}

/// `text` with its first letter upper-cased.
pub fn capitalised(text: &str) -> String {
    let mut s = text.to_string();
    capitalise_at(&mut s, 0);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(name: &str) -> Option<&'static [&'static str]> {
        match name {
            "sky" => Some(&["grey", "{colour} and low"]),
            "colour" => Some(&["white"]),
            "line" => Some(&["Keep it safe."]),
            _ => None,
        }
    }

    #[test]
    fn slots_fill_from_values_then_lists() {
        let mut rng = SeededRng::new(1);
        let values = |k: &str| (k == "who").then(|| "the miller".to_string());
        for _ in 0..20 {
            let s = fill(&mut rng, "{^who} looked up at a {sky} sky.", &values, lists);
            assert!(
                s == "The miller looked up at a grey sky."
                    || s == "The miller looked up at a white and low sky.",
                "{s}"
            );
        }
        let s = fill(&mut rng, "\"{,line}\" {who} said.", &values, lists);
        assert_eq!(s, "\"Keep it safe,\" the miller said.");
        // A list is not drawn twice in one fill while it has entries left.
        for _ in 0..20 {
            assert_eq!(
                fill(&mut rng, "{colour} and {colour}", &values, lists),
                "white and white",
                "a list of one entry repeats"
            );
            let s = fill(&mut rng, "{sky}; {sky}", &values, lists);
            let (a, b) = s.split_once("; ").unwrap();
            assert_ne!(a, b, "{s}");
        }
        let s = fill(&mut rng, "{nothing} here", &values, lists);
        assert_eq!(s, "{nothing} here");
        assert_eq!(capitalised("\"the end\""), "\"The end\"");
    }
}
