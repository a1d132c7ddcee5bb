//! The parent: selects tests, applies the tag rules, runs each class in a
//! child process of this same binary, turns the child's events into console
//! lines, and makes sure no class process (and so no VPP) outlives the run.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use libtest_mimic::{FormatSetting, Trial};

use super::args::{Cli, Jobs};
use super::class;
use super::console::{Console, Totals};
use super::cpus::CpuPool;
use super::plan::{Planned, Selected, PLAN_ENV};
use super::signals::SignalGuard;
use super::{report, scheduler};
use crate::config::Config;
use crate::model::{self, Tag, TestDesc};
use crate::rules::{self, Facts, OsRelease};

/// Entry point of an asf test binary (`fn main() -> ExitCode { asf_core::main() }`).
pub fn main() -> ExitCode {
    // The one place outside the configuration module that reads the
    // environment, by design: the parent hands a class process its plan in
    // PLAN_ENV (the class process then reads its configuration once, with
    // `Config::from_env`, from the environment it inherited).
    if let Ok(plan) = std::env::var(PLAN_ENV) {
        // This process is a class process started by the parent below.
        return ExitCode::from(u8::try_from(class::run(&plan)).unwrap_or(1));
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn selected_by_tags(test: &TestDesc, tags: &[Tag], skip_tags: &[Tag]) -> bool {
    let have = test.effective_tags();
    (tags.is_empty() || tags.iter().any(|t| have.contains(t)))
        && !skip_tags.iter().any(|t| have.contains(t))
}

fn trial(test: &TestDesc, with_kind: bool) -> Trial {
    let mut t = Trial::test(test.full_name(), || Ok(())).with_ignored_flag(test.ignore.is_some());
    if with_kind {
        let tags: Vec<&str> = test.effective_tags().iter().map(|t| t.as_str()).collect();
        if !tags.is_empty() {
            t = t.with_kind(tags.join(","));
        }
    }
    t
}

/// A FILTER with commas is a list of filters, any of which selects a test
/// (`test_l2xc,test_ping`, as VPP's `run.sh --filter=`): a test name never
/// holds a comma. Returns them, and libtest's arguments without the filter.
fn split_filter(args: &libtest_mimic::Arguments) -> (Vec<String>, libtest_mimic::Arguments) {
    match args.filter.as_deref() {
        Some(f) if f.contains(',') => {
            let mut rest = args.clone();
            rest.filter = None;
            let alternatives = f
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            (alternatives, rest)
        }
        _ => (Vec::new(), args.clone()),
    }
}

/// Whether a test's name is selected by one of the alternatives.
fn matches_any(name: &str, alternatives: &[String], exact: bool) -> bool {
    alternatives.is_empty()
        || alternatives.iter().any(|f| {
            if exact {
                name == f
            } else {
                name.contains(f.as_str())
            }
        })
}

/// libtest's arguments with every name filter given (libtest takes
/// several: `-- test_vcl:: test_quic::`) as one FILTER with commas, which
/// [`split_filter`] takes apart.
fn all_filters(cli: &Cli) -> libtest_mimic::Arguments {
    let mut args = cli.libtest.clone();
    if !cli.more_filters.is_empty() {
        let all: Vec<&str> = args
            .filter
            .iter()
            .chain(&cli.more_filters)
            .map(String::as_str)
            .collect();
        args.filter = Some(all.join(","));
    }
    args
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let (alternatives, args) = split_filter(&all_filters(&cli));
    let args = &args;
    let classes = model::registry();
    let pretty = !matches!(
        args.format,
        Some(FormatSetting::Terse) | Some(FormatSetting::Json)
    );

    // The settings that need no VPP, read once: tag filters (flags add to
    // the environment's), colour, debugging.
    let settings = crate::config::Settings::from_env().map_err(|e| e.to_string())?;
    let mut tags = settings.tags.clone();
    tags.extend(cli.tags.iter().copied());
    let mut skip_tags = settings.skip_tags.clone();
    skip_tags.extend(cli.skip_tags.iter().copied());

    let all: Vec<&TestDesc> = classes
        .iter()
        .flat_map(|c| c.tests.iter().copied())
        .collect();
    let selected = |t: &TestDesc| {
        selected_by_tags(t, &tags, &skip_tags)
            && !args.is_filtered_out(&trial(t, false))
            && matches_any(&t.full_name(), &alternatives, args.exact)
    };
    let filtered_out = all.iter().filter(|t| !selected(t)).count() as u64;

    if args.list {
        // The classes a run with the same flags would run: those with a
        // test the names and tags select, then the shard (--partition) of
        // them. `--ignored` is left to the listing below, so that the list
        // of what is ignored is a part of the plain list (as cargo-nextest
        // reads the two).
        let by_name = libtest_mimic::Arguments {
            ignored: false,
            include_ignored: false,
            ..args.clone()
        };
        let listable = |t: &TestDesc| {
            selected_by_tags(t, &tags, &skip_tags)
                && !by_name.is_filtered_out(&trial(t, false))
                && matches_any(&t.full_name(), &alternatives, args.exact)
        };
        let mut shard = std::collections::HashSet::new();
        let mut index = 0;
        for class in &classes {
            if !class.tests.iter().any(|t| listable(t)) {
                continue;
            }
            if cli
                .partition
                .is_none_or(|p| p.contains(index, class.desc.module_path))
            {
                shard.insert(class.desc.module_path);
            }
            index += 1;
        }
        crate::vpp::process::die_quietly_on_closed_stdout();
        // What a run with the same flags and environment would skip before
        // booting VPP is listed as ignored, so that a runner that learns
        // skips from the listing (cargo-nextest: `--list --ignored`) counts
        // them as skipped. Without a usable configuration (no VPP_BIN) only
        // the tests' own `ignore` is known.
        let pre_boot = pre_boot_skips(&cli, &classes, settings.clone());
        let trials: Vec<Trial> = all
            .iter()
            .filter(|t| selected_by_tags(t, &tags, &skip_tags))
            .filter(|t| matches_any(&t.full_name(), &alternatives, args.exact))
            .filter(|t| shard.contains(t.class.module_path))
            .map(|t| {
                let skipped = pre_boot.as_ref().is_some_and(|f| f(t));
                let trial = trial(t, pretty);
                if skipped {
                    trial.with_ignored_flag(true)
                } else {
                    trial
                }
            })
            .collect();
        let _listed = libtest_mimic::run(args, trials);
        return Ok(ExitCode::SUCCESS);
    }

    let config = Config::from_env_with(settings).map_err(|e| e.to_string())?;
    let mut pool = CpuPool::detect(config.max_vpp_cpus, config.use_smt)
        .with_claims(config.cpu_claims.as_deref());
    let facts = gather_facts(&config, &pool, &cli, &classes);
    let mut totals_filtered = 0u64;
    let console = Console::new(args.color.unwrap_or_default(), config.settings.no_color);

    let mut planned: Vec<Planned> = Vec::new();
    for class in &classes {
        let tests: Vec<Selected> = class
            .tests
            .iter()
            .filter(|t| selected(t))
            .map(|&desc| {
                let trial = trial(desc, false);
                let skip = if args.is_ignored(&trial) {
                    Some(match desc.ignore {
                        Some(r) if !r.is_empty() => format!("ignored: {r}"),
                        _ => "ignored".to_string(),
                    })
                } else {
                    rules::test_skip(desc, &facts).or_else(|| desc.host.skip_if.and_then(|f| f()))
                };
                Selected { desc, skip }
            })
            .collect();
        if tests.is_empty() {
            continue;
        }
        let mut plan = rules::plan_class(class.desc, &facts);
        if plan.skip.is_none() {
            plan.skip = class
                .desc
                .host
                .skip_if
                .and_then(|f| f())
                .map(rules::SkipReason::Check);
        }
        planned.push(Planned { class, plan, tests });
    }
    // Sharding: whole classes only, by hash of the class path or by slice.
    if let Some(part) = cli.partition {
        let mut kept = Vec::new();
        for (i, p) in planned.into_iter().enumerate() {
            if part.contains(i, p.class.desc.module_path) {
                kept.push(p);
            } else {
                totals_filtered += p.tests.len() as u64;
            }
        }
        planned = kept;
    }

    // Longest first, from the timing history of earlier successful runs.
    let history = report::Timings::load(&config.tmp_dir);
    let mut order = rules::run_order(
        &planned
            .iter()
            .enumerate()
            .map(|(i, p)| (i, &p.plan))
            .collect::<Vec<_>>(),
    );
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&planned[a], &planned[b]);
        pa.plan.solo.cmp(&pb.plan.solo).then_with(|| {
            let (ta, tb) = (
                history.get(pa.class.desc.module_path),
                history.get(pb.class.desc.module_path),
            );
            tb.total_cmp(&ta)
        })
    });

    let debug = config.settings.debug;
    let jobs = match (debug.is_some(), cli.jobs) {
        (true, _) => 1,
        (false, Jobs::Auto) => pool.len().max(1),
        (false, Jobs::N(n)) => n,
    };
    let opts = scheduler::Options {
        jobs,
        memory_slots: report::memory_slots(config.settings.vpp_memory_mb),
        timeout: if debug.is_some() {
            None
        } else {
            Some(cli.timeout)
        },
        retries: cli.retries,
        failfast: cli.failfast,
        start_timeout: config.start_timeout,
        foreground: debug.is_some(),
        compress_core: cli.compress_core,
    };
    tracing::debug!("scheduler: {opts:?}");

    let guard = SignalGuard::install();
    let started = Instant::now();
    let outcome = scheduler::run(&planned, &order, &opts, &mut pool, &guard, &console);
    let elapsed = started.elapsed();

    let summary = report::Summary::new(&planned, &outcome);
    let failed_dir = cli
        .failed_dir
        .clone()
        .unwrap_or_else(|| config.tmp_dir.clone());
    report::failed_artifacts(&planned, &outcome, &failed_dir, &config.tmp_dir);
    report::tidy_tempdirs(
        &planned,
        &outcome,
        &config.tmp_dir,
        config.keep_tmp || debug.is_some(),
    );
    let mut history = history;
    history.record(&planned, &outcome);
    history.save(&config.tmp_dir);
    if let Some(path) = &cli.junit {
        report::junit(&planned, &outcome, elapsed, path)
            .map_err(|e| format!("cannot write the JUnit report {}: {e}", path.display()))?;
    }
    if let Some(path) = &cli.events {
        report::events(&planned, &outcome, path)
            .map_err(|e| format!("cannot write the events file {}: {e}", path.display()))?;
    }
    if let Some(path) = &cli.html {
        let settings = super::html::Settings {
            vpp_bin: config.vpp_bin.display().to_string(),
            jobs,
            elapsed: elapsed.as_secs_f64(),
            seed: config.settings.rnd_seed.clone(),
            interrupted: guard.interrupted(),
        };
        super::html::write(&planned, &outcome, &summary, &settings, &failed_dir, path)
            .map_err(|e| format!("cannot write the HTML report {}: {e}", path.display()))?;
    }
    if config.settings.under_nextest {
        nextest_skip_lines(&planned, &outcome);
    }
    console.failures(&summary.failures);
    summary.print_results(&console, &planned, &outcome);
    if guard.interrupted() {
        console.note("interrupted: classes not started were not run");
    }
    let totals = Totals {
        filtered_out: filtered_out + totals_filtered,
        ..summary.totals
    };
    console.summary(totals, elapsed);
    Ok(if super::console::stdout_closed() {
        // 128 + SIGPIPE, as a tool killed by the closed pipe would end.
        ExitCode::from(141)
    } else if guard.interrupted() {
        ExitCode::from(130)
    } else if totals.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Under cargo-nextest, a `SKIP:` line on stdout for each test that
/// skipped: nextest has no skipped status for a test that runs, so it shows
/// these only in the test's output (and its JUnit `system-out` with
/// `store-success-output`), and counts the test as passed.
fn nextest_skip_lines(planned: &[Planned], outcome: &super::plan::Outcome) {
    for (c, t, v) in report::verdicts(planned, outcome) {
        if v.status == super::event::Status::Skip {
            println!(
                "SKIP: {}: {} (cargo-nextest counts this test as passed: it cannot learn of a skip decided while the test runs)",
                planned[c].tests[t].desc.full_name(),
                v.message.as_deref().unwrap_or("skipped")
            );
        }
    }
}

/// Whether a run with these flags and this environment would skip a test
/// before booting VPP: its class's plan (CPUs, extended, coverage, ASan or
/// debug builds, host programs, root, the OS) or its own tags and host
/// requirements. None without a usable configuration.
fn pre_boot_skips<'a>(
    cli: &Cli,
    classes: &'a [model::Class],
    settings: crate::config::Settings,
) -> Option<impl Fn(&TestDesc) -> bool + 'a> {
    let config = Config::from_env_with(settings).ok()?;
    let pool = CpuPool::detect(config.max_vpp_cpus, config.use_smt);
    let facts = gather_facts(&config, &pool, cli, classes);
    let class_skips: std::collections::HashMap<&str, bool> = classes
        .iter()
        .map(|c| {
            let plan = rules::plan_class(c.desc, &facts);
            let skip = plan.skip.is_some() || c.desc.host.skip_if.and_then(|f| f()).is_some();
            (c.desc.module_path, skip)
        })
        .collect();
    Some(move |t: &TestDesc| {
        class_skips
            .get(t.class.module_path)
            .copied()
            .unwrap_or(false)
            || rules::test_skip(t, &facts).is_some()
            || t.host.skip_if.and_then(|f| f()).is_some()
    })
}

