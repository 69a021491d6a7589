//! The Learn side of the playground (issues 5 and 6), rendered: the header buttons, the share
//! banner, and the Learn column with the tutorial or the exercises and their live goal
//! checklist. The state machine behind it is `app::learn`; these functions only render it and
//! send `LearnEvent`s.

use yew::prelude::*;

use crate::app::{Event, ExerciseVm, LearnEvent, LearnVm, Menu, Page, Solution, TutorialVm};
use crate::hooks::Hooks;
use crate::markdown;

fn cb(h: &Hooks, e: LearnEvent) -> Callback<MouseEvent> {
    h.click(Event::Learn(e))
}

/// The header buttons: Learn, Exercises, Copy link, Embed.
pub fn header(l: &LearnVm, hooks: &Hooks) -> Html {
    let pressed = |m: Menu| if l.menu == m { "true" } else { "false" };
    html! {
        <div class="learn-buttons">
            <button type="button" class="btn" data-testid="learn-tutorial" aria-pressed={pressed(Menu::Tutorial)}
                onclick={cb(hooks, LearnEvent::Menu(Menu::Tutorial))}>{ "Learn" }</button>
            <button type="button" class="btn" data-testid="learn-exercises" aria-pressed={pressed(Menu::Exercises)}
                onclick={cb(hooks, LearnEvent::Menu(Menu::Exercises))}>{ "Exercises" }</button>
            <button type="button" class="btn" data-testid="copy-link" title="Copy a link that restores this exact state"
                onclick={cb(hooks, LearnEvent::CopyLink)}>{ "Copy link" }</button>
            <button type="button" class="btn" data-testid="copy-embed" title="Copy the HTML that embeds this state in a page"
                onclick={cb(hooks, LearnEvent::EmbedSnippet)}>{ "Embed" }</button>
        </div>
    }
}

/// The share-link error and the copied link / snippet, under the header.
pub fn banner(l: &LearnVm, hooks: &Hooks) -> Html {
    let err = l.share_error.as_ref().map(|e| {
        html! {
            <div class="share-error" role="alert" data-testid="share-error">
                <span aria-hidden="true">{ "⚠ " }</span>
                <span>{ e }</span>
                <button type="button" class="btn btn-small" aria-label="Dismiss" data-testid="share-error-dismiss"
                    onclick={cb(hooks, LearnEvent::DismissError)}>{ "Dismiss" }</button>
            </div>
        }
    });
    let share = if let Some(url) = &l.share_url {
        Some(html! {
            <div class="share-bar" role="status">
                <label for="share-url">{ "Link copied — anyone opening it sees this exact state:" }</label>
                <input id="share-url" type="text" readonly=true data-testid="share-url" value={url.clone()}
                    onfocus={Callback::from(select_all)} />
                <button type="button" class="btn btn-small" onclick={cb(hooks, LearnEvent::DismissShare)}>{ "Close" }</button>
            </div>
        })
    } else {
        l.snippet.as_ref().map(|s| html! {
            <div class="share-bar" role="status">
                <label for="embed-snippet">{ "Embed snippet copied — paste it into any HTML page:" }</label>
                <textarea id="embed-snippet" readonly=true rows="2" data-testid="embed-snippet" value={s.clone()} />
                <button type="button" class="btn btn-small" onclick={cb(hooks, LearnEvent::DismissShare)}>{ "Close" }</button>
            </div>
        })
    };
    html! { <>{ for err }{ for share }</> }
}

fn select_all(e: FocusEvent) {
    use wasm_bindgen::JsCast;
    if let Some(i) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        i.select();
    }
}

/// The Learn column (tutorial or exercises), when open.
pub fn aside(page: &Page, hooks: &Hooks) -> Html {
    let l = &page.learn;
    let body = match l.menu {
        Menu::Closed => return html! {},
        Menu::Tutorial => l
            .tutorial
            .as_ref()
            .map(|t| tutorial(t, hooks))
            .unwrap_or_default(),
        Menu::Exercises => match &l.exercise {
            Some(ex) => exercise(page, ex, hooks),
            None => exercise_list(l, hooks),
        },
    };
    html! {
        <aside class="panel learn" data-testid="learn-panel" aria-label="Learn">
            <div class="learn-body">{ body }</div>
        </aside>
    }
}

