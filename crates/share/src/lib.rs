//! # netpol-share
//!
//! The playground's whole state in a URL fragment: nothing is sent to any server, and links stay
//! valid across releases.
//!
//! ```
//! use netpol_share::{decode, encode, to_fragment, ShareState};
//!
//! let state = ShareState {
//!     policies: "kind: NetworkPolicy\n".into(),
//!     cluster: "namespaces: {app: {pods: {web: app=web}}}\n".into(),
//!     view: "matrix".into(),
//!     port: "80/TCP".into(),
//!     ..ShareState::default()
//! };
//! let link = encode(&state);
//! assert!(link.starts_with("v1."));
//! assert_eq!(decode(&link).unwrap(), state);
//! // The fragment form (`#s=v1.…`), as written into `location.hash`, decodes too.
//! assert_eq!(to_fragment(&state), format!("#s={link}"));
//! assert_eq!(decode(&to_fragment(&state)).unwrap(), state);
//! assert!(decode("#s=v1.AAAA!").unwrap_err().to_string().contains("corrupted"));
//! ```
//!
//! ## The fragment
//!
//! `#s=v<N>.<data>`: the key `s`, the format version (`v1`), a dot, and the data in base64url
//! (RFC 4648 §5 alphabet `A–Z a–z 0–9 - _`, **no padding**). The fragment is a list of
//! `key=value` pairs separated by `&` (`#s=v1.…&view=graph` is fine: other keys are left to the
//! app); `s` holds the state. [`decode`] accepts a whole URL, the fragment with or without the
//! leading `#`, `s=v1.…` or the bare `v1.…`. Surrounding whitespace is ignored.
//!
//! ## Format v1 (frozen: a later version must keep decoding it)
//!
//! `data` = base64url( raw DEFLATE (RFC 1951, no zlib/gzip wrapper) of `payload` ), and
//!
//! ```text
//! payload = record* crc
//! record  = tag:u8  len:varint  bytes[len]
//! crc     = CRC-32 (IEEE 802.3, as in zip/PNG) of every record byte, 4 bytes big-endian
//! varint  = unsigned LEB128, at most 5 bytes, value < 2^32
//! ```
//!
//! | tag | field           | bytes                                                  |
//! |-----|-----------------|--------------------------------------------------------|
//! | 1   | `policies`      | UTF-8                                                  |
//! | 2   | `cluster`       | UTF-8                                                  |
//! | 3   | `view`          | UTF-8                                                  |
//! | 4   | `port`          | UTF-8                                                  |
//! | 5   | `example`       | UTF-8                                                  |
//! | 6   | `exercise`      | UTF-8                                                  |
//! | 7   | `tutorial_step` | one varint, nothing else                               |
//! | 8   | `baseline`      | UTF-8                                                  |
//! | 9   | `selected`      | varint `len(from)`, `from` UTF-8, then `to` UTF-8      |
//!
//! - Records may come in any order; the encoder writes them in tag order. When a tag repeats,
//!   the last record wins.
//! - The four plain strings are not written when empty (a missing one decodes as `""`). An
//!   optional field is not written when `None`; `Some("")` is written as an empty record, so it
//!   decodes back to `Some("")`.
//! - **Unknown tags are skipped**: a later release adds an optional field by taking a new tag
//!   (10, 11, …) and v1 decoders ignore it, so there is no need for a new version.
//! - A change that old decoders would misread (a new meaning for an existing tag, a different
//!   compression) needs a new version `v2`: keep [`decode_v1`] and dispatch on the prefix.
//! - The decompressed payload is limited to [`MAX_PAYLOAD`] (1 MiB): a deflate bomb is rejected
//!   without allocating more.
//!
//! The frozen test vector in `tests/roundtrip.rs` fails if a change breaks existing v1 links.
#![forbid(unsafe_code)]

use std::fmt;

