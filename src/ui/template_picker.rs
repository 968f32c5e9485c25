//! The Template filter: the portal's templates by name, and "Exclude" to
//! show every template but the chosen one.

use leptos::prelude::*;

use crate::domain::i18n::{fill, Texts};
use crate::domain::methods::instances::TemplateId;
use crate::domain::methods::lookups::Templates;
use crate::domain::table::filters::{Filter, FilterKind};
use crate::ui::filters_bar::FilterChange;
use crate::ui::i18n::{lang, texts};
use crate::ui::names::Names;

/// The `<option>`s after "Any template": `(value, text)` by name. A chosen
/// id the list lacks (an automation rule's, or one restored from a saved
/// view before the list arrived) is offered too, so the select can show it.
pub fn template_options(
    templates: Option<&Templates>,
    chosen: Option<TemplateId>,
    t: &Texts,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = templates
        .map(|list| {
            list.iter()
                .map(|i| (i.id.0.to_string(), list.label(i.id, t)))
                .collect()
        })
        .unwrap_or_default();
    if let Some(id) = chosen {
        if !templates.is_some_and(|list| list.contains(id)) {
            let text = match templates {
                Some(list) => list.label(id, t),
                None => fill(t.template_fallback, &[("id", &id.0.to_string())]),
            };
            out.insert(0, (id.0.to_string(), text));
        }
    }
    out
}

/// A select labelled "Template", and "Exclude".
#[component]
pub fn TemplatePicker(
    /// Applies changes.
    change: FilterChange,
    /// The session's names (its templates, loaded once).
    names: Names,
) -> impl IntoView {
    let current = Memo::new(move |_| match change.current(FilterKind::Template) {
        Some(Filter::Template { id, exclude }) => Some((id, exclude)),
        _ => None,
    });
    // "Exclude" ticked before a template is chosen applies on the choice.
    let exclude_next = RwSignal::new(false);
    let excluded = move || current.get().map_or(exclude_next.get(), |(_, e)| e);
    let pick = move |value: String| match value.parse::<u64>() {
        Ok(id) => change.set(Filter::Template {
            id: TemplateId(id),
            exclude: excluded(),
        }),
        Err(_) => change.remove(FilterKind::Template),
    };
    let set_exclude = move |exclude: bool| {
        exclude_next.set(exclude);
        if let Some((id, _)) = current.get_untracked() {
            change.set(Filter::Template { id, exclude });
        }
    };
    let options = move || {
        let chosen = current.get().map(|(id, _)| id);
        names
            .with_templates(|list| template_options(list, chosen, texts()))
            .into_iter()
            .map(|(value, text)| {
                let selected = chosen.is_some_and(|c| c.0.to_string() == value);
                view! { <option value=value selected=selected>{text}</option> }
            })
            .collect_view()
    };
    let status = move || {
        names.with(|n| match &n.templates {
            None => Some(texts().loading_templates.to_owned()),
            Some(Err(e)) => Some(fill(
                texts().templates_failed,
                &[("reason", &e.message(lang()))],
            )),
            Some(Ok(_)) => None,
        })
    };
    view! {
        <div class="wm-field">
            <label class="wm-field__stack">
                <span class="wm-field__label">{texts().field_template}</span>
                <select
                    class="wm-input"
                    on:change=move |ev| pick(event_target_value(&ev))
                    prop:value=move || current.get().map(|(id, _)| id.0.to_string()).unwrap_or_default()
                >
                    <option value="" selected=move || current.get().is_none()>{texts().any_template}</option>
                    {options}
                </select>
            </label>
            <label class="wm-check">
                <input
                    type="checkbox"
                    prop:checked=excluded
                    on:change=move |ev| set_exclude(event_target_checked(&ev))
                />
                {texts().exclude}
            </label>
            <p class="wm-field__status" aria-live="polite">{status}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::i18n::{EN, RU};
    use crate::domain::methods::lookups::TemplateInfo;

    fn list() -> Templates {
        Templates::new(vec![
            TemplateInfo {
                id: TemplateId(2),
                name: "Zeta".into(),
                document_type: None,
            },
            TemplateInfo {
                id: TemplateId(1),
                name: "Alpha".into(),
                document_type: None,
            },
        ])
    }

    #[test]
    fn options_are_by_name_and_keep_an_unlisted_choice() {
        let t = list();
        let values = |o: Vec<(String, String)>| o.into_iter().map(|(v, _)| v).collect::<Vec<_>>();
        assert_eq!(values(template_options(Some(&t), None, &EN)), ["1", "2"]);
        assert_eq!(
            values(template_options(Some(&t), Some(TemplateId(2)), &EN)),
            ["1", "2"]
        );
        let with_robot = template_options(Some(&t), Some(TemplateId(77)), &EN);
        assert_eq!(
            with_robot[0],
            ("77".into(), "Automation rule or robot (template 77)".into())
        );
        assert_eq!(
            template_options(None, Some(TemplateId(5)), &RU),
            [("5".to_owned(), "Шаблон 5".to_owned())]
        );
    }
}
