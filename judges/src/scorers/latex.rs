//! Plain text out of the LaTeX models write inside `\boxed{}`: `\boxed{\text{Julian}
//! \text{Kingsley}}` says "Julian Kingsley". Text and font commands keep their argument, font
//! switches and math delimiters go, spacing commands become a space, escaped symbols become the
//! symbol, and grouping braces go. Any other command (`\times`, `\frac`) is kept as written, so
//! cleaning never turns an expression into a different one.

/// Commands whose argument is plain text to keep: `\text{Ann}` is "Ann".
const TEXT_COMMANDS: &[&str] = &[
    "text",
    "textbf",
    "textit",
    "textrm",
    "textsf",
    "texttt",
    "textup",
    "textmd",
    "textnormal",
    "textsc",
    "emph",
    "mathrm",
    "mathbf",
    "mathit",
    "mathsf",
    "mathtt",
    "mathnormal",
    "mathtext",
    "operatorname",
    "boldsymbol",
    "bm",
    "mbox",
    "hbox",
    "fbox",
    "underline",
    "textsl",
];

/// Switches that change the font of what follows and say nothing themselves.
const FONT_SWITCHES: &[&str] = &[
    "bf",
    "it",
    "rm",
    "sf",
    "tt",
    "sc",
    "sl",
    "em",
    "bfseries",
    "itshape",
    "rmfamily",
    "sffamily",
    "ttfamily",
    "mdseries",
    "upshape",
    "normalfont",
    "displaystyle",
    "textstyle",
    "scriptstyle",
    "left",
    "right",
];

/// Spacing commands, all read as one space.
const SPACES: &[&str] = &[
    "quad",
    "qquad",
    "enspace",
    "thinspace",
    "medspace",
    "thickspace",
    "space",
    "nobreakspace",
];

/// The text with LaTeX markup for text, fonts and spacing removed (see the module docs).
pub fn plain(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let name: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                if name.is_empty() {
                    // A one-character command: an escaped symbol or a spacing command.
                    match chars.get(i + 1) {
                        Some(&s @ ('%' | '&' | '_' | '#' | '$' | '{' | '}')) => out.push(s),
                        Some(',' | ';' | ':' | ' ' | '>') => out.push(' '),
                        Some('!' | '(' | ')' | '[' | ']') => {}
                        Some(&other) => {
                            out.push('\\');
                            out.push(other);
                        }
                        None => out.push('\\'),
                    }
                    i += 2;
                    continue;
                }
                let after = i + 1 + name.len();
                if TEXT_COMMANDS.contains(&name.as_str()) || FONT_SWITCHES.contains(&name.as_str())
                {
                    // The argument's braces go with the other grouping braces.
                    i = after;
                } else if SPACES.contains(&name.as_str()) {
                    out.push(' ');
                    i = after;
                } else if name == "hspace" || name == "vspace" {
                    // `\hspace{1em}`: a space; its argument is a length, not text.
                    out.push(' ');
                    i = after;
                    if chars.get(i) == Some(&'*') {
                        i += 1;
                    }
                    if chars.get(i) == Some(&'{') {
                        while i < chars.len() && chars[i] != '}' {
                            i += 1;
                        }
                        i += 1;
                    }
                } else {
                    out.push('\\');
                    out.push_str(&name);
                    i = after;
                }
            }
            '{' | '}' | '$' => i += 1,
            '~' => {
                out.push(' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn latex_text_reads_as_the_text() {
        let cases = [
            (r"\text{Julian} \text{Kingsley}", "Julian Kingsley"),
            (r"\text{Julian Kingsley}", "Julian Kingsley"),
            (r"\textbf{\textit{Ann}} Vane", "Ann Vane"),
            (r"\mathrm{Ann}\ \mathrm{Vane}", "Ann Vane"),
            (r"\text{Ann}\,\text{Vane}", "Ann Vane"),
            (r"\text{Ann}~Vane", "Ann Vane"),
            (r"Ann\quad Vane", "Ann  Vane"),
            (r"{\bf Ann Vane}", " Ann Vane"),
            (r"$\text{Ann Vane}$", "Ann Vane"),
            (r"\(3\)", "3"),
            (r"\mbox{Orzu Key}", "Orzu Key"),
            (r"\emph{Orzu}\hspace{1em}Key", "Orzu Key"),
            (r"\operatorname{Orzu}\!Key", "OrzuKey"),
            (r"50\%", "50%"),
            (r"Smith \& Sons", "Smith & Sons"),
            (r"\text{王芳}", "王芳"),
            (r"3 \times 4", r"3 \times 4"),
            (r"\frac{1}{2}", r"\frac12"),
            ("plain words", "plain words"),
        ];
        for (latex, want) in cases {
            assert_eq!(plain(latex), want, "{latex}");
        }
    }
}
