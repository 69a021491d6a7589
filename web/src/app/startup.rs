//! Start-up: the first state from what the shell read before the first render. A `#s=` share
//! link wins over localStorage; a broken link falls back to the default scenario with a message;
//! an embed without a link shows the default scenario, not this browser's saved work.

use netpol_examples::Example;
use serde::{Deserialize, Serialize};

use super::learn::Progress;
use super::share;
use super::state::{Saved, State};
use super::update::{save, save_progress, Effect};

/// What the shell read before the first render.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Startup {
    /// The work saved in localStorage (`None` when storage is off or empty).
    pub saved: Option<Saved>,
    /// The learner's progress in localStorage.
    pub progress: Option<Progress>,
    /// `location.search` and `location.hash`.
    pub search: String,
    pub hash: String,
    /// The playground's URL without query or fragment.
    pub page_url: String,
}

/// The first state, and what the shell should do before (storage, address bar) and after the
/// first render (scrolling).
pub fn start(examples: Vec<Example>, env: Startup) -> (State, Vec<Effect>) {
    let embed = share::parse_embed(&env.search);
    let has_link = share::is_link(&env.hash);
    let mut fx = Vec::new();
    let mut state = if has_link {
        let state = match share::from_link(examples.clone(), &env.hash) {
            Ok(st) => {
                // Restored once; later edits are saved as usual.
                if embed.is_none() {
                    fx.extend(save(&st));
                }
                st
            }
            Err(detail) => {
                let mut st = State::new(examples);
                st.learn.share_error = Some(share::broken_link_message(
                    &detail,
                    "Showing the default scenario instead.",
                ));
                st
            }
        };
        if embed.is_none() {
            fx.push(Effect::ClearFragment);
        }
        state
    } else if embed.is_some() {
        State::new(examples)
    } else {
        State::restore(examples, env.saved)
    };
    state.learn.progress = env.progress.unwrap_or_default();
    state.page_url = env.page_url;
    if let Some(v) = embed.as_ref().and_then(|e| e.view) {
        state.view = v;
    }
    state.embed = embed;
    state.refresh(false);
    if state.learn.record_completion() {
        fx.extend(save_progress(&state));
    }
    if state.flow.is_some() {
        fx.push(Effect::ShowExplanation);
    }
    if state.learn.step.is_some() || state.learn.exercise.is_some() {
        fx.push(Effect::ScrollLearnToTop);
    }
    (state, fx)
}
