//! Start-up: the first state from what the shell read before the first render. A `#s=` share
//! link wins over localStorage; a broken link falls back to the default scenario with a message;
//! an embed without a link shows the default scenario, not this browser's saved work.

use netpol_examples::Example;

use super::learn::{Menu, Progress};
use super::share;
use super::state::{Saved, State};
use super::update::{requests, save, save_progress, Effect};

/// What the shell read before the first render.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
    /// An evaluation worker was started: the texts are evaluated there.
    pub worker: bool,
}

/// The first state, and what the shell should do before (storage, address bar) and after the
/// first render (scrolling).
pub fn start(examples: Vec<Example>, env: Startup) -> (State, Vec<Effect>) {
    let embed = share::parse_embed(&env.search);
    let has_link = env
        .hash
        .trim_start_matches('#')
        .split('&')
        .any(|kv| kv.starts_with("s="));
    let mut fx = Vec::new();
    let mut state = if has_link {
        let state = match netpol_share::decode(&env.hash) {
            Ok(s) => {
                let mut st = share::restore_into(State::create(examples, env.worker), &s);
                let l = &mut st.learn;
                if let Some(i) = s
                    .exercise
                    .as_ref()
                    .and_then(|id| l.data.exercises.iter().position(|e| &e.id == id))
                {
                    l.exercise = Some(i);
                    l.menu = Menu::Exercises;
                }
                if let Some(i) = s
                    .tutorial_step
                    .map(|n| n as usize)
                    .filter(|&n| n < l.data.steps.len())
                {
                    l.step = Some(i);
                    l.menu = Menu::Tutorial;
                }
                // Restored once; later edits are saved as usual.
                if embed.is_none() {
                    fx.extend(save(&st));
                }
                st.highlight = None;
                st
            }
            Err(e) => {
                let mut st = State::create(examples, env.worker);
                st.learn.share_error = Some(format!(
                    "This share link could not be opened ({e}). Showing the default scenario instead."
                ));
                st
            }
        };
        if embed.is_none() {
            fx.push(Effect::ClearFragment);
        }
        state
    } else if embed.is_some() {
        State::create(examples, env.worker)
    } else {
        State::create(examples, env.worker).restored(env.saved)
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
    fx.extend(requests(&mut state));
    (state, fx)
}