fn gather_facts(config: &Config, pool: &CpuPool, cli: &Cli, classes: &[model::Class]) -> Facts {
    let wanted: std::collections::BTreeSet<&str> = classes
        .iter()
        .flat_map(|c| {
            c.desc
                .host
                .programs
                .iter()
                .chain(c.tests.iter().flat_map(|t| t.host.programs))
        })
        .copied()
        .collect();
    Facts {
        extended: cli.extended,
        gcov: cli.gcov,
        oversubscribe: cli.oversubscribe,
        root: nix::unistd::geteuid().is_root(),
        programs_found: wanted
            .into_iter()
            .filter(|p| crate::host::find_program(p).is_some())
            .map(String::from)
            .collect(),
        asan: config.asan_reason(),
        debug_build: config.debug_reason(),
        os: std::fs::read_to_string(&config.os_release)
            .map(|t| OsRelease::parse(&t))
            .unwrap_or_default(),
        cpus_available: pool.len(),
        default_workers: config.default_workers,
        plugins_found: plugins_found(&config.vpp_bin, &config.extern_plugins),
        messages_defined: classes
            .iter()
            .any(|c| !c.desc.requires_messages.is_empty())
            .then(|| messages_defined(&config.api_dirs, &config.extern_api_dirs))
            .flatten(),
        vpp_version: classes
            .iter()
            .any(|c| {
                c.desc.host.vpp_release.is_some()
                    || c.tests.iter().any(|t| t.host.vpp_release.is_some())
            })
            .then(|| crate::vpp::binary::version(&config.vpp_bin))
            .flatten(),
    }
}

