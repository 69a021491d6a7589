//! Share-link encoding: round trips, robustness against any input, the frozen v1 vector, and
//! the size of the default example's link.

use netpol_share::{decode, decode_v1, encode, to_fragment, ShareError, ShareState};
use proptest::prelude::*;

/// A v1 link made by the first release of the format. **Never change this string or the state
/// it decodes to**: if this test fails, the change breaks links people have already shared.
const FROZEN_V1: &str = "v1.PY49TgMxEIW1ZEmChSg4wUi02azCjxRZoqKBBkUiokEUXnuIrOzalm1IVtEegYqWC1DRUdHtTTgJ9iZKNe-9mfdpkveEGfmI1kmtKCj0K22XUi3Gy6kbS52_TUiwgsL9djXTpeQ1qdAzwTyjsFGsQgoCVT2CqJ1hPATMmIY4g5wSAKPFA5bIvbah0XRJ5Mxrg47C051aWHTumRxM9wgXi4ESR0cIh5sVFh36OogRiJ0RRUN6_Yp5K9fp8Ory4jyf38wOjwW-sNfSZ_G5forrbDJIesPTM2h_VfvN2x_RfsHf5wc5OhkETh6gcYjiNnPpPw";

fn frozen_state() -> ShareState {
    ShareState {
        policies: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: app}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n".into(),
        cluster: "namespaces:\n  app:\n    pods: {web: app=web, db: app=db}\n".into(),
        view: "matrix".into(),
        port: "5432/TCP".into(),
        example: Some("default-deny".into()),
        exercise: Some("ex-1".into()),
        tutorial_step: Some(3),
        baseline: Some("# ünïcödé ✓\n".into()),
        selected: Some(("app/web".into(), "app/db".into())),
    }
}

#[test]
fn frozen_v1_vector_still_decodes() {
    assert_eq!(decode(FROZEN_V1).unwrap(), frozen_state());
    assert_eq!(decode(&format!("#s={FROZEN_V1}")).unwrap(), frozen_state());
    assert_eq!(decode_v1(&FROZEN_V1[3..]).unwrap(), frozen_state());
}

#[test]
fn encoding_is_deterministic() {
    // Not a compatibility promise (a better compressor may change it), but today's encoder
    // reproduces the frozen vector.
    assert_eq!(encode(&frozen_state()), FROZEN_V1);
}

#[test]
fn default_state_round_trips() {
    let s = ShareState::default();
    assert_eq!(decode(&encode(&s)).unwrap(), s);
    let empty_options = ShareState {
        example: Some(String::new()),
        baseline: Some(String::new()),
        selected: Some((String::new(), String::new())),
        tutorial_step: Some(0),
        ..ShareState::default()
    };
    assert_eq!(decode(&encode(&empty_options)).unwrap(), empty_options);
}

#[test]
fn fragment_forms() {
    let s = frozen_state();
    let link = encode(&s);
    for form in [
        link.clone(),
        format!("#s={link}"),
        format!("s={link}"),
        format!("#{link}"),
        format!("  #s={link}\n"),
        format!("#s={link}&embed=1"),
        format!("#embed=1&s={link}"),
        format!("https://example.org/playground/?embed=1#s={link}"),
        format!("http://localhost:8080/#{link}"),
    ] {
        assert_eq!(decode(&form).unwrap(), s, "{form}");
    }
    assert_eq!(to_fragment(&s), format!("#s={link}"));
}

#[test]
fn human_messages() {
    let msg = |s: &str| decode(s).unwrap_err().to_string();
    assert_eq!(msg(""), "this link holds no playground state");
    assert_eq!(msg("#s="), "this link holds no playground state");
    assert_eq!(
        msg("#s=v9.AAAA"),
        "this link was made by a newer version (v9) of the playground; open it with the latest playground"
    );
    assert!(msg("#s=hello").contains("not a playground share link"));
    assert_eq!(
        msg("#embed=1&view=matrix"),
        "this link holds no playground state"
    );
    assert_eq!(
        msg("https://example.org/"),
        "this is not a playground share link (expected #s=v1. followed by the data)"
    );
    assert!(msg("#s=vx.AAAA").contains("not a playground share link"));
    // `#s=v1.` is 6 characters: the `!` is the 17th character of the input.
    assert_eq!(
        msg("#s=v1.AAAAAAAAAA!AAA"),
        "this link is truncated or corrupted (bad base64 at character 17)"
    );
    assert_eq!(
        decode("v1.AAAAAAAAAA!AAA").unwrap_err(),
        ShareError::BadBase64 { at: 14 }
    );
    assert_eq!(
        decode(" ü#embed=1&s=v1.A!").unwrap_err(),
        ShareError::BadBase64 { at: 18 }
    );
    let link = encode(&frozen_state());
    let truncated = &link[..link.len() / 2];
    let m = msg(truncated);
    assert!(m.starts_with("this link is truncated or corrupted"), "{m}");
    assert!(msg("v1.").contains("decompression failed"));
}

