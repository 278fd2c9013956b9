//! Salient entities of a book: the names it mentions most across most chapters, after the
//! paper's coreference-based choice of what to ask about, approximated by counting capitalised
//! names (a run of up to three capitalised words) that are rarely written in lower case, weighed
//! by how many chapters mention them.

use std::collections::BTreeMap;

use regex::Regex;

use super::chapters::{chapter_at, Chapter, CharIndex};

/// A salient entity: its name, the ways the book names it, its mentions and chapters.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub name: String,
    /// Ways of naming it: the name, and for a name of several words its first word where the
    /// book names no other with that first word (a given name).
    pub aliases: Vec<String>,
    pub mentions: usize,
    pub chapters: usize,
}

/// Words that open sentences or titles and are never names, beyond those the lower-case test
/// catches.
const NOT_NAMES: &[&str] = &[
    "Mr", "Mrs", "Miss", "Ms", "Dr", "Sir", "Lady", "Lord", "Chapter",
];

/// The `k` most salient entities named in at least two chapters, best first (ties by name).
pub fn salient(text: &str, chapters: &[Chapter], k: usize) -> Vec<Entity> {
    let name = Regex::new(r"\b\p{Lu}\p{Ll}+(?:[ \t]+\p{Lu}\p{Ll}+){0,2}\b").expect("compiles");
    let word = Regex::new(r"\b\p{L}+\b").expect("compiles");
    let mut lower: BTreeMap<String, usize> = BTreeMap::new();
    for w in word.find_iter(text) {
        let w = w.as_str();
        if w.chars().next().is_some_and(char::is_lowercase) {
            *lower.entry(w.to_string()).or_default() += 1;
        }
    }
    let chars = CharIndex::new(text);
    // Per name: mentions, mentions inside a sentence, and the chapters it is in.
    let mut found: BTreeMap<String, (usize, usize, Vec<bool>)> = BTreeMap::new();
    for m in name.find_iter(text) {
        let mut words: Vec<&str> = m.as_str().split_whitespace().collect();
        // "The Mill" and "Then Nora": a leading word often written in lower case is no name.
        let mut initial = opens_sentence(&text[..m.start()]);
        while words.len() > 1 && common(words[0], &lower) {
            words.remove(0);
            initial = false;
        }
        if words.len() == 1
            && (common(words[0], &lower)
                || words[0].chars().count() < 3
                || NOT_NAMES.contains(&words[0]))
        {
            continue;
        }
        let entry = found
            .entry(words.join(" "))
            .or_insert_with(|| (0, 0, vec![false; chapters.len()]));
        entry.0 += 1;
        entry.1 += usize::from(!initial);
        entry.2[chapter_at(chapters, chars.of_byte(m.start()))] = true;
    }
    // A single word only ever seen opening a sentence ("Then", "Perhaps") is no name.
    found.retain(|name, (_, inside, _)| name.contains(' ') || *inside > 0);
    // A single word that starts exactly one longer name is that name shortened ("Nora").
    let names: Vec<String> = found.keys().cloned().collect();
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for short in names.iter().filter(|n| !n.contains(' ')) {
        let longer: Vec<&String> = names
            .iter()
            .filter(|n| n.split(' ').next() == Some(short.as_str()) && *n != short)
            .collect();
        if let [long] = longer.as_slice() {
            if let Some((mentions, _, seen)) = found.remove(short) {
                if let Some(l) = found.get_mut(*long) {
                    l.0 += mentions;
                    for (a, b) in l.2.iter_mut().zip(seen) {
                        *a |= b;
                    }
                }
                aliases
                    .entry((*long).clone())
                    .or_default()
                    .push(short.clone());
            }
        }
    }
    let mut ranked: Vec<Entity> = found
        .into_iter()
        .map(|(name, (mentions, _, seen))| {
            let mut all = vec![name.clone()];
            all.extend(aliases.remove(&name).unwrap_or_default());
            Entity {
                aliases: all,
                name,
                mentions,
                chapters: seen.iter().filter(|&&s| s).count(),
            }
        })
        .filter(|e| e.chapters >= 2)
        .collect();
    ranked.sort_by(|a, b| {
        (b.mentions * b.chapters)
            .cmp(&(a.mentions * a.chapters))
            .then_with(|| a.name.cmp(&b.name))
    });
    ranked.truncate(k);
    // A reader names "Nora Marrow" as "Nora" where no other entity begins with that word.
    let firsts: Vec<String> = ranked
        .iter()
        .filter_map(|e| e.name.split(' ').next().map(str::to_string))
        .collect();
    for e in &mut ranked {
        if let Some(first) = e.name.split(' ').next().filter(|_| e.name.contains(' ')) {
            let first = first.to_string();
            if firsts.iter().filter(|f| **f == first).count() == 1
                && !common(&first, &lower)
                && !e.aliases.contains(&first)
            {
                e.aliases.push(first);
            }
        }
    }
    ranked
}

/// Whether text ending here leaves the next word opening a sentence (or a line, or a quote).
fn opens_sentence(before: &str) -> bool {
    match before.trim_end_matches([' ', '\t']).chars().next_back() {
        None => true,
        Some(c) => matches!(
            c,
            '.' | '!' | '?' | '\n' | '"' | '\u{201c}' | '\'' | '\u{2018}' | ':'
        ),
    }
}

/// Whether `word` is written in lower case at least as often as capitalised would suggest a
/// name: its lower-case form appears more than a few times.
fn common(word: &str, lower: &BTreeMap<String, usize>) -> bool {
    lower.get(&word.to_lowercase()).copied().unwrap_or(0) > 2
}

#[cfg(test)]
mod tests {
    use super::super::chapters::chapters;
    use super::*;

    #[test]
    fn names_across_chapters_rank_and_common_words_do_not() {
        let text =
            "Chapter 1\n\nThe mill stood still. Nora Marrow came to Kettering Mill. Then the \
rain. The dog slept. The end of the day.\n\nChapter 2\n\nNora wept. Tom Hale saw Nora at \
Kettering Mill. Then the rain. The cat.\n\nChapter 3\n\nNora Marrow and Tom Hale left. Ilse once.";
        let e = salient(text, &chapters(text), 5);
        let names: Vec<&str> = e.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["Nora Marrow", "Kettering Mill", "Tom Hale"],
            "{e:?}"
        );
        assert_eq!(e[0].aliases, ["Nora Marrow", "Nora"]);
        assert_eq!(e[0].mentions, 4);
    }
}
