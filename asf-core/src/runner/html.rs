//! `--html <file>`: one self-contained page (no network, no external
//! assets) for people to look at after a run: the TEST RESULTS counts and
//! the run's settings, a timeline with one row per CPU and a bar per class
//! process, and a table of classes and tests with skip reasons, failure
//! messages and links to the failed classes' logs.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use super::event::Status;
use super::plan::{ClassId, Outcome, Planned};
use super::report::{verdicts, Summary};

/// A test's row: its index in the class, verdict, seconds, message.
type TestRow = (usize, Status, f64, Option<String>);

/// What the page says about the run besides its verdicts.
#[derive(Debug, Default)]
pub struct Settings {
    /// The VPP binary.
    pub vpp_bin: String,
    /// Classes at once.
    pub jobs: usize,
    /// Whole run, seconds.
    pub elapsed: f64,
    /// `RND_SEED`, when the run was given one.
    pub seed: Option<String>,
    /// The run was interrupted (Ctrl-C, a closed stdout).
    pub interrupted: bool,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// `to` relative to the directory `from`, for links that survive moving
/// the report and the temp base together.
fn relative(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                std::env::current_dir().unwrap_or_default().join(p)
            }
        })
    };
    let (from, to) = (abs(from), abs(to));
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out.display().to_string()
}

/// The worst verdict of a class: what colours its bar.
fn class_status(statuses: &[Status]) -> &'static str {
    if statuses
        .iter()
        .any(|s| matches!(s, Status::Fail | Status::Error | Status::UnexpectedPass))
    {
        "fail"
    } else if statuses.contains(&Status::NotRun) {
        "notrun"
    } else if statuses.contains(&Status::Flaky) {
        "flaky"
    } else if statuses.iter().all(|s| *s == Status::Skip) {
        "skip"
    } else {
        "pass"
    }
}

fn status_text(s: Status) -> &'static str {
    match s {
        Status::Pass => "OK",
        Status::Fail => "FAIL",
        Status::Error => "ERROR",
        Status::Skip => "SKIP",
        Status::ExpectedFail => "EXPECTED FAIL",
        Status::UnexpectedPass => "UNEXPECTED PASS",
        Status::Flaky => "FLAKY",
        Status::NotRun => "NOT RUN",
    }
}

