//! Reading the parts of a query's SQL that longforge must see (the SELECT list, the ORDER BY
//! items), without a full parser: a clause is split into its top-level items, skipping what is
//! quoted (a name or string holds no keyword, comma or parenthesis) and what is nested.

/// The items of the clause that starts at byte `start` of `sql`, as byte ranges, and where the
/// clause ends: at a top-level comma between items; at a closing parenthesis of an enclosing
/// level, `;`, or one of the keywords `ends` (whole words, upper case) at the top level; or at
/// the end of the text.
pub fn clause_items(sql: &str, start: usize, ends: &[&str]) -> (Vec<(usize, usize)>, usize) {
    let upper = sql.to_ascii_uppercase();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut items = Vec::new();
    let mut item_start = start;
    let mut end = sql.len();
    for (offset, c) in sql[start..].char_indices() {
        let i = start + offset;
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => {
                quote = Some(c);
                continue;
            }
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = i;
                break;
            }
            ')' => depth -= 1,
            ',' if depth == 0 => {
                items.push((item_start, i));
                item_start = i + 1;
            }
            ';' => {
                end = i;
                break;
            }
            _ => {}
        }
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let word_start = i == 0 || !is_word(upper.as_bytes()[i - 1]);
        let keyword = |w: &&str| {
            upper[i..].starts_with(*w)
                && !upper
                    .as_bytes()
                    .get(i + w.len())
                    .copied()
                    .is_some_and(is_word)
        };
        if depth == 0 && word_start && ends.iter().any(keyword) {
            end = i;
            break;
        }
    }
    items.push((item_start, end));
    (items, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_and_nested_text_is_one_item() {
        let sql = "SELECT \"a, b\", f(x, y) AS z, 'FROM', from_date FROM t";
        let (items, end) = clause_items(sql, 6, &["FROM"]);
        let texts: Vec<&str> = items.iter().map(|&(a, b)| sql[a..b].trim()).collect();
        assert_eq!(texts, ["\"a, b\"", "f(x, y) AS z", "'FROM'", "from_date"]);
        assert_eq!(&sql[end..], "FROM t");
    }
}
