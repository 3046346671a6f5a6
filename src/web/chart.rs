//! Grafiek (chart): a leerroute's expected, contracted and placed trajectories per half year as
//! an SVG drawn on the server. It is an image with a title and a description that says the
//! numbers in words; the table beside it holds the same numbers for every reader.

use std::fmt::Write;

use crate::domain::overview::RouteLine;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 240;
const LEFT: u32 = 44;
const BOTTOM: u32 = 36;
const TOP: u32 = 28;
/// (label, colour) of the three bars; each colour has at least 4.5:1 against white.
const SERIES: [(&str, &str); 3] = [("Verwacht", "#7a4a00"), ("Gecontracteerd", "#154273"), ("Geplaatst", "#195e2c")];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A round top for the axis: 1, 2 or 5 times a power of ten.
fn nice(max: u32) -> u32 {
    let mut step = 1;
    loop {
        for f in [1, 2, 5] {
            if step * f * 4 >= max.max(1) {
                return step * f * 4;
            }
        }
        step *= 10;
    }
}

/// The chart of one route; `id` makes its title and description ids unique on the page.
pub fn route(r: &RouteLine, id: &str) -> String {
    let values: Vec<[u32; 3]> = r.periods.iter().map(|p| [p.expected, p.capacity, p.placed]).collect();
    let top = nice(values.iter().flatten().copied().max().unwrap_or(0));
    let plot_h = HEIGHT - TOP - BOTTOM;
    let group = (WIDTH - LEFT - 8) / (values.len().max(1) as u32);
    let bar = (group.saturating_sub(12) / 3).clamp(4, 28);
    let y = |v: u32| TOP + plot_h - (u64::from(v) * u64::from(plot_h) / u64::from(top)) as u32;
    let words: Vec<String> = r
        .periods
        .iter()
        .map(|p| format!("{}: {} verwacht, {} gecontracteerd, {} geplaatst", p.half, p.expected, p.capacity, p.placed))
        .collect();
    let name = escape(&r.name);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="grafiek" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" aria-labelledby="{id}-titel {id}-uitleg" xmlns="http://www.w3.org/2000/svg"><title id="{id}-titel">{name}: trajecten per halfjaar</title><desc id="{id}-uitleg">{}.</desc>"#,
        escape(&words.join("; "))
    );
    for i in 0..=4 {
        let v = top * i / 4;
        let at = y(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" x2="{WIDTH}" y1="{at}" y2="{at}" stroke="#5c5c5c" stroke-width="{}"/><text x="{}" y="{}" font-size="11" text-anchor="end" fill="#1a1a1a">{v}</text>"##,
            if i == 0 { 2 } else { 1 },
            LEFT - 6,
            at + 4
        );
    }
    for (g, (p, vals)) in r.periods.iter().zip(&values).enumerate() {
        let x0 = LEFT + 8 + g as u32 * group;
        for (k, v) in vals.iter().enumerate() {
            let (label, colour) = SERIES[k];
            let (x, h) = (x0 + k as u32 * bar, TOP + plot_h - y(*v));
            let _ = write!(
                s,
                r#"<rect x="{x}" y="{}" width="{}" height="{h}" fill="{colour}"><title>{} {label}: {v}</title></rect>"#,
                y(*v),
                bar.saturating_sub(2),
                escape(&p.half)
            );
        }
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#1a1a1a">{}</text>"##,
            x0 + bar * 3 / 2,
            HEIGHT - BOTTOM + 16,
            escape(&p.half)
        );
    }
    for (k, (label, colour)) in SERIES.iter().enumerate() {
        let x = LEFT + k as u32 * 150;
        let _ = write!(
            s,
            r##"<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/><text x="{}" y="16" font-size="12" fill="#1a1a1a">{label}</text>"##,
            x + 16
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::overview::Period;

    #[test]
    fn the_chart_says_its_numbers_in_words_and_escapes_names() {
        let p = |half: &str, e, c, pl| Period {
            half: half.into(),
            expected: e,
            capacity: c,
            placed: pl,
            surplus: 0,
            utilisation_percent: None,
            attention: false,
        };
        let r = RouteLine {
            code: "b1-route".into(),
            name: "B1 <route>".into(),
            periods: vec![p("2027-H1", 28, 15, 3), p("2027-H2", 12, 15, 0)],
        };
        let svg = route(&r, "b1");
        assert!(svg.contains(r#"role="img""#) && svg.contains(r#"aria-labelledby="b1-titel b1-uitleg""#));
        assert!(svg.contains("2027-H1: 28 verwacht, 15 gecontracteerd, 3 geplaatst; 2027-H2: 12 verwacht"));
        assert!(svg.contains("B1 &lt;route&gt;") && !svg.contains("<route>"));
        assert_eq!(svg.matches("<rect").count(), 6 + 3, "three bars a half year and the legend");
        assert_eq!((nice(0), nice(4), nice(28), nice(41), nice(1300)), (4, 4, 40, 80, 2000));
    }
}
