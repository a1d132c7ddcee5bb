//! Port of `test/asf/test_buffers.py`.

use asf_core::{vpp_test, TestCase, TestResult};

/// Buffer C Unit Tests
#[vpp_test(name = "TestBuffers", requires_plugins = ["unittest_plugin.so"])]
mod buffers {
    use super::*;

    /// Chained Buffer Linearization
    #[vpp_test]
    fn test_linearize(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test chained-buffer-linearization", "failed")?;
        Ok(())
    }

    /// Scalar Frame Enqueue Compatibility
    #[vpp_test(requires_vpp = "26.10")]
    fn test_scalar_frame_enqueue(t: &mut TestCase) -> TestResult {
        t.unittest_cli("test buffer scalar-frame-enqueue", "failed")?;
        Ok(())
    }
}

/// Totals of the default buffer pools, from `show buffers`.
fn buffer_pool_totals(t: &mut TestCase) -> TestResult<Vec<u64>> {
    let out = t.cli("show buffers")?;
    let totals: Vec<u64> = out
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.first().is_some_and(|n| n.starts_with("default-numa-")))
        .filter_map(|f| f.get(5).and_then(|v| v.parse().ok()))
        .collect();
    assert!(
        !totals.is_empty(),
        "no default buffer pools found in:\n{out}"
    );
    Ok(totals)
}

/// Packed Buffer Pool Layout Tests
#[vpp_test(
    name = "TestBufferPoolPackedLayout",
    requires_vpp = "26.10",
    vpp_config = "buffers { layout packed page-size 4k buffers-per-numa 128 default data-size 3072 }",
    requires_cli = ["show buffers"]
)]
mod packed_layout {
    use super::*;

    /// 4K pages with large buffers populate one buffer per page
    #[vpp_test]
    fn test_4k_pages_large_buffers_are_not_underutilized(t: &mut TestCase) -> TestResult {
        for total in buffer_pool_totals(t)? {
            assert!(total >= 127, "{total} buffers");
        }
        Ok(())
    }
}

/// Natural Buffer Pool Layout Tests
#[vpp_test(
    name = "TestBufferPoolNaturalLayout",
    requires_vpp = "26.10",
    vpp_config = "buffers { layout natural page-size 4k buffers-per-numa 128 default data-size 3072 }",
    requires_cli = ["show buffers"]
)]
mod natural_layout {
    use super::*;

    /// Natural layout skips globally aligned buffers spanning pages
    #[vpp_test]
    fn test_4k_pages_preserve_natural_alignment(t: &mut TestCase) -> TestResult {
        for total in buffer_pool_totals(t)? {
            assert!(total > 0 && total < 127, "{total} buffers");
        }
        Ok(())
    }
}
