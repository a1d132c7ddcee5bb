//! JUnit, JSON events and the HTML report.

use std::path::PathBuf;
use std::process::Command;

use crate::common::*;

#[test]
fn junit_and_events_list_skip_reasons() {
    let r = Run::new();
    let junit = r.tmp.path().join("junit.xml");
    let events = r.tmp.path().join("events.jsonl");
    let (out, text) = r.run(
        &[
            "asf_",
            "--junit",
            junit.to_str().unwrap(),
            "--events",
            events.to_str().unwrap(),
        ],
        &[("VPP_EXTRA_CMAKE_ARGS", "-DVPP_ENABLE_SANITIZE_ADDR=ON")],
    );
    assert!(out.status.success(), "{text}");
    let parsed = Command::new("python3")
        .args(["-c", "import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); s = [e.get('message') for e in r.iter('skipped')]; print(len(list(r.iter('testsuite'))), len(s), all('fixme_asan' in m for m in s))", junit.to_str().unwrap()])
        .output()
        .unwrap();
    let inv = Inventory::of(&r);
    let expect = format!(
        "{} {} True",
        inv.classes(all),
        inv.count(has_tag("fixme_asan"))
    );
    assert_eq!(
        String::from_utf8_lossy(&parsed.stdout).trim(),
        expect,
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&events)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), inv.count(all));
    assert!(lines
        .iter()
        .any(|e| e["status"] == "skip" && e["message"].as_str().unwrap().contains("ASan")));
}

/// Debian's Chromium, installed when missing if the run asks for it
/// (`ASF_REQUIRE_CHROMIUM=1`, set by `.ci/run`, as root); None otherwise.
fn chromium() -> Option<String> {
    let find = || {
        ["chromium", "chromium-browser", "google-chrome"]
            .into_iter()
            .find(|b| {
                Command::new(b)
                    .arg("--version")
                    .output()
                    .is_ok_and(|o| o.status.success())
            })
            .map(String::from)
    };
    if let Some(b) = find() {
        return Some(b);
    }
    if std::env::var("ASF_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
        assert!(
            nix::unistd::geteuid().is_root(),
            "ASF_REQUIRE_CHROMIUM=1: install Debian's chromium package"
        );
        let ok = Command::new("sh")
            .args([
                "-c",
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null",
            ])
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "ASF_REQUIRE_CHROMIUM=1: apt-get install chromium failed"
        );
        return find();
    }
    None
}

#[test]
fn the_html_report_renders_a_bar_per_class_and_lists_the_failures() {
    let r = Run::new();
    let report = r.tmp.path().join("report").join("asf.html");
    let (out, text) = r.run_fixtures(&["verdicts::", "--html", report.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.contains("<svg id=timeline"), "no timeline");
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "external assets"
    );
    let Some(browser) = chromium() else {
        eprintln!("skipped the rendering: no Chromium (Debian package chromium)");
        return;
    };
    let profile = r.tmp.path().join("chromium-profile");
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let url = format!("file://{}", report.display());
    let dom = Command::new(&browser)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    // One class ran: its bar is there (once per CPU it held).
    let bars: std::collections::BTreeSet<&str> = dom
        .split("data-class=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(
        bars.into_iter().collect::<Vec<_>>(),
        vec!["verdicts"],
        "{dom}"
    );
    // The failures section lists the failed tests.
    let failures = dom.split("id=\"failures\"").nth(1).unwrap_or_default();
    for t in ["test_panics", "test_returns_error", "test_unexpected_pass"] {
        assert!(failures.contains(t), "{t} not in the failures:\n{dom}");
    }
    // A screenshot for people to look at.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("asf-report.png");
    let status = Command::new(&browser)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .args(["--window-size=1400,1100", &url])
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}