fn exercise_list(l: &LearnVm, hooks: &Hooks) -> Html {
    let done = l.exercises.iter().filter(|e| e.completed).count();
    let items = l.exercises.iter().enumerate().map(|(i, e)| {
        let completed = e.completed;
        let level = e.level.as_str();
        html! {
            <li>
                <button type="button" class="ex-item" data-testid="exercise" data-id={e.id.clone()}
                    data-completed={if completed { "true" } else { "false" }} onclick={cb(hooks, LearnEvent::OpenExercise(i))}>
                    <span class={classes!("ex-done", completed.then_some("yes"))} aria-label={if completed { "completed" } else { "not completed" }}>
                        { if completed { "✓" } else { "○" } }
                    </span>
                    <span class="ex-title">{ &e.title }</span>
                    <span class={classes!("badge", format!("lv-{level}"))}>{ level }</span>
                </button>
            </li>
        }
    });
    html! {
        <>
            <div class="learn-head">
                <h2>{ "Exercises" }</h2>
                <span class="muted">{ format!("{done} of {} completed", l.exercises.len()) }</span>
                <button type="button" class="btn btn-small" onclick={cb(hooks, LearnEvent::Close)} aria-label="Close the exercises">{ "✕" }</button>
            </div>
            <p class="muted small">{ "Each exercise loads a cluster and some policies; edit the policies until every goal is green." }</p>
            <ol class="ex-list">{ for items }</ol>
        </>
    }
}

fn exercise(page: &Page, ex: &ExerciseVm, hooks: &Hooks) -> Html {
    let goals = &ex.goals;
    let met = goals.iter().filter(|g| g.met).count();
    let all = !goals.is_empty() && met == goals.len();
    let goal_items = goals.iter().map(|g| {
        html! {
            <li class={classes!("goal", if g.met { "met" } else { "unmet" })} data-testid="goal"
                data-met={if g.met { "true" } else { "false" }}>
                <span class="goal-mark" aria-label={if g.met { "met" } else { "not met" }}>{ if g.met { "✓" } else { "✗" } }</span>
                <span class="goal-text">
                    { &g.description }
                    if !g.met && !g.detail.is_empty() {
                        <span class="goal-detail">{ &g.detail }</span>
                    }
                </span>
            </li>
        }
    });
    let hints = ex.hints.iter().enumerate().map(|(k, h)| {
        html! { <li class="hint" data-testid="hint"><strong>{ format!("Hint {}: ", k + 1) }</strong>{ markdown::inline(h) }</li> }
    });
    let solution = match ex.solution {
        Solution::Hidden => html! {
            <button type="button" class="btn" data-testid="show-solution" onclick={cb(hooks, LearnEvent::AskSolution)}>{ "Show solution" }</button>
        },
        Solution::Confirming => html! {
            <div class="confirm" role="alertdialog" aria-label="Show the solution?" data-testid="solution-confirm">
                <span>{ "Show the reference solution? Trying a bit longer teaches more." }</span>
                <button type="button" class="btn" data-testid="solution-yes" onclick={cb(hooks, LearnEvent::ConfirmSolution)}>{ "Yes, show it" }</button>
                <button type="button" class="btn" onclick={cb(hooks, LearnEvent::CancelSolution)}>{ "Keep trying" }</button>
            </div>
        },
        Solution::Shown => html! {
            <div class="solution" data-testid="solution">
                <div class="solution-head">
                    <strong>{ "Reference solution" }</strong>
                    <button type="button" class="btn btn-small" data-testid="use-solution" onclick={cb(hooks, LearnEvent::UseSolution)}>{ "Put it in the editor" }</button>
                </div>
                <pre class="md-code"><code>{ &ex.solution_text }</code></pre>
            </div>
        },
    };
    let level = ex.level.as_str();
    html! {
        <div class="exercise" data-testid="exercise-open" data-id={ex.id.clone()}>
            <div class="learn-head">
                <button type="button" class="btn btn-small" data-testid="exercise-back" onclick={cb(hooks, LearnEvent::BackToList)}
                    aria-label="All exercises: back to the list">{ "← All" }</button>
                <span class={classes!("badge", format!("lv-{level}"))}>{ level }</span>
                <button type="button" class="btn btn-small" onclick={cb(hooks, LearnEvent::Close)} aria-label="Close the exercise">{ "✕" }</button>
            </div>
            <h2 class="ex-h">{ &ex.title }</h2>
            <div class="md">{ markdown::render(&ex.story, false) }</div>
            <h3 class="md-h">{ format!("Goals — {met} of {} met", goals.len()) }</h3>
            if all {
                <div class="completed" data-testid="completed" role="status">{ "✓ Completed! Every goal is met." }</div>
            }
            <ul class="goals" data-testid="goals">{ for goal_items }</ul>
            <ul class="hints">{ for hints }</ul>
            { check_work(page, ex, hooks) }
            <div class="ex-actions">
                if let Some(label) = ex.hint_label.clone() {
                    <button type="button" class="btn" data-testid="show-hint" onclick={cb(hooks, LearnEvent::Hint)}>{ label }</button>
                }
                { solution }
                <button type="button" class="btn" data-testid="restart-exercise" onclick={cb(hooks, LearnEvent::RestartExercise)}
                    title="Load the starting policies again">{ "Start over" }</button>
                if ex.can_undo_reset {
                    <button type="button" class="btn" data-testid="undo-reset" onclick={cb(hooks, LearnEvent::UndoReset)}
                        title="Put back the texts you had before the reset">{ "↶ Undo reset" }</button>
                }
                <button type="button" class="btn" data-testid="leave-exercise" onclick={cb(hooks, LearnEvent::BackToList)}
                    title="Leave this exercise; the editors keep their text">{ "Leave exercise" }</button>
            </div>
        </div>
    }
}

