//! The class log (`log.txt`): timestamps as VPP's framework writes them.

use std::fs::File;
use std::path::Path;
use std::sync::Mutex;

/// `HH:MM:SS,mmm` (UTC), the log time format of VPP's framework.
pub(super) struct LogClock;

impl tracing_subscriber::fmt::time::FormatTime for LogClock {
    fn format_time(&self, w: &mut tracing_subscriber::fmt::format::Writer<'_>) -> std::fmt::Result {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let s = now.as_secs() % 86_400;
        write!(
            w,
            "{:02}:{:02}:{:02},{:03}",
            s / 3600,
            s / 60 % 60,
            s % 60,
            now.subsec_millis()
        )
    }
}

/// Sends the class's tracing output, debug level, to `log.txt`.
pub(super) fn init_log(tempdir: &Path) {
    let Ok(file) = File::create(tempdir.join("log.txt")) else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(false)
        .with_level(false)
        .with_timer(LogClock)
        .with_max_level(tracing::Level::DEBUG)
        .try_init();
}