/// The names of the messages defined by the `.api.json` files under
/// `api_dirs` and `extern_dirs`, read as the API schema of a class reads
/// them. None when `api_dirs` is empty (the definitions then come from VPP
/// itself, after boot) or the files cannot be read.
fn messages_defined(
    api_dirs: &[std::path::PathBuf],
    extern_dirs: &[std::path::PathBuf],
) -> Option<std::collections::BTreeSet<String>> {
    if api_dirs.is_empty() {
        return None;
    }
    let mut schema = crate::api::schema::Schema::new();
    if let Err(e) = schema
        .add_dirs(api_dirs)
        .and_then(|()| schema.add_dirs(extern_dirs))
    {
        tracing::debug!("requires_messages left to the check after boot: {e}");
        return None;
    }
    Some(schema.messages().map(|m| m.name.clone()).collect())
}

/// The plugin files VPP finds: those in `<prefix>/lib/<arch>/vpp_plugins`
/// and `<prefix>/lib/vpp_plugins` beside its binary (`<prefix>/bin/vpp`,
/// as VPP looks for them) and in `EXTERN_PLUGINS`. None when there is no
/// such directory beside the binary (the stand-in).
fn plugins_found(
    vpp_bin: &std::path::Path,
    extern_dirs: &[std::path::PathBuf],
) -> Option<std::collections::BTreeSet<String>> {
    let lib = vpp_bin.parent()?.parent()?.join("lib");
    let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(&lib)
        .ok()?
        .flatten()
        .map(|e| e.path().join("vpp_plugins"))
        .chain([lib.join("vpp_plugins")])
        .filter(|d| d.is_dir())
        .collect();
    if dirs.is_empty() {
        return None;
    }
    dirs.extend(extern_dirs.iter().cloned());
    Some(
        dirs.iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".so"))
            .collect(),
    )
}

#[cfg(test)]
mod filter_tests {
    use super::*;

    #[test]
    fn a_filter_with_commas_is_a_list_of_filters() {
        let args = libtest_mimic::Arguments {
            filter: Some("test_l2xc,test_ping, ".into()),
            ..Default::default()
        };
        let (alts, rest) = split_filter(&args);
        assert_eq!(alts, ["test_l2xc", "test_ping"]);
        assert_eq!(rest.filter, None);
        assert!(matches_any(
            "test_ping::ping::test_ping_basic",
            &alts,
            false
        ));
        assert!(!matches_any("test_pg::pg_test::test_pg_tun", &alts, false));
        assert!(!matches_any(
            "test_ping::ping::test_ping_basic",
            &alts,
            true
        ));
        let one = libtest_mimic::Arguments {
            filter: Some("test_pg".into()),
            ..Default::default()
        };
        let (alts, rest) = split_filter(&one);
        assert!(alts.is_empty() && rest.filter.as_deref() == Some("test_pg"));
        assert!(matches_any("anything", &alts, false));
    }
}
