//! Values read from the stats segment.

/// The value of one directory entry, copied out of the segment.
#[derive(Clone, Debug, PartialEq)]
pub enum StatValue {
    /// `SCALAR_INDEX`: one number.
    Scalar(u64),
    /// `GAUGE` (VPP >= 26.02): one number.
    Gauge(u64),
    /// `COUNTER_VECTOR_SIMPLE`: `[thread][index]`.
    Simple(Vec<Vec<u64>>),
    /// `COUNTER_VECTOR_COMBINED`: `[thread][index]` of (packets, bytes).
    Combined(Vec<Vec<Combined>>),
    /// `NAME_VECTOR`: by index; `None` for an empty slot.
    Names(Vec<Option<String>>),
    /// `HISTOGRAM_LOG2` (VPP >= 26.02).
    Histogram(Histogram),
    /// `RING_BUFFER` (VPP >= 26.02): per thread, the raw entries, oldest first.
    RingBuffer(RingBuffer),
    /// `SYMLINK` resolved: one column of a simple counter, per thread.
    SimpleColumn(Vec<u64>),
    /// `SYMLINK` resolved: one column of a combined counter, per thread.
    CombinedColumn(Vec<Combined>),
}

/// One combined counter cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Combined {
    /// Packets.
    pub packets: u64,
    /// Bytes.
    pub bytes: u64,
}

/// A log2 histogram: bin `i` counts values in `[2^(min_exp+i), 2^(min_exp+i+1))`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram {
    /// Exponent of the first bin (element 0 of VPP's per-thread vector).
    pub min_exp: u64,
    /// Per thread, the bin counts.
    pub bins: Vec<Vec<u64>>,
}

/// A ring-buffer entry set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RingBuffer {
    /// Bytes per entry.
    pub entry_size: u32,
    /// Entries per thread.
    pub ring_size: u32,
    /// Per thread: `(sequence, entries oldest first)`.
    pub threads: Vec<(u64, Vec<Vec<u8>>)>,
}

impl StatValue {
    /// The total of a counter: the number itself, or the sum over threads
    /// and indexes (packets for combined counters).
    pub fn sum(&self) -> u64 {
        match self {
            StatValue::Scalar(v) | StatValue::Gauge(v) => *v,
            StatValue::Simple(t) => t.iter().flatten().fold(0u64, |a, b| a.wrapping_add(*b)),
            StatValue::Histogram(h) => h
                .bins
                .iter()
                .flatten()
                .fold(0u64, |a, b| a.wrapping_add(*b)),
            StatValue::Combined(t) => t
                .iter()
                .flatten()
                .fold(0u64, |a, c| a.wrapping_add(c.packets)),
            StatValue::SimpleColumn(c) => c.iter().fold(0u64, |a, b| a.wrapping_add(*b)),
            StatValue::CombinedColumn(c) => c.iter().fold(0u64, |a, b| a.wrapping_add(b.packets)),
            StatValue::Names(_) | StatValue::RingBuffer(_) => 0,
        }
    }

    /// Sum over threads of column `index` of a simple counter.
    pub fn sum_index(&self, index: usize) -> u64 {
        match self {
            StatValue::Simple(t) => t
                .iter()
                .filter_map(|r| r.get(index))
                .fold(0u64, |a, b| a.wrapping_add(*b)),
            StatValue::Combined(t) => t
                .iter()
                .filter_map(|r| r.get(index))
                .fold(0u64, |a, c| a.wrapping_add(c.packets)),
            StatValue::SimpleColumn(_) | StatValue::CombinedColumn(_) if index == 0 => self.sum(),
            StatValue::Scalar(v) | StatValue::Gauge(v) if index == 0 => *v,
            _ => 0,
        }
    }

    /// Combined cells of column `index` summed over threads.
    pub fn combined_index(&self, index: usize) -> Combined {
        let cells: Vec<Combined> = match self {
            StatValue::Combined(t) => t.iter().filter_map(|r| r.get(index).copied()).collect(),
            StatValue::CombinedColumn(c) if index == 0 => c.clone(),
            _ => Vec::new(),
        };
        cells.iter().fold(Combined::default(), |a, c| Combined {
            packets: a.packets.wrapping_add(c.packets),
            bytes: a.bytes.wrapping_add(c.bytes),
        })
    }

    /// Sum over indexes for each thread.
    pub fn per_thread(&self) -> Vec<u64> {
        match self {
            StatValue::Simple(t) => t
                .iter()
                .map(|r| r.iter().fold(0u64, |a, b| a.wrapping_add(*b)))
                .collect(),
            StatValue::Combined(t) => t
                .iter()
                .map(|r| r.iter().fold(0u64, |a, c| a.wrapping_add(c.packets)))
                .collect(),
            StatValue::SimpleColumn(c) => c.clone(),
            StatValue::CombinedColumn(c) => c.iter().map(|x| x.packets).collect(),
            _ => vec![self.sum()],
        }
    }

    /// The value at `[thread][index]` (packets for combined counters).
    pub fn at(&self, thread: usize, index: usize) -> Option<u64> {
        match self {
            StatValue::Simple(t) => t.get(thread)?.get(index).copied(),
            StatValue::Histogram(h) => h.bins.get(thread)?.get(index).copied(),
            StatValue::Combined(t) => t.get(thread)?.get(index).map(|c| c.packets),
            StatValue::SimpleColumn(c) if index == 0 => c.get(thread).copied(),
            StatValue::CombinedColumn(c) if index == 0 => c.get(thread).map(|x| x.packets),
            StatValue::Scalar(v) | StatValue::Gauge(v) if thread == 0 && index == 0 => Some(*v),
            _ => None,
        }
    }

    /// The names of a name vector.
    pub fn names(&self) -> Option<&[Option<String>]> {
        match self {
            StatValue::Names(n) => Some(n),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_by_thread_and_index() {
        let v = StatValue::Simple(vec![vec![1, 2, 3], vec![10, 20]]);
        assert_eq!(v.sum(), 36);
        assert_eq!(v.sum_index(1), 22);
        assert_eq!(v.sum_index(2), 3);
        assert_eq!(v.per_thread(), vec![6, 30]);
        assert_eq!(v.at(1, 0), Some(10));
        assert_eq!(v.at(1, 2), None);
        let c = StatValue::Combined(vec![
            vec![Combined {
                packets: 1,
                bytes: 64,
            }],
            vec![Combined {
                packets: 2,
                bytes: 128,
            }],
        ]);
        assert_eq!(c.sum(), 3);
        assert_eq!(
            c.combined_index(0),
            Combined {
                packets: 3,
                bytes: 192
            }
        );
    }
}