/// Everything the playground needs to restore a view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShareState {
    /// The policies editor's text.
    pub policies: String,
    /// The cluster editor's text (toy format or Kubernetes objects).
    pub cluster: String,
    /// The selected view: `matrix`, `graph`, `andor`, `compare`, …
    pub view: String,
    /// The selected port: `80/TCP`, or `all`.
    pub port: String,
    /// The example the state started from (its id, e.g. `default-deny`).
    pub example: Option<String>,
    /// The exercise being worked on (its id).
    pub exercise: Option<String>,
    /// The tutorial step, when in a tutorial.
    pub tutorial_step: Option<u32>,
    /// Compare mode: the pinned policies the current ones are compared with.
    pub baseline: Option<String>,
    /// The selected flow: (from, to) endpoint names, e.g. (`app/web`, `app/db`).
    pub selected: Option<(String, String)>,
}

/// Why a link could not be decoded. `Display` gives a sentence to show the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// Nothing to decode (an empty fragment, or `#s=`).
    Empty,
    /// No `v<N>.` version prefix.
    NotALink,
    /// A version this build does not know (newer than it).
    NewerVersion(u32),
    /// A character outside base64url, at this 1-based character position of the input.
    BadBase64 { at: usize },
    /// The base64 text ends in the middle of a byte (its length is 1 more than a multiple of 4).
    BadBase64Length,
    /// The deflate stream is truncated or invalid.
    Decompress(&'static str),
    /// The decompressed state would exceed [`MAX_PAYLOAD`].
    TooLarge,
    /// The decompressed payload is malformed (bad checksum, bad record, bad UTF-8).
    Corrupt(&'static str),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const BROKEN: &str = "this link is truncated or corrupted";
        match self {
            ShareError::Empty => write!(f, "this link holds no playground state"),
            ShareError::NotALink => write!(
                f,
                "this is not a playground share link (expected #s=v1. followed by the data)"
            ),
            ShareError::NewerVersion(v) => write!(
                f,
                "this link was made by a newer version (v{v}) of the playground; open it with the latest playground"
            ),
            ShareError::BadBase64 { at } => write!(f, "{BROKEN} (bad base64 at character {at})"),
            ShareError::BadBase64Length => {
                write!(f, "{BROKEN} (its data ends in the middle of a character)")
            }
            ShareError::Decompress(why) => write!(f, "{BROKEN} (decompression failed: {why})"),
            ShareError::TooLarge => write!(
                f,
                "this link is too large: its state exceeds {} KiB",
                MAX_PAYLOAD / 1024
            ),
            ShareError::Corrupt(why) => write!(f, "{BROKEN} ({why})"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The version [`encode`] writes.
pub const VERSION: u32 = 1;

/// The fragment key: links look like `#s=v1.…`.
pub const FRAGMENT_KEY: &str = "s";

/// The largest decompressed payload [`decode`] accepts: 1 MiB.
pub const MAX_PAYLOAD: usize = 1 << 20;

/// Deflate level: 6 is zlib's default; 9 gains a handful of bytes for much more time.
const LEVEL: u8 = 6;

mod tag {
    pub const POLICIES: u8 = 1;
    pub const CLUSTER: u8 = 2;
    pub const VIEW: u8 = 3;
    pub const PORT: u8 = 4;
    pub const EXAMPLE: u8 = 5;
    pub const EXERCISE: u8 = 6;
    pub const TUTORIAL_STEP: u8 = 7;
    pub const BASELINE: u8 = 8;
    pub const SELECTED: u8 = 9;
}

/// Encodes `state` as `v1.<base64url>` (without the `#s=`; see [`to_fragment`]).
pub fn encode(state: &ShareState) -> String {
    let payload = payload_v1(state);
    let compressed = miniz_oxide::deflate::compress_to_vec(&payload, LEVEL);
    let mut out = String::with_capacity(3 + compressed.len() * 4 / 3 + 4);
    out.push_str("v1.");
    base64url_encode(&compressed, &mut out);
    out
}

/// The URL fragment for `state`: `#s=v1.<base64url>`.
pub fn to_fragment(state: &ShareState) -> String {
    format!("#{FRAGMENT_KEY}={}", encode(state))
}

/// Decodes a link made by [`encode`] (any version this build knows), given as `v1.…`, `s=v1.…`,
/// `#s=v1.…`, `#v1.…` or a whole URL with such a fragment. Never panics; the error's `Display`
/// is a sentence for the learner.
pub fn decode(link: &str) -> Result<ShareState, ShareError> {
    let (data_start, s) = locate(link);
    if s.is_empty() {
        return Err(ShareError::Empty);
    }
    let Some((version, data)) = s.split_once('.') else {
        return Err(ShareError::NotALink);
    };
    let version = version
        .strip_prefix('v')
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(ShareError::NotALink)?;
    // Byte offset of the base64 text in `link`, to report positions in the input as given.
    let data_offset = data_start + version.len() + 2;
    match version.parse::<u32>() {
        Ok(1) => decode_v1(data).map_err(|e| match e {
            ShareError::BadBase64 { at } => ShareError::BadBase64 {
                at: at + link[..data_offset].chars().count(),
            },
            e => e,
        }),
        Ok(0) => Err(ShareError::NotALink),
        Ok(v) => Err(ShareError::NewerVersion(v)),
        // More digits than a u32: certainly not one of ours, but "newer" is the kind reading.
        Err(_) => Err(ShareError::NewerVersion(u32::MAX)),
    }
}

/// Finds the state in `link` (a whole URL, a fragment with or without `#`, `s=…`, or the bare
/// `v1.…`): its byte offset in `link` and its text, up to the next `&`. The fragment is a list
/// of `key=value` pairs separated by `&`; the state is the value of `s`. Empty when absent.
fn locate(link: &str) -> (usize, &str) {
    let trimmed = link.trim_end();
    let mut start = link.len() - link.trim_start().len();
    let mut s = &trimmed[start.min(trimmed.len())..];
    if let Some(i) = s.rfind('#') {
        start += i + 1;
        s = &s[i + 1..];
    }
    let mut offset = start;
    for (k, part) in s.split('&').enumerate() {
        if let Some(value) = part.strip_prefix("s=") {
            return (offset + 2, value);
        }
        if k == 0 && !part.contains('=') {
            return (offset, part); // The bare `v1.…`.
        }
        offset += part.len() + 1;
    }
    (start, "")
}

/// Decodes the data part of a v1 link (after `v1.`). Base64 positions in errors are 1-based
/// within `data`.
pub fn decode_v1(data: &str) -> Result<ShareState, ShareError> {
    let compressed = base64url_decode(data)?;
    let payload = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_PAYLOAD)
        .map_err(|e| {
            use miniz_oxide::inflate::TINFLStatus as S;
            match e.status {
                S::HasMoreOutput => ShareError::TooLarge,
                S::NeedsMoreInput | S::FailedCannotMakeProgress => {
                    ShareError::Decompress("the data ends too early")
                }
                _ => ShareError::Decompress("the data is not valid deflate"),
            }
        })?;
    parse_payload_v1(&payload)
}

// ---------------------------------------------------------------------------------------------
// The v1 payload

fn payload_v1(s: &ShareState) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.policies.len() + s.cluster.len() + 64);
    let text = |out: &mut Vec<u8>, tag: u8, v: &str, always: bool| {
        if always || !v.is_empty() {
            record(out, tag, v.as_bytes());
        }
    };
    text(&mut out, tag::POLICIES, &s.policies, false);
    text(&mut out, tag::CLUSTER, &s.cluster, false);
    text(&mut out, tag::VIEW, &s.view, false);
    text(&mut out, tag::PORT, &s.port, false);
    if let Some(v) = &s.example {
        text(&mut out, tag::EXAMPLE, v, true);
    }
    if let Some(v) = &s.exercise {
        text(&mut out, tag::EXERCISE, v, true);
    }
    if let Some(step) = s.tutorial_step {
        let mut b = Vec::new();
        varint(&mut b, step);
        record(&mut out, tag::TUTORIAL_STEP, &b);
    }
    if let Some(v) = &s.baseline {
        text(&mut out, tag::BASELINE, v, true);
    }
    if let Some((from, to)) = &s.selected {
        let mut b = Vec::with_capacity(from.len() + to.len() + 2);
        varint(&mut b, len_u32(from.len()));
        b.extend_from_slice(from.as_bytes());
        b.extend_from_slice(to.as_bytes());
        record(&mut out, tag::SELECTED, &b);
    }
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

fn len_u32(n: usize) -> u32 {
    // A state over 4 GiB cannot exist in a URL; saturate rather than wrap.
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn record(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    varint(out, len_u32(bytes.len()));
    out.extend_from_slice(bytes);
}

fn varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint from the front of `b`: (value, bytes used).
fn read_varint(b: &[u8]) -> Result<(u32, usize), ShareError> {
    let mut v: u64 = 0;
    for (i, &byte) in b.iter().enumerate().take(5) {
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return u32::try_from(v)
                .map(|v| (v, i + 1))
                .map_err(|_| ShareError::Corrupt("a length is out of range"));
        }
    }
    Err(ShareError::Corrupt("a length is cut off or too long"))
}

fn utf8(b: &[u8]) -> Result<String, ShareError> {
    String::from_utf8(b.to_vec()).map_err(|_| ShareError::Corrupt("a text is not valid UTF-8"))
}

fn parse_payload_v1(p: &[u8]) -> Result<ShareState, ShareError> {
    if p.len() < 4 {
        return Err(ShareError::Corrupt("the data is too short"));
    }
    let (records, crc) = p.split_at(p.len() - 4);
    if crc32(records).to_be_bytes() != crc {
        return Err(ShareError::Corrupt("checksum mismatch"));
    }
    let mut s = ShareState::default();
    let mut rest = records;
    while let Some((&t, after_tag)) = rest.split_first() {
        let (len, used) = read_varint(after_tag)?;
        let after_len = &after_tag[used..];
        let len = len as usize;
        if len > after_len.len() {
            return Err(ShareError::Corrupt("a record runs past the end"));
        }
        let (bytes, next) = after_len.split_at(len);
        rest = next;
        match t {
            tag::POLICIES => s.policies = utf8(bytes)?,
            tag::CLUSTER => s.cluster = utf8(bytes)?,
            tag::VIEW => s.view = utf8(bytes)?,
            tag::PORT => s.port = utf8(bytes)?,
            tag::EXAMPLE => s.example = Some(utf8(bytes)?),
            tag::EXERCISE => s.exercise = Some(utf8(bytes)?),
            tag::TUTORIAL_STEP => {
                let (v, used) = read_varint(bytes)?;
                if used != bytes.len() {
                    return Err(ShareError::Corrupt("a tutorial step is malformed"));
                }
                s.tutorial_step = Some(v);
            }
            tag::BASELINE => s.baseline = Some(utf8(bytes)?),
            tag::SELECTED => {
                let (n, used) = read_varint(bytes)?;
                let body = &bytes[used..];
                let n = n as usize;
                if n > body.len() {
                    return Err(ShareError::Corrupt("a selected flow is malformed"));
                }
                let (from, to) = body.split_at(n);
                s.selected = Some((utf8(from)?, utf8(to)?));
            }
            _ => {} // A field from a later release: skipped.
        }
    }
    Ok(s)
}

/// CRC-32/IEEE (reflected, polynomial 0xEDB88320), bitwise: the payloads are small.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

// ---------------------------------------------------------------------------------------------
// base64url without padding

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8], out: &mut String) {
    let sym = |v: u32| ALPHABET[(v & 63) as usize] as char;
    let mut chunks = bytes.chunks_exact(3);
    for c in &mut chunks {
        let v = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
        out.extend([sym(v >> 18), sym(v >> 12), sym(v >> 6), sym(v)]);
    }
    match *chunks.remainder() {
        [a] => {
            let v = u32::from(a) << 16;
            out.extend([sym(v >> 18), sym(v >> 12)]);
        }
        [a, b] => {
            let v = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend([sym(v >> 18), sym(v >> 12), sym(v >> 6)]);
        }
        _ => {}
    }
}

