//! CIDRs, the Go way: Go 1.16's `net.ParseCIDR` as forked in `k8s.io/utils/net`
//! (`ParseCIDRSloppy`, which accepts leading zeros), `net.IPNet`'s matching and printing, and the
//! `netip` rules behind the apiserver's `GetWarningsForCIDR` warnings.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::errors::go_quote;
use crate::model;

/// `IsValidCIDR` / `IsValidCIDRForLegacyField` (apimachinery `util/validation/ip.go`).
pub(super) const CIDR_INVALID: &str =
    "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/// A CIDR as `netutils.ParseCIDRSloppy` returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct GoCidr {
    /// The address as written, in 16-byte form (IPv4 literals as IPv4-mapped addresses).
    ip: [u8; 16],
    /// True when the address is an IPv4 literal (Go's `iplen == IPv4len`).
    v4_literal: bool,
    /// The prefix length as written (`≤ 32` or `≤ 128`).
    pub(super) ones: u8,
    /// True when `netip.ParsePrefix` accepts the text too (no leading zeros anywhere).
    strict: bool,
}

const V4_IN_V6_PREFIX: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
const BIG: u32 = 0xFF_FFFF;

fn mapped(v4: [u8; 4]) -> [u8; 16] {
    let mut ip = [0u8; 16];
    ip[..12].copy_from_slice(&V4_IN_V6_PREFIX);
    ip[12..].copy_from_slice(&v4);
    ip
}

/// Go's `IP.To4`.
fn to4(ip: &[u8]) -> Option<[u8; 4]> {
    match ip.len() {
        4 => ip.try_into().ok(),
        16 if ip.get(..12) == Some(&V4_IN_V6_PREFIX[..]) => {
            ip.get(12..).and_then(|b| b.try_into().ok())
        }
        _ => None,
    }
}

/// Go's `CIDRMask(ones, bits)`.
fn cidr_mask(ones: u8, bits: u8) -> Vec<u8> {
    (0..bits / 8)
        .map(|i| {
            let start = u32::from(i) * 8;
            let ones = u32::from(ones);
            if ones >= start + 8 {
                0xff
            } else if ones <= start {
                0
            } else {
                !(0xffu8 >> (ones - start))
            }
        })
        .collect()
}

fn count_ones(mask: &[u8]) -> u8 {
    // Masks here are contiguous, so this is the prefix length.
    mask.iter()
        .map(|b| b.count_ones() as u8)
        .fold(0u8, u8::saturating_add)
}

/// Go's `dtoi`: decimal digits, leading zeros allowed.
fn dtoi(s: &[u8]) -> (u32, usize, bool) {
    let mut n: u32 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        n = n * 10 + u32::from(c - b'0');
        if n >= BIG {
            return (BIG, i, false);
        }
        i += 1;
    }
    if i == 0 {
        return (0, 0, false);
    }
    (n, i, true)
}

/// Go's `xtoi`: hexadecimal digits, leading zeros allowed.
fn xtoi(s: &[u8]) -> (u32, usize, bool) {
    let mut n: u32 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        let Some(d) = (c as char).to_digit(16) else {
            break;
        };
        n = n * 16 + d;
        if n >= BIG {
            return (0, i, false);
        }
        i += 1;
    }
    if i == 0 {
        return (0, i, false);
    }
    (n, i, true)
}

/// Go 1.16 `parseIPv4` (leading zeros allowed).
fn parse_ipv4(mut s: &[u8]) -> Option<[u8; 4]> {
    let mut p = [0u8; 4];
    for (i, byte) in p.iter_mut().enumerate() {
        if s.is_empty() {
            return None;
        }
        if i > 0 {
            if s.first() != Some(&b'.') {
                return None;
            }
            s = s.get(1..)?;
        }
        let (n, c, ok) = dtoi(s);
        if !ok || n > 0xff {
            return None;
        }
        s = s.get(c..)?;
        *byte = n as u8;
    }
    if s.is_empty() {
        Some(p)
    } else {
        None
    }
}