#[test]
fn zip_bomb_is_rejected() {
    // 4 MiB of one byte inside a valid-looking payload compresses to a few KiB.
    let bomb = ShareState {
        policies: "a".repeat(4 << 20),
        ..ShareState::default()
    };
    let link = encode(&bomb);
    assert!(link.len() < 16 * 1024, "{}", link.len());
    assert_eq!(decode(&link), Err(ShareError::TooLarge));
    assert!(decode(&link).unwrap_err().to_string().contains("too large"));
}

#[test]
fn default_example_link_is_a_few_hundred_characters() {
    let ex = netpol_examples::default_example();
    let state = ShareState {
        policies: ex.policies.clone(),
        cluster: ex.cluster.clone(),
        view: "matrix".into(),
        port: ex.port.clone().unwrap_or_else(|| "80/TCP".into()),
        example: Some(ex.id.clone()),
        ..ShareState::default()
    };
    let frag = to_fragment(&state);
    let yaml = ex.policies.len() + ex.cluster.len();
    println!(
        "default example: {yaml} bytes of YAML ({} lines) -> {} characters of fragment",
        ex.policies.lines().count() + ex.cluster.lines().count(),
        frag.len()
    );
    assert!(frag.len() <= BOUND, "{} > {BOUND}", frag.len());
    assert_eq!(decode(&frag).unwrap(), state);
}

/// Measured: 581 characters for 1434 bytes (82 lines) of YAML; the bound leaves a margin for
/// edits to examples/default.yaml.
const BOUND: usize = 700;

fn opt_string() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(any::<String>())
}

fn any_state() -> impl Strategy<Value = ShareState> {
    (
        (
            any::<String>(),
            any::<String>(),
            any::<String>(),
            any::<String>(),
        ),
        (
            opt_string(),
            opt_string(),
            any::<Option<u32>>(),
            opt_string(),
        ),
        proptest::option::of((any::<String>(), any::<String>())),
    )
        .prop_map(
            |(
                (policies, cluster, view, port),
                (example, exercise, tutorial_step, baseline),
                selected,
            )| {
                ShareState {
                    policies,
                    cluster,
                    view,
                    port,
                    example,
                    exercise,
                    tutorial_step,
                    baseline,
                    selected,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn encode_then_decode_is_identity(s in any_state()) {
        let link = encode(&s);
        prop_assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        prop_assert_eq!(decode(&link).unwrap(), s.clone());
        prop_assert_eq!(decode(&to_fragment(&s)).unwrap(), s);
    }

    #[test]
    fn decoding_any_string_never_panics(s in any::<String>()) {
        let _ = decode(&s);
        let _ = decode(&format!("#s=v1.{s}"));
    }

    #[test]
    fn decoding_base64_garbage_never_panics(s in "[A-Za-z0-9_-]{0,200}") {
        let _ = decode(&format!("v1.{s}"));
    }

    #[test]
    fn mutated_or_truncated_links_never_panic(
        s in any_state(),
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        let link = encode(&s);
        // Truncation anywhere.
        let _ = decode(&link[..cut.index(link.len() + 1)]);
        // Byte mutations (kept ASCII so it stays a &str; any byte goes through `decode` of the
        // lossy string as well).
        let mut bytes = link.clone().into_bytes();
        for (at, b) in &flips {
            let i = at.index(bytes.len());
            bytes[i] = *b;
        }
        let _ = decode(&String::from_utf8_lossy(&bytes));
        // Mutations that keep it valid base64: a corrupted link is almost always reported as
        // such (the CRC), never silently misread as something else when it decodes.
        let mut b64 = link.into_bytes();
        for (at, b) in &flips {
            let i = 3 + at.index(b64.len() - 3);
            b64[i] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[usize::from(*b) % 64];
        }
        let _ = decode(std::str::from_utf8(&b64).unwrap());
    }
}
