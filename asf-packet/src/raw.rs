//! Bytes that are not dissected further, and padding.

use crate::field::Value;
use crate::wire::{Cx, Parsed, Wire};

/// Payload bytes (scapy's `Raw`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Raw {
    /// The bytes.
    pub load: Vec<u8>,
}

impl Raw {
    /// These bytes.
    pub fn new(load: impl AsRef<[u8]>) -> Raw {
        Raw {
            load: load.as_ref().to_vec(),
        }
    }
}

impl From<&[u8]> for Raw {
    fn from(b: &[u8]) -> Raw {
        Raw::new(b)
    }
}

impl From<Vec<u8>> for Raw {
    fn from(load: Vec<u8>) -> Raw {
        Raw { load }
    }
}

impl Wire for Raw {
    fn build(&self, _cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.load.len() + payload.len());
        out.extend_from_slice(&self.load);
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Raw>> {
        Some(Parsed::new(Raw::new(b), b.len(), crate::wire::Next::Raw))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![("load", Value::Bytes(self.load.clone()))]
    }
}

/// Bytes past the length a header gave (scapy's `Padding`): built after the
/// whole packet, outside every length and checksum.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Padding {
    /// The bytes.
    pub load: Vec<u8>,
}

impl Padding {
    /// These bytes.
    pub fn new(load: impl AsRef<[u8]>) -> Padding {
        Padding {
            load: load.as_ref().to_vec(),
        }
    }
}

impl Wire for Padding {
    fn build(&self, _cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        payload
    }

    fn parse(b: &[u8]) -> Option<Parsed<Padding>> {
        Some(Parsed::new(
            Padding::new(b),
            b.len(),
            crate::wire::Next::Raw,
        ))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![("load", Value::Bytes(self.load.clone()))]
    }
}
