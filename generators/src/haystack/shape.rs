//! Sentence shapes for the prose generators: `{k}` slots filled one by one.

/// Fills every `{k}` slot of `shape` with `word(k, sentence so far)`, left to right (so draws
/// from a seeded generator happen in a fixed order). An upper-case key capitalises the word.
pub(crate) fn fill(shape: &str, mut word: impl FnMut(char, &str) -> &'static str) -> String {
    let mut out = String::with_capacity(shape.len() * 2);
    let mut chars = shape.chars();
    while let Some(c) = chars.next() {
        if c != '{' {
            out.push(c);
            continue;
        }
        let key = chars.next().unwrap_or('n');
        chars.next(); // the closing brace
        let w = word(key, &out);
        if key.is_ascii_uppercase() {
            let mut cs = w.chars();
            if let Some(first) = cs.next() {
                out.extend(first.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn fills_in_order_and_capitalises() {
        let mut n = 0;
        let s = super::fill("{C}, the {n} and {m}.", |k, so_far| {
            n += 1;
            match k {
                'C' => "meanwhile",
                'n' => "oven",
                _ => {
                    if so_far.contains("oven") {
                        "hearth"
                    } else {
                        "oven"
                    }
                }
            }
        });
        assert_eq!(s, "Meanwhile, the oven and hearth.");
        assert_eq!(n, 3);
    }
}