/// Writes the page.
pub fn write(
    planned: &[Planned],
    out: &Outcome,
    summary: &Summary,
    settings: &Settings,
    failed_dir: &Path,
    path: &Path,
) -> std::io::Result<()> {
    let here = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&here)?;

    // Per class: its verdicts.
    let mut by_class: Vec<Vec<TestRow>> = vec![Vec::new(); planned.len()];
    for (c, t, v) in verdicts(planned, out) {
        by_class[c].push((t, v.status, v.secs, v.message.clone()));
    }
    let class_state: Vec<&str> = by_class
        .iter()
        .map(|tests| class_status(&tests.iter().map(|t| t.1).collect::<Vec<_>>()))
        .collect();

    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>asf run</title><style>{CSS}</style></head><body>"
    );
    let _ = write!(
        h,
        "<h1>asf run{}</h1>",
        if settings.interrupted {
            " <span class=notrun>(interrupted)</span>"
        } else {
            ""
        }
    );

    // Counts and settings.
    h.push_str("<section class=top><table class=counts><caption>TEST RESULTS</caption>");
    for (label, n) in summary.result_lines() {
        let _ = write!(h, "<tr><th>{}</th><td>{n}</td></tr>", esc(label));
    }
    h.push_str("</table><table class=counts><caption>Run</caption>");
    let mut row = |k: &str, v: String| {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
    };
    row("VPP binary", settings.vpp_bin.clone());
    row("jobs", settings.jobs.to_string());
    // The CPUs the class processes held: the timeline's rows.
    let mut cpus: Vec<usize> = out.spans.iter().flat_map(|s| s.cpus.clone()).collect();
    cpus.sort_unstable();
    cpus.dedup();
    row(
        "CPUs",
        cpus.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    );
    row("wall time", format!("{:.1} s", settings.elapsed));
    row(
        "RND_SEED",
        settings
            .seed
            .clone()
            .unwrap_or_else(|| "per class, in each class log".into()),
    );
    h.push_str("</table></section>");

    // Timeline: a row per CPU, a bar per class process on each of its CPUs.
    let total = out
        .spans
        .iter()
        .map(|s| s.end)
        .fold(settings.elapsed, f64::max)
        .max(0.001);
    let (width, row_h, left) = (1100.0, 28.0, 60.0);
    let height = row_h * cpus.len().max(1) as f64 + 30.0;
    let _ = write!(
        h,
        "<h2>Timeline</h2><p class=note>One row per CPU; each bar is a class process from its start to its end, on every CPU it held (VPP's and its helpers'); gaps are waits. Hover for details, click to jump to the class.</p><svg id=timeline width={} height={height}>",
        width + left + 10.0
    );
    for (row_i, cpu) in cpus.iter().enumerate() {
        let y = row_h * row_i as f64;
        let _ = write!(
            h,
            "<text x=4 y={} class=cpu>CPU {cpu}</text><line x1={left} x2={} y1={} y2={} class=grid />",
            y + row_h * 0.65,
            left + width,
            y + row_h,
            y + row_h
        );
    }
    // Seconds along the bottom.
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0]
        .into_iter()
        .find(|s| total / s <= 12.0)
        .unwrap_or(1200.0);
    let mut t = 0.0;
    while t <= total {
        let x = left + t / total * width;
        let _ = write!(
            h,
            "<text x={x} y={} class=tick>{t:.0} s</text>",
            row_h * cpus.len() as f64 + 20.0
        );
        t += step;
    }
    for s in &out.spans {
        let p = &planned[s.class.0];
        let state = class_state[s.class.0];
        let tests = by_class[s.class.0]
            .iter()
            .map(|(t, st, secs, _)| {
                format!(
                    "{} {} {:.2} s",
                    p.tests[*t].desc.name,
                    status_text(*st),
                    secs
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let x = left + s.start / total * width;
        let w = ((s.end - s.start) / total * width).max(2.0);
        for cpu in &s.cpus {
            let Some(row_i) = cpus.iter().position(|c| c == cpu) else {
                continue;
            };
            let y = row_h * row_i as f64 + 3.0;
            let _ = write!(
                h,
                "<a href='#class-{}'><rect class='bar {state}' data-class='{}' x={x:.1} y={y} width={w:.1} height={} rx=3><title>{}{}\n{:.2} s on CPUs {:?}\n{}</title></rect>",
                s.class,
                esc(p.class.desc.path()),
                row_h - 6.0,
                esc(p.class.desc.name),
                if s.attempt > 1 {
                    format!(" (attempt {})", s.attempt)
                } else {
                    String::new()
                },
                s.end - s.start,
                s.cpus,
                esc(&tests)
            );
            if w > 60.0 {
                let _ = write!(
                    h,
                    "<text x={:.1} y={:.1} class=barlabel>{}</text>",
                    x + 4.0,
                    y + row_h * 0.55,
                    esc(p.class.desc.name)
                );
            }
            h.push_str("</a>");
        }
    }
    h.push_str("</svg>");

    // Failures first, then every class and test.
    let failed: Vec<(usize, usize, Status, Option<String>)> = by_class
        .iter()
        .enumerate()
        .flat_map(|(c, tests)| {
            tests
                .iter()
                .filter(|t| {
                    matches!(
                        t.1,
                        Status::Fail | Status::Error | Status::UnexpectedPass | Status::NotRun
                    )
                })
                .map(move |t| (c, t.0, t.1, t.3.clone()))
        })
        .collect();
    let _ = write!(
        h,
        "<h2 id=failures>Failures and errors ({})</h2>",
        failed.len()
    );
    if failed.is_empty() {
        h.push_str("<p>None.</p>");
    } else {
        h.push_str("<ul class=failures>");
        for (c, t, st, msg) in &failed {
            let p = &planned[*c];
            let _ = write!(
                h,
                "<li class=failed-test><a href='#class-{c}'>{}</a>.{} <b class=fail>{}</b>{}<pre>{}</pre></li>",
                esc(p.class.desc.name),
                esc(p.tests[*t].desc.name),
                status_text(*st),
                links(*c, out, failed_dir, &here),
                esc(msg.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</ul>");
    }

    h.push_str("<h2>Classes and tests</h2><p class=note>Click a column header to sort.</p><table id=tests class=sortable><thead><tr><th>class</th><th>test</th><th>verdict</th><th>seconds</th><th>reason / message</th><th>logs</th></tr></thead><tbody>");
    for (c, tests) in by_class.iter().enumerate() {
        let p = &planned[c];
        for (i, (t, st, secs, msg)) in tests.iter().enumerate() {
            let _ = write!(
                h,
                "<tr{}><td>{}</td><td title='{}'>{}</td><td class={}>{}</td><td>{secs:.2}</td><td><pre>{}</pre></td><td>{}</td></tr>",
                if i == 0 {
                    format!(" id=class-{c}")
                } else {
                    String::new()
                },
                esc(p.class.desc.name),
                esc(&p.tests[*t].desc.description()),
                esc(p.tests[*t].desc.name),
                match st {
                    Status::Pass | Status::ExpectedFail => "pass",
                    Status::Skip => "skip",
                    Status::Flaky => "flaky",
                    Status::NotRun => "notrun",
                    _ => "fail",
                },
                status_text(*st),
                esc(msg.as_deref().unwrap_or("")),
                if i == 0 {
                    links(c, out, failed_dir, &here)
                } else {
                    String::new()
                }
            );
        }
    }
    h.push_str("</tbody></table>");
    let _ = write!(h, "<script>{JS}</script></body></html>");
    std::fs::write(path, h)
}

/// Links to a class's log and, when it failed, its `-FAILED` link.
fn links(c: usize, out: &Outcome, failed_dir: &Path, here: &Path) -> String {
    let Some(dir) = out.tempdirs.get(&ClassId(c)) else {
        return String::new();
    };
    let dir = Path::new(dir);
    let mut s = String::new();
    let log = dir.join("log.txt");
    if log.exists() {
        let _ = write!(s, " <a href='{}'>log</a>", esc(&relative(here, &log)));
    }
    if let Some(name) = dir.file_name() {
        let failed = failed_dir.join(format!("{}-FAILED", name.to_string_lossy()));
        if std::fs::symlink_metadata(&failed).is_ok() {
            let _ = write!(
                s,
                " <a href='{}'>-FAILED</a>",
                esc(&relative(here, &failed))
            );
        }
    }
    s
}

const CSS: &str = "body{font:14px system-ui,sans-serif;margin:20px;color:#222}h1{font-size:22px}\
h2{font-size:17px;margin-top:28px}.top{display:flex;gap:40px}.counts caption{text-align:left;font-weight:bold}\
.counts th{text-align:right;font-weight:normal;padding-right:10px;color:#555}.note{color:#666;font-size:12px}\
.cpu,.tick{font-size:11px;fill:#555}.grid{stroke:#eee}.barlabel{font-size:11px;fill:#fff;pointer-events:none}\
.bar{stroke:#0003}.bar.pass{fill:#3a9d4a}.bar.fail{fill:#d0383b}.bar.skip{fill:#aaa}.bar.flaky{fill:#e69a1f}\
.bar.notrun{fill:#7d4cc2}td.pass,b.pass{color:#2a7d37}td.fail,b.fail{color:#c0262a}td.skip{color:#777}\
td.flaky{color:#c07a00}td.notrun,.notrun{color:#7d4cc2}table.sortable{border-collapse:collapse;margin-top:8px}\
table.sortable th{cursor:pointer;background:#f2f2f2;text-align:left;padding:4px 8px}\
table.sortable td{border-top:1px solid #eee;padding:3px 8px;vertical-align:top}pre{margin:0;white-space:pre-wrap;max-width:700px;font-size:12px}\
ul.failures li{margin-bottom:8px}";

const JS: &str = "document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){\
var tb=th.closest('table').tBodies[0];var rows=Array.from(tb.rows);var asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';\
rows.sort(function(a,b){var x=a.cells[i].innerText,y=b.cells[i].innerText;var nx=parseFloat(x),ny=parseFloat(y);\
var r=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?r:-r;});rows.forEach(function(r){tb.appendChild(r);});});});";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_out_of_the_report_dir() {
        assert_eq!(
            relative(Path::new("/a/b/reports"), Path::new("/a/tmp/x/log.txt")),
            "../../tmp/x/log.txt"
        );
        assert_eq!(relative(Path::new("/a"), Path::new("/a/x")), "x");
        assert_eq!(esc("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;");
    }
}
