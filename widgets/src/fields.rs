//! Form fields every widget draws alike: a label, the control, and the problem shown
//! under it and tied to the control for screen readers. Here once, so that every form
//! says its problems the same way and the views are compiled once.

use yew::prelude::*;

/// A one-line text input.
pub struct TextInput {
    /// The input's id; its problem's is the same with `-problem` after it.
    pub id: String,
    /// The visible label.
    pub label: String,
    /// `text` or `email`.
    pub kind: &'static str,
    /// The browser's autofill hint, e.g. `nickname` or `email`.
    pub autocomplete: &'static str,
    /// What the visitor has typed so far.
    pub value: String,
    /// Called on every keystroke.
    pub oninput: Callback<InputEvent>,
    /// While the form is being sent.
    pub disabled: bool,
    /// What is wrong with the value, once the visitor has tried to send it.
    pub problem: Option<String>,
}

/// A checkbox with its label after it.
pub struct Checkbox {
    /// The checkbox's id; its problem's is the same with `-problem` after it.
    pub id: &'static str,
    /// The visible label.
    pub label: String,
    /// Whether it is ticked.
    pub checked: bool,
    /// Called when it is ticked or unticked.
    pub onchange: Callback<Event>,
    /// While the form is being sent.
    pub disabled: bool,
    /// Why it must be ticked, once the visitor has tried to send the form without.
    pub problem: Option<String>,
}

/// A labelled text input with its problem.
pub fn text_input(field: TextInput) -> Html {
    let problem_id = format!("{}-problem", field.id);
    html! {
        <div class="field">
            <label for={field.id.clone()}>{ field.label }</label>
            <input id={field.id} type={field.kind} part="input" autocomplete={field.autocomplete}
                value={field.value} oninput={field.oninput} disabled={field.disabled}
                aria-invalid={field.problem.is_some().to_string()}
                aria-describedby={field.problem.as_ref().map(|_| problem_id.clone())} />
            if let Some(problem) = field.problem {
                <p class="problem" id={problem_id}>{ problem }</p>
            }
        </div>
    }
}

/// A labelled checkbox (a consent, say) with its problem.
pub fn checkbox(field: Checkbox) -> Html {
    let problem_id = format!("{}-problem", field.id);
    html! {
        <div class="field consent">
            <input id={field.id} type="checkbox" checked={field.checked} onchange={field.onchange}
                disabled={field.disabled} aria-invalid={field.problem.is_some().to_string()}
                aria-describedby={field.problem.as_ref().map(|_| problem_id.clone())} />
            <label for={field.id}>{ field.label }</label>
            if let Some(problem) = field.problem {
                <p class="problem" id={problem_id}>{ problem }</p>
            }
        </div>
    }
}
