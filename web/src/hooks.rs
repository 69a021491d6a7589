//! What the views need from the `App` component: the one callback into the core and the element
//! refs of the editors and the Why? panel.

use yew::prelude::*;

use crate::app::{Editor, Event};

#[derive(Clone, PartialEq)]
pub struct Hooks {
    /// Sends an event to the core (`App::update`).
    pub on_event: Callback<Event>,
    pub policies_ref: NodeRef,
    pub cluster_ref: NodeRef,
    pub why_ref: NodeRef,
}

impl Hooks {
    /// A click handler that sends `event`.
    pub fn click(&self, event: Event) -> Callback<MouseEvent> {
        self.on_event.reform(move |_: MouseEvent| event.clone())
    }

    /// The textarea ref of an editor.
    pub fn textarea(&self, editor: Editor) -> &NodeRef {
        match editor {
            Editor::Policies => &self.policies_ref,
            Editor::Cluster => &self.cluster_ref,
        }
    }
}
