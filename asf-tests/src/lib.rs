//! VPP test suites written with asf; the suites live in `tests/suites`.
#![forbid(unsafe_code)]