fn base64url_value(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    }))
}

/// Decodes base64url without padding. Error positions are 1-based characters of `text`.
/// Trailing `=` padding is tolerated (some chat apps add it); bits left over after the last
/// byte are ignored.
fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let trimmed = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (i, ch) in trimmed.chars().enumerate() {
        let v = u8::try_from(ch)
            .ok()
            .and_then(base64url_value)
            .ok_or(ShareError::BadBase64 { at: i + 1 })?;
        acc = (acc << 6 | v) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    if trimmed.len() % 4 == 1 {
        return Err(ShareError::BadBase64Length);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_known_vectors() {
        // RFC 4648 §10, in the url alphabet without padding.
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut s = String::new();
            base64url_encode(raw.as_bytes(), &mut s);
            assert_eq!(s, enc);
            assert_eq!(base64url_decode(enc).unwrap(), raw.as_bytes());
        }
        let mut s = String::new();
        base64url_encode(&[0xfb, 0xff, 0xbf], &mut s);
        assert_eq!(s, "-_-_");
        assert_eq!(base64url_decode("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(base64url_decode("Zm9v=").unwrap(), b"foo");
        assert_eq!(base64url_decode("Zm9vY"), Err(ShareError::BadBase64Length));
        assert_eq!(
            base64url_decode("Zm+v"),
            Err(ShareError::BadBase64 { at: 3 })
        );
    }

    /// Deflate + base64 of a hand-made payload, as a link.
    fn link_of(records: &[u8]) -> String {
        let mut p = records.to_vec();
        p.extend_from_slice(&crc32(records).to_be_bytes());
        let mut s = String::from("v1.");
        base64url_encode(&miniz_oxide::deflate::compress_to_vec(&p, 6), &mut s);
        s
    }

    #[test]
    fn unknown_tags_are_skipped_and_last_record_wins() {
        let mut r = Vec::new();
        record(&mut r, 200, b"a field from the future");
        record(&mut r, tag::POLICIES, b"old");
        record(&mut r, 0, b"");
        record(&mut r, tag::POLICIES, b"new");
        record(&mut r, 10, &[0xff; 300]);
        let got = decode(&link_of(&r)).unwrap();
        assert_eq!(
            got,
            ShareState {
                policies: "new".into(),
                ..ShareState::default()
            }
        );
    }

    #[test]
    fn malformed_payloads_are_errors() {
        let corrupt = |records: &[u8]| match decode(&link_of(records)) {
            Err(ShareError::Corrupt(why)) => why,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            corrupt(&[tag::POLICIES, 5, b'a']),
            "a record runs past the end"
        );
        assert_eq!(
            corrupt(&[tag::POLICIES, 2, 0xc3, 0x28]),
            "a text is not valid UTF-8"
        );
        assert_eq!(
            corrupt(&[tag::TUTORIAL_STEP, 2, 1, 1]),
            "a tutorial step is malformed"
        );
        assert_eq!(
            corrupt(&[tag::SELECTED, 1, 9]),
            "a selected flow is malformed"
        );
        assert_eq!(
            corrupt(&[tag::VIEW, 0x80]),
            "a length is cut off or too long"
        );
        // A good payload with its checksum flipped.
        let mut s = String::from("v1.");
        let mut p = Vec::new();
        record(&mut p, tag::VIEW, b"matrix");
        p.extend_from_slice(&(crc32(&p) ^ 1).to_be_bytes());
        base64url_encode(&miniz_oxide::deflate::compress_to_vec(&p, 6), &mut s);
        assert_eq!(decode(&s), Err(ShareError::Corrupt("checksum mismatch")));
        // Shorter than a checksum.
        let mut s = String::from("v1.");
        base64url_encode(&miniz_oxide::deflate::compress_to_vec(b"ab", 6), &mut s);
        assert_eq!(
            decode(&s),
            Err(ShareError::Corrupt("the data is too short"))
        );
    }

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn varints() {
        for v in [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX] {
            let mut b = Vec::new();
            varint(&mut b, v);
            assert_eq!(read_varint(&b).unwrap(), (v, b.len()));
        }
        assert!(read_varint(&[0x80, 0x80, 0x80, 0x80, 0x80]).is_err());
        assert!(read_varint(&[0xff, 0xff, 0xff, 0xff, 0x1f]).is_err()); // > u32::MAX
        assert!(read_varint(&[]).is_err());
    }
}
