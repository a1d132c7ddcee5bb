//! Port of `test/asf/test_policer.py`.

use asf_core::{vpp_test, TestCase, TestResult};

use crate::api::policer::{
    PolicerAdd, PolicerConfig, PolicerDel, Sse2QosAction, Sse2QosActionType, Sse2QosPolicerType,
    Sse2QosRateType, Sse2QosRoundType,
};

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

/// Packets per colour, as `VppPolicer.get_stats()` sums them.
#[derive(Debug)]
struct Stats {
    conform_packets: u64,
    exceed_packets: u64,
    violate_packets: u64,
}

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
) -> TestResult<Stats> {
    let (rate, burst) = (8000, 10000);
    let pol_type = match kind {
        "1R2C" => 0,
        "1R3C" => 1,
        "2R3C" => 3,
        other => return Err(format!("unknown policer type {other}").into()),
    };
    let action = |r#type| Sse2QosAction { r#type, dscp: 0 };
    let infos = PolicerConfig {
        cir,
        eir,
        cb,
        eb,
        rate_type: Sse2QosRateType::Kbps,
        round_type: Sse2QosRoundType::ToClosest,
        r#type: Sse2QosPolicerType::from_value(pol_type),
        color_aware: colour != 0,
        conform_action: action(Sse2QosActionType::Transmit),
        exceed_action: action(Sse2QosActionType::Drop),
        violate_action: action(Sse2QosActionType::Drop),
    };
    let index = t
        .api()
        .request(&PolicerAdd {
            name: "pol1".into(),
            infos,
        })?
        .policer_index;
    t.cli(&format!(
        "test policing index {index} rate {rate} burst {burst} colour {colour}"
    ))?;
    let mut sum = |name: &str| -> TestResult<u64> {
        Ok(t.stats()?
            .get(&format!("/net/policer/{name}"))?
            .combined_index(index as usize)
            .packets)
    };
    let stats = Stats {
        conform_packets: sum("conform")?,
        exceed_packets: sum("exceed")?,
        violate_packets: sum("violate")?,
    };
    t.api().request(&PolicerDel {
        policer_index: index,
    })?;
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
