//! The page of an HTML to TSV sample: head, site header and navigation, breadcrumbs, the
//! listing in sections (each with its own markup and field order) with ad slots among the
//! entities, a sidebar and a footer; and where each gold entity's block sits in it (evidence,
//! in characters).

use std::fmt::Write;
use std::ops::Range;

use longforge_datasets::{char_len, Evidence, SeededRng};

use super::{Entity, Placed, Topic};

const PROMOS: &[&str] = &[
    "Free delivery on orders over $50. Use code FREESHIP at checkout.",
    "Get 20% off your first order when you join our newsletter.",
    "Download our app and earn double points this month.",
    "Limited time: members save an extra 10% on everything.",
    "Gift cards now available in any amount.",
];

/// The HTML page as it is written, with its length in characters (the unit of evidence offsets).
#[derive(Default)]
pub(super) struct Page {
    pub(super) html: String,
    chars: usize,
}

impl Page {
    fn push(&mut self, s: &str) {
        self.chars += char_len(s);
        self.html.push_str(s);
    }

    /// Appends what `write` writes straight into the page (the listing's blocks, so none is
    /// built as a string of its own first); returns it and where it lies, in characters.
    fn append(&mut self, write: impl FnOnce(&mut String)) -> (&str, Range<usize>) {
        let (start, from) = (self.chars, self.html.len());
        write(&mut self.html);
        let added = &self.html[from..];
        self.chars += char_len(added);
        (added, start..self.chars)
    }
}

/// `s` with the characters HTML gives a meaning escaped.
#[cfg(test)]
pub(super) fn escape(s: &str) -> String {
    let mut out = String::new();
    push_escaped(&mut out, s);
    out
}

/// Appends `s` to `out` with `&`, `<`, `>` and `"` escaped.
fn push_escaped(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(at) = rest.find(['&', '<', '>', '"']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

/// `s` escaped, for the page's few one-off strings (site name, promotions, sidebar links).
fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// How a listing section marks up its entities.
#[derive(Debug, Clone, Copy)]
enum Layout {
    Table,
    /// Cards whose fields are `<span class=...>` (bare) or `<p>Label: <b>value</b></p>`.
    Cards {
        labelled: bool,
    },
    DefinitionList,
    Inline,
    NestedList,
}

const LAYOUTS: &[Layout] = &[
    Layout::Table,
    Layout::Cards { labelled: false },
    Layout::Cards { labelled: true },
    Layout::DefinitionList,
    Layout::Inline,
    Layout::NestedList,
];

impl Layout {
    fn name(self) -> &'static str {
        match self {
            Layout::Table => "table",
            Layout::Cards { labelled: false } => "cards",
            Layout::Cards { labelled: true } => "labelled cards",
            Layout::DefinitionList => "definition list",
            Layout::Inline => "inline text",
            Layout::NestedList => "nested list",
        }
    }

    fn open(self, topic: &Topic, order: &[usize]) -> String {
        match self {
            Layout::Table => {
                let head: String = order
                    .iter()
                    .map(|&f| format!("<th scope=\"col\">{}</th>", topic.fields[f].label))
                    .collect();
                format!("<table class=\"results\">\n<thead><tr>{head}</tr></thead>\n<tbody>\n")
            }
            Layout::Cards { .. } => format!("<div class=\"grid {}-grid\">\n", topic.singular),
            Layout::DefinitionList => "<div class=\"entries\">\n".into(),
            Layout::Inline => "<ul class=\"results-list\">\n".into(),
            Layout::NestedList => "<ul class=\"tree\">\n".into(),
        }
    }

    fn close(self) -> &'static str {
        match self {
            Layout::Table => "</tbody>\n</table>\n",
            Layout::Cards { .. } | Layout::DefinitionList => "</div>\n",
            Layout::Inline | Layout::NestedList => "</ul>\n",
        }
    }

    /// Writes one entity's block to `out`; `order` lists the fields in the section's display
    /// order, the name (field 0) first. (Writing to a `String` cannot fail.)
    fn entity(self, out: &mut String, topic: &Topic, e: &Entity, id: usize, order: &[usize]) {
        let path = topic.path;
        let rest = &order[1..];
        let class = |f: usize| topic.fields[f].class;
        let label = |f: usize| topic.fields[f].label;
        let name = |out: &mut String| push_escaped(out, &e.cells[0]);
        let value = |out: &mut String, f: usize| push_escaped(out, &e.cells[f]);
        match self {
            Layout::Table => {
                let _ = write!(out, "<tr data-id=\"{id}\"><td><a href=\"/{path}/{id}\">");
                name(out);
                out.push_str("</a></td>");
                for &f in rest {
                    let _ = write!(out, "<td class=\"{}\">", class(f));
                    value(out, f);
                    out.push_str("</td>");
                }
                out.push_str("</tr>\n");
            }
            Layout::Cards { labelled } => {
                let _ = write!(
                    out,
                    "<div class=\"card {}-card\" data-id=\"{id}\">\n  <a class=\"thumb\" href=\"/{path}/{id}\"><img src=\"/img/{id}.jpg\" alt=\"\"></a>\n  <h3 class=\"card-title\"><a href=\"/{path}/{id}\">",
                    topic.singular
                );
                name(out);
                out.push_str("</a></h3>\n");
                for &f in rest {
                    if labelled {
                        let _ = write!(
                            out,
                            "  <p class=\"{}\"><span class=\"label\">{}:</span> <b>",
                            class(f),
                            label(f)
                        );
                        value(out, f);
                        out.push_str("</b></p>\n");
                    } else {
                        let _ = write!(out, "  <span class=\"{}\">", class(f));
                        value(out, f);
                        out.push_str("</span>\n");
                    }
                }
                out.push_str("</div>\n");
            }
            Layout::DefinitionList => {
                let _ = write!(
                    out,
                    "<article class=\"entry\" id=\"e{id}\">\n  <h2 class=\"entry-title\"><a href=\"/{path}/{id}\">"
                );
                name(out);
                out.push_str("</a></h2>\n  <dl class=\"details\">\n");
                for &f in rest {
                    let _ = write!(out, "    <dt>{}</dt><dd>", label(f));
                    value(out, f);
                    out.push_str("</dd>\n");
                }
                out.push_str("  </dl>\n</article>\n");
            }
            Layout::Inline => {
                let _ = write!(
                    out,
                    "<li class=\"result\" data-id=\"{id}\"><a href=\"/{path}/{id}\"><strong>"
                );
                name(out);
                out.push_str("</strong></a> <span class=\"sep\">&mdash;</span> ");
                for (i, &f) in rest.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" <span class=\"sep\">|</span> ");
                    }
                    let _ = write!(out, "{}: ", label(f));
                    value(out, f);
                }
                out.push_str("</li>\n");
            }
            Layout::NestedList => {
                let _ = write!(out, "<li><a href=\"/{path}/{id}\">");
                name(out);
                out.push_str("</a>\n  <ul>\n");
                for &f in rest {
                    let _ = write!(out, "    <li>{}: ", label(f));
                    value(out, f);
                    out.push_str("</li>\n");
                }
                out.push_str("  </ul>\n</li>\n");
            }
        }
    }
}
/// The written page, the gold entities' blocks as evidence, and the section layouts used.
pub(super) struct Built {
    pub(super) page: Page,
    pub(super) evidence: Vec<Evidence>,
    pub(super) layouts: Vec<&'static str>,
}

