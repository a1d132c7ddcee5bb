//! The stand-in's "demo" plugin: the API of `examples/plugin-tests/api/demo.api`,
//! an example out-of-tree plugin, so that the example's typed bindings talk
//! to something. Encoded by hand here, independently of asf's generated
//! code, which it therefore checks.

/// `VNET_API_ERROR_INVALID_VALUE`.
pub const INVALID_VALUE: i32 = -1;
/// `VNET_API_ERROR_NO_SUCH_ENTRY`.
pub const NO_SUCH_ENTRY: i32 = -6;
/// Rules a `demo_rules_get` call gives before it hands back a cursor.
pub const STREAM_BATCH: usize = 2;

/// One rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rule {
    /// Its id.
    pub id: u32,
    /// `demo_mode`: 0 off, 1 count, 2 drop.
    pub mode: u8,
    /// `demo_flags`.
    pub flags: u32,
    /// `demo_key`: 16 bytes.
    pub key: [u8; 16],
    /// `string tag[32]`.
    pub tag: String,
    /// Destination ports.
    pub ports: Vec<u16>,
    /// `string comment[]`.
    pub comment: String,
}

/// The rule table.
#[derive(Debug, Default)]
pub struct Demo {
    rules: Vec<Rule>,
    next_id: u32,
}

/// Reads big-endian fields from a request payload.
pub struct Fields<'a>(pub &'a [u8]);

impl Fields<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }
    fn fixed(&mut self, n: usize) -> Option<String> {
        let raw = self.take(n)?;
        let end = raw.iter().position(|&b| b == 0).unwrap_or(n);
        Some(String::from_utf8_lossy(&raw[..end]).into_owned())
    }
}

impl Demo {
    /// `demo_rule_add`: mode, flags, key, tag, n_ports, ports. Gives the
    /// retval and the new rule's id.
    pub fn add(&mut self, payload: &[u8]) -> Option<(i32, u32)> {
        let mut f = Fields(payload);
        let mode = f.u8()?;
        let flags = f.u32()?;
        let key: [u8; 16] = f.take(16)?.try_into().ok()?;
        let tag = f.fixed(32)?;
        let n = f.u8()?;
        let ports = (0..n).map(|_| f.u16()).collect::<Option<Vec<u16>>>()?;
        if mode > 2 || flags & !7 != 0 {
            return Some((INVALID_VALUE, u32::MAX));
        }
        let id = self.next_id;
        self.next_id += 1;
        self.rules.push(Rule {
            id,
            mode,
            flags,
            key,
            tag,
            ports,
            comment: String::new(),
        });
        Some((0, id))
    }

    /// `demo_rule_del`.
    pub fn del(&mut self, payload: &[u8]) -> Option<i32> {
        let id = Fields(payload).u32()?;
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        Some(if self.rules.len() < before {
            0
        } else {
            NO_SUCH_ENTRY
        })
    }

    /// `demo_rule_set_comment`: rule_id, then a u32-length string.
    pub fn set_comment(&mut self, payload: &[u8]) -> Option<i32> {
        let mut f = Fields(payload);
        let id = f.u32()?;
        let len = f.u32()? as usize;
        let text = String::from_utf8_lossy(f.take(len)?).into_owned();
        Some(match self.rules.iter_mut().find(|r| r.id == id) {
            Some(r) => {
                r.comment = text;
                0
            }
            None => NO_SUCH_ENTRY,
        })
    }

    /// `demo_rule_dump`: one rule by id, or all for ~0.
    pub fn dump(&self, payload: &[u8]) -> Option<Vec<&Rule>> {
        let id = Fields(payload).u32()?;
        Some(
            self.rules
                .iter()
                .filter(|r| id == u32::MAX || r.id == id)
                .collect(),
        )
    }

    /// `demo_rules_get`: up to [`STREAM_BATCH`] rules from the cursor on,
    /// and the cursor to go on from (~0 when there are no more).
    pub fn get(&self, payload: &[u8]) -> Option<(Vec<&Rule>, u32)> {
        let cursor = Fields(payload).u32()?;
        let from: Vec<&Rule> = self.rules.iter().filter(|r| r.id >= cursor).collect();
        let next = from.get(STREAM_BATCH).map_or(u32::MAX, |r| r.id);
        Some((from.into_iter().take(STREAM_BATCH).collect(), next))
    }

    /// Whether a rule exists and what it is.
    #[cfg(test)]
    pub fn rule(&self, id: u32) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The `demo_rule_details` payload after `context`.
pub fn details(r: &Rule) -> Vec<u8> {
    let mut d = Vec::with_capacity(72 + 2 * r.ports.len());
    d.extend_from_slice(&r.id.to_be_bytes());
    d.push(r.mode);
    d.extend_from_slice(&r.flags.to_be_bytes());
    d.extend_from_slice(&r.key);
    d.extend_from_slice(&0u64.to_be_bytes()); // hits
    let mut tag = r.tag.as_bytes()[..r.tag.len().min(31)].to_vec();
    tag.resize(32, 0);
    d.extend_from_slice(&tag);
    d.push(r.ports.len() as u8);
    for p in &r.ports {
        d.extend_from_slice(&p.to_be_bytes());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_add_stream_and_go() {
        let mut demo = Demo::default();
        let mut add = vec![1u8];
        add.extend_from_slice(&1u32.to_be_bytes());
        add.extend_from_slice(&[10, 0, 0, 1]);
        add.resize(add.len() + 12, 0);
        let mut tag = b"web".to_vec();
        tag.resize(32, 0);
        add.extend_from_slice(&tag);
        add.push(2);
        add.extend_from_slice(&[0, 80, 1, 187]);
        for _ in 0..3 {
            assert_eq!(demo.add(&add).unwrap().0, 0);
        }
        let r = demo.rule(0).unwrap();
        assert_eq!(
            (r.tag.as_str(), r.ports.as_slice()),
            ("web", &[80, 443][..])
        );
        assert_eq!(details(r).len(), 4 + 1 + 4 + 16 + 8 + 32 + 1 + 4);
        let (first, next) = demo.get(&0u32.to_be_bytes()).unwrap();
        assert_eq!((first.len(), next), (2, 2));
        let (rest, next) = demo.get(&2u32.to_be_bytes()).unwrap();
        assert_eq!((rest.len(), next), (1, u32::MAX));
        add[0] = 9;
        assert_eq!(demo.add(&add).unwrap().0, INVALID_VALUE);
        assert_eq!(demo.del(&7u32.to_be_bytes()), Some(NO_SUCH_ENTRY));
        assert_eq!(demo.del(&1u32.to_be_bytes()), Some(0));
    }
}