/// Go 1.16 `parseIPv6` (without zones).
fn parse_ipv6(mut s: &[u8]) -> Option<[u8; 16]> {
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if s.starts_with(b"::") {
        ellipsis = Some(0);
        s = s.get(2..)?;
        if s.is_empty() {
            return Some(ip);
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let (n, c, ok) = xtoi(s);
        if !ok || n > 0xffff {
            return None;
        }
        if s.get(c) == Some(&b'.') {
            // A trailing IPv4 address.
            if ellipsis.is_none() && i != 12 {
                return None;
            }
            if i + 4 > 16 {
                return None;
            }
            let v4 = parse_ipv4(s)?;
            ip.get_mut(i..i + 4)?.copy_from_slice(&v4);
            s = &[];
            i += 4;
            break;
        }
        *ip.get_mut(i)? = (n >> 8) as u8;
        *ip.get_mut(i + 1)? = n as u8;
        i += 2;
        s = s.get(c..)?;
        if s.is_empty() {
            break;
        }
        if s.first() != Some(&b':') || s.len() == 1 {
            return None;
        }
        s = s.get(1..)?;
        if s.first() == Some(&b':') {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            s = s.get(1..)?;
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return None;
    }
    if i < 16 {
        let e = ellipsis?;
        let n = 16 - i;
        // Move ip[e..i] to the end and zero the gap.
        let tail: Vec<u8> = ip.get(e..i)?.to_vec();
        for b in ip.iter_mut().skip(e) {
            *b = 0;
        }
        ip.get_mut(e + n..16)?.copy_from_slice(&tail);
    } else if ellipsis.is_some() {
        // The ellipsis must stand for at least one zero group.
        return None;
    }
    Some(ip)
}

/// Whether `netip.ParsePrefix` would accept a text that `ParseCIDRSloppy` accepted: it rejects
/// leading zeros in IPv4 fields and in the prefix length, and IPv6 fields of more than four
/// hex digits.
fn netip_accepts(addr: &[u8], bits: &[u8], v4_literal: bool) -> bool {
    let leading_zero = |f: &[u8]| f.len() > 1 && f.first() == Some(&b'0');
    if leading_zero(bits) {
        return false;
    }
    if v4_literal {
        return !addr.split(|&c| c == b'.').any(leading_zero);
    }
    addr.split(|&c| c == b':').all(|group| {
        if group.contains(&b'.') {
            !group.split(|&c| c == b'.').any(leading_zero)
        } else {
            group.len() <= 4
        }
    })
}

impl GoCidr {
    /// `netutils.ParseCIDRSloppy`: `None` when it returns an error.
    pub(super) fn parse(text: &str) -> Option<GoCidr> {
        let b = text.as_bytes();
        let slash = b.iter().position(|&c| c == b'/')?;
        let addr = b.get(..slash)?;
        let mask = b.get(slash + 1..)?;
        let (ip, v4_literal) = match parse_ipv4(addr) {
            Some(v4) => (mapped(v4), true),
            None => (parse_ipv6(addr)?, false),
        };
        let (n, i, ok) = dtoi(mask);
        let max = if v4_literal { 32 } else { 128 };
        if !ok || i != mask.len() || n > max {
            return None;
        }
        let ones = u8::try_from(n).ok()?;
        Some(GoCidr {
            ip,
            v4_literal,
            ones,
            strict: netip_accepts(addr, mask, v4_literal),
        })
    }

    fn bits(&self) -> u8 {
        if self.v4_literal {
            32
        } else {
            128
        }
    }

    fn mask(&self) -> Vec<u8> {
        cidr_mask(self.ones, self.bits())
    }

    /// The address in Go's length (4 bytes for IPv4 literals).
    fn raw_ip(&self) -> Vec<u8> {
        if self.v4_literal {
            self.ip.get(12..).unwrap_or_default().to_vec()
        } else {
            self.ip.to_vec()
        }
    }

    /// Go's `ipnet.IP`: the address with the host bits cleared.
    pub(super) fn net_ip(&self) -> Vec<u8> {
        self.raw_ip()
            .iter()
            .zip(self.mask())
            .map(|(a, m)| a & m)
            .collect()
    }

    /// Go's `networkNumberAndMask`.
    fn network_and_mask(&self) -> (Vec<u8>, Vec<u8>) {
        let net = self.net_ip();
        let ip = match to4(&net) {
            Some(v4) => v4.to_vec(),
            None => net,
        };
        let mut mask = self.mask();
        if mask.len() == 16 && ip.len() == 4 {
            mask = mask.get(12..).unwrap_or_default().to_vec();
        }
        (ip, mask)
    }

    /// Go's `IPNet.Contains`.
    pub(super) fn contains(&self, x: &[u8]) -> bool {
        let (nn, m) = self.network_and_mask();
        let x4;
        let x = match to4(x) {
            Some(v4) => {
                x4 = v4;
                &x4[..]
            }
            None => x,
        };
        nn.len() == x.len()
            && m.len() == x.len()
            && nn.iter().zip(&m).zip(x).all(|((n, m), x)| n & m == x & m)
    }

    /// The network as the evaluator should match it (what Go's `Contains` does).
    pub(super) fn model(&self) -> model::Cidr {
        let (nn, m) = self.network_and_mask();
        let prefix = count_ones(&m);
        let addr = match <[u8; 4]>::try_from(nn.as_slice()) {
            Ok(v4) => IpAddr::V4(Ipv4Addr::from(v4)),
            Err(_) => {
                let mut b = [0u8; 16];
                for (dst, src) in b.iter_mut().zip(&nn) {
                    *dst = *src;
                }
                IpAddr::V6(Ipv6Addr::from(b))
            }
        };
        model::Cidr { addr, prefix }
    }

    /// Go's `ipnet.String()`.
    pub(super) fn canonical(&self) -> String {
        format!("{}/{}", go_ip_string(&self.net_ip()), self.ones)
    }

    /// `GetWarningsForCIDR` (without the leading field path).
    pub(super) fn warnings(&self, value: &str) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.raw_ip() != self.net_ip() {
            let single = format!("{}/{}", go_ip_string(&self.ip), self.bits());
            warnings.push(format!(
                "CIDR value {} is ambiguous in this context (should be {} or {}?)",
                go_quote(value),
                go_quote(&self.canonical()),
                go_quote(&single)
            ));
        }
        let is_4in6 = !self.v4_literal && to4(&self.ip).is_some();
        if !self.strict || is_4in6 {
            warnings.push(format!(
                "non-standard CIDR value {} will be considered invalid in a future Kubernetes release: use {}",
                go_quote(value),
                go_quote(&self.canonical())
            ));
        }
        if warnings.is_empty() && !self.v4_literal {
            let prefix = format!("{}/{}", ipv6_string(&self.ip), self.ones);
            if prefix != value {
                warnings.push(format!(
                    "IPv6 CIDR value {} should be in RFC 5952 canonical format ({})",
                    go_quote(value),
                    go_quote(&prefix)
                ));
            }
        }
        warnings
    }
}

/// Go's `net.IP.String()` for 4- and 16-byte addresses.
fn go_ip_string(ip: &[u8]) -> String {
    if let Some(v4) = to4(ip) {
        return Ipv4Addr::from(v4).to_string();
    }
    let mut b = [0u8; 16];
    for (dst, src) in b.iter_mut().zip(ip) {
        *dst = *src;
    }
    ipv6_string(&b)
}

/// RFC 5952 text of an IPv6 address (Go's `netip.Addr.String` without the IPv4-mapped case).
fn ipv6_string(ip: &[u8; 16]) -> String {
    let groups: Vec<u16> = ip
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    // The first longest run of at least two zero groups.
    let (mut best_start, mut best_len) = (0usize, 0usize);
    let mut i = 0;
    while i < groups.len() {
        if groups[i] == 0 {
            let start = i;
            while i < groups.len() && groups[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_start = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best_len = 0;
    }
    let mut out = String::new();
    let mut i = 0;
    while i < groups.len() {
        if best_len > 0 && i == best_start {
            out.push_str("::");
            i += best_len;
            continue;
        }
        if !out.is_empty() && !out.ends_with(':') {
            out.push(':');
        }
        let _ = write!(out, "{:x}", groups[i]);
        i += 1;
    }
    out
}
