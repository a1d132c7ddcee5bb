//! Port of `test/asf/test_policer.py`.

use asf_core::{vpp_test, TestCase, TestResult};

use asf_vocab::api::policer::Sse2QosPolicerType;
use asf_vocab::objects::{self, Policer, PolicerStats};

// Default for the tests is 10s of "Green" packets at 8Mbps, ie. 10M bytes.
// The policer helper CLI "sends" 500 byte packets, so default is 20000.

/// CIR in kbps, above test rate.
const CIR_OK: u32 = 8500;
/// CIR in kbps, below test rate.
const CIR_LOW: u32 = 7000;
/// EIR in kbps, above test rate.
const EIR_OK: u32 = 9000;
/// EIR in kbps, below test rate.
const EIR_LOW: u32 = 7500;

const NUM_PKTS: u64 = 20000;

/// Committed burst in bytes.
const CBURST: u64 = 100000;
/// Excess burst in bytes.
const EBURST: u64 = 200000;

/// Configures a policer, pushes traffic through it with `test policing`,
/// reads its counters and removes it (`run_policer_test` of the original).
fn run_policer_test(
    t: &mut TestCase,
    kind: &str,
    cir: u32,
    cb: u64,
    eir: u32,
    eb: u64,
    colour: u8,
) -> TestResult<PolicerStats> {
    let (rate, burst) = (8000, 10000);
    let pol_type = match kind {
        "1R2C" => 0,
        "1R3C" => 1,
        "2R3C" => 3,
        other => return Err(format!("unknown policer type {other}").into()),
    };
    // Conform transmits, exceed and violate drop: VppPolicer's defaults.
    let policer = Policer {
        policer_type: Sse2QosPolicerType::from_value(pol_type),
        color_aware: colour != 0,
        ..Policer::new("pol1", cir, eir, cb, eb)
    };
    let policer = objects::add(t, policer)?;
    let index = policer.policer_index;
    t.cli(&format!(
        "test policing index {index} rate {rate} burst {burst} colour {colour}"
    ))?;
    let stats = policer.stats(t, None)?;
    objects::remove(t, &policer)?;
    tracing::info!("{kind} cir {cir} eir {eir} colour {colour}: {stats:?}");
    Ok(stats)
}

/// Policer Test Case
#[vpp_test(
    name = "TestPolicer",
    requires_plugins = ["unittest_plugin.so"],
    requires_messages = ["policer_add", "policer_del"]
)]
mod policer {
    use super::*;

    /// Single rate, 2 colour policer
    #[vpp_test]
    fn test_policer_1r2c(t: &mut TestCase) -> TestResult {
        let stats = run_policer_test(t, "1R2C", CIR_OK, CBURST, 0, 0, 0)?;
        assert_eq!(stats.conform_packets, NUM_PKTS);

        let stats = run_policer_test(t, "1R2C", CIR_LOW, CBURST, 0, 0, 0)?;
        assert!(stats.conform_packets < NUM_PKTS, "{stats:?}");
        assert_eq!(stats.exceed_packets, 0);
        assert!(stats.violate_packets > 0, "{stats:?}");

        let stats = run_policer_test(t, "1R2C", CIR_LOW, CBURST, 0, 0, 2)?;
        assert_eq!(stats.violate_packets, NUM_PKTS);
        Ok(())
    }

    /// Single rate, 3 colour policer
    #[vpp_test]
    fn test_policer_1r3c(t: &mut TestCase) -> TestResult {
        let stats = run_policer_test(t, "1R3C", CIR_OK, CBURST, 0, 0, 0)?;
        assert_eq!(stats.conform_packets, NUM_PKTS);

        let stats = run_policer_test(t, "1R3C", CIR_LOW, CBURST, 0, EBURST, 0)?;
        assert!(stats.conform_packets < NUM_PKTS, "{stats:?}");
        assert!(stats.exceed_packets > 0, "{stats:?}");
        assert!(stats.violate_packets > 0, "{stats:?}");

        let stats = run_policer_test(t, "1R3C", CIR_LOW, CBURST, 0, EBURST, 1)?;
        assert_eq!(stats.conform_packets, 0);
        assert!(stats.exceed_packets > 0, "{stats:?}");
        assert!(stats.violate_packets > 0, "{stats:?}");

        let stats = run_policer_test(t, "1R3C", CIR_LOW, CBURST, 0, EBURST, 2)?;
        assert_eq!(stats.violate_packets, NUM_PKTS);
        Ok(())
    }

    /// Dual rate, 3 colour policer
    #[vpp_test]
    fn test_policer_2r3c(t: &mut TestCase) -> TestResult {
        let stats = run_policer_test(t, "2R3C", CIR_OK, CBURST, EIR_OK, EBURST, 0)?;
        assert_eq!(stats.conform_packets, NUM_PKTS);

        let stats = run_policer_test(t, "2R3C", CIR_LOW, CBURST, EIR_OK, EBURST, 0)?;
        assert!(stats.conform_packets < NUM_PKTS, "{stats:?}");
        assert!(stats.exceed_packets > 0, "{stats:?}");
        assert_eq!(stats.violate_packets, 0);

        let stats = run_policer_test(t, "2R3C", CIR_LOW, CBURST, EIR_LOW, EBURST, 0)?;
        assert!(stats.conform_packets < NUM_PKTS, "{stats:?}");
        assert!(stats.exceed_packets > 0, "{stats:?}");
        assert!(stats.violate_packets > 0, "{stats:?}");

        let stats = run_policer_test(t, "2R3C", CIR_LOW, CBURST, EIR_OK, EBURST, 1)?;
        assert_eq!(stats.exceed_packets, NUM_PKTS);

        let stats = run_policer_test(t, "2R3C", CIR_LOW, CBURST, EIR_LOW, EBURST, 1)?;
        assert_eq!(stats.conform_packets, 0);
        assert!(stats.exceed_packets > 0, "{stats:?}");
        assert!(stats.violate_packets > 0, "{stats:?}");

        let stats = run_policer_test(t, "2R3C", CIR_LOW, CBURST, EIR_OK, EBURST, 2)?;
        assert_eq!(stats.violate_packets, NUM_PKTS);
        Ok(())
    }
}