/// Writes the page: head, site header and navigation, breadcrumbs, the listing in sections
/// (each with its own layout and field order) with ad slots between entities, the sidebar,
/// the footer.
pub(super) fn build_page(
    topic: &Topic,
    site: &str,
    listing: &[Placed],
    rng: &mut SeededRng,
) -> Built {
    // About 800 bytes a listed entity (measured 770 at 8K) and some chrome: reserving it up
    // front spares the page's doublings and their copies.
    let mut page = Page {
        html: String::with_capacity(4096 + 800 * listing.len()),
        chars: 0,
    };
    let site_e = escaped(site);
    let title = format!("{} | {site_e}", capitalise(topic.plural));
    page.push(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<link rel=\"stylesheet\" href=\"/static/css/site.{:x}.css\">\n<script async src=\"/static/js/analytics.js\"></script>\n<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{\"page\": \"listing\", \"section\": \"{}\"}});</script>\n</head>\n<body class=\"listing-page\">\n",
        rng.next_u64() & 0xffff_ffff,
        topic.plural
    ));
    let nav: String = topic
        .nav
        .iter()
        .map(|item| {
            format!(
                "      <li><a href=\"/{}\">{item}</a></li>\n",
                item.to_lowercase().replace(' ', "-")
            )
        })
        .collect();
    page.push(&format!(
        "<header class=\"site-header\">\n  <div class=\"logo\"><a href=\"/\">{site_e}</a></div>\n  <nav class=\"main-nav\" aria-label=\"Main\">\n    <ul>\n{nav}    </ul>\n  </nav>\n  <form class=\"search\" action=\"/search\" method=\"get\"><input type=\"search\" name=\"q\" placeholder=\"Search {}\"><button type=\"submit\">Search</button></form>\n  <a class=\"account\" href=\"/account\">Sign in</a>\n</header>\n<div class=\"promo-bar\">{}</div>\n<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><a href=\"/\">Home</a> &rsaquo; <a href=\"/{}\">{}</a> &rsaquo; <span>All {}</span></nav>\n<main id=\"content\">\n<h1>{}</h1>\n<p class=\"intro\">Browse our selection of {}. Prices and details are updated daily.</p>\n",
        topic.plural,
        escaped(rng.draw(PROMOS)),
        topic.path,
        capitalise(topic.plural),
        topic.plural,
        capitalise(topic.plural),
        topic.plural
    ));

    let mut evidence = Vec::new();
    let mut layouts = Vec::new();
    let mut next_id = 1000 + rng.below(9000);
    let mut at = 0;
    let mut sections = topic.sections.to_vec();
    rng.shuffle(&mut sections);
    let mut heading = 0;
    while at < listing.len() {
        let size = rng.range(4, 16).min(listing.len() - at);
        let layout = rng.draw(LAYOUTS);
        layouts.push(layout.name());
        let mut order: Vec<usize> = (1..topic.fields.len()).collect();
        rng.shuffle(&mut order);
        order.insert(0, 0);
        let name = sections[heading % sections.len()];
        let name = if heading >= sections.len() {
            format!("{name} ({})", heading / sections.len() + 1)
        } else {
            name.to_string()
        };
        heading += 1;
        page.push(&format!(
            "<section class=\"listing\">\n<h2 class=\"section-title\">{name}</h2>\n{}",
            layout.open(topic, &order)
        ));
        for placed in &listing[at..at + size] {
            next_id += rng.range(1, 40);
            if !placed.listed {
                page.push(&sponsored_slot(topic, layout, &placed.entity, next_id));
                continue;
            }
            let (block, chars) =
                page.append(|out| layout.entity(out, topic, &placed.entity, next_id, &order));
            if placed.gold {
                evidence.push(Evidence {
                    text: block.to_string(),
                    char_start: chars.start,
                    char_end: chars.end,
                });
            }
        }
        page.push(layout.close());
        page.push("</section>\n");
        if rng.chance(0.4) {
            page.push(&format!(
                "<div class=\"ad-banner\" role=\"complementary\"><span class=\"ad-label\">Ad</span> <a href=\"https://ads.example.net/c/{:x}\" rel=\"sponsored nofollow\">{}</a></div>\n",
                rng.next_u64() & 0xff_ffff,
                escaped(rng.draw(PROMOS))
            ));
        }
        at += size;
    }
    page.push(
        "<nav class=\"pagination\"><span class=\"current\">1</span> <a href=\"?page=2\">2</a> <a href=\"?page=3\">3</a> <a href=\"?page=2\" rel=\"next\">Next &rsaquo;</a></nav>\n</main>\n",
    );

    // Sidebar: names of some entities (listed and sponsored), which are links, not the listing.
    let mut trending: Vec<&Placed> = listing.iter().collect();
    rng.shuffle(&mut trending);
    trending.truncate(rng.range(3, 6).min(trending.len()));
    let links: String = trending
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "    <li><a href=\"/{}/{}\">{}</a></li>\n",
                topic.path,
                90_000 + i,
                escaped(&p.entity.cells[0])
            )
        })
        .collect();
    let categories: String = topic.nav[1..5]
        .iter()
        .map(|c| {
            format!(
                "    <li><a href=\"/c/{}\">{c}</a> <span class=\"count\">({})</span></li>\n",
                c.to_lowercase().replace(' ', "-"),
                rng.range(3, 400)
            )
        })
        .collect();
    page.push(&format!(
        "<aside class=\"sidebar\">\n  <h3>Trending now</h3>\n  <ol class=\"trending\">\n{links}  </ol>\n  <h3>Browse</h3>\n  <ul class=\"categories\">\n{categories}  </ul>\n  <form class=\"newsletter\"><label>Get our weekly picks <input type=\"email\" placeholder=\"you@example.com\"></label><button>Subscribe</button></form>\n</aside>\n"
    ));
    let footer: String = [
        "About us",
        "Careers",
        "Press",
        "Contact",
        "Privacy",
        "Terms",
        "Cookie settings",
    ]
    .iter()
    .map(|l| {
        format!(
            "<li><a href=\"/{}\">{l}</a></li>",
            l.to_lowercase().replace(' ', "-")
        )
    })
    .collect();
    page.push(&format!(
        "<footer class=\"site-footer\">\n  <ul class=\"footer-links\">{footer}</ul>\n  <p>&copy; 2026 {site_e}. All rights reserved.</p>\n</footer>\n</body>\n</html>"
    ));
    Built {
        page,
        evidence,
        layouts,
    }
}

/// A sponsored entity: an ad slot in the section's flow, marked "Sponsored", as a card (a row
/// spanning the table in a table).
fn sponsored_slot(topic: &Topic, layout: Layout, e: &Entity, id: usize) -> String {
    let name = escaped(&e.cells[0]);
    let details: Vec<String> = (1..topic.fields.len())
        .map(|f| {
            format!(
                "<span class=\"{}\">{}</span>",
                topic.fields[f].class,
                escaped(&e.cells[f])
            )
        })
        .collect();
    let inner = format!(
        "<span class=\"ad-label\">Sponsored</span> <a href=\"/{}/{id}?ad=1\" rel=\"sponsored\">{name}</a> {}",
        topic.path,
        details.join(" ")
    );
    match layout {
        Layout::Table => format!(
            "<tr class=\"sponsored\"><td colspan=\"{}\">{inner}</td></tr>\n",
            topic.fields.len()
        ),
        Layout::Inline | Layout::NestedList => {
            format!("<li class=\"ad-slot sponsored\">{inner}</li>\n")
        }
        _ => format!("<aside class=\"ad-slot sponsored\">{inner}</aside>\n"),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