/// "Check my work": the teaching lints are hidden in an exercise (they name the mistake and
/// its fix) until the learner asks; then they show under the editors, and can be hidden again.
fn check_work(page: &Page, ex: &ExerciseVm, hooks: &Hooks) -> Html {
    if ex.lints_shown {
        let n = page.lints.len();
        let note = match n {
            0 => "The linter finds nothing to say about these policies.".to_string(),
            1 => "1 lint hint is shown with the problems under the editors.".to_string(),
            n => format!("{n} lint hints are shown with the problems under the editors."),
        };
        return html! {
            <div class="check-work" data-testid="check-work-result" role="status">
                <span>{ note }</span>
                <button type="button" class="btn btn-small" data-testid="hide-lints"
                    onclick={cb(hooks, LearnEvent::ShowLints(false))}>{ "Hide them" }</button>
            </div>
        };
    }
    html! {
        <div class="check-work">
            <button type="button" class="btn" data-testid="check-work" data-hidden-lints={page.hidden_lints.to_string()}
                onclick={cb(hooks, LearnEvent::ShowLints(true))}
                title="Show what the linter says about your policies (it may name the mistake and its fix)">{ "Check my work" }</button>
            <span class="muted small">{ "The linter's hints stay hidden until you ask." }</span>
        </div>
    }
}

fn tutorial(t: &TutorialVm, hooks: &Hooks) -> Html {
    let (seen, total) = (t.seen, t.steps.len());
    let cur = t.current;
    let steps = t.steps.iter().enumerate().map(|(i, s)| {
        let done = s.seen;
        let current = cur == i;
        html! {
            <li>
                <button type="button" class={classes!("step-item", current.then_some("current"), done.then_some("seen"))}
                    data-testid="tutorial-step" data-seen={if done { "true" } else { "false" }}
                    aria-current={if current { "step" } else { "false" }} onclick={cb(hooks, LearnEvent::OpenStep(i))}>
                    <span class="step-n">{ i + 1 }</span>
                    <span>{ &s.title }</span>
                </button>
            </li>
        }
    });
    let text = markdown::render(&t.markdown, true);
    let title = &t.title;
    let chips: Vec<Html> = t
        .chips
        .iter()
        .enumerate()
        .map(|(k, (kind, label))| {
            html! {
                <button type="button" class={classes!("chip", format!("chip-{kind}"))} data-testid="step-highlight"
                    title={format!("Highlight this {kind}")} onclick={cb(hooks, LearnEvent::ShowHighlight(k))}>{ label }</button>
            }
        })
        .collect();
    html! {
        <>
            <div class="learn-head">
                <h2>{ "Tutorial" }</h2>
                <span class="muted" data-testid="tutorial-progress">{ format!("{seen} of {total} steps") }</span>
                <button type="button" class="btn btn-small" onclick={cb(hooks, LearnEvent::Close)} aria-label="Close the tutorial">{ "✕" }</button>
            </div>
            <div class="progress" aria-hidden="true"><span style={format!("width: {}%", seen * 100 / total.max(1))}></span></div>
            <details class="step-list">
                <summary>{ "All steps" }</summary>
                <ol>{ for steps }</ol>
            </details>
            <h2 class="ex-h" data-testid="step-title">{ format!("{}. {title}", cur + 1) }</h2>
            if !chips.is_empty() {
                <div class="look-at" aria-label="Highlights of this step">
                    <span class="muted">{ "Show me:" }</span>
                    { for chips }
                </div>
            }
            <div class="md" data-testid="step-text">{ text }</div>
            <div class="step-nav">
                <button type="button" class="btn" data-testid="step-prev" disabled={cur == 0}
                    onclick={cb(hooks, LearnEvent::OpenStep(cur.saturating_sub(1)))}>{ "← Previous" }</button>
                <span class="muted">{ format!("Step {} of {total}", cur + 1) }</span>
                <button type="button" class="btn" data-testid="step-next" disabled={cur + 1 >= total}
                    onclick={cb(hooks, LearnEvent::OpenStep(cur + 1))}>{ "Next →" }</button>
            </div>
        </>
    }
}
